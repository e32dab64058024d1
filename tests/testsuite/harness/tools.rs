//! Real external tools for the tests that need them (the Nu HTML Checker, headless Chromium via
//! Node's playwright-core, a static file server, wrk). Those tests are `#[ignore = "needs ..."]`:
//! `cargo test` leaves them out and says so, and `.ci/run` installs the tools and runs them with
//! `--include-ignored`. Run that way, a missing tool fails the test: it is never a silent pass.

use std::ffi::OsStr;
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

use super::repo;

/// Fails the test unless every one of `paths` exists.
pub fn require(paths: &[&Path]) {
    let missing: Vec<_> = paths.iter().filter(|p| !p.exists()).collect();
    assert!(
        missing.is_empty(),
        "{missing:?} not installed: run `npm ci` and install java, chromium and wrk (see .ci/run)"
    );
}

/// Headless Chromium driven by playwright-core.
pub fn require_browser() {
    let driver = repo().join("node_modules/playwright-core");
    require(&[&driver, Path::new("/usr/bin/chromium")]);
}

/// An executable on `PATH`, or a failed test.
pub fn require_program(name: &str) -> PathBuf {
    std::env::var_os("PATH")
        .and_then(|path| {
            std::env::split_paths(&path)
                .map(|dir| dir.join(name))
                .find(|p| p.is_file())
        })
        .unwrap_or_else(|| panic!("{name} is not installed (see .ci/run)"))
}

/// A static file server, stopped when dropped.
pub struct StaticServer(Child);

impl Drop for StaticServer {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Serves `dir` over HTTP on a free loopback port (Python's http.server, as any static host
/// would serve the output).
pub fn static_server(dir: &Path) -> (StaticServer, u16) {
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let child = Command::new("python3")
        .args([
            "-m",
            "http.server",
            "--bind",
            "127.0.0.1",
            &port.to_string(),
            "--directory",
        ])
        .arg(dir)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start python3 -m http.server");
    for _ in 0..100 {
        if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    (StaticServer(child), port)
}

/// A static host for a browser test: a temporary folder served over HTTP, into which a site is
/// built under `/<prefix>/`, as a host serves a site published under a path. Stopped when dropped.
pub struct Hosted {
    /// `http://127.0.0.1:<port>/<prefix>/`
    pub base: String,
    /// Where to build the site: `<folder>/<prefix>`.
    pub output: PathBuf,
    _server: StaticServer,
    _dir: tempfile::TempDir,
}

impl Hosted {
    /// `base` without its final slash, for `--base-url`.
    pub fn base_url(&self) -> &str {
        self.base.trim_end_matches('/')
    }

    /// `output` as a command-line argument.
    pub fn output_arg(&self) -> &str {
        self.output
            .to_str()
            .expect("a temporary folder's path is UTF-8")
    }
}

/// A static host under `/<prefix>/` for a test in headless Chromium (which it requires).
pub fn hosted(prefix: &str) -> Hosted {
    require_browser();
    let dir = tempfile::tempdir().unwrap();
    let (server, port) = static_server(dir.path());
    Hosted {
        base: format!("http://127.0.0.1:{port}/{prefix}/"),
        output: dir.path().join(prefix),
        _server: server,
        _dir: dir,
    }
}

/// Runs the browser checks `tests/browser/<script>` with `args` in Node; fails the test with their
/// output, and `context` (e.g. a server's log), unless they pass.
pub fn browser_checks<A: AsRef<OsStr>>(script: &str, args: &[A], context: &str) {
    let result = Command::new("node")
        .arg(repo().join("tests/browser").join(script))
        .args(args)
        .output()
        .expect("run node");
    assert!(
        result.status.success(),
        "browser checks failed:\n{}{}{context}",
        String::from_utf8_lossy(&result.stdout),
        String::from_utf8_lossy(&result.stderr)
    );
}
