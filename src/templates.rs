//! Templates: the only module that knows Tera. Loads a theme's templates and static files and
//! turns template errors into `template` diagnostics that point into the theme file.

use std::collections::HashMap;
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use walkdir::WalkDir;

use crate::diagnostic::{Code, Diagnostic};
use crate::load::rel;
use crate::source::SourceFile;

/// The templates every theme must provide.
pub const REQUIRED: &[&str] = &[
    "base.html",
    "home.html",
    "guide.html",
    "symptom.html",
    "cause.html",
    "symptoms.html",
    "causes.html",
    "page.html",
    "doctor.html",
    "print.html",
    "_print_guide.html",
    "404.html",
];

/// A loaded theme.
pub struct Theme {
    tera: tera::Tera,
    /// The largest output of each template so far: the next one gets a buffer that size at once,
    /// instead of growing (and copying) it a few times per page.
    sizes: HashMap<String, AtomicUsize>,
    /// Template sources, for locating template diagnostics.
    pub sources: Vec<SourceFile>,
    /// Static files: path relative to `static/` and bytes.
    pub statics: Vec<(String, Vec<u8>)>,
    /// Root-relative folder of the templates (`themes/default/templates`).
    dir: String,
}

/// Loads `<root>/themes/<name>`: templates (diagnostics on errors) and static files.
pub fn load(root: &Path, name: &str, diags: &mut Vec<Diagnostic>) -> anyhow::Result<Theme> {
    let theme_dir = root.join("themes").join(name);
    if !theme_dir.is_dir() {
        anyhow::bail!("theme folder `{}` does not exist (set `theme` in carebook.toml)", theme_dir.display());
    }
    let tdir = theme_dir.join("templates");
    let dir = rel(root, &tdir);
    let mut sources = Vec::new();
    for entry in WalkDir::new(&tdir).sort_by_file_name() {
        let entry = entry.map_err(|e| anyhow::anyhow!("failed to read the theme templates: {e}"))?;
        if !entry.file_type().is_file() || !entry.file_name().to_string_lossy().ends_with(".html") {
            continue;
        }
        let text = std::fs::read_to_string(entry.path())
            .map_err(|e| anyhow::anyhow!("failed to read `{}`: {e}", entry.path().display()))?;
        sources.push(SourceFile { path: rel(root, entry.path()), text: text.as_str().into() });
    }
    let mut tera = tera::Tera::default();
    let named: Vec<(String, String)> =
        sources.iter().map(|s| (s.path[dir.len() + 1..].to_string(), s.text.to_string())).collect();
    let sizes = named.iter().map(|(name, _)| (name.clone(), AtomicUsize::new(0))).collect();
    if let Err(e) = tera.add_raw_templates(named) {
        diags.extend(diagnostics(&e, &dir, &sources));
    }
    for r in REQUIRED {
        if !sources.iter().any(|s| s.path[dir.len() + 1..] == **r) {
            diags.push(
                Diagnostic::new(Code::Template, format!("{dir}/{r}"), None, format!("the theme has no template `{r}`"))
                    .with_help("every theme needs: ".to_string() + &REQUIRED.join(", ")),
            );
        }
    }
    let mut statics = Vec::new();
    let sdir = theme_dir.join("static");
    if sdir.is_dir() {
        for entry in WalkDir::new(&sdir).sort_by_file_name() {
            let entry = entry.map_err(|e| anyhow::anyhow!("failed to read the theme's static files: {e}"))?;
            if !entry.file_type().is_file() {
                continue;
            }
            let bytes = std::fs::read(entry.path())
                .map_err(|e| anyhow::anyhow!("failed to read `{}`: {e}", entry.path().display()))?;
            statics.push((rel(&sdir, entry.path()), bytes));
        }
    }
    Ok(Theme { tera, sizes, sources, statics, dir })
}

/// A template value made once and shown by many pages: each page takes it as it is (a cheap
/// copy), instead of converting the same data again.
#[derive(Clone)]
pub struct Shared(tera::Value);

impl serde::Serialize for Shared {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        // Inside a template context this hands over the value itself (Tera's pass-through).
        self.0.serialize(serializer)
    }
}

impl Theme {
    /// Converts `value` once, for many pages ([`Shared`]).
    pub fn share(&self, value: &impl serde::Serialize) -> Result<Shared, Box<Diagnostic>> {
        tera::Value::try_from_serializable(value).map(Shared).map_err(|e| Box::new(diagnostic(&e, &self.dir)))
    }

    /// Renders `template` with `context` into `out`, a piece at a time (for files that grow with
    /// the site). An error of `out` comes back as a template diagnostic; the caller that knows
    /// better looks at its writer first.
    pub fn render_into(
        &self,
        template: &str,
        context: &impl serde::Serialize,
        out: &mut dyn std::io::Write,
    ) -> Result<(), Box<Diagnostic>> {
        let ctx = tera::Context::from_serialize(context).map_err(|e| Box::new(diagnostic(&e, &self.dir)))?;
        self.tera.render_to(template, &ctx, out).map_err(|e| Box::new(diagnostic(&e, &self.dir)))
    }

    /// Renders `template` with `context` (any serialisable value whose top level is a map).
    pub fn render(&self, template: &str, context: &impl serde::Serialize) -> Result<Vec<u8>, Box<Diagnostic>> {
        let size = self.sizes.get(template);
        let mut out = Vec::with_capacity(size.map_or(0, |s| s.load(Ordering::Relaxed)).max(4096));
        self.render_into(template, context, &mut out)?;
        if let Some(size) = size {
            size.fetch_max(out.len(), Ordering::Relaxed);
        }
        Ok(out)
    }
}

/// `template` diagnostics for a Tera load error. Validation errors (unknown filters, functions,
/// tests) arrive as one pre-rendered report; their ` --> name:line:col` lines are read back.
fn diagnostics(e: &tera::Error, dir: &str, sources: &[SourceFile]) -> Vec<Diagnostic> {
    if matches!(e.kind(), tera::ErrorKind::SyntaxError(_) | tera::ErrorKind::RenderingError(_)) {
        return vec![diagnostic(e, dir)];
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
            let name = parts.next().unwrap_or("").trim();
            let file = format!("{dir}/{name}");
            let span = sources.iter().find(|s| s.path == file).map(|s| {
                let start = crate::source::LineIndex::new(&s.text).offset(&s.text, line_no, col);
                start..start + 1
            });
            out.push(
                Diagnostic::new(Code::Template, file, span, m)
                    .with_label("template error")
                    .with_help("fix the template; the template context is described in themes/default/CONTEXT.md"),
            );
        }
    }
    if out.is_empty() {
        out.push(diagnostic(e, dir));
    }
    out
}

/// A `template` diagnostic for a Tera error, located in the template file when Tera says where.
fn diagnostic(e: &tera::Error, dir: &str) -> Diagnostic {
    let located = match e.kind() {
        tera::ErrorKind::SyntaxError(r) | tera::ErrorKind::RenderingError(r) => Some(r),
        _ => None,
    };
    match located {
        Some(r) => {
            let range = r.span().range.clone();
            let span = if range.is_empty() { range.start..range.start + 1 } else { range };
            Diagnostic::new(Code::Template, format!("{dir}/{}", r.filename()), Some(span), r.message().to_string())
                .with_label("template error")
                .with_help("fix the template; the template context is described in themes/default/CONTEXT.md")
        }
        None => {
            let mut msg = e.to_string();
            let mut src = std::error::Error::source(e);
            while let Some(s) = src {
                msg.push_str(": ");
                msg.push_str(&s.to_string());
                src = s.source();
            }
            Diagnostic::new(Code::Template, dir, None, msg)
                .with_help("fix the theme; the template context is described in themes/default/CONTEXT.md")
        }
    }
}
