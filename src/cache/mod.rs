//! The analysis cache in the data directory: one folder per corpus, each
//! document stored on its own record, so that an unchanged corpus opens
//! without analysis and a changed file costs that file.
//!
//! `cache/<hash of the corpus's paths>/`:
//! - `manifest.bin`: what the analysis keeps of every file of the corpus
//!   between runs (its hash, what the corpus-wide step reads of it, and the
//!   name and place of its stored document), written by the analysis and
//!   opaque here (`magic · format u32 · body · BLAKE3 of all before`);
//! - `<name>.pack`: the documents one run analysed, a batch to a file
//!   ([`pack`]): each one analysed document ([`frame`]) and the citation
//!   each of its agreement mentions stands for, as a record that checks
//!   itself.
//!
//! A manifest, pack or record that is missing, damaged or of another format
//! is a miss, never an error, and never read as something else. Files are
//! written to a temporary file renamed into place (`safe_write`), so a
//! reader never sees half a file. No fsync: a file damaged by a crash fails
//! its checksum and is a miss. An entry's name is a hash of everything its
//! content depends on; packs no manifest names are swept after each run.

mod frame;
mod pack;

pub use pack::{Location, PackName};

use crate::corpus::{CorpusSource, LoadOptions};
use crate::knowledge::Knowledge;
use crate::model::DocumentAnalysis;
use crate::stored_file::{HashingWriter, build_identity};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// Version of the file layout; bump when what is stored changes shape.
const FORMAT: u32 = 9;
const MANIFEST_MAGIC: &[u8; 8] = b"SCOMANIF";
const MANIFEST: &str = "manifest.bin";
/// Seconds after which a pack's temporary file is taken for a killed run's.
const STALE_TEMPORARY_SECONDS: u64 = 3600;
/// The extension of the one-file-per-document entries of earlier builds,
/// which are swept.
const LEGACY_ENTRY_EXTENSION: &str = "doc";

/// What every analysis of a corpus depends on besides its files: the cache
/// format, the contract version, the build of this program (its version and
/// its executable's size and modification time, so any new build starts
/// afresh), the knowledge (the user's gazetteer) and the size cap.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Context([u8; 32]);

impl Context {
    /// The context of this program, `options` and `knowledge`; `None` when
    /// the program cannot identify its own build (then nothing is cached).
    pub fn of(options: &LoadOptions, knowledge: &Knowledge) -> Option<Self> {
        let build = build_identity()?;
        let mut h = blake3::Hasher::new();
        h.update(&FORMAT.to_le_bytes());
        h.update(&crate::model::CONTRACT_VERSION.to_le_bytes());
        h.update(&(build.len() as u64).to_le_bytes());
        h.update(build.as_bytes());
        h.update(&knowledge.fingerprint());
        h.update(&options.max_file_bytes.to_le_bytes());
        Some(Self(*h.finalize().as_bytes()))
    }

    /// The bytes of the hash.
    pub fn bytes(&self) -> &[u8; 32] {
        &self.0
    }
}

/// The name of a stored document: a hash of what its analysis depends on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct EntryName([u8; 16]);

impl EntryName {
    /// The name for an entry that depends on `parts` (and nothing else).
    pub fn of(parts: &[&[u8]]) -> Self {
        let mut h = blake3::Hasher::new();
        for part in parts {
            h.update(&(part.len() as u64).to_le_bytes());
            h.update(part);
        }
        let mut name = [0; 16];
        name.copy_from_slice(&h.finalize().as_bytes()[..16]);
        Self(name)
    }
}

/// The cache directory of one data directory.
#[derive(Clone, Debug)]
pub struct AnalysisCache {
    dir: PathBuf,
}

impl AnalysisCache {
    /// The cache under `data_dir/cache`.
    pub fn in_data_dir(data_dir: &Path) -> Self {
        Self { dir: data_dir.join("cache") }
    }

    /// The folder of `source`'s analysis.
    pub fn corpus(&self, source: &CorpusSource) -> CorpusCache {
        let described = match source {
            CorpusSource::Bundled => "bundled".to_owned(),
            CorpusSource::Paths(paths) => paths
                .iter()
                .map(|p| std::path::absolute(p).unwrap_or_else(|_| p.clone()).display().to_string())
                .collect::<Vec<_>>()
                .join("\n"),
        };
        let name = blake3::hash(described.as_bytes()).to_hex();
        let name = &name[..32];
        // The one-file cache of earlier builds, now never read.
        let _ = std::fs::remove_file(self.dir.join(format!("{name}.bin")));
        CorpusCache { dir: self.dir.join(name) }
    }
}

/// A stored document: its entry's name and where its record is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredEntry {
    /// What the document's analysis depends on.
    pub entry: EntryName,
    /// Its record.
    pub at: Location,
}

/// The cached analysis of one corpus.
#[derive(Clone, Debug)]
pub struct CorpusCache {
    dir: PathBuf,
}

impl CorpusCache {
    /// The folder.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The manifest, if there is one that reads back whole.
    pub fn read_manifest<M: for<'de> Deserialize<'de>>(&self) -> Option<M> {
        let body = read_checked(&self.dir.join(MANIFEST), MANIFEST_MAGIC)?;
        postcard::from_bytes(&body).ok()
    }

    /// Replaces the manifest (serialised straight to the file: on a large
    /// corpus it is a hundred megabytes not to hold twice).
    pub fn write_manifest<M: Serialize>(&self, manifest: &M) -> std::io::Result<()> {
        std::fs::create_dir_all(&self.dir)?;
        write_checked_with(&self.dir.join(MANIFEST), MANIFEST_MAGIC, |out| {
            postcard::to_io(manifest, out).map(|_| ()).map_err(std::io::Error::other)
        })
    }

    /// A stored document and, for each of its agreement mentions, the
    /// mention's index in its entities and the citation it stands for.
    pub fn read_document(&self, stored: &StoredEntry) -> Option<(Vec<(u32, u32)>, DocumentAnalysis)> {
        let record = pack::read_record(&self.dir, &stored.entry, &stored.at)?;
        let (refs, frame): (Vec<(u32, u32)>, &[u8]) = postcard::take_from_bytes(pack::body_of(&record)).ok()?;
        Some((refs, frame::decode_document(frame)?))
    }

    /// A document (and its agreement mentions' citations) as the record of
    /// `entry`, to go in a pack ([`DocumentWriter::add`]).
    pub fn record(entry: &EntryName, refs: &[(u32, u32)], doc: &DocumentAnalysis) -> std::io::Result<Record> {
        // The body is the refs, then the frame to the end, written straight
        // into the record (a frame is about twice the document's text).
        let text_bytes: usize = doc.paragraphs.iter().map(|p| p.text.len()).sum();
        let out = pack::record_start(entry, 2 * text_bytes + 4096);
        let out = postcard::to_extend(refs, out).map_err(std::io::Error::other)?;
        let out = frame::encode_document(doc, out).map_err(std::io::Error::other)?;
        let record = pack::record_end(out);
        // A place in a pack counts a record's bytes in 32 bits.
        if u32::try_from(record.len()).is_err() {
            return Err(std::io::Error::other(format!("{} is too large to store ({} bytes)", doc.source, record.len())));
        }
        Ok(Record(record))
    }

    /// A writer of records into this corpus's packs.
    pub fn writer(&self) -> DocumentWriter {
        DocumentWriter(pack::PackWriter::new(&self.dir))
    }

    /// Copies what is wanted of packs mostly unwanted into new packs,
    /// moving `stored` with it, so that the cache stays near the size of
    /// what it holds however many files change.
    pub fn compact(&self, stored: &mut [&mut StoredEntry]) -> Result<(), String> {
        let mut places: Vec<(&EntryName, &mut Location)> = stored.iter_mut().map(|s| (&s.entry, &mut s.at)).collect();
        pack::compact(&self.dir, &mut places)
    }

    /// Removes the packs `keep` does not want, and temporary files of packs
    /// an hour old. (Entries of the earlier layouts, a file per document,
    /// go too.)
    pub fn sweep(&self, keep: impl Fn(&PackName) -> bool) {
        let is_legacy_entry = |name: &std::ffi::OsStr| {
            let stem = name.to_str().and_then(|n| n.strip_suffix(&format!(".{LEGACY_ENTRY_EXTENSION}")));
            stem.and_then(parse_hex).is_some()
        };
        let Ok(listing) = std::fs::read_dir(&self.dir) else { return };
        for item in listing.flatten() {
            let name = item.file_name();
            let is_folder = item.file_type().is_ok_and(|t| t.is_dir());
            if !is_folder {
                let unwanted_pack = name.to_str().and_then(PackName::of_file_name).is_some_and(|p| !keep(&p));
                // A pack's temporary file left by a run that was killed
                // (an hour on, no run is still writing it).
                let stale_temporary = name.to_str().is_some_and(pack::is_temporary_pack)
                    && item.metadata().and_then(|m| m.modified()).is_ok_and(|t| {
                        t.elapsed().is_ok_and(|age| age > std::time::Duration::from_secs(STALE_TEMPORARY_SECONDS))
                    });
                if unwanted_pack || stale_temporary || is_legacy_entry(&name) {
                    let _ = std::fs::remove_file(item.path());
                }
                continue;
            }
            // Only the entry folders of the earlier layout (two hex digits),
            // nothing else put here.
            if name.len() != 2 || !name.to_str().is_some_and(|n| n.bytes().all(|b| b.is_ascii_hexdigit())) {
                continue;
            }
            let Ok(entries) = std::fs::read_dir(item.path()) else { continue };
            for entry in entries.flatten() {
                if is_legacy_entry(&entry.file_name()) {
                    let _ = std::fs::remove_file(entry.path());
                }
            }
            // Gone if it is now empty.
            let _ = std::fs::remove_dir(item.path());
        }
    }
}

/// One stored document, ready for a pack.
pub struct Record(Vec<u8>);

/// Writes the documents of a run into packs, a batch to a pack, by a
/// thread of its own.
pub struct DocumentWriter(pack::PackWriter);

impl DocumentWriter {
    /// Adds a record to the pack being filled; where it will be.
    pub fn add(&mut self, record: Record) -> Location {
        self.0.add(record.0)
    }

    /// Ends the pack being filled: it is written while the run goes on.
    pub fn end_pack(&mut self) {
        self.0.seal();
    }

    /// Waits until every pack is written; the first error, if any.
    pub fn finish(self) -> Result<(), String> {
        self.0.finish()
    }
}

fn parse_hex(s: &str) -> Option<[u8; 16]> {
    let mut out = [0; 16];
    if s.len() != 32 {
        return None;
    }
    for (i, byte) in out.iter_mut().enumerate() {
        *byte = u8::from_str_radix(s.get(2 * i..2 * i + 2)?, 16).ok()?;
    }
    Some(out)
}

/// The body of a cache file, if it is a regular file with this magic and
/// format whose checksum holds.
fn read_checked(path: &Path, magic: &[u8; 8]) -> Option<Vec<u8>> {
    use std::io::Read as _;
    // Only a regular file: a FIFO put there would block the load forever.
    let file = crate::regular_file::open(path).ok()?;
    let size = usize::try_from(file.metadata().ok()?.len()).ok()?;
    let mut bytes = Vec::with_capacity(size);
    file.take(size as u64).read_to_end(&mut bytes).ok()?;
    let (content, checksum) = bytes.split_at_checked(bytes.len().checked_sub(32)?)?;
    if blake3::hash(content).as_bytes() != checksum {
        eprintln!("sco-reader: the analysis cache file {} fails its checksum; analysing afresh", path.display());
        return None;
    }
    let rest = content.strip_prefix(magic)?;
    let (format, body) = rest.split_at_checked(4)?;
    if format != FORMAT.to_le_bytes() {
        return None;
    }
    let body_len = body.len();
    bytes.truncate(bytes.len() - 32);
    bytes.drain(..bytes.len() - body_len);
    Some(bytes)
}

/// Writes `magic · format · body · checksum` to `path` (a temporary file
/// renamed into place), in a folder that is there, the body written by
/// `fill`.
fn write_checked_with(
    path: &Path,
    magic: &[u8; 8],
    fill: impl FnOnce(&mut HashingWriter<'_>) -> std::io::Result<()>,
) -> std::io::Result<()> {
    use std::io::Write as _;
    let options = crate::safe_write::Options { force: false, sync: false };
    crate::safe_write::write_with(path, options, |out| {
        let mut out = HashingWriter { inner: out, hasher: blake3::Hasher::new() };
        out.write_all(magic)?;
        out.write_all(&FORMAT.to_le_bytes())?;
        fill(&mut out)?;
        let checksum = out.hasher.finalize();
        out.inner.write_all(checksum.as_bytes())
    })
    .map_err(std::io::Error::other)
}

/// What the cache did for one load.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Every document came from the cache.
    Hit,
    /// Some documents were analysed (the others came from the cache) and
    /// stored for next time.
    Stored {
        /// Documents analysed.
        analysed: usize,
    },
    /// Analysed; storing failed (the message says why).
    NotStored(String),
    /// No cache in use.
    Uncached,
}
