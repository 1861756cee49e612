//! People, found by the shape of the text, never from a list of names seen:
//!
//! - a name after a title (哈萨克斯坦共和国总理马西莫夫, 秘书长梅津采夫,
//!   `主席<TAB>习近平`), with the role and the country or organisation before
//!   it: the run of Han characters after the last title of a role chain, cut
//!   at the first stop word (`assets/gazetteer/name_stops.txt`) or verb
//!   (jieba POS tags), at punctuation or at the next gazetteer name;
//! - a name before a title (尊敬的普京总统, 扎帕罗夫总统、安瓦尔总理): a
//!   transliterated name (`transliteration.txt`) or a Chinese one (`surnames.txt`)
//!   after a cue word (`name_cues.txt`) or a delimiter;
//! - a transliterated name opening a clause before a verb a person says or
//!   does (拉马福萨表示, `person_verbs.txt`);
//! - the name closing an attendee list item whose role is in no list
//!   (…议会外交事务秘书阿巴斯, `role_endings.txt`);
//! - a person of the user's gazetteer, wherever the name stands.
//!
//! Names keep their inner `·` and `-` (谢赫·哈西娜).

use super::Hit;
use crate::knowledge::{EntryKind, Knowledge};
use crate::text::{is_han, is_inline_space};
use std::sync::OnceLock;

/// Who a person speaks for.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Affiliation {
    /// A country (canonical name).
    Country(String),
    /// An organisation (canonical name).
    Organization(String),
}

/// A name found after a title.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct PersonMention {
    /// Start char of the name.
    pub start: usize,
    /// End char (exclusive).
    pub end: usize,
    /// The name.
    pub name: String,
    /// Role as written (`国务院总理`, `驻哈萨克斯坦共和国特命全权大使`).
    pub role: String,
    /// The country or organisation the role belongs to.
    pub affiliation: Option<Affiliation>,
    /// Char where the whole item (affiliation + role + name) starts.
    pub item_start: usize,
}

const MAX_NAME: usize = 8;

/// The lists the name shapes are read with (`assets/gazetteer/`).
struct NameLists {
    transliteration: CharBits,
    surnames: rustc_hash::FxHashSet<char>,
    compound_surnames: Vec<Vec<char>>,
    cues: Vec<Vec<char>>,
    /// The last chars of the cues.
    cue_last: CharBits,
    verbs: Vec<Vec<char>>,
    role_endings: CharBits,
}

fn name_lists() -> &'static NameLists {
    static L: OnceLock<NameLists> = OnceLock::new();
    L.get_or_init(|| {
        let lines = |text: &'static str| {
            text.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#')).map(str::to_owned).collect::<Vec<_>>()
        };
        let surname_lines = lines(include_str!("../../assets/gazetteer/surnames.txt"));
        NameLists {
            transliteration: CharBits::new(
                lines(include_str!("../../assets/gazetteer/transliteration.txt")).iter().flat_map(|l| l.chars()),
            ),
            surnames: surname_lines.iter().filter(|l| l.chars().count() != 2).flat_map(|l| l.chars()).collect(),
            compound_surnames: surname_lines.iter().filter(|l| l.chars().count() == 2).map(|l| l.chars().collect()).collect(),
            cues: lines(include_str!("../../assets/gazetteer/name_cues.txt")).iter().map(|c| c.chars().collect()).collect(),
            cue_last: CharBits::new(
                lines(include_str!("../../assets/gazetteer/name_cues.txt")).iter().filter_map(|c| c.chars().last()),
            ),
            verbs: lines(include_str!("../../assets/gazetteer/person_verbs.txt")).iter().map(|v| v.chars().collect()).collect(),
            role_endings: CharBits::new(
                lines(include_str!("../../assets/gazetteer/role_endings.txt")).iter().flat_map(|l| l.chars()),
            ),
        }
    })
}

/// A set of chars of the Basic Multilingual Plane as one bit each: one
/// load per char of a paragraph.
struct CharBits(Vec<u64>);

impl CharBits {
    fn new(chars: impl Iterator<Item = char>) -> Self {
        let mut bits = vec![0u64; 1024];
        for c in chars {
            if let Some(w) = bits.get_mut(c as usize / 64) {
                *w |= 1 << (c as usize % 64);
            }
        }
        Self(bits)
    }

    fn contains(&self, c: &char) -> bool {
        self.0.get(*c as usize / 64).is_some_and(|w| w & (1 << (*c as usize % 64)) != 0)
    }
}

/// A char inside a name: Han, or a name separator (`·`, `-`).
fn is_name_joiner(c: char) -> bool {
    matches!(c, '·' | '•' | '・' | '‧' | '-' | '－' | '‐')
}

/// True if `name` reads as a transliterated foreign name: two or more
/// syllables of the transliteration table, joined by `·` or `-` at most.
fn is_transliterated(name: &[char]) -> bool {
    let l = name_lists();
    let syllables = name.iter().filter(|c| !is_name_joiner(**c)).count();
    syllables >= 2
        && name.first().is_some_and(|c| !is_name_joiner(*c))
        && name.last().is_some_and(|c| !is_name_joiner(*c))
        && name.iter().all(|c| is_name_joiner(*c) || l.transliteration.contains(c))
}

/// True if `name` reads as a Chinese name: a surname and one or two given
/// characters.
fn is_chinese_name(name: &[char]) -> bool {
    let l = name_lists();
    let compound = l.compound_surnames.iter().any(|s| name.starts_with(s));
    let (surname, len) = if compound {
        (true, name.len().saturating_sub(1))
    } else {
        (name.first().is_some_and(|c| l.surnames.contains(c)), name.len())
    };
    surname && (2..=3).contains(&len) && name.iter().all(|c| is_han(*c))
}
/// Longest list item (affiliation + role + name) looked at, in chars.
const MAX_ITEM: usize = 80;

/// The stop words, as one automaton (leftmost match first).
fn stops() -> Option<&'static aho_corasick::AhoCorasick> {
    static S: OnceLock<Option<aho_corasick::AhoCorasick>> = OnceLock::new();
    S.get_or_init(|| {
        let words: Vec<&str> = include_str!("../../assets/gazetteer/name_stops.txt")
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .collect();
        aho_corasick::AhoCorasickBuilder::new().match_kind(aho_corasick::MatchKind::LeftmostFirst).build(words).ok()
    })
    .as_ref()
}

/// Conjunctions that end a name only when another name follows them.
const CONJUNCTIONS: [char; 4] = ['和', '与', '及', '同'];

/// Names introduced by titles in one paragraph.
pub fn names_after_titles(chars: &[char], hits: &[Hit], knowledge: &Knowledge) -> Vec<PersonMention> {
    let mut out = Vec::new();
    for (i, hit) in hits.iter().enumerate() {
        if hit.kind != EntryKind::Title {
            continue;
        }
        let next_hit = hits.get(i + 1);
        let Some((start, end)) = name_after(chars, hit.end, next_hit, knowledge) else {
            continue;
        };
        let item_start = item_start(chars, hits, i);
        let (affiliation, role_start) = affiliation_before(chars, hits, i, item_start, knowledge)
            .or_else(|| affiliation_of_list(chars, hits, i, item_start, &out, knowledge))
            .map_or((None, item_start), |(a, r)| (Some(a), r));
        // The role as written (`2019 - 2020年轮值主席` whole), without
        // brackets or spaces left over from (以下简称…).
        let role: String = chars[role_start..hit.end]
            .iter()
            .skip_while(|c| !is_han(**c) && !c.is_ascii_digit() && !('０'..='９').contains(*c))
            .collect::<String>()
            .trim()
            .to_owned();
        out.push(PersonMention { start, end, name: chars[start..end].iter().collect(), role, affiliation, item_start });
    }
    out
}

fn name_after(chars: &[char], from: usize, next_hit: Option<&Hit>, knowledge: &Knowledge) -> Option<(usize, usize)> {
    let mut s = from;
    while s < chars.len() && is_inline_space(chars[s]) {
        s += 1;
    }
    // A person of the user's list right after the title is the name.
    if let Some(h) = next_hit.filter(|h| h.kind == EntryKind::Person && h.start == s) {
        return Some((h.start, h.end));
    }
    let limit = next_hit.map_or(chars.len(), |h| h.start.max(s));
    let mut e = s;
    while e < limit && e - s <= MAX_NAME + 4 {
        // `谢赫·哈西娜`: a joiner between Han chars belongs to the name.
        let joined = is_name_joiner(chars[e]) && e > s && chars.get(e + 1).is_some_and(|c| is_han(*c));
        if !(is_han(chars[e]) || joined) {
            break;
        }
        e += 1;
    }
    // A run that ends at another title or name is a role chain, not a name.
    let ended_by_hit = next_hit.is_some_and(|h| h.start == e);
    if ended_by_hit && next_hit.is_some_and(|h| h.kind == EntryKind::Title) {
        return None;
    }
    if e == s {
        return None;
    }
    if chars[s..e].iter().any(|c| is_name_joiner(*c)) {
        // A joined name is a transliteration, whole up to its last syllable.
        let len = chars[s..e].iter().take_while(|c| is_name_joiner(**c) || name_lists().transliteration.contains(c)).count();
        return is_transliterated(&chars[s..s + len]).then_some((s, s + len));
    }
    let run: String = chars[s..e].iter().collect();
    // Stop words (at any position but the first).
    let cut = match stops().and_then(|ac| ac.find(&run)) {
        Some(m) => run[..m.start()].chars().count(),
        None => e - s,
    };
    let mut cut = cut;
    if cut == 0 {
        return None;
    }
    // 和 / 与 … right before another name belongs to the sentence.
    if cut == e - s && ended_by_hit && CONJUNCTIONS.contains(&chars[e - 1]) {
        cut -= 1;
    }
    // Verbs and common words the stop list does not know end or reject it.
    cut = crate::segment::check_name(knowledge, &run, cut)?;
    // A number is no name, nor a day (`总统二十一日抵达`).
    let name: String = chars[s..s + cut.min(e - s)].iter().collect();
    let number = name.strip_suffix(['日', '号', '月', '年']).unwrap_or(&name);
    if crate::text::parse_number(number).is_some() {
        return None;
    }
    (2..=MAX_NAME).contains(&cut).then_some((s, s + cut))
}

/// Every person a paragraph names, in text order, without overlaps: the
/// shapes of the module doc, the name-after-title ones first.
pub fn people_in(text: &str, chars: &[char], hits: &[Hit], knowledge: &Knowledge) -> Vec<PersonMention> {
    let mut out = names_after_titles(chars, hits, knowledge);
    // Each shape adds the names that overlap none found before it.
    let add = |found: Vec<PersonMention>, out: &mut Vec<PersonMention>| {
        if found.is_empty() {
            return;
        }
        let taken = super::SpanSet::new(out.iter().map(|o| (o.start, o.end)));
        out.extend(found.into_iter().filter(|m| !taken.overlaps(m.start, m.end)));
    };
    let before = names_before_titles(chars, hits, &out, knowledge);
    add(before, &mut out);
    add(listed_people(chars, hits), &mut out);
    add(names_before_verbs(chars, hits), &mut out);
    add(attendee_item_names(text, chars, hits, knowledge), &mut out);
    out.sort_by_key(|m| m.start);
    out
}

/// The people of the user's list, wherever they stand, with the title
/// right before them when there is one.
fn listed_people(chars: &[char], hits: &[Hit]) -> Vec<PersonMention> {
    hits.iter()
        .enumerate()
        .filter(|(_, h)| h.kind == EntryKind::Person)
        .map(|(i, h)| {
            let title = i.checked_sub(1).map(|j| &hits[j]).filter(|t| t.kind == EntryKind::Title && t.end == h.start);
            PersonMention {
                start: h.start,
                end: h.end,
                name: chars[h.start..h.end].iter().collect(),
                role: title.map(|t| chars[t.start..t.end].iter().collect()).unwrap_or_default(),
                affiliation: None,
                item_start: title.map_or(h.start, |t| t.start),
            }
        })
        .collect()
}

/// `尊敬的普京总统`, `扎帕罗夫总统、安瓦尔总理`, `李强总理`: a name written
/// right before its title. The name runs back from the title to a delimiter,
/// a gazetteer name or a cue word (尊敬的, 感谢 …), and must read as a name:
/// a transliteration or a Chinese surname and given name. A title followed
/// by a name (`马拉维总统穆塔里卡`) has its name after it, not before.
fn names_before_titles(chars: &[char], hits: &[Hit], after: &[PersonMention], knowledge: &Knowledge) -> Vec<PersonMention> {
    let mut out = Vec::new();
    if !hits.iter().any(|h| h.kind == EntryKind::Title) {
        return out;
    }
    let named_after: rustc_hash::FxHashSet<usize> = after.iter().map(|m| m.start).collect();
    for (i, hit) in hits.iter().enumerate() {
        if hit.kind != EntryKind::Title || named_after.contains(&hit.end) || named_after.contains(&(hit.end + 1)) {
            continue;
        }
        let floor = i.checked_sub(1).map_or(0, |j| hits[j].end).max(hit.start.saturating_sub(MAX_NAME + 6));
        let mut k = hit.start;
        while k > floor && (is_han(chars[k - 1]) || is_name_joiner(chars[k - 1]) && k >= 2 && is_han(chars[k - 2])) {
            k -= 1;
        }
        if k == hit.start {
            continue;
        }
        let run = &chars[k..hit.start];
        let name_start = k + cue_end(run);
        let name = &chars[name_start..hit.start];
        // The run must start at a boundary: a delimiter, a gazetteer name, or a cue.
        let at_boundary = name_start > k || k == 0 || k == floor && floor > 0 || !is_han(chars[k - 1]);
        if !at_boundary || !(is_transliterated(name) || is_chinese_name(name)) || name.len() > MAX_NAME + 2 {
            continue;
        }
        let word: String = name.iter().collect();
        if crate::segment::is_common_word(knowledge, &word) {
            continue;
        }
        out.push(PersonMention {
            start: name_start,
            end: hit.start,
            name: name.iter().collect(),
            role: chars[hit.start..hit.end].iter().collect(),
            affiliation: None,
            item_start: name_start,
        });
    }
    out
}

/// Where the name of `run` starts: after the last cue word in it, if any.
fn cue_end(run: &[char]) -> usize {
    let l = name_lists();
    (1..=run.len()).rev().find(|&p| l.cue_last.contains(&run[p - 1]) && l.cues.iter().any(|c| run[..p].ends_with(c))).unwrap_or(0)
}

/// `拉马福萨表示，…`: a transliterated name of three or more characters that
/// opens a clause (or follows a cue word) right before a verb of what a
/// person says or does.
fn names_before_verbs(chars: &[char], hits: &[Hit]) -> Vec<PersonMention> {
    let l = name_lists();
    let mut out = Vec::new();
    let mut taken: Option<super::SpanSet> = None; // built at the first candidate only
    // Only where a run of three transliteration syllables ends can such a name end.
    let mut run = 0;
    for v in 0..chars.len() {
        let c = chars[v];
        let ends_run = run >= 3;
        run = if l.transliteration.contains(&c) || is_name_joiner(c) && run > 0 { run + 1 } else { 0 };
        if !ends_run || run > 0 || !l.verbs.iter().any(|verb| chars[v..].starts_with(verb)) {
            continue;
        }
        let mut k = v;
        while k > 0 && k + MAX_NAME + 6 > v && (is_han(chars[k - 1]) || is_name_joiner(chars[k - 1])) {
            k -= 1;
        }
        if v - k < 3 {
            continue;
        }
        let run = &chars[k..v];
        let start = k + cue_end(run);
        let name = &chars[start..v];
        let opens = start > k || k == 0 || !is_han(chars[k - 1]) && !is_name_joiner(chars[k - 1]);
        if !opens || name.len() < 3 || !is_transliterated(name) {
            continue;
        }
        let taken = taken.get_or_insert_with(|| super::SpanSet::new(hits.iter().map(|h| (h.start, h.end))));
        if !taken.overlaps(start, v) {
            out.push(PersonMention {
                start,
                end: v,
                name: name.iter().collect(),
                role: String::new(),
                affiliation: None,
                item_start: start,
            });
        }
    }
    out.sort_by_key(|m| m.start);
    out.dedup_by_key(|m| m.start);
    out
}

/// `巴基斯坦伊斯兰共和国议会外交事务秘书阿巴斯`: in a paragraph saying who
/// attended, a list item that opens with a country or organisation and ends
/// with a transliterated name right after a role-like word names that person.
fn attendee_item_names(text: &str, chars: &[char], hits: &[Hit], knowledge: &Knowledge) -> Vec<PersonMention> {
    let l = name_lists();
    let affiliated = hits.iter().any(|h| matches!(h.kind, EntryKind::Country | EntryKind::Organization));
    if !affiliated {
        return Vec::new();
    }
    let mut out = Vec::new();
    let mut attending = None;
    for (i, h) in hits.iter().enumerate() {
        if !matches!(h.kind, EntryKind::Country | EntryKind::Organization) {
            continue;
        }
        // The item: from this name to the next delimiter or gazetteer name.
        let limit = hits.get(i + 1).map_or(chars.len(), |n| n.start).min(h.end + MAX_ITEM);
        let end = (h.end..limit).find(|&k| !is_han(chars[k]) && !is_name_joiner(chars[k])).unwrap_or(limit);
        // Most items hold no role word followed by two transliteration syllables: ruled out in one pass.
        let maybe = (h.end + 1..end.saturating_sub(1)).any(|k| {
            l.role_endings.contains(&chars[k - 1])
                && l.transliteration.contains(&chars[k])
                && l.transliteration.contains(&chars[k + 1])
        });
        if !maybe {
            continue;
        }
        // A name ends the item only where a delimiter or the list's verb follows.
        let closes = end == chars.len() || matches!(chars[end], '、' | '，' | '。' | '；' | ',' | ';') || {
            let rest: String = chars[end.min(chars.len())..].iter().take(4).collect();
            stops().and_then(|ac| ac.find(&rest)).is_some_and(|m| m.start() == 0)
        };
        // Or the list's verb cuts the run (…秘书阿巴斯出席会议).
        let end = if closes { end } else { verb_cut(chars, h.end, end) };
        if end <= h.end + 2 || !closes && end == limit {
            continue;
        }
        let split = (h.end + 1..end - 1).find(|&k| {
            l.role_endings.contains(&chars[k - 1]) && (2..=MAX_NAME + 2).contains(&(end - k)) && is_transliterated(&chars[k..end])
        });
        let Some(k) = split else { continue };
        // Asked once, at the first candidate: does the paragraph list attendees?
        if !*attending.get_or_insert_with(|| says_attendance(text)) {
            return Vec::new();
        }
        let affiliation = match h.kind {
            EntryKind::Country => Affiliation::Country(knowledge.entry(h.entry).canonical.clone()),
            _ => Affiliation::Organization(knowledge.entry(h.entry).canonical.clone()),
        };
        out.push(PersonMention {
            start: k,
            end,
            name: chars[k..end].iter().collect(),
            role: chars[h.end..k].iter().collect(),
            affiliation: Some(affiliation),
            item_start: h.start,
        });
    }
    out
}

/// Whether a paragraph says who attended (the `attend` words of
/// `assets/meetings/attendance.tsv`: 出席, 与会 …).
pub fn says_attendance(text: &str) -> bool {
    static WORDS: OnceLock<Vec<&'static str>> = OnceLock::new();
    WORDS
        .get_or_init(|| {
            include_str!("../../assets/meetings/attendance.tsv")
                .lines()
                .filter_map(|l| l.strip_prefix("attend\t"))
                .map(str::trim)
                .filter(|w| !w.is_empty())
                .collect()
        })
        .iter()
        .any(|w| text.contains(w))
}

/// Where a stop word (出席, 与会 …) cuts the run `[from, end)`, or `end`.
fn verb_cut(chars: &[char], from: usize, end: usize) -> usize {
    let run: String = chars[from..end].iter().collect();
    match stops().and_then(|ac| ac.find(&run)) {
        Some(m) if m.start() > 0 => from + run[..m.start()].chars().count(),
        _ => end,
    }
}

/// Start of the list item holding title `i`: after the last delimiter.
fn item_start(chars: &[char], hits: &[Hit], i: usize) -> usize {
    let title = &hits[i];
    let mut k = title.start;
    // An item is a phrase, not a page: look back a bounded distance.
    let floor = title.start.saturating_sub(MAX_ITEM);
    while k > floor {
        let c = chars[k - 1];
        if matches!(c, '、' | '，' | '。' | '；' | '：' | ',' | ';' | '（' | '(' | '\t') {
            break;
        }
        // `…萨伊德和上合组织…`: a conjunction right before a name starts an item.
        if CONJUNCTIONS.contains(&c) && hits.binary_search_by_key(&k, |h| h.start).is_ok_and(|j| hits[j].kind != EntryKind::Title)
        {
            break;
        }
        if k >= 2 && chars[k - 2] == '以' && c == '及' {
            break;
        }
        k -= 1;
    }
    k
}

/// The country or organisation nearest before the title within the item
/// (skipping one introduced by 驻), and where the role text starts.
fn affiliation_before(
    chars: &[char],
    hits: &[Hit],
    i: usize,
    item_start: usize,
    knowledge: &Knowledge,
) -> Option<(Affiliation, usize)> {
    for h in hits[..i].iter().rev() {
        if h.start < item_start {
            break;
        }
        let posted = h.start > 0 && chars[h.start - 1] == '驻';
        match h.kind {
            EntryKind::Country if !posted => {
                return Some((Affiliation::Country(knowledge.entry(h.entry).canonical.clone()), h.end));
            }
            EntryKind::Organization => {
                return Some((Affiliation::Organization(knowledge.entry(h.entry).canonical.clone()), h.end));
            }
            _ => {}
        }
    }
    None
}

/// `吉尔吉斯共和国代总理、第一副总理诺维科夫`: an item with a role but no
/// country takes the country of the roles listed just before it, when no
/// other person stands between.
fn affiliation_of_list(
    chars: &[char],
    hits: &[Hit],
    i: usize,
    item_start: usize,
    found: &[PersonMention],
    knowledge: &Knowledge,
) -> Option<(Affiliation, usize)> {
    let last_person_end = found.last().map_or(0, |p| p.end);
    let h = hits[..i]
        .iter()
        .rev()
        .take_while(|h| h.end + MAX_ITEM >= item_start)
        .find(|h| h.end <= item_start && matches!(h.kind, EntryKind::Country | EntryKind::Organization))?;
    if h.start < last_person_end || chars[h.end..item_start].iter().any(|c| matches!(c, '。' | '；')) {
        return None;
    }
    let affiliation = match h.kind {
        EntryKind::Country => Affiliation::Country(knowledge.entry(h.entry).canonical.clone()),
        _ => Affiliation::Organization(knowledge.entry(h.entry).canonical.clone()),
    };
    Some((affiliation, h.end))
}

/// A recurrence of a known name is taken when it stands as a word: names of
/// three or more characters anywhere outside other names; two-character
/// names only between delimiters (迟方、 / 会见迟方。).
pub fn plausible_recurrence(chars: &[char], s: usize, e: usize) -> bool {
    if e - s >= 3 {
        return true;
    }
    let before_ok = s == 0 || !is_han(chars[s - 1]);
    let after_ok = e >= chars.len() || !is_han(chars[e]) || {
        let next: String = chars[e..].iter().take(4).collect();
        // Leftmost-first: a stop word starting right after the name is the match at 0.
        stops().and_then(|ac| ac.find(&next)).is_some_and(|m| m.start() == 0)
    };
    before_ok && after_ok
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::entities::scan_paragraph;

    fn names(text: &str) -> Vec<(String, String, Option<Affiliation>)> {
        let k = crate::knowledge::bundled();
        let mut year = None;
        scan_paragraph(text, k, &mut year).persons.into_iter().map(|p| (p.name, p.role, p.affiliation)).collect()
    }

    fn just_names(text: &str) -> Vec<String> {
        names(text).into_iter().map(|(n, _, _)| n).collect()
    }

    #[test]
    fn name_after_country_and_title() {
        assert_eq!(
            names("哈萨克斯坦共和国总理马西莫夫、中华人民共和国国务院总理李克强出席会议。"),
            vec![
                ("马西莫夫".into(), "总理".into(), Some(Affiliation::Country("哈萨克斯坦".into()))),
                ("李克强".into(), "国务院总理".into(), Some(Affiliation::Country("中国".into()))),
            ]
        );
    }

    #[test]
    fn names_end_at_verbs_stops_and_conjunctions() {
        assert_eq!(just_names("哈萨克斯坦共和国总理马西莫夫主持会议。"), vec!["马西莫夫"]);
        assert_eq!(
            just_names("上合组织实业家委员会理事会主席萨伊德和上合组织银行联合体理事会授权代表雷科夫出席会议。"),
            vec!["萨伊德", "雷科夫"]
        );
        assert_eq!(
            just_names("蒙古国驻哈萨克斯坦共和国特命全权大使苏和、巴基斯坦伊斯兰共和国总理阿齐兹与会。"),
            vec!["苏和", "阿齐兹"]
        );
        assert_eq!(just_names("俄罗斯联邦总统普京祝贺会议成功。"), vec!["普京"]);
        // A number after a title is no name.
        assert_eq!(just_names("俄罗斯联邦总统二十一日抵达。"), Vec::<String>::new());
        assert!(just_names("上合组织秘书长十五在会上发言。").is_empty());
        // A stop word the segmenter glues to the name's last char (`拉赫/蒙在`) still ends it.
        assert_eq!(just_names("塔吉克斯坦总统拉赫蒙在杜尚别会见了他。"), vec!["拉赫蒙"]);
        assert_eq!(just_names("乌兹别克斯坦总统米尔济约耶夫在撒马尔罕主持会议。"), vec!["米尔济约耶夫"]);
        assert!(just_names("总理们指出，上合组织秘书长关于本组织工作的报告很好。").is_empty());
    }

    #[test]
    fn role_chain_and_posted_ambassador() {
        let got = names("蒙古国驻哈萨克斯坦共和国特命全权大使苏和与会。");
        assert_eq!(got[0].1, "驻哈萨克斯坦共和国特命全权大使");
        assert_eq!(got[0].2, Some(Affiliation::Country("蒙古".into())));
        let got = names("上合组织地区反恐怖机构执行委员会主任张新枫出席会议。");
        assert_eq!(
            got[0],
            ("张新枫".into(), "主任".into(), Some(Affiliation::Organization("上海合作组织地区反恐怖机构执行委员会".into())))
        );
    }

    #[test]
    fn unknown_places_from_their_context() {
        let k = crate::knowledge::bundled();
        let mut year = None;
        let scan = scan_paragraph("2030年会议在库姆举行，协定在新城市签署，会议在友好气氛中举行，在北京举行。", k, &mut year);
        let places: Vec<&str> = scan.extra_places.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(places, ["库姆", "新城"]);
        let scan = scan_paragraph("边防部门领导人会议（2016年6月8日，奇姆肯特）、会议（2016年6月9日，塔什干）", k, &mut year);
        let places: Vec<&str> = scan.extra_places.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(places, ["奇姆肯特"]);
    }

    #[test]
    fn roles_keep_their_whole_title() {
        let got = names("上合组织银行联合体理事会2019 - 2020年轮值主席舒瓦洛夫出席会议。");
        assert_eq!(got[0].0, "舒瓦洛夫");
        assert_eq!(got[0].1, "2019 - 2020年轮值主席");
        let got = names("亚信2014年至2016年轮值主席国代表、欧亚经济委员会执委会2023年轮值主席阿布拉莫夫与会。");
        assert_eq!(got.last().map(|g| g.1.as_str()), Some("2023年轮值主席"));
    }

    #[test]
    fn names_before_titles_from_their_shape() {
        assert_eq!(just_names("尊敬的拉马福萨总统，尊敬的各位同事："), ["拉马福萨"]);
        assert_eq!(just_names("我谨向苏比安托总统、安瓦尔总理表示祝贺。"), ["苏比安托", "安瓦尔"]);
        assert_eq!(just_names("感谢普京总统和俄方作为轮值主席国所做工作。"), ["普京"]);
        assert_eq!(just_names("中方祝贺拉赫蒙总统接任元首理事会主席。"), ["拉赫蒙"]);
        assert_eq!(just_names("李强总理出席会议。"), ["李强"]);
        assert_eq!(just_names("会见了阿卜杜勒-马赫迪总理。"), ["阿卜杜勒-马赫迪"]);
        // Words before a title that are no names.
        assert!(just_names("农业部长会议在北京举行。").is_empty());
        assert!(just_names("俄方认真履行主席国职责，哈萨克斯坦轮值主席、中国将接任轮值主席。").is_empty());
        assert!(just_names("感谢印度作为轮值主席所做工作，国家主席出席。").is_empty());
        // A title followed by its name has the name after it.
        assert_eq!(just_names("马拉维总统穆塔里卡出席。"), ["穆塔里卡"]);
    }

    #[test]
    fn joined_names_stay_whole() {
        assert_eq!(just_names("孟加拉国总理谢赫·哈西娜出席会议。"), ["谢赫·哈西娜"]);
        assert_eq!(just_names("尊敬的谢赫·哈西娜总理："), ["谢赫·哈西娜"]);
        assert_eq!(just_names("伊拉克总理阿卜杜勒-马赫迪会见代表团。"), ["阿卜杜勒-马赫迪"]);
    }

    #[test]
    fn transliterated_names_from_a_verb_or_an_attendee_list() {
        assert_eq!(just_names("拉马福萨表示，南非愿同各方合作。"), ["拉马福萨"]);
        assert_eq!(just_names("会后，苏比安托指出，合作前景广阔。"), ["苏比安托"]);
        // Two characters are too few to tell from a word.
        assert!(just_names("各方表示，愿加强合作。").is_empty());
        let got = names("巴基斯坦伊斯兰共和国议会外交事务秘书阿巴斯、蒙古国副总理索德巴特尔出席会议。");
        assert_eq!(got[0], ("阿巴斯".into(), "议会外交事务秘书".into(), Some(Affiliation::Country("巴基斯坦".into()))));
    }

    #[test]
    fn a_user_person_is_found_wherever_it_stands() {
        let k = Knowledge::build(&[("user", "王小明\tperson\t小明\n")]).expect("builds");
        let mut year = None;
        let got: Vec<String> =
            scan_paragraph("小明今天来了，王小明说。主席小明讲话。", &k, &mut year).persons.into_iter().map(|p| p.name).collect();
        assert_eq!(got, ["小明", "王小明", "小明"]);
        // Without the entry, none of them is a name.
        assert!(just_names("小明今天来了，王小明说。").is_empty());
        // The segmenter knows the alias as one word.
        assert!(k.segmenter().cut("小明今天来了", false).iter().any(|t| t.word == "小明"));
    }

    #[test]
    fn signature_and_speaker_lines() {
        assert_eq!(just_names("哈萨克斯坦共和国总统\t纳扎尔巴耶夫"), vec!["纳扎尔巴耶夫"]);
        assert_eq!(just_names("中华人民共和国主席 习近平"), vec!["习近平"]);
    }
}
