//! Writes a synthetic Word document for measuring `dossier import docx`: about 40 pages (20,000
//! words in 200 paragraphs under 20 headings), 200 Zotero citation fields into 60 sources with
//! locators, prefixes and suffixes (a third of them as the only content of a footnote, as Zotero
//! writes note styles), 20 more footnotes, 10 bulleted lists, 5 tables and a Zotero bibliography.
//!
//! ```sh
//! cargo run --release --example gen-docx -- OUT.docx [--seed S]
//! ```

// The tests' .docx writer: its items are `pub` for the tests, not exported from this example.
#[allow(unreachable_pub)]
#[path = "../tests/testsuite/harness/docx.rs"]
#[allow(dead_code)]
mod docx;

// The generators' random numbers (this example uses only some of them).
#[allow(dead_code)]
#[path = "common/rng.rs"]
mod rng;

use docx::{Docx, footnote_ref, note_body, p, para, run, styled, zotero};
use rng::Rng;

const WORDS: &[&str] = &[
    "sanctions",
    "enforcement",
    "maritime",
    "shipments",
    "refined",
    "petroleum",
    "panel",
    "experts",
    "resolution",
    "trade",
    "exports",
    "imports",
    "tariffs",
    "alliance",
    "security",
    "peninsula",
    "negotiations",
    "pressure",
    "economy",
    "growth",
    "investment",
    "supply",
    "chains",
    "semiconductors",
    "policy",
    "the",
    "of",
    "and",
    "in",
    "to",
    "a",
    "with",
    "for",
    "on",
    "that",
    "by",
    "as",
    "from",
    "while",
    "under",
];
const FAMILIES: &[&str] = &[
    "Haggard",
    "Noland",
    "Kim",
    "Lee",
    "Park",
    "Choi",
    "Snyder",
    "Cha",
    "Stangarone",
    "Klingner",
];

fn sentence(rng: &mut Rng, words: usize) -> String {
    let mut text = String::new();
    for k in 0..words {
        if k > 0 {
            text.push(' ');
        }
        text.push_str(WORDS[rng.below(WORDS.len())]);
    }
    let mut chars = text.chars();
    let first = chars.next().map(|c| c.to_ascii_uppercase()).unwrap_or('S');
    format!("{first}{}. ", chars.as_str())
}

fn source(i: usize) -> String {
    let family = FAMILIES[i % FAMILIES.len()];
    let kind = ["report", "article-journal", "book", "article-newspaper"][i % 4];
    format!(
        r#"{{"id":{i},"type":"{kind}","title":"Study {i} of Sanctions and Trade on the Peninsula","container-title":"Journal of Korean Affairs","publisher":"Harbor Institute","author":[{{"family":"{family}","given":"Min-ji"}}],"issued":{{"date-parts":[["{}",{}]]}},"URL":"https://example.org/studies/{i}"}}"#,
        2005 + i % 19,
        1 + i % 12
    )
}

fn citation(rng: &mut Rng, note_index: u32) -> String {
    let items: Vec<String> = (0..1 + usize::from(rng.below(4) == 0))
        .map(|_| {
            let i = rng.below(60);
            let extra = match rng.below(4) {
                0 => r#","locator":"12","label":"page""#.to_owned(),
                1 => r#","locator":"4","label":"paragraph","prefix":"see""#.to_owned(),
                2 => r#","suffix":"emphasis added""#.to_owned(),
                _ => String::new(),
            };
            format!(
                r#"{{"id":{i},"uris":["http://zotero.org/users/1/items/I{i}"],"itemData":{}{extra}}}"#,
                source(i)
            )
        })
        .collect();
    zotero(&items.join(","), "(Author 2017)", note_index)
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(out) = args.first() else {
        eprintln!("usage: gen-docx OUT.docx [--seed S]");
        std::process::exit(2);
    };
    let seed = args
        .iter()
        .position(|a| a == "--seed")
        .and_then(|i| args.get(i + 1)?.parse().ok())
        .unwrap_or(1);
    let mut rng = Rng::new(seed, 0);
    let mut doc = Docx::new()
        .numbering(
            r#"<w:abstractNum w:abstractNumId="0"><w:lvl w:ilvl="0"><w:numFmt w:val="bullet"/></w:lvl></w:abstractNum><w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>"#,
        )
        .body(&styled("Title", &run("Sanctions, Trade and the Peninsula: A Long Report")));
    let mut note = 0;
    let mut citations = 0;
    for paragraph in 0..200 {
        if paragraph % 10 == 0 {
            let heading = format!("Section {}: {}", paragraph / 10 + 1, sentence(&mut rng, 4));
            doc = doc.body(&styled("Heading1", &run(heading.trim_end())));
        }
        let mut inner = String::new();
        for s in 0..5 {
            inner.push_str(&run(&sentence(&mut rng, 19)));
            if s == 2 && citations < 200 {
                citations += 1;
                if citations % 3 == 0 {
                    // Zotero in a note style: the citation is the footnote.
                    note += 1;
                    doc = doc.footnote(&note.to_string(), &note_body(&citation(&mut rng, note)));
                    inner.push_str(&footnote_ref(&note.to_string()));
                } else {
                    inner.push_str(&citation(&mut rng, 0));
                }
            }
        }
        if paragraph % 10 == 5 {
            note += 1;
            doc = doc.footnote(&note.to_string(), &note_body(&run(&sentence(&mut rng, 25))));
            inner.push_str(&footnote_ref(&note.to_string()));
        }
        doc = doc.body(&p(&inner));
        if paragraph % 20 == 7 {
            for _ in 0..4 {
                doc = doc.body(&format!(
                    r#"<w:p><w:pPr><w:numPr><w:ilvl w:val="0"/><w:numId w:val="1"/></w:numPr></w:pPr>{}</w:p>"#,
                    run(&sentence(&mut rng, 8))
                ));
            }
        }
        if paragraph % 40 == 13 {
            let cell = |t: &str| format!("<w:tc>{}</w:tc>", para(t));
            let mut table =
                String::from(r#"<w:tbl><w:tblPr><w:tblLook w:firstRow="1"/></w:tblPr>"#);
            for row in 0..8 {
                table.push_str("<w:tr>");
                for col in 0..4 {
                    table.push_str(&cell(&format!("r{row}c{col}")));
                }
                table.push_str("</w:tr>");
            }
            table.push_str("</w:tbl>");
            doc = doc.body(&table);
        }
    }
    doc = doc
        .body(&styled("Heading1", &run("References")))
        .body(&p(&docx::field(
            r#" ADDIN ZOTERO_BIBL {"uncited":[],"omitted":[],"custom":[]} CSL_BIBLIOGRAPHY "#,
            "Haggard, Stephan. 2017. ...",
        )));
    doc.write(std::path::Path::new(out));
    eprintln!("wrote {out}: 200 paragraphs, {citations} citation fields, {note} footnotes");
}
