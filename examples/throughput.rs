//! Analysis throughput against its floor: jieba-rs `cut` alone over the same
//! files on all cores (issue budget: analysis ≥ 0.5× the floor's speed).
//!
//! ```sh
//! cargo run --release --example make_corpus -- /tmp/bench100 --mb 100
//! cargo run --release --example throughput -- /tmp/bench100
//! ```
//! Prints MB/s for each stage and for the whole analysis (JSON included),
//! then compares whole processes, three rounds taken in turn, medians:
//! `sco-reader analyze DIR --json > /dev/null` against a floor process that
//! loads the same files (same loader), builds `Jieba::new()` and cuts every
//! document on all cores (`--floor`; build the binary first with
//! `cargo build --release`).
//! `--processes N` runs only the process comparison, N rounds.
//! `--only clean|scan|analysis` runs one stage five times, or `--rounds N` (for `perf record`;
//! `analysis` is both passes and the JSON written to a sink).

use rayon::prelude::*;

/// The allocator the `sco-reader` binary uses, so that the floor and every
/// stage timed here run on the same allocator as the product.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;
use sco_reader::corpus::{CorpusSource, LoadOptions, load};
use std::path::PathBuf;
use std::time::Instant;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let only = args.iter().position(|a| a == "--only").and_then(|i| args.get(i + 1)).cloned();
    let dir = args
        .iter()
        .enumerate()
        .find(|(i, a)| {
            let value_of_option = *i > 0 && matches!(args[i - 1].as_str(), "--only" | "--rounds" | "--processes");
            !a.starts_with("--") && !value_of_option
        })
        .map(|(_, a)| a)
        .map_or_else(|| PathBuf::from("/tmp/bench100"), PathBuf::from);
    let source = CorpusSource::Paths(vec![dir.clone()]);
    let options = LoadOptions::default();
    if args.iter().any(|a| a == "--floor") {
        // The floor as a process: load, build the dictionary, cut everything.
        let loaded = load(&source, &options);
        let jieba = jieba_rs::Jieba::new();
        let tokens: usize = loaded.documents.par_iter().map(|d| jieba.cut(&d.text, true).len()).sum();
        println!("{tokens}");
        return;
    }

    let processes = args.iter().position(|a| a == "--processes").and_then(|i| args.get(i + 1)?.parse().ok());

    let t = Instant::now();
    let loaded = load(&source, &options);
    let load_s = t.elapsed().as_secs_f64();
    let bytes: usize = loaded.documents.iter().map(|d| d.text.len()).sum();
    let mb = bytes as f64 / 1e6;
    println!("corpus: {} documents, {mb:.1} MB, {} cores", loaded.documents.len(), rayon::current_num_threads());
    println!("load+decode      {:>7.2} s  {:>7.1} MB/s", load_s, mb / load_s);

    if let Some(rounds) = processes {
        compare_processes(&dir, mb, rounds);
        return;
    }
    if let Some(stage) = only {
        let rounds = args.iter().position(|a| a == "--rounds").and_then(|i| args.get(i + 1)?.parse().ok()).unwrap_or(5);
        run_only(&stage, &loaded, mb, rounds);
        return;
    }

    // The floor: jieba cut over every document, all cores (dictionary built once, not timed).
    let jieba = jieba_rs::Jieba::new();
    let t = Instant::now();
    let tokens: usize = loaded.documents.par_iter().map(|d| jieba.cut(&d.text, true).len()).sum();
    let cut_s = t.elapsed().as_secs_f64();
    println!("jieba cut floor  {:>7.2} s  {:>7.1} MB/s  ({tokens} tokens)", cut_s, mb / cut_s);

    let knowledge = sco_reader::knowledge::bundled();
    let t = Instant::now();
    let cleaned: Vec<_> =
        loaded.documents.par_iter().map(|d| sco_reader::clean::clean_as(&d.text, d.layout, knowledge)).collect();
    let clean_s = t.elapsed().as_secs_f64();
    println!("clean            {:>7.2} s  {:>7.1} MB/s", clean_s, mb / clean_s);

    let _ = knowledge.segmenter();
    let t = Instant::now();
    let scanned = scan_all(&cleaned, knowledge);
    let scan_s = t.elapsed().as_secs_f64();
    println!("scan paragraphs  {:>7.2} s  {:>7.1} MB/s  ({scanned} gazetteer hits)", scan_s, mb / scan_s);

    let t = Instant::now();
    let analysis = sco_reader::analysis::analyze_loaded(loaded, knowledge, &|_| {});
    let analysis_s = t.elapsed().as_secs_f64();
    println!("analysis         {:>7.2} s  {:>7.1} MB/s", analysis_s, mb / analysis_s);
    let t = Instant::now();
    let mut sink = std::io::sink();
    if let Err(e) = sco_reader::model::json::write_json(&mut sink, &analysis) {
        eprintln!("json: {e}");
    }
    let json_s = t.elapsed().as_secs_f64();
    println!("json             {:>7.2} s  {:>7.1} MB/s", json_s, mb / json_s);
    let total = load_s + analysis_s + json_s;
    println!(
        "analyze --json   {:>7.2} s  {:>7.1} MB/s  = {:.2}x the jieba floor (in process)",
        total,
        mb / total,
        (mb / total) / (mb / cut_s)
    );
    drop(analysis);
    compare_processes(&dir, mb, 3);
}

/// Whole processes, `rounds` times in turn: the floor, then `sco-reader analyze --json`.
fn compare_processes(dir: &std::path::Path, mb: f64, rounds: usize) {
    let Ok(me) = std::env::current_exe() else { return };
    let Some(bin) = me.parent().and_then(|examples| examples.parent()).map(|release| release.join("sco-reader")) else {
        return;
    };
    if !bin.is_file() {
        println!("(no {} — run `cargo build --release` for the process comparison)", bin.display());
        return;
    }
    let run = |cmd: &mut std::process::Command| {
        let t = Instant::now();
        let ok = cmd.stdout(std::process::Stdio::null()).stderr(std::process::Stdio::null()).status().is_ok_and(|s| s.success());
        ok.then(|| t.elapsed().as_secs_f64())
    };
    let (mut floor, mut ours, mut paired) = (Vec::new(), Vec::new(), Vec::new());
    for _ in 0..rounds {
        let f = run(std::process::Command::new(&me).arg(dir).arg("--floor"));
        let o = run(std::process::Command::new(&bin).arg("analyze").arg(dir).arg("--json").arg("--no-cache"));
        if let (Some(f), Some(o)) = (f, o) {
            println!("  round: floor {f:.2} s, ours {o:.2} s, ratio {:.2}", f / o);
            paired.push(f / o);
        }
        floor.extend(f);
        ours.extend(o);
    }
    let median = |mut v: Vec<f64>| {
        v.sort_by(f64::total_cmp);
        v.get(v.len() / 2).copied()
    };
    if let (Some(f), Some(o)) = (median(floor), median(ours)) {
        println!("process: floor (load + Jieba::new + cut) {f:.2} s, {:.1} MB/s", mb / f);
        println!("process: sco-reader analyze --json        {o:.2} s, {:.1} MB/s", mb / o);
        println!("process ratio: {:.2}x the floor's speed (budget ≥ 0.5)", f / o);
    }
    // The two processes of a round run back to back: their ratio is less
    // moved by a machine whose speed drifts between rounds.
    if let Some(r) = median(paired) {
        println!("process ratio, median of the rounds' ratios: {r:.2}x");
    }
}

/// Runs one stage five times over the loaded corpus, for profiling.
fn run_only(stage: &str, loaded: &sco_reader::corpus::Loaded, mb: f64, rounds: usize) {
    let knowledge = sco_reader::knowledge::bundled();
    let _ = knowledge.segmenter();
    let cleaned: Vec<_> = if stage == "scan" {
        loaded.documents.par_iter().map(|d| sco_reader::clean::clean_as(&d.text, d.layout, knowledge)).collect()
    } else {
        Vec::new()
    };
    for _ in 0..rounds {
        let t = Instant::now();
        let cpu = cpu_seconds();
        let n: usize = match stage {
            "clean" => loaded
                .documents
                .par_iter()
                .map(|d| sco_reader::clean::clean_as(&d.text, d.layout, knowledge).paragraphs.len())
                .sum(),
            "scan" => scan_all(&cleaned, knowledge),
            "analysis" => {
                let analysis = sco_reader::analysis::analyze_loaded(loaded.clone(), knowledge, &|_| {});
                let mut sink = std::io::sink();
                if let Err(e) = sco_reader::model::json::write_json(&mut sink, &analysis) {
                    eprintln!("json: {e}");
                }
                analysis.documents.len()
            }
            other => {
                eprintln!("unknown stage {other}: use clean, scan or analysis");
                return;
            }
        };
        let s = t.elapsed().as_secs_f64();
        let cpu = cpu_seconds().zip(cpu).map_or(String::new(), |(b, a)| format!(", {:.2} CPU-s", b - a));
        println!("{stage:<16} {s:>7.2} s  {:>7.1} MB/s  ({n}{cpu})", mb / s);
    }
}

/// User + system CPU time of this process so far (Linux), in seconds: steadier
/// than wall time on a shared machine.
fn cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    let after_name = &stat[stat.rfind(')')? + 2..];
    let fields: Vec<&str> = after_name.split(' ').collect();
    // utime and stime are fields 14 and 15 of the line, 12 and 13 after the name.
    let ticks: f64 = fields.get(11)?.parse::<f64>().ok()? + fields.get(12)?.parse::<f64>().ok()?;
    Some(ticks / 100.0)
}

/// Scans every paragraph of every cleaned document; returns the gazetteer hits.
fn scan_all(cleaned: &[sco_reader::clean::Cleaned], knowledge: &sco_reader::knowledge::Knowledge) -> usize {
    cleaned
        .par_iter()
        .map(|c| {
            let mut year = None;
            c.paragraphs
                .iter()
                .map(|p| sco_reader::entities::scan_paragraph(&p.text, knowledge, &mut year).hits.len())
                .sum::<usize>()
        })
        .sum()
}
