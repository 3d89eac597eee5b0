// Staff accounts in Chromium against the real server: an administrator
// creates a field-staff account for district 6; its owner signs in on
// another device, works offline, outlives the session, signs in again, and
// nothing waiting on the device is lost.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  ALWAYS_OPEN,
  appReady,
  phoneContext,
  screenshot,
  seriousA11yViolations,
  serviceWorkerReady,
  signIn,
  watchErrors,
  withServerAndBrowser,
} from './harness.mjs';

// Long enough for each step of the test, short enough to wait out.
const IDLE_SECONDS = 20;

describe('staff accounts', () => {
  const env = withServerAndBrowser({
      env: {
        DIDAR_MODE: 'development',
        DIDAR_REGISTRATION_WINDOW: ALWAYS_OPEN,
        DIDAR_SESSION_IDLE_MINUTES: String(IDLE_SECONDS / 60),
      },
    });

  test('an administrator creates a district-6 field account; it works offline, survives an expired session, and loses nothing', async () => {
    assert.ok(env.server.accounts.admin, 'the demo administrator was printed');

    // The administrator, on a desk computer.
    const desk = await phoneContext(env.browser, { viewport: { width: 1024, height: 800 }, isMobile: false, hasTouch: false });
    const admin = await desk.newPage();
    const adminErrors = watchErrors(admin);
    await signIn(admin, env.server.url, { username: 'admin', password: env.server.accounts.admin, device: 'میز مدیر' });
    // Signed in on a field device's bundle; administration is the whole
    // app's: its card loads that bundle.
    assert.equal(await admin.evaluate(() => document.documentElement.dataset.bundle), 'field');
    await admin.getByRole('link', { name: 'مدیریت سامانه' }).click();
    await admin.getByTestId('new-user-form').waitFor();
    assert.equal(await admin.evaluate(() => document.documentElement.dataset.bundle), 'staff');
    await admin.locator('#user-username').fill('door2');
    await admin.locator('#user-display_name').fill('مریم رضایی');
    await admin.locator('#user-password').fill('1234');
    // Nothing is chosen for the administrator: the role is asked for.
    await admin.getByRole('button', { name: 'ساخت حساب' }).click();
    await admin.getByText('نقش این کاربر را انتخاب کنید.').waitFor();
    await admin.selectOption('#user-role', 'field_staff');
    await admin.getByRole('button', { name: 'ساخت حساب' }).click();
    await admin.getByText('منطقهٔ این کاربر را انتخاب کنید.').waitFor();
    // The districts offered are the server's.
    assert.equal(await admin.locator('#user-district option[value]:not([value=""])').count(), 15);
    await admin.selectOption('#user-district', '6');
    await admin.getByRole('button', { name: 'ساخت حساب' }).click();
    await admin.getByText('گذرواژه باید دست‌کم ۱۲ نویسه باشد', { exact: false }).waitFor();
    await admin.locator('#user-password').fill('a long enough pass phrase');
    await admin.getByRole('button', { name: 'ساخت حساب' }).click();
    await admin.getByTestId('user-created').filter({ hasText: 'door2' }).waitFor();
    await admin.getByTestId('users').getByText('door2', { exact: true }).waitFor();
    // A meeting for district 6, in the meetings section: the Gregorian
    // picker, confirmed in Jalali.
    await admin.getByRole('link', { name: 'دیدارها' }).click();
    await admin.waitForURL(`${env.server.url}/staff/admin/meetings`);
    await admin.selectOption('#meeting-district', '6');
    await admin.locator('#meeting-date').fill('2026-12-01');
    await admin.locator('#meeting-time').fill('10:00');
    await admin.locator('#meeting-venue').fill('سالن اجتماعات منطقهٔ ۶');
    assert.match(await admin.locator('#meeting-date-hint').textContent(), /۱۰ آذر ۱۴۰۵، ساعت ۱۰:۰۰/);
    await admin.getByRole('button', { name: 'افزودن دیدار' }).click();
    await admin.getByTestId('meetings').getByText('سالن اجتماعات منطقهٔ ۶').waitFor();
    assert.deepEqual(await seriousA11yViolations(admin), []);
    await screenshot(admin, 'staff-admin-created-user');
    // Chrome logs every refused request; the one 422 is the short password
    // the server was meant to refuse.
    assert.deepEqual(adminErrors.filter((e) => !e.includes('status of 422')), []);

    // Its owner, on a phone at door 2.
    const phone = await phoneContext(env.browser);
    const page = await phone.newPage();
    await signIn(page, env.server.url, { username: 'door2', password: 'a long enough pass phrase', device: 'درِ ۲، منطقهٔ ۶' });
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
    await page.goto(`${env.server.url}/register`);
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
    await page.goto(`${env.server.url}/staff`);
    await appReady(page);
    await page.getByRole('link', { name: 'ابتدا وارد شوید.' }).waitFor();
    await signIn(page, env.server.url, { username: 'door2', password: 'a long enough pass phrase' });
    assert.equal(await page.getByTestId('staff-home').textContent(), 'مریم رضایی');

    // The device was registered once, under its name. (The administrator's
    // session went idle too, in this test's short timeout.)
    await signIn(admin, env.server.url, { username: 'admin', password: env.server.accounts.admin });
    await admin.goto(`${env.server.url}/staff/admin/devices`);
    await admin.getByTestId('devices').getByText('درِ ۲، منطقهٔ ۶').waitFor();
    assert.equal(await admin.getByTestId('devices').getByText('درِ ۲، منطقهٔ ۶').count(), 1);
    await desk.close();
    await phone.close();
  });

  test('an administrator resets a password, reschedules a meeting, reads the audit log by name, and a revoked device clears itself', async () => {
    const desk = await phoneContext(env.browser, { viewport: { width: 1024, height: 800 }, isMobile: false, hasTouch: false });
    const admin = await desk.newPage();
    await signIn(admin, env.server.url, { username: 'admin', password: env.server.accounts.admin, device: 'میز مدیر ۲' });
    // An address under an area that names no section is not found.
    await admin.goto(`${env.server.url}/staff/admin/no-such-section`);
    await admin.getByRole('heading', { name: 'این صفحه پیدا نشد' }).waitFor();
    await admin.goto(`${env.server.url}/staff/admin`);
    await admin.getByTestId('new-user-form').waitFor();
    await admin.locator('#user-username').fill('door3');
    await admin.locator('#user-display_name').fill('علی نادری');
    await admin.locator('#user-password').fill('first pass phrase here');
    await admin.selectOption('#user-role', 'field_staff');
    await admin.selectOption('#user-district', '6');
    await admin.getByRole('button', { name: 'ساخت حساب' }).click();
    const row = admin.locator('[data-testid="user-row"][data-username="door3"]');
    await row.waitFor();

    // Nobody disables their own account.
    const own = admin.locator('[data-testid="user-row"][data-username="admin"]');
    await own.getByText('حساب شما').waitFor();
    assert.equal(await own.getByRole('button', { name: 'غیرفعال کردن' }).count(), 0);

    // A forgotten password: a short one is refused in Persian, a good one set.
    await row.locator('summary').click();
    await row.locator('input[type=password]').fill('short');
    await row.getByRole('button', { name: 'ثبت گذرواژه' }).click();
    await row.getByText('گذرواژه باید دست‌کم ۱۲ نویسه باشد', { exact: false }).waitFor();
    await row.locator('input[type=password]').fill('second pass phrase here');
    await row.getByRole('button', { name: 'ثبت گذرواژه' }).click();
    await row.getByText('گذرواژهٔ تازه ثبت شد').waitFor();

    const phone = await phoneContext(env.browser);
    const page = await phone.newPage();
    await signIn(page, env.server.url, { username: 'door3', password: 'second pass phrase here', device: 'درِ ۳، منطقهٔ ۶' });
    assert.equal(await page.getByTestId('staff-home').textContent(), 'علی نادری');

    // A meeting moves to another hall.
    await admin.getByRole('link', { name: 'دیدارها' }).click();
    await admin.selectOption('#meeting-district', '6');
    await admin.locator('#meeting-date').fill('2026-12-08');
    await admin.locator('#meeting-time').fill('09:30');
    await admin.locator('#meeting-venue').fill('سالن شهید');
    await admin.getByRole('button', { name: 'افزودن دیدار' }).click();
    const meeting = admin.getByTestId('meetings').locator('tr').filter({ hasText: 'سالن شهید' });
    await meeting.waitFor();
    await meeting.getByTestId('meeting-edit').click();
    assert.equal(await admin.locator('#meeting-venue').inputValue(), 'سالن شهید');
    assert.equal(await admin.locator('#meeting-time').inputValue(), '09:30');
    assert.ok(await admin.locator('#meeting-district').isDisabled(), 'the district stays');
    await admin.locator('#meeting-venue').fill('فرهنگسرای خورشید');
    await admin.getByRole('button', { name: 'ثبت تغییرات' }).click();
    await admin.getByTestId('meeting-outcome').filter({ hasText: 'تغییرات دیدار ثبت شد' }).waitFor();
    await admin.getByTestId('meetings').getByText('فرهنگسرای خورشید').waitFor();
    assert.equal(await admin.getByTestId('meetings').getByText('سالن شهید').count(), 0);

    // The audit log names people and devices; back and forward move
    // between the sections.
    // The first load of the log fails (the server is down a moment): the
    // table says so in Persian and offers to try again.
    let failOnce = true;
    await admin.route('**/api/admin/audit?*', (route) => {
      if (!failOnce) return route.continue();
      failOnce = false;
      return route.fulfill({ status: 503, body: 'down' });
    });
    await admin.getByRole('link', { name: 'گزارش رویدادها' }).click();
    await admin.waitForURL(`${env.server.url}/staff/admin/audit`);
    await admin.getByTestId('table-error').getByText('فهرست دریافت نشد', { exact: false }).waitFor();
    await screenshot(admin, 'staff-admin-list-failed');
    await admin.getByTestId('table-retry').click();
    await admin.getByTestId('audit').locator('tbody tr').filter({ hasText: 'sign_in' }).first().waitFor();
    assert.equal(await admin.getByTestId('table-error').count(), 0);
    await admin.unroute('**/api/admin/audit?*');
    await admin.goBack();
    await admin.getByTestId('meetings').getByText('فرهنگسرای خورشید').waitFor();
    assert.equal(
      await admin.getByRole('link', { name: 'دیدارها' }).getAttribute('aria-current'),
      'page',
    );
    await admin.goForward();
    await admin.locator('#audit-user').fill('door3');
    await admin.locator('#audit-user').press('Tab');
    await admin.getByTestId('audit').getByText('درِ ۳، منطقهٔ ۶').first().waitFor();
    assert.ok(await admin.getByTestId('audit').getByText('door3').count() >= 1);
    assert.deepEqual(await seriousA11yViolations(admin), []);
    await screenshot(admin, 'staff-admin-reset-reschedule-audit');

    // The device is revoked; at its next sync it is told, and clears itself.
    await admin.getByRole('link', { name: 'دستگاه‌ها' }).click();
    await admin.getByTestId('devices').getByText('درِ ۳، منطقهٔ ۶').waitFor();
    const deviceRow = admin.getByTestId('devices').locator('tr').filter({ hasText: 'درِ ۳، منطقهٔ ۶' });
    await deviceRow.getByRole('button', { name: 'لغو دسترسی' }).click();
    // Revoking says what it does and asks what happens to the user.
    await deviceRow.getByText('کاربر آن هنوز می‌تواند با دستگاه دیگری وارد شود').waitFor();
    await screenshot(admin, 'staff-admin-revoke-choice');
    await deviceRow.getByRole('button', { name: 'خروج کاربر از همهٔ دستگاه‌ها' }).click();
    await admin.getByTestId('devices').locator('tr').filter({ hasText: 'درِ ۳، منطقهٔ ۶' }).getByText('لغو شده').waitFor();
    await page.getByTestId('sync-now').click();
    await page.locator('[data-testid="sync-phase"][data-phase="device_revoked"]').waitFor();
    await screenshot(page, 'staff-device-revoked');
    page.once('dialog', (dialog) => dialog.accept());
    await page.getByTestId('sync-panel').getByTestId('clear-device').click();
    await page.waitForURL(`${env.server.url}/`);
    await appReady(page);
    const left = await page.evaluate(
      () =>
        new Promise((resolve) => {
          const open = indexedDB.open('didar');
          open.onsuccess = () => {
            const names = ['outbox', 'records', 'rejected', 'requests'];
            const tx = open.result.transaction(names);
            Promise.all(names.map((name) => new Promise((done) => {
              const count = tx.objectStore(name).count();
              count.onsuccess = () => done(count.result);
            }))).then((counts) => resolve({ counts, profile: localStorage.getItem('didar.profile') }));
          };
        }),
    );
    assert.deepEqual(left, { counts: [0, 0, 0, 0], profile: null });
    await desk.close();
    await phone.close();
  });
});
