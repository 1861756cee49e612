//! Watching the open corpus's files and folders (the `notify` crate): a
//! document saved, added or removed while the window is open is picked up
//! without a restart. Changes are gathered until the folder has been quiet
//! for [`QUIET`], then the app loads the corpus again (a changed corpus is
//! analysed; the view and the notes stay).

use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// How long the folder must be quiet before the corpus is loaded again (an
/// editor's save is several events: a temporary file, a rename, a write).
pub const QUIET: Duration = Duration::from_millis(700);

/// A watch on the corpus's paths.
pub struct CorpusWatcher {
    /// Kept alive: dropping it stops the watch.
    _watcher: notify::RecommendedWatcher,
    rx: mpsc::Receiver<PathBuf>,
    /// When the last relevant change was seen, if one is pending.
    pending: Option<Instant>,
}

/// True for a path whose change can change the corpus: a document of a
/// format the reader opens, or a folder (a name without an extension).
fn relevant(path: &Path) -> bool {
    let hidden = path.file_name().is_some_and(|n| n.to_string_lossy().starts_with('.'));
    if hidden {
        return false;
    }
    match path.extension().map(|e| e.to_string_lossy().to_lowercase()) {
        Some(ext) => crate::corpus::formats::extensions().contains(&ext.as_str()),
        None => true,
    }
}

impl CorpusWatcher {
    /// Watches `paths` (folders recursively); `wake` is called on a change
    /// (the window repaints to look). `None` when nothing can be watched.
    pub fn start(paths: &[PathBuf], wake: impl Fn() + Send + 'static) -> Option<Self> {
        let (tx, rx) = mpsc::channel();
        let mut watcher = notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
            let Ok(event) = event else { return };
            if matches!(event.kind, notify::EventKind::Access(_)) {
                return;
            }
            let mut any = false;
            for path in event.paths.into_iter().filter(|p| relevant(p)) {
                any |= tx.send(path).is_ok();
            }
            if any {
                wake();
            }
        })
        .ok()?;
        let mut watching = false;
        for path in paths {
            use notify::Watcher as _;
            watching |= watcher.watch(path, notify::RecursiveMode::Recursive).is_ok();
        }
        watching.then_some(Self { _watcher: watcher, rx, pending: None })
    }

    /// True once changes came and the folder has been quiet for [`QUIET`]
    /// (then the pending changes are taken); how long to wait otherwise.
    pub fn poll(&mut self, now: Instant) -> Result<bool, Duration> {
        while self.rx.try_recv().is_ok() {
            self.pending = Some(now);
        }
        match self.pending {
            None => Ok(false),
            Some(since) if now.duration_since(since) >= QUIET => {
                self.pending = None;
                Ok(true)
            }
            Some(since) => Err(QUIET.saturating_sub(now.duration_since(since))),
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "tests")]

    use super::*;

    #[test]
    fn a_saved_document_is_seen_once_the_folder_is_quiet() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a.txt"), "甲").unwrap();
        let mut w = CorpusWatcher::start(&[dir.path().to_path_buf()], || {}).expect("watch");
        assert_eq!(w.poll(Instant::now()), Ok(false));
        std::fs::write(dir.path().join("a.txt"), "乙").unwrap();
        std::fs::write(dir.path().join(".a.txt.swp"), "editor's").unwrap();
        let start = Instant::now();
        let mut seen = false;
        while start.elapsed() < Duration::from_secs(10) {
            if w.poll(Instant::now()) == Ok(true) {
                seen = true;
                break;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        assert!(seen, "the change was not seen");
        assert!(start.elapsed() >= QUIET, "not before the folder is quiet");
        // Nothing more pending; a file of no reader format changes nothing.
        std::fs::write(dir.path().join("notes.bak"), "x").unwrap();
        std::thread::sleep(Duration::from_millis(300));
        assert_eq!(w.poll(Instant::now() + QUIET * 2), Ok(false));
    }
}
