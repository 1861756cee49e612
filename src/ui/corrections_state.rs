//! Corrections in the window: the form for marking a span (or correcting
//! an entity), and the last deleted correction for undo. The corrections
//! themselves, with what became of each, come with the corpus
//! ([`super::loader::LoadedCorpus::corrections`]): they are applied on the
//! loading thread, after the analysis is read from the cache.

use crate::model::{DocIx, EntityKind};

/// The kinds a span can be marked as, in the form's order.
pub const MARK_KINDS: [EntityKind; 5] =
    [EntityKind::Person, EntityKind::Country, EntityKind::Organization, EntityKind::Place, EntityKind::Date];

/// The form marking a span as an entity.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CorrectionForm {
    /// Document.
    pub doc: DocIx,
    /// Paragraph.
    pub paragraph: usize,
    /// Start char.
    pub start: usize,
    /// End char.
    pub end: usize,
    /// The text of the span (shown).
    pub quote: String,
    /// The kind chosen.
    pub kind: EntityKind,
    /// The canonical name typed (the quote at first).
    pub canonical: String,
    /// Also put the name into the user's gazetteer.
    pub add_to_list: bool,
    /// Why the last save failed.
    pub error: Option<String>,
}

impl CorrectionForm {
    /// A form for chars `start..end` of `paragraph` reading `quote`.
    pub fn new(doc: DocIx, paragraph: usize, start: usize, end: usize, quote: &str, kind: EntityKind, canonical: &str) -> Self {
        Self {
            doc,
            paragraph,
            start,
            end,
            quote: quote.to_owned(),
            kind,
            canonical: canonical.to_owned(),
            add_to_list: false,
            error: None,
        }
    }
}

/// Corrections state of the window.
#[derive(Default)]
pub struct CorrectionsState {
    /// The form, while it is open.
    pub form: Option<CorrectionForm>,
    /// The last deleted correction (for undo).
    pub undo: Option<i64>,
}
