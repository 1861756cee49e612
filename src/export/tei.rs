//! TEI P5 XML of one document or of the corpus (a `teiCorpus`), written
//! with quick-xml in the TEI namespace.
//!
//! Each `TEI` has a `teiHeader` (title, source file, kind, the meeting's
//! body, date and place), a `standOff` with the people, places,
//! organisations and cited agreements of the document (`listPerson`,
//! `listPlace`, `listOrg`, `listBibl`), and a `text` whose paragraphs carry
//! every entity inline (`persName`, `placeName`, `orgName`, `date`,
//! `title type="agreement"`, `rs type="agreement"` for 该协定), each with a
//! `ref` to its entry. A heading opens a `div`. The user's notes are
//! `note` elements after their passages, pointing at `anchor`s around them;
//! notes whose passage is gone are listed in `back`. Every paragraph has a
//! `corresp` back-link (`sco-reader://open?doc=…&p=…`).
//!
//! Element use follows the TEI P5 content models (checked in the tests:
//! `tests.rs` holds the parent → child rules relied on).

use super::ExportItem;
use super::document::link;
use crate::model::{Analysis, DocumentAnalysis, Entity, EntityKind};
use quick_xml::Writer;
use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, BytesText, Event};
use std::collections::BTreeMap;
use std::io;

/// The TEI namespace.
pub const TEI_NS: &str = "http://www.tei-c.org/ns/1.0";

/// The TEI of `docs` (one `TEI`, or a `teiCorpus` of several) with the
/// user's notes on them (`notes`: export items of any documents; each goes
/// with its own).
pub fn render(analysis: &Analysis, docs: &[&DocumentAnalysis], notes: &[ExportItem], corpus: &str) -> String {
    let mut w = Writer::new(Vec::new());
    // Writing to a Vec cannot fail; an error would only mean a bug here.
    let written = write_all(&mut w, analysis, docs, notes, corpus);
    debug_assert!(written.is_ok(), "{written:?}");
    String::from_utf8(w.into_inner()).unwrap_or_default()
}

type W = Writer<Vec<u8>>;

fn write_all(w: &mut W, analysis: &Analysis, docs: &[&DocumentAnalysis], notes: &[ExportItem], corpus: &str) -> io::Result<()> {
    w.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
    nl(w)?;
    if let [doc] = docs {
        return write_tei(w, analysis, doc, notes, "d1-", true);
    }
    let mut root = BytesStart::new("teiCorpus");
    root.push_attribute(("xmlns", TEI_NS));
    root.push_attribute(("xml:lang", "zh"));
    w.write_event(Event::Start(root))?;
    nl(w)?;
    open(w, "teiHeader", &[])?;
    open(w, "fileDesc", &[])?;
    open(w, "titleStmt", &[])?;
    leaf(w, "title", &[], &format!("{corpus}: {} documents", docs.len()))?;
    close(w, "titleStmt")?;
    publication(w)?;
    open(w, "sourceDesc", &[])?;
    leaf(w, "p", &[], corpus)?;
    close(w, "sourceDesc")?;
    close(w, "fileDesc")?;
    close(w, "teiHeader")?;
    for (i, doc) in docs.iter().enumerate() {
        write_tei(w, analysis, doc, notes, &format!("d{}-", i + 1), false)?;
    }
    close(w, "teiCorpus")
}

fn nl(w: &mut W) -> io::Result<()> {
    w.write_event(Event::Text(BytesText::from_escaped("\n")))
}

fn start<'a>(name: &'a str, attrs: &[(&str, &str)]) -> BytesStart<'a> {
    let mut e = BytesStart::new(name);
    for (k, v) in attrs {
        e.push_attribute((*k, xml_safe(v).as_str()));
    }
    e
}

fn open(w: &mut W, name: &str, attrs: &[(&str, &str)]) -> io::Result<()> {
    w.write_event(Event::Start(start(name, attrs)))
}

fn close(w: &mut W, name: &str) -> io::Result<()> {
    w.write_event(Event::End(BytesEnd::new(name)))?;
    nl(w)
}

fn empty(w: &mut W, name: &str, attrs: &[(&str, &str)]) -> io::Result<()> {
    w.write_event(Event::Empty(start(name, attrs)))
}

fn text(w: &mut W, s: &str) -> io::Result<()> {
    w.write_event(Event::Text(BytesText::new(&xml_safe(s))))
}

/// `<name attrs>text</name>` and a line break.
fn leaf(w: &mut W, name: &str, attrs: &[(&str, &str)], content: &str) -> io::Result<()> {
    open(w, name, attrs)?;
    text(w, content)?;
    close(w, name)
}

/// `s` with the characters XML 1.0 cannot carry (controls, lone
/// surrogates' replacements aside) as U+FFFD.
fn xml_safe(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '\t' | '\n' | '\r' => c,
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => '\u{FFFD}',
            c => c,
        })
        .collect()
}

fn publication(w: &mut W) -> io::Result<()> {
    open(w, "publicationStmt", &[])?;
    leaf(
        w,
        "p",
        &[],
        &format!(
            "Exported by sco-reader {}: the analysis with the reader's corrections, and the reader's notes.",
            env!("CARGO_PKG_VERSION")
        ),
    )?;
    close(w, "publicationStmt")
}

/// The `when` / `from`+`to` attributes of an ISO date or range, if it is one.
fn date_attrs(iso: &str) -> Vec<(&'static str, String)> {
    use crate::model::is_iso_day_month_or_year as w3c;
    match iso.split_once('/') {
        Some((a, b)) if w3c(a) && w3c(b) => vec![("from", a.to_owned()), ("to", b.to_owned())],
        None if w3c(iso) => vec![("when", iso.to_owned())],
        _ => Vec::new(),
    }
}

/// The document's people, places (countries too), organisations, each
/// canonical name with its `xml:id`.
struct Registers {
    persons: BTreeMap<String, String>,
    places: BTreeMap<(bool, String), String>,
    orgs: BTreeMap<String, String>,
}

impl Registers {
    fn of(doc: &DocumentAnalysis, prefix: &str) -> Self {
        let mut r = Self { persons: BTreeMap::new(), places: BTreeMap::new(), orgs: BTreeMap::new() };
        for e in &doc.entities {
            match e.kind {
                EntityKind::Person => {
                    r.persons.entry(e.canonical.to_string()).or_default();
                }
                EntityKind::Country | EntityKind::Place => {
                    r.places.entry((e.kind == EntityKind::Country, e.canonical.to_string())).or_default();
                }
                EntityKind::Organization => {
                    r.orgs.entry(e.canonical.to_string()).or_default();
                }
                EntityKind::Date | EntityKind::Agreement => {}
            }
        }
        for (i, id) in r.persons.values_mut().enumerate() {
            *id = format!("{prefix}pers{}", i + 1);
        }
        for (i, id) in r.places.values_mut().enumerate() {
            *id = format!("{prefix}place{}", i + 1);
        }
        for (i, id) in r.orgs.values_mut().enumerate() {
            *id = format!("{prefix}org{}", i + 1);
        }
        r
    }

    /// `#id` of an entity's entry.
    fn reference(&self, e: &Entity, prefix: &str) -> Option<String> {
        let id = match e.kind {
            EntityKind::Person => self.persons.get(e.canonical.as_str())?.clone(),
            EntityKind::Country | EntityKind::Place => {
                self.places.get(&(e.kind == EntityKind::Country, e.canonical.to_string()))?.clone()
            }
            EntityKind::Organization => self.orgs.get(e.canonical.as_str())?.clone(),
            EntityKind::Agreement => agreement_id(prefix, &e.canonical),
            EntityKind::Date => return None,
        };
        Some(format!("#{id}"))
    }
}

fn agreement_id(prefix: &str, id: &str) -> String {
    format!("{prefix}agr-{id}")
}

fn write_tei(
    w: &mut W,
    analysis: &Analysis,
    doc: &DocumentAnalysis,
    notes: &[ExportItem],
    prefix: &str,
    root: bool,
) -> io::Result<()> {
    let mut attrs = vec![("xml:lang", "zh"), ("n", doc.id.as_str())];
    if root {
        attrs.insert(0, ("xmlns", TEI_NS));
    }
    w.write_event(Event::Start(start("TEI", &attrs)))?;
    nl(w)?;
    header(w, doc)?;
    let registers = Registers::of(doc, prefix);
    stand_off(w, analysis, doc, &registers, prefix)?;
    let mine: Vec<&ExportItem> = notes.iter().filter(|n| n.doc == doc.id).collect();
    body(w, doc, &registers, &mine, prefix)?;
    close(w, "TEI")
}

fn header(w: &mut W, doc: &DocumentAnalysis) -> io::Result<()> {
    open(w, "teiHeader", &[])?;
    open(w, "fileDesc", &[])?;
    open(w, "titleStmt", &[])?;
    leaf(w, "title", &[], &doc.title)?;
    close(w, "titleStmt")?;
    publication(w)?;
    open(w, "sourceDesc", &[])?;
    open(w, "bibl", &[])?;
    leaf(w, "title", &[], &doc.title)?;
    leaf(w, "idno", &[("type", "file")], &doc.source)?;
    if let Some(url) = &doc.origin.url {
        leaf(w, "ref", &[("target", url)], url)?;
    }
    if let Some(published) = &doc.origin.published {
        let day = published.get(..10).unwrap_or(published);
        let attrs = date_attrs(day);
        leaf(w, "date", &attrs.iter().map(|(k, v)| (*k, v.as_str())).collect::<Vec<_>>(), published)?;
    }
    close(w, "bibl")?;
    close(w, "sourceDesc")?;
    close(w, "fileDesc")?;
    open(w, "profileDesc", &[])?;
    open(w, "textClass", &[])?;
    open(w, "keywords", &[])?;
    leaf(w, "term", &[("type", "kind")], kind_name(doc))?;
    close(w, "keywords")?;
    close(w, "textClass")?;
    if let Some(m) = &doc.meeting {
        open(w, "settingDesc", &[])?;
        open(w, "setting", &[])?;
        // The body as the text names it, else the council's name; its kind as in the JSON.
        let body = m.body_label.as_deref().unwrap_or_else(|| super::body_label(m.body));
        let key = serde_json::to_value(m.body).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default();
        leaf(w, "orgName", &[("type", "body"), ("key", &key)], body)?;
        let range = match (&m.start, &m.end) {
            (Some(s), Some(e)) if s != e => Some(format!("{s}/{e}")),
            (Some(s), _) => Some(s.clone()),
            _ => None,
        };
        if let Some(range) = range {
            let attrs = date_attrs(&range);
            leaf(w, "date", &attrs.iter().map(|(k, v)| (*k, v.as_str())).collect::<Vec<_>>(), &range)?;
        }
        if let Some(place) = &m.place {
            leaf(w, "placeName", &[], place)?;
        }
        close(w, "setting")?;
        close(w, "settingDesc")?;
    }
    close(w, "profileDesc")?;
    close(w, "teiHeader")
}

fn kind_name(doc: &DocumentAnalysis) -> &'static str {
    match doc.kind {
        crate::model::DocKind::JointCommunique => "joint_communique",
        crate::model::DocKind::PressCommunique => "press_communique",
        crate::model::DocKind::Declaration => "declaration",
        crate::model::DocKind::Speech => "speech",
        crate::model::DocKind::Statement => "statement",
        crate::model::DocKind::Other => "other",
    }
}

fn stand_off(w: &mut W, analysis: &Analysis, doc: &DocumentAnalysis, r: &Registers, prefix: &str) -> io::Result<()> {
    let mut cited: Vec<&str> = doc.citations.iter().map(|c| c.agreement.as_str()).collect();
    cited.sort_unstable();
    cited.dedup();
    if r.persons.is_empty() && r.places.is_empty() && r.orgs.is_empty() && cited.is_empty() {
        return Ok(());
    }
    open(w, "standOff", &[])?;
    nl(w)?;
    if !r.persons.is_empty() {
        open(w, "listPerson", &[])?;
        for (name, id) in &r.persons {
            open(w, "person", &[("xml:id", id)])?;
            leaf(w, "persName", &[], name)?;
            close(w, "person")?;
        }
        close(w, "listPerson")?;
    }
    if !r.places.is_empty() {
        open(w, "listPlace", &[])?;
        for ((country, name), id) in &r.places {
            let kind = if *country { "country" } else { "place" };
            open(w, "place", &[("xml:id", id), ("type", kind)])?;
            leaf(w, "placeName", &[], name)?;
            close(w, "place")?;
        }
        close(w, "listPlace")?;
    }
    if !r.orgs.is_empty() {
        open(w, "listOrg", &[])?;
        for (name, id) in &r.orgs {
            open(w, "org", &[("xml:id", id)])?;
            leaf(w, "orgName", &[], name)?;
            close(w, "org")?;
        }
        close(w, "listOrg")?;
    }
    if !cited.is_empty() {
        open(w, "listBibl", &[])?;
        for id in cited {
            let xml_id = agreement_id(prefix, id);
            open(w, "bibl", &[("xml:id", &xml_id), ("type", "agreement"), ("n", id)])?;
            match analysis.agreement(id) {
                Some(a) => {
                    leaf(w, "title", &[("type", "main")], &a.title)?;
                    for v in &a.variants {
                        leaf(w, "title", &[("type", "alt")], v)?;
                    }
                    if let Some(s) = &a.signed {
                        if let Some(date) = &s.date {
                            let attrs = date_attrs(date);
                            leaf(w, "date", &attrs.iter().map(|(k, v)| (*k, v.as_str())).collect::<Vec<_>>(), date)?;
                        }
                        if let Some(place) = &s.place {
                            leaf(w, "placeName", &[], place)?;
                        }
                    }
                }
                None => {
                    let title = doc.citations.iter().find(|c| c.agreement == id).map_or("", |c| c.title.as_str());
                    leaf(w, "title", &[("type", "main")], title)?;
                }
            }
            close(w, "bibl")?;
        }
        close(w, "listBibl")?;
    }
    close(w, "standOff")
}

/// A thing placed in a paragraph: an element around a span, or a point.
enum Mark<'a> {
    Span { start: usize, end: usize, element: &'static str, attrs: Vec<(&'static str, String)> },
    NoteStart { at: usize, id: String },
    NoteEnd { at: usize, item: &'a ExportItem, id: String },
}

fn body(w: &mut W, doc: &DocumentAnalysis, r: &Registers, notes: &[&ExportItem], prefix: &str) -> io::Result<()> {
    open(w, "text", &[])?;
    nl(w)?;
    open(w, "body", &[])?;
    nl(w)?;
    let mut in_div = false;
    let mut last_page = None;
    for (pi, p) in doc.paragraphs.iter().enumerate() {
        let link = link(&doc.id, pi);
        let n = (pi + 1).to_string();
        let element = if p.heading.is_some() {
            if in_div {
                close(w, "div")?;
            }
            open(w, "div", &[("type", "section")])?;
            nl(w)?;
            in_div = true;
            "head"
        } else {
            "p"
        };
        open(w, element, &[("n", n.as_str()), ("corresp", link.as_str())])?;
        // A paged source (PDF): a page break where a new page begins.
        if let Some(page) = p.page
            && last_page != Some(page)
        {
            empty(w, "pb", &[("n", &page.to_string())])?;
            last_page = Some(page);
        }
        paragraph(w, doc, pi, &p.text, r, notes, prefix)?;
        close(w, element)?;
    }
    if in_div {
        close(w, "div")?;
    }
    close(w, "body")?;
    let orphans: Vec<&&ExportItem> = notes.iter().filter(|n| n.anchor.place().is_none()).collect();
    if !orphans.is_empty() {
        open(w, "back", &[])?;
        open(w, "div", &[("type", "notes")])?;
        nl(w)?;
        leaf(w, "head", &[], "Notes whose passage is no longer in the document")?;
        for item in orphans {
            let id = format!("{prefix}note{}", item.note.id);
            open(w, "note", &[("xml:id", &id), ("type", "annotation"), ("subtype", "orphaned"), ("rend", &item.note.color)])?;
            open(w, "quote", &[])?;
            text(w, &item.note.quote)?;
            w.write_event(Event::End(BytesEnd::new("quote")))?;
            text(w, " ")?;
            note_content(w, item)?;
            close(w, "note")?;
        }
        close(w, "div")?;
        close(w, "back")?;
    }
    close(w, "text")
}

fn note_content(w: &mut W, item: &ExportItem) -> io::Result<()> {
    text(w, &item.note.text)?;
    for tag in &item.note.tags {
        text(w, " ")?;
        open(w, "term", &[("type", "tag")])?;
        text(w, tag)?;
        w.write_event(Event::End(BytesEnd::new("term")))?;
    }
    Ok(())
}

/// One paragraph's text with its entities, citations and notes, nested.
fn paragraph(
    w: &mut W,
    doc: &DocumentAnalysis,
    pi: usize,
    content: &str,
    r: &Registers,
    notes: &[&ExportItem],
    prefix: &str,
) -> io::Result<()> {
    let chars: Vec<char> = content.chars().collect();
    let mut marks: Vec<Mark<'_>> = Vec::new();
    let citation_at = |s: usize, e: usize| doc.citations.iter().any(|c| c.place() == (pi, s, e));
    for e in doc.entities.iter().filter(|e| e.paragraph() == pi && e.start < e.end() && e.chars().end <= chars.len()) {
        let reference = r.reference(e, prefix);
        let (element, mut attrs): (&'static str, Vec<(&'static str, String)>) = match e.kind {
            EntityKind::Person => ("persName", vec![]),
            EntityKind::Country => ("placeName", vec![("type", "country".to_owned())]),
            EntityKind::Place => ("placeName", vec![]),
            EntityKind::Organization => ("orgName", vec![]),
            EntityKind::Date => ("date", date_attrs(&e.canonical)),
            // A citation is written as its title below; 该协定 and the like point to it.
            EntityKind::Agreement if citation_at(e.chars().start, e.chars().end) => continue,
            EntityKind::Agreement => ("rs", vec![("type", "agreement".to_owned())]),
        };
        if let Some(reference) = reference {
            attrs.push(("ref", reference));
        }
        marks.push(Mark::Span { start: e.chars().start, end: e.chars().end, element, attrs });
    }
    for c in doc.citations.iter() {
        let (p, start, end) = c.place();
        if p != pi || start >= end || end > chars.len() {
            continue;
        }
        let attrs = vec![("type", "agreement".to_owned()), ("ref", format!("#{}", agreement_id(prefix, &c.agreement)))];
        marks.push(Mark::Span { start, end, element: "title", attrs });
    }
    for item in notes {
        let Some((_, p, s, e)) = item.anchor.place() else { continue };
        if p != pi || e > chars.len() || s >= e {
            continue;
        }
        let id = format!("{prefix}note{}", item.note.id);
        marks.push(Mark::NoteStart { at: s, id: format!("{id}-start") });
        marks.push(Mark::NoteEnd { at: e, item, id });
    }
    // Spans by start, the longer first; a span crossing an open one is left
    // as text (the analysis makes none).
    let mut spans: Vec<(usize, usize, usize)> = marks
        .iter()
        .enumerate()
        .filter_map(|(i, m)| match m {
            Mark::Span { start, end, .. } => Some((*start, *end, i)),
            _ => None,
        })
        .collect();
    spans.sort_by_key(|(s, e, i)| (*s, std::cmp::Reverse(*e), *i));
    let mut points: Vec<(usize, u8, usize)> = marks
        .iter()
        .enumerate()
        .filter_map(|(i, m)| match m {
            Mark::NoteEnd { at, .. } => Some((*at, 0, i)),
            Mark::NoteStart { at, .. } => Some((*at, 1, i)),
            Mark::Span { .. } => None,
        })
        .collect();
    points.sort_unstable();
    let mut stack: Vec<(usize, &'static str)> = Vec::new();
    let (mut next_span, mut next_point) = (0, 0);
    let mut pos = 0;
    loop {
        // Close what ends here.
        while let Some(&(end, name)) = stack.last() {
            if end != pos {
                break;
            }
            w.write_event(Event::End(BytesEnd::new(name)))?;
            stack.pop();
        }
        // Notes ending here, then anchors of notes starting here.
        while let Some(&(at, _, i)) = points.get(next_point)
            && at == pos
        {
            match &marks[i] {
                Mark::NoteEnd { item, id, .. } => {
                    let end_id = format!("{id}-end");
                    empty(w, "anchor", &[("xml:id", &end_id)])?;
                    let target = format!("#{id}-start");
                    let target_end = format!("#{end_id}");
                    let n = item.note.id.to_string();
                    open(
                        w,
                        "note",
                        &[
                            ("xml:id", id),
                            ("type", "annotation"),
                            ("n", &n),
                            ("target", &target),
                            ("targetEnd", &target_end),
                            ("rend", &item.note.color),
                        ],
                    )?;
                    note_content(w, item)?;
                    w.write_event(Event::End(BytesEnd::new("note")))?;
                }
                Mark::NoteStart { id, .. } => empty(w, "anchor", &[("xml:id", id)])?,
                Mark::Span { .. } => {}
            }
            next_point += 1;
        }
        // Open what starts here and fits inside what is open.
        while let Some(&(s, e, i)) = spans.get(next_span)
            && s == pos
        {
            next_span += 1;
            if stack.last().is_some_and(|(open_end, _)| e > *open_end) {
                continue;
            }
            if let Mark::Span { element, attrs, .. } = &marks[i] {
                let attrs: Vec<(&str, &str)> = attrs.iter().map(|(k, v)| (*k, v.as_str())).collect();
                open(w, element, &attrs)?;
                stack.push((e, element));
            }
        }
        if pos >= chars.len() {
            break;
        }
        // Text up to the next event.
        let next = [
            stack.last().map(|(e, _)| *e),
            spans.get(next_span).map(|(s, _, _)| *s),
            points.get(next_point).map(|(at, _, _)| *at),
            Some(chars.len()),
        ]
        .into_iter()
        .flatten()
        .filter(|&x| x > pos)
        .min()
        .unwrap_or(chars.len());
        let run: String = chars[pos..next].iter().collect();
        text(w, &run)?;
        pos = next;
    }
    while let Some((_, name)) = stack.pop() {
        w.write_event(Event::End(BytesEnd::new(name)))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests;
