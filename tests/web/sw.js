// Runs a built sw.js in Node against an in-memory Cache Storage and a network that serves the
// built folder, and prints what it did as JSON (tests/testsuite/web.rs reads it):
//   precached  the files the install step put in the cache
//   visited    after fetching PAGE online: whether it is now in the cache
//   offline    with the network down: whether PAGE is served as built, and whether a page never
//              visited gets 404.html
// usage: node tests/web/sw.js OUT_DIR PAGE NEVER_VISITED
"use strict";
const fs = require("fs");
const path = require("path");
const vm = require("vm");

const [out, page, never] = process.argv.slice(2);
const BASE = "https://example.org/care/";

const stores = new Map();
function cacheOf(name) {
  if (!stores.has(name)) stores.set(name, new Map());
  const store = stores.get(name);
  const url = (r) => (typeof r === "string" ? r : r.url);
  return {
    addAll: (requests) => Promise.all(requests.map((r) => network(r).then((res) => store.set(url(r), res)))),
    put: (r, res) => Promise.resolve(store.set(url(r), res)),
    match: (r) => Promise.resolve(store.has(url(r)) ? store.get(url(r)).clone() : undefined),
  };
}
const caches = {
  open: (name) => Promise.resolve(cacheOf(name)),
  keys: () => Promise.resolve([...stores.keys()]),
  delete: (name) => Promise.resolve(stores.delete(name)),
};

let online = true;
function network(request) {
  const url = typeof request === "string" ? request : request.url;
  if (!online) return Promise.reject(new TypeError("offline"));
  const file = path.join(out, decodeURIComponent(url.slice(BASE.length)));
  if (!fs.existsSync(file)) return Promise.resolve(new Response("missing", { status: 404 }));
  // A Response made here has type "default"; a same-origin one in a browser is "basic".
  const res = new Response(fs.readFileSync(file), { status: 200 });
  Object.defineProperty(res, "type", { value: "basic" });
  const clone = res.clone.bind(res);
  res.clone = () => Object.defineProperty(clone(), "type", { value: "basic" });
  return Promise.resolve(res);
}

const listeners = {};
const self = {
  location: BASE + "sw.js",
  addEventListener: (type, fn) => (listeners[type] = fn),
  skipWaiting: () => Promise.resolve(),
  clients: { claim: () => Promise.resolve() },
};
vm.runInNewContext(fs.readFileSync(path.join(out, "sw.js"), "utf8"), {
  self,
  caches,
  fetch: network,
  Request: class {
    constructor(url) {
      this.url = url;
    }
  },
  URL,
  Response,
  Promise,
  encodeURIComponent,
});

function dispatch(type, extra) {
  let done = Promise.resolve();
  const event = Object.assign({ waitUntil: (p) => (done = p), respondWith: (p) => (done = p) }, extra);
  listeners[type](event);
  return done;
}
const get = (p) => dispatch("fetch", { request: { method: "GET", mode: "navigate", url: BASE + p } });
const cached = () => [...stores.values()].flatMap((s) => [...s.keys()]).map((u) => u.slice(BASE.length));

(async () => {
  await dispatch("install");
  await dispatch("activate");
  const precached = cached().sort();
  await get(page);
  const visited = cached().includes(page);
  online = false;
  const served = async (p, file) => {
    try {
      return (await (await get(p)).text()) === fs.readFileSync(path.join(out, file), "utf8");
    } catch (e) {
      return false;
    }
  };
  const offline = { page: await served(page, page), never_is_404: await served(never, "404.html") };
  console.log(JSON.stringify({ precached, visited, offline }));
})();
