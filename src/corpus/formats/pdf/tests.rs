//! Tests of the PDF converter on PDFs built in memory with the shapes of
//! real ones: CID fonts with `ToUnicode` maps, glyph-by-glyph placement,
//! running headers and page numbers.

use super::*;

use crate::corpus::formats::make_docs::{PdfLine, paginate, pdf, scanned_pdf};

fn text_of(bytes: &[u8]) -> Converted {
    convert(bytes).expect("a PDF with a text layer converts")
}

#[test]
fn lines_come_out_in_reading_order_with_a_gap_between_paragraphs() {
    let page = vec![
        PdfLine::at("上海合作组织成员国元首理事会会议", 72.0, 100.0),
        PdfLine::at("在阿斯塔纳举行。", 72.0, 120.0),
        // Drawn first in the content stream, but lower on the page.
        PdfLine::at("会议通过了宣言。", 96.0, 160.0),
    ];
    let mut shuffled = page.clone();
    shuffled.rotate_left(2);
    let c = text_of(&pdf(&[shuffled]));
    assert_eq!(c.text, "上海合作组织成员国元首理事会会议\n在阿斯塔纳举行。\n\n会议通过了宣言。");
    assert_eq!(c.layout, Layout::Paragraphs);
    assert_eq!(c.origin.format, SourceFormat::Pdf);
    assert_eq!(c.page_starts, vec![0]);
}

#[test]
fn glyph_by_glyph_spacing_does_not_survive() {
    let spaced = PdfLine { glyph_by_glyph: true, letter_spacing: 400.0, ..PdfLine::at("上海合作组织峰会", 72.0, 100.0) };
    let tj = PdfLine { letter_spacing: 300.0, ..PdfLine::at("成员国元首理事会", 72.0, 120.0) };
    let mixed = PdfLine { glyph_by_glyph: true, ..PdfLine::at("2019年6月14日", 72.0, 140.0) };
    let c = text_of(&pdf(&[vec![spaced, tj, mixed]]));
    let lines: Vec<&str> = c.text.lines().collect();
    assert_eq!(lines, ["上海合作组织峰会", "成员国元首理事会", "2019年6月14日"], "{:?}", c.text);
}

#[test]
fn running_headers_and_page_numbers_are_removed_and_pages_recorded() {
    let paragraphs: Vec<(Option<u8>, String)> = (1..=30)
        .map(|i| (None, format!("第{i}段：成员国领导人就深化上海合作组织框架内的务实合作交换了意见，一致同意加强安全、经济和人文领域的协作，推动本组织持续健康发展。")))
        .collect();
    let pages = paginate(&paragraphs, "上海合作组织成员国元首理事会会议文件汇编", 36);
    assert!(pages.len() >= 3, "the fixture spans pages: {}", pages.len());
    let c = text_of(&pdf(&pages));
    assert!(!c.text.contains("文件汇编"), "running header left: {}", c.text);
    assert!(!c.text.lines().any(|l| l.starts_with("- ")), "page number left: {}", c.text);
    assert_eq!(c.removed_lines, pages.len() * 2);
    assert_eq!(c.page_starts.len(), pages.len());
    // Each page's first line is where the record says.
    let lines: Vec<&str> = c.text.lines().collect();
    for (n, &start) in c.page_starts.iter().enumerate() {
        let expected = &pages[n][1].text;
        assert_eq!(lines[start as usize], expected, "page {}", n + 1);
    }
}

#[test]
fn a_header_on_two_pages_is_furniture_but_a_repeated_sentence_is_not() {
    let page = |n: usize, body: &str| {
        vec![
            PdfLine::at("外交部文件", 250.0, 40.0),
            PdfLine::at(body, 72.0, 100.0),
            PdfLine::at("各方表示满意。", 72.0, 120.0),
            PdfLine::at(&format!("第 {n} 页 共 2 页"), 260.0, 815.0),
        ]
    };
    let c = text_of(&pdf(&[page(1, "会议在北京举行。"), page(2, "会议在上海举行。")]));
    assert_eq!(c.text, "会议在北京举行。\n各方表示满意。\n会议在上海举行。\n各方表示满意。");
}

#[test]
fn scans_and_broken_files_are_clear_errors() {
    assert_eq!(convert(&scanned_pdf(3)).map(|_| ()), Err(ConvertError::Scanned { pages: 3 }));
    let err = convert(b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF").expect_err("broken");
    assert!(err.to_string().starts_with("PDF file cannot be read"), "{err}");
    // Cut short: every prefix is an error or a document, never a panic.
    let whole = pdf(&[vec![PdfLine::at("上海合作组织", 72.0, 100.0)]]);
    for cut in (0..whole.len()).step_by(97) {
        let _ = convert(&whole[..cut]);
    }
}

#[test]
fn a_slow_reader_is_stopped_at_the_limit() {
    let started = std::time::Instant::now();
    let result = guarded(Duration::from_millis(50), || std::thread::sleep(Duration::from_secs(2)));
    assert!(result.is_err());
    assert!(started.elapsed() < Duration::from_secs(1));
    let panicked = guarded(Duration::from_secs(5), || -> u32 { panic!("bad xref") });
    assert!(panicked.expect_err("a panic is an error").to_string().contains("bad xref"));
}

#[test]
fn paragraphs_follow_the_page_geometry_across_pages() {
    let full = |i: usize| format!("第{i}行各方同意在上海合作组织框架内深化务实合作推动安全人文");
    let line = |text: &str, x: f64, top: f64| PdfLine::at(text, x, top);
    let page1: Vec<PdfLine> = (0..5).map(|i| line(&full(i), 72.0, 100.0 + 20.0 * i as f64)).collect();
    // The paragraph runs on to page 2 (no indent), ends short; a signature
    // block of short lines follows, each its own line.
    let page2 = vec![
        line("领域合作。", 72.0, 100.0),
        line("中华人民共和国主席", 72.0, 120.0),
        line("习近平", 72.0, 140.0),
        line("2014年9月12日于杜尚别", 72.0, 160.0),
    ];
    let c = text_of(&pdf(&[page1, page2]));
    let cleaned = crate::clean::clean_as(&c.text, c.layout, crate::knowledge::bundled());
    let texts: Vec<&str> = cleaned.paragraphs.iter().map(|p| p.text.as_str()).collect();
    assert_eq!(texts.len(), 4, "{texts:?}");
    assert_eq!(texts[0], format!("{}领域合作。", (0..5).map(full).collect::<String>()));
    assert_eq!(&texts[1..], ["中华人民共和国主席", "习近平", "2014年9月12日于杜尚别"]);
}

/// A PDF written by LibreOffice from a Word file: a subset CJK font with
/// its `ToUnicode` map, the title in a larger heading style, the quarter-em
/// gaps typesetters put between Chinese and digits.
#[test]
fn a_word_processors_pdf_reads_as_its_text() {
    let bytes = include_bytes!("../../../../tests/fixtures/formats/libreoffice.pdf");
    let c = text_of(bytes);
    let cleaned = crate::clean::clean_as(&c.text, c.layout, crate::knowledge::bundled());
    let paragraphs: Vec<(Option<u8>, &str)> = cleaned.paragraphs.iter().map(|p| (p.heading, p.text.as_str())).collect();
    assert_eq!(
        paragraphs,
        [
            (Some(1), "上海合作组织成员国外交部长理事会会议新闻公报"),
            (
                None,
                "2019年5月22日，上海合作组织成员国外交部长理事会会议在比什凯克举行。吉尔吉斯共和国外交部长艾达尔别科夫主持会议。"
            ),
            (
                None,
                "外长们指出，应继续落实2007年8月16日在比什凯克签署的《上海合作组织成员国长期睦邻友好合作条约》，推动本组织各领域合作取得新进展，维护地区和平、安全与稳定。"
            ),
            (None, "会议批准了《上海合作组织成员国外交部间2019—2020年磋商计划》。"),
        ]
    );
}

/// Found by the `formats` fuzz target: a font dictionary pointing at an
/// object that is not there makes the extractor panic; the panic is
/// contained and the file reported as damaged.
#[test]
fn a_panic_inside_the_extractor_is_a_damaged_file() {
    let bytes = include_bytes!("../../../../tests/fixtures/formats/damaged-font-reference.pdf");
    let err = convert(bytes).expect_err("damaged");
    assert!(err.to_string().contains("damaged or unsupported structure"), "{err}");
}
