use super::super::source::plain_text;
use super::*;

const ZOTERO: &str = r#"
@report{sto2023,
  title = {Chip Outlook 2023: {Korea} after the Downturn},
  author = {Kim, Hana and {Seoul Trade Observatory}},
  institution = {Seoul Trade Observatory},
  number = {STO-7},
  date = {2023-03},
  url = {https://example.com/chips},
  urldate = {2024-01-05},
}
@article{lee2022,
  title = {Burden Sharing Revisited},
  author = {Lee, Min-jun and van der Berg, Anna},
  journaltitle = {Journal of East Asian Political Economy},
  volume = {14}, number = {2}, pages = {101--127},
  date = {2022},
  doi = {10.1234/jeape.2022.14},
}
@article{ledger2024,
  entrysubtype = {newspaper},
  title = {Hackers Drain Wallets},
  author = {Castellanos, Mira},
  journaltitle = {Pacific Ledger},
  date = {2024-01-18},
}
"#;

#[test]
fn reads_zotero_biblatex() {
    let sources = parse(ZOTERO).unwrap();
    let report = &sources[0];
    assert_eq!(report.kind, "report");
    assert_eq!(report.publisher.as_deref(), Some("Seoul Trade Observatory"));
    assert_eq!(report.issued.as_ref().unwrap().parts, vec![2023, 3]);
    assert_eq!(
        report.author[1].literal.as_deref(),
        Some("Seoul Trade Observatory")
    );
    assert_eq!(
        report.title.as_deref(),
        Some("Chip Outlook 2023: <span class=\"nocase\">Korea</span> after the Downturn")
    );
    let article = &sources[1];
    assert_eq!(article.kind, "article-journal");
    assert_eq!(
        article.author[1].non_dropping_particle.as_deref(),
        Some("van der")
    );
    assert_eq!(article.doi.as_deref(), Some("10.1234/jeape.2022.14"));
    assert_eq!(sources[2].kind, "article-newspaper");
}

#[test]
fn written_entries_parse_back() {
    let sources = parse(ZOTERO).unwrap();
    let written: String = sources.iter().map(write).collect::<Vec<_>>().join("\n");
    let again = parse(&written).unwrap();
    assert_eq!(again.len(), 3);
    for (a, b) in sources.iter().zip(&again) {
        assert_eq!(a.kind, b.kind);
        assert_eq!(
            a.title.as_deref().map(plain_text),
            b.title.as_deref().map(plain_text)
        );
        assert_eq!(a.author, b.author);
        assert_eq!(a.issued, b.issued);
    }
}

#[test]
fn carets_and_tildes_read_back() {
    let mut source = Source::untitled("k");
    source.title = Some("x^2 ~ y^\\".to_owned());
    source.publisher = Some("a~}b".to_owned());
    source.url = Some("https://example.org/~a^b".to_owned());
    let written = write(&source);
    let again = &parse(&written).unwrap()[0];
    assert_eq!(again.title, source.title, "{written}");
    assert_eq!(again.publisher, source.publisher, "{written}");
    assert_eq!(again.url, source.url, "{written}");
}

const FIELDS: &str = r#"
@phdthesis{park2019,
  author = {Park, Soyeon},
  title = {Aid, {NGO}s and the State: {PanDem} Reporting in ``Fragile'' Settings},
  school = {Ewha Womans University},
  year = {2019},
}
@thesis{ortiz2021, author = {Ortiz, Luis}, title = {Ports}, type = {mathesis},
  institution = {Univ.}, date = {2021}}
@article{han2020,
  author = {Han, Jiwoo}, title = {The `Maximum Alert' Years, 1994--2000},
  journaltitle = {Journal of Peninsula Studies}, shortjournal = {J. Penins. Stud.},
  volume = {7}, number = {3}, issue = {Spring}, date = {2020},
}
@incollection{moon2018,
  author = {Moon, Dae}, title = {Sanctions}, booktitle = {Pressure Points},
  chapter = {4}, series = {Policy Studies}, number = {12}, date = {2018},
}
@software{rkit, author = {{Harbor Data Lab}}, title = {rkit}, version = {2.3.1}, date = {2024}}
@inproceedings{lee2021, author = {Lee, Mina}, title = {Ports}, booktitle = {Forum on Trade},
  volume = {21}, number = {4}, pages = {545--560}, year = {2021}}
"#;

#[test]
fn reads_the_fields_zotero_and_citation_js_read() {
    let sources = parse(FIELDS).unwrap();
    let thesis = &sources[0];
    assert_eq!(thesis.kind, "thesis");
    assert_eq!(thesis.genre.as_deref(), Some("PhD thesis"));
    assert_eq!(thesis.publisher.as_deref(), Some("Ewha Womans University"));
    assert_eq!(
        thesis.title.as_deref(),
        Some(
            "Aid, <span class=\"nocase\">NGO</span>s and the State: <span class=\"nocase\">PanDem</span> Reporting in \u{201C}Fragile\u{201D} Settings"
        )
    );
    assert_eq!(sources[1].genre.as_deref(), Some("Master’s thesis"));
    let article = &sources[2];
    assert_eq!(
        article.title.as_deref(),
        Some("The \u{2018}Maximum Alert' Years, 1994\u{2013}2000")
    );
    assert_eq!(
        article.issue.as_deref(),
        Some("3"),
        "number wins over issue"
    );
    assert_eq!(article.number, None);
    assert_eq!(article.other["container-title-short"], "J. Penins. Stud.");
    let chapter = &sources[3];
    assert_eq!(chapter.other["chapter-number"], "4");
    assert_eq!(chapter.other["collection-title"], "Policy Studies");
    assert_eq!(chapter.other["collection-number"], "12");
    assert_eq!(chapter.number, None);
    assert_eq!(sources[4].other["version"], "2.3.1");
    let paper = &sources[5];
    assert_eq!(paper.kind, "paper-conference");
    assert_eq!(
        paper.issue.as_deref(),
        Some("4"),
        "a proceedings number is its issue"
    );
    assert_eq!(paper.number, None);
    // Written back, they read the same.
    let written: String = sources.iter().map(write).collect::<Vec<_>>().join("\n");
    let again = parse(&written).unwrap();
    assert_eq!(again[2].issue, article.issue);
    assert_eq!(again[3].other, chapter.other);
    assert_eq!(again[4].other["version"], "2.3.1");
    assert_eq!(again[5].issue.as_deref(), Some("4"));
    assert!(written.contains("{Aid, NGOs and the State"), "{written}");
}

#[test]
fn keys_lose_characters_bibtex_cannot_hold() {
    assert_eq!(bibtex_key("S/RES/2397 (2017)"), "S/RES/2397__2017_");
}
