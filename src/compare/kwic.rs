//! Keyword in context: each search hit on one line, the hit in a column of
//! its own between its left and right context.

use crate::model::Analysis;
use crate::search::SearchHit;

/// One hit in context.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct KwicLine {
    /// Up to the asked number of characters before the hit (tabs and line
    /// breaks made spaces).
    pub left: String,
    /// The hit as written.
    pub hit: String,
    /// Characters after it.
    pub right: String,
    /// Document id.
    pub doc: String,
    /// Paragraph index.
    pub paragraph: usize,
    /// Start char of the hit in the paragraph.
    pub start: usize,
}

fn flat(chars: &[char]) -> String {
    chars.iter().map(|c| if c.is_control() { ' ' } else { *c }).collect()
}

/// The lines of `hits`, `context` characters each side.
pub fn lines(analysis: &Analysis, hits: &[SearchHit], context: usize) -> Vec<KwicLine> {
    let mut out = Vec::with_capacity(hits.len());
    let mut current: Option<(usize, usize, Vec<char>)> = None;
    for h in hits {
        let Some(doc) = analysis.doc(h.doc) else { continue };
        if current.as_ref().is_none_or(|(d, p, _)| *d != h.doc.0 || *p != h.paragraph) {
            let chars = doc.paragraphs.get(h.paragraph).map(|p| p.text.chars().collect()).unwrap_or_default();
            current = Some((h.doc.0, h.paragraph, chars));
        }
        let Some((_, _, chars)) = &current else { continue };
        let (start, end) = (h.start.min(chars.len()), h.end.min(chars.len()));
        out.push(KwicLine {
            left: flat(&chars[start.saturating_sub(context)..start]),
            hit: flat(&chars[start..end]),
            right: flat(&chars[end..(end + context).min(chars.len())]),
            doc: doc.id.clone(),
            paragraph: h.paragraph,
            start,
        });
    }
    out
}

/// Sorts by the left context read backwards from the hit (the word just
/// before first), or by the right context.
pub fn sort(lines: &mut [KwicLine], by_left: bool) {
    if by_left {
        lines.sort_by(|a, b| a.left.chars().rev().cmp(b.left.chars().rev()));
    } else {
        lines.sort_by(|a, b| a.right.cmp(&b.right));
    }
}

/// The lines as CSV (`left,hit,right,doc,paragraph`, paragraph from 0).
pub fn to_csv(lines: &[KwicLine]) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    let _ = w.write_record(["left", "hit", "right", "doc", "paragraph"]);
    for l in lines {
        let _ = w.write_record([l.left.as_str(), l.hit.as_str(), l.right.as_str(), l.doc.as_str(), &l.paragraph.to_string()]);
    }
    // Writing to a Vec cannot fail.
    String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_round_trips_commas_quotes_and_line_ends() {
        let line = KwicLine {
            left: "他说，“".to_owned(),
            hit: "合作".to_owned(),
            right: "\"很好\"".to_owned(),
            doc: "a,b".to_owned(),
            paragraph: 3,
            start: 0,
        };
        let text = to_csv(std::slice::from_ref(&line));
        let mut r = csv::Reader::from_reader(text.as_bytes());
        let rows: Vec<csv::StringRecord> = r.records().collect::<Result<_, _>>().expect("parses");
        assert_eq!(rows[0].iter().collect::<Vec<_>>(), [line.left.as_str(), "合作", "\"很好\"", "a,b", "3"]);
    }
}
