// Lighthouse (mobile, simulated slow 4G and a mid-range phone: its
// defaults) on the public pages of a running server, with Debian's
// Chromium. Prints one line per page and writes bench/results/lighthouse.json.
//
//   node bench/lighthouse.mjs http://127.0.0.1:8080
import lighthouse from 'lighthouse';
import * as chromeLauncher from 'chrome-launcher';
import { mkdirSync, writeFileSync } from 'node:fs';
import { CHROMIUM_FLAGS } from '../tests/e2e/harness.mjs';

const base = process.argv[2] ?? 'http://127.0.0.1:8080';
const PAGES = process.env.PAGES ? process.env.PAGES.split(",") : ["/", "/register", "/track"];

const chrome = await chromeLauncher.launch({
  chromePath: '/usr/bin/chromium',
  chromeFlags: CHROMIUM_FLAGS,
});
const results = [];
try {
  for (const path of PAGES) {
    const { lhr } = await lighthouse(`${base}${path}`, {
      port: chrome.port,
      output: 'json',
      logLevel: 'error',
      onlyCategories: ['performance', 'accessibility', 'best-practices'],
    });
    if (lhr.runtimeError) console.error(path, lhr.runtimeError.code, lhr.runtimeError.message);
    const score = (id) => lhr.categories[id].score;
    const row = {
      page: path,
      performance: score('performance'),
      accessibility: score('accessibility'),
      best_practices: score('best-practices'),
      first_contentful_paint_ms: Math.round(lhr.audits['first-contentful-paint'].numericValue),
      largest_contentful_paint_ms: Math.round(lhr.audits['largest-contentful-paint'].numericValue),
      total_blocking_time_ms: Math.round(lhr.audits['total-blocking-time'].numericValue),
      cumulative_layout_shift: Number(lhr.audits['cumulative-layout-shift'].numericValue.toFixed(3)),
      speed_index_ms: Math.round(lhr.audits['speed-index'].numericValue),
      transfer_bytes: lhr.audits['total-byte-weight'].numericValue,
    };
    results.push(row);
    console.log(
      `${path.padEnd(10)} performance ${row.performance}  accessibility ${row.accessibility}  ` +
        `best-practices ${row.best_practices}  FCP ${row.first_contentful_paint_ms} ms  ` +
        `LCP ${row.largest_contentful_paint_ms} ms  TBT ${row.total_blocking_time_ms} ms  ` +
        `CLS ${row.cumulative_layout_shift}  SI ${row.speed_index_ms} ms  ` +
        `transfer ${row.transfer_bytes} B`,
    );
  }
} finally {
  await chrome.kill();
}
mkdirSync('bench/results', { recursive: true });
writeFileSync('bench/results/lighthouse.json', JSON.stringify(results, null, 2));
