//! The compiled gazetteer kept in the data directory, so that a large user
//! list is compiled once, not by every command: `cache/gazetteer.bin`, one
//! file, replaced when the list changes.
//!
//! ```text
//! "SCOGAZET" · format u32 · key [u8; 32]
//! · len u64 · postcard(entries, person words, warnings)
//! · len u64 · automaton (daachorse's own serialisation)
//! · BLAKE3 of everything before [u8; 32]
//! ```
//!
//! The key is a BLAKE3 hash of the build of this program and the
//! fingerprint of the lists ([`Knowledge::fingerprint`]); a file with
//! another key is stale and is replaced. The checksum covers the whole
//! file: a flipped bit is a miss (reported once) and a fresh compilation,
//! never another gazetteer. The automaton is read back with daachorse's
//! checked `deserialize`, which validates every state.

use super::{Entry, Knowledge};
use crate::stored_file::{HashingWriter, build_identity};
use daachorse::CharwiseDoubleArrayAhoCorasick;
use serde::{Deserialize, Serialize};
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

const MAGIC: &[u8; 8] = b"SCOGAZET";
/// Version of the layout; bump when [`Entry`] or the tables change shape.
const FORMAT: u32 = 1;
const CHECKSUM_BYTES: usize = 32;

/// Where the compiled gazetteer of one data directory is kept.
pub(super) struct Store {
    path: PathBuf,
}

/// The tables beside the automaton, as read back.
#[derive(Deserialize)]
struct Tables {
    entries: Vec<Entry>,
    person_words: Vec<String>,
    warnings: Vec<String>,
}

/// The same tables, borrowed for writing.
#[derive(Serialize)]
struct TablesRef<'a> {
    entries: &'a [Entry],
    person_words: &'a [String],
    warnings: &'a [String],
}

fn key_of(fingerprint: [u8; 32]) -> Option<[u8; 32]> {
    let build = build_identity()?;
    let mut h = blake3::Hasher::new();
    h.update(&FORMAT.to_le_bytes());
    h.update(&(build.len() as u64).to_le_bytes());
    h.update(build.as_bytes());
    h.update(&fingerprint);
    Some(*h.finalize().as_bytes())
}

impl Store {
    /// The store under `data_dir/cache`.
    pub(super) fn in_data_dir(data_dir: &Path) -> Self {
        Self { path: data_dir.join("cache").join("gazetteer.bin") }
    }

    /// The gazetteer stored for the lists with `fingerprint`, if there is
    /// one and it is whole.
    pub(super) fn read(&self, fingerprint: [u8; 32]) -> Option<Knowledge> {
        let key = key_of(fingerprint)?;
        // Only a regular file: a FIFO put there would block every command.
        let file = crate::regular_file::open(&self.path).ok()?;
        let mut bytes = Vec::new();
        std::io::Read::read_to_end(&mut std::io::BufReader::new(file), &mut bytes).ok()?;
        let mut r = Reader { bytes: &bytes };
        if r.take(MAGIC.len())? != MAGIC || r.take(4)? != FORMAT.to_le_bytes() || r.take(32)? != key {
            return None;
        }
        let (body, checksum) = bytes.split_at_checked(bytes.len().checked_sub(CHECKSUM_BYTES)?)?;
        if blake3::hash(body).as_bytes() != checksum {
            static REPORTED: OnceLock<()> = OnceLock::new();
            REPORTED.get_or_init(|| {
                eprintln!("sco-reader: the compiled gazetteer {} fails its checksum; compiling afresh", self.path.display());
            });
            return None;
        }
        let mut r = Reader { bytes: &body[MAGIC.len() + 4 + 32..] };
        let tables: Tables = postcard::from_bytes(r.frame()?).ok()?;
        let (automaton, rest) = CharwiseDoubleArrayAhoCorasick::<u32>::deserialize(r.frame()?).ok()?;
        if !rest.is_empty() || !r.bytes.is_empty() {
            return None;
        }
        Some(Knowledge {
            entries: tables.entries,
            person_words: tables.person_words,
            automaton,
            fingerprint,
            warnings: tables.warnings,
            segmenter: OnceLock::new(),
            names: OnceLock::new(),
            organizations: OnceLock::new(),
        })
    }

    /// Stores `knowledge` (an unpredictable temporary file renamed into
    /// place). Nothing is stored when the program cannot identify its build.
    pub(super) fn write(&self, knowledge: &Knowledge) -> std::io::Result<()> {
        let Some(key) = key_of(knowledge.fingerprint) else { return Ok(()) };
        let tables =
            TablesRef { entries: &knowledge.entries, person_words: &knowledge.person_words, warnings: &knowledge.warnings };
        let tables = postcard::to_stdvec(&tables).map_err(std::io::Error::other)?;
        let automaton = knowledge.automaton.serialize();
        if let Some(dir) = self.path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        // No fsync: a file damaged by a crash fails its checksum and is a miss.
        let options = crate::safe_write::Options { force: false, sync: false };
        crate::safe_write::write_with(&self.path, options, |out| {
            let mut out = HashingWriter { inner: out, hasher: blake3::Hasher::new() };
            out.write_all(MAGIC)?;
            out.write_all(&FORMAT.to_le_bytes())?;
            out.write_all(&key)?;
            for frame in [&tables, &automaton] {
                out.write_all(&(frame.len() as u64).to_le_bytes())?;
                out.write_all(frame)?;
            }
            let checksum = out.hasher.finalize();
            out.inner.write_all(checksum.as_bytes())
        })
        .map_err(std::io::Error::other)
    }
}

/// Reads the framing; no read goes past the end.
struct Reader<'a> {
    bytes: &'a [u8],
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        let (head, rest) = self.bytes.split_at_checked(n)?;
        self.bytes = rest;
        Some(head)
    }

    fn frame(&mut self) -> Option<&'a [u8]> {
        let len = u64::from_le_bytes(self.take(8)?.try_into().ok()?);
        self.take(usize::try_from(len).ok()?)
    }
}

#[cfg(test)]
mod tests;
