//! Notes on passages: the model, how a note finds its passage again
//! (anchoring), and the SQLite store.

pub mod anchor;
pub mod store;

use serde::{Deserialize, Serialize};

/// Colours a note can have (names are stable; the GUI maps them to RGB).
pub const COLORS: [&str; 5] = ["yellow", "green", "blue", "pink", "purple"];

/// Characters of context kept on each side of a note's quote.
pub const CONTEXT_CHARS: usize = 32;

/// A note anchored to a passage of a document.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Note {
    /// Store id.
    pub id: i64,
    /// Document id.
    pub doc: String,
    /// The document's file, relative to the corpus root (`2019/report.txt`):
    /// the note follows its file when the file's id changes. Empty for
    /// notes made before paths were stored, until they are resolved once.
    #[serde(default)]
    pub source: String,
    /// Hash of the document's cleaned text when the note was made.
    pub doc_hash: String,
    /// Paragraph index.
    pub paragraph: usize,
    /// Start char in the paragraph.
    pub start: usize,
    /// End char (exclusive).
    pub end: usize,
    /// The exact text noted (W3C TextQuoteSelector `exact`).
    pub quote: String,
    /// Text before it.
    pub prefix: String,
    /// Text after it.
    pub suffix: String,
    /// The note (Markdown).
    pub text: String,
    /// One of [`COLORS`].
    pub color: String,
    /// Tags.
    pub tags: Vec<String>,
    /// Creation time (RFC 3339, UTC).
    pub created: String,
    /// Last change (RFC 3339, UTC).
    pub updated: String,
}

/// What a new note says, before the store gives it an id.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct NewNote {
    /// Document id.
    pub doc: String,
    /// Paragraph index.
    pub paragraph: usize,
    /// Start char.
    pub start: usize,
    /// End char.
    pub end: usize,
    /// Note text (Markdown).
    pub text: String,
    /// Colour name.
    pub color: String,
    /// Tags.
    pub tags: Vec<String>,
}

/// Why a note cannot be made.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum NoteError {
    /// No such document.
    #[error("no document with id {0:?} in the corpus")]
    UnknownDocument(String),
    /// No such paragraph.
    #[error("document {doc:?} has {count} paragraphs; there is no paragraph {paragraph}")]
    BadParagraph {
        /// Document id.
        doc: String,
        /// Paragraphs in it.
        count: usize,
        /// Asked for.
        paragraph: usize,
    },
    /// The span is empty or outside the paragraph.
    #[error("span {start}..{end} is not inside paragraph {paragraph} ({len} characters)")]
    BadSpan {
        /// Paragraph.
        paragraph: usize,
        /// Start.
        start: usize,
        /// End.
        end: usize,
        /// Paragraph length.
        len: usize,
    },
    /// Unknown colour.
    #[error("unknown colour {0:?} (one of yellow, green, blue, pink, purple)")]
    BadColor(String),
}

/// A stable hash of a document's cleaned text (FNV-1a, 64 bits, hex).
pub fn text_hash(paragraphs: &[crate::model::Paragraph]) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for p in paragraphs {
        for b in p.text.bytes().chain(std::iter::once(b'\n')) {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    }
    format!("{h:016x}")
}

/// The current time, RFC 3339 in UTC, to the second.
pub fn now() -> String {
    humantime::format_rfc3339_seconds(std::time::SystemTime::now()).to_string()
}

/// Checks a new note against the analysis and fills in its anchor.
pub fn prepare(analysis: &crate::model::Analysis, new: &NewNote) -> Result<Note, NoteError> {
    let doc = analysis.documents.iter().find(|d| d.id == new.doc).ok_or_else(|| NoteError::UnknownDocument(new.doc.clone()))?;
    let para = doc.paragraphs.get(new.paragraph).ok_or(NoteError::BadParagraph {
        doc: new.doc.clone(),
        count: doc.paragraphs.len(),
        paragraph: new.paragraph,
    })?;
    let chars: Vec<char> = para.text.chars().collect();
    if new.start >= new.end || new.end > chars.len() {
        return Err(NoteError::BadSpan { paragraph: new.paragraph, start: new.start, end: new.end, len: chars.len() });
    }
    let color = if new.color.is_empty() { COLORS[0].to_owned() } else { new.color.clone() };
    if !COLORS.contains(&color.as_str()) {
        return Err(NoteError::BadColor(color));
    }
    let now = now();
    let mut tags: Vec<String> = new.tags.iter().map(|t| t.trim().to_owned()).filter(|t| !t.is_empty()).collect();
    tags.sort();
    tags.dedup();
    Ok(Note {
        id: 0,
        doc: new.doc.clone(),
        source: doc.source.clone(),
        doc_hash: text_hash(&doc.paragraphs),
        paragraph: new.paragraph,
        start: new.start,
        end: new.end,
        quote: chars[new.start..new.end].iter().collect(),
        prefix: chars[new.start.saturating_sub(CONTEXT_CHARS)..new.start].iter().collect(),
        suffix: chars[new.end..(new.end + CONTEXT_CHARS).min(chars.len())].iter().collect(),
        text: new.text.clone(),
        color,
        tags,
        created: now.clone(),
        updated: now,
    })
}

/// Ties notes to their files: a note made before paths were stored gets
/// the path of the one document it belongs to, and a note whose file's id
/// changed (a file with the same stem came beside it) gets the new id.
/// Ambiguous notes are left as they are. Returns how many were changed.
pub fn adopt_files(store: &mut store::NoteStore, analysis: &crate::model::Analysis) -> Result<usize, store::StoreError> {
    let mut changed = 0;
    if store.is_read_only() {
        return Ok(0);
    }
    for note in store.list(None)? {
        let candidates = anchor::documents_of(&note, analysis);
        let Some(first) = candidates.first().and_then(|d| analysis.doc(*d)) else { continue };
        let certain = candidates.len() == 1 || text_hash(&first.paragraphs) == note.doc_hash;
        let stale = note.source.is_empty() || (note.source == first.source && note.doc != first.id);
        if certain && stale && store.set_source(note.id, &first.id, &first.source)? {
            changed += 1;
        }
    }
    Ok(changed)
}
