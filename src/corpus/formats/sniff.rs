//! What a file is: from its first bytes when they are unmistakable, else
//! from its name.

pub use crate::model::SourceFormat;

/// Extensions and what they say, lower case.
const BY_EXTENSION: &[(&str, SourceFormat)] = &[
    ("txt", SourceFormat::Text),
    ("text", SourceFormat::Text),
    ("md", SourceFormat::Markdown),
    ("markdown", SourceFormat::Markdown),
    ("html", SourceFormat::Html),
    ("htm", SourceFormat::Html),
    ("xhtml", SourceFormat::Html),
    ("shtml", SourceFormat::Html),
    ("pdf", SourceFormat::Pdf),
    ("docx", SourceFormat::Docx),
    ("doc", SourceFormat::LegacyWord),
];

/// Every extension the reader opens (for file dialogs), lower case: the
/// known ones but `.doc`, which is only recognised to be reported.
pub fn extensions() -> Vec<&'static str> {
    BY_EXTENSION.iter().filter(|(_, f)| *f != SourceFormat::LegacyWord).map(|&(e, _)| e).collect()
}

/// The format a name's extension says, if it is one the reader knows.
pub fn format_by_name(name: &str) -> Option<SourceFormat> {
    let file = name.rsplit(['/', '\\']).next().unwrap_or(name);
    let (_, ext) = file.rsplit_once('.')?;
    BY_EXTENSION.iter().find(|(e, _)| e.eq_ignore_ascii_case(ext)).map(|&(_, f)| f)
}

/// True when a folder walk should load the file called `name`: its
/// extension is one the reader knows.
pub fn is_loadable_name(name: &str) -> bool {
    format_by_name(name).is_some()
}

/// What the first bytes say, when they are unmistakable.
pub fn format_by_content(bytes: &[u8]) -> Option<SourceFormat> {
    let head = &bytes[..bytes.len().min(1024)];
    if head.trim_ascii_start().starts_with(b"%PDF-") {
        return Some(SourceFormat::Pdf);
    }
    if bytes.starts_with(b"PK\x03\x04") {
        // A Word document names its main part in the archive's directory.
        return memchr::memmem::find(bytes, b"word/document.xml").map(|_| SourceFormat::Docx);
    }
    if bytes.starts_with(b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1") {
        return Some(SourceFormat::LegacyWord);
    }
    looks_like_html(head).then_some(SourceFormat::Html)
}

/// A document that opens (after a BOM, blanks and comments) with a doctype
/// or an `<html>`/`<head>` tag. UTF-16 pages are recognised by their BOM.
fn looks_like_html(head: &[u8]) -> bool {
    let text: std::borrow::Cow<'_, [u8]> = if head.starts_with(&[0xFF, 0xFE]) || head.starts_with(&[0xFE, 0xFF]) {
        // Every other byte of the ASCII tags.
        let skip = usize::from(head.starts_with(&[0xFE, 0xFF]));
        head[2..].iter().skip(skip).step_by(2).copied().collect::<Vec<u8>>().into()
    } else {
        head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head).into()
    };
    let mut rest: &[u8] = &text;
    loop {
        rest = rest.trim_ascii_start();
        if let Some(after) = rest.strip_prefix(b"<!--") {
            match memchr::memmem::find(after, b"-->") {
                Some(end) => rest = &after[end + 3..],
                None => return false,
            }
        } else if rest.starts_with(b"<?xml") {
            match memchr::memchr(b'>', rest) {
                Some(end) => rest = &rest[end + 1..],
                None => return false,
            }
        } else {
            break;
        }
    }
    let lower: Vec<u8> = rest.iter().take(16).map(u8::to_ascii_lowercase).collect();
    [&b"<!doctype html"[..], b"<html", b"<head"].iter().any(|p| lower.starts_with(p))
}

/// The format of the file called `name` with these bytes: the content's
/// word when it is unmistakable (a `.txt` that is really a saved page, a
/// PDF without its extension), else the name's, else text.
pub fn format_of(name: &str, bytes: &[u8]) -> SourceFormat {
    let by_name = format_by_name(name);
    match format_by_content(bytes) {
        Some(found) => found,
        // A `.docx` that is not a Word archive, a `.pdf` without `%PDF-`:
        // read as named, so the report says what is wrong with it.
        None => by_name.unwrap_or(SourceFormat::Text),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_contents() {
        assert_eq!(format_of("a.HTM", b"<p>x</p>"), SourceFormat::Html);
        assert_eq!(format_of("a.txt", b"\xEF\xBB\xBF <!DOCTYPE html><html>"), SourceFormat::Html);
        assert_eq!(format_of("a.txt", b"<!-- saved from url=(0020)http://a.cn/ -->\n<html>"), SourceFormat::Html);
        assert_eq!(format_of("scan", b"%PDF-1.7\n"), SourceFormat::Pdf);
        assert_eq!(format_of("a.pdf", b"not a pdf"), SourceFormat::Pdf);
        assert_eq!(format_of("x.md", b"# t"), SourceFormat::Markdown);
        assert_eq!(format_of("x", "上合".as_bytes()), SourceFormat::Text);
        assert_eq!(format_of("x.zip", b"PK\x03\x04....word/document.xml"), SourceFormat::Docx);
        assert_eq!(format_of("x.txt", "<p>上合组织</p>".as_bytes()), SourceFormat::Text);
        assert!(is_loadable_name("dir/报告.PDF"));
        assert!(!is_loadable_name("photo.jpg"));
    }

    #[test]
    fn utf16_pages_are_recognised() {
        let page: Vec<u8> =
            [0xFF, 0xFE].into_iter().chain("<html><body>上合</body></html>".encode_utf16().flat_map(u16::to_le_bytes)).collect();
        assert_eq!(format_by_content(&page), Some(SourceFormat::Html));
    }
}
