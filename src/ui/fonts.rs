//! The bundled CJK font (Noto Sans CJK SC, SIL OFL 1.1, see fonts/), installed
//! first in every family so Chinese renders the same everywhere, with no
//! system-font dependence. The app and the tests call the same function.

use std::sync::Arc;

/// Noto Sans CJK SC Regular (one face extracted from the OTC).
pub const CJK_FONT: &[u8] = include_bytes!("../../fonts/NotoSansCJKsc-Regular.otf");

/// Installs the bundled font in `ctx`, before egui's default fonts (which stay
/// as fallbacks for symbols).
pub fn install_fonts(ctx: &egui::Context) {
    let mut fonts = egui::FontDefinitions::default();
    fonts.font_data.insert("noto-sans-cjk-sc".to_owned(), Arc::new(egui::FontData::from_static(CJK_FONT)));
    for family in [egui::FontFamily::Proportional, egui::FontFamily::Monospace] {
        let list = fonts.families.entry(family.clone()).or_default();
        if family == egui::FontFamily::Proportional {
            list.insert(0, "noto-sans-cjk-sc".to_owned());
        } else {
            list.push("noto-sans-cjk-sc".to_owned());
        }
    }
    ctx.set_fonts(fonts);
}
