//! File formats → the raw text the cleaner reads.
//!
//! Every format a user holds becomes the same thing: text with `\n` line
//! ends, and a [`Layout`] that tells the cleaner how far to trust its line
//! structure. Plain text and Markdown are decoded as before; saved web
//! pages ([`html`]), PDFs with a text layer ([`pdf`]) and Word files
//! ([`docx`]) are converted here, with what the file says about itself
//! (headline, publication time, address, page of each line) in [`Converted`].
//! What a file is comes from its first bytes when they are unmistakable
//! (`%PDF-`, a ZIP holding `word/document.xml`, `<html`), else from its name.

mod docx;
mod html;
/// PDF and Word files built in memory, shared with the integration tests.
#[cfg(test)]
#[path = "../../../tests/support/make_docs.rs"]
mod make_docs;
mod pdf;
mod sniff;

pub use sniff::{SourceFormat, extensions, format_by_content, format_by_name, format_of, is_loadable_name};

use super::decode::{DecodeError, decode_bytes};

pub use crate::clean::Layout;

pub use crate::model::Origin;

/// One file converted to text.
#[derive(Clone, Debug)]
pub struct Converted {
    /// The text, with `\n` line ends; the title (if the format marks one)
    /// is its first line, as `# title`.
    pub text: String,
    /// How to read its lines.
    pub layout: Layout,
    /// Name of the character encoding the text was in (`UTF-8`, `GB18030`, …;
    /// `PDF` and `DOCX` for the formats that carry Unicode themselves).
    pub encoding: &'static str,
    /// Non-fatal problems.
    pub warnings: Vec<String>,
    /// Format, publication time and address.
    pub origin: Origin,
    /// For a paged format, the first line of the text on each page, in page
    /// order (page 1 starts at `page_starts[0]`).
    pub page_starts: Vec<u32>,
    /// Lines the converter dropped (page headers, footers and numbers).
    pub removed_lines: usize,
}

impl Converted {
    fn text(text: String, layout: Layout, encoding: &'static str, format: SourceFormat) -> Self {
        Self {
            text,
            layout,
            encoding,
            warnings: Vec::new(),
            origin: Origin { format, ..Origin::default() },
            page_starts: Vec::new(),
            removed_lines: 0,
        }
    }
}

/// Why a file could not be converted: one line for the bad-file report.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ConvertError {
    /// The text formats' decoding failed.
    #[error(transparent)]
    Decode(#[from] DecodeError),
    /// The file is damaged or not what its name says.
    #[error("{format} file cannot be read: {reason}")]
    Damaged {
        /// The format it was read as.
        format: SourceFormat,
        /// What went wrong, in one line.
        reason: String,
    },
    /// A PDF with pages but no text layer: a scan, which needs OCR.
    #[error("scanned PDF without a text layer ({pages} page(s) of images); run OCR on it first")]
    Scanned {
        /// Number of pages.
        pages: usize,
    },
    /// A file with no text at all.
    #[error("{0} file holds no text")]
    Empty(SourceFormat),
    /// A format the reader knows but does not read.
    #[error("{0}")]
    Unsupported(&'static str),
}

impl ConvertError {
    fn damaged(format: SourceFormat, reason: impl std::fmt::Display) -> Self {
        let reason = reason.to_string();
        let reason = reason.lines().next().unwrap_or("").trim();
        Self::Damaged { format, reason: if reason.is_empty() { "unknown error".to_owned() } else { reason.to_owned() } }
    }
}

/// Converts the bytes of the file called `name` (its path or file name).
pub fn convert(name: &str, bytes: &[u8]) -> Result<Converted, ConvertError> {
    match format_of(name, bytes) {
        SourceFormat::Text => Ok(text_of(bytes, Layout::Plain, SourceFormat::Text)?),
        SourceFormat::Markdown => Ok(text_of(bytes, Layout::Markdown, SourceFormat::Markdown)?),
        SourceFormat::Html => html::convert(bytes),
        SourceFormat::Pdf => pdf::convert(bytes),
        SourceFormat::Docx => docx::convert(bytes),
        SourceFormat::LegacyWord => Err(ConvertError::Unsupported(
            "Word 97-2003 document (.doc) is not supported; save it as .docx (Word or LibreOffice: Save As)",
        )),
    }
}

fn text_of(bytes: &[u8], layout: Layout, format: SourceFormat) -> Result<Converted, DecodeError> {
    let decoded = decode_bytes(bytes)?;
    let mut converted = Converted::text(decoded.text, layout, decoded.encoding, format);
    converted.warnings = decoded.warnings;
    Ok(converted)
}

/// Collapses runs of whitespace to one space and trims: how a browser shows
/// text that is not preformatted. Ideographic spaces (`　`, a paragraph's
/// indent) are kept.
fn collapse_space(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut pending = false;
    for c in text.chars() {
        if c.is_ascii_whitespace() || c == '\u{a0}' {
            pending = !out.is_empty();
        } else {
            if pending {
                out.push(' ');
                pending = false;
            }
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whitespace_collapses_like_a_browser() {
        assert_eq!(collapse_space("  a \n\t b\u{a0}c  "), "a b c");
        assert_eq!(collapse_space("　　上合"), "　　上合");
    }

    #[test]
    fn legacy_word_is_a_clear_error() {
        let err = convert("a.doc", b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1rest").expect_err("doc");
        assert!(err.to_string().contains(".docx"), "{err}");
    }
}
