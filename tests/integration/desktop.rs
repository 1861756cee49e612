//! Shipping as a desktop app, on the real binary: the desktop entry and
//! icons (`install-desktop` / `uninstall-desktop`), a second launch handing
//! its link to the running window, and a document exported to share.

use std::path::Path;
use std::process::{Command, Output};
use std::time::{Duration, Instant};

fn bin(data: &Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_sco-reader"));
    c.env("SCO_READER_DATA_DIR", data);
    c
}

fn run(data: &Path, args: &[&str]) -> Output {
    bin(data).args(args).output().expect("run sco-reader")
}

fn files_under(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    if let Ok(entries) = std::fs::read_dir(dir) {
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() { out.extend(files_under(&p)) } else { out.push(p) }
        }
    }
    out.sort();
    out
}

/// True if `program` runs; on CI (which installs it) it must.
fn have(program: &str) -> bool {
    let found = Command::new(program).arg("--help").output().is_ok();
    assert!(found || std::env::var_os("CI").is_none(), "{program} is missing on CI");
    found
}

#[test]
fn install_desktop_writes_a_valid_entry_icons_and_the_scheme_and_uninstall_removes_exactly_that() {
    let dir = tempfile::tempdir().expect("tmp");
    let (data, prefix, config) = (dir.path().join("data"), dir.path().join("share"), dir.path().join("config"));
    std::fs::create_dir_all(prefix.join("applications")).expect("mkdir");
    std::fs::create_dir_all(&config).expect("mkdir");
    // The user's own defaults are kept.
    let theirs = "[Default Applications]\ntext/html=firefox.desktop\n";
    std::fs::write(prefix.join("applications/mimeapps.list"), theirs).expect("write");
    let out = run(&data, &["install-desktop", "--prefix", &prefix.display().to_string()]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let entry_path = prefix.join("applications/sco-reader.desktop");
    let entry = std::fs::read_to_string(&entry_path).expect("desktop entry");
    assert!(entry.contains(&format!("Exec={} open %U", env!("CARGO_BIN_EXE_sco-reader"))), "{entry}");
    for size in [16, 32, 48, 256] {
        let icon = prefix.join(format!("icons/hicolor/{size}x{size}/apps/sco-reader.png"));
        let bytes = std::fs::read(&icon).expect("icon");
        assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n");
        // The PNG's own size is the folder's.
        assert_eq!(u32::from_be_bytes(bytes[16..20].try_into().expect("width")), size);
    }
    assert!(prefix.join("icons/hicolor/scalable/apps/sco-reader.svg").is_file());
    if have("desktop-file-validate") {
        let v = Command::new("desktop-file-validate").arg(&entry_path).output().expect("validate");
        assert!(v.status.success() && v.stdout.is_empty(), "{}", String::from_utf8_lossy(&v.stdout));
    } else {
        eprintln!("desktop-file-validate not installed: the entry was not validated");
    }
    if have("xdg-mime") {
        let q = Command::new("xdg-mime")
            .args(["query", "default", "x-scheme-handler/sco-reader"])
            .env("XDG_DATA_HOME", &prefix)
            .env("XDG_DATA_DIRS", dir.path().join("none"))
            .env("XDG_CONFIG_HOME", &config)
            .env("XDG_CONFIG_DIRS", dir.path().join("none"))
            .env_remove("XDG_CURRENT_DESKTOP")
            .env_remove("KDE_FULL_SESSION")
            .env_remove("GNOME_DESKTOP_SESSION_ID")
            .env("DE", "generic")
            .output()
            .expect("xdg-mime");
        assert_eq!(String::from_utf8_lossy(&q.stdout).trim(), "sco-reader.desktop", "{}", String::from_utf8_lossy(&q.stderr));
    } else {
        eprintln!("xdg-mime not installed: the scheme was not resolved");
    }
    let mimeapps = std::fs::read_to_string(prefix.join("applications/mimeapps.list")).expect("mimeapps");
    assert!(mimeapps.contains("text/html=firefox.desktop"), "{mimeapps}");
    // Uninstall: every file written is gone, the user's line is still there.
    let out = run(&data, &["uninstall-desktop", "--prefix", &prefix.display().to_string()]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let left: Vec<_> = files_under(&prefix)
        .into_iter()
        .filter(|p| {
            let name = p.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
            // Caches the desktop's own tools made, if installed.
            name != "mimeinfo.cache" && name != "icon-theme.cache"
        })
        .collect();
    assert_eq!(left, vec![prefix.join("applications/mimeapps.list")]);
    assert_eq!(std::fs::read_to_string(prefix.join("applications/mimeapps.list")).expect("read"), theirs);
}

#[cfg(unix)]
#[test]
fn a_second_launch_hands_its_link_to_the_running_window_and_exits_at_once() {
    let dir = tempfile::tempdir().expect("tmp");
    let data = dir.path().join("data");
    std::fs::create_dir_all(&data).expect("mkdir");
    let runtime = dir.path().join("run");
    std::fs::create_dir_all(&runtime).expect("mkdir");
    // The running window's end of the socket, as the window opens it.
    let socket = {
        // The path the binary computes with XDG_RUNTIME_DIR=runtime.
        let name = sco_reader::instance::socket_path(&data).file_name().expect("name").to_owned();
        runtime.join(name)
    };
    let (tx, rx) = std::sync::mpsc::channel();
    let _window = sco_reader::instance::listen(&socket, move |args| {
        let _ = tx.send(args);
    })
    .expect("listen");
    let link = "sco-reader://open?doc=000_5b2f4bf0cced573e&p=3";
    let start = Instant::now();
    let out = bin(&data).env("XDG_RUNTIME_DIR", &runtime).args(["open", link]).output().expect("run");
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(start.elapsed() < Duration::from_secs(1), "took {:?}", start.elapsed());
    assert_eq!(rx.recv_timeout(Duration::from_secs(1)).expect("handed over"), vec![link.to_owned()]);
    // Without the command word too, a file path made absolute.
    let out = bin(&data).env("XDG_RUNTIME_DIR", &runtime).current_dir(dir.path()).arg("some.txt").output().expect("run");
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let got = rx.recv_timeout(Duration::from_secs(1)).expect("handed over");
    assert_eq!(Path::new(&got[0]), dir.path().join("some.txt"));
}

#[test]
fn an_exported_document_is_one_page_with_its_entities_and_notes() {
    let dir = tempfile::tempdir().expect("tmp");
    let data = dir.path().join("data");
    let doc = "000_5b2f4bf0cced573e";
    let add = run(
        &data,
        &["notes", "add", "--doc", doc, "--paragraph", "2", "--start", "0", "--end", "8", "--text", "<b>粗体</b>与批注"],
    );
    assert_eq!(add.status.code(), Some(0), "{}", String::from_utf8_lossy(&add.stderr));
    let page = dir.path().join("doc.html");
    let out = run(&data, &["export", "document", "--doc", doc, "--out", &page.display().to_string()]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let html = std::fs::read_to_string(&page).expect("page");
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(html.contains("&lt;b&gt;粗体&lt;/b&gt;与批注"), "the note, escaped");
    assert!(!html.contains("https://") && !html.contains("<script") && !html.contains("src="), "self-contained");
    let json = run(&data, &["analyze", "--json"]);
    let analysis: serde_json::Value = serde_json::from_slice(&json.stdout).expect("json");
    let d = analysis["documents"].as_array().expect("docs").iter().find(|d| d["id"] == doc).expect("doc");
    for e in d["entities"].as_array().expect("entities").iter().filter(|e| e["kind"] != "agreement") {
        let canonical = e["canonical"].as_str().expect("canonical").replace('&', "&amp;").replace('"', "&quot;");
        assert!(html.contains(&format!("title=\"{}: {canonical}\"", e["kind"].as_str().expect("kind"))), "{e}");
    }
    // Markdown to stdout; an unknown document is a usage error.
    let md = run(&data, &["export", "document", "--doc", doc, "--format", "md"]);
    assert!(String::from_utf8_lossy(&md.stdout).contains("[^1]: "));
    assert_eq!(run(&data, &["export", "document", "--doc", "nope"]).status.code(), Some(2));
}
