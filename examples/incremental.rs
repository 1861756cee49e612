//! The cost of one changed file (issue budget: the corpus ready again in
//! ≤ 2× the time of an unchanged warm start, and well under a second).
//!
//! ```sh
//! cargo run --release --example make_corpus -- /tmp/bench100 --mb 100
//! cargo run --release --example incremental -- /tmp/bench100 [--rounds N]
//! ```
//! In one process, as the window holds one knowledge base while it watches
//! a folder: the corpus analysed once with an empty cache (a fresh data
//! directory under the system's temporary folder), then, N rounds each:
//! an unchanged warm start, a file changed, the change undone, a file
//! added, that file removed, each followed by a full
//! [`sco_reader::analysis::analyze_cached`] (the analysis the window
//! shows, corpus-wide step included). Prints the medians and each one's
//! ratio to the warm start. The corpus is left as it was found.

use sco_reader::analysis::analyze_cached;
use sco_reader::cache::{AnalysisCache, Outcome};
use sco_reader::corpus::{CorpusSource, LoadOptions};
use sco_reader::knowledge::Knowledge;
use std::path::{Path, PathBuf};
use std::time::Instant;

/// The allocator the `sco-reader` binary uses.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v.get(v.len() / 2).copied().unwrap_or(f64::NAN)
}

/// The first file of `dir` (sorted) with a text extension.
fn some_file(dir: &Path) -> Option<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .ok()?
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt" || e == "md"))
        .collect();
    files.sort();
    files.get(files.len() / 2).cloned()
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let rounds: usize = args.iter().position(|a| a == "--rounds").and_then(|i| args.get(i + 1)?.parse().ok()).unwrap_or(5);
    let dir = args
        .iter()
        .enumerate()
        .find(|(i, a)| !a.starts_with("--") && (*i == 0 || args[i - 1] != "--rounds"))
        .map_or_else(|| PathBuf::from("/tmp/bench100"), |(_, a)| PathBuf::from(a));
    let Some(victim) = some_file(&dir) else {
        eprintln!("no .txt or .md file in {}", dir.display());
        std::process::exit(2);
    };
    let Ok(original) = std::fs::read(&victim) else {
        eprintln!("cannot read {}", victim.display());
        std::process::exit(2);
    };
    let added = dir.join("zz-incremental-example-added.txt");
    let data = std::env::temp_dir().join(format!("sco-reader-incremental-example-{}", std::process::id()));
    let cache = AnalysisCache::in_data_dir(&data);
    let source = CorpusSource::Paths(vec![dir.clone()]);
    let options = LoadOptions::default();
    let knowledge = Knowledge::bundled();
    let run = |what: &str| -> (f64, Outcome, usize) {
        let started = Instant::now();
        let (analysis, outcome) = analyze_cached(&source, &options, &knowledge, Some(&cache), &|_| {});
        let seconds = started.elapsed().as_secs_f64();
        let documents = analysis.documents.len();
        // Given back outside the timing, as the window keeps it.
        drop(analysis);
        eprintln!("{what:>10}: {seconds:.3} s, {documents} documents, {outcome:?}");
        (seconds, outcome, documents)
    };
    let (cold, _, _) = run("cold");
    let (mut warm, mut changed, mut added_t, mut removed) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let mut edited = original.clone();
    edited.extend_from_slice("\n会议期间，各方还就共同关心的问题交换了意见。\n".as_bytes());
    for _ in 0..rounds {
        warm.push(run("warm").0);
        let _ = std::fs::write(&victim, &edited);
        changed.push(run("changed").0);
        let _ = std::fs::write(&victim, &original);
        changed.push(run("undone").0);
        let _ = std::fs::write(&added, &edited);
        added_t.push(run("added").0);
        let _ = std::fs::remove_file(&added);
        removed.push(run("removed").0);
    }
    let _ = std::fs::write(&victim, &original);
    let _ = std::fs::remove_file(&added);
    let _ = std::fs::remove_dir_all(&data);
    let warm = median(warm);
    println!("cold (empty cache)   {cold:.3} s");
    println!("warm (unchanged)     {warm:.3} s");
    for (what, times) in [("one file changed", changed), ("one file added", added_t), ("one file removed", removed)] {
        let t = median(times);
        println!("{what:<20} {t:.3} s  {:.2}× the warm start", t / warm);
    }
}
