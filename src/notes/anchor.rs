//! Finding a note's passage again after the document changed.
//!
//! A note keeps a W3C TextQuoteSelector (quote, prefix, suffix) and a
//! position. Its place is **exact** only when the quote and both sides of
//! its context are still there at the stored position. Otherwise every
//! occurrence of the quote in the document is a candidate, scored by how
//! much of the stored context surrounds it (edit distance, so one changed
//! word beside the quote costs a little, not everything) and by its
//! distance from the old place; the best candidate is accepted as **moved**
//! only above a minimum. Below it the note is **orphaned**: kept and shown
//! with its stored quote, never dropped and never silently put on other
//! words that happen to be the same.
//!
//! The document is found by the file's relative path first (so a note
//! follows its file when a newcomer beside it changes the file's id), then
//! by id.

use super::Note;
use crate::model::{Analysis, DocIx, DocumentAnalysis};

/// Context similarity (0..=1, mean of prefix and suffix) a moved place needs.
pub const MIN_CONTEXT: f64 = 0.6;

/// A quote this long (chars) that occurs once in the document is its own
/// evidence: it needs only [`MIN_CONTEXT_UNIQUE`] of its context.
pub const DISTINCTIVE_QUOTE_CHARS: usize = 12;

/// Context similarity a distinctive, unique quote needs.
pub const MIN_CONTEXT_UNIQUE: f64 = 0.25;

/// Where a note is now.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Anchor {
    /// At its stored place, with its quote and context unchanged.
    Exact {
        /// Document index.
        doc: DocIx,
        /// Paragraph.
        paragraph: usize,
        /// Start char.
        start: usize,
        /// End char.
        end: usize,
    },
    /// The quote was found elsewhere (or its context changed).
    Moved {
        /// Document index.
        doc: DocIx,
        /// Paragraph now.
        paragraph: usize,
        /// Start char now.
        start: usize,
        /// End char now.
        end: usize,
        /// The paragraph the note was made on.
        from: usize,
    },
    /// The passage is gone (or cannot be told from other words like it).
    Orphaned,
}

/// The three states, as the exports and `notes list --json` name them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AnchorStatus {
    /// At its stored place.
    Exact,
    /// Found elsewhere.
    Moved,
    /// Not found.
    Orphaned,
}

impl AnchorStatus {
    /// `exact`, `moved` or `orphaned`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Exact => "exact",
            Self::Moved => "moved",
            Self::Orphaned => "orphaned",
        }
    }
}

impl Anchor {
    /// `(doc, paragraph, start, end)` unless orphaned.
    pub fn place(&self) -> Option<(DocIx, usize, usize, usize)> {
        match *self {
            Self::Exact { doc, paragraph, start, end } | Self::Moved { doc, paragraph, start, end, .. } => {
                Some((doc, paragraph, start, end))
            }
            Self::Orphaned => None,
        }
    }

    /// Exact, moved or orphaned.
    pub fn status(&self) -> AnchorStatus {
        match self {
            Self::Exact { .. } => AnchorStatus::Exact,
            Self::Moved { .. } => AnchorStatus::Moved,
            Self::Orphaned => AnchorStatus::Orphaned,
        }
    }

    /// The paragraph a moved note was made on.
    pub fn moved_from(&self) -> Option<usize> {
        match *self {
            Self::Moved { from, .. } => Some(from),
            _ => None,
        }
    }

    /// `exact`, `moved from ¶N` (1-based), or `orphaned` (English; the
    /// window has its own words).
    pub fn describe(&self) -> String {
        match self.moved_from() {
            Some(from) => format!("moved from ¶{}", from + 1),
            None => self.status().as_str().to_owned(),
        }
    }
}

/// Resolves a note against an analysis.
pub fn resolve(note: &Note, analysis: &Analysis) -> Anchor {
    for d in documents_of(note, analysis) {
        let Some(doc) = analysis.doc(d) else { continue };
        let anchor = resolve_in(note, d, doc);
        if anchor.place().is_some() {
            return anchor;
        }
    }
    Anchor::Orphaned
}

/// The document a note belongs to: the candidates, best first.
///
/// 1. the file the note was made on (same relative path);
/// 2. the document with the note's id, when it is the same file name;
/// 3. the same file opened from another folder (one relative path ends
///    with the other);
/// 4. for notes made before paths were stored: the documents whose id
///    without its extension is the note's id.
///
/// Among several, the one whose text is unchanged since the note comes first.
pub fn documents_of(note: &Note, analysis: &Analysis) -> Vec<DocIx> {
    let docs = &analysis.documents;
    let ix = |i: usize| DocIx(i);
    let mut found: Vec<DocIx> = Vec::new();
    if !note.source.is_empty() {
        found.extend(docs.iter().enumerate().filter(|(_, d)| d.source == note.source).map(|(i, _)| ix(i)));
    }
    if found.is_empty()
        && let Some(d) = analysis.doc_ix(&note.doc)
        && (note.source.is_empty() || file_name(&docs[d.0].source) == file_name(&note.source))
    {
        found.push(d);
    }
    if found.is_empty() && !note.source.is_empty() {
        found.extend(docs.iter().enumerate().filter(|(_, d)| same_file_elsewhere(&d.source, &note.source)).map(|(i, _)| ix(i)));
    }
    if found.is_empty() && note.source.is_empty() {
        found.extend(docs.iter().enumerate().filter(|(_, d)| strip_extension(&d.id) == note.doc).map(|(i, _)| ix(i)));
    }
    if found.len() > 1 {
        let hash_of = |d: &DocIx| super::text_hash(&docs[d.0].paragraphs);
        found.sort_by_key(|d| hash_of(d) != note.doc_hash);
    }
    found
}

fn file_name(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

fn strip_extension(id: &str) -> &str {
    let name_start = id.rfind('/').map_or(0, |i| i + 1);
    match id[name_start..].rfind('.') {
        Some(dot) if dot > 0 => &id[..name_start + dot],
        _ => id,
    }
}

/// `2019/report.txt` and `report.txt` (or `a/2019/report.txt`): the same
/// file reached from another folder.
fn same_file_elsewhere(a: &str, b: &str) -> bool {
    let (long, short) = if a.len() >= b.len() { (a, b) } else { (b, a) };
    long != short && long.ends_with(short) && long[..long.len() - short.len()].ends_with('/')
}

/// Resolves a note within one document.
pub fn resolve_in(note: &Note, d: DocIx, doc: &DocumentAnalysis) -> Anchor {
    if note.quote.is_empty() {
        return Anchor::Orphaned;
    }
    let prefix_len = note.prefix.chars().count();
    let suffix_len = note.suffix.chars().count();
    let quote_len = note.quote.chars().count();
    // Exact: the quote and its whole context at the stored place.
    if let Some(p) = doc.paragraphs.get(note.paragraph) {
        let chars: Vec<char> = p.text.chars().collect();
        if note.end <= chars.len() && note.start < note.end {
            let here: String = chars[note.start..note.end].iter().collect();
            let before: String = chars[note.start.saturating_sub(super::CONTEXT_CHARS)..note.start].iter().collect();
            let after: String = chars[note.end..(note.end + super::CONTEXT_CHARS).min(chars.len())].iter().collect();
            if here == note.quote && before == note.prefix && after == note.suffix {
                return Anchor::Exact { doc: d, paragraph: note.paragraph, start: note.start, end: note.end };
            }
        }
    }
    // Every occurrence of the quote, scored by its context.
    struct Candidate {
        paragraph: usize,
        start: usize,
        context: f64,
        score: f64,
    }
    let mut best: Option<Candidate> = None;
    let mut occurrences = 0usize;
    for (pi, p) in doc.paragraphs.iter().enumerate() {
        let mut char_at = CharCounter::new(&p.text);
        for (byte, _) in p.text.match_indices(note.quote.as_str()) {
            occurrences += 1;
            let start = char_at.chars_before(byte);
            let before = tail_chars(&p.text[..byte], prefix_len);
            let after: String = p.text[byte + note.quote.len()..].chars().take(suffix_len).collect();
            let context = (similarity(before, &note.prefix) + similarity(&after, &note.suffix)) / 2.0;
            let distance = pi.abs_diff(note.paragraph).min(100) as f64;
            // Among equal contexts (repeated boilerplate), the nearest.
            let score = context - distance * 0.001;
            if best.as_ref().is_none_or(|b| score > b.score) {
                best = Some(Candidate { paragraph: pi, start, context, score });
            }
        }
    }
    let Some(best) = best else { return Anchor::Orphaned };
    let distinctive = occurrences == 1 && quote_len >= DISTINCTIVE_QUOTE_CHARS;
    let needed = if distinctive { MIN_CONTEXT_UNIQUE } else { MIN_CONTEXT };
    if best.context + 1e-9 < needed {
        return Anchor::Orphaned;
    }
    Anchor::Moved { doc: d, paragraph: best.paragraph, start: best.start, end: best.start + quote_len, from: note.paragraph }
}

/// 1 − normalised edit distance (1 when both are empty).
fn similarity(a: &str, b: &str) -> f64 {
    strsim::normalized_levenshtein(a, b)
}

/// The last `n` chars of `s`.
fn tail_chars(s: &str, n: usize) -> &str {
    if n == 0 {
        return "";
    }
    match s.char_indices().rev().nth(n - 1) {
        Some((i, _)) => &s[i..],
        None => s,
    }
}

/// Char offsets of increasing byte offsets in one string, counted once.
struct CharCounter<'a> {
    text: &'a str,
    byte: usize,
    chars: usize,
}

impl<'a> CharCounter<'a> {
    fn new(text: &'a str) -> Self {
        Self { text, byte: 0, chars: 0 }
    }

    fn chars_before(&mut self, byte: usize) -> usize {
        self.chars += self.text[self.byte..byte].chars().count();
        self.byte = byte;
        self.chars
    }
}

#[cfg(test)]
mod tests;
