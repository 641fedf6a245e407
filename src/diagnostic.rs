//! Diagnostics: what every stage reports instead of stopping at the first problem.
//!
//! A [`Diagnostic`] stores a byte span into its file; line and column are computed only when
//! rendering, through [`crate::source::LineIndex`], so spans can be shifted cheaply while parsing.

use std::fmt;
use std::ops::Range;

/// How serious a diagnostic is. Ordered: the most severe sorts first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// The run fails (exit 1) and nothing is written.
    Error,
    /// Reported, but the build goes on (unless `--deny-warnings`).
    Warning,
}

impl Severity {
    /// The word used in every output format.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

macro_rules! codes {
    ($($(#[doc = $doc:literal])* $variant:ident = $name:literal, $sev:ident;)*) => {
        /// A stable diagnostic code; the string forms are part of the public contract
        /// (docs/diagnostics.md).
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Code { $($(#[doc = $doc])* $variant,)* }

        impl Code {
            /// Every code, in the order of docs/diagnostics.md.
            pub const ALL: &'static [Code] = &[$(Code::$variant,)*];

            /// When it is reported, in a sentence (its doc comment).
            pub fn about(self) -> &'static str {
                match self { $(Code::$variant => concat!($($doc),*).trim_ascii(),)* }
            }

            /// The kebab-case name printed in `error[name]`.
            pub fn as_str(self) -> &'static str {
                match self { $(Code::$variant => $name,)* }
            }

            /// The severity a diagnostic with this code has unless promoted.
            pub fn default_severity(self) -> Severity {
                match self { $(Code::$variant => Severity::$sev,)* }
            }
        }
    };
}

codes! {
    /// A file or folder cannot be read.
    Io = "io", Error;
    /// A file is not UTF-8 text (or is binary).
    Encoding = "encoding", Error;
    /// A content file is over the size limit.
    TooLarge = "too-large", Error;
    /// No front matter, or it is not closed.
    FrontMatter = "front-matter", Error;
    /// A YAML syntax error in front matter.
    Yaml = "yaml", Error;
    /// A TOML syntax error in carebook.toml.
    Toml = "toml", Error;
    /// A key the schema does not know.
    UnknownField = "unknown-field", Error;
    /// A required key is absent.
    MissingField = "missing-field", Error;
    /// A value of the wrong type.
    WrongType = "wrong-type", Error;
    /// A value out of range: unknown urgency, text too long, bad id, bad URL, empty required list.
    InvalidValue = "invalid-value", Error;
    /// Not a real YYYY-MM-DD date.
    InvalidDate = "invalid-date", Error;
    /// `review_due` is not after `reviewed`.
    DateOrder = "date-order", Error;
    /// A symptom, cause, related guide or `symptom:` id that does not exist.
    UnknownReference = "unknown-reference", Error;
    /// A `cite` key that no source of the guide has.
    UnknownCitation = "unknown-citation", Error;
    /// A warning sign without `cite`, on a site that sets `require_citations`.
    Uncited = "uncited", Error;
    /// Text that `carebook new` writes to be replaced (drafts and examples too).
    Placeholder = "placeholder", Error;
    /// A guide without `reviewed_by`, on a site that sets `clinically_reviewed`.
    Unreviewed = "unreviewed", Error;
    /// Two files give the same id, or two headings of a page name the same anchor (`## Dose {#dose}`).
    DuplicateId = "duplicate-id", Error;
    /// A Markdown link to a missing file or a missing anchor.
    BrokenLink = "broken-link", Error;
    /// A resource loaded from another host, which breaks offline use.
    RemoteResource = "remote-resource", Error;
    /// A linked or static file a browser would run on the site's address (HTML, XML, script, an
    /// SVG image with script or references).
    ActiveFile = "active-file", Error;
    /// A file of `static/` would replace, or go into, a file or folder carebook writes.
    OutputClash = "output-clash", Error;
    /// Raw HTML in Markdown while `allow_raw_html` is off.
    RawHtml = "raw-html", Error;
    /// A theme template error.
    Template = "template", Error;
    /// A theme's words file (`strings/<language>.toml`) lacks a word the theme uses, a language
    /// of the site has no words file, or a `[languages.<code>]` table does not give its own words
    /// for a setting pages show (title, emergency wording, tiers).
    MissingString = "missing-string", Error;
    /// A translation (`content/<language>/…`) whose id has no file in the default language.
    UnknownSource = "unknown-source", Error;
    /// A translated guide whose warning signs do not match its source's, position by position:
    /// fewer or more signs, or a sign of another urgency, linking another symptom, or written out
    /// where the source uses a shared block (or another block, or the other way round).
    RedFlagMismatch = "red-flag-mismatch", Error;
    /// A link or source address with `http:`: readers' browsers may warn or refuse.
    InsecureLink = "insecure-link", Warning;
    /// Two published files whose names differ only in case or Unicode normalisation: on macOS and
    /// Windows one replaces the other.
    NameClash = "name-clash", Warning;
    /// `review_due` is in the past.
    ReviewOverdue = "review-overdue", Warning;
    /// A translation whose source changed since it was marked (`carebook translate mark`), or
    /// that was never marked: the message names the fields that changed.
    StaleTranslation = "stale-translation", Warning;
    /// A symptom or cause that no guide refers to.
    Orphan = "orphan", Warning;
    /// An example file written by `carebook init` (`example: true`): left out of the site unless
    /// built with `--drafts`, until it is made the site's own.
    Example = "example", Warning;
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One problem found in one file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    /// What kind of problem.
    pub code: Code,
    /// Error or warning.
    pub(crate) severity: Severity,
    /// The file, relative to the site root, with forward slashes.
    pub file: String,
    /// Byte range in the file's text; `None` means the whole file (reported at 1:1).
    pub span: Option<Range<usize>>,
    /// What is wrong, in plain words.
    pub message: String,
    /// A short label for the underlined span.
    pub(crate) label: Option<String>,
    /// What would be right.
    pub help: Option<String>,
}

impl Diagnostic {
    /// A diagnostic with the code's default severity.
    pub(crate) fn new(
        code: Code,
        file: impl Into<String>,
        span: Option<Range<usize>>,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            code,
            severity: code.default_severity(),
            file: file.into(),
            span,
            message: message.into(),
            label: None,
            help: None,
        }
    }

    /// Adds a help line.
    #[must_use]
    pub(crate) fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Adds an optional help line.
    #[must_use]
    pub(crate) fn with_help_opt(mut self, help: Option<String>) -> Self {
        self.help = help;
        self
    }

    /// Adds a label for the underlined span.
    #[must_use]
    pub(crate) fn with_label(mut self, label: impl Into<String>) -> Self {
        self.label = Some(label.into());
        self
    }
}

/// The did-you-mean candidate closest to `word`, if close enough to be a likely typo.
pub(crate) fn did_you_mean<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let mut best: Option<(usize, &str)> = None;
    let limit = std::cmp::max(1, word.chars().count() / 3);
    for c in candidates {
        let d = edit_distance(word, c);
        if d <= limit && best.is_none_or(|(bd, _)| d < bd) {
            best = Some((d, c));
        }
    }
    best.map(|(_, c)| c)
}

/// Optimal-string-alignment distance (Damerau-Levenshtein with adjacent swaps), as cargo and rustc use.
pub(crate) fn edit_distance(a: &str, b: &str) -> usize {
    strsim::osa_distance(a, b)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn did_you_mean_finds_typos_and_ignores_strangers() {
        let fields = ["symptoms", "summary", "sources"];
        assert_eq!(did_you_mean("symtoms", fields), Some("symptoms"));
        assert_eq!(did_you_mean("sumary", fields), Some("summary"));
        assert_eq!(did_you_mean("colour", fields), None);
        assert_eq!(edit_distance("urgnet", "urgent"), 1);
    }

    #[test]
    fn every_code_has_a_unique_name() {
        let mut names: Vec<_> = Code::ALL.iter().map(|c| c.as_str()).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), Code::ALL.len());
    }
}
