//! The one harness of the integration tests: a site in a temporary folder (copied from a fixture
//! or written from inline strings), the real `dossier` binary run on it with a deadline, and
//! readers of what it wrote (`html`), reported (`reports`) and served (`serve`). `tools` starts the
//! external tools a few tests need; `docx` writes Word documents for the import tests.

// Each test module uses a different subset of these helpers.
#![allow(dead_code)]

pub mod docx;
mod html;
pub mod payloads;
mod reports;
pub mod serve;
pub mod tools;

pub use html::*;
pub use reports::*;

use std::collections::BTreeMap;
use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use tempfile::TempDir;

/// How long anything may take on a loaded machine before a test gives up: no build of a test
/// site takes near this long, so one that does has hung.
pub const PATIENCE: Duration = Duration::from_secs(120);

/// Fails the test, showing `haystack`, unless it contains every one of `needles`.
pub fn assert_contains(haystack: &str, needles: &[&str]) {
    for needle in needles {
        assert!(
            haystack.contains(needle),
            "missing {needle:?} in\n{haystack}"
        );
    }
}

/// The repository's folder.
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A site folder that lives as long as the test. The site is `<world>/site/`, inside a temporary
/// "world" folder of its own, so that tests can put files beside it and see writes outside it.
pub struct Site {
    dir: TempDir,
    root: PathBuf,
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
        let root = dir.path().join("site");
        fs::create_dir(&root).expect("create the site folder");
        Site { dir, root }
    }

    /// A copy of `tests/fixtures/<name>/`.
    pub fn fixture(name: &str) -> Site {
        let site = Site::new();
        let source = repo().join("tests/fixtures").join(name);
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
        &self.root
    }

    /// The temporary folder the site folder is in: room for files outside the site.
    pub fn world(&self) -> &Path {
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
        let mut all = vec!["build", "--root"];
        let root = self.root().to_str().expect("a UTF-8 temporary path");
        all.push(root);
        all.extend_from_slice(args);
        run(self.root(), &all)
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
    pub took: Duration,
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

/// The `dossier` binary, for tests that drive it themselves.
pub fn dossier() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_dossier"));
    command.env_remove("RUST_BACKTRACE").env("NO_COLOR", "1");
    command
}

/// Runs `dossier <args>` in `cwd`, reading its output as it comes (a full pipe would block it),
/// and fails the test if it runs longer than `PATIENCE` (it hung) or dies of a signal (a stack
/// overflow aborts, with no exit code).
pub fn run(cwd: &Path, args: &[&str]) -> Run {
    let started = Instant::now();
    let mut child = dossier()
        .args(args)
        .current_dir(cwd)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start dossier");
    let reader = |mut pipe: Box<dyn Read + Send>| {
        std::thread::spawn(move || {
            let mut bytes = Vec::new();
            let _ = pipe.read_to_end(&mut bytes);
            String::from_utf8_lossy(&bytes).into_owned()
        })
    };
    let stdout = reader(Box::new(child.stdout.take().expect("stdout")));
    let stderr = reader(Box::new(child.stderr.take().expect("stderr")));
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait for dossier") {
            break status;
        }
        if started.elapsed() > PATIENCE {
            let _ = child.kill();
            let _ = child.wait();
            panic!("dossier {args:?} hung: still running after {PATIENCE:?}");
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    let run = Run {
        code: status.code(),
        stdout: stdout.join().unwrap_or_default(),
        stderr: stderr.join().unwrap_or_default(),
        took: started.elapsed(),
    };
    #[cfg(unix)]
    {
        use std::os::unix::process::ExitStatusExt;
        assert!(
            status.signal().is_none(),
            "dossier was killed by signal {:?} (a stack overflow aborts)\n{}",
            status.signal(),
            run.stderr
        );
    }
    run
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
pub fn copy_dir(from: &Path, to: &Path) {
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
