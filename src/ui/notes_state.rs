//! Notes in the window: the open store, the notes resolved against the
//! corpus on screen, the text selection, the editor, filters, undo and
//! exports. Panels read this and send commands; changes go to the store at
//! once (one transaction each).

use crate::model::{Analysis, DocIx};
use crate::notes::anchor::{Anchor, resolve};
use crate::notes::store::NoteStore;
use crate::notes::{NewNote, Note};
use std::path::PathBuf;
use std::sync::mpsc;

/// A passage selected in the document (one paragraph).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Selection {
    /// Document index.
    pub doc: DocIx,
    /// Paragraph.
    pub paragraph: usize,
    /// Where the drag started (char).
    pub anchor: usize,
    /// Where it is now (char).
    pub head: usize,
}

impl Selection {
    /// `(start, end)` with start < end, or `None` when empty.
    pub fn range(&self) -> Option<(usize, usize)> {
        let (a, b) = (self.anchor.min(self.head), self.anchor.max(self.head));
        (a < b).then_some((a, b))
    }
}

/// A note being written or edited.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Draft {
    /// The note edited, or `None` for a new one.
    pub id: Option<i64>,
    /// Document id.
    pub doc: String,
    /// Paragraph.
    pub paragraph: usize,
    /// Start char.
    pub start: usize,
    /// End char.
    pub end: usize,
    /// The quote (shown).
    pub quote: String,
    /// Note text.
    pub text: String,
    /// Colour name.
    pub color: String,
    /// Tags, comma separated.
    pub tags: String,
}

/// The export window: what to export, where, and what happened.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExportForm {
    /// The notes of this document (id), or of all.
    pub doc: Option<String>,
    /// Markdown, HTML or JSON.
    pub format: crate::export::Format,
    /// The file to write, as typed.
    pub path: String,
    /// The user agreed to replace the file at `path`.
    pub replace: bool,
    /// The document itself, annotated (HTML or Markdown), rather than the notes.
    pub annotated: bool,
    /// The annotated document as TEI P5 XML (instead of `format`).
    pub tei: bool,
    /// The last save: the file written, or why not.
    pub outcome: Option<Result<PathBuf, String>>,
}

impl ExportForm {
    /// The default file for exports of `doc` in `dir`.
    pub fn new(doc: Option<String>, dir: &std::path::Path) -> Self {
        let format = crate::export::Format::Md;
        let path = dir.join(default_file_name(doc.as_deref(), format)).display().to_string();
        Self { doc, format, path, replace: false, annotated: false, tei: false, outcome: None }
    }

    /// The default file name of what the form exports.
    pub fn file_name(&self) -> String {
        match (&self.doc, self.annotated) {
            (Some(id), true) if self.tei => format!("{}.tei.xml", id.replace(['/', '\\'], "_")),
            (Some(id), true) => format!("{}-annotated.{}", id.replace(['/', '\\'], "_"), self.format.extension()),
            _ => default_file_name(self.doc.as_deref(), self.format),
        }
    }

    /// Switches between the notes and the annotated document `doc` (as
    /// HTML), and the file name with it when it is still the default one.
    pub fn set_annotated(&mut self, annotated: bool, doc: Option<String>) {
        let old = self.file_name();
        self.annotated = annotated && doc.is_some();
        self.tei &= self.annotated;
        if self.annotated {
            // HTML first: the page a colleague opens in a browser.
            self.doc = doc;
            self.format = crate::export::Format::Html;
        } else if annotated {
            return; // no document open: nothing changes
        }
        let path = std::path::Path::new(&self.path);
        if path.file_name().is_some_and(|n| n.to_string_lossy() == old) {
            self.path = path.with_file_name(self.file_name()).display().to_string();
        }
    }

    /// Switches the annotated document to TEI (or back to `format`), and
    /// the file name with it when it is still the default one.
    pub fn set_tei(&mut self, tei: bool) {
        let old = self.file_name();
        self.tei = tei && self.annotated;
        let path = std::path::Path::new(&self.path);
        if path.file_name().is_some_and(|n| n.to_string_lossy() == old) {
            self.path = path.with_file_name(self.file_name()).display().to_string();
        }
    }

    /// Switches the format, and the path's extension with it when the
    /// file name is still the default one.
    pub fn set_format(&mut self, format: crate::export::Format) {
        self.set_tei(false);
        let path = std::path::Path::new(&self.path);
        let default = self.file_name();
        if path.file_name().is_some_and(|n| n.to_string_lossy() == default) {
            let renamed = Self { format, ..self.clone() };
            self.path = path.with_file_name(renamed.file_name()).display().to_string();
        } else if path.extension().is_some_and(|e| e.eq_ignore_ascii_case(self.format.extension())) {
            // A name of the user's with the old format's extension gets the new one.
            self.path = path.with_extension(format.extension()).display().to_string();
        }
        self.format = format;
    }
}

/// `sco-reader-notes.md`, or `sco-reader-notes-ID.md` for one document
/// (the id's `/` made `_`).
pub fn default_file_name(doc: Option<&str>, format: crate::export::Format) -> String {
    match doc {
        Some(id) => format!("sco-reader-notes-{}.{}", id.replace(['/', '\\'], "_"), format.extension()),
        None => format!("sco-reader-notes.{}", format.extension()),
    }
}

/// Notes state.
#[derive(Default)]
pub struct NotesState {
    store: Option<NoteStore>,
    /// Why notes are unavailable (no data directory, newer or damaged store).
    pub unavailable: Option<String>,
    /// Notes with where they are now, in store order.
    pub notes: Vec<(Note, Anchor)>,
    /// Ids of notes the store holds but cannot read (damaged rows).
    pub damaged: Vec<i64>,
    /// Current selection.
    pub selection: Option<Selection>,
    /// Note being edited.
    pub draft: Option<Draft>,
    /// Show all notes, not only the open document's.
    pub show_all: bool,
    /// Tag filter.
    pub tag_filter: Option<String>,
    /// Colour filter.
    pub color_filter: Option<String>,
    /// Last deleted note (for undo).
    pub undo: Option<i64>,
    /// Bumped whenever notes change (layout cache key).
    pub generation: u64,
    /// The export window, while it is open.
    pub export: Option<ExportForm>,
    /// A save dialog asked for the export's path.
    pub export_dialog: Option<mpsc::Receiver<Option<PathBuf>>>,
}

impl NotesState {
    /// Opens the store in `dir` (reporting, not failing, when it cannot).
    pub fn open(dir: Option<PathBuf>) -> Self {
        let mut s = Self::default();
        match dir {
            None => s.unavailable = Some("no data directory for notes (set SCO_READER_DATA_DIR)".to_owned()),
            Some(dir) => match NoteStore::open_in(&dir) {
                Ok(store) => s.store = Some(store),
                Err(e) => s.unavailable = Some(e.to_string()),
            },
        }
        s
    }

    /// True when notes can be written.
    pub fn available(&self) -> bool {
        self.store.as_ref().is_some_and(|s| !s.is_read_only())
    }

    /// The store, to change it (the corrections share it); `None` when
    /// there is none or it is read-only.
    pub fn store_mut(&mut self) -> Option<&mut NoteStore> {
        self.store.as_mut().filter(|s| !s.is_read_only())
    }

    /// True when the store opened only to read (a read-only file or folder).
    pub fn read_only(&self) -> bool {
        self.store.as_ref().is_some_and(NoteStore::is_read_only)
    }

    /// Ties older notes to their files (once, after a corpus is loaded).
    pub fn adopt_files(&mut self, analysis: &Analysis) {
        let Some(store) = self.store.as_mut() else { return };
        if let Err(e) = crate::notes::adopt_files(store, analysis) {
            self.unavailable = Some(e.to_string());
        }
    }

    /// Puts a moved note on its new place for good.
    pub fn reanchor(&mut self, id: i64, analysis: &Analysis) -> Result<(), String> {
        let Some(store) = self.store.as_mut() else { return Ok(()) };
        let Some((note, anchor)) = self.notes.iter().find(|(n, _)| n.id == id).cloned() else { return Ok(()) };
        let Some((d, paragraph, start, end)) = anchor.place() else { return Ok(()) };
        let Some(doc) = analysis.doc(d) else { return Ok(()) };
        let new = NewNote { doc: doc.id.clone(), paragraph, start, end, ..Default::default() };
        let placed = crate::notes::prepare(analysis, &new).map_err(|e| e.to_string())?;
        let moved = Note { id, ..placed };
        let moved = Note { text: note.text, color: note.color, tags: note.tags, created: note.created, ..moved };
        store.reanchor(&moved).map_err(|e| e.to_string())?;
        self.reload(analysis);
        Ok(())
    }

    /// Reloads notes from the store and resolves them against `analysis`.
    pub fn reload(&mut self, analysis: &Analysis) {
        let Some(store) = &self.store else { return };
        match store.list_checked(None) {
            Ok((notes, damaged)) => {
                self.damaged = damaged;
                self.notes = notes
                    .into_iter()
                    .map(|n| {
                        let anchor = resolve(&n, analysis);
                        (n, anchor)
                    })
                    .collect();
                self.generation += 1;
            }
            Err(e) => self.unavailable = Some(e.to_string()),
        }
    }

    /// The document a note is on now, or was made on (for an orphan whose
    /// document is still there).
    pub fn doc_of(note: &Note, anchor: &Anchor, analysis: &Analysis) -> Option<DocIx> {
        anchor.place().map(|p| p.0).or_else(|| crate::notes::anchor::documents_of(note, analysis).first().copied())
    }

    /// Notes placed in document `doc`, paragraph `p`: `(start, end, colour)`.
    pub fn marks(&self, doc: DocIx, p: usize) -> Vec<(usize, usize, &str)> {
        self.notes
            .iter()
            .filter_map(|(n, a)| a.place().filter(|pl| pl.0 == doc && pl.1 == p).map(|pl| (pl.2, pl.3, n.color.as_str())))
            .collect()
    }

    /// Starts a draft for the selection.
    pub fn draft_from_selection(&mut self, analysis: &Analysis) -> bool {
        let Some(sel) = self.selection else { return false };
        let Some((start, end)) = sel.range() else { return false };
        let Some(doc) = analysis.doc(sel.doc) else { return false };
        let quote: String =
            doc.paragraphs.get(sel.paragraph).map(|p| p.text.chars().skip(start).take(end - start).collect()).unwrap_or_default();
        self.draft = Some(Draft {
            id: None,
            doc: doc.id.clone(),
            paragraph: sel.paragraph,
            start,
            end,
            quote,
            text: String::new(),
            color: crate::notes::COLORS[0].to_owned(),
            tags: String::new(),
        });
        true
    }

    /// Starts editing a stored note.
    pub fn edit(&mut self, id: i64) {
        if let Some((n, _)) = self.notes.iter().find(|(n, _)| n.id == id) {
            self.draft = Some(Draft {
                id: Some(n.id),
                doc: n.doc.clone(),
                paragraph: n.paragraph,
                start: n.start,
                end: n.end,
                quote: n.quote.clone(),
                text: n.text.clone(),
                color: n.color.clone(),
                tags: n.tags.join(", "),
            });
        }
    }

    /// Saves the draft; returns an error message for the status bar.
    pub fn save_draft(&mut self, analysis: &Analysis) -> Result<(), String> {
        let Some(draft) = self.draft.clone() else { return Ok(()) };
        let Some(store) = self.store.as_mut() else { return Err(self.unavailable.clone().unwrap_or_default()) };
        let tags: Vec<String> =
            draft.tags.split([',', '，', ';', '；']).map(|t| t.trim().to_owned()).filter(|t| !t.is_empty()).collect();
        match draft.id {
            Some(id) => {
                let Some((mut note, _)) = self.notes.iter().find(|(n, _)| n.id == id).cloned() else {
                    return Err("note not found".to_owned());
                };
                note.text = draft.text;
                note.color = draft.color;
                note.tags = tags;
                store.update(&note).map_err(|e| e.to_string())?;
            }
            None => {
                let new = NewNote {
                    doc: draft.doc,
                    paragraph: draft.paragraph,
                    start: draft.start,
                    end: draft.end,
                    text: draft.text,
                    color: draft.color,
                    tags,
                };
                let note = crate::notes::prepare(analysis, &new).map_err(|e| e.to_string())?;
                store.add(&note).map_err(|e| e.to_string())?;
                self.selection = None;
            }
        }
        self.draft = None;
        self.reload(analysis);
        Ok(())
    }

    /// Deletes a note (undo brings it back).
    pub fn delete(&mut self, id: i64, analysis: &Analysis) -> Result<(), String> {
        let Some(store) = self.store.as_mut() else { return Ok(()) };
        store.delete(id).map_err(|e| e.to_string())?;
        self.undo = Some(id);
        self.reload(analysis);
        Ok(())
    }

    /// Undoes the last delete.
    pub fn undo_delete(&mut self, analysis: &Analysis) -> Result<(), String> {
        let (Some(store), Some(id)) = (self.store.as_mut(), self.undo.take()) else { return Ok(()) };
        store.undelete(id).map_err(|e| e.to_string())?;
        self.reload(analysis);
        Ok(())
    }

    /// Every tag in use, sorted.
    pub fn all_tags(&self) -> Vec<String> {
        let mut tags: Vec<String> = self.notes.iter().flat_map(|(n, _)| n.tags.iter().cloned()).collect();
        tags.sort();
        tags.dedup();
        tags
    }
}
