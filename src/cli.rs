//! The command-line interface: argument types (clap) and the commands that
//! print to stdout. `main.rs` only parses and dispatches.

use crate::analysis::{self, Analysis};
use crate::corpus::{CorpusSource, LoadOptions};
use crate::knowledge::Knowledge;
use clap::{Args, Parser, Subcommand};
use std::io::Write;
use std::path::PathBuf;

/// sco-reader: read, search and annotate corpora of Chinese diplomatic documents.
///
/// With no command, opens the reader window on the bundled corpus (or on the
/// corpus opened last).
#[derive(Debug, Parser)]
#[command(name = "sco-reader", version, about, long_about = None)]
pub struct Cli {
    /// What to do (default: open the window).
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// Subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Analyse documents and print the analysis (see --json).
    Analyze(AnalyzeArgs),
    /// Open the reader window on a folder or files (or a sco-reader:// link).
    Open(OpenArgs),
}

/// Options shared by commands that read a corpus.
#[derive(Debug, Args, Clone)]
pub struct CorpusArgs {
    /// Files or folders (.txt, .md, searched recursively). Default: the bundled corpus.
    pub paths: Vec<PathBuf>,
    /// Largest file to read, in MiB; larger files are reported and skipped.
    #[arg(long, default_value_t = 64, value_name = "MIB")]
    pub max_file_mib: u64,
}

impl CorpusArgs {
    /// The corpus source these arguments name.
    pub fn source(&self) -> CorpusSource {
        if self.paths.is_empty() { CorpusSource::Bundled } else { CorpusSource::Paths(self.paths.clone()) }
    }

    /// Load options.
    pub fn load_options(&self) -> LoadOptions {
        LoadOptions { max_file_bytes: self.max_file_mib.saturating_mul(1 << 20) }
    }
}

/// `analyze` arguments.
#[derive(Debug, Args)]
pub struct AnalyzeArgs {
    /// Corpus to analyse.
    #[command(flatten)]
    pub corpus: CorpusArgs,
    /// Print the whole analysis as JSON (the documented contract).
    #[arg(long)]
    pub json: bool,
}

/// `open` arguments.
#[derive(Debug, Args)]
pub struct OpenArgs {
    /// A folder, files, or a `sco-reader://open?doc=ID&p=N` link.
    pub paths: Vec<String>,
}

/// Runs `analyze`; returns the process exit code.
pub fn analyze(args: &AnalyzeArgs, knowledge: &Knowledge) -> i32 {
    let analysis = analysis::analyze_source(&args.corpus.source(), &args.corpus.load_options(), knowledge, &|_| {});
    for e in &analysis.errors {
        eprintln!("sco-reader: {}: {}", e.source, e.message);
    }
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let written = if args.json {
        serde_json::to_writer(&mut out, &analysis).map_err(std::io::Error::other).and_then(|()| writeln!(out))
    } else {
        write_summary(&mut out, &analysis)
    };
    if let Err(e) = written.and_then(|()| out.flush())
        && e.kind() != std::io::ErrorKind::BrokenPipe
    {
        eprintln!("sco-reader: cannot write output: {e}");
        return 1;
    }
    if analysis.documents.is_empty() { 1 } else { 0 }
}

fn write_summary(out: &mut impl Write, analysis: &Analysis) -> std::io::Result<()> {
    for d in &analysis.documents {
        let date = d.date().unwrap_or("—");
        let place = d.meeting.as_ref().and_then(|m| m.place.as_deref()).unwrap_or("—");
        writeln!(
            out,
            "{}\t{date}\t{place}\t{}\t{} ¶, {} entities, {} citations",
            d.id,
            d.title,
            d.paragraphs.len(),
            d.entities.len(),
            d.citations.len()
        )?;
    }
    writeln!(
        out,
        "{} documents, {} agreements, {} files could not be read",
        analysis.documents.len(),
        analysis.agreements.len(),
        analysis.errors.len()
    )
}
