// The device side of the sync benchmark (run by `cargo bench --bench sync`,
// which sets up the server and its data): in Debian's Chromium, the real
// app pulls a 10,000-entry meeting roster into IndexedDB, next to a raw
// bulk IndexedDB write of the same rows in the same page; then it pushes
// 1,000 commands waiting in its outbox; then, on the door screen of that
// roster, it times each keystroke's search from the input event to the
// results painted (next to a plain substring scan of the same names in the
// same page) and each check-in from the tap to durable and painted (next
// to one raw strict IndexedDB put). Prints one JSON object on stdout.
import { launchBrowser, phoneContext, signIn as signInAs } from '../tests/e2e/harness.mjs';
import { count, percentiles, recordsOfKind, timeKeystrokes, waitUntil } from './lib.mjs';

const signIn = (page, username) => signInAs(page, url, { username, password, device: 'دستگاه محک' });

const url = process.env.DIDAR_URL;
const password = process.env.DIDAR_PASSWORD;
const ROSTER = Number(process.env.DIDAR_ROSTER);
const PUSHED = Number(process.env.DIDAR_PUSHED);

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

async function door(browser) {
  const page = await (await phoneContext(browser)).newPage();
  await signIn(page, 'field5');
  await waitUntil(page, async () => (await count(page, 'records')) >= ROSTER, 'the roster');
  await page.locator('[data-testid="sync-phase"][data-phase="idle"]').waitFor();
  await page.goto(`${url}/staff/checkin`);
  await page.locator('[data-testid="checkin-meetings"] a').first().click();
  await page.getByTestId('door-readiness').filter({ hasText: 'نفر' }).waitFor();
  await page.getByTestId('door-name').fill('در محک');
  // What the door types: a whole name letter by letter (the first letters
  // match all 10,000), last digits of mobiles, tracking codes.
  const typed = await recordsOfKind(page, 'attendee');
  const names = typed.map((p) => p.full_name);
  const queries = [];
  const citizens = typed.filter((person) => person.tracking_code);
  for (const person of [17, 4242, 9001].map((n) => citizens[n % citizens.length])) {
    for (let i = 1; i <= person.full_name.length; i++) queries.push(person.full_name.slice(0, i));
    queries.push(person.mobile_last4, person.tracking_code.slice(0, 3), person.tracking_code);
  }
  const search = await timeKeystrokes(page, '[data-testid="door-search"]', queries, names);

  // Check-ins: each person found by tracking code, then the tap timed until
  // the app said it was recorded (after its strict write) and painted.
  // (People the load test did not check in already.)
  const people = citizens.filter((person) => person.check_ins.length === 0).slice(0, 30);
  if (people.length < 30) throw new Error(`only ${people.length} people not checked in`);
  const checkIns = [];
  for (const person of people) {
    await page.getByTestId('door-search').fill(person.tracking_code);
    const button = `[data-testid="door-entry"][data-attendee="${person.id}"] [data-testid="door-check-in"]`;
    await page.locator(button).waitFor();
    // From the tap until the app says it is recorded — it says so after
    // its strict-durability write committed.
    checkIns.push(await page.evaluate(({ name, button }) => new Promise((resolve, reject) => {
      const start = performance.now();
      const give_up = setTimeout(() => reject(new Error(`no feedback for ${name}`)), 20_000);
      const done = () => {
        const said = document.querySelector('[data-testid="door-feedback"][data-kind="checked-in"]');
        if (said && said.textContent.includes(name)) {
          observer.disconnect();
          clearTimeout(give_up);
          resolve(performance.now() - start);
        }
      };
      const observer = new MutationObserver(done);
      observer.observe(document.body, { childList: true, subtree: true, characterData: true });
      document.querySelector(button).click();
    }), { name: person.full_name, button }));
  }
  const rawPuts = await page.evaluate(async (n) => {
    const db = await new Promise((resolve) => {
      const open = indexedDB.open('bench-raw-put', 1);
      open.onupgradeneeded = () => open.result.createObjectStore('rows', { keyPath: 'key' });
      open.onsuccess = () => resolve(open.result);
    });
    const times = [];
    for (let i = 0; i < n; i++) {
      const start = performance.now();
      await new Promise((resolve, reject) => {
        const tx = db.transaction('rows', 'readwrite', { durability: 'strict' });
        tx.objectStore('rows').put({ key: `k${i}`, at: Date.now(), door: 'در محک' });
        tx.oncomplete = resolve;
        tx.onerror = () => reject(tx.error);
      });
      times.push(performance.now() - start);
    }
    return times;
  }, people.length);
  return {
    search_ms: percentiles(search.handled),
    search_painted_ms: percentiles(search.shown),
    scan_ms: percentiles(search.scan),
    check_in_ms: percentiles(checkIns),
    raw_put_ms: percentiles(rawPuts),
  };
}

const browser = await launchBrowser();
try {
  const roster = await rosterPull(browser);
  const pushed = await push(browser);
  const atTheDoor = await door(browser);
  process.stdout.write(JSON.stringify({ ...roster, ...pushed, door: atTheDoor }));
} finally {
  await browser.close();
}
