//! The bundled documents saved as the formats users hold — a news page in
//! UTF-8 and in GBK with its navigation, share bar, related links and
//! footer; a paginated PDF with a running header and page numbers; a Word
//! file with title and heading styles — give the paragraphs, titles,
//! meetings and entities of the text version.

#[path = "../support/make_docs.rs"]
pub(crate) mod make_docs;

use make_docs::{DocxBlock, docx, paginate, para, pdf};
use sco_reader::analysis::analyze_source;
use sco_reader::corpus::{CorpusSource, LoadOptions, SourceFormat};
use sco_reader::model::{Analysis, DocumentAnalysis};
use std::collections::HashMap;

fn analyse(source: &CorpusSource) -> Analysis {
    analyze_source(source, &LoadOptions::default(), sco_reader::knowledge::bundled(), &|_| {})
}

/// Page furniture every saved page and PDF below carries; none may reach a paragraph.
const FURNITURE: &[&str] = &["首页", "时政频道", "分享到", "相关新闻", "版权所有", "责任编辑", "文件汇编", "网站地图", "- 1 -"];

fn escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}

fn html_page(doc: &DocumentAnalysis, charset: &str) -> String {
    let mut body = String::new();
    for p in &doc.paragraphs {
        match p.heading {
            Some(level) => body.push_str(&format!("<h{level}>{}</h{level}>\n", escape(&p.text))),
            None => body.push_str(&format!("<p>　　{}</p>\n", escape(&p.text))),
        }
    }
    format!(
        r##"<!DOCTYPE html><html><head><meta charset="{charset}"><title>{title}_时政频道_某某网</title>
<meta property="article:published_time" content="2024-07-05T09:30:00+08:00">
<link rel="canonical" href="https://www.example.cn/politics/{id}.html">
<script>window.ads = ["<div>广告</div>"];</script></head><body>
<div class="nav"><a href="/">首页</a> | <a href="/politics">时政频道</a> | <a href="/world">国际</a> | <a href="/map">网站地图</a></div>
<div class="crumbs"><a href="/">首页</a> &gt; <a href="/politics">时政频道</a> &gt; 正文</div>
<div class="share">分享到：<a href="#">微信</a> <a href="#">微博</a></div>
<div class="article">
{body}<p class="editor">（责任编辑：张三）</p>
</div>
<div class="related"><h3>相关新闻</h3><ul><li><a href="/1">上合组织秘书长会见来访代表团</a></li><li><a href="/2">外交部发言人答记者问</a></li><li><a href="/3">成员国外长举行视频会议</a></li></ul></div>
<div class="footer"><p>版权所有 某某网 京ICP备000000号</p><p><a href="/about">关于我们</a> <a href="/map">网站地图</a></p></div>
</body></html>"##,
        title = escape(&doc.title),
        id = doc.id,
    )
}

fn pdf_file(doc: &DocumentAnalysis) -> Vec<u8> {
    let paragraphs: Vec<(Option<u8>, String)> = doc.paragraphs.iter().map(|p| (p.heading, p.text.to_string())).collect();
    pdf(&paginate(&paragraphs, "上海合作组织文件汇编", 38))
}

fn docx_file(doc: &DocumentAnalysis) -> Vec<u8> {
    let blocks: Vec<DocxBlock> = doc
        .paragraphs
        .iter()
        .map(|p| match p.heading {
            Some(1) => para(Some("a3"), &p.text),
            Some(level) => para(Some(&(level - 1).to_string()), &p.text),
            None => para(None, &p.text),
        })
        .collect();
    docx(&blocks)
}

/// F1 of two multisets.
fn f1<T: std::hash::Hash + Eq>(expected: impl IntoIterator<Item = T>, found: impl IntoIterator<Item = T>) -> f64 {
    let mut want: HashMap<T, usize> = HashMap::new();
    let mut total_expected = 0;
    for e in expected {
        *want.entry(e).or_default() += 1;
        total_expected += 1;
    }
    let (mut hits, mut total_found) = (0, 0);
    for f in found {
        total_found += 1;
        if let Some(n) = want.get_mut(&f).filter(|n| **n > 0) {
            *n -= 1;
            hits += 1;
        }
    }
    if total_expected + total_found == 0 {
        return 1.0;
    }
    2.0 * hits as f64 / (total_expected + total_found) as f64
}

fn entities(d: &DocumentAnalysis) -> Vec<(String, String)> {
    d.entities.iter().map(|e| (format!("{:?}", e.kind), e.canonical.to_string())).collect()
}

#[test]
fn every_format_gives_the_text_versions_document() {
    let reference = analyse(&CorpusSource::Bundled);
    let dir = tempfile::tempdir().expect("temp dir");
    for doc in &reference.documents {
        std::fs::write(dir.path().join(format!("{}.html", doc.id)), html_page(doc, "utf-8")).expect("write");
        let page = html_page(doc, "gb2312");
        let (gbk, _, _) = encoding_rs::GBK.encode(&page);
        std::fs::write(dir.path().join(format!("{}-gbk.htm", doc.id)), &gbk).expect("write");
        std::fs::write(dir.path().join(format!("{}.pdf", doc.id)), pdf_file(doc)).expect("write");
        std::fs::write(dir.path().join(format!("{}.docx", doc.id)), docx_file(doc)).expect("write");
    }
    let converted = analyse(&CorpusSource::Paths(vec![dir.path().to_path_buf()]));
    assert!(converted.errors.is_empty(), "{:?}", converted.errors);
    assert_eq!(converted.documents.len(), reference.documents.len() * 4);
    let mut report = Vec::new();
    for doc in &converted.documents {
        let file_stem = doc.source.rsplit_once('.').map_or(doc.source.as_str(), |(stem, _)| stem);
        let stem = file_stem.trim_end_matches("-gbk");
        let original = reference.documents.iter().find(|d| d.id == stem).expect("its text version");
        // Paragraphs as shown: a tab in a web page's paragraph shows as a
        // space, and a space beside a Chinese character is spacing that a
        // PDF loses where it falls at a line's end.
        let shown = |t: &str| {
            let chars: Vec<char> = t.split_whitespace().collect::<Vec<_>>().join(" ").chars().collect();
            let cjk = |c: Option<&char>| {
                c.is_some_and(|c| ('\u{2e80}'..='\u{9fff}').contains(c) || ('\u{ff00}'..='\u{ffef}').contains(c))
            };
            (0..chars.len())
                .filter(|&i| chars[i] != ' ' || !(cjk(chars.get(i.wrapping_sub(1))) || cjk(chars.get(i + 1))))
                .map(|i| chars[i])
                .collect::<String>()
        };
        let paragraphs = f1(original.paragraphs.iter().map(|p| shown(&p.text)), doc.paragraphs.iter().map(|p| shown(&p.text)));
        let entity_f1 = f1(entities(original), entities(doc));
        report.push(format!("{} {:?}: paragraphs {paragraphs:.3}, entities {entity_f1:.3}", doc.source, doc.origin.format));
        if paragraphs < 0.95 {
            let want: Vec<String> = original.paragraphs.iter().map(|p| shown(&p.text)).collect();
            let got: Vec<String> = doc.paragraphs.iter().map(|p| shown(&p.text)).collect();
            let missing: Vec<&String> = want.iter().filter(|w| !got.contains(w)).collect();
            let extra: Vec<&String> = got.iter().filter(|g| !want.contains(g)).collect();
            panic!("{}: paragraph F1 {paragraphs:.3}\nmissing {missing:#?}\nextra {extra:#?}", doc.source);
        }
        assert!(entity_f1 >= 0.97, "{}: entity F1 {entity_f1:.3}", doc.source);
        assert_eq!(doc.title, original.title, "{}", doc.source);
        assert_eq!(doc.kind, original.kind, "{}", doc.source);
        let frame = |d: &DocumentAnalysis| d.meeting.as_ref().map(|m| (m.start.clone(), m.end.clone(), m.place.clone()));
        assert_eq!(frame(doc), frame(original), "{}", doc.source);
        for p in &doc.paragraphs {
            for f in FURNITURE {
                assert!(!p.text.contains(f), "{}: furniture {f:?} in {:?}", doc.source, p.text);
            }
        }
        match doc.origin.format {
            SourceFormat::Html => {
                assert_eq!(doc.origin.published.as_deref(), Some("2024-07-05 09:30:00"), "{}", doc.source);
                assert_eq!(doc.origin.url.as_deref(), Some(format!("https://www.example.cn/politics/{stem}.html").as_str()));
            }
            SourceFormat::Pdf => {
                let pages: Vec<u32> =
                    doc.paragraphs.iter().map(|p| p.page.expect("every PDF paragraph has a page").get()).collect();
                assert_eq!(pages[0], 1);
                assert!(pages.windows(2).all(|w| w[0] <= w[1]), "{}: pages in order: {pages:?}", doc.source);
                assert!(pages.last() > Some(&1), "{}: a long document spans pages", doc.source);
            }
            SourceFormat::Docx => {}
            other => panic!("{}: unexpected format {other:?}", doc.source),
        }
    }
    eprintln!("{}", report.join("\n"));
}

#[test]
fn a_pdf_paragraph_cites_its_page_in_the_note_export() {
    let paragraphs: Vec<(Option<u8>, String)> = (1..=40)
        .map(|i| (None, format!("第{i}段：各方同意在上海合作组织框架内深化务实合作，推动安全、经济和人文领域协作取得新进展。")))
        .collect();
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("汇编.pdf");
    std::fs::write(&path, pdf(&paginate(&paragraphs, "文件汇编", 38))).expect("write");
    let analysis = analyse(&CorpusSource::Paths(vec![path]));
    let doc = &analysis.documents[0];
    let last = doc.paragraphs.last().expect("paragraphs");
    assert!(last.text.starts_with("第40段"), "{:?}", last.text);
    let page = last.page.expect("a page").get();
    assert!(page >= 3, "the 40th paragraph is on a later page: {page}");
    let citation = sco_reader::export::page_citation(doc, doc.paragraphs.len() - 1);
    assert_eq!(citation.as_deref(), Some(format!("p. {page}").as_str()));
}

#[test]
fn a_note_on_a_pdf_paragraph_exports_with_its_page_from_the_real_binary() {
    let paragraphs: Vec<(Option<u8>, String)> = (1..=40)
        .map(|i| (None, format!("第{i}段：各方同意在上海合作组织框架内深化务实合作，推动安全、经济和人文领域协作取得新进展。")))
        .collect();
    let dir = tempfile::tempdir().expect("temp dir");
    let corpus = dir.path().join("corpus");
    std::fs::create_dir(&corpus).expect("mkdir");
    std::fs::write(corpus.join("汇编.pdf"), pdf(&paginate(&paragraphs, "文件汇编", 38))).expect("write");
    let run = |args: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_sco-reader"))
            .args(args)
            .env("SCO_READER_DATA_DIR", dir.path().join("data"))
            .output()
            .expect("run")
    };
    let corpus_arg = corpus.to_str().expect("path");
    let analysis: serde_json::Value =
        serde_json::from_slice(&run(&["analyze", corpus_arg, "--json"]).stdout).expect("analysis json");
    let doc = &analysis["documents"][0];
    let last = doc["paragraphs"].as_array().expect("paragraphs").len() - 1;
    let page = doc["paragraphs"][last]["page"].as_u64().expect("a page");
    assert!(page >= 3);
    let added = run(&[
        "notes",
        "add",
        "--corpus",
        corpus_arg,
        "--doc",
        "汇编",
        "--paragraph",
        &last.to_string(),
        "--start",
        "0",
        "--end",
        "4",
        "--text",
        "末段",
    ]);
    assert_eq!(added.status.code(), Some(0), "{}", String::from_utf8_lossy(&added.stderr));
    let md = String::from_utf8(run(&["notes", "export", "--corpus", corpus_arg, "--format", "md"]).stdout).expect("utf8");
    assert!(md.contains(&format!("### ¶{} · p. {page}", last + 1)), "{md}");
    let json: serde_json::Value =
        serde_json::from_slice(&run(&["notes", "export", "--corpus", corpus_arg, "--format", "json"]).stdout).expect("json");
    let note = &json["first"]["items"][0];
    assert_eq!(note["sco:document"]["page"], page, "{json}");
    assert_eq!(note["sco:document"]["paragraph"], last);
    assert!(note["target"]["source"].as_str().is_some_and(|s| s.ends_with(&format!("&p={last}"))), "{json}");
}
