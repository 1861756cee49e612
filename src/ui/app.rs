//! The application: saved state, runtime handles, the frame's layout, and
//! the commands panels send, applied after each frame.

use super::command::{Command, SideTab};
use super::i18n::{Lang, tr};
use super::loader::{LoadedCorpus, Loader};
use super::panels::{self, document::DocLayout};
use super::theme::ThemeChoice;
use crate::corpus::CorpusSource;
use crate::index::{AgreementCard, DocAgreement, EntityCard};
use crate::model::EntityKind;
use serde::{Deserialize, Serialize};
use std::path::PathBuf;
use std::sync::{Arc, mpsc};

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
}

impl Default for SavedState {
    fn default() -> Self {
        Self {
            source: CorpusSource::Bundled,
            lang: Lang::from_system(),
            theme: ThemeChoice::System,
            hidden_kinds: Vec::new(),
            show_events: true,
            last_doc: None,
            tab: SideTab::Citations,
        }
    }
}

const STORAGE_KEY: &str = "sco-reader";

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
struct NavPoint {
    doc: usize,
    paragraph: Option<usize>,
    card: Option<Card>,
}

/// What the user is looking at (not persisted beyond `last_doc`).
#[derive(Default)]
pub struct ViewState {
    /// Open document.
    pub doc: Option<usize>,
    /// Card in the side panel.
    pub card: Option<Card>,
    /// Paragraph to bring into view on the next frame.
    pub scroll_to: Option<usize>,
    /// Paragraph flashing, and since when (seconds of egui time).
    pub flash: Option<(usize, f64)>,
    history: Vec<NavPoint>,
    history_pos: usize,
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
    pub doc: Option<usize>,
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
    /// Hits `(paragraph, start, end)` in the open document.
    pub hits: Vec<(usize, usize, usize)>,
    /// Index of the current hit.
    pub current: usize,
    /// Give the field focus on the next frame.
    pub focus: bool,
    /// Bumped whenever hits or the current hit change (layout cache key).
    pub generation: u64,
    computed_for: Option<(usize, String)>,
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
    /// Give the field focus on the next frame.
    pub focus: bool,
    /// Only documents with the entity or agreement of the open card.
    pub restrict: bool,
    computed_for: Option<(String, bool, Option<Card>)>,
}

/// Hits shown in the side panel (the rest are counted).
pub const SHOWN_HITS: usize = 1000;

/// The eframe app.
pub struct ReaderApp {
    /// Persisted state.
    pub saved: SavedState,
    /// The corpus on screen.
    pub corpus: Option<Arc<LoadedCorpus>>,
    /// A load in progress.
    pub loader: Option<Loader>,
    /// What is on screen.
    pub view: ViewState,
    /// Side panel data.
    pub side: SideData,
    /// Document layout cache.
    pub layout: DocLayout,
    /// A message for the status bar.
    pub status: Option<String>,
    /// Find in the document.
    pub find: FindState,
    /// Search the corpus.
    pub corpus_search: CorpusSearch,
    /// Notes, selection and the note editor.
    pub notes: super::notes_state::NotesState,
    /// Help overlay open.
    pub show_help: bool,
    /// Unreadable files window open.
    pub show_errors: bool,
    /// A jump requested by a `sco-reader://` link, done when the corpus is ready.
    pending_link: Option<(String, usize)>,
    /// The status message shown, and since when (it fades after a while).
    status_shown: Option<(String, f64)>,
    dialog: Option<mpsc::Receiver<Option<PathBuf>>>,
    /// Notes, the user's gazetteer and the analysis cache live here.
    data_dir: Option<PathBuf>,
    /// A load to start once the current frame is drawn.
    pub deferred_load: Option<CorpusSource>,
    commands: Vec<Command>,
    applied_theme: Option<ThemeChoice>,
}

impl ReaderApp {
    /// Creates the app: restores saved state, installs the font, starts loading.
    /// `args` are the `open` arguments (paths or a `sco-reader://` link).
    pub fn new(cc: &eframe::CreationContext<'_>, args: Vec<String>) -> Self {
        super::fonts::install_fonts(&cc.egui_ctx);
        let saved: SavedState = cc.storage.and_then(|s| eframe::get_value(s, STORAGE_KEY)).unwrap_or_default();
        Self::with_state(&cc.egui_ctx, saved, args, crate::data_dir())
    }

    /// Creates the app from a given saved state and data directory (for
    /// notes); tests use this with a temporary directory.
    pub fn with_state(ctx: &egui::Context, mut saved: SavedState, args: Vec<String>, data_dir: Option<PathBuf>) -> Self {
        let mut pending_link = None;
        let mut paths = Vec::new();
        for a in args {
            match parse_link(&a) {
                Some(link) => pending_link = Some(link),
                None => paths.push(PathBuf::from(a)),
            }
        }
        if !paths.is_empty() {
            saved.source = CorpusSource::Paths(paths);
        }
        if let CorpusSource::Paths(p) = &saved.source
            && !p.iter().any(|p| p.exists())
        {
            saved.source = CorpusSource::Bundled;
        }
        let mut app = Self {
            saved,
            corpus: None,
            loader: None,
            view: ViewState::default(),
            side: SideData::default(),
            layout: DocLayout::default(),
            status: None,
            find: FindState::default(),
            corpus_search: CorpusSearch::default(),
            notes: super::notes_state::NotesState::open(data_dir.clone()),
            data_dir,
            deferred_load: None,
            show_help: false,
            show_errors: false,
            pending_link,
            status_shown: None,
            dialog: None,
            commands: Vec::new(),
            applied_theme: None,
        };
        // Loading starts after the first frame is drawn: the window comes
        // up at once, whatever the corpus size.
        app.deferred_load = Some(app.saved.source.clone());
        ctx.request_repaint();
        app
    }

    fn start_loading(&mut self, ctx: &egui::Context, source: CorpusSource) {
        let ctx = ctx.clone();
        self.loader = Some(Loader::start(source, self.data_dir.clone(), move || ctx.request_repaint()));
    }

    /// True while a load runs.
    pub fn is_loading(&self) -> bool {
        self.loader.is_some() || self.deferred_load.is_some()
    }

    /// Pushes a command (panels call this through their context).
    pub fn push(&mut self, command: Command) {
        self.commands.push(command);
    }

    fn poll_loader(&mut self) {
        let Some(corpus) = self.loader.as_ref().and_then(Loader::try_take) else { return };
        self.loader = None;
        self.saved.source = corpus.source.clone();
        self.view = ViewState::default();
        self.side = SideData::default();
        self.layout = DocLayout::default();
        self.find.computed_for = None;
        self.corpus_search.computed_for = None;
        self.notes.selection = None;
        self.notes.draft = None;
        self.notes.reload(&corpus.analysis);
        if let crate::cache::Outcome::NotStored(why) = &corpus.cache {
            self.status = Some(why.clone());
        }
        // Reopen the last document, or a linked one, or the first on the timeline.
        let link = self.pending_link.take();
        let linked = link.as_ref().and_then(|(id, p)| corpus.index.doc_index(id).map(|d| (d, *p)));
        let last = self.saved.last_doc.as_deref().and_then(|id| corpus.index.doc_index(id));
        let first = corpus.index.timeline.first().map(|r| r.doc);
        self.corpus = Some(corpus);
        match (linked, last.or(first)) {
            (Some((doc, paragraph)), _) => self.commands.push(Command::Jump { doc, paragraph }),
            (None, Some(doc)) => self.commands.push(Command::OpenDocument(doc)),
            _ => {}
        }
    }

    fn poll_dialog(&mut self) {
        let Some(rx) = &self.dialog else { return };
        match rx.try_recv() {
            Ok(Some(path)) => {
                self.dialog = None;
                self.commands.push(Command::OpenPaths(vec![path]));
            }
            Ok(None) | Err(mpsc::TryRecvError::Disconnected) => {
                self.dialog = None;
                self.status = Some(tr(self.saved.lang, "no_dialog").to_owned());
            }
            Err(mpsc::TryRecvError::Empty) => {}
        }
    }

    fn handle_input(&mut self, ctx: &egui::Context) {
        let (dropped, keys) = ctx.input(|i| {
            let dropped: Vec<PathBuf> =
                i.raw.dropped_files.iter().map(|f| f.path().to_path_buf()).filter(|p| !p.as_os_str().is_empty()).collect();
            let m = i.modifiers;
            let mut keys = Vec::new();
            if m.command && i.key_pressed(egui::Key::O) {
                keys.push(Command::OpenFolderDialog);
            }
            if m.alt && i.key_pressed(egui::Key::ArrowLeft) {
                keys.push(Command::Back);
            }
            if m.alt && i.key_pressed(egui::Key::ArrowRight) {
                keys.push(Command::Forward);
            }
            if i.key_pressed(egui::Key::F1) {
                keys.push(Command::ToggleHelp);
            }
            if m.command && m.shift && i.key_pressed(egui::Key::N) {
                keys.push(Command::AddNote);
            }
            if m.command && i.key_pressed(egui::Key::F) {
                keys.push(if m.shift { Command::OpenCorpusSearch } else { Command::OpenFind });
            }
            (dropped, keys)
        });
        // Number keys toggle kinds, unless a text field has focus.
        let typing = ctx.memory(|m| m.focused().is_some());
        if !typing {
            let digits = [egui::Key::Num1, egui::Key::Num2, egui::Key::Num3, egui::Key::Num4, egui::Key::Num5, egui::Key::Num6];
            for (key, kind) in digits.into_iter().zip(EntityKind::ALL) {
                if ctx.input(|i| i.key_pressed(key) && i.modifiers.is_none()) {
                    self.commands.push(Command::ToggleKind(kind));
                }
            }
            if ctx.input(|i| i.key_pressed(egui::Key::Escape)) {
                if self.find.open {
                    self.commands.push(Command::CloseFind);
                } else if self.show_help || self.show_errors {
                    self.show_help = false;
                    self.show_errors = false;
                } else {
                    self.commands.push(Command::CloseCard);
                }
            }
        }
        self.commands.extend(keys);
        if !dropped.is_empty() {
            self.status = Some(tr(self.saved.lang, "dropped").to_owned());
            self.commands.push(Command::OpenPaths(dropped));
        }
    }

    /// Applies the commands pushed during the frame.
    fn apply(&mut self, ctx: &egui::Context) {
        let commands = std::mem::take(&mut self.commands);
        for c in commands {
            self.apply_one(ctx, c);
        }
    }

    fn apply_one(&mut self, ctx: &egui::Context, command: Command) {
        match command {
            Command::OpenDocument(doc) => self.navigate(ctx, NavPoint { doc, paragraph: None, card: self.view.card.clone() }),
            Command::Jump { doc, paragraph } => {
                self.navigate(ctx, NavPoint { doc, paragraph: Some(paragraph), card: self.view.card.clone() });
            }
            Command::ShowAgreement(id) => {
                self.saved.tab = SideTab::Citations;
                self.set_card(Some(Card::Agreement(id)));
            }
            Command::ShowEntity(kind, canonical) => {
                if kind == EntityKind::Agreement {
                    self.apply_one(ctx, Command::ShowAgreement(canonical));
                    return;
                }
                self.saved.tab = SideTab::Entities;
                self.set_card(Some(Card::Entity(kind, canonical)));
            }
            Command::CloseCard => self.set_card(None),
            Command::SetTab(tab) => {
                if self.saved.tab != tab {
                    self.saved.tab = tab;
                }
            }
            Command::ToggleKind(kind) => {
                if let Some(i) = self.saved.hidden_kinds.iter().position(|k| *k == kind) {
                    self.saved.hidden_kinds.remove(i);
                } else {
                    self.saved.hidden_kinds.push(kind);
                }
            }
            Command::Back => self.step_history(ctx, -1),
            Command::Forward => self.step_history(ctx, 1),
            Command::OpenFolderDialog => self.open_dialog(),
            Command::OpenPaths(paths) => {
                self.saved.last_doc = None;
                self.start_loading(ctx, CorpusSource::Paths(paths));
            }
            Command::OpenBundled => {
                self.saved.last_doc = None;
                self.start_loading(ctx, CorpusSource::Bundled);
            }
            Command::SetTheme(t) => self.saved.theme = t,
            Command::SetLang(l) => self.saved.lang = l,
            Command::ToggleHelp => self.show_help = !self.show_help,
            Command::ToggleErrors => self.show_errors = !self.show_errors,
            Command::ToggleEvents => self.saved.show_events = !self.saved.show_events,
            Command::OpenFind => {
                self.find.open = true;
                self.find.focus = true;
            }
            Command::CloseFind => {
                self.find.open = false;
                self.find.hits.clear();
                self.find.computed_for = None;
                self.find.generation += 1;
            }
            Command::FindStep(delta) => {
                let n = self.find.hits.len();
                if n > 0 {
                    self.find.current = (self.find.current as isize + delta).rem_euclid(n as isize) as usize;
                    self.find.generation += 1;
                    self.view.scroll_to = Some(self.find.hits[self.find.current].0);
                }
            }
            Command::OpenCorpusSearch => {
                self.saved.tab = SideTab::Search;
                self.corpus_search.focus = true;
            }
            Command::AddNote => {
                if let Some(corpus) = self.corpus.clone() {
                    if self.notes.draft_from_selection(&corpus.analysis) {
                        self.saved.tab = SideTab::Notes;
                    } else {
                        self.status = Some(tr(self.saved.lang, "select_first").to_owned());
                    }
                }
            }
            Command::SaveNote => {
                if let Some(corpus) = self.corpus.clone()
                    && let Err(e) = self.notes.save_draft(&corpus.analysis)
                {
                    self.status = Some(e);
                }
            }
            Command::CancelNote => self.notes.draft = None,
            Command::EditNote(id) => {
                self.notes.edit(id);
                self.saved.tab = SideTab::Notes;
            }
            Command::DeleteNote(id) => {
                if let Some(corpus) = self.corpus.clone()
                    && let Err(e) = self.notes.delete(id, &corpus.analysis)
                {
                    self.status = Some(e);
                }
            }
            Command::UndoDelete => {
                if let Some(corpus) = self.corpus.clone()
                    && let Err(e) = self.notes.undo_delete(&corpus.analysis)
                {
                    self.status = Some(e);
                }
            }
            Command::ExportNotes(format, doc) => self.export_dialog(format, doc),
        }
    }

    /// Status messages go away after a few seconds.
    fn expire_status(&mut self, ctx: &egui::Context) {
        const SECONDS: f64 = 8.0;
        let now = ctx.input(|i| i.time);
        match (&self.status, &self.status_shown) {
            (Some(msg), Some((shown, since))) if msg == shown => {
                if now - since > SECONDS {
                    self.status = None;
                    self.status_shown = None;
                } else {
                    ctx.request_repaint_after(std::time::Duration::from_secs(1));
                }
            }
            (Some(msg), _) => {
                self.status_shown = Some((msg.clone(), now));
                ctx.request_repaint_after(std::time::Duration::from_secs(1));
            }
            (None, _) => self.status_shown = None,
        }
    }

    fn export_dialog(&mut self, format: crate::export::Format, doc: Option<String>) {
        if self.notes.export_dialog.is_some() {
            return;
        }
        let name = format!("sco-reader-notes.{}", format.extension());
        let future =
            rfd::AsyncFileDialog::new().set_file_name(&name).add_filter(format.extension(), &[format.extension()]).save_file();
        let (tx, rx) = mpsc::channel();
        let spawned = std::thread::Builder::new().name("sco-reader-save".to_owned()).spawn(move || {
            let picked = pollster::block_on(future).map(|h| h.path().to_path_buf());
            let _ = tx.send(picked);
        });
        match spawned {
            Ok(_) => self.notes.export_dialog = Some((format, doc, rx)),
            Err(_) => self.status = Some(tr(self.saved.lang, "no_save_dialog").to_owned()),
        }
    }

    fn poll_export(&mut self) {
        let Some((format, doc, rx)) = &self.notes.export_dialog else { return };
        let picked = match rx.try_recv() {
            Ok(p) => p,
            Err(mpsc::TryRecvError::Empty) => return,
            Err(mpsc::TryRecvError::Disconnected) => None,
        };
        let (format, doc) = (*format, doc.clone());
        self.notes.export_dialog = None;
        let lang = self.saved.lang;
        let Some(path) = picked else {
            self.status = Some(tr(lang, "no_save_dialog").to_owned());
            return;
        };
        let Some(corpus) = self.corpus.clone() else { return };
        let notes: Vec<crate::notes::Note> = self.notes.notes.iter().map(|(n, _)| n.clone()).collect();
        let items = crate::export::items(&corpus.analysis, &notes, doc.as_deref());
        let text = crate::export::render(format, &corpus.source.describe(), &items);
        self.status = Some(match crate::export::write_file(&path, &text) {
            Ok(()) => format!("{} {}", tr(lang, "exported_to"), path.display()),
            Err(e) => format!("{}: {e}", path.display()),
        });
    }

    /// Recomputes find-in-document hits when the query or document changed.
    pub fn refresh_find(&mut self) {
        let Some(corpus) = &self.corpus else { return };
        let Some(doc) = self.view.doc else { return };
        let key = (doc, self.find.query.clone());
        if !self.find.open || self.find.computed_for.as_ref() == Some(&key) {
            return;
        }
        self.find.hits = crate::search::search_document(&corpus.analysis.documents[doc], &self.find.query, false);
        self.find.current = 0;
        self.find.generation += 1;
        self.find.computed_for = Some(key);
        if let Some(first) = self.find.hits.first() {
            self.view.scroll_to = Some(first.0);
        }
    }

    /// Reruns the corpus search when the query or options changed.
    pub fn refresh_corpus_search(&mut self) {
        let Some(corpus) = &self.corpus else { return };
        let card = if self.corpus_search.restrict { self.view.card.clone() } else { None };
        let key = (self.corpus_search.query.clone(), self.corpus_search.expand_sco, card.clone());
        if self.corpus_search.computed_for.as_ref() == Some(&key) {
            return;
        }
        let mut options = crate::search::SearchOptions { expand_sco: key.1, max_hits: SHOWN_HITS, ..Default::default() };
        match card {
            Some(Card::Agreement(id)) => options.agreement = Some(id),
            Some(Card::Entity(kind, name)) => options.entity = Some((kind, name)),
            None => {}
        }
        // Until the search index is built (just after the corpus is shown),
        // there are no results; the next frame asks again.
        let Some(search) = corpus.search.get() else {
            self.corpus_search.results = None;
            return;
        };
        self.corpus_search.results = search.search(&corpus.analysis, &key.0, &options).ok();
        self.corpus_search.selected = 0;
        self.corpus_search.computed_for = Some(key);
    }

    fn set_card(&mut self, card: Option<Card>) {
        self.view.card = card.clone();
        if let Some(point) = self.view.history.get_mut(self.view.history_pos) {
            point.card = card;
        }
        self.refresh_card();
    }

    fn refresh_card(&mut self) {
        let Some(corpus) = &self.corpus else { return };
        self.side.agreement_card = None;
        self.side.entity_card = None;
        match &self.view.card {
            Some(Card::Agreement(id)) => self.side.agreement_card = corpus.index.agreement_card(&corpus.analysis, id),
            Some(Card::Entity(kind, c)) => self.side.entity_card = Some(corpus.index.entity_card(&corpus.analysis, *kind, c)),
            None => {}
        }
    }

    fn navigate(&mut self, ctx: &egui::Context, point: NavPoint) {
        let pos = (self.view.history_pos + 1).min(self.view.history.len());
        self.view.history.truncate(pos);
        self.view.history.push(point.clone());
        self.view.history_pos = self.view.history.len() - 1;
        self.show_point(ctx, point);
    }

    fn step_history(&mut self, ctx: &egui::Context, delta: isize) {
        let target = self.view.history_pos as isize + delta;
        if target < 0 || target as usize >= self.view.history.len() {
            return;
        }
        self.view.history_pos = target as usize;
        let point = self.view.history[self.view.history_pos].clone();
        self.show_point(ctx, point);
    }

    fn show_point(&mut self, ctx: &egui::Context, point: NavPoint) {
        let Some(corpus) = self.corpus.clone() else { return };
        if point.doc >= corpus.analysis.documents.len() {
            return;
        }
        if self.view.doc != Some(point.doc) {
            self.view.doc = Some(point.doc);
            self.side.doc = Some(point.doc);
            self.side.agreements = corpus.index.doc_agreements(&corpus.analysis, point.doc);
            self.side.entities = corpus.index.doc_entities(&corpus.analysis.documents[point.doc]);
            self.saved.last_doc = Some(corpus.analysis.documents[point.doc].id.clone());
        }
        self.view.scroll_to = Some(point.paragraph.unwrap_or(0));
        self.view.flash = point.paragraph.map(|p| (p, ctx.input(|i| i.time)));
        if self.view.card != point.card {
            self.view.card = point.card;
            self.refresh_card();
        }
    }

    fn open_dialog(&mut self) {
        if self.dialog.is_some() {
            return;
        }
        // The future is made here (some platforms need the UI thread for
        // that) and awaited on a thread, so the window never blocks.
        let future = rfd::AsyncFileDialog::new().set_title("sco-reader").pick_folder();
        let (tx, rx) = mpsc::channel();
        let spawned = std::thread::Builder::new().name("sco-reader-dialog".to_owned()).spawn(move || {
            let picked = pollster::block_on(future).map(|h| h.path().to_path_buf());
            let _ = tx.send(picked);
        });
        match spawned {
            Ok(_) => self.dialog = Some(rx),
            Err(_) => self.status = Some(tr(self.saved.lang, "no_dialog").to_owned()),
        }
    }

    /// One frame (shared by eframe and the tests).
    pub fn frame(&mut self, ui: &mut egui::Ui) {
        let ctx = ui.ctx().clone();
        if self.applied_theme != Some(self.saved.theme) {
            ctx.set_theme(self.saved.theme.preference());
            self.applied_theme = Some(self.saved.theme);
        }
        self.poll_loader();
        self.poll_dialog();
        self.poll_export();
        self.handle_input(&ctx);
        panels::frame_ui(self, ui);
        self.apply(&ctx);
        self.expire_status(&ctx);
        if let Some(source) = self.deferred_load.take() {
            self.start_loading(&ctx, source);
        }
        if self.loader.is_some() || self.dialog.is_some() || self.notes.export_dialog.is_some() {
            ctx.request_repaint_after(std::time::Duration::from_millis(100));
        }
    }
}

impl eframe::App for ReaderApp {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        self.frame(ui);
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        eframe::set_value(storage, STORAGE_KEY, &self.saved);
    }
}

/// `sco-reader://open?doc=ID&p=N` → (doc id, paragraph).
pub fn parse_link(arg: &str) -> Option<(String, usize)> {
    let query = arg.strip_prefix("sco-reader://open?")?;
    let mut doc = None;
    let mut paragraph = 0;
    for pair in query.split('&') {
        match pair.split_once('=') {
            Some(("doc", v)) => doc = Some(percent_decode(v)),
            Some(("p", v)) => paragraph = v.parse().unwrap_or(0),
            _ => {}
        }
    }
    doc.map(|d| (d, paragraph))
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).ok().and_then(|h| u8::from_str_radix(h, 16).ok());
            if let Some(b) = hex {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}
