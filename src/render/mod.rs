//! Stage 3, render: plan every page of the site, then render them in parallel with Tera and hand
//! each to the writer. The context every page shares is serialized once; per page only the page's
//! own view is added.

pub mod brief;
mod context;
pub mod feeds;
pub mod href;
pub mod page;
pub mod pages;
pub mod search;
pub mod sitemap;
pub mod theme;
pub mod urls;
pub mod views;

use std::sync::OnceLock;
use std::sync::atomic::{AtomicBool, Ordering};

use rayon::prelude::*;
use serde::Serialize;
use tera::Context;

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::site::{Overlay, Site};
pub(crate) use context::{Summaries, Views};
pub use page::{Page, plan};
pub use theme::Theme;
use urls::Urls;
pub use views::Summary;

/// A rendered page: its path relative to the output folder, and its HTML (or, for an export
/// file, its text).
pub struct Rendered {
    pub path: String,
    pub html: String,
    /// Written gzip-compressed: the search index's shards and documents (see `search::gzip`).
    pub gzip: bool,
}

impl Rendered {
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
    let pages = plan(site);
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
    views: Views<'a>,
    theme: &'a Theme,
    /// `site`, `urls` and `generator`, serialized once.
    base: Context,
    /// Built on first use: only the pages that need them pay for them.
    search_index: OnceLock<search::Index>,
    sitemap_entries: OnceLock<Vec<(String, Option<String>)>>,
    feed_contents: feeds::Contents,
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

impl<'a> Renderer<'a> {
    fn new(site: &'a Site, theme: &'a Theme) -> Renderer<'a> {
        Renderer::with_summaries(site, theme, Summaries::Owned(summaries(site)))
    }

    fn with_summaries(site: &'a Site, theme: &'a Theme, summaries: Summaries<'a>) -> Renderer<'a> {
        Renderer {
            base: base_context(site),
            views: Views::new(site, summaries),
            theme,
            search_index: OnceLock::new(),
            sitemap_entries: OnceLock::new(),
            feed_contents: feeds::Contents::new(site),
        }
    }

    fn render(&self, page: Page) -> Result<Rendered, Failure> {
        let (site, urls) = (self.views.site, &self.views.urls);
        let url = page.url(site, urls);
        let path = urls.output_path(&url);
        let Some(template) = page.template() else {
            let html = self.file(page);
            let gzip = written_gzipped(page);
            return Ok(Rendered { path, html, gzip });
        };
        let mut context = self.base.clone();
        for (name, value) in self.views.view(page) {
            context.insert_value(name, value);
        }
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
        let html = pages::with_query_redirect_script(site, urls, &url, html);
        Ok(Rendered {
            path,
            html,
            gzip: false,
        })
    }

    /// The pages that are files dossier writes itself rather than templates: the exports, the
    /// feeds, the search index, the sitemap.
    fn file(&self, page: Page) -> String {
        let views = &self.views;
        let (site, urls, summaries) = (views.site, &views.urls, &views.summaries);
        let search = || {
            self.search_index
                .get_or_init(|| search::build(search::doc_count(site), summaries))
        };
        match page {
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
                serde_json::to_string_pretty(&sources).expect("sources serialize to JSON")
            }
            Page::CitationsBib => {
                let entries: Vec<_> = site
                    .sources
                    .iter()
                    .map(|s| crate::cite::bibtex::write(&s.source))
                    .collect();
                entries.join("\n")
            }
            Page::Feed(feed) => feeds::render(site, urls, summaries, &self.feed_contents, feed),
            Page::SearchIndex | Page::SearchShard(_) => {
                index_file(search(), page).expect("the plan has one page per shard of the index")
            }
            Page::SearchDoc(b) => search::doc(summaries, b.0),
            Page::SearchPageDoc(p) => search::doc(summaries, site.briefs.len() + p.0),
            Page::Redirect(r) => pages::redirect_page(site, urls, &site.redirects[r.0]),
            Page::Redirects => pages::redirects_file(site, urls),
            Page::QueryRedirects => pages::query_redirects(site),
            Page::Sitemap(_) | Page::SitemapIndex | Page::Robots => {
                let entries = self.sitemap_entries.get_or_init(|| {
                    plan(site)
                        .into_iter()
                        .filter_map(|p| sitemap::entry(site, urls, p))
                        .collect()
                });
                sitemap::render(site, urls, page, entries)
            }
            _ => unreachable!("{page:?} is rendered with a template"),
        }
    }
}

/// What every page's context shares: `site`, `urls` and `generator`.
fn base_context(site: &Site) -> Context {
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
            atom: page::feed_url(site, &urls, page::Feed::SiteAtom),
            rss: page::feed_url(site, &urls, page::Feed::SiteRss),
            search: urls.section("search"),
            search_script: urls.asset("search.js"),
            search_index: urls.asset(urls::SEARCH_MANIFEST),
        },
    );
    // Menus by name; `main` is always there, for the theme's navigation.
    let mut menus = site.menus.clone();
    menus.entry("main".to_owned()).or_default();
    base.insert("menus", &menus);
    base.insert(
        "generator",
        &format!("dossier {}", env!("CARGO_PKG_VERSION")),
    );
    base
}

// For `dossier serve`, which keeps the site in memory and re-renders only the pages a change
// affects: rendering a chosen subset of the plan.

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

/// Renders one page of the plan on the calling thread, not on rayon's pool: the preview renders
/// a page asked for while the pool renders the rest of the site. A brief's or a source's page
/// shows its citations from `overlay`, formatted for it while the site's are not.
pub fn render_page(
    site: &Site,
    theme: &Theme,
    summaries: &[Summary],
    page: Page,
    overlay: Option<&Overlay>,
) -> Result<Rendered, Diagnostics> {
    let mut renderer = Renderer::with_summaries(site, theme, Summaries::Lent(summaries));
    renderer.views = renderer.views.with_overlay(overlay);
    renderer
        .render(page)
        .map_err(|failure| report(vec![failure]))
}

/// The files of the pages that wait for a quiet moment in the preview (`Page::is_deferred`: the
/// search index), as `Rendered::bytes` makes them, from the summaries alone (`docs`:
/// `search::doc_count`), so that the preview can make them on a thread of their own while it
/// takes in edits. Other pages get none. `None`: given up (see `search::build_unless`).
pub fn deferred_files(
    docs: usize,
    summaries: &[Summary],
    pages: &[Page],
    given_up: &AtomicBool,
) -> Option<Vec<Option<Vec<u8>>>> {
    let index = search::build_unless(docs, summaries, given_up)?;
    let files = pages
        .par_iter()
        .map(|&page| {
            let html = index_file(&index, page).filter(|_| !given_up.load(Ordering::Relaxed))?;
            let gzip = written_gzipped(page);
            Some(
                Rendered {
                    path: String::new(),
                    html,
                    gzip,
                }
                .bytes()
                .into_owned(),
            )
        })
        .collect();
    (!given_up.load(Ordering::Relaxed)).then_some(files)
}

/// The text of a page of the search index (`Page::is_deferred`), or `None` for another page.
fn index_file(index: &search::Index, page: Page) -> Option<String> {
    match page {
        Page::SearchIndex => Some(index.manifest.clone()),
        Page::SearchShard(n) => index.shards.get(n).cloned(),
        _ => None,
    }
}

/// Whether a page's file is written gzip-compressed (see `search::gzip`).
fn written_gzipped(page: Page) -> bool {
    matches!(
        page,
        Page::SearchShard(_) | Page::SearchDoc(_) | Page::SearchPageDoc(_)
    )
}

/// Every brief's summary, as listings show them.
/// Standalone pages' summaries follow the briefs' (search finds both; listings index briefs only).
pub fn summaries(site: &Site) -> Vec<Summary> {
    let urls = Urls::new(&site.config);
    let mut summaries: Vec<Summary> = site
        .briefs
        .par_iter()
        .map(|b| views::summary(site, &urls, b))
        .collect();
    summaries.extend(site.pages.iter().map(|p| pages::summary(&urls, p)));
    summaries
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;
    use std::path::Path;

    use super::*;
    use crate::pipeline::{Inputs, load_site};

    /// Every planned page is written where its URL points, and every link the views make to a
    /// page (summaries, author, term, source and feed links) is that page's URL: the page model and
    /// the views agree, and no two pages share a file.
    #[test]
    fn every_planned_page_is_written_at_its_url() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/basic");
        let inputs = Inputs {
            root: &root,
            base_url: None,
            drafts: false,
        };
        let (site, theme) = load_site(&inputs, false).expect("the fixture site loads");
        let renderer = Renderer::new(&site, &theme);
        let urls = &renderer.views.urls;
        let pages = plan(&site);
        let mut written = HashSet::new();
        for &page in &pages {
            let Ok(rendered) = renderer.render(page) else {
                panic!("{page:?} failed to render");
            };
            let url = page.url(&site, urls);
            assert!(url.starts_with(&urls.home()), "{page:?}: {url}");
            assert_eq!(rendered.path, urls.output_path(&url), "{page:?}");
            assert_eq!(rendered.path, page.output_path(&site, urls), "{page:?}");
            assert!(
                written.insert(rendered.path.clone()),
                "{page:?} written twice"
            );
            // What other pages link to is this page's URL.
            let linked = match page {
                Page::Brief(b) => Some(renderer.views.summaries[b.0].url.clone()),
                Page::Author(a, 1) => Some(views::author(&site, urls, a.0).url),
                Page::Term(t, 1) => Some(views::term(urls, &site.terms(t.kind)[t.index]).url),
                Page::Taxonomy(kind) => Some(views::taxonomy(urls, kind).url),
                Page::Source(s) => Some(views::source_link(urls, &site.sources[s.0]).url),
                Page::Year(y) => Some(urls.year(site.years[y.0].0)),
                Page::Feed(page::Feed::Author(a)) => Some(views::author(&site, urls, a.0).feed_url),
                Page::Feed(page::Feed::Category(c)) => {
                    views::term(urls, &site.terms(c.kind)[c.index]).feed_url
                }
                _ => None,
            };
            if let Some(linked) = linked {
                assert_eq!(linked, url, "{page:?}");
            }
        }
        // The fixture has pages of every kind that links are made to.
        for kind in ["Brief", "Author", "Term", "Source", "Year", "Feed"] {
            assert!(
                pages.iter().any(|p| format!("{p:?}").starts_with(kind)),
                "no {kind} page in the fixture"
            );
        }
    }
}
