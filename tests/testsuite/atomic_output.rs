//! Atomic output: the new site is written beside the output folder and swapped in only when the
//! whole build succeeded, so a failed build leaves the previous site byte-for-byte as it was and
//! no half-written folders behind.

use crate::harness::{Site, entries_starting_with, minimal_site, snapshot};

/// Staging and set-aside folders next to the output folder.
/// Staging folders, and previous outputs still there after a few seconds (the build hands their
/// deletion to a background process so that it returns at once). `expected` is what should stay.
fn leftovers_besides(site: &Site, expected: &[String]) -> Vec<String> {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    loop {
        let mut found = entries_starting_with(site.root(), ".public.staging-");
        found.extend(entries_starting_with(site.root(), ".public.old-"));
        if found == expected || std::time::Instant::now() > deadline {
            return found;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
}

fn leftovers(site: &Site) -> Vec<String> {
    leftovers_besides(site, &[])
}

#[test]
fn failed_build_leaves_the_previous_output_byte_for_byte_unchanged() {
    let site = Site::fixture("basic");
    site.build_ok(&[]);
    let before = snapshot(&site.public());
    assert!(before.contains_key("sanctions-enforcement-at-sea/index.html"));

    site.write(
        "briefs/ageing-workforce.md",
        "+++\ntitle = \"An Ageing Workforce\ndate = 2023-03-02\n+++\n\nText.\n",
    );
    site.build(&[]).failure();

    let after = snapshot(&site.public());
    assert_eq!(
        after.keys().collect::<Vec<_>>(),
        before.keys().collect::<Vec<_>>(),
        "the set of files changed"
    );
    for (path, bytes) in &before {
        assert!(after[path] == *bytes, "{path} changed");
    }
    assert_eq!(leftovers(&site), Vec::<String>::new());
}

#[test]
fn failed_first_build_writes_no_output_folder() {
    let site = minimal_site().brief("broken.md", "+++\ntitle = \"Broken\n+++\n");
    site.build(&[]).failure();
    assert!(!site.public().exists());
    assert_eq!(leftovers(&site), Vec::<String>::new());
}

#[test]
fn failure_while_rendering_leaves_the_output_unchanged_and_no_staging_folder() {
    let site = Site::fixture("basic");
    site.build_ok(&[]);
    let before = snapshot(&site.public());
    // Parses fine, fails only when a page is rendered: after the staging folder exists.
    site.write(
        "templates/archive.html",
        "{% extends \"base.html\" %}{% block content %}{{ no_such_variable.field }}{% endblock content %}",
    );
    let run = site.build(&[]).failure();
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    assert!(run.stderr.contains("archive.html"), "{}", run.stderr);
    assert!(snapshot(&site.public()) == before, "the output changed");
    assert_eq!(leftovers(&site), Vec::<String>::new());
}

#[test]
fn successful_rebuild_removes_the_pages_of_deleted_briefs() {
    let site = Site::fixture("basic");
    site.build_ok(&[]);
    assert!(site.has_page("ageing-workforce/"));
    assert!(site.has_page("tags/demography/"));

    site.remove("briefs/ageing-workforce.md");
    site.build_ok(&[]);
    assert!(!site.public().join("ageing-workforce").exists());
    assert!(!site.public().join("tags/demography").exists());
    assert!(
        !site
            .public()
            .join("citations/ledger-shipyard-welders")
            .exists()
    );
    assert!(site.has_page("sanctions-enforcement-at-sea/"));
    assert_eq!(leftovers(&site), Vec::<String>::new());
}

#[test]
fn successful_rebuild_replaces_files_that_are_not_part_of_the_site() {
    let site = minimal_site();
    site.build_ok(&[]);
    site.write("public/stray.html", "<p>left by hand</p>");
    site.build_ok(&[]);
    assert!(!site.public().join("stray.html").exists());
    assert!(site.has_page("first-brief/"));
}

#[test]
fn staging_folder_left_by_a_killed_build_is_removed_by_the_next_build() {
    let site = minimal_site();
    site.write(".public.staging-999999/index.html", "half a site");
    site.write(".public.old-999998/index.html", "an old site");
    site.build_ok(&[]);
    assert_eq!(leftovers(&site), Vec::<String>::new());
    assert!(site.has_page(""));
}

#[test]
fn staging_folder_of_a_build_still_running_is_left_alone() {
    let site = minimal_site();
    // This test's own process is alive, like a concurrent build would be.
    let live = format!(".public.staging-{}", std::process::id());
    site.write(&format!("{live}/index.html"), "another build's work");
    site.build_ok(&[]);
    assert_eq!(
        leftovers_besides(&site, std::slice::from_ref(&live)),
        vec![live]
    );
}

#[test]
fn rebuilding_an_unchanged_site_gives_identical_files() {
    let site = Site::fixture("basic");
    site.build_ok(&[]);
    let first = snapshot(&site.public());
    site.build_ok(&[]);
    let second = snapshot(&site.public());
    assert_eq!(
        first.keys().collect::<Vec<_>>(),
        second.keys().collect::<Vec<_>>()
    );
    for (path, bytes) in &first {
        assert!(second[path] == *bytes, "{path} differs between two builds");
    }
}

/// The inode of a file: the same inode across builds means the file was reused, not rewritten.
fn inode(path: &std::path::Path) -> u64 {
    use std::os::unix::fs::MetadataExt;
    std::fs::symlink_metadata(path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .ino()
}

#[test]
fn unchanged_files_are_reused_and_changed_ones_rewritten() {
    let site = Site::fixture("basic");
    site.build_ok(&[]);
    let page = site
        .public()
        .join("sanctions-enforcement-at-sea/index.html");
    let style = site.public().join("style.css");
    let (page_inode, style_inode) = (inode(&page), inode(&style));
    let page_bytes = std::fs::read(&page).unwrap();

    // Nothing changed: every file is the previous one, linked into the new output.
    site.build_ok(&[]);
    assert_eq!(inode(&page), page_inode);
    assert_eq!(inode(&style), style_inode);
    assert_eq!(std::fs::read(&page).unwrap(), page_bytes);

    // A new title changes the pages that show it; the stylesheet stays.
    let brief = site.read("briefs/sanctions-enforcement-at-sea.md");
    site.write(
        "briefs/sanctions-enforcement-at-sea.md",
        &brief.replacen("title = \"", "title = \"Revised: ", 1),
    );
    site.build_ok(&[]);
    assert_ne!(inode(&page), page_inode);
    assert!(
        site.page("sanctions-enforcement-at-sea/")
            .contains("Revised: ")
    );
    assert_eq!(inode(&style), style_inode);
}

#[test]
fn a_previous_output_edited_by_hand_or_holding_links_is_never_reused_as_is() {
    let site = Site::fixture("basic");
    site.build_ok(&[]);
    let expected = snapshot(&site.public());
    // Someone edits a page in the output, and replaces another with a symlink to a file outside.
    let home = site.public().join("index.html");
    std::fs::write(&home, "edited by hand").unwrap();
    let outside = site.path("outside.css");
    std::fs::write(
        &outside,
        std::fs::read(site.public().join("style.css")).unwrap(),
    )
    .unwrap();
    std::fs::remove_file(site.public().join("style.css")).unwrap();
    std::os::unix::fs::symlink(&outside, site.public().join("style.css")).unwrap();
    // And a brief's folder with a symlink to a copy of it outside the output.
    let brief = site.public().join("sanctions-enforcement-at-sea");
    let copy = site.path("outside-brief");
    std::fs::create_dir(&copy).unwrap();
    std::fs::copy(brief.join("index.html"), copy.join("index.html")).unwrap();
    std::fs::remove_dir_all(&brief).unwrap();
    std::os::unix::fs::symlink(&copy, &brief).unwrap();

    site.build_ok(&[]);
    assert_eq!(snapshot(&site.public()), expected);
    let style = std::fs::symlink_metadata(site.public().join("style.css")).unwrap();
    assert!(
        style.file_type().is_file(),
        "style.css must be a file of its own"
    );
    assert_ne!(inode(&site.public().join("style.css")), inode(&outside));
    let page = site
        .public()
        .join("sanctions-enforcement-at-sea/index.html");
    assert_ne!(inode(&page), inode(&copy.join("index.html")));
}
