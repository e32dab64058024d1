//! Feeds, read back with a real feed parser (`feed-rs`): the site's Atom and RSS feeds, one Atom
//! feed per author and per category, each linked from the page heads; absolute links, authors,
//! categories, dates, and the disclosure statement in every entry.

use crate::harness::{Site, select_attr};
use feed_rs::model::{Feed, FeedType};

fn parse(site: &Site, rel: &str) -> Feed {
    let text = site.read(&format!("public/{rel}"));
    feed_rs::parser::parse(text.as_bytes()).unwrap_or_else(|e| panic!("{rel}: {e}\n{text}"))
}

/// Every `href` and `src` in an HTML fragment.
fn urls_in(html: &str) -> Vec<String> {
    let mut out = select_attr(html, "[href]", "href");
    out.extend(select_attr(html, "[src]", "src"));
    out
}

fn entry_titles(feed: &Feed) -> Vec<String> {
    feed.entries
        .iter()
        .map(|e| {
            e.title
                .as_ref()
                .map(|t| t.content.clone())
                .unwrap_or_default()
        })
        .collect()
}

#[test]
fn the_site_atom_feed_has_absolute_links_authors_categories_dates_and_the_disclosure() {
    let site = Site::fixture("basic");
    site.build_ok(&[]);
    let feed = parse(&site, "atom.xml");
    assert_eq!(feed.feed_type, FeedType::Atom);
    assert_eq!(feed.title.as_ref().unwrap().content, "Harbor Notes");
    assert!(
        feed.links
            .iter()
            .any(|l| l.rel.as_deref() == Some("self")
                && l.href == "https://example.org/blog/atom.xml")
    );
    // Newest first; the draft is left out.
    assert_eq!(
        entry_titles(&feed),
        [
            "What the Alliance Pays For",
            "An Ageing Workforce and the Factory Floor",
            "Chips, Controls and the Limits of Leverage",
            "Sanctions Enforcement at Sea",
        ]
    );
    let newest = &feed.entries[0];
    // 2023-11-30T22:15:00-05:00 is the next day in UTC.
    assert_eq!(
        newest.published.unwrap().to_rfc3339(),
        "2023-12-01T03:15:00+00:00"
    );
    assert_eq!(feed.updated, newest.updated);
    for entry in &feed.entries {
        let link = &entry.links[0].href;
        assert!(
            link.starts_with("https://example.org/blog/") && link.ends_with('/'),
            "{link}"
        );
        assert_eq!(&entry.id, link);
        assert!(entry.updated.is_some() && entry.published.is_some());
        assert!(!entry.authors.is_empty(), "{link} has no author");
        for author in &entry.authors {
            assert!(
                author
                    .uri
                    .as_deref()
                    .unwrap()
                    .starts_with("https://example.org/blog/authors/")
            );
        }
        let body = entry.content.as_ref().unwrap().body.as_deref().unwrap();
        assert!(
            body.contains("This brief is published by the Tidewater Policy Forum"),
            "{link}: no disclosure"
        );
        for url in urls_in(body) {
            assert!(url.starts_with("https://"), "{link}: relative URL {url}");
        }
    }
    let chips = &feed.entries[2];
    let names: Vec<_> = chips
        .authors
        .iter()
        .map(|a| a.name.clone().unwrap_or_default())
        .collect();
    assert_eq!(names, ["Mara Lindqvist", "Priya Raman"]);
    let terms: Vec<_> = chips
        .categories
        .iter()
        .map(|c| (c.term.clone(), c.label.clone().unwrap_or_default()))
        .collect();
    assert_eq!(
        terms,
        [
            ("trade".to_owned(), "Trade".to_owned()),
            ("semiconductors".to_owned(), "semiconductors".to_owned()),
            ("export-controls".to_owned(), "export controls".to_owned()),
        ]
    );
    assert_eq!(
        chips.categories[0].scheme.as_deref(),
        Some("https://example.org/blog/categories/")
    );
    // Full content by default: the whole body and the notes.
    let body = chips.content.as_ref().unwrap().body.clone().unwrap();
    assert!(body.contains("<h2>Notes</h2>"), "{body}");
}

#[test]
fn the_rss_feed_parses_with_dates_creators_categories_and_the_disclosure() {
    let site = Site::fixture("basic");
    site.build_ok(&[]);
    let feed = parse(&site, "rss.xml");
    assert_eq!(feed.feed_type, FeedType::RSS2);
    assert_eq!(feed.entries.len(), 4);
    let text = site.read("public/rss.xml");
    assert!(text.contains("<pubDate>Fri, 01 Dec 2023 03:15:00 GMT</pubDate>"));
    assert!(text.contains("<dc:creator>Daniel Osei</dc:creator>"));
    for entry in &feed.entries {
        assert!(entry.links[0].href.starts_with("https://example.org/blog/"));
        assert!(entry.published.is_some());
        assert!(!entry.categories.is_empty());
        let description = entry.summary.as_ref().unwrap().content.clone();
        assert!(description.contains("Tidewater Policy Forum"));
        for url in urls_in(&description) {
            assert!(url.starts_with("https://"), "relative URL {url}");
        }
    }
}

#[test]
fn authors_and_categories_have_their_own_feeds_linked_from_their_pages() {
    let site = Site::fixture("basic");
    site.build_ok(&[]);
    let author = parse(&site, "authors/priya-raman/atom.xml");
    assert_eq!(
        entry_titles(&author),
        [
            "An Ageing Workforce and the Factory Floor",
            "Chips, Controls and the Limits of Leverage"
        ]
    );
    assert_eq!(author.title.unwrap().content, "Priya Raman | Harbor Notes");
    let category = parse(&site, "categories/security/atom.xml");
    assert_eq!(
        entry_titles(&category),
        ["What the Alliance Pays For", "Sanctions Enforcement at Sea"]
    );

    let feeds = |page: &str| {
        let html = site.page(page);
        let mut found = select_attr(
            &html,
            "link[rel=alternate][type='application/atom+xml']",
            "href",
        );
        found.extend(select_attr(
            &html,
            "link[rel=alternate][type='application/rss+xml']",
            "href",
        ));
        found
    };
    assert_eq!(feeds(""), ["/blog/atom.xml", "/blog/rss.xml"]);
    assert_eq!(
        feeds("authors/priya-raman/"),
        [
            "/blog/atom.xml",
            "/blog/authors/priya-raman/atom.xml",
            "/blog/rss.xml"
        ]
    );
    assert_eq!(
        feeds("categories/security/"),
        [
            "/blog/atom.xml",
            "/blog/categories/security/atom.xml",
            "/blog/rss.xml"
        ]
    );
    // Every linked feed exists; tags have none.
    for href in feeds("categories/security/")
        .into_iter()
        .chain(feeds("authors/priya-raman/"))
    {
        let rel = href.strip_prefix("/blog/").unwrap();
        assert!(site.path("public").join(rel).is_file(), "{href}");
    }
    assert_eq!(
        feeds("tags/sanctions/"),
        ["/blog/atom.xml", "/blog/rss.xml"]
    );
}

#[test]
fn summaries_only_when_full_content_is_off_and_entries_are_limited() {
    let site = Site::fixture("basic");
    let config = site.read("site.toml") + "\n[feeds]\nfull_content = false\nentries = 2\n";
    site.write("site.toml", &config);
    site.build_ok(&[]);
    let feed = parse(&site, "atom.xml");
    assert_eq!(feed.entries.len(), 2);
    let body = feed.entries[0]
        .content
        .as_ref()
        .unwrap()
        .body
        .clone()
        .unwrap();
    assert!(
        body.contains("Host-nation support is a small share"),
        "{body}"
    );
    assert!(body.contains("https://example.org/blog/alliance-cost-sharing/"));
    assert!(!body.contains("A better measure would count"), "{body}");
    assert!(body.contains("Tidewater Policy Forum"));
    assert_eq!(parse(&site, "rss.xml").entries.len(), 2);
}

#[test]
fn feed_text_is_escaped_and_relative_links_become_absolute_under_another_base_url() {
    let site = crate::harness::minimal_site().brief(
        "tricky.md",
        "+++\ntitle = \"Oil & <b>Tankers</b> \\\"at\\\" sea\"\ndate = 2024-05-01\nupdated = \"2024-06-02T10:00:00+02:00\"\nauthors = [\"daniel-osei\"]\ncategory = \"R&D <i>\"\nsummary = \"Less < more & </summary>\"\n+++\n\nSee [the first brief](../first-brief/#top), [home](/pr-7/) and ![a chart](chart.png).\n",
    );
    site.build_ok(&["--base-url", "https://preview.example.net/pr-7"]);
    let feed = parse(&site, "atom.xml");
    let entry = &feed.entries[0];
    assert_eq!(
        entry.title.as_ref().unwrap().content,
        "Oil & <b>Tankers</b> \"at\" sea"
    );
    assert_eq!(
        entry.summary.as_ref().unwrap().content,
        "Less < more & </summary>"
    );
    assert_eq!(entry.categories[0].label.as_deref(), Some("R&D <i>"));
    assert_eq!(
        entry.updated.unwrap().to_rfc3339(),
        "2024-06-02T08:00:00+00:00"
    );
    assert_eq!(
        entry.published.unwrap().to_rfc3339(),
        "2024-05-01T00:00:00+00:00"
    );
    assert_eq!(
        entry.links[0].href,
        "https://preview.example.net/pr-7/tricky/"
    );
    let body = entry.content.as_ref().unwrap().body.clone().unwrap();
    let urls = urls_in(&body);
    assert!(urls.contains(&"https://preview.example.net/pr-7/first-brief/#top".to_owned()));
    assert!(urls.contains(&"https://preview.example.net/pr-7/".to_owned()));
    assert!(urls.contains(&"https://preview.example.net/pr-7/tricky/chart.png".to_owned()));
    let raw = site.read("public/atom.xml");
    assert!(!raw.contains("<b>Tankers"), "unescaped markup in the feed");
}
