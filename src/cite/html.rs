//! hayagriva's formatted output as HTML. Its own HTML writer escapes neither text nor URLs, so we
//! walk its element tree ourselves: text is escaped, formatting becomes `<i>`, `<b>`, `<sup>`...,
//! links are made only for web URLs, and placeholders mark what a cached citation form leaves
//! open: the locator (filled in per citation), the citation number (per brief, numeric styles)
//! and the note that first cited the source (per brief, note styles).

use hayagriva::citationberg::{FontStyle, FontVariant, FontWeight, TextDecoration, VerticalAlign};
use hayagriva::{ElemChild, ElemChildren, ElemMeta, Formatted, Formatting};

use super::locator::{self, RANGE_STAND_IN, SHAPED_NUMBERS};
use crate::html::{escape, is_web_url};

/// Where the locator's value goes.
pub(super) const LOCATOR: char = '\u{E010}';
/// Where the citation number goes.
pub(super) const NUMBER: char = '\u{E011}';
/// Where the number of the note that first cited the source goes.
pub(super) const FIRST_NOTE: char = '\u{E012}';
/// The locator value formatted in place of every singular locator, replaced by `LOCATOR`.
pub(super) const LOCATOR_STAND_IN: &str = "86420975";
/// Where a plural locator's `n`-th number goes: `LOCATOR_NUMBER + n` (see `locator`).
const LOCATOR_NUMBER: u32 = 0xE020;

/// Which of a plural locator's numbers `c` is the placeholder of.
fn locator_number(c: char) -> Option<usize> {
    let n = u32::from(c).checked_sub(LOCATOR_NUMBER)? as usize;
    (n < SHAPED_NUMBERS).then_some(n)
}

/// Text with the locator's stand-ins replaced by placeholders.
fn mark_locator(text: &str) -> String {
    let mut text = text.replace(LOCATOR_STAND_IN, &LOCATOR.to_string());
    if text.contains(locator::RANGE_STAND_IN_PREFIX) {
        for n in 0..SHAPED_NUMBERS as u32 {
            let placeholder = char::from_u32(LOCATOR_NUMBER + n).unwrap_or(LOCATOR);
            text = text.replace(&(RANGE_STAND_IN + n).to_string(), &placeholder.to_string());
        }
    }
    text
}

/// Writes formatted bibliography content as HTML.
pub(super) fn write(children: &ElemChildren) -> String {
    let mut out = String::new();
    write_children(&mut out, children, &mut Names::Keep, &mut None);
    out
}

/// Writes a bibliography entry as HTML, with where its first list of names (the authors, or
/// what the style substitutes for them) is in it: the part a style's "subsequent author
/// substitute" replaces ("———") when the entry before it has the same.
pub(super) fn write_reference(children: &ElemChildren) -> (String, Option<(usize, usize)>) {
    let mut out = String::new();
    let mut span = None;
    write_children(&mut out, children, &mut Names::Keep, &mut Some(&mut span));
    (out, span)
}

/// Writes a citation form; `suppress_author` leaves the author names out (Pandoc's `[-@id]`).
pub(super) fn write_form(children: &ElemChildren, suppress_author: bool) -> String {
    let mut out = String::new();
    let mut names = if suppress_author {
        Names::Skip
    } else {
        Names::Keep
    };
    write_children(&mut out, children, &mut names, &mut None);
    out
}

/// Whether to write author names; after skipping them, the separator that followed them
/// ("Kim, 2023" -> "2023") goes too.
#[derive(PartialEq)]
enum Names {
    Keep,
    Skip,
    JustSkipped,
}
/// Replaces the note number `first_note` where a style printed it with `FIRST_NOTE`.
pub(super) fn mark_first_note(html: String, first_note: Option<usize>) -> String {
    match first_note {
        Some(note) => html.replace(&note.to_string(), &FIRST_NOTE.to_string()),
        None => html,
    }
}

/// Where the first names element of a reference starts and ends, once found.
type NamesSpan<'a> = Option<&'a mut Option<(usize, usize)>>;

fn write_children(
    out: &mut String,
    children: &ElemChildren,
    names: &mut Names,
    span: &mut NamesSpan,
) {
    for child in &children.0 {
        match child {
            ElemChild::Text(formatted) => {
                let mut text = mark_locator(&formatted.text);
                if *names == Names::JustSkipped {
                    text = text
                        .trim_start_matches(|c: char| c.is_whitespace() || ",;:".contains(c))
                        .to_owned();
                    if text.is_empty() {
                        continue;
                    }
                    *names = Names::Skip;
                }
                write_formatted(out, formatted, |out| out.push_str(&escape(&text)))
            }
            ElemChild::Elem(elem) => {
                if elem.meta == Some(ElemMeta::CitationNumber) {
                    out.push(NUMBER);
                    continue;
                }
                if *names != Names::Keep && matches!(elem.meta, Some(ElemMeta::Names(..))) {
                    *names = Names::JustSkipped;
                    continue;
                }
                let block = elem.display.is_some();
                if block {
                    out.push_str("<span class=\"csl-block\">");
                }
                let first_names = matches!(elem.meta, Some(ElemMeta::Names(..)))
                    && span.as_ref().is_some_and(|found| found.is_none());
                let start = out.len();
                write_children(out, &elem.children, names, span);
                if first_names && let Some(found) = span.as_mut() {
                    **found = Some((start, out.len()));
                }
                if block {
                    out.push_str("</span>");
                }
            }
            ElemChild::Markup(markup) => out.push_str(&escape(markup)),
            ElemChild::Link { text, url } => {
                if is_web_url(url) {
                    out.push_str(&format!(
                        "<a class=\"url\" href=\"{}\">",
                        escape(url.trim())
                    ));
                    write_formatted(out, text, |out| out.push_str(&escape(&text.text)));
                    out.push_str("</a>");
                } else {
                    write_formatted(out, text, |out| out.push_str(&escape(&text.text)));
                }
            }
            ElemChild::Transparent { format, .. } => {
                let shown = Formatted {
                    text: String::new(),
                    formatting: *format,
                };
                write_formatted(out, &shown, |out| out.push(LOCATOR));
            }
        }
    }
}

fn write_formatted(out: &mut String, formatted: &Formatted, content: impl FnOnce(&mut String)) {
    let tags = tags(&formatted.formatting);
    for (open, _) in &tags {
        out.push_str(open);
    }
    content(out);
    for (_, close) in tags.iter().rev() {
        out.push_str(close);
    }
}

fn tags(formatting: &Formatting) -> Vec<(&'static str, &'static str)> {
    let mut tags = Vec::new();
    if formatting.font_style == FontStyle::Italic {
        tags.push(("<i>", "</i>"));
    }
    match formatting.font_weight {
        FontWeight::Bold => tags.push(("<b>", "</b>")),
        FontWeight::Light => tags.push(("<span class=\"csl-light\">", "</span>")),
        FontWeight::Normal => {}
    }
    if formatting.font_variant == FontVariant::SmallCaps {
        tags.push(("<span class=\"csl-small-caps\">", "</span>"));
    }
    if formatting.text_decoration == TextDecoration::Underline {
        tags.push(("<span class=\"csl-underline\">", "</span>"));
    }
    match formatting.vertical_align {
        VerticalAlign::Sup => tags.push(("<sup>", "</sup>")),
        VerticalAlign::Sub => tags.push(("<sub>", "</sub>")),
        _ => {}
    }
    tags
}

/// Fills a cached form's placeholders: the locator value, the citation number and the note that
/// first cited the source.
pub(super) fn fill(
    form: &str,
    locator: Option<&str>,
    number: Option<usize>,
    first_note: Option<usize>,
) -> String {
    let is_placeholder =
        |c: char| matches!(c, LOCATOR | NUMBER | FIRST_NOTE) || locator_number(c).is_some();
    if !form.contains(is_placeholder) {
        return form.to_owned();
    }
    let numbers: Vec<&str> = locator
        .map(locator::numbers)
        .into_iter()
        .flatten()
        .collect();
    let mut out = String::with_capacity(form.len() + 8);
    for c in form.chars() {
        match c {
            LOCATOR => out.push_str(&escape(locator.unwrap_or_default())),
            NUMBER => {
                if let Some(number) = number {
                    out.push_str(&number.to_string());
                }
            }
            FIRST_NOTE => {
                if let Some(note) = first_note {
                    out.push_str(&note.to_string());
                }
            }
            c => match locator_number(c) {
                Some(n) => out.push_str(numbers.get(n).copied().unwrap_or_default()),
                None => out.push(c),
            },
        }
    }
    out
}
