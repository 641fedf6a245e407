//! The files of one good build of a preview: made when first asked for and kept. Each page is
//! kept with the fingerprint of what it was made from (its template context and the theme, see
//! [`crate::render::render_since`]); the next build takes over the earlier pages and, when one is
//! asked for, makes its context again and compares: the same, the earlier page is served without
//! rendering it. So after a body edit only that guide's page and print.html are made again; after
//! a title edit also the pages that show the title; after a red-flag edit also the doctor index
//! and the symptom pages — whatever their contexts say, never a list kept by hand.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

use crate::model::Site;
use crate::render::{Made, Memo, RenderError};
use crate::templates::Theme;

/// A file made (or read) for a preview, and the fingerprint of its inputs when it has one.
#[derive(Clone)]
struct Kept {
    bytes: Arc<[u8]>,
    inputs: Option<u64>,
}

/// The checked site of one good build, its theme, and the files made from them so far.
pub struct Pages {
    site: Site,
    theme: Theme,
    made: Mutex<HashMap<String, Kept>>,
    /// The pages of earlier builds, to serve again when their inputs are unchanged.
    earlier: HashMap<String, Kept>,
    /// The files rendered for this build (not taken over), for tests.
    made_again: Mutex<Vec<String>>,
    /// Template values kept for the pages still to render and the next build's.
    memo: Memo,
}

impl Pages {
    /// The files of `site` with `theme`, taking over `earlier`'s pages (and those it took over).
    pub fn new(site: Site, theme: Theme, earlier: Option<&Pages>) -> Pages {
        let mut kept = HashMap::new();
        let memo = earlier.map_or_else(Memo::default, |e| Memo::next(&e.memo));
        if let Some(e) = earlier {
            let fingerprinted = |(p, k): (&String, &Kept)| k.inputs.is_some().then(|| (p.clone(), k.clone()));
            kept.extend(e.earlier.iter().filter_map(fingerprinted));
            kept.extend(e.made.lock().unwrap_or_else(PoisonError::into_inner).iter().filter_map(fingerprinted));
        }
        Pages { site, theme, made: Mutex::default(), earlier: kept, made_again: Mutex::default(), memo }
    }

    /// The fingerprint of the theme's templates ([`Theme::key`]).
    pub(crate) fn theme_key(&self) -> u64 {
        self.theme.key()
    }

    /// The checked site.
    pub(crate) fn site(&self) -> &Site {
        &self.site
    }

    /// The file at `path`: kept, taken over from an earlier build when made from the same inputs,
    /// or rendered now; `None` if the site has no such file.
    ///
    /// # Errors
    ///
    /// As [`crate::render::render`].
    pub fn file(&self, path: &str) -> Option<Result<Arc<[u8]>, RenderError>> {
        if let Some(bytes) = self.kept(path) {
            return Some(Ok(bytes));
        }
        let earlier = self.earlier.get(path);
        let made =
            match crate::lang::render_since(&self.site, &self.theme, path, earlier.and_then(|k| k.inputs), &self.memo)?
            {
                Ok(made) => made,
                Err(e) => return Some(Err(e)),
            };
        let kept = match (made, earlier) {
            (Made::Same, Some(k)) => k.clone(),
            // Never: the same is said only of earlier inputs given.
            (Made::Same, None) => {
                return crate::lang::render_path(&self.site, &self.theme, path).map(|r| r.map(Arc::from));
            }
            (Made::New(bytes, inputs), _) => {
                self.made_again.lock().unwrap_or_else(PoisonError::into_inner).push(path.to_string());
                Kept { bytes: bytes.into(), inputs }
            }
        };
        let bytes = kept.bytes.clone();
        self.made.lock().unwrap_or_else(PoisonError::into_inner).insert(path.to_string(), kept);
        Some(Ok(bytes))
    }

    /// The file at `path` if it was made (or read) for this build.
    pub(crate) fn kept(&self, path: &str) -> Option<Arc<[u8]>> {
        self.made.lock().unwrap_or_else(PoisonError::into_inner).get(path).map(|k| k.bytes.clone())
    }

    /// Keeps a file read for this build (a linked file): never taken over by the next build.
    pub(crate) fn keep(&self, path: &str, bytes: Arc<[u8]>) {
        self.made.lock().unwrap_or_else(PoisonError::into_inner).insert(path.to_string(), Kept { bytes, inputs: None });
    }

    /// The files rendered for this build so far (not taken over from an earlier one).
    pub fn made_again(&self) -> Vec<String> {
        self.made_again.lock().unwrap_or_else(PoisonError::into_inner).clone()
    }
}
