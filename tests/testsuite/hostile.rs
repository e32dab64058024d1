//! Hostile input: every case runs the real `dossier build` on a site in a temporary "world"
//! folder (the site is `world/site/`, with other files around it) and checks what a build must
//! never do, whatever it is fed: panic, abort (a stack overflow is an abort, not a panic), hang,
//! write anywhere but the output folder, or change the previous output when it fails. A failure
//! must be a clear report: the file, the line and column where there is one, what is wrong and a
//! hint, and exit code 1.
//!
//! Decisions these tests pin down:
//! - slugs keep only `a-z`, `0-9` and `-`; invisible characters (U+200B, U+202E, U+2066, ...)
//!   are dropped from them; a brief slug or author key with nothing left, a Windows device name
//!   (`con`, `nul`, `aux`, `com1`) or more than 200 characters is an error, while a tag, category
//!   or citation id is made safe instead (`con` becomes `con-tag`, a long one is cut);
//! - under briefs/, a symbolic link is read only if it leads to a file inside the site folder; a
//!   link leading outside, a broken link, a loop and a link to a folder are errors naming it; a
//!   pipe named `*.md` is an error and is never opened;
//! - titles keep their invisible characters, escaped as text, with bidirectional controls left
//!   open closed at the end of the title.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use crate::harness::payloads::{BREAKOUT, SCRIPT, evil, hostile_front_fields, hostile_site_toml};
use crate::harness::{PATIENCE, Run, Site, relative, run, selector};
use scraper::Html;

const SITE_TOML: &str = r#"title = "Harbor Notes"
base_url = "https://example.org/blog"

[authors.mara]
name = "Mara Lindqvist"
"#;

const GOOD_BRIEF: &str = "+++\ntitle = \"A Good Brief\"\ndate = 2022-08-11\nauthor = \"mara\"\n+++\n\nA first paragraph.\n";

/// A site inside a folder of its own, so that writes beside the site are seen too.
struct World {
    site: Site,
}

impl World {
    /// `site/site.toml` and one good brief, with a file beside the site and one above it.
    fn new() -> World {
        let world = World { site: Site::new() };
        world.write("site.toml", SITE_TOML.as_bytes());
        world.write("briefs/good.md", GOOD_BRIEF.as_bytes());
        fs::write(world.dir().join("beside.txt"), "a file beside the site")
            .expect("write beside.txt");
        fs::create_dir_all(world.dir().join("etc")).expect("create etc");
        fs::write(world.dir().join("etc/passwd"), "root:x:0:0").expect("write etc/passwd");
        world
    }

    fn site(&self) -> PathBuf {
        self.site.root().to_path_buf()
    }

    /// The world folder the site is in.
    fn dir(&self) -> &Path {
        self.site.world()
    }

    fn public(&self) -> PathBuf {
        self.site().join("public")
    }

    fn path(&self, rel: &str) -> PathBuf {
        self.site().join(rel)
    }

    /// Writes `rel` under the site, creating folders.
    fn write(&self, rel: &str, contents: &[u8]) {
        let path = self.path(rel);
        fs::create_dir_all(path.parent().expect("a parent")).expect("create folders");
        fs::write(&path, contents).unwrap_or_else(|e| panic!("write {}: {e}", path.display()));
    }

    fn brief(&self, name: &str, contents: &str) {
        self.write(&format!("briefs/{name}"), contents.as_bytes());
    }

    /// Runs `dossier build` in the site folder, failing the test if it takes over `PATIENCE`.
    fn build(&self) -> Run {
        run(&self.site(), &["build", "--root", "."])
    }

    /// Builds and asserts success, and that nothing outside the output folder changed.
    fn build_ok(&self) -> Run {
        let before = self.outside_output();
        let run = self.build();
        assert_eq!(run.code, Some(0), "dossier failed\n{}", run.stderr);
        assert_clean(&run);
        self.assert_unchanged_outside(&before);
        run
    }

    /// Builds a site that must fail, and checks everything a failed build promises: exit code 1,
    /// no panic, the previous output byte for byte, nothing written elsewhere.
    fn build_fails(&self) -> Run {
        let output_before = snapshot(&self.public());
        let before = self.outside_output();
        let run = self.build();
        assert_eq!(
            run.code,
            Some(1),
            "expected exit code 1\n--- stdout\n{}\n--- stderr\n{}",
            run.stdout,
            run.stderr
        );
        assert_clean(&run);
        let last = run.stderr.trim_end().lines().last().unwrap_or_default();
        assert!(
            last.contains("the build failed") && last.contains("left unchanged"),
            "last line of stderr: {last:?}"
        );
        assert!(
            snapshot(&self.public()) == output_before,
            "the previous output changed"
        );
        self.assert_unchanged_outside(&before);
        run
    }

    /// Builds the good site once, so that a later failure has an output to protect.
    fn built() -> World {
        let world = World::new();
        world.build_ok();
        assert!(world.public().join("good/index.html").is_file());
        world
    }

    /// Every file and folder of the world but the output folder, the build's staging folders
    /// beside it and its citation cache (the one place a build may write besides the output).
    fn outside_output(&self) -> BTreeMap<String, Vec<u8>> {
        let root = self.dir();
        let mut out = BTreeMap::new();
        let mut stack = vec![root.to_path_buf()];
        while let Some(dir) = stack.pop() {
            let Ok(entries) = fs::read_dir(&dir) else {
                continue;
            };
            for entry in entries.flatten() {
                let path = entry.path();
                let rel = relative(root, &path);
                if rel == "site/public"
                    || rel == "site/.dossier-cache"
                    || rel.starts_with("site/.public.")
                {
                    continue;
                }
                let Ok(kind) = entry.file_type() else {
                    continue;
                };
                if kind.is_dir() {
                    out.insert(format!("{rel}/"), Vec::new());
                    stack.push(path);
                } else if kind.is_file() {
                    out.insert(rel, fs::read(&path).unwrap_or_default());
                } else {
                    out.insert(format!("{rel}@"), Vec::new());
                }
            }
        }
        out
    }

    fn assert_unchanged_outside(&self, before: &BTreeMap<String, Vec<u8>>) {
        let after = self.outside_output();
        let added: Vec<_> = after.keys().filter(|k| !before.contains_key(*k)).collect();
        let removed: Vec<_> = before.keys().filter(|k| !after.contains_key(*k)).collect();
        let changed: Vec<_> = before
            .iter()
            .filter(|(k, v)| after.get(*k).is_some_and(|a| a != *v))
            .map(|(k, _)| k)
            .collect();
        assert!(
            added.is_empty() && removed.is_empty() && changed.is_empty(),
            "the build touched files outside its output folder: added {added:?}, removed {removed:?}, changed {changed:?}"
        );
    }

    /// The page at `url` (relative to the base path, `"a/"` is `public/a/index.html`).
    fn page(&self, url: &str) -> String {
        let path = self.public().join(format!("{url}index.html"));
        fs::read_to_string(&path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()))
    }
}

/// No panic, no backtrace, no abort message.
fn assert_clean(run: &Run) {
    for bad in [
        "panicked",
        "RUST_BACKTRACE",
        "stack backtrace",
        "has overflowed its stack",
    ] {
        assert!(
            !run.stderr.contains(bad),
            "{bad:?} in stderr:\n{}",
            run.stderr
        );
    }
}

/// Every file below `dir` with its bytes (empty when `dir` does not exist).
fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    if dir.exists() {
        crate::harness::snapshot(dir)
    } else {
        BTreeMap::new()
    }
}

/// A report about `file` in stderr: `error: <file>:<line>:<col>: <message>` with a snippet and a
/// `= help:` hint. Returns the report's text.
fn report(run: &Run, file: &str, needle: &str) -> String {
    let found = run.stderr.split("\n\n").find(|block| {
        block
            .trim_start()
            .strip_prefix("error: ")
            .is_some_and(|rest| rest.starts_with(file))
            && block.contains(needle)
    });
    let Some(block) = found else {
        panic!(
            "no report about {file} saying {needle:?}\n--- stderr\n{}",
            run.stderr
        );
    };
    assert!(
        block.contains("= help: "),
        "no hint in the report:\n{block}"
    );
    block.to_owned()
}

/// As `report`, and the report has a line and column.
fn located_report(run: &Run, file: &str, needle: &str) -> (usize, usize, String) {
    let block = report(run, file, needle);
    let rest = block
        .trim_start()
        .strip_prefix("error: ")
        .and_then(|r| r.strip_prefix(file))
        .and_then(|r| r.strip_prefix(':'))
        .unwrap_or_default();
    let mut parts = rest.splitn(3, ':');
    let line = parts.next().and_then(|l| l.parse().ok());
    let column = parts.next().and_then(|c| c.parse().ok());
    match (line, column) {
        (Some(line), Some(column)) => (line, column, block),
        _ => panic!("no line:column in the report:\n{block}"),
    }
}

fn brief_with(front: &str, body: &str) -> String {
    format!("+++\n{front}\n+++\n\n{body}\n")
}

// --- Deep nesting and size ------------------------------------------------------------------

/// A deeply nested body must build (pulldown-cmark and our own passes are iterative) and show
/// its text; a stack overflow would abort, which `run_dossier` fails on.
fn deep_body_builds(body: &str, text: &str) {
    let world = World::built();
    world.brief(
        "deep.md",
        &brief_with("title = \"Deep\"\ndate = 2022-08-12", body),
    );
    let run = world.build_ok();
    assert!(run.took < PATIENCE);
    let page = world.page("deep/");
    assert!(page.contains(text), "the text of the deep brief is missing");
}

#[test]
fn ten_thousand_nested_block_quotes() {
    deep_body_builds(
        &format!("{} deepest quote", ">".repeat(10_000)),
        "deepest quote",
    );
}

#[test]
fn ten_thousand_nested_lists() {
    deep_body_builds(
        &format!("{}deepest item", "- ".repeat(10_000)),
        "deepest item",
    );
}

#[test]
fn ten_thousand_nested_numbered_lists_and_quotes() {
    deep_body_builds(
        &format!("{}deepest mix", "1. > * ".repeat(4_000)),
        "deepest mix",
    );
}

#[test]
fn deeply_nested_inline_markup_and_raw_html() {
    let body = format!(
        "{}open brackets\n\n{}{}\n\n{}emphasis{}\n\n{}\n\nraw html end",
        "[".repeat(50_000),
        "<div>".repeat(10_000),
        "</div>".repeat(10_000),
        "*_".repeat(10_000),
        "_*".repeat(10_000),
        "[a](".repeat(10_000),
    );
    deep_body_builds(&body, "raw html end");
}

#[test]
fn a_five_megabyte_brief() {
    let mut body = String::new();
    let mut n = 0;
    while body.len() < 5 * 1024 * 1024 {
        n += 1;
        body.push_str(&format!(
            "Paragraph {n} on *export controls* and [a link](https://example.org/{n}) with `code` and a note.[^n{n}]\n\n[^n{n}]: Note {n}.\n\n"
        ));
    }
    let world = World::built();
    world.brief(
        "huge.md",
        &brief_with("title = \"Huge\"\ndate = 2022-08-12", &body),
    );
    world.build_ok();
    let page = world.page("huge/");
    assert!(page.len() > 5 * 1024 * 1024, "{}", page.len());
    assert!(page.contains(&format!("Paragraph {n} on")));
}

#[test]
fn front_matter_of_ten_thousand_lines_in_toml_and_yaml() {
    let world = World::built();
    let toml: String = (0..10_000).map(|i| format!("k{i} = \"v{i}\"\n")).collect();
    world.brief(
        "long-toml.md",
        &format!("+++\ntitle = \"Long TOML\"\ndate = 2022-08-12\n[extra]\n{toml}+++\n\nBody.\n"),
    );
    let yaml: String = (0..10_000).map(|i| format!("  k{i}: v{i}\n")).collect();
    world.brief(
        "long-yaml.md",
        &format!("---\ntitle: Long YAML\ndate: 2022-08-12\nextra:\n{yaml}---\n\nBody.\n"),
    );
    world.build_ok();
    assert!(world.page("long-toml/").contains("Long TOML"));
    assert!(world.page("long-yaml/").contains("Long YAML"));
}

// --- YAML alias bombs, duplicate keys, dates -----------------------------------------------

#[test]
fn yaml_billion_laughs_fails_fast_with_a_clear_error() {
    let world = World::built();
    let mut yaml = String::from("---\ntitle: Laughs\ndate: 2022-08-12\nextra:\n");
    yaml.push_str(
        "  a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
    );
    let names = ["a", "b", "c", "d", "e", "f", "g", "h", "i"];
    for pair in names.windows(2) {
        let refs = vec![format!("*{}", pair[0]); 9].join(",");
        yaml.push_str(&format!("  {}: &{} [{refs}]\n", pair[1], pair[1]));
    }
    yaml.push_str("---\n\nBody.\n");
    world.brief("laughs.md", &yaml);
    let run = world.build_fails();
    assert!(run.took < Duration::from_secs(20), "took {:?}", run.took);
    let (line, _, text) = located_report(&run, "briefs/laughs.md", "aliases");
    assert!((5..=13).contains(&line), "line {line}:\n{text}");
    assert!(!text.contains("Nodes {"), "parser internals in:\n{text}");
}

#[test]
fn yaml_alias_of_a_huge_string_is_bounded() {
    let world = World::built();
    let big = "x".repeat(1_000_000);
    let refs = vec!["*a"; 2_000].join(",");
    world.brief(
        "wide.md",
        &format!("---\ntitle: Wide\ndate: 2022-08-12\nextra:\n  a: &a \"{big}\"\n  b: [{refs}]\n---\n\nBody.\n"),
    );
    let run = world.build_fails();
    assert!(run.took < Duration::from_secs(20), "took {:?}", run.took);
    located_report(&run, "briefs/wide.md", "aliases");
}

#[test]
fn duplicate_keys_in_toml_front_matter_name_the_key_and_line() {
    let world = World::built();
    world.brief(
        "twice.md",
        "+++\ntitle = \"One\"\ndate = 2022-08-12\ntitle = \"Two\"\n+++\n\nBody.\n",
    );
    world.brief(
        "twice-table.md",
        "+++\ntitle = \"One\"\ndate = 2022-08-12\n[extra]\na = 1\n[extra]\nb = 2\n+++\n\nBody.\n",
    );
    world.brief(
        "twice-citation.md",
        "+++\ntitle = \"One\"\ndate = 2022-08-12\n[[citations]]\nid = \"a\"\ntitle = \"A\"\ntitle = \"B\"\n+++\n\nBody.\n",
    );
    let run = world.build_fails();
    let (line, column, _) = located_report(&run, "briefs/twice.md", "`title` is written twice");
    assert_eq!((line, column), (4, 1));
    let (line, _, _) = located_report(&run, "briefs/twice-table.md", "`[extra]` is declared twice");
    assert_eq!(line, 6);
    let (line, _, _) = located_report(&run, "briefs/twice-citation.md", "`title` is written twice");
    assert_eq!(line, 7);
}

#[test]
fn duplicate_keys_in_yaml_front_matter_name_the_key_and_line() {
    let world = World::built();
    world.brief(
        "twice.md",
        "---\ntitle: One\ndate: 2022-08-12\ntitle: Two\n---\n\nBody.\n",
    );
    world.brief(
        "nested.md",
        "---\ntitle: One\ndate: 2022-08-12\ncitations:\n  - id: a\n    title: A\n    title: B\n---\n\nBody.\n",
    );
    let run = world.build_fails();
    let (line, column, text) = located_report(&run, "briefs/twice.md", "`title` is written twice");
    assert_eq!((line, column), (4, 1));
    assert!(!text.contains("DuplicateKeyPolicy"), "{text}");
    let (line, column, _) = located_report(&run, "briefs/nested.md", "`title` is written twice");
    assert_eq!((line, column), (7, 5));
}

#[test]
fn duplicate_keys_in_site_toml_name_the_key_and_line() {
    let world = World::built();
    world.write(
        "site.toml",
        format!("{SITE_TOML}\n[authors.mara]\nname = \"Again\"\n").as_bytes(),
    );
    let run = world.build_fails();
    let (line, _, _) = located_report(&run, "site.toml", "`[authors.mara]` is declared twice");
    assert_eq!(line, 7);
    world.write(
        "site.toml",
        format!("title = \"Other\"\n{SITE_TOML}").as_bytes(),
    );
    let run = world.build_fails();
    let (line, column, _) = located_report(&run, "site.toml", "`title` is written twice");
    assert_eq!((line, column), (2, 1));
}

#[test]
fn dates_out_of_range_are_errors_at_their_line() {
    let world = World::built();
    let dates = [
        ("year-zero", "0000-01-01", "out of range"),
        ("year-zero-string", "\"0000-06-01\"", "out of range"),
        ("year-99999", "99999-01-01", "year"),
        ("year-99999-string", "\"99999-01-01\"", "invalid date"),
        ("month-13", "2022-13-01", "month"),
        ("month-13-string", "\"2022-13-01\"", "month"),
        ("february-30", "2022-02-30", "day"),
        ("february-30-string", "\"2022-02-30\"", "day"),
        ("hour-25", "9999-12-31T25:00:00", "hour"),
        ("hour-25-string", "\"9999-12-31T25:00\"", "hour"),
        ("last-instant", "9999-12-31T23:59:59Z", "out of range"),
        ("last-day", "\"9999-12-31\"", "out of range"),
        (
            "far-offset",
            "\"9999-12-31T23:59:59-23:59\"",
            "out of range",
        ),
        ("negative", "\"-009999-01-01\"", "date"),
        ("only-time", "10:00:00", "date"),
    ];
    for (name, date, _) in dates {
        world.brief(
            &format!("{name}.md"),
            &format!("+++\ntitle = \"{name}\"\ndate = {date}\n+++\n\nBody.\n"),
        );
    }
    let run = world.build_fails();
    for (name, _, needle) in dates {
        let (line, column, text) = located_report(&run, &format!("briefs/{name}.md"), needle);
        assert_eq!((line, column), (3, 8), "{text}");
    }
    // The same in YAML, and as `updated`.
    for (name, _, _) in dates {
        fs::remove_file(world.path(&format!("briefs/{name}.md"))).expect("remove");
    }
    world.brief(
        "yaml-date.md",
        "---\ntitle: Y\ndate: 2022-08-12\nupdated: 2022-02-30\n---\n\nBody.\n",
    );
    let run = world.build_fails();
    let (line, _, _) = located_report(&run, "briefs/yaml-date.md", "2022-02-30");
    assert_eq!(line, 4);
}

// --- Invisible characters -------------------------------------------------------------------

#[test]
fn zero_width_and_right_to_left_characters_in_titles_are_shown_as_text() {
    let world = World::built();
    let title = "Invoice\u{202e}fdp.exe \u{200b}zero \u{2066}isolated <b>bold</b>";
    world.brief(
        "invisible.md",
        &format!(
            "+++\ntitle = \"{title}\"\ndate = 2022-08-12\nauthor = \"mara\"\ncategory = \"Cat\u{202e}egory\"\ntags = [\"ta\u{200b}g\"]\n+++\n\nBody.\n"
        ),
    );
    world.build_ok();
    let page = world.page("invisible/");
    let document = Html::parse_document(&page);
    let h1: String = document
        .select(&selector("h1"))
        .next()
        .expect("an h1")
        .text()
        .collect();
    // Kept as written, with the override and the isolate closed (PDI, then PDF) at the end.
    assert_eq!(h1.trim(), format!("{title}\u{2069}\u{202c}"));
    assert_eq!(document.select(&selector("h1 b")).count(), 0);
    // Listings put other text after the title: the override must not reach it.
    let home = world.page("");
    let at = home.find("Invoice").expect("the title on the home page");
    let rest = &home[at..];
    let end = rest.find('<').expect("the end of the title");
    assert!(
        rest[..end].ends_with("\u{2069}\u{202c}"),
        "{:?}",
        &rest[..end]
    );
    // Terms are found under slugs without the invisible characters.
    assert!(
        world
            .public()
            .join("categories/category/index.html")
            .is_file()
    );
    assert!(world.public().join("tags/tag/index.html").is_file());

    // The same in site.toml.
    world.write(
        "site.toml",
        SITE_TOML
            .replace("Mara Lindqvist", "Mara \u{202e}Lindqvist")
            .as_bytes(),
    );
    world.build_ok();
    let author = world.page("authors/mara/");
    let h1: String = Html::parse_document(&author)
        .select(&selector("h1"))
        .next()
        .expect("an h1")
        .text()
        .collect();
    assert_eq!(h1.trim(), "Mara \u{202e}Lindqvist\u{202c}");
}

#[test]
fn invisible_characters_are_dropped_from_slugs() {
    let world = World::built();
    world.brief(
        "zw.md",
        "+++\ntitle = \"Z\"\ndate = 2022-08-12\nslug = \"zero\u{200b}width\"\n+++\n\nBody.\n",
    );
    world.brief(
        "rtl.md",
        "+++\ntitle = \"R\"\ndate = 2022-08-12\nslug = \"abc\u{202e}gpj.exe\"\n+++\n\nBody.\n",
    );
    world.brief(
        "iso.md",
        "+++\ntitle = \"I\"\ndate = 2022-08-12\nslug = \"\u{2066}iso\u{2069}\"\n+++\n\nBody.\n",
    );
    world.brief(
        "file\u{200b}name\u{202e}.md",
        "+++\ntitle = \"F\"\ndate = 2022-08-12\n+++\n\nBody.\n",
    );
    world.build_ok();
    for slug in ["zerowidth", "abcgpj-exe", "iso", "filename"] {
        assert!(
            world.public().join(slug).join("index.html").is_file(),
            "no page at /{slug}/"
        );
    }
}

#[test]
fn a_slug_of_only_invisible_characters_is_an_error_that_shows_them() {
    let world = World::built();
    world.brief(
        "blank.md",
        "+++\ntitle = \"B\"\ndate = 2022-08-12\nslug = \"\u{200b}\u{202e}\"\n+++\n\nBody.\n",
    );
    let run = world.build_fails();
    let (line, _, text) = located_report(&run, "briefs/blank.md", "slug");
    assert_eq!(line, 4);
    assert!(text.contains("\\u{200b}\\u{202e}"), "{text}");
}

// --- Slugs that try to leave the output folder ----------------------------------------------

/// Where a hostile name may lead: `Some(slug)` when it is made safe, `None` when refused.
const ESCAPES: &[(&str, Option<&str>)] = &[
    ("../", None),
    ("../../etc", Some("etc")),
    ("/tmp/dossier-hostile-x", Some("tmp-dossier-hostile-x")),
    ("%2e%2e", Some("2e-2e")),
    ("..\\\\..\\\\x", Some("x")),
    ("C:\\\\x", Some("c-x")),
    ("con", None),
    ("NUL", None),
    ("aux", None),
    ("com1", None),
    (".", None),
    ("..", None),
    ("", None),
];

/// Every folder and file the output holds has a safe name.
fn assert_safe_names(world: &World) {
    for dir in crate::harness::dirs_below(&world.public()) {
        let name = dir
            .file_name()
            .unwrap_or_default()
            .to_string_lossy()
            .into_owned();
        assert!(
            !name.is_empty()
                && name.len() <= 200
                && name
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'),
            "unsafe folder name {name:?} in {}",
            dir.display()
        );
    }
    assert!(!Path::new("/tmp/dossier-hostile-x").exists());
}

#[test]
fn brief_slugs_that_try_to_escape_are_refused_or_made_safe() {
    let long = "a".repeat(300);
    let mut cases: Vec<(String, Option<String>)> = ESCAPES
        .iter()
        .map(|(slug, safe)| (slug.to_string(), safe.map(str::to_owned)))
        .collect();
    cases.push((long, None));
    for (slug, safe) in cases {
        let world = World::built();
        world.brief(
            "escape.md",
            &format!(
                "+++\ntitle = \"Escape\"\ndate = 2022-08-12\nslug = \"{slug}\"\n+++\n\nBody.\n"
            ),
        );
        match safe {
            Some(safe) => {
                world.build_ok();
                assert!(
                    world.public().join(&safe).join("index.html").is_file(),
                    "{slug:?} should be at /{safe}/"
                );
                assert_safe_names(&world);
            }
            None => {
                let run = world.build_fails();
                let (line, _, _) = located_report(&run, "briefs/escape.md", "URL slug");
                assert_eq!(line, 4, "{slug:?}");
            }
        }
    }
}

#[test]
fn brief_file_names_that_are_device_names_or_too_long_are_refused() {
    for name in ["con.md", "Com1.md", &format!("{}.md", "b".repeat(220))] {
        let world = World::built();
        world.brief(
            name,
            "+++\ntitle = \"Device\"\ndate = 2022-08-12\n+++\n\nBody.\n",
        );
        let run = world.build_fails();
        report(&run, &format!("briefs/{name}"), "the file name");
    }
}

#[test]
fn section_names_are_reserved_for_the_site() {
    for slug in ["search", "authors", "page"] {
        let world = World::built();
        world.brief(
            "section.md",
            &format!("+++\ntitle = \"S\"\ndate = 2022-08-12\nslug = \"{slug}\"\n+++\n\nBody.\n"),
        );
        let run = world.build_fails();
        located_report(&run, "briefs/section.md", "reserved");
    }
}

#[test]
fn author_keys_that_try_to_escape_are_refused() {
    let long = "a".repeat(300);
    let keys = [
        "\"../../etc\"",
        "\"/tmp/dossier-hostile-x\"",
        "\"..\\\\..\\\\x\"",
        "\"C:\\\\x\"",
        "\"%2e%2e\"",
        "con",
        "nul",
        "\".\"",
        "\"..\"",
        "\"\"",
        long.as_str(),
    ];
    for key in keys {
        let world = World::built();
        world.write(
            "site.toml",
            format!(
                "title = \"Harbor Notes\"\nbase_url = \"https://example.org/blog\"\n\n[authors.mara]\nname = \"Mara\"\n\n[authors.{key}]\nname = \"Escaper\"\n"
            )
            .as_bytes(),
        );
        let run = world.build_fails();
        let (line, _, _) = located_report(&run, "site.toml", "author key");
        assert_eq!(line, 7, "{key}");
    }
}

#[test]
fn category_and_tag_names_that_try_to_escape_get_safe_slugs() {
    let world = World::built();
    let long = "word ".repeat(80);
    let names: Vec<&str> = ESCAPES
        .iter()
        .filter(|(_, safe)| safe.is_some())
        .map(|(name, _)| *name)
        .chain(["con", "NUL", "Aux", "com1", long.as_str()])
        .collect();
    let tags = names
        .iter()
        .map(|n| format!("\"{n}\""))
        .collect::<Vec<_>>()
        .join(", ");
    world.brief(
        "terms.md",
        &format!(
            "+++\ntitle = \"Terms\"\ndate = 2022-08-12\ncategory = \"../../con\"\ntags = [{tags}]\n+++\n\nBody.\n"
        ),
    );
    world.build_ok();
    for slug in [
        "etc",
        "tmp-dossier-hostile-x",
        "2e-2e",
        "x",
        "c-x",
        "con-tag",
        "nul-tag",
        "aux-tag",
        "com1-tag",
    ] {
        assert!(
            world
                .public()
                .join("tags")
                .join(slug)
                .join("index.html")
                .is_file(),
            "no tag page at /tags/{slug}/"
        );
    }
    assert!(
        world
            .public()
            .join("categories/con-category/index.html")
            .is_file()
    );
    assert_safe_names(&world);
}

#[test]
fn category_and_tag_names_without_letters_are_errors() {
    for (field, value, line) in [
        ("category", "\"../\"", 4),
        ("tags", "[\"ok\", \"..\"]", 4),
        ("tags", "[\"\"]", 4),
        ("tags", "[\".\"]", 4),
    ] {
        let world = World::built();
        world.brief(
            "terms.md",
            &format!(
                "+++\ntitle = \"Terms\"\ndate = 2022-08-12\n{field} = {value}\n+++\n\nBody.\n"
            ),
        );
        let run = world.build_fails();
        let (found, _, _) = located_report(&run, "briefs/terms.md", "no letters or digits");
        assert_eq!(found, line, "{field} = {value}");
    }
}

#[test]
fn citation_ids_that_are_paths_become_safe_source_slugs() {
    let world = World::built();
    let long = "x".repeat(300);
    let ids = [
        "../../x",
        "a/b",
        "/etc/passwd",
        "..",
        "con",
        "C:\\\\x",
        long.as_str(),
    ];
    let mut front = String::from("title = \"Cites\"\ndate = 2022-08-12\n");
    let mut body = String::from("Cited");
    for id in ids {
        front.push_str(&format!(
            "\n[[citations]]\nid = \"{id}\"\ntype = \"report\"\ntitle = \"Source {id}\"\n"
        ));
        body.push_str(&format!(" [@{{{id}}}]"));
    }
    world.brief("cites.md", &brief_with(&front, &format!("{body}.")));
    world.build_ok();
    let mut slugs: Vec<String> = fs::read_dir(world.public().join("citations"))
        .expect("citations folder")
        .flatten()
        .filter(|e| e.path().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    slugs.sort();
    assert_eq!(slugs.len(), ids.len(), "{slugs:?}");
    for expected in ["x", "a-b", "etc-passwd", "source", "con-source", "c-x"] {
        assert!(
            slugs.iter().any(|s| s == expected),
            "no {expected} in {slugs:?}"
        );
    }
    assert_safe_names(&world);
    assert_eq!(
        fs::read_to_string(world.dir().join("etc/passwd"))
            .ok()
            .as_deref(),
        Some("root:x:0:0")
    );
}

// --- The file system fighting back -----------------------------------------------------------

#[cfg(unix)]
fn symlink(target: &str, link: &Path) {
    std::os::unix::fs::symlink(target, link)
        .unwrap_or_else(|e| panic!("symlink {}: {e}", link.display()));
}

#[cfg(unix)]
#[test]
fn symlink_loops_under_briefs_are_reported_not_followed() {
    let world = World::built();
    symlink("../briefs", &world.path("briefs/loop"));
    symlink("b.md", &world.path("briefs/a.md"));
    symlink("a.md", &world.path("briefs/b.md"));
    symlink("self.md", &world.path("briefs/self.md"));
    let run = world.build_fails();
    report(&run, "briefs/loop", "link to a folder");
    report(&run, "briefs/a.md", "loop");
    report(&run, "briefs/b.md", "loop");
    report(&run, "briefs/self.md", "loop");
}

#[cfg(unix)]
#[test]
fn symlinks_leading_outside_the_site_are_never_read() {
    let world = World::built();
    fs::write(
        world.dir().join("secret.md"),
        "+++\ntitle = \"SECRET TITLE\"\ndate = 2022-08-12\n+++\n\nSECRET BODY\n",
    )
    .expect("write the secret");
    symlink("../../secret.md", &world.path("briefs/leak.md"));
    let outside_dir = world.dir().join("elsewhere");
    fs::create_dir_all(&outside_dir).expect("create elsewhere");
    fs::write(
        outside_dir.join("more.md"),
        "+++\ntitle = \"SECRET\"\ndate = 2022-08-12\n+++\n",
    )
    .expect("write");
    symlink(
        &outside_dir.to_string_lossy(),
        &world.path("briefs/elsewhere"),
    );
    symlink("/etc/passwd", &world.path("briefs/passwd.md"));
    let run = world.build_fails();
    for link in ["briefs/leak.md", "briefs/elsewhere", "briefs/passwd.md"] {
        let text = report(&run, link, "outside the site folder");
        assert!(
            !text.contains("SECRET") && !text.contains("root:"),
            "{text}"
        );
    }
    assert!(!run.stderr.contains("SECRET BODY"));
}

#[cfg(unix)]
#[test]
fn symlinks_to_briefs_inside_the_site_are_read_and_broken_ones_reported() {
    let world = World::built();
    world.write(
        "drafts/linked.md",
        b"+++\ntitle = \"Linked Brief\"\ndate = 2022-08-12\n+++\n\nLinked body.\n",
    );
    symlink("../drafts/linked.md", &world.path("briefs/linked.md"));
    world.build_ok();
    assert!(world.page("linked/").contains("Linked body."));

    symlink("nowhere.md", &world.path("briefs/dangling.md"));
    // A broken link that is not a brief is not read, like any file that is not a brief.
    symlink("nowhere.png", &world.path("briefs/picture.png"));
    let run = world.build_fails();
    report(&run, "briefs/dangling.md", "broken");
    assert!(!run.stderr.contains("picture.png"), "{}", run.stderr);
}

#[cfg(unix)]
#[test]
fn a_pipe_named_like_a_brief_is_an_error_and_never_opened() {
    let world = World::built();
    let fifo = world.path("briefs/pipe.md");
    let made = Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .expect("run mkfifo");
    assert!(made.success());
    symlink("pipe.md", &world.path("briefs/to-pipe.md"));
    // Opening a pipe for reading blocks until a writer comes: the timeout would catch that.
    let run = world.build_fails();
    report(&run, "briefs/pipe.md", "not a regular file");
    report(&run, "briefs/to-pipe.md", "not a regular file");
}

#[test]
fn a_folder_named_like_a_brief_is_a_folder() {
    let world = World::built();
    world.brief(
        "inside.md/nested.md",
        "+++\ntitle = \"Nested\"\ndate = 2022-08-12\n+++\n\nNested body.\n",
    );
    world.build_ok();
    assert!(world.page("nested/").contains("Nested body."));
}

#[cfg(unix)]
#[test]
fn an_unreadable_brief_is_a_clear_error() {
    use std::os::unix::fs::PermissionsExt;
    let world = World::built();
    world.brief("locked.md", GOOD_BRIEF);
    let path = world.path("briefs/locked.md");
    fs::set_permissions(&path, fs::Permissions::from_mode(0o000)).expect("chmod 000");
    if fs::read(&path).is_ok() {
        // Root reads any file whatever its mode: the pipe and link tests cover files that
        // cannot be read there.
        eprintln!("note: running as root, where chmod 000 does not stop reads; skipping");
        return;
    }
    let run = world.build_fails();
    report(&run, "briefs/locked.md", "may not read");
}

#[test]
fn a_brief_deleted_while_the_build_runs_is_left_out_or_reported() {
    let world = World::built();
    for i in 0..300 {
        world.brief(
            &format!("many-{i:03}.md"),
            &format!(
                "+++\ntitle = \"Many {i}\"\ndate = 2022-08-12\n+++\n\nBody {i} with some words.\n"
            ),
        );
    }
    world.build_ok();
    let mut reported = 0;
    let mut left_out = 0;
    for (attempt, delay_ms) in [0u64, 2, 5, 10, 20, 40, 80].iter().enumerate() {
        let victim = format!("briefs/many-{:03}.md", 299 - attempt);
        let path = world.path(&victim);
        let deleter = {
            let path = path.clone();
            let delay = Duration::from_millis(*delay_ms);
            std::thread::spawn(move || {
                std::thread::sleep(delay);
                let _ = fs::remove_file(&path);
            })
        };
        let run = run(&world.site(), &["build", "--root", "."]);
        deleter.join().expect("the deleting thread");
        assert_clean(&run);
        match run.code {
            Some(0) => left_out += 1,
            Some(1) => {
                report(&run, &victim, "disappeared");
                reported += 1;
            }
            other => panic!("exit code {other:?}\n{}", run.stderr),
        }
    }
    eprintln!(
        "deleted while building: {left_out} builds went on without it, {reported} reported it"
    );
}

#[test]
fn invalid_utf8_in_a_brief_is_reported_at_its_place() {
    let world = World::built();
    let mut bytes = b"+++\ntitle = \"Bad\"\ndate = 2022-08-12\n+++\n\nCaf".to_vec();
    bytes.extend([0xC3, 0x28, b' ', 0xFF]);
    bytes.extend(b" end\n");
    world.write("briefs/bad.md", &bytes);
    let run = world.build_fails();
    let (line, column, _) = located_report(&run, "briefs/bad.md", "not valid UTF-8");
    assert_eq!((line, column), (6, 4));
}

#[test]
fn invalid_utf8_in_site_toml_is_reported_at_its_place() {
    let world = World::built();
    let mut bytes = b"title = \"Harbor \xFFNotes\"\n".to_vec();
    bytes.extend(b"base_url = \"https://example.org/blog\"\n");
    world.write("site.toml", &bytes);
    let run = world.build_fails();
    let (line, column, _) = located_report(&run, "site.toml", "not valid UTF-8");
    assert_eq!((line, column), (1, 17));
}

// --- Injection ---------------------------------------------------------------------------------

const SCRIPT_URLS: &[&str] = &[
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    "\tjavascript:alert(1)",
    " java\tscript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "vbscript:msgbox(1)",
];

/// Whether an attribute value would run script when followed, as a browser reads it (leading
/// spaces and controls dropped, tabs and newlines removed anywhere).
fn runs_script(url: &str) -> bool {
    let cleaned: String = url
        .trim_start_matches(|c: char| c <= ' ')
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .collect::<String>()
        .to_ascii_lowercase();
    ["javascript:", "vbscript:", "data:"]
        .iter()
        .any(|scheme| cleaned.starts_with(scheme))
}

/// Checks a parsed HTML document or fragment for anything injected: the only scripts are the
/// theme's own files and inline JSON-LD data.
fn assert_no_injection(name: &str, document: &Html) {
    for script in document.select(&selector("script")) {
        let inline: String = script.text().collect();
        match script.value().attr("src") {
            Some(src) => {
                assert!(
                    src.starts_with("/blog/") && inline.is_empty(),
                    "{name}: script {src:?}"
                )
            }
            None => {
                assert_eq!(
                    script.value().attr("type"),
                    Some("application/ld+json"),
                    "{name}: inline script {inline}"
                );
                assert!(!inline.contains('<'), "{name}: `<` in JSON-LD: {inline}");
                serde_json::from_str::<serde_json::Value>(&inline)
                    .unwrap_or_else(|e| panic!("{name}: JSON-LD does not parse: {e}"));
            }
        }
    }
    // The theme's search form is the only form, and it stays on the site.
    for action in document
        .select(&selector("form"))
        .filter_map(|f| f.value().attr("action"))
    {
        assert!(
            action.starts_with("/blog/"),
            "{name}: form action {action:?}"
        );
    }
    for bad in [
        "iframe",
        "object",
        "embed",
        "img[src=x]",
        "meta[http-equiv]",
        "base",
    ] {
        assert_eq!(
            document.select(&selector(bad)).count(),
            0,
            "{name}: injected {bad}"
        );
    }
    for element in document.select(&selector("*")) {
        for (attr, value) in element.value().attrs() {
            assert!(
                !attr.starts_with("on"),
                "{name}: <{}> has an event handler {attr}={value:?}",
                element.value().name()
            );
            if matches!(
                attr,
                "href" | "src" | "action" | "formaction" | "xlink:href" | "poster"
            ) {
                // A brief's citation downloads are data: links of citation formats, which a
                // browser saves and never shows as a page.
                let download = element.value().attr("download").is_some()
                    && [
                        "data:application/x-bibtex;",
                        "data:application/x-research-info-systems;",
                        "data:application/vnd.citationstyles.csl+json;",
                    ]
                    .iter()
                    .any(|kind| value.starts_with(kind));
                assert!(download || !runs_script(value), "{name}: {attr}={value:?}");
            }
        }
    }
}

/// Every URL-like string value of a JSON document.
fn json_urls(value: &serde_json::Value, key: &str, out: &mut Vec<String>) {
    match value {
        serde_json::Value::String(s) => {
            let key = key.to_ascii_lowercase();
            if key.contains("url") || key == "href" || key == "@id" || key == "link" {
                out.push(s.clone());
            }
        }
        serde_json::Value::Array(items) => items.iter().for_each(|v| json_urls(v, key, out)),
        serde_json::Value::Object(map) => map.iter().for_each(|(k, v)| json_urls(v, k, out)),
        _ => {}
    }
}

fn injected_site() -> World {
    let world = World::new();
    fs::remove_file(world.path("briefs/good.md")).expect("remove the good brief");
    let quoted_payload = |label: &str| format!("'{}'", markdown_payload(label));
    let site_toml = hostile_site_toml(
        &quoted_payload,
        "language = 'en\" onload=\"alert(1)'\n",
        "https://example.org/?q=<script>",
        &format!(
            "photo = 'images/m.svg\" onerror=\"alert(1)'\n\n[extra]\nseries = {}\n",
            evil("Extra")
        ),
    );
    world.write("site.toml", site_toml.as_bytes());
    let mut citations = String::new();
    for (i, url) in SCRIPT_URLS.iter().enumerate() {
        citations.push_str(&format!(
            r#"
[[citations]]
id = "evil-{i}"
type = "article-newspaper"
title = {title}
author = [{{literal = {author}}}, {{family = {family}, given = {given}}}]
editor = [{{literal = {editor}}}]
container-title = {container}
publisher = {publisher}
publisher-place = {place}
number = {number}
genre = {genre}
note = {note}
URL = "{url}"
issued = {{date-parts = [[2021, 3, 4]]}}
"#,
            title = evil(&format!("Citation{i}")),
            author = evil("Agency"),
            family = evil("Family"),
            given = evil("Given"),
            editor = evil("Editor"),
            container = evil("Container"),
            publisher = evil("Publisher"),
            place = evil("Place"),
            number = evil("Number"),
            genre = evil("Genre"),
            note = evil("Note"),
            url = url.replace('\t', "\\t"),
        ));
    }
    citations.push_str(
        "\n[[citations]]\nid = \"doi-source\"\ntype = \"article-journal\"\ntitle = \"DOI\"\nDOI = '10.1/x\" onmouseover=\"alert(1)'\n"
    );
    let cites: String = (0..SCRIPT_URLS.len())
        .map(|i| format!(" [@evil-{i}, p. {i}]"))
        .collect();
    let brief = format!(
        r#"+++
{fields}extra = {{ series = {extra} }}
{citations}+++

A plain body that cites{cites} [@doi-source].
"#,
        fields = hostile_front_fields(&quoted_payload),
        extra = evil("Extra"),
    );
    world.brief("hostile.md", &brief);
    world
}

/// Markdown with raw HTML and a link of every script scheme.
fn markdown_payload(label: &str) -> String {
    let links: String = SCRIPT_URLS
        .iter()
        .enumerate()
        .map(|(i, url)| format!(" [link{i}](<{}>)", url.replace('\t', "&#9;")))
        .collect();
    format!("{label} {SCRIPT} {BREAKOUT}{links} <a href=\"javascript:alert(1)\">raw</a>")
}

#[test]
fn injection_in_every_field_never_reaches_any_page_feed_or_index() {
    let world = injected_site();
    world.build_ok();
    let mut checked = (0, 0, 0);
    for file in crate::harness::files_below(&world.public()) {
        let name = relative(&world.public(), &file);
        let extension = file.extension().map(|e| e.to_string_lossy().into_owned());
        let text = || fs::read_to_string(&file).unwrap_or_else(|e| panic!("{name}: {e}"));
        match extension.as_deref() {
            Some("html") => {
                checked.0 += 1;
                let html = text();
                assert!(!html.contains("<script>alert"), "{name}: live <script>");
                assert!(!html.contains("<img src=x"), "{name}: injected <img>");
                assert_no_injection(&name, &Html::parse_document(&html));
            }
            Some("xml") => {
                checked.1 += 1;
                let xml = text();
                let document = roxmltree::Document::parse(&xml)
                    .unwrap_or_else(|e| panic!("{name} is not well-formed XML: {e}"));
                for node in document.descendants().filter(|n| n.is_element()) {
                    for attr in node.attributes() {
                        if attr.name() == "href" {
                            assert!(
                                !runs_script(attr.value()),
                                "{name}: href={:?}",
                                attr.value()
                            );
                        }
                    }
                    // Atom `type="html"` content and RSS item descriptions are HTML a reader
                    // renders (the channel's description is a phrase of text).
                    let is_html = node.attribute("type") == Some("html")
                        || (node.tag_name().name() == "description"
                            && node.parent().is_some_and(|p| p.tag_name().name() == "item"));
                    if is_html {
                        let inner: String = node.children().filter_map(|c| c.text()).collect();
                        assert_no_injection(&name, &Html::parse_fragment(&inner));
                    }
                }
            }
            // The search index's shards and documents are JSON written gzip-compressed.
            Some("json") | Some("gz") => {
                checked.2 += 1;
                let json = if extension.as_deref() == Some("gz") {
                    let mut json = String::new();
                    let packed = fs::read(&file).unwrap_or_else(|e| panic!("{name}: {e}"));
                    std::io::Read::read_to_string(
                        &mut flate2::read::GzDecoder::new(&packed[..]),
                        &mut json,
                    )
                    .unwrap_or_else(|e| panic!("{name} is not gzip-compressed text: {e}"));
                    json
                } else {
                    text()
                };
                let value: serde_json::Value = serde_json::from_str(&json)
                    .unwrap_or_else(|e| panic!("{name} is not JSON: {e}"));
                let mut urls = Vec::new();
                json_urls(&value, "", &mut urls);
                for url in urls {
                    assert!(!runs_script(&url), "{name}: URL {url:?}");
                }
            }
            Some("bib") | Some("ris") => {
                let exported = text();
                for line in exported.lines() {
                    let lower = line.to_ascii_lowercase();
                    if lower.trim_start().starts_with("url") || lower.starts_with("ur  -") {
                        assert!(
                            !lower.contains("javascript:")
                                && !lower.contains("vbscript:")
                                && !lower.contains("data:"),
                            "{name}: {line}"
                        );
                    }
                }
            }
            _ => {}
        }
    }
    assert!(
        checked.0 > 15 && checked.1 >= 3 && checked.2 >= 3,
        "{checked:?}"
    );
    // The payloads are shown, as text.
    let page = world.page("hostile/");
    let document = Html::parse_document(&page);
    let h1: String = document
        .select(&selector("h1"))
        .next()
        .expect("h1")
        .text()
        .collect();
    assert_eq!(h1.trim(), format!("Title {SCRIPT} {BREAKOUT}"));
    // No source address of a script scheme is a link anywhere.
    for i in 0..SCRIPT_URLS.len() {
        let source = world.page(&format!("citations/evil-{i}/"));
        assert_eq!(
            Html::parse_document(&source)
                .select(&selector(".source-link"))
                .count(),
            0,
            "citations/evil-{i}/ links its address"
        );
    }
}

#[test]
fn script_urls_as_images_and_photos_are_refused() {
    for url in SCRIPT_URLS.iter().chain(&["javascript://%0aalert(1)"]) {
        let escaped = url.replace('\t', "\\t");
        let world = World::built();
        world.brief(
            "image.md",
            &format!(
                "+++\ntitle = \"Image\"\ndate = 2022-08-12\nimage = \"{escaped}\"\n+++\n\nBody.\n"
            ),
        );
        let run = world.build_fails();
        let (line, _, _) = located_report(&run, "briefs/image.md", "lead image");
        assert_eq!(line, 4, "{url:?}");

        let world = World::built();
        world.write(
            "site.toml",
            format!("{SITE_TOML}photo = \"{escaped}\"\n").as_bytes(),
        );
        let run = world.build_fails();
        let (line, _, _) = located_report(&run, "site.toml", "photo");
        assert_eq!(line, 6, "{url:?}");
    }
}

// --- Where the output goes ------------------------------------------------------------------

/// A build replaces its output folder whole and deletes what was there: it must refuse a folder
/// that is the site, holds it, lies in its sources, or holds other work.
#[test]
fn output_folders_that_are_not_dossiers_to_replace_are_refused() {
    let world = World::built();
    fs::create_dir_all(world.dir().join("notes")).expect("create notes");
    fs::write(world.dir().join("notes/plan.txt"), "my work").expect("write notes");
    fs::create_dir_all(world.dir().join("repo/.git")).expect("create repo");
    fs::write(world.dir().join("repo/index.html"), "<p>mine</p>").expect("write repo");
    fs::write(world.dir().join("a-file"), "data").expect("write a file");
    for (output, why) in [
        (".", "holds the site's own folder"),
        ("..", "holds the site's own folder"),
        ("briefs", "inside the site's briefs/ folder"),
        ("briefs/out", "inside the site's briefs/ folder"),
        ("static/../briefs/x", "inside the site's briefs/ folder"),
        ("../notes", "not a previous output"),
        ("../repo", "holds a .git"),
        ("../a-file", "is a file"),
    ] {
        let before = world.outside_output();
        let output_before = snapshot(&world.public());
        let run = run(&world.site(), &["build", "--root", ".", "--output", output]);
        assert_eq!(run.code, Some(1), "--output {output}\n{}", run.stderr);
        assert_clean(&run);
        assert!(
            run.stderr.contains("refusing to write the site") && run.stderr.contains(why),
            "--output {output}:\n{}",
            run.stderr
        );
        assert!(run.stderr.contains("= help: "), "{}", run.stderr);
        world.assert_unchanged_outside(&before);
        assert!(snapshot(&world.public()) == output_before);
    }
    // An empty folder, or one with only hidden files, is fine; so is the previous output.
    fs::create_dir_all(world.dir().join("deploy")).expect("create deploy");
    fs::write(world.dir().join("deploy/.gitkeep"), "").expect("write .gitkeep");
    for _ in 0..2 {
        let run = run(
            &world.site(),
            &["build", "--root", ".", "--output", "../deploy"],
        );
        assert_eq!(run.code, Some(0), "{}", run.stderr);
    }
    assert!(world.dir().join("deploy/good/index.html").is_file());
}

#[test]
fn a_theme_name_that_is_a_path_is_refused() {
    for theme in ["../../elsewhere", "/etc", "..", "a/b", "..\\\\x"] {
        let world = World::built();
        world.write(
            "site.toml",
            SITE_TOML
                .replacen("base_url", &format!("theme = \"{theme}\"\nbase_url"), 1)
                .as_bytes(),
        );
        let run = world.build_fails();
        let (line, _, _) = located_report(&run, "site.toml", "not the name of a folder");
        assert_eq!(line, 2, "{theme}");
    }
}

/// Files the site names besides briefs: a pipe or a device there would hang the build (a pipe
/// waits for a writer, `/dev/zero` never ends).
#[cfg(unix)]
#[test]
fn bibliographies_and_styles_that_are_pipes_or_devices_are_refused() {
    let world = World::built();
    let fifo = world.path("briefs/refs.bib");
    assert!(
        Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .expect("mkfifo")
            .success()
    );
    world.brief(
        "cites.md",
        "+++\ntitle = \"Cites\"\ndate = 2022-08-12\nbibliography = [\"refs.bib\", \"/dev/zero\"]\n+++\n\nText [@x].\n",
    );
    let run = world.build_fails();
    for name in ["briefs/refs.bib", "/dev/zero"] {
        assert!(
            run.stderr
                .contains(&format!("bibliography file {name} is not a regular file")),
            "{name}:\n{}",
            run.stderr
        );
    }
    report(&run, "briefs/cites.md", "not a regular file");

    let world = World::built();
    let style = world.path("styles/house.csl");
    fs::create_dir_all(style.parent().expect("a parent")).expect("create styles");
    assert!(
        Command::new("mkfifo")
            .arg(&style)
            .status()
            .expect("mkfifo")
            .success()
    );
    world.write(
        "site.toml",
        format!("{SITE_TOML}\n[citations]\nstyle = \"styles/house.csl\"\n").as_bytes(),
    );
    let run = world.build_fails();
    let (line, _, _) = located_report(&run, "site.toml", "not a regular file");
    assert_eq!(line, 8);
}

#[cfg(unix)]
#[test]
fn site_toml_is_read_through_a_link_only_inside_the_site() {
    let world = World::built();
    fs::create_dir_all(world.path("config")).expect("create config");
    fs::rename(world.path("site.toml"), world.path("config/site.toml")).expect("move");
    symlink("config/site.toml", &world.path("site.toml"));
    world.build_ok();

    fs::rename(
        world.path("config/site.toml"),
        world.dir().join("outside.toml"),
    )
    .expect("move site.toml out");
    fs::remove_file(world.path("site.toml")).expect("remove the link");
    symlink("../outside.toml", &world.path("site.toml"));
    let run = world.build_fails();
    report(&run, "site.toml", "outside the site folder");
}
