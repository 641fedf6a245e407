//! The words the Markdown engine writes around an author's text (an alert's title, a table's name
//! for screen readers, a task's state, a footnote's link back): not the author's, so not in the
//! page's language by themselves. The HTML leaves each one out, as a
//! [`SlotKind::Word`](super::SlotKind::Word) slot, and [`super::fill_with`] writes it in the
//! page's language, from the theme's words file (`alert_note = "Note"`).

use pulldown_cmark::BlockQuoteKind;

/// A word the engine writes, named by its key in the theme's words files.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Word {
    /// The title of a `> [!NOTE]` alert.
    Note,
    /// `> [!TIP]`.
    Tip,
    /// `> [!IMPORTANT]`.
    Important,
    /// `> [!WARNING]`.
    Warning,
    /// `> [!CAUTION]`.
    Caution,
    /// A table's name for screen readers (its scrolling region's `aria-label`).
    Table,
    /// What a screen reader says for a done task (`- [x]`).
    Done,
    /// For a task not done (`- [ ]`).
    NotDone,
    /// The name of a footnote's link back to its reference; `{n}` in it is the footnote's number.
    BackToReference,
}

impl Word {
    /// Every word.
    pub(crate) const ALL: [Word; 9] = [
        Word::Note,
        Word::Tip,
        Word::Important,
        Word::Warning,
        Word::Caution,
        Word::Table,
        Word::Done,
        Word::NotDone,
        Word::BackToReference,
    ];

    /// Its key in `strings/<language>.toml`.
    #[must_use]
    pub(crate) fn key(self) -> &'static str {
        match self {
            Word::Note => "alert_note",
            Word::Tip => "alert_tip",
            Word::Important => "alert_important",
            Word::Warning => "alert_warning",
            Word::Caution => "alert_caution",
            Word::Table => "table",
            Word::Done => "task_done",
            Word::NotDone => "task_not_done",
            Word::BackToReference => "footnote_back",
        }
    }

    /// The word in English, as the built-in `strings/en.toml` gives it.
    #[must_use]
    pub(crate) fn english(self) -> &'static str {
        match self {
            Word::Note => "Note",
            Word::Tip => "Tip",
            Word::Important => "Important",
            Word::Warning => "Warning",
            Word::Caution => "Caution",
            Word::Table => "Table",
            Word::Done => "done",
            Word::NotDone => "not done",
            Word::BackToReference => "Back to reference {n}",
        }
    }
}

impl Word {
    /// Whether it is text of the page (an alert's title), not an attribute's value: the search
    /// index reads only text.
    #[must_use]
    pub(crate) fn is_text(self) -> bool {
        !matches!(self, Word::Table | Word::Done | Word::NotDone | Word::BackToReference)
    }
}

/// An alert's class (`alert-note`) and the word of its title.
pub(super) fn alert(kind: BlockQuoteKind) -> (&'static str, Word) {
    match kind {
        BlockQuoteKind::Note => ("note", Word::Note),
        BlockQuoteKind::Tip => ("tip", Word::Tip),
        BlockQuoteKind::Important => ("important", Word::Important),
        BlockQuoteKind::Warning => ("warning", Word::Warning),
        BlockQuoteKind::Caution => ("caution", Word::Caution),
    }
}
