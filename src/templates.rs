//! Templates: the only module that knows Tera. Compiles the theme's templates ([`crate::theme`]
//! finds them: the built-in ones with the site's over them) and turns template errors into
//! `template` diagnostics that point into the file that has the error, the site's or the built-in one.

use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use crate::diagnostic::{Code, Diagnostic};
use crate::source::SourceFile;
use crate::theme;

/// The templates every theme must provide.
pub(crate) const REQUIRED: &[&str] = &[
    "base.html",
    "home.html",
    "guide.html",
    "symptom.html",
    "cause.html",
    "guides.html",
    "symptoms.html",
    "causes.html",
    "page.html",
    "doctor.html",
    "print.html",
    "_print_guide.html",
    "_doctor_flag.html",
    "404.html",
];

/// A loaded theme.
#[derive(Clone)]
pub struct Theme {
    /// The compiled templates: shared with the next load of the same templates ([`load_kept`]).
    tera: Arc<tera::Tera>,
    /// The largest output of each template so far: the next one gets a buffer that size at once,
    /// instead of growing (and copying) it a few times per page.
    sizes: Arc<HashMap<String, AtomicUsize>>,
    /// Template sources, for locating template diagnostics (built-in ones under
    /// [`theme::BUILTIN_DIR`]).
    pub(crate) sources: Vec<SourceFile>,
    /// Static files: path relative to `static/` and bytes.
    pub(crate) statics: Vec<(String, Vec<u8>)>,
    /// Where each template comes from: its name (`base.html`) and the path diagnostics show.
    shown: HashMap<String, String>,
    /// Root-relative folder of the site's templates (`themes/default/templates`), for problems
    /// that are not in one file.
    dir: String,
    /// The help line of template diagnostics.
    help: String,
    /// A fingerprint of every template's name and text: a page depends on all of them (includes,
    /// macros, `extends`).
    key: u64,
}

/// Loads the theme `name` of the site at `root`: the built-in theme with the site's
/// `themes/<name>/` over it, file by file ([`theme::files`]); template errors become diagnostics.
/// With `kept`, the templates are compiled only when they differ from those of the last theme
/// loaded without problems (`serve` keeps it between builds: after a content edit, reading the
/// template files again is all a rebuild does of the theme). A theme loaded without problems is
/// left in `kept`.
pub(crate) fn load_kept(
    root: &Path,
    name: &str,
    diags: &mut Vec<Diagnostic>,
    kept: Option<&mut Option<Theme>>,
) -> anyhow::Result<Theme> {
    let dir = format!("themes/{name}/templates");
    let help = format!("fix the template; the template context is described in themes/{name}/CONTEXT.md");
    let mut sources = Vec::new();
    let mut named = Vec::new();
    let mut shown = HashMap::new();
    let mut statics = Vec::new();
    for f in theme::files(root, name)? {
        if let Some(p) = f.rel.strip_prefix("static/") {
            statics.push((p.to_string(), f.bytes.into_owned()));
        } else if let Some(t) = f.rel.strip_prefix("templates/") {
            let text = String::from_utf8(f.bytes.into_owned())
                .map_err(|_| anyhow::anyhow!("`{}` is not UTF-8 text: a template must be", f.shown))?;
            shown.insert(t.to_string(), f.shown.clone());
            named.push((t.to_string(), text.clone()));
            sources.push(SourceFile { path: f.shown, text: text.as_str().into() });
        }
    }
    let key = fingerprint_of(0, &named);
    let same = kept.as_deref().and_then(Option::as_ref).filter(|t| t.key == key && t.dir == dir);
    let (tera, sizes) = match same {
        Some(t) => (Arc::clone(&t.tera), Arc::clone(&t.sizes)),
        None => (Arc::default(), Arc::new(named.iter().map(|(name, _)| (name.clone(), AtomicUsize::new(0))).collect())),
    };
    let compile = same.is_none();
    let mut theme = Theme { tera, sizes, sources, statics, shown, dir, help, key };
    let before = diags.len();
    if compile {
        let mut tera = tera::Tera::default();
        let compiled = tera.add_raw_templates(named);
        theme.tera = Arc::new(tera);
        if let Err(e) = compiled {
            diags.extend(theme.diagnostics(&e));
        }
    }
    for r in REQUIRED {
        if !theme.shown.contains_key(*r) {
            diags.push(
                Diagnostic::new(
                    Code::Template,
                    format!("{}/{r}", theme.dir),
                    None,
                    format!("the theme has no template `{r}`"),
                )
                .with_help("every theme needs: ".to_string() + &REQUIRED.join(", ")),
            );
        }
    }
    if let Some(kept) = kept {
        *kept = (diags.len() == before).then(|| theme.clone());
    }
    Ok(theme)
}

/// A template value made once and shown by many pages: each page takes it as it is (a cheap
/// copy), instead of converting the same data again. It carries the fingerprint of the data it
/// was made from, which a page's fingerprint takes instead of the value ([`Theme::fingerprint`]).
#[derive(Clone)]
pub(crate) struct Shared(tera::Value, u64);

impl serde::Serialize for Shared {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        if FINGERPRINTING.get() {
            // Tera's maps come in no fixed order; the data's own fingerprint does.
            return serializer.serialize_u64(self.1);
        }
        // Inside a template context this hands over the value itself (Tera's pass-through).
        self.0.serialize(serializer)
    }
}

/// [`Shared`] values kept from one render to the next by their fingerprints (`serve`), in two
/// generations: the values used since [`Kept::next`] and those of before, which a use brings
/// forward. The next build gets both, unless they are more than twice what one build used at most
/// (and a little): then only those used, so that values no page shows any more are let go.
#[derive(Default)]
pub(crate) struct Kept(std::sync::Mutex<Generations>);

#[derive(Default)]
struct Generations {
    now: rustc_hash::FxHashMap<u64, Shared>,
    before: rustc_hash::FxHashMap<u64, Shared>,
    /// The most values one build used.
    most: usize,
}

impl Kept {
    fn lock(&self) -> std::sync::MutexGuard<'_, Generations> {
        self.0.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// The value kept under `print`.
    pub(crate) fn get(&self, print: u64) -> Option<Shared> {
        let mut g = self.lock();
        if let Some(v) = g.now.get(&print) {
            return Some(v.clone());
        }
        let v = g.before.remove(&print)?;
        g.now.insert(print, v.clone());
        Some(v)
    }

    /// Keeps `value` under its fingerprint.
    pub(crate) fn put(&self, value: Shared) {
        self.lock().now.insert(value.1, value);
    }

    /// Takes `earlier`'s values for the next build (leaving it none).
    pub(crate) fn next(earlier: &Kept) -> Kept {
        let Generations { now: mut used, before, most } = std::mem::take(&mut *earlier.lock());
        let most = most.max(used.len());
        if used.len() + before.len() <= 2 * most + 1024 {
            used.extend(before);
        }
        // Sized for a build like the largest yet: no growing while a page takes its values.
        let now = rustc_hash::FxHashMap::with_capacity_and_hasher(most, Default::default());
        Kept(std::sync::Mutex::new(Generations { now, before: used, most }))
    }
}

thread_local! {
    /// True while [`fingerprint_of`] runs on this thread: [`Shared`] values give their fingerprint.
    static FINGERPRINTING: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// A stable 64-bit hash of `value` (fields in declaration order, [`crate::fingerprint`]), after
/// `seed`, with each [`Shared`] value's own fingerprint in place of the value.
/// Stable within one carebook binary; the build cache is dropped when the binary changes.
fn fingerprint_of(seed: u64, value: &impl serde::Serialize) -> u64 {
    let before = FINGERPRINTING.replace(true);
    let print = crate::fingerprint::of(seed, value);
    FINGERPRINTING.set(before);
    print
}

impl Theme {
    /// Converts `value` once, for many pages ([`Shared`]).
    pub(crate) fn share(&self, value: &impl serde::Serialize) -> Result<Shared, Box<Diagnostic>> {
        let print = fingerprint_of(0, value);
        tera::Value::try_from_serializable(value).map(|v| Shared(v, print)).map_err(|e| Box::new(self.diagnostic(&e)))
    }

    /// [`Theme::share`] of a value whose inputs `print` fingerprints (instead of the value's own
    /// fingerprint): `print` must determine the value, as a page's fingerprint determines the page.
    pub(crate) fn share_as(&self, value: &impl serde::Serialize, print: u64) -> Result<Shared, Box<Diagnostic>> {
        tera::Value::try_from_serializable(value).map(|v| Shared(v, print)).map_err(|e| Box::new(self.diagnostic(&e)))
    }

    /// [`Theme::share`], or the value `kept` has under the same fingerprint (made before, from equal
    /// data: the same value), which it then keeps.
    pub(crate) fn share_kept(&self, value: &impl serde::Serialize, kept: &Kept) -> Result<Shared, Box<Diagnostic>> {
        let print = fingerprint_of(0, value);
        if let Some(v) = kept.get(print) {
            return Ok(v);
        }
        let v = self.share_as(value, print)?;
        kept.put(v.clone());
        Ok(v)
    }

    /// One text: the text at `field` of each of `values` (maps), in order — a page that shows a
    /// long list's items as they are takes them once instead of looping over thousands. Its
    /// fingerprint is made of the values' own (which determine it) and `field`.
    pub(crate) fn joined(&self, values: &[Shared], field: &str) -> Shared {
        use std::hash::{Hash, Hasher};
        let texts: Vec<&str> = values.iter().filter_map(|v| v.0.get_from_path(field)?.as_str()).collect();
        let mut h = crate::fingerprint::hasher();
        field.hash(&mut h);
        values.iter().for_each(|v| v.1.hash(&mut h));
        Shared(tera::Value::normal_string(&texts.concat()), h.finish())
    }

    /// A fingerprint of `value` after `seed` (a [`Theme::fingerprint`] of what `value` goes with),
    /// as [`Theme::fingerprint`] takes a context: [`Shared`] values by their own fingerprints.
    pub(crate) fn fingerprint_after(&self, seed: u64, value: &impl serde::Serialize) -> u64 {
        fingerprint_of(seed, value)
    }

    /// A fingerprint of every template's name and text.
    pub(crate) fn key(&self) -> u64 {
        self.key
    }

    /// What `template` makes from `context` is a function of this: the theme's templates, the
    /// template's name and the context. Equal fingerprints, equal output (see `render`'s reuse).
    pub(crate) fn fingerprint(&self, template: &str, context: &impl serde::Serialize) -> u64 {
        fingerprint_of(self.key ^ fingerprint_of(0, &template), context)
    }

    /// Renders `template` with `context` into `out`, a piece at a time (for files that grow with
    /// the site). An error of `out` comes back as a template diagnostic; the caller that knows
    /// better looks at its writer first.
    pub(crate) fn render_into(
        &self,
        template: &str,
        context: &impl serde::Serialize,
        out: &mut dyn std::io::Write,
    ) -> Result<(), Box<Diagnostic>> {
        let ctx = tera::Context::from_serialize(context).map_err(|e| Box::new(self.diagnostic(&e)))?;
        self.tera.render_to(template, &ctx, out).map_err(|e| Box::new(self.diagnostic(&e)))
    }

    /// Renders `template` with `context` (any serialisable value whose top level is a map).
    pub(crate) fn render(&self, template: &str, context: &impl serde::Serialize) -> Result<Vec<u8>, Box<Diagnostic>> {
        let size = self.sizes.get(template);
        let mut out = Vec::with_capacity(size.map_or(0, |s| s.load(Ordering::Relaxed)).max(4096));
        self.render_into(template, context, &mut out)?;
        if let Some(size) = size {
            size.fetch_max(out.len(), Ordering::Relaxed);
        }
        Ok(out)
    }
}

impl Theme {
    /// The path diagnostics show for the template called `name`.
    fn file_of(&self, name: &str) -> String {
        self.shown.get(name).cloned().unwrap_or_else(|| format!("{}/{name}", self.dir))
    }

    /// The help line for a problem in `file`: a built-in template is changed by copying it out.
    fn help_for(&self, file: &str) -> String {
        match file.strip_prefix(theme::BUILTIN_DIR) {
            Some(rel) => format!(
                "this template is built into carebook; the site's own templates in {} do not fit it: fix \
                 them, or change this one too after `carebook theme copy {}`",
                self.dir,
                rel.trim_start_matches('/')
            ),
            None => self.help.clone(),
        }
    }

    /// `template` diagnostics for a Tera load error. Validation errors (unknown filters, functions,
    /// tests) arrive as one pre-rendered report; their ` --> name:line:col` lines are read back.
    fn diagnostics(&self, e: &tera::Error) -> Vec<Diagnostic> {
        if matches!(e.kind(), tera::ErrorKind::SyntaxError(_) | tera::ErrorKind::RenderingError(_)) {
            return vec![self.diagnostic(e)];
        }
        let text = e.to_string();
        let mut out = Vec::new();
        let mut message: Option<String> = None;
        for line in text.lines() {
            if let Some(m) = line.strip_prefix("error: ") {
                message = Some(m.trim().to_string());
            } else if let Some(loc) = line.trim_start().strip_prefix("--> ")
                && let Some(m) = message.take()
            {
                let mut parts = loc.rsplitn(3, ':');
                let col = parts.next().and_then(|c| c.trim().parse::<usize>().ok()).unwrap_or(1);
                let line_no = parts.next().and_then(|l| l.trim().parse::<usize>().ok()).unwrap_or(1);
                let file = self.file_of(parts.next().unwrap_or("").trim());
                let span = self.sources.iter().find(|s| s.path == file).map(|s| {
                    let start = crate::source::LineIndex::new(&s.text).offset(&s.text, line_no, col);
                    start..start + 1
                });
                let help = self.help_for(&file);
                out.push(Diagnostic::new(Code::Template, file, span, m).with_label("template error").with_help(help));
            }
        }
        if out.is_empty() {
            out.push(self.diagnostic(e));
        }
        out
    }

    /// A `template` diagnostic for a Tera error, located in the template file when Tera says where.
    fn diagnostic(&self, e: &tera::Error) -> Diagnostic {
        let located = match e.kind() {
            tera::ErrorKind::SyntaxError(r) | tera::ErrorKind::RenderingError(r) => Some(r),
            _ => None,
        };
        match located {
            Some(r) => {
                let range = r.span().range.clone();
                let span = if range.is_empty() { range.start..range.start + 1 } else { range };
                let file = self.file_of(r.filename());
                let help = self.help_for(&file);
                Diagnostic::new(Code::Template, file, Some(span), r.message().to_string())
                    .with_label("template error")
                    .with_help(help)
            }
            None => {
                let mut msg = e.to_string();
                let mut src = std::error::Error::source(e);
                while let Some(s) = src {
                    msg.push_str(": ");
                    msg.push_str(&s.to_string());
                    src = s.source();
                }
                let theme_dir = self.dir.strip_suffix("/templates").unwrap_or(&self.dir);
                Diagnostic::new(Code::Template, &self.dir, None, msg)
                    .with_help(format!("fix the theme; the template context is described in {theme_dir}/CONTEXT.md"))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The templates are compiled again only when a template's text (or the theme) changed.
    #[test]
    fn a_kept_theme_is_compiled_again_only_when_its_templates_changed() {
        let dir = tempfile::tempdir().expect("tempdir");
        let mut kept = None;
        let load = |kept: &mut Option<Theme>| {
            let mut diags = Vec::new();
            let theme = load_kept(dir.path(), "default", &mut diags, Some(kept)).expect("loads");
            assert!(diags.is_empty(), "{diags:?}");
            theme
        };
        let first = load(&mut kept);
        let second = load(&mut kept);
        assert!(Arc::ptr_eq(&first.tera, &second.tera), "unchanged templates are not compiled again");
        let ours = dir.path().join("themes/default/templates");
        std::fs::create_dir_all(&ours).expect("folder");
        std::fs::write(ours.join("_icon.html"), "<i></i>").expect("write");
        let third = load(&mut kept);
        assert!(!Arc::ptr_eq(&second.tera, &third.tera) && third.key() != second.key());
        // A theme with problems is not kept: the next load compiles again.
        std::fs::write(ours.join("_icon.html"), "{% if %}").expect("write");
        let mut diags = Vec::new();
        load_kept(dir.path(), "default", &mut diags, Some(&mut kept)).expect("loads");
        assert!(!diags.is_empty() && kept.is_none());
    }
}
