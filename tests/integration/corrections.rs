//! Corrections end to end on the real binary: made with `correct`, seen by
//! `analyze --json`, search filters and every export, undone with `correct
//! delete`, kept through an edit of the document; and the CSV and TEI
//! exports against the JSON.

use serde_json::Value;
use std::path::Path;
use std::process::{Command, Output};

fn run(data: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_sco-reader")).env("SCO_READER_DATA_DIR", data).args(args).output().expect("run sco-reader")
}

fn ok(out: &Output) -> String {
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout.clone()).expect("utf-8")
}

fn analysis(data: &Path, extra: &[&str]) -> Value {
    let mut args = vec!["analyze", "--json"];
    args.extend_from_slice(extra);
    serde_json::from_str(&ok(&run(data, &args))).expect("json")
}

/// A row of the entities CSV: doc, paragraph, start, end, kind, text, canonical.
type EntityRow = (String, u64, u64, u64, String, String, String);

/// A row of the citations CSV.
type CitationRow = (String, u64, u64, u64, String, String, String, String);

fn entities(a: &Value) -> Vec<EntityRow> {
    let mut rows = Vec::new();
    for d in a["documents"].as_array().expect("documents") {
        for e in d["entities"].as_array().expect("entities") {
            rows.push((
                d["id"].as_str().unwrap_or_default().to_owned(),
                e["paragraph"].as_u64().unwrap_or_default(),
                e["start"].as_u64().unwrap_or_default(),
                e["end"].as_u64().unwrap_or_default(),
                e["kind"].as_str().unwrap_or_default().to_owned(),
                e["text"].as_str().unwrap_or_default().to_owned(),
                e["canonical"].as_str().unwrap_or_default().to_owned(),
            ));
        }
    }
    rows
}

#[test]
fn a_rejected_entity_and_a_merge_change_every_view_and_are_undone() {
    let data = tempfile::tempdir().expect("tmp");
    let data = data.path();
    let machine = analysis(data, &[]);
    let (doc, p, s, e, kind, text, _) =
        entities(&machine).into_iter().find(|r| r.4 == "person").expect("a person in the bundled corpus");
    let id = ok(&run(
        data,
        &["correct", "reject", "--doc", &doc, "--paragraph", &p.to_string(), "--start", &s.to_string(), "--end", &e.to_string()],
    ));
    assert!(id.trim().parse::<i64>().is_ok(), "prints the correction's id: {id}");
    let corrected = analysis(data, &[]);
    let here = |a: &Value| entities(a).into_iter().any(|r| r.0 == doc && r.1 == p && r.2 == s && r.4 == kind);
    assert!(!here(&corrected), "rejected {text}");
    assert!(here(&analysis(data, &["--no-corrections"])), "--no-corrections is the machine's");
    // The CSV export sees it.
    let csv = ok(&run(data, &["export", "entities", "--format", "csv"]));
    assert!(!csv.lines().any(|l| l.starts_with(&format!("{doc},{p},{s},{e},person,"))));

    // Marked again under another name: the search filter finds it by that name.
    let mark =
        ["correct", "mark", "--doc", &doc, "--paragraph", &p.to_string(), "--start", &s.to_string(), "--end", &e.to_string()];
    let mut args = mark.to_vec();
    args.extend(["--kind", "person", "--canonical", "某甲乙"]);
    ok(&run(data, &args));
    let hits: Value =
        serde_json::from_str(&ok(&run(data, &["search", &text, "--entity", "person:某甲乙", "--json"]))).expect("json");
    assert!(hits["hits"].as_array().is_some_and(|h| h.iter().any(|h| h["document"] == doc.as_str())), "{hits}");

    // Merge the first two agreements: one card with both wordings.
    let before = machine["agreements"].as_array().expect("agreements").clone();
    assert!(before.len() >= 2);
    ok(&run(data, &["correct", "merge-agreements", "a1", "a2"]));
    let merged = analysis(data, &[]);
    let after = merged["agreements"].as_array().expect("agreements");
    assert_eq!(after.len(), before.len() - 1);
    let one = &after[0];
    let wordings: Vec<&str> = std::iter::once(one["title"].as_str())
        .chain(one["variants"].as_array().expect("v").iter().map(Value::as_str))
        .flatten()
        .collect();
    assert!(
        wordings.contains(&before[0]["title"].as_str().expect("t"))
            && wordings.contains(&before[1]["title"].as_str().expect("t"))
    );
    let cited = |a: &Value| a["cited_by"].as_array().map_or(0, Vec::len);
    assert_eq!(cited(one), cited(&before[0]) + cited(&before[1]));

    // Listed, then undone one by one.
    let list: Value = serde_json::from_str(&ok(&run(data, &["correct", "list", "--json"]))).expect("json");
    let rows = list.as_array().expect("rows");
    assert_eq!(rows.len(), 3);
    assert!(rows.iter().all(|r| r["applied"] == true), "{list}");
    for r in rows {
        ok(&run(data, &["correct", "delete", &r["id"].to_string()]));
    }
    assert_eq!(entities(&analysis(data, &[])), entities(&machine));
    assert_eq!(analysis(data, &[])["agreements"], machine["agreements"]);

    // A correction that cannot be made stores nothing.
    let bad = run(data, &["correct", "merge-agreements", "a1", "a1"]);
    assert_eq!(bad.status.code(), Some(2));
    let bad = run(data, &["correct", "reject", "--doc", "nope", "--paragraph", "0", "--start", "0", "--end", "1"]);
    assert_eq!(bad.status.code(), Some(2));
    assert_eq!(ok(&run(data, &["correct", "list"])), "");
}

#[test]
fn a_mark_survives_an_edit_elsewhere_in_its_document() {
    let data = tempfile::tempdir().expect("tmp");
    let corpus = tempfile::tempdir().expect("tmp");
    let file = corpus.path().join("speech.txt");
    let text = "在上合组织峰会上的讲话\n\n孟加拉国总理谢赫·哈西娜出席了会议并发表讲话。\n\n各方同意加强合作。\n";
    std::fs::write(&file, text).expect("write");
    let dir = corpus.path().to_str().expect("utf-8 path");
    let a = analysis(data.path(), &[dir]);
    let paragraphs = a["documents"][0]["paragraphs"].as_array().expect("paragraphs");
    let (p, para) =
        paragraphs.iter().enumerate().find(|(_, p)| p["text"].as_str().is_some_and(|t| t.contains("哈西娜"))).expect("found");
    let t = para["text"].as_str().expect("text");
    let start = t[..t.find("谢赫").expect("name")].chars().count();
    let end = start + "谢赫·哈西娜".chars().count();
    let doc = a["documents"][0]["id"].as_str().expect("id").to_owned();
    ok(&run(
        data.path(),
        &[
            "correct",
            "mark",
            "--corpus",
            dir,
            "--doc",
            &doc,
            "--paragraph",
            &p.to_string(),
            "--start",
            &start.to_string(),
            "--end",
            &end.to_string(),
            "--kind",
            "person",
        ],
    ));
    let has_name = |a: &Value| entities(a).iter().any(|r| r.4 == "person" && r.5 == "谢赫·哈西娜" && r.6 == "谢赫·哈西娜");
    assert!(has_name(&analysis(data.path(), &[dir])));
    // A paragraph added above it: the mark follows its words.
    std::fs::write(&file, text.replace("\n\n孟加拉国", "\n\n会议在友好的气氛中举行。\n\n孟加拉国")).expect("write");
    assert!(has_name(&analysis(data.path(), &[dir])));
    let list: Value =
        serde_json::from_str(&ok(&run(data.path(), &["correct", "list", "--json", "--corpus", dir]))).expect("json");
    assert!(list[0]["status"].as_str().is_some_and(|s| s.starts_with("moved")), "{list}");
    // Its words gone: reported, never put on other words.
    std::fs::write(&file, text.replace("谢赫·哈西娜", "某人")).expect("write");
    let out = run(data.path(), &["analyze", "--json", dir]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("no longer apply"));
}

#[test]
fn csv_exports_have_the_rows_of_the_json_and_tei_is_written() {
    let data = tempfile::tempdir().expect("tmp");
    let data = data.path();
    let a = analysis(data, &[]);
    let csv = ok(&run(data, &["export", "entities", "--format", "csv"]));
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    assert_eq!(
        reader.headers().expect("header").iter().collect::<Vec<_>>(),
        ["doc", "paragraph", "start", "end", "kind", "text", "canonical"]
    );
    let rows: Vec<EntityRow> = reader.deserialize().map(|r| r.expect("row")).collect();
    assert_eq!(rows, entities(&a));

    let csv = ok(&run(data, &["export", "citations", "--format", "csv"]));
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let rows: Vec<CitationRow> = reader.deserialize().map(|r| r.expect("row")).collect();
    let mut expected = Vec::new();
    for d in a["documents"].as_array().expect("documents") {
        for c in d["citations"].as_array().expect("citations") {
            let signed = |k: &str| c["signed"][k].as_str().unwrap_or_default().to_owned();
            expected.push((
                d["id"].as_str().unwrap_or_default().to_owned(),
                c["paragraph"].as_u64().unwrap_or_default(),
                c["start"].as_u64().unwrap_or_default(),
                c["end"].as_u64().unwrap_or_default(),
                c["agreement"].as_str().unwrap_or_default().to_owned(),
                c["title"].as_str().unwrap_or_default().to_owned(),
                signed("date"),
                signed("place"),
            ));
        }
    }
    assert!(!expected.is_empty());
    assert_eq!(rows, expected);

    // TEI of one document and of the corpus, to files.
    let out = tempfile::tempdir().expect("tmp");
    let doc = a["documents"][1]["id"].as_str().expect("id");
    let one = out.path().join("one.xml");
    ok(&run(data, &["export", "tei", "--doc", doc, "--out", one.to_str().expect("path")]));
    let xml = std::fs::read_to_string(&one).expect("written");
    assert!(xml.contains("<TEI xmlns=\"http://www.tei-c.org/ns/1.0\""), "{}", xml.chars().take(200).collect::<String>());
    let all = out.path().join("all.xml");
    ok(&run(data, &["export", "tei", "--out", all.to_str().expect("path")]));
    let xml = std::fs::read_to_string(&all).expect("written");
    assert_eq!(xml.matches("<TEI ").count(), a["documents"].as_array().map_or(0, Vec::len));
    let unknown = run(data, &["export", "tei", "--doc", "nope"]);
    assert_eq!(unknown.status.code(), Some(2));
}
