//! The example site checked by real tools: the Nu HTML Checker and headless Chromium.
//! These need Java, Node and Chromium: ignored by a plain `cargo test`, run by `.ci/run` (which
//! installs them) with `--include-ignored`.

use std::path::Path;
use std::process::Command;

use crate::harness::repo;
use crate::harness::tools::{browser_checks, hosted, require};

/// Builds the example site into `output` for `base_url`.
fn build_example(output: &Path, base_url: &str) {
    let status = crate::harness::dossier()
        .args(["build", "--quiet", "--root"])
        .arg(repo())
        .arg("--output")
        .arg(output)
        .args(["--base-url", base_url])
        .status()
        .expect("run dossier");
    assert!(status.success());
}

#[test]
#[ignore = "needs java"]
fn every_page_of_the_example_site_passes_the_nu_html_checker() {
    let jar = repo().join("node_modules/vnu-jar/build/dist/vnu.jar");
    require(&[&jar, Path::new("/usr/bin/java")]);
    let dir = tempfile::tempdir().unwrap();
    let output = dir.path().join("public");
    build_example(&output, "https://example.org/the-peninsula");
    let result = Command::new("java")
        .arg("-jar")
        .arg(&jar)
        .args(["--errors-only", "--skip-non-html"])
        .arg(&output)
        .output()
        .expect("run the Nu HTML Checker");
    let report = String::from_utf8_lossy(&result.stderr);
    assert!(
        result.status.success() && report.trim().is_empty(),
        "validator errors:\n{report}"
    );
}

#[test]
#[ignore = "needs chromium"]
fn the_theme_works_in_a_real_browser() {
    let host = hosted("the-peninsula");
    build_example(&host.output, host.base_url());
    browser_checks("theme.mjs", &[&host.base, "korea-chip-exports-2023/"], "");
}
