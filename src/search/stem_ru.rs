//! The Snowball Russian stemmer, ported by hand for the same reason as stem.rs: search.js has the
//! same steps (stemRussian) and both must stem alike. The unit test holds it against
//! `rust-stemmers` (a dev dependency) on many Russian words.

const PERFECTIVE_GERUND_1: &[&str] = &["вшись", "вши", "в"];
const PERFECTIVE_GERUND_2: &[&str] = &["ившись", "ывшись", "ивши", "ывши", "ив", "ыв"];
const ADJECTIVE: &[&str] = &[
    "ее", "ие", "ые", "ое", "ими", "ыми", "ей", "ий", "ый", "ой", "ем", "им", "ым", "ом", "его", "ого", "ему", "ому",
    "их", "ых", "ую", "юю", "ая", "яя", "ою", "ею",
];
const PARTICIPLE_1: &[&str] = &["ем", "нн", "вш", "ющ", "щ"];
const PARTICIPLE_2: &[&str] = &["ивш", "ывш", "ующ"];
const REFLEXIVE: &[&str] = &["ся", "сь"];
const VERB_1: &[&str] =
    &["ла", "на", "ете", "йте", "ли", "й", "л", "ем", "н", "ло", "но", "ет", "ют", "ны", "ть", "ешь", "нно"];
const VERB_2: &[&str] = &[
    "ила", "ыла", "ена", "ейте", "уйте", "ите", "или", "ыли", "ей", "уй", "ил", "ыл", "им", "ым", "ен", "ило", "ыло",
    "ено", "ят", "ует", "уют", "ит", "ыт", "ены", "ить", "ыть", "ишь", "ую", "ю",
];
const NOUN: &[&str] = &[
    "а", "ев", "ов", "ие", "ье", "е", "иями", "ями", "ами", "еи", "ии", "и", "ией", "ей", "ой", "ий", "й", "иям", "ям",
    "ием", "ем", "ам", "ом", "о", "у", "ах", "иях", "ях", "ы", "ь", "ию", "ью", "ю", "ия", "ья", "я",
];

fn is_vowel(c: char) -> bool {
    matches!(c, 'а' | 'е' | 'и' | 'о' | 'у' | 'ы' | 'э' | 'ю' | 'я')
}

/// Length (in chars) of the longest suffix of `w[lo..end]` among `lists`, with the list it came
/// from; Snowball's `among` picks the longest and never falls back to a shorter one.
fn longest(w: &[char], lo: usize, end: usize, lists: &[&[&str]]) -> Option<(usize, usize)> {
    let mut best: Option<(usize, usize)> = None;
    for (li, list) in lists.iter().enumerate() {
        for s in *list {
            let n = s.chars().count();
            if lo + n <= end && w[end - n..end].iter().copied().eq(s.chars()) && best.is_none_or(|(b, _)| n > b) {
                best = Some((n, li));
            }
        }
    }
    best
}

/// Whether the char before `at` is а or я (group 1 endings need it, and keep it).
fn after_a_ya(w: &[char], at: usize, rv: usize) -> bool {
    at > rv && matches!(w[at - 1], 'а' | 'я')
}

/// A group-1/group-2 ending at the end of `w[rv..end]`: the new end if it is removed.
fn grouped(w: &[char], end: usize, rv: usize, g1: &[&str], g2: &[&str]) -> Option<usize> {
    let (n, li) = longest(w, rv, end, &[g1, g2])?;
    let at = end - n;
    if at < rv || (li == 0 && !after_a_ya(w, at, rv)) {
        return None;
    }
    Some(at)
}

fn plain(w: &[char], end: usize, rv: usize, list: &[&str]) -> Option<usize> {
    let (n, _) = longest(w, rv, end, &[list])?;
    (end - n >= rv).then_some(end - n)
}

fn adjectival(w: &[char], end: usize, rv: usize) -> Option<usize> {
    let at = plain(w, end, rv, ADJECTIVE)?;
    Some(grouped(w, at, rv, PARTICIPLE_1, PARTICIPLE_2).unwrap_or(at))
}

/// The stem of a lower-cased word with ё folded to е; a word with no Cyrillic vowel is returned
/// as is.
pub(crate) fn russian(word: &str) -> String {
    let w: Vec<char> = word.chars().collect();
    // RV: after the first vowel; R2: after vowel, non-vowel, vowel, non-vowel from RV on.
    let Some(first) = w.iter().position(|&c| is_vowel(c)) else {
        return word.to_string();
    };
    let rv = first + 1;
    let r2 = {
        let mut i = rv;
        let step = |want_vowel: bool, i: &mut usize| {
            while *i < w.len() && is_vowel(w[*i]) != want_vowel {
                *i += 1;
            }
            *i = (*i + 1).min(w.len());
        };
        step(false, &mut i);
        step(true, &mut i);
        step(false, &mut i);
        i
    };
    let mut end = w.len();
    // Step 1.
    if let Some(at) = grouped(&w, end, rv, PERFECTIVE_GERUND_1, PERFECTIVE_GERUND_2) {
        end = at;
    } else {
        if let Some(at) = plain(&w, end, rv, REFLEXIVE) {
            end = at;
        }
        if let Some(at) = adjectival(&w, end, rv)
            .or_else(|| grouped(&w, end, rv, VERB_1, VERB_2))
            .or_else(|| plain(&w, end, rv, NOUN))
        {
            end = at;
        }
    }
    // Step 2.
    if end > rv && w[end - 1] == 'и' {
        end -= 1;
    }
    // Step 3: derivational, in R2.
    if let Some((n, _)) = longest(&w, rv, end, &[&["ост", "ость"]])
        && end - n >= r2
    {
        end -= n;
    }
    // Step 4: tidy up.
    // (`longest` only matches inside RV.)
    if let Some((n, _)) = longest(&w, rv, end, &[&["ейше", "ейш", "н", "ь"]]) {
        match w[end - 1] {
            'н' => {
                if end - 1 > rv && w[end - 2] == 'н' {
                    end -= 1;
                }
            }
            'ь' => end -= 1,
            _ => {
                end -= n;
                if end >= rv + 2 && w[end - 1] == 'н' && w[end - 2] == 'н' {
                    end -= 1;
                }
            }
        }
    }
    w[..end].iter().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stems_words_of_the_topic() {
        for (w, s) in [
            ("мастит", "маст"),
            ("мастита", "мастит"),
            ("маститом", "мастит"),
            ("закупорка", "закупорк"),
            ("закупорки", "закупорк"),
            ("протока", "проток"),
            ("протоков", "проток"),
            ("кормлении", "кормлен"),
            ("кормления", "кормлен"),
            ("температура", "температур"),
            ("груди", "груд"),
        ] {
            assert_eq!(russian(w), s, "{w}");
        }
    }

    /// Many Russian words stem as the Snowball reference does.
    #[test]
    fn agrees_with_snowball() {
        let reference = rust_stemmers::Stemmer::create(rust_stemmers::Algorithm::Russian);
        let mut words = std::collections::BTreeSet::new();
        let mut add = |text: &str| {
            for w in crate::search::text::words(text, crate::search::text::Lang::Other) {
                if w.chars().all(|c| ('а'..='я').contains(&c)) {
                    words.insert(w);
                }
            }
        };
        add(include_str!("stem_ru_words.txt"));
        for entry in walkdir::WalkDir::new(concat!(env!("CARGO_MANIFEST_DIR"), "/content")) {
            let entry = entry.expect("walk content");
            if entry.path().extension().is_some_and(|e| e == "md") {
                add(&std::fs::read_to_string(entry.path()).expect("read content"));
            }
        }
        let wrong: Vec<String> = words
            .iter()
            .filter(|w| russian(w) != reference.stem(w))
            .map(|w| format!("{w}: {} != {}", russian(w), reference.stem(w)))
            .collect();
        assert!(words.len() > 500, "only {} words", words.len());
        assert!(wrong.is_empty(), "{} wrong: {wrong:#?}", wrong.len());
    }
}
