//! `dossier check`: everything `build` validates (site.toml, front matter, authors, citations,
//! templates: every page is rendered, in memory), without writing anything, and then what a build
//! does not look at: links and images in the bodies of briefs and standalone pages that lead
//! nowhere, anchors (`#id`) missing on the page they point to, and lead images and author photos
//! missing from `static/`. With `--external`, web links are fetched too (see `external`). Every
//! problem is reported with its file, line and column; the exit status is 1 if there is any.

use std::collections::{HashMap, HashSet};
use std::sync::Mutex;

use pulldown_cmark::{Event, Options, Parser, Tag};
use rayon::prelude::*;

use super::build::SiteArgs;
use super::external;
use crate::diagnostics::{Diagnostic, Diagnostics, line_column, nearest};
use crate::pipeline;
use crate::render::href::{self, Piece, Target};
use crate::render::urls::Urls;
use crate::render::{self, Rendered, Theme};
use crate::site::Site;

#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    #[command(flatten)]
    pub site: SiteArgs,
    /// Also fetch every web link (http and https) in brief and page bodies.
    #[arg(long)]
    pub external: bool,
    /// Seconds to wait for each external link.
    #[arg(long, default_value_t = 10)]
    pub timeout: u64,
}

/// Whose body a link is written in.
#[derive(Clone, Copy)]
enum Source {
    Brief(usize),
    /// A standalone page: an index into `Site::pages`.
    Page(usize),
}

/// A link or image written in a brief's or a standalone page's body.
struct Link {
    source: Source,
    url: String,
    image: bool,
    /// Byte offset of the URL in the brief's or page's file.
    offset: usize,
}

pub fn run(args: &CheckArgs, quiet: bool, verbose: bool) -> Result<(), Diagnostics> {
    let (site, theme) = pipeline::load_site_as_of(&args.site.inputs(), args.site.as_of(), verbose)?;
    let (files, pages) = render_in_memory(&site, &theme)?;
    let urls = Urls::new(&site.config);
    let sources: Vec<Source> = (0..site.briefs.len())
        .map(Source::Brief)
        .chain((0..site.pages.len()).map(Source::Page))
        .collect();
    let links: Vec<Link> = sources
        .into_par_iter()
        .flat_map_iter(|source| links_of(&site, source))
        .collect();
    let mut problems = Diagnostics::default();
    let checker = Checker {
        site: &site,
        urls: &urls,
        files: &files,
        base_path: site.config.base_path(),
        origin: urls.permalink(""),
    };
    let mut external_links: Vec<(&Link, String)> = Vec::new();
    for link in &links {
        match checker.check(link) {
            Ok(Some(web)) => external_links.push((link, web)),
            Ok(None) => {}
            Err(problem) => problems.push(problem),
        }
    }
    checker.check_static_references(&mut problems);
    if args.external {
        checker.check_external(&external_links, args.timeout, &mut problems);
    }
    problems.into_result(())?;
    if !quiet {
        let images = links.iter().filter(|l| l.image).count();
        println!(
            "Checked {} briefs, {} pages, {} links and {} images ({} external{}): no problems found",
            site.briefs.len(),
            pages,
            links.len() - images,
            images,
            external_links.len(),
            if args.external {
                ", fetched"
            } else {
                ", not fetched: add --external"
            }
        );
    }
    Ok(())
}

/// Renders every page as `build` would, in memory: each output file's path with, for HTML pages,
/// the ids on it (the theme's static files too), and the number of pages.
fn render_in_memory(
    site: &Site,
    theme: &Theme,
) -> Result<(HashMap<String, HashSet<String>>, usize), Diagnostics> {
    let files: Mutex<HashMap<String, HashSet<String>>> = Mutex::default();
    let pages = render::render_site(
        site,
        theme,
        |page: Rendered| {
            let ids = if page.path.ends_with(".html") {
                ids_of(&page.html)
            } else {
                HashSet::new()
            };
            files
                .lock()
                .expect("no thread panics while holding the lock")
                .insert(page.path, ids);
            Ok(())
        },
        &indicatif::ProgressBar::hidden(),
    )?;
    let mut files = files
        .into_inner()
        .expect("no thread panics while holding the lock");
    for rel in theme.static_files.keys() {
        files.entry(rel.clone()).or_default();
    }
    Ok((files, pages))
}

struct Checker<'a> {
    site: &'a Site,
    urls: &'a Urls,
    files: &'a HashMap<String, HashSet<String>>,
    base_path: String,
    origin: String,
}

impl Checker<'_> {
    fn at(&self, link: &Link, diagnostic: Diagnostic) -> Diagnostic {
        let (path, text, _) = file_of(self.site, link.source);
        let (line, column) = line_column(text, link.offset);
        diagnostic.in_file(path).at(text, line, column)
    }

    /// `Ok(Some(url))` for a web link to check with `--external`.
    fn check(&self, link: &Link) -> Result<Option<String>, Diagnostic> {
        let page = match link.source {
            Source::Brief(b) => self.urls.brief(&self.site.briefs[b].loaded.slug),
            Source::Page(p) => self.site.pages[p].url.clone(),
        };
        let (path, fragment) = match href::resolve(&page, &link.url, &self.origin) {
            Target::Web(url) => return Ok(Some(url)),
            Target::Other => return Ok(None),
            Target::Local { path, fragment, .. } => (percent_decode(&path), fragment),
        };
        let Some(rel) = path
            .strip_prefix(&self.base_path)
            .or_else(|| (path.clone() + "/" == self.base_path).then_some(""))
        else {
            // Elsewhere on the same host: not this site's to check.
            return Ok(None);
        };
        let found = [
            rel.to_owned(),
            format!("{rel}index.html"),
            format!("{rel}/index.html"),
        ]
        .into_iter()
        .find(|candidate| self.files.contains_key(candidate.trim_start_matches('/')));
        let Some(file) = found else {
            let what = if link.image { "image" } else { "link" };
            let message = if link.image {
                format!("missing image `{}`: no file at {path}", link.url)
            } else {
                format!("broken link `{}`: nothing is published at {path}", link.url)
            };
            return Err(self
                .at(link, Diagnostic::new(message))
                .with_hint(self.hint(what, rel)));
        };
        if let Some(fragment) = fragment.filter(|f| !f.is_empty() && !link.image) {
            let fragment = percent_decode(&fragment);
            let ids = &self.files[file.trim_start_matches('/')];
            if !ids.contains(&fragment) {
                let best = nearest(&fragment, ids.iter().map(String::as_str));
                return Err(self
                    .at(
                        link,
                        Diagnostic::new(format!(
                            "broken anchor `{}`: {path} has no element with id `{fragment}`",
                            link.url
                        )),
                    )
                    .with_hint(match best {
                        Some(best) => format!("did you mean `#{best}`?"),
                        None => "headings get ids from their text (`## Oil caps` is `#oil-caps`) or from `{#id}` after the heading".to_owned(),
                    }));
            }
        }
        Ok(None)
    }

    fn hint(&self, what: &str, rel: &str) -> String {
        if what == "image" {
            return "put the file under static/ (static/images/x.png is images/x.png at the site's root), or fix the path".to_owned();
        }
        let wanted = rel.trim_matches('/');
        let slugs = self.site.briefs.iter().map(|b| b.loaded.slug.as_str());
        match nearest(wanted, slugs) {
            Some(best) => format!(
                "did you mean the brief `{best}`? Link to a brief as ../{best}/ (or {}{best}/)",
                self.base_path
            ),
            None => "link to another brief by its URL, e.g. ../other-slug/; drafts and future-dated briefs are published only with --drafts and --future".to_owned(),
        }
    }

    /// Lead images and author photos must exist among the static files.
    /// Fetches each web link once (`--external`); a link that fails is a problem where written.
    fn check_external(
        &self,
        external_links: &[(&Link, String)],
        timeout: u64,
        problems: &mut Diagnostics,
    ) {
        if external_links.is_empty() {
            return;
        }
        let mut unique: Vec<String> = external_links.iter().map(|(_, u)| u.clone()).collect();
        unique.sort();
        unique.dedup();
        let results = external::check(&self.site.root, &unique, timeout);
        for (link, url) in external_links {
            if let Some(Err(reason)) = results.get(url) {
                problems.push(
                    self.at(link, Diagnostic::new(format!("external link `{url}`: {reason}")))
                        .with_hint("fix or remove the link; results of working links are cached for a day in .dossier-cache/links.json"),
                );
            }
        }
    }

    fn check_static_references(&self, problems: &mut Diagnostics) {
        let has = |path: &str| {
            path.contains("://") || self.files.contains_key(path.trim_start_matches('/'))
        };
        for brief in &self.site.briefs {
            if let Some(image) = &brief.loaded.front.image
                && !has(image)
            {
                problems.push(
                    brief
                        .loaded
                        .at_field(
                            "image",
                            Diagnostic::new(format!("missing image `{image}`: no such static file")),
                        )
                        .with_hint("put the file under static/, e.g. static/images/lead.jpg for \"images/lead.jpg\""),
                );
            }
        }
        // Read again only for positions: the site loaded from it a moment ago.
        let config_text =
            std::fs::read_to_string(self.site.root.join("site.toml")).unwrap_or_default();
        let document = std::cell::OnceCell::new();
        for author in &self.site.authors {
            if let Some(photo) = &author.config.photo
                && !has(photo)
            {
                let mut diagnostic = Diagnostic::new(format!(
                    "missing photo `{photo}` of author `{}`: no such static file",
                    author.slug
                ))
                .in_file("site.toml")
                .with_hint("put the file under static/, e.g. static/images/name.jpg for \"images/name.jpg\"");
                let path = ["authors", author.slug.as_str(), "photo"];
                let at = document
                    .get_or_init(|| crate::spans::Document::toml(&config_text))
                    .as_ref()
                    .and_then(|d| d.value(&config_text, &path, photo));
                if let Some(at) = at {
                    diagnostic = diagnostic.at_offset(&config_text, at);
                }
                problems.push(diagnostic);
            }
        }
    }
}

/// The file a link is written in: its path as shown, its text and where its body starts.
fn file_of(site: &Site, source: Source) -> (&std::path::Path, &str, usize) {
    match source {
        Source::Brief(b) => {
            let loaded = &site.briefs[b].loaded;
            (&loaded.path, &loaded.text, loaded.body_start)
        }
        Source::Page(p) => {
            let loaded = &site.pages[p].loaded;
            (&loaded.path, &loaded.text, loaded.body_start)
        }
    }
}

/// Every Markdown link and image of a brief's or page's body, and every `href` and `src` of raw
/// HTML in it.
fn links_of(site: &Site, source: Source) -> Vec<Link> {
    let (_, text, body_start) = file_of(site, source);
    let start = body_start.min(text.len());
    let body = &text[start..];
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_HEADING_ATTRIBUTES;
    let mut links = Vec::new();
    for (event, range) in Parser::new_ext(body, options).into_offset_iter() {
        match event {
            Event::Start(tag @ (Tag::Link { .. } | Tag::Image { .. })) => {
                let (image, dest_url) = match tag {
                    Tag::Image { dest_url, .. } => (true, dest_url),
                    Tag::Link { dest_url, .. } => (false, dest_url),
                    _ => continue,
                };
                let written = &body[range.clone()];
                // The URL where it is written: after `](` for an inline link, else the link.
                let at = written
                    .rfind(&*dest_url)
                    .filter(|_| !dest_url.is_empty())
                    .unwrap_or(0);
                links.push(Link {
                    source,
                    url: dest_url.to_string(),
                    image,
                    offset: start + range.start + at,
                });
            }
            Event::Html(html) | Event::InlineHtml(html) => {
                let mut offset = 0;
                href::each_attribute(&html, |piece| match piece {
                    Piece::Text(text) => offset += text.len(),
                    Piece::Url { value, .. } => {
                        let written = &body[range.clone()];
                        let at = written.find(value).unwrap_or(offset + 1);
                        let before = html[..offset].to_ascii_lowercase();
                        links.push(Link {
                            source,
                            url: value.replace("&amp;", "&"),
                            image: before.trim_end().ends_with("src=") && before.contains("<img"),
                            offset: start + range.start + at,
                        });
                        offset += value.len() + 2;
                    }
                });
            }
            _ => {}
        }
    }
    links
}

/// The `id` attribute values of an HTML page.
fn ids_of(html: &str) -> HashSet<String> {
    let mut ids = HashSet::new();
    let mut rest = html;
    while let Some(at) = rest.find("id=\"") {
        let before = rest[..at].chars().next_back();
        rest = &rest[at + 4..];
        if !before.is_some_and(char::is_whitespace) {
            continue;
        }
        if let Some(end) = rest.find('"') {
            ids.insert(html_unescape(&rest[..end]));
            rest = &rest[end..];
        }
    }
    ids
}

fn html_unescape(text: &str) -> String {
    let mut out = String::new();
    crate::text::strip_tags(text, &mut out);
    out
}

/// Decodes `%XX` escapes (UTF-8); anything malformed stays as written.
fn percent_decode(text: &str) -> String {
    if !text.contains('%') {
        return text.to_owned();
    }
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        if bytes[i] == b'%'
            && let (Some(h), Some(l)) = (
                bytes.get(i + 1).copied().and_then(hex),
                bytes.get(i + 2).copied().and_then(hex),
            )
        {
            out.push((h * 16 + l) as u8);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).unwrap_or_else(|_| text.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_and_escapes() {
        let ids = ids_of("<h2 id=\"a&amp;b\">x</h2><div data-id=\"no\" id=\"c\">");
        assert!(ids.contains("a&b") && ids.contains("c") && !ids.contains("no"));
        assert_eq!(percent_decode("caf%C3%A9%zz"), "café%zz");
    }
}
