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
    "page.html",
];

/// Templates added after themes were first written: a theme on disk without them gets the
/// embedded theme's copy (which extends the theme's own `base.html`).
const FALLBACK_TEMPLATES: &[&str] = &[
    "search.html",
    "page.html",
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
    /// Each template's source and where it comes from, for error messages.
    sources: BTreeMap<String, (String, PathBuf)>,
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

        // Parse each template alone first, so that every syntax error names its file; the
        // references between templates (parents, includes, components) are checked together.
        let mut problems = Diagnostics::default();
        for (name, (text, origin)) in &templates {
            if let Err(err) = Tera::new().add_raw_template(name, text)
                && let tera::ErrorKind::SyntaxError(report) = err.kind()
            {
                let mut diagnostic = report_diagnostic(report, text, origin);
                diagnostic.message = format!("template syntax error: {}", diagnostic.message);
                problems.push(diagnostic);
            }
        }
        problems.into_result(())?;
        let mut tera = new_tera();
        tera.add_raw_templates(
            templates
                .iter()
                .map(|(name, (text, _))| (name.as_str(), text.as_str())),
        )
        .map_err(|err| template_error(&err, &templates))?;
        Ok(Theme {
            tera,
            static_files,
            sources: templates,
        })
    }
}

/// A Tera instance with dossier's escaping and the filters Zola themes expect.
fn new_tera() -> Tera {
    let mut tera = Tera::new();
    tera.autoescape_on([".html", ".xml"]);
    // The same escaping as the rest of the site (`'` too, which Tera's fast escaper leaves).
    tera.set_escape_fn(crate::html::escape_to);
    tera.register_filter("json_encode", tera_contrib::json::json_encode);
    tera.register_filter("striptags", tera_contrib::regex::striptags);
    tera.register_filter("spaceless", tera_contrib::regex::spaceless);
    tera.register_filter(
        "regex_replace",
        tera_contrib::regex::RegexReplace::default(),
    );
    tera.register_filter("slugify", tera_contrib::slug::slug);
    tera.register_filter("date", date);
    tera.register_filter("urlencode", tera_contrib::urlencode::urlencode);
    tera.register_filter(
        "urlencode_strict",
        tera_contrib::urlencode::urlencode_strict,
    );
    tera
}

/// `{{ brief.date | date(format="%-d %B %Y") }}`: an ISO date or date-time (as every `date` and
/// `updated` field holds) in strftime's `format`, `%Y-%m-%d` by default. Tera 2 has no date
/// filter of its own; this one needs no locale data (English month and day names).
fn date(value: &str, kwargs: tera::Kwargs, _: &tera::State) -> tera::TeraResult<String> {
    let format = kwargs.get::<&str>("format")?.unwrap_or("%Y-%m-%d");
    let value = value.trim();
    // Most specific first: a date-time keeps its own wall-clock time (and zone, when it names
    // one); a date alone has no time to print.
    let formatted = if let Ok(zoned) = value.parse::<jiff::ZonedDateTime>() {
        jiff::fmt::strtime::format(format, &zoned)
    } else if value.contains(['T', 't', ' '])
        && let Ok(datetime) = value.parse::<jiff::civil::DateTime>()
    {
        jiff::fmt::strtime::format(format, datetime)
    } else if let Ok(timestamp) = value.parse::<jiff::Timestamp>() {
        // `Z`: UTC.
        jiff::fmt::strtime::format(format, timestamp)
    } else if let Ok(date) = value.parse::<jiff::civil::Date>() {
        jiff::fmt::strtime::format(format, date)
    } else {
        return Err(tera::Error::message(format!(
            "`date` expects an ISO date such as 2022-08-11 or 2022-08-11T09:30:00Z, not `{value}`"
        )));
    };
    formatted
        .map_err(|err| tera::Error::message(format!("`date` cannot use format `{format}`: {err}")))
}

/// A diagnostic at the place in `text` (the template's source) that Tera's `report` points to.
fn report_diagnostic(report: &tera::ReportError, text: &str, origin: &Path) -> Diagnostic {
    let span = report.span();
    let line = text
        .lines()
        .nth(span.start_line.saturating_sub(1))
        .unwrap_or("");
    let hint = if line.contains("import") || line.contains("macro") || line.contains("m::") {
        "Tera 2 has no macros: define `{% component name(arg) %}...{% endcomponent name %}` in any \
         template and call it as `{{<name arg={value}/>}}` (see docs/templates.md)"
    } else {
        "Tera 2 templates use {{ variable }}, {% tag %} ... {% endtag %} and {# comments #}; \
         see docs/templates.md"
    };
    Diagnostic::new(report.message())
        .in_file(origin)
        .at(text, span.start_line, span.start_col + 1)
        .with_hint(hint)
}

/// An error in how templates use each other (a missing parent or include, an unknown filter or
/// component): Tera reports each as "error: ... --> name:line:column"; keep the first's place.
fn template_error(
    err: &tera::Error,
    templates: &BTreeMap<String, (String, PathBuf)>,
) -> Diagnostics {
    let message = err.to_string();
    let missing_block = message.contains("is not defined in any parent template");
    let mut diagnostic = Diagnostic::new(format!(
        "template error: {}",
        message
            .lines()
            .next()
            .unwrap_or_default()
            .trim_start_matches("error: ")
    ));
    let place = message.split_once("--> ").and_then(|(_, rest)| {
        let place = rest.lines().next()?;
        let (name, position) = place.rsplit_once(':')?;
        let (name, line) = name.rsplit_once(':')?;
        Some((
            name.to_owned(),
            line.parse::<usize>().ok()?,
            position.parse::<usize>().ok()?,
        ))
    });
    if let Some((name, line, column)) = place
        && let Some((text, origin)) = templates.get(&name)
    {
        diagnostic = diagnostic.in_file(origin).at(text, line, column);
        // Name the parent too: it is often the site's own base.html over a theme's child.
        if missing_block
            && let Some(parent) = parent_of(text)
            && let Some((_, parent_origin)) = templates.get(parent)
        {
            diagnostic
                .message
                .push_str(&format!(" (its parent is {})", parent_origin.display()));
        }
    }
    let hint = if missing_block {
        "a child template may only fill blocks its parent has: add the block, empty, where it \
         belongs in the parent (`{% block name %}{% endblock name %}`), or remove it from the child"
    } else {
        "check the names of the templates, filters, functions and components it uses \
         (docs/templates.md lists dossier's)"
    };
    diagnostic.with_hint(hint).into()
}

/// The template that `text` extends, if it names one.
fn parent_of(text: &str) -> Option<&str> {
    let rest = &text[text.find("extends")? + "extends".len()..];
    let rest = rest.trim_start();
    let quote = rest.chars().next().filter(|c| *c == '"' || *c == '\'')?;
    let rest = &rest[1..];
    Some(&rest[..rest.find(quote)?])
}

impl Theme {
    /// The diagnostic for an error while rendering a page with `template`, pointing into the
    /// template where Tera says it happened (the page is named by the caller).
    pub fn render_error(&self, err: &tera::Error, template: &str) -> Diagnostic {
        if let tera::ErrorKind::RenderingError(report) = err.kind() {
            let name = if report.filename().is_empty() {
                template
            } else {
                report.filename()
            };
            if let Some((text, origin)) = self.sources.get(name) {
                return report_diagnostic(report, text, origin).with_hint(
                    "check the template against the variables listed in docs/templates.md; \
                         `x or \"\"` and `x?.y` accept a missing value",
                );
            }
        }
        let origin = self.sources.get(template).map(|(_, origin)| origin.clone());
        let diagnostic = Diagnostic::new(err.to_string());
        match origin {
            Some(origin) => diagnostic.in_file(origin),
            None => diagnostic,
        }
        .with_hint("check the template against the variables listed in docs/templates.md")
    }

    /// Whether a change to template `name` can reach pages other than its own: another template
    /// names it (to extend or include it), or it defines components, which every template sees.
    pub fn is_shared(&self, name: &str) -> bool {
        let quoted = [format!("\"{name}\""), format!("'{name}'")];
        self.sources
            .get(name)
            .is_none_or(|(text, _)| text.contains("endcomponent"))
            || self.sources.iter().any(|(other, (text, _))| {
                other != name && quoted.iter().any(|q| text.contains(q.as_str()))
            })
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    fn render_date(value: &str, format: &str) -> Result<String, tera::Error> {
        let mut tera = new_tera();
        tera.add_raw_template(
            "t.html",
            &format!("{{{{ d | date(format=\"{format}\") }}}}"),
        )?;
        let mut context = tera::Context::new();
        context.insert("d", value);
        tera.render("t.html", &context)
    }

    #[test]
    fn date_filter_reads_dates_and_date_times() {
        let date = |value: &str, format: &str| render_date(value, format).expect(value);
        assert_eq!(date("2022-08-11", "%-d %B %Y"), "11 August 2022");
        assert_eq!(
            date("2022-08-11T09:30:00+09:00", "%Y-%m-%d %H:%M"),
            "2022-08-11 09:30"
        );
        assert_eq!(date("2022-08-11T09:30:00Z", "%H:%M"), "09:30");
        assert_eq!(date("2022-08-11T09:30:00", "%A"), "Thursday");
        assert!(render_date("August 11", "%Y").is_err());
    }
}
