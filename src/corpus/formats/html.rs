//! Saved web pages → the article's text, one block per paragraph.
//!
//! 1. **Decode**: a BOM, else UTF-8 when the bytes are valid UTF-8 (a page
//!    re-saved by a browser keeps its old `gb2312` tag), else the
//!    `<meta charset>` / `http-equiv` declaration, else `chardetng`'s guess.
//! 2. **Metadata** from the whole page: the headline from `<h1>` (else
//!    `og:title`, else `<title>` without its `_新闻中心_某某网` suffix), the
//!    publication time from `article:published_time`-style metadata,
//!    `<time>` or the first date-and-time shown near the top, and the
//!    address from `rel=canonical`, `og:url` or the browser's
//!    `saved from url=` note.
//! 3. **Main content** with `dom_smoothie` (a port of Firefox's reader mode):
//!    navigation, share bars, related links, ads and footers fall away.
//!    When it finds no article, the page body without its `nav`, `header`,
//!    `footer`, `aside` and forms is used.
//! 4. **Blocks**: block elements (`p`, `div`, headings, list items, table
//!    rows, `<br>`) end lines; headings become `## …`; a blank line ends
//!    each block, so the cleaner keeps the page's paragraphs.

use super::{ConvertError, Converted, Layout, SourceFormat, collapse_space};
use dom_query::{Document, NodeRef};
use encoding_rs::Encoding;

/// Elements whose text is never article text.
const SKIPPED: &[&str] = &[
    "script", "style", "noscript", "template", "iframe", "svg", "canvas", "button", "select", "option", "textarea", "input",
    "form", "object", "embed", "audio", "video", "head", "title", "map",
];

/// Elements that end a line (a block of their own).
const BLOCKS: &[&str] = &[
    "p",
    "div",
    "section",
    "article",
    "main",
    "header",
    "footer",
    "aside",
    "nav",
    "blockquote",
    "pre",
    "ul",
    "ol",
    "li",
    "dl",
    "dt",
    "dd",
    "table",
    "thead",
    "tbody",
    "tfoot",
    "tr",
    "caption",
    "figure",
    "figcaption",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "address",
    "center",
    "details",
    "summary",
    "fieldset",
    "legend",
];

/// Landmarks dropped from a page whose article could not be found.
const FURNITURE: &str = "nav, header, footer, aside, form, menu, [role=navigation], [role=banner], [role=contentinfo]";

/// Converts a saved page.
pub(super) fn convert(bytes: &[u8]) -> Result<Converted, ConvertError> {
    let (html, encoding, mut warnings) = decode(bytes)?;
    let depth = lexical_depth(&html);
    if depth > MAX_PARSED_DEPTH {
        // The parser's cost grows with the square of the nesting.
        warnings.push(format!("markup nested {depth} deep; read as text without its tags"));
        let mut converted = Converted::text(stripped_text(&html), Layout::Plain, encoding, SourceFormat::Html);
        converted.warnings = warnings;
        return Ok(converted);
    }
    let page = Document::from(html.as_str());
    let headline = headline(&page);
    let published = published(&page);
    let url = address(&page, &html);
    let blocks = main_blocks(&html, &page);
    let mut text = String::with_capacity(html.len() / 2);
    if let Some(h) = &headline {
        text.push_str("# ");
        text.push_str(h);
    }
    let mut wrote_body = false;
    for block in blocks {
        // The headline is already the first line; the article often repeats it.
        let repeats_headline = headline.as_deref().is_some_and(|h| same_words(h, &block.text));
        if repeats_headline && (block.heading.is_some() || !wrote_body) {
            continue;
        }
        if !text.is_empty() {
            text.push_str("\n\n");
        }
        wrote_body = true;
        if let Some(level) = block.heading {
            // The page's own headline is level 1; headings inside the article sit below it.
            let level = if headline.is_some() { level.max(2) } else { level };
            text.extend(std::iter::repeat_n('#', usize::from(level)));
            text.push(' ');
        }
        text.push_str(&block.text);
    }
    // A headline alone (a `<title>` over an empty body) is no document.
    if !wrote_body {
        return Err(ConvertError::Empty(SourceFormat::Html));
    }
    let mut converted = Converted::text(text, Layout::Blocks, encoding, SourceFormat::Html);
    converted.warnings = warnings;
    converted.origin.published = published;
    converted.origin.url = url;
    Ok(converted)
}

/// Whether two lines say the same words (ignoring spaces and punctuation).
fn same_words(a: &str, b: &str) -> bool {
    let key = |s: &str| s.chars().filter(|c| c.is_alphanumeric()).collect::<String>();
    let (a, b) = (key(a), key(b));
    !a.is_empty() && a == b
}

// ---------------------------------------------------------------------------
// Decoding

fn decode(bytes: &[u8]) -> Result<(String, &'static str, Vec<String>), ConvertError> {
    if let Some((encoding, bom)) = Encoding::for_bom(bytes) {
        let (text, _) = encoding.decode_without_bom_handling(&bytes[bom..]);
        return Ok((text.into_owned(), encoding.name(), Vec::new()));
    }
    if let Ok(text) = std::str::from_utf8(bytes) {
        return Ok((text.to_owned(), "UTF-8", Vec::new()));
    }
    let encoding = match declared_charset(bytes) {
        Some(e) => e,
        None => {
            let mut detector = chardetng::EncodingDetector::new();
            detector.feed(bytes, true);
            detector.guess(None, true)
        }
    };
    // GB2312 and GBK pages often hold characters only GB18030 names.
    let encoding = if encoding == encoding_rs::GBK { encoding_rs::GB18030 } else { encoding };
    let (text, had_errors) = encoding.decode_without_bom_handling(bytes);
    let mut warnings = Vec::new();
    if had_errors {
        let invalid = text.chars().filter(|&c| c == char::REPLACEMENT_CHARACTER).count();
        let total = text.chars().count();
        if invalid * 20 > total.max(1) {
            return Err(super::DecodeError::Undecodable { encoding: encoding.name(), invalid, total }.into());
        }
        warnings.push(format!("{invalid} invalid byte sequence(s) in {} replaced with U+FFFD", encoding.name()));
    }
    Ok((text.into_owned(), encoding.name(), warnings))
}

/// The charset a page declares in its first 4 KB: `<meta charset=gbk>` or
/// `<meta http-equiv="Content-Type" content="text/html; charset=gb2312">`.
fn declared_charset(bytes: &[u8]) -> Option<&'static Encoding> {
    let head: Vec<u8> = bytes[..bytes.len().min(4096)].iter().map(u8::to_ascii_lowercase).collect();
    let mut from = 0;
    while let Some(at) = memchr::memmem::find(&head[from..], b"charset") {
        let mut rest = &head[from + at + b"charset".len()..];
        from += at + 1;
        rest = rest.trim_ascii_start();
        let Some(after) = rest.strip_prefix(b"=") else { continue };
        let value = after.trim_ascii_start();
        let value = value.strip_prefix(b"\"").or_else(|| value.strip_prefix(b"'")).unwrap_or(value);
        let end = value.iter().position(|&b| !(b.is_ascii_alphanumeric() || b == b'-' || b == b'_')).unwrap_or(value.len());
        if let Some(encoding) = Encoding::for_label(&value[..end]) {
            // A page cannot declare itself UTF-16 in bytes that are ASCII-compatible.
            if encoding != encoding_rs::UTF_16LE && encoding != encoding_rs::UTF_16BE {
                return Some(encoding);
            }
        }
    }
    None
}

// ---------------------------------------------------------------------------
// Nesting

/// Deepest markup given to the HTML parser.
const MAX_PARSED_DEPTH: usize = 2000;

/// Elements without an end tag, or closed implicitly by their next sibling.
const UNNESTED: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr", "p", "li",
    "dt", "dd", "tr", "td", "th", "option", "!doctype",
];

/// How deep a page's tags nest, read from the tags alone (no tree built):
/// start tags count in, end tags out; void and self-closing elements,
/// comments and the insides of `script` and `style` do not count.
fn lexical_depth(html: &str) -> usize {
    let bytes = html.as_bytes();
    let (mut depth, mut deepest) = (0usize, 0usize);
    let mut i = 0;
    while let Some(at) = memchr::memchr(b'<', &bytes[i..]) {
        let start = i + at + 1;
        if bytes[start..].starts_with(b"!--") {
            i = memchr::memmem::find(&bytes[start..], b"-->").map_or(bytes.len(), |e| start + e + 3);
            continue;
        }
        let end = memchr::memchr(b'>', &bytes[start..]).map_or(bytes.len(), |e| start + e);
        let tag = &bytes[start..end];
        i = (end + 1).min(bytes.len());
        let closing = tag.starts_with(b"/");
        let name: String = tag[usize::from(closing)..]
            .iter()
            .take_while(|b| b.is_ascii_alphanumeric() || **b == b'!')
            .map(|b| b.to_ascii_lowercase() as char)
            .collect();
        if name.is_empty() || UNNESTED.contains(&name.as_str()) || tag.ends_with(b"/") {
            continue;
        }
        if closing {
            depth = depth.saturating_sub(1);
        } else {
            depth += 1;
            deepest = deepest.max(depth);
            if name == "script" || name == "style" {
                // Their text is not markup.
                let close = format!("</{name}");
                i = find_ascii_case_insensitive(&bytes[i..], close.as_bytes()).map_or(bytes.len(), |e| i + e);
            }
        }
    }
    deepest
}

fn find_ascii_case_insensitive(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w.eq_ignore_ascii_case(needle))
}

/// A page's text with its tags removed (a line break for each tag) and the
/// common entities decoded: for markup too deep to parse.
fn stripped_text(html: &str) -> String {
    let mut out = String::with_capacity(html.len() / 2);
    let mut rest = html;
    while let Some(lt) = rest.find('<') {
        out.push_str(&rest[..lt]);
        rest = rest[lt..].find('>').map_or("", |gt| &rest[lt + gt + 1..]);
        if !out.ends_with('\n') {
            out.push('\n');
        }
    }
    out.push_str(rest);
    let decoded =
        out.replace("&nbsp;", " ").replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&amp;", "&");
    decoded.lines().map(str::trim).filter(|l| !l.is_empty()).collect::<Vec<_>>().join("\n")
}

// ---------------------------------------------------------------------------
// Metadata

fn meta_content(page: &Document, selectors: &[&str]) -> Option<String> {
    selectors.iter().find_map(|sel| {
        page.select(sel).nodes().iter().find_map(|n| n.attr("content").map(|c| collapse_space(&c)).filter(|c| !c.is_empty()))
    })
}

/// The article's headline: the `<h1>` with the most text that is not a link
/// (a site logo is often an `<h1><a>`), else `og:title`, else `<title>` cut
/// at its site suffix.
fn headline(page: &Document) -> Option<String> {
    let from_h1 = page
        .select("body h1")
        .nodes()
        .iter()
        .filter(|h| !h.ancestors_it(None).any(|a| a.node_name().is_some_and(|n| &*n == "a")))
        .filter(|h| {
            let linked: usize =
                h.descendants_it().filter(|d| d.node_name().is_some_and(|n| &*n == "a")).map(|a| a.text().chars().count()).sum();
            linked * 2 < h.text().chars().count()
        })
        .map(|h| collapse_space(&h.text()))
        .filter(|t| (2..=200).contains(&t.chars().count()))
        .max_by_key(|t| t.chars().count());
    from_h1
        .or_else(|| meta_content(page, &["meta[property='og:title']", "meta[name='twitter:title']"]).map(|t| site_suffix_cut(&t)))
        .or_else(|| {
            let title = collapse_space(&page.select("head title").text());
            (!title.is_empty()).then(|| site_suffix_cut(&title))
        })
        .filter(|t| !t.is_empty())
}

/// `习近平在…讲话_新闻中心_某某网` → the longest part between separators.
fn site_suffix_cut(title: &str) -> String {
    let parts = title.split(['_', '|', '｜']).flat_map(|p| p.split(" - ")).flat_map(|p| p.split(" — ")).map(str::trim);
    parts.max_by_key(|p| p.chars().count()).unwrap_or(title).to_owned()
}

/// When the page says it was published, as `YYYY-MM-DD[ HH:MM[:SS]]`.
fn published(page: &Document) -> Option<String> {
    let from_meta = meta_content(
        page,
        &[
            "meta[property='article:published_time']",
            "meta[name='article:published_time']",
            "meta[itemprop='datePublished']",
            "meta[name='publishdate']",
            "meta[name='PubDate']",
            "meta[name='pubdate']",
            "meta[name='publish_date']",
            "meta[name='dc.date']",
            "meta[name='DC.date']",
            "meta[name='date']",
        ],
    )
    .or_else(|| page.select("time[datetime]").nodes().first().and_then(|t| t.attr("datetime")).map(|d| d.to_string()));
    let from_meta = from_meta.as_deref().and_then(date_time_in);
    // A date line shown near the headline (`2024-07-04 22:09 来源：新华网`):
    // the first date with a time in the body's text. It gives the time to
    // metadata that has only the day.
    let body = page.select("body").text();
    let head: String = body.chars().take(20_000).collect();
    let shown = date_time_in(&head);
    match (from_meta, shown) {
        (Some(meta), Some(shown)) if meta.len() == 10 && shown.starts_with(&meta) => Some(shown),
        (Some(meta), _) => Some(meta),
        (None, shown) => shown,
    }
}

/// The first `2024-07-04[ 22:09[:05]]`, `2024/07/04 …`, `2024年7月4日 22:09`
/// or `2024-07-04T22:09` in `text`, as `YYYY-MM-DD[ HH:MM[:SS]]`. A date
/// alone counts only when it is the whole of `text` (metadata).
fn date_time_in(text: &str) -> Option<String> {
    let chars: Vec<char> = text.chars().collect();
    let digits = |i: usize, max: usize| -> (u32, usize) {
        let mut n = 0u32;
        let mut k = 0;
        while k < max && i + k < chars.len() && chars[i + k].is_ascii_digit() {
            n = n * 10 + chars[i + k].to_digit(10).unwrap_or(0);
            k += 1;
        }
        (n, k)
    };
    let whole = text.trim().chars().count() <= 40;
    let mut i = 0;
    while i + 8 <= chars.len() {
        let (year, ny) = digits(i, 4);
        if ny == 4 && (1990..=2100).contains(&year) && (i == 0 || !chars[i - 1].is_ascii_digit()) {
            let sep = chars.get(i + 4).copied();
            if let Some(sep @ ('-' | '/' | '.' | '年')) = sep {
                let (month, nm) = digits(i + 5, 2);
                let after_month = i + 5 + nm;
                let sep2_ok = match sep {
                    '年' => chars.get(after_month) == Some(&'月'),
                    s => chars.get(after_month) == Some(&s),
                };
                let (day, nd) = if nm > 0 && sep2_ok { digits(after_month + 1, 2) } else { (0, 0) };
                if nd > 0 && (1..=12).contains(&month) && (1..=31).contains(&day) {
                    let mut j = after_month + 1 + nd;
                    if sep == '年' && chars.get(j) == Some(&'日') {
                        j += 1;
                    }
                    let date = format!("{year:04}-{month:02}-{day:02}");
                    // A time after it: `T22:09`, ` 22:09`, `　22:09:05`.
                    let mut k = j;
                    while chars.get(k).is_some_and(|c| *c == 'T' || c.is_whitespace()) && k < j + 4 {
                        k += 1;
                    }
                    let (hour, nh) = digits(k, 2);
                    if nh > 0 && matches!(chars.get(k + nh), Some(':' | '：')) {
                        let (minute, nmin) = digits(k + nh + 1, 2);
                        if nmin == 2 && hour < 24 && minute < 60 {
                            let after = k + nh + 1 + nmin;
                            let (second, ns) =
                                if matches!(chars.get(after), Some(':' | '：')) { digits(after + 1, 2) } else { (0, 0) };
                            return Some(match ns {
                                2 => format!("{date} {hour:02}:{minute:02}:{second:02}"),
                                _ => format!("{date} {hour:02}:{minute:02}"),
                            });
                        }
                    }
                    if whole {
                        return Some(date);
                    }
                }
            }
        }
        i += 1;
    }
    None
}

/// The page's own address.
fn address(page: &Document, html: &str) -> Option<String> {
    let canonical = page.select("link[rel='canonical']").nodes().iter().find_map(|l| l.attr("href")).map(|h| h.trim().to_owned());
    let absolute = |u: &String| u.starts_with("http://") || u.starts_with("https://");
    canonical
        .filter(absolute)
        .or_else(|| meta_content(page, &["meta[property='og:url']"]).filter(absolute))
        .or_else(|| saved_from(html))
}

/// The address in the note browsers write when saving a page:
/// `<!-- saved from url=(0047)https://… -->`.
fn saved_from(html: &str) -> Option<String> {
    let head = &html[..html.floor_char_boundary(html.len().min(2048))];
    let at = head.find("saved from url=")?;
    let rest = &head[at + "saved from url=".len()..];
    let rest = match rest.strip_prefix('(') {
        Some(r) => r.split_once(')').map_or(r, |(_, after)| after),
        None => rest,
    };
    let url: String = rest.chars().take_while(|c| !c.is_whitespace()).collect();
    let url = url.trim_end_matches("-->").to_owned();
    (url.starts_with("http://") || url.starts_with("https://")).then_some(url)
}

// ---------------------------------------------------------------------------
// Main content and blocks

/// One block of the article's text.
#[derive(Debug, PartialEq, Eq)]
struct Block {
    text: String,
    heading: Option<u8>,
}

/// The article's blocks: reader mode's content, else the page body without its landmarks.
fn main_blocks(html: &str, page: &Document) -> Vec<Block> {
    // Reader mode measures each candidate's text over its subtree: on
    // markup nested thousands deep (hostile, or broken beyond repair) that
    // is quadratic, and such a page has no article layout to find anyway.
    let readable = nesting_depth(page.root()) <= MAX_READER_DEPTH;
    let cfg = dom_smoothie::Config { max_elements_to_parse: 200_000, ..Default::default() };
    let article = readable.then(|| dom_smoothie::Readability::new(html, None, Some(cfg)).and_then(|mut r| r.parse()));
    if let Some(Ok(article)) = article {
        let content = Document::from(article.content.to_string());
        let blocks = blocks_of(content.root());
        if blocks.iter().map(|b| b.text.chars().count()).sum::<usize>() >= 20 {
            return blocks;
        }
    }
    page.select(FURNITURE).remove();
    match page.body() {
        Some(body) => blocks_of(body),
        None => blocks_of(page.root()),
    }
}

/// Deepest nesting handed to reader mode (real pages stay below 60).
const MAX_READER_DEPTH: usize = 256;

/// How deep the elements below `root` nest (stops counting past the reader's limit).
fn nesting_depth(root: NodeRef<'_>) -> usize {
    let mut deepest = 0;
    let mut stack = vec![(root, 0usize)];
    while let Some((node, depth)) = stack.pop() {
        deepest = deepest.max(depth);
        if deepest > MAX_READER_DEPTH {
            break;
        }
        stack.extend(node.children_it(false).filter(|c| c.is_element()).map(|c| (c, depth + 1)));
    }
    deepest
}

fn blocks_of(root: NodeRef<'_>) -> Vec<Block> {
    let mut out = BlockWriter::default();
    walk(root, &mut out, 0);
    out.end_block();
    out.blocks
}

#[derive(Default)]
struct BlockWriter {
    blocks: Vec<Block>,
    /// Lines of the block being written (`<br>` starts a new one).
    lines: Vec<String>,
    line: String,
    heading: Option<u8>,
}

impl BlockWriter {
    fn text(&mut self, raw: &str) {
        let collapsed = collapse_space(raw);
        if collapsed.is_empty() {
            if raw.chars().any(char::is_whitespace) && !self.line.is_empty() && !self.line.ends_with(' ') {
                self.line.push(' ');
            }
            return;
        }
        let starts_blank = raw.starts_with(|c: char| c.is_ascii_whitespace() || c == '\u{a0}');
        if starts_blank && !self.line.is_empty() && !self.line.ends_with(' ') {
            self.line.push(' ');
        }
        self.line.push_str(&collapsed);
        if raw.ends_with(|c: char| c.is_ascii_whitespace() || c == '\u{a0}') {
            self.line.push(' ');
        }
    }

    fn end_line(&mut self) {
        let line = std::mem::take(&mut self.line);
        let line = line.trim_matches(' ');
        if !line.is_empty() {
            self.lines.push(line.to_owned());
        }
    }

    fn end_block(&mut self) {
        self.end_line();
        if !self.lines.is_empty() {
            let text = std::mem::take(&mut self.lines).join("\n");
            let heading = self.heading;
            // A heading is one line.
            let text = if heading.is_some() { text.replace('\n', " ") } else { text };
            self.blocks.push(Block { text, heading });
        }
        self.heading = None;
    }
}

fn walk(node: NodeRef<'_>, out: &mut BlockWriter, depth: usize) {
    for child in node.children_it(false) {
        if child.is_text() {
            out.text(&child.text());
            continue;
        }
        if !child.is_element() {
            continue;
        }
        let Some(name) = child.node_name() else { continue };
        let name = name.to_ascii_lowercase();
        if SKIPPED.contains(&name.as_str()) || child.attr("hidden").is_some() || is_hidden_style(&child) {
            continue;
        }
        match name.as_str() {
            "br" => out.end_line(),
            "td" | "th" => {
                // Cells of a row stay on the row's line, apart by ` | `.
                let line = out.line.trim_end();
                if !line.is_empty() && !line.ends_with('|') {
                    out.line.truncate(line.len());
                    out.line.push_str(" | ");
                }
                walk_or_flat(child, out, depth);
            }
            "img" => {}
            _ if BLOCKS.contains(&name.as_str()) => {
                out.end_block();
                let level = heading_level(&name);
                walk_or_flat(child, out, depth);
                if level.is_some() {
                    out.heading = level;
                }
                out.end_block();
            }
            _ => walk_or_flat(child, out, depth),
        }
    }
}

/// Deeper markup (hostile or broken pages) is read as flat text.
const MAX_DEPTH: usize = 512;

fn walk_or_flat(node: NodeRef<'_>, out: &mut BlockWriter, depth: usize) {
    if depth < MAX_DEPTH {
        walk(node, out, depth + 1);
    } else {
        out.text(&node.text());
    }
}

fn heading_level(name: &str) -> Option<u8> {
    match name.as_bytes() {
        [b'h', d @ b'1'..=b'6'] => Some(d - b'0'),
        _ => None,
    }
}

fn is_hidden_style(node: &NodeRef<'_>) -> bool {
    node.attr("style").is_some_and(|s| {
        let s: String = s.chars().filter(|c| !c.is_whitespace()).collect::<String>().to_ascii_lowercase();
        s.contains("display:none") || s.contains("visibility:hidden")
    })
}

#[cfg(test)]
mod tests;
