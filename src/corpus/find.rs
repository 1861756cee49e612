//! Walking the paths a user gives: files as they are, folders recursively
//! (the extensions [`super::formats`] reads, and files without an extension
//! whose first bytes say PDF, Word or HTML, but not what a folder says about
//! itself: its README, its licence), symlinks followed but never into a
//! loop.

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
        if !meta.is_file() && !meta.is_dir() {
            let what = crate::regular_file::kind_of(&meta);
            errors.push(LoadError {
                source: root.display().to_string(),
                message: format!("not a file or folder (a {what}); not read"),
            });
            continue;
        }
        if meta.is_file() {
            let name = root.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| root.display().to_string());
            files.push(FoundFile { path: root.clone(), relative: name });
            continue;
        }
        let mut found = Vec::new();
        for entry in walkdir::WalkDir::new(root).follow_links(true).sort_by_file_name() {
            match entry {
                Ok(entry)
                    if entry.file_type().is_file() && has_text_extension(entry.path()) && !describes_the_folder(entry.path()) =>
                {
                    let relative = relative_name(root, entry.path());
                    found.push(FoundFile { path: entry.into_path(), relative });
                }
                Ok(entry) if !entry.file_type().is_file() && !entry.file_type().is_dir() => {
                    // A FIFO, device or socket (or a link to one): said, never opened.
                    let what = std::fs::metadata(entry.path()).map_or("special file", |m| crate::regular_file::kind_of(&m));
                    errors.push(LoadError {
                        source: relative_name(root, entry.path()),
                        message: format!("not a regular file (a {what}); not read"),
                    });
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

/// Whether a folder walk loads this file: a known extension, or none and
/// a known format's first bytes (files given directly load whatever their name).
fn has_text_extension(path: &Path) -> bool {
    match path.extension() {
        Some(ext) => super::formats::is_loadable_name(&format!("x.{}", ext.to_string_lossy())),
        None => sniffs_as_document(path),
    }
}

/// True for a file a folder holds about itself, not a document (`README.md`,
/// `LICENSE.txt`): its name without extension, in any case, is one of
/// `assets/folder/not_documents.txt`.
fn describes_the_folder(path: &Path) -> bool {
    static NAMES: std::sync::LazyLock<Vec<String>> = std::sync::LazyLock::new(|| {
        include_str!("../../assets/folder/not_documents.txt")
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .map(str::to_uppercase)
            .collect()
    });
    let stem = path.file_stem().map(|s| s.to_string_lossy().to_uppercase()).unwrap_or_default();
    NAMES.contains(&stem)
}

fn sniffs_as_document(path: &Path) -> bool {
    use std::io::Read as _;
    let mut head = Vec::with_capacity(1024);
    let read = crate::regular_file::open(path).and_then(|f| f.take(1024).read_to_end(&mut head));
    read.is_ok() && super::formats::format_by_content(&head).is_some_and(|f| f != super::formats::SourceFormat::LegacyWord)
}

fn relative_name(root: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(root).unwrap_or(path);
    let parts: Vec<String> = rel.components().map(|c| c.as_os_str().to_string_lossy().into_owned()).collect();
    if parts.is_empty() { path.display().to_string() } else { parts.join("/") }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_folder_walk_skips_what_the_folder_says_about_itself() {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::create_dir(dir.path().join("2019")).expect("sub folder");
        for name in [
            "README.md",
            "readme.txt",
            "LICENSE",
            "License.md",
            "2019/README.md",
            "a.txt",
            "2019/会议公报.txt",
            "readme-notes.txt",
        ] {
            std::fs::write(dir.path().join(name), "上海合作组织成员国元首理事会会议。\n").expect("write");
        }
        let (found, errors) = find_files(&[dir.path().to_path_buf()]);
        assert!(errors.is_empty(), "{errors:?}");
        let names: Vec<&str> = found.iter().map(|f| f.relative.as_str()).collect();
        assert_eq!(names, ["2019/会议公报.txt", "a.txt", "readme-notes.txt"]);
        // Named by the user, it is read.
        let (found, _) = find_files(&[dir.path().join("README.md")]);
        assert_eq!(found.len(), 1);
    }
}
