//! The correction commands: each one checked against the analysis on
//! screen, stored in the notes store, and then applied by loading the
//! corpus again — from the analysis cache, so only the corrections and the
//! indexes are redone — with the view kept where it is.

use super::ReaderApp;
use crate::corrections::{self, Action, Correction, CorrectionError, stored};
use crate::knowledge::Knowledge;
use crate::model::EntityKind;
use crate::ui::command::Command;
use crate::ui::i18n::tr;

impl ReaderApp {
    /// Applies one correction command.
    pub(super) fn apply_correction(&mut self, ctx: &egui::Context, command: Command) {
        let Some(corpus) = self.corpus.clone() else { return };
        let analysis = &corpus.analysis;
        let doc_id = |d: crate::model::DocIx| analysis.doc(d).map(|d| d.id.clone()).unwrap_or_default();
        match command {
            Command::ShowCorrectionForm(form) => self.state.corrections.form = Some(form),
            Command::EditCorrectionForm(form) if self.state.corrections.form.is_some() => {
                self.state.corrections.form = Some(form);
            }
            Command::CloseCorrectionForm => self.state.corrections.form = None,
            Command::SaveCorrectionForm => {
                let Some(mut form) = self.state.corrections.form.take() else { return };
                let action = Action::Mark { kind: form.kind, canonical: form.canonical.clone() };
                let prepared =
                    corrections::prepare_span(analysis, &doc_id(form.doc), form.paragraph, form.start, form.end, action);
                if let (true, Ok(c), Some(dir)) = (form.add_to_list && form.kind != EntityKind::Date, &prepared, &self.data_dir)
                    && let Action::Mark { kind, canonical } = &c.action
                {
                    match Knowledge::add_to_user_list(dir, canonical, kind.as_str(), &c.passage.quote) {
                        Ok(_) => self.state.status = Some(tr(self.state.saved.lang, "added_to_list").to_owned()),
                        Err(e) => {
                            form.error = Some(e);
                            self.state.corrections.form = Some(form);
                            return;
                        }
                    }
                }
                if let Err(e) = self.store_correction(ctx, prepared) {
                    form.error = Some(e);
                    self.state.corrections.form = Some(form);
                }
            }
            Command::RejectEntity { doc, paragraph, start, end } => {
                let prepared = corrections::prepare_span(analysis, &doc_id(doc), paragraph, start, end, Action::Reject);
                let stored = self.store_correction(ctx, prepared);
                self.report(stored);
            }
            Command::MergeAgreements { keep, merge } => {
                let prepared = corrections::prepare_merge(analysis, &keep, &merge);
                let stored = self.store_correction(ctx, prepared);
                self.report(stored);
            }
            Command::SplitAgreement(wording) => {
                let prepared = corrections::prepare_split(analysis, &wording);
                let stored = self.store_correction(ctx, prepared);
                self.report(stored);
            }
            Command::DeleteCorrection(id) => {
                let deleted = self.with_store(|store| stored::delete(store, id).map_err(|e| e.to_string()));
                if deleted.is_ok() {
                    self.state.corrections.undo = Some(id);
                    self.state.status = Some(tr(self.state.saved.lang, "correction_deleted").to_owned());
                    self.reload_for_corrections(ctx);
                }
                self.report(deleted.map(drop));
            }
            Command::UndoCorrection => {
                let Some(id) = self.state.corrections.undo.take() else { return };
                let restored = self.with_store(|store| stored::undelete(store, id).map_err(|e| e.to_string()));
                if restored.is_ok() {
                    self.reload_for_corrections(ctx);
                }
                self.report(restored.map(drop));
            }
            _ => {}
        }
    }

    fn report(&mut self, result: Result<(), String>) {
        if let Err(e) = result {
            self.state.status = Some(e);
        }
    }

    fn with_store<T>(&mut self, f: impl FnOnce(&mut crate::notes::store::NoteStore) -> Result<T, String>) -> Result<T, String> {
        match self.state.notes.store_mut() {
            Some(store) => f(store),
            None => Err(self.state.notes.unavailable.clone().unwrap_or_else(|| "the notes store is read-only".to_owned())),
        }
    }

    /// Stores a prepared correction and applies it.
    fn store_correction(&mut self, ctx: &egui::Context, prepared: Result<Correction, CorrectionError>) -> Result<(), String> {
        let correction = prepared.map_err(|e| e.to_string())?;
        self.with_store(|store| stored::add(store, &correction).map_err(|e| e.to_string()))?;
        self.state.status = Some(tr(self.state.saved.lang, "correction_saved").to_owned());
        self.state.notes.selection = None;
        self.reload_for_corrections(ctx);
        Ok(())
    }

    /// Loads the corpus on screen again (its analysis from the cache) to
    /// apply the corrections, keeping the document, the place in it and the
    /// card.
    fn reload_for_corrections(&mut self, ctx: &egui::Context) {
        let Some(corpus) = &self.corpus else { return };
        let source = corpus.source.clone();
        self.keep_view = true;
        self.start_loading(ctx, source);
    }
}
