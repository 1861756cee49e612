//! The side panel: tabs for the document's citations, its entities and
//! notes; cards for one agreement or entity with every passage in the corpus.

use crate::entities::EntityKind;
use crate::index::{Passage, SNIPPET_RADIUS};
use crate::ui::app::ReaderApp;
use crate::ui::command::{Command, SideTab};
use crate::ui::i18n::{Lang, kind_name, tr};
use crate::ui::loader::LoadedCorpus;
use crate::ui::theme::{entity_accent, entity_background};

/// Draws the side panel.
pub fn side_ui(app: &mut ReaderApp, ui: &mut egui::Ui) {
    let lang = app.saved.lang;
    ui.horizontal(|ui| {
        for (tab, key) in [
            (SideTab::Citations, "citations"),
            (SideTab::Entities, "entities"),
            (SideTab::Search, "search"),
            (SideTab::Notes, "notes"),
        ] {
            if ui.selectable_label(app.saved.tab == tab, egui::RichText::new(tr(lang, key)).size(15.0)).clicked() {
                app.push(Command::SetTab(tab));
            }
        }
    });
    ui.separator();
    let Some(corpus) = app.corpus.clone() else { return };
    if app.saved.tab == SideTab::Search {
        search_ui(app, ui, &corpus);
        return;
    }
    let mut commands = Vec::new();
    let dark = ui.visuals().dark_mode;
    egui::ScrollArea::vertical().id_salt("side-scroll").auto_shrink([false, false]).show(ui, |ui| match app.saved.tab {
        SideTab::Citations => match &app.side.agreement_card {
            Some(card) => agreement_card_ui(ui, &corpus, card, lang, dark, &mut commands),
            None => citations_list_ui(app, ui, lang, &mut commands),
        },
        SideTab::Entities => match &app.side.entity_card {
            Some(card) => entity_card_ui(ui, &corpus, card, lang, dark, &mut commands),
            None => entities_list_ui(app, ui, &corpus, lang, dark, &mut commands),
        },
        SideTab::Notes => {
            ui.label(egui::RichText::new(tr(lang, "notes_soon")).weak());
        }
        SideTab::Search => {}
    });
    for c in commands {
        app.push(c);
    }
}

fn signed_text(signed: Option<&crate::citations::Signed>) -> String {
    let Some(s) = signed else { return String::new() };
    [s.date.as_deref(), s.place.as_deref()].into_iter().flatten().collect::<Vec<_>>().join(" · ")
}

fn citations_list_ui(app: &ReaderApp, ui: &mut egui::Ui, lang: Lang, commands: &mut Vec<Command>) {
    if app.side.agreements.is_empty() {
        ui.label(egui::RichText::new(tr(lang, "no_citations")).weak());
        return;
    }
    for a in &app.side.agreements {
        let mut job = egui::text::LayoutJob::default();
        let body = egui::FontId::proportional(14.0);
        let small = egui::FontId::proportional(12.0);
        job.append(&format!("《{}》", a.title), 0.0, egui::TextFormat::simple(body, ui.visuals().strong_text_color()));
        let mut meta = format!("\n{}", tr(lang, "count_here").replace("{}", &a.count.to_string()));
        meta.push_str(&format!("  ·  {}", tr(lang, "docs_count").replace("{}", &a.corpus_documents.to_string())));
        let signed = signed_text(a.signed.as_ref());
        if !signed.is_empty() {
            meta.push_str(&format!("\n{} {signed}", tr(lang, "signed")));
        }
        job.append(&meta, 0.0, egui::TextFormat::simple(small, ui.visuals().weak_text_color()));
        job.wrap.max_width = ui.available_width();
        let r = ui.add(egui::Button::selectable(false, job).wrap().min_size(egui::vec2(ui.available_width(), 0.0)));
        if r.clicked() {
            commands.push(Command::ShowAgreement(a.id.clone()));
            commands.push(Command::Jump { doc: app.view.doc.unwrap_or(0), paragraph: a.first.0 });
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
    commands: &mut Vec<Command>,
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
    ui.add_space(6.0);
    ui.label(egui::RichText::new(format!("{} ({})", tr(lang, "passages"), card.passages.len())).weak());
    passages_ui(ui, corpus, &card.passages, EntityKind::Agreement, dark, commands);
}

fn entities_list_ui(
    app: &ReaderApp,
    ui: &mut egui::Ui,
    corpus: &LoadedCorpus,
    lang: Lang,
    dark: bool,
    commands: &mut Vec<Command>,
) {
    for (kind, list) in &app.side.entities {
        let header = format!("{} ({})", kind_name(lang, *kind), list.len());
        egui::CollapsingHeader::new(egui::RichText::new(header).color(entity_accent(*kind, dark)).strong())
            .id_salt(("entities", kind.as_str()))
            .default_open(true)
            .show(ui, |ui| {
                ui.horizontal_wrapped(|ui| {
                    for (canonical, n) in list {
                        let label = format!("{canonical} ×{n}");
                        let chip = egui::Button::new(label).fill(entity_background(*kind, dark)).corner_radius(6.0);
                        let total = corpus.index.count(*kind, canonical);
                        if ui
                            .add(chip)
                            .on_hover_text(format!("{} · {total} {}", kind_name(lang, *kind), tr(lang, "in_corpus")))
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
    commands: &mut Vec<Command>,
) {
    if ui.link(tr(lang, "all_entities")).clicked() {
        commands.push(Command::CloseCard);
    }
    ui.add_space(4.0);
    ui.horizontal_wrapped(|ui| {
        ui.label(egui::RichText::new(&card.canonical).size(18.0).strong());
        ui.label(egui::RichText::new(kind_name(lang, card.kind)).color(entity_accent(card.kind, dark)));
    });
    let forms: Vec<String> = card.forms.iter().map(|(f, n)| format!("{f} ×{n}")).collect();
    ui.add(egui::Label::new(egui::RichText::new(format!("{}: {}", tr(lang, "forms"), forms.join("、"))).weak()).wrap());
    ui.label(
        egui::RichText::new(format!(
            "{} {} · {} {}",
            tr(lang, "mentions"),
            card.passages.len(),
            card.documents,
            tr(lang, "documents")
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
    commands: &mut Vec<Command>,
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
            commands.push(Command::Jump { doc: p.at.doc, paragraph: p.at.paragraph });
        }
    }
}

/// Corpus search: the field, the option, results grouped by document.
fn search_ui(app: &mut ReaderApp, ui: &mut egui::Ui, corpus: &LoadedCorpus) {
    let lang = app.saved.lang;
    let label = ui.label(tr(lang, "search_corpus"));
    let response = ui
        .add(
            egui::TextEdit::singleline(&mut app.corpus_search.query)
                .desired_width(f32::INFINITY)
                .hint_text(tr(lang, "find_hint")),
        )
        .labelled_by(label.id);
    if app.corpus_search.focus {
        response.request_focus();
        app.corpus_search.focus = false;
    }
    ui.checkbox(&mut app.corpus_search.expand_sco, tr(lang, "expand_sco"));
    app.refresh_corpus_search();
    let Some(results) = app.corpus_search.results.clone() else { return };
    // Keyboard: ↑ ↓ choose a hit, Enter opens it (while the field has focus).
    let shown = results.hits.len();
    if response.has_focus() || response.lost_focus() {
        let (up, down, enter) = ui
            .input(|i| (i.key_pressed(egui::Key::ArrowUp), i.key_pressed(egui::Key::ArrowDown), i.key_pressed(egui::Key::Enter)));
        if down && app.corpus_search.selected + 1 < shown {
            app.corpus_search.selected += 1;
        }
        if up {
            app.corpus_search.selected = app.corpus_search.selected.saturating_sub(1);
        }
        if enter {
            if let Some(h) = results.hits.get(app.corpus_search.selected) {
                app.push(Command::Jump { doc: h.doc, paragraph: h.paragraph });
            }
            response.request_focus();
        }
    }
    let summary = tr(lang, "hits_in_docs").replacen("{}", &results.total.to_string(), 1).replacen(
        "{}",
        &results.per_document.len().to_string(),
        1,
    );
    ui.label(egui::RichText::new(summary).weak());
    if results.total > shown {
        ui.label(egui::RichText::new(tr(lang, "shown_first").replace("{}", &shown.to_string())).weak().small());
    }
    ui.separator();
    let dark = ui.visuals().dark_mode;
    let selected = app.corpus_search.selected;
    let mut commands = Vec::new();
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
                let mut job = egui::text::LayoutJob::default();
                let font = egui::FontId::proportional(13.0);
                let chars: Vec<char> = h.snippet.chars().collect();
                let lead = usize::from(h.snippet.starts_with('…'));
                let a = (h.start.min(crate::search::SNIPPET_CHARS) + lead).min(chars.len());
                let b = (a + (h.end - h.start)).min(chars.len());
                job.append(
                    &format!("¶{}  ", h.paragraph + 1),
                    0.0,
                    egui::TextFormat::simple(font.clone(), ui.visuals().weak_text_color()),
                );
                job.append(
                    &chars[..a].iter().collect::<String>(),
                    0.0,
                    egui::TextFormat::simple(font.clone(), ui.visuals().text_color()),
                );
                let mut hl = egui::TextFormat::simple(font.clone(), egui::Color32::BLACK);
                hl.background = crate::ui::theme::find_hit(dark, false);
                job.append(&chars[a..b].iter().collect::<String>(), 0.0, hl);
                job.append(
                    &chars[b..].iter().collect::<String>(),
                    0.0,
                    egui::TextFormat::simple(font, ui.visuals().text_color()),
                );
                job.wrap.max_width = ui.available_width();
                let r =
                    ui.add(egui::Button::selectable(i == selected, job).wrap().min_size(egui::vec2(ui.available_width(), 0.0)));
                if i == selected && (ui.input(|inp| inp.key_pressed(egui::Key::ArrowDown) || inp.key_pressed(egui::Key::ArrowUp)))
                {
                    r.scroll_to_me(Some(egui::Align::Center));
                }
                if r.clicked() {
                    commands.push(Command::Jump { doc: h.doc, paragraph: h.paragraph });
                }
            }
        }
    });
    for c in commands {
        app.push(c);
    }
}
