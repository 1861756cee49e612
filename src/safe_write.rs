//! Writing a file the user named, and nothing else.
//!
//! - A regular file (or a new one) is replaced atomically: the bytes go to
//!   an unpredictable temporary file created exclusively in the same folder
//!   (`tempfile`), flushed to disk, given the old file's permission bits,
//!   then renamed over the target. Concurrent writers each have their own
//!   temporary file; a link planted at a guessable name cannot redirect it.
//! - An existing file whose mode bits allow no one to write is refused
//!   (judged by the bits, so it holds for every user, root included),
//!   unless forced.
//! - A target that is not a regular file (a device, a FIFO, `/dev/stdout`,
//!   or a link to one of those) is written to directly, never replaced.
//! - Temporary files in flight are recorded, so that an interrupt (Ctrl-C)
//!   removes them before the process exits ([`remove_in_flight`]).

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// Why a file was not written.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    /// The file's mode bits allow no write.
    #[error("{0} is read-only; it was left as it is (use --force to replace it)")]
    ReadOnly(PathBuf),
    /// The path names a folder.
    #[error("{0} is a folder, not a file")]
    IsFolder(PathBuf),
    /// Any I/O failure, with the file it concerns.
    #[error("cannot write {path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
}

/// Temporary files being written now.
static IN_FLIGHT: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

/// Removes every temporary file being written (called on an interrupt).
pub fn remove_in_flight() {
    remove_in_flight_where(|_| true);
}

/// Removes the temporary files in flight that `chosen` picks.
fn remove_in_flight_where(chosen: impl Fn(&Path) -> bool) {
    let paths: Vec<PathBuf> = {
        let mut list = match IN_FLIGHT.lock() {
            Ok(list) => list,
            Err(poisoned) => poisoned.into_inner(),
        };
        let (picked, kept) = std::mem::take(&mut *list).into_iter().partition(|p| chosen(p));
        *list = kept;
        picked
    };
    for p in paths {
        let _ = std::fs::remove_file(p);
    }
}

/// Records `path` as in flight until the guard is dropped.
struct InFlight(PathBuf);

impl InFlight {
    fn new(path: &Path) -> Self {
        if let Ok(mut list) = IN_FLIGHT.lock() {
            list.push(path.to_path_buf());
        }
        Self(path.to_path_buf())
    }
}

impl Drop for InFlight {
    fn drop(&mut self) {
        if let Ok(mut list) = IN_FLIGHT.lock() {
            list.retain(|p| p != &self.0);
        }
    }
}

/// True when no one may write the file (no `w` bit; on other systems, the
/// read-only attribute).
pub fn is_read_only(meta: &std::fs::Metadata) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        meta.permissions().mode() & 0o222 == 0
    }
    #[cfg(not(unix))]
    {
        meta.permissions().readonly()
    }
}

/// Writes `bytes` to exactly `path` (see the module's rules); `force`
/// replaces a read-only file.
pub fn write(path: &Path, bytes: &[u8], force: bool) -> Result<(), WriteError> {
    write_with(path, Options { force, sync: true }, |w| w.write_all(bytes))
}

/// How [`write_with`] writes.
#[derive(Clone, Copy, Debug)]
pub struct Options {
    /// Replace a read-only file.
    pub force: bool,
    /// Flush the file to disk before it replaces the old one (a cache that
    /// checks itself on reading can skip it).
    pub sync: bool,
}

/// Like [`write`], with the bytes produced by `fill` into a buffered writer.
pub fn write_with(
    path: &Path,
    options: Options,
    fill: impl FnOnce(&mut dyn std::io::Write) -> std::io::Result<()>,
) -> Result<(), WriteError> {
    let force = options.force;
    let io = |source: std::io::Error| WriteError::Io { path: path.to_path_buf(), source };
    // What the path is, following a link to find out.
    match std::fs::metadata(path) {
        Ok(meta) if meta.is_dir() => return Err(WriteError::IsFolder(path.to_path_buf())),
        Ok(meta) if !meta.is_file() => {
            // A device, FIFO or terminal: written to, never replaced.
            let f = std::fs::OpenOptions::new().write(true).open(path).map_err(io)?;
            let mut out = std::io::BufWriter::new(f);
            return fill(&mut out).and_then(|()| out.flush()).map_err(io);
        }
        _ => {}
    }
    // The old file's bits (of the file itself, not of a link to it).
    let old = std::fs::symlink_metadata(path).ok().filter(|m| m.is_file());
    if let Some(meta) = &old
        && is_read_only(meta)
        && !force
    {
        return Err(WriteError::ReadOnly(path.to_path_buf()));
    }
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let mut tmp = tempfile::Builder::new().prefix(&format!(".{name}.")).suffix(".tmp").tempfile_in(&dir).map_err(io)?;
    let _guard = InFlight::new(tmp.path());
    {
        let mut out = std::io::BufWriter::new(tmp.as_file_mut());
        fill(&mut out).and_then(|()| out.flush()).map_err(io)?;
    }
    if options.sync {
        tmp.as_file().sync_all().map_err(io)?;
    }
    match &old {
        // The replaced file keeps its permission bits (an export over a 0600
        // file stays 0600); a forced read-only one stays read-only.
        Some(meta) => std::fs::set_permissions(tmp.path(), meta.permissions()).map_err(io)?,
        // A new file gets the usual bits, not the temporary file's 0600.
        None => {
            #[cfg(unix)]
            {
                use std::os::unix::fs::PermissionsExt as _;
                std::fs::set_permissions(tmp.path(), std::fs::Permissions::from_mode(0o644)).map_err(io)?;
            }
        }
    }
    tmp.persist(path).map_err(|e| io(e.error))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_read_only_file_is_refused_unless_forced_and_keeps_its_bits() {
        let dir = tempfile::tempdir().expect("tmp");
        let f = dir.path().join("notes.md");
        std::fs::write(&f, "old").expect("write");
        let mut p = std::fs::metadata(&f).expect("meta").permissions();
        p.set_readonly(true);
        std::fs::set_permissions(&f, p).expect("chmod");
        assert!(matches!(write(&f, b"new", false), Err(WriteError::ReadOnly(_))));
        assert_eq!(std::fs::read_to_string(&f).expect("read"), "old");
        write(&f, b"new", true).expect("forced");
        assert_eq!(std::fs::read_to_string(&f).expect("read"), "new");
        assert!(is_read_only(&std::fs::metadata(&f).expect("meta")));
    }

    #[cfg(unix)]
    #[test]
    fn a_replaced_file_keeps_its_mode_and_no_temporary_file_is_left() {
        use std::os::unix::fs::PermissionsExt as _;
        let dir = tempfile::tempdir().expect("tmp");
        let f = dir.path().join("private.md");
        std::fs::write(&f, "old").expect("write");
        std::fs::set_permissions(&f, std::fs::Permissions::from_mode(0o600)).expect("chmod");
        write(&f, b"new", false).expect("write");
        assert_eq!(std::fs::metadata(&f).expect("meta").permissions().mode() & 0o777, 0o600);
        assert_eq!(std::fs::read_dir(dir.path()).expect("dir").count(), 1);
    }

    #[cfg(unix)]
    #[test]
    fn a_link_to_a_device_is_written_through_and_stays_a_link() {
        let dir = tempfile::tempdir().expect("tmp");
        let link = dir.path().join("out.md");
        std::os::unix::fs::symlink("/dev/null", &link).expect("symlink");
        write(&link, b"to the device", false).expect("write");
        assert!(std::fs::symlink_metadata(&link).expect("meta").file_type().is_symlink());
    }

    #[cfg(unix)]
    #[test]
    fn a_link_planted_where_a_temporary_file_used_to_go_changes_nothing() {
        let dir = tempfile::tempdir().expect("tmp");
        let victim = dir.path().join("victim.txt");
        std::fs::write(&victim, "precious").expect("write");
        std::os::unix::fs::symlink(&victim, dir.path().join(".out.md.tmp")).expect("symlink");
        write(&dir.path().join("out.md"), b"export", false).expect("write");
        assert_eq!(std::fs::read_to_string(&victim).expect("read"), "precious");
        assert_eq!(std::fs::read_to_string(dir.path().join("out.md")).expect("read"), "export");
    }

    #[test]
    fn concurrent_writers_to_one_file_all_succeed() {
        let dir = tempfile::tempdir().expect("tmp");
        let f = dir.path().join("same.md");
        std::thread::scope(|s| {
            let handles: Vec<_> = (0..30)
                .map(|i| {
                    s.spawn({
                        let f = f.clone();
                        move || write(&f, format!("writer {i}").as_bytes(), false)
                    })
                })
                .collect();
            for h in handles {
                assert!(h.join().expect("thread").is_ok());
            }
        });
        assert!(std::fs::read_to_string(&f).expect("read").starts_with("writer "));
        assert_eq!(std::fs::read_dir(dir.path()).expect("dir").count(), 1, "no temporary file left");
    }

    #[test]
    fn an_interrupt_removes_the_temporary_files_in_flight() {
        let dir = tempfile::tempdir().expect("tmp");
        let tmp = dir.path().join(".x.md.123.tmp");
        std::fs::write(&tmp, "partial").expect("write");
        let guard = InFlight::new(&tmp);
        // Only this test's: the other tests' writes run in this process too.
        remove_in_flight_where(|p| p.starts_with(dir.path()));
        assert!(!tmp.exists());
        drop(guard);
    }
}
