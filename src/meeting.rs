//! Document metadata derived from the text: title, kind, and the meeting it
//! records (body, ordinal, dates, place, chair, attendees).

use crate::entities::{Affiliation, NameSpan, ParagraphScan, PersonMention};
use crate::knowledge::Knowledge;
use crate::knowledge::Status;
use crate::model::Paragraph;
use crate::model::{Attendee, AttendeeStatus, Body, DocKind, Meeting};
use crate::text::{is_inline_space, parse_number};
use rustc_hash::FxHashMap;
use std::sync::OnceLock;

/// What the cleaner set apart from the paragraphs that still frames the
/// document: a scraped page's dateline (`新华社天津9月1日电`) and its photo
/// captions (`9月1日上午，…会议在天津举行。…新华社记者 某某 摄`).
#[derive(Clone, Copy, Debug, Default)]
pub struct Frame<'a> {
    /// The dateline, if any.
    pub dateline: Option<&'a str>,
    /// The captions, in order.
    pub captions: &'a [String],
    /// When the source says it was published (a saved web page's metadata).
    pub published: Option<&'a str>,
}

/// Frame words from `assets/meetings/frame.tsv`.
struct FrameWords {
    video: Vec<&'static str>,
    other_time: Vec<&'static str>,
}

fn frame_words() -> &'static FrameWords {
    static F: OnceLock<FrameWords> = OnceLock::new();
    F.get_or_init(|| {
        let mut f = FrameWords { video: Vec::new(), other_time: Vec::new() };
        for (kind, word) in table(include_str!("../assets/meetings/frame.tsv")) {
            match kind {
                "video" => f.video.push(word),
                "other_time" => f.other_time.push(word),
                _ => {}
            }
        }
        f
    })
}

/// Title, kind and meeting of one document.
pub struct Metadata {
    /// The title (written or inferred).
    pub title: String,
    /// The kind.
    pub kind: DocKind,
    /// The meeting, if the text names one.
    pub meeting: Option<Meeting>,
}

fn table(text: &'static str) -> Vec<(&'static str, &'static str)> {
    text.lines().filter(|l| !l.starts_with('#')).filter_map(|l| l.split_once('\t')).map(|(a, b)| (a.trim(), b.trim())).collect()
}

fn bodies() -> &'static [(&'static str, &'static str)] {
    static B: OnceLock<Vec<(&str, &str)>> = OnceLock::new();
    B.get_or_init(|| table(include_str!("../assets/meetings/bodies.tsv")))
}

fn kinds() -> &'static [(&'static str, &'static str)] {
    static K: OnceLock<Vec<(&str, &str)>> = OnceLock::new();
    K.get_or_init(|| table(include_str!("../assets/meetings/kinds.tsv")))
}

/// Attendance words from `assets/meetings/attendance.tsv`.
struct Attendance {
    attend: Vec<&'static str>,
    status: Vec<(&'static str, AttendeeStatus)>,
}

fn attendance() -> &'static Attendance {
    static A: OnceLock<Attendance> = OnceLock::new();
    A.get_or_init(|| {
        let mut a = Attendance { attend: Vec::new(), status: Vec::new() };
        for line in include_str!("../assets/meetings/attendance.tsv").lines().filter(|l| !l.starts_with('#')) {
            let cols: Vec<&str> = line.split('\t').map(str::trim).collect();
            match cols.as_slice() {
                ["attend", word, ..] => a.attend.push(word),
                ["status", word, status, ..] => {
                    if let Some(status) = AttendeeStatus::parse(status) {
                        a.status.push((word, status));
                    }
                }
                _ => {}
            }
        }
        a
    })
}

fn parse_body(s: &str) -> Body {
    match s {
        "heads_of_state" => Body::HeadsOfState,
        "heads_of_government" => Body::HeadsOfGovernment,
        "foreign_ministers" => Body::ForeignMinisters,
        _ => Body::Other,
    }
}

fn parse_kind(s: &str) -> DocKind {
    match s {
        "joint_communique" => DocKind::JointCommunique,
        "press_communique" => DocKind::PressCommunique,
        "declaration" => DocKind::Declaration,
        "speech" => DocKind::Speech,
        "statement" => DocKind::Statement,
        _ => DocKind::Other,
    }
}

/// How many opening paragraphs are searched for the meeting and attendees.
const OPENING: usize = 10;

/// Derives title, kind and meeting. `people` are the final person spans per
/// paragraph; `frame` is what the cleaner set apart (dateline, captions).
pub fn metadata(
    paragraphs: &[Paragraph],
    scans: &[ParagraphScan],
    people: &[Vec<NameSpan>],
    frame: &Frame<'_>,
    knowledge: &Knowledge,
) -> Metadata {
    // The title: a level-1 heading near the top, or the heading the text
    // opens with, whatever its level (`## 标题` in Markdown).
    let title_para = paragraphs
        .iter()
        .take(3)
        .position(|p| p.heading == Some(1))
        .or_else(|| {
            let first = paragraphs.iter().position(|p| !p.text.trim().is_empty())?;
            (first < 3 && paragraphs[first].heading.is_some()).then_some(first)
        })
        // A title is a short line or two, never a run of text.
        .filter(|&i| paragraphs[i].text.chars().count() <= MAX_TITLE_CHARS);
    let subtitle = paragraphs
        .iter()
        .enumerate()
        .take(4)
        .find(|(i, p)| Some(*i) != title_para && p.heading.is_some_and(|h| h >= 2))
        .map(|(_, p)| p.text.as_str());
    let written_title = title_para.map(|i| paragraphs[i].text.to_string());

    // The body: from the headings first, then the opening paragraphs, then the captions.
    let order: Vec<usize> = (0..paragraphs.len().min(OPENING))
        .filter(|&i| paragraphs[i].heading.is_some())
        .chain((0..paragraphs.len().min(OPENING)).filter(|&i| paragraphs[i].heading.is_none()))
        .collect();
    let found = order
        .iter()
        .find_map(|&i| find_body(&paragraphs[i].text).map(|b| (paragraphs[i].text.as_str(), b)))
        .or_else(|| frame.captions.iter().find_map(|c| find_body(c).map(|b| (c.as_str(), b))));
    let kind_word = written_title.as_deref().into_iter().chain(subtitle).find_map(kind_of_title);
    // A speech addresses its audience (尊敬的各位同事：) near its start.
    let addresses = paragraphs.iter().filter(|p| p.heading.is_none()).take(8).any(|p| crate::clean::web::is_address(&p.text));
    let known_kind = kind_word.or(addresses.then_some(DocKind::Speech));
    let Some((body_text, (body_start, body_end, body, body_label))) = found else {
        let title = written_title.unwrap_or_else(|| fallback_title(paragraphs));
        return Metadata { title, kind: known_kind.unwrap_or(DocKind::Other), meeting: None };
    };
    let body_chars: Vec<char> = body_text.chars().collect();
    let ordinal = ordinal_after(&body_chars, body_end);

    // The opening sentence: one of the first body paragraphs (after the
    // headings and the date line) that says the meeting was held; a meeting
    // named further down is another one.
    let first_body: Vec<usize> = (0..paragraphs.len().min(OPENING))
        .filter(|&i| paragraphs[i].heading.is_none() && !crate::clean::is_date_line(paragraphs[i].text.trim()))
        .take(3)
        .collect();
    let opening = first_body
        .iter()
        .copied()
        .find(|&i| paragraphs[i].text.contains("举行") && find_body(&paragraphs[i].text).is_some())
        // `2019年5月22日，会议在比什凯克举行。` under a title that names the body.
        .or_else(|| {
            (0..paragraphs.len().min(3)).find(|&i| {
                let t = &paragraphs[i].text;
                paragraphs[i].heading.is_none() && t.contains("会议") && t.contains("举行") && !scans[i].dates.is_empty()
            })
        });
    let mut start = None;
    let mut end = None;
    let mut place = None;
    // A date line under the title (（2016年6月24日，塔什干）) is the document's
    // own frame: it wins over anything the body mentions.
    date_line_facts(paragraphs, scans, 0..paragraphs.len().min(6), knowledge, &mut start, &mut end, &mut place);
    if let Some(i) = opening {
        let text = &paragraphs[i].text;
        let held = text.find("举行").map_or(usize::MAX, |b| text[..b].chars().count());
        if start.is_none()
            && let Some(d) = scans[i].dates.iter().find(|d| d.start < held)
        {
            start = Some(d.value.start.iso());
            end = Some(d.value.last().iso());
        }
        if place.is_none() {
            place = place_held(text, knowledge);
        }
    }
    if start.is_none() || place.is_none() {
        // `2014年9月12日于杜尚别` at the end.
        let tail = paragraphs.len().saturating_sub(4)..paragraphs.len();
        date_line_facts(paragraphs, scans, tail, knowledge, &mut start, &mut end, &mut place);
    }
    // A scraped page's dateline (新华社天津9月1日电) or its caption's first
    // date (当地时间7月4日下午), the year from the document's own dates.
    if start.is_none() || place.is_none() {
        // The year: the document's own start, the page's publication, or most of its dates.
        let year = start
            .as_deref()
            .or(frame.published)
            .and_then(|s| s.get(..4))
            .filter(|y| y.bytes().all(|b| b.is_ascii_digit()))
            .map(str::to_owned)
            .or_else(|| document_year(scans));
        // The dateline, a caption, or the opening sentence's own `7月4日`
        // (新华社北京7月4日电 …, 当地时间7月4日下午，…会议在…举行).
        let opening_text = opening.map(|i| paragraphs[i].text.as_str());
        let dated = frame
            .dateline
            .and_then(dateline_parts)
            .or_else(|| frame.captions.iter().find_map(|c| month_day(c).map(|(m, d)| (String::new(), m, d))))
            .or_else(|| opening_text.and_then(inline_dateline))
            .or_else(|| opening_text.and_then(|t| month_day(held_clause(t)).map(|(m, d)| (String::new(), m, d))));
        if let Some((city, month, day)) = dated {
            if start.is_none()
                && let Some(y) = &year
            {
                let iso = format!("{y}-{month:02}-{day:02}");
                start = Some(iso.clone());
                end = Some(iso);
            }
            if place.is_none() && !city.is_empty() {
                place = Some(knowledge.lookup(&city).map_or(city, |e| e.canonical.clone()));
            }
        }
    }
    // Held by video: the opening sentence or a caption says so, even where
    // it names the city the speaker joined from.
    let framing = opening.map(|i| paragraphs[i].text.as_str()).into_iter().chain(frame.captions.iter().map(String::as_str));
    if framing.into_iter().any(says_video) {
        place = Some("视频".to_owned());
    }
    let chair = chair(paragraphs, people);
    let attendees = attendees(paragraphs, scans, people, knowledge);
    // The heads of government adopt a joint communiqué: a text that reports
    // their meeting held, with no address to an audience, is one.
    let kind = known_kind.unwrap_or(match body {
        Body::HeadsOfGovernment if opening.is_some() => DocKind::JointCommunique,
        _ => DocKind::Other,
    });
    let title = written_title.unwrap_or_else(|| {
        // The title a reader would give it: the meeting's name and the document's kind.
        let name = opening
            .and_then(|i| meeting_name(&paragraphs[i].text))
            .unwrap_or_else(|| body_chars[body_start..body_end].iter().collect());
        format!("{name}{}", kind_label(kind))
    });
    Metadata { title, kind, meeting: Some(Meeting { body, ordinal, start, end, place, chair, attendees, body_label }) }
}

/// Facts of a date line among `lines`: the first date and place found fill
/// what is still unknown.
fn date_line_facts(
    paragraphs: &[Paragraph],
    scans: &[ParagraphScan],
    lines: std::ops::Range<usize>,
    knowledge: &Knowledge,
    start: &mut Option<String>,
    end: &mut Option<String>,
    place: &mut Option<String>,
) {
    for i in lines {
        if start.is_some() && place.is_some() {
            break;
        }
        let t = paragraphs[i].text.trim();
        if !crate::clean::is_date_line(t) {
            continue;
        }
        let Some(d) = scans[i].dates.first() else { continue };
        if start.is_none() {
            *start = Some(d.value.start.iso());
            *end = Some(d.value.last().iso());
        }
        if place.is_none() {
            *place = scans[i]
                .hits
                .iter()
                .find(|h| h.kind == crate::knowledge::EntryKind::Place)
                .map(|h| knowledge.entry(h.entry).canonical.clone());
        }
    }
}

/// `新华社北京7月4日电 …` opening a paragraph: the dateline the cleaner left
/// in the text.
fn inline_dateline(text: &str) -> Option<(String, u32, u32)> {
    let end = text.find("日电")? + "日电".len();
    let head = &text[..end];
    (head.chars().count() <= 24 && crate::clean::web::agencies().iter().any(|a| head.starts_with(a.as_str())))
        .then(|| dateline_parts(head))
        .flatten()
}

/// The text of a sentence up to its `举行` (all of it when there is none).
fn held_clause(text: &str) -> &str {
    let held = text.find("举行").unwrap_or(text.len());
    let sentence_start = text[..held].rfind('。').map_or(0, |b| b + '。'.len_utf8());
    &text[sentence_start..held]
}

/// Whether `text` says a meeting was held by video.
fn says_video(text: &str) -> bool {
    frame_words().video.iter().any(|w| text.contains(w))
}

/// The year most of the document's full dates give.
fn document_year(scans: &[ParagraphScan]) -> Option<String> {
    let mut counts: FxHashMap<String, usize> = FxHashMap::default();
    for d in scans.iter().flat_map(|s| &s.dates) {
        let iso = d.value.start.iso();
        if iso.len() >= 4 {
            *counts.entry(iso[..4].to_owned()).or_default() += 1;
        }
    }
    counts.into_iter().max_by(|a, b| a.1.cmp(&b.1).then_with(|| b.0.cmp(&a.0))).map(|(y, _)| y)
}

/// `新华社天津9月1日电` → (天津, 9, 1).
fn dateline_parts(dateline: &str) -> Option<(String, u32, u32)> {
    let first_digit = dateline.find(|c: char| c.is_ascii_digit())?;
    let before = &dateline[..first_digit];
    let agency = crate::clean::web::agencies().iter().find(|a| before.starts_with(a.as_str())).map_or(0, String::len);
    let city: String = before[agency..].chars().filter(|c| crate::text::is_han(*c)).collect();
    let (month, day) = month_day(&dateline[first_digit..])?;
    Some((city, month, day))
}

/// The first `M月D日` in `text`.
fn month_day(text: &str) -> Option<(u32, u32)> {
    let chars: Vec<char> = text.chars().collect();
    for i in 0..chars.len() {
        if !chars[i].is_ascii_digit() || (i > 0 && chars[i - 1].is_ascii_digit()) {
            continue;
        }
        let m: String = chars[i..].iter().take_while(|c| c.is_ascii_digit()).collect();
        let j = i + m.len();
        if chars.get(j) != Some(&'月') {
            continue;
        }
        let d: String = chars[j + 1..].iter().take_while(|c| c.is_ascii_digit()).collect();
        if d.is_empty() || chars.get(j + 1 + d.len()) != Some(&'日') {
            continue;
        }
        let (m, d) = (m.parse().ok()?, d.parse().ok()?);
        if (1..=12).contains(&m) && (1..=31).contains(&d) {
            return Some((m, d));
        }
    }
    None
}

/// Finds the first body phrase in a text: (char start, char end, body, and
/// the phrase itself when the body is none of the councils).
fn find_body(text: &str) -> Option<(usize, usize, Body, Option<String>)> {
    bodies()
        .iter()
        .filter_map(|(phrase, body)| text.find(phrase).map(|b| (b, b + phrase.len(), *body, *phrase)))
        .min_by_key(|(b, e, _, _)| (*b, std::cmp::Reverse(*e)))
        .map(|(b, e, body, phrase)| {
            let body = parse_body(body);
            let label = (body == Body::Other).then(|| phrase.to_owned());
            (text[..b].chars().count(), text[..e].chars().count(), body, label)
        })
}

/// `第十三次` right after the body phrase.
fn ordinal_after(chars: &[char], end: usize) -> Option<u32> {
    let rest: String = chars[end..].iter().take(10).filter(|c| !is_inline_space(**c)).collect();
    let inner = rest.strip_prefix('第')?;
    let num: String = inner.chars().take_while(|c| *c != '次' && *c != '届').collect();
    if !inner[num.len()..].starts_with(['次', '届']) {
        return None;
    }
    parse_number(&num)
}

/// `在阿斯塔纳市举行` → 阿斯塔纳; `以视频方式举行` → 视频.
fn place_held(text: &str, knowledge: &Knowledge) -> Option<String> {
    let held = text.find("举行")?;
    let before = &text[..held];
    // A clause about a future or past event (明年在重庆举行…) is not this meeting.
    let clause_start = before.rfind(['，', '。', '；']).map_or(0, |b| b + '，'.len_utf8());
    if frame_words().other_time.iter().any(|w| before[clause_start..].contains(w)) {
        return None;
    }
    if before.ends_with("视频方式") || before.ends_with("视频形式") || before.contains("视频会议") {
        return Some("视频".to_owned());
    }
    let at = before.rfind('在')?;
    let raw = before[at + '在'.len_utf8()..].trim();
    if raw.is_empty() || raw.chars().count() > 12 {
        return None;
    }
    if let Some(entry) = knowledge.lookup(raw) {
        return Some(entry.canonical.clone());
    }
    // `印度果阿`: the last known place in it, or what follows a country name.
    let folded = crate::text::fold(raw);
    let hits: Vec<_> = knowledge.find_all(&folded).collect();
    if let Some(h) = hits.iter().rev().find(|h| knowledge.entry(h.entry).kind == crate::knowledge::EntryKind::Place) {
        return Some(knowledge.entry(h.entry).canonical.clone());
    }
    let raw = match hits.first() {
        Some(h)
            if h.byte_start == 0
                && knowledge.entry(h.entry).kind == crate::knowledge::EntryKind::Country
                && h.byte_end < folded.len() =>
        {
            &raw[crate::text::byte_of_char(raw, folded[..h.byte_end].chars().count())..]
        }
        _ => raw,
    };
    Some(raw.strip_suffix('市').unwrap_or(raw).to_owned())
}

/// `上海合作组织（以下称…）成员国政府首脑（总理）理事会第十三次会议`
/// from the opening sentence, without the parenthetical.
fn meeting_name(text: &str) -> Option<String> {
    let start = match (text.find("上海合作组织"), text.find("上合组织")) {
        (Some(a), Some(b)) => a.min(b),
        (a, b) => a.or(b)?,
    };
    let rest = &text[start..];
    let end = rest.find("会议")? + "会议".len();
    let mut name = String::new();
    let mut depth = 0;
    for c in rest[..end].chars() {
        match c {
            '（' | '(' if rest[..end].contains("以下") && depth == 0 && name.ends_with("组织") => {
                depth = 1;
            }
            '）' | ')' if depth == 1 => depth = 0,
            _ if depth == 1 => {}
            _ => name.push(c),
        }
    }
    Some(name)
}

fn kind_of_title(title: &str) -> Option<DocKind> {
    kinds().iter().find(|(w, _)| title.trim_end().ends_with(w)).map(|(_, k)| parse_kind(k))
}

fn kind_label(kind: DocKind) -> &'static str {
    match kind {
        DocKind::JointCommunique => "联合公报",
        DocKind::PressCommunique => "新闻公报",
        DocKind::Declaration => "宣言",
        DocKind::Speech => "讲话",
        DocKind::Statement => "声明",
        DocKind::Other => "",
    }
}

/// Longest written title kept as the title (chars).
const MAX_TITLE_CHARS: usize = 100;

fn fallback_title(paragraphs: &[Paragraph]) -> String {
    let first = paragraphs.iter().find(|p| !p.text.trim().is_empty()).map_or("", |p| p.text.as_str());
    let sentence: String = first.chars().take_while(|c| !matches!(c, '。' | '，' | '；')).take(30).collect();
    if sentence.is_empty() { "（无标题）".to_owned() } else { sentence }
}

/// `X主持会议` or `会议由X主持`: the person right before 主持.
fn chair(paragraphs: &[Paragraph], people: &[Vec<NameSpan>]) -> Option<String> {
    for (i, p) in paragraphs.iter().enumerate().take(OPENING + 5) {
        let Some(b) = p.text.find("主持") else {
            continue;
        };
        let at = p.text[..b].chars().count();
        if let Some(NameSpan { name, .. }) = people[i].iter().filter(|p| p.end <= at).max_by_key(|p| p.end) {
            return Some(name.clone());
        }
    }
    None
}

/// Who attended: people in the opening paragraphs that say 出席/与会/列席,
/// and the signatories of a signature block.
fn attendees(
    paragraphs: &[Paragraph],
    scans: &[ParagraphScan],
    people: &[Vec<NameSpan>],
    knowledge: &Knowledge,
) -> Vec<Attendee> {
    let mut out: Vec<Attendee> = Vec::new();
    let mut push = |m: &PersonMention, status: AttendeeStatus| {
        if out.iter().any(|a| a.name == m.name) {
            return;
        }
        let (country, organization) = match &m.affiliation {
            Some(Affiliation::Country(c)) => (Some(c.clone()), None),
            Some(Affiliation::Organization(o)) => (None, Some(o.clone())),
            None => (None, None),
        };
        out.push(Attendee { name: m.name.clone(), role: m.role.clone(), country, organization, status });
    };
    for (i, p) in paragraphs.iter().enumerate().take(OPENING) {
        if !crate::entities::persons::says_attendance(&p.text) {
            continue;
        }
        for m in &scans[i].persons {
            if people[i].iter().any(|p| p.start == m.start) {
                push(m, attendee_status(&p.text, m, knowledge));
            }
        }
    }
    for (i, p) in paragraphs.iter().enumerate() {
        let signature = p.text.contains('\t') && p.text.chars().count() <= 60;
        if !signature {
            continue;
        }
        for m in &scans[i].persons {
            push(m, attendee_status("", m, knowledge));
        }
    }
    out
}

fn attendee_status(paragraph: &str, m: &PersonMention, knowledge: &Knowledge) -> AttendeeStatus {
    if let Some(Affiliation::Organization(_)) = m.affiliation {
        return AttendeeStatus::Organization;
    }
    // The last status word before the item decides (观察员国代表…, 会议主办国客人…).
    let before: String = paragraph.chars().take(m.item_start + 8).collect();
    let cue =
        attendance().status.iter().filter_map(|(w, s)| before.rfind(w).map(|b| (b, *s))).max_by_key(|(b, _)| *b).map(|(_, s)| s);
    if let Some(s) = cue {
        return s;
    }
    match &m.affiliation {
        Some(Affiliation::Country(c)) => attendee_status_of(knowledge.lookup(c).and_then(|e| e.status)),
        _ => AttendeeStatus::Guest,
    }
}

/// The attendee status of a country's representative, from the country's SCO status.
fn attendee_status_of(status: Option<Status>) -> AttendeeStatus {
    match status {
        Some(Status::Member) => AttendeeStatus::Member,
        Some(Status::Observer) => AttendeeStatus::Observer,
        Some(Status::Partner) => AttendeeStatus::Partner,
        Some(Status::Guest | Status::Other) | None => AttendeeStatus::Guest,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn body_and_ordinal() {
        let (s, e, body, _) = find_body("上海合作组织成员国政府首脑（总理）理事会第十三次会议在阿斯塔纳市举行").expect("body");
        assert_eq!(body, Body::HeadsOfGovernment);
        let chars: Vec<char> = "上海合作组织成员国政府首脑（总理）理事会第十三次会议".chars().collect();
        assert_eq!(ordinal_after(&chars, e), Some(13));
        assert!(s > 0);
        assert_eq!(find_body("成员国元首理事会会议").map(|x| x.2), Some(Body::HeadsOfState));
    }

    #[test]
    fn place_of_meeting() {
        let k = crate::knowledge::bundled();
        assert_eq!(place_held("会议在阿斯塔纳市举行", k).as_deref(), Some("阿斯塔纳"));
        assert_eq!(place_held("第十九次会议以视频方式举行", k).as_deref(), Some("视频"));
        assert_eq!(place_held("会议在新城市举行", k).as_deref(), Some("新城"));
        assert_eq!(place_held("会议在印度果阿举行", k).as_deref(), Some("果阿"));
        assert_eq!(place_held("会议在印度新城举行", k).as_deref(), Some("新城"));
    }

    #[test]
    fn meeting_name_drops_the_parenthetical() {
        assert_eq!(
            meeting_name("2014年12月14日至15日，上海合作组织（以下称“上合组织”或“本组织”）成员国政府首脑（总理）理事会第十三次会议在阿斯塔纳市举行。").as_deref(),
            Some("上海合作组织成员国政府首脑（总理）理事会第十三次会议")
        );
    }

    /// Analyses one text through the whole pipeline (the frame needs the cleaner).
    fn meeting_of(text: &str) -> (DocKind, Option<Meeting>) {
        let a = crate::analysis::analyze_texts(&[("d", text)]);
        (a.documents[0].kind, a.documents[0].meeting.clone())
    }

    #[test]
    fn a_city_in_a_clause_about_another_time_is_not_the_place() {
        let k = crate::knowledge::bundled();
        assert_eq!(place_held("中方将于明年在重庆举行数字经济论坛", k), None);
        assert_eq!(place_held("去年在青岛举行的峰会", k), None);
        assert_eq!(place_held("会议在比什凯克举行", k).as_deref(), Some("比什凯克"));
        assert_eq!(place_held("2019年6月，上海合作组织成员国元首理事会会议在比什凯克举行", k).as_deref(), Some("比什凯克"));
    }

    #[test]
    fn the_date_line_under_a_heading_wins_over_the_body() {
        let text = "## 携手共创美好未来——在上海合作组织成员国元首理事会第十六次会议上的讲话\n\n（2016年6月24日，塔什干）\n\n尊敬的各位同事：\n\n2001年6月15日，本组织在上海成立。明年的会议将于2017年6月在阿斯塔纳举行。\n";
        let a = crate::analysis::analyze_texts(&[("d.md", text)]);
        let d = &a.documents[0];
        assert!(d.title.starts_with("携手共创美好未来"), "{}", d.title);
        let m = d.meeting.as_ref().expect("meeting");
        assert_eq!((m.start.as_deref(), m.place.as_deref(), m.ordinal), (Some("2016-06-24"), Some("塔什干"), Some(16)));
        // The same in plain text, the date line in half-width brackets.
        let (_, m) = meeting_of(
            "在上海合作组织成员国元首理事会第十六次会议上的讲话\n(2016年6月24日, 塔什干)\n2018年6月，青岛峰会在青岛举行。\n",
        );
        let m = m.expect("meeting");
        assert_eq!((m.start.as_deref(), m.place.as_deref()), (Some("2016-06-24"), Some("塔什干")));
    }

    #[test]
    fn ordinals_in_every_written_form() {
        for (text, n) in [
            ("上合组织成员国元首理事会第二十三次会议4日以视频方式举行。", 23),
            ("上海合作组织成员国政府首脑（总理）理事会第十八次会议在塔什干举行。", 18),
            ("上海合作组织成员国元首理事会第23次会议在新德里举行。", 23),
            ("上海合作组织成员国政府首脑(总理)理事会第 9 次会议在比什凯克举行。", 9),
        ] {
            assert_eq!(meeting_of(text).1.and_then(|m| m.ordinal), Some(n), "{text}");
        }
    }

    #[test]
    fn datelines_in_the_text_take_the_documents_year() {
        let (_, m) = meeting_of(
            "新华社北京7月4日电 上合组织成员国元首理事会第二十三次会议4日以视频方式举行。\n\n2023年是本组织发展的重要一年。\n",
        );
        assert_eq!(m.expect("meeting").start.as_deref(), Some("2023-07-04"));
        let (_, m) =
            meeting_of("当地时间7月4日下午，上合组织成员国元首理事会第二十四次会议在阿斯塔纳举行。\n\n这是2024年的重要会议。\n");
        let m = m.expect("meeting");
        assert_eq!((m.start.as_deref(), m.place.as_deref()), (Some("2024-07-04"), Some("阿斯塔纳")));
    }

    #[test]
    fn datelines_and_month_days_are_read() {
        assert_eq!(dateline_parts("新华社天津9月1日电"), Some(("天津".to_owned(), 9, 1)));
        assert_eq!(dateline_parts("中新社北京11月10日电"), Some(("北京".to_owned(), 11, 10)));
        assert_eq!(month_day("当地时间7月4日下午，"), Some((7, 4)));
        assert_eq!(month_day("13月40日"), None);
        assert_eq!(month_day("没有日期"), None);
    }

    #[test]
    fn an_sco_plus_meeting_is_other_with_its_label() {
        let (s, e, body, label) = find_body("在“上海合作组织+”会议上的讲话").expect("body");
        assert!(s < e);
        assert_eq!((body, label.as_deref()), (Body::Other, Some("上海合作组织+")));
        // The councils carry no label.
        assert_eq!(find_body("元首理事会会议").map(|b| b.3), Some(None));
    }

    #[test]
    fn a_speech_is_known_by_its_address_and_never_defaults_to_a_communique() {
        let speech = "# 共创未来\n\n（2019年6月14日，比什凯克）\n\n尊敬的各位同事：\n\n上海合作组织成员国元首理事会会议今天举行。我们要加强合作。\n";
        assert_eq!(meeting_of(speech).0, DocKind::Speech);
        // A report of a heads-of-state meeting with no kind word is of unknown kind, not 新闻公报.
        let report = "2019年6月14日，上海合作组织成员国元首理事会会议在比什凯克举行。各方讨论了合作。\n";
        let (kind, meeting) = meeting_of(report);
        assert_eq!(kind, DocKind::Other);
        assert_eq!(meeting.and_then(|m| m.place).as_deref(), Some("比什凯克"));
    }

    #[test]
    fn a_video_meeting_is_placed_at_video_even_when_the_city_joined_from_is_named() {
        let text = "新华社北京7月4日电　共同发展——在上海合作组织成员国元首理事会第二十三次会议上的讲话（2023年7月4日）中华人民共和国主席　习近平　　7月4日下午，国家主席习近平在北京以视频方式出席上海合作组织成员国元首理事会第二十三次会议并发表重要讲话。新华社记者 李学仁 摄尊敬的各位同事：　　感谢主席国的精心准备。我们要继续合作。　　各位同事！　　我们要团结协作，共同发展，推动上海合作组织行稳致远。　　谢谢大家。";
        let (kind, meeting) = meeting_of(text);
        let m = meeting.expect("meeting");
        assert_eq!(kind, DocKind::Speech);
        assert_eq!(
            (m.body, m.ordinal, m.start.as_deref(), m.place.as_deref()),
            (Body::HeadsOfState, Some(23), Some("2023-07-04"), Some("视频"))
        );
    }
}
