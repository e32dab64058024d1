// Old `?p=` addresses on a static host, in headless Chromium (Debian's chromium, driven by
// playwright-core): the host answers BASE_URL?p=12 with the home page, whose script reads
// redirects.json and goes on to the new page.
//
//   node redirects.mjs BASE_URL OLD=NEW...
//     opens BASE_URL + OLD for each pair (e.g. "?p=12=tariffs/") and checks that the browser
//     ends at BASE_URL + NEW; an empty NEW means it stays on the home page.
import { chromium } from 'playwright-core';

const [baseUrl, ...pairs] = process.argv.slice(2);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const failures = [];
try {
  for (const pair of pairs) {
    const at = pair.lastIndexOf('=');
    const [old, target] = [pair.slice(0, at), pair.slice(at + 1)];
    const page = await browser.newPage();
    await page.goto(baseUrl + old);
    const wanted = baseUrl + target;
    if (target) {
      await page.waitForURL(wanted, { timeout: 10000 }).catch(() => {});
    } else {
      // Nothing to go to: the script must leave the page alone.
      await page.waitForLoadState('networkidle');
      await page.waitForTimeout(300);
    }
    const ended = page.url();
    const ok = target ? ended === wanted : ended === baseUrl + old;
    if (!ok) failures.push(`${old}: ended at ${ended}, wanted ${target ? wanted : 'to stay'}`);
    await page.close();
  }
} finally {
  await browser.close();
}
if (failures.length) {
  console.error(failures.join('\n'));
  process.exit(1);
}
console.log(`${pairs.length} addresses checked`);
