//! Exports of notes: Markdown (with YAML front matter), self-contained HTML
//! (rendered from that Markdown by pulldown-cmark) and W3C Web Annotation
//! JSON. All three are built from the same [`ExportItem`]s.

pub mod html;
pub mod json;
pub mod markdown;

use crate::model::Analysis;
use crate::model::EntityKind;
use crate::notes::Note;
use crate::notes::anchor::{Anchor, resolve};
use std::path::Path;

/// Export formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Markdown with YAML front matter.
    Md,
    /// Self-contained HTML.
    Html,
    /// W3C Web Annotation JSON.
    Json,
}

impl Format {
    /// File extension.
    pub fn extension(self) -> &'static str {
        match self {
            Self::Md => "md",
            Self::Html => "html",
            Self::Json => "json",
        }
    }
}

/// A note with what the export shows around it.
#[derive(Clone, Debug)]
pub struct ExportItem {
    /// The note.
    pub note: Note,
    /// Where it is now.
    pub anchor: Anchor,
    /// Document title (or the id when the document is gone).
    pub title: String,
    /// `kind · body · date · place` of the document.
    pub meeting: String,
    /// Entities inside the passage: `(kind name, canonical)`.
    pub entities: Vec<(&'static str, String)>,
    /// Agreements cited inside the passage: `(title, signing facts)`.
    pub agreements: Vec<(String, Option<String>)>,
    /// The page of a paged source (PDF) the passage's paragraph starts on.
    pub page: Option<u32>,
}

impl ExportItem {
    /// Paragraph index now (the stored one when orphaned).
    pub fn paragraph(&self) -> usize {
        self.anchor.place().map_or(self.note.paragraph, |p| p.1)
    }

    /// Where the passage is, as a reader cites it: `¶12`, or `¶12 · p. 3`
    /// for a PDF.
    pub fn locator(&self) -> String {
        match self.page {
            Some(page) => format!("¶{} · p. {page}", self.paragraph() + 1),
            None => format!("¶{}", self.paragraph() + 1),
        }
    }

    /// `sco-reader://open?doc=ID&p=N` (N = paragraph index).
    pub fn link(&self) -> String {
        format!("sco-reader://open?doc={}&p={}", percent_encode(&self.note.doc), self.paragraph())
    }
}

/// Percent-encodes everything but unreserved URL characters.
pub fn percent_encode(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Builds the export items of `notes` (optionally one document's), in
/// document (timeline) and text order.
pub fn items(analysis: &Analysis, notes: &[Note], doc: Option<&str>) -> Vec<ExportItem> {
    let index = crate::index::CorpusIndex::new(analysis);
    let rank = |id: &str| analysis.doc_ix(id).and_then(|d| index.timeline.iter().position(|r| r.doc == d)).unwrap_or(usize::MAX);
    let mut out: Vec<ExportItem> = notes
        .iter()
        .filter(|n| doc.is_none_or(|d| n.doc == d))
        .map(|note| {
            let anchor = resolve(note, analysis);
            let d = analysis.documents.iter().find(|d| d.id == note.doc);
            let mut entities = Vec::new();
            let mut agreements = Vec::new();
            if let (Some(d), Some((_, p, s, e))) = (d, anchor.place()) {
                for ent in d.entities.iter().filter(|x| x.paragraph == p && x.start < e && x.end > s) {
                    if ent.kind == EntityKind::Agreement {
                        if let Some(a) = analysis.agreements.iter().find(|a| a.id == ent.canonical) {
                            let signed = a.signed.as_ref().map(|s| {
                                [s.date.as_deref(), s.place.as_deref()].into_iter().flatten().collect::<Vec<_>>().join(", ")
                            });
                            if !agreements.iter().any(|(t, _)| *t == a.title) {
                                agreements.push((a.title.clone(), signed.filter(|s| !s.is_empty())));
                            }
                        }
                    } else if !entities.iter().any(|(k, c): &(&str, String)| *k == ent.kind.as_str() && *c == ent.canonical) {
                        entities.push((ent.kind.as_str(), ent.canonical.clone()));
                    }
                }
            }
            let meeting = d.map(meeting_line).unwrap_or_default();
            let paragraph = anchor.place().map_or(note.paragraph, |p| p.1);
            let page = d.and_then(|d| d.paragraphs.get(paragraph)).and_then(|p| p.page);
            ExportItem {
                page,
                title: d.map_or_else(|| note.doc.clone(), |d| d.title.clone()),
                meeting,
                note: note.clone(),
                anchor,
                entities,
                agreements,
            }
        })
        .collect();
    out.sort_by_key(|i| (rank(&i.note.doc), i.note.doc.clone(), i.paragraph(), i.note.start, i.note.id));
    out
}

/// `p. 3`: the page paragraph `paragraph` of `doc` starts on, for a paged source.
pub fn page_citation(doc: &crate::model::DocumentAnalysis, paragraph: usize) -> Option<String> {
    doc.paragraphs.get(paragraph).and_then(|p| p.page).map(|page| format!("p. {page}"))
}

fn meeting_line(d: &crate::model::DocumentAnalysis) -> String {
    let mut parts = Vec::new();
    if let Some(m) = &d.meeting {
        parts.push(
            match m.body {
                crate::model::Body::HeadsOfState => "Heads of State",
                crate::model::Body::HeadsOfGovernment => "Heads of Government",
                crate::model::Body::ForeignMinisters => "Foreign Ministers",
                crate::model::Body::Other => "Meeting",
            }
            .to_owned(),
        );
        if let Some(n) = m.ordinal {
            parts.push(format!("No. {n}"));
        }
        match (&m.start, &m.end) {
            (Some(s), Some(e)) if s != e => parts.push(format!("{s} – {e}")),
            (Some(s), _) => parts.push(s.clone()),
            _ => {}
        }
        if let Some(p) = &m.place {
            parts.push(p.clone());
        }
    } else if let Some(date) = d.date() {
        parts.push(date.to_owned());
    }
    parts.join(" · ")
}

/// Renders `items` in `format`.
pub fn render(format: Format, corpus: &str, items: &[ExportItem]) -> String {
    match format {
        Format::Md => markdown::render(corpus, items),
        Format::Html => html::render(corpus, items),
        Format::Json => json::render(corpus, items),
    }
}

/// Writes `content` to exactly `path` (atomically: a temporary file beside
/// it, then a rename), never anywhere else.
pub fn write_file(path: &Path, content: &str) -> std::io::Result<()> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => std::path::PathBuf::from("."),
    };
    let name =
        path.file_name().ok_or_else(|| std::io::Error::new(std::io::ErrorKind::InvalidInput, "the output path names no file"))?;
    let mut tmp_name = std::ffi::OsString::from(".");
    tmp_name.push(name);
    tmp_name.push(".tmp");
    let tmp = dir.join(tmp_name);
    std::fs::write(&tmp, content)?;
    std::fs::rename(&tmp, path).inspect_err(|_| {
        let _ = std::fs::remove_file(&tmp);
    })
}
