//! The theme: Tera templates and static files. The default theme `peninsula` is embedded in the
//! binary, so a site without a `themes/` folder builds; a `themes/<name>/` folder on disk wins over
//! the embedded copy, and the site's own `templates/` and `static/` override the theme file by file.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use include_dir::{Dir, include_dir};
use tera::Tera;

use crate::config::SiteConfig;
use crate::diagnostics::{Diagnostic, Diagnostics, display_path};

static EMBEDDED: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/themes/peninsula");

/// The templates every site needs, one per page kind.
pub const PAGE_TEMPLATES: &[&str] = &[
    "index.html",
    "brief.html",
    "authors.html",
    "author.html",
    "taxonomy.html",
    "term.html",
    "archive.html",
    "archive_year.html",
    "citations.html",
    "source.html",
    "404.html",
    "search.html",
];

/// Templates added after themes were first written: a theme on disk without them gets the
/// embedded theme's copy (which extends the theme's own `base.html`).
const FALLBACK_TEMPLATES: &[&str] = &[
    "search.html",
    "partials/byline.html",
    "partials/cards.html",
    "partials/photo.html",
];
/// Likewise for static files.
const FALLBACK_STATIC: &[&str] = &["search.js"];

pub struct Theme {
    pub tera: Tera,
    /// Output path (relative, `/`-separated) to where the file comes from; site files win.
    pub static_files: BTreeMap<String, StaticFile>,
    /// A template calls one of Tera's functions whose result is not decided by the site's files
    /// (`now()`, `get_random()`, `get_env()`): each build may differ from the last.
    pub volatile: bool,
}

pub enum StaticFile {
    Embedded(&'static [u8]),
    Disk(PathBuf),
}

impl Theme {
    pub fn load(root: &Path, config: &SiteConfig) -> Result<Theme, Diagnostics> {
        let mut templates: BTreeMap<String, (String, PathBuf)> = BTreeMap::new();
        let mut static_files = BTreeMap::new();
        let theme_dir = root.join("themes").join(&config.theme);
        if theme_dir.is_dir() {
            read_dir_files(&theme_dir.join("templates"), &mut |rel, path| {
                let text = read_text(root, path)?;
                templates.insert(rel, (text, display_path(root, path)));
                Ok(())
            })?;
            read_dir_files(&theme_dir.join("static"), &mut |rel, path| {
                static_files.insert(rel, StaticFile::Disk(path.to_owned()));
                Ok(())
            })?;
        } else if config.theme == "peninsula" {
            embedded_files(&EMBEDDED, &mut |path, contents| {
                if let Some(name) = path.strip_prefix("templates/") {
                    let text = String::from_utf8_lossy(contents).into_owned();
                    templates.insert(
                        name.to_owned(),
                        (text, PathBuf::from("(embedded peninsula theme)").join(path)),
                    );
                } else if let Some(rel) = path.strip_prefix("static/") {
                    static_files.insert(rel.to_owned(), StaticFile::Embedded(contents));
                }
            });
        } else {
            return Err(Diagnostic::new(format!("theme `{}` not found", config.theme))
                .in_file("site.toml")
                .with_hint(format!(
                    "put the theme in {}, or remove `theme` from site.toml to use the built-in `peninsula` theme",
                    display_path(root, &theme_dir).display()
                ))
                .into());
        }
        read_dir_files(&root.join("templates"), &mut |rel, path| {
            let text = read_text(root, path)?;
            templates.insert(rel, (text, display_path(root, path)));
            Ok(())
        })?;
        read_dir_files(&root.join("static"), &mut |rel, path| {
            static_files.insert(rel, StaticFile::Disk(path.to_owned()));
            Ok(())
        })?;

        for name in FALLBACK_STATIC {
            if !static_files.contains_key(*name)
                && let Some(file) = EMBEDDED.get_file(format!("static/{name}"))
            {
                static_files.insert((*name).to_owned(), StaticFile::Embedded(file.contents()));
            }
        }
        for name in FALLBACK_TEMPLATES {
            if !templates.contains_key(*name)
                && let Some(file) = EMBEDDED.get_file(format!("templates/{name}"))
            {
                let text = String::from_utf8_lossy(file.contents()).into_owned();
                let origin = PathBuf::from("(embedded peninsula theme)/templates").join(name);
                templates.insert((*name).to_owned(), (text, origin));
            }
        }

        let mut problems = Diagnostics::default();
        for name in PAGE_TEMPLATES {
            if !templates.contains_key(*name) {
                problems.push(
                    Diagnostic::new(format!("the theme has no template `{name}`")).with_hint(
                        format!(
                            "add templates/{name} to the site or to themes/{}/templates/",
                            config.theme
                        ),
                    ),
                );
            }
        }
        problems.into_result(())?;

        let mut problems = Diagnostics::default();
        let mut tera = Tera::default();
        // Parse each template alone first, so that an error names its file.
        for (name, (text, origin)) in &templates {
            if let Err(err) = tera::Template::new(name, None, text) {
                problems.push(template_syntax_error(&err, text).in_file(origin));
            }
        }
        problems.into_result(())?;
        tera.add_raw_templates(
            templates
                .iter()
                .map(|(name, (text, _))| (name.as_str(), text.as_str())),
        )
        .map_err(|err| Diagnostic::new(format!("template error: {}", error_chain(&err))))?;
        tera.autoescape_on(vec![".html", ".xml"]);
        // Tera's own escaper also encodes `/`, which makes every URL unreadable in the source.
        tera.set_escape_fn(crate::html::escape);
        let volatile = templates.values().any(|(text, _)| {
            ["now(", "get_random(", "get_env("]
                .iter()
                .any(|call| text.contains(call))
        });
        Ok(Theme {
            tera,
            static_files,
            volatile,
        })
    }
}

/// Tera's parse errors read "--> 5:1 | ... | expected ..."; keep the position and the expectation.
fn template_syntax_error(err: &tera::Error, text: &str) -> Diagnostic {
    let chain = error_chain(err);
    let position = chain.split_once("--> ").and_then(|(_, rest)| {
        let (line, rest) = rest.split_once(':')?;
        let column: String = rest.chars().take_while(char::is_ascii_digit).collect();
        Some((
            line.trim().parse::<usize>().ok()?,
            column.parse::<usize>().ok()?,
        ))
    });
    let expected = chain
        .lines()
        .rev()
        .find(|line| !line.trim().is_empty())
        .map(|line| line.trim_start_matches(['=', ' ']).trim().to_owned())
        .unwrap_or_default();
    let diagnostic = Diagnostic::new(format!("template syntax error: {expected}")).with_hint(
        "Tera templates use {{ variable }}, {% tag %} ... {% endtag %} and {# comments #}",
    );
    match position {
        Some((line, column)) => diagnostic.at(text, line, column),
        None => diagnostic,
    }
}

/// Tera nests the useful message in its error sources.
pub fn error_chain(err: &tera::Error) -> String {
    let mut message = err.to_string();
    let mut source = std::error::Error::source(err);
    while let Some(inner) = source {
        message.push_str(": ");
        message.push_str(&inner.to_string());
        source = inner.source();
    }
    message
}

fn read_text(root: &Path, path: &Path) -> Result<String, Diagnostics> {
    std::fs::read_to_string(path).map_err(|err| {
        Diagnostic::new(format!("cannot read the template: {err}"))
            .in_file(display_path(root, path))
            .into()
    })
}

/// Calls `each(relative path, path)` for every file below `dir` (none if it does not exist),
/// skipping hidden files.
fn read_dir_files(
    dir: &Path,
    each: &mut dyn FnMut(String, &Path) -> Result<(), Diagnostics>,
) -> Result<(), Diagnostics> {
    if !dir.is_dir() {
        return Ok(());
    }
    let walker = walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'));
    for entry in walker {
        let entry = entry
            .map_err(|err| Diagnostic::new(format!("cannot read {}: {err}", dir.display())))?;
        if !entry.file_type().is_file() {
            continue;
        }
        let rel = entry
            .path()
            .strip_prefix(dir)
            .unwrap_or(entry.path())
            .components()
            .map(|c| c.as_os_str().to_string_lossy())
            .collect::<Vec<_>>()
            .join("/");
        each(rel, entry.path())?;
    }
    Ok(())
}

fn embedded_files(dir: &'static Dir<'static>, each: &mut dyn FnMut(&str, &'static [u8])) {
    for file in dir.files() {
        if let Some(path) = file.path().to_str() {
            each(path, file.contents());
        }
    }
    for sub in dir.dirs() {
        embedded_files(sub, each);
    }
}
