//! Search latency on a loaded corpus, against ripgrep searching the same
//! files from disk (budget: well under half of ripgrep's time).
//!
//! ```sh
//! cargo run --release --example make_corpus -- /tmp/bench100 --mb 100
//! cargo run --release --example search_bench -- /tmp/bench100
//! ```

use sco_reader::corpus::{CorpusSource, LoadOptions};
use sco_reader::search::{SearchIndex, SearchOptions};
use std::path::PathBuf;
use std::time::Instant;

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn main() {
    let dir = std::env::args().nth(1).map(PathBuf::from).unwrap_or_else(|| PathBuf::from("/tmp/bench100"));
    let t = Instant::now();
    // As the window holds it: texts packed in shared buffers, searched in place.
    let (analysis, _) = sco_reader::analysis::analyze_cached_for_reading(
        &CorpusSource::Paths(vec![dir.clone()]),
        &LoadOptions::default(),
        sco_reader::knowledge::bundled(),
        None,
        &|_| {},
    );
    let index = sco_reader::index::CorpusIndex::new(&analysis);
    let search = SearchIndex::new(&analysis, &index);
    println!(
        "loaded {} documents ({:.1} MB indexed) in {:.2} s",
        analysis.documents.len(),
        search.len() as f64 / 1e6,
        t.elapsed().as_secs_f64()
    );
    for query in ["国际道路运输便利化协定", "塔什干", "新冠肺炎疫情", "不存在的短语"] {
        let time = |options: &SearchOptions| {
            let runs: Vec<f64> = (0..9)
                .map(|_| {
                    let t = Instant::now();
                    let r = search.search(&analysis, query, options).map(|r| r.total).unwrap_or(0);
                    std::hint::black_box(r);
                    t.elapsed().as_secs_f64() * 1000.0
                })
                .collect();
            median(runs)
        };
        // What the window does: every hit located and counted per document,
        // the first 1000 with snippets.
        let ours = time(&SearchOptions { max_hits: 1000, ..SearchOptions::default() });
        // What `search --json` does: a snippet for every hit.
        let all = time(&SearchOptions::default());
        let hits = search.search(&analysis, query, &SearchOptions::default()).map(|r| r.total).unwrap_or(0);
        let rg: Vec<f64> = (0..5)
            .filter_map(|_| {
                let t = Instant::now();
                let ok = std::process::Command::new("rg").args(["-c", "--no-messages", query]).arg(&dir).output().ok()?;
                std::hint::black_box(ok);
                Some(t.elapsed().as_secs_f64() * 1000.0)
            })
            .collect();
        if rg.is_empty() {
            println!(
                "{query:<14} {hits:>7} hits  sco-reader {ours:>7.2} ms (all snippets {all:>7.2} ms)  (ripgrep not installed)"
            );
        } else {
            let rg = median(rg);
            println!(
                "{query:<14} {hits:>7} hits  sco-reader {ours:>7.2} ms (all snippets {all:>7.2} ms)  ripgrep {rg:>7.2} ms  ratio {:.3}",
                ours / rg
            );
        }
    }
}
