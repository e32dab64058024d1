//! Reading the pages a build writes: small `scraper` wrappers.

use scraper::{ElementRef, Html, Selector};

pub fn selector(css: &str) -> Selector {
    Selector::parse(css).unwrap_or_else(|e| panic!("bad selector {css:?}: {e:?}"))
}

/// Text of an element with runs of white space collapsed to one space and trimmed.
pub fn text(element: ElementRef<'_>) -> String {
    element
        .text()
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// The (white-space normalized) text of every element matching `css`.
pub fn select_text(html: &str, css: &str) -> Vec<String> {
    let document = Html::parse_document(html);
    document.select(&selector(css)).map(text).collect()
}

/// The text of the only element matching `css`.
pub fn the_text(html: &str, css: &str) -> String {
    let found = select_text(html, css);
    assert_eq!(found.len(), 1, "expected one {css:?}, found {found:?}");
    found.into_iter().next().unwrap_or_default()
}

/// The value of `attr` on every element matching `css` that has it.
pub fn select_attr(html: &str, css: &str, attr: &str) -> Vec<String> {
    let document = Html::parse_document(html);
    document
        .select(&selector(css))
        .filter_map(|e| e.value().attr(attr).map(str::to_owned))
        .collect()
}

/// The value of `attr` on the only element matching `css`.
pub fn the_attr(html: &str, css: &str, attr: &str) -> String {
    let found = select_attr(html, css, attr);
    assert_eq!(
        found.len(),
        1,
        "expected one {css:?}[{attr}], found {found:?}"
    );
    found.into_iter().next().unwrap_or_default()
}

/// The inner HTML of every element matching `css`.
pub fn select_inner_html(html: &str, css: &str) -> Vec<String> {
    let document = Html::parse_document(html);
    document
        .select(&selector(css))
        .map(|e| e.inner_html())
        .collect()
}

/// How many elements match `css`.
pub fn count(html: &str, css: &str) -> usize {
    let document = Html::parse_document(html);
    document.select(&selector(css)).count()
}

/// Every `href` and `src` value in the page.
pub fn links(html: &str) -> Vec<String> {
    let document = Html::parse_document(html);
    let mut out = Vec::new();
    for element in document.select(&selector("[href], [src]")) {
        for attr in ["href", "src"] {
            if let Some(value) = element.value().attr(attr) {
                out.push(value.to_owned());
            }
        }
    }
    out
}

/// Every `id` in the page.
pub fn ids(html: &str) -> Vec<String> {
    select_attr(html, "[id]", "id")
}
