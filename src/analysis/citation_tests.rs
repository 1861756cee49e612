//! Citation rules that need a whole document (signing facts, linking,
//! short forms, anaphora), tested through the analysis on small fixtures.

use crate::model::Analysis;

fn analyze(docs: &[(&str, &str)]) -> Analysis {
    crate::analysis::analyze_texts(docs)
}

/// `(title, signed date, signed place)` of each citation of the first document.
fn cited(text: &str) -> Vec<(String, Option<String>, Option<String>)> {
    let a = analyze(&[("d", text)]);
    a.documents[0]
        .citations
        .iter()
        .map(|c| {
            (
                c.title.to_string(),
                c.signed.as_ref().and_then(|s| s.date.map(String::from)),
                c.signed.as_ref().and_then(|s| s.place.map(String::from)),
            )
        })
        .collect()
}

#[test]
fn signing_before_after_and_in_parentheses() {
    assert_eq!(
        cited("总理们高度评价2007年11月2日在塔什干签署的《上海合作组织成员国政府海关合作与互助协定》。"),
        vec![("上海合作组织成员国政府海关合作与互助协定".into(), Some("2007-11-02".into()), Some("塔什干".into()))]
    );
    assert_eq!(
        cited("落实《上合组织成员国政府间媒体领域合作协定》（2019 年 6 月 14 日，比什凯克）。"),
        vec![("上合组织成员国政府间媒体领域合作协定".into(), Some("2019-06-14".into()), Some("比什凯克".into()))]
    );
    assert_eq!(
        cited("应切实落实2014年9月10日至11日杜尚别上合组织银联体理事会通过的《关于加强金融合作、促进区域发展措施计划》。"),
        vec![("关于加强金融合作、促进区域发展措施计划".into(), Some("2014-09-10/2014-09-11".into()), Some("杜尚别".into()))]
    );
    assert_eq!(
        cited("《上合组织反极端主义公约》于2017年6月9日在阿斯塔纳签署。"),
        vec![("上合组织反极端主义公约".into(), Some("2017-06-09".into()), Some("阿斯塔纳".into()))]
    );
    // An unknown city written after 在.
    assert_eq!(cited("2030年1月2日在新城签署的《甲乙合作协定》")[0].2.as_deref(), Some("新城"));
}

#[test]
fn lists_share_a_verb_but_not_a_parenthesis() {
    let got = cited("2014年12月15日在阿斯塔纳签署的《海关备忘录》和《海关议定书》。");
    assert!(got.iter().all(|c| c.1.as_deref() == Some("2014-12-15")), "{got:?}");
    let got = cited("落实《甲协定》和《乙协定》（2019年6月14日，比什凯克）。");
    assert_eq!(got[0].1, None);
    assert_eq!(got[1].1.as_deref(), Some("2019-06-14"));
    // Several in a row with nothing between them.
    let got = cited("2014年9月12日在杜尚别签署的《甲协定》《乙协定》和《丙协定》。");
    assert!(got.iter().all(|c| c.2.as_deref() == Some("杜尚别")), "{got:?}");
    // A period in parentheses is not a signing date.
    assert_eq!(cited("关于《山区发展五年计划》(2023—2027 年) 的建议")[0].1, None);
}

#[test]
fn wordings_of_one_agreement_link_and_different_ones_do_not() {
    let a = analyze(&[
        ("a", "落实2014年9月12日在杜尚别签署的《上海合作组织成员国政府间国际道路运输便利化协定》。"),
        ("b", "落实《上合组织成员国政府间国际道路运输便利化协定》和《2012－2016年上海合作组织进一步推动项目合作的措施清单》。"),
        ("c", "落实《上合组织 成员国政府间国际道路运输便利化协定》和《2017-2021年上海合作组织进一步推动项目合作的措施清单》。"),
        (
            "d",
            "落实《上合组织2017—2021年进一步推动项目合作措施清单》和《上海合作组织成员国政府间农业合作协定》《上海合作组织成员国政府间林业合作协定》。",
        ),
        ("e", "2014年9月12日在杜尚别签署的《上海合作组织成员国政府间国际道路运输便利化协议》。"),
    ]);
    let id_of = |doc: usize, c: usize| a.documents[doc].citations[c].agreement;
    let road = id_of(0, 0);
    assert_eq!(id_of(1, 0), road);
    assert_eq!(id_of(2, 0), road);
    assert_eq!(id_of(4, 0), road, "协议 for 协定 with the same signing");
    assert_ne!(id_of(1, 1), id_of(2, 1), "different year ranges");
    assert_eq!(id_of(2, 1), id_of(3, 0), "word order, dash style and 的");
    assert_ne!(id_of(3, 1), id_of(3, 2), "农业 and 林业 are two agreements");
    let card = a.agreements.iter().find(|x| x.id == road).expect("card");
    assert_eq!(card.signed.as_ref().and_then(|s| s.date.as_deref()), Some("2014-09-12"));
    assert_eq!(card.cited_by.len(), 4);
    assert!(card.variants.len() >= 2);
}

#[test]
fn short_forms_point_back_or_stay_alone() {
    let a = analyze(&[(
        "a",
        "签署了《上海合作组织成员国长期睦邻友好合作条约》。\n\n成员国决心恪守《条约》，并落实《上海合作组织宪章》。\n\n各方认为该协定十分重要，《公约》也是。\n",
    )]);
    let d = &a.documents[0];
    assert_eq!(d.citations[1].title, "条约");
    assert_eq!(d.citations[1].agreement, d.citations[0].agreement);
    // 该协定 has no 协定 before it, 《公约》 no 公约: unlinked, each on its own.
    assert!(!d.entities.iter().any(|e| d.entity_text(e) == "该协定"));
    let convention = d.citations.iter().find(|c| c.title == "公约").expect("公约");
    assert!(d.citations.iter().filter(|c| c.agreement == convention.agreement).count() == 1);
}

#[test]
fn anaphora_link_to_the_nearest_earlier_agreement_of_its_type() {
    let a = analyze(&[("a", "签署《甲乙国际道路运输便利化协定》和《甲乙合作纲要》。\n\n使该协定尽快生效十分重要。\n")]);
    let d = &a.documents[0];
    let e = d.entities.iter().find(|e| d.entity_text(e) == "该协定").expect("anaphor");
    assert_eq!(e.canonical, d.citations[0].agreement);
}

#[test]
fn signing_facts_before_the_verb_in_an_earlier_clause() {
    let got = cited("2007年8月16日，各成员国元首在比什凯克签署《上海合作组织成员国长期睦邻友好合作条约》。");
    assert_eq!(got[0].1.as_deref(), Some("2007-08-16"));
    assert_eq!(got[0].2.as_deref(), Some("比什凯克"));
    let got = cited("2017年6月，我们在阿斯塔纳举行元首理事会会议，共同签署了《上海合作组织反极端主义公约》。");
    assert_eq!((got[0].1.as_deref(), got[0].2.as_deref()), (Some("2017-06"), Some("阿斯塔纳")));
    // Several clauses, the nearest date of the sentence; the place after 在.
    let got = cited("成员国赞赏2014年5月6日中国、法国、俄罗斯、英国、美国在纽约共同签署《〈中亚无核武器区条约〉议定书》。");
    assert_eq!((got[0].1.as_deref(), got[0].2.as_deref()), (Some("2014-05-06"), Some("纽约")));
    assert_eq!(got[1].1, None, "the nested title was not signed then");
    // An unknown city, and a list sharing the verb.
    let got = cited("2031年3月5日，双方在新港签署了《甲协定》和《乙议定书》。");
    assert!(got.iter().all(|c| c.1.as_deref() == Some("2031-03-05")), "{got:?}");
    // A date written right before the title.
    assert_eq!(cited("落实2012年6月30日《日内瓦公报》。")[0].1.as_deref(), Some("2012-06-30"));
    // 商定 states an agreement too.
    let got = cited("对2013年11月24日有关国家外长在日内瓦商定的《共同行动计划》表示欢迎。");
    assert_eq!((got[0].1.as_deref(), got[0].2.as_deref()), (Some("2013-11-24"), Some("日内瓦")));
}

#[test]
fn plans_and_ambiguous_sentences_have_no_signing_facts() {
    // A plan is not a signing.
    let got = cited("2019年6月14日，元首们在比什凯克举行会议，支持尽快签署《甲协定》。");
    assert_eq!(got[0].1, None);
    let got = cited("成员国将于2026年在阿斯塔纳签署《乙协定》。");
    assert_eq!(got[0].1, None);
    // Two dates, two titles: which is which is not said.
    let got = cited("2019年和2020年，成员国分别签署了《甲协定》和《乙协定》。");
    assert!(got.iter().all(|c| c.1.is_none()), "{got:?}");
    // A date in another sentence is not this signing's.
    let got = cited("2019年6月14日会议在比什凯克举行。成员国签署了《丙协定》。");
    assert_eq!(got[0].1, None);
}

#[test]
fn list_items_keep_their_own_facts() {
    let got = cited("2001年6月15日在上海签署的《甲公约》和2002年6月7日在圣彼得堡批准的《乙宪章》。");
    assert_eq!((got[0].1.as_deref(), got[0].2.as_deref()), (Some("2001-06-15"), Some("上海")));
    assert_eq!((got[1].1.as_deref(), got[1].2.as_deref()), (Some("2002-06-07"), Some("圣彼得堡")));
    // A fact never crosses to the next item that has a verb but no date.
    let got = cited("2001年6月15日在上海签署的《甲公约》和在圣彼得堡批准的《乙宪章》。");
    assert_eq!(got[1].1, None);
    assert_eq!(got[1].2.as_deref(), Some("圣彼得堡"));
    // Each with its parenthesis, in either width and any spacing.
    let got = cited(
        "落实《甲协定》（2014年9月12日，杜尚别）、《乙协定》(2019 年 6 月 14 日, 比什凯克)和《丙纲要》（ 2018年6月10日 ， 青岛 ）。",
    );
    let facts: Vec<(Option<&str>, Option<&str>)> = got.iter().map(|c| (c.1.as_deref(), c.2.as_deref())).collect();
    assert_eq!(
        facts,
        [(Some("2014-09-12"), Some("杜尚别")), (Some("2019-06-14"), Some("比什凯克")), (Some("2018-06-10"), Some("青岛"))]
    );
}

#[test]
fn a_compound_organisations_short_form_links_to_it_within_the_document() {
    use crate::model::EntityKind;
    let a = analyze(&[
        ("d", "成员国支持建立上合组织开发银行。\n\n开发银行将为项目提供融资。\n"),
        ("e", "开发银行不是一个机构名。\n"),
    ]);
    let orgs = |i: usize| -> Vec<(usize, String, String)> {
        a.documents[i]
            .entities
            .iter()
            .filter(|e| e.kind == EntityKind::Organization)
            .map(|e| (e.paragraph(), a.documents[i].entity_text(e).to_owned(), e.canonical.to_string()))
            .collect()
    };
    assert_eq!(
        orgs(0),
        [
            (0, "上合组织开发银行".to_owned(), "上海合作组织开发银行".to_owned()),
            (1, "开发银行".to_owned(), "上海合作组织开发银行".to_owned())
        ]
    );
    // Another document does not know it.
    assert!(orgs(1).is_empty());
}

#[test]
fn a_slip_in_an_official_title_shows_the_official_title_with_the_slip_as_a_variant() {
    let a = crate::analysis::analyze_texts(&[
        ("a", "各方欢迎《上海合作组织反恐主义公约》生效。\n"),
        ("b", "成员国将落实《上海合作组织宪章》。\n"),
    ]);
    let slip = a.agreements.iter().find(|x| x.variants.iter().any(|v| v == "上海合作组织反恐主义公约")).expect("agreement");
    assert_eq!(slip.title, "上海合作组织反恐怖主义公约");
    // A title cited as it is written is left alone.
    assert!(a.agreements.iter().any(|x| x.title == "上海合作组织宪章" && x.variants.is_empty()));
}
