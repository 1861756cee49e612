//! Documents set aside between the passes. Pass 1's results are held in
//! memory up to a budget; beyond it they are written to an unnamed
//! temporary file (gone when the run ends, even on a crash) and read back
//! one by one in pass 2, so a 1 GB corpus is analysed in bounded memory
//! while a 100 MB one never touches the disk.

use super::first_pass::First;
use crate::model::LoadError;
use std::io::{Read as _, Seek as _, SeekFrom, Write as _};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

/// Bytes of pass 1's results held in memory before the rest is set aside.
pub(super) const MEMORY_BUDGET_BYTES: usize = 400 << 20;

/// Estimated bytes a document's pass 1 result holds per byte of its text
/// (the text, each paragraph's source map and findings).
const BYTES_PER_TEXT_BYTE: usize = 4;

/// Where pass 1's results wait for pass 2.
pub(super) struct Spill {
    held: AtomicUsize,
    budget: usize,
    /// The temporary file, created at the first document set aside.
    file: Mutex<Option<std::fs::File>>,
    /// Where it is made.
    dir: std::path::PathBuf,
}

/// One document's pass 1 result, in memory or set aside.
pub(super) enum Held {
    /// In memory.
    Memory(Box<First>),
    /// In the spill file at this offset, this many bytes.
    Aside { offset: u64, len: usize },
}

impl Spill {
    /// A spill that holds `budget` bytes in memory and makes its file (if
    /// one is needed) in `dir`.
    pub(super) fn in_dir(dir: std::path::PathBuf, budget: usize) -> Self {
        Self { held: AtomicUsize::new(0), budget, file: Mutex::new(None), dir }
    }

    /// Keeps `first` in memory while the budget lasts, else sets it aside;
    /// kept in memory too if the disk refuses it.
    pub(super) fn hold(&self, first: First) -> Held {
        let size = BYTES_PER_TEXT_BYTE * first.paragraphs.iter().map(|p| p.text.len()).sum::<usize>();
        if self.held.fetch_add(size, Ordering::Relaxed) + size <= self.budget {
            return Held::Memory(Box::new(first));
        }
        self.held.fetch_sub(size, Ordering::Relaxed);
        match self.set_aside(&first) {
            Ok(held) => held,
            Err(e) => {
                eprintln!("sco-reader: cannot set a document aside on disk ({e}); keeping it in memory");
                Held::Memory(Box::new(first))
            }
        }
    }

    fn set_aside(&self, first: &First) -> std::io::Result<Held> {
        let bytes = first.stored().map_err(std::io::Error::other)?;
        let mut file = self.file.lock().map_err(|_| std::io::Error::other("spill lock poisoned"))?;
        if file.is_none() {
            std::fs::create_dir_all(&self.dir)?;
            *file = Some(tempfile::tempfile_in(&self.dir)?);
        }
        let Some(file) = file.as_mut() else { return Err(std::io::Error::other("no spill file")) };
        let offset = file.seek(SeekFrom::End(0))?;
        file.write_all(&bytes)?;
        Ok(Held::Aside { offset, len: bytes.len() })
    }

    /// The document back.
    pub(super) fn take(&self, held: Held, source: &str) -> Result<First, LoadError> {
        let (offset, len) = match held {
            Held::Memory(first) => return Ok(*first),
            Held::Aside { offset, len } => (offset, len),
        };
        let failed =
            |e: String| LoadError { source: source.to_owned(), message: format!("cannot read back what was set aside: {e}") };
        let mut bytes = vec![0; len];
        {
            let mut file = self.file.lock().map_err(|_| failed("lock poisoned".to_owned()))?;
            let file = file.as_mut().ok_or_else(|| failed("no spill file".to_owned()))?;
            file.seek(SeekFrom::Start(offset)).map_err(|e| failed(e.to_string()))?;
            file.read_exact(&mut bytes).map_err(|e| failed(e.to_string()))?;
        }
        let stored = postcard::from_bytes(&bytes).map_err(|e| failed(e.to_string()))?;
        Ok(First::restored(stored))
    }
}
