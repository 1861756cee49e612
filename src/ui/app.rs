//! The application: the frame (input, panels, commands), the one place
//! where commands change the state, loading, dialogs and persistence.

use super::command::{Command, SideTab};
use super::i18n::tr;
use super::jobs::Job;
use super::loader::{LoadedCorpus, Loader};
use super::notes_state::NotesState;
use super::panels::{self, PanelCaches, ViewCtx};
use super::state::{AppState, Card, CorpusSearch, FindState, FocusTarget, NavPoint, SavedState, SideData, ViewState};
use super::theme::ThemeChoice;
use crate::corpus::CorpusSource;
use crate::model::{DocIx, EntityKind};
use std::path::PathBuf;
use std::sync::{Arc, mpsc};

mod corrections;
mod views;

const STORAGE_KEY: &str = "sco-reader";

/// The eframe app: the state on screen, the corpus, the panels' memos and
/// the runtime handles (loader, dialogs). Only [`ReaderApp::apply`]'s
/// command handling writes the state.
pub struct ReaderApp {
    /// Everything the panels show.
    pub state: AppState,
    /// The corpus on screen.
    pub corpus: Option<Arc<LoadedCorpus>>,
    /// A load in progress.
    pub loader: Option<Loader>,
    /// The panels' memos of what they laid out.
    pub caches: PanelCaches,
    /// A jump requested by a `sco-reader://` link, done when the corpus is ready.
    pending_link: Option<(String, usize)>,
    /// The status message shown, and since when (it fades after a while).
    status_shown: Option<(String, f64)>,
    dialog: Option<mpsc::Receiver<Option<Vec<PathBuf>>>>,
    /// Notes, the user's gazetteer and the analysis cache live here.
    data_dir: Option<PathBuf>,
    /// A load to start once the current frame is drawn.
    pub deferred_load: Option<CorpusSource>,
    commands: Vec<Command>,
    applied_theme: Option<ThemeChoice>,
    /// Arguments of later launches, handed over by [`crate::instance`].
    launches: Option<mpsc::Receiver<Vec<String>>>,
    /// The socket later launches reach this window by (removed on drop).
    _instance: Option<crate::instance::Listener>,
    /// The window title last sent.
    title_sent: Option<String>,
    /// The load running re-applies corrections or re-reads changed files:
    /// the view stays as it is when the documents are the same.
    keep_view: bool,
    /// The watch on the open corpus's files, and the corpus it is for.
    watcher: Option<(CorpusSource, super::watcher::CorpusWatcher)>,
    /// What is new in a document, being computed for it.
    novelty_job: Option<Job<DocIx, crate::compare::novelty::Novelty>>,
    /// Terms over time, being counted for the terms typed.
    trends_job: Option<Job<String, Vec<crate::compare::trends::Series>>>,
    /// The office table, being gathered.
    offices_job: Option<Job<(), Vec<crate::compare::offices::Person>>>,
    /// The corpus search, running for a query, option and card.
    search_job: Option<Job<SearchKey, Option<crate::search::SearchResults>>>,
}

/// What a corpus search is for: the query, 上合组织 ↔ 上海合作组织, the card
/// it is narrowed to.
type SearchKey = (String, bool, Option<Card>);

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
            state: AppState {
                saved,
                view: ViewState::default(),
                side: SideData::default(),
                find: FindState::default(),
                corpus_search: CorpusSearch::default(),
                notes: NotesState::open(data_dir.clone()),
                corrections: Default::default(),
                status: None,
                show_help: false,
                show_errors: false,
                focus: None,
                open_form: None,
                compare: None,
                trends: None,
                offices: None,
                offices_computing: false,
            },
            corpus: None,
            loader: None,
            caches: PanelCaches::default(),
            data_dir,
            deferred_load: None,
            pending_link,
            status_shown: None,
            dialog: None,
            commands: Vec::new(),
            applied_theme: None,
            launches: None,
            _instance: None,
            title_sent: None,
            keep_view: false,
            watcher: None,
            novelty_job: None,
            trends_job: None,
            offices_job: None,
            search_job: None,
        };
        // Loading starts after the first frame is drawn: the window comes
        // up at once, whatever the corpus size.
        app.deferred_load = Some(app.state.saved.source.clone());
        ctx.request_repaint();
        app
    }

    /// Listens at `socket` for later launches: their files are opened and
    /// their links followed in this window, which comes to the front. When
    /// another window already listens there, this one does not.
    pub fn listen_for_launches(&mut self, ctx: &egui::Context, socket: &std::path::Path) {
        let (tx, rx) = mpsc::channel();
        let ctx = ctx.clone();
        let deliver = move |args: Vec<String>| {
            if tx.send(args).is_ok() {
                ctx.request_repaint();
            }
        };
        match crate::instance::listen(socket, deliver) {
            Ok(listener) => {
                self._instance = Some(listener);
                self.launches = Some(rx);
            }
            Err(e) => eprintln!("sco-reader: later launches open their own window: {e}"),
        }
    }

    /// A sender standing for later launches (tests hand arguments over
    /// through it as the socket's thread does).
    pub fn launch_sender(&mut self) -> mpsc::Sender<Vec<String>> {
        let (tx, rx) = mpsc::channel();
        self.launches = Some(rx);
        tx
    }

    fn poll_launches(&mut self, ctx: &egui::Context) {
        let Some(rx) = &self.launches else { return };
        let received: Vec<Vec<String>> = rx.try_iter().collect();
        for args in received {
            self.open_args(args);
            ctx.send_viewport_cmd(egui::ViewportCommand::Minimized(false));
            ctx.send_viewport_cmd(egui::ViewportCommand::Focus);
        }
    }

    /// Opens what a launch names: files or folders (a new corpus), and a
    /// link followed once the document is at hand.
    fn open_args(&mut self, args: Vec<String>) {
        let mut paths = Vec::new();
        for a in args {
            match parse_link(&a) {
                Some(link) => self.pending_link = Some(link),
                None => paths.push(PathBuf::from(a)),
            }
        }
        if !paths.is_empty() {
            self.commands.push(Command::OpenPaths(paths));
            return;
        }
        if self.is_loading() {
            return; // followed when the corpus arrives
        }
        let Some((id, paragraph)) = self.pending_link.take() else { return };
        match self.corpus.as_ref().and_then(|c| c.analysis.doc_ix(&id)) {
            Some(doc) => self.commands.push(Command::Jump { doc, paragraph, span: None }),
            None => {
                self.state.status = Some(tr(self.state.saved.lang, "link_not_here").replace("{}", &id));
            }
        }
    }

    /// The window's title: the open document's, then the program's.
    pub fn window_title(&self) -> String {
        let doc = self.corpus.as_ref().zip(self.state.view.doc).and_then(|(c, d)| c.analysis.doc(d));
        match doc {
            Some(d) => format!("{} — sco-reader", d.title),
            None => "sco-reader".to_owned(),
        }
    }

    /// Watches the open corpus's folders; once a change has settled, loads
    /// the corpus again (only what changed is new; the view stays).
    fn poll_watcher(&mut self, ctx: &egui::Context) {
        let Some(source) = self.corpus.as_ref().map(|c| c.source.clone()) else { return };
        let CorpusSource::Paths(paths) = &source else {
            self.watcher = None;
            return;
        };
        if self.watcher.as_ref().is_none_or(|(watched, _)| *watched != source) {
            let repaint = ctx.clone();
            self.watcher =
                super::watcher::CorpusWatcher::start(paths, move || repaint.request_repaint()).map(|w| (source.clone(), w));
        }
        let Some((_, watcher)) = self.watcher.as_mut() else { return };
        if self.loader.is_some() {
            return; // changes wait for the load running; it repaints when done
        }
        match watcher.poll(std::time::Instant::now()) {
            Ok(true) => {
                self.state.status = Some(tr(self.state.saved.lang, "files_changed").to_owned());
                self.keep_view = true;
                self.start_loading(ctx, source);
            }
            Ok(false) => {}
            Err(wait) => ctx.request_repaint_after(wait),
        }
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
        // "Reading them again…" is done; the status bar says how (from cache or not).
        if self.state.status.as_deref() == Some(tr(self.state.saved.lang, "files_changed")) {
            self.state.status = None;
        }
        // Corrections re-applied to the same documents: positions hold, the view stays.
        let same_documents = self.corpus.as_ref().is_some_and(|old| {
            old.analysis.documents.len() == corpus.analysis.documents.len()
                && old.analysis.documents.iter().zip(&corpus.analysis.documents).all(|(a, b)| a.id == b.id)
        });
        if std::mem::take(&mut self.keep_view) && same_documents {
            self.caches = PanelCaches::default();
            self.state.find.computed_for = None;
            self.state.corpus_search.computed_for = None;
            self.state.notes.reload(&corpus.analysis);
            self.state.view.novelty = None;
            self.state.view.highlight = None;
            // Agreement ids are positions: a merge or split renumbers them.
            // A card (and the history) follows its agreement by its title.
            if let Some(old) = self.corpus.as_ref() {
                let follow = |card: &mut Option<Card>| {
                    if let Some(Card::Agreement(id)) = card {
                        let now = old
                            .analysis
                            .agreement(id)
                            .and_then(|a| crate::corrections::apply::agreement_of_wording(&corpus.analysis, &a.title));
                        *card = now.map(Card::Agreement);
                    }
                };
                follow(&mut self.state.view.card);
                for point in &mut self.state.view.history {
                    follow(&mut point.card);
                }
            }
            self.corpus = Some(corpus.clone());
            if let Some(doc) = self.state.view.doc {
                self.state.side.agreements = corpus.index.doc_agreements(&corpus.analysis, doc);
                self.state.side.entities = corpus.index.doc_entities(&corpus.analysis.documents[doc]);
            }
            self.refresh_card();
            return;
        }
        self.state.saved.source = corpus.source.clone();
        self.state.view = ViewState::default();
        self.state.side = SideData::default();
        self.caches = PanelCaches::default();
        self.state.find.computed_for = None;
        self.state.corpus_search.computed_for = None;
        self.state.notes.selection = None;
        self.state.notes.draft = None;
        self.state.notes.adopt_files(&corpus.analysis);
        self.state.notes.reload(&corpus.analysis);
        if let crate::cache::Outcome::NotStored(why) = &corpus.cache {
            self.state.status = Some(why.clone());
        }
        // Reopen the last document, or a linked one, or the first on the timeline.
        let link = self.pending_link.take();
        let linked = link.as_ref().and_then(|(id, p)| corpus.analysis.doc_ix(id).map(|d| (d, *p)));
        let last = self.state.saved.last_doc.as_deref().and_then(|id| corpus.analysis.doc_ix(id));
        let first = corpus.index.timeline.first().map(|r| r.doc);
        if let Some((id, _)) = link.as_ref().filter(|_| linked.is_none()) {
            self.state.status = Some(tr(self.state.saved.lang, "link_not_here").replace("{}", id));
        }
        self.corpus = Some(corpus);
        match (linked, last.or(first)) {
            (Some((doc, paragraph)), _) => self.commands.push(Command::Jump { doc, paragraph, span: None }),
            (None, Some(doc)) => self.commands.push(Command::OpenDocument(doc)),
            _ => {}
        }
    }

    fn poll_dialog(&mut self) {
        let Some(rx) = &self.dialog else { return };
        match rx.try_recv() {
            Ok(Some(paths)) if !paths.is_empty() => {
                self.dialog = None;
                self.commands.push(Command::OpenPaths(paths));
            }
            Ok(_) | Err(mpsc::TryRecvError::Disconnected) => {
                self.dialog = None;
                self.state.status = Some(tr(self.state.saved.lang, "no_dialog").to_owned());
            }
            Err(mpsc::TryRecvError::Empty) => {}
        }
    }

    fn handle_input(&mut self, ctx: &egui::Context) {
        let (dropped, mut keys) = ctx.input(|i| {
            let dropped: Vec<PathBuf> =
                i.raw.dropped_files.iter().map(|f| f.path().to_path_buf()).filter(|p| !p.as_os_str().is_empty()).collect();
            // A shortcut is read with the modifiers its key event carried:
            // the modifiers of the frame may already be released when the
            // keys of a fast chord arrive in one batch.
            let chord = |command: bool, shift: bool, key: egui::Key| {
                i.events.iter().any(|e| {
                    matches!(e, egui::Event::Key { key: k, pressed: true, modifiers, .. }
                        if *k == key && modifiers.command == command && modifiers.shift == shift && !modifiers.alt)
                })
            };
            let alt = |key: egui::Key| {
                i.events
                    .iter()
                    .any(|e| matches!(e, egui::Event::Key { key: k, pressed: true, modifiers, .. } if *k == key && modifiers.alt))
            };
            let mut keys = Vec::new();
            if chord(true, false, egui::Key::O) {
                keys.push(Command::ShowOpenForm);
            }
            if chord(true, true, egui::Key::O) {
                keys.push(Command::OpenFilesDialog);
            }
            // Ctrl+C (egui turns the shortcut into a Copy event).
            if i.events.iter().any(|e| matches!(e, egui::Event::Copy)) {
                keys.push(Command::CopySelection { cite: false });
            }
            if alt(egui::Key::ArrowLeft) {
                keys.push(Command::Back);
            }
            if alt(egui::Key::ArrowRight) {
                keys.push(Command::Forward);
            }
            if i.key_pressed(egui::Key::F1) {
                keys.push(Command::ToggleHelp);
            }
            if chord(true, true, egui::Key::N) {
                keys.push(Command::AddNote);
            }
            if chord(true, false, egui::Key::F) {
                keys.push(Command::OpenFind);
            }
            if chord(true, true, egui::Key::F) {
                keys.push(Command::OpenCorpusSearch);
            }
            (dropped, keys)
        });
        // Number keys toggle kinds, unless a text field has focus.
        let typing = ctx.memory(|m| m.focused().is_some());
        // A text field copies its own selection.
        if typing {
            keys.retain(|k| *k != Command::CopySelection { cite: false });
        }
        let escape = ctx.input(|i| i.key_pressed(egui::Key::Escape));
        if escape && self.state.notes.draft.is_some() {
            // Esc leaves the note being written, wherever the focus is.
            self.commands.push(Command::CancelNote);
        } else if escape && self.state.notes.export.is_some() {
            self.commands.push(Command::CloseExport);
        } else if escape && self.state.open_form.is_some() {
            self.commands.push(Command::CloseOpenForm);
        } else if !typing {
            let digits = [egui::Key::Num1, egui::Key::Num2, egui::Key::Num3, egui::Key::Num4, egui::Key::Num5, egui::Key::Num6];
            for (key, kind) in digits.into_iter().zip(EntityKind::ALL) {
                if ctx.input(|i| i.key_pressed(key) && i.modifiers.is_none()) {
                    self.commands.push(Command::ToggleKind(kind));
                }
            }
            if escape {
                if self.state.find.open {
                    self.commands.push(Command::CloseFind);
                } else if self.state.show_help || self.state.show_errors {
                    self.state.show_help = false;
                    self.state.show_errors = false;
                } else {
                    self.commands.push(Command::CloseCard);
                }
            }
        }
        self.commands.extend(keys);
        if !dropped.is_empty() {
            self.state.status = Some(tr(self.state.saved.lang, "dropped").to_owned());
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
            Command::OpenDocument(doc) => {
                self.navigate(ctx, NavPoint { doc, paragraph: None, card: self.state.view.card.clone(), span: None });
            }
            Command::Jump { doc, paragraph, span } => {
                self.navigate(ctx, NavPoint { doc, paragraph: Some(paragraph), card: self.state.view.card.clone(), span });
            }
            Command::ShowAgreement(id) => {
                self.state.saved.tab = SideTab::Citations;
                self.set_card(Some(Card::Agreement(id)));
            }
            Command::ShowEntity(kind, canonical) => {
                if kind == EntityKind::Agreement {
                    self.apply_one(ctx, Command::ShowAgreement(canonical));
                    return;
                }
                self.state.saved.tab = SideTab::Entities;
                self.set_card(Some(Card::Entity(kind, canonical)));
            }
            Command::CloseCard => self.set_card(None),
            Command::SetTab(tab) => {
                if self.state.saved.tab != tab {
                    self.state.saved.tab = tab;
                }
            }
            Command::ToggleKind(kind) => {
                if let Some(i) = self.state.saved.hidden_kinds.iter().position(|k| *k == kind) {
                    self.state.saved.hidden_kinds.remove(i);
                } else {
                    self.state.saved.hidden_kinds.push(kind);
                }
            }
            Command::Back => self.step_history(ctx, -1),
            Command::Forward => self.step_history(ctx, 1),
            Command::ShowOpenForm => {
                let last = match &self.state.saved.source {
                    CorpusSource::Paths(p) if p.len() == 1 => p[0].display().to_string(),
                    _ => super::export_form::documents_dir().display().to_string(),
                };
                self.state.open_form = Some(self.state.open_form.take().unwrap_or(last));
                self.state.focus = Some(FocusTarget::OpenPath);
            }
            Command::SetOpenPath(path) => {
                if self.state.open_form.is_some() {
                    self.state.open_form = Some(path);
                }
            }
            Command::CloseOpenForm => self.state.open_form = None,
            Command::OpenFolderDialog => self.open_dialog(false),
            Command::OpenFilesDialog => self.open_dialog(true),
            Command::OpenPaths(paths) => {
                self.state.open_form = None;
                self.state.saved.last_doc = None;
                self.start_loading(ctx, CorpusSource::Paths(paths));
            }
            Command::OpenBundled => {
                self.state.saved.last_doc = None;
                self.start_loading(ctx, CorpusSource::Bundled);
            }
            Command::SetTheme(t) => self.state.saved.theme = t,
            Command::SetLang(l) => self.state.saved.lang = l,
            Command::ToggleHelp => self.state.show_help = !self.state.show_help,
            Command::ToggleErrors => self.state.show_errors = !self.state.show_errors,
            Command::Compare(a, b) => {
                let Some(corpus) = self.corpus.clone() else { return };
                if let (Some(da), Some(db)) = (corpus.analysis.doc(a), corpus.analysis.doc(b)) {
                    let pairs = crate::compare::align::align(da, db);
                    self.state.compare = Some(super::state::CompareState { a, b, pairs });
                }
            }
            Command::CloseCompare => self.state.compare = None,
            Command::SetNovelty(on) => self.state.view.show_novelty = on,
            Command::Trends(typed, per_10k) => {
                if self.corpus.is_none() {
                    return;
                }
                // The same terms shown another way: nothing to count again.
                let old = self.state.trends.take().unwrap_or_default();
                let computing = old.computing || old.typed != typed || old.series.is_empty() && !typed.trim().is_empty();
                self.state.trends = Some(super::state::TrendsState { typed, per_10k, series: old.series, computing });
                if computing {
                    self.count_trends(ctx);
                }
            }
            Command::CloseTrends => {
                self.state.trends = None;
                self.trends_job = None;
            }
            Command::ToggleOffices => {
                let open = self.state.offices.is_some() || self.state.offices_computing;
                self.state.offices = None;
                self.offices_job = None;
                self.state.offices_computing = false;
                if !open {
                    self.gather_offices(ctx);
                }
            }
            Command::SetKwic(kwic) => self.state.corpus_search.kwic = kwic,
            Command::CopyKwicCsv => {
                if let (Some(corpus), Some(results)) = (self.corpus.clone(), self.state.corpus_search.results.as_ref()) {
                    let mut lines = crate::compare::kwic::lines(&corpus.analysis, &results.hits, super::state::KWIC_CONTEXT);
                    if let Some(by_left) = self.state.corpus_search.kwic.flatten() {
                        crate::compare::kwic::sort(&mut lines, by_left);
                    }
                    ctx.copy_text(crate::compare::kwic::to_csv(&lines));
                    self.state.status = Some(tr(self.state.saved.lang, "kwic_copied").to_owned());
                }
            }
            Command::ToggleEvents => self.state.saved.show_events = !self.state.saved.show_events,
            Command::OpenFind => {
                self.state.find.open = true;
                self.state.focus = Some(FocusTarget::Find);
            }
            Command::CloseFind => {
                self.state.find.open = false;
                self.state.find.hits.clear();
                self.state.find.computed_for = None;
                self.state.find.generation += 1;
            }
            Command::FindStep(delta) => {
                let n = self.state.find.hits.len();
                if n > 0 {
                    self.state.find.current = (self.state.find.current as isize + delta).rem_euclid(n as isize) as usize;
                    self.state.find.generation += 1;
                    self.state.view.scroll_to = Some(self.state.find.hits[self.state.find.current].paragraph);
                }
            }
            Command::OpenCorpusSearch => {
                self.state.saved.tab = SideTab::Search;
                self.state.focus = Some(FocusTarget::Search);
            }
            Command::AddNote => {
                if let Some(corpus) = self.corpus.clone() {
                    if self.state.notes.draft_from_selection(&corpus.analysis) {
                        self.state.saved.tab = SideTab::Notes;
                        self.state.focus = Some(FocusTarget::NoteText);
                    } else {
                        self.state.status = Some(tr(self.state.saved.lang, "select_first").to_owned());
                    }
                }
            }
            Command::SaveNote => {
                if let Some(corpus) = self.corpus.clone()
                    && let Err(e) = self.state.notes.save_draft(&corpus.analysis)
                {
                    self.state.status = Some(e);
                }
            }
            Command::CancelNote => self.state.notes.draft = None,
            Command::EditNote(id) => {
                self.state.notes.edit(id);
                self.state.saved.tab = SideTab::Notes;
                self.state.focus = Some(FocusTarget::NoteText);
            }
            Command::DeleteNote(id) => {
                if let Some(corpus) = self.corpus.clone()
                    && let Err(e) = self.state.notes.delete(id, &corpus.analysis)
                {
                    self.state.status = Some(e);
                }
            }
            Command::UndoDelete => {
                if let Some(corpus) = self.corpus.clone()
                    && let Err(e) = self.state.notes.undo_delete(&corpus.analysis)
                {
                    self.state.status = Some(e);
                }
            }
            Command::ShowExport(doc) => {
                let dir = self.state.saved.export_dir.clone().unwrap_or_else(super::export_form::documents_dir);
                self.state.notes.export = Some(super::notes_state::ExportForm::new(doc, &dir));
            }
            Command::EditExport(form) => {
                if self.state.notes.export.is_some() {
                    self.state.notes.export = Some(form);
                }
            }
            Command::SaveExport => self.save_export(),
            Command::BrowseExport => self.browse_export(),
            Command::CopyExport => {
                if let Some(text) = self.export_text(crate::export::Format::Md, false) {
                    ctx.copy_text(text);
                    self.state.status = Some(tr(self.state.saved.lang, "copied_markdown").to_owned());
                }
            }
            Command::CloseExport => self.state.notes.export = None,
            Command::RevealFolder(dir) => {
                if let Err(e) = open::that_detached(&dir) {
                    self.state.status = Some(format!("{}: {e}", dir.display()));
                }
            }
            Command::CopySelection { cite } => self.copy_selection(ctx, cite),
            Command::SearchFor(text) => {
                self.state.saved.tab = SideTab::Search;
                self.state.corpus_search.query = text;
            }
            Command::ReanchorNote(id) => {
                if let Some(corpus) = self.corpus.clone()
                    && let Err(e) = self.state.notes.reanchor(id, &corpus.analysis)
                {
                    self.state.status = Some(e);
                }
            }
            Command::Select(selection) => self.state.notes.selection = selection,
            Command::SetFindQuery(query) => self.state.find.query = query,
            Command::Focused => self.state.focus = None,
            Command::SetSearchQuery(query) => self.state.corpus_search.query = query,
            Command::SetSearchExpandSco(on) => self.state.corpus_search.expand_sco = on,
            Command::SetSearchRestrict(on) => self.state.corpus_search.restrict = on,
            Command::SelectSearchHit(i) => self.state.corpus_search.selected = i,
            Command::EditDraft(draft) => {
                if self.state.notes.draft.is_some() {
                    self.state.notes.draft = Some(draft);
                }
            }
            Command::ShowAllNotes(all) => self.state.notes.show_all = all,
            Command::FilterNotesByTag(tag) => self.state.notes.tag_filter = tag,
            Command::FilterNotesByColor(color) => self.state.notes.color_filter = color,
            c @ (Command::ShowCorrectionForm(_)
            | Command::EditCorrectionForm(_)
            | Command::SaveCorrectionForm
            | Command::CloseCorrectionForm
            | Command::RejectEntity { .. }
            | Command::MergeAgreements { .. }
            | Command::SplitAgreement(_)
            | Command::DeleteCorrection(_)
            | Command::UndoCorrection) => self.apply_correction(ctx, c),
        }
    }

    /// Status messages go away after a few seconds.
    fn expire_status(&mut self, ctx: &egui::Context) {
        const SECONDS: f64 = 8.0;
        let now = ctx.input(|i| i.time);
        match (&self.state.status, &self.status_shown) {
            (Some(msg), Some((shown, since))) if msg == shown => {
                if now - since > SECONDS {
                    self.state.status = None;
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

    /// The export of the form's notes in `format` (the annotated document as TEI when `tei`).
    fn export_text(&self, format: crate::export::Format, tei: bool) -> Option<String> {
        let corpus = self.corpus.as_ref()?;
        let form = self.state.notes.export.as_ref()?;
        let notes: Vec<crate::notes::Note> = self.state.notes.notes.iter().map(|(n, _)| n.clone()).collect();
        let items = crate::export::items(&corpus.analysis, &notes, form.doc.as_deref());
        let source = corpus.source.describe();
        if form.annotated {
            let doc = form.doc.as_deref().and_then(|id| corpus.analysis.doc_ix(id)).and_then(|d| corpus.analysis.doc(d))?;
            if tei {
                return Some(crate::export::tei::render(&corpus.analysis, &[doc], &items, &source));
            }
            return Some(match format {
                crate::export::Format::Md => crate::export::document::render_markdown(&corpus.analysis, doc, &items, &source),
                _ => crate::export::document::render_html(&corpus.analysis, doc, &items, &source),
            });
        }
        Some(crate::export::render(format, &source, &items))
    }

    /// Writes the export where the form says, never replacing a file the
    /// user has not agreed to replace, nor a read-only one.
    fn save_export(&mut self) {
        let Some(form) = self.state.notes.export.clone() else { return };
        let Some(text) = self.export_text(form.format, form.tei) else { return };
        let lang = self.state.saved.lang;
        let outcome = super::export_form::save(&form, &text, lang);
        if let Ok(path) = &outcome
            && let Some(dir) = path.parent()
        {
            // The window says where the file went (with a link to its folder).
            self.state.saved.export_dir = Some(dir.to_path_buf());
        }
        if let Some(f) = self.state.notes.export.as_mut() {
            f.outcome = Some(outcome);
            f.replace = false;
        }
    }

    /// The system's save dialog for the export's path (the path field works without it).
    fn browse_export(&mut self) {
        let Some(form) = &self.state.notes.export else { return };
        if self.state.notes.export_dialog.is_some() {
            return;
        }
        let path = std::path::Path::new(&form.path);
        let mut dialog = rfd::AsyncFileDialog::new()
            .add_filter(form.format.extension(), &[form.format.extension()])
            .set_file_name(path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default());
        if let Some(dir) = path.parent().filter(|d| d.is_dir()) {
            dialog = dialog.set_directory(dir);
        }
        let future = dialog.save_file();
        let (tx, rx) = mpsc::channel();
        let spawned = std::thread::Builder::new().name("sco-reader-save".to_owned()).spawn(move || {
            let picked = pollster::block_on(future).map(|h| h.path().to_path_buf());
            let _ = tx.send(picked);
        });
        match spawned {
            Ok(_) => self.state.notes.export_dialog = Some(rx),
            Err(_) => self.state.status = Some(tr(self.state.saved.lang, "no_save_dialog").to_owned()),
        }
    }

    fn poll_export(&mut self) {
        let Some(rx) = &self.state.notes.export_dialog else { return };
        let picked = match rx.try_recv() {
            Ok(p) => p,
            Err(mpsc::TryRecvError::Empty) => return,
            Err(mpsc::TryRecvError::Disconnected) => None,
        };
        self.state.notes.export_dialog = None;
        match (picked, self.state.notes.export.as_mut()) {
            (Some(path), Some(form)) => {
                form.path = path.display().to_string();
                // The dialog asked about replacing an existing file.
                form.replace = path.exists();
                self.save_export();
            }
            _ => self.state.status = Some(tr(self.state.saved.lang, "no_save_dialog").to_owned()),
        }
    }

    /// Puts the selected passage on the clipboard, with its citation when asked.
    fn copy_selection(&mut self, ctx: &egui::Context, cite: bool) {
        let (Some(corpus), Some(sel)) = (self.corpus.as_ref(), self.state.notes.selection) else { return };
        let Some((start, end)) = sel.range() else { return };
        let Some(doc) = corpus.analysis.doc(sel.doc) else { return };
        let Some(p) = doc.paragraphs.get(sel.paragraph) else { return };
        let quote: String = p.text.chars().skip(start).take(end - start).collect();
        let text = if cite { crate::export::citation(doc, sel.paragraph, &quote) } else { quote };
        ctx.copy_text(text);
        self.state.status = Some(tr(self.state.saved.lang, if cite { "copied_cited" } else { "copied" }).to_owned());
    }

    /// Recomputes find-in-document hits when the query or document changed.
    fn refresh_find(&mut self) {
        let Some(corpus) = &self.corpus else { return };
        let Some(doc) = self.state.view.doc else { return };
        let key = (doc, self.state.find.query.clone());
        if !self.state.find.open || self.state.find.computed_for.as_ref() == Some(&key) {
            return;
        }
        self.state.find.hits = crate::search::search_document(&corpus.analysis.documents[doc], &self.state.find.query, false);
        self.state.find.current = 0;
        self.state.find.generation += 1;
        self.state.find.computed_for = Some(key);
        if let Some(first) = self.state.find.hits.first() {
            self.state.view.scroll_to = Some(first.paragraph);
        }
    }

    /// Reruns the corpus search when the query or options changed.
    fn set_card(&mut self, card: Option<Card>) {
        self.state.view.card = card.clone();
        if let Some(point) = self.state.view.history.get_mut(self.state.view.history_pos) {
            point.card = card;
        }
        self.refresh_card();
    }

    fn refresh_card(&mut self) {
        let Some(corpus) = &self.corpus else { return };
        self.state.side.agreement_card = None;
        self.state.side.entity_card = None;
        match &self.state.view.card {
            Some(Card::Agreement(id)) => self.state.side.agreement_card = corpus.index.agreement_card(&corpus.analysis, id),
            Some(Card::Entity(kind, c)) => {
                self.state.side.entity_card = Some(corpus.index.entity_card(&corpus.analysis, *kind, c));
            }
            None => {}
        }
    }

    fn navigate(&mut self, ctx: &egui::Context, point: NavPoint) {
        let pos = (self.state.view.history_pos + 1).min(self.state.view.history.len());
        self.state.view.history.truncate(pos);
        self.state.view.history.push(point.clone());
        self.state.view.history_pos = self.state.view.history.len() - 1;
        self.show_point(ctx, point);
    }

    fn step_history(&mut self, ctx: &egui::Context, delta: isize) {
        let target = self.state.view.history_pos as isize + delta;
        if target < 0 || target as usize >= self.state.view.history.len() {
            return;
        }
        self.state.view.history_pos = target as usize;
        let point = self.state.view.history[self.state.view.history_pos].clone();
        self.show_point(ctx, point);
    }

    fn show_point(&mut self, ctx: &egui::Context, point: NavPoint) {
        let Some(corpus) = self.corpus.clone() else { return };
        if corpus.analysis.doc(point.doc).is_none() {
            return;
        }
        if self.state.view.doc != Some(point.doc) {
            self.state.view.doc = Some(point.doc);
            self.state.side.doc = Some(point.doc);
            self.state.side.agreements = corpus.index.doc_agreements(&corpus.analysis, point.doc);
            self.state.side.entities = corpus.index.doc_entities(&corpus.analysis.documents[point.doc]);
            self.state.saved.last_doc = Some(corpus.analysis.documents[point.doc].id.clone());
        }
        self.state.view.scroll_to = Some(point.paragraph.unwrap_or(0));
        self.state.view.flash = point.paragraph.map(|p| (p, ctx.input(|i| i.time)));
        self.state.view.highlight = match (point.paragraph, point.span) {
            (Some(paragraph), Some((start, end))) => Some((point.doc, crate::model::ParagraphSpan { paragraph, start, end })),
            _ => None,
        };
        if self.state.view.card != point.card {
            self.state.view.card = point.card;
            self.refresh_card();
        }
    }

    /// The system dialog for a folder, or for documents of the formats the
    /// reader opens (`files`).
    fn open_dialog(&mut self, files: bool) {
        if self.dialog.is_some() {
            return;
        }
        // The future is made here (some platforms need the UI thread for
        // that) and awaited on a thread, so the window never blocks.
        let dialog = rfd::AsyncFileDialog::new().set_title("sco-reader");
        let (tx, rx) = mpsc::channel();
        let spawned = if files {
            let lang = self.state.saved.lang;
            let future = dialog.add_filter(tr(lang, "documents_filter"), &crate::corpus::formats::extensions()).pick_files();
            std::thread::Builder::new().name("sco-reader-dialog".to_owned()).spawn(move || {
                let picked = pollster::block_on(future).map(|hs| hs.iter().map(|h| h.path().to_path_buf()).collect());
                let _ = tx.send(picked);
            })
        } else {
            let future = dialog.pick_folder();
            std::thread::Builder::new().name("sco-reader-dialog".to_owned()).spawn(move || {
                let picked = pollster::block_on(future).map(|h| vec![h.path().to_path_buf()]);
                let _ = tx.send(picked);
            })
        };
        match spawned {
            Ok(_) => self.dialog = Some(rx),
            Err(_) => self.state.status = Some(tr(self.state.saved.lang, "no_dialog").to_owned()),
        }
    }

    /// One frame (shared by eframe and the tests): input, the panels drawn
    /// from a read-only view of the state, then their commands applied and
    /// whatever they make stale (find hits, search results) recomputed.
    pub fn frame(&mut self, ui: &mut egui::Ui) {
        let ctx = ui.ctx().clone();
        if self.applied_theme != Some(self.state.saved.theme) {
            ctx.set_theme(self.state.saved.theme.preference());
            self.applied_theme = Some(self.state.saved.theme);
        }
        self.poll_loader();
        self.poll_watcher(&ctx);
        self.poll_dialog();
        self.poll_export();
        self.poll_launches(&ctx);
        self.handle_input(&ctx);
        self.refresh_find();
        self.refresh_corpus_search(&ctx);
        let loading = self
            .loader
            .as_ref()
            .map(|l| (&l.source, l.progress()))
            .or(self.deferred_load.as_ref().map(|s| (s, super::loader::LoadProgress::default())));
        let view = ViewCtx { state: &self.state, corpus: self.corpus.as_deref(), loading };
        let commands = panels::frame_ui(&view, &mut self.caches, ui);
        // A jump is done once the panels have drawn it.
        self.state.view.scroll_to = None;
        self.commands.extend(commands);
        self.apply(&ctx);
        self.refresh_find();
        self.refresh_corpus_search(&ctx);
        self.expire_status(&ctx);
        if let Some(source) = self.deferred_load.take() {
            self.start_loading(&ctx, source);
        }
        self.poll_views(&ctx);
        let title = self.window_title();
        if self.title_sent.as_ref() != Some(&title) {
            ctx.send_viewport_cmd(egui::ViewportCommand::Title(title.clone()));
            self.title_sent = Some(title);
        }
        if self.loader.is_some() || self.dialog.is_some() || self.state.notes.export_dialog.is_some() {
            ctx.request_repaint_after(std::time::Duration::from_millis(100));
        }
    }
}

impl eframe::App for ReaderApp {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        self.frame(ui);
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        eframe::set_value(storage, STORAGE_KEY, &self.state.saved);
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
