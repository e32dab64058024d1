//! The pages a build writes for the `basic` fixture: brief pages, listings, author, category,
//! tag and archive pages, drafts and summaries.

use crate::harness::{
    Site, count, select_attr, select_inner_html, select_text, the_attr, the_text,
};

/// The fixture's briefs, by URL path relative to the base path.
const SANCTIONS: &str = "sanctions-enforcement-at-sea/";
const CHIPS: &str = "chip-export-controls/";
const WORKFORCE: &str = "ageing-workforce/";
const ALLIANCE: &str = "alliance-cost-sharing/";
const DRAFT: &str = "seasonal-visa-quotas/";

fn built() -> Site {
    let site = Site::fixture("basic");
    site.build_ok(&[]);
    site
}

#[test]
fn brief_page_has_the_title_as_its_only_h1() {
    let site = built();
    let page = site.page(SANCTIONS);
    assert_eq!(
        select_text(&page, "h1"),
        vec!["Sanctions Enforcement at Sea"]
    );
    assert_eq!(
        the_text(&page, "title"),
        "Sanctions Enforcement at Sea | Harbor Notes"
    );
}

#[test]
fn brief_page_says_published_with_a_machine_readable_date() {
    let site = built();
    let page = site.page(SANCTIONS);
    let article = select_text(&page, "article");
    assert!(
        article[0].contains("Published August 11, 2022"),
        "{article:?}"
    );
    assert_eq!(the_attr(&page, "article time", "datetime"), "2022-08-11");
    assert_eq!(the_text(&page, "article time"), "August 11, 2022");
}

#[test]
fn brief_page_links_the_author_to_their_page() {
    let site = built();
    let page = site.page(SANCTIONS);
    assert_eq!(
        select_attr(&page, "a[rel=author]", "href"),
        vec!["/blog/authors/daniel-osei/"]
    );
    assert_eq!(select_text(&page, "a[rel=author]"), vec!["Daniel Osei"]);
    assert!(site.has_page("authors/daniel-osei/"));
}

#[test]
fn brief_page_links_its_category_and_tags() {
    let site = built();
    let page = site.page(SANCTIONS);
    assert_eq!(
        select_text(&page, "article a[href='/blog/categories/security/']"),
        vec!["Security"]
    );
    assert_eq!(
        select_text(&page, "a[rel=tag]"),
        vec!["sanctions", "shipping"]
    );
    assert_eq!(
        select_attr(&page, "a[rel=tag]", "href"),
        vec!["/blog/tags/sanctions/", "/blog/tags/shipping/"]
    );
}

#[test]
fn brief_page_renders_the_markdown_body() {
    let site = built();
    let page = site.page(SANCTIONS);
    let body = &select_text(&page, ".brief-body")[0];
    assert!(
        body.starts_with("The Security Council capped North Korea’s imports of refined petroleum"),
        "{body}"
    );
    assert_eq!(
        select_text(&page, ".brief-body h2"),
        vec!["What coastal states can do"]
    );
    assert_eq!(
        the_attr(&page, ".brief-body h2", "id"),
        "what-coastal-states-can-do"
    );
    assert_eq!(count(&page, ".brief-body ol > li"), 3);
}

#[test]
fn brief_page_numbers_notes_and_links_them_both_ways() {
    let site = built();
    let page = site.page(SANCTIONS);
    // Two citations and one footnote share one numbering, in order of appearance.
    assert_eq!(
        select_attr(&page, ".brief-body sup a", "href"),
        vec!["#note-1", "#note-2", "#note-3"]
    );
    assert_eq!(
        select_attr(&page, ".brief-body sup a", "id"),
        vec!["note-ref-1", "note-ref-2", "note-ref-3"]
    );
    assert_eq!(select_text(&page, ".brief-body sup"), vec!["1", "2", "3"]);
    assert_eq!(
        select_attr(&page, "ol > li[id^=note-]", "id"),
        vec!["note-1", "note-2", "note-3"]
    );
    for n in 1..=3 {
        assert_eq!(
            select_attr(
                &page,
                &format!("li#note-{n} a[href='#note-ref-{n}']"),
                "href"
            )
            .len(),
            1,
            "note {n} has no link back to the text"
        );
    }
    // The footnote is note 2, between the two citations.
    assert_eq!(
        the_text(&page, "li#note-2 p"),
        "Ships over a certain size must broadcast their position through the Automatic Identification System."
    );
}

#[test]
fn brief_page_lists_references_in_the_order_first_cited() {
    let site = built();
    let page = site.page(SANCTIONS);
    let references = select_text(&page, ".brief-references li");
    assert_eq!(references.len(), 2, "{references:?}");
    // Each formatted as Chicago's bibliography does (its form for `legislation` first).
    assert!(
        references[0].starts_with("Resolution 2397 (2017), ")
            && references[0].contains("S/RES/2397 (2017)"),
        "{references:?}"
    );
    assert!(
        references[1].starts_with(
            "Varga, Lena. “Dark Transfers Rise in the East China Sea.” Coastal Ledger, June 3, 2022. https://news.example.com/"
        ),
        "{references:?}"
    );
    assert_eq!(
        select_attr(&page, ".brief-references li a[href^='/blog/']", "href"),
        vec![
            "/blog/citations/s-res-2397/",
            "/blog/citations/ledger-dark-transfers/"
        ]
    );
}

#[test]
fn brief_page_shows_author_bio_and_acknowledgments() {
    let site = built();
    let page = site.page(SANCTIONS);
    assert_eq!(
        the_text(&page, ".author-card-bio"),
        "Daniel Osei writes on sanctions enforcement and maritime security in East Asia."
    );
    assert_eq!(
        the_text(&page, ".author-card-title"),
        "Fellow, Security Studies"
    );
    assert_eq!(
        the_text(&page, ".brief-acknowledgments p"),
        "The author thanks two anonymous reviewers for comments on an earlier draft."
    );
}

#[test]
fn brief_page_shows_the_lead_image_with_alt_text_and_credit() {
    let site = built();
    let page = site.page(SANCTIONS);
    assert_eq!(
        the_attr(&page, "figure img", "src"),
        "/blog/images/tanker-at-sea.svg"
    );
    assert_eq!(
        the_attr(&page, "figure img", "alt"),
        "A small tanker moored alongside a larger one at sea, with hoses between them"
    );
    assert_eq!(
        the_text(&page, "figure figcaption"),
        "Photo credit: Illustration by the Tidewater Policy Forum"
    );
    assert!(site.public().join("images/tanker-at-sea.svg").is_file());
}

#[test]
fn a_photo_credit_without_a_lead_image_is_shown_at_the_end_of_the_brief() {
    let site = crate::harness::minimal_site()
        .brief(
            "harbor-cranes.md",
            "+++\ntitle = \"Harbor Cranes\"\ndate = 2022-09-01\nimage_credit = \"Mina Park/Harbor Notes\"\n+++\n\nThe cranes in the photo below were idle for a week.\n",
        )
        .brief(
            "ship-registry.md",
            "+++\ntitle = \"Ship Registry\"\ndate = 2022-09-02\nimage_credit = \"Photo: Coast Guard handout\"\n+++\n\nText.\n",
        );
    site.build_ok(&[]);
    let page = site.page("harbor-cranes/");
    assert_eq!(count(&page, "figure"), 0);
    assert_eq!(
        the_text(&page, "article > p.brief-credit:last-child"),
        "Photo credit: Mina Park/Harbor Notes"
    );
    // A credit that names its kind is shown as written.
    assert_eq!(
        the_text(&site.page("ship-registry/"), "article > p.brief-credit"),
        "Photo: Coast Guard handout"
    );
    // With a lead image the credit is its caption, and only there.
    let with_image = built().page(SANCTIONS);
    assert_eq!(count(&with_image, ".brief-credit"), 0);
}

#[test]
fn brief_page_shows_the_disclosure_statement() {
    let site = built();
    let page = site.page(SANCTIONS);
    assert_eq!(
        the_text(&page, ".disclosure p:not(.disclosure-label)"),
        "This brief is published by the Tidewater Policy Forum, an independent nonprofit. The views expressed are the authors’ own."
    );
}

#[test]
fn brief_page_links_back_to_the_home_page() {
    let site = built();
    let page = site.page(SANCTIONS);
    assert_eq!(
        select_text(&page, "a[href='/blog/']")
            .into_iter()
            .filter(|t| t.starts_with("Return"))
            .collect::<Vec<_>>(),
        vec!["Return to Harbor Notes"]
    );
}

#[test]
fn brief_page_links_the_newer_and_older_briefs() {
    let site = built();
    let middle = site.page(CHIPS);
    assert_eq!(
        select_attr(&middle, ".brief-pager-newer a", "href"),
        vec!["/blog/ageing-workforce/"]
    );
    assert_eq!(
        select_text(&middle, ".brief-pager-newer a"),
        vec!["An Ageing Workforce and the Factory Floor"]
    );
    assert_eq!(
        select_attr(&middle, ".brief-pager-older a", "href"),
        vec!["/blog/sanctions-enforcement-at-sea/"]
    );
    let oldest = site.page(SANCTIONS);
    assert_eq!(
        select_attr(&oldest, ".brief-pager-newer a", "href"),
        vec!["/blog/chip-export-controls/"]
    );
    assert_eq!(count(&oldest, ".brief-pager-older"), 0);
    let newest = site.page(ALLIANCE);
    assert_eq!(count(&newest, ".brief-pager-newer"), 0);
    assert_eq!(
        select_attr(&newest, ".brief-pager-older a", "href"),
        vec!["/blog/ageing-workforce/"]
    );
}

#[test]
fn co_authored_brief_links_every_author_and_shows_each_bio() {
    let site = built();
    let page = site.page(CHIPS);
    assert_eq!(
        select_text(&page, ".byline"),
        vec!["By Mara Lindqvist and Priya Raman"]
    );
    assert_eq!(
        select_attr(&page, ".byline a", "href"),
        vec![
            "/blog/authors/mara-lindqvist/",
            "/blog/authors/priya-raman/"
        ]
    );
    assert_eq!(
        select_text(&page, ".author-card-name"),
        vec!["Mara Lindqvist", "Priya Raman"]
    );
    assert_eq!(
        select_attr(&page, ".author-card img", "src"),
        vec!["/blog/images/mara-lindqvist.svg"]
    );
}

#[test]
fn brief_body_keeps_markdown_tables() {
    let site = built();
    let page = site.page(CHIPS);
    assert_eq!(
        select_text(&page, ".brief-body table thead th"),
        vec!["Stage", "Leading suppliers", "Share of world output"]
    );
    assert_eq!(count(&page, ".brief-body table tbody tr"), 3);
    assert_eq!(
        select_text(&page, ".brief-body table tbody tr:first-child td"),
        vec!["Lithography tools", "Netherlands, Japan", "90%"]
    );
}

fn card_titles(html: &str) -> Vec<String> {
    select_text(html, ".card-title a")
}

#[test]
fn home_page_lists_briefs_newest_first_with_summary_author_and_date() {
    let site = built();
    let home = site.page("");
    assert_eq!(
        card_titles(&home),
        vec![
            "What the Alliance Pays For",
            "An Ageing Workforce and the Factory Floor"
        ]
    );
    assert_eq!(
        select_attr(&home, ".card time", "datetime"),
        vec!["2023-11-30", "2023-03-02"]
    );
    assert_eq!(
        select_text(&home, ".card-byline"),
        vec!["By Daniel Osei", "By Priya Raman"]
    );
    assert_eq!(
        select_text(&home, ".card-summary")[0],
        "Host-nation support is a small share of the cost of the alliance, and the least informative one."
    );
}

#[test]
fn home_page_is_paginated_by_briefs_per_page() {
    let site = built();
    let second = site.page("page/2/");
    assert_eq!(
        card_titles(&second),
        vec![
            "Chips, Controls and the Limits of Leverage",
            "Sanctions Enforcement at Sea"
        ]
    );
    assert!(!site.has_page("page/3/"));
    assert!(!site.has_page("page/1/"), "page 1 is the home page itself");
}

#[test]
fn pagination_links_point_to_the_next_and_previous_pages() {
    let site = built();
    let home = site.page("");
    assert_eq!(
        select_attr(&home, "a[rel=next]", "href"),
        vec!["/blog/page/2/"]
    );
    assert_eq!(count(&home, "a[rel=prev]"), 0);
    assert_eq!(
        select_attr(&home, "link[rel=next]", "href"),
        vec!["/blog/page/2/"]
    );
    let second = site.page("page/2/");
    assert_eq!(select_attr(&second, "a[rel=prev]", "href"), vec!["/blog/"]);
    assert_eq!(count(&second, "a[rel=next]"), 0);
    assert_eq!(
        select_attr(&second, "[aria-current=page]", "href")
            .into_iter()
            .filter(|h| h.contains("page/"))
            .collect::<Vec<_>>(),
        vec!["/blog/page/2/"]
    );
}

#[test]
fn author_page_lists_the_author_briefs_newest_first() {
    let site = built();
    let page = site.page("authors/daniel-osei/");
    assert_eq!(the_text(&page, "h1"), "Daniel Osei");
    assert_eq!(
        card_titles(&page),
        vec!["What the Alliance Pays For", "Sanctions Enforcement at Sea"]
    );
    let priya = site.page("authors/priya-raman/");
    assert_eq!(
        card_titles(&priya),
        vec![
            "An Ageing Workforce and the Factory Floor",
            "Chips, Controls and the Limits of Leverage"
        ]
    );
}

#[test]
fn author_page_shows_title_photo_and_bio() {
    let site = built();
    let page = site.page("authors/mara-lindqvist/");
    assert_eq!(the_text(&page, "h1"), "Mara Lindqvist");
    assert_eq!(
        the_text(&page, ".author-profile-title"),
        "Senior Fellow, Trade and Technology"
    );
    assert_eq!(
        the_attr(&page, "img.author-photo", "src"),
        "/blog/images/mara-lindqvist.svg"
    );
    assert!(site.public().join("images/mara-lindqvist.svg").is_file());
    assert!(
        the_text(&page, ".author-bio").starts_with("Mara Lindqvist studies export controls"),
        "{page}"
    );
    assert_eq!(
        card_titles(&page),
        vec!["Chips, Controls and the Limits of Leverage"]
    );
}

#[test]
fn authors_index_lists_every_author() {
    let site = built();
    let page = site.page("authors/");
    let mut hrefs = select_attr(&page, "main a[href^='/blog/authors/']", "href");
    hrefs.retain(|h| h != "/blog/authors/");
    hrefs.sort();
    hrefs.dedup();
    assert_eq!(
        hrefs,
        vec![
            "/blog/authors/daniel-osei/",
            "/blog/authors/mara-lindqvist/",
            "/blog/authors/priya-raman/"
        ]
    );
}

#[test]
fn category_pages_list_their_briefs_and_the_index_lists_every_category() {
    let site = built();
    let security = site.page("categories/security/");
    assert_eq!(the_text(&security, "h1"), "Security");
    assert_eq!(
        card_titles(&security),
        vec!["What the Alliance Pays For", "Sanctions Enforcement at Sea"]
    );
    let index = site.page("categories/");
    assert_eq!(
        select_text(&index, ".term-list a"),
        vec!["Security", "Society", "Trade"]
    );
    assert_eq!(
        select_attr(&index, ".term-list a", "href"),
        vec![
            "/blog/categories/security/",
            "/blog/categories/society/",
            "/blog/categories/trade/"
        ]
    );
    assert_eq!(
        select_text(&index, ".term-list .count"),
        vec!["2 briefs", "1 brief", "1 brief"]
    );
}

#[test]
fn tag_pages_list_their_briefs_and_the_index_lists_every_tag() {
    let site = built();
    let tag = site.page("tags/export-controls/");
    assert_eq!(the_text(&tag, "h1"), "export controls");
    assert_eq!(
        card_titles(&tag),
        vec!["Chips, Controls and the Limits of Leverage"]
    );
    let index = site.page("tags/");
    assert_eq!(
        select_text(&index, ".term-list a"),
        vec![
            "alliance",
            "budgets",
            "demography",
            "export controls",
            "labor",
            "sanctions",
            "semiconductors",
            "shipping"
        ]
    );
}

#[test]
fn archive_lists_years_and_each_year_lists_its_briefs_by_month() {
    let site = built();
    let archive = site.page("archive/");
    assert_eq!(select_text(&archive, ".year-list a"), vec!["2023", "2022"]);
    assert_eq!(
        select_attr(&archive, ".year-list a", "href"),
        vec!["/blog/archive/2023/", "/blog/archive/2022/"]
    );
    let year = site.page("archive/2022/");
    assert_eq!(the_text(&year, "h1"), "Briefs from 2022");
    assert_eq!(
        select_text(&year, ".archive-month h2"),
        vec!["September", "August"]
    );
    assert_eq!(
        card_titles(&year),
        vec![
            "Chips, Controls and the Limits of Leverage",
            "Sanctions Enforcement at Sea"
        ]
    );
}

#[test]
fn drafts_are_left_out_by_default() {
    let site = built();
    assert!(!site.has_page(DRAFT));
    assert!(!site.has_page("tags/migration/"));
    assert!(!site.has_page("archive/2024/"));
    let home = site.page("");
    assert!(!card_titles(&home).contains(&"Rethinking Seasonal Visa Quotas".to_owned()));
}

#[test]
fn drafts_are_built_with_the_drafts_flag() {
    let site = Site::fixture("basic");
    site.build_ok(&["--drafts"]);
    assert!(site.has_page(DRAFT));
    assert_eq!(
        select_text(&site.page(DRAFT), "h1"),
        vec!["Rethinking Seasonal Visa Quotas"]
    );
    assert_eq!(
        card_titles(&site.page(""))[0],
        "Rethinking Seasonal Visa Quotas"
    );
    assert!(site.has_page("page/3/"));
    assert!(site.has_page("tags/migration/"));
    assert!(site.has_page("archive/2024/"));
}

#[test]
fn summary_falls_back_to_the_first_paragraph() {
    let site = built();
    let home = site.page("");
    assert_eq!(
        select_text(&home, ".card-summary")[1],
        "Manufacturers in the southeast industrial belt are losing skilled workers faster than they can train new ones. The median age of a shipyard welder has passed fifty, and apprenticeship places go unfilled each spring."
    );
    let page = site.page(WORKFORCE);
    assert_eq!(
        the_attr(&page, "meta[name=description]", "content"),
        "Manufacturers in the southeast industrial belt are losing skilled workers faster than they can train new ones. The median age of a shipyard welder has passed fifty, and apprenticeship places go unfilled each spring."
    );
}

#[test]
fn summary_from_front_matter_wins_over_the_first_paragraph() {
    let site = built();
    let page = site.page(SANCTIONS);
    assert_eq!(
        the_attr(&page, "meta[name=description]", "content"),
        "Ship-to-ship transfers have made the refined-petroleum cap hard to verify; coastal states can close the gap."
    );
}

#[test]
fn every_page_declares_its_language_and_canonical_address() {
    let site = built();
    let page = site.page(SANCTIONS);
    assert_eq!(the_attr(&page, "html", "lang"), "en");
    assert_eq!(
        the_attr(&page, "link[rel=canonical]", "href"),
        "https://example.org/blog/sanctions-enforcement-at-sea/"
    );
}

#[test]
fn header_shows_the_organization_contact_line() {
    let site = built();
    let page = site.page("");
    let header = select_text(&page, "header")[0].clone();
    for part in [
        "Tidewater Policy Forum",
        "410 Marigold Street NW, Washington, DC 20001",
        "202.555.0188",
    ] {
        assert!(header.contains(part), "{part:?} not in {header:?}");
    }
}

#[test]
fn not_found_page_is_written() {
    let site = built();
    let page = site.page("404.html");
    assert_eq!(the_text(&page, "h1"), "Page not found");
    assert!(select_attr(&page, "a", "href").contains(&"/blog/".to_owned()));
}

#[test]
fn theme_static_files_are_copied() {
    let site = built();
    assert!(site.public().join("style.css").is_file());
    assert!(site.public().join("favicon.svg").is_file());
    let page = site.page("");
    assert_eq!(
        the_attr(&page, "link[rel=stylesheet]", "href"),
        "/blog/style.css"
    );
}

#[test]
fn body_headings_get_stable_ids_and_body_h1s_are_demoted() {
    let site = Site::new()
        .file(
            "site.toml",
            "title = \"T\"\nbase_url = \"https://example.org/blog\"\n",
        )
        .brief(
            "a.md",
            "+++\ntitle = \"Headings\"\ndate = 2022-01-01\n+++\n\n# Background\n\n## Options\n\n## Options\n\n## Own id {#custom}\n",
        );
    site.build_ok(&[]);
    let page = site.page("a/");
    assert_eq!(select_text(&page, "h1"), vec!["Headings"]);
    assert_eq!(
        select_attr(&page, ".brief-body h2", "id"),
        vec!["background", "options", "options-2", "custom"]
    );
    assert_eq!(select_inner_html(&page, ".brief-body h2")[3], "Own id");
}

#[test]
fn long_listings_link_the_first_last_and_nearby_pages_only() {
    let mut site = Site::new().file(
        "site.toml",
        "title = \"T\"\nbase_url = \"https://example.org/blog\"\nbriefs_per_page = 1\n",
    );
    for day in 1..=10 {
        site = site.brief(
            &format!("b{day}.md"),
            &format!("+++\ntitle = \"Brief {day}\"\ndate = 2024-01-{day:02}\n+++\nText.\n"),
        );
    }
    site.build_ok(&[]);
    let page = site.page("page/5/");
    let numbers = select_text(&page, ".pagination-number");
    assert_eq!(
        numbers,
        [
            "Page 1", "Page 3", "Page 4", "Page 5", "Page 6", "Page 7", "Page 10"
        ]
    );
    assert_eq!(count(&page, ".pagination-gap"), 2);
    assert_eq!(
        the_attr(&page, "[aria-current=page]", "href"),
        "/blog/page/5/"
    );
}
