//! The timeline: documents by date, grouped by year, coloured by body; the
//! events the texts mention, lighter, between them.

use crate::index::TimelineRow;
use crate::ui::app::ReaderApp;
use crate::ui::command::Command;
use crate::ui::i18n::{Lang, body_short, doc_kind_name, tr};
use crate::ui::theme::body_color;

const YEAR_HEIGHT: f32 = 30.0;
const DOC_HEIGHT: f32 = 48.0;
const EVENT_HEIGHT: f32 = 18.0;

/// One line of the timeline, computed before drawing.
enum Line<'a> {
    Year(Option<i32>),
    Doc(&'a TimelineRow),
    Event(&'a crate::index::EventRow, &'a crate::model::Event),
}

/// Draws the timeline.
pub fn timeline_ui(app: &mut ReaderApp, ui: &mut egui::Ui) {
    let lang = app.saved.lang;
    ui.horizontal(|ui| {
        ui.heading(tr(lang, "timeline"));
        ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
            let mut show = app.saved.show_events;
            if ui.checkbox(&mut show, tr(lang, "events")).changed() {
                app.push(Command::ToggleEvents);
            }
        });
    });
    ui.separator();
    let Some(corpus) = app.corpus.clone() else {
        ui.add_space(8.0);
        ui.spinner();
        return;
    };
    let dark = ui.visuals().dark_mode;
    let lines = lines(&corpus.index.timeline, &corpus.index.events, &corpus.analysis, app.saved.show_events);
    let mut commands = Vec::new();
    // Only the lines in view are drawn: a corpus can mention thousands of events.
    let heights: Vec<f32> = lines
        .iter()
        .map(|l| match l {
            Line::Year(_) => YEAR_HEIGHT,
            Line::Doc(_) => DOC_HEIGHT,
            Line::Event(..) => EVENT_HEIGHT,
        })
        .collect();
    let mut tops = Vec::with_capacity(heights.len() + 1);
    let mut y = 0.0;
    for h in &heights {
        tops.push(y);
        y += h;
    }
    tops.push(y);
    let total = y;
    let selected_top =
        app.view.doc.and_then(|d| lines.iter().position(|l| matches!(l, Line::Doc(r) if r.doc == d))).map(|i| tops[i]);
    let mut area = egui::ScrollArea::vertical().id_salt("timeline-scroll").auto_shrink([false, false]);
    if app.view.scroll_to == Some(0)
        && let Some(top) = selected_top
    {
        area = area.vertical_scroll_offset((top - 200.0).max(0.0));
    }
    area.show_viewport(ui, |ui, viewport| {
        let origin = ui.cursor().min;
        let width = ui.available_width();
        let first = tops.partition_point(|t| *t <= viewport.min.y).saturating_sub(1);
        let mut i = first;
        while i < lines.len() && tops[i] < viewport.max.y {
            let rect = egui::Rect::from_min_size(origin + egui::vec2(0.0, tops[i]), egui::vec2(width, heights[i]));
            let mut child = ui.new_child(egui::UiBuilder::new().max_rect(rect).layout(egui::Layout::top_down(egui::Align::Min)));
            let ui = &mut child;
            match &lines[i] {
                Line::Year(y) => {
                    ui.add_space(6.0);
                    let label = y.map_or_else(|| "—".to_owned(), |y| y.to_string());
                    ui.label(egui::RichText::new(label).strong().size(15.0));
                }
                Line::Doc(row) => {
                    let doc = &corpus.analysis.documents[row.doc];
                    let selected = app.view.doc == Some(row.doc);
                    let response = doc_row(ui, row, &doc.title, lang, dark, selected).on_hover_text(&doc.title);
                    if response.clicked() {
                        commands.push(Command::OpenDocument(row.doc));
                    }
                }
                Line::Event(row, ev) => {
                    let text = format!(
                        "   ◦ {}  {}{}",
                        short_date(&ev.start),
                        ev.label,
                        ev.place.as_deref().map(|p| format!(" · {p}")).unwrap_or_default()
                    );
                    let r =
                        ui.add(egui::Label::new(egui::RichText::new(text).weak().small()).truncate().sense(egui::Sense::click()));
                    let r = r.on_hover_text(format!("{} — {}", ev.label, corpus.analysis.documents[row.doc].title));
                    if r.clicked() {
                        commands.push(Command::Jump { doc: row.doc, paragraph: ev.paragraph });
                    }
                }
            }
            i += 1;
        }
        ui.allocate_rect(egui::Rect::from_min_size(origin, egui::vec2(width, total)), egui::Sense::hover());
    });
    for c in commands {
        app.push(c);
    }
}

fn lines<'a>(
    docs: &'a [TimelineRow],
    events: &'a [crate::index::EventRow],
    analysis: &'a crate::model::Analysis,
    show_events: bool,
) -> Vec<Line<'a>> {
    let mut out = Vec::new();
    let mut year: Option<Option<i32>> = None;
    let mut ev = events.iter().filter_map(|row| Some((row, row.event(analysis)?))).peekable();
    let push_year = |out: &mut Vec<Line<'a>>, y: Option<i32>, year: &mut Option<Option<i32>>| {
        if *year != Some(y) {
            out.push(Line::Year(y));
            *year = Some(y);
        }
    };
    for row in docs {
        while let Some((r, e)) =
            ev.peek().copied().filter(|(_, e)| show_events && row.date.as_deref().is_some_and(|d| e.start.as_str() < d))
        {
            push_year(&mut out, r.year, &mut year);
            out.push(Line::Event(r, e));
            ev.next();
        }
        push_year(&mut out, row.year, &mut year);
        out.push(Line::Doc(row));
    }
    if show_events {
        for (r, e) in ev {
            push_year(&mut out, r.year, &mut year);
            out.push(Line::Event(r, e));
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
    let what = if row.body.is_some() { body_short(lang, row.body) } else { doc_kind_name(lang, row.kind) };
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
