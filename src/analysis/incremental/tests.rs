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

fn entry_files(data: &Path) -> Vec<std::path::PathBuf> {
    let mut files: Vec<_> = walk(&data.join("cache")).into_iter().filter(|p| p.extension().is_some_and(|e| e == "doc")).collect();
    files.sort();
    files
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

    // An entry of the layout before (all in one folder) goes at the next
    // sweep; a file that is no entry stays.
    let corpus_cache = cache.corpus(&source);
    let legacy = corpus_cache.dir().join(format!("{}.doc", "ab".repeat(16)));
    std::fs::write(&legacy, b"old").expect("write");
    std::fs::write(corpus_cache.dir().join("notes.txt"), b"mine").expect("write");

    // One removed: nothing to analyse, the agreements and ids redone.
    std::fs::remove_file(corpus.path().join(corpus::BUNDLED_DOCUMENTS[0].0)).expect("remove");
    let (after, outcome) = cached(&source, &cache);
    assert_eq!(analysed(&outcome), Some(0));
    assert_eq!(after, cold(&source));
    let (again, outcome) = cached(&source, &cache);
    assert_eq!(outcome, Outcome::Hit);
    assert_eq!(again, after);
    // Entries of documents no longer in the corpus are swept.
    assert_eq!(entry_files(data.path()).len(), files);
    assert!(!legacy.exists());
    assert!(corpus_cache.dir().join("notes.txt").exists());
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
    // One entry damaged, one cut, one gone: those documents are analysed again.
    let entries = entry_files(data.path());
    let mut damaged = std::fs::read(&entries[0]).expect("entry");
    let middle = damaged.len() / 2;
    damaged[middle] ^= 0x10;
    std::fs::write(&entries[0], &damaged).expect("write");
    std::fs::write(&entries[1], b"SCOENTRY").expect("write");
    std::fs::remove_file(&entries[2]).expect("remove");
    let (json, outcome) = cached(&source, &cache);
    assert_eq!(analysed(&outcome), Some(3));
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
    for (n, d) in analysis.documents.iter().enumerate() {
        let entry = EntryName::of(&[&n.to_le_bytes()]);
        store.write_document(&entry, &[(1, 2)], d).expect("write");
        let (refs, back) = store.read_document(&entry).expect("read");
        assert_eq!(refs, vec![(1, 2)]);
        assert_eq!(back.entities, d.entities);
        assert_eq!(serde_json::to_string(&back).expect("json"), serde_json::to_string(d).expect("json"));
        let runs = |d: &DocumentAnalysis| d.paragraphs.iter().map(|p| p.source.clone()).collect::<Vec<_>>();
        assert_eq!(runs(&back), runs(d));
    }
    // An entity outside its paragraph cannot be stored as a range: the
    // entry is refused on reading (a miss), never read back wrong.
    let mut d = analysis.documents[0].clone();
    let e = d.entities[0].clone();
    d.entities[0] = crate::model::Entity::new(e.kind, e.canonical, e.paragraph(), e.start as usize, 60_000);
    let entry = EntryName::of(&[b"bad"]);
    store.write_document(&entry, &[], &d).expect("write");
    assert!(store.read_document(&entry).is_none());
}
