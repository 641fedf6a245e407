//! The HTTP side of `serve`: one handler for every request.
//!
//! Input: a request and the shared [`App`] state. Output: a response built only from the last good
//! site held in memory, the live-reload script, the event stream or the status JSON.
//!
//! Rules:
//! - Only requests addressed to this computer ([`Hosts`]): the `Host` header (and the authority
//!   of an absolute request target) must be `localhost`, `127.0.0.1` or `[::1]`, with or without a
//!   port, or a name given with `--allow-host`, or, when listening on the network, an IP address.
//!   Anything else, or no `Host` at all, is `421 Misdirected Request` on every path, the status
//!   and the event stream included: a web page that points a name of its own at 127.0.0.1 (DNS
//!   rebinding) reads nothing.
//! - Only `GET` and `HEAD`; anything else is `405 Method Not Allowed`.
//! - The request path is checked before anything is looked up ([`site_key`]): after
//!   percent-decoding, a `.` or `..` segment, an empty segment (`//`), a backslash, a colon, a NUL or
//!   another control character gives `400 Bad Request`. Nothing is normalised, so `/a/../b` is
//!   refused rather than resolved.
//! - `/` and `/dir/` mean `index.html` and `dir/index.html`; `/dir` redirects to `/dir/` when
//!   `dir/index.html` exists. Everything else is looked up as is; a miss gives the site's
//!   `404.html` with status 404.
//! - Files are rendered from the checked site held in memory (and kept once rendered), never read
//!   from the output folder. A linked content file is opened only if it is still the very file the
//!   last good build checked ([`crate::load::open_asset`]: no link followed, no waiting on a named
//!   pipe); otherwise the answer is `503` until the next good build. Files up to [`KEEP_BYTES`]
//!   are then kept in memory; larger ones are streamed from the open file a piece at a time. So
//!   no path, symbolic link or file swapped in after the build can reach a file outside the site,
//!   and no file can hold up the server or fill its memory.
//! - HTML responses get the live-reload script before their last `</body>`.

use crate::text::escaped;
use std::convert::Infallible;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::sync::Arc;

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};

use super::{App, Site, Status, stopped};
use crate::Diagnostic;

/// Where the live-reload script is served.
pub(crate) const LIVE_JS_PATH: &str = "/__carebook/live.js";
/// Where the server-sent event stream is served.
pub(crate) const EVENTS_PATH: &str = "/__carebook/events";
/// Where the status JSON (the overlay payload) is served.
pub(crate) const STATUS_PATH: &str = "/__carebook/status";
/// Paths under this prefix belong to `serve`, never to the site.
const RESERVED_PREFIX: &str = "/__carebook/";

/// The live-reload script.
const LIVE_JS: &str = include_str!("live.js");

/// What the server answers while no build has succeeded yet (the overlay lists the problems).
const NO_SITE_PAGE: &str = "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
<title>carebook: the site has errors</title>\n</head>\n<body>\n<h1>The site could not be built</h1>\n\
<p>carebook found problems in the content. They are listed on this page and in the terminal.\n\
Fix them and save: this page reloads by itself.</p>\n</body>\n</html>\n";

/// The names requests may be addressed to; see the module documentation.
pub(crate) struct Hosts {
    /// `--allow-host` names, in lower case.
    names: Vec<String>,
    /// Listening on the network: IP addresses are accepted too (a page reached by its address is
    /// on this server's own origin; only a name can be pointed elsewhere).
    any_address: bool,
}

impl Hosts {
    /// The names for a server listening on `bind`, with the `--allow-host` names `extra`.
    ///
    /// # Errors
    ///
    /// A name of `extra` that is not a host name (with a port, a scheme, a path...).
    pub(crate) fn new(bind: IpAddr, extra: &[String]) -> anyhow::Result<Hosts> {
        let mut names = Vec::new();
        for name in extra {
            let valid = !name.is_empty()
                && (name.parse::<IpAddr>().is_ok()
                    || name.chars().all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-'));
            if !valid {
                anyhow::bail!("--allow-host `{name}` is not a host name; give a name alone, without port or scheme");
            }
            let name = name.to_ascii_lowercase();
            names.push(match name.parse::<Ipv6Addr>() {
                Ok(ip) => format!("[{ip}]"),
                Err(_) => name,
            });
        }
        Ok(Hosts { names, any_address: !bind.is_loopback() })
    }

    /// Is `host` (a `Host` header or an authority: a name or address, maybe with a port) one of ours?
    pub(crate) fn allows(&self, host: &str) -> bool {
        let Some(name) = host_name(host) else { return false };
        let name = name.to_ascii_lowercase();
        match address(&name) {
            Some(ip) => {
                ip == IpAddr::V4(Ipv4Addr::LOCALHOST)
                    || ip == IpAddr::V6(Ipv6Addr::LOCALHOST)
                    || self.any_address
                    || self.names.contains(&name)
            }
            None => name == "localhost" || self.names.contains(&name),
        }
    }

    /// Is `request` addressed to one of ours: every `Host` header and the request target's authority, and at least one of them?
    fn allow(&self, request: &Request) -> bool {
        let mut named = false;
        for value in request.headers().get_all(header::HOST) {
            match value.to_str() {
                Ok(host) if self.allows(host) => named = true,
                _ => return false,
            }
        }
        if let Some(authority) = request.uri().authority() {
            if !self.allows(authority.as_str()) {
                return false;
            }
            named = true;
        }
        named
    }
}

/// The name or address of a `Host` value without its port (`[::1]:80` -> `[::1]`), or `None` when
/// it is not one (empty, user info, a port that is not a number...).
fn host_name(host: &str) -> Option<&str> {
    let (name, port) = if host.starts_with('[') {
        let end = host.find(']')?;
        let (name, rest) = host.split_at(end + 1);
        (name, if rest.is_empty() { None } else { Some(rest.strip_prefix(':')?) })
    } else {
        match host.rsplit_once(':') {
            Some((name, port)) => (name, Some(port)),
            None => (host, None),
        }
    };
    let port_ok = port.is_none_or(|p| p.bytes().all(|b| b.is_ascii_digit()));
    let name_ok = !name.is_empty() && name.bytes().all(|b| b.is_ascii_alphanumeric() || b"-.[]:".contains(&b));
    (port_ok && name_ok).then_some(name)
}

/// The IP address a host name spells (`127.0.0.1`, `[::1]`), if it is one.
fn address(name: &str) -> Option<IpAddr> {
    match name.strip_prefix('[').and_then(|n| n.strip_suffix(']')) {
        Some(v6) => v6.parse::<Ipv6Addr>().ok().map(IpAddr::V6),
        None => name.parse::<Ipv4Addr>().ok().map(IpAddr::V4),
    }
}

/// Answers one request.
pub(super) async fn handle(State(app): State<Arc<App>>, request: Request) -> Response {
    if !app.hosts.allow(&request) {
        return text(
            StatusCode::MISDIRECTED_REQUEST,
            "421 Misdirected Request: carebook serve answers only requests for localhost, 127.0.0.1 or [::1] \
             (start it with --allow-host NAME to use another name)\n",
        );
    }
    let method = request.method();
    if method != Method::GET && method != Method::HEAD {
        let mut response = text(StatusCode::METHOD_NOT_ALLOWED, "405 Method Not Allowed: carebook serve only reads\n");
        response.headers_mut().insert(header::ALLOW, HeaderValue::from_static("GET, HEAD"));
        return response;
    }
    let path = request.uri().path();
    match path {
        LIVE_JS_PATH => return file_response(StatusCode::OK, "live.js", Bytes::from_static(LIVE_JS.as_bytes()), None),
        EVENTS_PATH => return events(&app).into_response(),
        STATUS_PATH => {
            let status = app.status.borrow().clone();
            return file_response(StatusCode::OK, "status.json", Bytes::from(status.json.clone()), None);
        }
        _ if path.starts_with(RESERVED_PREFIX) => return text(StatusCode::NOT_FOUND, "404 Not Found\n"),
        _ => {}
    }
    let Some(key) = site_key(path) else {
        return text(StatusCode::BAD_REQUEST, "400 Bad Request: this path is not allowed\n");
    };
    let Some(site) = app.site() else {
        // No good build yet: every page is the placeholder, and its overlay lists the problems.
        let id = app.status.borrow().id.clone();
        return file_response(
            StatusCode::SERVICE_UNAVAILABLE,
            "x.html",
            Bytes::from_static(NO_SITE_PAGE.as_bytes()),
            Some(&id),
        );
    };
    if let Some(response) = linked_file(&site, &key).await {
        return response;
    }
    match site_file(&site, &key).await {
        Some(Ok(bytes)) => return file_response(StatusCode::OK, &key, bytes, Some(&site.id)),
        Some(Err(problems)) => return render_failed(&key, &problems, &site.id),
        None => {}
    }
    // `/guides` -> `/guides/` when that is a folder with an index, so relative links work.
    if !path.ends_with('/')
        && matches!(site_file(&site, &format!("{key}/index.html")).await, Some(Ok(_)))
        && let Ok(location) = HeaderValue::from_str(&format!("{path}/"))
    {
        let mut response = text(StatusCode::PERMANENT_REDIRECT, "308 Permanent Redirect\n");
        response.headers_mut().insert(header::LOCATION, location);
        return response;
    }
    match site_file(&site, "404.html").await {
        Some(Ok(bytes)) => file_response(StatusCode::NOT_FOUND, "404.html", bytes, Some(&site.id)),
        _ => text(StatusCode::NOT_FOUND, "404 Not Found\n"),
    }
}

/// A file of the site: from the rendered ones, or rendered now on a blocking thread (print.html of
/// a large site takes a while).
async fn site_file(site: &Arc<Site>, key: &str) -> Option<Result<Bytes, Vec<Diagnostic>>> {
    if let Some(bytes) = site.kept(key) {
        return Some(Ok(bytes));
    }
    let (site, key) = (site.clone(), key.to_string());
    match tokio::task::spawn_blocking(move || site.file(&key)).await {
        Ok(found) => found,
        Err(e) => Some(Err(vec![Diagnostic::new(
            crate::Code::Io,
            "",
            None,
            format!("internal error: rendering stopped unexpectedly ({e})"),
        )])),
    }
}

/// Linked files up to this size are kept in memory once read; larger ones are streamed each time.
pub(crate) const KEEP_BYTES: u64 = 1024 * 1024;

/// How much of a large linked file is read and sent at a time.
const PIECE: usize = 256 * 1024;

/// A linked content file, if `key` names one: the file the last good build checked, or `503`
/// when it has changed since (until the next good build). Opening never waits (a named pipe put in
/// its place is refused at once) and happens on a blocking thread, as do the reads.
async fn linked_file(site: &Arc<Site>, key: &str) -> Option<Response> {
    let (asset, stamp) = crate::render::linked_file(site.pages.site(), key)?;
    if let Some(bytes) = site.kept(key) {
        return Some(file_response(StatusCode::OK, key, bytes, Some(&site.id)));
    }
    let stamp = stamp.clone();
    let opened = tokio::task::spawn_blocking(move || {
        let file = crate::load::open_asset(&asset, &stamp)?;
        let size = stamp.size();
        if size > KEEP_BYTES {
            return Ok(Opened::Large(file, size));
        }
        let mut bytes = Vec::new();
        std::io::Read::read_to_end(&mut std::io::Read::take(file, size), &mut bytes)?;
        Ok::<_, anyhow::Error>(Opened::Small(Bytes::from(bytes)))
    })
    .await;
    Some(match opened {
        Ok(Ok(Opened::Small(bytes))) => {
            site.keep(key, &bytes);
            file_response(StatusCode::OK, key, bytes, Some(&site.id))
        }
        Ok(Ok(Opened::Large(file, size))) => {
            let mut response = file_response(StatusCode::OK, key, Bytes::new(), None);
            *response.body_mut() = stream(file, size);
            response.headers_mut().insert(header::CONTENT_LENGTH, HeaderValue::from(size));
            response
        }
        Ok(Err(_)) | Err(_) => text(
            StatusCode::SERVICE_UNAVAILABLE,
            "503 Service Unavailable: this file changed after the last good build (or cannot be read); \
             it is served again after the next good build\n",
        ),
    })
}

/// A linked file opened for an answer.
enum Opened {
    /// Read whole (at most [`KEEP_BYTES`]).
    Small(Bytes),
    /// Open, with its size: to be streamed.
    Large(std::fs::File, u64),
}

/// The first `size` bytes of an open file as a response body, read a piece at a time on blocking
/// threads as the client takes them.
fn stream(file: std::fs::File, size: u64) -> Body {
    let reader = std::io::Read::take(file, size);
    let pieces = futures_util::stream::unfold(Some(reader), |reader| async move {
        let mut reader = reader?;
        let read = tokio::task::spawn_blocking(move || {
            let mut piece = vec![0u8; PIECE];
            let n = loop {
                match std::io::Read::read(&mut reader, &mut piece) {
                    Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                    other => break other,
                }
            };
            (reader, piece, n)
        })
        .await;
        match read {
            Ok((reader, mut piece, Ok(n))) if n > 0 => {
                piece.truncate(n);
                Some((Ok(Bytes::from(piece)), Some(reader)))
            }
            Ok((_, _, Ok(_))) => None,
            Ok((_, _, Err(e))) => Some((Err(e), None)),
            Err(e) => Some((Err(std::io::Error::other(e)), None)),
        }
    });
    Body::from_stream(pieces)
}

/// A page whose template failed: status 500 and the problems, in words (the terminal has them too).
fn render_failed(key: &str, problems: &[Diagnostic], build_id: &str) -> Response {
    let mut page = String::from(
        "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <title>carebook: this page could not be rendered</title>\n</head>\n<body>\n\
         <h1>This page could not be rendered</h1>\n<ul>\n",
    );
    for d in problems {
        let at = d.file.as_str();
        page.push_str(&format!("<li><code>{}</code>: {}</li>\n", escaped(at), escaped(&d.message)));
    }
    page.push_str("</ul>\n<p>Fix the template and save: this page reloads by itself.</p>\n</body>\n</html>\n");
    file_response(StatusCode::INTERNAL_SERVER_ERROR, &format!("{key}.html"), Bytes::from(page), Some(build_id))
}

/// The key of the site file a raw (still percent-encoded) request path names, or `None` when the
/// path is not allowed: not starting with `/`, a bad `%` escape, not UTF-8 after decoding, a `.`,
/// `..` or empty segment, a backslash, a colon, or a control character. `/` and a path ending in
/// `/` get `index.html` appended.
pub(crate) fn site_key(raw: &str) -> Option<String> {
    let rest = raw.strip_prefix('/')?;
    let mut key = percent_decode(rest)?;
    if key.chars().any(|c| c == '\\' || c == ':' || c.is_control()) {
        return None;
    }
    if key.is_empty() || key.ends_with('/') {
        key.push_str("index.html");
    }
    if key.split('/').any(|segment| segment.is_empty() || segment == "." || segment == "..") {
        return None;
    }
    Some(key)
}

/// Decodes `%XX` escapes; `None` for a malformed escape or bytes that are not UTF-8.
fn percent_decode(s: &str) -> Option<String> {
    let decoded = crate::text::percent_decode(s);
    if decoded.malformed { None } else { String::from_utf8(decoded.bytes).ok() }
}

/// The `Content-Type` for a file name, by its extension.
pub(crate) fn content_type(name: &str) -> &'static str {
    let ext = name.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase()).unwrap_or_default();
    match ext.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "txt" => "text/plain; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "webp" => "image/webp",
        "gif" => "image/gif",
        "ico" => "image/x-icon",
        "pdf" => "application/pdf",
        "xml" => "application/xml",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        "webmanifest" => "application/manifest+json",
        _ => "application/octet-stream",
    }
}

/// Is `name` an HTML file (which gets the live-reload script)?
fn is_html(name: &str) -> bool {
    content_type(name).starts_with("text/html")
}

/// `html` with the live-reload script tag inserted before its last `</body>` (any case), or at the
/// end when there is none. `build_id` says which build the page comes from.
pub(crate) fn inject_live_reload(html: &[u8], build_id: &str) -> Vec<u8> {
    let tag = format!("<script src=\"{LIVE_JS_PATH}\" data-build=\"{}\"></script>\n", escaped(build_id));
    let needle = b"</body";
    let at = html.windows(needle.len()).rposition(|w| w.eq_ignore_ascii_case(needle)).unwrap_or(html.len());
    let mut out = Vec::with_capacity(html.len() + tag.len());
    out.extend_from_slice(&html[..at]);
    out.extend_from_slice(tag.as_bytes());
    out.extend_from_slice(&html[at..]);
    out
}

/// A file response; HTML gets the live-reload script when `build_id` is given.
fn file_response(status: StatusCode, name: &str, bytes: Bytes, build_id: Option<&str>) -> Response {
    let body = match build_id {
        Some(id) if is_html(name) => Bytes::from(inject_live_reload(&bytes, id)),
        _ => bytes,
    };
    let mut response = Response::new(Body::from(body));
    *response.status_mut() = status;
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type(name)));
    // Every reload must show the newest build.
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    response
}

/// A plain-text response.
fn text(status: StatusCode, message: &'static str) -> Response {
    file_response(status, "message.txt", Bytes::from_static(message.as_bytes()), None)
}

/// The server-sent event stream: the current status at once, then every new one, as a `reload`
/// event after a good build or an `errors` event after a failed one. It ends when the server stops.
fn events(app: &App) -> impl IntoResponse + use<> {
    let status = app.status.subscribe();
    let shutdown = app.shutdown.clone();
    let stream = futures_util::stream::unfold((status, shutdown, true), |(mut status, shutdown, first)| async move {
        if !first {
            tokio::select! {
                changed = status.changed() => changed.ok()?,
                () = stopped(shutdown.clone()) => return None,
            }
        }
        if *shutdown.borrow() {
            return None;
        }
        let current: Arc<Status> = status.borrow_and_update().clone();
        let event = Event::default().event(current.event_name()).data(current.json.as_str());
        Some((Ok::<Event, Infallible>(event), (status, shutdown, false)))
    });
    let mut response = Sse::new(stream).keep_alive(KeepAlive::default()).into_response();
    response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_of_allowed_paths() {
        let cases = [
            ("/", "index.html"),
            ("/index.html", "index.html"),
            ("/guides/", "guides/index.html"),
            ("/guides/mastitis.html", "guides/mastitis.html"),
            ("/static/css/site.css", "static/css/site.css"),
            ("/a%20b.html", "a b.html"),
            ("/caf%C3%A9.html", "café.html"),
            ("/..a/b..", "..a/b.."),
            ("/guides%2fmastitis.html", "guides/mastitis.html"),
        ];
        for (raw, key) in cases {
            assert_eq!(site_key(raw).as_deref(), Some(key), "{raw}");
        }
    }

    #[test]
    fn refused_paths() {
        for raw in [
            "",
            "index.html",
            "*",
            "/..",
            "/../",
            "/../etc/passwd",
            "/guides/../index.html",
            "/./index.html",
            "/%2e%2e/etc/passwd",
            "/%2E%2E/etc/passwd",
            "/.%2e/etc/passwd",
            "/..%2fetc/passwd",
            "/guides/..%2F..%2Fetc%2Fpasswd",
            "//etc/passwd",
            "/guides//x.html",
            "/%2fetc/passwd",
            "/..\\etc\\passwd",
            "/%5c..%5cetc",
            "/C:/Windows/win.ini",
            "/c%3a/x",
            "/a%00b",
            "/a%0d%0aSet-Cookie:x",
            "/%",
            "/%2",
            "/%zz",
            "/%ff",
        ] {
            assert_eq!(site_key(raw), None, "{raw:?}");
        }
    }

    #[test]
    fn host_names_of_this_computer_and_no_others() {
        let local = Hosts::new(IpAddr::V4(Ipv4Addr::LOCALHOST), &[]).expect("hosts");
        for host in [
            "localhost",
            "localhost:1111",
            "LOCALHOST",
            "localhost:",
            "127.0.0.1",
            "127.0.0.1:80",
            "[::1]",
            "[::1]:1111",
        ] {
            assert!(local.allows(host), "{host}");
        }
        for host in [
            "",
            ":1111",
            "evil.example",
            "evil.example:1111",
            "localhost.evil.example",
            "127.0.0.1.nip.io",
            "127.1",
            "192.168.1.5",
            "192.168.1.5:1111",
            "0.0.0.0",
            "[::2]",
            "[::]",
            "::1",
            "[::1",
            "[::1]x",
            "[::1]:80:80",
            "localhost:http",
            "localhost:1@evil.example",
            "user@localhost",
            "localhost/x",
        ] {
            assert!(!local.allows(host), "{host:?}");
        }

        // On the network: its addresses, and the names asked for.
        let names = ["carebook.test".to_string(), "Laptop.local".to_string(), "fe80::1".to_string()];
        let network = Hosts::new(IpAddr::V4(Ipv4Addr::UNSPECIFIED), &names).expect("hosts");
        for host in
            ["localhost", "192.168.1.5:1111", "10.0.0.2", "[fe80::2]:1111", "carebook.test", "laptop.LOCAL:1111"]
        {
            assert!(network.allows(host), "{host}");
        }
        for host in ["evil.example", "sub.carebook.test", "carebook.test.evil.example", "laptop"] {
            assert!(!network.allows(host), "{host}");
        }
        // Names given for a loopback server count too (a proxy, an entry in /etc/hosts).
        let named = Hosts::new(IpAddr::V6(Ipv6Addr::LOCALHOST), &names).expect("hosts");
        assert!(named.allows("carebook.test:1111") && named.allows("[FE80::1]"));
        assert!(!named.allows("192.168.1.5"));

        for bad in ["", "carebook.test:1111", "http://carebook.test", "carebook.test/", "a b", "*.test"] {
            let err = Hosts::new(IpAddr::V4(Ipv4Addr::LOCALHOST), &[bad.to_string()]).err().map(|e| e.to_string());
            assert!(err.as_deref().is_some_and(|e| e.contains("is not a host name")), "{bad:?}: {err:?}");
        }
    }

    #[test]
    fn injection_goes_before_the_last_body_end() {
        let html = b"<html><body><p>&lt;/body&gt;</p><script>x='</BODY>'</script></BODY>\n</html>";
        let out = String::from_utf8(inject_live_reload(html, "s-1")).expect("utf-8");
        assert_eq!(
            out,
            "<html><body><p>&lt;/body&gt;</p><script>x='</BODY>'</script>\
             <script src=\"/__carebook/live.js\" data-build=\"s-1\"></script>\n</BODY>\n</html>"
        );
        let out = String::from_utf8(inject_live_reload(b"<p>no body", "a\"b")).expect("utf-8");
        assert_eq!(out, "<p>no body<script src=\"/__carebook/live.js\" data-build=\"a&quot;b\"></script>\n");
    }

    #[test]
    fn content_types_by_extension() {
        assert_eq!(content_type("index.html"), "text/html; charset=utf-8");
        assert_eq!(content_type("static/site.CSS"), "text/css; charset=utf-8");
        assert_eq!(content_type("search/index.js"), "text/javascript; charset=utf-8");
        assert_eq!(content_type("img/a.JPG"), "image/jpeg");
        assert_eq!(content_type("favicon.ico"), "image/x-icon");
        assert_eq!(content_type("leaflet.pdf"), "application/pdf");
        assert_eq!(content_type("README"), "application/octet-stream");
        assert!(is_html("x.htm"));
        assert!(!is_html("x.json"));
    }
}
