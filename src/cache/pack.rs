//! Packs: the documents a run analyses, stored a batch to a file.
//!
//! Creating a file costs the file system far more than writing its bytes: a
//! 1 GB corpus is 52,000 documents, and one file each made the kernel's
//! share of a first run a third of its time. So documents are appended, a
//! batch at a time, to a pack (`<name>.pack`: `magic · format u32 ·
//! records`), and the manifest says where each one is ([`Location`]).
//!
//! A record is `entry name (16 bytes) · body · BLAKE3 of both (32 bytes)`:
//! it checks itself, so one document is read without the rest of its pack,
//! and a record that is damaged, cut or of another entry is a miss. A pack
//! is written to a temporary file renamed into place, by a thread of its
//! own while the analysis goes on; its name is new for every pack, so a
//! pack is never rewritten. Records whose document changed stay in their
//! pack until it is swept (no record in it is wanted) or compacted (under
//! half of it is wanted: what is wanted is copied to a new pack).

use super::{EntryName, FORMAT};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};

const PACK_MAGIC: &[u8; 8] = b"SCOPACK\0";
/// Bytes before the first record: the magic and the format.
const HEADER_BYTES: u64 = 12;
const NAME_BYTES: usize = 16;
const CHECKSUM_BYTES: usize = 32;
/// The file extension of a pack.
pub(super) const PACK_EXTENSION: &str = "pack";
/// Sealed packs waiting for the writing thread, at most: the analysis
/// waits beyond (one more is being written).
const PACKS_IN_FLIGHT: usize = 1;
/// Bytes at which a pack is sealed whatever its batch: what waits to be
/// written stays bounded when documents are large.
const PACK_BYTES: u64 = 64 << 20;
/// Records copied into one pack when packs are compacted.
const RECORDS_PER_COMPACTED_PACK: usize = 256;
/// A pack under this many bytes is small: small packs are merged.
const SMALL_PACK_BYTES: u64 = 1 << 20;
/// Small packs that wait before they are merged.
const SMALL_PACKS_BEFORE_MERGE: usize = 8;

/// The name of a pack: new for every pack written.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct PackName([u8; 16]);

impl PackName {
    /// A name no pack has had: a hash of this process, the time, a count
    /// and the first record.
    fn new(first_record: &[u8]) -> Self {
        static COUNT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
        let mut h = blake3::Hasher::new();
        h.update(&std::process::id().to_le_bytes());
        let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap_or_default();
        h.update(&now.as_nanos().to_le_bytes());
        h.update(&COUNT.fetch_add(1, std::sync::atomic::Ordering::Relaxed).to_le_bytes());
        h.update(first_record);
        let mut name = [0; 16];
        name.copy_from_slice(&h.finalize().as_bytes()[..16]);
        Self(name)
    }

    /// The pack's file in `dir`.
    pub(crate) fn path_in(&self, dir: &Path) -> PathBuf {
        let hex: String = self.0.iter().map(|b| format!("{b:02x}")).collect();
        dir.join(format!("{hex}.{PACK_EXTENSION}"))
    }

    /// The name of a pack's file, if it is one.
    pub(super) fn of_file_name(name: &str) -> Option<Self> {
        let stem = name.strip_suffix(&format!(".{PACK_EXTENSION}"))?;
        super::parse_hex(stem).map(Self)
    }
}

/// Whether `name` is a temporary file of a pack being written
/// (`.<name>.pack.<random>.tmp`, as `safe_write` makes them).
pub(super) fn is_temporary_pack(name: &str) -> bool {
    let Some(inner) = name.strip_prefix('.').and_then(|n| n.strip_suffix(".tmp")) else { return false };
    inner
        .split_once('.')
        .is_some_and(|(stem, rest)| rest.starts_with(&format!("{PACK_EXTENSION}.")) && super::parse_hex(stem).is_some())
}

/// Where a record is: its pack, its first byte there, its length in bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Location {
    /// The pack.
    pub pack: PackName,
    /// Bytes from the start of the pack to the record.
    pub offset: u64,
    /// Bytes of the record, name and checksum included.
    pub len: u32,
}

/// The start of the record of `entry`: its body is appended next, then
/// [`record_end`]; `capacity` bytes are kept for the body.
pub(super) fn record_start(entry: &EntryName, capacity: usize) -> Vec<u8> {
    let mut out = Vec::with_capacity(NAME_BYTES + capacity + CHECKSUM_BYTES);
    out.extend_from_slice(&entry.0);
    out
}

/// A record begun by [`record_start`], its body written, ended.
pub(super) fn record_end(mut out: Vec<u8>) -> Vec<u8> {
    let checksum = blake3::hash(&out);
    out.extend_from_slice(checksum.as_bytes());
    out
}

/// The whole record of `entry` at `at` in `dir`, if it is there and holds.
pub(super) fn read_record(dir: &Path, entry: &EntryName, at: &Location) -> Option<Vec<u8>> {
    use std::io::{Read as _, Seek as _};
    let len = usize::try_from(at.len).ok()?;
    if len < NAME_BYTES + CHECKSUM_BYTES || at.offset < HEADER_BYTES {
        return None;
    }
    // Only a regular file: a FIFO put there would block the load forever.
    let mut file = crate::regular_file::open(&at.pack.path_in(dir)).ok()?;
    // A record past the end of its pack (cut short) is a miss before any
    // buffer is made for it.
    if at.offset.checked_add(u64::from(at.len))? > file.metadata().ok()?.len() {
        eprintln!(
            "sco-reader: a document in the analysis cache file {} is cut short; analysing it afresh",
            at.pack.path_in(dir).display()
        );
        return None;
    }
    file.seek(std::io::SeekFrom::Start(at.offset)).ok()?;
    let mut bytes = vec![0; len];
    file.read_exact(&mut bytes).ok()?;
    let (content, checksum) = bytes.split_at(len - CHECKSUM_BYTES);
    if blake3::hash(content).as_bytes() != checksum {
        eprintln!(
            "sco-reader: a document in the analysis cache file {} fails its checksum; analysing it afresh",
            at.pack.path_in(dir).display()
        );
        return None;
    }
    (content[..NAME_BYTES] == entry.0).then_some(bytes)
}

/// The body of a whole record read by [`read_record`].
pub(super) fn body_of(record: &[u8]) -> &[u8] {
    &record[NAME_BYTES..record.len() - CHECKSUM_BYTES]
}

/// One pack being filled.
struct Filling {
    name: PackName,
    records: Vec<Vec<u8>>,
    /// Where the next record goes.
    end: u64,
}

/// Packs written in order, by a thread of their own: records are added
/// (each is given its place at once), a pack is sealed at the end of each
/// batch (or when it passes [`PACK_BYTES`]), and [`PackWriter::finish`]
/// waits for the last one. After the first error no pack is written, and
/// `finish` reports that error.
pub(super) struct PackWriter {
    dir: PathBuf,
    filling: Option<Filling>,
    to_thread: Option<SyncSender<Filling>>,
    thread: Option<std::thread::JoinHandle<Result<(), String>>>,
    /// Why packs are no longer written, when the thread could not be
    /// started or stopped.
    failed: Option<String>,
}

impl PackWriter {
    /// A writer of packs into `dir` (made when the first pack is written).
    pub(super) fn new(dir: &Path) -> Self {
        Self { dir: dir.to_path_buf(), filling: None, to_thread: None, thread: None, failed: None }
    }

    /// Adds `record` to the pack being filled; where it will be. A pack
    /// grown past [`PACK_BYTES`] is sealed.
    pub(super) fn add(&mut self, record: Vec<u8>) -> Location {
        let filling =
            self.filling.get_or_insert_with(|| Filling { name: PackName::new(&record), records: Vec::new(), end: HEADER_BYTES });
        let len = u32::try_from(record.len()).unwrap_or(u32::MAX);
        let at = Location { pack: filling.name, offset: filling.end, len };
        filling.end += record.len() as u64;
        filling.records.push(record);
        if filling.end >= PACK_BYTES {
            self.seal();
        }
        at
    }

    /// Hands the pack being filled (if any) to the writing thread.
    pub(super) fn seal(&mut self) {
        let Some(filling) = self.filling.take() else { return };
        if self.failed.is_some() {
            return;
        }
        if self.thread.is_none() {
            let (sender, receiver) = sync_channel(PACKS_IN_FLIGHT);
            let dir = self.dir.clone();
            let spawned =
                std::thread::Builder::new().name("sco-reader-cache".to_owned()).spawn(move || write_all(&dir, &receiver));
            match spawned {
                Ok(thread) => (self.thread, self.to_thread) = (Some(thread), Some(sender)),
                Err(e) => {
                    self.failed = Some(format!("cannot write the analysis cache: no thread to write it ({e})"));
                    return;
                }
            }
        }
        if let Some(sender) = &self.to_thread
            && sender.send(filling).is_err()
        {
            // The thread is gone (it takes every pack, so it panicked).
            self.to_thread = None;
            self.failed = Some("the thread writing the analysis cache stopped".to_owned());
        }
    }

    /// Seals the last pack and waits until every pack is written; the
    /// first error, if any.
    pub(super) fn finish(mut self) -> Result<(), String> {
        self.seal();
        self.wait()
    }

    fn wait(&mut self) -> Result<(), String> {
        self.to_thread = None;
        let written = match self.thread.take().map(std::thread::JoinHandle::join) {
            None => Ok(()),
            Some(Ok(result)) => result,
            Some(Err(_)) => Err("the thread writing the analysis cache stopped".to_owned()),
        };
        match self.failed.take() {
            Some(why) => Err(written.err().unwrap_or(why)),
            None => written,
        }
    }
}

impl Drop for PackWriter {
    fn drop(&mut self) {
        // Not left writing behind a run that ended early.
        let _ = self.wait();
    }
}

/// Writes every pack received until the sender is gone; after the first
/// error the rest are taken and dropped (so the analysis never waits on a
/// full channel), and that error is the result.
fn write_all(dir: &Path, packs: &Receiver<Filling>) -> Result<(), String> {
    let mut result = std::fs::create_dir_all(dir).map_err(|e| format!("cannot write the analysis cache: {e}"));
    for pack in packs {
        if result.is_ok() {
            result = write_pack(dir, &pack).map_err(|e| format!("cannot write the analysis cache: {e}"));
        }
    }
    result
}

fn write_pack(dir: &Path, pack: &Filling) -> Result<(), crate::safe_write::WriteError> {
    let options = crate::safe_write::Options { force: false, sync: false };
    crate::safe_write::write_with(&pack.name.path_in(dir), options, |out| {
        out.write_all(PACK_MAGIC)?;
        out.write_all(&FORMAT.to_le_bytes())?;
        for record in &pack.records {
            out.write_all(record)?;
        }
        Ok(())
    })
}

/// Copies the records of packs that are under half wanted, and of small
/// packs once there are [`SMALL_PACKS_BEFORE_MERGE`] of them, into new
/// packs, and moves `stored` (entries and their places) to them; packs
/// that lose their last wanted record are left for the sweep. A record
/// that cannot be read stays where it is (reading it later is a miss), and
/// so does every record when the new packs cannot be written.
pub(super) fn compact(dir: &Path, stored: &mut [(&EntryName, &mut Location)]) -> Result<(), String> {
    let mut wanted: rustc_hash::FxHashMap<PackName, u64> = rustc_hash::FxHashMap::default();
    for (_, at) in stored.iter() {
        *wanted.entry(at.pack).or_default() += u64::from(at.len);
    }
    let mut sparse = rustc_hash::FxHashSet::default();
    let mut small = Vec::new();
    for (pack, bytes) in wanted {
        let Ok(meta) = std::fs::metadata(pack.path_in(dir)) else { continue };
        if meta.len() > 2 * (bytes + HEADER_BYTES) {
            sparse.insert(pack);
        } else if meta.len() < SMALL_PACK_BYTES {
            small.push(pack);
        }
    }
    // Each run that changes a file adds a pack of its own: they are merged
    // a few at a time, so the cache never drifts back to a file for each.
    if small.len() >= SMALL_PACKS_BEFORE_MERGE {
        sparse.extend(small);
    }
    if sparse.is_empty() {
        return Ok(());
    }
    let before: Vec<Location> = stored.iter().map(|(_, at)| **at).collect();
    let mut writer = PackWriter::new(dir);
    let mut in_pack = 0;
    for (entry, at) in stored.iter_mut() {
        if !sparse.contains(&at.pack) {
            continue;
        }
        let Some(record) = read_record(dir, entry, at) else { continue };
        **at = writer.add(record);
        in_pack += 1;
        if in_pack == RECORDS_PER_COMPACTED_PACK {
            writer.seal();
            in_pack = 0;
        }
    }
    let written = writer.finish();
    if written.is_err() {
        for ((_, at), old) in stored.iter_mut().zip(before) {
            **at = old;
        }
    }
    written
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record_of(n: u8, bytes: usize) -> (EntryName, Vec<u8>) {
        let entry = EntryName::of(&[&[n]]);
        let mut out = record_start(&entry, bytes);
        out.extend(std::iter::repeat_n(n, bytes));
        (entry, record_end(out))
    }

    #[test]
    fn records_come_back_from_their_places_and_nothing_else_does() {
        let dir = tempfile::tempdir().expect("tmp");
        let mut writer = PackWriter::new(dir.path());
        let mut stored = Vec::new();
        for n in 0..10 {
            let (entry, record) = record_of(n, 100 * usize::from(n));
            stored.push((entry, writer.add(record)));
            if n % 4 == 3 {
                writer.seal();
            }
        }
        writer.finish().expect("written");
        for (n, (entry, at)) in stored.iter().enumerate() {
            let record = read_record(dir.path(), entry, at).expect("read");
            assert_eq!(body_of(&record), vec![n as u8; 100 * n].as_slice());
        }
        // Another entry's name at a place, a length past the end, an
        // offset inside the header: misses, with no buffer made for them.
        let (entry, at) = stored[3];
        assert!(read_record(dir.path(), &stored[4].0, &at).is_none());
        assert!(read_record(dir.path(), &entry, &Location { len: u32::MAX, ..at }).is_none());
        assert!(read_record(dir.path(), &entry, &Location { offset: 0, ..at }).is_none());
    }

    #[test]
    fn a_pack_that_cannot_be_written_is_reported_and_the_run_never_waits() {
        let dir = tempfile::tempdir().expect("tmp");
        // A file where the folder should be: every pack fails.
        let not_a_folder = dir.path().join("cache");
        std::fs::write(&not_a_folder, b"a file").expect("write");
        let mut writer = PackWriter::new(&not_a_folder);
        for n in 0..8 {
            writer.add(record_of(n, 10).1);
            writer.seal();
        }
        assert!(writer.finish().is_err());
    }

    #[test]
    fn a_pack_is_sealed_when_it_grows_past_its_size() {
        let dir = tempfile::tempdir().expect("tmp");
        let mut writer = PackWriter::new(dir.path());
        let big = usize::try_from(PACK_BYTES / 2).expect("size");
        let places: Vec<Location> = (0..3).map(|n| writer.add(record_of(n, big).1)).collect();
        writer.finish().expect("written");
        assert_eq!(places[0].pack, places[1].pack);
        assert_ne!(places[1].pack, places[2].pack, "the third record starts a new pack");
    }

    #[test]
    fn temporary_packs_are_told_by_their_names() {
        let hex = "ab".repeat(16);
        assert!(is_temporary_pack(&format!(".{hex}.pack.Xy12Ab.tmp")));
        assert!(!is_temporary_pack(&format!("{hex}.pack")));
        assert!(!is_temporary_pack(".notes.md.Xy12Ab.tmp"));
        assert!(!is_temporary_pack(&format!(".{hex}.json.Xy12Ab.tmp")));
    }
}
