//! Who held which office: each person's roles, with the country or
//! organisation, and the first and last dates of the documents that give
//! them. Roles come from the attendee tables and from a title written
//! between a country (or organisation) and the name (`塔吉克斯坦共和国总统
//! 拉赫蒙`). A short name that is the last part of exactly one full name
//! (`热恩别科夫`, `索隆拜·热恩别科夫`) is that person.
//!
//! The facts are taken one document at a time ([`facts_of`]), so the
//! streamed `analyze --json` keeps only them, not the documents.

use crate::model::{DocumentAnalysis, EntityKind};
use std::collections::{BTreeMap, BTreeSet};

/// How far before a name its title may start (chars after the country).
const MAX_ROLE_CHARS: usize = 12;

/// One document's statements of who held what.
#[derive(Clone, Debug, Default)]
pub struct DocFacts {
    /// Document id.
    pub doc: String,
    /// The document's date (first day).
    pub date: Option<String>,
    /// `(name, role, country or organisation)`.
    pub roles: Vec<(String, String, Option<String>)>,
}

/// One office a person held.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Role {
    /// The title (`总统`, `外交部长`).
    pub role: String,
    /// The country or organisation (canonical), if named.
    pub country: Option<String>,
    /// Earliest date of the documents that give it.
    pub first: Option<String>,
    /// Latest date.
    pub last: Option<String>,
    /// The documents (ids), by date.
    pub documents: Vec<String>,
}

/// A person and their offices.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Person {
    /// The fullest form of the name.
    pub name: String,
    /// Offices, earliest first.
    pub roles: Vec<Role>,
}

/// The roles `doc` states.
pub fn facts_of(doc: &DocumentAnalysis) -> DocFacts {
    let date = doc.date().map(|d| d.split('/').next().unwrap_or(d).to_owned());
    let mut roles = Vec::new();
    for a in doc.meeting.iter().flat_map(|m| &m.attendees) {
        let name = a.name.trim();
        if name.is_empty() || a.role.trim().is_empty() {
            continue;
        }
        let of = a.country.clone().or_else(|| a.organization.clone());
        let role = of.as_deref().and_then(|o| a.role.strip_prefix(o)).unwrap_or(&a.role).trim();
        let role = if role.is_empty() { a.role.trim() } else { role };
        roles.push((name.to_owned(), role.to_owned(), of));
    }
    // Each person against the country or organisation just before it in
    // its paragraph: one pass over the entities in text order (linear even
    // on a paragraph of a hundred thousand names).
    let mut order: Vec<&crate::model::Entity> = doc.entities.iter().collect();
    order.sort_by_key(|e| (e.paragraph, e.start));
    let mut last_by: Option<&crate::model::Entity> = None;
    // Where the last person started, as (paragraph, char, byte): chars are
    // counted forward only.
    let mut cursor = (usize::MAX, 0usize, 0usize);
    for e in order {
        if last_by.is_some_and(|b| b.paragraph != e.paragraph) {
            last_by = None;
        }
        match e.kind {
            EntityKind::Country | EntityKind::Organization => last_by = Some(e),
            EntityKind::Person => {
                let (paragraph, start, _) = e.place();
                let Some(by) = last_by.filter(|b| b.end() <= e.start && (e.start - b.end()) as usize <= MAX_ROLE_CHARS) else {
                    continue;
                };
                let Some(text) = doc.paragraphs.get(paragraph).map(|p| p.text.as_str()) else { continue };
                if cursor.0 != paragraph {
                    cursor = (paragraph, 0, 0);
                }
                let ahead = text[cursor.2..].char_indices().nth(start - cursor.1).map_or(text.len(), |(b, _)| cursor.2 + b);
                cursor = (paragraph, start, ahead);
                // The few chars between the country and the name, read back from the name.
                let mut role: Vec<char> = text[..ahead].chars().rev().take((e.start - by.end()) as usize).collect();
                role.reverse();
                let role: String = role.into_iter().collect();
                if !role.is_empty() && role.chars().all(crate::text::is_han) {
                    roles.push((e.canonical.to_string(), role, Some(by.canonical.to_string())));
                }
            }
            _ => {}
        }
    }
    roles.sort();
    roles.dedup();
    DocFacts { doc: doc.id.clone(), date, roles }
}

/// The people of the corpus whose facts are `facts`, by name.
pub fn people(facts: &[DocFacts]) -> Vec<Person> {
    use rayon::prelude::*;
    let names: BTreeSet<&str> = facts.iter().flat_map(|f| f.roles.iter().map(|r| r.0.as_str())).collect();
    // A short name stands for the one full name ending in `·short`.
    let mut full_names: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for name in names.iter().filter(|n| n.contains('·')) {
        if let Some(last) = name.rsplit('·').next().filter(|l| !l.is_empty()) {
            full_names.entry(last).or_default().push(name);
        }
    }
    fn full_of<'a>(full_names: &BTreeMap<&'a str, Vec<&'a str>>, name: &'a str) -> &'a str {
        match full_names.get(name).map(Vec::as_slice) {
            Some([one]) if !name.contains('·') => one,
            _ => name,
        }
    }
    // Borrowed from the facts until the end: at 1 GB they are a million
    // (person, role, document) statements, and a copy of each string for
    // each was most of this step's time.
    type Key<'a> = (&'a str, Option<&'a str>);
    type Dated<'a> = Vec<(Option<&'a str>, &'a str)>;
    let mut by_person: BTreeMap<&str, BTreeMap<Key<'_>, Dated<'_>>> = BTreeMap::new();
    for f in facts {
        for (name, role, of) in &f.roles {
            let docs =
                by_person.entry(full_of(&full_names, name)).or_default().entry((role.as_str(), of.as_deref())).or_default();
            // Documents come one at a time: one listed twice would be the last.
            if docs.last().is_none_or(|(_, d)| *d != f.doc) {
                docs.push((f.date.as_deref(), f.doc.as_str()));
            }
        }
    }
    let by_person: Vec<_> = by_person.into_iter().collect();
    by_person
        .into_par_iter()
        .map(|(name, roles)| {
            let mut roles: Vec<Role> = roles
                .into_iter()
                .map(|((role, country), mut docs)| {
                    // Each document once (one fact list each): no two pairs are equal.
                    docs.sort_unstable();
                    let first = docs.iter().find_map(|(d, _)| *d).map(str::to_owned);
                    let last = docs.iter().rev().find_map(|(d, _)| *d).map(str::to_owned);
                    Role {
                        role: role.to_owned(),
                        country: country.map(str::to_owned),
                        first,
                        last,
                        documents: docs.into_iter().map(|(_, d)| d.to_owned()).collect(),
                    }
                })
                .collect();
            roles.sort_by(|a, b| a.first.cmp(&b.first).then_with(|| a.role.cmp(&b.role)));
            Person { name: name.to_owned(), roles }
        })
        .collect()
}

/// Appends `,"people":[…]` (the additive field of `analyze --json`).
pub fn write_people_to(out: &mut impl std::io::Write, facts: &[DocFacts]) -> std::io::Result<()> {
    write_people_list_to(out, &people(facts))
}

/// Appends `,"people":[…]` for `people` ([`people`] of the corpus's facts).
pub fn write_people_list_to(out: &mut impl std::io::Write, people: &[Person]) -> std::io::Result<()> {
    out.write_all(b",\"people\":")?;
    serde_json::to_writer(&mut *out, people)?;
    Ok(())
}

/// The analysis as `analyze --json` writes it: the contract's fields, then
/// the additive `people`.
pub fn write_analysis_json(out: &mut impl std::io::Write, analysis: &crate::model::Analysis) -> std::io::Result<()> {
    use rayon::prelude::*;
    crate::model::json::write_json_fields(out, analysis)?;
    let facts: Vec<DocFacts> = analysis.documents.par_iter().map(facts_of).collect();
    write_people_to(out, &facts)?;
    out.write_all(b"}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_names_join_their_full_form_and_dates_span_the_documents() {
        let fact = |doc: &str, date: &str, name: &str| DocFacts {
            doc: doc.to_owned(),
            date: Some(date.to_owned()),
            roles: vec![(name.to_owned(), "总统".to_owned(), Some("吉尔吉斯斯坦".to_owned()))],
        };
        let people = people(&[fact("b", "2019-06-14", "热恩别科夫"), fact("a", "2017-06-08", "索隆拜·热恩别科夫")]);
        assert_eq!(people.len(), 1);
        let r = &people[0].roles[0];
        assert_eq!(people[0].name, "索隆拜·热恩别科夫");
        assert_eq!((r.first.as_deref(), r.last.as_deref()), (Some("2017-06-08"), Some("2019-06-14")));
        assert_eq!(r.documents, ["a", "b"]);
    }
}
