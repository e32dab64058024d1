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
    let (text, word_count) = super::text::plain_text_and_words(&page.loaded.body);
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
        text,
        word_count,
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
/// them.
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
                "{from} {} {} 301\n",
                params.join(" "),
                redirect.to
            ));
        }
    }
    out
}
