//! Client-side search: the index files the build writes, and the search page in headless Chromium
//! (Debian's `chromium`, driven by playwright-core through tests/browser/search.mjs) on a static
//! server under a path prefix. Without Node's playwright-core or Chromium a local run skips the
//! browser test with a message; under CI (`CI` set) a missing tool fails it.

mod common;

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

use common::{Site, count, the_attr};

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
    eprintln!("skipping: {missing:?} not installed (run `npm ci` and install chromium)");
    false
}

#[test]
fn the_build_writes_a_split_index_the_search_page_and_a_header_search_box() {
    let site = Site::fixture("basic");
    site.build_ok(&[]);
    let manifest: serde_json::Value =
        serde_json::from_str(&site.read("public/search/index.json")).unwrap();
    assert_eq!(manifest["docs"], 4, "published briefs only");
    let shards = manifest["shards"].as_array().unwrap();
    assert_eq!(shards.len(), 1);
    let shard: serde_json::Value =
        serde_json::from_str(&site.read("public/search/i/0.json")).unwrap();
    // "sanctions" is in the title, tags and body of one brief and the text of others.
    let postings = shard["sanctions"].as_array().unwrap();
    assert!(postings.len() >= 2 && postings.len() % 2 == 0);
    assert!(shard.get("the").is_none(), "stop words are left out");
    for b in 0..4 {
        let doc: serde_json::Value =
            serde_json::from_str(&site.read(&format!("public/search/d/{b}.json"))).unwrap();
        assert!(doc["url"].as_str().unwrap().starts_with("/blog/"));
        assert!(!doc["text"].as_str().unwrap().contains('<'), "plain text");
    }
    assert!(!site.path("public/search/d/4.json").exists());

    let search = site.page("search/");
    assert_eq!(
        the_attr(&search, "form[data-index]", "data-index"),
        "/blog/search/index.json"
    );
    assert_eq!(the_attr(&search, "script[src]", "src"), "/blog/search.js");
    assert_eq!(
        count(&search, "#site-search-query"),
        0,
        "one search box on the search page"
    );
    assert_eq!(the_attr(&search, "meta[name=robots]", "content"), "noindex");
    let home = site.page("");
    assert_eq!(
        the_attr(&home, "form.site-search", "action"),
        "/blog/search/"
    );
    assert_eq!(
        the_attr(&home, "label[for=site-search-query]", "class"),
        "visually-hidden"
    );
    assert!(site.path("public/search.js").is_file());
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
fn searching_in_a_real_browser_finds_highlights_and_fetches_only_what_it_needs() {
    let driver = repo().join("node_modules/playwright-core");
    if !tools_available(&[&driver, Path::new("/usr/bin/chromium")]) {
        return;
    }
    let site = Site::fixture("basic");
    let dir = tempfile::tempdir().unwrap();
    let (_server, port) = serve(dir.path());
    let base = format!("http://127.0.0.1:{port}/blog/");
    let output = dir.path().join("blog");
    site.build_ok(&[
        "--output",
        output.to_str().unwrap(),
        "--base-url",
        base.trim_end_matches('/'),
    ]);
    let result = Command::new("node")
        .arg(repo().join("tests/browser/search.mjs"))
        .arg("test")
        .arg(&base)
        .output()
        .expect("run node");
    assert!(
        result.status.success(),
        "browser checks failed:\n{}{}",
        String::from_utf8_lossy(&result.stdout),
        String::from_utf8_lossy(&result.stderr)
    );
}
