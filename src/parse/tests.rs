//! Tests of the parse stage: what a check lets go of, kept bodies, and line reading.

mod cache_tests {
    use super::super::*;

    fn file(path: &str, text: &str) -> SourceFile {
        SourceFile { path: path.into(), text: text.into() }
    }

    fn options(md: MdOptions, release_texts: bool) -> Options {
        Options { md, today: jiff::civil::date(2026, 1, 1), release_texts, policy: Default::default() }
    }

    #[test]
    fn unchanged_files_are_not_parsed_again_and_keep_their_diagnostics() {
        let opts = options(MdOptions::default(), false);
        let good = file("content/guides/a.md", "---\ntitle: A\n---\nBody.\n");
        let bad = file("content/guides/b.md", "---\ntitel: B\n---\nBody.\n");
        let mut cache = Cache::default();
        let mut first_diags = Vec::new();
        let first = parse_cached(vec![good.clone(), bad.clone()], opts, &mut first_diags, &mut cache).parsed;
        assert!(!first_diags.is_empty());

        // The same texts (even as new allocations): the very same parse, the same diagnostics.
        let again = vec![file(&good.path, &good.text), bad.clone()];
        let mut diags = Vec::new();
        let second = parse_cached(again, opts, &mut diags, &mut cache).parsed;
        assert_eq!(diags, first_diags);
        assert!(Arc::ptr_eq(&first[0].body, &second[0].body), "reparsed an unchanged file");

        // An edited file is parsed again; a vanished one leaves the cache.
        let edited = file(&good.path, "---\ntitle: A\n---\nOther body.\n");
        let third = parse_cached(vec![edited], opts, &mut Vec::new(), &mut cache).parsed;
        assert!(!Arc::ptr_eq(&first[0].body, &third[0].body));
        assert_eq!(cache.files.len(), 1);

        // Other options, or another day: nothing is reused.
        let raw = options(MdOptions { allow_raw_html: true, ..opts.md }, false);
        let other = file(&good.path, "---\ntitle: A\n---\nOther body.\n");
        let fourth = parse_cached(vec![other.clone()], raw, &mut Vec::new(), &mut cache).parsed;
        assert!(!Arc::ptr_eq(&third[0].body, &fourth[0].body));
        let tomorrow = Options { today: jiff::civil::date(2026, 1, 2), ..raw };
        let fifth = parse_cached(vec![other], tomorrow, &mut Vec::new(), &mut cache).parsed;
        assert!(!Arc::ptr_eq(&fourth[0].body, &fifth[0].body));
    }

    #[test]
    fn a_build_lets_go_of_texts_that_nothing_needs_and_keeps_each_body_html() {
        let matter = "summary: S.\nreviewed: 2025-06-01\nreview_due: 2026-06-01\nsee_a_doctor:\n  - sign: High fever\n    urgency: soon\nsources:\n  - title: T\n    url: https://example.org/t\n";
        let guide = file("content/guides/a.md", &format!("---\ntitle: Guide A\n{matter}---\nSee [b](b.md).\n"));
        let broken = file("content/guides/b.md", &format!("---\ntitel: Guide B\n{matter}---\nBody.\n"));
        let overdue = file(
            "content/guides/c.md",
            &format!("---\ntitle: Guide C\n{}---\nBody.\n", matter.replace("2026-06-01", "2025-12-01")),
        );
        let term = file("content/symptoms/d.md", "---\ntitle: Term D\nsummary: S.\n---\nBody.\n");
        let files = vec![guide.clone(), broken.clone(), overdue.clone(), term.clone()];
        let mut diags = Vec::new();
        let out = parse(files.clone(), options(MdOptions::default(), true), &mut diags);
        let released: Vec<&str> =
            out.parsed.iter().filter(|p| p.text_released).map(|p| p.source.path.as_str()).collect();
        // Only the guide without a problem goes: `broken` has a schema error, `overdue` a review
        // warning (found while parsing, against `today`), and terms may be reported unused later.
        assert_eq!(released, ["content/guides/a.md"]);
        let kept: Vec<&str> = out.sources.iter().map(|f| f.path.as_str()).collect();
        assert_eq!(kept, [&broken.path, &overdue.path, &term.path]);
        assert!(diags.iter().any(|d| d.file == overdue.path && d.code == Code::ReviewOverdue), "{diags:?}");
        // The released guide renders from the HTML made while parsing, the same as from its text.
        let a = &out.parsed[0];
        assert!(a.source.text.is_empty() && a.body_has_html);
        let reparsed = markdown::parse("See [b](b.md).\n", MdOptions::default());
        assert_eq!(a.body_html(MdOptions::default()).html, reparsed.html);
        assert_eq!(a.body.slots, reparsed.slots);
        assert_eq!(a.body.slots.len(), 1, "the link's place in the HTML: {:?}", a.body.slots);

        // Without release, every text stays.
        let mut diags = Vec::new();
        let all = parse(files.clone(), options(MdOptions::default(), false), &mut diags);
        assert_eq!(all.sources.len(), files.len());
        assert!(all.parsed.iter().all(|p| !p.text_released && p.body_has_html));
    }

    #[test]
    fn a_kept_text_has_no_spare_room() {
        let mut roomy = String::with_capacity(100);
        roomy.push_str("<p>Body</p>");
        exact(&mut roomy);
        assert_eq!((roomy.as_str(), roomy.capacity()), ("<p>Body</p>", "<p>Body</p>".len()));
        let mut empty = String::with_capacity(100);
        exact(&mut empty);
        assert_eq!(empty.capacity(), 0);
        // A parsed body keeps its HTML without the room reserved while writing.
        let g = file("content/pages/p.md", "---\ntitle: Page P\n---\nSome **text** with [a link](q.md).\n");
        let out = parse(vec![g], options(MdOptions::default(), true), &mut Vec::new());
        let body = &out.parsed[0].body;
        assert!(!body.html.is_empty() && body.html.capacity() == body.html.len(), "{}", body.html.capacity());
    }

    #[test]
    fn a_check_alone_lets_go_of_the_same_texts_and_parses_the_same() {
        let matter = "summary: S.\nreviewed: 2025-06-01\nreview_due: 2026-06-01\nsee_a_doctor:\n  - sign: High fever\n    urgency: soon\nsources:\n  - title: T\n    url: https://example.org/t\n";
        let guide =
            file("content/guides/a.md", &format!("---\ntitle: Guide A\n{matter}---\nSee [b](b.md).\n\n## Part\n"));
        let broken = file("content/guides/b.md", &format!("---\ntitel: Guide B\n{matter}---\nBody.\n"));
        let term = file("content/symptoms/d.md", "---\ntitle: Term D\nsummary: S.\n---\nBody.\n");
        let files = vec![guide, broken.clone(), term.clone()];
        let check = MdOptions { skip_html: true, ..MdOptions::default() };
        let (mut kept_diags, mut released_diags) = (Vec::new(), Vec::new());
        let kept = parse(files.clone(), options(check, false), &mut kept_diags);
        let released = parse(files, options(check, true), &mut released_diags);
        // The plain path and the lean one find the same problems and the same parts of each file.
        assert_eq!(kept_diags, released_diags);
        assert!(!released_diags.is_empty());
        assert_eq!(kept.parsed.len(), released.parsed.len());
        for (k, r) in kept.parsed.iter().zip(&released.parsed) {
            assert_eq!((&k.source.path, k.kind, &k.id, k.body_offset), (&r.source.path, r.kind, &r.id, r.body_offset));
            assert_eq!(k.body, r.body);
            assert_eq!(format!("{:?}", k.matter), format!("{:?}", r.matter));
            assert_eq!(k.fingerprint, r.fingerprint);
            assert!(!r.body_has_html && r.body.html.is_empty());
        }
        // Only the guide without a problem lets go of its text; the others stay for the report.
        let gone: Vec<&str> =
            released.parsed.iter().filter(|p| p.text_released).map(|p| p.source.path.as_str()).collect();
        assert_eq!(gone, ["content/guides/a.md"]);
        assert!(released.parsed[0].source.text.is_empty());
        let left: Vec<&str> = released.sources.iter().map(|f| f.path.as_str()).collect();
        assert_eq!(left, [&broken.path, &term.path]);
    }
}

mod stored_tests {
    use super::super::*;

    fn file(path: &str, text: &str) -> SourceFile {
        SourceFile { path: path.into(), text: text.into() }
    }

    /// Records of `out`'s files, as a build keeps them, in file order.
    fn records(out: &Output, opts: Options) -> Vec<(String, Vec<u8>)> {
        out.parsed.iter().filter_map(|p| Some((p.source.path.clone(), record(p, opts)?))).collect()
    }

    /// `records` handed over as `write::Recall` does: those up to the path asked for, in order.
    fn recall(mut records: Vec<(String, Vec<u8>)>) -> impl FnMut(Option<&str>) -> Vec<(String, Vec<u8>)> {
        move |last| {
            let n = last.map_or(records.len(), |l| {
                records.iter().take_while(|(p, _)| std::path::Path::new(p) <= std::path::Path::new(l)).count()
            });
            records.drain(..n).collect()
        }
    }

    /// Parsing with kept records gives what the plain path gives, diagnostics included (those of
    /// the documents, and the review dates against today, which the records do not hold); a record
    /// kept under another key (an edit, other options) or damaged is not used.
    #[test]
    fn kept_documents_parse_as_the_plain_path_and_only_for_their_key() {
        let opts = Options {
            md: MdOptions::default(),
            today: jiff::civil::date(2026, 1, 1),
            release_texts: true,
            policy: Default::default(),
        };
        let matter = "summary: S [with a link](http://example.org).\nreviewed: 2025-01-01\nreview_due: 2025-06-01\nsee_a_doctor:\n  - sign: High *fever*\n    urgency: soon\nsources:\n  - title: T\n    url: https://example.org/t\n";
        let files = vec![
            file("content/guides/a.md", &format!("---\ntitle: Guide A\n{matter}---\nSee [b](http://b.example).\n")),
            file("content/guides/b.md", &format!("---\ntitel: Guide B\n{matter}---\n<b>raw</b>\n")),
            file("content/symptoms/c.md", "---\ntitle: Term C\nsummary: S.\n---\nBody.\n"),
        ];
        let (mut plain_diags, mut stored_diags) = (Vec::new(), Vec::new());
        let plain = parse(files.clone(), opts, &mut plain_diags);
        let kept = records(&plain, opts);
        assert_eq!(kept.len(), 3);
        let mut recall_all = recall(kept.clone());
        let stored = parse_stored(files.clone(), opts, &mut stored_diags, &mut recall_all);
        assert!(!stored.changed, "every file was kept");
        assert_eq!(stored_diags, plain_diags);
        assert!(plain_diags.iter().any(|d| d.code == Code::ReviewOverdue), "{plain_diags:?}");
        assert!(plain_diags.iter().any(|d| d.code == Code::InsecureLink), "{plain_diags:?}");
        let same = |a: &Output, b: &Output| {
            assert_eq!(a.parsed.len(), b.parsed.len());
            for (x, y) in a.parsed.iter().zip(&b.parsed) {
                assert_eq!(
                    (&x.source.path, &x.source.text, x.text_released),
                    (&y.source.path, &y.source.text, y.text_released)
                );
                assert_eq!(
                    (x.body.as_ref(), x.body_offset, x.fingerprint),
                    (y.body.as_ref(), y.body_offset, y.fingerprint)
                );
                assert_eq!(format!("{:?}{:?}", x.matter, x.inline), format!("{:?}{:?}", y.matter, y.inline));
            }
            let paths = |o: &Output| o.sources.iter().map(|f| f.path.clone()).collect::<Vec<_>>();
            assert_eq!(paths(a), paths(b));
        };
        same(&plain, &stored.output);

        // What was kept is used: a record with other HTML and another title under the right key
        // gives them.
        let mut forged = kept.clone();
        let mut p = plain.parsed[2].clone();
        let mut doc = p.body.as_ref().clone();
        doc.html = "<p>kept</p>".into();
        p.body = Arc::new(doc);
        let Some(Matter::Term(t)) = p.matter.as_deref() else { panic!("a term: {:?}", p.matter) };
        let mut t = t.as_ref().clone();
        t.title.value = "Kept".into();
        p.matter = Some(Arc::new(Matter::Term(Arc::new(t))));
        forged[2].1 = record(&p, opts).expect("a record");
        let out = parse_stored(files.clone(), opts, &mut Vec::new(), &mut recall(forged)).output;
        assert_eq!(out.parsed[2].body.html, "<p>kept</p>");
        assert!(matches!(out.parsed[2].matter.as_deref(), Some(Matter::Term(t)) if t.title.value == "Kept"));

        // A file edited, a record damaged, other options, a file gone: parsed as the plain path does.
        let mut edited = files.clone();
        edited[0] = file(&files[0].path, &files[0].text.replace("See", "Look at"));
        let mut damaged = kept.clone();
        damaged[1].1.truncate(20);
        let raw = Options { md: MdOptions { allow_raw_html: true, ..opts.md }, ..opts };
        for (files, kept, opts) in
            [(edited, kept.clone(), opts), (files.clone(), damaged, opts), (files.clone(), kept.clone(), raw)]
        {
            let (mut d1, mut d2) = (Vec::new(), Vec::new());
            let stored = parse_stored(files.clone(), opts, &mut d1, &mut recall(kept));
            assert!(stored.changed);
            same(&parse(files, opts, &mut d2), &stored.output);
            assert_eq!(d1, d2);
        }
        let stored = parse_stored(files[..2].to_vec(), opts, &mut Vec::new(), &mut recall(kept));
        assert!(stored.changed, "a record of a file gone is dropped");
    }
}

mod lines {
    use super::super::{Lines, line_ranges};

    /// The lines read one at a time are [`line_ranges`]' (the plain path), with every kind of
    /// line ending, empty lines, no ending, and an empty text.
    #[test]
    fn lines_one_at_a_time_are_the_line_ranges() {
        let texts = [
            "",
            "\n",
            "\r",
            "\r\n",
            "\n\n",
            "\r\r\n\n",
            "a",
            "a\n",
            "a\r\nb",
            "a\rb\r",
            "---\ntitle: x\n---\nbody\n",
            "---\r\ntitle: x\r\n---\r\n\r\nbody",
            "\n\n---\nx: 1\n...\n",
            "é\r\nпривет\n\r",
            "a\n\nb\r\n\r\nc",
        ];
        for text in texts {
            assert_eq!(Lines::new(text).collect::<Vec<_>>(), line_ranges(text), "{text:?}");
        }
    }
}
