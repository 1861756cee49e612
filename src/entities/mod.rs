//! Named entities: people, countries, organisations, places, dates and the
//! agreements cited, each with a span in its cleaned paragraph and a
//! canonical form.
//!
//! Extraction runs per paragraph ([`scan_paragraph`]) on the gazetteer
//! matches, the dates and the names introduced by titles; names found
//! anywhere are then matched everywhere else in the corpus ([`NameIndex`]).

pub mod dates;
pub mod persons;

use crate::knowledge::{EntryKind, Knowledge, Status};
use dates::DateMention;
pub use persons::{Affiliation, PersonMention};
use serde::{Deserialize, Serialize};

/// What an entity is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum EntityKind {
    /// A named person.
    Person,
    /// A state.
    Country,
    /// An organisation or one of its bodies.
    Organization,
    /// A city, region or venue.
    Place,
    /// A date or range.
    Date,
    /// A cited agreement (canonical = the agreement's id).
    Agreement,
}

impl EntityKind {
    /// All kinds, in legend order.
    pub const ALL: [Self; 6] = [Self::Person, Self::Country, Self::Organization, Self::Place, Self::Date, Self::Agreement];

    /// The contract's name of the kind.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Person => "person",
            Self::Country => "country",
            Self::Organization => "organization",
            Self::Place => "place",
            Self::Date => "date",
            Self::Agreement => "agreement",
        }
    }
}

/// One mention.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entity {
    /// Kind.
    pub kind: EntityKind,
    /// The text of the span.
    pub text: String,
    /// Canonical form (see the contract's table).
    pub canonical: String,
    /// Paragraph index.
    pub paragraph: usize,
    /// Start char offset in the paragraph.
    pub start: usize,
    /// End char offset (exclusive).
    pub end: usize,
}

/// A gazetteer match in chars.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Hit {
    /// Start char.
    pub start: usize,
    /// End char (exclusive).
    pub end: usize,
    /// Entry index in the [`Knowledge`].
    pub entry: usize,
    /// Entry kind (copied for convenience).
    pub kind: EntryKind,
}

/// Everything found in one paragraph before corpus-wide linking.
#[derive(Clone, Debug, Default)]
pub struct ParagraphScan {
    /// The paragraph's chars.
    pub chars: Vec<char>,
    /// Gazetteer matches (all kinds, including titles and non-entities).
    pub hits: Vec<Hit>,
    /// Dates (all, including those inside titles).
    pub dates: Vec<DateMention>,
    /// Names introduced by a title.
    pub persons: Vec<PersonMention>,
    /// Places the gazetteer does not know, found by their context
    /// (`在库姆举行`): `(start, end, name)`.
    pub extra_places: Vec<(usize, usize, String)>,
}

/// Scans one paragraph. `year` carries the year in force across paragraphs.
pub fn scan_paragraph(text: &str, knowledge: &Knowledge, year: &mut Option<i32>) -> ParagraphScan {
    // One pass: the chars, and the folded text the gazetteer is searched in
    // (almost every paragraph has full-width punctuation to fold).
    let mut chars: Vec<char> = Vec::with_capacity(text.len() / 3 + 1);
    let mut folded = String::with_capacity(text.len());
    let mut unchanged_from = 0; // the folded text copies unchanged runs whole
    for (b, c) in text.char_indices() {
        chars.push(c);
        let f = crate::text::fold_char(c);
        if f != c {
            folded.push_str(&text[unchanged_from..b]);
            folded.push(f);
            unchanged_from = b + c.len_utf8();
        }
    }
    folded.push_str(&text[unchanged_from..]);
    let mut to_char = ByteToChar::new(&folded);
    let hits: Vec<Hit> = knowledge
        .find_all(&folded)
        .map(|m| {
            let kind = knowledge.entry(m.entry).kind;
            let start = to_char.char_of(m.start);
            Hit { start, end: to_char.char_of(m.end), entry: m.entry, kind }
        })
        .collect();
    let dates = dates::find_dates(&chars, year);
    let persons = persons::names_after_titles(&chars, &hits, knowledge);
    let mut extra_places = places_in_context(&chars, &hits);
    extra_places.extend(places_after_dates(&chars, &hits, &dates));
    extra_places.sort();
    ParagraphScan { chars, hits, dates, persons, extra_places }
}

/// `（2016年9月4日，奇姆肯特）`: a short name after a date in parentheses.
fn places_after_dates(chars: &[char], hits: &[Hit], dates: &[DateMention]) -> Vec<(usize, usize, String)> {
    let taken = SpanSet::new(hits.iter().map(|h| (h.start, h.end)));
    let mut out = Vec::new();
    for d in dates {
        let opened = d.start > 0 && matches!(chars[d.start - 1], '（' | '(');
        if !opened || !matches!(chars.get(d.end), Some('，' | ',')) {
            continue;
        }
        let mut start = d.end + 1;
        while chars.get(start).is_some_and(|c| crate::text::is_inline_space(*c)) {
            start += 1;
        }
        let len = chars[start.min(chars.len())..].iter().take_while(|c| crate::text::is_han(**c)).count();
        let end = start + len;
        if !(2..=8).contains(&len) || !matches!(chars.get(end), Some('）' | ')' | '、')) {
            continue;
        }
        if taken.overlaps(start, end) {
            continue;
        }
        out.push((start, end, chars[start..end].iter().collect()));
    }
    out
}

/// Verbs after which `在X…` names a place where something happened.
const PLACE_VERBS: [&str; 5] = ["举行", "召开", "签署", "举办", "通过"];

/// `在库姆举行`, `在新城市签署`: a short unknown name between 在 and a verb
/// of meeting or signing is a place.
fn places_in_context(chars: &[char], hits: &[Hit]) -> Vec<(usize, usize, String)> {
    let taken = SpanSet::new(hits.iter().map(|h| (h.start, h.end)));
    let mut out = Vec::new();
    for (i, c) in chars.iter().enumerate() {
        if *c != '在' {
            continue;
        }
        let start = i + 1;
        let Some(len) = (2..=6).find(|&n| {
            let end = start + n;
            end < chars.len() && PLACE_VERBS.iter().any(|v| v.chars().enumerate().all(|(k, vc)| chars.get(end + k) == Some(&vc)))
        }) else {
            continue;
        };
        let mut end = start + len;
        let name: String = chars[start..end].iter().collect();
        let bad = name.chars().any(|c| !crate::text::is_han(c) || "的和与及等各方式气氛会议期间线视频".contains(c))
            || name.ends_with(['中', '上', '下', '内', '外', '间', '里', '后', '前']);
        if bad || taken.overlaps(start, end) {
            continue;
        }
        if chars[end - 1] == '市' && len > 2 {
            end -= 1;
        }
        out.push((start, end, chars[start..end].iter().collect()));
    }
    out
}

/// Converts increasing byte offsets of one string to char offsets in one
/// pass, without a table.
pub struct ByteToChar<'a> {
    text: &'a str,
    byte: usize,
    char: usize,
}

impl<'a> ByteToChar<'a> {
    /// Starts at the beginning of `text`.
    pub fn new(text: &'a str) -> Self {
        Self { text, byte: 0, char: 0 }
    }

    /// Char offset of `byte` (a char boundary); offsets must not decrease
    /// by more than one match (a match's end, then the next match's start).
    pub fn char_of(&mut self, byte: usize) -> usize {
        if byte < self.byte {
            // Rare: restart from the beginning.
            self.byte = 0;
            self.char = 0;
        }
        self.char += self.text.get(self.byte..byte).map_or(0, |s| s.chars().count());
        self.byte = byte;
        self.char
    }
}

/// A set of spans (possibly nested) answering "does `[start, end)` overlap
/// any of them?" in O(log n): spans sorted by start with a running maximum
/// of their ends.
#[derive(Clone, Debug, Default)]
pub struct SpanSet {
    starts: Vec<usize>,
    max_end: Vec<usize>,
}

impl SpanSet {
    /// Builds the set.
    pub fn new(spans: impl IntoIterator<Item = (usize, usize)>) -> Self {
        let mut v: Vec<(usize, usize)> = spans.into_iter().collect();
        v.sort_unstable();
        let mut max = 0;
        let max_end = v
            .iter()
            .map(|(_, e)| {
                max = max.max(*e);
                max
            })
            .collect();
        Self { starts: v.into_iter().map(|(s, _)| s).collect(), max_end }
    }

    /// True if `[start, end)` overlaps a span of the set.
    pub fn overlaps(&self, start: usize, end: usize) -> bool {
        let k = self.starts.partition_point(|s| *s < end);
        k > 0 && self.max_end[k - 1] > start
    }
}

/// True if `[start, end)` overlaps any of `spans` (a short list).
pub fn overlaps(spans: &[(usize, usize)], start: usize, end: usize) -> bool {
    spans.iter().any(|(s, e)| start < *e && end > *s)
}

/// The entities of one paragraph: gazetteer names, dates and people outside
/// the `masked` spans (cited titles). Agreements are added by the caller.
pub fn paragraph_entities(
    scan: &ParagraphScan,
    paragraph: usize,
    masked: &SpanSet,
    knowledge: &Knowledge,
    people: &[(usize, usize, String)],
) -> Vec<Entity> {
    let text_of = |s: usize, e: usize| {
        let mut text = String::with_capacity((e - s) * 3);
        text.extend(&scan.chars[s..e]);
        text
    };
    let mut out = Vec::new();
    for hit in &scan.hits {
        let kind = match hit.kind {
            EntryKind::Country => EntityKind::Country,
            EntryKind::Organization => EntityKind::Organization,
            EntryKind::Place => EntityKind::Place,
            EntryKind::Title | EntryKind::None => continue,
        };
        if masked.overlaps(hit.start, hit.end) {
            continue;
        }
        out.push(Entity {
            kind,
            text: text_of(hit.start, hit.end),
            canonical: knowledge.entry(hit.entry).canonical.clone(),
            paragraph,
            start: hit.start,
            end: hit.end,
        });
    }
    for d in &scan.dates {
        if !masked.overlaps(d.start, d.end) {
            out.push(Entity {
                kind: EntityKind::Date,
                text: text_of(d.start, d.end),
                canonical: d.value.iso(),
                paragraph,
                start: d.start,
                end: d.end,
            });
        }
    }
    for (s, e, name) in &scan.extra_places {
        if !masked.overlaps(*s, *e) {
            out.push(Entity {
                kind: EntityKind::Place,
                text: text_of(*s, *e),
                canonical: name.clone(),
                paragraph,
                start: *s,
                end: *e,
            });
        }
    }
    for (s, e, name) in people {
        if !masked.overlaps(*s, *e) {
            out.push(Entity {
                kind: EntityKind::Person,
                text: text_of(*s, *e),
                canonical: name.clone(),
                paragraph,
                start: *s,
                end: *e,
            });
        }
    }
    out
}

/// Maps an entry's SCO status to an attendee status string.
pub fn status_name(status: Option<Status>) -> &'static str {
    match status {
        Some(Status::Member) => "member",
        Some(Status::Observer) => "observer",
        Some(Status::Partner) => "partner",
        Some(Status::Guest) | Some(Status::Other) | None => "guest",
    }
}

/// Every person name found in the corpus, matched everywhere it recurs.
pub struct NameIndex {
    names: Vec<String>,
    /// Every name with its index; char-wise, like the gazetteer's.
    automaton: Option<daachorse::CharwiseDoubleArrayAhoCorasick<u32>>,
}

impl NameIndex {
    /// Builds the index from names (deduplicated, sorted for determinism).
    pub fn new(mut names: Vec<String>) -> Self {
        names.sort();
        names.dedup();
        // No names, no automaton (an empty name would be an error: skipped).
        let automaton = daachorse::CharwiseDoubleArrayAhoCorasickBuilder::new()
            .match_kind(daachorse::MatchKind::LeftmostLongest)
            .build_with_values(names.iter().zip(0u32..).filter(|(n, _)| !n.is_empty()).map(|(n, i)| (n.as_str(), i)))
            .ok();
        Self { names, automaton }
    }

    /// The names indexed.
    pub fn names(&self) -> &[String] {
        &self.names
    }

    /// Recurrences of known names in a paragraph that do not overlap the
    /// gazetteer matches or `taken` spans: `(start, end, name)` in chars.
    pub fn find(&self, scan: &ParagraphScan, text: &str, taken: &SpanSet) -> Vec<(usize, usize, String)> {
        let Some(ac) = &self.automaton else {
            return Vec::new();
        };
        let mut hits: Option<SpanSet> = None; // built at the first match only
        let mut to_char = ByteToChar::new(text);
        let mut out = Vec::new();
        for m in ac.leftmost_find_iter(text) {
            let hits = hits.get_or_insert_with(|| SpanSet::new(scan.hits.iter().map(|h| (h.start, h.end))));
            let s = to_char.char_of(m.start());
            let e = to_char.char_of(m.end());
            if taken.overlaps(s, e) || hits.overlaps(s, e) {
                continue;
            }
            let name = &self.names[m.value() as usize];
            if !persons::plausible_recurrence(&scan.chars, s, e) {
                continue;
            }
            out.push((s, e, name.clone()));
        }
        out
    }
}
