//! The per-document cache against a run with no cache: the same bytes of
//! JSON whatever changed in the corpus and whatever is damaged in the cache.

use super::*;
use crate::analysis::{analyze_cached, analyze_to_json};
use crate::model::Analysis;
use std::path::Path;

fn json_of(a: &Analysis) -> Vec<u8> {
    let mut out = Vec::new();
    crate::compare::offices::write_analysis_json(&mut out, a).expect("json");
    out
}

/// The bundled documents and two short texts, in a folder of their own.
fn corpus_dir() -> (tempfile::TempDir, CorpusSource) {
    let dir = tempfile::tempdir().expect("temp dir");
    for (name, bytes) in corpus::BUNDLED_DOCUMENTS {
        std::fs::write(dir.path().join(name), bytes).expect("write");
    }
    write(dir.path(), "talks.txt", "两国领导人在北京举行会谈。\n\n会谈中，王小明表示愿意同各方加强合作。\n");
    write(dir.path(), "weather.txt", "会议期间天气晴好。\n");
    let source = CorpusSource::Paths(vec![dir.path().to_path_buf()]);
    (dir, source)
}

fn write(dir: &Path, name: &str, text: &str) {
    std::fs::write(dir.join(name), text).expect("write");
}

fn cold(source: &CorpusSource) -> Vec<u8> {
    json_of(&analyze_cached(source, &LoadOptions::default(), crate::knowledge::bundled(), None, &|_| {}).0)
}

fn cached(source: &CorpusSource, cache: &AnalysisCache) -> (Vec<u8>, Outcome) {
    let (a, outcome) = analyze_cached(source, &LoadOptions::default(), crate::knowledge::bundled(), Some(cache), &|_| {});
    (json_of(&a), outcome)
}

/// The same, written as `analyze --json` streams it.
fn streamed(source: &CorpusSource, cache: &AnalysisCache) -> Vec<u8> {
    let mut out = Vec::new();
    analyze_to_json(&mut out, source, &LoadOptions::default(), crate::knowledge::bundled(), Some(cache)).expect("json");
    out
}

fn analysed(outcome: &Outcome) -> Option<usize> {
    match outcome {
        Outcome::Stored { analysed } => Some(*analysed),
        _ => None,
    }
}

fn pack_files(data: &Path) -> Vec<std::path::PathBuf> {
    let mut files: Vec<_> =
        walk(&data.join("cache")).into_iter().filter(|p| p.extension().is_some_and(|e| e == "pack")).collect();
    files.sort();
    files
}

/// The packs the manifest names.
fn named_packs(cache: &AnalysisCache, source: &CorpusSource) -> Vec<std::path::PathBuf> {
    let corpus = cache.corpus(source);
    let manifest: Manifest = corpus.read_manifest().expect("manifest");
    let mut packs: Vec<_> = manifest
        .files
        .iter()
        .filter_map(|f| match &f.state {
            FileState::Linked { entry: Ok(stored), .. } => Some(stored.at.pack.path_in(corpus.dir())),
            _ => None,
        })
        .collect();
    packs.sort();
    packs.dedup();
    packs
}

/// Each pack the manifest names, with the bytes of its records it names.
fn wanted_bytes(cache: &AnalysisCache, source: &CorpusSource) -> Vec<(std::path::PathBuf, u64)> {
    let corpus = cache.corpus(source);
    let manifest: Manifest = corpus.read_manifest().expect("manifest");
    let mut wanted: FxHashMap<std::path::PathBuf, u64> = FxHashMap::default();
    for f in &manifest.files {
        if let FileState::Linked { entry: Ok(stored), .. } = &f.state {
            *wanted.entry(stored.at.pack.path_in(corpus.dir())).or_default() += u64::from(stored.at.len);
        }
    }
    wanted.into_iter().collect()
}

/// Where the manifest says each stored document is.
fn records(cache: &AnalysisCache, source: &CorpusSource) -> Vec<crate::cache::Location> {
    let manifest: Manifest = cache.corpus(source).read_manifest().expect("manifest");
    manifest
        .files
        .iter()
        .filter_map(|f| match &f.state {
            FileState::Linked { entry: Ok(stored), .. } => Some(stored.at),
            _ => None,
        })
        .collect()
}

/// Bytes of every pack in the cache.
fn pack_bytes(data: &Path) -> u64 {
    pack_files(data).iter().map(|p| std::fs::metadata(p).expect("pack").len()).sum()
}

fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for item in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = item.path();
        if path.is_dir() { out.extend(walk(&path)) } else { out.push(path) }
    }
    out
}

#[test]
fn a_changed_added_or_removed_file_gives_what_a_cold_run_gives() {
    let (corpus, source) = corpus_dir();
    let data = tempfile::tempdir().expect("temp dir");
    let cache = AnalysisCache::in_data_dir(data.path());
    let files = corpus::BUNDLED_DOCUMENTS.len() + 2;

    let (first, outcome) = cached(&source, &cache);
    assert_eq!(analysed(&outcome), Some(files));
    assert_eq!(first, cold(&source));
    let (second, outcome) = cached(&source, &cache);
    assert_eq!(outcome, Outcome::Hit);
    assert_eq!(second, first);
    assert_eq!(streamed(&source, &cache), first, "analyze --json streams the same bytes");

    // One file changed: that file is analysed, the corpus-wide step redone.
    let (name, bytes) = corpus::BUNDLED_DOCUMENTS[1];
    let mut changed = bytes.to_vec();
    changed.extend_from_slice("\n\n各方一致同意于2031年在杜尚别举行下次会议，并将签署《上海合作组织新合作协定》。\n".as_bytes());
    std::fs::write(corpus.path().join(name), &changed).expect("write");
    let (after, outcome) = cached(&source, &cache);
    assert_eq!(analysed(&outcome), Some(1));
    assert_ne!(after, first);
    assert_eq!(after, cold(&source));
    assert_eq!(streamed(&source, &cache), after);

    // One file added, with a citation of an agreement the others cite.
    write(corpus.path(), "added.txt", "双方重申恪守《上海合作组织宪章》的宗旨和原则。\n");
    let (after, outcome) = cached(&source, &cache);
    assert_eq!(analysed(&outcome), Some(1));
    assert_eq!(after, cold(&source));

    // Entries of the layouts before (a file per document, in one folder
    // or in 256) go at the next sweep; a file that is no entry stays.
    let corpus_cache = cache.corpus(&source);
    let legacy = corpus_cache.dir().join(format!("{}.doc", "ab".repeat(16)));
    std::fs::write(&legacy, b"old").expect("write");
    let legacy_folder = corpus_cache.dir().join("cd");
    std::fs::create_dir(&legacy_folder).expect("mkdir");
    std::fs::write(legacy_folder.join(format!("{}.doc", "cd".repeat(16))), b"old").expect("write");
    std::fs::write(corpus_cache.dir().join("notes.txt"), b"mine").expect("write");

    // One removed: nothing to analyse, the agreements and ids redone.
    std::fs::remove_file(corpus.path().join(corpus::BUNDLED_DOCUMENTS[0].0)).expect("remove");
    let (after, outcome) = cached(&source, &cache);
    assert_eq!(analysed(&outcome), Some(0));
    assert_eq!(after, cold(&source));
    let (again, outcome) = cached(&source, &cache);
    assert_eq!(outcome, Outcome::Hit);
    assert_eq!(again, after);
    // The packs are those the manifest names; a pack it does not name is swept.
    assert_eq!(pack_files(data.path()), named_packs(&cache, &source));
    let stray = corpus_cache.dir().join(format!("{}.pack", "ef".repeat(16)));
    std::fs::write(&stray, b"SCOPACK\0").expect("write");
    assert!(!legacy.exists() && !legacy_folder.exists());
    assert!(corpus_cache.dir().join("notes.txt").exists());
    write(corpus.path(), "added.txt", "双方重申恪守《上海合作组织宪章》的宗旨和原则，深化合作。\n");
    let (after, outcome) = cached(&source, &cache);
    assert_eq!(analysed(&outcome), Some(1));
    assert_eq!(after, cold(&source));
    assert!(!stray.exists());
    assert!(corpus_cache.dir().join("notes.txt").exists());
}

#[test]
fn a_cache_changed_file_by_file_stays_near_the_size_of_what_it_holds() {
    let (corpus, source) = corpus_dir();
    let data = tempfile::tempdir().expect("temp dir");
    let cache = AnalysisCache::in_data_dir(data.path());
    let files = corpus::BUNDLED_DOCUMENTS.len() + 2;
    let (first, _) = cached(&source, &cache);
    assert_eq!(pack_files(data.path()).len(), 1, "one run, one pack");
    let mut names: Vec<String> = std::fs::read_dir(corpus.path())
        .expect("corpus")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names.len(), files);
    // Most files changed in turn, then every file: each run analyses that
    // file alone, and no pack is left mostly unwanted.
    for round in 0..2 {
        let changed = if round == 0 { &names[..names.len() * 2 / 3] } else { &names[..] };
        for name in changed {
            let path = corpus.path().join(name);
            let mut text = std::fs::read_to_string(&path).expect("read");
            text.push_str(&format!("\n\n第{round}轮修订。\n"));
            std::fs::write(&path, text).expect("write");
            let (after, outcome) = cached(&source, &cache);
            assert_eq!(analysed(&outcome), Some(1), "{name}, round {round}");
            assert_ne!(after, first);
            assert_eq!(after, cold(&source), "{name}, round {round}");
            assert_eq!(pack_files(data.path()), named_packs(&cache, &source));
            assert!(pack_files(data.path()).len() < 8, "small packs are merged");
            for (pack, wanted) in wanted_bytes(&cache, &source) {
                let size = std::fs::metadata(&pack).expect("pack").len();
                assert!(2 * (wanted + 12) >= size, "{name}, round {round}: {wanted} of {size} bytes wanted");
            }
        }
    }
    // What a fresh cache of the corpus as it is now takes.
    let fresh = tempfile::tempdir().expect("temp dir");
    cached(&source, &AnalysisCache::in_data_dir(fresh.path()));
    let (kept, needed) = (pack_bytes(data.path()), pack_bytes(fresh.path()));
    assert!(kept <= 2 * needed + 64 * pack_files(data.path()).len() as u64, "{kept} bytes kept for {needed} needed");
    assert_eq!(pack_files(data.path()), named_packs(&cache, &source));
    assert_eq!(cached(&source, &cache).1, Outcome::Hit);
}

#[test]
fn a_name_introduced_in_a_new_file_reaches_the_stored_documents_it_occurs_in() {
    let (corpus, source) = corpus_dir();
    let data = tempfile::tempdir().expect("temp dir");
    let cache = AnalysisCache::in_data_dir(data.path());
    let person_in_talks =
        |json: &[u8]| {
            let v: serde_json::Value = serde_json::from_slice(json).expect("json");
            v["documents"].as_array().expect("documents").iter().filter(|d| d["id"] == "talks").any(|d| {
                d["entities"].as_array().is_some_and(|es| es.iter().any(|e| e["kind"] == "person" && e["text"] == "王小明"))
            })
        };
    let (before, _) = cached(&source, &cache);
    assert!(!person_in_talks(&before), "no title names him yet");
    // A new file names him after a title: the stored `talks` holds the
    // name, so it is analysed again; `weather` does not and is not.
    write(corpus.path(), "visit.txt", "中华人民共和国外交部长王小明出席会议并致辞。\n");
    let (after, outcome) = cached(&source, &cache);
    assert!(person_in_talks(&after), "the recurring name is found in the stored document");
    assert_eq!(analysed(&outcome), Some(2), "the new file and the one that names him");
    assert_eq!(after, cold(&source));
    // Gone again: `talks` loses the name.
    std::fs::remove_file(corpus.path().join("visit.txt")).expect("remove");
    let (after, outcome) = cached(&source, &cache);
    assert!(!person_in_talks(&after));
    assert_eq!(analysed(&outcome), Some(1));
    assert_eq!(after, before);
}

#[test]
fn a_damaged_manifest_or_entry_is_analysed_again_never_read_wrong() {
    let (_corpus, source) = corpus_dir();
    let data = tempfile::tempdir().expect("temp dir");
    let cache = AnalysisCache::in_data_dir(data.path());
    let (first, _) = cached(&source, &cache);
    let files = corpus::BUNDLED_DOCUMENTS.len() + 2;
    let manifest = walk(&data.path().join("cache")).into_iter().find(|p| p.ends_with("manifest.bin")).expect("manifest");
    let bytes = std::fs::read(&manifest).expect("manifest");
    // Bits flipped across the manifest, and cuts: everything analysed again.
    let step = (bytes.len() / 13).max(1);
    for (n, at) in (0..bytes.len()).step_by(step).enumerate() {
        let mut flipped = bytes.clone();
        flipped[at] ^= 1 << (n % 8);
        std::fs::write(&manifest, &flipped).expect("write");
        let (json, outcome) = cached(&source, &cache);
        assert_eq!(analysed(&outcome), Some(files), "flip at {at}");
        assert_eq!(json, first, "flip at {at}");
    }
    std::fs::write(&manifest, &bytes[..bytes.len() / 2]).expect("cut");
    assert_eq!(cached(&source, &cache).0, first);
    // A pack damaged in the middle: the one document there is analysed again.
    let fresh_cache = || {
        std::fs::remove_dir_all(data.path().join("cache")).expect("remove");
        assert_eq!(analysed(&cached(&source, &cache).1), Some(files));
        let packs = pack_files(data.path());
        assert_eq!(packs.len(), 1);
        let pack = packs[0].clone();
        (std::fs::read(&pack).expect("pack"), pack)
    };
    let (mut damaged, pack) = fresh_cache();
    let middle = damaged.len() / 2;
    damaged[middle] ^= 0x10;
    std::fs::write(&pack, &damaged).expect("write");
    let (json, outcome) = cached(&source, &cache);
    assert_eq!(analysed(&outcome), Some(1));
    assert_eq!(json, first);
    assert_eq!(cached(&source, &cache).1, Outcome::Hit);
    // Cut by a byte: the last document.
    let (cut, pack) = fresh_cache();
    std::fs::write(&pack, &cut[..cut.len() - 1]).expect("write");
    let (json, outcome) = cached(&source, &cache);
    assert_eq!(analysed(&outcome), Some(1));
    assert_eq!(json, first);
    // The first two records swapped, each whole, each where the manifest
    // says the other starts: neither is read as the other.
    let (whole, pack) = fresh_cache();
    let mut places: Vec<crate::cache::Location> = records(&cache, &source);
    places.sort_by_key(|at| at.offset);
    let mut swapped = whole.clone();
    let (a, b) = (places[0], places[1]);
    assert_eq!(a.offset + u64::from(a.len), b.offset, "records follow one another");
    let (a_bytes, b_bytes) =
        (whole[a.offset as usize..][..a.len as usize].to_vec(), whole[b.offset as usize..][..b.len as usize].to_vec());
    // The second record moved to the first's place, the first after it.
    swapped[a.offset as usize..][..b_bytes.len()].copy_from_slice(&b_bytes);
    swapped[a.offset as usize + b_bytes.len()..][..a_bytes.len()].copy_from_slice(&a_bytes);
    std::fs::write(&pack, &swapped).expect("write");
    let (json, outcome) = cached(&source, &cache);
    assert_eq!(analysed(&outcome), Some(2), "{outcome:?}");
    assert_eq!(json, first);
    // A FIFO where the pack was: a miss at once, never a wait.
    #[cfg(unix)]
    {
        let (_, pack) = fresh_cache();
        std::fs::remove_file(&pack).expect("remove");
        let made = std::process::Command::new("mkfifo").arg(&pack).status().expect("mkfifo");
        assert!(made.success());
        let (json, outcome) = cached(&source, &cache);
        assert_eq!(analysed(&outcome), Some(files));
        assert_eq!(json, first);
    }
    // Gone: every document in it.
    let (_, pack) = fresh_cache();
    std::fs::remove_file(&pack).expect("remove");
    let (json, outcome) = cached(&source, &cache);
    assert_eq!(analysed(&outcome), Some(files));
    assert_eq!(json, first);
    assert_eq!(cached(&source, &cache).1, Outcome::Hit);
}

#[test]
fn an_unwritable_cache_still_loads() {
    let (_corpus, source) = corpus_dir();
    let data = tempfile::tempdir().expect("temp dir");
    // A file where the cache directory should be.
    std::fs::write(data.path().join("cache"), b"not a directory").expect("write");
    let cache = AnalysisCache::in_data_dir(data.path());
    let (json, outcome) = cached(&source, &cache);
    assert!(matches!(outcome, Outcome::NotStored(_)), "{outcome:?}");
    assert_eq!(json, cold(&source));
}

#[test]
fn documents_set_aside_on_disk_come_back_the_same() {
    let (_corpus, source) = corpus_dir();
    let mut documents = Vec::new();
    let done = run(&source, &LoadOptions::default(), crate::knowledge::bundled(), None, &|_| {}, 0, &Ok, &mut |batch| {
        documents.extend(batch);
        Ok(())
    })
    .expect("run");
    let analysis = Analysis {
        version: crate::model::CONTRACT_VERSION,
        documents,
        agreements: done.agreements,
        errors: done.errors,
        ids: Default::default(),
    };
    assert_eq!(json_of(&analysis), cold(&source));
    // The source maps (not in the JSON) too.
    let runs = |a: &Analysis| {
        a.documents.iter().map(|d| d.paragraphs.iter().map(|p| p.source.clone()).collect::<Vec<_>>()).collect::<Vec<_>>()
    };
    let in_memory = analyze_cached(&source, &LoadOptions::default(), crate::knowledge::bundled(), None, &|_| {}).0;
    assert_eq!(runs(&analysis), runs(&in_memory));
    assert!(runs(&analysis).iter().flatten().any(|r| !r.runs().is_empty()));
    // The window's reading lets them go and keeps everything else.
    let reading =
        crate::analysis::analyze_cached_for_reading(&source, &LoadOptions::default(), crate::knowledge::bundled(), None, &|_| {})
            .0;
    assert!(runs(&reading).iter().flatten().all(|r| r.runs().is_empty()));
    assert_eq!(json_of(&reading), json_of(&in_memory));
}

#[test]
fn stored_documents_come_back_whole_and_a_bad_entity_is_refused() {
    let data = tempfile::tempdir().expect("temp dir");
    let store = AnalysisCache::in_data_dir(data.path()).corpus(&CorpusSource::Bundled);
    let analysis = crate::analysis::bundled_analysis();
    let mut writer = store.writer();
    let stored: Vec<StoredEntry> = analysis
        .documents
        .iter()
        .enumerate()
        .map(|(n, d)| {
            let entry = EntryName::of(&[&n.to_le_bytes()]);
            let at = writer.add(CorpusCache::record(&entry, &[(1, 2)], d).expect("record"));
            StoredEntry { entry, at }
        })
        .collect();
    writer.finish().expect("written");
    for (d, stored) in analysis.documents.iter().zip(&stored) {
        let (refs, back) = store.read_document(stored).expect("read");
        assert_eq!(refs, vec![(1, 2)]);
        assert_eq!(back.entities, d.entities);
        assert_eq!(serde_json::to_string(&back).expect("json"), serde_json::to_string(d).expect("json"));
        let runs = |d: &DocumentAnalysis| d.paragraphs.iter().map(|p| p.source.clone()).collect::<Vec<_>>();
        assert_eq!(runs(&back), runs(d));
    }
    // A record asked for under another entry's name is not read as it.
    let other = StoredEntry { entry: stored[1].entry, at: stored[0].at };
    assert!(store.read_document(&other).is_none());
    // An entity outside its paragraph cannot be stored as a range: the
    // entry is refused on reading (a miss), never read back wrong.
    let mut d = analysis.documents[0].clone();
    let e = d.entities[0].clone();
    d.entities[0] = crate::model::Entity::new(e.kind, e.canonical, e.paragraph(), e.start as usize, 60_000);
    let entry = EntryName::of(&[b"bad"]);
    let mut writer = store.writer();
    let at = writer.add(CorpusCache::record(&entry, &[], &d).expect("record"));
    writer.finish().expect("written");
    assert!(store.read_document(&StoredEntry { entry, at }).is_none());
}

#[test]
fn a_corpus_of_many_batches_is_stored_in_packs_and_read_back_the_same() {
    let dir = tempfile::tempdir().expect("temp dir");
    // 300 short files: three batches, three packs from one run.
    for n in 0..300 {
        let text =
            format!("上海合作组织成员国第{n}次会议于2019年6月14日在比什凯克举行。\n\n双方重申恪守《上海合作组织宪章》。\n");
        write(dir.path(), &format!("{n:03}.txt"), &text);
    }
    let source = CorpusSource::Paths(vec![dir.path().to_path_buf()]);
    let data = tempfile::tempdir().expect("temp dir");
    let cache = AnalysisCache::in_data_dir(data.path());
    let (first, outcome) = cached(&source, &cache);
    assert_eq!(analysed(&outcome), Some(300));
    assert_eq!(first, cold(&source));
    assert_eq!(pack_files(data.path()).len(), 3);
    assert_eq!(pack_files(data.path()), named_packs(&cache, &source));
    let (again, outcome) = cached(&source, &cache);
    assert_eq!(outcome, Outcome::Hit);
    assert_eq!(again, first);
    // A killed run's temporary pack goes once it is an hour old; a fresh
    // one (a run writing now) stays.
    let corpus_cache = cache.corpus(&source);
    let old = corpus_cache.dir().join(format!(".{}.pack.a1b2c3.tmp", "12".repeat(16)));
    let fresh = corpus_cache.dir().join(format!(".{}.pack.d4e5f6.tmp", "34".repeat(16)));
    std::fs::write(&old, b"half a pack").expect("write");
    std::fs::write(&fresh, b"half a pack").expect("write");
    let two_hours_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(7200);
    std::fs::File::options().write(true).open(&old).expect("open").set_modified(two_hours_ago).expect("mtime");
    write(dir.path(), "000.txt", "会议期间天气晴好。\n");
    let (after, outcome) = cached(&source, &cache);
    assert_eq!(analysed(&outcome), Some(1));
    assert_eq!(after, cold(&source));
    assert!(!old.exists() && fresh.exists());
    // Files changed one at a time, each in a run of its own: each run adds
    // a small pack, and small packs are merged before there are eight.
    for n in 1..=12 {
        write(dir.path(), &format!("{n:03}.txt"), &format!("第{n}份文件已修订。\n"));
        let (_, outcome) = cached(&source, &cache);
        assert_eq!(analysed(&outcome), Some(1));
        assert!(pack_files(data.path()).len() < 8, "after {n} changes: {:?}", pack_files(data.path()));
        assert_eq!(pack_files(data.path()), named_packs(&cache, &source));
    }
    assert_eq!(cached(&source, &cache).0, cold(&source));
}
