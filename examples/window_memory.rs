//! What the window holds for a corpus (issue budget: a 1 GB corpus in ≤ 2 GB).
//!
//! ```sh
//! cargo run --release --example window_memory -- /tmp/bench1000
//! ```
//! Loads the corpus the way the window's loader does (the analysis through
//! the shared cache in a data directory under the system's temporary
//! folder, then the browsing index and the search index), and prints the
//! resident memory after each step (the last: once what loading kept on
//! each thread is let go and the pages the load freed are given back, as
//! the window does) and at its peak, with what the analysis is made of.
//! Then it lets each part go in turn (the indexes, the mentions, the
//! citations and events, the texts, the paragraphs, the rest) and prints
//! the resident memory after each: what that part costs, allocator
//! included.

use sco_reader::analysis::analyze_cached_for_reading;
use sco_reader::cache::AnalysisCache;
use sco_reader::corpus::{CorpusSource, LoadOptions};
use sco_reader::index::CorpusIndex;
use sco_reader::knowledge::Knowledge;
use sco_reader::search::SearchIndex;
use std::path::PathBuf;
use std::time::Instant;

/// The allocator the `sco-reader` binary uses.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// `(current, peak)` resident set in MB, from `/proc/self/status`.
fn resident_mb() -> (u64, u64) {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find(|l| l.starts_with(name))
            .and_then(|l| l.split_whitespace().nth(1)?.parse::<u64>().ok())
            .map_or(0, |kb| kb / 1024)
    };
    (field("VmRSS:"), field("VmHWM:"))
}

fn main() {
    let dir = std::env::args().nth(1).map_or_else(|| PathBuf::from("/tmp/bench100"), PathBuf::from);
    let data = std::env::var_os("SCO_READER_DATA_DIR")
        .map_or_else(|| std::env::temp_dir().join("sco-reader-window-memory"), PathBuf::from);
    let cache = AnalysisCache::in_data_dir(&data);
    let source = CorpusSource::Paths(vec![dir]);
    let knowledge = Knowledge::bundled();
    let report = |what: &str, started: Instant| {
        let (now, peak) = resident_mb();
        println!("{what:<10} {:>7.2} s  resident {now:>6} MB  peak {peak:>6} MB", started.elapsed().as_secs_f64());
    };
    let started = Instant::now();
    let (analysis, outcome) = analyze_cached_for_reading(&source, &LoadOptions::default(), &knowledge, Some(&cache), &|_| {});
    report("analysis", started);
    println!("           {outcome:?}");
    let index = CorpusIndex::new(&analysis);
    report("index", started);
    let search = SearchIndex::new(&analysis, &index);
    report("search", started);
    sco_reader::analysis::forget_scratch();
    sco_reader::memory::give_back_freed();
    report("given back", started);
    let (mut paragraphs, mut text, mut entities, mut citations, mut events) = (0, 0, 0, 0, 0);
    for d in &analysis.documents {
        paragraphs += d.paragraphs.len();
        text += d.paragraphs.iter().map(|p| p.text.len()).sum::<usize>();
        entities += d.entities.len();
        citations += d.citations.len();
        events += d.events.len();
    }
    println!(
        "{} documents, {paragraphs} paragraphs, {} MB of text, {entities} entities ({} bytes each), {citations} citations, {events} events, {} agreements",
        analysis.documents.len(),
        text >> 20,
        size_of::<sco_reader::model::Entity>(),
        analysis.agreements.len()
    );
    // What each part costs, allocator included: let it go and see what is given back.
    let mut analysis = analysis;
    drop((index, search));
    sco_reader::memory::give_back_freed();
    report("- indexes", started);
    for d in &mut analysis.documents {
        d.entities = Vec::new();
    }
    sco_reader::memory::give_back_freed();
    report("- entities", started);
    for d in &mut analysis.documents {
        d.citations = Vec::new();
        d.events = Vec::new();
    }
    analysis.agreements = Vec::new();
    sco_reader::memory::give_back_freed();
    report("- citations, events, agreements", started);
    for d in &mut analysis.documents {
        for p in &mut d.paragraphs {
            p.text = Default::default();
        }
    }
    sco_reader::memory::give_back_freed();
    report("- texts", started);
    for d in &mut analysis.documents {
        d.paragraphs = Vec::new();
    }
    sco_reader::memory::give_back_freed();
    report("- paragraphs", started);
    drop(analysis);
    sco_reader::memory::give_back_freed();
    report("- the rest", started);
}
