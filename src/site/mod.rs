//! Stage 2, resolve: turn loaded briefs and site.toml into one `Site` in which every
//! cross-reference (authors, categories, tags, cited sources, URLs) has been checked. Nothing is
//! written before this stage succeeds, so a broken reference never leaves half a site behind.

mod citations;
mod overlay;
pub mod pages;
mod sources;
mod taxonomies;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use hayagriva::citationberg::json::Item;
use rayon::prelude::*;
use rustc_hash::FxHashMap;

use crate::cite::Source;
use crate::cite::style::{CitationStyle, FormKey};
use crate::config::{AuthorConfig, SiteConfig};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::load::LoadedBrief;
use crate::markdown::render_untrusted;
use crate::text::PlainText;

pub use citations::{Citations, Forms};
pub use overlay::{CitationView, Overlay};
pub use taxonomies::{Term, TermKind};

/// The resolved site, ready to render.
pub struct Site {
    /// The site's folder.
    pub root: PathBuf,
    pub config: SiteConfig,
    /// The citation style, and every citation form the briefs use, formatted.
    pub style: CitationStyle,
    pub forms: Forms,
    /// Whether `forms`, the sources' references and their order are there yet (see
    /// `resolve_uncited`).
    pub cited: bool,
    /// Pages whose citations are formatted ahead of the site's (see `overlay`).
    ahead: citations::Ahead,
    /// The disclosure statement rendered from Markdown, or empty.
    pub disclosure_html: String,
    /// Each FARA principal's label, rendered from Markdown, by key.
    pub fara_labels: std::collections::BTreeMap<String, String>,
    /// Newest first.
    pub briefs: Vec<Brief>,
    /// In site.toml order.
    pub authors: Vec<Author>,
    pub categories: Vec<Term>,
    pub tags: Vec<Term>,
    /// Every source cited by at least one brief, in bibliography order.
    pub sources: Vec<CitedSource>,
    /// Newest year first, each with its briefs newest first.
    pub years: Vec<(i16, Vec<usize>)>,
    /// When the first brief left out for being dated in the future is due.
    pub next_due: Option<jiff::Timestamp>,
    /// Standalone pages, by path.
    pub pages: Vec<pages::StandalonePage>,
    /// Every alias of a brief or page, by alias.
    pub redirects: Vec<pages::Redirect>,
    /// Menus by name, each lightest entry first.
    pub menus: std::collections::BTreeMap<String, Vec<pages::MenuItem>>,
}

impl Site {
    /// The categories or the tags.
    pub fn terms(&self, kind: TermKind) -> &[Term] {
        match kind {
            TermKind::Category => &self.categories,
            TermKind::Tag => &self.tags,
        }
    }

    /// The sources `brief` cites that the style lists in a bibliography, in `references` order
    /// (see `CitedSource::listed`): its page and its PDF show the same references.
    pub fn listed_references(&self, brief: &Brief) -> Vec<usize> {
        let site = self;
        CitationView {
            site,
            brief,
            overlay: None,
        }
        .listed_references()
    }

    /// Frees what only loading and resolving use: the briefs' source text (kept to point error
    /// messages into it) and their source definitions (merged into `sources` by now). At 10,000
    /// briefs that is a quarter of a build's memory, and rendering needs none of it.
    pub fn release_loading_data(&mut self) {
        for brief in &mut self.briefs {
            brief.loaded.text = String::new();
            brief.loaded.front.citations = Vec::new();
        }
    }
}

#[derive(Debug)]
pub struct Brief {
    pub loaded: LoadedBrief,
    /// Indexes into `Site::authors`.
    pub authors: Vec<usize>,
    pub category: Option<usize>,
    pub tags: Vec<usize>,
    /// For each citation group of the body, for each item, an index into `Site::sources`.
    pub cited: Vec<Vec<usize>>,
    /// For each citation group, for each item, its CSL form (position and locator kind).
    pub form_keys: Vec<Vec<FormKey>>,
    /// Distinct sources, in the style's bibliography order (in the order first cited if the
    /// style does not sort its bibliography, as numeric styles do not).
    pub references: Vec<usize>,
    /// Up to three briefs sharing the most sources with this one.
    pub related: Vec<usize>,
    /// The front matter's summary, or the body's first paragraph.
    pub summary: String,
    /// The body as plain text.
    pub plain: PlainText,
    pub acknowledgments_html: String,
}

#[derive(Debug)]
pub struct Author {
    pub slug: String,
    pub config: AuthorConfig,
    pub bio_html: String,
    /// Newest first.
    pub briefs: Vec<usize>,
    /// The sources this author cites most: (source, number of their briefs citing it).
    pub top_sources: Vec<(usize, usize)>,
}

#[derive(Debug)]
pub struct CitedSource {
    pub source: Source,
    /// The source as the citation engine reads it.
    pub item: Item,
    /// A URL slug made from the id: `S/RES/2397` becomes `s-res-2397`, never a folder.
    pub slug: String,
    /// The bibliography entry, formatted once per build.
    pub reference_html: String,
    /// Where the names are in `reference_html` (see `CitationStyle::substitute_authors`).
    pub reference_names: Option<(usize, usize)>,
    /// Whether a brief's list of references shows the source: a style may leave some kinds of
    /// source out of its bibliography (`reference_html` is then the full note).
    pub listed: bool,
    /// Citing briefs (newest first), each with the locators it used.
    pub citing: Vec<(usize, Vec<String>)>,
    /// What every citing brief's page says of the source, made once rather than per brief: its
    /// Highwire `citation_reference` and its schema.org JSON (`<` escaped for a script element).
    pub highwire_reference: String,
    pub schema_org_json: String,
}

impl CitedSource {
    fn new(source: Source, slug: String) -> CitedSource {
        CitedSource {
            item: source.csl_item(),
            highwire_reference: crate::cite::export::highwire_reference(&source),
            schema_org_json: serde_json::to_string(&crate::cite::export::schema_org(&source))
                .expect("a JSON value with string keys serializes")
                .replace('<', "\\u003c"),
            source,
            slug,
            reference_html: String::new(),
            reference_names: None,
            listed: true,
            citing: Vec::new(),
        }
    }
}

/// What the command line asks of resolution.
#[derive(Debug, Clone, Copy, Default)]
pub struct Options {
    pub drafts: bool,
}

/// Slugs that would collide with the site's own sections.
const RESERVED_SLUGS: &[&str] = &[
    "authors",
    "categories",
    "tags",
    "archive",
    "citations",
    "page",
    "search",
];

pub fn resolve(
    root: &Path,
    config: SiteConfig,
    style: CitationStyle,
    loaded: Vec<LoadedBrief>,
    options: Options,
) -> Result<Site, Diagnostics> {
    let mut site = resolve_uncited(root, config, style, loaded, options)?;
    let citations = site.format_citations();
    site.set_citations(citations);
    Ok(site)
}

/// Like `resolve`, but the citations are not formatted yet: every cross-reference is checked and
/// every page is known, but the forms, the sources' references, their bibliography order and
/// the authors' most cited sources wait for `set_citations`. Formatting is most of a first
/// build's work, and most pages (listings, archives, standalone pages) show no citation: a
/// preview server renders those from this while the citations are formatted.
pub fn resolve_uncited(
    root: &Path,
    config: SiteConfig,
    style: CitationStyle,
    loaded: Vec<LoadedBrief>,
    options: Options,
) -> Result<Site, Diagnostics> {
    let mut problems = Diagnostics::default();
    let loaded = newest_first(loaded, options);
    // Checking the cross-references is mostly one thread's work: the bodies' plain text (for
    // summaries, word counts and the search index) is made on the other cores meanwhile.
    let (
        plain,
        (briefs_authors, (categories, brief_categories), (tags, brief_tags), (sources, cited)),
    ) = rayon::join(
        || loaded.par_iter().map(|b| PlainText::of(&b.body)).collect(),
        || {
            check_slugs(&loaded, &mut problems);
            let briefs_authors = resolve_authors(&config, &loaded, &mut problems);
            let categories = taxonomies::collect(TermKind::Category, &loaded, |b| {
                b.front.category.iter().collect()
            });
            let tags =
                taxonomies::collect(TermKind::Tag, &loaded, |b| b.front.tags.iter().collect());
            let sources = sources::resolve(root, &config, &loaded, &mut problems);
            crate::fara::check_briefs(&config, &loaded, &mut problems);
            (briefs_authors, categories, tags, sources)
        },
    );
    problems.into_result(())?;

    let mut authors = site_authors(&config);
    let mut sources = sources;
    let per_brief = PerBrief {
        plain,
        authors: briefs_authors,
        cited,
        categories: brief_categories,
        tags: brief_tags,
    };
    let (mut briefs, years) =
        assemble_briefs(&style, loaded, per_brief, &mut authors, &mut sources);
    relate(&mut briefs, &sources);
    let disclosure_html = config
        .disclosure
        .as_deref()
        .map(render_untrusted)
        .unwrap_or_default();
    let fara_labels = config
        .fara
        .as_ref()
        .map(crate::fara::label_html)
        .unwrap_or_default();
    Ok(Site {
        root: root.to_path_buf(),
        config,
        style,
        forms: Forms::default(),
        cited: false,
        ahead: citations::Ahead::default(),
        disclosure_html,
        fara_labels,
        briefs,
        authors,
        categories,
        tags,
        sources,
        years,
        next_due: None,
        pages: Vec::new(),
        redirects: Vec::new(),
        menus: std::collections::BTreeMap::new(),
    })
}

impl Site {
    /// Formats every citation and reference of the site (in parallel; reads the site only).
    pub fn format_citations(&self) -> Citations {
        citations::format(&self.style, &self.sources, &self.briefs, &self.ahead)
    }

    /// Puts the formatted citations into the site and the sources in the style's bibliography
    /// order: the citation index lists them so, and a brief's references too (numeric styles
    /// number them in the order first cited). Then each author's most cited sources.
    pub fn set_citations(&mut self, citations: Citations) {
        let (forms, sort_keys) = citations.fill(&mut self.sources);
        if let Some(new_index) = citations::sort_sources(&mut self.sources, sort_keys) {
            for brief in &mut self.briefs {
                for group in &mut brief.cited {
                    for s in group.iter_mut() {
                        *s = new_index[*s];
                    }
                }
                for s in &mut brief.references {
                    *s = new_index[*s];
                }
            }
        }
        if self.style.sorts_references() {
            for brief in &mut self.briefs {
                brief.references.sort_unstable();
            }
        }
        let references: Vec<&[usize]> = self
            .briefs
            .iter()
            .map(|b| b.references.as_slice())
            .collect();
        for author in &mut self.authors {
            author.top_sources =
                citations::top_sources(&author.briefs, &references, citations::TOP_SOURCES);
        }
        self.forms = forms;
        self.cited = true;
    }
}

/// The briefs to publish (drafts only with `--drafts`), newest first; ties by title, then path.
fn newest_first(loaded: Vec<LoadedBrief>, options: Options) -> Vec<LoadedBrief> {
    let mut loaded: Vec<LoadedBrief> = loaded
        .into_iter()
        .filter(|brief| options.drafts || !brief.front.draft)
        .collect();
    loaded.sort_by(brief_order);
    loaded
}

/// The order of the site's briefs: newest first, then by title, then by path.
pub(crate) fn brief_order(a: &LoadedBrief, b: &LoadedBrief) -> std::cmp::Ordering {
    b.front
        .date
        .timestamp
        .cmp(&a.front.date.timestamp)
        .then_with(|| a.front.title.cmp(&b.front.title))
        .then_with(|| a.path.cmp(&b.path))
}

/// site.toml's authors, with their bios rendered; their briefs are added as briefs are assembled.
fn site_authors(config: &SiteConfig) -> Vec<Author> {
    config
        .authors
        .iter()
        .map(|(slug, author)| Author {
            slug: slug.clone(),
            config: author.clone(),
            bio_html: author
                .bio
                .as_deref()
                .map(render_untrusted)
                .unwrap_or_default(),
            briefs: Vec::new(),
            top_sources: Vec::new(),
        })
        .collect()
}

/// Related briefs: by shared sources (a set, whatever their order), then category.
fn relate(briefs: &mut [Brief], sources: &[CitedSource]) {
    let references: Vec<&[usize]> = briefs.iter().map(|b| b.references.as_slice()).collect();
    let categories_of: Vec<Option<usize>> = briefs.iter().map(|b| b.category).collect();
    let related = citations::related(&references, &categories_of, sources);
    for (brief, related) in briefs.iter_mut().zip(related) {
        brief.related = related;
    }
}

/// Each brief's authors, as indexes into site.toml's authors; an unknown one is a problem.
fn resolve_authors(
    config: &SiteConfig,
    loaded: &[LoadedBrief],
    problems: &mut Diagnostics,
) -> Vec<Vec<usize>> {
    let author_index: HashMap<&str, usize> = config
        .authors
        .keys()
        .enumerate()
        .map(|(i, slug)| (slug.as_str(), i))
        .collect();
    let mut briefs_authors = Vec::with_capacity(loaded.len());
    for brief in loaded {
        let mut indexes = Vec::new();
        let field = if brief.front.author.is_some() {
            "author"
        } else {
            "authors"
        };
        for slug in brief.front.author.iter().chain(&brief.front.authors) {
            match author_index.get(slug.as_str()) {
                Some(&i) if !indexes.contains(&i) => indexes.push(i),
                Some(_) => {}
                None => problems.push(
                    brief.at_value(field, slug, Diagnostic::new(format!("unknown author `{slug}`"))).with_hint(
                        match crate::diagnostics::nearest(slug, config.authors.keys().map(String::as_str)) {
                            Some(best) => format!("did you mean `{best}`? Authors are declared in site.toml as [authors.<slug>]"),
                            None => format!("declare the author in site.toml as [authors.{slug}] with at least a name"),
                        },
                    ),
                ),
            }
        }
        briefs_authors.push(indexes);
    }
    briefs_authors
}

/// What resolution found for each brief, in brief order.
struct PerBrief {
    plain: Vec<PlainText>,
    authors: Vec<Vec<usize>>,
    cited: Vec<Vec<Vec<usize>>>,
    categories: Vec<Vec<usize>>,
    tags: Vec<Vec<usize>>,
}

/// The site's briefs (newest first) and years: each brief with its references and summary, and
/// each listed under its authors and as citing its sources.
fn assemble_briefs(
    style: &CitationStyle,
    loaded: Vec<LoadedBrief>,
    per_brief: PerBrief,
    authors: &mut [Author],
    sources: &mut [CitedSource],
) -> (Vec<Brief>, Vec<(i16, Vec<usize>)>) {
    let mut years: Vec<(i16, Vec<usize>)> = Vec::new();
    let mut briefs = Vec::with_capacity(loaded.len());
    let per_brief_lists = per_brief
        .plain
        .into_iter()
        .zip(per_brief.authors.into_iter().zip(per_brief.cited))
        .zip(per_brief.categories.into_iter().zip(per_brief.tags));
    for (i, (loaded, ((plain, (authors_of, cited_of)), (category, tags_of)))) in
        loaded.into_iter().zip(per_brief_lists).enumerate()
    {
        for &a in &authors_of {
            authors[a].briefs.push(i);
        }
        let year = loaded.front.date.date.year();
        match years.last_mut() {
            Some((y, list)) if *y == year => list.push(i),
            _ => years.push((year, vec![i])),
        }
        let mut references = Vec::new();
        for (group, indexes) in loaded.body.citations.iter().zip(&cited_of) {
            for (item, &s) in group.items.iter().zip(indexes) {
                if !references.contains(&s) {
                    references.push(s);
                }
                let citing = &mut sources[s].citing;
                if citing.last().is_none_or(|(b, _)| *b != i) {
                    citing.push((i, Vec::new()));
                }
                if let (Some(locator), Some((_, locators))) = (&item.locator, citing.last_mut())
                    && !locators.contains(&locator.text)
                {
                    locators.push(locator.text.clone());
                }
            }
        }
        let summary = match &loaded.front.summary {
            Some(summary) => summary.trim().to_owned(),
            None => truncate_words(&loaded.body.first_paragraph, 60),
        };
        let acknowledgments_html = loaded
            .front
            .acknowledgments
            .as_deref()
            .map(render_untrusted)
            .unwrap_or_default();
        briefs.push(Brief {
            form_keys: citations::form_keys(style, &loaded.body.citations, &cited_of),
            loaded,
            authors: authors_of,
            category: category.first().copied(),
            tags: tags_of,
            cited: cited_of,
            references,
            related: Vec::new(),
            summary,
            plain,
            acknowledgments_html,
        });
    }
    (briefs, years)
}

/// Two briefs may not share a URL, and no brief may take a section's URL.
fn check_slugs(loaded: &[LoadedBrief], problems: &mut Diagnostics) {
    let mut by_slug: FxHashMap<&str, &PathBuf> = FxHashMap::default();
    let mut sorted: Vec<&LoadedBrief> = loaded.iter().collect();
    sorted.sort_by(|a, b| a.path.cmp(&b.path));
    for brief in sorted {
        let field = "slug";
        if RESERVED_SLUGS.contains(&brief.slug.as_str()) {
            problems.push(
                brief
                    .at_field(
                        field,
                        Diagnostic::new(format!(
                            "the URL /{}/ is reserved for the site's {} pages",
                            brief.slug, brief.slug
                        )),
                    )
                    .with_hint("set another `slug` in the front matter"),
            );
        }
        if let Some(other) = by_slug.insert(&brief.slug, &brief.path) {
            problems.push(
                brief
                    .at_field(
                        field,
                        Diagnostic::new(format!(
                            "this brief and {} both have the URL /{}/",
                            other.display(),
                            brief.slug
                        )),
                    )
                    .with_hint(
                        "give one of them another file name or a `slug` in its front matter",
                    ),
            );
        }
    }
}

/// The first `limit` words, with an ellipsis when cut.
fn truncate_words(text: &str, limit: usize) -> String {
    // Only the first `limit` words are looked at: a first paragraph can be long.
    let mut words = text.split_whitespace();
    let mut kept = String::new();
    for word in words.by_ref().take(limit) {
        if !kept.is_empty() {
            kept.push(' ');
        }
        kept.push_str(word);
    }
    if words.next().is_none() {
        return kept;
    }
    kept.truncate(kept.trim_end_matches([',', ';', ':', '.']).len());
    kept.push('…');
    kept
}

#[cfg(test)]
mod tests {
    use super::truncate_words;

    #[test]
    fn summaries_keep_the_first_words_and_mark_the_cut() {
        assert_eq!(truncate_words("  one\ttwo\n three ", 3), "one two three");
        assert_eq!(truncate_words("one two", 3), "one two");
        assert_eq!(truncate_words("", 3), "");
        assert_eq!(truncate_words("one two, three four", 2), "one two…");
        assert_eq!(truncate_words("one two.; three", 2), "one two…");
        assert_eq!(truncate_words("one two three four", 3), "one two three…");
    }
}
