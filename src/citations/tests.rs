//! Tests of the bracket finder and title normalisation on small fixtures
//! (the rules that need a whole document are tested through the analysis,
//! in `analysis/citation_tests.rs`).

use super::*;
use crate::citations::registry::normalize_title;

fn spans(text: &str) -> Vec<(String, Option<usize>)> {
    let chars: Vec<char> = text.chars().collect();
    find_brackets(&chars).iter().map(|s| (s.title(&chars), s.parent)).collect()
}

#[test]
fn nested_titles_have_a_parent() {
    assert_eq!(
        spans("根据《〈上海合作组织成员国多边经贸合作纲要〉落实措施计划》和《清单》"),
        vec![
            ("〈上海合作组织成员国多边经贸合作纲要〉落实措施计划".to_owned(), None),
            ("上海合作组织成员国多边经贸合作纲要".to_owned(), Some(0)),
            ("清单".to_owned(), None),
        ]
    );
    // Half-width inner brackets and stray spaces.
    assert_eq!(spans("《<上合组织 宪章>实施计划》")[1].0, "上合组织宪章");
}

#[test]
fn runaway_and_unbalanced_brackets_do_not_swallow_the_text() {
    let mut text = "《没有结束的标题".to_owned();
    text.push_str(&"很长的文字。".repeat(40));
    text.push_str("后来的《真正的协定》。");
    assert_eq!(spans(&text), vec![("真正的协定".to_owned(), None)]);
    assert_eq!(spans("《A《B协定》》"), vec![("B协定".to_owned(), None)]);
    assert!(spans("〉》《〈").is_empty());
    let deep = "《〈".repeat(10_000);
    assert!(spans(&deep).is_empty());
}

#[test]
fn normalisation() {
    assert_eq!(normalize_title("上合组织 成员国的协定（2019－2021年）"), normalize_title("上海合作组织成员国协定(2019—2021年)"));
}

#[test]
fn titles_of_speeches_and_headlines_are_not_cited() {
    let chars: Vec<char> = "发表题为《携手共创未来》的重要讲话，落实《上海合作组织宪章》。".chars().collect();
    let titles: Vec<String> = cited_spans(&chars, false).iter().map(|s| s.title(&chars)).collect();
    assert_eq!(titles, ["上海合作组织宪章"]);
    // Nested titles of a dropped one go with it; parents are renumbered.
    let chars: Vec<char> = "题为《〈甲〉之后》的讲话和《乙〈丙〉》".chars().collect();
    let spans = cited_spans(&chars, false);
    assert_eq!(
        spans.iter().map(|s| (s.title(&chars), s.parent)).collect::<Vec<_>>(),
        [("乙〈丙〉".to_owned(), None), ("丙".to_owned(), Some(0))]
    );
    assert!(cited_spans(&"《上海合作组织宪章》".chars().collect::<Vec<_>>(), true).is_empty());
}
