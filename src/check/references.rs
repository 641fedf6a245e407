//! References by id between files: `symptoms`, `causes`, `related`, `symptom`, and the shared
//! blocks a guide uses.

use super::{FileId, Index};
use crate::diagnostic::{Code, Diagnostic, did_you_mean};
use crate::schema::{GuideMatter, Kind, Matter, SharedMatter, Spanned};

/// What a `shared:` item stands for: a step (in `steps`) or a warning sign (in `see_a_doctor`).
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Block {
    Step,
    Sign,
}

impl Block {
    fn noun(self) -> &'static str {
        match self {
            Block::Step => "step",
            Block::Sign => "warning sign",
        }
    }

    fn list(self) -> &'static str {
        match self {
            Block::Step => "steps",
            Block::Sign => "see_a_doctor",
        }
    }
}

/// What a shared file holds: its kind of item, the item's `cite`, and its first field.
type SharedItem<'m> = (Block, &'m [Spanned<String>], &'m Spanned<String>);

/// The block a shared file holds, with its `cite` and the span of its first field; `None` when it
/// does not hold exactly one item (reported by [`shared_block`]).
fn shared_item(m: &SharedMatter) -> Option<SharedItem<'_>> {
    match (&m.steps[..], &m.see_a_doctor[..]) {
        ([s], []) => Some((Block::Step, &s.cite, &s.title)),
        ([], [f]) => Some((Block::Sign, &f.cite, &f.sign)),
        _ => None,
    }
}

/// A shared file holds one step or one warning sign, and uses no other block.
pub(super) fn shared_block(m: &SharedMatter, file: &str, diags: &mut Vec<Diagnostic>) {
    let nested =
        m.steps.iter().filter_map(|s| s.shared.as_ref()).chain(m.see_a_doctor.iter().filter_map(|f| f.shared.as_ref()));
    for id in nested {
        diags.push(
            Diagnostic::new(
                Code::InvalidValue,
                file,
                Some(id.span.clone()),
                "a shared block cannot use another shared block",
            )
            .with_label("not allowed here")
            .with_help(format!("write the item here in full, or use `{}` directly from the guides", id.value)),
        );
    }
    let count = m.steps.len() + m.see_a_doctor.len();
    if count != 1 {
        let second = m.steps.iter().map(|s| &s.title).chain(m.see_a_doctor.iter().map(|f| &f.sign)).nth(1);
        diags.push(
            Diagnostic::new(
                Code::InvalidValue,
                file,
                second.map(|s| s.span.clone()),
                format!("a shared block holds exactly one step or one warning sign; this one has {count}"),
            )
            .with_label("a second item")
            .with_help("put each step or warning sign in its own file under content/shared/"),
        );
    }
}

/// `path:line:column` of byte `at` in file `i`, for pointing from one file into another.
fn position(index: &Index, i: FileId, at: usize) -> String {
    let p = &index.parsed[i.0];
    let text = &p.source.text;
    let pos = crate::source::LineIndex::new(text).position(text, at);
    format!("{}:{}:{}", p.source.path, pos.line, pos.column)
}

/// A guide's `- shared: id` in `steps` (or `see_a_doctor`): the block exists, is a step (or a
/// warning sign), and every key it cites is a key of one of the guide's sources.
pub(super) fn shared_use(
    index: &Index,
    id: &Spanned<String>,
    want: Block,
    g: &GuideMatter,
    file: &str,
    diags: &mut Vec<Diagnostic>,
) {
    let Some(i) = index.get(Kind::Shared, &id.value) else {
        reference(index, Kind::Shared, id, "shared", file, diags);
        return;
    };
    // A block with its own errors is reported where it is.
    let Some((block, cites, first)) = index.parsed[i.0].matter.as_deref().and_then(|m| match m {
        Matter::Shared(m) => shared_item(m),
        _ => None,
    }) else {
        return;
    };
    if block != want {
        diags.push(
            Diagnostic::new(
                Code::InvalidValue,
                file,
                Some(id.span.clone()),
                format!("the shared block `{}` is a {}, not a {}", id.value, block.noun(), want.noun()),
            )
            .with_label(format!("used as a {}", want.noun()))
            .with_help(format!(
                "{} holds a {}: use it under `{}`, or use a shared {} here",
                position(index, i, first.span.start),
                block.noun(),
                block.list(),
                want.noun()
            )),
        );
        return;
    }
    let keys: Vec<&str> = g.sources.iter().filter_map(|s| s.key.as_ref()).map(|k| k.value.as_str()).collect();
    for c in cites.iter().filter(|c| !keys.contains(&c.value.as_str())) {
        diags.push(
            Diagnostic::new(
                Code::UnknownCitation,
                file,
                Some(id.span.clone()),
                format!(
                    "the shared block `{}` cites the source `{}`, which no source of this guide has as its `key`",
                    id.value, c.value
                ),
            )
            .with_label("used here")
            .with_help(format!(
                "it is cited at {}: add that source to this guide's `sources` with `key: {}`",
                position(index, i, c.span.start),
                c.value
            )),
        );
    }
}

pub(super) fn reference(
    index: &Index,
    kind: Kind,
    id: &Spanned<String>,
    field: &str,
    file: &str,
    diags: &mut Vec<Diagnostic>,
) {
    if index.get(kind, &id.value).is_some()
        || index.unread_ids.contains(&(kind, id.value.as_str()))
        || !crate::schema::is_valid_id(&id.value)
    {
        return;
    }
    let help = match did_you_mean(&id.value, index.ids(kind)) {
        Some(s) => format!("did you mean `{s}`?"),
        None => {
            format!("create content/{}/{}.md, or use one of the existing {} ids", kind.folder(), id.value, kind.noun())
        }
    };
    diags.push(
        Diagnostic::new(
            Code::UnknownReference,
            file,
            Some(id.span.clone()),
            format!("`{field}` refers to the {} `{}`, which does not exist", kind.noun(), id.value),
        )
        .with_label(format!("no such {}", kind.noun()))
        .with_help(help),
    );
}
