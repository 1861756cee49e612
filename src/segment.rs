//! Word segmentation with jieba-rs, loaded once with the gazetteer as a user
//! dictionary (so 上合组织, 哈萨克斯坦共和国 and the titles are single words).
//!
//! `Jieba::new()` is expensive (about 100 ms): [`jieba`] builds it once per
//! process, on first use, which the app does on its loading thread.

use crate::knowledge::{EntryKind, Knowledge};
use jieba_rs::Jieba;
use std::sync::OnceLock;

/// The shared segmenter with the bundled gazetteer added.
pub fn jieba() -> &'static Jieba {
    static J: OnceLock<Jieba> = OnceLock::new();
    J.get_or_init(|| with_knowledge(crate::knowledge::bundled()))
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

/// POS tags of words that cannot be part of a person's name when they are
/// two or more characters long (verbs, prepositions, conjunctions, adverbs…).
fn ends_name(word: &str, tag: &str) -> bool {
    word.chars().count() >= 2
        && matches!(tag.chars().next(), Some('v' | 'p' | 'c' | 'd' | 'u' | 'r' | 'm' | 'q' | 'f' | 'a'))
        && !matches!(tag, "vn" | "an")
}

/// Length in chars of the person's name at the start of `run` (a run of Han
/// characters after a title): it ends at the first verb-like word. `None`
/// when the run starts with such a word.
pub fn name_prefix_len(run: &str) -> Option<usize> {
    let tags = jieba().tag(run, true);
    let mut len = 0;
    for (i, t) in tags.iter().enumerate() {
        if ends_name(t.word, t.tag) {
            return (i > 0).then_some(len);
        }
        len = t.end;
    }
    Some(len)
}
