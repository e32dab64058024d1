//! `dossier serve`: the real binary on a copy of a fixture site, on a free port. Pages and static
//! files, live reload after edits, the error overlay and recovery, drafts, path confinement,
//! methods, ETags, many connections, ports, Ctrl-C, and that the site served after a series of
//! edits is exactly the one `dossier build` makes.

use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::time::{Duration, Instant};

use crate::harness::Site;
use crate::harness::serve::{Server, http, without_live_reload};

const BRIEF: &str = "briefs/ageing-workforce.md";
const BRIEF_URL: &str = "ageing-workforce/";

#[test]
fn serves_pages_static_files_and_the_sites_404_page() {
    let server = Server::start("basic", &[]);
    assert_eq!(server.base_path, "/blog/");
    let home = server.get("");
    assert_eq!(home.status, 200);
    assert_eq!(
        home.header("content-type"),
        Some("text/html; charset=utf-8")
    );
    assert!(home.text().contains("Harbor Notes"));
    assert!(home.text().contains("<script id=\"dossier-live-reload\">"));
    assert!(home.header("etag").is_some());

    let brief = server.get(BRIEF_URL);
    assert_eq!(brief.status, 200);
    assert!(
        brief
            .text()
            .contains("An Ageing Workforce and the Factory Floor")
    );
    // Links and permalinks point at the preview, not at the published site.
    assert!(brief.text().contains(&format!(
        "http://127.0.0.1:{}/blog/ageing-workforce/",
        server.port
    )));

    let css = server.get("style.css");
    assert_eq!(css.status, 200);
    assert_eq!(css.header("content-type"), Some("text/css; charset=utf-8"));
    let svg = server.get("images/tanker-at-sea.svg");
    assert_eq!(svg.status, 200);
    assert_eq!(svg.header("content-type"), Some("image/svg+xml"));
    assert!(svg.header("last-modified").is_some());

    let missing = server.get("no-such-brief/");
    assert_eq!(missing.status, 404);
    let not_found_page = server.get("404.html");
    assert_eq!(
        without_live_reload(&missing.text()),
        without_live_reload(&not_found_page.text()),
        "a missing page is answered with the site's own 404 page"
    );
    // No directory listings: a folder of static files is not a page.
    assert_eq!(server.get("images/").status, 404);

    let folder = server.get("ageing-workforce");
    assert_eq!(folder.status, 302);
    assert_eq!(folder.header("location"), Some("/blog/ageing-workforce/"));
    let root = server.request("GET", "/");
    assert_eq!(root.status, 302);
    assert_eq!(root.header("location"), Some("/blog/"));
    let index = server.get("ageing-workforce/index.html");
    assert_eq!(index.status, 200);

    // Files that are not HTML pages are served as written: no reload script in a feed or in the
    // search index (whose shards are gzip, which search.js inflates).
    let feed = server.get("atom.xml");
    assert_eq!(feed.header("content-type"), Some("application/xml"));
    assert!(!feed.text().contains("dossier-live-reload"));
    assert!(feed.text().trim_end().ends_with("</feed>"));
    let manifest = server.get("search/index.json");
    assert_eq!(manifest.header("content-type"), Some("application/json"));
    let manifest: serde_json::Value = serde_json::from_slice(&manifest.body).unwrap();
    assert!(manifest["docs"].as_u64().unwrap() > 0);
    let shard = server.get("search/i/0.json.gz");
    assert_eq!(shard.header("content-type"), Some("application/gzip"));
    let mut json = String::new();
    flate2::read::GzDecoder::new(&shard.body[..])
        .read_to_string(&mut json)
        .unwrap();
    assert!(serde_json::from_str::<serde_json::Value>(&json).is_ok());
}

#[test]
fn etags_head_and_methods() {
    let server = Server::start("basic", &[]);
    for rel in [BRIEF_URL, "style.css", "images/tanker-at-sea.svg"] {
        let first = server.get(rel);
        let etag = first.header("etag").expect("an ETag").to_owned();
        let again = server.raw(&format!(
            "GET {} HTTP/1.1\r\nHost: x\r\nIf-None-Match: {etag}\r\nConnection: close\r\n\r\n",
            server.site_path(rel)
        ));
        assert_eq!(again.status, 304, "{rel}");
        assert!(again.body.is_empty());

        let head = server.request("HEAD", &server.site_path(rel));
        assert_eq!(head.status, 200, "{rel}");
        assert!(head.body.is_empty(), "HEAD {rel} has a body");
        assert_eq!(head.header("content-type"), first.header("content-type"));
        assert_eq!(
            head.header("content-length"),
            Some(first.body.len().to_string().as_str())
        );
    }
    for method in ["POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE"] {
        let response = server.request(method, &server.site_path(BRIEF_URL));
        assert_eq!(response.status, 405, "{method}");
        assert_eq!(response.header("allow"), Some("GET, HEAD"));
    }
}

#[test]
fn paths_never_lead_outside_the_site() {
    let mut server = Server::start("basic", &[]);
    let secret = "TOP-SECRET-CONTENTS";
    std::fs::write(server.site.world().join("secret.txt"), secret).unwrap();
    std::fs::create_dir_all(server.site.world().join("outside/images")).unwrap();
    std::fs::write(
        server
            .site
            .world()
            .join("outside/images/mara-lindqvist.svg"),
        secret,
    )
    .unwrap();
    let site_toml = server.read("site.toml");
    let attempts = [
        "/blog/../site.toml",
        "/blog/../../secret.txt",
        "/blog/%2e%2e/site.toml",
        "/blog/%2E%2E/%2e%2e/secret.txt",
        "/blog/.%2e/site.toml",
        "/blog/images/..%2f..%2fsite.toml",
        "/blog/images%2f..%2f..%2f..%2fsecret.txt",
        "/blog/..%5csite.toml",
        "/blog/..\\site.toml",
        "/blog/images\\..\\..\\site.toml",
        "/blog/style.css%00.html",
        "/blog/%00",
        "//etc/passwd",
        "/blog//etc/passwd",
        "/etc/passwd",
        "/blog/%2fetc%2fpasswd",
        "/blog/C:/Windows/win.ini",
        "/blog/site.toml",
        "/blog/briefs/ageing-workforce.md",
        "/site.toml",
    ];
    for path in attempts {
        let response = server.raw(&format!(
            "GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
        ));
        let text = response.text();
        assert!(
            matches!(response.status, 400 | 404),
            "{path}: status {}",
            response.status
        );
        assert!(
            !text.contains(secret) && !text.contains(&site_toml),
            "{path} leaked"
        );
    }
    // The absolute form of a request target.
    let absolute = server
        .raw("GET http://127.0.0.1/etc/passwd HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    assert!(matches!(absolute.status, 400 | 404));
    assert!(!absolute.text().contains("root:"));

    // A static file that becomes a symlink out of the site, and a folder that becomes one.
    #[cfg(unix)]
    {
        use std::os::unix::fs::symlink;
        let image = server.path("static/images/tanker-at-sea.svg");
        std::fs::remove_file(&image).unwrap();
        symlink(server.site.world().join("secret.txt"), &image).unwrap();
        let images = server.path("static/images");
        std::fs::rename(&images, server.path("static/images-moved")).unwrap();
        symlink(server.site.world().join("outside/images"), &images).unwrap();
        server.wait_for_stdout("static/images");
        for rel in ["images/tanker-at-sea.svg", "images/mara-lindqvist.svg"] {
            let response = server.get(rel);
            assert_eq!(response.status, 404, "{rel}");
            assert!(!response.text().contains(secret), "{rel} leaked");
        }
    }
}

#[test]
fn an_edit_reloads_the_pages_it_affects() {
    let mut server = Server::start("basic", &[]);
    let events = server.events();
    let text = server.read(BRIEF);
    server.write(
        BRIEF,
        &text.replace(
            "Manufacturers in the southeast",
            "Shipbuilders and manufacturers in the southeast",
        ),
    );
    let brief_path = server.site_path(BRIEF_URL);
    let data = events.next_matching("reload", |d| d.contains(&brief_path));
    // Its listings show its summary (the first paragraph), so they reload too; others do not.
    assert!(data.contains("\"/blog/\""), "{data}");
    assert!(data.contains("/blog/categories/society/"), "{data}");
    assert!(
        !data.contains("/blog/sanctions-enforcement-at-sea/"),
        "{data}"
    );
    assert!(
        server
            .get(BRIEF_URL)
            .text()
            .contains("Shipbuilders and manufacturers")
    );
    assert!(
        server
            .get("")
            .text()
            .contains("Shipbuilders and manufacturers")
    );
    server.wait_for_stdout("briefs/ageing-workforce.md: ");

    // A later paragraph is not in the summary: the listings stay as they are.
    let text = server.read(BRIEF);
    server.write(
        BRIEF,
        &text.replace("have filled the gap", "have lately filled the gap"),
    );
    let data = events.next_matching("reload", |d| d.contains(&brief_path));
    assert!(!data.contains("\"/blog/\""), "{data}");
    assert!(!data.contains("\"/blog/categories/society/\""), "{data}");
    assert!(server.get(BRIEF_URL).text().contains("lately filled"));

    // An editor's swap file changes nothing.
    server.write("briefs/.ageing-workforce.md.swp", "garbage");
    server.write("briefs/ageing-workforce.md~", "garbage");
    let later = events.drain(Duration::from_millis(400));
    assert!(
        later.iter().all(|(event, _)| event != "reload"),
        "{later:?}"
    );
}

#[test]
fn a_broken_brief_shows_the_overlay_over_the_last_good_site_until_fixed() {
    let mut server = Server::start("basic", &[]);
    let events = server.events();
    let good = server.read(BRIEF);
    let before = server.get(BRIEF_URL).text();
    server.write(
        BRIEF,
        &good.replace("date = \"2023-03-02\"", "date = \"2023-13-45\""),
    );
    let overlay = events.next_matching("overlay", |d| !d.contains("null"));
    assert!(
        overlay.contains("briefs/ageing-workforce.md:3:"),
        "{overlay}"
    );
    server.wait_for_stderr("briefs/ageing-workforce.md:3:");
    let page = server.get(BRIEF_URL).text();
    assert!(page.contains("id=\"dossier-overlay\""));
    assert!(page.contains("briefs/ageing-workforce.md:3:"));
    assert_eq!(
        without_overlay(&without_live_reload(&page)),
        without_live_reload(&before),
        "the last good page is still served"
    );
    // On every page.
    assert!(server.get("").text().contains("id=\"dossier-overlay\""));

    // An unknown author is found while resolving, with its position and a hint.
    server.write(
        BRIEF,
        &good.replace("author = \"priya-raman\"", "author = \"priya-ramen\""),
    );
    let overlay = events.next_matching("overlay", |d| d.contains("priya-ramen"));
    assert!(
        overlay.contains("briefs/ageing-workforce.md:4:11"),
        "{overlay}"
    );
    assert!(overlay.contains("did you mean"), "{overlay}");

    server.write(BRIEF, &good.replace("southeast", "south-east"));
    events.next_matching("overlay", |d| d.contains("null"));
    let fixed = server.get(BRIEF_URL).text();
    assert!(!fixed.contains("id=\"dossier-overlay\""));
    assert!(fixed.contains("south-east"));
    server.wait_for_stdout("The site builds again.");
}

fn without_overlay(html: &str) -> String {
    match (
        html.find("<div id=\"dossier-overlay\""),
        html.find("</ol></div>"),
    ) {
        (Some(start), Some(end)) => format!("{}{}", &html[..start], &html[end + 11..]),
        _ => html.to_owned(),
    }
}

#[test]
fn the_site_served_after_edits_is_the_site_a_build_makes() {
    let mut server = Server::start("basic", &[]);
    let events = server.events();
    let edit = |rel: &str, change: &dyn Fn(&str) -> Option<String>| {
        let path = server.path(rel);
        match change(&std::fs::read_to_string(&path).unwrap_or_default()) {
            Some(text) => {
                std::fs::create_dir_all(path.parent().unwrap()).unwrap();
                std::fs::write(&path, text).unwrap();
            }
            None => std::fs::remove_file(&path).unwrap(),
        }
        events.next_named("reload");
    };
    // A local edit, a new title, new tags, a new date, a new brief, a removed brief.
    edit(BRIEF, &|t| {
        Some(t.replace("faster than", "much faster than"))
    });
    edit(BRIEF, &|t| {
        Some(t.replace("have filled the gap", "have lately filled the gap"))
    });
    edit(BRIEF, &|t| {
        Some(t.replace("An Ageing Workforce", "The Ageing Workforce"))
    });
    edit(BRIEF, &|t| {
        Some(t.replace("[\"demography\", \"labor\"]", "[\"labor\", \"industry\"]"))
    });
    edit("briefs/2023/alliance-cost-sharing.md", &|t| {
        Some(
            t.replacen("date = 2023", "date = 2021", 1)
                .replacen("date: 2023", "date: 2021", 1),
        )
    });
    edit("briefs/2024/new-brief.md", &|_| {
        Some("+++\ntitle = \"A New Brief\"\ndate = 2024-05-01\nauthor = \"daniel-osei\"\ncategory = \"Security\"\ntags = [\"shipping\"]\n+++\n\nNew text citing a source another brief defines [@S/RES/2397, para. 9].\n".to_owned())
    });
    edit("briefs/2022/chip-export-controls.md", &|_| None);
    server.wait_for_stdout("chip-export-controls.md: ");

    assert_serves_the_build(&server, "the edits");
    assert_eq!(server.get("2022/chip-export-controls/").status, 404);
    assert!(
        !server.site.path("public").exists(),
        "serve wrote an output folder"
    );
}

/// Asserts that every file `dossier build` makes of the served site is served, byte for byte.
fn assert_serves_the_build(server: &Server, after: &str) {
    let built = built_for(server);
    assert!(built.len() > 20);
    // The search index is rebuilt once edits pause for a moment: allow for that.
    let deadline = Instant::now() + Duration::from_secs(30);
    for (rel, contents) in &built {
        let expected = String::from_utf8_lossy(contents);
        loop {
            let served = server.get(rel);
            assert_eq!(served.status, 200, "{rel} after {after}");
            let served = without_live_reload(&served.text());
            if served == expected {
                break;
            }
            assert!(
                Instant::now() < deadline,
                "{rel} differs from the build after {after}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

/// Edits patched into the site in place are signed from the cards of the briefs listings show and
/// keep the site's citation forms: after each, the site served is the one a build makes, and the
/// edits that change more than one brief are resolved with the whole site.
#[test]
fn after_each_edit_patched_in_place_the_site_served_is_the_build() {
    const SANCTIONS: &str = "briefs/sanctions-enforcement-at-sea.md";
    const CHIPS: &str = "briefs/2022/chip-export-controls.md";
    let server = Server::start("basic", &["-v"]);
    let count = |server: &Server, needle: &str, stdout: bool| {
        let lines = if stdout {
            server.stdout()
        } else {
            server.stderr()
        };
        lines.lines().filter(|l| l.contains(needle)).count()
    };
    let edit = |what: &str, rel: &str, from: &str, to: &str, patched: bool| {
        let text = server.read(rel);
        assert!(text.contains(from), "{rel} has no {from:?}");
        // The rebuild's line names the brief (the search index, made once edits pause, has its
        // own line).
        let rebuilt = format!("{rel}: ");
        let (rebuilds, patches) = (
            count(&server, &rebuilt, true),
            count(&server, "patched in place", false),
        );
        server.write(rel, &text.replacen(from, to, 1));
        let deadline = Instant::now() + Duration::from_secs(60);
        while count(&server, &rebuilt, true) == rebuilds {
            assert!(Instant::now() < deadline, "no rebuild after {what}");
            std::thread::sleep(Duration::from_millis(10));
        }
        let patched_now = count(&server, "patched in place", false) > patches;
        assert_eq!(patched_now, patched, "{what}: patched in place?");
        assert_serves_the_build(&server, what);
    };
    // Citing a source the brief did not cite changes other briefs' related briefs: resolved with
    // the whole site. Here it makes the brief related to one that is not its neighbour.
    edit(
        "a citation of another source",
        "briefs/2023/alliance-cost-sharing.md",
        "whoever owns them.",
        "whoever owns them, as the Security Council did [@S/RES/2397].",
        false,
    );
    // What listings and related briefs show: the summary (the source pages list every citing brief
    // with it).
    edit(
        "a new summary",
        SANCTIONS,
        "have made the refined-petroleum cap hard to verify",
        "have made the cap on refined petroleum hard to verify",
        true,
    );
    edit(
        "a summary that is the first paragraph",
        BRIEF,
        "Manufacturers in the southeast",
        "Shipbuilders and manufacturers in the southeast",
        true,
    );
    // The title: listings, source pages, the citation index and the neighbours' links.
    edit(
        "a new title",
        SANCTIONS,
        "title = \"Sanctions Enforcement at Sea\"",
        "title = \"Enforcing Sanctions at Sea\"",
        true,
    );
    // A locator: the source page lists it; the form stays (a single page of any number).
    edit(
        "a new locator",
        SANCTIONS,
        "@S/RES/2397, para. 28]",
        "@S/RES/2397, para. 29]",
        true,
    );
    // Another citation in a form another brief already asks of the source.
    edit(
        "a citation in a form the site has",
        CHIPS,
        "only agreement among the few governments whose firms make them.",
        "only agreement among the few governments whose firms make them [@S/RES/2397].",
        true,
    );
    // A form no brief asked of the source before: formatted with the whole site.
    edit(
        "a citation in a new form",
        SANCTIONS,
        "sails on under a new name.",
        "sails on under a new name [@ledger-dark-transfers, p. 6].",
        false,
    );
    // Sources first cited in another order.
    edit(
        "sources cited in another order",
        SANCTIONS,
        "deliveries [@S/RES/2397, para. 29]",
        "deliveries [@ledger-dark-transfers, p. 2; @S/RES/2397, para. 29]",
        false,
    );
    // A new date moves the brief to another year and another page of the listings.
    edit(
        "a new date",
        CHIPS,
        "date: 2022-09-14",
        "date: 2023-05-01",
        false,
    );
    // Text no listing shows.
    edit(
        "a later paragraph",
        BRIEF,
        "have filled the gap",
        "have lately filled the gap",
        true,
    );
}

/// Builds the served site with `dossier build` for the server's origin: the bytes every page
/// served must have, by path.
pub(crate) fn built_for(server: &Server) -> BTreeMap<String, Vec<u8>> {
    let output = server.site.world().join("built");
    let base_url = format!("http://127.0.0.1:{}/blog", server.port);
    let status = std::process::Command::new(env!("CARGO_BIN_EXE_dossier"))
        .args(["build", "--quiet", "--root"])
        .arg(server.site.root())
        .arg("--output")
        .arg(&output)
        .args(["--base-url", &base_url])
        .status()
        .unwrap();
    assert!(status.success());
    files_below(&output)
}

pub(crate) fn files_below(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut files = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(folder) = stack.pop() {
        for entry in std::fs::read_dir(&folder).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let rel = path
                    .strip_prefix(dir)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/");
                files.insert(rel, std::fs::read(&path).unwrap());
            }
        }
    }
    files
}

#[test]
fn drafts_and_scheduled_briefs_get_a_badge_when_asked() {
    let without = Server::start("basic", &[]);
    assert_eq!(without.get("seasonal-visa-quotas/").status, 404);
    drop(without);

    let mut server = Server::start("basic", &["--drafts"]);
    let draft = server.get("seasonal-visa-quotas/").text();
    assert!(draft.contains("class=\"dossier-badge\""));
    assert!(draft.contains(">Draft</p>"));
    let events = server.events();
    server.write(
        "briefs/future.md",
        "+++\ntitle = \"Next Year\"\ndate = 2999-01-01\nauthor = \"priya-raman\"\n+++\n\nSoon.\n",
    );
    events.next_matching("reload", |d| d.contains("/blog/future/"));
    assert!(server.get("future/").text().contains(">Scheduled</p>"));
    assert!(!server.get(BRIEF_URL).text().contains("dossier-badge"));
    server.wait_for_stdout("future.md");
}

#[test]
fn stylesheet_and_template_changes() {
    let server = Server::start("basic", &[]);
    let events = server.events();
    server.write("static/style.css", "body { color: #123456; }\n");
    let data = events.next_named("css");
    assert!(data.contains("/blog/style.css"), "{data}");
    assert!(server.get("style.css").text().contains("#123456"));

    // A site template overriding one theme template re-renders the pages using it only.
    server.write(
        "templates/404.html",
        "{% extends \"base.html\" %}{% block content %}<h1>Lost at sea</h1>{% endblock content %}",
    );
    let data = events.next_named("reload");
    assert!(data.contains("/blog/404.html"), "{data}");
    assert!(!data.contains(&server.site_path(BRIEF_URL)), "{data}");
    assert!(server.get("nowhere/").text().contains("Lost at sea"));
}

#[test]
fn many_connections_and_clients_that_leave_early() {
    let server = Server::start("basic", &[]);
    let port = server.port;
    let path = server.site_path("");
    // Clients that send a request and leave without reading, or after a few bytes.
    for i in 0..40 {
        let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
        let _ = stream.write_all(format!("GET {path} HTTP/1.1\r\nHost: x\r\n\r\n").as_bytes());
        if i % 2 == 0 {
            let mut few = [0u8; 16];
            let _ = stream.read(&mut few);
        }
    }
    let started = Instant::now();
    let workers: Vec<_> = (0..200)
        .map(|_| {
            let path = path.clone();
            std::thread::spawn(move || {
                http(
                    port,
                    format!("GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                        .as_bytes(),
                )
                .status
            })
        })
        .collect();
    for worker in workers {
        assert_eq!(worker.join().unwrap(), 200);
    }
    eprintln!("200 concurrent requests in {:?}", started.elapsed());
    assert_eq!(server.get("").status, 200);
}

#[test]
fn idle_connections_are_closed() {
    // Two seconds rather than the default ten, so that the test need not wait that long.
    let timeout = Duration::from_secs(2);
    let server = Server::serve_with(
        Site::fixture("basic"),
        &[],
        &[("DOSSIER_SERVE_TIMEOUT_MS", &timeout.as_millis().to_string())],
    );
    let mut stream = TcpStream::connect(("127.0.0.1", server.port)).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(60)))
        .unwrap();
    let started = Instant::now();
    let mut buffer = [0u8; 64];
    let read = stream.read(&mut buffer).unwrap_or(0);
    assert_eq!(read, 0, "the server sent something to a silent client");
    let waited = started.elapsed();
    assert!(
        waited >= timeout && waited < Duration::from_secs(40),
        "closed after {waited:?}"
    );
}

#[test]
fn a_busy_port_moves_to_the_next_free_one() {
    let taken = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port();
    let mut server = Server::start("basic", &["--port", &port.to_string()]);
    let line = server.wait_for_stdout("is busy");
    assert!(line.contains(&port.to_string()), "{line}");
    assert_ne!(server.port, port);
    assert_eq!(server.get("").status, 200);
}

#[test]
fn binds_to_loopback_unless_told_and_warns_about_other_addresses() {
    // IPv6 where the machine has it (the loopback `::1` says whether it does).
    let ipv6 = TcpListener::bind("[::1]:0").is_ok();
    if !ipv6 {
        eprintln!("note: no IPv6 here; checking IPv4 addresses only");
    }
    let cases: &[(&[&str], &str, bool)] = &[
        (&[], "http://127.0.0.1:", false),
        (&["--bind", "localhost"], "http://127.0.0.1:", false),
        (&["--bind", "0.0.0.0"], "http://0.0.0.0:", true),
        (&["--bind", "::1"], "http://[::1]:", false),
        (&["--bind", "::"], "http://[::]:", true),
        (
            &["--bind", "::ffff:127.0.0.1"],
            "http://[::ffff:127.0.0.1]:",
            false,
        ),
    ];
    for (args, url, warned) in cases {
        if !ipv6 && url.contains('[') {
            continue;
        }
        let mut server = Server::start("basic", args);
        assert!(server.url.starts_with(url), "{args:?}: {}", server.url);
        if *warned {
            let line = server.wait_for_stderr("warning: listening on");
            assert!(line.contains("other machines"), "{line}");
        } else {
            // The warning would come before the site is built, long before it is served: a
            // request answered (or a moment, where the test cannot connect) is time enough.
            if url.contains("127.0.0.1") {
                assert_eq!(server.get("").status, 200);
            }
            std::thread::sleep(Duration::from_millis(300));
            assert!(
                !server.stderr().contains("warning: listening on"),
                "{args:?}: {}",
                server.stderr()
            );
        }
    }
}

#[test]
fn ctrl_c_stops_cleanly_and_leaves_the_site_as_it_was() {
    let mut server = Server::start("basic", &[]);
    let before = files_below(server.site.root());
    let events = server.events();
    assert_eq!(server.get("").status, 200);
    let status = server.interrupt();
    assert!(status.success(), "exit status {status}");
    assert!(server.stdout().contains("Stopped."));
    assert_eq!(files_below(server.site.root()), before);
    // The open event stream was ended, not left hanging.
    let rest = events.drain(Duration::from_millis(200));
    assert!(rest.iter().all(|(event, _)| event != "reload"));
}

#[test]
fn build_output_has_no_live_reload_script() {
    let dir = tempfile::tempdir().unwrap();
    let output = dir.path().join("out");
    let status = std::process::Command::new(env!("CARGO_BIN_EXE_dossier"))
        .args(["build", "--quiet", "--root"])
        .arg(crate::harness::repo().join("tests/fixtures/basic"))
        .arg("--output")
        .arg(&output)
        .status()
        .unwrap();
    assert!(status.success());
    for (rel, contents) in files_below(&output) {
        let text = String::from_utf8_lossy(&contents);
        assert!(
            !text.contains("dossier-live-reload") && !text.contains("__dossier"),
            "{rel}"
        );
    }
}

#[test]
fn a_site_that_does_not_build_yet_is_served_once_fixed() {
    let site = Site::fixture("basic");
    let site_toml = site.read("site.toml");
    site.write("site.toml", &site_toml.replacen("title = ", "titel = ", 1));
    let mut server = Server::serve(site, &[]);
    server.wait_for_stderr("site.toml:1:1: unknown field `titel`");
    let waiting = server.request("GET", "/");
    assert_eq!(waiting.status, 503);
    assert!(waiting.text().contains("id=\"dossier-overlay\""));
    assert!(waiting.text().contains("did you mean `title`?"));

    let events = server.events();
    server.write("site.toml", &site_toml);
    events.next_named("reload");
    assert_eq!(server.request("GET", "/blog/").status, 200);
}

#[test]
fn citations_formatted_for_the_preview_are_kept_for_the_next_start() {
    let server = Server::start("basic", &[]);
    assert_eq!(server.get(BRIEF_URL).status, 200);
    // The site cites sources: their formatted forms are in the cache the next start reads.
    let cache = std::fs::read_to_string(server.path(".dossier-cache/citations.json"))
        .expect("serve writes the citation cache after its first build");
    let cache: serde_json::Value = serde_json::from_str(&cache).unwrap();
    let entries = cache["entries"].as_object().unwrap();
    assert!(entries.len() >= 3, "{} entries", entries.len());
}

/// The search index is made beside the rebuilds once edits pause: an edit saved while it is being
/// made is taken in at once, the index made from the site before that edit is not served, and the
/// one made after it is the build's. (The index is held back for a few seconds here.)
#[test]
fn an_edit_saved_while_the_search_index_is_made_does_not_wait_for_it() {
    const OTHER: &str = "briefs/sanctions-enforcement-at-sea.md";
    let mut server = Server::serve_with(
        Site::fixture("basic"),
        &["-v"],
        &[("DOSSIER_SERVE_HOLD_SEARCH_INDEX_MS", "3000")],
    );
    let edit = |server: &Server, rel: &str, word: &str| {
        let text = server.read(rel);
        let body = text.rfind("+++").expect("front matter") + 3;
        server.write(
            rel,
            &format!(
                "{}\n{word} is a word of this edit.\n{}",
                &text[..body],
                &text[body..]
            ),
        );
    };
    edit(&server, BRIEF, "Quokkas");
    server.wait_for_stdout(&format!("{BRIEF}: "));
    server.wait_for_stderr("search index: making it");
    // The index is being made (held back): an edit saved now is rebuilt without waiting for it.
    let started = Instant::now();
    edit(&server, OTHER, "Wombats");
    server.wait_for_stdout(&format!("{OTHER}: "));
    assert!(
        started.elapsed() < Duration::from_millis(2000),
        "the edit waited for the search index"
    );
    assert!(
        !server.stdout().contains("search index: "),
        "the index made before the edit was served:\n{}",
        server.stdout()
    );
    // Made again once edits pause, with both edits in it.
    server.wait_for_stdout("search index: ");
    assert_serves_the_build(&server, "two edits, the second while the index was made");
}
