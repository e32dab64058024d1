//! Reading: a biblatex entry as a source with CSL-JSON fields, as citation-js and Zotero read it.

use biblatex::{Chunk, ChunksExt, DateValue, Entry, EntryType, PermissiveType, Person, Spanned};

use crate::cite::source::{CslDate, Name, Source};

/// An entry's fields read three ways, each the first non-empty of the names asked.
struct Fields<'a>(&'a Entry);

impl Fields<'_> {
    fn first(&self, names: &[&str]) -> Option<&[Spanned<Chunk>]> {
        names.iter().find_map(|name| self.0.get(name))
    }

    /// Plain fields, LaTeX's quote and dash ligatures made characters.
    fn field(&self, names: &[&str]) -> Option<String> {
        self.first(names)
            .map(|chunks| rich_text(chunks, false))
            .filter(|value| !value.trim().is_empty())
    }

    /// Titles: braces protect their capitals from a style's title case, which CSL-JSON writes as
    /// `<span class="nocase">`.
    fn title(&self, names: &[&str]) -> Option<String> {
        self.first(names)
            .map(|chunks| rich_text(chunks, true))
            .filter(|value| !value.trim().is_empty())
    }

    /// As written, for what must not change (addresses, identifiers, dates).
    fn verbatim(&self, names: &[&str]) -> Option<String> {
        self.first(names)
            .map(|chunks| chunks.format_verbatim())
            .filter(|value| !value.trim().is_empty())
    }
}

pub(super) fn to_source(entry: &Entry) -> Source {
    let f = Fields(entry);
    let subtype = f
        .field(&["entrysubtype"])
        .unwrap_or_default()
        .to_lowercase();
    let kind = csl_type(&entry.entry_type, &subtype);
    let article = kind.starts_with("article") || kind == "periodical";
    let container = match kind {
        "chapter" | "paper-conference" | "entry" => f
            .title(&["booktitle", "maintitle"])
            .or_else(|| f.title(&["journaltitle", "journal"])),
        _ => f.title(&["journaltitle", "journal"]),
    };
    // BibLaTeX's `institution` is CSL's `authority`, which Chicago does not print: keep it as the
    // publisher too, which is how reports are cited.
    let institution = f.field(&["institution", "school"]);
    let accessed = f
        .verbatim(&["urldate"])
        .and_then(|text| serde_json::from_value(serde_json::json!(text)).ok());
    // `number` is an article's or a proceedings paper's issue (and wins over `issue`, as in
    // Zotero and citation-js), a book's number in its series, and a report's own number.
    let book_like = matches!(kind, "book" | "chapter");
    let issue_like = article || kind == "paper-conference";
    let number = f.field(&["number"]);
    let full_title = f
        .title(&["title"])
        .map(|main| match f.title(&["subtitle"]) {
            Some(subtitle) => format!("{main}: {subtitle}"),
            None => main,
        });
    Source {
        id: entry.key.clone(),
        kind: kind.to_owned(),
        title: full_title,
        author: entry
            .author()
            .map(|people| names(&people))
            .unwrap_or_default(),
        editor: entry
            .editors()
            .ok()
            .and_then(|editors| editors.into_iter().next())
            .map(|(people, _)| names(&people))
            .unwrap_or_default(),
        issued: issued(entry),
        accessed,
        url: f.verbatim(&["url"]),
        doi: f.verbatim(&["doi"]),
        container_title: container,
        publisher: f
            .field(&["publisher"])
            .or_else(|| institution.clone())
            .or_else(|| f.field(&["organization"])),
        publisher_place: f.field(&["location", "address"]),
        authority: institution,
        number: number.clone().filter(|_| !issue_like && !book_like),
        volume: f.field(&["volume"]),
        issue: number
            .clone()
            .filter(|_| issue_like)
            .or_else(|| f.field(&["issue"]).filter(|_| issue_like)),
        page: f.verbatim(&["pages"]),
        genre: f
            .field(&["type"])
            .map(|genre| thesis_genre(&genre).map_or(genre, str::to_owned))
            .or_else(|| default_genre(&entry.entry_type).map(str::to_owned)),
        other: other_fields(&f, article, number.filter(|_| book_like)),
    }
}

/// The entry's date as CSL-JSON holds it.
fn issued(entry: &Entry) -> Option<CslDate> {
    // A date biblatex cannot read may be one CSL-JSON can (`2020-1`): read it the way a CSL-JSON
    // literal is read, so that exported sources read back the same.
    let literal_date = |chunks: &[Spanned<Chunk>]| {
        serde_json::from_value(serde_json::json!({ "literal": chunks.format_verbatim() })).ok()
    };
    match biblatex_can_read_date(entry).then(|| entry.date()) {
        None => entry.get("date").and_then(literal_date),
        Some(Ok(PermissiveType::Typed(date))) => {
            let parts: Vec<i32> = match date.value {
                DateValue::At(at) | DateValue::After(at) | DateValue::Between(at, _) => [
                    Some(at.year),
                    at.month.map(|m| i32::from(m) + 1),
                    at.day.map(|d| i32::from(d) + 1),
                ]
                .into_iter()
                .map_while(|part| part)
                .collect(),
                DateValue::Before(at) => vec![at.year],
            };
            // biblatex checks neither `month = 18` nor `day = 31` against the month: keep what
            // a CSL-JSON date may hold.
            (1..=parts.len()).rev().find_map(|len| {
                serde_json::from_value(serde_json::json!({ "date-parts": [&parts[..len]] })).ok()
            })
        }
        Some(Ok(PermissiveType::Chunks(chunks))) => literal_date(&chunks),
        Some(Err(_)) => None,
    }
}

/// The CSL-JSON variables `Source` has no field of its own for.
fn other_fields(
    f: &Fields<'_>,
    article: bool,
    collection_number: Option<String>,
) -> std::collections::BTreeMap<String, serde_json::Value> {
    let mut other = std::collections::BTreeMap::new();
    let fields: [(&str, Option<String>); 12] = [
        ("note", f.field(&["note", "addendum"])),
        ("abstract", f.field(&["abstract"])),
        ("ISBN", f.verbatim(&["isbn"])),
        ("ISSN", f.verbatim(&["issn"])),
        ("edition", f.field(&["edition"])),
        ("chapter-number", f.field(&["chapter"])),
        ("version", f.field(&["version"])),
        ("collection-title", f.title(&["series"])),
        (
            "container-title-short",
            f.field(&["shortjournal"]).filter(|_| article),
        ),
        ("collection-number", collection_number),
        ("title-short", f.title(&["shorttitle"])),
        ("language", f.field(&["langid", "language"])),
    ];
    for (csl, value) in fields {
        if let Some(value) = value {
            other.insert(csl.to_owned(), serde_json::Value::String(value));
        }
    }
    other
}

/// The CSL type of an entry type (and its `entrysubtype`), as citation-js and Zotero read them.
fn csl_type(entry_type: &EntryType, subtype: &str) -> &'static str {
    match entry_type {
        EntryType::Article if subtype == "newspaper" => "article-newspaper",
        EntryType::Article if subtype == "magazine" => "article-magazine",
        EntryType::Article => "article-journal",
        EntryType::Book
        | EntryType::MvBook
        | EntryType::BookInBook
        | EntryType::Collection
        | EntryType::MvCollection
        | EntryType::Proceedings
        | EntryType::MvProceedings
        | EntryType::Reference
        | EntryType::MvReference
        | EntryType::Booklet => "book",
        EntryType::InBook
        | EntryType::InCollection
        | EntryType::SuppBook
        | EntryType::SuppCollection => "chapter",
        EntryType::InReference => "entry",
        EntryType::InProceedings => "paper-conference",
        EntryType::Report | EntryType::TechReport | EntryType::Manual => "report",
        EntryType::Thesis | EntryType::PhdThesis | EntryType::MastersThesis => "thesis",
        EntryType::Online => "webpage",
        EntryType::Unpublished => "manuscript",
        EntryType::Patent => "patent",
        EntryType::Dataset => "dataset",
        EntryType::Software => "software",
        EntryType::Periodical | EntryType::SuppPeriodical => "periodical",
        EntryType::Unknown(name) => match name.to_lowercase().as_str() {
            "legislation" => "legislation",
            "legal" => "treaty",
            "jurisdiction" => "legal_case",
            "standard" => "standard",
            "conference" => "paper-conference",
            "electronic" | "www" => "webpage",
            "artwork" | "image" => "graphic",
            "audio" => "song",
            "movie" | "video" => "motion_picture",
            "letter" => "personal_communication",
            "review" => "review",
            _ => "document",
        },
        _ => "document",
    }
}

/// The genre an entry type implies when the entry names none (`@phdthesis` is a PhD thesis).
fn default_genre(entry_type: &EntryType) -> Option<&'static str> {
    match entry_type {
        EntryType::PhdThesis => Some("PhD thesis"),
        EntryType::MastersThesis => Some("Master’s thesis"),
        _ => None,
    }
}

/// BibLaTeX's keys for thesis and report types (`type = {phdthesis}`), as the words they stand
/// for.
fn thesis_genre(key: &str) -> Option<&'static str> {
    Some(match key.trim().to_lowercase().as_str() {
        "phdthesis" => "PhD thesis",
        "mathesis" | "mastersthesis" => "Master’s thesis",
        "bathesis" => "Bachelor’s thesis",
        "candthesis" => "Candidate thesis",
        "techreport" => "technical report",
        "resreport" => "research report",
        _ => return None,
    })
}

/// A field's text: LaTeX's ligatures (``` `` ```, `''`, `` ` ``, `--`, `---`) as the characters
/// they print, and, for titles (`protect`), words in braces marked as never to change case.
fn rich_text(chunks: &[Spanned<Chunk>], protect: bool) -> String {
    // A whole field in braces (`{{Title}}`) keeps it from BibTeX's sentence case, which is how
    // reference managers (and dossier's export) write every title: it is not a protection.
    let mut braced = chunks
        .iter()
        .filter(|c| !matches!(&c.v, Chunk::Normal(text) if text.trim().is_empty()));
    let whole = matches!((braced.next(), braced.next()), (Some(c), None) if matches!(c.v, Chunk::Verbatim(_)));
    let protect = protect && !whole;
    let mut out = String::new();
    for chunk in chunks {
        match &chunk.v {
            // A line break inside a field is a space, as in TeX.
            Chunk::Normal(text) => out.push_str(&ligatures(&one_line(text))),
            Chunk::Verbatim(text) if protect && is_case_protection(text) => {
                out.push_str("<span class=\"nocase\">");
                out.push_str(&ligatures(text));
                out.push_str("</span>");
            }
            Chunk::Verbatim(text) => out.push_str(&ligatures(text)),
            Chunk::Math(text) => {
                out.push('$');
                out.push_str(text);
                out.push('$');
            }
        }
    }
    out
}

/// Braces around letters protect them (`{NGO}s`, `{PanDem}`); braces around one accented
/// letter (`{\"o}`) or around no letter only group.
fn is_case_protection(text: &str) -> bool {
    text.chars().filter(|c| c.is_alphabetic()).count() > 1
}

/// A line break inside a field is a space, as in TeX (a break after a space adds none).
fn one_line(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\n' | '\r' if out.ends_with(char::is_whitespace) => {}
            '\n' | '\r' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

fn ligatures(text: &str) -> String {
    if !text.contains(['`', '\'', '-']) {
        return text.to_owned();
    }
    text.replace("---", "\u{2014}")
        .replace("--", "\u{2013}")
        .replace("``", "\u{201C}")
        .replace("''", "\u{201D}")
        .replace('`', "\u{2018}")
}

/// Whether biblatex's date parser can take the entry's date fields without panicking. It
/// overflows or unwraps on uncertain digits after a long year (`10115X`), digits outside ASCII,
/// a space after a year's sign (`- 12`), month 0 and long numbers after a month (`jan 300`):
/// none of them a date it could read.
fn biblatex_can_read_date(entry: &Entry) -> bool {
    ["date", "year", "month", "day"].into_iter().all(|name| {
        let Some(chunks) = entry.get(name) else {
            return true;
        };
        let text = chunks.format_verbatim();
        let text = text.trim();
        let mut numbers = text
            .split(|c: char| !c.is_ascii_digit())
            .filter(|n| !n.is_empty());
        text.is_ascii()
            && !text.contains(['x', 'X'])
            && match name {
                "year" => !text.contains(char::is_whitespace),
                "month" => numbers.all(|n| n.len() <= 2 && !n.trim_start_matches('0').is_empty()),
                _ => true,
            }
    })
}

fn names(people: &[Person]) -> Vec<Name> {
    people
        .iter()
        .map(|person| {
            let blank = |s: &str| (!s.trim().is_empty()).then(|| s.trim().to_owned());
            // `{United Nations Security Council}` parses as a family name alone: an institution.
            if person.given_name.trim().is_empty() && person.prefix.is_empty() {
                Name {
                    literal: blank(&person.name),
                    family: None,
                    given: None,
                    suffix: None,
                    non_dropping_particle: None,
                }
            } else {
                Name {
                    family: blank(&person.name),
                    given: blank(&person.given_name),
                    literal: None,
                    suffix: blank(&person.suffix),
                    non_dropping_particle: blank(&person.prefix),
                }
            }
        })
        .collect()
}
