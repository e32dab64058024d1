//! Internal links: every link and asset reference in every page resolves to a written file under a
//! base_url with a path prefix, fragments point at ids that exist, and `--base-url` moves them all.

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

use crate::harness::{Site, html_files, ids, links, relative, select_attr};

/// Every page, by path relative to the output folder, with its HTML.
fn pages(output: &Path) -> BTreeMap<String, String> {
    html_files(output)
        .into_iter()
        .map(|file| {
            let html = fs::read_to_string(&file).expect("read page");
            (relative(output, &file), html)
        })
        .collect()
}

/// The output file a root-relative URL under `prefix` points to (folder URLs are index.html).
fn target(url: &str, prefix: &str) -> Option<String> {
    let path = url.split(['#', '?']).next().unwrap_or_default();
    let rel = path.strip_prefix(prefix)?;
    Some(if rel.is_empty() || rel.ends_with('/') {
        format!("{rel}index.html")
    } else {
        rel.to_owned()
    })
}

/// Checks every internal link of the site written to `output` for the path prefix `prefix`.
fn assert_internal_links_work(output: &Path, prefix: &str) -> usize {
    let pages = pages(output);
    assert!(pages.len() > 20, "only {} pages", pages.len());
    let mut checked = 0;
    let mut broken = Vec::new();
    for (page, html) in &pages {
        let page_ids = ids(html);
        for url in links(html) {
            if url.starts_with("https://")
                || url.starts_with("http://")
                || url.starts_with("mailto:")
                // A brief's citation downloads carry their file in the link.
                || url.starts_with("data:")
            {
                continue;
            }
            if let Some(fragment) = url.strip_prefix('#') {
                if !page_ids.iter().any(|id| id == fragment) {
                    broken.push(format!("{page}: {url} (no such id)"));
                }
                checked += 1;
                continue;
            }
            let Some(file) = target(&url, prefix) else {
                broken.push(format!("{page}: {url} is not under {prefix}"));
                continue;
            };
            checked += 1;
            if !output.join(&file).is_file() {
                broken.push(format!("{page}: {url} -> missing {file}"));
                continue;
            }
            if let Some((_, fragment)) = url.split_once('#')
                && let Some(other) = pages.get(&file)
                && !ids(other).iter().any(|id| id == fragment)
            {
                broken.push(format!("{page}: {url} (no id {fragment} in {file})"));
            }
        }
    }
    assert!(broken.is_empty(), "broken links:\n{}", broken.join("\n"));
    checked
}

#[test]
fn every_internal_link_works_under_a_path_prefix() {
    let site = Site::fixture("basic");
    site.build_ok(&["--drafts"]);
    let checked = assert_internal_links_work(&site.public(), "/blog/");
    assert!(checked > 200, "only {checked} links checked");
}

#[test]
fn every_internal_link_works_at_the_root_of_a_domain() {
    let site = Site::fixture("basic");
    site.build_ok(&["--base-url", "https://briefs.example.org"]);
    assert_internal_links_work(&site.public(), "/");
}

#[test]
fn base_url_flag_moves_every_internal_link_under_its_path() {
    let site = Site::fixture("basic");
    site.build_ok(&["--base-url", "https://preview.example.net/pr-7"]);
    assert_internal_links_work(&site.public(), "/pr-7/");
    for (page, html) in pages(&site.public()) {
        for url in links(&html) {
            assert!(
                !url.starts_with("/blog"),
                "{page}: {url} still uses the site.toml prefix"
            );
            assert!(
                !url.contains("example.org/blog"),
                "{page}: {url} still uses the site.toml address"
            );
        }
        for canonical in select_attr(&html, "link[rel=canonical]", "href") {
            assert!(
                canonical.starts_with("https://preview.example.net/pr-7/"),
                "{page}: canonical {canonical}"
            );
        }
    }
    assert!(
        site.public()
            .join("sanctions-enforcement-at-sea/index.html")
            .is_file(),
        "the output layout does not depend on the prefix"
    );
}

#[test]
fn base_url_with_a_trailing_slash_gives_the_same_links() {
    let site = Site::fixture("basic");
    site.build_ok(&["--base-url", "https://example.org/blog/"]);
    let with_slash = pages(&site.public());
    site.build_ok(&[]);
    let without = pages(&site.public());
    assert_eq!(with_slash, without);
}

#[test]
fn permalinks_are_absolute_urls_under_the_base_url() {
    let site = Site::fixture("basic");
    site.build_ok(&[]);
    let page = site.page("chip-export-controls/");
    assert_eq!(
        select_attr(&page, "link[rel=canonical]", "href"),
        vec!["https://example.org/blog/chip-export-controls/"]
    );
    assert_eq!(
        select_attr(&page, "meta[property='og:url']", "content"),
        vec!["https://example.org/blog/chip-export-controls/"]
    );
}
