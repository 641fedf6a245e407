//! `carebook serve`: live preview. Checks the site in memory, serves it over HTTP, rebuilds on
//! every change and tells open pages to reload, or shows them the problems.
//!
//! ```text
//! watch    notify: content/, themes/, carebook.toml -> changed paths, as they come
//!          (content/ and themes/ are watched again when they are moved away and back)
//! rebuild  carebook::run (Goal::Preview, with a cache told the changed paths) on a blocking thread
//!          (content/ is not walked again; unchanged files are neither read, parsed nor checked
//!          again), started once the first changes of a burst settled and shown once the burst
//!          is over (no change for the debounce time), built again first if the burst changed files after the
//!          build started; changes during a build coalesced -> the last good site + a status
//! http     axum: GET/HEAD only, paths checked, pages rendered on first request and kept,
//!          live-reload script injected
//! events   /__carebook/events (server-sent events): "reload" after a good build, "errors" after a bad one
//! ```
//!
//! The site is never written anywhere: `serve` keeps the checked site of the last good build and
//! the pages rendered from it behind an `Arc<RwLock<…>>` owned by the server, so `public/` is never
//! touched, a failed rebuild leaves the last good site being served, and no request can reach a
//! file outside the site: a linked file is opened only if it is still the file the last good build
//! checked ([`crate::load::open_asset`]). After each rebuild one page of each template is rendered,
//! so a template error reaches the overlay; one that shows only on another page answers that page
//! with a 500 listing the problem. The live-reload script exists only in responses, never in a
//! built file.
//!
//! Only requests addressed to this computer by name (`localhost`, `127.0.0.1`, `[::1]`), to one of
//! its addresses when listening on the network, or to a name given with `--allow-host` are
//! answered: a web page cannot read the preview by pointing a name of its own at 127.0.0.1 (DNS
//! rebinding).
//!
//! The status, which is also the overlay's payload, is served as JSON at `/__carebook/status`:
//!
//! ```json
//! {"ok": false, "id": "5f3a9c-3", "build": 3, "attempt": 5, "elapsed_ms": 41, "pages": 47,
//!  "summary": "error: 1 error in 1 file", "fatal": null,
//!  "diagnostics": [{"severity": "error", "code": "unknown-field", "file": "content/guides/mastitis.md",
//!                   "line": 6, "column": 1, "end_line": 6, "end_column": 8,
//!                   "message": "…", "help": "did you mean `symptoms`?"}]}
//! ```
//!
//! `id` names the build being served (`<session>-<build>`); a page whose script carries another id
//! reloads on the next `reload` event. `fatal` is an error that is not about content (the theme
//! folder is gone, …). `diagnostics` uses the `--format json` objects.

mod http;
mod pages;
mod probe;
mod rebuild;
mod watch;

use std::fmt::Write as _;
use std::future::IntoFuture;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::path::PathBuf;
use std::sync::{Arc, Mutex, PoisonError, RwLock};
use std::time::{Duration, Instant};

use anyhow::Context;
use axum::Router;
use axum::body::Bytes;
use tokio::sync::{mpsc, watch as channel};

use crate::Diagnostic;
use crate::Options;
use crate::report::{Format, Report};

pub use pages::Pages;

/// The port `serve` listens on by default.
pub(crate) const DEFAULT_PORT: u16 = 1111;

/// How long a burst of saves may pause and still give one rebuild: a rebuild starts once the
/// first changes settled (a fifth of this), and is shown once no change came for this long.
pub(crate) const DEFAULT_DEBOUNCE: Duration = Duration::from_millis(25);

/// How long stopping waits for open connections to finish.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(3);

/// The arguments of `carebook serve`.
#[derive(clap::Args, Clone, Debug)]
pub(crate) struct ServeArgs {
    /// The site folder (holds carebook.toml and content/).
    #[arg(long, default_value = ".")]
    pub(crate) root: PathBuf,
    /// The address to listen on: 127.0.0.1 keeps the site on this computer; anything else lets
    /// other computers on the network read it.
    #[arg(long, visible_alias = "bind", default_value = "127.0.0.1")]
    pub(crate) host: String,
    /// Also answer requests addressed to NAME (repeatable), such as this computer's name on the
    /// network. Requests are otherwise answered only when addressed to localhost, 127.0.0.1, [::1]
    /// or (with --host other than a loopback address) an IP address, so that no web page can read
    /// the preview through a name of its own.
    #[arg(long = "allow-host", value_name = "NAME")]
    pub(crate) allow_host: Vec<String>,
    /// The port to listen on; 0 picks a free one.
    #[arg(long, default_value_t = DEFAULT_PORT)]
    pub(crate) port: u16,
    /// Open the site in the default web browser.
    #[arg(long)]
    pub(crate) open: bool,
    /// Include guides marked `draft: true`.
    #[arg(long)]
    pub(crate) drafts: bool,
    /// Look for changes by reading the watched files every second instead of waiting for the
    /// operating system's notifications (for network drives, containers and virtual machines
    /// where notifications do not arrive).
    #[arg(long)]
    pub(crate) poll: bool,
}

/// Runs `carebook serve` until Ctrl-C (or SIGTERM): builds, serves, watches, rebuilds.
///
/// Fails (exit status 2) when the host is not an address, the port is busy, or the site folder
/// cannot be built at all (no `content/`); content errors do not stop it: the browser and the
/// terminal show them until they are fixed.
pub(crate) fn run(args: ServeArgs) -> anyhow::Result<()> {
    let ip = parse_host(&args.host)?;
    if !ip.is_loopback() {
        eprintln!(
            "warning: listening on {ip}: other computers on the network can read the site (by this \
             computer's IP address, or a name given with --allow-host); leave out --host to keep it \
             on this computer (127.0.0.1)"
        );
    }
    let mut opts = Options::new(&args.root);
    opts.drafts = args.drafts;
    let mut settings = Settings::new(SocketAddr::new(ip, args.port));
    settings.poll = args.poll;
    settings.allowed_hosts = args.allow_host;
    let server = Server::start(opts, settings)?;
    let url = server.url();
    eprintln!("serving {url} (press Ctrl-C to stop)");
    if args.open {
        open_browser(&url);
    }
    let waited = server.wait_for_signal();
    eprintln!("stopping");
    let stopped = server.shutdown();
    waited.and(stopped)
}

/// The address from `--host`: an IP address, or `localhost` (127.0.0.1).
pub(crate) fn parse_host(host: &str) -> anyhow::Result<IpAddr> {
    if host.eq_ignore_ascii_case("localhost") {
        return Ok(IpAddr::V4(Ipv4Addr::LOCALHOST));
    }
    host.trim_matches(['[', ']']).parse().map_err(|_| {
        anyhow::anyhow!("--host `{host}` is not an IP address; use 127.0.0.1 (the default), ::1 or 0.0.0.0")
    })
}

/// How a serve session runs, apart from what it builds.
#[derive(Clone, Debug)]
pub struct Settings {
    /// Where to listen; port 0 picks a free port (see [`Server::addr`]).
    pub(crate) addr: SocketAddr,
    /// Poll for changes instead of using the operating system's notifications.
    pub poll: bool,
    /// How long a burst of saves may last and still give one rebuild.
    pub debounce: Duration,
    /// Names, besides `localhost`, `127.0.0.1` and `[::1]`, that requests may be addressed to
    /// (`--allow-host`); any other `Host` is refused with 421.
    pub allowed_hosts: Vec<String>,
}

impl Settings {
    /// Listen on `addr`, native notifications, the default debounce, no other host names.
    pub fn new(addr: SocketAddr) -> Self {
        Settings { addr, poll: false, debounce: DEFAULT_DEBOUNCE, allowed_hosts: Vec::new() }
    }
}

/// A running serve session: an HTTP server, a watcher and a rebuild loop on their own runtime.
///
/// [`Server::start`] returns once the first build is done and the server accepts connections.
/// [`Server::shutdown`] (or dropping it) stops everything and closes open event streams. The server
/// owns its runtime: start, wait for and stop it from ordinary threads, not from async code.
pub struct Server {
    addr: SocketAddr,
    shutdown: channel::Sender<bool>,
    server_task: Option<tokio::task::JoinHandle<std::io::Result<()>>>,
    runtime: Option<tokio::runtime::Runtime>,
}

impl Server {
    /// Binds `settings.addr`, starts watching, builds the site once and starts serving it.
    ///
    /// Errors: a name in `allowed_hosts` is not a host name, the port is in use or may not be
    /// used, the watcher cannot start, or the site cannot be built at all (for example, there is
    /// no `content/` folder). A site with content errors is served anyway: every page shows the
    /// problems until they are fixed.
    pub fn start(opts: Options, settings: Settings) -> anyhow::Result<Server> {
        let hosts = http::Hosts::new(settings.addr.ip(), &settings.allowed_hosts)?;
        let listener = bind(settings.addr)?;
        let addr = listener.local_addr().context("failed to read the address the server listens on")?;
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .thread_name("carebook-serve")
            .enable_all()
            .build()
            .context("failed to start the server's runtime")?;
        let (shutdown, shutdown_rx) = channel::channel(false);
        let app = Arc::new(App::new(shutdown_rx.clone(), hosts));

        // Watch first, so that no change made during the first build is missed.
        let root = std::path::absolute(&opts.root).unwrap_or_else(|_| opts.root.clone());
        let watch_root = root.canonicalize().unwrap_or(root);
        let (changes, changes_rx) = mpsc::unbounded_channel();
        let watcher = watch::start(&watch_root, settings.poll, changes)?;

        let mut cache = crate::Cache::default();
        let outcome = Outcome::build(&opts, &mut cache, None);
        if let Err(e) = &outcome.result {
            anyhow::bail!("{e:#}");
        }
        app.apply(outcome, &[]);

        let router = Router::new().fallback(http::handle).with_state(app.clone());
        let server_task = {
            let _guard = runtime.enter();
            let listener = tokio::net::TcpListener::from_std(listener)
                .context("failed to hand the listening socket to the runtime")?;
            let serve = axum::serve(listener, router).with_graceful_shutdown(stopped(shutdown_rx.clone()));
            let task = runtime.spawn(serve.into_future());
            let watcher = Arc::new(Mutex::new(watcher));
            runtime.spawn(rebuild::rebuild_loop(
                app,
                opts,
                cache,
                watcher,
                (changes_rx, settings.debounce),
                shutdown_rx,
            ));
            task
        };
        Ok(Server { addr, shutdown, server_task: Some(server_task), runtime: Some(runtime) })
    }

    /// The address the server listens on (with the port picked when 0 was asked for).
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The site's address for a browser: `http://127.0.0.1:1111/` (a loopback address when
    /// listening on all interfaces).
    pub fn url(&self) -> String {
        let ip = match self.addr.ip() {
            IpAddr::V4(ip) if ip.is_unspecified() => IpAddr::V4(Ipv4Addr::LOCALHOST),
            IpAddr::V6(ip) if ip.is_unspecified() => IpAddr::V6(Ipv6Addr::LOCALHOST),
            ip => ip,
        };
        format!("http://{}/", SocketAddr::new(ip, self.addr.port()))
    }

    /// Blocks until Ctrl-C (or, on Unix, SIGTERM); an error if Ctrl-C cannot be listened for.
    pub(crate) fn wait_for_signal(&self) -> anyhow::Result<()> {
        let Some(runtime) = &self.runtime else { return Ok(()) };
        runtime
            .block_on(async {
                #[cfg(unix)]
                {
                    use tokio::signal::unix::{SignalKind, signal};
                    if let Ok(mut term) = signal(SignalKind::terminate()) {
                        return tokio::select! {
                            result = tokio::signal::ctrl_c() => result,
                            _ = term.recv() => Ok(()),
                        };
                    }
                }
                tokio::signal::ctrl_c().await
            })
            .context("failed to listen for Ctrl-C")
    }

    /// Stops serving and watching (the rebuild loop, which owns the watcher, ends): open event
    /// streams end, connections get up to 3 seconds to finish, then everything is dropped.
    pub fn shutdown(mut self) -> anyhow::Result<()> {
        self.stop()
    }

    /// [`Server::shutdown`], for `Drop` too.
    fn stop(&mut self) -> anyhow::Result<()> {
        let _ = self.shutdown.send(true);
        let mut result = Ok(());
        if let (Some(runtime), Some(task)) = (&self.runtime, self.server_task.take()) {
            result = match runtime.block_on(async { tokio::time::timeout(SHUTDOWN_GRACE, task).await }) {
                Ok(Ok(Ok(()))) | Err(_) => Ok(()),
                Ok(Ok(Err(e))) => Err(anyhow::Error::new(e).context("the server failed")),
                Ok(Err(e)) => Err(anyhow::Error::new(e).context("the server stopped unexpectedly")),
            };
        }
        if let Some(runtime) = self.runtime.take() {
            runtime.shutdown_timeout(Duration::from_secs(1));
        }
        result
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.stop();
    }
}

/// Binds a listening socket, with a clear message when the port is busy.
fn bind(addr: SocketAddr) -> anyhow::Result<std::net::TcpListener> {
    let listener = std::net::TcpListener::bind(addr).map_err(|e| {
        let port = addr.port();
        let ip = addr.ip();
        match e.kind() {
            std::io::ErrorKind::AddrInUse => anyhow::anyhow!(
                "port {port} on {ip} is already in use (is another `carebook serve` running?); \
                 choose another with --port, or --port 0 for a free one"
            ),
            std::io::ErrorKind::PermissionDenied => anyhow::anyhow!(
                "not allowed to listen on port {port} on {ip}; choose a port above 1023 with --port, \
                 or --port 0 for a free one"
            ),
            std::io::ErrorKind::AddrNotAvailable => {
                anyhow::anyhow!("cannot listen on {ip}: it is not an address of this computer; use --host 127.0.0.1")
            }
            _ => anyhow::Error::new(e).context(format!("failed to listen on {addr}")),
        }
    })?;
    listener.set_nonblocking(true).context("failed to make the listening socket non-blocking")?;
    Ok(listener)
}

/// Resolves when `shutdown` turns true (or its sender is gone).
async fn stopped(mut shutdown: channel::Receiver<bool>) {
    loop {
        if *shutdown.borrow_and_update() {
            return;
        }
        if shutdown.changed().await.is_err() {
            return;
        }
    }
}

/// One good build: its [`Pages`] (the checked site and theme, the files made from them so far)
/// and the build's id. Pages are rendered when first asked for, so a rebuild costs the same
/// whether the site has ten guides or ten thousand; a page whose inputs did not change since an
/// earlier build is not rendered again.
struct Site {
    pages: Pages,
    id: String,
}

impl Site {
    /// The file at `path`, rendered now if it was not yet; `None` if the site has no such file.
    /// (Linked files are answered by `http`, which streams the large ones.)
    fn file(&self, path: &str) -> Option<Result<Bytes, Vec<Diagnostic>>> {
        match self.pages.file(path)? {
            Ok(bytes) => Some(Ok(Bytes::from_owner(bytes))),
            Err(crate::render::RenderError::Templates(d)) => Some(Err(d)),
            Err(crate::render::RenderError::Output(e)) => {
                Some(Err(vec![Diagnostic::new(crate::Code::Io, path, None, format!("{e:#}"))]))
            }
        }
    }

    /// The file at `path` if it was rendered (or read) before.
    fn kept(&self, path: &str) -> Option<Bytes> {
        self.pages.kept(path).map(Bytes::from_owner)
    }

    /// Keeps the file at `path` for later requests.
    fn keep(&self, path: &str, bytes: &Bytes) {
        self.pages.keep(path, Arc::from(bytes.as_ref()));
    }

    /// The number of HTML pages the site has, in every language.
    fn pages(&self) -> usize {
        let m = self.pages.site();
        // Home, the two indexes, the doctor index, print.html and 404.html.
        let count = |m: &crate::model::Site| m.guides.len() + m.symptoms.len() + m.causes.len() + m.pages.len() + 6;
        count(m) + m.lang.translations.iter().map(count).sum::<usize>()
    }
}

/// What the browser is told after a build: served as JSON and sent as an event.
struct Status {
    /// The build succeeded.
    ok: bool,
    /// The id of the build being served.
    id: String,
    /// The status as JSON (see the module documentation).
    json: String,
}

impl Status {
    /// The event name: `reload` after a good build, `errors` after a failed one.
    fn event_name(&self) -> &'static str {
        if self.ok { "reload" } else { "errors" }
    }
}

/// Build counters.
#[derive(Default)]
struct Counters {
    /// Good builds so far.
    builds: u64,
    /// Builds tried so far, good or not.
    attempts: u64,
}

/// The state shared by the request handlers and the rebuild loop.
struct App {
    /// The last good site; `None` until a build succeeds.
    site: RwLock<Option<Arc<Site>>>,
    /// The status of the last build; every change is sent to open event streams.
    status: channel::Sender<Arc<Status>>,
    /// Turns true when the server stops.
    shutdown: channel::Receiver<bool>,
    /// Tells builds of this session from builds of an earlier one (a page left open across restarts).
    session: String,
    counters: Mutex<Counters>,
    /// The names requests may be addressed to.
    hosts: http::Hosts,
}

impl App {
    fn new(shutdown: channel::Receiver<bool>, hosts: http::Hosts) -> Self {
        let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_nanos());
        let session = format!("{:x}", (nanos as u64) ^ u64::from(std::process::id()).rotate_left(40));
        let id = format!("{session}-0");
        let json = serde_json::json!({"ok": false, "id": id, "build": 0, "attempt": 0, "diagnostics": []}).to_string();
        let (status, _) = channel::channel(Arc::new(Status { ok: false, id, json }));
        App { site: RwLock::new(None), status, shutdown, session, counters: Mutex::new(Counters::default()), hosts }
    }

    /// The last good site.
    fn site(&self) -> Option<Arc<Site>> {
        self.site.read().unwrap_or_else(PoisonError::into_inner).clone()
    }

    /// Takes in the outcome of a build: keeps the site if it is good, publishes the status, and
    /// tells the terminal. `changed` lists the paths that started it (empty for the first build).
    fn apply(&self, outcome: Outcome, changed: &[String]) {
        let Outcome { result, elapsed, notes, languages } = outcome;
        let first = changed.is_empty();
        let ms = elapsed.as_millis();
        let mut counters = self.counters.lock().unwrap_or_else(PoisonError::into_inner);
        counters.attempts += 1;
        let mut term = String::new();
        if !first {
            let _ = match changed {
                [one] => writeln!(term, "changed {one}"),
                [one, rest @ ..] => writeln!(term, "changed {one} and {} more", rest.len()),
                [] => Ok(()),
            };
        }
        for note in notes {
            let _ = writeln!(term, "{note}");
        }
        let (ok, report, fatal, pages) = match result {
            Ok((report, Some(site))) => {
                counters.builds += 1;
                let site = Site { id: format!("{}-{}", self.session, counters.builds), ..site };
                let pages = site.pages();
                let old = self.site.write().unwrap_or_else(PoisonError::into_inner).replace(Arc::new(site));
                // The last site is freed on another thread: millions of small allocations at 10,000
                // guides, which the reload need not wait for.
                crate::pipeline::drop_later(old);
                (true, Some(report), None, pages)
            }
            Ok((report, None)) => (false, Some(report), None, 0),
            Err(e) => (false, None, Some(format!("{e:#}")), 0),
        };
        if let Some(report) = &report
            && !report.diagnostics().is_empty()
        {
            term.push_str(&report.render(Format::Human, colour()));
            let files = report.diagnostics().iter().map(|d| d.file.as_str());
            crate::lang::problems_by_language(&languages, files).iter().for_each(|l| term.push_str(&format!("{l}\n")));
        }
        if let Some(fatal) = &fatal {
            let _ = writeln!(term, "error: {fatal}");
        }
        let _ = match (ok, first) {
            (true, true) => writeln!(term, "built {pages} pages in {ms} ms"),
            (true, false) => writeln!(term, "rebuilt in {ms} ms ({pages} pages)"),
            (false, true) => {
                writeln!(term, "build failed in {ms} ms; every page shows the problems until they are fixed")
            }
            (false, false) => writeln!(term, "rebuild failed in {ms} ms; still serving the last good site"),
        };
        say(&term);

        let id = format!("{}-{}", self.session, counters.builds);
        let mut diagnostics = report
            .as_ref()
            .map(|r| serde_json::to_value(crate::report::json::diagnostics(r)).unwrap_or_default())
            .unwrap_or_else(|| serde_json::json!([]));
        // The overlay names the language of a problem in another language's files.
        for d in diagnostics.as_array_mut().into_iter().flatten() {
            if let Some(label) = d["file"].as_str().and_then(|f| crate::lang::label_of(&languages, f)) {
                d["language"] = label.into();
            }
        }
        let json = serde_json::json!({
            "ok": ok,
            "id": id,
            "build": counters.builds,
            "attempt": counters.attempts,
            "elapsed_ms": ms,
            "pages": pages,
            "summary": report.as_ref().and_then(Report::summary),
            "fatal": fatal,
            "diagnostics": diagnostics,
        })
        .to_string();
        self.status.send_replace(Arc::new(Status { ok, id, json }));
    }
}

/// A build's result and how long it took.
struct Outcome {
    result: anyhow::Result<(Report, Option<Site>)>,
    elapsed: Duration,
    /// What the watcher has to say (it stopped or resumed watching a folder).
    notes: Vec<String>,
    /// The site's other languages (code, name), to name a problem's language.
    languages: Vec<(String, String)>,
}

impl Outcome {
    /// Checks the site and renders one page of each template (unless `earlier`, the last good
    /// build, has it made from the same inputs); the rest is rendered on request.
    fn build(opts: &Options, cache: &mut crate::Cache, earlier: Option<&Site>) -> Outcome {
        let started = Instant::now();
        let result = crate::run(opts, crate::Goal::Preview, Some(cache)).map(|outcome| {
            let (mut report, prepared) = (outcome.report, outcome.site);
            let Some((model, theme)) = prepared else {
                return (report, None);
            };
            let site = Site { pages: Pages::new(model, theme, earlier.map(|e| &e.pages)), id: String::new() };
            let same_theme = earlier.is_some_and(|e| e.pages.theme_key() == site.pages.theme_key());
            let mut problems = Vec::new();
            for path in probe::probe_paths(site.pages.site(), same_theme) {
                if let Some(Err(d)) = site.file(&path) {
                    problems.extend(d.into_iter().filter(|d| !problems.contains(d)).collect::<Vec<_>>());
                }
            }
            if problems.is_empty() {
                (report, Some(site))
            } else {
                report.extend(problems);
                (report, None)
            }
        });
        let languages = crate::config::load(&opts.root)
            .map(|(c, _, _)| c.languages.iter().map(|l| (l.code.clone(), l.name.clone())).collect())
            .unwrap_or_default();
        Outcome { result, elapsed: started.elapsed(), notes: Vec::new(), languages }
    }
}

/// Opens `url` with the platform's opener; a failure is only a warning.
fn open_browser(url: &str) {
    use std::process::{Command, Stdio};
    let mut command = if cfg!(target_os = "macos") {
        Command::new("open")
    } else if cfg!(windows) {
        let mut c = Command::new("cmd");
        c.args(["/C", "start", ""]);
        c
    } else {
        Command::new("xdg-open")
    };
    command.arg(url).stdin(Stdio::null()).stdout(Stdio::null()).stderr(Stdio::null());
    match command.spawn() {
        // Reap the opener when it exits, without holding up the server.
        Ok(mut child) => {
            std::thread::spawn(move || child.wait());
        }
        Err(e) => eprintln!("warning: could not open a browser ({e}); open {url} yourself"),
    }
}

/// Whether the terminal's messages may be coloured (stderr is a terminal, `NO_COLOR` is not set).
fn colour() -> bool {
    anstream::AutoStream::choice(&std::io::stderr()) != anstream::ColorChoice::Never
}

/// Tells the terminal `text` (whole lines). Through `eprint!`, so that a test running a server
/// captures what it says.
fn say(text: &str) {
    if !text.is_empty() {
        eprint!("{text}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosts() {
        assert_eq!(parse_host("127.0.0.1").ok(), Some(IpAddr::V4(Ipv4Addr::LOCALHOST)));
        assert_eq!(parse_host("localhost").ok(), Some(IpAddr::V4(Ipv4Addr::LOCALHOST)));
        assert_eq!(parse_host("::1").ok(), Some(IpAddr::V6(Ipv6Addr::LOCALHOST)));
        assert_eq!(parse_host("[::1]").ok(), Some(IpAddr::V6(Ipv6Addr::LOCALHOST)));
        assert_eq!(parse_host("0.0.0.0").ok(), Some(IpAddr::V4(Ipv4Addr::UNSPECIFIED)));
        let err = parse_host("example.org").map(|_| ()).unwrap_err().to_string();
        assert!(err.contains("example.org") && err.contains("127.0.0.1"), "{err}");
    }

    #[test]
    fn busy_port_is_named() {
        let taken = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        let addr = taken.local_addr().expect("addr");
        let err = bind(addr).map(|_| ()).unwrap_err().to_string();
        assert!(err.contains(&format!("port {}", addr.port())), "{err}");
        assert!(err.contains("already in use") && err.contains("--port 0"), "{err}");
    }
}
