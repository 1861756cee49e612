//! Name checks with jieba-rs: the segmenter of the [`Knowledge`] in force
//! (its gazetteer, the user's names too, as user words) tells where a name
//! candidate after a title ends.

use crate::knowledge::Knowledge;
use rustc_hash::FxHashMap;
use std::cell::RefCell;

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
pub fn check_name(knowledge: &Knowledge, run: &str, len: usize) -> Option<usize> {
    // The same titles introduce the same names all through a corpus, and
    // tagging is the dearest step of the name rules: remember the answers
    // (per thread, so without locks; cleared when it grows large, and when
    // another gazetteer asks: its segmenter may answer otherwise).
    thread_local! {
        static ANSWERS: RefCell<([u8; 32], Answers)> = RefCell::new(([0; 32], FxHashMap::default()));
    }
    const MAX_ANSWERS: usize = 1 << 16;
    ANSWERS.with_borrow_mut(|(fingerprint, answers)| {
        if *fingerprint != knowledge.fingerprint() {
            answers.clear();
            *fingerprint = knowledge.fingerprint();
        }
        if let Some(&(_, known)) = answers.get(run).and_then(|a| a.iter().find(|(l, _)| *l == len)) {
            return known;
        }
        let answer = check_name_uncached(knowledge, run, len);
        if answers.len() >= MAX_ANSWERS {
            answers.clear();
        }
        answers.entry(Box::from(run)).or_default().push((len, answer));
        answer
    })
}

/// Remembered [`is_common_word`] answers: word → answer.
type WordAnswers = FxHashMap<Box<str>, bool>;

/// True if jieba reads `word` whole as one common word (农业, 文化): such a
/// word before a title is a field (农业部长), not a name.
pub fn is_common_word(knowledge: &Knowledge, word: &str) -> bool {
    // The same words stand before the same titles all through a corpus:
    // remember the answers, per thread and per gazetteer, as `check_name` does.
    thread_local! {
        static ANSWERS: RefCell<([u8; 32], WordAnswers)> = RefCell::new(([0; 32], FxHashMap::default()));
    }
    const MAX_ANSWERS: usize = 1 << 16;
    ANSWERS.with_borrow_mut(|(fingerprint, answers)| {
        if *fingerprint != knowledge.fingerprint() {
            answers.clear();
            *fingerprint = knowledge.fingerprint();
        }
        if let Some(&known) = answers.get(word) {
            return known;
        }
        let tags = knowledge.segmenter().tag(word, true);
        let answer = tags.len() == 1 && is_common_tag(tags[0].tag);
        if answers.len() >= MAX_ANSWERS {
            answers.clear();
        }
        answers.insert(Box::from(word), answer);
        answer
    })
}

fn check_name_uncached(knowledge: &Knowledge, run: &str, len: usize) -> Option<usize> {
    let tags = knowledge.segmenter().tag(run, true);
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
