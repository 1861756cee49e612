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
        for (tab, key) in [(SideTab::Citations, "citations"), (SideTab::Entities, "entities"), (SideTab::Notes, "notes")] {
            if ui.selectable_label(app.saved.tab == tab, egui::RichText::new(tr(lang, key)).size(15.0)).clicked() {
                app.push(Command::SetTab(tab));
            }
        }
    });
    ui.separator();
    let Some(corpus) = app.corpus.clone() else { return };
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
