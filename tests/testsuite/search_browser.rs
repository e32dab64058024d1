//! Client-side search: the index files the build writes, and the search page in headless Chromium
//! (Debian's `chromium`, driven by playwright-core through tests/browser/search.mjs) on a static
//! server under a path prefix. Without Node's playwright-core or Chromium a local run skips the
//! browser test with a message; under CI (`CI` set) a missing tool fails it.

use crate::harness::tools::{browser_checks, hosted};
use crate::harness::{Site, count, the_attr};

#[test]
fn the_build_writes_a_split_index_the_search_page_and_a_header_search_box() {
    let site = Site::fixture("basic");
    site.build_ok(&[]);
    let manifest: serde_json::Value =
        serde_json::from_str(&site.read("public/search/index.json")).unwrap();
    assert_eq!(manifest["docs"], 4, "published briefs only");
    let shards = manifest["shards"].as_array().unwrap();
    assert_eq!(shards.len(), 1);
    let shard: serde_json::Value =
        serde_json::from_str(&gunzip(&site.path("public/search/i/0.json.gz"))).unwrap();
    // "sanctions" is in the title, tags and body of one brief and the text of others.
    let postings = shard["sanctions"].as_array().unwrap();
    assert!(postings.len() >= 2 && postings.len().is_multiple_of(2));
    assert!(shard.get("the").is_none(), "stop words are left out");
    for b in 0..4 {
        let doc: serde_json::Value =
            serde_json::from_str(&gunzip(&site.path(&format!("public/search/d/{b}.json.gz"))))
                .unwrap();
        assert!(doc["url"].as_str().unwrap().starts_with("/blog/"));
        assert!(!doc["text"].as_str().unwrap().contains('<'), "plain text");
    }
    assert!(!site.path("public/search/d/4.json.gz").exists());

    let search = site.page("search/");
    assert_eq!(
        the_attr(&search, "form[data-index]", "data-index"),
        "/blog/search/index.json"
    );
    assert_eq!(the_attr(&search, "script[src]", "src"), "/blog/search.js");
    assert_eq!(
        count(&search, "#site-search-query"),
        0,
        "one search box on the search page"
    );
    assert_eq!(the_attr(&search, "meta[name=robots]", "content"), "noindex");
    let home = site.page("");
    assert_eq!(
        the_attr(&home, "form.site-search", "action"),
        "/blog/search/"
    );
    assert_eq!(
        the_attr(&home, "label[for=site-search-query]", "class"),
        "visually-hidden"
    );
    assert!(site.path("public/search.js").is_file());
}

/// The text of a gzip-compressed index file (the search page inflates it in the browser).
fn gunzip(path: &std::path::Path) -> String {
    use std::io::Read as _;
    let packed = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    assert_eq!(&packed[..2], &[0x1f, 0x8b], "{} is gzip", path.display());
    let mut text = String::new();
    flate2::read::GzDecoder::new(&packed[..])
        .read_to_string(&mut text)
        .unwrap();
    text
}

#[test]
#[ignore = "needs chromium"]
fn searching_in_a_real_browser_finds_highlights_and_fetches_only_what_it_needs() {
    let host = hosted("blog");
    Site::fixture("basic").build_ok(&[
        "--output",
        host.output_arg(),
        "--base-url",
        host.base_url(),
    ]);
    browser_checks("search.mjs", &["test", &host.base], "");
}
