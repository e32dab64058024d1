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
    // page, listings and archives show none, and come from the site as loaded; a brief, a source
    // and an author (the sources they cite most) format their own; the citation index waits for
    // the site's citations.
    let mut server = serve_holding_citations(Site::fixture("basic"), "5000");
    let early = [
        "",
        "archive/",
        "categories/",
        "categories/society/",
        "tags/labor/",
        "authors/",
        "ageing-workforce/",
        "citations/s-res-2397/",
        "authors/daniel-osei/",
    ];
    let mut answers = served_before_the_citations(&server, &early, "basic");

    let index = server.get("citations/");
    assert_eq!(index.status, 200);
    server.wait_for_stderr("citations:");
    answers.push(("citations/", index));
    server.wait_for_stdout("Built ");

    assert_served_as_built(&server, &answers);
}

/// Six works by three authors: two by Kim in the same year, which an author-date style tells
/// apart only when it formats them together ("2019a", "2019b"), and an older one that comes first
/// by date but last by title.
const WORKS: &str = r#"
@report{kim2019coast, author = {Kim, Soo-jin}, title = {Coastal Patrols and the Law of the Sea},
  date = {2019}, institution = {Strait Policy Institute}}
@report{kim2019fish, author = {Kim, Soo-jin}, title = {Fisheries Enforcement in Contested Waters},
  date = {2019}, institution = {Strait Policy Institute}}
@book{kim2021, author = {Kim, Soo-jin}, title = {Maritime Militias}, date = {2021},
  publisher = {Harbor Press}}
@book{kim2015, author = {Kim, Soo-jin}, title = {Tidal Borders}, date = {2015},
  publisher = {Harbor Press}}
@book{abe2016, author = {Abe, Kenji}, title = {Naval Doctrine after the Cold War}, date = {2016},
  publisher = {Meridian University Press}}
@article{ortiz2020, author = {Ortiz, Lucía}, title = {Who Pays for the Coast Guard?},
  journaltitle = {Ocean Governance Review}, volume = {12}, date = {2020}, pages = {1--30}}
"#;

/// Three briefs by one author. The newest cites only one of Kim's 2019 works, out of bibliography
/// order, with repeated, plural and footnoted citations; the others cite the other forms of the
/// same sources. Four sources are cited twice, two once: the author's page shows five, the
/// last two in the style's bibliography order.
const BRIEFS: [(&str, &str); 3] = [
    (
        "patrols.md",
        "+++\ntitle = \"Patrols at Sea\"\ndate = 2024-03-01\nauthors = [\"elena-marsh\"]\n+++\n\
         Budgets for patrols grew [@ortiz2020, 4]. Coast guards now train together \
         [@kim2019coast, 12-14], and share their logs [@kim2019coast, 12-14]. Doctrine followed \
         [@abe2016; @kim2021, chap. 3]. Costs still fall unevenly [@ortiz2020].[^cost]\n\n\
         [^cost]: Some ministries report them apart [see @kim2019coast, 30].\n",
    ),
    (
        "fisheries.md",
        "+++\ntitle = \"Fisheries Enforcement\"\ndate = 2024-02-01\nauthors = [\"elena-marsh\"]\n+++\n\
         Boardings rose [@kim2019fish, 7]. Patrols made them possible [@kim2019coast, 3]. \
         Doctrine lags [-@abe2016, 88].\n",
    ),
    (
        "militias.md",
        "+++\ntitle = \"Maritime Militias\"\ndate = 2023-11-20\nauthors = [\"elena-marsh\"]\n+++\n\
         Militias blur the line [@kim2021; @kim2015]. Their funding is opaque [@ortiz2020, 8-9].\n",
    ),
];

/// Brief, source and author pages asked for while the citations are held back come at once,
/// with their own citations formatted, and are the pages the build makes, in `style`.
fn brief_pages_come_before_the_citations(style: &str) {
    let mut site = Site::new()
        .file(
            "site.toml",
            &format!(
                "title = \"Harbor Notes\"\nbase_url = \"https://example.org/blog\"\n\n\
                 [authors.elena-marsh]\nname = \"Elena Marsh\"\n\n\
                 [citations]\nstyle = \"{style}\"\nbibliography = [\"works.bib\"]\n"
            ),
        )
        .file("works.bib", WORKS);
    for (file, text) in BRIEFS {
        site = site.brief(file, text);
    }
    let mut server = serve_holding_citations(site, "6000");
    let pages = [
        "patrols/",
        "fisheries/",
        "militias/",
        "citations/kim2019coast/",
        "citations/kim2021/",
        "authors/elena-marsh/",
    ];
    let answers = served_before_the_citations(&server, &pages, style);
    if style == "apa" {
        // Told apart from the work the brief does not cite, on its page and the source's.
        for (rel, response) in [&answers[0], &answers[3]] {
            assert!(
                response.text().contains("2019a"),
                "{rel}: {}",
                response.text()
            );
        }
    }
    server.wait_for_stdout("Built ");
    assert_served_as_built(&server, &answers);
}

#[test]
fn brief_pages_come_before_the_citations_in_a_note_style() {
    brief_pages_come_before_the_citations("chicago-notes");
}

#[test]
fn brief_pages_come_before_the_citations_in_an_author_date_style() {
    brief_pages_come_before_the_citations("apa");
}

#[test]
fn brief_pages_come_before_the_citations_in_a_numeric_style() {
    brief_pages_come_before_the_citations("ieee");
}

#[test]
fn brief_pages_come_before_the_citations_with_a_repeated_author_dash() {
    brief_pages_come_before_the_citations("mla");
}

/// Serves `site` at once, verbose, its citations formatted only after `hold_ms` milliseconds.
fn serve_holding_citations(site: Site, hold_ms: &str) -> Server {
    Server::serve_at_once(
        site,
        &["--verbose"],
        &[("DOSSIER_SERVE_HOLD_CITATIONS_MS", hold_ms)],
    )
}

/// Asks for `pages`, each of which must be served (200) before the site's citations are formatted
/// (`serve -v` prints its `citations:` line then); `label` names the run in messages.
fn served_before_the_citations<'a>(
    server: &Server,
    pages: &[&'a str],
    label: &str,
) -> Vec<(&'a str, Response)> {
    let answers: Vec<(&str, Response)> = pages
        .iter()
        .map(|&rel| {
            let response = server.get(rel);
            assert_eq!(response.status, 200, "{label} {rel}: {}", response.text());
            (rel, response)
        })
        .collect();
    assert!(
        !server.stderr().contains("citations:"),
        "{label}: the citations were formatted before the requests:\n{}",
        server.stderr()
    );
    answers
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
