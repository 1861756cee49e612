//! Colours: one palette for entity kinds and meeting bodies, readable in
//! light and dark themes, and the theme preference.

use crate::model::Body;
use crate::model::EntityKind;
use egui::Color32;
use serde::{Deserialize, Serialize};

/// The user's theme choice.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum ThemeChoice {
    /// Follow the system.
    #[default]
    System,
    /// Light.
    Light,
    /// Dark.
    Dark,
}

impl ThemeChoice {
    /// As egui's preference.
    pub fn preference(self) -> egui::ThemePreference {
        match self {
            Self::System => egui::ThemePreference::System,
            Self::Light => egui::ThemePreference::Light,
            Self::Dark => egui::ThemePreference::Dark,
        }
    }
}

/// Background of a highlighted entity.
pub fn entity_background(kind: EntityKind, dark: bool) -> Color32 {
    let (light, dark_c) = match kind {
        EntityKind::Person => ((255, 221, 170), (110, 72, 22)),
        EntityKind::Country => ((196, 233, 196), (36, 92, 48)),
        EntityKind::Organization => ((190, 220, 252), (28, 70, 118)),
        EntityKind::Place => ((230, 200, 240), (92, 48, 110)),
        EntityKind::Date => ((250, 238, 150), (100, 92, 26)),
        EntityKind::Agreement => ((255, 204, 210), (120, 40, 52)),
    };
    let (r, g, b) = if dark { dark_c } else { light };
    Color32::from_rgb(r, g, b)
}

/// Strong colour of a kind (chips' dots, underlines).
pub fn entity_accent(kind: EntityKind, dark: bool) -> Color32 {
    let (light, dark_c) = match kind {
        EntityKind::Person => ((196, 110, 0), (255, 183, 77)),
        EntityKind::Country => ((46, 125, 50), (129, 199, 132)),
        EntityKind::Organization => ((21, 101, 192), (100, 181, 246)),
        EntityKind::Place => ((123, 31, 162), (206, 147, 216)),
        EntityKind::Date => ((158, 135, 0), (255, 241, 118)),
        EntityKind::Agreement => ((198, 40, 40), (239, 154, 154)),
    };
    let (r, g, b) = if dark { dark_c } else { light };
    Color32::from_rgb(r, g, b)
}

/// Colour of a meeting body on the timeline.
pub fn body_color(body: Option<Body>, dark: bool) -> Color32 {
    let (light, dark_c) = match body {
        Some(Body::HeadsOfState) => ((183, 28, 28), (239, 110, 110)),
        Some(Body::HeadsOfGovernment) => ((13, 71, 161), (110, 160, 240)),
        Some(Body::ForeignMinisters) => ((27, 94, 32), (120, 200, 120)),
        Some(Body::Other) | None => ((97, 97, 97), (170, 170, 170)),
    };
    let (r, g, b) = if dark { dark_c } else { light };
    Color32::from_rgb(r, g, b)
}

/// Background that flashes on a paragraph reached by a jump.
pub fn flash(dark: bool, alpha: f32) -> Color32 {
    let a = (alpha.clamp(0.0, 1.0) * if dark { 90.0 } else { 120.0 }) as u8;
    if dark { Color32::from_rgba_unmultiplied(255, 220, 120, a) } else { Color32::from_rgba_unmultiplied(255, 200, 60, a) }
}

/// Background of a find hit (the current one stronger).
pub fn find_hit(dark: bool, current: bool) -> Color32 {
    match (current, dark) {
        (true, _) => Color32::from_rgb(255, 150, 30),
        (false, true) => Color32::from_rgb(230, 200, 60),
        (false, false) => Color32::from_rgb(255, 235, 59),
    }
}

/// Colour of a note highlight (translucent, drawn under the text).
pub fn note_color(name: &str, dark: bool) -> Color32 {
    let (r, g, b) = match name {
        "green" => (76, 175, 80),
        "blue" => (33, 150, 243),
        "pink" => (236, 64, 122),
        "purple" => (149, 117, 205),
        _ => (255, 193, 7),
    };
    Color32::from_rgba_unmultiplied(r, g, b, if dark { 110 } else { 95 })
}

/// A passage being selected: a wash over the text and an outline, in a
/// colour no entity kind uses (the theme's own selection blue is the
/// Organisation colour's neighbour).
pub fn selection(dark: bool) -> (Color32, egui::Stroke) {
    if dark {
        (Color32::from_rgba_unmultiplied(255, 255, 255, 46), egui::Stroke::new(1.5, Color32::from_rgb(240, 240, 240)))
    } else {
        (Color32::from_rgba_unmultiplied(0, 0, 0, 30), egui::Stroke::new(1.5, Color32::from_rgb(40, 40, 40)))
    }
}

/// The wash under a sentence no earlier meeting of the body said.
pub fn novelty(dark: bool) -> Color32 {
    if dark { Color32::from_rgba_unmultiplied(60, 200, 120, 46) } else { Color32::from_rgba_unmultiplied(40, 170, 90, 40) }
}
