//! People: a name after a title (哈萨克斯坦共和国总理马西莫夫, 秘书长梅津采夫,
//! `主席<TAB>习近平`), with the role and the country or organisation before it.
//!
//! The name is the run of Han characters after the last title of a role
//! chain, cut at the first stop word (`assets/gazetteer/name_stops.txt`) or
//! verb (jieba POS tags), at punctuation or at the next gazetteer name.

use super::Hit;
use crate::knowledge::{EntryKind, Knowledge};
use crate::text::{is_han, is_inline_space};
use std::sync::OnceLock;

/// Who a person speaks for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Affiliation {
    /// A country (canonical name).
    Country(String),
    /// An organisation (canonical name).
    Organization(String),
}

/// A name found after a title.
#[derive(Clone, Debug, PartialEq, Eq)]
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
        // The role as written, without brackets left over from (以下简称…).
        let role: String =
            chars[role_start..hit.end].iter().filter(|c| !is_inline_space(**c)).skip_while(|c| !is_han(**c)).collect();
        out.push(PersonMention { start, end, name: chars[start..end].iter().collect(), role, affiliation, item_start });
    }
    out
}

fn name_after(chars: &[char], from: usize, next_hit: Option<&Hit>, knowledge: &Knowledge) -> Option<(usize, usize)> {
    let mut s = from;
    while s < chars.len() && is_inline_space(chars[s]) {
        s += 1;
    }
    let limit = next_hit.map_or(chars.len(), |h| h.start.max(s));
    let mut e = s;
    while e < limit && is_han(chars[e]) && e - s <= MAX_NAME + 4 {
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
    (2..=MAX_NAME).contains(&cut).then_some((s, s + cut))
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
    fn signature_and_speaker_lines() {
        assert_eq!(just_names("哈萨克斯坦共和国总统\t纳扎尔巴耶夫"), vec!["纳扎尔巴耶夫"]);
        assert_eq!(just_names("中华人民共和国主席 习近平"), vec!["习近平"]);
    }
}
