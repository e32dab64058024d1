//! Live reload end to end in headless Chromium (Debian's `chromium`, driven by playwright-core
//! through tests/browser/serve.mjs): a brief open in the browser shows an edit of its Markdown file
//! without any action, shows the error overlay when the file breaks, and recovers when it is fixed.
//! Without Node's playwright-core or Chromium a local run skips with a message; under CI (`CI`
//! set) a missing tool fails the test.

mod common;
mod serve_support;

use std::process::Command;

use common::tools::browser_available;
use serve_support::{Server, repo};

#[test]
fn a_page_open_in_the_browser_updates_itself_after_the_markdown_changes() {
    if !browser_available() {
        return;
    }
    let server = Server::start("basic", &[]);
    let result = Command::new("node")
        .arg(repo().join("tests/browser/serve.mjs"))
        .arg(format!("{}ageing-workforce/", server.url))
        .arg(server.path("briefs/ageing-workforce.md"))
        .output()
        .expect("run node");
    assert!(
        result.status.success(),
        "browser checks failed:\n{}{}\nserver output:\n{}\n{}",
        String::from_utf8_lossy(&result.stdout),
        String::from_utf8_lossy(&result.stderr),
        server.stdout(),
        server.stderr()
    );
}
