//! The views computed beside the window ([`crate::ui::jobs`]): each one
//! asked for, its answer taken when it comes, and asked again when what is
//! on screen changed meanwhile.

use super::{ReaderApp, SearchKey};
use crate::ui::i18n::tr;
use crate::ui::jobs::{Job, finished};
use crate::ui::state::{Card, SHOWN_HITS};

impl ReaderApp {
    /// True while a view is being computed off the window's thread (the
    /// corpus search, what is new, trends, the office table).
    pub fn views_computing(&self) -> bool {
        self.novelty_job.is_some() || self.trends_job.is_some() || self.offices_job.is_some() || self.search_job.is_some()
    }

    /// Gathers the office table.
    pub(super) fn gather_offices(&mut self, ctx: &egui::Context) {
        let Some(corpus) = self.corpus.clone() else { return };
        self.offices_job = Some(Job::start(ctx, &corpus, (), |corpus| {
            use rayon::prelude::*;
            let facts: Vec<_> = corpus.analysis.documents.par_iter().map(crate::compare::offices::facts_of).collect();
            crate::compare::offices::people(&facts)
        }));
        self.state.offices_computing = true;
    }

    /// Counts the terms typed in the trends window over time, unless a
    /// count is running already (its answer then asks again).
    pub(super) fn count_trends(&mut self, ctx: &egui::Context) {
        let (Some(corpus), Some(trends)) = (self.corpus.clone(), self.state.trends.as_ref()) else { return };
        if self.trends_job.is_some() {
            return;
        }
        let typed = trends.typed.clone();
        let terms: Vec<String> =
            typed.split([' ', ',', '，', '、', ';', '；']).map(str::trim).filter(|t| !t.is_empty()).map(str::to_owned).collect();
        self.trends_job = Some(Job::start(ctx, &corpus, typed, move |corpus| {
            use rayon::prelude::*;
            terms.par_iter().map(|t| crate::compare::trends::series(&corpus.analysis, t, false)).collect()
        }));
    }

    /// What the corpus search is asked for now.
    pub(super) fn search_key(&self) -> SearchKey {
        let card = if self.state.corpus_search.restrict { self.state.view.card.clone() } else { None };
        (self.state.corpus_search.query.clone(), self.state.corpus_search.expand_sco, card)
    }

    /// Starts the corpus search for what is typed, unless its results are
    /// shown or one is running (its answer asks again): as the user types,
    /// at most one search runs, and a common first char at 1 GB (millions
    /// of hits) never takes the window away.
    pub(super) fn refresh_corpus_search(&mut self, ctx: &egui::Context) {
        let Some(corpus) = self.corpus.clone() else { return };
        let key = self.search_key();
        self.state.corpus_search.searching = self.state.corpus_search.computed_for.as_ref() != Some(&key);
        if !self.state.corpus_search.searching || self.search_job.is_some() {
            return;
        }
        let mut options = crate::search::SearchOptions { expand_sco: key.1, max_hits: SHOWN_HITS, ..Default::default() };
        match key.2.clone() {
            Some(Card::Agreement(id)) => options.agreement = Some(id),
            Some(Card::Entity(kind, name)) => options.entity = Some((kind, name)),
            None => {}
        }
        let query = key.0.clone();
        self.search_job =
            Some(Job::start(ctx, &corpus, key, move |corpus| corpus.search.search(&corpus.analysis, &query, &options).ok()));
    }

    /// Says that a view could not be computed.
    fn view_failed(&mut self) {
        self.state.status = Some(tr(self.state.saved.lang, "view_failed").to_owned());
    }

    /// Takes the answers of the views being computed, and asks for what the
    /// view now shows: the open document's novelty when the tint is on.
    pub(super) fn poll_views(&mut self, ctx: &egui::Context) {
        let generation = self.corpus.as_ref().map(|c| c.generation);
        if let Some(done) = finished(&mut self.offices_job, generation) {
            self.state.offices_computing = false;
            match done.answer {
                Some(people) if done.current => self.state.offices = Some(people),
                Some(_) => {}
                None => self.view_failed(),
            }
        }
        if let Some(done) = finished(&mut self.trends_job, generation) {
            match (done.answer, self.state.trends.as_mut()) {
                (_, None) => {}
                (Some(series), Some(trends)) if done.current && trends.typed == done.key => {
                    trends.series = series;
                    trends.computing = false;
                }
                // Other terms typed meanwhile (or another corpus): count those.
                (Some(_), Some(_)) => self.count_trends(ctx),
                (None, Some(trends)) => {
                    trends.computing = false;
                    self.view_failed();
                }
            }
        }
        if let Some(done) = finished(&mut self.search_job, generation) {
            let asked = self.search_key();
            let search = &mut self.state.corpus_search;
            match done.answer {
                // For what is asked now (else the next search starts below).
                Some(results) if done.current && done.key == asked => {
                    search.results = results;
                    search.selected = 0;
                    search.computed_for = Some(done.key);
                    search.searching = false;
                }
                Some(_) => {}
                None => {
                    // Not asked again until the query changes.
                    search.results = None;
                    search.computed_for = Some(done.key);
                    search.searching = false;
                    self.view_failed();
                }
            }
            self.refresh_corpus_search(ctx);
        }
        if let Some(done) = finished(&mut self.novelty_job, generation) {
            self.state.view.novelty_computing = None;
            match done.answer {
                Some(novelty) if done.current => self.state.view.novelty = Some((done.key, novelty)),
                Some(_) => {}
                None => {
                    self.state.view.show_novelty = false;
                    self.view_failed();
                }
            }
        }
        // What is new in the open document, computed when first asked for.
        if self.state.view.show_novelty
            && self.novelty_job.is_none()
            && let (Some(doc), Some(corpus)) = (self.state.view.doc, self.corpus.clone())
            && self.state.view.novelty.as_ref().is_none_or(|(d, _)| *d != doc)
        {
            self.novelty_job =
                Some(Job::start(ctx, &corpus, doc, move |corpus| crate::compare::novelty::novelty(&corpus.analysis, doc)));
            self.state.view.novelty_computing = Some(doc);
        }
        if self.views_computing() {
            // The job wakes the window when done; this keeps a spinner turning.
            ctx.request_repaint_after(std::time::Duration::from_millis(100));
        }
    }
}
