// The screening committee in Chromium against the real server (issue 13):
// the executive committee reviews some of the demo requests; a screening
// member routes them to deputies — one while offline — and gives them
// places at the district's next meeting with a slot, within its quota;
// the meeting already full refuses another, on the device, in Persian,
// and nothing is queued.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import {
  ALWAYS_OPEN,
  ARTIFACTS,
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

const REVIEWED = ['مریم کاظمی', 'علی رضایی', 'فاطمه موسوی', 'زهرا نوری'];

function card(page, testId, name) {
  return page.getByTestId(testId).filter({ has: page.getByRole('heading', { name, exact: true }) });
}

async function pending(page) {
  return Number(await page.getByTestId('sync-pending').getAttribute('data-count'));
}

describe('the screening committee', () => {
  const env = withServerAndBrowser({ env: { DIDAR_MODE: 'development', DIDAR_REGISTRATION_WINDOW: ALWAYS_OPEN } });

  test('routes reviewed requests, one offline, and seats them at the next meeting within its quota', async () => {
    // The executive committee reviews four of the demo requests.
    const reviewContext = await phoneContext(env.browser);
    const review = await reviewContext.newPage();
    await signIn(review, env.server.url, { username: 'review6', password: env.server.accounts.review6, device: 'کمیتهٔ اجرایی' });
    await review.goto(`${env.server.url}/staff/review`);
    await appReady(review);
    // A member half-way through one request's review: the others' reviews
    // and their syncs leave it as it is.
    const hossein = card(review, 'review-item', 'حسین احمدی');
    await hossein.getByText('ثبت بررسی و پیوند پرونده').click();
    await hossein.getByTestId('review-case-files').fill('۶/۱۴۰۱/۷۷');
    for (const name of REVIEWED) {
      const request = card(review, 'review-item', name);
      await request.getByText('ثبت بررسی و پیوند پرونده').click();
      await request.getByTestId('review-submit').click();
      await request.getByTestId('review-submit').waitFor({ state: 'detached' });
    }
    await waitUntilSent(review);
    assert.equal(await hossein.getByTestId('review-case-files').inputValue(), '۶/۱۴۰۱/۷۷');
    assert.ok(await hossein.getByTestId('review-case-files').isVisible(), 'its form stays open');
    await reviewContext.close();

    const context = await phoneContext(env.browser);
    const desk = await context.newPage();
    const errors = watchErrors(desk);
    await signIn(desk, env.server.url, { username: 'screening6', password: env.server.accounts.screening6, device: 'رایانهٔ کمیتهٔ تشخیص' });
    await desk.goto(`${env.server.url}/staff/screening`);
    await appReady(desk);
    await desk.getByTestId('routing-item').nth(REVIEWED.length - 1).waitFor();
    assert.equal(await desk.getByTestId('routing-item').count(), REVIEWED.length, 'the reviewed requests wait for routing');

    // Maryam's request goes where she said (urban planning), with a summary.
    const maryam = card(desk, 'routing-item', 'مریم کاظمی');
    const maryamCode = await maryam.getAttribute('data-tracking-code');
    assert.equal(await maryam.getByLabel('معاونت').inputValue(), 'urban_planning', "the citizen's topic is the first guess");
    await maryam.getByLabel('خلاصه در یک خط برای میز شهردار').fill('پروانهٔ ساخت در کمیسیون ماده صد');
    await maryam.getByTestId('routing-submit').click();
    await maryam.waitFor({ state: 'detached' });
    // Ali asked services; the committee sends it to transport.
    const ali = card(desk, 'routing-item', 'علی رضایی');
    await ali.getByLabel('معاونت').selectOption('transport');
    await ali.getByTestId('routing-submit').click();
    await ali.waitFor({ state: 'detached' });
    // Offline, the next two are routed all the same.
    await waitUntilSent(desk);
    await context.setOffline(true);
    for (const name of ['فاطمه موسوی', 'زهرا نوری']) {
      const request = card(desk, 'routing-item', name);
      // The crossing without traffic lights near a school is urgent.
      if (name === 'فاطمه موسوی') await request.getByLabel('اولویت').selectOption('urgent');
      await request.getByTestId('routing-submit').click();
      await request.waitFor({ state: 'detached' });
    }
    assert.equal(await desk.getByTestId('routing-item').count(), 0);
    await desk.getByRole('button', { name: 'ارجاع‌شده، منتظر دیدار' }).click();
    await desk.getByTestId('routing-item').nth(REVIEWED.length - 1).waitFor();
    assert.match(await card(desk, 'routing-item', 'علی رضایی').getByTestId('routing-done').textContent(), /حمل و نقل|ترافیک/);
    assert.equal(await pending(desk), 2, 'the offline routings wait to be sent');
    await screenshot(desk, 'screening-routing');

    // The next meeting (a week after the demo day): 80 places, none given.
    await desk.getByTestId('screening-select-link').nth(1).click();
    const seats = desk.getByTestId('selection-seats');
    await seats.waitFor();
    assert.equal(await seats.getAttribute('data-left'), '80');
    await desk.getByTestId('selection-waiting-item').nth(REVIEWED.length - 1).waitFor();
    // The most pressing first.
    const first = desk.getByTestId('selection-waiting-item').first();
    assert.match(await first.textContent(), /فاطمه موسوی/);
    assert.equal(await first.getByTestId('selection-priority').textContent(), 'فوری');
    // One deputy's requests only.
    await desk.locator('#selection-deputy').selectOption('urban_planning');
    await desk.locator('[data-testid="selection-waiting-count"]', { hasText: '۱ درخواست' }).waitFor();
    await desk.locator('#selection-deputy').selectOption('');
    // Three chosen by hand (Zahra's waits for a later meeting), slot 10:30.
    for (const name of ['مریم کاظمی', 'علی رضایی', 'فاطمه موسوی']) {
      await desk.getByTestId('selection-waiting-item').filter({ hasText: name }).getByTestId('selection-check').check();
    }
    await desk.locator('#selection-slot').fill('10:30');
    await desk.getByTestId('selection-submit').click();
    await desk.locator('[data-testid="selection-seats"][data-seated="3"]').waitFor();
    assert.equal(await desk.getByTestId('selection-seated-item').count(), 3);
    assert.match(await desk.getByTestId('selection-seated-item').first().textContent(), /۱۰:۳۰/);
    assert.deepEqual(
      await desk.getByTestId('selection-waiting-item').allTextContents().then((items) => items.map((t) => t.includes('زهرا نوری'))),
      [true],
      'whoever is not chosen stays waiting',
    );
    assert.equal(await pending(desk), 5);
    await screenshot(desk, 'screening-selection');
    assert.deepEqual(await seriousA11yViolations(desk), []);

    // Back online: everything is sent and the server agrees.
    await context.setOffline(false);
    await syncNow(desk);
    await waitUntilSent(desk);
    await desk.reload();
    await appReady(desk);
    await desk.locator('[data-testid="selection-seats"][data-seated="3"][data-left="77"]').waitFor();

    // The meeting's agenda: per deputy's table, in slot order, printable
    // on A4 and downloadable as CSV.
    await desk.goto(`${env.server.url}/staff/screening`);
    await appReady(desk);
    await desk.getByTestId('screening-agenda-link').nth(1).click();
    await desk.getByTestId('agenda-count').filter({ hasText: '۳ شهروند در ۲ میز' }).waitFor();
    const tables = desk.getByTestId('agenda-table');
    const headings = await tables.locator('h2').allTextContents();
    assert.equal(headings.length, 2);
    assert.match(headings[0], /حمل/, 'tables in the city\'s order of deputies');
    assert.match(headings[1], /شهرسازی/);
    assert.match(await tables.filter({ hasText: 'مریم کاظمی' }).textContent(), /پروانهٔ ساخت در کمیسیون ماده صد/);
    assert.equal(await tables.filter({ hasText: 'علی رضایی' }).getByTestId('agenda-row').count(), 2, 'Ali and Fatemeh at the transport table');
    const csv = decodeURIComponent((await desk.getByTestId('agenda-csv').getAttribute('href')).split(',').slice(1).join(','));
    const lines = csv.replace(/^\uFEFF/, '').split('\r\n');
    assert.equal(lines[0], 'میز معاونت,ساعت,نام,کد رهگیری,خلاصه,پرونده‌ها,تماس ۱۳۷');
    assert.equal(lines.filter((line) => line.includes('۱۰:۳۰')).length, 3);
    assert.ok(lines.some((line) => line.includes('مریم کاظمی') && line.includes('پروانهٔ ساخت در کمیسیون ماده صد')));
    await desk.emulateMedia({ media: 'print' });
    assert.ok(await desk.getByTestId('agenda-print').isHidden(), 'the buttons stay off paper');
    assert.ok(await desk.locator('.topbar').isHidden());
    await screenshot(desk, 'screening-agenda-print');
    await desk.pdf({ path: join(ARTIFACTS, 'screening-agenda.pdf'), format: 'A4' });
    await desk.emulateMedia({ media: 'screen' });

    // Maryam (the first demo request: mobile 0913 100 0000) reads on her
    // phone where and when she is expected.
    const phone = await context.newPage();
    await phone.goto(`${env.server.url}/track`);
    await appReady(phone);
    await phone.locator('#track-code').fill(maryamCode);
    await phone.locator('#track-mobile').fill('09131000000');
    await phone.getByRole('button', { name: 'نمایش وضعیت' }).click();
    assert.equal((await phone.getByTestId('lookup-status').textContent()).trim(), 'دعوت شده');
    assert.match(await phone.getByTestId('lookup-invitation').textContent(), /^دیدار شما: .+ساعت ۱۰:۳۰، فرهنگسرای منطقهٔ ۶\.$/);
    await screenshot(phone, 'screening-track-invited');
    await phone.close();

    // Today's demo meeting is full: another selection is refused on the
    // device, said in Persian, and nothing is queued.
    await desk.goto(`${env.server.url}/staff/screening`);
    await appReady(desk);
    await desk.getByTestId('screening-select-link').first().click();
    await desk.locator('[data-testid="selection-seats"][data-left="0"]').waitFor();
    assert.ok(await desk.getByTestId('selection-fill').isDisabled(), 'no places left to fill');
    await desk.getByTestId('selection-waiting-item').filter({ hasText: 'زهرا نوری' }).getByTestId('selection-check').check();
    await desk.getByTestId('selection-submit').click();
    await desk.getByTestId('selection-error').filter({ hasText: 'سهمیهٔ شهروندان این دیدار پر شده است' }).waitFor();
    assert.equal(await pending(desk), 0);
    // The committee makes room: one of today's citizens goes to next
    // week's meeting (the place here is freed), and Zahra takes it.
    const moved = desk.getByTestId('selection-seated-item').first();
    await moved.getByTestId('selection-move').locator('summary').click();
    await moved.locator('select').selectOption({ index: 1 });
    await moved.getByTestId('selection-move-submit').click();
    await desk.locator('[data-testid="selection-seats"][data-left="1"]').waitFor();
    await waitUntilSent(desk);
    await desk.getByTestId('selection-waiting-item').filter({ hasText: 'زهرا نوری' }).getByTestId('selection-check').check();
    await desk.getByTestId('selection-submit').click();
    await desk.locator('[data-testid="selection-seats"][data-left="0"]').waitFor();
    assert.equal(await desk.getByTestId('selection-waiting-item').count(), 0, 'nobody waits');
    await waitUntilSent(desk);
    await desk.goto(`${env.server.url}/staff/screening`);
    await appReady(desk);
    await desk.getByTestId('screening-select-link').nth(1).click();
    await desk.locator('[data-testid="selection-seats"][data-seated="4"][data-left="76"]').waitFor();
    assert.deepEqual(errors.filter((e) => !e.includes('ERR_INTERNET_DISCONNECTED')), []);
    await context.close();

    // Each citizen given a place was sent one SMS invitation, which the
    // administrator reads (the log gateway sends nothing out).
    const adminContext = await phoneContext(env.browser, { viewport: { width: 1024, height: 800 }, isMobile: false, hasTouch: false });
    const admin = await adminContext.newPage();
    await signIn(admin, env.server.url, { username: 'admin', password: env.server.accounts.admin, device: 'میز مدیر' });
    await admin.goto(`${env.server.url}/staff/admin/sms`);
    await appReady(admin);
    await tableLoaded(admin, 'sms');
    const sent = admin.locator('[data-testid="sms"] tbody tr[data-state="sent"]');
    for (let tries = 0; (await sent.count()) < 5 && tries < 20; tries += 1) {
      await admin.waitForTimeout(500);
      await admin.reload();
      await appReady(admin);
      await tableLoaded(admin, 'sms');
    }
    // Maryam, Ali and Fatemeh; the citizen moved to next week; Zahra.
    assert.equal(await admin.locator('[data-testid="sms"] tbody tr[data-state]').count(), 5, 'one message per citizen and meeting');
    assert.equal(await sent.count(), 5);
    const shownCode = maryamCode.match(/.{3}/g).join('-');
    const maryamSms = await admin.locator('[data-testid="sms"] tbody tr', { hasText: shownCode }).textContent();
    assert.match(maryamSms, /ساعت ۱۰:۳۰، فرهنگسرای منطقهٔ ۶\. کد رهگیری/);
    assert.match(maryamSms, /۰۹۱۳ \*\*\* ۰۰۰۰/);
    await screenshot(admin, 'admin-sms');
    await adminContext.close();
  });
});
