//! Stage 3, render: plan every page of the site, then render them in parallel with Tera and hand
//! each to the writer. The context every page shares is serialized once; per page only the page's
//! own view is added.

pub mod theme;
pub mod urls;
pub mod views;

use rayon::prelude::*;
use serde::Serialize;
use tera::Context;

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::site::{Site, TermKind};
pub use theme::Theme;
use urls::Urls;
use views::Summary;

/// One page to render.
#[derive(Debug, Clone, Copy)]
enum Page {
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
}

/// A rendered page: its path relative to the output folder, and its HTML.
pub struct Rendered {
    pub path: String,
    pub html: String,
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
    let problems: Vec<Diagnostic> = pages
        .par_iter()
        .filter_map(|page| {
            let result = renderer.render(*page).and_then(&write);
            progress.inc(1);
            result.err()
        })
        .collect();
    let mut diagnostics = Diagnostics::default();
    diagnostics.extend(problems);
    diagnostics.into_result(pages.len())
}

struct Renderer<'a> {
    site: &'a Site,
    theme: &'a Theme,
    urls: Urls,
    /// Built once: every listing reuses them.
    summaries: Vec<Summary>,
    /// `site`, `urls` and `generator`, serialized once.
    base: Context,
}

#[derive(Serialize)]
struct SiteView<'a> {
    title: &'a str,
    description: &'a str,
    base_url: &'a str,
    language: &'a str,
    disclosure_html: &'a str,
    organization: &'a Option<crate::config::Organization>,
    extra: &'a toml::Table,
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
}

impl<'a> Renderer<'a> {
    fn new(site: &'a Site, theme: &'a Theme) -> Renderer<'a> {
        let urls = Urls::new(&site.config);
        let summaries = site
            .briefs
            .par_iter()
            .map(|b| views::summary(site, &urls, b))
            .collect();
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
            summaries,
            base,
        }
    }

    fn pages_of(&self, count: usize) -> usize {
        count.div_ceil(self.site.config.briefs_per_page).max(1)
    }

    fn plan(&self) -> Vec<Page> {
        let site = self.site;
        let mut pages = Vec::new();
        pages.extend((1..=self.pages_of(site.briefs.len())).map(Page::Home));
        pages.extend((0..site.briefs.len()).map(Page::Brief));
        pages.push(Page::Authors);
        for (a, author) in site.authors.iter().enumerate() {
            pages.extend((1..=self.pages_of(author.briefs.len())).map(|n| Page::Author(a, n)));
        }
        for (kind, terms) in [
            (TermKind::Category, &site.categories),
            (TermKind::Tag, &site.tags),
        ] {
            pages.push(Page::Taxonomy(kind));
            for (t, term) in terms.iter().enumerate() {
                pages
                    .extend((1..=self.pages_of(term.briefs.len())).map(|n| Page::Term(kind, t, n)));
            }
        }
        pages.push(Page::Archive);
        pages.extend((0..site.years.len()).map(Page::Year));
        pages.push(Page::Citations);
        pages.extend((0..site.sources.len()).map(Page::Source));
        pages.push(Page::NotFound);
        pages
    }

    fn render(&self, page: Page) -> Result<Rendered, Diagnostic> {
        let site = self.site;
        let urls = &self.urls;
        let mut context = self.base.clone();
        let (url, template) = match page {
            Page::Home(n) => {
                let url = urls.page(&urls.home(), n);
                self.listing(
                    &mut context,
                    &urls.home(),
                    n,
                    &(0..site.briefs.len()).collect::<Vec<_>>(),
                );
                (url, "index.html")
            }
            Page::Brief(b) => {
                let summary = &self.summaries[b];
                context.insert("brief", &views::brief(site, urls, b, summary));
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
                let mut months: Vec<(i8, Vec<&Summary>)> = Vec::new();
                for &b in briefs {
                    let month = site.briefs[b].loaded.front.date.date.month();
                    match months.last_mut() {
                        Some((m, list)) if *m == month => list.push(&self.summaries[b]),
                        _ => months.push((month, vec![&self.summaries[b]])),
                    }
                }
                let months: Vec<_> = months
                    .into_iter()
                    .map(|(m, briefs)| serde_json::json!({ "name": crate::cite::source::month_name(m.into()), "briefs": briefs }))
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
                            .filter(|s| views::source_group(&s.source.kind).0 == *kind)
                            .map(|s| views::source(urls, s, &self.summaries))
                            .collect();
                        (!sources.is_empty()).then(|| serde_json::json!({ "kind": kind, "label": label, "sources": sources }))
                    })
                    .collect();
                context.insert("groups", &groups);
                (urls.section("citations"), "citations.html")
            }
            Page::Source(s) => {
                let source = views::source(urls, &site.sources[s], &self.summaries);
                let url = source.url.clone();
                context.insert("source", &source);
                (url, "source.html")
            }
            Page::NotFound => (format!("{}404.html", urls.home()), "404.html"),
        };
        context.insert("page_permalink", &urls.permalink(&url));
        context.insert("page_url", &url);
        let html = self.theme.tera.render(template, &context).map_err(|err| {
            Diagnostic::new(format!(
                "cannot render {url} with {template}: {}",
                theme::error_chain(&err)
            ))
            .in_file(format!("templates/{template}"))
            .with_hint("check the template against the variables listed in docs/templates.md")
        })?;
        Ok(Rendered {
            path: urls.output_path(&url),
            html,
        })
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
        let shown: Vec<&Summary> = briefs
            .iter()
            .skip((n - 1) * per_page)
            .take(per_page)
            .map(|&b| &self.summaries[b])
            .collect();
        let paginator = Paginator {
            current: n,
            total,
            prev_url: (n > 1).then(|| self.urls.page(first, n - 1)),
            next_url: (n < total).then(|| self.urls.page(first, n + 1)),
            pages: (1..=total)
                .map(|k| PageLink {
                    number: k,
                    url: self.urls.page(first, k),
                    current: k == n,
                })
                .collect(),
        };
        context.insert("briefs", &shown);
        context.insert("paginator", &paginator);
    }
}
