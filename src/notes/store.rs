//! The notes store: SQLite (bundled), one transaction per change, WAL with
//! full sync, a schema version with migrations. A store from a newer version
//! or a damaged file is reported and never written to.
//!
//! The same file holds the user's corrections of the analysis (table
//! `corrections`, schema 3); the `corrections` module reads and
//! writes them through [`NoteStore::connection`] and [`NoteStore::transaction`].

use super::Note;
use rusqlite::{Connection, OpenFlags, params};
use std::path::{Path, PathBuf};

/// Schema version this build reads and writes.
pub const SCHEMA_VERSION: i64 = 3;

/// File name of the store in the data directory.
pub const FILE_NAME: &str = "notes.sqlite";

/// Why the store cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// Written by a newer sco-reader.
    #[error(
        "the notes store {path} was written by a newer version of sco-reader (schema {found}, this one knows {supported}); it was left untouched — update sco-reader to use it"
    )]
    Newer {
        /// File.
        path: PathBuf,
        /// Version found.
        found: i64,
        /// Version supported.
        supported: i64,
    },
    /// Not a SQLite file, or damaged.
    #[error(
        "the notes store {path} is damaged or not a notes database ({detail}); it was left untouched — move it aside to start a new one"
    )]
    Corrupt {
        /// File.
        path: PathBuf,
        /// What SQLite said.
        detail: String,
    },
    /// Any other SQLite error.
    #[error("notes store error: {0}")]
    Sqlite(#[from] rusqlite::Error),
    /// The store is in a read-only place: notes can be read and exported, not changed.
    #[error(
        "the notes store {0} is read-only (its file or folder cannot be written); notes can be read and exported but not changed"
    )]
    ReadOnly(PathBuf),
    /// The directory could not be made.
    #[error("cannot create the data directory {path}: {source}")]
    Io {
        /// Directory.
        path: PathBuf,
        /// Cause.
        source: std::io::Error,
    },
}

/// An open store.
pub struct NoteStore {
    conn: Connection,
    path: PathBuf,
    read_only: bool,
}

impl NoteStore {
    /// Opens (or creates) `dir/notes.sqlite`.
    pub fn open_in(dir: &Path) -> Result<Self, StoreError> {
        std::fs::create_dir_all(dir).map_err(|source| StoreError::Io { path: dir.to_path_buf(), source })?;
        Self::open(&dir.join(FILE_NAME))
    }

    /// Opens (or creates) the store at `path`.
    pub fn open(path: &Path) -> Result<Self, StoreError> {
        let corrupt = |detail: String| StoreError::Corrupt { path: path.to_path_buf(), detail };
        if let Ok(meta) = std::fs::metadata(path)
            && !meta.is_file()
        {
            let what = crate::regular_file::kind_of(&meta);
            return Err(corrupt(format!("it is not a regular file but a {what}")));
        }
        if let Ok(mut f) = crate::regular_file::open(path) {
            use std::io::Read as _;
            let mut header = [0u8; 16];
            let n = f.read(&mut header).unwrap_or(0);
            if n > 0 && (n < 16 || &header != b"SQLite format 3\0") {
                return Err(corrupt("not a SQLite file".to_owned()));
            }
        }
        // A healthy store in a place that cannot be written is opened to
        // read (immutable: no journal or shared-memory file is made).
        let read_only = std::fs::metadata(path).is_ok_and(|m| crate::safe_write::is_read_only(&m) || !folder_writable(path));
        let conn = if read_only {
            Connection::open_with_flags(
                format!("file:{}?immutable=1", uri_path(path)),
                OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_URI | OpenFlags::SQLITE_OPEN_NO_MUTEX,
            )
        } else {
            Connection::open_with_flags(
                path,
                OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_CREATE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
            )
        }
        .map_err(|e| corrupt(e.to_string()))?;
        // Before any statement: racing first-time creations wait, not fail.
        conn.busy_timeout(std::time::Duration::from_secs(10))?;
        let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0)).map_err(|e| corrupt(e.to_string()))?;
        if version > SCHEMA_VERSION {
            return Err(StoreError::Newer { path: path.to_path_buf(), found: version, supported: SCHEMA_VERSION });
        }
        let check: String = conn.query_row("PRAGMA quick_check", [], |r| r.get(0)).map_err(|e| corrupt(e.to_string()))?;
        if check != "ok" {
            return Err(corrupt(check));
        }
        if read_only {
            if version < SCHEMA_VERSION {
                // An older store cannot be brought up to date here.
                return Err(StoreError::ReadOnly(path.to_path_buf()));
            }
            return Ok(Self { conn, path: path.to_path_buf(), read_only });
        }
        // Switching to WAL takes the file whole; SQLite answers "busy" at
        // once (without its busy handler) when another connection is in the
        // middle of the same first steps, so these are retried.
        retry_busy(|| conn.pragma_update(None, "journal_mode", "WAL"))?;
        // FULL: a change is on disk when its transaction returns.
        conn.pragma_update(None, "synchronous", "FULL")?;
        let mut store = Self { conn, path: path.to_path_buf(), read_only };
        retry_busy(|| store.migrate())?;
        Ok(store)
    }

    /// True when the store can be read but not changed.
    pub fn is_read_only(&self) -> bool {
        self.read_only
    }

    fn writable(&self) -> Result<(), StoreError> {
        if self.read_only { Err(StoreError::ReadOnly(self.path.clone())) } else { Ok(()) }
    }

    /// Where the store is.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The connection, to read (the corrections' table).
    pub(crate) fn connection(&self) -> &Connection {
        &self.conn
    }

    /// A transaction to change the store; refused when it is read-only.
    pub(crate) fn transaction(&mut self) -> Result<rusqlite::Transaction<'_>, StoreError> {
        self.writable()?;
        Ok(self.conn.transaction()?)
    }

    fn migrate(&mut self) -> rusqlite::Result<()> {
        // One immediate transaction: of two processes creating the store at
        // once, the second waits and then finds it made.
        let tx = self.conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let from: i64 = tx.query_row("PRAGMA user_version", [], |r| r.get(0))?;
        if from >= SCHEMA_VERSION {
            return Ok(());
        }
        if from < 1 {
            tx.execute_batch(
                "CREATE TABLE IF NOT EXISTS notes (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    doc TEXT NOT NULL,
                    doc_hash TEXT NOT NULL,
                    paragraph INTEGER NOT NULL,
                    start INTEGER NOT NULL,
                    end INTEGER NOT NULL,
                    quote TEXT NOT NULL,
                    prefix TEXT NOT NULL,
                    suffix TEXT NOT NULL,
                    text TEXT NOT NULL,
                    color TEXT NOT NULL,
                    tags TEXT NOT NULL,
                    created TEXT NOT NULL,
                    updated TEXT NOT NULL,
                    deleted INTEGER NOT NULL DEFAULT 0
                );
                CREATE INDEX IF NOT EXISTS notes_doc ON notes(doc);",
            )?;
        }
        if from < 2 {
            // The file a note belongs to; filled for older notes the first
            // time they are resolved against a corpus ([`NoteStore::set_source`]).
            tx.execute_batch("ALTER TABLE notes ADD COLUMN source TEXT NOT NULL DEFAULT '';")?;
        }
        if from < 3 {
            // Corrections of the analysis, anchored as notes are; `action`
            // is JSON (an `Action` of the corrections module).
            tx.execute_batch(
                "CREATE TABLE IF NOT EXISTS corrections (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    doc TEXT NOT NULL,
                    source TEXT NOT NULL,
                    doc_hash TEXT NOT NULL,
                    paragraph INTEGER NOT NULL,
                    start INTEGER NOT NULL,
                    end INTEGER NOT NULL,
                    quote TEXT NOT NULL,
                    prefix TEXT NOT NULL,
                    suffix TEXT NOT NULL,
                    action TEXT NOT NULL,
                    created TEXT NOT NULL,
                    deleted INTEGER NOT NULL DEFAULT 0
                );",
            )?;
        }
        tx.pragma_update(None, "user_version", SCHEMA_VERSION)?;
        tx.commit()?;
        Ok(())
    }

    /// Adds a note; returns its id. Durable when this returns.
    pub fn add(&mut self, note: &Note) -> Result<i64, StoreError> {
        self.writable()?;
        let tx = self.conn.transaction()?;
        tx.execute(
            "INSERT INTO notes (doc, doc_hash, paragraph, start, end, quote, prefix, suffix, text, color, tags, created, updated, source)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
            params![
                note.doc,
                note.doc_hash,
                note.paragraph as i64,
                note.start as i64,
                note.end as i64,
                note.quote,
                note.prefix,
                note.suffix,
                note.text,
                note.color,
                tags_json(&note.tags),
                note.created,
                note.updated,
                note.source
            ],
        )?;
        let id = tx.last_insert_rowid();
        tx.commit()?;
        Ok(id)
    }

    /// Changes a note's text, colour and tags.
    pub fn update(&mut self, note: &Note) -> Result<bool, StoreError> {
        self.writable()?;
        let tx = self.conn.transaction()?;
        let n = tx.execute(
            "UPDATE notes SET text = ?2, color = ?3, tags = ?4, updated = ?5 WHERE id = ?1 AND deleted = 0",
            params![note.id, note.text, note.color, tags_json(&note.tags), super::now()],
        )?;
        tx.commit()?;
        Ok(n > 0)
    }

    /// Records the file an older note belongs to, and its id there.
    pub fn set_source(&mut self, id: i64, doc: &str, source: &str) -> Result<bool, StoreError> {
        self.writable()?;
        let tx = self.conn.transaction()?;
        let n = tx.execute("UPDATE notes SET doc = ?2, source = ?3 WHERE id = ?1", params![id, doc, source])?;
        tx.commit()?;
        Ok(n > 0)
    }

    /// Puts a note on a new place (the user accepted where it moved): the
    /// position, context and document hash are those of `note`.
    pub fn reanchor(&mut self, note: &Note) -> Result<bool, StoreError> {
        self.writable()?;
        let tx = self.conn.transaction()?;
        let n = tx.execute(
            "UPDATE notes SET doc = ?2, source = ?3, doc_hash = ?4, paragraph = ?5, start = ?6, end = ?7, quote = ?8,
             prefix = ?9, suffix = ?10, updated = ?11 WHERE id = ?1 AND deleted = 0",
            params![
                note.id,
                note.doc,
                note.source,
                note.doc_hash,
                note.paragraph as i64,
                note.start as i64,
                note.end as i64,
                note.quote,
                note.prefix,
                note.suffix,
                super::now()
            ],
        )?;
        tx.commit()?;
        Ok(n > 0)
    }

    /// Deletes a note (kept for undo until [`NoteStore::purge`]).
    pub fn delete(&mut self, id: i64) -> Result<bool, StoreError> {
        self.set_deleted(id, true)
    }

    /// Brings back a deleted note.
    pub fn undelete(&mut self, id: i64) -> Result<bool, StoreError> {
        self.set_deleted(id, false)
    }

    fn set_deleted(&mut self, id: i64, deleted: bool) -> Result<bool, StoreError> {
        self.writable()?;
        let tx = self.conn.transaction()?;
        let n = tx.execute(
            "UPDATE notes SET deleted = ?2 WHERE id = ?1 AND deleted = ?3",
            params![id, i64::from(deleted), i64::from(!deleted)],
        )?;
        tx.commit()?;
        Ok(n > 0)
    }

    /// Removes deleted notes for good.
    pub fn purge(&mut self) -> Result<usize, StoreError> {
        self.writable()?;
        let tx = self.conn.transaction()?;
        let n = tx.execute("DELETE FROM notes WHERE deleted = 1", [])?;
        tx.commit()?;
        Ok(n)
    }

    /// Notes (not deleted), of one document or all, in document and text order.
    pub fn list(&self, doc: Option<&str>) -> Result<Vec<Note>, StoreError> {
        Ok(self.list_checked(doc)?.0)
    }

    /// Notes as [`NoteStore::list`], and the ids of rows that cannot be
    /// read (damaged text, wrong types): those are left out, the rest shown.
    pub fn list_checked(&self, doc: Option<&str>) -> Result<(Vec<Note>, Vec<i64>), StoreError> {
        let mut stmt = self.conn.prepare(
            "SELECT id, doc, doc_hash, paragraph, start, end, quote, prefix, suffix, text, color, tags, created, updated, source
             FROM notes WHERE deleted = 0 AND (?1 IS NULL OR doc = ?1) ORDER BY doc, paragraph, start, id",
        )?;
        let mut rows = stmt.query(params![doc])?;
        let (mut notes, mut damaged) = (Vec::new(), Vec::new());
        while let Some(r) = rows.next()? {
            let note = (|| -> rusqlite::Result<Note> {
                let tags: String = r.get(11)?;
                Ok(Note {
                    id: r.get(0)?,
                    doc: r.get(1)?,
                    source: r.get(14)?,
                    doc_hash: r.get(2)?,
                    paragraph: r.get::<_, i64>(3)?.max(0) as usize,
                    start: r.get::<_, i64>(4)?.max(0) as usize,
                    end: r.get::<_, i64>(5)?.max(0) as usize,
                    quote: r.get(6)?,
                    prefix: r.get(7)?,
                    suffix: r.get(8)?,
                    text: r.get(9)?,
                    color: r.get(10)?,
                    tags: serde_json::from_str(&tags).unwrap_or_default(),
                    created: r.get(12)?,
                    updated: r.get(13)?,
                })
            })();
            match note {
                Ok(n) => notes.push(n),
                Err(_) => damaged.push(r.get::<_, i64>(0).unwrap_or(-1)),
            }
        }
        Ok((notes, damaged))
    }

    /// One note by id.
    pub fn get(&self, id: i64) -> Result<Option<Note>, StoreError> {
        Ok(self.list(None)?.into_iter().find(|n| n.id == id))
    }

    /// SQLite's full integrity check ("ok" when sound).
    pub fn integrity_check(&self) -> Result<String, StoreError> {
        Ok(self.conn.query_row("PRAGMA integrity_check", [], |r| r.get(0))?)
    }
}

/// Runs `f` again while SQLite says the database is busy or locked, for up
/// to ten seconds.
fn retry_busy<T>(mut f: impl FnMut() -> rusqlite::Result<T>) -> rusqlite::Result<T> {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    loop {
        match f() {
            Err(rusqlite::Error::SqliteFailure(e, _))
                if matches!(e.code, rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked)
                    && std::time::Instant::now() < deadline =>
            {
                std::thread::sleep(std::time::Duration::from_millis(15));
            }
            other => return other,
        }
    }
}

/// Whether a file can be made beside `path` (SQLite needs its journal there).
fn folder_writable(path: &Path) -> bool {
    let dir = path.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
    tempfile::tempfile_in(dir).is_ok()
}

/// `path` for a `file:` URI: `%`, `?` and `#` escaped.
fn uri_path(path: &Path) -> String {
    path.to_string_lossy().replace('%', "%25").replace('?', "%3f").replace('#', "%23")
}

fn tags_json(tags: &[String]) -> String {
    serde_json::to_string(tags).unwrap_or_else(|_| "[]".to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn note(doc: &str, text: &str) -> Note {
        Note {
            id: 0,
            doc: doc.to_owned(),
            source: format!("{doc}.txt"),
            doc_hash: "0".to_owned(),
            paragraph: 1,
            start: 2,
            end: 5,
            quote: "引文".to_owned(),
            prefix: String::new(),
            suffix: String::new(),
            text: text.to_owned(),
            color: "yellow".to_owned(),
            tags: vec!["t".to_owned()],
            created: "2026-01-01T00:00:00Z".to_owned(),
            updated: "2026-01-01T00:00:00Z".to_owned(),
        }
    }

    #[test]
    fn add_list_update_delete_undo() {
        let dir = tempfile::tempdir().expect("tmp");
        let mut s = NoteStore::open_in(dir.path()).expect("open");
        let a = s.add(&note("d1", "一")).expect("add");
        let b = s.add(&note("d2", "二")).expect("add");
        assert_eq!(s.list(None).expect("list").len(), 2);
        assert_eq!(s.list(Some("d1")).expect("list")[0].id, a);
        let mut n = s.get(b).expect("get").expect("some");
        n.text = "改".to_owned();
        n.tags = vec!["x".to_owned(), "y".to_owned()];
        assert!(s.update(&n).expect("update"));
        assert_eq!(s.get(b).expect("get").expect("some").tags, ["x", "y"]);
        assert!(s.delete(a).expect("delete"));
        assert_eq!(s.list(None).expect("list").len(), 1);
        assert!(s.undelete(a).expect("undo"));
        assert_eq!(s.list(None).expect("list").len(), 2);
        assert_eq!(s.integrity_check().expect("check"), "ok");
        drop(s);
        // Reopening keeps everything.
        let s = NoteStore::open_in(dir.path()).expect("reopen");
        assert_eq!(s.list(None).expect("list").len(), 2);
    }

    #[test]
    fn a_version_1_store_is_migrated_and_its_notes_kept() {
        let dir = tempfile::tempdir().expect("tmp");
        let path = dir.path().join(FILE_NAME);
        {
            let c = Connection::open(&path).expect("sqlite");
            c.execute_batch(
                "CREATE TABLE notes (id INTEGER PRIMARY KEY AUTOINCREMENT, doc TEXT NOT NULL, doc_hash TEXT NOT NULL,
                 paragraph INTEGER NOT NULL, start INTEGER NOT NULL, end INTEGER NOT NULL, quote TEXT NOT NULL,
                 prefix TEXT NOT NULL, suffix TEXT NOT NULL, text TEXT NOT NULL, color TEXT NOT NULL, tags TEXT NOT NULL,
                 created TEXT NOT NULL, updated TEXT NOT NULL, deleted INTEGER NOT NULL DEFAULT 0);
                 INSERT INTO notes (doc, doc_hash, paragraph, start, end, quote, prefix, suffix, text, color, tags, created, updated)
                 VALUES ('report', 'h', 1, 0, 2, '合作', '', '', '旧', 'yellow', '[]', 't', 't');
                 PRAGMA user_version = 1;",
            )
            .expect("v1 store");
        }
        let mut s = NoteStore::open(&path).expect("open");
        let notes = s.list(None).expect("list");
        assert_eq!((notes.len(), notes[0].source.as_str(), notes[0].text.as_str()), (1, "", "旧"));
        assert!(s.set_source(notes[0].id, "report.txt", "report.txt").expect("set"));
        let n = s.get(notes[0].id).expect("get").expect("note");
        assert_eq!((n.doc.as_str(), n.source.as_str()), ("report.txt", "report.txt"));
        let version: i64 = s.conn.query_row("PRAGMA user_version", [], |r| r.get(0)).expect("version");
        assert_eq!(version, SCHEMA_VERSION);
        // Schema 3: the corrections' table, empty.
        let corrections: i64 = s.conn.query_row("SELECT count(*) FROM corrections", [], |r| r.get(0)).expect("table");
        assert_eq!(corrections, 0);
    }

    #[test]
    fn a_damaged_row_is_reported_and_the_rest_listed() {
        let dir = tempfile::tempdir().expect("tmp");
        let mut s = NoteStore::open_in(dir.path()).expect("open");
        let good = s.add(&note("d1", "好")).expect("add");
        let bad = s.add(&note("d1", "坏")).expect("add");
        s.conn.execute("UPDATE notes SET text = CAST(X'FF00FE' AS TEXT) WHERE id = ?1", params![bad]).expect("damage");
        let (notes, damaged) = s.list_checked(None).expect("list");
        assert_eq!(notes.iter().map(|n| n.id).collect::<Vec<_>>(), [good]);
        assert_eq!(damaged, [bad]);
    }

    #[test]
    fn racing_first_creations_all_open_the_store() {
        let dir = tempfile::tempdir().expect("tmp");
        std::thread::scope(|scope| {
            let handles: Vec<_> = (0..16).map(|_| scope.spawn(|| NoteStore::open_in(dir.path()).map(|_| ()))).collect();
            for h in handles {
                let r = h.join().expect("thread");
                assert!(r.is_ok(), "{r:?}");
            }
        });
    }

    #[cfg(unix)]
    #[test]
    fn a_store_in_a_read_only_folder_is_read_not_called_damaged() {
        use std::os::unix::fs::PermissionsExt as _;
        let dir = tempfile::tempdir().expect("tmp");
        let data = dir.path().join("data");
        {
            let mut s = NoteStore::open_in(&data).expect("open");
            s.add(&note("d1", "只读")).expect("add");
        }
        std::fs::set_permissions(data.join(FILE_NAME), std::fs::Permissions::from_mode(0o444)).expect("chmod");
        std::fs::set_permissions(&data, std::fs::Permissions::from_mode(0o555)).expect("chmod");
        let opened = NoteStore::open_in(&data);
        std::fs::set_permissions(&data, std::fs::Permissions::from_mode(0o755)).expect("chmod back");
        let mut s = opened.expect("opened to read");
        assert!(s.is_read_only());
        assert_eq!(s.list(None).expect("list")[0].text, "只读");
        let err = s.add(&note("d1", "新")).expect_err("read-only");
        assert!(err.to_string().contains("read-only"), "{err}");
    }

    #[test]
    fn newer_or_corrupt_stores_are_refused_and_left_alone() {
        let dir = tempfile::tempdir().expect("tmp");
        let path = dir.path().join(FILE_NAME);
        {
            let c = Connection::open(&path).expect("sqlite");
            c.pragma_update(None, "user_version", 99).expect("pragma");
        }
        let before = std::fs::read(&path).expect("read");
        assert!(matches!(NoteStore::open(&path), Err(StoreError::Newer { found: 99, .. })));
        assert_eq!(std::fs::read(&path).expect("read"), before);
        let junk = dir.path().join("junk.sqlite");
        std::fs::write(&junk, b"this is not a database at all, just text").expect("write");
        let err = NoteStore::open(&junk).err().expect("error");
        assert!(err.to_string().contains("damaged"), "{err}");
        assert_eq!(std::fs::read(&junk).expect("read"), b"this is not a database at all, just text");
    }
}
