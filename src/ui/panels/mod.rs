//! The window's panels. Each one draws from a borrowed, read-only
//! [`ViewCtx`] and pushes [`Command`]s; the app applies them after the frame
//! (the rule of rerun's viewer). A panel may keep a memo of what it laid
//! out ([`PanelCaches`]: galleys, row positions): derived data it rebuilds
//! from the context, never state that another panel or the app reads.

pub mod compare;
pub mod corrections;
pub mod document;
pub mod forms;
pub mod side;
pub mod status;
pub mod timeline;
pub mod toolbar;
pub mod trends;

use super::command::Command;
use super::loader::LoadedCorpus;
use super::state::AppState;
use crate::corpus::CorpusSource;

/// What a panel may read: the state on screen and the corpus.
pub struct ViewCtx<'a> {
    /// Settings, view, side lists, find, search, notes.
    pub state: &'a AppState,
    /// The corpus on screen, if one is loaded.
    pub corpus: Option<&'a LoadedCorpus>,
    /// A load in progress: what, and how far.
    pub loading: Option<(&'a CorpusSource, super::loader::LoadProgress)>,
}

/// Where panels send what they ask for.
#[derive(Default)]
pub struct Commands(Vec<Command>);

impl Commands {
    /// Asks for `command` (applied after the frame).
    pub fn push(&mut self, command: Command) {
        self.0.push(command);
    }

    /// The commands pushed, in order.
    pub fn into_vec(self) -> Vec<Command> {
        self.0
    }
}

/// A spinner and what is being done, for a view computed off the window's
/// thread ([`crate::ui::jobs`]).
pub fn computing(ui: &mut egui::Ui, what: &str) {
    ui.horizontal(|ui| {
        ui.spinner();
        ui.label(egui::RichText::new(what).weak());
    });
}

/// Gives a text field the keyboard with its whole text selected, so that
/// typing replaces an old query (Ctrl+F, Ctrl+Shift+F).
pub fn focus_select_all(ui: &egui::Ui, response: &egui::Response, text: &str) {
    response.request_focus();
    if let Some(mut state) = egui::TextEdit::load_state(ui.ctx(), response.id) {
        let all = egui::text::CCursorRange::two(egui::text::CCursor::new(0), egui::text::CCursor::new(text.chars().count()));
        state.cursor.set_char_range(Some(all));
        egui::TextEdit::store_state(ui.ctx(), response.id, state);
    }
}

/// The panels' memos of what they laid out.
#[derive(Default)]
pub struct PanelCaches {
    /// Paragraph layouts of the open document.
    pub document: document::DocLayout,
    /// The timeline's rows and their positions.
    pub timeline: timeline::TimelineRows,
}

/// Lays out the whole window for one frame; returns what the panels asked for.
pub fn frame_ui(ctx: &ViewCtx<'_>, caches: &mut PanelCaches, ui: &mut egui::Ui) -> Vec<Command> {
    let mut out = Commands::default();
    egui::Panel::top("toolbar").show(ui, |ui| toolbar::toolbar_ui(ctx, ui, &mut out));
    egui::Panel::bottom("status").show(ui, |ui| status::status_ui(ctx, ui, &mut out));
    egui::Panel::left("timeline")
        .default_size(250.0)
        .min_size(180.0)
        .max_size(420.0)
        .show(ui, |ui| timeline::timeline_ui(ctx, &mut caches.timeline, ui, &mut out));
    egui::Panel::right("side")
        .default_size(360.0)
        .min_size(260.0)
        .max_size(640.0)
        .show(ui, |ui| side::side_ui(ctx, ui, &mut out));
    egui::CentralPanel::default().show(ui, |ui| document::document_ui(ctx, &mut caches.document, ui, &mut out));
    status::help_window(ctx, ui.ctx(), &mut out);
    status::errors_window(ctx, ui.ctx(), &mut out);
    forms::open_window(ctx, ui.ctx(), &mut out);
    forms::export_window(ctx, ui.ctx(), &mut out);
    corrections::correction_window(ctx, ui.ctx(), &mut out);
    compare::compare_window(ctx, ui.ctx(), &mut out);
    trends::trends_window(ctx, ui.ctx(), &mut out);
    compare::offices_window(ctx, ui.ctx(), &mut out);
    out.into_vec()
}
