//! Opening files to read, never anything else: a FIFO, a device or a
//! socket (or a link to one) would block a read forever or never end, so
//! the type is checked first and the file opened non-blocking, then
//! checked again on the open handle.

use std::fs::File;
use std::path::Path;

/// What a path is, when it is not a regular file: `FIFO`, `device`,
/// `socket`, `folder`.
pub fn kind_of(meta: &std::fs::Metadata) -> &'static str {
    let t = meta.file_type();
    if t.is_dir() {
        return "folder";
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt as _;
        if t.is_fifo() {
            return "FIFO";
        }
        if t.is_char_device() || t.is_block_device() {
            return "device";
        }
        if t.is_socket() {
            return "socket";
        }
    }
    "special file"
}

/// Opens `path` for reading if it is a regular file (following links);
/// otherwise says what it is.
pub fn open(path: &Path) -> std::io::Result<File> {
    let not_regular =
        |meta: &std::fs::Metadata| std::io::Error::other(format!("not a regular file (a {}); not read", kind_of(meta)));
    let meta = std::fs::metadata(path)?;
    if !meta.is_file() {
        return Err(not_regular(&meta));
    }
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt as _;
        // Were it swapped for a FIFO since the check, the open does not wait.
        options.custom_flags(libc::O_NONBLOCK);
    }
    let file = options.open(path)?;
    let meta = file.metadata()?;
    if !meta.is_file() {
        return Err(not_regular(&meta));
    }
    Ok(file)
}

#[cfg(all(test, unix))]
mod tests {
    #[test]
    fn a_fifo_is_refused_at_once_by_name() {
        let dir = tempfile::tempdir().expect("tmp");
        let fifo = dir.path().join("pipe.txt");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status();
        if !made.is_ok_and(|s| s.success()) {
            return; // no mkfifo here
        }
        let err = super::open(&fifo).expect_err("refused");
        assert!(err.to_string().contains("FIFO"), "{err}");
        let dev = super::open(std::path::Path::new("/dev/zero")).expect_err("refused");
        assert!(dev.to_string().contains("device"), "{dev}");
    }
}
