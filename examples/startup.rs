//! Start-up: time to the window's first frame and until the corpus is ready,
//! for the bundled corpus and for a large folder — the large one twice: a
//! first start with an empty analysis cache, then a second start on the
//! unchanged corpus (issue budget: ≥ 5× faster).
//!
//! ```sh
//! cargo run --release --example startup -- /tmp/bench100
//! ```

use sco_reader::ui::ReaderApp;
use sco_reader::ui::app::SavedState;
use std::time::{Duration, Instant};

/// The allocator the `sco-reader` binary uses, so the app runs here as it
/// runs for a user.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn data_dir() -> std::path::PathBuf {
    std::env::temp_dir().join("sco-reader-startup-example")
}

fn measure(args: Vec<String>) -> (f64, f64) {
    let started = Instant::now();
    let ctx = egui::Context::default();
    sco_reader::ui::install_fonts(&ctx);
    let data = data_dir();
    let mut app = ReaderApp::with_state(&ctx, SavedState::default(), args, Some(data));
    let input = |t: f64| egui::RawInput {
        screen_rect: Some(egui::Rect::from_min_size(egui::Pos2::ZERO, egui::vec2(1280.0, 800.0))),
        time: Some(t),
        ..Default::default()
    };
    let _ = ctx.run_ui(input(0.0), |ui| app.frame(ui));
    let first = started.elapsed().as_secs_f64() * 1000.0;
    let mut t = 0.0;
    while app.view.doc.is_none() && started.elapsed() < Duration::from_secs(600) {
        std::thread::sleep(Duration::from_millis(10));
        t += 0.01;
        let _ = ctx.run_ui(input(t), |ui| app.frame(ui));
    }
    (first, started.elapsed().as_secs_f64())
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn main() {
    const ROUNDS: usize = 3;
    let (mut b_first, mut l_first, mut l_ready, mut again) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let dir = std::env::args().nth(1);
    for _ in 0..ROUNDS {
        // Each round starts from an empty cache.
        let _ = std::fs::remove_dir_all(data_dir().join("cache"));
        b_first.push(measure(Vec::new()).0);
        if let Some(dir) = &dir {
            let (first, ready) = measure(vec![dir.clone()]);
            l_first.push(first);
            l_ready.push(ready);
            again.push(measure(vec![dir.clone()]).1);
        }
    }
    let b_first = median(b_first);
    println!("median of {ROUNDS} rounds");
    println!("bundled corpus: first frame {b_first:.1} ms");
    if let Some(dir) = dir {
        let (l_first, l_ready, again) = (median(l_first), median(l_ready), median(again));
        println!("{dir}: first frame {l_first:.1} ms, ready in {l_ready:.2} s (empty cache)");
        println!("first-frame ratio large / bundled: {:.2} (budget ≤ 1.2)", l_first / b_first);
        println!("{dir} again, unchanged: ready in {again:.2} s (from the cache)");
        println!("second start {:.1}x faster (budget ≥ 5)", l_ready / again);
    }
}
