//! CPU frame time of the real reader UI, headless (an egui context, no
//! window).
//!
//! ```sh
//! cargo run --release --example frame_time
//! cargo run --release --example frame_time -- --timeline DIR
//! ```
//! Without arguments: scrolling a 5 KB and a 5 MB document; prints p50 and
//! p99 per document and the ratio of the p99s (budget: the 5 MB p99 within
//! 1.5× the 5 KB p99, both far under 16.7 ms).
//!
//! With `--timeline DIR`: opens the corpus in DIR (e.g. the 100 MB bench
//! corpus of `examples/make_corpus.rs`) with the timeline's mentioned events
//! shown, measures idle frames and frames scrolling the timeline, and prints
//! `timeline p50 A ms p99 B ms` over both (budget: p99 ≤ 2 ms at 100 MB).

use sco_reader::ui::ReaderApp;
use sco_reader::ui::state::SavedState;
use std::time::{Duration, Instant};

fn document(bytes: usize) -> String {
    // Real paragraphs of the bundled corpus, repeated to the size wanted.
    let text: String = sco_reader::corpus::BUNDLED_DOCUMENTS
        .iter()
        .filter_map(|(_, b)| std::str::from_utf8(b).ok())
        .collect::<Vec<_>>()
        .join("\n\n");
    let mut out = String::with_capacity(bytes + text.len());
    while out.len() < bytes {
        out.push_str(&text);
        out.push_str("\n\n");
    }
    out
}

/// The app on an egui context, with a clock of its own.
struct Window {
    ctx: egui::Context,
    app: ReaderApp,
    t: f64,
}

impl Window {
    /// Opens `path` with `saved` settings and waits until a document is shown.
    fn open(path: &std::path::Path, saved: SavedState, data: std::path::PathBuf) -> Option<Self> {
        let ctx = egui::Context::default();
        sco_reader::ui::install_fonts(&ctx);
        let app = ReaderApp::with_state(&ctx, saved, vec![path.display().to_string()], Some(data));
        let mut w = Self { ctx, app, t: 0.0 };
        let started = Instant::now();
        // Ready: a document shown (the loading thread is done by then).
        let ready = |app: &ReaderApp| app.state.view.doc.is_some() && app.corpus.is_some();
        while !ready(&w.app) {
            if started.elapsed() > Duration::from_secs(600) {
                eprintln!("{} did not load", path.display());
                return None;
            }
            w.frame(Vec::new());
            std::thread::sleep(Duration::from_millis(5));
        }
        Some(w)
    }

    /// One frame with `events`; its CPU time in ms.
    fn frame(&mut self, events: Vec<egui::Event>) -> f64 {
        let input = egui::RawInput {
            screen_rect: Some(egui::Rect::from_min_size(egui::Pos2::ZERO, egui::vec2(1280.0, 800.0))),
            time: Some(self.t),
            events,
            ..Default::default()
        };
        let t0 = Instant::now();
        let app = &mut self.app;
        let _ = self.ctx.run_ui(input, |ui| app.frame(ui));
        self.t += 1.0 / 60.0;
        t0.elapsed().as_secs_f64() * 1000.0
    }
}

/// The mouse at `at` and one notch of the wheel down.
fn wheel(at: egui::Pos2) -> Vec<egui::Event> {
    vec![
        egui::Event::PointerMoved(at),
        egui::Event::MouseWheel {
            unit: egui::MouseWheelUnit::Point,
            delta: egui::vec2(0.0, -120.0),
            modifiers: egui::Modifiers::NONE,
            phase: egui::TouchPhase::Move,
            source: egui::MouseWheelSource::Wheel,
        },
    ]
}

/// `(p50, p99)` of `times` (sorted here).
fn percentiles(times: &mut [f64]) -> (f64, f64) {
    times.sort_by(f64::total_cmp);
    let p = |q: f64| times[((times.len() - 1) as f64 * q) as usize];
    (p(0.5), p(0.99))
}

fn frames(bytes: usize) -> (f64, f64, usize) {
    let dir = std::env::temp_dir().join(format!("sco-reader-frame-time-{bytes}"));
    let _ = std::fs::create_dir_all(&dir);
    let file = dir.join("doc.txt");
    if let Err(e) = std::fs::write(&file, document(bytes)) {
        eprintln!("cannot write {}: {e}", file.display());
        return (0.0, 0.0, 0);
    }
    let Some(mut w) = Window::open(&file, SavedState::default(), dir.join("data")) else { return (0.0, 0.0, 0) };
    // Warm up, then scroll down through the document with the mouse wheel.
    let mut times = Vec::new();
    let mut laid_out = 0;
    for frame in 0..400 {
        let dt = w.frame(wheel(egui::pos2(600.0, 400.0)));
        if frame >= 20 {
            times.push(dt);
            laid_out = laid_out.max(w.app.caches.document.drawn_last_frame);
        }
    }
    let (p50, p99) = percentiles(&mut times);
    (p50, p99, laid_out)
}

/// Idle and scrolling frames with the timeline's events shown on the corpus in `dir`.
fn timeline(dir: &std::path::Path) {
    let data = std::env::temp_dir().join(format!("sco-reader-frame-time-timeline-{}", std::process::id()));
    let saved = SavedState { show_events: true, ..SavedState::default() };
    let started = Instant::now();
    let Some(mut w) = Window::open(dir, saved, data.clone()) else { return };
    let load_s = started.elapsed().as_secs_f64();
    let rows = |w: &Window| w.app.corpus.as_ref().map_or(0, |c| c.index.timeline.len() + c.index.events.len());
    println!("{}: {} timeline rows (documents and events), loaded in {load_s:.1} s", dir.display(), rows(&w));
    for _ in 0..20 {
        w.frame(Vec::new());
    }
    let mut idle: Vec<f64> = (0..300).map(|_| w.frame(Vec::new())).collect();
    let mut scrolling: Vec<f64> = (0..300).map(|_| w.frame(wheel(egui::pos2(120.0, 400.0)))).collect();
    let mut all: Vec<f64> = idle.iter().chain(&scrolling).copied().collect();
    let (i50, i99) = percentiles(&mut idle);
    let (s50, s99) = percentiles(&mut scrolling);
    let (a50, a99) = percentiles(&mut all);
    println!("idle      p50 {i50:.2} ms p99 {i99:.2} ms");
    println!(
        "scrolling p50 {s50:.2} ms p99 {s99:.2} ms ({} lines drawn in the last frame)",
        w.app.caches.timeline.drawn_last_frame
    );
    println!("timeline p50 {a50:.2} ms p99 {a99:.2} ms (budget: p99 <= 2 ms at 100 MB)");
    let _ = std::fs::remove_dir_all(&data);
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if let [flag, dir] = args.as_slice()
        && flag == "--timeline"
    {
        timeline(std::path::Path::new(dir));
        return;
    }
    let (s50, s99, s_drawn) = frames(5 * 1024);
    println!("5 KB document: p50 {s50:.2} ms, p99 {s99:.2} ms, at most {s_drawn} paragraphs drawn per frame");
    let (l50, l99, l_drawn) = frames(5 * 1024 * 1024);
    println!("5 MB document: p50 {l50:.2} ms, p99 {l99:.2} ms, at most {l_drawn} paragraphs drawn per frame");
    println!("p99 ratio 5 MB / 5 KB: {:.2} (budget ≤ 1.5); 60 Hz frame: 16.7 ms", l99 / s99);
}
