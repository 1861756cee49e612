//! The bundled corpus, analysed end to end: titles, meetings, attendees,
//! entities and agreements as a careful reader would give them.

use sco_reader::analysis::analyze_source;
use sco_reader::corpus::{CorpusSource, LoadOptions};
use sco_reader::model::EntityKind;
use sco_reader::model::{Analysis, DocumentAnalysis};
use sco_reader::model::{Body, DocKind};
use std::sync::OnceLock;

fn analysis() -> &'static Analysis {
    static A: OnceLock<Analysis> = OnceLock::new();
    A.get_or_init(|| analyze_source(&CorpusSource::Bundled, &LoadOptions::default(), sco_reader::knowledge::bundled(), &|_| {}))
}

fn doc(prefix: &str) -> &'static DocumentAnalysis {
    analysis().documents.iter().find(|d| d.id.starts_with(prefix)).expect("document")
}

fn names(d: &DocumentAnalysis, kind: EntityKind) -> Vec<&str> {
    let mut v: Vec<&str> = d.entities.iter().filter(|e| e.kind == kind).map(|e| e.canonical.as_str()).collect();
    v.sort_unstable();
    v.dedup();
    v
}

#[test]
fn five_documents_no_errors() {
    let a = analysis();
    assert_eq!(a.documents.len(), 5);
    assert!(a.errors.is_empty(), "{:?}", a.errors);
}

#[test]
fn titles_and_kinds() {
    let expect = [
        ("000", "上海合作组织成员国政府首脑（总理）理事会第十三次会议联合公报", DocKind::JointCommunique),
        ("001", "上海合作组织成员国政府首脑（总理）理事会第十九次会议联合公报", DocKind::JointCommunique),
        ("002", "凝心聚力 精诚协作 推动上海合作组织再上新台阶", DocKind::Speech),
        ("003", "上海合作组织成员国政府首脑（总理）理事会第二十一次会议联合公报", DocKind::JointCommunique),
        ("004", "上海合作组织成员国元首理事会会议新闻公报", DocKind::PressCommunique),
    ];
    for (id, title, kind) in expect {
        let d = doc(id);
        assert_eq!(d.title, title, "{id}");
        assert_eq!(d.kind, kind, "{id}");
    }
}

#[test]
fn meetings() {
    let m = |id| doc(id).meeting.clone().expect("meeting");
    let m0 = m("000");
    assert_eq!((m0.body, m0.ordinal), (Body::HeadsOfGovernment, Some(13)));
    assert_eq!((m0.start.as_deref(), m0.end.as_deref()), (Some("2014-12-14"), Some("2014-12-15")));
    assert_eq!((m0.place.as_deref(), m0.chair.as_deref()), (Some("阿斯塔纳"), Some("马西莫夫")));
    let m1 = m("001");
    assert_eq!((m1.ordinal, m1.place.as_deref(), m1.chair.as_deref()), (Some(19), Some("视频"), Some("奈杜")));
    let m2 = m("002");
    assert_eq!(
        (m2.body, m2.ordinal, m2.start.as_deref(), m2.place.as_deref()),
        (Body::HeadsOfState, Some(14), Some("2014-09-12"), Some("杜尚别"))
    );
    let m3 = m("003");
    assert_eq!((m3.ordinal, m3.start.as_deref(), m3.chair.as_deref()), (Some(21), Some("2022-11-01"), Some("李克强")));
    let m4 = m("004");
    assert_eq!(
        (m4.body, m4.ordinal, m4.end.as_deref(), m4.place.as_deref()),
        (Body::HeadsOfState, None, Some("2017-06-09"), Some("阿斯塔纳"))
    );
}

#[test]
fn attendee_tables_match_the_texts() {
    let m = doc("000").meeting.clone().expect("meeting");
    assert_eq!(m.attendees.len(), 19);
    let find = |name: &str| m.attendees.iter().find(|a| a.name == name).expect(name).clone();
    let a = find("阿齐莫夫");
    assert_eq!((a.role.as_str(), a.country.as_deref(), a.status.as_str()), ("第一副总理", Some("乌兹别克斯坦"), "member"));
    let a = find("苏和");
    assert_eq!((a.country.as_deref(), a.status.as_str()), (Some("蒙古"), "observer"));
    let a = find("张新枫");
    assert_eq!((a.organization.as_deref(), a.status.as_str()), (Some("上海合作组织地区反恐怖机构执行委员会"), "organization"));
    let m3 = doc("003").meeting.clone().expect("meeting");
    let guest = m3.attendees.iter().find(|a| a.country.as_deref() == Some("土库曼斯坦")).expect("guest");
    assert_eq!(guest.status.as_str(), "guest");
    let signatories = doc("002").meeting.clone().expect("meeting").attendees;
    assert_eq!(
        signatories.iter().map(|a| a.name.as_str()).collect::<Vec<_>>(),
        ["纳扎尔巴耶夫", "习近平", "阿坦巴耶夫", "普京", "拉赫蒙", "卡里莫夫"]
    );
}

#[test]
fn people_are_found_and_nothing_else_is_a_person() {
    let people = names(doc("000"), EntityKind::Person);
    for name in ["马西莫夫", "李克强", "奥托尔巴耶夫", "梅津采夫", "张新枫", "苏和", "纳扎尔巴耶夫", "李玉伟"]
    {
        assert!(people.contains(&name), "{name} missing from {people:?}");
    }
    assert_eq!(people.len(), 20, "{people:?}");
    // 拉赫蒙 appears after 尊敬的 without a title, and in the signature block.
    let d2 = doc("002");
    assert_eq!(d2.entities.iter().filter(|e| e.kind == EntityKind::Person && d2.entity_text(e) == "拉赫蒙").count(), 2);
}

#[test]
fn canonical_forms() {
    let d = doc("000");
    let canon = |text: &str| d.entities.iter().find(|e| d.entity_text(e) == text).map(|e| e.canonical.as_str());
    assert_eq!(canon("中华人民共和国"), Some("中国"));
    assert_eq!(canon("哈方"), Some("哈萨克斯坦"));
    assert_eq!(canon("本组织"), Some("上海合作组织"));
    assert_eq!(canon("上合组织银联体"), Some("上海合作组织银行联合体"));
    assert_eq!(canon("2014 年12月14日至15日"), Some("2014-12-14/2014-12-15"));
    assert_eq!(canon("阿斯塔纳市"), Some("阿斯塔纳"));
}

#[test]
fn nothing_is_extracted_inside_cited_titles() {
    for d in &analysis().documents {
        for e in d.entities.iter().filter(|e| e.kind != EntityKind::Agreement) {
            let inside = d.citations.iter().any(|c| {
                let (paragraph, start, end) = c.place();
                c.parent.is_none() && paragraph == e.paragraph() && e.chars().start < end && e.chars().end > start
            });
            assert!(!inside, "{} {:?} inside a title", d.id, e);
        }
    }
}

#[test]
fn the_road_transport_agreement_is_one_entry_cited_by_four_documents() {
    let a = analysis();
    let road = a.agreements.iter().find(|x| x.title.contains("国际道路运输便利化协定")).expect("agreement");
    let mut docs: Vec<&str> = road.cited_by.iter().map(|c| c.document.as_str()).collect();
    docs.dedup();
    assert_eq!(docs.len(), 4);
    let signed = road.signed.clone().expect("signed");
    assert_eq!((signed.date.as_deref(), signed.place.as_deref()), (Some("2014-09-12"), Some("杜尚别")));
    assert!(road.variants.iter().any(|v| v.starts_with("上海合作组织")) || road.title.starts_with("上海合作组织"));
    // Different year ranges stay apart.
    let lists: Vec<_> = a.agreements.iter().filter(|x| x.title.contains("进一步推动项目合作")).collect();
    assert_eq!(lists.len(), 2);
}

#[test]
fn every_citation_of_the_corpus_has_an_agreement_and_nesting() {
    let d = doc("000");
    let outer = d.citations.iter().position(|c| c.title == "〈上海合作组织成员国多边经贸合作纲要〉落实措施计划").expect("outer");
    let inner = &d.citations[outer + 1];
    assert_eq!(inner.title, "上海合作组织成员国多边经贸合作纲要");
    assert_eq!(inner.parent.map(|p| p as usize), Some(outer));
    let customs = d.citations.iter().find(|c| c.title.contains("海关合作与互助协定")).expect("customs");
    let signed = customs.signed.clone().expect("signed");
    assert_eq!((signed.date.as_deref(), signed.place.as_deref()), (Some("2007-11-02"), Some("塔什干")));
    let total: usize = analysis().documents.iter().map(|d| d.citations.len()).sum();
    let cited: usize = analysis().agreements.iter().map(|a| a.cited_by.len()).sum();
    assert_eq!(total, cited);
}
