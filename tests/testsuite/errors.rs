//! User errors: each one exits with code 1, names the file, the line and the column, says what is
//! wrong with a hint, never panics, and leaves the previous output exactly as it was. One run
//! reports every problem.

use crate::harness::{Reported, Run, Site, minimal_site, report_about, reports_about, snapshot};

/// The minimal site, built once so that there is a previous output to protect.
fn previously_built() -> Site {
    let site = minimal_site();
    site.build_ok(&[]);
    site
}

/// Builds a site that must fail, and checks what every failed build promises.
fn fails_cleanly(site: &Site) -> Run {
    let before = snapshot(&site.public());
    assert!(!before.is_empty(), "the site was not built before");
    let run = site.build(&[]).failure();
    assert!(
        !run.stderr.contains("panicked"),
        "dossier panicked:\n{}",
        run.stderr
    );
    assert!(
        !run.stderr.contains("RUST_BACKTRACE"),
        "backtrace note in stderr:\n{}",
        run.stderr
    );
    assert!(run.stdout.is_empty(), "stdout: {}", run.stdout);
    let last = run.stderr.trim_end().lines().last().unwrap_or_default();
    assert!(
        last.contains("the build failed") && last.contains("left unchanged"),
        "last line of stderr: {last:?}"
    );
    assert!(
        snapshot(&site.public()) == before,
        "the previous output changed"
    );
    run
}

/// The report about `file` after a failed build, checked for a position and a hint.
fn reported(site: &Site, file: &str) -> Reported {
    let run = fails_cleanly(site);
    let report = report_about(&run.stderr, file);
    assert!(
        report.position.is_some(),
        "no line:column in the report about {file}:\n{}",
        report.text
    );
    assert!(
        report.hint.is_some(),
        "no `= help:` hint in the report about {file}:\n{}",
        report.text
    );
    report
}

/// The report about `file` after writing `text` to it in a built site and building again.
fn reported_after_writing(file: &str, text: &str) -> Reported {
    let site = previously_built();
    site.write(file, text);
    reported(&site, file)
}

/// The one report about a clash between files `a` and `b` (about either), whose first line names
/// both and `what` they share.
fn one_report_naming_both(run: &Run, a: &str, b: &str, what: &str) -> Reported {
    let mut reports = reports_about(&run.stderr, a);
    reports.extend(reports_about(&run.stderr, b));
    assert_eq!(reports.len(), 1, "{}", run.stderr);
    let report = reports.remove(0);
    assert!(report.position.is_some(), "{}", report.text);
    assert!(report.hint.is_some(), "{}", report.text);
    let first_line = report.text.lines().next().unwrap_or_default();
    assert!(
        first_line.contains(a) && first_line.contains(b) && first_line.contains(what),
        "{first_line}"
    );
    report
}

/// Each of `files` is reported once.
fn each_reported_once(run: &Run, files: &[&str]) {
    for file in files {
        assert_eq!(
            reports_about(&run.stderr, file).len(),
            1,
            "{file} not reported:\n{}",
            run.stderr
        );
    }
}

#[test]
fn malformed_toml_front_matter_is_reported_at_its_line() {
    let report = reported_after_writing(
        "briefs/broken.md",
        "+++\ntitle = \"An Unterminated Title\ndate = 2022-08-11\n+++\n\nText.\n",
    );
    assert_eq!(report.position.map(|p| p.0), Some(2), "{}", report.text);
    assert!(
        report.text.contains("2 | title = \"An Unterminated Title"),
        "{}",
        report.text
    );
}

#[test]
fn malformed_yaml_front_matter_is_reported_at_its_line() {
    let report = reported_after_writing(
        "briefs/broken.md",
        "---\ntitle: A Title\ndate: 2022-08-11\ntags: [sanctions, shipping\n---\n\nText.\n",
    );
    assert_eq!(report.position, Some((4, 7)), "{}", report.text);
}

#[test]
fn missing_title_is_an_error() {
    let report = reported_after_writing(
        "briefs/untitled.md",
        "+++\ndate = 2022-08-11\n+++\n\nText.\n",
    );
    assert!(report.message.contains("title"), "{}", report.text);
}

#[test]
fn missing_date_is_an_error() {
    let report = reported_after_writing("briefs/undated.md", "---\ntitle: Undated\n---\n\nText.\n");
    assert!(report.message.contains("date"), "{}", report.text);
}

#[test]
fn impossible_toml_date_is_an_error() {
    let report = reported_after_writing(
        "briefs/leap.md",
        "+++\ntitle = \"Leap\"\ndate = 2022-02-30\n+++\n\nText.\n",
    );
    assert_eq!(report.position, Some((3, 8)), "{}", report.text);
    assert!(report.message.contains("date"), "{}", report.text);
}

#[test]
fn impossible_string_date_is_an_error() {
    let report = reported_after_writing(
        "briefs/leap.md",
        "---\ntitle: Leap\ndate: \"2022-02-30\"\n---\n\nText.\n",
    );
    assert_eq!(report.position.map(|p| p.0), Some(3), "{}", report.text);
    assert!(report.message.contains("2022-02-30"), "{}", report.text);
}

#[test]
fn unknown_author_slug_suggests_the_nearest_one() {
    let report = reported_after_writing(
        "briefs/typo.md",
        "+++\ntitle = \"Typo\"\ndate = 2022-08-11\nauthors = [\"daniel-osie\"]\n+++\n\nText.\n",
    );
    assert_eq!(report.position, Some((4, 13)), "{}", report.text);
    assert!(report.message.contains("daniel-osie"), "{}", report.text);
    assert!(
        report
            .hint
            .as_deref()
            .unwrap_or_default()
            .contains("`daniel-osei`"),
        "{}",
        report.text
    );
}

#[test]
fn unknown_front_matter_field_suggests_the_nearest_one() {
    for (file, text, line) in [
        (
            "briefs/titel.md",
            "+++\ntitel = \"A\"\ndate = 2022-08-11\n+++\n\nText.\n",
            2,
        ),
        (
            "briefs/titel-yaml.md",
            "---\ntitle: A\ndate: 2022-08-11\ntitel: B\n---\n\nText.\n",
            4,
        ),
    ] {
        let site = previously_built();
        site.write(file, text);
        let report = reported(&site, file);
        assert_eq!(report.position, Some((line, 1)), "{}", report.text);
        assert_eq!(report.message, "unknown field `titel`");
        assert_eq!(report.hint.as_deref(), Some("did you mean `title`?"));
    }
}

#[test]
fn unclosed_front_matter_is_an_error() {
    let report = reported_after_writing(
        "briefs/open.md",
        "+++\ntitle = \"Open\"\ndate = 2022-08-11\n\nThe body starts here.\n",
    );
    assert_eq!(report.position, Some((1, 1)), "{}", report.text);
    assert!(report.message.contains("never closed"), "{}", report.text);
}

#[test]
fn file_without_front_matter_is_an_error() {
    let report = reported_after_writing("briefs/plain.md", "# Just Markdown\n\nNo front matter.\n");
    assert_eq!(report.position, Some((1, 1)), "{}", report.text);
}

#[test]
fn empty_file_is_an_error() {
    let report = reported_after_writing("briefs/empty.md", "");
    assert_eq!(report.position, Some((1, 1)), "{}", report.text);
    assert!(report.message.contains("empty"), "{}", report.text);
}

#[test]
fn non_utf8_file_is_an_error() {
    let site = previously_built();
    site.write_bytes(
        "briefs/latin1.md",
        b"+++\ntitle = \"Caf\xe9 Diplomacy\"\ndate = 2022-08-11\n+++\n\nText.\n",
    );
    let report = reported(&site, "briefs/latin1.md");
    assert_eq!(report.position, Some((2, 13)), "{}", report.text);
    assert!(report.message.contains("UTF-8"), "{}", report.text);
}

#[test]
fn two_briefs_with_the_same_url_name_both_files() {
    let site = previously_built();
    site.write(
        "briefs/2022/first-brief.md",
        "+++\ntitle = \"Another First\"\ndate = 2022-08-12\n+++\n\nText.\n",
    );
    let run = fails_cleanly(&site);
    one_report_naming_both(
        &run,
        "briefs/first-brief.md",
        "briefs/2022/first-brief.md",
        "/first-brief/",
    );
}

#[test]
fn slug_field_colliding_with_a_file_name_names_both_files() {
    let report = reported_after_writing(
        "briefs/other.md",
        "+++\ntitle = \"Other\"\ndate = 2022-08-12\nslug = \"first-brief\"\n+++\n\nText.\n",
    );
    assert_eq!(report.position, Some((4, 1)), "{}", report.text);
    assert!(
        report.message.contains("briefs/first-brief.md"),
        "{}",
        report.text
    );
}

#[test]
fn brief_may_not_take_a_section_url() {
    let report = reported_after_writing(
        "briefs/authors.md",
        "+++\ntitle = \"Authors\"\ndate = 2022-08-12\n+++\n\nText.\n",
    );
    assert!(report.message.contains("/authors/"), "{}", report.text);
}

#[test]
fn malformed_site_toml_is_reported_at_its_line() {
    let report = reported_after_writing(
        "site.toml",
        "title = \"Harbor Notes\"\nbase_url = \"https://example.org/blog\n",
    );
    assert_eq!(report.position.map(|p| p.0), Some(2), "{}", report.text);
}

#[test]
fn unknown_site_toml_key_suggests_the_nearest_one() {
    let report = reported_after_writing(
        "site.toml",
        "title = \"Harbor Notes\"\nbase_url = \"https://example.org/blog\"\ndiscription = \"Briefs\"\n",
    );
    assert_eq!(report.position, Some((3, 1)), "{}", report.text);
    assert_eq!(report.message, "unknown field `discription`");
    assert_eq!(report.hint.as_deref(), Some("did you mean `description`?"));
}

#[test]
fn unknown_key_in_an_author_table_suggests_the_nearest_one() {
    let report = reported_after_writing(
        "site.toml",
        "title = \"Harbor Notes\"\nbase_url = \"https://example.org/blog\"\n\n[authors.daniel-osei]\nname = \"Daniel Osei\"\nbiography = \"Writes on sanctions.\"\n",
    );
    assert_eq!(report.position, Some((6, 1)), "{}", report.text);
    assert_eq!(report.hint.as_deref(), Some("did you mean `bio`?"));
}

#[test]
fn base_url_must_be_an_absolute_web_address() {
    let report = reported_after_writing(
        "site.toml",
        "title = \"Harbor Notes\"\nbase_url = \"/blog\"\n",
    );
    assert_eq!(report.position, Some((2, 1)), "{}", report.text);
}

#[test]
fn missing_site_toml_is_an_error_with_a_hint() {
    let site = previously_built();
    site.remove("site.toml");
    let run = fails_cleanly(&site);
    let report = report_about(&run.stderr, "site.toml");
    assert!(report.hint.is_some(), "{}", report.text);
}

#[test]
fn unknown_citation_id_is_reported_at_the_marker_with_the_nearest_id() {
    let report = reported_after_writing(
        "briefs/cites.md",
        r#"+++
title = "Cites"
date = 2022-08-12

[[citations]]
id = "S/RES/2397"
type = "legislation"
title = "Resolution 2397 (2017)"
+++

The cap on refined petroleum still stands.
Deliveries must be reported [@S/RES/2379, para. 5] each month.
"#,
    );
    assert_eq!(report.position, Some((12, 29)), "{}", report.text);
    assert!(report.message.contains("`S/RES/2379`"), "{}", report.text);
    assert!(
        report
            .hint
            .as_deref()
            .unwrap_or_default()
            .contains("`S/RES/2397`"),
        "{}",
        report.text
    );
}

#[test]
fn source_defined_differently_in_two_briefs_names_both_files() {
    let site = previously_built();
    site.write(
        "briefs/a.md",
        "+++\ntitle = \"A\"\ndate = 2022-08-12\n\n[[citations]]\nid = \"S/RES/2397\"\ntitle = \"Resolution 2397 (2017)\"\n+++\n\nThe cap [@S/RES/2397].\n",
    );
    site.write(
        "briefs/b.md",
        "---\ntitle: B\ndate: 2022-08-13\ncitations:\n  - id: S/RES/2397\n    title: Resolution 2397\n---\n\nThe cap [@S/RES/2397].\n",
    );
    let run = fails_cleanly(&site);
    one_report_naming_both(&run, "briefs/a.md", "briefs/b.md", "S/RES/2397");
}

#[test]
fn errors_in_several_briefs_and_site_toml_are_all_reported_in_one_run() {
    let site = previously_built();
    site.write(
        "site.toml",
        "title = \"Harbor Notes\"\nbase_url = \"https://example.org/blog\"\ndiscription = \"Briefs\"\n\n[authors.daniel-osei]\nname = \"Daniel Osei\"\n",
    );
    site.write("briefs/a.md", "+++\ntitle = \"A\n+++\n");
    site.write("briefs/b.md", "---\ntitle: B\n---\n");
    site.write("briefs/c.md", "+++\ntitle = \"C\"\ndate = 2022-08-11\n");
    let run = fails_cleanly(&site);
    each_reported_once(
        &run,
        &["site.toml", "briefs/a.md", "briefs/b.md", "briefs/c.md"],
    );
    assert!(run.stderr.contains("4 problems"), "{}", run.stderr);
}

#[test]
fn reference_errors_in_several_briefs_are_all_reported_in_one_run() {
    let site = previously_built();
    site.write(
        "briefs/a.md",
        "+++\ntitle = \"A\"\ndate = 2022-08-11\nauthor = \"nobody\"\n+++\n\nText.\n",
    );
    site.write(
        "briefs/b.md",
        "+++\ntitle = \"B\"\ndate = 2022-08-11\n+++\n\nText [@missing].\n",
    );
    site.write(
        "briefs/c.md",
        "---\ntitle: C\ndate: 2022-08-11\nauthors: [daniel-osei, mara]\n---\n\nText.\n",
    );
    let run = fails_cleanly(&site);
    each_reported_once(&run, &["briefs/a.md", "briefs/b.md", "briefs/c.md"]);
}

#[test]
fn syntax_and_reference_errors_in_different_briefs_are_reported_together() {
    let site = previously_built();
    // A syntax error in one brief must not hide an unknown author or citation in another.
    site.write("briefs/a.md", "+++\ntitle = \"A\n+++\n");
    site.write(
        "briefs/b.md",
        "+++\ntitle = \"B\"\ndate = 2022-08-11\nauthor = \"nobody\"\n+++\n\nText.\n",
    );
    site.write(
        "briefs/c.md",
        "+++\ntitle = \"C\"\ndate = 2022-08-11\n+++\n\nText [@missing].\n",
    );
    let run = fails_cleanly(&site);
    each_reported_once(&run, &["briefs/a.md", "briefs/b.md", "briefs/c.md"]);
}

#[test]
fn a_fixed_site_builds_again() {
    let site = previously_built();
    site.write("briefs/broken.md", "+++\ntitle = \"Broken\n+++\n");
    fails_cleanly(&site);
    site.write(
        "briefs/broken.md",
        "+++\ntitle = \"Fixed\"\ndate = 2022-08-12\n+++\n\nText.\n",
    );
    site.build_ok(&[]);
    assert!(site.has_page("broken/"));
}

#[test]
fn a_field_is_found_at_the_top_level_not_in_a_table_above_it() {
    // `slug` is written under `extra` before the top-level one: the problem is the latter's.
    let report = reported_after_writing(
        "briefs/people.md",
        "---\ntitle: People\ndate: 2022-08-12\nextra:\n  slug: kept-for-the-theme\nslug: authors\n---\n\nText.\n",
    );
    assert!(report.message.contains("/authors/"), "{}", report.text);
    assert_eq!(report.position, Some((6, 1)), "{}", report.text);
}

#[test]
fn a_quoted_key_is_found() {
    let report = reported_after_writing(
        "briefs/people.md",
        "+++\ntitle = \"People\"\ndate = 2022-08-12\n\"slug\" = \"tags\"\n+++\n\nText.\n",
    );
    assert!(report.message.contains("/tags/"), "{}", report.text);
    assert_eq!(report.position, Some((4, 1)), "{}", report.text);
}

#[test]
fn a_site_toml_key_is_found_in_its_own_table() {
    // A menu entry's `url` comes first; the bad one is the organization's.
    let report = reported_after_writing(
        "site.toml",
        "title = \"Harbor Notes\"\nbase_url = \"https://example.org/blog\"\n\n[[menu.main]]\nname = \"Latest\"\nurl = \"/archive/\"\n\n[organization]\nname = \"Harbor Institute\"\nurl = \"ftp://harbor.example.org\"\n",
    );
    assert!(report.message.contains("ftp://"), "{}", report.text);
    assert_eq!(report.position, Some((10, 1)), "{}", report.text);
}

#[test]
fn an_unknown_author_in_a_flow_list_is_pointed_at() {
    let report = reported_after_writing(
        "briefs/people.md",
        "---\ntitle: People\ndate: 2022-08-12\nauthors: [daniel-osei, \"nobdy\"]\n---\n\nText.\n",
    );
    assert!(report.message.contains("`nobdy`"), "{}", report.text);
    assert_eq!(report.position, Some((4, 25)), "{}", report.text);
}
