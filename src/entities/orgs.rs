//! Names the gazetteer holds only in part, read by their shape:
//!
//! - compound organisations: names joined by a dash (`上海合作组织—阿富汗联络组`,
//!   `中国－上海合作组织大数据合作中心`), a body written right after an
//!   organisation's name (`上海合作组织开发银行`), or a body listed after
//!   another organisation (`…执委会、应对安全威胁与挑战综合中心和禁毒中心`),
//!   each ending with a word of `assets/gazetteer/org_suffixes.txt`. The
//!   countries and places inside such a name are not mentions of their own.
//! - a place or country followed by a word that makes it something else
//!   (`上海精神` is a principle, `阿拉伯半岛` a region:
//!   `assets/gazetteer/name_suffixes.tsv`).

use super::{Hit, NameSpan};
use crate::knowledge::{EntryKind, Knowledge};
use crate::text::is_han;
use std::sync::OnceLock;

struct OrgLists {
    suffix_chars: Vec<Vec<char>>,
    /// For each suffix word, whether it names an organisation as a whole (not a body).
    suffix_whole: Vec<bool>,
    /// The last chars of the suffix words: only where one stands can a suffix end.
    suffix_last: crate::text::CharSet,
    break_chars: crate::text::CharSet,
    /// Words never inside such a name (`合作的`…), as chars.
    break_words: Vec<Vec<char>>,
    principle: Vec<String>,
    region: Vec<String>,
}

fn lists() -> Option<&'static OrgLists> {
    static L: OnceLock<Option<OrgLists>> = OnceLock::new();
    L.get_or_init(|| {
        let lines =
            |text: &'static str| text.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#')).collect::<Vec<_>>();
        let suffix_lines = lines(include_str!("../../assets/gazetteer/org_suffixes.txt"));
        let suffix_chars: Vec<Vec<char>> =
            suffix_lines.iter().map(|l| l.split('\t').next().unwrap_or_default().chars().collect()).collect();
        let suffix_whole = suffix_lines.iter().map(|l| l.split('\t').nth(1).is_some_and(|m| m.trim() == "whole")).collect();
        let breaks = lines(include_str!("../../assets/gazetteer/org_breaks.txt"));
        let mut principle = Vec::new();
        let mut region = Vec::new();
        for line in lines(include_str!("../../assets/gazetteer/name_suffixes.tsv")) {
            match line.split_once('\t') {
                Some(("principle", w)) => principle.push(w.trim().to_owned()),
                Some(("region", w)) => region.push(w.trim().to_owned()),
                _ => {}
            }
        }
        Some(OrgLists {
            suffix_whole,
            suffix_last: crate::text::CharSet::new(suffix_chars.iter().filter_map(|s| s.last().copied())),
            suffix_chars,
            break_chars: crate::text::CharSet::new(breaks.iter().filter(|w| w.chars().count() == 1).flat_map(|w| w.chars())),
            break_words: breaks.iter().filter(|w| w.chars().count() > 1).map(|w| w.chars().collect()).collect(),
            principle,
            region,
        })
    })
    .as_ref()
}

/// Longest run, in chars, read as the body part of a compound name.
const MAX_BODY: usize = 16;

fn is_dash(c: char) -> bool {
    matches!(c, '—' | '－' | '-' | '–' | '―' | '‒' | '─')
}

/// `上海精神`: drops place and country matches that a principle word
/// follows; `阿拉伯半岛`: turns a country a region word follows into that
/// region, a place (pushed to `places`).
pub fn apply_name_suffixes(chars: &[char], hits: &mut Vec<Hit>, places: &mut Vec<NameSpan>) {
    let Some(l) = lists() else { return };
    let follows = |end: usize, words: &[String]| {
        words.iter().find(|w| w.chars().enumerate().all(|(k, c)| chars.get(end + k) == Some(&c))).map(|w| w.chars().count())
    };
    hits.retain(|h| {
        if !matches!(h.kind, EntryKind::Place | EntryKind::Country) {
            return true;
        }
        if follows(h.end, &l.principle).is_some() {
            return false;
        }
        if h.kind == EntryKind::Country
            && let Some(n) = follows(h.end, &l.region)
        {
            places.push(NameSpan { start: h.start, end: h.end + n, name: chars[h.start..h.end + n].iter().collect() });
            return false;
        }
        true
    });
}

/// The compound organisations of a paragraph (`name` canonical: an
/// organisation's alias before the body is written as its canonical name).
/// The gazetteer matches inside them are removed from `hits`.
///
/// Every shape starts at a gazetteer name or a list delimiter after an
/// organisation, so only the text right after those is read.
pub fn compound_orgs(chars: &[char], hits: &mut Vec<Hit>, knowledge: &Knowledge) -> Vec<NameSpan> {
    let Some(l) = lists() else { return Vec::new() };
    let mut out: Vec<NameSpan> = Vec::new();
    // Gazetteer matches never overlap and come in text order.
    let named = |h: &Hit| matches!(h.kind, EntryKind::Country | EntryKind::Organization | EntryKind::Place);
    for (i, b) in hits.iter().enumerate() {
        if !named(b) || out.last().is_some_and(|o| o.end > b.start) {
            continue;
        }
        let next_start = hits[i + 1..].iter().find(|h| h.kind != EntryKind::Title).map_or(chars.len(), |h| h.start);
        if let Some(e) = body_end(l, chars, b.end, next_start) {
            let body: String = chars[b.end..e].iter().collect();
            let dash = b.start.checked_sub(1).filter(|&d| is_dash(chars[d]));
            let first = dash.and_then(|d| hits[..i].last().filter(|a| a.end == d && named(a)));
            let found = match (first, b.kind) {
                // `中国－上海合作组织大数据合作中心`: two names joined by a dash, then the body.
                (Some(a), _) => Some(NameSpan { start: a.start, end: e, name: chars[a.start..e].iter().collect() }),
                // `上海合作组织开发银行`: a body of the organisation (not `联合国中心`,
                // a bare suffix; nor a body of a body).
                (None, EntryKind::Organization)
                    if (e - b.end > suffix_len(l, chars, e) || e - b.end >= 3)
                        && !is_body(&knowledge.entry(b.entry).canonical) =>
                {
                    Some(NameSpan { start: b.start, end: e, name: format!("{}{body}", knowledge.entry(b.entry).canonical) })
                }
                _ => None,
            };
            if let Some(span) = found {
                if let Some(prev) = out.last()
                    && prev.start == span.start
                {
                    continue;
                }
                out.push(span);
            }
        }
    }
    // `…执委会、应对安全威胁与挑战综合中心和禁毒中心`: bodies listed after an organisation.
    let mut org_ends: Vec<usize> = hits.iter().filter(|h| h.kind == EntryKind::Organization).map(|h| h.end).collect();
    org_ends.extend(out.iter().map(|o| o.end));
    org_ends.sort_unstable();
    org_ends.dedup();
    let before_lists = super::SpanSet::new(out.iter().map(|o| (o.start, o.end)));
    let mut listed: Vec<NameSpan> = Vec::new();
    for &first_end in &org_ends {
        // Each item found may open the next one: follow the list.
        let mut at = first_end;
        while matches!(chars.get(at), Some('、' | '和' | '及' | '与')) && listed.last().is_none_or(|o| o.end <= at) {
            let start = at + 1;
            let next = hits.partition_point(|h| h.start < start);
            if hits.get(next).is_some_and(|h| h.start == start) {
                break; // a gazetteer name is its own entity
            }
            let next_start = hits[next..].iter().find(|h| h.kind != EntryKind::Title).map_or(chars.len(), |h| h.start);
            let Some(e) = body_end(l, chars, start, next_start).filter(|&e| e - start >= 3) else { break };
            if before_lists.overlaps(start, e) {
                break;
            }
            listed.push(NameSpan { start, end: e, name: chars[start..e].iter().collect() });
            at = e;
        }
    }
    out.extend(listed);
    out.sort_by_key(|o| o.start);
    if !out.is_empty() {
        let found = super::SpanSet::new(out.iter().map(|o| (o.start, o.end)));
        hits.retain(|h| !found.overlaps(h.start, h.end));
    }
    out
}

/// The end of an organisation's body part starting at `from`: the first
/// suffix word ending in the run of Han characters (no break character, at
/// most [`MAX_BODY`], before the next gazetteer name at `limit`), with any
/// suffix word right after it (`体育组织协会`).
fn body_end(l: &OrgLists, chars: &[char], from: usize, limit: usize) -> Option<usize> {
    let mut run_end = from;
    while run_end < limit.min(from + MAX_BODY) && is_han(chars[run_end]) && !l.break_chars.contains(chars[run_end]) {
        run_end += 1;
    }
    let mut end = (from + 1..=run_end).find(|&p| suffix_at_end(l, &chars[from..p]).is_some())?;
    while let Some(n) = (end + 1..=run_end).find(|&p| suffix_at_end(l, &chars[end..p]) == Some(p - end)) {
        end = n;
    }
    let body = &chars[from..end];
    (!l.break_words.iter().any(|w| body.windows(w.len()).any(|at| at == w.as_slice()))).then_some(end)
}

/// The length of the suffix word `run` ends with, if any (the longest).
fn suffix_at_end(l: &OrgLists, run: &[char]) -> Option<usize> {
    let &last = run.last()?;
    if !l.suffix_last.contains(last) {
        return None;
    }
    l.suffix_chars.iter().filter(|s| s.last() == Some(&last) && run.ends_with(s)).map(Vec::len).max()
}

/// The length of the suffix word ending at `end`.
fn suffix_len(l: &OrgLists, chars: &[char], end: usize) -> usize {
    suffix_at_end(l, &chars[..end]).unwrap_or(0)
}

/// True if the name is itself a body: it ends with a suffix word that is
/// not marked `whole` (an organisation as a whole, 组织) in the list.
fn is_body(name: &str) -> bool {
    lists().is_some_and(|l| {
        let chars: Vec<char> = name.chars().collect();
        l.suffix_chars.iter().zip(&l.suffix_whole).any(|(s, whole)| !whole && chars.ends_with(s))
    })
}

/// The short forms of a document's compound organisations: the body part
/// of a body written after its organisation (`开发银行` of
/// `上海合作组织开发银行`), four characters or more, with the full name.
pub fn short_forms<'a>(orgs: impl IntoIterator<Item = &'a NameSpan>, knowledge: &Knowledge) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    for o in orgs {
        // The longest organisation name it starts with.
        let parent = knowledge
            .organizations_longest_first()
            .iter()
            .map(|&i| knowledge.entry(i))
            .find(|e| o.name.starts_with(e.canonical.as_str()));
        if let Some(body) = parent.and_then(|p| o.name.strip_prefix(p.canonical.as_str()))
            && body.chars().count() >= 4
            && !out.iter().any(|(s, _)| s == body)
        {
            out.push((body.to_owned(), o.name.clone()));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn orgs(text: &str) -> Vec<(String, String)> {
        let scan = crate::entities::scan_paragraph(text, crate::knowledge::bundled(), &mut None);
        scan.extra_orgs.iter().map(|o| (scan.chars[o.start..o.end].iter().collect(), o.name.clone())).collect()
    }

    fn names(text: &str) -> Vec<String> {
        orgs(text).into_iter().map(|(t, _)| t).collect()
    }

    #[test]
    fn names_joined_by_a_dash() {
        assert_eq!(names("上海合作组织—阿富汗联络组会议在北京举行。"), ["上海合作组织—阿富汗联络组"]);
        assert_eq!(
            names("中国－上海合作组织大数据合作中心和中国—中亚合作论坛。"),
            ["中国－上海合作组织大数据合作中心", "中国—中亚合作论坛"]
        );
        // The country inside is no mention of its own.
        let scan = crate::entities::scan_paragraph("上海合作组织—阿富汗联络组", crate::knowledge::bundled(), &mut None);
        assert!(scan.hits.iter().all(|h| h.kind != EntryKind::Country));
    }

    #[test]
    fn bodies_after_the_organisation_and_in_its_lists() {
        assert_eq!(orgs("支持成立上合组织开发银行。"), [("上合组织开发银行".to_owned(), "上海合作组织开发银行".to_owned())]);
        assert_eq!(
            names("上合组织秘书处、地区反恐怖机构执委会、应对安全威胁与挑战综合中心和禁毒中心代表出席会议。"),
            ["应对安全威胁与挑战综合中心", "禁毒中心"]
        );
        // A phrase is no name.
        assert!(names("上合组织框架内的合作中心。").is_empty());
        assert!(names("塔吉克斯坦共和国关于设立减贫专门工作组的倡议。").is_empty());
    }

    #[test]
    fn principles_and_regions_are_not_places_or_countries() {
        let k = crate::knowledge::bundled();
        let scan = crate::entities::scan_paragraph("弘扬上海精神。朝鲜半岛和印度局势。", k, &mut None);
        let kinds: Vec<(String, EntryKind)> =
            scan.hits.iter().map(|h| (scan.chars[h.start..h.end].iter().collect(), h.kind)).collect();
        assert_eq!(kinds, [("印度".to_owned(), EntryKind::Country)]);
        assert_eq!(scan.extra_places.iter().map(|p| p.name.as_str()).collect::<Vec<_>>(), ["朝鲜半岛"]);
    }
}
