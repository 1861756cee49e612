//! Paragraph alignment of two documents: which paragraphs are the same,
//! changed, added or removed. Similarity is the Dice coefficient of the
//! paragraphs' character bigrams (width-folded, punctuation and spaces
//! left out): Chinese has no spaces, and bigrams are what a reader sees as
//! "the same wording". The alignment is the monotone one of greatest total
//! similarity (a heaviest increasing chain over the candidate pairs, found
//! through an inverted bigram index, so a long document costs its shared
//! bigrams, not the product of its paragraph counts); paragraphs left over
//! on both sides that still match well are then paired as moved.

use crate::model::DocumentAnalysis;
use rustc_hash::FxHashMap;

/// Below this similarity two paragraphs are not one paragraph edited.
pub const MIN_SIMILARITY: f32 = 0.25;
/// A paragraph is part of another (split or merged) when the other holds
/// at least this share of its bigrams.
pub const MIN_CONTAINED: f32 = 0.6;
/// A pair out of order (a moved paragraph) must match at least this well.
pub const MIN_MOVED_SIMILARITY: f32 = 0.35;

/// What happened to a paragraph between the two documents.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Op {
    /// The same text (after width folding and spacing).
    Same,
    /// Edited: similar, not the same.
    Changed,
    /// Only in the second document.
    Added,
    /// Only in the first document.
    Removed,
}

/// One row of the alignment: a paragraph of each document, or of one.
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize)]
pub struct Pair {
    /// Paragraph index in the first document.
    pub a: Option<usize>,
    /// Paragraph index in the second document.
    pub b: Option<usize>,
    /// What happened.
    pub op: Op,
    /// Dice similarity of the two paragraphs, 0..=1 (0 for added and
    /// removed; for a part of a split or merge, how much of the part the
    /// whole paragraph holds).
    pub similarity: f32,
    /// A later part of paragraph N of the first document, split in the
    /// second (`a` is then empty: N is paired once, with the first part).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub split_from: Option<usize>,
    /// A paragraph of the first document merged into paragraph N of the
    /// second (`b` is then empty).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub merged_into: Option<usize>,
}

impl Pair {
    fn new(a: Option<usize>, b: Option<usize>, op: Op, similarity: f32) -> Self {
        Self { a, b, op, similarity, split_from: None, merged_into: None }
    }
}

/// The text a comparison reads: folded, without spaces and punctuation.
fn normalized(text: &str) -> Vec<char> {
    crate::text::fold(text).chars().filter(|c| c.is_alphanumeric()).collect()
}

/// Bigram counts of a normalized paragraph (a one-char paragraph is its char).
fn bigrams(chars: &[char]) -> FxHashMap<(char, char), u32> {
    let mut out: FxHashMap<(char, char), u32> = FxHashMap::default();
    if chars.len() == 1 {
        out.insert((chars[0], '\0'), 1);
    }
    for w in chars.windows(2) {
        *out.entry((w[0], w[1])).or_default() += 1;
    }
    out
}

/// Dice similarity of two paragraphs' texts (1.0 for equal texts).
pub fn similarity(a: &str, b: &str) -> f32 {
    let (a, b) = (normalized(a), normalized(b));
    if a == b {
        return 1.0;
    }
    let (ga, gb) = (bigrams(&a), bigrams(&b));
    dice(&ga, &gb)
}

fn dice(a: &FxHashMap<(char, char), u32>, b: &FxHashMap<(char, char), u32>) -> f32 {
    let (na, nb): (u32, u32) = (a.values().sum(), b.values().sum());
    if na + nb == 0 {
        return 0.0;
    }
    let shared: u32 = a.iter().map(|(g, n)| (*n).min(b.get(g).copied().unwrap_or(0))).sum();
    2.0 * shared as f32 / (na + nb) as f32
}

/// Aligns the paragraphs of `a` and `b`: every paragraph of each appears
/// once, in the order of `b` (a removed paragraph where it stood in `a`).
pub fn align(a: &DocumentAnalysis, b: &DocumentAnalysis) -> Vec<Pair> {
    let texts_a: Vec<&str> = a.paragraphs.iter().map(|p| p.text.as_str()).collect();
    let texts_b: Vec<&str> = b.paragraphs.iter().map(|p| p.text.as_str()).collect();
    align_texts(&texts_a, &texts_b)
}

/// [`align`] over paragraph texts.
pub fn align_texts(a: &[&str], b: &[&str]) -> Vec<Pair> {
    let norm_a: Vec<Vec<char>> = a.iter().map(|t| normalized(t)).collect();
    let norm_b: Vec<Vec<char>> = b.iter().map(|t| normalized(t)).collect();
    let grams_a: Vec<_> = norm_a.iter().map(|c| bigrams(c)).collect();
    let grams_b: Vec<_> = norm_b.iter().map(|c| bigrams(c)).collect();
    // Candidate pairs: those sharing a bigram (a bigram in very many
    // paragraphs, 的合, says nothing and is skipped).
    let mut posting: FxHashMap<(char, char), Vec<usize>> = FxHashMap::default();
    for (j, g) in grams_b.iter().enumerate() {
        for gram in g.keys() {
            posting.entry(*gram).or_default().push(j);
        }
    }
    let common = (b.len() / 2).max(50);
    let mut candidates: Vec<(usize, usize, f32)> = Vec::new();
    for (i, g) in grams_a.iter().enumerate() {
        let mut seen: Vec<usize> =
            g.keys().filter_map(|gram| posting.get(gram)).filter(|l| l.len() <= common).flatten().copied().collect();
        seen.sort_unstable();
        seen.dedup();
        for j in seen {
            let sim = if norm_a[i] == norm_b[j] { 1.0 } else { dice(g, &grams_b[j]) };
            if sim >= MIN_SIMILARITY {
                candidates.push((i, j, sim));
            }
        }
    }
    // Equal non-empty texts always pair, however common their bigrams.
    let mut by_text: FxHashMap<&[char], Vec<usize>> = FxHashMap::default();
    for (j, t) in norm_b.iter().enumerate().filter(|(_, t)| !t.is_empty()) {
        by_text.entry(t.as_slice()).or_default().push(j);
    }
    for (i, t) in norm_a.iter().enumerate() {
        for &j in by_text.get(t.as_slice()).into_iter().flatten() {
            candidates.push((i, j, 1.0));
        }
    }
    candidates.sort_by(|x, y| x.0.cmp(&y.0).then(x.1.cmp(&y.1)));
    candidates.dedup_by(|x, y| x.0 == y.0 && x.1 == y.1);
    let chain = heaviest_chain(&candidates, b.len());
    let mut pair_of_b: Vec<Option<(usize, f32)>> = vec![None; b.len()];
    let mut taken_a = vec![false; a.len()];
    for &k in &chain {
        let (i, j, s) = candidates[k];
        pair_of_b[j] = Some((i, s));
        taken_a[i] = true;
    }
    // Moved paragraphs: the best remaining matches, out of order.
    let mut moved: Vec<(usize, usize, f32)> = candidates
        .iter()
        .copied()
        .filter(|(i, j, s)| !taken_a[*i] && pair_of_b[*j].is_none() && *s >= MIN_MOVED_SIMILARITY)
        .collect();
    moved.sort_by(|x, y| y.2.total_cmp(&x.2).then(x.0.cmp(&y.0)).then(x.1.cmp(&y.1)));
    let mut moved_a = vec![false; a.len()];
    for (i, j, s) in moved {
        if !taken_a[i] && pair_of_b[j].is_none() {
            taken_a[i] = true;
            moved_a[i] = true;
            pair_of_b[j] = Some((i, s));
        }
    }
    // In the order of b; a removed paragraph of a goes before the first
    // pair (in order) that comes after it in a.
    let mut out = Vec::with_capacity(a.len() + b.len());
    let mut next_a = 0;
    let flush_removed = |upto: usize, next_a: &mut usize, out: &mut Vec<Pair>| {
        while *next_a < upto {
            if !taken_a[*next_a] {
                out.push(Pair::new(Some(*next_a), None, Op::Removed, 0.0));
            }
            *next_a += 1;
        }
    };
    for (j, pair) in pair_of_b.iter().enumerate() {
        match pair {
            Some((i, s)) => {
                if !moved_a[*i] {
                    flush_removed(*i, &mut next_a, &mut out);
                    next_a = next_a.max(i + 1);
                }
                let op = if norm_a[*i] == norm_b[j] { Op::Same } else { Op::Changed };
                out.push(Pair::new(Some(*i), Some(j), op, if op == Op::Same { 1.0 } else { *s }));
            }
            None => out.push(Pair::new(None, Some(j), Op::Added, 0.0)),
        }
    }
    flush_removed(a.len(), &mut next_a, &mut out);
    // Between two pairs, what went before what came: removed, then added.
    let mut k = 0;
    while k < out.len() {
        let run = out[k..].iter().take_while(|p| p.a.is_none() || p.b.is_none()).count();
        out[k..k + run].sort_by_key(|p| p.op != Op::Removed);
        k += run.max(1);
    }
    mark_splits_and_merges(&mut out, &grams_a, &grams_b);
    out
}

/// Share of `part`'s bigrams that `whole` holds.
fn contained(part: &FxHashMap<(char, char), u32>, whole: &FxHashMap<(char, char), u32>) -> f32 {
    let n: u32 = part.values().sum();
    if n < 4 {
        return 0.0; // too short to say
    }
    let shared: u32 = part.iter().map(|(g, k)| (*k).min(whole.get(g).copied().unwrap_or(0))).sum();
    shared as f32 / n as f32
}

/// An added paragraph that the paired paragraph of the first document just
/// before or after it holds is a part of it, split; a removed one that the
/// paired paragraph of the second document beside it holds was merged.
fn mark_splits_and_merges(rows: &mut [Pair], grams_a: &[FxHashMap<(char, char), u32>], grams_b: &[FxHashMap<(char, char), u32>]) {
    for k in 0..rows.len() {
        let row = rows[k];
        let (before, after) = (
            rows[..k].iter().rev().find(|r| r.a.is_some() && r.b.is_some()).copied(),
            rows[k + 1..].iter().find(|r| r.a.is_some() && r.b.is_some()).copied(),
        );
        match (row.op, row.a, row.b) {
            (Op::Added, None, Some(j)) => {
                let best = [before, after]
                    .into_iter()
                    .flatten()
                    .filter_map(|r| r.a.map(|i| (i, contained(&grams_b[j], &grams_a[i]))))
                    .max_by(|x, y| x.1.total_cmp(&y.1));
                if let Some((i, share)) = best.filter(|(_, s)| *s >= MIN_CONTAINED) {
                    rows[k] = Pair { op: Op::Changed, similarity: share, split_from: Some(i), ..row };
                }
            }
            (Op::Removed, Some(i), None) => {
                let best = [before, after]
                    .into_iter()
                    .flatten()
                    .filter_map(|r| r.b.map(|j| (j, contained(&grams_a[i], &grams_b[j]))))
                    .max_by(|x, y| x.1.total_cmp(&y.1));
                if let Some((j, share)) = best.filter(|(_, s)| *s >= MIN_CONTAINED) {
                    rows[k] = Pair { op: Op::Changed, similarity: share, merged_into: Some(j), ..row };
                }
            }
            _ => {}
        }
    }
}

/// The chain of candidates (sorted by `i`, then `j`) strictly increasing in
/// both `i` and `j` whose weights (similarity − threshold, so that a weak
/// pair never displaces two good ones) sum highest; indices into
/// `candidates`. A Fenwick tree over `j` keeps the best chain ending below
/// each `j`: O(k log n).
fn heaviest_chain(candidates: &[(usize, usize, f32)], b_len: usize) -> Vec<usize> {
    let mut tree: Vec<(f32, Option<usize>)> = vec![(0.0, None); b_len + 1];
    let query = |tree: &[(f32, Option<usize>)], mut j: usize| {
        // Best over positions 1..=j.
        let mut best = (0.0f32, None);
        while j > 0 {
            if tree[j].0 > best.0 {
                best = tree[j];
            }
            j &= j - 1;
        }
        best
    };
    let mut score = vec![0.0f32; candidates.len()];
    let mut back: Vec<Option<usize>> = vec![None; candidates.len()];
    let mut start = 0;
    while start < candidates.len() {
        // One `i` at a time: its candidates read the tree before any of them writes it.
        let i = candidates[start].0;
        let end = candidates[start..].iter().position(|c| c.0 != i).map_or(candidates.len(), |n| start + n);
        for k in start..end {
            let (_, j, s) = candidates[k];
            let (best, prev) = query(&tree, j);
            score[k] = best + (s - MIN_SIMILARITY * 0.5);
            back[k] = prev;
        }
        for (k, &(_, j, _)) in candidates.iter().enumerate().take(end).skip(start) {
            let mut pos = j + 1;
            while pos <= b_len {
                if score[k] > tree[pos].0 {
                    tree[pos] = (score[k], Some(k));
                }
                pos += pos & pos.wrapping_neg();
            }
        }
        start = end;
    }
    let mut k = query(&tree, b_len).1;
    let mut chain = Vec::new();
    while let Some(c) = k {
        chain.push(c);
        k = back[c];
    }
    chain.reverse();
    chain
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ops(pairs: &[Pair]) -> Vec<(Option<usize>, Option<usize>, Op)> {
        pairs.iter().map(|p| (p.a, p.b, p.op)).collect()
    }

    #[test]
    fn same_changed_added_removed_in_order() {
        let a = [
            "一、会议在北京举行。",
            "二、各方同意加强经贸合作，扩大贸易规模。",
            "三、这一段被删除了，不再出现。",
            "四、下次会议在上海举行。",
        ];
        let b = [
            "一、会议在北京举行。",
            "二、各方同意加强经贸合作，扩大贸易和投资规模。",
            "新增：各方欢迎数字经济合作。",
            "四、下次会议在上海举行。",
        ];
        let pairs = align_texts(&a, &b);
        assert_eq!(
            ops(&pairs),
            vec![
                (Some(0), Some(0), Op::Same),
                (Some(1), Some(1), Op::Changed),
                (Some(2), None, Op::Removed),
                (None, Some(2), Op::Added),
                (Some(3), Some(3), Op::Same),
            ]
        );
        assert!(pairs[1].similarity > 0.7 && pairs[1].similarity < 1.0);
    }

    #[test]
    fn a_moved_paragraph_is_found_and_every_paragraph_appears_once() {
        let a = ["甲方强调维护地区安全稳定的重要性。", "乙段落讲经贸合作与互联互通建设。", "丙段落讲人文交流与教育合作项目。"];
        let b = ["丙段落讲人文交流与教育合作项目。", "甲方强调维护地区安全稳定的重要性。", "乙段落讲经贸合作与互联互通建设。"];
        let pairs = align_texts(&a, &b);
        assert!(pairs.iter().all(|p| p.op == Op::Same), "{pairs:?}");
        let mut seen_a: Vec<usize> = pairs.iter().filter_map(|p| p.a).collect();
        seen_a.sort_unstable();
        assert_eq!(seen_a, [0, 1, 2]);
        assert_eq!(pairs.iter().filter_map(|p| p.b).collect::<Vec<_>>(), [0, 1, 2]);
    }

    #[test]
    fn width_and_spacing_do_not_make_a_change() {
        assert_eq!(similarity("上合组织（总理）理事会", "上合组织(总理) 理事会"), 1.0);
        assert!(similarity("完全不同的内容", "另一段文字") < MIN_SIMILARITY);
    }
}
