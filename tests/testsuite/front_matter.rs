//! Front matter: TOML and YAML read the same, `author` is `authors` of one, every date form works,
//! and the fields that shape URLs and listings do what they say.

use crate::harness::{
    Site, count, select_attr, select_inner_html, select_text, the_attr, the_text,
};

const SITE_TOML: &str = r#"title = "Harbor Notes"
base_url = "https://example.org/blog"

[authors.mara-lindqvist]
name = "Mara Lindqvist"

[authors.priya-raman]
name = "Priya Raman"
"#;

/// The front matter of one brief in TOML, and below in YAML: the same fields and values.
const TOML_FRONT: &str = r#"+++
title = "Ports, Pipelines and Power"
date = 2022-08-11
authors = ["mara-lindqvist", "priya-raman"]
category = "Energy"
tags = ["gas", "shipping"]
summary = "Liquefied gas terminals decide who can switch suppliers quickly."

[[citations]]
id = "grid-report"
type = "report"
title = "Terminal Capacity in Northeast Asia"
author = [{literal = "Regional Grid Council"}]
issued = {date-parts = [[2021, 11, 2]]}
URL = "https://example.org/grid-report"
+++
"#;

const YAML_FRONT: &str = r#"---
title: "Ports, Pipelines and Power"
date: 2022-08-11
authors:
  - mara-lindqvist
  - priya-raman
category: Energy
tags: [gas, shipping]
summary: Liquefied gas terminals decide who can switch suppliers quickly.
citations:
  - id: grid-report
    type: report
    title: Terminal Capacity in Northeast Asia
    author:
      - literal: Regional Grid Council
    issued:
      date-parts: [[2021, 11, 2]]
    URL: https://example.org/grid-report
---
"#;

/// The body both briefs share.
const BODY: &str = r#"
Importers with spare *regasification* capacity can change suppliers in weeks [@grid-report, p. 9].

| Terminal | Capacity |
|---|---|
| North | 12 |

A second paragraph with a footnote.[^1]

[^1]: Capacity in million tonnes a year.
"#;

#[test]
fn toml_and_yaml_front_matter_give_identical_pages() {
    let site = Site::new()
        .file("site.toml", SITE_TOML)
        .brief("as-toml.md", &format!("{TOML_FRONT}{BODY}"))
        .brief("as-yaml.md", &format!("{YAML_FRONT}{BODY}"));
    site.build_ok(&[]);
    let toml = site.page("as-toml/");
    let yaml = site.page("as-yaml/");
    for css in [
        "h1",
        "article time",
        ".byline",
        ".brief-category",
        "a[rel=tag]",
        ".brief-notes li",
        ".brief-references li",
        ".author-card",
        "meta[name=description]",
    ] {
        assert_eq!(
            select_inner_html(&toml, css),
            select_inner_html(&yaml, css),
            "{css} differs"
        );
        assert!(count(&toml, css) > 0, "no {css} on the page");
    }
    assert_eq!(
        select_attr(&toml, "article time", "datetime"),
        select_attr(&yaml, "article time", "datetime")
    );
    assert_eq!(
        select_attr(&toml, "meta[name=description]", "content"),
        select_attr(&yaml, "meta[name=description]", "content")
    );
    assert_eq!(
        select_inner_html(&toml, ".brief-body"),
        select_inner_html(&yaml, ".brief-body")
    );
    // And the pages are what the front matter says.
    assert_eq!(the_text(&toml, "h1"), "Ports, Pipelines and Power");
    assert_eq!(the_attr(&yaml, "article time", "datetime"), "2022-08-11");
    assert_eq!(select_text(&yaml, "a[rel=tag]"), vec!["gas", "shipping"]);
    assert_eq!(
        select_text(&yaml, ".byline"),
        vec!["By Mara Lindqvist and Priya Raman"]
    );
    assert_eq!(count(&yaml, ".brief-body table"), 1);
    assert_eq!(count(&yaml, ".brief-notes li"), 2);
}

#[test]
fn author_with_one_slug_equals_authors_with_a_list_of_one() {
    let site = Site::new()
        .file("site.toml", SITE_TOML)
        .brief(
            "single.md",
            "+++\ntitle = \"Single\"\ndate = 2022-08-11\nauthor = \"priya-raman\"\n+++\n\nText.\n",
        )
        .brief(
            "listed.md",
            "+++\ntitle = \"Listed\"\ndate = 2022-08-10\nauthors = [\"priya-raman\"]\n+++\n\nText.\n",
        )
        .brief(
            "yaml-single.md",
            "---\ntitle: Yaml single\ndate: 2022-08-09\nauthor: priya-raman\n---\n\nText.\n",
        );
    site.build_ok(&[]);
    let single = site.page("single/");
    let listed = site.page("listed/");
    let yaml = site.page("yaml-single/");
    assert_eq!(
        select_inner_html(&single, ".byline"),
        select_inner_html(&listed, ".byline")
    );
    assert_eq!(
        select_inner_html(&yaml, ".byline"),
        select_inner_html(&listed, ".byline")
    );
    assert_eq!(
        select_attr(&single, "a[rel=author]", "href"),
        vec!["/blog/authors/priya-raman/"]
    );
    let author = site.page("authors/priya-raman/");
    assert_eq!(
        select_text(&author, ".card-title a"),
        vec!["Single", "Listed", "Yaml single"]
    );
}

/// The `datetime` attribute and the text of the publication date of a brief.
fn published(site: &Site, slug: &str) -> (String, String) {
    let page = site.page(&format!("{slug}/"));
    (
        the_attr(&page, "article time", "datetime"),
        the_text(&page, "article time"),
    )
}

fn dated(slug: &str, date_line: &str) -> (String, String) {
    let fence = if date_line.contains(": ") {
        "---"
    } else {
        "+++"
    };
    let title = if fence == "---" {
        format!("title: {slug}")
    } else {
        format!("title = \"{slug}\"")
    };
    (
        format!("{slug}.md"),
        format!("{fence}\n{title}\n{date_line}\n{fence}\n\nText.\n"),
    )
}

fn site_with_dates(dates: &[(&str, &str)]) -> Site {
    let mut site = Site::new().file("site.toml", SITE_TOML);
    for (slug, line) in dates {
        let (file, text) = dated(slug, line);
        site = site.brief(&file, &text);
    }
    site.build_ok(&[]);
    site
}

/// Builds a site of briefs with these date lines, each of which must show August 11, 2022.
fn all_published_on_august_11(dates: &[(&str, &str)]) {
    let site = site_with_dates(dates);
    for (slug, line) in dates {
        assert_eq!(
            published(&site, slug),
            ("2022-08-11".into(), "August 11, 2022".into()),
            "{slug}: {line}"
        );
    }
}

#[test]
fn date_can_be_a_toml_native_date() {
    all_published_on_august_11(&[("native", "date = 2022-08-11")]);
}

#[test]
fn date_can_be_a_string() {
    all_published_on_august_11(&[
        ("toml-string", "date = \"2022-08-11\""),
        ("yaml-plain", "date: 2022-08-11"),
        ("yaml-quoted", "date: \"2022-08-11\""),
    ]);
}

#[test]
fn date_time_with_an_offset_shows_the_date_as_written_in_its_own_offset() {
    // 23:30 in New York on August 11 is already August 12 in UTC; 00:30 in Seoul on August 11
    // is still August 10 in UTC. Both were published on August 11 where they were written.
    all_published_on_august_11(&[
        ("toml-string-west", "date = \"2022-08-11T23:30:00-05:00\""),
        ("toml-native-west", "date = 2022-08-11T23:30:00-05:00"),
        ("yaml-east", "date: 2022-08-11T00:30:00+09:00"),
        ("yaml-utc", "date: \"2022-08-11T12:00:00Z\""),
    ]);
}

#[test]
fn date_can_be_a_toml_native_local_date_time() {
    all_published_on_august_11(&[
        ("native-local", "date = 2022-08-11T09:30:00"),
        ("native-space", "date = 2022-08-11 09:30:00"),
        ("string-space", "date = \"2022-08-11 09:30:00\""),
    ]);
}

#[test]
fn briefs_on_one_day_are_ordered_by_time() {
    let site = site_with_dates(&[
        ("morning", "date = 2022-08-11T09:00:00Z"),
        ("evening", "date = 2022-08-11T18:00:00Z"),
        ("next-day", "date = 2022-08-12"),
    ]);
    let home = site.page("");
    assert_eq!(
        select_text(&home, ".card-title a"),
        vec!["next-day", "evening", "morning"]
    );
}

#[test]
fn updated_date_is_shown_beside_the_publication_date() {
    let site = Site::new().file("site.toml", SITE_TOML).brief(
        "revised.md",
        "+++\ntitle = \"Revised\"\ndate = 2022-08-11\nupdated = \"2022-09-01\"\n+++\n\nText.\n",
    );
    site.build_ok(&[]);
    let page = site.page("revised/");
    assert_eq!(
        select_attr(&page, "article time", "datetime"),
        vec!["2022-08-11", "2022-09-01"]
    );
    assert_eq!(
        the_text(&page, ".brief-updated"),
        "Updated September 1, 2022"
    );
}

#[test]
fn slug_field_sets_the_url_instead_of_the_file_name() {
    let site = Site::new().file("site.toml", SITE_TOML).brief(
        "2022-08-11-draft-name.md",
        "+++\ntitle = \"Renamed\"\ndate = 2022-08-11\nslug = \"a-better-address\"\n+++\n\nText.\n",
    );
    site.build_ok(&[]);
    assert!(site.has_page("a-better-address/"));
    assert!(!site.has_page("2022-08-11-draft-name/"));
}

#[test]
fn brief_in_a_subfolder_gets_a_top_level_url() {
    let site = Site::new().file("site.toml", SITE_TOML).brief(
        "2021/older/kaesong.md",
        "---\ntitle: Kaesong\ndate: 2021-04-01\n---\n\nText.\n",
    );
    site.build_ok(&[]);
    assert!(site.has_page("kaesong/"));
    assert!(!site.public().join("2021").exists());
}

#[test]
fn categories_and_tags_that_differ_only_in_case_are_one_term() {
    let site = Site::new()
        .file("site.toml", SITE_TOML)
        .brief(
            "a.md",
            "+++\ntitle = \"A\"\ndate = 2022-08-11\ncategory = \"Trade\"\ntags = [\"Export Controls\"]\n+++\n\nText.\n",
        )
        .brief(
            "b.md",
            "+++\ntitle = \"B\"\ndate = 2022-08-10\ncategory = \"trade\"\ntags = [\"export controls\"]\n+++\n\nText.\n",
        );
    site.build_ok(&[]);
    let category = site.page("categories/trade/");
    assert_eq!(select_text(&category, ".card-title a"), vec!["A", "B"]);
    let tags = site.page("tags/");
    assert_eq!(count(&tags, ".term-list li"), 1);
}

#[test]
fn hidden_files_and_other_extensions_in_briefs_are_ignored() {
    let site = Site::new()
        .file("site.toml", SITE_TOML)
        .brief(
            "real.md",
            "+++\ntitle = \"Real\"\ndate = 2022-08-11\n+++\n\nText.\n",
        )
        .brief(".real.md.swp", "not a brief")
        .brief(".scratch.md", "not a brief either")
        .brief("notes.txt", "plain notes");
    site.build_ok(&[]);
    assert_eq!(select_text(&site.page(""), ".card-title a"), vec!["Real"]);
}

#[test]
fn yaml_front_matter_may_close_with_three_dots() {
    let site = Site::new().file("site.toml", SITE_TOML).brief(
        "dots.md",
        "---\ntitle: Dots\ndate: 2022-08-11\n...\n\nText after the dots.\n",
    );
    site.build_ok(&[]);
    let page = site.page("dots/");
    assert_eq!(the_text(&page, "h1"), "Dots");
    assert_eq!(the_text(&page, ".brief-body"), "Text after the dots.");
}

#[test]
fn archive_files_a_brief_under_the_year_it_was_written_in() {
    // Late on New Year's Eve in Washington is already the next year in UTC.
    let site = site_with_dates(&[("year-end", "date = 2022-12-31T23:30:00-05:00")]);
    assert!(site.has_page("archive/2022/"));
    assert!(!site.has_page("archive/2023/"));
    assert_eq!(
        published(&site, "year-end"),
        ("2022-12-31".into(), "December 31, 2022".into())
    );
}

#[test]
fn summary_from_the_first_paragraph_leaves_out_citation_markers_and_notes() {
    let site = Site::new().file("site.toml", SITE_TOML).brief(
        "cited.md",
        r#"+++
title = "Cited"
date = 2022-08-11

[[citations]]
id = "grid-report"
type = "report"
title = "Terminal Capacity in Northeast Asia"
+++

Terminals decide who can switch suppliers [@grid-report, p. 9], and how fast.[^1]

Second paragraph.

[^1]: A footnote that is not part of the summary.
"#,
    );
    site.build_ok(&[]);
    assert_eq!(
        select_text(&site.page(""), ".card-summary"),
        vec!["Terminals decide who can switch suppliers, and how fast."]
    );
}
