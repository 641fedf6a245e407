use super::render::parser_options;
use super::*;
use pulldown_cmark::Parser;

/// `doc`'s HTML with each slot's value written in its place, in one pass.
///
/// `link(i)` returns the final RAW URL for `links[i]` (percent-encoded here with
/// [`encode_url`]), `id(i)` the final id for `headings[i]`; both are escaped
/// here for a double-quoted attribute (`& < > " '`). Footnote ids become `{id_prefix}fn-{N+1}` and
/// `{id_prefix}fnref-{N+1}`.
#[must_use]
fn fill(doc: &MdDoc, link: impl Fn(usize) -> String, id: impl Fn(&Heading) -> String, id_prefix: &str) -> String {
    fill_with(doc, |n, out| out.push_url(&link(n.0)), |h, out| out.push(&id(h)), Word::english, id_prefix)
}

pub(super) fn md(src: &str) -> MdDoc {
    parse(src, MdOptions::default())
}

/// Fill with links as `L{i}` and ids taken from the headings.
pub(super) fn filled(doc: &MdDoc) -> String {
    fill(doc, |i| doc.links.get(i).map_or("#".into(), |l| l.dest.clone()), |h| h.id.clone(), "")
}

/// The HTML with each slot shown as `cb-slot:N` (a link), `cb-id:N` (a heading), `cb-fn:N` or
/// `cb-fnref:N` (footnotes): where [`fill`] writes what.
fn marked(doc: &MdDoc) -> String {
    let mut out = String::new();
    let mut copied = 0;
    for s in &doc.slots {
        out.push_str(&doc.html[copied..s.at]);
        copied = s.at;
        let kind = match s.kind {
            SlotKind::Link => "slot",
            SlotKind::Id => "id",
            SlotKind::Fn => "fn",
            SlotKind::FnRef => "fnref",
            SlotKind::Word(w) => w.key(),
        };
        out.push_str(&format!("cb-{kind}:{}", s.n));
    }
    out.push_str(&doc.html[copied..]);
    out
}

pub(super) fn ids(doc: &MdDoc) -> Vec<&str> {
    doc.headings.iter().map(|h| h.id.as_str()).collect()
}

#[test]
fn heading_ids_are_unique_and_avoid_reserved() {
    let src = "# Signs\n## Signs\n## Signs\n# Sources\n# Step 3\n## signs-1\n# Fn 2\n# Step 100\n";
    let doc = md(src);
    assert_eq!(ids(&doc), ["signs", "signs-1", "signs-2", "sources-1", "step-3-1", "signs-1-1", "fn-2-1", "step-100"]);
    assert_eq!(doc.headings[0].level, 1);
    assert_eq!(doc.headings[1].level, 2);
    assert_eq!(&src[doc.headings[3].span.clone()], "# Sources\n");
}

/// Heading attributes (`{.class key=value}`, `{#id .class}`) are not Markdown here: braces are
/// text, so no word of a heading is ever dropped and nothing in braces is reported as HTML. Only
/// a closing `{#id}` alone is an id (below).
#[test]
fn braces_in_headings_are_text() {
    let cases = [
        ("## Cost x {y}\n", "Cost x {y}", "cost-x-y"),
        ("## Dose {adults}\n", "Dose {adults}", "dose-adults"),
        ("# When to worry {#worry .big}\n", "When to worry {#worry .big}", "when-to-worry-worry-big"),
        ("# {#worry}\n", "{#worry}", "worry"),
        ("# Worry{#glued}\n", "Worry{#glued}", "worry-glued"),
        ("# Worry {#a b}\n", "Worry {#a b}", "worry-a-b"),
        ("# Worry \\{#esc}\n", "Worry {#esc}", "worry-esc"),
        ("# Dose {.big onclick=alert(1)}\n", "Dose {.big onclick=alert(1)}", "dose-big-onclick-alert-1"),
    ];
    for raw in [false, true] {
        for (src, text, id) in cases {
            let doc = parse(src, MdOptions { allow_raw_html: raw, ..MdOptions::default() });
            assert_eq!(doc.problems, [], "{src:?}");
            assert_eq!(doc.headings[0].text, text, "{src:?}");
            assert_eq!(doc.headings[0].id, id, "{src:?}");
            let level = &src[..src.find(' ').unwrap_or(0)].len();
            assert_eq!(filled(&doc), format!("<h{level} id=\"{id}\">{text}</h{level}>\n"), "{src:?}");
        }
    }
}

/// In code or emphasis, `{#id}` is words of the heading.
#[test]
fn an_id_in_code_or_emphasis_is_text() {
    for (src, text, id, html) in [
        ("# Worry `{#code}`\n", "Worry {#code}", "worry-code", "Worry <code>{#code}</code>"),
        ("# Worry *{#em}*\n", "Worry {#em}", "worry-em", "Worry <em>{#em}</em>"),
    ] {
        let doc = md(src);
        assert_eq!((doc.headings[0].text.as_str(), doc.headings[0].id.as_str()), (text, id));
        assert_eq!(filled(&doc), format!("<h1 id=\"{id}\">{html}</h1>\n"));
    }
}

#[test]
fn heading_text_includes_code_and_breaks() {
    let doc = md("Use `ice` *now*\nplease\n===\n");
    assert_eq!(doc.headings[0].text, "Use ice now please");
    assert_eq!(doc.headings[0].id, "use-ice-now-please");
}

#[test]
fn links_and_images_in_order_with_spans() {
    let src = "See [guide](mastitis.md#x \"Title\") and ![photo](img/a.png).\n\n\
               [ref]: other.md\n\nA [ref] and <https://e.org> and <a@b.c>.\n";
    let doc = md(src);
    let dests: Vec<_> = doc.links.iter().map(|l| l.dest.as_str()).collect();
    assert_eq!(dests, ["mastitis.md#x", "img/a.png", "other.md", "https://e.org", "mailto:a@b.c"]);
    assert_eq!(doc.links[1].kind, LinkKind::Image);
    assert_eq!(&src[doc.links[0].span.clone()], "[guide](mastitis.md#x \"Title\")");
    assert!(src[doc.links[1].span.clone()].starts_with("!["));
    assert!(src[doc.links[2].span.clone()].starts_with('['));
    assert!(doc.problems.is_empty());
    assert!(marked(&doc).contains("<a href=\"cb-slot:0\" title=\"Title\">guide</a>"));
    assert!(marked(&doc).contains("<img src=\"cb-slot:1\" alt=\"photo\" />"));
    assert!(marked(&doc).contains("<a href=\"cb-slot:4\">a@b.c</a>"));
}

/// The link examples of the CommonMark spec (0.31.2, "Links", "Images", "Autolinks"), and
/// a few more: every href and src we write holds, once the browser has decoded the attribute,
/// exactly what pulldown-cmark's own HTML writer (`escape_href`) writes.
#[test]
fn hrefs_are_encoded_as_pulldown_cmark_writes_them() {
    let examples = [
        "[link](/uri \"title\")",
        "[link](/uri)",
        "[](./target.md)",
        "[link]()",
        "[link](<>)",
        "[link](</my uri>)",
        "[a](<b)c>)",
        "[link](\\(foo\\))",
        "[link](foo(and(bar)))",
        "[link](foo\\(and\\(bar\\))",
        "[link](<foo(and(bar)>)",
        "[link](foo\\)\\:)",
        "[link](#fragment)\n\n[link](https://example.com#fragment)\n\n[link](https://example.com?foo=3#frag)",
        "[link](foo\\bar)",
        "[link](foo%20b&auml;)",
        "[link](\"title\")",
        "[link](/url \"title \\\"&quot;\")",
        "[link](   /uri\n  \"title\"  )",
        "[link [foo [bar]]](/uri)",
        "[foo]: /url \"title\"\n\n[foo]",
        "[foo]\n\n[foo]: /f&ouml;&ouml; \"f&ouml;&ouml;\"",
        "[Foo bar]:\n<my url>\n'title'\n\n[Foo bar]",
        "[foo]: <bar>(baz)\n\n[foo]",
        "[foo]: /url\\bar\\*baz \"foo\\\"bar\\baz\"\n\n[foo]",
        "![foo](/url \"title\")",
        "![foo ![bar](/url)](/url2)",
        "![foo](<url>)",
        "<https://foo.bar.baz>",
        "<https://foo.bar.baz/test?q=hello&id=22&boolean>",
        "<MAILTO:FOO@BAR.BAZ>",
        "<https://../>",
        "<https://example.com/\\[\\>",
        "<foo@bar.example.com>",
        "<foo+special@Bar.baz-bar0.com>",
        "[link](/föö ö) [l](</a b\tc>) [q](a\"b) [t](a'b&c) [g](<a<b>) [p](a|b{c}^`d`) [u](%zz%2)",
        "[win](https://example.org/a\\b) [c](<https://example.org/ä ö?q=1&r=2>) [x](tel:+1 (555) 0100)",
    ];
    let attrs = |html: &str| -> Vec<String> {
        let doc = scraper::Html::parse_fragment(html);
        let sel = scraper::Selector::parse("[href], [src]").expect("selector");
        doc.select(&sel)
            .filter_map(|e| e.value().attr("href").or_else(|| e.value().attr("src")))
            .map(str::to_string)
            .collect()
    };
    let mut compared = 0;
    for src in examples {
        let doc = md(src);
        let ours = attrs(&filled(&doc));
        let mut theirs = String::new();
        pulldown_cmark::html::push_html(&mut theirs, Parser::new_ext(src, parser_options()));
        let theirs = attrs(&theirs);
        assert_eq!(ours.len(), theirs.len(), "{src:?}: {ours:?} vs {theirs:?}");
        for ((ours, theirs), link) in ours.iter().zip(&theirs).zip(&doc.links) {
            if scheme_of(&link.dest).is_some_and(|s| !["https:", "mailto:", "tel:"].contains(&s.as_str())) {
                continue; // refused: written as `#`
            }
            assert_eq!(ours, theirs, "{src:?}");
            compared += 1;
        }
    }
    assert!(compared >= 40, "{compared} compared");
}

#[test]
fn fill_round_trip() {
    let doc = md("# Hi\n\n[a](x.md) & ![b \"q\"](y.png)\n");
    let out = fill(&doc, |i| ["x.html?a=1&b=\"2\"", "y.png"][i].to_string(), |_| "top".to_string(), "");
    assert_eq!(
        out,
        "<h1 id=\"top\">Hi</h1>\n<p><a href=\"x.html?a=1&amp;b=%222%22\">a</a> &amp; \
         <img src=\"y.png\" alt=\"b &quot;q&quot;\" /></p>\n"
    );
}

#[test]
fn text_looking_like_a_placeholder_stays_text() {
    // carebook once marked slots with `cb-slot:N` in the HTML; text that looks like one is text.
    let src = "Text href=\"cb-slot:0\" and `id=\"cb-id:0\"` and src=&quot;cb-slot:0\" [x](y)\n";
    let doc = md(src);
    let out = fill(&doc, |_| "FILLED".into(), |_| "FILLED".into(), "");
    assert_eq!(out.matches("FILLED").count(), 1, "{out}");
    assert!(out.contains("href=&quot;cb-slot:0&quot;"));
    assert!(out.contains("<code>id=&quot;cb-id:0&quot;</code>"));
    assert!(out.contains("<a href=\"FILLED\">x</a>"), "{out}");
}

#[test]
fn raw_html_cannot_make_a_slot() {
    let opts = MdOptions { allow_raw_html: true, skip_html: false };
    let src = "<a href=\"cb-slot:0\">raw</a> <h2 id=\"cb-id:0\">raw</h2> [x](y.md)\n\n## Real\n";
    let doc = parse(src, opts);
    assert_eq!(doc.slots.len(), 2, "one link and one heading: {:?}", doc.slots);
    let out = fill(&doc, |_| "L".into(), |_| "I".into(), "");
    assert!(out.contains("<a href=\"cb-slot:0\">raw</a> <h2 id=\"cb-id:0\">raw</h2>"), "{out}");
    assert!(out.contains("<a href=\"L\">x</a>") && out.contains("<h2 id=\"I\">Real</h2>"), "{out}");
}

#[test]
fn raw_html_dropped_and_reported() {
    let src = "<div class=\"x\">\n  <b>hi</b>\n</div>\n\nText <span>in</span> line <!-- c -->\n";
    let doc = md(src);
    assert_eq!(filled(&doc), "<p>Text in line </p>\n");
    let snippets: Vec<_> = doc
        .problems
        .iter()
        .map(|p| match p {
            MdProblem::RawHtml { snippet, span } => {
                assert!(src[span.clone()].starts_with('<'));
                snippet.as_str()
            }
            _ => panic!("unexpected {p:?}"),
        })
        .collect();
    assert_eq!(snippets, ["<div class=\"x\">", "<span>", "</span>", "<!-- c -->"]);
}

#[test]
fn raw_html_snippet_is_short() {
    let long = format!("<p title=\"{}\">x</p>\n", "é".repeat(100));
    let doc = md(&long);
    match &doc.problems[0] {
        MdProblem::RawHtml { snippet, .. } => assert_eq!(snippet.chars().count(), 60),
        p => panic!("{p:?}"),
    }
}

#[test]
fn raw_html_passed_through_when_allowed() {
    let opts = MdOptions { allow_raw_html: true, ..MdOptions::default() };
    let doc = parse("<div>\nblock\n</div>\n\nText <b>in</b>\n", opts);
    assert!(doc.problems.is_empty());
    assert_eq!(filled(&doc), "<div>\nblock\n</div>\n<p>Text <b>in</b></p>\n");
}

#[test]
fn remote_image_is_a_problem_but_remote_link_is_not() {
    let doc = md("![x](https://cdn.example/a.png) ![y](//h/b.png) [z](https://e.org) ![w](HTTP://h)\n");
    let urls: Vec<_> = doc
        .problems
        .iter()
        .map(|p| match p {
            MdProblem::RemoteResource { url, .. } => url.as_str(),
            _ => panic!("{p:?}"),
        })
        .collect();
    assert_eq!(urls, ["https://cdn.example/a.png", "//h/b.png", "HTTP://h"]);
    assert!(marked(&doc).contains("src=\"cb-slot:0\""));
}

#[test]
fn unsafe_links() {
    let doc = md("[a](javascript:alert(1)) [b](<\tJaVa\tScRiPt:x>) ![c](data:image/png;base64,AA) \
         [d](vbscript:x) [e](java&#9;script:x) [ok](javascript.md)\n");
    let urls: Vec<_> = doc
        .problems
        .iter()
        .map(|p| match p {
            MdProblem::UnsafeLink { url, .. } => url.as_str(),
            _ => panic!("{p:?}"),
        })
        .collect();
    assert_eq!(urls.len(), 5, "{urls:?}");
    assert_eq!(urls[0], "javascript:alert(1)");
    assert_eq!(doc.links.len(), 6);
    let out = filled(&doc);
    assert!(out.contains("<a href=\"#\">a</a>"));
    assert!(out.contains("<img src=\"#\" alt=\"c\" />"));
    assert!(out.contains("<a href=\"javascript.md\">ok</a>"));
    assert!(!out.to_lowercase().contains("script:"));
}

/// Only relative links, `https:`, `http:` (a problem of its own: a warning), `mailto:` and
/// `tel:` are links; any other scheme, however a browser would spell it, is refused.
#[test]
fn link_schemes_are_allow_listed() {
    let allowed = "[a](https://e.org/x) [b](mailto:nurse@example.org) [c](tel:+44-20-7946-0000) \
                   [d](mastitis.md) [e](#x) [f](../pages/about.md#y) [g](a/b:c.md) <nurse@example.org> \
                   [h](HTTPS://E.ORG) ![i](pic.png)\n";
    let doc = md(allowed);
    assert_eq!(doc.problems, [], "{allowed}");
    let doc = md("[a](http://e.org/x) [b](<\tHtTp://e.org>)\n");
    let insecure: Vec<_> = doc
        .problems
        .iter()
        .map(|p| match p {
            MdProblem::InsecureLink { url, .. } => url.as_str(),
            _ => panic!("{p:?}"),
        })
        .collect();
    assert_eq!(insecure, ["http://e.org/x", "\tHtTp://e.org"]);
    assert!(filled(&doc).contains("<a href=\"http://e.org/x\">a</a>"), "an http link is still written");
    let refused = [
        ("file:///C:/Windows/System32/calc.exe", "file:"),
        ("ms-msdt:/id PCWDiagnostic", "ms-msdt:"),
        ("search-ms:query=invoice&crumb=location:evil", "search-ms:"),
        ("intent://scan/#Intent;scheme=zxing;end", "intent:"),
        ("livescript:alert(1)", "livescript:"),
        ("javascript:alert(1)", "javascript:"),
        ("\tJaVa\tScRiPt:alert(1)", "javascript:"),
        ("vbscript:msgbox", "vbscript:"),
        ("data:text/html;base64,PHNjcmlwdD4=", "data:"),
        ("ftp://files.example/x", "ftp:"),
        ("C:\\Users\\x.exe", "c:"),
        ("//evil.example/x", "//"),
        (r"\\\\evil.example\share", "//"),
        ("/\\evil.example", "//"),
    ];
    for (dest, scheme) in refused {
        let doc = md(&format!("[x](<{dest}>)\n"));
        match &doc.problems[..] {
            [MdProblem::UnsafeLink { url, scheme: s, .. }] => {
                assert_eq!((url, s.as_str()), (&doc.links[0].dest, scheme), "{dest}");
            }
            p => panic!("{dest}: {p:?}"),
        }
        assert_eq!(filled(&doc), "<p><a href=\"#\">x</a></p>\n", "{dest}");
    }
    // An image is a file of the site, or a remote resource (refused on its own).
    let doc = md("![a](tel:1) ![b](mailto:x@y.z) ![c](https://e.org/p.png)\n");
    let kinds: Vec<_> = doc
        .problems
        .iter()
        .map(|p| match p {
            MdProblem::UnsafeLink { scheme, .. } => scheme.as_str(),
            MdProblem::RemoteResource { .. } => "remote",
            _ => panic!("{p:?}"),
        })
        .collect();
    assert_eq!(kinds, ["tel:", "mailto:", "remote"]);
}

#[test]
fn footnotes_numbered_by_reference_and_prefixed() {
    let src = "[^late]: Defined first.\n\nA[^b] B[^late] C[^b] D[^nope]\n\n[^b]: Bee.\n\n[^unused]: Never.\n";
    let doc = md(src);
    assert_eq!(doc.footnotes, ["b", "late", "unused"]);
    let out = fill(&doc, |_| String::new(), |_| String::new(), "g-");
    assert_eq!(
        out,
        "<p>A<sup class=\"footnote-ref\"><a href=\"#g-fn-1\" id=\"g-fnref-1\">1</a></sup> \
         B<sup class=\"footnote-ref\"><a href=\"#g-fn-2\" id=\"g-fnref-2\">2</a></sup> \
         C<sup class=\"footnote-ref\"><a href=\"#g-fn-1\">1</a></sup> D[^nope]</p>\n\
         <section class=\"footnotes\">\n<ol>\n\
         <li id=\"g-fn-1\">\n<p>Bee. <a href=\"#g-fnref-1\" class=\"footnote-back\" aria-label=\"Back to reference 1\">↩</a></p>\n</li>\n\
         <li id=\"g-fn-2\">\n<p>Defined first. <a href=\"#g-fnref-2\" class=\"footnote-back\" aria-label=\"Back to reference 2\">↩</a></p>\n</li>\n\
         <li id=\"g-fn-3\">\n<p>Never.</p>\n</li>\n\
         </ol>\n</section>\n"
    );
    assert!(marked(&doc).contains("class=\"footnote-back\" aria-label=\"cb-footnote_back:1\">↩</a>"));
    let ru = fill_with(&doc, |_, _| {}, |_, _| {}, |_| "К ссылке {n} \"назад\"", "");
    assert!(ru.contains("aria-label=\"К ссылке 2 &quot;назад&quot;\">↩</a>"), "{ru}");
}

#[test]
fn footnote_edge_cases() {
    // Case-insensitive match, a second reference (no second id), nested refs.
    let doc = md("X[^A] ![alt [^a]](p.png)\n\n[^a]: See[^b]\n\n[^b]: Bee\n");
    assert_eq!(doc.footnotes, ["A", "b"]);
    assert!(marked(&doc).contains("<p>See<sup class=\"footnote-ref\"><a href=\"#cb-fn:1\""));
    assert_eq!(marked(&doc).matches("id=\"cb-fnref:").count(), 2);
}

#[test]
fn inline_footnote_and_email_fill() {
    let doc = parse_inline("Ask <nurse@example.org>[^1] or [^2].", MdOptions::default());
    let out = fill(&doc, |i| doc.links[i].dest.clone(), |_| String::new(), "");
    assert!(out.starts_with("Ask <a href=\"mailto:nurse@example.org\">nurse@example.org</a>[^1] or [^2]."));
    let doc = md("x[^n]\n\n[^n]: note\n");
    let out = fill(&doc, |_| String::new(), |_| String::new(), "");
    assert!(out.contains("<a href=\"#fn-1\" id=\"fnref-1\">1</a>"));
    assert!(out.contains("<li id=\"fn-1\">"));
}

#[test]
fn raw_html_in_alt_text() {
    let doc = md("![a <b>c</b>](x.png)\n");
    assert_eq!(doc.problems.len(), 2);
    assert!(marked(&doc).contains("alt=\"a c\""));
    let doc = parse("![a <b>c</b>](x.png)\n", MdOptions { allow_raw_html: true, ..MdOptions::default() });
    assert!(marked(&doc).contains("alt=\"a &lt;b&gt;c&lt;/b&gt;\""));
}

#[test]
fn alerts() {
    let doc = md("> [!WARNING]\n> Hot water burns.\n\n> plain\n");
    assert_eq!(
        marked(&doc),
        "<aside class=\"alert alert-warning\" role=\"note\">\n<p class=\"alert-title\">cb-alert_warning:0</p>\n\
         <p>Hot water burns.</p>\n</aside>\n<blockquote>\n<p>plain</p>\n</blockquote>\n"
    );
    for (k, t) in [("NOTE", "Note"), ("TIP", "Tip"), ("IMPORTANT", "Important"), ("CAUTION", "Caution")] {
        let doc = md(&format!("> [!{k}]\n> x\n"));
        assert!(
            filled(&doc)
                .contains(&format!("alert-{}\" role=\"note\">\n<p class=\"alert-title\">{t}</p>", k.to_lowercase()))
        );
    }
    // The title is the page's language's word, escaped; the search text has it only once filled.
    let doc = md("> [!TIP]\n> x\n");
    let ru = fill_with(&doc, |_, _| {}, |_, _| {}, |_| "Совет <b>", "");
    assert!(ru.contains("<p class=\"alert-title\">Совет &lt;b&gt;</p>"), "{ru}");
    assert_eq!(with_words(&doc, |_| "Совет"), ru.replace(" &lt;b&gt;", ""));
    assert!(matches!(with_words(&md("> x\n"), |_| "Совет"), Cow::Borrowed(_)));
}

#[test]
fn tables_wrapped() {
    let doc = md("| a | b |\n|---|--:|\n| 1 | 2 |\n");
    assert_eq!(
        marked(&doc),
        "<div class=\"table-wrap\" tabindex=\"0\" role=\"region\" aria-label=\"cb-table:0\"><table><thead><tr><th>a</th><th class=\"align-right\">b</th></tr></thead><tbody>\n\
         <tr><td>1</td><td class=\"align-right\">2</td></tr>\n</tbody></table>\n</div>\n"
    );
    assert!(
        filled(&doc)
            .starts_with("<div class=\"table-wrap\" tabindex=\"0\" role=\"region\" aria-label=\"Table\"><table>")
    );
    // A word in an attribute is no text for the search index.
    assert!(matches!(with_words(&doc, |_| "Таблица"), Cow::Borrowed(_)));
}

#[test]
fn inline_has_no_paragraph() {
    let doc = parse_inline("Apply *ice* for [20 min](timer.md)", MdOptions::default());
    assert_eq!(filled(&doc), "Apply <em>ice</em> for <a href=\"timer.md\">20 min</a>");
    let src = "      Keep `warm`\n\nsecond";
    let doc = parse_inline(src, MdOptions::default());
    assert_eq!(doc.html, "Keep <code>warm</code><br />\nsecond");
    let doc = parse_inline("  [x](y)", MdOptions::default());
    assert_eq!(doc.links[0].span, 2..8);
    // Block constructs do not break anything.
    let doc = parse_inline("# Head\n- a\n- b", MdOptions::default());
    assert_eq!(doc.headings.len(), 1);
    assert!(marked(&doc).contains("<ul>"));
}

#[test]
fn task_lists_strikethrough_and_text() {
    let doc = md("- [x] done ~~old~~\n- [ ] todo\n\n```sh\necho \"hi\" <b>\n```\n");
    assert!(
        marked(&doc)
            .contains("<span class=\"task task-done\" role=\"img\" aria-label=\"cb-task_done:0\">\u{2611}</span> done")
    );
    assert!(
        marked(&doc)
            .contains("<span class=\"task\" role=\"img\" aria-label=\"cb-task_not_done:0\">\u{2610}</span> todo")
    );
    assert!(
        filled(&doc).contains("<span class=\"task task-done\" role=\"img\" aria-label=\"done\">\u{2611}</span> done")
    );
    assert!(filled(&doc).contains("<span class=\"task\" role=\"img\" aria-label=\"not done\">\u{2610}</span> todo"));
    assert!(matches!(with_words(&doc, |_| "сделано"), Cow::Borrowed(_)));
    assert!(!marked(&doc).contains("<input"));
    assert!(marked(&doc).contains("<del>old</del>"));
    assert!(marked(&doc).contains("echo &quot;hi&quot; &lt;b&gt;"));
}

#[test]
fn slugs() {
    assert_eq!(slug("Hello, World!"), "hello-world");
    assert_eq!(slug("  --Fièvre & Çà  "), "fievre-ca");
    assert_eq!(slug("Straße über Øresund"), "strasse-uber-oresund");
    assert_eq!(slug("ÉCOLE"), "ecole");
    assert_eq!(slug("cafe\u{301}s"), "cafes");
    assert_eq!(slug("日本 guide"), "日本-guide");
    assert_eq!(slug("Когда к врачу?"), "когда-к-врачу");
    assert_eq!(slug("Ёлка"), "ёлка");
    assert_eq!(slug("Fever—when"), "fever-when");
    assert_eq!(slug("Don't"), "don-t");
    assert_eq!(slug(""), "section");
    assert_eq!(slug("!!! ???"), "section");
    assert_eq!(slug("日本"), "日本");
    assert_eq!(slug("Step 1"), "step-1");
}

#[test]
fn deterministic() {
    let src = "# A\n# A\n[^x] [^y]\n\n[^y]: y\n[^x]: x\n[a](b)\n";
    assert_eq!(md(src), md(src));
}

#[test]
fn never_panics_on_weird_input() {
    let deep_list: String = (0..500).map(|i| format!("{}- x\n", "  ".repeat(i))).collect();
    let deep_quote = format!("{}x\n", ">".repeat(5000));
    let deep_emph = format!("{}x{}", "*[".repeat(3000), "]*".repeat(3000));
    let inputs = [
        "",
        "   \n\t\n",
        "[unclosed](",
        "[^",
        "[^]",
        "[^x]:",
        "[^x]: [^x]\n\n[^x]",
        "> [!NOTE]",
        "> [!NOTE]\n>",
        "> [!WARNING]\n> > [!TIP]\n> > x",
        "a\r\nb\r\n\r\n# H\r\n",
        "nul\0char [\0](\0) ![\0](\0)\0",
        "# {#}",
        "# {#a}\n# {#a}",
        "![![![a](b)](c)](d)",
        "<!--",
        "<div",
        "| a |\n|---|\n| <b> | ![x](//y) |",
        "```\nunclosed",
        "[x]: <>\n[x]",
        "<a@b.c> <javascript:x>",
        "- [^a]\n\n[^a]: - [^a]\n  - nested",
        "[^STRASSE] [^ẞ]\n\n[^straße]: def\n[^ss]: x",
        "\u{feff}\u{200b}é",
        &deep_list,
        &deep_quote,
        &deep_emph,
    ];
    for s in inputs {
        for allow in [false, true] {
            let opts = MdOptions { allow_raw_html: allow, ..MdOptions::default() };
            for doc in [parse(s, opts), parse_inline(s, opts)] {
                let _ = filled(&doc);
                for l in &doc.links {
                    assert!(s.get(l.span.clone()).is_some());
                }
                for h in &doc.headings {
                    assert!(s.get(h.span.clone()).is_some());
                }
            }
        }
    }
    let doc = md(&deep_list);
    assert_eq!(marked(&doc).matches("<ul>").count(), 500);
}

#[test]
fn crlf_text() {
    let doc = md("Line one\r\nline two\r\n\r\n## Title\r\n");
    assert_eq!(doc.headings[0].text, "Title");
    assert_eq!(doc.headings[0].id, "title");
    assert!(doc.html.starts_with("<p>Line one\nline two</p>"));
}

/// A plain field's shortcut must give exactly what the parser gives.
fn same_as_parser(src: &str) {
    let doc = parse_inline(src, MdOptions::default());
    assert_eq!(plain_inline_html(src), doc.html, "{src:?}");
    assert!(doc.links.is_empty() && doc.problems.is_empty() && doc.headings.is_empty(), "{src:?}");
}

#[test]
fn plain_fields_render_as_the_parser_does() {
    let plain = [
        "Feed from the affected side first.",
        "Call your midwife: she can check the latch.",
        "Use a cool pack (wrapped in a cloth) for 10 minutes; not ice.",
        "Say \"it hurts\" if it hurts, and don't wait.",
        "Fever of 38 °C or more, or chills — see a doctor today.",
        "About 50% of mothers, see https://example.org/a?b=c or nurse@example.org",
        "Rest.  Two spaces inside stay.",
        "A. Lettered, (1) numbered, 'quoted' and ellipsis...",
        "Ünïcödé text, 日本語, emoji 🙂",
    ];
    for src in plain {
        assert!(is_plain_inline(src), "{src:?} should be plain");
        same_as_parser(src);
    }
    let not_plain = [
        "",
        " leading",
        "trailing ",
        "1. list",
        "- item",
        "+ item",
        "= x",
        "# title",
        "a *b*",
        "a_b_",
        "[l](x.md)",
        "<b>",
        "a & b",
        "a\nb",
        "a\tb",
        "x ~~y~~",
        "`code`",
        "a \\ b",
        "![i](x.png)",
        "a | b",
        "> quote",
        "a\u{85}b",
        "a\u{7f}b",
    ];
    for src in not_plain {
        assert!(!is_plain_inline(src), "{src:?} should not be plain");
    }
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(2000))]
    #[test]
    fn any_plain_field_renders_as_the_parser_does(src in "[a-zA-Z0-9 .,;:'\"()/?%@=+\\-*_<>&!#|~`\n\u{a0}é]{0,40}") {
        if is_plain_inline(&src) {
            same_as_parser(&src);
        }
    }

    #[test]
    fn mostly_plain_fields_render_as_the_parser_does(src in "[a-z][a-zA-Z0-9 .,;:'\"()/?%@=+\\-\u{a0}é]{0,60}[a-z.]") {
        proptest::prop_assert!(is_plain_inline(&src), "{:?} should be plain", src);
        same_as_parser(&src);
    }
}

#[test]
fn headings_under_a_reserved_prefix_get_an_id_and_parsing_ends() {
    let doc = md("## Guide fields\n\n## Site search tips\n\n# Guide x\n\n## Guide fields\n\n## Step 2\n");
    let ids: Vec<&str> = doc.headings.iter().map(|h| h.id.as_str()).collect();
    assert_eq!(
        ids,
        ["section-guide-fields", "section-site-search-tips", "section-guide-x", "section-guide-fields-1", "step-2-1"]
    );
}

/// Everything but the HTML, as `check` (no HTML) and `render` (HTML) see it.
fn same_without_html(src: &str) {
    for raw in [false, true] {
        let with = parse(src, MdOptions { allow_raw_html: raw, skip_html: false });
        let without = parse(src, MdOptions { allow_raw_html: raw, skip_html: true });
        assert!(without.html.is_empty());
        assert_eq!(MdDoc { html: String::new(), slots: Vec::new(), ..with }, without, "{src:?}");
    }
}

#[test]
fn parsing_without_html_records_what_parsing_with_html_records() {
    let tricky = [
        "# A\n\n## A\n\nText[^n] and [^m].\n\n[^n]: Note with [a link](x.md) and\n\n    # no heading\n\n[^m]: ## Heading in a note\n",
        "> [!WARNING]\n> Fever \"high\" <b>bold</b>\n\n![img](http://x/y.png) [js](javascript:alert(1))\n",
        "| a | b |\n|---|---|\n| `c\"` | <i>d</i> |\n\n- [ ] task\n- [x] done ~~old~~\n\n<!-- c -->\n<div>\nblock\n</div>\n",
        "# Title {#custom .cls key=val}\n\n[^x]\n\n[^x]: ![alt *em*](p.png \"t\")\n[^y]: unused\n",
    ];
    for src in tricky {
        same_without_html(src);
    }
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = 0;
    for dir in ["content", "tests/fixtures"] {
        for entry in walkdir::WalkDir::new(root.join(dir)).into_iter().flatten() {
            if entry.path().extension().is_some_and(|e| e == "md")
                && let Ok(text) = std::fs::read_to_string(entry.path())
            {
                same_without_html(&text);
                files += 1;
            }
        }
    }
    assert!(files > 100, "only {files} files");
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(1000))]
    #[test]
    fn any_text_records_the_same_with_and_without_html(
        src in "([#>*_`\\[\\]()!<>|~^:\"a-z0-9 -]|\n|\n\n|\\[\\^n\\]|\\[\\^n\\]: |<b>|</b>|# |- |1\\. |    ){0,40}"
    ) {
        same_without_html(&src);
    }
}
