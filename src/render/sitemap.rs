//! `sitemap.xml` (the sitemaps.org protocol) and `robots.txt`. A sitemap holds at most 50,000 URLs:
//! above that the URLs are split into `sitemap-1.xml`, `sitemap-2.xml`, ... and `sitemap.xml`
//! becomes their sitemap index. Every HTML page is listed except the 404 page and the search page;
//! brief pages carry their last update as `lastmod`.

use std::fmt::Write as _;

use super::page::{self, Page};
use super::urls::Urls;
use crate::html::xml_text;
use crate::site::Site;

const NAMESPACE: &str = "http://www.sitemaps.org/schemas/sitemap/0.9";

/// A page's URL path and last modification, when the page belongs in the sitemap.
pub fn entry(site: &Site, urls: &Urls, page: Page) -> Option<(String, Option<String>)> {
    page.in_sitemap()
        .then(|| (page.url(site, urls), page.lastmod(site)))
}

/// The sitemap file `page` of a site whose sitemap URLs (in plan order) are `entries`.
pub fn render(
    site: &Site,
    urls: &Urls,
    page: Page,
    entries: &[(String, Option<String>)],
) -> String {
    let per_file = page::max_sitemap_urls();
    let chunks = entries.len().div_ceil(per_file).max(1);
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    match page {
        Page::SitemapIndex => {
            let _ = writeln!(out, "<sitemapindex xmlns=\"{NAMESPACE}\">");
            for i in 0..chunks {
                let loc = urls.permalink(&Page::Sitemap(Some(i)).url(site, urls));
                let _ = writeln!(out, "  <sitemap><loc>{}</loc></sitemap>", xml_text(&loc));
            }
            out.push_str("</sitemapindex>\n");
        }
        Page::Sitemap(i) => {
            let i = i.unwrap_or(0);
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
        _ => return robots(site, urls),
    }
    out
}

/// `robots.txt`: everything may be crawled; the sitemap is named with its absolute URL.
pub fn robots(site: &Site, urls: &Urls) -> String {
    format!(
        "User-agent: *\nAllow: /\n\nSitemap: {}\n",
        urls.permalink(&Page::SitemapIndex.url(site, urls))
    )
}
