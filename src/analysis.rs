//! The analysis of a corpus: the `analyze --json` contract
//! (shared/spec/analysis-json.md), built by the same calls for the CLI, the
//! GUI and the tests.
//!
//! Two parallel passes over the documents with one corpus-wide step between:
//! 1. per document: clean, scan each paragraph (gazetteer, dates, names after
//!    titles), find citations and their signing facts;
//! 2. corpus: the set of names, the agreement registry;
//! 3. per document: recurring names, entities, metadata, events.
//!
//! A failure inside one document costs that document only: it is reported in
//! `errors` and the others are analysed.

use crate::citations::{self, BracketSpan, CitationRef, PlaceMention, Signed};
use crate::clean::{self, Paragraph};
use crate::corpus::{self, CorpusSource, LoadError, LoadOptions, Loaded, RawDocument};
use crate::entities::{self, Entity, EntityKind, NameIndex, ParagraphScan, StoredScan, exact};
use crate::events::{self, Event};
use crate::knowledge::{EntryKind, Knowledge};
use crate::meeting::{self, DocKind, Meeting};
use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHashSet};
use serde::{Deserialize, Serialize};
use std::sync::atomic::{AtomicUsize, Ordering};

/// Version of the JSON contract.
pub const CONTRACT_VERSION: u32 = 1;

/// The whole analysis.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct Analysis {
    /// Always [`CONTRACT_VERSION`].
    pub version: u32,
    /// Documents in source order.
    pub documents: Vec<DocumentAnalysis>,
    /// One entry per distinct agreement.
    pub agreements: Vec<Agreement>,
    /// Files that could not be read, decoded or analysed.
    pub errors: Vec<LoadError>,
}

/// One analysed document.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct DocumentAnalysis {
    /// Unique id (file stem).
    pub id: String,
    /// Path relative to the corpus root.
    pub source: String,
    /// Title (as written, or the one a reader would give it).
    pub title: String,
    /// Kind of document.
    pub kind: DocKind,
    /// The meeting, if any.
    pub meeting: Option<Meeting>,
    /// Cleaned paragraphs.
    pub paragraphs: Vec<Paragraph>,
    /// Entity mentions, by paragraph and start.
    pub entities: Vec<Entity>,
    /// Citations in text order.
    pub citations: Vec<Citation>,
    /// Dated events the text mentions.
    pub events: Vec<Event>,
    /// Detected encoding.
    pub encoding: String,
    /// Non-fatal problems (replaced bytes …).
    pub warnings: Vec<String>,
    /// Number of source lines dropped as debris.
    pub removed_lines: usize,
}

impl DocumentAnalysis {
    /// The meeting's start date, or the first date of the document, for ordering.
    pub fn date(&self) -> Option<&str> {
        self.meeting
            .as_ref()
            .and_then(|m| m.start.as_deref())
            .or_else(|| self.entities.iter().find(|e| e.kind == EntityKind::Date).map(|e| e.canonical.as_str()))
    }
}

/// One cited title.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Citation {
    /// Text inside the brackets.
    pub title: String,
    /// Agreement id.
    pub agreement: String,
    /// Paragraph index.
    pub paragraph: usize,
    /// Start char (the opening bracket).
    pub start: usize,
    /// End char (after the closing bracket).
    pub end: usize,
    /// Signing facts stated at this citation.
    pub signed: Option<Signed>,
    /// Index of the enclosing citation.
    pub parent: Option<usize>,
}

/// A passage citing an agreement.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CitedBy {
    /// Document id.
    pub document: String,
    /// Paragraph index.
    pub paragraph: usize,
    /// Start char of the citation.
    pub start: usize,
    /// End char.
    pub end: usize,
}

/// One distinct agreement.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Agreement {
    /// `a1`, `a2` … in order of first citation.
    pub id: String,
    /// The wording used most often.
    pub title: String,
    /// Every other wording.
    pub variants: Vec<String>,
    /// Signing date and place (the most common statement).
    pub signed: Option<Signed>,
    /// Every citing passage.
    pub cited_by: Vec<CitedBy>,
}

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
    build_segmenter_early();
    finish_all(prepare_source(source, load, knowledge, progress), knowledge, progress)
}

/// The segmenter's dictionary takes a while to build and pass 1 needs it
/// early: build it alongside the loading, not in front of pass 1.
fn build_segmenter_early() {
    let _ = std::thread::Builder::new().name("sco-reader-jieba".to_owned()).spawn(|| {
        crate::segment::jieba();
    });
}

/// Analyses documents already loaded.
pub fn analyze_loaded(loaded: Loaded, knowledge: &Knowledge, progress: &(dyn Fn(Progress) + Sync)) -> Analysis {
    finish_all(prepare(loaded, knowledge, progress), knowledge, progress)
}

/// Pass 2 over every document.
fn finish_all(prepared: Prepared, knowledge: &Knowledge, progress: &(dyn Fn(Progress) + Sync)) -> Analysis {
    let Prepared { docs, agreement_ids, agreements, names, mut errors } = prepared;
    let total = docs.len();
    let done = AtomicUsize::new(0);
    let seconds: Vec<Result<DocumentAnalysis, (String, LoadError)>> = docs
        .into_par_iter()
        .zip(agreement_ids.into_par_iter())
        .with_max_len(1)
        .map(|(doc, ids)| {
            let result = finish_document(doc, &ids, &agreements, &names, knowledge);
            progress(Progress { done: done.fetch_add(1, Ordering::Relaxed) + 1, total, pass: 2 });
            result
        })
        .collect();
    let mut documents = Vec::with_capacity(seconds.len());
    let mut failed = FxHashSet::default();
    for s in seconds {
        match s {
            Ok(d) => documents.push(d),
            Err((id, e)) => {
                failed.insert(id);
                errors.push(e);
            }
        }
    }
    let agreements = without_failed(agreements, &failed);
    errors.sort_by(|a, b| a.source.cmp(&b.source));
    Analysis { version: CONTRACT_VERSION, documents, agreements, errors }
}

/// What [`analyze_to_json`] wrote.
#[derive(Debug, Default)]
pub struct Written {
    /// Documents written.
    pub documents: usize,
    /// Files that could not be read, decoded or analysed (also in the JSON).
    pub errors: Vec<LoadError>,
}

/// Loads, analyses and writes a corpus as the contract's JSON: the bytes
/// [`write_json`] writes for [`analyze_source`]'s analysis. Documents are
/// finished, written and dropped a batch at a time, so the analysis is never
/// held whole (the CLI's `analyze --json`).
pub fn analyze_to_json(
    out: &mut impl std::io::Write,
    source: &CorpusSource,
    load: &LoadOptions,
    knowledge: &Knowledge,
) -> std::io::Result<Written> {
    build_segmenter_early();
    let Prepared { docs, agreement_ids, agreements, names, mut errors } = prepare_source(source, load, knowledge, &|_| {});
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
                crate::json::write_document(&mut json, &doc).map(|()| json).map_err(|e| {
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
    write_agreements(out, &without_failed(agreements, &failed))?;
    errors.sort_by(|a, b| a.source.cmp(&b.source));
    out.write_all(b",\"errors\":")?;
    serde_json::to_writer(&mut *out, &errors)?;
    out.write_all(b"}")?;
    Ok(Written { documents: written, errors })
}

fn write_agreements(out: &mut impl std::io::Write, agreements: &[Agreement]) -> std::io::Result<()> {
    let mut json = Vec::new();
    crate::json::write_agreements(&mut json, agreements)?;
    out.write_all(&json)
}

/// A buffer for a document's JSON, about its size: grown by doubling from
/// empty it would be copied over and over (about 3.5 bytes of JSON for a
/// byte of text, with the entities).
fn json_buffer(doc: &DocumentAnalysis) -> Vec<u8> {
    let text: usize = doc.paragraphs.iter().map(|p| p.text.len()).sum();
    Vec::with_capacity(text.saturating_mul(4).saturating_add(4096))
}

/// Documents finished, serialised and written at a time by [`analyze_to_json`]
/// and [`write_json`].
const JSON_BATCH: usize = 128;

/// Pass 1 and the corpus step done: what pass 2 makes documents of.
struct Prepared {
    docs: Vec<First>,
    /// Per document, the agreement (index in `agreements`) of each citation.
    agreement_ids: Vec<Vec<usize>>,
    agreements: Vec<Agreement>,
    names: NameIndex,
    errors: Vec<LoadError>,
}

/// Pass 1 over documents already loaded, then the corpus step.
fn prepare(loaded: Loaded, knowledge: &Knowledge, progress: &(dyn Fn(Progress) + Sync)) -> Prepared {
    let Loaded { documents, errors } = loaded;
    let total = documents.len();
    let done = AtomicUsize::new(0);
    // One document at a time for each worker (`with_max_len`): rayon would
    // otherwise hand out runs of documents that cannot be split once
    // started, and one core would finish the pass alone (0.1 s on 100 MB).
    let firsts: Vec<Result<First, LoadError>> = documents
        .into_par_iter()
        .with_max_len(1)
        .map(|raw| first_pass_contained(raw, knowledge, &done, total, progress))
        .collect();
    link(firsts, errors)
}

/// Pass 1 over the documents of `source` as they are read: each file is
/// decoded and cleaned on one thread, so the raw corpus is never held whole
/// beside the cleaned one (100 MB less at the peak on 100 MB). Then the
/// corpus step.
///
/// The scan needs the segmenter, which is still being built when the first
/// files come in (0.2 s): until it is ready, files are only cleaned, and
/// scanned once all are read, so no core waits for it.
fn prepare_source(
    source: &CorpusSource,
    load: &LoadOptions,
    knowledge: &Knowledge,
    progress: &(dyn Fn(Progress) + Sync),
) -> Prepared {
    let done = AtomicUsize::new(0);
    let (stages, errors) = corpus::load_each(source, load, |raw, total| match clean_contained(raw) {
        Ok(cleaned) if !crate::segment::is_ready() => Stage::Cleaned(cleaned, total),
        cleaned => Stage::Scanned(scan_contained(cleaned, knowledge, &done, total, progress)),
    });
    let mut firsts: Vec<Result<First, LoadError>> = stages
        .into_par_iter()
        .with_max_len(1)
        .map(|stage| match stage {
            Stage::Scanned(first) => first,
            Stage::Cleaned(cleaned, total) => scan_contained(Ok(cleaned), knowledge, &done, total, progress),
        })
        .collect();
    // Ids in path order, as `corpus::load` gives them: a document that
    // fails pass 1 still takes its id.
    let sources = firsts.iter().map(|f| match f {
        Ok(first) => first.raw.source.as_str(),
        Err(e) => e.source.as_str(),
    });
    let ids = corpus::unique_ids(sources);
    for (first, id) in firsts.iter_mut().zip(ids) {
        if let Ok(first) = first {
            first.raw.id = id;
        }
    }
    link(firsts, errors)
}

/// A document part way through pass 1 while the corpus is read.
enum Stage {
    /// Done (or failed).
    Scanned(Result<First, LoadError>),
    /// Cleaned, to be scanned (with the number of files, for the progress).
    Cleaned(Cleaned, usize),
}

/// Pass 1 of one document, a panic turned into an error for it.
fn first_pass_contained(
    raw: RawDocument,
    knowledge: &Knowledge,
    done: &AtomicUsize,
    total: usize,
    progress: &(dyn Fn(Progress) + Sync),
) -> Result<First, LoadError> {
    scan_contained(clean_contained(raw), knowledge, done, total, progress)
}

/// The cleaner of pass 1, a panic turned into an error for the document.
fn clean_contained(raw: RawDocument) -> Result<Cleaned, LoadError> {
    let source = raw.source.clone();
    contain(&source, || clean_stage(raw)).and_then(|r| r)
}

/// The scan of pass 1, a panic turned into an error for the document; counts it done.
fn scan_contained(
    cleaned: Result<Cleaned, LoadError>,
    knowledge: &Knowledge,
    done: &AtomicUsize,
    total: usize,
    progress: &(dyn Fn(Progress) + Sync),
) -> Result<First, LoadError> {
    let result = cleaned.and_then(|cleaned| {
        let source = cleaned.raw.source.clone();
        contain(&source, || scan_stage(cleaned, knowledge))
    });
    progress(Progress { done: done.fetch_add(1, Ordering::Relaxed) + 1, total, pass: 1 });
    result
}

/// The corpus step between the passes: the set of names and the agreements.
fn link(firsts: Vec<Result<First, LoadError>>, mut errors: Vec<LoadError>) -> Prepared {
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
        || registry(&docs),
    );
    Prepared { docs, agreement_ids, agreements, names, errors }
}

/// An agreement whose only citing document failed in pass 2 keeps its entry
/// but loses the dangling passages.
fn without_failed(agreements: Vec<Agreement>, failed: &FxHashSet<String>) -> Vec<Agreement> {
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

/// Writes `analysis` as the contract's JSON, the same bytes as
/// `serde_json::to_writer`, with documents serialised in parallel (a batch
/// at a time, so the output is never held whole in memory).
pub fn write_json(out: &mut impl std::io::Write, analysis: &Analysis) -> std::io::Result<()> {
    write!(out, "{{\"version\":{},\"documents\":[", analysis.version)?;
    for (b, batch) in analysis.documents.chunks(JSON_BATCH).enumerate() {
        let parts: Vec<Vec<u8>> = batch
            .par_iter()
            .with_max_len(1)
            .map(|doc| {
                let mut json = json_buffer(doc);
                crate::json::write_document(&mut json, doc).map(|()| json)
            })
            .collect::<Result<_, _>>()?;
        for (i, part) in parts.iter().enumerate() {
            if b > 0 || i > 0 {
                out.write_all(b",")?;
            }
            out.write_all(part)?;
        }
    }
    out.write_all(b"],\"agreements\":")?;
    write_agreements(out, &analysis.agreements)?;
    out.write_all(b",\"errors\":")?;
    serde_json::to_writer(&mut *out, &analysis.errors)?;
    out.write_all(b"}")
}

/// Runs `f`, turning a panic into an error for this document.
fn contain<T>(source: &str, f: impl FnOnce() -> T) -> Result<T, LoadError> {
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

/// Pass 2 of one document, a panic turned into an error that names the
/// document's id (its citations are dropped from the agreements).
fn finish_document(
    doc: First,
    ids: &[usize],
    agreements: &[Agreement],
    names: &NameIndex,
    knowledge: &Knowledge,
) -> Result<DocumentAnalysis, (String, LoadError)> {
    let (id, source) = (doc.raw.id.clone(), doc.raw.source.clone());
    contain(&source, || second_pass(doc, ids, agreements, names, knowledge)).map_err(|e| (id, e))
}

/// A citation after pass 1.
struct FirstCitation {
    paragraph: usize,
    span: BracketSpan,
    /// Index of the parent in the document's list.
    parent: Option<usize>,
    title: String,
    /// The title is a bare type noun (《条约》): a short form
    /// ([`citations::is_short_form`], asked once here, in parallel).
    short: bool,
    signed: Option<Signed>,
    /// For a short form (《条约》): the earlier citation it points to.
    points_to: Option<usize>,
}

/// 该协定-style references: paragraph, span, and the citation they point to.
struct Anaphor {
    paragraph: usize,
    start: usize,
    end: usize,
    points_to: usize,
}

struct First {
    raw: RawDocument,
    paragraphs: Vec<Paragraph>,
    removed_lines: usize,
    scans: Vec<StoredScan>,
    citations: Vec<FirstCitation>,
    anaphora: Vec<Anaphor>,
}

/// A document cleaned, not yet scanned.
struct Cleaned {
    raw: RawDocument,
    cleaned: clean::Cleaned,
}

/// Pass 1, first half: the cleaner (needs no segmenter).
fn clean_stage(mut raw: RawDocument) -> Result<Cleaned, LoadError> {
    let cleaned = clean::clean(&raw.text, raw.markdown);
    raw.text = String::new(); // the cleaned paragraphs are all we keep
    if cleaned.paragraphs.is_empty() {
        return Err(LoadError {
            source: raw.source,
            message: "no text: the file is empty or holds only whitespace or debris".to_owned(),
        });
    }
    Ok(Cleaned { raw, cleaned })
}

/// Pass 1, second half: entities, citations and signing facts, paragraph by paragraph.
fn scan_stage(cleaned: Cleaned, knowledge: &Knowledge) -> First {
    let Cleaned { raw, cleaned } = cleaned;
    let mut year = None;
    let mut scans = Vec::with_capacity(cleaned.paragraphs.len());
    let mut citations: Vec<FirstCitation> = Vec::new();
    // For each type noun, the last full citation whose title ends with it.
    let mut last_full: FxHashMap<&'static str, usize> = FxHashMap::default();
    let mut anaphora = Vec::new();
    for (pi, p) in cleaned.paragraphs.iter().enumerate() {
        let scan = entities::scan_paragraph(&p.text, knowledge, &mut year);
        let spans = citations::find_brackets(&scan.chars);
        // Signing facts only matter next to a citation: most paragraphs have none.
        let signed = if spans.is_empty() {
            Vec::new()
        } else {
            let masked = entities::SpanSet::new(spans.iter().map(|s| (s.start, s.end)));
            let dates: Vec<_> = scan.dates.iter().filter(|d| !masked.overlaps(d.start, d.end)).copied().collect();
            let mut places: Vec<PlaceMention> = scan
                .hits
                .iter()
                .filter(|h| h.kind == EntryKind::Place && !masked.overlaps(h.start, h.end))
                .map(|h| PlaceMention { start: h.start, end: h.end, name: knowledge.entry(h.entry).canonical.clone() })
                .chain(scan.extra_places.iter().map(|(s, e, n)| PlaceMention { start: *s, end: *e, name: n.clone() }))
                .collect();
            places.sort_by_key(|p| (p.start, p.end));
            citations::signing_facts(&scan.chars, &spans, &dates, &places)
        };
        let base = citations.len();
        for (si, span) in spans.iter().enumerate() {
            let title = span.title(&scan.chars);
            let short = citations::is_short_form(&title);
            let points_to = if short { last_full.get(title.as_str()).copied() } else { None };
            citations.push(FirstCitation {
                paragraph: pi,
                span: span.clone(),
                parent: span.parent.map(|p| base + p),
                title,
                short,
                signed: signed[si].clone(),
                points_to,
            });
            remember_nouns(&mut last_full, &citations, citations.len() - 1);
        }
        let bracket_spans: Vec<(usize, usize)> = spans.iter().map(|s| (s.start, s.end)).collect();
        for (start, end, noun) in citations::find_anaphora(&scan.chars, &bracket_spans) {
            // The nearest full citation before it with this type noun.
            let before_here = citations.partition_point(|c| c.paragraph < pi || c.span.end <= start);
            let target = (0..before_here).rev().take(64).find(|&j| {
                let c = &citations[j];
                c.points_to.is_none() && !c.short && c.title.ends_with(noun)
            });
            let target = target.or_else(|| last_full.get(noun).copied().filter(|&j| j < before_here));
            if let Some(target) = target {
                anaphora.push(Anaphor { paragraph: pi, start, end, points_to: target });
            }
        }
        // Kept in a compact form until pass 2, without the chars (rebuilt
        // from the text then): kept for every paragraph of the corpus, they
        // would be the biggest part of the memory between the passes.
        scans.push(scan.store());
    }
    let citations = exact(citations);
    First { raw, paragraphs: exact(cleaned.paragraphs), removed_lines: cleaned.removed.len(), scans, citations, anaphora }
}

/// Records citation `i` as the latest full citation for every type noun its title ends with.
fn remember_nouns(last_full: &mut FxHashMap<&'static str, usize>, citations: &[FirstCitation], i: usize) {
    let c = &citations[i];
    if c.points_to.is_some() || c.short {
        return;
    }
    for noun in citations::type_nouns() {
        if c.title.ends_with(noun) {
            last_full.insert(noun, i);
        }
    }
}

/// Links every citation of the corpus; returns per document the agreement
/// (an index into the agreements) of each citation, and the agreements.
/// This is the step between the two parallel passes; its serial parts
/// index by position, not by hashing.
fn registry(docs: &[First]) -> (Vec<Vec<usize>>, Vec<Agreement>) {
    let refs: Vec<CitationRef<'_>> = docs
        .par_iter()
        .enumerate()
        .flat_map_iter(|(d, doc)| {
            doc.citations.iter().enumerate().filter(|(_, cit)| !cit.short).map(move |(c, cit)| CitationRef {
                document: d,
                citation: c,
                title: &cit.title,
                signed: cit.signed.as_ref(),
            })
        })
        .collect();
    let linked = citations::link(&refs);
    let mut group: Vec<Vec<Option<usize>>> = docs.iter().map(|d| vec![None; d.citations.len()]).collect();
    for (r, g) in refs.iter().zip(&linked.agreement_of) {
        group[r.document][r.citation] = Some(*g);
    }
    let mut count = linked.count;
    // Titles of the linked agreements, to resolve a short form by an
    // unbracketed mention (…长期睦邻友好合作条约基础上… 恪守《条约》).
    let mut titles_of: Vec<Vec<&str>> = vec![Vec::new(); linked.count];
    let mut pairs: Vec<(usize, usize)> = linked.agreement_of.iter().copied().zip(linked.wording_of.iter().copied()).collect();
    pairs.sort_unstable();
    pairs.dedup();
    for (g, w) in pairs {
        titles_of[g].push(linked.wordings[w]);
    }
    // Short forms: their antecedent's agreement, or one of their own.
    let mut by_noun: FxHashMap<&str, Candidates<'_>> = FxHashMap::default();
    let mut ids: Vec<Vec<usize>> = Vec::with_capacity(docs.len());
    for (d, doc) in docs.iter().enumerate() {
        let mut doc_ids: Vec<usize> = Vec::with_capacity(doc.citations.len());
        for (c, cit) in doc.citations.iter().enumerate() {
            let g = match (group[d][c], cit.points_to) {
                (Some(g), _) => g,
                (None, Some(target)) => doc_ids.get(target).copied().unwrap_or(0),
                (None, None) => {
                    let candidates = by_noun.entry(&cit.title).or_insert_with(|| Candidates::new(&titles_of, &cit.title));
                    match candidates.mentioned_before(doc, cit) {
                        Some(g) => g,
                        None => {
                            count += 1;
                            count - 1
                        }
                    }
                }
            };
            doc_ids.push(g);
        }
        ids.push(doc_ids);
    }
    // Number agreements in order of first citation.
    let mut order: Vec<Option<usize>> = vec![None; count];
    let mut numbered = 0;
    for g in ids.iter().flatten() {
        if order[*g].is_none() {
            order[*g] = Some(numbered);
            numbered += 1;
        }
    }
    let names: Vec<String> = (1..=numbered).map(|i| format!("a{i}")).collect();
    let number = |g: usize| order[g].unwrap_or(0);
    // The agreements are built on all cores, each core walking its own run
    // of documents in corpus order (the citations of one agreement are
    // spread over the whole corpus: gathered agreement by agreement, each
    // one read would miss the cache), then each agreement's parts are
    // joined in corpus order. This step is otherwise the one serial
    // stretch between the passes.
    let run = docs.len().div_ceil(4 * rayon::current_num_threads()).max(1);
    let parts: Vec<Vec<AgreementBuilder<'_>>> = docs
        .par_chunks(run)
        .zip(ids.par_chunks(run))
        .map(|(docs, ids)| {
            let mut builders: Vec<AgreementBuilder<'_>> = (0..numbered).map(|_| AgreementBuilder::default()).collect();
            for (doc, doc_ids) in docs.iter().zip(ids) {
                for (cit, g) in doc.citations.iter().zip(doc_ids) {
                    builders[number(*g)].add(cit, &doc.raw.id);
                }
            }
            builders
        })
        .collect();
    let mut by_agreement: Vec<Vec<AgreementBuilder<'_>>> = (0..numbered).map(|_| Vec::with_capacity(parts.len())).collect();
    for part in parts {
        for (a, builder) in part.into_iter().enumerate() {
            by_agreement[a].push(builder);
        }
    }
    let agreements = by_agreement
        .into_par_iter()
        .zip(names.par_iter())
        .map(|(parts, name)| parts.into_iter().reduce(AgreementBuilder::merge).unwrap_or_default().finish(name.clone()))
        .collect();
    let numbers = ids.into_par_iter().map(|doc_ids| doc_ids.into_iter().map(number).collect()).collect();
    (numbers, agreements)
}

/// The linked titles ending with one type noun, as `(agreement, title)`
/// sorted, with an automaton finding all of them at once; built once per noun.
struct Candidates<'a> {
    titles: Vec<(usize, &'a str)>,
    phrases: crate::text::PhraseSet,
}

impl<'a> Candidates<'a> {
    fn new(titles_of: &[Vec<&'a str>], noun: &str) -> Self {
        let mut titles: Vec<(usize, &'a str)> = titles_of
            .iter()
            .enumerate()
            .flat_map(|(g, titles)| titles.iter().filter(|t| t.ends_with(noun)).map(move |t| (g, *t)))
            .collect();
        titles.sort_unstable();
        let phrases = crate::text::PhraseSet::new(&titles.iter().map(|(_, t)| *t).collect::<Vec<_>>());
        Self { titles, phrases }
    }

    /// For a short form with no bracketed antecedent: the agreement whose
    /// title (ending with the same noun) was last written out, unbracketed,
    /// in the document before it — only if exactly one agreement fits there.
    fn mentioned_before(&self, doc: &First, cit: &FirstCitation) -> Option<usize> {
        // Each title's last mention as (paragraph, byte); a short form points
        // close by, so search back at most a few paragraphs, newest first.
        let mut last: Vec<Option<(usize, usize)>> = vec![None; self.titles.len()];
        for p in (cit.paragraph.saturating_sub(5)..=cit.paragraph).rev() {
            let Some(text) = doc.paragraphs.get(p).map(|p| p.text.as_str()) else { continue };
            let limit = if p == cit.paragraph { crate::text::byte_of_char(text, cit.span.start) } else { text.len() };
            for m in self.phrases.occurrences(&text[..limit]) {
                match &mut last[m.phrase] {
                    slot @ None => *slot = Some((p, m.start)),
                    Some((q, b)) if *q == p => *b = (*b).max(m.start),
                    Some(_) => {} // already seen in a later paragraph
                }
            }
        }
        let mut best: Option<((usize, usize), usize)> = None;
        let mut ambiguous = false;
        for ((g, _), pos) in self.titles.iter().zip(last) {
            let Some(pos) = pos else { continue };
            match best {
                Some((bp, bg)) if bp == pos && bg != *g => ambiguous = true,
                Some((bp, _)) if bp >= pos => {}
                _ => {
                    best = Some((pos, *g));
                    ambiguous = false;
                }
            }
        }
        if ambiguous { None } else { best.map(|(_, g)| g) }
    }
}

#[derive(Default)]
struct AgreementBuilder<'a> {
    /// Wordings in order of first use, with their counts.
    wordings: Vec<(&'a str, usize)>,
    /// Wording → index in `wordings`.
    wording_index: FxHashMap<&'a str, usize>,
    dates: FxHashMap<&'a str, usize>,
    places: FxHashMap<&'a str, usize>,
    cited_by: Vec<CitedBy>,
}

impl<'a> AgreementBuilder<'a> {
    fn add(&mut self, cit: &'a FirstCitation, doc: &str) {
        // A short form (《条约》) is a way of citing, not a wording, unless it is all there is.
        let short = cit.short;
        let next = self.wordings.len();
        let w = *self.wording_index.entry(&cit.title).or_insert(next);
        if w == next {
            self.wordings.push((&cit.title, 0));
        }
        self.wordings[w].1 += usize::from(!short);
        if let Some(s) = &cit.signed {
            if let Some(d) = &s.date {
                *self.dates.entry(d).or_default() += 1;
            }
            if let Some(p) = &s.place {
                *self.places.entry(p).or_default() += 1;
            }
        }
        self.cited_by.push(CitedBy {
            document: doc.to_owned(),
            paragraph: cit.paragraph,
            start: cit.span.start,
            end: cit.span.end,
        });
    }

    /// This builder followed by `later`, built from the citations after
    /// this one's: the same as one builder given all of them in order.
    fn merge(mut self, later: Self) -> Self {
        for (w, n) in later.wordings {
            let next = self.wordings.len();
            let i = *self.wording_index.entry(w).or_insert(next);
            if i == next {
                self.wordings.push((w, 0));
            }
            self.wordings[i].1 += n;
        }
        for (d, n) in later.dates {
            *self.dates.entry(d).or_default() += n;
        }
        for (p, n) in later.places {
            *self.places.entry(p).or_default() += n;
        }
        self.cited_by.extend(later.cited_by);
        self
    }

    fn finish(self, id: String) -> Agreement {
        let best = self
            .wordings
            .iter()
            .enumerate()
            .max_by(|(ia, (wa, na)), (ib, (wb, nb))| {
                na.cmp(nb).then(wa.chars().count().cmp(&wb.chars().count())).then(ib.cmp(ia))
            })
            .map(|(_, (w, _))| *w)
            .unwrap_or_default();
        let has_full = self.wordings.iter().any(|(w, _)| !citations::is_short_form(w));
        let variants = self
            .wordings
            .iter()
            .filter(|(w, _)| *w != best && !(has_full && citations::is_short_form(w)))
            .map(|(w, _)| (*w).to_owned())
            .collect();
        let pick = |m: &FxHashMap<&str, usize>| {
            m.iter().max_by(|a, b| a.1.cmp(b.1).then_with(|| b.0.cmp(a.0))).map(|(k, _)| (*k).to_owned())
        };
        let signed = Signed { date: pick(&self.dates), place: pick(&self.places) }.non_empty();
        Agreement { id, title: best.to_owned(), variants, signed, cited_by: self.cited_by }
    }
}

fn second_pass(
    doc: First,
    ids: &[usize],
    agreements: &[Agreement],
    names: &NameIndex,
    knowledge: &Knowledge,
) -> DocumentAnalysis {
    // The id of the agreement of citation `c`.
    let id_of = |c: usize| ids.get(c).and_then(|&a| agreements.get(a)).map(|a| a.id.clone()).unwrap_or_default();
    let First { raw, paragraphs, removed_lines, scans, citations: cits, anaphora } = doc;
    let mut scans: Vec<ParagraphScan> =
        scans.into_iter().zip(&paragraphs).map(|(s, p)| ParagraphScan::restore(s, &p.text)).collect();
    let mut entities_out = Vec::new();
    let mut people: Vec<Vec<(usize, usize, String)>> = Vec::with_capacity(paragraphs.len());
    let mut events_out = Vec::new();
    for (pi, scan) in scans.iter().enumerate() {
        let here = &cits[cits.partition_point(|c| c.paragraph < pi)..cits.partition_point(|c| c.paragraph <= pi)];
        let top: Vec<(usize, usize)> = here.iter().filter(|c| c.parent.is_none()).map(|c| (c.span.start, c.span.end)).collect();
        let masked = entities::SpanSet::new(top.iter().copied());
        let mut found: Vec<(usize, usize, String)> = scan.persons.iter().map(|m| (m.start, m.end, m.name.clone())).collect();
        let taken = entities::SpanSet::new(top.iter().copied().chain(found.iter().map(|(s, e, _)| (*s, *e))));
        found.extend(names.find(scan, &taken));
        found.sort();
        entities_out.extend(entities::paragraph_entities(scan, pi, &masked, knowledge, &found));
        events_out.extend(events::events_in(scan, pi, &masked, knowledge));
        people.push(found);
    }
    let mut citations_out = Vec::with_capacity(cits.len());
    for (c, cit) in cits.iter().enumerate() {
        let id = id_of(c);
        let text: String = scans[cit.paragraph].chars[cit.span.start..cit.span.end].iter().collect();
        entities_out.push(Entity {
            kind: EntityKind::Agreement,
            text,
            canonical: id.clone(),
            paragraph: cit.paragraph,
            start: cit.span.start,
            end: cit.span.end,
        });
        if let (Some(signed), None) = (&cit.signed, cit.parent)
            && let Some(date) = &signed.date
        {
            let (start, end) = date.split_once('/').map_or((date.clone(), date.clone()), |(a, b)| (a.to_owned(), b.to_owned()));
            events_out.push(Event {
                label: format!("《{}》", cit.title),
                start,
                end,
                place: signed.place.clone(),
                paragraph: cit.paragraph,
            });
        }
        citations_out.push(Citation {
            title: cit.title.clone(),
            agreement: id,
            paragraph: cit.paragraph,
            start: cit.span.start,
            end: cit.span.end,
            signed: cit.signed.clone(),
            parent: cit.parent,
        });
    }
    for a in &anaphora {
        let text: String = scans[a.paragraph].chars[a.start..a.end].iter().collect();
        let id = id_of(a.points_to);
        entities_out.push(Entity {
            kind: EntityKind::Agreement,
            text,
            canonical: id,
            paragraph: a.paragraph,
            start: a.start,
            end: a.end,
        });
    }
    entities_out.sort_by(|a, b| {
        (a.paragraph, a.start, std::cmp::Reverse(a.end), a.kind).cmp(&(b.paragraph, b.start, std::cmp::Reverse(b.end), b.kind))
    });
    events_out.sort_by(|a, b| (a.paragraph, &a.start).cmp(&(b.paragraph, &b.start)));
    events_out.dedup_by(|a, b| a.label == b.label && a.start == b.start && a.paragraph == b.paragraph);
    let meta = meeting::metadata(&paragraphs, &scans, &people, knowledge);
    scans.iter_mut().for_each(ParagraphScan::recycle_chars);
    DocumentAnalysis {
        id: raw.id,
        source: raw.source,
        title: meta.title,
        kind: meta.kind,
        meeting: meta.meeting,
        paragraphs,
        entities: entities_out,
        citations: citations_out,
        events: events_out,
        encoding: raw.encoding.to_owned(),
        warnings: raw.warnings,
        removed_lines,
    }
}

/// Analyses in-memory texts `(id, text)` with the bundled gazetteer (tests).
#[cfg(test)]
pub(crate) fn analyze_texts(docs: &[(&str, &str)]) -> Analysis {
    let documents = docs
        .iter()
        .map(|(id, text)| RawDocument {
            id: (*id).to_owned(),
            source: format!("{id}.txt"),
            markdown: false,
            text: (*text).to_owned(),
            encoding: "UTF-8",
            warnings: Vec::new(),
        })
        .collect();
    analyze_loaded(Loaded { documents, errors: Vec::new() }, crate::knowledge::bundled(), &|_| {})
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parallel_json_is_byte_for_byte_serde_json() {
        let texts: Vec<(String, String)> = (0..300)
            .map(|i| {
                (format!("d{i}"), format!("2014年9月12日，上海合作组织成员国在杜尚别签署《协定{}》。\n\n第二段\"引号\"。", i % 7))
            })
            .collect();
        let refs: Vec<(&str, &str)> = texts.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
        let analysis = analyze_texts(&refs);
        let mut ours = Vec::new();
        write_json(&mut ours, &analysis).expect("write to a Vec");
        let serde = serde_json::to_vec(&analysis).expect("serialise");
        assert!(ours == serde, "the batched writer differs from serde_json");
    }

    #[test]
    fn streamed_json_is_the_json_of_the_whole_analysis() {
        let dir = tempfile::tempdir().expect("temp dir");
        for i in 0..300 {
            let text = format!(
                "上合组织成员国元首理事会第{i}次会议\n\n2014年9月12日，成员国在杜尚别签署《协定{}》。普京总统出席。\n\n落实《协定{}》。",
                i % 7,
                i % 5
            );
            std::fs::write(dir.path().join(format!("d{i:03}.txt")), text).expect("write");
        }
        std::fs::write(dir.path().join("empty.txt"), "").expect("write"); // an error in the JSON
        let knowledge = crate::knowledge::bundled();
        for source in [CorpusSource::Bundled, CorpusSource::Paths(vec![dir.path().to_path_buf()])] {
            let options = LoadOptions::default();
            let mut streamed = Vec::new();
            let written = analyze_to_json(&mut streamed, &source, &options, knowledge).expect("write to a Vec");
            let analysis = analyze_source(&source, &options, knowledge, &|_| {});
            let mut whole = Vec::new();
            write_json(&mut whole, &analysis).expect("write to a Vec");
            assert!(streamed == whole, "the streamed JSON differs");
            assert_eq!(written.documents, analysis.documents.len());
            assert_eq!(written.errors, analysis.errors);
        }
    }

    #[test]
    fn analysing_while_loading_gives_what_loading_first_gives() {
        let dir = tempfile::tempdir().expect("temp dir");
        for (sub, name, bytes) in [
            ("a", "x.txt", &b"\x00\x01binary\x00"[..]), // fails to decode: takes no id
            ("b", "x.txt", "2014年9月12日，在杜尚别签署《协定》。".as_bytes()),
            ("c", "x.md", "# 标题\n\n落实《协定》。".as_bytes()),
            ("c", "y.txt", &b""[..]), // fails in pass 1: takes its id
            ("d", "y.txt", "普京总统出席。".as_bytes()),
        ] {
            std::fs::create_dir_all(dir.path().join(sub)).expect("dir");
            std::fs::write(dir.path().join(sub).join(name), bytes).expect("write");
        }
        let source = CorpusSource::Paths(vec![dir.path().to_path_buf()]);
        let (options, knowledge) = (LoadOptions::default(), crate::knowledge::bundled());
        let streamed = analyze_source(&source, &options, knowledge, &|_| {});
        let loaded_first = analyze_loaded(corpus::load(&source, &options), knowledge, &|_| {});
        let ids = |a: &Analysis| a.documents.iter().map(|d| d.id.clone()).collect::<Vec<_>>();
        assert_eq!(ids(&streamed), ["x", "x-2", "y-2"]);
        assert_eq!(ids(&streamed), ids(&loaded_first));
        assert_eq!(streamed.errors.len(), 2, "{:?}", streamed.errors);
        assert_eq!(serde_json::to_string(&streamed).expect("json"), serde_json::to_string(&loaded_first).expect("json"));
    }

    #[test]
    fn an_agreement_built_in_parts_is_the_agreement_built_whole() {
        let signed = |date: &str, place: &str| Some(Signed { date: Some(date.to_owned()), place: Some(place.to_owned()) });
        let cits: Vec<(FirstCitation, String)> = (0..50)
            .map(|i| {
                let (title, short) = match i % 4 {
                    0 => ("上海合作组织成员国长期睦邻友好合作条约", false),
                    1 => ("条约", true),
                    2 => ("上合组织成员国长期睦邻友好合作条约", false),
                    _ => ("上海合作组织成员国长期睦邻友好合作条约", false),
                };
                let cit = FirstCitation {
                    paragraph: i,
                    span: BracketSpan { start: i, end: i + 5, parent: None },
                    parent: None,
                    title: title.to_owned(),
                    short,
                    signed: if i % 3 == 0 { signed("2007-08-16", "比什凯克") } else { signed("2007-08-17", "比什凯克") },
                    points_to: None,
                };
                (cit, format!("d{}", i / 7))
            })
            .collect();
        fn build(part: &[(FirstCitation, String)]) -> AgreementBuilder<'_> {
            let mut b = AgreementBuilder::default();
            for (c, doc) in part {
                b.add(c, doc);
            }
            b
        }
        let whole = build(&cits).finish("a1".to_owned());
        for cuts in [vec![1], vec![3, 17], vec![10, 11, 12, 40], vec![49]] {
            let mut parts = Vec::new();
            let mut from = 0;
            for &cut in cuts.iter().chain([&cits.len()]) {
                parts.push(build(&cits[from..cut]));
                from = cut;
            }
            let merged = parts.into_iter().reduce(AgreementBuilder::merge).expect("parts").finish("a1".to_owned());
            assert_eq!(merged, whole, "cut at {cuts:?}");
        }
        assert_eq!(whole.cited_by.len(), 50);
        assert_eq!(whole.signed.as_ref().and_then(|s| s.date.as_deref()), Some("2007-08-17"));
    }

    #[test]
    fn a_panic_in_one_document_costs_that_document_only() {
        let ok = contain("good.txt", || 7);
        assert_eq!(ok, Ok(7));
        let failed: Result<u8, LoadError> = contain("bad.txt", || panic!("a bug"));
        let err = failed.expect_err("contained");
        assert_eq!(err.source, "bad.txt");
        assert!(err.message.contains("internal error") && err.message.contains("a bug"), "{}", err.message);
    }
}
