//! What panels ask for. Panels draw from a borrowed context and push
//! commands; the app applies them after the frame.

use super::corrections_state::CorrectionForm;
use super::i18n::Lang;
use super::notes_state::{Draft, ExportForm, Selection};
use super::theme::ThemeChoice;
use crate::model::{DocIx, EntityKind};
use std::path::PathBuf;

/// A tab of the side panel.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum SideTab {
    /// Agreements cited.
    Citations,
    /// Entities.
    Entities,
    /// Notes.
    Notes,
    /// Corpus search.
    Search,
    /// The user's corrections of the markup.
    Corrections,
}

/// A request from a panel.
#[derive(Clone, Debug, PartialEq)]
pub enum Command {
    /// Show a document from its top.
    OpenDocument(DocIx),
    /// Show a paragraph, scroll it into view and flash it (and the span in it).
    Jump {
        /// Document index.
        doc: DocIx,
        /// Paragraph index.
        paragraph: usize,
        /// Chars `start..end` of the paragraph to highlight (a search hit, a mention).
        span: Option<(usize, usize)>,
    },
    /// Show an agreement's card.
    ShowAgreement(String),
    /// Show an entity's card.
    ShowEntity(EntityKind, String),
    /// Leave the card, back to the document's list.
    CloseCard,
    /// Switch the side panel's tab.
    SetTab(SideTab),
    /// Toggle highlighting of a kind.
    ToggleKind(EntityKind),
    /// Navigate back.
    Back,
    /// Navigate forward.
    Forward,
    /// Show the Open window (a path field, and the system dialogs).
    ShowOpenForm,
    /// The Open window's path field changed.
    SetOpenPath(String),
    /// Close the Open window.
    CloseOpenForm,
    /// Ask for a folder with the system dialog.
    OpenFolderDialog,
    /// Ask for documents (text, Markdown, web pages, PDF, Word) with the system dialog.
    OpenFilesDialog,
    /// Open files and folders.
    OpenPaths(Vec<PathBuf>),
    /// Open the bundled corpus.
    OpenBundled,
    /// Change the theme.
    SetTheme(ThemeChoice),
    /// Change the language.
    SetLang(Lang),
    /// Show or hide the help overlay.
    ToggleHelp,
    /// Show or hide the list of unreadable files.
    ToggleErrors,
    /// Compare two documents side by side (the first the earlier).
    Compare(DocIx, DocIx),
    /// Close the comparison.
    CloseCompare,
    /// Tint (or stop tinting) what is new since the previous meeting.
    SetNovelty(bool),
    /// Count these terms over time (the trends window), per 10,000 characters or not.
    Trends(String, bool),
    /// Close the trends window.
    CloseTrends,
    /// Open or close the office table.
    ToggleOffices,
    /// Show search hits as keyword in context, sorted by left or right context (or not at all).
    SetKwic(Option<Option<bool>>),
    /// Copy the keyword-in-context lines as CSV.
    CopyKwicCsv,
    /// Show or hide mentioned events on the timeline.
    ToggleEvents,
    /// Open the find bar of the document (Ctrl+F).
    OpenFind,
    /// Close the find bar.
    CloseFind,
    /// Go to the next (+1) or previous (-1) hit in the document.
    FindStep(isize),
    /// Open corpus search in the side panel (Ctrl+Shift+F).
    OpenCorpusSearch,
    /// Start a note on the selected passage (Ctrl+Shift+N).
    AddNote,
    /// Save the note being edited.
    SaveNote,
    /// Drop the note being edited.
    CancelNote,
    /// Edit a note.
    EditNote(i64),
    /// Delete a note.
    DeleteNote(i64),
    /// Bring back the last deleted note.
    UndoDelete,
    /// Show the export window for the notes of one document, or all.
    ShowExport(Option<String>),
    /// The export window's fields changed.
    EditExport(ExportForm),
    /// Write the export to the form's path.
    SaveExport,
    /// Ask for the export's path with the system dialog.
    BrowseExport,
    /// Put the export, as Markdown, on the clipboard.
    CopyExport,
    /// Close the export window.
    CloseExport,
    /// Show a folder in the file manager.
    RevealFolder(PathBuf),
    /// Copy the selected passage (with its citation: title, ¶, link).
    CopySelection {
        /// Add the document, paragraph and a `sco-reader://` link.
        cite: bool,
    },
    /// Search the corpus for this text.
    SearchFor(String),
    /// Put a moved note on its new place for good.
    ReanchorNote(i64),
    /// The passage selected in the document changed (or was cleared).
    Select(Option<Selection>),
    /// The find bar's text changed.
    SetFindQuery(String),
    /// The field asked to take the focus has it.
    Focused,
    /// The corpus search's text changed.
    SetSearchQuery(String),
    /// Search 上合组织 and 上海合作组织 as one.
    SetSearchExpandSco(bool),
    /// Search only the documents of the open card.
    SetSearchRestrict(bool),
    /// Choose a search hit (keyboard).
    SelectSearchHit(usize),
    /// The note being written changed (text, colour, tags).
    EditDraft(Draft),
    /// List the notes of every document (true) or of the open one.
    ShowAllNotes(bool),
    /// List only the notes with this tag.
    FilterNotesByTag(Option<String>),
    /// List only the notes of this colour.
    FilterNotesByColor(Option<String>),
    /// Open the form marking a span as an entity (or correcting one).
    ShowCorrectionForm(CorrectionForm),
    /// The correction form's fields changed.
    EditCorrectionForm(CorrectionForm),
    /// Store the form's correction and apply it.
    SaveCorrectionForm,
    /// Close the correction form.
    CloseCorrectionForm,
    /// Say chars `start..end` of a paragraph are no entity.
    RejectEntity {
        /// Document.
        doc: DocIx,
        /// Paragraph.
        paragraph: usize,
        /// Start char.
        start: usize,
        /// End char.
        end: usize,
    },
    /// Say agreement `merge` (id) is agreement `keep`.
    MergeAgreements {
        /// The agreement that stays.
        keep: String,
        /// The one merged into it.
        merge: String,
    },
    /// Make the citations with this wording an agreement of their own.
    SplitAgreement(String),
    /// Delete a correction.
    DeleteCorrection(i64),
    /// Bring back the last deleted correction.
    UndoCorrection,
}
