//! The analysis as the rest of the program sees it: the types of the
//! `analyze --json` contract (docs/analysis-json.md) and their JSON writer.
//!
//! Everything here is plain data. The pipeline (`analysis`, `clean`,
//! `entities`, `citations`, `meeting`, `events`) fills these types; the
//! cache, the index, search, notes, exports, the CLI and the window read
//! them. Nothing in this module imports the pipeline.

pub mod json;

mod name;
pub mod paragraph_text;

pub use name::Name;
pub use paragraph_text::ParagraphText;
use serde::{Deserialize, Serialize};

/// A document's position in [`Analysis::documents`] (not its id: ids are
/// strings that survive re-analysis, positions do not).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct DocIx(pub usize);

impl std::ops::Index<DocIx> for Vec<DocumentAnalysis> {
    type Output = DocumentAnalysis;

    fn index(&self, ix: DocIx) -> &DocumentAnalysis {
        &self[ix.0]
    }
}

/// A span of one cleaned paragraph, in chars (Unicode scalar values, as
/// everywhere in the contract): `start` inclusive, `end` exclusive.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ParagraphSpan {
    /// Paragraph index.
    pub paragraph: usize,
    /// Start char.
    pub start: usize,
    /// End char (exclusive).
    pub end: usize,
}

impl Analysis {
    /// The document at `ix`, if there is one.
    pub fn doc(&self, ix: DocIx) -> Option<&DocumentAnalysis> {
        self.documents.get(ix.0)
    }

    /// The position of the document with id `id` (a map built on first use).
    pub fn doc_ix(&self, id: &str) -> Option<DocIx> {
        self.ids
            .get_or_init(|| self.documents.iter().enumerate().map(|(i, d)| (d.id.clone(), DocIx(i))).collect())
            .get(id)
            .copied()
    }

    /// The agreement with id `id` (`a17`): ids are `a` and the 1-based position.
    pub fn agreement(&self, id: &str) -> Option<&Agreement> {
        let by_position =
            id.strip_prefix('a').and_then(|n| n.parse::<usize>().ok()).and_then(|n| self.agreements.get(n.checked_sub(1)?));
        by_position.filter(|a| a.id == id).or_else(|| self.agreements.iter().find(|a| a.id == id))
    }
}

/// True for a date as the contract writes them: `2014`, `2014-09`,
/// `2014-09-12`, or two of them joined by `/` (a range).
pub fn is_iso_date(s: &str) -> bool {
    s.split_once('/')
        .map_or_else(|| is_iso_day_month_or_year(s), |(a, b)| is_iso_day_month_or_year(a) && is_iso_day_month_or_year(b))
}

/// `2014`, `2014-09` or `2014-09-12` (the W3C forms TEI's `when` takes too).
pub fn is_iso_day_month_or_year(d: &str) -> bool {
    let b = d.as_bytes();
    let digits = |r: std::ops::Range<usize>| b.get(r).is_some_and(|s| s.iter().all(u8::is_ascii_digit));
    match b.len() {
        4 => digits(0..4),
        7 => digits(0..4) && b[4] == b'-' && digits(5..7),
        10 => digits(0..4) && b[4] == b'-' && digits(5..7) && b[7] == b'-' && digits(8..10),
        _ => false,
    }
}

/// Version of the JSON contract.
pub const CONTRACT_VERSION: u32 = 1;

/// The whole analysis.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct Analysis {
    /// Always [`CONTRACT_VERSION`].
    pub version: u32,
    /// Documents in source order.
    pub documents: Vec<DocumentAnalysis>,
    /// One entry per distinct agreement.
    pub agreements: Vec<Agreement>,
    /// Files that could not be read, decoded or analysed.
    pub errors: Vec<LoadError>,
    /// Document id → position, built on first use ([`Analysis::doc_ix`]).
    #[serde(skip)]
    pub ids: std::sync::OnceLock<rustc_hash::FxHashMap<String, DocIx>>,
}

/// One analysed document. Serialised as the contract gives it, each
/// entity with its text (read from its paragraph).
#[derive(Clone, Debug, Deserialize)]
pub struct DocumentAnalysis {
    /// Unique id (file stem).
    pub id: String,
    /// Path relative to the corpus root.
    pub source: String,
    /// Title (as written, or the one a reader would give it).
    pub title: String,
    /// Kind of document.
    pub kind: DocKind,
    /// The meeting, if any.
    pub meeting: Option<Meeting>,
    /// Cleaned paragraphs.
    pub paragraphs: Vec<Paragraph>,
    /// Entity mentions, by paragraph and start.
    pub entities: Vec<Entity>,
    /// Citations in text order.
    pub citations: Vec<Citation>,
    /// Dated events the text mentions.
    pub events: Vec<Event>,
    /// Detected encoding.
    pub encoding: String,
    /// Non-fatal problems (replaced bytes …).
    pub warnings: Vec<String>,
    /// Number of source lines dropped as debris.
    pub removed_lines: usize,
    /// The news agency's dateline of a scraped page (`新华社天津9月1日电`), kept
    /// out of the paragraphs.
    pub dateline: Option<String>,
    /// Photo captions with their credits, kept out of the paragraphs.
    pub captions: Vec<String>,
    /// The file's format, and the publication time and address a saved
    /// web page gives.
    #[serde(default)]
    pub origin: Origin,
}

impl Serialize for DocumentAnalysis {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        /// The contract's fields, in its order.
        #[derive(Serialize)]
        struct Contract<'a> {
            id: &'a str,
            source: &'a str,
            title: &'a str,
            kind: DocKind,
            meeting: &'a Option<Meeting>,
            paragraphs: &'a [Paragraph],
            entities: Vec<WithText<'a>>,
            citations: &'a [Citation],
            events: &'a [Event],
            encoding: &'a str,
            warnings: &'a [String],
            removed_lines: usize,
            dateline: &'a Option<String>,
            captions: &'a [String],
            origin: &'a Origin,
        }
        /// An entity as the contract gives it.
        #[derive(Serialize)]
        struct WithText<'a> {
            kind: EntityKind,
            text: &'a str,
            canonical: &'a str,
            paragraph: u32,
            start: u32,
            end: u32,
        }
        let mut texts = EntityTexts::new(self);
        let entities = self
            .entities
            .iter()
            .map(|e| WithText {
                kind: e.kind,
                text: texts.text(e),
                canonical: e.canonical.as_str(),
                paragraph: e.paragraph,
                start: e.start,
                end: e.end(),
            })
            .collect();
        Contract {
            id: &self.id,
            source: &self.source,
            title: &self.title,
            kind: self.kind,
            meeting: &self.meeting,
            paragraphs: &self.paragraphs,
            entities,
            citations: &self.citations,
            events: &self.events,
            encoding: &self.encoding,
            warnings: &self.warnings,
            removed_lines: self.removed_lines,
            dateline: &self.dateline,
            captions: &self.captions,
            origin: &self.origin,
        }
        .serialize(serializer)
    }
}

/// `v` in a buffer of its exact size: a vector grown by doubling keeps up
/// to half its memory unused, and the allocator keeps a block that is at
/// most half empty when asked to shrink it (so `shrink_to_fit` does not do).
pub fn exact<T>(v: Vec<T>) -> Vec<T> {
    if v.capacity() == v.len() {
        return v;
    }
    let mut out = Vec::with_capacity(v.len());
    out.extend(v);
    out
}

impl DocumentAnalysis {
    /// The text entity `e` of this document covers. For many, in order:
    /// [`EntityTexts`].
    pub fn entity_text(&self, e: &Entity) -> &str {
        EntityTexts::new(self).text(e)
    }

    /// Gives back what its lists hold beyond their length: a list grown by
    /// pushing holds up to twice what it needs, and the window holds every
    /// document of a corpus for as long as it is open.
    pub fn shrink_to_fit(&mut self) {
        self.paragraphs = exact(std::mem::take(&mut self.paragraphs));
        for p in &mut self.paragraphs {
            p.source.shrink_to_fit();
        }
        self.entities = exact(std::mem::take(&mut self.entities));
        self.citations = exact(std::mem::take(&mut self.citations));
        self.events = exact(std::mem::take(&mut self.events));
        self.warnings = exact(std::mem::take(&mut self.warnings));
        self.captions = exact(std::mem::take(&mut self.captions));
    }

    /// Copies its lists and strings to new buffers and lets the old ones go. Loading
    /// makes a document among the many short-lived allocations of its
    /// analysis or decoding; once they are gone, a copy fills the room they
    /// left, and what is left free is in whole pages that can be given back.
    pub fn move_lists(&mut self) {
        self.paragraphs = self.paragraphs.to_vec();
        self.entities = self.entities.to_vec();
        self.citations = self.citations.to_vec();
        self.events = self.events.to_vec();
        for s in [&mut self.id, &mut self.source, &mut self.title, &mut self.encoding] {
            *s = s.as_str().to_owned();
        }
        self.warnings = self.warnings.to_vec();
        self.dateline = self.dateline.clone();
        self.captions = self.captions.to_vec();
        self.meeting = self.meeting.clone();
    }

    /// True when the title is not written near the top of the text (the
    /// reader made it from the meeting, date and kind).
    pub fn title_inferred(&self) -> bool {
        !self.paragraphs.iter().take(8).any(|p| p.text.trim() == self.title)
    }

    /// The meeting's start date, or the first date of the document, for ordering.
    pub fn date(&self) -> Option<&str> {
        self.meeting
            .as_ref()
            .and_then(|m| m.start.as_deref())
            .or_else(|| self.entities.iter().find(|e| e.kind == EntityKind::Date).map(|e| e.canonical.as_str()))
    }
}

/// One cited title.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Citation {
    /// Text inside the brackets.
    pub title: Name,
    /// Agreement id.
    pub agreement: Name,
    /// Paragraph index (`u32`, as an entity's: 1.6 million citations at 1 GB).
    pub paragraph: u32,
    /// Start char (the opening bracket).
    pub start: u32,
    /// End char (after the closing bracket).
    pub end: u32,
    /// Signing facts stated at this citation.
    pub signed: Option<Signed>,
    /// Index of the enclosing citation.
    pub parent: Option<u32>,
}

impl Citation {
    /// `(paragraph, start, end)` as indexes.
    pub fn place(&self) -> (usize, usize, usize) {
        (self.paragraph as usize, self.start as usize, self.end as usize)
    }
}

/// A passage citing an agreement.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CitedBy {
    /// Document id.
    pub document: Name,
    /// Paragraph index.
    pub paragraph: u32,
    /// Start char of the citation.
    pub start: u32,
    /// End char.
    pub end: u32,
}

impl CitedBy {
    /// The citation at chars `start..end` of paragraph `paragraph` of `document`.
    pub fn new(document: Name, paragraph: usize, start: usize, end: usize) -> Self {
        Self { document, paragraph: small(paragraph), start: small(start), end: small(end) }
    }

    /// `(paragraph, start, end)` as indexes.
    pub fn place(&self) -> (usize, usize, usize) {
        (self.paragraph as usize, self.start as usize, self.end as usize)
    }
}

/// One distinct agreement.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Agreement {
    /// `a1`, `a2` … in order of first citation.
    pub id: String,
    /// The wording used most often.
    pub title: String,
    /// Every other wording.
    pub variants: Vec<String>,
    /// Signing date and place (the most common statement).
    pub signed: Option<Signed>,
    /// Every citing passage.
    pub cited_by: Vec<CitedBy>,
}

/// When and where an agreement was signed or adopted.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Signed {
    /// ISO date or range.
    pub date: Option<Name>,
    /// Place as written (canonical city name when known).
    pub place: Option<Name>,
}

impl Signed {
    fn is_empty(&self) -> bool {
        self.date.is_none() && self.place.is_none()
    }

    /// `Some(self)` unless it says nothing.
    pub fn non_empty(self) -> Option<Self> {
        (!self.is_empty()).then_some(self)
    }
}

/// One cleaned paragraph.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Paragraph {
    /// The cleaned text.
    pub text: ParagraphText,
    /// 1..=6 for a heading (Markdown `#` or the document's title line).
    pub heading: Option<u8>,
    /// The page it starts on, for a paged source (PDF); pages count from 1
    /// (4 bytes: a paragraph is 32).
    #[serde(default)]
    pub page: Option<std::num::NonZeroU32>,
    /// Map back to the source: runs of consecutive characters.
    #[serde(skip)]
    pub source: SourceMap,
}

/// A paragraph's map back to its source file: the [`SourceRun`]s of its
/// text, or none (let go: the window holds 3.4 million paragraphs at 1 GB
/// and shows no source positions). One pointer wide.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[expect(clippy::box_collection, reason = "one pointer in every paragraph rather than a list's three: the map is often let go")]
pub struct SourceMap(Option<Box<Vec<SourceRun>>>);

impl SourceMap {
    /// The runs, in order of their first char.
    pub fn runs(&self) -> &[SourceRun] {
        self.0.as_deref().map_or(&[], Vec::as_slice)
    }

    /// Gives back what the list holds beyond its length.
    pub fn shrink_to_fit(&mut self) {
        if let Some(runs) = &mut self.0 {
            **runs = exact(std::mem::take(&mut **runs));
        }
    }
}

impl From<Vec<SourceRun>> for SourceMap {
    fn from(runs: Vec<SourceRun>) -> Self {
        Self((!runs.is_empty()).then(|| Box::new(runs)))
    }
}

/// Start of a run of cleaned characters that are consecutive in one source line.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SourceRun {
    /// Char offset in the cleaned paragraph where the run starts.
    pub clean: u32,
    /// 0-based line in the source text.
    pub line: u32,
    /// 0-based char column in that line.
    pub column: u32,
}

/// A position in the source file, 1-based as editors show it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct SourcePosition {
    /// 1-based line.
    pub line: u32,
    /// 1-based column, in characters.
    pub column: u32,
}

impl Paragraph {
    /// Where char `offset` of this paragraph came from in the source file.
    pub fn source_position(&self, offset: usize) -> Option<SourcePosition> {
        let offset = offset as u32;
        let runs = self.source.runs();
        let idx = runs.partition_point(|r| r.clean <= offset).checked_sub(1)?;
        let run = runs[idx];
        Some(SourcePosition { line: run.line + 1, column: run.column + (offset - run.clean) + 1 })
    }
}

/// What an entity is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum EntityKind {
    /// A named person.
    Person,
    /// A state.
    Country,
    /// An organisation or one of its bodies.
    Organization,
    /// A city, region or venue.
    Place,
    /// A date or range.
    Date,
    /// A cited agreement (canonical = the agreement's id).
    Agreement,
}

impl EntityKind {
    /// All kinds, in legend order.
    pub const ALL: [Self; 6] = [Self::Person, Self::Country, Self::Organization, Self::Place, Self::Date, Self::Agreement];

    /// The contract's name of the kind.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Person => "person",
            Self::Country => "country",
            Self::Organization => "organization",
            Self::Place => "place",
            Self::Date => "date",
            Self::Agreement => "agreement",
        }
    }
}

/// One mention: 16 bytes (16 million at 1 GB). Serialised with its end
/// char as the contract has it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(from = "EntityFields", into = "EntityFields")]
pub struct Entity {
    /// Canonical form (see the contract's table).
    pub canonical: Name,
    /// Paragraph index.
    pub paragraph: u32,
    /// Start char offset in the paragraph.
    pub start: u32,
    /// Length in chars (a mention is a name, a date or a title: never near
    /// 65,535 chars; a longer one is held as that long).
    chars: u16,
    /// Kind.
    pub kind: EntityKind,
}

/// [`Entity`] as serialised.
#[derive(Clone, Serialize, Deserialize)]
struct EntityFields {
    kind: EntityKind,
    canonical: Name,
    paragraph: u32,
    start: u32,
    end: u32,
}

impl From<EntityFields> for Entity {
    fn from(f: EntityFields) -> Self {
        Self::new(f.kind, f.canonical, f.paragraph as usize, f.start as usize, f.end as usize)
    }
}

impl From<Entity> for EntityFields {
    fn from(e: Entity) -> Self {
        Self { kind: e.kind, canonical: e.canonical, paragraph: e.paragraph, start: e.start, end: e.end() }
    }
}

impl Entity {
    /// An entity at chars `start..end` of paragraph `paragraph` (positions
    /// are held as `u32`: 16 million mentions at 1 GB; a position past
    /// `u32::MAX` cannot occur, as no file that large is read, and would be
    /// held as `u32::MAX`).
    pub fn new(kind: EntityKind, canonical: Name, paragraph: usize, start: usize, end: usize) -> Self {
        let chars = u16::try_from(end.saturating_sub(start)).unwrap_or(u16::MAX);
        Self { canonical, paragraph: small(paragraph), start: small(start), chars, kind }
    }

    /// The paragraph index.
    pub fn paragraph(&self) -> usize {
        self.paragraph as usize
    }

    /// The end char (exclusive).
    pub fn end(&self) -> u32 {
        self.start.saturating_add(u32::from(self.chars))
    }

    /// The chars of the paragraph it covers.
    pub fn chars(&self) -> std::ops::Range<usize> {
        self.start as usize..self.end() as usize
    }

    /// `(paragraph, start, end)` as indexes.
    pub fn place(&self) -> (usize, usize, usize) {
        (self.paragraph as usize, self.start as usize, self.end() as usize)
    }
}

/// The texts of a document's mentions (an entity holds where it is, not
/// its text: 16 million mentions at 1 GB), each read from its paragraph.
/// Asked in the order mentions come (by paragraph, then start), each is
/// found from where the one before was.
pub struct EntityTexts<'a> {
    doc: &'a DocumentAnalysis,
    /// The last mention's paragraph, its first char, and that char's byte.
    at: (usize, usize, usize),
}

impl<'a> EntityTexts<'a> {
    /// Reads the mentions of `doc`.
    pub fn new(doc: &'a DocumentAnalysis) -> Self {
        Self { doc, at: (0, 0, 0) }
    }

    /// The text `e` covers in its paragraph (empty if it is not inside it).
    pub fn text(&mut self, e: &Entity) -> &'a str {
        let (paragraph, start, end) = e.place();
        let Some(text) = self.doc.paragraphs.get(paragraph).map(|p| p.text.as_str()) else { return "" };
        if self.at.0 != paragraph || self.at.1 > start {
            self.at = (paragraph, 0, 0);
        }
        let from = byte_after(text, self.at.2, start - self.at.1);
        let to = byte_after(text, from, end.saturating_sub(start));
        self.at = (paragraph, start, from);
        text.get(from..to).unwrap_or_default()
    }
}

/// The byte `chars` chars after byte `from` of `text` (its end if fewer),
/// `from` being a char boundary, found with nothing decoded: a char starts
/// at every byte that is not a continuation byte (`10xxxxxx`), and those
/// are counted eight bytes at a time while the char sought lies beyond them.
fn byte_after(text: &str, from: usize, chars: usize) -> usize {
    let bytes = text.as_bytes();
    let Some(rest) = bytes.get(from..) else { return bytes.len() };
    let mut left = chars; // char starts still to pass
    let mut at = 0;
    let mut blocks = rest.chunks_exact(8);
    for block in &mut blocks {
        let mut word = [0u8; 8];
        word.copy_from_slice(block);
        let x = u64::from_le_bytes(word);
        // Bit 7 of each byte set and bit 6 clear: a continuation byte.
        let continuation = x & !(x << 1) & 0x8080_8080_8080_8080;
        let starts = 8 - continuation.count_ones() as usize;
        if starts > left {
            break;
        }
        left -= starts;
        at += 8;
    }
    for &b in &rest[at..] {
        if b & 0xc0 != 0x80 {
            if left == 0 {
                return from + at;
            }
            left -= 1;
        }
        at += 1;
    }
    bytes.len()
}

/// `x` as a `u32` position, `u32::MAX` if larger.
pub fn small(x: usize) -> u32 {
    u32::try_from(x).unwrap_or(u32::MAX)
}

/// A dated event mentioned in a document.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Event {
    /// What happened, as written (`上合组织成员国经贸部长会议`).
    pub label: Name,
    /// First day (ISO).
    pub start: Name,
    /// Last day (ISO).
    pub end: Name,
    /// Where, when the text says (a city, or 视频).
    pub place: Option<Name>,
    /// Paragraph that mentions it.
    pub paragraph: usize,
}

/// What kind of document it is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DocKind {
    /// 联合公报
    JointCommunique,
    /// 新闻公报
    PressCommunique,
    /// 宣言
    Declaration,
    /// 讲话, 致辞
    Speech,
    /// 声明
    Statement,
    /// Anything else.
    Other,
}

/// Which body met.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Body {
    /// Council of Heads of State (元首理事会).
    HeadsOfState,
    /// Council of Heads of Government (政府首脑（总理）理事会).
    HeadsOfGovernment,
    /// Council of Foreign Ministers.
    ForeignMinisters,
    /// Another body.
    Other,
}

/// One attendee.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attendee {
    /// The name as written.
    pub name: String,
    /// The role as written.
    pub role: String,
    /// Country (canonical), when the role is a country's.
    pub country: Option<String>,
    /// Organisation (canonical), when the role is an organisation's.
    pub organization: Option<String>,
    /// Where the attendee stands in the organisation.
    pub status: AttendeeStatus,
}

/// The meeting a document records.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Meeting {
    /// Which body.
    pub body: Body,
    /// 第十三次 → 13.
    pub ordinal: Option<u32>,
    /// First day (ISO).
    pub start: Option<String>,
    /// Last day (ISO).
    pub end: Option<String>,
    /// City as written, or 视频.
    pub place: Option<String>,
    /// Who chaired.
    pub chair: Option<String>,
    /// Who attended.
    pub attendees: Vec<Attendee>,
    /// The body as the text names it when it is none of the councils
    /// (`上海合作组织+`); `None` for the councils.
    pub body_label: Option<String>,
}

/// Where an attendee stands: a member state's, an observer's or a dialogue
/// partner's representative, a guest, or an organisation's.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AttendeeStatus {
    /// A member state's representative.
    Member,
    /// An observer state's representative.
    Observer,
    /// A dialogue partner's representative.
    Partner,
    /// A guest of the host.
    Guest,
    /// An international organisation's representative.
    Organization,
}

impl AttendeeStatus {
    /// Every status.
    pub const ALL: [Self; 5] = [Self::Member, Self::Observer, Self::Partner, Self::Guest, Self::Organization];

    /// The contract's name (`member`, `observer` …).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Member => "member",
            Self::Observer => "observer",
            Self::Partner => "partner",
            Self::Guest => "guest",
            Self::Organization => "organization",
        }
    }

    /// The status named `word` (the contract's name, as `assets/meetings/attendance.tsv` writes it).
    pub fn parse(word: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == word)
    }
}

/// A file that could not be loaded, and why.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct LoadError {
    /// Path as given or relative to the corpus root.
    pub source: String,
    /// A sentence a user can act on.
    pub message: String,
}

/// What a file says about itself besides its text.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Origin {
    /// The file's format.
    pub format: SourceFormat,
    /// When the page says it was published (`2024-07-04 22:09`), from its
    /// metadata or its visible date line.
    pub published: Option<String>,
    /// The page's own address (`<link rel=canonical>`, `og:url`, or the
    /// browser's `saved from url=` note).
    pub url: Option<String>,
}

/// The formats the reader opens.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SourceFormat {
    /// Plain text (`.txt`, or any name whose content is text).
    #[default]
    Text,
    /// Markdown (`.md`, `.markdown`).
    Markdown,
    /// A saved web page (`.html`, `.htm`, `.xhtml`, `.shtml`).
    Html,
    /// A PDF.
    Pdf,
    /// A Word document (`.docx`).
    Docx,
    /// A Word 97-2003 document (`.doc`): recognised, so it can be reported.
    #[serde(rename = "doc")]
    LegacyWord,
}

impl SourceFormat {
    /// The name users know it by (`PDF`, `Word`, …).
    pub fn label(self) -> &'static str {
        match self {
            Self::Text => "text",
            Self::Markdown => "Markdown",
            Self::Html => "HTML",
            Self::Pdf => "PDF",
            Self::Docx => "Word (.docx)",
            Self::LegacyWord => "Word 97-2003 (.doc)",
        }
    }
}

impl std::fmt::Display for SourceFormat {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.label())
    }
}

#[cfg(test)]
mod tests {
    use super::byte_after;

    #[test]
    fn bytes_after_chars_are_those_char_indices_give() {
        // Long enough for several eight-byte blocks, with chars of every width across their edges.
        let text = "a上合é𠀀组织 b·上海合作组织ab成员国é元首𠀀理事会x".repeat(3);
        let text = text.as_str();
        let boundaries: Vec<usize> = text.char_indices().map(|(b, _)| b).collect();
        for &from in &boundaries {
            for chars in 0..boundaries.len() + 2 {
                let want = text[from..].char_indices().nth(chars).map_or(text.len(), |(b, _)| from + b);
                assert_eq!(byte_after(text, from, chars), want, "{from} + {chars}");
            }
        }
    }
}
