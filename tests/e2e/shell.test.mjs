// The app shell in Debian's Chromium against the real server: Persian and
// right-to-left, the language switch, the service worker, booting offline,
// the device database, the update prompt, and accessibility on every screen.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import {
  appReady,
  openPage,
  phoneContext,
  screenshot,
  seriousA11yViolations,
  serviceWorkerReady,
  watchErrors,
  withServerAndBrowser,
} from './harness.mjs';

/// Every screen of the product's navigation, public and staff.
const SCREENS = [
  '/',
  '/register',
  '/track',
  '/staff/sign-in',
  '/staff',
  '/staff/review',
  '/staff/screening',
  '/staff/calls',
  '/staff/checkin',
  '/staff/followup',
  '/staff/admin',
  '/no-such-page',
];

describe('app shell', () => {
  const env = withServerAndBrowser();

  test('renders right-to-left in Persian with the Vazirmatn font and no console errors', async () => {
    const { context, page, errors } = await openPage(env.browser, env.server.url);
    const html = page.locator('html');
    assert.equal(await html.getAttribute('lang'), 'fa');
    assert.equal(await html.getAttribute('dir'), 'rtl');
    assert.equal(await page.locator('h1').textContent(), 'دیدار با شهردار');
    await page.evaluate(() => document.fonts.ready);
    assert.ok(await page.evaluate(() => document.fonts.check('16px Vazirmatn')), 'Vazirmatn loaded');
    // Today's date is Jalali, in Persian digits.
    const today = await page.getByTestId('today').textContent();
    assert.match(today, /^[۰-۹]{1,2} (فروردین|اردیبهشت|خرداد|تیر|مرداد|شهریور|مهر|آبان|آذر|دی|بهمن|اسفند) [۰-۹]{4}$/);
    // The whole page is laid out right to left: the brand sits at the right.
    const brand = await page.locator('.brand').boundingBox();
    assert.ok(brand.x + brand.width > 300, `brand at the right edge, got x=${brand.x}`);
    await screenshot(page, 'shell-persian');
    assert.deepEqual(errors, []);
    await context.close();
  });

  test('the language switch turns the app into English and back, and is remembered', async () => {
    const { context, page, errors } = await openPage(env.browser, env.server.url);
    await page.getByTestId('lang-switch').click();
    const html = page.locator('html');
    assert.equal(await html.getAttribute('lang'), 'en');
    assert.equal(await html.getAttribute('dir'), 'ltr');
    assert.equal(await page.locator('h1').textContent(), 'Meet the Mayor');
    assert.match(await page.getByTestId('today').textContent(), /^\d{1,2} [A-Z][a-z]+ \d{4}$/);
    await screenshot(page, 'shell-english');

    await page.reload();
    await appReady(page);
    assert.equal(await html.getAttribute('lang'), 'en', 'the choice survives a reload');
    assert.equal(await page.locator('h1').textContent(), 'Meet the Mayor');

    await page.getByTestId('lang-switch').click();
    assert.equal(await html.getAttribute('dir'), 'rtl');
    assert.equal(await page.locator('h1').textContent(), 'دیدار با شهردار');
    assert.deepEqual(errors, []);
    await context.close();
  });

  test('links change screens without a page load, the back button returns, and other links load pages', async () => {
    const { context, page, errors } = await openPage(env.browser, env.server.url);
    // A mark on this document: it survives only if no page load happens.
    await page.evaluate(() => { window.__sameDocument = true; });
    const nav = page.getByRole('navigation');
    await nav.getByRole('link', { name: 'ثبت‌نام' }).click();
    await page.waitForURL('**/register');
    assert.equal(await page.locator('h1').textContent(), 'ثبت‌نام برای دیدار با شهردار');
    assert.equal(await nav.getByRole('link', { name: 'ثبت‌نام' }).getAttribute('aria-current'), 'page');
    assert.equal(await nav.getByRole('link', { name: 'پیگیری' }).getAttribute('aria-current'), null);
    await page.getByRole('link', { name: 'پیگیری' }).first().click();
    await page.waitForURL('**/track');
    assert.equal(await nav.getByRole('link', { name: 'پیگیری' }).getAttribute('aria-current'), 'page');
    await page.goBack();
    await page.waitForURL('**/register');
    assert.equal(await page.locator('h1').textContent(), 'ثبت‌نام برای دیدار با شهردار');
    await page.goBack();
    assert.equal(await page.locator('h1').textContent(), 'دیدار با شهردار');
    await page.goForward();
    assert.equal(await page.locator('h1').textContent(), 'ثبت‌نام برای دیدار با شهردار');
    assert.equal(await page.evaluate(() => window.__sameDocument), true, 'no page load in between');
    // An address the app does not know says so.
    await page.goto(`${env.server.url}/no-such-page`);
    await appReady(page);
    assert.equal(await page.locator('h1').textContent(), 'این صفحه پیدا نشد');
    await page.getByRole('link', { name: 'بازگشت به صفحهٔ اصلی' }).click();
    assert.equal(await page.locator('h1').textContent(), 'دیدار با شهردار');
    // The staff screens are the other bundle: their link loads a page.
    await page.evaluate(() => { window.__sameDocument = true; });
    await nav.getByRole('link', { name: 'کارکنان' }).click();
    await page.waitForURL('**/staff');
    await appReady(page);
    assert.equal(await page.evaluate(() => window.__sameDocument), undefined, 'the staff link loaded a page');
    // A field device's bundle: sign-in, the staff home, the door.
    assert.equal(await page.evaluate(() => document.documentElement.dataset.bundle), 'field');
    // The committees' and administrators' screens are the whole app's.
    await page.goto(`${env.server.url}/staff/review`);
    await appReady(page);
    assert.equal(await page.evaluate(() => document.documentElement.dataset.bundle), 'staff');
    assert.deepEqual(errors, []);
    await context.close();
  });

  test('the service worker installs, and offline the app still boots on every screen', async () => {
    const { context, page, errors } = await openPage(env.browser, env.server.url);
    await serviceWorkerReady(page);
    const caches = await page.evaluate(() => caches.keys());
    assert.equal(caches.filter((name) => name.startsWith('didar-shell-')).length, 1);

    await context.setOffline(true);
    await page.reload();
    await appReady(page);
    await page.getByTestId('offline-banner').waitFor();
    assert.match(await page.getByTestId('offline-banner').textContent(), /آفلاین/);
    await screenshot(page, 'shell-offline');

    // A deep link opened offline gets the same shell and routes on the client.
    await page.goto(`${env.server.url}/track`);
    await appReady(page);
    assert.equal(await page.locator('h1').textContent(), 'پیگیری درخواست');
    await page.getByTestId('offline-banner').waitFor();
    // The staff screens are a bundle of their own, cached only where they
    // were opened: on this citizen's phone, offline, the page says so.
    await page.goto(`${env.server.url}/staff/checkin`);
    await appReady(page);
    await page.getByTestId('staff-elsewhere').waitFor();
    assert.equal(
      (await page.evaluate(async () => {
        const cache = await caches.open((await caches.keys())[0]);
        return (await cache.keys()).map((request) => request.url);
      })).filter((url) => url.includes('didar-staff') || url.includes('didar-field')).length,
      0,
      'no staff bundle downloaded on a citizen phone',
    );

    await context.setOffline(false);
    await page.getByTestId('offline-banner').waitFor({ state: 'detached' });
    assert.deepEqual(errors.filter((e) => !e.includes('ERR_INTERNET_DISCONNECTED')), []);
    await context.close();
  });

  test('the device database is created with its outbox, meta, requests, records, rejected and photos stores', async () => {
    const { context, page } = await openPage(env.browser, env.server.url);
    await page.getByTestId('pending').filter({ hasText: '۰' }).waitFor();
    const stores = await page.evaluate(
      () =>
        new Promise((resolve, reject) => {
          const request = indexedDB.open('didar');
          request.onsuccess = () => {
            const db = request.result;
            const tx = db.transaction(['meta', 'records']);
            const recordIndexes = [...tx.objectStore('records').indexNames].sort();
            const get = tx.objectStore('meta').get('last_start');
            get.onsuccess = () => {
              resolve({ names: [...db.objectStoreNames].sort(), recordIndexes, lastStart: get.result?.value });
              db.close();
            };
            get.onerror = () => reject(get.error);
          };
          request.onerror = () => reject(request.error);
        }),
    );
    assert.deepEqual(stores.names, ['meta', 'outbox', 'photos', 'records', 'rejected', 'requests']);
    assert.deepEqual(stores.recordIndexes, ['by_kind', 'with_local_changes']);
    assert.ok(Date.parse(stores.lastStart) > Date.now() - 60_000, 'the visit was recorded just now');
    await context.close();
  });

  test('a device database from the first schema is upgraded in place, keeping its records', async () => {
    const context = await phoneContext(env.browser);
    const page = await context.newPage();
    // Same origin, no app: make the version-1 database as the first
    // release left it.
    await page.goto(`${env.server.url}/icons/icon.svg`);
    await page.evaluate(
      () =>
        new Promise((resolve, reject) => {
          const request = indexedDB.open('didar', 1);
          request.onupgradeneeded = () => {
            request.result.createObjectStore('outbox', { keyPath: 'id' });
            request.result.createObjectStore('meta', { keyPath: 'key' }).put({ key: 'device_id', value: 'kept' });
          };
          request.onsuccess = () => {
            request.result.close();
            resolve();
          };
          request.onerror = () => reject(request.error);
        }),
    );
    await page.goto(env.server.url);
    await appReady(page);
    await page.getByTestId('pending').filter({ hasText: '۰' }).waitFor();
    const upgraded = await page.evaluate(
      () =>
        new Promise((resolve, reject) => {
          const request = indexedDB.open('didar');
          request.onsuccess = () => {
            const db = request.result;
            const get = db.transaction('meta').objectStore('meta').get('device_id');
            get.onsuccess = () => {
              resolve({ version: db.version, names: [...db.objectStoreNames].sort(), kept: get.result?.value });
              db.close();
            };
          };
          request.onerror = () => reject(request.error);
        }),
    );
    assert.deepEqual(upgraded, { version: 4, names: ['meta', 'outbox', 'photos', 'records', 'rejected', 'requests'], kept: 'kept' });
    await context.close();
  });

  test('a new version is announced, and applied when the person chooses', async () => {
    const { context, page, errors } = await openPage(env.browser, env.server.url);
    await serviceWorkerReady(page);
    assert.equal(await page.getByTestId('update-toast').count(), 0);

    // Ship a new version: any change to the worker script makes one. The
    // stale precompressed copies go, as a deploy replaces the whole bundle.
    appendFileSync(join(env.server.dist, 'sw.js'), '\n// release 2\n');
    for (const suffix of ['.br', '.gz']) rmSync(join(env.server.dist, `sw.js${suffix}`));
    await page.evaluate(async () => (await navigator.serviceWorker.getRegistration()).update());
    await page.getByTestId('update-toast').waitFor();
    await screenshot(page, 'shell-update-ready');

    const reloaded = page.waitForEvent('load');
    await page.getByTestId('update-toast').getByRole('button').click();
    await reloaded;
    await appReady(page);
    assert.equal(await page.getByTestId('update-toast').count(), 0);
    assert.deepEqual(errors, []);
    await context.close();
  });

  test('every screen has no serious or critical accessibility violations in Persian at 360 px', async () => {
    const context = await phoneContext(env.browser);
    const page = await context.newPage();
    const errors = watchErrors(page);
    for (const path of SCREENS) {
      await page.goto(`${env.server.url}${path}`);
      await appReady(page);
      await page.locator('main h1').first().waitFor();
      const violations = await seriousA11yViolations(page);
      assert.deepEqual(violations, [], `axe on ${path}`);
      await screenshot(page, `screen${path === '/' ? '-home' : path.replaceAll('/', '-')}`);
    }
    assert.deepEqual(errors, []);
    await context.close();
  });
});
