//! Re-anchoring after edits: insert above, delete above, edits inside and
//! around the passage, duplicate words, and which document a note is on.

use super::*;
use crate::notes::{NewNote, prepare};

fn analysis(text: &str) -> Analysis {
    crate::analysis::analyze_texts(&[("d", text)])
}

fn note_on(a: &Analysis, paragraph: usize, quote: &str) -> Note {
    let text = &a.documents[0].paragraphs[paragraph].text;
    let byte = text.find(quote).expect("quote in paragraph");
    let start = text[..byte].chars().count();
    let end = start + quote.chars().count();
    let note = prepare(a, &NewNote { doc: "d".into(), paragraph, start, end, ..Default::default() }).expect("note");
    assert_eq!(note.quote, quote);
    note
}

/// The text at an anchor's place.
fn text_at(a: &Analysis, anchor: &Anchor) -> Option<(usize, String)> {
    let (d, p, s, e) = anchor.place()?;
    Some((p, a.doc(d)?.paragraphs[p].text.chars().skip(s).take(e - s).collect()))
}

const P0: &str = "各成员国领导人回顾了本组织成立以来的发展历程。";
const P1: &str = "成员国将继续深化安全合作，共同打击恐怖主义、分裂主义和极端主义。";
const P2: &str = "各方重申愿在经贸、能源、交通等领域加强合作，推动区域经济合作。";
const P3: &str = "成员国支持进一步加强人文合作，扩大教育、科技和旅游交流。";

fn doc(paragraphs: &[&str]) -> String {
    paragraphs.join("\n\n") + "\n"
}

#[test]
fn unchanged_text_is_exact() {
    let a = analysis(&doc(&[P0, P1, P2, P3]));
    let note = note_on(&a, 1, "安全合作");
    assert!(matches!(resolve(&note, &a), Anchor::Exact { paragraph: 1, .. }));
}

#[test]
fn a_paragraph_inserted_above_moves_the_note_and_says_so() {
    let before = analysis(&doc(&[P0, P1, P2, P3]));
    let note = note_on(&before, 2, "加强合作");
    let after = analysis(&doc(&[P0, "新增的一段文字。", P1, P2, P3]));
    let anchor = resolve(&note, &after);
    assert_eq!(anchor.moved_from(), Some(2));
    assert_eq!(text_at(&after, &anchor), Some((3, "加强合作".to_owned())));
    assert_eq!(anchor.describe(), "moved from ¶3");
}

#[test]
fn a_paragraph_deleted_above_moves_the_note() {
    let before = analysis(&doc(&[P0, P1, P2, P3]));
    let note = note_on(&before, 3, "人文合作");
    let after = analysis(&doc(&[P0, P2, P3]));
    let anchor = resolve(&note, &after);
    assert_eq!(anchor.status(), AnchorStatus::Moved);
    assert_eq!(text_at(&after, &anchor), Some((2, "人文合作".to_owned())));
}

#[test]
fn duplicate_words_at_the_old_position_are_not_exact() {
    // "合作" is in every paragraph. After a paragraph is inserted above, the
    // stored place (¶2, same offset) holds other words: the note must go to
    // its own passage, by its context.
    let before = analysis(&doc(&[P0, P1, P2, P3]));
    let note = note_on(&before, 2, "合作");
    let inserted = "成员国将继续深化安全合作，共同维护地区和平稳定与繁荣发展。";
    let after = analysis(&doc(&[P0, inserted, P1, P2, P3]));
    let anchor = resolve(&note, &after);
    assert_ne!(anchor.status(), AnchorStatus::Exact, "{anchor:?}");
    let (p, quote) = text_at(&after, &anchor).expect("placed");
    assert_eq!((p, quote.as_str()), (3, "合作"));
    let (_, _, start, _) = anchor.place().expect("placed");
    assert_eq!(start, note.start);
}

#[test]
fn same_words_elsewhere_do_not_catch_a_note_whose_passage_is_gone() {
    let before = analysis(&doc(&[P0, P1, P2, P3]));
    let note = note_on(&before, 1, "合作");
    // ¶1 rewritten without the words; "合作" remains in other contexts.
    let after = analysis(&doc(&[P0, "成员国将继续共同打击三股势力。", P2, P3]));
    assert_eq!(resolve(&note, &after), Anchor::Orphaned);
}

#[test]
fn an_edit_beside_the_quote_moves_it_within_its_paragraph() {
    let before = analysis(&doc(&[P0, P1, P2, P3]));
    let note = note_on(&before, 1, "共同打击恐怖主义");
    // A word changed just before the quote: the context is mostly there.
    let edited = P1.replace("深化", "全面深化");
    let after = analysis(&doc(&[P0, &edited, P2, P3]));
    let anchor = resolve(&note, &after);
    assert_eq!(anchor.status(), AnchorStatus::Moved);
    assert_eq!(text_at(&after, &anchor), Some((1, "共同打击恐怖主义".to_owned())));
}

#[test]
fn an_edit_inside_the_quote_orphans_it() {
    let before = analysis(&doc(&[P0, P1, P2, P3]));
    let note = note_on(&before, 1, "安全合作");
    let edited = P1.replace("安全合作", "安全领域合作");
    let after = analysis(&doc(&[P0, &edited, P2, P3]));
    // "安全合作" is nowhere now (and "合作" elsewhere is not it).
    assert_eq!(resolve(&note, &after), Anchor::Orphaned);
}

#[test]
fn a_short_quote_whose_context_changed_entirely_is_orphaned() {
    let before = analysis(&doc(&[P0, P1, P2, P3]));
    let note = note_on(&before, 3, "交流");
    let after = analysis(&doc(&[P0, P1, P2, "各方同意加强交流。"]));
    assert_eq!(resolve(&note, &after), Anchor::Orphaned);
}

#[test]
fn a_long_unique_quote_survives_a_rewritten_context() {
    let before = analysis(&doc(&[P0, P1, P2, P3]));
    let note = note_on(&before, 1, "共同打击恐怖主义、分裂主义和极端主义");
    let after = analysis(&doc(&[P0, "会议指出，要共同打击恐怖主义、分裂主义和极端主义。", P2, P3]));
    let anchor = resolve(&note, &after);
    assert_eq!(anchor.status(), AnchorStatus::Moved);
    assert_eq!(text_at(&after, &anchor).map(|t| t.0), Some(1));
}

#[test]
fn a_repeated_paragraph_resolves_to_the_nearest_copy() {
    let boiler = "各方对主席国的热情接待表示感谢。";
    let before = analysis(&doc(&[P0, boiler, P1, boiler, P2]));
    let note = note_on(&before, 3, "热情接待");
    let after = analysis(&doc(&[P0, boiler, P1, "插入。", boiler, P2]));
    let anchor = resolve(&note, &after);
    assert_eq!(text_at(&after, &anchor).map(|t| t.0), Some(4));
}

fn doc_with(id: &str, source: &str, text: &str) -> crate::corpus::RawDocument {
    let mut raw = crate::corpus::RawDocument::from_text(id, text.to_owned(), false);
    raw.source = source.to_owned();
    raw
}

fn analyze(docs: Vec<crate::corpus::RawDocument>) -> Analysis {
    crate::analysis::analyze_loaded(
        crate::corpus::Loaded { documents: docs, errors: Vec::new() },
        crate::knowledge::bundled(),
        &|_| {},
    )
}

#[test]
fn a_note_follows_its_file_when_a_same_stem_file_arrives() {
    let alone = analyze(vec![doc_with("report", "report.txt", &doc(&[P0, P1]))]);
    let mut note = note_on_doc(&alone, "report", 1, "安全合作");
    assert_eq!(note.source, "report.txt");
    // report.md arrives beside it: the ids become report.md and report.txt.
    let both =
        analyze(vec![doc_with("report.md", "report.md", &doc(&[P1, P0])), doc_with("report.txt", "report.txt", &doc(&[P0, P1]))]);
    let anchor = resolve(&note, &both);
    assert!(matches!(anchor, Anchor::Exact { doc: DocIx(1), paragraph: 1, .. }), "{anchor:?}");
    // A note made before paths were stored picks the file whose text it was made on.
    note.source.clear();
    assert!(matches!(resolve(&note, &both), Anchor::Exact { doc: DocIx(1), .. }));
}

#[test]
fn notes_on_two_files_with_one_stem_stay_apart() {
    let both =
        analyze(vec![doc_with("report.md", "report.md", &doc(&[P0, P1])), doc_with("report.txt", "report.txt", &doc(&[P0, P1]))]);
    let on_md = note_on_doc(&both, "report.md", 1, "安全合作");
    let on_txt = note_on_doc(&both, "report.txt", 1, "安全合作");
    assert!(matches!(resolve(&on_md, &both), Anchor::Exact { doc: DocIx(0), .. }));
    assert!(matches!(resolve(&on_txt, &both), Anchor::Exact { doc: DocIx(1), .. }));
    // The .md file removed: its note is orphaned, not moved onto the .txt.
    let txt_only = analyze(vec![doc_with("report", "report.txt", &doc(&[P0, P1]))]);
    assert_eq!(resolve(&on_md, &txt_only), Anchor::Orphaned);
    assert!(matches!(resolve(&on_txt, &txt_only), Anchor::Exact { .. }));
}

#[test]
fn the_same_file_opened_from_its_parent_folder_keeps_its_notes() {
    let sub = analyze(vec![doc_with("report", "report.txt", &doc(&[P0, P1]))]);
    let note = note_on_doc(&sub, "report", 1, "安全合作");
    let parent = analyze(vec![doc_with("2019/report", "2019/report.txt", &doc(&[P0, P1]))]);
    assert!(matches!(resolve(&note, &parent), Anchor::Exact { .. }));
}

fn note_on_doc(a: &Analysis, id: &str, paragraph: usize, quote: &str) -> Note {
    let d = a.doc_ix(id).expect("doc");
    let text = &a.documents[d.0].paragraphs[paragraph].text;
    let byte = text.find(quote).expect("quote");
    let start = text[..byte].chars().count();
    let end = start + quote.chars().count();
    prepare(a, &NewNote { doc: id.into(), paragraph, start, end, ..Default::default() }).expect("note")
}
