// The 137 call centre in Chromium against the real server (issue 13):
// two operators work the demo meeting's call list on their phones. One
// claims a citizen and is given the number to dial; the other sees who is
// calling and cannot call the same person; outcomes are recorded with one
// tap — one of them offline, sent when the network returns — and the
// citizen's own lookup reads "confirmed" with the day and place.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  appReady,
  phoneContext,
  screenshot,
  seriousA11yViolations,
  signIn,
  syncNow,
  waitUntilSent,
  watchErrors,
  withServerAndBrowser,
} from './harness.mjs';

/// An administrator makes a second call-centre account for district 6.
async function secondOperator(browser, env) {
  const desk = await phoneContext(browser, { viewport: { width: 1024, height: 800 }, isMobile: false, hasTouch: false });
  const admin = await desk.newPage();
  await signIn(admin, env.server.url, { username: 'admin', password: env.server.accounts.admin, device: 'میز مدیر' });
  await admin.goto(`${env.server.url}/staff/admin`);
  await admin.getByTestId('new-user-form').waitFor();
  await admin.locator('#user-username').fill('calls6b');
  await admin.locator('#user-display_name').fill('نرگس امینی');
  await admin.locator('#user-password').fill('a long enough pass phrase');
  await admin.selectOption('#user-role', 'call_center');
  await admin.selectOption('#user-district', '6');
  await admin.getByRole('button', { name: 'ساخت حساب' }).click();
  await admin.getByTestId('user-created').filter({ hasText: 'calls6b' }).waitFor();
  await desk.close();
  return 'a long enough pass phrase';
}

/// Opens today's demo meeting's call list (the first meeting listed).
async function callList(page, url) {
  await page.goto(`${url}/staff/calls`);
  await appReady(page);
  await syncNow(page);
  await page.getByTestId('calls-list-link').first().click();
  await page.getByTestId('call-item').nth(99).waitFor();
}

function item(page, attendee) {
  return page.locator(`[data-testid="call-item"][data-attendee="${attendee}"]`);
}

describe('the 137 call centre', () => {
  const env = withServerAndBrowser({ env: { DIDAR_MODE: 'development' } });

  test('two operators call the demo meeting’s citizens, never the same one at once, one outcome offline', async () => {
    const password = await secondOperator(env.browser, env);

    const aContext = await phoneContext(env.browser);
    const a = await aContext.newPage();
    const errors = watchErrors(a);
    await signIn(a, env.server.url, { username: 'calls6', password: env.server.accounts.calls6, device: 'گوشی اپراتور ۱' });
    await callList(a, env.server.url);
    assert.equal(await a.getByTestId('calls-counts').getAttribute('data-waiting'), '100', 'nobody is called yet');

    // Operator A calls the first on the list: the number to dial, a tel: link.
    const first = a.getByTestId('call-item').first();
    const firstId = await first.getAttribute('data-attendee');
    await first.getByTestId('call-start').click();
    const dial = first.getByTestId('call-dial');
    await dial.waitFor();
    assert.match(await dial.getAttribute('href'), /^tel:0913\d{7}$/);
    assert.match(await dial.textContent(), /^۰۹۱۳ [۰-۹]{3} [۰-۹]{4}$/, 'read aloud in groups, in Persian digits');
    await screenshot(a, 'calls-open');

    // Operator B, on another phone, sees who is calling and cannot call them.
    const bContext = await phoneContext(env.browser);
    const b = await bContext.newPage();
    await signIn(b, env.server.url, { username: 'calls6b', password, device: 'گوشی اپراتور ۲' });
    await callList(b, env.server.url);
    const taken = item(b, firstId);
    await taken.getByTestId('call-claimed').waitFor();
    assert.match(await taken.getByTestId('call-claimed').textContent(), /در حال تماس است/);
    assert.ok(await taken.getByTestId('call-start').isDisabled(), 'the other operator cannot call the same citizen');

    // A: no answer. The citizen goes down the list, to be tried in an hour.
    await first.getByTestId('call-outcome-no_answer').click();
    await a.locator(`[data-testid="call-item"][data-attendee="${firstId}"][data-state="retry"]`).waitFor();
    await waitUntilSent(a);
    assert.match(await item(a, firstId).getByTestId('call-state').textContent(), /۱ بار پاسخ نداد؛ تماس بعدی از/);
    assert.notEqual(await a.getByTestId('call-item').first().getAttribute('data-attendee'), firstId, 'the never-called come first');

    // B calls the next one and reaches them: confirmed. The code and the
    // number on B's screen are what the citizen looks the request up by.
    const next = b.getByTestId('call-item').filter({ hasNot: b.getByTestId('call-claimed') }).nth(1);
    const nextId = await next.getAttribute('data-attendee');
    const nextCode = (await item(b, nextId).locator('.ltr.meta').textContent()).trim();
    await item(b, nextId).getByTestId('call-start').click();
    const nextDial = item(b, nextId).getByTestId('call-dial');
    await nextDial.waitFor();
    const nextMobile = (await nextDial.getAttribute('href')).replace('tel:', '');
    await item(b, nextId).getByTestId('call-note').fill('با همسرش می‌آید');
    await item(b, nextId).getByTestId('call-outcome-confirmed').click();
    // Done with: off the list of those to call, on the whole list.
    await item(b, nextId).waitFor({ state: 'detached' });
    await b.getByRole('button', { name: 'همه', exact: true }).click();
    await b.locator(`[data-testid="call-item"][data-attendee="${nextId}"][data-state="confirmed"]`).waitFor();
    await waitUntilSent(b);

    // A claims a third citizen, then the network drops: the outcome is
    // kept on the phone and sent when it returns. Claiming another needs
    // the network, and says so.
    const third = a.locator('[data-testid="call-item"][data-state="not_called"]').filter({ hasNot: a.getByTestId('call-claimed') }).nth(2);
    const thirdId = await third.getAttribute('data-attendee');
    const thirdCode = (await item(a, thirdId).locator('.ltr.meta').textContent()).trim();
    await item(a, thirdId).getByTestId('call-start').click();
    await item(a, thirdId).getByTestId('call-dial').waitFor();
    await aContext.setOffline(true);
    await item(a, thirdId).getByTestId('call-outcome-reschedule').click();
    await item(a, thirdId).waitFor({ state: 'detached' });
    assert.equal(await a.getByTestId('sync-pending').getAttribute('data-count'), '1', 'the outcome waits on the phone');
    await a.locator('[data-testid="call-item"][data-state="not_called"]').first().getByTestId('call-start').click();
    await a.getByTestId('calls-notice').filter({ hasText: 'برای این کار اتصال به اینترنت لازم است' }).waitFor();
    await aContext.setOffline(false);
    await syncNow(a);
    await waitUntilSent(a);
    // Both phones agree once synced: one confirmed, one gave the place up.
    await syncNow(b);
    await b.locator(`[data-testid="call-item"][data-attendee="${thirdId}"][data-state="reschedule"]`).waitFor();
    await b.locator('[data-testid="calls-counts"][data-confirmed="1"]').waitFor();
    assert.match(await b.getByTestId('calls-counts').textContent(), /۱ از جای خود گذشته/);
    await screenshot(b, 'calls-list');
    assert.deepEqual(await seriousA11yViolations(b), []);

    // The confirmed citizen reads it on their own phone, with the day and place.
    const citizen = await bContext.newPage();
    await citizen.goto(`${env.server.url}/track`);
    await appReady(citizen);
    await citizen.locator('#track-code').fill(nextCode);
    await citizen.locator('#track-mobile').fill(nextMobile);
    await citizen.getByRole('button', { name: 'نمایش وضعیت' }).click();
    assert.equal((await citizen.getByTestId('lookup-status').textContent()).trim(), 'حضور تأیید شده');
    assert.match(await citizen.getByTestId('lookup-invitation').textContent(), /سالن اجتماعات منطقهٔ ۶/);

    // At the door on the day, the one who asked for another day is still
    // recognised, with why their place is free.
    const doorContext = await phoneContext(env.browser);
    const door = await doorContext.newPage();
    await signIn(door, env.server.url, { username: 'field6', password: env.server.accounts.field6, device: 'تبلت در' });
    await door.goto(`${env.server.url}/staff/checkin`);
    await appReady(door);
    await syncNow(door);
    await door.getByTestId('checkin-door-link').first().click();
    await door.getByTestId('door-search').fill(thirdCode);
    await door.locator(`[data-testid="door-entry"][data-attendee="${thirdId}"]`).getByTestId('door-released').waitFor();
    await doorContext.close();

    assert.deepEqual(errors.filter((e) => !e.includes('ERR_INTERNET_DISCONNECTED')), []);
    await aContext.close();
    await bContext.close();
  });
});
