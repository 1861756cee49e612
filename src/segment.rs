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

/// Checks a candidate name (the first `len` chars of `run`, a run of Han
/// characters after a title) against jieba's segmentation and returns the
/// length to keep: the name must end on a word boundary, must not start with a
/// function word or end with a common word of two characters or more, and ends
/// before the first verb-like word.
pub fn check_name(knowledge: &Knowledge, run: &str, len: usize) -> Option<usize> {
    // The same titles introduce the same names all through a corpus, and
    // tagging is the dearest step of the name rules: remember the answers.
    with_memo(knowledge, |memo| {
        if let Some(&(_, known)) = memo.names.get(run).and_then(|a| a.iter().find(|(l, _)| *l == len)) {
            return known;
        }
        let answer = check_name_uncached(knowledge, run, len);
        make_room(&mut memo.names);
        memo.names.entry(Box::from(run)).or_default().push((len, answer));
        answer
    })
}

/// True if jieba reads `word` whole as one common word (农业, 文化): such a
/// word before a title is a field (农业部长), not a name.
pub fn is_common_word(knowledge: &Knowledge, word: &str) -> bool {
    // The same words stand before the same titles all through a corpus.
    with_memo(knowledge, |memo| {
        if let Some(&known) = memo.words.get(word) {
            return known;
        }
        let tags = knowledge.segmenter().tag(word, true);
        let answer = tags.len() == 1 && is_common_tag(tags[0].tag);
        make_room(&mut memo.words);
        memo.words.insert(Box::from(word), answer);
        answer
    })
}

/// Remembered answers of the segmenter of one gazetteer.
#[derive(Default)]
struct Memo {
    /// The gazetteer the answers are for.
    fingerprint: [u8; 32],
    /// [`check_name`]: run → `(len, answer)` for each length asked.
    names: FxHashMap<Box<str>, Vec<(usize, Option<usize>)>>,
    /// [`is_common_word`]: word → answer.
    words: FxHashMap<Box<str>, bool>,
}

thread_local! {
    /// This thread's answers.
    static MEMO: RefCell<Memo> = RefCell::new(Memo::default());
}

/// Lets this thread's remembered answers go (after a load: the window may
/// not analyse again for a long time).
pub fn forget_answers() {
    MEMO.with_borrow_mut(|memo| *memo = Memo::default());
}

/// Runs `f` on this thread's memo (per thread, so without locks), emptied
/// first when another gazetteer asks: its segmenter may answer otherwise.
fn with_memo<R>(knowledge: &Knowledge, f: impl FnOnce(&mut Memo) -> R) -> R {
    MEMO.with_borrow_mut(|memo| {
        if memo.fingerprint != knowledge.fingerprint() {
            *memo = Memo { fingerprint: knowledge.fingerprint(), ..Memo::default() };
        }
        f(memo)
    })
}

/// Empties a memo table that has grown large.
fn make_room<V>(table: &mut FxHashMap<Box<str>, V>) {
    const MAX_ANSWERS: usize = 1 << 16;
    if table.len() >= MAX_ANSWERS {
        table.clear();
    }
}

fn check_name_uncached(knowledge: &Knowledge, run: &str, len: usize) -> Option<usize> {
    let tags = knowledge.segmenter().tag(run, true);
    // Cut before the run's end, by a stop word (`拉赫蒙|在杜尚别`): where
    // jieba reads a word across the cut (`拉赫/蒙在`), the stop word is the
    // better reading, and the name ends at the cut.
    let cut_by_stop_word = len < run.chars().count();
    let mut keep = 0;
    for (i, t) in tags.iter().enumerate() {
        if t.start >= len {
            break;
        }
        if cut_by_stop_word && t.end > len {
            keep = len;
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
    if keep == len && !cut_by_stop_word && !tags.iter().any(|t| t.end == len) {
        return None;
    }
    let last = tags.iter().rfind(|t| t.end <= keep)?;
    if last.word.chars().count() >= 2 && is_common_tag(last.tag) {
        return None;
    }
    Some(keep)
}
