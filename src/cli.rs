//! The command-line interface: argument types (clap) and the commands that
//! print to stdout. `main.rs` only parses and dispatches.

use crate::analysis;
use crate::corpus::{CorpusSource, LoadOptions};
use crate::knowledge::Knowledge;
use crate::model::Analysis;
use clap::{Args, Parser, Subcommand};
use std::io::Write;
use std::path::PathBuf;

/// sco-reader: read, search and annotate corpora of Chinese diplomatic documents.
///
/// With no command, opens the reader window on the bundled corpus (or on the
/// corpus opened last).
#[derive(Debug, Parser)]
#[command(name = "sco-reader", version, about, long_about = None)]
#[command(args_conflicts_with_subcommands = true)]
pub struct Cli {
    /// What to do (default: open the window).
    #[command(subcommand)]
    pub command: Option<Command>,
    /// Without a command: folders, files or a `sco-reader://` link to open
    /// in the window (as `open` does).
    #[arg(value_name = "PATH")]
    pub paths: Vec<String>,
}

/// Subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Analyse documents and print the analysis (see --json).
    Analyze(AnalyzeArgs),
    /// Open the reader window on a folder or files (or a sco-reader:// link).
    Open(OpenArgs),
    /// Find a phrase in the cleaned text of every document.
    Search(SearchArgs),
    /// Add, list, delete and export notes on passages.
    Notes(NotesArgs),
    /// Export a document, annotated, to share (HTML, Markdown, TEI), or the
    /// entities and citations as CSV.
    Export(ExportArgs),
    /// Correct the analysis: mark or reject entities, merge or split agreements.
    Correct(CorrectArgs),
    /// Align two documents paragraph by paragraph, or list what a document
    /// says that its body's earlier ones did not (--previous).
    Compare(CompareArgs),
    /// Count terms in every dated document, in date order.
    Trends(TrendsArgs),
    /// Add sco-reader to the desktop's menu, "Open with" lists and links.
    InstallDesktop(DesktopArgs),
    /// Remove what install-desktop wrote.
    UninstallDesktop(DesktopArgs),
}

/// `compare` arguments.
#[derive(Debug, Args)]
pub struct CompareArgs {
    /// The two documents (ids): the earlier first.
    #[arg(num_args = 0..=2, value_name = "DOC")]
    pub docs: Vec<String>,
    /// What is new in this document since the earlier meetings of its body.
    #[arg(long, value_name = "DOC", conflicts_with = "docs")]
    pub previous: Option<String>,
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
    /// Corpus.
    #[command(flatten)]
    pub corpus: NotesCorpus,
}

/// `trends` arguments.
#[derive(Debug, Args)]
pub struct TrendsArgs {
    /// Terms to count: each a phrase, as `search` finds it, or an entity
    /// as KIND:NAME (person:李克强), its mentions under every wording.
    #[arg(required = true, value_parser = clap::builder::NonEmptyStringValueParser::new())]
    pub terms: Vec<String>,
    /// Let 上合组织 and 上海合作组织 match each other.
    #[arg(long)]
    pub expand_sco: bool,
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
    /// Corpus.
    #[command(flatten)]
    pub corpus: NotesCorpus,
}

/// `install-desktop` and `uninstall-desktop` arguments.
#[derive(Debug, Args)]
pub struct DesktopArgs {
    /// Install under this folder instead of the user's data directory
    /// (`$XDG_DATA_HOME`, else `~/.local/share`).
    #[arg(long, value_name = "DIR")]
    pub prefix: Option<PathBuf>,
}

/// `export` arguments.
#[derive(Debug, Args)]
pub struct ExportArgs {
    /// What to export.
    #[command(subcommand)]
    pub command: ExportCommand,
}

/// `export` subcommands.
#[derive(Debug, Subcommand)]
pub enum ExportCommand {
    /// One document with its entities highlighted, its cited agreements,
    /// its attendees and your notes: a self-contained HTML page or Markdown.
    Document(ExportDocumentArgs),
    /// TEI P5 XML of one document (--doc) or of the whole corpus (a
    /// teiCorpus), with every entity, citation and note.
    Tei(ExportTeiArgs),
    /// Every entity mention as CSV: doc, paragraph, start, end, kind, text, canonical.
    Entities(ExportTableArgs),
    /// Every citation as CSV: doc, paragraph, start, end, agreement, title,
    /// signed_date, signed_place.
    Citations(ExportTableArgs),
}

/// Where an export goes.
#[derive(Debug, Args)]
pub struct ExportOut {
    /// Write here instead of stdout (`-` is stdout). A file is replaced
    /// atomically, keeping its permissions; a read-only one only with --force.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// Replace the --out file even when it is read-only.
    #[arg(long)]
    pub force: bool,
}

/// `export tei` arguments.
#[derive(Debug, Args)]
pub struct ExportTeiArgs {
    /// Only this document (default: the whole corpus).
    #[arg(long)]
    pub doc: Option<String>,
    /// Output.
    #[command(flatten)]
    pub out: ExportOut,
    /// Corpus.
    #[command(flatten)]
    pub corpus: NotesCorpus,
}

/// Table format (CSV only for now).
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum TableFormat {
    /// Comma-separated values with a header row (RFC 4180 quoting).
    Csv,
}

/// `export entities|citations` arguments.
#[derive(Debug, Args)]
pub struct ExportTableArgs {
    /// Output format.
    #[arg(long, value_enum, default_value = "csv")]
    pub format: TableFormat,
    /// Only this document (default: the whole corpus).
    #[arg(long)]
    pub doc: Option<String>,
    /// Output.
    #[command(flatten)]
    pub out: ExportOut,
    /// Corpus.
    #[command(flatten)]
    pub corpus: NotesCorpus,
}

/// `correct` arguments.
#[derive(Debug, Args)]
pub struct CorrectArgs {
    /// What to correct.
    #[command(subcommand)]
    pub command: CorrectCommand,
}

/// `correct` subcommands. Corrections are kept with the notes and applied
/// to every analysis (`analyze --no-corrections` shows the machine's own).
#[derive(Debug, Subcommand)]
pub enum CorrectCommand {
    /// Mark a span as an entity (replacing any entity on it: this also
    /// changes a kind or a canonical name); prints the correction's id.
    Mark(CorrectMarkArgs),
    /// Say a span is no entity; prints the correction's id.
    Reject(SpanArgs),
    /// Say two agreements (ids as in the analysis) are one: the second is
    /// merged into the first.
    MergeAgreements(CorrectMergeArgs),
    /// Say the citations with this wording are an agreement of their own.
    SplitAgreement(CorrectSplitArgs),
    /// List corrections and whether each still applies.
    List(CorrectListArgs),
    /// Delete a correction.
    Delete(NotesDeleteArgs),
}

/// A span of a document (of a note or a correction).
#[derive(Debug, Args)]
pub struct SpanArgs {
    /// Document id.
    #[arg(long)]
    pub doc: String,
    /// Paragraph index (0-based, as in the analysis JSON).
    #[arg(long)]
    pub paragraph: usize,
    /// Start character offset in the paragraph.
    #[arg(long)]
    pub start: usize,
    /// End character offset (exclusive).
    #[arg(long)]
    pub end: usize,
    /// Corpus.
    #[command(flatten)]
    pub corpus: NotesCorpus,
}

/// The kinds a span can be marked as.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum MarkKind {
    /// A person.
    Person,
    /// A state.
    Country,
    /// An organisation or one of its bodies.
    #[value(alias = "organisation")]
    Organization,
    /// A city, region or venue.
    Place,
    /// A date (canonical: ISO, `2014-09-12` or `2014-09-11/2014-09-12`).
    Date,
}

impl MarkKind {
    fn kind(self) -> crate::model::EntityKind {
        use crate::model::EntityKind as K;
        match self {
            Self::Person => K::Person,
            Self::Country => K::Country,
            Self::Organization => K::Organization,
            Self::Place => K::Place,
            Self::Date => K::Date,
        }
    }
}

/// `correct mark` arguments.
#[derive(Debug, Args)]
pub struct CorrectMarkArgs {
    /// The span.
    #[command(flatten)]
    pub span: SpanArgs,
    /// What it is.
    #[arg(long, value_enum)]
    pub kind: MarkKind,
    /// Its canonical name (default: the text of the span).
    #[arg(long)]
    pub canonical: Option<String>,
    /// Also add the name to your gazetteer, so it is found everywhere.
    #[arg(long)]
    pub add_to_list: bool,
}

/// `correct merge-agreements` arguments.
#[derive(Debug, Args)]
pub struct CorrectMergeArgs {
    /// The agreement that stays (id, e.g. a3).
    pub keep: String,
    /// The agreement merged into it.
    pub merge: String,
    /// Corpus.
    #[command(flatten)]
    pub corpus: NotesCorpus,
}

/// `correct split-agreement` arguments.
#[derive(Debug, Args)]
pub struct CorrectSplitArgs {
    /// The wording (the title as cited, without 《》).
    #[arg(long)]
    pub wording: String,
    /// Corpus.
    #[command(flatten)]
    pub corpus: NotesCorpus,
}

/// `correct list` arguments.
#[derive(Debug, Args)]
pub struct CorrectListArgs {
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
    /// Corpus.
    #[command(flatten)]
    pub corpus: NotesCorpus,
}

/// Format of an exported document.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum DocumentFormat {
    /// One self-contained HTML page.
    Html,
    /// Markdown, notes as footnotes.
    Md,
}

/// `export document` arguments.
#[derive(Debug, Args)]
pub struct ExportDocumentArgs {
    /// Document id.
    #[arg(long)]
    pub doc: String,
    /// Output format.
    #[arg(long, value_enum, default_value = "html")]
    pub format: DocumentFormat,
    /// Output.
    #[command(flatten)]
    pub out: ExportOut,
    /// Corpus.
    #[command(flatten)]
    pub corpus: NotesCorpus,
}

/// `notes` arguments.
#[derive(Debug, Args)]
pub struct NotesArgs {
    /// What to do with notes.
    #[command(subcommand)]
    pub command: NotesCommand,
}

/// `notes` subcommands.
#[derive(Debug, Subcommand)]
pub enum NotesCommand {
    /// Add a note on a passage; prints the new note's id.
    Add(NotesAddArgs),
    /// List notes.
    List(NotesListArgs),
    /// Delete a note.
    Delete(NotesDeleteArgs),
    /// Export notes as Markdown, HTML or W3C Web Annotation JSON.
    Export(NotesExportArgs),
}

/// The corpus notes refer to.
#[derive(Debug, Args, Clone)]
pub struct NotesCorpus {
    /// Corpus files or folders (default: the bundled corpus).
    #[arg(long = "corpus", value_name = "PATH")]
    pub corpus: Vec<PathBuf>,
    /// Analyse afresh without the analysis cache.
    #[arg(long)]
    pub no_cache: bool,
}

impl NotesCorpus {
    fn source(&self) -> CorpusSource {
        if self.corpus.is_empty() { CorpusSource::Bundled } else { CorpusSource::Paths(self.corpus.clone()) }
    }
}

/// `notes add` arguments.
#[derive(Debug, Args)]
pub struct NotesAddArgs {
    /// The passage, and its corpus.
    #[command(flatten)]
    pub span: SpanArgs,
    /// Colour: yellow, green, blue, pink or purple.
    #[arg(long, default_value = "yellow")]
    pub color: String,
    /// A tag (repeat for several).
    #[arg(long = "tag")]
    pub tags: Vec<String>,
    /// The note (Markdown); it may start with `-` (`--text "-5% …"`).
    #[arg(long, allow_hyphen_values = true)]
    pub text: String,
}

/// `notes list` arguments.
#[derive(Debug, Args)]
pub struct NotesListArgs {
    /// Only this document's notes.
    #[arg(long)]
    pub doc: Option<String>,
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
    /// Corpus.
    #[command(flatten)]
    pub corpus: NotesCorpus,
}

/// `notes delete` arguments.
#[derive(Debug, Args)]
pub struct NotesDeleteArgs {
    /// The note's id.
    pub id: i64,
}

/// `notes export` arguments.
#[derive(Debug, Args)]
pub struct NotesExportArgs {
    /// Output format.
    #[arg(long, value_enum)]
    pub format: crate::export::Format,
    /// Only this document's notes.
    #[arg(long)]
    pub doc: Option<String>,
    /// Write here instead of stdout (`-` is stdout). A device or FIFO is
    /// written to; a file is replaced atomically, keeping its permissions.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// Replace the --out file even when it is read-only.
    #[arg(long)]
    pub force: bool,
    /// Corpus.
    #[command(flatten)]
    pub corpus: NotesCorpus,
}

/// `search` arguments.
#[derive(Debug, Args)]
pub struct SearchArgs {
    /// The phrase to find (full- and half-width forms match each other).
    #[arg(value_parser = clap::builder::NonEmptyStringValueParser::new())]
    pub query: String,
    /// Corpus to search.
    #[command(flatten)]
    pub corpus: CorpusArgs,
    /// Print hits as JSON.
    #[arg(long)]
    pub json: bool,
    /// Add timings (documents, load_ms, search_ms).
    #[arg(long)]
    pub stats: bool,
    /// Let 上合组织 and 上海合作组织 match each other.
    #[arg(long)]
    pub expand_sco: bool,
    /// Only documents mentioning this entity, as KIND:NAME (e.g. person:马西莫夫).
    #[arg(long, value_name = "KIND:NAME")]
    pub entity: Option<String>,
    /// Only documents citing this agreement (its id, e.g. a5).
    #[arg(long, value_name = "ID")]
    pub agreement: Option<String>,
    /// Keyword in context: one line per hit, `left<TAB>hit<TAB>right<TAB>doc<TAB>paragraph`.
    #[arg(long, conflicts_with = "json")]
    pub kwic: bool,
    /// Characters of context on each side for --kwic.
    #[arg(long, default_value_t = 20, value_name = "CHARS")]
    pub context: usize,
}

/// Options shared by commands that read a corpus.
#[derive(Debug, Args, Clone)]
pub struct CorpusArgs {
    /// Files or folders (.txt, .md, .html, .pdf, .docx; folders searched recursively). Default: the bundled corpus.
    pub paths: Vec<PathBuf>,
    /// Largest file to read, in MiB; larger files are reported and skipped.
    #[arg(long, default_value_t = 64, value_name = "MIB")]
    pub max_file_mib: u64,
    /// Analyse afresh without reading or writing the analysis cache the
    /// window shares (`analyze --json` then streams, never holding the
    /// analysis whole).
    #[arg(long)]
    pub no_cache: bool,
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
    /// The machine's own analysis, without your corrections.
    #[arg(long)]
    pub no_corrections: bool,
}

/// `open` arguments.
#[derive(Debug, Args)]
pub struct OpenArgs {
    /// A folder, files, or a `sco-reader://open?doc=ID&p=N` link.
    pub paths: Vec<String>,
}

/// The gazetteer in force: the bundled one and the user's list in the data
/// directory (compiled once, then read back). Its problems (bad lines, an
/// unreadable list) are reported on standard error.
pub fn knowledge() -> Knowledge {
    let knowledge = Knowledge::with_user_file(crate::data_dir().as_deref());
    for warning in &knowledge.warnings {
        eprintln!("sco-reader: {warning}");
    }
    knowledge
}

/// The analysis of `source`: from the analysis cache the window shares
/// (read when its key matches, written after a fresh analysis), unless
/// `no_cache` or there is no data directory.
fn analysis_of(source: &CorpusSource, options: &LoadOptions, knowledge: &Knowledge, no_cache: bool) -> Analysis {
    let mut analysis = machine_analysis_of(source, options, knowledge, no_cache);
    apply_corrections(&mut analysis, &stored_corrections());
    analysis
}

/// The user's corrections in the notes store (none without a data
/// directory or a store); problems reading them are said on stderr.
fn stored_corrections() -> Vec<crate::corrections::Correction> {
    let Some(dir) = crate::data_dir() else { return Vec::new() };
    let (corrections, problems) = crate::corrections::stored::in_data_dir(&dir);
    for p in problems {
        eprintln!("sco-reader: {p}");
    }
    corrections
}

/// `corrections` applied to `analysis`; what cannot be applied is said on stderr.
fn apply_corrections(analysis: &mut Analysis, corrections: &[crate::corrections::Correction]) {
    let outcomes = crate::corrections::apply(analysis, corrections);
    // Corrections made on other corpora are not news here.
    let unapplied = outcomes.iter().filter(|o| o.here && !o.applied()).count();
    if unapplied > 0 {
        eprintln!("sco-reader: {unapplied} of your corrections no longer apply (see `sco-reader correct list`)");
    }
}

/// The machine's analysis of `source` (no corrections), from the cache
/// when it can.
fn machine_analysis_of(source: &CorpusSource, options: &LoadOptions, knowledge: &Knowledge, no_cache: bool) -> Analysis {
    let cache = analysis_cache(no_cache);
    let (analysis, outcome) = analysis::analyze_cached(source, options, knowledge, cache.as_ref(), &|_| {});
    if let crate::cache::Outcome::NotStored(why) = outcome {
        eprintln!("sco-reader: {why}");
    }
    analysis
}

/// The analysis cache in the data directory, unless `no_cache`.
fn analysis_cache(no_cache: bool) -> Option<crate::cache::AnalysisCache> {
    if no_cache { None } else { crate::data_dir().map(|d| crate::cache::AnalysisCache::in_data_dir(&d)) }
}

/// Runs `analyze`; returns the process exit code.
pub fn analyze(args: &AnalyzeArgs, knowledge: &Knowledge) -> i32 {
    let corrections = if args.no_corrections { Vec::new() } else { stored_corrections() };
    let whole = |no_cache: bool| {
        let mut analysis = machine_analysis_of(&args.corpus.source(), &args.corpus.load_options(), knowledge, no_cache);
        apply_corrections(&mut analysis, &corrections);
        analysis
    };
    // Streamed when nothing is to be changed after the analysis.
    if args.json && !corrections.is_empty() {
        let analysis = whole(args.corpus.no_cache);
        report_errors(&analysis.errors);
        let mut out = json_output();
        let written = crate::compare::offices::write_analysis_json(&mut out, &analysis)
            .and_then(|()| writeln!(out))
            .and_then(|()| out.flush());
        let code = match written {
            Ok(()) if analysis.documents.is_empty() => 1,
            Ok(()) => 0,
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => 0,
            Err(e) => {
                eprintln!("sco-reader: cannot write output: {e}");
                1
            }
        };
        std::mem::forget(analysis);
        return code;
    }
    if args.json {
        // Written as documents finish: the analysis is never held whole.
        let mut out = json_output();
        let cache = analysis_cache(args.corpus.no_cache);
        let written =
            analysis::analyze_to_json(&mut out, &args.corpus.source(), &args.corpus.load_options(), knowledge, cache.as_ref())
                .and_then(|w| writeln!(out).and_then(|()| out.flush()).map(|()| w));
        return match written {
            Ok(w) => {
                report_errors(&w.errors);
                if let crate::cache::Outcome::NotStored(why) = &w.outcome {
                    eprintln!("sco-reader: {why}");
                }
                if w.documents == 0 { 1 } else { 0 }
            }
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => 0,
            Err(e) => {
                eprintln!("sco-reader: cannot write output: {e}");
                1
            }
        };
    }
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let analysis = whole(args.corpus.no_cache);
    report_errors(&analysis.errors);
    if let Err(e) = write_summary(&mut out, &analysis).and_then(|()| out.flush())
        && e.kind() != std::io::ErrorKind::BrokenPipe
    {
        eprintln!("sco-reader: cannot write output: {e}");
        return 1;
    }
    let code = if analysis.documents.is_empty() { 1 } else { 0 };
    // The process ends here: freeing millions of small allocations one by
    // one would only delay the exit (0.3 s on 100 MB).
    std::mem::forget(analysis);
    code
}

/// Standard output for the JSON, buffered. A document's JSON (tens of
/// kilobytes) is larger than the buffer, so it goes to the output as it is
/// rather than copied through it.
fn json_output() -> std::io::BufWriter<Box<dyn Write>> {
    std::io::BufWriter::with_capacity(1 << 13, unbuffered_output())
}

/// Standard output without the line buffering of `std::io::stdout()`,
/// which searches every write for a newline (hundreds of megabytes of JSON
/// with none): a duplicate of its file handle, so it writes where standard
/// output does. Standard output itself where that fails.
fn unbuffered_output() -> Box<dyn Write> {
    #[cfg(unix)]
    let handle = {
        use std::os::fd::AsFd;
        std::io::stdout().as_fd().try_clone_to_owned().map(std::fs::File::from)
    };
    #[cfg(windows)]
    let handle = {
        use std::os::windows::io::AsHandle;
        std::io::stdout().as_handle().try_clone_to_owned().map(std::fs::File::from)
    };
    #[cfg(not(any(unix, windows)))]
    let handle: std::io::Result<std::fs::File> = Err(std::io::ErrorKind::Unsupported.into());
    match handle {
        Ok(file) => Box::new(file),
        Err(_) => Box::new(std::io::stdout()),
    }
}

fn report_errors(errors: &[crate::model::LoadError]) {
    for e in errors {
        eprintln!("sco-reader: {}: {}", e.source, e.message);
    }
}

/// Runs `search`; returns the process exit code.
pub fn search(args: &SearchArgs, knowledge: &Knowledge) -> i32 {
    use crate::search::{SearchIndex, SearchOptions};
    let entity = match args.entity.as_deref().map(parse_entity) {
        Some(Ok(e)) => Some(e),
        Some(Err(message)) => {
            eprintln!("sco-reader: {message}");
            return 2;
        }
        None => None,
    };
    let started = std::time::Instant::now();
    let analysis = analysis_of(&args.corpus.source(), &args.corpus.load_options(), knowledge, args.corpus.no_cache);
    report_errors(&analysis.errors);
    let index = crate::index::CorpusIndex::new(&analysis);
    let search_index = SearchIndex::new(&analysis, &index);
    let load_ms = started.elapsed().as_millis();
    let options = SearchOptions { expand_sco: args.expand_sco, entity, agreement: args.agreement.clone(), max_hits: 0 };
    let started = std::time::Instant::now();
    let results = match search_index.search(&analysis, &args.query, &options) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("sco-reader: {e}");
            return 2;
        }
    };
    let search_ms = started.elapsed().as_secs_f64() * 1000.0;
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let written = if args.kwic {
        write_kwic(&mut out, &analysis, &results, args.context)
    } else if args.json {
        let mut value = serde_json::json!({ "query": results.query, "hits": results.hits });
        if args.stats {
            value["stats"] =
                serde_json::json!({ "documents": analysis.documents.len(), "load_ms": load_ms, "search_ms": search_ms });
        }
        serde_json::to_writer(&mut out, &value).map_err(std::io::Error::other).and_then(|()| writeln!(out))
    } else {
        write_hits(&mut out, &analysis, &results).and_then(|()| {
            if args.stats {
                writeln!(out, "{} documents, loaded in {load_ms} ms, searched in {search_ms:.2} ms", analysis.documents.len())
            } else {
                Ok(())
            }
        })
    };
    if let Err(e) = written.and_then(|()| out.flush())
        && e.kind() != std::io::ErrorKind::BrokenPipe
    {
        eprintln!("sco-reader: cannot write output: {e}");
        return 1;
    }
    if analysis.documents.is_empty() { 1 } else { 0 }
}

/// One line per hit: left context, hit, right context, document, paragraph
/// (tabs and line breaks inside the text made spaces).
fn write_kwic(
    out: &mut impl Write,
    analysis: &Analysis,
    results: &crate::search::SearchResults,
    context: usize,
) -> std::io::Result<()> {
    for line in crate::compare::kwic::lines(analysis, &results.hits, context) {
        writeln!(out, "{}\t{}\t{}\t{}\t{}", line.left, line.hit, line.right, line.doc, line.paragraph)?;
    }
    Ok(())
}

/// Runs `compare`; returns the exit code.
pub fn compare(args: &CompareArgs, knowledge: &Knowledge) -> i32 {
    let analysis = analysis_of(&args.corpus.source(), &LoadOptions::default(), knowledge, args.corpus.no_cache);
    report_errors(&analysis.errors);
    let find = |id: &str| {
        let ix = analysis.doc_ix(id);
        if ix.is_none() {
            eprintln!("sco-reader: no document with id {id:?} in the corpus");
        }
        ix
    };
    let text = if let Some(id) = &args.previous {
        let Some(doc) = find(id) else { return 2 };
        let novelty = crate::compare::novelty::novelty(&analysis, doc);
        let previous = novelty.previous.and_then(|p| analysis.doc(p)).map(|d| d.id.clone());
        if args.json {
            serde_json::json!({ "doc": id, "previous": previous, "new": novelty.new }).to_string()
        } else {
            let mut t = format!(
                "{} new sentences in {id} since {} earlier document(s) of its body{}\n",
                novelty.new.len(),
                novelty.earlier,
                previous.map(|p| format!(" (latest: {p})")).unwrap_or_default()
            );
            for s in &novelty.new {
                t.push_str(&format!("¶{} {}\n", s.paragraph + 1, s.text));
            }
            t
        }
    } else {
        let [a, b] = args.docs.as_slice() else {
            eprintln!("sco-reader: compare takes two document ids, or --previous DOC");
            return 2;
        };
        let (Some(da), Some(db)) = (find(a), find(b)) else { return 2 };
        let (Some(da), Some(db)) = (analysis.doc(da), analysis.doc(db)) else { return 2 };
        let pairs = crate::compare::align::align(da, db);
        if args.json {
            serde_json::json!({ "a": a, "b": b, "pairs": pairs }).to_string()
        } else {
            let mut t = String::new();
            for p in &pairs {
                let side = |i: Option<usize>| i.map_or_else(|| "-".to_owned(), |i| format!("¶{}", i + 1));
                t.push_str(&format!("{:?}\t{}\t{}\t{:.2}\n", p.op, side(p.a), side(p.b), p.similarity).to_lowercase());
            }
            t
        }
    };
    write_out(None, (text.trim_end().to_owned() + "\n").as_bytes(), false)
}

/// Runs `trends`; returns the exit code.
pub fn trends(args: &TrendsArgs, knowledge: &Knowledge) -> i32 {
    let analysis = analysis_of(&args.corpus.source(), &LoadOptions::default(), knowledge, args.corpus.no_cache);
    report_errors(&analysis.errors);
    let series: Vec<crate::compare::trends::Series> =
        args.terms.iter().map(|t| crate::compare::trends::series(&analysis, t, args.expand_sco)).collect();
    let text = if args.json {
        serde_json::json!({ "series": series }).to_string()
    } else {
        let mut t = String::new();
        for s in &series {
            for p in &s.points {
                t.push_str(&format!("{}\t{}\t{}\t{}\t{}\n", s.term, p.date, p.doc, p.count, p.per_10k));
            }
        }
        t
    };
    write_out(None, (text.trim_end().to_owned() + "\n").as_bytes(), false)
}

/// The data directory and its notes store (made if missing), or `None`
/// with the reason said on stderr.
fn open_store() -> Option<(PathBuf, crate::notes::store::NoteStore)> {
    let Some(dir) = crate::data_dir() else {
        eprintln!("sco-reader: no data directory (set SCO_READER_DATA_DIR)");
        return None;
    };
    match crate::notes::store::NoteStore::open_in(&dir) {
        Ok(store) => Some((dir, store)),
        Err(e) => {
            eprintln!("sco-reader: {e}");
            None
        }
    }
}

/// Runs a `notes` subcommand; returns the exit code.
pub fn notes(args: &NotesArgs, knowledge: &Knowledge) -> i32 {
    let Some((_, mut store)) = open_store() else { return 1 };
    let analyze = |corpus: &NotesCorpus| analysis_of(&corpus.source(), &LoadOptions::default(), knowledge, corpus.no_cache);
    match &args.command {
        NotesCommand::Add(a) => {
            let analysis = analyze(&a.span.corpus);
            let new = crate::notes::NewNote {
                doc: a.span.doc.clone(),
                paragraph: a.span.paragraph,
                start: a.span.start,
                end: a.span.end,
                text: a.text.clone(),
                color: a.color.clone(),
                tags: a.tags.clone(),
            };
            let note = match crate::notes::prepare(&analysis, &new) {
                Ok(n) => n,
                Err(e) => {
                    eprintln!("sco-reader: {e}");
                    return 2;
                }
            };
            match store.add(&note) {
                Ok(id) => {
                    println!("{id}");
                    0
                }
                Err(e) => {
                    eprintln!("sco-reader: {e}");
                    1
                }
            }
        }
        NotesCommand::List(l) => {
            let analysis = analyze(&l.corpus);
            if let Err(e) = crate::notes::adopt_files(&mut store, &analysis) {
                eprintln!("sco-reader: {e}");
            }
            let notes = match store.list_checked(l.doc.as_deref()) {
                Ok((n, damaged)) => {
                    report_damaged(&damaged);
                    n
                }
                Err(e) => {
                    eprintln!("sco-reader: {e}");
                    return 1;
                }
            };
            let rows: Vec<serde_json::Value> = notes
                .iter()
                .map(|n| {
                    let anchor = crate::notes::anchor::resolve(n, &analysis);
                    let mut v = serde_json::to_value(n).unwrap_or_default();
                    v["anchor"] = serde_json::json!(anchor.status().as_str());
                    v["anchor_text"] = serde_json::json!(anchor.describe());
                    if let Some(from) = anchor.moved_from() {
                        v["moved_from"] = serde_json::json!(from);
                    }
                    if let Some((d, p, s, e)) = anchor.place() {
                        let id = analysis.doc(d).map(|d| d.id.as_str()).unwrap_or_default();
                        v["current"] = serde_json::json!({ "doc": id, "paragraph": p, "start": s, "end": e });
                    }
                    v
                })
                .collect();
            if l.json {
                println!("{}", serde_json::Value::Array(rows));
            } else {
                for n in &notes {
                    let anchor = crate::notes::anchor::resolve(n, &analysis);
                    let paragraph = anchor.place().map_or(n.paragraph, |p| p.1);
                    println!(
                        "{}\t{}\t¶{}\t{}\t{}\t{}",
                        n.id,
                        n.doc,
                        paragraph + 1,
                        anchor.describe(),
                        n.quote,
                        n.text.replace('\n', " ")
                    );
                }
            }
            0
        }
        NotesCommand::Delete(d) => match store.delete(d.id) {
            Ok(true) => 0,
            Ok(false) => {
                eprintln!("sco-reader: no note with id {}", d.id);
                2
            }
            Err(e) => {
                eprintln!("sco-reader: {e}");
                1
            }
        },
        NotesCommand::Export(x) => {
            let analysis = analyze(&x.corpus);
            if let Err(e) = crate::notes::adopt_files(&mut store, &analysis) {
                eprintln!("sco-reader: {e}");
            }
            if let Some(doc) = &x.doc
                && !analysis.documents.iter().any(|d| &d.id == doc)
            {
                eprintln!("sco-reader: no document with id {doc:?} in the corpus");
                return 2;
            }
            let notes = match store.list_checked(x.doc.as_deref()) {
                Ok((n, damaged)) => {
                    report_damaged(&damaged);
                    n
                }
                Err(e) => {
                    eprintln!("sco-reader: {e}");
                    return 1;
                }
            };
            let items = crate::export::items(&analysis, &notes, x.doc.as_deref());
            let text = crate::export::render(x.format, &x.corpus.source().describe(), &items);
            write_out(x.out.as_deref(), text.as_bytes(), x.force)
        }
    }
}

/// Runs `correct`; returns the process exit code (2 for a correction that
/// cannot be made: nothing is stored then).
pub fn correct(args: &CorrectArgs, knowledge: &Knowledge) -> i32 {
    use crate::corrections::{self, Action, stored};
    let Some((dir, mut store)) = open_store() else { return 1 };
    let analyze = |corpus: &NotesCorpus| analysis_of(&corpus.source(), &LoadOptions::default(), knowledge, corpus.no_cache);
    let prepared = match &args.command {
        CorrectCommand::Mark(m) => {
            let analysis = analyze(&m.span.corpus);
            let action = Action::Mark { kind: m.kind.kind(), canonical: m.canonical.clone().unwrap_or_default() };
            let span = &m.span;
            let prepared = corrections::prepare_span(&analysis, &span.doc, span.paragraph, span.start, span.end, action);
            if m.add_to_list
                && let Ok(c) = &prepared
                && let Action::Mark { kind, canonical } = &c.action
            {
                if *kind == crate::model::EntityKind::Date {
                    eprintln!("sco-reader: dates are not kept in the gazetteer; only this mention is marked");
                } else if let Err(e) = Knowledge::add_to_user_list(&dir, canonical, kind.as_str(), &c.passage.quote) {
                    eprintln!("sco-reader: {e}");
                    return 1;
                }
            }
            prepared
        }
        CorrectCommand::Reject(r) => {
            corrections::prepare_span(&analyze(&r.corpus), &r.doc, r.paragraph, r.start, r.end, Action::Reject)
        }
        CorrectCommand::MergeAgreements(m) => corrections::prepare_merge(&analyze(&m.corpus), &m.keep, &m.merge),
        CorrectCommand::SplitAgreement(x) => corrections::prepare_split(&analyze(&x.corpus), &x.wording),
        CorrectCommand::Delete(d) => {
            return match stored::delete(&mut store, d.id) {
                Ok(true) => 0,
                Ok(false) => {
                    eprintln!("sco-reader: no correction with id {}", d.id);
                    2
                }
                Err(e) => {
                    eprintln!("sco-reader: {e}");
                    1
                }
            };
        }
        CorrectCommand::List(l) => return list_corrections(&store, &l.corpus, l.json, knowledge),
    };
    let correction = match prepared {
        Ok(c) => c,
        Err(e) => {
            eprintln!("sco-reader: {e}");
            return 2;
        }
    };
    match stored::add(&mut store, &correction) {
        Ok(id) => {
            println!("{id}");
            0
        }
        Err(e) => {
            eprintln!("sco-reader: {e}");
            1
        }
    }
}

/// `correct list`: every correction with what became of it on the corpus.
fn list_corrections(store: &crate::notes::store::NoteStore, corpus: &NotesCorpus, json: bool, knowledge: &Knowledge) -> i32 {
    let (corrections, damaged) = match crate::corrections::stored::list(store) {
        Ok(found) => found,
        Err(e) => {
            eprintln!("sco-reader: {e}");
            return 1;
        }
    };
    report_damaged(&damaged);
    let mut analysis = machine_analysis_of(&corpus.source(), &LoadOptions::default(), knowledge, corpus.no_cache);
    let outcomes = crate::corrections::apply(&mut analysis, &corrections);
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let written = if json {
        let rows: Vec<serde_json::Value> = corrections
            .iter()
            .zip(&outcomes)
            .map(|(c, o)| {
                let mut v = serde_json::to_value(c).unwrap_or_default();
                v["applied"] = serde_json::json!(o.applied());
                v["status"] = serde_json::json!(o.describe());
                if let Some((d, p, s, e)) = o.anchor.as_ref().and_then(crate::notes::anchor::Anchor::place) {
                    let id = analysis.doc(d).map(|d| d.id.as_str()).unwrap_or_default();
                    v["current"] = serde_json::json!({ "doc": id, "paragraph": p, "start": s, "end": e });
                }
                v
            })
            .collect();
        writeln!(out, "{}", serde_json::Value::Array(rows))
    } else {
        corrections.iter().zip(&outcomes).try_for_each(|(c, o)| {
            let p = &c.passage;
            writeln!(
                out,
                "{}\t{}\t{}\t¶{}\t{}\t{}",
                c.id,
                c.action.describe(),
                p.doc,
                p.paragraph + 1,
                one_line(&p.quote),
                o.describe()
            )
        })
    };
    match written.and_then(|()| out.flush()) {
        Ok(()) => 0,
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => 0,
        Err(e) => {
            eprintln!("sco-reader: cannot write output: {e}");
            1
        }
    }
}

/// Runs `export`; returns the process exit code.
pub fn export(args: &ExportArgs, knowledge: &Knowledge) -> i32 {
    let (corpus, doc) = match &args.command {
        ExportCommand::Document(x) => (&x.corpus, Some(&x.doc)),
        ExportCommand::Tei(x) => (&x.corpus, x.doc.as_ref()),
        ExportCommand::Entities(x) | ExportCommand::Citations(x) => (&x.corpus, x.doc.as_ref()),
    };
    let analysis = analysis_of(&corpus.source(), &LoadOptions::default(), knowledge, corpus.no_cache);
    report_errors(&analysis.errors);
    if analysis.documents.is_empty() {
        eprintln!("sco-reader: no document to export");
        return 1;
    }
    let doc = match doc.map(|id| analysis.documents.iter().find(|d| &d.id == id).ok_or(id)) {
        Some(Ok(d)) => Some(d),
        Some(Err(id)) => {
            eprintln!("sco-reader: no document with id {id:?} in the corpus");
            return 2;
        }
        None => None,
    };
    let described = corpus.source().describe();
    let (bytes, out) = match &args.command {
        ExportCommand::Document(x) => {
            let Some(doc) = doc else { return 2 };
            let items = crate::export::items(&analysis, &stored_notes(&analysis), Some(&doc.id));
            let text = match x.format {
                DocumentFormat::Html => crate::export::document::render_html(&analysis, doc, &items, &described),
                DocumentFormat::Md => crate::export::document::render_markdown(&analysis, doc, &items, &described),
            };
            (text.into_bytes(), &x.out)
        }
        ExportCommand::Tei(x) => {
            let docs: Vec<&crate::model::DocumentAnalysis> = match doc {
                Some(d) => vec![d],
                None => analysis.documents.iter().collect(),
            };
            let items = crate::export::items(&analysis, &stored_notes(&analysis), doc.map(|d| d.id.as_str()));
            (crate::export::tei::render(&analysis, &docs, &items, &described).into_bytes(), &x.out)
        }
        ExportCommand::Entities(x) | ExportCommand::Citations(x) => {
            let TableFormat::Csv = x.format;
            let id = doc.map(|d| d.id.as_str());
            let table = if matches!(args.command, ExportCommand::Entities(_)) {
                crate::export::table::entities_csv(&analysis, id)
            } else {
                crate::export::table::citations_csv(&analysis, id)
            };
            match table {
                Ok(bytes) => (bytes, &x.out),
                Err(e) => {
                    eprintln!("sco-reader: cannot write the CSV: {e}");
                    return 1;
                }
            }
        }
    };
    write_out(out.out.as_deref(), &bytes, out.force)
}

/// The user's notes, when there is a store: a missing or unreadable one is
/// said, not fatal, and an export makes no store (without one, no notes).
fn stored_notes(analysis: &Analysis) -> Vec<crate::notes::Note> {
    let store = crate::data_dir().map(|d| d.join(crate::notes::store::FILE_NAME)).filter(|p| p.exists());
    match store.map(|p| crate::notes::store::NoteStore::open(&p)) {
        Some(Ok(mut store)) => {
            if let Err(e) = crate::notes::adopt_files(&mut store, analysis) {
                eprintln!("sco-reader: {e}");
            }
            match store.list_checked(None) {
                Ok((notes, damaged)) => {
                    report_damaged(&damaged);
                    notes
                }
                Err(e) => {
                    eprintln!("sco-reader: notes left out: {e}");
                    Vec::new()
                }
            }
        }
        Some(Err(e)) => {
            eprintln!("sco-reader: notes left out: {e}");
            Vec::new()
        }
        None => Vec::new(),
    }
}

/// Writes `text` to `out` (a file, replaced safely) or to stdout.
fn write_out(out: Option<&std::path::Path>, bytes: &[u8], force: bool) -> i32 {
    match out.filter(|p| *p != std::path::Path::new("-")) {
        Some(path) => match crate::safe_write::write(path, bytes, force) {
            Ok(()) => 0,
            Err(e) => {
                eprintln!("sco-reader: {e}");
                1
            }
        },
        None => {
            let mut stdout = std::io::stdout().lock();
            match stdout.write_all(bytes).and_then(|()| stdout.flush()) {
                Ok(()) => 0,
                Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => 0,
                Err(e) => {
                    eprintln!("sco-reader: cannot write output: {e}");
                    1
                }
            }
        }
    }
}

/// Runs `install-desktop` (or, with `remove`, `uninstall-desktop`).
pub fn desktop(args: &DesktopArgs, remove: bool) -> i32 {
    let prefix = match args.prefix.clone().map_or_else(crate::desktop::default_prefix, Ok) {
        Ok(p) => p,
        Err(e) => {
            eprintln!("sco-reader: {e}");
            return 1;
        }
    };
    let done = if remove { crate::desktop::uninstall(&prefix) } else { crate::desktop::install(&prefix) };
    match done {
        Ok(files) => {
            let verb = if remove { "removed" } else { "wrote" };
            for f in &files {
                println!("{verb} {}", f.display());
            }
            if remove && files.is_empty() {
                println!("nothing to remove under {}", prefix.display());
            }
            0
        }
        Err(e) => {
            eprintln!("sco-reader: {e}");
            1
        }
    }
}

/// Says which notes could not be read (the others are listed).
fn report_damaged(ids: &[i64]) {
    if !ids.is_empty() {
        let ids: Vec<String> = ids.iter().map(ToString::to_string).collect();
        eprintln!("sco-reader: notes {} are damaged in the store and were left out", ids.join(", "));
    }
}

fn parse_entity(s: &str) -> Result<(crate::model::EntityKind, String), String> {
    let (kind, name) = s.split_once(':').ok_or_else(|| format!("--entity wants KIND:NAME, got {s:?}"))?;
    let kind = crate::model::EntityKind::ALL
        .into_iter()
        .find(|k| k.as_str() == kind)
        .ok_or_else(|| format!("unknown entity kind {kind:?} (person, country, organization, place, date, agreement)"))?;
    Ok((kind, name.to_owned()))
}

fn write_hits(out: &mut impl Write, analysis: &Analysis, results: &crate::search::SearchResults) -> std::io::Result<()> {
    let mut hits = results.hits.iter().peekable();
    for (doc, count) in &results.per_document {
        let d = &analysis.documents[*doc];
        writeln!(out, "{}  {}  {}  ({count})", d.id, d.date().unwrap_or("—"), d.title)?;
        while let Some(h) = hits.next_if(|h| h.doc == *doc) {
            writeln!(out, "  ¶{}:{}  {}", h.paragraph + 1, h.start, h.snippet)?;
        }
    }
    writeln!(out, "{} hits in {} documents", results.total, results.per_document.len())
}

/// A file name or title for a one-line summary: as it is, or quoted with
/// escapes when it holds a line break, a tab or another control character.
fn one_line(s: &str) -> std::borrow::Cow<'_, str> {
    if s.chars().any(char::is_control) { format!("{s:?}").into() } else { s.into() }
}

fn write_summary(out: &mut impl Write, analysis: &Analysis) -> std::io::Result<()> {
    for d in &analysis.documents {
        let date = d.date().unwrap_or("—");
        let place = d.meeting.as_ref().and_then(|m| m.place.as_deref()).unwrap_or("—");
        writeln!(
            out,
            "{}\t{date}\t{place}\t{}\t{} ¶, {} entities, {} citations",
            one_line(&d.id),
            one_line(&d.title),
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
