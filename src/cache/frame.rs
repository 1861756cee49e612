//! One document as the cache stores it: its fields in order, with its
//! entities stored small (each one's text as a byte range of its paragraph
//! and its canonical name as an index into the document's list of names:
//! 1.5 million entities on 100 MB, which otherwise make most of the strings
//! to allocate and check when a document is read back), then its
//! paragraphs' source maps (which the JSON leaves out).

use crate::model::paragraph_text;
use crate::model::{Citation, DocKind, DocumentAnalysis, Entity, EntityKind, Event, Meeting, Name, Paragraph, SourceRun};
use serde::{Deserialize, Serialize};

/// One document as stored: the fields of [`DocumentAnalysis`] in order, the
/// entities replaced by the names they use and [`StoredEntity`]s, then the
/// paragraphs' source maps (which the JSON leaves out).
type Frame = (
    String,
    String,
    String,
    DocKind,
    Option<Meeting>,
    Vec<Paragraph>,
    Vec<Name>,
    Vec<StoredEntity>,
    Vec<Citation>,
    Vec<Event>,
    String,
    Vec<String>,
    usize,
    Option<String>,
    Vec<String>,
    (Vec<Vec<SourceRun>>, crate::model::Origin),
);

/// An entity as stored: its text is bytes `from..to` of its paragraph, its
/// canonical name the document's name number `name`.
#[derive(Serialize, Deserialize)]
struct StoredEntity {
    kind: EntityKind,
    name: usize,
    paragraph: usize,
    start: usize,
    end: usize,
    from: usize,
    to: usize,
}

/// `d` as its frame, appended to `out`.
pub(super) fn encode_document(d: &DocumentAnalysis, out: Vec<u8>) -> postcard::Result<Vec<u8>> {
    // Every field by name: a new one fails to compile here until it is stored.
    let DocumentAnalysis {
        id,
        source,
        title,
        kind,
        meeting,
        paragraphs,
        entities,
        citations,
        events,
        encoding,
        warnings,
        removed_lines,
        dateline,
        captions,
        origin,
    } = d;
    let mut names: Vec<&str> = Vec::new();
    let mut name_of: rustc_hash::FxHashMap<&str, usize> = rustc_hash::FxHashMap::default();
    // Entities come by paragraph, mostly in order: the byte offset of a
    // char is counted on from the last one asked for in the same paragraph.
    let mut cursor = CharCursor::default();
    let mut stored = Vec::with_capacity(entities.len());
    for e in entities {
        let (paragraph, start, end) = e.place();
        let name = *name_of.entry(e.canonical.as_str()).or_insert_with(|| {
            names.push(e.canonical.as_str());
            names.len() - 1
        });
        let text = paragraphs.get(paragraph).map_or("", |p| p.text.as_str());
        // The cursor stays at the start (starts come in order, an entity
        // inside another after it), the end is counted on from a copy.
        let from = cursor.byte_of(paragraph, text, start);
        let to = cursor.clone().byte_of(paragraph, text, end);
        let (from, to) = match (from, to) {
            (Some(from), Some(to)) if from <= to => (from, to),
            // Not inside its paragraph (never made by the analysis): an
            // empty range, which fails the check on reading (a miss).
            _ => (usize::MAX, usize::MAX),
        };
        stored.push(StoredEntity { kind: e.kind, name, paragraph, start, end, from, to });
    }
    let sources: Vec<&[SourceRun]> = paragraphs.iter().map(|p| p.source.runs()).collect();
    postcard::to_extend(
        &(
            id,
            source,
            title,
            kind,
            meeting,
            paragraphs,
            names,
            stored,
            citations,
            events,
            encoding,
            warnings,
            removed_lines,
            dateline,
            captions,
            (sources, origin),
        ),
        out,
    )
}

/// A place in one paragraph's text: char `char` starts at byte `byte`.
#[derive(Clone, Default)]
struct CharCursor {
    paragraph: Option<usize>,
    char: usize,
    byte: usize,
}

impl CharCursor {
    /// The byte where char `char` of `text` (paragraph `paragraph`) starts,
    /// or its length for the char just past the end; `None` beyond.
    fn byte_of(&mut self, paragraph: usize, text: &str, char: usize) -> Option<usize> {
        if self.paragraph != Some(paragraph) || char < self.char {
            *self = Self { paragraph: Some(paragraph), char: 0, byte: 0 };
        }
        // Char by char from the lead bytes (`text` is UTF-8).
        let bytes = text.as_bytes();
        let (mut at, mut n) = (self.byte, self.char);
        while n < char {
            let lead = *bytes.get(at)?;
            at += match lead {
                0..=0x7f => 1,
                0xc0..=0xdf => 2,
                0xe0..=0xef => 3,
                _ => 4,
            };
            n += 1;
        }
        (self.char, self.byte) = (n, at);
        Some(at)
    }
}

/// One document back from its frame; `None` if anything does not fit.
pub(super) fn decode_document(frame: &[u8]) -> Option<DocumentAnalysis> {
    let (
        id,
        source,
        title,
        kind,
        meeting,
        mut paragraphs,
        names,
        stored,
        citations,
        events,
        encoding,
        warnings,
        removed_lines,
        dateline,
        captions,
        (sources, origin),
    ) = {
        let (frame, texts) = paragraph_text::read_into_one_buffer(frame.len(), || postcard::from_bytes::<Frame>(frame).ok());
        let mut frame = frame?;
        for p in &mut frame.5 {
            texts.give(&mut p.text);
        }
        frame
    };
    if sources.len() != paragraphs.len() {
        return None;
    }
    let entities = stored
        .into_iter()
        .map(|e| {
            // The stored bytes of its text must still be a piece of its paragraph.
            paragraphs.get(e.paragraph)?.text.get(e.from..e.to)?;
            Some(Entity::new(e.kind, *names.get(e.name)?, e.paragraph, e.start, e.end))
        })
        .collect::<Option<Vec<Entity>>>()?;
    for (p, runs) in paragraphs.iter_mut().zip(sources) {
        p.source = runs.into();
    }
    let mut doc = DocumentAnalysis {
        id,
        source,
        title,
        kind,
        meeting,
        paragraphs,
        entities,
        citations,
        events,
        encoding,
        warnings,
        removed_lines,
        dateline,
        captions,
        origin,
    };
    doc.shrink_to_fit();
    Some(doc)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_char_is_found_at_its_byte_in_any_order_asked() {
        let text = "上合a组织 SCO，峰会";
        let expected: Vec<usize> = text.char_indices().map(|(b, _)| b).chain([text.len()]).collect();
        let mut cursor = CharCursor::default();
        for order in [vec![0, 3, 3, 7, 11, 12], vec![12, 5, 1, 0, 6], vec![2, 9, 4]] {
            for char in order {
                assert_eq!(cursor.byte_of(0, text, char), Some(expected[char]), "char {char}");
            }
        }
        assert_eq!(cursor.byte_of(0, text, 13), None, "past the end");
        // Another paragraph starts afresh.
        assert_eq!(cursor.byte_of(1, "会谈", 1), Some(3));
        assert_eq!(cursor.byte_of(0, text, 4), Some(expected[4]));
    }

    #[test]
    fn long_texts_are_checked_as_utf8_in_both_formats() {
        let p = Paragraph {
            text: "上合组织 \"SCO\" ".repeat(40).into(),
            heading: Some(2),
            page: std::num::NonZeroU32::new(3),
            source: Default::default(),
        };
        let bytes = postcard::to_stdvec(&p).expect("encode");
        let back: Paragraph = postcard::from_bytes(&bytes).expect("decode");
        assert_eq!(back.text, p.text);
        // The same bytes with a broken UTF-8 sequence in the text.
        let mut broken = bytes.clone();
        let at = broken.iter().position(|&b| b == 0xe4).expect("a Han char");
        broken[at + 1] = b'x';
        assert!(postcard::from_bytes::<Paragraph>(&broken).is_err());
        // JSON, escapes included.
        let json = serde_json::to_string(&p).expect("json");
        let back: Paragraph = serde_json::from_str(&json).expect("from json");
        assert_eq!(back.text, p.text);
        let escaped: Paragraph = serde_json::from_str(r#"{"text":"\u4e0a\u5408 \"a\"","heading":null}"#).expect("escapes");
        assert_eq!(escaped.text, "上合 \"a\"");
    }
}
