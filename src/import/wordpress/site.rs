//! site.toml from the channel: title, description, address, language, one author table per
//! `wp:author`, and the main menu from the `nav_menu_item`s.

use std::collections::{BTreeMap, HashMap};

use super::front::toml_string;
use super::report::Report;
use super::wxr::{Export, Item};
use crate::slugs;

pub(super) struct Author {
    pub name: String,
    pub bio: String,
}

/// An author's key in site.toml, from their login.
pub(super) fn author_slug(login: &str) -> String {
    slugs::slugify(login)
}

/// The export's authors by slug; a post's creator missing from the list is added by login.
pub(super) fn authors(export: &Export, report: &mut Report) -> BTreeMap<String, Author> {
    let mut authors = BTreeMap::new();
    for author in &export.authors {
        let slug = author_slug(&author.login);
        if let Some(problem) = slugs::problem(&slug) {
            report.note(format!(
                "the author `{}` was left out: their login cannot be a URL ({problem})",
                author.login
            ));
            continue;
        }
        let full = format!("{} {}", author.first_name, author.last_name);
        let name = [author.display_name.trim(), full.trim(), author.login.trim()]
            .into_iter()
            .find(|n| !n.is_empty())
            .unwrap_or_default()
            .to_owned();
        authors.insert(
            slug,
            Author {
                name,
                bio: author.description.clone(),
            },
        );
    }
    for item in export
        .items
        .iter()
        .filter(|i| matches!(i.post_type.as_str(), "post" | "page"))
    {
        let slug = author_slug(&item.creator);
        if !item.creator.is_empty()
            && slugs::problem(&slug).is_none()
            && !authors.contains_key(&slug)
        {
            report.note(format!("the author `{}` of post {} is not among the export's authors: added with their login as name", item.creator, item.id));
            authors.insert(
                slug,
                Author {
                    name: item.creator.clone(),
                    bio: String::new(),
                },
            );
        }
    }
    authors
}

/// A `[[menu.main]]` entry.
#[derive(Debug)]
pub(super) struct MenuEntry {
    pub name: String,
    /// A page's path under `pages/`, or a URL.
    pub page: Option<String>,
    pub url: Option<String>,
    pub weight: i64,
}

/// The main menu: the WordPress menu named like a main menu (main, primary, header, top), else
/// the one with most entries. Entries are its top-level items.
pub(super) fn menu(
    export: &Export,
    imported: &HashMap<u64, (String, bool)>,
    report: &mut Report,
) -> Vec<MenuEntry> {
    let Some(mut items) = main_menu(export, report) else {
        return Vec::new();
    };
    let titles: HashMap<u64, &str> = export
        .items
        .iter()
        .map(|i| (i.id, i.title.trim()))
        .collect();
    let terms: HashMap<&str, &str> = export
        .terms
        .iter()
        .map(|t| (t.id.as_str(), t.name.as_str()))
        .collect();
    items.sort_by_key(|i| i.menu_order);
    items
        .into_iter()
        .filter_map(|item| menu_entry(item, imported, &titles, &terms, report))
        .collect()
}

/// The items of the main menu; the report names the menus left out.
fn main_menu<'e>(export: &'e Export, report: &mut Report) -> Option<Vec<&'e Item>> {
    let mut menus: BTreeMap<String, Vec<&Item>> = BTreeMap::new();
    for item in export
        .items
        .iter()
        .filter(|i| i.post_type == "nav_menu_item")
    {
        let name = item
            .terms
            .iter()
            .find(|t| t.domain == "nav_menu")
            .map(|t| t.name.clone())
            .unwrap_or_default();
        menus.entry(name).or_default().push(item);
    }
    let top = |items: &Vec<&Item>| items.iter().filter(|i| is_top(i)).count();
    let main = menus
        .keys()
        .find(|name| {
            let lower = name.to_lowercase();
            ["main", "primary", "header", "top"]
                .iter()
                .any(|w| lower.contains(w))
        })
        .or_else(|| {
            menus
                .iter()
                .max_by_key(|(_, items)| top(items))
                .map(|(name, _)| name)
        })
        .cloned()?;
    for (name, items) in &menus {
        if *name != main {
            report.note(format!("the menu “{name}” ({} entries) was not imported: a site has one main menu, “{main}” was taken", items.len()));
        }
    }
    Some(
        menus
            .remove(&main)
            .expect("the main menu is one of the menus"),
    )
}

/// The entry of a menu item: a page, a brief, a category or tag, or an address. An item nested
/// under another or leading nowhere is left out, and the report says so.
fn menu_entry(
    item: &Item,
    imported: &HashMap<u64, (String, bool)>,
    titles: &HashMap<u64, &str>,
    terms: &HashMap<&str, &str>,
    report: &mut Report,
) -> Option<MenuEntry> {
    let object_id = item.meta("_menu_item_object_id").unwrap_or_default().trim();
    let object = item.meta("_menu_item_object").unwrap_or_default();
    let mut name = item.title.trim().to_owned();
    if !is_top(item) {
        report.note(format!(
            "the menu entry “{}” is nested under another: left out (dossier menus have one level)",
            if name.is_empty() { object_id } else { &name }
        ));
        return None;
    }
    let mut entry = MenuEntry {
        name: String::new(),
        page: None,
        url: None,
        weight: item.menu_order,
    };
    match item.meta("_menu_item_type").unwrap_or_default() {
        "post_type" => {
            let id: u64 = object_id.parse().unwrap_or(0);
            match imported.get(&id) {
                Some((path, true)) => entry.page = Some(path.clone()),
                Some((slug, false)) => entry.url = Some(format!("/{slug}/")),
                None => {
                    report.note(format!("the menu entry “{name}” leads to item {id}, which was not imported: left out"));
                    return None;
                }
            }
            if name.is_empty() {
                name = titles.get(&id).copied().unwrap_or_default().to_owned();
            }
        }
        "taxonomy" => {
            let term = terms.get(object_id).copied().unwrap_or_default();
            let (section, kind) = if object == "post_tag" {
                ("tags", "tag")
            } else {
                ("categories", "category")
            };
            let slug = slugs::derived(term, kind);
            if slug.is_empty() {
                report.note(format!(
                    "the menu entry “{name}” leads to an unknown term: left out"
                ));
                return None;
            }
            entry.url = Some(format!("/{section}/{slug}/"));
            if name.is_empty() {
                name = term.to_owned();
            }
        }
        _ => {
            let url = item.meta("_menu_item_url").unwrap_or_default().trim();
            if url.is_empty() || url == "#" {
                report.note(format!("the menu entry “{name}” has no address: left out"));
                return None;
            }
            entry.url = Some(url.to_owned());
        }
    }
    if name.is_empty() {
        name = "Untitled".to_owned();
    }
    entry.name = name;
    Some(entry)
}

fn is_top(item: &Item) -> bool {
    matches!(
        item.meta("_menu_item_menu_item_parent").map(str::trim),
        None | Some("" | "0")
    )
}

pub(super) fn site_toml(
    export: &Export,
    base_url: &str,
    authors: &BTreeMap<String, Author>,
    menu: &[MenuEntry],
) -> String {
    let channel = &export.channel;
    let title = if channel.title.trim().is_empty() {
        "Imported Site"
    } else {
        channel.title.trim()
    };
    let language = if channel.language.trim().is_empty() {
        "en"
    } else {
        channel.language.trim()
    };
    let mut out = String::from(
        "# Imported from a WordPress export by `dossier import wordpress`; see import-report.md.\n",
    );
    out.push_str(&format!("title = {}\n", toml_string(title)));
    out.push_str(&format!(
        "description = {}\n",
        toml_string(channel.description.trim())
    ));
    out.push_str(&format!("base_url = {}\n", toml_string(base_url)));
    out.push_str(&format!("language = {}\n", toml_string(language)));
    for (slug, author) in authors {
        out.push_str(&format!(
            "\n[authors.{slug}]\nname = {}\n",
            toml_string(&author.name)
        ));
        if !author.bio.trim().is_empty() {
            out.push_str(&format!("bio = {}\n", toml_string(author.bio.trim())));
        }
    }
    for entry in menu {
        out.push_str(&format!(
            "\n[[menu.main]]\nname = {}\n",
            toml_string(&entry.name)
        ));
        if let Some(page) = &entry.page {
            out.push_str(&format!("page = {}\n", toml_string(page)));
        }
        if let Some(url) = &entry.url {
            out.push_str(&format!("url = {}\n", toml_string(url)));
        }
        out.push_str(&format!("weight = {}\n", entry.weight));
    }
    out
}
