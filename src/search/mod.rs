//! Phrase search over the cleaned text of every document.
//!
//! Width-folded (full-width letters, digits and brackets match half-width
//! ones, one char for one char, so offsets hold for the text as written),
//! straight over the analysis's paragraphs on all cores, in place where
//! the window holds a document's texts one after another: no copy of the
//! corpus is made ([`folded`]). With `expand_sco`, 上合组织 and 上海合作组织
//! find each other.

mod folded;

use crate::entities::ByteToChar;
use crate::index::{CorpusIndex, snippet};
use crate::model::EntityKind;
use crate::model::{Analysis, DocIx, ParagraphSpan};
use crate::text::fold;
use folded::FoldedFinder;
use serde::Serialize;

/// Search options.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SearchOptions {
    /// Let 上合组织 and 上海合作组织 match each other.
    pub expand_sco: bool,
    /// Only documents that mention this entity.
    pub entity: Option<(EntityKind, String)>,
    /// Only documents that cite this agreement (id).
    pub agreement: Option<String>,
    /// Stop collecting hits after this many (counting goes on). 0: no limit.
    pub max_hits: usize,
}

/// One hit.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SearchHit {
    /// Document id.
    pub document: String,
    /// Document index (not serialised).
    #[serde(skip)]
    pub doc: DocIx,
    /// Paragraph index.
    pub paragraph: usize,
    /// Start char in the paragraph.
    pub start: usize,
    /// End char (exclusive).
    pub end: usize,
    /// Text around the hit.
    pub snippet: String,
}

/// Hits grouped by document, documents in timeline order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SearchResults {
    /// The query as given.
    pub query: String,
    /// Hits, by document in timeline order, then paragraph and offset.
    pub hits: Vec<SearchHit>,
    /// `(document index, hits)` in timeline order.
    pub per_document: Vec<(DocIx, usize)>,
    /// All hits, including those past `max_hits`.
    pub total: usize,
}

/// Why a search could not run.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum SearchError {
    /// Nothing to look for.
    #[error("the query is empty")]
    EmptyQuery,
}

/// What the search keeps besides the analysis: the documents' timeline ranks.
pub struct SearchIndex {
    /// Timeline rank of each document.
    rank: Vec<usize>,
    /// Bytes of text searched.
    bytes: usize,
}

/// Characters of context on each side of a hit.
pub const SNIPPET_CHARS: usize = 24;

/// One hit located in its document: paragraph, start and end char (12
/// bytes: a common word has some hundred thousand hits at 1 GB).
#[derive(Clone, Copy)]
struct Located {
    /// Paragraph index.
    paragraph: u32,
    /// Start char in the paragraph.
    start: u32,
    /// End char (exclusive).
    end: u32,
}

impl Located {
    /// A hit; positions past `u32::MAX` (which no paragraph reaches: texts
    /// are cut at 4 GiB) are held as `u32::MAX`.
    fn new(paragraph: usize, start: usize, end: usize) -> Self {
        let narrow = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
        Self { paragraph: narrow(paragraph), start: narrow(start), end: narrow(end) }
    }

    /// Paragraph index.
    fn paragraph(self) -> usize {
        self.paragraph as usize
    }

    /// Start char.
    fn start(self) -> usize {
        self.start as usize
    }

    /// End char.
    fn end(self) -> usize {
        self.end as usize
    }
}

/// The finders for a query and, with `expand`, its variants.
fn finders(folded: &str, expand: bool) -> Vec<FoldedFinder> {
    variants(folded, expand).iter().filter_map(|v| FoldedFinder::new(v)).collect()
}

/// Scratch space for one document's search, kept per thread.
#[derive(Default)]
struct Scratch {
    /// The document's paragraphs joined, each followed by `\n`, when they
    /// are not already one run of text in a shared buffer (see
    /// [`find_in_document`]).
    text: String,
    /// Where each paragraph of the text searched starts in it.
    starts: Vec<usize>,
    /// Hits as byte ranges in the text searched.
    raw: Vec<(usize, usize)>,
    /// The document's runs of paragraphs whose texts follow each other in
    /// one buffer, as paragraph ranges.
    runs: Vec<std::ops::Range<usize>>,
}

/// Every hit of `finders` in `doc`, in text order, as `(paragraph, start
/// char, end char)`.
///
/// memchr runs much faster over one long text than over hundreds of short
/// paragraphs. The window holds a document's paragraphs one after another
/// in a shared buffer ([`crate::model::ParagraphText`]), so they are
/// searched there, in place, a run of them at a time, and a place running
/// from one paragraph into the next is dropped. Paragraphs held apart are
/// first joined in a copy, each followed by `\n` (which no query holds).
fn find_in_document(
    doc: &crate::model::DocumentAnalysis,
    finders: &[FoldedFinder],
    scratch: &mut Scratch,
    mut hit: impl FnMut(usize, usize, usize),
) {
    let paragraphs = &doc.paragraphs;
    let Scratch { text, starts, raw, runs } = scratch;
    runs.clear();
    let mut first = 0;
    for p in 1..=paragraphs.len() {
        if paragraphs.get(p).is_none_or(|next| !next.text.follows(&paragraphs[p - 1].text)) {
            runs.push(first..p);
            first = p;
        }
    }
    // Paragraphs held apart: one copy beats a call per paragraph.
    if runs.len() > 1 + paragraphs.len() / 32 {
        text.clear();
        starts.clear();
        for para in paragraphs {
            starts.push(text.len());
            text.push_str(&para.text);
            text.push('\n');
        }
        find_in_text(text, starts, 0, finders, raw, &mut hit);
        return;
    }
    for run in runs.iter() {
        let (Some(head), Some(tail)) = (paragraphs.get(run.start), paragraphs.get(run.end.wrapping_sub(1))) else {
            continue;
        };
        let Some(joined) = head.text.through(&tail.text) else { continue };
        starts.clear();
        let mut at = 0;
        for para in &paragraphs[run.clone()] {
            starts.push(at);
            at += para.text.len();
        }
        find_in_text(joined, starts, run.start, finders, raw, &mut hit);
    }
}

/// The hits of `finders` in `text`, the paragraphs from `first` on read as
/// one (paragraph `first + i` starting at byte `starts[i]`), as `(paragraph,
/// start char, end char)`; a place across two paragraphs does not count.
fn find_in_text(
    text: &str,
    starts: &[usize],
    first: usize,
    finders: &[FoldedFinder],
    raw: &mut Vec<(usize, usize)>,
    hit: &mut impl FnMut(usize, usize, usize),
) {
    let paragraph_of = |b: usize| starts.partition_point(|&s| s <= b).saturating_sub(1);
    let end_of = |p: usize| starts.get(p + 1).copied().unwrap_or(text.len());
    raw.clear();
    for finder in finders {
        finder.find_all(text, raw, |b, e| e <= end_of(paragraph_of(b)));
    }
    if finders.len() > 1 {
        raw.sort_unstable();
        raw.dedup_by_key(|(b, _)| *b);
    }
    // Hits are sorted: walk the paragraph table forward.
    let mut current: Option<(usize, usize, ByteToChar<'_>)> = None; // (paragraph, its start, converter)
    for &(b, e) in raw.iter() {
        let p = paragraph_of(b);
        if current.as_ref().is_none_or(|(cp, ..)| *cp != p) {
            let Some(&start) = starts.get(p) else { continue };
            let Some(para) = text.get(start..end_of(p)) else { continue };
            current = Some((p, start, ByteToChar::new(para)));
        }
        let Some((_, start, conv)) = current.as_mut() else { continue };
        let from = conv.char_of(b - *start);
        let to = conv.char_of(e - *start);
        hit(first + p, from, to);
    }
}

impl SearchIndex {
    /// Ready to search an analysis: the documents ranked as on the timeline.
    pub fn new(analysis: &Analysis, index: &CorpusIndex) -> Self {
        let mut rank = vec![usize::MAX; analysis.documents.len().max(index.timeline.len())];
        for (r, row) in index.timeline.iter().enumerate() {
            if let Some(slot) = rank.get_mut(row.doc.0) {
                *slot = r;
            }
        }
        let bytes = analysis.documents.iter().flat_map(|d| &d.paragraphs).map(|p| p.text.len()).sum();
        Self { rank, bytes }
    }

    /// Bytes of text searched.
    pub fn len(&self) -> usize {
        self.bytes
    }

    /// True for an empty corpus.
    pub fn is_empty(&self) -> bool {
        self.bytes == 0
    }

    /// Finds every occurrence of `query`.
    pub fn search(&self, analysis: &Analysis, query: &str, options: &SearchOptions) -> Result<SearchResults, SearchError> {
        use rayon::prelude::*;
        let folded = fold(query.trim());
        if folded.is_empty() || folded.contains('\n') {
            return Err(SearchError::EmptyQuery);
        }
        let allowed = allowed_documents(analysis, options);
        let finders = finders(&folded, options.expand_sco);
        // Each document on its own, on all cores; documents with no hit give nothing.
        let mut per_doc: Vec<(usize, Vec<Located>)> = analysis
            .documents
            .par_iter()
            .enumerate()
            .filter(|(d, _)| allowed.as_ref().is_none_or(|a| a[*d]))
            .map_init(Scratch::default, |scratch, (d, doc)| {
                let mut located = Vec::new();
                find_in_document(doc, &finders, scratch, |p, start, end| located.push(Located::new(p, start, end)));
                (d, located)
            })
            .filter(|(_, l)| !l.is_empty())
            .collect();
        // Documents in timeline order; each one's hits are in text order.
        per_doc.sort_unstable_by_key(|(d, _)| (self.rank.get(*d).copied().unwrap_or(usize::MAX), *d));
        let total = per_doc.iter().map(|(_, l)| l.len()).sum();
        let keep = if options.max_hits == 0 { total } else { options.max_hits.min(total) };
        // Snippets through a char→byte cursor kept per paragraph: hits come
        // in text order, so each paragraph is walked about once, however
        // many hits it holds (linear, not hits × paragraph length).
        let mut cursor: Option<((usize, usize), CharCursor<'_>)> = None;
        let hits = per_doc
            .iter()
            .flat_map(|(d, located)| located.iter().map(move |l| (*d, l.paragraph(), l.start(), l.end())))
            .take(keep)
            .map(|(d, p, start, end)| {
                let doc = &analysis.documents[d];
                let text = doc.paragraphs.get(p).map_or("", |x| x.text.as_str());
                if cursor.as_ref().is_none_or(|(at, _)| *at != (d, p)) {
                    cursor = Some(((d, p), CharCursor::new(text)));
                }
                let snippet = match cursor.as_mut() {
                    Some((_, c)) => c.snippet(start, end, SNIPPET_CHARS),
                    None => snippet(text, start, end, SNIPPET_CHARS).0,
                };
                SearchHit { document: doc.id.clone(), doc: DocIx(d), paragraph: p, start, end, snippet }
            })
            .collect();
        let per_document = per_doc.iter().map(|(d, l)| (DocIx(*d), l.len())).collect();
        Ok(SearchResults { query: query.to_owned(), hits, per_document, total })
    }
}

/// Byte offsets of char offsets in one text, found by moving from the last
/// one asked (forward or back), so offsets asked in text order cost one walk.
struct CharCursor<'a> {
    text: &'a str,
    byte: usize,
    chars: usize,
}

impl<'a> CharCursor<'a> {
    fn new(text: &'a str) -> Self {
        Self { text, byte: 0, chars: 0 }
    }

    /// The byte offset of char `c` (the text's length past its end).
    fn byte_of(&mut self, c: usize) -> usize {
        while self.chars < c {
            match self.text[self.byte..].chars().next() {
                Some(ch) => {
                    self.byte += ch.len_utf8();
                    self.chars += 1;
                }
                None => return self.text.len(),
            }
        }
        while self.chars > c {
            match self.text[..self.byte].chars().next_back() {
                Some(ch) => {
                    self.byte -= ch.len_utf8();
                    self.chars -= 1;
                }
                None => break,
            }
        }
        self.byte
    }

    /// The text `radius` chars around `start..end`, with `…` where it is cut
    /// (what [`snippet`] gives).
    fn snippet(&mut self, start: usize, end: usize, radius: usize) -> String {
        let from = self.byte_of(start.saturating_sub(radius));
        let to = self.byte_of(end.saturating_add(radius));
        let mut s = String::with_capacity(to - from + 6);
        if from > 0 {
            s.push('…');
        }
        s.push_str(&self.text[from..to]);
        if to < self.text.len() {
            s.push('…');
        }
        s
    }
}

/// Occurrences of `query` in one document: `(paragraph, start, end)` in chars,
/// folded like the corpus search. Empty for an empty query.
pub fn search_document(doc: &crate::model::DocumentAnalysis, query: &str, expand_sco: bool) -> Vec<ParagraphSpan> {
    DocumentSearch::new(query, expand_sco).find_in(doc)
}

/// A query made ready once and looked for in document after document (a
/// term over time reads every dated document of the corpus).
pub struct DocumentSearch {
    finders: Vec<FoldedFinder>,
}

impl DocumentSearch {
    /// `query`, folded like the corpus search; with `expand_sco`, 上合组织
    /// and 上海合作组织 find each other.
    pub fn new(query: &str, expand_sco: bool) -> Self {
        Self { finders: finders(&fold(query.trim()), expand_sco) }
    }

    /// The occurrences in `doc`, as [`search_document`] gives them.
    pub fn find_in(&self, doc: &crate::model::DocumentAnalysis) -> Vec<ParagraphSpan> {
        let mut out = Vec::new();
        find_in_document(doc, &self.finders, &mut Scratch::default(), |paragraph, start, end| {
            out.push(ParagraphSpan { paragraph, start, end });
        });
        out
    }
}

/// The query and, with `expand`, its 上合组织 ↔ 上海合作组织 variants.
fn variants(query: &str, expand: bool) -> Vec<String> {
    let mut out = vec![query.to_owned()];
    if expand {
        for (a, b) in [("上合组织", "上海合作组织"), ("上海合作组织", "上合组织")] {
            if query.contains(a) {
                out.push(query.replace(a, b));
            }
        }
    }
    out.sort();
    out.dedup();
    out
}

fn allowed_documents(analysis: &Analysis, options: &SearchOptions) -> Option<Vec<bool>> {
    if options.entity.is_none() && options.agreement.is_none() {
        return None;
    }
    Some(
        analysis
            .documents
            .iter()
            .map(|d| {
                let entity_ok =
                    options.entity.as_ref().is_none_or(|(k, c)| d.entities.iter().any(|e| e.kind == *k && e.canonical == *c));
                let agreement_ok = options.agreement.as_ref().is_none_or(|id| d.citations.iter().any(|c| c.agreement == *id));
                entity_ok && agreement_ok
            })
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn corpus(docs: &[(&str, &str)]) -> (Analysis, CorpusIndex) {
        let a = crate::analysis::analyze_texts(docs);
        let i = CorpusIndex::new(&a);
        (a, i)
    }

    #[test]
    fn finds_words_broken_across_lines_with_char_offsets() {
        let (a, i) = corpus(&[("a", "2015年1月1日，会议在阿斯\n\n塔纳举行。\n\n阿斯塔纳很冷。\n")]);
        let s = SearchIndex::new(&a, &i);
        let r = s.search(&a, "阿斯塔纳", &SearchOptions::default()).expect("search");
        assert_eq!(r.total, 2);
        let h = &r.hits[0];
        let text = &a.documents[0].paragraphs[h.paragraph].text;
        assert_eq!(text.chars().skip(h.start).take(h.end - h.start).collect::<String>(), "阿斯塔纳");
        assert!(h.snippet.contains("阿斯塔纳"));
    }

    #[test]
    fn folds_width_and_optionally_the_sco_name() {
        let (a, i) = corpus(&[("a", "２０１４年（总理）上合组织会议。\n\n上海合作组织会议。\n")]);
        let s = SearchIndex::new(&a, &i);
        assert_eq!(s.search(&a, "2014年(总理)", &SearchOptions::default()).expect("s").total, 1);
        assert_eq!(s.search(&a, "上合组织会议", &SearchOptions::default()).expect("s").total, 1);
        let expanded = SearchOptions { expand_sco: true, ..SearchOptions::default() };
        assert_eq!(s.search(&a, "上合组织会议", &expanded).expect("s").total, 2);
        assert_eq!(s.search(&a, "  ", &SearchOptions::default()), Err(SearchError::EmptyQuery));
    }

    #[test]
    fn texts_searched_in_place_give_what_texts_held_apart_give() {
        let (mut a, i) = corpus(&[("a", "一。\n"), ("b", "总总理。\n")]);
        let texts = ["会议由总", "总总理主持，总", "总", "", "干塔什干塔什", "干。"];
        let model = a.documents[0].paragraphs[0].clone();
        a.documents[0].paragraphs =
            texts.iter().map(|t| crate::model::Paragraph { text: (*t).into(), ..model.clone() }).collect();
        let found = |a: &Analysis| {
            let s = SearchIndex::new(a, &i);
            ["总总", "总", "塔什干", "干塔", "主持，总总"]
                .map(|q| s.search(a, q, &SearchOptions::default()).map(|r| r.hits).unwrap_or_default())
        };
        let apart = found(&a);
        crate::analysis::pack_texts(&mut a.documents);
        let paragraphs = &a.documents[0].paragraphs;
        assert!(paragraphs[5].text.follows(&paragraphs[4].text), "packed one after another");
        let in_place = found(&a);
        assert_eq!(in_place, apart);
        let places = |hits: &[SearchHit]| {
            let mut places: Vec<_> = hits.iter().map(|h| (h.document.clone(), h.paragraph, h.start, h.end)).collect();
            places.sort();
            places
        };
        // A place across two paragraphs is none, and hides none.
        assert_eq!(places(&in_place[0]), [("a".to_owned(), 1, 0, 2), ("b".to_owned(), 0, 0, 2)]);
        assert_eq!(places(&in_place[2]), [("a".to_owned(), 4, 1, 4)]);
        assert_eq!(places(&in_place[3]), [("a".to_owned(), 4, 0, 2), ("a".to_owned(), 4, 3, 5)]);
        assert!(in_place[4].is_empty());
        assert_eq!(in_place[1].len(), 7);
    }

    #[test]
    fn snippets_through_the_cursor_are_those_of_snippet() {
        let text = "上海合作组织成员国abc，各方同意加强合作。上合组织秘书处设在北京。";
        let mut c = CharCursor::new(text);
        let n = text.chars().count();
        for (start, end) in [(0, 2), (3, 6), (10, 12), (n - 2, n), (5, 9), (1, 3)] {
            assert_eq!(c.snippet(start, end, 4), snippet(text, start, end, 4).0, "{start}..{end}");
        }
    }

    #[test]
    fn searches_one_document() {
        let (a, _) = corpus(&[("a", "合作很好。\n\n合作，再合作。\n")]);
        let spans: Vec<(usize, usize, usize)> =
            search_document(&a.documents[0], "合作", false).iter().map(|s| (s.paragraph, s.start, s.end)).collect();
        assert_eq!(spans, vec![(0, 0, 2), (1, 0, 2), (1, 4, 6)]);
        assert!(search_document(&a.documents[0], " ", false).is_empty());
    }

    #[test]
    fn groups_by_document_in_timeline_order_and_filters() {
        let (a, i) = corpus(&[
            ("late", "2020年1月1日，会议在北京举行。合作很好。\n"),
            ("early", "2010年1月1日，会议在塔什干举行。合作很好，合作。\n"),
        ]);
        let s = SearchIndex::new(&a, &i);
        let r = s.search(&a, "合作", &SearchOptions::default()).expect("s");
        let docs: Vec<&str> = r.hits.iter().map(|h| h.document.as_str()).collect();
        assert_eq!(docs, ["early", "early", "late"]);
        assert_eq!(r.per_document.len(), 2);
        let only = SearchOptions { entity: Some((EntityKind::Place, "北京".to_owned())), ..SearchOptions::default() };
        let r = s.search(&a, "合作", &only).expect("s");
        assert_eq!(r.total, 1);
        let capped = SearchOptions { max_hits: 1, ..SearchOptions::default() };
        let r = s.search(&a, "合作", &capped).expect("s");
        assert_eq!((r.hits.len(), r.total), (1, 3));
    }
}
