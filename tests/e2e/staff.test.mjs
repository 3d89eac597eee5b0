// Staff accounts in Chromium against the real server: an administrator
// creates a field-staff account for district 6; its owner signs in on
// another device, works offline, outlives the session, signs in again, and
// nothing waiting on the device is lost.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  ALWAYS_OPEN,
  appReady,
  launchBrowser,
  phoneContext,
  screenshot,
  seriousA11yViolations,
  serviceWorkerReady,
  startServer,
  watchErrors,
} from './harness.mjs';

// Long enough for each step of the test, short enough to wait out.
const IDLE_SECONDS = 20;

async function signIn(page, url, { username, password, device }) {
  await page.goto(`${url}/staff/sign-in`);
  await appReady(page);
  await page.locator('#sign-in-username').fill(username);
  await page.locator('#sign-in-password').fill(password);
  if (device) await page.locator('#sign-in-device').fill(device);
  await page.getByRole('button', { name: 'ورود', exact: true }).click();
  await page.getByTestId('staff-home').waitFor();
}

describe('staff accounts', () => {
  let server;
  let browser;

  before(async () => {
    server = await startServer({
      env: {
        DIDAR_MODE: 'development',
        DIDAR_REGISTRATION_WINDOW: ALWAYS_OPEN,
        DIDAR_SESSION_IDLE_MINUTES: String(IDLE_SECONDS / 60),
      },
    });
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  test('an administrator creates a district-6 field account; it works offline, survives an expired session, and loses nothing', async () => {
    assert.ok(server.accounts.admin, 'the demo administrator was printed');

    // The administrator, on a desk computer.
    const desk = await phoneContext(browser, { viewport: { width: 1024, height: 800 }, isMobile: false, hasTouch: false });
    const admin = await desk.newPage();
    const adminErrors = watchErrors(admin);
    await signIn(admin, server.url, { username: 'admin', password: server.accounts.admin, device: 'میز مدیر' });
    await admin.goto(`${server.url}/staff/admin`);
    await admin.getByTestId('new-user-form').waitFor();
    await admin.locator('#user-username').fill('door2');
    await admin.locator('#user-display_name').fill('مریم رضایی');
    await admin.locator('#user-password').fill('1234');
    await admin.getByRole('button', { name: 'ساخت حساب' }).click();
    await admin.getByText('گذرواژه باید دست‌کم ۱۲ نویسه باشد', { exact: false }).waitFor();
    await admin.locator('#user-password').fill('a long enough pass phrase');
    await admin.selectOption('#user-role', 'field_staff');
    await admin.selectOption('#user-district', '6');
    await admin.getByRole('button', { name: 'ساخت حساب' }).click();
    await admin.getByTestId('user-created').filter({ hasText: 'door2' }).waitFor();
    await admin.getByTestId('users').getByText('door2').waitFor();
    // A meeting for district 6: the Gregorian picker, confirmed in Jalali.
    await admin.selectOption('#meeting-district', '6');
    await admin.locator('#meeting-date').fill('2026-12-01');
    await admin.locator('#meeting-time').fill('10:00');
    await admin.locator('#meeting-venue').fill('سالن اجتماعات منطقهٔ ۶');
    assert.match(await admin.locator('#meeting-date-jalali').textContent(), /۱۰ آذر ۱۴۰۵، ساعت ۱۰:۰۰/);
    await admin.getByRole('button', { name: 'افزودن دیدار' }).click();
    await admin.getByTestId('meetings').getByText('سالن اجتماعات منطقهٔ ۶').waitFor();
    assert.deepEqual(await seriousA11yViolations(admin), []);
    await screenshot(admin, 'staff-admin-created-user');
    // Chrome logs every refused request; the one 422 is the short password
    // the server was meant to refuse.
    assert.deepEqual(adminErrors.filter((e) => !e.includes('status of 422')), []);

    // Its owner, on a phone at door 2.
    const phone = await phoneContext(browser);
    const page = await phone.newPage();
    await signIn(page, server.url, { username: 'door2', password: 'a long enough pass phrase', device: 'درِ ۲، منطقهٔ ۶' });
    assert.equal(await page.getByTestId('staff-home').textContent(), 'مریم رضایی');
    assert.match(await page.getByTestId('grants').textContent(), /کارشناس پذیرش، منطقهٔ ۶/);
    assert.equal(await page.getByRole('link', { name: 'پذیرش روز دیدار' }).count(), 1);
    assert.equal(await page.getByRole('link', { name: 'مدیریت سامانه' }).count(), 0, 'no administration for field staff');
    assert.deepEqual(await seriousA11yViolations(page), []);
    await serviceWorkerReady(page);

    // Offline: the home is still there, from the kept profile.
    await phone.setOffline(true);
    await page.reload();
    await appReady(page);
    await page.getByTestId('staff-home').waitFor();
    await page.getByTestId('offline-banner').waitFor();
    await screenshot(page, 'staff-home-offline');

    // Work waits on the device: a walk-in citizen's request, made offline.
    await page.goto(`${server.url}/register`);
    await page.getByTestId('registration-form').waitFor();
    await page.locator('#reg-full_name').fill('حسین کریمی');
    await page.locator('#reg-national_id').fill('0084575948');
    await page.locator('#reg-mobile').fill('09131234567');
    await page.selectOption('#reg-district', '6');
    await page.selectOption('#reg-topic', 'not_sure');
    await page.locator('#reg-description').fill('درخواست رسیدگی به وضعیت آسفالت کوچهٔ محل سکونت.');
    await page.locator('#reg-consent').check();
    await page.getByRole('button', { name: 'ارسال درخواست' }).click();
    const code = await page.getByTestId('receipt').getByTestId('tracking-code').textContent();

    // The session goes idle past its timeout while the phone is offline.
    await page.waitForTimeout((IDLE_SECONDS + 2) * 1000);

    // Back online: the request is sent by itself, whatever the session.
    await phone.setOffline(false);
    await page.getByTestId('my-request').filter({ hasText: code }).getByTestId('request-state')
      .filter({ hasText: 'ثبت شده' }).waitFor({ timeout: 30_000 });

    // The ended session is noticed, and signing in again works.
    await page.goto(`${server.url}/staff`);
    await appReady(page);
    await page.getByRole('link', { name: 'ابتدا وارد شوید.' }).waitFor();
    await signIn(page, server.url, { username: 'door2', password: 'a long enough pass phrase' });
    assert.equal(await page.getByTestId('staff-home').textContent(), 'مریم رضایی');

    // The device was registered once, under its name. (The administrator's
    // session went idle too, in this test's short timeout.)
    await signIn(admin, server.url, { username: 'admin', password: server.accounts.admin });
    await admin.goto(`${server.url}/staff/admin`);
    await admin.getByTestId('devices').getByText('درِ ۲، منطقهٔ ۶').waitFor();
    assert.equal(await admin.getByTestId('devices').getByText('درِ ۲، منطقهٔ ۶').count(), 1);
    await desk.close();
    await phone.close();
  });
});
