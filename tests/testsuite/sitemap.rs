//! sitemap.xml (read with a real XML parser), its split into a sitemap index above the protocol's
//! limit, robots.txt, and what publishing leaves out: drafts and briefs dated in the future, unless
//! `--drafts` / `--future`.

use std::collections::BTreeSet;
use std::path::Path;

use crate::harness::{Site, files_below, relative};
use assert_cmd::Command;

const NS: &str = "http://www.sitemaps.org/schemas/sitemap/0.9";

/// `(loc, lastmod)` of every `<url>` of a urlset, or `loc` of every `<sitemap>` of an index.
fn read_sitemap(text: &str) -> (String, Vec<(String, Option<String>)>) {
    let doc = roxmltree::Document::parse(text).unwrap_or_else(|e| panic!("{e}\n{text}"));
    let root = doc.root_element();
    assert_eq!(root.tag_name().namespace(), Some(NS));
    let child = |node: roxmltree::Node<'_, '_>, name: &str| {
        node.children()
            .find(|c| c.tag_name().name() == name)
            .and_then(|c| c.text())
            .map(str::to_owned)
    };
    let entries = root
        .children()
        .filter(roxmltree::Node::is_element)
        .map(|node| (child(node, "loc").expect("a loc"), child(node, "lastmod")))
        .collect();
    (root.tag_name().name().to_owned(), entries)
}

/// The URL of every HTML page written, as the sitemap should list them.
fn html_pages(public: &Path, base: &str) -> BTreeSet<String> {
    files_below(public)
        .into_iter()
        .map(|p| relative(public, &p))
        .filter(|rel| rel.ends_with("index.html") && !rel.starts_with("search/"))
        .map(|rel| format!("{base}{}", rel.trim_end_matches("index.html")))
        .collect()
}

#[test]
fn the_sitemap_lists_every_page_with_absolute_urls_and_robots_txt_points_to_it() {
    let site = Site::fixture("basic");
    site.build_ok(&[]);
    let (kind, entries) = read_sitemap(&site.read("public/sitemap.xml"));
    assert_eq!(kind, "urlset");
    let locs: BTreeSet<String> = entries.iter().map(|(loc, _)| loc.clone()).collect();
    assert_eq!(locs.len(), entries.len(), "a URL is listed twice");
    assert_eq!(
        locs,
        html_pages(&site.public(), "https://example.org/blog/")
    );
    let brief = entries
        .iter()
        .find(|(loc, _)| loc == "https://example.org/blog/alliance-cost-sharing/")
        .expect("the brief is listed");
    assert_eq!(brief.1.as_deref(), Some("2023-11-30"));
    assert!(
        !locs
            .iter()
            .any(|l| l.contains("404") || l.contains("/search/"))
    );
    assert_eq!(
        site.read("public/robots.txt"),
        "User-agent: *\nAllow: /\n\nSitemap: https://example.org/blog/sitemap.xml\n"
    );
}

#[test]
fn above_the_limit_the_sitemap_is_split_under_a_sitemap_index() {
    let site = Site::fixture("basic");
    // The protocol's limit is 50,000 URLs; the test lowers it rather than build 50,001 pages.
    let output = Command::cargo_bin("dossier")
        .unwrap()
        .args(["build", "--quiet", "--root"])
        .arg(site.root())
        .env("DOSSIER_SITEMAP_MAX_URLS", "5")
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    let all = html_pages(&site.public(), "https://example.org/blog/");
    let (kind, sitemaps) = read_sitemap(&site.read("public/sitemap.xml"));
    assert_eq!(kind, "sitemapindex");
    assert_eq!(sitemaps.len(), all.len().div_ceil(5));
    let mut listed = BTreeSet::new();
    for (i, (loc, _)) in sitemaps.iter().enumerate() {
        assert_eq!(
            loc,
            &format!("https://example.org/blog/sitemap-{}.xml", i + 1)
        );
        let (kind, entries) = read_sitemap(&site.read(&format!("public/sitemap-{}.xml", i + 1)));
        assert_eq!(kind, "urlset");
        assert!(entries.len() <= 5 && !entries.is_empty());
        listed.extend(entries.into_iter().map(|(loc, _)| loc));
    }
    assert_eq!(listed, all);
}

#[test]
fn drafts_and_future_briefs_stay_out_of_pages_feeds_sitemap_and_search_unless_asked_for() {
    let site = Site::fixture("basic").brief(
        "scheduled.md",
        "+++\ntitle = \"Scheduled for 2999\"\ndate = 2999-01-01\nauthor = \"daniel-osei\"\ncategory = \"Security\"\n+++\n\nNot yet.\n",
    );
    let published = |site: &Site| {
        let everywhere = [
            site.read("public/atom.xml"),
            site.read("public/rss.xml"),
            site.read("public/sitemap.xml"),
            site.read("public/authors/daniel-osei/atom.xml"),
            site.page(""),
            site.read("public/search/index.json"),
        ]
        .join("\n");
        (
            site.has_page("scheduled/"),
            everywhere.contains("Scheduled for 2999") || everywhere.contains("/scheduled/"),
            site.has_page("seasonal-visa-quotas/"),
            everywhere.contains("seasonal-visa-quotas"),
        )
    };
    site.build_ok(&[]);
    assert_eq!(published(&site), (false, false, false, false));
    let docs: serde_json::Value =
        serde_json::from_str(&site.read("public/search/index.json")).unwrap();
    assert_eq!(docs["docs"], 4);

    site.build_ok(&["--future"]);
    let (page, listed, ..) = published(&site);
    assert!(page && listed, "--future publishes the scheduled brief");
    assert!(
        site.read("public/sitemap.xml")
            .contains("https://example.org/blog/scheduled/")
    );

    site.build_ok(&["--drafts"]);
    assert_eq!(published(&site), (false, false, true, true));
}
