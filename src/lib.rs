//! sco-reader: an offline reader for corpora of Chinese diplomatic documents.
//!
//! The core (everything but [`ui`]) has no GUI dependency: the command line,
//! the window and the tests all call the same functions.
//! - [`corpus`]: finding and decoding files;
//! - [`clean`]: raw text → paragraphs;
//! - [`text`]: character classes shared by the others.

pub mod analysis;
pub mod cache;
pub mod citations;
pub mod clean;
pub mod cli;
pub mod compare;
pub mod corpus;
pub mod corrections;
pub mod desktop;
pub mod entities;
pub mod events;
pub mod export;
pub mod index;
pub mod instance;

pub mod knowledge;
pub mod meeting;
pub mod memory;
pub mod model;
pub mod notes;
pub mod regular_file;
pub mod safe_write;
pub mod search;
pub mod segment;
pub mod stored_file;
pub mod text;
#[cfg(feature = "gui")]
pub mod ui;

/// Where settings, notes and the analysis cache live: `SCO_READER_DATA_DIR`
/// when set, else the platform data directory (e.g. `~/.local/share/sco-reader`).
pub fn data_dir() -> Option<std::path::PathBuf> {
    if let Some(dir) = std::env::var_os("SCO_READER_DATA_DIR").filter(|d| !d.is_empty()) {
        return Some(std::path::PathBuf::from(dir));
    }
    directories::ProjectDirs::from("org", "sco-reader", "sco-reader").map(|d| d.data_dir().to_path_buf())
}
