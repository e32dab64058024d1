//! Plain text of a brief body, for word counts, reading time and the search index: the body's HTML
//! without tags (citation markers and note numbers left out), entities decoded.

use std::sync::Arc;

use crate::markdown::{Body, Segment};

/// A body's plain text, made once and shared by the pages that use it (the search index, word
/// counts and reading times), and its number of words.
#[derive(Debug, Clone, Default)]
pub struct PlainText {
    pub text: Arc<str>,
    pub words: usize,
}

impl PlainText {
    pub fn of(body: &Body) -> PlainText {
        let (text, words) = plain_text_and_words(body);
        PlainText {
            text: text.into(),
            words,
        }
    }
}

/// Words a minute for the reading time: a common figure for adults reading non-fiction online.
pub const WORDS_PER_MINUTE: usize = 230;

/// Elements that do not separate words: `a<em>b</em>` is one word.
const INLINE_TAGS: &[&str] = &[
    "a", "abbr", "b", "bdi", "bdo", "cite", "code", "data", "del", "dfn", "em", "i", "ins", "kbd",
    "mark", "q", "s", "samp", "small", "span", "strong", "sub", "sup", "time", "u", "var", "wbr",
];

/// The body's text without markup (citations and note references left out) and its number of
/// words, in one pass over the text.
fn plain_text_and_words(body: &Body) -> (String, usize) {
    let mut out = String::new();
    for segment in &body.segments {
        if let Segment::Html(html) = segment {
            // A marker left out before punctuation leaves no space: "work [@a]." is "work.".
            if html.starts_with(['.', ',', ';', ':', '!', '?']) {
                out.truncate(out.trim_end().len());
            }
            strip_tags(html, &mut out);
        }
    }
    collapse_and_count(&out)
}

/// Appends the text of `html` to `out`: tags removed (block tags become spaces), the content of
/// `script`, `style` and `template` elements skipped, entities decoded.
pub fn strip_tags(html: &str, out: &mut String) {
    let mut rest = html;
    while let Some(open) = memchr::memchr(b'<', rest.as_bytes()) {
        decode_entities(&rest[..open], out);
        let tag_and_after = &rest[open + 1..];
        let Some(close) = memchr::memchr(b'>', tag_and_after.as_bytes()) else {
            // A lone `<` is text.
            out.push('<');
            rest = tag_and_after;
            continue;
        };
        let tag = &tag_and_after[..close];
        rest = &tag_and_after[close + 1..];
        let unslashed = tag.trim_start_matches('/');
        let name_len = unslashed
            .bytes()
            .position(|b| !b.is_ascii_alphanumeric())
            .unwrap_or(unslashed.len());
        let name = &unslashed[..name_len];
        let raw_text = ["script", "style", "template"]
            .into_iter()
            .find(|raw| name.eq_ignore_ascii_case(raw));
        if let Some(raw) = raw_text.filter(|_| !tag.starts_with('/')) {
            let end = format!("</{raw}");
            let lower = rest.to_ascii_lowercase();
            rest = match lower.find(&end) {
                Some(at) => rest[at..].find('>').map_or("", |gt| &rest[at + gt + 1..]),
                None => "",
            };
            out.push(' ');
            continue;
        }
        if !is_inline_tag(name) {
            out.push(' ');
        }
    }
    decode_entities(rest, out);
}

/// Whether the element `name` (any case) does not separate words.
fn is_inline_tag(name: &str) -> bool {
    let mut lower = [0u8; 6];
    if name.len() > lower.len() {
        return false;
    }
    for (to, from) in lower.iter_mut().zip(name.bytes()) {
        *to = from.to_ascii_lowercase();
    }
    INLINE_TAGS
        .iter()
        .any(|tag| tag.as_bytes() == &lower[..name.len()])
}

/// Decodes the entities pulldown-cmark and authors commonly write; others stay as written.
fn decode_entities(text: &str, out: &mut String) {
    let mut rest = text;
    while let Some(amp) = memchr::memchr(b'&', rest.as_bytes()) {
        out.push_str(&rest[..amp]);
        let after = &rest[amp + 1..];
        let end = after.find(';').filter(|&i| i <= 10);
        let decoded = end.and_then(|end| {
            let name = &after[..end];
            let c = match name {
                "amp" => '&',
                "lt" => '<',
                "gt" => '>',
                "quot" => '"',
                "apos" => '\'',
                "nbsp" => ' ',
                "mdash" => '—',
                "ndash" => '–',
                "hellip" => '…',
                _ => {
                    let number = name.strip_prefix('#')?;
                    let code = match number.strip_prefix(['x', 'X']) {
                        Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                        None => number.parse().ok()?,
                    };
                    char::from_u32(code)?
                }
            };
            Some((c, end))
        });
        match decoded {
            Some((c, end)) => {
                out.push(c);
                rest = &after[end + 1..];
            }
            None => {
                out.push('&');
                rest = after;
            }
        }
    }
    out.push_str(rest);
}

/// Runs of white space as one space, trimmed.
pub fn collapse_whitespace(text: &str) -> String {
    collapse_and_count(text).0
}

/// Words in `text`: white-space separated runs with at least one letter or digit.
pub fn word_count(text: &str) -> usize {
    collapse_and_count(text).1
}

/// `text` with runs of white space as one space, trimmed, and its number of words (runs with
/// at least one letter or digit), in one pass. Most text of a brief is ASCII, whose words split
/// faster than Unicode's (vertical tab aside, ASCII white space is Unicode's there).
fn collapse_and_count(text: &str) -> (String, usize) {
    let mut out = String::with_capacity(text.len());
    let mut words = 0;
    let mut add = |word: &str, alphanumeric: bool| {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
        words += usize::from(alphanumeric);
    };
    if text.is_ascii() && memchr::memchr(0x0b, text.as_bytes()).is_none() {
        for word in text.split_ascii_whitespace() {
            add(word, word.bytes().any(|b| b.is_ascii_alphanumeric()));
        }
    } else {
        for word in text.split_whitespace() {
            add(word, word.chars().any(char::is_alphanumeric));
        }
    }
    (out, words)
}

/// Minutes to read `words` words, at least one.
pub fn reading_minutes(words: usize) -> usize {
    words.div_ceil(WORDS_PER_MINUTE).max(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_go_entities_decode_scripts_vanish() {
        let mut out = String::new();
        strip_tags(
            "<h2 id=\"a\">Title</h2><p>A <em>b</em>c &amp; d&#39;s &#x2014; e</p><script>var x = '<p>';</script><p>f &bogus; g</p>",
            &mut out,
        );
        assert_eq!(
            collapse_whitespace(&out),
            "Title A bc & d's — e f &bogus; g"
        );
    }

    #[test]
    fn citations_and_note_numbers_are_not_words() {
        let body = crate::markdown::render_body(
            "Sanctions work [@un, para. 4].[^1] Mostly.\n\n[^1]: A note.\n",
            0,
        );
        let plain = PlainText::of(&body);
        assert_eq!(&*plain.text, "Sanctions work. Mostly.");
        assert_eq!(plain.words, 3);
        assert_eq!(word_count(&plain.text), 3);
        assert_eq!(word_count("one — two, 3"), 3);
        assert_eq!(
            collapse_and_count(" a\u{2003}b\u{a0} \u{0b}c\u{3000}— "),
            ("a b c —".to_owned(), 3)
        );
        assert_eq!(reading_minutes(0), 1);
        assert_eq!(reading_minutes(231), 2);
    }
}
