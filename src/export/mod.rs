//! Exports of notes: Markdown (with YAML front matter), self-contained HTML
//! (rendered from that Markdown by pulldown-cmark) and W3C Web Annotation
//! JSON. All three are built from the same [`ExportItem`]s.

pub mod document;
pub mod html;
pub mod json;
pub mod markdown;
pub mod table;
pub mod tei;

use crate::model::Analysis;
use crate::model::EntityKind;
use crate::notes::Note;
use crate::notes::anchor::{Anchor, documents_of, resolve};
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
    /// The id of the document the note is on now (the stored one when it is gone).
    pub doc: String,
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
        format!("sco-reader://open?doc={}&p={}", percent_encode(&self.doc), self.paragraph())
    }

    /// `exact`, `moved from ¶N` or `orphaned (the passage is no longer in the document)`.
    pub fn anchor_text(&self) -> String {
        match self.anchor {
            Anchor::Orphaned => "orphaned (the passage is no longer in the document)".to_owned(),
            _ => self.anchor.describe(),
        }
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
        .map(|note| {
            let anchor = resolve(note, analysis);
            // The document the note is on now (an orphan's: the one it was made on, if present).
            let d = match anchor.place() {
                Some((d, ..)) => analysis.doc(d),
                None => documents_of(note, analysis).first().and_then(|d| analysis.doc(*d)),
            };
            (note, anchor, d)
        })
        .filter(|(note, _, d)| doc.is_none_or(|want| d.map_or(note.doc.as_str(), |d| d.id.as_str()) == want))
        .map(|(note, anchor, d)| {
            let mut entities = Vec::new();
            let mut agreements = Vec::new();
            if let (Some(d), Some((_, p, s, e))) = (d, anchor.place()) {
                for ent in d.entities.iter().filter(|x| x.paragraph() == p && x.chars().start < e && x.chars().end > s) {
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
                        entities.push((ent.kind.as_str(), ent.canonical.to_string()));
                    }
                }
            }
            let meeting = d.map(meeting_line).unwrap_or_default();
            let paragraph = anchor.place().map_or(note.paragraph, |p| p.1);
            let page = d.and_then(|d| d.paragraphs.get(paragraph)).and_then(|p| p.page);
            ExportItem {
                page: page.map(std::num::NonZeroU32::get),
                title: d.map_or_else(|| note.doc.clone(), |d| d.title.clone()),
                doc: d.map_or_else(|| note.doc.clone(), |d| d.id.clone()),
                meeting,
                note: note.clone(),
                anchor,
                entities,
                agreements,
            }
        })
        .collect();
    out.sort_by_key(|i| (rank(&i.doc), i.doc.clone(), i.paragraph(), i.note.start, i.note.id));
    out
}

/// `p. 3`: the page paragraph `paragraph` of `doc` starts on, for a paged source.
pub fn page_citation(doc: &crate::model::DocumentAnalysis, paragraph: usize) -> Option<String> {
    doc.paragraphs.get(paragraph).and_then(|p| p.page).map(|page| format!("p. {page}"))
}

/// The body that met, as the exports name it.
pub(crate) fn body_label(body: crate::model::Body) -> &'static str {
    match body {
        crate::model::Body::HeadsOfState => "Heads of State",
        crate::model::Body::HeadsOfGovernment => "Heads of Government",
        crate::model::Body::ForeignMinisters => "Foreign Ministers",
        crate::model::Body::Other => "Meeting",
    }
}

/// `Heads of State · No. 14 · 2014-09-12 · 杜尚别`: the meeting line of the exports.
pub(crate) fn meeting_line(d: &crate::model::DocumentAnalysis) -> String {
    let mut parts = Vec::new();
    if let Some(m) = &d.meeting {
        parts.push(body_label(m.body).to_owned());
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

/// A passage as a reader quotes it: the text, then the document's title,
/// date, paragraph (and page), then a `sco-reader://` link back to it.
pub fn citation(doc: &crate::model::DocumentAnalysis, paragraph: usize, quote: &str) -> String {
    let mut place = vec![doc.title.clone()];
    if let Some(date) = doc.date() {
        place.push(date.to_owned());
    }
    let mut at = format!("¶{}", paragraph + 1);
    if let Some(page) = page_citation(doc, paragraph) {
        at.push_str(&format!(" · {page}"));
    }
    place.push(at);
    let link = format!("sco-reader://open?doc={}&p={paragraph}", percent_encode(&doc.id));
    format!("{quote}\n— {}\n{link}", place.join(", "))
}

/// Why an export cannot go to the path given.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum TargetError {
    /// Nothing typed.
    #[error("no file given")]
    Empty,
    /// The folder is not there.
    #[error("the folder {0} does not exist")]
    NoFolder(String),
    /// A file is there and the user has not said to replace it.
    #[error("{0} exists; tick “replace” to overwrite it")]
    Exists(String),
    /// A read-only file is there.
    #[error("{0} is read-only; it was left as it is")]
    ReadOnly(String),
    /// Something that is not a file is there.
    #[error("{0} is not a regular file; it was left as it is")]
    NotAFile(String),
}

/// Where an export typed as `typed` goes: `~/` is the home folder, a
/// relative path is inside `base`, a folder gets `default_name` in it. The
/// folder must exist; a file there is replaced only when `replace` is set
/// and it is a writable regular file (a link is replaced by the export,
/// never followed).
pub fn export_target(typed: &str, base: &Path, default_name: &str, replace: bool) -> Result<std::path::PathBuf, TargetError> {
    let typed = typed.trim();
    if typed.is_empty() {
        return Err(TargetError::Empty);
    }
    let mut path = match typed.strip_prefix("~/") {
        Some(rest) => directories::UserDirs::new().map_or_else(|| base.join(rest), |u| u.home_dir().join(rest)),
        None => base.join(typed),
    };
    if path.is_dir() {
        path = path.join(default_name);
    }
    let parent = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(base);
    if !parent.is_dir() {
        return Err(TargetError::NoFolder(parent.display().to_string()));
    }
    let shown = path.display().to_string();
    match std::fs::symlink_metadata(&path) {
        Err(_) => Ok(path),
        Ok(meta) if meta.file_type().is_symlink() || meta.is_file() => {
            if crate::safe_write::is_read_only(&meta) {
                Err(TargetError::ReadOnly(shown))
            } else if !replace {
                Err(TargetError::Exists(shown))
            } else {
                Ok(path)
            }
        }
        Ok(_) => Err(TargetError::NotAFile(shown)),
    }
}

/// Writes `content` to exactly `path` ([`crate::safe_write`]): a read-only
/// file is left as it is unless `force`; a device or FIFO is written to.
pub fn write_file(path: &Path, content: &str, force: bool) -> Result<(), crate::safe_write::WriteError> {
    crate::safe_write::write(path, content.as_bytes(), force)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn export_targets_are_checked_before_anything_is_written() {
        let dir = tempfile::tempdir().expect("tmp");
        let base = dir.path();
        assert_eq!(export_target("  ", base, "n.md", false), Err(TargetError::Empty));
        assert_eq!(export_target("out.md", base, "n.md", false), Ok(base.join("out.md")));
        // A folder gets the default name.
        assert_eq!(export_target(&base.display().to_string(), base, "n.md", false), Ok(base.join("n.md")));
        assert!(matches!(export_target("missing/out.md", base, "n.md", false), Err(TargetError::NoFolder(_))));
        std::fs::write(base.join("old.md"), "keep").expect("write");
        assert!(matches!(export_target("old.md", base, "n.md", false), Err(TargetError::Exists(_))));
        assert_eq!(export_target("old.md", base, "n.md", true), Ok(base.join("old.md")));
        let ro = base.join("ro.md");
        std::fs::write(&ro, "keep").expect("write");
        let mut perms = std::fs::metadata(&ro).expect("meta").permissions();
        perms.set_readonly(true);
        std::fs::set_permissions(&ro, perms).expect("chmod");
        assert!(matches!(export_target("ro.md", base, "n.md", true), Err(TargetError::ReadOnly(_))));
        assert!(write_file(&ro, "new", false).is_err());
        assert_eq!(std::fs::read_to_string(&ro).expect("read"), "keep");
    }

    #[test]
    fn a_citation_names_the_document_paragraph_and_link() {
        let a = crate::analysis::analyze_texts(&[("d/x", "第一段。\n\n第二段讲合作。\n")]);
        let c = citation(&a.documents[0], 1, "讲合作");
        assert!(c.starts_with("讲合作\n— "), "{c}");
        assert!(c.contains("¶2"), "{c}");
        assert!(c.ends_with("sco-reader://open?doc=d%2Fx&p=1"), "{c}");
    }
}
