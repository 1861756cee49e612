//! Start-up: time to the window's first frame and until the corpus is ready,
//! for the bundled corpus and for a large folder — the large one twice: a
//! first start with an empty analysis cache, then a second start on the
//! unchanged corpus (issue budget: ≥ 5× faster).
//!
//! ```sh
//! cargo run --release --example startup -- /tmp/bench100 [--rounds N]
//! ```
//! Every start is a process of its own, as a user's is (this binary run
//! again with `--start`): a start made in a process that has already held
//! one corpus would reuse, or first have to give back, that memory.

use sco_reader::ui::ReaderApp;
use sco_reader::ui::state::SavedState;
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
    while app.state.view.doc.is_none() && started.elapsed() < Duration::from_secs(600) {
        std::thread::sleep(Duration::from_millis(10));
        t += 0.01;
        let _ = ctx.run_ui(input(t), |ui| app.frame(ui));
    }
    (first, started.elapsed().as_secs_f64())
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v.get(v.len() / 2).copied().unwrap_or(f64::NAN)
}

/// One start in a new process: `(first frame ms, ready s)`.
fn start(corpus: Option<&str>) -> Option<(f64, f64)> {
    let me = std::env::current_exe().ok()?;
    let mut cmd = std::process::Command::new(me);
    cmd.arg("--start").args(corpus);
    let out = cmd.stderr(std::process::Stdio::inherit()).output().ok()?;
    let text = String::from_utf8(out.stdout).ok()?;
    let (first, ready) = text.trim().split_once(' ')?;
    Some((first.parse().ok()?, ready.parse().ok()?))
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().is_some_and(|a| a == "--start") {
        let (first, ready) = measure(args[1..].to_vec());
        println!("{first} {ready}");
        return;
    }
    let rounds = args.iter().position(|a| a == "--rounds").and_then(|i| args.get(i + 1)?.parse().ok()).unwrap_or(3);
    let dir = args
        .iter()
        .enumerate()
        .find(|(i, a)| !a.starts_with("--") && (*i == 0 || args[i - 1] != "--rounds"))
        .map(|(_, a)| a.clone());
    let (mut b_first, mut l_first, mut l_ready, mut again, mut paired) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for _ in 0..rounds {
        // Each round starts from an empty cache.
        let _ = std::fs::remove_dir_all(data_dir().join("cache"));
        b_first.extend(start(None).map(|(first, _)| first));
        if let Some(dir) = &dir {
            if let Some((first, ready)) = start(Some(dir)) {
                l_first.push(first);
                l_ready.push(ready);
            }
            again.extend(start(Some(dir)).map(|(_, ready)| ready));
            if let (Some(r), Some(a)) = (l_ready.last(), again.last()) {
                println!("  round: first start {r:.2} s, second {a:.2} s, {:.1}x", r / a);
                paired.push(r / a);
            }
        }
    }
    let b_first = median(b_first);
    println!("median of {rounds} rounds");
    println!("bundled corpus: first frame {b_first:.1} ms");
    if let Some(dir) = dir {
        let (l_first, l_ready, again) = (median(l_first), median(l_ready), median(again));
        println!("{dir}: first frame {l_first:.1} ms, ready in {l_ready:.2} s (empty cache)");
        println!("first-frame ratio large / bundled: {:.2} (budget ≤ 1.2)", l_first / b_first);
        println!("{dir} again, unchanged: ready in {again:.2} s (from the cache)");
        println!("second start {:.1}x faster (budget ≥ 5)", l_ready / again);
        // The two starts of a round run back to back: their ratio is less
        // moved by a machine whose speed drifts between rounds.
        println!("second start, median of the rounds' ratios: {:.1}x faster", median(paired));
    }
}
