//! The example site checked by real tools: the Nu HTML Checker and headless Chromium.
//! These need Java, Node and Chromium: ignored by a plain `cargo test`, run by `.ci/run` (which
//! installs them) with `--include-ignored`.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::harness::repo;
use crate::harness::tools::{require, require_browser, static_server};

/// Builds the example site into `<dir>/<prefix>` for `base_url`.
fn build_example(dir: &Path, base_url: &str, prefix: &str) -> PathBuf {
    let output = dir.join(prefix);
    let status = crate::harness::dossier()
        .args(["build", "--quiet", "--root"])
        .arg(repo())
        .arg("--output")
        .arg(&output)
        .args(["--base-url", base_url])
        .status()
        .expect("run dossier");
    assert!(status.success());
    output
}

#[test]
#[ignore = "needs java"]
fn every_page_of_the_example_site_passes_the_nu_html_checker() {
    let jar = repo().join("node_modules/vnu-jar/build/dist/vnu.jar");
    require(&[&jar, Path::new("/usr/bin/java")]);
    let dir = tempfile::tempdir().unwrap();
    let output = build_example(dir.path(), "https://example.org/the-peninsula", "public");
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
    require_browser();
    let dir = tempfile::tempdir().unwrap();
    let (_server, port) = static_server(dir.path());
    let base = format!("http://127.0.0.1:{port}/the-peninsula/");
    build_example(dir.path(), base.trim_end_matches('/'), "the-peninsula");
    let result = Command::new("node")
        .arg(repo().join("tests/browser/theme.mjs"))
        .arg(&base)
        .arg("korea-chip-exports-2023/")
        .output()
        .expect("run node");
    assert!(
        result.status.success(),
        "browser checks failed:\n{}{}",
        String::from_utf8_lossy(&result.stdout),
        String::from_utf8_lossy(&result.stderr)
    );
}
