//! A post's front matter from its WordPress fields: dates, author, category and tags, summary,
//! featured image.

use std::collections::{BTreeMap, HashMap};

use super::content::Attachment;
use super::front::FrontMatter;
use super::links::{Links, Upload};
use super::report::{Report, Subject};
use super::wxr::Item;
use crate::load::slugs;

#[allow(clippy::too_many_arguments)]
pub(super) fn brief_fields(
    item: &Item,
    front: &mut FrontMatter,
    authors: &BTreeMap<String, super::site::Author>,
    terms: &HashMap<&str, &str>,
    attachments: &HashMap<u64, Attachment>,
    links: &Links,
    uploads: &mut Vec<String>,
    external: &mut BTreeMap<String, Vec<String>>,
    report: &mut Report,
) {
    let subject = Subject::of("post", item);
    dates(item, front, &subject, report);
    let login = super::site::author_slug(&item.creator);
    if authors.contains_key(&login) {
        front.authors = vec![login];
    }
    category_and_tags(item, front, terms, &subject, report);
    let excerpt = plain_text(&item.excerpt);
    if !excerpt.is_empty() {
        front.summary = Some(excerpt);
    }

    if let Some(id) = item
        .meta("_thumbnail_id")
        .and_then(|id| id.trim().parse::<u64>().ok())
    {
        let Some(image) = attachments.get(&id) else {
            report.changed(
                &subject,
                &format!("its featured image (attachment {id}) is not in the export: left out"),
            );
            return;
        };
        let url = match Links::upload_path(&image.url).map(|p| (links.upload(&p), p)) {
            Some((Upload::Copied(path), relative)) => {
                uploads.push(relative);
                path
            }
            Some((Upload::Unsafe, _)) => {
                report.changed(
                    &subject,
                    &format!(
                        "its featured image `{}` leads out of the uploads folder: left out",
                        image.url
                    ),
                );
                return;
            }
            _ => {
                external
                    .entry(image.url.clone())
                    .or_default()
                    .push(format!("post {}", item.id));
                image.url.clone()
            }
        };
        if !url.is_empty() {
            front.image = Some(url);
            front.image_alt = Some(image.alt.clone()).filter(|a| !a.is_empty());
            front.image_credit = Some(plain_text(&image.caption)).filter(|c| !c.is_empty());
        }
    }
}

/// Dates: GMT where WordPress recorded it; a draft's GMT date is all zeros.
fn dates(item: &Item, front: &mut FrontMatter, subject: &Subject, report: &mut Report) {
    let gmt = valid_date(&item.date_gmt);
    let local = valid_date(&item.date);
    front.date = match (gmt, local) {
        (Some(gmt), _) => format!("{}Z", gmt.replace(' ', "T")),
        (None, Some(local)) => local.replace(' ', "T"),
        (None, None) => {
            report.changed(subject, "it has no date: dated 1970-01-01");
            "1970-01-01".to_owned()
        }
    };
    if let Some(modified) = valid_date(&item.modified_gmt)
        && gmt.is_some_and(|d| modified > d)
    {
        front.updated = Some(format!("{}Z", modified.replace(' ', "T")));
    }
}

/// The category: Yoast's primary one, else the first; the others become tags. A term with no
/// letters or digits has no URL: dossier refuses it, so it is left out.
fn category_and_tags(
    item: &Item,
    front: &mut FrontMatter,
    terms: &HashMap<&str, &str>,
    subject: &Subject,
    report: &mut Report,
) {
    let categories: Vec<&super::wxr::ItemTerm> = item
        .terms
        .iter()
        .filter(|t| t.domain == "category")
        .collect();
    let primary = item
        .meta("_yoast_wpseo_primary_category")
        .and_then(|id| terms.get(id.trim()))
        .and_then(|slug| categories.iter().position(|c| c.slug == *slug))
        .unwrap_or(0);
    let mut tags: Vec<String> = Vec::new();
    for (i, category) in categories.iter().enumerate() {
        if i == primary {
            front.category = Some(category.name.clone());
        } else {
            tags.push(category.name.clone());
        }
    }
    if categories.len() > 1 {
        report.changed(
            subject,
            &format!(
                "it has {} categories: `{}` is its category, the others became tags",
                categories.len(),
                categories[primary].name
            ),
        );
    }
    for tag in item.terms.iter().filter(|t| t.domain == "post_tag") {
        if !tags.contains(&tag.name) {
            tags.push(tag.name.clone());
        }
    }
    // A term with no letters or digits has no URL: dossier refuses it.
    let mut dropped: Vec<String> = Vec::new();
    if let Some(category) = &front.category
        && slugs::derived(category, "category").is_empty()
    {
        dropped.push(category.clone());
        front.category = None;
    }
    tags.retain(|t| {
        let usable = !slugs::derived(t, "tag").is_empty();
        if !usable {
            dropped.push(t.clone());
        }
        usable
    });
    if !dropped.is_empty() {
        report.changed(
            subject,
            &format!(
                "its terms {} have no letters or digits to make a URL from: left out",
                dropped
                    .iter()
                    .map(|d| format!("`{d}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        );
    }
    front.tags = tags;
}

/// A `YYYY-MM-DD HH:MM:SS` date unless it is WordPress's zero date.
fn valid_date(text: &str) -> Option<&str> {
    let text = text.trim();
    (text.len() == 19 && !text.starts_with("0000")).then_some(text)
}

/// HTML to one line of plain text, for summaries and credits.
pub(super) fn plain_text(html: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => {
                in_tag = false;
                out.push(' ');
            }
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    let text = out
        .replace("&nbsp;", " ")
        .replace("&amp;", "&")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#8217;", "’")
        .replace("&#039;", "'");
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}
