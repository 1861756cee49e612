//! Agreement citations: every 《…》 title (nested 〈…〉 too), when and where it
//! was signed, short forms that point back (《条约》, 该协定), and the registry
//! that links one agreement across documents and wordings.
//!
//! Per paragraph, [`find_brackets`] returns the bracketed spans; per document,
//! [`signing_facts`] reads the signing date and place around each citation;
//! across the corpus, [`Registry::link`] groups citations into agreements.

use crate::entities::dates::{DateMention, DatePoint};
use crate::text::{CharSet, PhraseSet, fold, is_inline_space};
use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};
use std::sync::OnceLock;

/// Longest title accepted between brackets; a runaway opener is dropped.
pub const MAX_TITLE_CHARS: usize = 120;

/// A bracketed title in one paragraph (chars).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BracketSpan {
    /// Start of the opening bracket.
    pub start: usize,
    /// One past the closing bracket.
    pub end: usize,
    /// Index (in this paragraph's list) of the enclosing span, for 〈A〉 inside 《…》.
    pub parent: Option<usize>,
}

impl BracketSpan {
    /// The text between the brackets, with spaces removed.
    pub fn title(&self, chars: &[char]) -> String {
        chars[self.start + 1..self.end - 1].iter().filter(|c| !is_inline_space(**c)).collect()
    }
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Bracket {
    Outer,
    Inner,
}

fn opener(c: char) -> Option<Bracket> {
    match c {
        '《' | '«' => Some(Bracket::Outer),
        '〈' | '<' | '‹' | '＜' => Some(Bracket::Inner),
        _ => None,
    }
}

fn closer(c: char) -> Option<Bracket> {
    match c {
        '》' | '»' => Some(Bracket::Outer),
        '〉' | '>' | '›' | '＞' => Some(Bracket::Inner),
        _ => None,
    }
}

/// Finds the bracketed titles of a paragraph, outer ones and the inner ones
/// nested in them, sorted by start. Unbalanced or runaway brackets are
/// skipped without swallowing the text after them.
pub fn find_brackets(chars: &[char]) -> Vec<BracketSpan> {
    // Every span opens with an outer bracket or sits inside one: most
    // paragraphs have none, and this test is cheaper than the walk below.
    if !chars.iter().any(|&c| opener(c) == Some(Bracket::Outer)) {
        return Vec::new();
    }
    let mut found: Vec<(usize, usize, Bracket)> = Vec::new();
    let mut stack: Vec<(usize, Bracket)> = Vec::new();
    for (i, &c) in chars.iter().enumerate() {
        // Drop openers that ran past the cap.
        while stack.first().is_some_and(|(s, _)| i - s > MAX_TITLE_CHARS) {
            stack.remove(0);
        }
        if let Some(kind) = opener(c) {
            match kind {
                // A new 《 while one is open: the old one never closed.
                Bracket::Outer => {
                    stack.clear();
                    stack.push((i, kind));
                }
                // Half-width < only counts inside an open title.
                Bracket::Inner if !stack.is_empty() && stack.len() < 8 => stack.push((i, kind)),
                Bracket::Inner => {}
            }
        } else if let Some(kind) = closer(c) {
            if let Some(pos) = stack.iter().rposition(|(_, k)| *k == kind) {
                let (start, _) = stack[pos];
                stack.truncate(pos);
                if i > start + 1 {
                    found.push((start, i + 1, kind));
                }
            }
        } else if matches!(c, '。' | '\n') && stack.first().is_some_and(|(s, _)| i - s > 60) {
            // A sentence end far from the opener: the title ran away.
            stack.clear();
        }
    }
    found.sort_by_key(|(s, e, _)| (*s, std::cmp::Reverse(*e)));
    // Inner brackets outside any outer title are not citations.
    let mut spans: Vec<BracketSpan> = Vec::new();
    for (start, end, kind) in found {
        let parent = spans.iter().rposition(|p| p.start < start && end <= p.end);
        if kind == Bracket::Inner && parent.is_none() {
            continue;
        }
        spans.push(BracketSpan { start, end, parent });
    }
    spans
}

// ---------------------------------------------------------------------------
// Word lists

struct Lists {
    types: Vec<String>,
    anaphora: Vec<String>,
    /// First chars of the anaphora and of the type nouns, deduplicated.
    anaphora_first: CharSet,
    types_first: CharSet,
    verbs: Vec<String>,
    verbs_set: PhraseSet,
    function_chars: Vec<char>,
}

fn lists() -> &'static Lists {
    static L: OnceLock<Lists> = OnceLock::new();
    L.get_or_init(|| {
        let read = |s: &'static str| -> Vec<String> {
            s.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#')).map(str::to_owned).collect()
        };
        let anaphora = read(include_str!("../assets/agreements/anaphora.txt"));
        let types = read(include_str!("../assets/agreements/types.txt"));
        let verbs = read(include_str!("../assets/agreements/signing_verbs.txt"));
        Lists {
            anaphora_first: CharSet::first_chars(anaphora.iter().map(String::as_str)),
            types_first: CharSet::first_chars(types.iter().map(String::as_str)),
            types,
            anaphora,
            verbs_set: PhraseSet::new(&verbs),
            verbs,
            function_chars: read(include_str!("../assets/agreements/function_chars.txt"))
                .iter()
                .filter_map(|s| s.chars().next())
                .collect(),
        }
    })
}

/// The type noun a title ends with (协定, 条约 …), if any.
pub fn type_noun(title: &str) -> Option<&'static str> {
    lists().types.iter().find(|t| title.ends_with(t.as_str())).map(String::as_str)
}

/// Every type noun (协定, 条约 …).
pub fn type_nouns() -> impl Iterator<Item = &'static str> {
    lists().types.iter().map(String::as_str)
}

/// True if the title is only a type noun: a short form such as 《条约》.
pub fn is_short_form(title: &str) -> bool {
    lists().types.iter().any(|t| t == title)
}

/// Unbracketed back-references in a paragraph: `(start, end, type noun)` for 该协定, 上述协定 ….
pub fn find_anaphora(chars: &[char], skip: &[(usize, usize)]) -> Vec<(usize, usize, &'static str)> {
    let l = lists();
    let mut skip_set = None;
    let mut out: Vec<(usize, usize, &'static str)> = Vec::new();
    for start in 0..chars.len() {
        if !l.anaphora_first.contains(chars[start]) {
            continue;
        }
        let Some(a) = l.anaphora.iter().find(|a| starts_with_at(chars, start, a)) else { continue };
        let after = start + a.chars().count();
        // Most 本 and 上 start no reference: rule them out by the next char.
        if !chars.get(after).is_some_and(|c| l.types_first.contains(*c)) {
            continue;
        }
        let Some(t) = l.types.iter().find(|t| starts_with_at(chars, after, t)) else { continue };
        let end = after + t.chars().count();
        let inside = skip_set.get_or_insert_with(|| crate::entities::SpanSet::new(skip.iter().copied())).overlaps(start, end);
        if !inside && out.last().is_none_or(|(_, e, _)| start >= *e) {
            out.push((start, end, t.as_str()));
        }
    }
    out
}

fn starts_with_at(chars: &[char], at: usize, word: &str) -> bool {
    word.chars().enumerate().all(|(i, w)| chars.get(at + i) == Some(&w))
}

// ---------------------------------------------------------------------------
// Signing facts

/// When and where an agreement was signed or adopted.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Signed {
    /// ISO date or range.
    pub date: Option<String>,
    /// Place as written (canonical city name when known).
    pub place: Option<String>,
}

impl Signed {
    fn is_empty(&self) -> bool {
        self.date.is_none() && self.place.is_none()
    }

    /// `Some(self)` unless it says nothing.
    pub fn non_empty(self) -> Option<Self> {
        (!self.is_empty()).then_some(self)
    }
}

/// A place found in a paragraph: span (chars) and canonical name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PlaceMention {
    /// Start char.
    pub start: usize,
    /// End char (exclusive).
    pub end: usize,
    /// Canonical name.
    pub name: String,
}

/// Reads the signing facts of each top-level citation in a paragraph.
/// `dates` and `places` are the paragraph's mentions (outside titles).
pub fn signing_facts(
    chars: &[char],
    spans: &[BracketSpan],
    dates: &[DateMention],
    places: &[PlaceMention],
) -> Vec<Option<Signed>> {
    let mut out = vec![None; spans.len()];
    let mut before_facts: Vec<Option<Signed>> = vec![None; spans.len()];
    for (i, span) in spans.iter().enumerate() {
        if span.parent.is_some() {
            continue;
        }
        // A list `《A》和《B》` shares the verb phrase before A.
        let prev_top = spans[..i].iter().rposition(|s| s.parent.is_none());
        let chained = prev_top.is_some_and(|p| {
            let between: String = chars[spans[p].end..span.start].iter().filter(|c| !is_inline_space(**c)).collect();
            let between = strip_parenthetical(&between);
            matches!(between.as_str(), "" | "和" | "、" | "及" | "以及" | "与" | "," | "，")
        });
        let before =
            if chained { prev_top.and_then(|p| before_facts[p].clone()) } else { facts_before(chars, span.start, dates, places) };
        before_facts[i] = before.clone();
        let after = facts_in_parenthesis(chars, span.end, dates, places).or_else(|| facts_after(chars, span.end, dates, places));
        out[i] = after.or(before);
    }
    out
}

fn strip_parenthetical(s: &str) -> String {
    match (s.find(['（', '(']), s.rfind(['）', ')'])) {
        (Some(a), Some(b)) if a < b => format!("{}{}", &s[..a], &s[b + s[b..].chars().next().map_or(1, char::len_utf8)..]),
        _ => s.to_owned(),
    }
}

/// `《A》（2019年6月14日，比什凯克）`.
fn facts_in_parenthesis(chars: &[char], end: usize, dates: &[DateMention], places: &[PlaceMention]) -> Option<Signed> {
    let open = skip_spaces(chars, end);
    if !matches!(chars.get(open), Some('（' | '(')) {
        return None;
    }
    let close = (open + 1..chars.len().min(open + 40)).find(|&k| matches!(chars[k], '）' | ')'))?;
    // A signing date is a day or a month; `（2023—2027年）` is a period, not a signing.
    let first = dates.partition_point(|d| d.start <= open);
    let date = dates[first..]
        .iter()
        .take_while(|d| d.start < close)
        .find(|d| d.end <= close && !matches!(d.value.start, DatePoint::Year(_)))?;
    let from = places.partition_point(|p| p.start < date.end);
    let place =
        places[from..].iter().take_while(|p| p.start < close).find(|p| p.end <= close).map(|p| p.name.clone()).or_else(|| {
            // An unknown place written after the date: `，希瓦）`.
            let rest: String = chars[date.end..close].iter().collect();
            let rest = rest.trim_matches(|c: char| matches!(c, '，' | ',' | '、') || is_inline_space(c));
            (!rest.is_empty() && rest.chars().count() <= 8 && rest.chars().all(crate::text::is_han)).then(|| rest.to_owned())
        });
    Some(Signed { date: Some(date.value.iso()), place })
}

/// `2007年11月2日在塔什干签署的《A》`.
fn facts_before(chars: &[char], start: usize, dates: &[DateMention], places: &[PlaceMention]) -> Option<Signed> {
    let l = lists();
    let mut k = start;
    while k > 0 && is_inline_space(chars[k - 1]) {
        k -= 1;
    }
    if k == 0 || chars[k - 1] != '的' {
        return None;
    }
    let before: String = chars[k.saturating_sub(8)..k - 1].iter().collect();
    let verb = l.verbs.iter().find(|v| before.ends_with(v.as_str()))?;
    let verb_start = k - 1 - verb.chars().count();
    // The clause: back to the previous clause mark outside brackets
    // (`…大会（1995年9月4日至15日，北京）通过的《A》`).
    let mut depth = 0i32;
    let mut clause_start = 0;
    for k in (0..verb_start).rev() {
        match chars[k] {
            '）' | ')' => depth += 1,
            '（' | '(' => depth -= 1,
            '。' | '；' | '，' | '：' | '！' | '？' | ';' | ',' if depth <= 0 => {
                clause_start = k + 1;
                break;
            }
            _ => {}
        }
    }
    let upto = dates.partition_point(|d| d.start < verb_start);
    let date = dates[..upto].iter().rev().take_while(|d| d.start >= clause_start).find(|d| d.end <= verb_start);
    let place_from = date.map_or(clause_start, |d| d.end);
    let place = places[..places.partition_point(|p| p.start < verb_start)]
        .iter()
        .rev()
        .take_while(|p| p.start >= place_from)
        .find(|p| p.end <= verb_start)
        .map(|p| p.name.clone())
        .or_else(|| {
            // `在X签署` with X not in the gazetteer.
            let seg: String = chars[place_from..verb_start].iter().collect();
            let x = seg.trim().strip_prefix('在')?;
            (!x.is_empty() && x.chars().count() <= 6 && x.chars().all(crate::text::is_han)).then(|| x.to_owned())
        });
    Signed { date: date.map(|d| d.value.iso()), place }.non_empty()
}

/// `《A》于2017年6月9日在阿斯塔纳签署`.
fn facts_after(chars: &[char], end: usize, dates: &[DateMention], places: &[PlaceMention]) -> Option<Signed> {
    let l = lists();
    let limit = chars.len().min(end + 30);
    let stop = (end..limit).find(|&k| matches!(chars[k], '。' | '；' | '，' | '《')).unwrap_or(limit);
    let seg: String = chars[end..stop].iter().collect();
    let verb_at = l.verbs_set.occurrences(&seg).map(|o| o.start).min().map(|b| seg[..b].chars().count())?;
    let verb_abs = end + verb_at;
    let date =
        dates[dates.partition_point(|d| d.start < end)..].iter().take_while(|d| d.start < verb_abs).find(|d| d.end <= verb_abs);
    let place = places[places.partition_point(|p| p.start < end)..]
        .iter()
        .take_while(|p| p.start < verb_abs)
        .find(|p| p.end <= verb_abs)
        .map(|p| p.name.clone());
    date?;
    Signed { date: date.map(|d| d.value.iso()), place }.non_empty()
}

fn skip_spaces(chars: &[char], mut i: usize) -> usize {
    while i < chars.len() && is_inline_space(chars[i]) {
        i += 1;
    }
    i
}

// ---------------------------------------------------------------------------
// Linking

/// Normalised form of a title for linking: width-folded, spaces and 的
/// removed, 上合组织/本组织 → 上海合作组织, one dash style.
pub fn normalize_title(title: &str) -> String {
    let mut s: String = fold(title).chars().filter(|c| !is_inline_space(*c) && *c != '的').collect();
    for (short, full) in prefix_synonyms() {
        if s.contains(short.as_str()) {
            s = s.replace(short.as_str(), full);
        }
    }
    s
}

fn prefix_synonyms() -> &'static [(String, String)] {
    static P: OnceLock<Vec<(String, String)>> = OnceLock::new();
    P.get_or_init(|| {
        let mut out = Vec::new();
        for line in include_str!("../assets/gazetteer/prefixes.tsv").lines().filter(|l| !l.starts_with('#')) {
            if let Some((full, alts)) = line.split_once('\t') {
                for alt in alts.split('|').map(str::trim) {
                    // Only pure synonyms of the name (not 上合组织成员国 → 上海合作组织).
                    if !alt.contains("成员国") && alt != full && alt != "本组织" {
                        out.push((alt.to_owned(), full.to_owned()));
                    }
                }
            }
        }
        out
    })
}

/// One citation as the registry sees it.
#[derive(Clone, Debug)]
pub struct CitationRef<'a> {
    /// Document index.
    pub document: usize,
    /// Citation index within the document.
    pub citation: usize,
    /// Title as written (cleaned).
    pub title: &'a str,
    /// Signing facts read at this citation.
    pub signed: Option<&'a Signed>,
}

/// Agreements after linking: group id per citation, in first-seen order.
pub struct Linked<'a> {
    /// For each input citation (same order), the agreement index.
    pub agreement_of: Vec<usize>,
    /// Number of agreements.
    pub count: usize,
    /// The distinct titles, in order of first citation.
    pub wordings: Vec<&'a str>,
    /// For each input citation, its title's index in `wordings`.
    pub wording_of: Vec<usize>,
}

/// Groups citations into agreements: same normalised title; 协定/协议 when the
/// signing date agrees; one-character or word-order differences when all
/// else agrees. Different years or signing dates never merge.
pub fn link<'a>(citations: &[CitationRef<'a>]) -> Linked<'a> {
    // 1. exact normalised key
    let mut key_group: FxHashMap<&str, usize> = FxHashMap::default();
    let mut group_of = Vec::with_capacity(citations.len());
    let mut groups: Vec<GroupInfo> = Vec::new();
    // The same titles are cited over and over: normalise each wording once.
    let mut wording_of: FxHashMap<&str, usize> = FxHashMap::default();
    let mut wordings: Vec<&'a str> = Vec::new();
    let wording_index: Vec<usize> = citations
        .iter()
        .map(|c| {
            *wording_of.entry(c.title).or_insert_with(|| {
                wordings.push(c.title);
                wordings.len() - 1
            })
        })
        .collect();
    let normalized: Vec<String> = {
        use rayon::prelude::*;
        wordings.par_iter().map(|t| normalize_title(t)).collect()
    };
    // Each wording's group (wordings come in order of first citation, so
    // groups are numbered in that order too), then each citation's.
    let group_of_wording: Vec<usize> = normalized
        .iter()
        .map(|key| {
            *key_group.entry(key.as_str()).or_insert_with(|| {
                groups.push(GroupInfo { key: key.clone(), dates: FxHashMap::default(), places: FxHashMap::default() });
                groups.len() - 1
            })
        })
        .collect();
    for (c, &w) in citations.iter().zip(&wording_index) {
        let g = group_of_wording[w];
        if let Some(s) = c.signed {
            if let Some(d) = &s.date {
                *groups[g].dates.entry(d).or_default() += 1;
            }
            if let Some(p) = &s.place {
                *groups[g].places.entry(p).or_default() += 1;
            }
        }
        group_of.push(g);
    }
    // 2. fuzzy merges within buckets (same digits and type noun)
    let mut uf = UnionFind::new(groups.len());
    let mut buckets: FxHashMap<(String, Option<&'static str>), Vec<usize>> = FxHashMap::default();
    for (g, info) in groups.iter().enumerate() {
        let digits: String = info.key.chars().filter(char::is_ascii_digit).collect();
        let noun = type_noun(&info.key.replace("协议", "协定"));
        if info.key.chars().count() >= 8 {
            buckets.entry((digits, noun)).or_default().push(g);
        }
    }
    let mut bucket_list: Vec<_> = buckets.into_values().collect();
    bucket_list.sort();
    // What the pairwise comparison asks of each group, computed once.
    let prepared: Vec<Prepared> = groups.iter().map(Prepared::of).collect();
    for members in bucket_list {
        // Buckets are small in practice; cap the pairwise work regardless.
        if members.len() > 400 {
            continue;
        }
        for (x, &a) in members.iter().enumerate() {
            for &b in &members[x + 1..] {
                if same_agreement(&prepared[a], &prepared[b]) {
                    uf.union(a, b);
                }
            }
        }
    }
    // 3. number the roots in first-seen order
    let mut id_of_root: FxHashMap<usize, usize> = FxHashMap::default();
    let mut agreement_of = Vec::with_capacity(citations.len());
    for &g in &group_of {
        let root = uf.find(g);
        let next = id_of_root.len();
        agreement_of.push(*id_of_root.entry(root).or_insert(next));
    }
    Linked { agreement_of, count: id_of_root.len(), wordings, wording_of: wording_index }
}

struct GroupInfo<'a> {
    key: String,
    dates: FxHashMap<&'a str, usize>,
    places: FxHashMap<&'a str, usize>,
}

impl GroupInfo<'_> {
    fn date(&self) -> Option<&str> {
        mode(&self.dates)
    }
    fn place(&self) -> Option<&str> {
        mode(&self.places)
    }
}

fn mode<'a>(m: &FxHashMap<&'a str, usize>) -> Option<&'a str> {
    m.iter().max_by(|a, b| a.1.cmp(b.1).then_with(|| b.0.cmp(a.0))).map(|(k, _)| *k)
}

/// A group as the pairwise comparison sees it.
struct Prepared<'a> {
    date: Option<&'a str>,
    place: Option<&'a str>,
    chars: Vec<char>,
    /// The key with 协议 read as 协定.
    unified: String,
}

impl<'a> Prepared<'a> {
    fn of(g: &'a GroupInfo<'a>) -> Self {
        Self { date: g.date(), place: g.place(), chars: g.key.chars().collect(), unified: g.key.replace("协议", "协定") }
    }
}

fn same_agreement(a: &Prepared<'_>, b: &Prepared<'_>) -> bool {
    // Anything that disagrees keeps them apart.
    let dates_conflict = matches!((a.date, b.date), (Some(x), Some(y)) if x != y);
    let places_conflict = matches!((a.place, b.place), (Some(x), Some(y)) if x != y);
    if dates_conflict || places_conflict {
        return false;
    }
    let signed_agree = a.date.is_some() && a.date == b.date;
    let (ka, kb) = (&a.chars, &b.chars);
    // 协定 / 协议 when the signing date agrees.
    if signed_agree && a.unified == b.unified {
        return true;
    }
    let function_chars = &lists().function_chars;
    match one_edit(ka, kb) {
        // A function character more or less: the same title.
        Some(Edit::Indel(c)) if function_chars.contains(&c) => return true,
        // One character more or less in a long title (反恐主义 / 反恐怖主义).
        Some(Edit::Indel(_)) if ka.len().min(kb.len()) >= 10 => return true,
        // A substitution (农业 / 林业 could be two agreements) only when signing agrees.
        Some(_) if signed_agree => return true,
        _ => {}
    }
    // Word order: one block of the title moved (上合组织2017-2021年… / 2017-2021年上合组织…).
    ka.len() >= 10 && block_moved(ka, kb)
}

/// True if `b` is `a` with one contiguous block moved elsewhere.
fn block_moved(a: &[char], b: &[char]) -> bool {
    if a.len() != b.len() || a == b {
        return false;
    }
    let prefix = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    let suffix = a.iter().rev().zip(b.iter().rev()).take_while(|(x, y)| x == y).count();
    if prefix + suffix >= a.len() {
        return false;
    }
    let (am, bm) = (&a[prefix..a.len() - suffix], &b[prefix..b.len() - suffix]);
    // bm must be a rotation of am: am = x + y, bm = y + x.
    (1..am.len()).any(|k| am[k..] == bm[..am.len() - k] && am[..k] == bm[am.len() - k..])
}

enum Edit {
    Indel(char),
    Substitute,
}

/// The single edit turning `a` into `b`, if they differ by exactly one.
fn one_edit(a: &[char], b: &[char]) -> Option<Edit> {
    if a.len() == b.len() {
        let diffs: Vec<usize> = (0..a.len()).filter(|&i| a[i] != b[i]).collect();
        return (diffs.len() == 1 && !a[diffs[0]].is_ascii_digit() && !b[diffs[0]].is_ascii_digit()).then_some(Edit::Substitute);
    }
    let (long, short) = if a.len() > b.len() { (a, b) } else { (b, a) };
    if long.len() != short.len() + 1 {
        return None;
    }
    let i = (0..short.len()).find(|&i| long[i] != short[i]).unwrap_or(short.len());
    (long[i + 1..] == short[i..] && !long[i].is_ascii_digit()).then_some(Edit::Indel(long[i]))
}

struct UnionFind {
    parent: Vec<usize>,
}

impl UnionFind {
    fn new(n: usize) -> Self {
        Self { parent: (0..n).collect() }
    }
    fn find(&mut self, mut x: usize) -> usize {
        while self.parent[x] != x {
            self.parent[x] = self.parent[self.parent[x]];
            x = self.parent[x];
        }
        x
    }
    fn union(&mut self, a: usize, b: usize) {
        let (ra, rb) = (self.find(a), self.find(b));
        if ra != rb {
            // Keep the smaller (earlier) root so ids follow first appearance.
            let (lo, hi) = if ra < rb { (ra, rb) } else { (rb, ra) };
            self.parent[hi] = lo;
        }
    }
}

#[cfg(test)]
mod tests;
