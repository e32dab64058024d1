//! The authoring commands: `init`, `new`, `check` (with `--external` against a local server) and
//! `schema`, plus the reading time and word count on brief pages.

use std::io::{Read, Write};
use std::net::TcpListener;
use std::path::Path;

use crate::harness::{Run, minimal_site, report_about, reports_about, the_text};

/// Runs `dossier <args>` in `dir`.
fn dossier(dir: &Path, args: &[&str]) -> Run {
    crate::harness::run(dir, args)
}

fn today() -> String {
    jiff::ZonedDateTime::now().date().to_string()
}

#[test]
fn init_makes_a_site_that_builds_and_refuses_a_folder_that_is_not_empty() {
    let parent = tempfile::tempdir().unwrap();
    dossier(parent.path(), &["init", "my-site"]).success();
    let site = parent.path().join("my-site");
    assert!(site.join("site.toml").is_file());
    let welcome = std::fs::read_to_string(site.join("briefs/welcome.md")).unwrap();
    assert!(welcome.contains(&format!("date = {}", today())));
    let run = dossier(&site, &["build"]).success();
    assert!(run.stdout.contains("Built 1 brief,"), "{}", run.stdout);
    assert!(site.join("public/welcome/index.html").is_file());
    dossier(&site, &["check"]).success();

    let run = dossier(parent.path(), &["init", "my-site"]).failure();
    run.stderr_has("is not empty").stderr_has("--force");
    std::fs::write(site.join("site.toml"), "changed").unwrap();
    dossier(parent.path(), &["init", "my-site", "--force"]).success();
    assert!(
        std::fs::read_to_string(site.join("site.toml"))
            .unwrap()
            .contains("[authors.")
    );
    // --force keeps files init does not write.
    assert!(site.join("public/welcome/index.html").is_file());
}

#[test]
fn new_writes_a_brief_that_builds_and_never_overwrites() {
    let site = minimal_site();
    let run = dossier(
        site.root(),
        &[
            "new",
            "Oil & \"Tankers\": Take 2",
            "--author",
            "daniel-osei",
            "--category",
            "Energy & Trade",
        ],
    )
    .success();
    assert_eq!(run.stdout.trim(), "briefs/oil-tankers-take-2.md");
    let text = site.read("briefs/oil-tankers-take-2.md");
    assert!(text.starts_with("+++\ntitle = "), "{text}");
    assert!(text.contains(&format!("date = {}", today())));
    assert!(text.contains("authors = [\"daniel-osei\"]"));
    assert!(text.contains("# summary = "), "a commented skeleton");
    site.build_ok(&[]);
    assert_eq!(
        the_text(&site.page("oil-tankers-take-2/"), "h1"),
        "Oil & \"Tankers\": Take 2"
    );
    assert_eq!(
        the_text(&site.page("oil-tankers-take-2/"), ".brief-category a"),
        "Energy & Trade"
    );

    site.write("briefs/oil-tankers-take-2.md", "mine");
    let run = dossier(site.root(), &["new", "Oil & \"Tankers\": Take 2"]).failure();
    run.stderr_has("already exists");
    assert_eq!(site.read("briefs/oil-tankers-take-2.md"), "mine");
}

#[test]
fn new_writes_yaml_and_rejects_an_unknown_author() {
    let site = minimal_site();
    dossier(
        site.root(),
        &[
            "new",
            "Ports: A Review",
            "--yaml",
            "--author",
            "daniel-osei",
        ],
    )
    .success();
    let text = site.read("briefs/ports-a-review.md");
    assert!(
        text.starts_with("---\ntitle: \"Ports: A Review\"\n"),
        "{text}"
    );
    site.build_ok(&[]);
    assert!(site.has_page("ports-a-review/"));

    let run = dossier(site.root(), &["new", "Other", "--author", "daniel-osie"]).failure();
    let report = report_about(&run.stderr, "site.toml");
    assert_eq!(report.message, "unknown author `daniel-osie`");
    assert_eq!(report.hint.as_deref(), Some("did you mean `daniel-osei`?"));
    assert!(!site.path("briefs/other.md").exists());
}

#[test]
fn check_reports_broken_links_anchors_and_missing_images_with_positions() {
    let site = minimal_site()
        .brief(
            "second.md",
            "+++\ntitle = \"Second\"\ndate = 2023-01-01\nauthor = \"daniel-osei\"\nimage = \"images/missing.png\"\n+++\n\n## Background {#background}\n\nGood: [first](../first-brief/), [abs](/blog/first-brief/), [full](https://example.org/blog/first-brief/), [self](#background), [home](../), [mail](mailto:a@b.org).\nBad: [typo](../first-brif/) and [anchor](../first-brief/#nowhere).\n\n![chart](../images/chart.png)\n\n<a href=\"#backgrund\">raw</a>\n",
        )
        .file("static/images/ok.png", "png");
    let run = dossier(site.root(), &["check"]).failure();
    let reports = reports_about(&run.stderr, "briefs/second.md");
    let found: Vec<_> = reports
        .iter()
        .map(|r| (r.position, r.message.as_str()))
        .collect();
    assert_eq!(
        found,
        [
            (
                Some((5, 1)),
                "missing image `images/missing.png`: no such static file"
            ),
            (
                Some((11, 13)),
                "broken link `../first-brif/`: nothing is published at /blog/first-brif/"
            ),
            (
                Some((11, 42)),
                "broken anchor `../first-brief/#nowhere`: /blog/first-brief/ has no element with id `nowhere`"
            ),
            (
                Some((13, 10)),
                "missing image `../images/chart.png`: no file at /blog/images/chart.png"
            ),
            (
                Some((15, 10)),
                "broken anchor `#backgrund`: /blog/second/ has no element with id `backgrund`"
            ),
        ],
        "{}",
        run.stderr
    );
    assert!(reports[1].hint.as_deref().unwrap().contains("first-brief"));
    assert_eq!(
        reports[4].hint.as_deref(),
        Some("did you mean `#background`?")
    );
    assert!(!site.public().exists(), "check writes nothing");

    // Fixed, it passes.
    let fixed = site
        .read("briefs/second.md")
        .replace("first-brif", "first-brief")
        .replace("#nowhere", "")
        .replace("../images/chart.png", "../images/ok.png")
        .replace("#backgrund", "#background")
        .replace("images/missing.png", "images/ok.png");
    site.write("briefs/second.md", &fixed);
    let run = dossier(site.root(), &["check"]).success();
    assert!(run.stdout.contains("no problems found"), "{}", run.stdout);
}

#[test]
fn check_reports_what_build_reports() {
    let site = minimal_site().brief(
        "bad.md",
        "+++\ntitle = \"Bad\"\ndate = 2023-01-01\nauthor = \"nobody\"\n+++\n\nText.\n",
    );
    let run = dossier(site.root(), &["check"]).failure();
    let report = report_about(&run.stderr, "briefs/bad.md");
    assert_eq!(report.position, Some((4, 11)));
    assert_eq!(report.message, "unknown author `nobody`");
}

/// A one-thread HTTP server answering 200 for `/ok` and 404 otherwise, for `count` requests.
fn serve(count: usize) -> (u16, std::thread::JoinHandle<()>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let handle = std::thread::spawn(move || {
        for stream in listener.incoming().take(count) {
            let Ok(mut stream) = stream else { continue };
            let mut buffer = [0u8; 2048];
            let n = stream.read(&mut buffer).unwrap_or(0);
            let request = String::from_utf8_lossy(&buffer[..n]);
            let status = if request.starts_with("GET /ok ") {
                "200 OK"
            } else {
                "404 Not Found"
            };
            let _ = write!(
                stream,
                "HTTP/1.1 {status}\r\nContent-Length: 2\r\nConnection: close\r\n\r\nhi"
            );
        }
    });
    (port, handle)
}

#[test]
fn check_external_fetches_web_links_and_caches_those_that_work() {
    if !Path::new("/usr/bin/curl").exists() {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI must install curl (see .ci/run)"
        );
        eprintln!("skipping: curl is not installed");
        return;
    }
    let (port, server) = serve(2);
    let site = minimal_site().brief(
        "links.md",
        &format!("+++\ntitle = \"Links\"\ndate = 2023-01-01\n+++\n\n[ok](http://127.0.0.1:{port}/ok) and\n[gone](http://127.0.0.1:{port}/gone).\n"),
    );
    // Without --external nothing is fetched.
    dossier(site.root(), &["check"]).success();
    let run = dossier(site.root(), &["check", "--external", "--timeout", "5"]).failure();
    let report = report_about(&run.stderr, "briefs/links.md");
    assert_eq!(report.position, Some((7, 8)));
    assert_eq!(
        report.message,
        format!("external link `http://127.0.0.1:{port}/gone`: the server answered HTTP 404")
    );
    server.join().unwrap();
    let cache = site.read(".dossier-cache/links.json");
    assert!(cache.contains(&format!("http://127.0.0.1:{port}/ok")));
    assert!(!cache.contains("/gone"));
}

#[test]
fn schema_prints_the_schemas_shipped_in_the_repository() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    for (which, file) in [
        ("front-matter", "schemas/front-matter.schema.json"),
        ("page", "schemas/page.schema.json"),
        ("site", "schemas/site.schema.json"),
    ] {
        let run = dossier(repo, &["schema", which]).success();
        assert_eq!(
            run.stdout,
            std::fs::read_to_string(repo.join(file)).unwrap()
        );
        let schema: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
        assert_eq!(schema["$schema"], "http://json-schema.org/draft-07/schema#");
        assert_eq!(schema["additionalProperties"], false);
    }
    assert_ne!(dossier(repo, &["schema", "nonsense"]).code, Some(0));
}

#[test]
fn brief_pages_show_reading_time_and_word_count() {
    let words = "word ".repeat(460);
    let site = minimal_site().brief(
        "long.md",
        &format!("+++\ntitle = \"Long\"\ndate = 2023-01-01\n+++\n\n{words}\n\nAnd *three* more.\n"),
    );
    site.build_ok(&[]);
    let page = site.page("long/");
    assert_eq!(
        the_text(&page, ".brief-reading-time"),
        "3 min read (463 words)"
    );
}

#[test]
fn check_points_at_a_missing_author_photo_however_it_is_quoted() {
    let site = minimal_site().file(
        "site.toml",
        "title = \"Harbor Notes\"\nbase_url = \"https://example.org/blog\"\n\n[authors.daniel-osei]\nname = \"Daniel Osei\"\nphoto = 'images/osei.jpg'\n",
    );
    let run = dossier(site.root(), &["check"]).failure();
    let report = report_about(&run.stderr, "site.toml");
    assert!(
        report.message.contains("missing photo `images/osei.jpg`"),
        "{}",
        report.text
    );
    assert_eq!(report.position, Some((6, 10)), "{}", report.text);
}
