//! The user's corrections of the analysis: a span marked as an entity (or
//! as another kind, or under another canonical name), a span that is not an
//! entity, two wordings that are one agreement, a wording that is not.
//!
//! A correction on a span is anchored as a note is (quote, prefix, suffix
//! and position: [`crate::notes::anchor`]), so it survives re-analysis and
//! edits elsewhere in the document, and is reported, never misplaced, when
//! its words are gone. Agreement corrections name agreements by their
//! wordings (`a17` is a position, not a name). They are kept in the notes
//! store ([`stored`]) and applied to every analysis after it is made or
//! read from the cache ([`apply`]); the cache holds the machine's own
//! analysis, so `analyze --no-corrections` and an undo need no re-analysis.

pub mod apply;
pub mod stored;

use crate::model::{Analysis, EntityKind};
use crate::notes::{NewNote, Note, NoteError};
use serde::{Deserialize, Serialize};

pub use apply::{Outcome, apply};

/// What a correction does.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "action", rename_all = "kebab-case")]
pub enum Action {
    /// The span is an entity of `kind`, named `canonical` (replaces any
    /// entity overlapping it: this also changes a kind or a canonical name).
    Mark {
        /// Kind (never [`EntityKind::Agreement`]: agreements are citations).
        kind: EntityKind,
        /// Canonical name.
        canonical: String,
    },
    /// No entity overlaps the span.
    Reject,
    /// The agreement cited as `merge` is the one cited as `keep`.
    MergeAgreements {
        /// A wording of the agreement that stays (its title stays).
        keep: String,
        /// A wording of the agreement merged into it.
        merge: String,
    },
    /// The citations worded `wording` are an agreement of their own.
    SplitAgreement {
        /// The wording split off.
        wording: String,
    },
}

impl Action {
    /// One line for lists: `mark person 谢赫·哈西娜`, `reject`, ….
    pub fn describe(&self) -> String {
        match self {
            Self::Mark { kind, canonical } => format!("mark {} {canonical}", kind.as_str()),
            Self::Reject => "reject".to_owned(),
            Self::MergeAgreements { keep, merge } => format!("merge 《{merge}》 into 《{keep}》"),
            Self::SplitAgreement { wording } => format!("split 《{wording}》"),
        }
    }

    /// True for corrections of one passage (anchored), false for agreements.
    pub fn is_span(&self) -> bool {
        matches!(self, Self::Mark { .. } | Self::Reject)
    }
}

/// A stored correction.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Correction {
    /// Store id.
    pub id: i64,
    /// What it does.
    #[serde(flatten)]
    pub action: Action,
    /// Where it was made: the span for a mark or a rejection, the first
    /// citation of the wording for an agreement correction.
    pub passage: Passage,
    /// When (RFC 3339, UTC).
    pub created: String,
}

/// A passage as a note anchors it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Passage {
    /// Document id.
    pub doc: String,
    /// The document's file, relative to the corpus root.
    pub source: String,
    /// Hash of the document's cleaned text then.
    pub doc_hash: String,
    /// Paragraph index.
    pub paragraph: usize,
    /// Start char.
    pub start: usize,
    /// End char (exclusive).
    pub end: usize,
    /// The text of the span.
    pub quote: String,
    /// Text before it.
    pub prefix: String,
    /// Text after it.
    pub suffix: String,
}

impl From<Note> for Passage {
    fn from(n: Note) -> Self {
        Self {
            doc: n.doc,
            source: n.source,
            doc_hash: n.doc_hash,
            paragraph: n.paragraph,
            start: n.start,
            end: n.end,
            quote: n.quote,
            prefix: n.prefix,
            suffix: n.suffix,
        }
    }
}

impl Passage {
    /// The passage as a note, to be placed by [`crate::notes::anchor`].
    pub fn as_note(&self) -> Note {
        Note {
            id: 0,
            doc: self.doc.clone(),
            source: self.source.clone(),
            doc_hash: self.doc_hash.clone(),
            paragraph: self.paragraph,
            start: self.start,
            end: self.end,
            quote: self.quote.clone(),
            prefix: self.prefix.clone(),
            suffix: self.suffix.clone(),
            text: String::new(),
            color: String::new(),
            tags: Vec::new(),
            created: String::new(),
            updated: String::new(),
        }
    }
}

/// The longest span a correction marks, in chars: a mention holds its
/// length in 16 bits (`model::Entity`).
pub const MAX_MENTION_CHARS: usize = u16::MAX as usize;

/// Why a correction cannot be made.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum CorrectionError {
    /// The passage does not exist.
    #[error(transparent)]
    Passage(#[from] NoteError),
    /// Marking a span as an agreement: agreements are what is cited in 《》.
    #[error("a span cannot be marked as an agreement (agreements are the titles cited in 《》)")]
    AgreementKind,
    /// The span lies across a cited title.
    #[error("the span {start}..{end} of paragraph {paragraph} overlaps a cited title; mark a span outside 《》")]
    InsideCitation {
        /// Paragraph.
        paragraph: usize,
        /// Start.
        start: usize,
        /// End.
        end: usize,
    },
    /// No agreement with this id.
    #[error("no agreement with id {0:?} in the corpus")]
    UnknownAgreement(String),
    /// Merging an agreement with itself.
    #[error("{0} and {1} are already one agreement")]
    SameAgreement(String, String),
    /// Splitting the only wording of an agreement.
    #[error("《{0}》 is the only wording of its agreement: there is nothing to split it from")]
    OnlyWording(String),
    /// No agreement is cited with this wording.
    #[error("no agreement is cited as 《{0}》")]
    UnknownWording(String),
    /// The span is longer than a mention can be ([`MAX_MENTION_CHARS`]).
    #[error("the span {start}..{end} of paragraph {paragraph} is longer than a mention can be ({MAX_MENTION_CHARS} chars)")]
    TooLong {
        /// Paragraph.
        paragraph: usize,
        /// Start.
        start: usize,
        /// End.
        end: usize,
    },
    /// The span is only spaces.
    #[error("the span {start}..{end} of paragraph {paragraph} holds no text to mark")]
    EmptySpan {
        /// Paragraph.
        paragraph: usize,
        /// Start.
        start: usize,
        /// End.
        end: usize,
    },
    /// Rejecting a span with no entity on it.
    #[error("there is no entity on span {start}..{end} of paragraph {paragraph} to reject")]
    NothingToReject {
        /// Paragraph.
        paragraph: usize,
        /// Start.
        start: usize,
        /// End.
        end: usize,
    },
    /// A date whose canonical form is not an ISO date.
    #[error("{0:?} is not a date: give its ISO form (2014-09-12, 2014-09, 2014, or a range 2014-09-11/2014-09-12)")]
    BadDate(String),
}

/// The ISO form of a date written `text` (`2014年9月12日`, `9月12日` in a
/// document of 2014), if the whole of it is one date.
fn date_of(text: &str, year: Option<i32>) -> Option<String> {
    let chars: Vec<char> = text.trim().chars().collect();
    let mut year = year;
    let found = crate::entities::dates::find_dates(&chars, &mut year);
    match found.as_slice() {
        [one] if one.start == 0 && one.end == chars.len() => Some(one.value.iso()),
        _ => None,
    }
}

/// A correction of one span (`Mark` or `Reject`), checked against the
/// analysis, ready for the store.
pub fn prepare_span(
    analysis: &Analysis,
    doc: &str,
    paragraph: usize,
    start: usize,
    end: usize,
    action: Action,
) -> Result<Correction, CorrectionError> {
    if matches!(action, Action::Mark { kind: EntityKind::Agreement, .. }) {
        return Err(CorrectionError::AgreementKind);
    }
    let new = NewNote { doc: doc.to_owned(), paragraph, start, end, ..NewNote::default() };
    let note = crate::notes::prepare(analysis, &new)?;
    let document = analysis.doc_ix(doc).and_then(|d| analysis.doc(d));
    let overlaps = |s: usize, e: usize| s < end && start < e;
    // Citations and the agreement mentions (该协定) are the registry's: a mark never crosses them.
    let crosses_citation = document.is_some_and(|d| {
        d.citations.iter().map(crate::model::Citation::place).any(|(p, s, e)| p == paragraph && overlaps(s, e))
            || d.entities.iter().any(|e| {
                e.kind == EntityKind::Agreement && e.paragraph() == paragraph && overlaps(e.chars().start, e.chars().end)
            })
    });
    if crosses_citation && matches!(action, Action::Mark { .. }) {
        return Err(CorrectionError::InsideCitation { paragraph, start, end });
    }
    if note.quote.trim().is_empty() {
        return Err(CorrectionError::EmptySpan { paragraph, start, end });
    }
    if end.saturating_sub(start) > MAX_MENTION_CHARS {
        return Err(CorrectionError::TooLong { paragraph, start, end });
    }
    let action = match action {
        Action::Mark { kind, canonical } => {
            let canonical = canonical.trim();
            let canonical = if canonical.is_empty() { note.quote.trim().to_owned() } else { canonical.to_owned() };
            let canonical = if kind == EntityKind::Date && !crate::model::is_iso_date(&canonical) {
                let year = document.and_then(|d| d.date()).and_then(|d| d.get(..4)).and_then(|y| y.parse().ok());
                date_of(&canonical, year).or_else(|| date_of(&note.quote, year)).ok_or(CorrectionError::BadDate(canonical))?
            } else {
                canonical
            };
            Action::Mark { kind, canonical }
        }
        Action::Reject => {
            let rejectable = document.is_some_and(|d| {
                d.entities
                    .iter()
                    .any(|e| e.paragraph() == paragraph && overlaps(e.chars().start, e.chars().end) && apply::rejectable(d, e))
            });
            if !rejectable {
                return Err(CorrectionError::NothingToReject { paragraph, start, end });
            }
            Action::Reject
        }
        other => other,
    };
    Ok(Correction { id: 0, action, passage: note.into(), created: crate::notes::now() })
}

/// "Agreement `merge` is agreement `keep`" (ids as in the analysis), ready
/// for the store: both are named by their titles.
pub fn prepare_merge(analysis: &Analysis, keep: &str, merge: &str) -> Result<Correction, CorrectionError> {
    let find = |id: &str| analysis.agreement(id).ok_or_else(|| CorrectionError::UnknownAgreement(id.to_owned()));
    let (a, b) = (find(keep)?, find(merge)?);
    if a.id == b.id {
        return Err(CorrectionError::SameAgreement(keep.to_owned(), merge.to_owned()));
    }
    let action = Action::MergeAgreements { keep: a.title.clone(), merge: b.title.clone() };
    Ok(Correction { id: 0, action, passage: first_citation(analysis, &b.id, None), created: crate::notes::now() })
}

/// "The citations worded `wording` are an agreement of their own", ready
/// for the store.
pub fn prepare_split(analysis: &Analysis, wording: &str) -> Result<Correction, CorrectionError> {
    let agreement = apply::agreement_of_wording(analysis, wording)
        .and_then(|id| analysis.agreement(&id))
        .ok_or_else(|| CorrectionError::UnknownWording(wording.to_owned()))?;
    if apply::wordings_of(analysis, &agreement.id).len() < 2 {
        return Err(CorrectionError::OnlyWording(wording.to_owned()));
    }
    let action = Action::SplitAgreement { wording: wording.to_owned() };
    Ok(Correction {
        id: 0,
        action,
        passage: first_citation(analysis, &agreement.id, Some(wording)),
        created: crate::notes::now(),
    })
}

/// The passage of an agreement's first citation (with `wording`, when
/// given), for the Corrections list to jump to; an empty one if none.
fn first_citation(analysis: &Analysis, agreement: &str, wording: Option<&str>) -> Passage {
    let found = analysis.documents.iter().find_map(|d| {
        d.citations
            .iter()
            .find(|c| c.agreement == agreement && wording.is_none_or(|w| c.title == w))
            .map(|c| (d.id.clone(), c.place()))
    });
    let Some((doc, (paragraph, start, end))) = found else { return Passage::default() };
    let new = NewNote { doc, paragraph, start, end, ..NewNote::default() };
    crate::notes::prepare(analysis, &new).map(Passage::from).unwrap_or_default()
}

#[cfg(test)]
mod tests;
