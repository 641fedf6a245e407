//! The front-matter schema: typed guides, symptoms, causes and pages, and the walk that builds
//! them from a YAML tree while reporting every unknown, missing, wrong-typed or invalid value.
//!
//! Every value that can be wrong keeps its [`Spanned`] byte range in the file, so later checks
//! (references, dates) point at the exact text.

use jiff::civil::Date;
use std::ops::Range;

use crate::diagnostic::{Code, Diagnostic, did_you_mean};
use crate::yaml::{Key, Value, Yaml};

/// A value and the byte range in its file it came from.
///
/// The default (empty value, empty span) stands in for a required value that was missing or
/// invalid; the error was reported, so such a file never reaches the renderer.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Spanned<T> {
    /// The value.
    pub value: T,
    /// Byte range in the file.
    pub span: Range<usize>,
}

/// How soon a red flag needs care. Ordered: most urgent first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Urgency {
    /// Call the emergency number now.
    Emergency,
    /// Speak to a doctor or midwife today.
    Urgent,
    /// Within 24-48 hours if not better.
    Soon,
    /// A lactation consultant or family doctor.
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

    /// Parses a front-matter key.
    pub fn parse(s: &str) -> Option<Urgency> {
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
}

impl Kind {
    /// Every kind.
    pub const ALL: [Kind; 4] = [Kind::Guide, Kind::Symptom, Kind::Cause, Kind::Page];

    /// The folder name under `content/` (and under the output).
    pub fn folder(self) -> &'static str {
        match self {
            Kind::Guide => "guides",
            Kind::Symptom => "symptoms",
            Kind::Cause => "causes",
            Kind::Page => "pages",
        }
    }

    /// The singular noun for messages.
    pub fn noun(self) -> &'static str {
        match self {
            Kind::Guide => "guide",
            Kind::Symptom => "symptom",
            Kind::Cause => "cause",
            Kind::Page => "page",
        }
    }

    /// The kind for a folder name.
    pub fn from_folder(s: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.folder() == s)
    }
}

/// Front matter of a guide.
#[derive(Clone, Debug, PartialEq)]
pub struct GuideMatter {
    /// 3-90 characters.
    pub title: Spanned<String>,
    /// At most 200 characters.
    pub summary: Spanned<String>,
    /// When the guide was last reviewed (`None` only when invalid: errors were reported).
    pub reviewed: Option<Spanned<Date>>,
    /// When it must be reviewed again; after `reviewed` (`None` only when invalid).
    pub review_due: Option<Spanned<Date>>,
    /// Symptom ids.
    pub symptoms: Vec<Spanned<String>>,
    /// Cause ids.
    pub causes: Vec<Spanned<String>>,
    /// Self-care steps, in order.
    pub steps: Vec<Step>,
    /// Mistakes to avoid.
    pub mistakes: Vec<Mistake>,
    /// Red flags; at least one.
    pub see_a_doctor: Vec<RedFlag>,
    /// Related guide ids.
    pub related: Vec<Spanned<String>>,
    /// Sources; at least one.
    pub sources: Vec<Source>,
    /// Sort key in lists (then title).
    pub order: Option<i64>,
    /// Built only with `--drafts`.
    pub draft: bool,
}

/// One self-care step.
#[derive(Clone, Debug, PartialEq)]
pub struct Step {
    /// Plain text.
    pub title: Spanned<String>,
    /// Inline Markdown.
    pub text: Spanned<String>,
    /// Inline Markdown.
    pub caution: Option<Spanned<String>>,
}

/// A common mistake and what to do instead.
#[derive(Clone, Debug, PartialEq)]
pub struct Mistake {
    /// Inline Markdown.
    pub mistake: Spanned<String>,
    /// Inline Markdown.
    pub instead: Spanned<String>,
    /// Inline Markdown.
    pub why: Option<Spanned<String>>,
}

/// A sign that means "see a doctor".
#[derive(Clone, Debug, PartialEq)]
pub struct RedFlag {
    /// Inline Markdown.
    pub sign: Spanned<String>,
    /// The tier.
    pub urgency: Spanned<Urgency>,
    /// Optional symptom id.
    pub symptom: Option<Spanned<String>>,
}

/// A cited source.
#[derive(Clone, Debug, PartialEq)]
pub struct Source {
    /// Plain text.
    pub title: Spanned<String>,
    /// `https://` or `http://`.
    pub url: Spanned<String>,
    /// Who published it.
    pub publisher: Option<Spanned<String>>,
    /// Year of publication.
    pub year: Option<Spanned<i64>>,
}

/// Front matter of a symptom or cause page.
#[derive(Clone, Debug, PartialEq)]
pub struct TermMatter {
    /// 3-90 characters.
    pub title: Spanned<String>,
    /// At most 200 characters.
    pub summary: Spanned<String>,
    /// Other words readers use (for search).
    pub aliases: Vec<Spanned<String>>,
    /// Optional review date.
    pub reviewed: Option<Spanned<Date>>,
    /// Optional next review date.
    pub review_due: Option<Spanned<Date>>,
    /// Prevention tips (causes only), inline Markdown.
    pub prevention: Vec<Spanned<String>>,
}

/// Front matter of a free page.
#[derive(Clone, Debug, PartialEq)]
pub struct PageMatter {
    /// 3-90 characters.
    pub title: Spanned<String>,
    /// At most 200 characters.
    pub summary: Option<Spanned<String>>,
}

/// Typed front matter of any kind.
#[derive(Clone, Debug, PartialEq)]
pub enum Matter {
    /// A guide.
    Guide(Box<GuideMatter>),
    /// A symptom or cause.
    Term(TermMatter),
    /// A free page.
    Page(PageMatter),
}

/// What a set of fields is, as messages name it: "the guide front matter", "step 3".
#[derive(Clone, Copy, Debug)]
enum What {
    /// The front matter of a file of this kind.
    Matter(Kind),
    /// Item `n` (from 1) of a list of these.
    Item(&'static str, usize),
}

impl std::fmt::Display for What {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            What::Matter(kind) => write!(f, "the {} front matter", kind.noun()),
            What::Item(noun, n) => write!(f, "{noun} {n}"),
        }
    }
}

/// The fields each kind accepts, for unknown-field checks and did-you-mean.
pub fn fields_of(kind: Kind) -> &'static [&'static str] {
    match kind {
        Kind::Guide => &[
            "title",
            "summary",
            "reviewed",
            "review_due",
            "symptoms",
            "causes",
            "steps",
            "mistakes",
            "see_a_doctor",
            "related",
            "sources",
            "order",
            "draft",
        ],
        Kind::Symptom => &["title", "summary", "aliases", "reviewed", "review_due"],
        Kind::Cause => &["title", "summary", "aliases", "reviewed", "review_due", "prevention"],
        Kind::Page => &["title", "summary"],
    }
}

/// The fields of a step (`steps:` items of a guide).
pub const STEP_FIELDS: &[&str] = &["title", "text", "caution"];
/// The fields of a mistake (`mistakes:` items of a guide).
pub const MISTAKE_FIELDS: &[&str] = &["mistake", "instead", "why"];
/// The fields of a red flag (`see_a_doctor:` items of a guide).
pub const FLAG_FIELDS: &[&str] = &["sign", "urgency", "symptom"];
/// The fields of a source (`sources:` items of a guide).
pub const SOURCE_FIELDS: &[&str] = &["title", "url", "publisher", "year"];

/// Is `s` a valid id: lower-case ASCII letters, digits and single hyphens?
pub fn is_valid_id(s: &str) -> bool {
    !s.is_empty()
        && !s.starts_with('-')
        && !s.ends_with('-')
        && !s.contains("--")
        && s.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// Is `s` written as a whole number (digits with an optional sign)?
fn is_whole_number(s: &str) -> bool {
    let digits = s.trim().trim_start_matches(['+', '-']);
    !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit())
}

/// The closest valid id to `s` (for "rename the file to …" help).
pub fn suggest_id(s: &str) -> String {
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

/// Walks a YAML tree against the schema; every problem goes into `diags`.
pub struct Walker<'a> {
    file: &'a str,
    /// The whole file's text.
    src: &'a str,
    /// Offset of the YAML text in the file.
    base: usize,
    /// Span used for fields missing at the top level (the opening `---`).
    top: Range<usize>,
    /// Where problems go.
    pub diags: &'a mut Vec<Diagnostic>,
}

/// The fields of one YAML mapping.
struct Fields<'y> {
    pairs: &'y [(Key, Yaml)],
    /// Where "missing field" points.
    at: Range<usize>,
    /// "the guide front matter", "step 2", ...
    what: What,
}

impl<'y> Fields<'y> {
    fn get(&self, name: &str) -> Option<&'y Yaml> {
        self.pairs.iter().find(|(k, _)| k.name == name).map(|(_, v)| v).filter(|v| v.value != Value::Null)
    }
}

impl<'a> Walker<'a> {
    /// A walker for the YAML at byte `base` of `file`; `top` is the opening fence's span.
    pub fn new(file: &'a str, src: &'a str, base: usize, top: Range<usize>, diags: &'a mut Vec<Diagnostic>) -> Self {
        Walker { file, src, base, top, diags }
    }

    fn span(&self, y: &Range<usize>) -> Range<usize> {
        let s = self.base + y.start;
        let e = (self.base + y.end).max(s + 1);
        s..e
    }

    fn spanned<T>(&self, value: T, y: &Yaml) -> Spanned<T> {
        Spanned { value, span: self.span(&y.span) }
    }

    fn push(&mut self, d: Diagnostic) {
        self.diags.push(d);
    }

    /// Checks a mapping's keys against `allowed`; reports unknown keys.
    fn fields<'y>(&mut self, y: &'y Yaml, allowed: &[&str], what: What, at: Range<usize>) -> Option<Fields<'y>> {
        let Value::Map(pairs) = &y.value else {
            let msg = format!("{what} must be a set of fields (`key: value` lines); found {}", y.value.kind_name());
            self.push(
                Diagnostic::new(Code::WrongType, self.file, Some(self.span(&y.span)), msg)
                    .with_label("expected fields here")
                    .with_help(format!("write the fields of {what}: {}", allowed.join(", "))),
            );
            return None;
        };
        for (k, _) in pairs {
            if !allowed.contains(&k.name.as_str()) {
                let help = match did_you_mean(&k.name, allowed.iter().copied()) {
                    Some(s) => format!("did you mean `{s}`?"),
                    None => format!("the fields of {what} are: {}", allowed.join(", ")),
                };
                let msg = format!("unknown field `{}` in {what}", k.name);
                self.push(
                    Diagnostic::new(Code::UnknownField, self.file, Some(self.span(&k.span)), msg)
                        .with_label(format!("not a field of {what}"))
                        .with_help(help),
                );
            }
        }
        Some(Fields { pairs, at, what })
    }

    fn missing(&mut self, f: &Fields, name: &str, hint: &str) {
        let present_but_empty = f.pairs.iter().find(|(k, _)| k.name == name);
        let (span, msg) = match present_but_empty {
            Some((k, _)) => (self.span(&k.span), format!("`{name}` of {} is empty", f.what)),
            None => (f.at.clone(), format!("missing field `{name}` in {}", f.what)),
        };
        self.push(
            Diagnostic::new(Code::MissingField, self.file, Some(span), msg)
                .with_label(format!("`{name}` is required"))
                .with_help(format!("add `{name}: {hint}`")),
        );
    }

    /// A text value; numbers are taken as written.
    fn text_value(&mut self, y: &Yaml, name: &str, what: What) -> Option<Spanned<String>> {
        let s = match &y.value {
            Value::Str(s) => s.clone(),
            Value::Int(_) | Value::Float(_) | Value::Bool(_) => {
                let raw = &self.file_text_of(&y.span);
                raw.to_string()
            }
            other => {
                let msg = format!("`{name}` of {what} must be text; found {}", other.kind_name());
                let help = if matches!(other, Value::Seq(_)) {
                    "write the text on one line after the colon, or join the items".to_string()
                } else {
                    format!("write `{name}: some text`")
                };
                self.push(
                    Diagnostic::new(Code::WrongType, self.file, Some(self.span(&y.span)), msg)
                        .with_label("expected text")
                        .with_help(help),
                );
                return None;
            }
        };
        Some(self.spanned(s.trim().to_string(), y))
    }

    /// The source text of a scalar, so numbers used as text keep the digits as written.
    fn file_text_of(&self, span: &Range<usize>) -> String {
        let s = self.span(span);
        self.src.get(s).unwrap_or("").to_string()
    }

    fn text(&mut self, f: &Fields, name: &str, required: bool, min: usize, max: usize) -> Option<Spanned<String>> {
        let Some(y) = f.get(name) else {
            if required {
                self.missing(f, name, "some text");
            }
            return None;
        };
        let what = f.what;
        let t = self.text_value(y, name, what)?;
        let n = t.value.chars().count();
        if n == 0 && required {
            self.missing(f, name, "some text");
            return None;
        }
        if n < min || n > max {
            let msg = if n < min {
                format!("`{name}` is too short: {n} characters, at least {min} are needed")
            } else {
                format!("`{name}` is too long: {n} characters, at most {max} are allowed")
            };
            self.push(
                Diagnostic::new(Code::InvalidValue, self.file, Some(t.span.clone()), msg)
                    .with_label(format!("{n} characters"))
                    .with_help(if n > max {
                        format!("shorten it to {max} characters or fewer; put details in the body")
                    } else {
                        "write a few more words".to_string()
                    }),
            );
        }
        Some(t)
    }

    fn date(&mut self, f: &Fields, name: &str, required: bool) -> Option<Spanned<Date>> {
        let Some(y) = f.get(name) else {
            if required {
                self.missing(f, name, "2026-11-01");
            }
            return None;
        };
        let raw = match &y.value {
            Value::Str(s) => s.trim().to_string(),
            Value::Int(i) => i.to_string(),
            other => {
                let msg = format!("`{name}` must be a date like 2026-11-01; found {}", other.kind_name());
                self.push(
                    Diagnostic::new(Code::InvalidDate, self.file, Some(self.span(&y.span)), msg)
                        .with_help("write the date as YYYY-MM-DD, e.g. 2026-11-01"),
                );
                return None;
            }
        };
        let shape_ok = raw.len() == 10
            && raw.bytes().enumerate().all(|(i, b)| if i == 4 || i == 7 { b == b'-' } else { b.is_ascii_digit() });
        let parsed = if shape_ok { raw.parse::<Date>().ok() } else { None };
        match parsed {
            Some(d) => Some(self.spanned(d, y)),
            None => {
                let msg = if shape_ok {
                    format!("`{name}` is not a real date: {raw}")
                } else {
                    format!("`{name}` must be a date written YYYY-MM-DD; found \"{raw}\"")
                };
                let help = if shape_ok {
                    "check the day and the month (for example, February has 28 or 29 days)".to_string()
                } else {
                    "write the date as YYYY-MM-DD, e.g. 2026-11-01".to_string()
                };
                self.push(
                    Diagnostic::new(Code::InvalidDate, self.file, Some(self.span(&y.span)), msg)
                        .with_label("not a valid date")
                        .with_help(help),
                );
                None
            }
        }
    }

    fn list<'y>(&mut self, f: &Fields<'y>, name: &str, required: bool, example: &str) -> &'y [Yaml] {
        let Some(y) = f.get(name) else {
            if required {
                self.missing(f, name, example);
            }
            return &[];
        };
        match &y.value {
            Value::Seq(items) => {
                if items.is_empty() && required {
                    self.push(
                        Diagnostic::new(
                            Code::InvalidValue,
                            self.file,
                            Some(self.span(&y.span)),
                            format!("`{name}` must have at least one item"),
                        )
                        .with_help(format!("add at least one item: `{name}: {example}`")),
                    );
                }
                items
            }
            other => {
                let msg = format!("`{name}` must be a list; found {}", other.kind_name());
                self.push(
                    Diagnostic::new(Code::WrongType, self.file, Some(self.span(&y.span)), msg)
                        .with_label("expected a list")
                        .with_help(format!("write a list, e.g. `{name}: {example}`")),
                );
                &[]
            }
        }
    }

    fn id_list(&mut self, f: &Fields, name: &str) -> Vec<Spanned<String>> {
        let items = self.list(f, name, false, "[first-id, second-id]");
        let what = f.what;
        let mut out = Vec::new();
        for y in items {
            if let Some(id) = self.text_value(y, name, what) {
                self.check_id(&id, name);
                out.push(id);
            }
        }
        out
    }

    fn check_id(&mut self, id: &Spanned<String>, name: &str) {
        if !is_valid_id(&id.value) {
            let msg = format!("`{}` in `{name}` is not a valid id", id.value);
            self.push(
                Diagnostic::new(Code::InvalidValue, self.file, Some(id.span.clone()), msg)
                    .with_label("ids are lower-case letters, digits and single hyphens")
                    .with_help(format!("ids are file names without `.md`; did you mean `{}`?", suggest_id(&id.value))),
            );
        }
    }

    fn items<'y>(&mut self, items: &'y [Yaml], allowed: &[&str], noun: &'static str) -> Vec<Option<Fields<'y>>> {
        items
            .iter()
            .enumerate()
            .map(|(i, y)| {
                let at = self.span(&y.span);
                self.fields(y, allowed, What::Item(noun, i + 1), at)
            })
            .collect()
    }

    /// Walks the front matter of a file of `kind`.
    pub fn matter(&mut self, y: &Yaml, kind: Kind) -> Option<Matter> {
        let top = self.top.clone();
        let f = self.fields(y, fields_of(kind), What::Matter(kind), top)?;
        let title = self.text(&f, "title", true, 3, 90);
        match kind {
            Kind::Guide => self.guide(&f, title).map(|g| Matter::Guide(Box::new(g))),
            Kind::Symptom | Kind::Cause => {
                let summary = self.text(&f, "summary", true, 1, 200);
                let aliases = self.string_list(&f, "aliases", 1, 60);
                let reviewed = self.date(&f, "reviewed", false);
                let review_due = self.date(&f, "review_due", false);
                let prevention = self.string_list(&f, "prevention", 1, 300);
                Some(Matter::Term(TermMatter {
                    title: title.unwrap_or_default(),
                    summary: summary.unwrap_or_default(),
                    aliases,
                    reviewed,
                    review_due,
                    prevention,
                }))
            }
            Kind::Page => {
                let summary = self.text(&f, "summary", false, 0, 200);
                Some(Matter::Page(PageMatter { title: title.unwrap_or_default(), summary }))
            }
        }
    }

    fn string_list(&mut self, f: &Fields, name: &str, min: usize, max: usize) -> Vec<Spanned<String>> {
        let items = self.list(f, name, false, "[first, second]");
        let what = f.what;
        let mut out = Vec::new();
        for y in items {
            if let Some(t) = self.text_value(y, name, what) {
                let n = t.value.chars().count();
                if n < min || n > max {
                    self.push(
                        Diagnostic::new(
                            Code::InvalidValue,
                            self.file,
                            Some(t.span.clone()),
                            format!("an item of `{name}` has {n} characters; {min} to {max} are allowed"),
                        )
                        .with_help("keep each item short, or remove the empty one"),
                    );
                }
                out.push(t);
            }
        }
        out
    }

    /// Best effort: a guide with invalid fields is still returned (with placeholders), so the
    /// cross-file checks see its references and do not report follow-on errors.
    fn guide(&mut self, f: &Fields, title: Option<Spanned<String>>) -> Option<GuideMatter> {
        let summary = self.text(f, "summary", true, 1, 200);
        let reviewed = self.date(f, "reviewed", true);
        let review_due = self.date(f, "review_due", true);
        let symptoms = self.id_list(f, "symptoms");
        let causes = self.id_list(f, "causes");

        let step_items = self.list(f, "steps", false, "[{title: ..., text: ...}]");
        let mut steps = Vec::new();
        for s in self.items(step_items, STEP_FIELDS, "step").into_iter().flatten() {
            let title = self.text(&s, "title", true, 1, 120);
            let text = self.text(&s, "text", true, 1, 1000);
            let caution = self.text(&s, "caution", false, 0, 500);
            if let (Some(title), Some(text)) = (title, text) {
                steps.push(Step { title, text, caution });
            }
        }

        let mistake_items = self.list(f, "mistakes", false, "[{mistake: ..., instead: ...}]");
        let mut mistakes = Vec::new();
        for m in self.items(mistake_items, MISTAKE_FIELDS, "mistake").into_iter().flatten() {
            let mistake = self.text(&m, "mistake", true, 1, 300);
            let instead = self.text(&m, "instead", true, 1, 500);
            let why = self.text(&m, "why", false, 0, 500);
            if let (Some(mistake), Some(instead)) = (mistake, instead) {
                mistakes.push(Mistake { mistake, instead, why });
            }
        }

        let flag_items = self.list(f, "see_a_doctor", true, "[{sign: ..., urgency: urgent}]");
        let mut see_a_doctor = Vec::new();
        for r in self.items(flag_items, FLAG_FIELDS, "red flag").into_iter().flatten() {
            let sign = self.text(&r, "sign", true, 1, 400);
            let urgency = self.urgency(&r);
            let what = r.what;
            let symptom = match r.get("symptom") {
                Some(y) => self.text_value(y, "symptom", what),
                None => None,
            };
            if let Some(s) = &symptom {
                self.check_id(s, "symptom");
            }
            if let (Some(sign), Some(urgency)) = (sign, urgency) {
                see_a_doctor.push(RedFlag { sign, urgency, symptom });
            }
        }

        let related = self.id_list(f, "related");

        let source_items = self.list(f, "sources", true, "[{title: ..., url: https://...}]");
        let mut sources = Vec::new();
        for s in self.items(source_items, SOURCE_FIELDS, "source").into_iter().flatten() {
            let title = self.text(&s, "title", true, 1, 300);
            let url = self.text(&s, "url", true, 1, 2000);
            if let Some(u) = &url {
                if u.value.starts_with("http://") {
                    self.push(
                        Diagnostic::new(
                            Code::InsecureLink,
                            self.file,
                            Some(u.span.clone()),
                            format!("source url without encryption: \"{}\"", u.value),
                        )
                        .with_label("http://")
                        .with_help(
                            "use the source's https:// address; browsers may warn readers about or block http:// links",
                        ),
                    );
                } else if !u.value.starts_with("https://") {
                    self.push(
                        Diagnostic::new(
                            Code::InvalidValue,
                            self.file,
                            Some(u.span.clone()),
                            format!(
                                "source url must start with https:// (or http://, with a warning); found \"{}\"",
                                u.value
                            ),
                        )
                        .with_label("not a web address")
                        .with_help("copy the full address from the browser's address bar"),
                    );
                }
            }
            let publisher = self.text(&s, "publisher", false, 0, 200);
            let year = self.int(&s, "year", 1500, 2200);
            if let (Some(title), Some(url)) = (title, url) {
                sources.push(Source { title, url, publisher, year });
            }
        }

        let order = self.int(f, "order", i64::MIN, i64::MAX).map(|o| o.value);
        let draft = match f.get("draft") {
            None => false,
            Some(Yaml { value: Value::Bool(b), .. }) => *b,
            Some(y) => {
                let msg = format!("`draft` must be true or false; found {}", y.value.kind_name());
                self.push(
                    Diagnostic::new(Code::WrongType, self.file, Some(self.span(&y.span)), msg)
                        .with_help("write `draft: true` or `draft: false`"),
                );
                false
            }
        };
        Some(GuideMatter {
            title: title.unwrap_or_default(),
            summary: summary.unwrap_or_default(),
            reviewed,
            review_due,
            symptoms,
            causes,
            steps,
            mistakes,
            see_a_doctor,
            related,
            sources,
            order,
            draft,
        })
    }

    fn urgency(&mut self, r: &Fields) -> Option<Spanned<Urgency>> {
        let Some(y) = r.get("urgency") else {
            self.missing(r, "urgency", "urgent");
            return None;
        };
        let what = r.what;
        let t = self.text_value(y, "urgency", what)?;
        match Urgency::parse(&t.value) {
            Some(u) => Some(Spanned { value: u, span: t.span }),
            None => {
                let names: Vec<&str> = Urgency::ALL.iter().map(|u| u.as_str()).collect();
                let mut msg = format!("urgency must be one of emergency, urgent, soon, routine; found \"{}\"", t.value);
                let help = match did_you_mean(&t.value, names.iter().copied()) {
                    Some(s) => {
                        msg.push_str(&format!(" — did you mean \"{s}\"?"));
                        format!("write `urgency: {s}`")
                    }
                    None => "emergency: call now; urgent: today; soon: within 24-48 hours; routine: when convenient"
                        .to_string(),
                };
                self.push(
                    Diagnostic::new(Code::InvalidValue, self.file, Some(t.span), msg)
                        .with_label("not an urgency")
                        .with_help(help),
                );
                None
            }
        }
    }

    fn int(&mut self, f: &Fields, name: &str, min: i64, max: i64) -> Option<Spanned<i64>> {
        let y = f.get(name)?;
        match &y.value {
            Value::Int(i) if (min..=max).contains(i) => Some(self.spanned(*i, y)),
            Value::Int(i) => {
                self.push(
                    Diagnostic::new(
                        Code::InvalidValue,
                        self.file,
                        Some(self.span(&y.span)),
                        format!("`{name}` must be between {min} and {max}; found {i}"),
                    )
                    .with_help(format!("write a whole number from {min} to {max}")),
                );
                None
            }
            // A whole number too large for 64 bits arrives as a float; it is out of range, not
            // of the wrong type.
            Value::Float(_) if is_whole_number(&self.file_text_of(&y.span)) => {
                let raw = self.file_text_of(&y.span);
                let shown = if raw.chars().count() > 30 {
                    format!("{}…", raw.chars().take(30).collect::<String>())
                } else {
                    raw
                };
                let message = if (min, max) == (i64::MIN, i64::MAX) {
                    format!("`{name}` is too large a number: {shown}")
                } else {
                    format!("`{name}` must be between {min} and {max}; found {shown}")
                };
                self.push(
                    Diagnostic::new(Code::InvalidValue, self.file, Some(self.span(&y.span)), message)
                        .with_help(format!("write a whole number from {min} to {max}")),
                );
                None
            }
            other => {
                self.push(
                    Diagnostic::new(
                        Code::WrongType,
                        self.file,
                        Some(self.span(&y.span)),
                        format!("`{name}` must be a whole number; found {}", other.kind_name()),
                    )
                    .with_label("expected a number")
                    .with_help(format!("write `{name}: 2022` (digits only, no quotes)")),
                );
                None
            }
        }
    }
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
