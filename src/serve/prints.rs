//! Which pages a change affects. Every page of the plan gets a signature: a hash of everything its
//! view shows that can change without site.toml or the templates changing (those re-render all the
//! pages that use them). A rebuild computes the signatures of the new site and re-renders exactly
//! the pages whose signature is new or different; pages whose signature disappeared are removed.
//!
//! Signatures are built from three fingerprints of each brief: the full one covers its file
//! (through a counter of its edits on disk, so any edit counts) and is what its own page, its export
//! files, search document and feeds follow; the card is its summary view exactly as listings get it
//! (`render::summaries`), which the home, author, category, tag and year pages and the briefs that list
//! it as related follow; the link (title, URL, date, authors, terms) is what its neighbours' pages
//! and the pages that list the briefs citing a source (the source's page, the citation index,
//! authors' most cited sources) follow. So editing a brief's text re-renders its own page, and its
//! listings only when its summary changed; retitling it re-renders everything that links to it.
//!
//! This mirrors what `render` puts in each page's view; a test in tests/serve.rs checks that the
//! site served after a series of edits is the site `dossier build` makes.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::PathBuf;

use rayon::prelude::*;

use crate::render::feeds::Feed;
use crate::render::theme::PAGE_TEMPLATES;
use crate::render::urls::Urls;
use crate::render::views::Summary;
use crate::render::{Page, Theme};
use crate::site::{Site, TermKind};

/// Fingerprints of a site's briefs and sources, by index.
pub struct Prints {
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
    pub fn new(site: &Site, summaries: &[Summary], edits: &HashMap<PathBuf, u64>) -> Prints {
        let prints: Vec<(u64, u64, u64)> = (0..site.briefs.len())
            .into_par_iter()
            .map(|b| brief_prints(site, &summaries[b], edits, b))
            .collect();
        let sources = site
            .sources
            .iter()
            .map(|s| hash_of((&s.source.id, &s.slug, &s.reference_html)))
            .collect();
        Prints {
            briefs: prints.iter().map(|p| p.0).collect(),
            cards: prints.iter().map(|p| p.1).collect(),
            links: prints.iter().map(|p| p.2).collect(),
            sources,
        }
    }

    /// After brief `b` was patched in place.
    pub fn update_brief(
        &mut self,
        site: &Site,
        summary: &Summary,
        edits: &HashMap<PathBuf, u64>,
        b: usize,
    ) {
        (self.briefs[b], self.cards[b], self.links[b]) = brief_prints(site, summary, edits, b);
    }
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
        .unwrap_or_default()
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
pub fn sign(site: &Site, prints: &Prints, plan: &[Page]) -> Vec<u64> {
    let per_page = site.config.briefs_per_page;
    let pages_of = |count: usize| count.div_ceil(per_page).max(1);
    // Page `n` of a listing: its number, the page count and what it shows.
    let listing = |hasher: &mut DefaultHasher, briefs: &[usize], n: usize| {
        (n, pages_of(briefs.len())).hash(hasher);
        for &b in briefs.iter().skip((n - 1) * per_page).take(per_page) {
            prints.cards[b].hash(hasher);
        }
    };
    let terms = |kind: TermKind| match kind {
        TermKind::Category => &site.categories,
        TermKind::Tag => &site.tags,
    };
    let all: Vec<usize> = (0..site.briefs.len()).collect();
    // Per source, the briefs citing it as links (pages that list citing briefs show their titles,
    // authors and dates, not their text), without and with the locators they cite.
    let citing: Vec<(u64, u64)> = site
        .sources
        .iter()
        .map(|source| {
            let (mut links, mut located) = (DefaultHasher::new(), DefaultHasher::new());
            for (b, locators) in &source.citing {
                prints.links[*b].hash(&mut links);
                (prints.links[*b], locators).hash(&mut located);
            }
            (links.finish(), located.finish())
        })
        .collect();
    plan.par_iter()
        .map(|&page| {
            let mut hasher = DefaultHasher::new();
            match page {
                Page::Home(n) => {
                    "home".hash(&mut hasher);
                    listing(&mut hasher, &all, n);
                }
                Page::Brief(b) => {
                    let brief = &site.briefs[b];
                    ("brief", prints.briefs[b]).hash(&mut hasher);
                    // The newer and older briefs are linked by title.
                    let neighbour = |i: Option<usize>| i.and_then(|i| prints.links.get(i));
                    (neighbour(b.checked_sub(1)), neighbour(Some(b + 1))).hash(&mut hasher);
                    for group in &brief.cited {
                        for &s in group {
                            prints.sources[s].hash(&mut hasher);
                        }
                        "|".hash(&mut hasher);
                    }
                    for &s in &brief.references {
                        prints.sources[s].hash(&mut hasher);
                    }
                    for &r in &brief.related {
                        prints.cards[r].hash(&mut hasher);
                    }
                }
                Page::Authors => {
                    "authors".hash(&mut hasher);
                    for author in &site.authors {
                        (&author.slug, author.briefs.len()).hash(&mut hasher);
                    }
                }
                Page::Author(a, n) => {
                    let author = &site.authors[a];
                    ("author", &author.slug, author.briefs.len()).hash(&mut hasher);
                    for &(s, count) in &author.top_sources {
                        (prints.sources[s], citing[s].0, count).hash(&mut hasher);
                    }
                    listing(&mut hasher, &author.briefs, n);
                }
                Page::Taxonomy(kind) => {
                    ("taxonomy", kind.section()).hash(&mut hasher);
                    for term in terms(kind) {
                        (&term.name, &term.slug, term.briefs.len()).hash(&mut hasher);
                    }
                }
                Page::Term(kind, t, n) => {
                    let term = &terms(kind)[t];
                    ("term", kind.section(), &term.name, &term.slug).hash(&mut hasher);
                    term.briefs.len().hash(&mut hasher);
                    listing(&mut hasher, &term.briefs, n);
                }
                Page::Archive => {
                    "archive".hash(&mut hasher);
                    for (year, briefs) in &site.years {
                        (year, briefs.len()).hash(&mut hasher);
                    }
                }
                Page::Year(y) => {
                    let (year, briefs) = &site.years[y];
                    ("year", year).hash(&mut hasher);
                    for &b in briefs {
                        prints.cards[b].hash(&mut hasher);
                    }
                }
                Page::Citations => {
                    "citations".hash(&mut hasher);
                    for (s, source) in site.sources.iter().enumerate() {
                        (prints.sources[s], &source.source.kind, citing[s].0).hash(&mut hasher);
                    }
                }
                Page::Source(s) => {
                    let source = &site.sources[s];
                    (
                        "source",
                        prints.sources[s],
                        &source.source.kind,
                        citing[s].1,
                    )
                        .hash(&mut hasher);
                }
                Page::NotFound => "404".hash(&mut hasher),
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
                        Feed::Author(a) => &site.authors[a].briefs,
                        Feed::Category(c) => &site.categories[c].briefs,
                    };
                    ("feed", feed).hash(&mut hasher);
                    for &b in shown.iter().take(site.config.feeds.entries) {
                        prints.briefs[b].hash(&mut hasher);
                    }
                }
                Page::Search => "search".hash(&mut hasher),
                Page::SearchIndex | Page::SearchShard(_) => {
                    ("search-index", page, &prints.briefs).hash(&mut hasher);
                }
                Page::SearchDoc(b) => ("search-doc", prints.briefs[b]).hash(&mut hasher),
                Page::Sitemap(_) | Page::SitemapIndex | Page::Robots => {
                    ("sitemap", page, &prints.links, &prints.sources).hash(&mut hasher);
                }
            }
            hasher.finish()
        })
        .collect()
}

/// The output path of every page of `plan` (as `render` writes them).
pub fn paths(site: &Site, plan: &[Page]) -> Vec<String> {
    let urls = Urls::new(&site.config);
    let terms = |kind: TermKind| match kind {
        TermKind::Category => &site.categories,
        TermKind::Tag => &site.tags,
    };
    let sitemap_files = plan
        .iter()
        .filter(|p| matches!(p, Page::Sitemap(_)))
        .count();
    plan.iter()
        .map(|&page| {
            let url = match page {
                Page::Home(n) => urls.page(&urls.home(), n),
                Page::Brief(b) => urls.brief(&site.briefs[b].loaded.slug),
                Page::Authors => urls.section("authors"),
                Page::Author(a, n) => urls.page(&urls.author(&site.authors[a].slug), n),
                Page::Taxonomy(kind) => urls.section(kind.section()),
                Page::Term(kind, t, n) => urls.page(&urls.term(kind, &terms(kind)[t].slug), n),
                Page::Archive => urls.section("archive"),
                Page::Year(y) => urls.year(site.years[y].0),
                Page::Citations => urls.section("citations"),
                Page::Source(s) => urls.source(&site.sources[s].slug),
                Page::NotFound => format!("{}404.html", urls.home()),
                Page::CitationsJson => format!("{}citations.json", urls.home()),
                Page::CitationsBib => format!("{}citations.bib", urls.home()),
                Page::Feed(feed) => crate::render::feeds::url(site, &urls, feed),
                Page::Search => urls.section("search"),
                Page::SearchIndex => urls.asset(crate::render::search::manifest_path()),
                Page::SearchShard(n) => urls.asset(&crate::render::search::shard_path(n)),
                Page::SearchDoc(b) => urls.asset(&crate::render::search::doc_path(b)),
                Page::Sitemap(_) | Page::SitemapIndex | Page::Robots => {
                    crate::render::sitemap::url(&urls, page, sitemap_files)
                }
            };
            urls.output_path(&url)
        })
        .collect()
}

/// Pages built from the text of every brief at once, which take seconds on a large site: the
/// search index. Serve renders them when no change has come for a moment, not on every save.
pub fn is_deferred(page: Page) -> bool {
    matches!(page, Page::SearchIndex | Page::SearchShard(_))
}

/// The template a page is rendered with (as `render` does).
pub fn template_of(page: Page) -> &'static str {
    match page {
        Page::Home(_) => "index.html",
        Page::Brief(_) => "brief.html",
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
        | Page::Sitemap(_)
        | Page::SitemapIndex
        | Page::Robots => "",
    }
}

/// The page templates that use any of `changed`, or `None` for all of them when a changed
/// template may reach other pages (a parent, an include, or a file of components).
pub fn templates_using(theme: &Theme, changed: &BTreeSet<String>) -> Option<HashSet<&'static str>> {
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
