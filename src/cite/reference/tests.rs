//! A filled-in entry must be the entry hayagriva formats for the brief on its own, in every
//! style, locale and kind of brief; and briefs of one shape must share a template.

use std::path::Path;

use super::*;

const STYLES: [&str; 7] = [
    "chicago-notes",
    "chicago-shortened-notes",
    "chicago-author-date",
    "apa",
    "ieee",
    "mla",
    "harvard",
];

const TITLES: [&str; 16] = [
    "Sanctions and the North Korean Economy",
    "the case for a regional trade pact",
    "Why the U.S. Alliance Matters: Lessons from 2023",
    "Seoul, Tokyo, and the Chip War",
    "What Comes After the Armistice Is Signed Of",
    "APEC 2025 and the Gyeongju Agenda",
    "Semiconductors—Supply Chains in Flux (Part 2)",
    "Korea’s Demographic Cliff",
    "An iPhone-Era Industrial Policy? Not Quite",
    "Über die Zukunft der Allianz",
    "A \"Grand Bargain\" Revisited",
    "From Pyongyang to Vladivostok/Rason: Rail Links",
    "UN Security Council Resolution 2397 and its limits",
    "on the ROK–Japan thaw: a second look",
    "Is the Peninsula Ready for the Next Crisis?",
    "Energy & Security in East Asia",
];

/// "Given Family" as `brief_source` splits names; the last word is the family name.
const AUTHORS: [&[&str]; 8] = [
    &["Elena Marsh"],
    &["Sun-hee Costa", "Chen Li"],
    &["Mary Ann Park", "Jae-Won Kim", "Leila Novak"],
    &[
        "Clara Ito",
        "J. Silva",
        "Tomás Álvarez",
        "Min-ji Han",
        "Arun Rao",
    ],
    &["Plato"],
    &["Ann O'Neil"],
    &["김 민준"],
    &["Daniel McDonald", "Yi-ting Huang"],
];

fn person(name: &str) -> serde_json::Value {
    match name.rsplit_once(' ') {
        Some((given, family)) => serde_json::json!({ "family": family, "given": given }),
        None => serde_json::json!({ "literal": name }),
    }
}

/// Briefs as `render::brief::brief_source` describes them, varied in every value a shape
/// leaves out and in the ones it keeps.
fn briefs(kind: &str) -> Vec<Source> {
    let mut briefs = Vec::new();
    for (i, title) in TITLES.iter().enumerate() {
        let authors = AUTHORS[i % AUTHORS.len()];
        let date = match i % 4 {
            0 => serde_json::json!([[2016, 2, 29]]),
            1 => serde_json::json!([[2023, 11, 3]]),
            2 => serde_json::json!([[2024, 7]]),
            _ => serde_json::json!([[2025, 1, 21]]),
        };
        let url = if i % 5 == 4 {
            format!("https://example.org/briefs/{i}")
        } else {
            format!("https://example.org/briefs/brief-{i}/")
        };
        let value = serde_json::json!({
            "id": format!("briefs/brief-{i}"),
            "type": kind,
            "title": title,
            "author": authors.iter().map(|a| person(a)).collect::<Vec<_>>(),
            "issued": { "date-parts": date },
            "URL": url,
            "publisher": "Korea Economic Institute of America",
            "container-title": (kind == "post-weblog").then_some("The Peninsula"),
            "abstract": format!("What brief {i} argues, in a sentence."),
            "language": "en",
        });
        briefs.push(serde_json::from_value(value).unwrap());
    }
    briefs
}

fn load(name: &str, language: &str) -> (CitationStyle, tempfile::TempDir) {
    let root = tempfile::tempdir().unwrap();
    let style = CitationStyle::load(name, root.path(), language).unwrap();
    (style, root)
}

fn counts(style: &CitationStyle) -> (usize, usize, usize) {
    let counts = style.reference_counts();
    (counts.filled, counts.templates, counts.alone)
}

#[test]
fn filled_entries_are_the_entries_formatted_alone() {
    for name in STYLES {
        for language in ["en", "en-GB"] {
            for kind in ["report", "post-weblog"] {
                let (style, _root) = load(name, language);
                let briefs = briefs(kind);
                for brief in &briefs {
                    assert_eq!(
                        style.reference(brief),
                        style.reference_now(&brief.csl_item()),
                        "{name}, {language}, {kind}: {:?}",
                        brief.title
                    );
                }
                // The briefs whose values all have stand-ins are filled in, not formatted alone.
                let plain = briefs.iter().filter(|b| Values::of(b).is_some()).count();
                let (filled, _, _) = counts(&style);
                assert_eq!(filled, plain, "{name}, {language}, {kind}");
            }
        }
    }
}

#[test]
fn briefs_of_one_shape_share_a_template() {
    let (style, _root) = load("chicago-notes", "en");
    let mut sources = Vec::new();
    for (i, (given, family)) in [("Elena", "Marsh"), ("Chen", "Li"), ("Arun", "Rao")]
        .iter()
        .cycle()
        .take(30)
        .enumerate()
    {
        let value = serde_json::json!({
            "id": format!("b{i}"), "type": "report",
            "title": format!("Trade Policy Outlook, Part {i}"),
            "author": [{"family": family, "given": given}],
            "issued": {"date-parts": [[2000 + i, 1 + i % 12, 1 + i % 28]]},
            "URL": format!("https://example.org/b{i}/"),
            "publisher": "Korea Economic Institute of America",
        });
        sources.push(serde_json::from_value::<Source>(value).unwrap());
    }
    for source in &sources {
        assert_eq!(
            style.reference(source),
            style.reference_now(&source.csl_item())
        );
    }
    // Chicago prints full names and the year alone: one template for all thirty.
    assert_eq!(counts(&style), (30, 1, 0));
    assert!(
        style
            .reference(&sources[7])
            .contains("Trade Policy Outlook, Part 7")
    );

    // APA prints initials: the coarse shape cannot be used, the fine shapes (one per
    // first letter here) can.
    let (apa, _root) = load("apa", "en");
    for source in &sources {
        assert_eq!(apa.reference(source), apa.reference_now(&source.csl_item()));
    }
    assert_eq!(counts(&apa), (30, 3, 0));
}

/// Plain values take stand-ins; values a style may read differently from a stand-in are
/// formatted alone.
#[test]
fn which_values_take_stand_ins() {
    let brief = |title: &str, given: &str, family: &str| -> Source {
        serde_json::from_value(serde_json::json!({
            "id": "b", "type": "report", "title": title,
            "author": [{"family": family, "given": given}],
            "issued": {"date-parts": [[2020, 5, 1]]}, "URL": "https://example.org/b/",
        }))
        .unwrap()
    };
    for (title, given, family, takes) in [
        ("Plain Title", "Ann", "Lee", true),
        ("Is It Over?", "Robert D.", "Lee", true),
        ("Korea's future", "Sun-hee", "Lee-Park", true),
        ("\"Quoted\" words", "Ann", "Lee", false),
        ("<i>Markup</i>", "Ann", "Lee", false),
        ("Plain", "J.R.", "Lee", false),
        ("Why now?!", "Ann", "Lee", false),
        ("States' rights", "Ann", "Lee", false),
        ("Plain", "Ann", "McDonald", false),
        ("Plain", "Ann", "van Buren", false),
        ("Plain", "민준", "김", false),
        ("Report 86420975", "Ann", "Lee", false),
    ] {
        assert_eq!(
            Values::of(&brief(title, given, family)).is_some(),
            takes,
            "{title} / {given} {family}"
        );
    }
    // A field a brief's own source does not have.
    let mut with_doi = brief("Plain Title", "Ann", "Lee");
    with_doi.doi = Some("10.1000/182".to_owned());
    assert!(Values::of(&with_doi).is_none());
    let mut with_note = brief("Plain Title", "Ann", "Lee");
    with_note
        .other
        .insert("note".to_owned(), serde_json::json!("Working paper"));
    assert!(Values::of(&with_note).is_none());
}

/// Real titles and names, from researchers' own bibliographies (the shared corpus beside the
/// repository), as briefs in every style.
#[test]
#[ignore = "needs ../shared/corpora/bib-real (run from .ci/run)"]
fn real_titles_and_names_fill_as_formatted_alone() {
    let file = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/corpora/bib-real/derived/real.citationjs.json");
    let text =
        std::fs::read_to_string(&file).unwrap_or_else(|err| panic!("{}: {err}", file.display()));
    let entries: Vec<serde_json::Value> = serde_json::from_str(&text).unwrap();
    assert!(entries.len() > 100, "{} entries", entries.len());
    let mut briefs = Vec::new();
    for (i, entry) in entries.iter().enumerate() {
        let value = serde_json::json!({
            "id": format!("b{i}"), "type": "report",
            "title": entry.get("title"),
            "author": entry.get("author").cloned().unwrap_or_default(),
            "issued": {"date-parts": [[2010 + i % 15, 1 + i % 12, 1 + i % 28]]},
            "URL": format!("https://example.org/briefs/b{i}/"),
            "publisher": "Korea Economic Institute of America",
            "language": "en",
        });
        if let Ok(source) = serde_json::from_value::<Source>(value) {
            briefs.push(source);
        }
    }
    let mut plain = 0;
    for name in STYLES {
        let (style, _root) = load(name, "en");
        for brief in &briefs {
            plain += usize::from(Values::of(brief).is_some());
            assert_eq!(
                style.reference(brief),
                style.reference_now(&brief.csl_item()),
                "{name}: {:?} by {:?}",
                brief.title,
                brief.author
            );
        }
        let (filled, templates, alone) = counts(&style);
        eprintln!("{name}: {filled} filled from {templates} templates, {alone} alone");
    }
    // Most real titles and names have stand-ins; the test is not about the rest.
    assert!(plain * 2 > briefs.len() * STYLES.len(), "{plain}");
}
