//! The status bar (corpus, counts, progress, unreadable files) and the
//! help and error windows.

use super::{Commands, ViewCtx};
use crate::corpus::CorpusSource;
use crate::ui::command::Command;
use crate::ui::i18n::{count, tr};
use crate::ui::loader::LoadPhase;

/// Draws the status bar.
pub fn status_ui(ctx: &ViewCtx<'_>, ui: &mut egui::Ui, out: &mut Commands) {
    let lang = ctx.state.saved.lang;
    ui.horizontal(|ui| {
        let source = ctx.loading.map(|(s, _)| s).or(ctx.corpus.map(|c| &c.source));
        let source_text = match source {
            Some(CorpusSource::Bundled) | None => tr(lang, "corpus_bundled").to_owned(),
            Some(s) => s.describe(),
        };
        ui.label(egui::RichText::new(source_text).weak());
        if let Some(corpus) = ctx.corpus {
            ui.separator();
            ui.label(count(lang, "n_documents", corpus.analysis.documents.len()));
            match corpus.cache {
                crate::cache::Outcome::Hit => {
                    ui.label(egui::RichText::new(tr(lang, "from_cache")).weak().small());
                }
                // Only what changed was analysed: say so, it is why the load was quick.
                crate::cache::Outcome::Stored { analysed } if analysed < corpus.analysis.documents.len() => {
                    ui.label(egui::RichText::new(count(lang, "n_analysed_rest_cached", analysed)).weak().small());
                }
                _ => {}
            }
            let errors = corpus.analysis.errors.len();
            if errors > 0 {
                ui.separator();
                let text = egui::RichText::new(count(lang, "n_unreadable", errors)).color(ui.visuals().warn_fg_color);
                if ui.link(text).clicked() {
                    out.push(Command::ToggleErrors);
                }
            }
            let problems = corpus.gazetteer_warnings.len();
            if problems > 0 {
                ui.separator();
                let text = egui::RichText::new(count(lang, "n_gazetteer_problems", problems)).color(ui.visuals().warn_fg_color);
                if ui.link(text).clicked() {
                    out.push(Command::ToggleErrors);
                }
            }
        }
        if let Some((_, progress)) = ctx.loading {
            ui.separator();
            let phase = match progress.phase {
                LoadPhase::Finding => tr(lang, "loading_finding").to_owned(),
                LoadPhase::Reading { done, total } => tr(lang, "loading_reading").replace("{}", &format!("{done}/{total}")),
                LoadPhase::Analysing { done, total } => tr(lang, "loading_analysing").replace("{}", &format!("{done}/{total}")),
                LoadPhase::Indexing => tr(lang, "loading_indexing").to_owned(),
            };
            ui.label(phase);
            ui.add(egui::ProgressBar::new(progress.fraction).desired_width(160.0).show_percentage());
        }
        if let Some(msg) = &ctx.state.status {
            ui.separator();
            ui.label(egui::RichText::new(msg).italics());
        }
    });
}

/// The keyboard shortcuts overlay (F1).
pub fn help_window(view: &ViewCtx<'_>, ctx: &egui::Context, out: &mut Commands) {
    if !view.state.show_help {
        return;
    }
    let lang = view.state.saved.lang;
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
                    ("Ctrl+Shift+O", "shortcut_open_files"),
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
        out.push(Command::ToggleHelp);
    }
}

/// The list of files that could not be read, with reasons, and the
/// problems of the user's gazetteer.
pub fn errors_window(view: &ViewCtx<'_>, ctx: &egui::Context, out: &mut Commands) {
    if !view.state.show_errors {
        return;
    }
    let Some(corpus) = view.corpus else { return };
    let lang = view.state.saved.lang;
    let mut open = true;
    egui::Window::new(tr(lang, "unreadable_title")).open(&mut open).default_width(560.0).show(ctx, |ui| {
        egui::ScrollArea::vertical().max_height(420.0).show(ui, |ui| {
            egui::Grid::new("errors").num_columns(2).spacing([16.0, 6.0]).striped(true).show(ui, |ui| {
                for e in &corpus.analysis.errors {
                    ui.label(egui::RichText::new(&e.source).strong());
                    ui.add(egui::Label::new(&e.message).wrap());
                    ui.end_row();
                }
                for warning in &corpus.gazetteer_warnings {
                    ui.label(egui::RichText::new(tr(lang, "gazetteer_problems")).strong());
                    ui.add(egui::Label::new(warning).wrap());
                    ui.end_row();
                }
            });
        });
    });
    if !open {
        out.push(Command::ToggleErrors);
    }
}
