//! Live reload end to end in headless Chromium (Debian's `chromium`, driven by playwright-core
//! through tests/browser/serve.mjs): a brief open in the browser shows an edit of its Markdown file
//! without any action, shows the error overlay when the file breaks, and recovers when it is fixed.
//! Needs Node's playwright-core and Chromium: ignored by a plain `cargo test`, run by `.ci/run`.

use crate::harness::serve::Server;
use crate::harness::tools::{browser_checks, require_browser};

#[test]
#[ignore = "needs chromium"]
fn a_page_open_in_the_browser_updates_itself_after_the_markdown_changes() {
    require_browser();
    let server = Server::start("basic", &[]);
    browser_checks(
        "serve.mjs",
        &[
            format!("{}ageing-workforce/", server.url),
            server
                .path("briefs/ageing-workforce.md")
                .display()
                .to_string(),
        ],
        &format!("\nserver output:\n{}\n{}", server.stdout(), server.stderr()),
    );
}
