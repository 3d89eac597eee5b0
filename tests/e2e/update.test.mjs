// Releases in Chromium against the real server: a device runs release N,
// release N+1 is deployed and fails to start, release N+2 fixes it. The
// device is offered N+1 (never forced over the running app), takes it,
// fails to start, and reaches N+2 by itself; a staff device updated from a
// citizens' page keeps its staff screens offline throughout.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  appReady,
  phoneContext,
  screenshot,
  seriousA11yViolations,
  serviceWorkerReady,
  withServerAndBrowser,
} from './harness.mjs';

/// Deploys a release into `dist`: each file of `files` (name → content)
/// written, its stale precompressed copies removed (a deploy replaces the
/// whole bundle; the server then sends the plain file).
function deploy(dist, files) {
  for (const [name, content] of Object.entries(files)) {
    writeFileSync(join(dist, name), content);
    for (const suffix of ['.br', '.gz']) rmSync(join(dist, `${name}${suffix}`), { force: true });
  }
}

/// The built bundle's file names and texts that a release rewrites.
function shipped(dist) {
  const names = readdirSync(dist);
  const one = (pattern) => {
    const name = names.find((n) => pattern.test(n));
    assert.ok(name, `the bundle has ${pattern}`);
    return name;
  };
  const text = (name) => readFileSync(join(dist, name), 'utf8');
  const wasm = one(/^didar_bg-[0-9a-f]{16}\.wasm$/);
  const boot = one(/^boot-[0-9a-f]{16}\.js$/);
  const sw = text('sw.js');
  const version = sw.match(/const VERSION = '([0-9a-f]{16})'/)?.[1];
  assert.ok(version, 'the worker carries its version');
  return { wasm, boot, version, files: { 'index.html': text('index.html'), 'sw.js': sw, [boot]: text(boot) } };
}

/// `text` with every `from` replaced by `to`.
const swap = (text, pairs) => pairs.reduce((out, [from, to]) => out.replaceAll(from, to), text);

describe('updates', () => {
  const env = withServerAndBrowser();

  test('a release that fails to start is replaced by the next one with no help, and staff screens stay offline', async () => {
    const n = shipped(env.server.dist);
    const context = await phoneContext(env.browser);
    const page = await context.newPage();
    // A staff device: the staff screens were opened once (their bundle is
    // cached), then the person went back to the citizens' pages.
    await page.goto(`${env.server.url}/staff/sign-in`);
    await appReady(page);
    await serviceWorkerReady(page);
    await page.goto(env.server.url);
    await appReady(page);
    await page.locator('#main h1').waitFor();

    // Release N+1: the citizens' module is broken (it fails to compile),
    // under new names, as a real build would name it.
    const broken = { wasm: 'didar_bg-1111111111111111.wasm', boot: 'boot-1111111111111111.js', version: '1111111111111111' };
    const renames = [[n.wasm, broken.wasm], [n.boot, broken.boot], [n.version, broken.version]];
    deploy(env.server.dist, {
      [broken.wasm]: 'this is not a WebAssembly module',
      [broken.boot]: swap(n.files[n.boot], renames),
      'index.html': swap(n.files['index.html'], renames),
      'sw.js': swap(n.files['sw.js'], renames),
    });
    await page.evaluate(async () => (await navigator.serviceWorker.getRegistration()).update());

    // The running app is not reloaded under the person: it is offered.
    const toast = page.getByTestId('update-toast');
    await toast.waitFor();
    assert.equal(await toast.getAttribute('role'), 'status');
    assert.match(await toast.textContent(), /نسخهٔ تازه/);
    await appReady(page);
    assert.deepEqual(await seriousA11yViolations(page), []);
    await screenshot(page, 'update-offered');
    const reloaded = page.waitForEvent('load');
    await toast.getByRole('button', { name: 'به‌روزرسانی' }).click();
    await reloaded;

    // N+1 does not start: the page says so plainly.
    const failed = page.getByTestId('boot-failed');
    await failed.waitFor();
    assert.equal(await failed.getAttribute('role'), 'alert');
    assert.match(await failed.textContent(), /دیدار باز نشد/);
    assert.equal(await page.locator('header.topbar').count(), 0, 'the app did not start');
    await screenshot(page, 'update-boot-failed');

    // Release N+2: N's files again, under a new version. The device finds
    // it and reloads into it by itself: nobody touches the page.
    const fixed = '2222222222222222';
    deploy(env.server.dist, {
      'index.html': n.files['index.html'],
      'sw.js': n.files['sw.js'].replaceAll(n.version, fixed),
    });
    await page.locator('header.topbar').waitFor({ timeout: 30_000 });
    await page.locator('#main h1').waitFor();
    const caches = await page.evaluate(() => caches.keys());
    assert.deepEqual(caches, [`didar-shell-${fixed}`], 'N+2 is the version in use');

    // The staff screens were never opened since N, yet they start offline.
    await context.setOffline(true);
    await page.goto(`${env.server.url}/staff/sign-in`);
    await page.locator('#sign-in-username').waitFor();
    assert.equal(await page.locator('html').getAttribute('data-bundle'), 'field');
    await context.close();
  });
});
