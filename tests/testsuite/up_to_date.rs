//! A build with nothing changed since the last one leaves the output as it is; any change that
//! could change the output (a brief, a template, the options, the output itself, the clock for a
//! brief dated in the future) makes a full build.

use std::os::unix::fs::MetadataExt;
use std::path::Path;
use std::time::Duration;

use crate::harness::{Run, Site, minimal_site};

const UP_TO_DATE: &str = "Nothing changed since the last build";

/// A file changed less than two seconds before a build is too recent for that build to trust file
/// times with: wait that long after writing inputs before a build that is to be recorded.
fn settle() {
    std::thread::sleep(Duration::from_millis(2100));
}

fn was_skipped(run: &Run) -> bool {
    run.stdout.contains(UP_TO_DATE)
}

/// Path, size, modification time and inode of every output file.
fn listing(dir: &Path) -> Vec<(String, u64, i64, i64, u64)> {
    crate::harness::files_below(dir)
        .into_iter()
        .map(|path| {
            let m = std::fs::metadata(&path).unwrap();
            let rel = crate::harness::relative(dir, &path);
            (rel, m.len(), m.mtime(), m.mtime_nsec(), m.ino())
        })
        .collect()
}

fn recorded_site() -> Site {
    let site = minimal_site().brief(
        "second.md",
        "+++\ntitle = \"Second Brief\"\ndate = 2023-01-05\nauthors = [\"daniel-osei\"]\n+++\n\nThe second brief's first paragraph.\n",
    );
    settle();
    assert!(!was_skipped(&site.build_ok(&[])));
    site
}

#[test]
fn an_unchanged_site_is_not_built_again_and_its_output_is_untouched() {
    let site = recorded_site();
    let before = listing(&site.public());
    let run = site.build_ok(&[]);
    assert!(was_skipped(&run), "{}", run.stdout);
    assert!(
        run.stdout.contains("(2 briefs, "),
        "the report keeps the last build's figures: {}",
        run.stdout
    );
    assert_eq!(listing(&site.public()), before);
}

#[test]
fn an_edited_brief_is_built_and_the_build_after_it_skipped() {
    let site = recorded_site();
    let brief = site.read("briefs/second.md");
    site.write(
        "briefs/second.md",
        &brief.replace("first paragraph", "revised paragraph"),
    );
    let run = site.build_ok(&[]);
    assert!(!was_skipped(&run));
    assert!(site.page("second/").contains("revised paragraph"));
    // That build ran right after the edit, too close to trust file times: it recorded nothing.
    assert!(!was_skipped(&site.build_ok(&[])));
    settle();
    assert!(!was_skipped(&site.build_ok(&[])));
    assert!(was_skipped(&site.build_ok(&[])));
}

#[test]
fn a_new_template_or_brief_is_built() {
    let site = recorded_site();
    site.write(
        "templates/404.html",
        "<!doctype html><title>Lost</title><p>Nowhere here.\n",
    );
    assert!(!was_skipped(&site.build_ok(&[])));
    assert!(site.page("404.html").contains("Nowhere here."));

    settle();
    site.build_ok(&[]);
    site.write(
        "briefs/third.md",
        "+++\ntitle = \"Third Brief\"\ndate = 2023-02-01\n+++\n\nThird.\n",
    );
    assert!(!was_skipped(&site.build_ok(&[])));
    assert!(site.has_page("third/"));
}

#[test]
fn an_output_changed_by_hand_is_built_again() {
    let site = recorded_site();
    let expected = crate::harness::snapshot(&site.public());

    std::fs::remove_file(site.public().join("index.html")).unwrap();
    assert!(!was_skipped(&site.build_ok(&[])));
    assert_eq!(crate::harness::snapshot(&site.public()), expected);

    std::fs::write(site.public().join("second/index.html"), "edited by hand").unwrap();
    assert!(!was_skipped(&site.build_ok(&[])));
    assert_eq!(crate::harness::snapshot(&site.public()), expected);

    std::fs::write(site.public().join("stray.txt"), "added by hand").unwrap();
    assert!(!was_skipped(&site.build_ok(&[])));
    assert_eq!(crate::harness::snapshot(&site.public()), expected);

    assert!(was_skipped(&site.build_ok(&[])));
}

#[test]
fn other_options_or_another_output_folder_make_a_build() {
    let site = recorded_site();
    let preview = ["--base-url", "https://preview.example.net/"];
    assert!(!was_skipped(&site.build_ok(&preview)));
    assert!(site.page("").contains("https://preview.example.net/"));
    assert!(was_skipped(&site.build_ok(&preview)));
    // Back to site.toml's address: built again, not the preview's output kept.
    assert!(!was_skipped(&site.build_ok(&[])));
    assert!(!site.page("").contains("preview.example.net"));
    assert!(!was_skipped(&site.build_ok(&["--drafts"])));

    let elsewhere = site.path("elsewhere");
    let elsewhere = elsewhere.to_str().unwrap();
    assert!(!was_skipped(&site.build_ok(&["--output", elsewhere])));
    assert!(was_skipped(&site.build_ok(&["--output", elsewhere])));
}

#[test]
fn a_brief_dated_in_the_future_appears_once_it_is_due() {
    let site = recorded_site();
    let due = jiff::Timestamp::now() + jiff::SignedDuration::from_secs(5);
    let due = due.round(jiff::Unit::Second).unwrap();
    site.write(
        "briefs/embargoed.md",
        &format!("+++\ntitle = \"Embargoed Brief\"\ndate = {due}\n+++\n\nNot yet.\n"),
    );
    settle();
    assert!(!was_skipped(&site.build_ok(&[])));
    assert!(!site.has_page("embargoed/"));
    assert!(was_skipped(&site.build_ok(&[])), "not due yet");

    while jiff::Timestamp::now() <= due {
        std::thread::sleep(Duration::from_millis(200));
    }
    assert!(!was_skipped(&site.build_ok(&[])));
    assert!(site.has_page("embargoed/"));
}

#[test]
fn a_bibliography_outside_the_site_folders_is_checked_too() {
    let bib = |title: &str| {
        format!(
            "@report{{harbor2023,\n  title = {{{title}}},\n  author = {{Lee, Mina}},\n  year = {{2023}},\n  institution = {{Harbor Institute}},\n}}\n"
        )
    };
    let site = minimal_site()
        .file(
            "site.toml",
            "title = \"Harbor Notes\"\nbase_url = \"https://example.org/\"\n\n[citations]\nbibliography = [\"refs/harbor.bib\"]\n",
        )
        .file("refs/harbor.bib", &bib("Harbor Security Review"))
        .brief(
            "first-brief.md",
            "+++\ntitle = \"First Brief\"\ndate = 2022-08-11\n+++\n\nPorts matter [@harbor2023].\n",
        );
    settle();
    site.build_ok(&[]);
    assert!(was_skipped(&site.build_ok(&[])));

    site.write(
        "refs/harbor.bib",
        &bib("Harbor Security Review, Second Edition"),
    );
    assert!(!was_skipped(&site.build_ok(&[])));
    assert!(site.page("first-brief/").contains("Second Edition"));
}
