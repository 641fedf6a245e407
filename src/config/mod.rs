//! `carebook.toml`: the site's title, language, emergency wording and urgency tiers.
//!
//! Every key is described once, in [`keys::KEYS`]: the reader ([`read`]) accepts exactly those
//! keys, and docs/configuration.md and the JSON Schema (`carebook schema config`) are generated
//! from the same table. Problems are diagnostics with the file, line and column, like those of
//! content files; a key with a problem keeps its default.
//!
//! To add a key: a field here (with its default in `Config::default`) and a line in `keys.rs`;
//! then `UPDATE_DOCS=1 cargo test --test testsuite docs` regenerates docs/configuration.md.

use std::path::Path;

use crate::diagnostic::Diagnostic;
use crate::fs_error::FsContext;
use crate::schema::Urgency;
use crate::source::SourceFile;

pub mod keys;
mod read;

pub use read::read;

/// The site configuration.
#[derive(Clone, Debug, PartialEq)]
pub struct Config {
    /// Site title, shown in every header.
    pub title: String,
    /// Language tag for `<html lang>`.
    pub language: String,
    /// The language's own name, for the language switcher ("English"); the tag when not set.
    pub(crate) language_name: Option<String>,
    /// The other languages of the site (`[languages.<code>]`), in the order written; empty for a
    /// site in one language. See [`crate::lang`].
    pub languages: Vec<Language>,
    /// One sentence about the site, for the home page and meta description.
    pub description: Option<String>,
    /// A short line shown in every footer.
    pub disclaimer: Option<String>,
    /// How to reach emergency services, in words.
    pub(crate) emergency_number: String,
    /// Theme folder name under `themes/`.
    pub theme: String,
    /// Allow raw HTML in Markdown (off by default: it is refused with `raw-html`).
    pub(crate) allow_raw_html: bool,
    /// The address the site is published at (`https://example.org/care/`): canonical links,
    /// social-card meta, `sitemap.xml` and `robots.txt`, and a 404 page that works at any depth.
    pub(crate) base_url: Option<String>,
    /// A short name (at most 12 characters or so) for the home screen of a phone.
    pub(crate) short_title: Option<String>,
    /// A warning sign without `cite` is an error (`uncited`).
    pub require_citations: bool,
    /// The site says its guides are reviewed by clinicians: a guide without `reviewed_by` is an
    /// error (`unreviewed`).
    pub(crate) clinically_reviewed: bool,
    /// The most guides in one print book: print.html holds them all up to this many; beyond,
    /// it lists books of at most this many guides each.
    pub print_book_limit: usize,
    /// Wording of the four urgency tiers.
    pub urgency: UrgencyWords,
}

/// Another language of the site: its content is in `content/<code>/`, its pages in `public/<code>/`.
#[derive(Clone, Debug, PartialEq)]
pub struct Language {
    /// The language tag (`ru`), also the name of its content and output folders.
    pub code: String,
    /// Its own name, for the language switcher ("Русский").
    pub name: String,
    /// The site's settings in this language: those of the top level, with the ones its table
    /// sets (title, description, disclaimer, emergency wording, tiers); `languages` is empty.
    pub config: Box<Config>,
}

impl Config {
    /// The default language's name for the switcher.
    pub(crate) fn language_name(&self) -> &str {
        self.language_name.as_deref().unwrap_or(&self.language)
    }
}

/// Label and advice for each tier.
#[derive(Clone, Debug, PartialEq)]
pub struct UrgencyWords {
    /// Call the emergency number now.
    pub emergency: Tier,
    /// Speak to a doctor or midwife today.
    pub urgent: Tier,
    /// See a doctor within 24-48 hours if not better.
    pub soon: Tier,
    /// Ask a lactation consultant or family doctor.
    pub routine: Tier,
}

/// The words for one tier.
#[derive(Clone, Debug, PartialEq)]
pub struct Tier {
    /// Short label ("Urgent: today").
    pub label: String,
    /// What to do.
    pub(crate) advice: String,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            title: "Self-care guides".into(),
            language: "en".into(),
            language_name: None,
            languages: Vec::new(),
            description: None,
            disclaimer: None,
            emergency_number: "your local emergency number (112 / 911 / 999)".into(),
            theme: "default".into(),
            allow_raw_html: false,
            base_url: None,
            short_title: None,
            require_citations: false,
            clinically_reviewed: false,
            print_book_limit: 200,
            urgency: UrgencyWords::default(),
        }
    }
}

impl Default for UrgencyWords {
    fn default() -> Self {
        let t = |label: &str, advice: &str| Tier { label: label.into(), advice: advice.into() };
        UrgencyWords {
            emergency: t("Emergency", "Call your local emergency number (112 / 911 / 999) now. Do not wait."),
            urgent: t("Urgent", "Speak to a doctor or midwife today."),
            soon: t("Soon", "See a doctor within 24 to 48 hours if it is not getting better."),
            routine: t("Routine", "Ask a lactation consultant or your family doctor."),
        }
    }
}

impl UrgencyWords {
    /// The words of one tier.
    pub(crate) fn get(&self, u: Urgency) -> &Tier {
        match u {
            Urgency::Emergency => &self.emergency,
            Urgency::Urgent => &self.urgent,
            Urgency::Soon => &self.soon,
            Urgency::Routine => &self.routine,
        }
    }
}

/// The path of the config file relative to the root.
pub(crate) const FILE: &str = "carebook.toml";

/// Reads `carebook.toml`; a missing file is a tool error (exit 2), a bad one gives diagnostics.
pub(crate) fn load(root: &Path) -> anyhow::Result<(Config, SourceFile, Vec<Diagnostic>)> {
    let path = root.join(FILE);
    let text = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => anyhow::bail!(
            "no `{FILE}` in `{}`: is this a carebook site? Run carebook in the site's folder or pass --root",
            root.display()
        ),
        Err(e) => return Err(e).fs_context("read", &path),
    };
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text).to_string();
    let (config, diags) = read(&text);
    Ok((config, SourceFile { path: FILE.into(), text: text.as_str().into() }, diags))
}
