//! Fuzzes the parse and check path in memory: the input (after a first byte that picks which
//! file of a small valid site it replaces or joins) is decoded, parsed and checked together with
//! the rest of the site, and every report format is rendered.
//!
//! Invariants beyond "no panic": every diagnostic names a known file, and its span lies inside
//! that file's text with `start <= end`. The input is also judged as an SVG image (the finding
//! lies inside it) and encoded as an address (only characters an href may hold).

#![no_main]

use carebook::config::Config;
use carebook::load::Loaded;
use carebook::report::Format;
use libfuzzer_sys::fuzz_target;

macro_rules! fixture {
    ($path:literal) => {
        ($path, include_str!(concat!("../../tests/fixtures/valid/minimal/", $path)))
    };
}

/// The valid site the input is checked with (tests/fixtures/valid/minimal).
const SITE: &[(&str, &str)] = &[
    fixture!("content/causes/missed-feeds.md"),
    fixture!("content/guides/blocked-duct.md"),
    fixture!("content/guides/mastitis.md"),
    fixture!("content/pages/about.md"),
    fixture!("content/symptoms/fever.md"),
];

/// Where the input goes, chosen by its first byte: over an existing file, or as a new one.
const TARGETS: &[&str] = &[
    "content/guides/mastitis.md",
    "content/symptoms/fever.md",
    "content/causes/missed-feeds.md",
    "content/pages/about.md",
    "content/guides/new-guide.md",
    "content/guides/sub/blocked-duct.md",
    "content/pages/Bad Name.md",
    "content/notes.md",
];

fuzz_target!(|data: &[u8]| {
    let (selector, bytes) = match data.split_first() {
        Some((s, rest)) => (*s, rest),
        None => (0, data),
    };
    let target = TARGETS[usize::from(selector) % TARGETS.len()];
    let mut loaded = Loaded::default();
    let mut diags = Vec::new();
    for (path, text) in SITE.iter().filter(|(p, _)| *p != target) {
        loaded.add_markdown(*path, text.as_bytes(), &mut diags);
    }
    loaded.add_markdown(target, bytes, &mut diags);
    loaded.files.sort_by(|a, b| a.path.cmp(&b.path));
    loaded.assets.push("content/pages/diagram.png".to_string());

    let mut opts = carebook::Options::new(".");
    opts.today = jiff::civil::date(2026, 11, 26);
    let (report, _site) = carebook::pipeline::check_loaded(Config::default(), loaded, diags, &opts);

    for d in report.diagnostics() {
        let text = report.source(&d.file);
        assert!(text.is_some() || d.span.is_none(), "diagnostic in an unknown file: {d:?}");
        if let (Some(span), Some(text)) = (&d.span, text) {
            assert!(span.start <= span.end && span.end <= text.len(), "span outside {}: {d:?}", text.len());
        }
    }
    for format in [Format::Human, Format::Short, Format::Json] {
        let _ = report.render(format, false);
        let _ = report.render_limited(format, false, Some(2));
    }

    // The same bytes as an SVG image and as an address: the image check points inside the text,
    // and an encoded address holds only what an href may hold.
    let text = String::from_utf8_lossy(bytes);
    if let Some(f) = carebook::active::scan_svg(&text) {
        assert!(text.get(f.span.clone()).is_some(), "finding outside the text: {f:?}");
    }
    let url = carebook::markdown::encode_url(&text);
    assert!(url.bytes().all(|b| b.is_ascii_graphic() && !b"\"<>\\`{|}[]".contains(&b)), "{url}");
});
