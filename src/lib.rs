//! sco-reader: an offline reader for corpora of Chinese diplomatic documents.
//!
//! The core (everything but [`ui`]) has no GUI dependency: the command line,
//! the window and the tests all call the same functions.
//! - [`corpus`]: finding and decoding files;
//! - [`clean`]: raw text → paragraphs;
//! - [`text`]: character classes shared by the others.

pub mod clean;
pub mod corpus;
pub mod knowledge;
pub mod text;
