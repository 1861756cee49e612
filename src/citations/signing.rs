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
    Some(Signed { date: Some(date.value.iso()), place })
}

/// `2007年11月2日在塔什干签署的《A》`.
fn facts_before(chars: &[char], start: usize, dates: &[DateMention], places: &[NameSpan]) -> Option<Signed> {
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
fn facts_after(chars: &[char], end: usize, dates: &[DateMention], places: &[NameSpan]) -> Option<Signed> {
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
