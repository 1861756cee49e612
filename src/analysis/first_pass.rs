//! Pass 1, per document and in parallel: clean, then scan every paragraph
//! (gazetteer matches, dates, names introduced by titles), find citations
//! and their signing facts, and resolve short forms within the document.
//!
//! What a paragraph's scan found is kept until pass 2 in a compact form
//! ([`StoredScans`]): it is held for every paragraph of the corpus at once.

use super::corpus_step::{Prepared, link};
use super::{Progress, contain};
use crate::citations::registry::DocumentCitations;
use crate::citations::{self, Anaphor, FoundCitation};
use crate::clean;
use crate::clean::Layout;
use crate::corpus::{self, Loaded, RawDocument};
use crate::entities::{self, NameSpan, StoredScans};
use crate::knowledge::{EntryKind, Knowledge};
use crate::model::{LoadError, Origin, Paragraph, SourceRun, exact};
use rayon::prelude::*;
use rustc_hash::FxHashMap;
use std::sync::atomic::{AtomicUsize, Ordering};

/// Pass 1 over documents already loaded, then the corpus step.
pub(super) fn prepare(loaded: Loaded, knowledge: &Knowledge, progress: &(dyn Fn(Progress) + Sync)) -> Prepared {
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

/// Pass 1 of one document, a panic turned into an error for it.
fn first_pass_contained(
    raw: RawDocument,
    knowledge: &Knowledge,
    done: &AtomicUsize,
    total: usize,
    progress: &(dyn Fn(Progress) + Sync),
) -> Result<First, LoadError> {
    scan_contained(clean_contained(raw, knowledge), knowledge, done, total, progress)
}

/// The cleaner of pass 1, a panic turned into an error for the document.
pub(super) fn clean_contained(raw: RawDocument, knowledge: &Knowledge) -> Result<Cleaned, LoadError> {
    let source = raw.source.clone();
    contain(&source, || clean_stage(raw, knowledge)).and_then(|r| r)
}

/// The scan of pass 1, a panic turned into an error for the document; counts it done.
pub(super) fn scan_contained(
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

pub(super) struct First {
    pub(super) raw: RawDocument,
    pub(super) paragraphs: Vec<Paragraph>,
    pub(super) removed_lines: usize,
    /// The dateline the cleaner set apart (scraped pages).
    pub(super) dateline: Option<String>,
    /// The photo captions the cleaner set apart.
    pub(super) captions: Vec<String>,
    pub(super) scans: StoredScans,
    /// Its citations, until [`First::take_linkable`] moves them into what
    /// the corpus step reads (pass 2 reads them there: held once, not twice).
    pub(super) citations: Vec<FoundCitation>,
    pub(super) anaphora: Vec<Anaphor>,
}

/// A [`First`] as it is set aside on disk ([`super::spill`]) once its
/// citations have moved to its [`Linkable`]: its fields in order, the
/// encoding by name and the paragraphs' source maps apart (the JSON form
/// of a paragraph leaves them out).
pub(super) type StoredFirst = (
    (String, String, Layout, String, Vec<String>, Origin, Vec<u32>, usize),
    (Vec<Paragraph>, Vec<Vec<SourceRun>>),
    (usize, Option<String>, Vec<String>),
    (StoredScans, Vec<Anaphor>),
);

impl First {
    /// The document as it is set aside: the bytes of a [`StoredFirst`],
    /// written from borrowed parts.
    pub(super) fn stored(&self) -> postcard::Result<Vec<u8>> {
        debug_assert!(self.citations.is_empty(), "a document is set aside once its citations are in its Linkable");
        let raw = &self.raw;
        let sources: Vec<&[SourceRun]> = self.paragraphs.iter().map(|p| p.source.runs()).collect();
        postcard::to_stdvec(&(
            (&raw.id, &raw.source, raw.layout, raw.encoding, &raw.warnings, &raw.origin, &raw.page_starts, raw.removed_lines),
            (&self.paragraphs, sources),
            (self.removed_lines, &self.dateline, &self.captions),
            (&self.scans, &self.anaphora),
        ))
    }

    /// The document back from [`First::stored`].
    pub(super) fn restored(stored: StoredFirst) -> Self {
        let (
            (id, source, layout, encoding, warnings, origin, page_starts, raw_removed),
            (mut paragraphs, sources),
            (removed_lines, dateline, captions),
            (scans, anaphora),
        ) = stored;
        for (p, runs) in paragraphs.iter_mut().zip(sources) {
            p.source = runs.into();
        }
        let raw = RawDocument {
            id,
            source,
            layout,
            text: String::new(),
            encoding: corpus::encoding_named(&encoding),
            warnings,
            origin,
            page_starts,
            removed_lines: raw_removed,
        };
        Self { raw, paragraphs, removed_lines, dateline, captions, scans, citations: Vec::new(), anaphora }
    }
}

/// A document cleaned, not yet scanned.
pub(super) struct Cleaned {
    raw: RawDocument,
    cleaned: clean::Cleaned,
}

impl Cleaned {
    /// Bytes of its cleaned text.
    pub(super) fn text_bytes(&self) -> usize {
        self.cleaned.paragraphs.iter().map(|p| p.text.len()).sum()
    }
}

/// Pass 1, first half: the cleaner (needs no segmenter).
fn clean_stage(mut raw: RawDocument, knowledge: &Knowledge) -> Result<Cleaned, LoadError> {
    let mut cleaned = clean::clean_as(&raw.text, raw.layout, knowledge);
    // A paged source: each paragraph cites the page its first line is on.
    if !raw.page_starts.is_empty() {
        for p in &mut cleaned.paragraphs {
            if let Some(run) = p.source.runs().first() {
                p.page =
                    std::num::NonZeroU32::new(crate::model::small(raw.page_starts.partition_point(|&start| start <= run.line)));
            }
        }
    }
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
    let mut scans = StoredScans::with_capacity(cleaned.paragraphs.len());
    let mut citations: Vec<FoundCitation> = Vec::new();
    // For each type noun, the last full citation whose title ends with it.
    let mut last_full: FxHashMap<&'static str, usize> = FxHashMap::default();
    let mut anaphora = Vec::new();
    for (pi, p) in cleaned.paragraphs.iter().enumerate() {
        let scan = entities::scan_paragraph(&p.text, knowledge, &mut year);
        // A headline's 《…》 is no citation (nor, in a scraped page, a caption's: the cleaner set those apart).
        let in_headline = pi < 3 && matches!(p.heading, Some(1 | 2));
        let spans = citations::cited_spans(&scan.chars, in_headline);
        // Signing facts only matter next to a citation: most paragraphs have none.
        let signed = if spans.is_empty() {
            Vec::new()
        } else {
            let masked = entities::SpanSet::new(spans.iter().map(|s| (s.start, s.end)));
            let dates: Vec<_> = scan.dates.iter().filter(|d| !masked.overlaps(d.start, d.end)).copied().collect();
            let mut places: Vec<NameSpan> = scan
                .hits
                .iter()
                .filter(|h| h.kind == EntryKind::Place && !masked.overlaps(h.start, h.end))
                .map(|h| NameSpan { start: h.start, end: h.end, name: knowledge.entry(h.entry).canonical.clone() })
                .chain(scan.extra_places.iter().cloned())
                .collect();
            places.sort_by_key(|p| (p.start, p.end));
            citations::signing_facts(&scan.chars, &spans, &dates, &places)
        };
        let base = citations.len();
        for (si, span) in spans.iter().enumerate() {
            let title = span.title(&scan.chars);
            let short = citations::is_short_form(&title);
            let points_to = if short { last_full.get(title.as_str()).copied() } else { None };
            citations.push(FoundCitation {
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
        scans.push(scan);
    }
    scans.shrink_to_fit();
    let citations = exact(citations);
    let removed_lines = cleaned.removed.len() + raw.removed_lines;
    First {
        raw,
        dateline: cleaned.dateline(),
        captions: cleaned.captions(),
        paragraphs: exact(cleaned.paragraphs),
        removed_lines,
        scans,
        citations,
        anaphora,
    }
}

/// Records citation `i` as the latest full citation for every type noun its title ends with.
fn remember_nouns(last_full: &mut FxHashMap<&'static str, usize>, citations: &[FoundCitation], i: usize) {
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

impl First {
    /// What the corpus step reads of this document, its citations moved
    /// into it: kept for every document while the documents themselves
    /// may be set aside, and read by pass 2 for the citations.
    pub(super) fn take_linkable(&mut self) -> Linkable {
        let mut names: Vec<String> = self.scans.persons().iter().map(|p| p.name.clone()).collect();
        names.sort_unstable();
        names.dedup();
        Linkable { names, citing: DocumentCitations::of(&self.paragraphs, std::mem::take(&mut self.citations)) }
    }
}

/// What the corpus step needs of one document: the names introduced by a
/// title in it, and its citations.
#[derive(Clone, Debug, Default, serde::Serialize, serde::Deserialize)]
pub(crate) struct Linkable {
    /// Names found after a title, sorted, each once.
    pub(crate) names: Vec<String>,
    /// Its citations for the agreement registry.
    pub(crate) citing: DocumentCitations,
}
