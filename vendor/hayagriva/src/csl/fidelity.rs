//! Tests of the fixes dossier carries (PATCHES.md): CSL-JSON items through bundled styles,
//! compared with what citeproc-js (the processor in Zotero and Mendeley) prints.

use citationberg::json::Item;
use citationberg::{IndependentStyle, Locale, Style};

use super::archive::{self, ArchivedStyle};
use super::{
    BibliographyDriver, BibliographyRequest, BibliographySorter, BufWriteFormat,
    CitationItem, CitationRequest,
};

pub(super) fn style(name: &str) -> IndependentStyle {
    match ArchivedStyle::by_name(name).unwrap().get() {
        Style::Independent(style) => style,
        Style::Dependent(_) => panic!("{name} is a dependent style"),
    }
}

pub(super) fn locales() -> Vec<Locale> {
    archive::locales()
}

pub(super) fn items(json: serde_json::Value) -> Vec<Item> {
    serde_json::from_value(json).unwrap()
}

/// Each item cited once in its own note, then the bibliography, as plain text.
pub(super) fn render(style: &str, items: &[Item]) -> (Vec<String>, Vec<String>) {
    let style = self::style(style);
    let locales = locales();
    let mut driver = BibliographyDriver::new();
    for (i, item) in items.iter().enumerate() {
        driver.citation(CitationRequest::from_items(
            vec![CitationItem::with_entry(item)],
            &style,
            &locales,
        ));
        let _ = i;
    }
    let rendered = driver.finish(BibliographyRequest::new(&style, None, &locales));
    let plain = |c: &super::ElemChildren| {
        let mut s = String::new();
        for child in &c.0 {
            child.write_buf(&mut s, BufWriteFormat::Plain).unwrap();
        }
        s
    };
    let citations = rendered.citations.iter().map(|c| plain(&c.citation)).collect();
    let bibliography = rendered
        .bibliography
        .map(|b| b.items.iter().map(|i| plain(&i.content)).collect())
        .unwrap_or_default();
    (citations, bibliography)
}

/// The first bibliography entry of one item.
pub(super) fn reference(style: &str, item: serde_json::Value) -> String {
    let items = items(serde_json::json!([item]));
    render(style, &items).1.remove(0)
}

/// The first citation of one item.
pub(super) fn citation(style: &str, item: serde_json::Value) -> String {
    let items = items(serde_json::json!([item]));
    render(style, &items).0.remove(0)
}

#[test]
fn sort_keys_order_entries_as_the_bibliography_does() {
    let items = items(serde_json::json!([
        {"id": "c", "type": "book", "title": "Zebra", "author": [{"family": "Young", "given": "Ann"}], "issued": {"date-parts": [[2001]]}},
        {"id": "a", "type": "book", "title": "Apple", "author": [{"family": "Ábel", "given": "Bo"}], "issued": {"date-parts": [[1999]]}},
        {"id": "b", "type": "book", "title": "Mango", "author": [{"family": "Young", "given": "Ann"}], "issued": {"date-parts": [[1990]]}},
        {"id": "d", "type": "book", "title": "Kiwi", "issued": {"date-parts": [[2005]]}}
    ]));
    for name in ["apa", "chicago-notes", "modern-language-association"] {
        let style = style(name);
        let locales = locales();
        let request = BibliographyRequest::new(&style, None, &locales);
        let sorter = BibliographySorter::new(&request);
        let mut by_key: Vec<&Item> = items.iter().collect();
        by_key.sort_by_cached_key(|item| sorter.key(*item, 0).unwrap());
        let by_key: Vec<String> = by_key.iter().map(|i| i.id().unwrap().into()).collect();

        let mut driver = BibliographyDriver::new();
        for item in &items {
            driver.citation(CitationRequest::from_items(
                vec![CitationItem::with_entry(item)],
                &style,
                &locales,
            ));
        }
        let rendered = driver.finish(BibliographyRequest::new(&style, None, &locales));
        let by_driver: Vec<String> =
            rendered.bibliography.unwrap().items.into_iter().map(|i| i.key).collect();
        assert_eq!(by_key, by_driver, "{name}");
        // Authors by family name (the accent does not put Ábel after Young), then same-author
        // works by their next key; the title-only entry sorts by its title.
        assert_eq!(by_key[0], "a", "{name}: {by_key:?}");
    }
}

#[test]
fn sort_keys_put_empty_values_last_and_compare_like_csl_cmp() {
    use crate::types::{Date, Person};
    let people = [
        Person::from_strings(vec!["von Römer", "Johannes"]).unwrap(),
        Person::from_strings(vec!["Römer", "Anna"]).unwrap(),
        Person::from_strings(vec!["Roemer", "Anna"]).unwrap(),
        Person::from_strings(vec!["毛", "泽东"]).unwrap(),
        Person::from_strings(vec!["Smith", "John", "Jr."]).unwrap(),
        Person::from_strings(vec!["Smith"]).unwrap(),
    ];
    for demote in [false, true] {
        for a in &people {
            for b in &people {
                assert_eq!(
                    super::sort::person_key(a, demote).cmp(&super::sort::person_key(b, demote)),
                    a.csl_cmp(b, citationberg::LongShortForm::Long, demote),
                    "{a:?} {b:?}"
                );
            }
        }
    }
    let dates: Vec<Date> = ["2001", "2001-03", "2001-03-04", "~2001", "-0044", "1999-12"]
        .iter()
        .map(|d| d.parse().unwrap())
        .collect();
    for a in &dates {
        for b in &dates {
            assert_eq!(
                super::sort::date_key(a).cmp(&super::sort::date_key(b)),
                a.csl_cmp(b),
                "{a:?} {b:?}"
            );
        }
    }
}

#[test]
fn a_family_only_name_is_printed_whole() {
    let oas = serde_json::json!({
        "id": "oas", "type": "report", "title": "American Convention on Human Rights",
        "author": [{"family": "Organization of American States"}],
        "issued": {"date-parts": [[1969, 11, 22]]}
    });
    assert_eq!(citation("apa", oas.clone()), "(Organization of American States, 1969)");
    assert!(
        reference("chicago-notes", oas).starts_with("Organization of American States."),
    );
}

#[test]
fn a_lowercase_word_starting_a_family_name_is_a_non_dropping_particle() {
    let item = serde_json::json!({
        "id": "r", "type": "book", "title": "Measurement",
        "author": [{"family": "von Römer", "given": "Johannes"}],
        "issued": {"date-parts": [[2022]]}
    });
    // APA sets demote-non-dropping-particle="never".
    let apa = reference("apa", item.clone());
    assert!(apa.starts_with("von Römer, J. (2022)."), "{apa}");
    assert_eq!(citation("apa", item), "(von Römer, 2022)");
}

#[test]
fn straight_quotes_become_typographic_and_nested_quotes_flip() {
    let treaty = serde_json::json!({
        "id": "t", "type": "manuscript", "title": "American Convention on Human Rights, \"Pact of San Jose\" (B-32)",
        "author": [{"literal": "Organization of American States"}],
        "issued": {"date-parts": [[1969]]}
    });
    // Chicago quotes the title: the quotation inside takes single marks.
    assert!(
        citation("chicago-notes", treaty.clone())
            .contains("“American Convention on Human Rights, ‘Pact of San Jose’ (B-32),”"),
        "{}",
        citation("chicago-notes", treaty.clone())
    );
    // APA does not: it keeps double ones.
    assert!(reference("apa", treaty).contains("Human Rights, “Pact of San Jose” (B-32)"));
    let op_ed = serde_json::json!({
        "id": "o", "type": "article-newspaper", "title": "Islamophobia taints India's response",
        "author": [{"family": "Ayyub", "given": "Rana"}], "container-title": "The Washington Post",
        "issued": {"date-parts": [[2020, 4, 6]]}
    });
    assert!(citation("chicago-notes", op_ed).contains("“Islamophobia Taints India’s Response,”"));
}

#[test]
fn punctuation_that_meets_punctuation_is_merged() {
    let book = serde_json::json!({
        "id": "b", "type": "book", "title": "The Closing Space Challenge: How Are Funders Responding?",
        "author": [{"family": "Carothers", "given": "Thomas"}],
        "publisher": "Carnegie Endowment for International Peace", "issued": {"date-parts": [[2015]]}
    });
    let chicago = reference("chicago-notes", book.clone());
    assert!(chicago.contains("Responding? Carnegie"), "{chicago}");
    assert!(reference("apa", book).contains("Responding? Carnegie"));
    let article = serde_json::json!({
        "id": "a", "type": "article-journal", "title": "Still too close for comfort?",
        "author": [{"family": "Banks", "given": "Nicola"}], "container-title": "World Development",
        "volume": "66", "page": "707-718", "issued": {"date-parts": [[2015, 2]]}
    });
    let chicago = reference("chicago-notes", article.clone());
    assert!(chicago.contains("“Still Too Close for Comfort?” World"), "{chicago}");
    let manual = serde_json::json!({
        "id": "m", "type": "software", "title": "democracyData: measures of democracy.",
        "author": [{"family": "Márquez", "given": "Xavier"}], "issued": {"date-parts": [[2020]]}
    });
    let chicago = citation("chicago-notes", manual);
    assert!(!chicago.contains(".,”") && !chicago.contains("..”"), "{chicago}");
}

#[test]
fn no_delimiter_before_a_date_part_that_prints_nothing() {
    let data = serde_json::json!({
        "id": "d", "type": "document", "title": "Cross-National Indicators of Liberal Democracy",
        "author": [{"family": "Bollen", "given": "Kenneth A."}], "issued": {"date-parts": [[2001]]}
    });
    // APA's date group adds ", month day" for documents; with a year only, nothing follows.
    let apa = reference("apa", data.clone());
    assert!(apa.starts_with("Bollen, K. A. (2001). Cross"), "{apa}");
    assert_eq!(citation("apa", data), "(Bollen, 2001)");
}

#[test]
fn a_substituted_author_list_loses_its_delimiters_but_keeps_its_label() {
    let items = items(serde_json::json!([
        {"id": "a", "type": "book", "title": "Alpha", "author": [{"family": "Chaudhry", "given": "Suparna"}, {"family": "Heiss", "given": "Andrew"}], "issued": {"date-parts": [[2018]]}},
        {"id": "b", "type": "book", "title": "Beta", "author": [{"family": "Chaudhry", "given": "Suparna"}, {"family": "Heiss", "given": "Andrew"}], "issued": {"date-parts": [[2021]]}},
        {"id": "c", "type": "book", "title": "Gamma", "editor": [{"family": "Pallas", "given": "Christopher"}], "issued": {"date-parts": [[2019]]}},
        {"id": "d", "type": "book", "title": "Delta", "editor": [{"family": "Pallas", "given": "Christopher"}], "issued": {"date-parts": [[2020]]}}
    ]));
    let (_, bibliography) = render("modern-language-association", &items);
    assert!(bibliography[1].starts_with("———. Beta."), "{bibliography:?}");
    assert!(bibliography[3].starts_with("———, editor. Gamma."), "{bibliography:?}");
}

#[test]
fn apa_adds_initials_to_a_first_author_other_authors_share_a_family_name_with() {
    let items = items(serde_json::json!([
        {"id": "a", "type": "article-journal", "title": "Hands off my regime", "author": [{"family": "Dupuy", "given": "Kendra"}, {"family": "Ron", "given": "James"}, {"family": "Prakash", "given": "Aseem"}], "issued": {"date-parts": [[2016]]}},
        {"id": "b", "type": "article-journal", "title": "Who survived", "author": [{"family": "Dupuy", "given": "Kendra E."}, {"family": "Ron", "given": "James"}, {"family": "Prakash", "given": "Aseem"}], "issued": {"date-parts": [[2015]]}},
        {"id": "c", "type": "article-journal", "title": "Foreign aid", "author": [{"family": "Dupuy", "given": "Kendra"}, {"family": "Prakash", "given": "Aseem"}], "issued": {"date-parts": [[2018]]}},
        {"id": "d", "type": "book", "title": "Other", "author": [{"family": "Ron", "given": "James"}], "issued": {"date-parts": [[2010]]}}
    ]));
    let (citations, _) = render("apa", &items);
    assert_eq!(
        citations,
        [
            "(K. Dupuy et al., 2016)",
            "(K. E. Dupuy et al., 2015)",
            "(K. Dupuy & Prakash, 2018)",
            "(Ron, 2010)"
        ]
    );
}

#[test]
fn single_straight_quotes_are_quotations_too_and_take_the_punctuation_after_them() {
    let news = serde_json::json!({
        "id": "p", "type": "article-newspaper", "title": "Abortion Funds Feel Gratitude at 'Rage Giving'",
        "author": [{"literal": "PBS News"}], "container-title": "PBS News",
        "issued": {"date-parts": [[2022, 6, 10]]}
    });
    let apa = reference("apa", news.clone());
    assert!(apa.contains("Gratitude at “Rage Giving.” PBS News"), "{apa}");
    let chicago = citation("chicago-notes", news);
    assert!(chicago.contains("at ‘Rage Giving,’” PBS News"), "{chicago}");
    // An apostrophe that opens nothing stays one.
    let item = serde_json::json!({
        "id": "n", "type": "book", "title": "Music of the '90s", "issued": {"date-parts": [[2001]]},
        "editor": [{"family": "O'Donnell", "given": "Guillermo"}]
    });
    let chicago = reference("chicago-notes", item);
    assert!(chicago.contains("O’Donnell") && chicago.contains("of the ’90s"), "{chicago}");
}

#[test]
fn ieee_uses_the_short_container_title_and_prints_page_ranges_as_written() {
    let article = serde_json::json!({
        "id": "a", "type": "article-journal", "title": "Eliciting Donor Preferences",
        "author": [{"family": "Bachke", "given": "Maren Elise"}],
        "container-title": "VOLUNTAS: International Journal of Voluntary and Nonprofit Organizations",
        "container-title-short": "Voluntas", "volume": "25", "issue": "2", "page": "465-86",
        "issued": {"date-parts": [[2014, 4]]}
    });
    let ieee = reference("ieee", article);
    assert!(ieee.contains("“Eliciting Donor Preferences,” Voluntas, vol. 25, no. 2, pp. 465–86"), "{ieee}");
}

#[test]
fn mla_adds_names_then_given_names_before_titles() {
    let items = items(serde_json::json!([
        {"id": "a", "type": "article-journal", "title": "Hands off my regime", "author": [{"family": "Dupuy", "given": "Kendra"}, {"family": "Ron", "given": "James"}, {"family": "Prakash", "given": "Aseem"}], "issued": {"date-parts": [[2016]]}},
        {"id": "b", "type": "article-journal", "title": "Who survived", "author": [{"family": "Dupuy", "given": "Kendra E."}, {"family": "Ron", "given": "James"}, {"family": "Prakash", "given": "Aseem"}], "issued": {"date-parts": [[2015]]}},
        {"id": "c", "type": "article-journal", "title": "Replication data", "author": [{"family": "Pemstein", "given": "Daniel"}, {"family": "Meserve", "given": "Stephen"}, {"family": "Melton", "given": "James"}], "issued": {"date-parts": [[2013]]}},
        {"id": "d", "type": "report", "title": "Measurement model", "author": [{"family": "Pemstein", "given": "Daniel"}, {"family": "Marquardt", "given": "Kyle L."}, {"family": "Tzelgov", "given": "Eitan"}], "issued": {"date-parts": [[2022]]}}
    ]));
    let expected = [
        "(K. Dupuy et al.)",
        "(K. E. Dupuy et al.)",
        "(Pemstein, Meserve, et al.)",
        "(Pemstein, Marquardt, et al.)",
    ];
    let (citations, _) = render("modern-language-association", &items);
    assert_eq!(citations, expected);
    // Also when each work is cited twice: its own cites are no ambiguity.
    let twice: Vec<Item> = items.iter().chain(&items).cloned().collect();
    let (citations, _) = render("modern-language-association", &twice);
    assert_eq!(citations[..4], expected);
    assert_eq!(citations[4..], expected);
}

#[test]
fn a_hyphen_before_a_lowercase_letter_joins_a_given_name() {
    let item = |given: &str| {
        serde_json::json!({
            "id": "w", "type": "book", "title": "Measurement",
            "author": [{"family": "Wang", "given": given}], "issued": {"date-parts": [[2022]]}
        })
    };
    assert!(reference("apa", item("Yi-ting")).starts_with("Wang, Y. (2022)."));
    assert!(reference("apa", item("Yi-Ting")).starts_with("Wang, Y.-T. (2022)."));
    assert!(reference("apa", item("Klaus-Peter")).starts_with("Wang, K.-P. (2022)."));
}

#[test]
fn mla_titles_tell_apart_all_works_of_an_author_and_bibliographies_keep_full_names() {
    let items = items(serde_json::json!([
        {"id": "g", "type": "manuscript", "title": "Guatemala", "author": [{"family": "The Global State of Democracy Indices"}], "issued": {"date-parts": [[2021]]}},
        {"id": "e", "type": "manuscript", "title": "Egypt", "author": [{"family": "The Global State of Democracy Indices"}], "issued": {"date-parts": [[2021]]}},
        {"id": "c", "type": "article-journal", "title": "Replication data", "author": [{"family": "Pemstein", "given": "Daniel"}, {"family": "Meserve", "given": "Stephen"}, {"family": "Melton", "given": "James"}], "issued": {"date-parts": [[2013]]}},
        {"id": "d", "type": "report", "title": "Measurement model", "author": [{"family": "Pemstein", "given": "Daniel"}, {"family": "Marquardt", "given": "Kyle L."}, {"family": "Tzelgov", "given": "Eitan"}], "issued": {"date-parts": [[2022]]}}
    ]));
    let (citations, bibliography) = render("modern-language-association", &items);
    assert_eq!(citations[0], "(The Global State of Democracy Indices, “Guatemala”)");
    assert_eq!(citations[1], "(The Global State of Democracy Indices, “Egypt”)");
    assert!(
        bibliography.iter().any(|b| b.starts_with("Pemstein, Daniel, Stephen Meserve, et al.")),
        "{bibliography:?}"
    );
}

#[test]
fn sorting_ignores_punctuation_and_case_and_reads_numbers_by_value() {
    // MLA sorts an author's works by the title macro, which quotes article titles: the quote
    // mark must not put "“Who Survived?”" before "Stop Meddling".
    let items = items(serde_json::json!([
        {"id": "article", "type": "article-journal", "title": "Who Survived?", "container-title": "Review", "author": [{"family": "Dupuy", "given": "Kendra"}], "issued": {"date-parts": [[2015]]}},
        {"id": "report", "type": "report", "title": "Stop Meddling", "author": [{"family": "Dupuy", "given": "Kendra"}], "issued": {"date-parts": [[2014]]}},
        {"id": "ten", "type": "book", "title": "Volume 10", "author": [{"family": "Zhou", "given": "Li"}], "issued": {"date-parts": [[2014]]}},
        {"id": "nine", "type": "book", "title": "volume 9", "author": [{"family": "Zhou", "given": "Li"}], "issued": {"date-parts": [[2014]]}}
    ]));
    let style = style("modern-language-association");
    let locales = locales();
    let request = BibliographyRequest::new(&style, None, &locales);
    let sorter = BibliographySorter::new(&request);
    let mut by_key: Vec<&Item> = items.iter().collect();
    by_key.sort_by_cached_key(|item| sorter.key(*item, 0).unwrap());
    let by_key: Vec<String> = by_key.iter().map(|i| i.id().unwrap().into()).collect();
    assert_eq!(by_key, ["report", "article", "nine", "ten"]);
}

#[test]
fn apostrophes_in_case_protected_text_are_typographic() {
    let note = citation(
        "chicago-notes",
        serde_json::json!({"id": "p", "type": "article-journal",
            "title": "Bowling Alone: <span class=\"nocase\">America's</span> Declining Social Capital",
            "container-title": "Journal of Democracy", "author": [{"family": "Putnam", "given": "Robert D."}],
            "issued": {"date-parts": [[1995]]}}),
    );
    assert!(note.contains("“Bowling Alone: America’s Declining Social Capital,”"), "{note}");
    let quoted = citation(
        "chicago-notes",
        serde_json::json!({"id": "q", "type": "book",
            "title": "<span class=\"nocase\">'rstan' and 'brms'</span>",
            "author": [{"family": "Team"}], "issued": {"date-parts": [[2018]]}}),
    );
    assert!(quoted.contains("'rstan' and 'brms'"), "{quoted}");
}

#[test]
fn editors_substituted_inside_a_choose_keep_the_name_form_and_label() {
    // CMOS 18's Chicago puts `<names variable="editor"/>` in a `cs:choose` within the author's
    // `cs:substitute`; it inherits the author's `cs:name` and `cs:label` like a direct child.
    let one = serde_json::json!({
        "id": "e", "type": "book", "title": "Sanctions and Their Limits",
        "editor": [{"family": "Okafor", "given": "Mira"}],
        "publisher": "Harbor Press", "issued": {"date-parts": [[2019]]}
    });
    let note = citation("chicago-notes", one.clone());
    assert!(note.starts_with("Mira Okafor, ed., Sanctions and Their Limits (Harbor Press, 2019)"), "{note}");
    let entry = reference("chicago-notes", one);
    assert!(entry.starts_with("Okafor, Mira, ed. Sanctions and Their Limits. Harbor Press, 2019."), "{entry}");
    let two = serde_json::json!({
        "id": "f", "type": "book", "title": "Ports in Transition",
        "editor": [{"family": "Okafor", "given": "Mira"}, {"family": "Park", "given": "Jun"}],
        "publisher": "Harbor Press", "issued": {"date-parts": [[2021]]}
    });
    let entry = reference("chicago-notes", two);
    assert!(entry.starts_with("Okafor, Mira, and Jun Park, eds. Ports in Transition."), "{entry}");
}

#[test]
fn typographic_quotes_typed_in_a_title_nest_like_straight_ones() {
    let article = serde_json::json!({
        "id": "q", "type": "article-journal",
        "title": "Why “Buy Local” Rules Travel: Procurement Clauses and the ‘Fair Share’ Debate",
        "author": [{"family": "Lindqvist", "given": "Sara"}], "container-title": "Trade Policy Review",
        "volume": "7", "issue": "2", "page": "15-40", "issued": {"date-parts": [[2022, 5]]}
    });
    let note = citation("chicago-notes", article.clone());
    assert!(note.contains("“Why ‘Buy Local’ Rules Travel: Procurement Clauses and the ‘Fair Share’ Debate,”"), "{note}");
    // APA does not quote article titles (nor change their case): the marks stay as typed.
    let entry = reference("apa", article);
    assert!(entry.contains("Why “Buy Local” Rules Travel: Procurement Clauses and the ‘Fair Share’ Debate."), "{entry}");
}

#[test]
fn a_name_ending_in_a_parenthesis_keeps_the_citation_s_closing_one() {
    let report = serde_json::json!({
        "id": "o", "type": "report", "title": "Fishing Subsidies Outlook",
        "author": [{"literal": "Organisation for Economic Co-operation and Development (OECD)"}],
        "issued": {"date-parts": [[2023]]}
    });
    assert_eq!(
        citation("modern-language-association", report),
        "(Organisation for Economic Co-operation and Development (OECD))"
    );
}

#[test]
fn a_variable_substituted_for_the_author_still_counts_in_conditions() {
    // Chicago lists an unsigned magazine article under the magazine and quotes its title because
    // it has a `container-title`, even though that was printed in the author's place.
    let unsigned = serde_json::json!({
        "id": "m", "type": "article-magazine", "title": "Ports: Open for Now",
        "container-title": "The Harbor Review", "issued": {"date-parts": [[2019, 3, 2]]}
    });
    let entry = reference("chicago-notes", unsigned);
    assert!(entry.starts_with("The Harbor Review. “Ports: Open for Now.” March 2, 2019."), "{entry}");
}
