//! The windows that read across the corpus: two documents side by side,
//! one row per aligned pair (so both sides scroll together), each row
//! tinted by what happened to it, entities on their colours as in the
//! reader, the changed characters of a changed pair marked, a click on a paragraph opening it in the reader; and the office
//! table.

use super::{Commands, ViewCtx};
use crate::compare::align::{Op, Pair};
use crate::model::{DocIx, DocumentAnalysis};
use crate::ui::command::Command;
use crate::ui::i18n::tr;

/// The document to compare `doc` with by default: the latest earlier
/// document of its body, else the document before it on the timeline.
pub fn default_partner(ctx: &ViewCtx<'_>, doc: DocIx) -> Option<DocIx> {
    ctx.corpus?.partners.get(doc.0).copied().flatten()
}

fn tint(op: Op, dark: bool) -> egui::Color32 {
    let alpha = if dark { 40 } else { 28 };
    match op {
        Op::Same => egui::Color32::TRANSPARENT,
        Op::Changed => egui::Color32::from_rgba_unmultiplied(240, 170, 0, alpha),
        Op::Added => egui::Color32::from_rgba_unmultiplied(40, 170, 70, alpha),
        Op::Removed => egui::Color32::from_rgba_unmultiplied(220, 60, 60, alpha),
    }
}

/// A paragraph laid out as in the reader: entities on their colours (of
/// the kinds shown), and the characters not in `other` (by a character
/// diff) underlined and washed in the change colour.
fn marked(
    ui: &egui::Ui,
    text: &str,
    other: Option<&str>,
    entities: &[(usize, usize, crate::model::EntityKind)],
    mark: egui::Color32,
    width: f32,
) -> egui::text::LayoutJob {
    let chars: Vec<char> = text.chars().collect();
    // Which chars are new against the other side.
    let mut changed = vec![false; chars.len()];
    if let Some(other) = other {
        let diff = similar::TextDiff::from_chars(other, text);
        let mut at = 0;
        for change in diff.iter_all_changes() {
            let n = change.value().chars().count();
            match change.tag() {
                similar::ChangeTag::Equal => at += n,
                similar::ChangeTag::Insert => {
                    for c in changed.iter_mut().skip(at).take(n) {
                        *c = true;
                    }
                    at += n;
                }
                similar::ChangeTag::Delete => {}
            }
        }
    }
    let mut kind_at: Vec<Option<crate::model::EntityKind>> = vec![None; chars.len()];
    for &(start, end, kind) in entities {
        for k in kind_at.iter_mut().take(end.min(chars.len())).skip(start) {
            k.get_or_insert(kind);
        }
    }
    let font = egui::TextStyle::Body.resolve(ui.style());
    let color = ui.visuals().text_color();
    let dark = ui.visuals().dark_mode;
    let mut job = egui::text::LayoutJob::default();
    job.wrap.max_width = width;
    let mut i = 0;
    while i < chars.len() {
        let mut j = i + 1;
        while j < chars.len() && changed[j] == changed[i] && kind_at[j] == kind_at[i] {
            j += 1;
        }
        let run: String = chars[i..j].iter().collect();
        let background = match (changed[i], kind_at[i]) {
            (true, _) => mark,
            (false, Some(kind)) => crate::ui::theme::entity_background(kind, dark),
            (false, None) => egui::Color32::TRANSPARENT,
        };
        let underline = if changed[i] { egui::Stroke::new(1.5, color) } else { egui::Stroke::NONE };
        job.append(&run, 0.0, egui::TextFormat { font_id: font.clone(), color, background, underline, ..Default::default() });
        i = j;
    }
    job
}

/// The entities of paragraph `p` of `doc` whose kind is shown, as char spans.
fn entity_spans(view: &ViewCtx<'_>, doc: &DocumentAnalysis, p: Option<usize>) -> Vec<(usize, usize, crate::model::EntityKind)> {
    let Some(p) = p else { return Vec::new() };
    let hidden = &view.state.saved.hidden_kinds;
    doc.entities
        .iter()
        .filter(|e| e.paragraph() == p && !hidden.contains(&e.kind))
        .map(|e| (e.chars().start, e.chars().end, e.kind))
        .collect()
}

/// Draws the comparison while one is open.
pub fn compare_window(view: &ViewCtx<'_>, ctx: &egui::Context, out: &mut Commands) {
    let (Some(state), Some(corpus)) = (&view.state.compare, view.corpus) else { return };
    let (Some(a), Some(b)) = (corpus.analysis.doc(state.a), corpus.analysis.doc(state.b)) else { return };
    let lang = view.state.saved.lang;
    let mut open = true;
    let screen = ctx.content_rect();
    egui::Window::new(tr(lang, "compare_title"))
        .id(egui::Id::unique("compare-window"))
        .open(&mut open)
        .default_size([screen.width() * 0.8, screen.height() * 0.8])
        .max_size([screen.width() - 40.0, screen.height() - 60.0])
        .collapsible(false)
        .show(ctx, |ui| {
            ui.horizontal_wrapped(|ui| {
                ui.label(egui::RichText::new(tr(lang, "compare_with")).strong());
                document_choice(ui, "compare-a", corpus, state.a, |d| out.push(Command::Compare(d, state.b)));
                ui.label(tr(lang, "compare_against"));
                document_choice(ui, "compare-b", corpus, state.b, |d| out.push(Command::Compare(state.a, d)));
            });
            let count = |op: Op| state.pairs.iter().filter(|p| p.op == op).count().to_string();
            let summary = tr(lang, "compare_summary")
                .replace("{s}", &count(Op::Same))
                .replace("{c}", &count(Op::Changed))
                .replace("{a}", &count(Op::Added))
                .replace("{r}", &count(Op::Removed));
            ui.label(egui::RichText::new(summary).weak());
            ui.separator();
            rows_ui(ui, view, state.a, a, state.b, b, &state.pairs, out);
        });
    if !open {
        out.push(Command::CloseCompare);
    }
}

fn document_choice(
    ui: &mut egui::Ui,
    id: &str,
    corpus: &crate::ui::loader::LoadedCorpus,
    current: DocIx,
    mut pick: impl FnMut(DocIx),
) {
    let label = |d: DocIx| {
        corpus.analysis.doc(d).map_or_else(String::new, |doc| {
            let title: String = doc.title.chars().take(28).collect();
            let more = if doc.title.chars().count() > 28 { "…" } else { "" };
            format!("{} {title}{more}", doc.date().unwrap_or(""))
        })
    };
    egui::ComboBox::from_id_salt(id).selected_text(label(current)).width(300.0).show_ui(ui, |ui| {
        for row in &corpus.index.timeline {
            if ui.selectable_label(row.doc == current, label(row.doc)).clicked() && row.doc != current {
                pick(row.doc);
            }
        }
    });
}

#[allow(clippy::too_many_arguments, reason = "one row layout, its two documents and their ids")]
fn rows_ui(
    ui: &mut egui::Ui,
    view: &ViewCtx<'_>,
    ia: DocIx,
    a: &DocumentAnalysis,
    ib: DocIx,
    b: &DocumentAnalysis,
    pairs: &[Pair],
    out: &mut Commands,
) {
    let lang = view.state.saved.lang;
    let dark = ui.visuals().dark_mode;
    let mark = if dark { egui::Color32::from_rgb(110, 80, 0) } else { egui::Color32::from_rgb(255, 224, 130) };
    let gap = 16.0;
    let number = 36.0;
    let column = ((ui.available_width() - gap - 2.0 * number - 24.0) / 2.0).max(120.0);
    egui::ScrollArea::vertical().auto_shrink([false, false]).show(ui, |ui| {
        for (row, pair) in pairs.iter().enumerate() {
            let text_a = pair.a.and_then(|p| a.paragraphs.get(p)).map(|p| p.text.as_str());
            let text_b = pair.b.and_then(|p| b.paragraphs.get(p)).map(|p| p.text.as_str());
            let frame =
                egui::Frame::new().fill(tint(pair.op, dark)).inner_margin(egui::Margin::symmetric(4, 3)).corner_radius(3.0);
            frame.show(ui, |ui| {
                let (spans_a, spans_b) = (entity_spans(view, a, pair.a), entity_spans(view, b, pair.b));
                ui.horizontal_top(|ui| {
                    let other_b = text_b.filter(|_| pair.op == Op::Changed);
                    side(ui, ("a", row), pair.a, text_a, other_b, &spans_a, mark, column, number, |p| {
                        out.push(Command::Jump { doc: ia, paragraph: p, span: None });
                    });
                    ui.add_space(gap);
                    let other_a = text_a.filter(|_| pair.op == Op::Changed);
                    side(ui, ("b", row), pair.b, text_b, other_a, &spans_b, mark, column, number, |p| {
                        out.push(Command::Jump { doc: ib, paragraph: p, span: None });
                    });
                });
                let note = match (pair.split_from, pair.merged_into) {
                    (Some(p), _) => Some(tr(lang, "compare_split").replace("{}", &(p + 1).to_string())),
                    (_, Some(p)) => Some(tr(lang, "compare_merged").replace("{}", &(p + 1).to_string())),
                    _ => None,
                };
                if let Some(note) = note {
                    ui.label(egui::RichText::new(note).small().weak());
                }
            });
        }
    });
}

#[allow(clippy::too_many_arguments, reason = "one cell: its paragraph, texts, colours and sizes")]
fn side(
    ui: &mut egui::Ui,
    id: (&str, usize),
    paragraph: Option<usize>,
    text: Option<&str>,
    other: Option<&str>,
    entities: &[(usize, usize, crate::model::EntityKind)],
    mark: egui::Color32,
    column: f32,
    number: f32,
    mut open: impl FnMut(usize),
) {
    ui.push_id(id, |ui| {
        ui.allocate_ui_with_layout(egui::vec2(number + column, 0.0), egui::Layout::left_to_right(egui::Align::Min), |ui| {
            ui.set_width(number + column);
            let label = paragraph.map_or_else(String::new, |p| format!("¶{}", p + 1));
            ui.add_sized([number, 18.0], egui::Label::new(egui::RichText::new(label).small().weak()));
            if let (Some(p), Some(text)) = (paragraph, text) {
                let job = marked(ui, text, other, entities, mark, column);
                let response = ui.add(egui::Label::new(job).wrap().sense(egui::Sense::click()));
                if response.on_hover_cursor(egui::CursorIcon::PointingHand).clicked() {
                    open(p);
                }
            }
        });
    });
}

/// The office table: each person's offices with country and dates; a
/// click on a name opens the person's card.
pub fn offices_window(view: &ViewCtx<'_>, ctx: &egui::Context, out: &mut Commands) {
    let people = match (&view.state.offices, view.state.offices_computing) {
        (Some(people), _) => Some(people),
        (None, true) => None,
        (None, false) => return,
    };
    let lang = view.state.saved.lang;
    let mut open = true;
    let screen = ctx.content_rect();
    egui::Window::new(tr(lang, "offices_title"))
        .id(egui::Id::unique("offices-window"))
        .open(&mut open)
        // Wide enough for its five columns where the screen allows.
        .default_size([880.0_f32.min(screen.width() - 40.0), 480.0_f32.min(screen.height() - 60.0)])
        .collapsible(false)
        .show(ctx, |ui| {
            let Some(people) = people else {
                super::computing(ui, tr(lang, "offices_computing"));
                return;
            };
            egui::ScrollArea::both().auto_shrink([false, false]).show(ui, |ui| {
                egui::Grid::new("offices-grid").num_columns(5).striped(true).spacing([14.0, 4.0]).show(ui, |ui| {
                    for key in ["offices_name", "offices_role", "offices_of", "offices_when", "offices_docs"] {
                        ui.label(egui::RichText::new(tr(lang, key)).strong());
                    }
                    ui.end_row();
                    for person in people {
                        for (n, role) in person.roles.iter().enumerate() {
                            if n == 0 {
                                if ui.link(&person.name).clicked() {
                                    out.push(Command::ShowEntity(crate::model::EntityKind::Person, person.name.clone()));
                                }
                            } else {
                                ui.label("");
                            }
                            ui.label(&role.role);
                            ui.label(role.country.as_deref().unwrap_or("—"));
                            let month = |d: &str| d.chars().take(7).collect::<String>();
                            let when = match (&role.first, &role.last) {
                                (Some(f), Some(l)) if month(f) != month(l) => format!("{} … {}", month(f), month(l)),
                                (Some(f), _) => month(f),
                                _ => "—".to_owned(),
                            };
                            ui.label(when);
                            ui.label(role.documents.len().to_string()).on_hover_text(role.documents.join("\n"));
                            ui.end_row();
                        }
                    }
                });
            });
        });
    if !open {
        out.push(Command::ToggleOffices);
    }
}
