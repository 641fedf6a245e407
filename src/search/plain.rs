//! The index built the plain way, every document analysed and held before any posting is made:
//! the reference the streamed build ([`super::index`]) is tested against.

use std::collections::BTreeMap;

use rayon::prelude::*;

use super::blocks::decode;
use super::index::{Analysed, analyse};
use super::text::Lang;
use super::{ALL, Doc, FIELDS, K1, Phrases, Postings};

/// Each term's postings (document, then its BM25 share in 8 bits and its field flags) and each
/// phrase's documents.
pub(super) fn postings(docs: &[Doc<'_>], lang: Lang) -> (Postings, Phrases) {
    let analysed: Vec<Analysed> = docs.par_iter().map(|d| analyse(d, lang)).collect();
    let avg: [f64; FIELDS] = std::array::from_fn(|f| {
        let with: Vec<u32> = analysed.iter().map(|a| a.lens[f]).filter(|&l| l > 0).collect();
        if with.is_empty() { 1.0 } else { with.iter().map(|&l| f64::from(l)).sum::<f64>() / with.len() as f64 }
    });
    let mut postings: Postings = BTreeMap::new();
    let mut phrases: Phrases = BTreeMap::new();
    for (d, Analysed { counts, lens, phrases: bigrams }) in analysed.iter().enumerate() {
        let d = u32::try_from(d).unwrap_or(u32::MAX);
        for (term, tf) in counts {
            let mut weighted = 0.0;
            let mut flags = 0;
            for f in ALL {
                let c = f64::from(tf[f as usize]);
                if c > 0.0 {
                    let norm = 1.0 - f.b() + f.b() * f64::from(lens[f as usize]) / avg[f as usize];
                    weighted += f.weight() * c / norm;
                    flags |= f.flag();
                }
            }
            // BM25 saturation, as a share of its limit (K1 + 1), in 8 bits.
            let share = weighted / (K1 + weighted);
            let q = (share * 255.0).round().clamp(1.0, 255.0) as u32;
            postings.entry(term.clone()).or_default().push((d, q * 8 + flags));
        }
        for b in bigrams {
            phrases.entry(b.clone()).or_default().push(d);
        }
    }
    for list in postings.values_mut() {
        list.sort_unstable();
    }
    (postings, phrases)
}

/// The text blocks of an HTML fragment: tags out, entities decoded, one entry per block.
pub(super) fn html_text(html: &str) -> Vec<String> {
    let mut blocks = Vec::new();
    let mut cur = String::new();
    let mut rest = html;
    while let Some(lt) = rest.find('<') {
        cur.push_str(&decode(&rest[..lt]));
        let Some(gt) = rest[lt..].find('>') else {
            rest = "";
            break;
        };
        let tag = &rest[lt + 1..lt + gt];
        let name: String = tag.trim_start_matches('/').chars().take_while(char::is_ascii_alphanumeric).collect();
        let block = matches!(
            name.to_ascii_lowercase().as_str(),
            "p" | "li"
                | "h1"
                | "h2"
                | "h3"
                | "h4"
                | "h5"
                | "h6"
                | "br"
                | "tr"
                | "td"
                | "th"
                | "div"
                | "blockquote"
                | "pre"
                | "dt"
                | "dd"
                | "ul"
                | "ol"
                | "table"
                | "details"
                | "summary"
        );
        if block {
            let t = cur.split_whitespace().collect::<Vec<_>>().join(" ");
            if !t.is_empty() {
                blocks.push(t);
            }
            cur.clear();
        } else {
            cur.push(' ');
        }
        rest = &rest[lt + gt + 1..];
    }
    cur.push_str(&decode(rest));
    let t = cur.split_whitespace().collect::<Vec<_>>().join(" ");
    if !t.is_empty() {
        blocks.push(t);
    }
    blocks
}
