//! A cache of finished analyses in the data directory, so that opening an
//! unchanged corpus again skips the analysis.
//!
//! The key is a BLAKE3 hash of everything the analysis depends on: the
//! bytes and path of every file ([`crate::corpus::content_hash`]), the
//! user's gazetteer, the cache format, the contract version and the build of
//! this program (its version and its executable's size and modification
//! time, so any new build starts afresh).
//!
//! One file per corpus source, `cache/<hash of the source>.bin`:
//!
//! ```text
//! "SCOCACHE" · format u32 · key [u8; 32] · documents u64
//! · len u64 · postcard(header: version, agreements, errors)
//! · per document: len u64 · postcard(Frame)
//! ```
//!
//! A [`Frame`] is a document with its paragraphs' source maps, and with its
//! entities stored small: each one's text as a byte range of its paragraph
//! and its canonical name as an index into the document's list of names
//! (1.5 million entities on 100 MB, which otherwise make most of the
//! strings to allocate and check when the file is read back).
//! Documents are framed one by one so they decode in parallel. A file whose
//! key differs, that cannot be read or that does not decode is a miss and is
//! replaced. Writes go to a temporary file renamed into place, so readers
//! never see a half-written cache (and one damaged by a crash is a miss).

use crate::corpus::{CorpusSource, LoadOptions};
use crate::knowledge::Knowledge;
use crate::model::Event;
use crate::model::LoadError;
use crate::model::{Agreement, Analysis, Citation, DocumentAnalysis};
use crate::model::{DocKind, Meeting};
use crate::model::{Entity, EntityKind};
use crate::model::{Paragraph, SourceRun};
use crate::stored_file::{HashingWriter, build_identity};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use std::io::Write as _;
use std::path::{Path, PathBuf};

/// Version of the file layout; bump when [`Analysis`] or its parts change shape.
const FORMAT: u32 = 6;
const MAGIC: &[u8; 8] = b"SCOCACHE";

/// The analysis key of a corpus.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Key([u8; 32]);

impl Key {
    /// Reads `source` (without decoding it) and hashes everything its
    /// analysis depends on. `None` when the program cannot identify its own
    /// build (then nothing is cached).
    pub fn of(source: &CorpusSource, options: &LoadOptions, knowledge: &Knowledge) -> Option<Self> {
        let build = build_identity()?;
        let mut h = blake3::Hasher::new();
        h.update(&FORMAT.to_le_bytes());
        h.update(&crate::model::CONTRACT_VERSION.to_le_bytes());
        h.update(&(build.len() as u64).to_le_bytes());
        h.update(build.as_bytes());
        h.update(&knowledge.fingerprint());
        h.update(&crate::corpus::content_hash(source, options));
        Some(Self(*h.finalize().as_bytes()))
    }
}

/// Everything but the documents.
#[derive(Serialize, Deserialize)]
struct Header {
    version: u32,
    agreements: Vec<Agreement>,
    errors: Vec<LoadError>,
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

    /// The file for `source`: one per corpus, replaced when the corpus changes.
    fn path(&self, source: &CorpusSource) -> PathBuf {
        let described = match source {
            CorpusSource::Bundled => "bundled".to_owned(),
            CorpusSource::Paths(paths) => paths
                .iter()
                .map(|p| std::path::absolute(p).unwrap_or_else(|_| p.clone()).display().to_string())
                .collect::<Vec<_>>()
                .join("\n"),
        };
        let name = blake3::hash(described.as_bytes()).to_hex();
        self.dir.join(format!("{}.bin", &name[..32]))
    }

    /// The analysis stored for `source` and the key it was stored under;
    /// `None` if there is none or it is damaged.
    pub fn read(&self, source: &CorpusSource) -> Option<(Key, Analysis)> {
        // Only a regular file: a FIFO put there would block the load forever.
        let file = crate::regular_file::open(&self.path(source)).ok()?;
        let size = file.metadata().ok()?.len();
        let mut r =
            FrameReader { inner: std::io::BufReader::with_capacity(1 << 16, file), left: size, hasher: blake3::Hasher::new() };
        if r.array::<8>()? != *MAGIC || u32::from_le_bytes(r.array()?) != FORMAT {
            return None;
        }
        let key = Key(r.array::<32>()?);
        let count = usize::try_from(u64::from_le_bytes(r.array()?)).ok()?;
        let header: Header = postcard::from_bytes(&r.frame()?).ok()?;
        // The documents a batch at a time: read the frames, decode them on
        // all cores, drop the bytes. Reading the whole file first would hold
        // it (200 MB for a 100 MB corpus) beside the analysis it decodes to.
        // The next batch is read while the current one is decoded.
        let mut documents: Vec<DocumentAnalysis> = Vec::with_capacity(count.min(1 << 20));
        let mut unread = count;
        let mut batch = r.frames(&mut unread)?;
        while !batch.is_empty() {
            let (decoded, next) = rayon::join(
                || batch.par_iter().map(|f| decode_document(f)).collect::<Option<Vec<DocumentAnalysis>>>(),
                || r.frames(&mut unread),
            );
            documents.extend(decoded?);
            batch = next?;
        }
        // A flipped bit anywhere may still decode, as another analysis: the
        // whole file is checked before it is used.
        if !r.checksum_matches()? {
            eprintln!("sco-reader: the analysis cache {} fails its checksum; analysing afresh", self.path(source).display());
            return None;
        }
        let analysis = Analysis {
            version: header.version,
            documents,
            agreements: header.agreements,
            errors: header.errors,
            ids: Default::default(),
        };
        Some((key, analysis))
    }

    /// Stores `analysis` under `key` (a temporary file renamed into place).
    pub fn put(&self, source: &CorpusSource, key: Key, analysis: &Analysis) -> std::io::Result<()> {
        #[derive(Serialize)]
        struct HeaderRef<'a> {
            version: u32,
            agreements: &'a [Agreement],
            errors: &'a [LoadError],
        }
        let header = HeaderRef { version: analysis.version, agreements: &analysis.agreements, errors: &analysis.errors };
        let header = postcard::to_stdvec(&header).map_err(std::io::Error::other)?;
        let documents: Vec<Vec<u8>> =
            analysis.documents.par_iter().map(encode_document).collect::<Result<_, _>>().map_err(std::io::Error::other)?;
        std::fs::create_dir_all(&self.dir)?;
        let path = self.path(source);
        // An unpredictable temporary file beside it, renamed into place
        // (`safe_write`); removed on an interrupt.
        // No fsync: a file damaged by a crash fails the checks on reading
        // and is a miss, so the load never waits for the disk.
        let options = crate::safe_write::Options { force: false, sync: false };
        crate::safe_write::write_with(&path, options, |out| {
            // Every byte hashed as it is written; the checksum closes the file.
            let mut out = HashingWriter { inner: out, hasher: blake3::Hasher::new() };
            out.write_all(MAGIC)?;
            out.write_all(&FORMAT.to_le_bytes())?;
            out.write_all(&key.0)?;
            out.write_all(&(documents.len() as u64).to_le_bytes())?;
            for frame in std::iter::once(&header).chain(&documents) {
                out.write_all(&(frame.len() as u64).to_le_bytes())?;
                out.write_all(frame)?;
            }
            let checksum = out.hasher.finalize();
            out.inner.write_all(checksum.as_bytes())
        })
        .map_err(std::io::Error::other)
    }
}

/// Bytes of document frames read before they are decoded.
const READ_BATCH_BYTES: usize = 16 << 20;

/// One document as stored: the fields of [`DocumentAnalysis`] in order, the
/// entities replaced by the names they use and [`StoredEntity`]s, then the
/// paragraphs' source maps (which the JSON leaves out).
type Frame = (
    String,
    String,
    String,
    DocKind,
    Option<Meeting>,
    Vec<Paragraph>,
    Vec<String>,
    Vec<StoredEntity>,
    Vec<Citation>,
    Vec<Event>,
    String,
    Vec<String>,
    usize,
    Option<String>,
    Vec<String>,
    (Vec<Vec<SourceRun>>, crate::model::Origin),
);

/// An entity as stored: its text is bytes `from..to` of its paragraph, its
/// canonical name the document's name number `name`.
#[derive(Serialize, Deserialize)]
struct StoredEntity {
    kind: EntityKind,
    name: usize,
    paragraph: usize,
    start: usize,
    end: usize,
    from: usize,
    to: usize,
}

fn encode_document(d: &DocumentAnalysis) -> postcard::Result<Vec<u8>> {
    // Every field by name: a new one fails to compile here until it is stored.
    let DocumentAnalysis {
        id,
        source,
        title,
        kind,
        meeting,
        paragraphs,
        entities,
        citations,
        events,
        encoding,
        warnings,
        removed_lines,
        dateline,
        captions,
        origin,
    } = d;
    let mut names: Vec<&str> = Vec::new();
    let mut name_of: rustc_hash::FxHashMap<&str, usize> = rustc_hash::FxHashMap::default();
    // Byte offset of each char of the paragraph in hand (entities come by paragraph).
    let mut bytes: (Option<usize>, Vec<usize>) = (None, Vec::new());
    let mut stored = Vec::with_capacity(entities.len());
    for e in entities {
        let name = *name_of.entry(e.canonical.as_str()).or_insert_with(|| {
            names.push(e.canonical.as_str());
            names.len() - 1
        });
        if bytes.0 != Some(e.paragraph) {
            let text = paragraphs.get(e.paragraph).map_or("", |p| p.text.as_str());
            bytes = (Some(e.paragraph), text.char_indices().map(|(b, _)| b).chain([text.len()]).collect());
        }
        let (from, to) = match (bytes.1.get(e.start), bytes.1.get(e.end)) {
            (Some(&from), Some(&to)) if from <= to => (from, to),
            // Not inside its paragraph (never made by the analysis): an
            // empty range, which fails the check on reading (a miss).
            _ => (usize::MAX, usize::MAX),
        };
        stored.push(StoredEntity { kind: e.kind, name, paragraph: e.paragraph, start: e.start, end: e.end, from, to });
    }
    let sources: Vec<&[SourceRun]> = paragraphs.iter().map(|p| p.source.as_slice()).collect();
    postcard::to_stdvec(&(
        id,
        source,
        title,
        kind,
        meeting,
        paragraphs,
        names,
        stored,
        citations,
        events,
        encoding,
        warnings,
        removed_lines,
        dateline,
        captions,
        (sources, origin),
    ))
}

/// One document back from its frame; `None` if anything does not fit.
fn decode_document(frame: &[u8]) -> Option<DocumentAnalysis> {
    let (
        id,
        source,
        title,
        kind,
        meeting,
        mut paragraphs,
        names,
        stored,
        citations,
        events,
        encoding,
        warnings,
        removed_lines,
        dateline,
        captions,
        (sources, origin),
    ): Frame = postcard::from_bytes(frame).ok()?;
    if sources.len() != paragraphs.len() {
        return None;
    }
    let entities = stored
        .into_iter()
        .map(|e| {
            let text = paragraphs.get(e.paragraph)?.text.get(e.from..e.to)?;
            Some(Entity {
                kind: e.kind,
                text: text.to_owned(),
                canonical: names.get(e.name)?.clone(),
                paragraph: e.paragraph,
                start: e.start,
                end: e.end,
            })
        })
        .collect::<Option<Vec<Entity>>>()?;
    for (p, runs) in paragraphs.iter_mut().zip(sources) {
        p.source = runs;
    }
    Some(DocumentAnalysis {
        id,
        source,
        title,
        kind,
        meeting,
        paragraphs,
        entities,
        citations,
        events,
        encoding,
        warnings,
        removed_lines,
        dateline,
        captions,
        origin,
    })
}

/// Reads the framing of a cache file; every read is checked, and no frame
/// may claim more bytes than the file has left.
struct FrameReader<R> {
    inner: R,
    left: u64,
    /// Every byte read so far, for the checksum at the end.
    hasher: blake3::Hasher,
}

impl<R: std::io::Read> FrameReader<R> {
    fn fill(&mut self, buf: &mut [u8]) -> Option<()> {
        self.left = self.left.checked_sub(buf.len() as u64)?;
        self.inner.read_exact(buf).ok()?;
        self.hasher.update(buf);
        Some(())
    }

    /// The stored checksum (the file's last 32 bytes) against the bytes
    /// read; the file must end there.
    fn checksum_matches(&mut self) -> Option<bool> {
        let computed = self.hasher.finalize();
        let mut stored = [0u8; 32];
        self.left = self.left.checked_sub(32)?;
        self.inner.read_exact(&mut stored).ok()?;
        Some(self.left == 0 && computed.as_bytes() == &stored)
    }

    fn array<const N: usize>(&mut self) -> Option<[u8; N]> {
        let mut bytes = [0; N];
        self.fill(&mut bytes)?;
        Some(bytes)
    }

    /// The next frames, up to [`READ_BATCH_BYTES`] and `unread` of them
    /// (counted down); empty when none is left.
    fn frames(&mut self, unread: &mut usize) -> Option<Vec<Vec<u8>>> {
        let (mut frames, mut bytes) = (Vec::new(), 0);
        while *unread > 0 && bytes < READ_BATCH_BYTES {
            let frame = self.frame()?;
            bytes += frame.len();
            frames.push(frame);
            *unread -= 1;
        }
        Some(frames)
    }

    fn frame(&mut self) -> Option<Vec<u8>> {
        let len = u64::from_le_bytes(self.array()?);
        if len > self.left {
            return None;
        }
        let mut bytes = vec![0; usize::try_from(len).ok()?];
        self.fill(&mut bytes)?;
        Some(bytes)
    }
}

/// Loads and analyses `source`, through the cache when there is one: a hit
/// returns the stored analysis, a miss analyses and stores it. Cache
/// problems never fail the load.
pub fn analyze_cached(
    source: &CorpusSource,
    options: &LoadOptions,
    knowledge: &Knowledge,
    cache: Option<&AnalysisCache>,
    progress: &(dyn Fn(crate::analysis::Progress) + Sync),
) -> (Analysis, Outcome) {
    // Hashing the corpus and decoding the stored analysis run side by side;
    // the stored one is used only if the keys agree.
    let (key, stored) = match cache {
        Some(cache) => rayon::join(|| Key::of(source, options, knowledge), || cache.read(source)),
        None => (None, None),
    };
    if let (Some(key), Some((stored_key, analysis))) = (key, stored)
        && key == stored_key
    {
        return (analysis, Outcome::Hit);
    }
    let analysis = crate::analysis::analyze_source(source, options, knowledge, progress);
    let outcome = match (cache, key) {
        (Some(cache), Some(key)) => match cache.put(source, key, &analysis) {
            Ok(()) => Outcome::Stored,
            Err(e) => Outcome::NotStored(format!("cannot write the analysis cache: {e}")),
        },
        _ => Outcome::Uncached,
    };
    (analysis, outcome)
}

/// What the cache did for one load.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// The analysis came from the cache.
    Hit,
    /// Analysed and stored for next time.
    Stored,
    /// Analysed; storing failed (the message says why).
    NotStored(String),
    /// No cache in use.
    Uncached,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn corpus_dir() -> (tempfile::TempDir, CorpusSource) {
        let dir = tempfile::tempdir().expect("temp dir");
        for (name, bytes) in crate::corpus::BUNDLED_DOCUMENTS {
            std::fs::write(dir.path().join(name), bytes).expect("write");
        }
        let source = CorpusSource::Paths(vec![dir.path().to_path_buf()]);
        (dir, source)
    }

    fn json(a: &Analysis) -> String {
        serde_json::to_string(a).expect("serialise")
    }

    #[test]
    fn a_second_load_comes_from_the_cache_and_equals_the_first() {
        let (_corpus, source) = corpus_dir();
        let data = tempfile::tempdir().expect("temp dir");
        let cache = AnalysisCache::in_data_dir(data.path());
        let k = crate::knowledge::bundled();
        let opts = LoadOptions::default();
        let (first, outcome) = analyze_cached(&source, &opts, k, Some(&cache), &|_| {});
        assert_eq!(outcome, Outcome::Stored);
        let (second, outcome) = analyze_cached(&source, &opts, k, Some(&cache), &|_| {});
        assert_eq!(outcome, Outcome::Hit);
        assert_eq!(json(&first), json(&second));
        // The map back to the source (not in the JSON) survives too.
        let runs = |a: &Analysis| {
            a.documents.iter().map(|d| d.paragraphs.iter().map(|p| p.source.clone()).collect::<Vec<_>>()).collect::<Vec<_>>()
        };
        assert_eq!(runs(&first), runs(&second));
        assert!(runs(&first).iter().flatten().any(|r| !r.is_empty()));
    }

    #[test]
    fn a_changed_file_or_gazetteer_is_a_miss() {
        let (corpus, source) = corpus_dir();
        let data = tempfile::tempdir().expect("temp dir");
        let cache = AnalysisCache::in_data_dir(data.path());
        let k = crate::knowledge::bundled();
        let opts = LoadOptions::default();
        let (_, outcome) = analyze_cached(&source, &opts, k, Some(&cache), &|_| {});
        assert_eq!(outcome, Outcome::Stored);
        // One character changed in one file.
        let (name, bytes) = crate::corpus::BUNDLED_DOCUMENTS[0];
        let mut changed = bytes.to_vec();
        changed.extend_from_slice("\n新增一句。\n".as_bytes());
        std::fs::write(corpus.path().join(name), &changed).expect("write");
        let (a, outcome) = analyze_cached(&source, &opts, k, Some(&cache), &|_| {});
        assert_eq!(outcome, Outcome::Stored, "a changed file must be analysed again");
        assert!(a.documents.iter().any(|d| d.paragraphs.iter().any(|p| p.text.contains("新增一句"))));
        // Another gazetteer.
        let user = Knowledge::build(&[("user", "新地名\tplace\n")]).expect("gazetteer");
        let (_, outcome) = analyze_cached(&source, &opts, &user, Some(&cache), &|_| {});
        assert_eq!(outcome, Outcome::Stored, "a new gazetteer must be analysed again");
        let (_, outcome) = analyze_cached(&source, &opts, &user, Some(&cache), &|_| {});
        assert_eq!(outcome, Outcome::Hit);
    }

    #[test]
    fn every_single_bit_flip_is_a_miss_never_another_analysis() {
        let (_corpus, source) = corpus_dir();
        let data = tempfile::tempdir().expect("temp dir");
        let cache = AnalysisCache::in_data_dir(data.path());
        let k = crate::knowledge::bundled();
        let opts = LoadOptions::default();
        let (first, _) = analyze_cached(&source, &opts, k, Some(&cache), &|_| {});
        let file = cache.path(&source);
        let bytes = std::fs::read(&file).expect("cache file");
        assert!(cache.read(&source).is_some());
        // Bits spread over the whole file (header, frames, checksum).
        let step = (bytes.len() / 97).max(1);
        for (n, at) in (0..bytes.len()).step_by(step).enumerate() {
            let mut flipped = bytes.clone();
            flipped[at] ^= 1 << (n % 8);
            std::fs::write(&file, &flipped).expect("write");
            if let Some((_, a)) = cache.read(&source) {
                panic!("a flip at byte {at} loaded as an analysis (same as before: {})", json(&a) == json(&first));
            }
        }
    }

    #[test]
    fn a_damaged_cache_file_is_a_miss_not_an_error() {
        let (_corpus, source) = corpus_dir();
        let data = tempfile::tempdir().expect("temp dir");
        let cache = AnalysisCache::in_data_dir(data.path());
        let k = crate::knowledge::bundled();
        let opts = LoadOptions::default();
        let (first, _) = analyze_cached(&source, &opts, k, Some(&cache), &|_| {});
        let file = cache.path(&source);
        let bytes = std::fs::read(&file).expect("cache file");
        for cut in [0, 7, 20, 60, bytes.len() / 2, bytes.len() - 1] {
            std::fs::write(&file, &bytes[..cut]).expect("truncate");
            let (a, outcome) = analyze_cached(&source, &opts, k, Some(&cache), &|_| {});
            assert_eq!(outcome, Outcome::Stored, "truncated at {cut}");
            assert_eq!(json(&a), json(&first));
        }
        // Garbage with the right key: decoding fails, the load does not.
        let mut garbage = bytes.clone();
        for b in garbage.iter_mut().skip(60) {
            *b = 0xff;
        }
        std::fs::write(&file, &garbage).expect("write");
        let (a, outcome) = analyze_cached(&source, &opts, k, Some(&cache), &|_| {});
        assert_eq!(outcome, Outcome::Stored);
        assert_eq!(json(&a), json(&first));
    }

    #[test]
    fn entities_are_stored_as_ranges_and_names_and_come_back_whole() {
        let analysis = crate::analysis::analyze_source(
            &CorpusSource::Bundled,
            &LoadOptions::default(),
            crate::knowledge::bundled(),
            &|_| {},
        );
        for d in &analysis.documents {
            let back = decode_document(&encode_document(d).expect("encode")).expect("decode");
            assert_eq!(back.entities, d.entities);
            assert_eq!(serde_json::to_string(&back).expect("json"), serde_json::to_string(d).expect("json"));
        }
        // An entity outside its paragraph cannot be stored as a range: the
        // frame is refused on reading (a miss), never read back wrong.
        let mut d = analysis.documents[0].clone();
        d.entities[0].end = 1_000_000;
        assert!(decode_document(&encode_document(&d).expect("encode")).is_none());
    }

    #[test]
    fn long_texts_are_checked_as_utf8_in_both_formats() {
        let p = Paragraph { text: "上合组织 \"SCO\" ".repeat(40), heading: Some(2), page: Some(3), source: Vec::new() };
        let bytes = postcard::to_stdvec(&p).expect("encode");
        let back: Paragraph = postcard::from_bytes(&bytes).expect("decode");
        assert_eq!(back.text, p.text);
        // The same bytes with a broken UTF-8 sequence in the text.
        let mut broken = bytes.clone();
        let at = broken.iter().position(|&b| b == 0xe4).expect("a Han char");
        broken[at + 1] = b'x';
        assert!(postcard::from_bytes::<Paragraph>(&broken).is_err());
        // JSON, escapes included.
        let json = serde_json::to_string(&p).expect("json");
        let back: Paragraph = serde_json::from_str(&json).expect("from json");
        assert_eq!(back.text, p.text);
        let escaped: Paragraph = serde_json::from_str(r#"{"text":"\u4e0a\u5408 \"a\"","heading":null}"#).expect("escapes");
        assert_eq!(escaped.text, "上合 \"a\"");
    }

    #[test]
    fn an_unwritable_cache_still_loads() {
        let (_corpus, source) = corpus_dir();
        let data = tempfile::tempdir().expect("temp dir");
        // A file where the cache directory should be.
        std::fs::write(data.path().join("cache"), b"not a directory").expect("write");
        let cache = AnalysisCache::in_data_dir(data.path());
        let (a, outcome) = analyze_cached(&source, &LoadOptions::default(), crate::knowledge::bundled(), Some(&cache), &|_| {});
        assert!(matches!(outcome, Outcome::NotStored(_)), "{outcome:?}");
        assert_eq!(a.documents.len(), crate::corpus::BUNDLED_DOCUMENTS.len());
    }
}
