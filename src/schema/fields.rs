//! The table: every front-matter field of every kind of file, described once.
//!
//! Each entry is a field: its doc comment is the help text editors see (in `carebook new`, the
//! JSON Schema and docs/front-matter.md), then its name, its Rust type, and its
//! [`Field`](super::Field) description: type, limits, whether it is required, an example
//! (see `record!` in [`super::field`]).

use jiff::civil::Date;

use super::field::{New, date, flag, id, ids, int, items, markdown, markdown_texts, record, text, texts, urgency, url};
use super::{Kind, Spanned, Urgency};

record! {
    /// Front matter of a guide (`content/guides/<id>.md`).
    matter GuideMatter ("guide") {
        /// The name readers see at the top of the page and in lists.
        title: Spanned<String> = text(3, 90).required().example("Milk stasis").in_new(New::Title),
        /// One or two sentences that say what the guide is about, shown in lists and search results.
        summary: Spanned<String> =
            text(1, 200).required().example("One or two sentences that say what this guide is about."),
        /// The date a reviewer last checked the guide against current guidance.
        reviewed: Option<Spanned<Date>> = date().required().example("2026-11-01").in_new(New::Today),
        /// When it must be checked again; after `reviewed`. Once it is past, `carebook check` warns.
        review_due: Option<Spanned<Date>> = date().required().example("2027-11-01").in_new(New::NextYear),
        /// The symptoms this guide is about: ids of pages in content/symptoms/ (file names without `.md`).
        symptoms: Vec<Spanned<String>> = ids(Kind::Symptom).example("[breast-lump, fever]"),
        /// The causes this guide explains: ids of pages in content/causes/.
        causes: Vec<Spanned<String>> = ids(Kind::Cause).example("[missed-feeds]"),
        /// The self-care steps, in the order readers should follow them.
        steps: Vec<Step> = items::<Step>(),
        /// Common mistakes, and what to do instead.
        mistakes: Vec<Mistake> = items::<Mistake>(),
        /// The signs that mean the reader should see a doctor, each with how urgently.
        see_a_doctor: Vec<RedFlag> = items::<RedFlag>().required(),
        /// Other guides worth reading: ids of guides in content/guides/.
        related: Vec<Spanned<String>> = ids(Kind::Guide).example("[mastitis]"),
        /// Where the advice comes from.
        sources: Vec<Source> = items::<Source>().required(),
        /// The clinicians who reviewed the guide, each with their role. Without it the page says that the guide has not been reviewed by a clinician; delete these lines unless one has.
        reviewed_by: Vec<Reviewer> = items::<Reviewer>(),
        /// Position in lists of guides: lower numbers come first; guides without one come last.
        order: Option<i64> = int(i64::MIN, i64::MAX).example("100"),
        /// `true` keeps the guide out of the site unless it is built with `--drafts`; set it to `false` when the guide is ready.
        draft: bool = flag().example("true"),
        /// In a translation (`content/<language>/…`): which version of the source it translates, as `carebook translate mark` writes it (a short hash of each translatable field). `carebook check` warns, naming the fields, when the source has changed since.
        translated_from: Option<Spanned<String>> = text(0, 1000).example("\"title=1a2b3c4d summary=5e6f7a8b body=9c0d1e2f\""),
        /// `true` marks a file `carebook init` wrote as an example: it is left out of the site, like a draft, unless built with `--drafts`, and `carebook check` warns until the file is made yours and this line deleted.
        example: bool = flag().example("false"),
    }
}

record! {
    /// One self-care step.
    item Step ("step") {
        /// What to do, in a few words (plain text).
        title: Spanned<String> = text(1, 120).required().example("Say what to do in a few words"),
        /// How to do it.
        text: Spanned<String> =
            markdown(1, 1000).required().example("Explain how to do it. **Markdown** such as bold works here."),
        /// A warning shown with the step.
        caution: Option<Spanned<String>> =
            markdown(0, 500).example("A warning for this step; delete this line if there is none."),
        /// The sources this step comes from: `key`s of the guide's `sources`.
        cite: Vec<Spanned<String>> = cites(),
        /// Instead of the fields above: the id of a shared block in content/shared/ that holds this step, written once for many guides.
        shared: Option<Spanned<String>> = id(Kind::Shared).example("take-a-painkiller"),
    }
}

record! {
    /// A common mistake and what to do instead.
    item Mistake ("mistake") {
        /// What people often do.
        mistake: Spanned<String> = markdown(1, 300).required().example("Something people often do"),
        /// What to do instead.
        instead: Spanned<String> = markdown(1, 500).required().example("What to do instead"),
        /// Why it matters.
        why: Option<Spanned<String>> = markdown(0, 500).example("Why it matters; delete this line if it is obvious."),
        /// The sources this advice comes from: `key`s of the guide's `sources`.
        cite: Vec<Spanned<String>> = cites(),
    }
}

record! {
    /// A sign that means "see a doctor".
    item RedFlag ("red flag") {
        /// The sign, in the reader's own words.
        sign: Spanned<String> =
            markdown(1, 400).required().example("Describe a warning sign in the reader's own words"),
        /// How soon to get help; the words readers see come from carebook.toml.
        urgency: Spanned<Urgency> = urgency().required().example("urgent"),
        /// The symptom page this sign belongs to: an id from content/symptoms/.
        symptom: Option<Spanned<String>> = id(Kind::Symptom).example("fever"),
        /// The sources this sign comes from: `key`s of the guide's `sources`.
        cite: Vec<Spanned<String>> = cites(),
        /// Instead of the fields above: the id of a shared block in content/shared/ that holds this warning sign, written once for many guides.
        shared: Option<Spanned<String>> = id(Kind::Shared).example("fever-with-a-sore-breast"),
    }
}

record! {
    /// A cited source.
    item Source ("source") {
        /// A short name that steps, mistakes and warning signs give in their `cite` to say that they come from this source.
        key: Option<Spanned<String>> = text(1, 40).example("source-key"),
        /// The title of the article, guideline or book.
        title: Spanned<String> = text(1, 300).required().example("Title of the guideline or article"),
        /// The full web address.
        url: Spanned<String> = url(2000).required().example("https://example.org/replace-with-the-real-address"),
        /// Who published it.
        publisher: Option<Spanned<String>> = text(0, 200).example("Who published it"),
        /// The year it was published.
        year: Option<Spanned<i64>> = int(1500, 2200).example("2025"),
    }
}

record! {
    /// A clinician who reviewed a guide.
    item Reviewer ("reviewer") {
        /// Their name, as they wish it shown.
        name: Spanned<String> = text(1, 100).required().example("Name of the clinician who reviewed the guide"),
        /// Their role or qualification.
        role: Spanned<String> = text(1, 100).required().example("Their role, such as midwife or family doctor"),
    }
}

/// The `cite` field of steps, mistakes and warning signs: `carebook new` writes the key of the
/// example source it writes, so the two go together.
const fn cites() -> super::field::Field {
    texts(1, 40).in_new(New::Example).example("[source-key]")
}

record! {
    /// Front matter of a symptom or cause page (`content/symptoms/<id>.md`, `content/causes/<id>.md`);
    /// guides list it in their `symptoms` or `causes`.
    matter TermMatter ("term") {
        /// The name readers see at the top of the page and in lists.
        title: Spanned<String> = text(3, 90).required().example("Fever").in_new(New::Title),
        /// One or two sentences that describe it, shown in lists and search results.
        summary: Spanned<String> = text(1, 200).required().example("One or two sentences that describe it."),
        /// Other words readers use for it, so that search finds the page.
        aliases: Vec<Spanned<String>> = texts(1, 60).example("[high temperature]"),
        /// The date a reviewer last checked the page against current guidance.
        reviewed: Option<Spanned<Date>> = date().example("2026-11-01").in_new(New::Today),
        /// When it must be checked again; after `reviewed`. Once it is past, `carebook check` warns.
        review_due: Option<Spanned<Date>> = date().example("2027-11-01").in_new(New::NextYear),
        /// Tips that help prevent it (causes only).
        prevention: Vec<Spanned<String>> =
            markdown_texts(1, 300).only(Kind::Cause).example("[Feed whenever your baby is hungry.]"),
        /// In a translation (`content/<language>/…`): which version of the source it translates, as `carebook translate mark` writes it (a short hash of each translatable field). `carebook check` warns, naming the fields, when the source has changed since.
        translated_from: Option<Spanned<String>> = text(0, 1000).example("\"title=1a2b3c4d summary=5e6f7a8b body=9c0d1e2f\""),
        /// `true` marks a file `carebook init` wrote as an example: it is left out of the site, like a draft, unless built with `--drafts`, and `carebook check` warns until the file is made yours and this line deleted.
        example: bool = flag().example("false"),
    }
}

record! {
    /// Front matter of a free page (`content/pages/<id>.md`), such as "About" or "Disclaimer".
    matter PageMatter ("page") {
        /// The name readers see at the top of the page and in lists.
        title: Spanned<String> = text(3, 90).required().example("About this site").in_new(New::Title),
        /// One or two sentences about the page.
        summary: Option<Spanned<String>> = text(0, 200).example("One or two sentences about this page."),
        /// In a translation (`content/<language>/…`): which version of the source it translates, as `carebook translate mark` writes it (a short hash of each translatable field). `carebook check` warns, naming the fields, when the source has changed since.
        translated_from: Option<Spanned<String>> = text(0, 1000).example("\"title=1a2b3c4d summary=5e6f7a8b body=9c0d1e2f\""),
        /// `true` marks a file `carebook init` wrote as an example: it is left out of the site, like a draft, unless built with `--drafts`, and `carebook check` warns until the file is made yours and this line deleted.
        example: bool = flag().example("false"),
    }
}

record! {
    /// Front matter of a shared block (`content/shared/<id>.md`): one step or one warning sign,
    /// written as in a guide, that guides use with `- shared: <id>` in their `steps` or
    /// `see_a_doctor`. Its `cite` keys name sources of each guide that uses it.
    matter SharedMatter ("shared block") {
        /// The step, when the block is a step: a list of exactly one, written as in a guide.
        steps: Vec<Step> = items::<Step>(),
        /// The warning sign, when the block is a warning sign: a list of exactly one, written as in a guide.
        see_a_doctor: Vec<RedFlag> = items::<RedFlag>(),
    }
}
