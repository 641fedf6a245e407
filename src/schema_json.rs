//! JSON Schema (draft 2020-12) of the front matter, for editors' tools (`carebook schema guide`).
//!
//! The checker in [`crate::schema`] walks the YAML tree by hand so that it can report every
//! problem with its span. The plain serde + schemars "document" structs here mirror that schema
//! for tools such as yaml-language-server: the same fields, the same required ones, the same
//! limits. Tests compare the generated schemas with [`crate::schema::fields_of`] and with the
//! checker's behaviour, so the two cannot drift apart silently.
//!
//! What a JSON Schema cannot say, and only `carebook check` reports: whether a date is real
//! (`2026-02-30`), whether `review_due` is after `reviewed`, whether ids refer to existing files,
//! and anything about the Markdown body. Lengths count characters after trimming spaces in the
//! checker, but untrimmed in the schema.

use schemars::generate::SchemaSettings;
use schemars::{JsonSchema, Schema};
use serde::{Deserialize, Serialize};

use crate::schema::Kind;

/// Front matter of a guide (`content/guides/<id>.md`): self-care steps, mistakes, red flags, sources.
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "carebook guide front matter")]
pub struct GuideDoc {
    /// The guide's title, shown at the top of the page and in lists (3-90 characters).
    #[schemars(length(min = 3, max = 90))]
    pub title: String,
    /// One or two sentences that tell readers what the guide is about (at most 200 characters).
    #[schemars(length(min = 1, max = 200))]
    pub summary: String,
    /// The date the guide was last checked by a reviewer, written YYYY-MM-DD.
    #[schemars(regex(pattern = r"^\d{4}-\d{2}-\d{2}$"), extend("format" = "date"))]
    pub reviewed: String,
    /// The date the guide must be checked again, written YYYY-MM-DD; after `reviewed`.
    #[schemars(regex(pattern = r"^\d{4}-\d{2}-\d{2}$"), extend("format" = "date"))]
    pub review_due: String,
    /// The symptoms this guide is about: ids (file names without `.md`) from content/symptoms/.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(inner(regex(pattern = r"^[a-z0-9]+(-[a-z0-9]+)*$")))]
    pub symptoms: Option<Vec<String>>,
    /// The causes this guide explains: ids (file names without `.md`) from content/causes/.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(inner(regex(pattern = r"^[a-z0-9]+(-[a-z0-9]+)*$")))]
    pub causes: Option<Vec<String>>,
    /// The self-care steps, in the order readers should follow them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub steps: Option<Vec<StepDoc>>,
    /// Common mistakes, and what to do instead.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mistakes: Option<Vec<MistakeDoc>>,
    /// The signs that mean the reader should see a doctor, each with how urgently (at least one).
    #[schemars(length(min = 1))]
    pub see_a_doctor: Vec<RedFlagDoc>,
    /// Other guides worth reading: ids (file names without `.md`) from content/guides/.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(inner(regex(pattern = r"^[a-z0-9]+(-[a-z0-9]+)*$")))]
    pub related: Option<Vec<String>>,
    /// Where the advice comes from (at least one).
    #[schemars(length(min = 1))]
    pub sources: Vec<SourceDoc>,
    /// Position in lists of guides: lower numbers come first; guides without come last.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub order: Option<i64>,
    /// `true` keeps the guide out of the site unless it is built with `--drafts`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub draft: Option<bool>,
}

/// One self-care step.
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct StepDoc {
    /// What to do, in a few words (plain text, at most 120 characters).
    #[schemars(length(min = 1, max = 120))]
    pub title: String,
    /// How to do it (Markdown such as **bold** and links allowed; at most 1000 characters).
    #[schemars(length(min = 1, max = 1000))]
    pub text: String,
    /// A warning shown with the step (Markdown allowed; at most 500 characters).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(max = 500))]
    pub caution: Option<String>,
}

/// A common mistake and what to do instead.
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct MistakeDoc {
    /// What people often do (Markdown allowed; at most 300 characters).
    #[schemars(length(min = 1, max = 300))]
    pub mistake: String,
    /// What to do instead (Markdown allowed; at most 500 characters).
    #[schemars(length(min = 1, max = 500))]
    pub instead: String,
    /// Why (Markdown allowed; at most 500 characters).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(max = 500))]
    pub why: Option<String>,
}

/// A sign that means "see a doctor".
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RedFlagDoc {
    /// The sign, in the reader's words (Markdown allowed; at most 400 characters).
    #[schemars(length(min = 1, max = 400))]
    pub sign: String,
    /// How soon to get help.
    pub urgency: UrgencyDoc,
    /// The symptom page this sign belongs to: an id (file name without `.md`) from content/symptoms/.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(regex(pattern = r"^[a-z0-9]+(-[a-z0-9]+)*$"))]
    pub symptom: Option<String>,
}

/// How soon a red flag needs care; the wording readers see comes from carebook.toml.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum UrgencyDoc {
    /// Call the emergency number now.
    Emergency,
    /// Speak to a doctor or midwife today.
    Urgent,
    /// See a doctor within 24-48 hours if it is not better.
    Soon,
    /// Ask a lactation consultant or family doctor when convenient.
    Routine,
}

/// A cited source.
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SourceDoc {
    /// The title of the article, guideline or book (at most 300 characters).
    #[schemars(length(min = 1, max = 300))]
    pub title: String,
    /// The full web address, starting with https:// (or http://).
    #[schemars(length(min = 1, max = 2000), regex(pattern = r"^https?://"))]
    pub url: String,
    /// Who published it (at most 200 characters).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(max = 200))]
    pub publisher: Option<String>,
    /// The year it was published.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 1500, max = 2200))]
    pub year: Option<i64>,
}

/// Front matter of a symptom page (`content/symptoms/<id>.md`); guides list it in `symptoms`.
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "carebook symptom front matter")]
pub struct SymptomDoc {
    /// The symptom's name, shown at the top of the page and in lists (3-90 characters).
    #[schemars(length(min = 3, max = 90))]
    pub title: String,
    /// One or two sentences that describe the symptom (at most 200 characters).
    #[schemars(length(min = 1, max = 200))]
    pub summary: String,
    /// Other words readers use for it, so search finds the page (each at most 60 characters).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(inner(length(min = 1, max = 60)))]
    pub aliases: Option<Vec<String>>,
    /// The date the page was last checked by a reviewer, written YYYY-MM-DD.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(regex(pattern = r"^\d{4}-\d{2}-\d{2}$"), extend("format" = "date"))]
    pub reviewed: Option<String>,
    /// The date the page must be checked again, written YYYY-MM-DD; after `reviewed`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(regex(pattern = r"^\d{4}-\d{2}-\d{2}$"), extend("format" = "date"))]
    pub review_due: Option<String>,
}

/// Front matter of a cause page (`content/causes/<id>.md`); guides list it in `causes`.
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "carebook cause front matter")]
pub struct CauseDoc {
    /// The cause's name, shown at the top of the page and in lists (3-90 characters).
    #[schemars(length(min = 3, max = 90))]
    pub title: String,
    /// One or two sentences that describe the cause (at most 200 characters).
    #[schemars(length(min = 1, max = 200))]
    pub summary: String,
    /// Other words readers use for it, so search finds the page (each at most 60 characters).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(inner(length(min = 1, max = 60)))]
    pub aliases: Option<Vec<String>>,
    /// The date the page was last checked by a reviewer, written YYYY-MM-DD.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(regex(pattern = r"^\d{4}-\d{2}-\d{2}$"), extend("format" = "date"))]
    pub reviewed: Option<String>,
    /// The date the page must be checked again, written YYYY-MM-DD; after `reviewed`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(regex(pattern = r"^\d{4}-\d{2}-\d{2}$"), extend("format" = "date"))]
    pub review_due: Option<String>,
    /// Tips that help prevent it (Markdown allowed; each at most 300 characters).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(inner(length(min = 1, max = 300)))]
    pub prevention: Option<Vec<String>>,
}

/// Front matter of a free page (`content/pages/<id>.md`), such as "About" or "Disclaimer".
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "carebook page front matter")]
pub struct PageDoc {
    /// The page's title (3-90 characters).
    #[schemars(length(min = 3, max = 90))]
    pub title: String,
    /// One or two sentences about the page (at most 200 characters).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(max = 200))]
    pub summary: Option<String>,
}

/// The generator settings: JSON Schema draft 2020-12, describing what is read (deserialised).
fn generator() -> schemars::SchemaGenerator {
    SchemaSettings::draft2020_12().for_deserialize().into_generator()
}

/// The JSON Schema of the front matter of `kind`.
pub fn schema_for(kind: Kind) -> Schema {
    let g = generator();
    match kind {
        Kind::Guide => g.into_root_schema_for::<GuideDoc>(),
        Kind::Symptom => g.into_root_schema_for::<SymptomDoc>(),
        Kind::Cause => g.into_root_schema_for::<CauseDoc>(),
        Kind::Page => g.into_root_schema_for::<PageDoc>(),
    }
}

/// A JSON Schema that accepts the front matter of any kind of content file (`anyOf` the four).
pub fn schema_for_any() -> Schema {
    let mut g = generator();
    let refs: Vec<Schema> = vec![
        g.subschema_for::<GuideDoc>(),
        g.subschema_for::<SymptomDoc>(),
        g.subschema_for::<CauseDoc>(),
        g.subschema_for::<PageDoc>(),
    ];
    let defs = g.take_definitions(true);
    let mut root = schemars::json_schema!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "carebook front matter (any kind)",
        "description": "The front matter of a guide, symptom, cause or page. Use `carebook schema guide` (or symptom, cause, page) for the schema of one kind: editors then give more precise hints.",
    });
    root.insert("anyOf".into(), serde_json::Value::Array(refs.into_iter().map(Schema::to_value).collect()));
    root.insert("$defs".into(), serde_json::Value::Object(defs));
    root
}

/// The schema as pretty JSON with a final newline, as `carebook schema` prints it.
pub fn to_json(schema: &Schema) -> String {
    let mut s = serde_json::to_string_pretty(schema).unwrap_or_else(|_| "{}".into());
    s.push('\n');
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::{FLAG_FIELDS, MISTAKE_FIELDS, SOURCE_FIELDS, STEP_FIELDS, Urgency, fields_of};
    use std::collections::BTreeSet;

    fn set<'a>(it: impl IntoIterator<Item = &'a str>) -> BTreeSet<&'a str> {
        it.into_iter().collect()
    }

    fn properties(schema: &serde_json::Value) -> BTreeSet<&str> {
        schema["properties"].as_object().map(|m| m.keys().map(String::as_str).collect()).unwrap_or_default()
    }

    /// The checker's field lists and the schema's properties are the same (required-ness is
    /// compared against the checker's behaviour in tests/schema.rs).
    #[test]
    fn properties_equal_the_checkers_fields() {
        for kind in [Kind::Guide, Kind::Symptom, Kind::Cause, Kind::Page] {
            let s = schema_for(kind).to_value();
            assert_eq!(properties(&s), set(fields_of(kind).iter().copied()), "{kind:?}");
            assert_eq!(s["additionalProperties"], false, "{kind:?}");
            if kind == Kind::Guide {
                for (def, fields) in [
                    ("StepDoc", STEP_FIELDS),
                    ("MistakeDoc", MISTAKE_FIELDS),
                    ("RedFlagDoc", FLAG_FIELDS),
                    ("SourceDoc", SOURCE_FIELDS),
                ] {
                    let d = &s["$defs"][def];
                    assert_eq!(properties(d), set(fields.iter().copied()), "{def}");
                    assert_eq!(d["additionalProperties"], false, "{def}");
                }
                let urgencies: BTreeSet<&str> = s["$defs"]["UrgencyDoc"]["oneOf"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(|v| v["const"].as_str())
                    .collect();
                assert_eq!(urgencies, set(Urgency::ALL.iter().map(|u| u.as_str())));
            }
        }
    }

    #[test]
    fn the_any_schema_refers_to_every_kind() {
        let s = schema_for_any().to_value();
        assert_eq!(s["anyOf"].as_array().map(Vec::len), Some(4));
        for def in ["GuideDoc", "SymptomDoc", "CauseDoc", "PageDoc", "StepDoc"] {
            assert!(s["$defs"][def].is_object(), "{def}");
        }
    }
}
