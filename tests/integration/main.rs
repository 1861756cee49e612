//! The integration tests, one crate (one binary to build and link): the
//! real binary on temporary folders, the bundled corpus end to end, the
//! whole window driven headless, hostile inputs, notes, and the JSON
//! contract of `analyze --json`.

mod cli;
mod contract;
mod corpus;
mod corrections;
mod desktop;
mod formats;
mod gui;
mod hostile;
mod layout;
mod notes;
mod real_web;
mod safe_files;
