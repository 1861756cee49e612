//! Signing facts: the date and place at which the text says a cited
//! agreement was signed or adopted, read around each citation.

use super::{BracketSpan, lists};
use crate::entities::NameSpan;
use crate::entities::dates::{DateMention, DatePoint};
use crate::model::Signed;
use crate::text::is_inline_space;

/// Reads the signing facts of each top-level citation in a paragraph.
/// `dates` and `places` are the paragraph's mentions (outside titles).
pub fn signing_facts(chars: &[char], spans: &[BracketSpan], dates: &[DateMention], places: &[NameSpan]) -> Vec<Option<Signed>> {
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
        // Facts never cross from a neighbour: what precedes this title is
        // read back to the end of the previous one (and its parenthesis).
        let floor = prev_top.map_or(0, |p| end_of_parenthesis(chars, spans[p].end));
        let here = Around { chars, dates, places, floor };
        let before = if chained {
            prev_top.and_then(|p| before_facts[p].clone())
        } else {
            here.attributive(span.start).or_else(|| here.predicate(span.start)).or_else(|| here.date_right_before(span.start))
        };
        before_facts[i] = before.clone();
        let after = facts_in_parenthesis(chars, span.end, dates, places).or_else(|| facts_after(chars, span.end, dates, places));
        out[i] = after.or(before);
    }
    out
}

/// Where a title's parenthesis (`《A》（2014年9月12日，杜尚别）`) ends, or `end`.
fn end_of_parenthesis(chars: &[char], end: usize) -> usize {
    let open = skip_spaces(chars, end);
    if !matches!(chars.get(open), Some('（' | '(')) {
        return end;
    }
    (open + 1..chars.len().min(open + 40)).find(|&k| matches!(chars[k], '）' | ')')).map_or(end, |k| k + 1)
}

/// What a title's facts are read from: the paragraph, its dates and places
/// (outside titles), and the first char that may be read (after the
/// previous title).
struct Around<'a> {
    chars: &'a [char],
    dates: &'a [DateMention],
    places: &'a [NameSpan],
    floor: usize,
}

fn strip_parenthetical(s: &str) -> String {
    match (s.find(['（', '(']), s.rfind(['）', ')'])) {
        (Some(a), Some(b)) if a < b => format!("{}{}", &s[..a], &s[b + s[b..].chars().next().map_or(1, char::len_utf8)..]),
        _ => s.to_owned(),
    }
}

/// `《A》（2019年6月14日，比什凯克）`.
fn facts_in_parenthesis(chars: &[char], end: usize, dates: &[DateMention], places: &[NameSpan]) -> Option<Signed> {
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
    Some(Signed { date: Some(date.value.name()), place: place.map(Into::into) })
}

impl Around<'_> {
    /// `2007年11月2日在塔什干签署的《A》`: a verb and 的 right before the title,
    /// the facts in the same clause.
    fn attributive(&self, start: usize) -> Option<Signed> {
        let chars = self.chars;
        let l = lists();
        let mut k = start;
        while k > self.floor && is_inline_space(chars[k - 1]) {
            k -= 1;
        }
        if k <= self.floor || chars[k - 1] != '的' {
            return None;
        }
        let before: String = chars[k.saturating_sub(8).max(self.floor)..k - 1].iter().collect();
        let verb = l.verbs.iter().find(|v| before.ends_with(v.as_str()))?;
        let verb_start = k - 1 - verb.chars().count();
        // The clause: back to the previous clause mark outside brackets
        // (`…大会（1995年9月4日至15日，北京）通过的《A》`).
        let mut depth = 0i32;
        let mut clause_start = self.floor;
        for k in (self.floor..verb_start).rev() {
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
        let date = self.dates_in(clause_start, verb_start).last();
        let place_from = date.map_or(clause_start, |d| d.end);
        let place = self.places_in(place_from, verb_start).last().map(|p| p.name.clone()).or_else(|| {
            // `在X签署` with X not in the gazetteer.
            let seg: String = chars[place_from..verb_start].iter().collect();
            let x = seg.trim().strip_prefix('在')?;
            (!x.is_empty() && x.chars().count() <= 6 && x.chars().all(crate::text::is_han)).then(|| x.to_owned())
        });
        Signed { date: date.map(|d| d.value.name()), place: place.map(Into::into) }.non_empty()
    }

    /// `2007年8月16日，各成员国元首在比什凯克签署《A》`, `2017年6月，我们在阿斯塔纳
    /// 举行会议，共同签署了《A》`: the title is the object of a signing verb;
    /// the facts may sit in any earlier clause of the sentence. A date is
    /// taken only when the sentence names one unambiguously, a place only
    /// when introduced by 在/于; a plan (`将签署`, `支持尽快签署`) has no facts.
    fn predicate(&self, start: usize) -> Option<Signed> {
        let chars = self.chars;
        let l = lists();
        let mut k = start;
        while k > self.floor && is_inline_space(chars[k - 1]) {
            k -= 1;
        }
        if k > self.floor && chars[k - 1] == '了' {
            k -= 1;
        }
        let before: String = chars[k.saturating_sub(6).max(self.floor)..k].iter().collect();
        let verb = l.predicates.iter().find(|v| before.ends_with(v.as_str()))?;
        let verb_start = k - verb.chars().count();
        let sentence_start = (self.floor..verb_start)
            .rev()
            .find(|&k| matches!(chars[k], '。' | '；' | '！' | '？' | ';'))
            .map_or(self.floor, |k| k + 1);
        // The verb's own clause must not make it a plan.
        let clause_start =
            (sentence_start..verb_start).rev().find(|&k| matches!(chars[k], '，' | ',' | '：')).map_or(sentence_start, |k| k + 1);
        let clause: String = chars[clause_start..verb_start].iter().collect();
        if l.plans.iter().any(|w| clause.contains(w.as_str())) {
            return None;
        }
        let dates: Vec<&DateMention> = self.dates_in(sentence_start, verb_start).collect();
        let date = dates.last().copied().filter(|nearest| {
            // Two dates in one clause (`2019年和2020年…分别签署`) say nothing
            // about which title goes with which.
            !dates.iter().any(|d| {
                d.value != nearest.value
                    && !chars[d.end.min(nearest.start)..nearest.start.max(d.end)].iter().any(|c| is_clause_mark(*c))
            })
        });
        let sentence: String = chars[sentence_start..verb_start].iter().collect();
        if l.apart.iter().any(|w| sentence.contains(w.as_str())) {
            return None;
        }
        let place = self
            .places_in(sentence_start, verb_start)
            .filter(|p| {
                let at = chars[sentence_start..p.start].iter().rposition(|c| !is_inline_space(*c)).map(|k| sentence_start + k);
                at.is_some_and(|k| matches!(chars[k], '在' | '于'))
            })
            .last()
            .map(|p| p.name.clone());
        Signed { date: date.map(|d| d.value.name()), place: place.map(Into::into) }.non_empty()
    }

    /// `落实2012年6月30日《日内瓦公报》`: a day written right before the title.
    fn date_right_before(&self, start: usize) -> Option<Signed> {
        let mut k = start;
        while k > self.floor && is_inline_space(self.chars[k - 1]) {
            k -= 1;
        }
        let date = self.dates_in(self.floor, k).last().filter(|d| d.end == k && matches!(d.value.start, DatePoint::Day(..)))?;
        Signed { date: Some(date.value.name()), place: None }.non_empty()
    }

    /// Dates wholly inside `[from, to)`, in order.
    fn dates_in(&self, from: usize, to: usize) -> impl Iterator<Item = &DateMention> {
        let first = self.dates.partition_point(|d| d.start < from);
        self.dates[first..].iter().take_while(move |d| d.start < to).filter(move |d| d.end <= to)
    }

    /// Places wholly inside `[from, to)`, in order.
    fn places_in(&self, from: usize, to: usize) -> impl Iterator<Item = &NameSpan> {
        let first = self.places.partition_point(|p| p.start < from);
        self.places[first..].iter().take_while(move |p| p.start < to).filter(move |p| p.end <= to)
    }
}

fn is_clause_mark(c: char) -> bool {
    matches!(c, '，' | ',' | '。' | '；' | ';' | '：' | '！' | '？')
}

/// `《A》于2017年6月9日在阿斯塔纳签署`.
fn facts_after(chars: &[char], end: usize, dates: &[DateMention], places: &[NameSpan]) -> Option<Signed> {
    let l = lists();
    let limit = chars.len().min(end + 30);
    let stop = (end..limit).find(|&k| matches!(chars[k], '。' | '；' | '，' | '《')).unwrap_or(limit);
    let seg: String = chars[end..stop].iter().collect();
    let (verb_at, verb_len) =
        l.verbs_set.occurrences(&seg).min_by_key(|o| o.start).map(|o| (seg[..o.start].chars().count(), o.end - o.start))?;
    let verb_abs = end + verb_at;
    // `《A》和2002年6月7日在圣彼得堡批准的《B》`: that verb is B's.
    let after_verb = seg[seg.char_indices().nth(verb_at).map_or(seg.len(), |(b, _)| b) + verb_len..].trim_start();
    if after_verb.starts_with('的') || after_verb.is_empty() && stop < chars.len() && chars[stop] == '《' {
        return None;
    }
    let date =
        dates[dates.partition_point(|d| d.start < end)..].iter().take_while(|d| d.start < verb_abs).find(|d| d.end <= verb_abs);
    let place = places[places.partition_point(|p| p.start < end)..]
        .iter()
        .take_while(|p| p.start < verb_abs)
        .find(|p| p.end <= verb_abs)
        .map(|p| p.name.clone());
    date?;
    Signed { date: date.map(|d| d.value.name()), place: place.map(Into::into) }.non_empty()
}

fn skip_spaces(chars: &[char], mut i: usize) -> usize {
    while i < chars.len() && is_inline_space(chars[i]) {
        i += 1;
    }
    i
}
