//! Word documents (`.docx`) → one block per paragraph.
//!
//! A `.docx` is a ZIP archive; the text is `word/document.xml`, read here
//! with `quick-xml` as a stream. Paragraphs (`w:p`) of the body come out in
//! order, one block each; a paragraph whose style is a heading (its name in
//! `word/styles.xml` is `heading N` or `Title`, or it has an outline level)
//! becomes `#…` at that level; a table row becomes one line, its cells
//! apart by ` | `. Deleted revisions (`w:delText`), field codes and
//! drawings are left out; inserted revisions are kept. The parts are read
//! through a size cap, so a ZIP bomb is an error, not an exhausted memory.

use super::{ConvertError, Converted, Layout, SourceFormat};
use quick_xml::events::{BytesStart, Event};
use rustc_hash::FxHashMap;
use std::io::Read as _;

/// Largest uncompressed part read: the XML of a 2,000-page book is about
/// 20 MB; more is a ZIP bomb.
const MAX_PART_BYTES: u64 = 64 << 20;

/// Converts a Word document.
pub(super) fn convert(bytes: &[u8]) -> Result<Converted, ConvertError> {
    let damaged = |e: &dyn std::fmt::Display| ConvertError::damaged(SourceFormat::Docx, e);
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).map_err(|e| damaged(&e))?;
    let document =
        read_part(&mut archive, "word/document.xml")?.ok_or_else(|| damaged(&"no word/document.xml: not a Word document"))?;
    let styles = match read_part(&mut archive, "word/styles.xml")? {
        Some(xml) => heading_styles(&xml).map_err(|e| damaged(&e))?,
        None => FxHashMap::default(),
    };
    let blocks = body_blocks(&document, &styles).map_err(|e| damaged(&e))?;
    let mut text = String::with_capacity(document.len() / 4);
    for (heading, block) in blocks {
        if !text.is_empty() {
            text.push_str("\n\n");
        }
        if let Some(level) = heading {
            text.extend(std::iter::repeat_n('#', usize::from(level)));
            text.push(' ');
        }
        text.push_str(&block);
    }
    if text.trim().is_empty() {
        return Err(ConvertError::Empty(SourceFormat::Docx));
    }
    Ok(Converted::text(text, Layout::Blocks, "DOCX", SourceFormat::Docx))
}

fn read_part(archive: &mut zip::ZipArchive<std::io::Cursor<&[u8]>>, name: &str) -> Result<Option<String>, ConvertError> {
    let damaged = |e: &dyn std::fmt::Display| ConvertError::damaged(SourceFormat::Docx, format!("{name}: {e}"));
    let file = match archive.by_name(name) {
        Ok(file) => file,
        Err(zip::result::ZipError::FileNotFound) => return Ok(None),
        Err(e) => return Err(damaged(&e)),
    };
    let mut bytes = Vec::new();
    file.take(MAX_PART_BYTES + 1).read_to_end(&mut bytes).map_err(|e| damaged(&e))?;
    if bytes.len() as u64 > MAX_PART_BYTES {
        return Err(damaged(&format!("more than {} MiB uncompressed", MAX_PART_BYTES >> 20)));
    }
    String::from_utf8(bytes).map(Some).map_err(|_| damaged(&"not UTF-8 XML"))
}

/// Style id → heading level, from `word/styles.xml`: styles named `Title`
/// (level 1) or `heading N`, and styles with an outline level.
fn heading_styles(xml: &str) -> Result<FxHashMap<String, u8>, quick_xml::Error> {
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut out = FxHashMap::default();
    let mut current: Option<String> = None;
    loop {
        match reader.read_event()? {
            Event::Start(e) if local(&e) == "style" => current = attr(&e, "styleId"),
            Event::Empty(e) | Event::Start(e) => {
                let Some(id) = &current else { continue };
                match local(&e) {
                    "name" => {
                        let name = attr(&e, "val").unwrap_or_default().to_ascii_lowercase();
                        let level = match name.strip_prefix("heading") {
                            Some(n) => n.trim().parse::<u8>().ok().filter(|n| (1..=6).contains(n)),
                            None => (name == "title").then_some(1),
                        };
                        if let Some(level) = level {
                            out.insert(id.clone(), level);
                        }
                    }
                    "outlineLvl" => {
                        if let Some(n) = attr(&e, "val").and_then(|v| v.parse::<u8>().ok()).filter(|n| *n < 6) {
                            out.entry(id.clone()).or_insert(n + 1);
                        }
                    }
                    _ => {}
                }
            }
            Event::End(e) if e.local_name().as_ref() == "style" => current = None,
            Event::Eof => break,
            _ => {}
        }
    }
    Ok(out)
}

/// The body's paragraphs and table rows in order, with their heading levels.
fn body_blocks(xml: &str, styles: &FxHashMap<String, u8>) -> Result<Vec<(Option<u8>, String)>, quick_xml::Error> {
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut blocks = Vec::new();
    // Open tables: the cells of the row being read, and the cell's text.
    let mut tables: Vec<(Vec<String>, String)> = Vec::new();
    let mut paragraph = String::new();
    let mut heading: Option<u8> = None;
    let mut in_text = false;
    // Inside an element whose text is not the document's (deleted text, field codes, drawings).
    let mut skipping = 0usize;
    loop {
        let event = reader.read_event()?;
        match &event {
            Event::Start(e) => match local(e) {
                "delText" | "instrText" | "drawing" | "pict" | "object" => skipping += 1,
                "t" => in_text = true,
                "p" => {
                    paragraph.clear();
                    heading = None;
                }
                "tbl" => tables.push((Vec::new(), String::new())),
                "tr" => {
                    if let Some(t) = tables.last_mut() {
                        t.0.clear();
                    }
                }
                "tc" => {
                    if let Some(t) = tables.last_mut() {
                        t.1.clear();
                    }
                }
                _ => {}
            },
            Event::Empty(e) => match local(e) {
                "pStyle" if skipping == 0 => {
                    heading = attr(e, "val").and_then(|id| styles.get(&id).copied()).or(heading);
                }
                "outlineLvl" if skipping == 0 => {
                    if let Some(n) = attr(e, "val").and_then(|v| v.parse::<u8>().ok()).filter(|n| *n < 6) {
                        heading = Some(n + 1);
                    }
                }
                "tab" if skipping == 0 => paragraph.push(' '),
                "br" | "cr" if skipping == 0 && attr(e, "type").is_none_or(|t| t == "textWrapping") => {
                    // A page or column break is no line of text.
                    paragraph.push('\n');
                }
                _ => {}
            },
            Event::Text(t) if in_text && skipping == 0 => {
                paragraph.push_str(&t.xml10_content());
            }
            Event::GeneralRef(r) if in_text && skipping == 0 => {
                if let Some(c) = resolve_reference(&r.borrow().into_inner()) {
                    paragraph.push(c);
                }
            }
            Event::End(e) => match e.local_name().as_ref() {
                "delText" | "instrText" | "drawing" | "pict" | "object" => skipping = skipping.saturating_sub(1),
                "t" => in_text = false,
                "p" => {
                    let text = paragraph.trim().to_owned();
                    paragraph.clear();
                    if text.is_empty() {
                        continue;
                    }
                    match tables.last_mut() {
                        Some((_, cell)) => {
                            if !cell.is_empty() {
                                cell.push(' ');
                            }
                            cell.push_str(&text.replace('\n', " "));
                        }
                        None => {
                            let text = if heading.is_some() { text.replace('\n', " ") } else { text };
                            blocks.push((heading, text));
                        }
                    }
                }
                "tc" => {
                    if let Some((cells, cell)) = tables.last_mut() {
                        cells.push(std::mem::take(cell));
                    }
                }
                "tr" => {
                    let row = tables.last_mut().map(|(cells, _)| std::mem::take(cells)).unwrap_or_default();
                    let row: Vec<String> = row.into_iter().filter(|c| !c.trim().is_empty()).collect();
                    if row.is_empty() {
                        continue;
                    }
                    let line = row.join(" | ");
                    match tables.len() {
                        // A nested table's row is part of the outer cell.
                        2.. => {
                            if let Some((_, cell)) = tables.iter_mut().rev().nth(1) {
                                if !cell.is_empty() {
                                    cell.push(' ');
                                }
                                cell.push_str(&line);
                            }
                        }
                        _ => blocks.push((None, line)),
                    }
                }
                "tbl" => {
                    tables.pop();
                }
                _ => {}
            },
            Event::Eof => break,
            _ => {}
        }
    }
    Ok(blocks)
}

/// `amp`, `#x4E0A`, … → the character.
fn resolve_reference(name: &str) -> Option<char> {
    if let Some(num) = name.strip_prefix('#') {
        let code = match num.strip_prefix(['x', 'X']) {
            Some(hex) => u32::from_str_radix(hex, 16).ok()?,
            None => num.parse().ok()?,
        };
        return char::from_u32(code);
    }
    quick_xml::escape::resolve_predefined_entity(name).and_then(|s| s.chars().next())
}

fn local<'a>(e: &'a BytesStart<'_>) -> &'a str {
    let name = e.name().into_inner();
    name.split_once(':').map_or(name, |(_, local)| local)
}

fn attr(e: &BytesStart<'_>, key: &str) -> Option<String> {
    e.attributes().flatten().find_map(|a| {
        let name = a.key.local_name();
        (name.as_ref() == key)
            .then(|| a.normalized_value(quick_xml::XmlVersion::default()).map(|v| v.into_owned()).ok())
            .flatten()
    })
}

#[cfg(test)]
mod tests;
