//! Raw text → the paragraphs a careful editor would produce.
//!
//! Documents arrive as PDF or web extractions: lines broken inside words
//! (often with blank lines between the pieces), stray spaces between Chinese
//! characters, page numbers, running headers and web debris. The cleaner
//! works in three steps:
//! 1. split the text into lines (Markdown is parsed with pulldown-cmark, so
//!    markup never leaks into the text; `#` headings in plain text are kept);
//! 2. classify each line: blank, debris (with a reason) or content;
//! 3. join content lines into paragraphs by rules on punctuation, line width
//!    and the shape of the gaps between lines, removing stray spaces.
//!
//! Every paragraph keeps a map from its characters back to the source line
//! and column, and every removed line is listed with its reason, so nothing
//! is dropped silently.

use crate::knowledge::Knowledge;
use crate::model::{Paragraph, ParagraphText, SourceRun};
use crate::text::{
    CharSet, Stretch, is_cjk, is_clause_punct, is_closing_mark, is_common_han, is_han, is_inline_space, is_invisible,
    is_terminal_punct, stretches,
};
use rustc_hash::FxHashMap;
use serde::Serialize;
use std::sync::OnceLock;

/// Why a line was removed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DebrisReason {
    /// A page number alone on a line (`- 3 -`, `第 3 页`).
    PageNumber,
    /// A header repeated at the top of pages.
    RunningHeader,
    /// A web timestamp (`2020-12-01 08:34`).
    Timestamp,
    /// A bare URL.
    Url,
    /// Web page furniture (`责任编辑：…`, `分享到`, `【打印】`, preview notices).
    WebFurniture,
    /// A photo caption with its credit (`…新华社记者 某某 摄`), kept as the
    /// document's caption.
    Caption,
    /// A news agency's dateline (`新华社北京7月4日电`), kept as metadata.
    Dateline,
}

/// A source line that the cleaner dropped.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RemovedLine {
    /// 0-based source line.
    pub line: u32,
    /// The line as it was.
    pub text: String,
    /// Why it was dropped.
    pub reason: DebrisReason,
}

/// The cleaner's output.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Cleaned {
    /// Paragraphs in order; none is empty.
    pub paragraphs: Vec<Paragraph>,
    /// Lines dropped as debris.
    pub removed: Vec<RemovedLine>,
}

impl Cleaned {
    /// The dateline of a scraped page (`新华社天津9月1日电`), if the cleaner set one apart.
    pub fn dateline(&self) -> Option<String> {
        self.removed.iter().find(|r| r.reason == DebrisReason::Dateline).map(|r| r.text.trim().to_owned())
    }

    /// The photo captions the cleaner set apart, in order.
    pub fn captions(&self) -> Vec<String> {
        self.removed.iter().filter(|r| r.reason == DebrisReason::Caption).map(|r| r.text.trim().to_owned()).collect()
    }
}

/// How the cleaner reads a text's lines.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Layout {
    /// Plain text as saved or extracted: paragraphs are recovered from line
    /// widths, punctuation and gaps.
    Plain,
    /// Markdown, parsed with pulldown-cmark.
    Markdown,
    /// Paragraphs known from the file's structure (HTML blocks, Word
    /// paragraphs): a blank line always ends a paragraph; lines inside one
    /// (`<br>`) are joined by the plain rules.
    Blocks,
    /// Paragraphs known from the page's geometry (a PDF's indents, gaps and
    /// short last lines): a blank line ends a paragraph, and only a blank
    /// line or a heading; the lines between are joined.
    Paragraphs,
}

/// Cleans a decoded document. `markdown` selects the pulldown-cmark reader.
pub fn clean(text: &str, markdown: bool, knowledge: &Knowledge) -> Cleaned {
    clean_as(text, if markdown { Layout::Markdown } else { Layout::Plain }, knowledge)
}

/// Cleans a document whose lines are laid out as `layout` says: plain text,
/// Markdown, or blocks known from the file's structure (a blank line always
/// ends a paragraph there).
pub fn clean_as(text: &str, layout: Layout, knowledge: &Knowledge) -> Cleaned {
    let markdown = layout == Layout::Markdown;
    let lines = match layout {
        Layout::Markdown => markdown_lines(text),
        Layout::Plain => recover_scraped(plain_lines(text), knowledge),
        // Blocks that are really a hard-wrapped text pasted line by line
        // are read as plain text, whose rules rejoin them.
        Layout::Blocks if !hard_wrapped_blocks(text) => recover_scraped(block_lines(text), knowledge),
        Layout::Blocks => recover_scraped(plain_lines(text), knowledge),
        Layout::Paragraphs => block_lines(text),
    };
    let (mut kinds, mut reasons) = classify(&lines, (!markdown).then_some(text));
    // What the later rules ask about a content line, measured once.
    let facts: Vec<Option<Facts>> =
        lines.iter().zip(&kinds).map(|(line, kind)| (*kind == Kind::Content).then(|| Facts::of(&line.text, knowledge))).collect();
    mark_running_headers(&lines, &facts, &mut kinds, &mut reasons);
    let removed = reasons
        .iter()
        .enumerate()
        .filter_map(|(i, r)| r.map(|reason| RemovedLine { line: lines[i].first_line, text: lines[i].text.to_string(), reason }))
        .collect();
    let paragraphs = join(&lines, &kinds, facts, knowledge, layout == Layout::Paragraphs);
    Cleaned { paragraphs, removed }
}

/// Cuts each line of scraped web text ([`web::is_scraped`]) into the
/// segments an editor would write: each becomes a line of its own (borrowing
/// the source, so the source map stays exact), with a hard break after it.
fn recover_scraped<'a>(lines: Vec<Line<'a>>, knowledge: &Knowledge) -> Vec<Line<'a>> {
    let doc_chars: usize = lines.iter().map(|l| l.text.len() / 3).sum();
    if !lines.iter().any(|l| web::is_scraped(&l.text, doc_chars)) {
        return lines;
    }
    let mut out = Vec::with_capacity(lines.len());
    for line in lines {
        let std::borrow::Cow::Borrowed(raw) = line.text else {
            out.push(line);
            continue;
        };
        if line.heading.is_some() || !line.pieces.is_empty() || !web::is_scraped(raw, doc_chars) {
            out.push(line);
            continue;
        }
        for seg in web::segments(raw, knowledge) {
            let heading = match seg.role {
                web::Role::Headline => Some(1),
                web::Role::Subtitle => Some(2),
                _ => None,
            };
            out.push(Line {
                text: std::borrow::Cow::Borrowed(&raw[seg.start..seg.end]),
                heading,
                pieces: Vec::new(),
                first_line: line.first_line,
                first_column: line.first_column + raw[..seg.start].chars().count() as u32,
                block_end: true,
                role: Some(seg.role),
            });
        }
    }
    out
}

// ---------------------------------------------------------------------------
// Step 1: lines

#[derive(Clone, Debug)]
struct Piece {
    /// Char index in `Line::text` where this piece starts.
    start: u32,
    line: u32,
    column: u32,
}

#[derive(Clone, Debug)]
struct Line<'a> {
    text: std::borrow::Cow<'a, str>,
    heading: Option<u8>,
    /// Where parts of `text` come from (Markdown); empty for a plain line,
    /// which is `first_line` from `first_column` on.
    pieces: Vec<Piece>,
    /// Source line number of the first piece (for reports).
    first_line: u32,
    first_column: u32,
    /// A Markdown block ended after this line (a hard paragraph boundary).
    block_end: bool,
    /// What the line is, when it is a segment of scraped web text.
    role: Option<web::Role>,
}

impl Line<'_> {
    /// An empty owned line (the Markdown reader fills it piece by piece).
    fn empty() -> Line<'static> {
        Line {
            text: std::borrow::Cow::Owned(String::new()),
            heading: None,
            pieces: Vec::new(),
            first_line: 0,
            first_column: 0,
            block_end: false,
            role: None,
        }
    }

    fn position(&self, char_idx: u32) -> (u32, u32) {
        if self.pieces.is_empty() {
            return (self.first_line, self.first_column + char_idx);
        }
        let idx = self.pieces.partition_point(|p| p.start <= char_idx).saturating_sub(1);
        match self.pieces.get(idx) {
            Some(p) => (p.line, p.column + char_idx.saturating_sub(p.start)),
            None => (self.first_line, char_idx),
        }
    }
}

fn plain_lines(text: &str) -> Vec<Line<'_>> {
    let mut lines = Vec::with_capacity(memchr::memchr_iter(b'\n', text.as_bytes()).count() + 1);
    // Split at each `\n` with the memchr crate's vector search (`str::split`
    // runs a slower generic one per line).
    let mut from = 0;
    let raw_lines = memchr::memchr_iter(b'\n', text.as_bytes()).chain(std::iter::once(text.len())).map(|nl| {
        let raw = &text[from..nl];
        from = nl + 1;
        raw
    });
    lines.extend(raw_lines.enumerate().map(|(n, raw)| {
        let n = n as u32;
        let (heading, skip) = atx_heading(raw);
        let content = match heading {
            Some(_) => {
                let byte = raw.char_indices().nth(skip).map_or(raw.len(), |(b, _)| b);
                raw[byte..].trim_end().trim_end_matches('#')
            }
            None => raw,
        };
        Line {
            text: std::borrow::Cow::Borrowed(content),
            heading,
            pieces: Vec::new(),
            first_line: n,
            first_column: skip as u32,
            block_end: false,
            role: None,
        }
    }));
    lines
}

/// Plain lines where a line followed by a blank one (or the end) ends its block.
fn block_lines(text: &str) -> Vec<Line<'_>> {
    let mut lines = plain_lines(text);
    let mut next_blank = true;
    for line in lines.iter_mut().rev() {
        let blank = line.text.trim().is_empty();
        if !blank && next_blank {
            line.block_end = true;
        }
        next_blank = blank;
    }
    lines
}

/// Whether the blocks of a structured text (a Word file's paragraphs) are
/// the lines of a hard-wrapped text: most stop without terminal punctuation
/// at one width (within three characters), as a PDF's lines pasted into
/// Word do.
fn hard_wrapped_blocks(text: &str) -> bool {
    let mut widths: FxHashMap<usize, usize> = FxHashMap::default();
    let mut blocks = 0usize;
    for block in text.split("\n\n").map(str::trim).filter(|b| !b.is_empty() && !b.starts_with('#')) {
        blocks += 1;
        let last = block.trim_end_matches(is_closing_mark).chars().next_back();
        if !last.is_some_and(is_terminal_punct) {
            *widths.entry(block.chars().count()).or_default() += 1;
        }
    }
    let best = widths.keys().map(|&w| (w.saturating_sub(3)..=w).filter_map(|x| widths.get(&x)).sum::<usize>()).max();
    best.is_some_and(|near| near >= 5 && near * 10 >= blocks * 4)
}

/// `### title` → (Some(3), chars to skip).
fn atx_heading(raw: &str) -> (Option<u8>, usize) {
    // Most lines start with neither `#` nor a space: no counting for them.
    if !raw.starts_with(['#', ' ', '\u{3000}']) {
        return (None, 0);
    }
    let trimmed = raw.trim_start_matches([' ', '\u{3000}']);
    let lead = raw.chars().count() - trimmed.chars().count();
    let hashes = trimmed.chars().take_while(|&c| c == '#').count();
    if (1..=6).contains(&hashes) {
        let rest = &trimmed[hashes..];
        if rest.starts_with([' ', '\t', '\u{3000}']) {
            let spaces = rest.chars().take_while(|&c| is_inline_space(c)).count();
            return (Some(hashes as u8), lead + hashes + spaces);
        }
    }
    (None, 0)
}

fn markdown_lines(text: &str) -> Vec<Line<'static>> {
    use pulldown_cmark::{Event, HeadingLevel, Parser, Tag, TagEnd};
    let line_starts: Vec<usize> = std::iter::once(0).chain(text.match_indices('\n').map(|(i, _)| i + 1)).collect();
    let pos_of = |byte: usize| -> (u32, u32) {
        let line = line_starts.partition_point(|&s| s <= byte).saturating_sub(1);
        let col = text.get(line_starts[line]..byte).map_or(0, |s| s.chars().count());
        (line as u32, col as u32)
    };
    let mut lines = Vec::new();
    let mut current = Line::empty();
    let mut heading = None;
    let flush = |current: &mut Line<'static>, lines: &mut Vec<Line<'static>>, heading: Option<u8>, block_end: bool| {
        if !current.text.is_empty() {
            let mut line = std::mem::replace(current, Line::empty());
            line.heading = heading;
            line.block_end = block_end;
            lines.push(line);
        } else if block_end && let Some(last) = lines.last_mut() {
            last.block_end = true;
        }
    };
    for (event, range) in Parser::new(text).into_offset_iter() {
        match event {
            Event::Start(Tag::Heading { level, .. }) => {
                flush(&mut current, &mut lines, None, true);
                heading = Some(match level {
                    HeadingLevel::H1 => 1,
                    HeadingLevel::H2 => 2,
                    HeadingLevel::H3 => 3,
                    HeadingLevel::H4 => 4,
                    HeadingLevel::H5 => 5,
                    HeadingLevel::H6 => 6,
                });
            }
            Event::End(TagEnd::Heading(_)) => {
                flush(&mut current, &mut lines, heading, true);
                heading = None;
            }
            Event::End(
                TagEnd::Paragraph
                | TagEnd::Item
                | TagEnd::BlockQuote(_)
                | TagEnd::CodeBlock
                | TagEnd::TableRow
                | TagEnd::TableHead,
            ) => {
                flush(&mut current, &mut lines, heading, true);
            }
            Event::Text(t) | Event::Code(t) => {
                let (line, column) = pos_of(range.start);
                if current.pieces.is_empty() {
                    current.first_line = line;
                }
                let start = current.text.chars().count() as u32;
                // Text that differs from its source (escapes, entities) maps to its start.
                if text.get(range.clone()) == Some(&*t) || !t.contains('\n') {
                    current.pieces.push(Piece { start, line, column });
                    for (i, part) in t.split('\n').enumerate() {
                        if i > 0 {
                            flush(&mut current, &mut lines, heading, false);
                            current.first_line = line + i as u32;
                            current.pieces.push(Piece { start: 0, line: line + i as u32, column: 0 });
                        }
                        current.text.to_mut().push_str(part);
                    }
                } else {
                    current.pieces.push(Piece { start, line, column });
                    current.text.to_mut().push_str(&t.replace('\n', " "));
                }
            }
            Event::SoftBreak | Event::HardBreak => flush(&mut current, &mut lines, heading, false),
            _ => {}
        }
    }
    flush(&mut current, &mut lines, heading, true);
    lines
}

// ---------------------------------------------------------------------------
// Step 2: classification

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Blank,
    /// Blank, but with whitespace on it (some extractions separate paragraphs so).
    Whitespace,
    Debris,
    Content,
}

struct DebrisRules {
    prefix: Vec<String>,
    /// First chars of the prefixes, sorted: most lines are ruled out by one lookup.
    prefix_first: CharSet,
    contains: Matcher,
    tail: Matcher,
    tail_noise: Matcher,
}

/// "Does the line contain one of these patterns?"
///
/// The rule lists hold a handful of phrases: one `memmem` search per phrase
/// runs several times faster over Chinese text than an automaton (whose
/// prefilter finds no rare bytes in it; measured 0.04 s against 0.27 s per
/// 100 MB for two phrases). Longer lists go to one automaton.
enum Matcher {
    Phrases(Vec<memchr::memmem::Finder<'static>>),
    Automaton(aho_corasick::AhoCorasick),
}

impl Matcher {
    const MAX_PHRASES: usize = 8;

    fn new(patterns: &[String]) -> Self {
        let patterns: Vec<&String> = patterns.iter().filter(|p| !p.is_empty()).collect();
        if patterns.len() > Self::MAX_PHRASES
            && let Ok(ac) = aho_corasick::AhoCorasick::new(&patterns)
        {
            return Self::Automaton(ac);
        }
        Self::Phrases(patterns.iter().map(|p| memchr::memmem::Finder::new(p.as_bytes()).into_owned()).collect())
    }

    fn is_in(&self, t: &str) -> bool {
        match self {
            Self::Phrases(finders) => finders.iter().any(|f| f.find(t.as_bytes()).is_some()),
            Self::Automaton(ac) => ac.is_match(t),
        }
    }

    /// For each `\n`-separated line of `text`: does it contain a pattern?
    /// One search over the whole text instead of one per line.
    fn lines_of(&self, text: &str, lines: usize) -> Vec<bool> {
        let mut hit = vec![false; lines];
        let mut starts: Vec<usize> = match self {
            Self::Phrases(finders) => finders.iter().flat_map(|f| f.find_iter(text.as_bytes())).collect(),
            Self::Automaton(ac) => ac.find_iter(text).map(|m| m.start()).collect(),
        };
        starts.sort_unstable();
        let mut newlines = memchr::memchr_iter(b'\n', text.as_bytes()).peekable();
        let mut line = 0;
        for start in starts {
            while newlines.next_if(|&nl| nl < start).is_some() {
                line += 1;
            }
            if let Some(h) = hit.get_mut(line) {
                *h = true;
            }
        }
        hit
    }
}

fn debris_rules() -> &'static DebrisRules {
    static RULES: OnceLock<DebrisRules> = OnceLock::new();
    RULES.get_or_init(|| {
        let (mut prefix, mut contains, mut tail) = (Vec::new(), Vec::new(), Vec::new());
        for line in include_str!("../assets/clean/debris.tsv").lines() {
            if line.starts_with('#') {
                continue;
            }
            if let Some((kind, pattern)) = line.split_once('\t') {
                let target = match kind {
                    "prefix" => &mut prefix,
                    "contains" => &mut contains,
                    "tail" => &mut tail,
                    _ => continue,
                };
                target.push(pattern.trim().to_owned());
            }
        }
        let tail_noise: Vec<String> = include_str!("../assets/clean/tail_noise.txt")
            .lines()
            .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
            .map(|l| l.trim().to_owned())
            .collect();
        let prefix_first = CharSet::first_chars(prefix.iter().map(String::as_str));
        DebrisRules {
            prefix,
            prefix_first,
            contains: Matcher::new(&contains),
            tail: Matcher::new(&tail),
            tail_noise: Matcher::new(&tail_noise),
        }
    })
}

/// True if `t` has at most `n` chars, without counting long lines.
fn at_most_chars(t: &str, n: usize) -> bool {
    t.len() <= n || (t.len() <= 4 * n && t.chars().count() <= n)
}

fn trim_all(s: &str) -> &str {
    // Most lines start with a letter, a digit or a Han char and end with
    // one or with CJK punctuation: their bytes say they are not blank.
    let b = s.as_bytes();
    let solid_first = b.first().is_some_and(|&f| (0x21..0x7f).contains(&f) || (0xe4..=0xe9).contains(&f));
    let solid_last = match *b {
        [.., l] if (0x21..0x7f).contains(&l) => true,
        // A three-byte char: Han (U+4000–U+9FFF), CJK punctuation (U+3001–U+303F)
        // or full-width forms (U+FF00–U+FF3F).
        [.., l0, l1, l2] => (0xe4..=0xe9).contains(&l0) || (l0 == 0xe3 && l1 == 0x80 && l2 != 0x80) || (l0 == 0xef && l1 == 0xbc),
        _ => false,
    };
    if solid_first && solid_last {
        return s;
    }
    let blank = |c: char| is_inline_space(c) || is_invisible(c) || c == '\x0c';
    // Most lines have nothing to trim: two chars answer that.
    match (s.chars().next(), s.chars().next_back()) {
        (Some(first), Some(last)) if !blank(first) && !blank(last) => s,
        _ => s.trim_matches(blank),
    }
}

/// Sorts lines into blank, debris and content. `whole` is the text the
/// lines were split from (plain text), searched once for the debris patterns.
fn classify(lines: &[Line], whole: Option<&str>) -> (Vec<Kind>, Vec<Option<DebrisReason>>) {
    let rules = debris_rules();
    let (tail_hits, contains_hits) = match whole {
        Some(text) => (Some(rules.tail.lines_of(text, lines.len())), Some(rules.contains.lines_of(text, lines.len()))),
        None => (None, None),
    };
    let has = |hits: &Option<Vec<bool>>, matcher: &Matcher, i: usize, t: &str| match hits {
        Some(hits) => hits.get(i).copied().unwrap_or(false),
        None => matcher.is_in(t),
    };
    let mut kinds = Vec::with_capacity(lines.len());
    let mut reasons: Vec<Option<DebrisReason>> = vec![None; lines.len()];
    let mut in_tail = false;
    for (i, line) in lines.iter().enumerate() {
        let t = trim_all(&line.text);
        if t.is_empty() {
            kinds.push(if line.text.is_empty() { Kind::Blank } else { Kind::Whitespace });
            continue;
        }
        let next = || lines[i + 1..].iter().map(|l| trim_all(&l.text)).find(|t| !t.is_empty());
        let reason = if let Some(role) = line.role {
            match role {
                web::Role::Caption => Some(DebrisReason::Caption),
                web::Role::Dateline => Some(DebrisReason::Dateline),
                web::Role::Footer => Some(DebrisReason::WebFurniture),
                _ => None,
            }
        } else if in_tail && (is_url(t) || (at_most_chars(t, 40) && rules.tail_noise.is_in(t))) {
            Some(DebrisReason::WebFurniture)
        } else if has(&tail_hits, &rules.tail, i, t) {
            in_tail = true;
            Some(DebrisReason::WebFurniture)
        } else if line.heading.is_none() && t.len() <= 40 && is_page_number(t, next) {
            Some(DebrisReason::PageNumber)
        } else if is_url(t) {
            Some(DebrisReason::Url)
        } else if is_timestamp(t) {
            Some(DebrisReason::Timestamp)
        } else if t.chars().next().is_some_and(|c| rules.prefix_first.contains(c))
            && rules.prefix.iter().any(|p| t.starts_with(p.as_str()))
            || (has(&contains_hits, &rules.contains, i, t) && at_most_chars(t, 60))
            || is_bracket_menu(t)
        {
            Some(DebrisReason::WebFurniture)
        } else {
            in_tail = false;
            None
        };
        reasons[i] = reason;
        kinds.push(if reason.is_some() { Kind::Debris } else { Kind::Content });
    }
    (kinds, reasons)
}

/// Short lines repeated three or more times are running page headers; the
/// first one stays when it is the document's first line (the title).
fn mark_running_headers(lines: &[Line], facts: &[Option<Facts>], kinds: &mut [Kind], reasons: &mut [Option<DebrisReason>]) {
    // Each distinct key gets a group; `members` lists (group, line).
    let mut groups: FxHashMap<std::borrow::Cow<'_, str>, u32> = FxHashMap::default();
    let mut members: Vec<(u32, usize)> = Vec::new();
    for (i, (line, facts)) in lines.iter().zip(facts).enumerate() {
        let Some(facts) = facts else { continue };
        // Running headers are short and have no clause punctuation.
        if kinds[i] != Kind::Content || line.heading.is_some() || line.text.len() > 160 || !facts.unpunctuated {
            continue;
        }
        // The key is the line without spaces, `n` its length in chars.
        let (spaced, n) = if facts.t.len() == line.text.len() {
            (facts.spaces > 0, facts.chars - facts.spaces)
        } else {
            let spaces = line.text.chars().filter(|c| is_inline_space(*c)).count();
            (spaces > 0, line.text.chars().count() - spaces)
        };
        if (2..=40).contains(&n) {
            let key = match spaced {
                true => std::borrow::Cow::Owned(line.text.chars().filter(|c| !is_inline_space(*c)).collect()),
                false => std::borrow::Cow::Borrowed(&*line.text),
            };
            let next = groups.len() as u32;
            members.push((*groups.entry(key).or_insert(next), i));
        }
    }
    members.sort_unstable();
    let repeated = members.chunk_by(|a, b| a.0 == b.0).filter(|g| g.len() >= 3).map(|g| g.iter().map(|&(_, i)| i).collect());
    let repeated: Vec<Vec<usize>> = repeated.collect();
    let first_content = kinds.iter().position(|k| *k == Kind::Content);
    for occurrences in repeated {
        // Lines ending a sentence are content that happens to repeat.
        if lines[occurrences[0]].text.trim_end().ends_with(['。', '；', '，']) {
            continue;
        }
        for (k, &i) in occurrences.iter().enumerate() {
            if k == 0 && Some(i) == first_content {
                continue;
            }
            kinds[i] = Kind::Debris;
            reasons[i] = Some(DebrisReason::RunningHeader);
        }
    }
}

fn is_url(t: &str) -> bool {
    if !t.starts_with(['h', 'H', 'w', 'W']) {
        return false;
    }
    let lower = t.to_ascii_lowercase();
    (lower.starts_with("http://") || lower.starts_with("https://") || lower.starts_with("www."))
        && !t.chars().any(is_inline_space)
}

/// `2020-12-01 08:34`, `2020/12/01`, `2020-12-01 08:34:10` alone on a line.
fn is_timestamp(t: &str) -> bool {
    // Four digits of the year, then a separator.
    let b = t.as_bytes();
    if t.len() > 120 || b.len() < 5 || !b[..4].iter().all(u8::is_ascii_digit) || !matches!(b[4], b'-' | b'/' | b'.') {
        return false;
    }
    // `2023-05-05 09:12:33   来源：外交部`: a web timestamp with furniture after it.
    let mut words = t.split_whitespace();
    if let (Some(date), Some(time)) = (words.next(), words.next()) {
        let rest: Vec<&str> = words.collect();
        if !rest.is_empty() && time.contains(':') && is_timestamp(&format!("{date} {time}")) {
            let rest = rest.join(" ");
            return rest.chars().count() <= 40 && !rest.contains('。');
        }
    }
    let mut parts = t.split_whitespace();
    let Some(date) = parts.next() else {
        return false;
    };
    let fields: Vec<&str> = date.split(['-', '/', '.']).collect();
    let date_ok = fields.len() == 3
        && fields[0].len() == 4
        && fields.iter().all(|f| !f.is_empty() && f.len() <= 4 && f.chars().all(|c| c.is_ascii_digit()));
    let time_ok = parts.all(|p| p.split(':').all(|f| !f.is_empty() && f.len() <= 2 && f.chars().all(|c| c.is_ascii_digit())));
    date_ok && time_ok
}

/// `- 3 -`, `—3—`, `第 3 页`, `3/10`, `第3页 共10页`, or 1–3 digits alone (unless
/// the next line continues a number: `年`, `月`, `%` …).
pub(crate) fn is_page_number<'a>(t: &str, next: impl FnOnce() -> Option<&'a str>) -> bool {
    // The number (or 第) comes first, after dashes and spaces: most short
    // lines are ruled out by that.
    let dash = |c: char| matches!(c, '-' | '－' | '—' | '–' | '·' | '•');
    let lead = t.trim_start_matches(|c: char| is_inline_space(c) || dash(c));
    if t.len() > 40 || !lead.starts_with(|c: char| c.is_ascii_digit() || c == '第') {
        return false;
    }
    let core: String = t.chars().filter(|c| !is_inline_space(*c)).collect();
    let stripped = core.trim_matches(dash);
    let dashed = stripped.len() != core.len();
    let digits = |s: &str| !s.is_empty() && s.len() <= 4 && s.chars().all(|c| c.is_ascii_digit());
    if let Some(rest) = stripped.strip_prefix('第') {
        let rest = rest.strip_suffix('页').map(|r| r.to_owned()).or_else(|| {
            rest.split_once("页共").and_then(|(a, b)| (b.strip_suffix('页').is_some_and(digits)).then(|| a.to_owned()))
        });
        return rest.is_some_and(|r| digits(&r));
    }
    if let Some((a, b)) = stripped.split_once(['/', '／']) {
        return digits(a) && digits(b) && !dashed || (digits(a) && digits(b));
    }
    if !digits(stripped) {
        return false;
    }
    if dashed {
        return true;
    }
    let continues = next()
        .is_some_and(|n| n.starts_with(['年', '月', '日', '号', '%', '％', '个', '次', '届', '周', '万', '亿', '名', '位']));
    stripped.len() <= 3 && !continues
}

/// A line made only of bracketed menu items: `【打印】【关闭】`.
fn is_bracket_menu(t: &str) -> bool {
    if !t.starts_with('【') {
        return false;
    }
    let mut rest = t.trim();
    let mut items = 0;
    while let Some(after) = rest.strip_prefix('【') {
        let Some(end) = after.find('】') else {
            return false;
        };
        if after[..end].chars().count() > 6 {
            return false;
        }
        rest = after[end + '】'.len_utf8()..].trim_start();
        items += 1;
    }
    items > 0 && rest.is_empty()
}

// ---------------------------------------------------------------------------
// Step 3: joining

/// What a gap between two content lines looks like.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
struct GapShape {
    blanks: u8,
    whitespace: bool,
}

struct Wrapping {
    /// Typical width of a wrapped line, when the document is hard-wrapped.
    wrap_width: Option<usize>,
    /// Gap shape seen after wrapped lines, when it differs from paragraph gaps.
    wrap_gap: Option<GapShape>,
}

/// Content lines with the gaps before them.
struct Item<'a> {
    line: &'a Line<'a>,
    gap_before: GapShape,
    block_break_before: bool,
    facts: Facts<'a>,
}

/// What the joiner asks about a line, computed once per line.
struct Facts<'a> {
    /// The line without surrounding whitespace.
    t: &'a str,
    chars: usize,
    width: usize,
    terminal: bool,
    unpunctuated: bool,
    /// Inline spaces in `t`.
    spaces: usize,
    /// The line is `t` and holds no space, invisible char or form feed: it
    /// goes into its paragraph as one run of text.
    one_run: bool,
    date_line: bool,
    parenthetical: bool,
    signature: bool,
    /// Never joined to the next line: a date line, a parenthetical line, a
    /// signature or speaker line, a bare section number.
    standalone: bool,
}

impl<'a> Facts<'a> {
    fn of(text: &'a str, knowledge: &Knowledge) -> Self {
        let t = trim_all(text);
        let (mut chars, mut width, mut unpunctuated, mut spaces, mut dropped) = (0, 0, true, 0, false);
        for stretch in stretches(t) {
            match stretch {
                Stretch::Han { start, end } => {
                    chars += (end - start) / 3;
                    width += 2 * (end - start) / 3;
                }
                Stretch::Other { c, .. } => {
                    chars += 1;
                    width += if is_cjk(c) || c == '\u{3000}' { 2 } else { 1 };
                    unpunctuated &= !is_clause_punct(c);
                    spaces += usize::from(is_inline_space(c));
                    dropped |= is_invisible(c) || c == '\x0c';
                }
            }
        }
        let has_space = spaces > 0;
        let date_line = is_date_line(t);
        let parenthetical = is_parenthetical_line(t);
        // A signature line has a tab, which `spaces` counts.
        let signature = has_space && is_signature_line(t);
        let standalone = date_line
            || parenthetical
            || signature
            || is_dateline(t)
            || (has_space && is_speaker_line(t, knowledge))
            || (unpunctuated && chars <= 30 && is_role_line(t, knowledge))
            || is_bare_section_number(t);
        Facts {
            t,
            chars,
            width,
            terminal: ends_terminal(t),
            unpunctuated,
            spaces,
            one_run: t.len() == text.len() && spaces == 0 && !dropped,
            date_line,
            parenthetical,
            signature,
            standalone,
        }
    }
}

/// Joins content lines into paragraphs; with `known_breaks`, only block
/// ends, headings and the end of the title break.
fn join<'a>(
    lines: &'a [Line],
    kinds: &[Kind],
    facts: Vec<Option<Facts<'a>>>,
    knowledge: &Knowledge,
    known_breaks: bool,
) -> Vec<Paragraph> {
    let mut items: Vec<Item<'_>> = Vec::new();
    let mut gap = GapShape { blanks: 0, whitespace: false };
    let mut block_break = false;
    for ((line, kind), facts) in lines.iter().zip(kinds).zip(facts) {
        match kind {
            Kind::Blank => gap.blanks = gap.blanks.saturating_add(1).min(3),
            Kind::Whitespace => {
                gap.blanks = gap.blanks.saturating_add(1).min(3);
                gap.whitespace = true;
            }
            Kind::Debris => {}
            Kind::Content => {
                let facts = facts.unwrap_or_else(|| Facts::of(&line.text, knowledge));
                items.push(Item { line, gap_before: gap, block_break_before: block_break, facts });
                gap = GapShape { blanks: 0, whitespace: false };
                block_break = false;
            }
        }
        if line.block_end {
            block_break = true;
        }
    }
    let layout = learn_layout(&items);
    let title_zone = title_zone_len(&items, knowledge);
    let in_list = list_runs(&items);

    let mut paragraphs = Vec::new();
    let bytes: usize = items.iter().map(|item| item.line.text.len()).sum();
    let mut builder = ParagraphBuilder { texts: String::with_capacity(bytes), ..ParagraphBuilder::default() };
    // Chars in the paragraph being built (a title stays one short line).
    let mut para_chars = 0;
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            let prev = &items[i - 1];
            // The title block ends where the body starts, whatever the punctuation.
            let leaving_title = i - 1 < title_zone && i >= title_zone;
            let breaks = match known_breaks {
                true => item.block_break_before || prev.line.heading.is_some() || item.line.heading.is_some(),
                false => {
                    breaks_between(prev, item, &layout, i < title_zone)
                        // A list: one paragraph per line, however long the run.
                        || (in_list[i - 1] && in_list[i])
                        // A title wraps onto a second line at most.
                        || (i < title_zone && para_chars + item.facts.chars > MAX_TITLE_CHARS)
                }
            };
            if leaving_title || breaks {
                builder.finish_into(&mut paragraphs);
                para_chars = 0;
            }
        }
        para_chars += item.facts.chars;
        let heading = item.line.heading.or_else(|| title_heading(i, title_zone, item.line, knowledge));
        let one_run = item.facts.one_run.then_some(item.facts.chars);
        builder.push_line(item.line, heading, item.facts.spaces > 0 && keeps_spaces(item.line, knowledge), one_run);
    }
    builder.finish_into(&mut paragraphs);
    builder.share_texts(&mut paragraphs);
    paragraphs
}

fn learn_layout(items: &[Item<'_>]) -> Wrapping {
    let mut widths: FxHashMap<usize, usize> = FxHashMap::default();
    let mut n = 0;
    for item in items {
        if !item.facts.terminal && item.line.heading.is_none() {
            *widths.entry(item.facts.width).or_default() += 1;
            n += 1;
        }
    }
    // A hard-wrapped document has many unterminated lines of (nearly) one width.
    let wrap_width = widths
        .keys()
        .filter_map(|&w| {
            let near: usize = (w.saturating_sub(3)..=w).filter_map(|x| widths.get(&x)).sum();
            ((20..=200).contains(&w) && near >= 5 && near * 10 >= n * 4).then_some((near, w))
        })
        .max()
        .map(|(_, w)| w);
    let mut after_open: FxHashMap<GapShape, usize> = FxHashMap::default();
    let mut after_terminal: FxHashMap<GapShape, usize> = FxHashMap::default();
    for pair in items.windows(2) {
        let target = if pair[0].facts.terminal { &mut after_terminal } else { &mut after_open };
        *target.entry(pair[1].gap_before).or_default() += 1;
    }
    let mode = |m: &FxHashMap<GapShape, usize>| m.iter().max_by_key(|(g, c)| (**c, g.blanks)).map(|(g, _)| *g);
    let wrap_gap = match (mode(&after_open), mode(&after_terminal)) {
        (Some(w), Some(p)) if w != p && after_open.get(&w).copied().unwrap_or(0) >= 3 => Some(w),
        _ => None,
    };
    Wrapping { wrap_width, wrap_gap }
}

/// Longest title (chars): about two lines of a heading.
const MAX_TITLE_CHARS: usize = 80;

/// Shortest run of lines that makes a list.
const LIST_RUN: usize = 4;

/// Longest list line (chars): an item, not a paragraph of unpunctuated text.
const MAX_LIST_LINE_CHARS: usize = 40;

/// Items in a list: runs of at least [`LIST_RUN`] short lines with no
/// punctuation at all. Wrapped prose does not run four lines without a
/// comma; a list of names, places or headings does, however long it is.
fn list_runs(items: &[Item<'_>]) -> Vec<bool> {
    let listy: Vec<bool> = items
        .iter()
        .map(|it| {
            it.facts.unpunctuated && !it.facts.terminal && it.facts.chars <= MAX_LIST_LINE_CHARS && it.line.heading.is_none()
        })
        .collect();
    let mut out = vec![false; items.len()];
    let mut i = 0;
    while i < listy.len() {
        if !listy[i] {
            i += 1;
            continue;
        }
        let end = listy[i..].iter().position(|l| !l).map_or(listy.len(), |n| i + n);
        if end - i >= LIST_RUN {
            out[i..end].iter_mut().for_each(|x| *x = true);
        }
        i = end;
    }
    out
}

/// Number of leading items that form the title block: a title line (one
/// ending with a word such as 公报 or 讲话, or followed by a date or by-line),
/// then subtitles, date lines and by-lines, before the body starts.
fn title_zone_len(items: &[Item<'_>], knowledge: &Knowledge) -> usize {
    let short_unpunctuated =
        |t: &str| t.chars().count() <= 60 && !t.chars().any(|c| matches!(c, '，' | '。' | '；' | ',' | '！' | '？'));
    let byline = |t: &str| item_is_byline(t, knowledge);
    let mut n = 0;
    for (i, item) in items.iter().enumerate() {
        let t = trim_all(&item.line.text);
        let next = items.get(i + 1).map(|it| trim_all(&it.line.text));
        let title_like = short_unpunctuated(t)
            && (item.line.heading.is_some()
                || ends_with_title_word(t)
                || next.is_some_and(|n| byline(n) || starts_with_date(n) || n.starts_with("——")));
        if item.line.heading.is_some() || byline(t) || title_like {
            n = i + 1;
        } else {
            break;
        }
    }
    n
}

fn item_is_byline(t: &str, knowledge: &Knowledge) -> bool {
    is_parenthetical_line(t) || is_date_line(t) || is_speaker_line(t, knowledge) || is_dateline(t)
}

fn ends_with_title_word(t: &str) -> bool {
    static WORDS: OnceLock<Vec<&'static str>> = OnceLock::new();
    let words = WORDS.get_or_init(|| {
        include_str!("../assets/clean/title_words.txt")
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .collect()
    });
    words.iter().any(|w| t.ends_with(w))
}

/// `2020年11月30日，…`: a line that opens with a full date.
fn starts_with_date(t: &str) -> bool {
    let digits = t.chars().take_while(|c| c.is_ascii_digit() || is_inline_space(*c)).filter(char::is_ascii_digit).count();
    digits == 4 && t.chars().find(|c| !(c.is_ascii_digit() || is_inline_space(*c))) == Some('年')
}

/// The first unpunctuated line of the title block is the title (level 1);
/// a following `——` line is its subtitle (level 2).
fn title_heading(i: usize, title_zone: usize, line: &Line, knowledge: &Knowledge) -> Option<u8> {
    if i >= title_zone {
        return None;
    }
    let t = trim_all(&line.text);
    if is_date_line(t) || is_parenthetical_line(t) || is_speaker_line(t, knowledge) {
        return None;
    }
    if i == 0 {
        Some(1)
    } else if t.starts_with("——") || t.starts_with("--") {
        Some(2)
    } else {
        None
    }
}

fn breaks_between(prev: &Item<'_>, next: &Item<'_>, layout: &Wrapping, in_title: bool) -> bool {
    let (a, b) = (&prev.facts, &next.facts);
    if prev.line.heading.is_some() || next.line.heading.is_some() || next.block_break_before {
        return true;
    }
    if in_title {
        // A long title wrapped onto a second line continues; anything else is its own line.
        let wrapped = layout.wrap_width.is_some_and(|w| a.width + 4 >= w) && !a.terminal;
        return !wrapped || b.date_line || b.parenthetical;
    }
    if a.standalone || b.signature || b.date_line && a.terminal {
        return true;
    }
    if starts_continuation(b.t) {
        return false;
    }
    if a.terminal {
        if starts_section(b.t) {
            return true;
        }
        let full = layout.wrap_width.is_some_and(|w| a.width + 3 >= w);
        let wrap_gap = layout.wrap_gap.is_some_and(|g| g == next.gap_before);
        return !(full && wrap_gap);
    }
    // An unterminated line much shorter than the wrap width is a heading-like line.
    if let Some(w) = layout.wrap_width
        && a.width * 2 < w
        && a.unpunctuated
        && !a.t.ends_with(['的', '和', '与', '及', '在'])
    {
        return true;
    }
    if a.unpunctuated && a.chars <= 20 && starts_section(b.t) {
        return true;
    }
    false
}

/// Ends a sentence: `。`, `！`, `：` … possibly followed by closing quotes or brackets.
fn ends_terminal(t: &str) -> bool {
    let mut rev = t.chars().rev().skip_while(|c| is_closing_mark(*c));
    match rev.next() {
        Some(c) if is_terminal_punct(c) => !(c == '.' && t.chars().rev().nth(1).is_some_and(|d| d.is_ascii_digit())),
        Some(_) => {
            // A closing bracket after a full clause (`…举行（2014年）。` handled above);
            // a line that is a whole parenthetical ends too.
            is_parenthetical_line(t)
        }
        None => false,
    }
}

fn starts_continuation(t: &str) -> bool {
    t.starts_with(|c: char| {
        matches!(
            c,
            '，' | '。' | '、' | '；' | '：' | '）' | ')' | '」' | '』' | '”' | '》' | '〉' | '！' | '？' | ',' | '%' | '％'
        )
    })
}

/// `一、`, `（一）`, `1.`, `第一，`, `第三条` …
fn starts_section(t: &str) -> bool {
    let numerals =
        |c: char| matches!(c, '一' | '二' | '三' | '四' | '五' | '六' | '七' | '八' | '九' | '十' | '百' | '零' | '〇');
    let head = &t[..t.char_indices().nth(8).map_or(t.len(), |(b, _)| b)];
    let after_numerals = head.trim_start_matches(numerals);
    if after_numerals.len() != head.len() && after_numerals.starts_with(['、', '．', '.']) {
        return true;
    }
    if let Some(inner) = head.strip_prefix(['（', '(']) {
        let rest = inner.trim_start_matches(|c: char| numerals(c) || c.is_ascii_digit());
        if rest.len() != inner.len() && rest.starts_with(['）', ')']) {
            return true;
        }
    }
    let after_digits = head.trim_start_matches(|c: char| c.is_ascii_digit());
    if after_digits.len() != head.len() && after_digits.starts_with(['、', '．', '.']) && !after_digits.starts_with("..") {
        return true;
    }
    if let Some(rest) = head.strip_prefix('第') {
        let rest = rest.trim_start_matches(numerals);
        return rest.len() + '第'.len_utf8() < head.len() && rest.starts_with(['，', '条', '章', '节', '部', '、']);
    }
    false
}

fn is_unpunctuated(t: &str) -> bool {
    !t.chars().any(is_clause_punct)
}

/// `十六`, `一、` alone on a line.
fn is_bare_section_number(t: &str) -> bool {
    if t.len() > 24 {
        return false;
    }
    let core = t.trim_end_matches(['、', '.', '．']);
    !core.is_empty()
        && core.chars().count() <= 4
        && !core.starts_with(|c: char| c.is_ascii_digit())
        && crate::text::parse_number(core).is_some()
}

/// `新华社果阿5月5日电`: a news agency's dateline alone on a line.
fn is_dateline(t: &str) -> bool {
    if !t.ends_with(['电', '）', ')']) {
        return false;
    }
    let core = t.trim_start_matches(['（', '(']).trim_end_matches(['）', ')']);
    core.ends_with('电') && at_most_chars(core, 30) && core.contains('月') && core.contains('日') && is_unpunctuated(core)
}

/// `（2014年9月12日，杜尚别）`, `（新华社杜尚别9月12日电）`.
fn is_parenthetical_line(t: &str) -> bool {
    ((t.starts_with('（') && t.ends_with('）')) || (t.starts_with('(') && t.ends_with(')')))
        && at_most_chars(t, 60)
        && !t[t.char_indices().nth(1).map_or(t.len(), |(b, _)| b)..].contains(['。'])
}

/// A line that is only a date, optionally with a place: `2014年9月12日于杜尚别`,
/// `2022 年 11 月 1 日`, `二〇一四年九月十二日`.
pub fn is_date_line(t: &str) -> bool {
    let t = t.trim_matches(|c| matches!(c, '（' | '）' | '(' | ')'));
    // The date comes first: most lines are ruled out by their first char.
    if !t.chars().next().is_some_and(is_date_char) || !at_most_chars(t, 40) || !t.contains('年') {
        return false;
    }
    let date_part_end = t.find(['，', ',', '于', '在']).unwrap_or(t.len());
    let (date, place) = t.split_at(date_part_end);
    let date_ok =
        !date.is_empty() && date.chars().all(is_date_char) && (date.contains('月') || date.chars().any(|c| c.is_ascii_digit()));
    let place = place.trim_start_matches(['，', ',', '于', '在']);
    // The rest is a place name, nothing more (`…日，会议在阿斯` is a sentence).
    date_ok && place.chars().count() <= 8 && !place.chars().any(|c| is_clause_punct(c) || matches!(c, '在' | '于' | '的'))
}

/// A char of a written date: digits (ASCII, full-width, Chinese), 年月日, a
/// range sign, spaces.
fn is_date_char(c: char) -> bool {
    c.is_ascii_digit()
        || ('０'..='９').contains(&c)
        || is_inline_space(c)
        || matches!(
            c,
            '年' | '月'
                | '日'
                | '至'
                | '-'
                | '－'
                | '—'
                | '〇'
                | '零'
                | '一'
                | '二'
                | '三'
                | '四'
                | '五'
                | '六'
                | '七'
                | '八'
                | '九'
                | '十'
        )
}

/// `哈萨克斯坦共和国总统<TAB>纳扎尔巴耶夫`: a tab between two parts.
fn is_signature_line(t: &str) -> bool {
    if t.len() > 240 || memchr::memchr(b'\t', t.as_bytes()).is_none() {
        return false;
    }
    let parts: Vec<&str> = t.split('\t').map(str::trim).filter(|p| !p.is_empty()).collect();
    parts.len() == 2 && at_most_chars(t, 60) && parts.iter().all(|p| is_unpunctuated(p))
}

/// `中华人民共和国主席 习近平`: a short unpunctuated line of two space-separated
/// Chinese parts, a title then a name-sized part.
fn is_speaker_line(t: &str, knowledge: &Knowledge) -> bool {
    if t.len() > 160 || !t.contains(is_inline_space) {
        return false;
    }
    let parts: Vec<&str> = t.split(is_inline_space).filter(|p| !p.is_empty()).collect();
    parts.len() == 2
        && at_most_chars(t, 40)
        && is_unpunctuated(t)
        && parts.iter().all(|p| p.chars().all(is_han))
        && (2..=8).contains(&parts[1].chars().count())
        && knowledge.ends_with_title(parts[0])
}

/// `印度共和国外交部长`: an unsigned signature line, a short unpunctuated line
/// ending with a title.
fn is_role_line(t: &str, knowledge: &Knowledge) -> bool {
    at_most_chars(t, 30) && t.chars().all(is_han) && knowledge.ends_with_title(t)
}

/// Lines whose inner spaces are separators, not stray: signatures, speaker
/// lines and slogan-style titles (`凝心聚力 精诚协作 推动…`).
fn keeps_spaces(line: &Line, knowledge: &Knowledge) -> bool {
    // A scraped headline or byline: its single wide spaces separate its parts.
    if matches!(line.role, Some(web::Role::Headline | web::Role::Subtitle | web::Role::Byline)) {
        return true;
    }
    let t = trim_all(&line.text);
    if !t.contains(is_inline_space) {
        return false;
    }
    if is_signature_line(t) || is_speaker_line(t, knowledge) {
        return true;
    }
    let parts: Vec<&str> = t.split(is_inline_space).filter(|p| !p.is_empty()).collect();
    line.heading.is_some() && parts.len() >= 3 && parts.iter().all(|p| p.chars().count() >= 4)
}

#[derive(Default)]
struct ParagraphBuilder {
    text: String,
    /// The texts of the paragraphs finished so far, one after another: they
    /// become pieces of one shared buffer ([`ParagraphBuilder::share_texts`])
    /// rather than two allocations each.
    texts: String,
    /// Where each finished paragraph's text ends in `texts`.
    text_ends: Vec<usize>,
    chars: u32,
    heading: Option<u8>,
    runs: Vec<SourceRun>,
    /// Source position the next char would have if it continued the last run.
    expect: Option<(u32, u32)>,
    /// Whitespace seen but not yet emitted (it may turn out to be stray).
    pending_space: Vec<(char, u32, u32)>,
    last: Option<char>,
}

impl ParagraphBuilder {
    /// Adds `line` to the paragraph. `one_run` is its number of chars when
    /// it holds no space, invisible char or form feed ([`Facts::one_run`]).
    fn push_line(&mut self, line: &Line, heading: Option<u8>, keep_spaces: bool, one_run: Option<usize>) {
        self.text.reserve(line.text.len());
        if self.chars == 0 && self.pending_space.is_empty() {
            self.heading = heading;
        }
        // Lines join with nothing between them, except two Latin words.
        if self.chars > 0 {
            self.pending_space.clear();
            self.pending_space.push((' ', u32::MAX, 0));
        }
        // A plain line is copied in runs between spaces; a Markdown line,
        // whose chars come from several places, one char at a time.
        let plain = line.pieces.is_empty();
        let text: &str = &line.text;
        // A plain line without spaces is copied whole, once its first char
        // has settled the space pending from the line before.
        if let (true, Some(n), Some(first)) = (plain, one_run, text.chars().next()) {
            let n = n as u32;
            if self.pending_space.is_empty() {
                self.emit_run(text, n, line.position(0));
            } else {
                self.push_char(line, keep_spaces, &mut None, (0, 0), first);
                self.emit_run(&text[first.len_utf8()..], n.saturating_sub(1), line.position(1));
            }
            return;
        }
        let mut run: Option<(usize, u32)> = None; // (byte, char index) where the run started
        let mut i = 0u32;
        for stretch in stretches(text) {
            match stretch {
                // Common Han chars are never spaces: on a plain line with no
                // space pending they extend the run as they are.
                Stretch::Han { start, end } if plain && self.pending_space.is_empty() => {
                    run.get_or_insert((start, i));
                    i += ((end - start) / 3) as u32;
                }
                Stretch::Han { start, end } => {
                    for (k, c) in text[start..end].char_indices() {
                        self.push_char(line, keep_spaces, &mut run, (i, start + k), c);
                        i += 1;
                        // The first char settled the pending space: the rest is a run.
                        let rest = start + k + c.len_utf8();
                        if plain && self.pending_space.is_empty() && rest < end {
                            run.get_or_insert((rest, i));
                            i += ((end - rest) / 3) as u32;
                            break;
                        }
                    }
                }
                // Printable ASCII (no space) likewise.
                Stretch::Other { start, c } if plain && self.pending_space.is_empty() && ('!'..='~').contains(&c) => {
                    run.get_or_insert((start, i));
                    i += 1;
                }
                Stretch::Other { start, c } => {
                    self.push_char(line, keep_spaces, &mut run, (i, start), c);
                    i += 1;
                }
            }
        }
        if let Some((rb, ri)) = run {
            self.emit_run(&text[rb..], i - ri, line.position(ri));
        }
    }

    /// Pushes char `c`, char `i` and byte `b` of `line`; `run` is the plain
    /// run being copied, if any.
    fn push_char(&mut self, line: &Line, keep_spaces: bool, run: &mut Option<(usize, u32)>, (i, b): (u32, usize), c: char) {
        let ordinary =
            self.pending_space.is_empty() && (is_common_han(c) || !(is_invisible(c) || c == '\x0c' || is_inline_space(c)));
        if line.pieces.is_empty() && ordinary {
            run.get_or_insert((b, i));
            return;
        }
        if let Some((rb, ri)) = run.take() {
            self.emit_run(&line.text[rb..b], i - ri, line.position(ri));
        }
        if is_invisible(c) || c == '\x0c' {
            return;
        }
        let (l, col) = line.position(i);
        if is_inline_space(c) {
            if self.chars > 0 {
                self.pending_space.push((c, l, col));
            }
            return;
        }
        if !self.pending_space.is_empty() {
            let joined_lines = self.pending_space[0].1 == u32::MAX;
            let prev = self.last.unwrap_or(' ');
            let stray = if joined_lines {
                // Two Latin words, or a dash set with spaces (`2019 - 2020`)
                // whose space fell at the line break.
                let dash = |c: char| matches!(c, '-' | '–' | '—');
                let spaced_before = dash(prev) && self.text.chars().rev().nth(1) == Some(' ');
                let spaced_after =
                    dash(c) && !is_cjk(prev) && line.text.get(b..).and_then(|rest| rest.chars().nth(1)).is_some_and(|n| n == ' ');
                !(prev.is_ascii_alphabetic() && c.is_ascii_alphabetic() || spaced_before || spaced_after)
            } else {
                !keep_spaces && is_cjk(prev) && is_cjk(c)
            };
            if !stray {
                if joined_lines {
                    // Two Latin words across a line break: one space.
                    self.emit(' ', l, col);
                } else {
                    for (s, sl, sc) in std::mem::take(&mut self.pending_space) {
                        self.emit(s, sl, sc);
                    }
                }
            }
            self.pending_space.clear();
        }
        self.emit(c, l, col);
    }

    fn emit(&mut self, c: char, line: u32, column: u32) {
        if self.expect != Some((line, column)) {
            self.runs.push(SourceRun { clean: self.chars, line, column });
        }
        self.text.push(c);
        self.chars += 1;
        self.expect = Some((line, column + 1));
        self.last = Some(c);
    }

    /// Emits `s` (`n` chars, none a space) that starts at `(line, column)` in the source.
    fn emit_run(&mut self, s: &str, n: u32, (line, column): (u32, u32)) {
        if s.is_empty() {
            return;
        }
        if self.expect != Some((line, column)) {
            self.runs.push(SourceRun { clean: self.chars, line, column });
        }
        self.text.push_str(s);
        self.chars += n;
        self.expect = Some((line, column + n));
        self.last = s.chars().next_back();
    }

    /// Moves the paragraph built so far to `out` and starts the next one.
    /// The text and runs are copied out at their exact size: the paragraphs
    /// are kept for the whole analysis, and a buffer grown by doubling would
    /// keep up to half its size unused. The buffers are reused.
    fn finish_into(&mut self, out: &mut Vec<Paragraph>) {
        if self.chars > 0 {
            self.texts.push_str(&self.text);
            self.text_ends.push(self.texts.len());
            out.push(Paragraph {
                text: ParagraphText::default(), // given by `share_texts`
                heading: self.heading,
                page: None,
                source: self.runs.to_vec().into(),
            });
        }
        self.text.clear();
        self.runs.clear();
        self.pending_space.clear();
        *self = Self {
            text: std::mem::take(&mut self.text),
            texts: std::mem::take(&mut self.texts),
            text_ends: std::mem::take(&mut self.text_ends),
            runs: std::mem::take(&mut self.runs),
            pending_space: std::mem::take(&mut self.pending_space),
            ..Self::default()
        };
    }

    /// Gives `paragraphs`, every paragraph this builder finished and only
    /// them, their texts: pieces of one buffer.
    fn share_texts(self, paragraphs: &mut [Paragraph]) {
        debug_assert_eq!(paragraphs.len(), self.text_ends.len(), "one text for each paragraph finished");
        let texts = ParagraphText::pieces(self.texts, &self.text_ends);
        for (p, text) in paragraphs.iter_mut().zip(texts) {
            p.text = text;
        }
    }
}

pub mod web;

#[cfg(test)]
mod tests;
