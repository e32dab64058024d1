//! Standalone pages, menus and redirects, resolved against the briefs: every page and every alias
//! must have a URL of its own (a clash is an error naming both files), a menu entry's `page` must
//! be a page, and each alias becomes a redirect to its page or brief.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use serde::Serialize;

use super::{RESERVED_SLUGS, Site};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::load::front_matter::value_position;
use crate::load::pages::LoadedPage;

/// A standalone page, with its URL.
#[derive(Debug)]
pub struct StandalonePage {
    pub loaded: LoadedPage,
    /// Under the base path, e.g. `/blog/about/staff/`.
    pub url: String,
}

/// A redirect from an old path (an alias) to a page or brief.
#[derive(Debug, Clone)]
pub struct Redirect {
    /// The alias, from the site's root: `/2019/05/old/`, `/old.html` or `/?p=12`.
    pub from: String,
    /// The URL it leads to, under the base path.
    pub to: String,
    /// The title of what it leads to.
    pub title: String,
}

impl Redirect {
    /// The file that serves the redirect, relative to the output folder; `None` for an alias
    /// with a query, which only `_redirects` can serve.
    pub fn output_path(&self) -> Option<String> {
        if self.from.contains('?') {
            return None;
        }
        Some(output_path(&self.from))
    }
}

/// A menu entry as templates see it.
#[derive(Debug, Clone, Serialize)]
pub struct MenuItem {
    pub name: String,
    pub url: String,
    pub weight: i64,
}

/// The file a site path (`/a/b/`, `/a.html`) is written to, relative to the output folder.
pub fn output_path(path: &str) -> String {
    let path = path.trim_start_matches('/');
    if path.is_empty() || path.ends_with('/') {
        format!("{path}index.html")
    } else {
        path.to_owned()
    }
}

/// Files at the output's root that dossier writes itself.
const ROOT_FILES: &[&str] = &[
    "index.html",
    "404.html",
    "atom.xml",
    "rss.xml",
    "sitemap.xml",
    "robots.txt",
    "citations.json",
    "citations.bib",
    "style.css",
    "search.js",
    "favicon.svg",
    "_redirects",
    "redirects.json",
];

/// Adds the pages (drafts only with `drafts`), their menus and every alias's redirect to `site`.
pub fn resolve(site: &mut Site, loaded: Vec<LoadedPage>, drafts: bool) -> Diagnostics {
    let mut problems = Diagnostics::default();
    let base_path = site.config.base_path();
    let mut pages: Vec<StandalonePage> = loaded
        .into_iter()
        .filter(|p| drafts || !p.front.draft)
        .map(|loaded| StandalonePage {
            url: format!("{base_path}{}/", loaded.url_path),
            loaded,
        })
        .collect();
    pages.sort_by(|a, b| {
        a.loaded
            .url_path
            .cmp(&b.loaded.url_path)
            .then(a.loaded.path.cmp(&b.loaded.path))
    });
    let owners = owners(site, &pages, &mut problems);
    let redirects = redirects(site, &pages, &owners, &mut problems);
    let menus = menus(site, &pages, &mut problems);
    site.pages = pages;
    site.redirects = redirects;
    site.menus = menus;
    problems
}

/// Who has each output file: a brief or a page (its file, and which it is). A page inside the
/// site's own pages or at another's URL is a problem.
fn owners(
    site: &Site,
    pages: &[StandalonePage],
    problems: &mut Diagnostics,
) -> HashMap<String, (PathBuf, &'static str)> {
    let mut owners: HashMap<String, (PathBuf, &'static str)> = HashMap::new();
    for brief in &site.briefs {
        owners.insert(
            format!("{}/index.html", brief.loaded.slug),
            (brief.loaded.path.clone(), "brief"),
        );
    }
    for page in pages {
        let first = page
            .loaded
            .url_path
            .split('/')
            .next()
            .expect("split yields at least one part");
        if RESERVED_SLUGS.contains(&first) {
            problems.push(
                page.loaded
                    .at_field(
                        "path",
                        Diagnostic::new(format!(
                            "the URL /{}/ is inside the site's own /{first}/ pages",
                            page.loaded.url_path
                        )),
                    )
                    .with_hint("move the file or set another `path` or `slug`"),
            );
            continue;
        }
        let file = format!("{}/index.html", page.loaded.url_path);
        if let Some((other, what)) = owners.insert(file, (page.loaded.path.clone(), "page")) {
            problems.push(
                page.loaded
                    .at_field(
                        "slug",
                        Diagnostic::new(format!(
                            "this page and the {what} {} both have the URL /{}/",
                            other.display(),
                            page.loaded.url_path
                        )),
                    )
                    .with_hint("give one of them another file name, `slug` or `path`"),
            );
        }
    }
    owners
}

/// What has aliases: a brief's or a page's file, its front matter and where it leads.
struct AliasOwner<'a> {
    aliases: &'a [String],
    path: &'a Path,
    text: &'a str,
    front_start: usize,
    url: String,
    title: &'a str,
}

/// The redirects of briefs' and pages' aliases, sorted by alias. An alias inside the site's own
/// pages, on a file dossier writes, at a brief's or page's URL or taken twice is a problem,
/// pointed at where the alias is written.
fn redirects(
    site: &Site,
    pages: &[StandalonePage],
    owners: &HashMap<String, (PathBuf, &'static str)>,
    problems: &mut Diagnostics,
) -> Vec<Redirect> {
    let base_path = site.config.base_path();
    let mut redirects: Vec<Redirect> = Vec::new();
    let mut by_alias: HashMap<String, PathBuf> = HashMap::new();
    let targets = site
        .briefs
        .iter()
        .map(|b| AliasOwner {
            aliases: &b.loaded.front.aliases,
            path: &b.loaded.path,
            text: &b.loaded.text,
            front_start: b.loaded.front_start,
            url: format!("{base_path}{}/", b.loaded.slug),
            title: &b.loaded.front.title,
        })
        .chain(pages.iter().map(|p| AliasOwner {
            aliases: &p.loaded.front.aliases,
            path: &p.loaded.path,
            text: &p.loaded.text,
            front_start: p.loaded.front_start,
            url: p.url.clone(),
            title: &p.loaded.front.title,
        }));
    for owner in targets {
        for alias in owner.aliases {
            let at = |d: Diagnostic| -> Diagnostic {
                let (line, column) =
                    value_position(owner.text, owner.front_start, "aliases", alias);
                d.in_file(owner.path).at(owner.text, line, column)
            };
            if let Some(problem) = alias_problem(alias, owners, &mut by_alias, owner.path) {
                problems.push(at(problem));
                continue;
            }
            redirects.push(Redirect {
                from: alias.clone(),
                to: owner.url.clone(),
                title: owner.title.to_owned(),
            });
        }
    }
    redirects.sort_by(|a, b| a.from.cmp(&b.from));
    redirects
}

/// What is wrong with `alias` of the file `path`, if anything; else it is taken for `path`.
fn alias_problem(
    alias: &str,
    owners: &HashMap<String, (PathBuf, &'static str)>,
    by_alias: &mut HashMap<String, PathBuf>,
    path: &Path,
) -> Option<Diagnostic> {
    let first = alias
        .trim_start_matches('/')
        .split(['/', '?'])
        .next()
        .expect("split yields at least one part");
    if RESERVED_SLUGS.contains(&first) && alias.len() > first.len() + 1 {
        return Some(
            Diagnostic::new(format!(
                "the alias `{alias}` is inside the site's own /{first}/ pages"
            ))
            .with_hint("an old URL there would clash with dossier's own pages: leave it out"),
        );
    }
    if !alias.contains('?') {
        let file = output_path(alias);
        if ROOT_FILES.contains(&file.as_str()) {
            return Some(
                Diagnostic::new(format!(
                    "the alias `{alias}` is a file dossier writes itself"
                ))
                .with_hint("leave it out"),
            );
        }
        if let Some((other, what)) = owners.get(&file) {
            return Some(Diagnostic::new(format!("the alias `{alias}` is the URL of the {what} {}", other.display()))
                .with_hint("an alias is an old address that no page has any more: remove it, or change the other's URL"));
        }
    }
    if let Some(other) = by_alias.insert(alias.to_owned(), path.to_owned()) {
        return Some(
            Diagnostic::new(format!(
                "the alias `{alias}` is also an alias of {}",
                other.display()
            ))
            .with_hint("an old address can lead to one page only: remove it from one of them"),
        );
    }
    None
}

/// Menus: site.toml's entries, then pages that name a menu; lightest first.
fn menus(
    site: &Site,
    pages: &[StandalonePage],
    problems: &mut Diagnostics,
) -> BTreeMap<String, Vec<MenuItem>> {
    let base_path = site.config.base_path();
    let by_path: HashMap<&str, &StandalonePage> = pages
        .iter()
        .map(|p| (p.loaded.url_path.as_str(), p))
        .collect();
    let by_file: HashMap<String, &StandalonePage> = pages
        .iter()
        .map(|p| {
            let file = p
                .loaded
                .path
                .strip_prefix("pages")
                .unwrap_or(&p.loaded.path)
                .with_extension("");
            (file.to_string_lossy().replace('\\', "/"), p)
        })
        .collect();
    let mut menus: BTreeMap<String, Vec<MenuItem>> = BTreeMap::new();
    for (name, entries) in &site.config.menu {
        let items = menus.entry(name.clone()).or_default();
        for entry in entries {
            let url = match (&entry.page, &entry.url) {
                (Some(page), _) => {
                    let key = page.trim_matches('/').trim_end_matches(".md");
                    match by_file.get(key).or_else(|| by_path.get(key)) {
                        Some(p) => p.url.clone(),
                        None => {
                            problems.push(
                                Diagnostic::new(format!("the menu entry “{}” of [[menu.{name}]] names the page `{page}`, and there is no pages/{key}.md", entry.name))
                                    .in_file("site.toml")
                                    .with_hint("give the path of a file under pages/ without .md, e.g. page = \"about\" for pages/about.md (a draft page counts only with --drafts)"),
                            );
                            continue;
                        }
                    }
                }
                (None, Some(url)) if url.starts_with('/') && !url.starts_with("//") => {
                    format!("{base_path}{}", url.trim_start_matches('/'))
                }
                (None, Some(url)) => url.clone(),
                (None, None) => continue,
            };
            items.push(MenuItem {
                name: entry.name.clone(),
                url,
                weight: entry.weight,
            });
        }
    }
    for page in pages {
        if let Some(menu) = &page.loaded.front.menu {
            menus.entry(menu.clone()).or_default().push(MenuItem {
                name: page.loaded.front.title.clone(),
                url: page.url.clone(),
                weight: page.loaded.front.weight,
            });
        }
    }
    for items in menus.values_mut() {
        // A stable sort keeps the written order among equal weights.
        items.sort_by_key(|item| item.weight);
    }
    menus
}
