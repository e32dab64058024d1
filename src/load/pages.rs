//! Standalone pages: Markdown files under `pages/` (an "About" page, a staff list, a contact
//! page) that are not briefs. Each renders with the theme's `page.html` at its path
//! (`pages/about.md` is `/about/`, `pages/about/staff.md` is `/about/staff/`,
//! `pages/about/index.md` is `/about/`), and is in the sitemap and search but never in listings
//! or feeds. Their front matter is `title` and optionally `slug` (the last part of the path),
//! `path` (the whole path), `menu`, `weight`, `draft`, `aliases`, `summary`, `updated`, `extra`.

use std::path::{Path, PathBuf};

use rayon::prelude::*;
use serde::Deserialize;
use serde_json::Value;

use super::front_matter::{self, BriefDate};
use crate::diagnostics::{Diagnostic, Diagnostics, display_path};
use crate::markdown::{self, Body};
use crate::slugs;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PageFront {
    pub title: String,
    /// The last part of the page's path, instead of the file name.
    #[serde(default)]
    pub slug: Option<String>,
    /// The page's whole path from the site's root (`about/team`), instead of the file's place.
    #[serde(default)]
    pub path: Option<String>,
    /// A menu of site.toml to add the page to (`main` is the header's navigation).
    #[serde(default)]
    pub menu: Option<String>,
    /// Its place in the menu: lightest first.
    #[serde(default)]
    pub weight: i64,
    #[serde(default)]
    pub draft: bool,
    /// Old paths of the page, each of which gets a redirect to it.
    #[serde(default)]
    pub aliases: Vec<String>,
    /// For the page's description and search results; else its first paragraph.
    #[serde(default)]
    pub summary: Option<String>,
    /// The last change, for the sitemap.
    #[serde(default)]
    pub updated: Option<BriefDate>,
    #[serde(default)]
    pub extra: serde_json::Map<String, Value>,
}

/// Every page front-matter field, for "did you mean" hints.
pub const FIELDS: &[&str] = &[
    "title", "slug", "path", "menu", "weight", "draft", "aliases", "summary", "updated", "extra",
];

#[derive(Debug)]
pub struct LoadedPage {
    /// The file, relative to the site root, as shown in messages.
    pub path: PathBuf,
    pub text: String,
    pub front_start: usize,
    /// Where the body starts in `text`.
    pub body_start: usize,
    pub front: PageFront,
    pub body: Body,
    /// The page's path from the site's root, without slashes at either end (`about/staff`).
    pub url_path: String,
}

impl LoadedPage {
    /// A diagnostic pointing at a front-matter field of this page.
    pub fn at_field(&self, field: &str, diagnostic: Diagnostic) -> Diagnostic {
        front_matter::at_field(&self.path, &self.text, self.front_start, field, diagnostic)
    }
}

/// Loads every `*.md` under `<root>/pages` (none when the folder does not exist).
pub fn load_pages(root: &Path) -> (Vec<LoadedPage>, Diagnostics) {
    let dir = root.join("pages");
    let mut problems = Diagnostics::default();
    if !dir.is_dir() {
        return (Vec::new(), problems);
    }
    let mut files = Vec::new();
    let walker = walkdir::WalkDir::new(&dir)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'));
    for entry in walker {
        match entry {
            Ok(entry) if entry.path().extension().is_some_and(|e| e == "md") => {
                if entry.file_type().is_dir() {
                    continue;
                }
                files.push(entry.into_path());
            }
            Ok(_) => {}
            Err(err) => problems.push(
                Diagnostic::new(format!("cannot read: {err}"))
                    .in_file(
                        err.path()
                            .map(|p| display_path(root, p))
                            .unwrap_or_default(),
                    )
                    .with_hint("check that the folder exists and that dossier may read it"),
            ),
        }
    }
    let results: Vec<Result<LoadedPage, Diagnostic>> = files
        .par_iter()
        .map(|file| load_page(root, &dir, file))
        .collect();
    let mut pages = Vec::with_capacity(results.len());
    for result in results {
        match result {
            Ok(page) => pages.push(page),
            Err(problem) => problems.push(problem),
        }
    }
    (pages, problems)
}

/// Loads one page file.
pub fn load_page(root: &Path, dir: &Path, file: &Path) -> Result<LoadedPage, Diagnostic> {
    let shown = display_path(root, file);
    let text = crate::fs::read_site_text(root, file)?;
    let split = front_matter::split(&text).map_err(|d| d.in_file(&shown))?;
    let mut front: PageFront =
        front_matter::parse_as(&text, &split, FIELDS).map_err(|d| d.in_file(&shown))?;
    crate::html::close_bidi(&mut front.title);
    let (front_start, body_start) = (split.front_start, split.body_start);
    let at = |field: &str, diagnostic: Diagnostic| {
        let (line, column) = front_matter::field_position(&text, front_start, field);
        diagnostic.in_file(&shown).at(&text, line, column)
    };
    let url_path = match &front.path {
        Some(path) => path_from_field(path, &at)?,
        None => path_from_file(file, dir, front.slug.as_deref(), &shown, &at)?,
    };
    if url_path.is_empty() {
        return Err(
            Diagnostic::new("this page would be the home page, which lists the briefs")
                .in_file(&shown)
                .with_hint("move it into a folder or give it another name, e.g. pages/about.md"),
        );
    }
    normalize_aliases(&mut front.aliases, &text, front_start, &shown)?;
    let body = markdown::render_body(&text, body_start);
    if let Some(group) = body.citations.first() {
        return Err(Diagnostic::new(
            "a standalone page cannot cite sources: citations and references are for briefs",
        )
        .in_file(&shown)
        .at_offset(&text, group.offset)
        .with_hint("move the text into a brief, write the reference out, or escape the bracket as \\[ to show it as text"));
    }
    Ok(LoadedPage {
        path: shown,
        text,
        front_start,
        body_start,
        front,
        body,
        url_path,
    })
}

/// A page's URL path from its `path` field: slugs between slashes.
fn path_from_field(
    path: &str,
    at: &dyn Fn(&str, Diagnostic) -> Diagnostic,
) -> Result<String, Diagnostic> {
    let segments: Vec<&str> = path.trim_matches('/').split('/').collect();
    for segment in &segments {
        if slugs::slugify(segment) != *segment || slugs::problem(segment).is_some() {
            return Err(at(
                "path",
                Diagnostic::new(format!("the path `{}` is not made of URL slugs", slugs::shown(path))),
            )
            .with_hint("write lowercase letters, digits and hyphens between slashes, e.g. \"about/our-team\""));
        }
    }
    Ok(segments.join("/"))
}

/// A page's URL path from its place under `pages/` (the folders' names as slugs), its last part
/// the `slug` field or the file's name; `index.md` is its folder's page.
fn path_from_file(
    file: &Path,
    dir: &Path,
    slug_field: Option<&str>,
    shown: &Path,
    at: &dyn Fn(&str, Diagnostic) -> Diagnostic,
) -> Result<String, Diagnostic> {
    let relative = file.strip_prefix(dir).unwrap_or(file);
    let mut segments: Vec<String> = Vec::new();
    if let Some(parent) = relative.parent() {
        for part in parent.components() {
            let name = part.as_os_str().to_string_lossy();
            let slug = slugs::slugify(&name);
            if let Some(why) = slugs::problem(&slug) {
                return Err(Diagnostic::new(format!(
                    "cannot make a URL from the folder name `{}`: {why}",
                    slugs::shown(&name)
                ))
                .in_file(shown)
                .with_hint("rename the folder, or set `path` in the front matter"));
            }
            segments.push(slug);
        }
    }
    let (last, from_field) = match slug_field {
        Some(slug) => (slug.to_owned(), true),
        None => (
            file.file_stem()
                .expect("a page's file is named *.md")
                .to_string_lossy()
                .into_owned(),
            false,
        ),
    };
    // `pages/about/index.md` is the folder's own page.
    if last != "index" || from_field {
        let slug = slugs::slugify(&last);
        if let Some(why) = slugs::problem(&slug) {
            let diagnostic = Diagnostic::new(format!(
                "cannot make a URL slug from `{}`: {why}",
                slugs::shown(&last)
            ));
            return Err(if from_field {
                at("slug", diagnostic)
            } else {
                diagnostic.in_file(shown)
            }
            .with_hint("rename the file, or set `slug` in the front matter to lowercase letters, digits and hyphens"));
        }
        segments.push(slug);
    }
    Ok(segments.join("/"))
}

/// Each alias of a brief or page in its one form (see `normalize_alias`); the first that cannot
/// be is an error pointed at where it is written.
pub fn normalize_aliases(
    aliases: &mut [String],
    text: &str,
    front_start: usize,
    shown: &Path,
) -> Result<(), Diagnostic> {
    for alias in aliases {
        match normalize_alias(alias) {
            Ok(normal) => *alias = normal,
            Err(why) => {
                let (line, column) =
                    front_matter::value_position(text, front_start, "aliases", alias);
                return Err(
                    Diagnostic::new(format!("the alias `{}` {why}", slugs::shown(alias)))
                        .in_file(shown)
                        .at(text, line, column)
                        .with_hint(ALIAS_HINT),
                );
            }
        }
    }
    Ok(())
}

const ALIAS_HINT: &str =
    "write the old path from the site's root, e.g. \"/2019/05/14/old-slug/\" or \"/?p=123\"";

/// An alias as written (`/2019/05/old/`, `2019/05/old`, `/old.html`, `/?p=12`) in one form: a
/// leading slash, a trailing slash unless it names a file or has a query. Refused: anything that
/// could leave the output folder or is not a path (`..`, `//host`, `\`, `#`, a scheme).
pub fn normalize_alias(alias: &str) -> Result<String, String> {
    let alias = alias.trim();
    if alias.contains("://") || alias.starts_with("//") {
        return Err("is an address, not a path".to_owned());
    }
    if alias.contains(['\\', '#', '\0', '\n', '\r', '"', '<', '>'])
        || alias.chars().any(char::is_control)
    {
        return Err("holds a character a path cannot have here (\\, #, quotes, <, >)".to_owned());
    }
    let (path, query) = alias.split_once('?').unwrap_or((alias, ""));
    let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    if segments.iter().any(|s| *s == "." || *s == "..") {
        return Err("has `.` or `..` in it".to_owned());
    }
    if segments.is_empty() && query.is_empty() {
        return Err("is the home page".to_owned());
    }
    let mut normal = format!("/{}", segments.join("/"));
    let is_file = segments.last().is_some_and(|s| s.contains('.'));
    if !is_file && !segments.is_empty() {
        normal.push('/');
    }
    if !query.is_empty() {
        normal.push('?');
        normal.push_str(query);
    }
    Ok(normal)
}

#[cfg(test)]
mod tests {
    use super::normalize_alias;

    #[test]
    fn aliases_take_one_form_and_paths_out_are_refused() {
        assert_eq!(normalize_alias("2019/05/old").unwrap(), "/2019/05/old/");
        assert_eq!(normalize_alias("/old.html").unwrap(), "/old.html");
        assert_eq!(normalize_alias("/?p=12").unwrap(), "/?p=12");
        assert_eq!(normalize_alias("/a//b/").unwrap(), "/a/b/");
        for bad in [
            "/../etc/",
            "https://x.org/a",
            "//x.org/a",
            "/a\\b",
            "/",
            "/a#b",
        ] {
            assert!(normalize_alias(bad).is_err(), "{bad}");
        }
    }
}
