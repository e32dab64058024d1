//! Reference lists in each style's order: a brief's references and each group of the citation
//! index sorted as the style's `<bibliography><sort>` says (numeric styles keep the order of first
//! citation), MLA's "———" for an author repeated from the entry before; and the BibTeX fields
//! read as Zotero and citation-js read them.

use crate::harness::{Site, select_attr, select_text};

/// Four books by three authors, cited out of alphabetical order; two by the same author.
const BOOKS: &str = r#"
@book{zhou2015, author = {Zhou, Lan}, title = {Fishing Fleets and the State}, date = {2015},
  publisher = {Harbor Press}}
@book{abe2019, author = {Abe, Kenji}, title = {Naval Doctrine after the Cold War}, date = {2019},
  publisher = {Meridian University Press}}
@book{mendez2011, author = {M{\'e}ndez, Rosa}, title = {Ports of Call}, date = {2011},
  publisher = {Harbor Press}}
@book{abe2003, author = {Abe, Kenji}, title = {Coastal Defense in East Asia}, date = {2003},
  publisher = {Meridian University Press}}
"#;

const BRIEF: &str = "+++
title = \"Fleets\"
date = 2024-05-02
authors = [\"elena-marsh\"]
+++
Fishing fleets grew [@zhou2015]. Doctrine changed [@abe2019, 12]. Ports adapted
[@mendez2011]. Defense came first [@abe2003, 40].
";

/// site.toml with one author and `refs.bib` as the bibliography, in `style` (`None`: the
/// default).
fn site_toml(style: Option<&str>) -> String {
    let style = style.map_or(String::new(), |s| format!("style = \"{s}\"\n"));
    format!(
        "title = \"Harbor Notes\"\nbase_url = \"https://example.org\"\n\n\
         [authors.elena-marsh]\nname = \"Elena Marsh\"\n\n\
         [citations]\n{style}bibliography = [\"refs.bib\"]\n"
    )
}

fn site(style: &str) -> Site {
    let site = Site::new()
        .file("site.toml", &site_toml(Some(style)))
        .file("refs.bib", BOOKS)
        .brief("fleets.md", BRIEF);
    site.build_ok(&[]);
    site
}

/// The ids, in order, of the brief's references and of the citation index's books.
fn orders(site: &Site) -> (Vec<String>, Vec<String>) {
    let brief = site.page("fleets/");
    let index = site.page("citations/");
    (
        select_attr(&brief, ".brief-references li", "id"),
        select_attr(
            &index,
            "section[aria-labelledby=\"sources-book\"] li.source-item",
            "id",
        ),
    )
}

fn ids(prefix: &str, keys: &[&str]) -> Vec<String> {
    keys.iter().map(|k| format!("{prefix}{k}")).collect()
}

const SORTED: [&str; 4] = ["abe2003", "abe2019", "mendez2011", "zhou2015"];

/// The site built in `style`, whose brief's references and citation index are in `SORTED` order.
fn sorted_site(style: &str) -> Site {
    let site = site(style);
    let (brief, index) = orders(&site);
    assert_eq!(brief, ids("ref-", &SORTED), "{style}");
    assert_eq!(index, ids("source-", &SORTED), "{style}");
    site
}

/// The text of each entry of the references on the page at `url`.
fn references(site: &Site, url: &str) -> Vec<String> {
    select_text(&site.page(url), ".brief-references li")
}

#[test]
fn chicago_notes_sorts_references_by_author_then_title() {
    let site = sorted_site("chicago-notes");
    let entries = references(&site, "fleets/");
    // The bundled Chicago style repeats the name.
    assert!(
        entries[1].starts_with("Abe, Kenji. Naval Doctrine"),
        "{entries:?}"
    );
}

#[test]
fn apa_sorts_references_by_author_then_date() {
    let site = sorted_site("apa");
    let entries = references(&site, "fleets/");
    assert!(entries[0].starts_with("Abe, K. (2003)."), "{entries:?}");
    assert!(entries[1].starts_with("Abe, K. (2019)."), "{entries:?}");
}

#[test]
fn mla_sorts_references_and_dashes_a_repeated_author() {
    let site = sorted_site("mla");
    for page in [site.page("fleets/"), site.page("citations/")] {
        let entries = select_text(
            &page,
            ".brief-references li, section[aria-labelledby=\"sources-book\"] .source-ref",
        );
        assert_eq!(entries.len(), 4, "{entries:?}");
        assert!(
            entries[0].starts_with("Abe, Kenji. Coastal Defense"),
            "{entries:?}"
        );
        // The second work of the same author: the dash, not the name.
        assert!(entries[1].starts_with("———. Naval Doctrine"), "{entries:?}");
        assert!(entries[2].starts_with("Méndez, Rosa."), "{entries:?}");
        assert!(entries[3].starts_with("Zhou, Lan."), "{entries:?}");
    }
    // Each source's own page names the author: the dash belongs to lists only.
    let own = select_text(&site.page("citations/abe2019/"), ".source-title");
    assert!(own[0].starts_with("Abe, Kenji. Naval Doctrine"), "{own:?}");
}

#[test]
fn mla_dash_follows_the_order_of_each_brief() {
    // A brief citing only the later book: the first entry of its list names the author.
    let site = site("mla");
    site.write(
        "briefs/doctrine.md",
        "+++\ntitle = \"Doctrine\"\ndate = 2024-06-01\nauthors = [\"elena-marsh\"]\n+++\nSee [@abe2019].\n",
    );
    site.build_ok(&[]);
    let entries = references(&site, "doctrine/");
    assert!(
        entries[0].starts_with("Abe, Kenji. Naval Doctrine"),
        "{entries:?}"
    );
}

#[test]
fn ieee_keeps_the_order_of_first_citation() {
    let site = site("ieee");
    let (brief, _) = orders(&site);
    assert_eq!(
        brief,
        ids("ref-", &["zhou2015", "abe2019", "mendez2011", "abe2003"])
    );
    let body = select_text(&site.page("fleets/"), ".brief-body p");
    assert!(
        body[0].contains("[1]") && body[0].contains("[2, p. 12]"),
        "{body:?}"
    );
}

const FIELDS: &str = r#"
@phdthesis{park2019,
  author = {Park, Soyeon},
  title = {International {NGO}s and ``Fragile'' States},
  school = {Ewha Womans University}, year = {2019},
}
@article{han2020,
  author = {Han, Jiwoo}, title = {The `Maximum Alert' Years, 1994--2000},
  journaltitle = {Journal of Peninsula Studies}, shortjournal = {J. Penins. Stud.},
  volume = {7}, number = {3}, issue = {Spring}, date = {2020},
}
@incollection{moon2018,
  author = {Moon, Dae}, title = {Sanctions and Their Limits}, booktitle = {Pressure Points},
  editor = {Cho, Ara}, publisher = {Harbor Press}, chapter = {4}, date = {2018},
}
@software{rkit, author = {{Harbor Data Lab}}, title = {rkit}, version = {2.3.1}, date = {2024},
  url = {https://example.org/rkit}}
"#;

#[test]
fn bibtex_fields_are_read_and_printed() {
    let site = Site::new()
        .file("site.toml", &site_toml(None))
        .file("refs.bib", FIELDS)
        .brief(
            "fields.md",
            "+++\ntitle = \"Fields\"\ndate = 2024-05-02\nauthors = [\"elena-marsh\"]\n+++\n\
             One [@park2019]. Two [@han2020, 4]. Three [@moon2018]. Four [@rkit].\n",
        );
    site.build_ok(&[]);
    let page = site.page("fields/");
    let notes = select_text(&page, ".brief-notes li");
    // Braces keep "NGOs" through title case; the thesis type is printed in words; LaTeX
    // quotes are real quotes.
    assert!(notes[0].contains("International NGOs"), "{notes:?}");
    assert!(
        notes[0].contains("PhD thesis, Ewha Womans University, 2019"),
        "{notes:?}"
    );
    assert!(notes[0].contains("Fragile"), "{notes:?}");
    assert!(!notes.concat().contains('`'), "{notes:?}");
    assert!(notes[1].contains("1994–2000"), "{notes:?}");
    // `number` is the article's issue (not `issue`).
    assert!(notes[1].contains("7, no. 3"), "{notes:?}");
    assert!(notes[3].contains("2.3.1"), "{notes:?}");
    // The export carries the fields as CSL-JSON names them.
    let json: serde_json::Value =
        serde_json::from_str(&site.read("public/citations.json")).unwrap();
    let by_id = |id: &str| {
        json.as_array()
            .unwrap()
            .iter()
            .find(|s| s["id"] == id)
            .cloned()
            .unwrap()
    };
    assert_eq!(by_id("park2019")["genre"], "PhD thesis");
    assert_eq!(by_id("han2020")["issue"], "3");
    assert_eq!(
        by_id("han2020")["container-title-short"],
        "J. Penins. Stud."
    );
    assert_eq!(by_id("moon2018")["chapter-number"], "4");
    assert_eq!(by_id("rkit")["version"], "2.3.1");
}

#[test]
fn mla_sorts_an_authors_works_by_title_ignoring_quotation_marks() {
    // The article's title is quoted in the list, the book's italic: the quotation mark must not
    // put "“Tides…”" before "Coastal…"; the dash falls on the later title.
    let site = Site::new()
        .file("site.toml", &site_toml(Some("mla")))
        .file(
            "refs.bib",
            "@article{abe2021, author = {Abe, Kenji}, title = {Tides of Doctrine},\n\
               journal = {Naval Review}, volume = {4}, date = {2021}}\n\
             @book{abe2003, author = {Abe, Kenji}, title = {Coastal Defense in East Asia},\n\
               date = {2003}, publisher = {Meridian University Press}}\n",
        )
        .brief(
            "tides.md",
            "+++\ntitle = \"Tides\"\ndate = 2024-05-02\nauthors = [\"elena-marsh\"]\n+++\n\
             Doctrine [@abe2021]. Defense [@abe2003].\n",
        );
    site.build_ok(&[]);
    let entries = references(&site, "tides/");
    assert!(
        entries[0].starts_with("Abe, Kenji. Coastal Defense"),
        "{entries:?}"
    );
    assert!(
        entries[1].starts_with("———. “Tides of Doctrine"),
        "{entries:?}"
    );
}

#[test]
fn sources_a_style_leaves_out_of_its_bibliography_are_not_listed() {
    // Chicago's notes style prints no bibliography entry for an unpublished paper with no
    // publisher, container, number, DOI or URL (CMOS cites it in notes only).
    let site = Site::new()
        .file("site.toml", &site_toml(None))
        .file(
            "refs.bib",
            "@unpublished{draft2022, author = {Ito, Mai}, title = {Port Security Drafts},\n\
               note = {Working paper}, year = {2022}}\n\
             @book{abe2003, author = {Abe, Kenji}, title = {Coastal Defense in East Asia},\n\
               date = {2003}, publisher = {Meridian University Press}}\n",
        )
        .brief(
            "drafts.md",
            "+++\ntitle = \"Drafts\"\ndate = 2024-05-02\nauthors = [\"elena-marsh\"]\n+++\n\
             A draft [@draft2022]. A book [@abe2003].\n",
        );
    site.build_ok(&[]);
    let page = site.page("drafts/");
    let notes = select_text(&page, ".brief-notes li");
    assert!(
        notes[0].contains("Mai Ito, “Port Security Drafts,”"),
        "{notes:?}"
    );
    assert_eq!(
        select_attr(&page, ".brief-references li", "id"),
        ["ref-abe2003"]
    );
    // Its own page still shows it, by its full note.
    let own = select_text(&site.page("citations/draft2022/"), ".source-title");
    assert!(own[0].contains("Port Security Drafts"), "{own:?}");
}

#[test]
fn one_work_under_two_ids_takes_year_suffixes_in_the_order_first_cited() {
    // A merged bibliography holds the same report twice; the older brief cites `zz-copy` first,
    // so it is "2021a" everywhere, and a newer brief citing the other first changes nothing.
    let report = |id: &str| {
        format!(
            "@techreport{{{id}, author = {{Okafor, Mira}}, title = {{Fishing Subsidies}},\n  \
             institution = {{Harbor Institute}}, date = {{2021}}}}\n"
        )
    };
    let brief = |title: &str, date: &str, body: &str| {
        format!(
            "+++\ntitle = \"{title}\"\ndate = {date}\nauthor = \"elena-marsh\"\n+++\n\n{body}\n"
        )
    };
    let site = Site::new()
        .file("site.toml", &site_toml(Some("apa")))
        .file(
            "refs.bib",
            &format!("{}{}", report("aa-copy"), report("zz-copy")),
        )
        .brief(
            "old.md",
            &brief("Old", "2022-01-10", "First [@zz-copy]. Then [@aa-copy]."),
        )
        .brief(
            "new.md",
            &brief("New", "2023-05-02", "First [@aa-copy]. Then [@zz-copy]."),
        );
    site.build_ok(&[]);
    for page in ["old/", "new/"] {
        let text = select_text(&site.page(page), ".brief-body p").join(" ");
        assert!(
            text.contains("(Okafor, 2021a)") && text.contains("(Okafor, 2021b)"),
            "{text}"
        );
        let refs = select_attr(&site.page(page), ".brief-references li", "id");
        assert_eq!(refs, ["ref-zz-copy", "ref-aa-copy"], "{page}");
    }
    let old = select_text(&site.page("old/"), ".brief-body p").join(" ");
    assert!(
        old.contains("First (Okafor, 2021a). Then (Okafor, 2021b)."),
        "{old}"
    );
}
