//! What reference managers and search engines read: "cite this brief" with its BibTeX, RIS and
//! CSL-JSON downloads (`data:` links in the page), the site-wide `/citations.json` and `/citations.bib`, and the
//! metadata in each brief's `<head>` (Highwire Press tags, schema.org JSON-LD, Open Graph, the
//! canonical link). BibTeX is read with the `biblatex` crate and JSON with `serde_json`, as an
//! importer would read them.

use crate::harness::{Site, count, select_attr, select_inner_html, selector, the_attr, the_text};
use biblatex::{Bibliography, ChunksExt, DateValue, Entry, EntryType, PermissiveType};
use scraper::Html;
use serde_json::{Value, json};

const BRIEF: &str = "dark-fleet-bunkering/";
const PERMALINK: &str = "https://example.org/straits/dark-fleet-bunkering/";
const ORGANIZATION: &str = "Kestrel Institute for Maritime Affairs";

fn library() -> Site {
    let site = Site::fixture("library");
    site.build_ok(&[]);
    site
}

/// The library fixture with extra lines in its `[citations]` table.
fn library_with(citations: &str) -> Site {
    let site = Site::fixture("library");
    let toml = site
        .read("site.toml")
        .replace("[citations]\n", &format!("[citations]\n{citations}\n"));
    site.write("site.toml", &toml);
    site.build_ok(&[]);
    site
}

fn read(site: &Site, rel: &str) -> String {
    site.read(&format!("public/{rel}"))
}

/// The text of a brief's download in `format` (`bib`, `ris` or `json`), decoded from its
/// `data:` link as a browser saves it.
fn download(site: &Site, brief: &str, format: &str) -> String {
    let page = site.page(brief);
    let links = select_attr(&page, ".brief-cite .cite-downloads a", "href");
    let names = select_attr(&page, ".brief-cite .cite-downloads a", "download");
    let at = names
        .iter()
        .position(|n| n.ends_with(&format!(".{format}")))
        .unwrap_or_else(|| panic!("{brief}: no .{format} download in {names:?}"));
    let (head, data) = links[at]
        .split_once(',')
        .unwrap_or_else(|| panic!("{brief}: not a data URL: {}", links[at]));
    assert!(
        head.starts_with("data:") && head.ends_with(";charset=utf-8"),
        "{head}"
    );
    percent_encoding::percent_decode_str(data)
        .decode_utf8()
        .unwrap_or_else(|e| panic!("{brief}: not UTF-8: {e}"))
        .into_owned()
}

fn parse_bib(text: &str) -> Bibliography {
    Bibliography::parse(text).unwrap_or_else(|e| panic!("BibTeX does not parse: {e:?}\n{text}"))
}

fn field(entry: &Entry, name: &str) -> Option<String> {
    entry.get(name).map(|chunks| chunks.format_verbatim())
}

/// The entry's authors as (family, given).
fn authors(entry: &Entry) -> Vec<(String, String)> {
    entry
        .author()
        .unwrap_or_else(|e| panic!("{}: no authors: {e:?}", entry.key))
        .into_iter()
        .map(|p| (p.name, p.given_name))
        .collect()
}

/// The entry's date as (year, month, day), 1-based.
fn date(entry: &Entry) -> (i32, Option<u8>, Option<u8>) {
    match entry.date() {
        Ok(PermissiveType::Typed(date)) => match date.value {
            DateValue::At(at) => (at.year, at.month.map(|m| m + 1), at.day.map(|d| d + 1)),
            other => panic!("{}: a range: {other:?}", entry.key),
        },
        other => panic!("{}: no typed date: {other:?}", entry.key),
    }
}

fn parse_json(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("JSON does not parse: {e}\n{text}"))
}

/// Every `<meta name=... content=...>` with that name, in order.
fn meta(page: &str, name: &str) -> Vec<String> {
    select_attr(page, &format!("meta[name='{name}']"), "content")
}

/// The page's only JSON-LD, parsed.
fn json_ld(page: &str) -> Value {
    let document = Html::parse_document(page);
    let scripts: Vec<_> = document
        .select(&selector("script[type='application/ld+json']"))
        .collect();
    assert_eq!(scripts.len(), 1, "expected one JSON-LD script");
    let text: String = scripts[0].text().collect();
    assert!(!text.contains('<'), "raw `<` in JSON-LD: {text}");
    parse_json(&text)
}

// --- Cite this brief ---

#[test]
fn cite_this_brief_formats_the_brief_in_the_site_style_and_links_its_files() {
    let site = library();
    let page = site.page(BRIEF);
    assert_eq!(
        the_text(&page, ".brief-cite .cite-reference"),
        format!(
            "Haddad, Ines, and Tomás Reyes. Closing the Bunkering Gap. {ORGANIZATION}, 2024. {PERMALINK}."
        )
    );
    let html = select_inner_html(&page, ".brief-cite .cite-reference").remove(0);
    assert!(html.contains("<i>Closing the Bunkering Gap</i>"), "{html}");
    assert_eq!(
        select_attr(&page, ".brief-cite .cite-reference a.url", "href"),
        vec![PERMALINK]
    );
    assert_eq!(
        select_attr(&page, ".brief-cite .cite-downloads a", "download"),
        vec![
            "dark-fleet-bunkering.bib",
            "dark-fleet-bunkering.ris",
            "dark-fleet-bunkering.json"
        ]
    );
    assert_eq!(
        select_attr(&page, ".brief-cite .cite-downloads a", "type"),
        vec![
            "application/x-bibtex",
            "application/x-research-info-systems",
            "application/vnd.citationstyles.csl+json"
        ]
    );
    // No file per brief and format: the downloads travel in the page.
    assert!(site.public().join(BRIEF).join("index.html").is_file());
    for file in ["cite.bib", "cite.ris", "cite.json"] {
        assert!(!site.public().join(BRIEF).join(file).exists(), "{file}");
    }
    // Every brief gets the block and its three downloads.
    for slug in ["joint-patrols", "coast-guards", "port-state-control"] {
        let page = site.page(&format!("{slug}/"));
        assert_eq!(count(&page, ".brief-cite .cite-reference"), 1, "{slug}");
        assert_eq!(
            count(&page, ".brief-cite .cite-downloads a[download]"),
            3,
            "{slug}"
        );
    }
}

#[test]
fn cite_this_brief_follows_the_site_style() {
    let site = library_with("style = \"apa\"");
    assert_eq!(
        the_text(&site.page(BRIEF), ".brief-cite .cite-reference"),
        format!(
            "Haddad, I., & Reyes, T. (2024). Closing the Bunkering Gap. {ORGANIZATION}. {PERMALINK}"
        )
    );
}

#[test]
fn cite_bib_is_a_biblatex_report_by_the_organization() {
    let site = library();
    let bib = parse_bib(&download(&site, "dark-fleet-bunkering/", "bib"));
    assert_eq!(bib.len(), 1);
    let entry = bib
        .get("dark-fleet-bunkering")
        .expect("the brief's slug as key");
    assert_eq!(entry.entry_type, EntryType::Report);
    assert_eq!(
        field(entry, "title").as_deref(),
        Some("Closing the Bunkering Gap")
    );
    assert_eq!(
        authors(entry),
        vec![
            ("Haddad".to_owned(), "Ines".to_owned()),
            ("Reyes".to_owned(), "Tomás".to_owned())
        ]
    );
    assert_eq!(field(entry, "institution").as_deref(), Some(ORGANIZATION));
    assert_eq!(field(entry, "url").as_deref(), Some(PERMALINK));
    assert_eq!(date(entry), (2024, Some(4), Some(2)));

    let single = parse_bib(&download(&site, "coast-guards/", "bib"));
    let entry = single.get("coast-guards").expect("an entry");
    assert_eq!(authors(entry), vec![("Seo".to_owned(), "Yuna".to_owned())]);
    assert_eq!(date(entry), (2023, Some(11), Some(8)));
}

#[test]
fn cite_ris_has_one_tag_per_line_and_one_author_per_tag() {
    let site = library();
    let ris = download(&site, "dark-fleet-bunkering/", "ris");
    assert!(ris.ends_with("\r\n"), "{ris:?}");
    assert_eq!(
        ris.matches('\n').count(),
        ris.matches("\r\n").count(),
        "RIS lines end with CRLF: {ris:?}"
    );
    let lines: Vec<&str> = ris.trim_end_matches("\r\n").split("\r\n").collect();
    for line in &lines {
        let tag = line.get(..6).unwrap_or_default();
        assert!(
            tag.len() == 6
                && tag[..2]
                    .chars()
                    .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
                && &tag[2..] == "  - ",
            "not an RIS line: {line:?}"
        );
    }
    assert_eq!(lines.first(), Some(&"TY  - RPRT"));
    assert_eq!(lines.last(), Some(&"ER  - "));
    let tagged = |tag: &str| -> Vec<&str> {
        lines
            .iter()
            .filter_map(|l| l.strip_prefix(&format!("{tag}  - ")))
            .collect()
    };
    assert_eq!(tagged("AU"), vec!["Haddad, Ines", "Reyes, Tomás"]);
    assert_eq!(tagged("TI"), vec!["Closing the Bunkering Gap"]);
    assert_eq!(tagged("PY"), vec!["2024"]);
    assert_eq!(tagged("DA"), vec!["2024/04/02"]);
    assert_eq!(tagged("PB"), vec![ORGANIZATION]);
    assert_eq!(tagged("UR"), vec![PERMALINK]);
    assert_eq!(tagged("TY").len(), 1);
    assert_eq!(tagged("ER").len(), 1);
}

#[test]
fn cite_json_is_csl_json_of_a_report() {
    let site = library();
    let json = parse_json(&download(&site, "dark-fleet-bunkering/", "json"));
    let items = json.as_array().expect("a CSL-JSON array");
    assert_eq!(items.len(), 1);
    let item = &items[0];
    assert_eq!(item["id"], "dark-fleet-bunkering");
    assert_eq!(item["type"], "report");
    assert_eq!(item["title"], "Closing the Bunkering Gap");
    assert_eq!(
        item["author"],
        json!([{"family": "Haddad", "given": "Ines"}, {"family": "Reyes", "given": "Tomás"}])
    );
    assert_eq!(item["issued"], json!({"date-parts": [[2024, 4, 2]]}));
    assert_eq!(item["URL"], PERMALINK);
    assert_eq!(item["publisher"], ORGANIZATION);
    // Compact: the file travels percent-encoded in the page.
    let text = download(&site, "dark-fleet-bunkering/", "json");
    assert!(!text.contains('\n') && !text.contains(": "), "{text}");
}

#[test]
fn blog_post_brief_type_describes_the_brief_as_a_post_everywhere() {
    let site = library_with("brief_type = \"post-weblog\"");
    let bib = parse_bib(&download(&site, "dark-fleet-bunkering/", "bib"));
    let entry = bib.get("dark-fleet-bunkering").expect("an entry");
    assert_eq!(entry.entry_type, EntryType::Online);
    assert_eq!(field(entry, "url").as_deref(), Some(PERMALINK));
    let ris = download(&site, "dark-fleet-bunkering/", "ris");
    assert!(ris.starts_with("TY  - BLOG\r\n"), "{ris}");
    let json = parse_json(&download(&site, "dark-fleet-bunkering/", "json"));
    assert_eq!(json[0]["type"], "post-weblog");
    assert_eq!(json[0]["container-title"], "The Straits Review");
    let page = site.page(BRIEF);
    assert_eq!(json_ld(&page)["@type"], "BlogPosting");
    assert!(
        meta(&page, "citation_technical_report_institution").is_empty(),
        "a post is not a report"
    );
    assert!(
        the_text(&page, ".brief-cite .cite-reference").contains("Closing the Bunkering Gap"),
        "{page}"
    );
}

#[test]
fn without_an_organization_the_site_publishes_the_brief() {
    let site = Site::new()
        .file(
            "site.toml",
            "title = \"Harbor Notes\"\nbase_url = \"https://example.org\"\n\n[authors.mara]\nname = \"Mara Lindqvist\"\n",
        )
        .brief(
            "a.md",
            "+++\ntitle = \"Chips\"\ndate = 2022-09-14\nauthor = \"mara\"\n+++\n\nText.\n",
        );
    site.build_ok(&[]);
    let json = parse_json(&download(&site, "a/", "json"));
    assert_eq!(json[0]["publisher"], "Harbor Notes");
    let bib = parse_bib(&download(&site, "a/", "bib"));
    let entry = bib.get("a").expect("an entry");
    assert_eq!(field(entry, "institution").as_deref(), Some("Harbor Notes"));
    let page = site.page("a/");
    assert_eq!(meta(&page, "citation_publisher"), vec!["Harbor Notes"]);
    assert!(meta(&page, "citation_technical_report_institution").is_empty());
    assert_eq!(json_ld(&page)["publisher"]["name"], "Harbor Notes");
}

// --- The site's own exports ---

const CITED: &[&str] = &[
    "haddad2023bunkering",
    "http://zotero.org/users/local/Xq3uF8/items/9KD2WZ7M",
    "kang2024patrols",
    "lindgren2022insurers",
    "mercer2023tankers",
    "mti2024coverage",
    "nakamura2019flags",
    "okafor2021",
    "seo2023fisheries",
    "unpoe2024",
    "unsc2397",
    "whitlock2020",
];

#[test]
fn citations_json_is_csl_json_of_every_cited_source() {
    let site = library();
    let json = parse_json(&read(&site, "citations.json"));
    let items = json.as_array().expect("a CSL-JSON array");
    let mut ids: Vec<&str> = items.iter().filter_map(|i| i["id"].as_str()).collect();
    ids.sort_unstable();
    assert_eq!(ids, CITED, "every cited source once, and no uncited one");
    let item = |id: &str| {
        items
            .iter()
            .find(|i| i["id"] == id)
            .unwrap_or_else(|| panic!("no {id}"))
    };
    // From BibLaTeX: fields under their CSL names.
    let report = item("haddad2023bunkering");
    assert_eq!(report["type"], "report");
    assert_eq!(report["publisher"], ORGANIZATION);
    assert_eq!(report["genre"], "Policy Report");
    assert_eq!(report["issued"], json!({"date-parts": [[2023, 6]]}));
    let article = item("lindgren2022insurers");
    assert_eq!(article["type"], "article-journal");
    assert_eq!(article["DOI"], "10.5555/jmlp.2022.018");
    assert_eq!(
        article["container-title"],
        "Journal of Maritime Law and Policy"
    );
    assert_eq!(
        article["author"][1],
        json!({"family": "Dijk", "given": "Pieter", "non-dropping-particle": "van"})
    );
    assert_eq!(item("mercer2023tankers")["type"], "article-newspaper");
    assert_eq!(item("mti2024coverage")["type"], "webpage");
    assert_eq!(
        item("unpoe2024")["author"],
        json!([{"literal": "United Nations Panel of Experts on the DPRK"}])
    );
    // From Zotero's CSL-JSON: as written, fields dossier does not print included.
    let zotero = item("okafor2021");
    assert_eq!(zotero["title-short"], "Watching the Transfers");
    assert_eq!(zotero["volume"], "17");
    assert_eq!(zotero["issued"], json!({"date-parts": [[2021, 6]]}));
    assert_eq!(item("whitlock2020")["edition"], "2");
    assert_eq!(item("unsc2397")["number"], "S/RES/2397 (2017)");
}

#[test]
fn citations_bib_parses_and_holds_every_cited_source() {
    let site = library();
    let bib = parse_bib(&read(&site, "citations.bib"));
    assert_eq!(
        bib.len(),
        CITED.len(),
        "{:?}",
        bib.keys().collect::<Vec<_>>()
    );
    for id in CITED {
        assert!(bib.get(id).is_some(), "no entry {id}");
    }
    let entry = |key: &str| bib.get(key).unwrap_or_else(|| panic!("no {key}"));
    let report = entry("haddad2023bunkering");
    assert_eq!(report.entry_type, EntryType::Report);
    assert_eq!(field(report, "institution").as_deref(), Some(ORGANIZATION));
    assert_eq!(field(report, "number").as_deref(), Some("KIMA-23-07"));
    assert_eq!(
        authors(report),
        vec![
            ("Haddad".to_owned(), "Ines".to_owned()),
            ("Reyes".to_owned(), "Tomás".to_owned())
        ]
    );
    let article = entry("lindgren2022insurers");
    assert_eq!(article.entry_type, EntryType::Article);
    assert_eq!(
        field(article, "doi").as_deref(),
        Some("10.5555/jmlp.2022.018")
    );
    assert_eq!(field(article, "volume").as_deref(), Some("18"));
    assert_eq!(
        article.author().expect("authors")[1].prefix,
        "van",
        "the particle survives"
    );
    let news = entry("mercer2023tankers");
    assert_eq!(news.entry_type, EntryType::Article);
    assert_eq!(field(news, "entrysubtype").as_deref(), Some("newspaper"));
    assert_eq!(date(news), (2023, Some(9), Some(18)));
    assert_eq!(entry("mti2024coverage").entry_type, EntryType::Online);
    let book = entry("nakamura2019flags");
    assert_eq!(book.entry_type, EntryType::Book);
    assert_eq!(
        field(book, "publisher").as_deref(),
        Some("Meridian University Press")
    );
    assert_eq!(field(book, "location").as_deref(), Some("Boston"));
    // A corporate author stays one name.
    let un = entry("unpoe2024");
    assert_eq!(un.author().expect("authors").len(), 1, "{:?}", un.author());
}

// --- Head metadata ---

#[test]
fn highwire_press_tags_describe_the_brief() {
    let site = library();
    let page = site.page(BRIEF);
    assert_eq!(
        meta(&page, "citation_title"),
        vec!["Closing the Bunkering Gap"]
    );
    assert_eq!(
        meta(&page, "citation_author"),
        vec!["Ines Haddad", "Tomás Reyes"]
    );
    assert_eq!(meta(&page, "citation_publication_date"), vec!["2024/04/02"]);
    assert_eq!(
        meta(&page, "citation_technical_report_institution"),
        vec![ORGANIZATION]
    );
    assert_eq!(meta(&page, "citation_publisher"), vec![ORGANIZATION]);
    assert_eq!(meta(&page, "citation_abstract_html_url"), vec![PERMALINK]);
    // One `citation_reference` per cited source, in the order of the reference list (the
    // style's: by author, so the Security Council's resolution is last).
    let references = meta(&page, "citation_reference");
    assert_eq!(references.len(), count(&page, ".brief-references li"));
    assert_eq!(references.len(), 7);
    assert!(
        references[6].starts_with("citation_title=Resolution 2397 (2017); citation_author=United Nations Security Council;"),
        "{references:?}"
    );
    assert!(
        references[1].contains("citation_author=Sofia Lindgren; citation_author=Pieter van Dijk;")
            && references[1].contains("citation_doi=10.5555/jmlp.2022.018"),
        "{references:?}"
    );
    // Other pages are not articles.
    for url in ["", "citations/", "authors/ines-haddad/"] {
        assert!(meta(&site.page(url), "citation_title").is_empty(), "{url}");
    }
    // A brief without citations has no references, and still its own tags.
    let plain = site.page("port-state-control/");
    assert!(meta(&plain, "citation_reference").is_empty());
    assert_eq!(meta(&plain, "citation_author"), vec!["Yuna Seo"]);
}

#[test]
fn json_ld_is_a_schema_org_report_with_people_a_publisher_and_citations() {
    let site = library();
    let page = site.page(BRIEF);
    let ld = json_ld(&page);
    assert_eq!(ld["@context"], "https://schema.org");
    assert_eq!(ld["@type"], "Report");
    assert_eq!(ld["headline"], "Closing the Bunkering Gap");
    assert_eq!(ld["datePublished"], "2024-04-02");
    assert_eq!(ld["url"], PERMALINK);
    let authors = ld["author"].as_array().expect("authors");
    assert_eq!(
        authors
            .iter()
            .map(|a| (a["@type"].as_str(), a["name"].as_str()))
            .collect::<Vec<_>>(),
        vec![
            (Some("Person"), Some("Ines Haddad")),
            (Some("Person"), Some("Tomás Reyes"))
        ]
    );
    assert_eq!(ld["publisher"]["@type"], "Organization");
    assert_eq!(ld["publisher"]["name"], ORGANIZATION);
    let citations = ld["citation"].as_array().expect("citations");
    assert_eq!(citations.len(), 7);
    // A property without a value is left out, not written as `null`.
    for object in std::iter::once(&ld).chain(citations) {
        let nulls: Vec<_> = object
            .as_object()
            .expect("an object")
            .iter()
            .filter(|(_, v)| v.is_null())
            .map(|(k, _)| k)
            .collect();
        assert!(nulls.is_empty(), "{nulls:?} in {object}");
    }
    assert!(
        citations.iter().any(|c| c.get("publisher").is_none()),
        "the fixture cites a source without a publisher"
    );
    assert_eq!(
        citations[5]["name"],
        "Final Report of the Panel of Experts Submitted Pursuant to Resolution 2680 (2023)"
    );
    assert_eq!(
        citations[1]["url"], "https://doi.org/10.5555/jmlp.2022.018",
        "a DOI is cited by its resolver URL"
    );
    // Only brief pages carry it.
    assert_eq!(
        count(&site.page(""), "script[type='application/ld+json']"),
        0
    );
}

#[test]
fn open_graph_and_the_canonical_link_agree() {
    let site = library();
    let page = site.page(BRIEF);
    assert_eq!(the_attr(&page, "link[rel=canonical]", "href"), PERMALINK);
    assert_eq!(
        the_attr(&page, "meta[property='og:url']", "content"),
        PERMALINK
    );
    assert_eq!(
        the_attr(&page, "meta[property='og:type']", "content"),
        "article"
    );
    assert_eq!(
        the_attr(&page, "meta[property='og:title']", "content"),
        "Closing the Bunkering Gap"
    );
    assert_eq!(
        the_attr(&page, "meta[property='og:site_name']", "content"),
        "The Straits Review"
    );
    assert_eq!(
        the_attr(&page, "meta[property='article:published_time']", "content"),
        "2024-04-02"
    );
}

#[test]
fn script_end_tags_in_front_matter_cannot_leave_the_json_ld() {
    let title = "Ports </script><script>alert(1)</script> <!-- and </SCRIPT > More";
    let site = Site::new()
        .file(
            "site.toml",
            "title = \"Harbor Notes\"\nbase_url = \"https://example.org\"\n\n[organization]\nname = \"Harbor </script> Institute\"\n\n[authors.mallory]\nname = \"Mal </script><b>lory\"\n",
        )
        .brief(
            "a.md",
            &format!(
                "+++\ntitle = '{title}'\ndate = 2022-09-14\nauthor = \"mallory\"\nsummary = '</script><img src=x onerror=alert(1)>'\ntags = ['</script>']\n\n[[citations]]\nid = \"src\"\ntype = \"report\"\ntitle = '</script><script>alert(2)</script>'\n+++\n\nText [@src].\n"
            ),
        );
    site.build_ok(&[]);
    let page = site.page("a/");
    let document = Html::parse_document(&page);
    assert_eq!(
        document.select(&selector("script:not([src])")).count(),
        1,
        "the JSON-LD is the only inline script"
    );
    assert_eq!(document.select(&selector("img")).count(), 0);
    let ld = json_ld(&page);
    assert_eq!(ld["headline"], title);
    assert_eq!(ld["author"][0]["name"], "Mal </script><b>lory");
    assert_eq!(ld["publisher"]["name"], "Harbor </script> Institute");
    assert_eq!(ld["description"], "</script><img src=x onerror=alert(1)>");
    assert_eq!(
        ld["citation"][0]["name"],
        "</script><script>alert(2)</script>"
    );
    assert_eq!(meta(&page, "citation_title"), vec![title]);
}

#[test]
fn a_date_time_is_cited_by_the_date_as_written() {
    let site = Site::new()
        .file(
            "site.toml",
            "title = \"Harbor Notes\"\nbase_url = \"https://example.org\"\n",
        )
        .brief(
            "late.md",
            "---\ntitle: Late Night\ndate: 2023-11-30T22:15:00-05:00\n---\n\nText.\n",
        );
    site.build_ok(&[]);
    let page = site.page("late/");
    assert_eq!(meta(&page, "citation_publication_date"), vec!["2023/11/30"]);
    let json = parse_json(&download(&site, "late/", "json"));
    assert_eq!(json[0]["issued"], json!({"date-parts": [[2023, 11, 30]]}));
    assert!(
        download(&site, "late/", "ris").contains("\r\nDA  - 2023/11/30\r\n"),
        "RIS date"
    );
    let bib = parse_bib(&download(&site, "late/", "bib"));
    assert_eq!(
        date(bib.get("late").expect("an entry")),
        (2023, Some(11), Some(30))
    );
    assert!(
        json_ld(&page)["datePublished"]
            .as_str()
            .is_some_and(|d| d.starts_with("2023-11-30")),
        "{page}"
    );
}
