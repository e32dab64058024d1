//! `dossier serve` before its first build is done: a request waits for the site to load, then the
//! page it asks for is rendered on its own while the other pages wait, with the bytes the build
//! makes. The first build is held back (`DOSSIER_SERVE_HOLD_FIRST_BUILD_MS`) so that the requests
//! surely come before it is done; timing is measured by bench/serve.sh, not here.

use std::time::Duration;

use crate::harness::Site;
use crate::harness::serve::{Response, Server, without_live_reload};
use crate::serve::built_for;

const HOLD: &str = "DOSSIER_SERVE_HOLD_FIRST_BUILD_MS";

#[test]
fn pages_asked_for_before_the_first_build_is_done_are_the_pages_it_makes() {
    let mut server = Server::serve_at_once(Site::fixture("basic"), &[], &[(HOLD, "4000")]);
    // Asked for at once: the home page, a brief, a source, an author's page, a feed, a page that
    // does not exist, a folder without its slash, and the search index (which waits).
    let early = [
        ("", 200),
        ("ageing-workforce/", 200),
        ("citations/s-res-2397/", 200),
        ("authors/daniel-osei/", 200),
        ("atom.xml", 200),
        ("no-such-page/", 404),
    ];
    let mut answers = Vec::new();
    for (rel, status) in early {
        let response = server.get(rel);
        assert_eq!(response.status, status, "{rel}: {}", response.text());
        answers.push((rel, response));
    }
    let folder = server.get("ageing-workforce");
    assert_eq!(folder.status, 302);
    assert_eq!(
        folder.header("location"),
        Some(server.site_path("ageing-workforce/").as_str())
    );
    // All of them before the first build was done.
    assert!(
        !server.stdout().contains("Built "),
        "the first build was done before the requests:\n{}",
        server.stdout()
    );

    let manifest = server.get("search/index.json");
    assert_eq!(manifest.status, 200);
    server.wait_for_stdout("Built ");

    assert_served_as_built(&server, &answers);
    let built = built_for(&server);
    assert_eq!(
        manifest.text(),
        String::from_utf8_lossy(&built["search/index.json"])
    );
}

#[test]
fn an_edit_made_while_the_first_build_renders_reloads_once_it_is_done() {
    let mut server = Server::serve_at_once(Site::fixture("basic"), &[], &[(HOLD, "2000")]);
    assert_eq!(server.get("ageing-workforce/").status, 200);
    let events = server.events();
    let text = server.read("briefs/ageing-workforce.md");
    server.write(
        "briefs/ageing-workforce.md",
        &text.replace("have filled the gap", "have lately filled the gap"),
    );
    let brief_path = server.site_path("ageing-workforce/");
    events.next_matching("reload", |d| d.contains(&brief_path));
    assert!(server.stdout().contains("Built "));
    server.wait_for_stdout("briefs/ageing-workforce.md: ");
    assert!(
        server
            .get("ageing-workforce/")
            .text()
            .contains("lately filled")
    );
    let later = events.drain(Duration::from_millis(300));
    assert!(
        later.iter().all(|(event, _)| event != "overlay"),
        "{later:?}"
    );
}

#[test]
fn a_site_that_fails_its_first_build_serves_no_page_rendered_early() {
    // The brief cites a source nobody defines: the site loads nothing, and every request waits
    // for the first build's verdict rather than getting a page.
    let site = Site::fixture("basic");
    let text = site.read("briefs/ageing-workforce.md");
    site.write(
        "briefs/ageing-workforce.md",
        &format!(
            "{}\nAs argued elsewhere [@nobody-defines-this].\n",
            text.trim_end()
        ),
    );
    let mut server = Server::serve_at_once(site, &[], &[(HOLD, "2000")]);
    let response = server.get("");
    assert_eq!(response.status, 503);
    assert!(response.text().contains("nobody-defines-this"));
    server.wait_for_stderr("nobody-defines-this");
}

#[test]
fn pages_without_citations_are_served_while_the_citations_are_formatted() {
    // The first build is held after loading, before it formats a single citation: the home
    // page, listings and archives show none, and come from the site as loaded; a brief waits for
    // its citations.
    let mut server = Server::serve_at_once(
        Site::fixture("basic"),
        &["--verbose"],
        &[("DOSSIER_SERVE_HOLD_CITATIONS_MS", "5000")],
    );
    let early = [
        "",
        "archive/",
        "categories/",
        "categories/society/",
        "tags/labor/",
        "authors/",
    ];
    let mut answers = Vec::new();
    for rel in early {
        let response = server.get(rel);
        assert_eq!(response.status, 200, "{rel}: {}", response.text());
        answers.push((rel, response));
    }
    assert!(
        !server.stderr().contains("citations:"),
        "the citations were formatted before the requests:\n{}",
        server.stderr()
    );

    let brief = server.get("ageing-workforce/");
    assert_eq!(brief.status, 200);
    server.wait_for_stderr("citations:");
    answers.push(("ageing-workforce/", brief));
    server.wait_for_stdout("Built ");

    assert_served_as_built(&server, &answers);
}

/// Each page served before the first build was done is the file `dossier build` writes for its
/// path, and the first build kept it: the same bytes and the same ETag again.
fn assert_served_as_built(server: &Server, answers: &[(&str, Response)]) {
    let built = built_for(server);
    for (rel, response) in answers {
        let file = if rel.is_empty() || rel.ends_with('/') {
            if response.status == 404 {
                "404.html".to_owned()
            } else {
                format!("{rel}index.html")
            }
        } else {
            (*rel).to_owned()
        };
        let expected = String::from_utf8_lossy(&built[&file]);
        assert_eq!(
            without_live_reload(&response.text()),
            expected,
            "{rel} served early differs from the build"
        );
        let again = server.get(rel);
        assert_eq!(again.body, response.body, "{rel}");
        assert_eq!(again.header("etag"), response.header("etag"), "{rel}");
    }
}
