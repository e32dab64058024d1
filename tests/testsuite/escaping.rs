//! Escaping: everything from front matter and site.toml is text in the output, never markup, and
//! no `javascript:` URL becomes a link. The Markdown body is trusted: its raw HTML passes through.

use std::fs;

use crate::harness::payloads::{BREAKOUT, SCRIPT, evil, hostile_front_fields, hostile_site_toml};
use crate::harness::{
    Site, count, html_files, relative, select_attr, selector, the_attr, the_text,
};
use scraper::Html;

/// As `evil`, for a Markdown field, with a `javascript:` link too.
fn evil_markdown(label: &str) -> String {
    format!("'{label} {SCRIPT} {BREAKOUT} [read more](javascript:alert(1))'")
}

fn hostile_site() -> Site {
    let site_toml = hostile_site_toml(&evil_markdown, "", "https://example.org", "");
    let brief = format!(
        r#"+++
{fields}
[[citations]]
id = "evil-source"
type = "article-newspaper"
title = {citation_title}
author = [{{literal = {citation_author}}}]
container-title = {container}
publisher = {publisher}
number = {number}
URL = "javascript:alert(1)"

[[citations]]
id = "sneaky-source"
type = "report"
title = "Sneaky"
URL = " JavaScript:alert(1)"
+++

A plain body that cites the source [@evil-source, p. 4] and another [@sneaky-source].
"#,
        fields = hostile_front_fields(&evil_markdown),
        citation_title = evil("Citation"),
        citation_author = evil("Agency"),
        container = evil("Container"),
        publisher = evil("Publisher"),
        number = evil("Number"),
    );
    let site = Site::new()
        .file("site.toml", &site_toml)
        .brief("hostile.md", &brief);
    site.build_ok(&[]);
    site
}

#[test]
fn front_matter_and_site_toml_never_inject_markup_into_any_page() {
    let site = hostile_site();
    let files = html_files(&site.public());
    assert!(files.len() > 10, "{files:?}");
    for file in files {
        let name = relative(&site.public(), &file);
        let html = fs::read_to_string(&file).expect("read page");
        assert!(
            !html.contains("<script>alert"),
            "{name} has a live <script>"
        );
        assert!(!html.contains("<img src=x"), "{name} has an injected <img>");
        let document = Html::parse_document(&html);
        // Inline, the only script is a brief page's JSON-LD: data, with no `<` that could end it
        // early. Any other script is the theme's own file, loaded from the site, with no content.
        let (inline, external): (Vec<_>, Vec<_>) = document
            .select(&selector("script"))
            .partition(|script| script.value().attr("src").is_none());
        for script in external {
            let src = script.value().attr("src").unwrap_or_default();
            assert!(
                src.starts_with("/blog/")
                    && src.ends_with(".js")
                    && site.public().join(&src["/blog/".len()..]).is_file(),
                "{name}: script from {src:?}"
            );
            assert_eq!(script.text().collect::<String>(), "", "{name}");
        }
        let expected = usize::from(name == "hostile/index.html");
        assert_eq!(
            inline.len(),
            expected,
            "{name} has an inline script element"
        );
        for script in inline {
            assert_eq!(
                script.value().attr("type"),
                Some("application/ld+json"),
                "{name}"
            );
            let json = script.text().collect::<String>();
            assert!(!json.contains('<'), "{name}: raw `<` in JSON-LD: {json}");
            let value: serde_json::Value = serde_json::from_str(&json)
                .unwrap_or_else(|e| panic!("{name}: JSON-LD does not parse: {e}\n{json}"));
            assert_eq!(
                value["headline"],
                format!("Title {SCRIPT} {BREAKOUT}"),
                "{name}"
            );
        }
        for element in document.select(&selector("*")) {
            for (attr, _) in element.value().attrs() {
                assert!(
                    !attr.starts_with("on"),
                    "{name}: <{}> has an event handler attribute {attr}",
                    element.value().name()
                );
            }
        }
    }
}

#[test]
fn escaped_text_is_shown_as_written() {
    let site = hostile_site();
    let page = site.page("hostile/");
    assert_eq!(the_text(&page, "h1"), format!("Title {SCRIPT} {BREAKOUT}"));
    assert_eq!(
        the_text(&page, "figcaption"),
        format!("Photo credit: Credit {SCRIPT} {BREAKOUT}")
    );
    assert_eq!(
        the_attr(&page, "figure img", "alt"),
        format!("Alt {SCRIPT} {BREAKOUT}")
    );
    assert_eq!(
        the_attr(&page, "meta[name=description]", "content"),
        format!("Summary {SCRIPT} {BREAKOUT}")
    );
    // Shown as text; the style may change the capitalisation of a title and, as citeproc-js
    // does, make its straight quotes typographic.
    assert!(
        the_text(&page, ".brief-references li:first-child")
            .to_lowercase()
            .replace(['‘', '’', '“', '”'], "\"")
            .contains(&format!("citation {SCRIPT} {BREAKOUT}").to_lowercase()),
        "{page}"
    );
}

#[test]
fn javascript_urls_never_become_links() {
    let site = hostile_site();
    for file in html_files(&site.public()) {
        let name = relative(&site.public(), &file);
        let html = fs::read_to_string(&file).expect("read page");
        for attr in ["href", "src", "action", "formaction"] {
            for value in select_attr(&html, &format!("[{attr}]"), attr) {
                let value = value.trim().to_ascii_lowercase();
                assert!(
                    !value.starts_with("javascript:"),
                    "{name}: {attr}={value:?}"
                );
            }
        }
    }
    // The source still shows its address, as text.
    let source = site.page("citations/evil-source/");
    assert_eq!(count(&source, ".source-link"), 0);
}

#[test]
fn raw_html_in_a_brief_body_is_passed_through() {
    let site = Site::new()
        .file(
            "site.toml",
            "title = \"Harbor Notes\"\nbase_url = \"https://example.org/blog\"\n",
        )
        .brief(
            "trusted.md",
            r#"+++
title = "Trusted Markup"
date = 2022-08-11
+++

The <abbr title="Democratic People's Republic of Korea">DPRK</abbr> tested again.

<aside class="callout" data-kind="note">
A callout written as raw HTML.
</aside>

<script type="application/ld+json">{"@type": "Report"}</script>
"#,
        );
    site.build_ok(&[]);
    let page = site.page("trusted/");
    assert_eq!(
        select_attr(&page, ".brief-body abbr", "title"),
        vec!["Democratic People's Republic of Korea"]
    );
    assert_eq!(
        the_text(&page, ".brief-body aside.callout[data-kind=note]"),
        "A callout written as raw HTML."
    );
    assert_eq!(
        count(&page, ".brief-body script[type='application/ld+json']"),
        1
    );
}

#[test]
fn markdown_in_bios_and_acknowledgments_keeps_web_links_only() {
    let site = Site::new()
        .file(
            "site.toml",
            r#"title = "Harbor Notes"
base_url = "https://example.org/blog"

[authors.mara]
name = "Mara"
bio = "Writes for the [forum](https://example.org/forum) and <b>others</b>."
"#,
        )
        .brief(
            "a.md",
            "+++\ntitle = \"A\"\ndate = 2022-08-11\nauthor = \"mara\"\nacknowledgments = \"Thanks to [the archive](https://example.org/archive) and [this](data:text/html,hi).\"\n+++\n\nText.\n",
        );
    site.build_ok(&[]);
    let page = site.page("a/");
    assert_eq!(
        select_attr(&page, ".author-card-bio a", "href"),
        vec!["https://example.org/forum"]
    );
    assert_eq!(count(&page, ".author-card-bio b"), 0);
    assert!(
        the_text(&page, ".author-card-bio").contains("<b>others</b>"),
        "{page}"
    );
    assert_eq!(
        select_attr(&page, ".brief-acknowledgments a", "href"),
        vec!["https://example.org/archive"]
    );
}
