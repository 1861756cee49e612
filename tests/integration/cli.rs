//! The real binary on temporary folders: encodings, bad files, exit codes,
//! help texts (the JSON contract itself is checked in `contract.rs`).

use std::process::{Command, Output};

fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_sco-reader"));
    c.env("SCO_READER_DATA_DIR", std::env::temp_dir().join("sco-reader-cli-tests"));
    c
}

fn run(args: &[&str]) -> Output {
    bin().args(args).output().expect("run sco-reader")
}

fn json(out: &Output) -> serde_json::Value {
    serde_json::from_slice(&out.stdout).expect("JSON on stdout")
}

const TEXT: &str =
    "上海合作组织成员国外交部长理事会会议联合公报\n\n2019年5月22日，上海合作组织成员国外交部长理事会会议在比什凯克举行。\n";

#[test]
fn every_encoding_loads_and_bad_files_are_reported() {
    let dir = tempfile::tempdir().expect("tempdir");
    let p = dir.path();
    std::fs::write(p.join("utf8.txt"), TEXT).expect("write");
    let (gb, _, _) = encoding_rs::GB18030.encode(TEXT);
    std::fs::write(p.join("gb18030.txt"), &gb).expect("write");
    let mut utf16 = vec![0xFF, 0xFE];
    utf16.extend(TEXT.encode_utf16().flat_map(u16::to_le_bytes));
    std::fs::write(p.join("utf16.txt"), &utf16).expect("write");
    std::fs::create_dir(p.join("sub")).expect("mkdir");
    std::fs::write(p.join("sub/带 空格 的.md"), format!("\u{feff}# 标题\n\n{TEXT}")).expect("write");
    std::fs::write(p.join("binary.txt"), [0u8, 1, 2, 3, 0, 0, 255, 254, 0, 7]).expect("write");
    std::fs::write(p.join("empty.txt"), "").expect("write");
    std::fs::write(p.join("ignored.jpg"), "not looked at").expect("write");
    std::fs::write(p.join("broken.pdf"), "%PDF-1.7 cut short").expect("write");
    let out = run(&["analyze", p.to_str().expect("path"), "--json"]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let v = json(&out);
    let docs = v["documents"].as_array().expect("documents");
    assert_eq!(docs.len(), 4);
    for d in docs {
        let text: String =
            d["paragraphs"].as_array().expect("paragraphs").iter().map(|p| p["text"].as_str().unwrap_or("")).collect();
        assert!(text.contains("比什凯克举行"), "{}: {text}", d["source"]);
        assert_eq!(d["meeting"]["body"], "foreign_ministers", "{}", d["source"]);
    }
    let md = docs.iter().find(|d| d["source"] == "sub/带 空格 的.md").expect("markdown");
    assert_eq!(md["paragraphs"][0]["heading"], 1);
    assert_eq!(md["paragraphs"][0]["text"], "标题");
    let errors: Vec<&str> = v["errors"].as_array().expect("errors").iter().map(|e| e["source"].as_str().unwrap_or("")).collect();
    assert_eq!(errors, ["binary.txt", "broken.pdf", "empty.txt"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("binary.txt") && stderr.contains("empty.txt"), "{stderr}");
    assert!(stderr.contains("broken.pdf: PDF file cannot be read"), "{stderr}");
}

#[test]
fn duplicate_stems_get_unique_ids() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::create_dir(dir.path().join("a")).expect("mkdir");
    std::fs::create_dir(dir.path().join("b")).expect("mkdir");
    std::fs::write(dir.path().join("a/doc.txt"), TEXT).expect("write");
    std::fs::write(dir.path().join("b/doc.txt"), TEXT).expect("write");
    std::fs::write(dir.path().join("b/doc.md"), TEXT).expect("write");
    std::fs::write(dir.path().join("only.txt"), TEXT).expect("write");
    let v = json(&run(&["analyze", dir.path().to_str().expect("path"), "--json"]));
    let ids: Vec<&str> = v["documents"].as_array().expect("docs").iter().map(|d| d["id"].as_str().unwrap_or("")).collect();
    // The path without its extension; with it where two files would share one.
    assert_eq!(ids, ["a/doc", "b/doc.md", "b/doc.txt", "only"]);
}

#[test]
fn nothing_readable_exits_1_and_size_cap_is_an_error() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("big.txt"), TEXT.repeat(20_000)).expect("write");
    let out = run(&["analyze", dir.path().to_str().expect("path"), "--json", "--max-file-mib", "1"]);
    assert_eq!(out.status.code(), Some(1));
    let v = json(&out);
    let message = v["errors"][0]["message"].as_str().expect("message");
    assert!(message.contains("size cap"), "{message}");
    let missing = run(&["analyze", "/no/such/path", "--json"]);
    assert_eq!(missing.status.code(), Some(1));
}

#[test]
fn help_for_every_command_and_usage_errors_exit_2() {
    for args in [vec!["--help"], vec!["analyze", "--help"], vec!["open", "--help"]] {
        let out = run(&args);
        assert_eq!(out.status.code(), Some(0), "{args:?}");
        assert!(String::from_utf8_lossy(&out.stdout).contains("Usage"), "{args:?}");
    }
    let out = run(&["analyze", "--no-such-flag"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(!out.stderr.is_empty());
}

#[test]
fn summary_without_json() {
    let out = run(&["analyze"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("5 documents"), "{text}");
}

#[test]
fn search_prints_hits_with_offsets_and_stats() {
    let out = run(&["search", "国际道路运输便利化协定", "--json", "--stats"]);
    assert_eq!(out.status.code(), Some(0));
    let v = json(&out);
    assert_eq!(v["query"], "国际道路运输便利化协定");
    let hits = v["hits"].as_array().expect("hits");
    assert!(hits.len() >= 5);
    for key in ["document", "paragraph", "start", "end", "snippet"] {
        assert!(hits[0].get(key).is_some(), "{key}");
    }
    assert_eq!(hits[0]["end"].as_u64().unwrap_or(0) - hits[0]["start"].as_u64().unwrap_or(0), 11);
    assert_eq!(v["stats"]["documents"], 5);
    assert!(v["stats"]["search_ms"].is_number());
    // Offsets point at the text: check against analyze's paragraphs.
    let analysis = json(&run(&["analyze", "--json"]));
    let doc = analysis["documents"].as_array().expect("docs").iter().find(|d| d["id"] == hits[0]["document"]).expect("doc");
    let text: Vec<char> =
        doc["paragraphs"][hits[0]["paragraph"].as_u64().unwrap_or(0) as usize]["text"].as_str().unwrap_or("").chars().collect();
    let (s, e) = (hits[0]["start"].as_u64().unwrap_or(0) as usize, hits[0]["end"].as_u64().unwrap_or(0) as usize);
    assert_eq!(text[s..e].iter().collect::<String>(), "国际道路运输便利化协定");
}

#[test]
fn empty_search_is_a_usage_error() {
    assert_eq!(run(&["search", ""]).status.code(), Some(2));
    assert_eq!(run(&["search", "   "]).status.code(), Some(2));
    assert_eq!(run(&["search", "x", "--entity", "bogus"]).status.code(), Some(2));
    let filtered = json(&run(&["search", "合作", "--json", "--entity", "person:马西莫夫"]));
    let docs: std::collections::BTreeSet<&str> =
        filtered["hits"].as_array().expect("hits").iter().filter_map(|h| h["document"].as_str()).collect();
    assert_eq!(docs.len(), 1, "{docs:?}");
}

#[test]
fn compare_trends_kwic_and_people_from_the_command_line() {
    let json = |args: &[&str]| -> serde_json::Value {
        let out = run(args);
        assert_eq!(out.status.code(), Some(0), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
        serde_json::from_slice(&out.stdout).expect("json")
    };
    let (a, b) = ("001_740a038ea85bf232", "003_b1dedeb09271b6b9");
    let cmp = json(&["compare", a, b, "--json", "--no-cache"]);
    assert_eq!((cmp["a"].as_str(), cmp["b"].as_str()), (Some(a), Some(b)));
    let pairs = cmp["pairs"].as_array().expect("pairs");
    let bs: Vec<u64> = pairs.iter().filter_map(|p| p["b"].as_u64()).collect();
    assert_eq!(bs, (0..bs.len() as u64).collect::<Vec<_>>(), "every paragraph of b once, in order");
    assert!(pairs.iter().all(|p| ["same", "changed", "added", "removed"].contains(&p["op"].as_str().unwrap_or(""))));
    assert!(pairs.iter().all(|p| (0.0..=1.0).contains(&p["similarity"].as_f64().unwrap_or(-1.0))));
    let new = json(&["compare", "--previous", b, "--json", "--no-cache"]);
    assert_eq!(new["previous"].as_str(), Some(a));
    assert!(new["new"].as_array().is_some_and(|n| !n.is_empty() && n[0]["text"].is_string()));
    // Trend counts are the search's counts.
    let trends = json(&["trends", "合作", "--json", "--no-cache"]);
    let hits = json(&["search", "合作", "--json", "--no-cache"]);
    for point in trends["series"][0]["points"].as_array().expect("points") {
        let doc = point["doc"].as_str().expect("doc");
        let found = hits["hits"].as_array().expect("hits").iter().filter(|h| h["document"] == doc).count();
        assert_eq!(point["count"].as_u64(), Some(found as u64), "{doc}");
    }
    // Keyword in context: five columns, the hit in the middle.
    let kwic = run(&["search", "数字经济", "--kwic", "--no-cache"]);
    let text = String::from_utf8_lossy(&kwic.stdout);
    assert!(!text.is_empty());
    for line in text.lines() {
        let cols: Vec<&str> = line.split('\t').collect();
        assert_eq!(cols.len(), 5, "{line}");
        assert_eq!(cols[1], "数字经济");
    }
    // Who held which office, additive in the analysis.
    let analysis = json(&["analyze", "--json", "--no-cache"]);
    let people = analysis["people"].as_array().expect("people");
    let li = people.iter().find(|p| p["name"] == "李克强").expect("李克强");
    assert!(
        li["roles"]
            .as_array()
            .expect("roles")
            .iter()
            .any(|r| r["country"] == "中国" && r["documents"].as_array().is_some_and(|d| d.len() >= 2))
    );
}
