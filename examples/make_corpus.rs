//! Makes a large, deterministic benchmark corpus from the bundled documents.
//!
//! ```sh
//! cargo run --release --example make_corpus -- OUT_DIR [--mb 100] [--docs 0] [--seed 7] [--src DIR]
//! ```
//! Each generated document is a sample of real paragraphs of the source
//! corpus (the bundled one unless `--src` names a folder of `.txt`/`.md`
//! files), hard-wrapped and broken like a PDF extraction (lines cut every
//! 30-40 characters, blank lines between, a stray space now and then), so
//! the cleaner, the entity and the citation extractors all do their real
//! work. `--docs 0` picks the number of documents from the size (about
//! 20 KB each); `--docs 1` writes one very large document (for scrolling and
//! frame-time tests). The same arguments always give byte-identical files.

use std::io::Write as _;
use std::path::{Path, PathBuf};

struct Args {
    out: PathBuf,
    mb: f64,
    docs: usize,
    seed: u64,
    src: Option<PathBuf>,
}

fn parse_args() -> Result<Args, String> {
    let mut args = std::env::args().skip(1);
    let mut parsed = Args { out: PathBuf::new(), mb: 100.0, docs: 0, seed: 7, src: None };
    let mut out = None;
    while let Some(a) = args.next() {
        let mut value = |name: &str| args.next().ok_or_else(|| format!("{name} needs a value"));
        match a.as_str() {
            "--mb" => parsed.mb = value("--mb")?.parse().map_err(|e| format!("--mb: {e}"))?,
            "--docs" => parsed.docs = value("--docs")?.parse().map_err(|e| format!("--docs: {e}"))?,
            "--seed" => parsed.seed = value("--seed")?.parse().map_err(|e| format!("--seed: {e}"))?,
            "--src" => parsed.src = Some(PathBuf::from(value("--src")?)),
            _ if a.starts_with("--") => return Err(format!("unknown option {a}")),
            _ => out = Some(PathBuf::from(a)),
        }
    }
    parsed.out = out.ok_or("usage: make_corpus OUT_DIR [--mb 100] [--docs 0] [--seed 7] [--src DIR]")?;
    if parsed.mb.is_nan() || parsed.mb <= 0.0 {
        return Err("--mb must be positive".to_owned());
    }
    Ok(parsed)
}

/// The texts of the source corpus, in file-name order.
fn sources(src: Option<&Path>) -> Result<Vec<String>, String> {
    let Some(dir) = src else {
        return Ok(sco_reader::corpus::BUNDLED_DOCUMENTS
            .iter()
            .filter_map(|(_, bytes)| std::str::from_utf8(bytes).ok().map(str::to_owned))
            .collect());
    };
    let mut names: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|e| format!("{}: {e}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "txt" || x == "md"))
        .collect();
    names.sort();
    names.iter().map(|p| std::fs::read_to_string(p).map_err(|e| format!("{}: {e}", p.display()))).collect()
}

/// Paragraphs of at least 20 characters, with their white space removed.
fn paragraphs(texts: &[String]) -> Vec<String> {
    let mut out = Vec::new();
    for text in texts {
        let text = text.replace("\r\n", "\n");
        let mut block = String::new();
        for line in text.lines().chain(std::iter::once("")) {
            if line.trim().is_empty() {
                let joined: String = block.chars().filter(|c| !c.is_whitespace()).collect();
                if joined.chars().count() >= 20 {
                    out.push(joined);
                }
                block.clear();
            } else {
                block.push_str(line);
                block.push('\n');
            }
        }
    }
    out
}

/// `text` cut into lines of 30-40 characters with blank lines between, as a
/// PDF extraction gives it, with a stray space in about 3 % of the lines.
fn pdf_wrap(text: &str, rng: &mut fastrand::Rng) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut lines = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let n = rng.usize(30..=40);
        let mut line: Vec<char> = chars[i..(i + n).min(chars.len())].to_vec();
        if rng.f64() < 0.03 && line.len() > 4 {
            let k = rng.usize(1..line.len());
            line.insert(k, ' ');
        }
        lines.push(line.into_iter().collect::<String>());
        i += n;
    }
    lines.join("\n\n") + " \n\n \n\n"
}

fn main() {
    let args = match parse_args() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("make_corpus: {e}");
            std::process::exit(2);
        }
    };
    let paras = match sources(args.src.as_deref()) {
        Ok(texts) => paragraphs(&texts),
        Err(e) => {
            eprintln!("make_corpus: {e}");
            std::process::exit(1);
        }
    };
    if paras.is_empty() {
        eprintln!("make_corpus: the source corpus has no paragraph of 20 characters or more");
        std::process::exit(1);
    }
    let mut rng = fastrand::Rng::with_seed(args.seed);
    let target = (args.mb * 1024.0 * 1024.0) as usize;
    let docs = if args.docs > 0 { args.docs } else { (target / 20_000).max(1) };
    let per_doc = target / docs;
    if let Err(e) = std::fs::create_dir_all(&args.out) {
        eprintln!("make_corpus: {}: {e}", args.out.display());
        std::process::exit(1);
    }
    for d in 0..docs {
        let year = 2001 + rng.usize(0..=23);
        let mut text = format!(
            "上海合作组织成员国元首理事会第{}次会议新闻公报\n\n（{year}年{}月{}日，阿斯塔纳）\n\n",
            d + 1,
            rng.usize(1..=12),
            rng.usize(1..=28)
        );
        while text.len() < per_doc {
            let p = &paras[rng.usize(0..paras.len())];
            text.push_str(&pdf_wrap(p, &mut rng));
        }
        let path = args.out.join(format!("bench_{d:05}.txt"));
        let written = std::fs::File::create(&path).and_then(|mut f| f.write_all(text.as_bytes()));
        if let Err(e) = written {
            eprintln!("make_corpus: {}: {e}", path.display());
            std::process::exit(1);
        }
    }
    println!("wrote {docs} documents, about {} MB, to {}", args.mb, args.out.display());
}
