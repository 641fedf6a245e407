//! What a web host gets besides the pages (#18): the web app manifest, a service worker that
//! keeps the whole build available offline, and, when `base_url` is set, `sitemap.xml` and
//! `robots.txt`.
//!
//! Every file of a render goes through a [`Recorder`], which notes its path and a hash of its
//! bytes; the service worker, written last, lists every file and names its cache after the hash
//! of them all. So a new build with any change gets a new cache (and a new `sw.js`, which is how
//! browsers notice an update), and a page is never served from a cache that mixes two builds.

use std::sync::{Mutex, PoisonError};

use crate::model::Site;
use crate::output::{Pieces, Reused, Sink};
use anyhow::Result;

/// The service worker's file: at the top, so that its scope is the whole site.
pub(crate) const SERVICE_WORKER: &str = "sw.js";
/// The web app manifest's file.
pub(crate) const MANIFEST: &str = "manifest.webmanifest";
/// The colour of the browser's bar and the splash screen: the default theme's header.
const THEME_COLOUR: &str = "#0b4f6c";

/// FNV-1a, 64 bits: small, stable from one Rust version to the next, and enough to tell two
/// builds apart (it names a cache; it guards nothing).
#[derive(Clone, Copy)]
struct Fnv(u64);

impl Fnv {
    fn new() -> Self {
        Fnv(0xcbf2_9ce4_8422_2325)
    }

    fn add(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 ^= u64::from(b);
            self.0 = self.0.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
}

/// A sink that passes every file on and remembers its path and a hash of its bytes.
pub(crate) struct Recorder<'a> {
    inner: &'a dyn Sink,
    files: Mutex<Vec<(String, u64)>>,
}

impl<'a> Recorder<'a> {
    /// Records the files given to `inner`.
    pub(crate) fn new(inner: &'a dyn Sink) -> Self {
        Recorder { inner, files: Mutex::new(Vec::new()) }
    }

    fn note(&self, path: &str, hash: u64) {
        self.inner.record(path, hash);
        self.files.lock().unwrap_or_else(PoisonError::into_inner).push((path.to_string(), hash));
    }

    /// Writes the manifest, then `sitemap.xml` and `robots.txt` when the site has a `base_url`,
    /// then the service worker, which lists every file written (itself excepted).
    ///
    /// # Errors
    ///
    /// Whatever the sink refuses.
    pub(crate) fn finish(self, site: &Site) -> Result<()> {
        self.put(MANIFEST.into(), manifest(site).into_bytes())?;
        let written: Vec<String> = self.paths();
        if let Some(base) = site.config.base_url.as_deref().map(base_url) {
            // A `static/sitemap.xml` or `static/robots.txt` of the site's own wins.
            let pages: Vec<String> = written.iter().filter(|p| p.ends_with(".html")).cloned().collect();
            if !written.iter().any(|p| p == "sitemap.xml") {
                self.put("sitemap.xml".into(), sitemap(&base, &pages).into_bytes())?;
            }
            if !written.iter().any(|p| p == "robots.txt") {
                self.put(
                    "robots.txt".into(),
                    format!("User-agent: *\nAllow: /\nSitemap: {base}sitemap.xml\n").into_bytes(),
                )?;
            }
        }
        let mut files = self.files.into_inner().unwrap_or_else(PoisonError::into_inner);
        files.sort();
        let mut all = Fnv::new();
        for (path, hash) in &files {
            all.add(path.as_bytes());
            all.add(&[0]);
            all.add(&hash.to_le_bytes());
        }
        let paths: Vec<&str> = files.iter().map(|(p, _)| p.as_str()).collect();
        self.inner.put(SERVICE_WORKER.into(), service_worker(&format!("{:016x}", all.0), &paths).into_bytes())
    }

    fn paths(&self) -> Vec<String> {
        self.files.lock().unwrap_or_else(PoisonError::into_inner).iter().map(|(p, _)| p.clone()).collect()
    }
}

impl Sink for Recorder<'_> {
    fn put(&self, path: String, bytes: Vec<u8>) -> Result<()> {
        let mut h = Fnv::new();
        h.add(&bytes);
        self.note(&path, h.0);
        self.inner.put(path, bytes)
    }

    fn create<'s>(&'s self, path: &str) -> Result<Box<dyn Pieces + 's>> {
        let inner = self.inner.create(path)?;
        Ok(Box::new(Hashed { recorder: self, path: path.to_string(), hash: Fnv::new(), inner }))
    }

    fn reuse(&self, unit: &str, inputs: u64) -> Result<Option<Reused>> {
        let reused = self.inner.reuse(unit, inputs)?;
        // Files taken again are the build's files too, with the hash noted when they were made.
        for (path, hash) in reused.iter().flatten() {
            self.files.lock().unwrap_or_else(PoisonError::into_inner).push((path.clone(), *hash));
        }
        Ok(reused)
    }

    fn remembers(&self) -> bool {
        self.inner.remembers()
    }

    fn record(&self, path: &str, hash: u64) {
        self.inner.record(path, hash);
    }
}

/// A file given in pieces, hashed on the way through.
struct Hashed<'s> {
    recorder: &'s Recorder<'s>,
    path: String,
    hash: Fnv,
    inner: Box<dyn Pieces + 's>,
}

impl Pieces for Hashed<'_> {
    fn write(&mut self, bytes: &[u8]) -> Result<()> {
        self.hash.add(bytes);
        self.inner.write(bytes)
    }

    fn finish(self: Box<Self>) -> Result<()> {
        let Hashed { recorder, path, hash, inner } = *self;
        inner.finish()?;
        recorder.note(&path, hash.0);
        Ok(())
    }
}

/// `base_url` with exactly one `/` at the end.
pub(crate) fn base_url(url: &str) -> String {
    format!("{}/", url.trim().trim_end_matches('/'))
}

/// The path part of `base_url` (`/care/` for `https://example.org/care/`), for links that must
/// work from any folder (the 404 page).
pub(crate) fn base_path(url: &str) -> String {
    let url = base_url(url);
    let after_scheme = url.split_once("://").map_or(url.as_str(), |(_, rest)| rest);
    after_scheme.find('/').map_or_else(|| "/".to_string(), |at| after_scheme[at..].to_string())
}

/// The web app manifest: name, short name, icon, colours; addresses relative to the site.
pub(crate) fn manifest(site: &Site) -> String {
    let c = &site.config;
    let short = c.short_title.clone().unwrap_or_else(|| c.title.clone());
    let value = serde_json::json!({
        "name": c.title,
        "short_name": short,
        "description": c.description,
        "lang": c.language,
        "start_url": "./index.html",
        "scope": "./",
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": THEME_COLOUR,
        "icons": [
            { "src": "static/icon.svg", "sizes": "any", "type": "image/svg+xml", "purpose": "any" },
        ],
    });
    serde_json::to_string_pretty(&value).unwrap_or_default() + "\n"
}

fn sitemap(base: &str, pages: &[String]) -> String {
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    let mut pages: Vec<&String> = pages.iter().filter(|p| p.as_str() != "404.html").collect();
    pages.sort();
    for p in pages {
        out.push_str("<url><loc>");
        out.push_str(&xml_escape(&format!("{base}{p}")));
        out.push_str("</loc></url>\n");
    }
    out.push_str("</urlset>\n");
    out
}

fn xml_escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// The service worker: precaches every file of the build into the cache `carebook <address> <hash>`,
/// answers from it (never from another build's cache), and drops older caches once active.
fn service_worker(hash: &str, files: &[&str]) -> String {
    let list = serde_json::to_string(files).unwrap_or_else(|_| "[]".into());
    format!(
        r#"// Written by carebook for one build; do not edit. Keeps this build of the site offline.
"use strict";
const FILES = {list};
const base = new URL("./", self.location).href;
// Caches belong to the origin, not the folder: named after the site's address too, so that two
// sites on one host (/a/, /b/) never drop each other's.
const PREFIX = "carebook " + base + " ";
const CACHE = PREFIX + "{hash}";
self.addEventListener("install", (event) => {{
  event.waitUntil(
    caches.open(CACHE)
      .then((cache) => cache.addAll(FILES.map((f) => new Request(base + f.split("/").map(encodeURIComponent).join("/"), {{ cache: "reload" }}))))
      .then(() => self.skipWaiting()),
  );
}});
self.addEventListener("activate", (event) => {{
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(keys.filter((k) => k.startsWith(PREFIX) && k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
}});
self.addEventListener("fetch", (event) => {{
  const request = event.request;
  if (request.method !== "GET" || !request.url.startsWith(base)) return;
  const url = new URL(request.url);
  url.hash = "";
  url.search = "";
  let key = url.href;
  if (key.endsWith("/")) key += "index.html";
  event.respondWith(
    caches.open(CACHE).then((cache) =>
      cache.match(key).then((hit) => {{
        if (hit) return hit;
        return fetch(request).catch(() =>
          request.mode === "navigate" ? cache.match(base + "404.html").then((r) => r || Response.error()) : Response.error(),
        );
      }}),
    ),
  );
}});
"#
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_path_is_the_path_of_the_address() {
        assert_eq!(base_path("https://example.org/care"), "/care/");
        assert_eq!(base_path("https://example.org"), "/");
        assert_eq!(base_path("http://127.0.0.1:8080/care/"), "/care/");
    }

    #[test]
    fn the_worker_names_its_cache_and_lists_files() {
        let sw = service_worker("00ff", &["index.html", "a \"b\".html"]);
        assert!(sw.contains(r#"const CACHE = PREFIX + "00ff";"#));
        assert!(sw.contains(r#"const FILES = ["index.html","a \"b\".html"];"#));
    }
}
