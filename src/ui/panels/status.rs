//! The status bar (corpus, counts, progress, unreadable files) and the
//! help and error windows.

use crate::corpus::CorpusSource;
use crate::ui::app::ReaderApp;
use crate::ui::command::Command;
use crate::ui::i18n::tr;

/// Draws the status bar.
pub fn status_ui(app: &mut ReaderApp, ui: &mut egui::Ui) {
    let lang = app.saved.lang;
    ui.horizontal(|ui| {
        let source =
            app.loader.as_ref().map(|l| &l.source).or(app.deferred_load.as_ref()).or(app.corpus.as_ref().map(|c| &c.source));
        let source_text = match source {
            Some(CorpusSource::Bundled) | None => tr(lang, "corpus_bundled").to_owned(),
            Some(s) => s.describe(),
        };
        ui.label(egui::RichText::new(source_text).weak());
        if let Some(corpus) = &app.corpus {
            ui.separator();
            ui.label(format!("{} {}", corpus.analysis.documents.len(), tr(lang, "documents")));
            if corpus.cache == crate::cache::Outcome::Hit {
                ui.label(egui::RichText::new(tr(lang, "from_cache")).weak().small());
            }
            let errors = corpus.analysis.errors.len();
            if errors > 0 {
                ui.separator();
                let text =
                    egui::RichText::new(format!("{errors} {}", tr(lang, "files_unreadable"))).color(ui.visuals().warn_fg_color);
                if ui.link(text).clicked() {
                    app.push(Command::ToggleErrors);
                }
            }
        }
        let progress = app.loader.as_ref().map(|l| l.progress()).or(app.deferred_load.as_ref().map(|_| 0.0));
        if let Some(progress) = progress {
            ui.separator();
            ui.label(tr(lang, "loading"));
            ui.add(egui::ProgressBar::new(progress).desired_width(160.0).show_percentage());
        }
        if let Some(msg) = &app.status {
            ui.separator();
            ui.label(egui::RichText::new(msg).italics());
        }
    });
}

/// The keyboard shortcuts overlay (F1).
pub fn help_window(app: &mut ReaderApp, ctx: &egui::Context) {
    if !app.show_help {
        return;
    }
    let lang = app.saved.lang;
    let mut open = true;
    egui::Window::new(tr(lang, "shortcuts"))
        .open(&mut open)
        .collapsible(false)
        .resizable(false)
        .anchor(egui::Align2::CENTER_CENTER, [0.0, 0.0])
        .show(ctx, |ui| {
            egui::Grid::new("shortcuts").num_columns(2).spacing([24.0, 6.0]).striped(true).show(ui, |ui| {
                for (keys, what) in [
                    ("Ctrl+O", "shortcut_open"),
                    ("Ctrl+F", "shortcut_find"),
                    ("Ctrl+Shift+F", "shortcut_search"),
                    ("Ctrl+Shift+N", "shortcut_note"),
                    ("Alt+← / Alt+→", "shortcut_back"),
                    ("1 … 6", "shortcut_kinds"),
                    ("Esc", "shortcut_escape"),
                    ("F1", "shortcut_help"),
                ] {
                    ui.label(egui::RichText::new(keys).monospace().strong());
                    ui.label(tr(lang, what));
                    ui.end_row();
                }
            });
        });
    if !open {
        app.show_help = false;
    }
}

/// The list of files that could not be read, with reasons.
pub fn errors_window(app: &mut ReaderApp, ctx: &egui::Context) {
    if !app.show_errors {
        return;
    }
    let Some(corpus) = app.corpus.clone() else { return };
    let lang = app.saved.lang;
    let mut open = true;
    egui::Window::new(tr(lang, "unreadable_title")).open(&mut open).default_width(560.0).show(ctx, |ui| {
        egui::ScrollArea::vertical().max_height(420.0).show(ui, |ui| {
            egui::Grid::new("errors").num_columns(2).spacing([16.0, 6.0]).striped(true).show(ui, |ui| {
                for e in &corpus.analysis.errors {
                    ui.label(egui::RichText::new(&e.source).strong());
                    ui.add(egui::Label::new(&e.message).wrap());
                    ui.end_row();
                }
            });
        });
    });
    if !open {
        app.show_errors = false;
    }
}
