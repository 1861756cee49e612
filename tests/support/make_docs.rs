//! Builds PDF and Word files in memory for the tests, with the structure
//! real ones have: a PDF's text drawn line by line in a CID font with a
//! `ToUnicode` map (as Chinese PDFs are), page headers and page numbers
//! placed at the page edges; a `.docx` with styles, headings and tables.
//! Shared by the unit tests (through `#[path]`) and the integration tests.

#![allow(dead_code, clippy::unwrap_used, reason = "test support: a failure here is a broken test")]

use std::io::Write as _;

/// One line drawn on a PDF page.
#[derive(Clone, Debug)]
pub struct PdfLine {
    /// The text.
    pub text: String,
    /// Left edge, in points.
    pub x: f64,
    /// Distance of the baseline from the top of the page, in points.
    pub top: f64,
    /// Font size, in points.
    pub size: f64,
    /// Extra advance after each glyph, in thousandths of an em (a `TJ`
    /// adjustment, as glyph-spaced PDFs place their characters).
    pub letter_spacing: f64,
    /// Whether each glyph is drawn by a `Tj` of its own at its own position.
    pub glyph_by_glyph: bool,
}

impl PdfLine {
    /// A line of 12-point text at `(x, top)`.
    pub fn at(text: &str, x: f64, top: f64) -> Self {
        Self { text: text.to_owned(), x, top, size: 12.0, letter_spacing: 0.0, glyph_by_glyph: false }
    }
}

/// Page height used by [`pdf`] (A4).
pub const PAGE_HEIGHT: f64 = 842.0;

/// A PDF with these pages, each a list of lines. Glyphs are 2-byte codes
/// equal to their Unicode value (BMP only), every glyph one em wide.
pub fn pdf(pages: &[Vec<PdfLine>]) -> Vec<u8> {
    use pdf_extract::{Dictionary, Document, Object, Stream, StringFormat};
    let mut doc = Document::with_version("1.7");
    let cmap = "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n/CMapName /Test-UCS def\n/CMapType 2 def\n\
                1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n\
                1 beginbfrange\n<0000> <FFFF> <0000>\nendbfrange\nendcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n";
    let to_unicode = doc.add_object(Stream::new(Dictionary::new(), cmap.as_bytes().to_vec()));
    let mut descriptor = Dictionary::new();
    descriptor.set("Type", Object::Name(b"FontDescriptor".to_vec()));
    descriptor.set("FontName", Object::Name(b"TestSong".to_vec()));
    descriptor.set("Flags", Object::Integer(4));
    descriptor.set("FontBBox", Object::Array(vec![0.into(), (-200).into(), 1000.into(), 900.into()]));
    descriptor.set("ItalicAngle", Object::Integer(0));
    descriptor.set("Ascent", Object::Integer(880));
    descriptor.set("Descent", Object::Integer(-120));
    descriptor.set("CapHeight", Object::Integer(700));
    descriptor.set("StemV", Object::Integer(80));
    let descriptor = doc.add_object(descriptor);
    let mut system = Dictionary::new();
    system.set("Registry", Object::String(b"Adobe".to_vec(), StringFormat::Literal));
    system.set("Ordering", Object::String(b"Identity".to_vec(), StringFormat::Literal));
    system.set("Supplement", Object::Integer(0));
    let mut cid_font = Dictionary::new();
    cid_font.set("Type", Object::Name(b"Font".to_vec()));
    cid_font.set("Subtype", Object::Name(b"CIDFontType2".to_vec()));
    cid_font.set("BaseFont", Object::Name(b"TestSong".to_vec()));
    cid_font.set("CIDSystemInfo", Object::Dictionary(system));
    cid_font.set("FontDescriptor", Object::Reference(descriptor));
    cid_font.set("DW", Object::Integer(1000));
    let cid_font = doc.add_object(cid_font);
    let mut font = Dictionary::new();
    font.set("Type", Object::Name(b"Font".to_vec()));
    font.set("Subtype", Object::Name(b"Type0".to_vec()));
    font.set("BaseFont", Object::Name(b"TestSong".to_vec()));
    font.set("Encoding", Object::Name(b"Identity-H".to_vec()));
    font.set("DescendantFonts", Object::Array(vec![Object::Reference(cid_font)]));
    font.set("ToUnicode", Object::Reference(to_unicode));
    let font = doc.add_object(font);
    let pages_id = doc.new_object_id();
    let mut kids = Vec::new();
    for lines in pages {
        let mut content = String::new();
        for line in lines {
            let y = PAGE_HEIGHT - line.top;
            let hex = |s: &str| s.encode_utf16().map(|u| format!("{u:04X}")).collect::<String>();
            if line.glyph_by_glyph {
                let mut x = line.x;
                for c in line.text.chars() {
                    content.push_str(&format!("BT /F1 {} Tf {x:.2} {y:.2} Td <{}> Tj ET\n", line.size, hex(&c.to_string())));
                    x += line.size * (1000.0 + line.letter_spacing) / 1000.0;
                }
            } else if line.letter_spacing != 0.0 {
                let parts: Vec<String> =
                    line.text.chars().map(|c| format!("<{}> {}", hex(&c.to_string()), -line.letter_spacing)).collect();
                content.push_str(&format!("BT /F1 {} Tf {:.2} {y:.2} Td [{}] TJ ET\n", line.size, line.x, parts.join(" ")));
            } else {
                content.push_str(&format!("BT /F1 {} Tf {:.2} {y:.2} Td <{}> Tj ET\n", line.size, line.x, hex(&line.text)));
            }
        }
        let content = doc.add_object(Stream::new(Dictionary::new(), content.into_bytes()));
        let mut fonts = Dictionary::new();
        fonts.set("F1", Object::Reference(font));
        let mut resources = Dictionary::new();
        resources.set("Font", Object::Dictionary(fonts));
        kids.push(page(&mut doc, pages_id, resources, content));
    }
    finish(doc, pages_id, kids)
}

/// A scanned PDF: pages holding only an image, no text.
pub fn scanned_pdf(pages: usize) -> Vec<u8> {
    use pdf_extract::{Dictionary, Document, Object, Stream};
    let mut doc = Document::with_version("1.7");
    let pages_id = doc.new_object_id();
    let mut kids = Vec::new();
    for _ in 0..pages {
        let mut image = Dictionary::new();
        image.set("Type", Object::Name(b"XObject".to_vec()));
        image.set("Subtype", Object::Name(b"Image".to_vec()));
        image.set("Width", Object::Integer(2));
        image.set("Height", Object::Integer(2));
        image.set("ColorSpace", Object::Name(b"DeviceGray".to_vec()));
        image.set("BitsPerComponent", Object::Integer(8));
        let image = doc.add_object(Stream::new(image, vec![0, 255, 255, 0]));
        let mut xobjects = Dictionary::new();
        xobjects.set("Im1", Object::Reference(image));
        let mut resources = Dictionary::new();
        resources.set("XObject", Object::Dictionary(xobjects));
        let content = doc.add_object(Stream::new(Dictionary::new(), b"q 595 0 0 842 0 0 cm /Im1 Do Q\n".to_vec()));
        kids.push(page(&mut doc, pages_id, resources, content));
    }
    finish(doc, pages_id, kids)
}

/// An A4 page under `pages_id` with these resources and content stream.
fn page(
    doc: &mut pdf_extract::Document,
    pages_id: pdf_extract::ObjectId,
    resources: pdf_extract::Dictionary,
    content: pdf_extract::ObjectId,
) -> pdf_extract::Object {
    use pdf_extract::{Dictionary, Object};
    let mut page = Dictionary::new();
    page.set("Type", Object::Name(b"Page".to_vec()));
    page.set("Parent", Object::Reference(pages_id));
    page.set("MediaBox", Object::Array(vec![0.into(), 0.into(), 595.into(), Object::Real(PAGE_HEIGHT as f32)]));
    page.set("Resources", Object::Dictionary(resources));
    page.set("Contents", Object::Reference(content));
    Object::Reference(doc.add_object(page))
}

/// The page tree of `kids` at `pages_id`, the catalog, and the file's bytes.
fn finish(mut doc: pdf_extract::Document, pages_id: pdf_extract::ObjectId, kids: Vec<pdf_extract::Object>) -> Vec<u8> {
    use pdf_extract::{Dictionary, Object};
    let mut pages_dict = Dictionary::new();
    pages_dict.set("Type", Object::Name(b"Pages".to_vec()));
    pages_dict.set("Count", Object::Integer(kids.len() as i64));
    pages_dict.set("Kids", Object::Array(kids));
    doc.objects.insert(pages_id, Object::Dictionary(pages_dict));
    let mut catalog = Dictionary::new();
    catalog.set("Type", Object::Name(b"Catalog".to_vec()));
    catalog.set("Pages", Object::Reference(pages_id));
    let catalog = doc.add_object(catalog);
    doc.trailer.set("Root", Object::Reference(catalog));
    let mut out = Vec::new();
    doc.save_to(&mut out).unwrap();
    out
}

/// Lays paragraphs out on A4 pages the way a word processor does: lines of
/// `per_line` characters (a first-line indent of two), a wider gap between
/// paragraphs, a running header and a `- n -` page number on every page;
/// a heading (`Some(level)`) is centred and set larger.
pub fn paginate(paragraphs: &[(Option<u8>, String)], header: &str, per_line: usize) -> Vec<Vec<PdfLine>> {
    let (top, bottom, pitch) = (90.0, 760.0, 20.0);
    let mut pages: Vec<Vec<PdfLine>> = Vec::new();
    let mut page: Vec<PdfLine> = Vec::new();
    let mut y = top;
    let finish = |page: &mut Vec<PdfLine>, pages: &mut Vec<Vec<PdfLine>>| {
        let n = pages.len() + 1;
        page.insert(0, PdfLine::at(header, 200.0, 50.0));
        page.push(PdfLine::at(&format!("- {n} -"), 280.0, 810.0));
        pages.push(std::mem::take(page));
    };
    for (heading, text) in paragraphs {
        let chars: Vec<char> = text.chars().collect();
        let (size, width) = if heading.is_some() { (16.0, per_line * 3 / 4) } else { (12.0, per_line) };
        let mut first = true;
        let mut start = 0;
        while start < chars.len() {
            let room = if first && heading.is_none() { width - 2 } else { width };
            let end = (start + room).min(chars.len());
            if y > bottom {
                finish(&mut page, &mut pages);
                y = top;
            }
            let line: String = chars[start..end].iter().collect();
            let x = match (heading, first) {
                (Some(_), _) => 72.0 + (width - (end - start)) as f64 * size / 2.0,
                (None, true) => 72.0 + 2.0 * size,
                (None, false) => 72.0,
            };
            page.push(PdfLine { text: line, x, top: y, size, letter_spacing: 0.0, glyph_by_glyph: false });
            y += pitch;
            first = false;
            start = end;
        }
        y += pitch * 0.6;
    }
    if !page.is_empty() {
        finish(&mut page, &mut pages);
    }
    pages
}

/// One block of a Word document.
#[derive(Clone, Debug)]
pub enum DocxBlock {
    /// A paragraph with an optional style id.
    Paragraph {
        /// `w:pStyle`, e.g. `Heading1`, `Title`.
        style: Option<String>,
        /// Runs of text; a run may hold `\n` (a `w:br`).
        runs: Vec<String>,
    },
    /// A table: rows of cells.
    Table(Vec<Vec<String>>),
}

/// A `.docx` with these blocks and a styles part naming `Title` and
/// `heading 1..3` (localised ids, as Chinese Word writes them: `1`, `2`, `a3`).
pub fn docx(blocks: &[DocxBlock]) -> Vec<u8> {
    let esc = |s: &str| s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;");
    let run = |text: &str| {
        let parts: Vec<String> = text.split('\n').map(|p| format!("<w:t xml:space=\"preserve\">{}</w:t>", esc(p))).collect();
        format!("<w:r><w:rPr><w:rFonts w:hint=\"eastAsia\"/></w:rPr>{}</w:r>", parts.join("<w:br/>"))
    };
    let mut body = String::new();
    for block in blocks {
        match block {
            DocxBlock::Paragraph { style, runs } => {
                body.push_str("<w:p>");
                if let Some(style) = style {
                    body.push_str(&format!("<w:pPr><w:pStyle w:val=\"{style}\"/></w:pPr>"));
                }
                for r in runs {
                    body.push_str(&run(r));
                }
                body.push_str("</w:p>");
            }
            DocxBlock::Table(rows) => {
                body.push_str("<w:tbl><w:tblPr><w:tblW w:w=\"0\" w:type=\"auto\"/></w:tblPr>");
                for row in rows {
                    body.push_str("<w:tr>");
                    for cell in row {
                        body.push_str(&format!(
                            "<w:tc><w:tcPr><w:tcW w:w=\"2000\" w:type=\"dxa\"/></w:tcPr><w:p>{}</w:p></w:tc>",
                            run(cell)
                        ));
                    }
                    body.push_str("</w:tr>");
                }
                body.push_str("</w:tbl>");
            }
        }
    }
    let document = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body>{body}<w:sectPr/></w:body></w:document>"
    );
    let styles = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<w:styles xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">\
        <w:style w:type=\"paragraph\" w:default=\"1\" w:styleId=\"a\"><w:name w:val=\"Normal\"/></w:style>\
        <w:style w:type=\"paragraph\" w:styleId=\"a3\"><w:name w:val=\"Title\"/></w:style>\
        <w:style w:type=\"paragraph\" w:styleId=\"1\"><w:name w:val=\"heading 1\"/><w:pPr><w:outlineLvl w:val=\"0\"/></w:pPr></w:style>\
        <w:style w:type=\"paragraph\" w:styleId=\"2\"><w:name w:val=\"heading 2\"/><w:pPr><w:outlineLvl w:val=\"1\"/></w:pPr></w:style>\
        <w:style w:type=\"paragraph\" w:styleId=\"3\"><w:name w:val=\"heading 3\"/></w:style>\
        </w:styles>";
    let content_types = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">\
        <Default Extension=\"xml\" ContentType=\"application/xml\"/>\
        <Override PartName=\"/word/document.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/></Types>";
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    for (name, data) in [("[Content_Types].xml", content_types), ("word/document.xml", &document), ("word/styles.xml", styles)] {
        zip.start_file(name, options).unwrap();
        zip.write_all(data.as_bytes()).unwrap();
    }
    zip.finish().unwrap().into_inner()
}

/// A paragraph block with the given style and one run.
pub fn para(style: Option<&str>, text: &str) -> DocxBlock {
    DocxBlock::Paragraph { style: style.map(str::to_owned), runs: vec![text.to_owned()] }
}
