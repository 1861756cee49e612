//! Citation parsing and the whole analysis of one arbitrary document:
//! spans inside paragraphs, parents before children, ids that resolve.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let chars: Vec<char> = text.chars().collect();
    for (i, s) in sco_reader::citations::find_brackets(&chars).iter().enumerate() {
        assert!(s.start < s.end && s.end <= chars.len());
        assert!(s.parent.is_none_or(|p| p < i));
    }
    let raw = sco_reader::corpus::RawDocument {
        id: "fuzz".into(),
        source: "fuzz.txt".into(),
        markdown: false,
        text: text.to_owned(),
        encoding: "UTF-8",
        warnings: Vec::new(),
    };
    let loaded = sco_reader::corpus::Loaded { documents: vec![raw], errors: Vec::new() };
    let analysis = sco_reader::analysis::analyze_loaded(loaded, sco_reader::knowledge::bundled(), &|_| {});
    // Analysis contains panics per document; a contained panic is still a bug.
    assert!(analysis.errors.iter().all(|e| !e.message.contains("internal error")), "{:?}", analysis.errors);
    for d in &analysis.documents {
        for c in &d.citations {
            assert!(analysis.agreements.iter().any(|a| a.id == c.agreement));
            assert!(c.end <= d.paragraphs[c.paragraph].text.chars().count());
        }
    }
});
