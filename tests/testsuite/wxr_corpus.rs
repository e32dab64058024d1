//! WordPress's own theme unit test data (`../shared/corpora/wxr/`, beside the repository; not
//! part of it), imported with `dossier import wordpress` and built: no errors, every paragraph of
//! every published post and page on its built page, every old permalink served (by the page or a
//! redirect to it), `dossier check` clean. `.ci/run` runs them (`--include-ignored`).

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use regex::Regex;
use scraper::Html;

/// `../shared/corpora/wxr/` beside the repository, or the folder `DOSSIER_WXR_CORPUS` names.
fn corpus(name: &str) -> PathBuf {
    let folder = std::env::var_os("DOSSIER_WXR_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpora/wxr"));
    let path = folder.join(name);
    assert!(
        path.is_file(),
        "no export at {}: this test needs the shared corpora beside the repository",
        path.display()
    );
    path
}

fn dossier(args: &[&std::ffi::OsStr]) -> (bool, String) {
    let output = crate::harness::dossier()
        .args(args)
        .output()
        .expect("run dossier");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    (output.status.success(), text)
}

/// Words only, lower case: what a reader sees, whatever the quotes, spaces and markup.
fn normalize(text: &str) -> String {
    let mapped: String = text
        .chars()
        .map(|c| {
            if c.is_alphanumeric() {
                c.to_lowercase().next().unwrap_or(c)
            } else {
                ' '
            }
        })
        .collect();
    mapped.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The paragraphs a reader of the WordPress site sees in a post's stored content, worked out
/// independently of the importer: comments and scripts out, shortcode tags out (their content
/// stays), footnotes apart, a paragraph break at every blank line and block element.
fn wordpress_paragraphs(content: &str, footnotes_json: Option<&str>) -> (Vec<String>, Vec<String>) {
    let comments = Regex::new(r"(?s)<!--.*?-->").unwrap();
    let scripts = Regex::new(r"(?is)<(script|style)\b.*?</(script|style)>").unwrap();
    let footnote_sups = Regex::new(r#"(?s)<sup[^>]*data-fn="[^"]*"[^>]*>.*?</sup>"#).unwrap();
    let note_shortcodes =
        Regex::new(r"(?s)\[(efn_note|mfn|ref|footnote)\](.*?)\[/(efn_note|mfn|ref|footnote)\]")
            .unwrap();
    let shortcode_tags =
        Regex::new(r"\[/?(caption|wp_caption|gallery|embed|audio|video|playlist)\b[^\]]*\]")
            .unwrap();
    let blocks = Regex::new(r"(?i)</?(p|div|li|ul|ol|h[1-6]|table|thead|tbody|tr|td|th|blockquote|pre|figure|figcaption|dl|dt|dd|hr|section|details|summary|address)\b[^>]*>").unwrap();
    let mut notes: Vec<String> = Vec::new();
    let mut text = comments.replace_all(content, "").into_owned();
    text = scripts.replace_all(&text, "").into_owned();
    text = footnote_sups.replace_all(&text, " ").into_owned();
    text = note_shortcodes
        .replace_all(&text, |c: &regex::Captures| {
            notes.push(c[2].to_owned());
            " ".to_owned()
        })
        .into_owned();
    text = shortcode_tags.replace_all(&text, "\n\n").into_owned();
    text = blocks.replace_all(&text, "\n\n$0\n\n").into_owned();
    // A line break is a space between words.
    text = Regex::new(r"(?i)<br\s*/?>")
        .unwrap()
        .replace_all(&text, "\n")
        .into_owned();
    if let Some(json) = footnotes_json
        && let Ok(list) = serde_json::from_str::<Vec<serde_json::Value>>(json)
    {
        notes.extend(
            list.iter()
                .filter_map(|n| n.get("content")?.as_str().map(str::to_owned)),
        );
    }
    let visible: String = Html::parse_fragment(&text).root_element().text().collect();
    let split = Regex::new(r"\n\s*\n").unwrap();
    let paragraphs = split
        .split(&visible)
        .map(normalize)
        .filter(|p| !p.is_empty())
        .collect();
    let notes = notes
        .iter()
        .map(|n| {
            normalize(
                &Html::parse_fragment(n)
                    .root_element()
                    .text()
                    .collect::<String>(),
            )
        })
        .filter(|n| !n.is_empty())
        .collect();
    (paragraphs, notes)
}

struct Item {
    id: String,
    kind: String,
    title: String,
    link: String,
    content: String,
    footnotes: Option<String>,
}

/// Published posts and pages (not password-protected), read with roxmltree.
fn published(export: &Path) -> (String, Vec<Item>) {
    let text = std::fs::read_to_string(export).unwrap();
    let doc = roxmltree::Document::parse(&text).unwrap();
    let child_text = |node: roxmltree::Node, name: &str| -> String {
        node.children()
            .find(|c| c.tag_name().name() == name)
            .and_then(|c| c.text())
            .unwrap_or_default()
            .to_owned()
    };
    let channel = doc
        .descendants()
        .find(|n| n.has_tag_name("channel"))
        .unwrap();
    let site = child_text(channel, "link");
    let mut items = Vec::new();
    for item in channel.children().filter(|n| n.has_tag_name("item")) {
        let kind = child_text(item, "post_type");
        if !matches!(kind.as_str(), "post" | "page")
            || child_text(item, "status") != "publish"
            || !child_text(item, "post_password").is_empty()
        {
            continue;
        }
        let footnotes = item
            .children()
            .filter(|c| c.tag_name().name() == "postmeta")
            .find(|m| child_text(*m, "meta_key") == "footnotes")
            .map(|m| child_text(m, "meta_value"));
        let content = item
            .children()
            .find(|c| {
                c.tag_name().name() == "encoded"
                    && c.tag_name()
                        .namespace()
                        .is_some_and(|n| n.contains("content"))
            })
            .and_then(|c| c.text())
            .unwrap_or_default()
            .to_owned();
        items.push(Item {
            id: child_text(item, "post_id"),
            kind,
            title: child_text(item, "title"),
            link: child_text(item, "link"),
            content,
            footnotes,
        });
    }
    (site, items)
}

/// Imported files by WordPress id: the file's path under the site, and the page URL path.
fn imported(site: &Path) -> HashMap<String, (PathBuf, String)> {
    let mut found = HashMap::new();
    let id = Regex::new(r"extra = \{ wordpress_id = (\d+) \}").unwrap();
    for file in crate::harness::files_below(site) {
        let rel = file
            .strip_prefix(site)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        let url = if let Some(slug) = rel
            .strip_prefix("briefs/")
            .and_then(|r| r.strip_suffix(".md"))
        {
            format!("{slug}/")
        } else if let Some(path) = rel
            .strip_prefix("pages/")
            .and_then(|r| r.strip_suffix(".md"))
        {
            format!("{}/", path.trim_end_matches("/index"))
        } else {
            continue;
        };
        let text = std::fs::read_to_string(&file).unwrap();
        if let Some(c) = id.captures(&text) {
            found.insert(c[1].to_owned(), (file.clone(), url));
        }
    }
    found
}

fn check(name: &str) {
    let export = corpus(name);
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    let os = |s: &Path| s.as_os_str().to_owned();
    let (ok, out) = dossier(&[
        "import".as_ref(),
        "wordpress".as_ref(),
        &os(&export),
        "--into".as_ref(),
        &os(&site),
    ]);
    assert!(ok, "import failed:\n{out}");
    let (ok, out) = dossier(&["build".as_ref(), "--root".as_ref(), &os(&site)]);
    assert!(ok, "build failed:\n{out}");
    let (ok, out) = dossier(&["check".as_ref(), "--root".as_ref(), &os(&site)]);
    assert!(ok, "check failed:\n{out}");

    let public = site.join("public");
    let (site_url, items) = published(&export);
    let files = imported(&site);
    let redirects = std::fs::read_to_string(public.join("_redirects")).unwrap();
    let query_map: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(public.join("redirects.json")).unwrap())
            .unwrap();
    let report = std::fs::read_to_string(site.join("import-report.md")).unwrap();
    let mut missing = Vec::new();
    let mut checked = (0, 0);
    for item in &items {
        let Some((file, url)) = files.get(&item.id) else {
            missing.push(format!(
                "{} {} “{}” was not imported",
                item.kind, item.id, item.title
            ));
            continue;
        };
        let html =
            std::fs::read_to_string(public.join(url).join("index.html")).unwrap_or_else(|e| {
                panic!(
                    "{} ({}) was not built at /{url}: {e}",
                    item.id,
                    file.display()
                )
            });
        let page = Html::parse_document(&html);
        let shown: String = page
            .select(&crate::harness::selector(".brief-body, .brief-notes"))
            .flat_map(|e| e.text())
            .collect::<String>();
        let shown = normalize(&shown);
        let (paragraphs, notes) = wordpress_paragraphs(&item.content, item.footnotes.as_deref());
        for paragraph in paragraphs.iter().chain(&notes) {
            checked.0 += 1;
            if !shown.contains(paragraph.as_str()) {
                missing.push(format!(
                    "{} {} “{}” ({}): lacks “{paragraph}”",
                    item.kind,
                    item.id,
                    item.title,
                    file.display()
                ));
            }
        }
        // The old permalink: the page itself, a redirect to it, or (when it is now one of
        // dossier's own pages, such as /search/) a line of the report.
        let old = item
            .link
            .strip_prefix(site_url.trim_end_matches('/'))
            .unwrap_or(&item.link);
        let (old_path, query) = old.split_once('?').unwrap_or((old, ""));
        let old_path = percent_encoding::percent_decode_str(old_path).decode_utf8_lossy();
        let old_path = old_path
            .split('/')
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join("/");
        checked.1 += 1;
        let declined = format!(
            "{} {} “{}”: its old address /{old_path}/ is now the site's own",
            item.kind, item.id, item.title
        );
        if query.is_empty() && old_path != url.trim_matches('/') && !report.contains(&declined) {
            let served = std::fs::read_to_string(public.join(&old_path).join("index.html"))
                .unwrap_or_default();
            let target = format!("{}/{url}", site_url.trim_end_matches('/'));
            if !served.contains(&format!("content=\"0; url={target}\""))
                || !served.contains(&format!("<link rel=\"canonical\" href=\"{target}\">"))
            {
                missing.push(format!(
                    "{} {}: the old permalink {} does not redirect to {target}",
                    item.kind, item.id, item.link
                ));
            }
        }
        let key = if item.kind == "page" { "page_id" } else { "p" };
        // Static hosts: the home page's script looks the address up in redirects.json.
        if query_map[&format!("/?{key}={}", item.id)] != format!("/{url}") {
            missing.push(format!(
                "{} {}: `?{key}=` is not in redirects.json",
                item.kind, item.id
            ));
        }
        if !redirects.contains(&format!("/ {key}={} /{url} 301!\n", item.id)) {
            missing.push(format!(
                "{} {}: no `?{key}=` redirect in _redirects",
                item.kind, item.id
            ));
        }
    }
    assert!(
        missing.is_empty(),
        "{name}: {} problems:\n{}",
        missing.len(),
        missing.join("\n")
    );
    assert!(
        checked.0 > 100 && checked.1 > 20,
        "{name}: too little checked: {checked:?}"
    );
    eprintln!(
        "{name}: {} items, {} paragraphs and notes, {} permalinks checked",
        items.len(),
        checked.0,
        checked.1
    );
}

#[test]
#[ignore = "needs ../shared/corpora/wxr"]
fn theme_unit_test_data_imports_builds_and_keeps_every_paragraph_and_url() {
    check("themeunittestdata.wordpress.xml");
}

#[test]
#[ignore = "needs ../shared/corpora/wxr"]
fn block_test_data_imports_builds_and_keeps_every_paragraph_and_url() {
    check("64-block-test-data.xml");
}
