//! Walking the paths a user gives: files as they are, folders recursively
//! (`.txt`, `.md`), symlinks followed but never into a loop.

use super::LoadError;
use std::path::{Path, PathBuf};

/// A file to load.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FoundFile {
    /// Where it is.
    pub path: PathBuf,
    /// Path relative to the root it was found under (`/` separators); the
    /// file name for a file given directly.
    pub relative: String,
}

/// Extensions loaded from folders (files given directly load whatever their name).
const EXTENSIONS: &[&str] = &["txt", "md", "markdown"];

/// Finds the files below `paths`, sorted by relative path within each root;
/// unreadable folders, missing paths and symlink loops are reported.
pub fn find_files(paths: &[PathBuf]) -> (Vec<FoundFile>, Vec<LoadError>) {
    let mut files = Vec::new();
    let mut errors = Vec::new();
    for root in paths {
        let meta = match std::fs::metadata(root) {
            Ok(meta) => meta,
            Err(e) => {
                errors.push(LoadError { source: root.display().to_string(), message: format!("cannot open path: {e}") });
                continue;
            }
        };
        if meta.is_file() {
            let name = root.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| root.display().to_string());
            files.push(FoundFile { path: root.clone(), relative: name });
            continue;
        }
        let mut found = Vec::new();
        for entry in walkdir::WalkDir::new(root).follow_links(true).sort_by_file_name() {
            match entry {
                Ok(entry) if entry.file_type().is_file() && has_text_extension(entry.path()) => {
                    let relative = relative_name(root, entry.path());
                    found.push(FoundFile { path: entry.into_path(), relative });
                }
                Ok(_) => {}
                Err(e) => {
                    let source = e.path().map(|p| relative_name(root, p)).unwrap_or_else(|| root.display().to_string());
                    let message = if e.loop_ancestor().is_some() {
                        "symbolic link loop; not followed".to_owned()
                    } else {
                        format!("cannot read: {}", e.io_error().map(ToString::to_string).unwrap_or_else(|| e.to_string()))
                    };
                    errors.push(LoadError { source, message });
                }
            }
        }
        files.extend(found);
    }
    (files, errors)
}

fn has_text_extension(path: &Path) -> bool {
    path.extension().and_then(|e| e.to_str()).is_some_and(|e| EXTENSIONS.iter().any(|x| x.eq_ignore_ascii_case(e)))
}

fn relative_name(root: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(root).unwrap_or(path);
    let parts: Vec<String> = rel.components().map(|c| c.as_os_str().to_string_lossy().into_owned()).collect();
    if parts.is_empty() { path.display().to_string() } else { parts.join("/") }
}
