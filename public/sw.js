// Didar's service worker: the app shell, cached so the app boots offline.
// `cargo xtask dist` fills in the precache list and the version (a hash of
// every shipped file), so each release installs under a cache of its own.
const VERSION = '__VERSION__';
const CACHE = `didar-shell-${VERSION}`;
const PRECACHE = self.__PRECACHE__;
// The staff bundles — a field device's (sign-in, the staff home, the
// door) and the whole app's — each cached where its screens are used (one
// of its pages is open at install, or one is visited, or the previous
// version had cached it), so a citizen's phone downloads neither, a door
// tablet only its own, and a staff device updated from a citizens' page
// keeps its screens offline.
const BUNDLES = { '/field.html': self.__FIELD__, '/staff.html': self.__STAFF__ };
const KEPT = Object.values(BUNDLES).flat();

/// The page an address is served with; the server decides the same way
/// (server/src/http/static_files.rs, `shell_for`).
function shellFor(path) {
  if (path !== '/staff' && !path.startsWith('/staff/')) return '/';
  const area = path.split('/')[2] ?? '';
  return ['', 'sign-in', 'checkin'].includes(area) ? '/field.html' : '/staff.html';
}

self.addEventListener('install', (event) => {
  event.waitUntil((async () => {
    const cache = await caches.open(CACHE);
    await cache.addAll(PRECACHE);
    const windows = await self.clients.matchAll({ type: 'window', includeUncontrolled: true });
    for (const [page, files] of Object.entries(BUNDLES)) {
      // Without a cache name, `match` looks in every cache: the previous
      // version's is still there (it goes only once this one activates).
      if (windows.some((client) => shellFor(new URL(client.url).pathname) === page)
        || await caches.match(page)) {
        await cache.addAll(files);
      }
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
    // Every screen is one of three shells; the app routes on the client.
    const page = shellFor(url.pathname);
    event.respondWith(page === '/'
      ? fromCacheOrNetwork(new Request('/'), false)
      // Never loaded here and no network: another shell that is here.
      : fromCacheOrNetwork(new Request(page), true).catch(() => anyShell()));
    return;
  }
  event.respondWith(fromCacheOrNetwork(request, KEPT.includes(url.pathname)));
});

/// The whole app if this device has it (it has every staff screen), else
/// the field device's (it says where the others are), else the citizens'
/// (it says the staff screens are not here yet).
async function anyShell() {
  for (const page of ['/staff.html', '/field.html']) {
    const cached = await caches.match(page, { cacheName: CACHE });
    if (cached) return cached;
  }
  return caches.match('/', { cacheName: CACHE });
}

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
