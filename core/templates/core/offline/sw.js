/* Gugan's service worker: keeps the shell of the pages a teacher uses on the move, so they open
   with no network. Version {{ version }}: a new version replaces the old caches on activate. */
"use strict";
const VERSION = "{{ version }}";
const CACHE = "gugan-shell-" + VERSION;
const ASSETS = {{ assets|safe }};
const PAGES = {{ pages|safe }};
const PATTERNS = ({{ patterns|safe }}).map((p) => new RegExp(p));

function isShellPage(url) {
  return PAGES.includes(url.pathname) || PATTERNS.some((re) => re.test(url.pathname));
}

self.addEventListener("install", (event) => {
  event.waitUntil((async () => {
    const cache = await caches.open(CACHE);
    // One by one: a page this user may not open must not stop the others.
    await Promise.all(ASSETS.concat(PAGES).map(async (url) => {
      try {
        const response = await fetch(url, { credentials: "same-origin", redirect: "manual" });
        if (response.ok) await cache.put(url, response);
      } catch (e) { /* offline while installing: cached on the next visit */ }
    }));
    await self.skipWaiting();
  })());
});

self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    for (const name of await caches.keys()) {
      if (name.startsWith("gugan-") && name !== CACHE) await caches.delete(name);
    }
    await self.clients.claim();
  })());
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return; // posts go to the network (the outbox retries them)
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.mode === "navigate") {
    if (!isShellPage(url)) return;
    // Network first: fresh pages when online, the kept copy when not.
    event.respondWith((async () => {
      const cache = await caches.open(CACHE);
      try {
        const response = await fetch(request);
        if (response.ok && !response.redirected) await cache.put(url.pathname, response.clone());
        return response;
      } catch (e) {
        const kept = await cache.match(url.pathname);
        if (kept) return kept;
        throw e;
      }
    })());
    return;
  }
  if (ASSETS.includes(url.pathname)) {
    event.respondWith((async () => {
      const cache = await caches.open(CACHE);
      const kept = await cache.match(url.pathname);
      if (kept) return kept;
      const response = await fetch(request);
      if (response.ok) await cache.put(url.pathname, response.clone());
      return response;
    })());
  }
});

self.addEventListener("message", (event) => {
  if (event.data === "logout") {
    event.waitUntil(caches.keys().then((names) => Promise.all(names.map((n) => caches.delete(n)))));
  }
});
