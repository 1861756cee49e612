//! Files the user did not mean to touch stay untouched, and nothing that
//! is not a regular file is ever waited on: the real binary on read-only
//! targets, links, devices, FIFOs, hyphenated values and huge caps.

use std::process::{Command, Output};
use std::time::{Duration, Instant};

fn bin(data: &std::path::Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_sco-reader"));
    c.env("SCO_READER_DATA_DIR", data);
    c
}

fn run(data: &std::path::Path, args: &[&str]) -> Output {
    bin(data).args(args).output().expect("run sco-reader")
}

const DOC: &str = "000_5b2f4bf0cced573e";

fn with_a_note(data: &std::path::Path) {
    let out = run(
        data,
        &["notes", "add", "--doc", DOC, "--paragraph", "1", "--start", "0", "--end", "4", "--text", "-5% 是个以连字符开头的笔记"],
    );
    assert_eq!(out.status.code(), Some(0), "a note text may start with '-': {}", String::from_utf8_lossy(&out.stderr));
}

#[cfg(unix)]
#[test]
fn an_export_never_replaces_a_read_only_file_and_keeps_modes() {
    use std::os::unix::fs::PermissionsExt as _;
    let dir = tempfile::tempdir().expect("tmp");
    let data = dir.path().join("data");
    with_a_note(&data);
    let ro = dir.path().join("ro.md");
    std::fs::write(&ro, "keep").expect("write");
    std::fs::set_permissions(&ro, std::fs::Permissions::from_mode(0o444)).expect("chmod");
    let out = run(&data, &["notes", "export", "--format", "md", "--out", ro.to_str().expect("path")]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("read-only"), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(std::fs::read_to_string(&ro).expect("read"), "keep");
    // --force replaces it, and it stays read-only.
    let out = run(&data, &["notes", "export", "--format", "md", "--force", "--out", ro.to_str().expect("path")]);
    assert_eq!(out.status.code(), Some(0));
    assert!(std::fs::read_to_string(&ro).expect("read").contains("是个以连字符开头的笔记"));
    assert_eq!(std::fs::metadata(&ro).expect("meta").permissions().mode() & 0o777, 0o444);
    // A 0600 file stays 0600.
    let private = dir.path().join("private.md");
    std::fs::write(&private, "old").expect("write");
    std::fs::set_permissions(&private, std::fs::Permissions::from_mode(0o600)).expect("chmod");
    assert_eq!(
        run(&data, &["notes", "export", "--out", private.to_str().expect("path"), "--format", "md"]).status.code(),
        Some(0)
    );
    assert_eq!(std::fs::metadata(&private).expect("meta").permissions().mode() & 0o777, 0o600);
    // Nothing but the two files in the folder (no temporary file left).
    let names: Vec<String> = std::fs::read_dir(dir.path())
        .expect("dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    assert!(names.iter().all(|n| !n.ends_with(".tmp")), "{names:?}");
}

#[cfg(unix)]
#[test]
fn an_export_to_a_link_to_a_device_writes_through_it_and_dash_is_stdout() {
    let dir = tempfile::tempdir().expect("tmp");
    let data = dir.path().join("data");
    with_a_note(&data);
    let link = dir.path().join("null.md");
    std::os::unix::fs::symlink("/dev/null", &link).expect("symlink");
    let out = run(&data, &["notes", "export", "--format", "md", "--out", link.to_str().expect("path")]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(std::fs::symlink_metadata(&link).expect("meta").file_type().is_symlink(), "the link is still a link");
    let out = run(&data, &["notes", "export", "--format", "md", "--out", "-"]);
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("---\n"));
    assert!(!std::path::Path::new("-").exists());
}

#[test]
fn concurrent_exports_to_one_file_all_succeed() {
    let dir = tempfile::tempdir().expect("tmp");
    let data = dir.path().join("data");
    with_a_note(&data);
    let target = dir.path().join("same.md");
    let children: Vec<_> = (0..12)
        .map(|_| {
            bin(&data)
                .args(["notes", "export", "--format", "md", "--out", target.to_str().expect("path")])
                .stderr(std::process::Stdio::piped())
                .spawn()
                .expect("spawn")
        })
        .collect();
    for c in children {
        let out = c.wait_with_output().expect("wait");
        assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    }
    assert!(std::fs::read_to_string(&target).expect("read").contains("# Notes"));
    assert_eq!(std::fs::read_dir(dir.path()).expect("dir").filter(|e| e.as_ref().is_ok_and(|e| e.path().is_file())).count(), 1);
}

#[cfg(unix)]
#[test]
fn fifos_and_devices_are_reported_by_name_never_waited_on() {
    let dir = tempfile::tempdir().expect("tmp");
    let corpus = dir.path().join("corpus");
    std::fs::create_dir(&corpus).expect("mkdir");
    std::fs::write(corpus.join("good.txt"), "2019年5月22日，会议在比什凯克举行。\n").expect("write");
    let fifo = corpus.join("pipe.txt");
    if !Command::new("mkfifo").arg(&fifo).status().is_ok_and(|s| s.success()) {
        return;
    }
    std::os::unix::fs::symlink("/dev/zero", corpus.join("zero.txt")).expect("symlink");
    let start = Instant::now();
    let out = run(&dir.path().join("data"), &["analyze", corpus.to_str().expect("path"), "--json"]);
    assert!(start.elapsed() < Duration::from_secs(60), "no wait on a FIFO");
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(v["documents"].as_array().map(Vec::len), Some(1));
    let errors = v["errors"].to_string();
    assert!(errors.contains("pipe.txt") && errors.contains("FIFO"), "{errors}");
    assert!(errors.contains("zero.txt") && errors.contains("device"), "{errors}");
    // A FIFO given as the corpus path: a reason, exit 1.
    let out = run(&dir.path().join("data"), &["analyze", fifo.to_str().expect("path")]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("FIFO"), "{}", String::from_utf8_lossy(&out.stderr));
    // A FIFO where the notes store should be: an error, no wait.
    let data = dir.path().join("fifo-data");
    std::fs::create_dir(&data).expect("mkdir");
    assert!(Command::new("mkfifo").arg(data.join("notes.sqlite")).status().is_ok_and(|s| s.success()));
    let start = Instant::now();
    let out = run(&data, &["notes", "list", "--json"]);
    assert!(start.elapsed() < Duration::from_secs(60));
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("FIFO"), "{}", String::from_utf8_lossy(&out.stderr));
}

#[test]
fn a_huge_size_cap_and_names_with_line_breaks_are_handled() {
    let dir = tempfile::tempdir().expect("tmp");
    let corpus = dir.path().join("corpus");
    std::fs::create_dir(&corpus).expect("mkdir");
    std::fs::write(corpus.join("two\nlines.txt"), "2019年5月22日，会议在比什凯克举行。\n").expect("write");
    let out =
        run(&dir.path().join("data"), &["analyze", corpus.to_str().expect("path"), "--max-file-mib", "18446744073709551615"]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let stdout = String::from_utf8_lossy(&out.stdout);
    // One summary line per document, then the total: the name is quoted.
    assert_eq!(stdout.lines().count(), 2, "{stdout}");
    assert!(stdout.contains("\"two\\nlines\""), "{stdout}");
}

#[test]
fn the_command_line_shares_the_cache_and_a_flipped_bit_is_a_fresh_analysis() {
    let dir = tempfile::tempdir().expect("tmp");
    let data = dir.path().join("data");
    let out = |args: &[&str]| run(&data, args);
    let fresh = out(&["analyze", "--json", "--no-cache"]);
    assert!(!data.join("cache").exists(), "--no-cache writes no cache");
    let stored = out(&["analyze", "--json"]);
    // One folder for the corpus: its manifest and one pack holding the
    // five documents.
    let folders: Vec<std::path::PathBuf> =
        std::fs::read_dir(data.join("cache")).expect("cache dir").map(|e| e.expect("entry").path()).collect();
    assert_eq!(folders.len(), 1, "{folders:?}");
    let mut files: Vec<std::path::PathBuf> =
        std::fs::read_dir(&folders[0]).expect("corpus cache").map(|e| e.expect("entry").path()).collect();
    files.sort();
    assert!(files.iter().any(|f| f.ends_with("manifest.bin")), "{files:?}");
    let packs: Vec<&std::path::PathBuf> = files.iter().filter(|f| f.extension().is_some_and(|e| e == "pack")).collect();
    assert_eq!((packs.len(), files.len()), (1, 2), "{files:?}");
    let hit = out(&["analyze", "--json"]);
    assert_eq!(fresh.stdout, stored.stdout);
    assert_eq!(fresh.stdout, hit.stdout);
    // One bit flipped in the middle of the pack: said, the document there
    // analysed afresh, the same answer.
    let mut bytes = std::fs::read(packs[0]).expect("read");
    let mid = bytes.len() / 2;
    bytes[mid] ^= 0x10;
    std::fs::write(packs[0], &bytes).expect("write");
    let again = out(&["analyze", "--json"]);
    assert!(String::from_utf8_lossy(&again.stderr).contains("checksum"), "{}", String::from_utf8_lossy(&again.stderr));
    assert_eq!(fresh.stdout, again.stdout);
}

#[test]
fn a_large_user_gazetteer_is_compiled_once_and_checked_when_read_back() {
    let dir = tempfile::tempdir().expect("tmp");
    let data = dir.path().join("data");
    std::fs::create_dir_all(&data).expect("data dir");
    // Twenty thousand made-up names, one bad line and one name the corpus uses.
    let mut rng = fastrand::Rng::with_seed(23);
    let mut list = String::from("丝绸之路经济带\torganization\t丝路经济带\n没有类别的一行\n");
    for i in 0..20_000 {
        let name: String = (0..4).map(|_| char::from_u32(0x4e00 + rng.u32(..0x5000)).unwrap_or('一')).collect();
        list.push_str(&format!("{name}{i}\tperson\t{name}\n"));
    }
    std::fs::write(data.join("gazetteer.tsv"), list).expect("write list");
    let stored = data.join("cache").join("gazetteer.bin");
    let out = |args: &[&str]| run(&data, args);
    let first = out(&["analyze", "--json", "--no-cache"]);
    let stderr = String::from_utf8_lossy(&first.stderr);
    assert!(stderr.contains("line 2"), "the bad line is reported: {stderr}");
    let json = String::from_utf8_lossy(&first.stdout);
    assert!(json.contains("\"canonical\":\"丝绸之路经济带\""), "the user's name is found");
    let written = std::fs::metadata(&stored).expect("compiled gazetteer stored").modified().expect("mtime");
    // Read back, not compiled again: the same answer, the file untouched.
    let second = out(&["analyze", "--json", "--no-cache"]);
    assert_eq!(second.stdout, first.stdout);
    assert_eq!(String::from_utf8_lossy(&second.stderr), stderr, "the same warnings, from the stored gazetteer");
    assert_eq!(std::fs::metadata(&stored).expect("stored").modified().expect("mtime"), written);
    // A flipped bit: said once, compiled afresh, the same answer.
    let mut bytes = std::fs::read(&stored).expect("read");
    let at = bytes.len() / 3;
    bytes[at] ^= 0x04;
    std::fs::write(&stored, &bytes).expect("write");
    let third = out(&["analyze", "--json", "--no-cache"]);
    assert!(String::from_utf8_lossy(&third.stderr).contains("checksum"), "{}", String::from_utf8_lossy(&third.stderr));
    assert_eq!(third.stdout, first.stdout);
}
