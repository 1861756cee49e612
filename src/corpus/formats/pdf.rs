//! PDFs with a text layer → lines of text, page by page.
//!
//! `pdf-extract` (over `lopdf`) decodes the content streams and maps glyphs
//! to Unicode through each font's `ToUnicode` map; it hands every glyph to
//! [`Glyphs`] with its position and size. Lines are rebuilt from those
//! positions here, not from the extractor's own text output: glyphs on one
//! baseline make one line, ordered left to right; where the PDF draws no
//! space, one is written only where the gap is wide and not between two
//! Chinese characters, so glyphs placed one by one (`上 海 合 作`) come out
//! whole. A blank line is written
//! where the gap to the next line is clearly wider than the page's line
//! pitch, where the next line is indented, or where a line ends a sentence
//! short of the right margin: the paragraphs the page shows. The cleaner
//! reads the text as [`Layout::Paragraphs`]: it joins the lines between
//! blank lines (the page width broke them) and breaks nowhere else.
//!
//! A line set in a larger type than the body is a heading (`# …`, the
//! largest size level 1), and a heading set over two lines is one.
//! Page furniture goes before the cleaner sees it: a line at the top or
//! bottom of a page that is a page number (`- 3 -`, `第3页`), or that repeats
//! (digits aside) at the same edge of at least half the pages (running
//! headers and footers). The first line of each page is recorded, so every
//! paragraph can be cited by its page.
//!
//! The extractor panics on some damaged files and could loop on hostile
//! ones: it runs on its own thread with a large stack, its panic is caught,
//! and a file that takes longer than [`TIME_LIMIT`] is reported (the thread
//! is left to finish on its own).

use super::{ConvertError, Converted, Layout, SourceFormat};
use crate::text::is_cjk;
use pdf_extract::{MediaBox, OutputDev, OutputError, Transform};
use std::time::Duration;

/// Longest a PDF may take to read before it is reported as too slow.
pub const TIME_LIMIT: Duration = Duration::from_secs(60);

/// Converts a PDF's text layer.
pub(super) fn convert(bytes: &[u8]) -> Result<Converted, ConvertError> {
    convert_within(bytes, TIME_LIMIT)
}

/// [`convert`] with a time limit.
pub(super) fn convert_within(bytes: &[u8], limit: Duration) -> Result<Converted, ConvertError> {
    let owned = bytes.to_vec();
    let pages = guarded(limit, move || extract(&owned))??;
    let page_count = pages.len();
    let chars: usize = pages.iter().flat_map(|p| &p.lines).map(|l| l.text.chars().filter(|c| !c.is_whitespace()).count()).sum();
    if chars == 0 {
        return Err(if page_count > 0 && memchr::memmem::find(bytes, b"/Image").is_some() {
            ConvertError::Scanned { pages: page_count }
        } else {
            ConvertError::Empty(SourceFormat::Pdf)
        });
    }
    Ok(assemble(pages))
}

/// Runs `f` on its own thread with a large stack: its panic becomes an
/// error, and so does taking longer than `limit`.
fn guarded<T: Send + 'static>(limit: Duration, f: impl FnOnce() -> T + Send + 'static) -> Result<T, ConvertError> {
    quiet_reader_panics();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::Builder::new()
        .name(READER_THREAD.to_owned())
        .stack_size(256 << 20)
        .spawn(move || {
            let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(f));
            // The receiver is gone only after a time-out.
            let _ = tx.send(result);
        })
        .map_err(|e| ConvertError::damaged(SourceFormat::Pdf, format!("cannot start the reader: {e}")))?;
    match rx.recv_timeout(limit) {
        Ok(Ok(value)) => Ok(value),
        Ok(Err(panic)) => {
            let message = panic
                .downcast_ref::<&str>()
                .map(|s| (*s).to_owned())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_default();
            Err(ConvertError::damaged(SourceFormat::Pdf, format!("damaged or unsupported structure ({message})")))
        }
        Err(_) => Err(ConvertError::damaged(
            SourceFormat::Pdf,
            format!("reading it took longer than {} s; not loaded", limit.as_secs()),
        )),
    }
}

/// Name of the thread a PDF is read on.
const READER_THREAD: &str = "pdf-reader";

/// Makes the panic hook skip the reader thread: its panics are caught and
/// reported as a damaged file, so the message the default hook prints
/// would be noise. Every other thread's panic goes to the hook as before.
fn quiet_reader_panics() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if std::thread::current().name() != Some(READER_THREAD) {
                previous(info);
            }
        }));
    });
}

fn extract(bytes: &[u8]) -> Result<Vec<Page>, ConvertError> {
    let mut doc = pdf_extract::Document::load_mem(bytes).map_err(|e| ConvertError::damaged(SourceFormat::Pdf, e))?;
    if doc.is_encrypted() {
        // Many PDFs are encrypted with an empty password only to restrict printing.
        doc.decrypt("").map_err(|_| {
            ConvertError::damaged(SourceFormat::Pdf, "it is encrypted with a password; open it and save an unprotected copy")
        })?;
    }
    let mut glyphs = Glyphs::default();
    pdf_extract::output_doc(&doc, &mut glyphs).map_err(|e| ConvertError::damaged(SourceFormat::Pdf, e))?;
    Ok(glyphs.pages)
}

// ---------------------------------------------------------------------------
// Glyphs → lines

/// One glyph as placed on the page (y grows downwards).
#[derive(Clone, Debug)]
struct Glyph {
    x: f64,
    y: f64,
    end: f64,
    size: f64,
    text: String,
}

/// One line of a page.
#[derive(Clone, Debug, PartialEq)]
struct PageLine {
    text: String,
    /// Left edge, baseline and right edge, in points from the page's top left.
    x: f64,
    y: f64,
    end: f64,
    size: f64,
}

#[derive(Clone, Debug, Default)]
struct Page {
    lines: Vec<PageLine>,
    height: f64,
}

/// Collects the glyphs of each page and turns them into lines at its end.
#[derive(Default)]
struct Glyphs {
    pages: Vec<Page>,
    current: Vec<Glyph>,
    /// The page's top edge, in PDF space.
    top: f64,
    height: f64,
}

impl OutputDev for Glyphs {
    fn begin_page(&mut self, _page: u32, media_box: &MediaBox, _art: Option<(f64, f64, f64, f64)>) -> Result<(), OutputError> {
        self.height = (media_box.ury - media_box.lly).abs();
        self.top = media_box.ury;
        self.current.clear();
        Ok(())
    }

    fn end_page(&mut self) -> Result<(), OutputError> {
        let glyphs = std::mem::take(&mut self.current);
        self.pages.push(Page { lines: lines_of(glyphs), height: self.height });
        Ok(())
    }

    fn output_character(
        &mut self,
        trm: &Transform,
        width: f64,
        _spacing: f64,
        font_size: f64,
        char: &str,
    ) -> Result<(), OutputError> {
        // The glyph's origin with y flipped to grow downwards, and its size
        // as the side of a square of the scaled em's area (as pdf-extract does).
        let (x, y) = (trm.m31, self.top - trm.m32);
        let (sx, sy) = (font_size * (trm.m11 + trm.m21), font_size * (trm.m12 + trm.m22));
        let size = (sx * sy).abs().sqrt();
        if !(x.is_finite() && y.is_finite() && size.is_finite()) || char.is_empty() {
            return Ok(());
        }
        let size = if size > 0.0 { size } else { 1.0 };
        self.current.push(Glyph { x, y, end: x + width * size, size, text: char.to_owned() });
        Ok(())
    }

    fn begin_word(&mut self) -> Result<(), OutputError> {
        Ok(())
    }

    fn end_word(&mut self) -> Result<(), OutputError> {
        Ok(())
    }

    fn end_line(&mut self) -> Result<(), OutputError> {
        Ok(())
    }
}

/// Groups a page's glyphs into lines: glyphs whose baselines lie within
/// half a glyph of each other, in reading order by x.
fn lines_of(mut glyphs: Vec<Glyph>) -> Vec<PageLine> {
    glyphs.sort_by(|a, b| a.y.total_cmp(&b.y).then(a.x.total_cmp(&b.x)));
    let mut groups: Vec<Vec<Glyph>> = Vec::new();
    for g in glyphs {
        match groups.last_mut() {
            Some(line) if (g.y - line[0].y).abs() <= 0.5 * line[0].size.max(g.size) => line.push(g),
            _ => groups.push(vec![g]),
        }
    }
    groups
        .into_iter()
        .filter_map(|mut line| {
            line.sort_by(|a, b| a.x.total_cmp(&b.x));
            let text = join_glyphs(&line);
            let trimmed = text.trim();
            if trimmed.is_empty() {
                return None;
            }
            let size = line.iter().map(|g| g.size).fold(0.0, f64::max);
            let x = line.iter().find(|g| !g.text.trim().is_empty()).map_or(line[0].x, |g| g.x);
            let end = line.iter().map(|g| g.end).fold(f64::MIN, f64::max);
            Some(PageLine { text: trimmed.to_owned(), x, y: line[0].y, end, size })
        })
        .collect()
}

/// A line's glyphs as text: a space glyph is a space (runs collapse to
/// one); where there is no space glyph, a wide gap is a space
/// ([`gap_for_space`]), never one between two Chinese characters (glyphs
/// placed one by one with spacing between them, `上 海 合 作`). Whether a
/// space the PDF itself holds between Chinese characters is kept is the
/// cleaner's call, as for any text.
fn join_glyphs(line: &[Glyph]) -> String {
    let mut out = String::new();
    let mut last_end: Option<f64> = None;
    let mut last_char: Option<char> = None;
    for g in line {
        if g.text.trim().is_empty() {
            if last_char.is_some_and(|c| c != ' ') {
                out.push(' ');
                last_char = Some(' ');
            }
            last_end = Some(g.end);
            continue;
        }
        let first = g.text.chars().next();
        if let (Some(end), Some(c), Some(prev)) = (last_end, first, last_char)
            && prev != ' '
            && g.x - end > gap_for_space(prev, c) * g.size
        {
            out.push(' ');
        }
        out.push_str(&g.text);
        last_char = g.text.chars().next_back();
        last_end = Some(g.end);
    }
    out
}

/// The gap between two glyphs, in ems, above which it is a space: never
/// between Chinese characters; beside one, only a gap wider than the
/// quarter em that typesetters put between Chinese and Latin or digits
/// (`2019年5月`); between Latin letters and digits, a fifth of an em.
fn gap_for_space(before: char, after: char) -> f64 {
    match (is_cjk(before), is_cjk(after)) {
        (true, true) => f64::INFINITY,
        (false, false) => 0.2,
        _ => 0.6,
    }
}

// ---------------------------------------------------------------------------
// Pages → text

/// Drops page furniture and writes the pages as text, recording where each starts.
fn assemble(mut pages: Vec<Page>) -> Converted {
    let removed = remove_furniture(&mut pages);
    let levels = HeadingSizes::of(&pages);
    let mut text = String::new();
    let mut line_no: u32 = 0;
    let mut page_starts = Vec::with_capacity(pages.len());
    // The end of the previous page's last line, whether it ended short of
    // the right margin with a full stop (a paragraph's end).
    let mut last_ended_paragraph = false;
    let text_width = text_width(&pages);
    for page in &pages {
        let pitch = line_pitch(&page.lines);
        let left = page.lines.iter().map(|l| l.x).fold(f64::MAX, f64::min);
        if !text.is_empty() {
            // Pages are apart by one line break, so a paragraph runs on; a
            // blank line where the new page starts a paragraph (its first
            // line indented) or the old one ended one.
            text.push('\n');
            line_no += 1;
            let indented = page.lines.first().is_some_and(|l| l.x > left + 1.5 * l.size);
            if indented || last_ended_paragraph {
                text.push('\n');
                line_no += 1;
            }
        }
        page_starts.push(line_no);
        // The right margin: the page's own, or where the document's text
        // width puts it on a page of short lines (a last page of signatures).
        let right = page.lines.iter().map(|l| l.end).fold(f64::MIN, f64::max).max(left + text_width);
        last_ended_paragraph = page.lines.last().is_some_and(|l| ends_paragraph(l, left, right));
        for (i, line) in page.lines.iter().enumerate() {
            let level = levels.level(line.size);
            if i > 0 {
                let prev = &page.lines[i - 1];
                let prev_level = levels.level(prev.size);
                // A heading set over two lines stays one heading.
                if level.is_some() && level == prev_level && line.y - prev.y <= 1.8 * line.size {
                    text.push_str(&line.text);
                    continue;
                }
                let gap = line.y - prev.y;
                // The previous line stopped short of the right margin: a
                // paragraph's last line (or a one-line paragraph).
                let prev_short = prev.end < right - 2.0 * prev.size;
                let indented = line.x > left + 1.5 * line.size && (prev.x <= left + 0.5 * line.size || prev_short);
                let ended = ends_paragraph(prev, left, right);
                text.push('\n');
                line_no += 1;
                if pitch.is_some_and(|p| gap > 1.25 * p) || indented || ended || level.is_some() || prev_level.is_some() {
                    text.push('\n');
                    line_no += 1;
                }
            }
            if let Some(level) = level {
                text.extend(std::iter::repeat_n('#', usize::from(level)));
                text.push(' ');
            }
            text.push_str(&line.text);
        }
    }
    let mut converted = Converted::text(text, Layout::Paragraphs, "PDF", SourceFormat::Pdf);
    converted.page_starts = page_starts;
    converted.removed_lines = removed;
    converted
}

/// Heading levels by type size: the body's size is the one most characters
/// are set in; lines set at least a seventh larger are headings, the
/// largest size level 1, the next level 2, and so on to level 3.
struct HeadingSizes {
    /// Heading sizes, largest first, in half points.
    sizes: Vec<i64>,
}

impl HeadingSizes {
    fn of(pages: &[Page]) -> Self {
        let half_points = |size: f64| (size * 2.0).round() as i64;
        let mut chars: rustc_hash::FxHashMap<i64, usize> = rustc_hash::FxHashMap::default();
        for line in pages.iter().flat_map(|p| &p.lines) {
            *chars.entry(half_points(line.size)).or_default() += line.text.chars().count();
        }
        let Some((&body, _)) = chars.iter().max_by_key(|&(size, n)| (*n, -*size)) else {
            return Self { sizes: Vec::new() };
        };
        let mut sizes: Vec<i64> = chars.keys().copied().filter(|&s| s * 7 >= body * 8).collect();
        sizes.sort_unstable_by(|a, b| b.cmp(a));
        sizes.truncate(3);
        Self { sizes }
    }

    fn level(&self, size: f64) -> Option<u8> {
        let size = (size * 2.0).round() as i64;
        self.sizes.iter().position(|&s| s == size).map(|i| i as u8 + 1)
    }
}

/// Whether a line is a paragraph's last: it stops short of the right
/// margin (`left..right` is the page's text width) after a full stop, or
/// stops before 60 % of the width whatever it ends with (a signature, a
/// date line). A line a little short without a full stop runs on: line
/// breaking leaves a gap before a number or a bracket that may not start
/// or end a line.
fn ends_paragraph(line: &PageLine, left: f64, right: f64) -> bool {
    if line.end >= right - 2.0 * line.size {
        return false;
    }
    let last = line.text.trim_end().trim_end_matches(crate::text::is_closing_mark).chars().next_back();
    last.is_some_and(crate::text::is_terminal_punct) || line.end < left + 0.6 * (right - left)
}

/// The text width of the document: the median over pages of five lines or
/// more of their widest line's extent (0 when no page has five lines).
fn text_width(pages: &[Page]) -> f64 {
    let mut widths: Vec<f64> = pages
        .iter()
        .filter(|p| p.lines.len() >= 5)
        .map(|p| {
            let left = p.lines.iter().map(|l| l.x).fold(f64::MAX, f64::min);
            p.lines.iter().map(|l| l.end).fold(f64::MIN, f64::max) - left
        })
        .collect();
    widths.sort_by(f64::total_cmp);
    widths.get(widths.len() / 2).copied().unwrap_or(0.0)
}

/// The most common distance between consecutive lines of a page.
fn line_pitch(lines: &[PageLine]) -> Option<f64> {
    let mut gaps: Vec<f64> = lines.windows(2).map(|w| w[1].y - w[0].y).filter(|g| *g > 0.0).collect();
    if gaps.is_empty() {
        return None;
    }
    gaps.sort_by(f64::total_cmp);
    Some(gaps[gaps.len() / 2])
}

/// Removes page numbers and running headers and footers; returns how many lines went.
fn remove_furniture(pages: &mut [Page]) -> usize {
    let key = |t: &str| -> String {
        t.chars().filter(|c| !c.is_whitespace()).map(|c| if c.is_ascii_digit() { '#' } else { c }).collect()
    };
    // The lines in a page's top or bottom margin: at most two each, above
    // the first or below the last tenth of the page, or the very first and
    // last lines.
    let edges = |page: &Page| -> Vec<usize> {
        let n = page.lines.len();
        let mut out = Vec::new();
        for i in 0..n.min(2) {
            if i == 0 || page.lines[i].y < page.height * 0.1 {
                out.push(i);
            }
        }
        for i in n.saturating_sub(2)..n {
            if (i + 1 == n || page.lines[i].y > page.height * 0.9) && !out.contains(&i) {
                out.push(i);
            }
        }
        out
    };
    let mut counts: rustc_hash::FxHashMap<String, usize> = rustc_hash::FxHashMap::default();
    for page in pages.iter() {
        let mut seen = rustc_hash::FxHashSet::default();
        for i in edges(page) {
            let k = key(&page.lines[i].text);
            if seen.insert(k.clone()) {
                *counts.entry(k).or_default() += 1;
            }
        }
    }
    let repeated_on = (pages.len() / 2).max(2);
    let mut removed = 0;
    for page in pages.iter_mut() {
        let mut drop: Vec<usize> = edges(page)
            .into_iter()
            .filter(|&i| {
                let line = &page.lines[i];
                let repeats = counts.get(&key(&line.text)).is_some_and(|&n| n >= repeated_on)
                    && line.text.chars().count() <= 80
                    && !line.text.trim_end().ends_with(['。', '；', '，', '.']);
                repeats || is_page_number(&line.text)
            })
            .collect();
        drop.sort_unstable();
        for i in drop.into_iter().rev() {
            page.lines.remove(i);
            removed += 1;
        }
    }
    removed
}

/// `3`, `- 3 -`, `— 3 —`, `第3页`, `第 3 页 共 9 页`, `3/9`, `Page 3`, `Page 3 of 9`.
fn is_page_number(t: &str) -> bool {
    let t = t.trim();
    let lower = t.to_ascii_lowercase();
    if let Some(rest) = lower.strip_prefix("page") {
        let rest = rest.trim();
        let (n, of) = rest.split_once(" of ").unwrap_or((rest, "1"));
        let digits = |s: &str| !s.trim().is_empty() && s.trim().chars().all(|c| c.is_ascii_digit());
        return digits(n) && digits(of);
    }
    crate::clean::is_page_number(t, || None)
}

#[cfg(test)]
mod tests;
