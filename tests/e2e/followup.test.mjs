// Follow-up in Chromium against the real server (issue 14), on the demo's
// last-month meeting: 12 citizens referred, four answered on time, two
// late, two postponed and four with nothing — six overdue. The district
// manager records a result offline; once it is sent the committee's
// overdue count drops, the citizen is told by SMS and reads the result,
// "not possible" and never "resolved", at /track.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  ALWAYS_OPEN,
  appReady,
  phoneContext,
  screenshot,
  seriousA11yViolations,
  signIn,
  syncNow,
  tableLoaded,
  waitUntilSent,
  watchErrors,
  withServerAndBrowser,
} from './harness.mjs';

const LATIN = (text) => text.replace(/[۰-۹]/g, (d) => String('۰۱۲۳۴۵۶۷۸۹'.indexOf(d)));

async function followUpScreen(page, url) {
  await page.goto(`${url}/staff/followup`);
  await appReady(page);
  await page.locator('[data-testid="followup-list"][aria-busy="false"]').waitFor();
}

/// The figure at the start of a summary line, in Latin digits.
async function figure(page, testid) {
  return Number(LATIN((await page.getByTestId(testid).textContent()).trim()).split(' ')[0]);
}

describe('follow-up', () => {
  const env = withServerAndBrowser({
    env: { DIDAR_MODE: 'development', DIDAR_REGISTRATION_WINDOW: ALWAYS_OPEN, DIDAR_DEMO_REFERRALS: '12' },
  });

  test('a district manager records a result offline; the committee sees it counted, and the citizen reads it', async () => {
    // The follow-up committee, at a desk.
    const desk = await env.browser.newContext({ locale: 'fa-IR', timezoneId: 'Asia/Tehran' });
    const committee = await desk.newPage();
    const committeeErrors = watchErrors(committee);
    await signIn(committee, env.server.url, { username: 'followup6', password: env.server.accounts.followup6, device: 'میز کمیتهٔ پیگیری' });
    await followUpScreen(committee, env.server.url);
    await committee.locator('[data-testid="followup-overdue"]', { hasText: '۶' }).waitFor();
    assert.equal(await figure(committee, 'followup-on-time'), 4);
    assert.equal(await figure(committee, 'followup-answered-late'), 2);
    // Open: the six overdue, plus none due later; each says how late.
    assert.equal(await committee.getByTestId('followup-item').count(), 6);
    assert.equal(await committee.locator('[data-testid="followup-item"][data-state="late"]').count(), 6);
    assert.match(await committee.getByTestId('followup-timeliness').first().textContent(), /روز گذشته از مهلت/);
    assert.equal(await committee.getByTestId('followup-postponed').count(), 2, 'the postponed say until when');
    // The committee watches; it does not report.
    assert.equal(await committee.getByTestId('followup-submit').count(), 0);
    await screenshot(committee, 'followup-committee');
    assert.deepEqual(await seriousA11yViolations(committee), []);

    // The district manager, on a phone, with the network gone.
    const phone = await phoneContext(env.browser);
    const manager = await phone.newPage();
    const managerErrors = watchErrors(manager);
    await signIn(manager, env.server.url, { username: 'manager6', password: env.server.accounts.manager6, device: 'گوشی مدیر منطقه' });
    await followUpScreen(manager, env.server.url);
    await manager.getByTestId('followup-item').nth(5).waitFor();
    await phone.setOffline(true);
    const item = manager.locator('[data-testid="followup-item"]:not(:has([data-testid="followup-reports"]))').first();
    const name = (await item.locator('h3').textContent()).trim();
    // "Not possible" without the reason the citizen would read: refused on the device.
    await item.getByTestId('followup-open').click();
    await item.locator('select[id^="followup-outcome-"]').selectOption('not_possible');
    await item.getByTestId('followup-submit').click();
    await item.getByTestId('followup-error').filter({ hasText: 'دلیل' }).waitFor();
    await item.locator('textarea[id^="followup-note-"]').fill('این معبر در طرح تعریض است و تا تصویب طرح کاری نمی‌توان کرد.');
    await item.getByTestId('followup-submit').click();
    // Shown at once on the device, waiting to be sent: it leaves the open list.
    await manager.locator('[data-testid="sync-pending"][data-count="1"]').waitFor();
    await manager.getByTestId('followup-item').nth(5).waitFor({ state: 'detached' });
    assert.equal(await manager.getByTestId('followup-item').count(), 5);
    await screenshot(manager, 'followup-manager-offline');
    await phone.setOffline(false);
    await syncNow(manager);
    await waitUntilSent(manager);

    // The committee's counts follow at its next sync.
    await syncNow(committee);
    await committee.locator('[data-testid="followup-overdue"]', { hasText: '۵' }).waitFor();
    assert.equal(await figure(committee, 'followup-answered-late'), 3, 'answered after the due day: late, not on time');
    await committee.getByRole('button', { name: 'نتیجه‌دار' }).click();
    const answered = committee.getByTestId('followup-item').filter({ hasText: name });
    await answered.locator('[data-testid="followup-report"][data-outcome="not_possible"]').waitFor();

    // The report to the mayor's office for that meeting (the earliest on
    // the committee's device), as it prints, and as CSV.
    await committee.getByTestId('followup-report-link').first().click();
    await committee.getByTestId('report-table').waitFor();
    assert.equal(await committee.getByTestId('report-row').count(), 12);
    assert.match(
      await committee.getByTestId('report-totals').textContent(),
      /^۱۲ ارجاع: ۴ پاسخ در مهلت، ۳ پاسخ پس از مهلت، ۵ گذشته از مهلت و بی‌نتیجه، ۰ هنوز در مهلت\.$/,
    );
    const row = committee.getByTestId('report-row').filter({ hasText: name });
    assert.match(await row.textContent(), /پاسخ: انجام‌شدنی نیست.*دیر.*طرح تعریض/);
    const csv = decodeURIComponent((await committee.getByTestId('report-csv').getAttribute('href')).split(',').slice(1).join(','));
    assert.equal(csv.trim().split('\n').length, 13, 'a header and 12 rows');
    assert.match(csv, new RegExp(`,${name},[۰-۹/]+,پاسخ: انجام‌شدنی نیست \\([۰-۹/]+\\),دیر,`));
    await committee.emulateMedia({ media: 'print' });
    await screenshot(committee, 'followup-report-print');
    await committee.emulateMedia({ media: 'screen' });

    // The citizen gets an SMS with the tracking code, and reads the result.
    const office = await env.browser.newContext({ locale: 'fa-IR', timezoneId: 'Asia/Tehran' });
    const admin = await office.newPage();
    await signIn(admin, env.server.url, { username: 'admin', password: env.server.accounts.admin, device: 'میز مدیر' });
    await admin.goto(`${env.server.url}/staff/admin/sms`);
    await tableLoaded(admin, 'sms');
    const sms = admin.locator('[data-testid="sms"] tbody tr', { hasText: 'دربارهٔ درخواست شما' });
    assert.equal(await sms.count(), 1, 'one message for one report');
    const text = await sms.textContent();
    assert.match(text, /انجام‌شدنی نیست/);
    const code = text.match(/کد رهگیری ([A-Z0-9]{3}-[A-Z0-9]{3}-[A-Z0-9]{3})/)[1];
    // The demo's mobiles: 0913 105 00nn; the log shows the last four digits.
    const last4 = LATIN(await sms.locator('td.ltr').textContent()).replace(/\D/g, '').slice(-4);
    const citizen = await phone.newPage();
    await citizen.goto(`${env.server.url}/track`);
    await appReady(citizen);
    await citizen.locator('#track-code').fill(code);
    await citizen.locator('#track-mobile').fill(`0913105${last4}`);
    await citizen.getByRole('button', { name: 'نمایش وضعیت' }).click();
    assert.equal((await citizen.getByTestId('lookup-status').textContent()).trim(), 'پاسخ داده شده');
    const referral = await citizen.getByTestId('lookup-referral').textContent();
    assert.match(referral, /\. پاسخ: انجام‌شدنی نیست \([^)]+\): این معبر در طرح تعریض است/);
    assert.doesNotMatch(await citizen.getByTestId('lookup-result').textContent(), /به نتیجه رسید/);
    await screenshot(citizen, 'followup-citizen');

    assert.deepEqual(committeeErrors, []);
    // Offline, the phone's attempts to reach the server fail as they should;
    // the refusal on the device is not a request.
    assert.deepEqual(managerErrors.filter((e) => !e.includes('ERR_INTERNET_DISCONNECTED')), []);
    await desk.close();
    await office.close();
    await phone.close();
  });
});
