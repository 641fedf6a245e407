//! The walk: builds typed front matter from a YAML tree, field by field as the table in
//! [`super::fields`] describes, reporting every unknown, missing, wrong-typed or invalid value.
//!
//! [`Read`] says how a value of each Rust type is read; the `record!` macro reads a whole record
//! with it ([`ReadRecord`]).

use jiff::civil::Date;
use std::ops::Range;

use super::field::{Field, Record, Type};
use super::{
    GuideMatter, Kind, Matter, PageMatter, SharedMatter, Spanned, TermMatter, Urgency, is_valid_id, suggest_id,
};
use crate::diagnostic::{Code, Diagnostic, did_you_mean};
use crate::yaml::{Key, Value, Yaml};

/// What a set of fields is, as messages name it: "the guide front matter", "step 3".
#[derive(Clone, Copy, Debug)]
pub(crate) enum What {
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

/// Is `s` written as a whole number (digits with an optional sign)?
fn is_whole_number(s: &str) -> bool {
    let digits = s.trim().trim_start_matches(['+', '-']);
    !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit())
}

/// Walks a YAML tree against the schema; every problem goes into `diags`.
pub(crate) struct Walker<'a> {
    file: &'a str,
    /// The whole file's text.
    src: &'a str,
    /// Offset of the YAML text in the file.
    base: usize,
    /// Span used for fields missing at the top level (the opening `---`).
    top: Range<usize>,
    /// Where problems go.
    pub(crate) diags: &'a mut Vec<Diagnostic>,
    /// Top-level fields that are there but could not be read (YAML errors): not "missing".
    unreadable: &'a [String],
    /// Reading a `shared:` item, whose other fields come from its block: none is missing.
    in_shared: bool,
}

/// The fields of one YAML mapping.
pub(crate) struct Fields<'y> {
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
    /// A walker for the YAML at byte `base` of `file`; `top_span` is the opening fence's span.
    pub(crate) fn new(
        file: &'a str,
        src: &'a str,
        base: usize,
        top_span: Range<usize>,
        diags: &'a mut Vec<Diagnostic>,
    ) -> Self {
        Walker { file, src, base, top: top_span, diags, unreadable: &[], in_shared: false }
    }

    /// The same walker, told which top-level fields are there but could not be read.
    pub(crate) fn unreadable(&mut self, names: &'a [String]) -> &mut Self {
        self.unreadable = names;
        self
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

    /// Checks a mapping's keys against the fields in `allowed`; reports unknown keys.
    fn fields<'y>(
        &mut self,
        y: &'y Yaml,
        allowed: impl Iterator<Item = &'static Field> + Clone,
        what: What,
        at: Range<usize>,
    ) -> Option<Fields<'y>> {
        let names = || allowed.clone().map(|f| f.name);
        let listed = || names().collect::<Vec<_>>().join(", ");
        let Value::Map(pairs) = &y.value else {
            let msg = format!("{what} must be a set of fields (`key: value` lines); found {}", y.value.kind_name());
            self.push(
                Diagnostic::new(Code::WrongType, self.file, Some(self.span(&y.span)), msg)
                    .with_label("expected fields here")
                    .with_help(format!("write the fields of {what}: {}", listed())),
            );
            return None;
        };
        for (k, _) in pairs {
            if !names().any(|n| n == k.name) {
                let help = match did_you_mean(&k.name, names()) {
                    Some(s) => format!("did you mean `{s}`?"),
                    None => format!("the fields of {what} are: {}", listed()),
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
        if self.in_shared {
            return;
        }
        if matches!(f.what, What::Matter(_)) && self.unreadable.iter().any(|n| n == name) {
            return;
        }
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

    /// A list; its placeholder is made only for a message.
    fn list<'y>(&mut self, f: &Fields<'y>, spec: &Field) -> &'y [Yaml] {
        let (name, required) = (spec.name, spec.required);
        let Some(y) = f.get(name) else {
            if required {
                self.missing(f, name, &spec.placeholder());
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
                        .with_help(format!("add at least one item: `{name}: {}`", spec.placeholder())),
                    );
                }
                items
            }
            other => {
                let msg = format!("`{name}` must be a list; found {}", other.kind_name());
                self.push(
                    Diagnostic::new(Code::WrongType, self.file, Some(self.span(&y.span)), msg)
                        .with_label("expected a list")
                        .with_help(format!("write a list, e.g. `{name}: {}`", spec.placeholder())),
                );
                &[]
            }
        }
    }

    fn id_list(&mut self, f: &Fields, spec: &Field) -> Vec<Spanned<String>> {
        let name = spec.name;
        let items = self.list(f, spec);
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

    fn string_list(&mut self, f: &Fields, spec: &Field, min: usize, max: usize) -> Vec<Spanned<String>> {
        let name = spec.name;
        let items = self.list(f, spec);
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

    fn urgency(&mut self, r: &Fields, spec: &Field) -> Option<Spanned<Urgency>> {
        let name = spec.name;
        let Some(y) = r.get(name) else {
            self.missing(r, name, &spec.placeholder());
            return None;
        };
        let what = r.what;
        let t = self.text_value(y, name, what)?;
        match Urgency::parse(&t.value) {
            Some(u) => Some(Spanned { value: u, span: t.span }),
            None => {
                let names: Vec<&str> = Urgency::ALL.iter().map(|u| u.as_str()).collect();
                let mut msg = format!("{name} must be one of {}; found \"{}\"", names.join(", "), t.value);
                let help = match did_you_mean(&t.value, names.iter().copied()) {
                    Some(s) => {
                        msg.push_str(&format!(" — did you mean \"{s}\"?"));
                        format!("write `{name}: {s}`")
                    }
                    None => {
                        let each: Vec<String> =
                            Urgency::ALL.iter().map(|u| format!("{}: {}", u.as_str(), u.when())).collect();
                        each.join("; ")
                    }
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

    /// A web address: `https://`, or `http://` with a warning.
    fn check_url(&mut self, u: &Spanned<String>) {
        if u.value.starts_with("http://") {
            self.push(
                Diagnostic::new(
                    Code::InsecureLink,
                    self.file,
                    Some(u.span.clone()),
                    format!("source url without encryption: \"{}\"", u.value),
                )
                .with_label("http://")
                .with_help("use the source's https:// address; browsers may warn readers about or block http:// links"),
            );
        } else if !u.value.starts_with("https://") {
            self.push(
                Diagnostic::new(
                    Code::InvalidValue,
                    self.file,
                    Some(u.span.clone()),
                    format!("source url must start with https:// (or http://, with a warning); found \"{}\"", u.value),
                )
                .with_label("not a web address")
                .with_help("copy the full address from the browser's address bar"),
            );
        }
    }

    fn flag(&mut self, f: &Fields, name: &str) -> bool {
        match f.get(name) {
            None => false,
            Some(Yaml { value: Value::Bool(b), .. }) => *b,
            Some(y) => {
                let msg = format!("`{name}` must be true or false; found {}", y.value.kind_name());
                self.push(
                    Diagnostic::new(Code::WrongType, self.file, Some(self.span(&y.span)), msg)
                        .with_help(format!("write `{name}: true` or `{name}: false`")),
                );
                false
            }
        }
    }

    /// An id (`symptom: fever`): text, checked for its form; whether it names a file is checked later.
    fn id(&mut self, f: &Fields, spec: &Field) -> Option<Spanned<String>> {
        let Some(y) = f.get(spec.name) else {
            if spec.required {
                self.missing(f, spec.name, &spec.placeholder());
            }
            return None;
        };
        let id = self.text_value(y, spec.name, f.what)?;
        self.check_id(&id, spec.name);
        Some(id)
    }

    /// A list of records; a record without a usable required value is left out.
    fn records<T: Record + ReadRecord>(&mut self, f: &Fields, spec: &Field) -> Vec<T> {
        let items = self.list(f, spec);
        let shared = T::FIELDS.iter().find(|f| f.name == "shared");
        let mut out = Vec::new();
        for (i, y) in items.iter().enumerate() {
            let at = self.span(&y.span);
            let what = What::Item(T::NOUN, i + 1);
            // `- shared: id` stands for a whole item written in content/shared/: it has no other
            // field, and the model puts the block in its place.
            // (`shared:` with nothing after it, as `carebook new` writes it, is no use.)
            let uses = matches!(&y.value, Value::Map(pairs)
                if pairs.iter().any(|(k, v)| k.name == "shared" && v.value != Value::Null));
            if let Some(spec) = shared.filter(|_| uses) {
                if let Some(fields) = self.fields(y, std::iter::once(spec), what, at) {
                    let before = self.diags.len();
                    self.in_shared = true;
                    let item = T::read(self, &fields);
                    self.in_shared = false;
                    // An unreadable id leaves an item with nothing in it: left out, like any
                    // item with a bad required value.
                    if self.diags.len() == before {
                        out.extend(item);
                    }
                }
                continue;
            }
            if let Some(fields) = self.fields(y, T::FIELDS.iter(), what, at) {
                out.extend(T::read(self, &fields));
            }
        }
        out
    }

    /// Walks the front matter of a file of `kind`.
    ///
    /// Best effort: front matter with invalid fields is still returned (with placeholders), so the
    /// cross-file checks see its references and do not report follow-on errors.
    pub(crate) fn matter(&mut self, y: &Yaml, kind: Kind) -> Option<Matter> {
        let top = self.top.clone();
        let f = self.fields(y, super::fields(kind), What::Matter(kind), top)?;
        match kind {
            Kind::Guide => GuideMatter::read(self, &f).map(|g| Matter::Guide(std::sync::Arc::new(g))),
            Kind::Symptom | Kind::Cause => TermMatter::read(self, &f).map(|t| Matter::Term(std::sync::Arc::new(t))),
            Kind::Page => PageMatter::read(self, &f).map(|p| Matter::Page(std::sync::Arc::new(p))),
            Kind::Shared => SharedMatter::read(self, &f).map(Matter::Shared),
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

/// How a value of a Rust type is read from the field `spec` describes.
pub(crate) trait Read: Sized {
    /// The value; `None` when it is required and missing or unusable (the problem was reported).
    fn read(w: &mut Walker<'_>, f: &Fields<'_>, spec: &Field) -> Option<Self>;

    /// Appends the inline Markdown texts it holds.
    fn markdown<'s>(&'s self, _out: &mut Vec<&'s Spanned<String>>) {}
}

/// How a record (a struct declared with `record!`) is read from its fields.
pub(crate) trait ReadRecord: Sized {
    /// The record; for list items, `None` when a required value is missing or unusable.
    fn read(w: &mut Walker<'_>, f: &Fields<'_>) -> Option<Self>;
}

impl Walker<'_> {
    /// Whether a `shared:` item is being read (its missing values are defaults, not errors).
    pub(crate) fn in_shared(&self) -> bool {
        self.in_shared
    }
}

/// The field table declares a Rust type its `Type` cannot give: a mistake in the table, caught by
/// the tests (every field is read from `carebook new`'s files), never by content.
fn mismatch<T>(spec: &Field) -> Option<T> {
    debug_assert!(false, "the field `{}` has a Rust type that does not fit {:?}", spec.name, spec.ty);
    None
}

impl Read for Spanned<String> {
    fn read(w: &mut Walker<'_>, f: &Fields<'_>, spec: &Field) -> Option<Self> {
        match spec.ty {
            Type::Text { min, max, .. } => w.text(f, spec.name, spec.required, min, max),
            Type::Url { max } => {
                let url = w.text(f, spec.name, spec.required, usize::from(spec.required), max);
                if let Some(u) = &url {
                    w.check_url(u);
                }
                url
            }
            Type::Id(_) => w.id(f, spec),
            _ => mismatch(spec),
        }
    }

    fn markdown<'s>(&'s self, out: &mut Vec<&'s Spanned<String>>) {
        out.push(self);
    }
}

impl Read for Spanned<Date> {
    fn read(w: &mut Walker<'_>, f: &Fields<'_>, spec: &Field) -> Option<Self> {
        match spec.ty {
            Type::Date => w.date(f, spec.name, spec.required),
            _ => mismatch(spec),
        }
    }
}

impl Read for Spanned<Urgency> {
    fn read(w: &mut Walker<'_>, f: &Fields<'_>, spec: &Field) -> Option<Self> {
        match spec.ty {
            Type::Urgency => w.urgency(f, spec),
            _ => mismatch(spec),
        }
    }
}

impl Read for Spanned<i64> {
    fn read(w: &mut Walker<'_>, f: &Fields<'_>, spec: &Field) -> Option<Self> {
        match spec.ty {
            Type::Int { min, max } => w.int(f, spec.name, min, max),
            _ => mismatch(spec),
        }
    }
}

impl Read for i64 {
    fn read(w: &mut Walker<'_>, f: &Fields<'_>, spec: &Field) -> Option<Self> {
        Spanned::<i64>::read(w, f, spec).map(|n| n.value)
    }
}

impl Read for bool {
    fn read(w: &mut Walker<'_>, f: &Fields<'_>, spec: &Field) -> Option<Self> {
        match spec.ty {
            Type::Bool => Some(w.flag(f, spec.name)),
            _ => mismatch(spec),
        }
    }
}

impl<T: Read> Read for Option<T> {
    fn read(w: &mut Walker<'_>, f: &Fields<'_>, spec: &Field) -> Option<Self> {
        Some(T::read(w, f, spec))
    }

    fn markdown<'s>(&'s self, out: &mut Vec<&'s Spanned<String>>) {
        if let Some(v) = self {
            v.markdown(out);
        }
    }
}

impl Read for Vec<Spanned<String>> {
    fn read(w: &mut Walker<'_>, f: &Fields<'_>, spec: &Field) -> Option<Self> {
        match spec.ty {
            Type::Ids(_) => Some(w.id_list(f, spec)),
            Type::Texts { min, max, .. } => Some(w.string_list(f, spec, min, max)),
            _ => mismatch(spec),
        }
    }

    fn markdown<'s>(&'s self, out: &mut Vec<&'s Spanned<String>>) {
        out.extend(self.iter());
    }
}

impl<T: Record + ReadRecord> Read for Vec<T> {
    fn read(w: &mut Walker<'_>, f: &Fields<'_>, spec: &Field) -> Option<Self> {
        match spec.ty {
            Type::Items(_) => Some(w.records(f, spec)),
            _ => mismatch(spec),
        }
    }

    fn markdown<'s>(&'s self, out: &mut Vec<&'s Spanned<String>>) {
        for r in self {
            r.markdown_fields(out);
        }
    }
}
