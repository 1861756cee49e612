//! Finding documents on disk (or in the bundled corpus) and turning them
//! into text: decoded plain text and Markdown, or saved web pages, PDFs and
//! Word files converted by [`formats`].
//!
//! A corpus is built from a [`CorpusSource`]: the documents embedded in the
//! binary, or files and folders given by the user. Every file that cannot be
//! read becomes a [`LoadError`] with a reason; the rest still load.

mod bundled;
mod decode;
mod find;
pub mod formats;

use crate::model::LoadError;
pub use bundled::BUNDLED_DOCUMENTS;
pub use decode::{DecodeError, Decoded, decode_bytes, normalize_line_ends};
pub use find::{FoundFile, find_files};
pub use formats::{Converted, Layout, Origin, SourceFormat};

use std::path::{Path, PathBuf};

/// Default cap on the size of one file: larger files are reported, not read.
pub const DEFAULT_MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;

/// Where a corpus comes from.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum CorpusSource {
    /// The five example documents embedded in the binary.
    Bundled,
    /// Files and folders on disk (folders are searched recursively).
    Paths(Vec<PathBuf>),
}

impl CorpusSource {
    /// A short human-readable description ("bundled corpus" or the first path).
    pub fn describe(&self) -> String {
        match self {
            Self::Bundled => "bundled corpus".to_owned(),
            Self::Paths(paths) => match paths.as_slice() {
                [] => "(no paths)".to_owned(),
                [one] => one.display().to_string(),
                [first, rest @ ..] => format!("{} (+{} more)", first.display(), rest.len()),
            },
        }
    }
}

/// Options for loading.
#[derive(Clone, Debug)]
pub struct LoadOptions {
    /// Files larger than this are reported as errors and skipped.
    pub max_file_bytes: u64,
}

impl Default for LoadOptions {
    fn default() -> Self {
        Self { max_file_bytes: DEFAULT_MAX_FILE_BYTES }
    }
}

/// One decoded file, before cleaning.
#[derive(Clone, Debug)]
pub struct RawDocument {
    /// Unique id in the corpus: the relative path without its extension
    /// (with it, where two files would collide; see [`unique_ids`]).
    pub id: String,
    /// Path relative to the corpus root, with `/` separators.
    pub source: String,
    /// How the cleaner reads the text's lines (Markdown, plain, known blocks).
    pub layout: Layout,
    /// The decoded or converted text with `\n` line ends.
    pub text: String,
    /// Name of the detected encoding (`UTF-8`, `GB18030`, `UTF-16LE` …, or
    /// `PDF`/`DOCX` for the formats that carry their own).
    pub encoding: &'static str,
    /// Non-fatal problems (e.g. a few invalid bytes replaced).
    pub warnings: Vec<String>,
    /// Format, publication time and address of the file.
    pub origin: Origin,
    /// For a PDF, the first text line of each page.
    pub page_starts: Vec<u32>,
    /// Lines the converter dropped as page furniture.
    pub removed_lines: usize,
}

impl RawDocument {
    /// A document from text in memory (tests, pasted text): plain or Markdown.
    pub fn from_text(id: &str, text: String, markdown: bool) -> Self {
        let (layout, format) = match markdown {
            true => (Layout::Markdown, SourceFormat::Markdown),
            false => (Layout::Plain, SourceFormat::Text),
        };
        Self {
            id: id.to_owned(),
            source: id.to_owned(),
            layout,
            text,
            encoding: "UTF-8",
            warnings: Vec::new(),
            origin: Origin { format, ..Origin::default() },
            page_starts: Vec::new(),
            removed_lines: 0,
        }
    }

    fn converted(source: String, c: Converted) -> Self {
        Self {
            id: String::new(),
            source,
            layout: c.layout,
            text: c.text,
            encoding: c.encoding,
            warnings: c.warnings,
            origin: c.origin,
            page_starts: c.page_starts,
            removed_lines: c.removed_lines,
        }
    }
}

/// Result of loading: documents in a stable order plus the files that failed.
#[derive(Clone, Debug, Default)]
pub struct Loaded {
    /// Documents, sorted by source path.
    pub documents: Vec<RawDocument>,
    /// Files that could not be read or decoded.
    pub errors: Vec<LoadError>,
}

/// Loads every document of `source`. Files are read and decoded in
/// parallel; ids are given in path order, so the result does not depend on
/// the scheduling.
pub fn load(source: &CorpusSource, options: &LoadOptions) -> Loaded {
    let (mut documents, errors) = load_each(source, options, |raw, _| raw);
    let ids = unique_ids(documents.iter().map(|d| d.source.as_str()));
    for (d, id) in documents.iter_mut().zip(ids) {
        d.id = id;
    }
    Loaded { documents, errors }
}

/// Reads and decodes every document of `source` and hands each to `f`
/// (with the number of files being loaded) on the thread that decoded it, so a caller that reduces a document (the
/// analysis cleans it) never holds the whole raw corpus at once. Returns
/// `f`'s results for the decoded files in path order, and the files that
/// could not be read or decoded. The documents come with an empty `id`:
/// give ids with [`unique_ids`] over the results' sources, in this order.
pub fn load_each<T: Send>(
    source: &CorpusSource,
    options: &LoadOptions,
    f: impl Fn(RawDocument, usize) -> T + Sync,
) -> (Vec<T>, Vec<LoadError>) {
    let (files, mut errors) = list(source);
    let results = load_listed(files, options, f);
    let mut done = Vec::with_capacity(results.len());
    for r in results {
        match r {
            Ok(t) => done.push(t),
            Err(e) => errors.push(e),
        }
    }
    (done, errors)
}

/// One file of a corpus, listed but not read.
#[derive(Clone, Debug)]
pub struct ListedFile {
    /// Path relative to its root (`/` separators): the document's `source`.
    pub relative: String,
    /// Where its bytes are.
    pub origin: FileOrigin,
}

/// Where a listed file's bytes are.
#[derive(Clone, Debug)]
pub enum FileOrigin {
    /// Embedded in the binary (the bundled corpus).
    Bundled(&'static [u8]),
    /// On disk.
    Disk(PathBuf),
}

impl ListedFile {
    /// The file's bytes, refused over the size cap.
    pub fn read(&self, options: &LoadOptions) -> Result<std::borrow::Cow<'static, [u8]>, String> {
        match &self.origin {
            FileOrigin::Bundled(bytes) => Ok(std::borrow::Cow::Borrowed(*bytes)),
            FileOrigin::Disk(path) => read_capped(path, options.max_file_bytes).map(std::borrow::Cow::Owned),
        }
    }

    /// Decodes (or converts) the bytes `read` gave as this file.
    pub fn convert(&self, bytes: &[u8], options: &LoadOptions) -> Result<RawDocument, LoadError> {
        convert_checked(&self.relative, bytes, options)
            .map(|converted| RawDocument::converted(self.relative.clone(), converted))
            .map_err(|message| LoadError { source: self.relative.clone(), message })
    }

    /// Reads and decodes the file.
    pub fn load(&self, options: &LoadOptions) -> Result<RawDocument, LoadError> {
        self.read(options)
            .map_err(|message| LoadError { source: self.relative.clone(), message })
            .and_then(|bytes| self.convert(&bytes, options))
    }
}

/// The files of `source` in path order, and the paths that could not be
/// searched.
pub fn list(source: &CorpusSource) -> (Vec<ListedFile>, Vec<LoadError>) {
    match source {
        CorpusSource::Bundled => (
            BUNDLED_DOCUMENTS
                .iter()
                .map(|(name, bytes)| ListedFile { relative: (*name).to_owned(), origin: FileOrigin::Bundled(bytes) })
                .collect(),
            Vec::new(),
        ),
        CorpusSource::Paths(paths) => {
            let (files, errors) = find_files(paths);
            let files =
                files.into_iter().map(|f| ListedFile { relative: f.relative, origin: FileOrigin::Disk(f.path) }).collect();
            (files, errors)
        }
    }
}

/// Reads and decodes `files` in parallel and hands each document to `f`
/// (with the number of files) on the thread that decoded it; the results
/// in the files' order.
pub fn load_listed<T: Send>(
    files: Vec<ListedFile>,
    options: &LoadOptions,
    f: impl Fn(RawDocument, usize) -> T + Sync,
) -> Vec<Result<T, LoadError>> {
    use rayon::prelude::*;
    let total = files.len();
    // One file at a time for each worker: a long document is not
    // queued behind a run of others while a core waits.
    files.into_par_iter().with_max_len(1).map(|file| file.load(options).map(|raw| f(raw, total))).collect()
}

/// The hash of one file as the analysis sees it: its relative path and its
/// bytes, or the message that says why it cannot be read.
pub fn file_key(relative: &str, bytes: Result<&[u8], &str>) -> [u8; 32] {
    let mut h = blake3::Hasher::new();
    h.update(&(relative.len() as u64).to_le_bytes());
    h.update(relative.as_bytes());
    match bytes {
        Ok(bytes) => {
            h.update(&[1]);
            h.update(bytes);
        }
        Err(message) => {
            h.update(&[0]);
            h.update(message.as_bytes());
        }
    }
    *h.finalize().as_bytes()
}

/// Unique document ids for sources (relative paths) in path order: the
/// path without its extension (`report`, `2019/report`); where two files
/// would share that, both keep their extension (`report.md`, `report.txt`);
/// a path given twice (the same name under two roots) gets `-2`, `-3` ….
/// A file's id depends only on the files whose path differs from its own
/// by the extension, never on where it sorts.
pub fn unique_ids<'a>(sources: impl Iterator<Item = &'a str>) -> Vec<String> {
    let sources: Vec<&str> = sources.collect();
    let mut per_key: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    for s in &sources {
        *per_key.entry(without_extension(s)).or_default() += 1;
    }
    let mut ids = IdAllocator::default();
    sources
        .iter()
        .map(|s| {
            let key = without_extension(s);
            ids.allocate(if per_key.get(key).is_some_and(|n| *n > 1) { s } else { key })
        })
        .collect()
}

/// Converts one file's bytes to text (by its name and first bytes),
/// refusing one over the size cap.
fn convert_checked(name: &str, bytes: &[u8], options: &LoadOptions) -> Result<Converted, String> {
    if bytes.len() as u64 > options.max_file_bytes {
        return Err(too_big(bytes.len() as u64, options.max_file_bytes));
    }
    formats::convert(name, bytes).map_err(|err| err.to_string())
}

fn read_capped(path: &Path, max: u64) -> Result<Vec<u8>, String> {
    use std::io::Read as _;
    let file = crate::regular_file::open(path).map_err(|e| format!("cannot open file: {e}"))?;
    let len = file.metadata().map(|m| m.len()).unwrap_or(0);
    if len > max {
        return Err(too_big(len, max));
    }
    let mut bytes = Vec::with_capacity(len as usize);
    // Read one byte past the cap so a file that grows while we read is still caught.
    file.take(max.saturating_add(1)).read_to_end(&mut bytes).map_err(|e| format!("cannot read file: {e}"))?;
    if bytes.len() as u64 > max {
        return Err(too_big(bytes.len() as u64, max));
    }
    Ok(bytes)
}

fn too_big(len: u64, max: u64) -> String {
    format!("file is {} MiB, above the {} MiB size cap; not loaded", len.div_ceil(1 << 20), max >> 20)
}

/// `2019/report.txt` → `2019/report`; a name that is all extension
/// (`.hidden`) keeps it.
fn without_extension(relative: &str) -> &str {
    let name_start = relative.rfind('/').map_or(0, |i| i + 1);
    match relative[name_start..].rfind('.') {
        Some(dot) if dot > 0 => &relative[..name_start + dot],
        _ => relative,
    }
}

/// Hands out unique document ids: the name, then `name-2`, `name-3` …
#[derive(Default)]
struct IdAllocator {
    used: std::collections::HashSet<String>,
}

impl IdAllocator {
    fn allocate(&mut self, name: &str) -> String {
        let stem = if name.is_empty() { "document" } else { name };
        let mut candidate = stem.to_owned();
        let mut n = 2;
        while self.used.contains(&candidate) {
            candidate = format!("{stem}-{n}");
            n += 1;
        }
        self.used.insert(candidate.clone());
        candidate
    }
}

/// The `&'static` name of an encoding named `name` (as [`RawDocument`]
/// holds it), for a document read back from where it was set aside;
/// `"unknown"` for a name no decoder gives.
pub fn encoding_named(name: &str) -> &'static str {
    match name {
        "PDF" => "PDF",
        "DOCX" => "DOCX",
        _ => encoding_rs::Encoding::for_label(name.as_bytes()).map_or("unknown", |e| e.name()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_unique() {
        let mut ids = IdAllocator::default();
        assert_eq!(ids.allocate("a"), "a");
        assert_eq!(ids.allocate("a"), "a-2");
        assert_eq!(ids.allocate("a"), "a-3");
        assert_eq!(without_extension("x/y/报告.v1.txt"), "x/y/报告.v1");
        assert_eq!(without_extension("x.d/.hidden"), "x.d/.hidden");
    }

    #[test]
    fn ids_are_paths_without_extension_unless_two_files_share_one() {
        let ids = |s: &[&str]| unique_ids(s.iter().copied());
        assert_eq!(ids(&["a.txt", "b.md"]), ["a", "b"]);
        assert_eq!(ids(&["2019/report.txt", "2020/report.txt", "report.pdf"]), ["2019/report", "2020/report", "report"]);
        assert_eq!(ids(&["report.md", "report.txt", "x.txt"]), ["report.md", "report.txt", "x"]);
        // The same name under two roots.
        assert_eq!(ids(&["a.txt", "a.txt"]), ["a.txt", "a.txt-2"]);
        // A file's id does not depend on unrelated files around it.
        assert_eq!(ids(&["0.txt", "report.txt"])[1], ids(&["report.txt", "z.txt"])[0]);
    }
}
