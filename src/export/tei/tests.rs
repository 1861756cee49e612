#![allow(clippy::unwrap_used, reason = "tests")]

use super::*;
use crate::notes::{NewNote, prepare};
use quick_xml::Reader;
use quick_xml::events::Event as XmlEvent;
use std::collections::{HashMap, HashSet};

/// The children each element may have, from the TEI P5 content models
/// (only the elements this export writes; phrase-level elements allow the
/// phrase set).
fn allowed_children(parent: &str) -> &'static [&'static str] {
    const PHRASE: &[&str] = &["persName", "placeName", "orgName", "date", "title", "rs", "anchor", "note", "pb"];
    match parent {
        "teiCorpus" => &["teiHeader", "TEI"],
        "TEI" => &["teiHeader", "standOff", "text"],
        "teiHeader" => &["fileDesc", "profileDesc"],
        "fileDesc" => &["titleStmt", "publicationStmt", "sourceDesc"],
        "titleStmt" => &["title"],
        "publicationStmt" => &["p"],
        "sourceDesc" => &["bibl", "p"],
        "bibl" => &["title", "idno", "ref", "date", "placeName"],
        "profileDesc" => &["textClass", "settingDesc"],
        "textClass" => &["keywords"],
        "keywords" => &["term"],
        "settingDesc" => &["setting"],
        "setting" => &["orgName", "date", "placeName"],
        "standOff" => &["listPerson", "listPlace", "listOrg", "listBibl"],
        "listPerson" => &["person"],
        "person" => &["persName"],
        "listPlace" => &["place"],
        "place" => &["placeName"],
        "listOrg" => &["org"],
        "org" => &["orgName"],
        "listBibl" => &["bibl"],
        "text" => &["body", "back"],
        "body" => &["p", "div"],
        "back" => &["div"],
        "div" => &["head", "p", "note"],
        "p" | "head" | "persName" | "placeName" | "orgName" | "date" | "title" | "rs" => PHRASE,
        "note" => &["term", "quote"],
        _ => &[],
    }
}

/// What a TEI file holds, for the checks.
#[derive(Default)]
struct Parsed {
    root: String,
    namespace: Option<String>,
    /// (element, attributes) of every element inside `body`, in order.
    in_body: Vec<(String, HashMap<String, String>)>,
    ids: HashSet<String>,
    refs: Vec<String>,
    /// Text of each `p`/`head` in `body`, without the notes in it.
    paragraphs: Vec<String>,
}

/// Parses `xml` and checks well-formedness, nesting against
/// [`allowed_children`], order rules (`teiHeader` first, `head` first in a
/// `div`, no `p` after a `div` in `body`) and unique ids.
fn parse(xml: &str) -> Parsed {
    let mut reader = Reader::from_str(xml);
    let mut stack: Vec<String> = Vec::new();
    let mut children: Vec<Vec<String>> = vec![Vec::new()];
    let mut out = Parsed::default();
    let mut current: Option<String> = None;
    let mut handle = |name: String, attrs: HashMap<String, String>, stack: &Vec<String>, children: &mut Vec<Vec<String>>| {
        match stack.last() {
            None => {
                out.root.clone_from(&name);
                out.namespace = attrs.get("xmlns").cloned();
            }
            Some(parent) => assert!(allowed_children(parent).contains(&name.as_str()), "<{name}> inside <{parent}>"),
        }
        let siblings = children.last_mut().unwrap();
        if matches!(stack.last().map(String::as_str), Some("TEI" | "teiCorpus")) && siblings.is_empty() {
            assert_eq!(name, "teiHeader", "teiHeader comes first");
        }
        if stack.last().map(String::as_str) == Some("div") && name == "head" {
            assert!(siblings.is_empty(), "head first in its div");
        }
        if stack.last().map(String::as_str) == Some("body") && name == "p" {
            assert!(!siblings.iter().any(|s| s == "div"), "a p after a div in body");
        }
        siblings.push(name.clone());
        if let Some(id) = attrs.get("xml:id") {
            assert!(out.ids.insert(id.clone()), "duplicate xml:id {id}");
        }
        for key in ["ref", "target", "targetEnd"] {
            if let Some(r) = attrs.get(key)
                && let Some(r) = r.strip_prefix('#')
            {
                out.refs.push(r.to_owned());
            }
        }
        if stack.iter().any(|s| s == "body") {
            out.in_body.push((name, attrs));
        }
    };
    loop {
        match reader.read_event().unwrap() {
            XmlEvent::Start(e) => {
                let name = e.name().as_ref().to_owned();
                let attrs = attributes(&e);
                handle(name.clone(), attrs, &stack, &mut children);
                if stack.last().is_some_and(|p| p == "body" || p == "div")
                    && stack.iter().any(|s| s == "body")
                    && (name == "p" || name == "head")
                {
                    current = Some(String::new());
                }
                stack.push(name);
                children.push(Vec::new());
            }
            XmlEvent::Empty(e) => {
                let name = e.name().as_ref().to_owned();
                handle(name, attributes(&e), &stack, &mut children);
            }
            XmlEvent::End(e) => {
                let name = e.name().as_ref().to_owned();
                assert_eq!(stack.pop().as_deref(), Some(name.as_str()));
                children.pop();
                if (name == "p" || name == "head")
                    && stack.last().is_some_and(|p| p == "body" || p == "div")
                    && stack.iter().any(|s| s == "body")
                {
                    out.paragraphs.push(current.take().unwrap_or_default());
                }
            }
            XmlEvent::Text(t) => {
                if let Some(c) = current.as_mut()
                    && !stack.iter().any(|s| s == "note")
                {
                    c.push_str(&t.xml10_content());
                }
            }
            XmlEvent::GeneralRef(r) => {
                if let Some(c) = current.as_mut()
                    && !stack.iter().any(|s| s == "note")
                {
                    let name: String = r.as_ref().to_owned();
                    c.push_str(match name.as_str() {
                        "amp" => "&",
                        "lt" => "<",
                        "gt" => ">",
                        "quot" => "\"",
                        "apos" => "'",
                        other => panic!("entity {other}"),
                    });
                }
            }
            XmlEvent::Eof => break,
            _ => {}
        }
    }
    assert!(stack.is_empty());
    out
}

fn attributes(e: &BytesStart<'_>) -> HashMap<String, String> {
    e.attributes()
        .map(|a| {
            let a = a.unwrap();
            (a.key.as_ref().to_owned(), a.normalized_value(quick_xml::XmlVersion::Implicit1_0).unwrap().into_owned())
        })
        .collect()
}

fn count(p: &Parsed, element: &str, kind: Option<&str>) -> usize {
    p.in_body.iter().filter(|(n, a)| n == element && a.get("type").map(String::as_str) == kind).count()
}

#[test]
fn every_bundled_document_is_tei_with_every_entity_and_citation() {
    let analysis = crate::analysis::bundled_analysis();
    for doc in &analysis.documents {
        let xml = render(&analysis, &[doc], &[], "bundled");
        let p = parse(&xml);
        assert_eq!((p.root.as_str(), p.namespace.as_deref()), ("TEI", Some(TEI_NS)), "{}", doc.id);
        for r in &p.refs {
            assert!(p.ids.contains(r), "{}: #{r} points nowhere", doc.id);
        }
        let of = |k: EntityKind| doc.entities.iter().filter(|e| e.kind == k).count();
        assert_eq!(count(&p, "persName", None), of(EntityKind::Person), "{}", doc.id);
        assert_eq!(count(&p, "placeName", Some("country")), of(EntityKind::Country), "{}", doc.id);
        assert_eq!(count(&p, "placeName", None), of(EntityKind::Place), "{}", doc.id);
        assert_eq!(count(&p, "orgName", None), of(EntityKind::Organization), "{}", doc.id);
        assert_eq!(count(&p, "date", None), of(EntityKind::Date), "{}", doc.id);
        assert_eq!(count(&p, "title", Some("agreement")), doc.citations.len(), "{}", doc.id);
        let references = of(EntityKind::Agreement)
            - doc
                .entities
                .iter()
                .filter(|e| e.kind == EntityKind::Agreement && doc.citations.iter().any(|c| c.place() == e.place()))
                .count();
        assert_eq!(count(&p, "rs", Some("agreement")), references, "{}", doc.id);
        // Every date with a when/from that is its canonical form.
        for (_, a) in p.in_body.iter().filter(|(n, _)| n == "date") {
            assert!(a.contains_key("when") || a.contains_key("from"), "{a:?}");
        }
        // The text is the document's, character for character.
        let texts: Vec<&str> = doc.paragraphs.iter().map(|p| p.text.as_str()).collect();
        assert_eq!(p.paragraphs, texts, "{}", doc.id);
    }
}

#[test]
fn notes_are_anchored_note_elements_and_the_corpus_is_a_tei_corpus() {
    let analysis = crate::analysis::bundled_analysis();
    let doc = &analysis.documents[0];
    let p = doc.paragraphs.iter().position(|p| p.text.chars().count() > 20 && p.heading.is_none()).unwrap();
    let new = NewNote {
        doc: doc.id.clone(),
        paragraph: p,
        start: 2,
        end: 12,
        text: "注意 <b>&</b>".to_owned(),
        color: "green".to_owned(),
        tags: vec!["要点".to_owned()],
    };
    let mut note = prepare(&analysis, &new).unwrap();
    note.id = 7;
    let mut gone = note.clone();
    gone.id = 8;
    gone.quote = "不在文中的话".to_owned();
    gone.paragraph = 0;
    let items = crate::export::items(&analysis, &[note, gone], None);
    let xml = render(&analysis, &[doc], &items, "bundled");
    let parsed = parse(&xml);
    let notes: Vec<&HashMap<String, String>> = parsed.in_body.iter().filter(|(n, _)| n == "note").map(|(_, a)| a).collect();
    assert_eq!(notes.len(), 1);
    assert_eq!(notes[0]["target"], "#d1-note7-start");
    assert_eq!(notes[0]["targetEnd"], "#d1-note7-end");
    assert!(xml.contains("注意 &lt;b&gt;&amp;&lt;/b&gt;"), "the note is text, escaped");
    assert!(xml.contains("subtype=\"orphaned\""), "the orphan is kept in back");
    // Notes do not change the text.
    let texts: Vec<&str> = doc.paragraphs.iter().map(|p| p.text.as_str()).collect();
    assert_eq!(parsed.paragraphs, texts);

    let all: Vec<&DocumentAnalysis> = analysis.documents.iter().collect();
    let corpus = parse(&render(&analysis, &all, &items, "bundled"));
    assert_eq!((corpus.root.as_str(), corpus.namespace.as_deref()), ("teiCorpus", Some(TEI_NS)));
    for r in &corpus.refs {
        assert!(corpus.ids.contains(r), "#{r} points nowhere");
    }
}

#[test]
fn control_characters_never_reach_the_xml() {
    let analysis = crate::analysis::analyze_texts(&[("x", "会议\u{1}在北京\u{7}举行。")]);
    let xml = render(&analysis, &[&analysis.documents[0]], &[], "x");
    assert!(!xml.chars().any(|c| (c as u32) < 0x20 && c != '\n'), "{xml}");
    parse(&xml);
}
