// A citizen registers from a phone, online and offline, and looks the
// request up from another device — in Chromium against the real server
// with a real SQLite file.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { join } from 'node:path';
import jsQR from 'jsqr';
import {
  ALWAYS_OPEN,
  appReady,
  openPage,
  phoneContext,
  screenshot,
  seriousA11yViolations,
  serviceWorkerReady,
  startServer,
  withServerAndBrowser,
} from './harness.mjs';

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

/// What a scanner reads from the QR on the screen: the SVG drawn on a canvas
/// in the page, its pixels decoded by jsQR.
async function scanQr(svg) {
  const side = 352;
  const pixels = await svg.evaluate(async (element, side) => {
    const image = new Image();
    image.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(element.outerHTML)}`;
    await image.decode();
    const canvas = document.createElement('canvas');
    canvas.width = side;
    canvas.height = side;
    const context = canvas.getContext('2d');
    context.drawImage(image, 0, 0, side, side);
    return Array.from(context.getImageData(0, 0, side, side).data);
  }, side);
  return jsQR(Uint8ClampedArray.from(pixels), side, side)?.data;
}


/// A window that opens the day after tomorrow (Tehran), so it is closed now.
function closedWindow() {
  const tehranDay = new Date(Date.now() + 3.5 * 3600 * 1000).getUTCDay();
  return JSON.stringify({
    opens_on: DAYS[(tehranDay + 2) % 7], opens_at: '00:00:00',
    closes_on: DAYS[(tehranDay + 3) % 7], closes_at: '23:59:00', grace_hours: 24,
  });
}

async function fillValidForm(page, { nationalId = '0499370899', mobile = '0912 345 6789' } = {}) {
  await page.locator('#reg-full_name').fill('زهرا احمدي'); // Arabic yeh, as some keyboards type it
  await page.locator('#reg-national_id').fill(nationalId);
  await page.locator('#reg-mobile').fill(mobile);
  await page.selectOption('#reg-district', '6');
  await page.selectOption('#reg-topic', 'urban_planning');
  await page.locator('#reg-description').fill('پیاده‌روی خیابان ما سال‌هاست خراب مانده و کسی پاسخ نمی‌دهد.');
  await page.locator('#reg-consent').check();
}

/// A phone with the registration form open (see `openPage`).
async function openForm(browser, url, options) {
  const opened = await openPage(browser, `${url}/register`, options);
  await opened.page.getByTestId('registration-form').waitFor();
  return opened;
}

describe('registration', () => {
  const env = withServerAndBrowser({ env: { DIDAR_REGISTRATION_WINDOW: ALWAYS_OPEN } });

  test('bad input gets a Persian message beside each field, and nothing typed is lost on reload', async () => {
    const { context, page, errors } = await openForm(env.browser, env.server.url);
    await page.locator('#reg-national_id').fill('۰۴۹۹۳۷۰۸۹۸'); // wrong check digit, Persian digits
    await page.locator('#reg-mobile').fill('0212345678');
    await page.getByRole('button', { name: 'ارسال درخواست' }).click();
    assert.match(await page.locator('#reg-national_id-error').textContent(), /کد ملی وارد شده معتبر نیست/);
    assert.match(await page.locator('#reg-mobile-error').textContent(), /۰۹/);
    assert.equal(await page.locator('#reg-national_id').getAttribute('aria-invalid'), 'true');
    assert.equal(await page.getByTestId('description-count').textContent(), '۰ / ۲۰۰۰');
    assert.deepEqual(await seriousA11yViolations(page), []);
    await screenshot(page, 'registration-errors');

    await page.reload();
    await page.getByTestId('registration-form').waitFor();
    assert.equal(await page.locator('#reg-national_id').inputValue(), '۰۴۹۹۳۷۰۸۹۸', 'the draft survived');
    assert.equal(await page.locator('#reg-mobile').inputValue(), '0212345678');
    assert.deepEqual(errors, []);
    await context.close();
  });

  test('online, the citizen gets a tracking code and QR, and the request is received', async () => {
    const { context, page, errors } = await openForm(env.browser, env.server.url);
    await page.getByTestId('window-open').waitFor();
    await fillValidForm(page, { nationalId: '0790419904' });
    await page.getByRole('button', { name: 'ارسال درخواست' }).click();
    const receipt = page.getByTestId('receipt');
    await receipt.waitFor();
    const code = await receipt.getByTestId('tracking-code').textContent();
    assert.match(code, /^[2-9A-Z]{3}-[2-9A-Z]{3}-[2-9A-Z]{3}$/);
    assert.equal(await receipt.locator('.qr svg').count(), 1, 'a QR made on the phone');
    assert.equal(await scanQr(receipt.locator('.qr svg')), code.replaceAll('-', ''), 'the QR reads as the code');
    await receipt.getByTestId('request-state').filter({ hasText: 'ثبت شده' }).waitFor();
    assert.equal(await page.locator('#reg-national_id').inputValue(), '', 'the form is cleared for another');
    await screenshot(page, 'registration-received');
    assert.deepEqual(errors, []);
    await context.close();
  });

  test('offline, the request waits on the phone across a reload and is sent by itself when the network returns; another device looks it up', async () => {
    const { context, page, errors } = await openForm(env.browser, env.server.url);
    await serviceWorkerReady(page);

    await context.setOffline(true);
    await fillValidForm(page);
    await page.getByRole('button', { name: 'ارسال درخواست' }).click();
    const receipt = page.getByTestId('receipt');
    await receipt.waitFor();
    const code = await receipt.getByTestId('tracking-code').textContent();
    assert.match(await receipt.getByTestId('request-state').textContent(), /در انتظار ارسال/);

    // Reload while still offline: the app boots from the service worker
    // and the request is still there, waiting.
    await page.reload();
    await appReady(page);
    const mine = page.getByTestId('my-request').filter({ hasText: code });
    await mine.waitFor();
    assert.match(await mine.getByTestId('request-state').textContent(), /در انتظار ارسال/);
    assert.match(await page.getByTestId('pending').textContent(), /^۱ /);
    await screenshot(page, 'registration-offline-waiting');

    // The network returns: no click, the outbox is sent.
    await context.setOffline(false);
    await mine.getByTestId('request-state').filter({ hasText: 'ثبت شده' }).waitFor({ timeout: 30_000 });
    await page.getByTestId('pending').filter({ hasText: /^۰ / }).waitFor();
    await screenshot(page, 'registration-offline-delivered');
    assert.deepEqual(errors.filter((e) => !e.includes('ERR_INTERNET_DISCONNECTED')), []);

    // Another device: the status by code and mobile.
    const other = await phoneContext(env.browser);
    const lookup = await other.newPage();
    await lookup.goto(`${env.server.url}/track`);
    await appReady(lookup);
    await lookup.locator('#track-code').fill(code.toLowerCase());
    await lookup.locator('#track-mobile').fill('۰۹۱۲۳۴۵۶۷۸۹');
    await lookup.getByRole('button', { name: 'نمایش وضعیت' }).click();
    await lookup.getByTestId('lookup-result').waitFor();
    assert.equal(await lookup.getByTestId('lookup-status').textContent(), 'ثبت شده');
    assert.deepEqual(await seriousA11yViolations(lookup), []);
    await screenshot(lookup, 'track-found');

    // A wrong mobile finds nothing, and says so plainly.
    await lookup.locator('#track-mobile').fill('09350000000');
    await lookup.getByRole('button', { name: 'نمایش وضعیت' }).click();
    await lookup.getByTestId('lookup-not-found').waitFor();
    await other.close();
    await context.close();
  });

  test('a second request by the same person this week updates the first, and the citizen is told', async () => {
    const { context, page } = await openForm(env.browser, env.server.url);
    await fillValidForm(page, { nationalId: '0084575948', mobile: '09121111111' });
    await page.getByRole('button', { name: 'ارسال درخواست' }).click();
    await page.getByTestId('receipt').getByTestId('request-state').filter({ hasText: 'ثبت شده' }).waitFor();
    const first = await page.getByTestId('receipt').getByTestId('tracking-code').textContent();

    await fillValidForm(page, { nationalId: '0084575948', mobile: '09121111111' });
    await page.getByRole('button', { name: 'ارسال درخواست' }).click();
    await page.getByTestId('replaced-earlier').waitFor();
    assert.equal(await page.getByTestId('receipt').getByTestId('tracking-code').textContent(), first);
    await context.close();
  });
});

describe('registration outside the window', () => {
  const env = withServerAndBrowser({ env: { DIDAR_REGISTRATION_WINDOW: closedWindow() } });

  test('the form says when registration opens next, counting down, and cannot be sent', async () => {
    const { context, page, errors } = await openForm(env.browser, env.server.url);
    const notice = page.getByTestId('window-closed');
    await notice.waitFor();
    assert.match(await notice.textContent(), /ثبت‌نام اکنون بسته است. نوبت بعدی: .* \([۰-۹]+ روز و [۰-۹]+ ساعت و [۰-۹]+ دقیقه دیگر\)/);
    assert.ok(await page.getByRole('button', { name: 'ارسال درخواست' }).isDisabled());
    await screenshot(page, 'registration-closed');
    assert.deepEqual(errors, []);
    await context.close();
  });
});

describe('a request that arrives after the window closed', () => {
  const env = withServerAndBrowser({ env: { DIDAR_REGISTRATION_WINDOW: ALWAYS_OPEN } });

  test('is refused with a clear message, kept on the phone, and sent again in the next window', async () => {
    const { context, page } = await openForm(env.browser, env.server.url);
    await serviceWorkerReady(page);
    await context.setOffline(true);
    await fillValidForm(page, { nationalId: '1234567891' });
    await page.getByRole('button', { name: 'ارسال درخواست' }).click();
    await page.getByTestId('receipt').waitFor();

    // While the phone is offline, the week's registration closes (the
    // administrator's window, as the server now has it).
    await env.server.stop();
    env.server = await startServer({ env: { DIDAR_REGISTRATION_WINDOW: closedWindow() }, restart: env.server });
    await context.setOffline(false);
    const mine = page.getByTestId('my-request').first();
    await mine.getByTestId('request-state').filter({ hasText: 'بسته' }).waitFor({ timeout: 30_000 });
    assert.match(await mine.getByTestId('request-state').textContent(), /ثبت‌نام این هفته بسته است/);
    await screenshot(page, 'registration-refused');

    // Next week: open again; the citizen sends the same request with one tap.
    await env.server.stop();
    env.server = await startServer({ env: { DIDAR_REGISTRATION_WINDOW: ALWAYS_OPEN }, restart: env.server });
    await mine.getByTestId('send-again').click();
    await page.getByTestId('my-request').first().getByTestId('request-state').filter({ hasText: 'ثبت شده' }).waitFor({ timeout: 30_000 });
    assert.equal(await page.getByTestId('my-request').count(), 1, 'the refused copy was replaced, not duplicated');
    await context.close();
  });
});

describe('registration when the phone cannot keep it', () => {
  const env = withServerAndBrowser({ env: { DIDAR_REGISTRATION_WINDOW: ALWAYS_OPEN } });

  test('with storage full, an online registration is sent directly and says it is not kept; offline, the phone says storage is full', async () => {
    // Every IndexedDB write refused as a full disk refuses it. (A fake of
    // the browser API: Chromium 156 accepts the DevTools quota override,
    // Storage.overrideQuotaForOrigin, but IndexedDB writes still pass.)
    const { context, page } = await openForm(env.browser, env.server.url, {
      initScript: () => {
        IDBObjectStore.prototype.put = () => {
          throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
        };
      },
    });
    await page.getByTestId('window-open').waitFor();

    await fillValidForm(page, { nationalId: '0067749828' });
    await page.getByRole('button', { name: 'ارسال درخواست' }).click();
    const receipt = page.getByTestId('receipt');
    await receipt.getByTestId('request-state').filter({ hasText: 'ثبت شده' }).waitFor();
    assert.match(await receipt.getByTestId('not-kept').textContent(), /روی این گوشی نگه داشته نشد/);
    assert.match(await receipt.getByTestId('tracking-code').textContent(), /^[2-9A-Z]{3}-[2-9A-Z]{3}-[2-9A-Z]{3}$/);
    assert.equal(registrationsIn(join(env.server.work, 'data', 'didar.db')), 1);
    assert.deepEqual(await seriousA11yViolations(page), []);
    await screenshot(page, 'registration-storage-full-sent');

    // Offline as well: nothing can take it, and the phone says why.
    await context.setOffline(true);
    await fillValidForm(page, { nationalId: '0790419904' });
    await page.getByRole('button', { name: 'ارسال درخواست' }).click();
    const alert = page.getByRole('alert').filter({ hasText: 'حافظهٔ این گوشی پر است' });
    await alert.waitFor();
    assert.equal(await page.locator('#reg-national_id').inputValue(), '0790419904', 'what was typed is kept');
    await context.close();
  });

  test('the phone asks the browser to keep its storage once something waits in the outbox', async () => {
    // Counts calls and passes them on to the real API.
    const { context, page } = await openForm(env.browser, env.server.url, {
      initScript: () => {
        const persist = StorageManager.prototype.persist;
        window.__persistCalls = 0;
        StorageManager.prototype.persist = function () {
          window.__persistCalls += 1;
          return persist.call(this);
        };
      },
    });
    await serviceWorkerReady(page);
    assert.equal(await page.evaluate(() => window.__persistCalls), 0, 'not asked for nothing');
    await context.setOffline(true);
    await fillValidForm(page, { nationalId: '0084575948' });
    await page.getByRole('button', { name: 'ارسال درخواست' }).click();
    await page.getByTestId('receipt').waitFor();
    await page.waitForFunction(() => window.__persistCalls > 0);
    await context.close();
  });
});

/// Holds SQLite's write lock on `database` for `seconds` from another
/// process, as a slow writer would; resolves once the lock is taken, with
/// `released`, a promise of its end (wrapped: an async function's returned
/// promise would be awaited away).
async function holdWriteLock(database, seconds) {
  const holder = spawn('python3', ['-c', [
    'import sqlite3, sys, time',
    `c = sqlite3.connect(${JSON.stringify(database)}, isolation_level=None)`,
    "c.execute('BEGIN IMMEDIATE')",
    "print('locked', flush=True)",
    `time.sleep(${seconds})`,
    "c.execute('ROLLBACK')",
  ].join('\n')], { stdio: ['ignore', 'pipe', 'inherit'] });
  const released = new Promise((done) => holder.once('exit', done));
  await new Promise((locked, failed) => {
    holder.stdout.on('data', (chunk) => { if (String(chunk).includes('locked')) locked(); });
    holder.once('exit', (code) => failed(new Error(`the lock holder exited with ${code}`)));
  });
  return { released };
}

function registrationsIn(database) {
  const out = execFileSync('python3', ['-c', `import sqlite3; print(sqlite3.connect(${JSON.stringify(database)}).execute('SELECT count(*) FROM registrations').fetchone()[0])`]);
  return Number(String(out).trim());
}

describe('registration against a slow server', () => {
  // Requests time out after a second (the server answers 408), while the
  // registration itself is committed later.
  const env = withServerAndBrowser({
    env: { DIDAR_REGISTRATION_WINDOW: ALWAYS_OPEN, DIDAR_REQUEST_TIMEOUT_SECS: '1' },
  });

  test('a timeout is not a refusal: the request waits, is sent again, and is received once with the same code', async () => {
    const { context, page, errors } = await openForm(env.browser, env.server.url);
    await page.getByTestId('window-open').waitFor();
    await fillValidForm(page, { nationalId: '0499370899' });
    const database = join(env.server.work, 'data', 'didar.db');
    // Chromium resends a request answered 408 on a reused keep-alive
    // connection by itself, again and again, so on this page's warm
    // connections the app would never see the server's answer. A phone
    // that sends after minutes of typing does so on a fresh connection,
    // where it does. The registration is passed through Node's HTTP client
    // (one fresh request each), so the app gets the server's own answer.
    await page.route('**/api/registrations', async (route) => route.fulfill({ response: await route.fetch() }));
    const timedOut = page.waitForResponse((r) => r.url().endsWith('/api/registrations') && r.status() === 408);
    const { released } = await holdWriteLock(database, 3);
    await page.getByRole('button', { name: 'ارسال درخواست' }).click();
    const receipt = page.getByTestId('receipt');
    await receipt.waitFor();
    const code = await receipt.getByTestId('tracking-code').textContent();
    await timedOut;
    // The answer was "too slow", not "no": the phone keeps it as waiting.
    await page.waitForTimeout(300);
    assert.equal(await page.locator('.state-refused').count(), 0, 'a timeout is not shown as a refusal');
    assert.match(await receipt.getByTestId('request-state').textContent(), /در انتظار ارسال/);
    await released;

    await receipt.getByTestId('request-state').filter({ hasText: 'ثبت شده' }).waitFor({ timeout: 30_000 });
    assert.equal(await receipt.getByTestId('tracking-code').textContent(), code, 'the same tracking code');
    assert.equal(registrationsIn(database), 1, 'stored once');
    // The browser logs the 408 itself; nothing else.
    assert.deepEqual(errors.filter((e) => !e.includes('408')), []);
    await context.close();
  });
});
