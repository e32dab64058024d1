//! Which pages a change affects. Every page of the plan gets a signature, and a rebuild
//! re-renders exactly the pages whose signature is new or different; pages whose signature
//! disappeared are removed. (A change of site.toml or of a template re-renders every page that
//! uses it, whatever the signatures.)
//!
//! A page rendered with a template is signed with its view, exactly as the template receives it
//! (`render::Views::fingerprint`), but for the briefs it lists: each stands in the view as its
//! card, the fingerprint of its summary view (a source page of a popular source lists thousands of
//! briefs; building all their summaries into its view took most of a save's time at 10,000
//! briefs). Two kinds of page would cost too much to build on every save, and are signed from
//! fingerprints of what they are made of instead: brief pages (their formatted body and
//! citations) and the files dossier writes itself (feeds, the search index, the sitemap, the
//! exports). Each brief has three fingerprints: the full one covers its file (through a counter of
//! its edits on disk, so any edit counts) and is what its own page, its search document and the
//! feeds follow; the card is its summary view exactly as listings get it, which listings and the
//! briefs that list it as related follow; the link (title, URL, date, authors, terms) is what its
//! neighbours' pages and the sitemap follow.
//!
//! A test in tests/testsuite/serve.rs checks that the site served after a series of edits is the
//! site `dossier build` makes.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::PathBuf;

use rayon::prelude::*;

use crate::render::page::Feed;
use crate::render::theme::PAGE_TEMPLATES;
use crate::render::views::{INDEX_CITING_SHOWN, Summary};
use crate::render::{Page, Theme, Views};
use crate::site::Site;

/// Fingerprints of a site's briefs and sources, by index.
#[derive(Default)]
pub(super) struct Prints {
    /// Everything about a brief, its file included: what its own page shows.
    pub briefs: Vec<u64>,
    /// A brief as listings show it: its summary view (title, URL, date, authors, terms, summary).
    pub cards: Vec<u64>,
    /// A brief as a link: title, URL, date, authors and terms, not its text.
    pub links: Vec<u64>,
    pub sources: Vec<u64>,
}

fn hash_of(value: impl Hash) -> u64 {
    let mut hasher = DefaultHasher::new();
    value.hash(&mut hasher);
    hasher.finish()
}

impl Prints {
    /// `summaries` are the briefs' summaries (`render::summaries`).
    pub(super) fn new(site: &Site, summaries: &[Summary], edits: &HashMap<PathBuf, u64>) -> Prints {
        let prints: Vec<(u64, u64, u64)> = (0..site.briefs.len())
            .into_par_iter()
            .map(|b| brief_prints(site, &summaries[b], edits, b))
            .collect();
        let sources = source_prints(site);
        Prints {
            briefs: prints.iter().map(|p| p.0).collect(),
            cards: prints.iter().map(|p| p.1).collect(),
            links: prints.iter().map(|p| p.2).collect(),
            sources,
        }
    }

    /// Once the site's citations are formatted (see `site::resolve_uncited`).
    pub(super) fn set_sources(&mut self, site: &Site) {
        self.sources = source_prints(site);
    }

    /// After brief `b` was patched in place.
    pub(super) fn update_brief(
        &mut self,
        site: &Site,
        summary: &Summary,
        edits: &HashMap<PathBuf, u64>,
        b: usize,
    ) {
        (self.briefs[b], self.cards[b], self.links[b]) = brief_prints(site, summary, edits, b);
    }
}

/// Each source's fingerprint: its id, slug and reference.
fn source_prints(site: &Site) -> Vec<u64> {
    site.sources
        .iter()
        .map(|s| hash_of((&s.source.id, &s.slug, &s.reference_html)))
        .collect()
}

/// A brief's full, card and link fingerprints.
fn brief_prints(
    site: &Site,
    summary: &Summary,
    edits: &HashMap<PathBuf, u64>,
    b: usize,
) -> (u64, u64, u64) {
    let brief = &site.briefs[b];
    let loaded = &brief.loaded;
    let mut hasher = DefaultHasher::new();
    loaded.path.hash(&mut hasher);
    loaded.slug.hash(&mut hasher);
    loaded.front.title.hash(&mut hasher);
    loaded.front.date.timestamp.hash(&mut hasher);
    loaded.front.updated.map(|d| d.timestamp).hash(&mut hasher);
    brief.authors.hash(&mut hasher);
    if let Some(c) = brief.category {
        let term = &site.categories[c];
        (&term.name, &term.slug).hash(&mut hasher);
    }
    for &t in &brief.tags {
        let term = &site.tags[t];
        (&term.name, &term.slug).hash(&mut hasher);
    }
    let link = hasher.finish();
    // The summary exactly as listings get it, so that the card follows the view.
    serde_json::to_vec(summary)
        .expect("a summary serializes to JSON")
        .hash(&mut hasher);
    let card = hasher.finish();
    // Any edit of the file counts, and so does what resolution derived from it.
    edits
        .get(&loaded.path)
        .copied()
        .unwrap_or(0)
        .hash(&mut hasher);
    brief.summary.hash(&mut hasher);
    (hasher.finish(), card, link)
}

/// The signature of every page of `plan`.
pub(super) fn sign(views: &Views, prints: &Prints, plan: &[Page]) -> Vec<u64> {
    sign_pages(views, prints, plan, |_| None)
}

/// The signature of every page of `plan` after only `patched` briefs changed, each in place (the
/// plan, the order of the briefs, what they cite and how it is formatted are as they were; see
/// `patch`): a page rendered with a template that cannot show any of them keeps its signature in
/// `before`. Signing every page takes a while at 10,000 briefs; an edit shows in a handful.
pub(super) fn sign_near(
    views: &Views,
    prints: &Prints,
    plan: &[Page],
    before: &[u64],
    patched: &HashSet<usize>,
) -> Vec<u64> {
    sign_pages(views, prints, plan, |i| {
        (!may_show(views.site, plan[i], patched)).then_some(before[i])
    })
}

/// Whether a page rendered with a template may show any of `briefs`, patched in place: listings
/// show their page's slice of their briefs, a year all of its briefs, a source page the briefs
/// citing it, the citation index the newest few citing each source, a brief page itself, its
/// neighbours and its related briefs. The indexes of authors, terms and years show counts, which
/// a patch does not change.
fn may_show(site: &Site, page: Page, briefs: &HashSet<usize>) -> bool {
    let per_page = site.config.briefs_per_page;
    let on_page = |listed: &[usize], n: usize| {
        listed
            .iter()
            .skip((n - 1) * per_page)
            .take(per_page)
            .any(|b| briefs.contains(b))
    };
    match page {
        Page::Home(n) => briefs
            .iter()
            .any(|&b| (n - 1) * per_page <= b && b < n * per_page),
        Page::Author(a, n) => on_page(&site.authors[a.0].briefs, n),
        Page::Term(t, n) => on_page(&site.terms(t.kind)[t.index].briefs, n),
        Page::Year(y) => site.years[y.0].1.iter().any(|b| briefs.contains(b)),
        Page::Source(s) => site.sources[s.0]
            .citing
            .iter()
            .any(|(b, _)| briefs.contains(b)),
        Page::Citations => site.sources.iter().any(|source| {
            let mut shown = source.citing.iter().take(INDEX_CITING_SHOWN);
            shown.any(|(b, _)| briefs.contains(b))
        }),
        Page::Brief(b) => {
            let b = b.0;
            let near = [Some(b), b.checked_sub(1), Some(b + 1)];
            near.iter().flatten().any(|n| briefs.contains(n))
                || site.briefs[b].related.iter().any(|r| briefs.contains(r))
        }
        // Their views show no brief.
        Page::Standalone(_) | Page::NotFound | Page::Search => false,
        Page::Authors | Page::Taxonomy(_) | Page::Archive => false,
        _ => true,
    }
}

/// Signs every page of `plan`, but those for which `kept` gives a signature.
fn sign_pages(
    views: &Views,
    prints: &Prints,
    plan: &[Page],
    kept: impl Fn(usize) -> Option<u64> + Sync,
) -> Vec<u64> {
    let site = views.site;
    let all: Vec<usize> = (0..site.briefs.len()).collect();
    // What the search index and the sitemaps follow, hashed once rather than for each of their
    // files (a 10,000-brief site has 400 search shards).
    let texts: Vec<&str> = site.pages.iter().map(|p| p.loaded.text.as_str()).collect();
    let search_index = hash_of((&prints.briefs, texts));
    let sitemap = {
        let standalone: Vec<_> = site
            .pages
            .iter()
            .map(|p| (&p.url, p.loaded.front.updated.map(|d| d.timestamp)))
            .collect();
        hash_of((&prints.links, &prints.sources, standalone))
    };
    (0..plan.len())
        .into_par_iter()
        .map(|i| {
            let page = plan[i];
            if page.template().is_some()
                && let Some(signature) = kept(i)
            {
                return signature;
            }
            if let Some(fingerprint) = views.fingerprint(page) {
                // The page at the path of `?p=`-style aliases carries their script too.
                let url = page.url(site, &views.urls);
                return match crate::render::pages::query_redirect_script(site, &views.urls, &url) {
                    Some(script) => {
                        let mut hasher = DefaultHasher::new();
                        (fingerprint, script).hash(&mut hasher);
                        hasher.finish()
                    }
                    None => fingerprint,
                };
            }
            let mut hasher = DefaultHasher::new();
            match page {
                Page::Brief(b) => brief_signature(site, prints, b.0, &mut hasher),
                // The site-wide exports change with any source.
                Page::CitationsJson | Page::CitationsBib => {
                    (
                        "citations-export",
                        page == Page::CitationsJson,
                        &prints.sources,
                    )
                        .hash(&mut hasher);
                }
                // Feeds, the search index and the sitemap show many briefs: any change counts.
                Page::Feed(feed) => {
                    let shown: &[usize] = match feed {
                        Feed::SiteAtom | Feed::SiteRss => &all,
                        Feed::Author(a) => &site.authors[a.0].briefs,
                        Feed::Category(c) => &site.terms(c.kind)[c.index].briefs,
                    };
                    ("feed", feed).hash(&mut hasher);
                    for &b in shown.iter().take(site.config.feeds.entries) {
                        prints.briefs[b].hash(&mut hasher);
                    }
                }
                Page::SearchIndex | Page::SearchShard(_) => {
                    ("search-index", page, search_index).hash(&mut hasher);
                }
                Page::SearchDoc(b) => ("search-doc", prints.briefs[b.0]).hash(&mut hasher),
                // Standalone pages change only with a reload of the whole site.
                Page::SearchPageDoc(p) => {
                    ("search-page", &site.pages[p.0].loaded.text).hash(&mut hasher);
                }
                Page::Redirect(r) => {
                    let redirect = &site.redirects[r.0];
                    ("redirect", &redirect.from, &redirect.to, &redirect.title).hash(&mut hasher);
                }
                Page::Redirects | Page::QueryRedirects => {
                    ("redirects", page).hash(&mut hasher);
                    for redirect in &site.redirects {
                        (&redirect.from, &redirect.to).hash(&mut hasher);
                    }
                }
                Page::Sitemap(_) | Page::SitemapIndex | Page::Robots => {
                    ("sitemap", page, sitemap).hash(&mut hasher);
                }
                _ => unreachable!("{page:?} is signed with its view"),
            }
            hasher.finish()
        })
        .collect()
}

/// A brief page's signature: its file, and what it shows of other briefs and of sources.
fn brief_signature(site: &Site, prints: &Prints, b: usize, hasher: &mut DefaultHasher) {
    let brief = &site.briefs[b];
    ("brief", prints.briefs[b]).hash(hasher);
    // The newer and older briefs are linked by title.
    let neighbour = |i: Option<usize>| i.and_then(|i| prints.links.get(i));
    (neighbour(b.checked_sub(1)), neighbour(Some(b + 1))).hash(hasher);
    for group in &brief.cited {
        for &s in group {
            prints.sources[s].hash(hasher);
        }
        "|".hash(hasher);
    }
    for &s in &brief.references {
        prints.sources[s].hash(hasher);
    }
    for &r in &brief.related {
        prints.cards[r].hash(hasher);
    }
    // Its authors as their views show them (name, title, photo, bio, count of briefs).
    for &a in &brief.authors {
        let author = &site.authors[a];
        (&author.slug, &author.config.name, author.briefs.len()).hash(hasher);
    }
}

/// The page templates that use any of `changed`, or `None` for all of them when a changed
/// template may reach other pages (a parent, an include, or a file of components).
pub(super) fn templates_using(
    theme: &Theme,
    changed: &BTreeSet<String>,
) -> Option<HashSet<&'static str>> {
    if changed.iter().any(|name| theme.is_shared(name)) {
        return None;
    }
    Some(
        PAGE_TEMPLATES
            .iter()
            .copied()
            .filter(|name| changed.contains(*name))
            .collect(),
    )
}
