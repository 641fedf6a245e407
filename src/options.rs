//! What a run is given: the site folder, the output folder, drafts, and the date of "today".

use jiff::civil::Date;
use std::path::PathBuf;

/// What to build and how.
#[derive(Clone, Debug)]
pub struct Options {
    /// The site folder (holds `carebook.toml` and `content/`).
    pub(crate) root: PathBuf,
    /// The output folder; `<root>/public` when `None`.
    pub out: Option<PathBuf>,
    /// Include guides marked `draft: true`.
    pub drafts: bool,
    /// The date reviews are compared with.
    pub today: Date,
}

impl Options {
    /// Options for `root` with today's date (or `CAREBOOK_TODAY=YYYY-MM-DD`, for reproducible runs).
    pub fn new(root: impl Into<PathBuf>) -> Self {
        Options { root: root.into(), out: None, drafts: false, today: today() }
    }

    /// The output folder.
    pub fn out_dir(&self) -> PathBuf {
        self.out.clone().unwrap_or_else(|| self.root.join("public"))
    }
}

/// Today's date in UTC, unless `CAREBOOK_TODAY` says otherwise.
pub(crate) fn today() -> Date {
    if let Ok(s) = std::env::var("CAREBOOK_TODAY")
        && let Ok(d) = s.trim().parse::<Date>()
    {
        return d;
    }
    jiff::Timestamp::now().to_zoned_datetime(jiff::tz::TimeZone::UTC).date()
}
