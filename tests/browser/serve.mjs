// Live reload in a real browser: opens a brief served by `dossier serve` in headless Chromium,
// edits the brief's Markdown file on disk and checks that the page shows the new text by itself;
// then breaks the front matter (an overlay naming the file and line appears over the last good
// page) and fixes it (the overlay goes and the fix shows). Usage: node serve.mjs PAGE_URL FILE
import { readFileSync, writeFileSync } from 'node:fs';
import { chromium } from 'playwright-core';

const [pageUrl, file] = process.argv.slice(2);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync'],
});
const failures = [];
const check = (ok, message) => { if (!ok) failures.push(message); };
const original = readFileSync(file, 'utf8');
const wait = { timeout: 30000 };

try {
  const page = await browser.newPage();
  let loads = 0;
  page.on('load', () => { loads += 1; });
  const response = await page.goto(pageUrl);
  check(response && response.ok(), `HTTP ${response && response.status()} for ${pageUrl}`);
  // No need to wait for the live-reload connection: a page that connects after a rebuild is told
  // at once that it is stale.

  const edited = `Edited on disk at ${Date.now()}.`;
  writeFileSync(file, `${original.trimEnd()}\n\n${edited}\n`);
  await page.waitForFunction((text) => document.body.innerText.includes(text), edited, wait);
  check(loads >= 2, 'the page did not reload itself');

  writeFileSync(file, original.replace(/^date = .*$/m, 'date = "2023-13-45"'));
  await page.waitForSelector('#dossier-overlay', wait);
  const overlay = await page.locator('#dossier-overlay').innerText();
  check(/briefs\/ageing-workforce\.md:\d+:\d+/.test(overlay), `the overlay does not name the place: ${overlay}`);
  check(await page.evaluate((text) => document.body.innerText.includes(text), edited),
    'the last good page is no longer shown under the overlay');

  const fixed = `Fixed at ${Date.now()}.`;
  writeFileSync(file, `${original.trimEnd()}\n\n${fixed}\n`);
  await page.waitForFunction((text) => document.body.innerText.includes(text)
    && !document.getElementById('dossier-overlay'), fixed, wait);
} catch (err) {
  failures.push(String(err && err.stack || err));
} finally {
  writeFileSync(file, original);
  await browser.close();
}

if (failures.length) {
  console.error(failures.join('\n'));
  process.exit(1);
}
console.log('live reload checks passed');
