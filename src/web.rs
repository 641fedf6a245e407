//! What a web host gets besides the pages (#18): the web app manifest, a service worker that
//! keeps the build available offline, and, when `base_url` is set, `sitemap.xml` and
//! `robots.txt`.
//!
//! Every file of a render goes through a [`Recorder`], which notes its path, size and a hash of
//! its bytes; the service worker, written last, names its cache after the hash of them all. So a
//! new build with any change gets a new cache (and a new `sw.js`, which is how browsers notice an
//! update), and a page is never served from an older build's cache. A small site is precached
//! whole; a large one (10,000 guides are over 300 MB) only its shell — theme files, home, indexes,
//! the doctor page — and each other page is kept once it is visited.

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
/// A build up to this size is precached whole at the first visit; a larger one, its shell.
const PRECACHE_WHOLE_UP_TO: u64 = 10 << 20;
/// The pages of the shell, besides the theme's files (`static/`): what a reader needs first and
/// the ways to every other page.
const SHELL: &[&str] = &[
    "index.html",
    "guides/index.html",
    "symptoms/index.html",
    "causes/index.html",
    "when-to-see-a-doctor.html",
    "404.html",
    MANIFEST,
    "search/index.js",
];

/// The hash of a file's bytes, and of them all (the cache's name): FxHash's step (rotate, xor,
/// multiply) on each 8-byte little-endian word, the last word padded with zeros, then the
/// length, then a final mix. Stable from one Rust version to the next, the same whether the
/// bytes come whole or in pieces, and enough to tell two builds apart (it names a cache; it
/// guards nothing). It took the place of FNV-1a, which multiplies once per byte: 5-7 % of a
/// 10,000-guide build for a value no one reads; this takes one multiply per 8 bytes (only the
/// hash in sw.js's cache name changed).
#[derive(Clone, Copy)]
struct FileHash {
    state: u64,
    /// Bytes of the word not yet complete, in its low bytes.
    tail: u64,
    tail_len: u32,
    len: u64,
}

impl FileHash {
    const K: u64 = 0xf135_7aea_2e62_a9c5;

    fn new() -> Self {
        FileHash { state: 0, tail: 0, tail_len: 0, len: 0 }
    }

    fn word(&mut self, w: u64) {
        self.state = (self.state.rotate_left(26) ^ w).wrapping_mul(Self::K);
    }

    fn add(&mut self, bytes: &[u8]) {
        self.len += bytes.len() as u64;
        let mut rest = bytes;
        while self.tail_len > 0 {
            let Some((&b, more)) = rest.split_first() else { return };
            self.tail |= u64::from(b) << (8 * self.tail_len);
            self.tail_len += 1;
            rest = more;
            if self.tail_len == 8 {
                let w = self.tail;
                self.word(w);
                (self.tail, self.tail_len) = (0, 0);
            }
        }
        let mut words = rest.chunks_exact(8);
        for w in &mut words {
            self.word(u64::from_le_bytes([w[0], w[1], w[2], w[3], w[4], w[5], w[6], w[7]]));
        }
        for &b in words.remainder() {
            self.tail |= u64::from(b) << (8 * self.tail_len);
            self.tail_len += 1;
        }
    }

    fn finish(mut self) -> u64 {
        if self.tail_len > 0 {
            let w = self.tail;
            self.word(w);
        }
        let len = self.len;
        self.word(len);
        // A final mix (MurmurHash3's), so that every bit of the name depends on every byte.
        let mut h = self.state;
        h ^= h >> 33;
        h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
        h ^= h >> 33;
        h = h.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
        h ^ (h >> 33)
    }
}

/// A sink that passes every file on and remembers its path and a hash of its bytes.
pub(crate) struct Recorder<'a> {
    inner: &'a dyn Sink,
    /// Each file's path, hash and size.
    files: Mutex<Vec<(String, u64, u64)>>,
}

impl<'a> Recorder<'a> {
    /// Records the files given to `inner`.
    pub(crate) fn new(inner: &'a dyn Sink) -> Self {
        Recorder { inner, files: Mutex::new(Vec::new()) }
    }

    fn note(&self, path: &str, hash: u64, size: u64) {
        self.inner.record(path, hash);
        self.files.lock().unwrap_or_else(PoisonError::into_inner).push((path.to_string(), hash, size));
    }

    /// Writes the manifest, then `sitemap.xml` and `robots.txt` when the site has a `base_url`,
    /// then the service worker, which precaches every file written (itself excepted), or, when
    /// they are over [`PRECACHE_WHOLE_UP_TO`], the shell.
    ///
    /// # Errors
    ///
    /// Whatever the sink refuses.
    pub(crate) fn finish(self, site: &Site) -> Result<()> {
        self.put(MANIFEST.into(), manifest(site).into_bytes())?;
        let written: Vec<String> = self.paths();
        // A translation's pages are in the top sitemap (with their alternates); crawlers read
        // robots.txt at the top only.
        let translation = site.lang.edition.languages.first().is_some_and(|l| !l.current);
        if let Some(base) = site.config.base_url.as_deref().map(base_url).filter(|_| !translation) {
            // A `static/sitemap.xml` or `static/robots.txt` of the site's own wins.
            let pages: Vec<String> = written.iter().filter(|p| p.ends_with(".html")).cloned().collect();
            if !written.iter().any(|p| p == "sitemap.xml") {
                self.put("sitemap.xml".into(), sitemap(&base, &pages, &site.lang.edition).into_bytes())?;
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
        let mut all = FileHash::new();
        for (path, hash, _) in &files {
            all.add(path.as_bytes());
            all.add(&[0]);
            all.add(&hash.to_le_bytes());
        }
        let whole = files.iter().map(|(_, _, size)| size).sum::<u64>() <= PRECACHE_WHOLE_UP_TO;
        let paths: Vec<&str> = files.iter().map(|(p, _, _)| p.as_str()).filter(|p| whole || is_shell(p)).collect();
        self.inner.put(SERVICE_WORKER.into(), service_worker(&format!("{:016x}", all.finish()), &paths).into_bytes())
    }

    fn paths(&self) -> Vec<String> {
        self.files.lock().unwrap_or_else(PoisonError::into_inner).iter().map(|(p, _, _)| p.clone()).collect()
    }
}

impl Sink for Recorder<'_> {
    fn put(&self, path: String, bytes: Vec<u8>) -> Result<()> {
        let mut h = FileHash::new();
        h.add(&bytes);
        self.note(&path, h.finish(), bytes.len() as u64);
        self.inner.put(path, bytes)
    }

    fn create<'s>(&'s self, path: &str) -> Result<Box<dyn Pieces + 's>> {
        let inner = self.inner.create(path)?;
        Ok(Box::new(Hashed { recorder: self, path: path.to_string(), hash: FileHash::new(), size: 0, inner }))
    }

    fn reuse(&self, unit: &str, inputs: u64) -> Result<Option<Reused>> {
        let reused = self.inner.reuse(unit, inputs)?;
        // Files taken again are the build's files too, with the hash noted when they were made.
        for (path, hash, size) in reused.iter().flatten() {
            self.files.lock().unwrap_or_else(PoisonError::into_inner).push((path.clone(), *hash, *size));
        }
        Ok(reused)
    }

    fn remembers(&self) -> bool {
        self.inner.remembers()
    }

    fn record(&self, path: &str, hash: u64) {
        self.inner.record(path, hash);
    }

    fn recall(&self, key: u64) -> Option<Vec<u8>> {
        self.inner.recall(key)
    }

    fn keep(&self, key: u64, value: &[u8]) {
        self.inner.keep(key, value);
    }
}

/// A file given in pieces, hashed on the way through.
struct Hashed<'s> {
    recorder: &'s Recorder<'s>,
    path: String,
    hash: FileHash,
    size: u64,
    inner: Box<dyn Pieces + 's>,
}

impl Pieces for Hashed<'_> {
    fn write(&mut self, bytes: &[u8]) -> Result<()> {
        self.hash.add(bytes);
        self.size += bytes.len() as u64;
        self.inner.write(bytes)
    }

    fn finish(self: Box<Self>) -> Result<()> {
        let Hashed { recorder, path, hash, size, inner } = *self;
        inner.finish()?;
        recorder.note(&path, hash.finish(), size);
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

/// `sitemap.xml`: every page of the site, in every language; a page with translations lists
/// them all (itself included) as `xhtml:link` alternates, and the default language's as
/// `x-default`, as search engines read them.
fn sitemap(base: &str, pages: &[String], edition: &crate::lang::Edition) -> String {
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    out.push_str("<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\"");
    out.push_str(if edition.languages.len() > 1 { " xmlns:xhtml=\"http://www.w3.org/1999/xhtml\">\n" } else { ">\n" });
    let mut pages: Vec<&String> = pages.iter().filter(|p| p.as_str() != "404.html").collect();
    pages.sort();
    // Each language's pages, as (its prefix, the page's languages with their addresses).
    let mut all: Vec<(String, Vec<(&str, String)>)> = Vec::new();
    for l in &edition.languages {
        let of_lang: Vec<&str> = if l.current {
            pages.iter().map(|p| p.as_str()).collect()
        } else {
            let mut own: Vec<&str> = l.paths.iter().map(String::as_str).collect();
            for generated in crate::lang::generated_pages() {
                own.push(generated);
            }
            own.sort_unstable();
            own.dedup();
            own
        };
        for p in of_lang {
            let alts = crate::lang::alternates(edition, p)
                .map(|(code, prefix)| (code, format!("{base}{prefix}{p}")))
                .collect();
            all.push((format!("{base}{}{p}", l.prefix), alts));
        }
    }
    for (loc, alts) in all {
        out.push_str("<url><loc>");
        out.push_str(&crate::text::escaped(&loc));
        out.push_str("</loc>");
        if alts.len() > 1 {
            for (code, href) in alts.iter().chain(alts.first().map(|(_, h)| ("x-default", h.clone())).as_ref()) {
                out.push_str(&format!(
                    "\n<xhtml:link rel=\"alternate\" hreflang=\"{code}\" href=\"{}\"/>",
                    crate::text::escaped(href)
                ));
            }
            out.push('\n');
        }
        out.push_str("</url>\n");
    }
    out.push_str("</urlset>\n");
    out
}

/// Whether `path` belongs to the shell precached on a large site.
fn is_shell(path: &str) -> bool {
    path.starts_with("static/") || SHELL.contains(&path)
}

/// The service worker: precaches `files` into the cache `carebook <address> <hash>`, answers
/// from it (never from another build's cache), keeps each other file of the site it fetches, and
/// drops older caches once active.
fn service_worker(hash: &str, files: &[&str]) -> String {
    let list = serde_json::to_string(files).unwrap_or_else(|_| "[]".into());
    format!(
        r#"// Written by carebook for one build; do not edit. Keeps this build of the site offline: FILES at
// once, every other page once it is visited.
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
        return fetch(request).then((response) => {{
          // Kept for offline use from now on (a large site precaches its shell only).
          if (response.ok && response.type === "basic") cache.put(key, response.clone());
          return response;
        }}, () =>
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

    /// The hash of bytes given in pieces is the hash of them whole, wherever the pieces end; and
    /// any change (a byte, a length, zeros at the end) changes it.
    #[test]
    fn a_file_hash_is_the_same_in_pieces_and_tells_bytes_apart() {
        let whole = |b: &[u8]| {
            let mut h = FileHash::new();
            h.add(b);
            h.finish()
        };
        let bytes: Vec<u8> = (0..100u32).map(|i| (i * 37 % 251) as u8).collect();
        for cut in 0..=bytes.len() {
            for step in 1..=17 {
                let mut h = FileHash::new();
                h.add(&bytes[..cut]);
                for piece in bytes[cut..].chunks(step) {
                    h.add(piece);
                }
                h.add(&[]);
                assert_eq!(h.finish(), whole(&bytes), "cut at {cut}, pieces of {step}");
            }
        }
        let mut seen = std::collections::HashSet::new();
        for n in 0..=bytes.len() {
            assert!(seen.insert(whole(&bytes[..n])), "prefix of {n}");
            let mut changed = bytes[..n].to_vec();
            if let Some(last) = changed.last_mut() {
                *last ^= 0x80;
                assert!(seen.insert(whole(&changed)), "prefix of {n} changed");
            }
        }
        assert_ne!(whole(&[]), whole(&[0]));
        assert_ne!(whole(&[0; 7]), whole(&[0; 8]));
    }

    #[test]
    fn the_worker_names_its_cache_and_lists_files() {
        let sw = service_worker("00ff", &["index.html", "a \"b\".html"]);
        assert!(sw.contains(r#"const CACHE = PREFIX + "00ff";"#));
        assert!(sw.contains(r#"const FILES = ["index.html","a \"b\".html"];"#));
    }
}
