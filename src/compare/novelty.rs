//! What is new in a document since the earlier meetings of its body: the
//! sentences no earlier document of that body contains (compared folded,
//! without spaces), the agreements no earlier document of the corpus
//! cites, and the names no earlier document of that body mentions.

use crate::model::{Analysis, Body, DocIx, DocumentAnalysis, EntityKind};
use rayon::prelude::*;
use rustc_hash::FxHashSet;

/// A sentence of a paragraph, in chars of the cleaned paragraph.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Sentence {
    /// Paragraph index.
    pub paragraph: usize,
    /// Start char.
    pub start: usize,
    /// End char (exclusive), after its final mark and closing quotes.
    pub end: usize,
    /// The sentence as written.
    pub text: String,
}

/// What a document says that its body's earlier documents did not.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Novelty {
    /// The latest earlier document of the same body, if any.
    pub previous: Option<DocIx>,
    /// How many earlier documents of the body were read.
    pub earlier: usize,
    /// New sentences, in text order.
    pub new: Vec<Sentence>,
    /// Agreements (ids) no earlier-dated document of the corpus cites.
    pub first_cited: Vec<String>,
    /// `(kind, canonical)` of names (not dates) no earlier document of the body mentions.
    pub first_mentioned: Vec<(EntityKind, String)>,
}

/// The sentences of `text`: each runs to 。！？!? (or the paragraph's end)
/// and takes the closing quotes and brackets after the mark.
pub fn sentences(text: &str) -> Vec<(usize, usize)> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut start = 0;
    let mut i = 0;
    while i < chars.len() {
        if matches!(chars[i], '。' | '！' | '？' | '!' | '?') {
            let mut end = i + 1;
            while end < chars.len() && (crate::text::is_closing_mark(chars[end]) || matches!(chars[end], '。' | '！' | '？')) {
                end += 1;
            }
            out.push((start, end));
            start = end;
            i = end;
        } else {
            i += 1;
        }
    }
    if start < chars.len() {
        out.push((start, chars.len()));
    }
    // Leading spaces are not part of a sentence; one with no word is none.
    out.into_iter()
        .filter_map(|(s, e)| {
            let lead = chars[s..e].iter().take_while(|c| c.is_whitespace()).count();
            let s = s + lead;
            chars[s..e].iter().any(|c| c.is_alphanumeric()).then_some((s, e))
        })
        .collect()
}

/// The form two sentences are compared in (folded, without spaces), as a
/// 64-bit SipHash: a late meeting of a body with thousands of earlier
/// ones compares against millions of sentences, held as numbers, not
/// strings (two different sentences share one with a chance of 2⁻⁶⁴).
fn key(chars: &[char]) -> u64 {
    use std::hash::Hasher as _;
    let mut hasher = std::hash::DefaultHasher::new();
    for &c in chars {
        let folded = crate::text::fold_char(c);
        if !folded.is_whitespace() {
            hasher.write_u32(u32::from(folded));
        }
    }
    hasher.finish()
}

/// The body a document belongs to, as the timeline groups it.
fn body_of(doc: &DocumentAnalysis) -> Option<(Body, Option<&str>)> {
    doc.meeting.as_ref().map(|m| (m.body, m.body_label.as_deref()))
}

/// The documents of `doc`'s body dated before it, latest first.
pub fn earlier_of_body(analysis: &Analysis, doc: DocIx) -> Vec<DocIx> {
    let Some(d) = analysis.doc(doc) else { return Vec::new() };
    let (Some(body), Some(date)) = (body_of(d), d.date()) else { return Vec::new() };
    let mut out: Vec<(String, DocIx)> = analysis
        .documents
        .iter()
        .enumerate()
        .filter(|(i, o)| *i != doc.0 && body_of(o) == Some(body))
        .filter_map(|(i, o)| o.date().filter(|od| *od < date).map(|od| (od.to_owned(), DocIx(i))))
        .collect();
    out.sort_by(|x, y| y.0.cmp(&x.0));
    out.into_iter().map(|(_, d)| d).collect()
}

/// For every document, the first of [`earlier_of_body`]: the latest earlier
/// document of its body (of those on that date, the first in the corpus),
/// for all documents at once: one sort per body, not a pass over the
/// corpus per document.
pub fn latest_earlier_of_body(analysis: &Analysis) -> Vec<Option<DocIx>> {
    type Body<'a> = (crate::model::Body, Option<&'a str>);
    let mut bodies: rustc_hash::FxHashMap<Body<'_>, Vec<(&str, usize)>> = rustc_hash::FxHashMap::default();
    for (i, d) in analysis.documents.iter().enumerate() {
        if let (Some(body), Some(date)) = (body_of(d), d.date()) {
            bodies.entry(body).or_default().push((date, i));
        }
    }
    let mut out = vec![None; analysis.documents.len()];
    for group in bodies.values_mut() {
        group.sort_unstable();
        for &(date, i) in group.iter() {
            let before = group.partition_point(|(d, _)| *d < date);
            let Some(&(latest, _)) = before.checked_sub(1).and_then(|k| group.get(k)) else { continue };
            let first_of_latest = group.partition_point(|(d, _)| *d < latest);
            out[i] = group.get(first_of_latest).map(|&(_, j)| DocIx(j));
        }
    }
    out
}

/// What is new in `doc` since the earlier documents of its body.
pub fn novelty(analysis: &Analysis, doc: DocIx) -> Novelty {
    let Some(d) = analysis.doc(doc) else { return Novelty::default() };
    let earlier = earlier_of_body(analysis, doc);
    // The earlier documents' sentences and names, read on all cores.
    type Seen = (FxHashSet<u64>, FxHashSet<(EntityKind, crate::model::Name)>);
    let (known, names): Seen = earlier
        .par_iter()
        .fold(Seen::default, |(mut known, mut names), e| {
            if let Some(o) = analysis.doc(*e) {
                for p in &o.paragraphs {
                    let chars: Vec<char> = p.text.chars().collect();
                    known.extend(sentences(&p.text).into_iter().map(|(s, t)| key(&chars[s..t])));
                }
                names.extend(o.entities.iter().map(|x| (x.kind, x.canonical)));
            }
            (known, names)
        })
        .reduce(Seen::default, |(mut known, mut names), (more_known, more_names)| {
            known.extend(more_known);
            names.extend(more_names);
            (known, names)
        });
    let mut new = Vec::new();
    for (p, para) in d.paragraphs.iter().enumerate() {
        let chars: Vec<char> = para.text.chars().collect();
        for (s, e) in sentences(&para.text) {
            if !known.contains(&key(&chars[s..e])) {
                new.push(Sentence { paragraph: p, start: s, end: e, text: chars[s..e].iter().collect() });
            }
        }
    }
    let date = d.date();
    let cited_before = |id: &str| {
        analysis.documents.iter().any(|o| {
            o.id != d.id
                && o.date().is_some_and(|od| date.is_some_and(|dd| od < dd))
                && o.citations.iter().any(|c| c.agreement == id)
        })
    };
    let mut first_cited: Vec<String> = Vec::new();
    for c in &d.citations {
        if !first_cited.iter().any(|f| *f == c.agreement) && !cited_before(&c.agreement) {
            first_cited.push(c.agreement.to_string());
        }
    }
    let mut first_mentioned: Vec<(EntityKind, String)> = Vec::new();
    for e in d.entities.iter().filter(|e| !matches!(e.kind, EntityKind::Date | EntityKind::Agreement)) {
        if !names.contains(&(e.kind, e.canonical)) && !first_mentioned.iter().any(|(k, c)| *k == e.kind && *c == e.canonical) {
            first_mentioned.push((e.kind, e.canonical.to_string()));
        }
    }
    Novelty { previous: earlier.first().copied(), earlier: earlier.len(), new, first_cited, first_mentioned }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_latest_earlier_document_of_each_body_is_the_first_of_its_earlier_ones() {
        use crate::model::{Body, Meeting};
        let texts: Vec<(String, String)> = (0..40).map(|i| (format!("d{i}"), "会议。".to_owned())).collect();
        let refs: Vec<(&str, &str)> = texts.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
        let mut analysis = crate::analysis::analyze_texts(&refs);
        let bodies = [Body::HeadsOfState, Body::ForeignMinisters, Body::Other];
        let labels = [None, Some("上海合作组织+")];
        let dates = ["2019-06-14", "2019-06", "2020-11-10", "2018", "2019-06-14", "2021-09-17"];
        for (i, d) in analysis.documents.iter_mut().enumerate() {
            // Some documents with no meeting, some with no date: neither has a partner.
            d.meeting = (i % 7 != 3).then(|| Meeting {
                body: bodies[i % bodies.len()],
                ordinal: None,
                start: (i % 11 != 5).then(|| dates[(i * 5 + i / 6) % dates.len()].to_owned()),
                end: None,
                place: None,
                chair: None,
                attendees: Vec::new(),
                body_label: labels[(i / 3) % 2].map(str::to_owned),
            });
        }
        let all = latest_earlier_of_body(&analysis);
        let mut found = 0;
        for (i, partner) in all.iter().enumerate() {
            assert_eq!(*partner, earlier_of_body(&analysis, DocIx(i)).first().copied(), "d{i}");
            found += usize::from(partner.is_some());
        }
        assert!(found > 10, "{found}");
    }

    #[test]
    fn sentences_end_after_their_marks_and_quotes() {
        let text = "他说：“会议成功。”各方同意！还有一句没有句号";
        let spans = sentences(text);
        let parts: Vec<String> = spans.iter().map(|(s, e)| text.chars().skip(*s).take(e - s).collect()).collect();
        assert_eq!(parts, ["他说：“会议成功。”", "各方同意！", "还有一句没有句号"]);
        assert!(sentences("。。 ").is_empty());
    }

    #[test]
    fn a_sentence_said_before_by_the_body_is_not_new() {
        let texts = [
            ("a", "上海合作组织成员国元首理事会会议\n\n2019年6月14日，会议在比什凯克举行。各方重申合作。"),
            ("b", "上海合作组织成员国元首理事会会议\n\n2020年11月10日，会议以视频方式举行。各方重申合作。各方欢迎新成员。"),
        ];
        let analysis = crate::analysis::analyze_texts(&texts);
        let b = analysis.doc_ix("b").expect("b");
        let n = novelty(&analysis, b);
        let new: Vec<&str> = n.new.iter().map(|s| s.text.as_str()).collect();
        assert!(!new.contains(&"各方重申合作。"), "{new:?}");
        assert!(new.contains(&"各方欢迎新成员。"), "{new:?}");
        assert_eq!(n.previous, analysis.doc_ix("a"));
    }
}
