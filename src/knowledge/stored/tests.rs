#![allow(clippy::unwrap_used, reason = "tests")]

use super::*;
use crate::knowledge::{EntryKind, USER_GAZETTEER_FILE};

const LIST: &str = "张三丰\tperson\t三丰真人\n新城\tplace\t新城市\n坏行\n";

fn matches(k: &Knowledge, text: &str) -> Vec<(String, usize, usize)> {
    k.find_all(text).map(|m| (k.entry(m.entry).canonical.clone(), m.byte_start, m.byte_end)).collect()
}

#[test]
fn a_stored_gazetteer_reads_back_the_same() {
    let dir = tempfile::tempdir().unwrap();
    let built = Knowledge::build(&[("user gazetteer", LIST)]).unwrap();
    let store = Store::in_data_dir(dir.path());
    store.write(&built).unwrap();
    let read = store.read(built.fingerprint()).expect("a hit");
    assert_eq!(read.entries(), built.entries());
    assert_eq!(read.person_words, built.person_words);
    assert_eq!(read.warnings, built.warnings);
    let text = "三丰真人到访新城市，会见中华人民共和国代表。";
    assert_eq!(matches(&read, text), matches(&built, text));
    assert_eq!(read.lookup("新城市").map(|e| e.canonical.as_str()), Some("新城"));
    // The user's alias of a person is a word of the segmenter read back too.
    assert!(read.segmenter().cut("三丰真人到访", false).iter().any(|t| t.word == "三丰真人"));
    // Another list's fingerprint finds nothing.
    assert!(store.read(Knowledge::bundled().fingerprint()).is_none());
}

#[test]
fn a_damaged_store_is_a_miss_never_another_gazetteer() {
    let dir = tempfile::tempdir().unwrap();
    let built = Knowledge::build(&[("user gazetteer", LIST)]).unwrap();
    let store = Store::in_data_dir(dir.path());
    store.write(&built).unwrap();
    let good = std::fs::read(&store.path).unwrap();
    let mut rng = fastrand::Rng::with_seed(7);
    for _ in 0..200 {
        let mut bad = good.clone();
        let at = rng.usize(..bad.len());
        bad[at] ^= 1 << rng.u8(..8);
        std::fs::write(&store.path, &bad).unwrap();
        assert!(store.read(built.fingerprint()).is_none(), "bit flip at byte {at} read as a gazetteer");
    }
    for len in [0, 7, 44, good.len() / 2, good.len() - 1] {
        std::fs::write(&store.path, &good[..len]).unwrap();
        assert!(store.read(built.fingerprint()).is_none(), "cut at {len} read as a gazetteer");
    }
    let mut longer = good.clone();
    longer.push(0);
    std::fs::write(&store.path, &longer).unwrap();
    assert!(store.read(built.fingerprint()).is_none());
}

#[cfg(unix)]
#[test]
fn a_fifo_in_place_of_the_store_is_not_waited_for() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::in_data_dir(dir.path());
    std::fs::create_dir_all(store.path.parent().unwrap()).unwrap();
    let made = std::process::Command::new("mkfifo").arg(&store.path).status().unwrap();
    assert!(made.success());
    // Returns at once (a blocking open would hang the test).
    assert!(store.read(Knowledge::bundled().fingerprint()).is_none());
}

#[test]
fn the_users_list_is_compiled_once_and_read_back_after() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join(USER_GAZETTEER_FILE), LIST).unwrap();
    let first = Knowledge::with_user_file(Some(dir.path()));
    let stored = dir.path().join("cache").join("gazetteer.bin");
    let written = std::fs::metadata(&stored).expect("stored").modified().unwrap();
    assert_eq!(first.warnings.len(), 1, "{:?}", first.warnings);
    let second = Knowledge::with_user_file(Some(dir.path()));
    // Read, not rewritten; the same gazetteer with the same warnings.
    assert_eq!(std::fs::metadata(&stored).unwrap().modified().unwrap(), written);
    assert_eq!(second.fingerprint(), first.fingerprint());
    assert_eq!(second.warnings, first.warnings);
    assert_eq!(second.lookup("三丰真人").map(|e| e.kind), Some(EntryKind::Person));
    // A changed list is compiled afresh and replaces the stored one.
    std::fs::write(dir.path().join(USER_GAZETTEER_FILE), "李四\tperson\t\n").unwrap();
    let third = Knowledge::with_user_file(Some(dir.path()));
    assert!(third.lookup("三丰真人").is_none());
    assert_eq!(third.lookup("李四").map(|e| e.kind), Some(EntryKind::Person));
    assert_eq!(std::fs::read_dir(stored.parent().unwrap()).unwrap().count(), 1, "one stored gazetteer, replaced");
    assert_eq!(Store::in_data_dir(dir.path()).read(third.fingerprint()).map(|k| k.entries().len()), Some(third.entries().len()));
}

#[cfg(unix)]
#[test]
fn a_fifo_as_the_users_list_is_reported_not_waited_for() {
    let dir = tempfile::tempdir().unwrap();
    let list = dir.path().join(USER_GAZETTEER_FILE);
    assert!(std::process::Command::new("mkfifo").arg(&list).status().unwrap().success());
    let k = Knowledge::with_user_file(Some(dir.path()));
    assert_eq!(k.fingerprint(), Knowledge::bundled().fingerprint());
    assert!(k.warnings.iter().any(|w| w.contains(USER_GAZETTEER_FILE)), "{:?}", k.warnings);
}
