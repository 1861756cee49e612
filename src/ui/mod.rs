//! The eframe application: a GUI over the same core calls as the CLI.
//!
//! - [`app`]: state, commands applied after each frame, persistence;
//! - [`loader`]: loading and analysis on a background thread;
//! - [`panels`]: toolbar, timeline, document, side panel, status bar;
//! - [`theme`], [`i18n`], [`fonts`]: colours, strings, the bundled font.

pub mod app;
pub mod command;
pub mod export_form;
pub mod fonts;
pub mod i18n;
pub mod loader;
pub mod notes_state;
pub mod panels;
pub mod state;
pub mod theme;

pub use app::ReaderApp;
pub use fonts::install_fonts;

/// Opens the window. `args` are paths to open or a `sco-reader://` link.
pub fn run(args: Vec<String>) -> eframe::Result<()> {
    let persistence_path = crate::data_dir().map(|d| d.join("window.ron"));
    let options = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default()
            .with_title("sco-reader")
            .with_inner_size([1200.0, 720.0])
            .with_min_inner_size([900.0, 560.0])
            .with_drag_and_drop(true),
        system_font_fallback: false,
        persistence_path,
        ..Default::default()
    };
    eframe::run_native("sco-reader", options, Box::new(|cc| Ok(Box::new(ReaderApp::new(cc, args)))))
}
