//! The house rules ARCHITECTURE.md states, checked on the source: no import
//! circle between the top-level modules of `src/`, nothing below `ui/`
//! imports egui, no panel reaches for the app.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("read src").flatten() {
        let path = entry.path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The file's code without its test modules (`#[cfg(test)]` and the item after it).
fn code_without_tests(text: &str) -> String {
    let mut out = String::new();
    let (mut skip_depth, mut pending): (Option<i64>, bool) = (None, false);
    for line in text.lines() {
        let depth = line.matches('{').count() as i64 - line.matches('}').count() as i64;
        if let Some(d) = skip_depth.as_mut() {
            *d += depth;
            if *d <= 0 {
                skip_depth = None;
            }
            continue;
        }
        if line.trim_start().starts_with("#[cfg(test)]") {
            pending = true;
            continue;
        }
        if pending {
            pending = false;
            if depth > 0 {
                skip_depth = Some(depth);
            }
            continue;
        }
        out.push_str(line);
        out.push('\n');
    }
    out
}

/// Top-level module of a file under `src/` (`analysis` for `src/analysis/first_pass.rs`).
fn module_of(path: &Path) -> String {
    let rel = path.strip_prefix(src()).expect("under src");
    let first = rel.components().next().expect("a component").as_os_str().to_string_lossy().into_owned();
    first.strip_suffix(".rs").map(str::to_owned).unwrap_or(first)
}

fn is_test_file(path: &Path) -> bool {
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    name == "tests.rs" || name.ends_with("_tests.rs")
}

/// `crate::NAME` paths in `code`, for NAME a top-level module.
fn crate_modules(code: &str, modules: &BTreeSet<String>) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    for (i, _) in code.match_indices("crate::") {
        let rest = &code[i + "crate::".len()..];
        let name: String = rest.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect();
        if modules.contains(&name) {
            found.insert(name);
        }
    }
    found
}

#[test]
fn no_import_circle_between_top_level_modules() {
    let mut files = Vec::new();
    rust_files(&src(), &mut files);
    let modules: BTreeSet<String> = files.iter().map(|f| module_of(f)).filter(|m| m != "lib" && m != "main").collect();
    let mut edges: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for file in files.iter().filter(|f| !is_test_file(f)) {
        let here = module_of(file);
        let code = code_without_tests(&std::fs::read_to_string(file).expect("read"));
        for m in crate_modules(&code, &modules) {
            if m != here {
                edges.entry(here.clone()).or_default().insert(m);
            }
        }
    }
    assert!(edges.contains_key("analysis"), "the graph was read: {edges:?}");
    // A circle is a path from a module back to itself.
    for start in edges.keys() {
        let mut seen = BTreeSet::new();
        let mut todo: Vec<(String, Vec<String>)> = vec![(start.clone(), vec![start.clone()])];
        while let Some((m, path)) = todo.pop() {
            for next in edges.get(&m).into_iter().flatten() {
                assert!(next != start, "import circle: {} -> {start}", path.join(" -> "));
                if seen.insert(next.clone()) {
                    let mut p = path.clone();
                    p.push(next.clone());
                    todo.push((next.clone(), p));
                }
            }
        }
    }
    // The contract's types import nothing of the pipeline.
    assert!(edges.get("model").is_none_or(BTreeSet::is_empty), "model imports {:?}", edges.get("model"));
}

#[test]
fn egui_only_below_ui_and_panels_never_reach_for_the_app() {
    let mut files = Vec::new();
    rust_files(&src(), &mut files);
    for file in &files {
        let code = std::fs::read_to_string(file).expect("read");
        let module = module_of(file);
        if module != "ui" && module != "main" && module != "lib" {
            assert!(!code.contains("egui::") && !code.contains("eframe::"), "{} uses egui outside ui/", file.display());
        }
        if file.components().any(|c| c.as_os_str() == "panels") {
            for banned in ["ReaderApp", "ui::app", "super::app", "&mut AppState"] {
                assert!(
                    !code.contains(banned),
                    "{} mentions {banned}: panels draw from a ViewCtx and push commands",
                    file.display()
                );
            }
        }
    }
}
