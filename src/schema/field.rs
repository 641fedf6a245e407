//! What a front-matter field is: [`Field`], its [`Type`] with limits, and the [`record!`] macro
//! that declares a typed struct together with the description of each of its fields.

use super::{Kind, Spanned, Urgency};

/// The description of one front-matter field: everything the walk, the JSON Schema, the
/// reference and `carebook new` know about it.
#[derive(Clone, Copy, Debug)]
pub struct Field {
    /// The key written in front matter.
    pub name: &'static str,
    /// What it is for, in a sentence or two (the doc comment of its struct field).
    pub help: &'static str,
    /// The type and its limits.
    pub ty: Type,
    /// Whether a file without it is an error (`missing-field`).
    pub required: bool,
    /// An example value, as written after `name: ` (for lists of records: unused).
    pub(crate) example: &'static str,
    /// What `carebook new` writes for it.
    pub(crate) new: New,
    /// The only kind of file that has this field, when its record serves several kinds.
    pub(crate) only: Option<Kind>,
}

/// The type of a field's value, with its limits. Lengths count characters after trimming spaces.
#[derive(Clone, Copy, Debug)]
pub enum Type {
    /// One line of text; `markdown`: inline Markdown (bold, links) is rendered.
    Text {
        /// Fewest characters (0: may be empty).
        min: usize,
        /// Most characters.
        max: usize,
        /// Inline Markdown, rendered and checked like the body.
        markdown: bool,
    },
    /// A web address starting with `https://` or `http://`.
    Url {
        /// Most characters.
        max: usize,
    },
    /// A date written YYYY-MM-DD.
    Date,
    /// The id of a file of this kind.
    Id(Kind),
    /// A list of ids of files of this kind.
    Ids(Kind),
    /// A list of texts.
    Texts {
        /// Fewest characters in each.
        min: usize,
        /// Most characters in each.
        max: usize,
        /// Inline Markdown.
        markdown: bool,
    },
    /// A list of records (steps, red flags, …).
    Items(Items),
    /// One of the urgency tiers.
    Urgency,
    /// A whole number.
    Int {
        /// Smallest allowed.
        min: i64,
        /// Largest allowed.
        max: i64,
    },
    /// `true` or `false`.
    Bool,
}

/// The records of a list field: how messages name one, and their fields.
#[derive(Clone, Copy, Debug)]
pub struct Items {
    /// What one record is, in a sentence.
    pub(crate) about: &'static str,
    /// The record's name in the JSON Schema (`Step`).
    pub name: &'static str,
    /// How messages name one record: "step" (as in "step 2").
    pub(crate) noun: &'static str,
    /// The fields of one record.
    pub fields: &'static [Field],
}

/// What `carebook new` writes for a field.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum New {
    /// The example.
    Example,
    /// Nothing (an empty list, or no value): ids must name files that exist.
    Empty,
    /// The title given on the command line.
    Title,
    /// Today's date.
    Today,
    /// A year from today.
    NextYear,
}

/// A typed struct of front-matter fields, declared with [`record!`].
pub(crate) trait Record: Sized {
    /// What it is, in a sentence (the struct's doc comment).
    const ABOUT: &'static str;
    /// The name of its JSON Schema definition (`Step`).
    const NAME: &'static str;
    /// How messages name one: "step".
    const NOUN: &'static str;
    /// Its fields, in the order written by `carebook new`.
    const FIELDS: &'static [Field];
    /// Appends the values of its inline Markdown fields to `out`.
    fn markdown_fields<'s>(&'s self, out: &mut Vec<&'s Spanned<String>>);
}

const fn field(ty: Type, new: New) -> Field {
    Field { name: "", help: "", ty, required: false, example: "", new, only: None }
}

/// One line of plain text, `min` to `max` characters.
pub(crate) const fn text(min: usize, max: usize) -> Field {
    field(Type::Text { min, max, markdown: false }, New::Example)
}

/// One line of inline Markdown, `min` to `max` characters.
pub(crate) const fn markdown(min: usize, max: usize) -> Field {
    field(Type::Text { min, max, markdown: true }, New::Example)
}

/// A web address of at most `max` characters.
pub(crate) const fn url(max: usize) -> Field {
    field(Type::Url { max }, New::Example)
}

/// A date.
pub(crate) const fn date() -> Field {
    field(Type::Date, New::Example)
}

/// The id of a file of `kind`.
pub(crate) const fn id(kind: Kind) -> Field {
    field(Type::Id(kind), New::Empty)
}

/// A list of ids of files of `kind`.
pub(crate) const fn ids(kind: Kind) -> Field {
    field(Type::Ids(kind), New::Empty)
}

/// A list of plain texts, each `min` to `max` characters.
pub(crate) const fn texts(min: usize, max: usize) -> Field {
    field(Type::Texts { min, max, markdown: false }, New::Empty)
}

/// A list of inline Markdown texts, each `min` to `max` characters.
pub(crate) const fn markdown_texts(min: usize, max: usize) -> Field {
    field(Type::Texts { min, max, markdown: true }, New::Empty)
}

/// A list of records of type `T`.
pub(crate) const fn items<T: Record>() -> Field {
    field(Type::Items(Items { about: T::ABOUT, name: T::NAME, noun: T::NOUN, fields: T::FIELDS }), New::Example)
}

/// An urgency tier.
pub(crate) const fn urgency() -> Field {
    field(Type::Urgency, New::Example)
}

/// A whole number from `min` to `max`.
pub(crate) const fn int(min: i64, max: i64) -> Field {
    field(Type::Int { min, max }, New::Example)
}

/// `true` or `false`.
pub(crate) const fn flag() -> Field {
    field(Type::Bool, New::Example)
}

impl Field {
    /// The same field, required.
    pub(crate) const fn required(mut self) -> Field {
        self.required = true;
        self
    }

    /// The same field with an example value (YAML, as written after `name: `).
    pub(crate) const fn example(mut self, example: &'static str) -> Field {
        self.example = example;
        self
    }

    /// The same field, written by `carebook new` as `new` says.
    pub(crate) const fn in_new(mut self, new: New) -> Field {
        self.new = new;
        self
    }

    /// The same field, in the front matter of `kind` only.
    pub(crate) const fn only(mut self, kind: Kind) -> Field {
        self.only = Some(kind);
        self
    }

    /// The same field with its name and help text (used by [`record!`]).
    pub(crate) const fn describe(mut self, name: &'static str, help: &'static str) -> Field {
        self.name = name;
        self.help = help.trim_ascii();
        self
    }

    /// Whether the front matter of `kind` has this field.
    pub(crate) fn applies_to(&self, kind: Kind) -> bool {
        self.only.is_none_or(|k| k == kind)
    }

    /// Whether the value is, or holds, inline Markdown.
    pub(crate) const fn has_markdown(&self) -> bool {
        match self.ty {
            Type::Text { markdown, .. } | Type::Texts { markdown, .. } => markdown,
            Type::Items(_) => true,
            _ => false,
        }
    }

    /// Notes on the value for editors: whether it is Markdown, and its limits.
    pub(crate) fn notes(&self) -> Vec<String> {
        let mut notes = Vec::new();
        if self.has_markdown() && !matches!(self.ty, Type::Items(_)) {
            notes.push("Markdown allowed".to_string());
        }
        notes.extend(self.limits());
        notes
    }

    /// What "add `name: …`" suggests when the field is missing.
    pub(crate) fn placeholder(&self) -> String {
        match self.ty {
            Type::Text { .. } | Type::Url { .. } | Type::Id(_) => "some text".into(),
            Type::Date => "2026-11-01".into(),
            Type::Urgency => Urgency::Urgent.as_str().into(),
            Type::Ids(_) => "[first-id, second-id]".into(),
            Type::Texts { .. } => "[first, second]".into(),
            Type::Items(items) => {
                let shown: Vec<String> = items
                    .fields
                    .iter()
                    .filter(|f| f.required)
                    .map(|f| match f.ty {
                        Type::Urgency => format!("{}: {}", f.name, Urgency::Urgent.as_str()),
                        Type::Url { .. } => format!("{}: https://...", f.name),
                        _ => format!("{}: ...", f.name),
                    })
                    .collect();
                format!("[{{{}}}]", shown.join(", "))
            }
            Type::Int { .. } | Type::Bool => self.example.into(),
        }
    }

    /// What the value is, in a few words: "text", "list of ids of symptoms", "list of steps".
    pub(crate) fn type_name(&self) -> String {
        match self.ty {
            Type::Text { markdown: false, .. } => "text".into(),
            Type::Text { markdown: true, .. } => "Markdown text".into(),
            Type::Url { .. } => "web address".into(),
            Type::Date => "date".into(),
            Type::Id(kind) => format!("id of a {}", kind.noun()),
            Type::Ids(kind) => format!("list of ids of {}", kind.folder()),
            Type::Texts { markdown: false, .. } => "list of texts".into(),
            Type::Texts { markdown: true, .. } => "list of Markdown texts".into(),
            Type::Items(items) => format!("list of {}s", items.noun),
            Type::Urgency => "urgency".into(),
            Type::Int { .. } => "whole number".into(),
            Type::Bool => "true or false".into(),
        }
    }

    /// The limits on the value, in a few words ("3-90 characters"), if it has any.
    pub(crate) fn limits(&self) -> Option<String> {
        let chars = |min: usize, max: usize| match min {
            0 | 1 => format!("at most {max} characters"),
            _ => format!("{min}-{max} characters"),
        };
        match self.ty {
            Type::Text { min, max, .. } => Some(chars(min, max)),
            Type::Url { max } => Some(format!("starts with https:// or http://, at most {max} characters")),
            Type::Date => Some("YYYY-MM-DD".into()),
            Type::Texts { min, max, .. } => Some(format!("each {}", chars(min, max))),
            Type::Items(_) if self.required => Some("at least one".into()),
            Type::Urgency => {
                let names: Vec<&str> = Urgency::ALL.iter().map(|u| u.as_str()).collect();
                Some(names.join(" | "))
            }
            Type::Int { min, max } if (min, max) != (i64::MIN, i64::MAX) => Some(format!("{min}-{max}")),
            Type::Id(_) | Type::Ids(_) | Type::Items(_) | Type::Int { .. } | Type::Bool => None,
        }
    }
}

/// The field called `name` in `fields`; a compile-time error if there is none.
pub(crate) const fn named(fields: &'static [Field], name: &str) -> &'static Field {
    let mut i = 0;
    while i < fields.len() {
        let (a, b) = (fields[i].name.as_bytes(), name.as_bytes());
        let mut same = a.len() == b.len();
        let mut j = 0;
        while same && j < a.len() {
            same = a[j] == b[j];
            j += 1;
        }
        if same {
            return &fields[i];
        }
        i += 1;
    }
    panic!("no such field")
}

/// Declares a front-matter record: the typed struct, the description of each field, how the walk
/// reads it ([`super::walk`]) and which of its values are inline Markdown.
///
/// Each field is written once: its doc comment (the help text editors see), its name and Rust
/// type, and its [`Field`] description. `matter` records are whole front matters (a missing
/// required value leaves a placeholder, so the other checks still run); `item` records are list
/// items (one with a missing required value is left out).
macro_rules! record {
    (
        $(#[doc = $doc:literal])*
        $role:ident $name:ident ($noun:literal) {
            $( $(#[doc = $fdoc:literal])+ $field:ident: $ty:ty = $spec:expr, )+
        }
    ) => {
        $(#[doc = $doc])*
        #[derive(Clone, Debug, PartialEq)]
        pub struct $name {
            $( $(#[doc = $fdoc])+ pub $field: $ty, )+
        }

        impl $crate::schema::field::Record for $name {
            const ABOUT: &'static str = concat!($($doc),*).trim_ascii();
            const NAME: &'static str = stringify!($name);
            const NOUN: &'static str = $noun;
            const FIELDS: &'static [$crate::schema::field::Field] =
                &[$($spec.describe(stringify!($field), concat!($($fdoc),+)),)+];

            fn markdown_fields<'s>(&'s self, out: &mut Vec<&'s $crate::schema::Spanned<String>>) {
                $({
                    const SPEC: &$crate::schema::field::Field =
                        $crate::schema::field::named(<$name as $crate::schema::field::Record>::FIELDS, stringify!($field));
                    if SPEC.has_markdown() {
                        $crate::schema::walk::Read::markdown(&self.$field, out);
                    }
                })+
            }
        }

        impl $crate::stored::Stored for $name {
            fn put(&self, w: &mut $crate::stored::Out<'_>) {
                $( $crate::stored::Stored::put(&self.$field, w); )+
            }
            fn take(r: &mut $crate::stored::In<'_>) -> Option<Self> {
                Some($name { $( $field: $crate::stored::Stored::take(r)?, )+ })
            }
        }

        impl $crate::schema::walk::ReadRecord for $name {
            fn read(w: &mut $crate::schema::walk::Walker<'_>, f: &$crate::schema::walk::Fields<'_>) -> Option<Self> {
                $(
                    let $field: Option<$ty> = {
                        const SPEC: &$crate::schema::field::Field =
                            $crate::schema::field::named(<$name as $crate::schema::field::Record>::FIELDS, stringify!($field));
                        $crate::schema::walk::Read::read(w, f, SPEC)
                    };
                )+
                record!(@make $role $name w { $($field),+ })
            }
        }
    };
    (@make item $name:ident $w:ident { $($field:ident),+ }) => {
        if $w.in_shared() {
            Some($name { $($field: $field.unwrap_or_default()),+ })
        } else {
            Some($name { $($field: $field?),+ })
        }
    };
    (@make matter $name:ident $w:ident { $($field:ident),+ }) => {
        Some($name { $($field: $field.unwrap_or_default()),+ })
    };
}

pub(crate) use record;
