//! The analysis of a corpus: the `analyze --json` contract
//! (docs/analysis-json.md), built by the same calls for the CLI, the GUI and
//! the tests.
//!
//! Two parallel passes over the documents with one corpus-wide step between,
//! one module each:
//! 1. [`first_pass`], per document: clean, scan each paragraph (gazetteer,
//!    dates, names after titles), find citations and their signing facts;
//! 2. [`corpus_step`]: the set of names, the agreement registry
//!    ([`crate::citations::registry`]);
//! 3. [`second_pass`], per document: recurring names, entities, metadata,
//!    events.
//!
//! [`incremental`] runs the passes over a corpus's files through the
//! per-document cache, handing documents on a batch at a time (the JSON
//! writer writes and drops them; [`analyze_source`] collects them), and
//! [`spill`] sets pass 1's results aside on disk beyond a memory budget.
//!
//! A failure inside one document costs that document only: it is reported in
//! `errors` and the others are analysed.

mod corpus_step;
mod first_pass;
mod incremental;
mod second_pass;
mod spill;

use crate::cache::{AnalysisCache, Outcome};
#[cfg(test)]
use crate::corpus::RawDocument;
use crate::corpus::{CorpusSource, LoadOptions, Loaded};
use crate::knowledge::Knowledge;
use crate::model::json::json_buffer;
use crate::model::{Analysis, CONTRACT_VERSION, DocumentAnalysis, LoadError};

/// Progress of a running analysis.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Progress {
    /// Documents done in the current pass.
    pub done: usize,
    /// Documents in all.
    pub total: usize,
    /// 1 or 2.
    pub pass: u8,
}

/// Loads and analyses a corpus (no cache).
pub fn analyze_source(
    source: &CorpusSource,
    load: &LoadOptions,
    knowledge: &Knowledge,
    progress: &(dyn Fn(Progress) + Sync),
) -> Analysis {
    analyze_cached(source, load, knowledge, None, progress).0
}

/// Loads and analyses `source`, through the cache when there is one: only
/// files the cache does not know are analysed, the corpus-wide step is
/// redone, and what was analysed is stored. Cache problems never fail the
/// load.
pub fn analyze_cached(
    source: &CorpusSource,
    load: &LoadOptions,
    knowledge: &Knowledge,
    cache: Option<&AnalysisCache>,
    progress: &(dyn Fn(Progress) + Sync),
) -> (Analysis, Outcome) {
    collect(source, load, knowledge, cache, progress, |_| {})
}

/// [`analyze_cached`] for reading on screen: each document's source map
/// (where each run of its cleaned text came from in the file) is let go as
/// the document arrives. The window never shows source positions, the cache
/// keeps them, and at 1 GB they are some 150 MB. The paragraphs' texts are
/// then packed in shared buffers ([`pack_texts`]).
pub fn analyze_cached_for_reading(
    source: &CorpusSource,
    load: &LoadOptions,
    knowledge: &Knowledge,
    cache: Option<&AnalysisCache>,
    progress: &(dyn Fn(Progress) + Sync),
) -> (Analysis, Outcome) {
    collect(source, load, knowledge, cache, progress, |batch| {
        for doc in batch.iter_mut() {
            for p in &mut doc.paragraphs {
                p.source = crate::model::SourceMap::default();
            }
        }
        pack_texts(batch);
        for doc in batch.iter_mut() {
            doc.move_lists();
        }
    })
}

/// Lets go what analysing keeps on each thread for the next document (the
/// segmenter's remembered answers, spare buffers: some tens of MB per
/// thread), on every thread of the pool and this one. For after a load.
pub fn forget_scratch() {
    let forget = || {
        crate::segment::forget_answers();
        crate::entities::forget_spare_buffers();
    };
    rayon::broadcast(|_| forget());
    forget();
}

/// Puts the paragraph texts of `documents` in shared buffers of some MiB
/// ([`crate::model::paragraph_text::pack`]): at 1 GB, 3.4 million strings
/// become some hundreds of buffers. Done a batch at a time as documents
/// arrive, so the strings it lets go are few at any time, and the next
/// batch takes their place.
pub fn pack_texts(documents: &mut [DocumentAnalysis]) {
    crate::model::paragraph_text::pack(documents.iter_mut().flat_map(|d| d.paragraphs.iter_mut().map(|p| &mut p.text)));
}

/// The whole analysis, each batch of documents passed through `trim` as it arrives.
fn collect(
    source: &CorpusSource,
    load: &LoadOptions,
    knowledge: &Knowledge,
    cache: Option<&AnalysisCache>,
    progress: &(dyn Fn(Progress) + Sync),
    trim: impl Fn(&mut [DocumentAnalysis]),
) -> (Analysis, Outcome) {
    let mut documents: Vec<DocumentAnalysis> = Vec::new();
    let ran = incremental::run(source, load, knowledge, cache, progress, spill::MEMORY_BUDGET_BYTES, &Ok, &mut |mut batch| {
        trim(&mut batch);
        documents.extend(batch);
        Ok(())
    });
    let (agreements, errors, outcome) = match ran {
        Ok(done) => (done.agreements, done.errors, done.outcome),
        // Collecting never fails; said rather than lost if it did.
        Err(e) => {
            let error = LoadError { source: source.describe(), message: format!("cannot analyse: {e}") };
            (Vec::new(), vec![error], Outcome::Uncached)
        }
    };
    (Analysis { version: CONTRACT_VERSION, documents, agreements, errors, ids: Default::default() }, outcome)
}

/// What [`analyze_to_json`] wrote.
#[derive(Debug)]
pub struct Written {
    /// Documents written.
    pub documents: usize,
    /// Files that could not be read, decoded or analysed (also in the JSON).
    pub errors: Vec<LoadError>,
    /// What the cache did.
    pub outcome: Outcome,
}

/// Loads, analyses (through `cache` when given) and writes a corpus as
/// `analyze --json` does: the bytes
/// [`write_analysis_json`](crate::compare::offices::write_analysis_json)
/// writes for [`analyze_source`]'s analysis (the contract's fields and the
/// additive `people`). Documents are written a batch at a time and
/// dropped, so the analysis is never held whole.
pub fn analyze_to_json(
    out: &mut impl std::io::Write,
    source: &CorpusSource,
    load: &LoadOptions,
    knowledge: &Knowledge,
    cache: Option<&AnalysisCache>,
) -> std::io::Result<Written> {
    write!(out, "{{\"version\":{CONTRACT_VERSION},\"documents\":[")?;
    // Who held which office: the only thing kept of each document once written.
    let mut facts = Vec::new();
    let mut written = 0;
    // Each document written and its facts taken on the worker that
    // finished it, then let go there; its JSON starts with the comma that
    // follows the document before it (left off the first one).
    let each = |doc: DocumentAnalysis| -> std::io::Result<(Vec<u8>, crate::compare::offices::DocFacts)> {
        let mut json = json_buffer(&doc);
        json.push(b',');
        crate::model::json::write_document(&mut json, &doc)?;
        Ok((json, crate::compare::offices::facts_of(&doc)))
    };
    let done = incremental::run(source, load, knowledge, cache, &|_| {}, spill::MEMORY_BUDGET_BYTES, &each, &mut |batch| {
        for (json, doc_facts) in batch {
            facts.push(doc_facts);
            out.write_all(json.get(usize::from(written == 0)..).unwrap_or_default())?;
            written += 1;
        }
        Ok(())
    })?;
    // The agreements' JSON and the offices (mostly one core's work each) side by side.
    let (agreements, people) = rayon::join(
        || {
            let mut json = Vec::new();
            crate::model::json::write_agreements(&mut json, &done.agreements).map(|()| json)
        },
        || crate::compare::offices::people(&facts),
    );
    out.write_all(b"],\"agreements\":")?;
    out.write_all(&agreements?)?;
    out.write_all(b",\"errors\":")?;
    serde_json::to_writer(&mut *out, &done.errors)?;
    crate::compare::offices::write_people_list_to(out, &people)?;
    out.write_all(b"}")?;
    Ok(Written { documents: done.documents, errors: done.errors, outcome: done.outcome })
}

/// Runs `f` (pass 1 as files are read) while the segmenter's dictionary is
/// built on a thread of its own: it takes a while to build and pass 1
/// needs it early, so it is built alongside the loading, not in front of it.
pub(crate) fn with_segmenter_alongside<T>(knowledge: &Knowledge, f: impl FnOnce() -> T) -> T {
    std::thread::scope(|scope| {
        let built = std::thread::Builder::new().name("sco-reader-jieba".to_owned()).spawn_scoped(scope, || {
            knowledge.segmenter();
        });
        if built.is_err() {
            knowledge.segmenter(); // no thread to spare: build it here
        }
        f()
    })
}

/// Analyses documents already loaded.
pub fn analyze_loaded(loaded: Loaded, knowledge: &Knowledge, progress: &(dyn Fn(Progress) + Sync)) -> Analysis {
    second_pass::finish_all(first_pass::prepare(loaded, knowledge, progress), knowledge, progress)
}

/// Runs `f`, turning a panic into an error for this document.
pub(crate) fn contain<T>(source: &str, f: impl FnOnce() -> T) -> Result<T, LoadError> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)).map_err(|panic| {
        let what = panic
            .downcast_ref::<&str>()
            .map(|s| (*s).to_owned())
            .or_else(|| panic.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown error".to_owned());
        LoadError {
            source: source.to_owned(),
            message: format!("internal error while analysing this file (please report it): {what}"),
        }
    })
}

/// Analyses in-memory texts `(id, text)` with the bundled gazetteer (tests).
#[cfg(test)]
pub(crate) fn analyze_texts(docs: &[(&str, &str)]) -> Analysis {
    let documents = docs
        .iter()
        .map(|(id, text)| {
            let mut raw = RawDocument::from_text(id, (*text).to_owned(), id.ends_with(".md"));
            if !id.ends_with(".md") {
                raw.source = format!("{id}.txt");
            }
            raw
        })
        .collect();
    analyze_loaded(Loaded { documents, errors: Vec::new() }, crate::knowledge::bundled(), &|_| {})
}

/// The analysis of the bundled corpus with the bundled gazetteer (tests).
#[cfg(test)]
pub(crate) fn bundled_analysis() -> Analysis {
    analyze_source(&CorpusSource::Bundled, &LoadOptions::default(), crate::knowledge::bundled(), &|_| {})
}

#[cfg(test)]
mod citation_tests;
#[cfg(test)]
mod tests;
