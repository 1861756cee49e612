//! Finding a note's passage again after the document changed: the stored
//! span if its text is still the quote, else the occurrence of the quote
//! whose prefix and suffix match best, else the note is orphaned (shown,
//! never dropped).

use super::Note;
use crate::model::{Analysis, DocIx};

/// Where a note is now.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Anchor {
    /// At its stored place, unchanged.
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
    /// The quote was found elsewhere in the document.
    Moved {
        /// Document index.
        doc: DocIx,
        /// Paragraph.
        paragraph: usize,
        /// Start char.
        start: usize,
        /// End char.
        end: usize,
    },
    /// The passage is gone.
    Orphaned,
}

impl Anchor {
    /// `(doc, paragraph, start, end)` unless orphaned.
    pub fn place(&self) -> Option<(DocIx, usize, usize, usize)> {
        match *self {
            Self::Exact { doc, paragraph, start, end } | Self::Moved { doc, paragraph, start, end } => {
                Some((doc, paragraph, start, end))
            }
            Self::Orphaned => None,
        }
    }
}

/// Resolves a note against an analysis.
pub fn resolve(note: &Note, analysis: &Analysis) -> Anchor {
    let Some((d, doc)) = analysis.doc_ix(&note.doc).and_then(|d| Some((d, analysis.doc(d)?))) else {
        return Anchor::Orphaned;
    };
    if let Some(p) = doc.paragraphs.get(note.paragraph) {
        let here: String = p.text.chars().skip(note.start).take(note.end.saturating_sub(note.start)).collect();
        if here == note.quote && !note.quote.is_empty() {
            return Anchor::Exact { doc: d, paragraph: note.paragraph, start: note.start, end: note.end };
        }
    }
    if note.quote.is_empty() {
        return Anchor::Orphaned;
    }
    // Every occurrence of the quote, scored by matching context and distance.
    let quote_len = note.quote.chars().count();
    let mut best: Option<(i64, usize, usize)> = None;
    for (pi, p) in doc.paragraphs.iter().enumerate() {
        for (byte, _) in p.text.match_indices(note.quote.as_str()) {
            let start = p.text[..byte].chars().count();
            let before: String =
                p.text[..byte].chars().rev().take(note.prefix.chars().count()).collect::<Vec<_>>().into_iter().rev().collect();
            let after: String = p.text[byte + note.quote.len()..].chars().take(note.suffix.chars().count()).collect();
            let score = common_suffix(&before, &note.prefix) as i64 + common_prefix(&after, &note.suffix) as i64
                - (pi as i64 - note.paragraph as i64).abs().min(50);
            if best.is_none_or(|(s, _, _)| score > s) {
                best = Some((score, pi, start));
            }
        }
    }
    match best {
        Some((_, paragraph, start)) => Anchor::Moved { doc: d, paragraph, start, end: start + quote_len },
        None => Anchor::Orphaned,
    }
}

fn common_prefix(a: &str, b: &str) -> usize {
    a.chars().zip(b.chars()).take_while(|(x, y)| x == y).count()
}

fn common_suffix(a: &str, b: &str) -> usize {
    a.chars().rev().zip(b.chars().rev()).take_while(|(x, y)| x == y).count()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn analysis(text: &str) -> Analysis {
        crate::analysis::analyze_texts(&[("d", text)])
    }

    fn note_on(a: &Analysis, paragraph: usize, start: usize, end: usize) -> Note {
        crate::notes::prepare(a, &crate::notes::NewNote { doc: "d".into(), paragraph, start, end, ..Default::default() })
            .expect("note")
    }

    #[test]
    fn exact_moved_and_orphaned() {
        let before = analysis("第一段讲合作。\n\n第二段讲安全与稳定。\n");
        let note = note_on(&before, 1, 4, 9);
        assert_eq!(note.quote, "安全与稳定");
        assert!(matches!(resolve(&note, &before), Anchor::Exact { paragraph: 1, start: 4, .. }));
        // A paragraph inserted before it and words before it: the quote moves.
        let edited = analysis("新的第一段。\n\n第一段讲合作。\n\n第二段主要讲安全与稳定。\n");
        assert_eq!(resolve(&note, &edited), Anchor::Moved { doc: DocIx(0), paragraph: 2, start: 6, end: 11 });
        // The passage is gone: orphaned, not dropped.
        let gone = analysis("第一段讲合作。\n\n第二段讲发展。\n");
        assert_eq!(resolve(&note, &gone), Anchor::Orphaned);
    }
}
