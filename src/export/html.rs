//! HTML export: the Markdown export rendered by pulldown-cmark into a
//! self-contained page (inline CSS). Strings were escaped for Markdown, so
//! pulldown-cmark sees them as text and escapes them for HTML: a note holding
//! `<script>` shows as text.

use super::ExportItem;
use pulldown_cmark::{Options, Parser, html};

const CSS: &str = "body{font-family:'Noto Sans CJK SC','Source Han Sans SC','PingFang SC','Microsoft YaHei',sans-serif;max-width:46em;margin:2em auto;padding:0 1em;line-height:1.7;color:#222}\
h1{border-bottom:2px solid #ddd}h2{margin-top:2em;color:#0d47a1}h3{font-size:1em;color:#666}\
blockquote{margin:0;padding:.4em 1em;border-left:4px solid #f9a825;background:#fffde7}\
ul{color:#555;font-size:.92em}a{color:#1565c0}@media(prefers-color-scheme:dark){body{background:#1e1e1e;color:#ddd}blockquote{background:#333;border-color:#fbc02d}h2{color:#90caf9}}";

/// The page.
pub fn render(corpus: &str, items: &[ExportItem]) -> String {
    let md = super::markdown::render(corpus, items);
    let parser = Parser::new_ext(&md, Options::ENABLE_YAML_STYLE_METADATA_BLOCKS);
    let mut body = String::new();
    html::push_html(&mut body, parser);
    let title = escape_html(&format!("Notes — {corpus}"));
    format!(
        "<!DOCTYPE html>\n<html lang=\"zh\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{title}</title>\n<style>{CSS}</style>\n</head>\n<body>\n{body}</body>\n</html>\n"
    )
}

/// Escapes text for HTML element content and attribute values.
pub fn escape_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}
