//! Applying corrections to an analysis: entity marks and rejections on
//! their (re-anchored) spans, then agreement merges and splits, then the
//! agreements numbered again in order of first citation (as the registry
//! numbers them), with every citation and agreement mention renamed.

use super::{Action, Correction};
use crate::model::{Agreement, Analysis, CitedBy, Entity, EntityKind, Signed};
use crate::notes::anchor::{self, Anchor};
use rustc_hash::FxHashMap;

/// What became of one correction.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Outcome {
    /// The correction's id.
    pub id: i64,
    /// For a span: where it was placed (exact, moved or orphaned).
    pub anchor: Option<Anchor>,
    /// Why it changed nothing, if it did not apply.
    pub problem: Option<String>,
    /// False when it was made on a document (or an agreement) this corpus
    /// does not have: not applying is then no news.
    pub here: bool,
}

impl Outcome {
    /// True when it changed the analysis.
    pub fn applied(&self) -> bool {
        self.problem.is_none()
    }

    /// `exact`, `moved from ¶N`, `orphaned`, `applied`, or the problem.
    pub fn describe(&self) -> String {
        match (&self.problem, &self.anchor) {
            (Some(p), _) => p.clone(),
            (None, Some(a)) => a.describe(),
            (None, None) => "applied".to_owned(),
        }
    }
}

/// Applies `corrections` (in id order: a later one wins on the same span)
/// and says what became of each.
pub fn apply(analysis: &mut Analysis, corrections: &[Correction]) -> Vec<Outcome> {
    let mut ordered: Vec<&Correction> = corrections.iter().collect();
    ordered.sort_by_key(|c| c.id);
    let mut outcomes = Vec::with_capacity(ordered.len());
    let mut touched_docs = Vec::new();
    let mut agreements_changed = false;
    for c in ordered {
        let outcome = match &c.action {
            Action::Mark { .. } | Action::Reject => {
                let note = c.passage.as_note();
                let here = !anchor::documents_of(&note, analysis).is_empty();
                let anchor = anchor::resolve(&note, analysis);
                let problem = match anchor.place() {
                    Some((d, paragraph, start, end)) => {
                        touched_docs.push(d);
                        apply_span(analysis, d.0, paragraph, start, end, &c.action)
                    }
                    None if here => Some("orphaned: its words are no longer in the document".to_owned()),
                    None => Some("its document is not in this corpus".to_owned()),
                };
                Outcome { id: c.id, anchor: Some(anchor), problem, here }
            }
            Action::MergeAgreements { keep, merge } => {
                let here = agreement_of_wording(analysis, keep).is_some() || agreement_of_wording(analysis, merge).is_some();
                let problem = merge_agreements(analysis, keep, merge);
                agreements_changed |= problem.is_none();
                Outcome { id: c.id, anchor: None, problem, here }
            }
            Action::SplitAgreement { wording } => {
                let here = agreement_of_wording(analysis, wording).is_some();
                let problem = split_agreement(analysis, wording, c.id);
                agreements_changed |= problem.is_none();
                Outcome { id: c.id, anchor: None, problem, here }
            }
        };
        outcomes.push(outcome);
    }
    touched_docs.sort_unstable();
    touched_docs.dedup();
    for d in touched_docs {
        // The analysis's own order: by place, the longer first.
        analysis.documents[d.0].entities.sort_by(|a, b| {
            (a.paragraph, a.start, std::cmp::Reverse(a.end()), a.kind).cmp(&(
                b.paragraph,
                b.start,
                std::cmp::Reverse(b.end()),
                b.kind,
            ))
        });
    }
    if agreements_changed {
        renumber(analysis);
    }
    outcomes
}

/// A mark or a rejection on one span of document `d`.
/// True for an entity a rejection may remove: any but a citation itself
/// (an agreement mention such as 该协定 may be rejected, the 《》 title not).
pub fn rejectable(doc: &crate::model::DocumentAnalysis, e: &Entity) -> bool {
    e.kind != EntityKind::Agreement || !doc.citations.iter().any(|c| c.place() == e.place())
}

fn apply_span(analysis: &mut Analysis, d: usize, paragraph: usize, start: usize, end: usize, action: &Action) -> Option<String> {
    let doc = &mut analysis.documents[d];
    let on_span = |e: &Entity| e.paragraph() == paragraph && e.chars().start < end && start < e.chars().end;
    let in_citation =
        doc.citations.iter().map(crate::model::Citation::place).any(|(p, s, e)| p == paragraph && s < end && start < e)
            || doc.entities.iter().any(|e| e.kind == EntityKind::Agreement && on_span(e));
    match action {
        Action::Reject => {
            let gone: Vec<bool> = doc.entities.iter().map(|e| on_span(e) && rejectable(doc, e)).collect();
            if !gone.contains(&true) {
                return Some("nothing to reject: no entity there now".to_owned());
            }
            let mut flags = gone.into_iter();
            doc.entities.retain(|_| !flags.next().unwrap_or(false));
            None
        }
        Action::Mark { kind, canonical } => {
            if in_citation {
                return Some("the span now overlaps a cited title".to_owned());
            }
            let overlaps = |e: &Entity| on_span(e) && e.kind != EntityKind::Agreement;
            if doc.paragraphs.get(paragraph).is_none() {
                return Some("the paragraph is gone".to_owned());
            }
            doc.entities.retain(|e| !overlaps(e));
            doc.entities.push(Entity::new(*kind, canonical.into(), paragraph, start, end));
            None
        }
        Action::MergeAgreements { .. } | Action::SplitAgreement { .. } => None,
    }
}

/// The agreement (id) cited with this wording, if any.
pub fn agreement_of_wording(analysis: &Analysis, wording: &str) -> Option<String> {
    analysis.documents.iter().flat_map(|d| &d.citations).find(|c| c.title == wording).map(|c| c.agreement.to_string()).or_else(
        || {
            analysis
                .agreements
                .iter()
                .find(|a| a.title == wording || a.variants.iter().any(|v| v == wording))
                .map(|a| a.id.clone())
        },
    )
}

/// The distinct wordings of the citations of agreement `id`, most used first.
pub fn wordings_of(analysis: &Analysis, id: &str) -> Vec<String> {
    let mut counts: Vec<(String, usize)> = Vec::new();
    for c in analysis.documents.iter().flat_map(|d| &d.citations).filter(|c| c.agreement == id) {
        match counts.iter_mut().find(|(w, _)| *w == c.title) {
            Some((_, n)) => *n += 1,
            None => counts.push((c.title.to_string(), 1)),
        }
    }
    counts.sort_by_key(|c| std::cmp::Reverse(c.1));
    counts.into_iter().map(|(w, _)| w).collect()
}

fn merge_agreements(analysis: &mut Analysis, keep: &str, merge: &str) -> Option<String> {
    let (Some(a), Some(b)) = (agreement_of_wording(analysis, keep), agreement_of_wording(analysis, merge)) else {
        return Some("a wording is no longer cited in the corpus".to_owned());
    };
    if a == b {
        return Some("already one agreement".to_owned());
    }
    for d in &mut analysis.documents {
        for c in d.citations.iter_mut().filter(|c| c.agreement == b) {
            c.agreement = a.as_str().into();
        }
        for e in d.entities.iter_mut().filter(|e| e.kind == EntityKind::Agreement && e.canonical == b) {
            e.canonical = a.as_str().into();
        }
    }
    let bi = analysis.agreements.iter().position(|x| x.id == b)?;
    let gone = analysis.agreements.remove(bi);
    if let Some(kept) = analysis.agreements.iter_mut().find(|x| x.id == a) {
        for w in std::iter::once(gone.title).chain(gone.variants) {
            if w != kept.title && !kept.variants.contains(&w) {
                kept.variants.push(w);
            }
        }
        if kept.signed.is_none() {
            kept.signed = gone.signed;
        }
        kept.cited_by.extend(gone.cited_by);
    }
    None
}

fn split_agreement(analysis: &mut Analysis, wording: &str, correction: i64) -> Option<String> {
    let Some(from) = agreement_of_wording(analysis, wording) else {
        return Some("the wording is no longer cited in the corpus".to_owned());
    };
    if wordings_of(analysis, &from).len() < 2 {
        return Some("the wording is already an agreement of its own".to_owned());
    }
    // A temporary id no agreement has (one per correction): `renumber` gives it its place.
    let new_id = format!("split-{correction}");
    let mut moved = Vec::new();
    let mut signed: FxHashMap<Signed, usize> = FxHashMap::default();
    for d in &mut analysis.documents {
        let before = moved.len();
        for c in d.citations.iter_mut().filter(|c| c.agreement == from && c.title == wording) {
            c.agreement = new_id.as_str().into();
            moved.push(CitedBy { document: d.id.as_str().into(), paragraph: c.paragraph, start: c.start, end: c.end });
            if let Some(s) = &c.signed {
                *signed.entry(s.clone()).or_default() += 1;
            }
        }
        let here = &moved[before..];
        for e in d.entities.iter_mut().filter(|e| e.kind == EntityKind::Agreement && e.canonical == from) {
            if here.iter().any(|c| c.place() == e.place()) {
                e.canonical = new_id.as_str().into();
            }
        }
    }
    let remaining = wordings_of(analysis, &from);
    if let Some(old) = analysis.agreements.iter_mut().find(|a| a.id == from) {
        old.cited_by.retain(|c| !moved.contains(c));
        old.variants.retain(|v| v != wording);
        if old.title == wording
            && let Some(first) = remaining.first()
        {
            old.variants.retain(|v| v != first);
            old.title.clone_from(first);
        }
    }
    // Most often stated, then the earliest date, then the first place by
    // name: the same answer whatever order the map gives them in.
    let signed = signed
        .into_iter()
        .max_by(|a, b| a.1.cmp(&b.1).then_with(|| b.0.date.cmp(&a.0.date)).then_with(|| b.0.place.cmp(&a.0.place)))
        .map(|(s, _)| s);
    analysis.agreements.push(Agreement { id: new_id, title: wording.to_owned(), variants: Vec::new(), signed, cited_by: moved });
    None
}

/// Numbers the agreements `a1`, `a2` … in order of first citation and
/// renames every reference to them.
fn renumber(analysis: &mut Analysis) {
    let mut order: FxHashMap<String, usize> = FxHashMap::default();
    for c in analysis.documents.iter().flat_map(|d| &d.citations) {
        let next = order.len();
        order.entry(c.agreement.to_string()).or_insert(next);
    }
    let uncited = order.len();
    analysis.agreements.sort_by_key(|a| order.get(&a.id).copied().unwrap_or(uncited));
    let doc_order: FxHashMap<&str, usize> = analysis.documents.iter().enumerate().map(|(i, d)| (d.id.as_str(), i)).collect();
    let mut renamed: FxHashMap<String, String> = FxHashMap::default();
    for (i, a) in analysis.agreements.iter_mut().enumerate() {
        let id = format!("a{}", i + 1);
        renamed.insert(std::mem::replace(&mut a.id, id.clone()), id);
        a.cited_by.sort_by_key(|c| (doc_order.get(c.document.as_str()).copied(), c.paragraph, c.start));
    }
    for d in &mut analysis.documents {
        for c in &mut d.citations {
            if let Some(id) = renamed.get(c.agreement.as_str()) {
                c.agreement = id.as_str().into();
            }
        }
        for e in d.entities.iter_mut().filter(|e| e.kind == EntityKind::Agreement) {
            if let Some(id) = renamed.get(e.canonical.as_str()) {
                e.canonical = id.as_str().into();
            }
        }
    }
}
