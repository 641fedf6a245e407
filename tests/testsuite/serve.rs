//! `carebook serve` end to end: a server on a free port against a temporary copy of a fixture site,
//! driven through the library ([`Server::start`]) and spoken to over raw TCP.
//!
//! Every wait is bounded ([`TIMEOUT`]) and polls or reads events; no test sleeps a fixed time and
//! then asserts.

use crate::support;

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::Path;
use std::time::{Duration, Instant};

use carebook::serve::{Server, Settings};
use serde_json::Value;

/// The longest any wait may take, on a slow and busy machine.
const TIMEOUT: Duration = Duration::from_secs(20);

const GUIDE: &str = "content/guides/mastitis.md";
const PAGE: &str = "/guides/mastitis.html";

/// A temporary copy of the minimal fixture site, with the repository's themes.
fn site() -> tempfile::TempDir {
    support::temp_site(&support::repo().join("tests/fixtures/valid/minimal"))
}

/// Starts serving `root` on a free port.
fn serve(root: &Path) -> Server {
    serve_with(root, |_| {})
}

/// Starts serving `root` on a free port, with changed settings.
fn serve_with(root: &Path, change: impl FnOnce(&mut Settings)) -> Server {
    let mut settings = Settings::new(SocketAddr::from(([127, 0, 0, 1], 0)));
    change(&mut settings);
    Server::start(support::options(root), settings).expect("serve starts")
}

/// Replaces `from` by `to` in the file `rel` under `root`.
fn edit(root: &Path, rel: &str, from: &str, to: &str) {
    let path = root.join(rel);
    let text = std::fs::read_to_string(&path).expect("read file to edit");
    assert!(text.contains(from), "{rel} does not contain {from:?}");
    std::fs::write(&path, text.replacen(from, to, 1)).expect("write edited file");
}

/// An HTTP response.
#[derive(Debug)]
struct Response {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Response {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }

    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// Sends `request` as is and reads the response until the server closes the connection.
fn raw(addr: SocketAddr, request: &[u8]) -> Response {
    let mut stream = TcpStream::connect(addr).expect("connect");
    stream.set_read_timeout(Some(TIMEOUT)).expect("timeout");
    stream.write_all(request).expect("send request");
    let mut bytes = Vec::new();
    stream.read_to_end(&mut bytes).expect("read response");
    parse_response(&bytes)
}

/// Parses a whole HTTP/1.1 response (with a plain or chunked body).
fn parse_response(bytes: &[u8]) -> Response {
    let end =
        find(bytes, b"\r\n\r\n").unwrap_or_else(|| panic!("no header end in {:?}", String::from_utf8_lossy(bytes)));
    let head = String::from_utf8_lossy(&bytes[..end]).into_owned();
    let mut lines = head.split("\r\n");
    let status_line = lines.next().expect("status line");
    let status = status_line.split(' ').nth(1).and_then(|s| s.parse().ok()).expect("status code");
    let headers: Vec<(String, String)> =
        lines.filter_map(|l| l.split_once(':')).map(|(n, v)| (n.trim().to_string(), v.trim().to_string())).collect();
    let mut response = Response { status, headers, body: bytes[end + 4..].to_vec() };
    if response.header("transfer-encoding").is_some_and(|v| v.eq_ignore_ascii_case("chunked")) {
        let mut chunked = std::mem::take(&mut response.body);
        response.body = dechunk(&mut chunked);
    }
    response
}

/// Decodes the complete chunks at the start of `raw`, removing them from it.
fn dechunk(raw: &mut Vec<u8>) -> Vec<u8> {
    let mut out = Vec::new();
    while let Some(line_end) = find(raw, b"\r\n") {
        let size_text = String::from_utf8_lossy(&raw[..line_end]).into_owned();
        let size = usize::from_str_radix(size_text.split(';').next().unwrap_or("").trim(), 16).expect("chunk size");
        if raw.len() < line_end + 2 + size + 2 {
            break;
        }
        out.extend_from_slice(&raw[line_end + 2..line_end + 2 + size]);
        raw.drain(..line_end + 2 + size + 2);
        if size == 0 {
            break;
        }
    }
    out
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// `GET path`.
fn get(addr: SocketAddr, path: &str) -> Response {
    get_as(addr, "127.0.0.1", path)
}

/// `GET path` with the `Host` header `host`.
fn get_as(addr: SocketAddr, host: &str, path: &str) -> Response {
    raw(addr, format!("GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n").as_bytes())
}

/// The status JSON (the overlay's payload).
fn status(addr: SocketAddr) -> Value {
    let response = get(addr, "/__carebook/status");
    assert_eq!(response.status, 200);
    assert_eq!(response.header("content-type"), Some("application/json"));
    serde_json::from_slice(&response.body).expect("status is JSON")
}

/// Polls `check` until it gives a value, for at most [`TIMEOUT`].
fn wait_for<T>(what: &str, mut check: impl FnMut() -> Option<T>) -> T {
    let deadline = Instant::now() + TIMEOUT;
    loop {
        if let Some(v) = check() {
            return v;
        }
        assert!(Instant::now() < deadline, "timed out after {TIMEOUT:?} waiting for {what}");
        std::thread::sleep(Duration::from_millis(25));
    }
}

/// A client of the server-sent event stream (what the live-reload script listens to).
struct Events {
    stream: TcpStream,
    /// Received bytes not yet decoded (headers, then chunks).
    raw: Vec<u8>,
    /// Decoded event-stream text not yet split into events.
    text: String,
    headers_done: bool,
}

impl Events {
    fn connect(addr: SocketAddr) -> Events {
        let mut stream = TcpStream::connect(addr).expect("connect");
        let request = "GET /__carebook/events HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n";
        stream.write_all(request.as_bytes()).expect("send request");
        Events { stream, raw: Vec::new(), text: String::new(), headers_done: false }
    }

    /// The next event as (name, JSON data), waiting at most until `deadline`; `None` when the
    /// stream ends.
    fn next(&mut self, deadline: Instant) -> Option<(String, Value)> {
        loop {
            if let Some(end) = self.text.find("\n\n") {
                let frame: String = self.text.drain(..end + 2).collect();
                let mut name = String::from("message");
                let mut data = Vec::new();
                for line in frame.lines() {
                    if let Some(v) = line.strip_prefix("event:") {
                        name = v.trim().to_string();
                    } else if let Some(v) = line.strip_prefix("data:") {
                        data.push(v.strip_prefix(' ').unwrap_or(v).to_string());
                    }
                }
                if data.is_empty() {
                    continue; // a keep-alive comment
                }
                let value = serde_json::from_str(&data.join("\n")).expect("event data is JSON");
                return Some((name, value));
            }
            let left = deadline.saturating_duration_since(Instant::now());
            assert!(!left.is_zero(), "timed out after {TIMEOUT:?} waiting for an event");
            self.stream.set_read_timeout(Some(left)).expect("timeout");
            let mut buf = [0u8; 8192];
            let n = match self.stream.read(&mut buf) {
                Ok(n) => n,
                Err(e) if matches!(e.kind(), std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut) => {
                    panic!("timed out after {TIMEOUT:?} waiting for an event")
                }
                Err(e) => panic!("reading events: {e}"),
            };
            if n == 0 {
                return None;
            }
            self.raw.extend_from_slice(&buf[..n]);
            if !self.headers_done {
                let Some(end) = find(&self.raw, b"\r\n\r\n") else { continue };
                let head = String::from_utf8_lossy(&self.raw[..end]).to_ascii_lowercase();
                assert!(head.starts_with("http/1.1 200"), "{head}");
                assert!(head.contains("content-type: text/event-stream"), "{head}");
                assert!(head.contains("transfer-encoding: chunked"), "{head}");
                self.raw.drain(..end + 4);
                self.headers_done = true;
            }
            let decoded = dechunk(&mut self.raw);
            self.text.push_str(&String::from_utf8_lossy(&decoded));
        }
    }

    /// Reads events until one named `name` arrives; returns its data.
    fn wait_for(&mut self, name: &str) -> Value {
        let deadline = Instant::now() + TIMEOUT;
        loop {
            match self.next(deadline) {
                Some((n, data)) if n == name => return data,
                Some(_) => {}
                None => panic!("the event stream ended while waiting for `{name}`"),
            }
        }
    }
}

/// Codes of the diagnostics in a status.
fn codes(status: &Value) -> Vec<String> {
    status["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .map(|d| d["code"].as_str().unwrap_or("").into())
        .collect()
}

#[test]
fn serves_pages_and_reloads_them_after_an_edit() {
    let dir = site();
    let root = dir.path();
    let server = serve(root);
    let addr = server.addr();
    assert_eq!(server.url(), format!("http://127.0.0.1:{}/", addr.port()));

    let page = get(addr, PAGE);
    assert_eq!(page.status, 200);
    assert_eq!(page.header("content-type"), Some("text/html; charset=utf-8"));
    assert_eq!(page.header("cache-control"), Some("no-store"));
    let html = page.text();
    assert!(html.contains("<title>Mastitis"), "{html}");
    let first = status(addr);
    assert_eq!(first["ok"], true);
    assert_eq!(first["build"], 1);
    assert!(first["pages"].as_u64().is_some_and(|n| n > 5), "{first}");
    let id = first["id"].as_str().expect("id").to_string();
    // The reload script is injected once, before </body>, with the id of the build.
    let tag = format!("<script src=\"/__carebook/live.js\" data-build=\"{id}\"></script>\n</body>");
    assert_eq!(html.matches("/__carebook/live.js").count(), 1, "{html}");
    assert!(html.contains(&tag), "{html}");
    // ... into HTML only.
    let index = get(addr, "/search/index.js");
    assert_eq!(index.status, 200);
    assert_eq!(index.header("content-type"), Some("text/javascript; charset=utf-8"));
    assert!(!index.text().contains("__carebook"));
    // `/` is the home page; the script itself is served.
    let home = get(addr, "/");
    assert_eq!(home.status, 200);
    assert!(home.text().contains("/__carebook/live.js"));
    let script = get(addr, "/__carebook/live.js");
    assert_eq!(script.status, 200);
    assert_eq!(script.header("content-type"), Some("text/javascript; charset=utf-8"));
    assert!(script.text().contains("location.reload()") && script.text().contains("textContent"));
    // HEAD gives the headers only.
    let head = raw(addr, format!("HEAD {PAGE} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n").as_bytes());
    assert_eq!(head.status, 200);
    assert_eq!(head.header("content-length"), Some(page.body.len().to_string().as_str()));
    assert!(head.body.is_empty());

    let mut events = Events::connect(addr);
    // On connecting, the current state: the page's own build, so no reload.
    let now = events.wait_for("reload");
    assert_eq!(now["id"], id.as_str());

    edit(root, GUIDE, "title: Mastitis\n", "title: Mastitis, edited\n");
    let reload = events.wait_for("reload");
    assert_eq!(reload["ok"], true);
    assert_ne!(reload["id"], id.as_str(), "a new build has a new id");
    assert_eq!(reload["build"], 2);
    assert!(reload["elapsed_ms"].is_u64());
    let html = get(addr, PAGE).text();
    assert!(html.contains("<title>Mastitis, edited"), "{html}");
    assert!(html.contains(&format!("data-build=\"{}\"", reload["id"].as_str().expect("id"))));

    // Stopping ends open event streams and closes the port, within the grace time.
    let started = Instant::now();
    server.shutdown().expect("clean shutdown");
    assert!(started.elapsed() < Duration::from_secs(10));
    assert_eq!(events.next(Instant::now() + TIMEOUT), None, "the event stream ends");
    assert!(TcpStream::connect(addr).is_err(), "nothing listens after shutdown");
    // Serving wrote no output folder.
    assert!(!root.join("public").exists());
}

#[test]
fn failed_rebuild_keeps_the_last_good_site_and_sends_the_problems() {
    let dir = site();
    let root = dir.path();
    let server = serve(root);
    let addr = server.addr();
    let mut events = Events::connect(addr);
    let good = events.wait_for("reload");

    // A typo in a field name: unknown-field (with did-you-mean) and missing-field.
    edit(root, GUIDE, "title: Mastitis\n", "titel: Mastitis, broken\n");
    let errors = events.wait_for("errors");
    assert_eq!(errors["ok"], false);
    assert_eq!(errors["id"], good["id"], "the last good build is still the one served");
    assert_eq!(codes(&errors), ["missing-field", "unknown-field"]);
    let typo = &errors["diagnostics"][1];
    assert_eq!(typo["severity"], "error");
    assert_eq!(typo["file"], GUIDE);
    assert_eq!(typo["line"], 2);
    assert_eq!(typo["column"], 1);
    assert!(typo["message"].as_str().is_some_and(|m| m.contains("titel")), "{typo}");
    assert!(typo["help"].as_str().is_some_and(|h| h.contains("title")), "{typo}");
    assert_eq!(errors["summary"], "error: 2 errors in 1 file");
    // The same payload at /__carebook/status, for the overlay of pages opened later.
    assert_eq!(status(addr), errors);

    // The old page is still served, with the script that shows the overlay.
    let page = get(addr, PAGE);
    assert_eq!(page.status, 200);
    assert!(page.text().contains("<title>Mastitis"));
    assert!(!page.text().contains("broken"));
    assert!(page.text().contains(&format!("data-build=\"{}\"", good["id"].as_str().expect("id"))));

    // Fixing it clears the overlay: a reload with a new build and no diagnostics.
    edit(root, GUIDE, "titel: Mastitis, broken\n", "title: Mastitis, fixed\n");
    let fixed = events.wait_for("reload");
    assert_eq!(fixed["ok"], true);
    assert_ne!(fixed["id"], good["id"]);
    assert_eq!(fixed["diagnostics"], serde_json::json!([]));
    assert_eq!(fixed["summary"], Value::Null);
    assert_eq!(status(addr)["ok"], true);
    assert!(get(addr, PAGE).text().contains("<title>Mastitis, fixed"));
    server.shutdown().expect("clean shutdown");
}

#[test]
fn a_burst_of_saves_gives_one_rebuild() {
    let dir = site();
    let root = dir.path();
    // A long quiet time, so that a test thread paused by a busy machine still saves in one burst.
    let server = serve_with(root, |s| s.debounce = Duration::from_secs(2));
    let addr = server.addr();
    let mut events = Events::connect(addr);
    assert_eq!(events.wait_for("reload")["attempt"], 1);

    // An editor saving several files at once, with its swap and backup files.
    for i in 0..10 {
        edit(root, GUIDE, "title: Mastitis", &format!("title: Mastitis {i}"));
        std::fs::write(root.join("content/guides/.mastitis.md.swp"), format!("swap {i}")).expect("swap");
        std::fs::write(root.join("content/guides/mastitis.md~"), format!("backup {i}")).expect("backup");
        std::fs::write(root.join("content/guides/4913"), "").expect("probe");
        edit(root, "content/symptoms/fever.md", "title: ", "title: A");
    }
    let reload = events.wait_for("reload");
    assert_eq!(reload["attempt"], 2, "{reload}");
    let html = get(addr, PAGE).text();
    assert!(html.contains("<title>Mastitis 9"), "the rebuild saw the last save");

    // Temporary files alone start no rebuild: the next one is for the next real edit.
    std::fs::write(root.join("content/guides/.mastitis.md.swp"), "swap again").expect("swap");
    std::fs::remove_file(root.join("content/guides/4913")).expect("probe");
    std::fs::write(root.join("public-notes~"), "x").expect("backup");
    edit(root, "carebook.toml", "Fixture site", "Fixture site, renamed");
    let reload = events.wait_for("reload");
    assert_eq!(reload["attempt"], 3, "{reload}");
    assert!(get(addr, "/").text().contains("Fixture site, renamed"));
    server.shutdown().expect("clean shutdown");
}

#[test]
fn theme_edits_rebuild_too() {
    let dir = site();
    let root = dir.path();
    let server = serve(root);
    let addr = server.addr();
    let mut events = Events::connect(addr);
    events.wait_for("reload");
    edit(root, "themes/default/templates/404.html", "{{ t.not_found_lead }}", "Nothing lives here.");
    events.wait_for("reload");
    let missing = get(addr, "/guides/no-such-guide.html");
    assert_eq!(missing.status, 404);
    assert!(missing.text().contains("Nothing lives here."));
    assert!(missing.text().contains("/__carebook/live.js"), "404 pages reload too");
    server.shutdown().expect("clean shutdown");
}

/// A site with no theme folder is served with the built-in theme; a template written into a new
/// `themes/` folder while serving replaces the built-in one, and removing it brings that back.
#[test]
fn a_theme_folder_made_while_serving_is_seen() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path();
    support::copy_tree(&support::repo().join("tests/fixtures/valid/minimal"), root);
    let server = serve(root);
    let addr = server.addr();
    let mut events = Events::connect(addr);
    events.wait_for("reload");
    assert!(get(addr, "/no-such-page.html").text().contains("This page does not exist."));
    let builtin = std::fs::read_to_string(support::repo().join("themes/default/templates/404.html")).expect("404");
    std::fs::create_dir_all(root.join("themes/default/templates")).expect("mkdir");
    std::fs::write(
        root.join("themes/default/templates/404.html"),
        builtin.replace("{{ t.not_found_lead }}", "Our own 404."),
    )
    .expect("write");
    wait_for("the new theme folder", || get(addr, "/no-such-page.html").text().contains("Our own 404.").then_some(()));
    edit(root, "themes/default/templates/404.html", "Our own 404.", "Our own 404, edited.");
    wait_for("an edit in it", || get(addr, "/no-such-page.html").text().contains("Our own 404, edited.").then_some(()));
    std::fs::remove_dir_all(root.join("themes")).expect("rm -rf themes");
    wait_for("the built-in theme again", || {
        get(addr, "/no-such-page.html").text().contains("This page does not exist.").then_some(())
    });
    server.shutdown().expect("clean shutdown");
}

#[test]
fn polling_sees_edits() {
    let dir = site();
    let root = dir.path();
    let server = serve_with(root, |s| s.poll = true);
    let addr = server.addr();
    let mut events = Events::connect(addr);
    events.wait_for("reload");
    edit(root, GUIDE, "title: Mastitis\n", "title: Mastitis, polled\n");
    events.wait_for("reload");
    assert!(get(addr, PAGE).text().contains("<title>Mastitis, polled"));
    server.shutdown().expect("clean shutdown");
}

#[test]
fn a_failed_first_build_serves_the_problems_until_fixed() {
    let dir = site();
    let root = dir.path();
    edit(root, GUIDE, "urgency: urgent", "urgency: whenever");
    let server = serve(root);
    let addr = server.addr();
    let st = status(addr);
    assert_eq!(st["ok"], false);
    assert_eq!(codes(&st), ["invalid-value"]);
    assert_eq!(st["diagnostics"][0]["file"], GUIDE);
    for path in ["/", PAGE, "/anything.html"] {
        let page = get(addr, path);
        assert_eq!(page.status, 503, "{path}");
        assert!(page.text().contains("could not be built"), "{path}");
        assert!(page.text().contains("/__carebook/live.js"), "{path}");
    }
    edit(root, GUIDE, "urgency: whenever", "urgency: urgent");
    wait_for("a good build", || (status(addr)["ok"] == true).then_some(()));
    assert_eq!(get(addr, PAGE).status, 200);
    server.shutdown().expect("clean shutdown");
}

#[test]
fn requests_cannot_leave_the_site() {
    let dir = site();
    let root = dir.path();
    let secret = "SECRET-7f3c-NOT-PART-OF-THE-SITE";
    std::fs::write(root.join("secret.txt"), secret).expect("secret");
    std::fs::create_dir_all(root.join("public")).expect("public");
    std::fs::write(root.join("public/secret.txt"), secret).expect("secret");
    let server = serve(root);
    let addr = server.addr();
    // Paths that try to leave the site are refused outright (400), never resolved.
    let escapes = [
        "/../secret.txt",
        "/../../../../../../etc/passwd",
        "/guides/../../secret.txt",
        "/%2e%2e/secret.txt",
        "/%2E%2E/%2e%2e/etc/passwd",
        "/.%2e/secret.txt",
        "/..%2fsecret.txt",
        "/guides/..%2f..%2fsecret.txt",
        "/%2e%2e%2fsecret.txt",
        "/..\\secret.txt",
        "/%5c..%5csecret.txt",
        "/\\etc\\passwd",
        "//etc/passwd",
        "/%2fetc/passwd",
        "/C:/Windows/win.ini",
        "/secret.txt%00.html",
        "http://127.0.0.1/../secret.txt",
        "*",
    ];
    // Files next to the site, or its sources, are simply not part of it (404).
    let outside = ["/secret.txt", "/public/secret.txt", "/carebook.toml", "/content/guides/mastitis.md"];
    for (targets, expected) in [(&escapes[..], 400), (&outside[..], 404)] {
        for target in targets {
            let request = format!("GET {target} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
            let response = raw(addr, request.as_bytes());
            assert_eq!(response.status, expected, "{target}");
            assert!(!response.text().contains(secret), "{target}");
            assert!(!response.text().contains("root:"), "{target}");
            assert!(!response.text().contains("Fixture site\""), "{target}: carebook.toml leaked");
        }
    }
    // Missing pages get the site's 404 page.
    let missing = get(addr, "/guides/no-such-guide.html");
    assert_eq!(missing.status, 404);
    assert!(missing.text().contains("This page does not exist."));
    // A folder without the slash is redirected to its index.
    let folder = get(addr, "/symptoms");
    assert_eq!(folder.status, 308);
    assert_eq!(folder.header("location"), Some("/symptoms/"));
    assert_eq!(get(addr, "/symptoms/").status, 200);

    // Only GET and HEAD.
    for method in ["POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE"] {
        let request = format!(
            "{method} {PAGE} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 4\r\nConnection: close\r\n\r\nbody"
        );
        let response = raw(addr, request.as_bytes());
        assert_eq!(response.status, 405, "{method}");
        assert_eq!(response.header("allow"), Some("GET, HEAD"), "{method}");
    }
    let post = raw(
        addr,
        b"POST /__carebook/status HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
    );
    assert_eq!(post.status, 405);
    assert_eq!(get(addr, PAGE).status, 200, "still serving");
    server.shutdown().expect("clean shutdown");
}

#[cfg(unix)]
#[test]
fn symlinks_out_of_the_site_are_never_served() {
    use std::os::unix::fs::symlink;
    let dir = site();
    let root = dir.path();
    let outside = tempfile::tempdir().expect("tempdir");
    let secret = "SECRET-91be-OUTSIDE-THE-SITE";
    std::fs::write(outside.path().join("secret.txt"), secret).expect("secret");
    std::fs::create_dir(outside.path().join("pictures")).expect("mkdir");
    std::fs::write(outside.path().join("pictures/duct.png"), secret).expect("secret");

    let server = serve(root);
    let addr = server.addr();
    let mut events = Events::connect(addr);
    let good = events.wait_for("reload");

    // A guide shows a picture that is a link out of the content folder; a folder links out too.
    std::fs::create_dir(root.join("content/images")).expect("mkdir");
    symlink(outside.path().join("secret.txt"), root.join("content/images/duct.png")).expect("symlink");
    symlink(outside.path().join("pictures"), root.join("content/pictures")).expect("symlink");
    symlink(outside.path().join("secret.txt"), root.join("themes/default/static/leak.txt")).expect("symlink");
    edit(root, GUIDE, "## What is happening\n", "## What is happening\n\n![A blocked duct](../images/duct.png)\n");
    let errors = events.wait_for("errors");
    assert_eq!(errors["id"], good["id"]);
    let diagnostics = errors["diagnostics"].as_array().expect("diagnostics");
    for link in ["content/images/duct.png", "content/pictures"] {
        assert!(
            diagnostics.iter().any(|d| d["code"] == "io"
                && d["file"] == link
                && d["message"].as_str().is_some_and(|m| m.contains("outside the content folder"))),
            "{link}: {errors}"
        );
    }
    let leaks = [
        "/images/duct.png",
        "/content/images/duct.png",
        "/pictures/duct.png",
        "/content/pictures/duct.png",
        "/static/leak.txt",
        "/guides/../images/duct.png",
    ];
    let check_leaks = || {
        for path in leaks {
            let response = get(addr, path);
            assert!(matches!(response.status, 400 | 404), "{path}: {}", response.status);
            assert!(!response.text().contains(secret), "{path}");
        }
    };
    check_leaks();
    assert_eq!(get(addr, PAGE).status, 200, "the last good site is still served");

    // With the content links replaced by a real picture the site builds; the theme's link is
    // skipped, and the picture is the real one.
    std::fs::remove_file(root.join("content/images/duct.png")).expect("rm");
    std::fs::remove_file(root.join("content/pictures")).expect("rm");
    std::fs::write(root.join("content/images/duct.png"), b"\x89PNG real picture").expect("png");
    let reload = events.wait_for("reload");
    assert_eq!(reload["ok"], true, "{reload}");
    let picture = get(addr, "/images/duct.png");
    assert_eq!(picture.status, 200);
    assert_eq!(picture.header("content-type"), Some("image/png"));
    assert_eq!(picture.body, b"\x89PNG real picture");
    let leak = get(addr, "/static/leak.txt");
    assert_eq!(leak.status, 404);
    assert!(!leak.text().contains(secret));
    server.shutdown().expect("clean shutdown");
}

#[test]
fn public_is_untouched_by_a_serve_session() {
    let dir = site();
    let root = dir.path();
    let out = support::build_ok(root);
    let before = support::read_tree(&out);
    assert!(before.contains_key("index.html"));
    let entries = || {
        let mut names: Vec<String> = std::fs::read_dir(root)
            .expect("read root")
            .map(|e| e.expect("entry").file_name().to_string_lossy().into())
            .collect();
        names.sort();
        names
    };
    let root_before = entries();

    let server = serve(root);
    let addr = server.addr();
    let mut events = Events::connect(addr);
    events.wait_for("reload");
    edit(root, GUIDE, "title: Mastitis\n", "title: Mastitis, served\n");
    events.wait_for("reload");
    assert!(get(addr, PAGE).text().contains("Mastitis, served"));
    edit(root, GUIDE, "title: Mastitis, served\n", "titel: broken\n");
    events.wait_for("errors");
    server.shutdown().expect("clean shutdown");

    assert_eq!(support::read_tree(&out), before, "public/ is byte-identical");
    assert_eq!(entries(), root_before, "no temporary or lock files next to public/");
    let page = String::from_utf8(before["guides/mastitis.html"].clone()).expect("utf-8");
    assert!(!page.contains("__carebook"), "the built site has no reload script");
}

#[test]
fn a_busy_port_is_named() {
    let dir = site();
    let taken = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let addr = taken.local_addr().expect("addr");
    let err = match Server::start(support::options(dir.path()), Settings::new(addr)) {
        Ok(_) => panic!("a busy port must be refused"),
        Err(e) => e.to_string(),
    };
    assert!(err.contains(&format!("port {}", addr.port())), "{err}");
    assert!(err.contains("already in use"), "{err}");
}

#[test]
fn a_folder_that_is_not_a_site_is_refused() {
    let dir = tempfile::tempdir().expect("tempdir");
    let settings = Settings::new(SocketAddr::from(([127, 0, 0, 1], 0)));
    let err = match Server::start(support::options(dir.path()), settings) {
        Ok(_) => panic!("a folder that is not a site must be refused"),
        Err(e) => e.to_string(),
    };
    assert!(err.contains(&dir.path().display().to_string()), "{err}");
}

/// How long a one-file rebuild of the shipped site takes (run with `--ignored --nocapture`).
#[test]
#[ignore = "a measurement, not a check"]
fn rebuild_time_of_the_shipped_site() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path();
    for part in ["content", "themes"] {
        support::copy_tree(&support::repo().join(part), &root.join(part));
    }
    std::fs::copy(support::repo().join("carebook.toml"), root.join("carebook.toml")).expect("copy config");
    let server = serve(root);
    let addr = server.addr();
    let mut events = Events::connect(addr);
    let first = events.wait_for("reload");
    println!("first build: {} pages in {} ms", first["pages"], first["elapsed_ms"]);
    let guide = std::fs::read_dir(root.join("content/guides"))
        .expect("guides")
        .map(|e| e.expect("entry").path())
        .find(|p| p.extension().is_some_and(|e| e == "md"))
        .expect("a guide");
    let rel = guide.strip_prefix(root).expect("inside").to_string_lossy().into_owned();
    for i in 0..5 {
        let text = std::fs::read_to_string(&guide).expect("read");
        std::fs::write(&guide, text.replacen("\ntitle: ", &format!("\ntitle: {i} "), 1)).expect("write");
        let reload = events.wait_for("reload");
        println!("rebuilt after editing {rel} in {} ms", reload["elapsed_ms"]);
    }
    server.shutdown().expect("clean shutdown");
}

// ---- security (issue #14) ----

/// The text of the linked file `content/pages/leaflet.txt`.
const LEAFLET: &str = "LEAFLET-1a2b: the text the last good build checked";

/// The minimal site, whose about page links to `leaflet.txt` next to it.
fn site_with_leaflet() -> tempfile::TempDir {
    let dir = site();
    std::fs::write(dir.path().join("content/pages/leaflet.txt"), LEAFLET).expect("leaflet");
    edit(dir.path(), "content/pages/about.md", "Written from published guidance.", "Read the [leaflet](leaflet.txt).");
    dir
}

#[cfg(unix)]
#[test]
fn a_linked_file_replaced_by_a_link_after_a_good_build_is_never_followed() {
    use std::os::unix::fs::symlink;
    let dir = site_with_leaflet();
    let root = dir.path();
    let outside = tempfile::tempdir().expect("tempdir");
    let secret = "SECRET-5d1e-OUTSIDE-THE-SITE";
    std::fs::write(outside.path().join("secret.txt"), secret).expect("secret");
    std::fs::create_dir(outside.path().join("pages")).expect("mkdir");
    std::fs::write(outside.path().join("pages/leaflet.txt"), secret).expect("secret");

    let server = serve(root);
    let addr = server.addr();
    let mut events = Events::connect(addr);
    let good = events.wait_for("reload");

    // A `git pull` turns the leaflet into a link out of the site: the rebuild fails, the last good
    // site is still served, and its leaflet is not the file outside.
    std::fs::remove_file(root.join("content/pages/leaflet.txt")).expect("rm");
    symlink(outside.path().join("secret.txt"), root.join("content/pages/leaflet.txt")).expect("symlink");
    let errors = events.wait_for("errors");
    assert_eq!(errors["id"], good["id"], "still serving the last good site");
    let leaflet = get(addr, "/pages/leaflet.txt");
    assert!(!leaflet.text().contains(secret), "{}", leaflet.text());
    assert_eq!(leaflet.status, 503, "{}", leaflet.text());
    assert!(leaflet.text().contains("changed after the last good build"), "{}", leaflet.text());
    assert_eq!(get(addr, PAGE).status, 200, "the rest of the site is still served");

    // Back to a real file: served again after the next good build.
    std::fs::remove_file(root.join("content/pages/leaflet.txt")).expect("rm");
    std::fs::write(root.join("content/pages/leaflet.txt"), LEAFLET).expect("leaflet");
    let fixed = events.wait_for("reload");
    assert_eq!(fixed["ok"], true, "{fixed}");
    let leaflet = get(addr, "/pages/leaflet.txt");
    assert_eq!((leaflet.status, leaflet.text().as_str()), (200, LEAFLET));

    // Its folder becomes a link to a folder outside holding a file of the same name (this build's
    // leaflet was never asked for, so nothing of it is in memory yet).
    edit(root, GUIDE, "title: Mastitis\n", "title: Mastitis, again\n");
    // The build that serves the new title (a save that came in two bursts sends a second reload
    // for the leaflet above, which may still be in the stream).
    let good = wait_for("the new title to be served", || {
        get(addr, "/guides/mastitis.html").text().contains("Mastitis, again").then(|| status(addr))
    });
    std::fs::rename(root.join("content/pages"), root.join("pages-moved")).expect("mv");
    symlink(outside.path().join("pages"), root.join("content/pages")).expect("symlink");
    // The last good build before the errors: this one, or a reload still on its way for it.
    let (mut last_good, deadline) = (good["id"].clone(), Instant::now() + TIMEOUT);
    let errors = loop {
        match events.next(deadline) {
            Some((name, data)) if name == "errors" => break data,
            Some((name, data)) if name == "reload" => last_good = data["id"].clone(),
            Some(_) => {}
            None => panic!("the event stream ended"),
        }
    };
    assert_eq!(errors["id"], last_good);
    let leaflet = get(addr, "/pages/leaflet.txt");
    assert!(!leaflet.text().contains(secret), "{}", leaflet.text());
    assert_eq!(leaflet.status, 503);
    server.shutdown().expect("clean shutdown");
}

/// `static/` files are served as the build copies them, and only while they are the file checked.
#[cfg(unix)]
#[test]
fn static_files_are_served_only_as_checked() {
    use std::os::unix::fs::symlink;
    let dir = site();
    let root = dir.path();
    std::fs::create_dir(root.join("static")).expect("mkdir");
    std::fs::write(root.join("static/robots.txt"), "User-agent: *\n").expect("robots");
    std::fs::write(root.join("static/CNAME"), "care.example.org\n").expect("cname");
    let outside = tempfile::tempdir().expect("tempdir");
    let secret = "SECRET-77ab-OUTSIDE-THE-SITE";
    std::fs::write(outside.path().join("secret.txt"), secret).expect("secret");

    let server = serve(root);
    let addr = server.addr();
    let mut events = Events::connect(addr);
    let good = events.wait_for("reload");
    let robots = get(addr, "/robots.txt");
    assert_eq!((robots.status, robots.text().as_str()), (200, "User-agent: *\n"));

    // Both replaced by links out of the site: the rebuild refuses them, and the server sends
    // neither the file outside: the one already sent keeps the checked bytes, the other is refused.
    for name in ["robots.txt", "CNAME"] {
        std::fs::remove_file(root.join("static").join(name)).expect("rm");
        symlink(outside.path().join("secret.txt"), root.join("static").join(name)).expect("symlink");
    }
    let errors = events.wait_for("errors");
    assert_eq!(errors["id"], good["id"], "still serving the last good site");
    let robots = get(addr, "/robots.txt");
    assert_eq!((robots.status, robots.text().as_str()), (200, "User-agent: *\n"));
    let cname = get(addr, "/CNAME");
    assert!(!cname.text().contains(secret), "{}", cname.text());
    assert_eq!(cname.status, 503, "{}", cname.text());
    server.shutdown().expect("clean shutdown");
}

#[test]
fn requests_for_other_host_names_are_refused() {
    let dir = site();
    let server = serve(dir.path());
    let addr = server.addr();
    let port = addr.port();
    // What a page on another site reaches after its name is re-pointed at 127.0.0.1 (DNS
    // rebinding): every path, including the status and the event stream, is refused.
    let foreign = [
        "evil.example".to_string(),
        format!("evil.example:{port}"),
        format!("127.0.0.1.evil.example:{port}"),
        "localhost.evil.example".to_string(),
        "localhost:1@evil.example".to_string(),
        "127.0.0.2".to_string(),
        "[::2]".to_string(),
        String::new(),
    ];
    let paths = ["/", PAGE, "/__carebook/status", "/__carebook/events", "/__carebook/live.js", "/nothing.html"];
    for host in &foreign {
        for path in paths {
            let response = get_as(addr, host, path);
            assert_eq!(response.status, 421, "Host {host:?} {path}: {}", response.text());
            let text = response.text();
            assert_eq!(text.lines().count(), 1, "one line: {text}");
            assert!(text.contains("--allow-host"), "{text}");
            assert!(!text.contains("Mastitis") && !text.contains("\"ok\""), "{text}");
        }
    }
    // No Host header at all, and a request target naming another host.
    let response = raw(addr, format!("GET {PAGE} HTTP/1.0\r\n\r\n").as_bytes());
    assert_eq!(response.status, 421, "{}", response.text());
    let response = raw(addr, b"GET http://evil.example/ HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
    assert_eq!(response.status, 421, "{}", response.text());

    // The names of this computer, with or without the port, in any case.
    for host in [
        "localhost".to_string(),
        format!("localhost:{port}"),
        "LocalHost".to_string(),
        "127.0.0.1".to_string(),
        format!("127.0.0.1:{port}"),
        "[::1]".to_string(),
        format!("[::1]:{port}"),
    ] {
        assert_eq!(get_as(addr, &host, PAGE).status, 200, "{host}");
        assert_eq!(get_as(addr, &host, "/__carebook/status").status, 200, "{host}");
    }
    server.shutdown().expect("clean shutdown");

    // Other names only when asked for.
    let server = serve_with(dir.path(), |s| s.allowed_hosts = vec!["carebook.test".into()]);
    let addr = server.addr();
    assert_eq!(get_as(addr, &format!("carebook.test:{}", addr.port()), PAGE).status, 200);
    assert_eq!(get_as(addr, "CAREBOOK.TEST", "/__carebook/status").status, 200);
    assert_eq!(get_as(addr, "localhost", PAGE).status, 200);
    assert_eq!(get_as(addr, "evil.example", PAGE).status, 421);
    assert_eq!(get_as(addr, "sub.carebook.test", PAGE).status, 421);
    server.shutdown().expect("clean shutdown");
}

#[cfg(unix)]
#[test]
fn named_pipes_in_place_of_a_linked_file_never_hold_up_the_server() {
    let dir = site_with_leaflet();
    let root = dir.path();
    let server = serve(root);
    let addr = server.addr();
    let mut events = Events::connect(addr);
    events.wait_for("reload");

    // After a good build, the leaflet becomes a named pipe that nothing ever writes to.
    let leaflet = root.join("content/pages/leaflet.txt");
    std::fs::remove_file(&leaflet).expect("rm");
    let made = std::process::Command::new("mkfifo").arg(&leaflet).status().expect("mkfifo runs");
    assert!(made.success());
    events.wait_for("errors");

    // Hundreds of requests for it at once (each end of each connection takes a file descriptor:
    // 300 stay well within the usual limit of 1024)...
    let mut open: Vec<TcpStream> = (0..300)
        .map(|_| {
            let mut stream = TcpStream::connect(addr).expect("connect");
            let request = "GET /pages/leaflet.txt HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";
            stream.write_all(request.as_bytes()).expect("send");
            stream
        })
        .collect();
    // ... and pages not yet rendered are still served.
    for path in ["/print.html", "/search/index.js", "/search/d0.js", "/guides/blocked-duct.html", PAGE] {
        assert_eq!(get(addr, path).status, 200, "{path}");
    }
    // Each of those requests got an answer; none is left waiting on the pipe.
    for stream in &mut open {
        stream.set_read_timeout(Some(TIMEOUT)).expect("timeout");
        let mut bytes = Vec::new();
        stream.read_to_end(&mut bytes).expect("an answer, not a wait");
        let response = parse_response(&bytes);
        assert_eq!(response.status, 503, "{}", response.text());
    }
    // Let go of readers stuck in the pipe, if any (opening it for writing too never blocks).
    drop(std::fs::OpenOptions::new().read(true).write(true).open(&leaflet));
    server.shutdown().expect("clean shutdown");
}

/// The status once `check` holds: polls `/__carebook/status`.
fn status_when(addr: SocketAddr, what: &str, check: impl Fn(&Value) -> bool) -> Value {
    wait_for(what, || Some(status(addr)).filter(|s| check(s)))
}

/// Is the status a failed build because `folder` is missing?
fn missing(folder: &'static str) -> impl Fn(&Value) -> bool {
    move |s: &Value| s["ok"] == false && s["fatal"].as_str().is_some_and(|f| f.contains(folder))
}

#[test]
fn watching_survives_content_and_themes_moved_away_and_back() {
    moved_away_and_back(false);
}

#[test]
fn polling_survives_content_and_themes_moved_away_and_back() {
    moved_away_and_back(true);
}

/// Moves, deletes and copies `content/` and `themes/` under a server (polling or not), and checks
/// that edits made afterwards are still seen.
fn moved_away_and_back(poll: bool) {
    let dir = site();
    let root = dir.path();
    let server = serve_with(root, |s| s.poll = poll);
    let addr = server.addr();
    // Each wait for a good build follows a wait for a failed one, so it sees a build made after
    // the folder came back.
    let good = |s: &Value| s["ok"] == true;

    // `mv content c2; mv c2 content`, then an edit.
    std::fs::rename(root.join("content"), root.join("c2")).expect("mv");
    status_when(addr, "the build to miss content/", missing("content"));
    std::fs::rename(root.join("c2"), root.join("content")).expect("mv back");
    status_when(addr, "a good build once content/ is back", good);
    edit(root, GUIDE, "title: Mastitis\n", "title: Mastitis, after a move\n");
    wait_for("the edit after the move", || {
        get(addr, PAGE).text().contains("<title>Mastitis, after a move").then_some(())
    });

    // `rm -rf content && cp -r backup content` (the backup lives next to it; a branch switch does
    // the same), then an edit.
    let backup = root.join("backup");
    support::copy_tree(&root.join("content"), &backup);
    std::fs::remove_dir_all(root.join("content")).expect("rm -rf");
    status_when(addr, "the build to miss content/ again", missing("content"));
    support::copy_tree(&backup, &root.join("content"));
    status_when(addr, "a good build of the copy", good);
    edit(root, GUIDE, "title: Mastitis, after a move\n", "title: Mastitis, after a copy\n");
    wait_for("the edit after the copy", || {
        get(addr, PAGE).text().contains("<title>Mastitis, after a copy").then_some(())
    });

    // The theme folder too: without it the site has the built-in theme; back, its own again.
    edit(root, "themes/default/templates/404.html", "{{ t.not_found_lead }}", "The site's own.");
    wait_for("the theme edit", || get(addr, "/no-such-page.html").text().contains("The site's own.").then_some(()));
    std::fs::rename(root.join("themes"), root.join("t2")).expect("mv");
    wait_for("the built-in theme once themes/ is gone", || {
        get(addr, "/no-such-page.html").text().contains("This page does not exist.").then_some(())
    });
    std::fs::rename(root.join("t2"), root.join("themes")).expect("mv back");
    wait_for("the site's theme once themes/ is back", || {
        get(addr, "/no-such-page.html").text().contains("The site's own.").then_some(())
    });
    edit(root, "themes/default/templates/404.html", "The site's own.", "Moved and back.");
    wait_for("the theme edit after the move", || {
        get(addr, "/no-such-page.html").text().contains("Moved and back.").then_some(())
    });

    // Both away and back within one quiet time (one batch of changes), then an edit.
    std::fs::rename(root.join("content"), root.join("c3")).expect("mv");
    std::fs::rename(root.join("c3"), root.join("content")).expect("mv back");
    edit(root, GUIDE, "title: Mastitis, after a copy\n", "title: Mastitis, after a quick move\n");
    wait_for("the edit after the quick move", || {
        get(addr, PAGE).text().contains("<title>Mastitis, after a quick move").then_some(())
    });
    edit(root, GUIDE, "title: Mastitis, after a quick move\n", "title: Mastitis, and later\n");
    wait_for("a later edit", || get(addr, PAGE).text().contains("<title>Mastitis, and later").then_some(()));
    server.shutdown().expect("clean shutdown");
}

/// A `carebook serve` process (the binary) for `root` on a free port, with at most `data_kib` KiB
/// of data memory (`ulimit -d`: more than a small site needs, less than a file it serves).
#[cfg(target_os = "linux")]
struct Child {
    process: std::process::Child,
    addr: SocketAddr,
}

#[cfg(target_os = "linux")]
impl Child {
    fn serve(root: &Path, data_kib: u64) -> Child {
        use std::io::BufRead;
        let script = format!("ulimit -d {data_kib} && exec \"$0\" \"$@\"");
        let mut process = std::process::Command::new("sh")
            .args(["-c", &script, env!("CARGO_BIN_EXE_carebook"), "serve", "--port", "0", "--root"])
            .arg(root)
            .env("CAREBOOK_TODAY", support::TODAY)
            .env("RAYON_NUM_THREADS", "2")
            .env("NO_COLOR", "1")
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("start carebook serve");
        let stderr = process.stderr.take().expect("stderr");
        let (tx, rx) = std::sync::mpsc::channel();
        // Reads everything the server says, so that it never waits on a full pipe.
        std::thread::spawn(move || {
            for line in std::io::BufReader::new(stderr).lines().map_while(Result::ok) {
                if let Some(rest) = line.strip_prefix("serving http://") {
                    let _ = tx.send(rest.split('/').next().unwrap_or("").to_string());
                }
            }
        });
        let addr = rx.recv_timeout(TIMEOUT).expect("the server says where it listens");
        Child { process, addr: addr.parse().expect("an address") }
    }
}

#[cfg(target_os = "linux")]
impl Drop for Child {
    fn drop(&mut self) {
        let _ = self.process.kill();
        let _ = self.process.wait();
    }
}

#[cfg(target_os = "linux")]
#[test]
fn a_huge_linked_file_is_streamed_not_held_in_memory() {
    let dir = site_with_leaflet();
    let root = dir.path();
    // 768 MiB, mostly a hole, with known bytes at both ends.
    const SIZE: u64 = 768 << 20;
    let big = root.join("content/pages/big.bin");
    {
        use std::io::{Seek, SeekFrom};
        let mut f = std::fs::File::create(&big).expect("create");
        f.write_all(b"BEGIN").expect("write");
        f.seek(SeekFrom::Start(SIZE - 3)).expect("seek");
        f.write_all(b"END").expect("write");
    }
    edit(root, "content/pages/about.md", "Read the", "Get the [whole book](big.bin). Read the");
    // 256 MiB of data memory is plenty for the site, and a third of the file.
    let child = Child::serve(root, 256 * 1024);

    let mut stream = TcpStream::connect(child.addr).expect("connect");
    stream.set_read_timeout(Some(TIMEOUT)).expect("timeout");
    stream.write_all(b"GET /pages/big.bin HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n").expect("send");
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        assert_eq!(stream.read(&mut byte).expect("read the head"), 1, "the head ends early: {head:?}");
        head.push(byte[0]);
    }
    let head = String::from_utf8_lossy(&head).to_ascii_lowercase();
    assert!(head.starts_with("http/1.1 200"), "{head}");
    assert!(head.contains(&format!("content-length: {SIZE}\r\n")), "{head}");
    assert!(head.contains("content-type: application/octet-stream"), "{head}");
    // The body, counted as it arrives: every byte, the right ones at both ends.
    let (mut total, mut first, mut last) = (0u64, Vec::new(), Vec::new());
    let mut buf = vec![0u8; 1 << 20];
    loop {
        let n = stream.read(&mut buf).expect("read the body");
        if n == 0 {
            break;
        }
        if first.len() < 5 {
            first.extend_from_slice(&buf[..n.min(5 - first.len())]);
        }
        last.extend_from_slice(&buf[..n]);
        let keep = last.len().saturating_sub(3);
        last.drain(..keep);
        total += n as u64;
    }
    assert_eq!((total, first.as_slice(), last.as_slice()), (SIZE, &b"BEGIN"[..], &b"END"[..]));
    // The rest of the site still answers.
    let page = raw(child.addr, b"GET /pages/leaflet.txt HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
    assert_eq!((page.status, page.text().as_str()), (200, LEAFLET));
}

/// A site in two languages: each language's pages are served from its folder, and an edit of a
/// translation rebuilds it.
#[test]
fn every_language_is_served_and_rebuilt() {
    let dir = support::temp_site(&support::repo().join("tests/fixtures/valid/two-languages"));
    let root = dir.path();
    let server = serve(root);
    let addr = server.addr();
    let mut events = Events::connect(addr);
    events.wait_for("reload");
    let ru = get(addr, "/ru/guides/mastitis.html");
    assert_eq!(ru.status, 200);
    assert!(ru.text().contains("<html lang=\"ru\"") && ru.text().contains("Мастит"));
    assert_eq!(get(addr, "/ru/static/style.css").status, 200);
    assert_eq!(get(addr, "/guides/mastitis.html").status, 200);
    edit(root, "content/ru/guides/mastitis.md", "title: Мастит", "title: Мастит (воспаление)");
    events.wait_for("reload");
    assert!(get(addr, "/ru/guides/mastitis.html").text().contains("Мастит (воспаление)"));
    server.shutdown().expect("clean shutdown");
}

/// A site in two languages: serve builds both (the Russian pages are served under /ru/ and an
/// edit to a Russian file rebuilds them), and a problem in a Russian file names its language in
/// the overlay's payload ("Русский (ru)"), beside the file.
#[test]
fn serve_rebuilds_every_language_and_names_the_language_of_a_problem() {
    let dir = support::temp_site(&support::repo().join("tests/fixtures/valid/two-languages"));
    let root = dir.path();
    let server = serve(root);
    let addr = server.addr();
    let mut events = Events::connect(addr);
    let good = events.wait_for("reload");
    assert_eq!(good["ok"], true, "{good}");
    let ru = "content/ru/guides/mastitis.md";
    let page = get(addr, "/ru/guides/mastitis.html");
    assert_eq!(page.status, 200);
    assert!(page.text().contains("<html lang=\"ru\"") && page.text().contains("<title>Мастит"));

    edit(root, ru, "title: Мастит\n", "title: Мастит (правка)\n");
    events.wait_for("reload");
    assert!(get(addr, "/ru/guides/mastitis.html").text().contains("<title>Мастит (правка)"));

    edit(root, ru, "title: Мастит (правка)\n", "titel: Мастит\n");
    let errors = events.wait_for("errors");
    let list = errors["diagnostics"].as_array().expect("diagnostics");
    assert!(!list.is_empty(), "{errors}");
    for d in list {
        assert_eq!(d["file"], ru, "{d}");
        assert_eq!(d["language"], "Русский (ru)", "{d}");
    }
    assert_eq!(status(addr), errors);

    edit(root, ru, "titel: Мастит\n", "title: Мастит\n");
    let fixed = events.wait_for("reload");
    assert_eq!(fixed["diagnostics"], serde_json::json!([]));
    // A problem in an English file names no language.
    edit(root, GUIDE, "title: Mastitis\n", "titel: Mastitis\n");
    let errors = events.wait_for("errors");
    assert!(
        errors["diagnostics"].as_array().expect("diagnostics").iter().all(|d| d.get("language").is_none()),
        "{errors}"
    );
    server.shutdown().expect("clean shutdown");
}
