//! From an export to the files of a site: which items become briefs and pages, at which slugs,
//! with which front matter, and what the report says about each.

use std::collections::{BTreeMap, HashMap, HashSet};

use percent_encoding::percent_decode_str;
use rayon::prelude::*;

use super::content::{self, Attachment, Context, Converted};
use super::front::FrontMatter;
use super::links::{Links, Upload, split_url};
use super::report::Report;
use super::wxr::{Export, Item};
use crate::slugs;

/// What the import writes.
pub struct Plan {
    /// Files relative to the site folder, with their contents.
    pub files: Vec<(String, String)>,
    /// Uploads to copy: the path under the uploads folder.
    pub uploads: Vec<String>,
    pub report: Report,
}

/// Slugs a brief cannot have: the site's own sections.
const RESERVED: &[&str] = &[
    "authors",
    "categories",
    "tags",
    "archive",
    "citations",
    "search",
    "page",
    "wp-content",
];

/// An item to import and where it goes.
struct Entry<'a> {
    item: &'a Item,
    kind: Kind,
    /// A brief's slug, or a page's path (`about/staff`).
    path: String,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Brief,
    Page,
}

impl Kind {
    fn noun(self) -> &'static str {
        match self {
            Kind::Brief => "post",
            Kind::Page => "page",
        }
    }
}

pub fn plan(export: &Export, uploads: Option<std::path::PathBuf>) -> Plan {
    let mut report = Report::default();
    let channel = &export.channel;
    let base_url = site_base_url(&channel.link, &channel.base_blog_url, &mut report);
    let base_path = match split_url(&base_url).path.trim_end_matches('/') {
        "" => "/".to_owned(),
        path => format!("{path}/"),
    };

    // Attachments, for featured images and galleries.
    let mut attachments: HashMap<u64, Attachment> = HashMap::new();
    let mut children: HashMap<u64, Vec<(i64, u64)>> = HashMap::new();
    for item in export.items.iter().filter(|i| i.post_type == "attachment") {
        let url = if item.attachment_url.is_empty() {
            item.link.clone()
        } else {
            item.attachment_url.clone()
        };
        attachments.insert(
            item.id,
            Attachment {
                url,
                alt: item
                    .meta("_wp_attachment_image_alt")
                    .unwrap_or_default()
                    .trim()
                    .to_owned(),
                caption: item.excerpt.trim().to_owned(),
            },
        );
        if item.parent != 0 {
            children
                .entry(item.parent)
                .or_default()
                .push((item.menu_order, item.id));
        }
    }
    let children: HashMap<u64, Vec<u64>> = children
        .into_iter()
        .map(|(parent, mut list)| {
            list.sort();
            (parent, list.into_iter().map(|(_, id)| id).collect())
        })
        .collect();

    // Which items are imported.
    let mut skipped_types: BTreeMap<&str, usize> = BTreeMap::new();
    let mut candidates: Vec<(&Item, Kind)> = Vec::new();
    for item in &export.items {
        let kind = match item.post_type.as_str() {
            "post" => Kind::Brief,
            "page" => Kind::Page,
            "attachment" | "nav_menu_item" => continue,
            other => {
                *skipped_types
                    .entry(if other.is_empty() { "(no type)" } else { other })
                    .or_default() += 1;
                continue;
            }
        };
        let why = match item.status.as_str() {
            "publish" | "draft" | "pending" | "future" => None,
            "private" => Some("private: not imported"),
            "trash" => Some("in the trash: not imported"),
            "auto-draft" | "inherit" => Some("an automatic draft or revision: not imported"),
            _ => Some("its status is not one WordPress publishes: not imported"),
        };
        let why = why.or((!item.password.is_empty()).then_some("password-protected: not imported"));
        match why {
            Some(why) => report.skipped(kind.noun(), item, why),
            None => candidates.push((item, kind)),
        }
    }
    for (kind, count) in skipped_types {
        report.note(format!("{count} item(s) of type `{kind}` not imported (dossier imports posts, pages, attachments and menus)"));
    }

    // Pages first: they keep the paths they had; briefs that would share one get `-2`.
    let pages_by_id: HashMap<u64, &Item> = candidates
        .iter()
        .filter(|(_, k)| *k == Kind::Page)
        .map(|(i, _)| (i.id, *i))
        .collect();
    let mut taken: HashSet<String> = RESERVED.iter().map(|s| s.to_string()).collect();
    let mut page_segment: HashMap<u64, String> = HashMap::new();
    let mut entries: Vec<Entry> = Vec::new();
    // Parents before their children, so a child's path starts with its parent's final slug.
    let depth = |item: &Item| {
        let (mut depth, mut parent) = (0, item.parent);
        while parent != 0 && depth < 100 {
            let Some(p) = pages_by_id.get(&parent) else {
                break;
            };
            depth += 1;
            parent = p.parent;
        }
        depth
    };
    let mut ordered: Vec<(usize, &Item, Kind)> = candidates
        .iter()
        .map(|(item, kind)| {
            (
                if *kind == Kind::Page { depth(item) } else { 0 },
                *item,
                *kind,
            )
        })
        .collect();
    ordered.sort_by_key(|(depth, _, kind)| (*kind == Kind::Brief, *depth));
    for kind in [Kind::Page, Kind::Brief] {
        for (_, item, _) in ordered.iter().filter(|(_, _, k)| *k == kind) {
            let wanted = wanted_slug(item);
            let mut path_prefix = String::new();
            if kind == Kind::Page {
                // The parents' slugs, from the top; a loop of parents stops where it repeats.
                let mut chain = Vec::new();
                let mut parent = item.parent;
                let mut seen = HashSet::from([item.id]);
                while parent != 0 && seen.insert(parent) {
                    let Some(p) = pages_by_id.get(&parent) else {
                        break;
                    };
                    chain.push(
                        page_segment
                            .get(&p.id)
                            .cloned()
                            .unwrap_or_else(|| wanted_slug(p)),
                    );
                    parent = p.parent;
                }
                chain.reverse();
                for segment in chain {
                    path_prefix.push_str(&segment);
                    path_prefix.push('/');
                }
            }
            let mut slug = wanted.clone();
            if slug.is_empty() || slugs::problem(&slug).is_some() {
                slug = format!("{}-{}", kind.noun(), item.id);
            }
            let mut n = 2;
            let base = slug.clone();
            while taken.contains(&format!("{path_prefix}{slug}")) {
                slug = format!("{base}-{n}");
                n += 1;
            }
            let path = format!("{path_prefix}{slug}");
            taken.insert(path.clone());
            if slug != wanted {
                let why = if wanted.is_empty() || slugs::problem(&wanted).is_some() {
                    format!("it has no usable slug: now `{slug}`")
                } else {
                    format!("its slug `{wanted}` was taken: now `{slug}`")
                };
                report.changed(kind.noun(), item, &why);
            } else if !item.name.is_empty() && decoded(&item.name) != wanted {
                report.changed(
                    kind.noun(),
                    item,
                    &format!(
                        "its slug `{}` was made URL-safe: `{slug}`",
                        decoded(&item.name)
                    ),
                );
            }
            if kind == Kind::Page {
                page_segment.insert(item.id, slug.clone());
            }
            entries.push(Entry { item, kind, path });
        }
    }
    let mut links = Links::new(
        &[&channel.link, &channel.base_blog_url],
        &base_path,
        uploads,
    );
    for entry in &entries {
        links.add(
            entry.item.id,
            &entry.item.link,
            &format!("{base_path}{}/", entry.path),
        );
    }

    let authors = super::site::authors(export, &mut report);
    let terms: HashMap<&str, &str> = export
        .terms
        .iter()
        .filter(|t| t.taxonomy == "category")
        .map(|t| (t.id.as_str(), t.slug.as_str()))
        .collect();

    let md = super::markdown::converter();
    let cx = Context {
        attachments: &attachments,
        children: &children,
        links: &links,
    };
    let converted: Vec<Converted> = entries
        .par_iter()
        .map(|e| {
            content::convert(
                e.item.id,
                &e.item.content,
                e.item.meta("footnotes"),
                &cx,
                &md,
            )
        })
        .collect();

    let mut files = Vec::new();
    let mut uploads = Vec::new();
    let mut external: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (entry, body) in entries.iter().zip(converted) {
        let item = entry.item;
        let noun = entry.kind.noun();
        for note in &body.notes {
            report.changed(noun, item, note);
        }
        uploads.extend(body.copied_uploads);
        for url in body.external_uploads {
            external
                .entry(url)
                .or_default()
                .push(format!("{noun} {}", item.id));
        }
        let mut front = FrontMatter::default();
        let title = item.title.trim();
        front.title = if title.is_empty() {
            let made = untitled(item, &body.markdown);
            report.changed(noun, item, &format!("it has no title: titled \"{made}\""));
            made
        } else {
            title.to_owned()
        };
        front.aliases = aliases(item, entry.kind, &links, &base_path, &entry.path);
        front.draft = matches!(item.status.as_str(), "draft" | "pending");
        front.wordpress_id = item.id;
        match entry.kind {
            Kind::Page => {
                front.weight = item.menu_order;
                files.push((
                    format!("pages/{}.md", entry.path),
                    front.page(&body.markdown),
                ));
            }
            Kind::Brief => {
                brief_fields(
                    item,
                    &mut front,
                    &authors,
                    &terms,
                    &attachments,
                    &links,
                    &mut uploads,
                    &mut external,
                    &mut report,
                );
                files.push((
                    format!("briefs/{}.md", entry.path),
                    front.brief(&body.markdown),
                ));
            }
        }
    }
    for (url, mut items) in external {
        items.dedup();
        report.external_upload(&url, &items.join(", "));
    }

    let menu = super::site::menu(export, &entries_urls(&entries, &base_path), &mut report);
    files.push((
        "site.toml".to_owned(),
        super::site::site_toml(export, &base_url, &authors, &menu),
    ));
    report.counts(
        entries.iter().filter(|e| e.kind == Kind::Brief).count(),
        entries.iter().filter(|e| e.kind == Kind::Page).count(),
        authors.len(),
        menu.len(),
    );
    uploads.sort();
    uploads.dedup();
    Plan {
        files,
        uploads,
        report,
    }
}

/// Each imported item's id → its path under the site (`slug` or `about/staff`), and whether it
/// is a page.
fn entries_urls(entries: &[Entry], _base_path: &str) -> HashMap<u64, (String, bool)> {
    entries
        .iter()
        .map(|e| (e.item.id, (e.path.clone(), e.kind == Kind::Page)))
        .collect()
}

fn decoded(name: &str) -> String {
    percent_decode_str(name).decode_utf8_lossy().into_owned()
}

/// The slug WordPress had (`post_name`, percent-decoded), else one made from the title.
fn wanted_slug(item: &Item) -> String {
    let name = decoded(&item.name);
    let from = if name.trim().is_empty() {
        item.title.as_str()
    } else {
        name.as_str()
    };
    slugs::slugify(from)
}

/// A title for a post without one: its first words.
fn untitled(item: &Item, markdown: &str) -> String {
    let words: Vec<&str> = markdown
        .split_whitespace()
        .filter(|w| w.chars().any(char::is_alphanumeric) && !w.contains(['[', '(', '<', '!']))
        .take(8)
        .collect();
    if words.is_empty() {
        format!("Untitled ({})", item.id)
    } else {
        let text = words.join(" ");
        let text: String = text
            .chars()
            .filter(|c| !matches!(c, '*' | '_' | '#' | '\\'))
            .collect();
        format!("{text}…")
    }
}

/// The old permalink and the `?p=` (`?page_id=`) URL, each when it differs from the new path.
fn aliases(item: &Item, kind: Kind, links: &Links, _base_path: &str, path: &str) -> Vec<String> {
    let mut aliases = Vec::new();
    let new = format!("/{path}/");
    if let Some(old) = links.alias_of(&item.link)
        && old != new
    {
        aliases.push(old);
    }
    let query = match kind {
        Kind::Brief => format!("/?p={}", item.id),
        Kind::Page => format!("/?page_id={}", item.id),
    };
    if !aliases.contains(&query) {
        aliases.push(query);
    }
    aliases
}

#[allow(clippy::too_many_arguments)]
fn brief_fields(
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
    // Dates: GMT where WordPress recorded it; a draft's GMT date is all zeros.
    let gmt = valid_date(&item.date_gmt);
    let local = valid_date(&item.date);
    front.date = match (gmt, local) {
        (Some(gmt), _) => format!("{}Z", gmt.replace(' ', "T")),
        (None, Some(local)) => local.replace(' ', "T"),
        (None, None) => {
            report.changed("post", item, "it has no date: dated 1970-01-01");
            "1970-01-01".to_owned()
        }
    };
    if let Some(modified) = valid_date(&item.modified_gmt)
        && gmt.is_some_and(|d| modified > d)
    {
        front.updated = Some(format!("{}Z", modified.replace(' ', "T")));
    }
    let login = super::site::author_slug(&item.creator);
    if authors.contains_key(&login) {
        front.authors = vec![login];
    }

    // The category: Yoast's primary one, else the first; the others become tags.
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
            "post",
            item,
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
    front.tags = tags;

    let excerpt = plain_text(&item.excerpt);
    if !excerpt.is_empty() {
        front.summary = Some(excerpt);
    }

    if let Some(id) = item
        .meta("_thumbnail_id")
        .and_then(|id| id.trim().parse::<u64>().ok())
    {
        match attachments.get(&id) {
            Some(image) => {
                let url = match super::links::Links::upload_path(&image.url)
                    .map(|p| (links.upload(&p), p))
                {
                    Some((Upload::Copied(path), relative)) => {
                        uploads.push(relative);
                        path
                    }
                    Some((Upload::Unsafe, _)) => {
                        report.changed(
                            "post",
                            item,
                            &format!(
                                "its featured image `{}` leads out of the uploads folder: left out",
                                image.url
                            ),
                        );
                        String::new()
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
            None => report.changed(
                "post",
                item,
                &format!("its featured image (attachment {id}) is not in the export: left out"),
            ),
        }
    }
}

/// A `YYYY-MM-DD HH:MM:SS` date unless it is WordPress's zero date.
fn valid_date(text: &str) -> Option<&str> {
    let text = text.trim();
    (text.len() == 19 && !text.starts_with("0000")).then_some(text)
}

/// HTML to one line of plain text, for summaries and credits.
pub fn plain_text(html: &str) -> String {
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

/// The new site's address: the channel's link, or WordPress's blog URL.
fn site_base_url(link: &str, blog: &str, report: &mut Report) -> String {
    for url in [link, blog] {
        let url = url.trim();
        if url.starts_with("http://") || url.starts_with("https://") {
            return url.trim_end_matches('/').to_owned();
        }
    }
    report.note(
        "the export names no site address: base_url is https://example.org, change it in site.toml"
            .to_owned(),
    );
    "https://example.org".to_owned()
}
