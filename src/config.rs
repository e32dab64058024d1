//! site.toml: the typed model of a site's configuration and its validation.

use std::cell::OnceCell;
use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;

use crate::diagnostics::{Diagnostic, Diagnostics, display_path, toml_diagnostic};
use crate::spans::Document;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SiteConfig {
    pub title: String,
    #[serde(default)]
    pub description: String,
    pub base_url: String,
    #[serde(default = "default_language")]
    pub language: String,
    #[serde(default = "default_theme")]
    pub theme: String,
    /// Markdown; shown on every brief (e.g. a FARA disclosure).
    #[serde(default)]
    pub disclosure: Option<String>,
    #[serde(default = "default_briefs_per_page")]
    pub briefs_per_page: usize,
    #[serde(default)]
    pub organization: Option<Organization>,
    #[serde(default)]
    pub authors: BTreeMap<String, AuthorConfig>,
    #[serde(default)]
    pub citations: CitationsConfig,
    #[serde(default)]
    pub feeds: FeedsConfig,
    /// `[[menu.<name>]]` entries: `main` is the header's navigation; themes may show others.
    #[serde(default)]
    pub menu: BTreeMap<String, Vec<MenuEntry>>,
    /// `[redirects]`: what `aliases` produce besides redirect pages.
    #[serde(default)]
    pub redirects: RedirectsConfig,
    /// `[pdf]`: a print-ready PDF of every brief.
    #[serde(default)]
    pub pdf: crate::pdf::PdfConfig,
    /// `[fara]`: the Foreign Agents Registration Act's labels and filings.
    #[serde(default)]
    pub fara: Option<crate::fara::FaraConfig>,
    /// Free table for theme authors.
    #[serde(default)]
    pub extra: toml::Table,
}

/// `[citations]`: how sources are formatted and where else they come from.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CitationsConfig {
    /// A style name (`chicago-notes`, `chicago-author-date`, `apa`, `ieee`, `mla`, `harvard`, or
    /// any style bundled with hayagriva) or the path of a `.csl` file, relative to the site.
    #[serde(default = "default_style")]
    pub style: String,
    /// Bibliography files (BibTeX/BibLaTeX `.bib`, CSL-JSON `.json`), relative to the site.
    #[serde(default)]
    pub bibliography: Vec<String>,
    /// How "cite this brief" describes a brief: `report` (the default) or `post-weblog`.
    #[serde(default = "default_brief_type")]
    pub brief_type: String,
}

impl Default for CitationsConfig {
    fn default() -> Self {
        CitationsConfig {
            style: default_style(),
            bibliography: Vec::new(),
            brief_type: default_brief_type(),
        }
    }
}

/// `[feeds]`: the Atom and RSS feeds.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FeedsConfig {
    /// Whole briefs (body and notes) in feed entries, or only their summaries.
    #[serde(default = "default_true")]
    pub full_content: bool,
    /// How many of the newest briefs each feed carries.
    #[serde(default = "default_feed_entries")]
    pub entries: usize,
}

impl Default for FeedsConfig {
    fn default() -> Self {
        FeedsConfig {
            full_content: true,
            entries: default_feed_entries(),
        }
    }
}

/// One entry of a menu: a link to a standalone page (`page`, its path under `pages/` without
/// `.md`) or to any URL (`url`: a web address, or a path from the site's root such as
/// `/categories/trade/`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MenuEntry {
    pub name: String,
    #[serde(default)]
    pub url: Option<String>,
    #[serde(default)]
    pub page: Option<String>,
    /// Entries are shown by weight, lightest first, then in the order written.
    #[serde(default)]
    pub weight: i64,
}

/// `[redirects]`: `file = false` leaves out the `_redirects` file (redirect pages are written
/// all the same).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RedirectsConfig {
    #[serde(default = "default_true")]
    pub file: bool,
}

impl Default for RedirectsConfig {
    fn default() -> Self {
        RedirectsConfig { file: true }
    }
}

fn default_true() -> bool {
    true
}

fn default_feed_entries() -> usize {
    20
}

fn default_style() -> String {
    "chicago-notes".to_owned()
}

fn default_brief_type() -> String {
    "report".to_owned()
}

#[derive(Debug, Clone, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct Organization {
    pub name: String,
    #[serde(default)]
    pub phone: Option<String>,
    #[serde(default)]
    pub address: Option<String>,
    #[serde(default)]
    pub url: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AuthorConfig {
    pub name: String,
    #[serde(default)]
    pub title: Option<String>,
    /// Markdown.
    #[serde(default)]
    pub bio: Option<String>,
    /// A path under the site's static files, e.g. `images/haggard.jpg`.
    #[serde(default)]
    pub photo: Option<String>,
}

fn default_language() -> String {
    "en".to_owned()
}

fn default_theme() -> String {
    "peninsula".to_owned()
}

fn default_briefs_per_page() -> usize {
    10
}

/// Every key site.toml accepts, for "did you mean" hints.
const KNOWN_KEYS: &[&str] = &[
    "title",
    "description",
    "base_url",
    "language",
    "theme",
    "disclosure",
    "briefs_per_page",
    "organization",
    "authors",
    "extra",
    "feeds",
    "full_content",
    "entries",
    "name",
    "phone",
    "address",
    "url",
    "bio",
    "photo",
    "citations",
    "style",
    "bibliography",
    "brief_type",
    "menu",
    "page",
    "weight",
    "redirects",
    "file",
    "pdf",
    "enabled",
    "paper",
    "fara",
    "registrant",
    "registration_number",
    "default_principal",
    "time_zone",
    "principals",
    "label",
];

impl SiteConfig {
    /// Reads and validates `<root>/site.toml`.
    pub fn load(root: &Path) -> Result<SiteConfig, Diagnostics> {
        let path = root.join("site.toml");
        let shown = display_path(root, &path);
        if !path.exists() {
            return Err(
                Diagnostic::new("cannot read site.toml: there is no such file")
                    .in_file(&shown)
                    .with_hint("run dossier in the site's folder, or point --root at it")
                    .into(),
            );
        }
        let text = crate::fs::read_site_text(root, &path)?;
        let mut config: SiteConfig = toml::from_str(&text)
            .map_err(|err| toml_diagnostic(&err, &text, KNOWN_KEYS).in_file(&shown))?;
        // As in front matter: a right-to-left override left open in a name or title must not
        // reverse the text after it on the page.
        let organization = config.organization.as_mut().map(|o| &mut o.name);
        let authors = config
            .authors
            .values_mut()
            .flat_map(|a| std::iter::once(&mut a.name).chain(a.title.as_mut()));
        for text in [&mut config.title, &mut config.description]
            .into_iter()
            .chain(organization)
            .chain(authors)
        {
            crate::html::close_bidi(text);
        }
        config.validate(&text, root).map_err(|mut diagnostics| {
            for d in &mut diagnostics.0 {
                d.file = Some(shown.clone());
            }
            diagnostics
        })?;
        Ok(config)
    }

    /// The problems of values that parse but cannot be used, each at its key in `text`.
    fn validate(&self, text: &str, root: &Path) -> Result<(), Diagnostics> {
        let at = Locator {
            text,
            document: OnceCell::new(),
        };
        let mut problems = Diagnostics::default();
        self.check_addresses(&at, &mut problems);
        self.check_citations(root, &at, &mut problems);
        self.check_menus(&at, &mut problems);
        self.check_sections(&at, &mut problems);
        self.check_authors(&at, &mut problems);
        problems.into_result(())
    }

    /// The organization's URL and the site's base URL.
    fn check_addresses(&self, at: &Locator<'_>, problems: &mut Diagnostics) {
        if let Some(url) = self.organization.as_ref().and_then(|o| o.url.as_deref())
            && !crate::html::is_web_url(url)
        {
            problems.push(
                at.key(
                    &["organization", "url"],
                    Diagnostic::new(format!("organization url `{url}` is not an http(s) URL"))
                        .with_hint(
                            "write the organization's web address, e.g. \"https://example.org\"",
                        ),
                ),
            );
        }
        if !(self.base_url.starts_with("http://") || self.base_url.starts_with("https://")) {
            problems.push(at.key(
                &["base_url"],
                Diagnostic::new(format!(
                    "base_url `{}` is not an absolute http(s) URL",
                    self.base_url
                ))
                .with_hint(
                    "write the address the site is published at, e.g. \"https://example.org/blog\"",
                ),
            ));
        }
    }

    /// `[citations]`: the style file and the type briefs are cited as.
    fn check_citations(&self, root: &Path, at: &Locator<'_>, problems: &mut Diagnostics) {
        if self.citations.style.ends_with(".csl")
            && crate::fs::exists_but_not_a_file(&root.join(&self.citations.style))
        {
            problems.push(at.key(
                &["citations", "style"],
                Diagnostic::new(format!(
                    "the citation style {} is not a regular file (a folder, a pipe or a device)",
                    self.citations.style
                ))
                .with_hint("name a .csl file, relative to the site folder, or a style bundled with hayagriva such as \"apa\""),
            ));
        }
        if !matches!(self.citations.brief_type.as_str(), "report" | "post-weblog") {
            problems.push(
                at.key(
                    &["citations", "brief_type"],
                    Diagnostic::new(format!(
                        "unknown brief_type `{}`",
                        self.citations.brief_type
                    ))
                    .with_hint(
                        "use \"report\" (a think-tank report) or \"post-weblog\" (a blog post)",
                    ),
                ),
            );
        }
    }

    /// Each menu entry links to one page or one address.
    fn check_menus(&self, at: &Locator<'_>, problems: &mut Diagnostics) {
        for (menu, entries) in &self.menu {
            for (i, entry) in entries.iter().enumerate() {
                let problem = match (&entry.url, &entry.page) {
                    (Some(_), Some(_)) => Some("has both `url` and `page`"),
                    (None, None) => Some("has neither `url` nor `page`"),
                    (Some(url), None)
                        if !(crate::html::is_web_url(url)
                            || url.starts_with('/')
                            || url.starts_with("mailto:")) =>
                    {
                        Some(
                            "has a `url` that is neither an http(s) address nor a path from the site's root",
                        )
                    }
                    _ => None,
                };
                if let Some(problem) = problem {
                    let index = i.to_string();
                    let key = if entry.url.is_some() { "url" } else { "name" };
                    problems.push(at.key(
                        &["menu", menu, &index, key],
                        Diagnostic::new(format!("the entry “{}” of [[menu.{menu}]] {problem}", entry.name))
                            .with_hint("give `page = \"about\"` (a file pages/about.md) or `url = \"/categories/trade/\"` or `url = \"https://...\"`"),
                    ));
                }
            }
        }
    }

    /// Feeds, FARA, PDF, pagination, theme and title.
    fn check_sections(&self, at: &Locator<'_>, problems: &mut Diagnostics) {
        if self.feeds.entries == 0 {
            problems.push(
                at.key(
                    &["feeds", "entries"],
                    Diagnostic::new("[feeds] entries must be at least 1")
                        .with_hint("the number of newest briefs each feed carries, e.g. 20"),
                ),
            );
        }
        if let Some(fara) = &self.fara {
            for problem in fara.problems() {
                problems.push(at.key(&["fara"], Diagnostic::new(problem)));
            }
        }
        if let Some(problem) = self.pdf.problem() {
            problems.push(at.key(&["pdf", "paper"], Diagnostic::new(problem)));
        }
        if self.briefs_per_page == 0 {
            problems.push(at.key(
                &["briefs_per_page"],
                Diagnostic::new("briefs_per_page must be at least 1"),
            ));
        }
        let theme = std::path::Path::new(&self.theme);
        let plain_name = theme.components().count() == 1
            && matches!(
                theme.components().next(),
                Some(std::path::Component::Normal(_))
            )
            && !self.theme.contains(['/', '\\']);
        if !plain_name {
            problems.push(at.key(
                &["theme"],
                Diagnostic::new(format!(
                    "theme `{}` is not the name of a folder in themes/",
                    crate::slugs::shown(&self.theme)
                ))
                .with_hint("write the name of a folder of the site's themes/ folder, e.g. \"peninsula\", without `/` or `..`"),
            ));
        }
        if self.title.trim().is_empty() {
            problems.push(at.key(&["title"], Diagnostic::new("the site title is empty")));
        }
    }

    /// Author keys are URL slugs; photos are paths under static/ or web addresses.
    fn check_authors(&self, at: &Locator<'_>, problems: &mut Diagnostics) {
        for (slug, author) in &self.authors {
            let fixed = crate::slugs::slugify(slug);
            let problem = if fixed != *slug {
                Some(format!(
                    "author key `{}` is not a URL slug",
                    crate::slugs::shown(slug)
                ))
            } else {
                crate::slugs::problem(slug)
                    .map(|why| format!("author key `{slug}` cannot be a URL slug: {why}"))
            };
            if let Some(problem) = problem {
                let example = match crate::slugs::problem(&fixed) {
                    None => format!(", e.g. `{fixed}`"),
                    Some(_) => String::new(),
                };
                let hint = format!(
                    "use lowercase letters, digits and hyphens{example}: the key is the author's URL, /authors/<key>/"
                );
                problems.push(at.key(&["authors", slug], Diagnostic::new(problem).with_hint(hint)));
            }
            if let Some(photo) = &author.photo
                && !crate::html::is_asset_path_or_web_url(photo)
            {
                let diagnostic = Diagnostic::new(format!(
                    "the photo of `{slug}`, `{}`, is neither a path under static/ nor an http(s) URL",
                    crate::slugs::shown(photo)
                ))
                .with_hint("write a path such as \"images/portrait.jpg\" (under static/), or an https:// address");
                problems.push(at.key(&["authors", slug, "photo"], diagnostic));
            }
        }
    }

    /// The base URL without a trailing slash.
    pub fn base_url(&self) -> &str {
        self.base_url.trim_end_matches('/')
    }

    /// The path part of the base URL, with a leading and a trailing slash (`/` or `/blog/`).
    pub fn base_path(&self) -> String {
        let after_scheme = self
            .base_url()
            .split_once("://")
            .map_or("", |(_, rest)| rest);
        let path = after_scheme.find('/').map_or("", |i| &after_scheme[i..]);
        let path = path.trim_matches('/');
        if path.is_empty() {
            "/".to_owned()
        } else {
            format!("/{path}/")
        }
    }
}

/// Places problems at keys of site.toml, from the parser's spans (read once, at the first
/// problem).
struct Locator<'a> {
    text: &'a str,
    document: OnceCell<Option<Document>>,
}

impl Locator<'_> {
    /// `diagnostic` at the key at the end of `path` (see `Document::key`), else without a place.
    fn key(&self, path: &[&str], diagnostic: Diagnostic) -> Diagnostic {
        let document = self.document.get_or_init(|| Document::toml(self.text));
        match document.as_ref().and_then(|d| d.key(path)) {
            Some(at) => diagnostic.at_offset(self.text, at),
            None => diagnostic,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<SiteConfig, Diagnostic> {
        toml::from_str(text).map_err(|e| toml_diagnostic(&e, text, KNOWN_KEYS))
    }

    #[test]
    fn base_path_handles_prefixes() {
        let config = parse("title = 't'\nbase_url = 'https://example.org/the-peninsula/'").unwrap();
        assert_eq!(config.base_path(), "/the-peninsula/");
        assert_eq!(config.base_url(), "https://example.org/the-peninsula");
        let bare = parse("title = 't'\nbase_url = 'https://example.org'").unwrap();
        assert_eq!(bare.base_path(), "/");
    }

    #[test]
    fn unknown_keys_suggest_the_nearest() {
        let err = parse("title = 't'\nbase_url = 'https://e.org'\ndiscription = 'x'").unwrap_err();
        assert_eq!(err.message, "unknown field `discription`");
        assert_eq!(err.position, Some((3, 1)));
        assert_eq!(err.hint.as_deref(), Some("did you mean `description`?"));
    }
}
