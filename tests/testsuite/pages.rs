//! Standalone pages (`pages/*.md`), menus (`[[menu.main]]`) and aliases (redirect pages and
//! `_redirects`), on sites written here and built with the real binary.

use crate::harness::{self, Site, assert_contains, minimal_site};

const SITE_TOML: &str = r#"title = "Harbor Notes"
base_url = "https://example.org/blog"

[authors.daniel-osei]
name = "Daniel Osei"

[[menu.main]]
name = "Donate"
url = "https://give.example.org/"
weight = 30

[[menu.main]]
name = "Our Staff"
page = "about/staff"
weight = 20

[[menu.main]]
name = "Trade"
url = "/categories/trade/"
weight = 10
"#;

fn site() -> Site {
    minimal_site()
        .file("site.toml", SITE_TOML)
        .file(
            "pages/about.md",
            "+++\ntitle = \"About the Institute\"\nmenu = \"main\"\nweight = 5\nsummary = \"Who we are.\"\naliases = [\"/about-us.html\", \"/?page_id=2\"]\n+++\n\nWe study the *peninsula*.[^1]\n\n[^1]: Since 1982.\n",
        )
        .file(
            "pages/about/staff.md",
            "+++\ntitle = \"Staff\"\nupdated = 2024-05-01\n+++\n\nOur analysts and fellows.\n",
        )
        .file("pages/contact/index.md", "+++\ntitle = \"Contact\"\n+++\n\nWrite to press@example.org.\n")
        .file("pages/hidden.md", "+++\ntitle = \"Hidden\"\ndraft = true\n+++\n\nNot yet.\n")
        .brief(
            "tariffs.md",
            "+++\ntitle = \"Tariffs Return\"\ndate = 2023-01-05\nauthors = [\"daniel-osei\"]\ncategory = \"Trade\"\naliases = [\"/2023/01/05/tariffs-return/\", \"old/tariffs.html\", \"/?p=12\"]\n+++\n\nTariffs are back.\n",
        )
}

#[test]
fn pages_render_at_their_paths_in_the_sitemap_and_search_but_not_in_listings_or_feeds() {
    let site = site();
    site.build_ok(&[]);
    let about = site.page("about/");
    assert_eq!(harness::the_text(&about, "h1"), "About the Institute");
    assert!(
        about.contains("We study the <em>peninsula</em>."),
        "{about}"
    );
    assert_eq!(harness::select_text(&about, ".brief-notes li").len(), 1);
    assert!(harness::the_text(&about, ".brief-notes li").contains("Since 1982."));
    assert!(
        about.contains("<meta name=\"description\" content=\"Who we are.\">"),
        "{about}"
    );
    assert!(
        site.page("about/staff/")
            .contains("Our analysts and fellows.")
    );
    assert!(site.page("contact/").contains("press@example.org"));
    assert!(!site.has_page("hidden/"), "a draft page was published");

    let sitemap = site.read("public/sitemap.xml");
    assert!(
        sitemap.contains("<loc>https://example.org/blog/about/</loc>"),
        "{sitemap}"
    );
    assert!(
        sitemap.contains(
            "<loc>https://example.org/blog/about/staff/</loc>\n    <lastmod>2024-05-01</lastmod>"
        ) || sitemap.contains(
            "<loc>https://example.org/blog/about/staff/</loc><lastmod>2024-05-01</lastmod>"
        ),
        "{sitemap}"
    );
    for file in ["atom.xml", "rss.xml"] {
        assert!(
            !site
                .read(&format!("public/{file}"))
                .contains("About the Institute"),
            "{file} lists a page"
        );
    }
    for page in ["", "archive/", "authors/daniel-osei/"] {
        let main = harness::select_text(&site.page(page), "main").join(" ");
        assert!(
            !main.contains("About the Institute"),
            "/{page} lists a page: {main}"
        );
    }
    // Search: the manifest counts briefs and pages; the pages have documents of their own.
    let manifest = site.read("public/search/index.json");
    assert!(manifest.contains("\"docs\":5"), "{manifest}");
    let _ = site.build_ok(&[
        "--drafts",
        "--output",
        site.path("drafts").to_str().unwrap(),
    ]);
    assert!(site.path("drafts/hidden/index.html").is_file());
}

#[test]
fn the_main_menu_is_in_the_navigation() {
    let site = site();
    site.build_ok(&[]);
    let home = site.page("");
    let nav: Vec<String> = harness::select_text(&home, ".site-nav li");
    assert_eq!(
        &nav[nav.len() - 4..],
        ["About the Institute", "Trade", "Our Staff", "Donate"],
        "lightest first: {nav:?}"
    );
    let links = harness::select_attr(&home, ".site-nav a", "href");
    assert!(links.contains(&"/blog/about/".to_owned()));
    assert!(links.contains(&"/blog/categories/trade/".to_owned()));
    assert!(links.contains(&"/blog/about/staff/".to_owned()));
    assert!(links.contains(&"https://give.example.org/".to_owned()));
    let staff = site.page("about/staff/");
    assert_eq!(
        harness::the_attr(&staff, ".site-nav a[aria-current=page]", "href"),
        "/blog/about/staff/"
    );

    let broken = site.file("site.toml", &SITE_TOML.replace("about/staff", "about/team"));
    broken
        .build(&[])
        .failure()
        .stderr_has("names the page `about/team`, and there is no pages/about/team.md");
}

#[test]
fn aliases_get_redirect_pages_and_a_redirects_file() {
    let site = site();
    site.build_ok(&[]);
    let redirect = site.read("public/2023/01/05/tariffs-return/index.html");
    let target = "https://example.org/blog/tariffs/";
    assert!(
        redirect.contains(&format!(
            "<meta http-equiv=\"refresh\" content=\"0; url={target}\">"
        )),
        "{redirect}"
    );
    assert!(redirect.contains(&format!("<link rel=\"canonical\" href=\"{target}\">")));
    assert!(redirect.contains("<meta name=\"robots\" content=\"noindex\">"));
    assert!(redirect.contains(&format!("<a href=\"{target}\">Tariffs Return</a>")));
    assert!(
        site.read("public/old/tariffs.html")
            .contains("url=https://example.org/blog/tariffs/")
    );
    assert!(
        site.read("public/about-us.html")
            .contains("url=https://example.org/blog/about/")
    );
    let redirects = site.read("public/_redirects");
    assert_contains(
        &redirects,
        &[
            "/blog/2023/01/05/tariffs-return/ /blog/tariffs/ 301\n",
            "/blog/old/tariffs.html /blog/tariffs/ 301\n",
            "/blog/ p=12 /blog/tariffs/ 301!\n",
            "/blog/ page_id=2 /blog/about/ 301!\n",
            "/blog/about-us.html /blog/about/ 301\n",
        ],
    );
    let sitemap = site.read("public/sitemap.xml");
    assert!(
        !sitemap.contains("tariffs-return"),
        "a redirect is in the sitemap"
    );

    let off = site.file(
        "site.toml",
        &format!("{SITE_TOML}\n[redirects]\nfile = false\n"),
    );
    off.build_ok(&[]);
    assert!(!off.path("public/_redirects").exists());
    assert!(
        off.path("public/old/tariffs.html").is_file(),
        "redirect pages stay"
    );
}

#[test]
fn query_aliases_are_served_by_a_script_on_the_page_at_their_path() {
    let site = site();
    site.build_ok(&[]);
    // A static host answers /blog/?p=12 with the home page: it carries the script, which reads
    // the map of such aliases.
    let map: serde_json::Value =
        serde_json::from_str(&site.read("public/redirects.json")).expect("redirects.json is JSON");
    assert_eq!(
        map,
        serde_json::json!({"/?p=12": "/blog/tariffs/", "/?page_id=2": "/blog/about/"})
    );
    let home = site.page("");
    let head = &home[..home.find("</head>").expect("a head")];
    assert!(
        head.contains("var base = \"/blog/\", file = \"redirects.json\""),
        "{head}"
    );
    assert!(head.contains("/[?&](?:p|page_id)=/"), "{head}");
    // Only the home page is at an alias's path.
    assert!(!site.page("about/").contains("redirects.json"));
}

#[test]
#[ignore = "needs chromium"]
fn query_aliases_lead_on_in_a_real_browser_on_a_static_host() {
    let host = harness::tools::hosted("blog");
    site().build_ok(&["--output", host.output_arg()]);
    harness::tools::browser_checks(
        "redirects.mjs",
        &[
            &host.base,
            "?p=12=tariffs/",
            "?page_id=2=about/",
            "index.html?p=12=tariffs/",
            "?utm_source=mail&p=12=tariffs/",
            "?p=99=",
            "?s=tariffs=",
        ],
        "",
    );
}

#[test]
fn a_site_without_aliases_has_no_redirects_file() {
    let site = minimal_site();
    site.build_ok(&[]);
    assert!(!site.path("public/_redirects").exists());
    assert!(!site.path("public/redirects.json").exists());
    assert!(!site.page("").contains("<script>(function"));
}

#[test]
fn urls_that_collide_are_errors_naming_both_files() {
    let page_and_brief = minimal_site().file(
        "pages/first-brief.md",
        "+++\ntitle = \"Clash\"\n+++\n\nText.\n",
    );
    page_and_brief
        .build(&[])
        .failure()
        .stderr_has("pages/first-brief.md")
        .stderr_has(
            "this page and the brief briefs/first-brief.md both have the URL /first-brief/",
        );

    let in_section = minimal_site().file(
        "pages/tags/mine.md",
        "+++\ntitle = \"Mine\"\n+++\n\nText.\n",
    );
    in_section
        .build(&[])
        .failure()
        .stderr_has("the URL /tags/mine/ is inside the site's own /tags/ pages");

    let alias_on_brief = minimal_site().file(
        "pages/about.md",
        "+++\ntitle = \"About\"\naliases = [\"/first-brief/\"]\n+++\n\nText.\n",
    );
    alias_on_brief
        .build(&[])
        .failure()
        .stderr_has("pages/about.md:3:")
        .stderr_has("the alias `/first-brief/` is the URL of the brief briefs/first-brief.md");

    let twice = minimal_site()
        .file(
            "pages/a.md",
            "+++\ntitle = \"A\"\naliases = [\"/old/\"]\n+++\n\nText.\n",
        )
        .file(
            "pages/b.md",
            "+++\ntitle = \"B\"\naliases = [\"old\"]\n+++\n\nText.\n",
        );
    twice
        .build(&[])
        .failure()
        .stderr_has("the alias `/old/` is also an alias of pages/a.md");

    let outside = minimal_site().brief(
        "escape.md",
        "+++\ntitle = \"Escape\"\ndate = 2023-01-01\naliases = [\"/../../etc/\"]\n+++\n\nText.\n",
    );
    outside
        .build(&[])
        .failure()
        .stderr_has("briefs/escape.md:4:")
        .stderr_has("has `.` or `..` in it");

    let cites = minimal_site().file(
        "pages/refs.md",
        "+++\ntitle = \"Refs\"\n+++\n\nAs shown [@kim2020].\n",
    );
    cites
        .build(&[])
        .failure()
        .stderr_has("pages/refs.md:5:")
        .stderr_has("a standalone page cannot cite sources");

    let home = minimal_site().file("pages/index.md", "+++\ntitle = \"Home\"\n+++\n\nText.\n");
    home.build(&[])
        .failure()
        .stderr_has("this page would be the home page");
}

#[test]
fn check_finds_pages_and_old_addresses() {
    let site = site().brief(
        "links.md",
        "+++\ntitle = \"Links\"\ndate = 2023-02-01\n+++\n\nSee [about](/blog/about/), [staff](../about/staff/), [an old address](/blog/old/tariffs.html) and [nothing](/blog/about/board/).\n",
    );
    let run = site.build(&[]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let run = harness::run(site.root(), &["check", "--root", "."]).failure();
    let stderr = run.stderr;
    assert!(
        stderr.contains("broken link `/blog/about/board/`"),
        "{stderr}"
    );
    assert_eq!(stderr.matches("broken link").count(), 1, "{stderr}");
}

#[test]
fn check_reads_the_links_of_standalone_pages() {
    let site = site().file(
        "pages/contact/index.md",
        "+++\ntitle = \"Contact\"\n+++\n\nSee [our staff](../about/staff/), [the tariffs brief](/blog/tariffs/#top) and\n[the board](../about/board/), or <a href=\"/blog/press/\">the press room</a>.\n\n![Map](/blog/images/map.png)\n",
    );
    let run = harness::run(site.root(), &["check", "--root", "."]).failure();
    let stderr = run.stderr;
    assert!(
        stderr.contains("pages/contact/index.md:6:13: broken link `../about/board/`"),
        "{stderr}"
    );
    assert_contains(
        &stderr,
        &[
            "broken link `../about/board/`: nothing is published at /blog/about/board/",
            "broken link `/blog/press/`",
            "missing image `/blog/images/map.png`",
            "broken anchor `/blog/tariffs/#top`",
        ],
    );
    assert!(!stderr.contains("`../about/staff/`"), "{stderr}");
    assert_eq!(stderr.matches("error:").count(), 4, "{stderr}");
}
