//! The trends window: terms counted in every dated document, plotted over
//! time (one line per term, per 10,000 characters or absolute); a click on
//! a point opens that document at the term's first occurrence.

use super::{Commands, ViewCtx};
use crate::compare::trends::days_since_epoch;
use crate::ui::command::Command;
use crate::ui::i18n::tr;

/// One colour per term, the line and its points alike.
const SERIES_COLORS: [egui::Color32; 6] = [
    egui::Color32::from_rgb(66, 133, 244),
    egui::Color32::from_rgb(234, 67, 53),
    egui::Color32::from_rgb(52, 168, 83),
    egui::Color32::from_rgb(251, 140, 0),
    egui::Color32::from_rgb(142, 36, 170),
    egui::Color32::from_rgb(0, 150, 167),
];

/// `YYYY-MM` of a day count.
fn month_of(days: f64) -> String {
    // Civil from days (Howard Hinnant), enough for axis labels.
    let z = days.round() as i64 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y}-{m:02}")
}

/// Draws the trends window while it is open.
pub fn trends_window(view: &ViewCtx<'_>, ctx: &egui::Context, out: &mut Commands) {
    let (Some(state), Some(corpus)) = (&view.state.trends, view.corpus) else { return };
    let lang = view.state.saved.lang;
    let mut open = true;
    egui::Window::new(tr(lang, "trends_title"))
        .id(egui::Id::unique("trends-window"))
        .open(&mut open)
        .default_size([760.0, 460.0])
        .collapsible(false)
        .show(ctx, |ui| {
            let label = ui.label(tr(lang, "trends_terms"));
            let mut typed = state.typed.clone();
            let field = ui.add(egui::TextEdit::singleline(&mut typed).desired_width(f32::INFINITY)).labelled_by(label.id);
            let mut per_10k = state.per_10k;
            let toggled = ui.checkbox(&mut per_10k, tr(lang, "trends_per_10k")).changed();
            if field.changed() || toggled {
                out.push(Command::Trends(typed, per_10k));
            }
            ui.label(egui::RichText::new(tr(lang, "trends_hint")).weak().small());
            if state.computing {
                super::computing(ui, tr(lang, "trends_computing"));
            }
            if state.series.iter().all(|s| s.points.is_empty()) {
                if state.computing {
                    return;
                }
                ui.label(tr(lang, "trends_none"));
                return;
            }
            let value = |p: &crate::compare::trends::Point| if state.per_10k { p.per_10k } else { p.count as f64 };
            let plot = egui_plot::Plot::new("trends-plot")
                .legend(egui_plot::Legend::default().position(egui_plot::Corner::LeftTop))
                .x_axis_formatter(|mark, _| month_of(mark.value))
                .label_formatter(|pos| match pos {
                    egui_plot::HoverPosition::NearDataPoint { plot_name, position, .. } if !plot_name.is_empty() => {
                        Some(format!("{plot_name}\n{}  {:.2}", month_of(position.x), position.y))
                    }
                    _ => None,
                })
                .allow_scroll(false)
                .height(ui.available_height().max(200.0));
            let response = plot.show(ui, |plot_ui| {
                for (n, s) in state.series.iter().enumerate() {
                    let color = SERIES_COLORS[n % SERIES_COLORS.len()];
                    let points: Vec<[f64; 2]> =
                        s.points.iter().filter_map(|p| days_since_epoch(&p.date).map(|d| [d as f64, value(p)])).collect();
                    plot_ui.line(egui_plot::Line::new(s.term.clone(), points.clone()).color(color));
                    plot_ui.points(egui_plot::Points::new(s.term.clone(), points).radius(4.0).color(color));
                }
                (plot_ui.response().clicked(), plot_ui.pointer_coordinate())
            });
            let (clicked, _) = response.inner;
            if clicked && let Some(pointer) = response.response.interact_pointer_pos() {
                // The nearest point on screen, if near enough.
                let nearest = state
                    .series
                    .iter()
                    .flat_map(|s| s.points.iter())
                    .filter_map(|p| {
                        let x = days_since_epoch(&p.date)? as f64;
                        let at = response.transform.position_from_point(&egui_plot::PlotPoint::new(x, value(p)));
                        Some((at.distance(pointer), p))
                    })
                    .min_by(|a, b| a.0.total_cmp(&b.0));
                if let Some((distance, p)) = nearest
                    && distance < 12.0
                    && corpus.analysis.doc(p.ix).is_some()
                {
                    let (paragraph, span) = match p.first {
                        Some((para, start, end)) => (para, Some((start, end))),
                        None => (0, None),
                    };
                    out.push(Command::Jump { doc: p.ix, paragraph, span });
                }
            }
        });
    if !open {
        out.push(Command::CloseTrends);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn day_counts_read_back_as_months() {
        for date in ["2014-09-12", "2020-11-30", "2000-02-29", "1999-12-31"] {
            let days = days_since_epoch(date).expect("a date") as f64;
            assert_eq!(month_of(days), date[..7]);
        }
    }
}
