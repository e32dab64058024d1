//! PDFs of briefs and the FARA filing bundle, checked with poppler-utils (`pdftotext`,
//! `pdffonts`, `pdftoppm`) and `qpdf`, as a reader's viewer and the filing office would see them.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::harness::serve::Server;
use crate::harness::{Run, Site, minimal_site, the_attr, the_text};

/// poppler-utils and qpdf, installed by .ci/run.
fn pdf_tools() {
    for program in ["pdftotext", "pdffonts", "pdftoppm", "pdfinfo", "qpdf"] {
        crate::harness::tools::require_program(program);
    }
}

const SITE: &str = r#"title = "Harbor Notes"
base_url = "https://example.org/notes"
language = "en"

[pdf]
enabled = true

[fara]
registrant = "Tidewater Policy Center"
registration_number = "7021"
default_principal = "mokpo"

[fara.principals.mokpo]
name = "Mokpo Maritime Foundation"

[organization]
name = "Tidewater Policy Center"
address = "88 Quay Street, Baltimore, MD 21202"
phone = "410.555.0199"

[authors.ana-ruiz]
name = "Ana Ruiz"
title = "Fellow, Shipping"
bio = "Ana Ruiz studies ports and the ships that call at them."
"#;

/// A brief with everything a PDF shows: a footnote, citations, a table, a list, a quote, Korean
/// text, a link and an image.
const BRIEF: &str = r#"+++
title = "Dredging the Yellow Sea Ports"
date = "2024-03-09T10:00:00-05:00"
authors = ["ana-ruiz"]
category = "Trade"
tags = ["ports"]
image = "images/quay.png"
image_alt = "A quay at dawn"
image_credit = "Tidewater archive"
acknowledgments = "The author thanks the harbor pilots of Incheon."

[[citations]]
id = "kim-2021"
type = "book"
title = "Harbors of the West Sea"
author = [{family = "Kim", given = "Soyeon"}]
issued = {date-parts = [[2021]]}
publisher = "Pier Press"

[[citations]]
id = "lee-2019"
type = "article-journal"
title = "Silt and Sovereignty"
author = [{family = "Lee", given = "Minjun"}]
issued = {date-parts = [[2019, 6]]}
container-title = "Journal of Coastal Policy"
+++

Opening paragraph about dredging budgets and tidal ranges [@kim-2021, p. 12].

## Costs

Silt returns each winter[^silt] and the ports pay again [@lee-2019]. The port of 인천 (Incheon) is the largest.

[^silt]: Measured at the outer anchorage, footnote text about sediment.

| Port | Depth (m) |
|------|-----------|
| Incheon | 14 |
| Pyeongtaek | 12 |

- first item of the list
- second item with a [link](https://example.com/ports)

> A quoted line from a harbor master.

Closing paragraph with the words final sentence.
"#;

/// A 4x4 grey PNG.
const PNG: &[u8] = &[
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52,
    0x00, 0x00, 0x00, 0x04, 0x00, 0x00, 0x00, 0x04, 0x08, 0x02, 0x00, 0x00, 0x00, 0x26, 0x93, 0x09,
    0x29, 0x00, 0x00, 0x00, 0x10, 0x49, 0x44, 0x41, 0x54, 0x78, 0xda, 0x63, 0x70, 0x48, 0x68, 0x80,
    0x23, 0x06, 0xe2, 0x38, 0x00, 0xd0, 0x43, 0x12, 0x01, 0x2b, 0x1e, 0x49, 0xf5, 0x00, 0x00, 0x00,
    0x00, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82,
];

fn site() -> Site {
    let site = Site::new()
        .file("site.toml", SITE)
        .brief("dredging.md", BRIEF);
    site.write_bytes("static/images/quay.png", PNG);
    site
}

fn tool(program: &str, args: &[&str]) -> (bool, String, String) {
    let output = Command::new(program)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("run {program}: {e}"));
    (
        output.status.success(),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

fn text_of(pdf: &Path, pages: Option<(u32, u32)>) -> String {
    let path = pdf.to_str().unwrap();
    let mut args = vec!["-layout".to_owned()];
    if let Some((first, last)) = pages {
        args.extend([
            "-f".into(),
            first.to_string(),
            "-l".into(),
            last.to_string(),
        ]);
    }
    args.extend([path.to_owned(), "-".to_owned()]);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let (ok, out, err) = tool("pdftotext", &args);
    assert!(ok, "pdftotext failed: {err}");
    // Lines joined with single spaces: the layout breaks lines where it likes.
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn assert_valid(pdf: &Path) {
    let (ok, out, err) = tool("qpdf", &["--check", pdf.to_str().unwrap()]);
    assert!(ok, "qpdf --check failed:\n{out}\n{err}");
    let (ok, fonts, err) = tool("pdffonts", &[pdf.to_str().unwrap()]);
    assert!(ok, "pdffonts failed: {err}");
    let rows: Vec<&str> = fonts.lines().skip(2).collect();
    assert!(!rows.is_empty(), "no fonts in {}", pdf.display());
    for row in rows {
        // Columns: name type encoding emb sub uni object ID.
        let columns: Vec<&str> = row.split_whitespace().collect();
        let emb = columns[columns.len() - 5];
        assert_eq!(emb, "yes", "a font is not embedded: {row}");
    }
}

/// The share of page 1's pixels (rendered at 20 dpi, grey) that are not white.
fn ink_on_page_one(pdf: &Path, dir: &Path) -> f64 {
    let prefix = dir.join("page");
    let (ok, _, err) = tool(
        "pdftoppm",
        &[
            "-gray",
            "-r",
            "20",
            "-f",
            "1",
            "-l",
            "1",
            pdf.to_str().unwrap(),
            prefix.to_str().unwrap(),
        ],
    );
    assert!(ok, "pdftoppm failed: {err}");
    let image = std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .find(|p| p.extension().is_some_and(|e| e == "pgm"))
        .expect("a rendered page");
    let bytes = std::fs::read(image).unwrap();
    // A binary PGM: "P5", width, height, max value, each after white space, then the pixels.
    let mut fields = 0;
    let mut start = 0;
    let mut in_field = false;
    for (i, b) in bytes.iter().enumerate() {
        if b.is_ascii_whitespace() {
            if in_field {
                fields += 1;
                in_field = false;
                if fields == 4 {
                    start = i + 1;
                    break;
                }
            }
        } else {
            in_field = true;
        }
    }
    let pixels = &bytes[start..];
    let dark = pixels.iter().filter(|&&p| p < 200).count();
    dark as f64 / pixels.len() as f64
}

fn pdf_path(site: &Site, slug: &str) -> PathBuf {
    site.public().join(slug).join(format!("{slug}.pdf"))
}

#[test]
#[ignore = "needs poppler-utils and qpdf"]
fn a_brief_pdf_has_its_label_first_then_title_body_notes_references_and_embedded_fonts() {
    pdf_tools();
    let site = site();
    let build = site.build_ok(&[]);
    assert!(!build.stderr.contains("warning"), "{}", build.stderr);
    let pdf = pdf_path(&site, "dredging");
    assert!(pdf.is_file(), "no PDF at {}", pdf.display());
    assert_valid(&pdf);

    let page_one = text_of(&pdf, Some((1, 1)));
    let label = "This material is distributed by Tidewater Policy Center on behalf of Mokpo Maritime Foundation. Additional information is available at the Department of Justice, Washington, DC.";
    let at = |needle: &str| {
        page_one
            .find(needle)
            .unwrap_or_else(|| panic!("page 1 lacks {needle:?}:\n{page_one}"))
    };
    assert!(at("Tidewater Policy Center") < at("Disclosure"));
    assert!(at("Disclosure") < at(label));
    assert!(at(label) < at("Dredging the Yellow Sea Ports"));
    assert!(at("Dredging the Yellow Sea Ports") < at("Opening paragraph"));
    assert!(page_one.contains("By Ana Ruiz"));
    assert!(page_one.contains("Published March 9, 2024"));
    assert!(page_one.contains("88 Quay Street"));

    let all = text_of(&pdf, None);
    for needle in [
        // Notes: the two citations in Chicago note form and the footnote, as on the page.
        "Soyeon Kim, Harbors of the West Sea",
        "Minjun Lee, “Silt and Sovereignty,”",
        "Measured at the outer anchorage, footnote text about sediment.",
        // References.
        "References",
        "Kim, Soyeon. Harbors of the West Sea.",
        "Lee, Minjun.",
        // Korean text, the table, the list, the quote, the end of the body.
        "인천",
        "Pyeongtaek",
        "second item with a link",
        "A quoted line from a harbor master.",
        "final sentence",
        "About the author",
        "Ana Ruiz studies ports",
        "Acknowledgments",
        "harbor pilots of Incheon",
        "Photo credit: Tidewater archive",
        // The footer: the brief's URL and page numbers.
        "https://example.org/notes/dredging/",
        "Page 1 of",
    ] {
        assert!(all.contains(needle), "the PDF lacks {needle:?}:\n{all}");
    }
    let dir = tempfile::tempdir().unwrap();
    let ink = ink_on_page_one(&pdf, dir.path());
    assert!(ink > 0.01, "page 1 looks blank ({ink})");

    // Metadata: title, author, subject.
    let (_, info, _) = tool("pdfinfo", &[pdf.to_str().unwrap()]);
    assert!(info.contains("Dredging the Yellow Sea Ports"), "{info}");
    assert!(info.contains("Ana Ruiz"), "{info}");
    assert!(info.contains("Tagged:          yes"), "{info}");
    assert!(info.contains("ports"), "keywords: {info}");
}

#[test]
fn the_page_links_its_pdf_and_names_it_for_google_scholar() {
    let site = Site::new().file("site.toml", SITE).brief(
        "dredging.md",
        &BRIEF.replace("image = \"images/quay.png\"\n", ""),
    );
    site.build_ok(&[]);
    let page = site.page("dredging/");
    assert_eq!(
        the_attr(&page, ".brief-pdf a", "href"),
        "/notes/dredging/dredging.pdf"
    );
    assert!(page.contains("Download PDF"));
    assert_eq!(
        the_attr(&page, "meta[name=citation_pdf_url]", "content"),
        "https://example.org/notes/dredging/dredging.pdf"
    );
    // The label is on the page and in each feed entry.
    assert!(the_text(&page, ".disclosure").contains("on behalf of Mokpo Maritime Foundation"));
    let atom = site.read("public/atom.xml");
    assert!(
        atom.contains("on behalf of Mokpo Maritime Foundation"),
        "{atom}"
    );
}

#[test]
fn without_pdf_enabled_there_is_no_pdf_nor_link() {
    let site = Site::new()
        .file(
            "site.toml",
            &SITE.replace("enabled = true", "enabled = false"),
        )
        .brief(
            "dredging.md",
            &BRIEF.replace("image = \"images/quay.png\"\n", ""),
        );
    site.build_ok(&[]);
    assert!(!pdf_path(&site, "dredging").exists());
    let page = site.page("dredging/");
    assert!(!page.contains("Download PDF"));
    assert!(!page.contains("citation_pdf_url"));
}

#[test]
#[ignore = "needs poppler-utils and qpdf"]
fn two_builds_make_the_same_bytes_and_a_rebuild_typesets_only_what_changed() {
    pdf_tools();
    let site = site().brief(
        "second.md",
        "+++\ntitle = \"A Second Brief\"\ndate = 2024-04-02\nauthors = [\"ana-ruiz\"]\n+++\n\nSecond body.\n",
    );
    let first = site.build_ok(&["-v"]);
    first.stderr_has("pdf (2 typeset, 0 cached)");
    let bytes = std::fs::read(pdf_path(&site, "dredging")).unwrap();
    // Without the cache, typeset again from scratch into another folder: the same bytes.
    std::fs::remove_dir_all(site.path(".dossier-cache/pdf")).unwrap();
    site.build_ok(&["--output", "again"]);
    let again = std::fs::read(site.path("again/dredging/dredging.pdf")).unwrap();
    assert!(
        bytes == again,
        "two builds of one brief made different PDFs"
    );

    // One brief edited: only its PDF is typeset.
    std::thread::sleep(std::time::Duration::from_millis(2100));
    site.write(
        "briefs/second.md",
        "+++\ntitle = \"A Second Brief\"\ndate = 2024-04-02\nauthors = [\"ana-ruiz\"]\n+++\n\nSecond body, edited.\n",
    );
    std::thread::sleep(std::time::Duration::from_millis(2100));
    let rebuild = site.build_ok(&["-v"]);
    rebuild.stderr_has("pdf (1 typeset, 1 cached)");
    assert_eq!(std::fs::read(pdf_path(&site, "dredging")).unwrap(), bytes);
    assert!(text_of(&pdf_path(&site, "second"), None).contains("Second body, edited."));
}

#[test]
#[ignore = "needs poppler-utils and qpdf"]
fn bad_input_gives_a_readable_pdf_and_a_warning_naming_the_brief() {
    pdf_tools();
    let wide: String = (1..=14)
        .map(|i| format!("| Column {i} "))
        .collect::<String>()
        + "|\n";
    let rule: String = "|---".repeat(14) + "|\n";
    let row: String = (1..=14).map(|i| format!("| value{i} ")).collect::<String>() + "|\n";
    let paragraph =
        "Shipping lanes, dredging contracts and harbor fees are reviewed in turn. ".repeat(12);
    let long: String = (1..=150)
        .map(|i| format!("## Section {i}\n\n{paragraph}\n\n{paragraph}\n\n"))
        .collect();
    let site = Site::new()
        .file("site.toml", SITE)
        .brief(
            "broken-image.md",
            "+++\ntitle = \"Broken Image\"\ndate = 2024-01-05\n+++\n\nBefore the image.\n\n![A chart of tonnage](images/chart.png)\n\nAfter the image.\n\n![The new quay](images/quay.png)\n",
        )
        .brief(
            "wide-table.md",
            &format!("+++\ntitle = \"Wide Table\"\ndate = 2024-01-06\n+++\n\nA table follows.\n\n{wide}{rule}{row}\nAfter the table.\n"),
        )
        .brief(
            "long.md",
            &format!("+++\ntitle = \"A Very Long Brief\"\ndate = 2024-01-07\n+++\n\n{long}The last words.\n"),
        )
        .brief(
            "script.md",
            "+++\ntitle = \"Unusual Script\"\ndate = 2024-01-08\n+++\n\nA Tibetan word, ཀཁག, and a Georgian one, ქართული, among Latin text.\n",
        );
    site.write_bytes(
        "static/images/chart.png",
        b"\x89PNG\r\n\x1a\nthis is not an image",
    );
    site.write_bytes("static/images/quay.png", PNG);
    let run = site.build_ok(&[]);

    run.stderr_has("warning: briefs/broken-image.md: image images/chart.png cannot be decoded");
    let broken = pdf_path(&site, "broken-image");
    assert_valid(&broken);
    let text = text_of(&broken, None);
    assert!(
        text.contains("After the image.") && text.contains("A chart of tonnage"),
        "{text}"
    );
    // The good image beside the broken one is still in the PDF.
    let (ok, images, err) = tool("pdfimages", &["-list", broken.to_str().unwrap()]);
    assert!(ok, "{err}");
    let placed = images
        .lines()
        .skip(2)
        .filter(|row| row.split_whitespace().nth(2) == Some("image"))
        .count();
    assert_eq!(placed, 1, "{images}");

    run.stderr_has("warning: briefs/wide-table.md: a table of 14 columns");
    let wide = pdf_path(&site, "wide-table");
    assert_valid(&wide);
    let text = text_of(&wide, None);
    assert!(
        text.contains("value14") && text.contains("After the table."),
        "{text}"
    );

    let long = pdf_path(&site, "long");
    assert_valid(&long);
    let (_, info, _) = run_info(&long);
    let pages: u32 = info
        .lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .and_then(|p| p.trim().parse().ok())
        .unwrap();
    assert!(pages >= 50, "{pages} pages");
    assert!(text_of(&long, Some((pages, pages))).contains("The last words."));

    run.stderr_has("warning: briefs/script.md:");
    run.stderr_has("in no bundled font (U+0F40 `ཀ`");
    let script = pdf_path(&site, "script");
    assert_valid(&script);
    assert!(text_of(&script, None).contains("among Latin text"));
}

fn run_info(pdf: &Path) -> (bool, String, String) {
    tool("pdfinfo", &[pdf.to_str().unwrap()])
}

fn fara(site: &Site, args: &[&str]) -> Run {
    let root = site.root().to_str().unwrap();
    let mut all = vec!["fara", "--root", root];
    all.extend_from_slice(args);
    crate::harness::run(site.root(), &all)
}

#[test]
#[ignore = "needs poppler-utils and qpdf"]
fn fara_lists_the_window_with_deadlines_and_writes_labeled_pdfs_and_a_manifest() {
    pdf_tools();
    let site = Site::new()
        .file("site.toml", SITE)
        .brief("dredging.md", &BRIEF.replace("image = \"images/quay.png\"\n", ""))
        .brief(
            "updated.md",
            "+++\ntitle = \"Updated Brief\"\ndate = 2024-02-01\nupdated = \"2024-03-02T09:00:00+09:00\"\nauthors = [\"ana-ruiz\"]\n+++\n\nUpdated body.\n",
        )
        .brief(
            "domestic.md",
            "+++\ntitle = \"Domestic Brief\"\ndate = 2024-03-05\nfara = false\n+++\n\nNot for a principal.\n",
        )
        .brief(
            "outside.md",
            "+++\ntitle = \"Outside the Window\"\ndate = 2024-04-20\n+++\n\nLater.\n",
        );
    let out = site.path("filing");
    let run = fara(
        &site,
        &[
            "--since",
            "2024-03-01",
            "--until",
            "2024-03-31",
            "--out",
            out.to_str().unwrap(),
        ],
    )
    .success();
    assert!(run.stdout.contains("OVERDUE"), "{}", run.stdout);
    let manifest: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("manifest.json")).unwrap()).unwrap();
    assert_eq!(manifest["registrant"], "Tidewater Policy Center");
    assert_eq!(manifest["registration_number"], "7021");
    let filings = manifest["filings"].as_array().unwrap();
    let titles: Vec<&str> = filings
        .iter()
        .map(|f| f["title"].as_str().unwrap())
        .collect();
    // The update of a brief first published in February counts; the opted-out brief and the one
    // after the window do not.
    assert_eq!(titles, ["Updated Brief", "Dredging the Yellow Sea Ports"]);
    let update = &filings[0];
    assert_eq!(update["distribution"], "update");
    // 09:00 in Seoul is 19:00 EST the evening before; 48 hours later.
    assert_eq!(update["published"], "2024-03-01T19:00:00-05:00");
    assert_eq!(update["deadline"], "2024-03-03T19:00:00-05:00");
    let first = &filings[1];
    assert_eq!(first["distribution"], "first");
    assert_eq!(first["url"], "https://example.org/notes/dredging/");
    assert_eq!(first["authors"], serde_json::json!(["Ana Ruiz"]));
    assert_eq!(first["principal"], "Mokpo Maritime Foundation");
    // Across the change to daylight saving time on 10 March: 49 hours of wall clock.
    assert_eq!(first["published"], "2024-03-09T10:00:00-05:00");
    assert_eq!(first["deadline"], "2024-03-11T11:00:00-04:00");
    assert_eq!(first["overdue"], true);
    for filing in filings {
        let file = out.join(filing["file"].as_str().unwrap());
        let bytes = std::fs::read(&file).unwrap();
        use sha2::Digest;
        let digest: String = sha2::Sha256::digest(&bytes)
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        assert_eq!(filing["sha256"], digest.as_str());
        assert!(text_of(&file, Some((1, 1))).contains("on behalf of Mokpo Maritime Foundation"));
    }
    let csv = std::fs::read_to_string(out.join("manifest.csv")).unwrap();
    let mut lines = csv.lines();
    assert_eq!(
        lines.next().unwrap(),
        "title,url,authors,distribution,published,deadline,overdue,principal,file,sha256"
    );
    assert!(lines.next().unwrap().starts_with("Updated Brief,https://example.org/notes/updated/,Ana Ruiz,update,2024-03-01T19:00:00-05:00,"));
}

#[test]
fn fara_problems_name_the_file() {
    let site = Site::new().file("site.toml", SITE).brief(
        "wrong.md",
        "+++\ntitle = \"Wrong Principal\"\ndate = 2024-03-05\nfara = \"mokpoo\"\n+++\n\nBody.\n",
    );
    let run = site.build(&[]).failure();
    run.stderr_has("briefs/wrong.md:4:1: unknown FARA principal `mokpoo`");
    run.stderr_has("did you mean `mokpo`?");

    let plain = minimal_site();
    fara(&plain, &[])
        .failure()
        .stderr_has("site.toml has no [fara] table");
}

#[test]
#[ignore = "needs poppler-utils and qpdf"]
fn the_preview_makes_a_briefs_pdf_when_it_is_asked_for() {
    pdf_tools();
    let site = Site::new().file("site.toml", SITE).brief(
        "dredging.md",
        &BRIEF.replace("image = \"images/quay.png\"\n", ""),
    );
    let server = Server::serve(site, &[]);
    let response = server.get("dredging/dredging.pdf");
    assert_eq!(response.status, 200);
    assert_eq!(response.header("content-type"), Some("application/pdf"));
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("served.pdf");
    std::fs::write(&file, &response.body).unwrap();
    assert_valid(&file);
    assert!(text_of(&file, None).contains("Dredging the Yellow Sea Ports"));
    // Not a brief: the site's 404.
    assert_eq!(server.get("dredging/other.pdf").status, 404);
}
