// The sync engine in Chromium against the real server: two devices of the
// executive committee work offline on the same district's requests, come
// back online one after the other, and end up showing the same thing —
// with the one command the server refused listed, with its reason, on the
// device that made it. A second tab of one device follows the first.
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

/// Opens the committee's list, showing every status.
async function openReview(page, url) {
  await page.goto(`${url}/staff/review`);
  await appReady(page);
  await showAll(page);
}

/// Every request, in every state: the cards come 30 at a time, newest
/// first (the demo's six are the oldest).
async function showAll(page) {
  await page.getByRole('button', { name: 'همه', exact: true }).click();
  await page.getByTestId('review-item').first().waitFor();
  while (await page.getByTestId('review-more').count()) {
    await page.getByTestId('review-more').click();
  }
}

function item(page, name) {
  return page.getByTestId('review-item').filter({ has: page.getByRole('heading', { name, exact: true }) });
}

/// Every request on the screen: name → status label.
async function statuses(page) {
  return page.getByTestId('review-item').evaluateAll((items) =>
    Object.fromEntries(items.map((li) => [li.querySelector('h3').textContent, li.querySelector('[data-testid="review-status"]').textContent])),
  );
}

async function pending(page) {
  return Number(await page.getByTestId('sync-pending').getAttribute('data-count'));
}

async function syncNow(page) {
  await page.getByTestId('sync-now').click();
}

async function waitForPhase(page, phase) {
  await page.locator(`[data-testid="sync-phase"][data-phase="${phase}"]`).waitFor();
}

describe('sync between devices', () => {
  const env = withServerAndBrowser({ env: { DIDAR_MODE: 'development', DIDAR_REGISTRATION_WINDOW: ALWAYS_OPEN } });

  test('two devices work offline, come back, converge, and the refused command is shown with its reason', async () => {
    const password = env.server.accounts.review6;
    assert.ok(password, 'the demo committee member was printed');
    const first = await phoneContext(env.browser);
    const second = await phoneContext(env.browser);
    const a = await first.newPage();
    const b = await second.newPage();
    const errors = [...[a, b].map(watchErrors)];
    await signIn(a, env.server.url, { username: 'review6', password, device: 'میز ۱' });
    await signIn(b, env.server.url, { username: 'review6', password, device: 'میز ۲' });
    await serviceWorkerReady(a);
    await serviceWorkerReady(b);
    for (const page of [a, b]) {
      await page.goto(`${env.server.url}/staff/review`);
      await appReady(page);
      await page.getByRole('button', { name: 'همه', exact: true }).click();
      await page.locator('[data-testid="review-count"][data-count="106"]').waitFor();
      await showAll(page);
      assert.equal(
        await page.getByTestId('review-item').count(),
        106,
        "the six demo requests and the demo meeting's hundred citizens were pulled",
      );
    }

    await first.setOffline(true);
    await second.setOffline(true);

    // Device A reviews Maryam's request, linking a case file.
    const maryamOnA = item(a, 'مریم کاظمی');
    await maryamOnA.getByText('ثبت بررسی و پیوند پرونده').click();
    await maryamOnA.getByTestId('review-case-files').fill('۶/۱۴۰۲/۱۲۳');
    await maryamOnA.getByTestId('review-submit').click();
    await maryamOnA.getByTestId('review-pending').waitFor();
    assert.equal(await maryamOnA.getByTestId('review-status').textContent(), 'بررسی شده');
    assert.equal(await pending(a), 1);
    await syncNow(a);
    await waitForPhase(a, 'offline');

    // Device B rejects the same request and reviews Ali's.
    const maryamOnB = item(b, 'مریم کاظمی');
    await maryamOnB.getByText('رد درخواست').first().click();
    await maryamOnB.getByTestId('review-reason').fill('این موضوع در کمیسیون ماده صد رسیدگی می‌شود.');
    await maryamOnB.getByTestId('review-reject').click();
    await maryamOnB.getByTestId('review-pending').waitFor();
    const aliOnB = item(b, 'علی رضایی');
    await aliOnB.getByText('ثبت بررسی و پیوند پرونده').click();
    await aliOnB.getByTestId('review-submit').click();
    await aliOnB.getByTestId('review-pending').waitFor();
    assert.equal(await pending(b), 2);

    // A reload while offline keeps A's own unsent work on screen.
    await a.reload();
    await appReady(a);
    await showAll(a);
    await item(a, 'مریم کاظمی').getByTestId('review-pending').waitFor();
    assert.equal(await pending(a), 1);
    await screenshot(a, 'sync-offline-device-a');

    // B comes back first and sends; then A.
    await second.setOffline(false);
    await syncNow(b);
    await waitForPhase(b, 'idle');
    assert.equal(await pending(b), 0);
    await first.setOffline(false);
    await syncNow(a);
    await waitForPhase(a, 'idle');
    assert.equal(await pending(a), 0, 'nothing waits: the refused command left the outbox for the list');

    // A's review came too late: the server refused it, and says why.
    const refused = a.getByTestId('rejected-item');
    await refused.waitFor();
    assert.match(await refused.textContent(), /بررسی درخواست/);
    // The real cause (item 18): B rejected it first, not "the status changed".
    assert.match(await refused.textContent(), /این درخواست پیش از این رد شده است/);
    await screenshot(a, 'sync-rejected-on-device-a');

    // Both show the same: B pulls once more to see nothing new.
    await syncNow(b);
    await waitForPhase(b, 'idle');
    await item(a, 'مریم کاظمی').getByTestId('review-rejection').waitFor();
    const onA = await statuses(a);
    const onB = await statuses(b);
    assert.deepEqual(onA, onB);
    assert.equal(onA['مریم کاظمی'], 'رد شده');
    assert.equal(onA['علی رضایی'], 'بررسی شده');
    assert.equal(await a.getByTestId('review-pending').count(), 0);

    // The refused command is dismissed once read.
    await refused.getByTestId('rejected-dismiss').click();
    await refused.waitFor({ state: 'detached' });

    // Signing out leaves nothing of the district's requests on the device.
    await b.goto(`${env.server.url}/staff`);
    await b.getByTestId('sign-out').click();
    await b.locator('#sign-in-username').waitFor();
    const left = await b.evaluate(
      () =>
        new Promise((resolve) => {
          const open = indexedDB.open('didar');
          open.onsuccess = () => {
            const count = open.result.transaction('records').objectStore('records').count();
            count.onsuccess = () => resolve(count.result);
          };
        }),
    );
    assert.equal(left, 0, 'pulled records are gone after sign-out');

    assert.deepEqual(await seriousA11yViolations(a), []);
    // While offline the browser itself logs each failed fetch; nothing else.
    assert.deepEqual(errors.flat().filter((e) => !e.includes('ERR_INTERNET_DISCONNECTED')), []);
    await first.close();
    await second.close();
  });

  test('a device whose pushes fail still pulls what others changed, and says the push failed', async () => {
    const password = env.server.accounts.review6;
    const failing = await phoneContext(env.browser);
    const healthy = await phoneContext(env.browser);
    const a = await failing.newPage();
    const b = await healthy.newPage();
    await signIn(a, env.server.url, { username: 'review6', password, device: 'میز ۴' });
    await signIn(b, env.server.url, { username: 'review6', password, device: 'میز ۵' });
    await openReview(a, env.server.url);
    await openReview(b, env.server.url);
    await item(a, 'حسین احمدی').waitFor();
    await item(b, 'زهرا نوری').waitFor();

    // The server refuses every push from device A with a 5xx (a fault of
    // the network path, not of storage: pulls and the database are real).
    let refusedPushes = 0;
    await a.route('**/api/sync/push', (route) => {
      refusedPushes += 1;
      return route.fulfill({ status: 503, contentType: 'application/json', body: '{"error":{"code":"unavailable","message":{"fa":"","en":""}}}' });
    });
    const hosseinOnA = item(a, 'حسین احمدی');
    await hosseinOnA.getByText('ثبت بررسی و پیوند پرونده').click();
    await hosseinOnA.getByTestId('review-submit').click();
    await hosseinOnA.getByTestId('review-pending').waitFor();
    await waitForPhase(a, 'failed');

    // Meanwhile device B reviews another request, and the server has it.
    const zahraOnB = item(b, 'زهرا نوری');
    await zahraOnB.getByText('ثبت بررسی و پیوند پرونده').click();
    await zahraOnB.getByTestId('review-submit').click();
    await zahraOnB.getByTestId('review-pending').waitFor({ state: 'detached' });

    // A syncs: its push fails again, yet B's change arrives.
    const pushesBefore = refusedPushes;
    await syncNow(a);
    await item(a, 'زهرا نوری').getByTestId('review-status').filter({ hasText: 'بررسی شده' }).waitFor({ timeout: 15_000 });
    await waitForPhase(a, 'failed');
    assert.ok(refusedPushes > pushesBefore, 'the push was tried and refused');
    assert.equal(await pending(a), 1, "A's own review still waits to be sent");
    await hosseinOnA.getByTestId('review-pending').waitFor();

    // The fault ends: A's waiting review goes through.
    await a.unroute('**/api/sync/push');
    await syncNow(a);
    await waitForPhase(a, 'idle');
    assert.equal(await pending(a), 0);
    await failing.close();
    await healthy.close();
  });

  test('a request that hangs is given up, and a «sync now» pressed meanwhile is not left for the backoff', async () => {
    // The device's clock is the test's: 45 s pass at a word, and a retry
    // the backoff puts off never comes unless the test lets time run.
    const context = await phoneContext(env.browser);
    await context.clock.install();
    const page = await context.newPage();
    await signIn(page, env.server.url, { username: 'review6', password: env.server.accounts.review6, device: 'میز ۴' });
    await openReview(page, env.server.url);
    await waitForPhase(page, 'idle');
    await page.clock.pauseAt(Date.now() + 1_000);

    // The office's network swallows a pull: no answer, no error.
    let swallow = true;
    await page.route('**/api/sync/pull*', (route) => (swallow ? undefined : route.continue()));
    const swallowed = page.waitForRequest('**/api/sync/pull*');
    await syncNow(page);
    await waitForPhase(page, 'syncing');
    await swallowed;
    // The person presses again while it hangs, and the network recovers.
    await syncNow(page);
    swallow = false;

    // 45 s without an answer: the device gives up on the request, and the
    // press made meanwhile runs a cycle at once, which goes through.
    assert.equal(await page.getByTestId('sync-phase').getAttribute('data-phase'), 'syncing');
    await page.clock.runFor(45_500);
    await waitForPhase(page, 'idle');
    assert.equal(await pending(page), 0);
    await context.close();
  });

  test('a second tab of the same device follows the first', async () => {
    const context = await phoneContext(env.browser);
    const one = await context.newPage();
    await signIn(one, env.server.url, { username: 'review6', password: env.server.accounts.review6, device: 'میز ۳' });
    const two = await context.newPage();
    await openReview(one, env.server.url);
    await openReview(two, env.server.url);
    const name = 'فاطمه موسوی';
    await item(two, name).waitFor();
    await context.setOffline(true);
    const onOne = item(one, name);
    await onOne.getByText('ثبت بررسی و پیوند پرونده').click();
    await onOne.getByTestId('review-submit').click();
    // The other tab hears of it and shows the same waiting change.
    await item(two, name).getByTestId('review-pending').waitFor();
    assert.equal(await pending(two), 1);
    await context.setOffline(false);
    await syncNow(two);
    await item(one, name).getByTestId('review-pending').waitFor({ state: 'detached' });
    await item(two, name).getByTestId('review-pending').waitFor({ state: 'detached' });
    await context.close();
  });
});
