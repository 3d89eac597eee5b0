// The device side of the review benchmark (run by `cargo bench --bench
// review`, which registers the district's requests): in Debian's Chromium,
// the executive committee's queue of DIDAR_REQUESTS requests on one
// device — the time from opening the screen to the first cards and the
// counts shown, next to a raw IndexedDB read of the same rows; then each
// keystroke of the queue's search, next to a plain substring scan of the
// same texts in the same page. Prints one JSON object on stdout.
import { launchBrowser, phoneContext, signIn } from '../tests/e2e/harness.mjs';
import { count, percentiles, recordsOfKind, timeKeystrokes, waitUntil } from './lib.mjs';

const url = process.env.DIDAR_URL;
const password = process.env.DIDAR_PASSWORD;
const REQUESTS = Number(process.env.DIDAR_REQUESTS);
const OPENINGS = 5;

function median(values) {
  return percentiles(values).p50;
}

/// From navigation to the first card on screen and the queue counted.
async function openQueue(page) {
  await page.goto(`${url}/staff/review`);
  await page.locator(`[data-testid="review-count"][data-count="${REQUESTS}"]`).waitFor({ timeout: 120_000 });
  await page.getByTestId('review-item').first().waitFor();
  return page.evaluate(() => performance.now());
}

/// A raw read of the same rows: one IndexedDB getAll on the kind index.
function rawRead(page) {
  return page.evaluate(
    () =>
      new Promise((resolve) => {
        const start = performance.now();
        const open = indexedDB.open('didar');
        open.onsuccess = () => {
          const read = open.result.transaction('records').objectStore('records').index('by_kind').getAll('registration');
          read.onsuccess = () => {
            open.result.close();
            resolve(performance.now() - start);
          };
        };
      }),
  );
}

const browser = await launchBrowser();
try {
  const page = await (await phoneContext(browser)).newPage();
  await signIn(page, url, { username: 'review7', password, device: 'محک کمیتهٔ اجرایی' });
  await waitUntil(page, async () => (await count(page, 'records')) >= REQUESTS, 'the first pull');
  await page.locator('[data-testid="sync-phase"][data-phase="idle"]').waitFor();

  const opened = [];
  const raw = [];
  for (let i = 0; i < OPENINGS; i++) {
    opened.push(await openQueue(page));
    raw.push(await rawRead(page));
  }

  // What a member types: a citizen's name letter by letter (the first
  // letters match every request), a tracking code with its hyphens, and
  // a word of the descriptions.
  const requests = await recordsOfKind(page, 'registration');
  const texts = requests.map((r) => `${r.full_name}\n${r.tracking_code}\n${r.description}`);
  const queries = [];
  for (const request of [17, 4242, 15001].map((n) => requests[n % requests.length])) {
    for (let i = 1; i <= request.full_name.length; i++) queries.push(request.full_name.slice(0, i));
    const code = request.tracking_code;
    queries.push(code.slice(0, 3), `${code.slice(0, 3)}-${code.slice(3, 6)}`);
  }
  queries.push('چراغ', 'خاموش');
  const search = await timeKeystrokes(page, '#review-search', queries, texts);
  process.stdout.write(
    JSON.stringify({
      first_screen_ms: median(opened),
      raw_read_ms: median(raw),
      search_ms: percentiles(search.handled),
      search_painted_ms: percentiles(search.shown),
      scan_ms: percentiles(search.scan),
    }),
  );
} finally {
  await browser.close();
}
