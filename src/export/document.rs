//! One document, annotated, to share with someone who has no sco-reader:
//! the cleaned text with its entities highlighted (and a legend), the cited
//! agreements with their signing facts, the attendee table, and the user's
//! notes beside the passages they are on. HTML is one self-contained page
//! (inline CSS, no script, nothing fetched, a print stylesheet); Markdown
//! carries the same content with the notes as footnotes.

use super::html::escape_html;
use super::markdown::escape as escape_md;
use super::{ExportItem, meeting_line, percent_encode};
use crate::model::{Analysis, DocumentAnalysis, EntityKind};
use crate::notes::anchor::Anchor;

/// The back-link to paragraph `paragraph` (0-based) of document `doc`.
pub fn link(doc: &str, paragraph: usize) -> String {
    format!("sco-reader://open?doc={}&p={paragraph}", percent_encode(doc))
}

/// What the page shows for a kind, and its colour.
fn kind_label(kind: EntityKind) -> (&'static str, &'static str) {
    match kind {
        EntityKind::Person => ("人名 person", "#e3f2fd"),
        EntityKind::Country => ("国家 country", "#e8f5e9"),
        EntityKind::Organization => ("组织 organisation", "#f3e5f5"),
        EntityKind::Place => ("地点 place", "#fff3e0"),
        EntityKind::Date => ("日期 date", "#eceff1"),
        EntityKind::Agreement => ("协定 agreement", "#fffde7"),
    }
}

fn note_color(color: &str) -> &'static str {
    match color {
        "green" => "#c8e6c9",
        "blue" => "#bbdefb",
        "pink" => "#f8bbd0",
        "purple" => "#e1bee7",
        _ => "#fff59d",
    }
}

const CSS: &str = "\
*{box-sizing:border-box}\
body{font-family:'Noto Serif CJK SC','Source Han Serif SC','Songti SC','SimSun',serif;margin:0;color:#222;background:#fff;line-height:1.9}\
main{max-width:64em;margin:0 auto;padding:1.5em 1.5em 4em}\
header h1{font-size:1.6em;line-height:1.4;margin:.2em 0}\
.meta{color:#555;font-family:sans-serif;font-size:.9em}\
.legend{font-family:sans-serif;font-size:.85em;margin:1em 0;display:flex;flex-wrap:wrap;gap:.4em}\
.legend span{padding:.1em .6em;border-radius:.3em;border:1px solid #ccc}\
table{border-collapse:collapse;font-size:.9em;margin:.5em 0 1.5em;font-family:sans-serif}\
th,td{border:1px solid #ddd;padding:.25em .6em;text-align:left;vertical-align:top}\
th{background:#f5f5f5}\
.row{display:grid;grid-template-columns:3em minmax(0,1fr) 16em;gap:1em;align-items:start;margin:.2em 0}\
.pn{font-family:sans-serif;font-size:.75em;color:#999;text-align:right;padding-top:.45em;text-decoration:none}\
.text p,.text h2,.text h3,.text h4{margin:.3em 0}\
.notes{font-family:sans-serif;font-size:.82em;line-height:1.5}\
.note{border-left:4px solid #fbc02d;background:#fafafa;padding:.35em .6em;margin:.3em 0;border-radius:0 .3em .3em 0}\
.note q{color:#666}\
.note .n{font-weight:bold}\
.note .tags{color:#777}\
.note .moved{color:#b26a00}\
mark{padding:0 .05em;border-radius:.2em;color:inherit}\
a.cite{color:#5d4037;text-decoration:none;border-bottom:1px dotted #5d4037}\
.hl sup{font-family:sans-serif;font-size:.65em;color:#a00}\
section.agreements li{margin:.4em 0}\
footer{margin-top:3em;color:#888;font-family:sans-serif;font-size:.8em}\
@media (max-width:48em){.row{grid-template-columns:2.2em minmax(0,1fr)}.notes{grid-column:2}}\
@media print{main{max-width:none;padding:0}.row{grid-template-columns:2.2em minmax(0,1fr) 14em;break-inside:avoid}\
a{color:inherit;text-decoration:none}.note{border-left-color:#999}}";

/// Renders `doc` with `notes` (the export items of its notes) as a page.
pub fn render_html(analysis: &Analysis, doc: &DocumentAnalysis, notes: &[ExportItem], corpus: &str) -> String {
    let mut out = String::with_capacity(doc.paragraphs.iter().map(|p| p.text.len() * 2).sum::<usize>() + 8192);
    let title = escape_html(&doc.title);
    out.push_str("<!DOCTYPE html>\n<html lang=\"zh\">\n<head>\n<meta charset=\"utf-8\">\n");
    out.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    out.push_str(&format!("<meta name=\"generator\" content=\"sco-reader {}\">\n", env!("CARGO_PKG_VERSION")));
    out.push_str(&format!("<title>{title}</title>\n<style>{CSS}"));
    let mut kinds: Vec<EntityKind> = EntityKind::ALL.into_iter().filter(|k| doc.entities.iter().any(|e| e.kind == *k)).collect();
    kinds.dedup();
    for kind in EntityKind::ALL {
        out.push_str(&format!("mark.k-{}{{background:{}}}", kind.as_str(), kind_label(kind).1));
    }
    for color in ["yellow", "green", "blue", "pink", "purple"] {
        out.push_str(&format!(".hl.c-{color}{{background:{};border-bottom:2px solid #0003}}", note_color(color)));
        out.push_str(&format!(".note.c-{color}{{border-left-color:{}}}", note_color(color)));
    }
    out.push_str("</style>\n</head>\n<body>\n<main>\n<header>\n");
    out.push_str(&format!("<h1>{title}</h1>\n"));
    let meeting = meeting_line(doc);
    let mut meta = Vec::new();
    if !meeting.is_empty() {
        meta.push(escape_html(&meeting));
    }
    meta.push(format!("source: <code>{}</code>", escape_html(&doc.source)));
    meta.push(format!("<a href=\"{}\">open in sco-reader</a>", escape_html(&link(&doc.id, 0))));
    out.push_str(&format!("<div class=\"meta\">{}</div>\n", meta.join(" · ")));
    if !kinds.is_empty() {
        out.push_str("<div class=\"legend\" aria-label=\"legend\">");
        for kind in &kinds {
            let n = doc.entities.iter().filter(|e| e.kind == *kind).count();
            out.push_str(&format!(
                "<span class=\"k-{}\" style=\"background:{}\">{} · {n}</span>",
                kind.as_str(),
                kind_label(*kind).1,
                kind_label(*kind).0
            ));
        }
        if !notes.is_empty() {
            out.push_str(&format!("<span style=\"background:{}\">批注 notes · {}</span>", note_color("yellow"), notes.len()));
        }
        out.push_str("</div>\n");
    }
    out.push_str("</header>\n");
    if let Some(m) = doc.meeting.as_ref().filter(|m| !m.attendees.is_empty()) {
        out.push_str("<section class=\"attendees\">\n<h2>出席 Attendees</h2>\n<table>\n<tr><th>name</th><th>role</th><th>country / organisation</th><th>status</th></tr>\n");
        for a in &m.attendees {
            let whose = a.country.as_deref().or(a.organization.as_deref()).unwrap_or("");
            out.push_str(&format!(
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>\n",
                escape_html(&a.name),
                escape_html(&a.role),
                escape_html(whose),
                a.status.as_str()
            ));
        }
        out.push_str("</table>\n</section>\n");
    }
    // Notes numbered in text order; each shown beside its paragraph.
    let placed: Vec<(usize, &ExportItem)> =
        notes.iter().filter(|i| i.anchor.place().is_some()).enumerate().map(|(n, i)| (n + 1, i)).collect();
    out.push_str("<section class=\"text\">\n");
    // Each paragraph's entities, gathered once (a long document has many of both).
    let mut entities_of: Vec<Vec<&crate::model::Entity>> = vec![Vec::new(); doc.paragraphs.len()];
    for e in &doc.entities {
        if let Some(list) = entities_of.get_mut(e.paragraph()) {
            list.push(e);
        }
    }
    for (p, para) in doc.paragraphs.iter().enumerate() {
        let here: Vec<(usize, &ExportItem)> = placed.iter().filter(|(_, i)| i.paragraph() == p).copied().collect();
        out.push_str(&format!(
            "<div class=\"row\" id=\"p{}\"><a class=\"pn\" href=\"{}\" title=\"open ¶{} in sco-reader\">¶{}</a><div class=\"text\">",
            p + 1,
            escape_html(&link(&doc.id, p)),
            p + 1,
            p + 1
        ));
        let tag = match para.heading {
            Some(level) => format!("h{}", (level + 1).clamp(2, 4)),
            None => "p".to_owned(),
        };
        out.push_str(&format!("<{tag}>"));
        out.push_str(&marked_paragraph(analysis, &para.text, &entities_of[p], &here));
        out.push_str(&format!("</{tag}></div><div class=\"notes\">"));
        for (n, item) in &here {
            out.push_str(&note_html(*n, item));
        }
        out.push_str("</div></div>\n");
    }
    out.push_str("</section>\n");
    let orphans: Vec<&ExportItem> = notes.iter().filter(|i| i.anchor.place().is_none()).collect();
    if !orphans.is_empty() {
        out.push_str(
            "<section class=\"orphans\">\n<h2>Notes whose passage is no longer in the document</h2>\n<div class=\"notes\">",
        );
        for item in orphans {
            out.push_str(&note_html(0, item));
        }
        out.push_str("</div>\n</section>\n");
    }
    let cited = cited_agreements(analysis, doc);
    if !cited.is_empty() {
        out.push_str("<section class=\"agreements\">\n<h2>所引协定 Cited agreements</h2>\n<ol>\n");
        for a in cited {
            out.push_str(&format!("<li id=\"a-{}\"><b>《{}》</b>", escape_html(&a.id), escape_html(&a.title)));
            if let Some(signed) = signed_line(a) {
                out.push_str(&format!(" — signed {}", escape_html(&signed)));
            }
            let here: Vec<&str> = doc
                .citations
                .iter()
                .filter(|c| c.agreement == a.id && c.title != a.title)
                .map(|c| c.title.as_str())
                .collect::<std::collections::BTreeSet<_>>()
                .into_iter()
                .collect();
            if !here.is_empty() {
                let wordings: Vec<String> = here.iter().map(|w| format!("《{}》", escape_html(w))).collect();
                out.push_str(&format!("<br><small>cited here as {}</small>", wordings.join("、")));
            }
            let others = a
                .cited_by
                .iter()
                .filter(|c| c.document != doc.id)
                .map(|c| c.document.as_str())
                .collect::<std::collections::BTreeSet<_>>()
                .len();
            if others > 0 {
                out.push_str(&format!("<br><small>cited in {others} other document(s) of the corpus</small>"));
            }
            out.push_str("</li>\n");
        }
        out.push_str("</ol>\n</section>\n");
    }
    out.push_str(&format!(
        "<footer>Exported by sco-reader {} from {} · document id <code>{}</code></footer>\n</main>\n</body>\n</html>\n",
        env!("CARGO_PKG_VERSION"),
        escape_html(corpus),
        escape_html(&doc.id)
    ));
    out
}

fn signed_line(a: &crate::model::Agreement) -> Option<String> {
    let s = a.signed.as_ref()?;
    let parts: Vec<&str> = [s.date.as_deref(), s.place.as_deref()].into_iter().flatten().collect();
    (!parts.is_empty()).then(|| parts.join(", "))
}

/// The agreements `doc` cites, in order of first citation.
fn cited_agreements<'a>(analysis: &'a Analysis, doc: &DocumentAnalysis) -> Vec<&'a crate::model::Agreement> {
    let mut out: Vec<&crate::model::Agreement> = Vec::new();
    for c in &doc.citations {
        if let Some(a) = analysis.agreements.iter().find(|a| a.id == c.agreement)
            && !out.iter().any(|o| o.id == a.id)
        {
            out.push(a);
        }
    }
    out
}

fn note_html(n: usize, item: &ExportItem) -> String {
    let note = &item.note;
    let color = escape_html(&note.color);
    let mut s = format!("<div class=\"note c-{color}\" id=\"note-{}\">", note.id);
    if n > 0 {
        s.push_str(&format!("<span class=\"n\">[{n}]</span> "));
    }
    s.push_str(&format!("<q>{}</q>", escape_html(&short(&note.quote, 60))));
    if !note.text.is_empty() {
        s.push_str(&format!("<div>{}</div>", escape_html(&note.text).replace('\n', "<br>")));
    }
    if !note.tags.is_empty() {
        let tags: Vec<String> = note.tags.iter().map(|t| format!("#{}", escape_html(t))).collect();
        s.push_str(&format!("<div class=\"tags\">{}</div>", tags.join(" ")));
    }
    if matches!(item.anchor, Anchor::Moved { .. } | Anchor::Orphaned) {
        s.push_str(&format!("<div class=\"moved\">{}</div>", escape_html(&item.anchor_text())));
    }
    s.push_str("</div>");
    s
}

fn short(s: &str, max_chars: usize) -> String {
    if s.chars().count() <= max_chars {
        return s.to_owned();
    }
    let head: String = s.chars().take(max_chars - 1).collect();
    format!("{head}…")
}

/// A span to mark in a paragraph, in chars.
struct Span {
    start: usize,
    end: usize,
    open: String,
    close: &'static str,
}

/// Paragraph `p` of `doc` as HTML: entities as `<mark>`, citations as
/// links to the agreement list, note passages as coloured spans with their
/// number. Entities and citations nest (a span that would cross another is
/// left unmarked); note passages are split where they cross them.
fn marked_paragraph(
    analysis: &Analysis,
    paragraph: &str,
    entities: &[&crate::model::Entity],
    notes: &[(usize, &ExportItem)],
) -> String {
    let text: Vec<char> = paragraph.chars().collect();
    let len = text.len();
    let mut spans: Vec<Span> = Vec::new();
    for e in entities.iter().filter(|e| e.start < e.end() && (e.end() as usize) <= len) {
        if e.kind == EntityKind::Agreement {
            let signed = analysis.agreements.iter().find(|a| a.id == e.canonical).and_then(signed_line);
            let title = signed.map(|s| format!(" title=\"signed {}\"", escape_html(&s))).unwrap_or_default();
            spans.push(Span {
                start: e.chars().start,
                end: e.chars().end,
                open: format!("<a class=\"cite\" href=\"#a-{}\"{title}>", escape_html(&e.canonical)),
                close: "</a>",
            });
        } else {
            spans.push(Span {
                start: e.chars().start,
                end: e.chars().end,
                open: format!(
                    "<mark class=\"k-{}\" title=\"{}: {}\">",
                    e.kind.as_str(),
                    e.kind.as_str(),
                    escape_html(&e.canonical)
                ),
                close: "</mark>",
            });
        }
    }
    // Outer spans first: by start, then the longer first.
    spans.sort_by(|a, b| a.start.cmp(&b.start).then(b.end.cmp(&a.end)));
    let mut kept: Vec<Span> = Vec::new();
    let mut open_ends: Vec<usize> = Vec::new();
    for s in spans {
        while open_ends.last().is_some_and(|&end| end <= s.start) {
            open_ends.pop();
        }
        if open_ends.last().is_some_and(|&end| s.end > end) {
            continue; // crosses its parent
        }
        open_ends.push(s.end);
        kept.push(s);
    }
    // Note passages: which chars each covers, and where each ends (its number goes there).
    let mut note_at: Vec<Option<(usize, &str)>> = vec![None; len];
    let mut note_ends: Vec<Vec<usize>> = vec![Vec::new(); len + 1];
    for (n, item) in notes {
        if let Some((_, _, start, end)) = item.anchor.place() {
            let (start, end) = (start.min(len), end.min(len));
            for slot in &mut note_at[start..end] {
                slot.get_or_insert((*n, item.note.color.as_str()));
            }
            note_ends[end].push(*n);
        }
    }
    let mut out = String::new();
    let mut stack: Vec<(usize, &'static str)> = Vec::new();
    let mut next = 0;
    let mut i = 0;
    while i <= len {
        while stack.last().is_some_and(|(end, _)| *end == i) {
            if let Some((_, close)) = stack.pop() {
                out.push_str(close);
            }
        }
        for n in &note_ends[i] {
            out.push_str(&format!("<sup><a href=\"#note-{}\">[{n}]</a></sup>", note_id(notes, *n)));
        }
        if i == len {
            break;
        }
        while next < kept.len() && kept[next].start == i {
            out.push_str(&kept[next].open);
            stack.push((kept[next].end, kept[next].close));
            next += 1;
        }
        // A run of chars with the same note cover, up to the next boundary.
        let boundary = stack.iter().map(|(e, _)| *e).chain(kept.get(next).map(|s| s.start)).chain([len]).min().unwrap_or(len);
        let mut j = i + 1;
        while j < boundary && note_at[j] == note_at[i] && note_ends[j].is_empty() {
            j += 1;
        }
        let run: String = text[i..j].iter().collect();
        match note_at[i] {
            Some((_, color)) => {
                out.push_str(&format!("<span class=\"hl c-{}\">{}</span>", escape_html(color), escape_html(&run)));
            }
            None => out.push_str(&escape_html(&run)),
        }
        i = j;
    }
    out
}

fn note_id(notes: &[(usize, &ExportItem)], n: usize) -> i64 {
    notes.iter().find(|(m, _)| *m == n).map_or(0, |(_, i)| i.note.id)
}

/// Renders `doc` with `notes` as Markdown: the notes as footnotes at the
/// end of their passages, the entities listed by kind.
pub fn render_markdown(analysis: &Analysis, doc: &DocumentAnalysis, notes: &[ExportItem], corpus: &str) -> String {
    let mut out = format!("# {}\n\n", escape_md(&doc.title));
    let meeting = meeting_line(doc);
    if !meeting.is_empty() {
        out.push_str(&format!("*{}*  \n", escape_md(&meeting)));
    }
    out.push_str(&format!("Source: `{}` · [open in sco-reader]({})\n\n", doc.source.replace('`', "'"), link(&doc.id, 0)));
    if let Some(m) = doc.meeting.as_ref().filter(|m| !m.attendees.is_empty()) {
        out.push_str("## Attendees\n\n| name | role | country / organisation | status |\n| --- | --- | --- | --- |\n");
        for a in &m.attendees {
            let whose = a.country.as_deref().or(a.organization.as_deref()).unwrap_or("");
            let cell = |s: &str| escape_md(s).replace('|', "\\|");
            out.push_str(&format!("| {} | {} | {} | {} |\n", cell(&a.name), cell(&a.role), cell(whose), a.status.as_str()));
        }
        out.push('\n');
    }
    out.push_str("## Text\n\n");
    let placed: Vec<(usize, &ExportItem)> =
        notes.iter().filter(|i| i.anchor.place().is_some()).enumerate().map(|(n, i)| (n + 1, i)).collect();
    for (p, para) in doc.paragraphs.iter().enumerate() {
        let chars: Vec<char> = para.text.chars().collect();
        // Footnote marks after each note's passage, from the end so offsets hold.
        let mut marks: Vec<(usize, usize)> = placed
            .iter()
            .filter_map(|(n, i)| i.anchor.place().filter(|pl| pl.1 == p).map(|pl| (pl.3.min(chars.len()), *n)))
            .collect();
        marks.sort();
        let mut text = String::new();
        let mut at = 0;
        for (end, n) in &marks {
            text.push_str(&escape_md(&chars[at..*end].iter().collect::<String>()));
            text.push_str(&format!("[^{n}]"));
            at = *end;
        }
        text.push_str(&escape_md(&chars[at..].iter().collect::<String>()));
        let prefix = para.heading.map(|l| format!("{} ", "#".repeat(usize::from(l + 2).min(6)))).unwrap_or_default();
        out.push_str(&format!("{prefix}{text} [¶{}]({})\n\n", p + 1, link(&doc.id, p)));
    }
    let mut kinds = Vec::new();
    for kind in EntityKind::ALL.into_iter().filter(|k| *k != EntityKind::Agreement) {
        let mut names: Vec<&str> = doc.entities.iter().filter(|e| e.kind == kind).map(|e| e.canonical.as_str()).collect();
        names.sort_unstable();
        names.dedup();
        if !names.is_empty() {
            kinds.push(format!(
                "- **{}**: {}",
                kind_label(kind).0,
                names.iter().map(|n| escape_md(n)).collect::<Vec<_>>().join("、")
            ));
        }
    }
    if !kinds.is_empty() {
        out.push_str(&format!("## Entities\n\n{}\n\n", kinds.join("\n")));
    }
    let cited = cited_agreements(analysis, doc);
    if !cited.is_empty() {
        out.push_str("## Cited agreements\n\n");
        for (n, a) in cited.iter().enumerate() {
            out.push_str(&format!("{}. 《{}》", n + 1, escape_md(&a.title)));
            if let Some(s) = signed_line(a) {
                out.push_str(&format!(" — signed {}", escape_md(&s)));
            }
            out.push('\n');
        }
        out.push('\n');
    }
    let orphans: Vec<&ExportItem> = notes.iter().filter(|i| i.anchor.place().is_none()).collect();
    if !orphans.is_empty() {
        out.push_str("## Notes whose passage is no longer in the document\n\n");
        for item in orphans {
            out.push_str(&format!("- > {} — {}\n", escape_md(&item.note.quote), escape_md(&item.note.text)));
        }
        out.push('\n');
    }
    for (n, item) in &placed {
        let mut body = format!("“{}”", escape_md(&short(&item.note.quote, 60)));
        if !item.note.text.is_empty() {
            body.push_str(&format!(" — {}", escape_md(&item.note.text).replace('\n', " ")));
        }
        if !item.note.tags.is_empty() {
            body.push_str(&format!(
                " ({})",
                item.note.tags.iter().map(|t| format!("#{}", escape_md(t))).collect::<Vec<_>>().join(" ")
            ));
        }
        if matches!(item.anchor, Anchor::Moved { .. }) {
            body.push_str(&format!(" *{}*", escape_md(&item.anchor_text())));
        }
        out.push_str(&format!("[^{n}]: {body}\n"));
    }
    out.push_str(&format!("\n---\nExported by sco-reader {} from {}.\n", env!("CARGO_PKG_VERSION"), escape_md(corpus)));
    out
}

#[cfg(test)]
mod tests;
