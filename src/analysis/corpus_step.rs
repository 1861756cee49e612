//! The corpus step between the passes: the set of every name found (so a
//! name is recognised where it appears without a title) and the agreement
//! registry that links citations across documents and wordings.

use super::first_pass::First;
use crate::citations::registry;
use crate::entities::NameIndex;
use crate::model::{Agreement, LoadError};
use rustc_hash::FxHashSet;

/// Pass 1 and the corpus step done: what pass 2 makes documents of.
pub(super) struct Prepared {
    pub(super) docs: Vec<First>,
    /// Per document, the agreement (index in `agreements`) of each citation.
    pub(super) agreement_ids: Vec<Vec<usize>>,
    pub(super) agreements: Vec<Agreement>,
    pub(super) names: NameIndex,
    pub(super) errors: Vec<LoadError>,
}

/// The corpus step between the passes: the set of names and the agreements.
pub(super) fn link(firsts: Vec<Result<First, LoadError>>, mut errors: Vec<LoadError>) -> Prepared {
    let mut docs = Vec::with_capacity(firsts.len());
    for f in firsts {
        match f {
            Ok(doc) => docs.push(doc),
            Err(e) => errors.push(e),
        }
    }
    let (names, (agreement_ids, agreements)) = rayon::join(
        || {
            NameIndex::new(
                docs.iter().flat_map(|d| d.scans.iter().flat_map(|s| s.persons.iter().map(|p| p.name.clone()))).collect(),
            )
        },
        || registry::build(&docs.iter().map(First::citing).collect::<Vec<_>>()),
    );
    Prepared { docs, agreement_ids, agreements, names, errors }
}

/// An agreement whose only citing document failed in pass 2 keeps its entry
/// but loses the dangling passages.
pub(super) fn without_failed(agreements: Vec<Agreement>, failed: &FxHashSet<String>) -> Vec<Agreement> {
    if failed.is_empty() {
        return agreements;
    }
    agreements
        .into_iter()
        .map(|mut a| {
            a.cited_by.retain(|c| !failed.contains(&c.document));
            a
        })
        .collect()
}
