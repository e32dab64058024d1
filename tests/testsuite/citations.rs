//! Citations: markers become notes, sources get an index and a page each, ids with `/` and `:`
//! stay out of output paths, and things that merely look like markers stay text.

use crate::harness::{Site, count, dirs_below, select_attr, select_text, the_attr, the_text};

const SANCTIONS: &str = "sanctions-enforcement-at-sea/";
const CHIPS: &str = "chip-export-controls/";
const WORKFORCE: &str = "ageing-workforce/";

/// Where resolution 2397 is published: the link of its notes and references.
const UNDOCS: &str = "https://undocs.org/S/RES/2397(2017)";

/// A full Chicago note for resolution 2397 at paragraph `paragraph`, with its symbol and link.
fn assert_full_resolution_note(note: &str, paragraph: &str) {
    assert!(
        note.starts_with("Resolution 2397 (2017), ")
            && note.contains("S/RES/2397 (2017)")
            && note.ends_with(&format!(", ¶ {paragraph}, {UNDOCS}.")),
        "{note}"
    );
}

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
    // The entry is the style's bibliography entry (Chicago by default; its form for
    // `legislation`), with the symbol and a link to the document.
    let reference = the_text(&index, "#source-s-res-2397 .source-ref");
    assert!(
        reference.starts_with("Resolution 2397 (2017), ")
            && reference.contains("S/RES/2397 (2017)"),
        "{reference}"
    );
    assert_eq!(
        select_attr(&index, "#source-s-res-2397 .source-ref a.url", "href"),
        vec![UNDOCS]
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
    assert_eq!(select_attr(&page, ".source-link a", "href"), vec![UNDOCS]);
}

#[test]
fn locators_appear_in_the_notes() {
    let site = built();
    let sanctions = site.page(SANCTIONS);
    // Locators as Chicago prints them: `para. 28` of a legal source as "¶ 28", a page range
    // without "pp." and with an en dash.
    assert_full_resolution_note(&the_text(&sanctions, "li#note-1 p"), "28");
    let chips = site.page(CHIPS);
    let report = the_text(&chips, "li#note-1 p");
    assert!(
        report.starts_with("Mara Lindqvist, Who Makes the Machines That Make Chips (Tidewater Policy Forum, 2022), 12–14, "),
        "{report}"
    );
    assert!(
        the_text(&chips, "li#note-2 p").contains(", ¶ 7, "),
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
    // The author's prefix leads the note, capitalised.
    assert!(
        items[0].starts_with("See Lena Varga, “Dark Transfers Rise in the East China Sea,”"),
        "{note}"
    );
    assert!(
        items[0].contains(" Coastal Ledger, June 3, 2022, 4, https://news.example.com/"),
        "{note}"
    );
    assert!(items[1].contains("Resolution 2397 (2017)"), "{note}");
}

#[test]
fn second_citation_of_a_source_in_a_brief_is_a_short_note() {
    let site = built();
    let page = site.page(SANCTIONS);
    let first = the_text(&page, "li#note-1 p");
    assert!(first.contains("S/RES/2397 (2017)"), "{first}");
    assert_eq!(
        select_attr(&page, "li#note-1 a[href^='https://undocs.org']", "href").len(),
        1,
        "the full note links the source"
    );
    let note = the_text(&page, "li#note-3 p");
    let second = note.split("; ").nth(1).expect("a second item");
    // Chicago's short form of a legal source is its title.
    assert_eq!(second, "Resolution 2397 (2017).");
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
    let note = the_text(&chips, "li#note-2 p");
    assert_full_resolution_note(&note, "7");
    assert_eq!(select_attr(&chips, "li#note-2 a.url", "href"), vec![UNDOCS]);
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
    // As Pandoc does with a note style: the full note without its author.
    let note = the_text(&site.page("a/"), "li#note-1 p");
    assert!(!note.contains("Kim"), "{note}");
    assert_eq!(
        note,
        "Harbors of the Yellow Sea (Tidewater Press, 2021), 3."
    );
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

// --- Related briefs and each author's most cited sources ---

/// Five books in a site-wide CSL-JSON file, and briefs citing them in overlapping sets:
/// (slug, author, category, date, sources).
const SHELF: &[(&str, &str, &str, &str, &[&str])] = &[
    (
        "a",
        "ana",
        "Trade",
        "2024-05-01",
        &["ahn", "baker", "cho", "diaz"],
    ),
    ("b", "ana", "Trade", "2024-01-01", &["ahn", "baker", "cho"]),
    ("c", "ana", "Security", "2024-03-01", &["ahn", "baker"]),
    ("d", "ben", "Trade", "2023-01-01", &["diaz"]),
    ("e", "ben", "Security", "2024-04-01", &["cho"]),
    ("f", "ben", "Trade", "2024-04-15", &["diaz"]),
    ("g", "ben", "Trade", "2024-06-01", &["evans"]),
    ("h", "ben", "Security", "2024-04-20", &["diaz"]),
    ("i", "cara", "Trade", "2022-02-01", &[]),
];

fn shelf() -> Site {
    let books: Vec<String> = [
        ("ahn", "Ahn", "Harbors", 2019),
        ("baker", "Baker", "Tides", 2020),
        ("cho", "Cho", "Cranes", 2018),
        ("diaz", "Diaz", "Tankers", 2021),
        ("evans", "Evans", "Lighthouses", 2017),
    ]
    .iter()
    .map(|(id, family, title, year)| {
        format!(
            r#"{{"id": "{id}", "type": "book", "title": "{title}", "author": [{{"family": "{family}", "given": "Jo"}}], "publisher": "Tide Press", "issued": {{"date-parts": [[{year}]]}}}}"#
        )
    })
    .collect();
    let mut site = Site::new()
        .file(
            "site.toml",
            "title = \"Harbor Notes\"\nbase_url = \"https://example.org\"\n\n[citations]\nbibliography = [\"books.json\"]\n\n[authors.ana]\nname = \"Ana Ruiz\"\n\n[authors.ben]\nname = \"Ben Okoro\"\n\n[authors.cara]\nname = \"Cara Wu\"\n",
        )
        .file("books.json", &format!("[{}]", books.join(",\n")));
    for (slug, author, category, date, sources) in SHELF {
        let cites: Vec<String> = sources.iter().map(|s| format!("[@{s}]")).collect();
        site = site.brief(
            &format!("{slug}.md"),
            &format!(
                "+++\ntitle = \"Brief {}\"\ndate = {date}\nauthor = \"{author}\"\ncategory = \"{category}\"\n+++\n\nText {}.\n",
                slug.to_uppercase(),
                cites.join(" ")
            ),
        );
    }
    site.build_ok(&[]);
    site
}

fn related(site: &Site, slug: &str) -> Vec<String> {
    select_attr(
        &site.page(&format!("{slug}/")),
        ".related-briefs li a",
        "href",
    )
}

#[test]
fn related_briefs_share_the_most_sources_then_the_category_then_are_newer() {
    let site = shelf();
    // b shares three sources with a, c two; of the four sharing one, f is in a's category and
    // newer than d.
    assert_eq!(related(&site, "a"), vec!["/b/", "/c/", "/f/"]);
    // All three share one source with d: same category first (newer first), then the other.
    assert_eq!(related(&site, "d"), vec!["/a/", "/f/", "/h/"]);
    // Neither shares e's category: the newer first.
    assert_eq!(related(&site, "e"), vec!["/a/", "/b/"]);
    assert_eq!(
        select_text(&site.page("a/"), ".related-briefs li a"),
        vec!["Brief B", "Brief C", "Brief F"]
    );
    // A brief that shares no source, or cites none, has no related briefs.
    for slug in ["g", "i"] {
        assert_eq!(
            count(&site.page(&format!("{slug}/")), ".related-briefs"),
            0,
            "{slug}"
        );
    }
}

#[test]
fn author_page_lists_the_sources_the_author_cites_most() {
    let site = shelf();
    let ana = site.page("authors/ana/");
    assert_eq!(
        the_text(&ana, ".author-sources h2"),
        "Sources Ana Ruiz cites most"
    );
    assert_eq!(
        select_attr(&ana, ".author-sources .source-cited-by a", "href"),
        vec![
            "/citations/ahn/",
            "/citations/baker/",
            "/citations/cho/",
            "/citations/diaz/"
        ]
    );
    assert_eq!(
        select_text(&ana, ".author-sources .source-cited-by"),
        vec![
            "Cited in 3 briefs by Ana Ruiz",
            "Cited in 3 briefs by Ana Ruiz",
            "Cited in 2 briefs by Ana Ruiz",
            "Cited in 1 brief by Ana Ruiz"
        ]
    );
    assert!(
        select_text(&ana, ".author-sources .source-ref")[0]
            .starts_with("Ahn, Jo. Harbors. Tide Press, 2019."),
        "{ana}"
    );
    // Most cited first; ties in bibliography order.
    let ben = site.page("authors/ben/");
    assert_eq!(
        select_attr(&ben, ".author-sources .source-cited-by a", "href"),
        vec!["/citations/diaz/", "/citations/cho/", "/citations/evans/"]
    );
    // An author who cites nothing gets no such section.
    assert_eq!(count(&site.page("authors/cara/"), ".author-sources"), 0);
}

// --- Sources from the library fixture's bibliography files ---

#[test]
fn source_page_shows_the_reference_a_link_and_each_citing_brief_with_locators() {
    let site = Site::fixture("library");
    site.build_ok(&[]);
    let page = site.page("citations/unpoe2024/");
    assert!(
        the_text(&page, "h1.source-title").starts_with(
            "United Nations Panel of Experts on the DPRK. Final Report of the Panel of Experts Submitted Pursuant to Resolution 2680 (2023)."
        ),
        "{page}"
    );
    assert_eq!(
        select_attr(&page, ".source-link a", "href"),
        vec!["https://undocs.org/S/2024/215"]
    );
    assert_eq!(
        select_text(&page, ".citing-title a"),
        vec!["Closing the Bunkering Gap"]
    );
    assert_eq!(
        select_text(&page, ".card-byline"),
        vec!["By Ines Haddad and Tomás Reyes"]
    );
    assert_eq!(
        select_attr(&page, ".citing-list time", "datetime"),
        vec!["2024-04-02"]
    );
    assert_eq!(
        select_text(&page, ".citing-locators"),
        vec!["Cited at para. 112; paras. 118-121"]
    );
    // A book has no address: no link.
    assert_eq!(
        count(&site.page("citations/nakamura2019flags/"), ".source-link"),
        0
    );
}

#[test]
fn ids_that_make_the_same_slug_get_distinct_stable_slugs() {
    let build = |first: &str, second: &str| {
        let site = Site::new()
            .file("site.toml", SITE_TOML)
            .brief(
                first,
                "+++\ntitle = \"One\"\ndate = 2022-08-11\n\n[[citations]]\nid = \"kim:2023\"\ntitle = \"Colon\"\n\n[[citations]]\nid = \"kim/2023\"\ntitle = \"Slash\"\n+++\n\nText [@kim:2023] and [@kim/2023].\n",
            )
            .brief(
                second,
                "+++\ntitle = \"Two\"\ndate = 2022-08-12\n\n[[citations]]\nid = \"kim-2023\"\ntitle = \"Hyphen\"\n+++\n\nText [@kim-2023].\n",
            );
        site.build_ok(&[]);
        let index = site.page("citations/");
        let mut slugs: Vec<(String, String)> = select_attr(&index, ".source-item", "id")
            .into_iter()
            .zip(select_text(&index, ".source-ref"))
            .collect();
        slugs.sort();
        slugs
    };
    let slugs = build("one.md", "two.md");
    let ids: Vec<&str> = slugs.iter().map(|(id, _)| id.as_str()).collect();
    assert_eq!(
        ids,
        vec!["source-kim-2023", "source-kim-2023-2", "source-kim-2023-3"],
        "{slugs:?}"
    );
    // The same ids give the same slugs whatever the briefs are called.
    assert_eq!(build("z-two.md", "a-one.md"), slugs);
}

#[test]
fn citation_index_lists_ten_newest_citing_briefs_and_links_the_rest() {
    let mut site = crate::harness::minimal_site();
    for day in 1..=12 {
        site = site.brief(
            &format!("note-{day:02}.md"),
            &format!(
                "+++\ntitle = \"Note {day}\"\ndate = 2023-05-{day:02}\nauthors = [\"daniel-osei\"]\n\n[[citations]]\nid = \"unga-78-1\"\ntype = \"report\"\ntitle = \"General Assembly Resolution 78/1\"\n+++\n\nAs agreed [@unga-78-1].\n"
            ),
        );
    }
    site.build_ok(&[]);
    let index = site.page("citations/");
    let entry = "#source-unga-78-1";
    assert_eq!(
        the_text(&index, &format!("{entry} .source-cited-by")),
        "Cited by 12 briefs"
    );
    let listed = select_text(&index, &format!("{entry} .source-citing a"));
    let newest: Vec<String> = (3..=12).rev().map(|d| format!("Note {d}")).collect();
    assert_eq!(listed, newest, "the ten newest citing briefs, newest first");
    assert_eq!(
        the_text(&index, &format!("{entry} .source-more a")),
        "and 2 more briefs citing this source"
    );
    assert_eq!(
        the_attr(&index, &format!("{entry} .source-more a"), "href"),
        "/blog/citations/unga-78-1/"
    );
    // The source's own page lists every one.
    let page = site.page("citations/unga-78-1/");
    assert_eq!(count(&page, ".citing-list > li"), 12);
}
