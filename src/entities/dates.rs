//! Dates in every form the documents use, to ISO 8601.
//!
//! `2014年9月12日`, `2014 年 12 月 14 日至 15 日`, `2016年8月至2017年6月`,
//! `2019 - 2020年`, `二〇一四年九月十二日`, `9月12日` (year from context), ranges
//! across months and years. Impossible dates (`2014年13月45日`) are not dates.
//! A year alone (`2017年`) is a date at year precision unless a name follows
//! it (`2030年可持续发展议程`, see `assets/dates/year_context.tsv`).

use crate::text::{cn_digit, is_inline_space};
use std::sync::OnceLock;

/// A date at year, month or day precision.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize)]
pub enum DatePoint {
    /// `2015`
    Year(i32),
    /// `2016-08`
    Month(i32, u32),
    /// `2014-12-14`
    Day(i32, u32, u32),
}

impl DatePoint {
    /// ISO 8601 at the point's precision.
    pub fn iso(&self) -> String {
        let mut out = String::with_capacity(10);
        self.write_iso(&mut out);
        out
    }

    /// [`Self::iso`] as a [`Name`](crate::model::Name).
    pub fn name(&self) -> crate::model::Name {
        with_iso_buffer(|out| self.write_iso(out))
    }

    /// Appends [`Self::iso`] to `out` (dates are formatted millions of
    /// times in a large corpus: digits are pushed, not formatted).
    fn write_iso(&self, out: &mut String) {
        let (y, rest) = match *self {
            Self::Year(y) => (y, [None, None]),
            Self::Month(y, m) => (y, [Some(m), None]),
            Self::Day(y, m, d) => (y, [Some(m), Some(d)]),
        };
        match u32::try_from(y) {
            Ok(y) if y <= 9999 => push_digits(out, y, 4),
            _ => out.push_str(&format!("{y:04}")),
        }
        for part in rest.into_iter().flatten() {
            out.push('-');
            push_digits(out, part, 2);
        }
    }

    /// The year.
    pub fn year(&self) -> i32 {
        match *self {
            Self::Year(y) | Self::Month(y, _) | Self::Day(y, _, _) => y,
        }
    }

    fn sort_key(&self) -> (i32, u32, u32) {
        match *self {
            Self::Year(y) => (y, 0, 0),
            Self::Month(y, m) => (y, m, 0),
            Self::Day(y, m, d) => (y, m, d),
        }
    }
}

/// A date or a range of dates.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub struct DateValue {
    /// First day (or month, or year).
    pub start: DatePoint,
    /// Last one, for a range.
    pub end: Option<DatePoint>,
}

impl DateValue {
    /// `2014-12-14` or `2014-12-14/2014-12-15`.
    pub fn iso(&self) -> String {
        let mut out = String::with_capacity(21);
        self.write_iso(&mut out);
        out
    }

    /// Appends [`Self::iso`] to `out`.
    fn write_iso(&self, out: &mut String) {
        self.start.write_iso(out);
        if let Some(end) = self.end {
            out.push('/');
            end.write_iso(out);
        }
    }

    /// [`Self::iso`] as a [`Name`](crate::model::Name).
    pub fn name(&self) -> crate::model::Name {
        with_iso_buffer(|out| self.write_iso(out))
    }

    /// The last point (the start when not a range).
    pub fn last(&self) -> DatePoint {
        self.end.unwrap_or(self.start)
    }
}

/// The name of the date `write` puts in an empty string: written in a
/// buffer this thread keeps (a date is named for every mention, millions
/// in a large corpus: a string made and dropped for each costs more than
/// the name).
fn with_iso_buffer(write: impl FnOnce(&mut String)) -> crate::model::Name {
    thread_local! {
        static ISO: std::cell::RefCell<String> = const { std::cell::RefCell::new(String::new()) };
    }
    ISO.with_borrow_mut(|out| {
        out.clear();
        write(out);
        crate::model::Name::from(out.as_str())
    })
}

/// Appends `value` in decimal, zero-padded to at least `width` digits (as
/// `format!("{value:0width$}")`).
fn push_digits(out: &mut String, value: u32, width: usize) {
    let mut digits = [b'0'; 10];
    let mut n = value;
    let mut len = 0;
    while n > 0 || len == 0 {
        digits[len] = b'0' + (n % 10) as u8;
        n /= 10;
        len += 1;
    }
    for _ in len..width {
        out.push('0');
    }
    out.extend(digits[..len].iter().rev().map(|&d| char::from(d)));
}

/// A date found in a text, with its span in chars.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct DateMention {
    /// Start char offset.
    pub start: usize,
    /// End char offset (exclusive).
    pub end: usize,
    /// The date.
    pub value: DateValue,
}

/// Words after `年` that make a bare year part of a name
/// (`2030年可持续发展议程`), from `assets/dates/year_context.tsv`.
fn name_words() -> &'static [String] {
    static W: OnceLock<Vec<String>> = OnceLock::new();
    W.get_or_init(|| {
        include_str!("../../assets/dates/year_context.tsv")
            .lines()
            .filter_map(|line| line.split_once('\t'))
            .filter(|(kind, _)| *kind == "not_after")
            .map(|(_, word)| word.trim().to_owned())
            .filter(|w| !w.is_empty())
            .collect()
    })
}

/// Finds the dates in `chars`. `year` is the document's year (that of its
/// first full date): it completes `9月12日`, and is set by the first full
/// date found when still unknown.
pub fn find_dates(chars: &[char], year: &mut Option<i32>) -> Vec<DateMention> {
    let mut out = Vec::new();
    // Every date form has 年 or 月 in it.
    if !chars.iter().any(|c| matches!(c, '年' | '月')) {
        return out;
    }
    let mut i = 0;
    while let Some(skip) = chars.get(i..).and_then(|rest| rest.iter().position(|&c| starts_number(c))) {
        i += skip;
        if i > 0 && (is_digit(chars[i - 1]) || chars[i - 1].is_ascii_alphabetic() || chars[i - 1] == '.') {
            i += 1;
            continue;
        }
        if let Some(m) = parse_at(chars, i, *year) {
            // The first full date sets the document's year; later years are
            // mostly other events' (`9月12日` means this document's year).
            if year.is_none() && !matches!(m.value.start, DatePoint::Year(_)) {
                *year = Some(m.value.start.year());
            }
            i = m.end;
            out.push(m);
        } else {
            i += 1;
        }
    }
    out
}

fn parse_at(chars: &[char], i: usize, year: Option<i32>) -> Option<DateMention> {
    // `2019 - 2020年`: a year range with 年 only at the end.
    if let Some((y1, j)) = read_year_digits(chars, i) {
        let k = skip_ws(chars, j);
        if k < chars.len() && is_dash(chars[k]) {
            let k = skip_ws(chars, k + 1);
            if let Some((y2, j2)) = read_year_digits(chars, k) {
                let k2 = skip_ws(chars, j2);
                if chars.get(k2) == Some(&'年') && y2 > y1 && valid_year(y1) && valid_year(y2) {
                    // `2019 - 2020年9月` would be odd; accept only a bare year range.
                    return Some(DateMention {
                        start: i,
                        end: k2 + 1,
                        value: DateValue { start: DatePoint::Year(y1), end: Some(DatePoint::Year(y2)) },
                    });
                }
            }
        }
    }
    let (start, j) = parse_point(chars, i, year)?;
    let mut end_idx = j;
    let mut value = DateValue { start, end: None };
    // Range: 至 / 到 / dash, then a tail at the same or coarser-to-finer precision.
    let k = skip_ws(chars, j);
    if k < chars.len() && (matches!(chars[k], '至' | '到' | '~' | '～') || is_dash(chars[k])) {
        let k = skip_ws(chars, k + 1);
        if let Some((tail, j2)) = parse_tail(chars, k, start)
            && tail.sort_key() > start.sort_key()
        {
            value.end = Some(tail);
            end_idx = j2;
        }
    }
    if let DatePoint::Year(_) = value.start
        && value.end.is_none()
        && !year_denotes_time(chars, end_idx)
    {
        return None;
    }
    Some(DateMention { start: i, end: end_idx, value })
}

/// A full point: `Y年`, `Y年M月`, `Y年M月D日`, or `M月D日` with the context year.
fn parse_point(chars: &[char], i: usize, year: Option<i32>) -> Option<(DatePoint, usize)> {
    if let Some((y, j)) = read_year_digits(chars, i) {
        let j = skip_ws(chars, j);
        if chars.get(j) != Some(&'年') || !valid_year(y) {
            return None;
        }
        let after_year = j + 1;
        let k = skip_ws(chars, after_year);
        if let Some((m, d, end)) = read_month_day(chars, k) {
            return match d {
                Some(d) if valid_day(y, m, d) => Some((DatePoint::Day(y, m, d), end)),
                Some(_) => None,
                None => Some((DatePoint::Month(y, m), end)),
            };
        }
        if looks_like_month(chars, k) {
            // `2014年13月…`: a malformed date is no date at all.
            return None;
        }
        return Some((DatePoint::Year(y), after_year));
    }
    let (m, d, end) = read_month_day(chars, i)?;
    let d = d?;
    let y = year?;
    valid_day(y, m, d).then_some((DatePoint::Day(y, m, d), end))
}

/// The end of a range, completing what it leaves out from `start`.
fn parse_tail(chars: &[char], i: usize, start: DatePoint) -> Option<(DatePoint, usize)> {
    if read_year_digits(chars, i).is_some() {
        let (p, j) = parse_point(chars, i, Some(start.year()))?;
        let same_precision = std::mem::discriminant(&p) == std::mem::discriminant(&start);
        return same_precision.then_some((p, j));
    }
    match start {
        DatePoint::Day(y, m, _) => {
            if let Some((m2, Some(d2), j)) = read_month_day(chars, i) {
                return valid_day(y, m2, d2).then_some((DatePoint::Day(y, m2, d2), j));
            }
            let (d2, j) = read_small_number(chars, i, 31)?;
            let j = skip_ws(chars, j);
            matches!(chars.get(j), Some('日' | '号')).then_some(())?;
            valid_day(y, m, d2).then_some((DatePoint::Day(y, m, d2), j + 1))
        }
        DatePoint::Month(y, _) => {
            let (m2, j) = read_small_number(chars, i, 12)?;
            let j = skip_ws(chars, j);
            if chars.get(j) != Some(&'月') || m2 == 0 {
                return None;
            }
            // `8月至9月12日` is not a month range; don't swallow a day.
            Some((DatePoint::Month(y, m2), j + 1))
        }
        DatePoint::Year(_) => None,
    }
}

/// `M月` or `M月D日` (`日` or `号`), spaces allowed.
fn read_month_day(chars: &[char], i: usize) -> Option<(u32, Option<u32>, usize)> {
    let (m, j) = read_small_number(chars, i, 12)?;
    let j = skip_ws(chars, j);
    if chars.get(j) != Some(&'月') || m == 0 {
        return None;
    }
    let after_month = j + 1;
    let k = skip_ws(chars, after_month);
    if let Some((d, k2)) = read_small_number(chars, k, 31) {
        let k2 = skip_ws(chars, k2);
        if matches!(chars.get(k2), Some('日' | '号')) && d > 0 {
            return Some((m, Some(d), k2 + 1));
        }
    }
    Some((m, None, after_month))
}

/// Digits (any number) then `月`: something written as a month.
fn looks_like_month(chars: &[char], i: usize) -> bool {
    let j = chars[i.min(chars.len())..].iter().take_while(|c| is_digit(**c) || cn_digit(**c).is_some() || **c == '十').count();
    j > 0 && chars.get(skip_ws(chars, i + j)) == Some(&'月')
}

fn read_year_digits(chars: &[char], i: usize) -> Option<(i32, usize)> {
    let mut value = 0i32;
    let mut j = i;
    while j < chars.len() && j - i < 5 {
        let d = digit_value(chars[j]).or_else(|| cn_digit(chars[j]))?;
        value = value * 10 + d as i32;
        j += 1;
        if j - i == 4 {
            break;
        }
    }
    if j - i != 4 || chars.get(j).is_some_and(|c| is_digit(*c)) {
        return None;
    }
    Some((value, j))
}

/// 1–2 ASCII/full-width digits, or a Chinese numeral up to `max` (九, 十二, 三十一).
fn read_small_number(chars: &[char], i: usize, max: u32) -> Option<(u32, usize)> {
    let mut j = i;
    let mut value = 0;
    while j < chars.len() && j - i < 2 {
        match digit_value(chars[j]) {
            Some(d) => value = value * 10 + d,
            None => break,
        }
        j += 1;
    }
    if j > i {
        if chars.get(j).is_some_and(|c| is_digit(*c)) {
            return None;
        }
        return (value <= max).then_some((value, j));
    }
    // Chinese numerals: 一 … 九, 十, 十一 … 十九, 二十, 二十一 … 三十一.
    let mut text = String::new();
    while j < chars.len() && j - i < 3 && (cn_digit(chars[j]).is_some_and(|d| d > 0) || chars[j] == '十') {
        text.push(chars[j]);
        j += 1;
    }
    let v = crate::text::parse_number(&text)?;
    (v <= max && v > 0).then_some((v, j))
}

/// A year written alone (`2017年`) is a date at year precision unless a
/// name follows it (`2030年可持续发展议程`).
fn year_denotes_time(chars: &[char], end: usize) -> bool {
    let after: String = chars[end..].iter().skip_while(|c| is_inline_space(**c)).take(8).collect();
    !name_words().iter().any(|w| after.starts_with(w.as_str()))
}

fn skip_ws(chars: &[char], mut i: usize) -> usize {
    while i < chars.len() && is_inline_space(chars[i]) {
        i += 1;
    }
    i
}

/// The chars a number can start with: digits (ASCII and full-width), the
/// Chinese digits and 十, as a bit per char of the Basic Multilingual Plane
/// (one load per char of a text, where a `match` takes a dozen compares).
static NUMBER_STARTS: [u64; 1024] = {
    const CHARS: [char; 32] = [
        '0', '1', '2', '3', '4', '5', '6', '7', '8', '9', '０', '１', '２', '３', '４', '５', '６', '７', '８', '９', '〇', '零',
        '一', '二', '三', '四', '五', '六', '七', '八', '九', '十',
    ];
    let mut bits = [0u64; 1024];
    let mut i = 0;
    while i < CHARS.len() {
        let c = CHARS[i] as usize;
        bits[c / 64] |= 1 << (c % 64);
        i += 1;
    }
    bits
};

/// True if a number (a date) may start with `c`: [`is_digit`], [`cn_digit`] or 十.
fn starts_number(c: char) -> bool {
    NUMBER_STARTS.get(c as usize / 64).is_some_and(|word| (word >> (c as usize % 64)) & 1 == 1)
}

fn is_digit(c: char) -> bool {
    digit_value(c).is_some()
}

fn digit_value(c: char) -> Option<u32> {
    match c {
        '0'..='9' => Some(c as u32 - '0' as u32),
        '０'..='９' => Some(c as u32 - '０' as u32),
        _ => None,
    }
}

fn is_dash(c: char) -> bool {
    matches!(c, '-' | '－' | '—' | '–' | '‒' | '―' | '−')
}

fn valid_year(y: i32) -> bool {
    (1900..=2100).contains(&y)
}

fn valid_day(y: i32, m: u32, d: u32) -> bool {
    let days = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        2 => 28,
        _ => return false,
    };
    (1..=days).contains(&d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iso_digits_are_what_format_writes() {
        for y in [0, 7, 98, 999, 2014, 9999, 10_000, -5] {
            for (m, d) in [(1, 2), (9, 30), (12, 31)] {
                assert_eq!(DatePoint::Year(y).iso(), format!("{y:04}"));
                assert_eq!(DatePoint::Month(y, m).iso(), format!("{y:04}-{m:02}"));
                assert_eq!(DatePoint::Day(y, m, d).iso(), format!("{y:04}-{m:02}-{d:02}"));
                for point in [DatePoint::Year(y), DatePoint::Month(y, m), DatePoint::Day(y, m, d)] {
                    assert_eq!(point.name().as_str(), point.iso());
                }
            }
        }
        let range = DateValue { start: DatePoint::Day(2014, 9, 11), end: Some(DatePoint::Day(2014, 9, 12)) };
        assert_eq!(range.iso(), "2014-09-11/2014-09-12");
        // Named through one buffer, each name is its own string.
        let single = DateValue { start: DatePoint::Month(2001, 6), end: None };
        let (a, b) = (range.name(), single.name());
        assert_eq!((a.as_str(), b.as_str()), ("2014-09-11/2014-09-12", "2001-06"));
    }

    fn iso(text: &str) -> Vec<(String, String)> {
        let chars: Vec<char> = text.chars().collect();
        let mut year = None;
        find_dates(&chars, &mut year).into_iter().map(|m| (chars[m.start..m.end].iter().collect(), m.value.iso())).collect()
    }

    fn one(text: &str) -> String {
        iso(text).into_iter().map(|(_, v)| v).collect::<Vec<_>>().join(" ")
    }

    #[test]
    fn number_starts_are_digits_chinese_digits_and_ten() {
        for c in (0..0x11000).filter_map(char::from_u32) {
            assert_eq!(starts_number(c), is_digit(c) || cn_digit(c).is_some() || c == '十', "{c:?}");
        }
    }

    #[test]
    fn full_dates_and_spaced_dates() {
        assert_eq!(one("2014年9月12日在杜尚别"), "2014-09-12");
        assert_eq!(
            iso("于 2014 年 12 月 14 日至 15 日举行"),
            vec![("2014 年 12 月 14 日至 15 日".to_owned(), "2014-12-14/2014-12-15".to_owned())]
        );
        assert_eq!(one("二〇一四年九月十二日"), "2014-09-12");
    }

    #[test]
    fn ranges_across_months_and_years() {
        assert_eq!(one("(2016年8月至2017年6月,阿斯塔纳)"), "2016-08/2017-06");
        assert_eq!(one("(2017年1月29日至2月8日,阿拉木图)"), "2017-01-29/2017-02-08");
        assert_eq!(one("担任2020 - 2021年上合组织轮值主席国"), "2020/2021");
        assert_eq!(one("担任 2021 年至 2022 年轮值主席国"), "2021/2022");
        assert_eq!(one("2017-2018 年联合国安理会非常任理事国"), "2017/2018");
    }

    #[test]
    fn month_day_takes_the_year_from_context() {
        let chars: Vec<char> = "（新华社杜尚别9月12日电）".chars().collect();
        let mut year = Some(2014);
        assert_eq!(find_dates(&chars, &mut year)[0].value.iso(), "2014-09-12");
        let mut none = None;
        assert!(find_dates(&chars, &mut none).is_empty());
    }

    #[test]
    fn bare_years_are_dates_at_year_precision() {
        assert_eq!(one("批准了本组织2015年预算"), "2015");
        assert_eq!(one("2017年，我们在阿斯塔纳举行会议"), "2017");
        assert_eq!(one("推动2025年成为发展之年"), "2025");
        assert_eq!(one("二〇二五年是重要的一年"), "2025");
        assert_eq!(one("面向2035年远景目标"), "");
        assert_eq!(one("下次会议将于2015年在中华人民共和国举行"), "2015");
        assert_eq!(one("，2015年上合组织成员国将广泛庆祝"), "2015");
        assert_eq!(one("应继续落实2030年可持续发展议程"), "");
        assert_eq!(one("提供50亿美元贷款"), "");
    }

    #[test]
    fn impossible_dates_are_not_dates() {
        assert_eq!(one("2014年13月45日"), "");
        assert_eq!(one("2015年2月29日"), "");
        assert_eq!(one("2016年2月29日"), "2016-02-29");
        assert_eq!(one("12345年"), "");
    }
}
