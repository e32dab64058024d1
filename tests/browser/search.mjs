// The search page in headless Chromium (Debian's chromium, driven by playwright-core).
//
//   node search.mjs test BASE_URL
//     checks the search of tests/fixtures/basic built under BASE_URL: the header box leads to the
//     search page, typing shows results with highlighted words, every word must match, a word's
//     end may be left out, drafts are not found, a query is shown as text, never as markup.
//   node search.mjs measure BASE_URL QUERY...
//     prints, for each query opened cold as BASE_URL/search/?q=QUERY, the time from navigation to
//     the first result and what the index cost in requests and bytes, as JSON lines.
import { chromium } from 'playwright-core';

const [mode, baseUrl, ...queries] = process.argv.slice(2);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const failures = [];
const check = (ok, message) => { if (!ok) failures.push(message); };

// Requests under search/ made by a page, with their sizes.
function watch(page) {
  const seen = [];
  page.on('requestfinished', async (request) => {
    const url = request.url();
    if (!url.includes('/search/') || url.includes('?q=')) return;
    const sizes = await request.sizes().catch(() => ({ responseBodySize: 0 }));
    seen.push({ url, bytes: sizes.responseBodySize });
  });
  return seen;
}

const titles = (page) => page.$$eval('#search-results .search-result-title', (els) => els.map((e) => e.textContent));
const status = (page) => page.textContent('#search-status');

// Types `query` into the search page's box and waits until its results are complete.
async function search(page, query) {
  await page.fill('#search-query', query);
  await page.waitForFunction((q) => document.getElementById('search-results').getAttribute('data-ready-for') === q,
    query, { timeout: 10000 });
}

try {
  if (mode === 'measure') {
    for (const query of queries) {
      const context = await browser.newContext();
      const page = await context.newPage();
      const seen = watch(page);
      const started = Date.now();
      await page.goto(`${baseUrl}search/?q=${encodeURIComponent(query)}`);
      await page.waitForFunction((q) => document.getElementById('search-results').getAttribute('data-ready-for') === q,
        query, { timeout: 30000 });
      const wall = Date.now() - started;
      const readyMs = Number(await page.getAttribute('#search-results', 'data-ready-ms'));
      await page.waitForTimeout(200);
      const count = (kind) => seen.filter((r) => r.url.includes(kind));
      const sum = (list) => list.reduce((n, r) => n + r.bytes, 0);
      console.log(JSON.stringify({
        query,
        status: await status(page),
        first_result_ms: readyMs,
        wall_ms: wall,
        requests: seen.length,
        bytes: sum(seen),
        shards: count('/search/i/').length,
        shard_bytes: sum(count('/search/i/')),
        docs: count('/search/d/').length,
        doc_bytes: sum(count('/search/d/')),
      }));
      await context.close();
    }
  } else {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const seen = watch(page);
    // The header box on any page leads to the search page with the query.
    await page.goto(baseUrl);
    await page.fill('#site-search-query', 'sanctions');
    await page.press('#site-search-query', 'Enter');
    await page.waitForURL(/\/search\/\?q=sanctions/);
    await page.waitForSelector('#search-results[data-ready-for="sanctions"]');
    check((await page.inputValue('#search-query')) === 'sanctions', 'the query is not in the search box');
    let found = await titles(page);
    check(found.includes('Sanctions Enforcement at Sea'), `sanctions: ${found}`);
    check(/^\d+ briefs? match/.test(await status(page)), `status: ${await status(page)}`);
    const marks = await page.$$eval('#search-results mark', (els) => els.map((e) => e.textContent.toLowerCase()));
    check(marks.length > 0 && marks.every((m) => m.startsWith('sanction')), `highlights: ${marks}`);
    const first = await page.$eval('#search-results li', (li) => ({
      href: li.querySelector('a').getAttribute('href'),
      meta: li.querySelector('.search-result-meta').textContent,
      snippet: li.querySelector('.search-result-snippet').textContent,
    }));
    check(first.href.startsWith(new URL(baseUrl).pathname), `result link ${first.href}`);
    check(/\d{4}/.test(first.meta), `no date in ${first.meta}`);
    check(first.snippet.length > 40, `short snippet ${first.snippet}`);

    // Typing searches as one types; every word must match; a word's end may be left out.
    await search(page, 'chips lever');
    found = await titles(page);
    check(found.length === 1 && found[0] === 'Chips, Controls and the Limits of Leverage', `chips lever: ${found}`);
    check(new URL(page.url()).searchParams.get('q') === 'chips lever', `URL ${page.url()}`);

    // Authors, categories and tags are searched.
    await search(page, 'osei');
    found = await titles(page);
    check(found.length === 2 && found.includes('What the Alliance Pays For'), `osei: ${found}`);

    // Drafts are not in the index; no results say so.
    for (const query of ['seasonal visa', 'zzqqxx']) {
      await search(page, query);
      check((await titles(page)).length === 0, `${query} found drafts or nonsense`);
      check((await status(page)).startsWith('No briefs match'), `status for ${query}: ${await status(page)}`);
    }

    // A query is text, never markup.
    await search(page, '<img src=x onerror="window.pwned=1"> chips');
    check(await page.evaluate(() => !window.pwned && !document.querySelector('main img')), 'a query became markup');

    // Only what a query needs was fetched: the manifest, a few shards, the shown briefs.
    const docs = seen.filter((r) => r.url.includes('/search/d/'));
    check(seen.some((r) => r.url.endsWith('/search/index.json')), 'the manifest was not fetched');
    check(docs.length <= 10, `${docs.length} brief files fetched`);

    // Keyboard: Tab from the search box reaches the button, then results.
    await search(page, 'sanctions');
    await page.focus('#search-query');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    const focused = await page.evaluate(() => document.activeElement.closest('#search-results') !== null);
    check(focused, 'Tab does not reach the results');
  }
} finally {
  await browser.close();
}

if (failures.length) {
  console.error(failures.join('\n'));
  process.exit(1);
}
if (mode !== 'measure') console.log('search checks passed');
