//! The command line: where the site is read from and written to, and what is printed.

use std::path::Path;

use crate::harness::{Site, files_below, html_files, minimal_site, relative};
use assert_cmd::Command;

/// What the summary counts as pages: every file the build writes (HTML pages, the citation
/// exports and whatever else it generates), but not the static files it copies from the theme
/// and the site. The site-wide citation exports are among them: `/citations.json` and
/// `/citations.bib` (a brief's own downloads are in its page).
fn written_pages(site: &Site, output: &Path) -> usize {
    let theme_static = Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/peninsula/static");
    let mut copied: Vec<String> = files_below(&theme_static)
        .iter()
        .map(|path| relative(&theme_static, path))
        .collect();
    let site_static = site.path("static");
    if site_static.is_dir() {
        copied.extend(
            files_below(&site_static)
                .iter()
                .map(|path| relative(&site_static, path)),
        );
    }
    let written: Vec<String> = files_below(output)
        .iter()
        .map(|path| relative(output, path))
        .filter(|path| !copied.contains(path))
        .collect();
    let exports = written
        .iter()
        .filter(|path| *path == "citations.json" || *path == "citations.bib")
        .count();
    assert_eq!(exports, 2, "{written:?}");
    assert!(html_files(output).len() < written.len());
    written.len()
}

/// `Built 4 briefs, 3 authors, 3 categories, 4 sources: 32 pages in <output> (12 ms)`, split
/// into the counts before the colon and the number of pages.
fn parse_summary(stdout: &str) -> (String, usize) {
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 1, "expected one summary line: {stdout:?}");
    let (counts, rest) = lines[0]
        .split_once(": ")
        .unwrap_or_else(|| panic!("no `: ` in {stdout:?}"));
    let pages = rest
        .strip_suffix(" ms)")
        .and_then(|_| rest.split_once(" pages in "))
        .and_then(|(n, _)| n.parse().ok())
        .unwrap_or_else(|| panic!("no page count in {stdout:?}"));
    (counts.to_owned(), pages)
}

#[test]
fn summary_line_counts_briefs_authors_categories_sources_and_pages() {
    let site = Site::fixture("basic");
    let run = site.build_ok(&[]);
    let (counts, pages) = parse_summary(&run.stdout);
    assert_eq!(counts, "Built 4 briefs, 3 authors, 3 categories, 4 sources");
    assert_eq!(pages, written_pages(&site, &site.public()));
    assert!(run.stdout.contains(&site.public().display().to_string()));
}

#[test]
fn summary_counts_drafts_when_they_are_built() {
    let site = Site::fixture("basic");
    let run = site.build_ok(&["--drafts"]);
    let (counts, pages) = parse_summary(&run.stdout);
    assert_eq!(counts, "Built 5 briefs, 3 authors, 3 categories, 4 sources");
    assert_eq!(pages, written_pages(&site, &site.public()));
}

#[test]
fn successful_build_prints_nothing_on_stderr_when_it_is_not_a_terminal() {
    let site = Site::fixture("basic");
    let run = site.build_ok(&[]);
    assert_eq!(run.stderr, "");
}

#[test]
fn output_flag_writes_the_site_to_that_folder() {
    let site = Site::fixture("basic");
    let elsewhere = tempfile::tempdir().expect("temporary folder");
    let output = elsewhere.path().join("deploy/harbor-notes");
    let run = site.build_ok(&["--output", output.to_str().expect("UTF-8 path")]);
    assert!(output.join("index.html").is_file());
    assert!(
        output
            .join("sanctions-enforcement-at-sea/index.html")
            .is_file()
    );
    assert!(
        !site.public().exists(),
        "the default output was written too"
    );
    assert!(run.stdout.contains(&output.display().to_string()));
    let (_, pages) = parse_summary(&run.stdout);
    assert_eq!(pages, written_pages(&site, &output));
}

#[test]
fn relative_output_folder_is_relative_to_the_working_directory() {
    let site = minimal_site();
    site.build_ok(&["--output", "out/site"]);
    assert!(site.path("out/site/index.html").is_file());
}

#[test]
fn root_defaults_to_the_working_directory() {
    let site = minimal_site();
    let output = Command::cargo_bin("dossier")
        .expect("the dossier binary")
        .arg("build")
        .current_dir(site.root())
        .output()
        .expect("run dossier");
    assert!(output.status.success(), "{output:?}");
    assert!(site.public().join("first-brief/index.html").is_file());
}

#[test]
fn quiet_prints_nothing_on_success() {
    for flag in ["--quiet", "-q"] {
        let site = Site::fixture("basic");
        let run = site.build_ok(&[flag]);
        assert_eq!(run.stdout, "", "{flag}");
        assert_eq!(run.stderr, "", "{flag}");
        assert!(site.public().join("index.html").is_file());
    }
}

#[test]
fn quiet_still_prints_errors() {
    let site = minimal_site().brief("broken.md", "+++\ntitle = \"Broken\n+++\n");
    let run = site.build(&["--quiet"]).failure();
    assert_eq!(run.stdout, "");
    run.stderr_has("error: briefs/broken.md:2:");
}

#[test]
fn verbose_prints_the_time_and_peak_memory_of_each_stage_on_stderr() {
    let site = Site::fixture("basic");
    let run = site.build_ok(&["--verbose"]);
    for stage in ["load", "resolve", "render", "swap"] {
        let line = run
            .stderr
            .lines()
            .find(|l| l.trim_start().starts_with(&format!("{stage}:")))
            .unwrap_or_else(|| panic!("no {stage} timing in {:?}", run.stderr));
        // `   render: 12 ms, peak memory 31 MB` (the memory where the system reports it).
        let (time, memory) = line
            .split_once(':')
            .map(|(_, rest)| rest.trim())
            .map(|rest| rest.split_once(", ").unwrap_or((rest, "")))
            .unwrap_or_else(|| panic!("not a timing: {line:?}"));
        let ms = time.strip_suffix(" ms").and_then(|n| n.parse::<u64>().ok());
        assert!(ms.is_some(), "not a timing: {line:?}");
        if cfg!(target_os = "linux") {
            let mb = memory
                .strip_prefix("peak memory ")
                .and_then(|m| m.strip_suffix(" MB"))
                .and_then(|n| n.parse::<u64>().ok());
            assert!(mb.is_some_and(|mb| mb > 0), "no peak memory: {line:?}");
        }
    }
    // And where the peak sits: `      peak: 31 MB, reached in render`.
    if cfg!(target_os = "linux") {
        let peak = run
            .stderr
            .lines()
            .find_map(|l| l.trim_start().strip_prefix("peak: "))
            .unwrap_or_else(|| panic!("no peak line in {:?}", run.stderr));
        let (mb, stage) = peak
            .split_once(" MB, reached in ")
            .unwrap_or_else(|| panic!("not a peak: {peak:?}"));
        assert!(mb.parse::<u64>().is_ok_and(|mb| mb > 0), "{peak:?}");
        assert!(
            ["check", "load", "resolve", "render", "swap"].contains(&stage),
            "{peak:?}"
        );
    }
    // How "cite this brief" entries were made: `      cite: 4 entries filled in from 1
    // templates, 1 formatted alone`. Every brief has one entry; these briefs' plain titles and
    // names take a template.
    let cite = run
        .stderr
        .lines()
        .find_map(|l| l.trim_start().strip_prefix("cite: "))
        .unwrap_or_else(|| panic!("no cite line in {:?}", run.stderr));
    let numbers: Vec<usize> = cite
        .split(|c: char| !c.is_ascii_digit())
        .filter_map(|n| n.parse().ok())
        .collect();
    let [filled, templates, alone] = numbers[..] else {
        panic!("not a cite line: {cite:?}")
    };
    assert!(
        filled > 0 && templates > 0 && templates <= filled,
        "{cite:?}"
    );
    // The summary is still printed, on stdout: `Built 4 briefs, ...`.
    let (counts, _) = parse_summary(&run.stdout);
    let briefs: usize = counts
        .strip_prefix("Built ")
        .and_then(|rest| rest.split_once(' '))
        .and_then(|(n, _)| n.parse().ok())
        .unwrap_or_else(|| panic!("no brief count in {counts:?}"));
    assert_eq!(filled + alone, briefs, "{cite:?}");
}

#[test]
fn missing_briefs_folder_is_an_error_with_a_hint() {
    let site = Site::new().file(
        "site.toml",
        "title = \"Harbor Notes\"\nbase_url = \"https://example.org/blog\"\n",
    );
    let run = site.build(&[]).failure();
    run.stderr_has("briefs").stderr_has("= help:");
    assert!(!site.public().exists());
}

#[test]
fn site_with_no_briefs_folder_content_still_builds() {
    let site = Site::new()
        .file(
            "site.toml",
            "title = \"Harbor Notes\"\nbase_url = \"https://example.org/blog\"\n",
        )
        .file("briefs/.gitkeep", "");
    let run = site.build_ok(&[]);
    let (counts, _) = parse_summary(&run.stdout);
    assert!(counts.starts_with("Built 0 briefs"), "{counts}");
    assert!(site.public().join("index.html").is_file());
    assert!(site.public().join("404.html").is_file());
}
