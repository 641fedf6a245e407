//! Words of a text as the index and search.js both see them: Unicode words, lower-cased, accents
//! folded, stop words out, stemmed per site language. search.js has the same rules, letter for
//! letter (FOLD_FROM/FOLD_TO, STOP_EN/STOP_RU and the stemmers); change both together.
//!
//! [`words`] is the plain reading; [`each_word`] and [`each_term`], which the index uses, read the
//! same words faster and are tested against it.

use rustc_hash::FxHashMap;

/// The site languages that have a stemmer and stop words; any other language is only folded.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Lang {
    /// English: Snowball English stemmer and English stop words.
    En,
    /// Russian: Snowball Russian stemmer and Russian stop words.
    Ru,
    /// No stemmer, no stop words.
    Other,
}

impl Lang {
    /// The language of a `language = "…"` setting (`en`, `en-GB`, …).
    pub(crate) fn of(code: &str) -> Lang {
        let primary = code.split(['-', '_']).next().unwrap_or("");
        if primary.eq_ignore_ascii_case("en") {
            Lang::En
        } else if primary.eq_ignore_ascii_case("ru") {
            Lang::Ru
        } else {
            Lang::Other
        }
    }

    /// The code written into the index, so search.js picks the same rules.
    pub(crate) fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Ru => "ru",
            Lang::Other => "",
        }
    }

    /// Whether `word` (folded) is a function word, never required and not indexed.
    pub(crate) fn is_stop(self, word: &str) -> bool {
        match self {
            Lang::En => STOP_EN.binary_search(&word).is_ok(),
            Lang::Ru => STOP_RU.binary_search(&word).is_ok(),
            Lang::Other => false,
        }
    }

    /// The index term of a folded word.
    pub(crate) fn stem(self, word: &str) -> String {
        match self {
            Lang::En => super::stem::english(word),
            Lang::Ru => super::stem_ru::term(word),
            Lang::Other => word.to_string(),
        }
    }
}

/// English function words (sorted: looked up by binary search). Words that carry a topic
/// ("pain", "milk", "not"-less phrases) stay searchable; "not" and "no" are here because a query
/// never hinges on them in this site's content.
pub(crate) const STOP_EN: &[&str] = &[
    "a", "about", "after", "again", "all", "am", "an", "and", "any", "are", "as", "at", "be", "because", "been",
    "before", "being", "both", "but", "by", "can", "cant", "could", "did", "didnt", "do", "does", "doesnt", "doing",
    "dont", "during", "each", "for", "from", "get", "gets", "getting", "got", "had", "has", "have", "having", "he",
    "her", "here", "him", "his", "how", "i", "if", "im", "in", "into", "is", "isnt", "it", "its", "ive", "just", "me",
    "my", "no", "nor", "not", "of", "off", "on", "or", "our", "out", "own", "she", "should", "so", "some", "such",
    "than", "that", "the", "their", "them", "then", "there", "these", "they", "this", "those", "to", "too", "up", "us",
    "very", "was", "we", "were", "what", "whats", "when", "where", "which", "while", "who", "why", "will", "with",
    "would", "you", "your", "youre",
];

/// Russian function words (Snowball's list, sorted), less those that can carry a query's point
/// here ("нельзя", "можно", "после", "больше", numbers, "всегда"/"никогда").
pub(crate) const STOP_RU: &[&str] = &[
    "а",
    "без",
    "будет",
    "будто",
    "бы",
    "был",
    "была",
    "были",
    "было",
    "быть",
    "в",
    "вам",
    "вас",
    "вдруг",
    "ведь",
    "во",
    "вот",
    "впрочем",
    "все",
    "всего",
    "всех",
    "всю",
    "вы",
    "где",
    "да",
    "даже",
    "для",
    "до",
    "другой",
    "его",
    "ее",
    "ей",
    "ему",
    "если",
    "есть",
    "еще",
    "ж",
    "же",
    "за",
    "зачем",
    "здесь",
    "и",
    "из",
    "или",
    "им",
    "их",
    "к",
    "как",
    "какая",
    "какой",
    "когда",
    "конечно",
    "кто",
    "куда",
    "ли",
    "между",
    "меня",
    "мне",
    "может",
    "мой",
    "моя",
    "мы",
    "на",
    "над",
    "надо",
    "наконец",
    "нас",
    "не",
    "него",
    "нее",
    "ней",
    "нет",
    "ни",
    "нибудь",
    "ним",
    "них",
    "ничего",
    "но",
    "ну",
    "о",
    "об",
    "один",
    "он",
    "она",
    "они",
    "опять",
    "от",
    "перед",
    "по",
    "под",
    "потом",
    "потому",
    "почти",
    "при",
    "про",
    "раз",
    "разве",
    "с",
    "сам",
    "свою",
    "себе",
    "себя",
    "сейчас",
    "со",
    "совсем",
    "так",
    "такой",
    "там",
    "тебя",
    "тем",
    "теперь",
    "то",
    "тогда",
    "того",
    "тоже",
    "только",
    "том",
    "тот",
    "тут",
    "ты",
    "у",
    "уж",
    "уже",
    "хоть",
    "чего",
    "чем",
    "через",
    "что",
    "чтоб",
    "чтобы",
    "чуть",
    "эти",
    "это",
    "этого",
    "этой",
    "этом",
    "этот",
    "эту",
    "я",
];

/// Letters folded to another: Latin accents, and Cyrillic ё to е (й keeps its breve: it is a
/// letter of its own). Same strings as search.js.
const FOLD_FROM: &str = "àáâãäåāăąçćĉċčďđèéêëēĕėęěĝğġģĥħìíîïĩīĭįıĵķĺļľŀłñńņňòóôõöøōŏőŕŗřśŝşšţťŧùúûüũūŭůűųŵýÿŷźżžё";
const FOLD_TO: &str = "aaaaaaaaacccccddeeeeeeeeegggghhiiiiiiiiijklllllnnnnooooooooorrrsssstttuuuuuuuuuuwyyyzzzе";

/// One character, lower-cased and folded (a few become two: ß, æ, œ).
fn fold_char(c: char, out: &mut String) {
    // Most text is ASCII, which folds by lower-casing alone: no scan of the fold table (this
    // function was a fifth of a 10,000-guide build).
    if c.is_ascii() {
        out.push(c.to_ascii_lowercase());
        return;
    }
    // The Russian alphabet, most of a Russian text, lower-cases by an offset and folds only ё:
    // no Unicode tables, no scan of the fold table (which made a two-language build of Russian
    // text cost a third more instructions than two builds of one).
    if let Some(l) = russian_folded(c) {
        out.push(l);
        return;
    }
    fold_general(c, out);
}

/// A letter of the Russian alphabet lower-cased and folded as [`fold_general`] does (ё to е);
/// `None` for any other character.
fn russian_folded(c: char) -> Option<char> {
    match c {
        'а'..='я' => Some(c),
        'А'..='Я' => char::from_u32(u32::from(c) + 0x20),
        'ё' | 'Ё' => Some('е'),
        _ => None,
    }
}

/// The Russian letter whose UTF-8 bytes are `b` then `next` (`а`…`я`, `А`…`Я`, `ё`, `Ё`),
/// lower-cased and folded as [`russian_folded`] does; `None` for anything else. The letter is
/// found from the bytes alone, as its place after `а` (U+0430): `а`…`п` are `0xD0 0xB0`…,
/// `р`…`я` `0xD1 0x80`…, `А`…`Я` `0xD0 0x90`…, and `ё`/`Ё` fold to `е` (5): no decoding,
/// no folding table.
fn russian_at(b: u8, next: Option<&u8>) -> Option<char> {
    let n = *next?;
    let offset = match (b, n) {
        (0xD0, 0xB0..=0xBF) => n - 0xB0,
        (0xD0, 0x90..=0xAF) => n - 0x90,
        (0xD1, 0x80..=0x8F) => n - 0x80 + 16,
        (0xD0, 0x81) | (0xD1, 0x91) => 5,
        _ => return None,
    };
    char::from_u32(0x430 + u32::from(offset))
}

/// [`fold_char`] by the Unicode tables: any character.
fn fold_general(c: char, out: &mut String) {
    for l in c.to_lowercase() {
        match l {
            'ß' => out.push_str("ss"),
            'æ' => out.push_str("ae"),
            'œ' => out.push_str("oe"),
            _ => match FOLD_FROM.chars().position(|f| f == l) {
                Some(i) => out.push(FOLD_TO.chars().nth(i).unwrap_or(l)),
                None => out.push(l),
            },
        }
    }
}

fn is_word_char(c: char) -> bool {
    // A Russian letter is one without the Unicode tables.
    russian_folded(c).is_some() || c.is_alphanumeric()
}

/// Apostrophes inside a word join it ("doesn't" is one word, "doesnt").
fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '\u{2019}')
}

/// The folded words of `text`, in order, stop words included (with `lang`'s rules for nothing
/// else: stemming and stop words are the caller's). The plain reading, which [`each_word`] is
/// tested against.
#[cfg(test)]
pub(crate) fn words(text: &str, _lang: Lang) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if is_word_char(c) {
            fold_char(c, &mut cur);
        } else if is_apostrophe(c) && !cur.is_empty() && chars.peek().is_some_and(|&n| is_word_char(n)) {
            // skipped: the word goes on
        } else if !cur.is_empty() {
            out.push(std::mem::take(&mut cur));
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

/// The index terms of `text`: its words less stop words, stemmed.
pub(crate) fn terms(text: &str, lang: Lang) -> Vec<String> {
    let mut out = Vec::new();
    each_term(text, lang, |t| out.push(t.to_string()));
    out
}

/// [`words`] without a string per word: `each` gets every folded word of `text`, in order.
/// ASCII, most of any text, is taken a byte at a time (an ASCII letter or digit is a word
/// character whatever the language, and folds by lower-casing); other characters as [`words`]
/// takes them.
pub(crate) fn each_word(text: &str, mut each: impl FnMut(&str)) {
    let bytes = text.as_bytes();
    let next_is_word = |at: usize| text.get(at..).and_then(|rest| rest.chars().next()).is_some_and(is_word_char);
    let mut cur = String::new();
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        let (c, len) = if b.is_ascii() {
            (char::from(b), 1)
        } else {
            // A Russian letter, most of a Russian text: taken from its two bytes, without
            // decoding the character and asking the general path whether it is one.
            if let Some(l) = russian_at(b, bytes.get(i + 1)) {
                cur.push(l);
                i += 2;
                continue;
            }
            let Some(c) = text.get(i..).and_then(|rest| rest.chars().next()) else { break };
            (c, c.len_utf8())
        };
        if b.is_ascii_alphanumeric() {
            cur.push(char::from(b.to_ascii_lowercase()));
        } else if !b.is_ascii() && is_word_char(c) {
            fold_char(c, &mut cur);
        } else if is_apostrophe(c) && !cur.is_empty() && next_is_word(i + len) {
            // skipped: the word goes on
        } else if !cur.is_empty() {
            each(&cur);
            cur.clear();
        }
        i += len;
    }
    if !cur.is_empty() {
        each(&cur);
    }
}

/// Most words a thread keeps the term of (a site's vocabulary is far smaller).
const KEEP_TERMS: usize = 1 << 20;

/// Folded words and their terms (`None`: a stop word), for one language.
type Seen = (Lang, FxHashMap<Box<str>, Option<Box<str>>>);

thread_local! {
    /// The terms of the words this thread has seen, for one language: a folded word's term, or
    /// `None` for a stop word. A word is stemmed once, not at each of its thousands of uses.
    static TERMS: std::cell::RefCell<Seen> = std::cell::RefCell::new((Lang::Other, FxHashMap::default()));
}

/// [`terms`] one at a time, without a string per word: each word's term is looked up among the
/// words this thread has seen (stop words and stemming are pure functions of the folded word).
pub(crate) fn each_term(text: &str, lang: Lang, mut each: impl FnMut(&str)) {
    TERMS.with_borrow_mut(|(seen_lang, seen)| {
        if *seen_lang != lang || seen.len() >= KEEP_TERMS {
            seen.clear();
            *seen_lang = lang;
        }
        each_word(text, |w| {
            let term = match seen.get(w) {
                Some(term) => term,
                None => seen.entry(w.into()).or_insert_with(|| (!lang.is_stop(w)).then(|| lang.stem(w).into())),
            };
            if let Some(term) = term {
                each(term);
            }
        });
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stop_words_are_sorted() {
        assert!(STOP_EN.windows(2).all(|w| w[0] < w[1]));
        assert!(STOP_RU.windows(2).all(|w| w[0] < w[1]));
        assert_eq!(FOLD_FROM.chars().count(), FOLD_TO.chars().count());
    }

    #[test]
    fn ascii_folds_as_the_general_path_does() {
        for c in (0u8..128).map(char::from) {
            let mut fast = String::new();
            fold_char(c, &mut fast);
            let general: String = c.to_lowercase().collect();
            assert_eq!(fast, general, "{c:?}");
        }
    }

    /// The Russian alphabet's shortcut folds and finds words as the Unicode tables do, and
    /// takes no other character.
    #[test]
    fn russian_letters_fold_as_the_general_path_does() {
        for c in (0..0x3000).filter_map(char::from_u32) {
            let (mut fast, mut general) = (String::new(), String::new());
            fold_char(c, &mut fast);
            if c.is_ascii() {
                general.push(c.to_ascii_lowercase());
            } else {
                fold_general(c, &mut general);
            }
            assert_eq!(fast, general, "{c:?}");
            assert_eq!(is_word_char(c), c.is_alphanumeric(), "{c:?}");
        }
        assert_eq!(russian_folded('Ё'), Some('е'));
        assert_eq!(russian_folded('Й'), Some('й'));
        assert_eq!(russian_folded('ѐ'), None);
    }

    /// Reading a Russian letter from its bytes gives what decoding it and folding it gives, for
    /// every character of two bytes, and nothing for any other byte pair.
    #[test]
    fn russian_letters_from_bytes_are_the_decoded_letters() {
        for c in (0x80..0x800).filter_map(char::from_u32) {
            let mut buf = [0; 4];
            let bytes = c.encode_utf8(&mut buf).as_bytes();
            assert_eq!(russian_at(bytes[0], bytes.get(1)), russian_folded(c), "{c:?}");
        }
        for b in 0..=255u8 {
            assert_eq!(russian_at(b, None), None);
            if !matches!(b, 0xD0 | 0xD1) {
                assert!((0..=255u8).all(|n| russian_at(b, Some(&n)).is_none()), "{b:#x}");
            }
        }
    }

    #[test]
    fn words_fold_case_accents_and_cyrillic_yo() {
        assert_eq!(words("Doesn't FADE, café-au-lait", Lang::En), ["doesnt", "fade", "cafe", "au", "lait"]);
        assert_eq!(words("Ёлка и йогурт: МАСТИТ", Lang::Other), ["елка", "и", "йогурт", "мастит"]);
        assert_eq!(words("Straße 38 °C", Lang::Other), ["strasse", "38", "c"]);
    }

    /// The shipped content in both languages, and texts with every kind of character the
    /// readers tell apart.
    fn texts() -> Vec<String> {
        let repo = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut texts: Vec<String> = walkdir::WalkDir::new(repo.join("content"))
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.path().extension().is_some_and(|x| x == "md"))
            .filter_map(|e| std::fs::read_to_string(e.path()).ok())
            .collect();
        assert!(texts.len() > 50, "the shipped content was not found");
        texts.extend(
            [
                "Doesn't FADE, café-au-lait ĲSSEL Straße æon œuvre",
                "'lead ' trail' it'' don\u{2019}t x'\u{e9}t\u{e9} \u{e9}'x 3'4",
                "Ёлка и йогурт: МАСТИТ, ёж'ик ǅemal Σίσυφος ΣΑΣ",
                "tab\tnew\nline\u{a0}nbsp\u{2003}em 12°C ½ ² ٣ 𝔘𝔫𝔦 👍ok",
                "",
                "'",
                "a",
            ]
            .map(str::to_string),
        );
        texts
    }

    #[test]
    fn each_word_reads_the_words_the_plain_reader_does() {
        for text in texts() {
            let mut fast = Vec::new();
            each_word(&text, |w| fast.push(w.to_string()));
            assert_eq!(fast, words(&text, Lang::Other), "{text:?}");
        }
    }

    #[test]
    fn each_term_makes_the_terms_of_the_plain_path() {
        for lang in [Lang::En, Lang::Ru, Lang::Other] {
            // Twice: the second time from the words this thread has seen.
            for _ in 0..2 {
                for text in texts() {
                    let plain: Vec<String> =
                        words(&text, lang).into_iter().filter(|w| !lang.is_stop(w)).map(|w| lang.stem(&w)).collect();
                    assert_eq!(terms(&text, lang), plain, "{text:?} in {lang:?}");
                }
            }
        }
    }

    #[test]
    fn terms_drop_function_words_and_stem() {
        assert_eq!(terms("Can I breastfeed with mastitis?", Lang::En), ["breastfe", "mastiti"]);
        assert_eq!(terms("Can I", Lang::Other), ["can", "i"]);
        assert_eq!(terms("Можно ли кормить грудью при мастите?", Lang::of("ru")), ["можн", "корм", "груд", "мастит"]);
    }
}
