//! The view each page's template receives, beside what every page shares (`site`, `urls`,
//! `generator`, `page_url`, `page_permalink`): built here for the renderer, and fingerprinted for
//! the preview server, which re-renders a page exactly when its view changed.

use std::hash::{DefaultHasher, Hasher};
use std::sync::OnceLock;

use serde::Serialize;
use tera::Value;

use super::brief;
use super::page::{self, AuthorId, BriefId, Page, SourceId, TermId, YearId};
use super::urls::Urls;
use super::views::{self, Summary};
use crate::site::{Overlay, Site, TermKind};

/// A page's own view: the variables its template receives, by name.
pub(crate) type View = Vec<(&'static str, Value)>;

/// Builds page views. Summaries are made once and shared: a brief appears in a dozen listings,
/// related lists and source pages.
pub(crate) struct Views<'a> {
    pub site: &'a Site,
    pub urls: Urls,
    pub summaries: Summaries<'a>,
    /// Each summary as a Tera value, made on first use and then shared (Tera's values are
    /// reference-counted).
    shared: Vec<OnceLock<Value>>,
    /// `0..briefs`, the home listing's briefs, made once rather than for each of its pages.
    every_brief: Vec<usize>,
    /// Fingerprints standing in for the summaries (see `with_cards`).
    cards: Option<&'a [u64]>,
    /// One page's citations, formatted before the site's (see `with_overlay`).
    overlay: Option<&'a Overlay>,
}

/// Summaries the views built, or that were lent to them.
pub(crate) enum Summaries<'a> {
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

#[derive(Serialize)]
struct Month {
    name: &'static str,
    briefs: Vec<Value>,
}

/// A kind of source on the citation index, typed so that the page's view is made in one step
/// (the index is the site's largest view: every source with its reference and citing briefs).
#[derive(Serialize)]
struct SourceGroup<'a> {
    kind: &'static str,
    label: &'static str,
    sources: Vec<views::SourceView<'a, views::BriefLink<'a>>>,
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

fn value(view: &impl Serialize) -> Value {
    Value::from_serializable(view)
}

impl<'a> Views<'a> {
    pub(crate) fn new(site: &'a Site, summaries: Summaries<'a>) -> Views<'a> {
        Views {
            site,
            urls: Urls::new(&site.config),
            shared: (0..summaries.len()).map(|_| OnceLock::new()).collect(),
            summaries,
            every_brief: (0..site.briefs.len()).collect(),
            cards: None,
            overlay: None,
        }
    }

    /// Views in which the page `overlay` was formatted for shows its citations from it.
    pub(crate) fn with_overlay(mut self, overlay: Option<&'a Overlay>) -> Views<'a> {
        self.overlay = overlay;
        self
    }

    /// Views for `fingerprint` only, in which each brief's summary is `cards[b]`: a fingerprint
    /// of that summary exactly as listings get it (the preview's `Prints::cards`). A listing's
    /// fingerprint then still covers all it shows, at the cost of a number per brief instead of
    /// a summary (a source page shows thousands at 10,000 briefs).
    pub(crate) fn with_cards(mut self, cards: &'a [u64]) -> Views<'a> {
        self.cards = Some(cards);
        self
    }

    /// Brief `b`'s summary as a Tera value, shared with every other page that shows it.
    pub(crate) fn shared_summary(&self, b: usize) -> Value {
        if let Some(cards) = self.cards {
            return Value::from(cards[b]);
        }
        self.shared[b]
            .get_or_init(|| value(&self.summaries[b]))
            .clone()
    }

    /// The view of a page rendered with a template (`Page::template`); empty for the others.
    pub(crate) fn view(&self, page: Page) -> View {
        match page {
            Page::Home(n) => self.listing(Page::Home(1), n, &self.every_brief),
            Page::Brief(b) => self.brief(b),
            Page::Standalone(p) => vec![(
                "page",
                value(&super::pages::view(&self.urls, &self.site.pages[p.0])),
            )],
            Page::Authors => self.authors(),
            Page::Author(a, n) => self.author(a, n),
            Page::Taxonomy(kind) => self.taxonomy(kind),
            Page::Term(t, n) => self.term(t, n),
            Page::Archive => self.archive(),
            Page::Year(y) => self.year(y),
            Page::Citations => self.citations(),
            Page::Source(s) => self.source(s),
            _ => View::new(),
        }
    }

    /// A fingerprint of everything a page's template receives that can change without
    /// site.toml or the templates changing, or `None` for the pages whose view is too costly to
    /// build on every change (a brief's formatted body and citations) or that have no template.
    /// Made with `with_cards`, the briefs a page lists count by their cards.
    pub(crate) fn fingerprint(&self, page: Page) -> Option<u64> {
        if matches!(page, Page::Brief(_)) || page.template().is_none() {
            return None;
        }
        let mut hasher = HashWriter(DefaultHasher::new());
        hasher.0.write(page.url(self.site, &self.urls).as_bytes());
        for (name, value) in self.view(page) {
            hasher.0.write(name.as_bytes());
            // Writing to a hasher cannot fail, and a Tera value always serializes.
            serde_json::to_writer(&mut hasher, &value).expect("a Tera value serializes");
        }
        Some(hasher.0.finish())
    }

    fn brief(&self, b: BriefId) -> View {
        let (site, b) = (self.site, b.0);
        let link = |i: usize| {
            let s = &self.summaries[i];
            serde_json::json!({ "title": s.title, "url": s.url })
        };
        let brief = brief::view(
            site,
            &self.urls,
            b,
            &self.summaries,
            |r| self.shared_summary(r),
            self.overlay,
        );
        vec![
            ("brief", value(&brief)),
            ("newer", value(&b.checked_sub(1).map(link))),
            (
                "older",
                value(&(b + 1 < site.briefs.len()).then(|| link(b + 1))),
            ),
        ]
    }

    fn authors(&self) -> View {
        let authors: Vec<_> = (0..self.site.authors.len())
            .map(|a| views::author(self.site, &self.urls, a))
            .collect();
        vec![("authors", value(&authors))]
    }

    fn author(&self, a: AuthorId, n: usize) -> View {
        let (site, urls) = (self.site, &self.urls);
        let author = &site.authors[a.0];
        // Shown on an author's first page only.
        let top: Vec<_> = site
            .top_sources(a.0, self.overlay)
            .iter()
            .filter(|_| n == 1)
            .map(|&(s, count)| views::TopSource {
                source: views::SourceLink {
                    html: site.entry(s, self.overlay).0,
                    ..views::source_link(urls, &site.sources[s])
                },
                count,
            })
            .collect();
        let mut view = vec![
            ("author", value(&views::author(site, urls, a.0))),
            ("top_sources", value(&top)),
        ];
        view.extend(self.listing(Page::Author(a, 1), n, &author.briefs));
        view
    }

    fn taxonomy(&self, kind: TermKind) -> View {
        let terms: Vec<_> = self
            .site
            .terms(kind)
            .iter()
            .map(|t| views::term(&self.urls, t))
            .collect();
        vec![
            ("taxonomy", value(&views::taxonomy(&self.urls, kind))),
            ("terms", value(&terms)),
        ]
    }

    fn term(&self, t: TermId, n: usize) -> View {
        let term = &self.site.terms(t.kind)[t.index];
        let mut view = vec![
            ("taxonomy", value(&views::taxonomy(&self.urls, t.kind))),
            ("term", value(&views::term(&self.urls, term))),
        ];
        view.extend(self.listing(Page::Term(t, 1), n, &term.briefs));
        view
    }

    fn archive(&self) -> View {
        let years: Vec<_> = self
            .site
            .years
            .iter()
            .map(|(year, briefs)| serde_json::json!({ "year": year, "url": self.urls.year(*year), "count": briefs.len() }))
            .collect();
        vec![("years", value(&years))]
    }

    fn year(&self, y: YearId) -> View {
        let site = self.site;
        let (year, briefs) = &site.years[y.0];
        let mut months: Vec<(i8, Vec<Value>)> = Vec::new();
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
        vec![("year", value(year)), ("months", value(&months))]
    }

    fn citations(&self) -> View {
        let site = self.site;
        let groups: Vec<_> = views::SOURCE_GROUPS
            .iter()
            .filter_map(|(kind, label)| {
                let members: Vec<_> = site
                    .sources
                    .iter()
                    .filter(|s| views::source_group(&s.source).0 == *kind)
                    .collect();
                // Each group is a list of references: a repeated author gets the style's dash.
                let htmls = site.style.substitute_authors(
                    members
                        .iter()
                        .map(|s| (s.reference_html.as_str(), s.reference_names)),
                );
                (!members.is_empty()).then_some((*kind, *label, members, htmls))
            })
            .collect();
        let groups: Vec<_> = groups
            .iter()
            .map(|(kind, label, members, htmls)| SourceGroup {
                kind,
                label,
                sources: members
                    .iter()
                    .zip(htmls)
                    .map(|(s, html)| views::SourceView {
                        html,
                        ..views::index_entry(&self.urls, s, &self.summaries)
                    })
                    .collect(),
            })
            .collect();
        vec![("groups", value(&groups))]
    }

    fn source(&self, s: SourceId) -> View {
        let mut source = views::source(&self.urls, &self.site.sources[s.0], |b| {
            self.shared_summary(b)
        });
        // Asked for while the site's citations are formatted, its entry was formatted ahead.
        source.html = self.site.entry(s.0, self.overlay).0;
        vec![("source", value(&source))]
    }

    /// Page `n` of `briefs`, a listing whose first page is `first`, and its paginator.
    fn listing(&self, first: Page, n: usize, briefs: &[usize]) -> View {
        let per_page = self.site.config.briefs_per_page;
        let total = page::pages_of(self.site, briefs.len());
        let first = first.url(self.site, &self.urls);
        let shown: Vec<Value> = briefs
            .iter()
            .skip((n - 1) * per_page)
            .take(per_page)
            .map(|&b| self.shared_summary(b))
            .collect();
        let urls = &self.urls;
        let paginator = Paginator {
            current: n,
            total,
            prev_url: (n > 1).then(|| urls.page(&first, n - 1)),
            next_url: (n < total).then(|| urls.page(&first, n + 1)),
            // First, last and two either side of the current page: a listing of thousands of
            // pages must not print every number on every page.
            pages: (1..=total)
                .filter(|&k| k == 1 || k == total || k.abs_diff(n) <= 2)
                .scan(0, |previous, k| {
                    let gap_before = k > *previous + 1;
                    *previous = k;
                    Some(PageLink {
                        number: k,
                        url: urls.page(&first, k),
                        current: k == n,
                        gap_before,
                    })
                })
                .collect(),
        };
        vec![("briefs", value(&shown)), ("paginator", value(&paginator))]
    }
}

/// Feeds serialized bytes into a hasher.
struct HashWriter(DefaultHasher);

impl std::io::Write for HashWriter {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.write(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}
