//! The gazetteer: countries, organisations, places, titles and non-entity
//! words, read from `assets/gazetteer/*.tsv` (embedded) plus an optional
//! user file, compiled into one Aho–Corasick automaton.
//!
//! Matching runs on width-folded text ([`crate::text::fold`]), so 上合组织（总理）
//! and 上合组织(总理) match the same entry and offsets stay valid.
//!
//! A user's list can be large (300,000 names take seconds to compile): the
//! compiled gazetteer is kept in the data directory ([`stored`]) and read
//! back by every later command while the list is unchanged.

mod stored;

use crate::model::Name;
use crate::text::fold;
use daachorse::{CharwiseDoubleArrayAhoCorasick, CharwiseDoubleArrayAhoCorasickBuilder, MatchKind};
use jieba_rs::Jieba;
use rayon::prelude::*;
use rustc_hash::FxHashMap as HashMap;
use serde::{Deserialize, Serialize};
use std::path::Path;
use std::sync::OnceLock;

/// What a gazetteer entry names.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
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
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
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
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
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
    /// Every name of a person (folded), for the segmenter: a user's alias
    /// of a person is a word wherever it stands.
    person_words: Vec<String>,
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
    /// Each entry's canonical name as a [`Name`], made on first use: a
    /// mention takes its entry's, where interning the string again for each
    /// of some two million gazetteer hits per 100 MB was 2 % of its profile.
    names: OnceLock<Box<[Name]>>,
    /// The organisations' entries, longest canonical name first, listed on
    /// first use ([`Knowledge::organizations_longest_first`]).
    organizations: OnceLock<Box<[usize]>>,
}

const BUNDLED: &[(&str, &str)] = &[
    ("countries.tsv", include_str!("../../assets/gazetteer/countries.tsv")),
    ("organizations.tsv", include_str!("../../assets/gazetteer/organizations.tsv")),
    ("places.tsv", include_str!("../../assets/gazetteer/places.tsv")),
];
const TITLES: &str = include_str!("../../assets/gazetteer/titles.tsv");
const NONENTITIES: &str = include_str!("../../assets/gazetteer/nonentities.tsv");
const PREFIXES: &str = include_str!("../../assets/gazetteer/prefixes.tsv");

/// The gazetteer could not be compiled into an automaton.
#[derive(Debug, thiserror::Error)]
#[error("cannot compile the gazetteer: {0}")]
pub struct GazetteerError(String);

/// File name of the user's own list in the data directory.
pub const USER_GAZETTEER_FILE: &str = "gazetteer.tsv";

/// How the user's list is named in warnings (and in the fingerprint).
const USER_GAZETTEER_SOURCE: &str = "user gazetteer";

/// Bad lines reported one by one; past this many, only counted.
const MAX_LINE_WARNINGS: usize = 20;

/// Identifies the lists `extra` beyond the bundled ones.
fn fingerprint_of(extra: &[(&str, &str)]) -> [u8; 32] {
    let mut hasher = blake3::Hasher::new();
    for (name, text) in extra {
        for part in [name, text] {
            hasher.update(&(part.len() as u64).to_le_bytes());
            hasher.update(part.as_bytes());
        }
    }
    *hasher.finalize().as_bytes()
}

/// jieba with every entry and every name of a person as a user word.
fn segmenter_of(entries: &[Entry], person_words: &[String]) -> Jieba {
    let mut jieba = Jieba::new();
    let tag_of = |kind: EntryKind| match kind {
        EntryKind::Country | EntryKind::Place => "ns",
        EntryKind::Organization => "nt",
        EntryKind::Title => "nn",
        EntryKind::Person => "nr",
        EntryKind::None => "n",
    };
    // Added in order: jieba's trie takes sorted words faster.
    let mut words: Vec<(&str, &str)> = entries.iter().map(|e| (e.canonical.as_str(), tag_of(e.kind))).collect();
    // A person's other names too: a user's alias is a word wherever it stands.
    words.extend(person_words.iter().map(|w| (w.as_str(), "nr")));
    words.sort_unstable();
    for (word, tag) in words {
        jieba.add_word(word, Some(20_000), Some(tag));
    }
    // The tagger reads its tables the first time it guesses the tag of an
    // unknown word (0.05 s): guess one here, on the thread building the
    // dictionary, not in the first name check.
    let _ = jieba.tag("扎伊尔别克·奥斯帕诺娃会见", true);
    jieba
}

/// The problems found while reading the lists: the first bad lines by
/// number, the rest counted (a list of 300,000 bad lines is one warning
/// too many, not 300,000).
#[derive(Default)]
struct Warnings {
    lines: Vec<String>,
    more_bad_lines: usize,
}

impl Warnings {
    fn bad_line(&mut self, source: &str, line: usize) {
        if self.lines.len() < MAX_LINE_WARNINGS {
            self.lines.push(format!("{source} line {line}: expected `canonical<TAB>kind<TAB>aliases`"));
        } else {
            self.more_bad_lines += 1;
        }
    }

    fn into_vec(mut self) -> Vec<String> {
        if self.more_bad_lines > 0 {
            self.lines.push(format!("… and {} more bad lines", self.more_bad_lines));
        }
        self.lines
    }
}

impl Knowledge {
    /// The bundled gazetteer only.
    pub fn bundled() -> Self {
        // The bundled lists are a few hundred short names: far below any automaton limit.
        Self::build(&[]).expect("the bundled gazetteer compiles")
    }

    /// [`Knowledge::with_user_file`], the same one as the last call made
    /// with the same data directory and the same list: its segmenter takes
    /// most of a second to build, and a window watching a folder analyses
    /// again at every change.
    pub fn shared_with_user_file(data_dir: Option<&Path>) -> std::sync::Arc<Self> {
        type Last = Option<(Option<std::path::PathBuf>, Option<Vec<u8>>, std::sync::Arc<Knowledge>)>;
        static LAST: std::sync::Mutex<Last> = std::sync::Mutex::new(None);
        // Read as `with_user_file` reads it: only a regular file.
        let list = data_dir.and_then(|d| {
            crate::regular_file::open(&d.join(USER_GAZETTEER_FILE)).ok().and_then(|f| {
                let mut bytes = Vec::new();
                std::io::Read::read_to_end(&mut { f }, &mut bytes).ok().map(|_| bytes)
            })
        });
        let dir = data_dir.map(Path::to_path_buf);
        if let Ok(last) = LAST.lock()
            && let Some((d, l, k)) = last.as_ref()
            && *d == dir
            && *l == list
            && k.warnings.is_empty()
        {
            return k.clone();
        }
        let knowledge = std::sync::Arc::new(Self::with_user_file(data_dir));
        if let Ok(mut last) = LAST.lock() {
            *last = Some((dir, list, knowledge.clone()));
        }
        knowledge
    }

    /// The bundled gazetteer merged with `data_dir/gazetteer.tsv` if it
    /// exists. The compiled gazetteer is read from `data_dir/cache` when
    /// the list is unchanged since it was stored there, and stored there
    /// when it is not. Every problem (a bad line, an unreadable list, a
    /// cache that cannot be written) is in [`Knowledge::warnings`].
    pub fn with_user_file(data_dir: Option<&Path>) -> Self {
        let Some(data_dir) = data_dir else { return Self::bundled() };
        let path = data_dir.join(USER_GAZETTEER_FILE);
        // Only a regular file: a FIFO put there would block every command.
        let text = match crate::regular_file::open(&path) {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Self::bundled(),
            Err(e) => return Self::bundled_with_warning(format!("cannot read {}: {e}", path.display())),
            Ok(file) => match std::io::read_to_string(file) {
                Ok(text) => text,
                Err(e) => return Self::bundled_with_warning(format!("cannot read {}: {e}", path.display())),
            },
        };
        let extra = [(USER_GAZETTEER_SOURCE, text.as_str())];
        let store = stored::Store::in_data_dir(data_dir);
        let fingerprint = fingerprint_of(&extra);
        if let Some(knowledge) = store.read(fingerprint) {
            return knowledge;
        }
        match Self::build(&extra) {
            Ok(mut knowledge) => {
                if let Err(e) = store.write(&knowledge) {
                    knowledge.warnings.push(format!("cannot store the compiled gazetteer: {e}"));
                }
                knowledge
            }
            Err(e) => Self::bundled_with_warning(format!("{} not used: {e}", path.display())),
        }
    }

    /// Adds `canonical` (kind `kind`: `person`, `country`, `organization`
    /// or `place`), with `alias` when it is another wording, to the user's
    /// list in `data_dir`, so it is found everywhere from the next analysis
    /// on. The list is replaced whole, atomically; a line already there is
    /// not added twice. Returns false when it was there.
    pub fn add_to_user_list(data_dir: &Path, canonical: &str, kind: &str, alias: &str) -> Result<bool, String> {
        let clean = |s: &str| s.replace(['\t', '\n', '\r', '|'], " ").trim().to_owned();
        let (canonical, alias) = (clean(canonical), clean(alias));
        if canonical.is_empty() || EntryKind::parse(kind).is_none_or(|k| matches!(k, EntryKind::Title | EntryKind::None)) {
            return Err(format!("cannot add {canonical:?} as {kind:?} to the user gazetteer"));
        }
        let path = data_dir.join(USER_GAZETTEER_FILE);
        let mut text = match crate::regular_file::open(&path) {
            Ok(file) => std::io::read_to_string(file).map_err(|e| format!("cannot read {}: {e}", path.display()))?,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
            Err(e) => return Err(format!("cannot read {}: {e}", path.display())),
        };
        let aliases = if alias.is_empty() || alias == canonical { String::new() } else { alias };
        let line = format!("{canonical}\t{kind}\t{aliases}");
        if text.lines().any(|l| l.trim_end() == line.trim_end()) {
            return Ok(false);
        }
        if !text.is_empty() && !text.ends_with('\n') {
            text.push('\n');
        }
        text.push_str(&line);
        text.push('\n');
        std::fs::create_dir_all(data_dir).map_err(|e| format!("cannot create {}: {e}", data_dir.display()))?;
        crate::safe_write::write(&path, text.as_bytes(), false).map_err(|e| e.to_string())?;
        Ok(true)
    }

    fn bundled_with_warning(warning: String) -> Self {
        let mut k = Self::bundled();
        k.warnings.push(warning);
        k
    }

    /// Builds from the bundled files plus extra TSV texts `(name, text)`.
    pub fn build(extra: &[(&str, &str)]) -> Result<Self, GazetteerError> {
        let mut warnings = Warnings::default();
        let fingerprint = fingerprint_of(extra);
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
                    warnings.bad_line(source, n + 1);
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
        // Fold, deduplicate (the first entry wins) and sort: the double
        // array is built twice as fast from sorted patterns.
        let mut patterns: Vec<(String, u32, u32)> = aliases
            .into_par_iter()
            .enumerate()
            .map(|(order, (alias, idx))| (fold(&alias), order as u32, idx as u32))
            .filter(|(folded, _, _)| folded.chars().nth(1).is_some())
            .collect();
        patterns.par_sort_unstable();
        patterns.dedup_by(|later, first| later.0 == first.0);
        let person_words: Vec<String> = patterns
            .iter()
            .filter(|(_, _, e)| entries[*e as usize].kind == EntryKind::Person)
            .map(|(p, _, _)| p.clone())
            .collect();
        let compile = || {
            CharwiseDoubleArrayAhoCorasickBuilder::new()
                .match_kind(MatchKind::LeftmostLongest)
                .build_with_values(patterns.iter().map(|(p, _, e)| (p.as_str(), *e)))
                .map_err(|e| GazetteerError(e.to_string()))
        };
        // A user's list can be large: its segmenter is built beside the
        // automaton, on another core, rather than after it.
        let segmenter = OnceLock::new();
        let automaton = if extra.is_empty() {
            compile()?
        } else {
            let (automaton, jieba) = rayon::join(compile, || segmenter_of(&entries, &person_words));
            let _ = segmenter.set(jieba);
            automaton?
        };
        Ok(Self {
            entries,
            person_words,
            automaton,
            fingerprint,
            warnings: warnings.into_vec(),
            segmenter,
            names: OnceLock::new(),
            organizations: OnceLock::new(),
        })
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
        self.segmenter.get_or_init(|| segmenter_of(&self.entries, &self.person_words))
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
        // Every value names an entry (a stored automaton too: the
        // filter keeps a forged one from naming anything else).
        self.automaton.leftmost_find_iter(folded).filter(|m| (m.value() as usize) < self.entries.len()).map(|m| GazetteerMatch {
            entry: m.value() as usize,
            byte_start: m.start(),
            byte_end: m.end(),
        })
    }

    /// The entry named exactly `name` (any alias), if any.
    pub fn lookup(&self, name: &str) -> Option<&Entry> {
        let folded = fold(name);
        // Leftmost-longest: a name that is a pattern is the first match, whole.
        let m = self.automaton.leftmost_find_iter(&folded).next()?;
        self.entries.get(m.value() as usize).filter(|_| m.start() == 0 && m.end() == folded.len())
    }

    /// True if `s` ends with a title (`…共和国总理`, `…外交部长`).
    pub fn ends_with_title(&self, s: &str) -> bool {
        let folded = fold(s);
        self.automaton
            .leftmost_find_iter(&folded)
            .any(|m| m.end() == folded.len() && self.entries.get(m.value() as usize).is_some_and(|e| e.kind == EntryKind::Title))
    }

    /// Entry by index.
    pub fn entry(&self, idx: usize) -> &Entry {
        &self.entries[idx]
    }

    /// The organisations' entries (indexes), longest canonical name first
    /// (of two as long, the later entry first).
    pub fn organizations_longest_first(&self) -> &[usize] {
        self.organizations.get_or_init(|| {
            let mut orgs: Vec<usize> =
                (0..self.entries.len()).filter(|&i| self.entries[i].kind == EntryKind::Organization).collect();
            orgs.sort_by_key(|&i| (std::cmp::Reverse(self.entries[i].canonical.len()), std::cmp::Reverse(i)));
            orgs.into_boxed_slice()
        })
    }

    /// The canonical name of entry `idx` (an index from this gazetteer).
    pub fn canonical_name(&self, idx: usize) -> Name {
        self.names.get_or_init(|| self.entries.iter().map(|e| Name::from(e.canonical.as_str())).collect())[idx]
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
    fn a_name_added_to_the_user_list_is_found_from_then_on() {
        let dir = tempfile::tempdir().expect("tmp");
        std::fs::write(dir.path().join(USER_GAZETTEER_FILE), "新城\tplace\t").expect("write");
        assert_eq!(Knowledge::add_to_user_list(dir.path(), "谢赫·哈西娜", "person", "哈西娜"), Ok(true));
        assert_eq!(Knowledge::add_to_user_list(dir.path(), "谢赫·哈西娜", "person", "哈西娜"), Ok(false));
        assert!(Knowledge::add_to_user_list(dir.path(), "某", "title", "").is_err());
        let k = Knowledge::with_user_file(Some(dir.path()));
        assert!(k.warnings.is_empty(), "{:?}", k.warnings);
        assert_eq!(k.lookup("哈西娜").map(|e| e.canonical.as_str()), Some("谢赫·哈西娜"));
        assert!(k.lookup("新城").is_some(), "the list's other lines are kept");
    }

    #[test]
    fn user_file_is_merged() {
        let k = Knowledge::build(&[("user", "新城\tplace\t新城市\n坏行\n")]).expect("build");
        assert_eq!(k.lookup("新城市").map(|e| e.canonical.as_str()), Some("新城"));
        assert_eq!(k.warnings.len(), 1);
    }

    #[test]
    fn bad_lines_past_the_first_are_counted_not_listed() {
        let list: String = (0..1000).map(|i| format!("坏行{i}\n")).collect();
        let k = Knowledge::build(&[("user gazetteer", &list)]).expect("builds");
        assert_eq!(k.warnings.len(), MAX_LINE_WARNINGS + 1, "{:?}", k.warnings);
        assert!(k.warnings[0].contains("line 1:"), "{}", k.warnings[0]);
        assert!(k.warnings[MAX_LINE_WARNINGS].contains("980 more"), "{:?}", k.warnings.last());
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
