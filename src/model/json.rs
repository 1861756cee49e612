//! The JSON of one analysed document, written byte for byte as
//! `serde_json::to_writer` writes it, but with the bulk of it — paragraph
//! texts and entities — written directly.
//!
//! A document's JSON is mostly entities (six keys each), citations, events
//! and Chinese text with nothing to escape: serde_json escapes every key and
//! string byte by byte through many small writes, which took a tenth of
//! `analyze --json`. Here keys are constant bytes and a string is copied
//! whole once a single scan finds nothing to escape; the rarer fields (the
//! meeting, warnings) still go through serde_json. A test holds every writer
//! to serde_json's bytes, so the output cannot drift from the contract.

use super::{Agreement, Analysis, Citation, CitedBy, DocumentAnalysis, Entity, Event, Paragraph};
use rayon::prelude::*;
use serde::Serialize;

/// Writes `analysis` as the contract's JSON, the same bytes as
/// `serde_json::to_writer`, with documents serialised in parallel (a batch
/// at a time, so the output is never held whole in memory).
pub fn write_json(out: &mut impl std::io::Write, analysis: &Analysis) -> std::io::Result<()> {
    write_json_fields(out, analysis)?;
    out.write_all(b"}")
}

/// [`write_json`] but its closing brace: the caller may add fields.
pub fn write_json_fields(out: &mut impl std::io::Write, analysis: &Analysis) -> std::io::Result<()> {
    write!(out, "{{\"version\":{},\"documents\":[", analysis.version)?;
    for (b, batch) in analysis.documents.chunks(JSON_BATCH).enumerate() {
        let parts: Vec<Vec<u8>> = batch
            .par_iter()
            .with_max_len(1)
            .map(|doc| {
                let mut json = json_buffer(doc);
                write_document(&mut json, doc).map(|()| json)
            })
            .collect::<Result<_, _>>()?;
        for (i, part) in parts.iter().enumerate() {
            if b > 0 || i > 0 {
                out.write_all(b",")?;
            }
            out.write_all(part)?;
        }
    }
    out.write_all(b"],\"agreements\":")?;
    write_agreements_to(out, &analysis.agreements)?;
    out.write_all(b",\"errors\":")?;
    serde_json::to_writer(&mut *out, &analysis.errors)?;
    Ok(())
}

pub(crate) fn write_agreements_to(out: &mut impl std::io::Write, agreements: &[Agreement]) -> std::io::Result<()> {
    let mut json = Vec::new();
    write_agreements(&mut json, agreements)?;
    out.write_all(&json)
}

/// A buffer for a document's JSON, about its size: grown by doubling from
/// empty it would be copied over and over (about 3.5 bytes of JSON for a
/// byte of text, with the entities).
pub(crate) fn json_buffer(doc: &DocumentAnalysis) -> Vec<u8> {
    let text: usize = doc.paragraphs.iter().map(|p| p.text.len()).sum();
    Vec::with_capacity(text.saturating_mul(4).saturating_add(4096))
}

/// Documents finished, serialised and written at a time by [`analyze_to_json`]
/// and [`write_json`].
pub(crate) const JSON_BATCH: usize = 128;

/// Appends the JSON of `doc` to `out`.
pub fn write_document(out: &mut Vec<u8>, doc: &DocumentAnalysis) -> serde_json::Result<()> {
    out.extend_from_slice(b"{\"id\":");
    string(out, &doc.id)?;
    out.extend_from_slice(b",\"source\":");
    string(out, &doc.source)?;
    out.extend_from_slice(b",\"title\":");
    string(out, &doc.title)?;
    out.extend_from_slice(b",\"kind\":");
    serde(out, &doc.kind)?;
    out.extend_from_slice(b",\"meeting\":");
    serde(out, &doc.meeting)?;
    out.extend_from_slice(b",\"paragraphs\":");
    array(out, &doc.paragraphs, paragraph)?;
    out.extend_from_slice(b",\"entities\":");
    let mut texts = crate::model::EntityTexts::new(doc);
    array(out, &doc.entities, |out, e| entity(out, e, texts.text(e)))?;
    out.extend_from_slice(b",\"citations\":");
    array(out, &doc.citations, citation)?;
    out.extend_from_slice(b",\"events\":");
    array(out, &doc.events, event)?;
    out.extend_from_slice(b",\"encoding\":");
    string(out, &doc.encoding)?;
    out.extend_from_slice(b",\"warnings\":");
    serde(out, &doc.warnings)?;
    out.extend_from_slice(b",\"removed_lines\":");
    number(out, doc.removed_lines);
    out.extend_from_slice(b",\"dateline\":");
    optional_string(out, doc.dateline.as_deref())?;
    out.extend_from_slice(b",\"captions\":");
    serde(out, &doc.captions)?;
    out.extend_from_slice(b",\"origin\":");
    serde(out, &doc.origin)?;
    out.push(b'}');
    Ok(())
}

/// `[item,item,…]`, each item written by `write`.
fn array<T>(
    out: &mut Vec<u8>,
    items: &[T],
    mut write: impl FnMut(&mut Vec<u8>, &T) -> serde_json::Result<()>,
) -> serde_json::Result<()> {
    out.push(b'[');
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        write(out, item)?;
    }
    out.push(b']');
    Ok(())
}

fn paragraph(out: &mut Vec<u8>, p: &Paragraph) -> serde_json::Result<()> {
    out.extend_from_slice(b"{\"text\":");
    string(out, &p.text)?;
    out.extend_from_slice(b",\"heading\":");
    optional_number(out, p.heading.map(usize::from));
    out.extend_from_slice(b",\"page\":");
    optional_number(out, p.page.map(|n| n.get() as usize));
    out.push(b'}');
    Ok(())
}

fn entity(out: &mut Vec<u8>, e: &Entity, text: &str) -> serde_json::Result<()> {
    out.extend_from_slice(b"{\"kind\":\"");
    out.extend_from_slice(e.kind.as_str().as_bytes());
    out.extend_from_slice(b"\",\"text\":");
    string(out, text)?;
    out.extend_from_slice(b",\"canonical\":");
    string(out, &e.canonical)?;
    let (paragraph, start, end) = e.place();
    span(out, paragraph, start, end);
    out.push(b'}');
    Ok(())
}

fn citation(out: &mut Vec<u8>, c: &Citation) -> serde_json::Result<()> {
    out.extend_from_slice(b"{\"title\":");
    string(out, &c.title)?;
    out.extend_from_slice(b",\"agreement\":");
    string(out, &c.agreement)?;
    let (paragraph, start, end) = c.place();
    span(out, paragraph, start, end);
    out.extend_from_slice(b",\"signed\":");
    signed(out, c.signed.as_ref())?;
    out.extend_from_slice(b",\"parent\":");
    optional_number(out, c.parent.map(|p| p as usize));
    out.push(b'}');
    Ok(())
}

fn event(out: &mut Vec<u8>, e: &Event) -> serde_json::Result<()> {
    out.extend_from_slice(b"{\"label\":");
    string(out, &e.label)?;
    out.extend_from_slice(b",\"start\":");
    string(out, &e.start)?;
    out.extend_from_slice(b",\"end\":");
    string(out, &e.end)?;
    out.extend_from_slice(b",\"place\":");
    optional_string(out, e.place.as_deref())?;
    out.extend_from_slice(b",\"paragraph\":");
    number(out, e.paragraph);
    out.push(b'}');
    Ok(())
}

/// Appends the JSON array of `agreements` to `out`. Chunks of it are
/// written on all cores: the agreements list every citation of the corpus,
/// and written on one core they would end the run alone.
pub fn write_agreements(out: &mut Vec<u8>, agreements: &[Agreement]) -> serde_json::Result<()> {
    use rayon::prelude::*;
    const CHUNK: usize = 256;
    let parts: Vec<Vec<u8>> = agreements
        .par_chunks(CHUNK)
        .map(|chunk| {
            let mut part = Vec::new();
            for (i, a) in chunk.iter().enumerate() {
                if i > 0 {
                    part.push(b',');
                }
                agreement(&mut part, a)?;
            }
            Ok(part)
        })
        .collect::<serde_json::Result<_>>()?;
    out.push(b'[');
    for (i, part) in parts.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        out.extend_from_slice(part);
    }
    out.push(b']');
    Ok(())
}

fn agreement(out: &mut Vec<u8>, a: &Agreement) -> serde_json::Result<()> {
    out.extend_from_slice(b"{\"id\":");
    string(out, &a.id)?;
    out.extend_from_slice(b",\"title\":");
    string(out, &a.title)?;
    out.extend_from_slice(b",\"variants\":");
    array(out, &a.variants, |out, v| string(out, v))?;
    out.extend_from_slice(b",\"signed\":");
    signed(out, a.signed.as_ref())?;
    out.extend_from_slice(b",\"cited_by\":");
    array(out, &a.cited_by, cited_by)?;
    out.push(b'}');
    Ok(())
}

fn cited_by(out: &mut Vec<u8>, c: &CitedBy) -> serde_json::Result<()> {
    out.extend_from_slice(b"{\"document\":");
    string(out, &c.document)?;
    let (paragraph, start, end) = c.place();
    span(out, paragraph, start, end);
    out.push(b'}');
    Ok(())
}

fn signed(out: &mut Vec<u8>, s: Option<&crate::model::Signed>) -> serde_json::Result<()> {
    match s {
        Some(s) => {
            out.extend_from_slice(b"{\"date\":");
            optional_string(out, s.date.as_deref())?;
            out.extend_from_slice(b",\"place\":");
            optional_string(out, s.place.as_deref())?;
            out.push(b'}');
        }
        None => out.extend_from_slice(b"null"),
    }
    Ok(())
}

fn optional_string(out: &mut Vec<u8>, s: Option<&str>) -> serde_json::Result<()> {
    match s {
        Some(s) => string(out, s),
        None => {
            out.extend_from_slice(b"null");
            Ok(())
        }
    }
}

/// A JSON string: copied whole when nothing in it needs escaping.
fn string(out: &mut Vec<u8>, s: &str) -> serde_json::Result<()> {
    if needs_escape(s.as_bytes()) {
        return serde(out, s);
    }
    out.reserve(s.len() + 2);
    out.push(b'"');
    out.extend_from_slice(s.as_bytes());
    out.push(b'"');
    Ok(())
}

/// True if JSON needs an escape for any of `bytes`: a quote, a backslash or
/// a control char. Tested 32 bytes at a time without an early exit inside a
/// block, which the compiler turns into vector compares.
fn needs_escape(bytes: &[u8]) -> bool {
    let special = |b: u8| b < 0x20 || b == b'"' || b == b'\\';
    let mut blocks = bytes.chunks_exact(32);
    for block in &mut blocks {
        if block.iter().fold(false, |any, &b| any | special(b)) {
            return true;
        }
    }
    blocks.remainder().iter().any(|&b| special(b))
}

/// `,"paragraph":P,"start":S,"end":E`, the position every span-like record ends or goes on with.
fn span(out: &mut Vec<u8>, paragraph: usize, start: usize, end: usize) {
    out.extend_from_slice(b",\"paragraph\":");
    number(out, paragraph);
    out.extend_from_slice(b",\"start\":");
    number(out, start);
    out.extend_from_slice(b",\"end\":");
    number(out, end);
}

/// A number, or `null`.
fn optional_number(out: &mut Vec<u8>, n: Option<usize>) {
    match n {
        Some(n) => number(out, n),
        None => out.extend_from_slice(b"null"),
    }
}

fn number(out: &mut Vec<u8>, n: usize) {
    let mut buf = itoa::Buffer::new();
    out.extend_from_slice(buf.format(n).as_bytes());
}

fn serde(out: &mut Vec<u8>, value: &(impl Serialize + ?Sized)) -> serde_json::Result<()> {
    serde_json::to_writer(&mut *out, value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_are_found_at_any_position() {
        let plain = "上海合作组织成员国元首理事会会议在杜尚别举行".repeat(3);
        assert!(!needs_escape(plain.as_bytes()));
        for special in ["\"", "\\", "\n", "\u{1f}"] {
            for at in [0, 6, 30, 33, 63, 96, 186, plain.len()] {
                let mut s = plain.clone();
                s.insert_str(at, special);
                assert!(needs_escape(s.as_bytes()), "{special:?} at {at}");
            }
        }
    }

    #[test]
    fn documents_are_written_as_serde_json_writes_them() {
        // Quotes, backslashes, control chars and a heading in the text.
        let text = "# 标题\n\n2014年9月12日，上海合作组织在杜尚别签署《\"协定\"\\附件》。\t\u{1}\n\n普京总统出席。";
        let analysis = crate::analysis::analyze_texts(&[("d\"1", text), ("d2", "上合组织秘书长张明。")]);
        for doc in &analysis.documents {
            let mut ours = Vec::new();
            write_document(&mut ours, doc).expect("write");
            let theirs = serde_json::to_vec(doc).expect("serialise");
            assert_eq!(String::from_utf8_lossy(&ours), String::from_utf8_lossy(&theirs));
        }
        // An entity's text, read from its paragraph, with the same odd chars;
        // one past its paragraph's end, and one in no paragraph.
        let mut odd = analysis.documents[1].clone();
        odd.paragraphs[0].text = "a\"b\\c\u{7}上合".into();
        odd.entities = vec![
            Entity::new(crate::model::EntityKind::Person, "x\ny".into(), 0, 1, 8),
            Entity::new(crate::model::EntityKind::Place, "上合".into(), 0, 6, 40),
            Entity::new(crate::model::EntityKind::Date, "2014".into(), 9, 0, 18_446_744),
        ];
        let mut ours = Vec::new();
        write_document(&mut ours, &odd).expect("write");
        assert_eq!(String::from_utf8_lossy(&ours), String::from_utf8_lossy(&serde_json::to_vec(&odd).expect("serialise")));
        let texts: Vec<&str> = odd.entities.iter().map(|e| odd.entity_text(e)).collect();
        assert_eq!(texts, ["\"b\\c\u{7}上合", "上合", ""]);

        let signed = |date: Option<&str>, place: Option<&str>| {
            Some(crate::model::Signed { date: date.map(Into::into), place: place.map(Into::into) })
        };
        for (signed, parent) in
            [(None, None), (signed(None, Some("\"北京\"")), Some(2)), (signed(Some("2001-06-15"), None), None)]
        {
            let c = Citation {
                title: "上海合作组织宪章\\".into(),
                agreement: "a1".into(),
                paragraph: 1,
                start: 2,
                end: 3,
                signed,
                parent,
            };
            let mut json = Vec::new();
            citation(&mut json, &c).expect("write");
            assert_eq!(String::from_utf8_lossy(&json), String::from_utf8_lossy(&serde_json::to_vec(&c).expect("serialise")));
        }
        for place in [None, Some("视频\n")] {
            let e = Event {
                label: "元首理事会会议".into(),
                start: "2019-06-14".into(),
                end: "2019-06-15".into(),
                place: place.map(Into::into),
                paragraph: 7,
            };
            let mut json = Vec::new();
            event(&mut json, &e).expect("write");
            assert_eq!(String::from_utf8_lossy(&json), String::from_utf8_lossy(&serde_json::to_vec(&e).expect("serialise")));
        }
    }
}
