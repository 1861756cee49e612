//! The Open and Export windows: a path field that works everywhere, with
//! the system's file dialogs one click away where there is one.

use super::{Commands, ViewCtx};
use crate::export::Format;
use crate::ui::command::Command;
use crate::ui::i18n::tr;
use crate::ui::state::FocusTarget;

/// The Open window (Ctrl+O): a folder or file path, or the system dialogs.
pub fn open_window(view: &ViewCtx<'_>, ctx: &egui::Context, out: &mut Commands) {
    let Some(typed) = &view.state.open_form else { return };
    let lang = view.state.saved.lang;
    let mut open = true;
    egui::Window::new(tr(lang, "open_title"))
        .id(egui::Id::unique("open-window"))
        .open(&mut open)
        .collapsible(false)
        .resizable(false)
        .default_width(460.0)
        .anchor(egui::Align2::CENTER_TOP, [0.0, 80.0])
        .show(ctx, |ui| {
            ui.horizontal(|ui| {
                if ui.button(tr(lang, "browse_folder")).clicked() {
                    out.push(Command::OpenFolderDialog);
                }
                if ui.button(tr(lang, "browse_files")).on_hover_text("Ctrl+Shift+O").clicked() {
                    out.push(Command::OpenFilesDialog);
                }
            });
            ui.add_space(4.0);
            let label = ui.label(tr(lang, "or_type_path"));
            let mut path = typed.clone();
            let field = ui.add(egui::TextEdit::singleline(&mut path).desired_width(440.0)).labelled_by(label.id);
            if view.state.focus == Some(FocusTarget::OpenPath) {
                field.request_focus();
                out.push(Command::Focused);
            }
            if field.changed() {
                out.push(Command::SetOpenPath(path.clone()));
            }
            let target = expand_home(path.trim());
            let exists = !path.trim().is_empty() && target.exists();
            if !path.trim().is_empty() && !exists {
                ui.label(egui::RichText::new(tr(lang, "no_such_path")).color(ui.visuals().warn_fg_color).small());
            }
            let enter = field.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
            ui.horizontal(|ui| {
                if (ui.add_enabled(exists, egui::Button::new(tr(lang, "open_action"))).clicked() || enter) && exists {
                    out.push(Command::OpenPaths(vec![target.clone()]));
                }
                if ui.button(tr(lang, "cancel")).clicked() {
                    out.push(Command::CloseOpenForm);
                }
            });
        });
    if !open {
        out.push(Command::CloseOpenForm);
    }
}

fn expand_home(typed: &str) -> std::path::PathBuf {
    match typed.strip_prefix("~/") {
        Some(rest) => directories::UserDirs::new().map_or_else(|| rest.into(), |u| u.home_dir().join(rest)),
        None => typed.into(),
    }
}

/// The export window: which notes, which format, where; save, or copy the
/// Markdown; then where the file went, with a link to its folder.
pub fn export_window(view: &ViewCtx<'_>, ctx: &egui::Context, out: &mut Commands) {
    let Some(form) = &view.state.notes.export else { return };
    let lang = view.state.saved.lang;
    let mut edited = form.clone();
    let mut open = true;
    let doc_title =
        view.corpus.and_then(|c| view.state.view.doc.and_then(|d| c.analysis.doc(d))).map(|d| (d.id.clone(), d.title.clone()));
    egui::Window::new(tr(lang, "export_title"))
        .id(egui::Id::unique("export-window"))
        .open(&mut open)
        .collapsible(false)
        .resizable(false)
        .min_width(520.0)
        .default_width(520.0)
        .anchor(egui::Align2::CENTER_TOP, [0.0, 80.0])
        .show(ctx, |ui| {
            ui.horizontal_wrapped(|ui| {
                ui.label(egui::RichText::new(tr(lang, "export_what")).strong());
                if ui.radio(!edited.annotated, tr(lang, "export_notes")).clicked() {
                    edited.set_annotated(false, None);
                }
                let doc = doc_title.as_ref().map(|(id, _)| id.clone());
                let annotated =
                    ui.add_enabled(doc.is_some(), egui::RadioButton::new(edited.annotated, tr(lang, "export_annotated")));
                if annotated.on_hover_text(tr(lang, "export_annotated_hint")).clicked() {
                    edited.set_annotated(true, doc);
                }
            });
            // The annotated document is this one: no choice of notes to make.
            if !edited.annotated {
                ui.horizontal_wrapped(|ui| {
                    ui.label(egui::RichText::new(tr(lang, "export_which")).strong());
                    if let Some((id, title)) = &doc_title {
                        let short: String = if title.chars().count() > 18 {
                            title.chars().take(17).chain(std::iter::once('…')).collect()
                        } else {
                            title.clone()
                        };
                        let label = format!("{} ({short})", tr(lang, "this_doc"));
                        if ui.radio(edited.doc.as_deref() == Some(id.as_str()), label).on_hover_text(title).clicked() {
                            edited.doc = Some(id.clone());
                        }
                    }
                    if ui.radio(edited.doc.is_none(), tr(lang, "all_docs")).clicked() {
                        edited.doc = None;
                    }
                });
            }
            ui.horizontal_wrapped(|ui| {
                ui.label(egui::RichText::new(tr(lang, "export_format")).strong());
                for (format, name) in [(Format::Md, "Markdown"), (Format::Html, "HTML"), (Format::Json, "JSON (W3C)")] {
                    if edited.annotated && format == Format::Json {
                        continue;
                    }
                    if ui.radio(edited.format == format && !edited.tei, name).clicked() {
                        edited.set_format(format);
                    }
                }
                if edited.annotated && ui.radio(edited.tei, "TEI P5 (XML)").clicked() {
                    edited.set_tei(true);
                }
            });
            let label = ui.label(egui::RichText::new(tr(lang, "export_file")).strong());
            ui.horizontal(|ui| {
                let browse_width = 90.0;
                let field = egui::TextEdit::singleline(&mut edited.path).desired_width(ui.available_width() - browse_width);
                ui.add(field).labelled_by(label.id);
                if ui.button(tr(lang, "browse")).clicked() {
                    out.push(Command::BrowseExport);
                }
            });
            // Always there (greyed when no file is in the way), so the
            // buttons below never move while a path is typed.
            let exists = std::path::Path::new(edited.path.trim()).is_file();
            ui.add_enabled(exists, egui::Checkbox::new(&mut edited.replace, tr(lang, "replace_file")));
            ui.horizontal(|ui| {
                if ui.button(tr(lang, "save")).clicked() {
                    out.push(Command::SaveExport);
                }
                if ui.button(tr(lang, "copy_markdown")).clicked() {
                    out.push(Command::CopyExport);
                }
                if ui.button(tr(lang, "close")).clicked() {
                    out.push(Command::CloseExport);
                }
            });
            match &form.outcome {
                Some(Ok(path)) => {
                    ui.horizontal_wrapped(|ui| {
                        ui.label(format!("{} {}", tr(lang, "exported_to"), path.display()));
                        if let Some(dir) = path.parent()
                            && ui.link(tr(lang, "open_containing")).clicked()
                        {
                            out.push(Command::RevealFolder(dir.to_path_buf()));
                        }
                    });
                }
                Some(Err(why)) => {
                    ui.add(egui::Label::new(egui::RichText::new(why).color(ui.visuals().warn_fg_color)).wrap());
                }
                None => {}
            }
        });
    // An edit clears the last outcome (it was about the old fields).
    if edited != *form {
        if edited.path != form.path
            || edited.format != form.format
            || edited.doc != form.doc
            || edited.annotated != form.annotated
            || edited.tei != form.tei
        {
            edited.outcome = None;
        }
        out.push(Command::EditExport(edited));
    }
    if !open {
        out.push(Command::CloseExport);
    }
}
