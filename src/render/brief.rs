//! The brief page: the body with its citations in the site's style, notes, references, "cite this
//! brief" with its export files, related briefs, and the metadata Google Scholar, Zotero and
//! social sites read from the page head.

use std::collections::HashMap;

use percent_encoding::{AsciiSet, CONTROLS, utf8_percent_encode};
use serde::Serialize;

use super::urls::Urls;
use super::views::{AuthorView, Link, Summary, author};
use crate::cite::{Source, bibtex, export};
use crate::markdown::{Note, Segment};
use crate::site::{Brief, CitationView, Overlay, Site};

#[derive(Serialize)]
pub struct BriefView<'a, R> {
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
    /// What the brief shows at its beginning: its FARA label and the site's disclosure.
    pub disclosure_html: std::borrow::Cow<'a, str>,
    /// The brief's PDF, where `[pdf]` is enabled.
    pub pdf_url: Option<String>,
    /// Words in the body (notes and citations left out), and minutes to read them.
    pub word_count: usize,
    pub reading_time: usize,
    pub body_html: String,
    pub notes: Vec<NoteView>,
    pub references: Vec<ReferenceView<'a>>,
    pub image_url: Option<String>,
    pub image_permalink: Option<String>,
    pub image_alt: Option<&'a str>,
    pub image_credit: Option<&'a str>,
    pub acknowledgments_html: &'a str,
    /// Summaries, as the renderer shares them between pages.
    pub related: Vec<R>,
    pub cite: CiteView,
    /// Highwire Press tags for Google Scholar and Zotero: `[{name, content}]`.
    pub meta_tags: Vec<MetaTag>,
    /// The same tags as HTML, one `<meta>` a line, each after a line break: a dozen or more a
    /// brief, and a template loop over them cost a build more than making them here.
    pub meta_html: String,
    /// schema.org JSON-LD, safe to place inside `<script type="application/ld+json">`.
    pub json_ld: String,
    pub extra: &'a serde_json::Map<String, serde_json::Value>,
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
    pub html: std::borrow::Cow<'a, str>,
    pub url: String,
}

#[derive(Serialize)]
pub struct CiteView {
    /// The brief formatted as a reference in the site's style.
    pub html: String,
    /// BibTeX, RIS and CSL-JSON, as `data:` links the browser saves as files.
    pub downloads: Vec<Download>,
}

/// The brief's citation in one format, carried in the page itself: no file per brief and
/// format to write (three times as many files for a large site), no request to save it.
#[derive(Serialize)]
pub struct Download {
    pub label: &'static str,
    pub file_name: String,
    pub media_type: &'static str,
    pub href: String,
}

#[derive(Serialize)]
pub struct MetaTag {
    pub name: &'static str,
    pub content: String,
}

/// `overlay`: the brief's citations formatted before the site's (see `Overlay`).
pub fn view<'a, R>(
    site: &'a Site,
    urls: &Urls,
    index: usize,
    summaries: &'a [Summary],
    shared_summary: impl Fn(usize) -> R,
    overlay: Option<&'a Overlay>,
) -> BriefView<'a, R> {
    let brief = &site.briefs[index];
    let cited = site.citations_of(index, overlay);
    let summary = &summaries[index];
    let front = &brief.loaded.front;
    let (body_html, notes) = body_and_notes(site, cited);
    let listed = cited.listed_references();
    let htmls = site
        .style
        .substitute_authors(listed.iter().map(|&s| cited.entry(s)));
    let references = listed
        .iter()
        .zip(htmls)
        .map(|(&s, html)| {
            let source = &site.sources[s];
            ReferenceView {
                anchor: format!("ref-{}", source.slug),
                html,
                url: urls.source(&source.slug),
            }
        })
        .collect();
    let as_source = brief_source(site, brief, summary);
    let image_url = front.image.as_deref().map(|p| urls.asset(p));
    let word_count = summary.word_count;
    let meta_tags = highwire(site, urls, cited, summary);
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
        disclosure_html: crate::fara::disclosure_html(site, brief),
        pdf_url: site
            .config
            .pdf
            .enabled
            .then(|| crate::pdf::url(urls, &brief.loaded.slug)),
        word_count,
        reading_time: crate::text::reading_minutes(word_count),
        body_html,
        notes,
        references,
        image_permalink: image_url.as_deref().map(|u| {
            if u.contains("://") {
                u.to_owned()
            } else {
                urls.permalink(u)
            }
        }),
        image_url,
        image_alt: front.image_alt.as_deref(),
        image_credit: front.image_credit.as_deref(),
        acknowledgments_html: &brief.acknowledgments_html,
        related: brief.related.iter().map(|&r| shared_summary(r)).collect(),
        cite: CiteView {
            html: site.style.reference(&as_source),
            downloads: downloads(&brief.loaded.slug, &as_source),
        },
        meta_html: meta_html(&meta_tags),
        meta_tags,
        json_ld: json_ld(site, urls, cited, summary, &as_source),
        extra: &front.extra,
    }
}

/// The body with citations in place and the notes. In a note style every citation group is a
/// note, numbered with the footnotes in order of appearance; in an in-text style citations stay
/// in the text and only footnotes are notes.
pub(crate) fn body_and_notes(site: &Site, cited: CitationView) -> (String, Vec<NoteView>) {
    let brief = cited.brief();
    let body = &brief.loaded.body;
    let note_style = site.style.is_note_style();
    let mut numbers = Vec::with_capacity(body.notes.len());
    let mut group_note = vec![None; body.citations.len()];
    let mut next = 0;
    for (i, note) in body.notes.iter().enumerate() {
        let numbered = match note {
            Note::Footnote(_) => true,
            Note::Citation(group) => {
                group_note[*group] = Some(i);
                note_style
            }
        };
        numbers.push(numbered.then(|| {
            next += 1;
            next
        }));
    }
    let note_of = |group: usize| group_note[group].and_then(|i| numbers[i]);
    // The note that first cites each source, for styles that point back to it ("see note 2").
    let mut first_note: HashMap<usize, usize> = HashMap::new();
    for (group, sources) in brief.cited.iter().enumerate() {
        if let Some(number) = note_of(group) {
            for &source in sources {
                first_note.entry(source).or_insert(number);
            }
        }
    }
    let group_html = |group: usize| citation_html(site, cited, group, &first_note);

    let markup: usize = body
        .segments
        .iter()
        .map(|s| match s {
            Segment::Html(part) => part.len(),
            _ => 0,
        })
        .sum();
    let mut html = String::with_capacity(markup + markup / 4);
    let mut skip = 0;
    for (i, segment) in body.segments.iter().enumerate() {
        let note_ref = match segment {
            Segment::Html(part) => {
                html.push_str(&part[skip..]);
                skip = 0;
                continue;
            }
            Segment::Citation(group) if !note_style => {
                html.push_str(&group_html(*group));
                continue;
            }
            Segment::Citation(group) => note_of(*group).map(|n| (n, true)),
            Segment::NoteRef { note, first } => numbers[*note].map(|n| (n, *first)),
        };
        let Some((number, first)) = note_ref else {
            continue;
        };
        // As in Chicago style (and Pandoc), the note number replaces the space before the
        // marker and follows punctuation: "exists [@a]." becomes "exists.¹".
        html.truncate(html.trim_end_matches([' ', '\t']).len());
        if let Some(Segment::Html(next)) = body.segments.get(i + 1)
            && let Some(c) = next.chars().next().filter(|c| ".,;:!?".contains(*c))
        {
            html.push(c);
            skip = c.len_utf8();
        }
        html.push_str(&note_ref_html(number, first));
    }

    let notes = body
        .notes
        .iter()
        .zip(&numbers)
        .filter_map(|(note, number)| {
            let number = (*number)?;
            let html = match note {
                // Citations inside a footnote are formatted in its text.
                Note::Footnote(segments) => segments
                    .iter()
                    .map(|segment| match segment {
                        Segment::Html(part) => part.clone(),
                        Segment::Citation(group) => group_html(*group),
                        Segment::NoteRef { .. } => String::new(),
                    })
                    .collect(),
                Note::Citation(group) => {
                    format!("<p>{}</p>", capitalize_first(&group_html(*group)))
                }
            };
            Some(NoteView {
                number,
                id: format!("note-{number}"),
                ref_id: format!("note-ref-{number}"),
                html,
            })
        })
        .collect();
    (html, notes)
}

/// One citation group in the site's style: each item's cached form with its locator and number
/// filled in, wrapped in the author's prefix and suffix, joined by the style.
fn citation_html(
    site: &Site,
    cited: CitationView,
    group: usize,
    first_note: &HashMap<usize, usize>,
) -> String {
    let brief = cited.brief();
    let citation = &brief.loaded.body.citations[group];
    let items: Vec<String> = citation
        .items
        .iter()
        .zip(&brief.cited[group])
        .zip(&brief.form_keys[group])
        .map(|((item, &source), key)| {
            let number = cited
                .references()
                .iter()
                .position(|&s| s == source)
                .map(|i| i + 1);
            let form = site.style.fill(
                cited.form(&item.id, key),
                item.locator.as_ref(),
                number,
                first_note.get(&source).copied(),
            );
            let mut parts = Vec::new();
            if !item.prefix.is_empty() {
                parts.push(crate::html::escape(&item.prefix));
            }
            parts.push(form);
            if !item.suffix.is_empty() {
                parts.push(crate::html::escape(&item.suffix));
            }
            parts.join(" ")
        })
        .collect();
    site.style.join(&items)
}

/// Notes begin with a capital, even when an author writes `[see @a]`.
fn capitalize_first(html: &str) -> String {
    if html.starts_with('<') {
        return html.to_owned();
    }
    let mut chars = html.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// `<sup>` link from the text to note `number`; only the first reference carries the id the
/// note links back to.
pub(super) fn note_ref_html(number: usize, with_id: bool) -> String {
    let id = if with_id {
        format!(" id=\"note-ref-{number}\"")
    } else {
        String::new()
    };
    format!(
        "<sup class=\"note-ref\"><a href=\"#note-{number}\"{id} role=\"doc-noteref\">{number}</a></sup>"
    )
}

/// The brief itself as a source: a report by the organization (or a blog post), for "cite this
/// brief" and the export files.
pub fn brief_source(site: &Site, brief: &Brief, summary: &Summary) -> Source {
    let front = &brief.loaded.front;
    let publisher = site
        .config
        .organization
        .as_ref()
        .map_or_else(|| site.config.title.clone(), |o| o.name.clone());
    let post = site.config.citations.brief_type == "post-weblog";
    let date = front.date.date;
    let value = serde_json::json!({
        "id": brief.loaded.slug,
        "type": if post { "post-weblog" } else { "report" },
        "title": front.title,
        "author": brief.authors.iter().map(|&a| person_name(&site.authors[a].config.name)).collect::<Vec<_>>(),
        "issued": { "date-parts": [[date.year(), date.month(), date.day()]] },
        "URL": summary.permalink,
        "publisher": publisher,
        "container-title": if post { Some(site.config.title.clone()) } else { None },
        "abstract": summary.summary,
        "language": site.config.language,
    });
    serde_json::from_value(value).unwrap_or_else(|_| Source::untitled(&brief.loaded.slug))
}

/// "Elena Marsh" as a CSL name: the last word is the family name.
fn person_name(name: &str) -> serde_json::Value {
    match name.trim().rsplit_once(' ') {
        Some((given, family)) => serde_json::json!({ "family": family, "given": given }),
        None => serde_json::json!({ "literal": name }),
    }
}

/// The brief's citation for reference managers: BibTeX, RIS and CSL-JSON.
fn downloads(slug: &str, source: &Source) -> Vec<Download> {
    let name = slug.rsplit('/').next().unwrap_or(slug);
    [
        (
            "BibTeX",
            "bib",
            "application/x-bibtex",
            bibtex::write(source),
        ),
        (
            "RIS",
            "ris",
            "application/x-research-info-systems",
            export::ris(source),
        ),
        (
            "CSL-JSON",
            "json",
            "application/vnd.citationstyles.csl+json",
            // Compact: every space and line break of a pretty-printed file takes three bytes
            // of the page once percent-encoded.
            serde_json::to_string(&[source]).unwrap_or_default(),
        ),
    ]
    .into_iter()
    .map(|(label, extension, media_type, text)| Download {
        label,
        file_name: format!("{name}.{extension}"),
        media_type,
        href: {
            let mut href = format!("data:{media_type};charset=utf-8,");
            href.extend(utf8_percent_encode(&text, DATA_URL));
            href
        },
    })
    .collect()
}

/// What a `data:` URL must not hold as is: controls, spaces, and characters with a meaning in
/// URLs or HTML attributes.
const DATA_URL: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b'&')
    .add(b'\'')
    .add(b'<')
    .add(b'>')
    .add(b'`')
    .add(b'[')
    .add(b'\\')
    .add(b']')
    .add(b'^')
    .add(b'{')
    .add(b'|')
    .add(b'}');

/// Highwire Press tags: Google Scholar indexes them, and Zotero saves the page as a report when
/// `citation_technical_report_institution` is present.
fn highwire(site: &Site, urls: &Urls, cited: CitationView, summary: &Summary) -> Vec<MetaTag> {
    let brief = cited.brief();
    let front = &brief.loaded.front;
    let tag = |name, content: String| MetaTag { name, content };
    let mut tags = vec![tag("citation_title", front.title.clone())];
    for &a in &brief.authors {
        tags.push(tag("citation_author", site.authors[a].config.name.clone()));
    }
    tags.push(tag(
        "citation_publication_date",
        front.date.date.strftime("%Y/%m/%d").to_string(),
    ));
    let publisher = site.config.organization.as_ref().map(|o| o.name.clone());
    if site.config.citations.brief_type == "report" {
        if let Some(publisher) = &publisher {
            tags.push(tag(
                "citation_technical_report_institution",
                publisher.clone(),
            ));
        }
    } else {
        tags.push(tag("citation_journal_title", site.config.title.clone()));
    }
    tags.push(tag(
        "citation_publisher",
        publisher.unwrap_or_else(|| site.config.title.clone()),
    ));
    tags.push(tag("citation_language", site.config.language.clone()));
    tags.push(tag("citation_abstract_html_url", summary.permalink.clone()));
    if site.config.pdf.enabled {
        let pdf = crate::pdf::url(urls, &brief.loaded.slug);
        tags.push(tag("citation_pdf_url", urls.permalink(&pdf)));
    }
    for &s in cited.references() {
        tags.push(tag(
            "citation_reference",
            site.sources[s].highwire_reference.clone(),
        ));
    }
    tags
}

/// `<meta name="…" content="…">` for each tag, each after a line break.
fn meta_html(tags: &[MetaTag]) -> String {
    let mut html = String::new();
    for tag in tags {
        html.push_str("\n<meta name=\"");
        crate::html::escape_into(tag.name, &mut html);
        html.push_str("\" content=\"");
        crate::html::escape_into(&tag.content, &mut html);
        html.push_str("\">");
    }
    html
}

/// schema.org JSON-LD: a `Report` (or `BlogPosting`) with its authors, publisher and citations.
fn json_ld(
    site: &Site,
    urls: &Urls,
    cited: CitationView,
    summary: &Summary,
    source: &Source,
) -> String {
    let brief = cited.brief();
    let front = &brief.loaded.front;
    let post = site.config.citations.brief_type == "post-weblog";
    let publisher = match &site.config.organization {
        Some(o) => serde_json::json!({ "@type": "Organization", "name": o.name, "url": o.url }),
        None => {
            serde_json::json!({ "@type": "Organization", "name": site.config.title, "url": urls.permalink(&urls.home()) })
        }
    };
    let mut value = serde_json::json!({
        "@context": "https://schema.org",
        "@type": if post { "BlogPosting" } else { "Report" },
        "headline": front.title,
        "name": front.title,
        "url": summary.permalink,
        "mainEntityOfPage": summary.permalink,
        "datePublished": summary.date,
        "dateModified": front.updated.map_or_else(|| summary.date.clone(), |d| d.iso()),
        "description": summary.summary,
        "inLanguage": site.config.language,
        "author": brief.authors.iter().map(|&a| {
            let author = &site.authors[a];
            serde_json::json!({ "@type": "Person", "name": author.config.name, "url": urls.permalink(&urls.author(&author.slug)) })
        }).collect::<Vec<_>>(),
        "publisher": publisher,
        "articleSection": summary.category.as_ref().map(|c| c.name.clone()),
        "keywords": summary.tags.iter().map(|t| t.name.clone()).collect::<Vec<_>>(),
        "isAccessibleForFree": true,
        "identifier": source.id,
    });
    crate::cite::export::without_nulls(&mut value);
    // `</script>` inside a string must not end the script element.
    let mut json = serde_json::to_string(&value)
        .unwrap_or_default()
        .replace('<', "\\u003c");
    // The citations, serialized once per source, go in as they are.
    if json.ends_with('}') {
        json.pop();
        json.push_str(",\"citation\":[");
        for (i, &s) in cited.references().iter().enumerate() {
            if i > 0 {
                json.push(',');
            }
            json.push_str(&site.sources[s].schema_org_json);
        }
        json.push_str("]}");
    }
    json
}
