//! Plain data for browsing a finished analysis: the corpus-wide entity index
//! (canonical → mentions), agreement and entity cards, the timeline, and
//! snippets. The GUI only draws what this module computes.

use crate::model::{Analysis, Body, DocIx, DocKind, DocumentAnalysis, EntityKind, Signed};
// FxHash: the keys are our own names, and the index hashes every entity of
// the corpus when it is built (1.5 million on 100 MB).
use rayon::prelude::*;
use rustc_hash::FxHashMap as HashMap;

/// Where a mention is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Location {
    /// Document index in [`Analysis::documents`].
    pub doc: DocIx,
    /// Paragraph index.
    pub paragraph: usize,
    /// Start char.
    pub start: usize,
    /// End char.
    pub end: usize,
}

/// A passage to show in a card: where, and a snippet around it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Passage {
    /// Where the mention is.
    pub at: Location,
    /// Snippet text.
    pub snippet: String,
    /// Char range of the mention inside the snippet.
    pub highlight: (usize, usize),
    /// The wording at this place (for agreements) or the text of the mention.
    pub text: String,
}

/// A row of the timeline: one document.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TimelineRow {
    /// Document index.
    pub doc: DocIx,
    /// ISO date (meeting start, or the first date of the text).
    pub date: Option<String>,
    /// Year, for grouping.
    pub year: Option<i32>,
    /// Body of the meeting.
    pub body: Option<Body>,
    /// Ordinal of the meeting.
    pub ordinal: Option<u32>,
    /// Place.
    pub place: Option<String>,
    /// The body as the text names it, when it is none of the councils (`上海合作组织+`).
    pub body_label: Option<String>,
    /// Kind.
    pub kind: DocKind,
}

/// An event mentioned by a text, for the timeline's lighter rows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct EventRow {
    /// Year of the event's start.
    pub year: Option<i32>,
    /// Document that mentions it.
    pub doc: DocIx,
    /// The event's index in that document's `events` ([`EventRow::event`]):
    /// the row points to the event, it does not copy its strings (1.5
    /// million events on 100 MB, read back from the cache at every start).
    pub event: usize,
}

impl EventRow {
    /// The event, in the analysis the index was built from.
    pub fn event<'a>(&self, analysis: &'a Analysis) -> Option<&'a crate::model::Event> {
        analysis.doc(self.doc)?.events.get(self.event)
    }
}

/// The agreement card.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AgreementCard {
    /// Agreement id.
    pub id: String,
    /// Canonical title.
    pub title: String,
    /// Other wordings.
    pub variants: Vec<String>,
    /// Signing facts.
    pub signed: Option<Signed>,
    /// Citing passages in date order.
    pub passages: Vec<Passage>,
    /// Number of distinct documents citing it.
    pub documents: usize,
}

/// The entity card.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EntityCard {
    /// Kind.
    pub kind: EntityKind,
    /// Canonical name.
    pub canonical: String,
    /// The ways it is written, most frequent first.
    pub forms: Vec<(String, usize)>,
    /// Mentions in date order.
    pub passages: Vec<Passage>,
    /// Number of distinct documents.
    pub documents: usize,
    /// For a person: the roles the texts give them (attendee tables, and a
    /// country's or organisation's title written just before the name),
    /// most documents first.
    pub roles: Vec<PersonRole>,
}

/// A role a person holds in the texts: `总统 · 塔吉克斯坦`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PersonRole {
    /// The title as written (`总统`, `秘书长`).
    pub role: String,
    /// The country or organisation it is of (canonical), if named.
    pub of: Option<String>,
    /// Documents that give it.
    pub documents: usize,
    /// The latest of those documents' dates.
    pub latest: Option<String>,
}

/// One agreement as cited in one document.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DocAgreement {
    /// Agreement id.
    pub id: String,
    /// Canonical title.
    pub title: String,
    /// Citations in this document.
    pub count: usize,
    /// First citation (paragraph, start, end).
    pub first: (usize, usize, usize),
    /// Signing facts.
    pub signed: Option<Signed>,
    /// Documents citing it in the whole corpus.
    pub corpus_documents: usize,
}

/// Index over a finished analysis.
pub struct CorpusIndex {
    /// Documents in timeline order.
    pub timeline: Vec<TimelineRow>,
    /// Events mentioned by the texts, by date.
    pub events: Vec<EventRow>,
    counts: HashMap<(EntityKind, String), usize>,
    agreement_pos: HashMap<String, usize>,
}

/// Characters of context on each side of a snippet.
pub const SNIPPET_RADIUS: usize = 28;

impl CorpusIndex {
    /// Builds the index (one pass over every entity, on all cores).
    pub fn new(analysis: &Analysis) -> Self {
        let (counts, (timeline, events)) =
            rayon::join(|| counts_of(analysis), || rayon::join(|| timeline_of(analysis), || events_of(analysis)));
        let agreement_pos = analysis.agreements.iter().enumerate().map(|(i, a)| (a.id.clone(), i)).collect();
        Self { timeline, events, counts, agreement_pos }
    }

    /// Number of mentions of an entity in the corpus.
    pub fn count(&self, kind: EntityKind, canonical: &str) -> usize {
        self.counts.get(&(kind, canonical.to_owned())).copied().unwrap_or(0)
    }

    /// The card of an agreement.
    pub fn agreement_card(&self, analysis: &Analysis, id: &str) -> Option<AgreementCard> {
        let a = analysis.agreements.get(*self.agreement_pos.get(id)?)?;
        let mut passages: Vec<Passage> = a
            .cited_by
            .iter()
            .filter_map(|c| {
                let doc = analysis.doc_ix(&c.document)?;
                let (paragraph, start, end) = c.place();
                passage(analysis, Location { doc, paragraph, start, end })
            })
            .collect();
        self.sort_by_date(analysis, &mut passages);
        let documents = distinct_docs(&passages);
        Some(AgreementCard {
            id: a.id.clone(),
            title: a.title.clone(),
            variants: a.variants.clone(),
            signed: a.signed.clone(),
            passages,
            documents,
        })
    }

    /// The card of an entity.
    pub fn entity_card(&self, analysis: &Analysis, kind: EntityKind, canonical: &str) -> EntityCard {
        // Found when asked, on all cores: a card is opened now and then,
        // and a table of every mention would be built for every load.
        let mut passages: Vec<Passage> = analysis
            .documents
            .par_iter()
            .enumerate()
            .flat_map_iter(|(doc, d)| {
                d.entities.iter().filter(|e| e.kind == kind && e.canonical == canonical).map(move |e| {
                    let (paragraph, start, end) = e.place();
                    Location { doc: DocIx(doc), paragraph, start, end }
                })
            })
            .filter_map(|l| passage(analysis, l))
            .collect();
        self.sort_by_date(analysis, &mut passages);
        let mut forms: HashMap<&str, usize> = HashMap::default();
        for p in &passages {
            *forms.entry(p.text.as_str()).or_default() += 1;
        }
        let mut forms: Vec<(String, usize)> = forms.into_iter().map(|(f, n)| (f.to_owned(), n)).collect();
        forms.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        let documents = distinct_docs(&passages);
        let roles = if kind == EntityKind::Person { person_roles(analysis, canonical, &passages) } else { Vec::new() };
        EntityCard { kind, canonical: canonical.to_owned(), forms, passages, documents, roles }
    }

    fn sort_by_date(&self, analysis: &Analysis, passages: &mut [Passage]) {
        let rank: HashMap<DocIx, usize> = self.timeline.iter().enumerate().map(|(i, r)| (r.doc, i)).collect();
        let _ = analysis;
        passages.sort_by_key(|p| (rank.get(&p.at.doc).copied().unwrap_or(usize::MAX), p.at.paragraph, p.at.start));
    }

    /// The agreements a document cites, in order of first citation.
    pub fn doc_agreements(&self, analysis: &Analysis, doc: DocIx) -> Vec<DocAgreement> {
        let Some(d) = analysis.doc(doc) else { return Vec::new() };
        let mut out: Vec<DocAgreement> = Vec::new();
        for c in &d.citations {
            if let Some(existing) = out.iter_mut().find(|x| x.id == c.agreement) {
                existing.count += 1;
                continue;
            }
            let a = self.agreement_pos.get(c.agreement.as_str()).and_then(|&i| analysis.agreements.get(i));
            let corpus_documents = a.map_or(0, |a| {
                let mut docs: Vec<&str> = a.cited_by.iter().map(|c| c.document.as_str()).collect();
                docs.sort_unstable();
                docs.dedup();
                docs.len()
            });
            out.push(DocAgreement {
                id: c.agreement.to_string(),
                title: a.map_or_else(|| c.title.to_string(), |a| a.title.clone()),
                count: 1,
                first: c.place(),
                signed: a.and_then(|a| a.signed.clone()),
                corpus_documents,
            });
        }
        out
    }

    /// A document's entities grouped by kind: `(canonical, count)` by count, then name.
    pub fn doc_entities(&self, doc: &DocumentAnalysis) -> Vec<(EntityKind, Vec<(String, usize)>)> {
        let mut groups: Vec<(EntityKind, Vec<(String, usize)>)> = Vec::new();
        for kind in EntityKind::ALL.into_iter().filter(|k| *k != EntityKind::Agreement) {
            let mut counts: HashMap<&str, usize> = HashMap::default();
            for e in doc.entities.iter().filter(|e| e.kind == kind) {
                *counts.entry(e.canonical.as_str()).or_default() += 1;
            }
            let mut list: Vec<(String, usize)> = counts.into_iter().map(|(c, n)| (c.to_owned(), n)).collect();
            list.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
            if !list.is_empty() {
                groups.push((kind, list));
            }
        }
        groups
    }
}

/// How often each entity is mentioned in the corpus, by kind and canonical
/// name. Documents are counted on all cores (1.5 million entities on 100
/// MB), under their interned names: one owned key per entity, not per mention.
fn counts_of(analysis: &Analysis) -> HashMap<(EntityKind, String), usize> {
    // Keyed by the interned name (its hash is stored with it).
    type Counts = HashMap<(EntityKind, crate::model::Name), usize>;
    // A few runs of documents per core: each run's counts are merged once.
    let run = analysis.documents.len().div_ceil(4 * rayon::current_num_threads()).max(1);
    let counts: Counts = analysis
        .documents
        .par_iter()
        .with_min_len(run)
        .fold(Counts::default, |mut counts, doc| {
            for e in &doc.entities {
                *counts.entry((e.kind, e.canonical)).or_default() += 1;
            }
            counts
        })
        .reduce(Counts::default, |mut all, more| {
            for (key, n) in more {
                *all.entry(key).or_default() += n;
            }
            all
        });
    counts.into_iter().map(|((kind, name), n)| ((kind, name.to_string()), n)).collect()
}

/// Documents in date order (undated last).
fn timeline_of(analysis: &Analysis) -> Vec<TimelineRow> {
    let mut timeline: Vec<TimelineRow> = analysis
        .documents
        .iter()
        .enumerate()
        .map(|(d, doc)| {
            let date = doc.date().map(str::to_owned);
            let m = doc.meeting.as_ref();
            TimelineRow {
                doc: DocIx(d),
                year: date.as_deref().and_then(year_of),
                date,
                body: m.map(|m| m.body),
                ordinal: m.and_then(|m| m.ordinal),
                place: m.and_then(|m| m.place.clone()),
                body_label: m.and_then(|m| m.body_label.clone()),
                kind: doc.kind,
            }
        })
        .collect();
    timeline.sort_by(|a, b| (a.date.is_none(), &a.date, a.doc).cmp(&(b.date.is_none(), &b.date, b.doc)));
    timeline
}

/// Longest title between a country or organisation and a name (`总统`,
/// `外交部长`, `常务副总理`).
const MAX_ROLE_CHARS: usize = 10;

/// The roles the corpus gives a person: the attendee tables' rows for the
/// name, and `COUNTRY/ORG + title + name` in the text.
fn person_roles(analysis: &Analysis, canonical: &str, passages: &[Passage]) -> Vec<PersonRole> {
    type Key = (String, Option<String>);
    let mut found: HashMap<Key, (std::collections::BTreeSet<usize>, Option<String>)> = HashMap::default();
    let mut note = |key: Key, doc: DocIx| {
        let date = analysis.doc(doc).and_then(|d| d.date()).map(str::to_owned);
        let entry = found.entry(key).or_default();
        entry.0.insert(doc.0);
        if date > entry.1 {
            entry.1 = date;
        }
    };
    for (d, doc) in analysis.documents.iter().enumerate() {
        for a in doc.meeting.iter().flat_map(|m| &m.attendees) {
            if a.name == canonical && !a.role.trim().is_empty() {
                let of = a.country.clone().or_else(|| a.organization.clone());
                let role = of.as_deref().and_then(|o| a.role.strip_prefix(o)).unwrap_or(&a.role).trim().to_owned();
                note((role, of), DocIx(d));
            }
        }
    }
    for p in passages {
        let Some(doc) = analysis.doc(p.at.doc) else { continue };
        let Some(text) = doc.paragraphs.get(p.at.paragraph).map(|x| &x.text) else { continue };
        let before = doc
            .entities
            .iter()
            .filter(|e| {
                let end = e.chars().end;
                e.paragraph() == p.at.paragraph
                    && matches!(e.kind, EntityKind::Country | EntityKind::Organization)
                    && end <= p.at.start
                    && p.at.start - end <= MAX_ROLE_CHARS
            })
            .max_by_key(|e| e.end());
        let Some(by) = before else { continue };
        let by_end = by.chars().end;
        let role: String = text.chars().skip(by_end).take(p.at.start - by_end).collect();
        let plain = !role.is_empty() && role.chars().all(crate::text::is_han);
        if plain {
            note((role, Some(by.canonical.to_string())), p.at.doc);
        }
    }
    let mut roles: Vec<PersonRole> =
        found.into_iter().map(|((role, of), (docs, latest))| PersonRole { role, of, documents: docs.len(), latest }).collect();
    roles.sort_by(|a, b| b.documents.cmp(&a.documents).then_with(|| b.latest.cmp(&a.latest)).then_with(|| a.role.cmp(&b.role)));
    roles
}

/// The events the texts mention, by date, each once: an event dated the
/// same day, at the same place (or no place), under a wording that differs
/// by little from one listed already is the same event.
fn events_of(analysis: &Analysis) -> Vec<EventRow> {
    let sorted = sorted_events(analysis);
    let mut labels = EventLabels::default();
    let mut out: Vec<EventRow> = Vec::with_capacity(sorted.len());
    // The day's events kept so far: each one's label and place, and the
    // places under each label (for the exact comparison).
    let mut day: Option<crate::model::Name> = None;
    let mut run: Vec<(usize, Option<crate::model::Name>)> = Vec::new();
    let mut places_of: HashMap<usize, Vec<Option<crate::model::Name>>> = HashMap::default();
    for row in sorted {
        let Some(e) = row.event(analysis) else { continue };
        if day != Some(e.start) {
            (day, run, places_of) = (Some(e.start), Vec::new(), HashMap::default());
        }
        let label = labels.key(e.label);
        let places_agree = |x: &Option<crate::model::Name>| x.is_none() || e.place.is_none() || *x == e.place;
        // Days with very many events are compared by exact wording only.
        let duplicate = if run.len() <= 200 {
            run.iter().any(|(other, place)| places_agree(place) && labels.nearly_same(*other, label))
        } else {
            places_of.get(&label).is_some_and(|places| places.iter().any(places_agree))
        };
        if !duplicate {
            out.push(row);
            run.push((label, e.place));
            places_of.entry(label).or_default().push(e.place);
        }
    }
    out
}

/// Event labels as compared: each distinct label's key (《》, spaces and
/// 的 set aside) made once, and numbered so that equal keys are one number.
#[derive(Default)]
struct EventLabels {
    of_label: HashMap<crate::model::Name, usize>,
    of_key: HashMap<String, usize>,
    /// Each key and its length in chars.
    keys: Vec<(String, usize)>,
}

impl EventLabels {
    /// The number of `label`'s key.
    fn key(&mut self, label: crate::model::Name) -> usize {
        if let Some(&k) = self.of_label.get(&label) {
            return k;
        }
        let key = event_label_key(&label);
        let next = self.keys.len();
        let k = *self.of_key.entry(key.clone()).or_insert(next);
        if k == next {
            let chars = key.chars().count();
            self.keys.push((key, chars));
        }
        self.of_label.insert(label, k);
        k
    }

    /// Two labels of one event: the same key, or nearly the same in keys
    /// of eight chars or more (normalised Levenshtein ≥ 0.85).
    fn nearly_same(&self, a: usize, b: usize) -> bool {
        if a == b {
            return true;
        }
        let (Some((ka, na)), Some((kb, nb))) = (self.keys.get(a), self.keys.get(b)) else { return false };
        let (shorter, longer) = ((*na).min(*nb), (*na).max(*nb));
        // The distance is at least the difference in length: skip what cannot reach 0.85.
        shorter >= 8 && 1.0 - (longer - shorter) as f64 / longer as f64 >= 0.85 && strsim::normalized_levenshtein(ka, kb) >= 0.85
    }
}

/// An event label as compared: 《》, spaces and 的 set aside.
fn event_label_key(label: &str) -> String {
    crate::citations::registry::normalize_title(&label.replace(['《', '》'], ""))
}

/// Every event of the corpus, by date.
fn sorted_events(analysis: &Analysis) -> Vec<EventRow> {
    let events: Vec<EventRow> = analysis
        .documents
        .iter()
        .enumerate()
        .flat_map(|(d, doc)| {
            doc.events.iter().enumerate().map(move |(i, e)| EventRow { year: year_of(&e.start), doc: DocIx(d), event: i })
        })
        .collect();
    // By (date, document, paragraph), dates compared as strings, ties kept
    // in order: 1.5 million events on 100 MB. Sorted by keys of plain
    // numbers, not by looking the strings up at every comparison: ISO dates
    // as one number, or else their first 16 bytes.
    let small = |n: usize| u32::try_from(n).ok();
    let numeric: Option<Vec<(u32, u32, u32, u32)>> = events
        .par_iter()
        .enumerate()
        .map(|(row, r)| {
            let e = r.event(analysis)?;
            Some((iso_key(&e.start)?, small(r.doc.0)?, small(e.paragraph)?, small(row)?))
        })
        .collect();
    if let Some(mut keys) = numeric {
        keys.par_sort_unstable();
        return keys.iter().map(|k| events[k.3 as usize]).collect();
    }
    struct Key {
        prefix: u128,
        /// The date is longer than its prefix.
        long: bool,
        doc: DocIx,
        paragraph: usize,
        row: usize,
    }
    let date = |k: &Key| events[k.row].event(analysis).map(|e| e.start.as_str());
    let mut keyed: Vec<Key> = events
        .par_iter()
        .enumerate()
        .map(|(row, r)| {
            let (prefix, long, paragraph) =
                r.event(analysis).map_or((0, false, 0), |e| (prefix_key(&e.start), e.start.len() > 16, e.paragraph));
            Key { prefix, long, doc: r.doc, paragraph, row }
        })
        .collect();
    keyed.par_sort_unstable_by(|a, b| {
        a.prefix
            .cmp(&b.prefix)
            .then_with(|| if a.long || b.long { date(a).cmp(&date(b)) } else { std::cmp::Ordering::Equal })
            .then((a.doc, a.paragraph, a.row).cmp(&(b.doc, b.paragraph, b.row)))
    });
    keyed.iter().map(|k| events[k.row]).collect()
}

/// An ISO date (`2014`, `2014-09`, `2014-09-12`) as a number that orders as
/// the strings do (a date sorts before a longer one it starts), or `None`.
fn iso_key(s: &str) -> Option<u32> {
    let b = s.as_bytes();
    let number = |from: usize, to: usize| {
        b.get(from..to)?.iter().try_fold(0u32, |n, &c| c.is_ascii_digit().then(|| n * 10 + u32::from(c - b'0')))
    };
    let dash = |i: usize| b.get(i) == Some(&b'-');
    let (y, m, d, shape) = match b.len() {
        4 => (number(0, 4)?, 0, 0, 0),
        7 if dash(4) => (number(0, 4)?, number(5, 7)?, 0, 1),
        10 if dash(4) && dash(7) => (number(0, 4)?, number(5, 7)?, number(8, 10)?, 2),
        _ => return None,
    };
    Some(((y * 100 + m) * 100 + d) * 4 + shape)
}

/// The first 16 bytes of `s` as a number that orders as the bytes do (a
/// shorter string is padded with zeros, and sorts first, as it does).
fn prefix_key(s: &str) -> u128 {
    let mut bytes = [0u8; 16];
    let n = s.len().min(16);
    bytes[..n].copy_from_slice(&s.as_bytes()[..n]);
    u128::from_be_bytes(bytes)
}

fn distinct_docs(passages: &[Passage]) -> usize {
    let mut docs: Vec<DocIx> = passages.iter().map(|p| p.at.doc).collect();
    docs.sort_unstable();
    docs.dedup();
    docs.len()
}

fn year_of(date: &str) -> Option<i32> {
    date.get(..4)?.parse().ok()
}

/// A passage with its snippet, if the location is valid.
pub fn passage(analysis: &Analysis, at: Location) -> Option<Passage> {
    let text = &analysis.doc(at.doc)?.paragraphs.get(at.paragraph)?.text;
    let (snippet, highlight) = snippet(text, at.start, at.end, SNIPPET_RADIUS);
    let mention: String = text.chars().skip(at.start).take(at.end.saturating_sub(at.start)).collect();
    Some(Passage { at, snippet, highlight, text: mention })
}

/// A snippet of `text` around chars `start..end`, with `…` where cut; returns
/// the snippet and the mention's char range in it. Touches only the chars up
/// to the snippet's end.
pub fn snippet(text: &str, start: usize, end: usize, radius: usize) -> (String, (usize, usize)) {
    let from = start.saturating_sub(radius);
    let to = end.saturating_add(radius);
    let mut from_byte = None;
    let mut to_byte = text.len();
    let mut count = 0;
    for (i, (b, _)) in text.char_indices().enumerate() {
        if i == from {
            from_byte = Some(b);
        }
        if i == to {
            to_byte = b;
            break;
        }
        count = i + 1;
    }
    let Some(from_byte) = from_byte else { return (String::new(), (0, 0)) };
    let end = end.min(count.max(end.min(to)));
    let mut s = String::with_capacity(to_byte - from_byte + 6);
    let mut offset = 0;
    if from > 0 {
        s.push('…');
        offset = 1;
    }
    s.push_str(&text[from_byte..to_byte]);
    if to_byte < text.len() {
        s.push('…');
    }
    let start = start.min(end);
    (s, (start - from + offset, end - from + offset))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Events sort by their date strings, then document and paragraph, ties
    /// in the order the documents list them.
    #[test]
    fn a_person_card_gives_the_roles_the_texts_give() {
        let analysis = crate::analysis::analyze_texts(&[
            ("a", "2019年6月14日，塔吉克斯坦总统拉赫蒙会见记者。\n"),
            ("b", "2022年9月16日，塔吉克斯坦总统拉赫蒙出席会议。拉赫蒙表示支持。\n"),
        ]);
        let index = CorpusIndex::new(&analysis);
        let card = index.entity_card(&analysis, EntityKind::Person, "拉赫蒙");
        let first = card.roles.first().expect("a role");
        assert_eq!((first.role.as_str(), first.of.as_deref(), first.documents), ("总统", Some("塔吉克斯坦"), 2));
        assert_eq!(first.latest.as_deref(), Some("2022-09-16"));
    }

    #[test]
    fn one_signing_under_two_wordings_is_listed_once() {
        let event = |label: &str, place: Option<&str>| crate::model::Event {
            label: label.into(),
            start: "2014-09-12".into(),
            end: "2014-09-12".into(),
            place: place.map(Into::into),
            paragraph: 0,
        };
        let mut analysis = crate::analysis::analyze_texts(&[("a", "会议。"), ("b", "会议。")]);
        analysis.documents[0].events = vec![event("签署《上海合作组织成员国政府间国际道路运输便利化协定》", Some("杜尚别"))];
        analysis.documents[1].events = vec![
            event("签署上海合作组织成员国政府间国际道路运输便利化的协定", None),
            event("签署上海合作组织成员国政府间国际道路运输便利化协定", Some("北京")),
            event("上海合作组织成员国外交部长理事会会议", Some("杜尚别")),
        ];
        let labels: Vec<&str> =
            events_of(&analysis).iter().filter_map(|r| r.event(&analysis)).map(|e| e.label.as_str()).collect();
        // The second wording (no place) is the first; the one elsewhere is another event.
        assert_eq!(labels.len(), 3, "{labels:?}");
        assert!(labels.contains(&"上海合作组织成员国外交部长理事会会议"));
    }

    /// The events kept, by the definition: each compared with every event
    /// of its day kept before it, its label keyed again each time.
    fn events_by_definition(analysis: &Analysis) -> Vec<EventRow> {
        let same_label = |a: &str, b: &str, fuzzy: bool| {
            let (ka, kb) = (event_label_key(a), event_label_key(b));
            ka == kb
                || (fuzzy && ka.chars().count().min(kb.chars().count()) >= 8 && strsim::normalized_levenshtein(&ka, &kb) >= 0.85)
        };
        let mut out: Vec<EventRow> = Vec::new();
        let mut run_start = 0;
        for row in sorted_events(analysis) {
            let Some(e) = row.event(analysis) else { continue };
            if out.last().and_then(|r| r.event(analysis)).is_none_or(|x| x.start != e.start) {
                run_start = out.len();
            }
            let run = &out[run_start..];
            let fuzzy = run.len() <= 200;
            let duplicate = run
                .iter()
                .filter_map(|r| r.event(analysis))
                .any(|x| (x.place.is_none() || e.place.is_none() || x.place == e.place) && same_label(&x.label, &e.label, fuzzy));
            if !duplicate {
                out.push(row);
            }
        }
        out
    }

    #[test]
    fn events_kept_are_those_the_definition_keeps() {
        let stems = ["上海合作组织成员国经贸部长会议", "上合组织成员国外交部长理事会会议", "峰会", "签署《上海合作组织宪章》"];
        let places = [None, Some("北京"), Some("杜尚别")];
        const POOL: [char; 12] = ['会', '议', '合', '作', '组', '织', '国', '家', '元', '首', '部', '长'];
        let mut analysis = crate::analysis::analyze_texts(&[("a", "会议。"), ("b", "会议。"), ("c", "会议。")]);
        // A small generator (no randomness from outside: the same set each run).
        let mut seed: u64 = 7;
        let mut next = |n: usize| {
            seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            (seed >> 33) as usize % n
        };
        for d in 0..3 {
            let mut events = Vec::new();
            // Day 2014-01-01 gets more than 200 distinct events (the exact comparison).
            for k in 0..400 {
                let day = if k < 300 { "2014-01-01".to_owned() } else { format!("2014-0{}-1{}", 1 + next(3), next(3)) };
                let stem = stems[next(stems.len())];
                let label = match next(6) {
                    0 => (0..10).map(|_| POOL[next(POOL.len())]).collect(),
                    1 => format!("{stem}{}", next(400)),
                    2 => format!("《{stem}》"),
                    3 => stem.replacen("成员国", "成员国的", 1),
                    4 => format!("第{}次{stem}", next(3)),
                    _ => stem.to_owned(),
                };
                events.push(crate::model::Event {
                    label: label.into(),
                    start: day.as_str().into(),
                    end: day.as_str().into(),
                    place: places[next(places.len())].map(Into::into),
                    paragraph: k,
                });
            }
            analysis.documents[d].events = events;
        }
        let kept = events_of(&analysis);
        assert!(kept.len() > 300 && kept.len() < 1200, "{}", kept.len());
        assert_eq!(kept, events_by_definition(&analysis));
    }

    #[test]
    fn events_sort_as_their_date_strings_do() {
        let event = |start: &str, paragraph: usize, label: &str| crate::model::Event {
            label: label.into(),
            start: start.into(),
            end: start.into(),
            place: None,
            paragraph,
        };
        let mut analysis = crate::analysis::analyze_texts(&[("a", "会议。"), ("b", "会议。")]);
        analysis.documents[0].events = vec![
            event("2014-09-12", 1, "x"),
            event("2014", 0, "y"),
            event("2014-09", 2, "z"),
            event("2014-09-12", 1, "w"),
            event("2014-09-12-and-a-long-tail-b", 0, "v"),
            event("2014-09-12-and-a-long-tail-a", 0, "u"),
        ];
        analysis.documents[1].events = vec![event("2014-09-12", 0, "t"), event("2013-12-31", 5, "s")];
        let mut expected: Vec<(&str, usize, usize, &str)> = analysis
            .documents
            .iter()
            .enumerate()
            .flat_map(|(d, doc)| doc.events.iter().map(move |e| (e.start.as_str(), d, e.paragraph, e.label.as_str())))
            .collect();
        expected.sort_by(|a, b| (a.0, a.1, a.2).cmp(&(b.0, b.1, b.2)));
        let got: Vec<(&str, usize, usize, &str)> = events_of(&analysis)
            .iter()
            .filter_map(|r| r.event(&analysis).map(|e| (e.start.as_str(), r.doc.0, e.paragraph, e.label.as_str())))
            .collect();
        assert_eq!(got, expected);
        assert_eq!(got.iter().map(|g| g.3).collect::<String>(), "syzxwtuv");
        // ISO dates only: sorted by their numeric keys, the same order.
        analysis.documents[0].events.truncate(4);
        let got: String = events_of(&analysis).iter().filter_map(|r| r.event(&analysis).map(|e| e.label.as_str())).collect();
        assert_eq!(got, "syzxwt");
    }

    #[test]
    fn iso_keys_order_as_the_strings() {
        let dates = [
            "0999",
            "2013-12-31",
            "2014",
            "2014-00",
            "2014-00-99",
            "2014-01",
            "2014-09",
            "2014-09-00",
            "2014-09-01",
            "9999-99-99",
        ];
        let keys: Vec<u32> = dates.iter().map(|d| iso_key(d).expect(d)).collect();
        assert!(keys.windows(2).all(|w| w[0] < w[1]), "{keys:?}");
        for odd in ["", "2014-9", "20140", "2014/09/12", "二〇一四", "2014-09-12/2014-09-13"] {
            assert_eq!(iso_key(odd), None, "{odd}");
        }
    }

    #[test]
    fn counts_and_cards_agree_with_the_entities() {
        let texts: Vec<(String, String)> = (0..40)
            .map(|i| {
                (
                    format!("d{i:02}"),
                    format!("2014年9月12日，上海合作组织成员国元首在杜尚别会晤。{}", "俄罗斯和中国".repeat(i % 3)),
                )
            })
            .collect();
        let refs: Vec<(&str, &str)> = texts.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
        let analysis = crate::analysis::analyze_texts(&refs);
        let index = CorpusIndex::new(&analysis);
        let mut seen: Vec<(EntityKind, &str)> =
            analysis.documents.iter().flat_map(|d| d.entities.iter().map(|e| (e.kind, e.canonical.as_str()))).collect();
        seen.sort_unstable();
        seen.dedup();
        assert!(seen.len() >= 4, "{seen:?}");
        for (kind, canonical) in seen {
            let mentions: Vec<(usize, usize, usize, usize)> = analysis
                .documents
                .iter()
                .enumerate()
                .flat_map(|(d, doc)| {
                    doc.entities.iter().filter(|e| e.kind == kind && e.canonical == canonical).map(move |e| {
                        let (p, s, t) = e.place();
                        (d, p, s, t)
                    })
                })
                .collect();
            assert_eq!(index.count(kind, canonical), mentions.len(), "{canonical}");
            let card = index.entity_card(&analysis, kind, canonical);
            let mut found: Vec<(usize, usize, usize, usize)> =
                card.passages.iter().map(|p| (p.at.doc.0, p.at.paragraph, p.at.start, p.at.end)).collect();
            found.sort_unstable();
            assert_eq!(found, mentions, "{canonical}");
            let docs = mentions.iter().map(|m| m.0).collect::<std::collections::BTreeSet<_>>().len();
            assert_eq!(card.documents, docs);
        }
        assert_eq!(index.count(EntityKind::Country, "no such country"), 0);
    }

    #[test]
    fn snippets_mark_cuts_and_keep_the_mention() {
        let (s, (a, b)) = snippet("一二三四五六七八九十", 4, 6, 2);
        assert_eq!(s, "…三四五六七八…");
        assert_eq!(s.chars().skip(a).take(b - a).collect::<String>(), "五六");
        let (s, (a, b)) = snippet("一二三", 0, 3, 5);
        assert_eq!((s.as_str(), a, b), ("一二三", 0, 3));
    }
}
