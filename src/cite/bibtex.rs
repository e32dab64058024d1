//! BibTeX and BibLaTeX, in and out, through the `biblatex` crate: `.bib` files become sources
//! with CSL-JSON fields, and sources become `.bib` entries for the site's exports.

use std::collections::HashMap;

use biblatex::{
    Bibliography, Chunk, ChunksExt, DateValue, Entry, EntryType, PermissiveType, Person,
    RawBibliography, RawChunk, Spanned,
};

use super::source::{CslDate, Name, Source};

/// Parses a `.bib` file. Errors carry the byte offset where parsing failed.
pub fn parse(text: &str) -> Result<Vec<Source>, (String, usize)> {
    let error = |err: biblatex::ParseError| (err.kind.to_string(), err.span.start);
    let raw = RawBibliography::parse(text).map_err(error)?;
    check_nesting(&raw)?;
    check_crossrefs(&raw)?;
    let bibliography = Bibliography::from_raw(raw).map_err(error)?;
    Ok(bibliography.iter().map(to_source).collect())
}

/// How deep braces, `@string`s and `crossref`/`xdata` links may nest, how many bytes the
/// `@string`s of a file may expand to, and how many entries resolving its links may copy.
/// biblatex recurses and expands without memory: past these a few lines of a file overflow the
/// stack (a crash) or ask for gigabytes or hours.
const MAX_DEPTH: usize = 64;
const MAX_EXPANDED: usize = 16 << 20;
const MAX_RESOLUTIONS: usize = 100_000;

/// Refuses braces nested too deep and `@string`s that refer to themselves or expand too far.
fn check_nesting(raw: &RawBibliography) -> Result<(), (String, usize)> {
    let strings: HashMap<&str, &[Spanned<RawChunk>]> = raw
        .abbreviations
        .iter()
        .map(|pair| (pair.key.v, pair.value.v.as_slice()))
        .collect();
    let mut sizes = HashMap::new();
    let mut total = 0usize;
    for entry in &raw.entries {
        for pair in &entry.v.fields {
            let size = expanded_size(&pair.value.v, &strings, &mut sizes, 0)?;
            total = total.saturating_add(size);
            if total > MAX_EXPANDED {
                let message = format!(
                    "the @string abbreviations expand to more than {} MiB",
                    MAX_EXPANDED >> 20
                );
                return Err((message, pair.value.span.start));
            }
        }
    }
    Ok(())
}

/// The bytes a field expands to; `sizes` remembers each `@string`'s, `None` while it is being
/// expanded (so that meeting it again is a cycle).
fn expanded_size<'s>(
    field: &[Spanned<RawChunk<'s>>],
    strings: &HashMap<&str, &[Spanned<RawChunk<'s>>]>,
    sizes: &mut HashMap<&'s str, Option<usize>>,
    depth: usize,
) -> Result<usize, (String, usize)> {
    let mut size = 0usize;
    for chunk in field {
        let part = match chunk.v {
            RawChunk::Normal(text) => {
                let mut braces = 0usize;
                let mut escaped = false;
                for c in text.chars() {
                    match c {
                        '{' if !escaped => braces += 1,
                        '}' if !escaped => braces = braces.saturating_sub(1),
                        _ => {}
                    }
                    if braces > MAX_DEPTH {
                        let message = format!("braces nested more than {MAX_DEPTH} deep");
                        return Err((message, chunk.span.start));
                    }
                    escaped = c == '\\' && !escaped;
                }
                text.len()
            }
            RawChunk::Abbreviation(name) => match (sizes.get(name), strings.get(name)) {
                (Some(Some(known)), _) => *known,
                (Some(None), _) => {
                    let message = format!("the @string `{name}` is defined in terms of itself");
                    return Err((message, chunk.span.start));
                }
                (None, Some(definition)) if depth < MAX_DEPTH => {
                    sizes.insert(name, None);
                    let known = expanded_size(definition, strings, sizes, depth + 1)?;
                    sizes.insert(name, Some(known));
                    known
                }
                (None, Some(_)) => {
                    let message =
                        format!("@string abbreviations nested more than {MAX_DEPTH} deep");
                    return Err((message, chunk.span.start));
                }
                // An undefined name (or a month's): biblatex reports the former.
                (None, None) => name.len(),
            },
        };
        size = size.saturating_add(part);
    }
    Ok(size)
}

/// Refuses `crossref` and `xdata` links that lead back to their entry, nest too deep or branch
/// too much: biblatex resolves each entry's links again for every entry that links to it.
fn check_crossrefs(raw: &RawBibliography) -> Result<(), (String, usize)> {
    const LINKS: [&str; 2] = ["crossref", "xdata"];
    let linked = |key: &str| LINKS.iter().any(|link| key.eq_ignore_ascii_case(link));
    if !raw
        .entries
        .iter()
        .any(|e| e.v.fields.iter().any(|p| linked(p.key.v)))
    {
        return Ok(());
    }
    // The links as biblatex reads them, from a copy in which they are renamed so that it does
    // not follow them.
    let mut renamed = raw.clone();
    for entry in &mut renamed.entries {
        for pair in &mut entry.v.fields {
            if pair.key.v.eq_ignore_ascii_case("crossref") {
                pair.key.v = "dossier-crossref";
            } else if pair.key.v.eq_ignore_ascii_case("xdata") {
                pair.key.v = "dossier-xdata";
            }
        }
    }
    // Any error here is reported by the real parse.
    let Ok(unlinked) = Bibliography::from_raw(renamed) else {
        return Ok(());
    };
    let parents = |key: &str| -> Vec<String> {
        let Some(entry) = unlinked.get(key) else {
            return Vec::new();
        };
        let crossref = entry.get_as::<String>("dossier-crossref").ok();
        let xdata = entry
            .get_as::<Vec<String>>("dossier-xdata")
            .unwrap_or_default();
        crossref
            .into_iter()
            .chain(xdata)
            .filter(|parent| unlinked.get(parent).is_some())
            .collect()
    };
    // Entries resolving each entry copies, `None` while it is being counted (a cycle).
    let mut work: HashMap<String, Option<usize>> = HashMap::new();
    let mut total = 0usize;
    for entry in &raw.entries {
        let key = entry.v.key.v;
        let count = resolutions(key, &parents, &mut work, 0)
            .map_err(|message| (message, entry.span.start))?;
        total = total.saturating_add(count);
        if total > MAX_RESOLUTIONS {
            let message = format!(
                "crossref and xdata links branch too much: resolving them copies more than {MAX_RESOLUTIONS} entries"
            );
            return Err((message, entry.span.start));
        }
    }
    Ok(())
}

fn resolutions(
    key: &str,
    parents: &impl Fn(&str) -> Vec<String>,
    work: &mut HashMap<String, Option<usize>>,
    depth: usize,
) -> Result<usize, String> {
    match work.get(key) {
        Some(Some(known)) => return Ok(*known),
        Some(None) => {
            return Err(format!(
                "the crossref or xdata links of `{key}` lead back to it"
            ));
        }
        None if depth >= MAX_DEPTH => {
            return Err(format!(
                "crossref and xdata links nested more than {MAX_DEPTH} deep"
            ));
        }
        None => {}
    }
    work.insert(key.to_owned(), None);
    let mut count = 0usize;
    for parent in parents(key) {
        let below = resolutions(&parent, parents, work, depth + 1)?;
        count = count.saturating_add(below).saturating_add(1);
    }
    work.insert(key.to_owned(), Some(count));
    Ok(count)
}

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

fn to_source(entry: &Entry) -> Source {
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

/// A BibLaTeX entry for a source (the site's exports and "cite this brief").
pub fn write(source: &Source) -> String {
    let kind = match source.kind.as_str() {
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
    };
    let mut entry = Entry::new(bibtex_key(&source.id), kind.clone());
    let text = |value: &str| vec![Spanned::detached(Chunk::Normal(value.to_owned()))];
    let verbatim = |value: &str| vec![Spanned::detached(Chunk::Verbatim(value.to_owned()))];
    if let Some(title) = &source.title {
        // Braced, so that BibTeX styles keep the capitalization as written.
        entry.set("title", verbatim(&super::source::plain_text(title)));
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
            entry.set(field, text(&super::source::plain_text(value)));
        }
    }
    if let Some(date) = source.issued.as_ref().and_then(iso_date) {
        entry.set("date", text(&date));
    }
    if let Some(date) = source.accessed.as_ref().and_then(iso_date) {
        entry.set("urldate", text(&date));
    }
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
            entry.set(field, text(&super::source::plain_text(value)));
        }
    }
    accents_as_text(&entry.to_biblatex_string()) + "\n"
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

#[cfg(test)]
mod tests {
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
}
