//! How long the views the window computes off its own thread take
//! (`ui::jobs`): what is new in the document with the most earlier
//! meetings of its body, the office table, the corpus search for a common
//! char, and terms over time.
//!
//! ```sh
//! cargo run --release --example views_bench -- /tmp/bench1000
//! ```
//! Loads the corpus as the window does (through the shared cache in a data
//! directory under the system's temporary folder, or `SCO_READER_DATA_DIR`),
//! then times each view three times and prints the median.

use sco_reader::analysis::analyze_cached_for_reading;
use sco_reader::cache::AnalysisCache;
use sco_reader::compare::{novelty, offices, trends};
use sco_reader::corpus::{CorpusSource, LoadOptions};
use sco_reader::knowledge::Knowledge;
use sco_reader::model::DocIx;
use std::path::PathBuf;
use std::time::Instant;

/// The allocator the `sco-reader` binary uses.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Median of three runs of `f`, in seconds, and its last answer.
fn timed<T>(mut f: impl FnMut() -> T) -> (f64, T) {
    let mut times = Vec::new();
    let mut last = None;
    for _ in 0..3 {
        let started = Instant::now();
        last = Some(std::hint::black_box(f()));
        times.push(started.elapsed().as_secs_f64());
    }
    times.sort_by(f64::total_cmp);
    let Some(last) = last else { unreachable!("three runs") };
    (times[1], last)
}

fn main() {
    let dir = std::env::args().nth(1).map_or_else(|| PathBuf::from("/tmp/bench100"), PathBuf::from);
    let data =
        std::env::var_os("SCO_READER_DATA_DIR").map_or_else(|| std::env::temp_dir().join("sco-reader-views"), PathBuf::from);
    let cache = AnalysisCache::in_data_dir(&data);
    let source = CorpusSource::Paths(vec![dir]);
    let started = Instant::now();
    let (analysis, _) =
        analyze_cached_for_reading(&source, &LoadOptions::default(), &Knowledge::bundled(), Some(&cache), &|_| {});
    println!("loaded {} documents in {:.1} s", analysis.documents.len(), started.elapsed().as_secs_f64());

    // The document with the most earlier meetings of its body: the dearest
    // novelty. Each document's latest earlier one is dated before it, so in
    // date order the chain lengths add up.
    let latest = novelty::latest_earlier_of_body(&analysis);
    let mut order: Vec<usize> = (0..analysis.documents.len()).collect();
    order.sort_by_key(|&i| analysis.documents[i].date().map(str::to_owned));
    let mut depth = vec![0usize; latest.len()];
    for &i in &order {
        depth[i] = latest[i].map_or(0, |DocIx(e)| depth[e] + 1);
    }
    let deepest = (0..depth.len()).max_by_key(|&i| depth[i]).map(|i| (i, depth[i]));
    if let Some((doc, _)) = deepest {
        let (secs, answer) = timed(|| novelty::novelty(&analysis, DocIx(doc)));
        println!(
            "what is new     {secs:>6.2} s  ({} earlier documents read, {} new sentences)",
            answer.earlier,
            answer.new.len()
        );
    }
    let (secs, people) = timed(|| {
        use rayon::prelude::*;
        let facts: Vec<_> = analysis.documents.par_iter().map(offices::facts_of).collect();
        offices::people(&facts)
    });
    println!("office table    {secs:>6.2} s  ({} people)", people.len());
    // The corpus search for one common char, as the window asks for it
    // (every hit located, the first 1000 with snippets).
    let index = sco_reader::index::CorpusIndex::new(&analysis);
    let search = sco_reader::search::SearchIndex::new(&analysis, &index);
    let options = sco_reader::search::SearchOptions { max_hits: 1000, ..Default::default() };
    let (secs, hits) = timed(|| search.search(&analysis, "国", &options).map_or(0, |r| r.total));
    println!("search 国       {secs:>6.2} s  ({hits} hits)");
    for term in ["上合组织", "数字经济"] {
        let (secs, series) = timed(|| trends::series(&analysis, term, false));
        println!("trend {term:<8}  {secs:>6.2} s  ({} dated documents)", series.points.len());
    }
}
