// The device side of the sync benchmark (run by `cargo bench --bench sync`,
// which sets up the server and its data): in Debian's Chromium, the real
// app pulls a 10,000-entry meeting roster into IndexedDB, next to a raw
// bulk IndexedDB write of the same rows in the same page; then it pushes
// 1,000 commands waiting in its outbox. Prints one JSON object on stdout.
import { launchBrowser, phoneContext, signIn as signInAs } from '../tests/e2e/harness.mjs';

const signIn = (page, username) => signInAs(page, url, { username, password, device: 'دستگاه محک' });

const url = process.env.DIDAR_URL;
const password = process.env.DIDAR_PASSWORD;
const ROSTER = Number(process.env.DIDAR_ROSTER);
const PUSHED = Number(process.env.DIDAR_PUSHED);

/// How many rows an object store of the app's database holds.
function count(page, store) {
  return page.evaluate(
    (store) =>
      new Promise((resolve, reject) => {
        const open = indexedDB.open('didar');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const request = open.result.transaction(store).objectStore(store).count();
          request.onsuccess = () => {
            open.result.close();
            resolve(request.result);
          };
        };
      }),
    store,
  );
}

async function waitUntil(page, check, what) {
  for (let i = 0; i < 1200; i++) {
    if (await check()) return;
    await page.waitForTimeout(100);
  }
  throw new Error(`timed out waiting for ${what}`);
}

/// Clicks "sync now" and times the cycle, in the page: from the click until
/// the panel says idle again.
function timedSync(page) {
  return page.evaluate(
    () =>
      new Promise((resolve) => {
        const phase = () => document.querySelector('[data-testid="sync-phase"]').dataset.phase;
        const start = performance.now();
        let started = false;
        const check = () => {
          if (phase() === 'syncing') started = true;
          if (started && phase() === 'idle') {
            observer.disconnect();
            resolve(performance.now() - start);
          }
        };
        const observer = new MutationObserver(check);
        observer.observe(document.body, { attributes: true, subtree: true, attributeFilter: ['data-phase'] });
        document.querySelector('[data-testid="sync-now"]').click();
        check();
      }),
  );
}

async function rosterPull(browser) {
  const page = await (await phoneContext(browser)).newPage();
  await signIn(page, 'field5');
  await waitUntil(page, async () => (await count(page, 'records')) >= ROSTER, 'the first pull');
  await page.locator('[data-testid="sync-phase"][data-phase="idle"]').waitFor();
  // Forget the roster and the cursor, then time a whole pull.
  await page.evaluate(
    () =>
      new Promise((resolve) => {
        const open = indexedDB.open('didar');
        open.onsuccess = () => {
          const tx = open.result.transaction(['records', 'meta'], 'readwrite');
          tx.objectStore('records').clear();
          tx.objectStore('meta').delete('sync.cursor');
          tx.oncomplete = () => {
            open.result.close();
            resolve();
          };
        };
      }),
  );
  const pull_ms = await timedSync(page);
  const stored = await count(page, 'records');
  if (stored < ROSTER) throw new Error(`only ${stored} records stored`);

  // The same rows, fetched and written raw, in one transaction.
  const raw = await page.evaluate(async () => {
    const fetchStart = performance.now();
    const rows = [];
    let cursor = '';
    for (;;) {
      const page = await (await fetch(`/api/sync/pull?cursor=${cursor}`)).json();
      for (const change of page.changes) {
        rows.push({ key: `${change.key.kind}/${change.key.id}`, kind: change.key.kind, server: change.record, local: null });
      }
      cursor = page.cursor;
      if (!page.more) break;
    }
    const raw_fetch_ms = performance.now() - fetchStart;
    const db = await new Promise((resolve) => {
      const open = indexedDB.open('bench-raw', 1);
      open.onupgradeneeded = () => open.result.createObjectStore('rows', { keyPath: 'key' });
      open.onsuccess = () => resolve(open.result);
    });
    const writeStart = performance.now();
    await new Promise((resolve, reject) => {
      const tx = db.transaction('rows', 'readwrite');
      const store = tx.objectStore('rows');
      for (const row of rows) store.put(row);
      tx.oncomplete = resolve;
      tx.onerror = () => reject(tx.error);
    });
    return { raw_fetch_ms, raw_write_ms: performance.now() - writeStart, rows: rows.length };
  });
  return { pull_ms, stored, ...raw };
}

async function push(browser) {
  const page = await (await phoneContext(browser)).newPage();
  await signIn(page, 'review6');
  await waitUntil(page, async () => (await count(page, 'records')) >= 2 * PUSHED, 'the requests');
  await page.locator('[data-testid="sync-phase"][data-phase="idle"]').waitFor();
  // Queue the commands as the app queues them: one outbox entry each.
  const queued = await page.evaluate((PUSHED) => {
    const uuidv7 = () => {
      const b = crypto.getRandomValues(new Uint8Array(16));
      const ms = BigInt(Date.now());
      for (let i = 0; i < 6; i++) b[i] = Number((ms >> BigInt(8 * (5 - i))) & 0xffn);
      b[6] = (b[6] & 0x0f) | 0x70;
      b[8] = (b[8] & 0x3f) | 0x80;
      const h = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
      return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
    };
    const profile = JSON.parse(localStorage.getItem('didar.profile'));
    return new Promise((resolve) => {
      const open = indexedDB.open('didar');
      open.onsuccess = () => {
        const db = open.result;
        const read = db.transaction('records').objectStore('records').index('by_kind').getAll('registration');
        read.onsuccess = () => {
          const open_requests = read.result.filter((row) => row.server.status === 'submitted').slice(0, PUSHED);
          const tx = db.transaction('outbox', 'readwrite');
          for (const row of open_requests) {
            const made_at = new Date().toISOString();
            const id = uuidv7();
            tx.objectStore('outbox').put({
              id,
              created_at: made_at,
              kind: 'staff',
              payload: {
                id, device: profile.device_id, author: profile.user_id, made_at, clock_offset_ms: 0,
                kind: 'review_registration', registration: row.server.id, case_files: [], note: '',
              },
            });
          }
          tx.oncomplete = () => resolve(open_requests.length);
        };
      };
    });
  }, PUSHED);
  if (queued !== PUSHED) throw new Error(`queued ${queued}`);
  const push_ms = await timedSync(page);
  const left = await count(page, 'outbox');
  const refused = await count(page, 'rejected');
  if (left !== 0 || refused !== 0) throw new Error(`outbox ${left}, refused ${refused}`);
  return { push_ms, queued };
}

const browser = await launchBrowser();
try {
  const roster = await rosterPull(browser);
  const pushed = await push(browser);
  process.stdout.write(JSON.stringify({ ...roster, ...pushed }));
} finally {
  await browser.close();
}
