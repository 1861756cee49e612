//! `analyze --json` without holding the analysis: after pass 1 and the
//! corpus step, pass 2 runs a batch of documents at a time on all cores, and
//! each document is serialised and dropped as it is finished. The bytes are
//! those of [`crate::model::json::write_json`] over the whole analysis.

use super::corpus_step::{Prepared, without_failed};
use super::first_pass::{First, prepare_source};
use super::second_pass::finish_document;
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

/// Loads, analyses and writes a corpus as the contract's JSON: the bytes
/// [`write_json`](crate::model::json::write_json) writes for [`analyze_source`](super::analyze_source)'s analysis. Documents are
/// finished, written and dropped a batch at a time, so the analysis is never
/// held whole (the CLI's `analyze --json`).
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
    let mut pending = docs.into_iter().zip(agreement_ids);
    loop {
        let batch: Vec<(First, Vec<usize>)> = pending.by_ref().take(JSON_BATCH).collect();
        if batch.is_empty() {
            break;
        }
        let parts: Vec<Result<Vec<u8>, (String, LoadError)>> = batch
            .into_par_iter()
            .with_max_len(1)
            .map(|(doc, ids)| {
                let doc = finish_document(doc, &ids, &agreements, &names, knowledge)?;
                let mut json = json_buffer(&doc);
                crate::model::json::write_document(&mut json, &doc).map(|()| json).map_err(|e| {
                    (doc.id.clone(), LoadError { source: doc.source.clone(), message: format!("cannot write its JSON: {e}") })
                })
            })
            .collect();
        for part in parts {
            match part {
                Ok(json) => {
                    if written > 0 {
                        out.write_all(b",")?;
                    }
                    out.write_all(&json)?;
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
    out.write_all(b"}")?;
    Ok(Written { documents: written, errors })
}
