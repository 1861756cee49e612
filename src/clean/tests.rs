//! Tests of each cleaning rule on small fixtures.

use super::*;
use crate::knowledge::bundled;
use crate::model::SourcePosition;

fn texts(raw: &str) -> Vec<String> {
    clean(raw, false, bundled()).paragraphs.into_iter().map(|p| p.text.to_string()).collect()
}

#[test]
fn rejoins_words_broken_across_blank_lines() {
    let raw = "上海合作组织成\n\n员国政府首脑理事会会议举行。吉尔吉斯共和国总理奥托\n\n尔巴耶夫出席会议。\n";
    assert_eq!(texts(raw), vec!["上海合作组织成员国政府首脑理事会会议举行。吉尔吉斯共和国总理奥托尔巴耶夫出席会议。"]);
}

#[test]
fn removes_stray_spaces_between_chinese_characters_only() {
    let raw = "乌兹 别克斯坦共和国第一副总理出席《上海合作 组织宪章》会议，2014 年 9 月举行。\n";
    assert_eq!(texts(raw), vec!["乌兹别克斯坦共和国第一副总理出席《上海合作组织宪章》会议，2014 年 9 月举行。"]);
}

#[test]
fn a_sentence_opening_with_a_date_is_not_a_date_line() {
    assert_eq!(texts("2015年1月1日，会议在阿斯\n\n塔纳举行。\n"), vec!["2015年1月1日，会议在阿斯塔纳举行。"]);
    assert!(is_date_line("2014年9月12日于杜尚别"));
    assert!(is_date_line("（2014年9月12日，杜尚别）"));
}

#[test]
fn web_timestamps_with_furniture_and_agency_datelines() {
    let raw = "新闻公报\n2023-05-05 09:12:33   来源：外交部\n新华社果阿5月5日电\n2023年5月4日，会议举行。\n";
    let cleaned = clean(raw, false, bundled());
    let got: Vec<&str> = cleaned.paragraphs.iter().map(|p| p.text.as_str()).collect();
    assert_eq!(got, vec!["新闻公报", "新华社果阿5月5日电", "2023年5月4日，会议举行。"]);
}

#[test]
fn keeps_paragraph_breaks_after_sentences() {
    let raw = "第一段结束。\n\n第二段开始，\n继续。\n";
    assert_eq!(texts(raw), vec!["第一段结束。", "第二段开始，继续。"]);
}

#[test]
fn keeps_headings_sections_signatures_and_date_lines() {
    let raw = "# 宣言\n\n### 一\n\n成员国认为。\n\n二、各方指出，\n合作重要。\n\n哈萨克斯坦共和国总统\t纳扎尔巴耶夫\n中华人民共和国主席\t习近平\n\n2014年9月12日于杜尚别\n";
    let cleaned = clean(raw, false, bundled());
    let got: Vec<(&str, Option<u8>)> = cleaned.paragraphs.iter().map(|p| (p.text.as_str(), p.heading)).collect();
    assert_eq!(
        got,
        vec![
            ("宣言", Some(1)),
            ("一", Some(3)),
            ("成员国认为。", None),
            ("二、各方指出，合作重要。", None),
            ("哈萨克斯坦共和国总统\t纳扎尔巴耶夫", None),
            ("中华人民共和国主席\t习近平", None),
            ("2014年9月12日于杜尚别", None),
        ]
    );
}

#[test]
fn drops_web_debris_and_reports_it() {
    let raw = "上合组织会议联合公报\n\n2020-12-01 08:34\n\n会议举行。\n责任编辑：张三\n分享到\n【打印】【关闭】\nhttps://example.org/a?b=1\n预览已结束，完整报告链接和二维码如下：\n\nhttps://www.example.com/report\n";
    let cleaned = clean(raw, false, bundled());
    let got: Vec<&str> = cleaned.paragraphs.iter().map(|p| p.text.as_str()).collect();
    assert_eq!(got, vec!["上合组织会议联合公报", "会议举行。"]);
    assert_eq!(cleaned.removed.len(), 7, "{:?}", cleaned.removed);
    assert!(cleaned.removed.iter().any(|r| r.reason == DebrisReason::Timestamp));
}

#[test]
fn drops_page_numbers_and_running_headers_but_not_numbers_in_text() {
    let raw = "联合公报\n\n会议在阿斯塔纳\n- 1 -\n联合公报\n举行。各方\n2\n联合公报\n同意，将于\n2015\n年举行。\n";
    let cleaned = clean(raw, false, bundled());
    let got: Vec<&str> = cleaned.paragraphs.iter().map(|p| p.text.as_str()).collect();
    assert_eq!(got, vec!["联合公报", "会议在阿斯塔纳举行。各方同意，将于2015年举行。"]);
    let reasons: Vec<DebrisReason> = cleaned.removed.iter().map(|r| r.reason).collect();
    assert_eq!(reasons.iter().filter(|r| **r == DebrisReason::RunningHeader).count(), 2);
    assert_eq!(reasons.iter().filter(|r| **r == DebrisReason::PageNumber).count(), 2);
}

#[test]
fn markdown_markup_does_not_leak() {
    let raw = "\u{feff}# 标题 **一**\n\n> 引用的*文字*，\n> 继续。\n\n正文[链接](http://x.org)在此。\n";
    let cleaned = clean(raw.trim_start_matches('\u{feff}'), true, bundled());
    let got: Vec<(&str, Option<u8>)> = cleaned.paragraphs.iter().map(|p| (p.text.as_str(), p.heading)).collect();
    assert_eq!(got, vec![("标题一", Some(1)), ("引用的文字，继续。", None), ("正文链接在此。", None)]);
}

#[test]
fn maps_back_to_source_lines_and_columns() {
    let raw = "联合公报\n\n会议在阿斯\n\n塔纳举行。\n";
    let cleaned = clean(raw, false, bundled());
    let p = &cleaned.paragraphs[1];
    assert_eq!(p.text, "会议在阿斯塔纳举行。");
    assert_eq!(p.source_position(0), Some(SourcePosition { line: 3, column: 1 }));
    assert_eq!(p.source_position(5), Some(SourcePosition { line: 5, column: 1 }));
    assert_eq!(p.source_position(6), Some(SourcePosition { line: 5, column: 2 }));
}

/// Wraps paragraphs at `width` chars the way PDF extractions do: one blank
/// line between the pieces of a paragraph, a whitespace-only line between paragraphs.
fn wrap(paragraphs: &[&str], width: usize) -> String {
    let mut out = String::new();
    for p in paragraphs {
        let chars: Vec<char> = p.chars().collect();
        for chunk in chars.chunks(width) {
            out.extend(chunk);
            out.push_str("\n\n");
        }
        out.push_str(" \n\n");
    }
    out
}

#[test]
fn wrapped_document_joins_full_lines_that_end_a_sentence_when_gaps_say_so() {
    let paragraphs = [
        // The first sentence ends exactly at the wrap (20 chars).
        "各代表团团长在友好和务实的气氛中交换了意见。总理们研究了互利合作的优先方向，认为应加强经贸合作，扩大投资规模。",
        "一、总理们指出，全球金融危机影响尚未完全消除，世界经济仍面临诸多挑战和负面影响，各方应采取共同措施应对。",
        "二、总理们强调，根据合作纲要落实措施计划，为扩大金融、银行、科技、创新、能源领域务实合作创造条件十分重要。",
    ];
    assert_eq!(paragraphs[0].chars().take(22).last(), Some('。'));
    let raw = wrap(&paragraphs, 22);
    assert_eq!(texts(&raw), paragraphs);
}

#[test]
fn every_chinese_character_outside_debris_survives() {
    for (name, bytes) in crate::corpus::BUNDLED_DOCUMENTS {
        let text = std::str::from_utf8(bytes).expect("utf8");
        let cleaned = clean(text, false, bundled());
        let removed_lines: std::collections::HashSet<u32> = cleaned.removed.iter().map(|r| r.line).collect();
        let source: String = text
            .split('\n')
            .enumerate()
            .filter(|(i, _)| !removed_lines.contains(&(*i as u32)))
            .flat_map(|(_, l)| l.chars())
            .filter(|c| is_han(*c))
            .collect();
        let kept: String = cleaned.paragraphs.iter().flat_map(|p| p.text.chars()).filter(|c| is_han(*c)).collect();
        assert_eq!(source, kept, "{name}");
    }
}

/// Every char of every paragraph maps back to that same char in the source
/// (a space joining two Latin words maps to the word after it).
#[test]
fn every_paragraph_char_maps_back_to_itself() {
    let loaded = crate::corpus::load(&crate::corpus::CorpusSource::Bundled, &Default::default());
    let mut sources: Vec<(String, bool)> =
        loaded.documents.iter().map(|d| (d.text.clone(), d.layout == Layout::Markdown)).collect();
    sources.push((wrap(&["上海合作组织成员国元首理事会会议于2019年在比什凯克举行，各方一致同意。"; 3], 13), false));
    sources.push(("上合 组织\n\u{3000}成员国 The\nSCO 会议\u{200b}在\t比什凯克\n举行。 \n".to_owned(), false));
    for (text, markdown) in &sources {
        let lines: Vec<Vec<char>> = text.split('\n').map(|l| l.chars().collect()).collect();
        for p in clean(text, *markdown, bundled()).paragraphs {
            for (k, c) in p.text.chars().enumerate() {
                let pos = p.source_position(k).expect("every char has a position");
                let source = lines.get(pos.line as usize - 1).and_then(|l| l.get(pos.column as usize - 1)).copied();
                if c != ' ' {
                    assert_eq!(source, Some(c), "{:?} char {k} of {:?}", pos, p.text);
                }
            }
        }
    }
}

#[test]
fn a_long_list_of_short_unpunctuated_lines_stays_one_paragraph_per_line() {
    let items: Vec<String> = (0..60).map(|i| format!("第{}项 上海合作组织成员国合作领域清单条目", i + 1)).collect();
    let got = texts(&(items.join("\n") + "\n"));
    assert_eq!(got.len(), items.len(), "{got:?}");
    assert!(got.iter().all(|p| p.chars().count() <= 40));
    // Prose wrapped at a narrow width, with its commas, is still joined.
    let prose = wrap(&["上海合作组织成员国元首理事会会议于2019年在比什凯克举行，各方一致同意加强合作，推动共同发展。"; 2], 14);
    let joined = texts(&prose);
    assert_eq!(joined.len(), 2, "{joined:?}");
    assert!(joined.iter().all(|p| p.ends_with("推动共同发展。")), "{joined:?}");
}
