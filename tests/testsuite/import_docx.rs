//! `dossier import docx`: Word documents written by the tests (a .docx is a zip of XML) are
//! imported with the real binary, then the site is built and the pages are read.

use std::path::PathBuf;

use crate::harness::docx::{
    Docx, field, footnote_ref, mendeley, note_body, p, para, picture, run, run_with, styled, zotero,
};
use crate::harness::{Run, Site, count, select_attr, select_text, the_text};

const SITE: &str = r#"title = "Harbor Notes"
base_url = "https://example.org/notes"

[authors.elena-marsh]
name = "Elena Marsh"

[authors.jiwoo-han]
name = "Jiwoo Han"
"#;

fn site() -> Site {
    Site::new().file("site.toml", SITE)
}

fn dossier(site: &Site, args: &[&str]) -> Run {
    crate::harness::run(site.root(), args)
}

/// Writes the document as `inbox/<name>.docx` and imports it.
fn import_bytes(site: &Site, name: &str, bytes: &[u8], extra: &[&str]) -> Run {
    let path = format!("inbox/{name}.docx");
    site.write_bytes(&path, bytes);
    let mut args = vec!["import", "docx", &path];
    args.extend_from_slice(extra);
    dossier(site, &args)
}

fn import(site: &Site, name: &str, doc: &Docx, extra: &[&str]) -> Run {
    import_bytes(site, name, &doc.bytes(), extra)
}

/// Imports, checks the printed path, builds with drafts and returns the brief's page.
fn import_and_build(site: &Site, doc: &Docx, slug: &str, extra: &[&str]) -> (Run, String) {
    let run = import(site, slug, doc, extra).success();
    assert_eq!(
        run.stdout.trim(),
        format!("briefs/{slug}.md"),
        "{}",
        run.stderr
    );
    site.build_ok(&["--drafts"]);
    let page = site.page(&format!("{slug}/"));
    (run, page)
}

fn body_text(page: &str) -> String {
    the_text(page, ".brief-body")
}

fn title(text: &str) -> String {
    styled("Title", &run(text))
}

/// A Zotero citation item: CSL-JSON data plus how it is cited.
fn item(data: &str, extra: &str) -> String {
    format!(
        r#"{{"id":12,"uris":["http://zotero.org/users/1/items/ABCD1234"],"itemData":{data}{extra}}}"#
    )
}

const HAGGARD: &str = r#"{"id":12,"type":"book","title":"Hard Target: Sanctions, Inducements, and the Case of North Korea","publisher":"Stanford University Press","publisher-place":"Stanford, CA","author":[{"family":"Haggard","given":"Stephan"},{"family":"Noland","given":"Marcus"}],"issued":{"date-parts":[["2017"]]}}"#;
const PANEL: &str = r#"{"id":"ITEM-1","type":"report","title":"Report of the Panel of Experts","author":[{"literal":"United Nations Security Council"}],"number":"S/2023/171","issued":{"date-parts":[["2023",3,7]]},"URL":"https://undocs.org/S/2023/171"}"#;

#[test]
fn title_and_headings_come_from_styles_in_any_language_and_outline_levels() {
    let site = site();
    let doc = Docx::new()
        .styles(
            r#"<w:style w:type="paragraph" w:styleId="Titel"><w:name w:val="Titel"/></w:style>
<w:style w:type="paragraph" w:styleId="berschrift1"><w:name w:val="Überschrift 1"/></w:style>
<w:style w:type="paragraph" w:styleId="berschrift2"><w:name w:val="Überschrift 2"/></w:style>
<w:style w:type="paragraph" w:styleId="Rapport"><w:name w:val="Rapport Kop"/><w:basedOn w:val="berschrift2"/></w:style>"#,
        )
        .body(&styled("Titel", &run("Sanktionen und Energie")))
        .body(&para("Einleitung."))
        .body(&styled("berschrift1", &run("Die Lage")))
        .body(&para("Text."))
        .body(&styled("berschrift2", &run("Im Detail")))
        .body(&styled("Rapport", &run("Vom Stil geerbt")))
        .body(&p(&format!(
            r#"<w:pPr><w:outlineLvl w:val="1"/></w:pPr>{}"#,
            run("Nach Gliederungsebene")
        )));
    let (_, page) = import_and_build(&site, &doc, "sanktionen-und-energie", &[]);
    assert_eq!(the_text(&page, "h1"), "Sanktionen und Energie");
    assert_eq!(select_text(&page, ".brief-body h2"), ["Die Lage"]);
    assert_eq!(
        select_text(&page, ".brief-body h3"),
        ["Im Detail", "Vom Stil geerbt", "Nach Gliederungsebene"]
    );
    let brief = site.read("briefs/sanktionen-und-energie.md");
    assert!(brief.contains("draft = true"), "{brief}");
    assert!(brief.contains("\n## Die Lage\n"), "{brief}");
}

#[test]
fn without_a_title_style_the_first_heading_is_the_title() {
    let site = site();
    let doc = Docx::new()
        .body(&styled("Heading1", &run("Port Cranes in Winter")))
        .body(&para("Opening."))
        .body(&styled("Heading2", &run("Capacity")))
        .body(&para("More."));
    let (_, page) = import_and_build(&site, &doc, "port-cranes-in-winter", &[]);
    assert_eq!(the_text(&page, "h1"), "Port Cranes in Winter");
    // The remaining headings start at h2.
    assert_eq!(select_text(&page, ".brief-body h2"), ["Capacity"]);
}

#[test]
fn inline_formatting_becomes_markdown_or_html() {
    let site = site();
    let doc = Docx::new().body(&title("Formatting")).body(&p(&[
        run("Plain "),
        run_with("<w:b/>", "bold"),
        run(" and "),
        run_with("<w:i/>", "italic"),
        run(", "),
        run_with("<w:b/><w:i/>", "both"),
        run(", "),
        run_with("<w:strike/>", "struck"),
        run(", CO"),
        run_with(r#"<w:vertAlign w:val="subscript"/>"#, "2"),
        run(", m"),
        run_with(r#"<w:vertAlign w:val="superscript"/>"#, "3"),
        run(", "),
        run_with(r#"<w:rStyle w:val="Strong"/>"#, "styled strong"),
        run(", "),
        run_with("<w:i/>", "\u{201c}quoted\u{201d}"),
        run(" and a literal *star* [bracket]."),
    ]
    .concat()));
    let (_, page) = import_and_build(&site, &doc, "formatting", &[]);
    assert_eq!(
        select_text(&page, ".brief-body strong"),
        ["bold", "both", "styled strong"]
    );
    assert_eq!(
        select_text(&page, ".brief-body em"),
        ["italic", "both", "\u{201c}quoted\u{201d}"]
    );
    assert_eq!(select_text(&page, ".brief-body del"), ["struck"]);
    assert_eq!(select_text(&page, ".brief-body sub"), ["2"]);
    assert_eq!(select_text(&page, ".brief-body sup"), ["3"]);
    assert!(
        body_text(&page).contains("a literal *star* [bracket]."),
        "{}",
        body_text(&page)
    );
}

#[test]
fn hyperlinks_from_relationships_and_field_codes() {
    let site = site();
    let doc = Docx::new()
        .rel("rIdLink", "hyperlink", "https://www.38north.org/", true)
        .body(&title("Links"))
        .body(&p(&format!(
            r#"{}<w:hyperlink r:id="rIdLink">{}</w:hyperlink>{}{}{}<w:fldSimple w:instr=" HYPERLINK &quot;https://example.org/simple&quot; ">{}</w:fldSimple>{}"#,
            run("See "),
            run("38 North"),
            run(", "),
            field(r#" HYPERLINK "https://undocs.org/S/2023/171" \o "UN document" "#, "the report"),
            run(" and "),
            run("a simple field"),
            run(".")
        )))
        .body(&p(&format!(
            r#"{}<w:hyperlink w:anchor="methods">{}</w:hyperlink>{}"#,
            run("Jump to "),
            run("the methods"),
            run(".")
        )))
        .body(&format!(
            r#"<w:p><w:pPr><w:pStyle w:val="Heading1"/></w:pPr><w:bookmarkStart w:id="1" w:name="methods"/>{}<w:bookmarkEnd w:id="1"/></w:p>"#,
            run("Methods")
        ));
    let (_, page) = import_and_build(&site, &doc, "links", &[]);
    let hrefs = select_attr(&page, ".brief-body a", "href");
    assert!(
        hrefs.contains(&"https://www.38north.org/".to_owned()),
        "{hrefs:?}"
    );
    assert!(
        hrefs.contains(&"https://undocs.org/S/2023/171".to_owned()),
        "{hrefs:?}"
    );
    assert!(
        hrefs.contains(&"https://example.org/simple".to_owned()),
        "{hrefs:?}"
    );
    assert!(hrefs.contains(&"#methods".to_owned()), "{hrefs:?}");
    assert_eq!(
        select_text(&page, "a[href='https://undocs.org/S/2023/171']"),
        ["the report"]
    );
    assert_eq!(
        count(&page, "h2#methods"),
        1,
        "the bookmarked heading keeps its id"
    );
}

const NUMBERING: &str = r#"
<w:abstractNum w:abstractNumId="0"><w:lvl w:ilvl="0"><w:numFmt w:val="bullet"/></w:lvl><w:lvl w:ilvl="1"><w:numFmt w:val="bullet"/></w:lvl></w:abstractNum>
<w:abstractNum w:abstractNumId="1"><w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/></w:lvl><w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="lowerLetter"/></w:lvl></w:abstractNum>
<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>
<w:num w:numId="2"><w:abstractNumId w:val="1"/></w:num>
<w:num w:numId="3"><w:abstractNumId w:val="1"/><w:lvlOverride w:ilvl="0"><w:startOverride w:val="4"/></w:lvlOverride></w:num>"#;

fn item_p(num: u32, level: u32, text: &str) -> String {
    format!(
        r#"<w:p><w:pPr><w:pStyle w:val="ListParagraph"/><w:numPr><w:ilvl w:val="{level}"/><w:numId w:val="{num}"/></w:numPr></w:pPr>{}</w:p>"#,
        run(text)
    )
}

#[test]
fn lists_nest_by_level_and_number_from_numbering() {
    let site = site();
    let doc = Docx::new()
        .numbering(NUMBERING)
        .body(&title("Lists"))
        .body(&item_p(1, 0, "Exports"))
        .body(&item_p(1, 1, "Chips"))
        .body(&item_p(1, 1, "Ships"))
        .body(&item_p(1, 0, "Imports"))
        .body(&para("Between the lists."))
        .body(&item_p(2, 0, "First step"))
        .body(&item_p(2, 1, "Sub-step"))
        .body(&item_p(2, 0, "Second step"))
        .body(&para("A list that starts at four:"))
        .body(&item_p(3, 0, "Fourth"));
    let (_, page) = import_and_build(&site, &doc, "lists", &[]);
    assert_eq!(
        select_text(&page, ".brief-body ul > li > ul > li"),
        ["Chips", "Ships"]
    );
    assert_eq!(count(&page, ".brief-body > ul > li"), 2);
    assert_eq!(
        select_text(&page, ".brief-body ol > li > ol > li"),
        ["Sub-step"]
    );
    assert_eq!(select_attr(&page, ".brief-body > ol", "start"), ["4"]);
}

#[test]
fn quote_styles_become_block_quotes() {
    let site = site();
    let doc = Docx::new()
        .styles(
            r#"<w:style w:type="paragraph" w:styleId="Zitat"><w:name w:val="Zitat"/></w:style>"#,
        )
        .body(&title("Quotes"))
        .body(&para("He said:"))
        .body(&styled("Quote", &run("We will not negotiate.")))
        .body(&styled("Quote", &run("Not now.")))
        .body(&para("Later:"))
        .body(&styled("Zitat", &run("Wir verhandeln.")));
    let (_, page) = import_and_build(&site, &doc, "quotes", &[]);
    assert_eq!(
        select_text(&page, ".brief-body blockquote p"),
        ["We will not negotiate.", "Not now.", "Wir verhandeln."]
    );
    assert_eq!(count(&page, ".brief-body blockquote"), 2);
}

fn cell(props: &str, text: &str) -> String {
    format!("<w:tc><w:tcPr>{props}</w:tcPr>{}</w:tc>", para(text))
}

#[test]
fn simple_tables_become_gfm_and_merged_cells_html() {
    let site = site();
    let header = r#"<w:tblPr><w:tblLook w:firstRow="1"/></w:tblPr>"#;
    let simple = format!(
        "<w:tbl>{header}<w:tr>{}{}</w:tr><w:tr>{}{}</w:tr></w:tbl>",
        cell("", "Year"),
        cell("", "Exports | total"),
        cell("", "2023"),
        cell("", "$ 41 bn")
    );
    let merged = format!(
        "<w:tbl>{header}<w:tr>{}{}</w:tr><w:tr>{}{}{}</w:tr><w:tr>{}{}{}</w:tr></w:tbl>",
        cell(r#"<w:vMerge w:val="restart"/>"#, "Region"),
        cell(r#"<w:gridSpan w:val="2"/>"#, "Trade"),
        cell("<w:vMerge/>", ""),
        cell("", "In"),
        cell("", "Out"),
        cell("", "Asia"),
        cell("", "12"),
        cell("", "9"),
    );
    let doc = Docx::new()
        .body(&title("Tables"))
        .body(&simple)
        .body(&para("And merged:"))
        .body(&merged);
    let (_, page) = import_and_build(&site, &doc, "tables", &[]);
    let brief = site.read("briefs/tables.md");
    assert!(brief.contains("| Year | Exports \\| total |"), "{brief}");
    assert!(brief.contains("<table>"), "{brief}");
    assert_eq!(
        select_text(&page, ".brief-body th"),
        ["Year", "Exports | total", "Region", "Trade"]
    );
    assert_eq!(
        select_attr(&page, ".brief-body th[rowspan]", "rowspan"),
        ["2"]
    );
    assert_eq!(
        select_attr(&page, ".brief-body th[colspan]", "colspan"),
        ["2"]
    );
    assert_eq!(select_text(&page, ".brief-body th[colspan]"), ["Trade"]);
    assert!(select_text(&page, ".brief-body td").contains(&"Asia".to_owned()));
}

/// The bytes of a 1x1 PNG.
const PNG: &[u8] = &[
    0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52,
    0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1F, 0x15, 0xC4,
    0x89, 0x00, 0x00, 0x00, 0x0A, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9C, 0x63, 0x00, 0x01, 0x00, 0x00,
    0x05, 0x00, 0x01, 0x0D, 0x0A, 0x2D, 0xB4, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4E, 0x44, 0xAE,
    0x42, 0x60, 0x82,
];

#[test]
fn images_are_extracted_with_their_alt_text() {
    let site = site();
    let doc = Docx::new()
        .rel("rIdImg", "image", "media/Chart%201.png", false)
        .media("media/Chart 1.png", PNG)
        .body(&title("Images"))
        .body(&p(&picture("rIdImg", "Exports by month, 2023")));
    let (_, page) = import_and_build(&site, &doc, "images", &[]);
    let stored = site.path("static/images/images/chart-1.png");
    assert_eq!(std::fs::read(&stored).expect("the image is extracted"), PNG);
    assert_eq!(
        select_attr(&page, ".brief-body img", "alt"),
        ["Exports by month, 2023"]
    );
    assert_eq!(
        select_attr(&page, ".brief-body img", "src"),
        ["../images/images/chart-1.png"]
    );
    assert!(site.public().join("images/images/chart-1.png").is_file());
}

#[test]
fn footnotes_and_endnotes_become_notes() {
    let site = site();
    let doc = Docx::new()
        .footnote_rel("rIdN", "hyperlink", "https://example.org/source", true)
        .footnote("1", &note_body(&run(" A footnote with a second thought.")))
        .footnote(
            "2",
            &note_body(&format!(
                r#"{}<w:hyperlink r:id="rIdN">{}</w:hyperlink>"#,
                run(" Source: "),
                run("the data")
            )),
        )
        .endnote("1", &note_body(&run(" An endnote.")))
        .body(&title("Notes"))
        .body(&p(&format!(
            "{}{}{}{}{}{}",
            run("First claim."),
            footnote_ref("1"),
            run(" Second claim."),
            footnote_ref("2"),
            run(" Third claim."),
            r#"<w:r><w:endnoteReference w:id="1"/></w:r>"#
        )));
    let (_, page) = import_and_build(&site, &doc, "notes", &[]);
    assert_eq!(
        select_text(&page, ".brief-notes li p"),
        [
            "A footnote with a second thought.",
            "Source: the data",
            "An endnote."
        ]
    );
    assert_eq!(count(&page, ".brief-body sup.note-ref"), 3);
    assert_eq!(
        select_attr(&page, ".brief-notes li a:not(.note-back)", "href"),
        ["https://example.org/source"]
    );
}

#[test]
fn tracked_insertions_are_kept_deletions_and_comments_dropped_and_reported() {
    let site = site();
    let doc = Docx::new().body(&title("Changes")).body(&p(&format!(
        r#"{}<w:ins w:id="1" w:author="Editor">{}</w:ins><w:del w:id="2" w:author="Editor"><w:r><w:delText>removed words </w:delText></w:r></w:del><w:commentRangeStart w:id="7"/>{}<w:commentRangeEnd w:id="7"/><w:r><w:commentReference w:id="7"/></w:r>"#,
        run("Sanctions "),
        run("were tightened "),
        run("in 2017.")
    )));
    let (run, page) = import_and_build(&site, &doc, "changes", &[]);
    assert_eq!(body_text(&page), "Sanctions were tightened in 2017.");
    run.stderr_has("1 insertion kept, 1 deletion dropped")
        .stderr_has("1 comment dropped");
}

#[test]
fn zotero_and_mendeley_citations_become_sources_with_markers() {
    let site = site();
    let doc = Docx::new()
        .body(&title("Sanctions Evidence"))
        .body(&p(&format!(
            "{}{}{}",
            run("Enforcement has been uneven "),
            zotero(
                &item(HAGGARD, r#","locator":"12","label":"page","prefix":"see","suffix":"and passim""#),
                "(see Haggard and Noland 2017, 12 and passim)",
                0
            ),
            run(".")
        )))
        .body(&p(&format!(
            "{}{}{}",
            run("Haggard and Noland say so "),
            zotero(&item(HAGGARD, r#","locator":"4","label":"chapter","suppress-author":true"#), "(2017, chap. 4)", 0),
            run(".")
        )))
        .body(&p(&format!(
            "{}{}{}",
            run("The panel counted the shipments "),
            mendeley(
                &format!(r#"{{"id":"ITEM-1","itemData":{PANEL},"locator":"28","label":"paragraph","uris":["http://www.mendeley.com/documents/?uuid=1"]}}"#),
                "(United Nations Security Council 2023, para. 28)"
            ),
            run(".")
        )));
    let (_, page) = import_and_build(&site, &doc, "sanctions-evidence", &[]);
    let brief = site.read("briefs/sanctions-evidence.md");
    assert!(
        brief.contains("[see @haggard-2017-hard-target, p. 12 and passim]"),
        "{brief}"
    );
    assert!(
        brief.contains("[-@haggard-2017-hard-target, chap. 4]"),
        "{brief}"
    );
    assert!(
        brief.contains("[@united-nations-security-2023-report-panel, para. 28]"),
        "{brief}"
    );
    assert_eq!(brief.matches("[[citations]]").count(), 2, "{brief}");
    let notes = select_text(&page, ".brief-notes li p");
    assert_eq!(notes.len(), 3, "{notes:?}");
    assert!(
        notes[0].starts_with("See Stephan Haggard and Marcus Noland, Hard Target"),
        "{notes:?}"
    );
    assert!(notes[0].contains("12 and passim"), "{notes:?}");
    assert!(
        notes[1].contains("chap. 4") || notes[1].contains("chapter 4"),
        "{notes:?}"
    );
    assert!(
        notes[2].contains("Report of the Panel of Experts"),
        "{notes:?}"
    );
    assert!(notes[2].contains("para. 28"), "{notes:?}");
    // Every reference links to its page in the citation index, which lists this brief.
    let index_links = select_attr(&page, ".brief-references a.ref-index", "href");
    assert_eq!(index_links.len(), 2, "{index_links:?}");
    for link in index_links {
        let source_page = site.page(link.trim_start_matches("/notes/"));
        assert!(
            select_attr(&source_page, "a", "href")
                .contains(&"/notes/sanctions-evidence/".to_owned()),
            "{link} does not list the brief"
        );
    }
}

fn citation_note_doc() -> Docx {
    Docx::new()
        .footnote(
            "1",
            &note_body(&format!(
                "{}{}",
                zotero(
                    &item(HAGGARD, r#","locator":"88""#),
                    "Haggard and Noland, Hard Target, 88.",
                    1
                ),
                run(".")
            )),
        )
        .footnote("2", &note_body(&run(" A real note.")))
        .body(&title("Notes and Citations"))
        .body(&p(&format!(
            "{}{}{}{}",
            run("Trade fell."),
            footnote_ref("1"),
            run(" Prices rose."),
            footnote_ref("2")
        )))
}

#[test]
fn a_footnote_holding_only_a_citation_becomes_the_citation_in_note_styles() {
    let site = site();
    let (run, page) = import_and_build(&site, &citation_note_doc(), "notes-and-citations", &[]);
    let brief = site.read("briefs/notes-and-citations.md");
    assert!(
        brief.contains("Trade fell.[@haggard-2017-hard-target, p. 88] Prices rose.[^1]"),
        "{brief}"
    );
    let notes = select_text(&page, ".brief-notes li p");
    assert_eq!(notes.len(), 2, "no note inside a note: {notes:?}");
    assert!(
        notes[0].contains("Hard Target") && notes[0].contains("88"),
        "{notes:?}"
    );
    assert_eq!(notes[1], "A real note.");
    run.stderr_has("became the citations' own notes");
}

#[test]
fn in_an_in_text_style_the_citation_stays_in_its_footnote() {
    let site = Site::new().file(
        "site.toml",
        &format!("{SITE}\n[citations]\nstyle = \"apa\"\n"),
    );
    let (_, page) = import_and_build(&site, &citation_note_doc(), "notes-and-citations", &[]);
    let notes = select_text(&page, ".brief-notes li p");
    assert_eq!(notes.len(), 2, "{notes:?}");
    assert!(
        notes[0].contains("Haggard") && notes[0].contains("2017"),
        "{notes:?}"
    );
}

#[test]
fn ids_defined_on_the_site_are_reused_and_clashes_get_a_suffix() {
    let same_panel = r#"[{"id": "un-panel-2023", "type":"report","title":"Report of the Panel of Experts","author":[{"literal":"United Nations Security Council"}],"number":"S/2023/171","issued":{"date-parts":[[2023,3,7]]},"URL":"https://undocs.org/S/2023/171"}]"#;
    let site = Site::new()
        .file(
            "site.toml",
            &format!("{SITE}\n[citations]\nbibliography = [\"refs/zotero.json\"]\n"),
        )
        .file("refs/zotero.json", same_panel)
        .brief(
            "earlier.md",
            "+++\ntitle = \"Earlier\"\ndate = 2023-01-05\nauthors = [\"elena-marsh\"]\n\n[[citations]]\nid = \"haggard-2017-hard-target\"\ntype = \"article-journal\"\ntitle = \"Hard Targets in Maritime Law\"\nauthor = [{ family = \"Haggard\", given = \"Ann\" }]\nissued = { date-parts = [[2017]] }\n+++\n\nAs argued [@haggard-2017-hard-target].\n",
        );
    let doc = Docx::new().body(&title("Reuse")).body(&p(&format!(
        "{}{}{}",
        run("Two sources "),
        zotero(
            &format!(
                "{},{}",
                item(HAGGARD, ""),
                format_args!(r#"{{"id":3,"itemData":{PANEL}}}"#)
            ),
            "(Haggard and Noland 2017; UNSC 2023)",
            0
        ),
        run(".")
    )));
    let (run, page) = import_and_build(&site, &doc, "reuse", &[]);
    let brief = site.read("briefs/reuse.md");
    assert!(
        brief.contains("[@haggard-2017-hard-target-2; @un-panel-2023]"),
        "{brief}"
    );
    run.stderr_has("`un-panel-2023` (refs/zotero.json)");
    // Stable: importing the same document again (under another name) gives the same ids.
    let again = import(&site, "reuse-again", &doc.clone().body(&para("x")), &[]);
    again.failure().stderr_has("already exists");
    // The citation index has one page for the panel's report, citing both uses.
    let refs = select_attr(&page, ".brief-references a.ref-index", "href");
    assert!(
        refs.contains(&"/notes/citations/un-panel-2023/".to_owned()),
        "{refs:?}"
    );
    assert!(
        refs.contains(&"/notes/citations/haggard-2017-hard-target-2/".to_owned()),
        "{refs:?}"
    );
}

#[test]
fn the_plugins_bibliography_and_its_heading_are_dropped() {
    let site = site();
    let bibliography = format!(
        r#"<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> ADDIN ZOTERO_BIBL {{"uncited":[],"omitted":[],"custom":[]}} CSL_BIBLIOGRAPHY </w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r>{}</w:p>{}<w:p>{}<w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>"#,
        run("Haggard, Stephan, and Marcus Noland. 2017. Hard Target."),
        para("Second entry of the plugin's list."),
        run("Third entry.")
    );
    let doc = Docx::new()
        .body(&title("With Bibliography"))
        .body(&p(&format!(
            "{}{}",
            run("Claim "),
            zotero(&item(HAGGARD, ""), "(Haggard 2017)", 0)
        )))
        .body(&styled("Heading1", &run("Bibliography")))
        .body(&bibliography);
    let (run, page) = import_and_build(&site, &doc, "with-bibliography", &[]);
    assert_eq!(body_text(&page), "Claim1");
    assert_eq!(count(&page, ".brief-references li"), 1);
    run.stderr_has("bibliography (dossier writes the references)");
}

#[test]
fn broken_citation_data_is_kept_as_text_and_reported() {
    let site = site();
    let doc = Docx::new().body(&title("Broken")).body(&p(&format!(
        "{}{}",
        run("A claim "),
        field(
            r#" ADDIN ZOTERO_ITEM CSL_CITATION {"citationItems":[{"itemData":{"title": "#,
            "(Kim 2021)"
        )
    )));
    let (run, page) = import_and_build(&site, &doc, "broken", &[]);
    assert_eq!(body_text(&page), "A claim (Kim 2021)");
    run.stderr_has("not valid JSON")
        .stderr_has("its text was kept");
}

#[test]
fn authors_come_from_the_properties_and_unknown_names_are_reported() {
    let site = site();
    let doc = Docx::new()
        .core("Ignored title", "Elena Marsh; Jiwu Han")
        .custom_property("Publication date", "2024-05-02T00:00:00Z")
        .body(&title("Authored"))
        .body(&para("Text."));
    let (run, page) = import_and_build(&site, &doc, "authored", &[]);
    run.stderr_has(
        "warning: inbox/authored.docx: the document's author `Jiwu Han` is not in site.toml",
    )
    .stderr_has("help: nearest: Jiwoo Han (`jiwoo-han`); set it with --author jiwoo-han");
    let brief = site.read("briefs/authored.md");
    assert!(brief.contains("authors = [\"elena-marsh\"]"), "{brief}");
    assert!(brief.contains("date = 2024-05-02"), "{brief}");
    assert!(
        brief.contains("tags = [\"sanctions\", \"energy\"]"),
        "{brief}"
    );
    assert_eq!(select_text(&page, ".brief-header time"), ["May 2, 2024"]);

    let site = self::site();
    let args = ["--author", "jiwoo-han", "--category", "Energy", "--yaml"];
    let (_, page) = import_and_build(&site, &doc, "authored", &args);
    let brief = site.read("briefs/authored.md");
    assert!(brief.starts_with("---\n"), "{brief}");
    assert!(brief.contains("authors: [\"jiwoo-han\"]"), "{brief}");
    assert!(page.contains("/notes/categories/energy/"));
    let wrong = import(&site, "other", &doc, &["--author", "elena-mrash"]);
    wrong.failure().stderr_has("did you mean `elena-marsh`?");
}

#[test]
fn the_summary_says_what_was_converted() {
    let site = site();
    let doc = Docx::new()
        .numbering(NUMBERING)
        .footnote("1", &note_body(&run(" Note.")))
        .body(&title("Summary"))
        .body(&styled("Heading1", &run("Part")))
        .body(&p(&format!("{}{}", run("Text."), footnote_ref("1"))))
        .body(&item_p(1, 0, "Item"))
        .body(&format!(
            "<w:tbl><w:tr>{}</w:tr></w:tbl>",
            cell("", "Cell")
        ))
        .body(&p(r#"<w:r><w:pict><v:shape xmlns:v="urn:schemas-microsoft-com:vml"><v:textbox><w:txbxContent><w:p><w:r><w:t>Boxed</w:t></w:r></w:p></w:txbxContent></v:textbox></v:shape></w:pict></w:r>"#));
    let run = import(&site, "summary", &doc, &[]).success();
    run.stderr_has("imported inbox/summary.docx -> briefs/summary.md (draft)")
        .stderr_has("converted: 3 paragraphs, 1 heading, 1 list, 1 note, 1 table")
        .stderr_has("warning: inbox/summary.docx: not converted: 1 text box");
}

#[test]
fn help_documents_the_workflow() {
    let site = site();
    let run = dossier(&site, &["import", "docx", "--help"]).success();
    assert!(run.stdout.contains("Zotero"), "{}", run.stdout);
    assert!(run.stdout.contains("--author"), "{}", run.stdout);
}

/// Nothing was written into the site but the inbox, and nothing beside it.
fn assert_nothing_written(site: &Site) {
    assert!(!site.path("briefs").exists(), "a brief was written");
    assert!(!site.path("static").exists(), "an image was written");
    let parent: PathBuf = site.root().parent().unwrap().to_path_buf();
    assert!(!parent.join("evil.png").exists());
}

fn assert_clean_error(run: Run, needle: &str) {
    let run = run.failure();
    run.stderr_has("inbox/bad.docx").stderr_has(needle);
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
}

#[test]
fn bad_input_is_a_clear_error_and_writes_nothing() {
    let site = site();
    assert_clean_error(
        import_bytes(&site, "bad", b"just some text, not a zip", &[]),
        "not a Word document (.docx): it is not a zip archive",
    );
    let no_document = Docx::new().without_document();
    assert_clean_error(
        import(&site, "bad", &no_document, &[]),
        "has no word/document.xml",
    );
    // Word's password-protected documents are OLE compound files holding "EncryptedPackage".
    let mut ole = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    ole.resize(512, 0);
    ole.extend("EncryptedPackage".encode_utf16().flat_map(u16::to_le_bytes));
    assert_clean_error(import_bytes(&site, "bad", &ole, &[]), "encrypted");
    // A part that unpacks to far more than any document (a zip bomb).
    let bomb = Docx::new()
        .body(&title("Bomb"))
        .rel("rIdBig", "image", "media/big.png", false)
        .body(&p(&picture("rIdBig", "big")))
        .raw("word/media/big.png", vec![0; 65 << 20]);
    assert_clean_error(import(&site, "bad", &bomb, &[]), "zip bomb");
    // A picture whose name climbs out of the document.
    let traversal = Docx::new()
        .body(&title("Traversal"))
        .rel("rIdEvil", "image", "../../../../evil.png", false)
        .body(&p(&picture("rIdEvil", "evil")));
    assert_clean_error(
        import(&site, "bad", &traversal, &[]),
        "points outside the document",
    );
    let malformed = Docx::new().body("<w:p><w:r><w:t>unclosed");
    assert_clean_error(import(&site, "bad", &malformed, &[]), "not well-formed XML");
    assert_nothing_written(&site);
}

#[test]
fn an_existing_brief_is_never_overwritten() {
    let site = site().brief(
        "notes.md",
        "+++\ntitle = \"Mine\"\ndate = 2023-01-01\n+++\n\nKeep me.\n",
    );
    let doc = Docx::new().body(&title("Notes")).body(&para("New text."));
    import(&site, "notes", &doc, &[])
        .failure()
        .stderr_has("a brief with the URL /notes/ already exists: briefs/notes.md");
    assert!(site.read("briefs/notes.md").contains("Keep me."));
}
