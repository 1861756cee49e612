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
//! [`stream`] runs the same passes for `analyze --json`, writing each
//! document as it is finished instead of holding the analysis whole.
//!
//! A failure inside one document costs that document only: it is reported in
//! `errors` and the others are analysed.

mod corpus_step;
mod first_pass;
mod second_pass;
mod stream;

pub use stream::{Written, analyze_to_json};

#[cfg(test)]
use crate::corpus::RawDocument;
use crate::corpus::{CorpusSource, LoadOptions, Loaded};
use crate::knowledge::Knowledge;
use crate::model::{Analysis, LoadError};

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

/// Loads and analyses a corpus.
pub fn analyze_source(
    source: &CorpusSource,
    load: &LoadOptions,
    knowledge: &Knowledge,
    progress: &(dyn Fn(Progress) + Sync),
) -> Analysis {
    let prepared = with_segmenter_alongside(knowledge, || first_pass::prepare_source(source, load, knowledge, progress));
    second_pass::finish_all(prepared, knowledge, progress)
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
