//! Word segmentation with jieba-rs, loaded once with the gazetteer as a user
//! dictionary (so 上合组织, 哈萨克斯坦共和国 and the titles are single words).
//!
//! `Jieba::new()` is expensive (about 100 ms): [`jieba`] builds it once per
//! process, on first use, which the app does on its loading thread.

use crate::knowledge::{EntryKind, Knowledge};
use jieba_rs::Jieba;
use rustc_hash::FxHashMap;
use std::cell::RefCell;
use std::sync::OnceLock;

static JIEBA: OnceLock<Jieba> = OnceLock::new();

/// True once [`jieba`] is built: a caller can do work that needs no
/// segmenter first rather than wait for it.
pub fn is_ready() -> bool {
    JIEBA.get().is_some()
}

/// The shared segmenter with the bundled gazetteer added.
pub fn jieba() -> &'static Jieba {
    JIEBA.get_or_init(|| {
        let jieba = with_knowledge(crate::knowledge::bundled());
        // The tagger reads its tables the first time it guesses the tag of an
        // unknown word (0.05 s): guess one here, on the thread building the
        // dictionary, not in the first name check of the analysis.
        let _ = jieba.tag("扎伊尔别克·奥斯帕诺娃会见", true);
        jieba
    })
}

/// A segmenter with the names of `knowledge` added as user words.
pub fn with_knowledge(knowledge: &Knowledge) -> Jieba {
    let mut jieba = Jieba::new();
    for entry in knowledge.entries() {
        let tag = match entry.kind {
            EntryKind::Country | EntryKind::Place => "ns",
            EntryKind::Organization => "nt",
            EntryKind::Title => "nn",
            EntryKind::None => "n",
        };
        jieba.add_word(&entry.canonical, Some(20_000), Some(tag));
    }
    jieba
}

/// Tags of words that are not names: a name never starts with one of these
/// (two characters or more), and never ends with a common word either.
fn is_function_tag(tag: &str) -> bool {
    matches!(tag, "p" | "c" | "d" | "u" | "uj" | "ul" | "r" | "v" | "vn" | "vd" | "i" | "l" | "f" | "ad")
}

fn is_common_tag(tag: &str) -> bool {
    is_function_tag(tag) || matches!(tag, "n" | "a" | "an" | "t" | "s")
}

/// Remembered [`check_name`] answers: run → `(len, answer)` for each length asked.
type Answers = FxHashMap<Box<str>, Vec<(usize, Option<usize>)>>;

/// Checks a candidate name (the first `len` chars of `run`, a run of Han
/// characters after a title) against jieba's segmentation and returns the
/// length to keep: the name must end on a word boundary, must not start with a
/// function word or end with a common word of two characters or more, and ends
/// before the first verb-like word.
pub fn check_name(run: &str, len: usize) -> Option<usize> {
    // The same titles introduce the same names all through a corpus, and
    // tagging is the dearest step of the name rules: remember the answers
    // (per thread, so without locks; cleared when it grows large).
    thread_local! {
        static ANSWERS: RefCell<Answers> = RefCell::new(FxHashMap::default());
    }
    const MAX_ANSWERS: usize = 1 << 16;
    ANSWERS.with_borrow_mut(|answers| {
        if let Some(&(_, known)) = answers.get(run).and_then(|a| a.iter().find(|(l, _)| *l == len)) {
            return known;
        }
        let answer = check_name_uncached(run, len);
        if answers.len() >= MAX_ANSWERS {
            answers.clear();
        }
        answers.entry(Box::from(run)).or_default().push((len, answer));
        answer
    })
}

fn check_name_uncached(run: &str, len: usize) -> Option<usize> {
    let tags = jieba().tag(run, true);
    let mut keep = 0;
    for (i, t) in tags.iter().enumerate() {
        if t.start >= len {
            break;
        }
        let long = t.word.chars().count() >= 2;
        if long && (is_function_tag(t.tag) && !matches!(t.tag, "n")) {
            if i == 0 {
                return None;
            }
            break;
        }
        keep = t.end;
    }
    if keep == 0 {
        return None;
    }
    // The name must end where a word ends (性和效|率 is no name).
    if keep == len && !tags.iter().any(|t| t.end == len) {
        return None;
    }
    let last = tags.iter().rfind(|t| t.end <= keep)?;
    if last.word.chars().count() >= 2 && is_common_tag(last.tag) {
        return None;
    }
    Some(keep)
}
