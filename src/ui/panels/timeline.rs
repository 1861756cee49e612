//! The timeline: documents by date, grouped by year, coloured by body; the
//! events the texts mention, lighter, between them.

use super::{Commands, ViewCtx};
use crate::index::{EventRow, TimelineRow};
use crate::model::Analysis;
use crate::ui::command::Command;
use crate::ui::i18n::{Lang, body_short, doc_kind_name, tr};
use crate::ui::loader::LoadedCorpus;
use crate::ui::theme::body_color;

const YEAR_HEIGHT: f32 = 30.0;
const DOC_HEIGHT: f32 = 48.0;
const EVENT_HEIGHT: f32 = 18.0;

/// One line of the timeline.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Line {
    Year(Option<i32>),
    /// A row of [`CorpusIndex::timeline`](crate::index::CorpusIndex::timeline).
    Doc(usize),
    /// A row of [`CorpusIndex::events`](crate::index::CorpusIndex::events).
    Event(usize),
}

/// The timeline's lines and where each one starts, built once per corpus
/// and filter (157 k lines on 100 MB with events shown): a frame only
/// finds the lines in view and draws those.
#[derive(Default)]
pub struct TimelineRows {
    /// The corpus ([`LoadedCorpus::generation`]) and the events filter the rows were built for.
    key: Option<(u64, bool)>,
    lines: Vec<Line>,
    /// Top of each line, and the total height last.
    tops: Vec<f32>,
    /// Document → its line, for scrolling to the open document.
    line_of_doc: Vec<Option<usize>>,
    /// Lines drawn in the last frame.
    pub drawn_last_frame: usize,
}

impl TimelineRows {
    /// Rebuilds the rows when the corpus or the filter changed.
    fn refresh(&mut self, corpus: &LoadedCorpus, show_events: bool) {
        let key = (corpus.generation, show_events);
        if self.key == Some(key) {
            return;
        }
        self.key = Some(key);
        self.lines = lines(&corpus.index.timeline, &corpus.index.events, &corpus.analysis, show_events);
        self.tops.clear();
        self.tops.reserve(self.lines.len() + 1);
        let mut y = 0.0;
        self.line_of_doc = vec![None; corpus.analysis.documents.len()];
        for (i, line) in self.lines.iter().enumerate() {
            self.tops.push(y);
            y += line_height(*line);
            if let Line::Doc(r) = line
                && let Some(slot) = self.line_of_doc.get_mut(corpus.index.timeline[*r].doc.0)
            {
                *slot = Some(i);
            }
        }
        self.tops.push(y);
    }
}

fn line_height(line: Line) -> f32 {
    match line {
        Line::Year(_) => YEAR_HEIGHT,
        Line::Doc(_) => DOC_HEIGHT,
        Line::Event(_) => EVENT_HEIGHT,
    }
}

/// Draws the timeline.
pub fn timeline_ui(ctx: &ViewCtx<'_>, rows: &mut TimelineRows, ui: &mut egui::Ui, out: &mut Commands) {
    let saved = &ctx.state.saved;
    let lang = saved.lang;
    ui.horizontal(|ui| {
        ui.heading(tr(lang, "timeline"));
        ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
            let mut show = saved.show_events;
            if ui.checkbox(&mut show, tr(lang, "events")).changed() {
                out.push(Command::ToggleEvents);
            }
        });
    });
    ui.separator();
    let Some(corpus) = ctx.corpus else {
        ui.add_space(8.0);
        ui.spinner();
        return;
    };
    rows.refresh(corpus, saved.show_events);
    let dark = ui.visuals().dark_mode;
    let view = &ctx.state.view;
    let selected_top = view.doc.and_then(|d| rows.line_of_doc.get(d.0).copied().flatten()).map(|i| rows.tops[i]);
    let mut area = egui::ScrollArea::vertical().id_salt("timeline-scroll").auto_shrink([false, false]);
    if view.scroll_to == Some(0)
        && let Some(top) = selected_top
    {
        area = area.vertical_scroll_offset((top - 200.0).max(0.0));
    }
    let total = rows.tops.last().copied().unwrap_or(0.0);
    rows.drawn_last_frame = 0;
    area.show_viewport(ui, |ui, viewport| {
        let origin = ui.cursor().min;
        let width = ui.available_width();
        // Only the lines in view are drawn.
        let first = rows.tops.partition_point(|t| *t <= viewport.min.y).saturating_sub(1);
        let mut i = first;
        while i < rows.lines.len() && rows.tops[i] < viewport.max.y {
            let line = rows.lines[i];
            let rect = egui::Rect::from_min_size(origin + egui::vec2(0.0, rows.tops[i]), egui::vec2(width, line_height(line)));
            let mut child = ui.new_child(egui::UiBuilder::new().max_rect(rect).layout(egui::Layout::top_down(egui::Align::Min)));
            let ui = &mut child;
            match line {
                Line::Year(y) => {
                    ui.add_space(6.0);
                    let label = y.map_or_else(|| "—".to_owned(), |y| y.to_string());
                    ui.label(egui::RichText::new(label).strong().size(15.0));
                }
                Line::Doc(r) => {
                    let row = &corpus.index.timeline[r];
                    let doc = &corpus.analysis.documents[row.doc];
                    let selected = view.doc == Some(row.doc);
                    let hover = if doc.title_inferred() {
                        format!("{}\n{}", doc.title, tr(lang, "inferred_title"))
                    } else {
                        doc.title.clone()
                    };
                    let response = doc_row(ui, row, &doc.title, lang, dark, selected).on_hover_text(hover);
                    if response.clicked() {
                        out.push(Command::OpenDocument(row.doc));
                    }
                }
                Line::Event(r) => {
                    let row = &corpus.index.events[r];
                    let Some(ev) = row.event(&corpus.analysis) else {
                        i += 1;
                        continue;
                    };
                    let text = format!(
                        "   ◦ {}  {}{}",
                        short_date(&ev.start),
                        ev.label,
                        ev.place.as_deref().map(|p| format!(" · {p}")).unwrap_or_default()
                    );
                    // Lighter than a document, yet readable on both themes:
                    // the body colour, a little faded, at a small size.
                    let color = ui.visuals().text_color().gamma_multiply(0.78);
                    let rich = egui::RichText::new(text).size(12.0).color(color);
                    let r = ui.add(egui::Label::new(rich).truncate().sense(egui::Sense::click()));
                    let r = r.on_hover_text(format!("{} — {}", ev.label, corpus.analysis.documents[row.doc].title));
                    if r.clicked() {
                        out.push(Command::Jump { doc: row.doc, paragraph: ev.paragraph, span: None });
                    }
                }
            }
            rows.drawn_last_frame += 1;
            i += 1;
        }
        ui.allocate_rect(egui::Rect::from_min_size(origin, egui::vec2(width, total)), egui::Sense::hover());
    });
}

/// The lines in order: each document under its year, the events it
/// mentions (when shown) before the first document dated after them.
fn lines(docs: &[TimelineRow], events: &[EventRow], analysis: &Analysis, show_events: bool) -> Vec<Line> {
    let mut out = Vec::new();
    let mut year: Option<Option<i32>> = None;
    let mut ev = events.iter().enumerate().filter_map(|(i, row)| Some((i, row, row.event(analysis)?))).peekable();
    let push_year = |out: &mut Vec<Line>, y: Option<i32>, year: &mut Option<Option<i32>>| {
        if *year != Some(y) {
            out.push(Line::Year(y));
            *year = Some(y);
        }
    };
    for (d, row) in docs.iter().enumerate() {
        while let Some((i, r, _)) =
            ev.peek().copied().filter(|(_, _, e)| show_events && row.date.as_deref().is_some_and(|d| e.start.as_str() < d))
        {
            push_year(&mut out, r.year, &mut year);
            out.push(Line::Event(i));
            ev.next();
        }
        push_year(&mut out, row.year, &mut year);
        out.push(Line::Doc(d));
    }
    if show_events {
        for (i, r, _) in ev {
            push_year(&mut out, r.year, &mut year);
            out.push(Line::Event(i));
        }
    }
    out
}

fn short_date(iso: &str) -> &str {
    iso.get(5..10).filter(|s| s.len() == 5).unwrap_or(iso)
}

fn doc_row(ui: &mut egui::Ui, row: &TimelineRow, title: &str, lang: Lang, dark: bool, selected: bool) -> egui::Response {
    let color = body_color(row.body, dark);
    let date = row.date.as_deref().map(short_date).unwrap_or("—");
    let what = match (&row.body_label, row.body) {
        (Some(label), _) => label.as_str(),
        (None, Some(_)) => body_short(lang, row.body),
        (None, None) => doc_kind_name(lang, row.kind),
    };
    let ordinal = row.ordinal.map(|n| tr(lang, "ordinal_short").replace("{}", &n.to_string())).unwrap_or_default();
    let place = row.place.as_deref().map(|p| if p == "视频" { tr(lang, "video") } else { p }).unwrap_or("");
    let strong = ui.visuals().strong_text_color();
    let weak = ui.visuals().weak_text_color();
    let font = egui::FontId::proportional(14.0);
    let small = egui::FontId::proportional(12.5);
    let mut job = egui::text::LayoutJob::default();
    job.append("▍", 0.0, egui::TextFormat::simple(font.clone(), color));
    job.append(&format!("{date}  "), 0.0, egui::TextFormat::simple(font.clone(), strong));
    job.append(what, 0.0, egui::TextFormat::simple(font.clone(), color));
    if !ordinal.is_empty() {
        job.append(&format!(" {ordinal}"), 0.0, egui::TextFormat::simple(small.clone(), weak));
    }
    let second = if place.is_empty() { title.to_owned() } else { format!("{place} · {title}") };
    let max_chars = ((ui.available_width() - 24.0) / 12.5).max(6.0) as usize;
    let second: String = if second.chars().count() > max_chars {
        second.chars().take(max_chars.saturating_sub(1)).chain(std::iter::once('…')).collect()
    } else {
        second
    };
    job.append(&format!("\n{second}"), 0.0, egui::TextFormat::simple(small, weak));
    let fill = if selected { ui.visuals().selection.bg_fill } else { ui.visuals().faint_bg_color };
    ui.add(egui::Button::new(job).fill(fill).min_size(egui::vec2(ui.available_width(), 0.0)))
}
