//! Pandoc's bracketed citation syntax: `[@id]`, `[@id, para. 28]`, `[see @id, pp. 4-5; @other]`,
//! `[-@id]`. A bracket that does not parse as a whole is not a citation and stays text, so e-mail
//! addresses and stray `@`s never turn into errors.

/// One `[...]` group; in a note style it becomes one numbered note.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CitationGroup {
    pub items: Vec<CitationItem>,
    /// Byte offset of the `[` in the brief file; the line and column are worked out only for an
    /// error message (counting lines for every group was 2 % of a build).
    pub offset: usize,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CitationItem {
    pub id: String,
    pub prefix: String,
    /// The pinpoint, e.g. `para. 28` or `p. 4`; a bare number means a page.
    pub locator: Option<Locator>,
    pub suffix: String,
    pub suppress_author: bool,
}

/// Locator terms Pandoc recognises (abbreviated and full forms), with the CSL locator type each
/// stands for.
const LOCATOR_TERMS: &[(&str, &str)] = &[
    ("p.", "page"),
    ("pp.", "page"),
    ("page", "page"),
    ("pages", "page"),
    ("para.", "paragraph"),
    ("paras.", "paragraph"),
    ("paragraph", "paragraph"),
    ("paragraphs", "paragraph"),
    ("¶", "paragraph"),
    ("¶¶", "paragraph"),
    ("§", "section"),
    ("§§", "section"),
    ("sec.", "section"),
    ("secs.", "section"),
    ("section", "section"),
    ("sections", "section"),
    ("ch.", "chapter"),
    ("chap.", "chapter"),
    ("chaps.", "chapter"),
    ("chapter", "chapter"),
    ("chapters", "chapter"),
    ("no.", "issue"),
    ("nos.", "issue"),
    ("number", "issue"),
    ("vol.", "volume"),
    ("vols.", "volume"),
    ("volume", "volume"),
    ("fig.", "figure"),
    ("figs.", "figure"),
    ("figure", "figure"),
    ("n.", "note"),
    ("nn.", "note"),
    ("note", "note"),
    ("notes", "note"),
    ("art.", "article"),
    ("article", "article"),
    ("l.", "line"),
    ("ll.", "line"),
    ("line", "line"),
    ("lines", "line"),
    ("pt.", "part"),
    ("part", "part"),
    ("annex", "appendix"),
    ("app.", "appendix"),
    ("appendix", "appendix"),
    ("s.v.", "sub-verbo"),
];

/// A pinpoint: `para. 28` is the paragraph locator `28`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Locator {
    /// As written.
    pub text: String,
    /// The CSL locator type (`page` when no term is written).
    pub kind: &'static str,
    pub value: String,
}

/// Finds every citation group in `text`, as `(byte range of the brackets, items)`.
/// `escaped(offset)` says whether the character at `offset` was backslash-escaped in the source.
pub fn find_groups(
    text: &str,
    escaped: impl Fn(usize) -> bool,
) -> Vec<(std::ops::Range<usize>, Vec<CitationItem>)> {
    let mut found = Vec::new();
    let mut search_from = 0;
    while let Some(open) = text[search_from..].find('[').map(|i| i + search_from) {
        search_from = open + 1;
        if escaped(open) {
            continue;
        }
        let rest = &text[open + 1..];
        // The group ends at the first `]` with no `[` before it (keys cannot contain brackets).
        let Some(close) = rest
            .find([']', '['])
            .filter(|&i| rest.as_bytes()[i] == b']')
        else {
            continue;
        };
        let inner = &rest[..close];
        let inner_start = open + 1;
        let at_is_escaped = inner
            .match_indices('@')
            .any(|(i, _)| escaped(inner_start + i));
        if at_is_escaped {
            continue;
        }
        if let Some(items) = parse_group(inner) {
            let end = open + 1 + close + 1;
            found.push((open..end, items));
            search_from = end;
        }
    }
    found
}

/// Parses the inside of `[...]`: items separated by `;`, each with exactly one `@key`.
pub fn parse_group(inner: &str) -> Option<Vec<CitationItem>> {
    if !inner.contains('@') {
        return None;
    }
    inner.split(';').map(parse_item).collect()
}

fn parse_item(item: &str) -> Option<CitationItem> {
    let (at, suppress_author) = find_key_start(item)?;
    let prefix_end = if suppress_author { at - 1 } else { at };
    let prefix = item[..prefix_end].trim().to_owned();
    let (id, key_len) = parse_key(&item[at + 1..])?;
    let rest = item[at + 1 + key_len..].trim();
    // A second key in one item means this is not Pandoc syntax.
    if find_key_start(rest).is_some() {
        return None;
    }
    let rest = rest.strip_prefix(',').unwrap_or(rest).trim();
    let (locator, suffix) = split_locator(rest);
    Some(CitationItem {
        id,
        prefix,
        locator,
        suffix,
        suppress_author,
    })
}

/// Position of the `@` that starts a key: at the start or after white space, optionally after `-`.
fn find_key_start(item: &str) -> Option<(usize, bool)> {
    let bytes = item.as_bytes();
    item.match_indices('@').find_map(|(i, _)| {
        let before = |j: usize| if j == 0 { None } else { Some(bytes[j - 1]) };
        match before(i) {
            None => Some((i, false)),
            Some(b) if b.is_ascii_whitespace() => Some((i, false)),
            Some(b'-') if before(i - 1).is_none_or(|b| b.is_ascii_whitespace()) => Some((i, true)),
            _ => None,
        }
    })
}

/// A key: `{anything but braces}`, or a letter, digit or `_` followed by alphanumerics and single
/// internal punctuation from `:.#$%&-+?<>~/`. Returns the key and the bytes it took.
fn parse_key(text: &str) -> Option<(String, usize)> {
    if let Some(braced) = text.strip_prefix('{') {
        let end = braced.find('}')?;
        let key = &braced[..end];
        return (!key.is_empty() && !key.contains('{')).then(|| (key.to_owned(), end + 2));
    }
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let is_word = |c: char| c.is_alphanumeric() || c == '_';
    let first = chars.first()?.1;
    if !is_word(first) {
        return None;
    }
    let mut end = first.len_utf8();
    let mut i = 1;
    while i < chars.len() {
        let c = chars[i].1;
        if is_word(c) {
            end = chars[i].0 + c.len_utf8();
            i += 1;
        } else if ":.#$%&-+?<>~/".contains(c) && chars.get(i + 1).is_some_and(|n| is_word(n.1)) {
            end = chars[i + 1].0 + chars[i + 1].1.len_utf8();
            i += 2;
        } else {
            break;
        }
    }
    Some((text[..end].to_owned(), end))
}

/// Splits `pp. 33-35 and passim` into the locator `pp. 33-35` and the suffix `and passim`.
fn split_locator(rest: &str) -> (Option<Locator>, String) {
    let term = LOCATOR_TERMS
        .iter()
        .filter(|(term, _)| {
            rest.strip_prefix(*term).is_some_and(|after| {
                after.starts_with(|c: char| c.is_whitespace() || c.is_ascii_digit())
            })
        })
        .max_by_key(|(term, _)| term.len());
    let after_term = term.map_or(rest, |(term, _)| rest[term.len()..].trim_start());
    // The value is a run of number-like tokens ("33-35", "4,", "xii", "28a"), up to the first word.
    let mut value_len = 0;
    for token in after_term.split_inclusive(char::is_whitespace) {
        let word = token.trim().trim_end_matches([',', ';']);
        let number_like = !word.is_empty()
            && (word.starts_with(|c: char| c.is_ascii_digit())
                || word.chars().all(|c| "ivxlcdmIVXLCDM".contains(c)))
            && word
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "-–—.:".contains(c));
        if !number_like {
            break;
        }
        value_len += token.len();
    }
    let value = after_term[..value_len]
        .trim_end()
        .trim_end_matches([',', '.']);
    let looks_like_value =
        value.starts_with(|c: char| c.is_ascii_digit()) || (term.is_some() && !value.is_empty());
    if !looks_like_value {
        return (None, rest.to_owned());
    }
    let consumed = rest.len() - after_term.len() + value.len();
    let locator = Locator {
        text: rest[..consumed].trim().to_owned(),
        kind: term.map_or("page", |(_, kind)| kind),
        value: value.to_owned(),
    };
    let suffix = rest[consumed..].trim_start_matches(',').trim().to_owned();
    (Some(locator), suffix)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(text: &str) -> Vec<Vec<String>> {
        find_groups(text, |_| false)
            .into_iter()
            .map(|(_, items)| items.into_iter().map(|i| i.id).collect())
            .collect()
    }

    #[test]
    fn parses_pandoc_forms() {
        let items = parse_group("see @doe99, pp. 33-35 and passim; -@smith04, para. 28").unwrap();
        assert_eq!(items[0].prefix, "see");
        assert_eq!(items[0].id, "doe99");
        let locator = items[0].locator.as_ref().unwrap();
        assert_eq!(locator.text, "pp. 33-35");
        assert_eq!((locator.kind, locator.value.as_str()), ("page", "33-35"));
        assert_eq!(items[0].suffix, "and passim");
        assert!(items[1].suppress_author);
        let locator = items[1].locator.as_ref().unwrap();
        assert_eq!((locator.kind, locator.value.as_str()), ("paragraph", "28"));
        let bare = parse_group("@a; @b, 12").unwrap();
        assert_eq!(bare[1].locator.as_ref().map(|l| l.kind), Some("page"));
    }

    #[test]
    fn keys_follow_pandoc_grammar() {
        assert_eq!(ids("[@S/RES/2397]"), vec![vec!["S/RES/2397"]]);
        assert_eq!(ids("[@kdi:2023-outlook.]"), vec![vec!["kdi:2023-outlook"]]);
        assert_eq!(ids("[@{odd key}]"), vec![vec!["odd key"]]);
        assert_eq!(ids("x [@a] y [@b; @c]"), vec![vec!["a"], vec!["b", "c"]]);
    }

    #[test]
    fn leaves_non_citations_alone() {
        assert!(ids("write to [press@example.org]").is_empty());
        assert!(ids("[not a citation]").is_empty());
        assert!(ids("[@]").is_empty());
        assert!(ids("[@a @b]").is_empty());
        assert!(ids("[see; @a]").is_empty());
        assert!(find_groups("[@a]", |i| i == 1).is_empty());
    }

    #[test]
    fn ranges_cover_the_brackets() {
        let text = "As noted [@a, p. 4].";
        let (range, _) = &find_groups(text, |_| false)[0];
        assert_eq!(&text[range.clone()], "[@a, p. 4]");
    }
}
