//! CPU frame time of the real reader UI, headless (an egui context, no
//! window), while scrolling a 5 KB and a 5 MB document.
//!
//! ```sh
//! cargo run --release --example frame_time
//! ```
//! Prints p50 and p99 per document and the ratio of the p99s (budget: the
//! 5 MB p99 within 1.5× the 5 KB p99, both far under 16.7 ms).

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

fn frames(bytes: usize) -> (f64, f64, usize) {
    let dir = std::env::temp_dir().join(format!("sco-reader-frame-time-{bytes}"));
    let _ = std::fs::create_dir_all(&dir);
    let file = dir.join("doc.txt");
    if let Err(e) = std::fs::write(&file, document(bytes)) {
        eprintln!("cannot write {}: {e}", file.display());
        return (0.0, 0.0, 0);
    }
    let ctx = egui::Context::default();
    sco_reader::ui::install_fonts(&ctx);
    let mut app = ReaderApp::with_state(&ctx, SavedState::default(), vec![file.display().to_string()], Some(dir.join("data")));
    let size = egui::vec2(1280.0, 800.0);
    let input = |t: f64, events: Vec<egui::Event>| egui::RawInput {
        screen_rect: Some(egui::Rect::from_min_size(egui::Pos2::ZERO, size)),
        time: Some(t),
        events,
        ..Default::default()
    };
    let mut t = 0.0;
    let started = Instant::now();
    while app.state.view.doc.is_none() && started.elapsed() < Duration::from_secs(300) {
        let _ = ctx.run_ui(input(t, Vec::new()), |ui| app.frame(ui));
        t += 1.0 / 60.0;
        std::thread::sleep(Duration::from_millis(5));
    }
    // Warm up, then scroll down through the document with the mouse wheel.
    let at = egui::pos2(600.0, 400.0);
    let mut times = Vec::new();
    let mut laid_out = 0;
    for frame in 0..400 {
        let events = vec![
            egui::Event::PointerMoved(at),
            egui::Event::MouseWheel {
                unit: egui::MouseWheelUnit::Point,
                delta: egui::vec2(0.0, -120.0),
                modifiers: egui::Modifiers::NONE,
                phase: egui::TouchPhase::Move,
                source: egui::MouseWheelSource::Wheel,
            },
        ];
        let t0 = Instant::now();
        let _ = ctx.run_ui(input(t, events), |ui| app.frame(ui));
        let dt = t0.elapsed().as_secs_f64() * 1000.0;
        t += 1.0 / 60.0;
        if frame >= 20 {
            times.push(dt);
            laid_out = laid_out.max(app.caches.document.drawn_last_frame);
        }
    }
    times.sort_by(f64::total_cmp);
    let p = |q: f64| times[((times.len() - 1) as f64 * q) as usize];
    (p(0.5), p(0.99), laid_out)
}

fn main() {
    let (s50, s99, s_drawn) = frames(5 * 1024);
    println!("5 KB document: p50 {s50:.2} ms, p99 {s99:.2} ms, at most {s_drawn} paragraphs drawn per frame");
    let (l50, l99, l_drawn) = frames(5 * 1024 * 1024);
    println!("5 MB document: p50 {l50:.2} ms, p99 {l99:.2} ms, at most {l_drawn} paragraphs drawn per frame");
    println!("p99 ratio 5 MB / 5 KB: {:.2} (budget ≤ 1.5); 60 Hz frame: 16.7 ms", l99 / s99);
}
