//! The document: title, meeting line, attendees, and numbered paragraphs
//! with entities highlighted. Only the paragraphs in view are laid out, and
//! their layouts are cached, so a 5 MB document scrolls like a 5 KB one.

use super::{Commands, ViewCtx};
use crate::corpus::SourceFormat;
use crate::model::DocumentAnalysis;
use crate::model::{DocIx, ParagraphSpan};
use crate::model::{Entity, EntityKind};
use crate::ui::command::Command;
use crate::ui::corrections_state::CorrectionForm;
use crate::ui::i18n::{Lang, body_name, doc_kind_name, kind_name, status_name, tr};
use crate::ui::notes_state::Selection;
use crate::ui::state::FocusTarget;
use crate::ui::theme::{entity_accent, entity_background, flash};
use egui::text::{LayoutJob, TextFormat};
use egui::{Galley, Rect, Sense, Vec2, vec2};
use std::collections::HashMap;
use std::sync::Arc;

const GUTTER: f32 = 46.0;
/// Widest the text column gets (about 45 characters of body text per line).
const MAX_TEXT_WIDTH: f32 = 900.0;
const SPACING: f32 = 12.0;
const BODY_SIZE: f32 = 16.5;
const FLASH_SECONDS: f64 = 1.8;
/// Blank space after the last paragraph (the selection bar's height and more).
const BOTTOM_ROOM: f32 = 72.0;
/// Layouts kept beyond those on screen.
const CACHE_LIMIT: usize = 400;

#[derive(Clone, Copy, Debug, PartialEq)]
struct LayoutKey {
    doc: DocIx,
    width: u32,
    hidden: u8,
    dark: bool,
    find: u64,
}

/// Layout cache of the open document.
#[derive(Default)]
pub struct DocLayout {
    key: Option<LayoutKey>,
    heights: Vec<f32>,
    measured: Vec<bool>,
    tops: Vec<f32>,
    galleys: HashMap<usize, Arc<Galley>>,
    /// Entity indices per paragraph.
    spans: Vec<Vec<usize>>,
    header_height: f32,
    /// Paragraphs laid out (not served from the cache) in the last frame.
    pub laid_out_last_frame: usize,
    /// Paragraphs drawn in the last frame.
    pub drawn_last_frame: usize,
    /// Where each paragraph drawn in the last frame had its text (screen).
    text_origins: HashMap<usize, egui::Pos2>,
    /// Frames left in which a pending jump is re-applied as heights settle.
    settle: u8,
    settle_target: Option<usize>,
}

impl DocLayout {
    fn reset(&mut self, key: LayoutKey, doc: &DocumentAnalysis) {
        let width = key.width as f32;
        self.key = Some(key);
        self.galleys.clear();
        self.heights = doc.paragraphs.iter().map(|p| estimate_height(p.text.chars().count(), p.heading, width)).collect();
        self.measured = vec![false; doc.paragraphs.len()];
        self.spans = vec![Vec::new(); doc.paragraphs.len()];
        for (i, e) in doc.entities.iter().enumerate() {
            if let Some(s) = self.spans.get_mut(e.paragraph()) {
                s.push(i);
            }
        }
        self.recompute_tops();
    }

    fn recompute_tops(&mut self) {
        self.tops.clear();
        let mut y = 0.0;
        for h in &self.heights {
            self.tops.push(y);
            y += h + SPACING;
        }
        self.tops.push(y);
    }

    /// Where char `c` of paragraph `p` was drawn in the last frame (screen
    /// points, the left edge of the char, halfway down its row), if it was
    /// on screen: what a pointer aims at to select from that char.
    pub fn char_screen_pos(&self, p: usize, c: usize) -> Option<egui::Pos2> {
        let origin = self.text_origins.get(&p)?;
        let galley = self.galleys.get(&p)?;
        let r = galley.pos_from_cursor(egui::text::CCursor::new(c));
        Some(*origin + vec2(r.min.x + 0.5, r.center().y))
    }

    /// Y of paragraph `p` in the scroll content.
    fn y_of(&self, p: usize) -> f32 {
        self.header_height + self.tops.get(p).copied().unwrap_or(0.0)
    }
}

fn font_size(heading: Option<u8>) -> f32 {
    match heading {
        Some(1) => 23.0,
        Some(2) => 19.5,
        Some(_) => 18.0,
        None => BODY_SIZE,
    }
}

fn estimate_height(chars: usize, heading: Option<u8>, width: f32) -> f32 {
    let size = font_size(heading);
    let per_line = ((width - GUTTER) / size).max(1.0);
    let lines = (chars as f32 / per_line).ceil().max(1.0);
    lines * size * 1.45
}

fn hidden_mask(hidden: &[EntityKind]) -> u8 {
    EntityKind::ALL.iter().enumerate().filter(|(_, k)| hidden.contains(k)).fold(0, |m, (i, _)| m | (1 << i))
}

/// Draws the document view.
pub fn document_ui(ctx: &ViewCtx<'_>, layout: &mut DocLayout, ui: &mut egui::Ui, out: &mut Commands) {
    let state = ctx.state;
    let lang = state.saved.lang;
    let Some(corpus) = ctx.corpus else {
        ui.centered_and_justified(|ui| ui.spinner());
        return;
    };
    let Some(d) = state.view.doc.filter(|d| d.0 < corpus.analysis.documents.len()) else {
        ui.centered_and_justified(|ui| ui.label(egui::RichText::new(tr(lang, "no_document")).weak()));
        return;
    };
    let doc = &corpus.analysis.documents[d];
    let dark = ui.visuals().dark_mode;
    if state.find.open {
        find_bar_ui(ctx, ui, out);
    }
    let panel_rect = ui.max_rect();
    // A comfortable reading measure on wide windows.
    let width = (ui.available_width() - 16.0).clamp(200.0, MAX_TEXT_WIDTH);
    let find_gen = if state.find.open { state.find.generation } else { 0 };
    let find_gen = find_gen.wrapping_mul(31).wrapping_add(state.notes.generation);
    let key = LayoutKey { doc: d, width: width as u32, hidden: hidden_mask(&state.saved.hidden_kinds), dark, find: find_gen };
    if layout.key != Some(key) {
        layout.reset(key, doc);
    }
    let mut target = state.view.scroll_to;
    if target.is_some() {
        layout.settle = 3;
        layout.settle_target = target;
    } else if layout.settle > 0 {
        layout.settle -= 1;
        target = layout.settle_target;
    }
    let mut area = egui::ScrollArea::vertical().id_salt(("document", d)).auto_shrink([false, false]).animated(false);
    if let Some(p) = target {
        let y = if p == 0 { 0.0 } else { (layout.y_of(p) - 48.0).max(0.0) };
        area = area.vertical_scroll_offset(y);
    }
    let now = ui.input(|i| i.time);
    let flash_para = state.view.flash.filter(|(_, t)| now - t < FLASH_SECONDS);
    let mut selection = state.notes.selection.filter(|s| s.doc == d);
    let mut selection_changed = false;
    // Notes of this document only (the marks of each visible paragraph are picked below).
    let doc_notes: Vec<(usize, usize, usize, egui::Color32)> = state
        .notes
        .notes
        .iter()
        .filter_map(|(n, a)| {
            a.place().filter(|p| p.0 == d).map(|p| (p.1, p.2, p.3, crate::ui::theme::note_color(&n.color, dark)))
        })
        .collect();
    let hidden = &state.saved.hidden_kinds;
    let find_hits: &[ParagraphSpan] = if state.find.open { &state.find.hits } else { &[] };
    let current_hit = find_hits.get(state.find.current).copied();
    // The span a jump from a search hit or a card landed on.
    let jumped = state.view.highlight.filter(|(doc, _)| *doc == d).map(|(_, span)| span);
    // What is new since the body's earlier meetings, when asked for.
    let novelty = state.view.novelty.as_ref().filter(|(doc, _)| state.view.show_novelty && *doc == d).map(|(_, n)| n);
    area.show_viewport(ui, |ui, viewport| {
        let top = ui.cursor().min.y;
        header_ui(ui, doc, lang);
        // Compare with the previous meeting of the body (or the document
        // before on the timeline), or tint what is new since the earlier ones.
        ui.horizontal_wrapped(|ui| {
            if let Some(earlier) = super::compare::default_partner(ctx, d)
                && ui.link(tr(lang, "compare_previous")).clicked()
            {
                out.push(Command::Compare(earlier, d));
            }
            let mut on = state.view.show_novelty;
            if ui.checkbox(&mut on, tr(lang, "novelty_toggle")).changed() {
                out.push(Command::SetNovelty(on));
            }
        });
        if let Some(novelty) = novelty {
            novelty_summary(ui, novelty, lang);
        } else if state.view.show_novelty && state.view.novelty_computing == Some(d) {
            super::computing(ui, tr(lang, "novelty_computing"));
        }
        ui.add_space(10.0);
        layout.header_height = ui.cursor().min.y - top;
        let origin = ui.cursor().min;
        let rel_top = viewport.min.y - layout.header_height;
        let rel_bottom = viewport.max.y - layout.header_height;
        let first = layout.tops.partition_point(|y| *y <= rel_top).saturating_sub(1);
        let mut changed = false;
        layout.laid_out_last_frame = 0;
        layout.drawn_last_frame = 0;
        layout.text_origins.clear();
        let mut i = first;
        while i < doc.paragraphs.len() && layout.tops[i] < rel_bottom {
            let galley = match layout.galleys.get(&i) {
                Some(g) => g.clone(),
                None => {
                    let lo = find_hits.partition_point(|h| h.paragraph < i);
                    let hi = find_hits.partition_point(|h| h.paragraph <= i);
                    let marks: Vec<(usize, usize, bool)> =
                        find_hits[lo..hi].iter().map(|h| (h.start, h.end, Some(*h) == current_hit)).collect();
                    let job = paragraph_job(ui, doc, i, &layout.spans[i], hidden, &marks, dark, width - GUTTER);
                    let g = ui.painter().layout_job(job);
                    layout.laid_out_last_frame += 1;
                    layout.galleys.insert(i, g.clone());
                    g
                }
            };
            let h = galley.size().y;
            if !layout.measured[i] || (layout.heights[i] - h).abs() > 0.5 {
                layout.heights[i] = h;
                layout.measured[i] = true;
                changed = true;
            }
            let rect = Rect::from_min_size(origin + vec2(0.0, layout.tops[i]), vec2(width, h));
            if let Some((p, t)) = flash_para
                && p == i
            {
                let alpha = 1.0 - ((now - t) / FLASH_SECONDS) as f32;
                ui.painter().rect_filled(rect.expand2(vec2(4.0, 4.0)), 4.0, flash(dark, alpha));
                ui.ctx().request_repaint();
            }
            let number = egui::RichText::new(format!("{}", i + 1)).size(12.0).color(ui.visuals().weak_text_color());
            let num_galley = egui::WidgetText::from(number).into_galley(
                ui,
                Some(egui::TextWrapMode::Extend),
                f32::INFINITY,
                egui::TextStyle::Body,
            );
            let num_pos = rect.min + vec2(GUTTER - 10.0 - num_galley.size().x, 3.0);
            let num_bottom = num_pos.y + num_galley.size().y;
            ui.painter().galley(num_pos, num_galley, ui.visuals().weak_text_color());
            // A PDF's page, where a paragraph starts a new one.
            let page = doc.paragraphs[i].page;
            if let Some(n) = page
                && (i == 0 || doc.paragraphs[i - 1].page != page)
            {
                let label = egui::RichText::new(format!("p. {n}")).size(10.0).weak();
                let page_galley = egui::WidgetText::from(label).into_galley(
                    ui,
                    Some(egui::TextWrapMode::Extend),
                    f32::INFINITY,
                    egui::TextStyle::Small,
                );
                let page_pos = egui::pos2(rect.min.x + GUTTER - 10.0 - page_galley.size().x, num_bottom + 1.0);
                let page_rect = Rect::from_min_size(page_pos, page_galley.size());
                // A label (not only paint), so screen readers and tests find it.
                ui.put(page_rect, egui::Label::new(page_galley).selectable(false));
            }
            let text_pos = rect.min + vec2(GUTTER, 0.0);
            let text_rect = Rect::from_min_size(text_pos, galley.size());
            layout.text_origins.insert(i, text_pos);
            // Notes under the text (a band a little taller than the line, so
            // entity colours stay visible inside it) and a margin marker.
            if let Some(novelty) = novelty {
                let wash = crate::ui::theme::novelty(dark);
                for sentence in novelty.new.iter().filter(|s| s.paragraph == i) {
                    for r in range_rects(&galley, sentence.start, sentence.end) {
                        ui.painter().rect_filled(r.translate(text_pos.to_vec2()).expand2(vec2(0.0, 2.0)), 2.0, wash);
                    }
                }
            }
            for (_, s, e, color) in doc_notes.iter().filter(|m| m.0 == i) {
                for r in range_rects(&galley, *s, *e) {
                    ui.painter().rect_filled(r.translate(text_pos.to_vec2()).expand2(vec2(1.0, 3.0)), 3.0, *color);
                }
                ui.painter().circle_filled(rect.min + vec2(7.0, 11.0), 4.5, color.to_opaque());
            }
            ui.painter().galley(text_pos, galley.clone(), ui.visuals().text_color());
            // The span a jump landed on, over the text (inside an entity's
            // background too): a wash and an outline in the find colour.
            if let Some(span) = jumped.filter(|span| span.paragraph == i) {
                let color = crate::ui::theme::find_hit(dark, true);
                for r in range_rects(&galley, span.start, span.end) {
                    let r = r.translate(text_pos.to_vec2()).expand2(vec2(1.0, 1.0));
                    ui.painter().rect_filled(r, 2.0, color.gamma_multiply(0.35));
                    ui.painter().rect_stroke(r, 2.0, egui::Stroke::new(2.0, color), egui::StrokeKind::Outside);
                }
            }
            // The selection over the text (entity backgrounds are part of
            // the text's layout, so a wash under it would be hidden).
            if let Some((s, e)) = selection.filter(|sel| sel.paragraph == i).and_then(|sel| sel.range()) {
                let (fill, stroke) = crate::ui::theme::selection(dark);
                for r in range_rects(&galley, s, e) {
                    let r = r.translate(text_pos.to_vec2());
                    ui.painter().rect_filled(r, 2.0, fill);
                    ui.painter().rect_stroke(r, 2.0, stroke, egui::StrokeKind::Outside);
                }
            }
            let response = ui.interact(text_rect, ui.scope_id().with(("paragraph", d, i)), Sense::click_and_drag());
            // Drag to select a passage (within one paragraph).
            if response.drag_started() {
                // egui starts a drag once the pointer has moved a few
                // pixels: the selection starts where the button went down,
                // not where the drag was recognised.
                let origin = ui.input(|inp| inp.pointer.press_origin()).or_else(|| response.interact_pointer_pos());
                if let (Some(origin), Some(pos)) = (origin, response.interact_pointer_pos()) {
                    let anchor = galley.cursor_from_pos(origin - text_pos).index.0;
                    let head = galley.cursor_from_pos(pos - text_pos).index.0;
                    selection = Some(Selection { doc: d, paragraph: i, anchor, head });
                    selection_changed = true;
                }
            } else if response.dragged() {
                if let (Some(pos), Some(sel)) = (response.interact_pointer_pos(), selection.as_mut())
                    && sel.paragraph == i
                {
                    sel.head = galley.cursor_from_pos(pos - text_pos).index.0;
                    selection_changed = true;
                }
            } else if response.clicked() && selection.is_some() {
                selection = None;
                selection_changed = true;
            }
            // The entity under the pointer when the menu opens is the one it corrects.
            let menu_entity = ui.make_persistent_id(("menu-entity", d, i));
            if response.secondary_clicked()
                && let Some(pos) = response.interact_pointer_pos()
            {
                let idx = galley.cursor_from_pos(pos - text_pos).index.0;
                let found = entity_at(doc, &layout.spans[i], hidden, idx)
                    .filter(|e| crate::corrections::apply::rejectable(doc, e))
                    .cloned();
                ui.ctx().data_mut(|data| data.insert_temp(menu_entity, found));
            }
            let under: Option<Entity> = ui.ctx().data(|data| data.get_temp(menu_entity)).flatten();
            paragraph_menu(ctx, &response, doc, d, i, selection.filter(|s| s.paragraph == i), under.as_ref(), out);
            if let Some(pos) = response.hover_pos() {
                let cursor = galley.cursor_from_pos(pos - text_pos);
                if let Some(e) = entity_at(doc, &layout.spans[i], hidden, cursor.index.0) {
                    ui.ctx().set_cursor_icon(egui::CursorIcon::PointingHand);
                    let tip = tooltip_text(corpus, e, lang);
                    let response = response.clone().on_hover_text_at_pointer(tip);
                    if response.clicked() {
                        out.push(Command::ShowEntity(e.kind, e.canonical.to_string()));
                    }
                }
            }
            layout.drawn_last_frame += 1;
            i += 1;
        }
        if changed {
            layout.recompute_tops();
        }
        if selection_changed {
            out.push(Command::Select(selection));
        }
        if layout.galleys.len() > CACHE_LIMIT {
            let keep = first..i;
            layout.galleys.retain(|k, _| keep.contains(k));
        }
        // Room below the last paragraph, so that it can be scrolled above the
        // floating selection bar.
        let total = layout.tops.last().copied().unwrap_or(0.0) + BOTTOM_ROOM;
        ui.allocate_rect(Rect::from_min_size(origin, Vec2::new(width, total)), Sense::hover());
    });
    // Over the text, never in its flow (the text under the pointer never
    // moves), and out of the way while a passage is being dragged over.
    if ui.ctx().dragged_id().is_none() && ctx.state.notes.draft.is_none() {
        selection_bar_ui(ctx, ui, panel_rect, doc, d, out);
    }
}

/// The right-click menu of a paragraph: on a selection, copy it (plain or
/// with its citation), note it, search the corpus for it; elsewhere, copy
/// the paragraph or its citation.
#[expect(
    clippy::too_many_arguments,
    reason = "the menu's target is a document, a paragraph, a selection and an entity; a struct for one call would only rename them"
)]
fn paragraph_menu(
    ctx: &ViewCtx<'_>,
    response: &egui::Response,
    doc: &DocumentAnalysis,
    d: DocIx,
    p: usize,
    selection: Option<Selection>,
    under: Option<&Entity>,
    out: &mut Commands,
) {
    let lang = ctx.state.saved.lang;
    let writable = ctx.state.notes.available();
    response.context_menu(|ui| {
        // On a highlighted entity: correct it.
        if let Some(e) = under {
            ui.label(egui::RichText::new(format!("{} · {}", kind_name(lang, e.kind), e.canonical)).weak());
            if ui.add_enabled(writable, egui::Button::new(tr(lang, "not_entity"))).clicked() {
                out.push(Command::RejectEntity { doc: d, paragraph: p, start: e.chars().start, end: e.chars().end });
                ui.close();
            }
            // An agreement mention (该协定) can be rejected, not marked as another kind.
            if e.kind != EntityKind::Agreement
                && ui.add_enabled(writable, egui::Button::new(tr(lang, "correct_entity"))).clicked()
            {
                let form = CorrectionForm::new(d, p, e.chars().start, e.chars().end, doc.entity_text(e), e.kind, &e.canonical);
                out.push(Command::ShowCorrectionForm(form));
                ui.close();
            }
            ui.separator();
        }
        menu_items(ctx, ui, doc, d, p, selection, out);
    });
}

/// The paragraph menu's items on a selection, or on the whole paragraph.
fn menu_items(
    ctx: &ViewCtx<'_>,
    ui: &mut egui::Ui,
    doc: &DocumentAnalysis,
    d: DocIx,
    p: usize,
    selection: Option<Selection>,
    out: &mut Commands,
) {
    let lang = ctx.state.saved.lang;
    let writable = ctx.state.notes.available();
    match selection.and_then(|s| s.range()) {
        Some((start, end)) => {
            let quote: String = doc.paragraphs[p].text.chars().skip(start).take(end - start).collect();
            ui.add_enabled_ui(writable, |ui| {
                ui.menu_button(tr(lang, "mark_as_menu"), |ui| {
                    for kind in crate::ui::corrections_state::MARK_KINDS {
                        if ui.button(kind_name(lang, kind)).clicked() {
                            let form = CorrectionForm::new(d, p, start, end, &quote, kind, &quote);
                            out.push(Command::ShowCorrectionForm(form));
                            ui.close();
                        }
                    }
                });
            });
            if ui.add(egui::Button::new(tr(lang, "copy")).shortcut_text("Ctrl+C")).clicked() {
                out.push(Command::CopySelection { cite: false });
                ui.close();
            }
            if ui.button(tr(lang, "copy_cited")).clicked() {
                out.push(Command::CopySelection { cite: true });
                ui.close();
            }
            let enabled = ctx.state.notes.available();
            if ui.add_enabled(enabled, egui::Button::new(tr(lang, "add_note")).shortcut_text("Ctrl+Shift+N")).clicked() {
                out.push(Command::AddNote);
                ui.close();
            }
            if ui.button(tr(lang, "search_for_this")).clicked() {
                let text: String = doc.paragraphs[p].text.chars().skip(start).take(end - start).collect();
                out.push(Command::SearchFor(text));
                ui.close();
            }
        }
        None => {
            let all = doc.paragraphs[p].text.chars().count();
            let whole = Some(Selection { doc: d, paragraph: p, anchor: 0, head: all });
            if ui.button(tr(lang, "copy_paragraph")).clicked() {
                out.push(Command::Select(whole));
                out.push(Command::CopySelection { cite: false });
                out.push(Command::Select(None));
                ui.close();
            }
            if ui.button(tr(lang, "copy_paragraph_cited")).clicked() {
                out.push(Command::Select(whole));
                out.push(Command::CopySelection { cite: true });
                out.push(Command::Select(None));
                ui.close();
            }
        }
    }
}

/// The line under the header when new sentences are tinted: how many, the
/// agreements cited for the first time, the first mentions.
fn novelty_summary(ui: &mut egui::Ui, novelty: &crate::compare::novelty::Novelty, lang: Lang) {
    let mut text = tr(lang, "novelty_summary")
        .replace("{s}", &novelty.new.len().to_string())
        .replace("{a}", &novelty.first_cited.len().to_string());
    if novelty.earlier == 0 {
        text.push_str(tr(lang, "novelty_none_before"));
    }
    ui.label(egui::RichText::new(text).color(crate::ui::theme::novelty(ui.visuals().dark_mode).to_opaque()));
    if !novelty.first_mentioned.is_empty() && novelty.earlier > 0 {
        let names: Vec<&str> = novelty.first_mentioned.iter().map(|(_, n)| n.as_str()).take(12).collect();
        let more = if novelty.first_mentioned.len() > names.len() { "…" } else { "" };
        ui.add(
            egui::Label::new(
                egui::RichText::new(format!("{}{}{more}", tr(lang, "novelty_first"), names.join("、"))).weak().small(),
            )
            .wrap(),
        );
    }
}

fn header_ui(ui: &mut egui::Ui, doc: &DocumentAnalysis, lang: Lang) {
    // A title written in the text is its first paragraph; an inferred one goes here.
    let written = doc.paragraphs.first().is_some_and(|p| p.heading == Some(1) && p.text == doc.title);
    if !written {
        ui.add(egui::Label::new(egui::RichText::new(&doc.title).size(24.0).strong()).wrap());
        // A title the text does not carry near its top was made by the reader.
        if doc.title_inferred() {
            ui.label(egui::RichText::new(tr(lang, "inferred_title")).small().italics().weak())
                .on_hover_text(tr(lang, "inferred_title_help"));
        }
    }
    let mut parts: Vec<String> = vec![doc_kind_name(lang, doc.kind).to_owned()];
    if let Some(m) = &doc.meeting {
        parts.push(m.body_label.clone().unwrap_or_else(|| body_name(lang, Some(m.body)).to_owned()));
        if let Some(n) = m.ordinal {
            parts.push(tr(lang, "ordinal").replace("{}", &n.to_string()));
        }
        match (&m.start, &m.end) {
            (Some(s), Some(e)) if s != e => parts.push(format!("{s} – {e}")),
            (Some(s), _) => parts.push(s.clone()),
            _ => {}
        }
        if let Some(p) = &m.place {
            parts.push(if p == "视频" { tr(lang, "video").to_owned() } else { p.clone() });
        }
        if let Some(c) = &m.chair {
            let colon = if lang == Lang::Zh { "：" } else { ": " };
            parts.push(format!("{}{colon}{c}", tr(lang, "chair")));
        }
    }
    // Each part whole: a line breaks between parts, never inside a name.
    ui.horizontal_wrapped(|ui| {
        for (k, part) in parts.iter().enumerate() {
            if k > 0 {
                ui.label(egui::RichText::new("·").size(14.0).weak());
            }
            ui.add(egui::Label::new(egui::RichText::new(part).size(14.0)).wrap_mode(egui::TextWrapMode::Extend));
        }
    });
    // Where the text comes from: the file, its format when it was
    // converted, the page's publication time and dateline, and its address.
    let mut source = vec![doc.source.clone()];
    if !matches!(doc.origin.format, SourceFormat::Text | SourceFormat::Markdown) {
        source.push(doc.origin.format.label().to_owned());
    }
    if let Some(published) = &doc.origin.published {
        source.push(format!("{}: {published}", tr(lang, "published")));
    }
    if let Some(dateline) = &doc.dateline {
        source.push(format!("{}: {dateline}", tr(lang, "dateline")));
    }
    ui.add(egui::Label::new(egui::RichText::new(source.join("  ·  ")).small().weak()).wrap());
    if let Some(url) = &doc.origin.url {
        ui.add(egui::Hyperlink::from_label_and_url(egui::RichText::new(url).small(), url).open_in_new_tab(true));
    }
    // Photo captions, set apart from the text they were scraped into.
    for caption in &doc.captions {
        let stroke = egui::Stroke::new(2.0, ui.visuals().weak_text_color());
        egui::Frame::new().inner_margin(egui::Margin { left: 10, right: 4, top: 4, bottom: 4 }).show(ui, |ui| {
            let rect = ui.max_rect();
            ui.painter().vline(rect.left() - 6.0, rect.y_range(), stroke);
            let mut job = LayoutJob::default();
            let small = egui::FontId::proportional(12.5);
            job.append(tr(lang, "caption"), 0.0, TextFormat::simple(small.clone(), ui.visuals().strong_text_color()));
            job.append(&format!("  {caption}"), 0.0, TextFormat::simple(small, ui.visuals().weak_text_color()));
            job.wrap.max_width = ui.available_width();
            ui.add(egui::Label::new(job).wrap());
        });
    }
    if let Some(m) = doc.meeting.as_ref().filter(|m| !m.attendees.is_empty()) {
        egui::CollapsingHeader::new(format!("{} ({})", tr(lang, "attendees"), m.attendees.len()))
            .id_salt(("attendees", &doc.id))
            .show(ui, |ui| {
                egui::Grid::new(("attendee-grid", &doc.id)).num_columns(4).striped(true).spacing([14.0, 4.0]).show(ui, |ui| {
                    for h in ["name", "role", "country_org", "status"] {
                        ui.label(egui::RichText::new(tr(lang, h)).strong());
                    }
                    ui.end_row();
                    for a in &m.attendees {
                        ui.add(egui::Label::new(&a.name).wrap_mode(egui::TextWrapMode::Extend));
                        ui.label(&a.role);
                        ui.label(a.country.as_deref().or(a.organization.as_deref()).unwrap_or("—"));
                        ui.label(status_name(lang, a.status));
                        ui.end_row();
                    }
                });
            });
    }
}

/// The innermost visible entity covering char `idx`.
fn entity_at<'a>(doc: &'a DocumentAnalysis, spans: &[usize], hidden: &[EntityKind], idx: usize) -> Option<&'a Entity> {
    spans
        .iter()
        .map(|&k| &doc.entities[k])
        .filter(|e| !hidden.contains(&e.kind) && e.chars().contains(&idx))
        .min_by_key(|e| e.end() - e.start)
}

fn tooltip_text(corpus: &crate::ui::loader::LoadedCorpus, e: &Entity, lang: Lang) -> String {
    let count = corpus.index.count(e.kind, &e.canonical);
    let name = if e.kind == EntityKind::Agreement {
        corpus.analysis.agreement(&e.canonical).map_or_else(|| e.canonical.to_string(), |a| format!("《{}》", a.title))
    } else {
        e.canonical.to_string()
    };
    format!("{}  {name}\n{count} {}", kind_name(lang, e.kind), tr(lang, "in_corpus"))
}

/// Rectangles (galley coordinates) covering chars `start..end`, one per row.
fn range_rects(galley: &Galley, start: usize, end: usize) -> Vec<Rect> {
    let mut rects: Vec<Rect> = Vec::new();
    for i in start..end {
        // A char's left edge on its own row (a cursor at a row break would
        // otherwise sit at the end of the row before), its right edge on
        // the same row.
        let a = galley.pos_from_cursor(egui::text::CCursor { index: egui::text::CharIndex(i), prefer_next_row: true });
        let b = galley.pos_from_cursor(egui::text::CCursor::new(i + 1));
        let r = if (b.min.y - a.min.y).abs() < 1.0 { Rect::from_min_max(a.min, egui::pos2(b.min.x, a.max.y)) } else { a };
        match rects.last_mut() {
            Some(last) if (last.min.y - r.min.y).abs() < 1.0 => *last = last.union(r),
            _ => rects.push(r),
        }
    }
    rects
}

/// While a passage is selected: a bar floating over the bottom of the
/// document with the quote and what can be done with it.
fn selection_bar_ui(ctx: &ViewCtx<'_>, ui: &egui::Ui, panel: Rect, doc: &DocumentAnalysis, d: DocIx, out: &mut Commands) {
    let Some(sel) = ctx.state.notes.selection.filter(|s| s.doc == d) else { return };
    let Some((start, end)) = sel.range() else { return };
    let lang = ctx.state.saved.lang;
    let quote: String =
        doc.paragraphs.get(sel.paragraph).map(|p| p.text.chars().skip(start).take(end - start).collect()).unwrap_or_default();
    let width = (panel.width() - 24.0).max(120.0);
    let pos = egui::pos2(panel.left() + 12.0, panel.bottom() - 52.0);
    egui::Area::new(egui::Id::unique(("selection-bar", d)))
        .order(egui::Order::Foreground)
        .fixed_pos(pos)
        .constrain_to(panel)
        .show(ui.ctx(), |ui| {
            egui::Frame::popup(ui.style()).fill(ui.visuals().window_fill.to_opaque()).show(ui, |ui| {
                ui.set_width(width - 16.0);
                ui.set_max_width(width - 16.0);
                // Buttons first, from the right, so they are never clipped; the
                // quote takes what is left and is cut with an ellipsis.
                ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                    if ui.small_button("×").on_hover_text(tr(lang, "clear_selection")).clicked() {
                        out.push(Command::Select(None));
                    }
                    if ui.button(tr(lang, "copy")).on_hover_text("Ctrl+C").clicked() {
                        out.push(Command::CopySelection { cite: false });
                    }
                    let enabled = ctx.state.notes.available();
                    if ui.add_enabled(enabled, egui::Button::new(tr(lang, "add_note"))).on_hover_text("Ctrl+Shift+N").clicked() {
                        out.push(Command::AddNote);
                    }
                    if ui.add_enabled(enabled, egui::Button::new(tr(lang, "mark_as"))).clicked() {
                        let form = CorrectionForm::new(d, sel.paragraph, start, end, &quote, EntityKind::Person, &quote);
                        out.push(Command::ShowCorrectionForm(form));
                    }
                    ui.with_layout(egui::Layout::left_to_right(egui::Align::Center), |ui| {
                        let count = quote.chars().count();
                        ui.label(
                            egui::RichText::new(format!(
                                "¶{} · {}",
                                sel.paragraph + 1,
                                crate::ui::i18n::count(lang, "n_chars", count)
                            ))
                            .weak(),
                        );
                        ui.add(egui::Label::new(format!("「{quote}」")).truncate());
                    });
                });
            });
        });
}

/// The find bar: query, hit count, previous/next, close.
fn find_bar_ui(ctx: &ViewCtx<'_>, ui: &mut egui::Ui, out: &mut Commands) {
    let find = &ctx.state.find;
    let lang = ctx.state.saved.lang;
    ui.horizontal(|ui| {
        let label = ui.label(tr(lang, "find_in_doc"));
        let mut query = find.query.clone();
        let edit = egui::TextEdit::singleline(&mut query).desired_width(260.0).hint_text(tr(lang, "find_hint"));
        let response = ui.add(edit).labelled_by(label.id);
        if response.changed() {
            out.push(Command::SetFindQuery(query));
        }
        if ctx.state.focus == Some(FocusTarget::Find) {
            super::focus_select_all(ui, &response, &find.query);
            out.push(Command::Focused);
        }
        let enter = response.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
        if enter {
            let back = ui.input(|i| i.modifiers.shift);
            out.push(Command::FindStep(if back { -1 } else { 1 }));
            response.request_focus();
        }
        let n = find.hits.len();
        let count = if find.query.trim().is_empty() {
            String::new()
        } else if n == 0 {
            tr(lang, "no_hits").to_owned()
        } else {
            format!("{} / {n}", find.current + 1)
        };
        ui.label(egui::RichText::new(count).weak());
        if ui.add_enabled(n > 0, egui::Button::new("↑")).on_hover_text("Shift+Enter").clicked() {
            out.push(Command::FindStep(-1));
        }
        if ui.add_enabled(n > 0, egui::Button::new("↓")).on_hover_text("Enter").clicked() {
            out.push(Command::FindStep(1));
        }
        if ui.button("×").on_hover_text("Esc").clicked() {
            out.push(Command::CloseFind);
        }
    });
    ui.separator();
}

/// The paragraph's text with each char's innermost visible entity as its
/// background, and find hits (`(start, end, current)`) above them.
#[allow(clippy::too_many_arguments, reason = "one call site; a struct would only rename the arguments")]
fn paragraph_job(
    ui: &egui::Ui,
    doc: &DocumentAnalysis,
    p: usize,
    spans: &[usize],
    hidden: &[EntityKind],
    marks: &[(usize, usize, bool)],
    dark: bool,
    wrap: f32,
) -> LayoutJob {
    let para = &doc.paragraphs[p];
    let size = font_size(para.heading);
    let font = egui::FontId::proportional(size);
    let color = if para.heading.is_some() { ui.visuals().strong_text_color() } else { ui.visuals().text_color() };
    // Tabs (signature lines) become an ideographic space: one char for one char.
    let chars: Vec<char> = para.text.chars().map(|c| if c == '\t' { '\u{3000}' } else { c }).collect();
    let visible: Vec<&Entity> = spans.iter().map(|&k| &doc.entities[k]).filter(|e| !hidden.contains(&e.kind)).collect();
    let mut bounds: Vec<usize> = vec![0, chars.len()];
    for e in &visible {
        bounds.push(e.chars().start.min(chars.len()));
        bounds.push(e.chars().end.min(chars.len()));
    }
    for (s, e, _) in marks {
        bounds.push((*s).min(chars.len()));
        bounds.push((*e).min(chars.len()));
    }
    bounds.sort_unstable();
    bounds.dedup();
    let mut job = LayoutJob::default();
    job.wrap.max_width = wrap;
    for w in bounds.windows(2) {
        let (a, b) = (w[0], w[1]);
        if a >= b {
            continue;
        }
        let text: String = chars[a..b].iter().collect();
        let mut format = TextFormat::simple(font.clone(), color);
        format.line_height = Some(size * 1.45);
        let inner = visible.iter().filter(|e| e.chars().start <= a && b <= e.chars().end).min_by_key(|e| e.end() - e.start);
        if let Some(e) = inner {
            format.background = entity_background(e.kind, dark);
            if e.kind == EntityKind::Agreement {
                format.underline = egui::Stroke::new(1.0, entity_accent(e.kind, dark));
            }
        }
        if let Some((_, _, current)) = marks.iter().find(|(s, e, _)| *s <= a && b <= *e) {
            format.background = crate::ui::theme::find_hit(dark, *current);
            format.color = egui::Color32::BLACK;
        }
        job.append(&text, 0.0, format);
    }
    job
}
