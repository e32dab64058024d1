//! The fuzz targets' checks on stable: every seed under `fuzz/corpus/<target>/` and every input
//! that once crashed a target, under `fuzz/regressions/<target>/`, goes through the same function
//! the fuzzer calls (`fuzz/src/lib.rs`), with the same assertions.

use std::fs;
use std::panic;
use std::path::Path;

#[path = "../../fuzz/src/lib.rs"]
mod checks;

fn run(target: &str) {
    let (_, check) = checks::TARGETS
        .iter()
        .find(|(name, _)| *name == target)
        .unwrap_or_else(|| panic!("no fuzz target {target}"));
    let fuzz = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz");
    let mut failed = Vec::new();
    let mut seeds = 0;
    for folder in ["corpus", "regressions"] {
        let dir = fuzz.join(folder).join(target);
        let Ok(entries) = fs::read_dir(&dir) else {
            continue;
        };
        let mut files: Vec<_> = entries.filter_map(|e| Some(e.ok()?.path())).collect();
        files.sort();
        for file in files {
            let data = fs::read(&file).unwrap_or_else(|err| panic!("{}: {err}", file.display()));
            if folder == "corpus" {
                seeds += 1;
            }
            if panic::catch_unwind(|| check(&data)).is_err() {
                failed.push(format!("{folder}/{target}/{}", display_name(&file)));
            }
        }
    }
    assert!(seeds > 0, "no seeds in fuzz/corpus/{target}");
    assert!(failed.is_empty(), "failed the {target} checks: {failed:#?}");
}

fn display_name(file: &Path) -> String {
    file.file_name()
        .map(|name| name.to_string_lossy().into_owned())
        .unwrap_or_default()
}

#[test]
fn every_target_has_a_test() {
    let tests = include_str!("fuzz_regressions.rs");
    for (target, _) in checks::TARGETS {
        assert!(
            tests.contains(&format!("run(\"{target}\")")),
            "add a test for {target}"
        );
    }
}

#[test]
fn front_matter() {
    run("front_matter");
}

#[test]
fn citation_markers() {
    run("citation_markers");
}

#[test]
fn markdown_body() {
    run("markdown_body");
}

#[test]
fn markdown_untrusted() {
    run("markdown_untrusted");
}

#[test]
fn bibtex() {
    run("bibtex");
}

#[test]
fn csl_json() {
    run("csl_json");
}

#[test]
fn serve_paths() {
    run("serve_paths");
}
