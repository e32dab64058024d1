//! `sitemap.xml` (the sitemaps.org protocol) and `robots.txt`. A sitemap holds at most 50,000 URLs:
//! above that the URLs are split into `sitemap-1.xml`, `sitemap-2.xml`, ... and `sitemap.xml`
//! becomes their sitemap index. Every HTML page is listed except the 404 page and the search page;
//! brief pages carry their last update as `lastmod`.

use std::fmt::Write as _;

use super::Page;
use super::feeds::xml_text;
use super::urls::Urls;
use crate::site::{Site, TermKind};

/// The protocol's limit of URLs per sitemap file.
pub const MAX_URLS: usize = 50_000;

const NAMESPACE: &str = "http://www.sitemaps.org/schemas/sitemap/0.9";

/// URLs per sitemap file: the protocol's limit, or (for tests, which cannot build 50,000 pages
/// quickly) `DOSSIER_SITEMAP_MAX_URLS`.
pub fn max_urls() -> usize {
    std::env::var("DOSSIER_SITEMAP_MAX_URLS")
        .ok()
        .and_then(|v| v.parse().ok())
        .filter(|&n: &usize| n > 0)
        .unwrap_or(MAX_URLS)
}

/// The sitemap pages for a plan listing `urls` sitemap URLs: one `Sitemap(0)`, or the index and
/// one file per chunk.
pub fn pages(url_count: usize) -> Vec<Page> {
    let chunks = url_count.div_ceil(max_urls()).max(1);
    let mut pages: Vec<Page> = (0..chunks).map(Page::Sitemap).collect();
    if chunks > 1 {
        pages.push(Page::SitemapIndex);
    }
    pages.push(Page::Robots);
    pages
}

/// The URL path of a sitemap page (`Sitemap`, `SitemapIndex` or `Robots`).
pub fn url(urls: &Urls, page: Page, chunks: usize) -> String {
    match page {
        Page::Sitemap(i) if chunks > 1 => format!("{}sitemap-{}.xml", urls.home(), i + 1),
        Page::Robots => format!("{}robots.txt", urls.home()),
        _ => format!("{}sitemap.xml", urls.home()),
    }
}

/// A page's URL path and last modification, when the page belongs in the sitemap.
pub fn entry(site: &Site, urls: &Urls, page: Page) -> Option<(String, Option<String>)> {
    let terms = |kind: TermKind| match kind {
        TermKind::Category => &site.categories,
        TermKind::Tag => &site.tags,
    };
    let url = match page {
        Page::Home(n) => urls.page(&urls.home(), n),
        Page::Brief(b) => {
            let brief = &site.briefs[b];
            let front = &brief.loaded.front;
            let lastmod = front.updated.unwrap_or(front.date).iso();
            return Some((urls.brief(&brief.loaded.slug), Some(lastmod)));
        }
        Page::Authors => urls.section("authors"),
        Page::Author(a, n) => urls.page(&urls.author(&site.authors[a].slug), n),
        Page::Taxonomy(kind) => urls.section(kind.section()),
        Page::Term(kind, t, n) => urls.page(&urls.term(kind, &terms(kind)[t].slug), n),
        Page::Archive => urls.section("archive"),
        Page::Year(y) => urls.year(site.years[y].0),
        Page::Citations => urls.section("citations"),
        Page::Source(s) => urls.source(&site.sources[s].slug),
        _ => return None,
    };
    Some((url, None))
}

/// The sitemap file `page` of a site whose sitemap URLs (in plan order) are `entries`.
pub fn render(urls: &Urls, page: Page, entries: &[(String, Option<String>)]) -> String {
    let per_file = max_urls();
    let chunks = entries.len().div_ceil(per_file).max(1);
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    match page {
        Page::SitemapIndex => {
            let _ = writeln!(out, "<sitemapindex xmlns=\"{NAMESPACE}\">");
            for i in 0..chunks {
                let loc = urls.permalink(&url(urls, Page::Sitemap(i), chunks));
                let _ = writeln!(out, "  <sitemap><loc>{}</loc></sitemap>", xml_text(&loc));
            }
            out.push_str("</sitemapindex>\n");
        }
        Page::Sitemap(i) => {
            let _ = writeln!(out, "<urlset xmlns=\"{NAMESPACE}\">");
            for (path, lastmod) in entries.iter().skip(i * per_file).take(per_file) {
                let loc = xml_text(&urls.permalink(path));
                match lastmod {
                    Some(lastmod) => {
                        let _ = writeln!(
                            out,
                            "  <url><loc>{loc}</loc><lastmod>{lastmod}</lastmod></url>"
                        );
                    }
                    None => {
                        let _ = writeln!(out, "  <url><loc>{loc}</loc></url>");
                    }
                }
            }
            out.push_str("</urlset>\n");
        }
        _ => return robots(urls),
    }
    out
}

/// `robots.txt`: everything may be crawled; the sitemap is named with its absolute URL.
pub fn robots(urls: &Urls) -> String {
    format!(
        "User-agent: *\nAllow: /\n\nSitemap: {}\n",
        urls.permalink(&format!("{}sitemap.xml", urls.home()))
    )
}
