// Next week's meeting filled in Chromium against the real server (issue
// 13): an administrator imports the district's list of local trustees — a
// bad one first, which imports nothing and names its bad lines — and
// reads it back; a screening member gives 60 waiting citizens places with
// a slot (the most pressing first) and invites 30 trustees, offline, up to
// the trustees' quota; each citizen and trustee is sent one SMS.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  ALWAYS_OPEN,
  appReady,
  phoneContext,
  screenshot,
  seriousA11yViolations,
  signIn,
  tableLoaded,
  waitUntilSent,
  watchErrors,
  withServerAndBrowser,
} from './harness.mjs';

const HEADER = 'نام و نام خانوادگی,شماره همراه,محله,گروه\r\n';
const NAMES = ['رضا', 'زهرا', 'حسن', 'مریم', 'جواد', 'لیلا', 'کاظم'];
const FAMILIES = ['صالحی', 'رحیمی', 'توکلی', 'نوروزی', 'شریفی'];

function csv(text) {
  return { name: 'motamedin.csv', mimeType: 'text/csv', buffer: Buffer.from(text, 'utf8') };
}

/// 35 trustees, Persian digits in the mobiles.
function list() {
  const rows = [];
  for (let i = 0; i < 35; i++) {
    const mobile = `0913${String(3000000 + i)}`.replace(/\d/g, (d) => '۰۱۲۳۴۵۶۷۸۹'[d]);
    rows.push(`${NAMES[i % NAMES.length]} ${FAMILIES[Math.floor(i / NAMES.length)]},${mobile},محلهٔ ${i % 4},شورایاری`);
  }
  return `\uFEFF${HEADER}${rows.join('\r\n')}\r\n`;
}

describe('local trustees', () => {
  const env = withServerAndBrowser({
    env: { DIDAR_MODE: 'development', DIDAR_REGISTRATION_WINDOW: ALWAYS_OPEN, DIDAR_DEMO_WAITING: '60' },
  });

  test('an administrator imports the list; a screening member seats 60 citizens and invites 30 trustees', async () => {
    const desk = await env.browser.newContext({ locale: 'fa-IR', timezoneId: 'Asia/Tehran' });
    const admin = await desk.newPage();
    const adminErrors = watchErrors(admin);
    await signIn(admin, env.server.url, { username: 'admin', password: env.server.accounts.admin, device: 'میز مدیر' });
    await admin.goto(`${env.server.url}/staff/admin/trustees`);
    await admin.getByTestId('trustees-form').waitFor();
    await admin.selectOption('#trustees-district', '6');
    // The demo's list of 40 is there already.
    await admin.locator('[data-testid="trustees"] tbody tr').nth(39).waitFor();

    // A bad list: a name without family name and a short mobile on line 2,
    // a mobile twice (line 4 repeats line 3).
    await admin.getByTestId('trustees-file').setInputFiles(
      csv(`${HEADER}رضا,0913,,\r\nلیلا صالحی,09133000001,,\r\nکاظم نوروزی,۰۹۱۳۳۰۰۰۰۰۱,,\r\n`),
    );
    await admin.getByTestId('trustees-import').click();
    await admin.getByTestId('trustees-refused').waitFor();
    const lines = await admin.getByTestId('trustees-problems').locator('li').evaluateAll((items) => items.map((li) => li.dataset.line));
    assert.deepEqual(lines, ['2', '2', '4']);

    await admin.getByTestId('trustees-file').setInputFiles(csv(list()));
    await admin.getByTestId('trustees-import').click();
    await admin.locator('[data-testid="trustees-report"]', { hasText: '۳۵ معتمد تازه' }).waitFor();
    await admin.locator('[data-testid="trustees"] tbody tr').nth(74).waitFor();
    assert.equal(await admin.locator('[data-testid="trustees"] tbody tr').count(), 75);
    // The list shows the mobile's last digits only.
    assert.equal(await admin.locator('[data-testid="trustees"]', { hasText: '۰۹۱۳۳۰۰' }).count(), 0);
    await screenshot(admin, 'trustees-admin');
    assert.deepEqual(await seriousA11yViolations(admin), []);
    assert.deepEqual(adminErrors.filter((e) => !/status of 422/.test(e)), []);
    await desk.close();

    // A screening member on a phone: next week's meeting has 30 trustees'
    // places; the first 30 of the list are invited, offline.
    const context = await phoneContext(env.browser);
    const phone = await context.newPage();
    const errors = watchErrors(phone);
    await signIn(phone, env.server.url, { username: 'screening6', password: env.server.accounts.screening6, device: 'کمیتهٔ تشخیص' });
    await phone.goto(`${env.server.url}/staff/screening`);
    await appReady(phone);
    await phone.getByTestId('screening-select-link').nth(1).click();
    // 60 routed requests wait; the first 60 of the list get places at
    // 11:00, sent as they are given.
    await phone.locator('[data-testid="selection-seats"][data-seated="0"][data-left="80"]').waitFor();
    await phone.getByTestId('selection-waiting-item').nth(59).waitFor();
    await phone.getByTestId('selection-fill').click();
    await phone.locator('#selection-slot').fill('11:00');
    await phone.locator('[data-testid="selection-submit"]', { hasText: '۶۰' }).click();
    await phone.locator('[data-testid="selection-seats"][data-seated="60"][data-left="20"]').waitFor();
    assert.equal(await phone.getByTestId('selection-waiting-item').count(), 0, 'nobody waits');
    assert.match(await phone.getByTestId('selection-seated-item').first().textContent(), /۱۱:۰۰/);
    await phone.locator('[data-testid="trustee-seats"][data-invited="0"][data-left="30"]').waitFor();
    await phone.getByTestId('trustee-item').nth(74).waitFor();
    await context.setOffline(true);
    await phone.getByTestId('trustees-fill').click();
    await phone.locator('[data-testid="trustees-invite"]', { hasText: '۳۰' }).waitFor();
    await phone.getByTestId('trustees-invite').click();
    await phone.locator('[data-testid="trustee-seats"][data-invited="30"][data-left="0"]').waitFor();
    assert.equal(await phone.locator('[data-testid="trustee-item"][data-invited="true"]').count(), 30);
    assert.ok(await phone.getByTestId('trustees-fill').isDisabled(), 'no places left');
    await screenshot(phone, 'trustees-invited');
    await context.setOffline(false);
    await waitUntilSent(phone);
    // One cannot come after all: the invitation is cancelled and the
    // place goes to the next of the list.
    const cancelled = phone.locator('[data-testid="trustee-item"][data-invited="true"]').first();
    const cancelledName = (await cancelled.locator('strong').textContent()).trim();
    await cancelled.getByTestId('trustee-uninvite').click();
    await phone.locator('[data-testid="trustee-seats"][data-invited="29"][data-left="1"]').waitFor();
    await phone
      .locator('[data-testid="trustee-item"][data-invited="false"]')
      .filter({ hasNotText: cancelledName })
      .first()
      .getByTestId('trustee-check')
      .check();
    await phone.getByTestId('trustees-invite').click();
    await phone.locator('[data-testid="trustee-seats"][data-invited="30"][data-left="0"]').waitFor();
    await waitUntilSent(phone);

    // Today's demo meeting has its 30 already: a 31st is refused in Persian.
    await phone.goto(`${env.server.url}/staff/screening`);
    await appReady(phone);
    await phone.getByTestId('screening-select-link').first().click();
    await phone.locator('[data-testid="trustee-seats"][data-invited="30"][data-left="0"]').waitFor();
    await phone.locator('[data-testid="trustee-item"][data-invited="false"]').first().getByTestId('trustee-check').check();
    await phone.getByTestId('trustees-invite').click();
    await phone.getByTestId('selection-error').filter({ hasText: 'سهمیهٔ معتمدین این دیدار پر شده است' }).waitFor();
    assert.deepEqual(errors.filter((e) => !e.includes('ERR_INTERNET_DISCONNECTED')), []);
    await context.close();

    // Each invited trustee and citizen was sent one SMS.
    const adminContext = await env.browser.newContext({ locale: 'fa-IR', timezoneId: 'Asia/Tehran' });
    const again = await adminContext.newPage();
    await signIn(again, env.server.url, { username: 'admin', password: env.server.accounts.admin, device: 'میز مدیر ۲' });
    await again.goto(`${env.server.url}/staff/admin/sms`);
    await appReady(again);
    await tableLoaded(again, 'sms');
    const invitations = again.locator('[data-testid="sms"] tbody tr', { hasText: 'معتمد گرامی' });
    for (let tries = 0; (await invitations.count()) < 31 && tries < 20; tries += 1) {
      await again.waitForTimeout(500);
      await again.reload();
      await appReady(again);
      await tableLoaded(again, 'sms');
    }
    // 30 invited, and the one whose invitation was cancelled (whom no
    // message tells of the cancellation).
    assert.equal(await invitations.count(), 31);
    assert.equal(await again.locator('[data-testid="sms"] tbody tr', { hasText: 'شهروند گرامی' }).count(), 60);
    await adminContext.close();
  });
});
