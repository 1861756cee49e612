//! The corpus step between the passes: the set of every name found (so a
//! name is recognised where it appears without a title) and the agreement
//! registry that links citations across documents and wordings.

use super::first_pass::{First, Linkable};
use crate::citations::{FoundCitation, registry};
use crate::entities::NameIndex;
use crate::model::{Agreement, LoadError};
use rustc_hash::FxHashSet;

/// Pass 1 and the corpus step done: what pass 2 makes documents of.
pub(super) struct Prepared {
    pub(super) docs: Vec<First>,
    /// Per document, its citations (moved from what the corpus step read).
    pub(super) citations: Vec<Vec<FoundCitation>>,
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
    let linkables: Vec<Linkable> = docs.iter_mut().map(First::take_linkable).collect();
    let ids: Vec<&str> = docs.iter().map(|d| d.raw.id.as_str()).collect();
    let names = all_names(linkables.iter());
    let (names, (agreement_ids, agreements)) = link_all(&ids, &linkables.iter().collect::<Vec<_>>(), names);
    let citations = linkables.into_iter().map(|l| l.citing.found).collect();
    Prepared { docs, citations, agreement_ids, agreements, names, errors }
}

/// The corpus step over what pass 1 kept of each document (with its id):
/// the name index and, per document, the agreement of each citation.
pub(super) fn link_all(
    ids: &[&str],
    linkables: &[&Linkable],
    names: Vec<String>,
) -> (NameIndex, (Vec<Vec<usize>>, Vec<Agreement>)) {
    rayon::join(
        || NameIndex::new(names),
        || {
            let citing: Vec<registry::CitingDocument<'_>> =
                ids.iter().zip(linkables).map(|(id, l)| registry::CitingDocument { id, citing: &l.citing }).collect();
            registry::build(&citing)
        },
    )
}

/// Every name found after a title in the documents that `linkables` are
/// of, sorted, each once (borrowed while sorted: most recur across the
/// documents, and only the distinct ones are copied).
pub(super) fn all_names<'a>(linkables: impl Iterator<Item = &'a Linkable>) -> Vec<String> {
    use rayon::slice::ParallelSliceMut as _;
    let mut names: Vec<&str> = linkables.flat_map(|l| l.names.iter().map(String::as_str)).collect();
    names.par_sort_unstable();
    names.dedup();
    names.into_iter().map(str::to_owned).collect()
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
            a.cited_by.retain(|c| !failed.contains(c.document.as_str()));
            a
        })
        .collect()
}
