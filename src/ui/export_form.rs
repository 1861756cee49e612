//! The in-window export and open forms' file work: the default folder,
//! and saving an export where the form says (the checks are
//! [`crate::export::export_target`]'s).

use super::i18n::{Lang, tr};
use super::notes_state::ExportForm;
use std::path::PathBuf;

/// The user's documents folder, else the home folder, else the current one.
pub fn documents_dir() -> PathBuf {
    directories::UserDirs::new()
        .and_then(|u| u.document_dir().map(|d| d.to_path_buf()).or_else(|| Some(u.home_dir().to_path_buf())))
        .unwrap_or_else(|| PathBuf::from("."))
}

/// Writes `text` where `form` says; the file written, or why not (in `lang`).
pub fn save(form: &ExportForm, text: &str, lang: Lang) -> Result<PathBuf, String> {
    let base = documents_dir();
    let name = form.file_name();
    let path = crate::export::export_target(&form.path, &base, &name, form.replace).map_err(|e| match e {
        crate::export::TargetError::Exists(p) => tr(lang, "file_exists").replace("{}", &p),
        other => other.to_string(),
    })?;
    crate::export::write_file(&path, text, false).map_err(|e| e.to_string())?;
    Ok(path)
}
