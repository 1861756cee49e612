//! The gazetteer: countries, organisations, places, titles and non-entity
//! words, read from `assets/gazetteer/*.tsv` (embedded) plus an optional
//! user file, compiled into one Aho–Corasick automaton.
//!
//! Matching runs on width-folded text ([`crate::text::fold`]), so 上合组织（总理）
//! and 上合组织(总理) match the same entry and offsets stay valid.

use crate::text::fold;
use daachorse::{CharwiseDoubleArrayAhoCorasick, CharwiseDoubleArrayAhoCorasickBuilder, MatchKind};
use jieba_rs::Jieba;
use rustc_hash::FxHashMap as HashMap;
use std::path::Path;
use std::sync::OnceLock;

/// What a gazetteer entry names.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum EntryKind {
    /// A state.
    Country,
    /// An organisation or one of its bodies.
    Organization,
    /// A city, region or venue.
    Place,
    /// A title or role that introduces a person's name.
    Title,
    /// A person (the user's list: found wherever the name occurs).
    Person,
    /// A word that must not be read as any of the above (印度洋, 主席国).
    None,
}

impl EntryKind {
    fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "country" => Self::Country,
            "organization" | "organisation" => Self::Organization,
            "place" | "city" | "region" => Self::Place,
            "title" => Self::Title,
            "person" => Self::Person,
            "none" => Self::None,
            _ => return None,
        })
    }
}

/// SCO status of a country (for attendee tables).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Status {
    /// Member state.
    Member,
    /// Observer state.
    Observer,
    /// Dialogue partner.
    Partner,
    /// Guest of the host.
    Guest,
    /// Anything else.
    Other,
}

/// One named thing.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    /// Canonical name.
    pub canonical: String,
    /// What it is.
    pub kind: EntryKind,
    /// SCO status, for countries.
    pub status: Option<Status>,
}

/// A match of a gazetteer name in a folded text, in **bytes** of that text
/// (the entity scan turns them into chars).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct GazetteerMatch {
    /// Index into [`Knowledge::entries`].
    pub entry: usize,
    /// Start byte in the searched text.
    pub byte_start: usize,
    /// End byte (exclusive).
    pub byte_end: usize,
}

/// The compiled gazetteer.
pub struct Knowledge {
    entries: Vec<Entry>,
    /// Pattern index → entry index.
    pattern_entry: Vec<usize>,
    patterns: Vec<String>,
    /// All patterns, each with its entry index: a char-wise double-array
    /// automaton takes one step per char, where a byte automaton takes three
    /// for a Chinese char.
    automaton: CharwiseDoubleArrayAhoCorasick<u32>,
    /// Hash of the lists added to the bundled ones (see [`Knowledge::fingerprint`]).
    fingerprint: [u8; 32],
    /// Problems found in the user's file (bad lines), for the status bar.
    pub warnings: Vec<String>,
    /// jieba with every entry of this gazetteer as a user word, built on
    /// first use (see [`Knowledge::segmenter`]).
    segmenter: OnceLock<Jieba>,
}

const BUNDLED: &[(&str, &str)] = &[
    ("countries.tsv", include_str!("../assets/gazetteer/countries.tsv")),
    ("organizations.tsv", include_str!("../assets/gazetteer/organizations.tsv")),
    ("places.tsv", include_str!("../assets/gazetteer/places.tsv")),
];
const TITLES: &str = include_str!("../assets/gazetteer/titles.tsv");
const NONENTITIES: &str = include_str!("../assets/gazetteer/nonentities.tsv");
const PREFIXES: &str = include_str!("../assets/gazetteer/prefixes.tsv");

/// The gazetteer could not be compiled into an automaton.
#[derive(Debug, thiserror::Error)]
#[error("cannot compile the gazetteer: {0}")]
pub struct GazetteerError(String);

/// File name of the user's own list in the data directory.
pub const USER_GAZETTEER_FILE: &str = "gazetteer.tsv";

impl Knowledge {
    /// The bundled gazetteer only.
    pub fn bundled() -> Self {
        // The bundled lists are a few hundred short names: far below any automaton limit.
        Self::build(&[]).expect("the bundled gazetteer compiles")
    }

    /// The bundled gazetteer merged with `data_dir/gazetteer.tsv` if it exists.
    pub fn with_user_file(data_dir: Option<&Path>) -> Self {
        let user = data_dir.map(|d| d.join(USER_GAZETTEER_FILE)).filter(|p| p.is_file());
        match user.as_deref().map(std::fs::read_to_string) {
            Some(Ok(text)) => Self::build(&[("user gazetteer", &text)]).unwrap_or_else(|e| {
                let mut k = Self::bundled();
                k.warnings.push(format!("user gazetteer not used: {e}"));
                k
            }),
            Some(Err(e)) => {
                let mut k = Self::bundled();
                k.warnings.push(format!("cannot read user gazetteer: {e}"));
                k
            }
            None => Self::bundled(),
        }
    }

    /// Builds from the bundled files plus extra TSV texts `(name, text)`.
    pub fn build(extra: &[(&str, &str)]) -> Result<Self, GazetteerError> {
        let mut warnings = Vec::new();
        let mut hasher = blake3::Hasher::new();
        for (name, text) in extra {
            for part in [name, text] {
                hasher.update(&(part.len() as u64).to_le_bytes());
                hasher.update(part.as_bytes());
            }
        }
        let fingerprint = *hasher.finalize().as_bytes();
        let mut entries: Vec<Entry> = Vec::new();
        let mut index: HashMap<(String, EntryKind), usize> = HashMap::default();
        let mut aliases: Vec<(String, usize)> = Vec::new();
        let mut add = |canonical: &str, kind: EntryKind, status: Option<Status>, names: &mut dyn Iterator<Item = &str>| {
            let key = (canonical.to_owned(), kind);
            let idx = *index.entry(key).or_insert_with(|| {
                entries.push(Entry { canonical: canonical.to_owned(), kind, status });
                entries.len() - 1
            });
            aliases.push((canonical.to_owned(), idx));
            for name in names {
                let name = name.trim();
                if !name.is_empty() {
                    aliases.push((name.to_owned(), idx));
                }
            }
        };
        let sources = BUNDLED.iter().chain(extra.iter());
        for (source, text) in sources {
            for (n, line) in text.lines().enumerate() {
                if line.trim().is_empty() || line.starts_with('#') {
                    continue;
                }
                let cols: Vec<&str> = line.split('\t').collect();
                let kind = cols.get(1).and_then(|k| EntryKind::parse(k.trim()));
                let (Some(canonical), Some(kind)) = (cols.first().map(|c| c.trim()).filter(|c| !c.is_empty()), kind) else {
                    warnings.push(format!("{source} line {}: expected `canonical<TAB>kind<TAB>aliases`", n + 1));
                    continue;
                };
                let status = cols.get(3).and_then(|s| match s.trim() {
                    "member" => Some(Status::Member),
                    "observer" => Some(Status::Observer),
                    "partner" => Some(Status::Partner),
                    "guest" => Some(Status::Guest),
                    "other" => Some(Status::Other),
                    _ => None,
                });
                add(canonical, kind, status, &mut cols.get(2).map_or("", |a| a).split('|'));
            }
        }
        for line in TITLES.lines().filter(|l| !l.starts_with('#') && !l.trim().is_empty()) {
            add(line.trim(), EntryKind::Title, None, &mut std::iter::empty());
        }
        for line in NONENTITIES.lines().filter(|l| !l.starts_with('#') && !l.trim().is_empty()) {
            add(line.trim(), EntryKind::None, None, &mut std::iter::empty());
        }
        // Prefix synonyms: 上海合作组织秘书处 also as 上合组织秘书处, 本组织秘书处 …
        let mut expanded = Vec::new();
        for line in PREFIXES.lines().filter(|l| !l.starts_with('#') && !l.trim().is_empty()) {
            let Some((full, alternatives)) = line.split_once('\t') else {
                continue;
            };
            for (alias, idx) in &aliases {
                // The bare name takes no 成员国 variants (上合组织成员国 is not the organisation).
                if let Some(rest) = alias.strip_prefix(full).filter(|r| !r.is_empty()) {
                    for alt in alternatives.split('|') {
                        expanded.push((format!("{}{rest}", alt.trim()), *idx));
                    }
                }
            }
        }
        aliases.extend(expanded);
        // Fold, deduplicate (first entry wins), compile.
        let mut seen: HashMap<String, usize> = HashMap::default();
        let mut patterns = Vec::new();
        let mut pattern_entry = Vec::new();
        for (alias, idx) in aliases {
            let folded = fold(&alias);
            if folded.chars().count() < 2 || seen.contains_key(&folded) {
                continue;
            }
            seen.insert(folded.clone(), idx);
            patterns.push(folded);
            pattern_entry.push(idx);
        }
        let automaton = CharwiseDoubleArrayAhoCorasickBuilder::new()
            .match_kind(MatchKind::LeftmostLongest)
            .build_with_values(patterns.iter().zip(&pattern_entry).map(|(p, e)| (p.as_str(), *e as u32)))
            .map_err(|e| GazetteerError(e.to_string()))?;
        Ok(Self { entries, pattern_entry, patterns, automaton, fingerprint, warnings, segmenter: OnceLock::new() })
    }

    /// Identifies the lists beyond the bundled ones (the user's gazetteer):
    /// two gazetteers built from the same files have the same fingerprint.
    /// The bundled lists are part of the program, identified with its build.
    pub fn fingerprint(&self) -> [u8; 32] {
        self.fingerprint
    }

    /// The word segmenter with every name of this gazetteer (the user's
    /// too) as a user word, so 上合组织, 哈萨克斯坦共和国 and the titles are
    /// single words. Built on first use: `Jieba::new()` takes about 100 ms,
    /// so the analysis builds it on a thread of its own while files load.
    pub fn segmenter(&self) -> &Jieba {
        self.segmenter.get_or_init(|| {
            let mut jieba = Jieba::new();
            let tag_of = |kind: EntryKind| match kind {
                EntryKind::Country | EntryKind::Place => "ns",
                EntryKind::Organization => "nt",
                EntryKind::Title => "nn",
                EntryKind::Person => "nr",
                EntryKind::None => "n",
            };
            for entry in &self.entries {
                jieba.add_word(&entry.canonical, Some(20_000), Some(tag_of(entry.kind)));
            }
            // A person's other names too: a user's alias is a word wherever it stands.
            for (pattern, &entry) in self.patterns.iter().zip(&self.pattern_entry) {
                if self.entries[entry].kind == EntryKind::Person {
                    jieba.add_word(pattern, Some(20_000), Some("nr"));
                }
            }
            // The tagger reads its tables the first time it guesses the tag
            // of an unknown word (0.05 s): guess one here, on the thread
            // building the dictionary, not in the first name check.
            let _ = jieba.tag("扎伊尔别克·奥斯帕诺娃会见", true);
            jieba
        })
    }

    /// True once [`Knowledge::segmenter`] is built: a caller can do work
    /// that needs no segmenter first rather than wait for it.
    pub fn segmenter_is_ready(&self) -> bool {
        self.segmenter.get().is_some()
    }

    /// All entries.
    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    /// Leftmost-longest matches in `folded` (text already passed through [`fold`]).
    pub fn find_all<'a>(&'a self, folded: &'a str) -> impl Iterator<Item = GazetteerMatch> + 'a {
        self.automaton.leftmost_find_iter(folded).map(|m| GazetteerMatch {
            entry: m.value() as usize,
            byte_start: m.start(),
            byte_end: m.end(),
        })
    }

    /// The entry named exactly `name` (any alias), if any.
    pub fn lookup(&self, name: &str) -> Option<&Entry> {
        let folded = fold(name);
        self.patterns.iter().position(|p| *p == folded).map(|i| &self.entries[self.pattern_entry[i]])
    }

    /// True if `s` ends with a title (`…共和国总理`, `…外交部长`).
    pub fn ends_with_title(&self, s: &str) -> bool {
        let folded = fold(s);
        self.automaton
            .leftmost_find_iter(&folded)
            .any(|m| m.end() == folded.len() && self.entries[m.value() as usize].kind == EntryKind::Title)
    }

    /// Entry by index.
    pub fn entry(&self, idx: usize) -> &Entry {
        &self.entries[idx]
    }
}

/// The bundled gazetteer, built once per process.
pub fn bundled() -> &'static Knowledge {
    static K: OnceLock<Knowledge> = OnceLock::new();
    K.get_or_init(Knowledge::bundled)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aliases_and_prefix_variants_resolve() {
        let k = Knowledge::bundled();
        assert!(k.warnings.is_empty(), "{:?}", k.warnings);
        assert_eq!(k.lookup("中华人民共和国").map(|e| e.canonical.as_str()), Some("中国"));
        assert_eq!(k.lookup("上合组织秘书处").map(|e| e.canonical.as_str()), Some("上海合作组织秘书处"));
        assert_eq!(k.lookup("银联体").map(|e| e.canonical.as_str()), Some("上海合作组织银行联合体"));
        assert_eq!(k.lookup("上合组织成员国政府首脑(总理)理事会").map(|e| e.kind), Some(EntryKind::Organization));
        assert!(k.ends_with_title("印度共和国外交部长"));
        assert!(!k.ends_with_title("印度共和国"));
    }

    #[test]
    fn user_file_is_merged() {
        let k = Knowledge::build(&[("user", "新城\tplace\t新城市\n坏行\n")]).expect("build");
        assert_eq!(k.lookup("新城市").map(|e| e.canonical.as_str()), Some("新城"));
        assert_eq!(k.warnings.len(), 1);
    }

    #[test]
    fn a_users_entry_reaches_the_segmenter_and_the_cleaner() {
        let user = Knowledge::build(&[("user gazetteer", "首席协调官\ttitle\t\n")]).expect("builds");
        // The segmenter is built from the same entries: the user's title is one word.
        let cut = |k: &Knowledge| {
            k.segmenter().cut("首席协调官张三出席", false).into_iter().map(|t| t.word.to_owned()).collect::<Vec<_>>()
        };
        assert!(cut(&user).iter().any(|w| w == "首席协调官"), "{:?}", cut(&user));
        assert!(!cut(bundled()).iter().any(|w| w == "首席协调官"), "{:?}", cut(bundled()));
        // The cleaner asks the same knowledge: a speaker line with the
        // user's title stands alone and keeps its space.
        let text = "某国首席协调官 张三\n出席了会议。\n";
        let paragraphs =
            |k: &Knowledge| crate::clean::clean(text, false, k).paragraphs.into_iter().map(|p| p.text).collect::<Vec<_>>();
        assert_eq!(paragraphs(&user), ["某国首席协调官 张三", "出席了会议。"]);
        assert_eq!(paragraphs(bundled()), ["某国首席协调官张三出席了会议。"]);
        assert_ne!(user.fingerprint(), bundled().fingerprint());
    }
}
