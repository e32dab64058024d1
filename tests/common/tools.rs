//! Real external tools for the tests that need them (the Nu HTML Checker, headless Chromium via
//! Node's playwright-core, a static file server). Without them a local run skips with a message;
//! under CI (`CI` set, as `.ci/run` does after installing them) a missing tool fails the test.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

/// The repository's folder.
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Whether the tools exist; panics under CI when they do not.
pub fn tools_available(paths: &[&Path]) -> bool {
    let missing: Vec<_> = paths.iter().filter(|p| !p.exists()).collect();
    if missing.is_empty() {
        return true;
    }
    assert!(
        std::env::var_os("CI").is_none(),
        "CI must install {missing:?} (see .ci/run)"
    );
    eprintln!("skipping: {missing:?} not installed (run `npm ci` and install java and chromium)");
    false
}

/// Headless Chromium driven by playwright-core, if both are installed.
pub fn browser_available() -> bool {
    let driver = repo().join("node_modules/playwright-core");
    tools_available(&[&driver, Path::new("/usr/bin/chromium")])
}

/// A static file server, stopped when dropped.
pub struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Serves `dir` over HTTP on a free loopback port (Python's http.server, as any static host
/// would serve the output).
pub fn static_server(dir: &Path) -> (Server, u16) {
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
    (Server(child), port)
}
