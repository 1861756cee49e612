//! Installing into a freedesktop desktop: the `.desktop` entry, the icon in
//! the hicolor sizes, "Open with" for the formats the reader reads, and the
//! `sco-reader://` scheme handler. `uninstall` removes exactly what
//! `install` wrote: the same fixed list of files, and its own line of
//! `mimeapps.list` (the file itself only when nothing else is left in it).
//!
//! Everything goes under one prefix (by default the user's data directory,
//! `~/.local/share`): `applications/sco-reader.desktop`,
//! `applications/mimeapps.list`, `icons/hicolor/*/apps/sco-reader.*`.

use std::path::{Path, PathBuf};

/// The desktop entry as packaged (`Exec=sco-reader open %U`); `install`
/// writes it with the absolute path of the running program.
pub const DESKTOP_ENTRY: &str = include_str!("../assets/desktop/sco-reader.desktop");
/// File name of the entry (also the application's id).
pub const DESKTOP_FILE: &str = "sco-reader.desktop";
/// The scheme of the back-links every export writes.
pub const SCHEME_MIME: &str = "x-scheme-handler/sco-reader";

/// The icon, drawn as SVG, and rendered at each hicolor size.
pub const ICON_SVG: &[u8] = include_bytes!("../assets/icons/sco-reader.svg");
/// `(size in px, PNG)` for each hicolor size.
pub const ICON_PNGS: &[(u32, &[u8])] = &[
    (16, include_bytes!("../assets/icons/sco-reader-16.png")),
    (24, include_bytes!("../assets/icons/sco-reader-24.png")),
    (32, include_bytes!("../assets/icons/sco-reader-32.png")),
    (48, include_bytes!("../assets/icons/sco-reader-48.png")),
    (64, include_bytes!("../assets/icons/sco-reader-64.png")),
    (128, include_bytes!("../assets/icons/sco-reader-128.png")),
    (256, include_bytes!("../assets/icons/sco-reader-256.png")),
];

const MIMEAPPS: &str = "mimeapps.list";
const DEFAULTS_GROUP: &str = "[Default Applications]";

/// Something could not be installed or removed.
#[derive(Debug, thiserror::Error)]
pub enum DesktopError {
    /// No prefix given and no user data directory known.
    #[error("no data directory is known for this user; give --prefix")]
    NoPrefix,
    /// The program's own path is unknown (it goes into `Exec=`).
    #[error("cannot find the path of this program: {0}")]
    NoExecutable(std::io::Error),
    /// A file could not be written or removed.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// A file could not be written safely.
    #[error(transparent)]
    Write(#[from] crate::safe_write::WriteError),
}

/// The user's data directory (`$XDG_DATA_HOME`, else `~/.local/share`).
pub fn default_prefix() -> Result<PathBuf, DesktopError> {
    directories::BaseDirs::new().map(|d| d.data_dir().to_path_buf()).ok_or(DesktopError::NoPrefix)
}

/// Every file `install` writes under `prefix`, but `mimeapps.list` (which
/// it only adds a line to).
pub fn installed_files(prefix: &Path) -> Vec<PathBuf> {
    let mut files = vec![prefix.join("applications").join(DESKTOP_FILE)];
    let hicolor = prefix.join("icons").join("hicolor");
    files.extend(ICON_PNGS.iter().map(|(size, _)| hicolor.join(format!("{size}x{size}")).join("apps").join("sco-reader.png")));
    files.push(hicolor.join("scalable").join("apps").join("sco-reader.svg"));
    files
}

/// The desktop entry with `Exec=` naming `program`.
pub fn desktop_entry_for(program: &Path) -> String {
    let exec = exec_quote(&program.to_string_lossy());
    DESKTOP_ENTRY
        .lines()
        .map(|line| if line.starts_with("Exec=") { format!("Exec={exec} open %U") } else { line.to_owned() })
        .collect::<Vec<_>>()
        .join("\n")
        + "\n"
}

/// Quotes a program path for `Exec=` as the Desktop Entry Specification
/// asks: in double quotes when it holds a reserved character, with `"`,
/// `` ` ``, `$` and `\` escaped; `%` doubled in any case.
fn exec_quote(program: &str) -> String {
    let reserved = |c: char| " \t\n\"'\\><~|&;$*?#()`".contains(c);
    let percent = program.replace('%', "%%");
    if !percent.chars().any(reserved) {
        return percent;
    }
    let mut out = String::from("\"");
    for c in percent.chars() {
        if matches!(c, '"' | '`' | '$' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('"');
    // The entry's value is itself unescaped once: a backslash is written twice.
    out.replace('\\', "\\\\")
}

/// Writes the entry, the icons and the scheme's default under `prefix`;
/// returns the files written. Then asks `update-desktop-database` and
/// `gtk-update-icon-cache`, when present, to refresh their caches.
pub fn install(prefix: &Path) -> Result<Vec<PathBuf>, DesktopError> {
    let program = std::env::current_exe().map_err(DesktopError::NoExecutable)?;
    let files = installed_files(prefix);
    let mut contents: Vec<Vec<u8>> = vec![desktop_entry_for(&program).into_bytes()];
    contents.extend(ICON_PNGS.iter().map(|(_, png)| png.to_vec()));
    contents.push(ICON_SVG.to_vec());
    for (path, bytes) in files.iter().zip(&contents) {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(|source| DesktopError::Io { path: dir.to_path_buf(), source })?;
        }
        crate::safe_write::write(path, bytes, false)?;
    }
    let mimeapps = prefix.join("applications").join(MIMEAPPS);
    let old = read_if_any(&mimeapps)?;
    let new = with_default(old.as_deref().unwrap_or(""), SCHEME_MIME, DESKTOP_FILE);
    crate::safe_write::write(&mimeapps, new.as_bytes(), false)?;
    refresh_caches(prefix);
    let mut written = files;
    written.push(mimeapps);
    Ok(written)
}

/// Removes what [`install`] wrote under `prefix`; returns the files removed
/// (or changed, for `mimeapps.list`). Files that are not there are skipped.
pub fn uninstall(prefix: &Path) -> Result<Vec<PathBuf>, DesktopError> {
    let mut removed = Vec::new();
    for path in installed_files(prefix) {
        match std::fs::remove_file(&path) {
            Ok(()) => removed.push(path),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(source) => return Err(DesktopError::Io { path, source }),
        }
    }
    let mimeapps = prefix.join("applications").join(MIMEAPPS);
    if let Some(old) = read_if_any(&mimeapps)? {
        let new = without_default(&old, SCHEME_MIME, DESKTOP_FILE);
        if new != old {
            if new.lines().all(|l| l.trim().is_empty() || l.trim() == DEFAULTS_GROUP) {
                std::fs::remove_file(&mimeapps).map_err(|source| DesktopError::Io { path: mimeapps.clone(), source })?;
            } else {
                crate::safe_write::write(&mimeapps, new.as_bytes(), false)?;
            }
            removed.push(mimeapps);
        }
    }
    refresh_caches(prefix);
    Ok(removed)
}

fn read_if_any(path: &Path) -> Result<Option<String>, DesktopError> {
    match crate::regular_file::open(path).and_then(std::io::read_to_string) {
        Ok(text) => Ok(Some(text)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(source) => Err(DesktopError::Io { path: path.to_path_buf(), source }),
    }
}

/// `mimeapps` with `mime=app` as the first line of `[Default Applications]`
/// (an older line for `mime` replaced, every other line kept).
fn with_default(mimeapps: &str, mime: &str, app: &str) -> String {
    let ours = format!("{mime}={app}");
    let mut out = Vec::new();
    let mut placed = false;
    let mut in_defaults = false;
    for line in mimeapps.lines() {
        if line.starts_with('[') {
            in_defaults = line.trim() == DEFAULTS_GROUP;
            out.push(line.to_owned());
            if in_defaults && !placed {
                out.push(ours.clone());
                placed = true;
            }
            continue;
        }
        if in_defaults && line.split_once('=').is_some_and(|(k, _)| k.trim() == mime) {
            continue;
        }
        out.push(line.to_owned());
    }
    if !placed {
        if out.last().is_some_and(|l| !l.trim().is_empty()) {
            out.push(String::new());
        }
        out.push(DEFAULTS_GROUP.to_owned());
        out.push(ours);
    }
    out.join("\n") + "\n"
}

/// `mimeapps` without the line `mime=app` (and an emptied group of ours).
fn without_default(mimeapps: &str, mime: &str, app: &str) -> String {
    let ours = format!("{mime}={app}");
    let kept: Vec<&str> = mimeapps.lines().filter(|l| l.trim() != ours).collect();
    if kept.len() == mimeapps.lines().count() {
        return mimeapps.to_owned();
    }
    kept.join("\n") + "\n"
}

/// Refreshes the desktop's caches, if their tools are installed (a missing
/// tool or a failure is not an error: the files are what matters).
fn refresh_caches(prefix: &Path) {
    let run = |program: &str, args: &[&std::ffi::OsStr]| {
        let _ = std::process::Command::new(program)
            .args(args)
            .stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .status();
    };
    let applications = prefix.join("applications");
    if applications.is_dir() {
        run("update-desktop-database", &["-q".as_ref(), applications.as_os_str()]);
    }
    let hicolor = prefix.join("icons").join("hicolor");
    if hicolor.is_dir() {
        run("gtk-update-icon-cache", &["-q".as_ref(), "-t".as_ref(), hicolor.as_os_str()]);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exec_paths_are_quoted_as_the_spec_asks() {
        assert_eq!(exec_quote("/usr/bin/sco-reader"), "/usr/bin/sco-reader");
        assert_eq!(exec_quote("/opt/my apps/sco-reader"), "\"/opt/my apps/sco-reader\"");
        assert_eq!(exec_quote("/opt/100%/sco"), "/opt/100%%/sco");
        assert_eq!(exec_quote("/a b/$x"), "\"/a b/\\\\$x\"");
    }

    #[test]
    fn the_default_line_is_added_and_removed_leaving_the_rest() {
        let theirs = "[Default Applications]\ntext/html=firefox.desktop\n\n[Added Associations]\ntext/plain=gedit.desktop\n";
        let ours = with_default(theirs, SCHEME_MIME, DESKTOP_FILE);
        assert!(ours.contains("x-scheme-handler/sco-reader=sco-reader.desktop"), "{ours}");
        assert!(ours.contains("text/html=firefox.desktop") && ours.contains("text/plain=gedit.desktop"), "{ours}");
        // Twice is once.
        assert_eq!(with_default(&ours, SCHEME_MIME, DESKTOP_FILE), ours);
        assert_eq!(without_default(&ours, SCHEME_MIME, DESKTOP_FILE), theirs);
        let fresh = with_default("", SCHEME_MIME, DESKTOP_FILE);
        assert_eq!(fresh, "[Default Applications]\nx-scheme-handler/sco-reader=sco-reader.desktop\n");
    }

    #[test]
    fn the_entry_names_the_program_and_opens_files_and_links() {
        let entry = desktop_entry_for(Path::new("/home/u/.cargo/bin/sco-reader"));
        assert!(entry.contains("\nExec=/home/u/.cargo/bin/sco-reader open %U\n"), "{entry}");
        assert!(entry.contains("x-scheme-handler/sco-reader;"), "{entry}");
        assert!(entry.contains("application/pdf;"), "{entry}");
    }
}
