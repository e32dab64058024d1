//! Live reload end to end in headless Chromium (Debian's `chromium`, driven by playwright-core
//! through tests/browser/serve.mjs): a brief open in the browser shows an edit of its Markdown file
//! without any action, shows the error overlay when the file breaks, and recovers when it is fixed.
//! Needs Node's playwright-core and Chromium: ignored by a plain `cargo test`, run by `.ci/run`.

use std::process::Command;

use crate::harness::repo;
use crate::harness::serve::Server;
use crate::harness::tools::require_browser;

#[test]
#[ignore = "needs chromium"]
fn a_page_open_in_the_browser_updates_itself_after_the_markdown_changes() {
    require_browser();
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
