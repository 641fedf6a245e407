//! `carebook new guide|symptom|cause|page <id>`: writes a new content file that passes
//! `carebook check` at once, with every field present and a short comment on each.
//!
//! A new guide is a draft (`draft: true`) with placeholder text, so it cannot reach readers by
//! accident; it lists no symptoms, causes or related guides, so it refers to nothing missing.
//! A new symptom or cause is reported as an `orphan` warning until a guide lists it.

use jiff::ToSpan;
use jiff::civil::Date;
use std::io::Write;
use std::path::Path;

use crate::schema::{Kind, is_valid_id, suggest_id};

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
pub fn title_from_id(id: &str) -> String {
    let spaced = id.replace('-', " ");
    let mut chars = spaced.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
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
    let n = title.chars().count();
    if !(3..=90).contains(&n) {
        return Err(NewError::BadTitle(format!(
            "the title must have 3 to 90 characters; `{title}` has {n}: give one with --title \"...\""
        )));
    }
    let title = yaml_text(&title);
    let reviewed = today;
    let due = today.checked_add(1.year()).unwrap_or(today);
    let noun = kind.noun();
    let mut s = String::from("---\n");
    s.push_str(&format!(
        "# Front matter: the fields between the two `---` lines. `carebook schema {noun}` describes them all.\n"
    ));
    s.push_str(&format!("title: {title}  # required, 3-90 characters: the name readers see\n"));
    match kind {
        Kind::Guide => {
            s.push_str(&format!(
                "\
summary: One or two sentences that say what this guide is about.  # required, at most 200 characters
reviewed: {reviewed}  # required: the date a reviewer last checked this guide (YYYY-MM-DD)
review_due: {due}  # required: when it must be checked again; after `reviewed`
symptoms: []  # ids of symptom pages (file names in content/symptoms/ without .md), e.g. [breast-lump, fever]
causes: []  # ids of cause pages in content/causes/, e.g. [missed-feeds]
steps:  # the self-care steps, in order; add a `- title:` block for each
  - title: Say what to do in a few words  # required, plain text
    text: Explain how to do it. **Markdown** such as bold works here.  # required
    caution: A warning for this step; delete this line if there is none.  # optional
mistakes:  # common mistakes and what to do instead; `mistakes: []` if none
  - mistake: Something people often do  # required
    instead: What to do instead  # required
    why: Why it matters; delete this line if it is obvious.  # optional
see_a_doctor:  # required, at least one: the signs that mean the reader should see a doctor
  - sign: Describe a warning sign in the reader's own words  # required
    urgency: urgent  # required: emergency (call now), urgent (today), soon (24-48 hours) or routine
    symptom:  # optional: the id of the symptom page for this sign, e.g. fever
related: []  # ids of other guides in content/guides/, e.g. [mastitis]
sources:  # required, at least one: where the advice comes from
  - title: Title of the guideline or article  # required
    url: https://example.org/replace-with-the-real-address  # required, starts with https://
    publisher: Who published it  # optional
    year: {year}  # optional
order: 100  # optional: lower numbers come first in the list of guides
draft: true  # a draft is built only with --drafts; set it to false when the guide is ready
",
                year = today.year()
            ));
        }
        Kind::Symptom | Kind::Cause => {
            let what = if kind == Kind::Symptom { "symptom" } else { "cause" };
            s.push_str(&format!(
                "\
summary: One or two sentences that describe this {what}.  # required, at most 200 characters
aliases: []  # other words readers use for it, so search finds this page, e.g. [high temperature]
reviewed: {reviewed}  # optional: the date a reviewer last checked this page (YYYY-MM-DD)
review_due: {due}  # optional: when it must be checked again; after `reviewed`
"
            ));
            if kind == Kind::Cause {
                s.push_str("prevention: []  # tips that help prevent it, e.g. [Feed whenever your baby is hungry.]\n");
            }
        }
        Kind::Page => {
            s.push_str("summary: One or two sentences about this page.  # optional, at most 200 characters\n");
        }
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
    });
    Ok(s)
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
pub fn create(root: &Path, kind: Kind, id: &str, title: Option<&str>, today: Date) -> Result<String, NewError> {
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
