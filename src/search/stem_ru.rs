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

/// Nouns in -ит (mostly illnesses in «-itis») whose Snowball stem loses «ит» as if it were a verb
/// ending in some forms (мастит, мастите → маст) but not in others (мастита, маститом → мастит):
/// a word starting with one of them has it as its term, so that every form meets. Sorted, none
/// the start of another; search.js has the same list (`RU_KEEP`). Not «колит»: it is also a verb
/// («колит в груди», it prickles).
const KEEP_WHOLE: &[&str] = &[
    "аппетит",
    "артрит",
    "бронхит",
    "бурсит",
    "вагинит",
    "визит",
    "вульвит",
    "гайморит",
    "гастрит",
    "гепатит",
    "дерматит",
    "кольпит",
    "конъюнктивит",
    "ларингит",
    "лимфаденит",
    "мастит",
    "менингит",
    "миозит",
    "неврит",
    "омфалит",
    "отит",
    "паротит",
    "ринит",
    "синусит",
    "стоматит",
    "тонзиллит",
    "трахеит",
    "тромбофлебит",
    "фарингит",
    "флебит",
    "целлюлит",
    "цистит",
    "эндометрит",
    "энцефалит",
];

/// The index term of a folded Russian word: its Snowball stem, or the word of [`KEEP_WHOLE`] it
/// starts with.
pub(crate) fn term(word: &str) -> String {
    // The last listed word not after `word` is the only one that can start it (none starts another).
    let at = KEEP_WHOLE.partition_point(|k| *k <= word);
    match at.checked_sub(1).map(|i| KEEP_WHOLE[i]) {
        Some(kept) if word.starts_with(kept) => kept.to_string(),
        _ => russian(word),
    }
}

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

    /// Every form of a kept word meets: the word itself is kept, its other forms stem to it, and
    /// each is on the list for a reason (Snowball cuts its «ит»).
    #[test]
    fn inflected_forms_of_kept_words_meet() {
        assert!(KEEP_WHOLE.is_sorted(), "KEEP_WHOLE must be sorted");
        for pair in KEEP_WHOLE.windows(2) {
            assert!(!pair[1].starts_with(pair[0]), "{} starts {}", pair[0], pair[1]);
        }
        for w in KEEP_WHOLE {
            assert_ne!(russian(w), *w, "{w} needs no exception");
            for ending in ["а", "у", "ом", "е", "ы", "ов", "ами", "ах"] {
                let form = format!("{w}{ending}");
                assert_eq!(term(&form), term(w), "{form} does not meet {w}");
            }
        }
        assert_eq!(term("мастит"), "мастит");
        assert_eq!(term("мастите"), "мастит", "Snowball: маст");
        assert_eq!(term("маститом"), "мастит");
        assert_eq!(term("болит"), "бол", "verbs in -ит still lose it");
    }

    /// search.js keeps the same words whole.
    #[test]
    fn search_js_keeps_the_same_words() {
        let js = include_str!("../../themes/default/static/search.js");
        let line = js.lines().find(|l| l.contains("{ RU_KEEP.push(w); }")).expect("RU_KEEP in search.js");
        let quoted: Vec<&str> = line.split('"').skip(1).step_by(2).collect();
        let listed: Vec<&str> = quoted.first().map(|s| s.split(' ').collect()).unwrap_or_default();
        assert_eq!(listed, KEEP_WHOLE);
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
