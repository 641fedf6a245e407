//! The built-in theme and a site's `themes/` over it: a site without a theme folder builds with
//! the theme inside the binary; a site's file replaces only the built-in file of the same path;
//! template problems name the file that has them; `carebook theme diff|copy`.

use crate::support::{build_ok, copy_tree, options, preview, read_tree, repo};
use carebook::theme;
use std::collections::BTreeSet;
use std::path::Path;

/// A copy of the minimal fixture with no `themes/` folder.
fn bare_site() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    copy_tree(&repo().join("tests/fixtures/valid/minimal"), dir.path());
    assert!(!dir.path().join("themes").exists());
    dir
}

/// The built-in theme's file `rel` as text.
fn builtin(rel: &str) -> String {
    let (_, bytes) = theme::builtin().iter().find(|(r, _)| *r == rel).unwrap_or_else(|| panic!("no built-in {rel}"));
    String::from_utf8(bytes.to_vec()).expect("UTF-8")
}

fn write(root: &Path, rel: &str, text: &str) {
    let path = root.join(rel);
    std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
    std::fs::write(path, text).expect("write");
}

/// The output files that differ between two trees (or are in only one).
fn changed(a: &Path, b: &Path) -> BTreeSet<String> {
    let (a, b) = (read_tree(a), read_tree(b));
    let names: BTreeSet<&String> = a.keys().chain(b.keys()).collect();
    names.into_iter().filter(|n| a.get(*n) != b.get(*n)).cloned().collect()
}

#[test]
fn a_site_without_a_theme_folder_builds_with_the_builtin_theme() {
    let dir = bare_site();
    let out = build_ok(dir.path());
    let tree = read_tree(&out);
    for (rel, bytes) in theme::builtin().iter().filter(|(r, _)| r.starts_with("static/")) {
        assert_eq!(tree.get(*rel).map(Vec::as_slice), Some(*bytes), "{rel} is the built-in file");
    }
    let guide = String::from_utf8_lossy(&tree["guides/mastitis.html"]).to_string();
    assert!(guide.contains("static/style.css"), "{guide}");
    // The repository's theme folder is the built-in theme: the shipped fixtures build the same.
    let with_folder = tempfile::tempdir().expect("tempdir");
    copy_tree(dir.path(), with_folder.path());
    std::fs::remove_dir_all(with_folder.path().join("public")).expect("rm public");
    copy_tree(&repo().join("themes"), &with_folder.path().join("themes"));
    let out2 = build_ok(with_folder.path());
    let differ: Vec<_> = changed(&out, &out2).into_iter().filter(|p| p != ".carebook-build").collect();
    assert_eq!(differ, Vec::<String>::new(), "themes/default in the repository is the built-in theme");
}

#[test]
fn a_theme_named_in_carebook_toml_must_exist() {
    let dir = bare_site();
    let config = dir.path().join("carebook.toml");
    let text = std::fs::read_to_string(&config).expect("read");
    std::fs::write(&config, format!("theme = \"mine\"\n{text}")).expect("write");
    let err = match carebook::run(&options(dir.path()), carebook::Goal::Build, None) {
        Err(e) => format!("{e:#}"),
        Ok(_) => panic!("a missing theme folder is an error"),
    };
    assert!(err.contains("themes/mine") && err.contains("does not exist"), "{err}");
    // Its folder, with one template, is laid over the built-in theme.
    write(
        dir.path(),
        "themes/mine/templates/page.html",
        &builtin("templates/page.html").replace("<h1>", "<h1 data-mine>"),
    );
    let out = build_ok(dir.path());
    let about = std::fs::read_to_string(out.join("pages/about.html")).expect("about");
    assert!(about.contains("<h1 data-mine>"), "{about}");
}

/// A site's template replaces the built-in one of the same name and nothing else: only the pages
/// made with it change. The same for a static file.
#[test]
fn overriding_one_template_changes_only_its_pages() {
    let dir = bare_site();
    let root = dir.path();
    let plain = tempfile::tempdir().expect("tempdir");
    let mut opts = options(root);
    opts.out = Some(plain.path().join("out"));
    assert!(carebook::run(&opts, carebook::Goal::Build, None).expect("build").written.is_some());

    let symptom = builtin("templates/symptom.html");
    assert!(symptom.contains("<h1>{{ item.title }}</h1>"), "{symptom}");
    write(
        root,
        "themes/default/templates/symptom.html",
        &symptom.replace("<h1>{{ item.title }}</h1>", "<h1 class=\"site-own\">{{ item.title }}</h1>"),
    );
    write(
        root,
        "themes/default/static/icon.svg",
        &builtin("static/icon.svg").replace("<svg", "<svg data-site-own=\"1\""),
    );
    let custom = tempfile::tempdir().expect("tempdir");
    opts.out = Some(custom.path().join("out"));
    assert!(carebook::run(&opts, carebook::Goal::Build, None).expect("build").written.is_some());

    let (_, site) = preview(&options(root)).expect("check");
    let site = site.expect("no errors");
    let mut expected: BTreeSet<String> = site.symptoms.iter().map(|t| site.out_path(t.file).to_string()).collect();
    assert!(!expected.is_empty());
    expected.insert("static/icon.svg".into());
    // The service worker names its cache after every file.
    expected.insert("sw.js".into());
    let differ: BTreeSet<String> = changed(&plain.path().join("out"), &custom.path().join("out"))
        .into_iter()
        .filter(|p| p != ".carebook-build")
        .collect();
    assert_eq!(differ, expected, "only the symptom pages, the icon and sw.js changed");
    for page in expected.iter().filter(|p| p.ends_with(".html")) {
        let html = std::fs::read_to_string(custom.path().join("out").join(page)).expect("page");
        assert!(html.contains("<h1 class=\"site-own\">"), "{page}");
    }
}

/// A mistake in the site's template is reported in that file; a built-in template that the
/// site's templates use wrongly is reported in the built-in file, with how to change it.
#[test]
fn template_problems_name_the_file_that_has_them() {
    let dir = bare_site();
    let root = dir.path();
    write(
        root,
        "themes/default/templates/page.html",
        "{% extends \"base.html\" %}\n{% block content %}{{ page.title | nosuch }}{% endblock %}\n",
    );
    let outcome = carebook::run(&options(root), carebook::Goal::Build, None).expect("build runs");
    assert!(outcome.written.is_none());
    let short = outcome.report.render_short();
    assert!(short.contains("themes/default/templates/page.html:2:"), "{short}");
    assert!(short.contains("nosuch"), "{short}");

    // The site's base.html includes the built-in icon without saying which one.
    std::fs::remove_file(root.join("themes/default/templates/page.html")).expect("rm");
    let base = builtin("templates/base.html");
    let needle = "{% set icon = \"urgent\" %}{% include \"_icon.html\" %}";
    assert!(base.contains(needle), "{base}");
    write(root, "themes/default/templates/base.html", &base.replace(needle, "{% include \"_icon.html\" %}"));
    let outcome = carebook::run(&options(root), carebook::Goal::Build, None).expect("build runs");
    assert!(outcome.written.is_none());
    let human = outcome.report.render(carebook::report::Format::Human, false);
    assert!(human.contains("--> <built-in theme>/templates/_icon.html:"), "{human}");
    assert!(human.contains("carebook theme copy templates/_icon.html"), "{human}");
    assert!(human.contains("| <i class=\"icon icon-{{ icon }}\""), "the built-in line is shown: {human}");
}

/// The doctor index takes each tier's signs as one text (`tier.flags_html`: the fast path, no
/// template loop over thousands of signs); a theme that loops over `tier.flags` and writes each
/// sign's `flag.html` (the plain path) makes the same site, byte for byte.
#[test]
fn the_doctor_index_writes_its_signs_as_a_loop_over_them_would() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path();
    copy_tree(&repo().join("content"), &root.join("content"));
    std::fs::copy(repo().join("carebook.toml"), root.join("carebook.toml")).expect("copy carebook.toml");
    let plain = tempfile::tempdir().expect("tempdir");
    let mut opts = options(root);
    opts.out = Some(plain.path().join("out"));
    assert!(carebook::run(&opts, carebook::Goal::Build, None).expect("build").written.is_some());

    let card = builtin("templates/_care_card.html");
    let joined = "{%- if flag_mode == \"doctor\" %}{{ tier.flags_html | safe }}\n{%- else %}\n\
                  {%- for flag in tier.flags %}\n{%- if flag_mode == \"symptom\" %}";
    let looped = "{%- if true %}\n{%- for flag in tier.flags %}\n\
                  {%- if flag_mode == \"doctor\" %}{{ flag.html | safe }}\n{%- elif flag_mode == \"symptom\" %}";
    assert!(card.contains(joined), "{card}");
    write(root, "themes/default/templates/_care_card.html", &card.replace(joined, looped));
    let custom = tempfile::tempdir().expect("tempdir");
    opts.out = Some(custom.path().join("out"));
    assert!(carebook::run(&opts, carebook::Goal::Build, None).expect("build").written.is_some());

    let (a, b) = (plain.path().join("out"), custom.path().join("out"));
    let doctor = std::fs::read_to_string(a.join("when-to-see-a-doctor.html")).expect("doctor index");
    assert!(doctor.matches("<li><span class=\"flag-sign\">").count() > 20, "{doctor}");
    let differ: Vec<String> = changed(&a, &b).into_iter().filter(|p| p != ".carebook-build").collect();
    assert_eq!(differ, Vec::<String>::new(), "the looping theme makes the same site");
}
