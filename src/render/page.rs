//! What a page of the site is, in one place: the plan (every page, in render order) and, for each
//! page, its URL, the file it is written to, its template and whether the sitemap, the search index
//! and the feeds include it. The renderer, the sitemap, the feeds and the preview server's change
//! detection all ask this module rather than knowing pages themselves.

use super::search;
use super::urls::{self, Urls};
use crate::site::{Site, TermKind};

/// A brief: an index into `Site::briefs` (newest first).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct BriefId(pub usize);

/// An author: an index into `Site::authors`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct AuthorId(pub usize);

/// A category or tag: its kind and its index into `Site::categories` or `Site::tags`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct TermId {
    pub kind: TermKind,
    pub index: usize,
}

/// A year of the archive: an index into `Site::years`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct YearId(pub usize);

/// A standalone page: an index into `Site::pages`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct PageId(pub usize);

/// An alias's redirect: an index into `Site::redirects`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct RedirectId(pub usize);

/// A cited source: an index into `Site::sources`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct SourceId(pub usize);

/// One feed of the site.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Feed {
    /// `/atom.xml`.
    SiteAtom,
    /// `/rss.xml`.
    SiteRss,
    /// `/authors/<slug>/atom.xml`: an author's newest briefs.
    Author(AuthorId),
    /// `/categories/<slug>/atom.xml`: a category's newest briefs.
    Category(TermId),
}

/// One page of the site. Listings (home, author, term) come in pages numbered from 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Page {
    /// Page `n` of the home listing.
    Home(usize),
    Brief(BriefId),
    /// A standalone page (`pages/*.md`).
    Standalone(PageId),
    Authors,
    /// Page `n` of an author's listing.
    Author(AuthorId, usize),
    /// The list of every category or every tag.
    Taxonomy(TermKind),
    /// Page `n` of a category's or tag's listing.
    Term(TermId, usize),
    Archive,
    Year(YearId),
    /// The citation index.
    Citations,
    Source(SourceId),
    NotFound,
    /// `/citations.json` (CSL-JSON) and `/citations.bib` (BibLaTeX) of every cited source.
    CitationsJson,
    CitationsBib,
    /// An Atom or RSS feed.
    Feed(Feed),
    /// `/search/`, the search page.
    Search,
    /// `/search/index.json`, the search index's manifest.
    SearchIndex,
    /// `/search/i/<n>.json`, a shard of the search index.
    SearchShard(usize),
    /// `/search/d/<brief>.json`, what a search result shows of a brief.
    SearchDoc(BriefId),
    /// `/search/d/<briefs + page>.json`, what a search result shows of a standalone page.
    SearchPageDoc(PageId),
    /// A redirect page at an alias's path.
    Redirect(RedirectId),
    /// `/_redirects`, every alias for Netlify and Cloudflare Pages.
    Redirects,
    /// `/redirects.json`, the aliases with a query (`/?p=12`), for the script of the page at
    /// their path.
    QueryRedirects,
    /// `/sitemap.xml` when one file holds every URL (`None`), else `/sitemap-<n+1>.xml`.
    Sitemap(Option<usize>),
    /// `/sitemap.xml` as the index of the sitemap files, above 50,000 URLs.
    SitemapIndex,
    /// `/robots.txt`.
    Robots,
}

impl Page {
    /// The page's URL path, under the base path (`/blog/authors/`).
    pub fn url(self, site: &Site, urls: &Urls) -> String {
        match self {
            Page::Home(n) => urls.page(&urls.home(), n),
            Page::Brief(b) => urls.brief(&site.briefs[b.0].loaded.slug),
            Page::Standalone(p) => site.pages[p.0].url.clone(),
            Page::Authors => urls.section("authors"),
            Page::Author(a, n) => urls.page(&urls.author(&site.authors[a.0].slug), n),
            Page::Taxonomy(kind) => urls.section(kind.section()),
            Page::Term(t, n) => urls.page(&term_url(site, urls, t), n),
            Page::Archive => urls.section("archive"),
            Page::Year(y) => urls.year(site.years[y.0].0),
            Page::Citations => urls.section("citations"),
            Page::Source(s) => urls.source(&site.sources[s.0].slug),
            Page::NotFound => format!("{}404.html", urls.home()),
            Page::CitationsJson => format!("{}citations.json", urls.home()),
            Page::CitationsBib => format!("{}citations.bib", urls.home()),
            Page::Feed(feed) => feed_url(site, urls, feed),
            Page::Search => urls.section("search"),
            Page::SearchIndex => urls.asset(urls::SEARCH_MANIFEST),
            Page::SearchShard(n) => urls.asset(&urls::search_shard(n)),
            Page::SearchDoc(b) => urls.asset(&urls::search_doc(b.0)),
            Page::SearchPageDoc(p) => urls.asset(&urls::search_doc(site.briefs.len() + p.0)),
            Page::Redirect(r) => urls.asset(&site.redirects[r.0].from),
            Page::Redirects => format!("{}_redirects", urls.home()),
            Page::QueryRedirects => {
                format!("{}{}", urls.home(), super::pages::QUERY_REDIRECTS_FILE)
            }
            Page::Sitemap(Some(i)) => format!("{}sitemap-{}.xml", urls.home(), i + 1),
            Page::Sitemap(None) | Page::SitemapIndex => format!("{}sitemap.xml", urls.home()),
            Page::Robots => format!("{}robots.txt", urls.home()),
        }
    }

    /// The file the page is written to, relative to the output folder.
    pub fn output_path(self, site: &Site, urls: &Urls) -> String {
        urls.output_path(&self.url(site, urls))
    }

    /// The theme template the page is rendered with, or `None` for the files dossier writes
    /// itself (feeds, exports, the search index, the sitemap).
    pub fn template(self) -> Option<&'static str> {
        Some(match self {
            Page::Home(_) => "index.html",
            Page::Brief(_) => "brief.html",
            Page::Standalone(_) => "page.html",
            Page::Authors => "authors.html",
            Page::Author(..) => "author.html",
            Page::Taxonomy(_) => "taxonomy.html",
            Page::Term(..) => "term.html",
            Page::Archive => "archive.html",
            Page::Year(_) => "archive_year.html",
            Page::Citations => "citations.html",
            Page::Source(_) => "source.html",
            Page::NotFound => "404.html",
            Page::Search => "search.html",
            Page::CitationsJson
            | Page::CitationsBib
            | Page::Feed(_)
            | Page::SearchIndex
            | Page::SearchShard(_)
            | Page::SearchDoc(_)
            | Page::SearchPageDoc(_)
            | Page::Redirect(_)
            | Page::Redirects
            | Page::QueryRedirects
            | Page::Sitemap(_)
            | Page::SitemapIndex
            | Page::Robots => return None,
        })
    }

    /// Whether the sitemap lists the page: every HTML page but the 404 and search pages.
    pub fn in_sitemap(self) -> bool {
        matches!(
            self,
            Page::Home(_)
                | Page::Brief(_)
                | Page::Standalone(_)
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

    /// Whether the search index holds the page (with a result document of its own).
    pub fn in_search(self) -> bool {
        matches!(self, Page::Brief(_) | Page::Standalone(_))
    }

    /// Whether feeds carry the page as an entry.
    pub fn in_feeds(self) -> bool {
        matches!(self, Page::Brief(_))
    }

    /// When the page last changed, for the sitemap's `lastmod`: a brief's update or date, a
    /// standalone page's `updated`.
    pub fn lastmod(self, site: &Site) -> Option<String> {
        if let Page::Standalone(p) = self {
            return site.pages[p.0].loaded.front.updated.map(|d| d.iso());
        }
        let Page::Brief(b) = self else {
            return None;
        };
        let front = &site.briefs[b.0].loaded.front;
        Some(front.updated.unwrap_or(front.date).iso())
    }

    /// Pages built from the text of every brief at once, which take seconds on a large site: the
    /// search index. The preview server renders them when no change has come for a moment.
    pub fn is_deferred(self) -> bool {
        matches!(self, Page::SearchIndex | Page::SearchShard(_))
    }

    /// Whether the page shows formatted citations, or sources in their bibliography order, so
    /// that it can be rendered only once `Site::set_citations` has run (see
    /// `site::resolve_uncited`), or with its own citations formatted ahead (`site::Overlay`: a
    /// brief's, a source's or an author's page). Listings, archives and standalone pages need
    /// none.
    pub fn needs_citations(self) -> bool {
        !matches!(
            self,
            Page::Home(_)
                | Page::Standalone(_)
                | Page::Authors
                | Page::Taxonomy(_)
                | Page::Term(..)
                | Page::Archive
                | Page::Year(_)
                | Page::NotFound
                | Page::Search
                | Page::Redirect(_)
                | Page::Redirects
                | Page::QueryRedirects
                | Page::Robots
        )
    }
}

fn term_url(site: &Site, urls: &Urls, term: TermId) -> String {
    urls.term(term.kind, &site.terms(term.kind)[term.index].slug)
}

/// The URL path of a feed.
pub fn feed_url(site: &Site, urls: &Urls, feed: Feed) -> String {
    match feed {
        Feed::SiteAtom => format!("{}{}", urls.home(), urls::ATOM_FILE),
        Feed::SiteRss => format!("{}{}", urls.home(), urls::RSS_FILE),
        Feed::Author(a) => urls.author_feed(&site.authors[a.0].slug),
        Feed::Category(c) => urls.term_feed(c.kind, &site.terms(c.kind)[c.index].slug),
    }
}

/// Every feed of `site`, in plan order.
pub fn feeds(site: &Site) -> Vec<Feed> {
    let mut feeds = vec![Feed::SiteAtom, Feed::SiteRss];
    feeds.extend((0..site.authors.len()).map(|a| Feed::Author(AuthorId(a))));
    feeds.extend((0..site.categories.len()).map(|index| {
        Feed::Category(TermId {
            kind: TermKind::Category,
            index,
        })
    }));
    feeds
}

/// The protocol's limit of URLs per sitemap file.
pub const MAX_SITEMAP_URLS: usize = 50_000;

/// URLs per sitemap file: the protocol's limit, or (for tests, which cannot build 50,000 pages
/// quickly) `DOSSIER_SITEMAP_MAX_URLS`.
pub fn max_sitemap_urls() -> usize {
    std::env::var("DOSSIER_SITEMAP_MAX_URLS")
        .ok()
        .and_then(|v| v.parse().ok())
        .filter(|&n: &usize| n > 0)
        .unwrap_or(MAX_SITEMAP_URLS)
}

/// The number of pages of a listing of `count` briefs (at least one, even when empty).
pub fn pages_of(site: &Site, count: usize) -> usize {
    count.div_ceil(site.config.briefs_per_page).max(1)
}

/// Every page of `site`, in the order they are rendered.
pub fn plan(site: &Site) -> Vec<Page> {
    let pages_of = |count: usize| pages_of(site, count);
    let briefs = (0..site.briefs.len()).map(BriefId);
    let mut pages = Vec::new();
    pages.extend((1..=pages_of(site.briefs.len())).map(Page::Home));
    pages.extend(briefs.clone().map(Page::Brief));
    let standalone = (0..site.pages.len()).map(PageId);
    pages.extend(standalone.clone().map(Page::Standalone));
    pages.push(Page::Authors);
    for (a, author) in site.authors.iter().enumerate() {
        pages.extend((1..=pages_of(author.briefs.len())).map(|n| Page::Author(AuthorId(a), n)));
    }
    for kind in [TermKind::Category, TermKind::Tag] {
        pages.push(Page::Taxonomy(kind));
        for (index, term) in site.terms(kind).iter().enumerate() {
            let id = TermId { kind, index };
            pages.extend((1..=pages_of(term.briefs.len())).map(|n| Page::Term(id, n)));
        }
    }
    pages.push(Page::Archive);
    pages.extend((0..site.years.len()).map(|y| Page::Year(YearId(y))));
    pages.push(Page::Citations);
    pages.extend((0..site.sources.len()).map(|s| Page::Source(SourceId(s))));
    pages.push(Page::NotFound);
    pages.push(Page::CitationsJson);
    pages.push(Page::CitationsBib);
    pages.extend(feeds(site).into_iter().map(Page::Feed));
    pages.push(Page::Search);
    pages.push(Page::SearchIndex);
    pages.extend((0..search::shard_count(site)).map(Page::SearchShard));
    pages.extend(
        briefs
            .filter(|&b| Page::Brief(b).in_search())
            .map(Page::SearchDoc),
    );
    pages.extend(standalone.map(Page::SearchPageDoc));
    // Aliases with a query have no page: `_redirects` and the script of the page at their path
    // (see `QueryRedirects`) serve them.
    pages.extend(
        (0..site.redirects.len())
            .filter(|&r| site.redirects[r].output_path().is_some())
            .map(|r| Page::Redirect(RedirectId(r))),
    );
    if site.config.redirects.file && !site.redirects.is_empty() {
        pages.push(Page::Redirects);
    }
    if super::pages::has_query_aliases(site) {
        pages.push(Page::QueryRedirects);
    }
    // One sitemap file, or above the protocol's limit one per chunk and their index.
    let listed = pages.iter().filter(|p| p.in_sitemap()).count();
    let chunks = listed.div_ceil(max_sitemap_urls()).max(1);
    if chunks == 1 {
        pages.push(Page::Sitemap(None));
    } else {
        pages.extend((0..chunks).map(|i| Page::Sitemap(Some(i))));
        pages.push(Page::SitemapIndex);
    }
    pages.push(Page::Robots);
    pages
}
