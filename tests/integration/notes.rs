//! Notes end to end: the CLI round trip, the three exports, bad input, and
//! a store that survives SIGKILL at any moment.

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};
use std::process::{Command, Output};

fn bin(data: &std::path::Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_sco-reader"));
    c.env("SCO_READER_DATA_DIR", data);
    c
}

fn run(data: &std::path::Path, args: &[&str]) -> Output {
    bin(data).args(args).output().expect("run sco-reader")
}

const DOC: &str = "000_5b2f4bf0cced573e";

/// Quotes (block quotes) and note paragraphs found by pulldown-cmark, in order.
fn parse_export(md: &str) -> (Vec<String>, Vec<String>) {
    let mut quotes = Vec::new();
    let mut notes = Vec::new();
    let mut in_quote = false;
    let mut in_para = false;
    let mut after_quote = false;
    let mut buf = String::new();
    for event in Parser::new_ext(md, Options::ENABLE_YAML_STYLE_METADATA_BLOCKS) {
        match event {
            Event::Start(Tag::BlockQuote(_)) => {
                in_quote = true;
                buf.clear();
            }
            Event::End(TagEnd::BlockQuote(_)) => {
                in_quote = false;
                quotes.push(buf.trim_end_matches('\n').to_owned());
                after_quote = true;
            }
            Event::Start(Tag::Paragraph) if !in_quote => {
                in_para = after_quote;
                buf.clear();
            }
            Event::End(TagEnd::Paragraph) if in_para => {
                notes.push(buf.clone());
                in_para = false;
                after_quote = false;
            }
            Event::Start(Tag::List(_)) => after_quote = false,
            Event::Text(t) if in_quote || in_para => buf.push_str(&t),
            Event::HardBreak | Event::SoftBreak if in_quote || in_para => buf.push('\n'),
            _ => {}
        }
    }
    (quotes, notes)
}

const NASTY: &str = "# not a heading\n> not a quote\n- not a list\n1. not a list\n    not code\n*em* _u_ `code` [link](http://x) <script>alert('x')</script> &amp; \\ | ~~s~~ ===\n\ntrailing spaces  ";

#[test]
fn cli_round_trip_and_exports() {
    let data = tempfile::tempdir().expect("tmp");
    let d = data.path();
    let out = run(
        d,
        &[
            "notes",
            "add",
            "--doc",
            DOC,
            "--paragraph",
            "18",
            "--start",
            "0",
            "--end",
            "12",
            "--tag",
            "交通",
            "--color",
            "green",
            "--text",
            NASTY,
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let id: i64 = String::from_utf8_lossy(&out.stdout).trim().parse().expect("id");
    let out = run(d, &["notes", "add", "--doc", DOC, "--paragraph", "1", "--start", "0", "--end", "8", "--text", "第二条"]);
    assert_eq!(out.status.code(), Some(0));

    let list: serde_json::Value = serde_json::from_slice(&run(d, &["notes", "list", "--json"]).stdout).expect("json");
    let list = list.as_array().expect("array");
    assert_eq!(list.len(), 2);
    let first = list.iter().find(|n| n["id"] == id).expect("note");
    assert_eq!(first["anchor"], "exact");
    assert_eq!(first["quote"], "六、总理们高度评价上合组");
    assert_eq!(first["tags"][0], "交通");

    // Markdown: front matter, and every quote and note intact after parsing.
    let md = String::from_utf8(run(d, &["notes", "export", "--format", "md"]).stdout).expect("utf8");
    assert!(md.starts_with("---\ncorpus: "), "{md}");
    assert!(md.contains("count: 2"));
    assert!(md.contains("sco-reader://open?doc=000_5b2f4bf0cced573e&p=18"));
    let (quotes, notes) = parse_export(&md);
    assert!(quotes.contains(&"六、总理们高度评价上合组".to_owned()), "{quotes:?}");
    assert!(notes.contains(&NASTY.to_owned()), "{notes:?}");
    assert!(notes.contains(&"第二条".to_owned()));

    // HTML: self-contained, every string escaped.
    let html = String::from_utf8(run(d, &["notes", "export", "--format", "html"]).stdout).expect("utf8");
    assert!(html.starts_with("<!DOCTYPE html>") && html.contains("<style>"));
    assert!(!html.contains("<script>"), "script tag leaked");
    assert!(html.contains("&lt;script&gt;"));

    // JSON: W3C Web Annotation.
    let json: serde_json::Value =
        serde_json::from_slice(&run(d, &["notes", "export", "--format", "json", "--doc", DOC]).stdout).expect("json");
    assert_eq!(json["@context"], "http://www.w3.org/ns/anno.jsonld");
    let items = json["first"]["items"].as_array().expect("items");
    assert_eq!(items.len(), 2);
    let a = items.iter().find(|a| a["id"] == format!("urn:sco-reader:note:{id}")).expect("annotation");
    assert_eq!(a["type"], "Annotation");
    assert_eq!(a["body"][0]["value"], NASTY);
    assert_eq!(a["body"][1]["purpose"], "tagging");
    assert_eq!(a["target"]["selector"][0]["type"], "TextQuoteSelector");
    assert_eq!(a["target"]["selector"][1]["type"], "TextPositionSelector");
    assert_eq!(a["target"]["selector"][1]["end"], 12);

    // --out writes exactly that file.
    let file = d.join("out dir 中文");
    std::fs::create_dir(&file).expect("mkdir");
    let target = file.join("notes.md");
    let out = run(d, &["notes", "export", "--format", "md", "--out", target.to_str().expect("path")]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(std::fs::read_dir(&file).expect("dir").count(), 1);

    // Delete.
    assert_eq!(run(d, &["notes", "delete", &id.to_string()]).status.code(), Some(0));
    assert_eq!(run(d, &["notes", "delete", &id.to_string()]).status.code(), Some(2));
    let list: serde_json::Value = serde_json::from_slice(&run(d, &["notes", "list", "--json"]).stdout).expect("json");
    assert_eq!(list.as_array().map(Vec::len), Some(1));
}

#[test]
fn bad_ids_paragraphs_and_spans_exit_2_and_write_nothing() {
    let data = tempfile::tempdir().expect("tmp");
    let d = data.path();
    for args in [
        vec!["--doc", "no-such-doc", "--paragraph", "0", "--start", "0", "--end", "2"],
        vec!["--doc", DOC, "--paragraph", "999", "--start", "0", "--end", "2"],
        vec!["--doc", DOC, "--paragraph", "1", "--start", "5", "--end", "5"],
        vec!["--doc", DOC, "--paragraph", "1", "--start", "0", "--end", "100000"],
        vec!["--doc", DOC, "--paragraph", "1", "--start", "0", "--end", "2", "--color", "chartreuse"],
    ] {
        let mut full = vec!["notes", "add", "--text", "x"];
        full.extend(args.iter().copied());
        let out = run(d, &full);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(!out.stderr.is_empty());
    }
    let list: serde_json::Value = serde_json::from_slice(&run(d, &["notes", "list", "--json"]).stdout).expect("json");
    assert_eq!(list.as_array().map(Vec::len), Some(0));
}

/// The writer half of the SIGKILL test: runs only in the child process.
#[test]
fn writer_child() {
    let Some(dir) = std::env::var_os("SCO_NOTES_WRITER") else { return };
    let mut store = sco_reader::notes::store::NoteStore::open_in(std::path::Path::new(&dir)).expect("open");
    use std::io::Write as _;
    for i in 0.. {
        let note = sco_reader::notes::Note {
            id: 0,
            doc: "doc".into(),
            source: "doc.txt".into(),
            doc_hash: "h".into(),
            paragraph: i,
            start: 0,
            end: 1,
            quote: "引".into(),
            prefix: String::new(),
            suffix: String::new(),
            text: "n".repeat(200),
            color: "yellow".into(),
            tags: vec!["t".into()],
            created: "2026-01-01T00:00:00Z".into(),
            updated: "2026-01-01T00:00:00Z".into(),
        };
        let id = store.add(&note).expect("add");
        // Acknowledged only once add() returned.
        println!("ACK {id}");
        std::io::stdout().flush().expect("flush");
    }
}

#[test]
fn sigkill_at_random_moments_loses_no_acknowledged_note() {
    let data = tempfile::tempdir().expect("tmp");
    let exe = std::env::current_exe().expect("exe");
    let mut acknowledged = Vec::new();
    let mut seed: u64 = 0x9e37_79b9_7f4a_7c15 ^ u64::from(std::process::id());
    for _ in 0..20 {
        seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        let wait = std::time::Duration::from_millis(20 + (seed >> 33) % 180);
        let mut child = Command::new(&exe)
            .args(["notes::writer_child", "--exact", "--nocapture", "--test-threads", "1"])
            .env("SCO_NOTES_WRITER", data.path())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("spawn writer");
        std::thread::sleep(wait);
        child.kill().expect("SIGKILL");
        let out = child.wait_with_output().expect("wait");
        for line in String::from_utf8_lossy(&out.stdout).lines() {
            if let Some(id) = line.strip_prefix("ACK ").and_then(|s| s.trim().parse::<i64>().ok()) {
                acknowledged.push(id);
            }
        }
    }
    assert!(acknowledged.len() > 20, "the writer should have acknowledged many notes, got {}", acknowledged.len());
    let store = sco_reader::notes::store::NoteStore::open_in(data.path()).expect("reopen after kills");
    assert_eq!(store.integrity_check().expect("check"), "ok");
    let present: std::collections::HashSet<i64> = store.list(None).expect("list").into_iter().map(|n| n.id).collect();
    for id in &acknowledged {
        assert!(present.contains(id), "acknowledged note {id} lost");
    }
}

/// A note on `report.txt` stays with that file when `report.md` comes
/// beside it (the ids change), says when it moved, and is orphaned, not
/// moved onto like words, when its passage goes.
#[test]
fn notes_follow_their_file_and_state_their_anchor_everywhere() {
    let data = tempfile::tempdir().expect("tmp");
    let corpus = tempfile::tempdir().expect("corpus");
    let d = data.path();
    let dir = corpus.path().to_str().expect("path").to_owned();
    let p1 = "成员国将继续深化安全合作，共同打击恐怖主义、分裂主义和极端主义。";
    let p2 = "各方重申愿在经贸、能源、交通等领域加强合作，推动区域经济合作。";
    std::fs::write(corpus.path().join("report.txt"), format!("{p1}\n\n{p2}\n")).expect("write");
    let out = run(
        d,
        &["notes", "add", "--corpus", &dir, "--doc", "report", "--paragraph", "1", "--start", "17", "--end", "21", "--text", "n"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let list = |d: &std::path::Path| -> serde_json::Value {
        serde_json::from_slice(&run(d, &["notes", "list", "--json", "--corpus", &dir]).stdout).expect("json")
    };
    assert_eq!(list(d)[0]["quote"], "加强合作");
    assert_eq!(list(d)[0]["source"], "report.txt");
    // A same-stem newcomer with the same words: the note stays on report.txt.
    std::fs::write(corpus.path().join("report.md"), format!("# 报告\n\n{p2}\n\n{p1}\n")).expect("write");
    let now = list(d);
    assert_eq!(now[0]["anchor"], "exact", "{now}");
    assert_eq!(now[0]["current"]["doc"], "report.txt");
    assert_eq!(now[0]["doc"], "report.txt", "the stored id follows the file");
    // A paragraph inserted above: moved, and the exports say from where.
    std::fs::write(corpus.path().join("report.txt"), format!("新的第一段。\n\n{p1}\n\n{p2}\n")).expect("write");
    let now = list(d);
    assert_eq!((now[0]["anchor"].as_str(), now[0]["moved_from"].as_u64()), (Some("moved"), Some(1)), "{now}");
    assert_eq!(now[0]["current"]["paragraph"], 2);
    let md = String::from_utf8(run(d, &["notes", "export", "--format", "md", "--corpus", &dir]).stdout).expect("utf8");
    assert!(md.contains("moved from ¶2"), "{md}");
    let json: serde_json::Value =
        serde_json::from_slice(&run(d, &["notes", "export", "--format", "json", "--corpus", &dir]).stdout).expect("json");
    assert_eq!(json["first"]["items"][0]["sco:anchor"]["status"], "moved");
    // The passage rewritten: orphaned (合作 is still elsewhere, in other words).
    std::fs::write(corpus.path().join("report.txt"), format!("新的第一段。\n\n{p1}\n\n各方同意推进区域经济合作。\n"))
        .expect("write");
    assert_eq!(list(d)[0]["anchor"], "orphaned");
    let md = String::from_utf8(run(d, &["notes", "export", "--format", "md", "--corpus", &dir]).stdout).expect("utf8");
    assert!(md.contains("orphaned"), "{md}");
    assert!(md.contains("加强合作"), "the orphan keeps its quote: {md}");
}
