// Opens pages of a built site in headless Chromium and checks what a reader gets: no sideways
// scrolling at 360 px, a working skip link, one h1, readable contrast, working note links and a
// print view without navigation. Usage: node theme.mjs BASE_URL BRIEF_PATH
import { chromium } from 'playwright-core';

const [baseUrl, briefPath] = process.argv.slice(2);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const failures = [];
const check = (ok, message) => { if (!ok) failures.push(message); };

// WCAG contrast ratio of an element's text against the first opaque background behind it.
async function contrast(page, selector) {
  return page.$eval(selector, (el) => {
    const parse = (c) => (c.match(/[\d.]+/g) || []).map(Number);
    const lum = ([r, g, b]) => {
      const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
      return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
    };
    let bg = [255, 255, 255];
    for (let node = el; node; node = node.parentElement) {
      const c = parse(getComputedStyle(node).backgroundColor);
      if (c.length === 3 || (c.length === 4 && c[3] === 1)) { bg = c.slice(0, 3); break; }
    }
    const fg = parse(getComputedStyle(el).color).slice(0, 3);
    const [a, b] = [lum(fg), lum(bg)].sort((x, y) => y - x);
    return (a + 0.05) / (b + 0.05);
  });
}

try {
  for (const width of [360, 1280]) {
    const page = await browser.newPage({ viewport: { width, height: 800 } });
    for (const path of ['', briefPath, 'citations/', 'authors/']) {
      const response = await page.goto(baseUrl + path);
      check(response && response.ok(), `${path}: HTTP ${response && response.status()}`);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      check(overflow <= 0, `${path} at ${width}px scrolls sideways by ${overflow}px`);
      check(await page.locator('h1').count() === 1, `${path}: expected exactly one h1`);
    }
    await page.close();
  }

  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  await page.goto(baseUrl + briefPath);
  await page.keyboard.press('Tab');
  const focused = await page.evaluate(() => document.activeElement.getAttribute('href'));
  check(focused === '#main', `first Tab focuses ${focused}, not the skip link to #main`);

  for (const selector of ['.brief-body p', '.brief-body a', 'h1', 'header a', 'footer']) {
    if (await page.locator(selector).count() === 0) continue;
    const ratio = await contrast(page, selector);
    check(ratio >= 4.5, `contrast of ${selector} is ${ratio.toFixed(2)}:1, below 4.5:1`);
  }

  await page.click('sup.note-ref a');
  const hash = await page.evaluate(() => location.hash);
  check(hash === '#note-1', `the first note link leads to ${hash}`);
  check(await page.locator('#note-1').isVisible(), 'note 1 is not visible after following its link');
  await page.click('#note-1 a[href="#note-ref-1"]');
  check(await page.evaluate(() => location.hash) === '#note-ref-1', 'the back link does not return to the text');

  await page.emulateMedia({ media: 'print' });
  const navShown = await page.evaluate(() => [...document.querySelectorAll('nav')]
    .some((n) => getComputedStyle(n).display !== 'none'));
  check(!navShown, 'navigation is printed');
} finally {
  await browser.close();
}

if (failures.length) {
  console.error(failures.join('\n'));
  process.exit(1);
}
console.log('theme checks passed');
