//! Plain text of a brief body, for word counts, reading time and the search index: the body's HTML
//! without tags (citation markers and note numbers left out), entities decoded.

use crate::markdown::{Body, Segment};

/// Words a minute for the reading time: a common figure for adults reading non-fiction online.
pub const WORDS_PER_MINUTE: usize = 230;

/// Elements that do not separate words: `a<em>b</em>` is one word.
const INLINE_TAGS: &[&str] = &[
    "a", "abbr", "b", "bdi", "bdo", "cite", "code", "data", "del", "dfn", "em", "i", "ins", "kbd",
    "mark", "q", "s", "samp", "small", "span", "strong", "sub", "sup", "time", "u", "var", "wbr",
];

/// The body's text without markup; citations and note references are left out.
pub fn plain_text(body: &Body) -> String {
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
    collapse_whitespace(&out)
}

/// Appends the text of `html` to `out`: tags removed (block tags become spaces), the content of
/// `script`, `style` and `template` elements skipped, entities decoded.
pub fn strip_tags(html: &str, out: &mut String) {
    let mut rest = html;
    while let Some(open) = rest.find('<') {
        decode_entities(&rest[..open], out);
        let tag_and_after = &rest[open + 1..];
        let Some(close) = tag_and_after.find('>') else {
            // A lone `<` is text.
            out.push('<');
            rest = tag_and_after;
            continue;
        };
        let tag = &tag_and_after[..close];
        rest = &tag_and_after[close + 1..];
        let name: String = tag
            .trim_start_matches('/')
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect::<String>()
            .to_ascii_lowercase();
        if !tag.starts_with('/') && matches!(name.as_str(), "script" | "style" | "template") {
            let end = format!("</{name}");
            let lower = rest.to_ascii_lowercase();
            rest = match lower.find(&end) {
                Some(at) => rest[at..].find('>').map_or("", |gt| &rest[at + gt + 1..]),
                None => "",
            };
            out.push(' ');
            continue;
        }
        if !INLINE_TAGS.contains(&name.as_str()) {
            out.push(' ');
        }
    }
    decode_entities(rest, out);
}

/// Decodes the entities pulldown-cmark and authors commonly write; others stay as written.
fn decode_entities(text: &str, out: &mut String) {
    let mut rest = text;
    while let Some(amp) = rest.find('&') {
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
    let mut out = String::with_capacity(text.len());
    for word in text.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// Words in `text`: white-space separated runs with at least one letter or digit.
pub fn word_count(text: &str) -> usize {
    // Most words are ASCII: test their bytes before decoding characters.
    text.split_whitespace()
        .filter(|w| {
            w.bytes().any(|b| b.is_ascii_alphanumeric())
                || (!w.is_ascii() && w.chars().any(char::is_alphanumeric))
        })
        .count()
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
        let text = plain_text(&body);
        assert_eq!(text, "Sanctions work. Mostly.");
        assert_eq!(word_count(&text), 3);
        assert_eq!(word_count("one — two, 3"), 3);
        assert_eq!(reading_minutes(0), 1);
        assert_eq!(reading_minutes(231), 2);
    }
}
