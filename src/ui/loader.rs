//! Loading and analysing a corpus on a background thread, with progress the
//! UI can read every frame. `Jieba::new()` and all other heavy work happen
//! here, never on the UI thread. An unchanged corpus is read back from the
//! analysis cache in the data directory ([`crate::cache`]).

use crate::analysis::Progress;
use crate::analysis::analyze_cached_for_reading;
use crate::cache::{AnalysisCache, Outcome};
use crate::corpus::{CorpusSource, LoadOptions};
use crate::index::CorpusIndex;
use crate::knowledge::Knowledge;
use crate::model::Analysis;
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, mpsc};

/// A corpus ready to browse: the analysis and its index, shared read-only.
pub struct LoadedCorpus {
    /// Where it came from.
    pub source: CorpusSource,
    /// The analysis.
    pub analysis: Analysis,
    /// Index for cards and the timeline.
    pub index: CorpusIndex,
    /// Phrase search over the analysis's text (the documents' timeline
    /// order; no copy of the text).
    pub search: crate::search::SearchIndex,
    /// Each document's partner for "compare with the previous meeting":
    /// the latest earlier document of its body, else the document before
    /// it on the timeline (found once per load, not in every frame).
    pub partners: Vec<Option<crate::model::DocIx>>,
    /// Whether the analysis came from the cache (or why it could not be stored).
    pub cache: Outcome,
    /// Problems with the user's gazetteer (bad lines, an unreadable file).
    pub gazetteer_warnings: Vec<String>,
    /// The user's corrections, applied to `analysis`, each with what
    /// became of it, in the order they were made.
    pub corrections: Vec<(crate::corrections::Correction, crate::corrections::Outcome)>,
    /// Why corrections could not be read (a damaged row, an unreadable store).
    pub correction_problems: Vec<String>,
    /// A number no other corpus loaded in this process has: what the
    /// panels' memos are keyed by.
    pub generation: u64,
}

/// [`LoadedCorpus::partners`].
fn partners_of(analysis: &Analysis, index: &CorpusIndex) -> Vec<Option<crate::model::DocIx>> {
    let mut partners = crate::compare::novelty::latest_earlier_of_body(analysis);
    for (before, row) in index.timeline.iter().zip(index.timeline.iter().skip(1)) {
        if let Some(slot @ None) = partners.get_mut(row.doc.0) {
            *slot = Some(before.doc);
        }
    }
    partners
}

/// The next [`LoadedCorpus::generation`].
fn next_generation() -> u64 {
    static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
    NEXT.fetch_add(1, Ordering::Relaxed)
}

/// A running load.
pub struct Loader {
    /// What is being loaded.
    pub source: CorpusSource,
    done: Arc<AtomicUsize>,
    total: Arc<AtomicUsize>,
    rx: mpsc::Receiver<Arc<LoadedCorpus>>,
}

/// What a load is doing.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum LoadPhase {
    /// Walking the folders (or reading the cache).
    #[default]
    Finding,
    /// Reading, converting and cleaning files: `done` of `total`.
    Reading {
        /// Files done.
        done: usize,
        /// Files in all.
        total: usize,
    },
    /// The per-document analysis after the corpus step.
    Analysing {
        /// Documents done.
        done: usize,
        /// Documents in all.
        total: usize,
    },
    /// Building the browsing indexes.
    Indexing,
}

/// A load's phase and the fraction of it done (0..=1).
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct LoadProgress {
    /// What it is doing.
    pub phase: LoadPhase,
    /// How far, 0..=1.
    pub fraction: f32,
}

impl Loader {
    /// Starts loading `source` on a new thread; `repaint` is called on progress.
    /// `data_dir` holds the user's gazetteer and the analysis cache.
    pub fn start(source: CorpusSource, data_dir: Option<PathBuf>, repaint: impl Fn() + Send + Sync + 'static) -> Self {
        let done = Arc::new(AtomicUsize::new(0));
        let total = Arc::new(AtomicUsize::new(0));
        let (tx, rx) = mpsc::channel();
        let (d, t, s) = (done.clone(), total.clone(), source.clone());
        let spawned = std::thread::Builder::new().name("sco-reader-loader".to_owned()).spawn(move || {
            let knowledge = Knowledge::shared_with_user_file(data_dir.as_deref());
            let cache = data_dir.as_deref().map(AnalysisCache::in_data_dir);
            let progress = |p: Progress| {
                t.store(p.total * 2, Ordering::Relaxed);
                d.store(p.done + if p.pass == 2 { p.total } else { 0 }, Ordering::Relaxed);
                repaint();
            };
            let (mut analysis, cache) =
                analyze_cached_for_reading(&s, &LoadOptions::default(), &knowledge, cache.as_ref(), &progress);
            // The user's corrections, on the machine's analysis (the cache holds that one).
            let (corrections, correction_problems) =
                data_dir.as_deref().map(crate::corrections::stored::in_data_dir).unwrap_or_default();
            let outcomes = crate::corrections::apply(&mut analysis, &corrections);
            let corrections = corrections.into_iter().zip(outcomes).collect();
            // Analysed (or read from the cache): the indexes are what is left.
            t.store(usize::MAX, Ordering::Relaxed);
            repaint();
            let index = CorpusIndex::new(&analysis);
            let search = crate::search::SearchIndex::new(&analysis, &index);
            let partners = partners_of(&analysis, &index);
            // What only loading needed is free now: handed back, not kept resident.
            crate::analysis::forget_scratch();
            crate::memory::give_back_freed();
            let corpus = Arc::new(LoadedCorpus {
                source: s,
                analysis,
                index,
                search,
                partners,
                cache,
                gazetteer_warnings: knowledge.warnings.clone(),
                corrections,
                correction_problems,
                generation: next_generation(),
            });
            // The receiver may be gone (a newer load replaced this one): nothing to do then.
            if tx.send(corpus).is_ok() {
                repaint();
            }
        });
        if let Err(e) = spawned {
            eprintln!("sco-reader: cannot start the loading thread: {e}");
        }
        Self { source, done, total, rx }
    }

    /// How far the load is: its phase, and the fraction done.
    pub fn progress(&self) -> LoadProgress {
        let total = self.total.load(Ordering::Relaxed);
        let done = self.done.load(Ordering::Relaxed);
        if total == usize::MAX {
            return LoadProgress { phase: LoadPhase::Indexing, fraction: 1.0 };
        }
        if total == 0 {
            return LoadProgress::default();
        }
        let files = total / 2;
        let phase = if done < files {
            LoadPhase::Reading { done, total: files }
        } else {
            LoadPhase::Analysing { done: done - files, total: files }
        };
        LoadProgress { phase, fraction: done as f32 / total as f32 }
    }

    /// The result, once ready.
    pub fn try_take(&self) -> Option<Arc<LoadedCorpus>> {
        self.rx.try_recv().ok()
    }
}
