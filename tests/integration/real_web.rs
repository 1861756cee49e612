//! Real scraped texts (`tests/fixtures/real-web/`: six speeches from SCO
//! summits, 2020–2025, byte for byte as third-party scrapers stored them —
//! the `Text` column of `all_data.csv` in vanillabeans98/plsc_xi_speeches and
//! the `text` field of `corpus/speeches.json` in
//! StLaurentMTL/Xi-Jin-Ping-Speech-Analysis, scraped from people.cn and
//! news.cn; do not edit them) and variants derived from them in code: the
//! separators removed, the caption moved, the dateline changed.

use sco_reader::analysis::analyze_source;
use sco_reader::corpus::{CorpusSource, LoadOptions};
use sco_reader::model::{Analysis, Body, DocKind, DocumentAnalysis};
use std::collections::HashSet;
use std::path::{Path, PathBuf};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/real-web")
}

fn texts() -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = std::fs::read_dir(fixtures())
        .expect("fixtures")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .map(|p| {
            let name = p.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
            (name, std::fs::read_to_string(&p).expect("read"))
        })
        .collect();
    out.sort();
    out
}

/// Analyses `(name, text)` documents written to a temporary folder.
fn analyse(docs: &[(String, String)]) -> Analysis {
    let dir = tempfile::tempdir().expect("tempdir");
    for (name, text) in docs {
        std::fs::write(dir.path().join(format!("{name}.txt")), text).expect("write");
    }
    let source = CorpusSource::Paths(vec![dir.path().to_path_buf()]);
    analyze_source(&source, &LoadOptions::default(), sco_reader::knowledge::bundled(), &|_| {})
}

fn doc<'a>(a: &'a Analysis, prefix: &str) -> &'a DocumentAnalysis {
    a.documents.iter().find(|d| d.id.starts_with(prefix)).expect("document")
}

/// What a reader would give one of the texts.
type Expected = (&'static str, &'static str, Body, Option<u32>, &'static str, &'static str);

/// `(file prefix, title, body, ordinal, date, place)`; every one is a speech.
const EXPECTED: [Expected; 6] = [
    ("2020-11", "弘扬“上海精神”　深化团结协作构建更加紧密的命运共同体", Body::HeadsOfState, Some(20), "2020-11-10", "北京"),
    ("2023-07", "牢记初心使命　坚持团结协作　实现更大发展", Body::HeadsOfState, Some(23), "2023-07-04", "视频"),
    ("2024-07", "携手构建更加美好的上海合作组织家园", Body::Other, None, "2024-07-04", "阿斯塔纳"),
    ("2025-08", "在上海合作组织峰会欢迎宴会上的祝酒辞", Body::HeadsOfState, None, "2025-08-31", "天津"),
    ("2025-09-tianjin-xi-speech-25th", "牢记初心使命　开创美好未来", Body::HeadsOfState, Some(25), "2025-09-01", "天津"),
    ("2025-09-tianjin-xi-speech-sco-plus", "凝聚上合力量　完善全球治理", Body::Other, None, "2025-09-01", "天津"),
];

fn body_texts(d: &DocumentAnalysis) -> Vec<&str> {
    d.paragraphs.iter().map(|p| p.text.as_str()).collect()
}

#[test]
fn scraped_speeches_come_out_as_an_editor_would_give_them() {
    let a = analyse(&texts());
    assert_eq!(a.documents.len(), 6);
    for (prefix, title, body, ordinal, date, place) in EXPECTED {
        let d = doc(&a, prefix);
        assert_eq!(d.kind, DocKind::Speech, "{prefix}");
        assert_eq!(d.title, title, "{prefix}");
        let m = d.meeting.as_ref().expect("a meeting");
        assert_eq!(
            (m.body, m.ordinal, m.start.as_deref(), m.place.as_deref()),
            (body, ordinal, Some(date), Some(place)),
            "{prefix}"
        );
        if body == Body::Other {
            assert_eq!(m.body_label.as_deref(), Some("上海合作组织+"), "{prefix}");
        }
        assert!(d.citations.is_empty(), "{prefix} cites {:?}", d.citations);
        assert!(d.paragraphs.len() >= 15, "{prefix}: {} paragraphs", d.paragraphs.len());
        for p in body_texts(d) {
            assert!(!p.contains("日电") && !p.ends_with('摄'), "{prefix}: dateline or credit left in {p}");
            assert!(p.chars().count() < 700, "{prefix}: a paragraph of {} chars", p.chars().count());
        }
        assert!(d.dateline.as_deref().is_some_and(|x| x.ends_with("日电")), "{prefix}");
    }
    // Five of the six carry a photo caption; it is set apart whole.
    let captions: usize = a.documents.iter().map(|d| d.captions.len()).sum();
    assert_eq!(captions, 5);
    for d in &a.documents {
        for c in &d.captions {
            assert!(c.ends_with('摄') && c.contains("记者"), "{c}");
        }
    }
    // The header: headline, subtitle, date line, byline, then the address.
    let d = doc(&a, "2025-09-tianjin-xi-speech-25th");
    let head: Vec<(Option<u8>, &str)> = d.paragraphs.iter().take(5).map(|p| (p.heading, p.text.as_str())).collect();
    assert_eq!(
        head,
        [
            (Some(1), "牢记初心使命　开创美好未来"),
            (Some(2), "——在上海合作组织成员国元首理事会第二十五次会议上的讲话"),
            (None, "（2025年9月1日，天津）"),
            (None, "中华人民共和国主席　习近平"),
            (None, "尊敬的各位同事：")
        ]
    );
}

/// Removes the separators a scraper left: runs of spaces, and a wide space after a sentence.
fn without_separators(text: &str) -> String {
    let mut out = String::new();
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    let space = |c: char| matches!(c, ' ' | '\u{3000}' | '\u{2003}' | '\u{a0}');
    while i < chars.len() {
        let run = chars[i..].iter().take_while(|c| space(**c)).count();
        let after_sentence = i > 0 && matches!(chars[i - 1], '。' | '！' | '？' | '：' | '”');
        if run >= 2 || (run == 1 && chars[i] != ' ' && after_sentence) {
            i += run;
            continue;
        }
        out.push(chars[i]);
        i += 1;
    }
    out
}

#[test]
fn without_separators_the_header_captions_and_meeting_hold_and_most_paragraphs_come_back() {
    let originals = texts();
    let stripped: Vec<(String, String)> = originals.iter().map(|(n, t)| (n.clone(), without_separators(t))).collect();
    let (a, b) = (analyse(&originals), analyse(&stripped));
    let (mut found, mut expected, mut right) = (0, 0, 0);
    for (x, y) in a.documents.iter().zip(&b.documents) {
        assert_eq!(x.meeting, y.meeting, "{}", x.id);
        assert_eq!(x.captions.len(), y.captions.len(), "{}", x.id);
        assert_eq!(x.kind, y.kind, "{}", x.id);
        let editor: HashSet<&str> = body_texts(x).into_iter().collect();
        let ours: Vec<&str> = body_texts(y);
        expected += editor.len();
        found += ours.len();
        right += ours.iter().filter(|p| editor.contains(*p)).count();
    }
    let (p, r) = (right as f64 / found as f64, right as f64 / expected as f64);
    let f1 = 2.0 * p * r / (p + r);
    // The gaps the scraper left give every break; without them the
    // addresses, openers and lengths recover most (every break right or
    // wrong counts whole paragraphs here).
    assert!(f1 >= 0.6, "paragraph F1 {f1:.2} without separators");
}

#[test]
fn a_caption_moved_or_a_dateline_changed_is_still_read() {
    let (name, text) = texts().into_iter().find(|(n, _)| n.starts_with("2025-09-tianjin-xi-speech-25th")).expect("fixture");
    let original = analyse(&[(name.clone(), text.clone())]);
    let caption = original.documents[0].captions[0].clone();
    // The caption moved to the top of the page.
    let moved = format!("  {caption}  {}", text.replacen(&caption, "", 1));
    let a = analyse(&[(name.clone(), moved)]);
    assert_eq!(a.documents[0].captions, std::slice::from_ref(&caption));
    assert_eq!(body_texts(&a.documents[0]), body_texts(&original.documents[0]));
    // No agency dateline: the date line under the title still dates the meeting.
    let no_dateline = text.replacen("新华社天津9月1日电", "", 1);
    let a = analyse(&[(name.clone(), no_dateline)]);
    let m = a.documents[0].meeting.as_ref().expect("meeting");
    assert_eq!((m.start.as_deref(), m.place.as_deref()), (Some("2025-09-01"), Some("天津")));
    // Another agency in the dateline, and a date line without the city: the dateline places it.
    let other =
        text.replacen("新华社天津9月1日电", "中新社天津9月1日电", 1).replacen("（2025年9月1日，天津）", "（2025年9月1日）", 1);
    let a = analyse(&[(name, other)]);
    let d = &a.documents[0];
    assert_eq!(d.dateline.as_deref(), Some("中新社天津9月1日电"));
    let m = d.meeting.as_ref().expect("meeting");
    assert_eq!((m.start.as_deref(), m.place.as_deref()), (Some("2025-09-01"), Some("天津")));
}

/// The people each speech names (the speaker and the leaders it addresses
/// or thanks, all written before their titles), and no place from 上海精神.
#[test]
fn people_before_their_titles_and_no_place_from_a_principle() {
    use sco_reader::model::EntityKind;
    let a = analyse(&texts());
    let expected: [(&str, &[&str]); 6] = [
        ("2020-11", &["习近平", "拉赫蒙", "普京"]),
        ("2023-07", &["习近平", "托卡耶夫", "莫迪"]),
        ("2024-07", &["习近平", "托卡耶夫"]),
        ("2025-08", &["习近平", "安瓦尔", "扎帕罗夫"]),
        ("2025-09-tianjin-xi-speech-25th", &["习近平"]),
        ("2025-09-tianjin-xi-speech-sco-plus", &["习近平"]),
    ];
    for (prefix, people) in expected {
        let d = doc(&a, prefix);
        let found: HashSet<&str> =
            d.entities.iter().filter(|e| e.kind == EntityKind::Person).map(|e| e.canonical.as_str()).collect();
        assert_eq!(found, people.iter().copied().collect::<HashSet<_>>(), "{prefix}");
        let places: Vec<&str> = d.entities.iter().filter(|e| e.kind == EntityKind::Place).map(|e| e.canonical.as_str()).collect();
        assert!(!places.contains(&"上海"), "{prefix}: {places:?}");
    }
}
