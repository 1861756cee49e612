#![allow(clippy::unwrap_used)]

use super::*;
use crate::analysis::analyze_texts;
use crate::model::{DocumentAnalysis, EntityKind};
use crate::notes::anchor::AnchorStatus;

const SPEECH: &str = "在上合组织峰会上的讲话\n\n孟加拉国总理谢赫·哈西娜出席了会议。\n\n各方同意加强合作。";

fn doc<'a>(a: &'a Analysis, id: &str) -> &'a DocumentAnalysis {
    a.doc(a.doc_ix(id).unwrap()).unwrap()
}

fn char_span(a: &Analysis, id: &str, needle: &str) -> (usize, usize, usize) {
    for (pi, p) in doc(a, id).paragraphs.iter().enumerate() {
        if let Some(b) = p.text.find(needle) {
            let start = p.text[..b].chars().count();
            return (pi, start, start + needle.chars().count());
        }
    }
    panic!("{needle} not in {id}");
}

fn with_ids(mut cs: Vec<Correction>) -> Vec<Correction> {
    for (i, c) in cs.iter_mut().enumerate() {
        c.id = i as i64 + 1;
    }
    cs
}

#[test]
fn a_marked_span_is_an_entity_and_follows_its_words_after_an_edit() {
    let a = analyze_texts(&[("s", SPEECH)]);
    let (p, s, e) = char_span(&a, "s", "谢赫·哈西娜");
    let mark = Action::Mark { kind: EntityKind::Person, canonical: String::new() };
    let c = with_ids(vec![prepare_span(&a, "s", p, s, e, mark).unwrap()]);
    assert_eq!(c[0].action, Action::Mark { kind: EntityKind::Person, canonical: "谢赫·哈西娜".to_owned() });
    let mut corrected = a.clone();
    let outcomes = apply(&mut corrected, &c);
    assert!(outcomes[0].applied(), "{outcomes:?}");
    let found: Vec<_> =
        doc(&corrected, "s").entities.iter().filter(|x| x.paragraph() == p && x.chars().start < e && s < x.chars().end).collect();
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(
        (found[0].kind, doc(&corrected, "s").entity_text(found[0]), found[0].canonical.as_str()),
        (EntityKind::Person, "谢赫·哈西娜", "谢赫·哈西娜")
    );

    // A paragraph added before it: the correction moves with its words.
    let edited = SPEECH.replace("\n\n孟加拉国", "\n\n会议在友好气氛中举行。\n\n孟加拉国");
    let mut b = analyze_texts(&[("s", &edited)]);
    let outcomes = apply(&mut b, &c);
    assert_eq!(outcomes[0].anchor.as_ref().map(|a| a.status()), Some(AnchorStatus::Moved));
    let (p2, s2, _) = char_span(&b, "s", "谢赫·哈西娜");
    assert!(doc(&b, "s").entities.iter().any(|x| x.paragraph() == p2 && x.chars().start == s2 && x.canonical == "谢赫·哈西娜"));

    // Its words gone: reported, nothing put elsewhere.
    let gone = SPEECH.replace("谢赫·哈西娜", "某某");
    let mut g = analyze_texts(&[("s", &gone)]);
    let before = g.documents[0].entities.clone();
    let outcomes = apply(&mut g, &c);
    assert_eq!(outcomes[0].anchor.as_ref().map(|a| a.status()), Some(AnchorStatus::Orphaned));
    assert!(!outcomes[0].applied());
    assert_eq!(g.documents[0].entities, before);
}

#[test]
fn a_rejected_entity_is_gone_and_a_changed_kind_replaces_it() {
    let a = analyze_texts(&[("s", SPEECH)]);
    let bangladesh = doc(&a, "s")
        .entities
        .iter()
        .find(|e| doc(&a, "s").entity_text(e).contains("孟加拉"))
        .cloned()
        .expect("found by the gazetteer");
    let (bp, bs, be) = bangladesh.place();
    let reject = prepare_span(&a, "s", bp, bs, be, Action::Reject).unwrap();
    let mut r = a.clone();
    assert!(apply(&mut r, &with_ids(vec![reject.clone()]))[0].applied());
    assert!(!doc(&r, "s").entities.iter().any(|e| e.paragraph == bangladesh.paragraph && e.start == bangladesh.start));

    let as_place = Action::Mark { kind: EntityKind::Place, canonical: "孟加拉".to_owned() };
    let mark = prepare_span(&a, "s", bp, bs, be, as_place).unwrap();
    let mut m = a.clone();
    // The later correction wins.
    apply(&mut m, &with_ids(vec![reject, mark]));
    let now: Vec<_> =
        doc(&m, "s").entities.iter().filter(|e| e.paragraph == bangladesh.paragraph && e.start == bangladesh.start).collect();
    assert_eq!(now.len(), 1);
    assert_eq!((now[0].kind, now[0].canonical.as_str()), (EntityKind::Place, "孟加拉"));
}

#[test]
fn marks_inside_a_citation_and_as_agreements_are_refused() {
    let a = analyze_texts(&[("s", "各方重申《甲乙两国合作协定》的重要性。")]);
    let (p, s, _) = char_span(&a, "s", "甲乙");
    let mark = |kind| Action::Mark { kind, canonical: String::new() };
    assert!(matches!(prepare_span(&a, "s", p, s, s + 2, mark(EntityKind::Country)), Err(CorrectionError::InsideCitation { .. })));
    assert_eq!(prepare_span(&a, "s", p, 0, 2, mark(EntityKind::Agreement)), Err(CorrectionError::AgreementKind));
    assert!(matches!(prepare_span(&a, "nope", 0, 0, 1, Action::Reject), Err(CorrectionError::Passage(_))));
}

#[test]
fn two_wordings_merged_are_one_agreement_and_split_again() {
    let a = analyze_texts(&[
        ("d1", "各方重申《甲乙两国睦邻合作协定》的重要性。各方欢迎《丙丁文化交流协议》。"),
        ("d2", "各方落实《甲乙睦邻友好合作协定》。"),
    ]);
    let id_of = |a: &Analysis, w: &str| apply::agreement_of_wording(a, w).unwrap();
    let (x, y) = (id_of(&a, "甲乙两国睦邻合作协定"), id_of(&a, "甲乙睦邻友好合作协定"));
    assert_ne!(x, y, "the test needs two agreements to begin with");
    let merge = prepare_merge(&a, &x, &y).unwrap();
    let mut m = a.clone();
    assert!(apply(&mut m, &with_ids(vec![merge.clone()]))[0].applied());
    assert_eq!(m.agreements.len(), a.agreements.len() - 1);
    let one = m.agreement(&id_of(&m, "甲乙睦邻友好合作协定")).unwrap();
    assert_eq!(one.title, "甲乙两国睦邻合作协定");
    assert_eq!(one.variants, ["甲乙睦邻友好合作协定"]);
    assert_eq!(one.cited_by.len(), 2);
    // Ids are numbered again in order of first citation, and every reference follows.
    for (i, ag) in m.agreements.iter().enumerate() {
        assert_eq!(ag.id, format!("a{}", i + 1));
    }
    for d in &m.documents {
        for c in &d.citations {
            assert!(
                m.agreement(&c.agreement).is_some_and(|ag| ag.cited_by.iter().any(|p| p.document == d.id && p.start == c.start))
            );
            assert!(
                d.entities
                    .iter()
                    .any(|e| e.kind == EntityKind::Agreement && e.chars().start == c.place().1 && e.canonical == c.agreement)
            );
        }
    }
    assert_eq!(prepare_merge(&m, &one.id, &one.id), Err(CorrectionError::SameAgreement(one.id.clone(), one.id.clone())));

    // The merge undone by a split of the second wording.
    let split = prepare_split(&m, "甲乙睦邻友好合作协定").unwrap();
    let mut s = a.clone();
    let out = apply(&mut s, &with_ids(vec![merge, split]));
    assert!(out.iter().all(Outcome::applied), "{out:?}");
    assert_eq!(s.agreements.len(), a.agreements.len());
    assert_eq!(
        s.agreements.iter().map(|a| (&a.title, a.cited_by.len())).collect::<Vec<_>>(),
        a.agreements.iter().map(|a| (&a.title, a.cited_by.len())).collect::<Vec<_>>()
    );
    assert_eq!(prepare_split(&a, "丙丁文化交流协议"), Err(CorrectionError::OnlyWording("丙丁文化交流协议".to_owned())));
}

#[test]
fn corrections_are_kept_in_the_notes_store_with_undo() {
    let a = analyze_texts(&[("s", SPEECH)]);
    let dir = tempfile::tempdir().unwrap();
    let mut store = crate::notes::store::NoteStore::open_in(dir.path()).unwrap();
    let (p, s, e) = char_span(&a, "s", "谢赫·哈西娜");
    let c = prepare_span(&a, "s", p, s, e, Action::Mark { kind: EntityKind::Person, canonical: "哈西娜".to_owned() }).unwrap();
    let id = stored::add(&mut store, &c).unwrap();
    let (listed, damaged) = stored::list(&store).unwrap();
    assert!(damaged.is_empty());
    assert_eq!(listed, vec![Correction { id, ..c }]);
    assert!(stored::delete(&mut store, id).unwrap());
    assert!(stored::list(&store).unwrap().0.is_empty());
    assert!(stored::undelete(&mut store, id).unwrap());
    drop(store);
    let (again, problems) = stored::in_data_dir(dir.path());
    assert_eq!((again.len(), problems.len()), (1, 0));
}

#[test]
fn a_date_is_marked_with_its_iso_form_and_nothing_else() {
    let a = analyze_texts(&[("s", "会议于今年九月在北京举行。各方同意加强合作。")]);
    let date = |canonical: &str| Action::Mark { kind: EntityKind::Date, canonical: canonical.to_owned() };
    let (p, s, e) = char_span(&a, "s", "会议");
    assert_eq!(prepare_span(&a, "s", p, s, e, date("")), Err(CorrectionError::BadDate("会议".to_owned())));
    assert_eq!(prepare_span(&a, "s", p, s, e, date("not a date")), Err(CorrectionError::BadDate("not a date".to_owned())));
    let c = prepare_span(&a, "s", p, s, e, date("2014-09-12")).unwrap();
    assert_eq!(c.action, date("2014-09-12"));
    let c = prepare_span(&a, "s", p, s, e, date("2014年9月12日")).unwrap();
    assert_eq!(c.action, date("2014-09-12"));
    assert!(
        crate::model::is_iso_date("2014-09-11/2014-09-12")
            && crate::model::is_iso_date("2014")
            && !crate::model::is_iso_date("2014-9-1")
    );
}

#[test]
fn empty_spans_and_rejections_of_nothing_are_refused() {
    let a = analyze_texts(&[("s", SPEECH)]);
    let (p, s, e) = char_span(&a, "s", "各方同意");
    assert!(matches!(prepare_span(&a, "s", p, s, e, Action::Reject), Err(CorrectionError::NothingToReject { .. })));
    let spaced = analyze_texts(&[("s", "John Smith同意加强合作。")]);
    let (p, s, _) = char_span(&spaced, "s", " ");
    let mark = Action::Mark { kind: EntityKind::Person, canonical: String::new() };
    assert!(matches!(prepare_span(&spaced, "s", p, s, s + 1, mark.clone()), Err(CorrectionError::EmptySpan { .. })));
    // A span longer than a mention can hold is refused, not cut short.
    let long = analyze_texts(&[("s", &format!("各方同意{}。", "x".repeat(MAX_MENTION_CHARS)))]);
    let (p, s, _) = char_span(&long, "s", "各方同意");
    let too_long = prepare_span(&long, "s", p, s, s + MAX_MENTION_CHARS + 1, mark.clone());
    assert!(matches!(too_long, Err(CorrectionError::TooLong { .. })), "{too_long:?}");
    assert!(prepare_span(&long, "s", p, s, s + MAX_MENTION_CHARS, mark).is_ok());
}

#[test]
fn splits_around_a_merge_keep_their_agreements_apart() {
    let a = analyze_texts(&[
        ("d1", "各方落实《甲乙两国农业合作协定》和《甲乙两国教育合作协定》。"),
        ("d2", "各方重申《丙丁两国海关合作协定》与《戊己两国能源合作协定》。"),
    ]);
    let id = |a: &Analysis, w: &str| apply::agreement_of_wording(a, w).unwrap();
    // Merge the farm and school agreements, and the customs and energy ones.
    let m1 = prepare_merge(&a, &id(&a, "甲乙两国农业合作协定"), &id(&a, "甲乙两国教育合作协定")).unwrap();
    let mut after_m1 = a.clone();
    apply(&mut after_m1, &with_ids(vec![m1.clone()]));
    let split1 = prepare_split(&after_m1, "甲乙两国教育合作协定").unwrap();
    let m2 = prepare_merge(&a, &id(&a, "丙丁两国海关合作协定"), &id(&a, "戊己两国能源合作协定")).unwrap();
    let split2 = prepare_split(&after_m1, "甲乙两国农业合作协定").unwrap();
    let mut b = a.clone();
    let out = apply(&mut b, &with_ids(vec![m1, split1, m2, split2]));
    assert!(out.iter().take(3).all(Outcome::applied), "{out:?}");
    // Every citation's agreement lists it, and no agreement lists another's citation.
    for d in &b.documents {
        for c in &d.citations {
            let ag = b.agreement(&c.agreement).unwrap();
            assert!(ag.cited_by.iter().any(|p| p.document == d.id && p.start == c.start), "{c:?} not in {ag:?}");
        }
    }
    for ag in &b.agreements {
        for p in &ag.cited_by {
            let d = b.doc(b.doc_ix(&p.document).unwrap()).unwrap();
            assert!(d.citations.iter().any(|c| c.start == p.start && c.agreement == ag.id), "{ag:?}");
        }
    }
    assert_ne!(id(&b, "甲乙两国农业合作协定"), id(&b, "甲乙两国教育合作协定"));
}

#[test]
fn a_mention_such_as_this_agreement_can_be_rejected_but_not_crossed() {
    let a = analyze_texts(&[("s", "各方签署了《甲乙两国睦邻合作协定》。该协定规定各方加强合作。")]);
    let Some(mention) = a.documents[0]
        .entities
        .iter()
        .find(|e| e.kind == EntityKind::Agreement && a.documents[0].entity_text(e) == "该协定")
        .cloned()
    else {
        return; // the resolver did not link it: nothing to test here
    };
    let mark = Action::Mark { kind: EntityKind::Person, canonical: String::new() };
    let (mp, ms, me) = mention.place();
    let crossing = prepare_span(&a, "s", mp, ms + 1, me + 2, mark);
    assert!(matches!(crossing, Err(CorrectionError::InsideCitation { .. })), "{crossing:?}");
    let reject = prepare_span(&a, "s", mp, ms, me, Action::Reject).unwrap();
    let mut r = a.clone();
    assert!(apply(&mut r, &with_ids(vec![reject]))[0].applied());
    assert!(!r.documents[0].entities.iter().any(|e| e.start == mention.start && e.kind == EntityKind::Agreement));
    assert_eq!(r.documents[0].citations, a.documents[0].citations, "the citation itself stays");
}
