//! Corrections on screen: the form that marks a span as an entity (or
//! corrects one), and the Corrections tab listing every correction with
//! what became of it, with delete and undo.

use super::{Commands, ViewCtx};
use crate::corrections::Action;
use crate::ui::command::Command;
use crate::ui::corrections_state::MARK_KINDS;
use crate::ui::i18n::{Lang, kind_name, tr};
use crate::ui::loader::LoadedCorpus;
use crate::ui::theme::entity_accent;

/// The correction form, while it is open.
pub fn correction_window(view: &ViewCtx<'_>, ctx: &egui::Context, out: &mut Commands) {
    let Some(form) = &view.state.corrections.form else { return };
    let lang = view.state.saved.lang;
    let mut open = true;
    egui::Window::new(tr(lang, "correction_title"))
        .id(egui::Id::unique("correction-window"))
        .open(&mut open)
        .collapsible(false)
        .resizable(false)
        .default_width(380.0)
        .anchor(egui::Align2::CENTER_TOP, [0.0, 100.0])
        .show(ctx, |ui| {
            let dark = ui.visuals().dark_mode;
            ui.add(
                egui::Label::new(egui::RichText::new(format!("「{}」 ¶{}", form.quote, form.paragraph + 1)).size(16.0)).wrap(),
            );
            ui.add_space(6.0);
            let mut edited = form.clone();
            ui.label(egui::RichText::new(tr(lang, "kind")).weak());
            ui.horizontal_wrapped(|ui| {
                for kind in MARK_KINDS {
                    let label = egui::RichText::new(kind_name(lang, kind)).color(entity_accent(kind, dark));
                    if ui.selectable_label(form.kind == kind, label).clicked() {
                        edited.kind = kind;
                    }
                }
            });
            ui.add_space(4.0);
            let label = ui.label(egui::RichText::new(tr(lang, "canonical_name")).weak());
            let field = ui.add(egui::TextEdit::singleline(&mut edited.canonical).desired_width(360.0)).labelled_by(label.id);
            let can_list = edited.kind != crate::model::EntityKind::Date;
            ui.add_enabled(can_list, egui::Checkbox::new(&mut edited.add_to_list, tr(lang, "add_to_list")));
            if let Some(e) = &form.error {
                ui.label(egui::RichText::new(e).color(ui.visuals().error_fg_color));
            }
            if edited != *form {
                edited.error = None;
                out.push(Command::EditCorrectionForm(edited));
            }
            let enter = field.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
            ui.add_space(4.0);
            ui.horizontal(|ui| {
                if ui.button(tr(lang, "save")).clicked() || enter {
                    out.push(Command::SaveCorrectionForm);
                }
                if ui.button(tr(lang, "cancel")).clicked() {
                    out.push(Command::CloseCorrectionForm);
                }
            });
        });
    if !open {
        out.push(Command::CloseCorrectionForm);
    }
}

/// The Corrections tab: every correction, newest first, with where it is
/// and whether it still applies; click to go there, × to delete.
pub fn corrections_ui(view: &ViewCtx<'_>, ui: &mut egui::Ui, corpus: &LoadedCorpus, out: &mut Commands) {
    let lang = view.state.saved.lang;
    if view.state.corrections.undo.is_some() && ui.button(tr(lang, "undo")).clicked() {
        out.push(Command::UndoCorrection);
    }
    for problem in &corpus.correction_problems {
        ui.label(egui::RichText::new(problem).color(ui.visuals().warn_fg_color));
    }
    // Corrections made on other corpora are kept, and not listed here.
    let elsewhere = corpus.corrections.iter().filter(|(_, o)| !o.here).count();
    if elsewhere > 0 {
        ui.label(egui::RichText::new(tr(lang, "corrections_elsewhere").replace("{}", &elsewhere.to_string())).weak().small());
    }
    if corpus.corrections.len() == elsewhere {
        ui.add(egui::Label::new(egui::RichText::new(tr(lang, "no_corrections")).weak()).wrap());
        return;
    }
    let dark = ui.visuals().dark_mode;
    egui::ScrollArea::vertical().id_salt("corrections-scroll").auto_shrink([false, false]).show(ui, |ui| {
        for (c, outcome) in corpus.corrections.iter().rev().filter(|(_, o)| o.here) {
            egui::Frame::group(ui.style()).show(ui, |ui| {
                ui.set_width(ui.available_width());
                ui.horizontal(|ui| {
                    ui.with_layout(egui::Layout::right_to_left(egui::Align::Min), |ui| {
                        if ui.small_button("×").on_hover_text(tr(lang, "delete")).clicked() {
                            out.push(Command::DeleteCorrection(c.id));
                        }
                        ui.with_layout(egui::Layout::left_to_right(egui::Align::Min), |ui| {
                            let (text, color) = match &c.action {
                                Action::Mark { kind, canonical } => {
                                    (format!("{} → {canonical}", kind_name(lang, *kind)), entity_accent(*kind, dark))
                                }
                                Action::Reject => (tr(lang, "not_entity").to_owned(), ui.visuals().text_color()),
                                Action::MergeAgreements { keep, merge } => (
                                    tr(lang, "merge_desc").replace("{b}", merge).replace("{a}", keep),
                                    entity_accent(crate::model::EntityKind::Agreement, dark),
                                ),
                                Action::SplitAgreement { wording } => (
                                    tr(lang, "split_desc").replace("{w}", wording),
                                    entity_accent(crate::model::EntityKind::Agreement, dark),
                                ),
                            };
                            ui.add(egui::Label::new(egui::RichText::new(text).color(color).strong()).wrap());
                        });
                    });
                });
                let p = &c.passage;
                let place = corpus.analysis.doc_ix(&p.doc).map(|d| {
                    let (paragraph, span) = match outcome.anchor.as_ref().and_then(crate::notes::anchor::Anchor::place) {
                        Some((_, paragraph, s, e)) => (paragraph, Some((s, e))),
                        None => (p.paragraph, None),
                    };
                    (d, paragraph, span)
                });
                if !p.quote.is_empty() {
                    let title = place.and_then(|(d, _, _)| corpus.analysis.doc(d)).map_or(p.doc.as_str(), |d| d.title.as_str());
                    let link =
                        ui.add(egui::Button::new(format!("「{}」 · {title} ¶{}", p.quote, p.paragraph + 1)).frame(false).wrap());
                    if let Some((doc, paragraph, span)) = place
                        && link.clicked()
                    {
                        out.push(Command::Jump { doc, paragraph, span });
                    }
                }
                let status = status_text(lang, outcome);
                let color = if outcome.applied() { ui.visuals().weak_text_color() } else { ui.visuals().warn_fg_color };
                ui.label(egui::RichText::new(status).small().color(color));
            });
        }
    });
}

fn status_text(lang: Lang, outcome: &crate::corrections::Outcome) -> String {
    match (&outcome.problem, outcome.anchor.as_ref()) {
        (Some(p), _) => p.clone(),
        (None, Some(a)) if a.moved_from().is_some() => a.describe(),
        _ => tr(lang, "applied").to_owned(),
    }
}
