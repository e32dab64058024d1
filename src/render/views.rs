//! What templates see: typed, serializable views of the site model, documented in
//! docs/templates.md. Views that many pages share (brief summaries) are built once per build.

use serde::Serialize;

use super::urls::Urls;
use crate::cite::format;
use crate::markdown::{Body, Note, Segment, note_ref_html};
use crate::site::{Brief, CitedSource, Site, Term, TermKind};

#[derive(Serialize, Clone)]
pub struct Link {
    pub name: String,
    pub slug: String,
    pub url: String,
}

#[derive(Serialize)]
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
}

#[derive(Serialize)]
pub struct NoteView {
    pub number: usize,
    pub id: String,
    pub ref_id: String,
    pub html: String,
}

#[derive(Serialize)]
pub struct ReferenceView<'a> {
    pub anchor: String,
    pub html: &'a str,
    pub url: String,
}

#[derive(Serialize)]
pub struct BriefView<'a> {
    pub title: &'a str,
    pub url: &'a str,
    pub permalink: &'a str,
    pub date: &'a str,
    pub date_display: &'a str,
    pub updated: Option<String>,
    pub updated_display: Option<String>,
    pub authors: Vec<AuthorView<'a>>,
    pub category: &'a Option<Link>,
    pub tags: &'a [Link],
    pub summary: &'a str,
    pub body_html: String,
    pub notes: Vec<NoteView>,
    pub references: Vec<ReferenceView<'a>>,
    pub image_url: Option<String>,
    pub image_alt: Option<&'a str>,
    pub image_credit: Option<&'a str>,
    pub acknowledgments_html: &'a str,
    pub extra: &'a serde_json::Map<String, serde_json::Value>,
}

#[derive(Serialize)]
pub struct TermView<'a> {
    pub name: &'a str,
    pub slug: &'a str,
    pub url: String,
    pub count: usize,
}

#[derive(Serialize)]
pub struct TaxonomyView {
    pub kind: &'static str,
    pub title: &'static str,
    pub singular: &'static str,
    pub url: String,
}

#[derive(Serialize)]
pub struct SourceView<'a> {
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
    pub citations: Vec<SourceCitation<'a>>,
}

#[derive(Serialize)]
pub struct SourceCitation<'a> {
    pub brief: &'a Summary,
    pub locators: &'a [String],
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
    }
}

/// The full brief page: body with note links, notes, references.
pub fn brief<'a>(site: &'a Site, urls: &Urls, index: usize, summary: &'a Summary) -> BriefView<'a> {
    let brief = &site.briefs[index];
    let loaded = &brief.loaded;
    let front = &loaded.front;
    let body = &loaded.body;
    let body_html = body_with_note_refs(body);
    // A source's first note in this brief is a full note, later ones are short.
    let mut cited_before = vec![false; site.sources.len()];
    let notes = body
        .notes
        .iter()
        .enumerate()
        .map(|(i, note)| {
            let number = i + 1;
            let html = match note {
                Note::Footnote(html) => html.clone(),
                Note::Citation(group) => {
                    let items: Vec<_> = body.citations[*group]
                        .items
                        .iter()
                        .zip(&brief.cited[*group])
                        .map(|(item, &s)| (item, &site.sources[s].source))
                        .collect();
                    let first: Vec<bool> = brief.cited[*group]
                        .iter()
                        .map(|&s| !std::mem::replace(&mut cited_before[s], true))
                        .collect();
                    format!("<p>{}</p>", format::note_html(&items, |k| first[k]))
                }
            };
            NoteView {
                number,
                id: format!("note-{number}"),
                ref_id: format!("note-ref-{number}"),
                html,
            }
        })
        .collect();
    let references = brief
        .references
        .iter()
        .map(|&s| {
            let source = &site.sources[s];
            ReferenceView {
                anchor: format!("ref-{}", source.slug),
                html: &source.reference_html,
                url: urls.source(&source.slug),
            }
        })
        .collect();
    BriefView {
        title: &front.title,
        url: &summary.url,
        permalink: &summary.permalink,
        date: &summary.date,
        date_display: &summary.date_display,
        updated: front.updated.map(|d| d.iso()),
        updated_display: front.updated.map(|d| d.display()),
        authors: brief
            .authors
            .iter()
            .map(|&a| author(site, urls, a))
            .collect(),
        category: &summary.category,
        tags: &summary.tags,
        summary: &summary.summary,
        body_html,
        notes,
        references,
        image_url: front.image.as_deref().map(|p| urls.asset(p)),
        image_alt: front.image_alt.as_deref(),
        image_credit: front.image_credit.as_deref(),
        acknowledgments_html: &brief.acknowledgments_html,
        extra: &front.extra,
    }
}

/// The body with each citation as a note number. As in Chicago style (and Pandoc), the number
/// follows punctuation and takes the place of the space before the marker: "exists [@a]." becomes
/// "exists.¹".
fn body_with_note_refs(body: &Body) -> String {
    let mut out = String::new();
    let mut skip = 0;
    for (i, segment) in body.segments.iter().enumerate() {
        match segment {
            Segment::Html(html) => out.push_str(&html[skip..]),
            Segment::Citation(group) => {
                out.truncate(out.trim_end_matches([' ', '\t']).len());
                let next = match body.segments.get(i + 1) {
                    Some(Segment::Html(next)) => next.chars().next(),
                    _ => None,
                };
                skip = 0;
                if let Some(c) = next.filter(|c| ".,;:!?".contains(*c)) {
                    out.push(c);
                    skip = c.len_utf8();
                }
                out.push_str(&note_ref_html(body.citations[*group].note, true));
                continue;
            }
        }
        skip = 0;
    }
    out
}

pub fn term<'a>(urls: &Urls, term: &'a Term) -> TermView<'a> {
    TermView {
        name: &term.name,
        slug: &term.slug,
        url: urls.term(term.kind, &term.slug),
        count: term.briefs.len(),
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

/// The index group of a CSL type.
pub fn source_group(csl_type: &str) -> (&'static str, &'static str) {
    let kind = match csl_type {
        "legislation" | "bill" | "treaty" | "legal_case" | "regulation" | "hearing"
        | "standard" => "government",
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

pub fn source<'a>(urls: &Urls, cited: &'a CitedSource, summaries: &'a [Summary]) -> SourceView<'a> {
    let (kind, label) = source_group(&cited.source.kind);
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
                brief: &summaries[*b],
                locators,
            })
            .collect(),
    }
}
