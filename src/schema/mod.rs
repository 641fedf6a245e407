//! The front-matter schema: typed guides, symptoms, causes and pages, described once.
//!
//! [`fields`] is the one description of every front-matter field: its name, type, limits, help
//! text and example. From it come:
//! - the typed structs ([`GuideMatter`], [`Step`], …) and the walk that builds them from a YAML
//!   tree while reporting every unknown, missing, wrong-typed or invalid value ([`walk`]);
//! - the JSON Schema editors read (`carebook schema guide`, [`json`]);
//! - the front-matter reference in `docs/front-matter.md` ([`reference`]);
//! - the files `carebook new` writes ([`crate::scaffold`]).
//!
//! Every value that can be wrong keeps its [`Spanned`] byte range in the file, so later checks
//! (references, dates) point at the exact text.
//!
//! To add a field: one line in its record in `fields.rs` (a doc comment, the typed struct field
//! and its [`Field`] description). The walk, the JSON Schema, the reference and `carebook new`
//! follow; a field that refers to other files also needs its check in `check.rs`, and a field that
//! readers see, its place in the templates.

use std::ops::Range;

use crate::stored::Stored;

pub(crate) mod field;
mod fields;
pub mod json;
pub mod reference;

mod walk;

pub use field::{Field, Items, Type};
pub(crate) use field::{New, Record};
pub use fields::{GuideMatter, Mistake, PageMatter, RedFlag, Reviewer, SharedMatter, Source, Step, TermMatter};
pub(crate) use walk::Walker;

/// A value and the byte range in its file it came from.
///
/// The default (empty value, empty span) stands in for a required value that was missing or
/// invalid; the error was reported, so such a file never reaches the renderer.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Spanned<T> {
    /// The value.
    pub value: T,
    /// Byte range in the file.
    pub(crate) span: Range<usize>,
}

/// How soon a red flag needs care. Ordered: most urgent first.
///
/// The default stands in for the tier of a `shared:` item before it is replaced by its block
/// ([`crate::model::build`]); it is never rendered.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Urgency {
    /// Call the emergency number now.
    Emergency,
    /// Speak to a doctor or midwife today.
    Urgent,
    /// Within 24-48 hours if not better.
    Soon,
    /// A lactation consultant or family doctor.
    #[default]
    Routine,
}

impl Urgency {
    /// All tiers, most urgent first.
    pub const ALL: [Urgency; 4] = [Urgency::Emergency, Urgency::Urgent, Urgency::Soon, Urgency::Routine];

    /// The key written in front matter.
    pub fn as_str(self) -> &'static str {
        match self {
            Urgency::Emergency => "emergency",
            Urgency::Urgent => "urgent",
            Urgency::Soon => "soon",
            Urgency::Routine => "routine",
        }
    }

    /// How soon, in a few words ("today"), for help texts; readers see carebook.toml's wording.
    pub(crate) fn when(self) -> &'static str {
        match self {
            Urgency::Emergency => "call now",
            Urgency::Urgent => "today",
            Urgency::Soon => "within 24-48 hours",
            Urgency::Routine => "when convenient",
        }
    }

    /// Parses a front-matter key.
    pub(crate) fn parse(s: &str) -> Option<Urgency> {
        Urgency::ALL.into_iter().find(|u| u.as_str() == s)
    }
}

/// Which folder a content file lives in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    /// `content/guides/`.
    Guide,
    /// `content/symptoms/`.
    Symptom,
    /// `content/causes/`.
    Cause,
    /// `content/pages/`.
    Page,
    /// `content/shared/`: a step or warning sign that guides use by id; never a page of its own.
    Shared,
}

impl Kind {
    /// Every kind, in the order of the site's sections.
    pub const ALL: [Kind; 5] = [Kind::Guide, Kind::Symptom, Kind::Cause, Kind::Page, Kind::Shared];

    /// The folder name under `content/` (and under the output).
    pub fn folder(self) -> &'static str {
        match self {
            Kind::Guide => "guides",
            Kind::Symptom => "symptoms",
            Kind::Cause => "causes",
            Kind::Page => "pages",
            Kind::Shared => "shared",
        }
    }

    /// The singular noun for messages.
    pub(crate) fn noun(self) -> &'static str {
        match self {
            Kind::Guide => "guide",
            Kind::Symptom => "symptom",
            Kind::Cause => "cause",
            Kind::Page => "page",
            Kind::Shared => "shared block",
        }
    }

    /// The kind for a folder name.
    pub fn from_folder(s: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.folder() == s)
    }
}

/// Typed front matter of any kind.
#[derive(Clone, Debug, PartialEq)]
pub enum Matter {
    /// A guide (shared, so that the model's typed lists hold it without a copy).
    Guide(std::sync::Arc<GuideMatter>),
    /// A symptom or cause.
    Term(std::sync::Arc<TermMatter>),
    /// A free page.
    Page(std::sync::Arc<PageMatter>),
    /// A shared block.
    Shared(SharedMatter),
}

impl Matter {
    /// Is it an example written by `carebook init` (`example: true`)?
    pub(crate) fn is_example(&self) -> bool {
        match self {
            Matter::Guide(g) => g.example,
            Matter::Term(t) => t.example,
            Matter::Page(p) => p.example,
            Matter::Shared(_) => false,
        }
    }

    /// The fields that hold inline Markdown (rendered, and checked like the body).
    pub(crate) fn markdown_fields(&self) -> Vec<&Spanned<String>> {
        let mut out = Vec::new();
        match self {
            Matter::Guide(g) => g.markdown_fields(&mut out),
            Matter::Term(t) => t.markdown_fields(&mut out),
            Matter::Page(p) => p.markdown_fields(&mut out),
            Matter::Shared(s) => s.markdown_fields(&mut out),
        }
        out
    }
}

impl<T: crate::stored::Stored> crate::stored::Stored for Spanned<T> {
    fn put(&self, w: &mut crate::stored::Out<'_>) {
        self.value.put(w);
        w.span(&self.span);
    }
    fn take(r: &mut crate::stored::In<'_>) -> Option<Self> {
        Some(Spanned { value: T::take(r)?, span: r.span()? })
    }
}

impl crate::stored::Stored for Urgency {
    fn put(&self, w: &mut crate::stored::Out<'_>) {
        w.byte(Urgency::ALL.iter().position(|u| u == self).and_then(|i| u8::try_from(i).ok()).unwrap_or(u8::MAX));
    }
    fn take(r: &mut crate::stored::In<'_>) -> Option<Self> {
        Urgency::ALL.get(usize::from(r.byte()?)).copied()
    }
}

/// A front matter as bytes, for the parse store (`parse/stored.rs`): a tag, then the record.
impl crate::stored::Stored for Matter {
    fn put(&self, w: &mut crate::stored::Out<'_>) {
        match self {
            Matter::Guide(g) => {
                w.byte(0);
                g.put(w);
            }
            Matter::Term(t) => {
                w.byte(1);
                t.put(w);
            }
            Matter::Page(p) => {
                w.byte(2);
                p.put(w);
            }
            Matter::Shared(s) => {
                w.byte(3);
                s.put(w);
            }
        }
    }
    fn take(r: &mut crate::stored::In<'_>) -> Option<Self> {
        Some(match r.byte()? {
            0 => Matter::Guide(Stored::take(r)?),
            1 => Matter::Term(Stored::take(r)?),
            2 => Matter::Page(Stored::take(r)?),
            3 => Matter::Shared(Stored::take(r)?),
            _ => return None,
        })
    }
}

/// The fields of the front matter of `kind`, in the order `carebook new` writes them.
pub fn fields(kind: Kind) -> impl Iterator<Item = &'static Field> + Clone {
    let all = match kind {
        Kind::Guide => GuideMatter::FIELDS,
        Kind::Symptom | Kind::Cause => TermMatter::FIELDS,
        Kind::Page => PageMatter::FIELDS,
        Kind::Shared => SharedMatter::FIELDS,
    };
    all.iter().filter(move |f| f.applies_to(kind))
}

/// The description of the field `name` of `kind`'s front matter.
pub(crate) fn field(kind: Kind, name: &str) -> Option<&'static Field> {
    fields(kind).find(|f| f.name == name)
}

/// `s` with a capital first letter ("guide" → "Guide").
pub(crate) fn capitalized(s: &str) -> String {
    let mut c = s.chars();
    c.next().map(|f| f.to_uppercase().chain(c).collect()).unwrap_or_default()
}

/// Is `s` a valid id: lower-case ASCII letters, digits and single hyphens?
pub(crate) fn is_valid_id(s: &str) -> bool {
    !s.is_empty()
        && !s.starts_with('-')
        && !s.ends_with('-')
        && !s.contains("--")
        && s.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// The closest valid id to `s` (for "rename the file to …" help).
pub(crate) fn suggest_id(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars().flat_map(char::to_lowercase) {
        let c = match c {
            'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' => 'a',
            'ç' => 'c',
            'è' | 'é' | 'ê' | 'ë' => 'e',
            'ì' | 'í' | 'î' | 'ï' => 'i',
            'ñ' => 'n',
            'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' => 'o',
            'ù' | 'ú' | 'û' | 'ü' => 'u',
            c => c,
        };
        if c.is_ascii_lowercase() || c.is_ascii_digit() {
            out.push(c);
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    let t = out.trim_matches('-');
    if t.is_empty() { "page".into() } else { t.to_string() }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_lowercase_with_single_hyphens() {
        assert!(is_valid_id("milk-stasis"));
        assert!(is_valid_id("a1"));
        assert!(!is_valid_id("Milk-Stasis"));
        assert!(!is_valid_id("milk--stasis"));
        assert!(!is_valid_id("-x"));
        assert!(!is_valid_id(""));
        assert_eq!(suggest_id("Milk Stasis (Lactostasis)"), "milk-stasis-lactostasis");
        assert_eq!(suggest_id("Brustentzündung"), "brustentzundung");
    }
}
