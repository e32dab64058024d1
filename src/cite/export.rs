//! Sources in the formats other tools read: RIS (EndNote, Zotero, Mendeley), Google Scholar's
//! `citation_reference` tag, and schema.org. BibTeX is in `bibtex`, CSL-JSON is `Source` itself.

use super::Source;
use super::source::plain_text;

/// An RIS record.
pub fn ris(source: &Source) -> String {
    let kind = match source.kind.as_str() {
        "report" => "RPRT",
        "post-weblog" | "post" => "BLOG",
        "webpage" => "ELEC",
        "article-journal" => "JOUR",
        "article-newspaper" => "NEWS",
        "article-magazine" => "MGZN",
        "book" => "BOOK",
        "chapter" => "CHAP",
        "legislation" | "bill" => "BILL",
        "paper-conference" => "CPAPER",
        "thesis" => "THES",
        _ => "GEN",
    };
    let mut lines = vec![format!("TY  - {kind}")];
    let mut push = |tag: &str, value: &str| {
        // One value per line: line breaks inside a value would start a new tag.
        let value = value.split_whitespace().collect::<Vec<_>>().join(" ");
        if !value.is_empty() {
            lines.push(format!("{tag}  - {value}"));
        }
    };
    if let Some(title) = &source.title {
        push("TI", &plain_text(title));
    }
    for name in &source.author {
        push("AU", &name.display_inverted());
    }
    for name in &source.editor {
        push("ED", &name.display_inverted());
    }
    if let Some(date) = &source.issued {
        if let Some(year) = date.year() {
            push("PY", &year.to_string());
        }
        let parts: Vec<String> = date.parts.iter().map(|p| format!("{p:02}")).collect();
        if !parts.is_empty() {
            push("DA", &parts.join("/"));
        }
    }
    // Reference managers open `UR` as a link: only web addresses go there.
    let web_url = source
        .url
        .clone()
        .filter(|url| crate::html::is_web_url(url));
    let fields = [
        ("T2", &source.container_title),
        ("PB", &source.publisher),
        ("CY", &source.publisher_place),
        ("VL", &source.volume),
        ("IS", &source.issue),
        ("SP", &source.page),
        ("DO", &source.doi),
        ("UR", &web_url),
    ];
    for (tag, value) in fields {
        if let Some(value) = value {
            push(tag, &plain_text(value));
        }
    }
    if let Some(number) = &source.number {
        push(if kind == "RPRT" { "SN" } else { "M1" }, number);
    }
    for (tag, key) in [("AB", "abstract"), ("LA", "language")] {
        if let Some(serde_json::Value::String(value)) = source.other.get(key) {
            push(tag, value);
        }
    }
    lines.push("ER  - ".to_owned());
    lines.join("\r\n") + "\r\n"
}

/// Google Scholar's `citation_reference` content: `citation_title=...; citation_author=...`.
pub fn highwire_reference(source: &Source) -> String {
    let mut parts = Vec::new();
    // `;` separates the fields, so it may not appear inside one.
    let clean = |value: &str| {
        plain_text(value)
            .replace(';', ",")
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
    };
    if let Some(title) = &source.title {
        parts.push(format!("citation_title={}", clean(title)));
    }
    for name in &source.author {
        parts.push(format!("citation_author={}", clean(&name.display())));
    }
    if let Some(year) = source.issued.as_ref().and_then(|d| d.year()) {
        parts.push(format!("citation_publication_date={year}"));
    }
    if let Some(container) = &source.container_title {
        parts.push(format!("citation_journal_title={}", clean(container)));
    }
    if let Some(publisher) = &source.publisher {
        parts.push(format!("citation_publisher={}", clean(publisher)));
    }
    if let Some(number) = &source.number {
        parts.push(format!(
            "citation_technical_report_number={}",
            clean(number)
        ));
    }
    if let Some(doi) = &source.doi {
        parts.push(format!("citation_doi={}", clean(doi)));
    }
    if let Some(url) = source.url.as_deref().filter(|u| crate::html::is_web_url(u)) {
        parts.push(format!("citation_public_url={}", clean(url)));
    }
    parts.join("; ")
}

/// A schema.org `CreativeWork` for a cited source.
pub fn schema_org(source: &Source) -> serde_json::Value {
    let kind = match source.kind.as_str() {
        "report" => "Report",
        "article-journal" => "ScholarlyArticle",
        "article-newspaper" | "article-magazine" => "NewsArticle",
        "book" => "Book",
        "chapter" => "Chapter",
        "legislation" | "bill" => "Legislation",
        "webpage" => "WebPage",
        "post-weblog" => "BlogPosting",
        _ => "CreativeWork",
    };
    let mut value = serde_json::json!({
        "@type": kind,
        "name": source.title.as_deref().map(plain_text),
        "author": source.author.iter().map(|n| {
            let person = n.literal.is_none();
            serde_json::json!({ "@type": if person { "Person" } else { "Organization" }, "name": n.display() })
        }).collect::<Vec<_>>(),
        "datePublished": source.issued.as_ref().and_then(|d| d.year()),
        "publisher": source.publisher,
        "url": source.address().filter(|a| crate::html::is_web_url(a)),
    });
    without_nulls(&mut value);
    value
}

/// Leaves out an object's properties that have no value: schema.org reads a missing property
/// and a `null` alike, and a brief page carries one object per cited source.
pub(crate) fn without_nulls(value: &mut serde_json::Value) {
    match value {
        serde_json::Value::Object(map) => {
            map.retain(|_, v| !v.is_null());
            map.values_mut().for_each(without_nulls);
        }
        serde_json::Value::Array(items) => items.iter_mut().for_each(without_nulls),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ris_has_one_author_per_line_and_ends_each_record() {
        let source: Source = toml::from_str(
            r#"id = "b"
type = "report"
title = "A Brief;\nwith a break"
author = [{family = "Marsh", given = "Elena"}, {family = "Han", given = "Jiwoo"}]
issued = {date-parts = [[2023, 3, 14]]}
publisher = "Harbor Institute"
URL = "https://example.org/b/""#,
        )
        .unwrap();
        let ris = ris(&source);
        assert!(ris.starts_with("TY  - RPRT\r\n"));
        assert!(ris.contains("AU  - Marsh, Elena\r\nAU  - Han, Jiwoo\r\n"));
        assert!(ris.contains("TI  - A Brief; with a break\r\n"));
        assert!(ris.contains("DA  - 2023/03/14\r\n"));
        assert!(ris.ends_with("ER  - \r\n"));
        let reference = highwire_reference(&source);
        assert!(
            reference
                .starts_with("citation_title=A Brief, with a break; citation_author=Elena Marsh")
        );
    }
}
