// Meeting day in Chromium against the real server (issue 12): three
// devices of the demo meeting work offline for the whole meeting —
// overlapping check-ins, an undo, a walk-in, request forms (one filled on
// two devices), every device reloaded while offline — then come back
// online one after another, and every device and the server agree:
// counts, the person admitted twice and the form in conflict shown as
// such, the conflict resolved by a person, and the citizens' statuses.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import QRCode from 'qrcode';
import { join } from 'node:path';
import {
  appReady,
  launchBrowser,
  phoneContext,
  qrCameraFile,
  screenshot,
  seriousA11yViolations,
  serviceWorkerReady,
  signIn,
  syncNow,
  waitUntilSent,
  watchErrors,
  withServerAndBrowser,
} from './harness.mjs';

/// The demo meeting's citizens (server/src/seed/demo_meeting.rs): the n-th
/// is named from its lists and has the mobile 0913 100 0100 + n.
const CITIZEN = {
  x: { name: 'محمد کریمی', mobile: '09131000100' },
  y: { name: 'زهرا کریمی', mobile: '09131000101' },
  z: { name: 'علی کریمی', mobile: '09131000102' },
  w: { name: 'سارا کریمی', mobile: '09131000107' },
  v: { name: 'مهدی کریمی', mobile: '09131000108' },
};
/// The demo meeting's first trustee (`trustee(meeting, 0)` in the seed).
const TRUSTEE = 'حاج فاطمه کریمی';

/// Waits until the form's photo number `n` is drawn from a real picture.
async function photoDrawn(page, n = 0) {
  await page.waitForFunction((n) => {
    const image = document.querySelectorAll('[data-testid="form-photo-image"]')[n];
    return image && image.complete && image.naturalWidth > 0;
  }, n);
  return page.getByTestId('form-photo-image').nth(n);
}

function entry(page, name) {
  return page.getByTestId('door-entry').filter({ has: page.locator('.door-entry-name', { hasText: new RegExp(`^${name}$`) }) });
}

async function find(page, typed) {
  await page.getByTestId('door-search').fill(typed);
}

async function checkIn(page, name) {
  await find(page, name);
  await entry(page, name).getByTestId('door-check-in').click();
  await page.locator('[data-testid="door-feedback"][data-kind="checked-in"]', { hasText: name }).waitFor();
}

/// Opens the person's request form from the tables screen.
async function openForm(page, doorUrl, name) {
  await page.goto(doorUrl.replace('/door/', '/tables/'));
  await appReady(page);
  await page.getByTestId('tables-search').fill(name);
  // The exact name: a trustee «دکتر زهرا کریمی» shares the citizen's.
  const exact = new RegExp(`^${name}$`);
  await page.getByTestId('tables-entry').locator('h3 a', { hasText: exact }).click();
  await page.getByTestId('form-person').filter({ hasText: exact }).waitFor();
}

/// Opens the person's request form from the tables screen and fills it.
async function fillForm(page, doorUrl, name, { asked, referral }) {
  await openForm(page, doorUrl, name);
  await page.locator('#form-asked').fill(asked);
  await page.locator('#form-decision').fill('بررسی شود');
  await page.locator('#form-referral').selectOption(referral);
  await page.getByTestId('form-save').click();
  await page.getByTestId('form-saved').waitFor();
}

async function count(page, which) {
  const text = await page.getByTestId(`count-${which}`).textContent();
  // Persian digits back to numbers: "۳ / ۱۳۱" → [3, 131].
  return text.replace(/[۰-۹]/g, (d) => '۰۱۲۳۴۵۶۷۸۹'.indexOf(d)).split('/').map((n) => Number(n.trim()));
}

/// Waits until a counter reads `expected` (a sync's pull lands in the
/// page a moment after its phase returns to idle).
async function countReaches(page, which, expected) {
  const deadline = Date.now() + 15_000;
  let seen;
  while (Date.now() < deadline) {
    seen = await count(page, which);
    if (JSON.stringify(seen) === JSON.stringify(expected)) return;
    await page.waitForTimeout(100);
  }
  assert.deepEqual(seen, expected, which);
}

/// Opens the field staff of the demo meeting today (not the district's
/// next one, a week later) in the administrator's meetings list.
async function todaysMeetingStaff(desk) {
  await desk.getByTestId('meetings').locator('tr', { hasText: 'سالن اجتماعات منطقهٔ ۶' }).getByTestId('meeting-staff-open').click();
}

/// The citizen's request as the public lookup shows it.
async function lookup(url, code, mobile) {
  const response = await fetch(`${url}/api/registrations/lookup`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ tracking_code: code, mobile }),
  });
  assert.equal(response.status, 200);
  return response.json();
}

describe('meeting day at the door', () => {
  const env = withServerAndBrowser({ env: { DIDAR_MODE: 'development' } });

  test('three devices offline for the whole meeting agree with the server once back online', async () => {
    const password = env.server.accounts.field6;
    assert.ok(password, 'the demo field-staff account was printed');
    const devices = [];
    for (const door of ['ورودی ۱', 'ورودی ۲', 'ورودی ۳']) {
      const context = await phoneContext(env.browser);
      const page = await context.newPage();
      const errors = watchErrors(page);
      await signIn(page, env.server.url, { username: 'field6', password, device: `تبلت ${door}` });
      await serviceWorkerReady(page);
      await page.goto(`${env.server.url}/staff/checkin`);
      await appReady(page);
      await page.locator('[data-testid="checkin-meetings"] a').first().click();
      await page.getByTestId('door-name').fill(door);
      await page.getByTestId('door-name').blur();
      await page.getByTestId('door-readiness').filter({ hasText: '۱۳۰ نفر' }).waitFor();
      devices.push({ context, page, errors, door });
    }
    const [a, b, c] = devices;
    const doorUrl = a.page.url();
    assert.match(doorUrl, /\/staff\/checkin\/door\/[0-9a-f-]+$/);
    assert.deepEqual(await seriousA11yViolations(a.page), []);

    for (const device of devices) await device.context.setOffline(true);

    // The same citizen arrives at two doors before they could know.
    await checkIn(a.page, CITIZEN.x.name);
    await checkIn(b.page, CITIZEN.x.name);
    await checkIn(b.page, CITIZEN.y.name);
    // Checking in again on the same device says so, in its own colour.
    // (Name and the mobile's last digits: a trustee shares her name.)
    await find(b.page, `${CITIZEN.y.name} ${CITIZEN.y.mobile.slice(-4)}`);
    await b.page.getByTestId('door-result-count').filter({ hasText: /^۱ نفر$/ }).waitFor();
    await b.page.getByTestId('door-search').press('Enter');
    await b.page.locator('[data-testid="door-feedback"][data-kind="already-in"]').waitFor();
    assert.match(await b.page.getByTestId('door-feedback').textContent(), /پیش از این، ساعت [۰-۹:]+ در «ورودی ۲»/);
    await screenshot(b.page, 'checkin-already-in');

    // A mistaken check-in, undone with a reason.
    await checkIn(c.page, CITIZEN.z.name);
    const z = entry(c.page, CITIZEN.z.name);
    await z.getByText('لغو ورود').first().click();
    await z.getByTestId('door-undo-reason').fill('نفر دیگری بود');
    await z.getByTestId('door-undo').click();
    await c.page.locator('[data-testid="door-feedback"][data-kind="undone"]').waitFor();

    // A local trustee who is not on the roster.
    await a.page.getByText('افزودن مراجعه‌کنندهٔ بدون نوبت').click();
    await a.page.locator('#walk-in-kind').selectOption('trustee');
    await a.page.locator('#walk-in-name').fill('حسن رحیمی');
    await a.page.locator('#walk-in-mobile').fill('۰۹۱۳ ۱۲۳ ۹۸۷۶');
    await a.page.getByTestId('walk-in-add').click();
    await a.page.locator('[data-testid="door-feedback"][data-kind="walk-in"]').waitFor();
    await find(a.page, '9876');
    await entry(a.page, 'حسن رحیمی').getByTestId('door-present').waitFor();
    assert.deepEqual(await count(a.page, 'present'), [2, 131]);
    assert.deepEqual(await count(a.page, 'walk-ins'), [1]);
    await screenshot(a.page, 'checkin-offline-door-1');

    // At the tables: two devices write the same citizen's form without
    // seeing each other's, a third writes another's.
    await fillForm(a.page, doorUrl, CITIZEN.x.name, { asked: 'آسفالت کوچه', referral: 'services' });
    await fillForm(b.page, doorUrl, CITIZEN.x.name, { asked: 'آسفالت و روشنایی کوچه', referral: 'urban_planning' });
    await fillForm(c.page, doorUrl, CITIZEN.y.name, { asked: 'ایستگاه اتوبوس', referral: 'transport' });
    assert.match(await c.page.getByTestId('form-referral').textContent(), /ارجاع به معاونت حمل‌ونقل و ترافیک؛ مهلت پاسخ: /);
    await screenshot(c.page, 'checkin-offline-form');
    for (const device of devices) {
      await device.page.goto(doorUrl);
      await appReady(device.page);
    }

    // Every device restarts offline: the app boots from its cache and
    // nothing recorded is lost.
    for (const device of devices) {
      await device.page.reload();
      await appReady(device.page);
      await device.page.locator('[data-testid="door-readiness"]:not([data-state="reading"])').waitFor();
    }
    assert.deepEqual(await count(a.page, 'present'), [2, 131]);
    assert.deepEqual(await count(b.page, 'present'), [2, 130]);
    assert.deepEqual(await count(c.page, 'present'), [0, 130]);
    assert.deepEqual(await count(b.page, 'pending'), [3], 'two check-ins and a form');

    // Back online one after another, in another order than they worked.
    for (const device of [c, a, b]) {
      await device.context.setOffline(false);
      await syncNow(device.page);
      await waitUntilSent(device.page);
    }
    for (const device of devices) {
      await syncNow(device.page);
      await countReaches(device.page, 'present', [3, 131]);
      await countReaches(device.page, 'walk-ins', [1]);
      await find(device.page, CITIZEN.x.name);
      const x = entry(device.page, CITIZEN.x.name);
      // Admitted at two doors: the first counts, the second is shown.
      assert.match(await x.getByTestId('door-present').textContent(), /ورودی ۱|ورودی ۲/);
      assert.match(await x.getByTestId('door-duplicate').textContent(), /دوباره پذیرش شده/);
    }
    await screenshot(a.page, 'checkin-after-sync-door-1');

    // The report of what happened, person by person, the same on every
    // device once synced.
    for (const device of devices) {
      await device.page.goto(`${env.server.url}/staff/checkin`);
      await appReady(device.page);
      await device.page.getByTestId('checkin-reconcile-link').first().click();
      const totals = device.page.getByTestId('reconcile-totals');
      await totals.waitFor();
      assert.equal(await totals.textContent(), 'حاضر: ۳ از ۱۳۰ دعوت‌شده، و ۱ بدون نوبت', device.door);
      assert.match(await device.page.getByTestId('reconcile-twice').textContent(), new RegExp(CITIZEN.x.name));
      assert.doesNotMatch(await device.page.getByTestId('reconcile-twice').textContent(), new RegExp(CITIZEN.y.name));
      assert.match(await device.page.getByTestId('reconcile-walk-ins').textContent(), /حسن رحیمی — معتمد محلی/);
      assert.match(await device.page.getByTestId('reconcile-undone').textContent(), new RegExp(`${CITIZEN.z.name} — ورودی ۳ — نفر دیگری بود`));
      // Doors 1 and 2 each admitted two; door 3's one check-in was undone.
      const doors = await device.page.getByTestId('reconcile-doors').locator('tbody tr').allTextContents();
      assert.deepEqual(doors.map((row) => row.match(/^ورودی [۰-۹]/)?.[0]), ['ورودی ۱', 'ورودی ۲'], device.door);
      // The form written on two devices is in conflict, on every device;
      // its referral waits for a person to choose.
      assert.equal(await device.page.getByTestId('reconcile-form-counts').textContent(), '۲ فرم، ۱ ارجاع', device.door);
      assert.match(await device.page.getByTestId('reconcile-form-conflicts').textContent(), new RegExp(`${CITIZEN.x.name} — ۲ نسخه`));
      assert.match(await device.page.getByTestId('reconcile-form-shared').textContent(), new RegExp(CITIZEN.x.name));
    }
    await screenshot(a.page, 'checkin-reconciliation');

    // Someone who sees both versions keeps one; every device learns it.
    await a.page.getByTestId('reconcile-form-conflicts').getByRole('link', { name: CITIZEN.x.name }).click();
    const versions = a.page.getByTestId('form-version');
    await versions.nth(1).waitFor();
    assert.equal(await versions.count(), 2);
    await screenshot(a.page, 'checkin-form-conflict');
    await versions.filter({ hasText: 'آسفالت و روشنایی کوچه' }).getByTestId('form-keep').click();
    await a.page.getByTestId('form-saved').waitFor();
    // The next edit on the same screen has seen the kept version: it
    // replaces it, with no conflict of the device with itself.
    await a.page.locator('#form-answer').fill('قول پیگیری داده شد');
    await a.page.getByTestId('form-save').click();
    await syncNow(a.page);
    await waitUntilSent(a.page);
    await a.page.getByTestId('form-referral').filter({ hasText: 'معاونت شهرسازی و معماری' }).waitFor();
    assert.equal(await a.page.getByTestId('form-conflict').count(), 0, 'one version after the second edit');
    for (const device of [b, c]) {
      await syncNow(device.page);
      await device.page.goto(a.page.url());
      await appReady(device.page);
      await device.page.getByTestId('form-referral').filter({ hasText: 'معاونت شهرسازی و معماری' }).waitFor();
      assert.equal(await device.page.getByTestId('form-conflict').count(), 0, device.door);
    }

    // The citizens' own lookup tells the truth.
    await a.page.goto(doorUrl);
    await appReady(a.page);
    await a.page.locator('[data-testid="door-readiness"]:not([data-state="reading"])').waitFor();
    const codeOf = async (name) => {
      await find(a.page, name);
      return (await entry(a.page, name).locator('.meta .ltr').first().textContent()).trim();
    };
    const lookups = [
      [CITIZEN.x, 'referred', 'معاونت شهرسازی و معماری'],
      [CITIZEN.y, 'referred', 'معاونت حمل‌ونقل و ترافیک'],
      [CITIZEN.z, 'invited', undefined],
    ];
    for (const [citizen, status, deputy] of lookups) {
      const answer = await lookup(env.server.url, await codeOf(citizen.name), citizen.mobile);
      assert.equal(answer.status, status, citizen.name);
      // The referral in the words the citizen reads, naming the deputy.
      assert.equal(answer.referral?.fa.match(/به (.+) ارجاع شد/)[1], deputy, citizen.name);
    }
    // And the citizen reads it at /track, in words.
    const xCode = await codeOf(CITIZEN.x.name);
    await a.page.goto(`${env.server.url}/track`);
    await appReady(a.page);
    await a.page.locator('#track-code').fill(xCode);
    await a.page.locator('#track-mobile').fill(CITIZEN.x.mobile);
    await a.page.getByRole('button', { name: 'نمایش وضعیت' }).click();
    assert.match(await a.page.getByTestId('lookup-referral').textContent(), /^در دیدار، به معاونت شهرسازی و معماری ارجاع شد \([۰-۹]+ [^ ]+ [۰-۹]+\)\.$/);
    await screenshot(a.page, 'track-referred');
    // The citizens' pages are the citizens' bundle, not the field one: a
    // field device offline still opens the registration form (a walk-in
    // citizen who wants to register), from the service worker's cache.
    await b.context.setOffline(true);
    await b.page.goto(doorUrl);
    await appReady(b.page);
    await b.page.locator('header.topbar a[href="/register"]').click();
    await b.page.getByTestId('registration-form').waitFor();
    assert.equal(await b.page.evaluate(() => document.documentElement.dataset.bundle), undefined, "index.html: the citizens' bundle");
    await b.page.goBack();
    await b.page.getByTestId('door-search').waitFor();
    for (const device of devices) {
      assert.deepEqual(device.errors.filter((e) => !e.includes('ERR_INTERNET_DISCONNECTED')), [], device.door);
      await device.context.close();
    }
  });

  test('a walk-in with a wrong mobile is refused on the device, in Persian, and nothing is queued', async () => {
    const password = env.server.accounts.field6;
    const context = await phoneContext(env.browser);
    const page = await context.newPage();
    await signIn(page, env.server.url, { username: 'field6', password, device: 'تبلت آزمایش' });
    await page.goto(`${env.server.url}/staff/checkin`);
    await appReady(page);
    await page.locator('[data-testid="checkin-meetings"] a').first().click();
    await page.getByTestId('door-readiness').filter({ hasText: 'نفر' }).waitFor();
    const before = await count(page, 'pending');
    await page.getByText('افزودن مراجعه‌کنندهٔ بدون نوبت').click();
    await page.locator('#walk-in-kind').selectOption('citizen');
    await page.locator('#walk-in-name').fill('سمیرا یزدانی');
    await page.locator('#walk-in-mobile').fill('0913');
    await page.getByTestId('walk-in-add').click();
    assert.match(await page.getByTestId('walk-in-error').textContent(), /شمارهٔ همراه مراجعه‌کننده درست نیست/);
    await page.locator('#walk-in-mobile').fill('09131112233');
    await page.getByTestId('walk-in-add').click();
    assert.match(await page.getByTestId('walk-in-error').textContent(), /کد ملی/);
    assert.deepEqual(await count(page, 'pending'), before);
    await context.close();
  });

  test("an administrator takes a device's user off the meeting and puts them back: the roster leaves and returns, unsent work stays", async () => {
    const context = await phoneContext(env.browser);
    const door = await context.newPage();
    await signIn(door, env.server.url, { username: 'field6', password: env.server.accounts.field6, device: 'تبلت ۴' });
    await door.goto(`${env.server.url}/staff/checkin`);
    await appReady(door);
    await door.locator('[data-testid="checkin-meetings"] a').first().click();
    await door.getByTestId('door-readiness').filter({ hasText: 'نفر' }).waitFor();
    // A check-in made offline, still waiting when its author is taken off
    // the meeting: the roster leaves the device, the check-in does not.
    await door.context().setOffline(true);
    await checkIn(door, CITIZEN.w.name);
    const code = (await entry(door, CITIZEN.w.name).locator('.meta .ltr').first().textContent()).trim();

    const desk = await (await phoneContext(env.browser, { viewport: { width: 1024, height: 900 } })).newPage();
    await signIn(desk, env.server.url, { username: 'admin', password: env.server.accounts.admin, device: 'رایانهٔ مدیر' });
    await desk.goto(`${env.server.url}/staff/admin/meetings`);
    await appReady(desk);
    await todaysMeetingStaff(desk);
    const field6 = desk.getByTestId('meeting-staff').locator('.field-check', { hasText: 'field6' }).locator('input');
    await field6.waitFor();
    assert.equal(await field6.isChecked(), true, 'the demo assigned field6');
    await field6.uncheck();
    await desk.getByTestId('meeting-staff-save').click();
    await desk.getByTestId('meeting-staff-outcome').filter({ hasText: 'ثبت شدند' }).waitFor();
    await screenshot(desk, 'checkin-admin-meeting-staff');

    await door.context().setOffline(false);
    await syncNow(door);
    await waitUntilSent(door);
    await door.goto(`${env.server.url}/staff/checkin`);
    await appReady(door);
    await door.getByTestId('checkin-no-meetings').waitFor();
    assert.equal((await lookup(env.server.url, code, CITIZEN.w.mobile)).status, 'attended', 'the waiting check-in was sent, not purged');

    await field6.check();
    await desk.getByTestId('meeting-staff-save').click();
    await desk.getByTestId('meeting-staff-outcome').filter({ hasText: 'ثبت شدند' }).waitFor();
    await syncNow(door);
    await door.locator('[data-testid="checkin-meetings"] a').first().waitFor();
    await context.close();
  });

  test('a roster the server stops sending stays on a device whose work is not sent yet, which says why, and leaves once it is sent', async () => {
    const context = await phoneContext(env.browser);
    const door = await context.newPage();
    await signIn(door, env.server.url, { username: 'field6', password: env.server.accounts.field6, device: 'تبلت ۶' });
    await door.goto(`${env.server.url}/staff/checkin`);
    await appReady(door);
    await door.locator('[data-testid="checkin-meetings"] a').first().click();
    await door.getByTestId('door-readiness').filter({ hasText: 'نفر' }).waitFor();
    // The network path refuses this device's pushes (pulls still work),
    // so a check-in waits while the server stops sending the roster.
    await door.route('**/api/sync/push', (route) =>
      route.fulfill({ status: 503, contentType: 'application/json', body: '{"error":{"code":"unavailable","message":{"fa":"","en":""}}}' }),
    );
    await checkIn(door, CITIZEN.v.name);
    await find(door, CITIZEN.v.name);
    const code = (await entry(door, CITIZEN.v.name).locator('.meta .ltr').first().textContent()).trim();
    await door.locator('[data-testid="sync-phase"][data-phase="failed"]').waitFor();

    const desk = await (await phoneContext(env.browser, { viewport: { width: 1024, height: 900 } })).newPage();
    await signIn(desk, env.server.url, { username: 'admin', password: env.server.accounts.admin, device: 'رایانهٔ مدیر ۲' });
    await desk.goto(`${env.server.url}/staff/admin/meetings`);
    await appReady(desk);
    await todaysMeetingStaff(desk);
    const field6 = desk.getByTestId('meeting-staff').locator('.field-check', { hasText: 'field6' }).locator('input');
    await field6.waitFor();
    await field6.uncheck();
    await desk.getByTestId('meeting-staff-save').click();
    await desk.getByTestId('meeting-staff-outcome').filter({ hasText: 'ثبت شدند' }).waitFor();

    // The pull starts over without the meeting, yet the roster stays:
    // the device says why, and the door still finds anyone on it.
    await door.getByTestId('sync-now').click();
    await door.getByTestId('sync-held').filter({ hasText: 'هنوز ارسال نشده' }).waitFor();
    await screenshot(door, 'checkin-roster-held');
    await find(door, CITIZEN.z.name);
    await entry(door, CITIZEN.z.name).waitFor();
    assert.equal(await door.locator('[data-testid="sync-pending"]').getAttribute('data-count'), '1');
    await door.reload();
    await appReady(door);
    await door.getByTestId('sync-held').waitFor();
    await door.goto(`${env.server.url}/staff/checkin`);
    await appReady(door);
    await door.locator('[data-testid="checkin-meetings"] a').first().waitFor();

    // The fault ends: the check-in is sent, and in the same sync the
    // roster leaves.
    await door.unroute('**/api/sync/push');
    await syncNow(door);
    await waitUntilSent(door);
    await door.getByTestId('checkin-no-meetings').waitFor();
    assert.equal(await door.getByTestId('sync-held').count(), 0, 'nothing is held once everything is sent');
    assert.equal((await lookup(env.server.url, code, CITIZEN.v.mobile)).status, 'attended');

    await field6.check();
    await desk.getByTestId('meeting-staff-save').click();
    await desk.getByTestId('meeting-staff-outcome').filter({ hasText: 'ثبت شدند' }).waitFor();
    await context.close();
    await desk.context().close();
  });

  test("the door checks a citizen in by the QR of their receipt, read by the camera through the wasm decoder", async () => {
    // Whose receipt: the first citizen on the roster not checked in yet.
    const lookupContext = await phoneContext(env.browser);
    const lookupPage = await lookupContext.newPage();
    await signIn(lookupPage, env.server.url, { username: 'field6', password: env.server.accounts.field6, device: 'تبلت ۵' });
    await lookupPage.goto(`${env.server.url}/staff/checkin`);
    await appReady(lookupPage);
    await lookupPage.locator('[data-testid="checkin-meetings"] a').first().click();
    const citizen = lookupPage.locator('[data-testid="door-entry"][data-present="false"]', { has: lookupPage.getByTestId('door-code') }).first();
    await citizen.waitFor();
    const name = (await citizen.locator('.door-entry-name').textContent()).trim();
    const code = (await citizen.getByTestId('door-code').textContent()).trim();
    await lookupContext.close();

    // Chromium's fake camera shows that QR (no BarcodeDetector on Linux:
    // the worker's wasm decoder reads it).
    const video = join(mkdtempSync(join(tmpdir(), 'didar-camera-')), 'receipt.y4m');
    qrCameraFile(video, code.replaceAll('-', ''));
    const camera = await launchBrowser([
      '--use-fake-device-for-media-stream',
      '--use-fake-ui-for-media-stream',
      `--use-file-for-fake-video-capture=${video}`,
    ]);
    try {
      const context = await phoneContext(camera);
      const door = await context.newPage();
      const errors = watchErrors(door);
      await signIn(door, env.server.url, { username: 'field6', password: env.server.accounts.field6, device: 'تبلت دوربین' });
      await door.goto(`${env.server.url}/staff/checkin`);
      await appReady(door);
      await door.locator('[data-testid="checkin-meetings"] a').first().click();
      await door.locator('[data-testid="door-readiness"]:not([data-state="reading"])').waitFor();
      assert.equal(await door.evaluate(() => 'BarcodeDetector' in self), false, 'the fallback decoder is what is tested');
      assert.equal(await door.getByTestId('scan-video').isVisible(), false, 'no camera view before the camera is opened');
      await door.getByTestId('scan-toggle').click();
      const match = door.getByTestId('scan-match');
      await match.waitFor({ timeout: 20_000 });
      assert.equal((await match.locator('.door-feedback-name').textContent()).trim(), name);
      await screenshot(door, 'checkin-scanned');
      await door.getByTestId('scan-check-in').click();
      await door.locator('[data-testid="door-feedback"][data-kind="checked-in"]', { hasText: name }).waitFor();
      await door.getByTestId('scan-toggle').click();
      assert.equal(await door.locator('video[data-testid="scan-video"]').evaluate((v) => v.srcObject), null, 'the camera is released');
      assert.equal(await door.getByTestId('scan-video').isVisible(), false, 'and its view is gone');
      await syncNow(door);
      await waitUntilSent(door);
      assert.deepEqual(errors, []);
    } finally {
      await camera.close();
    }
  });

  test('a photo of a document taken offline at a table survives a reload, is sent when the network returns, and shows on another device', async () => {
    // A "document" larger than a photo is sent: 2400 pixels wide.
    const picture = join(mkdtempSync(join(tmpdir(), 'didar-photo-')), 'document.png');
    await QRCode.toFile(picture, 'سند مالکیت ۶/۱۴۰۲/۱۲', { width: 2400, margin: 2 });
    const context = await phoneContext(env.browser);
    const table = await context.newPage();
    const errors = watchErrors(table);
    await signIn(table, env.server.url, { username: 'field6', password: env.server.accounts.field6, device: 'میز عکس' });
    await table.goto(`${env.server.url}/staff/checkin`);
    await appReady(table);
    await table.locator('[data-testid="checkin-meetings"] a').first().click();
    await table.getByTestId('door-readiness').filter({ hasText: 'نفر' }).waitFor();
    const doorUrl = table.url();

    await context.setOffline(true);
    await openForm(table, doorUrl, TRUSTEE);
    await table.getByTestId('form-photo-input').setInputFiles(picture);
    const image = await photoDrawn(table);
    assert.equal(await image.evaluate((img) => img.naturalWidth), 1600, 'made smaller on the device');
    assert.match(await image.getAttribute('src'), /^blob:/, 'shown from the device');
    await table.locator('[data-testid="sync-pending"][data-count="1"]').waitFor();
    // The form saved beside it does not draw the picture again (it did, and
    // the picture blinked: a new element, empty until its blob was read).
    await image.evaluate((img) => { img.dataset.drawn = 'once'; });
    await table.locator('#form-asked').fill('تصرف پیاده‌رو');
    await table.getByTestId('form-save').click();
    await table.locator('[data-testid="sync-pending"][data-count="2"]').waitFor();
    assert.equal(await table.locator('[data-testid="form-photo-image"][data-drawn="once"]').count(), 1, 'the same picture, still drawn');
    await screenshot(table, 'checkin-form-photo');
    // Reloaded offline: the picture is still on the device.
    await table.reload();
    await appReady(table);
    await photoDrawn(table);

    await context.setOffline(false);
    await syncNow(table);
    await waitUntilSent(table);

    // Another device opens the form: the photo comes from the server.
    const otherContext = await phoneContext(env.browser);
    const other = await otherContext.newPage();
    await signIn(other, env.server.url, { username: 'field6', password: env.server.accounts.field6, device: 'میز دیگر' });
    await other.goto(doorUrl);
    await appReady(other);
    await other.getByTestId('door-readiness').filter({ hasText: 'نفر' }).waitFor();
    await openForm(other, doorUrl, TRUSTEE);
    const served = await photoDrawn(other);
    assert.match(await served.getAttribute('src'), /^\/api\/photos\//);
    assert.equal(await served.evaluate((img) => img.naturalWidth), 1600);

    // Taken off on that device, it leaves the first one too.
    await other.getByTestId('form-photo-remove').click();
    await other.getByTestId('form-photo').waitFor({ state: 'detached' });
    await syncNow(other);
    await waitUntilSent(other);
    await syncNow(table);
    await table.getByTestId('form-photo').waitFor({ state: 'detached' });
    // Offline, the device's attempts to reach the server fail as they should.
    assert.deepEqual(errors.filter((e) => !e.includes('ERR_INTERNET_DISCONNECTED')), []);
    await context.close();
    await otherContext.close();
  });

  test('after the day the screening committee closes the meeting: the invited who never came become no-shows', async () => {
    // The tracking codes, from a door device.
    const context = await phoneContext(env.browser);
    const door = await context.newPage();
    await signIn(door, env.server.url, { username: 'field6', password: env.server.accounts.field6, device: 'تبلت ۶' });
    await door.goto(`${env.server.url}/staff/checkin`);
    await appReady(door);
    await door.locator('[data-testid="checkin-meetings"] a').first().click();
    await door.locator('[data-testid="door-readiness"]:not([data-state="reading"])').waitFor();
    const code = async (name) => {
      await find(door, name);
      return (await entry(door, name).getByTestId('door-code').textContent()).trim();
    };
    const zCode = await code(CITIZEN.z.name);
    const xCode = await code(CITIZEN.x.name);
    await context.close();

    // The committee's own area: its districts' meetings, each with the
    // meeting-day report and the closing.
    const committee = await phoneContext(env.browser, { viewport: { width: 1024, height: 900 } });
    const desk = await committee.newPage();
    await signIn(desk, env.server.url, { username: 'screening6', password: env.server.accounts.screening6, device: 'رایانهٔ کمیته' });
    await desk.goto(`${env.server.url}/staff/screening`);
    await appReady(desk);
    await desk.getByTestId('screening-meeting-link').first().click();
    // 100 citizens invited; x, y, w, v and the scanned one came (z's
    // check-in was undone).
    assert.match(await desk.getByTestId('close-absent').textContent(), /^۹۵ شهروند دعوت‌شده/);
    assert.equal(await desk.getByText('بازگشت به پذیرش').count(), 0, 'the door is field staff\'s');
    await desk.getByTestId('close-meeting').click();
    await desk.getByTestId('meeting-closed').filter({ hasText: '۹۵ نفر غایب' }).waitFor();
    await screenshot(desk, 'checkin-meeting-closed');
    await syncNow(desk);
    await waitUntilSent(desk);
    assert.equal((await lookup(env.server.url, zCode, CITIZEN.z.mobile)).status, 'no_show');
    assert.equal((await lookup(env.server.url, xCode, CITIZEN.x.mobile)).status, 'referred');
    await committee.close();
  });
});
