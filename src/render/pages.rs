//! What standalone pages and redirects render to: a page's view for `page.html` (its body and
//! notes), its summary for search, a redirect page for each alias, and the `_redirects` file.

use percent_encoding::{AsciiSet, CONTROLS};
use serde::Serialize;

use super::brief::{NoteView, note_ref_html};
use super::urls::Urls;
use super::views::Summary;
use crate::html::escape;
use crate::markdown::{Note, Segment};
use crate::site::Site;
use crate::site::pages::{Redirect, StandalonePage};

/// What `_redirects` paths keep as written: everything but spaces, controls and non-ASCII.
const SEGMENT: &AsciiSet = &CONTROLS.add(b' ').add(b'%');

#[derive(Serialize)]
pub struct PageView<'a> {
    pub title: &'a str,
    pub url: &'a str,
    pub permalink: String,
    /// The front matter's summary, or the first paragraph.
    pub summary: String,
    pub body_html: String,
    pub notes: Vec<NoteView>,
    /// `YYYY-MM-DD`, when the front matter has `updated`.
    pub updated: Option<String>,
    pub updated_display: Option<String>,
    pub extra: &'a serde_json::Map<String, serde_json::Value>,
}

/// A page's summary: as written, or its first paragraph.
fn summary_text(page: &StandalonePage) -> String {
    page.loaded
        .front
        .summary
        .clone()
        .unwrap_or_else(|| page.loaded.body.first_paragraph.clone())
}

pub fn view<'a>(urls: &Urls, page: &'a StandalonePage) -> PageView<'a> {
    let body = &page.loaded.body;
    // Pages have footnotes only (loading refuses citations), numbered in order.
    let mut html = String::new();
    for segment in &body.segments {
        match segment {
            Segment::Html(part) => html.push_str(part),
            Segment::NoteRef { note, first } => html.push_str(&note_ref_html(note + 1, *first)),
            Segment::Citation(_) => {}
        }
    }
    let notes = body
        .notes
        .iter()
        .enumerate()
        .map(|(i, note)| NoteView {
            number: i + 1,
            id: format!("note-{}", i + 1),
            ref_id: format!("note-ref-{}", i + 1),
            html: match note {
                Note::Footnote(segments) => segments
                    .iter()
                    .filter_map(|s| match s {
                        Segment::Html(part) => Some(part.as_str()),
                        _ => None,
                    })
                    .collect(),
                Note::Citation(_) => String::new(),
            },
        })
        .collect();
    let front = &page.loaded.front;
    PageView {
        title: &front.title,
        url: &page.url,
        permalink: urls.permalink(&page.url),
        summary: summary_text(page),
        body_html: html,
        notes,
        updated: front.updated.map(|d| d.iso()),
        updated_display: front.updated.map(|d| d.display()),
        extra: &front.extra,
    }
}

/// What search shows of a page: its title, URL, summary and text; no date or authors.
pub fn summary(urls: &Urls, page: &StandalonePage) -> Summary {
    let plain = crate::text::PlainText::of(&page.loaded.body);
    Summary {
        title: page.loaded.front.title.clone(),
        url: page.url.clone(),
        permalink: urls.permalink(&page.url),
        date: String::new(),
        date_display: String::new(),
        authors: Vec::new(),
        category: None,
        tags: Vec::new(),
        summary: summary_text(page),
        text: plain.text,
        word_count: plain.words,
    }
}

/// A redirect page: a meta refresh for browsers, a canonical link for search engines, a plain
/// link for everyone else, and `noindex`.
pub fn redirect_page(site: &Site, urls: &Urls, redirect: &Redirect) -> String {
    let to = escape(&urls.permalink(&redirect.to));
    let title = escape(&redirect.title);
    format!(
        "<!doctype html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n<title>{title}</title>\n<link rel=\"canonical\" href=\"{to}\">\n<meta name=\"robots\" content=\"noindex\">\n<meta http-equiv=\"refresh\" content=\"0; url={to}\">\n</head>\n<body>\n<p>This page has moved to <a href=\"{to}\">{title}</a>.</p>\n</body>\n</html>\n",
        lang = escape(&site.config.language),
    )
}

/// `_redirects` (Netlify, Cloudflare Pages): one permanent redirect per alias, under the base
/// path. An alias with a query (`/?p=12`) is matched on its query parameters, as Netlify reads
/// them (`/blog/ p=12 /blog/new/ 301!`), and forced (`!`): its path is a page that exists (the
/// home page), and Netlify serves an existing file rather than a redirect that is not forced.
/// Cloudflare Pages ignores such lines (it matches paths only); there, as on any static host,
/// the script of `query_redirect_script` does the work.
pub fn redirects_file(site: &Site, urls: &Urls) -> String {
    let mut out = String::from(
        "# Redirects from old URLs (the `aliases` of briefs and pages), written by dossier.\n",
    );
    let base = urls.home();
    for redirect in &site.redirects {
        let (path, query) = redirect
            .from
            .split_once('?')
            .unwrap_or((&redirect.from, ""));
        let from = format!("{base}{}", path.trim_start_matches('/'));
        // Hosts compare the path as it is sent: percent-encoded.
        let from: String = from
            .split('/')
            .map(|s| percent_encoding::utf8_percent_encode(s, SEGMENT).to_string())
            .collect::<Vec<_>>()
            .join("/");
        let params: Vec<&str> = query.split('&').filter(|p| !p.is_empty()).collect();
        if params.is_empty() {
            out.push_str(&format!("{from} {} 301\n", redirect.to));
        } else {
            out.push_str(&format!(
                "{from} {} {} 301!\n",
                params.join(" "),
                redirect.to
            ));
        }
    }
    out
}

/// The file the script of `query_redirect_script` reads, under the base path.
pub const QUERY_REDIRECTS_FILE: &str = "redirects.json";

/// Whether some alias has a query (`/?p=12`).
pub fn has_query_aliases(site: &Site) -> bool {
    site.redirects.iter().any(|r| r.from.contains('?'))
}

/// `redirects.json`: each alias with a query (`/?p=12`, from the site's root) and the URL it
/// leads to.
pub fn query_redirects(site: &Site) -> String {
    let map: serde_json::Map<String, serde_json::Value> = site
        .redirects
        .iter()
        .filter(|r| r.from.contains('?'))
        .map(|r| (r.from.clone(), serde_json::Value::String(r.to.clone())))
        .collect();
    serde_json::to_string(&map).expect("strings serialize to JSON")
}

/// A static host serves `/?p=12` as the home page: it cannot tell the query apart. So the page
/// at a path that aliases with a query share (`/` for WordPress's `?p=` and `?page_id=`) carries
/// this script, which, when the address has one of those queries, reads `redirects.json` and
/// goes on to the new page. `None` for a page at any other path.
pub fn query_redirect_script(site: &Site, urls: &Urls, url: &str) -> Option<String> {
    let home = urls.home();
    let path = format!("/{}", url.strip_prefix(home.as_str())?);
    // Redirects are sorted by alias: those of this path with a query start at `path?`.
    let key = format!("{path}?");
    let first = site
        .redirects
        .partition_point(|r| r.from.as_str() < key.as_str());
    if !site.redirects.get(first)?.from.starts_with(&key) {
        return None;
    }
    let mut names: Vec<String> = site
        .redirects
        .iter()
        .filter_map(|r| r.from.split_once('?'))
        .flat_map(|(_, query)| query.split('&'))
        .filter_map(|pair| pair.split('=').next())
        .filter(|name| !name.is_empty())
        .map(regex_escape)
        .collect();
    names.sort();
    names.dedup();
    let json = |value: &str| {
        serde_json::to_string(value)
            .expect("strings serialize to JSON")
            .replace("</", "<\\/")
    };
    Some(format!(
        concat!(
            "<script>(function () {{\n",
            "  var base = {base}, file = {file}, query = location.search, path = location.pathname;\n",
            "  if (!/[?&](?:{names})=/.test(query) || path.indexOf(base) !== 0) return;\n",
            "  path = \"/\" + path.slice(base.length).replace(/index\\.html$/, \"\");\n",
            "  var tries = [path + query].concat(query.slice(1).split(\"&\").map(function (pair) {{ return path + \"?\" + pair; }}));\n",
            "  fetch(base + file).then(function (r) {{ return r.json(); }}).then(function (map) {{\n",
            "    for (var i = 0; i < tries.length; i++) if (map[tries[i]]) {{ location.replace(map[tries[i]] + location.hash); return; }}\n",
            "  }}).catch(function () {{}});\n",
            "}})();</script>\n"
        ),
        base = json(&home),
        file = json(QUERY_REDIRECTS_FILE),
        names = names.join("|"),
    ))
}

/// `html` with the script that sends old `?p=` addresses on, when the page at `url` needs it.
pub fn with_query_redirect_script(site: &Site, urls: &Urls, url: &str, html: String) -> String {
    let Some(script) = query_redirect_script(site, urls, url) else {
        return html;
    };
    match html.find("</head>") {
        Some(at) => format!("{}{script}{}", &html[..at], &html[at..]),
        None => html + &script,
    }
}

/// `name` with what a regular expression reads as syntax escaped.
fn regex_escape(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for c in name.chars() {
        if !c.is_ascii_alphanumeric() && c != '_' {
            out.push('\\');
        }
        out.push(c);
    }
    out
}
