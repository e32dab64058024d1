//! Formats sources as HTML in a Chicago-like notes style: a full note the first time a brief cites
//! a source, a short note after that, and a bibliography entry for the References list. All text is
//! escaped here, and only web URLs become links.
//!
//! Each source's reference is formatted once per build (see `site`); notes depend on their position
//! in a brief and are formatted per citation.

use super::markers::CitationItem;
use super::source::{Name, Source};
use crate::html::{escape, link_or_text};

/// The bibliography entry: `Family, Given. “Title.” <i>Container</i>. Publisher, Number. Date. URL.`
pub fn reference_html(source: &Source) -> String {
    let mut parts = Vec::new();
    if !source.author.is_empty() {
        parts.push(escape(&names_inverted(&source.author)));
    }
    if let Some(title) = title_html(source) {
        parts.push(title);
    }
    if let Some(container) = &source.container_title {
        parts.push(format!("<i>{}</i>", escape(container)));
    }
    let published: Vec<String> = [&source.publisher, &source.number]
        .into_iter()
        .flatten()
        .map(|s| escape(s))
        .collect();
    if !published.is_empty() {
        parts.push(published.join(", "));
    }
    if let Some(issued) = &source.issued {
        parts.push(escape(&issued.display()));
    }
    let mut html = join_sentences(&parts);
    if let Some(link) = link_html(source) {
        html.push(' ');
        html.push_str(&link);
        html.push('.');
    }
    html
}

/// One note for a citation group: items joined by semicolons, each with its prefix, locator and
/// suffix. `first(i)` says whether item `i` is the brief's first citation of its source.
pub fn note_html(items: &[(&CitationItem, &Source)], first: impl Fn(usize) -> bool) -> String {
    let formatted: Vec<String> = items
        .iter()
        .enumerate()
        .map(|(i, (item, source))| {
            let mut parts = Vec::new();
            if !item.prefix.is_empty() {
                parts.push(escape(&item.prefix));
            }
            let body = if first(i) {
                full_note(item, source)
            } else {
                short_note(item, source)
            };
            parts.push(body);
            if !item.suffix.is_empty() {
                parts.push(escape(&item.suffix));
            }
            parts.join(" ")
        })
        .collect();
    let mut note = formatted.join("; ");
    if !note.ends_with('.') {
        note.push('.');
    }
    note
}

fn full_note(item: &CitationItem, source: &Source) -> String {
    let mut parts = Vec::new();
    if !item.suppress_author && !source.author.is_empty() {
        parts.push(escape(&names(&source.author)));
    }
    if let Some(title) = title_html(source) {
        parts.push(title.trim_end_matches(['.', ',']).replace(".”", "”"));
    }
    if let Some(container) = &source.container_title {
        parts.push(format!("<i>{}</i>", escape(container)));
    }
    if let Some(number) = &source.number {
        parts.push(escape(number));
    }
    let mut published: Vec<String> = source.publisher.iter().map(|p| escape(p)).collect();
    if let Some(issued) = &source.issued {
        published.push(escape(&issued.display()));
    }
    if !published.is_empty() {
        parts.push(published.join(", "));
    }
    if let Some(locator) = &item.locator {
        parts.push(escape(&locator.text));
    }
    if let Some(link) = link_html(source) {
        parts.push(link);
    }
    parts.join(", ")
}

fn short_note(item: &CitationItem, source: &Source) -> String {
    let mut parts = Vec::new();
    if !item.suppress_author
        && let Some(first) = source.author.first()
    {
        let mut name = first.short();
        if source.author.len() > 2 {
            name.push_str(" et al.");
        } else if let Some(second) = source.author.get(1) {
            name = format!("{name} and {}", second.short());
        }
        parts.push(escape(&name));
    }
    if let Some(title) = &source.title {
        let short: Vec<&str> = title.split_whitespace().take(4).collect();
        let short = short.join(" ");
        let short = short.trim_end_matches([',', ':', '.', ';']);
        parts.push(if quoted_title(&source.kind) {
            format!("“{}”", escape(short))
        } else {
            format!("<i>{}</i>", escape(short))
        });
    }
    if let Some(locator) = &item.locator {
        parts.push(escape(&locator.text));
    }
    parts.join(", ")
}

/// Articles and chapters are quoted; books, reports and documents are italic.
fn quoted_title(kind: &str) -> bool {
    kind.starts_with("article")
        || matches!(
            kind,
            "chapter"
                | "entry"
                | "entry-dictionary"
                | "entry-encyclopedia"
                | "paper-conference"
                | "post"
                | "post-weblog"
                | "webpage"
                | "speech"
                | "interview"
        )
}

fn title_html(source: &Source) -> Option<String> {
    let title = escape(source.title.as_deref()?);
    Some(if quoted_title(&source.kind) {
        format!("“{title}.”")
    } else {
        format!("<i>{title}</i>")
    })
}

fn link_html(source: &Source) -> Option<String> {
    source.address().as_deref().map(link_or_text)
}

/// "A", "A and B", "A, B, and C".
fn names(list: &[Name]) -> String {
    join_names(list.iter().map(Name::display).collect())
}

/// As `names`, with the first name inverted for alphabetical lists.
fn names_inverted(list: &[Name]) -> String {
    let mut shown: Vec<String> = list.iter().map(Name::display).collect();
    if let Some(first) = list.first() {
        shown[0] = first.display_inverted();
    }
    join_names(shown)
}

fn join_names(mut names: Vec<String>) -> String {
    match names.len() {
        0 => String::new(),
        1 => names.remove(0),
        2 => format!("{} and {}", names[0], names[1]),
        _ => {
            let last = names.pop().unwrap_or_default();
            format!("{}, and {last}", names.join(", "))
        }
    }
}

/// Joins parts as sentences: each ends with a period unless it already ends in punctuation.
fn join_sentences(parts: &[String]) -> String {
    parts
        .iter()
        .map(|part| {
            let ends = part.trim_end_matches("</i>");
            if ends.ends_with(['.', '?', '!', '”']) {
                part.clone()
            } else {
                format!("{part}.")
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn source(toml_text: &str) -> Source {
        toml::from_str(toml_text).unwrap()
    }

    fn item(locator: Option<&str>) -> CitationItem {
        CitationItem {
            id: "x".into(),
            prefix: String::new(),
            locator: locator.map(|text| crate::cite::markers::Locator {
                text: text.to_owned(),
                kind: "paragraph",
                value: text.trim_start_matches("para. ").to_owned(),
            }),
            suffix: String::new(),
            suppress_author: false,
        }
    }

    #[test]
    fn formats_un_resolution() {
        let un = source(
            r#"id = "S/RES/2397"
type = "legislation"
title = "Resolution 2397 (2017)"
author = [{literal = "United Nations Security Council"}]
number = "S/RES/2397 (2017)"
issued = {date-parts = [[2017, 12, 22]]}
URL = "https://undocs.org/S/RES/2397(2017)""#,
        );
        assert_eq!(
            reference_html(&un),
            "United Nations Security Council. <i>Resolution 2397 (2017)</i>. S/RES/2397 (2017). \
             December 22, 2017. <a href=\"https://undocs.org/S/RES/2397(2017)\">\
             https://undocs.org/S/RES/2397(2017)</a>."
        );
        let it = item(Some("para. 28"));
        let note = note_html(&[(&it, &un)], |_| true);
        assert!(note.contains("United Nations Security Council, <i>Resolution 2397 (2017)</i>, S/RES/2397 (2017), December 22, 2017, para. 28, <a"));
        let short = note_html(&[(&it, &un)], |_| false);
        assert_eq!(
            short,
            "United Nations Security Council, <i>Resolution 2397 (2017)</i>, para. 28."
        );
    }

    #[test]
    fn escapes_text_and_never_links_script_urls() {
        let evil = source(
            r#"id = "e"
type = "article-newspaper"
title = "<script>alert(1)</script>"
URL = "javascript:alert(1)""#,
        );
        let html = reference_html(&evil);
        assert!(html.contains("&lt;script&gt;"));
        assert!(!html.contains("<a"));
    }
}
