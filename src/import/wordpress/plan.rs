//! From an export's index to the files of a site: which items become briefs and pages, at which
//! slugs, with which front matter, where every old URL leads, and what the report says about
//! each. Bodies are converted afterwards, one item at a time (`Plan::convert`), as the second
//! reading of the export hands them over.

use std::collections::{BTreeMap, HashMap, HashSet};

use htmd::HtmlToMarkdown;

use super::content::{self, Attachment, Context};
use super::fields::brief_fields;
use super::front::FrontMatter;
use super::links::{Links, split_url};
use super::places::{Entry, Kind, RESERVED, candidates, decoded, place};
use super::report::{Report, Subject};
use super::wxr::{Export, Item};
use crate::slugs;

/// What the import writes: the items to convert, and all a body needs from the rest of the
/// export.
pub(super) struct Plan {
    /// The items imported, in the export's order.
    pub entries: Vec<Planned>,
    attachments: HashMap<u64, Attachment>,
    children: HashMap<u64, Vec<u64>>,
    links: Links,
    /// Uploads to copy: the path under the uploads folder.
    pub uploads: Vec<String>,
    /// Uploads left on the old site, with the items that use them.
    external: BTreeMap<String, Vec<String>>,
    site_toml: String,
    pub report: Report,
}

/// An item to import: where it goes and its front matter but for the title, which may come from
/// its body.
pub(super) struct Planned {
    /// The item's `seq` in the export.
    pub seq: usize,
    kind: Kind,
    /// A brief's slug, or a page's path (`about/staff`).
    path: String,
    front: FrontMatter,
    subject: Subject,
}

/// A converted item: its file and what the report says about it.
pub(super) struct ItemFile {
    /// The file, relative to the site folder.
    pub path: String,
    pub text: String,
    notes: Vec<String>,
    copied_uploads: Vec<String>,
    external_uploads: Vec<String>,
}

pub(super) fn plan(export: &Export, uploads: Option<std::path::PathBuf>) -> Plan {
    let mut report = Report::default();
    let channel = &export.channel;
    let base_url = site_base_url(&channel.link, &channel.base_blog_url, &mut report);
    let base_path = match split_url(&base_url).path.trim_end_matches('/') {
        "" => "/".to_owned(),
        path => format!("{path}/"),
    };
    let (attachments, children) = attachments(export);
    let candidates = candidates(export, &mut report);
    let entries = place(&candidates, &mut report);
    let mut links = old_urls(export, &entries, &attachments, &base_path, uploads);

    let authors = super::site::authors(export, &mut report);
    let terms: HashMap<&str, &str> = export
        .terms
        .iter()
        .filter(|t| t.taxonomy == "category")
        .map(|t| (t.id.as_str(), t.slug.as_str()))
        .collect();

    // Front matter first: which names end up as categories and which as tags decides where the
    // old category and tag pages lead.
    let mut uploads = Vec::new();
    let mut external: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut fronts: Vec<FrontMatter> = Vec::with_capacity(entries.len());
    let taken: HashSet<String> = entries.iter().map(|e| e.path.clone()).collect();
    let mut used_aliases: HashSet<String> = HashSet::new();
    for entry in &entries {
        let item = entry.item;
        let mut front = FrontMatter {
            aliases: aliases(entry, &links, &taken, &mut used_aliases, &mut report),
            draft: matches!(item.status.as_str(), "draft" | "pending"),
            wordpress_id: item.id,
            ..FrontMatter::default()
        };
        match entry.kind {
            Kind::Page => front.weight = item.menu_order,
            Kind::Brief => brief_fields(
                item,
                &mut front,
                &authors,
                &terms,
                &attachments,
                &links,
                &mut uploads,
                &mut external,
                &mut report,
            ),
        }
        fronts.push(front);
    }
    old_archives(export, &fronts, &authors, &mut links);

    let menu = super::site::menu(export, &entries_urls(&entries, &base_path), &mut report);
    let site_toml = super::site::site_toml(export, &base_url, &authors, &menu);
    report.counts(
        entries.iter().filter(|e| e.kind == Kind::Brief).count(),
        entries.iter().filter(|e| e.kind == Kind::Page).count(),
        authors.len(),
        menu.len(),
    );
    Plan {
        entries: planned(entries, fronts),
        attachments,
        children,
        links,
        uploads,
        external,
        site_toml,
        report,
    }
}

/// Where each old URL of an imported item (and of an attachment's page) leads.
fn old_urls(
    export: &Export,
    entries: &[Entry],
    attachments: &HashMap<u64, Attachment>,
    base_path: &str,
    uploads: Option<std::path::PathBuf>,
) -> Links {
    let channel = &export.channel;
    let mut links = Links::new(&[&channel.link, &channel.base_blog_url], base_path, uploads);
    for entry in entries {
        let url = format!("{base_path}{}/", entry.path);
        links.add(entry.item.id, &entry.item.link, &url);
        if entry.kind == Kind::Brief {
            links.add_name(&decoded(&entry.item.name), &url);
        }
    }
    // An attachment's page leads to its file.
    for item in export.items.iter().filter(|i| i.post_type == "attachment") {
        if let Some(file) = attachments.get(&item.id) {
            links.add(item.id, &item.link, &file.url);
        }
    }
    links
}

/// The entries with their front matter, in the export's order.
fn planned(entries: Vec<Entry>, fronts: Vec<FrontMatter>) -> Vec<Planned> {
    let mut planned: Vec<Planned> = entries
        .into_iter()
        .zip(fronts)
        .map(|(entry, front)| Planned {
            seq: entry.item.seq,
            kind: entry.kind,
            path: entry.path,
            front,
            subject: Subject::of(entry.kind.noun(), entry.item),
        })
        .collect();
    planned.sort_by_key(|e| e.seq);
    planned
}

/// The attachments by id (for featured images and galleries), and each item's attached files in
/// their menu order.
#[allow(clippy::type_complexity)]
fn attachments(export: &Export) -> (HashMap<u64, Attachment>, HashMap<u64, Vec<u64>>) {
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
    (attachments, children)
}

impl Plan {
    /// The file of entry `n`, from its item as the second reading gives it (with its body).
    pub(super) fn convert(&self, n: usize, item: &Item, md: &HtmlToMarkdown) -> ItemFile {
        let entry = &self.entries[n];
        let cx = Context {
            attachments: &self.attachments,
            children: &self.children,
            links: &self.links,
        };
        let body = content::convert(
            entry.subject.id,
            &item.content,
            item.meta("footnotes"),
            &cx,
            md,
        );
        let mut notes = body.notes;
        let mut front = entry.front.clone();
        let title = entry.subject.title.trim();
        front.title = if title.is_empty() {
            let made = untitled(entry.subject.id, &body.markdown);
            notes.push(format!("it has no title: titled \"{made}\""));
            made
        } else {
            title.to_owned()
        };
        let (path, text) = match entry.kind {
            Kind::Page => (
                format!("pages/{}.md", entry.path),
                front.page(&body.markdown),
            ),
            Kind::Brief => (
                format!("briefs/{}.md", entry.path),
                front.brief(&body.markdown),
            ),
        };
        ItemFile {
            path,
            text,
            notes,
            copied_uploads: body.copied_uploads,
            external_uploads: body.external_uploads,
        }
    }

    /// Takes what the report says about converted entry `n` (in the export's order).
    pub(super) fn record(&mut self, n: usize, converted: &mut ItemFile) {
        let subject = &self.entries[n].subject;
        for note in &converted.notes {
            self.report.changed(subject, note);
        }
        self.uploads.append(&mut converted.copied_uploads);
        for url in converted.external_uploads.drain(..) {
            self.external
                .entry(url)
                .or_default()
                .push(format!("{} {}", subject.noun, subject.id));
        }
    }

    /// site.toml and import-report.md, once every entry is recorded; the uploads to copy sorted.
    pub(super) fn finish(&mut self, export_name: &str) -> Vec<(String, String)> {
        for (url, items) in std::mem::take(&mut self.external) {
            let mut items = items;
            items.dedup();
            self.report.external_upload(&url, &items.join(", "));
        }
        self.uploads.sort();
        self.uploads.dedup();
        self.report.sort();
        vec![
            ("site.toml".to_owned(), self.site_toml.clone()),
            (
                "import-report.md".to_owned(),
                self.report.markdown(export_name),
            ),
        ]
    }
}

/// The old site's category, tag and author pages lead to the new site's: a category that became
/// a tag (a post's second category) to the tag's page.
fn old_archives(
    export: &Export,
    fronts: &[FrontMatter],
    authors: &BTreeMap<String, super::site::Author>,
    links: &mut Links,
) {
    let categories: HashSet<&str> = fronts
        .iter()
        .filter_map(|f| f.category.as_deref())
        .collect();
    let tags: HashSet<&str> = fronts
        .iter()
        .flat_map(|f| f.tags.iter().map(String::as_str))
        .collect();
    let base = links.new_base_path().to_owned();
    for term in &export.terms {
        let (old, name) = match term.taxonomy.as_str() {
            "category" => ("category", term.name.as_str()),
            "post_tag" => ("tag", term.name.as_str()),
            _ => continue,
        };
        let new = if categories.contains(name) {
            format!("{base}categories/{}/", slugs::derived(name, "category"))
        } else if tags.contains(name) {
            format!("{base}tags/{}/", slugs::derived(name, "tag"))
        } else {
            continue;
        };
        links.add_path(&format!("{old}/{}/", term.slug), &new);
    }
    for author in &export.authors {
        let slug = super::site::author_slug(&author.login);
        if authors.contains_key(&slug) {
            links.add_path(
                &format!("author/{}/", author.login),
                &format!("{base}authors/{slug}/"),
            );
        }
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

/// A title for a post without one: its first words.
fn untitled(id: u64, markdown: &str) -> String {
    let words: Vec<&str> = markdown
        .split_whitespace()
        .filter(|w| w.chars().any(char::is_alphanumeric) && !w.contains(['[', '(', '<', '!']))
        .take(8)
        .collect();
    if words.is_empty() {
        format!("Untitled ({id})")
    } else {
        let text = words.join(" ");
        let text: String = text
            .chars()
            .filter(|c| !matches!(c, '*' | '_' | '#' | '\\'))
            .collect();
        format!("{text}…")
    }
}

/// Where the old URLs of an item can redirect: its old permalink (unless it is its new path, the
/// path of another imported item or inside one of dossier's own sections) and its `?p=`
/// (`?page_id=`) address.
fn aliases(
    entry: &Entry,
    links: &Links,
    taken: &HashSet<String>,
    used: &mut HashSet<String>,
    report: &mut Report,
) -> Vec<String> {
    let item = entry.item;
    let mut aliases = Vec::new();
    let new = format!("/{}/", entry.path);
    if let Some(old) = links.alias_of(&item.link)
        && old != new
    {
        let first = old
            .trim_start_matches('/')
            .split(['/', '?'])
            .next()
            .unwrap_or_default();
        let why = if let Err(why) = crate::load::pages::normalize_alias(&old) {
            Some(format!("cannot be a redirect: it {why}"))
        } else if RESERVED.contains(&first) {
            Some(format!("is now the site's own /{first}/"))
        } else if taken.contains(old.trim_matches('/')) {
            Some("is now another imported item's".to_owned())
        } else if !used.insert(old.clone()) {
            Some("is another item's old address too".to_owned())
        } else {
            None
        };
        match why {
            Some(why) => report.changed(
                &Subject::of(entry.kind.noun(), item),
                &format!("its old address {old} {why}: no redirect from it"),
            ),
            None => aliases.push(old),
        }
    }
    let query = match entry.kind {
        Kind::Brief => format!("/?p={}", item.id),
        Kind::Page => format!("/?page_id={}", item.id),
    };
    if !aliases.contains(&query) && used.insert(query.clone()) {
        aliases.push(query);
    }
    aliases
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
