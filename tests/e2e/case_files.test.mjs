// The district's case files in Chromium against the real server (issue
// 13): an administrator imports a spreadsheet — a bad one first, which
// imports nothing and lists every bad line in Persian, then a good one
// (BOM, Persian digits), then the same again, which adds nothing; a
// review member sees the district's files suggested beside each request
// (by the owner's national ID, the number the citizen wrote, the owner's
// name folded for search) and links one with a tap, offline.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  ALWAYS_OPEN,
  appReady,
  phoneContext,
  screenshot,
  seriousA11yViolations,
  signIn,
  waitUntilSent,
  watchErrors,
  withServerAndBrowser,
} from './harness.mjs';

const HEADER = 'شماره پرونده,موضوع,نشانی,نام مالک,کد ملی مالک,وضعیت,آخرین اقدام\r\n';

function csv(text) {
  return { name: 'parvandeh.csv', mimeType: 'text/csv', buffer: Buffer.from(text, 'utf8') };
}

function card(page, name) {
  return page.getByTestId('review-item').filter({ has: page.getByRole('heading', { name, exact: true }) });
}

describe('case files', () => {
  const env = withServerAndBrowser({ env: { DIDAR_MODE: 'development', DIDAR_REGISTRATION_WINDOW: ALWAYS_OPEN } });

  test('an administrator imports them and a review member links a suggested one', async () => {
    const desk = await env.browser.newContext({ locale: 'fa-IR', timezoneId: 'Asia/Tehran' });
    const admin = await desk.newPage();
    const adminErrors = watchErrors(admin);
    await signIn(admin, env.server.url, { username: 'admin', password: env.server.accounts.admin, device: 'میز مدیر' });
    await admin.goto(`${env.server.url}/staff/admin/case-files`);
    await admin.getByTestId('case-files-form').waitFor();
    await admin.selectOption('#case-files-district', '6');

    // A bad file: a wrong number on line 3, a missing subject and a bad
    // national ID on line 4. Nothing is imported; every line is named.
    await admin.getByTestId('case-files-file').setInputFiles(
      csv(`${HEADER}6/1404/3,نشت آب,,حسين احمدي,,,\r\n!!,موضوع,,علی,,,\r\n6/1404/4,,,علی,0084575941,,\r\n`),
    );
    await admin.getByTestId('case-files-import').click();
    const refused = admin.getByTestId('case-files-refused');
    await refused.waitFor();
    assert.match(await refused.textContent(), /هیچ سطری وارد نشد/);
    const lines = await admin.getByTestId('case-files-problems').locator('li').evaluateAll((items) => items.map((li) => li.dataset.line));
    assert.deepEqual(lines, ['3', '4', '4']);
    assert.match(await refused.textContent(), /سطر ۴، ستون «موضوع»/);
    await screenshot(admin, 'case-files-refused');

    // The good file, as a district's spreadsheet saves it: a BOM, Persian
    // digits, Arabic letter forms in a name.
    const good = csv(`\uFEFF${HEADER}۶/۱۴۰۴/۳,نشت آب از شبکهٔ فاضلاب,کوچهٔ نسترن,حسين احمدي,,در جریان,۱۴۰۴/۰۸/۰۱\r\n6/1404/4,تعریض معبر,,شهروند دیگر,,,\r\n`);
    await admin.getByTestId('case-files-file').setInputFiles(good);
    await admin.getByTestId('case-files-import').click();
    await admin.locator('[data-testid="case-files-report"]', { hasText: '۲ پروندهٔ تازه' }).waitFor();
    // The same file again adds nothing.
    await admin.getByTestId('case-files-file').setInputFiles(good);
    await admin.getByTestId('case-files-import').click();
    await admin.locator('[data-testid="case-files-report"]', { hasText: '۰ پروندهٔ تازه، ۰ به‌روزشده، ۲ بی‌تغییر' }).waitFor();
    assert.deepEqual(await seriousA11yViolations(admin), []);
    // The browser logs the refusal of the bad file; nothing else.
    assert.deepEqual(adminErrors.filter((e) => !/status of 422/.test(e)), []);
    assert.equal(adminErrors.length, 1);
    await desk.close();

    // A review member on a phone.
    const context = await phoneContext(env.browser);
    const review = await context.newPage();
    const errors = watchErrors(review);
    await signIn(review, env.server.url, { username: 'review6', password: env.server.accounts.review6, device: 'کمیتهٔ اجرایی' });
    await review.goto(`${env.server.url}/staff/review`);
    await appReady(review);

    // The queue: the six new demo requests; five have a case file known
    // (Reza's has none).
    await review.locator('[data-testid="review-count"][data-count="6"]').waitFor();
    await review.getByTestId('review-with-case-file').check();
    await review.locator('[data-testid="review-count"][data-count="5"]').waitFor();
    assert.equal(await card(review, 'رضا قاسمی').count(), 0);
    await review.getByTestId('review-with-case-file').uncheck();
    await review.locator('#review-topic').selectOption('transport');
    await review.locator('[data-testid="review-count"][data-count="1"]').waitFor();
    await card(review, 'فاطمه موسوی').waitFor();
    await review.locator('#review-topic').selectOption('');
    await review.locator('[data-testid="review-count"][data-count="6"]').waitFor();

    // Maryam owns a seeded file (the server matched her national ID);
    // Fatemeh wrote her file's number without the district.
    const maryam = card(review, 'مریم کاظمی');
    await maryam.getByTestId('review-suggestion-count').waitFor();
    await maryam.getByText('ثبت بررسی و پیوند پرونده').click();
    const owned = maryam.getByTestId('review-suggestion');
    await owned.first().waitFor();
    assert.equal(await owned.count(), 1);
    assert.equal(await owned.getAttribute('data-number'), '6/1402/12');
    assert.match(await owned.textContent(), /مالک همان کد ملی را دارد/);
    const fatemeh = card(review, 'فاطمه موسوی');
    await fatemeh.getByText('ثبت بررسی و پیوند پرونده').click();
    assert.equal(await fatemeh.getByTestId('review-suggestion').first().getAttribute('data-number'), '6/1400/310');
    assert.match(await fatemeh.getByTestId('review-suggestion').first().textContent(), /همان شماره‌ای که شهروند نوشته/);

    // Hossein's request meets the imported file by his name, written with
    // Arabic letters in the spreadsheet. Linked with a tap, offline.
    const hossein = card(review, 'حسین احمدی');
    await hossein.getByText('ثبت بررسی و پیوند پرونده').click();
    const suggestion = hossein.locator('[data-testid="review-suggestion"][data-number="6/1404/3"]');
    await suggestion.waitFor();
    assert.match(await suggestion.textContent(), /نام مالک با نام شهروند یکی است/);
    await screenshot(review, 'case-files-suggestions');
    await context.setOffline(true);
    await suggestion.locator('input[type="checkbox"]').check();
    await hossein.getByTestId('review-submit').click();
    await hossein.waitFor({ state: 'detached' });
    await context.setOffline(false);
    await waitUntilSent(review);

    await review.getByRole('button', { name: 'بررسی‌شده' }).click();
    const linked = card(review, 'حسین احمدی').getByTestId('review-links');
    assert.match(await linked.textContent(), /6\/1404\/3/);
    assert.deepEqual(await seriousA11yViolations(review), []);
    // Requests the browser tried while offline are logged; nothing else.
    assert.deepEqual(errors.filter((e) => !e.includes('ERR_INTERNET_DISCONNECTED')), []);
    await context.close();
  });
});
