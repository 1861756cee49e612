//! Markdown export. Every user or document string is escaped so that no
//! Markdown character in it changes the structure: parsing the export with
//! pulldown-cmark gives back each quote and note exactly.

use super::ExportItem;

/// Escapes text for a Markdown paragraph, heading or block quote line:
/// a backslash before each char that could mean something inline
/// (`` \ ` * _ [ ] < > & # | ~ ``, the last two for GitHub's tables and
/// strikethrough) and before what would open a block at a line's start (`-`,
/// `+`, `=`, a list number's `.` or `)`); spaces at line ends become
/// `&#32;`, and a line break becomes a hard break (`\` at the line's end).
/// Dates, times and ordinary punctuation stay as written.
pub fn escape(text: &str) -> String {
    // Any line end is a line break (a lone CR too), and line ends at the
    // very end carry nothing (they would become a stray backslash).
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    let text = text.trim_end_matches('\n');
    let mut out = String::with_capacity(text.len() + 8);
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            out.push_str("\\\n");
        }
        let trimmed_start = line.trim_start_matches([' ', '\t']);
        let lead = &line[..line.len() - trimmed_start.len()];
        let core = trimmed_start.trim_end_matches([' ', '\t']);
        let trail = &trimmed_start[core.len()..];
        for c in lead.chars() {
            out.push_str(if c == '\t' { "&#9;" } else { "&#32;" });
        }
        // A list number (`1.`, `2)`) at the line's start: its mark escaped.
        let number = core.bytes().take_while(u8::is_ascii_digit).count();
        for (at, c) in core.char_indices() {
            let opens_block = at == 0 && matches!(c, '-' | '+' | '=') || at == number && number > 0 && matches!(c, '.' | ')');
            if opens_block || matches!(c, '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '&' | '#' | '|' | '~') {
                out.push('\\');
            }
            out.push(c);
        }
        for c in trail.chars() {
            out.push_str(if c == '\t' { "&#9;" } else { "&#32;" });
        }
    }
    out
}

/// A YAML double-quoted scalar (JSON string syntax is valid YAML).
fn yaml(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| "\"\"".to_owned())
}

/// The whole export.
pub fn render(corpus: &str, items: &[ExportItem]) -> String {
    let mut md = String::new();
    md.push_str("---\n");
    md.push_str(&format!("corpus: {}\n", yaml(corpus)));
    md.push_str(&format!("exported: {}\n", yaml(&crate::notes::now())));
    md.push_str(&format!("count: {}\n", items.len()));
    md.push_str("generator: sco-reader\n---\n\n");
    md.push_str("# Notes\n\n");
    let mut current_doc: Option<&str> = None;
    for item in items {
        if current_doc != Some(item.doc.as_str()) {
            current_doc = Some(item.doc.as_str());
            md.push_str(&format!("## {}\n\n", escape(&item.title)));
            if !item.meeting.is_empty() {
                md.push_str(&format!("*{}*\n\n", escape(&item.meeting)));
            }
        }
        md.push_str(&format!(
            "### {} · {} · {}\n\n",
            escape(&item.locator()),
            escape(&item.note.color),
            escape(&item.anchor_text())
        ));
        md.push_str(&format!("> {}\n\n", escape(&item.note.quote).replace("\\\n", "\\\n> ")));
        if !item.note.text.is_empty() {
            md.push_str(&format!("{}\n\n", escape(&item.note.text)));
        }
        if !item.note.tags.is_empty() {
            let tags: Vec<String> = item.note.tags.iter().map(|t| format!("\\#{}", escape(t))).collect();
            md.push_str(&format!("- Tags: {}\n", tags.join(" ")));
        }
        if !item.entities.is_empty() {
            let list: Vec<String> = item.entities.iter().map(|(k, c)| format!("{} ({k})", escape(c))).collect();
            md.push_str(&format!("- Entities: {}\n", list.join(", ")));
        }
        for (title, signed) in &item.agreements {
            let signed = signed.as_deref().map(|s| format!(" — signed {}", escape(s))).unwrap_or_default();
            md.push_str(&format!("- Cites: 《{}》{signed}\n", escape(title)));
        }
        md.push_str(&format!("- Created {} · updated {}\n", escape(&item.note.created), escape(&item.note.updated)));
        md.push_str(&format!("- [Open in sco-reader]({})\n\n", item.link()));
    }
    md
}

#[cfg(test)]
mod tests {
    use super::escape;

    /// The text pulldown-cmark reads back from `md` (GitHub's extensions
    /// on), hard breaks as `\n`, and whether it read any structure.
    fn read_back(md: &str) -> (String, bool) {
        use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};
        let options =
            Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_FOOTNOTES | Options::ENABLE_TASKLISTS;
        let (mut text, mut structure) = (String::new(), false);
        for event in Parser::new_ext(md, options) {
            match event {
                Event::Text(t) => text.push_str(&t),
                Event::HardBreak => text.push('\n'),
                Event::Start(Tag::Paragraph) | Event::End(TagEnd::Paragraph) => {}
                _ => structure = true,
            }
        }
        (text, structure)
    }

    #[test]
    fn any_text_reads_back_as_itself_and_only_what_could_mean_something_is_escaped() {
        let alphabet: Vec<char> = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~0123456789 \t\nab上合《》（），。".chars().collect();
        let mut rng = fastrand::Rng::with_seed(7);
        for _ in 0..20_000 {
            let len = rng.usize(1..24);
            let text: String = (0..len).map(|_| alphabet[rng.usize(..alphabet.len())]).collect();
            // As a note's text is: no blank lines (a note's paragraphs are lines).
            let text: String = text.split('\n').filter(|l| !l.trim().is_empty()).collect::<Vec<_>>().join("\n");
            if text.trim().is_empty() {
                continue;
            }
            let (back, structure) = read_back(&escape(&text));
            assert!(!structure, "{text:?} → {:?}", escape(&text));
            assert_eq!(back, text, "{text:?} → {:?}", escape(&text));
        }
        assert_eq!(escape("2019-06-14, 10:30 (北京), 3.5%"), "2019-06-14, 10:30 (北京), 3.5%");
        assert_eq!(escape("1. 第一 - 二"), "1\\. 第一 - 二");
    }

    #[test]
    fn line_ends_of_every_kind_are_line_breaks_and_trailing_ones_vanish() {
        assert_eq!(escape("a\rb"), "a\\\nb");
        assert_eq!(escape("a\r\nb\n"), "a\\\nb");
        assert_eq!(escape("note\n\n"), "note");
        // Parsed back: one paragraph with a hard break, no code block, no stray backslash.
        let html = {
            let mut out = String::new();
            pulldown_cmark::html::push_html(&mut out, pulldown_cmark::Parser::new(&escape("第一行\r    第二行\n")));
            out
        };
        assert!(!html.contains("<code>") && !html.contains("\\"), "{html}");
    }
}
