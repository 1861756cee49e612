//! The eframe application: a GUI over the same core calls as the CLI.
//!
//! - [`app`]: state, commands applied after each frame, persistence;
//! - [`loader`]: loading and analysis on a background thread;
//! - [`jobs`]: the views that take a while at 1 GB, off the window's thread;
//! - [`panels`]: toolbar, timeline, document, side panel, status bar;
//! - [`theme`], [`i18n`], [`fonts`]: colours, strings, the bundled font.

pub mod app;
pub mod command;
pub mod corrections_state;
pub mod export_form;
pub mod fonts;
pub mod i18n;
pub mod jobs;
pub mod loader;
pub mod notes_state;
pub mod panels;
pub mod state;
pub mod theme;
pub mod watcher;

pub use app::ReaderApp;
pub use fonts::install_fonts;

/// Opens the window. `args` are paths to open or a `sco-reader://` link.
/// Later launches hand their arguments to this window ([`crate::instance`]).
pub fn run(args: Vec<String>) -> eframe::Result<()> {
    let data_dir = crate::data_dir();
    let persistence_path = data_dir.as_ref().map(|d| d.join("window.ron"));
    let socket = data_dir.as_deref().map(crate::instance::socket_path);
    let mut viewport = egui::ViewportBuilder::default()
        .with_title("sco-reader")
        .with_app_id("sco-reader")
        .with_inner_size([1200.0, 720.0])
        .with_min_inner_size([900.0, 560.0])
        .with_drag_and_drop(true);
    if let Some((_, png)) = crate::desktop::ICON_PNGS.iter().find(|(size, _)| *size == 256)
        && let Ok(icon) = eframe::icon_data::from_png_bytes(png)
    {
        viewport = viewport.with_icon(std::sync::Arc::new(icon));
    }
    let options = eframe::NativeOptions { viewport, system_font_fallback: false, persistence_path, ..Default::default() };
    eframe::run_native(
        "sco-reader",
        options,
        Box::new(move |cc| {
            let mut app = ReaderApp::new(cc, args);
            if let Some(socket) = &socket {
                app.listen_for_launches(&cc.egui_ctx, socket);
            }
            Ok(Box::new(app))
        }),
    )
}
