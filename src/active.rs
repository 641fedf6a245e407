//! Active files: files a browser would run as a page or script on the site's own address (or a
//! web server would run as a program), which a site never publishes as they are (`active-file`).
//!
//! Most are told by name ([`active_name`]). An SVG image is accepted when its text shows it can do
//! nothing but draw ([`scan_svg`]): no script, event handler, `javascript:` address, embedded
//! HTML (`<foreignObject>`, the XHTML namespace), stylesheet or entity tricks, and no reference to
//! any other file or site.

use std::ops::Range;

/// Extensions of active files, each with what it is; a name is active when any of its extensions
/// is listed (servers such as Apache give `x.html.en` or `x.php.txt` the first type they know).
const ACTIVE: &[(&[&str], &str)] = &[
    (&["html", "htm", "xhtml", "xht", "shtml", "shtm", "stm", "mht", "mhtml", "hta"], "an HTML page runs its script"),
    (&["xml", "xsl", "xslt", "rss", "atom", "rdf"], "XML documents can carry HTML and script"),
    (&["svgz"], "a compressed SVG image cannot be checked"),
    (&["js", "mjs", "cjs"], "a script"),
    (&["swf"], "a Flash file"),
    (
        &["php", "php3", "php4", "php5", "php7", "phtml", "phar", "asp", "aspx", "jsp", "jspx", "cgi"],
        "a web server may run it as a program",
    ),
];

/// Why a file named `path` is active, going by its name alone (`` `.xml`: XML documents can carry
/// HTML and script ``); `None` when its name is harmless (an `.svg` is then judged by [`scan_svg`]).
#[must_use]
pub(crate) fn active_name(path: &str) -> Option<String> {
    let name = path.rsplit('/').next().unwrap_or(path);
    if name.ends_with(['.', ' ']) {
        return Some(
            "its name ends with a dot or a space, which Windows and some web servers drop: \
             `x.html.` is served as `x.html`"
                .to_string(),
        );
    }
    let lower = name.to_ascii_lowercase();
    let extensions: Vec<&str> = lower.split('.').skip(1).collect();
    for ext in &extensions {
        if let Some((_, what)) = ACTIVE.iter().find(|(list, _)| list.contains(ext)) {
            return Some(format!("`.{ext}`: {what}"));
        }
    }
    // `x.svg.gz`, `x.svg.en`: served as SVG by some servers, but not checked as one.
    if extensions.len() > 1 && extensions[..extensions.len() - 1].contains(&"svg") {
        return Some("`.svg.`: an SVG image under another ending cannot be checked".to_string());
    }
    None
}

/// Whether a file is an SVG image, whose text [`scan_svg`] must judge.
#[must_use]
pub(crate) fn is_svg(path: &str) -> bool {
    path.rsplit('/').next().unwrap_or(path).to_ascii_lowercase().ends_with(".svg")
}

/// Something in an SVG image that makes it active.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Finding {
    /// What it is, in plain words (`an event handler (`onload`)`).
    pub(crate) what: String,
    /// Where it is, as bytes of the file's text.
    pub span: Range<usize>,
}

/// The first thing in the SVG `text` that could run script, embed a page or load anything from
/// another file or site; `None` when the image can only draw. Conservative: what it cannot read
/// (CSS escapes, a DOCTYPE with its own definitions) counts as active.
#[must_use]
pub fn scan_svg(text: &str) -> Option<Finding> {
    let found = |what: String, span: Range<usize>| Some(Finding { what, span });
    let bytes = text.as_bytes();
    let lower = text.to_ascii_lowercase();
    let mut i = 0;
    // Inside a `<style>` element: its text is a style sheet.
    let mut in_style = false;
    while let Some(rel) = memchr::memchr(b'<', &bytes[i..]) {
        let start = i + rel;
        let rest = &lower[start..];
        let end_of = |close: &str| rest.find(close).map_or(text.len(), |e| start + e + close.len());
        if rest.starts_with("<!--") {
            i = end_of("-->");
            continue;
        }
        if rest.starts_with("<![cdata[") {
            let end = end_of("]]>");
            if in_style && let Some(f) = scan_text(text, start..end) {
                return Some(f);
            }
            i = end;
            continue;
        }
        if rest.starts_with("<!") {
            let end = end_of(">");
            if lower[start..end].contains('[') || rest.starts_with("<!entity") {
                return found("a DOCTYPE with its own definitions, which can hide markup".into(), start..end);
            }
            i = end;
            continue;
        }
        if rest.starts_with("<?") {
            let end = end_of("?>");
            if rest.starts_with("<?xml-stylesheet") {
                let what = "a stylesheet instruction (`<?xml-stylesheet`), which can turn it into a page";
                return found(what.into(), start..end);
            }
            i = end;
            continue;
        }
        let (tag, end) = tag_at(text, start);
        in_style = false;
        if let Some(tag) = tag {
            if let Some(f) = scan_tag(text, &tag) {
                return Some(f);
            }
            in_style = local_name(text, &tag.name) == "style" && !text[..end].ends_with("/>");
        }
        if in_style {
            let next = memchr::memchr(b'<', &bytes[end..]).map_or(text.len(), |n| end + n);
            if let Some(f) = scan_text(text, end..next) {
                return Some(f);
            }
        }
        i = end.max(start + 1);
    }
    None
}

/// The lower-case name of an element or attribute without its namespace prefix.
fn local_name(text: &str, r: &Range<usize>) -> String {
    let name = text.get(r.clone()).unwrap_or("").to_ascii_lowercase();
    name.rsplit(':').next().unwrap_or("").to_string()
}

/// An element's start tag: its name and attributes, with byte ranges.
struct Tag {
    name: Range<usize>,
    attrs: Vec<(Range<usize>, Range<usize>)>,
}

/// Reads the tag starting at `start` (a `<`); returns it (`None` for an end tag) and where it ends.
fn tag_at(text: &str, start: usize) -> (Option<Tag>, usize) {
    let b = text.as_bytes();
    let is_space = |c: u8| c.is_ascii_whitespace();
    let name_end = |mut j: usize| {
        while j < b.len() && !is_space(b[j]) && !matches!(b[j], b'>' | b'/' | b'=') {
            j += 1;
        }
        j
    };
    let mut j = start + 1;
    let end_tag = b.get(j) == Some(&b'/');
    if end_tag {
        j += 1;
    }
    let name = j..name_end(j);
    j = name.end;
    let mut attrs = Vec::new();
    loop {
        while j < b.len() && (is_space(b[j]) || b[j] == b'/') {
            j += 1;
        }
        if j >= b.len() || b[j] == b'>' {
            break;
        }
        let attr = j..name_end(j).max(j + 1);
        j = attr.end;
        while j < b.len() && is_space(b[j]) {
            j += 1;
        }
        let mut value = j..j;
        if b.get(j) == Some(&b'=') {
            j += 1;
            while j < b.len() && is_space(b[j]) {
                j += 1;
            }
            match b.get(j) {
                Some(&q @ (b'"' | b'\'')) => {
                    let close = memchr::memchr(q, &b[j + 1..]).map_or(b.len(), |e| j + 1 + e);
                    value = j + 1..close;
                    j = (close + 1).min(b.len());
                }
                _ => {
                    let e = name_end(j);
                    value = j..e;
                    j = e;
                }
            }
        }
        attrs.push((attr, value));
    }
    let end = (j + 1).min(b.len());
    ((!end_tag).then_some(Tag { name, attrs }), end)
}

/// Elements that run script, embed a page or another document.
const ACTIVE_ELEMENTS: &[&str] =
    &["script", "foreignobject", "iframe", "frame", "embed", "object", "handler", "listener", "portal", "base"];

/// Checks one start tag.
fn scan_tag(text: &str, tag: &Tag) -> Option<Finding> {
    let local = |r: &Range<usize>| local_name(text, r);
    let element = local(&tag.name);
    if ACTIVE_ELEMENTS.contains(&element.as_str()) {
        let what = format!("a `<{}>` element", text.get(tag.name.clone()).unwrap_or(""));
        return Some(Finding { what, span: tag.name.start - 1..tag.name.end });
    }
    for (name, value) in &tag.attrs {
        let attr = local(name);
        let raw_name = text.get(name.clone()).unwrap_or("");
        let raw = text.get(value.clone()).unwrap_or("");
        let decoded = crate::text::decode_references(raw, &[]);
        // As a browser reads an address: no spaces or control characters, any case.
        let squeezed: String =
            decoded.chars().filter(|c| !c.is_whitespace() && !c.is_control()).collect::<String>().to_ascii_lowercase();
        let span = name.start..value.end.max(name.end);
        let found = |what: String| Some(Finding { what, span: span.clone() });
        if attr.starts_with("on") {
            return found(format!("an event handler (`{raw_name}`)"));
        }
        if ["javascript:", "vbscript:", "livescript:"].iter().any(|s| squeezed.contains(s)) {
            return found(format!("a script address in `{raw_name}`"));
        }
        if raw_name.to_ascii_lowercase().starts_with("xmlns") && squeezed.contains("w3.org/1999/xhtml") {
            return found("the HTML namespace, which embeds a web page".into());
        }
        if attr == "attributename" {
            let target = squeezed.rsplit(':').next().unwrap_or("");
            if target == "href" || target.starts_with("on") {
                return found(format!("an animation that changes `{decoded}`"));
            }
        }
        if (attr == "href" || attr == "src") && !squeezed.is_empty() && !squeezed.starts_with('#') {
            let image = ["data:image/png;", "data:image/jpeg;", "data:image/gif;", "data:image/webp;"];
            if !image.iter().any(|p| squeezed.starts_with(p)) {
                let shown: String = decoded.chars().take(60).collect();
                return found(format!("a reference to another file or site (`{raw_name}=\"{shown}\"`)"));
            }
        }
        if attr == "style"
            && let Some(f) = scan_text(text, value.clone())
        {
            return Some(f);
        }
    }
    None
}

/// Checks text that may hold CSS (a `<style>` element, a `style` attribute): every `url(…)` must
/// point inside the image (`url(#id)`), and nothing may be imported or escaped.
fn scan_text(text: &str, range: Range<usize>) -> Option<Finding> {
    let part = text.get(range.clone())?;
    let lower = part.to_ascii_lowercase();
    let at = |offset: usize, len: usize| range.start + offset..(range.start + offset + len).min(range.end);
    if let Some(o) = lower.find("@import") {
        return Some(Finding { what: "a style sheet import (`@import`)".into(), span: at(o, 7) });
    }
    if let Some(o) = lower.find('\\') {
        return Some(Finding { what: "a CSS escape (`\\`), which cannot be checked".into(), span: at(o, 1) });
    }
    for (o, _) in lower.match_indices("url(") {
        let target = lower[o + 4..].trim_start_matches(|c: char| c.is_whitespace() || c == '"' || c == '\'');
        if !target.starts_with('#') {
            return Some(Finding { what: "a reference to another file or site (`url(…)`)".into(), span: at(o, 4) });
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_that_are_active() {
        for name in [
            "x.html",
            "X.HTM",
            "page.xhtml",
            "a.shtml",
            "saved.mht",
            "data.xml",
            "t.xsl",
            "t.xslt",
            "d.svgz",
            "app.js",
            "m.mjs",
            "x.html.",
            "x.pdf ",
            "x.html.en",
            "x.php.txt",
            "d.svg.gz",
            "content/pages/a.b/run.PHP",
        ] {
            assert!(active_name(name).is_some(), "{name}");
        }
        for name in
            ["a.pdf", "a.png", "diagram.svg", "notes.txt", "README", "x.html-notes.pdf", "v1.2.pdf", "a.b/c.png"]
        {
            assert_eq!(active_name(name), None, "{name}");
        }
    }

    /// What an SVG exported by a drawing program holds: accepted.
    const PLAIN: &str = r##"<?xml version="1.0" encoding="UTF-8" standalone="no"?>
<!-- Created with Inkscape -->
<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">
<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"
     xmlns:inkscape="http://www.inkscape.org/namespaces/inkscape" width="100" height="100" viewBox="0 0 100 100">
  <title>Breast, side view</title>
  <defs><linearGradient id="g"><stop offset="0" stop-color="#fce"/></linearGradient>
    <style>.duct { stroke: #c36; fill: url( '#g' ); }</style></defs>
  <inkscape:grid type="xygrid"/>
  <g id="ducts" style="fill:url(#g);stroke-width:2">
    <path class="duct" d="M10 10 L90 90"/><use xlink:href="#ducts" x="5"/>
    <image href="data:image/png;base64,iVBORw0KGgo=" width="1" height="1"/>
    <text x="5" y="95">Milk ducts &amp; lobes</text>
  </g>
</svg>
"##;

    #[test]
    fn a_drawing_is_accepted() {
        assert_eq!(scan_svg(PLAIN), None);
        assert_eq!(scan_svg(""), None);
        // Outside a style sheet, text is only text.
        assert_eq!(scan_svg("<svg><text>C:\\ or url(x) or @import</text></svg>"), None);
    }

    #[test]
    fn anything_that_could_run_or_load_is_found_where_it_is() {
        let cases = [
            ("<script>alert(1)</script>", "`<script>` element", "<script"),
            ("<svg:script href='x.js'/>", "`<svg:script>` element", "<svg:script"),
            ("<g onload=\"alert(1)\"/>", "event handler (`onload`)", "onload=\"alert(1)"),
            ("<g ONCLICK = 'x'/>", "event handler (`ONCLICK`)", "ONCLICK = 'x"),
            (
                "<a xlink:href=\"javascript:alert(1)\"><text>x</text></a>",
                "script address",
                "xlink:href=\"javascript:alert(1)",
            ),
            (
                "<a href=\"&#106;ava&#x09;script&#58;alert(1)\"/>",
                "script address",
                "href=\"&#106;ava&#x09;script&#58;alert(1)",
            ),
            (
                // XML takes any number of leading zeros in a character reference.
                "<a href=\"&#x000000000006A;&#00000000000097;vascript:alert(1)\"/>",
                "script address",
                "href=\"&#x000000000006A;&#00000000000097;vascript:alert(1)",
            ),
            (
                "<a><set attributeName=\"href\" to=\"https://e.org\"/></a>",
                "animation that changes `href`",
                "attributeName=\"href",
            ),
            ("<animate values=\"0;javascript:alert(1)\"/>", "script address", "values=\"0;javascript:alert(1)"),
            ("<foreignObject><p>x</p></foreignObject>", "`<foreignObject>` element", "<foreignObject"),
            (
                "<g xmlns:h=\"http://www.w3.org/1999/xhtml\"><h:img src=x /></g>",
                "HTML namespace",
                "xmlns:h=\"http://www.w3.org/1999/xhtml",
            ),
            ("<use href=\"other.svg#a\"/>", "reference to another file or site", "href=\"other.svg#a"),
            (
                "<image href=\"https://tracker.example/p.png\"/>",
                "reference to another file or site",
                "href=\"https://tracker.example/p.png",
            ),
            (
                "<use href=\"data:image/svg+xml;base64,PHN2Zz4=\"/>",
                "reference to another file",
                "href=\"data:image/svg+xml;base64,PHN2Zz4=",
            ),
            ("<style>@import 'x.css';</style>", "`@import`", "@import"),
            ("<style><![CDATA[ g { fill: url(https://e.org/a.svg#p) } ]]></style>", "`url(…)`", "url("),
            ("<g style=\"fill: url(x.svg#p)\"/>", "`url(…)`", "url("),
            ("<style>g { \\75 rl(https://e.org) }</style>", "CSS escape", "\\"),
            (
                "<!DOCTYPE svg [ <!ENTITY x \"<script>\"> ]><svg>&x;</svg>",
                "DOCTYPE",
                "<!DOCTYPE svg [ <!ENTITY x \"<script>",
            ),
            (
                "<?xml-stylesheet type=\"text/xsl\" href=\"#s\"?><svg/>",
                "stylesheet instruction",
                "<?xml-stylesheet type=\"text/xsl\" href=\"#s\"?>",
            ),
            ("<iframe src=\"#x\"/>", "`<iframe>` element", "<iframe"),
        ];
        for (inner, what, at) in cases {
            let svg = format!("<svg xmlns=\"http://www.w3.org/2000/svg\">\n  {inner}\n</svg>\n");
            let f = scan_svg(&svg).unwrap_or_else(|| panic!("not found in {inner}"));
            assert!(f.what.contains(what), "{inner}: {}", f.what);
            assert_eq!(&svg[f.span.clone()], at, "{inner}");
        }
    }

    #[test]
    fn odd_text_does_not_panic() {
        for s in [
            "<",
            "<a",
            "<a b",
            "<a b=",
            "<a b=\"",
            "<!--",
            "<![CDATA[",
            "<!",
            "<?",
            "&#xffffffff;",
            "é<é é=é>",
            "<a href='#x",
        ] {
            let _ = scan_svg(s);
        }
    }
}
