//! The analysis cache in the data directory: one folder per corpus, one
//! file per document, so that an unchanged corpus opens without analysis
//! and a changed file costs that file.
//!
//! `cache/<hash of the corpus's paths>/`:
//! - `manifest.bin`: what the analysis keeps of every file of the corpus
//!   between runs (its hash, what the corpus-wide step reads of it, and the
//!   name of its entry), written by the analysis and opaque here;
//! - `<first two hex digits of the entry>/<entry>.doc`: one analysed
//!   document ([`frame`]) and the citation each of its agreement mentions
//!   stands for. In 256 folders, not one: a 1 GB corpus is 52,000
//!   documents, and two cores creating and renaming files in one folder
//!   wait on its lock (the first run's pass 2 took twice as long).
//!
//! Every file is `magic · format u32 · body · BLAKE3 of all before`; a file
//! that is missing, damaged or of another format is a miss, never an error,
//! and never read as something else. Files are written to a temporary file
//! renamed into place (`safe_write`), so a reader never sees half a file.
//! No fsync: a file damaged by a crash fails its checksum and is a miss.
//! An entry's name is a hash of everything its content depends on, so an
//! entry is never rewritten with other content; entries no manifest names
//! are swept after each run.

mod frame;

use crate::corpus::{CorpusSource, LoadOptions};
use crate::knowledge::Knowledge;
use crate::model::DocumentAnalysis;
use crate::stored_file::{HashingWriter, build_identity};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// Version of the file layout; bump when what is stored changes shape.
const FORMAT: u32 = 8;
const MANIFEST_MAGIC: &[u8; 8] = b"SCOMANIF";
const ENTRY_MAGIC: &[u8; 8] = b"SCOENTRY";
const MANIFEST: &str = "manifest.bin";
const ENTRY_EXTENSION: &str = "doc";

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

    /// The entry's folder (by its first byte) and file name in it.
    fn path_in(&self, dir: &Path) -> PathBuf {
        let hex: String = self.0.iter().map(|b| format!("{b:02x}")).collect();
        dir.join(&hex[..2]).join(format!("{hex}.{ENTRY_EXTENSION}"))
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
        CorpusCache { dir: self.dir.join(name), folders_made: std::sync::Arc::default() }
    }
}

/// The cached analysis of one corpus.
#[derive(Clone, Debug)]
pub struct CorpusCache {
    dir: PathBuf,
    /// The entry folders made (or found) so far, one bit each: each is
    /// made once, not once per document.
    folders_made: std::sync::Arc<[std::sync::atomic::AtomicU64; 4]>,
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
    pub fn read_document(&self, entry: &EntryName) -> Option<(Vec<(u32, u32)>, DocumentAnalysis)> {
        let body = read_checked(&entry.path_in(&self.dir), ENTRY_MAGIC)?;
        let (refs, frame): (Vec<(u32, u32)>, &[u8]) = postcard::from_bytes(&body).ok()?;
        Some((refs, frame::decode_document(frame)?))
    }

    /// Stores a document under `entry`.
    pub fn write_document(&self, entry: &EntryName, refs: &[(u32, u32)], doc: &DocumentAnalysis) -> std::io::Result<()> {
        let frame = frame::encode_document(doc).map_err(std::io::Error::other)?;
        let body = postcard::to_stdvec(&(refs, frame.as_slice())).map_err(std::io::Error::other)?;
        let path = entry.path_in(&self.dir);
        let folder = usize::from(entry.0[0]);
        let (word, bit) = (&self.folders_made[folder / 64], 1u64 << (folder % 64));
        if word.load(std::sync::atomic::Ordering::Relaxed) & bit == 0 {
            std::fs::create_dir_all(path.parent().unwrap_or(&self.dir))?;
            word.fetch_or(bit, std::sync::atomic::Ordering::Relaxed);
        }
        write_checked(&path, ENTRY_MAGIC, &body)
    }

    /// Removes the stored documents `keep` does not want.
    /// (Entries of the earlier layout, one folder for all, are never read
    /// again and go too.)
    pub fn sweep(&self, keep: impl Fn(&EntryName) -> bool) {
        let entry_of = |name: &std::ffi::OsStr| {
            let stem = name.to_str().and_then(|n| n.strip_suffix(&format!(".{ENTRY_EXTENSION}")))?;
            parse_hex(stem).map(EntryName)
        };
        let Ok(listing) = std::fs::read_dir(&self.dir) else { return };
        for item in listing.flatten() {
            let name = item.file_name();
            let is_folder = item.file_type().is_ok_and(|t| t.is_dir());
            if !is_folder {
                if entry_of(&name).is_some() {
                    let _ = std::fs::remove_file(item.path());
                }
                continue;
            }
            // Only the entry folders (two hex digits), nothing else put here.
            if name.len() != 2 || !name.to_str().is_some_and(|n| n.bytes().all(|b| b.is_ascii_hexdigit())) {
                continue;
            }
            let Ok(entries) = std::fs::read_dir(item.path()) else { continue };
            for entry in entries.flatten() {
                if entry_of(&entry.file_name()).is_some_and(|e| !keep(&e)) {
                    let _ = std::fs::remove_file(entry.path());
                }
            }
        }
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
/// renamed into place), in a folder that is there.
fn write_checked(path: &Path, magic: &[u8; 8], body: &[u8]) -> std::io::Result<()> {
    write_checked_with(path, magic, |out| std::io::Write::write_all(out, body))
}

/// [`write_checked`] with the body written by `fill`.
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
