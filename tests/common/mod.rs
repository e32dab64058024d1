//! Shared helpers for the integration tests: a site in a temporary folder (copied from a fixture
//! or written from inline strings), a way to run the real `dossier` binary on it, and small
//! `scraper` wrappers to read the pages it writes.

// Each test file uses a different subset of these helpers.
#![allow(dead_code)]

pub mod docx;
pub mod tools;

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use scraper::{ElementRef, Html, Selector};
use tempfile::TempDir;

/// A site folder that lives as long as the test.
pub struct Site {
    dir: TempDir,
}

impl Default for Site {
    fn default() -> Self {
        Self::new()
    }
}

impl Site {
    /// An empty site folder; add `site.toml` and briefs with `file` and `brief`.
    pub fn new() -> Site {
        let dir = tempfile::Builder::new()
            .prefix("dossier-test-")
            .tempdir()
            .expect("create a temporary folder");
        Site { dir }
    }

    /// A copy of `tests/fixtures/<name>/`.
    pub fn fixture(name: &str) -> Site {
        let site = Site::new();
        let source = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures")
            .join(name);
        assert!(source.is_dir(), "no fixture at {}", source.display());
        copy_dir(&source, site.root());
        site
    }

    /// Writes `rel` (relative to the site root), creating folders as needed.
    pub fn file(self, rel: &str, contents: &str) -> Site {
        self.write(rel, contents);
        self
    }

    /// Writes `briefs/<rel>`.
    pub fn brief(self, rel: &str, contents: &str) -> Site {
        self.write(&format!("briefs/{rel}"), contents);
        self
    }

    pub fn write(&self, rel: &str, contents: &str) {
        self.write_bytes(rel, contents.as_bytes());
    }

    pub fn write_bytes(&self, rel: &str, contents: &[u8]) {
        let path = self.path(rel);
        fs::create_dir_all(path.parent().expect("a parent folder")).expect("create folders");
        fs::write(&path, contents).unwrap_or_else(|e| panic!("write {}: {e}", path.display()));
    }

    pub fn read(&self, rel: &str) -> String {
        let path = self.path(rel);
        fs::read_to_string(&path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()))
    }

    pub fn remove(&self, rel: &str) {
        let path = self.path(rel);
        fs::remove_file(&path).unwrap_or_else(|e| panic!("remove {}: {e}", path.display()));
    }

    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    pub fn path(&self, rel: &str) -> PathBuf {
        self.root().join(rel)
    }

    /// The default output folder, `<root>/public`.
    pub fn public(&self) -> PathBuf {
        self.path("public")
    }

    /// Runs `dossier build --root <root> <args>` with the site root as working directory.
    pub fn build(&self, args: &[&str]) -> Run {
        let output = Command::cargo_bin("dossier")
            .expect("the dossier binary")
            .arg("build")
            .arg("--root")
            .arg(self.root())
            .args(args)
            .current_dir(self.root())
            .env_remove("RUST_BACKTRACE")
            .env("NO_COLOR", "1")
            .output()
            .expect("run dossier");
        Run {
            code: output.status.code(),
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        }
    }

    /// Builds and asserts success.
    pub fn build_ok(&self, args: &[&str]) -> Run {
        self.build(args).success()
    }

    /// The page at a URL path relative to the base path (`""` is the home page, `"a/"` is
    /// `public/a/index.html`, `"404.html"` is a file).
    pub fn page(&self, url: &str) -> String {
        self.page_in(&self.public(), url)
    }

    pub fn page_in(&self, output: &Path, url: &str) -> String {
        let path = output.join(page_file(url));
        fs::read_to_string(&path).unwrap_or_else(|e| panic!("read page {}: {e}", path.display()))
    }

    /// Whether the page at a URL path relative to the base path was written.
    pub fn has_page(&self, url: &str) -> bool {
        self.public().join(page_file(url)).is_file()
    }
}

/// The file of a page URL relative to the output folder.
pub fn page_file(url: &str) -> String {
    let url = url.trim_start_matches('/');
    if url.is_empty() || url.ends_with('/') {
        format!("{url}index.html")
    } else {
        url.to_owned()
    }
}

/// What a run of the binary did.
#[derive(Debug)]
pub struct Run {
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    pub fn success(self) -> Run {
        assert_eq!(
            self.code,
            Some(0),
            "dossier failed\n--- stdout\n{}\n--- stderr\n{}",
            self.stdout,
            self.stderr
        );
        self
    }

    pub fn failure(self) -> Run {
        assert_eq!(
            self.code,
            Some(1),
            "expected exit code 1\n--- stdout\n{}\n--- stderr\n{}",
            self.stdout,
            self.stderr
        );
        self
    }

    /// Asserts that stderr contains `needle`, showing stderr when it does not.
    pub fn stderr_has(&self, needle: &str) -> &Run {
        assert!(
            self.stderr.contains(needle),
            "stderr lacks {needle:?}\n--- stderr\n{}",
            self.stderr
        );
        self
    }
}

/// A small valid site: site.toml with one author, one brief. Base URL has the `/blog` prefix.
pub fn minimal_site() -> Site {
    Site::new()
        .file(
            "site.toml",
            r#"title = "Harbor Notes"
base_url = "https://example.org/blog"

[authors.daniel-osei]
name = "Daniel Osei"
"#,
        )
        .brief(
            "first-brief.md",
            "+++\ntitle = \"First Brief\"\ndate = 2022-08-11\nauthors = [\"daniel-osei\"]\n+++\n\nA short first paragraph.\n",
        )
}

/// Every file below `dir`, by `/`-separated relative path, with its bytes.
pub fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    files_below(dir)
        .into_iter()
        .map(|path| {
            let bytes = fs::read(&path).expect("read file");
            (relative(dir, &path), bytes)
        })
        .collect()
}

/// Every `.html` file below `dir`.
pub fn html_files(dir: &Path) -> Vec<PathBuf> {
    files_below(dir)
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "html"))
        .collect()
}

/// Every file below `dir`, sorted.
pub fn files_below(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(current) = stack.pop() {
        for entry in fs::read_dir(&current).expect("read folder") {
            let path = entry.expect("folder entry").path();
            if path.is_dir() {
                stack.push(path);
            } else {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}

/// Every folder below `dir` (not `dir` itself).
pub fn dirs_below(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(current) = stack.pop() {
        for entry in fs::read_dir(&current).expect("read folder") {
            let path = entry.expect("folder entry").path();
            if path.is_dir() {
                out.push(path.clone());
                stack.push(path);
            }
        }
    }
    out.sort();
    out
}

/// `path` relative to `base`, with `/` separators.
pub fn relative(base: &Path, path: &Path) -> String {
    path.strip_prefix(base)
        .expect("a path inside base")
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/")
}

/// Names of the entries of `dir` that start with `prefix`.
pub fn entries_starting_with(dir: &Path, prefix: &str) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .expect("read folder")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .filter(|name| name.starts_with(prefix))
        .collect();
    names.sort();
    names
}

/// Copies a fixture, leaving out what a build in place may have left in it (`public/` and the
/// `.dossier-cache/` of formatted citations), so that every test formats and writes afresh.
fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).expect("create folder");
    for entry in fs::read_dir(from).expect("read fixture folder") {
        let entry = entry.expect("fixture entry");
        if from.join("site.toml").is_file()
            && (entry.file_name() == ".dossier-cache" || entry.file_name() == "public")
        {
            continue;
        }
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), &target).expect("copy fixture file");
        }
    }
}

// --- HTML ---

pub fn selector(css: &str) -> Selector {
    Selector::parse(css).unwrap_or_else(|e| panic!("bad selector {css:?}: {e:?}"))
}

/// Text of an element with runs of white space collapsed to one space and trimmed.
pub fn text(element: ElementRef<'_>) -> String {
    element
        .text()
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// The (white-space normalized) text of every element matching `css`.
pub fn select_text(html: &str, css: &str) -> Vec<String> {
    let document = Html::parse_document(html);
    document.select(&selector(css)).map(text).collect()
}

/// The text of the only element matching `css`.
pub fn the_text(html: &str, css: &str) -> String {
    let found = select_text(html, css);
    assert_eq!(found.len(), 1, "expected one {css:?}, found {found:?}");
    found.into_iter().next().unwrap_or_default()
}

/// The value of `attr` on every element matching `css` that has it.
pub fn select_attr(html: &str, css: &str, attr: &str) -> Vec<String> {
    let document = Html::parse_document(html);
    document
        .select(&selector(css))
        .filter_map(|e| e.value().attr(attr).map(str::to_owned))
        .collect()
}

/// The value of `attr` on the only element matching `css`.
pub fn the_attr(html: &str, css: &str, attr: &str) -> String {
    let found = select_attr(html, css, attr);
    assert_eq!(
        found.len(),
        1,
        "expected one {css:?}[{attr}], found {found:?}"
    );
    found.into_iter().next().unwrap_or_default()
}

/// The inner HTML of every element matching `css`.
pub fn select_inner_html(html: &str, css: &str) -> Vec<String> {
    let document = Html::parse_document(html);
    document
        .select(&selector(css))
        .map(|e| e.inner_html())
        .collect()
}

/// How many elements match `css`.
pub fn count(html: &str, css: &str) -> usize {
    let document = Html::parse_document(html);
    document.select(&selector(css)).count()
}

/// Every `href` and `src` value in the page.
pub fn links(html: &str) -> Vec<String> {
    let document = Html::parse_document(html);
    let mut out = Vec::new();
    for element in document.select(&selector("[href], [src]")) {
        for attr in ["href", "src"] {
            if let Some(value) = element.value().attr(attr) {
                out.push(value.to_owned());
            }
        }
    }
    out
}

/// Every `id` in the page.
pub fn ids(html: &str) -> Vec<String> {
    select_attr(html, "[id]", "id")
}

// --- Diagnostics ---

/// One `error: ...` report parsed from stderr.
#[derive(Debug)]
pub struct Reported {
    /// The whole report: message line, snippet and hint.
    pub text: String,
    pub position: Option<(usize, usize)>,
    pub message: String,
    pub hint: Option<String>,
}

/// Every report in stderr about `file` (a path relative to the site root, as dossier shows it).
pub fn reports_about(stderr: &str, file: &str) -> Vec<Reported> {
    stderr
        .split("\n\n")
        .filter_map(|block| {
            let block = block.trim_matches('\n');
            let rest = block.strip_prefix("error: ")?.strip_prefix(file)?;
            let first_line = rest.lines().next().unwrap_or_default();
            let located = first_line
                .strip_prefix(':')
                .filter(|rest| rest.starts_with(|c: char| c.is_ascii_digit()));
            let (position, message) = match located {
                Some(located) => {
                    let mut parts = located.splitn(3, ':');
                    let line = parts.next()?.parse().ok()?;
                    let column = parts.next()?.parse().ok()?;
                    (Some((line, column)), parts.next()?.trim().to_owned())
                }
                None => (None, first_line.strip_prefix(": ")?.to_owned()),
            };
            let hint = block
                .lines()
                .find_map(|l| l.trim_start().strip_prefix("= help: "))
                .map(str::to_owned);
            Some(Reported {
                text: block.to_owned(),
                position,
                message,
                hint,
            })
        })
        .collect()
}

/// The only report about `file`.
pub fn report_about(stderr: &str, file: &str) -> Reported {
    let mut found = reports_about(stderr, file);
    assert_eq!(
        found.len(),
        1,
        "expected one report about {file}\n--- stderr\n{stderr}"
    );
    found.remove(0)
}
