//! Hostile inputs: each gets a sensible result (analysed, or reported in
//! `errors` with a reason), the rest of the folder still loads, and nothing
//! panics, hangs or grows without bound. Runs the real binary on a folder of
//! every input class.

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

const GOOD: &str = "上海合作组织成员国外交部长理事会会议新闻公报\n\n2019年5月22日，会议在比什凯克举行。\n";

fn write(dir: &Path, name: &str, bytes: &[u8]) {
    std::fs::write(dir.join(name), bytes).expect("write");
}

fn hostile_folder(dir: &Path) {
    write(dir, "good.txt", GOOD.as_bytes());
    write(dir, "empty.txt", b"");
    write(dir, "whitespace.txt", b"   \n\t\n\r\n  \xe3\x80\x80 \n");
    write(dir, "binary.txt", &(0..4096u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8).collect::<Vec<u8>>());
    let mut nul = GOOD.as_bytes().to_vec();
    nul.insert(20, 0);
    write(dir, "nul-inside.txt", &nul);
    let mut invalid = GOOD.repeat(50).into_bytes();
    invalid.insert(40, 0xFF);
    write(dir, "invalid-utf8.txt", &invalid);
    let mut utf16 = vec![0xFF, 0xFE];
    utf16.extend(GOOD.encode_utf16().flat_map(u16::to_le_bytes));
    write(dir, "utf16-bom.txt", &utf16);
    write(dir, "utf16-nobom.txt", &GOOD.encode_utf16().flat_map(u16::to_be_bytes).collect::<Vec<u8>>());
    let three = GOOD.repeat(3);
    let (gbk, _, _) = encoding_rs::GBK.encode(&three);
    write(dir, "gbk.txt", &gbk);
    write(dir, "lone-cr.txt", GOOD.replace('\n', "\r").as_bytes());
    write(dir, "zero-width-bidi.txt", "上海\u{200b}合作\u{200d}组织\u{202e}会议\u{2066}在\u{feff}北京举行。\n".as_bytes());
    // About 20 MB on one line.
    write(dir, "one-long-line.txt", "上合组织会议在北京举行，各方同意加强合作".repeat(350_000).as_bytes());
    write(dir, "brackets.txt", "《〈".repeat(30_000).as_bytes());
    write(dir, "unbalanced.txt", ("《".repeat(20_000) + &"》".repeat(7_000) + "〉〈").as_bytes());
    write(dir, "runaway.txt", format!("各方签署了《没有结束的标题{}", "很长的正文，".repeat(20_000)).as_bytes());
    // Dense in everything the extractors look at, on one line: no step may be quadratic.
    write(
        dir,
        "dense.txt",
        "《甲协定》2014年1月1日在北京签署的《乙协定》该协定，总理总理外交部长代表在库姆举行（2015年2月3日，新城）"
            .repeat(20_000)
            .as_bytes(),
    );
    // The same for the shapes names are found by: titles after names, compound
    // organisations and their short forms, lists, verbs after transliterations.
    write(
        dir,
        "dense-names.txt",
        "尊敬的拉马福萨总统、上合组织开发银行和禁毒中心、中国—中亚合作论坛，拉马福萨表示，巴基斯坦议会秘书阿巴斯出席，开发银行，上海精神"
            .repeat(20_000)
            .as_bytes(),
    );
    write(dir, "impossible-dates.txt", "2014年13月45日、2015年2月29日、0000年0月0日、9999年99月99日会议。\n".as_bytes());
    write(dir, "空格 与 中文 名.txt", GOOD.as_bytes());
    write(dir, "markdown-bom.md", format!("\u{feff}# 标题\n\n> 引用\n\n{GOOD}").as_bytes());
    write(dir, "deep-markdown.md", (">".repeat(5000) + " 深\n" + &"* ".repeat(3000) + "x\n" + &"[".repeat(10_000)).as_bytes());
    formats(dir);
    #[cfg(unix)]
    {
        std::fs::create_dir(dir.join("loop")).expect("mkdir");
        std::os::unix::fs::symlink(dir, dir.join("loop").join("back")).expect("symlink");
    }
}

/// The converted formats: damaged, lying, nested and compressed beyond reason.
fn formats(dir: &Path) {
    use crate::formats::make_docs::{PdfLine, docx, para, pdf, scanned_pdf};
    let good_pdf = pdf(&[vec![PdfLine::at("上海合作组织成员国外交部长理事会会议在比什凯克举行。", 72.0, 100.0)]]);
    write(dir, "truncated.pdf", &good_pdf[..good_pdf.len() / 2]);
    write(dir, "not-a.pdf", GOOD.as_bytes());
    write(dir, "scan.pdf", &scanned_pdf(2));
    // A PDF without its extension, and a page saved as `.txt`: read as what they are.
    write(dir, "no-extension", &good_pdf);
    write(dir, "page-saved-as.txt", format!("<!DOCTYPE html><html><body><nav>首页</nav><p>{GOOD}</p></body></html>").as_bytes());
    let good_docx = docx(&[para(None, GOOD)]);
    write(dir, "truncated.docx", &good_docx[..good_docx.len() - 30]);
    write(dir, "random.docx", &(0..2048u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 7) as u8).collect::<Vec<u8>>());
    write(dir, "old.doc", b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1 an OLE2 compound file");
    // A ZIP bomb: 100 MB of document XML in about 100 KB.
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let deflated = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    zip.start_file("word/document.xml", deflated).expect("zip");
    let chunk = vec![b' '; 1 << 20];
    for _ in 0..100 {
        std::io::Write::write_all(&mut zip, &chunk).expect("zip");
    }
    write(dir, "bomb.docx", &zip.finish().expect("zip").into_inner());
    write(dir, "deep.html", ("<div>".repeat(100_000) + "上合组织会议在北京举行。" + &"</div>".repeat(100_000)).as_bytes());
    write(dir, "tags-only.html", "<html><head><title>x</title><script>1</script></head><body></body></html>".as_bytes());
    let page = format!(
        "<html><head><meta charset=gbk></head><body><article><h1>外长会议新闻公报</h1><p>{GOOD}</p></article></body></html>"
    );
    write(dir, "gbk-page.htm", &encoding_rs::GBK.encode(&page).0);
}

#[test]
fn every_hostile_input_gets_a_sensible_result() {
    let tmp = tempfile::tempdir().expect("tmp");
    let dir = tmp.path();
    hostile_folder(dir);
    let started = Instant::now();
    let out = Command::new(env!("CARGO_BIN_EXE_sco-reader"))
        .args(["analyze", "--json"])
        .arg(dir)
        .env("SCO_READER_DATA_DIR", dir.join(".data"))
        .output()
        .expect("run");
    assert!(started.elapsed() < Duration::from_secs(120), "took {:?}", started.elapsed());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let errors: Vec<(String, String)> = v["errors"]
        .as_array()
        .expect("errors")
        .iter()
        .map(|e| (e["source"].as_str().unwrap_or("").to_owned(), e["message"].as_str().unwrap_or("").to_owned()))
        .collect();
    let docs: Vec<&str> = v["documents"].as_array().expect("documents").iter().filter_map(|d| d["source"].as_str()).collect();
    let reason = |name: &str| errors.iter().find(|(s, _)| s.ends_with(name)).map(|(_, m)| m.clone());
    // Reported, with a reason.
    assert!(reason("empty.txt").is_some_and(|m| m.contains("empty")), "{errors:?}");
    assert!(reason("whitespace.txt").is_some());
    assert!(reason("binary.txt").is_some_and(|m| m.contains("binary")));
    assert!(errors.iter().any(|(s, m)| s.contains("loop") && m.contains("loop")), "{errors:?}");
    assert!(reason("truncated.pdf").is_some_and(|m| m.starts_with("PDF file cannot be read")), "{errors:?}");
    assert!(reason("not-a.pdf").is_some_and(|m| m.starts_with("PDF file cannot be read")), "{errors:?}");
    assert!(reason("scan.pdf").is_some_and(|m| m.contains("scanned") && m.contains("OCR")), "{errors:?}");
    assert!(reason("truncated.docx").is_some_and(|m| m.starts_with("Word (.docx) file cannot be read")), "{errors:?}");
    assert!(reason("random.docx").is_some_and(|m| m.starts_with("Word (.docx) file cannot be read")), "{errors:?}");
    assert!(reason("bomb.docx").is_some_and(|m| m.contains("MiB uncompressed")), "{errors:?}");
    assert!(reason("old.doc").is_some_and(|m| m.contains(".docx")), "{errors:?}");
    assert!(reason("tags-only.html").is_some_and(|m| m.contains("no text")), "{errors:?}");
    // Every error is one line.
    assert!(errors.iter().all(|(_, m)| !m.contains('\n')), "{errors:?}");
    // Analysed.
    for name in [
        "good.txt",
        "invalid-utf8.txt",
        "utf16-bom.txt",
        "utf16-nobom.txt",
        "gbk.txt",
        "lone-cr.txt",
        "zero-width-bidi.txt",
        "one-long-line.txt",
        "brackets.txt",
        "unbalanced.txt",
        "runaway.txt",
        "impossible-dates.txt",
        "dense.txt",
        "dense-names.txt",
        "空格 与 中文 名.txt",
        "markdown-bom.md",
        "deep-markdown.md",
        "no-extension",
        "page-saved-as.txt",
        "deep.html",
        "gbk-page.htm",
    ] {
        assert!(docs.contains(&name), "{name} not analysed; errors: {errors:?}");
    }
    let doc = |name: &str| v["documents"].as_array().and_then(|a| a.iter().find(|d| d["source"] == name)).expect("doc").clone();
    // NUL inside text is binary-like: reported, not half-read.
    assert!(reason("nul-inside.txt").is_some() || docs.contains(&"nul-inside.txt"));
    // Invisible characters are gone from the text.
    let zw = doc("zero-width-bidi.txt");
    assert_eq!(zw["paragraphs"][0]["text"], "上海合作组织会议在北京举行。");
    // No impossible date.
    let dates: Vec<String> = doc("impossible-dates.txt")["entities"]
        .as_array()
        .expect("entities")
        .iter()
        .filter(|e| e["kind"] == "date")
        .map(|e| e["canonical"].as_str().unwrap_or("").to_owned())
        .collect();
    assert!(dates.is_empty(), "{dates:?}");
    // A runaway title does not swallow the document.
    assert!(doc("runaway.txt")["citations"].as_array().is_some_and(Vec::is_empty));
    // Formats read as what they are, whatever their name says.
    assert_eq!(doc("no-extension")["origin"]["format"], "pdf");
    assert_eq!(doc("page-saved-as.txt")["origin"]["format"], "html");
    assert_eq!(doc("gbk-page.htm")["title"], "外长会议新闻公报");
    assert_eq!(doc("gbk-page.htm")["meeting"]["place"], "比什凯克");
    // The good file's analysis is the same as alone.
    assert_eq!(doc("good.txt")["meeting"]["place"], "比什凯克");
}

#[test]
fn the_library_never_panics_on_arbitrary_bytes() {
    // A cheap stand-in for the fuzz targets (fuzz/), run in every test pass.
    let mut seed: u64 = 42;
    let alphabet = "《》〈〉<>（）()，。、；：年月日至－-0123456789上合组织总理主席签署的在于\n\n \t#>*_[]`\u{200b}\u{feff}\r"
        .chars()
        .collect::<Vec<char>>();
    for round in 0..300 {
        let len = (round * 37) % 700;
        let mut text = String::new();
        for _ in 0..len {
            seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
            text.push(alphabet[(seed >> 33) as usize % alphabet.len()]);
        }
        let _ = sco_reader::corpus::decode_bytes(text.as_bytes());
        let raw = sco_reader::corpus::RawDocument::from_text("x", text, round % 2 == 0);
        let a = sco_reader::analysis::analyze_loaded(
            sco_reader::corpus::Loaded { documents: vec![raw], errors: Vec::new() },
            sco_reader::knowledge::bundled(),
            &|_| {},
        );
        for d in &a.documents {
            for e in &d.entities {
                let n = d.paragraphs[e.paragraph()].text.chars().count();
                assert!(e.start < e.end() && e.chars().end <= n, "round {round}: {e:?}");
            }
        }
    }
}

#[test]
fn files_above_the_size_cap_are_reported_not_read() {
    let tmp = tempfile::tempdir().expect("tmp");
    write(tmp.path(), "good.txt", GOOD.as_bytes());
    write(tmp.path(), "too-big.txt", &vec![b'a'; 1_200_000]);
    let out = Command::new(env!("CARGO_BIN_EXE_sco-reader"))
        .args(["analyze", "--json", "--max-file-mib", "1"])
        .arg(tmp.path())
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(v["documents"].as_array().map(Vec::len), Some(1));
    assert!(v["errors"][0]["message"].as_str().is_some_and(|m| m.contains("size cap")));
}
