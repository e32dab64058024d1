//! Field instructions: `HYPERLINK "url" \l "anchor"`, Zotero's `ADDIN ZOTERO_ITEM CSL_CITATION
//! {json}`, Mendeley's `ADDIN CSL_CITATION {json}`, their bibliographies, a table of contents.
//! Every other field keeps the result Word showed.

#[derive(Debug, PartialEq, Eq)]
pub(super) enum Instruction<'a> {
    Hyperlink(String),
    /// The CSL citation JSON of a Zotero or Mendeley field.
    Citation(&'a str),
    Bibliography,
    TableOfContents,
    /// A citation of another manager (EndNote, Citavi): its text is kept.
    OtherCitation,
    Other,
}

pub(super) fn parse(instr: &str) -> Instruction<'_> {
    let trimmed = instr.trim_start();
    let (keyword, rest) = trimmed
        .split_once(char::is_whitespace)
        .unwrap_or((trimmed, ""));
    match keyword.to_ascii_uppercase().as_str() {
        "HYPERLINK" => hyperlink(rest).map_or(Instruction::Other, Instruction::Hyperlink),
        "TOC" => Instruction::TableOfContents,
        "ADDIN" => addin(rest.trim_start()),
        _ => Instruction::Other,
    }
}

fn addin(rest: &str) -> Instruction<'_> {
    let head = rest.split('{').next().unwrap_or_default();
    let is = |word: &str| head.split_whitespace().any(|w| w == word);
    if is("ZOTERO_BIBL") || is("CSL_BIBLIOGRAPHY") || is("EN.REFLIST") {
        return Instruction::Bibliography;
    }
    if is("ZOTERO_ITEM") || is("CSL_CITATION") {
        return match rest.find('{') {
            Some(start) => Instruction::Citation(rest[start..].trim_end()),
            // A Zotero field without its data (an old format, or damaged): keep its text.
            None => Instruction::Citation(""),
        };
    }
    if is("EN.CITE") || head.contains("CITAVI") || head.contains("Mendeley Citation") {
        return Instruction::OtherCitation;
    }
    Instruction::Other
}

/// The target of `HYPERLINK "url" \l "anchor" \o "tip"`: the URL, with `#anchor` if any.
fn hyperlink(rest: &str) -> Option<String> {
    let mut url = None;
    let mut anchor = None;
    let mut args = arguments(rest).into_iter();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "\\l" => anchor = args.next(),
            "\\o" | "\\t" => {
                args.next();
            }
            s if s.starts_with('\\') => {}
            _ if url.is_none() => url = Some(arg),
            _ => {}
        }
    }
    match (url, anchor) {
        (Some(u), Some(a)) => Some(format!("{u}#{a}")),
        (Some(u), None) => Some(u),
        (None, Some(a)) => Some(format!("#{a}")),
        (None, None) => None,
    }
}

/// Field arguments: quoted strings (straight or curly quotes) or bare words.
fn arguments(text: &str) -> Vec<String> {
    let mut args = Vec::new();
    let mut chars = text.chars().peekable();
    while let Some(&c) = chars.peek() {
        if c.is_whitespace() {
            chars.next();
        } else if matches!(c, '"' | '“' | '”') {
            chars.next();
            let mut arg = String::new();
            for c in chars.by_ref() {
                if matches!(c, '"' | '“' | '”') {
                    break;
                }
                arg.push(c);
            }
            args.push(arg);
        } else {
            let mut arg = String::new();
            while let Some(&c) = chars.peek() {
                if c.is_whitespace() {
                    break;
                }
                arg.push(c);
                chars.next();
            }
            args.push(arg);
        }
    }
    args
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_fields_that_matter() {
        assert_eq!(
            parse(r#" HYPERLINK "https://example.org/a b" \o "tip" "#),
            Instruction::Hyperlink("https://example.org/a b".into())
        );
        assert_eq!(
            parse(r#"HYPERLINK \l "_Section_2""#),
            Instruction::Hyperlink("#_Section_2".into())
        );
        assert_eq!(
            parse(r#" ADDIN ZOTERO_ITEM CSL_CITATION {"a":1} "#),
            Instruction::Citation(r#"{"a":1}"#)
        );
        assert_eq!(
            parse(r#" ADDIN CSL_CITATION {"a":1}"#),
            Instruction::Citation(r#"{"a":1}"#)
        );
        assert_eq!(
            parse(r#" ADDIN ZOTERO_BIBL {"uncited":[]} CSL_BIBLIOGRAPHY "#),
            Instruction::Bibliography
        );
        assert_eq!(
            parse(" ADDIN Mendeley Bibliography CSL_BIBLIOGRAPHY "),
            Instruction::Bibliography
        );
        assert_eq!(parse(r#" TOC \o "1-3" \h "#), Instruction::TableOfContents);
        assert_eq!(parse(" PAGE "), Instruction::Other);
        assert_eq!(
            parse(" ADDIN EN.CITE <EndNote>"),
            Instruction::OtherCitation
        );
    }
}
