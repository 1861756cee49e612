//! What the files the program keeps for itself (the analysis cache, the
//! compiled gazetteer) share: the build that wrote them, and a BLAKE3
//! checksum of every byte written.

/// The program's build: version, and size and modification time of the executable.
pub fn build_identity() -> Option<String> {
    let exe = std::env::current_exe().ok()?;
    let meta = std::fs::metadata(exe).ok()?;
    let modified = meta.modified().ok()?.duration_since(std::time::UNIX_EPOCH).ok()?;
    Some(format!("{} {} {}", env!("CARGO_PKG_VERSION"), meta.len(), modified.as_nanos()))
}

/// A writer that hashes what passes through it.
pub struct HashingWriter<'a> {
    /// Where the bytes go.
    pub inner: &'a mut dyn std::io::Write,
    /// Every byte written so far.
    pub hasher: blake3::Hasher,
}

impl std::io::Write for HashingWriter<'_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.hasher.update(&buf[..n]);
        Ok(n)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}
