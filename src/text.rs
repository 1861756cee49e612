//! Character classes and small text helpers shared by the cleaner and the
//! extractors. Every fold here maps one `char` to one `char`, so offsets
//! computed on folded text are valid on the original.

/// A Han ideograph (CJK unified ideographs and their extensions, compatibility ideographs, 〇).
pub fn is_han(c: char) -> bool {
    matches!(c,
        '\u{4e00}'..='\u{9fff}' | '\u{3400}'..='\u{4dbf}' | '\u{f900}'..='\u{faff}'
        | '\u{20000}'..='\u{2ffff}' | '\u{30000}'..='\u{3134f}' | '〇')
}

/// The main block of CJK unified ideographs (U+4E00–U+9FFF), which makes up
/// most of a Chinese text: every per-char rule tests this first, as none of
/// these chars is a space, a punctuation mark or invisible.
#[inline]
pub fn is_common_han(c: char) -> bool {
    ('\u{4e00}'..='\u{9fff}').contains(&c)
}

/// Byte just past the run of common Han chars ([`is_common_han`]) that
/// starts at byte `from` of `s` (`from` itself when none starts there).
///
/// The hot per-char loops skip such runs with this: their chars are read
/// by their first byte alone (UTF-8 `E4 B8..`–`E9 ..`, three bytes each), not
/// decoded one by one. `from` must be a char boundary; so is the result.
#[inline]
pub fn common_han_run_end(s: &str, from: usize) -> usize {
    let bytes = s.as_bytes();
    let mut i = from;
    while let Some(&b) = bytes.get(i) {
        // E5–E9 lead U+5000–U+9FFF; E4 leads U+4000–U+4FFF, common from E4 B8 (U+4E00).
        let common = (0xe5..=0xe9).contains(&b) || (b == 0xe4 && bytes.get(i + 1).is_some_and(|&n| n >= 0xb8));
        if !common {
            break;
        }
        i += 3;
    }
    i
}

/// A piece of text as the fast per-char loops see it: a run of common Han
/// chars (nothing to decode, nothing special), or one other char.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stretch {
    /// Common Han chars from byte `start` to `end`: `(end - start) / 3` of them.
    Han {
        /// First byte.
        start: usize,
        /// Byte past the run.
        end: usize,
    },
    /// Any other char, at byte `start`.
    Other {
        /// Its first byte.
        start: usize,
        /// The char.
        c: char,
    },
}

/// `s` as runs of common Han chars and single other chars, in order.
pub fn stretches(s: &str) -> impl Iterator<Item = Stretch> + '_ {
    let mut pos = 0;
    std::iter::from_fn(move || {
        let end = common_han_run_end(s, pos);
        if end > pos {
            let start = std::mem::replace(&mut pos, end);
            return Some(Stretch::Han { start, end });
        }
        let c = s.get(pos..)?.chars().next()?;
        let start = pos;
        pos += c.len_utf8();
        Some(Stretch::Other { start, c })
    })
}

/// A small set of chars (the first chars of a word list) asked about every
/// char of a text: a 128-bit filter answers "no" for most chars at once.
#[derive(Clone, Debug, Default)]
pub struct CharSet {
    sorted: Vec<char>,
    filter: u128,
}

impl CharSet {
    /// The set of `chars`.
    pub fn new(chars: impl IntoIterator<Item = char>) -> Self {
        let mut sorted: Vec<char> = chars.into_iter().collect();
        sorted.sort_unstable();
        sorted.dedup();
        let filter = sorted.iter().fold(0u128, |f, &c| f | Self::bit(c));
        Self { sorted, filter }
    }

    /// The set of the first chars of `words`.
    pub fn first_chars<'a>(words: impl IntoIterator<Item = &'a str>) -> Self {
        Self::new(words.into_iter().filter_map(|w| w.chars().next()))
    }

    fn bit(c: char) -> u128 {
        1u128 << (u32::from(c) % 128)
    }

    /// True if `c` is in the set.
    #[inline]
    pub fn contains(&self, c: char) -> bool {
        self.filter & Self::bit(c) != 0 && self.sorted.binary_search(&c).is_ok()
    }
}

/// A character of Chinese running text: ideographs, CJK and full-width punctuation, Chinese quotes.
pub fn is_cjk(c: char) -> bool {
    is_han(c)
        || matches!(c,
            '\u{3001}'..='\u{303f}' | '\u{ff01}'..='\u{ff60}' | '\u{ffe0}'..='\u{ffee}'
            | '“' | '”' | '‘' | '’' | '—' | '…' | '·' | '・')
}

/// Whitespace that may appear inside a line (ASCII, NBSP, ideographic space, tab).
pub fn is_inline_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\u{a0}' | '\u{3000}' | '\u{2002}'..='\u{200a}' | '\u{202f}' | '\u{205f}')
}

/// Invisible characters that carry no text: zero-width spaces and joiners,
/// BOMs, bidi controls, soft hyphens.
pub fn is_invisible(c: char) -> bool {
    matches!(c,
        '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2060}'..='\u{2064}'
        | '\u{2066}'..='\u{2069}' | '\u{feff}' | '\u{ad}' | '\u{061c}')
}

/// Folds full-width ASCII to half-width and unifies brackets, dashes and
/// quotes, one char to one char.
pub fn fold_char(c: char) -> char {
    match c {
        '\u{ff01}'..='\u{ff5e}' => char::from_u32(c as u32 - 0xfee0).unwrap_or(c),
        '\u{3000}' => ' ',
        '—' | '–' | '‒' | '―' | '−' | '﹣' => '-',
        '〈' | '‹' | '⟨' => '<',
        '〉' | '›' | '⟩' => '>',
        '«' => '《',
        '»' => '》',
        '“' | '”' | '„' | '‟' | '″' => '"',
        '‘' | '’' => '\'',
        _ => c,
    }
}

/// The marks [`fold_char`] turns into another mark, as `(from, to)`: what
/// [`chars_folding_to`] reads backwards (a test holds the two together).
const FOLDED_MARKS: &[(char, char)] = &[
    ('\u{3000}', ' '),
    ('—', '-'),
    ('–', '-'),
    ('‒', '-'),
    ('―', '-'),
    ('−', '-'),
    ('﹣', '-'),
    ('〈', '<'),
    ('‹', '<'),
    ('⟨', '<'),
    ('〉', '>'),
    ('›', '>'),
    ('⟩', '>'),
    ('«', '《'),
    ('»', '》'),
    ('“', '"'),
    ('”', '"'),
    ('„', '"'),
    ('‟', '"'),
    ('″', '"'),
    ('‘', '\''),
    ('’', '\''),
];

/// Every char that [`fold_char`] turns into `c`: `c` itself when it is
/// folded already, its full-width form, the marks unified with it. Empty
/// for a char that folding never gives (full-width `Ａ`).
pub fn chars_folding_to(c: char) -> Vec<char> {
    let mut out = Vec::with_capacity(2);
    if fold_char(c) == c {
        out.push(c);
    }
    if ('\u{21}'..='\u{7e}').contains(&c)
        && let Some(wide) = char::from_u32(c as u32 + 0xfee0)
    {
        out.push(wide);
    }
    out.extend(FOLDED_MARKS.iter().filter(|(_, to)| *to == c).map(|(from, _)| *from));
    out
}

/// [`fold_char`] over a string (same length in chars).
pub fn fold(s: &str) -> String {
    s.chars().map(fold_char).collect()
}

/// Display width: 2 for wide (CJK, full-width) characters, 1 otherwise.
pub fn display_width(s: &str) -> usize {
    s.chars().map(|c| if is_cjk(c) || c == '\u{3000}' { 2 } else { 1 }).sum()
}

/// Sentence-final punctuation (a paragraph may end after it).
pub fn is_terminal_punct(c: char) -> bool {
    matches!(c, '。' | '！' | '？' | '；' | '!' | '?' | ';' | '…' | '：' | ':' | '.')
}

/// Closing marks that may follow a terminal mark (`。”`, `。）`).
pub fn is_closing_mark(c: char) -> bool {
    matches!(c, '”' | '’' | '"' | '\'' | '）' | ')' | '」' | '』' | '》' | '】' | '〕')
}

/// Clause punctuation inside a sentence.
pub fn is_clause_punct(c: char) -> bool {
    matches!(c, '，' | '、' | '；' | '：' | '。' | ',' | ';' | '！' | '？')
}

/// Byte offset of char index `char_idx` in `s` (or `s.len()` past the end).
pub fn byte_of_char(s: &str, char_idx: usize) -> usize {
    s.char_indices().nth(char_idx).map_or(s.len(), |(b, _)| b)
}

/// A table from byte offset to char offset for one string, for converting
/// many match positions at once.
pub struct CharIndex {
    /// `starts[i]` = byte offset of char i; one extra entry for the end.
    starts: Vec<u32>,
}

impl CharIndex {
    /// Builds the table for `s`.
    pub fn new(s: &str) -> Self {
        let mut starts: Vec<u32> = s.char_indices().map(|(b, _)| b as u32).collect();
        starts.push(s.len() as u32);
        Self { starts }
    }

    /// Char offset of a byte offset that lies on a char boundary (or the
    /// char containing it otherwise).
    pub fn char_of_byte(&self, byte: usize) -> usize {
        match self.starts.binary_search(&(byte as u32)) {
            Ok(i) => i,
            Err(i) => i.saturating_sub(1),
        }
    }

    /// Byte offset of a char offset.
    pub fn byte_of_char(&self, ch: usize) -> usize {
        self.starts.get(ch).copied().unwrap_or_else(|| self.starts.last().copied().unwrap_or(0)) as usize
    }

    /// Number of chars.
    pub fn len(&self) -> usize {
        self.starts.len() - 1
    }

    /// True for the empty string.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// Value of a Chinese numeral up to the thousands (`十三` → 13, `二十一` →
/// 21, `一百零五` → 105) or of ASCII digits; `None` for anything else.
pub fn parse_number(s: &str) -> Option<u32> {
    if s.is_empty() {
        return None;
    }
    if s.chars().all(|c| c.is_ascii_digit()) {
        return s.parse().ok();
    }
    if s.chars().all(|c| ('０'..='９').contains(&c)) {
        return fold(s).parse().ok();
    }
    let mut total = 0u32;
    let mut current = 0u32;
    let mut seen = false;
    for c in s.chars() {
        let digit = if c == '两' { Some(2) } else { cn_digit(c) };
        if let Some(d) = digit {
            current = d;
            seen = true;
            continue;
        }
        let unit = match c {
            '十' => 10,
            '百' => 100,
            '千' => 1000,
            _ => return None,
        };
        total += if current == 0 && unit == 10 && !seen { 1 } else { current } * unit;
        current = 0;
        seen = true;
    }
    seen.then_some(total + current)
}

/// Value of a Chinese digit: 〇/零 → 0, 一 → 1 … 九 → 9.
pub fn cn_digit(c: char) -> Option<u32> {
    Some(match c {
        '〇' | '零' => 0,
        '一' => 1,
        '二' => 2,
        '三' => 3,
        '四' => 4,
        '五' => 5,
        '六' => 6,
        '七' => 7,
        '八' => 8,
        '九' => 9,
        _ => return None,
    })
}

/// A year written digit by digit in Chinese numerals (`二〇一四` → 2014).
pub fn parse_digit_string(s: &str) -> Option<u32> {
    let mut value = 0u32;
    let mut n = 0;
    for c in s.chars() {
        let d = match c {
            '0'..='9' => c as u32 - '0' as u32,
            '０'..='９' => c as u32 - '０' as u32,
            // OCR sometimes reads 〇 as a letter O.
            'О' | 'o' | 'O' => 0,
            _ => cn_digit(c)?,
        };
        value = value.checked_mul(10)?.checked_add(d)?;
        n += 1;
    }
    (n > 0).then_some(value)
}

/// A fixed list of phrases (the verbs or final words of a rule) found all
/// at once in a short text: one automaton pass instead of a `str::find` per
/// phrase, each of which sets up its own searcher.
pub struct PhraseSet {
    automaton: Option<aho_corasick::AhoCorasick>,
}

/// One occurrence of a phrase: byte span and the phrase's index in the list.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Occurrence {
    /// Start byte.
    pub start: usize,
    /// End byte (exclusive).
    pub end: usize,
    /// Index of the phrase in the list it was built from.
    pub phrase: usize,
}

impl PhraseSet {
    /// Builds the set; phrase indexes are positions in `phrases`.
    pub fn new<S: AsRef<str>>(phrases: &[S]) -> Self {
        let automaton = aho_corasick::AhoCorasick::new(phrases.iter().map(AsRef::as_ref)).ok();
        Self { automaton }
    }

    /// Every occurrence of every phrase in `text`, overlapping ones included.
    pub fn occurrences<'a>(&'a self, text: &'a str) -> impl Iterator<Item = Occurrence> + 'a {
        self.automaton.iter().flat_map(move |ac| {
            ac.find_overlapping_iter(text).map(|m| Occurrence { start: m.start(), end: m.end(), phrase: m.pattern().as_usize() })
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The run's end found char by char, as [`common_han_run_end`] defines it.
    fn han_run_end_char_by_char(s: &str, from: usize) -> usize {
        s[from..].char_indices().find(|(_, c)| !is_common_han(*c)).map_or(s.len(), |(b, _)| from + b)
    }

    #[test]
    fn han_runs_end_where_the_first_other_char_starts() {
        // Chars of every width and every lead byte near the edges: ASCII, Latin,
        // CJK punctuation (E3), rare Han (E4 B4), common Han (E4 B8 – E9), full-width (EF), astral.
        let alphabet: Vec<char> = "a7 é—、《㐀䶵一上中为龟齐鿿龥，（𠀀😀\u{4dff}\u{4e00}".chars().collect();
        let mut rng = fastrand::Rng::with_seed(11);
        for _ in 0..3000 {
            // Mostly common Han, so that runs are long, broken by other chars.
            let text: String = (0..rng.usize(..40))
                .map(|_| if rng.usize(..3) == 0 { alphabet[rng.usize(..alphabet.len())] } else { '国' })
                .collect();
            for (from, _) in text.char_indices() {
                assert_eq!(common_han_run_end(&text, from), han_run_end_char_by_char(&text, from), "{text:?} from {from}");
            }
            assert_eq!(common_han_run_end(&text, text.len()), text.len());
        }
    }

    #[test]
    fn chars_folding_to_is_fold_char_read_backwards() {
        for c in (0..=0x10ffff).filter_map(char::from_u32) {
            let folded = fold_char(c);
            assert!(chars_folding_to(folded).contains(&c), "{c:?} folds to {folded:?}");
            for from in chars_folding_to(c) {
                assert_eq!(fold_char(from), c, "{from:?} listed as folding to {c:?}");
            }
        }
    }

    #[test]
    fn common_han_runs_end_where_the_chars_say() {
        let samples =
            ["上海合作组织", "会议，在", "䷀䷁一丁", "\u{4dff}\u{4e00}\u{9fff}\u{a000}", "鿿", "abc", "", "乌兹别克斯坦𠀀"];
        for s in samples {
            for (from, _) in s.char_indices().chain([(s.len(), ' ')]) {
                let expected = s[from..].char_indices().find(|&(_, c)| !is_common_han(c)).map_or(s.len(), |(b, _)| from + b);
                assert_eq!(common_han_run_end(s, from), expected, "{s:?} from {from}");
            }
        }
    }

    #[test]
    fn stretches_cover_the_text_in_order() {
        let s = "上海合作组织 ，x\u{3000}会议。䷀一";
        let mut rebuilt = String::new();
        let mut last_was_han = false;
        for stretch in stretches(s) {
            match stretch {
                Stretch::Han { start, end } => {
                    assert!(!last_was_han && end > start && s[start..end].chars().all(is_common_han));
                    rebuilt.push_str(&s[start..end]);
                    last_was_han = true;
                }
                Stretch::Other { start, c } => {
                    assert!(!is_common_han(c) && s[start..].starts_with(c));
                    rebuilt.push(c);
                    last_was_han = false;
                }
            }
        }
        assert_eq!(rebuilt, s);
        assert_eq!(stretches("").count(), 0);
    }

    #[test]
    fn numbers() {
        assert_eq!(parse_number("十三"), Some(13));
        assert_eq!(parse_number("二十一"), Some(21));
        assert_eq!(parse_number("十"), Some(10));
        assert_eq!(parse_number("一百零五"), Some(105));
        assert_eq!(parse_number("19"), Some(19));
        assert_eq!(parse_number("abc"), None);
        assert_eq!(parse_digit_string("二〇一四"), Some(2014));
    }

    #[test]
    fn folding_keeps_length() {
        let s = "《上合组织〈纲要〉》（２０１４）—“x”";
        assert_eq!(fold(s).chars().count(), s.chars().count());
        assert_eq!(fold("（２０１４－２０１６）"), "(2014-2016)");
    }

    #[test]
    fn phrase_sets_find_every_occurrence_as_find_would() {
        let words = ["举行", "举行的", "会议", "议"];
        let set = PhraseSet::new(&words);
        let text = "在北京举行的会议和会议";
        let mut found: Vec<(usize, usize, usize)> = set.occurrences(text).map(|o| (o.start, o.end, o.phrase)).collect();
        found.sort_unstable();
        let mut expected = Vec::new();
        for (i, w) in words.iter().enumerate() {
            expected.extend(text.match_indices(w).map(|(b, _)| (b, b + w.len(), i)));
        }
        expected.sort_unstable();
        assert_eq!(found, expected);
        assert_eq!(PhraseSet::new::<&str>(&[]).occurrences(text).count(), 0);
    }
}
