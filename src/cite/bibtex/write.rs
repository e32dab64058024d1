//! Writing: a source as a BibLaTeX entry (the site's exports and "cite this brief").

use biblatex::{Chunk, Entry, EntryType, Spanned};

use crate::cite::source::{CslDate, Name, Source, plain_text};

/// A BibLaTeX entry for a source (the site's exports and "cite this brief").
pub fn write(source: &Source) -> String {
    let kind = entry_type(&source.kind);
    let mut entry = Entry::new(bibtex_key(&source.id), kind.clone());
    set_title_and_names(&mut entry, source);
    set_fields(&mut entry, source, &kind);
    set_other_fields(&mut entry, source);
    accents_as_text(&entry.to_biblatex_string()) + "\n"
}

/// The entry type of a CSL type.
fn entry_type(csl_type: &str) -> EntryType {
    match csl_type {
        "article-journal" | "article-newspaper" | "article-magazine" | "article" => {
            EntryType::Article
        }
        "book" => EntryType::Book,
        "chapter" => EntryType::InCollection,
        "paper-conference" => EntryType::InProceedings,
        "report" => EntryType::Report,
        "thesis" => EntryType::Thesis,
        "webpage" | "post" | "post-weblog" => EntryType::Online,
        "legislation" | "bill" | "treaty" => EntryType::Unknown("legislation".to_owned()),
        "dataset" => EntryType::Dataset,
        "software" => EntryType::Software,
        _ => EntryType::Misc,
    }
}

fn text(value: &str) -> Vec<Spanned<Chunk>> {
    vec![Spanned::detached(Chunk::Normal(value.to_owned()))]
}

fn verbatim(value: &str) -> Vec<Spanned<Chunk>> {
    vec![Spanned::detached(Chunk::Verbatim(value.to_owned()))]
}

fn set_title_and_names(entry: &mut Entry, source: &Source) {
    if let Some(title) = &source.title {
        // Braced, so that BibTeX styles keep the capitalization as written.
        entry.set("title", verbatim(&plain_text(title)));
    }
    for (field, list) in [("author", &source.author), ("editor", &source.editor)] {
        if !list.is_empty() {
            entry.set(field, name_chunks(list));
        }
    }
    match source.kind.as_str() {
        "article-newspaper" => entry.set("entrysubtype", text("newspaper")),
        "article-magazine" => entry.set("entrysubtype", text("magazine")),
        _ => {}
    }
}

/// The fields `Source` has a field of its own for.
fn set_fields(entry: &mut Entry, source: &Source, kind: &EntryType) {
    let container_field = match kind {
        EntryType::InCollection | EntryType::InProceedings => "booktitle",
        _ => "journaltitle",
    };
    let report_like = matches!(kind, EntryType::Report | EntryType::Thesis);
    // Reference managers open `url` as a link: only web addresses go there.
    let web_url = source
        .url
        .clone()
        .filter(|url| crate::html::is_web_url(url));
    let fields: [(&str, &Option<String>); 10] = [
        (container_field, &source.container_title),
        (
            if report_like {
                "institution"
            } else {
                "publisher"
            },
            &source.publisher,
        ),
        ("location", &source.publisher_place),
        ("number", &source.number),
        ("volume", &source.volume),
        ("issue", &source.issue),
        ("pages", &source.page),
        ("type", &source.genre),
        ("doi", &source.doi),
        ("url", &web_url),
    ];
    for (field, value) in fields {
        if let Some(value) = value {
            entry.set(field, text(&plain_text(value)));
        }
    }
    if let Some(date) = source.issued.as_ref().and_then(iso_date) {
        entry.set("date", text(&date));
    }
    if let Some(date) = source.accessed.as_ref().and_then(iso_date) {
        entry.set("urldate", text(&date));
    }
}

/// The CSL-JSON variables kept in `Source::other` that BibLaTeX has a field for.
fn set_other_fields(entry: &mut Entry, source: &Source) {
    for (csl, field) in [
        ("abstract", "abstract"),
        ("note", "note"),
        ("ISBN", "isbn"),
        ("ISSN", "issn"),
        ("chapter-number", "chapter"),
        ("version", "version"),
        ("collection-title", "series"),
        ("container-title-short", "shortjournal"),
        ("collection-number", "number"),
    ] {
        if field == "number" && source.number.is_some() {
            continue;
        }
        if let Some(serde_json::Value::String(value)) = source.other.get(csl) {
            entry.set(field, text(&plain_text(value)));
        }
    }
}

/// biblatex escapes `^` and `~` as `\^` and `\~`, which TeX (and biblatex, reading) take for
/// accents on the next character: `\^{}` and `\~{}` are the characters themselves. A backslash
/// is always written as the pair `\\`, so reading pairs finds only escapes.
fn accents_as_text(written: &str) -> String {
    let mut out = String::with_capacity(written.len());
    let mut chars = written.chars();
    while let Some(c) = chars.next() {
        out.push(c);
        if c == '\\'
            && let Some(next) = chars.next()
        {
            out.push(next);
            if next == '^' || next == '~' {
                out.push_str("{}");
            }
        }
    }
    out
}

/// `Family, Given and {Institution}`: braces keep an institution's name whole.
fn name_chunks(list: &[Name]) -> Vec<Spanned<Chunk>> {
    let mut chunks = Vec::new();
    for (i, name) in list.iter().enumerate() {
        if i > 0 {
            chunks.push(Spanned::detached(Chunk::Normal(" and ".to_owned())));
        }
        let chunk = if name.literal.is_none() && name.family.is_some() {
            Chunk::Normal(name.display_inverted())
        } else {
            Chunk::Verbatim(name.display())
        };
        chunks.push(Spanned::detached(chunk));
    }
    chunks
}

/// `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.
fn iso_date(date: &CslDate) -> Option<String> {
    match date.parts[..] {
        [y] => Some(format!("{y:04}")),
        [y, m] => Some(format!("{y:04}-{m:02}")),
        [y, m, d] => Some(format!("{y:04}-{m:02}-{d:02}")),
        _ => None,
    }
}

/// BibTeX keys cannot hold spaces, control characters, commas or braces; CSL ids can.
pub fn bibtex_key(id: &str) -> String {
    id.chars()
        .map(|c| {
            if c.is_whitespace()
                || c.is_control()
                || matches!(
                    c,
                    ',' | '{' | '}' | '(' | ')' | '=' | '"' | '#' | '%' | '\'' | '\\'
                )
            {
                '_'
            } else {
                c
            }
        })
        .collect()
}
