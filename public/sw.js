// Didar's service worker: the app shell, cached so the app boots offline.
// `cargo xtask dist` fills in the precache list and the version (a hash of
// every shipped file), so each release installs under a cache of its own.
const VERSION = '__VERSION__';
const CACHE = `didar-shell-${VERSION}`;
const PRECACHE = self.__PRECACHE__;
// The staff bundle: cached where staff screens are used (a staff page is
// open at install, or one is visited, or the previous version had cached
// it), so a citizen's phone never downloads it, and a staff device updated
// from a citizens' page keeps its staff screens offline.
const STAFF = self.__STAFF__;

const isStaffPath = (path) => path === '/staff' || path.startsWith('/staff/');

self.addEventListener('install', (event) => {
  event.waitUntil((async () => {
    const cache = await caches.open(CACHE);
    await cache.addAll(PRECACHE);
    const windows = await self.clients.matchAll({ type: 'window', includeUncontrolled: true });
    // Without a cache name, `match` looks in every cache: the previous
    // version's is still there (it goes only once this one activates).
    if (windows.some((client) => isStaffPath(new URL(client.url).pathname))
      || await caches.match('/staff.html')) {
      await cache.addAll(STAFF);
    }
  })());
});

self.addEventListener('activate', (event) => {
  event.waitUntil((async () => {
    const names = await caches.keys();
    await Promise.all(names
      .filter((name) => name.startsWith('didar-shell-') && name !== CACHE)
      .map((name) => caches.delete(name)));
    await self.clients.claim();
  })());
});

// The page asks for the waiting version once the person chose to update.
self.addEventListener('message', (event) => {
  if (event.data === 'skip-waiting') self.skipWaiting();
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  const url = new URL(request.url);
  // Data goes to the network (and the app's own outbox when offline):
  // the worker caches only the shell.
  if (request.method !== 'GET' || url.origin !== self.location.origin || url.pathname.startsWith('/api/')) {
    return;
  }
  if (request.mode === 'navigate') {
    // Every screen is one of two shells; the app routes on the client.
    if (isStaffPath(url.pathname)) {
      // Never loaded here and no network: the citizens' shell says so.
      event.respondWith(fromCacheOrNetwork(new Request('/staff.html'), true)
        .catch(() => caches.match('/', { cacheName: CACHE })));
    } else {
      event.respondWith(fromCacheOrNetwork(new Request('/'), false));
    }
    return;
  }
  event.respondWith(fromCacheOrNetwork(request, STAFF.includes(url.pathname)));
});

/// The cached copy; else the network's, kept when it is part of the staff
/// bundle (so a device that opened the staff screens once has them offline).
async function fromCacheOrNetwork(request, keep) {
  const cached = await caches.match(request, { cacheName: CACHE });
  if (cached) return cached;
  const response = await fetch(request);
  if (keep && response.ok) {
    const cache = await caches.open(CACHE);
    await cache.put(request, response.clone());
  }
  return response;
}
