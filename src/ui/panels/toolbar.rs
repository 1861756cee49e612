//! The toolbar: open, back/forward, entity-kind chips (legend and toggles),
//! theme and language.

use super::{Commands, ViewCtx};
use crate::model::EntityKind;
use crate::ui::command::Command;
use crate::ui::i18n::{Lang, kind_name, tr};
use crate::ui::theme::{ThemeChoice, entity_accent, entity_background};

/// Width the right-hand controls (theme, language, help) need, in points.
const THEME_CONTROLS_WIDTH: f32 = 300.0;

/// Draws the toolbar.
pub fn toolbar_ui(ctx: &ViewCtx<'_>, ui: &mut egui::Ui, out: &mut Commands) {
    let lang = ctx.state.saved.lang;
    let dark = ui.visuals().dark_mode;
    ui.horizontal_wrapped(|ui| {
        ui.spacing_mut().item_spacing.x = 6.0;
        if ui.button(tr(lang, "open")).on_hover_text(format!("Ctrl+O · {}", tr(lang, "open_hint"))).clicked() {
            out.push(Command::ShowOpenForm);
        }
        if ui.button(tr(lang, "open_bundled")).clicked() {
            out.push(Command::OpenBundled);
        }
        ui.separator();
        let back = ui
            .add_enabled(ctx.state.view.can_back(), egui::Button::new("←"))
            .on_hover_text(format!("{} (Alt+←)", tr(lang, "back")));
        if back.clicked() {
            out.push(Command::Back);
        }
        let fwd = ui
            .add_enabled(ctx.state.view.can_forward(), egui::Button::new("→"))
            .on_hover_text(format!("{} (Alt+→)", tr(lang, "forward")));
        if fwd.clicked() {
            out.push(Command::Forward);
        }
        ui.separator();
        ui.label(egui::RichText::new(tr(lang, "kinds")).weak());
        for (i, kind) in EntityKind::ALL.into_iter().enumerate() {
            let on = !ctx.state.saved.hidden_kinds.contains(&kind);
            if kind_chip(ui, kind, kind_name(lang, kind), on, dark).on_hover_text(format!("{}", i + 1)).clicked() {
                out.push(Command::ToggleKind(kind));
            }
        }
        // The theme and language controls sit at the right end; in a narrow
        // window they take a row of their own rather than overlap the chips.
        if ui.max_rect().right() - ui.cursor().min.x < THEME_CONTROLS_WIDTH {
            ui.end_row();
        }
        ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
            if ui.button("?").on_hover_text(format!("{} (F1)", tr(lang, "help"))).clicked() {
                out.push(Command::ToggleHelp);
            }
            let next = if lang == Lang::Zh { Lang::En } else { Lang::Zh };
            if ui.button(tr(lang, "language")).on_hover_text("中文 / English").clicked() {
                out.push(Command::SetLang(next));
            }
            for t in [ThemeChoice::Dark, ThemeChoice::Light, ThemeChoice::System] {
                if ui.selectable_label(ctx.state.saved.theme == t, theme_label(lang, t)).clicked() {
                    out.push(Command::SetTheme(t));
                }
            }
            ui.label(egui::RichText::new(tr(lang, "theme")).weak());
        });
    });
}

/// Label of a theme choice.
pub fn theme_label(lang: Lang, t: ThemeChoice) -> &'static str {
    match t {
        ThemeChoice::System => tr(lang, "theme_system"),
        ThemeChoice::Light => tr(lang, "theme_light"),
        ThemeChoice::Dark => tr(lang, "theme_dark"),
    }
}

/// A legend chip: the kind's colour and name; greyed out when off.
pub fn kind_chip(ui: &mut egui::Ui, kind: EntityKind, label: &str, on: bool, dark: bool) -> egui::Response {
    let fill = if on { entity_background(kind, dark) } else { ui.visuals().faint_bg_color };
    let text_color = if on { ui.visuals().strong_text_color() } else { ui.visuals().weak_text_color() };
    let stroke = egui::Stroke::new(1.5, if on { entity_accent(kind, dark) } else { ui.visuals().weak_text_color() });
    let button = egui::Button::new(egui::RichText::new(label).color(text_color)).fill(fill).stroke(stroke).corner_radius(8.0);
    ui.add(button)
}
