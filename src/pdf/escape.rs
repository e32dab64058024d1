//! Every piece of text that goes into Typst markup goes through here: as markup text (each
//! character Typst gives a meaning escaped) or as a string literal. Nothing a brief, its front
//! matter or site.toml holds can then become Typst code.

/// Appends `text` as Typst markup that shows exactly these characters. Runs of white space become
/// one space, as in HTML.
pub fn text_into(text: &str, out: &mut String) {
    let mut space = false;
    for c in text.chars() {
        if c.is_whitespace() && c != '\u{a0}' {
            space = true;
            continue;
        }
        if space {
            out.push(' ');
            space = false;
        }
        push_char(c, out);
    }
    if space {
        out.push(' ');
    }
}

/// `text` as markup, white space kept as one space per run.
pub fn text(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    text_into(text, &mut out);
    out
}

fn push_char(c: char, out: &mut String) {
    match c {
        // Markup syntax: emphasis, headings, lists, labels, references, math, code, raw text,
        // comments, smart quotes, dashes and ellipses, non-breaking space, escapes, links
        // (`https://` is only a link when its slashes are plain), numbered list items (`1.`).
        '\\' | '#' | '*' | '_' | '=' | '-' | '+' | '/' | '<' | '>' | '@' | '$' | '`' | '['
        | ']' | '{' | '}' | '~' | '\'' | '"' | '.' | ':' => {
            out.push('\\');
            out.push(c);
        }
        // Control characters have no glyph and Typst rejects some of them.
        c if c.is_control() => {}
        // Private-use and unassigned code points would show as boxes: leave them to the font.
        c => out.push(c),
    }
}

/// `text` as a Typst string literal, quotes included.
pub fn string(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_characters_are_escaped() {
        assert_eq!(text("= *a* _b_ #c"), "\\= \\*a\\* \\_b\\_ \\#c");
        assert_eq!(
            text("1. see https://x.org"),
            "1\\. see https\\:\\/\\/x\\.org"
        );
        assert_eq!(text("a\n\n  b"), "a b");
        assert_eq!(
            text("<l> @r $m$ `r` [c] \\"),
            "\\<l\\> \\@r \\$m\\$ \\`r\\` \\[c\\] \\\\"
        );
        assert_eq!(
            text("it's \"q\" -- ..."),
            "it\\'s \\\"q\\\" \\-\\- \\.\\.\\."
        );
    }

    #[test]
    fn strings_are_escaped() {
        assert_eq!(string("a\"b\\c\nd"), "\"a\\\"b\\\\c\\nd\"");
    }
}
