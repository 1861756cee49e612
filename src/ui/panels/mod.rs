//! The window's panels. Each draws from the app's state and pushes
//! [`Command`](super::command::Command)s; none mutates the corpus.

pub mod document;
pub mod side;
pub mod status;
pub mod timeline;
pub mod toolbar;

use super::app::ReaderApp;

/// Lays out the whole window for one frame.
pub fn frame_ui(app: &mut ReaderApp, ui: &mut egui::Ui) {
    egui::Panel::top("toolbar").show(ui, |ui| toolbar::toolbar_ui(app, ui));
    egui::Panel::bottom("status").show(ui, |ui| status::status_ui(app, ui));
    egui::Panel::left("timeline")
        .default_size(250.0)
        .min_size(180.0)
        .max_size(420.0)
        .show(ui, |ui| timeline::timeline_ui(app, ui));
    egui::Panel::right("side").default_size(360.0).min_size(260.0).max_size(640.0).show(ui, |ui| side::side_ui(app, ui));
    egui::CentralPanel::default().show(ui, |ui| document::document_ui(app, ui));
    status::help_window(app, ui.ctx());
    status::errors_window(app, ui.ctx());
}
