//! W3C Web Annotation Data Model export: an `AnnotationCollection` whose
//! items target each passage with a `TextQuoteSelector` and a
//! `TextPositionSelector` (offsets in characters of the paragraph named by
//! `source`); the note is a `TextualBody`, each tag a `tagging` body.

use super::ExportItem;
use serde_json::{Value, json};

/// The collection as pretty JSON.
pub fn render(corpus: &str, items: &[ExportItem]) -> String {
    let annotations: Vec<Value> = items.iter().map(annotation).collect();
    let collection = json!({
        "@context": "http://www.w3.org/ns/anno.jsonld",
        "type": "AnnotationCollection",
        "label": format!("sco-reader notes — {corpus}"),
        "total": annotations.len(),
        "generated": crate::notes::now(),
        "first": {
            "type": "AnnotationPage",
            "startIndex": 0,
            "items": annotations,
        }
    });
    serde_json::to_string_pretty(&collection).unwrap_or_default() + "\n"
}

fn annotation(item: &ExportItem) -> Value {
    let n = &item.note;
    let (start, end) = item.anchor.place().map_or((n.start, n.end), |p| (p.2, p.3));
    let mut body = vec![json!({ "type": "TextualBody", "value": n.text, "format": "text/markdown", "purpose": "commenting" })];
    body.extend(n.tags.iter().map(|t| json!({ "type": "TextualBody", "value": t, "purpose": "tagging" })));
    json!({
        "@context": "http://www.w3.org/ns/anno.jsonld",
        "id": format!("urn:sco-reader:note:{}", n.id),
        "type": "Annotation",
        "motivation": "commenting",
        "created": n.created,
        "modified": n.updated,
        "body": body,
        "target": {
            "source": item.link(),
            "selector": [
                { "type": "TextQuoteSelector", "exact": n.quote, "prefix": n.prefix, "suffix": n.suffix },
                { "type": "TextPositionSelector", "start": start, "end": end }
            ]
        },
        "sco:color": n.color,
        "sco:anchor": {
            "status": item.anchor.status().as_str(),
            "text": item.anchor.describe(),
            "movedFrom": item.anchor.moved_from(),
        },
        "sco:document": {
            "id": item.doc,
            "title": item.title,
            "paragraph": item.paragraph(),
            "page": item.page,
            "orphaned": item.anchor.place().is_none()
        }
    })
}
