//! Stage 1, load: find every brief under `briefs/`, and in parallel read it, split and parse its
//! front matter, and render its Markdown body. Each file is read and rendered exactly once.

pub mod front_matter;
pub mod pages;

use std::fs;
use std::path::{Path, PathBuf};

/// The folders of a site's own files (beside site.toml and the bibliographies next to it).
pub const SITE_FOLDERS: &[&str] = &["briefs", "pages", "templates", "static", "themes"];

use rayon::prelude::*;

use crate::diagnostics::{Diagnostic, Diagnostics, display_path};
use crate::fs::{not_a_regular_file, resolve_link};
// Kept here for callers of `load::` that have not moved to `crate::fs` and `crate::slugs`.
pub use crate::fs::exists_but_not_a_file;
pub(crate) use crate::fs::read_site_text;
use crate::markdown::{self, Body};
pub use crate::slugs;
pub use front_matter::FrontMatter;

/// A brief as read from its file, before cross-references are resolved.
#[derive(Debug)]
pub struct LoadedBrief {
    /// The file, relative to the site root, as shown in messages.
    pub path: PathBuf,
    /// The whole file, kept for error snippets during resolution.
    pub text: String,
    /// Where the front matter and the body start in `text` (for error positions).
    pub front_start: usize,
    pub body_start: usize,
    pub front: FrontMatter,
    pub body: Body,
    pub slug: String,
}

impl LoadedBrief {
    /// A diagnostic pointing at a front-matter field of this brief.
    pub fn at_field(&self, field: &str, diagnostic: Diagnostic) -> Diagnostic {
        front_matter::at_field(&self.path, &self.text, self.front_start, field, diagnostic)
    }

    /// A diagnostic pointing at `value` where it is written in `field` (its value or an item of
    /// it), else at the field.
    pub fn at_value(&self, field: &str, value: &str, diagnostic: Diagnostic) -> Diagnostic {
        let (line, column) =
            front_matter::value_position(&self.text, self.front_start, field, value);
        diagnostic.in_file(&self.path).at(&self.text, line, column)
    }
}

/// Loads every `*.md` file under `<root>/briefs`, skipping hidden files (editor swap files).
/// Returns the briefs that loaded and the problems of those that did not, so that the build can go
/// on to check the rest and report everything in one run.
///
/// Symbolic links: a link to a brief file inside the site folder is read as that brief. A link
/// that leads outside the site folder, a broken link, a loop of links and a link to a folder are
/// errors naming the link: dossier never reads a file outside the site through a link, and never
/// follows a link to a folder (which could make a loop or read briefs twice). A `.md` entry that
/// is not a regular file (a pipe, a socket, a device) is an error too, and is never opened.
pub fn load_briefs(root: &Path) -> (Vec<LoadedBrief>, Diagnostics) {
    let dir = root.join("briefs");
    if !dir.is_dir() {
        let problem = Diagnostic::new(format!(
            "no briefs folder at {}",
            display_path(root, &dir).display()
        ))
        .with_hint("create `briefs/` beside site.toml and put Markdown briefs in it");
        return (Vec::new(), problem.into());
    }
    if dir.is_symlink()
        && let Err(problem) = resolve_link(root, &dir)
    {
        return (Vec::new(), problem.into());
    }
    let (files, mut problems) = brief_files(root, &dir);
    let results: Vec<Result<LoadedBrief, Diagnostic>> = files
        .par_iter()
        .map(|path| load_brief(root, path))
        .collect();
    let mut briefs = Vec::with_capacity(results.len());
    for result in results {
        match result {
            Ok(brief) => briefs.push(brief),
            Err(diagnostic) => problems.push(diagnostic),
        }
    }
    (briefs, problems)
}

/// The brief files under `dir` (hidden ones left out) in file-name order, and the problems of
/// entries that cannot be briefs: unreadable folders, links that lead outside the site or to a
/// folder, `.md` entries that are not regular files.
fn brief_files(root: &Path, dir: &Path) -> (Vec<PathBuf>, Diagnostics) {
    let mut problems = Diagnostics::default();
    let mut files = Vec::new();
    let walker = walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|entry| {
            entry.depth() == 0 || !entry.file_name().to_string_lossy().starts_with('.')
        });
    for entry in walker {
        let entry = match entry {
            Ok(entry) => entry,
            Err(err) => {
                let path = err
                    .path()
                    .map(|p| display_path(root, p))
                    .unwrap_or_default();
                problems.push(
                    Diagnostic::new(format!("cannot read: {err}"))
                        .in_file(path)
                        .with_hint("check that the folder exists and that dossier may read it"),
                );
                continue;
            }
        };
        let is_markdown = entry.path().extension().is_some_and(|e| e == "md");
        let file_type = entry.file_type();
        if entry.depth() > 0 && entry.path_is_symlink() {
            match fs::metadata(entry.path()) {
                // Whether it leads outside the site is checked when it is read.
                Ok(target) if target.is_file() && is_markdown => files.push(entry.into_path()),
                Ok(target) if target.is_dir() || is_markdown => {
                    if let Err(problem) = resolve_link(root, entry.path()) {
                        problems.push(problem);
                    } else if target.is_dir() {
                        problems.push(
                            Diagnostic::new(
                                "this is a link to a folder, and dossier does not follow links to folders under briefs/ (they can make loops)",
                            )
                            .in_file(display_path(root, entry.path()))
                            .with_hint("move the folder itself into briefs/, or link its briefs one by one"),
                        );
                    } else {
                        problems.push(not_a_regular_file(&display_path(root, entry.path())));
                    }
                }
                Ok(_) => {}
                Err(_) if is_markdown => {
                    if let Err(problem) = resolve_link(root, entry.path()) {
                        problems.push(problem);
                    }
                }
                // A broken link that is not a brief is not read, like any other file.
                Err(_) => {}
            }
        } else if is_markdown && file_type.is_file() {
            files.push(entry.into_path());
        } else if is_markdown && !file_type.is_dir() {
            problems.push(not_a_regular_file(&display_path(root, entry.path())));
        }
    }
    (files, problems)
}

/// Loads one brief file (`dossier serve` reloads single files with it).
pub(crate) fn load_brief(root: &Path, path: &Path) -> Result<LoadedBrief, Diagnostic> {
    let shown = display_path(root, path);
    let text = read_site_text(root, path)?;
    let split = front_matter::split(&text).map_err(|d| d.in_file(&shown))?;
    let mut front = front_matter::parse(&text, &split).map_err(|d| d.in_file(&shown))?;
    let (front_start, body_start) = (split.front_start, split.body_start);
    close_bidi_controls(&mut front);
    pages::normalize_aliases(&mut front.aliases, &text, front_start, &shown)?;
    let (slug_source, from_field) = match &front.slug {
        Some(slug) => (slug.clone(), true),
        None => (
            path.file_stem()
                .expect("a brief's file is named *.md")
                .to_string_lossy()
                .into_owned(),
            false,
        ),
    };
    let slug = slugs::slugify(&slug_source);
    if let Some(why) = slugs::problem(&slug) {
        let (what, hint) = if from_field {
            (
                format!("`{}`", slugs::shown(&slug_source)),
                "set `slug` in the front matter to lowercase letters, digits and hyphens, e.g. \"chip-exports-2023\"",
            )
        } else {
            (
                format!("the file name `{}`", slugs::shown(&slug_source)),
                "rename the file, or set `slug` in the front matter to lowercase letters, digits and hyphens",
            )
        };
        let diagnostic = Diagnostic::new(format!("cannot make a URL slug from {what}: {why}"))
            .in_file(&shown)
            .with_hint(hint);
        let (line, column) = front_matter::field_position(&text, front_start, "slug");
        return Err(diagnostic.at(&text, line, column));
    }
    let body = markdown::render_body(&text, body_start);
    let brief = LoadedBrief {
        path: shown,
        text,
        front_start,
        body_start,
        front,
        body,
        slug,
    };
    check_fields(&brief)?;
    Ok(brief)
}

/// Front-matter values that parse but cannot be used: a category or tag with nothing to make a
/// URL from, a lead image with a script URL.
fn check_fields(brief: &LoadedBrief) -> Result<(), Diagnostic> {
    let front = &brief.front;
    let terms = front
        .category
        .iter()
        .map(|name| ("category", name))
        .chain(front.tags.iter().map(|name| ("tags", name)));
    for (field, name) in terms {
        if slugs::derived(name, "term").is_empty() {
            let what = if field == "category" {
                "category"
            } else {
                "tag"
            };
            return Err(brief
                .at_value(
                    field,
                    name,
                    Diagnostic::new(format!(
                        "the {what} `{}` has no letters or digits to make its URL from",
                        slugs::shown(name)
                    )),
                )
                .with_hint(format!(
                    "give the {what} a name with letters or digits, or remove it"
                )));
        }
    }
    if let Some(image) = &front.image
        && !crate::html::is_asset_path_or_web_url(image)
    {
        return Err(brief
            .at_value(
                "image",
                image,
                Diagnostic::new(format!(
                    "the lead image `{}` is neither a path under static/ nor an http(s) URL",
                    slugs::shown(image)
                )),
            )
            .with_hint(
                "write a path such as \"images/port.jpg\" (under static/), or an https:// address",
            ));
    }
    Ok(())
}

/// Closes the bidirectional embeddings, overrides and isolates (U+202A..U+202E, U+2066..U+2069)
/// that a front-matter text field opens and leaves open, so that a title written with U+202E
/// ("right-to-left override") reverses only itself and not the text after it on the page (the
/// date and authors beside it in a listing).
fn close_bidi_controls(front: &mut FrontMatter) {
    let fields = [
        Some(&mut front.title),
        front.summary.as_mut(),
        front.image_alt.as_mut(),
        front.image_credit.as_mut(),
        front.category.as_mut(),
    ];
    for text in fields.into_iter().flatten().chain(front.tags.iter_mut()) {
        crate::html::close_bidi(text);
    }
}

#[cfg(test)]
mod tests {

    #[test]
    fn bidi_controls_left_open_are_closed() {
        let close = |text: &str| {
            let mut text = text.to_owned();
            crate::html::close_bidi(&mut text);
            text
        };
        assert_eq!(close("abc\u{202e}gpj.exe"), "abc\u{202e}gpj.exe\u{202c}");
        assert_eq!(close("a\u{2066}b"), "a\u{2066}b\u{2069}");
        assert_eq!(
            close("a\u{2067}\u{202b}b"),
            "a\u{2067}\u{202b}b\u{202c}\u{2069}"
        );
        assert_eq!(close("a\u{202e}b\u{202c}"), "a\u{202e}b\u{202c}");
        assert_eq!(
            close("a\u{2066}\u{202e}b\u{2069}"),
            "a\u{2066}\u{202e}b\u{2069}"
        );
        assert_eq!(close("plain"), "plain");
    }

    #[test]
    fn script_urls_are_not_assets() {
        assert!(crate::html::is_asset_path_or_web_url("images/a.svg"));
        assert!(crate::html::is_asset_path_or_web_url(
            "https://example.org/a.jpg"
        ));
        assert!(crate::html::is_asset_path_or_web_url("/images/a:b.svg"));
        for url in [
            "javascript:alert(1)",
            "JaVaScRiPt:alert(1)",
            "\tjavascript:alert(1)",
            "data:text/html,x",
            "vbscript:x",
            "javascript://%0aalert(1)",
        ] {
            assert!(!crate::html::is_asset_path_or_web_url(url), "{url}");
        }
    }
}
