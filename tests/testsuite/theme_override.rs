//! Themes: a site's own `templates/` and `static/` override the theme file by file, and template
//! mistakes are reported with the template's file name.

use std::fs;

use crate::harness::{Site, count, report_about, select_text, snapshot, the_text};

const CUSTOM_BRIEF: &str = r#"{% extends "base.html" %}
{% block title %}{{ brief.title }}{% endblock title %}
{% block content %}
<article class="custom-brief">
  <h1 class="custom-title">{{ brief.title }}</h1>
  <p class="custom-meta">{{ brief.date_display }} · {{ brief.notes | length }} notes · {{ brief.extra.series | default(value="no series") }}</p>
  {{ brief.body_html | safe }}
</article>
{% endblock content %}
"#;

#[test]
fn site_template_replaces_the_theme_template_of_the_same_name() {
    let site = Site::fixture("basic").file("templates/brief.html", CUSTOM_BRIEF);
    site.build_ok(&[]);
    let page = site.page("sanctions-enforcement-at-sea/");
    assert_eq!(
        select_text(&page, "article.custom-brief h1.custom-title"),
        vec!["Sanctions Enforcement at Sea"]
    );
    assert_eq!(
        the_text(&page, ".custom-meta"),
        "August 11, 2022 · 3 notes · no series"
    );
    assert_eq!(count(&page, ".brief-notes"), 0);
    // base.html still comes from the theme.
    assert_eq!(count(&page, "a.skip-link[href='#main']"), 1);
    // Other page kinds keep the theme's templates.
    let home = site.page("");
    assert_eq!(count(&home, ".card-list"), 1);
    assert_eq!(count(&home, ".custom-brief"), 0);
}

#[test]
fn date_filter_formats_dates_in_any_strftime_format() {
    let site = Site::fixture("basic").file(
        "templates/brief.html",
        "{% extends \"base.html\" %}{% block content %}<p class=\"long\">{{ brief.date | date(format=\"%-d %B %Y\") }}</p>\
         <p class=\"plain\">{{ brief.date | date }}</p>{% endblock content %}",
    );
    site.build_ok(&[]);
    let page = site.page("sanctions-enforcement-at-sea/");
    assert_eq!(the_text(&page, ".long"), "11 August 2022");
    assert_eq!(the_text(&page, ".plain"), "2022-08-11");

    site.write(
        "templates/brief.html",
        "{% extends \"base.html\" %}{% block content %}{{ brief.title | date }}{% endblock content %}",
    );
    let run = site.build(&[]).failure();
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    assert!(
        run.stderr.contains("`date` expects an ISO date"),
        "{}",
        run.stderr
    );
}

#[test]
fn extra_front_matter_table_reaches_templates() {
    let site = Site::fixture("basic")
        .file("templates/brief.html", CUSTOM_BRIEF)
        .brief(
            "series-entry.md",
            "+++\ntitle = \"Series Entry\"\ndate = 2022-01-05\n\n[extra]\nseries = \"Harbor Watch\"\n+++\n\nText.\n",
        );
    site.build_ok(&[]);
    let page = site.page("series-entry/");
    assert_eq!(
        the_text(&page, ".custom-meta"),
        "January 5, 2022 · 0 notes · Harbor Watch"
    );
}

#[test]
fn site_base_template_changes_every_page() {
    let site = Site::fixture("basic").file(
        "templates/base.html",
        r#"<!doctype html>
<html lang="{{ site.language }}"><head><meta charset="utf-8"><title>{% block title %}{% endblock title %}</title>
<meta name="description" content="{% block description %}{% endblock description %}">
{% block canonical %}{% endblock canonical %}{% block feeds %}{% endblock feeds %}{% block head_extra %}{% endblock head_extra %}</head>
<body class="{% block body_class %}{% endblock body_class %}"><p class="house-banner">{{ site.title }}</p>{% block header_search %}{% endblock header_search %}
<main>{% block content %}{% endblock content %}</main></body></html>
"#,
    );
    site.build_ok(&[]);
    for url in [
        "",
        "sanctions-enforcement-at-sea/",
        "citations/",
        "404.html",
    ] {
        let page = site.page(url);
        assert_eq!(
            select_text(&page, ".house-banner"),
            vec!["Harbor Notes"],
            "{url}"
        );
    }
}

#[test]
fn site_stylesheet_replaces_the_theme_stylesheet() {
    let css = "/* Harbor Notes house style */\nbody { font-family: Georgia, serif; }\n";
    let site = Site::fixture("basic").file("static/style.css", css);
    site.build_ok(&[]);
    assert_eq!(
        fs::read_to_string(site.public().join("style.css")).expect("style.css"),
        css
    );
    // Theme files the site does not override are still copied.
    assert!(site.public().join("favicon.svg").is_file());
}

#[test]
fn site_static_files_are_copied_with_their_folders() {
    let site = Site::fixture("basic").file(
        "static/downloads/brief-2022-08.txt",
        "Plain-text edition.\n",
    );
    site.build_ok(&[]);
    assert_eq!(
        fs::read_to_string(site.public().join("downloads/brief-2022-08.txt")).expect("file"),
        "Plain-text edition.\n"
    );
    assert!(site.public().join("images/mara-lindqvist.svg").is_file());
}

#[test]
fn template_syntax_error_names_the_template_file() {
    let site = Site::fixture("basic");
    site.build_ok(&[]);
    let before = snapshot(&site.public());
    site.write(
        "templates/brief.html",
        "{% extends \"base.html\" %}\n{% block content %}\n{% if brief.title %}\n<h1>{{ brief.title }}</h1>\n{% endblock content %}\n",
    );
    let run = site.build(&[]).failure();
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    let report = report_about(&run.stderr, "templates/brief.html");
    assert!(report.message.contains("template"), "{}", report.text);
    assert!(snapshot(&site.public()) == before, "the output changed");
}

#[test]
fn template_syntax_error_points_at_its_line_and_column() {
    let site = Site::fixture("basic");
    site.write(
        "templates/brief.html",
        "{% extends \"base.html\" %}\n{% block content %}\n{% if brief.title %}\n<h1>{{ brief.title }}</h1>\n{% endblock content %}\n",
    );
    let run = site.build(&[]).failure();
    let report = report_about(&run.stderr, "templates/brief.html");
    // Tera points at the tag that does not close the open `if`.
    assert_eq!(report.position, Some((5, 4)), "{}", report.text);
}

#[test]
fn site_base_template_without_a_block_the_theme_fills_is_a_clear_error() {
    let site = Site::fixture("basic").file(
        "templates/base.html",
        "<!doctype html><title>{% block title %}{% endblock title %}</title>\n<main>{% block content %}{% endblock content %}</main>\n",
    );
    let run = site.build(&[]).failure();
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    assert!(
        run.stderr
            .contains("Block `description` is not defined in any parent template"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("{% block name %}{% endblock name %}"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("(its parent is templates/base.html)"),
        "{}",
        run.stderr
    );
    assert!(!site.public().exists(), "nothing is written");
}

#[test]
fn tera_1_macros_get_a_hint_about_components() {
    let site = Site::fixture("basic").file(
        "templates/404.html",
        "{% extends \"base.html\" %}\n{% import \"macros.html\" as m %}\n{% block content %}Lost{% endblock content %}\n",
    );
    let run = site.build(&[]).failure();
    let report = report_about(&run.stderr, "templates/404.html");
    assert_eq!(
        report.position.map(|(line, _)| line),
        Some(2),
        "{}",
        report.text
    );
    assert!(
        report.text.contains("{% component name(arg) %}"),
        "{}",
        report.text
    );
}

#[test]
fn an_unknown_function_names_its_template_line_and_column() {
    let site = Site::fixture("basic").file(
        "templates/404.html",
        "<!doctype html><title>Lost</title>\n<p>Built by {{ get_env(name=\"USER\") }}.\n",
    );
    let run = site.build(&[]).failure();
    let report = report_about(&run.stderr, "templates/404.html");
    assert_eq!(report.position, Some((2, 16)), "{}", report.text);
    assert!(
        report.text.contains("Unknown function `get_env`"),
        "{}",
        report.text
    );
}

#[test]
fn template_error_at_render_time_names_the_template_file() {
    let site = Site::fixture("basic").file(
        "templates/term.html",
        "{% extends \"base.html\" %}{% block content %}{{ term.name | no_such_filter }}{% endblock content %}",
    );
    let run = site.build(&[]).failure();
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    assert!(run.stderr.contains("term.html"), "{}", run.stderr);
}

#[test]
fn undefined_field_at_render_time_points_at_the_template() {
    let site = Site::fixture("basic").file(
        "templates/term.html",
        "{% extends \"base.html\" %}\n{% block content %}\n<h1>{{ term.nickname }}</h1>\n{% endblock content %}\n",
    );
    let run = site.build(&[]).failure();
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    // One report for the mistake, not one per category and tag page.
    let report = report_about(&run.stderr, "templates/term.html");
    assert_eq!(report.position, Some((3, 13)), "{}", report.text);
    assert!(
        report.text.contains("Field `nickname` is not defined"),
        "{}",
        report.text
    );
    assert!(
        report.text.contains("cannot render /blog/categories/")
            && report.text.contains(" other pages with term.html"),
        "{}",
        report.text
    );
}

#[test]
fn unknown_theme_is_an_error() {
    let site = Site::fixture("basic");
    let config = site.read("site.toml").replace(
        "language = \"en\"",
        "language = \"en\"\ntheme = \"lighthouse\"",
    );
    site.write("site.toml", &config);
    let run = site.build(&[]).failure();
    let report = report_about(&run.stderr, "site.toml");
    assert!(report.message.contains("lighthouse"), "{}", report.text);
    assert!(report.hint.is_some(), "{}", report.text);
}

/// Copies the bundled theme to `themes/harbor/` (but for the files `leave_out`) and selects it.
fn use_a_copy_of_the_theme(site: &Site, leave_out: &[&str]) {
    let theme = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/peninsula");
    for entry in walkdir::WalkDir::new(&theme) {
        let entry = entry.expect("theme entry");
        if !entry.file_type().is_file() {
            continue;
        }
        let rel = entry.path().strip_prefix(&theme).expect("inside the theme");
        if leave_out.iter().any(|l| rel == std::path::Path::new(l)) {
            continue;
        }
        let text = fs::read(entry.path()).expect("theme file");
        site.write_bytes(&format!("themes/harbor/{}", rel.display()), &text);
    }
    let config = site
        .read("site.toml")
        .replace("language = \"en\"", "language = \"en\"\ntheme = \"harbor\"");
    site.write("site.toml", &config);
}

#[test]
fn theme_folder_on_disk_is_used_with_site_overrides_on_top() {
    let site = Site::fixture("basic");
    use_a_copy_of_the_theme(&site, &[]);
    site.write(
        "themes/harbor/templates/404.html",
        "{% extends \"base.html\" %}{% block content %}<h1>Lost at sea</h1>{% endblock content %}",
    );
    site.build_ok(&[]);
    assert_eq!(the_text(&site.page("404.html"), "h1"), "Lost at sea");
    assert_eq!(
        select_text(&site.page("sanctions-enforcement-at-sea/"), "h1"),
        vec!["Sanctions Enforcement at Sea"]
    );
}

/// A theme copied before `partials/photo.html` existed gets the bundled copy, as it does for the
/// other partials: its brief pages still show each author's photo or monogram.
#[test]
fn theme_on_disk_without_a_newer_partial_uses_the_bundled_one() {
    let site = Site::fixture("basic");
    use_a_copy_of_the_theme(&site, &["templates/partials/photo.html"]);
    site.build_ok(&[]);
    let page = site.page("sanctions-enforcement-at-sea/");
    assert!(count(&page, ".author-card") > 0);
    assert_eq!(
        count(&page, ".author-card .author-photo"),
        count(&page, ".author-card")
    );
}
