#![allow(clippy::unwrap_used, reason = "tests")]

use super::*;
use crate::notes::{NewNote, prepare};

use crate::analysis::bundled_analysis as bundled;

/// A note on chars `start..end` of paragraph `p` of `doc`, with ids from 1.
fn note_on(analysis: &Analysis, doc: &str, p: usize, start: usize, end: usize, text: &str, id: i64) -> crate::notes::Note {
    let new = NewNote {
        doc: doc.to_owned(),
        paragraph: p,
        start,
        end,
        text: text.to_owned(),
        color: "green".to_owned(),
        tags: vec!["要点".to_owned()],
    };
    let mut note = prepare(analysis, &new).unwrap();
    note.id = id;
    note
}

/// The page's text with the tags (and the notes' numbers) taken out and
/// the entities decoded.
fn text_of(html: &str) -> String {
    let mut html = html.to_owned();
    while let Some(start) = html.find("<sup>") {
        let end = html[start..].find("</sup>").map_or(html.len(), |e| start + e + "</sup>".len());
        html.replace_range(start..end, "");
    }
    let mut out = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&#39;", "'").replace("&amp;", "&")
}

#[test]
fn the_page_marks_every_entity_and_shows_every_note_self_contained() {
    let analysis = bundled();
    for doc in &analysis.documents {
        let p = doc.paragraphs.iter().position(|p| p.text.chars().count() > 20).unwrap();
        let notes = vec![
            note_on(&analysis, &doc.id, p, 2, 12, "<script>alert(1)</script> & 注意", 1),
            note_on(&analysis, &doc.id, p, 8, 18, "第二条批注", 2),
        ];
        let items = crate::export::items(&analysis, &notes, Some(&doc.id));
        let html = render_html(&analysis, doc, &items, "bundled corpus");
        // Self-contained: nothing fetched, no script.
        for banned in ["<script", "src=", "<link", "@import", "http://", "https://"] {
            assert!(!html.contains(banned), "{} holds {banned}", doc.id);
        }
        assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; 注意"), "the note is escaped");
        assert!(html.contains("第二条批注") && html.contains("#要点"));
        assert!(html.contains("@media print"));
        // Every entity is marked with its kind and canonical name.
        for e in doc.entities.iter().filter(|e| e.kind != EntityKind::Agreement) {
            let open =
                format!("<mark class=\"k-{}\" title=\"{}: {}\">", e.kind.as_str(), e.kind.as_str(), escape_html(&e.canonical));
            assert!(html.contains(&open), "{}: {:?} not marked", doc.id, e);
        }
        for c in &doc.citations {
            assert!(html.contains(&format!("href=\"#a-{}\"", c.agreement)), "{}: citation {} not linked", doc.id, c.title);
            assert!(html.contains(&format!("id=\"a-{}\"", c.agreement)), "agreement {} listed", c.agreement);
        }
        if let Some(m) = &doc.meeting {
            for a in &m.attendees {
                assert!(html.contains(&format!("<td>{}</td>", escape_html(&a.name))), "attendee {} in the table", a.name);
            }
        }
        // The text reads as the cleaned document: every paragraph whole, in order.
        let page = text_of(&html);
        let mut at = 0;
        for para in &doc.paragraphs {
            let found = page[at..].find(para.text.as_str());
            assert!(found.is_some(), "{}: paragraph not whole: {}", doc.id, para.text);
            at += found.unwrap_or(0);
        }
        assert!(html.contains(&format!("sco-reader://open?doc={}&amp;p={p}", percent_encode(&doc.id))));
    }
}

#[test]
fn the_markdown_carries_the_notes_as_footnotes_and_the_agreements() {
    let analysis = bundled();
    let doc = analysis.documents.iter().find(|d| !d.citations.is_empty()).unwrap();
    let notes = vec![note_on(&analysis, &doc.id, 1, 0, 6, "一条*重要*批注", 7)];
    let items = crate::export::items(&analysis, &notes, Some(&doc.id));
    let md = render_markdown(&analysis, doc, &items, "bundled corpus");
    assert!(md.contains("[^1]: "), "{md}");
    assert!(md.contains("一条\\*重要\\*批注"));
    assert!(md.contains("## Cited agreements"));
    let mut html = String::new();
    pulldown_cmark::html::push_html(&mut html, pulldown_cmark::Parser::new_ext(&md, pulldown_cmark::Options::ENABLE_FOOTNOTES));
    assert!(html.contains("footnote-definition"), "footnotes parse");
}
