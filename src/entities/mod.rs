//! Named entities: people, countries, organisations, places, dates and the
//! agreements cited, each with a span in its cleaned paragraph and a
//! canonical form.
//!
//! Extraction runs per paragraph ([`scan_paragraph`]) on the gazetteer
//! matches, the dates and the names introduced by titles; names found
//! anywhere are then matched everywhere else in the corpus ([`NameIndex`]).

pub mod dates;
pub mod orgs;
pub mod persons;

use crate::knowledge::{EntryKind, Knowledge};
use crate::model::{Entity, EntityKind};
use dates::DateMention;
pub use persons::{Affiliation, PersonMention};
use rustc_hash::FxHashMap;

/// A name found in a paragraph: its span (chars) and the name it stands
/// for (a place's canonical name, a person's name as written).
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
pub struct NameSpan {
    /// Start char.
    pub start: usize,
    /// End char (exclusive).
    pub end: usize,
    /// The name.
    pub name: String,
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
    pub extra_places: Vec<NameSpan>,
    /// Organisations found by their shape ([`orgs::compound_orgs`]), and
    /// short forms linked to them within the document.
    pub extra_orgs: Vec<NameSpan>,
}

/// Scans one paragraph. `year` carries the year in force across paragraphs.
///
/// The scan's `chars` come from buffers given back with
/// [`ParagraphScan::recycle_chars`] when there are any.
pub fn scan_paragraph(text: &str, knowledge: &Knowledge, year: &mut Option<i32>) -> ParagraphScan {
    SPARE.with_borrow_mut(|spare| {
        let mut folded = std::mem::take(&mut spare.folded);
        let scan = scan_with(text, knowledge, year, spare.chars.pop().unwrap_or_default(), &mut folded);
        spare.folded = folded;
        scan
    })
}

/// Buffers a thread reuses from one paragraph to the next. A paragraph's
/// chars and folded text live only while it is scanned (and its chars
/// again while its document is finished): allocating them afresh for each
/// paragraph of a corpus costs an allocation and a free each time.
#[derive(Default)]
struct Spare {
    chars: Vec<Vec<char>>,
    folded: String,
}

/// Char buffers kept for reuse, at most (a long document's paragraphs).
const MAX_SPARE_CHARS: usize = 256;

/// Largest buffer kept for reuse, in chars: a thread keeps at most 16 MB of
/// spare buffers (256 × 64 KB) whatever paragraphs it has seen.
const MAX_SPARE_CAPACITY: usize = 16 * 1024;

thread_local! {
    static SPARE: std::cell::RefCell<Spare> = std::cell::RefCell::new(Spare::default());
}

/// Lets this thread's spare buffers go (after a load).
pub fn forget_spare_buffers() {
    SPARE.with_borrow_mut(|spare| *spare = Spare::default());
}

impl ParagraphScan {
    /// Empties `chars` and keeps its buffer for the next scan on this thread.
    pub fn recycle_chars(&mut self) {
        let mut chars = std::mem::take(&mut self.chars);
        chars.clear();
        SPARE.with_borrow_mut(|spare| {
            if spare.chars.len() < MAX_SPARE_CHARS && (1..=MAX_SPARE_CAPACITY).contains(&chars.capacity()) {
                spare.chars.push(chars);
            }
        });
    }
}

/// The chars of `text`, in a recycled buffer when there is one.
pub fn chars_of(text: &str) -> Vec<char> {
    let mut chars = SPARE.with_borrow_mut(|spare| spare.chars.pop()).unwrap_or_default();
    chars.reserve(text.len() / 3 + 1);
    chars.extend(text.chars());
    chars
}

fn scan_with(
    text: &str,
    knowledge: &Knowledge,
    year: &mut Option<i32>,
    mut chars: Vec<char>,
    folded: &mut String,
) -> ParagraphScan {
    // The chars, and the folded text the gazetteer is searched in (almost
    // every paragraph has full-width punctuation to fold). Common Han chars
    // never fold: the folded text copies their runs whole.
    chars.clear();
    chars.reserve(text.len() / 3 + 1);
    chars.extend(text.chars());
    folded.clear();
    folded.reserve(text.len());
    let mut unchanged_from = 0;
    for stretch in crate::text::stretches(text) {
        if let crate::text::Stretch::Other { start, c } = stretch {
            let f = crate::text::fold_char(c);
            if f != c {
                folded.push_str(&text[unchanged_from..start]);
                folded.push(f);
                unchanged_from = start + c.len_utf8();
            }
        }
    }
    folded.push_str(&text[unchanged_from..]);
    let folded: &str = folded;
    let mut to_char = ByteToChar::new(folded);
    let hits: Vec<Hit> = knowledge
        .find_all(folded)
        .map(|m| {
            let kind = knowledge.entry(m.entry).kind;
            let start = to_char.char_of(m.byte_start);
            Hit { start, end: to_char.char_of(m.byte_end), entry: m.entry, kind }
        })
        .collect();
    let mut hits = hits;
    let mut extra_places = Vec::new();
    orgs::apply_name_suffixes(&chars, &mut hits, &mut extra_places);
    let extra_orgs = orgs::compound_orgs(&chars, &mut hits, knowledge);
    let dates = dates::find_dates(&chars, year);
    let persons = persons::people_in(text, &chars, &hits, knowledge);
    extra_places.extend(places_in_context(&chars, &hits));
    extra_places.extend(places_after_dates(&chars, &hits, &dates));
    extra_places.sort();
    ParagraphScan { chars, hits, dates, persons, extra_places, extra_orgs }
}

/// What pass 1 keeps of a document's [`ParagraphScan`]s until pass 2,
/// when every paragraph of the corpus has one at once: the same findings
/// in less memory (no chars, gazetteer matches in 16 bytes instead of 32),
/// every paragraph's in one list per kind, with where each paragraph's
/// part ends (five lists per paragraph, mostly empty, were 80 bytes and an
/// allocation or more each). [`StoredScans::restore`] gives the scans back.
#[derive(Clone, Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct StoredScans {
    hits: Vec<StoredHit>,
    dates: Vec<DateMention>,
    persons: Vec<PersonMention>,
    extra_places: Vec<NameSpan>,
    extra_orgs: Vec<NameSpan>,
    /// For each paragraph, where its part of each list ends (hits, dates,
    /// persons, places, organisations).
    ends: Vec<[u32; 5]>,
}

/// A [`Hit`] in 16 bytes (offsets in a paragraph fit in 32 bits).
#[derive(Clone, Copy, Debug, serde::Serialize, serde::Deserialize)]
struct StoredHit {
    start: u32,
    end: u32,
    entry: u32,
    kind: EntryKind,
}

impl StoredScans {
    /// Room for a document of `paragraphs` paragraphs.
    pub fn with_capacity(paragraphs: usize) -> Self {
        Self { ends: Vec::with_capacity(paragraphs), ..Self::default() }
    }

    /// Keeps the scan of the next paragraph; its chars buffer is recycled.
    pub fn push(&mut self, mut scan: ParagraphScan) {
        scan.recycle_chars();
        let small = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
        self.hits.extend(scan.hits.iter().map(|h| StoredHit {
            start: small(h.start),
            end: small(h.end),
            entry: small(h.entry),
            kind: h.kind,
        }));
        self.dates.append(&mut scan.dates);
        self.persons.append(&mut scan.persons);
        self.extra_places.append(&mut scan.extra_places);
        self.extra_orgs.append(&mut scan.extra_orgs);
        let lens = [self.hits.len(), self.dates.len(), self.persons.len(), self.extra_places.len(), self.extra_orgs.len()];
        self.ends.push(lens.map(small));
    }

    /// Gives back what the lists hold beyond their length.
    pub fn shrink_to_fit(&mut self) {
        self.hits.shrink_to_fit();
        self.dates.shrink_to_fit();
        self.persons.shrink_to_fit();
        self.extra_places.shrink_to_fit();
        self.extra_orgs.shrink_to_fit();
        self.ends.shrink_to_fit();
    }

    /// The names introduced by a title, in every paragraph.
    pub fn persons(&self) -> &[PersonMention] {
        &self.persons
    }

    /// The scans of the paragraphs whose texts are `texts` (in the order
    /// they were pushed), their chars decoded again.
    pub fn restore<'a>(self, texts: impl IntoIterator<Item = &'a str>) -> Vec<ParagraphScan> {
        let wide = |n: u32| n as usize;
        let mut hits = self.hits.iter();
        let (mut dates, mut persons) = (self.dates.into_iter(), self.persons.into_iter());
        let (mut places, mut orgs) = (self.extra_places.into_iter(), self.extra_orgs.into_iter());
        let mut before = [0u32; 5];
        let mut out = Vec::with_capacity(self.ends.len());
        let mut texts = texts.into_iter();
        for (ends, text) in self.ends.iter().zip(texts.by_ref()) {
            let n = |k: usize| wide(ends[k].saturating_sub(before[k]));
            out.push(ParagraphScan {
                chars: chars_of(text),
                hits: hits
                    .by_ref()
                    .take(n(0))
                    .map(|h| Hit { start: wide(h.start), end: wide(h.end), entry: wide(h.entry), kind: h.kind })
                    .collect(),
                dates: dates.by_ref().take(n(1)).collect(),
                persons: persons.by_ref().take(n(2)).collect(),
                extra_places: places.by_ref().take(n(3)).collect(),
                extra_orgs: orgs.by_ref().take(n(4)).collect(),
            });
            before = *ends;
        }
        debug_assert!(out.len() == self.ends.len() && texts.next().is_none(), "one text for each paragraph pushed");
        out
    }
}

/// `（2016年9月4日，奇姆肯特）`: a short name after a date in parentheses.
fn places_after_dates(chars: &[char], hits: &[Hit], dates: &[DateMention]) -> Vec<NameSpan> {
    let mut taken: Option<SpanSet> = None; // built at the first candidate: most paragraphs have none
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
        if taken.get_or_insert_with(|| SpanSet::new(hits.iter().map(|h| (h.start, h.end)))).overlaps(start, end) {
            continue;
        }
        out.push(NameSpan { start, end, name: chars[start..end].iter().collect() });
    }
    out
}

/// What tells a place between 在 and a verb (`assets/gazetteer/place_*.txt`).
struct PlaceCues {
    /// The verbs of meeting or signing.
    verbs: Vec<Vec<char>>,
    /// Chars never inside such a place.
    breaks: Vec<char>,
    /// Locative words a place never ends with.
    endings: Vec<char>,
}

fn place_cues() -> &'static PlaceCues {
    static CUES: std::sync::OnceLock<PlaceCues> = std::sync::OnceLock::new();
    CUES.get_or_init(|| {
        let lines = |text: &'static str| text.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#'));
        PlaceCues {
            verbs: lines(include_str!("../../assets/gazetteer/place_verbs.txt")).map(|v| v.chars().collect()).collect(),
            breaks: lines(include_str!("../../assets/gazetteer/place_breaks.txt")).flat_map(str::chars).collect(),
            endings: lines(include_str!("../../assets/gazetteer/place_endings.txt")).flat_map(str::chars).collect(),
        }
    })
}

/// `在库姆举行`, `在新城市签署`: a short unknown name between 在 and a verb
/// of meeting or signing is a place.
fn places_in_context(chars: &[char], hits: &[Hit]) -> Vec<NameSpan> {
    let cues = place_cues();
    let mut taken: Option<SpanSet> = None; // built at the first candidate: most paragraphs have none
    let mut out = Vec::new();
    for (i, c) in chars.iter().enumerate() {
        if *c != '在' {
            continue;
        }
        let start = i + 1;
        let Some(len) = (2..=6).find(|&n| {
            let end = start + n;
            end < chars.len() && cues.verbs.iter().any(|v| chars.get(end..end + v.len()) == Some(v.as_slice()))
        }) else {
            continue;
        };
        let mut end = start + len;
        let name = &chars[start..end];
        let bad = name.iter().any(|&c| !crate::text::is_han(c) || cues.breaks.contains(&c))
            || name.last().is_some_and(|c| cues.endings.contains(c));
        if bad || taken.get_or_insert_with(|| SpanSet::new(hits.iter().map(|h| (h.start, h.end)))).overlaps(start, end) {
            continue;
        }
        if chars[end - 1] == '市' && len > 2 {
            end -= 1;
        }
        out.push(NameSpan { start, end, name: chars[start..end].iter().collect() });
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

/// Appends to `out` the entities of one paragraph: gazetteer names, dates
/// and people outside the `masked` spans (cited titles). Agreements are
/// added by the caller.
pub fn paragraph_entities(
    scan: &ParagraphScan,
    paragraph: usize,
    masked: &SpanSet,
    knowledge: &Knowledge,
    people: &[NameSpan],
    out: &mut Vec<Entity>,
) {
    for hit in &scan.hits {
        let kind = match hit.kind {
            EntryKind::Country => EntityKind::Country,
            EntryKind::Organization => EntityKind::Organization,
            EntryKind::Place => EntityKind::Place,
            // People are entities through the name list (`people`).
            EntryKind::Title | EntryKind::Person | EntryKind::None => continue,
        };
        if masked.overlaps(hit.start, hit.end) {
            continue;
        }
        out.push(Entity::new(kind, knowledge.canonical_name(hit.entry), paragraph, hit.start, hit.end));
    }
    for d in &scan.dates {
        if !masked.overlaps(d.start, d.end) {
            out.push(Entity::new(EntityKind::Date, d.value.name(), paragraph, d.start, d.end));
        }
    }
    // Names found by their shape or their recurrence.
    let found = [
        (EntityKind::Place, &scan.extra_places[..]),
        (EntityKind::Organization, &scan.extra_orgs[..]),
        (EntityKind::Person, people),
    ];
    for (kind, spans) in found {
        for NameSpan { start: s, end: e, name } in spans {
            if !masked.overlaps(*s, *e) {
                out.push(Entity::new(kind, name.as_str().into(), paragraph, *s, *e));
            }
        }
    }
}

/// Every person name found in the corpus, matched everywhere it recurs.
///
/// Names are looked up by their first char in a table over the Basic
/// Multilingual Plane: a few hundred names start with a few hundred of its
/// 65 536 chars, so almost every char of a text is ruled out by one load.
pub struct NameIndex {
    names: Vec<String>,
    /// Groups of names with the same first char: the chars after it and
    /// the name's index, longest first (the longest name at a start wins).
    groups: Vec<Vec<(Box<[char]>, u32)>>,
    /// For each BMP char, 1 + the group of the names starting with it, or 0.
    bmp_group: Vec<u16>,
    /// One bit for each BMP char, set when a name starts with it: 8 KB
    /// that stay in the core's first cache, asked before the 128 KB table
    /// for every char of every paragraph.
    bmp_starts: Vec<u64>,
    /// The groups of names starting beyond the BMP.
    other_group: FxHashMap<char, usize>,
}

impl NameIndex {
    /// Builds the index from names (deduplicated, sorted for determinism;
    /// an empty name is skipped).
    pub fn new(mut names: Vec<String>) -> Self {
        names.sort();
        names.dedup();
        let mut index = Self {
            names: Vec::new(),
            groups: Vec::new(),
            bmp_group: vec![0; 0x10000],
            bmp_starts: vec![0; 0x10000 / 64],
            other_group: FxHashMap::default(),
        };
        for (name, n) in names.iter().zip(0u32..) {
            let mut chars = name.chars();
            let Some(first) = chars.next() else { continue };
            let group = match index.group_of(first) {
                Some(g) => g,
                None => {
                    let g = index.groups.len();
                    match index.bmp_group.get_mut(first as usize) {
                        Some(slot) => {
                            *slot = u16::try_from(g + 1).unwrap_or(0);
                            index.bmp_starts[first as usize / 64] |= 1 << (first as usize % 64);
                        }
                        None => {
                            index.other_group.insert(first, g);
                        }
                    }
                    index.groups.push(Vec::new());
                    g
                }
            };
            index.groups[group].push((chars.collect(), n));
        }
        for group in &mut index.groups {
            group.sort_by_key(|(rest, n)| (std::cmp::Reverse(rest.len()), *n));
        }
        index.names = names;
        index
    }

    /// The names indexed.
    pub fn names(&self) -> &[String] {
        &self.names
    }

    /// The group of the names starting with `c`.
    #[inline]
    fn group_of(&self, c: char) -> Option<usize> {
        let at = c as usize;
        match self.bmp_starts.get(at / 64) {
            Some(&bits) if bits >> (at % 64) & 1 == 0 => None,
            Some(_) => self.bmp_group.get(at).and_then(|&slot| usize::from(slot).checked_sub(1)),
            None => self.other_group.get(&c).copied(),
        }
    }

    /// The longest name of `group` that starts at char `i` of `chars`: its end and index.
    fn name_at(&self, group: usize, chars: &[char], i: usize) -> Option<(usize, u32)> {
        let after = chars.get(i + 1..)?;
        // Compared char by char: names are a few chars long, shorter than a call to `memcmp` costs.
        let starts_with = |rest: &[char]| rest.len() <= after.len() && rest.iter().zip(after).all(|(a, b)| a == b);
        self.groups.get(group)?.iter().find(|(rest, _)| starts_with(rest)).map(|(rest, n)| (i + 1 + rest.len(), *n))
    }

    /// Recurrences of known names in a paragraph, leftmost first and each
    /// the longest name at its start, that do not overlap the gazetteer
    /// matches or `taken` spans: `(start, end, name)` in chars, appended
    /// to `out`.
    pub fn find_into(&self, scan: &ParagraphScan, taken: &SpanSet, out: &mut Vec<NameSpan>) {
        let chars = &scan.chars;
        let mut hits: Option<SpanSet> = None; // built at the first match only
        let mut i = 0;
        while i < chars.len() {
            let Some((e, n)) = self.group_of(chars[i]).and_then(|g| self.name_at(g, chars, i)) else {
                i += 1;
                continue;
            };
            let s = std::mem::replace(&mut i, e); // matches never overlap
            let hits = hits.get_or_insert_with(|| SpanSet::new(scan.hits.iter().map(|h| (h.start, h.end))));
            if taken.overlaps(s, e) || hits.overlaps(s, e) || !persons::plausible_recurrence(chars, s, e) {
                continue;
            }
            if let Some(name) = self.names.get(n as usize) {
                out.push(NameSpan { start: s, end: e, name: name.clone() });
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn recurrences(names: &[&str], text: &str) -> Vec<NameSpan> {
        let index = NameIndex::new(names.iter().map(|n| (*n).to_owned()).collect());
        let mut year = None;
        let scan = scan_paragraph(text, crate::knowledge::bundled(), &mut year);
        let mut found = Vec::new();
        index.find_into(&scan, &SpanSet::default(), &mut found);
        found
    }

    fn span(start: usize, end: usize, name: &str) -> NameSpan {
        NameSpan { start, end, name: name.to_owned() }
    }

    #[test]
    fn names_recur_leftmost_and_longest_without_overlaps() {
        // The longest name at a start wins; matches never overlap.
        assert_eq!(
            recurrences(&["王毅", "王毅强", "毅强"], "王毅强表示，王毅，"),
            vec![span(0, 3, "王毅强"), span(6, 8, "王毅")]
        );
        assert_eq!(recurrences(&["阿卜杜拉", "杜拉"], "阿卜杜拉，"), vec![span(0, 4, "阿卜杜拉")]);
        // A short name inside a longer word is no recurrence (了王毅).
        assert_eq!(recurrences(&["王毅"], "会见了王毅。"), vec![]);
        // Nor one inside a gazetteer name, nor inside taken spans.
        assert_eq!(recurrences(&["哈萨克"], "哈萨克斯坦共和国"), vec![]);
        let index = NameIndex::new(vec!["王毅强".to_owned()]);
        let scan = scan_paragraph("王毅强表示", crate::knowledge::bundled(), &mut None);
        let mut found = Vec::new();
        index.find_into(&scan, &SpanSet::new([(1, 2)]), &mut found);
        assert_eq!(found, vec![]);
    }

    #[test]
    fn stored_scans_restore_to_the_scans_paragraph_by_paragraph() {
        let texts = [
            "2016年6月24日，上海合作组织成员国元首理事会会议在塔什干举行，国家主席习近平出席（2016年9月4日，奇姆肯特）。",
            "这一段什么也没有。",
            "",
            "支持成立上合组织开发银行，哈萨克斯坦共和国总统托卡耶夫出席。2019年6月14日。",
        ];
        let k = crate::knowledge::bundled();
        let scans: Vec<ParagraphScan> = texts.iter().map(|t| scan_paragraph(t, k, &mut None)).collect();
        let first = &scans[0];
        assert!(!first.hits.is_empty() && !first.dates.is_empty() && !first.persons.is_empty() && !first.extra_places.is_empty());
        assert!(!scans[3].extra_orgs.is_empty() && !scans[3].persons.is_empty());
        let mut stored = StoredScans::with_capacity(texts.len());
        for scan in &scans {
            stored.push(scan.clone());
        }
        stored.shrink_to_fit();
        assert_eq!(stored.persons().len(), scans.iter().map(|s| s.persons.len()).sum::<usize>());
        let restored = stored.restore(texts);
        assert_eq!(restored.len(), scans.len());
        for (restored, scan) in restored.iter().zip(&scans) {
            assert_eq!(restored.chars, scan.chars);
            assert_eq!(restored.hits, scan.hits);
            assert_eq!(restored.dates, scan.dates);
            assert_eq!(restored.persons, scan.persons);
            assert_eq!(restored.extra_places, scan.extra_places);
            assert_eq!(restored.extra_orgs, scan.extra_orgs);
        }
    }

    #[test]
    fn names_beyond_the_basic_plane_and_empty_names() {
        assert_eq!(recurrences(&["", "\u{20000}丁丁"], "，\u{20000}丁丁，"), vec![span(1, 4, "\u{20000}丁丁")]);
        assert_eq!(NameIndex::new(vec![String::new(), "李".to_owned(), "李".to_owned()]).names(), ["", "李"]);
    }
}
