//! `carebook new guide|symptom|cause|page <id>`: writes a new content file with every field
//! present and a short comment on each.
//!
//! Its example texts are placeholders: `carebook check` refuses each one (`placeholder`, see
//! [`crate::trust`]) until it is replaced, so nothing `new` wrote reaches readers by accident.
//! Otherwise the file passes `check`: a new guide is a draft (`draft: true`); it lists no symptoms, causes or related guides, so it refers to nothing missing.
//! A new symptom or cause is reported as an `orphan` warning until a guide lists it.

use jiff::ToSpan;
use jiff::civil::Date;
use std::io::Write;
use std::path::Path;

use crate::schema::{self, Field, Kind, New, Type, is_valid_id, suggest_id};

/// Why a new file was not written. Every case is a usage error (exit status 2).
#[derive(Debug)]
pub enum NewError {
    /// The id is not lower-case letters, digits and single hyphens.
    BadId {
        /// The id as given.
        id: String,
        /// The closest valid id.
        suggestion: String,
    },
    /// The title is too short, too long or not one line.
    BadTitle(String),
    /// The file is already there; it is never overwritten.
    Exists(String),
    /// The site has no `content/` folder (probably the wrong `--root`).
    NoContent(String),
    /// The file could not be written.
    Io(String, std::io::Error),
}

impl std::fmt::Display for NewError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            NewError::BadId { id, suggestion } => write!(
                f,
                "`{id}` is not a valid id: ids are lower-case letters, digits and single hyphens, \
                 like `milk-stasis`; try `{suggestion}`"
            ),
            NewError::BadTitle(why) => f.write_str(why),
            NewError::Exists(path) => {
                write!(f, "`{path}` already exists; edit it, or choose another id (nothing was written)")
            }
            NewError::NoContent(root) => {
                write!(f, "there is no `content` folder in `{root}`; run carebook in the site folder or pass --root")
            }
            NewError::Io(path, e) => write!(f, "cannot write `{path}`: {e}"),
        }
    }
}

impl std::error::Error for NewError {}

/// The title used when none is given: the id with spaces and a capital (`milk-stasis` → `Milk stasis`).
pub(crate) fn title_from_id(id: &str) -> String {
    schema::capitalized(&id.replace('-', " "))
}

/// The text of a new file of `kind` with `title`, reviewed `today`; checks the id and title.
pub fn template(kind: Kind, id: &str, title: Option<&str>, today: Date) -> Result<String, NewError> {
    if !is_valid_id(id) {
        return Err(NewError::BadId { id: id.to_string(), suggestion: suggest_id(id) });
    }
    let title = match title {
        Some(t) => t.trim().to_string(),
        None => title_from_id(id),
    };
    if title.chars().any(char::is_control) {
        return Err(NewError::BadTitle("the title must be one line of text".into()));
    }
    let (min, max) = match schema::field(kind, "title").map(|f| f.ty) {
        Some(Type::Text { min, max, .. }) => (min, max),
        _ => (1, usize::MAX),
    };
    let n = title.chars().count();
    if !(min..=max).contains(&n) {
        return Err(NewError::BadTitle(format!(
            "the title must have {min} to {max} characters; `{title}` has {n}: give one with --title \"...\""
        )));
    }
    let values = Values { title: yaml_text(&title), today, next_year: today.checked_add(1.year()).unwrap_or(today) };
    let noun = kind.noun();
    let mut s = String::from("---\n");
    s.push_str(&format!(
        "# Front matter: the fields between the two `---` lines. `carebook schema {noun}` describes them all.\n"
    ));
    for f in schema::fields(kind) {
        write_field(&mut s, f, "", &values);
    }
    s.push_str("---\n");
    s.push_str(match kind {
        Kind::Guide => {
            "Write the guide here in Markdown. Link to other pages by their file, for example \
             `[mastitis](mastitis.md)` or `[fever](../symptoms/fever.md)`.\n\n## What is happening\n\n\
             Explain what is going on, in plain words.\n"
        }
        Kind::Symptom => {
            "Describe the symptom here in Markdown: what it feels or looks like, and when it matters. \
             Guides list this page in their `symptoms:`.\n"
        }
        Kind::Cause => {
            "Explain the cause here in Markdown: what it is and how it leads to the problem. \
             Guides list this page in their `causes:`.\n"
        }
        Kind::Page => "Write the page here in Markdown.\n",
        Kind::Shared => "A note for editors (never published): which guides use this block, and why.\n",
    });
    Ok(s)
}

/// The values `carebook new` writes that are not examples.
struct Values {
    /// The title, as YAML.
    title: String,
    today: Date,
    next_year: Date,
}

/// Writes `f`'s help as a comment line, then `name: value  # required; limits` after `prefix`
/// (indentation, or `- ` for the first field of a list item). A list of records gets one record
/// with every field.
fn write_field(s: &mut String, f: &Field, prefix: &str, v: &Values) {
    let value = match (f.new, f.ty) {
        (_, Type::Items(_)) => String::new(),
        (New::Example, _) => f.example.to_string(),
        (New::Empty, Type::Ids(_) | Type::Texts { .. }) => "[]".into(),
        (New::Empty, _) => String::new(),
        (New::Title, _) => v.title.clone(),
        (New::Today, _) => v.today.to_string(),
        (New::NextYear, _) => v.next_year.to_string(),
    };
    let mut notes = vec![String::from(if f.required { "required" } else { "optional" })];
    notes.extend(f.notes());
    if f.new == New::Empty {
        notes.push(format!("e.g. {}", f.example));
    }
    let indent = " ".repeat(prefix.len());
    let space = if value.is_empty() { "" } else { " " };
    s.push_str(&format!("{indent}# {}\n", f.help));
    s.push_str(&format!("{prefix}{}:{space}{value}  # {}\n", f.name, notes.join("; ")));
    if let Type::Items(items) = f.ty {
        for (i, sub) in items.fields.iter().enumerate() {
            let p = if i == 0 { format!("{indent}  - ") } else { format!("{indent}    ") };
            write_field(s, sub, &p, v);
        }
    }
}

/// `s` as a YAML scalar: plain when that is safe, otherwise double-quoted (JSON escaping is valid YAML).
fn yaml_text(s: &str) -> String {
    let plain_chars = s.chars().all(|c| c.is_alphanumeric() || " -'(),.&/?!".contains(c));
    let starts_with_letter = s.chars().next().is_some_and(char::is_alphabetic);
    let special = ["true", "false", "yes", "no", "on", "off", "null", "y", "n"].contains(&s.to_lowercase().as_str());
    if plain_chars && starts_with_letter && !special && !s.ends_with(' ') {
        s.to_string()
    } else {
        serde_json::to_string(s).unwrap_or_else(|_| format!("\"{}\"", s.replace(['"', '\\'], "")))
    }
}

/// Writes `content/<folder>/<id>.md` under `root`; returns its path relative to the root.
/// Never overwrites: an existing file is an error.
pub(crate) fn create(root: &Path, kind: Kind, id: &str, title: Option<&str>, today: Date) -> Result<String, NewError> {
    let text = template(kind, id, title, today)?;
    let content = root.join("content");
    if !content.is_dir() {
        return Err(NewError::NoContent(root.display().to_string()));
    }
    let rel = format!("content/{}/{id}.md", kind.folder());
    let dir = content.join(kind.folder());
    std::fs::create_dir_all(&dir).map_err(|e| NewError::Io(rel.clone(), e))?;
    let path = dir.join(format!("{id}.md"));
    let mut file = match std::fs::OpenOptions::new().write(true).create_new(true).open(&path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => return Err(NewError::Exists(rel)),
        Err(e) => return Err(NewError::Io(rel, e)),
    };
    if let Err(e) = file.write_all(text.as_bytes()).and_then(|()| file.sync_all()) {
        drop(file);
        // Do not leave a half-written file behind.
        let _ = std::fs::remove_file(&path);
        return Err(NewError::Io(rel, e));
    }
    Ok(rel)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_come_from_ids_and_are_quoted_when_needed() {
        assert_eq!(title_from_id("milk-stasis"), "Milk stasis");
        assert_eq!(yaml_text("Milk stasis (lactostasis)"), "Milk stasis (lactostasis)");
        assert_eq!(yaml_text("Mastitis: what helps"), "\"Mastitis: what helps\"");
        assert_eq!(yaml_text("#1 tip"), "\"#1 tip\"");
        assert_eq!(yaml_text("Yes"), "\"Yes\"");
        assert_eq!(yaml_text("Brustentzündung"), "Brustentzündung");
    }

    #[test]
    fn bad_ids_and_titles_are_refused() {
        let today = Date::constant(2026, 11, 26);
        match template(Kind::Guide, "Milk Stasis", None, today) {
            Err(NewError::BadId { suggestion, .. }) => assert_eq!(suggestion, "milk-stasis"),
            other => panic!("{other:?}"),
        }
        assert!(matches!(template(Kind::Guide, "ab", None, today), Err(NewError::BadTitle(_))));
        assert!(matches!(template(Kind::Guide, "ab", Some("A\nB c"), today), Err(NewError::BadTitle(_))));
        assert!(template(Kind::Guide, "ab", Some("About babies"), today).is_ok());
    }
}
