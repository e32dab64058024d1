//! Small HTML helpers shared by the stages that write markup themselves.

use std::borrow::Cow;

/// Escapes text for HTML element content and quoted attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    escape_into(text, &mut out);
    out
}

/// Appends `text` escaped to `out`.
pub fn escape_into(text: &str, out: &mut String) {
    let _ = escape_parts(text, |part| {
        out.push_str(part);
        Ok::<(), std::convert::Infallible>(())
    });
}

/// `escape` for Tera, which writes into its output as it renders.
pub fn escape_to(text: &str, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    escape_parts(text, |part| out.write_all(part.as_bytes()))
}

/// Passes `text` to `push` escaped, in parts. The characters to escape are ASCII, so the text
/// between them goes in runs rather than a character at a time (feeds escape whole briefs).
fn escape_parts<E>(text: &str, mut push: impl FnMut(&str) -> Result<(), E>) -> Result<(), E> {
    let mut start = 0;
    for (i, byte) in text.bytes().enumerate() {
        let entity = match byte {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            b'\'' => "&#39;",
            _ => continue,
        };
        push(&text[start..i])?;
        push(entity)?;
        start = i + 1;
    }
    push(&text[start..])
}

/// Whether a URL from front matter may become a link: web addresses only, so a `javascript:` or
/// `data:` URL is shown as text and never runs.
pub fn is_web_url(url: &str) -> bool {
    let url = url.trim_start().to_ascii_lowercase();
    url.starts_with("https://") || url.starts_with("http://")
}

/// Text for XML content and attributes: escaped, and without the control characters XML 1.0
/// forbids (a TOML string may hold them as escapes).
pub fn xml_text(text: &str) -> String {
    escape(&xml_chars(text))
}

/// `text` without the characters XML 1.0 forbids.
pub fn xml_chars(text: &str) -> Cow<'_, str> {
    let allowed = |c: char| {
        matches!(c, '\t' | '\n' | '\r')
            || ('\u{20}'..='\u{D7FF}').contains(&c)
            || ('\u{E000}'..='\u{FFFD}').contains(&c)
            || c > '\u{FFFF}'
    };
    // The forbidden characters are C0 controls and U+FFFE/U+FFFF (UTF-8 `EF BF BE`/`EF BF BF`):
    // a byte scan finds whether there are any, without decoding the whole text.
    let bytes = text.as_bytes();
    let suspect = bytes
        .iter()
        .any(|&b| b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r'))
        || memchr::memmem::find(bytes, b"\xEF\xBF").is_some();
    if !suspect || text.chars().all(allowed) {
        Cow::Borrowed(text)
    } else {
        Cow::Owned(text.chars().filter(|&c| allowed(c)).collect())
    }
}

/// A path of a static file (`images/a.jpg`), or a web address: anything with another scheme
/// (`javascript:`, `data:`) is neither.
pub fn is_asset_path_or_web_url(value: &str) -> bool {
    let trimmed = value.trim_start_matches(|c: char| c.is_whitespace() || c.is_control());
    let scheme_end = trimmed.find(':');
    let has_scheme = scheme_end.is_some_and(|colon| !trimmed[..colon].contains(['/', '?', '#']));
    !has_scheme || is_web_url(trimmed)
}

/// Appends the closing control of every embedding (PDF, U+202C) and isolate (PDI, U+2069) that
/// `text` leaves open at its end, as the Unicode bidirectional algorithm pairs them.
pub fn close_bidi(text: &mut String) {
    #[derive(PartialEq)]
    enum Open {
        Embedding,
        Isolate,
    }
    let mut open: Vec<Open> = Vec::new();
    for c in text.chars() {
        match c {
            '\u{202a}' | '\u{202b}' | '\u{202d}' | '\u{202e}' => open.push(Open::Embedding),
            '\u{2066}' | '\u{2067}' | '\u{2068}' => open.push(Open::Isolate),
            // A closing control with nothing of its kind open is ignored, as in the algorithm.
            '\u{202c}' if open.last() == Some(&Open::Embedding) => {
                open.pop();
            }
            '\u{2069}' if open.contains(&Open::Isolate) => {
                while open.pop().is_some_and(|o| o != Open::Isolate) {}
            }
            // A paragraph break ends them all.
            '\n' | '\r' | '\u{2029}' => open.clear(),
            _ => {}
        }
    }
    for o in open.iter().rev() {
        text.push(match o {
            Open::Embedding => '\u{202c}',
            Open::Isolate => '\u{2069}',
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_refuses_script_urls() {
        assert_eq!(
            escape("<b a=\"1\">&'"),
            "&lt;b a=&quot;1&quot;&gt;&amp;&#39;"
        );
        assert!(!is_web_url("javascript:alert(1)"));
        assert!(!is_web_url(" JAVASCRIPT:x"));
        assert!(is_web_url("HTTPS://a.org/"));
    }

    #[test]
    fn tera_gets_the_same_escaping() {
        for text in [
            "",
            "plain",
            "<b a=\"1\">&'",
            "Kim & Lee's \"north\" <policy>",
            "é & ü",
        ] {
            let mut written = Vec::new();
            escape_to(text, &mut written).expect("writing to a Vec");
            assert_eq!(
                String::from_utf8(written).expect("UTF-8"),
                escape(text),
                "{text}"
            );
        }
    }
}
