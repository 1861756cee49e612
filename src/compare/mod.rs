//! Reading across the corpus, on the finished analysis: two documents
//! aligned paragraph by paragraph ([`align`]), what a document says that
//! its body's earlier ones did not ([`novelty`]), a term over time
//! ([`trends`]), and who held which office ([`offices`]).

pub mod align;
pub mod kwic;
pub mod novelty;
pub mod offices;
pub mod trends;

#[cfg(test)]
mod tests;
