//! The front-matter reference in `docs/front-matter.md`: its tables are generated here from the
//! field table, and a test keeps the file equal to them.

use super::field::{Field, Type};
use super::{Kind, capitalized, fields};

/// The tables of the reference: one per kind of file, then one per kind of list item.
pub fn tables() -> String {
    let mut out = String::new();
    let mut items = Vec::new();
    for kind in Kind::ALL {
        out.push_str(&format!("### {} (`content/{}/<id>.md`)\n\n", capitalized(kind.folder()), kind.folder()));
        table(&mut out, fields(kind));
        for f in fields(kind) {
            if let Type::Items(i) = f.ty
                && !items.iter().any(|(name, _): &(&str, _)| *name == f.name)
            {
                items.push((f.name, i));
            }
        }
    }
    for (name, i) in items {
        out.push_str(&format!("### Each item of `{name}` ({})\n\n", i.noun));
        table(&mut out, i.fields.iter());
    }
    out
}

fn table<'f>(out: &mut String, fields: impl Iterator<Item = &'f Field>) {
    out.push_str("| field | type | required? | limits | example | what it is for |\n|---|---|---|---|---|---|\n");
    for f in fields {
        let example = match f.ty {
            Type::Items(_) => "see below".to_string(),
            _ => format!("`{}`", f.example),
        };
        let notes = f.notes().join("; ");
        let required = if f.required { "required" } else { "optional" };
        let help = f.help.replace('|', "\\|");
        out.push_str(&format!("| `{}` | {} | {required} | {notes} | {example} | {help} |\n", f.name, f.type_name()));
    }
    out.push('\n');
}
