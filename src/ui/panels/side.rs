//! The side panel: tabs for the document's citations, its entities and
//! notes; cards for one agreement or entity with every passage in the corpus.

use super::{Commands, ViewCtx};
use crate::index::{Passage, SNIPPET_RADIUS};
use crate::model::EntityKind;
use crate::ui::command::{Command, SideTab};
use crate::ui::i18n::{Lang, count, kind_name, tr};
use crate::ui::loader::LoadedCorpus;
use crate::ui::notes_state::NotesState;
use crate::ui::state::{Card, FocusTarget};
use crate::ui::theme::{entity_accent, entity_background};

/// Draws the side panel.
pub fn side_ui(ctx: &ViewCtx<'_>, ui: &mut egui::Ui, out: &mut Commands) {
    let state = ctx.state;
    let lang = state.saved.lang;
    ui.horizontal_wrapped(|ui| {
        for (tab, key) in [
            (SideTab::Citations, "citations"),
            (SideTab::Entities, "entities"),
            (SideTab::Search, "search"),
            (SideTab::Notes, "notes"),
            (SideTab::Corrections, "corrections"),
        ] {
            if ui.selectable_label(state.saved.tab == tab, egui::RichText::new(tr(lang, key)).size(14.0)).clicked() {
                out.push(Command::SetTab(tab));
            }
        }
    });
    ui.separator();
    let Some(corpus) = ctx.corpus else { return };
    if state.saved.tab == SideTab::Search {
        search_ui(ctx, ui, corpus, out);
        return;
    }
    if state.saved.tab == SideTab::Notes {
        notes_ui(ctx, ui, corpus, out);
        return;
    }
    if state.saved.tab == SideTab::Corrections {
        super::corrections::corrections_ui(ctx, ui, corpus, out);
        return;
    }
    let dark = ui.visuals().dark_mode;
    egui::ScrollArea::vertical().id_salt("side-scroll").auto_shrink([false, false]).show(ui, |ui| match state.saved.tab {
        SideTab::Citations => match &state.side.agreement_card {
            Some(card) => agreement_card_ui(ui, corpus, card, lang, dark, out),
            None => citations_list_ui(ctx, ui, lang, out),
        },
        SideTab::Entities => match &state.side.entity_card {
            Some(card) => entity_card_ui(ui, corpus, card, lang, dark, out),
            None => entities_list_ui(ctx, ui, corpus, lang, dark, out),
        },
        SideTab::Notes | SideTab::Search | SideTab::Corrections => {}
    });
}

fn signed_text(signed: Option<&crate::model::Signed>) -> String {
    let Some(s) = signed else { return String::new() };
    [s.date.as_deref(), s.place.as_deref()].into_iter().flatten().collect::<Vec<_>>().join(" · ")
}

fn citations_list_ui(ctx: &ViewCtx<'_>, ui: &mut egui::Ui, lang: Lang, commands: &mut Commands) {
    let Some(doc) = ctx.state.view.doc else { return };
    if ctx.state.side.agreements.is_empty() {
        ui.label(egui::RichText::new(tr(lang, "no_citations")).weak());
        return;
    }
    for a in &ctx.state.side.agreements {
        let mut job = egui::text::LayoutJob::default();
        let body = egui::FontId::proportional(14.0);
        let small = egui::FontId::proportional(12.0);
        job.append(&format!("《{}》", a.title), 0.0, egui::TextFormat::simple(body, ui.visuals().strong_text_color()));
        let mut meta = format!("\n{}", tr(lang, "count_here").replace("{}", &a.count.to_string()));
        meta.push_str(&format!("  ·  {}", count(lang, "docs_count", a.corpus_documents)));
        let signed = signed_text(a.signed.as_ref());
        if !signed.is_empty() {
            meta.push_str(&format!("\n{} {signed}", tr(lang, "signed")));
        }
        job.append(&meta, 0.0, egui::TextFormat::simple(small, ui.visuals().weak_text_color()));
        job.wrap.max_width = ui.available_width();
        let r = ui.add(egui::Button::selectable(false, job).wrap().min_size(egui::vec2(ui.available_width(), 0.0)));
        if r.clicked() {
            commands.push(Command::ShowAgreement(a.id.clone()));
            commands.push(Command::Jump { doc, paragraph: a.first.0, span: Some((a.first.1, a.first.2)) });
        }
        ui.add_space(2.0);
    }
}

fn agreement_card_ui(
    ui: &mut egui::Ui,
    corpus: &LoadedCorpus,
    card: &crate::index::AgreementCard,
    lang: Lang,
    dark: bool,
    commands: &mut Commands,
) {
    if ui.link(tr(lang, "all_citations")).clicked() {
        commands.push(Command::CloseCard);
    }
    ui.add_space(4.0);
    ui.label(egui::RichText::new(format!("《{}》", card.title)).size(17.0).strong());
    ui.add_space(4.0);
    egui::Grid::new("agreement-facts").num_columns(2).spacing([10.0, 4.0]).show(ui, |ui| {
        let signed = signed_text(card.signed.as_ref());
        if !signed.is_empty() {
            ui.label(egui::RichText::new(tr(lang, "signed")).weak());
            ui.label(signed);
            ui.end_row();
        }
        ui.label(egui::RichText::new(tr(lang, "cited_in")).weak());
        ui.label(card.documents.to_string());
        ui.end_row();
    });
    if !card.variants.is_empty() {
        ui.add_space(4.0);
        ui.label(egui::RichText::new(tr(lang, "wordings")).weak());
        for v in &card.variants {
            ui.add(egui::Label::new(format!("《{v}》")).wrap());
        }
    }
    // The reader's corrections, folded away: split a wording off, or merge another agreement in.
    ui.add_space(2.0);
    egui::CollapsingHeader::new(egui::RichText::new(tr(lang, "correct_agreement")).weak())
        .id_salt(("correct-agreement", &card.id))
        .default_open(false)
        .show(ui, |ui| {
            let cited = crate::corrections::apply::wordings_of(&corpus.analysis, &card.id);
            if cited.len() > 1 {
                ui.label(egui::RichText::new(tr(lang, "wordings_cited")).weak());
                for w in &cited {
                    ui.horizontal_wrapped(|ui| {
                        ui.add(egui::Label::new(format!("《{w}》")).wrap());
                        if ui.small_button(tr(lang, "split_off")).on_hover_text(tr(lang, "split_hint")).clicked() {
                            commands.push(Command::SplitAgreement(w.clone()));
                        }
                    });
                }
            }
            same_agreement_ui(ui, corpus, card, lang, commands);
        });
    ui.add_space(6.0);
    ui.label(egui::RichText::new(format!("{} ({})", tr(lang, "passages"), card.passages.len())).weak());
    passages_ui(ui, corpus, &card.passages, EntityKind::Agreement, dark, commands);
}

/// "Same agreement as…": another agreement of the corpus to merge into this one.
fn same_agreement_ui(
    ui: &mut egui::Ui,
    corpus: &LoadedCorpus,
    card: &crate::index::AgreementCard,
    lang: Lang,
    commands: &mut Commands,
) {
    let id = ui.make_persistent_id(("merge-with", &card.id));
    let mut chosen: Option<String> = ui.data(|d| d.get_temp(id)).flatten();
    let title_of = |a: &str| corpus.analysis.agreement(a).map(|a| a.title.clone()).unwrap_or_default();
    ui.add_space(4.0);
    ui.horizontal(|ui| {
        let shown = chosen.as_deref().map_or_else(|| tr(lang, "same_agreement").to_owned(), |a| format!("《{}》", title_of(a)));
        egui::ComboBox::from_id_salt(("merge-combo", &card.id))
            .selected_text(shown)
            .width((ui.available_width() - 70.0).max(120.0))
            .truncate()
            .show_ui(ui, |ui| {
                for a in corpus.analysis.agreements.iter().filter(|a| a.id != card.id) {
                    ui.selectable_value(&mut chosen, Some(a.id.clone()), format!("《{}》", a.title));
                }
            });
        if ui.add_enabled(chosen.is_some(), egui::Button::new(tr(lang, "merge"))).clicked()
            && let Some(merge) = chosen.take()
        {
            commands.push(Command::MergeAgreements { keep: card.id.clone(), merge });
        }
    });
    ui.data_mut(|d| d.insert_temp(id, chosen));
}

fn entities_list_ui(
    ctx: &ViewCtx<'_>,
    ui: &mut egui::Ui,
    corpus: &LoadedCorpus,
    lang: Lang,
    dark: bool,
    commands: &mut Commands,
) {
    if ui.button(tr(lang, "offices")).on_hover_text(tr(lang, "offices_hint")).clicked() {
        commands.push(Command::ToggleOffices);
    }
    for (kind, list) in &ctx.state.side.entities {
        let header = format!("{} ({})", kind_name(lang, *kind), list.len());
        egui::CollapsingHeader::new(egui::RichText::new(header).color(entity_accent(*kind, dark)).strong())
            .id_salt(("entities", kind.as_str()))
            .default_open(true)
            .show(ui, |ui| {
                ui.horizontal_wrapped(|ui| {
                    for (canonical, n) in list {
                        let label = format!("{canonical} ×{n}");
                        // A name is never broken across lines (a long one is cut, whole on hover).
                        let chip = egui::Button::new(label)
                            .fill(entity_background(*kind, dark))
                            .corner_radius(6.0)
                            .wrap_mode(egui::TextWrapMode::Truncate);
                        let total = corpus.index.count(*kind, canonical);
                        if ui
                            .add(chip)
                            .on_hover_text(format!("{canonical}\n{} · {total} {}", kind_name(lang, *kind), tr(lang, "in_corpus")))
                            .clicked()
                        {
                            commands.push(Command::ShowEntity(*kind, canonical.clone()));
                        }
                    }
                });
            });
    }
}

fn entity_card_ui(
    ui: &mut egui::Ui,
    corpus: &LoadedCorpus,
    card: &crate::index::EntityCard,
    lang: Lang,
    dark: bool,
    commands: &mut Commands,
) {
    if ui.link(tr(lang, "all_entities")).clicked() {
        commands.push(Command::CloseCard);
    }
    ui.add_space(4.0);
    ui.horizontal_wrapped(|ui| {
        ui.label(egui::RichText::new(&card.canonical).size(18.0).strong());
        ui.label(egui::RichText::new(kind_name(lang, card.kind)).color(entity_accent(card.kind, dark)));
    });
    // Who the texts say a person is: role, country or organisation, how often, when last.
    for r in card.roles.iter().take(4) {
        let of = r.of.as_deref().map(|o| format!("{o} · ")).unwrap_or_default();
        let latest = r.latest.as_deref().map(|d| format!(" · {d}")).unwrap_or_default();
        let line = format!("{of}{}  ({}{latest})", r.role, count(lang, "n_documents", r.documents));
        ui.add(egui::Label::new(egui::RichText::new(line).strong()).wrap());
    }
    let forms: Vec<String> = card.forms.iter().map(|(f, n)| format!("{f} ×{n}")).collect();
    ui.add(egui::Label::new(egui::RichText::new(format!("{}: {}", tr(lang, "forms"), forms.join("、"))).weak()).wrap());
    ui.label(
        egui::RichText::new(format!(
            "{} · {}",
            count(lang, "n_mentions", card.passages.len()),
            count(lang, "n_documents", card.documents)
        ))
        .weak(),
    );
    ui.add_space(6.0);
    passages_ui(ui, corpus, &card.passages, card.kind, dark, commands);
}

/// Passages grouped by document (in timeline order), each a clickable snippet.
fn passages_ui(
    ui: &mut egui::Ui,
    corpus: &LoadedCorpus,
    passages: &[Passage],
    kind: EntityKind,
    dark: bool,
    commands: &mut Commands,
) {
    let mut current = None;
    for (i, p) in passages.iter().enumerate() {
        if current != Some(p.at.doc) {
            current = Some(p.at.doc);
            let doc = &corpus.analysis.documents[p.at.doc];
            ui.add_space(6.0);
            let date = doc.date().unwrap_or("—");
            ui.add(egui::Label::new(egui::RichText::new(format!("{date}  {}", doc.title)).strong()).wrap());
        }
        let mut job = egui::text::LayoutJob::default();
        let font = egui::FontId::proportional(13.0);
        let normal = ui.visuals().text_color();
        let chars: Vec<char> = p.snippet.chars().collect();
        let (a, b) = (p.highlight.0.min(chars.len()), p.highlight.1.min(chars.len()));
        let piece = |s: &[char]| s.iter().collect::<String>();
        job.append(
            &format!("¶{}  ", p.at.paragraph + 1),
            0.0,
            egui::TextFormat::simple(font.clone(), ui.visuals().weak_text_color()),
        );
        job.append(&piece(&chars[..a]), 0.0, egui::TextFormat::simple(font.clone(), normal));
        let mut hl = egui::TextFormat::simple(font.clone(), ui.visuals().strong_text_color());
        hl.background = entity_background(kind, dark);
        job.append(&piece(&chars[a..b]), 0.0, hl);
        job.append(&piece(&chars[b..]), 0.0, egui::TextFormat::simple(font, normal));
        job.wrap.max_width = ui.available_width();
        let r = ui.add(egui::Button::selectable(false, job).wrap().min_size(egui::vec2(ui.available_width(), 0.0)));
        let r = r.on_hover_text(format!("{} ({SNIPPET_RADIUS})", i + 1));
        if r.clicked() {
            commands.push(Command::Jump { doc: p.at.doc, paragraph: p.at.paragraph, span: Some((p.at.start, p.at.end)) });
        }
    }
}

/// Corpus search: the field, the options, results grouped by document.
/// The hits as keyword-in-context lines: left context right-aligned, the
/// hit in a column of its own, the right context after it.
fn kwic_ui(
    ui: &mut egui::Ui,
    corpus: &LoadedCorpus,
    results: &crate::search::SearchResults,
    order: Option<bool>,
    out: &mut Commands,
) {
    let mut lines = crate::compare::kwic::lines(&corpus.analysis, &results.hits, crate::ui::state::KWIC_CONTEXT);
    if let Some(by_left) = order {
        crate::compare::kwic::sort(&mut lines, by_left);
    }
    let side = ((ui.available_width() - 60.0) / 2.0).max(60.0);
    let row_height = ui.text_style_height(&egui::TextStyle::Body) + 4.0;
    egui::ScrollArea::both().id_salt("kwic-scroll").auto_shrink([false, false]).show_rows(
        ui,
        row_height,
        lines.len(),
        |ui, rows| {
            for line in &lines[rows] {
                let r = ui
                    .horizontal(|ui| {
                        ui.allocate_ui_with_layout(
                            egui::vec2(side, row_height),
                            egui::Layout::right_to_left(egui::Align::Center),
                            |ui| {
                                ui.add(egui::Label::new(egui::RichText::new(&line.left).weak()).truncate().selectable(false));
                            },
                        );
                        ui.add(egui::Label::new(egui::RichText::new(&line.hit).strong()).selectable(false));
                        ui.allocate_ui_with_layout(
                            egui::vec2(side, row_height),
                            egui::Layout::left_to_right(egui::Align::Center),
                            |ui| {
                                ui.add(egui::Label::new(egui::RichText::new(&line.right).weak()).truncate().selectable(false));
                            },
                        );
                    })
                    .response
                    .interact(egui::Sense::click())
                    .on_hover_text(format!("{} · ¶{}", line.doc, line.paragraph + 1));
                if r.clicked()
                    && let Some(doc) = corpus.analysis.doc_ix(&line.doc)
                {
                    let end = line.start + line.hit.chars().count();
                    out.push(Command::Jump { doc, paragraph: line.paragraph, span: Some((line.start, end)) });
                }
            }
        },
    );
}

fn search_ui(ctx: &ViewCtx<'_>, ui: &mut egui::Ui, corpus: &LoadedCorpus, out: &mut Commands) {
    let search = &ctx.state.corpus_search;
    let lang = ctx.state.saved.lang;
    let label = ui.label(tr(lang, "search_corpus"));
    let mut query = search.query.clone();
    let response = ui
        .add(egui::TextEdit::singleline(&mut query).desired_width(f32::INFINITY).hint_text(tr(lang, "find_hint")))
        .labelled_by(label.id);
    if response.changed() {
        out.push(Command::SetSearchQuery(query));
    }
    if ctx.state.focus == Some(FocusTarget::Search) {
        super::focus_select_all(ui, &response, &search.query);
        out.push(Command::Focused);
    }
    let mut expand = search.expand_sco;
    if ui.checkbox(&mut expand, tr(lang, "expand_sco")).changed() {
        out.push(Command::SetSearchExpandSco(expand));
    }
    // Narrow to the documents of the card shown in the other tabs.
    let card_name = match &ctx.state.view.card {
        Some(Card::Agreement(id)) => corpus.analysis.agreement(id).map(|a| format!("《{}》", a.title)),
        Some(Card::Entity(_, name)) => Some(name.clone()),
        None => None,
    };
    if let Some(name) = card_name {
        let short: String =
            if name.chars().count() > 24 { name.chars().take(23).chain(std::iter::once('…')).collect() } else { name };
        let mut restrict = search.restrict;
        if ui.checkbox(&mut restrict, tr(lang, "only_with").replace("{}", &short)).changed() {
            out.push(Command::SetSearchRestrict(restrict));
        }
    }
    if search.searching {
        super::computing(ui, tr(lang, "searching"));
    }
    let Some(results) = &search.results else { return };
    // Keyboard: ↑ ↓ choose a hit, Enter opens it (while the field has focus).
    let shown = results.hits.len();
    let mut selected = search.selected;
    if response.has_focus() || response.lost_focus() {
        let (up, down, enter) = ui
            .input(|i| (i.key_pressed(egui::Key::ArrowUp), i.key_pressed(egui::Key::ArrowDown), i.key_pressed(egui::Key::Enter)));
        if down && selected + 1 < shown {
            selected += 1;
        }
        if up {
            selected = selected.saturating_sub(1);
        }
        if selected != search.selected {
            out.push(Command::SelectSearchHit(selected));
        }
        if enter {
            if let Some(h) = results.hits.get(selected) {
                out.push(Command::Jump { doc: h.doc, paragraph: h.paragraph, span: Some((h.start, h.end)) });
            }
            response.request_focus();
        }
    }
    let summary = format!("{}{}", count(lang, "n_hits", results.total), count(lang, "in_n_docs", results.per_document.len()));
    ui.label(egui::RichText::new(summary).weak());
    if results.total > shown {
        ui.label(egui::RichText::new(tr(lang, "shown_first").replace("{}", &shown.to_string())).weak().small());
    }
    ui.horizontal_wrapped(|ui| {
        if ui.button(tr(lang, "trends")).clicked() {
            out.push(Command::Trends(search.query.trim().to_owned(), false));
        }
        let mut kwic = search.kwic.is_some();
        if ui.checkbox(&mut kwic, tr(lang, "kwic")).changed() {
            out.push(Command::SetKwic(kwic.then_some(None)));
        }
    });
    if let Some(order) = search.kwic {
        ui.horizontal_wrapped(|ui| {
            for (choice, key) in [(None, "kwic_text_order"), (Some(true), "kwic_by_left"), (Some(false), "kwic_by_right")] {
                if ui.radio(order == choice, tr(lang, key)).clicked() {
                    out.push(Command::SetKwic(Some(choice)));
                }
            }
            if ui.button(tr(lang, "kwic_copy_csv")).clicked() {
                out.push(Command::CopyKwicCsv);
            }
        });
        ui.separator();
        kwic_ui(ui, corpus, results, order, out);
        return;
    }
    ui.separator();
    let dark = ui.visuals().dark_mode;
    egui::ScrollArea::vertical().id_salt("search-scroll").auto_shrink([false, false]).show(ui, |ui| {
        let mut hits = results.hits.iter().enumerate().peekable();
        for (doc, count) in &results.per_document {
            if hits.peek().is_none() {
                break;
            }
            let d = &corpus.analysis.documents[*doc];
            ui.add_space(4.0);
            ui.add(
                egui::Label::new(egui::RichText::new(format!("{}  {}  ({count})", d.date().unwrap_or("—"), d.title)).strong())
                    .wrap(),
            );
            while let Some((i, h)) = hits.next_if(|(_, h)| h.doc == *doc) {
                let r = ui.add(
                    egui::Button::selectable(i == selected, hit_job(ui, h, dark))
                        .wrap()
                        .min_size(egui::vec2(ui.available_width(), 0.0)),
                );
                if i == selected && (ui.input(|inp| inp.key_pressed(egui::Key::ArrowDown) || inp.key_pressed(egui::Key::ArrowUp)))
                {
                    r.scroll_to_me(Some(egui::Align::Center));
                }
                if r.clicked() {
                    out.push(Command::Jump { doc: h.doc, paragraph: h.paragraph, span: Some((h.start, h.end)) });
                }
            }
        }
    });
}

/// A search hit's line: `¶N`, the snippet, the hit marked.
fn hit_job(ui: &egui::Ui, h: &crate::search::SearchHit, dark: bool) -> egui::text::LayoutJob {
    let mut job = egui::text::LayoutJob::default();
    let font = egui::FontId::proportional(13.0);
    let chars: Vec<char> = h.snippet.chars().collect();
    let lead = usize::from(h.snippet.starts_with('…'));
    let a = (h.start.min(crate::search::SNIPPET_CHARS) + lead).min(chars.len());
    let b = (a + (h.end - h.start)).min(chars.len());
    job.append(&format!("¶{}  ", h.paragraph + 1), 0.0, egui::TextFormat::simple(font.clone(), ui.visuals().weak_text_color()));
    job.append(&chars[..a].iter().collect::<String>(), 0.0, egui::TextFormat::simple(font.clone(), ui.visuals().text_color()));
    let mut hl = egui::TextFormat::simple(font.clone(), egui::Color32::BLACK);
    hl.background = crate::ui::theme::find_hit(dark, false);
    job.append(&chars[a..b].iter().collect::<String>(), 0.0, hl);
    job.append(&chars[b..].iter().collect::<String>(), 0.0, egui::TextFormat::simple(font, ui.visuals().text_color()));
    job.wrap.max_width = ui.available_width();
    job
}

/// The Notes tab: the editor when a note is being written, else the list
/// (this document or all, filtered by tag and colour) and the exports.
fn notes_ui(ctx: &ViewCtx<'_>, ui: &mut egui::Ui, corpus: &LoadedCorpus, commands: &mut Commands) {
    use crate::notes::anchor::Anchor;
    let notes = &ctx.state.notes;
    let lang = ctx.state.saved.lang;
    let dark = ui.visuals().dark_mode;
    if let Some(why) = &notes.unavailable {
        ui.label(egui::RichText::new(why).color(ui.visuals().warn_fg_color));
        return;
    }
    if notes.read_only() {
        ui.add(egui::Label::new(egui::RichText::new(tr(lang, "notes_read_only")).color(ui.visuals().warn_fg_color)).wrap());
    }
    if !notes.damaged.is_empty() {
        let ids: Vec<String> = notes.damaged.iter().map(ToString::to_string).collect();
        let text = tr(lang, "notes_damaged").replace("{}", &ids.join(", "));
        ui.add(egui::Label::new(egui::RichText::new(text).color(ui.visuals().warn_fg_color)).wrap());
    }
    if let Some(draft) = &notes.draft {
        let mut draft = draft.clone();
        // Ctrl+Enter saves (taken before the text field would make it a new line).
        if ui.input_mut(|i| i.consume_key(egui::Modifiers::COMMAND, egui::Key::Enter)) {
            commands.push(Command::SaveNote);
        }
        ui.label(egui::RichText::new(format!("¶{}  「{}」", draft.paragraph + 1, draft.quote)).weak());
        ui.add_space(4.0);
        ui.horizontal(|ui| {
            ui.label(tr(lang, "color"));
            for c in crate::notes::COLORS {
                let fill = crate::ui::theme::note_color(c, dark).to_opaque();
                let selected = draft.color == c;
                let chip = egui::Button::new(if selected { "●" } else { " " })
                    .fill(fill)
                    .min_size(egui::vec2(22.0, 22.0))
                    .corner_radius(11.0);
                if ui.add(chip).on_hover_text(c).clicked() {
                    draft.color = c.to_owned();
                }
            }
        });
        let label = ui.label(tr(lang, "note_text"));
        let text =
            ui.add(egui::TextEdit::multiline(&mut draft.text).desired_rows(6).desired_width(f32::INFINITY)).labelled_by(label.id);
        if ctx.state.focus == Some(FocusTarget::NoteText) {
            text.request_focus();
            commands.push(Command::Focused);
        }
        let label = ui.label(format!("{} ({})", tr(lang, "tags"), tr(lang, "tags_hint")));
        ui.add(egui::TextEdit::singleline(&mut draft.tags).desired_width(f32::INFINITY)).labelled_by(label.id);
        if notes.draft.as_ref() != Some(&draft) {
            commands.push(Command::EditDraft(draft));
        }
        ui.horizontal(|ui| {
            if ui.button(tr(lang, "save")).on_hover_text("Ctrl+Enter").clicked() {
                commands.push(Command::SaveNote);
            }
            if ui.button(tr(lang, "cancel")).on_hover_text("Esc").clicked() {
                commands.push(Command::CancelNote);
            }
            ui.label(egui::RichText::new(tr(lang, "editor_keys")).weak().small());
        });
        return;
    }
    ui.horizontal(|ui| {
        if ui.selectable_label(!notes.show_all, tr(lang, "this_doc")).clicked() {
            commands.push(Command::ShowAllNotes(false));
        }
        if ui.selectable_label(notes.show_all, tr(lang, "all_docs")).clicked() {
            commands.push(Command::ShowAllNotes(true));
        }
        ui.separator();
        if ui.button(tr(lang, "export_button")).clicked() {
            let doc = if notes.show_all { None } else { ctx.state.view.doc.and_then(|d| corpus.analysis.doc(d)) };
            commands.push(Command::ShowExport(doc.map(|d| d.id.clone())));
        }
    });
    ui.horizontal_wrapped(|ui| {
        ui.label(egui::RichText::new(tr(lang, "tags")).weak());
        let tags = notes.all_tags();
        let mut tag_filter = notes.tag_filter.clone();
        egui::ComboBox::from_id_salt("tag-filter")
            .selected_text(notes.tag_filter.clone().unwrap_or_else(|| tr(lang, "any").to_owned()))
            .show_ui(ui, |ui| {
                ui.selectable_value(&mut tag_filter, None, tr(lang, "any"));
                for t in tags {
                    ui.selectable_value(&mut tag_filter, Some(t.clone()), t);
                }
            });
        if tag_filter != notes.tag_filter {
            commands.push(Command::FilterNotesByTag(tag_filter));
        }
        ui.label(egui::RichText::new(tr(lang, "color")).weak());
        for c in crate::notes::COLORS {
            let on = notes.color_filter.as_deref() == Some(c);
            let chip = egui::Button::new(if on { "●" } else { " " })
                .fill(crate::ui::theme::note_color(c, dark).to_opaque())
                .min_size(egui::vec2(18.0, 18.0))
                .corner_radius(9.0);
            if ui.add(chip).on_hover_text(c).clicked() {
                commands.push(Command::FilterNotesByColor(if on { None } else { Some(c.to_owned()) }));
            }
        }
    });
    if notes.undo.is_some() {
        ui.horizontal(|ui| {
            ui.label(tr(lang, "deleted"));
            if ui.button(tr(lang, "undo")).clicked() {
                commands.push(Command::UndoDelete);
            }
        });
    }
    ui.separator();
    let shown: Vec<(&crate::notes::Note, &Anchor, Option<crate::model::DocIx>)> = notes
        .notes
        .iter()
        .map(|(n, a)| (n, a, NotesState::doc_of(n, a, &corpus.analysis)))
        .filter(|(_, _, d)| notes.show_all || (d.is_some() && *d == ctx.state.view.doc))
        .filter(|(n, _, _)| notes.tag_filter.as_ref().is_none_or(|t| n.tags.contains(t)))
        .filter(|(n, _, _)| notes.color_filter.as_ref().is_none_or(|c| &n.color == c))
        .collect();
    if shown.is_empty() {
        ui.label(egui::RichText::new(tr(lang, "no_notes")).weak());
    }
    // Orphaned notes first, apart: their passage is gone, their text is not.
    let orphans = shown.iter().filter(|(_, a, _)| a.place().is_none()).count();
    egui::ScrollArea::vertical().id_salt("notes-scroll").auto_shrink([false, false]).show(ui, |ui| {
        if orphans > 0 {
            ui.label(
                egui::RichText::new(tr(lang, "orphaned_notes").replace("{}", &orphans.to_string()))
                    .strong()
                    .color(ui.visuals().warn_fg_color),
            );
            ui.label(egui::RichText::new(tr(lang, "orphaned_help")).weak().small());
            for (note, anchor, d) in shown.iter().filter(|(_, a, _)| a.place().is_none()) {
                note_card_ui(ui, corpus, notes.show_all, note, anchor, *d, lang, dark, commands);
            }
            ui.separator();
        }
        for (note, anchor, d) in shown.iter().filter(|(_, a, _)| a.place().is_some()) {
            note_card_ui(ui, corpus, notes.show_all, note, anchor, *d, lang, dark, commands);
        }
    });
}

/// One note: document (when listing all), ¶ and page, quote, where it is
/// now (exact, moved from ¶N, orphaned), text, tags, actions.
#[allow(clippy::too_many_arguments, reason = "one caller; the arguments are what one card shows")]
fn note_card_ui(
    ui: &mut egui::Ui,
    corpus: &LoadedCorpus,
    show_doc: bool,
    note: &crate::notes::Note,
    anchor: &crate::notes::anchor::Anchor,
    d: Option<crate::model::DocIx>,
    lang: Lang,
    dark: bool,
    commands: &mut Commands,
) {
    use crate::notes::anchor::Anchor;
    let color = crate::ui::theme::note_color(&note.color, dark).to_opaque();
    let doc = d.and_then(|d| corpus.analysis.doc(d));
    egui::Frame::new().stroke(egui::Stroke::new(1.0, color)).corner_radius(6.0).inner_margin(6.0).show(ui, |ui| {
        ui.set_width(ui.available_width());
        if show_doc {
            let title = doc.map_or_else(|| note.doc.clone(), |d| d.title.clone());
            ui.add(egui::Label::new(egui::RichText::new(title).small().weak()).truncate());
        }
        let place = anchor.place();
        let paragraph = place.map_or(note.paragraph, |p| p.1);
        // A PDF paragraph is cited by its page too.
        let page =
            doc.and_then(|d| d.paragraphs.get(paragraph)).and_then(|p| p.page).map(|n| format!(" · p. {n}")).unwrap_or_default();
        let quote =
            egui::RichText::new(format!("¶{}{page}  「{}」", paragraph + 1, note.quote)).color(ui.visuals().strong_text_color());
        let r = ui.add(egui::Label::new(quote).wrap().sense(egui::Sense::click()));
        if let (true, Some((doc, paragraph, start, end))) = (r.clicked(), place) {
            commands.push(Command::Jump { doc, paragraph, span: Some((start, end)) });
        }
        match anchor {
            Anchor::Orphaned => {
                ui.label(egui::RichText::new(tr(lang, "orphaned")).color(ui.visuals().warn_fg_color).small());
            }
            Anchor::Moved { from, .. } => {
                ui.horizontal_wrapped(|ui| {
                    ui.label(
                        egui::RichText::new(tr(lang, "moved_from").replace("{}", &(from + 1).to_string()))
                            .color(ui.visuals().warn_fg_color)
                            .small(),
                    );
                    if ui.small_button(tr(lang, "keep_here")).on_hover_text(tr(lang, "keep_here_help")).clicked() {
                        commands.push(Command::ReanchorNote(note.id));
                    }
                });
            }
            Anchor::Exact { .. } => {}
        }
        if !note.text.is_empty() {
            ui.add(egui::Label::new(&note.text).wrap());
        }
        ui.horizontal_wrapped(|ui| {
            for t in &note.tags {
                ui.label(egui::RichText::new(format!("#{t}")).small().color(entity_accent(EntityKind::Organization, dark)));
            }
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                if ui.small_button(tr(lang, "delete")).clicked() {
                    commands.push(Command::DeleteNote(note.id));
                }
                if ui.small_button(tr(lang, "edit")).clicked() {
                    commands.push(Command::EditNote(note.id));
                }
            });
        });
    });
    ui.add_space(4.0);
}
