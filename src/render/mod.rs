//! Stage 3, render: plan every page of the site, then render them in parallel with Tera and hand
//! each to the writer. The context every page shares is serialized once; per page only the page's
//! own view is added.

pub mod brief;
pub mod feeds;
pub mod href;
pub mod search;
pub mod sitemap;
pub mod text;
pub mod theme;
pub mod urls;
pub mod views;

use std::sync::OnceLock;

use rayon::prelude::*;
use serde::Serialize;
use tera::Context;

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::site::{Site, TermKind};
pub use theme::Theme;
use urls::Urls;
pub use views::Summary;

/// One page to render.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Page {
    /// Home, page `n` (1-based).
    Home(usize),
    Brief(usize),
    Authors,
    Author(usize, usize),
    Taxonomy(TermKind),
    Term(TermKind, usize, usize),
    Archive,
    Year(usize),
    Citations,
    Source(usize),
    NotFound,
    /// `/citations.json` (CSL-JSON) and `/citations.bib` (BibLaTeX) of every cited source.
    CitationsJson,
    CitationsBib,
    /// An Atom or RSS feed.
    Feed(feeds::Feed),
    /// `/search/`, the search page.
    Search,
    /// `/search/index.json`, the search index's manifest.
    SearchIndex,
    /// `/search/i/<n>.json`, a shard of the search index.
    SearchShard(usize),
    /// `/search/d/<brief>.json`, what a search result shows of a brief.
    SearchDoc(usize),
    /// `/sitemap.xml`, or above 50,000 URLs `/sitemap-<n+1>.xml`.
    Sitemap(usize),
    /// `/sitemap.xml` as the index of the sitemap files, above 50,000 URLs.
    SitemapIndex,
    /// `/robots.txt`.
    Robots,
}

/// A rendered page: its path relative to the output folder, and its HTML (or, for an export
/// file, its text).
pub struct Rendered {
    pub path: String,
    pub html: String,
    /// Written gzip-compressed: the search index's shards and documents (see `search::gzip`).
    pub gzip: bool,
}

impl Rendered {
    fn page(path: String, html: String) -> Rendered {
        Rendered {
            path,
            html,
            gzip: false,
        }
    }

    /// The bytes of the file: the text, or its gzip.
    pub fn bytes(&self) -> std::borrow::Cow<'_, [u8]> {
        if self.gzip {
            std::borrow::Cow::Owned(search::gzip(&self.html))
        } else {
            std::borrow::Cow::Borrowed(self.html.as_bytes())
        }
    }
}

/// Renders every page and passes it to `write`, in parallel. Returns the number of pages.
pub fn render_site<W>(
    site: &Site,
    theme: &Theme,
    write: W,
    progress: &indicatif::ProgressBar,
) -> Result<usize, Diagnostics>
where
    W: Fn(Rendered) -> Result<(), Diagnostic> + Sync,
{
    let renderer = Renderer::new(site, theme);
    let pages = renderer.plan();
    progress.set_length(pages.len() as u64);
    let failures: Vec<Failure> = pages
        .par_iter()
        .filter_map(|page| {
            let result = renderer
                .render(*page)
                .and_then(|rendered| write(rendered).map_err(Failure::Other));
            progress.inc(1);
            result.err()
        })
        .collect();
    report(failures).into_result(pages.len())
}

/// Why a page was not made.
enum Failure {
    /// Its template failed at `diagnostic`'s place: the same mistake usually fails every page
    /// made with that template, so these are reported once, with the pages counted.
    Template {
        url: String,
        template: &'static str,
        diagnostic: Box<Diagnostic>,
    },
    Other(Diagnostic),
}

/// The failures as diagnostics: one per distinct template error, naming the first page it
/// failed (in plan order) and how many others.
fn report(failures: Vec<Failure>) -> Diagnostics {
    type Error = (&'static str, Diagnostic);
    let mut by_error: Vec<(Error, String, usize)> = Vec::new();
    let mut seen: std::collections::HashMap<Error, usize> = std::collections::HashMap::new();
    let mut diagnostics = Diagnostics::default();
    for failure in failures {
        match failure {
            Failure::Template {
                url,
                template,
                diagnostic,
            } => {
                let error = (template, *diagnostic);
                match seen.get(&error) {
                    Some(&i) => by_error[i].2 += 1,
                    None => {
                        seen.insert(error.clone(), by_error.len());
                        by_error.push((error, url, 0));
                    }
                }
            }
            Failure::Other(diagnostic) => diagnostics.push(diagnostic),
        }
    }
    for ((template, mut diagnostic), url, others) in by_error {
        let pages = match others {
            0 => url,
            1 => format!("{url} and 1 other page"),
            n => format!("{url} and {n} other pages"),
        };
        diagnostic.message = format!(
            "cannot render {pages} with {template}: {}",
            diagnostic.message
        );
        diagnostics.push(diagnostic);
    }
    diagnostics
}

struct Renderer<'a> {
    site: &'a Site,
    theme: &'a Theme,
    urls: Urls,
    /// Built once: every listing reuses them.
    summaries: Summaries<'a>,
    /// Each summary as a Tera value, made on first use and then shared (Tera's values are
    /// reference-counted): a brief appears in a dozen listings, related lists and source pages.
    shared: Vec<OnceLock<tera::Value>>,
    /// `site`, `urls` and `generator`, serialized once.
    base: Context,
    /// Built on first use: only the pages that need them pay for them.
    search_index: OnceLock<search::Index>,
    sitemap_entries: OnceLock<Vec<(String, Option<String>)>>,
    feed_contents: feeds::Contents,
    /// `0..briefs`, the home listing's briefs, made once rather than for each of its pages.
    every_brief: Vec<usize>,
}

#[derive(Serialize)]
struct SiteView<'a> {
    title: &'a str,
    description: &'a str,
    base_url: &'a str,
    language: &'a str,
    disclosure_html: &'a str,
    organization: &'a Option<crate::config::Organization>,
    citation_style: CitationStyleView<'a>,
    extra: &'a toml::Table,
}

#[derive(Serialize)]
struct CitationStyleView<'a> {
    name: &'a str,
    /// Citations are numbered notes (Chicago notes) rather than in the text (author-date).
    note: bool,
    /// Citations are numbers into the brief's reference list (IEEE).
    numeric: bool,
}

#[derive(Serialize)]
struct SiteUrls {
    home: String,
    authors: String,
    categories: String,
    tags: String,
    archive: String,
    citations: String,
    stylesheet: String,
    /// The site's Atom and RSS feeds.
    atom: String,
    rss: String,
    /// The search page, its script and the index's manifest.
    search: String,
    search_script: String,
    search_index: String,
}

#[derive(Serialize)]
struct Month {
    name: &'static str,
    briefs: Vec<tera::Value>,
}

#[derive(Serialize)]
struct Paginator {
    current: usize,
    total: usize,
    prev_url: Option<String>,
    next_url: Option<String>,
    pages: Vec<PageLink>,
}

#[derive(Serialize)]
struct PageLink {
    number: usize,
    url: String,
    current: bool,
    /// Pages are left out before this one.
    gap_before: bool,
}

impl<'a> Renderer<'a> {
    fn new(site: &'a Site, theme: &'a Theme) -> Renderer<'a> {
        Renderer::with_summaries(site, theme, Summaries::Owned(summaries(site)))
    }

    fn with_summaries(site: &'a Site, theme: &'a Theme, summaries: Summaries<'a>) -> Renderer<'a> {
        let urls = Urls::new(&site.config);
        let mut base = Context::new();
        base.insert(
            "site",
            &SiteView {
                title: &site.config.title,
                description: &site.config.description,
                base_url: site.config.base_url(),
                language: &site.config.language,
                disclosure_html: &site.disclosure_html,
                organization: &site.config.organization,
                citation_style: CitationStyleView {
                    name: &site.style.name,
                    note: site.style.is_note_style(),
                    numeric: site.style.is_numeric(),
                },
                extra: &site.config.extra,
            },
        );
        base.insert(
            "urls",
            &SiteUrls {
                home: urls.home(),
                authors: urls.section("authors"),
                categories: urls.section("categories"),
                tags: urls.section("tags"),
                archive: urls.section("archive"),
                citations: urls.section("citations"),
                stylesheet: urls.asset("style.css"),
                atom: feeds::url(site, &urls, feeds::Feed::SiteAtom),
                rss: feeds::url(site, &urls, feeds::Feed::SiteRss),
                search: urls.section("search"),
                search_script: urls.asset("search.js"),
                search_index: urls.asset(search::manifest_path()),
            },
        );
        base.insert(
            "generator",
            &format!("dossier {}", env!("CARGO_PKG_VERSION")),
        );
        Renderer {
            site,
            theme,
            urls,
            shared: (0..summaries.len()).map(|_| OnceLock::new()).collect(),
            summaries,
            base,
            search_index: OnceLock::new(),
            sitemap_entries: OnceLock::new(),
            feed_contents: feeds::Contents::new(site.briefs.len()),
            every_brief: (0..site.briefs.len()).collect(),
        }
    }

    /// Brief `b`'s summary as a Tera value, shared with every other page that shows it.
    fn shared_summary(&self, b: usize) -> tera::Value {
        self.shared[b]
            .get_or_init(|| tera::Value::from_serializable(&self.summaries[b]))
            .clone()
    }

    fn pages_of(&self, count: usize) -> usize {
        count.div_ceil(self.site.config.briefs_per_page).max(1)
    }

    fn plan(&self) -> Vec<Page> {
        plan(self.site)
    }

    fn render(&self, page: Page) -> Result<Rendered, Failure> {
        let site = self.site;
        let urls = &self.urls;
        let mut context = self.base.clone();
        let (url, template) = match page {
            Page::Home(n) => {
                let url = urls.page(&urls.home(), n);
                self.listing(&mut context, &urls.home(), n, &self.every_brief);
                (url, "index.html")
            }
            Page::Brief(b) => {
                let summary = &self.summaries[b];
                context.insert(
                    "brief",
                    &brief::view(site, urls, b, &self.summaries, |r| self.shared_summary(r)),
                );
                let link = |i: usize| {
                    let s = &self.summaries[i];
                    serde_json::json!({ "title": s.title, "url": s.url })
                };
                context.insert("newer", &b.checked_sub(1).map(link));
                context.insert("older", &(b + 1 < site.briefs.len()).then(|| link(b + 1)));
                (summary.url.clone(), "brief.html")
            }
            Page::Authors => {
                let authors: Vec<_> = (0..site.authors.len())
                    .map(|a| views::author(site, urls, a))
                    .collect();
                context.insert("authors", &authors);
                (urls.section("authors"), "authors.html")
            }
            Page::Author(a, n) => {
                let author = &site.authors[a];
                let first = urls.author(&author.slug);
                context.insert("author", &views::author(site, urls, a));
                // Shown on an author's first page only.
                let top: Vec<_> = author
                    .top_sources
                    .iter()
                    .filter(|_| n == 1)
                    .map(|&(s, count)| views::TopSource {
                        source: views::source_link(urls, &site.sources[s]),
                        count,
                    })
                    .collect();
                context.insert("top_sources", &top);
                self.listing(&mut context, &first, n, &author.briefs);
                (urls.page(&first, n), "author.html")
            }
            Page::Taxonomy(kind) => {
                let terms: Vec<_> = self
                    .terms(kind)
                    .iter()
                    .map(|t| views::term(urls, t))
                    .collect();
                context.insert("taxonomy", &views::taxonomy(urls, kind));
                context.insert("terms", &terms);
                (urls.section(kind.section()), "taxonomy.html")
            }
            Page::Term(kind, t, n) => {
                let term = &self.terms(kind)[t];
                let first = urls.term(kind, &term.slug);
                context.insert("taxonomy", &views::taxonomy(urls, kind));
                context.insert("term", &views::term(urls, term));
                self.listing(&mut context, &first, n, &term.briefs);
                (urls.page(&first, n), "term.html")
            }
            Page::Archive => {
                let years: Vec<_> = site
                    .years
                    .iter()
                    .map(|(year, briefs)| serde_json::json!({ "year": year, "url": urls.year(*year), "count": briefs.len() }))
                    .collect();
                context.insert("years", &years);
                (urls.section("archive"), "archive.html")
            }
            Page::Year(y) => {
                let (year, briefs) = &site.years[y];
                let mut months: Vec<(i8, Vec<tera::Value>)> = Vec::new();
                for &b in briefs {
                    let month = site.briefs[b].loaded.front.date.date.month();
                    match months.last_mut() {
                        Some((m, list)) if *m == month => list.push(self.shared_summary(b)),
                        _ => months.push((month, vec![self.shared_summary(b)])),
                    }
                }
                let months: Vec<_> = months
                    .into_iter()
                    .map(|(m, briefs)| Month {
                        name: crate::cite::source::month_name(m.into()),
                        briefs,
                    })
                    .collect();
                context.insert("year", year);
                context.insert("months", &months);
                (urls.year(*year), "archive_year.html")
            }
            Page::Citations => {
                let groups: Vec<_> = views::SOURCE_GROUPS
                    .iter()
                    .filter_map(|(kind, label)| {
                        let sources: Vec<_> = site
                            .sources
                            .iter()
                            .filter(|s| views::source_group(&s.source).0 == *kind)
                            .map(|s| views::index_entry(urls, s, &self.summaries))
                            .collect();
                        (!sources.is_empty()).then(|| serde_json::json!({ "kind": kind, "label": label, "sources": sources }))
                    })
                    .collect();
                context.insert("groups", &groups);
                (urls.section("citations"), "citations.html")
            }
            Page::Source(s) => {
                let source = views::source(urls, &site.sources[s], |b| self.shared_summary(b));
                let url = source.url.clone();
                context.insert("source", &source);
                (url, "source.html")
            }
            Page::NotFound => (format!("{}404.html", urls.home()), "404.html"),
            Page::CitationsJson => {
                // Reference managers open `URL` as a link: only web addresses go there.
                let sources: Vec<_> = site
                    .sources
                    .iter()
                    .map(|s| crate::cite::Source {
                        url: s.source.url.clone().filter(|u| crate::html::is_web_url(u)),
                        ..s.source.clone()
                    })
                    .collect();
                return Ok(Rendered::page(
                    "citations.json".to_owned(),
                    serde_json::to_string_pretty(&sources).unwrap_or_default(),
                ));
            }
            Page::CitationsBib => {
                let entries: Vec<_> = site
                    .sources
                    .iter()
                    .map(|s| crate::cite::bibtex::write(&s.source))
                    .collect();
                return Ok(Rendered::page(
                    "citations.bib".to_owned(),
                    entries.join("\n"),
                ));
            }
            Page::Search => (urls.section("search"), "search.html"),
            Page::Feed(_)
            | Page::SearchIndex
            | Page::SearchShard(_)
            | Page::SearchDoc(_)
            | Page::Sitemap(_)
            | Page::SitemapIndex
            | Page::Robots => return Ok(self.render_file(page)),
        };
        context.insert("page_permalink", &urls.permalink(&url));
        context.insert("page_url", &url);
        let html = self
            .theme
            .tera
            .render(template, &context)
            .map_err(|err| Failure::Template {
                diagnostic: Box::new(self.theme.render_error(&err, template)),
                url: url.clone(),
                template,
            })?;
        Ok(Rendered::page(urls.output_path(&url), html))
    }

    /// The pages that are files rather than templates: feeds, the search index, the sitemap.
    fn render_file(&self, page: Page) -> Rendered {
        let (site, urls) = (self.site, &self.urls);
        let search = || {
            self.search_index
                .get_or_init(|| search::build(site, &self.summaries))
        };
        let sitemap = || {
            self.sitemap_entries.get_or_init(|| {
                plan(site)
                    .into_iter()
                    .filter_map(|p| sitemap::entry(site, urls, p))
                    .collect()
            })
        };
        let (url, text) = match page {
            Page::Feed(feed) => (
                feeds::url(site, urls, feed),
                feeds::render(site, urls, &self.summaries, &self.feed_contents, feed),
            ),
            Page::SearchIndex => (
                urls.asset(search::manifest_path()),
                search().manifest.clone(),
            ),
            Page::SearchShard(n) => (
                urls.asset(&search::shard_path(n)),
                search().shards.get(n).cloned().unwrap_or_default(),
            ),
            Page::SearchDoc(b) => (
                urls.asset(&search::doc_path(b)),
                search::doc(&self.summaries, b),
            ),
            _ => {
                let entries = sitemap();
                let chunks = entries.len().div_ceil(sitemap::max_urls()).max(1);
                (
                    sitemap::url(urls, page, chunks),
                    sitemap::render(urls, page, entries),
                )
            }
        };
        Rendered {
            path: urls.output_path(&url),
            html: text,
            gzip: matches!(page, Page::SearchShard(_) | Page::SearchDoc(_)),
        }
    }

    fn terms(&self, kind: TermKind) -> &'a [crate::site::Term] {
        match kind {
            TermKind::Category => &self.site.categories,
            TermKind::Tag => &self.site.tags,
        }
    }

    /// Adds page `n` of `briefs` and its paginator to a listing's context.
    fn listing(&self, context: &mut Context, first: &str, n: usize, briefs: &[usize]) {
        let per_page = self.site.config.briefs_per_page;
        let total = self.pages_of(briefs.len());
        let shown: Vec<tera::Value> = briefs
            .iter()
            .skip((n - 1) * per_page)
            .take(per_page)
            .map(|&b| self.shared_summary(b))
            .collect();
        let paginator = Paginator {
            current: n,
            total,
            prev_url: (n > 1).then(|| self.urls.page(first, n - 1)),
            next_url: (n < total).then(|| self.urls.page(first, n + 1)),
            // First, last and two either side of the current page: a listing of thousands of
            // pages must not print every number on every page.
            pages: (1..=total)
                .filter(|&k| k == 1 || k == total || k.abs_diff(n) <= 2)
                .scan(0, |previous, k| {
                    let gap_before = k > *previous + 1;
                    *previous = k;
                    Some(PageLink {
                        number: k,
                        url: self.urls.page(first, k),
                        current: k == n,
                        gap_before,
                    })
                })
                .collect(),
        };
        context.insert("briefs", &shown);
        context.insert("paginator", &paginator);
    }
}

// For `dossier serve`, which keeps the site in memory and re-renders only the pages a change
// affects: the plan on its own, and rendering a chosen subset of it.

/// Every page of `site`, in the order `render_site` renders them.
pub fn plan(site: &Site) -> Vec<Page> {
    let pages_of = |count: usize| count.div_ceil(site.config.briefs_per_page).max(1);
    let mut pages = Vec::new();
    pages.extend((1..=pages_of(site.briefs.len())).map(Page::Home));
    pages.extend((0..site.briefs.len()).map(Page::Brief));
    pages.push(Page::Authors);
    for (a, author) in site.authors.iter().enumerate() {
        pages.extend((1..=pages_of(author.briefs.len())).map(|n| Page::Author(a, n)));
    }
    for (kind, terms) in [
        (TermKind::Category, &site.categories),
        (TermKind::Tag, &site.tags),
    ] {
        pages.push(Page::Taxonomy(kind));
        for (t, term) in terms.iter().enumerate() {
            pages.extend((1..=pages_of(term.briefs.len())).map(|n| Page::Term(kind, t, n)));
        }
    }
    pages.push(Page::Archive);
    pages.extend((0..site.years.len()).map(Page::Year));
    pages.push(Page::Citations);
    pages.extend((0..site.sources.len()).map(Page::Source));
    pages.push(Page::NotFound);
    pages.push(Page::CitationsJson);
    pages.push(Page::CitationsBib);
    pages.extend(feeds::all(site).into_iter().map(Page::Feed));
    pages.push(Page::Search);
    pages.push(Page::SearchIndex);
    pages.extend((0..search::shard_count(site)).map(Page::SearchShard));
    pages.extend((0..site.briefs.len()).map(Page::SearchDoc));
    let listed = pages.iter().filter(|p| is_in_sitemap(**p)).count();
    pages.extend(sitemap::pages(listed));
    pages
}

/// Whether the sitemap lists `page`: every HTML page but the 404 and search pages.
fn is_in_sitemap(page: Page) -> bool {
    matches!(
        page,
        Page::Home(_)
            | Page::Brief(_)
            | Page::Authors
            | Page::Author(..)
            | Page::Taxonomy(_)
            | Page::Term(..)
            | Page::Archive
            | Page::Year(_)
            | Page::Citations
            | Page::Source(_)
    )
}

/// Renders `pages` (from `plan` of this `site`) in parallel and passes each to `write`.
/// `summaries` are those of `summaries(site)`, kept by the caller between calls.
pub fn render_pages<W>(
    site: &Site,
    theme: &Theme,
    summaries: &[Summary],
    pages: &[Page],
    write: W,
) -> Result<(), Diagnostics>
where
    W: Fn(Page, Rendered) -> Result<(), Diagnostic> + Sync,
{
    let renderer = Renderer::with_summaries(site, theme, Summaries::Lent(summaries));
    let failures: Vec<Failure> = pages
        .par_iter()
        .filter_map(|&page| {
            renderer
                .render(page)
                .and_then(|r| write(page, r).map_err(Failure::Other))
                .err()
        })
        .collect();
    report(failures).into_result(())
}

/// Every brief's summary, as listings show them.
pub fn summaries(site: &Site) -> Vec<Summary> {
    let urls = Urls::new(&site.config);
    site.briefs
        .par_iter()
        .map(|b| views::summary(site, &urls, b))
        .collect()
}

/// Summaries the renderer built, or that were lent to it.
enum Summaries<'a> {
    Owned(Vec<Summary>),
    Lent(&'a [Summary]),
}

impl std::ops::Deref for Summaries<'_> {
    type Target = [Summary];

    fn deref(&self) -> &[Summary] {
        match self {
            Summaries::Owned(summaries) => summaries,
            Summaries::Lent(summaries) => summaries,
        }
    }
}
