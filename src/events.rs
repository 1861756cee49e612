//! Events a text dates (ministerial meetings, forums, signings), for the
//! timeline: `2014年11月19日在阿斯塔纳举行的上合组织成员国经贸部长会议`,
//! `经贸部长会议（2022年9月28日，塔什干）`.

use crate::entities::ParagraphScan;
use crate::knowledge::{EntryKind, Knowledge};
use crate::model::Event;
use crate::text::PhraseSet;
use std::sync::OnceLock;

struct Words {
    /// The event-final words as chars, to test a text's chars without a string.
    final_chars: Vec<Vec<char>>,
    finals_set: PhraseSet,
    verbs_set: PhraseSet,
}

fn words() -> &'static Words {
    static W: OnceLock<Words> = OnceLock::new();
    W.get_or_init(|| {
        let (mut finals, mut verbs) = (Vec::new(), Vec::new());
        for line in include_str!("../assets/meetings/event_words.tsv").lines().filter(|l| !l.starts_with('#')) {
            match line.split_once('\t') {
                Some(("final", word)) => finals.push(word.trim()),
                Some(("verb", word)) => verbs.push(word.trim()),
                _ => {}
            }
        }
        let final_chars = finals.iter().map(|f| f.chars().collect()).collect();
        Words { finals_set: PhraseSet::new(&finals), verbs_set: PhraseSet::new(&verbs), final_chars }
    })
}

const MAX_LABEL: usize = 40;

/// Events in one paragraph.
pub fn events_in(scan: &ParagraphScan, paragraph: usize, masked: &crate::entities::SpanSet, knowledge: &Knowledge) -> Vec<Event> {
    let chars = &scan.chars;
    let mut out = Vec::new();
    for d in &scan.dates {
        if masked.overlaps(d.start, d.end) {
            continue;
        }
        // The event of this date, under `label`, at `place`.
        let event = |label: String, place: Option<String>| Event {
            label: label.into(),
            start: d.value.start.name(),
            end: d.value.last().name(),
            place: place.map(Into::into),
            paragraph,
        };
        // (a) date … 举行的 LABEL
        let window_end = chars.len().min(d.end + 20);
        let held = (d.end..window_end.saturating_sub(2)).find(|&k| chars[k..k + 3] == ['举', '行', '的']);
        if let Some(k) = held {
            let between = &chars[d.end..k];
            if !between.iter().any(|c| matches!(c, '，' | '。' | '；')) {
                let between: String = between.iter().collect();
                let place = place_in(&between, knowledge);
                if let Some(label) = label_from(chars, k + 3) {
                    out.push(event(label, place));
                    continue;
                }
            }
        }
        // (b) LABEL（date，place）
        let open = d.start.checked_sub(1).filter(|&k| matches!(chars[k], '（' | '('));
        if let Some(open) = open {
            let close = (d.end..chars.len().min(d.end + 20)).find(|&k| matches!(chars[k], '）' | ')'));
            let label = label_before(chars, open);
            if let (Some(close), Some(label)) = (close, label) {
                let rest: String = chars[d.end..close].iter().collect();
                let place = place_in(&rest, knowledge).or_else(|| {
                    let r = rest.trim_matches(|c: char| matches!(c, '，' | ',' | ' '));
                    (!r.is_empty() && r.chars().count() <= 8 && r.chars().all(crate::text::is_han)).then(|| r.to_owned())
                });
                out.push(event(label, place));
            }
        }
    }
    out
}

fn place_in(s: &str, knowledge: &Knowledge) -> Option<String> {
    if s.contains("视频") {
        return Some("视频".to_owned());
    }
    let folded = crate::text::fold(s);
    knowledge
        .find_all(&folded)
        .find(|m| knowledge.entry(m.entry).kind == EntryKind::Place)
        .map(|m| knowledge.entry(m.entry).canonical.clone())
}

/// The label starting at `start`, up to the first event-final word.
fn label_from(chars: &[char], start: usize) -> Option<String> {
    let window: String = chars[start.min(chars.len())..chars.len().min(start + MAX_LABEL)]
        .iter()
        .take_while(|c| !matches!(c, '，' | '。' | '；' | '、'))
        .collect();
    // Where the first final word ends (every word's first occurrence ends
    // before its later ones, so this is the least end of any occurrence).
    let end = words().finals_set.occurrences(&window).map(|o| o.end).min()?;
    Some(window[..end].to_owned())
}

/// The label ending right before `open` (a parenthesis), when it ends with an event-final word.
fn label_before(chars: &[char], open: usize) -> Option<String> {
    let from = open.saturating_sub(MAX_LABEL);
    // Most parentheses follow no event word: asked of the chars first.
    words().final_chars.iter().find(|f| chars[from..open].ends_with(f))?;
    let window: String = chars[from..open].iter().collect();
    let cut =
        window.rfind(['，', '。', '；', '：', '、', ',']).map_or(0, |b| b + window[b..].chars().next().map_or(1, char::len_utf8));
    let mut label = &window[cut..];
    // Start after the last verb (注意到上合组织… → 上合组织…).
    // The last verb to start; of two starting there, the later in the list.
    if let Some(verb) = words().verbs_set.occurrences(label).max_by_key(|o| (o.start, o.phrase)) {
        label = &label[verb.end..];
    }
    let label = label.trim();
    (label.chars().count() >= 3).then(|| label.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn events(text: &str) -> Vec<(String, String, String, Option<String>)> {
        let k = crate::knowledge::bundled();
        let mut year = None;
        let scan = crate::entities::scan_paragraph(text, k, &mut year);
        events_in(&scan, 0, &crate::entities::SpanSet::default(), k)
            .into_iter()
            .map(|e| (e.label.to_string(), e.start.to_string(), e.end.to_string(), e.place.map(String::from)))
            .collect()
    }

    #[test]
    fn held_at_and_parenthetical_forms() {
        assert_eq!(
            events("三、总理们指出，2014年11月19日在阿斯塔纳举行的上合组织成员国经贸部长会议富有成果。"),
            vec![("上合组织成员国经贸部长会议".into(), "2014-11-19".into(), "2014-11-19".into(), Some("阿斯塔纳".into()))]
        );
        assert_eq!(
            events("各代表团团长注意到上合组织成员国第二十一次经贸部长会议（2022 年 9 月 28 日，塔什干）成果。"),
            vec![(
                "上合组织成员国第二十一次经贸部长会议".into(),
                "2022-09-28".into(),
                "2022-09-28".into(),
                Some("塔什干".into())
            )]
        );
        assert_eq!(events("2020年11月10日以视频方式举行的上合组织成员国元首理事会会议成果")[0].3.as_deref(), Some("视频"));
    }
}
