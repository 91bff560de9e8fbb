// Service worker of the door's scanner, served at /sw.js (Cache-Control: no-cache,
// Service-Worker-Allowed: /) and registered with scope /checkin/ by scanner.js.
//
// - Keeps the scanner's files (precached at install) and a copy of each scanner page
//   (cached when the page asks, see 'cache-page'), so a reload with no network works.
// - Scanner page: network first (4 s), else the copy. Static files: the copy at once,
//   refreshed in the background. Other /checkin/ pages: network, else a short notice.
// - Never touches /api/: scans go to the server or to the page's IndexedDB queue, and
//   only the page sends that queue (one sender; no Background Sync).
// Bump VERSION when this list or the way of caching changes; old caches are deleted.

const VERSION = 'v3';
const CACHE = `checkin-${VERSION}`;
const ASSETS = [
  '/static/css/app.css',
  '/static/css/checkin.css',
  '/static/js/scanner.js',
  '/static/js/live-count.js',
  '/static/js/not-arrived.js',
  '/static/js/checkin-camera.js',
  '/static/js/checkin-outbox.js',
  '/static/js/checkin-roster.js',
  '/static/js/checkin-sound.js',
  '/static/js/checkin-store.js',
  '/static/vendor/barcode-detector/ponyfill.js',
  '/static/vendor/barcode-detector/zxing_reader.wasm',
];
const SCANNER_PAGE = /^\/checkin\/events\/\d+\/?$/;
const NETWORK_TIMEOUT_MS = 4000;

self.addEventListener('install', (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(ASSETS)).then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil((async () => {
    for (const name of await caches.keys()) {
      if (name.startsWith('checkin-') && name !== CACHE) await caches.delete(name);
    }
    await self.clients.claim();
  })());
});

// The page asks for a fresh copy of itself once it has loaded: a copy made from a
// separate request, so a flash message shown on this visit is not kept in it.
self.addEventListener('message', (event) => {
  const { data } = event;
  if (!data || data.type !== 'cache-page' || !SCANNER_PAGE.test(data.url)) return;
  const reply = (ok) => event.ports[0] && event.ports[0].postMessage({ ok });
  event.waitUntil((async () => {
    try {
      const response = await fetch(data.url, { credentials: 'same-origin', cache: 'no-store' });
      if (response.ok && !response.redirected) {
        await (await caches.open(CACHE)).put(data.url, response);
        reply(true);
        return;
      }
    } catch (error) { /* offline: keep the copy we have */ }
    reply(false);
  })());
});

self.addEventListener('fetch', (event) => {
  const { request } = event;
  const url = new URL(request.url);
  if (request.method !== 'GET' || url.origin !== self.location.origin) return;
  if (url.pathname.startsWith('/api/')) return; // never: the page decides what to queue
  if (url.pathname.startsWith('/static/')) {
    event.respondWith(cachedThenRefresh(event));
  } else if (request.mode === 'navigate' && SCANNER_PAGE.test(url.pathname)) {
    event.respondWith(networkThenCopy(request, url.pathname));
  } else if (request.mode === 'navigate' && url.pathname.startsWith('/checkin/')) {
    event.respondWith(fetch(request).catch(offlineNotice));
  }
});

async function cachedThenRefresh(event) {
  const cache = await caches.open(CACHE);
  const cached = await cache.match(event.request, { ignoreSearch: true });
  const refresh = fetch(event.request).then((response) => {
    if (response.ok) cache.put(event.request, response.clone());
    return response;
  });
  if (cached) {
    event.waitUntil(refresh.catch(() => null));
    return cached;
  }
  return refresh;
}

async function networkThenCopy(request, path) {
  // fetch(request) as it is: a navigation request takes no init (no AbortSignal), and its
  // redirects (to the login page) must reach the browser unfollowed.
  const timeout = new Promise((resolve, reject) => setTimeout(() => reject(new Error('timeout')), NETWORK_TIMEOUT_MS));
  try {
    return await Promise.race([fetch(request), timeout]);
  } catch (error) {
    const copy = await caches.match(path, { ignoreSearch: true });
    return copy || offlineNotice();
  }
}

function offlineNotice() {
  const body = '<!doctype html><html lang="ja"><meta charset="utf-8">' +
    '<meta name="viewport" content="width=device-width, initial-scale=1"><title>オフライン</title>' +
    '<main><h1>オフラインです</h1><p>このページは接続が戻ってから表示できます。' +
    'QR読み取りの画面は、一度開いていればオフラインでも使えます。</p></main></html>';
  return new Response(body, { status: 503, headers: { 'Content-Type': 'text/html; charset=utf-8' } });
}
