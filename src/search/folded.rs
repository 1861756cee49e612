//! Finding a width-folded query in text as written, without a folded copy
//! of the text.
//!
//! Folding ([`crate::text::fold_char`]) is one char for one char, and most
//! chars (every Han char among them) fold only from themselves. So the
//! longest run of such chars in the query is looked for byte for byte
//! (memchr's `memmem`), and each place it stands is checked char by char,
//! folded, outwards to the query's ends. A query made only of chars that
//! several chars fold to (`2014`, `SCO`) is looked for by each form of its
//! first char instead. The corpus is held once, as written, and snippets
//! show it as written.
//!
//! memchr picks the needle's rarest bytes from a table of English text,
//! where every byte of a Han char looks rare; [`ChineseBytes`] ranks bytes
//! by how often they stand in Chinese text instead.

use crate::text::{chars_folding_to, fold_char};
use memchr::arch::all::packedpair::HeuristicFrequencyRank;
use memchr::memmem::{Finder, FinderBuilder};
use std::sync::OnceLock;

/// Bytes ranked by how often they stand in the bundled documents (0: the
/// rarest), for memchr's choice of which needle bytes to look for first.
#[derive(Clone, Copy)]
struct ChineseBytes;

impl HeuristicFrequencyRank for ChineseBytes {
    fn rank(&self, byte: u8) -> u8 {
        static RANKS: OnceLock<[u8; 256]> = OnceLock::new();
        let ranks = RANKS.get_or_init(|| {
            let mut counts = [0u64; 256];
            for (_, bytes) in crate::corpus::BUNDLED_DOCUMENTS {
                for &b in *bytes {
                    counts[usize::from(b)] += 1;
                }
            }
            let mut order: Vec<u8> = (0..=255).collect();
            order.sort_by_key(|&b| counts[usize::from(b)]);
            let mut ranks = [0u8; 256];
            for (rank, &b) in (0..=255u8).zip(&order) {
                ranks[usize::from(b)] = rank;
            }
            ranks
        });
        ranks[usize::from(byte)]
    }
}

/// A finder for `needle` that knows which bytes are rare in Chinese text.
fn finder(needle: &[u8]) -> Finder<'static> {
    FinderBuilder::new().build_forward_with_ranker_owned(ChineseBytes, needle)
}

/// Where a query is looked for byte for byte.
enum Anchor {
    /// `query[from..to]`, chars that fold only from themselves.
    Run { finder: Box<Finder<'static>>, from: usize, to: usize },
    /// Each char that folds to the query's first char.
    First { finders: Vec<Finder<'static>> },
}

/// A folded query, ready to be found in unfolded text.
pub struct FoldedFinder {
    /// The query's chars, folded.
    query: Vec<char>,
    anchor: Anchor,
}

impl FoldedFinder {
    /// A finder for `query` (folded already); `None` when it is empty.
    pub fn new(query: &str) -> Option<Self> {
        let chars: Vec<char> = query.chars().collect();
        let first = *chars.first()?;
        let only_itself = |c: char| chars_folding_to(c) == [c];
        // The longest run (in bytes) of chars that fold only from themselves.
        let (mut best, mut at) = ((0, 0, 0), 0); // (bytes, from, to)
        let mut bytes = 0;
        for (i, &c) in chars.iter().enumerate() {
            if only_itself(c) {
                bytes += c.len_utf8();
                if bytes > best.0 {
                    best = (bytes, at, i + 1);
                }
            } else {
                bytes = 0;
                at = i + 1;
            }
        }
        let anchor = if best.0 > 0 {
            let run: String = chars[best.1..best.2].iter().collect();
            Anchor::Run { finder: Box::new(finder(run.as_bytes())), from: best.1, to: best.2 }
        } else {
            let finders = chars_folding_to(first).into_iter().map(|c| finder(c.to_string().as_bytes())).collect();
            Anchor::First { finders }
        };
        Some(Self { query: chars, anchor })
    }

    /// Every occurrence in `text` as byte ranges, in order, none
    /// overlapping the one before, a place counting only when `counts` says
    /// so of its byte range: one that does not count hides none that
    /// overlaps it (a search over several paragraphs read as one text drops
    /// a place that runs from one into the next).
    pub fn find_all(&self, text: &str, out: &mut Vec<(usize, usize)>, counts: impl Fn(usize, usize) -> bool) {
        let mut last_end = 0;
        let mut accept = |hit: Option<(usize, usize)>, out: &mut Vec<(usize, usize)>| {
            if let Some((start, end)) = hit
                && start >= last_end
                && counts(start, end)
            {
                out.push((start, end));
                last_end = end;
            }
        };
        match &self.anchor {
            Anchor::Run { finder, from, to } => {
                // Every place the run stands, overlapping ones too: one that
                // fails the check may hide one that passes (`总总)` in `总总总)`).
                let run_bytes = finder.needle().len();
                let step = self.query[*from].len_utf8();
                let mut pos = 0;
                while let Some(found) = text.as_bytes().get(pos..).and_then(|rest| finder.find(rest)) {
                    let at = pos + found;
                    let hit = self.before(text, at, *from).zip(self.after(text, at + run_bytes, *to));
                    accept(hit, out);
                    pos = at + step;
                }
            }
            Anchor::First { finders } => {
                let mut starts: Vec<usize> = Vec::new();
                for finder in finders {
                    starts.extend(finder.find_iter(text.as_bytes()));
                }
                if finders.len() > 1 {
                    starts.sort_unstable();
                }
                for at in starts {
                    accept(self.after(text, at, 0).map(|end| (at, end)), out);
                }
            }
        }
    }

    /// The byte where the query starts when its chars from `from` on stand
    /// at byte `at`: the `from` chars before `at`, folded, must be the query's.
    fn before(&self, text: &str, at: usize, from: usize) -> Option<usize> {
        let mut chars = text.get(..at)?.chars();
        let mut start = at;
        for &want in self.query[..from].iter().rev() {
            let c = chars.next_back()?;
            if fold_char(c) != want {
                return None;
            }
            start -= c.len_utf8();
        }
        Some(start)
    }

    /// The byte where the query ends when its chars from `from` on start
    /// at byte `at`.
    fn after(&self, text: &str, at: usize, from: usize) -> Option<usize> {
        let mut chars = text.get(at..)?.chars();
        let mut end = at;
        for &want in &self.query[from..] {
            let c = chars.next()?;
            if fold_char(c) != want {
                return None;
            }
            end += c.len_utf8();
        }
        Some(end)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::fold;

    /// The byte ranges a folded copy of `text` gives (the reference).
    fn through_a_folded_copy(text: &str, query: &str) -> Vec<(usize, usize)> {
        let folded = fold(text);
        let chars: Vec<(usize, char)> = text.char_indices().collect();
        let folded_starts: Vec<usize> = folded.char_indices().map(|(b, _)| b).collect();
        let byte_of =
            |folded_byte: usize| folded_starts.iter().position(|&b| b == folded_byte).map_or(text.len(), |i| chars[i].0);
        let q = fold(query);
        Finder::new(q.as_bytes()).find_iter(folded.as_bytes()).map(|b| (byte_of(b), byte_of(b + q.len()))).collect()
    }

    fn found(text: &str, query: &str) -> Vec<(usize, usize)> {
        let mut out = Vec::new();
        if let Some(f) = FoldedFinder::new(&fold(query)) {
            f.find_all(text, &mut out, |_, _| true);
        }
        out
    }

    #[test]
    fn finds_what_a_folded_copy_finds() {
        let text = "２０１４年（总理）会议，2014年(总理)会议。SCO与ＳＣＯ，上合组织“峰会”、\"峰会\"。2014—2015年；aaaa";
        for query in
            ["2014年(总理)", "（总理）", "总理", "SCO", "ＳＣＯ与", "\"峰会\"", "“峰会”", "2014-2015", "会议", "aa", "年", "不在"]
        {
            assert_eq!(found(text, query), through_a_folded_copy(text, query), "{query}");
        }
        assert_eq!(found(text, "2014年(总理)").len(), 2);
        assert_eq!(found(text, "SCO").len(), 2);
        assert_eq!(found(text, "aa"), [(text.len() - 4, text.len() - 2), (text.len() - 2, text.len())]);
    }

    #[test]
    fn an_anchor_at_either_end_of_the_text_is_checked_within_it() {
        assert!(found("(总理", "a(总理").is_empty());
        assert!(found("总理)", "总理))").is_empty());
        assert_eq!(found("总理", "总理"), [(0, 6)]);
        assert_eq!(found("总总总)", "总总)"), through_a_folded_copy("总总总)", "总总)"));
        assert_eq!(found("总总总)", "总总)").len(), 1);
        assert_eq!(found("总总总总", "总总"), [(0, 6), (6, 12)]);
        assert!(FoldedFinder::new("").is_none());
    }
}
