//! Corrections in the notes store (table `corrections`, made by the store's
//! schema 3 migration): add, list, delete with undo. One transaction per
//! change, as for notes.

use super::{Action, Correction, Passage};
use crate::notes::store::{NoteStore, StoreError};
use rusqlite::params;

/// Adds a correction; returns its id. Durable when this returns.
pub fn add(store: &mut NoteStore, c: &Correction) -> Result<i64, StoreError> {
    let action =
        serde_json::to_string(&c.action).map_err(|e| StoreError::Sqlite(rusqlite::Error::ToSqlConversionFailure(e.into())))?;
    let p = &c.passage;
    let tx = store.transaction()?;
    tx.execute(
        "INSERT INTO corrections (doc, source, doc_hash, paragraph, start, end, quote, prefix, suffix, action, created)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
        params![
            p.doc,
            p.source,
            p.doc_hash,
            p.paragraph as i64,
            p.start as i64,
            p.end as i64,
            p.quote,
            p.prefix,
            p.suffix,
            action,
            c.created
        ],
    )?;
    let id = tx.last_insert_rowid();
    tx.commit()?;
    Ok(id)
}

/// Deletes a correction (kept for undo).
pub fn delete(store: &mut NoteStore, id: i64) -> Result<bool, StoreError> {
    set_deleted(store, id, true)
}

/// Brings back a deleted correction.
pub fn undelete(store: &mut NoteStore, id: i64) -> Result<bool, StoreError> {
    set_deleted(store, id, false)
}

fn set_deleted(store: &mut NoteStore, id: i64, deleted: bool) -> Result<bool, StoreError> {
    let tx = store.transaction()?;
    let n = tx.execute(
        "UPDATE corrections SET deleted = ?2 WHERE id = ?1 AND deleted = ?3",
        params![id, i64::from(deleted), i64::from(!deleted)],
    )?;
    tx.commit()?;
    Ok(n > 0)
}

/// The corrections in force, in the order they were made, and the ids of
/// rows that cannot be read (left out).
pub fn list(store: &NoteStore) -> Result<(Vec<Correction>, Vec<i64>), StoreError> {
    let mut stmt = store.connection().prepare(
        "SELECT id, doc, source, doc_hash, paragraph, start, end, quote, prefix, suffix, action, created
         FROM corrections WHERE deleted = 0 ORDER BY id",
    )?;
    let mut rows = stmt.query([])?;
    let (mut found, mut damaged) = (Vec::new(), Vec::new());
    while let Some(r) = rows.next()? {
        let read = (|| -> rusqlite::Result<Option<Correction>> {
            let action: String = r.get(10)?;
            let Ok(action) = serde_json::from_str::<Action>(&action) else { return Ok(None) };
            Ok(Some(Correction {
                id: r.get(0)?,
                action,
                passage: Passage {
                    doc: r.get(1)?,
                    source: r.get(2)?,
                    doc_hash: r.get(3)?,
                    paragraph: r.get::<_, i64>(4)?.max(0) as usize,
                    start: r.get::<_, i64>(5)?.max(0) as usize,
                    end: r.get::<_, i64>(6)?.max(0) as usize,
                    quote: r.get(7)?,
                    prefix: r.get(8)?,
                    suffix: r.get(9)?,
                },
                created: r.get(11)?,
            }))
        })();
        match read {
            Ok(Some(c)) => found.push(c),
            Ok(None) | Err(_) => damaged.push(r.get::<_, i64>(0).unwrap_or(-1)),
        }
    }
    Ok((found, damaged))
}

/// The corrections in the store of `data_dir`, if it has one (none is made
/// to read them). Problems are returned as text to show, not fatal.
pub fn in_data_dir(data_dir: &std::path::Path) -> (Vec<Correction>, Vec<String>) {
    let path = data_dir.join(crate::notes::store::FILE_NAME);
    if !path.exists() {
        return (Vec::new(), Vec::new());
    }
    match NoteStore::open(&path).and_then(|s| list(&s)) {
        Ok((found, damaged)) if damaged.is_empty() => (found, Vec::new()),
        Ok((found, damaged)) => {
            (found, vec![format!("corrections {damaged:?} in the notes store cannot be read and were left out")])
        }
        Err(e) => (Vec::new(), vec![format!("corrections not applied: {e}")]),
    }
}
