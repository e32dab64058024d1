//! The example site checked by real tools: the Nu HTML Checker and headless Chromium.
//! These need Java, Node and Chromium (`.ci/run` installs them). Without them a local run skips
//! with a message; under CI (`CI` set) a missing tool fails the test.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Whether the tools exist; panics under CI when they do not.
fn tools_available(paths: &[&Path]) -> bool {
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

/// Builds the example site into `<dir>/<prefix>` for `base_url`.
fn build_example(dir: &Path, base_url: &str, prefix: &str) -> PathBuf {
    let output = dir.join(prefix);
    let status = Command::new(env!("CARGO_BIN_EXE_dossier"))
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
fn every_page_of_the_example_site_passes_the_nu_html_checker() {
    let jar = repo().join("node_modules/vnu-jar/build/dist/vnu.jar");
    if !tools_available(&[&jar, Path::new("/usr/bin/java")]) {
        return;
    }
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

struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Serves `dir` over HTTP on a free loopback port.
fn serve(dir: &Path) -> (Server, u16) {
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

#[test]
fn the_theme_works_in_a_real_browser() {
    let driver = repo().join("node_modules/playwright-core");
    if !tools_available(&[&driver, Path::new("/usr/bin/chromium")]) {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let (_server, port) = serve(dir.path());
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
