//! What the window shows, as plain data: the saved settings, the view
//! (open document, card, history), the side panel's lists, find and search,
//! notes. Panels read it through [`ViewCtx`](super::panels::ViewCtx); only
//! the app's command handling writes it.

use super::command::SideTab;
use super::i18n::Lang;
use super::notes_state::NotesState;
use super::theme::ThemeChoice;
use crate::corpus::CorpusSource;
use crate::index::{AgreementCard, DocAgreement, EntityCard};
use crate::model::{DocIx, EntityKind, ParagraphSpan};
use serde::{Deserialize, Serialize};

/// What is kept between runs (eframe persistence).
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(default)]
pub struct SavedState {
    /// The corpus opened last.
    pub source: CorpusSource,
    /// Interface language.
    pub lang: Lang,
    /// Theme.
    pub theme: ThemeChoice,
    /// Kinds whose highlight is off.
    pub hidden_kinds: Vec<EntityKind>,
    /// Show mentioned events on the timeline.
    pub show_events: bool,
    /// The document open last (id).
    pub last_doc: Option<String>,
    /// Side panel tab.
    pub tab: SideTab,
    /// The folder notes were last exported to.
    pub export_dir: Option<std::path::PathBuf>,
}

impl Default for SavedState {
    fn default() -> Self {
        Self {
            source: CorpusSource::Bundled,
            lang: Lang::from_system(),
            theme: ThemeChoice::System,
            hidden_kinds: Vec::new(),
            show_events: false,
            last_doc: None,
            tab: SideTab::Citations,
            export_dir: None,
        }
    }
}

/// A card shown in the side panel.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Card {
    /// An agreement, by id.
    Agreement(String),
    /// An entity.
    Entity(EntityKind, String),
}

/// A place in the navigation history.
#[derive(Clone, Debug, PartialEq)]
pub struct NavPoint {
    /// The document.
    pub doc: DocIx,
    /// The paragraph to bring into view, if any.
    pub paragraph: Option<usize>,
    /// The card shown beside it.
    pub card: Option<Card>,
    /// Chars of the paragraph to highlight there.
    pub span: Option<(usize, usize)>,
}

/// What the user is looking at (not persisted beyond `last_doc`).
#[derive(Default)]
pub struct ViewState {
    /// Open document.
    pub doc: Option<DocIx>,
    /// Card in the side panel.
    pub card: Option<Card>,
    /// Paragraph to bring into view on the next frame.
    pub scroll_to: Option<usize>,
    /// Paragraph flashing, and since when (seconds of egui time).
    pub flash: Option<(usize, f64)>,
    /// The span a jump landed on (a search hit, a mention), highlighted
    /// until the next jump.
    pub highlight: Option<(DocIx, ParagraphSpan)>,
    /// Places visited, for back and forward.
    pub history: Vec<NavPoint>,
    /// The place shown in `history`.
    pub history_pos: usize,
    /// Tint what the open document says that its body's earlier meetings did not.
    pub show_novelty: bool,
    /// What is new in a document ([`crate::compare::novelty`]), for the tint.
    pub novelty: Option<(DocIx, crate::compare::novelty::Novelty)>,
    /// The document whose novelty is being computed.
    pub novelty_computing: Option<DocIx>,
}

impl ViewState {
    /// Can go back.
    pub fn can_back(&self) -> bool {
        self.history_pos > 0
    }

    /// Can go forward.
    pub fn can_forward(&self) -> bool {
        self.history_pos + 1 < self.history.len()
    }
}

/// Cached plain data for the side panel.
#[derive(Default)]
pub struct SideData {
    /// Document the lists belong to.
    pub doc: Option<DocIx>,
    /// Agreements of the open document.
    pub agreements: Vec<DocAgreement>,
    /// Entities of the open document, by kind.
    pub entities: Vec<(EntityKind, Vec<(String, usize)>)>,
    /// The card being shown, computed once.
    pub agreement_card: Option<AgreementCard>,
    /// The entity card.
    pub entity_card: Option<EntityCard>,
}

/// The find bar of the open document (Ctrl+F).
#[derive(Default)]
pub struct FindState {
    /// Shown.
    pub open: bool,
    /// The text typed.
    pub query: String,
    /// Hits in the open document.
    pub hits: Vec<ParagraphSpan>,
    /// Index of the current hit.
    pub current: usize,
    /// Bumped whenever hits or the current hit change (layout cache key).
    pub generation: u64,
    /// The document and query the hits are for.
    pub computed_for: Option<(DocIx, String)>,
}

/// Corpus search in the side panel (Ctrl+Shift+F).
#[derive(Default)]
pub struct CorpusSearch {
    /// The text typed.
    pub query: String,
    /// 上合组织 ↔ 上海合作组织.
    pub expand_sco: bool,
    /// The last results.
    pub results: Option<crate::search::SearchResults>,
    /// Selected hit (keyboard).
    pub selected: usize,
    /// Only documents with the entity or agreement of the open card.
    pub restrict: bool,
    /// The query, option and card the results are for.
    pub computed_for: Option<(String, bool, Option<Card>)>,
    /// A search is running for what is typed now ([`crate::ui::jobs`]):
    /// `results` are for what was typed before.
    pub searching: bool,
    /// Hits as keyword-in-context lines, sorted by the left context
    /// (`Some(true)`), the right (`Some(false)`) or in text order (`None`).
    pub kwic: Option<Option<bool>>,
}

/// Characters of context each side of a keyword-in-context line.
pub const KWIC_CONTEXT: usize = 16;

/// Hits shown in the side panel (the rest are counted).
pub const SHOWN_HITS: usize = 1000;

/// A text field that takes the keyboard focus on the next frame.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FocusTarget {
    /// The find bar of the document.
    Find,
    /// The corpus search field.
    Search,
    /// The text of the note being written.
    NoteText,
    /// The path field of the Open window.
    OpenPath,
}

/// Everything the panels show, apart from the corpus itself.
pub struct AppState {
    /// Persisted state.
    pub saved: SavedState,
    /// What is on screen.
    pub view: ViewState,
    /// Side panel data.
    pub side: SideData,
    /// Find in the document.
    pub find: FindState,
    /// Search the corpus.
    pub corpus_search: CorpusSearch,
    /// Notes, selection and the note editor.
    pub notes: NotesState,
    /// The correction form and undo.
    pub corrections: super::corrections_state::CorrectionsState,
    /// A message for the status bar.
    pub status: Option<String>,
    /// Help overlay open.
    pub show_help: bool,
    /// Unreadable files window open.
    pub show_errors: bool,
    /// A field to focus on the next frame (its panel does, then says so).
    pub focus: Option<FocusTarget>,
    /// The Open window: the path typed, shown while `Some`.
    pub open_form: Option<String>,
    /// Two documents compared side by side, while `Some`.
    pub compare: Option<CompareState>,
    /// The trends window, while `Some`.
    pub trends: Option<TrendsState>,
    /// The office table (who held which office), while `Some`.
    pub offices: Option<Vec<crate::compare::offices::Person>>,
    /// The office table is being gathered ([`crate::ui::jobs`]).
    pub offices_computing: bool,
}

/// Terms counted over time.
#[derive(Clone, Debug, Default)]
pub struct TrendsState {
    /// The terms as typed (separated by spaces, commas or 、).
    pub typed: String,
    /// Per 10,000 characters (else absolute counts).
    pub per_10k: bool,
    /// One series per term ([`crate::compare::trends`]).
    pub series: Vec<crate::compare::trends::Series>,
    /// `series` are for other terms: the ones typed are being counted.
    pub computing: bool,
}

/// Two documents aligned paragraph by paragraph.
#[derive(Clone, Debug)]
pub struct CompareState {
    /// The first (earlier) document.
    pub a: DocIx,
    /// The second.
    pub b: DocIx,
    /// The alignment ([`crate::compare::align`]).
    pub pairs: Vec<crate::compare::align::Pair>,
}
