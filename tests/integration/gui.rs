//! The whole app driven headless with egui_kittest (bundled font installed
//! by the same function as the app): every click path of the reader.

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;
use sco_reader::model::EntityKind;
use sco_reader::ui::ReaderApp;
use sco_reader::ui::command::SideTab;
use sco_reader::ui::i18n::Lang;
use sco_reader::ui::state::{Card, SavedState};
use std::time::{Duration, Instant};

/// A data directory of this test process's own, for notes.
fn data_dir() -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("sco-reader-gui-test-{}-{:?}", std::process::id(), std::thread::current().id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

fn harness(lang: Lang) -> Harness<'static, ReaderApp> {
    let mut h = Harness::builder().with_size(egui::vec2(1280.0, 800.0)).build_eframe(move |cc| {
        sco_reader::ui::install_fonts(&cc.egui_ctx);
        let saved = SavedState { lang, ..SavedState::default() };
        ReaderApp::with_state(&cc.egui_ctx, saved, Vec::new(), Some(data_dir()))
    });
    let start = Instant::now();
    // Ready to browse: a document shown.
    let ready = |app: &ReaderApp| app.state.view.doc.is_some() && app.corpus.is_some();
    while !ready(h.state()) {
        assert!(start.elapsed() < Duration::from_secs(120), "corpus did not load");
        std::thread::sleep(Duration::from_millis(20));
        h.step();
    }
    h.run_steps(4);
    h
}

/// The window at `size` in English on the files or folder at `path` (data
/// in `data`), once a document is open (within `limit`).
fn harness_on(path: &std::path::Path, data: &std::path::Path, size: egui::Vec2, limit: Duration) -> Harness<'static, ReaderApp> {
    let (path, data) = (path.display().to_string(), data.to_path_buf());
    let mut h = Harness::builder().with_size(size).build_eframe(move |cc| {
        sco_reader::ui::install_fonts(&cc.egui_ctx);
        ReaderApp::with_state(
            &cc.egui_ctx,
            SavedState { lang: Lang::En, ..SavedState::default() },
            vec![path.clone()],
            Some(data.clone()),
        )
    });
    let start = Instant::now();
    while h.state().state.view.doc.is_none() {
        assert!(start.elapsed() < limit, "did not load");
        std::thread::sleep(Duration::from_millis(20));
        h.step();
    }
    h.run_steps(4);
    h
}

fn doc_id(h: &Harness<'_, ReaderApp>) -> String {
    let app = h.state();
    let corpus = app.corpus.as_ref().expect("corpus");
    corpus.analysis.documents[app.state.view.doc.expect("doc")].id.clone()
}

/// Steps until the frame is drawn and nothing is being computed off the
/// window's thread (the corpus search, what is new, trends, the office
/// table).
fn settle(h: &mut Harness<'_, ReaderApp>) {
    let start = Instant::now();
    h.run_steps(6);
    while h.state().views_computing() {
        assert!(start.elapsed() < Duration::from_secs(60), "a view was never computed");
        std::thread::sleep(Duration::from_millis(5));
        h.step();
    }
    h.run_steps(2);
}

#[test]
fn opens_a_document_from_the_timeline() {
    let mut h = harness(Lang::En);
    h.get_by_label_contains("12-14").click();
    settle(&mut h);
    assert!(doc_id(&h).starts_with("000"), "{}", doc_id(&h));
    // The inferred title is in the header; the attendees table is there.
    h.get_by_label("上海合作组织成员国政府首脑（总理）理事会第十三次会议联合公报");
    h.get_by_label_contains("Attendees (19)");
}

#[test]
fn citation_card_reaches_a_passage_in_another_document_in_three_clicks() {
    let mut h = harness(Lang::En);
    // 1: the 2014 heads-of-government document; 2: its road-transport citation.
    h.get_by_label_contains("12-14").click();
    settle(&mut h);
    h.get_by_label_contains("国际道路运输便利化协定》\ncited").click();
    settle(&mut h);
    let card = h.state().state.side.agreement_card.clone().expect("agreement card");
    assert!(card.title.contains("国际道路运输便利化协定"));
    assert_eq!(card.documents, 4, "every document citing it");
    assert_eq!(card.signed.as_ref().and_then(|s| s.date.as_deref()), Some("2014-09-12"));
    // 3: a passage in the 2022 document.
    h.get_by_label_contains("¶50").click();
    settle(&mut h);
    assert!(doc_id(&h).starts_with("003"), "{}", doc_id(&h));
    let flash = h.state().state.view.flash.expect("flash");
    assert_eq!(flash.0, 49);
    // Back returns to the first document, forward again to the passage.
    h.key_press_modifiers(egui::Modifiers::ALT, egui::Key::ArrowLeft);
    settle(&mut h);
    assert!(doc_id(&h).starts_with("000"));
    h.key_press_modifiers(egui::Modifiers::ALT, egui::Key::ArrowRight);
    settle(&mut h);
    assert!(doc_id(&h).starts_with("003"));
}

#[test]
fn entity_card_lists_mentions_across_the_corpus() {
    let mut h = harness(Lang::En);
    h.get_by_label_contains("12-14").click();
    settle(&mut h);
    h.get_by_label("Entities").click();
    settle(&mut h);
    assert_eq!(h.state().state.saved.tab, SideTab::Entities);
    h.get_by_label_contains("拉苏尔佐达 ×1").click();
    settle(&mut h);
    let card = h.state().state.side.entity_card.clone().expect("entity card");
    assert_eq!((card.kind, card.canonical.as_str()), (EntityKind::Person, "拉苏尔佐达"));
    assert_eq!(card.documents, 3);
    // Jump to the mention in the 2020 document.
    let target = card.passages.iter().find(|p| Some(p.at.doc) != h.state().state.view.doc).expect("another document").clone();
    h.get_all_by_label_contains(&format!("¶{}", target.at.paragraph + 1)).next().expect("passage").click();
    settle(&mut h);
    assert_eq!(h.state().state.view.doc, Some(target.at.doc));
}

#[test]
fn toggling_a_kind_hides_its_highlights() {
    let mut h = harness(Lang::En);
    h.get_by_label("Person").click();
    settle(&mut h);
    assert!(h.state().state.saved.hidden_kinds.contains(&EntityKind::Person));
    h.get_by_label("Person").click();
    settle(&mut h);
    assert!(h.state().state.saved.hidden_kinds.is_empty());
}

#[test]
fn switching_language_and_theme() {
    let mut h = harness(Lang::En);
    h.get_by_label("Timeline");
    h.get_by_label("中/EN").click();
    settle(&mut h);
    assert_eq!(h.state().state.saved.lang, Lang::Zh);
    h.get_by_label("时间线");
    h.get_by_label("引用");
    h.get_by_label("深色").click();
    settle(&mut h);
    assert_eq!(h.state().state.saved.theme, sco_reader::ui::theme::ThemeChoice::Dark);
    assert_eq!(h.ctx.theme(), egui::Theme::Dark);
}

#[test]
fn help_overlay_lists_shortcuts() {
    let mut h = harness(Lang::En);
    h.key_press(egui::Key::F1);
    settle(&mut h);
    h.get_by_label("Keyboard shortcuts");
    h.get_by_label("Ctrl+O");
}

#[test]
fn find_in_document_highlights_and_steps() {
    let mut h = harness(Lang::En);
    h.get_by_label_contains("12-14").click();
    settle(&mut h);
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::F);
    settle(&mut h);
    h.get_by_label("Find in document").type_text("塔什干");
    settle(&mut h);
    let n = h.state().state.find.hits.len();
    assert!(n >= 3, "{n} hits");
    assert_eq!(h.state().state.find.current, 0);
    h.key_press(egui::Key::Enter);
    settle(&mut h);
    assert_eq!(h.state().state.find.current, 1);
    h.get_by_label_contains(&format!("2 / {n}"));
    h.key_press(egui::Key::Escape);
    settle(&mut h);
    assert!(!h.state().state.find.open);
}

#[test]
fn corpus_search_lists_hits_by_document_and_opens_them() {
    let mut h = harness(Lang::En);
    h.key_press_modifiers(egui::Modifiers::COMMAND | egui::Modifiers::SHIFT, egui::Key::F);
    settle(&mut h);
    assert_eq!(h.state().state.saved.tab, SideTab::Search);
    h.get_by_label("Search all documents").type_text("国际道路运输便利化协定");
    settle(&mut h);
    let results = h.state().state.corpus_search.results.clone().expect("results");
    assert_eq!(results.per_document.len(), 5, "{:?}", results.per_document);
    h.get_by_label_contains("hits in 5 documents");
    // Keyboard: down twice, Enter opens the third hit.
    h.key_press(egui::Key::ArrowDown);
    h.key_press(egui::Key::ArrowDown);
    settle(&mut h);
    let third = results.hits[2].clone();
    h.key_press(egui::Key::Enter);
    settle(&mut h);
    assert_eq!(h.state().state.view.doc, Some(third.doc));
    // The hit itself is highlighted in its paragraph, not only the paragraph.
    let span = sco_reader::model::ParagraphSpan { paragraph: third.paragraph, start: third.start, end: third.end };
    assert_eq!(h.state().state.view.highlight, Some((third.doc, span)));
}

#[test]
fn select_a_passage_add_edit_delete_and_undo_a_note() {
    let mut h = harness(Lang::En);
    h.get_by_label_contains("12-14").click();
    settle(&mut h);
    // Drag across part of the first line of the first paragraph.
    select_chars(&mut h, 0, 0, 8);
    let sel = h.state().state.notes.selection.expect("a selection after dragging");
    let (start, end) = sel.range().expect("non-empty");
    assert!(end - start >= 5, "{start}..{end}");
    h.get_by_label("Add note").click();
    settle(&mut h);
    h.get_by_label("Note").focus();
    h.step();
    h.get_by_label("Note").type_text("这一段说明了会议的时间与地点。");
    h.step();
    h.get_by_label_contains("Tags").focus();
    h.step();
    h.get_by_label_contains("Tags").type_text("时间, 地点");
    settle(&mut h);
    h.get_by_label("Save").click();
    settle(&mut h);
    let notes = h.state().state.notes.notes.clone();
    assert_eq!(notes.len(), 1);
    assert_eq!(notes[0].0.tags, ["地点", "时间"]);
    assert_eq!(notes[0].0.text, "这一段说明了会议的时间与地点。");
    assert_eq!(notes[0].0.paragraph, sel.paragraph);
    // The note is listed; clicking its quote jumps to the passage.
    h.get_by_label_contains("「").click();
    settle(&mut h);
    assert_eq!(h.state().state.view.flash.map(|f| f.0), Some(sel.paragraph));
    // Delete, then undo.
    h.get_by_label("Delete").click();
    settle(&mut h);
    assert!(h.state().state.notes.notes.is_empty());
    h.get_by_label("Undo").click();
    settle(&mut h);
    assert_eq!(h.state().state.notes.notes.len(), 1);
}

#[test]
fn a_long_document_lays_out_only_what_is_in_view() {
    // About 1 MB of real paragraphs in one document: the work per frame must
    // not grow with it (the view is virtualised).
    let dir = data_dir();
    std::fs::create_dir_all(&dir).expect("mkdir");
    let text: String = sco_reader::corpus::BUNDLED_DOCUMENTS
        .iter()
        .filter_map(|(_, b)| std::str::from_utf8(b).ok())
        .collect::<Vec<_>>()
        .join("\n\n");
    let file = dir.join("long.txt");
    std::fs::write(&file, text.repeat(12)).expect("write");
    let mut h = harness_on(&file, &dir.join("data"), egui::vec2(1280.0, 800.0), Duration::from_secs(300));
    let paragraphs = h.state().corpus.as_ref().map_or(0, |c| c.analysis.documents[0].paragraphs.len());
    assert!(paragraphs > 2000, "{paragraphs}");
    for _ in 0..30 {
        h.event(egui::Event::PointerMoved(egui::pos2(600.0, 400.0)));
        h.event(egui::Event::MouseWheel {
            unit: egui::MouseWheelUnit::Point,
            delta: egui::vec2(0.0, -400.0),
            modifiers: egui::Modifiers::NONE,
            phase: egui::TouchPhase::Move,
            source: egui::MouseWheelSource::Wheel,
        });
        h.step();
        let layout = &h.state().caches.document;
        assert!(layout.drawn_last_frame <= 40, "drew {} paragraphs", layout.drawn_last_frame);
        assert!(layout.laid_out_last_frame <= 40, "laid out {} paragraphs", layout.laid_out_last_frame);
    }
}

#[test]
fn corpus_search_can_be_narrowed_to_the_documents_of_a_card() {
    let mut h = harness(Lang::En);
    h.get_by_label_contains("12-14").click();
    settle(&mut h);
    h.get_by_label_contains("国际道路运输便利化协定》\ncited").click();
    settle(&mut h);
    h.key_press_modifiers(egui::Modifiers::COMMAND | egui::Modifiers::SHIFT, egui::Key::F);
    settle(&mut h);
    h.get_by_label("Search all documents").type_text("合作");
    settle(&mut h);
    let all = h.state().state.corpus_search.results.clone().expect("results").per_document.len();
    assert_eq!(all, 5);
    h.get_by_label_contains("Only documents with").click();
    settle(&mut h);
    let narrowed = h.state().state.corpus_search.results.clone().expect("results").per_document.len();
    assert_eq!(narrowed, 4);
}

#[test]
fn a_second_start_on_the_same_corpus_reads_the_analysis_cache() {
    let data = data_dir();
    let open = |data: std::path::PathBuf| {
        let mut h = Harness::builder().with_size(egui::vec2(1280.0, 800.0)).build_eframe(move |cc| {
            sco_reader::ui::install_fonts(&cc.egui_ctx);
            let saved = SavedState { lang: Lang::En, ..SavedState::default() };
            ReaderApp::with_state(&cc.egui_ctx, saved, Vec::new(), Some(data))
        });
        let start = Instant::now();
        while h.state().corpus.is_none() {
            assert!(start.elapsed() < Duration::from_secs(120), "corpus did not load");
            std::thread::sleep(Duration::from_millis(20));
            h.step();
        }
        h.run_steps(4);
        h
    };
    let first = open(data.clone());
    assert!(
        matches!(first.state().corpus.as_ref().map(|c| c.cache.clone()), Some(sco_reader::cache::Outcome::Stored { analysed }) if analysed > 0)
    );
    assert!(first.query_by_label("analysis from cache").is_none());
    let first_json = serde_json::to_string(&first.state().corpus.as_ref().expect("corpus").analysis).expect("json");
    drop(first);
    let second = open(data);
    assert_eq!(second.state().corpus.as_ref().map(|c| c.cache.clone()), Some(sco_reader::cache::Outcome::Hit));
    second.get_by_label("analysis from cache");
    let second_json = serde_json::to_string(&second.state().corpus.as_ref().expect("corpus").analysis).expect("json");
    assert_eq!(first_json, second_json);
}

#[test]
fn a_saved_page_shows_its_time_and_address_and_a_pdf_its_pages() {
    let dir = data_dir();
    std::fs::create_dir_all(dir.join("docs")).expect("mkdir");
    let page = "<html><head><meta charset=gbk><link rel=canonical href=\"https://www.example.cn/a.html\">\
        <meta name=\"publishdate\" content=\"2019-06-14\"></head><body><nav>首页 时政</nav><article>\
        <h1>元首理事会会议在比什凯克举行</h1><p>2019年6月14日，上海合作组织成员国元首理事会会议在比什凯克举行。</p></article></body></html>";
    std::fs::write(dir.join("docs/page.htm"), encoding_rs::GBK.encode(page).0).expect("write");
    let paragraphs: Vec<(Option<u8>, String)> = (1..=30)
        .map(|i| (None, format!("第{i}段：各方同意在上海合作组织框架内深化务实合作，推动安全、经济和人文领域协作。")))
        .collect();
    let pages = crate::formats::make_docs::paginate(&paragraphs, "文件汇编", 38);
    std::fs::write(dir.join("docs/汇编.pdf"), crate::formats::make_docs::pdf(&pages)).expect("write");
    let mut h = harness_on(&dir.join("docs"), &dir.join("data"), egui::vec2(1024.0, 768.0), Duration::from_secs(120));
    let open = |h: &mut Harness<'_, ReaderApp>, id: &str| {
        let ix = h.state().corpus.as_ref().and_then(|c| c.analysis.doc_ix(id)).expect("document");
        h.state_mut().push(sco_reader::ui::command::Command::OpenDocument(ix));
        settle(h);
    };
    open(&mut h, "page");
    h.get_by_label_contains("Published: 2019-06-14");
    h.get_by_label_contains("HTML");
    h.get_by_label("https://www.example.cn/a.html");
    open(&mut h, "汇编");
    h.get_by_label_contains("汇编.pdf  ·  PDF");
    h.get_by_label("p. 1");
}

/// Presses the primary button at `from`, moves to `to` in steps (a frame
/// each, checking `during` every frame), releases.
fn drag(h: &mut Harness<'_, ReaderApp>, from: egui::Pos2, to: egui::Pos2, mut during: impl FnMut(&Harness<'_, ReaderApp>)) {
    h.event(egui::Event::PointerMoved(from));
    h.step();
    h.event(egui::Event::PointerButton {
        pos: from,
        button: egui::PointerButton::Primary,
        pressed: true,
        modifiers: egui::Modifiers::NONE,
    });
    h.step();
    for k in 1..=10 {
        h.event(egui::Event::PointerMoved(from + (to - from) * (k as f32 / 10.0)));
        h.step();
        during(h);
    }
    h.event(egui::Event::PointerButton {
        pos: to,
        button: egui::PointerButton::Primary,
        pressed: false,
        modifiers: egui::Modifiers::NONE,
    });
    settle(h);
}

/// The first body paragraph drawn on screen with at least `min` chars
/// below y = `below`, and its text.
fn visible_paragraph(h: &Harness<'_, ReaderApp>, min: usize, below: f32) -> (usize, Vec<char>) {
    let app = h.state();
    let doc = &app.corpus.as_ref().expect("corpus").analysis.documents[app.state.view.doc.expect("doc")];
    let layout = &app.caches.document;
    doc.paragraphs
        .iter()
        .enumerate()
        .find(|(i, p)| {
            p.heading.is_none()
                && p.text.chars().count() >= min
                && layout.char_screen_pos(*i, 0).is_some_and(|pos| pos.y > below && pos.y < 640.0)
        })
        .map(|(i, p)| (i, p.text.chars().collect()))
        .expect("a paragraph on screen")
}

/// Selects chars `start..end` of paragraph `p` with a drag, checking that
/// the text under the pointer never moves while the button is down.
fn select_chars(h: &mut Harness<'_, ReaderApp>, p: usize, start: usize, end: usize) {
    let layout = &h.state().caches.document;
    let from = layout.char_screen_pos(p, start).expect("start on screen");
    let to = layout.char_screen_pos(p, end).expect("end on screen");
    assert!((from.y - to.y).abs() < 1.0, "one row");
    drag(h, from, to, |h| {
        let now = h.state().caches.document.char_screen_pos(p, start);
        assert_eq!(now, Some(from), "the text moved under the pointer during the drag");
    });
}

/// A right click on char `c` of paragraph `p`.
fn right_click(h: &mut Harness<'_, ReaderApp>, p: usize, c: usize) {
    let pos = h.state().caches.document.char_screen_pos(p, c).expect("on screen");
    h.event(egui::Event::PointerMoved(pos));
    for pressed in [true, false] {
        h.event(egui::Event::PointerButton {
            pos,
            button: egui::PointerButton::Secondary,
            pressed,
            modifiers: egui::Modifiers::NONE,
        });
    }
    settle(h);
}

fn copied(h: &Harness<'_, ReaderApp>) -> Option<String> {
    h.output().platform_output.commands.iter().rev().find_map(|c| match c {
        egui::OutputCommand::CopyText(t) => Some(t.clone()),
        _ => None,
    })
}

#[test]
fn a_drag_selects_exactly_the_text_under_it_first_time_and_after_scrolling() {
    let mut h = harness(Lang::En);
    h.get_by_label_contains("12-14").click();
    settle(&mut h);
    let (p, chars) = visible_paragraph(&h, 30, 150.0);
    // The very first drag in the window.
    select_chars(&mut h, p, 3, 15);
    let sel = h.state().state.notes.selection.expect("selection");
    assert_eq!((sel.paragraph, sel.range()), (p, Some((3, 15))));
    let want: String = chars[3..15].iter().collect();
    // The bar with the quote and Add note appears once the button is up.
    h.get_by_label_contains(&format!("「{want}」"));
    // Ctrl+C puts exactly that text on the clipboard.
    h.event(egui::Event::Copy);
    h.step();
    assert_eq!(copied(&h).as_deref(), Some(want.as_str()));
    // Ctrl+Shift+N: the editor, with the cursor in the note field; Ctrl+Enter saves.
    h.key_press_modifiers(egui::Modifiers::COMMAND | egui::Modifiers::SHIFT, egui::Key::N);
    settle(&mut h);
    assert!(h.get_by_label("Note").is_focused(), "the note field has the keyboard");
    h.event(egui::Event::Text("第一次就对。".to_owned()));
    h.step();
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Enter);
    settle(&mut h);
    let notes = h.state().state.notes.notes.clone();
    assert_eq!(notes.len(), 1, "saved with Ctrl+Enter");
    assert_eq!(notes[0].0.quote, want);
    assert_eq!(notes[0].0.text, "第一次就对。");
    assert_eq!(notes[0].1.status(), sco_reader::notes::anchor::AnchorStatus::Exact);

    // Scrolled down: a drag on a paragraph further on is as exact.
    for _ in 0..3 {
        h.event(egui::Event::PointerMoved(egui::pos2(600.0, 400.0)));
        h.event(egui::Event::MouseWheel {
            unit: egui::MouseWheelUnit::Point,
            delta: egui::vec2(0.0, -300.0),
            modifiers: egui::Modifiers::NONE,
            phase: egui::TouchPhase::Move,
            source: egui::MouseWheelSource::Wheel,
        });
        h.step();
    }
    settle(&mut h);
    let (q, chars) = visible_paragraph(&h, 20, 150.0);
    assert!(q > p, "scrolled: {q} after {p}");
    select_chars(&mut h, q, 0, 9);
    let sel = h.state().state.notes.selection.expect("selection");
    assert_eq!((sel.paragraph, sel.range()), (q, Some((0, 9))));
    // Esc leaves the editor without a note.
    h.key_press_modifiers(egui::Modifiers::COMMAND | egui::Modifiers::SHIFT, egui::Key::N);
    settle(&mut h);
    assert!(h.state().state.notes.draft.is_some());
    assert_eq!(h.state().state.notes.draft.as_ref().map(|d| d.quote.clone()), Some(chars[0..9].iter().collect()));
    h.key_press(egui::Key::Escape);
    settle(&mut h);
    assert!(h.state().state.notes.draft.is_none());
    assert_eq!(h.state().state.notes.notes.len(), 1);
}

#[test]
fn right_click_on_a_selection_copies_it_with_its_citation_or_searches_it() {
    let mut h = harness(Lang::En);
    h.get_by_label_contains("12-14").click();
    settle(&mut h);
    let (p, chars) = visible_paragraph(&h, 30, 150.0);
    select_chars(&mut h, p, 2, 8);
    right_click(&mut h, p, 4);
    h.get_by_label("Add note");
    h.get_by_label("Search for this");
    h.get_by_label("Copy with citation").click();
    h.step();
    let text = copied(&h).expect("copied");
    let quote: String = chars[2..8].iter().collect();
    assert!(text.starts_with(&format!("{quote}\n— ")), "{text}");
    assert!(text.contains(&format!("¶{}", p + 1)), "{text}");
    assert!(text.contains(&format!("sco-reader://open?doc={}&p={p}", doc_id(&h))), "{text}");
    // Search for this: the corpus search, with the passage as its query.
    settle(&mut h);
    right_click(&mut h, p, 4);
    h.get_by_label("Search for this").click();
    settle(&mut h);
    assert_eq!(h.state().state.saved.tab, SideTab::Search);
    assert_eq!(h.state().state.corpus_search.query, quote);
}

/// Types `path` into the export window's File field, replacing what is there.
fn type_export_path(h: &mut Harness<'_, ReaderApp>, path: &std::path::Path) {
    h.get_by_label("File").focus();
    h.step();
    h.key_combination_modifiers(egui::Modifiers::COMMAND, &[egui::Key::A]);
    h.get_by_label("File").type_text(&path.display().to_string());
    settle(h);
}

#[test]
fn notes_export_in_the_window_without_a_system_dialog() {
    let mut h = harness(Lang::En);
    h.get_by_label_contains("12-14").click();
    settle(&mut h);
    let (p, _) = visible_paragraph(&h, 30, 150.0);
    select_chars(&mut h, p, 0, 6);
    h.get_by_label("Add note").click();
    settle(&mut h);
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Enter);
    settle(&mut h);
    assert_eq!(h.state().state.notes.notes.len(), 1);
    h.get_by_label("Export…").click();
    settle(&mut h);
    let out = tempfile::tempdir().expect("tmp");
    let target = out.path().join("my notes.md");
    std::fs::write(&target, "keep me").expect("write");
    type_export_path(&mut h, &target);
    // A file is there: not replaced until the user says so.
    h.get_by_label("Save").click();
    settle(&mut h);
    assert_eq!(std::fs::read_to_string(&target).expect("read"), "keep me");
    h.get_by_label_contains("exists");
    h.get_by_label("Replace the existing file").click();
    settle(&mut h);
    h.get_by_label("Save").click();
    settle(&mut h);
    let md = std::fs::read_to_string(&target).expect("read");
    assert!(md.starts_with("---\n") && md.contains("exact"), "{md}");
    h.get_by_label_contains("Exported to");
    h.get_by_label("Open folder");
    assert_eq!(h.state().state.saved.export_dir.as_deref(), Some(out.path()));
    // Copy Markdown puts the same export on the clipboard.
    h.get_by_label("Copy Markdown").click();
    h.step();
    assert!(copied(&h).is_some_and(|t| t.starts_with("---\n") && t.contains("# Notes")));
    // The document itself, annotated, to share: HTML by default.
    h.get_by_label("This document, annotated").click();
    settle(&mut h);
    let form = h.state().state.notes.export.clone().expect("form");
    assert!(form.annotated && form.format == sco_reader::export::Format::Html);
    let page = out.path().join("shared.html");
    type_export_path(&mut h, &page);
    h.get_by_label("Save").click();
    settle(&mut h);
    let html = std::fs::read_to_string(&page).expect("the annotated page");
    assert!(html.starts_with("<!DOCTYPE html>") && html.contains("<mark class=\"k-") && html.contains("class=\"hl c-yellow\""));
    // Or as TEI, with the note.
    h.get_by_label("TEI P5 (XML)").click();
    settle(&mut h);
    let tei = out.path().join("shared.tei.xml");
    type_export_path(&mut h, &tei);
    h.get_by_label("Save").click();
    settle(&mut h);
    let xml = std::fs::read_to_string(&tei).expect("the TEI file");
    assert!(xml.contains("<TEI xmlns=\"http://www.tei-c.org/ns/1.0\"") && xml.contains("<note "), "{xml}");
}

#[test]
fn a_note_whose_passage_moved_or_went_says_so_in_the_window() {
    let dir = tempfile::tempdir().expect("tmp");
    let corpus = dir.path().join("corpus");
    std::fs::create_dir(&corpus).expect("mkdir");
    let p1 = "成员国将继续深化安全合作，共同打击恐怖主义、分裂主义和极端主义，维护地区和平与稳定。";
    let p2 = "各方重申愿在经贸、能源、交通等领域加强合作，推动区域经济合作，实现共同发展与繁荣。";
    std::fs::write(corpus.join("report.txt"), format!("{p1}\n\n{p2}\n")).expect("write");
    let data = dir.path().join("data");
    let size = egui::vec2(1280.0, 800.0);
    {
        let mut h = harness_on(&corpus, &data, size, Duration::from_secs(60));
        for (p, start, end) in [(0, 2, 8), (1, 0, 6)] {
            select_chars(&mut h, p, start, end);
            h.key_press_modifiers(egui::Modifiers::COMMAND | egui::Modifiers::SHIFT, egui::Key::N);
            settle(&mut h);
            h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Enter);
            settle(&mut h);
        }
        assert_eq!(h.state().state.notes.notes.len(), 2);
    }
    // A paragraph inserted above, and the first passage rewritten.
    let rewritten = "成员国将继续共同打击三股势力，维护地区和平与稳定。";
    std::fs::write(corpus.join("report.txt"), format!("新的第一段。\n\n{rewritten}\n\n{p2}\n")).expect("write");
    let mut h = harness_on(&corpus, &data, size, Duration::from_secs(60));
    h.get_by_label("Notes").click();
    settle(&mut h);
    h.get_by_label("Orphaned notes (1)");
    h.get_by_label_contains("moved from ¶2");
    // Keep here: the moved note is anchored at its new place for good.
    h.get_by_label("Keep here").click();
    settle(&mut h);
    let statuses: Vec<_> = h.state().state.notes.notes.iter().map(|(_, a)| a.status().as_str()).collect();
    let mut sorted = statuses.clone();
    sorted.sort_unstable();
    assert_eq!(sorted, ["exact", "orphaned"], "{statuses:?}");
}

#[test]
fn a_later_launch_with_a_link_opens_its_paragraph_and_titles_the_window() {
    let mut h = harness(Lang::En);
    let launches = h.state_mut().launch_sender();
    let (target, title, paragraph) = {
        let app = h.state();
        let corpus = app.corpus.as_ref().expect("corpus");
        let open = app.state.view.doc.expect("doc");
        let other = corpus.analysis.documents.iter().enumerate().find(|(i, _)| *i != open.0).expect("two documents");
        (other.1.id.clone(), other.1.title.clone(), other.1.paragraphs.len() - 1)
    };
    let link = format!("sco-reader://open?doc={}&p={paragraph}", sco_reader::export::percent_encode(&target));
    launches.send(vec![link]).expect("send");
    h.run_steps(4);
    assert_eq!(doc_id(&h), target);
    let app = h.state();
    assert_eq!(app.window_title(), format!("{title} — sco-reader"));
    assert_eq!(app.state.view.flash.map(|(p, _)| p), Some(paragraph), "the paragraph flashes");
    // A link to a document that is not in the corpus says so and stays put.
    launches.send(vec!["sco-reader://open?doc=nowhere&p=0".to_owned()]).expect("send");
    h.run_steps(3);
    assert_eq!(doc_id(&h), target);
    assert!(h.state().state.status.as_deref().is_some_and(|s| s.contains("nowhere")), "{:?}", h.state().state.status);
}

#[test]
fn compare_with_the_previous_meeting_side_by_side_and_open_a_paragraph() {
    let mut h = harness(Lang::En);
    h.get_by_label_contains("11-01").click();
    settle(&mut h);
    h.get_by_label("⇄ Compare with the previous meeting").click();
    settle(&mut h);
    let (a, b, pairs) = {
        let compare = h.state().state.compare.clone().expect("a comparison");
        (compare.a, compare.b, compare.pairs)
    };
    let corpus = h.state().corpus.clone().expect("corpus");
    assert_eq!(corpus.analysis.documents[b.0].date(), Some("2022-11-01"));
    assert_eq!(corpus.analysis.documents[a.0].date(), Some("2020-11-30"), "the previous heads-of-government meeting");
    h.get_by_label_contains("changed ·");
    // A click on a paragraph of the earlier document opens it there.
    let first_changed =
        pairs.iter().find(|p| p.op == sco_reader::compare::align::Op::Changed && p.a.is_some()).expect("a changed pair");
    let para = first_changed.a.expect("a");
    let text = corpus.analysis.documents[a.0].paragraphs[para].text.clone();
    h.get_by_label(&text).click();
    settle(&mut h);
    assert_eq!(h.state().state.view.doc, Some(a));
    assert_eq!(h.state().state.view.flash.map(|(p, _)| p), Some(para));
}

#[test]
fn search_hits_as_keyword_in_context_and_a_term_over_time() {
    let mut h = harness(Lang::En);
    h.key_press_modifiers(egui::Modifiers::COMMAND | egui::Modifiers::SHIFT, egui::Key::F);
    settle(&mut h);
    h.get_by_label("Search all documents").type_text("数字经济");
    settle(&mut h);
    let results = h.state().state.corpus_search.results.clone().expect("results");
    assert!(results.total >= 2);
    // Keyword in context, sorted by the right context; a click opens the hit.
    h.get_by_label("Keyword in context").click();
    settle(&mut h);
    h.get_by_label("sort by right").click();
    settle(&mut h);
    assert_eq!(h.state().state.corpus_search.kwic, Some(Some(false)));
    let corpus = h.state().corpus.clone().expect("corpus");
    let mut lines = sco_reader::compare::kwic::lines(&corpus.analysis, &results.hits, sco_reader::ui::state::KWIC_CONTEXT);
    sco_reader::compare::kwic::sort(&mut lines, false);
    h.get_by_label(&lines[0].right).click();
    settle(&mut h);
    let doc = corpus.analysis.doc_ix(&lines[0].doc).expect("doc");
    assert_eq!(h.state().state.view.doc, Some(doc));
    h.get_by_label("Copy as CSV").click();
    h.step();
    assert!(copied(&h).is_some_and(|t| t.starts_with("left,hit,right,doc,paragraph\n") && t.contains("数字经济")));
    // The term over time: one point per dated document, the search's counts.
    h.get_by_label("Trends…").click();
    settle(&mut h);
    let trends = h.state().state.trends.clone().expect("trends window");
    assert_eq!(trends.series.len(), 1);
    let total: usize = trends.series[0].points.iter().map(|p| p.count).sum();
    assert_eq!(total, results.total);
    h.get_by_label("per 10,000 characters").click();
    settle(&mut h);
    assert!(h.state().state.trends.as_ref().is_some_and(|t| t.per_10k));
}

#[test]
fn the_reader_tints_what_is_new_since_the_earlier_meetings() {
    let mut h = harness(Lang::En);
    h.get_by_label_contains("11-01").click();
    settle(&mut h);
    h.get_by_label("Tint what is new since the earlier meetings").click();
    settle(&mut h);
    let doc = h.state().state.view.doc.expect("doc");
    let (for_doc, novelty) = h.state().state.view.novelty.clone().expect("computed");
    assert_eq!(for_doc, doc);
    let corpus = h.state().corpus.clone().expect("corpus");
    assert_eq!(novelty, sco_reader::compare::novelty::novelty(&corpus.analysis, doc));
    h.get_by_label_contains(&format!("{} new sentences", novelty.new.len()));
    // Another document: its own novelty, the tint stays on.
    h.get_by_label_contains("11-30").click();
    settle(&mut h);
    let other = h.state().state.view.doc.expect("doc");
    assert_eq!(h.state().state.view.novelty.as_ref().map(|(d, _)| *d), Some(other));
}

#[test]
fn the_office_table_lists_attendees_with_their_offices_and_opens_a_card() {
    let mut h = harness(Lang::En);
    h.get_by_label("Entities").click();
    settle(&mut h);
    h.get_by_label("Offices…").click();
    settle(&mut h);
    let people = h.state().state.offices.clone().expect("the table");
    let li = people.iter().find(|p| p.name == "李克强").expect("李克强 in the table");
    assert!(li.roles.iter().any(|r| r.country.as_deref() == Some("中国")));
    // The first row's name (in view) opens that person's card.
    let first = people[0].name.clone();
    h.get_by_label(&first).click();
    settle(&mut h);
    assert_eq!(h.state().state.view.card, Some(Card::Entity(EntityKind::Person, first)));
}

/// Steps until the corpus on screen is a newer one (the corrections applied).
fn wait_for_reload(h: &mut Harness<'_, ReaderApp>, generation: u64) {
    let start = Instant::now();
    while h.state().corpus.as_ref().is_none_or(|c| c.generation == generation) || h.state().loader.is_some() {
        assert!(start.elapsed() < Duration::from_secs(60), "the corrections were not applied");
        std::thread::sleep(Duration::from_millis(20));
        h.step();
    }
    settle(h);
}

fn generation(h: &Harness<'_, ReaderApp>) -> u64 {
    h.state().corpus.as_ref().map_or(0, |c| c.generation)
}

fn entity_at(h: &Harness<'_, ReaderApp>, p: usize, start: usize, end: usize) -> Option<sco_reader::model::Entity> {
    let app = h.state();
    let doc = &app.corpus.as_ref().expect("corpus").analysis.documents[app.state.view.doc.expect("doc")];
    doc.entities.iter().find(|e| e.place() == (p, start, end)).cloned()
}

#[test]
fn mark_reject_undo_and_merge_corrections_in_the_window() {
    let mut h = harness(Lang::En);
    h.get_by_label_contains("12-14").click();
    settle(&mut h);
    let doc = h.state().state.view.doc;
    let (p, chars) = visible_paragraph(&h, 30, 150.0);
    // A span on one row that is no entity yet.
    let free = {
        let app = h.state();
        let d = &app.corpus.as_ref().expect("corpus").analysis.documents[doc.expect("doc")];
        let layout = &app.caches.document;
        (0..chars.len() - 4)
            .find(|s| {
                !d.entities.iter().any(|e| e.paragraph() == p && e.chars().start < s + 4 && *s < e.chars().end)
                    && chars[*s..s + 4].iter().all(|c| ('\u{4e00}'..='\u{9fff}').contains(c))
                    && layout
                        .char_screen_pos(p, *s)
                        .zip(layout.char_screen_pos(p, s + 4))
                        .is_some_and(|(a, b)| (a.y - b.y).abs() < 1.0)
            })
            .expect("free span")
    };
    let (s, e) = (free, free + 4);
    select_chars(&mut h, p, s, e);
    right_click(&mut h, p, s + 1);
    h.get_by_label("Mark as").click();
    settle(&mut h);
    // The submenu's item (the toolbar's kind chip has the same name).
    h.get_all_by_label("Organisation").last().expect("in the submenu").click();
    settle(&mut h);
    assert!(h.state().state.corrections.form.is_some(), "the form is open");
    let g = generation(&h);
    h.get_by_label("Save").click();
    wait_for_reload(&mut h, g);
    let marked = entity_at(&h, p, s, e).expect("marked");
    assert_eq!(marked.kind, EntityKind::Organization);
    assert_eq!(h.state().state.view.doc, doc, "the view stays on the document");

    // Right-click on it: not an entity.
    h.step();
    right_click(&mut h, p, s + 1);
    let g = generation(&h);
    h.get_by_label("Not an entity").click();
    wait_for_reload(&mut h, g);
    assert!(entity_at(&h, p, s, e).is_none(), "rejected");

    // The Corrections tab lists both; deleting the rejection brings the mark back; undo takes it away again.
    h.get_by_label("Corrections").click();
    settle(&mut h);
    assert_eq!(h.state().corpus.as_ref().map(|c| c.corrections.len()), Some(2));
    let g = generation(&h);
    h.get_all_by_label("×").next().expect("delete button").click();
    wait_for_reload(&mut h, g);
    assert_eq!(entity_at(&h, p, s, e).map(|e| e.kind), Some(EntityKind::Organization));
    let g = generation(&h);
    h.get_by_label("Undo").click();
    wait_for_reload(&mut h, g);
    assert!(entity_at(&h, p, s, e).is_none());

    // Two agreements merged: one card with both wordings.
    let (keep, merge, count) = {
        let a = &h.state().corpus.as_ref().expect("corpus").analysis;
        (a.agreements[0].clone(), a.agreements[1].clone(), a.agreements.len())
    };
    // Merged from the card of the one merged away: the card follows it (ids are renumbered).
    h.state_mut().push(sco_reader::ui::command::Command::ShowAgreement(merge.id.clone()));
    settle(&mut h);
    let g = generation(&h);
    h.state_mut().push(sco_reader::ui::command::Command::MergeAgreements { keep: keep.id.clone(), merge: merge.id.clone() });
    wait_for_reload(&mut h, g);
    let a = &h.state().corpus.as_ref().expect("corpus").analysis;
    assert_eq!(a.agreements.len(), count - 1);
    assert!(a.agreements[0].variants.contains(&merge.title), "{:?}", a.agreements[0]);
    let card = h.state().state.side.agreement_card.clone().expect("the card stays");
    assert_eq!(card.title, keep.title, "the card shows the merged agreement, not the one now numbered {}", merge.id);
    h.get_by_label(&format!("《{}》", merge.title));
    h.get_by_label("Correct this agreement").click();
    settle(&mut h);
    assert!(h.query_all_by_label("Split off").count() >= 2);
}

#[test]
fn a_file_saved_while_the_window_is_open_is_read_again() {
    let corpus = tempfile::tempdir().expect("tmp");
    let data = tempfile::tempdir().expect("tmp");
    let file = corpus.path().join("speech.txt");
    std::fs::write(&file, "在上合组织峰会上的讲话\n\n各方同意加强合作。\n").expect("write");
    let mut h = harness_on(corpus.path(), data.path(), egui::vec2(1280.0, 800.0), Duration::from_secs(60));
    let g = generation(&h);
    std::fs::write(&file, "在上合组织峰会上的讲话\n\n各方同意在塔什干加强合作。\n").expect("write");
    // The window picks the change up once the folder is quiet, without a restart.
    let start = Instant::now();
    while generation(&h) == g || h.state().loader.is_some() {
        assert!(start.elapsed() < Duration::from_secs(30), "the change was not picked up");
        std::thread::sleep(Duration::from_millis(50));
        h.step();
    }
    settle(&mut h);
    let app = h.state();
    let doc = &app.corpus.as_ref().expect("corpus").analysis.documents[app.state.view.doc.expect("still open")];
    assert!(doc.paragraphs.iter().any(|p| p.text.contains("塔什干")), "{:?}", doc.paragraphs);
    assert!(doc.entities.iter().any(|e| e.canonical == "塔什干"));
    // Only that file analysed, and the status says so, not "reading again".
    assert_eq!(app.corpus.as_ref().map(|c| c.cache.clone()), Some(sco_reader::cache::Outcome::Stored { analysed: 1 }));
    assert!(h.query_by_label_contains("reading them again").is_none());
}
