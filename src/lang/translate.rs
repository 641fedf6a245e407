//! `carebook translate mark|status`: recording which version of its source a translation
//! translates, and listing every translation's state.

use std::collections::HashMap;
use std::path::Path;

use crate::config::{self, Config};
use crate::fs_error::FsContext;
use crate::load::{self, Scope};
use crate::markdown::MdOptions;
use crate::parse::{self, Parsed};
use crate::schema::Kind;
use crate::source::SourceFile;

/// The translation file `file` (`content/ru/guides/mastitis.md`, `ru/guides/mastitis.md`, or a
/// path to it) as (language, kind folder, id).
fn resolve(root: &Path, config: &Config, file: &str) -> anyhow::Result<(String, Kind, String)> {
    let path = Path::new(file);
    let rel = if path.is_absolute() {
        let canonical_root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
        let canonical = path.canonicalize().unwrap_or_else(|_| path.to_path_buf());
        if canonical.starts_with(&canonical_root) { load::rel(&canonical_root, &canonical) } else { file.to_string() }
    } else {
        file.replace('\\', "/")
    };
    let rel = rel.trim_start_matches("./");
    let rel = rel.strip_prefix("content/").unwrap_or(rel);
    let parts: Vec<&str> = rel.split('/').collect();
    let codes: Vec<&str> = config.languages.iter().map(|l| l.code.as_str()).collect();
    match parts.as_slice() {
        [code, folder, name] if codes.contains(code) => {
            let kind = Kind::from_folder(folder)
                .ok_or_else(|| anyhow::anyhow!("`{file}` is not in a folder of guides, symptoms, causes or pages"))?;
            let id = name.strip_suffix(".md").ok_or_else(|| anyhow::anyhow!("`{file}` is not a .md file"))?;
            Ok((code.to_string(), kind, id.to_string()))
        }
        _ if codes.is_empty() => {
            anyhow::bail!("this site has one language: add a `[languages.<code>]` table to carebook.toml first")
        }
        _ => anyhow::bail!(
            "`{file}` is not a translation: translations are content/<language>/<folder>/<id>.md, with <language> one of {}",
            codes.join(", ")
        ),
    }
}

/// Parses one file on its own (no links are checked); `None` when its front matter has errors.
fn parse_one(path: &str, text: String, today: jiff::civil::Date) -> Option<Parsed> {
    let opts = parse::Options {
        md: MdOptions { allow_raw_html: true, skip_html: true },
        today,
        release_texts: false,
        policy: Default::default(),
    };
    let mut diags = Vec::new();
    let out = parse::parse(vec![SourceFile { path: path.to_string(), text: text.as_str().into() }], opts, &mut diags);
    let errors = diags.iter().any(|d| d.severity == crate::Severity::Error);
    out.parsed.into_iter().next().filter(|p| p.matter.is_some() && !errors)
}

/// Writes into the translation `file` the hashes of its source as it is now; returns what was
/// done, in a sentence.
///
/// # Errors
///
/// No such translation or source, a source with errors, or a file that cannot be written.
pub(crate) fn mark(root: &Path, file: &str, today: jiff::civil::Date) -> anyhow::Result<String> {
    let (config, _, _) = config::load(root)?;
    let (code, kind, id) = resolve(root, &config, file)?;
    if kind == Kind::Shared {
        anyhow::bail!(
            "`{file}` is a shared block: it has no mark of its own, the guides that use it do; once the block \
             is translated, mark those guides' translations (`carebook translate mark {code}/guides/<id>.md`)"
        );
    }
    let source_rel = format!("content/{}/{id}.md", kind.folder());
    let target_rel = format!("content/{code}/{}/{id}.md", kind.folder());
    let read = |rel: &str| std::fs::read_to_string(root.join(rel)).fs_context("read", Path::new(rel));
    let source = read(&source_rel)?;
    let target = read(&target_rel)?;
    let parsed = parse_one(&source_rel, source, today)
        .ok_or_else(|| anyhow::anyhow!("`{source_rel}` has errors: run `carebook check` and fix them first"))?;
    // The shared blocks the source uses count as its text.
    let blocks: Vec<Parsed> = shared_ids(&parsed)
        .into_iter()
        .filter_map(|id| {
            let rel = format!("content/shared/{id}.md");
            parse_one(&rel, std::fs::read_to_string(root.join(&rel)).ok()?, today)
        })
        .collect();
    let mark = super::drift::mark(&super::drift::fields(&parsed, |id| blocks.iter().find(|b| b.id == id)));
    let updated = with_mark(&target, &mark)
        .ok_or_else(|| anyhow::anyhow!("`{target_rel}` has no front matter between `---` lines"))?;
    std::fs::write(root.join(&target_rel), updated).fs_context("write", Path::new(&target_rel))?;
    Ok(format!("marked {target_rel} as translating {source_rel} as it is now"))
}

/// The ids of the shared blocks a parsed guide uses.
fn shared_ids(p: &Parsed) -> Vec<String> {
    match p.matter.as_deref() {
        Some(crate::schema::Matter::Guide(g)) => g
            .steps
            .iter()
            .filter_map(|s| s.shared.as_ref())
            .chain(g.see_a_doctor.iter().filter_map(|f| f.shared.as_ref()))
            .map(|id| id.value.clone())
            .collect(),
        _ => Vec::new(),
    }
}

/// Starts the translation into `lang` of the file of `kind` with `id`: a copy of the source at
/// `content/<lang>/<folder>/<id>.md` (its links keep working there), to be translated in place.
/// Returns the new file's path.
///
/// # Errors
///
/// A language the site does not have, no source, a translation that exists, or I/O.
pub(crate) fn start(root: &Path, lang: &str, kind: Kind, id: &str) -> anyhow::Result<String> {
    let (config, _, _) = config::load(root)?;
    if !config.languages.iter().any(|l| l.code == lang) {
        let have: Vec<&str> = config.languages.iter().map(|l| l.code.as_str()).collect();
        if lang == config.language {
            anyhow::bail!("`{lang}` is the site's default language: leave out --lang to write in content/");
        }
        anyhow::bail!(
            "the site has no language `{lang}` (it has: {}): add a `[languages.{lang}]` table to carebook.toml first",
            if have.is_empty() { "only the default".to_string() } else { have.join(", ") }
        );
    }
    let source_rel = format!("content/{}/{id}.md", kind.folder());
    let target_rel = format!("content/{lang}/{}/{id}.md", kind.folder());
    let source = match std::fs::read_to_string(root.join(&source_rel)) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            anyhow::bail!("there is no `{source_rel}`: a translation starts from its source, so write the source first")
        }
        read => read.fs_context("read", Path::new(&source_rel))?,
    };
    let dir = root.join("content").join(lang).join(kind.folder());
    std::fs::create_dir_all(&dir).fs_context("create", &dir)?;
    let text: String =
        source.split_inclusive('\n').filter(|l| !l.starts_with(&format!("{}:", super::drift::KEY))).collect();
    let mut file = match std::fs::OpenOptions::new().write(true).create_new(true).open(root.join(&target_rel)) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => anyhow::bail!("`{target_rel}` exists already"),
        Err(e) => return Err(e).fs_context("write", Path::new(&target_rel)),
    };
    std::io::Write::write_all(&mut file, text.as_bytes()).fs_context("write", Path::new(&target_rel))?;
    Ok(target_rel)
}

/// `text` with its front matter's `translated_from` line set to `mark` (replaced, or added as the
/// last line of the front matter); `None` without front matter.
pub(crate) fn with_mark(text: &str, mark: &str) -> Option<String> {
    let nl = if text.contains("\r\n") { "\r\n" } else { "\n" };
    let bom = if text.starts_with('\u{feff}') { "\u{feff}" } else { "" };
    let body = &text[bom.len()..];
    let rest = body.strip_prefix("---")?.strip_prefix(nl)?;
    let mut lines: Vec<&str> = Vec::new();
    let mut after = None;
    let mut at = 0;
    for line in rest.split_inclusive('\n') {
        at += line.len();
        let bare = line.trim_end_matches(['\r', '\n']);
        if bare == "---" {
            after = Some(&rest[at - line.len()..]);
            break;
        }
        if !bare.starts_with(&format!("{}:", super::drift::KEY)) {
            lines.push(bare);
        }
    }
    let after = after?;
    let mut out = format!("{bom}---{nl}");
    for l in lines {
        out.push_str(l);
        out.push_str(nl);
    }
    out.push_str(&format!("{}: \"{mark}\"{nl}", super::drift::KEY));
    out.push_str(after);
    Some(out)
}

/// One line per translation of every language: up to date, changed fields, not marked, or no
/// source; then the sources that a language does not translate yet. Shared blocks are counted
/// apart: a guide's mark covers the blocks it uses, so they have no state of their own.
///
/// # Errors
///
/// A site that cannot be read.
pub(crate) fn status(root: &Path, today: jiff::civil::Date) -> anyhow::Result<String> {
    let (config, _, _) = config::load(root)?;
    if config.languages.is_empty() {
        return Ok("this site has one language: nothing is translated\n".into());
    }
    let parse_scope = |scope: &Scope| -> anyhow::Result<Vec<Parsed>> {
        let mut diags = Vec::new();
        let loaded = load::load_scope(root, &mut diags, None, scope)?;
        let opts = parse::Options {
            md: MdOptions { allow_raw_html: true, skip_html: true },
            today,
            release_texts: false,
            policy: Default::default(),
        };
        Ok(parse::parse(loaded.files, opts, &mut diags).parsed)
    };
    let skip = config.languages.iter().map(|l| l.code.clone()).collect();
    let sources = parse_scope(&Scope { lang: None, skip })?;
    let by_id: HashMap<(Kind, &str), &Parsed> = sources.iter().map(|p| ((p.kind, p.id.as_str()), p)).collect();
    let mut out = String::new();
    for lang in &config.languages {
        let translations = parse_scope(&Scope { lang: Some(lang.code.clone()), skip: Vec::new() })?;
        let (mut fresh, mut stale, mut blocks) = (0, 0, 0);
        for t in &translations {
            if t.kind == Kind::Shared && by_id.contains_key(&(t.kind, t.id.as_str())) {
                blocks += 1;
                continue;
            }
            let shown = super::rename(&lang.code, &t.source.path);
            let state = match by_id.get(&(t.kind, t.id.as_str())) {
                None => {
                    stale += 1;
                    "no source".to_string()
                }
                Some(s) => match super::check::mark_of(t) {
                    None => {
                        stale += 1;
                        "not marked".to_string()
                    }
                    Some(m) => {
                        let now = super::drift::fields(s, |id| by_id.get(&(Kind::Shared, id)).copied());
                        let changed = super::drift::changed(&m.value, &now);
                        if changed.is_empty() {
                            fresh += 1;
                            "up to date".to_string()
                        } else {
                            stale += 1;
                            format!("source changed: {}", changed.join(", "))
                        }
                    }
                },
            };
            out.push_str(&format!("{shown}: {state}\n"));
        }
        let missing: Vec<String> = sources
            .iter()
            .filter(|s| !translations.iter().any(|t| t.kind == s.kind && t.id == s.id))
            .map(|s| s.source.path.clone())
            .collect();
        let blocks = match blocks {
            0 => String::new(),
            1 => ", 1 shared block (covered by the marks of the guides that use it)".to_string(),
            n => format!(", {n} shared blocks (covered by the marks of the guides that use them)"),
        };
        out.push_str(&format!(
            "{} ({}): {fresh} up to date, {stale} to look at{blocks}, {} not translated{}\n",
            lang.name,
            lang.code,
            missing.len(),
            if missing.is_empty() { String::new() } else { format!(": {}", missing.join(", ")) }
        ));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mark_is_set_once() {
        let text = "---\ntitle: A\ntranslated_from: \"old\"\n---\nBody\n";
        assert_eq!(with_mark(text, "new").as_deref(), Some("---\ntitle: A\ntranslated_from: \"new\"\n---\nBody\n"));
        let crlf = "---\r\ntitle: A\r\n---\r\n";
        assert_eq!(with_mark(crlf, "x").as_deref(), Some("---\r\ntitle: A\r\ntranslated_from: \"x\"\r\n---\r\n"));
        assert_eq!(with_mark("no front matter", "x"), None);
    }
}
