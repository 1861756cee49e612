//! `analyze --json` without holding the analysis: after pass 1 and the
//! corpus step, pass 2 runs a batch of documents at a time on all cores, and
//! each document is serialised and dropped as it is finished. The bytes are
//! those of [`crate::model::json::write_json`] over the whole analysis.

use super::corpus_step::{Prepared, without_failed};
use super::first_pass::{First, prepare_source};
use super::second_pass::finish_document;
use crate::compare::offices::{DocFacts, facts_of};
use crate::corpus::{CorpusSource, LoadOptions};
use crate::knowledge::Knowledge;
use crate::model::json::{JSON_BATCH, json_buffer, write_agreements_to};
use crate::model::{CONTRACT_VERSION, LoadError};
use rayon::prelude::*;
use rustc_hash::FxHashSet;

/// What [`analyze_to_json`] wrote.
#[derive(Debug, Default)]
pub struct Written {
    /// Documents written.
    pub documents: usize,
    /// Files that could not be read, decoded or analysed (also in the JSON).
    pub errors: Vec<LoadError>,
}

/// A document written: its JSON and who held which office in it.
type Finished = (Vec<u8>, DocFacts);

/// Loads, analyses and writes a corpus as `analyze --json` does: the bytes
/// [`write_analysis_json`](crate::compare::offices::write_analysis_json)
/// writes for [`analyze_source`](super::analyze_source)'s analysis (the
/// contract's fields and the additive `people`). Documents are finished,
/// written and dropped a batch at a time, so the analysis is never held
/// whole.
pub fn analyze_to_json(
    out: &mut impl std::io::Write,
    source: &CorpusSource,
    load: &LoadOptions,
    knowledge: &Knowledge,
) -> std::io::Result<Written> {
    let Prepared { docs, agreement_ids, agreements, names, mut errors } =
        super::with_segmenter_alongside(knowledge, || prepare_source(source, load, knowledge, &|_| {}));
    write!(out, "{{\"version\":{CONTRACT_VERSION},\"documents\":[")?;
    let mut written = 0;
    let mut failed = FxHashSet::default();
    // Who held which office: the only thing kept of each document once written.
    let mut facts: Vec<DocFacts> = Vec::new();
    let mut pending = docs.into_iter().zip(agreement_ids);
    loop {
        let batch: Vec<(First, Vec<usize>)> = pending.by_ref().take(JSON_BATCH).collect();
        if batch.is_empty() {
            break;
        }
        let parts: Vec<Result<Finished, (String, LoadError)>> = batch
            .into_par_iter()
            .with_max_len(1)
            .map(|(doc, ids)| {
                let doc = finish_document(doc, &ids, &agreements, &names, knowledge)?;
                let mut json = json_buffer(&doc);
                crate::model::json::write_document(&mut json, &doc).map(|()| (json, facts_of(&doc))).map_err(|e| {
                    (doc.id.clone(), LoadError { source: doc.source.clone(), message: format!("cannot write its JSON: {e}") })
                })
            })
            .collect();
        for part in parts {
            match part {
                Ok((json, doc_facts)) => {
                    if written > 0 {
                        out.write_all(b",")?;
                    }
                    out.write_all(&json)?;
                    facts.push(doc_facts);
                    written += 1;
                }
                Err((id, e)) => {
                    failed.insert(id);
                    errors.push(e);
                }
            }
        }
    }
    out.write_all(b"],\"agreements\":")?;
    write_agreements_to(out, &without_failed(agreements, &failed))?;
    errors.sort_by(|a, b| a.source.cmp(&b.source));
    out.write_all(b",\"errors\":")?;
    serde_json::to_writer(&mut *out, &errors)?;
    crate::compare::offices::write_people_to(out, &facts)?;
    out.write_all(b"}")?;
    Ok(Written { documents: written, errors })
}
