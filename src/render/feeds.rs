//! Feeds: Atom (RFC 4287) for the whole site, for each author and for each category, and RSS 2.0
//! for the whole site. Each entry has absolute links, its authors, category and tags, its
//! published and updated dates, and the site's disclosure statement at its beginning; with
//! `[feeds] full_content` (the default) the whole brief with its notes, else its summary.
//!
//! Written in Rust rather than with templates, so that every theme gets valid feeds: every text
//! from front matter and site.toml goes through `xml_text`.

use std::borrow::Cow;
use std::fmt::Write as _;
use std::sync::{Arc, Mutex, PoisonError};

use super::brief;
use super::href;
use super::page::{self, BriefId, Feed, Page, feed_url};
use super::urls::Urls;
use super::views::{Link, Summary};
use crate::html::{xml_chars, xml_text};
use crate::site::{Site, TermKind};

pub const ATOM_TYPE: &str = "application/atom+xml";
pub const RSS_TYPE: &str = "application/rss+xml";

/// Each brief's feed content (a CDATA section), made the first time a feed needs it and let go
/// after the last: a brief is in the site's Atom and RSS feeds, its authors' and its category's,
/// and is formatted once. Held to the end of rendering, the contents were a tenth of a
/// 1,000-brief build's peak memory; a feed rendered again (the preview) makes them again.
pub struct Contents(Vec<Mutex<Content>>);

struct Content {
    made: Option<Arc<str>>,
    /// How many more feeds show the brief.
    uses_left: usize,
}

impl Contents {
    pub fn new(site: &Site) -> Self {
        let mut uses = vec![0; site.briefs.len()];
        for feed in page::feeds(site) {
            for &b in entries(site, feed).iter() {
                uses[b] += 1;
            }
        }
        Contents(
            uses.into_iter()
                .map(|uses_left| {
                    Mutex::new(Content {
                        made: None,
                        uses_left,
                    })
                })
                .collect(),
        )
    }
}

/// The briefs a feed shows, newest first.
fn entries(site: &Site, feed: Feed) -> Cow<'_, [usize]> {
    let limit = site.config.feeds.entries;
    let briefs: &[usize] = match feed {
        Feed::SiteAtom | Feed::SiteRss => {
            return Cow::Owned((0..site.briefs.len().min(limit)).collect());
        }
        Feed::Author(a) => &site.authors[a.0].briefs,
        Feed::Category(c) => &site.terms(c.kind)[c.index].briefs,
    };
    Cow::Borrowed(&briefs[..briefs.len().min(limit)])
}

/// The feed's text.
pub fn render(
    site: &Site,
    urls: &Urls,
    summaries: &[Summary],
    contents: &Contents,
    feed: Feed,
) -> String {
    let (title, page_url) = match feed {
        Feed::SiteAtom | Feed::SiteRss => (site.config.title.clone(), urls.home()),
        Feed::Author(a) => {
            let author = &site.authors[a.0];
            (
                format!("{} | {}", author.config.name, site.config.title),
                urls.author(&author.slug),
            )
        }
        Feed::Category(c) => {
            let term = &site.terms(c.kind)[c.index];
            (
                format!("{} | {}", term.name, site.config.title),
                urls.term(c.kind, &term.slug),
            )
        }
    };
    let briefs = &*entries(site, feed);
    // Every listed brief is a feed entry today; a page kind left out of feeds never gets here.
    debug_assert!(briefs.iter().all(|&b| Page::Brief(BriefId(b)).in_feeds()));
    let feed_url = urls.permalink(&feed_url(site, urls, feed));
    let writer = Writer {
        site,
        urls,
        summaries,
        contents,
    };
    if feed == Feed::SiteRss {
        writer.rss(briefs, &feed_url)
    } else {
        writer.atom(briefs, &title, &urls.permalink(&page_url), &feed_url)
    }
}

struct Writer<'a> {
    site: &'a Site,
    urls: &'a Urls,
    summaries: &'a [Summary],
    contents: &'a Contents,
}

impl Writer<'_> {
    fn atom(&self, briefs: &[usize], title: &str, page: &str, feed_url: &str) -> String {
        let site = self.site;
        let mut out = String::with_capacity(4096 + briefs.len() * 8192);
        out.push_str("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
        let _ = writeln!(
            out,
            "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{}\">",
            xml_text(&site.config.language)
        );
        let _ = writeln!(out, "  <title type=\"text\">{}</title>", xml_text(title));
        if !site.config.description.is_empty() {
            let _ = writeln!(
                out,
                "  <subtitle type=\"text\">{}</subtitle>",
                xml_text(&site.config.description)
            );
        }
        let _ = writeln!(
            out,
            "  <link rel=\"self\" type=\"{ATOM_TYPE}\" href=\"{}\"/>",
            xml_text(feed_url)
        );
        let _ = writeln!(
            out,
            "  <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>",
            xml_text(page)
        );
        let _ = writeln!(out, "  <id>{}</id>", xml_text(feed_url));
        let _ = writeln!(out, "  <updated>{}</updated>", self.newest_update(briefs));
        // A feed-level author covers entries without one, as RFC 4287 requires.
        let _ = writeln!(
            out,
            "  <author><name>{}</name><uri>{}</uri></author>",
            xml_text(&self.publisher()),
            xml_text(&self.urls.permalink(&self.urls.home()))
        );
        let _ = writeln!(
            out,
            "  <generator version=\"{}\">dossier</generator>",
            env!("CARGO_PKG_VERSION")
        );
        for &b in briefs {
            self.atom_entry(&mut out, b);
        }
        out.push_str("</feed>\n");
        out
    }

    fn atom_entry(&self, out: &mut String, b: usize) {
        let site = self.site;
        let brief = &site.briefs[b];
        let summary = &self.summaries[b];
        let front = &brief.loaded.front;
        out.push_str("  <entry>\n");
        let _ = writeln!(
            out,
            "    <title type=\"text\">{}</title>",
            xml_text(&front.title)
        );
        let _ = writeln!(
            out,
            "    <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>",
            xml_text(&summary.permalink)
        );
        let _ = writeln!(out, "    <id>{}</id>", xml_text(&summary.permalink));
        let _ = writeln!(out, "    <published>{}</published>", front.date.timestamp);
        let updated = front.updated.unwrap_or(front.date).timestamp;
        let _ = writeln!(out, "    <updated>{updated}</updated>");
        for author in &summary.authors {
            let _ = writeln!(
                out,
                "    <author><name>{}</name><uri>{}</uri></author>",
                xml_text(&author.name),
                xml_text(&self.urls.permalink(&author.url))
            );
        }
        for (term, kind) in terms_of(summary) {
            let _ = writeln!(
                out,
                "    <category term=\"{}\" scheme=\"{}\" label=\"{}\"/>",
                xml_text(&term.slug),
                xml_text(&self.urls.permalink(&self.urls.section(kind.section()))),
                xml_text(&term.name)
            );
        }
        if !summary.summary.is_empty() {
            let _ = writeln!(
                out,
                "    <summary type=\"text\">{}</summary>",
                xml_text(&summary.summary)
            );
        }
        let _ = writeln!(
            out,
            "    <content type=\"html\" xml:base=\"{}\">{}</content>",
            xml_text(&summary.permalink),
            self.content(b)
        );
        out.push_str("  </entry>\n");
    }

    fn rss(&self, briefs: &[usize], feed_url: &str) -> String {
        let site = self.site;
        let urls = self.urls;
        let mut out = String::with_capacity(4096 + briefs.len() * 8192);
        out.push_str("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
        out.push_str("<rss version=\"2.0\" xmlns:atom=\"http://www.w3.org/2005/Atom\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\">\n<channel>\n");
        let _ = writeln!(out, "  <title>{}</title>", xml_text(&site.config.title));
        let _ = writeln!(
            out,
            "  <link>{}</link>",
            xml_text(&urls.permalink(&urls.home()))
        );
        let description = if site.config.description.is_empty() {
            &site.config.title
        } else {
            &site.config.description
        };
        let _ = writeln!(
            out,
            "  <description>{}</description>",
            xml_text(description)
        );
        let _ = writeln!(
            out,
            "  <language>{}</language>",
            xml_text(&site.config.language)
        );
        let newest = briefs
            .iter()
            .map(|&b| self.updated_of(b))
            .max()
            .unwrap_or(jiff::Timestamp::UNIX_EPOCH);
        let _ = writeln!(out, "  <lastBuildDate>{}</lastBuildDate>", rfc822(newest));
        let _ = writeln!(
            out,
            "  <generator>dossier {}</generator>",
            env!("CARGO_PKG_VERSION")
        );
        let _ = writeln!(
            out,
            "  <atom:link href=\"{}\" rel=\"self\" type=\"{RSS_TYPE}\"/>",
            xml_text(feed_url)
        );
        for &b in briefs {
            let summary = &self.summaries[b];
            let front = &site.briefs[b].loaded.front;
            out.push_str("  <item>\n");
            let _ = writeln!(out, "    <title>{}</title>", xml_text(&front.title));
            let _ = writeln!(out, "    <link>{}</link>", xml_text(&summary.permalink));
            let _ = writeln!(
                out,
                "    <guid isPermaLink=\"true\">{}</guid>",
                xml_text(&summary.permalink)
            );
            let _ = writeln!(
                out,
                "    <pubDate>{}</pubDate>",
                rfc822(front.date.timestamp)
            );
            for author in &summary.authors {
                let _ = writeln!(
                    out,
                    "    <dc:creator>{}</dc:creator>",
                    xml_text(&author.name)
                );
            }
            for (term, kind) in terms_of(summary) {
                let _ = writeln!(
                    out,
                    "    <category domain=\"{}\">{}</category>",
                    xml_text(&urls.permalink(&urls.section(kind.section()))),
                    xml_text(&term.name)
                );
            }
            let _ = writeln!(out, "    <description>{}</description>", self.content(b));
            out.push_str("  </item>\n");
        }
        out.push_str("</channel>\n</rss>\n");
        out
    }

    /// An entry's content as a CDATA section, made once per brief.
    fn content(&self, b: usize) -> Arc<str> {
        let mut content = self.contents.0[b]
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        let made = match &content.made {
            Some(made) => made.clone(),
            None => Arc::from(cdata(&self.content_html(b))),
        };
        content.uses_left = content.uses_left.saturating_sub(1);
        content.made = (content.uses_left > 0).then(|| made.clone());
        made
    }

    /// An entry's HTML: the disclosure statement first, then the brief with its notes (or its
    /// summary and a link to it), every link absolute.
    fn content_html(&self, b: usize) -> String {
        let site = self.site;
        let summary = &self.summaries[b];
        let mut html = String::new();
        let disclosure = crate::fara::disclosure_html(site, &site.briefs[b]);
        if !disclosure.is_empty() {
            html.push_str("<div class=\"disclosure\"><p><strong>Disclosure</strong></p>\n");
            html.push_str(&disclosure);
            html.push_str("</div>\n");
        }
        if site.config.feeds.full_content {
            let (body, notes) = brief::body_and_notes(site, site.citations_of(b, None));
            html.push_str(&body);
            if !notes.is_empty() {
                html.push_str("<h2>Notes</h2>\n<ol>\n");
                for note in notes {
                    let _ = writeln!(
                        html,
                        "<li id=\"{}\" value=\"{}\">{}</li>",
                        note.id, note.number, note.html
                    );
                }
                html.push_str("</ol>\n");
            }
        } else {
            let _ = writeln!(
                html,
                "<p>{}</p>\n<p><a href=\"{}\">Read the brief</a></p>",
                crate::html::escape(&summary.summary),
                crate::html::escape(&summary.url)
            );
        }
        let origin = self.urls.permalink("");
        href::absolutize_html(&html, &summary.url, &origin)
    }

    fn updated_of(&self, b: usize) -> jiff::Timestamp {
        let front = &self.site.briefs[b].loaded.front;
        front.updated.unwrap_or(front.date).timestamp
    }

    /// The newest `updated` of the entries (the epoch for an empty feed, so that output depends
    /// on the site alone).
    fn newest_update(&self, briefs: &[usize]) -> jiff::Timestamp {
        briefs
            .iter()
            .map(|&b| self.updated_of(b))
            .max()
            .unwrap_or(jiff::Timestamp::UNIX_EPOCH)
    }

    fn publisher(&self) -> String {
        self.site
            .config
            .organization
            .as_ref()
            .map_or_else(|| self.site.config.title.clone(), |o| o.name.clone())
    }
}

/// RFC 822 date for RSS, in GMT.
fn rfc822(timestamp: jiff::Timestamp) -> String {
    jiff::fmt::rfc2822::DateTimePrinter::new()
        .timestamp_to_rfc9110_string(&timestamp)
        .unwrap_or_default()
}

/// A brief's HTML as a CDATA section: the same text to a feed reader as escaped HTML, without
/// escaping whole briefs (a tenth of a small site's build). A `]]>` inside is split across two
/// sections.
fn cdata(html: &str) -> String {
    let html = xml_chars(html);
    let mut out = String::with_capacity(html.len() + 16);
    out.push_str("<![CDATA[");
    if memchr::memmem::find(html.as_bytes(), b"]]>").is_some() {
        out.push_str(&html.replace("]]>", "]]]]><![CDATA[>"));
    } else {
        out.push_str(&html);
    }
    out.push_str("]]>");
    out
}

/// A brief's category and tags, each with its kind: feeds list both as categories.
fn terms_of(summary: &Summary) -> impl Iterator<Item = (&Link, TermKind)> {
    let category = summary.category.iter().map(|c| (c, TermKind::Category));
    category.chain(summary.tags.iter().map(|t| (t, TermKind::Tag)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xml_text_escapes_and_drops_forbidden_characters() {
        assert_eq!(
            xml_text("a<b>&\"c'\u{1}\u{FFFE}d"),
            "a&lt;b&gt;&amp;&quot;c&#39;d"
        );
    }

    #[test]
    fn cdata_sections_keep_markup_and_split_their_end_marker() {
        assert_eq!(
            cdata("<p>a]]>b\u{1}</p>"),
            "<![CDATA[<p>a]]]]><![CDATA[>b</p>]]>"
        );
    }

    #[test]
    fn rss_dates_are_rfc_822() {
        let ts: jiff::Timestamp = "2022-08-11T04:30:00Z".parse().unwrap();
        assert_eq!(rfc822(ts), "Thu, 11 Aug 2022 04:30:00 GMT");
    }
}
