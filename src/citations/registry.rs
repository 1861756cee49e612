//! The agreement registry: links every citation of the corpus to one
//! agreement across documents and wordings (exact normalised titles, then
//! guarded fuzzy merges inside buckets of equal digits and type noun: no
//! quadratic step over the corpus), resolves short forms, and builds each
//! agreement's entry (wordings, signing facts, citing passages).

use super::{FoundCitation, lists, type_noun};
use crate::model::{Agreement, CitedBy, Name, Paragraph, Signed};
use crate::text::{fold, is_inline_space};
use rayon::prelude::*;
use rustc_hash::FxHashMap;
use std::sync::OnceLock;

/// What the registry reads of one document.
pub struct CitingDocument<'a> {
    /// The document's id.
    pub id: &'a str,
    /// What it cites and the text a short form may look back into.
    pub citing: &'a DocumentCitations,
}

/// A document's citations as pass 1 found them, and the paragraphs a
/// short form (《条约》) may look back into for the title it stands for;
/// every other paragraph is left empty. Kept for every document of a
/// corpus between the passes and in the analysis cache, so it is small.
#[derive(Clone, Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct DocumentCitations {
    /// The paragraphs a short form looks into, `(index, text)` by index.
    pub paragraphs: Vec<(u32, String)>,
    /// The citations, in text order.
    pub found: Vec<FoundCitation>,
}

/// Paragraphs before its own that a short form looks back into.
const LOOK_BACK: usize = 5;

impl DocumentCitations {
    /// The citations `found` in `paragraphs`, with the texts the registry may read.
    pub fn of(paragraphs: &[Paragraph], found: Vec<FoundCitation>) -> Self {
        let mut wanted = vec![false; paragraphs.len()];
        for c in found.iter().filter(|c| c.short) {
            for w in wanted.iter_mut().take(c.paragraph + 1).skip(c.paragraph.saturating_sub(LOOK_BACK)) {
                *w = true;
            }
        }
        let paragraphs = paragraphs
            .iter()
            .zip(&wanted)
            .zip(0u32..)
            .filter(|((_, w), _)| **w)
            .map(|((p, _), i)| (i, p.text.to_string()))
            .collect();
        Self { paragraphs, found }
    }

    /// The text of paragraph `p`, if a short form looks into it.
    fn text(&self, p: usize) -> Option<&str> {
        let p = u32::try_from(p).ok()?;
        let at = self.paragraphs.binary_search_by_key(&p, |(i, _)| *i).ok()?;
        self.paragraphs.get(at).map(|(_, t)| t.as_str())
    }
}

// Linking

/// Normalised form of a title for linking: width-folded, spaces and 的
/// removed, 上合组织/本组织 → 上海合作组织, one dash style.
pub fn normalize_title(title: &str) -> String {
    let mut s: String = fold(title).chars().filter(|c| !is_inline_space(*c) && *c != '的').collect();
    for (short, full) in prefix_synonyms() {
        if s.contains(short.as_str()) {
            s = s.replace(short.as_str(), full);
        }
    }
    s
}

fn prefix_synonyms() -> &'static [(String, String)] {
    static P: OnceLock<Vec<(String, String)>> = OnceLock::new();
    P.get_or_init(|| {
        let mut out = Vec::new();
        for line in include_str!("../../assets/gazetteer/prefixes.tsv").lines().filter(|l| !l.starts_with('#')) {
            if let Some((full, alts)) = line.split_once('\t') {
                for alt in alts.split('|').map(str::trim) {
                    // Only pure synonyms of the name (not 上合组织成员国 → 上海合作组织).
                    if !alt.contains("成员国") && alt != full && alt != "本组织" {
                        out.push((alt.to_owned(), full.to_owned()));
                    }
                }
            }
        }
        out
    })
}

/// One citation as the registry sees it.
#[derive(Clone, Debug)]
pub struct CitationRef<'a> {
    /// Document index.
    pub document: usize,
    /// Citation index within the document.
    pub citation: usize,
    /// Title as written (cleaned).
    pub title: &'a str,
    /// Signing facts read at this citation.
    pub signed: Option<&'a Signed>,
}

/// Agreements after linking: group id per citation, in first-seen order.
pub struct Linked<'a> {
    /// For each input citation (same order), the agreement index.
    pub agreement_of: Vec<usize>,
    /// Number of agreements.
    pub count: usize,
    /// The distinct titles, in order of first citation.
    pub wordings: Vec<&'a str>,
    /// For each input citation, its title's index in `wordings`.
    pub wording_of: Vec<usize>,
}

/// Groups citations into agreements: same normalised title; 协定/协议 when the
/// signing date agrees; one-character or word-order differences when all
/// else agrees. Different years or signing dates never merge.
pub fn link<'a>(citations: &[CitationRef<'a>]) -> Linked<'a> {
    // 1. exact normalised key
    let mut key_group: FxHashMap<&str, usize> = FxHashMap::default();
    let mut group_of = Vec::with_capacity(citations.len());
    let mut groups: Vec<GroupInfo> = Vec::new();
    // The same titles are cited over and over: normalise each wording once.
    let mut wording_of: FxHashMap<&str, usize> = FxHashMap::default();
    let mut wordings: Vec<&'a str> = Vec::new();
    let wording_index: Vec<usize> = citations
        .iter()
        .map(|c| {
            *wording_of.entry(c.title).or_insert_with(|| {
                wordings.push(c.title);
                wordings.len() - 1
            })
        })
        .collect();
    let normalized: Vec<String> = {
        use rayon::prelude::*;
        wordings.par_iter().map(|t| normalize_title(t)).collect()
    };
    // Each wording's group (wordings come in order of first citation, so
    // groups are numbered in that order too), then each citation's.
    let group_of_wording: Vec<usize> = normalized
        .iter()
        .map(|key| {
            *key_group.entry(key.as_str()).or_insert_with(|| {
                groups.push(GroupInfo { key: key.clone(), dates: FxHashMap::default(), places: FxHashMap::default() });
                groups.len() - 1
            })
        })
        .collect();
    for (c, &w) in citations.iter().zip(&wording_index) {
        let g = group_of_wording[w];
        if let Some(s) = c.signed {
            if let Some(d) = &s.date {
                *groups[g].dates.entry(d).or_default() += 1;
            }
            if let Some(p) = &s.place {
                *groups[g].places.entry(p).or_default() += 1;
            }
        }
        group_of.push(g);
    }
    // 2. fuzzy merges within buckets (same digits and type noun)
    let mut uf = UnionFind::new(groups.len());
    let mut buckets: FxHashMap<(String, Option<&'static str>), Vec<usize>> = FxHashMap::default();
    for (g, info) in groups.iter().enumerate() {
        let digits: String = info.key.chars().filter(char::is_ascii_digit).collect();
        let noun = type_noun(&info.key.replace("协议", "协定"));
        if info.key.chars().count() >= 8 {
            buckets.entry((digits, noun)).or_default().push(g);
        }
    }
    let mut bucket_list: Vec<_> = buckets.into_values().collect();
    bucket_list.sort();
    // What the pairwise comparison asks of each group, computed once.
    let prepared: Vec<Prepared> = groups.iter().map(Prepared::of).collect();
    for members in bucket_list {
        // Buckets are small in practice; cap the pairwise work regardless.
        if members.len() > 400 {
            continue;
        }
        for (x, &a) in members.iter().enumerate() {
            for &b in &members[x + 1..] {
                if same_agreement(&prepared[a], &prepared[b]) {
                    uf.union(a, b);
                }
            }
        }
    }
    // 3. number the roots in first-seen order
    let mut id_of_root: FxHashMap<usize, usize> = FxHashMap::default();
    let mut agreement_of = Vec::with_capacity(citations.len());
    for &g in &group_of {
        let root = uf.find(g);
        let next = id_of_root.len();
        agreement_of.push(*id_of_root.entry(root).or_insert(next));
    }
    Linked { agreement_of, count: id_of_root.len(), wordings, wording_of: wording_index }
}

struct GroupInfo<'a> {
    key: String,
    dates: FxHashMap<&'a str, usize>,
    places: FxHashMap<&'a str, usize>,
}

impl GroupInfo<'_> {
    fn date(&self) -> Option<&str> {
        mode(&self.dates)
    }
    fn place(&self) -> Option<&str> {
        mode(&self.places)
    }
}

fn mode<'a>(m: &FxHashMap<&'a str, usize>) -> Option<&'a str> {
    m.iter().max_by(|a, b| a.1.cmp(b.1).then_with(|| b.0.cmp(a.0))).map(|(k, _)| *k)
}

/// A group as the pairwise comparison sees it.
struct Prepared<'a> {
    date: Option<&'a str>,
    place: Option<&'a str>,
    chars: Vec<char>,
    /// The key with 协议 read as 协定.
    unified: String,
}

impl<'a> Prepared<'a> {
    fn of(g: &'a GroupInfo<'a>) -> Self {
        Self { date: g.date(), place: g.place(), chars: g.key.chars().collect(), unified: g.key.replace("协议", "协定") }
    }
}

fn same_agreement(a: &Prepared<'_>, b: &Prepared<'_>) -> bool {
    // Anything that disagrees keeps them apart.
    let dates_conflict = matches!((a.date, b.date), (Some(x), Some(y)) if x != y);
    let places_conflict = matches!((a.place, b.place), (Some(x), Some(y)) if x != y);
    if dates_conflict || places_conflict {
        return false;
    }
    let signed_agree = a.date.is_some() && a.date == b.date;
    let (ka, kb) = (&a.chars, &b.chars);
    // 协定 / 协议 when the signing date agrees.
    if signed_agree && a.unified == b.unified {
        return true;
    }
    let function_chars = &lists().function_chars;
    match one_edit(ka, kb) {
        // A function character more or less: the same title.
        Some(Edit::Indel(c)) if function_chars.contains(&c) => return true,
        // One character more or less in a long title (反恐主义 / 反恐怖主义).
        Some(Edit::Indel(_)) if ka.len().min(kb.len()) >= 10 => return true,
        // A substitution (农业 / 林业 could be two agreements) only when signing agrees.
        Some(_) if signed_agree => return true,
        _ => {}
    }
    // Word order: one block of the title moved (上合组织2017-2021年… / 2017-2021年上合组织…).
    ka.len() >= 10 && block_moved(ka, kb)
}

/// True if `b` is `a` with one contiguous block moved elsewhere.
fn block_moved(a: &[char], b: &[char]) -> bool {
    if a.len() != b.len() || a == b {
        return false;
    }
    let prefix = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    let suffix = a.iter().rev().zip(b.iter().rev()).take_while(|(x, y)| x == y).count();
    if prefix + suffix >= a.len() {
        return false;
    }
    let (am, bm) = (&a[prefix..a.len() - suffix], &b[prefix..b.len() - suffix]);
    // bm must be a rotation of am: am = x + y, bm = y + x.
    (1..am.len()).any(|k| am[k..] == bm[..am.len() - k] && am[..k] == bm[am.len() - k..])
}

enum Edit {
    Indel(char),
    Substitute,
}

/// The single edit turning `a` into `b`, if they differ by exactly one.
fn one_edit(a: &[char], b: &[char]) -> Option<Edit> {
    if a.len() == b.len() {
        let diffs: Vec<usize> = (0..a.len()).filter(|&i| a[i] != b[i]).collect();
        return (diffs.len() == 1 && !a[diffs[0]].is_ascii_digit() && !b[diffs[0]].is_ascii_digit()).then_some(Edit::Substitute);
    }
    let (long, short) = if a.len() > b.len() { (a, b) } else { (b, a) };
    if long.len() != short.len() + 1 {
        return None;
    }
    let i = (0..short.len()).find(|&i| long[i] != short[i]).unwrap_or(short.len());
    (long[i + 1..] == short[i..] && !long[i].is_ascii_digit()).then_some(Edit::Indel(long[i]))
}

struct UnionFind {
    parent: Vec<usize>,
}

impl UnionFind {
    fn new(n: usize) -> Self {
        Self { parent: (0..n).collect() }
    }
    fn find(&mut self, mut x: usize) -> usize {
        while self.parent[x] != x {
            self.parent[x] = self.parent[self.parent[x]];
            x = self.parent[x];
        }
        x
    }
    fn union(&mut self, a: usize, b: usize) {
        let (ra, rb) = (self.find(a), self.find(b));
        if ra != rb {
            // Keep the smaller (earlier) root so ids follow first appearance.
            let (lo, hi) = if ra < rb { (ra, rb) } else { (rb, ra) };
            self.parent[hi] = lo;
        }
    }
}

/// Links every citation of the corpus; returns per document the agreement
/// (an index into the agreements) of each citation, and the agreements.
/// This is the step between the two parallel passes; its serial parts
/// index by position, not by hashing.
pub fn build(docs: &[CitingDocument<'_>]) -> (Vec<Vec<usize>>, Vec<Agreement>) {
    // One walk on one core: a parallel one took longer (a few words copied per citation).
    let refs: Vec<CitationRef<'_>> = docs
        .iter()
        .enumerate()
        .flat_map(|(d, doc)| {
            doc.citing.found.iter().enumerate().filter(|(_, cit)| !cit.short).map(move |(c, cit)| CitationRef {
                document: d,
                citation: c,
                title: &cit.title,
                signed: cit.signed.as_ref(),
            })
        })
        .collect();
    let linked = link(&refs);
    let mut group: Vec<Vec<Option<usize>>> = docs.iter().map(|d| vec![None; d.citing.found.len()]).collect();
    for (r, g) in refs.iter().zip(&linked.agreement_of) {
        group[r.document][r.citation] = Some(*g);
    }
    let mut count = linked.count;
    // Titles of the linked agreements, to resolve a short form by an
    // unbracketed mention (…长期睦邻友好合作条约基础上… 恪守《条约》).
    let mut titles_of: Vec<Vec<&str>> = vec![Vec::new(); linked.count];
    let mut pairs: Vec<(usize, usize)> = linked.agreement_of.iter().copied().zip(linked.wording_of.iter().copied()).collect();
    pairs.sort_unstable();
    pairs.dedup();
    for (g, w) in pairs {
        titles_of[g].push(linked.wordings[w]);
    }
    // Short forms: their antecedent's agreement, or one of their own.
    let mut by_noun: FxHashMap<&str, Candidates<'_>> = FxHashMap::default();
    let mut ids: Vec<Vec<usize>> = Vec::with_capacity(docs.len());
    for (d, doc) in docs.iter().enumerate() {
        let mut doc_ids: Vec<usize> = Vec::with_capacity(doc.citing.found.len());
        for (c, cit) in doc.citing.found.iter().enumerate() {
            let g = match (group[d][c], cit.points_to) {
                (Some(g), _) => g,
                (None, Some(target)) => doc_ids.get(target).copied().unwrap_or(0),
                (None, None) => {
                    let candidates = by_noun.entry(&cit.title).or_insert_with(|| Candidates::new(&titles_of, &cit.title));
                    match candidates.mentioned_before(doc, cit) {
                        Some(g) => g,
                        None => {
                            count += 1;
                            count - 1
                        }
                    }
                }
            };
            doc_ids.push(g);
        }
        ids.push(doc_ids);
    }
    // Number agreements in order of first citation.
    let mut order: Vec<Option<usize>> = vec![None; count];
    let mut numbered = 0;
    for g in ids.iter().flatten() {
        if order[*g].is_none() {
            order[*g] = Some(numbered);
            numbered += 1;
        }
    }
    let names: Vec<String> = (1..=numbered).map(|i| format!("a{i}")).collect();
    let number = |g: usize| order[g].unwrap_or(0);
    // The agreements are built on all cores, each core walking its own run
    // of documents in corpus order (the citations of one agreement are
    // spread over the whole corpus: gathered agreement by agreement, each
    // one read would miss the cache), then each agreement's parts are
    // joined in corpus order. This step is otherwise the one serial
    // stretch between the passes.
    let run = docs.len().div_ceil(4 * rayon::current_num_threads()).max(1);
    let parts: Vec<Vec<AgreementBuilder<'_>>> = docs
        .par_chunks(run)
        .zip(ids.par_chunks(run))
        .map(|(docs, ids)| {
            let mut builders: Vec<AgreementBuilder<'_>> = (0..numbered).map(|_| AgreementBuilder::default()).collect();
            for (doc, doc_ids) in docs.iter().zip(ids) {
                // The document's id, interned once for all its citations.
                let id = Name::from(doc.id);
                for (cit, g) in doc.citing.found.iter().zip(doc_ids) {
                    builders[number(*g)].add(cit, id);
                }
            }
            builders
        })
        .collect();
    let mut by_agreement: Vec<Vec<AgreementBuilder<'_>>> = (0..numbered).map(|_| Vec::with_capacity(parts.len())).collect();
    for part in parts {
        for (a, builder) in part.into_iter().enumerate() {
            by_agreement[a].push(builder);
        }
    }
    let agreements = by_agreement
        .into_par_iter()
        .zip(names.par_iter())
        .map(|(parts, name)| parts.into_iter().reduce(AgreementBuilder::merge).unwrap_or_default().finish(name.clone()))
        .collect();
    let numbers = ids.into_par_iter().map(|doc_ids| doc_ids.into_iter().map(number).collect()).collect();
    (numbers, agreements)
}

/// The linked titles ending with one type noun, as `(agreement, title)`
/// sorted, with an automaton finding all of them at once; built once per noun.
struct Candidates<'a> {
    titles: Vec<(usize, &'a str)>,
    phrases: crate::text::PhraseSet,
}

impl<'a> Candidates<'a> {
    fn new(titles_of: &[Vec<&'a str>], noun: &str) -> Self {
        let mut titles: Vec<(usize, &'a str)> = titles_of
            .iter()
            .enumerate()
            .flat_map(|(g, titles)| titles.iter().filter(|t| t.ends_with(noun)).map(move |t| (g, *t)))
            .collect();
        titles.sort_unstable();
        let phrases = crate::text::PhraseSet::new(&titles.iter().map(|(_, t)| *t).collect::<Vec<_>>());
        Self { titles, phrases }
    }

    /// For a short form with no bracketed antecedent: the agreement whose
    /// title (ending with the same noun) was last written out, unbracketed,
    /// in the document before it — only if exactly one agreement fits there.
    fn mentioned_before(&self, doc: &CitingDocument<'_>, cit: &FoundCitation) -> Option<usize> {
        // Each title's last mention as (paragraph, byte); a short form points
        // close by, so search back at most a few paragraphs, newest first.
        let mut last: Vec<Option<(usize, usize)>> = vec![None; self.titles.len()];
        for p in (cit.paragraph.saturating_sub(LOOK_BACK)..=cit.paragraph).rev() {
            let Some(text) = doc.citing.text(p) else { continue };
            let limit = if p == cit.paragraph { crate::text::byte_of_char(text, cit.span.start) } else { text.len() };
            for m in self.phrases.occurrences(&text[..limit]) {
                match &mut last[m.phrase] {
                    slot @ None => *slot = Some((p, m.start)),
                    Some((q, b)) if *q == p => *b = (*b).max(m.start),
                    Some(_) => {} // already seen in a later paragraph
                }
            }
        }
        let mut best: Option<((usize, usize), usize)> = None;
        let mut ambiguous = false;
        for ((g, _), pos) in self.titles.iter().zip(last) {
            let Some(pos) = pos else { continue };
            match best {
                Some((bp, bg)) if bp == pos && bg != *g => ambiguous = true,
                Some((bp, _)) if bp >= pos => {}
                _ => {
                    best = Some((pos, *g));
                    ambiguous = false;
                }
            }
        }
        if ambiguous { None } else { best.map(|(_, g)| g) }
    }
}

#[derive(Default)]
pub(crate) struct AgreementBuilder<'a> {
    /// Wordings in order of first use, with their counts.
    wordings: Vec<(&'a str, usize)>,
    /// Wording → index in `wordings`.
    wording_index: FxHashMap<&'a str, usize>,
    dates: FxHashMap<&'a str, usize>,
    places: FxHashMap<&'a str, usize>,
    cited_by: Vec<CitedBy>,
}

impl<'a> AgreementBuilder<'a> {
    fn add(&mut self, cit: &'a FoundCitation, doc: Name) {
        // A short form (《条约》) is a way of citing, not a wording, unless it is all there is.
        let short = cit.short;
        let next = self.wordings.len();
        let w = *self.wording_index.entry(&cit.title).or_insert(next);
        if w == next {
            self.wordings.push((&cit.title, 0));
        }
        self.wordings[w].1 += usize::from(!short);
        if let Some(s) = &cit.signed {
            if let Some(d) = &s.date {
                *self.dates.entry(d).or_default() += 1;
            }
            if let Some(p) = &s.place {
                *self.places.entry(p).or_default() += 1;
            }
        }
        self.cited_by.push(CitedBy::new(doc, cit.paragraph, cit.span.start, cit.span.end));
    }

    /// This builder followed by `later`, built from the citations after
    /// this one's: the same as one builder given all of them in order.
    fn merge(mut self, later: Self) -> Self {
        for (w, n) in later.wordings {
            let next = self.wordings.len();
            let i = *self.wording_index.entry(w).or_insert(next);
            if i == next {
                self.wordings.push((w, 0));
            }
            self.wordings[i].1 += n;
        }
        for (d, n) in later.dates {
            *self.dates.entry(d).or_default() += n;
        }
        for (p, n) in later.places {
            *self.places.entry(p).or_default() += n;
        }
        self.cited_by.extend(later.cited_by);
        self
    }

    fn finish(self, id: String) -> Agreement {
        let best = self
            .wordings
            .iter()
            .enumerate()
            .max_by(|(ia, (wa, na)), (ib, (wb, nb))| {
                na.cmp(nb).then(wa.chars().count().cmp(&wb.chars().count())).then(ib.cmp(ia))
            })
            .map(|(_, (w, _))| *w)
            .unwrap_or_default();
        let has_full = self.wordings.iter().any(|(w, _)| !super::is_short_form(w));
        let mut variants: Vec<String> = self
            .wordings
            .iter()
            .filter(|(w, _)| *w != best && !(has_full && super::is_short_form(w)))
            .map(|(w, _)| (*w).to_owned())
            .collect();
        // A slip of one character in a long title: the official title is
        // shown, the document's wording listed under it.
        let official = official_title(best);
        let title = match official {
            Some(t) if t != best => {
                variants.retain(|v| v != t);
                variants.insert(0, best.to_owned());
                t.to_owned()
            }
            _ => best.to_owned(),
        };
        let pick = |m: &FxHashMap<&str, usize>| {
            m.iter().max_by(|a, b| a.1.cmp(b.1).then_with(|| b.0.cmp(a.0))).map(|(k, _)| (*k).to_owned())
        };
        // `2017-06` from one citation and `2017-06-09` from another are one
        // date: the more precise one is kept.
        let date = pick(&self.dates).map(|top| {
            self.dates
                .keys()
                .filter(|d| d.len() > top.len() && d.starts_with(top.as_str()) && d.as_bytes()[top.len()] == b'-')
                .max_by(|a, b| self.dates[*a].cmp(&self.dates[*b]).then_with(|| b.cmp(a)))
                .map_or(top, |d| (*d).to_owned())
        });
        let signed = Signed { date: date.map(Into::into), place: pick(&self.places).map(Into::into) }.non_empty();
        Agreement { id, title, variants, signed, cited_by: self.cited_by }
    }
}

/// The official title `wording` is a slip of (one character more or less,
/// or one changed, in a title of ten characters or more), if any.
fn official_title(wording: &str) -> Option<&'static str> {
    let w: Vec<char> = normalize_title(wording).chars().collect();
    if w.len() < 10 {
        return None;
    }
    lists().official_titles.iter().map(String::as_str).find(|t| {
        let t: Vec<char> = normalize_title(t).chars().collect();
        t == w || matches!(one_edit(&t, &w), Some(Edit::Indel(_) | Edit::Substitute))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::citations::BracketSpan;

    #[test]
    fn an_agreement_built_in_parts_is_the_agreement_built_whole() {
        let signed = |date: &str, place: &str| Some(Signed { date: Some(date.into()), place: Some(place.into()) });
        let cits: Vec<(FoundCitation, String)> = (0..50)
            .map(|i| {
                let (title, short) = match i % 4 {
                    0 => ("上海合作组织成员国长期睦邻友好合作条约", false),
                    1 => ("条约", true),
                    2 => ("上合组织成员国长期睦邻友好合作条约", false),
                    _ => ("上海合作组织成员国长期睦邻友好合作条约", false),
                };
                let cit = FoundCitation {
                    paragraph: i,
                    span: BracketSpan { start: i, end: i + 5, parent: None },
                    parent: None,
                    title: title.to_owned(),
                    short,
                    signed: if i % 3 == 0 { signed("2007-08-16", "比什凯克") } else { signed("2007-08-17", "比什凯克") },
                    points_to: None,
                };
                (cit, format!("d{}", i / 7))
            })
            .collect();
        fn build(part: &[(FoundCitation, String)]) -> AgreementBuilder<'_> {
            let mut b = AgreementBuilder::default();
            for (c, doc) in part {
                b.add(c, Name::from(doc.as_str()));
            }
            b
        }
        let whole = build(&cits).finish("a1".to_owned());
        for cuts in [vec![1], vec![3, 17], vec![10, 11, 12, 40], vec![49]] {
            let mut parts = Vec::new();
            let mut from = 0;
            for &cut in cuts.iter().chain([&cits.len()]) {
                parts.push(build(&cits[from..cut]));
                from = cut;
            }
            let merged = parts.into_iter().reduce(AgreementBuilder::merge).expect("parts").finish("a1".to_owned());
            assert_eq!(merged, whole, "cut at {cuts:?}");
        }
        assert_eq!(whole.cited_by.len(), 50);
        assert_eq!(whole.signed.as_ref().and_then(|s| s.date.as_deref()), Some("2007-08-17"));
    }
}
