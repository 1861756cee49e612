//! Agreement citations: every 《…》 title (nested 〈…〉 too), when and where it
//! was signed, short forms that point back (《条约》, 该协定), and the registry
//! that links one agreement across documents and wordings.
//!
//! Per paragraph, [`find_brackets`] returns the bracketed spans; per document,
//! [`signing_facts`] reads the signing date and place around each citation;
//! across the corpus, [`registry::build`] groups citations into agreements.

use crate::model::Signed;
use crate::text::{CharSet, PhraseSet, is_inline_space};
use std::sync::OnceLock;

pub mod registry;
pub mod signing;

pub use signing::signing_facts;

/// Longest title accepted between brackets; a runaway opener is dropped.
pub const MAX_TITLE_CHARS: usize = 120;

/// A bracketed title in one paragraph (chars).
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct BracketSpan {
    /// Start of the opening bracket.
    pub start: usize,
    /// One past the closing bracket.
    pub end: usize,
    /// Index (in this paragraph's list) of the enclosing span, for 〈A〉 inside 《…》.
    pub parent: Option<usize>,
}

impl BracketSpan {
    /// The text between the brackets, with spaces removed.
    pub fn title(&self, chars: &[char]) -> String {
        chars[self.start + 1..self.end - 1].iter().filter(|c| !is_inline_space(**c)).collect()
    }
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Bracket {
    Outer,
    Inner,
}

fn opener(c: char) -> Option<Bracket> {
    match c {
        '《' | '«' => Some(Bracket::Outer),
        '〈' | '<' | '‹' | '＜' => Some(Bracket::Inner),
        _ => None,
    }
}

fn closer(c: char) -> Option<Bracket> {
    match c {
        '》' | '»' => Some(Bracket::Outer),
        '〉' | '>' | '›' | '＞' => Some(Bracket::Inner),
        _ => None,
    }
}

/// Finds the bracketed titles of a paragraph, outer ones and the inner ones
/// nested in them, sorted by start. Unbalanced or runaway brackets are
/// skipped without swallowing the text after them.
pub fn find_brackets(chars: &[char]) -> Vec<BracketSpan> {
    // Every span opens with an outer bracket or sits inside one: most
    // paragraphs have none, and this test is cheaper than the walk below.
    if !chars.iter().any(|&c| opener(c) == Some(Bracket::Outer)) {
        return Vec::new();
    }
    let mut found: Vec<(usize, usize, Bracket)> = Vec::new();
    let mut stack: Vec<(usize, Bracket)> = Vec::new();
    for (i, &c) in chars.iter().enumerate() {
        // Drop openers that ran past the cap.
        while stack.first().is_some_and(|(s, _)| i - s > MAX_TITLE_CHARS) {
            stack.remove(0);
        }
        if let Some(kind) = opener(c) {
            match kind {
                // A new 《 while one is open: the old one never closed.
                Bracket::Outer => {
                    stack.clear();
                    stack.push((i, kind));
                }
                // Half-width < only counts inside an open title.
                Bracket::Inner if !stack.is_empty() && stack.len() < 8 => stack.push((i, kind)),
                Bracket::Inner => {}
            }
        } else if let Some(kind) = closer(c) {
            if let Some(pos) = stack.iter().rposition(|(_, k)| *k == kind) {
                let (start, _) = stack[pos];
                stack.truncate(pos);
                if i > start + 1 {
                    found.push((start, i + 1, kind));
                }
            }
        } else if matches!(c, '。' | '\n') && stack.first().is_some_and(|(s, _)| i - s > 60) {
            // A sentence end far from the opener: the title ran away.
            stack.clear();
        }
    }
    found.sort_by_key(|(s, e, _)| (*s, std::cmp::Reverse(*e)));
    // Inner brackets outside any outer title are not citations.
    let mut spans: Vec<BracketSpan> = Vec::new();
    for (start, end, kind) in found {
        let parent = spans.iter().rposition(|p| p.start < start && end <= p.end);
        if kind == Bracket::Inner && parent.is_none() {
            continue;
        }
        spans.push(BracketSpan { start, end, parent });
    }
    spans
}

/// The cited titles of a paragraph: [`find_brackets`] without the titles
/// that are no citation — every one in a headline (`in_headline`), and one
/// named as a speech's or an article's title (`发表题为《…》的讲话`,
/// `assets/agreements/work_cues.txt`), with the titles nested in them.
pub fn cited_spans(chars: &[char], in_headline: bool) -> Vec<BracketSpan> {
    if in_headline {
        return Vec::new();
    }
    let spans = find_brackets(chars);
    let cues = &lists().work_cues;
    let named_work = |s: &BracketSpan| {
        s.parent.is_none()
            && cues.iter().any(|cue| {
                let n = cue.chars().count();
                s.start >= n && chars[s.start - n..s.start].iter().copied().eq(cue.chars())
            })
    };
    if !spans.iter().any(named_work) {
        return spans;
    }
    // Drop those spans and what is nested in them; renumber the parents.
    let mut keep: Vec<Option<usize>> = Vec::with_capacity(spans.len());
    let mut out: Vec<BracketSpan> = Vec::with_capacity(spans.len());
    for s in &spans {
        let dropped = named_work(s) || s.parent.is_some_and(|p| keep[p].is_none());
        if dropped {
            keep.push(None);
        } else {
            keep.push(Some(out.len()));
            out.push(BracketSpan { start: s.start, end: s.end, parent: s.parent.and_then(|p| keep[p]) });
        }
    }
    out
}

/// A citation as pass 1 finds it in a document, before the registry links it.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub struct FoundCitation {
    /// Paragraph index.
    pub paragraph: usize,
    /// The bracketed span.
    pub span: BracketSpan,
    /// Index of the parent in the document's list.
    pub parent: Option<usize>,
    /// Text inside the brackets.
    pub title: String,
    /// The title is a bare type noun (《条约》): a short form
    /// ([`is_short_form`], asked once in pass 1, in parallel).
    pub short: bool,
    /// Signing facts stated at this citation.
    pub signed: Option<Signed>,
    /// For a short form (《条约》): the earlier citation it points to.
    pub points_to: Option<usize>,
}

/// An unbracketed back-reference (该协定): paragraph, span (chars) and the
/// citation of the same document it points to.
#[derive(Clone, Copy, Debug, serde::Serialize, serde::Deserialize)]
pub struct Anaphor {
    /// Paragraph index.
    pub paragraph: usize,
    /// Start char.
    pub start: usize,
    /// End char (exclusive).
    pub end: usize,
    /// Index of the citation in the document's list.
    pub points_to: usize,
}

// ---------------------------------------------------------------------------
// Word lists

pub(crate) struct Lists {
    pub(crate) types: Vec<String>,
    pub(crate) anaphora: Vec<String>,
    /// First chars of the anaphora and of the type nouns, deduplicated.
    pub(crate) anaphora_first: CharSet,
    pub(crate) types_first: CharSet,
    pub(crate) verbs: Vec<String>,
    pub(crate) verbs_set: PhraseSet,
    /// Verbs that state a signing as the predicate of the title (`签署《A》`).
    pub(crate) predicates: Vec<String>,
    /// Words that make a signing a plan, not a fact (`将签署《A》`).
    pub(crate) plans: Vec<String>,
    /// Words that pair dates and titles one by one (`分别`): no fact is shared.
    pub(crate) apart: Vec<String>,
    /// Words before a 《…》 that make it a work's title (`work_cues.txt`).
    pub(crate) work_cues: Vec<String>,
    pub(crate) function_chars: Vec<char>,
    /// Official titles (`titles.txt`): shown in place of a wording one edit away.
    pub(crate) official_titles: Vec<String>,
}

pub(crate) fn lists() -> &'static Lists {
    static L: OnceLock<Lists> = OnceLock::new();
    L.get_or_init(|| {
        let read = |s: &'static str| -> Vec<String> {
            s.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#')).map(str::to_owned).collect()
        };
        let anaphora = read(include_str!("../../assets/agreements/anaphora.txt"));
        let types = read(include_str!("../../assets/agreements/types.txt"));
        let verbs = read(include_str!("../../assets/agreements/signing_verbs.txt"));
        Lists {
            anaphora_first: CharSet::first_chars(anaphora.iter().map(String::as_str)),
            types_first: CharSet::first_chars(types.iter().map(String::as_str)),
            types,
            anaphora,
            verbs_set: PhraseSet::new(&verbs),
            predicates: read(include_str!("../../assets/agreements/signing_predicates.txt")),
            plans: read(include_str!("../../assets/agreements/signing_plans.txt")),
            apart: read(include_str!("../../assets/agreements/signing_apart.txt")),
            work_cues: read(include_str!("../../assets/agreements/work_cues.txt")),
            verbs,
            official_titles: read(include_str!("../../assets/agreements/titles.txt")),
            function_chars: read(include_str!("../../assets/agreements/function_chars.txt"))
                .iter()
                .filter_map(|s| s.chars().next())
                .collect(),
        }
    })
}

/// The type noun a title ends with (协定, 条约 …), if any.
pub fn type_noun(title: &str) -> Option<&'static str> {
    lists().types.iter().find(|t| title.ends_with(t.as_str())).map(String::as_str)
}

/// Every type noun (协定, 条约 …).
pub fn type_nouns() -> impl Iterator<Item = &'static str> {
    lists().types.iter().map(String::as_str)
}

/// True if the title is only a type noun: a short form such as 《条约》.
pub fn is_short_form(title: &str) -> bool {
    lists().types.iter().any(|t| t == title)
}

/// Unbracketed back-references in a paragraph: `(start, end, type noun)` for 该协定, 上述协定 ….
pub fn find_anaphora(chars: &[char], skip: &[(usize, usize)]) -> Vec<(usize, usize, &'static str)> {
    let l = lists();
    let mut skip_set = None;
    let mut out: Vec<(usize, usize, &'static str)> = Vec::new();
    for start in 0..chars.len() {
        if !l.anaphora_first.contains(chars[start]) {
            continue;
        }
        let Some(a) = l.anaphora.iter().find(|a| starts_with_at(chars, start, a)) else { continue };
        let after = start + a.chars().count();
        // Most 本 and 上 start no reference: rule them out by the next char.
        if !chars.get(after).is_some_and(|c| l.types_first.contains(*c)) {
            continue;
        }
        let Some(t) = l.types.iter().find(|t| starts_with_at(chars, after, t)) else { continue };
        let end = after + t.chars().count();
        let inside = skip_set.get_or_insert_with(|| crate::entities::SpanSet::new(skip.iter().copied())).overlaps(start, end);
        if !inside && out.last().is_none_or(|(_, e, _)| start >= *e) {
            out.push((start, end, t.as_str()));
        }
    }
    out
}

fn starts_with_at(chars: &[char], at: usize, word: &str) -> bool {
    word.chars().enumerate().all(|(i, w)| chars.get(at + i) == Some(&w))
}

// ---------------------------------------------------------------------------
// ---------------------------------------------------------------------------
#[cfg(test)]
mod tests;
