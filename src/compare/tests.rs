//! The views on the bundled corpus: what a reader would check by hand.
#![allow(clippy::unwrap_used, reason = "tests")]

use super::*;
use crate::model::{Analysis, Body, DocIx};

use crate::analysis::bundled_analysis as bundled;

/// The heads-of-government documents, by date.
fn heads_of_government(analysis: &Analysis) -> Vec<DocIx> {
    let mut docs: Vec<(String, DocIx)> = analysis
        .documents
        .iter()
        .enumerate()
        .filter(|(_, d)| d.meeting.as_ref().is_some_and(|m| m.body == Body::HeadsOfGovernment))
        .map(|(i, d)| (d.date().unwrap_or_default().to_owned(), DocIx(i)))
        .collect();
    docs.sort();
    docs.into_iter().map(|(_, d)| d).collect()
}

#[test]
fn consecutive_communiques_align_every_paragraph_once_in_order() {
    let analysis = bundled();
    let hog = heads_of_government(&analysis);
    assert!(hog.len() >= 3, "three heads-of-government documents are bundled");
    let (a, b) = (analysis.doc(hog[hog.len() - 2]).unwrap(), analysis.doc(hog[hog.len() - 1]).unwrap());
    let pairs = align::align(a, b);
    let mut seen_a: Vec<usize> = pairs.iter().filter_map(|p| p.a).collect();
    seen_a.sort_unstable();
    assert_eq!(seen_a, (0..a.paragraphs.len()).collect::<Vec<_>>(), "every paragraph of the first once");
    let seen_b: Vec<usize> = pairs.iter().filter_map(|p| p.b).collect();
    assert_eq!(seen_b, (0..b.paragraphs.len()).collect::<Vec<_>>(), "every paragraph of the second once, in order");
    // Most of the earlier communiqué is found again in the later one.
    let kept = pairs.iter().filter(|p| p.a.is_some() && matches!(p.op, align::Op::Same | align::Op::Changed)).count();
    assert!(kept * 2 > a.paragraphs.len(), "{kept} of {} paragraphs kept", a.paragraphs.len());
    // The titles pair with each other.
    assert_eq!((pairs[0].a, pairs[0].b, pairs[0].op), (Some(0), Some(0), align::Op::Changed));
}

#[test]
fn new_sentences_are_exactly_those_no_earlier_communique_of_the_body_holds() {
    let analysis = bundled();
    let hog = heads_of_government(&analysis);
    let last = *hog.last().unwrap();
    let novelty = novelty::novelty(&analysis, last);
    assert_eq!(novelty.previous, Some(hog[hog.len() - 2]));
    assert_eq!(novelty.earlier, hog.len() - 1);
    // Recomputed plainly: every sentence of the earlier ones, as a string.
    let norm = |s: &str| crate::text::fold(s).chars().filter(|c| !c.is_whitespace()).collect::<String>();
    let earlier: std::collections::HashSet<String> = hog[..hog.len() - 1]
        .iter()
        .flat_map(|d| analysis.doc(*d).unwrap().paragraphs.iter())
        .flat_map(|p| {
            let chars: Vec<char> = p.text.chars().collect();
            novelty::sentences(&p.text).into_iter().map(move |(s, e)| norm(&chars[s..e].iter().collect::<String>()))
        })
        .collect();
    let doc = analysis.doc(last).unwrap();
    let mut expected = Vec::new();
    for (p, para) in doc.paragraphs.iter().enumerate() {
        let chars: Vec<char> = para.text.chars().collect();
        for (s, e) in novelty::sentences(&para.text) {
            let text: String = chars[s..e].iter().collect();
            if !earlier.contains(&norm(&text)) {
                expected.push((p, s, e, text));
            }
        }
    }
    let got: Vec<(usize, usize, usize, String)> =
        novelty.new.iter().map(|s| (s.paragraph, s.start, s.end, s.text.clone())).collect();
    assert_eq!(got, expected);
    assert!(!got.is_empty());
    // The spans are the text.
    for s in &novelty.new {
        let para: String = doc.paragraphs[s.paragraph].text.chars().skip(s.start).take(s.end - s.start).collect();
        assert_eq!(para, s.text);
    }
    // The first document of a body has nothing before it.
    let first = novelty::novelty(&analysis, hog[0]);
    assert_eq!((first.previous, first.earlier), (None, 0));
}

#[test]
fn trend_counts_are_the_search_counts() {
    let analysis = bundled();
    let index = crate::index::CorpusIndex::new(&analysis);
    let search = crate::search::SearchIndex::new(&analysis, &index);
    for term in ["合作", "上合组织", "数字经济", "阿斯塔纳"] {
        let series = trends::series(&analysis, term, false);
        let results = search.search(&analysis, term, &crate::search::SearchOptions::default()).unwrap();
        for p in &series.points {
            let found = results.per_document.iter().find(|(d, _)| *d == p.ix).map_or(0, |(_, n)| *n);
            assert_eq!(p.count, found, "{term} in {}", p.doc);
        }
        let dates: Vec<&str> = series.points.iter().map(|p| p.date.as_str()).collect();
        assert!(dates.windows(2).all(|w| w[0] <= w[1]), "in date order");
        assert_eq!(series.points.len(), analysis.documents.iter().filter(|d| d.date().is_some()).count());
    }
}

#[test]
fn every_attendee_has_an_office_with_its_country() {
    let analysis = bundled();
    let facts: Vec<offices::DocFacts> = analysis.documents.iter().map(offices::facts_of).collect();
    let people = offices::people(&facts);
    for d in &analysis.documents {
        for a in d.meeting.iter().flat_map(|m| &m.attendees).filter(|a| !a.role.trim().is_empty()) {
            let person = people.iter().find(|p| p.name == a.name || p.name.ends_with(&format!("·{}", a.name)));
            let person = person.unwrap_or_else(|| panic!("{} is not in the office table", a.name));
            let of = a.country.clone().or_else(|| a.organization.clone());
            assert!(
                person.roles.iter().any(|r| r.country == of && r.documents.contains(&d.id)),
                "{}: no role of {:?} in {}",
                a.name,
                of,
                d.id
            );
        }
    }
}

#[test]
fn kwic_lines_put_the_hit_between_its_contexts() {
    let analysis = bundled();
    let index = crate::index::CorpusIndex::new(&analysis);
    let search = crate::search::SearchIndex::new(&analysis, &index);
    let results = search.search(&analysis, "合作", &crate::search::SearchOptions::default()).unwrap();
    let mut lines = kwic::lines(&analysis, &results.hits, 10);
    assert_eq!(lines.len(), results.hits.len());
    for l in &lines {
        assert_eq!(l.hit, "合作");
        assert!(l.left.chars().count() <= 10 && l.right.chars().count() <= 10);
        let doc = analysis.documents.iter().find(|d| d.id == l.doc).unwrap();
        let text = &doc.paragraphs[l.paragraph].text;
        assert!(text.contains(&format!("{}{}{}", l.left, l.hit, l.right)) || l.left.contains(' ') || l.right.contains(' '));
    }
    kwic::sort(&mut lines, false);
    assert!(lines.windows(2).all(|w| w[0].right <= w[1].right));
}
