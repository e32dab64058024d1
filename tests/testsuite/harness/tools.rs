//! Real external tools for the tests that need them (the Nu HTML Checker, headless Chromium via
//! Node's playwright-core, a static file server, wrk). Those tests are `#[ignore = "needs ..."]`:
//! `cargo test` leaves them out and says so, and `.ci/run` installs the tools and runs them with
//! `--include-ignored`. Run that way, a missing tool fails the test: it is never a silent pass.

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
