//! A term counted in every dated document, in date order: the counts are
//! those the search finds ([`crate::search::search_document`]), and per
//! 10,000 characters of the cleaned text for documents of unequal length.
//! A term written `KIND:NAME` (`person:李克强`, `agreement:a5`) counts the
//! mentions of that entity instead, under every wording.

use crate::model::{Analysis, DocIx, EntityKind};

/// One document's count of a term.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Point {
    /// Document id.
    pub doc: String,
    /// The document's date (`YYYY-MM-DD`).
    pub date: String,
    /// Occurrences.
    pub count: usize,
    /// Occurrences per 10,000 characters of the document's cleaned text.
    pub per_10k: f64,
    /// Where the first occurrence is: `(paragraph, start char, end char)`.
    #[serde(skip)]
    pub first: Option<(usize, usize, usize)>,
    /// The document.
    #[serde(skip)]
    pub ix: DocIx,
}

/// A term's points.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Series {
    /// The term as asked.
    pub term: String,
    /// One per dated document, in date order (then id).
    pub points: Vec<Point>,
}

/// The first day of a document's date (a range's start; a bare year or
/// month as its first day, so every point has a day).
fn day_of(date: &str) -> Option<String> {
    let first = date.split('/').next()?.trim();
    let parts: Vec<&str> = first.split('-').collect();
    match parts.as_slice() {
        [y] if y.len() == 4 => Some(format!("{y}-01-01")),
        [y, m] => Some(format!("{y}-{m}-01")),
        [y, m, d] => Some(format!("{y}-{m}-{d}")),
        _ => None,
    }
}

/// The entity a term names as `KIND:NAME`, if it does.
pub fn entity_term(term: &str) -> Option<(EntityKind, &str)> {
    let (kind, name) = term.split_once(':')?;
    let kind = EntityKind::ALL.into_iter().find(|k| k.as_str() == kind.trim())?;
    Some((kind, name.trim())).filter(|(_, n)| !n.is_empty())
}

/// Counts `term` (a phrase, or an entity as `KIND:NAME`) in every dated
/// document of `analysis`.
pub fn series(analysis: &Analysis, term: &str, expand_sco: bool) -> Series {
    let entity = entity_term(term);
    let phrase = crate::search::DocumentSearch::new(term, expand_sco);
    use rayon::prelude::*;
    // Each document on its own, on all cores (a full search at 1 GB).
    let mut points: Vec<Point> = analysis
        .documents
        .par_iter()
        .enumerate()
        .filter_map(|(i, d)| {
            let date = d.date().and_then(day_of)?;
            let hits: Vec<crate::model::ParagraphSpan> = match entity {
                Some((kind, name)) => d
                    .entities
                    .iter()
                    .filter(|e| e.kind == kind && e.canonical == name)
                    .map(|e| {
                        let (paragraph, start, end) = e.place();
                        crate::model::ParagraphSpan { paragraph, start, end }
                    })
                    .collect(),
                None => phrase.find_in(d),
            };
            let chars: usize = d.paragraphs.iter().map(|p| p.text.chars().count()).sum();
            let per_10k = if chars == 0 { 0.0 } else { hits.len() as f64 * 10_000.0 / chars as f64 };
            Some(Point {
                doc: d.id.clone(),
                date,
                count: hits.len(),
                per_10k: (per_10k * 100.0).round() / 100.0,
                first: hits.first().map(|h| (h.paragraph, h.start, h.end)),
                ix: DocIx(i),
            })
        })
        .collect();
    points.sort_by(|a, b| a.date.cmp(&b.date).then_with(|| a.doc.cmp(&b.doc)));
    Series { term: term.to_owned(), points }
}

/// Days since 1970-01-01 of a `YYYY-MM-DD` date (for a plot's x axis).
pub fn days_since_epoch(date: &str) -> Option<i64> {
    let mut it = date.split('-').map(|p| p.parse::<i64>().ok());
    let (y, m, d) = (it.next()??, it.next()??, it.next()??);
    // Howard Hinnant's days_from_civil.
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    Some(era * 146_097 + doe - 719_468)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_entity_term_counts_its_mentions_under_every_wording() {
        let texts = [("a", "2019年6月14日，中华人民共和国和中国代表出席。"), ("b", "2020年11月10日，会议举行。")];
        let analysis = crate::analysis::analyze_texts(&texts);
        let s = series(&analysis, "country:中国", false);
        let counts: Vec<(&str, usize)> = s.points.iter().map(|p| (p.doc.as_str(), p.count)).collect();
        assert_eq!(counts, [("a", 2), ("b", 0)]);
        assert_eq!(entity_term("place: 北京"), Some((EntityKind::Place, "北京")));
        assert_eq!(entity_term("2020:年"), None);
    }

    #[test]
    fn dates_become_days() {
        assert_eq!(days_since_epoch("1970-01-01"), Some(0));
        assert_eq!(days_since_epoch("2000-03-01"), Some(11_017));
        assert_eq!(day_of("2014-12-14/2014-12-15").as_deref(), Some("2014-12-14"));
        assert_eq!(day_of("2019").as_deref(), Some("2019-01-01"));
    }
}
