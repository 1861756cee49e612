//! The `sco-reader` binary: parses the command line and hands over to the
//! library (`sco_reader::cli` for commands, `sco_reader::ui` for the window).

use clap::Parser as _;
use sco_reader::cli::{Cli, Command};

/// mimalloc instead of the system allocator: the analysis makes millions of
/// small strings across both cores (BENCHMARKS.md, analysis throughput).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    // Ctrl-C: no temporary file of an export or a cache write is left behind.
    let _ = ctrlc::set_handler(|| {
        sco_reader::safe_write::remove_in_flight();
        std::process::exit(130);
    });
    let cli = Cli::parse();
    let code = match cli.command {
        Some(Command::Analyze(args)) => sco_reader::cli::analyze(&args, &sco_reader::cli::knowledge()),
        Some(Command::Search(args)) => sco_reader::cli::search(&args, &sco_reader::cli::knowledge()),
        Some(Command::Notes(args)) => sco_reader::cli::notes(&args, &sco_reader::cli::knowledge()),
        Some(Command::Compare(args)) => sco_reader::cli::compare(&args, &sco_reader::cli::knowledge()),
        Some(Command::Trends(args)) => sco_reader::cli::trends(&args, &sco_reader::cli::knowledge()),
        Some(Command::Export(args)) => sco_reader::cli::export(&args, &sco_reader::cli::knowledge()),
        Some(Command::Correct(args)) => sco_reader::cli::correct(&args, &sco_reader::cli::knowledge()),
        Some(Command::InstallDesktop(args)) => sco_reader::cli::desktop(&args, false),
        Some(Command::UninstallDesktop(args)) => sco_reader::cli::desktop(&args, true),
        Some(Command::Open(args)) => run_gui(args.paths),
        None => run_gui(cli.paths),
    };
    std::process::exit(code);
}

/// Opens the window on `paths` (or hands them to the window already open).
#[cfg(feature = "gui")]
fn run_gui(paths: Vec<String>) -> i32 {
    // A window is open already: it takes the files or the link, and comes to the front.
    if let Some(dir) = sco_reader::data_dir() {
        let socket = sco_reader::instance::socket_path(&dir);
        if sco_reader::instance::hand_over(&socket, &paths) == sco_reader::instance::HandOver::Delivered {
            return 0;
        }
    }
    match sco_reader::ui::run(paths) {
        Ok(()) => 0,
        Err(e) => {
            eprintln!("sco-reader: cannot open the window: {e}");
            1
        }
    }
}

/// A build without the `gui` feature has the commands only.
#[cfg(not(feature = "gui"))]
fn run_gui(_paths: Vec<String>) -> i32 {
    eprintln!("sco-reader: this build has no window (built without the `gui` feature); the commands work: `sco-reader --help`");
    2
}
