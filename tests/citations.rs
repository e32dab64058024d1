//! Citations: markers become notes, sources get an index and a page each, ids with `/` and `:`
//! stay out of output paths, and things that merely look like markers stay text.

mod common;

use common::{Site, count, dirs_below, select_attr, select_text, the_text};

const SANCTIONS: &str = "sanctions-enforcement-at-sea/";
const CHIPS: &str = "chip-export-controls/";
const WORKFORCE: &str = "ageing-workforce/";

fn built() -> Site {
    let site = Site::fixture("basic");
    site.build_ok(&[]);
    site
}

#[test]
fn citation_index_groups_every_cited_source_by_kind() {
    let site = built();
    let index = site.page("citations/");
    assert_eq!(
        select_text(&index, "main h2"),
        vec!["UN and government documents", "Reports", "News"]
    );
    assert_eq!(
        select_attr(&index, "#sources-government ~ ul .source-item", "id"),
        vec!["source-s-res-2397"]
    );
    assert_eq!(
        select_attr(&index, "#sources-report ~ ul .source-item", "id"),
        vec!["source-tpf-chip-tools-2022"]
    );
    let mut news = select_attr(&index, "#sources-news ~ ul .source-item", "id");
    news.sort();
    assert_eq!(
        news,
        vec![
            "source-ledger-dark-transfers",
            "source-ledger-shipyard-welders"
        ]
    );
    assert!(
        the_text(&index, "#source-s-res-2397 .source-ref").starts_with(
            "United Nations Security Council. Resolution 2397 (2017). S/RES/2397 (2017). December 22, 2017."
        )
    );
}

#[test]
fn citation_index_lists_the_briefs_that_cite_each_source() {
    let site = built();
    let index = site.page("citations/");
    let mut citing = select_attr(&index, "#source-s-res-2397 a[href^='/blog/']", "href");
    citing.retain(|href| !href.starts_with("/blog/citations/"));
    assert_eq!(
        citing,
        vec![
            "/blog/chip-export-controls/",
            "/blog/sanctions-enforcement-at-sea/"
        ],
        "the index entry for S/RES/2397 should link the two briefs that cite it"
    );
}

#[test]
fn source_defined_identically_by_two_briefs_is_one_source() {
    let site = built();
    let index = site.page("citations/");
    assert_eq!(count(&index, "#source-s-res-2397"), 1);
    assert_eq!(
        the_text(&index, "#source-s-res-2397 .source-cited-by"),
        "Cited by 2 briefs"
    );
}

#[test]
fn source_ids_with_slashes_and_colons_get_flat_urls() {
    let site = built();
    assert!(site.has_page("citations/s-res-2397/"));
    assert!(site.has_page("citations/tpf-chip-tools-2022/"));
    let folders: Vec<String> = dirs_below(&site.public())
        .iter()
        .map(|d| d.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    for bad in ["S", "RES", "s", "res", "2397"] {
        assert!(
            !folders.contains(&bad.to_owned()),
            "a folder named {bad:?} was written: {folders:?}"
        );
    }
    assert!(
        !site.public().join("citations/tpf:chip-tools-2022").exists(),
        "a `:` from an id reached a path"
    );
}

#[test]
fn source_page_lists_each_citing_brief_with_its_locators() {
    let site = built();
    let page = site.page("citations/s-res-2397/");
    assert_eq!(
        select_attr(&page, ".citing-title a", "href"),
        vec![
            "/blog/chip-export-controls/",
            "/blog/sanctions-enforcement-at-sea/"
        ]
    );
    assert_eq!(
        select_text(&page, ".citing-title a"),
        vec![
            "Chips, Controls and the Limits of Leverage",
            "Sanctions Enforcement at Sea"
        ]
    );
    assert_eq!(
        select_text(&page, ".citing-locators"),
        vec!["Cited at para. 7", "Cited at para. 28"]
    );
    assert_eq!(
        select_attr(&page, ".source-link a", "href"),
        vec!["https://undocs.org/S/RES/2397(2017)"]
    );
}

#[test]
fn locators_appear_in_the_notes() {
    let site = built();
    let sanctions = site.page(SANCTIONS);
    assert_eq!(
        the_text(&sanctions, "li#note-1 p"),
        "United Nations Security Council, Resolution 2397 (2017), S/RES/2397 (2017), December 22, 2017, para. 28, https://undocs.org/S/RES/2397(2017)."
    );
    let chips = site.page(CHIPS);
    assert!(
        the_text(&chips, "li#note-1 p").contains(", pp. 12-14, "),
        "{chips}"
    );
    assert!(
        the_text(&chips, "li#note-2 p").contains(", para. 7, "),
        "{chips}"
    );
}

#[test]
fn several_sources_in_one_marker_make_one_note() {
    let site = built();
    let page = site.page(SANCTIONS);
    assert_eq!(count(&page, ".brief-notes li"), 3);
    let note = the_text(&page, "li#note-3 p");
    let items: Vec<&str> = note.split("; ").collect();
    assert_eq!(items.len(), 2, "{note}");
    assert!(
        items[0].starts_with("see Lena Varga, “Dark Transfers Rise in the East China Sea"),
        "{note}"
    );
    assert!(
        items[0].contains("Coastal Ledger, June 3, 2022, p. 4,"),
        "{note}"
    );
    assert!(items[1].contains("Resolution 2397 (2017)"), "{note}");
}

#[test]
fn second_citation_of_a_source_in_a_brief_is_a_short_note() {
    let site = built();
    let page = site.page(SANCTIONS);
    let first = the_text(&page, "li#note-1 p");
    assert!(first.contains("December 22, 2017"), "{first}");
    let note = the_text(&page, "li#note-3 p");
    let second = note.split("; ").nth(1).expect("a second item");
    assert_eq!(
        second,
        "United Nations Security Council, Resolution 2397 (2017)."
    );
    assert_eq!(
        select_attr(&page, "li#note-3 a[href^='https://undocs.org']", "href").len(),
        0,
        "the short note repeats the link"
    );
}

#[test]
fn first_citation_of_a_source_in_each_brief_is_a_full_note() {
    // S/RES/2397 was cited in full by the other brief; this brief still gets a full note.
    let site = built();
    let chips = site.page(CHIPS);
    assert!(
        the_text(&chips, "li#note-2 p")
            .starts_with("United Nations Security Council, Resolution 2397 (2017), S/RES/2397 (2017), December 22, 2017"),
        "{chips}"
    );
}

#[test]
fn emails_code_and_escaped_at_signs_are_not_citations() {
    let site = built();
    let page = site.page(WORKFORCE);
    let body = the_text(&page, ".brief-body");
    assert!(
        body.contains("can [write to press@example.org] and ask for them."),
        "{body}"
    );
    assert!(
        body.contains("the ministry file is labelled [@labor-ministry] in the appendix."),
        "{body}"
    );
    assert_eq!(
        select_text(&page, ".brief-body p code"),
        vec!["@yard-welder-12"]
    );
    assert!(
        the_text(&page, ".brief-body pre code").contains("[@not-a-citation]"),
        "{page}"
    );
    assert_eq!(count(&page, ".brief-body sup"), 1);
    assert_eq!(count(&page, ".brief-notes li"), 1);
}

const SITE_TOML: &str = "title = \"Harbor Notes\"\nbase_url = \"https://example.org/blog\"\n";

#[test]
fn suppressed_author_citation_leaves_the_author_out_of_the_note() {
    let site = Site::new().file("site.toml", SITE_TOML).brief(
        "a.md",
        r#"+++
title = "A"
date = 2022-08-11

[[citations]]
id = "kim2021"
type = "book"
title = "Harbors of the Yellow Sea"
author = [{family = "Kim", given = "Seo-yeon"}]
publisher = "Tidewater Press"
issued = "2021"
+++

As Kim argues in her history of the ports [-@kim2021, p. 3], trade followed the tides.
"#,
    );
    site.build_ok(&[]);
    let note = the_text(&site.page("a/"), "li#note-1 p");
    assert!(!note.contains("Kim"), "{note}");
    assert!(note.starts_with("Harbors of the Yellow Sea"), "{note}");
    assert!(note.contains("p. 3"), "{note}");
}

#[test]
fn doi_becomes_a_link_to_the_doi_resolver() {
    let site = Site::new().file("site.toml", SITE_TOML).brief(
        "a.md",
        r#"---
title: A
date: 2022-08-11
citations:
  - id: park2020
    type: article-journal
    title: Port Congestion and Trade Diversion
    author:
      - family: Park
        given: Min-jun
    container-title: Journal of Maritime Economics
    issued: 2020-03
    DOI: 10.1000/jme.2020.14
---

Congestion diverts trade to smaller ports [@park2020, 41].
"#,
    );
    site.build_ok(&[]);
    let page = site.page("a/");
    assert_eq!(
        select_attr(
            &page,
            ".brief-references a[href^='https://doi.org/']",
            "href"
        ),
        vec!["https://doi.org/10.1000/jme.2020.14"]
    );
    assert!(
        the_text(&page, "li#note-1 p").contains("March 2020, 41,"),
        "{page}"
    );
    assert_eq!(
        select_text(&site.page("citations/"), "main h2"),
        vec!["Journal articles"]
    );
}

#[test]
fn source_page_collects_every_locator_a_brief_used() {
    let site = Site::new().file("site.toml", SITE_TOML).brief(
        "a.md",
        r#"+++
title = "A"
date = 2022-08-11

[[citations]]
id = "S/RES/2397"
type = "legislation"
title = "Resolution 2397 (2017)"
author = [{literal = "United Nations Security Council"}]
+++

The cap is in one paragraph [@S/RES/2397, para. 5], inspections in others [@S/RES/2397, paras. 9-15], and the cap again [@S/RES/2397, para. 5].
"#,
    );
    site.build_ok(&[]);
    let page = site.page("citations/s-res-2397/");
    assert_eq!(
        select_text(&page, ".citing-locators"),
        vec!["Cited at para. 5; paras. 9-15"]
    );
    assert_eq!(count(&site.page("a/"), ".brief-notes li"), 3);
}

#[test]
fn sources_defined_but_never_cited_get_no_page() {
    let site = Site::new().file("site.toml", SITE_TOML).brief(
        "a.md",
        r#"+++
title = "A"
date = 2022-08-11

[[citations]]
id = "unused"
type = "report"
title = "Never Cited"
+++

No markers here.
"#,
    );
    site.build_ok(&[]);
    assert!(!site.has_page("citations/unused/"));
    assert_eq!(count(&site.page("citations/"), ".source-item"), 0);
}
