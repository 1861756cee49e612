//! Scraped web text: a page saved from a news site, or a text exported from a
//! scraped dataset, often comes as one long line. Its paragraph breaks were
//! collapsed into runs of wide spaces (`　　`, `  `) or into nothing; its
//! header (dateline, headline, subtitle, date line, byline) runs together;
//! photo captions with their credits (`…新华社记者 某某 摄`) sit inside the
//! body. This module cuts such a line into the segments an editor would
//! write, each with its role; the cleaner then treats each segment as a line
//! of its own (so every character keeps its place in the source).
//!
//! Paragraph breaks are a scored decision at each sentence end: a run of
//! wide spaces there is near-certain; without one, the features of the
//! boundary (an address to the audience before it, an opener such as
//! `第一，` or `——` after it, the length of the paragraph so far) add up to
//! a score, and a positive score breaks. The words are data
//! (`assets/clean/web.tsv`).

use crate::knowledge::Knowledge;
use crate::text::{is_han, is_inline_space};
use std::sync::OnceLock;

/// What a segment of a scraped line is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    /// `新华社北京7月4日电`: kept as metadata, not a paragraph.
    Dateline,
    /// The headline (the document's title).
    Headline,
    /// `——在…上的讲话`.
    Subtitle,
    /// `（2025年9月1日，天津）`.
    DateLine,
    /// `中华人民共和国主席　习近平`.
    Byline,
    /// A photo caption with its credit: shown apart, not a paragraph.
    Caption,
    /// `来源：…`, `责任编辑：…`: dropped.
    Footer,
    /// A paragraph of the body.
    Body,
}

/// A part of a line: bytes `start..end` of it, and its role.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Segment {
    /// Start byte in the line.
    pub start: usize,
    /// End byte (exclusive).
    pub end: usize,
    /// What it is.
    pub role: Role,
}

struct Words {
    agencies: Vec<String>,
    credits: Vec<String>,
    /// The credit words as one automaton (leftmost-longest, so 新华社记者 wins over 记者).
    credit_finder: Option<aho_corasick::AhoCorasick>,
    salutations: Vec<String>,
    openers: Vec<(String, f32)>,
    closings: Vec<String>,
    footers: Vec<String>,
    kinds: Vec<String>,
}

fn words() -> &'static Words {
    static W: OnceLock<Words> = OnceLock::new();
    W.get_or_init(|| {
        let mut w = Words {
            agencies: Vec::new(),
            credits: Vec::new(),
            credit_finder: None,
            salutations: Vec::new(),
            openers: Vec::new(),
            closings: Vec::new(),
            footers: Vec::new(),
            kinds: Vec::new(),
        };
        for line in include_str!("../../assets/clean/web.tsv").lines().filter(|l| !l.starts_with('#')) {
            let cols: Vec<&str> = line.split('\t').collect();
            let (Some(kind), Some(text)) = (cols.first(), cols.get(1).map(|t| t.trim()).filter(|t| !t.is_empty())) else {
                continue;
            };
            let text = text.to_owned();
            match *kind {
                "agency" => w.agencies.push(text),
                "credit" => w.credits.push(text),
                "salutation" => w.salutations.push(text),
                "opener" => w.openers.push((text, cols.get(2).and_then(|x| x.trim().parse().ok()).unwrap_or(1.0))),
                "closing" => w.closings.push(text),
                "footer" => w.footers.push(text),
                "kind" => w.kinds.push(text),
                _ => {}
            }
        }
        // Longest first, so that 新华社记者 wins over 记者.
        w.credits.sort_by_key(|c| std::cmp::Reverse(c.len()));
        w.agencies.sort_by_key(|c| std::cmp::Reverse(c.len()));
        w.credit_finder =
            aho_corasick::AhoCorasick::builder().match_kind(aho_corasick::MatchKind::LeftmostLongest).build(&w.credits).ok();
        w
    })
}

/// News agencies that open a dateline (新华社 …), from `assets/clean/web.tsv`.
pub fn agencies() -> &'static [String] {
    &words().agencies
}

/// Words that name a speech (讲话, 致辞, 祝酒辞 …), from `assets/clean/web.tsv`.
pub fn speech_words() -> &'static [String] {
    &words().kinds
}

/// A space between two parts of a scraped line.
fn is_gap_char(c: char) -> bool {
    is_inline_space(c) || matches!(c, '\u{a0}' | '\u{2002}' | '\u{2003}' | '\u{2009}' | '\u{3000}')
}

fn is_terminal(c: char) -> bool {
    matches!(c, '。' | '！' | '？' | '!' | '?')
}

fn is_closing(c: char) -> bool {
    matches!(c, '”' | '’' | '」' | '』' | '）' | ')' | '》')
}

/// True when a line of `total_chars` in a document of `doc_chars` looks
/// scraped: long, many sentences, and either wide-space runs between
/// sentences or most of the document on this one line.
pub fn is_scraped(line: &str, doc_chars: usize) -> bool {
    if line.len() < 360 {
        return false; // fewer than 120 Chinese chars
    }
    let chars = line.chars().count();
    let sentences = line.chars().filter(|c| is_terminal(*c)).count();
    if chars < 120 || sentences < 4 {
        return false;
    }
    let gaps = strong_gaps(line).len();
    gaps >= 2 || chars * 2 >= doc_chars
}

/// Byte ranges of runs of two or more space chars (or one wide space after
/// a sentence end) inside the line, not at its ends.
fn strong_gaps(line: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut run: Option<(usize, usize, usize)> = None; // (start, end, chars)
    let mut prev: Option<char> = None;
    let mut before_run: Option<char> = None;
    for (b, c) in line.char_indices() {
        if is_gap_char(c) {
            match &mut run {
                Some((_, end, n)) => {
                    *end = b + c.len_utf8();
                    *n += 1;
                }
                None => {
                    run = Some((b, b + c.len_utf8(), 1));
                    before_run = prev;
                }
            }
        } else {
            if let Some((s, e, n)) = run.take() {
                let after_sentence = before_run.is_some_and(|p| is_terminal(p) || p == '：' || is_closing(p));
                let wide = line[s..e].chars().any(|c| c != ' ');
                if s > 0 && (n >= 2 || (wide && after_sentence)) {
                    out.push((s, e));
                }
            }
            prev = Some(c);
        }
    }
    out
}

/// A sentence (or a header piece) of the line: bytes, and whether a strong gap comes before it.
#[derive(Clone, Copy, Debug)]
struct Unit {
    start: usize,
    end: usize,
    gap_before: bool,
}

/// Cuts the line into its segments. `knowledge` tells titles (for the byline).
pub fn segments(line: &str, knowledge: &Knowledge) -> Vec<Segment> {
    let w = words();
    let gaps = strong_gaps(line);
    let mut out = Vec::new();
    let mut pos = skip_gaps(line, 0);
    // A caption may come first (a photo at the top of the page).
    if let Some(end) = leading_caption(line, pos, &gaps) {
        out.push(Segment { start: pos, end, role: Role::Caption });
        pos = skip_gaps(line, end);
    }
    pos = header(line, pos, knowledge, &mut out);
    let units = units(line, pos, &gaps);
    body(line, &units, &mut out, w);
    out.retain(|s| s.end > s.start && !line[s.start..s.end].chars().all(is_gap_char));
    out
}

fn skip_gaps(line: &str, mut pos: usize) -> usize {
    while let Some(c) = line[pos..].chars().next().filter(|c| is_gap_char(*c)) {
        pos += c.len_utf8();
    }
    pos
}

/// A photo caption at `pos`: sentences ending in a credit (`新华社记者 某某 摄`)
/// within the first 300 bytes, before any strong gap.
fn leading_caption(line: &str, pos: usize, gaps: &[(usize, usize)]) -> Option<usize> {
    let limit = floor_char(line, gaps.iter().map(|g| g.0).find(|g| *g > pos).unwrap_or(line.len()).min(pos + 600));
    if dateline_at(line, pos).is_some() {
        return None;
    }
    let (credit_start, credit_end) = find_credit(line, pos, limit)?;
    let before = line[pos..credit_start].trim_end_matches(is_gap_char);
    // Sentences about the photo, not a header run into them.
    let plain = !before.contains("——") && !before.contains("日电") && before.chars().count() <= 200;
    (plain && before.ends_with(['。', '！'])).then_some(credit_end)
}

/// The first photo credit in `line[from..to]`: `(start, end)` bytes, from the
/// credit word to the 摄 after one or more names. One forward scan of the
/// credit words' automaton, so finding every credit of a line is linear.
fn find_credit(line: &str, from: usize, to: usize) -> Option<(usize, usize)> {
    let hay = line.get(from..to)?;
    let finder = words().credit_finder.as_ref()?;
    finder.find_iter(hay).find_map(|m| credit_tail(line, from + m.end()).map(|end| (from + m.start(), end)))
}

/// After a credit word: names (2-4 chars each, spaces or 、 between) then 摄.
fn credit_tail(line: &str, mut pos: usize) -> Option<usize> {
    let mut names = 0;
    loop {
        pos = skip_gaps(line, pos);
        let rest = &line[pos..];
        if rest.starts_with('摄') && names > 0 {
            return Some(pos + '摄'.len_utf8());
        }
        let name: usize = rest.chars().take_while(|c| is_han(*c) || *c == '·').take(5).map(char::len_utf8).sum();
        let name_chars = rest[..name].chars().count();
        if name_chars == 0 {
            return None;
        }
        // A name glued to 摄 (李学仁摄): the last char is the 摄.
        if rest[..name].ends_with('摄') && name_chars >= 3 {
            return Some(pos + name);
        }
        if !(2..=4).contains(&name_chars) {
            return None;
        }
        names += 1;
        pos += name;
        if let Some(c) = line[pos..].chars().next().filter(|c| *c == '、' || *c == '，') {
            pos += c.len_utf8();
        }
        if names > 4 {
            return None;
        }
    }
}

/// Parses the header from `pos` (dateline, headline, subtitle, date line,
/// byline), pushing its segments; returns where the body starts.
fn header(line: &str, mut pos: usize, knowledge: &Knowledge, out: &mut Vec<Segment>) -> usize {
    if let Some(end) = dateline_at(line, pos) {
        out.push(Segment { start: pos, end, role: Role::Dateline });
        pos = skip_gaps(line, end);
    }
    // A headline is there when a subtitle (——) or a date line (（2025年…）)
    // follows within a short stretch without a sentence end.
    let window_end = floor_char(line, (pos + 360).min(line.len()));
    let window = &line[pos..window_end];
    let sentence_end = window.find(is_terminal).unwrap_or(window.len());
    let dash = window.find("——").filter(|d| *d < sentence_end && *d > 0);
    let paren = window.find('（').filter(|p| *p < sentence_end && is_date_paren(&line[pos + p..]));
    let starts_with_subtitle = window.starts_with("——") || starts_with_speech_title(window);
    if dash.is_none() && paren.is_none() && !starts_with_subtitle {
        return pos;
    }
    // Headline: up to the subtitle or the date line.
    let head_end = match (dash, paren) {
        (Some(d), Some(p)) => pos + d.min(p),
        (Some(d), None) => pos + d,
        (None, Some(p)) => pos + p,
        (None, None) => pos,
    };
    if head_end > pos {
        out.push(Segment { start: pos, end: trim_gap_end(line, pos, head_end), role: Role::Headline });
        pos = skip_gaps(line, head_end);
    }
    // Subtitle: —— … up to the date line or a sentence end.
    if line[pos..].starts_with("——") {
        let rest = &line[pos..floor_char(line, (pos + 300).min(line.len()))];
        let end = rest
            .char_indices()
            .find(|(i, c)| (*c == '（' && is_date_paren(&rest[*i..])) || is_terminal(*c))
            .map_or(rest.len(), |(i, _)| i);
        let role = if out.iter().any(|s| s.role == Role::Headline) { Role::Subtitle } else { Role::Headline };
        out.push(Segment { start: pos, end: trim_gap_end(line, pos, pos + end), role });
        pos = skip_gaps(line, pos + end);
    }
    // Date line: （2025年9月1日，天津）.
    if is_date_paren(&line[pos..])
        && let Some(close) = line[pos..].find('）')
    {
        let end = pos + close + '）'.len_utf8();
        out.push(Segment { start: pos, end, role: Role::DateLine });
        pos = skip_gaps(line, end);
    }
    // Byline: a title, a space, a name (中华人民共和国主席　习近平).
    if let Some(end) = byline_at(line, pos, knowledge) {
        out.push(Segment { start: pos, end, role: Role::Byline });
        pos = skip_gaps(line, end);
    }
    pos
}

fn trim_gap_end(line: &str, start: usize, mut end: usize) -> usize {
    while end > start {
        match line[..end].chars().next_back() {
            Some(c) if is_gap_char(c) => end -= c.len_utf8(),
            _ => break,
        }
    }
    end
}

fn floor_char(line: &str, mut i: usize) -> usize {
    while i > 0 && !line.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// `在…上的讲话` / `在…上的祝酒辞`: a speech's own name used as its headline.
fn starts_with_speech_title(s: &str) -> bool {
    let first: String = s.chars().take(80).take_while(|c| !is_terminal(*c) && *c != '（').collect();
    (first.starts_with('在') || first.starts_with("——在")) && words().kinds.iter().any(|k| first.ends_with(k.as_str()))
}

/// `（2025年9月1日，天津）` or `（2023年7月4日）` at the start of `s`.
fn is_date_paren(s: &str) -> bool {
    let Some(rest) = s.strip_prefix('（').or_else(|| s.strip_prefix('(')) else { return false };
    let inner: String = rest.chars().take_while(|c| *c != '）' && *c != ')').take(40).collect();
    let digits = inner.chars().take_while(char::is_ascii_digit).count();
    digits == 4 && inner.chars().nth(4) == Some('年') && inner.contains('日') && inner.chars().count() < 40
}

/// `新华社北京7月4日电` (an agency, a place, a date, 电) at `pos`: its end.
fn dateline_at(line: &str, pos: usize) -> Option<usize> {
    let rest = &line[pos..];
    let agency = words().agencies.iter().find(|a| rest.starts_with(a.as_str()))?;
    let mut i = agency.len();
    // The place: Han chars (and 记者 …) up to the date.
    let place: usize = rest[i..].chars().take_while(|c| is_han(*c) || is_gap_char(*c)).take(12).map(char::len_utf8).sum();
    i += place;
    let digits: usize = rest[i..].chars().take_while(char::is_ascii_digit).map(char::len_utf8).sum();
    if !(1..=2).contains(&digits) || !rest[i + digits..].starts_with('月') {
        return None;
    }
    i += digits + '月'.len_utf8();
    let digits: usize = rest[i..].chars().take_while(char::is_ascii_digit).map(char::len_utf8).sum();
    if !(1..=2).contains(&digits) || !rest[i + digits..].starts_with("日电") {
        return None;
    }
    i += digits + "日电".len();
    // （记者某某） after the dateline belongs to it.
    if rest[i..].starts_with("（记者")
        && let Some(close) = rest[i..].find('）').filter(|c| *c < 60)
    {
        i += close + '）'.len_utf8();
    }
    Some(pos + i)
}

/// A byline at `pos`: a title the gazetteer knows, a space, a name of 2-4
/// chars that ends before an address, a date or a gap. Its end.
fn byline_at(line: &str, pos: usize, knowledge: &Knowledge) -> Option<usize> {
    let rest = &line[pos..];
    let title_len: usize = rest.chars().take_while(|c| is_han(*c) || matches!(c, '（' | '）')).take(24).map(char::len_utf8).sum();
    let title = &rest[..title_len];
    let title_end = (1..=title.chars().count())
        .rev()
        .map(|n| title.char_indices().nth(n).map_or(title.len(), |(b, _)| b))
        .find(|&b| knowledge.ends_with_title(&title[..b]))?;
    let after_title = &rest[title_end..];
    let gap: usize = after_title.chars().take_while(|c| is_gap_char(*c)).map(char::len_utf8).sum();
    if gap == 0 {
        return None;
    }
    let name_start = title_end + gap;
    let mut end = name_start;
    let mut n = 0;
    for (b, c) in rest[name_start..].char_indices() {
        let here = &rest[name_start + b..];
        if n >= 2 && (starts_body(here) || n >= 4) {
            break;
        }
        if !(is_han(c) || c == '·') {
            break;
        }
        end = name_start + b + c.len_utf8();
        n += 1;
    }
    (2..=4).contains(&n).then_some(pos + end)
}

/// Text that opens the body: an address, a date, 当地时间.
fn starts_body(s: &str) -> bool {
    words().salutations.iter().any(|w| s.starts_with(w.as_str()))
        || s.starts_with("当地时间")
        || s.chars().next().is_some_and(|c| c.is_ascii_digit())
}

/// The body from `pos` cut into sentences, each knowing whether a strong
/// gap precedes it. One pass: the gaps and the credits (both sorted) are
/// walked alongside the chars.
fn units(line: &str, pos: usize, gaps: &[(usize, usize)]) -> Vec<Unit> {
    let mut out: Vec<Unit> = Vec::new();
    let mut start = pos;
    let mut gap_before = false;
    let mut chars = line[pos..].char_indices().map(|(b, c)| (pos + b, c)).peekable();
    let credit_ends: Vec<usize> = credit_ends(line, pos);
    let (mut next_gap, mut next_credit) = (gaps.partition_point(|g| g.0 < pos), 0);
    while let Some((b, c)) = chars.next() {
        while next_gap < gaps.len() && gaps[next_gap].0 < b {
            next_gap += 1;
        }
        if let Some(&(_, ge)) = gaps.get(next_gap).filter(|g| g.0 == b) {
            if b > start {
                out.push(Unit { start, end: b, gap_before });
            }
            gap_before = true;
            start = ge;
            while chars.peek().is_some_and(|(nb, _)| *nb < ge) {
                chars.next();
            }
            continue;
        }
        let mut end = b + c.len_utf8();
        let cut = if is_terminal(c) || c == '：' {
            while let Some(&(nb, nc)) = chars.peek() {
                if is_closing(nc) || is_terminal(nc) {
                    end = nb + nc.len_utf8();
                    chars.next();
                } else {
                    break;
                }
            }
            true
        } else {
            while next_credit < credit_ends.len() && credit_ends[next_credit] < end {
                next_credit += 1;
            }
            credit_ends.get(next_credit) == Some(&end)
        };
        if cut {
            if end > start {
                out.push(Unit { start, end, gap_before });
            }
            gap_before = false;
            start = end;
        }
    }
    if start < line.len() && !line[start..].chars().all(is_gap_char) {
        out.push(Unit { start, end: line.len(), gap_before });
    }
    out
}

/// Ends of every photo credit from `pos` on.
fn credit_ends(line: &str, pos: usize) -> Vec<usize> {
    let mut out = Vec::new();
    let mut from = pos;
    while let Some((_, end)) = find_credit(line, from, line.len()) {
        out.push(end);
        from = end;
    }
    out
}

/// Sorts the body's units into captions, footers and paragraphs.
fn body(line: &str, units: &[Unit], out: &mut Vec<Segment>, w: &Words) {
    let text = |u: &Unit| line[u.start..u.end].trim_matches(is_gap_char);
    // Which units are captions: the credit's unit and the sentences before
    // it back to a gap (at most three, the first opening with a date).
    let mut caption = vec![false; units.len()];
    for (i, u) in units.iter().enumerate() {
        let t = text(u);
        if !(t.ends_with('摄') && find_credit(line, u.start, u.end).is_some()) {
            continue;
        }
        caption[i] = true;
        let mut first = i;
        let mut k = i;
        while k > 0 && !units[k].gap_before && i - k < 3 {
            k -= 1;
            let t = text(&units[k]);
            if is_salutation(t, w) || caption[k] {
                break;
            }
            if opens_with_time(t) || units[k].gap_before {
                first = k;
                if units[k].gap_before {
                    break;
                }
            }
        }
        // Without a gap or a dated sentence, the caption is the sentence before the credit.
        if first == i && i > 0 && !units[i].gap_before && !is_salutation(text(&units[i - 1]), w) {
            first = i - 1;
        }
        let credit_alone = t.chars().count() <= 16;
        if !credit_alone {
            first = i;
        }
        for c in caption.iter_mut().take(i + 1).skip(first) {
            *c = true;
        }
    }
    let separated = units.iter().filter(|u| u.gap_before).count() >= 3;
    let mut para: Option<(usize, usize, usize)> = None; // (start, end, chars)
    let flush = |para: &mut Option<(usize, usize, usize)>, out: &mut Vec<Segment>| {
        if let Some((s, e, _)) = para.take() {
            out.push(Segment { start: s, end: e, role: Role::Body });
        }
    };
    let mut prev: Option<&str> = None;
    let mut i = 0;
    while i < units.len() {
        let u = &units[i];
        let t = text(u);
        if caption[i] {
            flush(&mut para, out);
            let mut j = i;
            while j + 1 < units.len() && caption[j + 1] {
                j += 1;
            }
            out.push(Segment { start: u.start, end: units[j].end, role: Role::Caption });
            prev = None;
            i = j + 1;
            continue;
        }
        if w.footers.iter().any(|f| t.starts_with(f.as_str())) {
            // The furniture runs to the next gap (责任编辑：张三） is cut at its colon).
            flush(&mut para, out);
            let mut j = i;
            let mut len = t.chars().count();
            while j + 1 < units.len() && !units[j + 1].gap_before && len < 60 {
                j += 1;
                len += text(&units[j]).chars().count();
            }
            out.push(Segment { start: u.start, end: units[j].end, role: Role::Footer });
            prev = None;
            i = j + 1;
            continue;
        }
        let breaks = match (&para, prev) {
            (None, _) | (_, None) => true,
            (Some((_, _, len)), Some(p)) => u.gap_before || break_score(p, t, *len, separated, w) > 0.0,
        };
        if breaks {
            flush(&mut para, out);
            para = Some((u.start, u.end, t.chars().count()));
        } else if let Some((_, e, len)) = para.as_mut() {
            *e = u.end;
            *len += t.chars().count();
        }
        prev = Some(t);
        i += 1;
    }
    flush(&mut para, out);
}

/// An address to the audience (`尊敬的各位同事：`, `各位同事！`): a short
/// sentence opening with a salutation and ending with ： or ！.
pub fn is_address(t: &str) -> bool {
    is_salutation(t.trim(), words())
}

fn is_salutation(t: &str, w: &Words) -> bool {
    t.chars().count() <= 60 && t.ends_with(['：', '！', ':']) && w.salutations.iter().any(|s| t.starts_with(s.as_str()))
}

/// `7月4日下午，`, `当地时间…`, `8月31日晚，`: how a photo caption opens.
fn opens_with_time(t: &str) -> bool {
    if t.starts_with("当地时间") {
        return true;
    }
    let digits = t.chars().take_while(char::is_ascii_digit).count();
    (1..=4).contains(&digits) && t.chars().nth(digits).is_some_and(|c| matches!(c, '月' | '年'))
}

/// The score of a paragraph break between sentence `prev` and sentence
/// `next`, with `len` chars in the paragraph so far; a break when positive.
/// In a text whose breaks were kept as gaps (`separated`), only an address
/// or a closing breaks without a gap.
fn break_score(prev: &str, next: &str, len: usize, separated: bool, w: &Words) -> f32 {
    let mut score = -1.5;
    // An address to the audience is a paragraph of its own.
    if is_salutation(prev, w) {
        score += 6.0;
    }
    if is_salutation(next, w) {
        score += 5.0;
    }
    if prev.ends_with(['！', '!']) && prev.chars().count() <= 12 {
        score += 4.0;
    }
    if w.closings.iter().any(|c| next == c.as_str()) {
        score += 5.0;
    }
    if separated {
        return score;
    }
    if let Some((_, weight)) =
        w.openers.iter().filter(|(o, _)| next.starts_with(o.as_str())).max_by(|a, b| a.0.len().cmp(&b.0.len()))
    {
        score += weight;
    }
    if next.starts_with('“') {
        score += 0.5;
    }
    // Paragraphs of speeches and communiqués on news sites run about 60-150
    // chars: past 70 the odds turn towards a break, and grow with the length.
    score += ((len as f32 - 70.0) / 25.0).clamp(-1.5, 3.0);
    score
}

#[cfg(test)]
mod tests {
    use super::*;

    fn roles(line: &str) -> Vec<(Role, String)> {
        segments(line, crate::knowledge::bundled()).iter().map(|s| (s.role, line[s.start..s.end].to_owned())).collect()
    }

    #[test]
    fn a_header_run_together_is_split_into_its_parts() {
        let line = "新华社天津9月1日电　携手同行　共创未来——在某某峰会上的讲话（2025年9月1日，天津）中华人民共和国主席　习近平  尊敬的各位同事：  很高兴同大家相聚。我们要加强合作。各方要共同努力，推动发展。我们要继续前进。";
        let r = roles(line);
        assert_eq!(r[0], (Role::Dateline, "新华社天津9月1日电".to_owned()));
        assert_eq!(r[1], (Role::Headline, "携手同行　共创未来".to_owned()));
        assert_eq!(r[2], (Role::Subtitle, "——在某某峰会上的讲话".to_owned()));
        assert_eq!(r[3], (Role::DateLine, "（2025年9月1日，天津）".to_owned()));
        assert_eq!(r[4], (Role::Byline, "中华人民共和国主席　习近平".to_owned()));
        assert_eq!(r[5], (Role::Body, "尊敬的各位同事：".to_owned()));
        assert_eq!(r[6].0, Role::Body);
    }

    #[test]
    fn a_caption_with_its_credit_is_set_apart_wherever_it_is() {
        // Between the byline and the address, with no gap after the credit.
        let line = "新华社北京7月4日电某某主题——在某会议上的讲话（2023年7月4日）中华人民共和国主席　习近平　　7月4日下午，国家主席习近平出席会议并发表题为《某某主题》的重要讲话。新华社记者 李学仁 摄尊敬的各位同事：　　感谢主席国的精心准备。　　各位同事！　　我们要团结协作。";
        let r = roles(line);
        let caption = r.iter().find(|(role, _)| *role == Role::Caption).expect("a caption");
        assert_eq!(caption.1, "7月4日下午，国家主席习近平出席会议并发表题为《某某主题》的重要讲话。新华社记者 李学仁 摄");
        let body: Vec<&str> = r.iter().filter(|(role, _)| *role == Role::Body).map(|(_, t)| t.as_str()).collect();
        assert_eq!(body, ["尊敬的各位同事：", "感谢主席国的精心准备。", "各位同事！", "我们要团结协作。"]);
        // At the very top of the page, before the dateline.
        let line = "  8月31日晚，主席在天津举行宴会。这是主席发表致辞。新华社记者 谢环驰 摄  新华社天津8月31日电在某峰会欢迎宴会上的祝酒辞（2025年8月31日，天津）中华人民共和国主席　习近平尊敬的各位来宾：  大家晚上好！  欢迎各位。我们举杯。";
        let r = roles(line);
        assert_eq!(r[0], (Role::Caption, "8月31日晚，主席在天津举行宴会。这是主席发表致辞。新华社记者 谢环驰 摄".to_owned()));
        assert_eq!(r[1].0, Role::Dateline);
        assert_eq!(r[2], (Role::Headline, "在某峰会欢迎宴会上的祝酒辞".to_owned()));
        assert!(r.iter().any(|(role, t)| *role == Role::Body && t == "大家晚上好！"));
    }

    #[test]
    fn page_furniture_is_dropped_whole() {
        let line = "会议在北京举行。各方讨论了合作。会议通过了决议。会议取得成功。各方表示满意。　　（责任编辑：张三）";
        let r = roles(line);
        assert_eq!(r.last(), Some(&(Role::Footer, "（责任编辑：张三）".to_owned())));
        assert!(r.iter().all(|(_, t)| !t.contains("张三") || t.starts_with("（责任编辑")));
    }

    #[test]
    fn a_long_scraped_line_is_cut_in_linear_time() {
        // 40,000 sentences with a gap after each and a credit every 50: a
        // quadratic walk would take minutes.
        let mut line = String::new();
        for i in 0..40_000 {
            line.push_str("我们要继续加强合作，推动共同发展。　　");
            if i % 50 == 0 {
                line.push_str("新华社记者 李学仁 摄");
            }
        }
        let started = std::time::Instant::now();
        let segs = segments(&line, crate::knowledge::bundled());
        assert!(segs.len() > 30_000);
        assert!(started.elapsed() < std::time::Duration::from_secs(20), "{:?}", started.elapsed());
    }

    #[test]
    fn gaps_between_sentences_break_and_a_single_wide_space_in_a_headline_does_not() {
        let gaps = strong_gaps("标题一　标题二。　　第一段。  第二段。");
        assert_eq!(gaps.len(), 2);
        assert!(!is_scraped("短文本。", 4));
    }

    #[test]
    fn without_separators_addresses_openers_and_length_decide() {
        let body = "尊敬的各位同事：感谢大家。各位同事！当前，世界进入动荡变革期。我们要加强合作，推动发展。第一，坚持团结互信。各方要相互尊重，平等相待。第二，坚持互利共赢。各方要共享机遇。谢谢大家！";
        let r = roles(body);
        let paras: Vec<&str> = r.iter().map(|(_, t)| t.as_str()).collect();
        assert_eq!(paras[0], "尊敬的各位同事：");
        assert!(paras.contains(&"各位同事！"), "{paras:?}");
        assert!(paras.iter().any(|p| p.starts_with("第一，")), "{paras:?}");
        assert!(paras.iter().any(|p| p.starts_with("第二，")), "{paras:?}");
        assert_eq!(paras.last(), Some(&"谢谢大家！"));
    }
}
