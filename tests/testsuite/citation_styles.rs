//! Citation styles and sources: every marker form (and what only looks like one), each named CSL
//! style and a `.csl` file with its distinctive shape, bibliography files in BibTeX/BibLaTeX and
//! CSL-JSON (site-wide and per brief), and the errors about styles and sources.
//!
//! CSL styles change the capitalisation of titles, so titles that pass through a style are
//! compared case-insensitively unless the title is already in the case the style produces.

use crate::harness::{
    Reported, Site, assert_contains, count, report_about, reports_about, select_attr,
    select_inner_html, select_text, the_text,
};

const SITE_TOML: &str = r#"title = "Harbor Notes"
base_url = "https://example.org"

[organization]
name = "Harbor Institute"

[authors.elena-marsh]
name = "Elena Marsh"
"#;

/// Three sources of different kinds, in TOML front matter.
const SOURCES: &str = r#"
[[citations]]
id = "kim2023"
type = "report"
title = "Chip Outlook 2023"
author = [{family = "Kim", given = "Hana"}]
publisher = "Seoul Trade Observatory"
issued = {date-parts = [[2023, 3]]}
URL = "https://example.com/sto/chip-outlook-2023"

[[citations]]
id = "park2020"
type = "article-journal"
title = "Port Congestion and Trade Diversion"
author = [{family = "Park", given = "Minjun"}]
container-title = "Journal of Maritime Economics"
volume = "12"
issue = "2"
page = "33-58"
issued = "2020"
DOI = "10.5555/jme.2020.14"

[[citations]]
id = "S/RES/2397"
type = "document"
title = "Resolution 2397 (2017)"
author = [{literal = "United Nations Security Council"}]
number = "S/RES/2397 (2017)"
issued = {date-parts = [[2017, 12, 22]]}
URL = "https://undocs.org/S/RES/2397(2017)"
"#;

/// Cites every source with the common locator forms, then a footnote.
const BODY: &str = "Chip exports fell [@kim2023, p. 4]. Congestion diverts trade [@park2020, 41]. \
The cap is firm [@S/RES/2397, para. 28]. Exports fell again [@kim2023, pp. 4-5]. \
Both agree [see @kim2023; @park2020, 12]. Inspections [@S/RES/2397, paras. 9-15].[^1]

[^1]: A footnote.
";

/// `[citations]` lines for site.toml (empty for the default style).
fn citations_table(lines: &str) -> String {
    if lines.is_empty() {
        String::new()
    } else {
        format!("\n[citations]\n{lines}\n")
    }
}

/// A site with the three sources and one brief at `/a/` with `body`, in `style` (`None`: the
/// default).
fn styled(style: Option<&str>, body: &str) -> Site {
    let table = style.map_or(String::new(), |s| {
        citations_table(&format!("style = \"{s}\""))
    });
    Site::new()
        .file("site.toml", &format!("{SITE_TOML}{table}"))
        .brief("a.md", &brief("Chip Exports After the Downturn", body))
}

fn brief(title: &str, body: &str) -> String {
    brief_citing(title, SOURCES, body)
}

/// A brief by Elena Marsh whose front matter defines `sources` (TOML `[[citations]]`).
fn brief_citing(title: &str, sources: &str, body: &str) -> String {
    format!(
        "+++\ntitle = \"{title}\"\ndate = 2023-06-01\nauthor = \"elena-marsh\"\n{sources}+++\n\n{body}\n"
    )
}

/// Builds `styled(style, body)` and returns the brief page.
fn page_in(style: Option<&str>, body: &str) -> String {
    let site = styled(style, body);
    site.build_ok(&[]);
    site.page("a/")
}

fn body_text(page: &str) -> String {
    the_text(page, ".brief-body")
}

fn note(page: &str, n: usize) -> String {
    plain(&the_text(page, &format!("li#note-{n} p")))
}

/// Document numbers such as `KIMA-23-07` may be printed with non-breaking hyphens (U+2011), which
/// look the same; compare them as hyphens.
fn plain(text: &str) -> String {
    text.replace('\u{2011}', "-")
}

fn references(page: &str) -> Vec<String> {
    select_text(page, ".brief-references li")
        .into_iter()
        .map(|r| plain(r.trim_end_matches("Where this source is cited").trim()))
        .collect()
}

// --- Marker forms ---

#[test]
fn every_marker_form_is_a_note_in_a_note_style() {
    let page = page_in(
        None,
        "One [@kim2023]. Two [@S/RES/2397, para. 28]. Three [see @park2020, pp. 4-5]. \
Four [@kim2023; @park2020, 12]. Five [-@S/RES/2397].",
    );
    assert_eq!(
        select_text(&page, ".brief-body sup.note-ref"),
        vec!["1", "2", "3", "4", "5"]
    );
    assert_eq!(count(&page, ".brief-notes li"), 5);
    assert!(note(&page, 1).starts_with("Hana Kim, Chip Outlook 2023"));
    assert!(
        note(&page, 2).contains(", para. 28, "),
        "{}",
        note(&page, 2)
    );
    // The prefix leads the note, capitalised; Chicago drops "pp." and joins the range with an en dash.
    let third = note(&page, 3);
    assert!(third.starts_with("See Minjun Park, "), "{third}");
    assert!(third.contains("(2020): 4–5, "), "{third}");
    // Two sources in one marker are one note, each in its own position (both cited before).
    assert_eq!(
        note(&page, 4),
        "Kim, Chip Outlook 2023; Park, “Port Congestion and Trade Diversion,” 12."
    );
    // No bracket survives as text.
    assert!(!body_text(&page).contains('['), "{}", body_text(&page));
}

#[test]
fn every_marker_form_is_an_in_text_citation_in_an_author_date_style() {
    let page = page_in(
        Some("chicago-author-date"),
        "One [@kim2023]. Two [@S/RES/2397, para. 28]. Three [see @park2020, pp. 4-5]. \
Four [@kim2023; @park2020, 12]. As Park showed [-@park2020].",
    );
    assert_eq!(
        body_text(&page),
        "One (Kim 2023). Two (United Nations Security Council 2017, para. 28). \
Three (see Park 2020, 4–5). Four (Kim 2023; Park 2020, 12). As Park showed (2020)."
    );
    assert_eq!(
        count(&page, ".brief-notes"),
        0,
        "no notes without footnotes"
    );
}

#[test]
fn suppressed_author_is_left_out_of_author_date_citations() {
    for (style, expected) in [
        ("chicago-author-date", "As Kim found (2023), exports fell."),
        ("apa", "As Kim found (2023), exports fell."),
        ("harvard", "As Kim found (2023), exports fell."),
    ] {
        let page = page_in(Some(style), "As Kim found [-@kim2023], exports fell.");
        assert_eq!(body_text(&page), expected, "{style}");
    }
}

#[test]
fn suppressed_author_keeps_the_locator_and_the_form_of_the_citation() {
    // Pandoc (citeproc) renders these as below: only the author goes; the locator stays, and a
    // numeric style keeps its number (it shows no author anyway).
    let mut wrong = Vec::new();
    for (style, expected) in [
        (
            "chicago-author-date",
            "As Kim found (2023, 4), exports fell.",
        ),
        ("apa", "As Kim found (2023, p. 4), exports fell."),
        ("harvard", "As Kim found (2023, p. 4), exports fell."),
        ("mla", "As Kim found (4), exports fell."),
        ("ieee", "As Kim found [1, p. 4], exports fell."),
    ] {
        let page = page_in(Some(style), "As Kim found [-@kim2023, p. 4], exports fell.");
        let got = body_text(&page);
        if got != expected {
            wrong.push(format!("{style}: expected {expected:?}, got {got:?}"));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn emails_code_escapes_and_unparsable_brackets_stay_text() {
    let body = r#"Write to [desk@example.org] or desk@example.org, or see <press@example.org>.

The key is `[@kim2023]` in the appendix, and [\@kim2023] is how it is written.

Not citations: [@ kim2023], [@kim2023 @park2020], [see; @kim2023], [@], and [@kim2023 unclosed.

A link named [@park2020](https://example.org/park) stays a link.

```text
cite as [@S/RES/2397, para. 5]
```
"#;
    let page = page_in(None, body);
    let text = body_text(&page);
    assert_contains(
        &text,
        &[
            "Write to [desk@example.org] or desk@example.org, or see press@example.org.",
            "The key is [@kim2023] in the appendix, and [@kim2023] is how it is written.",
            "Not citations: [@ kim2023], [@kim2023 @park2020], [see; @kim2023], [@], and [@kim2023 unclosed.",
            "A link named @park2020 stays a link.",
        ],
    );
    assert_eq!(select_text(&page, ".brief-body p code"), vec!["[@kim2023]"]);
    assert_eq!(
        select_text(&page, ".brief-body pre code"),
        vec!["cite as [@S/RES/2397, para. 5]"]
    );
    assert_eq!(
        select_attr(&page, ".brief-body a[href*=park]", "href"),
        vec!["https://example.org/park"]
    );
    assert_eq!(count(&page, ".brief-body sup"), 0);
    assert_eq!(count(&page, ".brief-notes"), 0);
    assert_eq!(count(&page, ".brief-references"), 0);
}

#[test]
fn citation_inside_a_footnote_is_formatted_in_the_footnote() {
    // A discursive footnote that cites a source, as policy briefs often have. Pandoc formats the
    // citation inside the footnote; the footnote stays one note, and every note has its place in
    // the text to link back to.
    let mut wrong = Vec::new();
    for style in [None, Some("apa")] {
        let page = page_in(
            style,
            "Exports fell.[^why]\n\n[^why]: The survey explains why [@kim2023, p. 9].\n",
        );
        let label = style.unwrap_or("chicago-notes");
        if page.contains(['\u{E000}', '\u{E001}']) {
            wrong.push(format!("{label}: a placeholder reached the page"));
        }
        let notes = select_text(&page, ".brief-notes li p");
        let footnote = notes.first().map(|n| plain(n)).unwrap_or_default();
        if notes.len() != 1
            || !footnote.starts_with("The survey explains why")
            || !footnote.contains("Kim")
        {
            wrong.push(format!("{label}: notes {notes:?}"));
        }
        let ids = crate::harness::ids(&page);
        for back in select_attr(&page, ".brief-notes a.note-back", "href") {
            if !ids.iter().any(|id| *id == back[1..]) {
                wrong.push(format!("{label}: note link {back} points nowhere"));
            }
        }
        if select_attr(&page, ".brief-references li", "id") != ["ref-kim2023"] {
            wrong.push(format!("{label}: the source is not in the references"));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn every_note_links_back_to_a_place_in_the_text() {
    let page = page_in(None, BODY);
    let ids = crate::harness::ids(&page);
    let backs = select_attr(&page, ".brief-notes a.note-back", "href");
    assert_eq!(backs.len(), count(&page, ".brief-notes li"));
    for back in backs {
        let target = back.trim_start_matches('#');
        assert!(ids.iter().any(|id| id == target), "{back} points nowhere");
    }
}

// --- Each named style ---

#[test]
fn chicago_notes_print_editors_unsigned_magazine_articles_and_quotes_in_titles_as_zotero_does() {
    let sources = r#"
[[citations]]
id = "okafor2019"
type = "book"
title = "Sanctions and Their Limits"
editor = [{family = "Okafor", given = "Mira"}]
publisher = "Harbor Press"
issued = {date-parts = [[2019]]}

[[citations]]
id = "review2020"
type = "article-magazine"
title = "Ports: Open for Now"
container-title = "The Harbor Review"
issued = {date-parts = [[2020, 3, 2]]}

[[citations]]
id = "lind2022"
type = "article-journal"
title = "Why “Buy Local” Rules Travel"
author = [{family = "Lindqvist", given = "Sara"}]
container-title = "Trade Policy Review"
volume = "7"
page = "15-40"
issued = {date-parts = [[2022]]}
"#;
    let site = Site::new().file("site.toml", SITE_TOML).brief(
        "a.md",
        &brief_citing(
            "Ports",
            sources,
            "A [@okafor2019, 4]. B [@review2020]. C [@lind2022, 20].",
        ),
    );
    site.build_ok(&[]);
    let page = site.page("a/");
    assert_eq!(
        note(&page, 1),
        "Mira Okafor, ed., Sanctions and Their Limits (Harbor Press, 2019), 4."
    );
    assert!(
        note(&page, 2).starts_with("“Ports: Open for Now,” The Harbor Review"),
        "{}",
        note(&page, 2)
    );
    assert!(
        note(&page, 3).contains("“Why ‘Buy Local’ Rules Travel,”"),
        "{}",
        note(&page, 3)
    );
    let refs = references(&page);
    assert!(
        refs.iter()
            .any(|r| r.starts_with("Okafor, Mira, ed. Sanctions and Their Limits.")),
        "{refs:?}"
    );
    assert!(
        refs.iter()
            .any(|r| r.starts_with("The Harbor Review. “Ports: Open for Now.” March 2, 2020.")),
        "{refs:?}"
    );
}

#[test]
fn chicago_notes_is_the_default_with_full_then_short_notes() {
    let page = page_in(None, BODY);
    assert_eq!(
        select_text(&page, ".brief-body sup.note-ref"),
        vec!["1", "2", "3", "4", "5", "6", "7"]
    );
    assert_eq!(
        note(&page, 1),
        "Hana Kim, Chip Outlook 2023 (Seoul Trade Observatory, 2023), 4, https://example.com/sto/chip-outlook-2023."
    );
    assert_eq!(
        note(&page, 2),
        "Minjun Park, “Port Congestion and Trade Diversion,” Journal of Maritime Economics 12, no. 2 (2020): 41, https://doi.org/10.5555/jme.2020.14."
    );
    assert_eq!(
        note(&page, 3),
        "United Nations Security Council, “Resolution 2397 (2017),” S/RES/2397 (2017), December 22, 2017, para. 28, https://undocs.org/S/RES/2397(2017)."
    );
    // Later citations of a source are short notes; "pp." is dropped and ranges take an en dash.
    assert_eq!(note(&page, 4), "Kim, Chip Outlook 2023, 4–5.");
    assert_eq!(
        note(&page, 6),
        "United Nations Security Council, “Resolution 2397 (2017),” paras. 9–15."
    );
    assert_eq!(note(&page, 7), "A footnote.");
    // Real HTML: italics and links.
    let first = select_inner_html(&page, "li#note-1 p").remove(0);
    assert!(first.contains("<i>Chip Outlook 2023</i>"), "{first}");
    assert_eq!(
        select_attr(&page, "li#note-2 a.url", "href"),
        vec!["https://doi.org/10.5555/jme.2020.14"]
    );
    assert_eq!(
        references(&page),
        vec![
            "Kim, Hana. Chip Outlook 2023. Seoul Trade Observatory, 2023. https://example.com/sto/chip-outlook-2023.",
            "Park, Minjun. “Port Congestion and Trade Diversion.” Journal of Maritime Economics 12, no. 2 (2020): 33–58. https://doi.org/10.5555/jme.2020.14.",
            "United Nations Security Council. “Resolution 2397 (2017).” S/RES/2397 (2017). December 22, 2017. https://undocs.org/S/RES/2397(2017).",
        ]
    );
    assert_eq!(count(&page, ".brief-references ul > li"), 3);
    // Naming the default style changes nothing.
    let named = page_in(Some("chicago-notes"), BODY);
    assert_eq!(
        select_inner_html(&named, ".brief-notes"),
        select_inner_html(&page, ".brief-notes")
    );
}

#[test]
fn chicago_shortened_notes_start_with_a_short_note() {
    let page = page_in(Some("chicago-shortened-notes"), BODY);
    assert_eq!(note(&page, 1), "Kim, Chip Outlook 2023, 4.");
    assert_eq!(
        note(&page, 3),
        "United Nations Security Council, “Resolution 2397 (2017),” para. 28."
    );
    assert!(
        references(&page)[0]
            .starts_with("Kim, Hana. Chip Outlook 2023. Seoul Trade Observatory, 2023.")
    );
}

#[test]
fn chicago_author_date_cites_author_and_year_in_the_text() {
    let page = page_in(Some("chicago-author-date"), BODY);
    assert_eq!(
        body_text(&page),
        "Chip exports fell (Kim 2023, 4). Congestion diverts trade (Park 2020, 41). \
The cap is firm (United Nations Security Council 2017, para. 28). Exports fell again (Kim 2023, 4–5). \
Both agree (see Kim 2023; Park 2020, 12). Inspections (United Nations Security Council 2017, paras. 9–15).1"
    );
    // Only the footnote is a note.
    assert_eq!(select_attr(&page, ".brief-notes li", "id"), vec!["note-1"]);
    assert_eq!(note(&page, 1), "A footnote.");
    assert_eq!(
        select_attr(&page, ".brief-body sup a", "href"),
        vec!["#note-1"]
    );
    let refs = references(&page);
    assert!(
        refs[0].starts_with("Kim, Hana. 2023. Chip Outlook 2023. Seoul Trade Observatory."),
        "{refs:?}"
    );
    assert!(
        refs[1].contains("Journal of Maritime Economics 12 (2): 33–58."),
        "{refs:?}"
    );
}

#[test]
fn apa_cites_author_comma_year_with_page_labels() {
    let page = page_in(Some("apa"), BODY);
    assert_contains(
        &body_text(&page),
        &[
            "fell (Kim, 2023, p. 4).",
            "trade (Park, 2020, p. 41).",
            "firm (United Nations Security Council, 2017, para. 28).",
            "again (Kim, 2023, pp. 4–5).",
            "agree (see Kim, 2023; Park, 2020, p. 12).",
            "Inspections (United Nations Security Council, 2017, paras. 9–15).",
        ],
    );
    assert_eq!(count(&page, ".brief-notes li"), 1);
    let refs = references(&page);
    assert!(
        refs[0].starts_with("Kim, H. (2023). Chip Outlook 2023. Seoul Trade Observatory."),
        "{refs:?}"
    );
    let park = select_inner_html(&page, "li#ref-park2020").remove(0);
    assert!(
        park.contains("<i>Journal of Maritime Economics</i>, <i>12</i>(2), 33–58."),
        "{park}"
    );
}

#[test]
fn a_source_without_title_or_with_fields_no_style_reads_keeps_its_author_and_date() {
    // CSL-JSON from reference managers carries fields that are no CSL variable (`null`s, flags,
    // keyword lists, a tool's own objects), and a dataset or manual may have no title.
    let sources = r#"
[[citations]]
id = "lee2018"
type = "report"
author = [{family = "Lee", given = "Ann"}]
issued = {date-parts = [[2018]]}

[[citations]]
id = "cho2021"
type = "report"
title = "Shipyard Orders"
author = [{family = "Cho", given = "Min"}]
issued = {date-parts = [[2021]]}
publisher = "Busan Maritime Forum"
archived = true
categories = ["shipbuilding", "trade"]
custom = {zotero-key = "ABCD1234"}
"#;
    let site = Site::new()
        .file(
            "site.toml",
            &format!("{SITE_TOML}{}", citations_table("style = \"apa\"")),
        )
        .brief(
            "a.md",
            &brief_citing(
                "Orders",
                sources,
                "First [@lee2018]. Then [@cho2021, p. 3].",
            ),
        );
    site.build_ok(&[]);
    let page = site.page("a/");
    assert_contains(
        &body_text(&page),
        &["First (Lee, 2018).", "Then (Cho, 2021, p. 3)."],
    );
    assert_eq!(
        references(&page),
        vec![
            "Cho, M. (2021). Shipyard Orders. Busan Maritime Forum.",
            "Lee, A. (2018).",
        ]
    );
}

#[test]
fn ieee_numbers_sources_by_their_place_in_each_brief() {
    let site = styled(Some("ieee"), BODY).brief(
        "b.md",
        &brief(
            "Ports First",
            "Congestion comes first [@park2020]. Then chips [@kim2023, p. 2].",
        ),
    );
    site.build_ok(&[]);
    let page = site.page("a/");
    assert_contains(
        &body_text(&page),
        &[
            "fell [1, p. 4].",
            "trade [2, p. 41].",
            "again [1, pp. 4–5].",
            "agree see [1], [2, p. 12].",
        ],
    );
    assert!(!body_text(&page).contains('('), "{}", body_text(&page));
    // The numbered list is the brief's reference list, in order first cited.
    assert_eq!(
        select_attr(&page, ".brief-references ol > li", "id"),
        vec!["ref-kim2023", "ref-park2020", "ref-s-res-2397"]
    );
    assert!(
        references(&page)[0]
            .starts_with("H. Kim, “Chip Outlook 2023,” Seoul Trade Observatory, Mar. 2023.")
    );
    // Another brief numbers the same sources in its own order.
    let other = site.page("b/");
    assert_eq!(
        body_text(&other),
        "Congestion comes first [1]. Then chips [2, p. 2]."
    );
    assert_eq!(
        select_attr(&other, ".brief-references ol > li", "id"),
        vec!["ref-park2020", "ref-kim2023"]
    );
}

#[test]
fn mla_cites_author_and_page_without_a_year() {
    let page = page_in(Some("mla"), BODY);
    let text = body_text(&page);
    assert_contains(
        &text,
        &[
            "fell (Kim 4).",
            "trade (Park 41).",
            "again (Kim 4–5).",
            "agree (see Kim; Park 12).",
        ],
    );
    assert!(!text.contains("2023"), "{text}");
    let refs = references(&page);
    assert!(
        refs[0].starts_with("Kim, Hana. Chip Outlook 2023. Seoul Trade Observatory, Mar. 2023,"),
        "{refs:?}"
    );
    assert!(
        refs[1].contains("Journal of Maritime Economics, vol. 12, no. 2, 2020, pp. 33–58,"),
        "{refs:?}"
    );
}

#[test]
fn harvard_cites_author_comma_year_and_says_available_at() {
    let page = page_in(Some("harvard"), BODY);
    assert_contains(
        &body_text(&page),
        &["fell (Kim, 2023, p. 4).", "again (Kim, 2023, pp. 4–5)."],
    );
    let refs = references(&page);
    assert_eq!(
        refs[0],
        "Kim, H. (2023) Chip Outlook 2023. Seoul Trade Observatory. Available at: https://example.com/sto/chip-outlook-2023."
    );
}

#[test]
fn any_other_style_bundled_with_the_engine_can_be_named() {
    let page = page_in(Some("modern-humanities-research-association-notes"), BODY);
    assert_eq!(count(&page, ".brief-notes li"), 7);
    assert!(note(&page, 1).starts_with("Hana Kim, Chip Outlook 2023"));
}

const STRAITS_CSL: &str = include_str!("../fixtures/library/styles/straits-notes.csl");

const BOOKS: &str = r#"+++
title = "Flags and Law"
date = 2023-06-01

[[citations]]
id = "nak"
type = "book"
title = "Flags of Convenience"
author = [{family = "Nakamura", given = "Kenji"}]
publisher = "Meridian University Press"
issued = "2019"

[[citations]]
id = "whit"
type = "book"
title = "The Law of the Sea in Practice"
author = [{family = "Whitlock", given = "Margaret"}]
publisher = "Harbour & Lane"
issued = "2020"
+++

"#;

fn csl_site(body: &str) -> Site {
    Site::new()
        .file(
            "site.toml",
            &format!(
                "{SITE_TOML}{}",
                citations_table("style = \"styles/straits-notes.csl\"")
            ),
        )
        .file("styles/straits-notes.csl", STRAITS_CSL)
        .brief("flags.md", &format!("{BOOKS}{body}\n"))
}

#[test]
fn csl_file_style_gives_full_notes_ibid_and_short_notes() {
    let site = csl_site(
        "A [@whit, p. 3]. B [@nak, p. 12]. C [@nak, p. 12]. D [@nak, p. 14]. E [@whit, p. 9].",
    );
    site.build_ok(&[]);
    let page = site.page("flags/");
    assert_eq!(
        select_text(&page, ".brief-notes li p"),
        vec![
            "Margaret Whitlock, The Law of the Sea in Practice, Harbour & Lane, 2020, p. 3.",
            "Kenji Nakamura, Flags of Convenience, Meridian University Press, 2019, p. 12.",
            "Ibid.",
            "Ibid., p. 14.",
            "Whitlock, see note 1, p. 9.",
        ]
    );
    let first = select_inner_html(&page, "li#note-1 p").remove(0);
    assert!(
        first.contains("<i>The Law of the Sea in Practice</i>"),
        "{first}"
    );
    assert!(first.contains("Harbour &amp; Lane"), "{first}");
    // The style sorts its bibliography by author.
    assert_eq!(
        references(&page),
        vec![
            "Nakamura, Kenji. Flags of Convenience. Meridian University Press. 2019.",
            "Whitlock, Margaret. The Law of the Sea in Practice. Harbour & Lane. 2020.",
        ]
    );
}

#[test]
fn csl_first_reference_note_number_is_the_note_that_first_cited_the_source() {
    // Nakamura is first cited in note 2, so the short note must point at note 2 (styles such as
    // OSCOLA's "(n 2)" rely on this CSL variable).
    let site = csl_site("A [@whit, p. 3]. B [@nak, p. 12]. C [@whit]. D [@nak, p. 14].");
    site.build_ok(&[]);
    let page = site.page("flags/");
    assert_eq!(note(&page, 3), "Whitlock, see note 1.");
    assert_eq!(note(&page, 4), "Nakamura, see note 2, p. 14.");
}

#[test]
fn csl_file_style_path_is_relative_to_the_site_folder() {
    let site = Site::fixture("library");
    let toml = site.read("site.toml").replace(
        "[citations]\n",
        "[citations]\nstyle = \"styles/straits-notes.csl\"\n",
    );
    site.write("site.toml", &toml);
    site.build_ok(&[]);
    let page = site.page("coast-guards/");
    assert_eq!(
        select_text(&page, ".brief-notes li p"),
        vec![
            "Yuna Seo, Fisheries Enforcement and Coast Guard Diplomacy, Kestrel Institute for Maritime Affairs, 2023, p. 3.",
            "Ibid., pp. 7–9.",
            "Margaret Whitlock, The Law of the Sea in Practice, Harbour & Lane, 2020, p. 41.",
            "Kenji Nakamura, Flags of Convenience: Ship Registries and the Limits of Law, Meridian University Press, 2019, p. 88.",
        ]
    );
}

#[test]
fn in_text_styles_keep_footnotes_as_the_only_notes() {
    for style in ["chicago-author-date", "apa", "ieee", "mla", "harvard"] {
        let page = page_in(
            Some(style),
            "Exports fell [@kim2023].[^a] They rose later [@park2020].[^b]\n\n[^a]: First.\n\n[^b]: Second.\n",
        );
        assert_eq!(
            select_text(&page, ".brief-notes li p"),
            vec!["First.", "Second."],
            "{style}"
        );
        assert_eq!(
            select_text(&page, ".brief-body sup.note-ref"),
            vec!["1", "2"],
            "{style}"
        );
        assert_eq!(count(&page, ".brief-references li"), 2, "{style}");
    }
}

#[test]
fn same_author_and_year_are_told_apart() {
    let body = "Chips [@kim2023, p. 4]. Batteries [@kim2023b].";
    let site = Site::new()
        .file(
            "site.toml",
            &format!("{SITE_TOML}{}", citations_table("style = \"chicago-author-date\"")),
        )
        .brief(
            "a.md",
            &format!(
                "+++\ntitle = \"A\"\ndate = 2023-06-01\n{SOURCES}\n[[citations]]\nid = \"kim2023b\"\ntype = \"report\"\ntitle = \"Battery Outlook 2023\"\nauthor = [{{family = \"Kim\", given = \"Hana\"}}]\npublisher = \"Seoul Trade Observatory\"\nissued = \"2023\"\n+++\n\n{body}\n"
            ),
        );
    site.build_ok(&[]);
    let page = site.page("a/");
    // Chicago orders same-year works by title: Battery (a) before Chip (b).
    assert_eq!(
        body_text(&page),
        "Chips (Kim 2023b, 4). Batteries (Kim 2023a)."
    );
    let refs = references(&page);
    assert!(
        refs[1].starts_with("Kim, Hana. 2023b. Chip Outlook 2023."),
        "{refs:?}"
    );
    assert!(
        refs[0].starts_with("Kim, Hana. 2023a. Battery Outlook 2023."),
        "{refs:?}"
    );
}

#[test]
fn chapter_and_line_locators_keep_their_label() {
    // The plural forms carry a label ("chaps. 5–6", "lines 7–9"); the singular ones must too.
    let mut wrong = Vec::new();
    for (style, chapter, line) in [
        ("chicago-notes", "chap. 3", "line 7"),
        ("chicago-author-date", "chap. 3", "line 7"),
        ("apa", "Chapter 3", "Line 7"),
    ] {
        let page = page_in(
            Some(style),
            "Flags [@kim2023, ch. 3]. Verse [@park2020, l. 7].",
        );
        let shown = format!(
            "{} {}",
            body_text(&page),
            select_text(&page, ".brief-notes li p").join(" ")
        );
        for expected in [chapter, line] {
            if !shown.contains(expected) {
                wrong.push(format!("{style}: no {expected:?} in {shown:?}"));
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn formatted_references_escape_text_and_link_only_web_addresses() {
    let sources = r#"
[[citations]]
id = "odd"
type = "webpage"
title = "Coal <Exit> & \"Security\""
author = [{literal = "Grid <b>Watch</b>"}]
URL = "javascript:alert(1)"
issued = "2021"

[[citations]]
id = "doi-only"
type = "article-journal"
title = "Ports"
author = [{family = "Cho", given = "Mina"}]
container-title = "Port Studies"
DOI = "10.5555/ps.7"
issued = "2019"
"#;
    for style in ["chicago-notes", "apa", "ieee"] {
        let site = Site::new()
            .file(
                "site.toml",
                &format!("{SITE_TOML}{}", citations_table(&format!("style = \"{style}\""))),
            )
            .brief(
                "a.md",
                &format!("+++\ntitle = \"A\"\ndate = 2023-06-01\n{sources}+++\n\nOne [@odd]. Two [@doi-only].\n"),
            );
        site.build_ok(&[]);
        let page = site.page("a/");
        let odd = select_inner_html(&page, "li#ref-odd").remove(0);
        assert!(
            odd.to_lowercase().contains("coal &lt;exit&gt; &amp;"),
            "{style}: {odd}"
        );
        assert!(
            odd.contains("Grid &lt;b&gt;Watch&lt;/b&gt;"),
            "{style}: {odd}"
        );
        assert!(
            odd.contains("javascript:alert(1)"),
            "{style}: shown as text: {odd}"
        );
        assert_eq!(count(&page, "li#ref-odd a.url"), 0, "{style}: {odd}");
        assert_eq!(count(&page, "b"), 0, "{style}");
        assert_eq!(
            select_attr(&page, "li#ref-doi-only a.url", "href"),
            vec!["https://doi.org/10.5555/ps.7"],
            "{style}"
        );
    }
}

// --- Errors about styles ---

fn failed_build(site: &Site) -> crate::harness::Run {
    let run = site.build(&[]).failure();
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    run
}

#[test]
fn unknown_style_is_an_error_naming_the_nearest_style() {
    for (written, nearest) in [
        ("chicago-note", "chicago-notes"),
        ("chicago-autor-date", "chicago-author-date"),
        ("ieeee", "ieee"),
    ] {
        let site = styled(Some(written), BODY);
        let run = failed_build(&site);
        let report = report_about(&run.stderr, "site.toml");
        assert!(
            report.message.contains(&format!("`{written}`")),
            "{}",
            report.text
        );
        assert_eq!(
            report.hint.as_deref(),
            Some(format!("did you mean `{nearest}`?").as_str()),
            "{}",
            report.text
        );
        assert!(!site.public().exists(), "a failed build wrote output");
    }
}

#[test]
fn missing_or_invalid_csl_file_is_an_error() {
    let site = styled(Some("styles/house.csl"), BODY);
    let run = failed_build(&site);
    assert!(run.stderr.contains("styles/house.csl"), "{}", run.stderr);
    site.write("styles/house.csl", "<style>not CSL</style>");
    let run = failed_build(&site);
    assert!(run.stderr.contains("styles/house.csl"), "{}", run.stderr);
    assert!(run.stderr.contains("= help:"), "{}", run.stderr);
}

#[test]
fn unknown_brief_type_is_an_error_at_its_line() {
    let site = Site::new()
        .file(
            "site.toml",
            &format!("{SITE_TOML}\n[citations]\nbrief_type = \"blog\"\n"),
        )
        .brief("a.md", &brief("A", "Text [@kim2023]."));
    let run = failed_build(&site);
    let report = report_about(&run.stderr, "site.toml");
    assert_eq!(report.position, Some((11, 1)), "{}", report.text);
    assert!(report.message.contains("`blog`"), "{}", report.text);
    let hint = report.hint.unwrap_or_default();
    assert!(
        hint.contains("report") && hint.contains("post-weblog"),
        "{hint}"
    );
}

#[test]
fn misspelt_citation_settings_suggest_the_nearest_key() {
    let site = Site::new()
        .file(
            "site.toml",
            &format!("{SITE_TOML}\n[citations]\nstyel = \"apa\"\n"),
        )
        .brief("a.md", &brief("A", "Text [@kim2023]."));
    let run = failed_build(&site);
    let report = report_about(&run.stderr, "site.toml");
    assert!(report.message.contains("`styel`"), "{}", report.text);
    assert!(
        report
            .hint
            .as_deref()
            .unwrap_or_default()
            .contains("`style`"),
        "{}",
        report.text
    );

    let site = Site::new().file("site.toml", SITE_TOML).brief(
        "a.md",
        "+++\ntitle = \"A\"\ndate = 2023-06-01\nbibliograpy = [\"refs.bib\"]\n+++\n\nText.\n",
    );
    let run = failed_build(&site);
    let report = report_about(&run.stderr, "briefs/a.md");
    assert_eq!(report.position, Some((4, 1)), "{}", report.text);
    assert!(
        report
            .hint
            .as_deref()
            .unwrap_or_default()
            .contains("`bibliography`"),
        "{}",
        report.text
    );
}

// --- Sources from bibliography files ---

fn library() -> Site {
    let site = Site::fixture("library");
    site.build_ok(&[]);
    site
}

fn index_ids(index: &str, group: &str) -> Vec<String> {
    select_attr(index, &format!("#sources-{group} ~ ul .source-item"), "id")
}

#[test]
fn bibtex_and_csl_json_files_supply_sources_of_every_kind() {
    let site = library();
    let index = site.page("citations/");
    assert_eq!(
        select_text(&index, "main h2"),
        vec![
            "UN and government documents",
            "Reports",
            "Journal articles",
            "News",
            "Books",
            "Web pages"
        ]
    );
    // Sorted by author within each group, whichever file a source came from.
    assert_eq!(
        index_ids(&index, "government"),
        vec!["source-unpoe2024", "source-unsc2397"]
    );
    assert_eq!(
        index_ids(&index, "report"),
        vec!["source-haddad2023bunkering", "source-seo2023fisheries"]
    );
    assert_eq!(
        index_ids(&index, "journal"),
        vec!["source-lindgren2022insurers", "source-okafor2021"]
    );
    assert_eq!(
        index_ids(&index, "news"),
        vec!["source-kang2024patrols", "source-mercer2023tankers"]
    );
    assert_eq!(
        index_ids(&index, "book"),
        vec!["source-nakamura2019flags", "source-whitlock2020"]
    );
    assert_eq!(
        index_ids(&index, "web"),
        vec![
            "source-mti2024coverage",
            "source-http-zotero-org-users-local-xq3uf8-items-9kd2wz7m"
        ]
    );
    // An entry no brief cites is fine, and gets no page.
    assert!(!site.has_page("citations/unused2020/"));
    assert!(!index.contains("A Report No Brief Cites"));
}

#[test]
fn biblatex_entries_are_formatted_with_their_fields() {
    let site = library();
    let page = site.page("dark-fleet-bunkering/");
    // A UN report: author, title, report type and symbol, institution as publisher, link.
    assert_eq!(
        note(&page, 2),
        "United Nations Panel of Experts on the DPRK, Final Report of the Panel of Experts Submitted Pursuant to Resolution 2680 (2023), Report of the Panel of Experts S/2024/215 (United Nations Security Council, 2024), para. 112, https://undocs.org/S/2024/215."
    );
    // `institution` is printed as the publisher; two authors joined with "and".
    let report = note(&page, 3);
    assert!(
        report.starts_with(
            "See Ines Haddad and Tomás Reyes, Dark Fleet Bunkering in the Yellow Sea, Policy Report"
        ),
        "{report}"
    );
    assert!(
        report.contains("(Kestrel Institute for Maritime Affairs, 2023), 4–5, https://example.org/reports/dark-fleet-bunkering;"),
        "{report}"
    );
    // `entrysubtype = {newspaper}` is a newspaper article; the date is printed in full.
    assert!(
        report
            .to_lowercase()
            .contains("olivia mercer, “tankers vanish off the shandong coast,” the pacific courier, september 18, 2023,"),
        "{report}"
    );
    // `@online` with a corporate author in braces.
    assert_eq!(
        note(&page, 4),
        "Maritime Traffic Initiative, “AIS Coverage in the East China Sea: What Satellites Miss,” January 10, 2024, https://example.net/mti/ais-coverage."
    );
    // A book, with the particle of a Dutch name kept lower case in the article.
    assert!(
        note(&page, 8).starts_with("Kenji Nakamura, Flags of Convenience: Ship Registries and the Limits of Law (Meridian University Press, 2019)"),
        "{}",
        note(&page, 8)
    );
    assert!(
        note(&page, 6)
            .starts_with("Sofia Lindgren and Pieter van Dijk, “Who Insures the Dark Fleet?"),
        "{}",
        note(&page, 6)
    );
    assert_eq!(
        select_attr(&page, "li#ref-lindgren2022insurers a.url", "href"),
        vec!["https://doi.org/10.5555/jmlp.2022.018"]
    );
}

#[test]
fn biblatex_article_number_is_the_issue_of_the_journal() {
    // Zotero (and BibLaTeX) write a journal issue as `number`; the pages must survive too.
    let site = library();
    let page = site.page("dark-fleet-bunkering/");
    let reference = plain(&the_text(&page, "li#ref-lindgren2022insurers"));
    assert!(
        reference.contains("Journal of Maritime Law and Policy 18, no. 3 (2022): 211–38."),
        "{reference}"
    );
}

#[test]
fn report_numbers_are_printed_as_written() {
    let site = library();
    let page = site.page("dark-fleet-bunkering/");
    let reference = plain(&the_text(&page, "li#ref-haddad2023bunkering"));
    assert!(
        reference.contains("Policy Report KIMA-23-07."),
        "{reference}"
    );
}

#[test]
fn zotero_csl_json_export_is_read_as_written() {
    let site = library();
    let page = site.page("joint-patrols/");
    // Years as strings, as Zotero writes them; a DOI becomes a resolver link.
    assert!(
        note(&page, 2).starts_with("Chidi Okafor and Lena Brandt, “Watching the Transfers: Satellite Evidence in Sanctions Monitoring,” Asian Security Review 17, no. 2 (2021): 150,"),
        "{}",
        note(&page, 2)
    );
    assert_eq!(
        select_attr(&page, "li#note-2 a.url", "href"),
        vec!["https://doi.org/10.5555/asr.2021.044"]
    );
    // A UN document with its symbol, cited with a paragraph.
    assert_eq!(
        note(&page, 3),
        "United Nations Security Council, “Resolution 2397 (2017),” S/RES/2397 (2017), United Nations, December 22, 2017, para. 9, https://undocs.org/S/RES/2397(2017)."
    );
    // A Zotero item URI as id, cited with Pandoc's braced key, gets a flat page.
    assert!(note(&page, 4).starts_with("Open Registry Watch, “Flag Registry Changes, 2020-2024,”"));
    assert!(site.has_page("citations/http-zotero-org-users-local-xq3uf8-items-9kd2wz7m/"));
    // Edition and publisher of a book, `&` escaped once.
    assert_eq!(
        note(&page, 5),
        "Margaret Whitlock, The Law of the Sea in Practice, 2nd ed. (Harbour & Lane, 2020), 212."
    );
}

#[test]
fn brief_bibliography_files_are_relative_to_the_brief() {
    let site = library();
    let page = site.page("coast-guards/");
    let first = note(&page, 1);
    assert!(
        first.starts_with("Yuna Seo, Fisheries Enforcement and Coast Guard Diplomacy, Working Paper")
            && first.contains("KIMA-WP-12 (Kestrel Institute for Maritime Affairs, 2023), 3, https://example.org/papers/coast-guard-diplomacy."),
        "{first}"
    );
    assert_eq!(
        note(&page, 2),
        "Seo, Fisheries Enforcement and Coast Guard Diplomacy, 7–9."
    );
    // Its entries are site-wide sources like any other.
    let source = site.page("citations/seo2023fisheries/");
    assert_eq!(
        select_attr(&source, ".citing-title a", "href"),
        vec!["/straits/coast-guards/"]
    );
    assert_eq!(
        select_text(&source, ".citing-locators"),
        vec!["Cited at 3; 7-9"]
    );
}

#[test]
fn identical_definitions_in_two_files_are_one_source() {
    // nakamura2019flags is in refs/sources.bib and, identically, in the brief's local.bib.
    let site = library();
    let index = site.page("citations/");
    assert_eq!(count(&index, "#source-nakamura2019flags"), 1);
    assert_eq!(
        the_text(&index, "#source-nakamura2019flags .source-cited-by"),
        "Cited by 2 briefs"
    );
}

#[test]
fn bibliography_files_and_front_matter_define_one_site_wide_set_of_ids() {
    // A brief may cite an id that only a file defines, and a file's id that another brief's
    // front matter also defines identically.
    let site = Site::new()
        .file(
            "site.toml",
            &format!("{SITE_TOML}{}", citations_table("bibliography = [\"refs.json\"]")),
        )
        .file(
            "refs.json",
            r#"[{"id": "cho2019", "type": "book", "title": "Harbors", "author": [{"family": "Cho", "given": "Mina"}], "publisher": "Tide Press", "issued": {"date-parts": [["2019"]]}}]"#,
        )
        .brief(
            "a.md",
            "---\ntitle: A\ndate: 2023-06-01\ncitations:\n  - id: cho2019\n    type: book\n    title: Harbors\n    author: [{family: Cho, given: Mina}]\n    publisher: Tide Press\n    issued: {date-parts: [[2019]]}\n---\n\nHarbors [@cho2019, p. 2].\n",
        )
        .brief("b.md", "+++\ntitle = \"B\"\ndate = 2023-06-02\n+++\n\nHarbors [@cho2019].\n");
    site.build_ok(&[]);
    assert_eq!(
        the_text(&site.page("citations/"), "#source-cho2019 .source-cited-by"),
        "Cited by 2 briefs"
    );
}

// --- Errors about sources ---

fn conflict(stderr: &str, file: &str) -> Reported {
    let reports = reports_about(stderr, file);
    assert_eq!(reports.len(), 1, "{stderr}");
    reports.into_iter().next().unwrap_or_else(|| unreachable!())
}

#[test]
fn conflicting_definitions_name_both_places() {
    // The same id in the site's BibTeX file and, differently, in a brief's front matter.
    let site = Site::fixture("library");
    site.write(
        "briefs/conflict.md",
        "+++\ntitle = \"Conflict\"\ndate = 2024-05-01\n\n[[citations]]\nid = \"mercer2023tankers\"\ntype = \"article-newspaper\"\ntitle = \"Tankers Vanish\"\n+++\n\nText [@mercer2023tankers].\n",
    );
    let run = failed_build(&site);
    let report = conflict(&run.stderr, "briefs/conflict.md");
    assert_eq!(report.position.map(|p| p.0), Some(6), "{}", report.text);
    assert!(
        report.message.contains("`mercer2023tankers`")
            && report.message.contains("refs/sources.bib:36"),
        "{}",
        report.text
    );
    assert!(report.hint.is_some(), "{}", report.text);

    // Between the two site files: the JSON one is read second and is the one reported.
    let site = Site::fixture("library");
    let json = site.read("refs/zotero.json").replacen(
        "\"id\": \"whitlock2020\"",
        "\"id\": \"nakamura2019flags\"",
        1,
    );
    site.write("refs/zotero.json", &json);
    let run = failed_build(&site);
    let report = conflict(&run.stderr, "refs/zotero.json");
    let line = json
        .lines()
        .position(|l| l.contains("\"nakamura2019flags\""))
        .map(|i| i + 1);
    assert_eq!(report.position.map(|p| p.0), line, "{}", report.text);
    assert!(
        report.message.contains("refs/sources.bib:56"),
        "{}",
        report.text
    );
}

#[test]
fn unknown_id_suggests_the_nearest_id_from_the_bibliography_files() {
    let site = Site::fixture("library");
    site.write(
        "briefs/typo.md",
        "+++\ntitle = \"Typo\"\ndate = 2024-05-01\n+++\n\nThe clubs insure them [@lindgren2022insurer, 215].\n",
    );
    let run = failed_build(&site);
    let report = report_about(&run.stderr, "briefs/typo.md");
    assert_eq!(report.position, Some((6, 23)), "{}", report.text);
    assert!(
        report.message.contains("`lindgren2022insurer`"),
        "{}",
        report.text
    );
    assert_eq!(
        report.hint.as_deref(),
        Some("did you mean `lindgren2022insurers`?"),
        "{}",
        report.text
    );
}

#[test]
fn missing_and_malformed_bibliography_files_are_errors() {
    let site = Site::fixture("library");
    site.remove("briefs/coast-guards/local.bib");
    let run = failed_build(&site);
    assert!(
        run.stderr.contains("briefs/coast-guards/local.bib"),
        "{}",
        run.stderr
    );

    let site = Site::fixture("library");
    let bib = site.read("refs/sources.bib").replacen(
        "\tnumber = {KIMA-23-07},",
        "\tnumber = {KIMA-23-07,",
        1,
    );
    site.write("refs/sources.bib", &bib);
    let run = failed_build(&site);
    let report = report_about(&run.stderr, "refs/sources.bib");
    assert!(report.position.is_some(), "{}", report.text);
    assert!(report.hint.is_some(), "{}", report.text);

    let site = Site::fixture("library");
    site.write("refs/zotero.json", "[{\"id\": \"x\", \"type\": \"book\",}]");
    let run = failed_build(&site);
    let report = report_about(&run.stderr, "refs/zotero.json");
    assert_eq!(report.position.map(|p| p.0), Some(1), "{}", report.text);
}
