//! The Snowball English ("Porter2") stemmer, ported by hand so that the same steps can be written
//! again in the theme's search.js: the index and the reader's query must stem alike, and a crate
//! would give the Rust half only. The unit test holds it against `rust-stemmers` (a dev
//! dependency) on every word of the shipped content.

/// The stem of a lower-cased, accent-folded word (`a`–`z` only; any other word is returned as is).
pub(crate) fn english(word: &str) -> String {
    if word.len() <= 2 || !word.bytes().all(|b| b.is_ascii_lowercase()) {
        return word.to_string();
    }
    if let Some(s) = exception1(word) {
        return s.to_string();
    }
    let mut w: Vec<u8> = word.as_bytes().to_vec();
    // Prelude: a y at the start or after a vowel is a consonant (Y).
    for i in 0..w.len() {
        if w[i] == b'y' && (i == 0 || is_vowel(w[i - 1])) {
            w[i] = b'Y';
        }
    }
    let (p1, p2) = regions(&w);
    step_1a(&mut w);
    if matches!(
        &w[..],
        b"inning" | b"outing" | b"canning" | b"herring" | b"earring" | b"proceed" | b"exceed" | b"succeed"
    ) {
        return finish(w);
    }
    step_1b(&mut w, p1);
    step_1c(&mut w);
    step_2(&mut w, p1);
    step_3(&mut w, p1, p2);
    step_4(&mut w, p2);
    step_5(&mut w, p1, p2);
    finish(w)
}

fn finish(w: Vec<u8>) -> String {
    w.into_iter().map(|b| if b == b'Y' { 'y' } else { char::from(b) }).collect()
}

fn exception1(word: &str) -> Option<&'static str> {
    Some(match word {
        "skis" => "ski",
        "skies" => "sky",
        "dying" => "die",
        "lying" => "lie",
        "tying" => "tie",
        "idly" => "idl",
        "gently" => "gentl",
        "ugly" => "ugli",
        "early" => "earli",
        "only" => "onli",
        "singly" => "singl",
        "sky" => "sky",
        "news" => "news",
        "howe" => "howe",
        "atlas" => "atlas",
        "cosmos" => "cosmos",
        "bias" => "bias",
        "andes" => "andes",
        _ => return None,
    })
}

fn is_vowel(b: u8) -> bool {
    matches!(b, b'a' | b'e' | b'i' | b'o' | b'u' | b'y')
}

/// R1 and R2: after the first non-vowel that follows a vowel (R2: the same again within R1).
fn regions(w: &[u8]) -> (usize, usize) {
    let after_vc = |from: usize| -> usize {
        let mut i = from;
        while i < w.len() && !is_vowel(w[i]) {
            i += 1;
        }
        while i < w.len() && is_vowel(w[i]) {
            i += 1;
        }
        (i + 1).min(w.len())
    };
    let p1 = ["gener", "commun", "arsen"]
        .iter()
        .find(|p| w.starts_with(p.as_bytes()))
        .map_or_else(|| after_vc(0), |p| p.len());
    (p1, after_vc(p1))
}

fn ends(w: &[u8], s: &str) -> bool {
    w.ends_with(s.as_bytes())
}

fn replace(w: &mut Vec<u8>, suffix_len: usize, with: &str) {
    w.truncate(w.len() - suffix_len);
    w.extend_from_slice(with.as_bytes());
}

/// The longest of `suffixes` that `w` ends with.
fn longest<'a>(w: &[u8], suffixes: &[&'a str]) -> Option<&'a str> {
    suffixes.iter().filter(|s| ends(w, s)).max_by_key(|s| s.len()).copied()
}

/// A short syllable ends `w`: non-vowel, vowel, non-vowel other than w, x or Y; or, as the
/// whole word, a vowel and a non-vowel.
fn short_syllable(w: &[u8]) -> bool {
    let n = w.len();
    if n == 2 {
        return is_vowel(w[0]) && !is_vowel(w[1]);
    }
    n >= 3
        && !is_vowel(w[n - 3])
        && is_vowel(w[n - 2])
        && !is_vowel(w[n - 1])
        && !matches!(w[n - 1], b'w' | b'x' | b'Y')
}

fn step_1a(w: &mut Vec<u8>) {
    match longest(w, &["sses", "ied", "ies", "s", "us", "ss"]) {
        Some("sses") => replace(w, 4, "ss"),
        Some("ied" | "ies") => {
            let with = if w.len() > 4 { "i" } else { "ie" };
            replace(w, 3, with);
        }
        Some("s") if w.len() >= 2 && w[..w.len() - 2].iter().any(|&b| is_vowel(b)) => {
            w.pop();
        }
        _ => {}
    }
}

fn step_1b(w: &mut Vec<u8>, p1: usize) {
    match longest(w, &["eed", "eedly", "ed", "edly", "ing", "ingly"]) {
        Some(s @ ("eed" | "eedly")) if w.len() - s.len() >= p1 => replace(w, s.len(), "ee"),
        // Not in R1: nothing, and no shorter ending is tried.
        Some("eed" | "eedly") => {}
        Some(s) => {
            let stem = w.len() - s.len();
            if !w[..stem].iter().any(|&b| is_vowel(b)) {
                return;
            }
            w.truncate(stem);
            if ends(w, "at") || ends(w, "bl") || ends(w, "iz") {
                w.push(b'e');
            } else if ["bb", "dd", "ff", "gg", "mm", "nn", "pp", "rr", "tt"].iter().any(|d| ends(w, d)) {
                w.pop();
            } else if w.len() <= p1 && short_syllable(w) {
                w.push(b'e');
            }
        }
        None => {}
    }
}

fn step_1c(w: &mut [u8]) {
    let n = w.len();
    if n > 2 && matches!(w[n - 1], b'y' | b'Y') && !is_vowel(w[n - 2]) {
        w[n - 1] = b'i';
    }
}

fn step_2(w: &mut Vec<u8>, p1: usize) {
    const LIST: [(&str, &str); 24] = [
        ("tional", "tion"),
        ("enci", "ence"),
        ("anci", "ance"),
        ("abli", "able"),
        ("entli", "ent"),
        ("izer", "ize"),
        ("ization", "ize"),
        ("ational", "ate"),
        ("ation", "ate"),
        ("ator", "ate"),
        ("alism", "al"),
        ("aliti", "al"),
        ("alli", "al"),
        ("fulness", "ful"),
        ("ousli", "ous"),
        ("ousness", "ous"),
        ("iveness", "ive"),
        ("iviti", "ive"),
        ("biliti", "ble"),
        ("bli", "ble"),
        ("ogi", "og"),
        ("fulli", "ful"),
        ("lessli", "less"),
        ("li", ""),
    ];
    let Some(&(s, with)) = LIST.iter().filter(|(s, _)| ends(w, s)).max_by_key(|(s, _)| s.len()) else {
        return;
    };
    let stem = w.len() - s.len();
    if stem < p1 {
        return;
    }
    match s {
        "ogi" if stem == 0 || w[stem - 1] != b'l' => {}
        "li" if stem == 0
            || !matches!(w[stem - 1], b'c' | b'd' | b'e' | b'g' | b'h' | b'k' | b'm' | b'n' | b'r' | b't') => {}
        _ => replace(w, s.len(), with),
    }
}

fn step_3(w: &mut Vec<u8>, p1: usize, p2: usize) {
    const LIST: [(&str, &str); 9] = [
        ("tional", "tion"),
        ("ational", "ate"),
        ("alize", "al"),
        ("icate", "ic"),
        ("iciti", "ic"),
        ("ical", "ic"),
        ("ful", ""),
        ("ness", ""),
        ("ative", ""),
    ];
    let Some(&(s, with)) = LIST.iter().filter(|(s, _)| ends(w, s)).max_by_key(|(s, _)| s.len()) else {
        return;
    };
    let stem = w.len() - s.len();
    if stem < p1 || (s == "ative" && stem < p2) {
        return;
    }
    replace(w, s.len(), with);
}

fn step_4(w: &mut Vec<u8>, p2: usize) {
    let list = [
        "al", "ance", "ence", "er", "ic", "able", "ible", "ant", "ement", "ment", "ent", "ism", "ate", "iti", "ous",
        "ive", "ize", "ion",
    ];
    let Some(s) = longest(w, &list) else { return };
    let stem = w.len() - s.len();
    if stem < p2 {
        return;
    }
    if s == "ion" && !(stem > 0 && matches!(w[stem - 1], b's' | b't')) {
        return;
    }
    w.truncate(stem);
}

fn step_5(w: &mut Vec<u8>, p1: usize, p2: usize) {
    let n = w.len();
    if ends(w, "e") {
        let stem = n - 1;
        if stem >= p2 || (stem >= p1 && !short_syllable(&w[..stem])) {
            w.pop();
        }
    } else if ends(w, "l") && n > p2 && n >= 2 && w[n - 2] == b'l' {
        w.pop();
    }
}

#[cfg(test)]
mod tests {
    use super::english;

    #[test]
    fn known_stems() {
        for (w, s) in [
            ("mastitis", "mastiti"),
            ("breastfeeding", "breastfeed"),
            ("engorgement", "engorg"),
            ("engorged", "engorg"),
            ("weaning", "wean"),
            ("plugged", "plug"),
            ("antibiotics", "antibiot"),
            ("sepsis", "sepsi"),
            ("generously", "generous"),
            ("skies", "sky"),
            ("cries", "cri"),
            ("ties", "tie"),
            ("hopping", "hop"),
            ("hoping", "hope"),
            ("feeds", "feed"),
        ] {
            assert_eq!(english(w), s, "{w}");
        }
    }

    /// Every word of the shipped content stems as the Snowball reference does.
    #[test]
    fn agrees_with_snowball_on_the_shipped_content() {
        let reference = rust_stemmers::Stemmer::create(rust_stemmers::Algorithm::English);
        let mut words = std::collections::BTreeSet::new();
        for entry in walkdir::WalkDir::new(concat!(env!("CARGO_MANIFEST_DIR"), "/content")) {
            let entry = entry.expect("walk content");
            if entry.path().extension().is_some_and(|e| e == "md") {
                let text = std::fs::read_to_string(entry.path()).expect("read content");
                for w in crate::search::text::words(&text, crate::search::text::Lang::Other) {
                    words.insert(w);
                }
            }
        }
        for extra in ["generalization", "communities", "arsenal", "controlling", "succeeding", "inning", "sky", "dying"]
        {
            words.insert(extra.to_string());
        }
        let wrong: Vec<String> = words
            .iter()
            .filter(|w| w.bytes().all(|b| b.is_ascii_lowercase()))
            .filter(|w| english(w) != reference.stem(w))
            .map(|w| format!("{w}: {} != {}", english(w), reference.stem(w)))
            .collect();
        assert!(words.len() > 1000, "only {} words", words.len());
        assert!(wrong.is_empty(), "{wrong:#?}");
    }
}
