//! `analyze --json` of the real binary against the contract kept in this
//! repository: the JSON Schema `docs/analysis.schema.json` (field names,
//! types, enums, date shapes), then the rules a schema cannot state
//! (docs/analysis-json.md, "Rules beyond the schema"): spans inside their
//! paragraphs and equal to their text, citations and `cited_by` one to one,
//! agreement ids numbered and known.

use serde_json::Value;
use std::collections::{BTreeSet, HashMap};

fn bin() -> std::process::Command {
    let mut c = std::process::Command::new(env!("CARGO_BIN_EXE_sco-reader"));
    c.env("SCO_READER_DATA_DIR", std::env::temp_dir().join("sco-reader-contract-tests"));
    c
}

fn run(args: &[&str]) -> std::process::Output {
    bin().args(args).output().expect("run sco-reader")
}

fn schema() -> jsonschema::Validator {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/analysis.schema.json");
    let text = std::fs::read_to_string(&path).expect("docs/analysis.schema.json");
    let schema: Value = serde_json::from_str(&text).expect("the schema is JSON");
    jsonschema::draft202012::new(&schema).expect("the schema compiles")
}

/// Every rule of the contract that the schema cannot express; returns the breaches.
fn semantic_breaches(v: &Value) -> Vec<String> {
    let mut bad = Vec::new();
    let empty = Vec::new();
    let arr = |v: &Value| v.as_array().unwrap_or(&empty).clone();
    let docs = arr(&v["documents"]);
    let agreements = arr(&v["agreements"]);
    let ids: Vec<&str> = docs.iter().filter_map(|d| d["id"].as_str()).collect();
    if ids.iter().collect::<BTreeSet<_>>().len() != ids.len() {
        bad.push("document ids are not unique".to_owned());
    }
    let numbered: Vec<String> = (1..=agreements.len()).map(|i| format!("a{i}")).collect();
    let agreement_ids: Vec<&str> = agreements.iter().filter_map(|a| a["id"].as_str()).collect();
    if agreement_ids != numbered.iter().map(String::as_str).collect::<Vec<_>>() {
        bad.push("agreement ids are not a1..aN in order".to_owned());
    }
    let mut cited_by = BTreeSet::new();
    for a in &agreements {
        if arr(&a["variants"]).contains(&a["title"]) {
            bad.push(format!("{}: the title is among its variants", a["id"]));
        }
        for c in arr(&a["cited_by"]) {
            cited_by.insert((
                c["document"].to_string(),
                c["paragraph"].as_u64(),
                c["start"].as_u64(),
                c["end"].as_u64(),
                a["id"].to_string(),
            ));
        }
    }
    let mut citations = BTreeSet::new();
    let pairs: HashMap<char, char> = [('《', '》'), ('«', '»'), ('〈', '〉'), ('<', '>'), ('‹', '›'), ('＜', '＞')].into();
    for d in &docs {
        let id = d["id"].to_string();
        let paragraphs: Vec<Vec<char>> =
            arr(&d["paragraphs"]).iter().map(|p| p["text"].as_str().unwrap_or("").chars().collect()).collect();
        let span = |x: &Value| -> Option<(usize, usize, usize)> {
            let (p, s, e) = (x["paragraph"].as_u64()? as usize, x["start"].as_u64()? as usize, x["end"].as_u64()? as usize);
            (p < paragraphs.len() && s < e && e <= paragraphs[p].len()).then_some((p, s, e))
        };
        let mut agreement_entities = BTreeSet::new();
        for (j, e) in arr(&d["entities"]).iter().enumerate() {
            let Some((p, s, t)) = span(e) else {
                bad.push(format!("{id} entity {j}: span outside its paragraph"));
                continue;
            };
            if paragraphs[p][s..t].iter().collect::<String>() != e["text"].as_str().unwrap_or("") {
                bad.push(format!("{id} entity {j}: text is not the text at its span"));
            }
            if e["kind"] == "agreement" {
                if !agreement_ids.contains(&e["canonical"].as_str().unwrap_or("")) {
                    bad.push(format!("{id} entity {j}: unknown agreement"));
                }
                agreement_entities.insert((p, s, t, e["canonical"].to_string()));
            }
        }
        let cits = arr(&d["citations"]);
        for (j, c) in cits.iter().enumerate() {
            let Some((p, s, t)) = span(c) else {
                bad.push(format!("{id} citation {j}: span outside its paragraph"));
                continue;
            };
            if pairs.get(&paragraphs[p][s]) != Some(&paragraphs[p][t - 1]) {
                bad.push(format!("{id} citation {j}: not a bracketed title"));
            }
            if !agreement_ids.contains(&c["agreement"].as_str().unwrap_or("")) {
                bad.push(format!("{id} citation {j}: unknown agreement"));
            }
            if let Some(parent) = c["parent"].as_u64().map(|x| x as usize) {
                let inside = parent < j && span(&cits[parent]).is_some_and(|(q, a, b)| q == p && a <= s && t <= b);
                if !inside {
                    bad.push(format!("{id} citation {j}: not inside its parent"));
                }
            }
            if !agreement_entities.contains(&(p, s, t, c["agreement"].to_string())) {
                bad.push(format!("{id} citation {j}: no agreement entity at its span"));
            }
            citations.insert((d["id"].to_string(), Some(p as u64), Some(s as u64), Some(t as u64), c["agreement"].to_string()));
        }
        if let Some(m) = d["meeting"].as_object()
            && let (Some(a), Some(b)) = (m["start"].as_str(), m["end"].as_str())
            && a > b
        {
            bad.push(format!("{id}: the meeting ends before it starts"));
        }
        for (j, ev) in arr(&d["events"]).iter().enumerate() {
            if ev["paragraph"].as_u64().is_none_or(|p| p as usize >= paragraphs.len()) {
                bad.push(format!("{id} event {j}: no such paragraph"));
            }
            if ev["start"].as_str() > ev["end"].as_str() {
                bad.push(format!("{id} event {j}: ends before it starts"));
            }
        }
    }
    if citations != cited_by {
        bad.push(format!(
            "citations and cited_by differ: {} only in citations, {} only in cited_by",
            citations.difference(&cited_by).count(),
            cited_by.difference(&citations).count()
        ));
    }
    bad
}

/// Runs `analyze --json` with `args` and checks the output against the schema and the rules.
fn check(args: &[&str]) -> Value {
    let out = run(args);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let v: Value = serde_json::from_slice(&out.stdout).expect("JSON on stdout");
    let schema = schema();
    let errors: Vec<String> = schema.iter_errors(&v).take(10).map(|e| format!("{} at {}", e, e.instance_path())).collect();
    assert!(errors.is_empty(), "the output breaks docs/analysis.schema.json:\n{}", errors.join("\n"));
    let breaches = semantic_breaches(&v);
    assert!(breaches.is_empty(), "the output breaks the contract's rules:\n{}", breaches.join("\n"));
    v
}

#[test]
fn the_bundled_corpus_keeps_the_contract() {
    let v = check(&["analyze", "--json"]);
    assert_eq!(v["version"], 1);
    assert_eq!(v["documents"].as_array().map(Vec::len), Some(5));
}

#[test]
fn a_folder_of_awkward_files_keeps_the_contract() {
    let dir = tempfile::tempdir().expect("tempdir");
    let p = dir.path();
    let files: [(&str, &str); 5] = [
        ("quotes.txt", "关于\"引号\"和\\反斜杠\\的《上海合作组织宪章》\n\n2002年6月7日在圣彼得堡签署《上海合作组织宪章》。\n"),
        ("nested.md", "# 标题\n\n根据《〈上海合作组织成员国多边经贸合作纲要〉落实措施计划》和该纲要。\n"),
        ("control.txt", "控制字符\u{1}\u{7}在这里。普京总统出席。\n\n2014年9月12日，杜尚别。\n"),
        ("empty.txt", ""),
        ("range.txt", "《2019－2021年合作纲要》（2018年6月10日，青岛）于2019年至2021年实施。\n"),
    ];
    for (name, text) in files {
        std::fs::write(p.join(name), text).expect("write");
    }
    let v = check(&["analyze", p.to_str().expect("path"), "--json"]);
    assert_eq!(v["documents"].as_array().map(Vec::len), Some(4));
    assert_eq!(v["errors"].as_array().map(Vec::len), Some(1));
}

#[test]
fn the_schema_rejects_a_renamed_field_and_a_wrong_kind() {
    let out = bin().args(["analyze", "--json"]).output().expect("run");
    let v: Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let schema = schema();
    assert!(schema.is_valid(&v));
    let mut renamed = v.clone();
    let doc = &mut renamed["documents"][0];
    let title = doc["title"].take();
    doc.as_object_mut().expect("object").remove("title");
    doc["name"] = title;
    assert!(!schema.is_valid(&renamed), "a renamed field must be caught");
    let mut wrong_kind = v.clone();
    wrong_kind["documents"][0]["kind"] = Value::from("memo");
    assert!(!schema.is_valid(&wrong_kind), "an unknown document kind must be caught");
    let mut moved = v;
    moved["documents"][0]["entities"][0]["start"] = Value::from(1_000_000);
    assert!(!semantic_breaches(&moved).is_empty(), "an entity outside its paragraph must be caught");
}
