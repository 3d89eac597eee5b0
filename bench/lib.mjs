// What the browser benchmarks share: reading the app's IndexedDB, waiting,
// percentiles, and timing a search box keystroke by keystroke next to a
// plain scan of the same texts in the same page.

/// How many rows an object store of the app's database holds.
export function count(page, store) {
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

/// The server's copy of every synced record of `kind` the device holds.
export function recordsOfKind(page, kind) {
  return page.evaluate(
    (kind) =>
      new Promise((resolve) => {
        const open = indexedDB.open('didar');
        open.onsuccess = () => {
          const read = open.result.transaction('records').objectStore('records').index('by_kind').getAll(kind);
          read.onsuccess = () => {
            const rows = read.result.map((row) => row.server);
            open.result.close();
            resolve(rows);
          };
        };
      }),
    kind,
  );
}

export async function waitUntil(page, check, what) {
  for (let i = 0; i < 3000; i++) {
    if (await check()) return;
    await page.waitForTimeout(100);
  }
  throw new Error(`timed out waiting for ${what}`);
}

/// The 50th and 95th percentiles of `values`, in ms.
export function percentiles(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (p) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
  return { p50: at(0.5), p95: at(0.95), n: sorted.length };
}

/// Types each of `queries` into the search box `selector`, timing it:
/// handled — from the input event until the app's work is done and the
/// results are in the DOM (the next task) — and painted — until the frame
/// that shows them has run (which waits for the display's next frame, up
/// to 16.7 ms at 60 Hz, whatever the app does). Then the same queries as a
/// plain substring scan of `texts` (the baseline, same page, same run).
export function timeKeystrokes(page, selector, queries, texts) {
  return page.evaluate(
    async ({ selector, queries, texts }) => {
      const input = document.querySelector(selector);
      const nextTask = () => new Promise((done) => setTimeout(done, 0));
      const painted = () => new Promise((done) => requestAnimationFrame(() => setTimeout(done, 0)));
      const handled = [];
      const shown = [];
      for (const query of queries) {
        await painted();
        const start = performance.now();
        input.value = query;
        input.dispatchEvent(new Event('input', { bubbles: true }));
        await nextTask();
        handled.push(performance.now() - start);
        await painted();
        shown.push(performance.now() - start);
      }
      const scan = [];
      for (const query of queries) {
        const start = performance.now();
        texts.filter((text) => text.includes(query)).slice(0, 30);
        scan.push(performance.now() - start);
      }
      return { handled, shown, scan };
    },
    { selector, queries, texts },
  );
}
