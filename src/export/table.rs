//! CSV of the analysis, one row per entity mention or per citation, written
//! with the `csv` crate (quoting as RFC 4180, a header row):
//!
//! - entities: `doc, paragraph, start, end, kind, text, canonical`;
//! - citations: `doc, paragraph, start, end, agreement, title, signed_date,
//!   signed_place` (the signing facts stated at that citation, as `signed`
//!   of the citation in `analyze --json`; the agreement's own are in its
//!   `agreements` entry).
//!
//! Offsets are those of `analyze --json`: 0-based paragraph index, char
//! offsets, `end` exclusive.

use crate::model::{Analysis, DocumentAnalysis};

/// The header of the entities CSV.
pub const ENTITY_COLUMNS: [&str; 7] = ["doc", "paragraph", "start", "end", "kind", "text", "canonical"];

/// The header of the citations CSV.
pub const CITATION_COLUMNS: [&str; 8] = ["doc", "paragraph", "start", "end", "agreement", "title", "signed_date", "signed_place"];

fn documents<'a>(analysis: &'a Analysis, doc: Option<&'a str>) -> impl Iterator<Item = &'a DocumentAnalysis> {
    analysis.documents.iter().filter(move |d| doc.is_none_or(|id| d.id == id))
}

/// Every entity mention of `analysis` (or of document `doc`) as CSV.
pub fn entities_csv(analysis: &Analysis, doc: Option<&str>) -> Result<Vec<u8>, csv::Error> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(ENTITY_COLUMNS)?;
    for d in documents(analysis, doc) {
        let mut texts = crate::model::EntityTexts::new(d);
        for e in &d.entities {
            w.write_record([
                d.id.as_str(),
                &e.paragraph.to_string(),
                &e.start.to_string(),
                &e.end().to_string(),
                e.kind.as_str(),
                texts.text(e),
                &e.canonical,
            ])?;
        }
    }
    w.into_inner().map_err(|e| csv::Error::from(e.into_error()))
}

/// Every citation of `analysis` (or of document `doc`) as CSV.
pub fn citations_csv(analysis: &Analysis, doc: Option<&str>) -> Result<Vec<u8>, csv::Error> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(CITATION_COLUMNS)?;
    for d in documents(analysis, doc) {
        for c in &d.citations {
            let signed = c.signed.as_ref();
            w.write_record([
                d.id.as_str(),
                &c.paragraph.to_string(),
                &c.start.to_string(),
                &c.end.to_string(),
                &c.agreement,
                &c.title,
                signed.and_then(|s| s.date.as_deref()).unwrap_or(""),
                signed.and_then(|s| s.place.as_deref()).unwrap_or(""),
            ])?;
        }
    }
    w.into_inner().map_err(|e| csv::Error::from(e.into_error()))
}
