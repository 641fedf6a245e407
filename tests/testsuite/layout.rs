//! The shape of `src/` a maintainer can read (issue #15): `src/lib.rs` is the pipeline in under
//! 150 lines, no source file is over 700 lines and no function over 80, except flat tables listed
//! here with their reason; the public API is the listed one; no bare `usize` index crosses a
//! module boundary.

use crate::support::repo;
use std::path::{Path, PathBuf};

/// Most lines `src/lib.rs` may have: the stages in order and `run`, nothing else.
const LIB_RS_LINES: usize = 150;
/// Most lines a file under `src/` may have.
const FILE_LINES: usize = 700;
/// Most lines a function may have, from its `fn` line to its closing brace.
const FN_LINES: usize = 80;
/// Functions allowed over [`FN_LINES`]: flat tables (one line per entry, no logic), as
/// `(file under src/, function name)`.
const FLAT_TABLES: &[(&str, &str)] = &[];

/// Every `.rs` file under `src/`, sorted.
fn sources() -> Vec<PathBuf> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        for entry in std::fs::read_dir(dir).expect("read src/") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                walk(&path, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
    }
    let mut out = Vec::new();
    walk(&repo().join("src"), &mut out);
    out.sort();
    out
}

fn rel(path: &Path) -> String {
    path.strip_prefix(repo().join("src")).expect("under src/").to_string_lossy().replace('\\', "/")
}

#[test]
fn lib_rs_is_the_pipeline_in_under_150_lines() {
    let lines = std::fs::read_to_string(repo().join("src/lib.rs")).expect("read").lines().count();
    assert!(lines < LIB_RS_LINES, "src/lib.rs has {lines} lines; at most {} (issue #15)", LIB_RS_LINES - 1);
}

#[test]
fn no_source_file_is_over_700_lines() {
    let long: Vec<String> = sources()
        .iter()
        .map(|p| (rel(p), std::fs::read_to_string(p).expect("read").lines().count()))
        .filter(|(_, n)| *n > FILE_LINES)
        .map(|(p, n)| format!("src/{p}: {n} lines"))
        .collect();
    assert!(long.is_empty(), "over {FILE_LINES} lines; split by what the parts do:\n{}", long.join("\n"));
}

#[test]
fn no_function_is_over_80_lines_except_flat_tables() {
    let mut long = Vec::new();
    for path in sources() {
        let file = rel(&path);
        let text = std::fs::read_to_string(&path).expect("read");
        for f in functions(&text) {
            if f.lines > FN_LINES && !FLAT_TABLES.contains(&(file.as_str(), f.name.as_str())) {
                long.push(format!("src/{file}:{}: fn {} is {} lines", f.line, f.name, f.lines));
            }
        }
    }
    assert!(long.is_empty(), "over {FN_LINES} lines (a flat table goes in FLAT_TABLES):\n{}", long.join("\n"));
}

/// The helpers every stage shares, each written once (issue #15): what marks the helper's work,
/// and the only file under `src/` where it may stand (tests aside). A second copy shows here;
/// call the helper instead.
const HELPERS: &[(&str, &str, &str)] = &[
    ("HTML escaping (text::push_escaped)", "\"&amp;\"", "text.rs"),
    ("decoding character references (text::decode_references)", "\"apos\"", "text.rs"),
    ("percent-decoding (text::percent_decode)", "== b'%'", "text.rs"),
    ("keeping an offset on a character boundary (source::floor_boundary)", "is_char_boundary(", "source.rs"),
    ("edit distance (diagnostic::edit_distance)", "strsim::", "diagnostic.rs"),
];

/// The first words of a filesystem error's message written by hand rather than with
/// `fs_error::FsContext` ("failed to <what> `<path>`").
const FS_ERROR_STARTS: &[&str] = &["cannot ", "failed to "];
const FS_ERROR_VERBS: &[&str] = &["read `", "write `", "create `", "open `", "remove `", "rename `", "copy `"];

/// Every source file in `src/` but the unit-test files (`tests.rs`): its path under `src/` and
/// its text up to its test module ([`without_test_module`]).
fn code_files() -> Vec<(String, String)> {
    let files = sources().into_iter().map(|path| (rel(&path), path)).filter(|(file, _)| !file.ends_with("tests.rs"));
    files
        .map(|(file, path)| {
            let text = std::fs::read_to_string(&path).expect("read");
            (file, without_test_module(&text).to_string())
        })
        .collect()
}

#[test]
fn shared_helpers_are_written_once() {
    let mut copies = Vec::new();
    for (file, code) in code_files() {
        for (what, mark, home) in HELPERS {
            if file != *home && code.contains(mark) {
                copies.push(format!("src/{file}: {what} again (`{mark}`); it lives in src/{home}"));
            }
        }
        if file == "fs_error.rs" {
            continue;
        }
        for opener in ["anyhow!(", "bail!("] {
            for (at, _) in code.match_indices(opener) {
                let message = code[at + opener.len()..].trim_start().trim_start_matches('"');
                let by_hand = FS_ERROR_STARTS.iter().any(|start| {
                    message.strip_prefix(start).is_some_and(|rest| FS_ERROR_VERBS.iter().any(|v| rest.starts_with(v)))
                });
                if by_hand {
                    let line = code[..at].lines().count();
                    copies.push(format!("src/{file}:{line}: a filesystem error by hand; use fs_error::FsContext"));
                }
            }
        }
    }
    assert!(copies.is_empty(), "shared helpers written again:\n{}", copies.join("\n"));
}

/// What `pub` (not `pub(crate)`) names, file by file: the API that main.rs, tests/ and fuzz/ use.
/// `#![deny(unreachable_pub)]` (src/lib.rs) refuses a `pub` item in a crate-internal module; this
/// snapshot shows a new `pub` item in a public one, to be made `pub(crate)` unless something
/// outside the crate uses it (then accept the snapshot: `INSTA_UPDATE=always`).
#[test]
fn the_public_api_is_what_the_binary_tests_and_fuzzing_use() {
    let mut api = String::new();
    for path in sources() {
        let code = code_only(&std::fs::read_to_string(&path).expect("read"));
        for item in public_items(&code) {
            api.push_str(&format!("src/{}: {item}\n", rel(&path)));
        }
    }
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path("snapshots");
    settings.set_prepend_module_to_snapshot(false);
    settings.bind(|| insta::assert_snapshot!("public-api", api));
}

/// Each `pub` item or field of `code` (comments and strings blanked), as `pub <keywords> <name>`;
/// a `pub use` whole.
fn public_items(code: &str) -> Vec<String> {
    const KEYWORDS: &[&str] = &["fn", "struct", "enum", "trait", "const", "static", "type", "mod", "unsafe", "async"];
    let is_ident = |c: char| c.is_alphanumeric() || c == '_' || c == '$';
    let mut out = Vec::new();
    for (at, _) in code.match_indices("pub ") {
        if code[..at].chars().next_back().is_some_and(is_ident) {
            continue;
        }
        let rest = &code[at + "pub ".len()..];
        if let Some(used) = rest.strip_prefix("use ") {
            let path: String =
                used[..used.find(';').unwrap_or(used.len())].split_whitespace().collect::<Vec<_>>().join(" ");
            out.push(format!("pub use {path}"));
            continue;
        }
        let mut words = vec!["pub"];
        for word in rest.split(|c: char| !is_ident(c)).filter(|w| !w.is_empty()) {
            words.push(word);
            if !KEYWORDS.contains(&word) {
                break;
            }
        }
        out.push(words.join(" "));
    }
    out
}

/// The function finder itself: braces in strings, characters and comments, `;` in array types,
/// lifetimes and bodiless trait functions do not fool it.
#[test]
fn functions_are_measured_from_fn_to_closing_brace() {
    let text = "trait T {\n    fn bodiless(&self) -> [u8; 2];\n}\n\
                fn small<'a>(x: &'a [u8; 4]) -> char {\n    let _ = \"}\";\n    // }\n    '{'\n}\n\
                /* fn not_code() { } */\n\
                fn raw() {\n    let _ = r#\"}\"#;\n    let _ = '\\'';\n    let _: fn(u8) = |_| {};\n}\n";
    let found: Vec<(String, usize, usize)> = functions(text).into_iter().map(|f| (f.name, f.line, f.lines)).collect();
    assert_eq!(found, [("small".to_string(), 4, 5), ("raw".to_string(), 10, 5)]);

    let long = format!("fn long() {{\n{}}}\n", "    let _ = 1;\n".repeat(FN_LINES - 1));
    assert_eq!(functions(&long)[0].lines, FN_LINES + 1);
}

/// A function with a body.
struct Function {
    name: String,
    /// Its `fn` line, from 1.
    line: usize,
    /// Lines from its `fn` line to its closing brace, both counted.
    lines: usize,
}

/// Every function with a body in `text` (nested ones too), in order.
fn functions(text: &str) -> Vec<Function> {
    let code = code_only(text);
    let b = code.as_bytes();
    let line_of = |at: usize| code[..at].bytes().filter(|&c| c == b'\n').count() + 1;
    let is_ident = |c: u8| c.is_ascii_alphanumeric() || c == b'_';
    let mut out = Vec::new();
    let mut at = 0;
    while let Some(found) = code[at..].find("fn") {
        let start = at + found;
        at = start + 2;
        if (start > 0 && is_ident(b[start - 1])) || !b.get(at).is_some_and(u8::is_ascii_whitespace) {
            continue;
        }
        let name_at = at + code[at..].len() - code[at..].trim_start().len();
        let name: String = code[name_at..].bytes().take_while(|&c| is_ident(c)).map(char::from).collect();
        if name.is_empty() {
            continue;
        }
        // The body's `{`, or the `;` of a declaration, outside the parameters' brackets.
        let mut depth = 0i32;
        let mut i = name_at;
        let body = loop {
            match b.get(i) {
                None => break None,
                Some(b'(' | b'[') => depth += 1,
                Some(b')' | b']') => depth -= 1,
                Some(b';') if depth == 0 => break None,
                Some(b'{') if depth == 0 => break Some(i),
                _ => {}
            }
            i += 1;
        };
        let Some(open) = body else { continue };
        let mut depth = 0i32;
        let close = (open..b.len()).find(|&j| {
            match b[j] {
                b'{' => depth += 1,
                b'}' => depth -= 1,
                _ => {}
            }
            depth == 0
        });
        let Some(close) = close else { continue };
        let line = line_of(start);
        out.push(Function { name, line, lines: line_of(close) - line + 1 });
    }
    out
}

/// `text` with comments, string and character literals blanked (newlines kept), so that only
/// code's braces are left.
fn code_only(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let blank = |out: &mut String, skipped: &[char]| {
        out.extend(skipped.iter().map(|&c| if c == '\n' { '\n' } else { ' ' }));
    };
    let mut i = 0;
    while i < chars.len() {
        let rest = &chars[i..];
        let after_ident = i > 0 && (chars[i - 1].is_alphanumeric() || chars[i - 1] == '_');
        let end = if rest.starts_with(&['/', '/']) {
            i + rest.iter().position(|&c| c == '\n').unwrap_or(rest.len())
        } else if rest.starts_with(&['/', '*']) {
            let mut depth = 0;
            let mut j = i;
            while j < chars.len() {
                if chars[j..].starts_with(&['/', '*']) {
                    depth += 1;
                    j += 2;
                } else if chars[j..].starts_with(&['*', '/']) {
                    depth -= 1;
                    j += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    j += 1;
                }
            }
            j
        } else if let Some(hashes) = raw_string_start(rest).filter(|_| !after_ident) {
            // r"…", r#"…"#, br"…": ends at `"` followed by as many `#`.
            let open = rest.iter().position(|&c| c == '"').expect("raw string quote") + 1;
            let mut j = i + open;
            while j < chars.len()
                && !(chars[j] == '"' && chars[j + 1..].iter().take_while(|&&c| c == '#').count() >= hashes)
            {
                j += 1;
            }
            (j + 1 + hashes).min(chars.len())
        } else if chars[i] == '"' {
            let mut j = i + 1;
            while j < chars.len() && chars[j] != '"' {
                j += if chars[j] == '\\' { 2 } else { 1 };
            }
            j + 1
        } else if chars[i] == '\'' && rest.get(1) == Some(&'\\') {
            // An escaped character: '\n', '\'', '\u{1F600}'.
            i + 2 + rest[2..].iter().position(|&c| c == '\'').map_or(0, |p| p + 1)
        } else if chars[i] == '\'' && rest.get(2) == Some(&'\'') {
            i + 3
        } else {
            out.push(chars[i]);
            i += 1;
            continue;
        };
        let end = end.min(chars.len());
        blank(&mut out, &chars[i..end]);
        i = end;
    }
    out
}

/// The number of `#` of a raw string starting here (`r"`, `r#"`, `br"`), if one does.
fn raw_string_start(rest: &[char]) -> Option<usize> {
    let after_b = if rest.first() == Some(&'b') { &rest[1..] } else { rest };
    if after_b.first() != Some(&'r') {
        return None;
    }
    let hashes = after_b[1..].iter().take_while(|&&c| c == '#').count();
    (after_b.get(1 + hashes) == Some(&'"')).then_some(hashes)
}

/// Words that say what a `usize` crossing a module boundary is, when its name holds one (a
/// parameter's, a field's, a variant's, a constant's, or for a return value its function's): a
/// count, a size or length, a position in a text (line, column, byte offset, span), a limit, or
/// the number a reader sees (`Step 2`, `print-3.html`). Any other `usize` is an index into some
/// list, and gets the list's id newtype instead (`check::FileId`, `model::FlagRef`).
const USIZE_WORDS: &[&str] = &[
    "count", "len", "length", "size", "bytes", "distance", "depth", "line", "lines", "column", "offset", "span",
    "base", "start", "end", "indent", "limit", "max", "min", "number",
];

/// The `usize`s that cross a module boundary under another name, each group with its reason, as
/// `(file under src/, names)`.
const USIZE_ALLOWED: &[(&str, &[&str])] = &[
    // The id newtype's own way to its place in the list it numbers.
    ("check/mod.rs", &["index"]),
    // How many files rendering wrote.
    ("render/mod.rs", &["render"]),
    ("lang/mod.rs", &["render"]),
    ("pipeline.rs", &["rendered", "result"]),
    // Counts in the public summaries of a build (`Written`, `WriteStats`), each documented.
    ("lib.rs", &["pages", "print_books"]),
    ("write/mod.rs", &["files", "written", "linked", "reused"]),
    // Inline fields' documents and links, keyed by the field's byte offset in its file.
    ("parse/mod.rs", &["inline"]),
    ("check/mod.rs", &["inline"]),
    // The byte offset it is given, moved back to a character boundary.
    ("source.rs", &["floor_boundary"]),
    // "step 3": the item's number as messages show it, from 1.
    ("schema/walk.rs", &["Item"]),
];

/// No bare `usize` index crosses a module boundary (issue #15): every `usize` in what other modules
/// see (the parameters and return values of `pub` and `pub(crate)` functions and of traits'
/// functions, such fields, the fields of such enums' variants, such constants; not `pub(super)`,
/// which a stage's own folder sees) is named as a count, size,
/// position or limit ([`USIZE_WORDS`]), or is in [`USIZE_ALLOWED`] with its reason.
#[test]
fn no_bare_usize_index_crosses_a_module_boundary() {
    let mut bare = Vec::new();
    for (file, code) in code_files() {
        for (line, name, ty) in usizes_crossing(&code) {
            let said = name.to_ascii_lowercase().split('_').any(|w| USIZE_WORDS.contains(&w));
            if !said && !USIZE_ALLOWED.iter().any(|(f, names)| *f == file && names.contains(&name.as_str())) {
                bare.push(format!("src/{file}:{line}: `{name}: {ty}`"));
            }
        }
    }
    assert!(
        bare.is_empty(),
        "a bare usize crosses a module boundary: use the list's id newtype, or name what it counts \
         (USIZE_WORDS in tests/testsuite/layout.rs):\n{}",
        bare.join("\n")
    );
}

/// The finder itself: parameters, return values, fields of several lines, variants, trait
/// functions and constants, and nothing private.
#[test]
fn usizes_crossing_finds_each_kind_of_item() {
    let text = "pub(crate) fn at(&self, place: usize, key: &str) -> Option<usize> { 0 }\n\
                fn private(index: usize) -> usize { index }\n\
                pub(super) fn in_stage(index: usize) {}\n\
                pub(crate) struct S {\n    pub(crate) by_id: HashMap<String,\n        usize>,\n    hidden: usize,\n}\n\
                pub(crate) struct T(pub usize);\n\
                pub enum E { A { slot: usize }, B(Vec<(u8, usize)>), C }\n\
                pub trait Sink { fn put(&self, f: impl Fn(u8) -> u8, which: usize); }\n\
                pub(crate) const LIMIT: usize = 3;\n\
                pub(crate) fn generic<F: Fn(usize)>(f: F, count: u32) {}\n";
    let found: Vec<(usize, String)> = usizes_crossing(text).into_iter().map(|(l, n, _)| (l, n)).collect();
    let want = [(1, "place"), (1, "at"), (5, "by_id"), (9, "T"), (10, "slot"), (10, "B"), (11, "which"), (12, "LIMIT")];
    assert_eq!(found, want.map(|(l, n)| (l, n.to_string())));
}

/// `text` up to its `#[cfg(test)] mod tests { … }` (a `#[cfg(test)] mod tests;` declaration is
/// stepped over).
fn without_test_module(text: &str) -> &str {
    let mut from = 0;
    while let Some(found) = text[from..].find("#[cfg(test)]") {
        let at = from + found;
        let rest = text[at + "#[cfg(test)]".len()..].trim_start();
        let declaration = rest.strip_prefix("mod ").is_some_and(|r| r.find(';') < r.find('{'));
        if !declaration {
            return &text[..at];
        }
        from = at + 1;
    }
    text
}

/// Each `usize` in what other modules see of `text`: (line, name, type).
fn usizes_crossing(text: &str) -> Vec<(usize, String, String)> {
    let code = code_only(text);
    let line_of = |at: usize| code[..at].bytes().filter(|&c| c == b'\n').count() + 1;
    let mut out = Vec::new();
    let mut push = |at: usize, name: &str, ty: &str| {
        if ty.split(|c: char| !c.is_alphanumeric() && c != '_').any(|w| w == "usize") {
            out.push((line_of(at), name.to_string(), ty.split_whitespace().collect::<Vec<_>>().join(" ")));
        }
    };
    let ident_at = |at: usize| -> &str {
        let len = code[at..].bytes().take_while(|&c| c.is_ascii_alphanumeric() || c == b'_').count();
        &code[at..at + len]
    };
    let skip_space = |at: usize| at + code[at..].len() - code[at..].trim_start().len();
    for (at, _) in code.match_indices("pub") {
        let before = code[..at].bytes().next_back().is_some_and(|c| c.is_ascii_alphanumeric() || c == b'_');
        let after = code.as_bytes().get(at + 3).is_some_and(|c| c.is_ascii_alphanumeric() || *c == b'_');
        if before || after {
            continue;
        }
        let mut i = skip_space(at + 3);
        if code[i..].starts_with('(') {
            // `pub(super)`, `pub(in …)`: seen within a stage's own folder only.
            if !code[i..].starts_with("(crate)") {
                continue;
            }
            i = skip_space(closing(&code, i) + 1);
        }
        let mut word = ident_at(i);
        let mut name_at = skip_space(i + word.len());
        // `const fn`, `async fn`, `unsafe fn`, `extern "C" fn`: the function.
        while matches!(word, "const" | "async" | "unsafe" | "extern") && !ident_at(skip_space(name_at)).is_empty() {
            let next = ident_at(name_at);
            if word == "const" && next != "fn" {
                break;
            }
            (i, word) = (name_at, next);
            name_at = skip_space(i + word.len());
        }
        let name = ident_at(name_at);
        match word {
            "fn" => signature(&code, name_at, &mut push),
            "trait" => {
                let open = name_at + code[name_at..].find('{').unwrap_or(0);
                let body = &code[open..closing(&code, open)];
                for (f, _) in body.match_indices("fn ") {
                    signature(&code, skip_space(open + f + 3), &mut push);
                }
            }
            "struct" => {
                let open = name_at + name.len();
                if code[open..].starts_with('(') {
                    for field in split_top(&code[open + 1..closing(&code, open)]) {
                        if field.trim_start().starts_with("pub") {
                            push(open, name, field);
                        }
                    }
                }
            }
            "enum" => {
                let open = name_at + code[name_at..].find('{').unwrap_or(0);
                let mut from = open + 1;
                for variant in split_top(&code[open + 1..closing(&code, open)]) {
                    let v_at = skip_space(from);
                    from += variant.len() + 1;
                    let v = ident_at(v_at);
                    let rest = skip_space(v_at + v.len());
                    match code.as_bytes().get(rest) {
                        Some(b'{') => {
                            let mut f_from = rest + 1;
                            for field in split_top(&code[rest + 1..closing(&code, rest)]) {
                                if let Some((n, ty)) = field.split_once(':') {
                                    push(skip_space(f_from), n.trim(), ty);
                                }
                                f_from += field.len() + 1;
                            }
                        }
                        Some(b'(') => push(v_at, v, &code[rest..closing(&code, rest)]),
                        _ => {}
                    }
                }
            }
            "const" | "static" => {
                let ty = &code[name_at + name.len()..];
                push(name_at, name, ty[..ty.find('=').unwrap_or(0)].trim_start().trim_start_matches(':'));
            }
            _ if !word.is_empty() && code[name_at..].starts_with(':') && !code[name_at..].starts_with("::") => {
                let ty = &code[name_at + 1..];
                push(i, word, split_top(ty).first().copied().unwrap_or_default());
            }
            _ => {}
        }
    }
    out
}

/// The parameters and return value of the function whose name is at `at`, to `push`.
fn signature(code: &str, at: usize, push: &mut impl FnMut(usize, &str, &str)) {
    let name_len = code[at..].bytes().take_while(|&c| c.is_ascii_alphanumeric() || c == b'_').count();
    let name = &code[at..at + name_len];
    let mut open = at + name_len;
    if code[open..].starts_with('<') {
        open = closing(code, open) + 1;
    }
    let Some(found) = code[open..].find('(') else { return };
    let open = open + found;
    let close = closing(code, open);
    let mut from = open + 1;
    for param in split_top(&code[open + 1..close]) {
        if let Some((pat, ty)) = param.split_once(':') {
            let pat = pat.trim().trim_start_matches("mut ").trim();
            push(from + param.len() - param.trim_start().len(), pat, ty);
        }
        from += param.len() + 1;
    }
    let rest = code[close + 1..].trim_start();
    if let Some(ret) = rest.strip_prefix("->") {
        let end = [ret.find('{'), ret.find(';'), ret.find(" where ")].into_iter().flatten().min().unwrap_or(ret.len());
        push(at, name, &ret[..end]);
    }
}

/// Where the bracket opened at `open` (`(`, `[`, `{` or `<`) closes; the end of `code` if never.
fn closing(code: &str, open: usize) -> usize {
    let b = code.as_bytes();
    let mut depth = 0i32;
    for (i, &c) in b.iter().enumerate().skip(open) {
        match c {
            b'(' | b'[' | b'{' | b'<' => depth += 1,
            b'>' if i > 0 && b[i - 1] == b'-' => {}
            b')' | b']' | b'}' | b'>' => depth -= 1,
            _ => {}
        }
        if depth == 0 {
            return i;
        }
    }
    code.len()
}

/// `list` split at its commas outside brackets, ending at the first closing bracket of its own.
fn split_top(list: &str) -> Vec<&str> {
    let b = list.as_bytes();
    let (mut depth, mut from, mut out) = (0i32, 0, Vec::new());
    for (i, &c) in b.iter().enumerate() {
        match c {
            b'(' | b'[' | b'{' | b'<' => depth += 1,
            b'>' if i > 0 && b[i - 1] == b'-' => {}
            b')' | b']' | b'}' | b'>' if depth == 0 => {
                out.push(&list[from..i]);
                return out;
            }
            b')' | b']' | b'}' | b'>' => depth -= 1,
            b',' if depth == 0 => {
                out.push(&list[from..i]);
                from = i + 1;
            }
            _ => {}
        }
    }
    out.push(&list[from..]);
    out.retain(|s| !s.trim().is_empty());
    out
}
