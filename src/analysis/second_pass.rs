//! Pass 2, per document and in parallel: recurring names, the entity list,
//! metadata (title, kind, meeting, attendees) and events, from what pass 1
//! kept and the corpus step linked.

use super::corpus_step::{Prepared, without_failed};
use super::first_pass::First;
use super::{Progress, contain};
use crate::citations::FoundCitation;
use crate::entities::{self, NameIndex, NameSpan, ParagraphScan};
use crate::events;
use crate::knowledge::Knowledge;
use crate::meeting;
use crate::model::Name;
use crate::model::{
    Agreement, Analysis, CONTRACT_VERSION, Citation, DocumentAnalysis, Entity, EntityKind, Event, LoadError, Paragraph,
};
use rayon::prelude::*;
use rustc_hash::FxHashSet;
use std::sync::atomic::{AtomicUsize, Ordering};

/// Pass 2 over every document.
pub(super) fn finish_all(prepared: Prepared, knowledge: &Knowledge, progress: &(dyn Fn(Progress) + Sync)) -> Analysis {
    let Prepared { docs, citations, agreement_ids, agreements, names, mut errors } = prepared;
    let total = docs.len();
    let done = AtomicUsize::new(0);
    let seconds: Vec<Result<DocumentAnalysis, (String, LoadError)>> = docs
        .into_par_iter()
        .zip(citations.into_par_iter())
        .zip(agreement_ids.into_par_iter())
        .with_max_len(1)
        .map(|((doc, cits), ids)| {
            let result = finish_document(doc, &cits, &ids, &agreements, &names, knowledge).map(|(doc, _)| doc);
            progress(Progress { done: done.fetch_add(1, Ordering::Relaxed) + 1, total, pass: 2 });
            result
        })
        .collect();
    let mut documents = Vec::with_capacity(seconds.len());
    let mut failed = FxHashSet::default();
    for s in seconds {
        match s {
            Ok(d) => documents.push(d),
            Err((id, e)) => {
                failed.insert(id);
                errors.push(e);
            }
        }
    }
    let agreements = without_failed(agreements, &failed);
    errors.sort_by(|a, b| a.source.cmp(&b.source));
    Analysis { version: CONTRACT_VERSION, documents, agreements, errors, ids: Default::default() }
}

/// Which citation each agreement mention of a document stands for: the
/// mention's index in the document's entities and the citation's index in
/// its citations. With it the agreements can be numbered afresh without
/// analysing the document again ([`relink`]).
pub(crate) type AgreementRefs = Vec<(u32, u32)>;

/// Pass 2 of one document whose citations are `cits` (pass 1 moved them
/// to its [`Linkable`](super::first_pass::Linkable)), a panic turned into
/// an error that names the document's id (its citations are dropped from
/// the agreements).
pub(super) fn finish_document(
    doc: First,
    cits: &[FoundCitation],
    ids: &[usize],
    agreements: &[Agreement],
    names: &NameIndex,
    knowledge: &Knowledge,
) -> Result<(DocumentAnalysis, AgreementRefs), (String, LoadError)> {
    let (id, source) = (doc.raw.id.clone(), doc.raw.source.clone());
    contain(&source, || second_pass(doc, cits, ids, agreements, names, knowledge)).map_err(|e| (id, e))
}

/// `开发银行` after `上海合作组织开发银行` in the same document: the short
/// form of an organisation found by its shape names it. Each short form is
/// looked for in each paragraph's text with a vector search; where several
/// start at one place the longest is taken, and an occurrence starts after
/// the end of the one taken before it.
fn link_short_forms(scans: &mut [ParagraphScan], paragraphs: &[Paragraph], knowledge: &Knowledge) {
    let shorts = entities::orgs::short_forms(scans.iter().flat_map(|s| &s.extra_orgs), knowledge);
    if shorts.is_empty() {
        return;
    }
    let finders: Vec<memchr::memmem::Finder<'_>> = shorts.iter().map(|(short, _)| memchr::memmem::Finder::new(short)).collect();
    // (start byte, end byte, short form) of every occurrence in one paragraph.
    let mut occurrences: Vec<(usize, std::cmp::Reverse<usize>, usize)> = Vec::new();
    for (scan, paragraph) in scans.iter_mut().zip(paragraphs) {
        let text = paragraph.text.as_str();
        occurrences.clear();
        for (k, finder) in finders.iter().enumerate() {
            occurrences.extend(finder.find_iter(text.as_bytes()).map(|at| (at, std::cmp::Reverse(at + shorts[k].0.len()), k)));
        }
        if occurrences.is_empty() {
            continue;
        }
        occurrences.sort_unstable();
        let taken = entities::SpanSet::new(
            scan.hits.iter().map(|h| (h.start, h.end)).chain(scan.extra_orgs.iter().map(|o| (o.start, o.end))),
        );
        let mut to_char = entities::ByteToChar::new(text);
        let mut after = 0; // occurrences never overlap one another
        let mut added = false;
        for &(start, std::cmp::Reverse(end), k) in &occurrences {
            if start < after {
                continue;
            }
            after = end;
            let (s, e) = (to_char.char_of(start), to_char.char_of(end));
            if !taken.overlaps(s, e) {
                scan.extra_orgs.push(NameSpan { start: s, end: e, name: shorts[k].1.clone() });
                added = true;
            }
        }
        if added {
            scan.extra_orgs.sort();
        }
    }
}

/// Gives the citations and agreement mentions of `doc` the ids of their
/// agreements: `ids` is the agreement (index in `agreements`) of each citation.
pub(crate) fn relink(doc: &mut DocumentAnalysis, refs: &AgreementRefs, ids: &[usize], agreements: &[Agreement]) {
    let id_of = |c: usize| ids.get(c).and_then(|&a| agreements.get(a)).map(|a| Name::from(a.id.as_str())).unwrap_or_default();
    for (c, citation) in doc.citations.iter_mut().enumerate() {
        citation.agreement = id_of(c);
    }
    for &(e, c) in refs {
        if let Some(entity) = doc.entities.get_mut(e as usize) {
            entity.canonical = id_of(c as usize);
        }
    }
}

/// What a document's agreement mention stands for while pass 2 sorts its entities.
const NOT_AN_AGREEMENT: u32 = u32::MAX;

fn second_pass(
    doc: First,
    cits: &[FoundCitation],
    ids: &[usize],
    agreements: &[Agreement],
    names: &NameIndex,
    knowledge: &Knowledge,
) -> (DocumentAnalysis, AgreementRefs) {
    // The id of the agreement of citation `c`.
    let id_of = |c: usize| ids.get(c).and_then(|&a| agreements.get(a)).map(|a| Name::from(a.id.as_str())).unwrap_or_default();
    let First { raw, paragraphs, removed_lines, dateline, captions, scans, anaphora, .. } = doc;
    let mut scans: Vec<ParagraphScan> = scans.restore(paragraphs.iter().map(|p| p.text.as_str()));
    link_short_forms(&mut scans, &paragraphs, knowledge);
    let mut entities_out = Vec::new();
    let mut people: Vec<Vec<NameSpan>> = Vec::with_capacity(paragraphs.len());
    let mut events_out = Vec::new();
    // One paragraph's entities, the buffer kept from one paragraph to the next.
    let mut in_paragraph: Vec<Entity> = Vec::new();
    for (pi, scan) in scans.iter().enumerate() {
        let here = &cits[cits.partition_point(|c| c.paragraph < pi)..cits.partition_point(|c| c.paragraph <= pi)];
        let top: Vec<(usize, usize)> = here.iter().filter(|c| c.parent.is_none()).map(|c| (c.span.start, c.span.end)).collect();
        let masked = entities::SpanSet::new(top.iter().copied());
        let mut found: Vec<NameSpan> =
            scan.persons.iter().map(|m| NameSpan { start: m.start, end: m.end, name: m.name.clone() }).collect();
        let taken = entities::SpanSet::new(top.iter().copied().chain(found.iter().map(|p| (p.start, p.end))));
        names.find_into(scan, &taken, &mut found);
        found.sort();
        entities::paragraph_entities(scan, pi, &masked, knowledge, &found, &mut in_paragraph);
        entities_out.extend(in_paragraph.drain(..).map(|e| (e, NOT_AN_AGREEMENT)));
        events_out.extend(events::events_in(scan, pi, &masked, knowledge));
        people.push(found);
    }
    let mut citations_out = Vec::with_capacity(cits.len());
    for (c, cit) in cits.iter().enumerate() {
        let id = id_of(c);
        let entity = Entity::new(EntityKind::Agreement, id.as_str().into(), cit.paragraph, cit.span.start, cit.span.end);
        entities_out.push((entity, small(c)));
        if let (Some(signed), None) = (&cit.signed, cit.parent)
            && let Some(date) = &signed.date
        {
            let (start, end) = date.split_once('/').map_or((*date, *date), |(a, b)| (Name::from(a), Name::from(b)));
            events_out.push(Event {
                label: Name::from(format!("《{}》", cit.title)),
                start,
                end,
                place: signed.place,
                paragraph: cit.paragraph,
            });
        }
        citations_out.push(Citation {
            title: Name::from(cit.title.as_str()),
            agreement: id,
            paragraph: crate::model::small(cit.paragraph),
            start: crate::model::small(cit.span.start),
            end: crate::model::small(cit.span.end),
            signed: cit.signed.clone(),
            parent: cit.parent.map(crate::model::small),
        });
    }
    for a in &anaphora {
        let entity = Entity::new(EntityKind::Agreement, id_of(a.points_to), a.paragraph, a.start, a.end);
        entities_out.push((entity, small(a.points_to)));
    }
    entities_out.sort_by(|(a, _), (b, _)| {
        (a.paragraph, a.start, std::cmp::Reverse(a.end()), a.kind).cmp(&(
            b.paragraph,
            b.start,
            std::cmp::Reverse(b.end()),
            b.kind,
        ))
    });
    let refs: AgreementRefs =
        entities_out.iter().enumerate().filter(|(_, (_, c))| *c != NOT_AN_AGREEMENT).map(|(e, (_, c))| (small(e), *c)).collect();
    let entities_out: Vec<Entity> = entities_out.into_iter().map(|(e, _)| e).collect();
    events_out.sort_by(|a, b| (a.paragraph, &a.start).cmp(&(b.paragraph, &b.start)));
    events_out.dedup_by(|a, b| a.label == b.label && a.start == b.start && a.paragraph == b.paragraph);
    let frame = meeting::Frame { dateline: dateline.as_deref(), captions: &captions, published: raw.origin.published.as_deref() };
    let meta = meeting::metadata(&paragraphs, &scans, &people, &frame, knowledge);
    scans.iter_mut().for_each(ParagraphScan::recycle_chars);
    let doc = DocumentAnalysis {
        id: raw.id,
        source: raw.source,
        title: meta.title,
        kind: meta.kind,
        meeting: meta.meeting,
        paragraphs,
        entities: entities_out,
        citations: citations_out,
        events: events_out,
        encoding: raw.encoding.to_owned(),
        warnings: raw.warnings,
        removed_lines,
        dateline,
        captions,
        origin: raw.origin,
    };
    let mut doc = doc;
    doc.shrink_to_fit();
    (doc, refs)
}

/// An index as stored in [`AgreementRefs`] (a document has far fewer than 2³² entities).
fn small(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(NOT_AN_AGREEMENT)
}
