// Client-side search for dossier sites: no server, no third-party code.
//
// The build writes the index as small files under search/ (see src/render/search.rs): a manifest,
// shards of the sorted vocabulary with each word's postings, and one file per brief. A query loads
// the manifest, the shard of each of its words (usually one per word) and the files of the
// results it shows, never the whole corpus. Words are tokenized exactly as the build does.
// Shards and brief files are gzip-compressed JSON, inflated here with DecompressionStream.
(() => {
  'use strict';

  const form = document.querySelector('form[data-index]');
  if (!form) return;
  const input = form.querySelector('input[name="q"]');
  const status = document.getElementById('search-status');
  const list = document.getElementById('search-results');
  const more = document.getElementById('search-more');
  const indexUrl = form.getAttribute('data-index');
  const root = indexUrl.slice(0, indexUrl.lastIndexOf('/') + 1);
  const PAGE = 10;
  const PREFIX_MIN = 3;
  const PREFIX_WEIGHT = 0.7;

  // JSON, or gzip-compressed JSON. A server that sends a .gz file with Content-Encoding: gzip
  // has the browser inflate it already: JSON never starts with gzip's first byte (0x1f).
  const parse = async (response) => {
    const bytes = new Uint8Array(await response.arrayBuffer());
    if (bytes[0] !== 0x1f || bytes[1] !== 0x8b) return JSON.parse(new TextDecoder().decode(bytes));
    const inflated = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('gzip'));
    return JSON.parse(await new Response(inflated).text());
  };

  const cache = new Map();
  const load = (url) => {
    if (!cache.has(url)) {
      cache.set(url, fetch(url).then((response) => {
        if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
        return parse(response);
      }).catch((error) => { cache.delete(url); throw error; }));
    }
    return cache.get(url);
  };

  // As the build: runs of letters and digits, lowercased, 2 to 40 characters, no stop words.
  const WORD = /[\p{Alphabetic}\p{N}]+/gu;
  const tokenize = (text, stop) => (text.match(WORD) || [])
    .filter((w) => { const n = [...w].length; return n >= 2 && n <= 40; })
    .map((w) => w.toLowerCase())
    .filter((w) => !stop.has(w));

  // The shards that may hold `term` (and, for a prefix, the words starting with it).
  function shardsFor(firsts, term, prefix) {
    let home = 0;
    for (let i = 0; i < firsts.length; i++) {
      if (firsts[i] !== null && firsts[i] <= term) home = i;
    }
    const found = [home];
    if (prefix) {
      for (let i = home + 1; i < firsts.length && firsts[i] !== null && firsts[i].startsWith(term); i++) {
        found.push(i);
      }
    }
    return found;
  }

  // Brief id -> score for one query word, from the shards' postings.
  async function match(manifest, term) {
    const prefix = [...term].length >= PREFIX_MIN;
    const shards = await Promise.all(shardsFor(manifest.shards, term, prefix)
      .map((n) => load(`${root}i/${n}.json.gz`)));
    const scores = new Map();
    for (const shard of shards) {
      for (const word in shard) {
        const exact = word === term;
        if (!exact && !(prefix && word.startsWith(term))) continue;
        const postings = shard[word];
        const df = postings.length / 2;
        const idf = Math.log(1 + (manifest.docs - df + 0.5) / (df + 0.5));
        const factor = exact ? 1 : PREFIX_WEIGHT;
        let doc = 0;
        for (let i = 0; i < postings.length; i += 2) {
          doc += postings[i];
          const score = postings[i + 1] * idf * factor;
          if (!(scores.get(doc) >= score)) scores.set(doc, score);
        }
      }
    }
    return scores;
  }

  // Every word must match: the scores of the briefs matching all of them, best first.
  async function search(manifest, terms) {
    const perTerm = await Promise.all(terms.map((t) => match(manifest, t)));
    perTerm.sort((a, b) => a.size - b.size);
    const [first, ...rest] = perTerm;
    const results = [];
    for (const [doc, score] of first) {
      let total = score;
      let all = true;
      for (const other of rest) {
        const s = other.get(doc);
        if (s === undefined) { all = false; break; }
        total += s;
      }
      if (all) results.push([doc, total]);
    }
    // Ties go to the newer brief (smaller id).
    results.sort((a, b) => b[1] - a[1] || a[0] - b[0]);
    return results.map(([doc]) => doc);
  }

  // Appends `text` to `parent`, marking the words that match the query.
  function highlight(parent, text, terms) {
    let last = 0;
    for (const m of text.matchAll(WORD)) {
      const word = m[0].toLowerCase();
      const hit = terms.some((t) => word === t || ([...t].length >= PREFIX_MIN && word.startsWith(t)));
      if (!hit) continue;
      parent.append(text.slice(last, m.index));
      const mark = document.createElement('mark');
      mark.textContent = m[0];
      parent.append(mark);
      last = m.index + m[0].length;
    }
    parent.append(text.slice(last));
  }

  // About 30 words of `text` around the first match.
  function snippet(text, terms) {
    let at = 0;
    for (const m of text.matchAll(WORD)) {
      const word = m[0].toLowerCase();
      if (terms.some((t) => word === t || ([...t].length >= PREFIX_MIN && word.startsWith(t)))) {
        at = m.index;
        break;
      }
    }
    let start = Math.max(0, at - 80);
    if (start > 0) start = text.indexOf(' ', start) + 1 || start;
    let end = Math.min(text.length, start + 260);
    if (end < text.length) end = text.lastIndexOf(' ', end) > start ? text.lastIndexOf(' ', end) : end;
    return (start > 0 ? '… ' : '') + text.slice(start, end) + (end < text.length ? ' …' : '');
  }

  function resultItem(doc, terms) {
    const item = document.createElement('li');
    item.className = 'search-result';
    const heading = document.createElement('h2');
    heading.className = 'search-result-title';
    const link = document.createElement('a');
    link.href = doc.url;
    highlight(link, doc.title, terms);
    heading.append(link);
    const meta = document.createElement('p');
    meta.className = 'search-result-meta';
    // Standalone pages have no date.
    if (doc.date) {
      const time = document.createElement('time');
      time.dateTime = doc.date;
      time.textContent = doc.date_display;
      meta.append(time);
    }
    const separated = (text) => meta.append(meta.childNodes.length ? ` · ${text}` : text);
    if (doc.authors.length) separated(doc.authors.join(', '));
    if (doc.category) separated(doc.category);
    const text = document.createElement('p');
    text.className = 'search-result-snippet';
    highlight(text, snippet(doc.text, terms), terms);
    item.append(heading, meta, text);
    return item;
  }

  let generation = 0;
  let shown = [];
  let current = { results: [], terms: [] };

  async function showMore(mine) {
    const next = current.results.slice(shown.length, shown.length + PAGE);
    const docs = await Promise.all(next.map((id) => load(`${root}d/${id}.json.gz`)));
    if (mine !== generation) return;
    for (const doc of docs) list.append(resultItem(doc, current.terms));
    shown = shown.concat(next);
    more.hidden = shown.length >= current.results.length;
  }

  // Marks the results as complete for `query` (for tests and measurements).
  function ready(mine, query) {
    if (mine !== generation) return;
    list.setAttribute('data-ready-for', query);
    list.setAttribute('data-ready-ms', String(Math.round(performance.now())));
  }

  async function run(query) {
    const mine = ++generation;
    list.removeAttribute('data-ready-for');
    const url = new URL(window.location.href);
    if (query) url.searchParams.set('q', query); else url.searchParams.delete('q');
    window.history.replaceState(null, '', url);
    list.replaceChildren();
    more.hidden = true;
    shown = [];
    if (!query.trim()) { status.textContent = ''; ready(mine, query); return; }
    try {
      const manifest = await load(indexUrl);
      const stop = new Set(manifest.stop);
      const terms = [...new Set(tokenize(query, stop))];
      if (mine !== generation) return;
      if (!terms.length) {
        status.textContent = 'Type a word of two letters or more (very common words such as “the” are not searched).';
        ready(mine, query);
        return;
      }
      const results = await search(manifest, terms);
      if (mine !== generation) return;
      current = { results, terms };
      const count = results.length;
      status.textContent = count === 0
        ? `No briefs match “${query.trim()}”.`
        : `${count} brief${count === 1 ? '' : 's'} match${count === 1 ? 'es' : ''} “${query.trim()}”.`;
      await showMore(mine);
    } catch (error) {
      if (mine === generation) status.textContent = 'Search is unavailable: the index could not be loaded.';
      console.error(error);
    }
    ready(mine, query);
  }

  let timer;
  input.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(() => run(input.value), 200);
  });
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    clearTimeout(timer);
    run(input.value);
  });
  more.querySelector('button').addEventListener('click', () => showMore(generation));

  const initial = new URLSearchParams(window.location.search).get('q');
  if (initial) {
    input.value = initial;
    run(initial);
  }
})();
