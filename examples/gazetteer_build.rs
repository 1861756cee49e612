//! Times the user's gazetteer: compiled and stored the first time, read
//! back every time after, and the segmenter built from it.
//!
//! `cargo run --release --example gazetteer_build -- [FILE.tsv | --synthetic N]`
//! (default: 300,000 made-up entries, each with two aliases).
use sco_reader::knowledge::{Knowledge, USER_GAZETTEER_FILE};
use std::time::Instant;

fn synthetic(entries: usize) -> String {
    const KINDS: [&str; 4] = ["person", "place", "organization", "country"];
    let mut rng = fastrand::Rng::with_seed(1);
    let mut han = |n: usize| -> String { (0..n).filter_map(|_| char::from_u32(0x4e00 + rng.u32(..0x5000))).collect() };
    let mut out = String::with_capacity(entries * 40);
    for i in 0..entries {
        let (name, short, other) = (han(3), han(2), han(4));
        out.push_str(&format!("{name}{i}\t{}\t{short}{i}|{other}{i}\n", KINDS[i % KINDS.len()]));
    }
    out
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let list = match args.as_slice() {
        [flag, n] if flag == "--synthetic" => match n.parse() {
            Ok(n) => synthetic(n),
            Err(e) => {
                eprintln!("--synthetic {n}: {e}");
                std::process::exit(2);
            }
        },
        [path] => match std::fs::read_to_string(path) {
            Ok(text) => text,
            Err(e) => {
                eprintln!("{path}: {e}");
                std::process::exit(1);
            }
        },
        [] => synthetic(300_000),
        _ => {
            eprintln!("usage: gazetteer_build [FILE.tsv | --synthetic N]");
            std::process::exit(2);
        }
    };
    let data = match tempfile::tempdir() {
        Ok(d) => d,
        Err(e) => {
            eprintln!("cannot make a data directory: {e}");
            std::process::exit(1);
        }
    };
    if let Err(e) = std::fs::write(data.path().join(USER_GAZETTEER_FILE), &list) {
        eprintln!("cannot write the list: {e}");
        std::process::exit(1);
    }
    println!("{} lines, {:.1} MB", list.lines().count(), list.len() as f64 / 1e6);
    for run in ["first (compile and store)", "after (read back)"] {
        let t = Instant::now();
        let k = Knowledge::with_user_file(Some(data.path()));
        let compiled = t.elapsed().as_secs_f64();
        let t = Instant::now();
        let _ = k.segmenter();
        let segmenter = t.elapsed().as_secs_f64();
        println!("{run}: gazetteer {compiled:.3} s, segmenter {segmenter:.3} s ({} entries)", k.entries().len());
        for w in &k.warnings {
            println!("  warning: {w}");
        }
    }
}
