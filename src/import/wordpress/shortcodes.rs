//! WordPress shortcodes (`[name attr="v"]content[/name]`), parsed as WordPress's
//! `get_shortcode_regex` and `shortcode_parse_atts` do: `[[name]]` is an escaped, literal
//! `[name]`; a shortcode may close itself (`[name /]`) or enclose content up to `[/name]`.

/// One shortcode found in a text.
#[derive(Debug, PartialEq)]
pub(super) struct Shortcode<'a> {
    pub name: &'a str,
    /// Named attributes, lower-cased names, and positional ones under "".
    pub attrs: Vec<(String, String)>,
    pub content: Option<&'a str>,
}

impl Shortcode<'_> {
    pub(super) fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
            .filter(|v| !v.is_empty())
    }
}

fn is_name_char(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b == b'-'
}

/// Replaces every shortcode named in `known` by what `replace` returns for it (`None` keeps it
/// verbatim); `unknown` is told the names of other bracketed tags that look like shortcodes.
pub(super) fn replace(
    text: &str,
    known: &[&str],
    mut replace: impl FnMut(&Shortcode) -> Option<String>,
    mut unknown: impl FnMut(&str),
) -> String {
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    let mut copied = 0;
    while let Some(offset) = memchr::memchr(b'[', &bytes[i..]) {
        let start = i + offset;
        i = start + 1;
        let name_end = (start + 1..bytes.len())
            .find(|&j| !is_name_char(bytes[j]))
            .unwrap_or(bytes.len());
        if name_end == start + 1 {
            continue;
        }
        let name = &text[start + 1..name_end];
        // The name must end at whitespace, `]` or `/` (WordPress: `(?![\w-])`).
        if !matches!(
            bytes.get(name_end),
            Some(b' ' | b'\t' | b'\n' | b']' | b'/')
        ) {
            continue;
        }
        let Some(close) = tag_end(bytes, name_end) else {
            continue;
        };
        if start > 0 && bytes[start - 1] == b'[' && bytes.get(close + 1) == Some(&b']') {
            // `[[name]]`: written to show the shortcode itself.
            out.push_str(&text[copied..start - 1]);
            out.push_str(&text[start..=close]);
            copied = close + 2;
            i = close + 2;
            continue;
        }
        let self_closing = bytes[close - 1] == b'/';
        let attr_text = &text[name_end..if self_closing { close - 1 } else { close }];
        let mut end = close + 1;
        let mut content = None;
        if !self_closing {
            let closing = format!("[/{name}]");
            if let Some(found) = text[end..].find(&closing) {
                content = Some(&text[end..end + found]);
                end += found + closing.len();
            }
        }
        if !known.contains(&name) {
            if content.is_some() || attr_text.contains('=') || name.contains('_') {
                unknown(name);
            }
            continue;
        }
        let shortcode = Shortcode {
            name,
            attrs: parse_attrs(attr_text),
            content,
        };
        if let Some(html) = replace(&shortcode) {
            out.push_str(&text[copied..start]);
            out.push_str(&html);
            copied = end;
            i = end;
        }
    }
    out.push_str(&text[copied..]);
    out
}

/// The index of the `]` that ends an opening tag whose name ends at `from`, skipping quoted
/// values; `None` when a `[` comes first (not a tag) or the text ends.
fn tag_end(bytes: &[u8], from: usize) -> Option<usize> {
    let mut quote = None;
    for (j, &b) in bytes.iter().enumerate().skip(from) {
        match (quote, b) {
            (Some(q), _) if b == q => quote = None,
            (Some(_), _) => {}
            (None, b'"' | b'\'') => quote = Some(b),
            (None, b']') => return Some(j),
            (None, b'[') => return None,
            _ => {}
        }
    }
    None
}

/// `name="value"`, `name='value'`, `name=value`, `"value"` and `value`, as WordPress reads them.
pub(super) fn parse_attrs(text: &str) -> Vec<(String, String)> {
    let mut attrs = Vec::new();
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    let skip_space = |i: &mut usize| {
        while *i < chars.len() && (chars[*i].is_whitespace() || chars[*i] == '\u{a0}') {
            *i += 1;
        }
    };
    let read_value = |i: &mut usize| -> String {
        if *i < chars.len() && (chars[*i] == '"' || chars[*i] == '\'') {
            let q = chars[*i];
            *i += 1;
            let start = *i;
            while *i < chars.len() && chars[*i] != q {
                *i += 1;
            }
            let value: String = chars[start..*i].iter().collect();
            *i += 1;
            value
        } else {
            let start = *i;
            while *i < chars.len() && !chars[*i].is_whitespace() {
                *i += 1;
            }
            chars[start..*i].iter().collect()
        }
    };
    loop {
        skip_space(&mut i);
        if i >= chars.len() {
            break;
        }
        if chars[i] == '"' || chars[i] == '\'' {
            let value = read_value(&mut i);
            attrs.push((String::new(), value));
            continue;
        }
        let start = i;
        while i < chars.len() && (chars[i].is_alphanumeric() || chars[i] == '_' || chars[i] == '-')
        {
            i += 1;
        }
        let name: String = chars[start..i].iter().collect();
        skip_space(&mut i);
        if i < chars.len() && chars[i] == '=' {
            i += 1;
            skip_space(&mut i);
            let value = read_value(&mut i);
            attrs.push((name.to_lowercase(), value));
        } else if name.is_empty() {
            // A stray character: take the word as a positional value.
            let value = read_value(&mut i);
            if !value.is_empty() {
                attrs.push((String::new(), value));
            }
        } else {
            attrs.push((String::new(), name));
        }
    }
    attrs
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_shortcodes_are_replaced_others_kept_and_escapes_unescaped() {
        let mut seen = Vec::new();
        let out = replace(
            "A [caption id=\"x\" width='300']<img src=\"a.jpg\"> Cap[/caption] [[caption]] [foo_bar a=1] [sic] [embed]u[/embed]",
            &["caption", "embed"],
            |s| {
                Some(format!(
                    "<{}:{}:{}>",
                    s.name,
                    s.attr("width").unwrap_or(""),
                    s.content.unwrap_or("")
                ))
            },
            |name| seen.push(name.to_owned()),
        );
        assert_eq!(
            out,
            "A <caption:300:<img src=\"a.jpg\"> Cap> [caption] [foo_bar a=1] [sic] <embed::u>"
        );
        assert_eq!(seen, ["foo_bar"]);
    }

    #[test]
    fn attributes_in_every_form() {
        assert_eq!(
            parse_attrs(r#" ids="1,2" columns=3 link='file' "quoted" bare"#),
            vec![
                ("ids".to_owned(), "1,2".to_owned()),
                ("columns".to_owned(), "3".to_owned()),
                ("link".to_owned(), "file".to_owned()),
                (String::new(), "quoted".to_owned()),
                (String::new(), "bare".to_owned()),
            ]
        );
    }
}
