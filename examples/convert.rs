//! Prints what the converter makes of a file (HTML, PDF, Word, text): its
//! format, metadata, page starts and raw text, then the cleaned paragraphs.
//!
//! `cargo run --release --example convert -- FILE [--raw]`

fn main() {
    let mut args = std::env::args().skip(1);
    let Some(path) = args.next() else {
        eprintln!("usage: convert FILE [--raw]");
        std::process::exit(2);
    };
    let raw = args.any(|a| a == "--raw");
    let bytes = match std::fs::read(&path) {
        Ok(bytes) => bytes,
        Err(e) => {
            eprintln!("{path}: {e}");
            std::process::exit(1);
        }
    };
    match sco_reader::corpus::formats::convert(&path, &bytes) {
        Ok(c) => {
            println!("format {:?} · encoding {} · {:?} · layout {:?}", c.origin.format, c.encoding, c.origin, c.layout);
            println!("page starts {:?} · removed {} · warnings {:?}", c.page_starts, c.removed_lines, c.warnings);
            if raw {
                println!("---- raw ----\n{}", c.text);
            }
            println!("---- paragraphs ----");
            let cleaned = sco_reader::clean::clean_as(&c.text, c.layout, sco_reader::knowledge::bundled());
            for (i, p) in cleaned.paragraphs.iter().enumerate() {
                println!("{:>3} {:?} {}", i + 1, p.heading, p.text);
            }
        }
        Err(e) => {
            eprintln!("{path}: {e}");
            std::process::exit(1);
        }
    }
}
