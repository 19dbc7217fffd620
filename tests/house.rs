//! The house rules of issue 29, checked by reading `src/`:
//! - no file circles: no two files under `src/` reach each other through their paths
//!   (`use` lines and paths in the code: `crate::…`, `super::…`, a child module's name);
//! - no function over 100 lines without a `// Long:` comment above it saying why;
//! - `src/app/` has at most a dozen entries at its top.
//!
//! Tests (`#[cfg(test)]` modules and `tests.rs` files) are left out: they may reach into what
//! they test.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// A module path from the crate root (`["io", "export", "kml"]`) and the file it lives in.
struct Module {
    path: Vec<String>,
    file: PathBuf,
    /// The code with comments, string and character literals blanked, and test modules cut.
    code: String,
}

fn modules() -> Vec<Module> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    collect(&root, &mut files);
    files.sort();
    files
        .into_iter()
        .filter_map(|file| {
            let rel = file.strip_prefix(&root).ok()?.with_extension("");
            let mut path: Vec<String> = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            // The binary is its own crate; test files are tests.
            if path == ["main"] || path.last().is_some_and(|l| l == "tests") {
                return None;
            }
            if path.last().is_some_and(|l| l == "mod" || l == "lib") {
                path.pop();
            }
            let text = std::fs::read_to_string(&file).ok()?;
            Some(Module {
                path,
                file,
                code: cut_test_modules(&blank(&text)),
            })
        })
        .collect()
}

fn collect(dir: &Path, files: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect(&path, files);
        } else if path.extension().is_some_and(|e| e == "rs") {
            files.push(path);
        }
    }
}

/// The text with comments and the insides of string and character literals replaced by
/// spaces (newlines kept, so line numbers hold). Lifetimes are kept.
fn blank(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    let keep = |c: char| if c == '\n' { '\n' } else { ' ' };
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        if c == '/' && next == Some('/') {
            while i < chars.len() && chars[i] != '\n' {
                out.push(' ');
                i += 1;
            }
        } else if c == '/' && next == Some('*') {
            let mut depth = 0;
            while i < chars.len() {
                if chars[i] == '/' && chars.get(i + 1) == Some(&'*') {
                    depth += 1;
                    out.push_str("  ");
                    i += 2;
                } else if chars[i] == '*' && chars.get(i + 1) == Some(&'/') {
                    depth -= 1;
                    out.push_str("  ");
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    out.push(keep(chars[i]));
                    i += 1;
                }
            }
        } else if c == 'r'
            && (next == Some('"') || next == Some('#'))
            && !chars
                .get(i.wrapping_sub(1))
                .is_some_and(|p| p.is_alphanumeric() || *p == '_')
        {
            // A raw string: r"…" or r#"…"#.
            let mut j = i + 1;
            let mut hashes = 0;
            while chars.get(j) == Some(&'#') {
                hashes += 1;
                j += 1;
            }
            if chars.get(j) != Some(&'"') {
                out.push(c);
                i += 1;
                continue;
            }
            out.push('"');
            j += 1;
            loop {
                if j >= chars.len() {
                    break;
                }
                if chars[j] == '"' && (0..hashes).all(|k| chars.get(j + 1 + k) == Some(&'#')) {
                    j += 1 + hashes;
                    break;
                }
                out.push(keep(chars[j]));
                j += 1;
            }
            out.push('"');
            i = j;
        } else if c == '"' {
            out.push('"');
            i += 1;
            while i < chars.len() && chars[i] != '"' {
                if chars[i] == '\\' {
                    out.push(' ');
                    i += 1;
                }
                if i < chars.len() {
                    out.push(keep(chars[i]));
                    i += 1;
                }
            }
            out.push('"');
            i += 1;
        } else if c == '\'' {
            // A character literal ('x', '\n', '\u{e9}') or a lifetime ('a).
            if next == Some('\\') {
                out.push_str("' ");
                i += 2;
                while i < chars.len() && chars[i] != '\'' {
                    out.push(' ');
                    i += 1;
                }
                out.push('\'');
                i += 1;
            } else if chars.get(i + 2) == Some(&'\'') {
                out.push_str("' '");
                i += 3;
            } else {
                out.push(c);
                i += 1;
            }
        } else {
            out.push(c);
            i += 1;
        }
    }
    out
}

/// The code without `#[cfg(test)] mod … { … }` blocks and `#[cfg(test)] mod …;` lines.
fn cut_test_modules(code: &str) -> String {
    let mut out = code.to_string();
    while let Some(at) = out.find("#[cfg(test)]") {
        let rest = &out[at..];
        let end = match (rest.find('{'), rest.find(';')) {
            (Some(brace), semi) if semi.is_none_or(|s| brace < s) => {
                let mut depth = 0;
                let mut end = rest.len();
                for (k, ch) in rest.char_indices().skip_while(|(k, _)| *k < brace) {
                    match ch {
                        '{' => depth += 1,
                        '}' => {
                            depth -= 1;
                            if depth == 0 {
                                end = k + 1;
                                break;
                            }
                        }
                        _ => {}
                    }
                }
                end
            }
            (_, Some(semi)) => semi + 1,
            _ => rest.len(),
        };
        let blanked: String = rest[..end]
            .chars()
            .map(|c| if c == '\n' { '\n' } else { ' ' })
            .collect();
        out.replace_range(at..at + end, &blanked);
    }
    out
}

fn is_ident(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// Every path in the code, as its segments: `crate::io::read` gives `["crate", "io",
/// "read"]`. Paths inside `use` braces are expanded.
fn paths(code: &str) -> Vec<Vec<String>> {
    let mut found = Vec::new();
    // `use` items, with their braces.
    let mut rest = code;
    // The code with its `use` items blanked, for the paths in the code below.
    let mut plain = code.to_string();
    while let Some(at) = find_word(rest, "use") {
        let after = &rest[at + 3..];
        let end = after.find(';').unwrap_or(after.len());
        let start = code.len() - rest.len() + at;
        let blanked: String = code[start..start + 3 + end]
            .chars()
            .map(|c| if c == '\n' { '\n' } else { ' ' })
            .collect();
        plain.replace_range(start..start + 3 + end, &blanked);
        let tree: String = after[..end]
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .replace(" as ", "@")
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect();
        expand(&tree, &mut found);
        rest = &after[end..];
    }
    // Paths in the code: a run of `ident::ident::…`.
    let code = plain.as_str();
    let chars: Vec<(usize, char)> = code.char_indices().collect();
    let mut k = 0;
    while k < chars.len() {
        let (at, c) = chars[k];
        let starts = is_ident(c) && (k == 0 || !is_ident(chars[k - 1].1) && chars[k - 1].1 != ':');
        if starts {
            let run_end = code[at..]
                .find(|ch: char| !(is_ident(ch) || ch == ':'))
                .map_or(code.len(), |e| at + e);
            let run = &code[at..run_end];
            if run.contains("::") {
                found.push(
                    run.split("::")
                        .filter(|s| !s.is_empty())
                        .map(str::to_string)
                        .collect(),
                );
            }
            while k < chars.len() && chars[k].0 < run_end {
                k += 1;
            }
        } else {
            k += 1;
        }
    }
    found
}

fn find_word(text: &str, word: &str) -> Option<usize> {
    let mut from = 0;
    while let Some(i) = text[from..].find(word) {
        let at = from + i;
        let before = text[..at].chars().next_back();
        let after = text[at + word.len()..].chars().next();
        if !before.is_some_and(is_ident) && after.is_some_and(char::is_whitespace) {
            return Some(at);
        }
        from = at + word.len();
    }
    None
}

/// Expands a `use` tree without spaces (`a::{b,c::{d,e}}`) into its paths.
fn expand(tree: &str, out: &mut Vec<Vec<String>>) {
    let Some(open) = tree.find('{') else {
        // `a::b@c` is `a::b as c`.
        let path = tree.split('@').next().unwrap_or(tree);
        out.push(
            path.split("::")
                .filter(|s| !s.is_empty() && *s != "*")
                .map(str::to_string)
                .collect(),
        );
        return;
    };
    let prefix = &tree[..open];
    let mut depth = 0;
    let mut close = tree.len();
    for (k, c) in tree.char_indices().skip(open) {
        match c {
            '{' => depth += 1,
            '}' => {
                depth -= 1;
                if depth == 0 {
                    close = k;
                    break;
                }
            }
            _ => {}
        }
    }
    let inner = &tree[open + 1..close];
    let mut depth = 0;
    let mut item = String::new();
    let mut items = Vec::new();
    for c in inner.chars() {
        match c {
            '{' => depth += 1,
            '}' => depth -= 1,
            _ => {}
        }
        if c == ',' && depth == 0 {
            items.push(std::mem::take(&mut item));
        } else {
            item.push(c);
        }
    }
    items.push(item);
    for item in items.into_iter().filter(|i| !i.is_empty()) {
        if item == "self" {
            expand(prefix.trim_end_matches("::"), out);
        } else {
            expand(&format!("{prefix}{item}"), out);
        }
    }
}

/// The module each path of each module reaches, as edges between modules.
fn edges(modules: &[Module]) -> BTreeMap<usize, BTreeSet<usize>> {
    let index: BTreeMap<&[String], usize> = modules
        .iter()
        .enumerate()
        .map(|(i, m)| (m.path.as_slice(), i))
        .collect();
    let mut edges: BTreeMap<usize, BTreeSet<usize>> = BTreeMap::new();
    for (from, module) in modules.iter().enumerate() {
        let found = paths(&module.code);
        // Names bound to modules by `use` (`use crate::io;`, `use super::table as t;`).
        let mut aliases: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for path in &found {
            if let Some(full) = resolve(&module.path, path, &index, &BTreeMap::new())
                && index.contains_key(full.as_slice())
                && let Some(last) = path.last()
            {
                aliases.insert(last.clone(), full);
            }
        }
        for path in &found {
            let Some(full) = resolve(&module.path, path, &index, &aliases) else {
                continue;
            };
            let target = (0..=full.len())
                .rev()
                .find_map(|k| index.get(&full[..k]).copied());
            if let Some(to) = target
                && to != from
            {
                edges.entry(from).or_default().insert(to);
            }
        }
    }
    edges
}

/// The full module path a path names, from the crate root, if it is inside the crate.
fn resolve(
    at: &[String],
    path: &[String],
    index: &BTreeMap<&[String], usize>,
    aliases: &BTreeMap<String, Vec<String>>,
) -> Option<Vec<String>> {
    let first = path.first()?;
    let (mut base, rest): (Vec<String>, &[String]) = match first.as_str() {
        "crate" => (Vec::new(), &path[1..]),
        "self" => (at.to_vec(), &path[1..]),
        "super" => {
            let mut base = at.to_vec();
            let mut k = 0;
            while path.get(k).is_some_and(|s| s == "super") {
                base.pop();
                k += 1;
            }
            (base, &path[k..])
        }
        name => {
            let mut child = at.to_vec();
            child.push(name.to_string());
            if index.contains_key(child.as_slice()) {
                (at.to_vec(), path)
            } else if let Some(target) = aliases.get(name).filter(|_| path.len() > 1) {
                (target.clone(), &path[1..])
            } else {
                return None;
            }
        }
    };
    base.extend(rest.iter().cloned());
    Some(base)
}

/// Tarjan's strongly connected components with more than one module.
fn circles(n: usize, edges: &BTreeMap<usize, BTreeSet<usize>>) -> Vec<Vec<usize>> {
    struct State<'a> {
        edges: &'a BTreeMap<usize, BTreeSet<usize>>,
        index: Vec<Option<usize>>,
        low: Vec<usize>,
        stack: Vec<usize>,
        on: Vec<bool>,
        next: usize,
        found: Vec<Vec<usize>>,
    }
    fn visit(s: &mut State<'_>, v: usize) {
        s.index[v] = Some(s.next);
        s.low[v] = s.next;
        s.next += 1;
        s.stack.push(v);
        s.on[v] = true;
        let targets: Vec<usize> = s.edges.get(&v).into_iter().flatten().copied().collect();
        for w in targets {
            match s.index[w] {
                None => {
                    visit(s, w);
                    s.low[v] = s.low[v].min(s.low[w]);
                }
                Some(iw) if s.on[w] => s.low[v] = s.low[v].min(iw),
                Some(_) => {}
            }
        }
        if Some(s.low[v]) == s.index[v] {
            let mut component = Vec::new();
            while let Some(w) = s.stack.pop() {
                s.on[w] = false;
                component.push(w);
                if w == v {
                    break;
                }
            }
            if component.len() > 1 {
                s.found.push(component);
            }
        }
    }
    let mut s = State {
        edges,
        index: vec![None; n],
        low: vec![0; n],
        stack: Vec::new(),
        on: vec![false; n],
        next: 0,
        found: Vec::new(),
    };
    for v in 0..n {
        if s.index[v].is_none() {
            visit(&mut s, v);
        }
    }
    s.found
}

fn name(m: &Module) -> String {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    m.file
        .strip_prefix(root)
        .unwrap_or(&m.file)
        .display()
        .to_string()
}

#[test]
fn no_file_circles() {
    let modules = modules();
    assert!(modules.len() > 50, "src/ was not found");
    let edges = edges(&modules);
    let found = circles(modules.len(), &edges);
    let report: Vec<String> = found
        .iter()
        .map(|component| {
            let members: BTreeSet<usize> = component.iter().copied().collect();
            let lines: Vec<String> = component
                .iter()
                .map(|&v| {
                    let to: Vec<String> = edges[&v]
                        .iter()
                        .filter(|w| members.contains(w))
                        .map(|&w| name(&modules[w]))
                        .collect();
                    format!("  {} -> {}", name(&modules[v]), to.join(", "))
                })
                .collect();
            lines.join("\n")
        })
        .collect();
    assert!(
        found.is_empty(),
        "{} file circles:\n{}",
        found.len(),
        report.join("\n\n")
    );
}

#[test]
fn the_checker_sees_paths_and_circles() {
    let code = blank(
        "use crate::io::{read, export::{kml, tables as t}};\n// crate::not::this\n\
         fn f() { let s = \"crate::nor::this\"; super::table::Table::new(); child::x(); }",
    );
    let found = paths(&code);
    let strings: Vec<String> = found.iter().map(|p| p.join("::")).collect();
    assert_eq!(
        strings,
        [
            "crate::io::read",
            "crate::io::export::kml",
            "crate::io::export::tables",
            "super::table::Table::new",
            "child::x"
        ]
    );
    let edges = BTreeMap::from([(0, BTreeSet::from([1])), (1, BTreeSet::from([2, 0]))]);
    assert_eq!(circles(3, &edges).len(), 1);
    assert!(circles(3, &BTreeMap::from([(0, BTreeSet::from([1]))])).is_empty());
}

/// Functions whose body runs over this many lines need a reason beside them.
const LONG: usize = 100;

#[test]
fn no_long_functions_without_a_reason() {
    let mut long = Vec::new();
    for module in modules() {
        let original = std::fs::read_to_string(&module.file).unwrap_or_default();
        let lines: Vec<&str> = original.lines().collect();
        let code = &module.code;
        let mut from = 0;
        while let Some(i) = find_word(&code[from..], "fn") {
            let at = from + i;
            from = at + 2;
            let Some(open) = code[at..].find(['{', ';']).map(|o| at + o) else {
                break;
            };
            if code.as_bytes()[open] == b';' {
                continue;
            }
            let mut depth = 0;
            let mut close = code.len();
            for (k, c) in code[open..].char_indices() {
                match c {
                    '{' => depth += 1,
                    '}' => {
                        depth -= 1;
                        if depth == 0 {
                            close = open + k;
                            break;
                        }
                    }
                    _ => {}
                }
            }
            let first = code[..at].matches('\n').count();
            let last = code[..close].matches('\n').count();
            if last - first < LONG {
                continue;
            }
            // A reason: a `// Long:` comment among the comments and attributes above it.
            let reason = lines[..first]
                .iter()
                .rev()
                .take_while(|l| {
                    let t = l.trim_start();
                    t.starts_with("//") || t.starts_with("#[")
                })
                .any(|l| l.trim_start().starts_with("// Long:"));
            if !reason {
                let signature = lines.get(first).map_or("", |l| l.trim());
                long.push(format!(
                    "{}:{} ({} lines) {signature}",
                    name(&module),
                    first + 1,
                    last - first + 1
                ));
            }
        }
    }
    assert!(
        long.is_empty(),
        "{} functions over {LONG} lines without a `// Long:` reason:\n{}",
        long.len(),
        long.join("\n")
    );
}

#[test]
fn the_window_folder_has_at_most_a_dozen_entries() {
    let app = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/app");
    let entries: Vec<String> = std::fs::read_dir(&app)
        .map(|d| {
            d.flatten()
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    assert!(
        (1..=12).contains(&entries.len()),
        "src/app has {} entries: {entries:?}",
        entries.len()
    );
}

/// The window's selection, settings, tool and tab, and the open document's fields, change in
/// one place, `src/app/apply.rs` (`set_selection`, `remember`, `set_tool`, `show_tab`,
/// `set_project`, `edit`, `install`); every other file reads them.
#[test]
fn selection_and_settings_change_only_in_apply() {
    let mutably = |line: &str, field: &str| {
        line.split(&format!("&mut {field}"))
            .skip(1)
            .any(|rest| !rest.starts_with(is_ident))
    };
    let mut found = Vec::new();
    for module in modules() {
        let file = name(&module);
        if !file.starts_with("src/app/") || file == "src/app/apply.rs" {
            continue;
        }
        for (n, line) in module.code.lines().enumerate() {
            let line = line.trim();
            let assigns = |field: &str| {
                line.split(field).skip(1).any(|rest| {
                    // `self.tab` is not `self.table`.
                    if rest.starts_with(is_ident) {
                        return false;
                    }
                    let rest = rest.trim_start_matches(|c: char| c == '.' || is_ident(c));
                    let rest = rest.trim_start();
                    rest.starts_with('=') && !rest.starts_with("==")
                })
            };
            let fields = [
                "self.selection",
                "self.settings",
                "self.tool",
                "self.tab",
                "self.doc",
            ];
            if fields.iter().any(|f| assigns(f) || mutably(line, f)) {
                found.push(format!("{file}:{}: {line}", n + 1));
            }
        }
    }
    assert!(
        found.is_empty(),
        "the selection, settings, tool, tab or document change outside apply.rs:\n{}",
        found.join("\n")
    );
}

/// The window's state (`PistasApp`) is named only where it is defined and wired: `app/mod.rs`,
/// `app/apply.rs`, `app/chrome.rs` and `app/window/`. Panels, dialogs, the map and the state
/// types are given what they show and return what the person asked for.
#[test]
fn only_the_wiring_names_the_window() {
    let wiring = |file: &str| {
        matches!(
            file,
            "src/app/mod.rs" | "src/app/apply.rs" | "src/app/chrome.rs"
        ) || file.starts_with("src/app/window/")
    };
    let naming: Vec<String> = modules()
        .iter()
        .filter(|m| m.code.contains("PistasApp"))
        .map(name)
        .filter(|file| !wiring(file))
        .collect();
    assert!(naming.is_empty(), "these files name PistasApp: {naming:?}");
}
