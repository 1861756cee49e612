//! Analysis throughput against its floor: jieba-rs `cut` alone over the same
//! files on all cores (issue budget: analysis ≥ 0.5× the floor's speed).
//!
//! ```sh
//! python3 ../shared/bench/make_corpus.py /tmp/bench100 --mb 100
//! cargo run --release --example throughput -- /tmp/bench100
//! ```
//! Prints MB/s for each stage and for the whole analysis (JSON included).

use rayon::prelude::*;
use sco_reader::corpus::{CorpusSource, LoadOptions, load};
use std::path::PathBuf;
use std::time::Instant;

fn main() {
    let dir = std::env::args().nth(1).map(PathBuf::from).unwrap_or_else(|| PathBuf::from("/tmp/bench100"));
    let source = CorpusSource::Paths(vec![dir]);
    let options = LoadOptions::default();

    let t = Instant::now();
    let loaded = load(&source, &options);
    let load_s = t.elapsed().as_secs_f64();
    let bytes: usize = loaded.documents.iter().map(|d| d.text.len()).sum();
    let mb = bytes as f64 / 1e6;
    println!("corpus: {} documents, {mb:.1} MB, {} cores", loaded.documents.len(), rayon::current_num_threads());
    println!("load+decode      {:>7.2} s  {:>7.1} MB/s", load_s, mb / load_s);

    // The floor: jieba cut over every document, all cores (dictionary built once, not timed).
    let jieba = jieba_rs::Jieba::new();
    let t = Instant::now();
    let tokens: usize = loaded.documents.par_iter().map(|d| jieba.cut(&d.text, true).len()).sum();
    let cut_s = t.elapsed().as_secs_f64();
    println!("jieba cut floor  {:>7.2} s  {:>7.1} MB/s  ({tokens} tokens)", cut_s, mb / cut_s);

    let t = Instant::now();
    let cleaned: Vec<_> = loaded.documents.par_iter().map(|d| sco_reader::clean::clean(&d.text, d.markdown)).collect();
    let clean_s = t.elapsed().as_secs_f64();
    println!("clean            {:>7.2} s  {:>7.1} MB/s", clean_s, mb / clean_s);

    let knowledge = sco_reader::knowledge::bundled();
    let _ = sco_reader::segment::jieba();
    let t = Instant::now();
    let scanned: usize = cleaned
        .par_iter()
        .map(|c| {
            let mut year = None;
            c.paragraphs
                .iter()
                .map(|p| sco_reader::entities::scan_paragraph(&p.text, knowledge, &mut year).hits.len())
                .sum::<usize>()
        })
        .sum();
    let scan_s = t.elapsed().as_secs_f64();
    println!("scan paragraphs  {:>7.2} s  {:>7.1} MB/s  ({scanned} gazetteer hits)", scan_s, mb / scan_s);

    let t = Instant::now();
    let analysis = sco_reader::analysis::analyze_loaded(loaded, knowledge, &|_| {});
    let analysis_s = t.elapsed().as_secs_f64();
    println!("analysis         {:>7.2} s  {:>7.1} MB/s", analysis_s, mb / analysis_s);
    let t = Instant::now();
    let mut sink = std::io::sink();
    if let Err(e) = serde_json::to_writer(&mut sink, &analysis) {
        eprintln!("json: {e}");
    }
    let json_s = t.elapsed().as_secs_f64();
    println!("json             {:>7.2} s  {:>7.1} MB/s", json_s, mb / json_s);
    let total = load_s + analysis_s + json_s;
    println!(
        "analyze --json   {:>7.2} s  {:>7.1} MB/s  = {:.2}x the jieba floor",
        total,
        mb / total,
        (mb / total) / (mb / cut_s)
    );
}
