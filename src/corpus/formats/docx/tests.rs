//! Tests of the Word converter on documents built in memory.

use super::*;

use crate::corpus::formats::make_docs::{DocxBlock, docx, para};

#[test]
fn paragraphs_headings_and_tables_come_out_in_order() {
    let file = docx(&[
        para(Some("a3"), "上海合作组织成员国元首理事会宣言"),
        para(None, "成员国元首于2019年6月14日在比什凯克举行会议。"),
        para(Some("1"), "一、国际形势"),
        DocxBlock::Paragraph {
            style: None,
            runs: vec!["各方认为，".to_owned(), "当今世界正经历百年未有之大变局，\n各国相互依存日益加深。".to_owned()],
        },
        para(Some("2"), "（一）安全合作"),
        DocxBlock::Table(vec![
            vec!["文件".to_owned(), "签署地".to_owned()],
            vec!["《上海合作组织宪章》".to_owned(), "圣彼得堡".to_owned()],
        ]),
        para(None, "   "),
        para(Some("3"), "附件"),
    ]);
    let c = convert(&file).expect("converts");
    assert_eq!(
        c.text,
        "# 上海合作组织成员国元首理事会宣言\n\n成员国元首于2019年6月14日在比什凯克举行会议。\n\n# 一、国际形势\n\n\
         各方认为，当今世界正经历百年未有之大变局，\n各国相互依存日益加深。\n\n## （一）安全合作\n\n\
         文件 | 签署地\n\n《上海合作组织宪章》 | 圣彼得堡\n\n### 附件"
    );
    assert_eq!(c.layout, Layout::Blocks);
    assert_eq!(c.origin.format, SourceFormat::Docx);
}

#[test]
fn revisions_and_field_codes_keep_only_the_text_shown() {
    let xml = r#"<w:document xmlns:w="w"><w:body>
        <w:p><w:r><w:t>会议在</w:t></w:r><w:del><w:r><w:delText>上海</w:delText></w:r></w:del>
        <w:ins><w:r><w:t>北京</w:t></w:r></w:ins><w:r><w:fldChar w:fldCharType="begin"/></w:r>
        <w:r><w:instrText> PAGE </w:instrText></w:r><w:r><w:t xml:space="preserve">举行&amp;闭幕&#x3002;</w:t></w:r></w:p>
        </w:body></w:document>"#;
    let blocks = body_blocks(xml, &FxHashMap::default()).expect("parses");
    assert_eq!(blocks, vec![(None, "会议在北京举行&闭幕。".to_owned())]);
}

#[test]
fn broken_archives_are_clear_errors() {
    let whole = docx(&[para(None, "上海合作组织")]);
    for cut in [0, 10, whole.len() / 2, whole.len() - 5] {
        let err = convert(&whole[..cut]).expect_err("cut short");
        assert!(err.to_string().starts_with("Word (.docx) file cannot be read"), "{err}");
    }
    // A ZIP without the Word part.
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    zip.start_file("a.txt", zip::write::SimpleFileOptions::default()).expect("start");
    let other = zip.finish().expect("zip").into_inner();
    assert!(convert(&other).expect_err("no document").to_string().contains("word/document.xml"));
    // Malformed XML.
    let bad = body_blocks("<w:document><w:body><w:p><w:t>上合</w:p></w:body>", &FxHashMap::default());
    assert!(bad.is_err());
    assert_eq!(convert(&docx(&[para(None, " ")])).map(|_| ()), Err(ConvertError::Empty(SourceFormat::Docx)));
}

/// A `.docx` written by LibreOffice: its own styles part, runs split by
/// language, settings and fonts parts beside the document.
#[test]
fn a_word_processors_file_reads_as_its_text() {
    let c = convert(include_bytes!("../../../../tests/fixtures/formats/libreoffice.docx")).expect("converts");
    let blocks: Vec<&str> = c.text.split("\n\n").collect();
    assert_eq!(blocks.len(), 4, "{}", c.text);
    assert_eq!(blocks[0], "# 上海合作组织成员国外交部长理事会会议新闻公报");
    assert_eq!(blocks[3], "会议批准了《上海合作组织成员国外交部间2019—2020年磋商计划》。");
}
