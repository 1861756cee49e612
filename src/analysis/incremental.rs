//! One run of the analysis over a corpus's files, through the per-document
//! cache when there is one ([`crate::cache`]): each file is hashed, a file
//! whose hash the manifest knows is not analysed again, the corpus-wide
//! step (names, agreements) is redone over what every document keeps for it,
//! and the documents are handed on a batch at a time, in path order, so the
//! analysis is never held whole unless the caller collects it.
//!
//! A stored document depends on the other documents only through the set
//! of names found after a title anywhere in the corpus (a name recurs
//! without its title) and through the agreements' numbers. The numbers are
//! given afresh to every document read back ([`relink`]); the names are
//! kept in the manifest, and when they change, only documents whose text
//! holds a name added or gone are analysed again. So a run over a changed
//! corpus gives byte for byte what a run with no cache gives.

use super::corpus_step::{all_names, link_all, without_failed};
use super::first_pass::{Cleaned, First, Linkable, clean_contained, scan_contained};
use super::second_pass::{finish_document, relink};
use super::spill::{Held, Spill};
use super::{Progress, with_segmenter_alongside};
use crate::cache::{AnalysisCache, Context, CorpusCache, DocumentWriter, EntryName, Outcome, Record, StoredEntry};
use crate::corpus::{self, CorpusSource, ListedFile, LoadOptions};
use crate::knowledge::Knowledge;
use crate::model::{Agreement, DocumentAnalysis, LoadError};
use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHashSet};
use serde::{Deserialize, Serialize};
use std::sync::atomic::{AtomicUsize, Ordering};

/// Documents finished and handed on at a time.
const BATCH: usize = 128;

/// What the cache keeps of a corpus between runs.
#[derive(Serialize, Deserialize)]
struct Manifest {
    context: Context,
    /// Every name found after a title in the corpus, sorted: the stored
    /// documents were analysed with these.
    names: Vec<String>,
    /// Every file, in path order.
    files: Vec<StoredFile>,
}

/// A file waiting for stage 2: its place, its key (when cached), what stage 1 made of it.
type Pending<'a> = ((usize, (Option<[u8; 32]>, Got)), &'a ListedFile);

/// A file through stage 2: what the manifest keeps of it, and its document (or why not).
type Finish = (Kept, Result<Option<DocumentAnalysis>, LoadError>);

/// A [`Finish`] with what the caller's `each` made of its document.
type Made<T> = (Kept, Result<Option<std::io::Result<T>>, LoadError>);

/// What stage 2 keeps of a file for the manifest.
enum Kept {
    /// Nothing (no cache, or its document could not be stored).
    Nothing,
    /// What the manifest says of it.
    File(StoredFile),
    /// Analysed now: its record, which the manifest names once it has a
    /// place in a pack.
    Analysed { source: String, key: [u8; 32], linkable: Linkable, entry: EntryName, record: Record },
}

/// Bytes of cleaned text that may wait for the segmenter.
const WAITING_BUDGET_BYTES: usize = 32 << 20;

/// A count of bytes against a limit, shared by threads.
struct Budget {
    used: AtomicUsize,
    limit: usize,
}

impl Budget {
    /// Takes `bytes` if they fit.
    fn hold(&self, bytes: usize) -> bool {
        if self.used.fetch_add(bytes, Ordering::Relaxed) + bytes <= self.limit {
            return true;
        }
        self.used.fetch_sub(bytes, Ordering::Relaxed);
        false
    }
}

/// What the manifest keeps of one file.
#[derive(Clone, Serialize, Deserialize)]
struct StoredFile {
    source: String,
    /// [`corpus::file_key`]: its path and bytes.
    key: [u8; 32],
    state: FileState,
}

#[derive(Clone, Serialize, Deserialize)]
enum FileState {
    /// Cannot be read or decoded: no document and no id.
    Unreadable(String),
    /// Decoded, but its analysis failed in pass 1: an id, no document.
    Failed(String),
    /// Through pass 1: what the corpus step reads of it, and its document
    /// (or why pass 2 failed).
    Linked { linkable: Linkable, entry: Result<StoredEntry, String> },
}

/// What a run ends with besides the documents.
pub(super) struct Finished {
    /// The agreements, numbered by first citation.
    pub(super) agreements: Vec<Agreement>,
    /// Files that could not be read, decoded or analysed, sorted by source.
    pub(super) errors: Vec<LoadError>,
    /// Documents handed on.
    pub(super) documents: usize,
    /// What the cache did.
    pub(super) outcome: Outcome,
}

/// One file after the first stage.
enum Got {
    /// Known to the manifest (its index there).
    Known(usize),
    /// Analysed through pass 1 now.
    Fresh { linkable: Linkable, held: Held },
    /// Cleaned while the segmenter was still being built: scanned next.
    Cleaned(Box<Cleaned>),
    /// Failed in pass 1.
    Failed(LoadError),
    /// Cannot be read or decoded.
    Unreadable(LoadError),
}

/// The cache of one corpus in use for a run.
struct Store {
    corpus: CorpusCache,
    context: Context,
}

/// Analyses `source`, through `cache` when given: each document is handed
/// to `each` on the worker that finished it (while it is still in that
/// core's cache), and what `each` made of it to `sink`, a batch at a time
/// in path order. Pass 1's results beyond `spill_above` bytes (estimated)
/// wait for pass 2 on disk.
#[expect(clippy::too_many_arguments, reason = "what is analysed and how, then the two steps each document goes through")]
pub(super) fn run<T: Send>(
    source: &CorpusSource,
    options: &LoadOptions,
    knowledge: &Knowledge,
    cache: Option<&AnalysisCache>,
    progress: &(dyn Fn(Progress) + Sync),
    spill_above: usize,
    each: &(dyn Fn(DocumentAnalysis) -> std::io::Result<T> + Sync),
    sink: &mut dyn FnMut(Vec<T>) -> std::io::Result<()>,
) -> std::io::Result<Finished> {
    let store = cache.and_then(|c| Context::of(options, knowledge).map(|context| Store { corpus: c.corpus(source), context }));
    let manifest: Option<Manifest> =
        store.as_ref().and_then(|s| s.corpus.read_manifest::<Manifest>().filter(|m| m.context == s.context));
    let spill = Spill::in_dir(store.as_ref().map_or_else(std::env::temp_dir, |s| s.corpus.dir().to_path_buf()), spill_above);
    let (files, mut errors) = corpus::list(source);

    // Stage 1: hash each file; pass 1 over those the manifest does not know.
    let known: FxHashMap<(&str, [u8; 32]), usize> =
        manifest.iter().flat_map(|m| m.files.iter().enumerate().map(|(i, f)| ((f.source.as_str(), f.key), i))).collect();
    let total = files.len();
    let done = AtomicUsize::new(0);
    // Cleaned files waiting for the segmenter, up to a budget: beyond it a
    // file's scan waits for the segmenter rather than the memory fill up.
    let waiting = Budget { used: AtomicUsize::new(0), limit: WAITING_BUDGET_BYTES };
    let stage = || -> Vec<(Option<[u8; 32]>, Got)> {
        let firsts: Vec<(Option<[u8; 32]>, Got)> = files
            .par_iter()
            .with_max_len(1)
            .map(|file| {
                let bytes = file.read(options);
                let key = store.as_ref().map(|_| corpus::file_key(&file.relative, bytes.as_deref().map_err(String::as_str)));
                if let Some(&i) = key.and_then(|k| known.get(&(file.relative.as_str(), k))) {
                    progress(Progress { done: done.fetch_add(1, Ordering::Relaxed) + 1, total, pass: 1 });
                    return (key, Got::Known(i));
                }
                let raw = bytes
                    .map_err(|message| LoadError { source: file.relative.clone(), message })
                    .and_then(|bytes| file.convert(&bytes, options));
                let got = match raw {
                    Err(e) => {
                        progress(Progress { done: done.fetch_add(1, Ordering::Relaxed) + 1, total, pass: 1 });
                        Got::Unreadable(e)
                    }
                    Ok(raw) => match clean_contained(raw, knowledge) {
                        Ok(cleaned) if !knowledge.segmenter_is_ready() && waiting.hold(cleaned.text_bytes()) => {
                            Got::Cleaned(Box::new(cleaned))
                        }
                        cleaned => fresh(scan_contained(cleaned, knowledge, &done, total, progress), &spill),
                    },
                };
                (key, got)
            })
            .collect();
        firsts
            .into_par_iter()
            .with_max_len(1)
            .map(|(key, got)| match got {
                Got::Cleaned(cleaned) => (key, fresh(scan_contained(Ok(*cleaned), knowledge, &done, total, progress), &spill)),
                got => (key, got),
            })
            .collect()
    };
    // With nothing stored, every file is analysed: the segmenter is built
    // while the first files are read and cleaned. Otherwise it is built
    // only if a file needs it.
    let mut got = if manifest.is_none() { with_segmenter_alongside(knowledge, stage) } else { stage() };

    // The names of the corpus now; documents stored with other names are
    // analysed again where a name added or gone occurs in them.
    let names: Vec<String> = all_names(got.iter().filter_map(|(_, g)| linkable_in(g, manifest.as_ref())));
    // Whether a stored document was analysed again below: read afresh, a
    // file may have changed or gone since it was hashed, and the name
    // index is then made from what the documents hold now.
    let mut analysed_again = false;
    if let (Some(m), Some(store)) = (&manifest, &store) {
        let changed = symmetric_difference(&names, &m.names);
        analysed_again = !changed.is_empty();
        if !changed.is_empty() {
            let phrases = crate::text::PhraseSet::new(&changed);
            got.par_iter_mut().with_max_len(1).zip(files.par_iter()).for_each(|((_, g), file)| {
                let Got::Known(i) = g else { return };
                let FileState::Linked { entry, .. } = &m.files[*i].state else { return };
                let holds_a_changed_name = entry
                    .as_ref()
                    .ok()
                    .and_then(|e| store.corpus.read_document(e))
                    .is_none_or(|(_, doc)| doc.paragraphs.iter().any(|p| phrases.occurrences(&p.text).next().is_some()));
                if holds_a_changed_name {
                    *g = analyse_again(file, options, knowledge, &spill);
                }
            });
        }
    }

    // Ids in path order over the files that decode (one that fails pass 1 still takes its id).
    let has_id = |g: &Got| match g {
        Got::Unreadable(_) => false,
        Got::Known(i) => !matches!(manifest.as_ref().map(|m| &m.files[*i].state), Some(FileState::Unreadable(_))),
        _ => true,
    };
    let ids = corpus::unique_ids(files.iter().zip(&got).filter(|(_, (_, g))| has_id(g)).map(|(f, _)| f.relative.as_str()));
    let mut id_of: Vec<Option<&str>> = Vec::with_capacity(files.len());
    let mut next_id = ids.iter();
    for (_, g) in &got {
        id_of.push(if has_id(g) { next_id.next().map(String::as_str) } else { None });
    }

    // The corpus step over every document through pass 1.
    let linked: Vec<usize> = (0..got.len()).filter(|&i| linkable_in(&got[i].1, manifest.as_ref()).is_some()).collect();
    let (name_index, (agreement_ids, agreements)) = {
        let link_ids: Vec<&str> = linked.iter().map(|&i| id_of[i].unwrap_or_default()).collect();
        let linkables: Vec<&Linkable> = linked.iter().filter_map(|&i| linkable_in(&got[i].1, manifest.as_ref())).collect();
        let index_names = if analysed_again { all_names(linkables.iter().copied()) } else { names.clone() };
        link_all(&link_ids, &linkables, index_names)
    };
    let names_key = blake3::hash(names.join("\n").as_bytes());

    // The manifest's entries move on to the new manifest (a stored file is
    // not copied: at 1 GB the entries are hundreds of megabytes); what
    // tells an unchanged corpus is kept aside.
    let had_manifest = manifest.is_some();
    let old_files: Vec<(String, [u8; 32])> =
        manifest.as_ref().map(|m| m.files.iter().map(|f| (f.source.clone(), f.key)).collect()).unwrap_or_default();
    let mut known_files: Vec<Option<StoredFile>> = manifest.map(|m| m.files.into_iter().map(Some).collect()).unwrap_or_default();

    // Stage 2: every document finished (or read back) and handed on, in order.
    let mut stored_files: Vec<StoredFile> = Vec::with_capacity(files.len());
    let mut agreement_of: FxHashMap<usize, &[usize]> = FxHashMap::default();
    for (n, &i) in linked.iter().enumerate() {
        agreement_of.insert(i, &agreement_ids[n]);
    }
    let analysed = AtomicUsize::new(0);
    let not_stored: std::sync::Mutex<Option<String>> = std::sync::Mutex::new(None);
    let mut failed = FxHashSet::default();
    let mut written = 0;
    let finished = AtomicUsize::new(0);
    let finish_one = |i: usize, key: Option<[u8; 32]>, g: Got, file: &ListedFile, known: Option<StoredFile>| -> Finish {
        let id = id_of[i].unwrap_or_default();
        let ids = agreement_of.get(&i).copied().unwrap_or_default();
        let stored = |state: FileState| {
            key.map_or(Kept::Nothing, |key| Kept::File(StoredFile { source: file.relative.clone(), key, state }))
        };
        let finish = |linkable: Linkable, held: Held| {
            analysed.fetch_add(1, Ordering::Relaxed);
            let result = spill.take(held, &file.relative).and_then(|mut first| {
                first.raw.id = id.to_owned();
                finish_document(first, &linkable.citing.found, ids, &agreements, &name_index, knowledge).map_err(|(_, e)| e)
            });
            progress(Progress { done: finished.fetch_add(1, Ordering::Relaxed) + 1, total: linked.len(), pass: 2 });
            match result {
                Ok((doc, refs)) => {
                    let kept = match key.zip(store.as_ref()) {
                        None => Kept::Nothing,
                        Some((key, store)) => {
                            let entry = EntryName::of(&[store.context.bytes(), &key, names_key.as_bytes()]);
                            match CorpusCache::record(&entry, &refs, &doc) {
                                Ok(record) => Kept::Analysed { source: file.relative.clone(), key, linkable, entry, record },
                                Err(e) => {
                                    remember(&not_stored, format!("cannot write the analysis cache: {e}"));
                                    Kept::Nothing
                                }
                            }
                        }
                    };
                    (kept, Ok(Some(doc)))
                }
                Err(e) => (stored(FileState::Linked { linkable, entry: Err(e.message.clone()) }), Err(e)),
            }
        };
        match g {
            Got::Fresh { linkable, held } => finish(linkable, held),
            Got::Unreadable(e) => (stored(FileState::Unreadable(e.message.clone())), Err(e)),
            Got::Failed(e) => (stored(FileState::Failed(e.message.clone())), Err(e)),
            Got::Cleaned(_) => (Kept::Nothing, Ok(None)), // never left after stage 1
            Got::Known(_) => {
                let Some(known) = known else { return (Kept::Nothing, Ok(None)) };
                let error = |message: &String| LoadError { source: file.relative.clone(), message: message.clone() };
                match &known.state {
                    FileState::Unreadable(message)
                    | FileState::Failed(message)
                    | FileState::Linked { entry: Err(message), .. } => {
                        let e = error(message);
                        (Kept::File(known), Err(e))
                    }
                    FileState::Linked { entry: Ok(entry), linkable } => {
                        let read = store.as_ref().and_then(|s| s.corpus.read_document(entry));
                        match read {
                            Some((refs, mut doc)) if doc.source == file.relative => {
                                relink(&mut doc, &refs, ids, &agreements);
                                doc.id = id.to_owned();
                                progress(Progress {
                                    done: finished.fetch_add(1, Ordering::Relaxed) + 1,
                                    total: linked.len(),
                                    pass: 2,
                                });
                                (Kept::File(known), Ok(Some(doc)))
                            }
                            // Gone or damaged: analysed again (same file, same names).
                            _ => match analyse_again(file, options, knowledge, &spill) {
                                Got::Fresh { held, .. } => finish(linkable.clone(), held),
                                Got::Failed(e) | Got::Unreadable(e) => (Kept::Nothing, Err(e)),
                                _ => (Kept::Nothing, Ok(None)),
                            },
                        }
                    }
                }
            }
        }
    };
    let mut writer: Option<DocumentWriter> = store.as_ref().map(|s| s.corpus.writer());
    let mut items = got.into_iter().enumerate().zip(files.iter());
    loop {
        let batch: Vec<(Pending<'_>, Option<StoredFile>)> = items
            .by_ref()
            .take(BATCH)
            .map(|pending| {
                let known = match &pending.0.1.1 {
                    Got::Known(k) => known_files.get_mut(*k).and_then(Option::take),
                    _ => None,
                };
                (pending, known)
            })
            .collect();
        if batch.is_empty() {
            break;
        }
        let results: Vec<(Made<T>, Option<&str>)> = batch
            .into_par_iter()
            .with_max_len(1)
            .map(|(((i, (key, g)), file), known)| {
                let (stored, result) = finish_one(i, key, g, file, known);
                ((stored, result.map(|doc| doc.map(each))), id_of[i])
            })
            .collect();
        let mut documents = Vec::with_capacity(results.len());
        for ((kept, result), id) in results {
            match kept {
                Kept::Nothing => {}
                Kept::File(file) => stored_files.push(file),
                Kept::Analysed { source, key, linkable, entry, record } => {
                    if let Some(writer) = writer.as_mut() {
                        let at = writer.add(record);
                        let entry = Ok(StoredEntry { entry, at });
                        stored_files.push(StoredFile { source, key, state: FileState::Linked { linkable, entry } });
                    }
                }
            }
            match result {
                Ok(Some(made)) => documents.push(made?),
                Ok(None) => {}
                Err(e) => {
                    failed.extend(id.map(str::to_owned));
                    errors.push(e);
                }
            }
        }
        if let Some(writer) = writer.as_mut() {
            writer.end_pack();
        }
        written += documents.len();
        sink(documents)?;
    }
    drop(agreement_of);
    if let Some(Err(why)) = writer.map(DocumentWriter::finish) {
        remember(&not_stored, why);
    }

    let agreements = without_failed(agreements, &failed);
    errors.sort_by(|a, b| a.source.cmp(&b.source));
    let analysed = analysed.into_inner();
    let outcome = match store {
        None => Outcome::Uncached,
        Some(store) => {
            let unchanged = had_manifest
                && analysed == 0
                && old_files.len() == stored_files.len()
                && old_files.iter().zip(&stored_files).all(|((source, key), b)| *source == b.source && *key == b.key);
            let mut problem = not_stored.into_inner().ok().flatten();
            if !unchanged {
                let mut places: Vec<&mut StoredEntry> = stored_files
                    .iter_mut()
                    .filter_map(|f| match &mut f.state {
                        FileState::Linked { entry: Ok(stored), .. } => Some(stored),
                        _ => None,
                    })
                    .collect();
                if let Err(why) = store.corpus.compact(&mut places) {
                    problem.get_or_insert(why);
                }
                let manifest = Manifest { context: store.context, names, files: stored_files };
                match store.corpus.write_manifest(&manifest) {
                    Ok(()) => {
                        let keep: FxHashSet<crate::cache::PackName> = manifest
                            .files
                            .iter()
                            .filter_map(|f| match &f.state {
                                FileState::Linked { entry: Ok(stored), .. } => Some(stored.at.pack),
                                _ => None,
                            })
                            .collect();
                        store.corpus.sweep(|e| keep.contains(e));
                    }
                    Err(e) => problem = Some(format!("cannot write the analysis cache: {e}")),
                }
            }
            match problem {
                Some(why) => Outcome::NotStored(why),
                None if unchanged => Outcome::Hit,
                None => Outcome::Stored { analysed },
            }
        }
    };
    Ok(Finished { agreements, errors, documents: written, outcome })
}

/// What the corpus step reads of a file through pass 1 (now or when stored).
fn linkable_in<'a>(got: &'a Got, manifest: Option<&'a Manifest>) -> Option<&'a Linkable> {
    match got {
        Got::Fresh { linkable, .. } => Some(linkable),
        Got::Known(i) => match manifest.map(|m| &m.files[*i].state) {
            Some(FileState::Linked { linkable, .. }) => Some(linkable),
            _ => None,
        },
        _ => None,
    }
}

/// A document through pass 1, kept for pass 2.
fn fresh(first: Result<First, LoadError>, spill: &Spill) -> Got {
    match first {
        Ok(mut first) => Got::Fresh { linkable: first.take_linkable(), held: spill.hold(first) },
        Err(e) => Got::Failed(e),
    }
}

/// Pass 1 again over a file the manifest knows (read afresh).
fn analyse_again(file: &ListedFile, options: &LoadOptions, knowledge: &Knowledge, spill: &Spill) -> Got {
    match file.load(options) {
        Err(e) => Got::Unreadable(e),
        Ok(raw) => {
            let uncounted = AtomicUsize::new(0);
            fresh(scan_contained(clean_contained(raw, knowledge), knowledge, &uncounted, 1, &|_| {}), spill)
        }
    }
}

/// The first problem a run met storing its documents.
fn remember(slot: &std::sync::Mutex<Option<String>>, why: String) {
    if let Ok(mut slot) = slot.lock() {
        slot.get_or_insert(why);
    }
}

/// Names in one sorted list and not the other.
fn symmetric_difference(a: &[String], b: &[String]) -> Vec<String> {
    let (a_set, b_set): (FxHashSet<&String>, FxHashSet<&String>) = (a.iter().collect(), b.iter().collect());
    a.iter().filter(|n| !b_set.contains(n)).chain(b.iter().filter(|n| !a_set.contains(n))).cloned().collect()
}

#[cfg(test)]
mod tests;
