// Shared set-up for the end-to-end tests: a real server (the binary the
// test command built) on a free port with a fresh SQLite database and its
// own copy of the built client, and Debian's Chromium driven by
// playwright-core. Nothing is mocked.
import { spawn } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before } from 'node:test';
import { chromium } from 'playwright-core';
import QRCode from 'qrcode';

export const ROOT = resolve(import.meta.dirname, '../..');
export const ARTIFACTS = join(ROOT, 'tests/e2e/artifacts');
mkdirSync(ARTIFACTS, { recursive: true });

const SERVER = process.env.DIDAR_SERVER_BIN ?? join(ROOT, 'target/debug/didar-server');
/// The built client each server gets a copy of (another build can be
/// tested against the same tests, say the one before a change).
const DIST = process.env.DIDAR_DIST ?? join(ROOT, 'dist');

/// Starts a server; resolves once it printed its address. `restart` takes
/// a stopped server and starts it again on the same port and database
/// (the browser's origin, and so its storage, stay the same).
export async function startServer({ env = {}, restart } = {}) {
  const work = restart?.work ?? mkdtempSync(join(tmpdir(), 'didar-e2e-'));
  const dist = join(work, 'dist');
  if (!restart) cpSync(DIST, dist, { recursive: true });
  const listen = restart ? new URL(restart.url).host : '127.0.0.1:0';
  const child = spawn(SERVER, [], {
    env: {
      ...process.env,
      DIDAR_LISTEN: listen,
      DIDAR_DATA_DIR: join(work, 'data'),
      DIDAR_DIST_DIR: dist,
      RUST_LOG: process.env.RUST_LOG ?? 'warn',
      // Last month's demo meeting lists first among the meetings: only
      // the follow-up tests ask for it.
      DIDAR_DEMO_REFERRALS: '0',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const accounts = {};
  const url = await new Promise((resolveUrl, reject) => {
    let output = '';
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${output}`)), 30_000);
    child.stdout.on('data', (chunk) => {
      output += chunk;
      const match = output.match(/running at (http:\/\/[^\s]+?)\/?\s/);
      if (match) {
        clearTimeout(timer);
        resolveUrl(match[1]);
      }
      // Development mode prints the demo accounts once: "  admin  <password>  …".
      for (const [, name, password] of output.matchAll(/^ {2}(\w+)\s+(\w{16})\s/gm)) {
        accounts[name] = password;
      }
    });
    child.on('exit', (code) => reject(new Error(`server exited with ${code}:\n${output}`)));
  });
  return {
    url,
    dist,
    work,
    /// Demo staff passwords, by username (development mode only).
    accounts,
    async stop() {
      child.kill('SIGTERM');
      await new Promise((done) => child.once('exit', done));
    },
  };
}

/// A registration window open all week, so tests pass whatever day they
/// run on.
export const ALWAYS_OPEN = JSON.stringify({
  opens_on: 'Sat', opens_at: '00:00:00', closes_on: 'Fri', closes_at: '23:59:00', grace_hours: 24,
});

export const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export function launchBrowser(extraArgs = []) {
  return chromium.launch({ executablePath: '/usr/bin/chromium', args: [...CHROMIUM_FLAGS, ...extraArgs] });
}

/// A video file Chromium's fake camera plays in a loop (`.y4m`, 640×480,
/// grey): `text`'s QR code, drawn like the citizen's receipt (dark
/// modules on white, a quiet zone of four), in the middle of the frame.
export function qrCameraFile(path, text) {
  const [width, height, scale, quiet] = [640, 480, 8, 4];
  const qr = QRCode.create(text, { errorCorrectionLevel: 'M' });
  const size = qr.modules.size;
  const side = (size + 2 * quiet) * scale;
  const [left, top] = [(width - side) >> 1, (height - side) >> 1];
  const luma = Buffer.alloc(width * height, 235);
  for (let y = 0; y < size * scale; y++) {
    for (let x = 0; x < size * scale; x++) {
      if (qr.modules.get(Math.floor(y / scale), Math.floor(x / scale))) {
        luma[(top + quiet * scale + y) * width + left + quiet * scale + x] = 16;
      }
    }
  }
  const chroma = Buffer.alloc((width / 2) * (height / 2), 128);
  const frame = Buffer.concat([Buffer.from('FRAME\n'), luma, chroma, chroma]);
  const header = Buffer.from(`YUV4MPEG2 W${width} H${height} F10:1 Ip A1:1 C420jpeg\n`);
  writeFileSync(path, Buffer.concat([header, frame, frame, frame]));
}

/// A phone-sized context (360 px wide, touch), Persian unless told.
export function phoneContext(browser, options = {}) {
  return browser.newContext({
    viewport: { width: 360, height: 780 },
    deviceScaleFactor: 2,
    isMobile: true,
    hasTouch: true,
    locale: 'fa-IR',
    timezoneId: 'Asia/Tehran',
    ...options,
  });
}

/// Collects console errors and uncaught exceptions of a page, so a test can
/// assert there were none.
export function watchErrors(page) {
  const errors = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(error.message));
  return errors;
}

/// A server (see `startServer`) and a browser for the tests of one
/// `describe`: started before them, stopped after. A test that restarts
/// the server puts the new one in `env.server`.
export function withServerAndBrowser(options = {}) {
  const env = {};
  before(async () => {
    env.server = await startServer(options);
    env.browser = await launchBrowser();
  });
  after(async () => {
    await env.browser?.close();
    await env.server?.stop();
  });
  return env;
}

/// Opens `url` in a new phone-sized context (see `phoneContext`; the
/// options are its own, and `initScript` runs in every page before the
/// app) once the app has mounted. The page's console errors are collected
/// from the start.
export async function openPage(browser, url, { initScript, ...options } = {}) {
  const context = await phoneContext(browser, options);
  if (initScript) await context.addInitScript(initScript);
  const page = await context.newPage();
  const errors = watchErrors(page);
  await page.goto(url);
  await appReady(page);
  return { context, page, errors };
}

/// Waits until the Leptos app has mounted its shell.
export async function appReady(page) {
  await page.locator('header.topbar').waitFor();
}

/// Waits until a service worker controls the page with a filled cache.
export async function serviceWorkerReady(page) {
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
    if (!navigator.serviceWorker.controller) {
      await new Promise((done) => navigator.serviceWorker.addEventListener('controllerchange', done, { once: true }));
    }
  });
}

const AXE = readFileSync(join(ROOT, 'node_modules/axe-core/axe.min.js'), 'utf8');

/// Runs axe-core in the page (evaluated through the DevTools protocol, so
/// the page's CSP needn't allow it); returns serious and critical
/// violations.
export async function seriousA11yViolations(page) {
  await page.evaluate(AXE);
  const result = await page.evaluate(() =>
    // eslint-disable-next-line no-undef
    axe.run(document, { resultTypes: ['violations'] }),
  );
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

/// Signs a staff member in through the sign-in page, as a person would; a
/// first sign-in on a device names it.
export async function signIn(page, url, { username, password, device }) {
  await page.goto(`${url}/staff/sign-in`);
  await appReady(page);
  await page.locator('#sign-in-username').fill(username);
  await page.locator('#sign-in-password').fill(password);
  if (device) await page.locator('#sign-in-device').fill(device);
  await page.getByRole('button', { name: 'ورود', exact: true }).click();
  await page.getByTestId('staff-home').waitFor();
}

export async function screenshot(page, name) {
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
}

/// Presses "sync now" in the sync panel and waits until the cycle is over.
export async function syncNow(page) {
  await page.getByTestId('sync-now').click();
  await page.locator('[data-testid="sync-phase"][data-phase="idle"]').waitFor();
}

/// A data table's rows have arrived and are drawn: count rows only after
/// this, or the count is of a table still loading. The table's busy flag,
/// its "loading" line and its rows are drawn by separate effects (each
/// its own task), so the flag alone can be down a moment before the rows
/// are up: wait for a row that is not the loading line too (a data row,
/// or the table's "empty" or error line — the rows come in one go).
export async function tableLoaded(page, testid) {
  const table = page.locator(`[data-testid="${testid}"][aria-busy="false"]`);
  await table.waitFor();
  await table.locator('tbody tr:not(:has(td[role="status"]))').first().waitFor();
}

/// Waits until nothing made on the device waits to be sent.
export async function waitUntilSent(page) {
  await page.locator('[data-testid="sync-pending"][data-count="0"]').waitFor({ timeout: 20_000 });
}
