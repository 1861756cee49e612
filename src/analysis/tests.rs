//! The passes against each other: streamed against whole, loaded against
//! read-as-you-go, the parallel JSON writer against serde_json.

use super::*;
use crate::corpus;
use crate::model::json::write_json;

#[test]
fn parallel_json_is_byte_for_byte_serde_json() {
    let texts: Vec<(String, String)> = (0..300)
        .map(|i| {
            (format!("d{i}"), format!("2014年9月12日，上海合作组织成员国在杜尚别签署《协定{}》。\n\n第二段\"引号\"。", i % 7))
        })
        .collect();
    let refs: Vec<(&str, &str)> = texts.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
    let analysis = analyze_texts(&refs);
    let mut ours = Vec::new();
    write_json(&mut ours, &analysis).expect("write to a Vec");
    let serde = serde_json::to_vec(&analysis).expect("serialise");
    assert!(ours == serde, "the batched writer differs from serde_json");
}

#[test]
fn streamed_json_is_the_json_of_the_whole_analysis() {
    let dir = tempfile::tempdir().expect("temp dir");
    for i in 0..300 {
        let text = format!(
            "上合组织成员国元首理事会第{i}次会议\n\n2014年9月12日，成员国在杜尚别签署《协定{}》。普京总统出席。\n\n落实《协定{}》。",
            i % 7,
            i % 5
        );
        std::fs::write(dir.path().join(format!("d{i:03}.txt")), text).expect("write");
    }
    std::fs::write(dir.path().join("empty.txt"), "").expect("write"); // an error in the JSON
    let knowledge = crate::knowledge::bundled();
    for source in [CorpusSource::Bundled, CorpusSource::Paths(vec![dir.path().to_path_buf()])] {
        let options = LoadOptions::default();
        let mut streamed = Vec::new();
        let written = analyze_to_json(&mut streamed, &source, &options, knowledge, None).expect("write to a Vec");
        let analysis = analyze_source(&source, &options, knowledge, &|_| {});
        let mut whole = Vec::new();
        crate::compare::offices::write_analysis_json(&mut whole, &analysis).expect("write to a Vec");
        assert!(streamed == whole, "the streamed JSON differs");
        assert_eq!(written.documents, analysis.documents.len());
        assert_eq!(written.errors, analysis.errors);
    }
}

#[test]
fn analysing_while_loading_gives_what_loading_first_gives() {
    let dir = tempfile::tempdir().expect("temp dir");
    for (sub, name, bytes) in [
        ("a", "x.txt", &b"\x00\x01binary\x00"[..]), // fails to decode: takes no id
        ("b", "x.txt", "2014年9月12日，在杜尚别签署《协定》。".as_bytes()),
        ("c", "x.md", "# 标题\n\n落实《协定》。".as_bytes()),
        ("c", "y.txt", &b""[..]), // fails in pass 1: takes its id
        ("d", "y.txt", "普京总统出席。".as_bytes()),
    ] {
        std::fs::create_dir_all(dir.path().join(sub)).expect("dir");
        std::fs::write(dir.path().join(sub).join(name), bytes).expect("write");
    }
    let source = CorpusSource::Paths(vec![dir.path().to_path_buf()]);
    let (options, knowledge) = (LoadOptions::default(), crate::knowledge::bundled());
    let streamed = analyze_source(&source, &options, knowledge, &|_| {});
    let loaded_first = analyze_loaded(corpus::load(&source, &options), knowledge, &|_| {});
    let ids = |a: &Analysis| a.documents.iter().map(|d| d.id.clone()).collect::<Vec<_>>();
    assert_eq!(ids(&streamed), ["b/x", "c/x", "d/y"]);
    assert_eq!(ids(&streamed), ids(&loaded_first));
    assert_eq!(streamed.errors.len(), 2, "{:?}", streamed.errors);
    assert_eq!(serde_json::to_string(&streamed).expect("json"), serde_json::to_string(&loaded_first).expect("json"));
}

#[test]
fn a_panic_in_one_document_costs_that_document_only() {
    let ok = contain("good.txt", || 7);
    assert_eq!(ok, Ok(7));
    let failed: Result<u8, LoadError> = contain("bad.txt", || panic!("a bug"));
    let err = failed.expect_err("contained");
    assert_eq!(err.source, "bad.txt");
    assert!(err.message.contains("internal error") && err.message.contains("a bug"), "{}", err.message);
}
