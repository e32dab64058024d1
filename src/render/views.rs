//! What templates see: typed, serializable views of the site model, documented in
//! docs/templates.md. Views that many pages share (brief summaries) are built once per build.

use serde::Serialize;

use super::urls::Urls;
use crate::cite::Source;
use crate::site::{Brief, CitedSource, Site, Term, TermKind};

#[derive(Serialize, Clone)]
pub struct Link {
    pub name: String,
    pub slug: String,
    pub url: String,
}

#[derive(Serialize, Clone)]
pub struct Summary {
    pub title: String,
    pub url: String,
    pub permalink: String,
    pub date: String,
    pub date_display: String,
    pub authors: Vec<Link>,
    pub category: Option<Link>,
    pub tags: Vec<Link>,
    pub summary: String,
    /// The body as plain text, made once for the word count and the search index and doc.
    #[serde(skip)]
    pub text: std::sync::Arc<str>,
    #[serde(skip)]
    pub word_count: usize,
}

#[derive(Serialize)]
pub struct AuthorView<'a> {
    pub slug: &'a str,
    pub name: &'a str,
    pub title: Option<&'a str>,
    pub url: String,
    pub photo_url: Option<String>,
    pub bio_html: &'a str,
    pub count: usize,
    /// The author's Atom feed.
    pub feed_url: String,
}

#[derive(Serialize)]
pub struct TermView<'a> {
    pub name: &'a str,
    pub slug: &'a str,
    pub url: String,
    pub count: usize,
    /// A category's Atom feed (tags have none).
    pub feed_url: Option<String>,
}

#[derive(Serialize)]
pub struct TaxonomyView {
    pub kind: &'static str,
    pub title: &'static str,
    pub singular: &'static str,
    pub url: String,
}

/// A source with the briefs citing it, each shown as `B`: a full summary on the source's own
/// page, a title and link in the citation index (a popular source is cited by thousands of
/// briefs; full summaries there would make that page's context gigabytes at 10,000 briefs).
#[derive(Serialize)]
pub struct SourceView<'a, B> {
    pub id: &'a str,
    /// The plain title, for page titles.
    pub title: Option<&'a str>,
    pub slug: &'a str,
    pub url: String,
    pub kind: &'static str,
    pub label: &'static str,
    pub html: &'a str,
    pub link: Option<String>,
    pub count: usize,
    pub citations: Vec<SourceCitation<'a, B>>,
}

/// One of an author's most cited sources.
#[derive(Serialize)]
pub struct TopSource<'a> {
    pub source: SourceLink<'a>,
    /// How many of the author's briefs cite it.
    pub count: usize,
}

/// A source without its citing briefs (a popular source has thousands): for lists of sources.
#[derive(Serialize)]
pub struct SourceLink<'a> {
    pub id: &'a str,
    pub title: Option<&'a str>,
    pub html: &'a str,
    pub url: String,
}

pub fn source_link<'a>(urls: &Urls, cited: &'a CitedSource) -> SourceLink<'a> {
    SourceLink {
        id: &cited.source.id,
        title: cited.source.title.as_deref(),
        html: &cited.reference_html,
        url: urls.source(&cited.slug),
    }
}

#[derive(Serialize)]
pub struct SourceCitation<'a, B> {
    pub brief: B,
    pub locators: &'a [String],
}

/// How the citation index shows a citing brief.
#[derive(Serialize)]
pub struct BriefLink<'a> {
    pub title: &'a str,
    pub url: &'a str,
}

pub fn summary(site: &Site, urls: &Urls, brief: &Brief) -> Summary {
    let front = &brief.loaded.front;
    let url = urls.brief(&brief.loaded.slug);
    Summary {
        title: front.title.clone(),
        permalink: urls.permalink(&url),
        url,
        date: front.date.iso(),
        date_display: front.date.display(),
        authors: brief
            .authors
            .iter()
            .map(|&a| {
                let author = &site.authors[a];
                Link {
                    name: author.config.name.clone(),
                    slug: author.slug.clone(),
                    url: urls.author(&author.slug),
                }
            })
            .collect(),
        category: brief.category.map(|c| term_link(urls, &site.categories[c])),
        tags: brief
            .tags
            .iter()
            .map(|&t| term_link(urls, &site.tags[t]))
            .collect(),
        summary: brief.summary.clone(),
        word_count: brief.plain.words,
        text: brief.plain.text.clone(),
    }
}

fn term_link(urls: &Urls, term: &Term) -> Link {
    Link {
        name: term.name.clone(),
        slug: term.slug.clone(),
        url: urls.term(term.kind, &term.slug),
    }
}

pub fn author<'a>(site: &'a Site, urls: &Urls, index: usize) -> AuthorView<'a> {
    let author = &site.authors[index];
    AuthorView {
        slug: &author.slug,
        name: &author.config.name,
        title: author.config.title.as_deref(),
        url: urls.author(&author.slug),
        photo_url: author.config.photo.as_deref().map(|p| urls.asset(p)),
        bio_html: &author.bio_html,
        count: author.briefs.len(),
        feed_url: urls.author_feed(&author.slug),
    }
}

pub fn term<'a>(urls: &Urls, term: &'a Term) -> TermView<'a> {
    TermView {
        name: &term.name,
        slug: &term.slug,
        url: urls.term(term.kind, &term.slug),
        count: term.briefs.len(),
        feed_url: (term.kind == TermKind::Category).then(|| urls.term_feed(term.kind, &term.slug)),
    }
}

pub fn taxonomy(urls: &Urls, kind: TermKind) -> TaxonomyView {
    let (kind_name, title, singular) = match kind {
        TermKind::Category => ("category", "Categories", "Category"),
        TermKind::Tag => ("tag", "Tags", "Tag"),
    };
    TaxonomyView {
        kind: kind_name,
        title,
        singular,
        url: urls.section(kind.section()),
    }
}

/// Groups of the citation index, in display order: (kind, label, CSL types).
pub const SOURCE_GROUPS: &[(&str, &str)] = &[
    ("government", "UN and government documents"),
    ("report", "Reports"),
    ("journal", "Journal articles"),
    ("news", "News"),
    ("book", "Books"),
    ("web", "Web pages"),
    ("other", "Other sources"),
];

/// The index group of a source: UN and government documents are legislation and the like, or
/// documents and reports numbered with an official symbol (`S/RES/2397 (2017)`, `A/78/L.1`).
pub fn source_group(source: &Source) -> (&'static str, &'static str) {
    let official_symbol = source
        .number
        .as_deref()
        .is_some_and(|n| n.contains('/') && n.starts_with(|c: char| c.is_ascii_uppercase()));
    let kind = match source.kind.as_str() {
        "legislation" | "bill" | "treaty" | "legal_case" | "regulation" | "hearing"
        | "standard" => "government",
        "document" | "report"
            if official_symbol || source.authority.is_some() && source.kind == "document" =>
        {
            "government"
        }
        "report" => "report",
        "article-journal" | "paper-conference" => "journal",
        "article-newspaper" | "article-magazine" | "article" | "broadcast" | "interview" => "news",
        "book" | "chapter" | "classic" => "book",
        "webpage" | "post" | "post-weblog" | "software" | "dataset" => "web",
        _ => "other",
    };
    SOURCE_GROUPS
        .iter()
        .copied()
        .find(|(k, _)| *k == kind)
        .unwrap_or(("other", "Other sources"))
}

/// A source for the citation index: each citing brief as its title and link.
pub fn index_entry<'a>(
    urls: &Urls,
    cited: &'a CitedSource,
    summaries: &'a [Summary],
) -> SourceView<'a, BriefLink<'a>> {
    let mut view = source(urls, cited, |b| BriefLink {
        title: &summaries[b].title,
        url: &summaries[b].url,
    });
    // A source cited by thousands of briefs would make the index a page of megabytes; its own
    // page lists them all.
    view.citations.truncate(INDEX_CITING_SHOWN);
    view
}

/// Citing briefs listed under each source on the citation index (the newest).
pub const INDEX_CITING_SHOWN: usize = 10;

/// A source with each citing brief as `brief` makes it: the full summary on the source's own
/// page, a title and link on the citation index.
pub fn source<'a, B>(
    urls: &Urls,
    cited: &'a CitedSource,
    brief: impl Fn(usize) -> B,
) -> SourceView<'a, B> {
    let (kind, label) = source_group(&cited.source);
    let link = cited
        .source
        .address()
        .filter(|a| crate::html::is_web_url(a));
    SourceView {
        id: &cited.source.id,
        title: cited.source.title.as_deref(),
        slug: &cited.slug,
        url: urls.source(&cited.slug),
        kind,
        label,
        html: &cited.reference_html,
        link,
        count: cited.citing.len(),
        citations: cited
            .citing
            .iter()
            .map(|(b, locators)| SourceCitation {
                brief: brief(*b),
                locators,
            })
            .collect(),
    }
}
