//! What differs from brief to brief, and whether each value can take a stand-in.

use serde_json::Value;

use super::stand::MARK;
use crate::cite::Source;
use crate::html::is_web_url;

/// What differs from brief to brief, if every value can have a stand-in.
pub(super) struct Values<'s> {
    /// As hayagriva prints it before any text case: apostrophes typographic.
    pub(super) title: Option<String>,
    /// The title's last character where it is punctuation.
    pub(super) title_end: Option<char>,
    /// Every word of every name, in order.
    pub(super) words: Vec<&'s str>,
    pub(super) year: Option<i32>,
    pub(super) url: Option<&'s str>,
}

impl<'s> Values<'s> {
    pub(super) fn of(source: &'s Source) -> Option<Values<'s>> {
        // Only what a brief's own source has: any other field (one added to `Source` later
        // too) could change the entry in ways no stand-in shows.
        let brief_fields = Source {
            kind: source.kind.clone(),
            title: source.title.clone(),
            author: source.author.clone(),
            issued: source.issued.clone(),
            url: source.url.clone(),
            container_title: source.container_title.clone(),
            publisher: source.publisher.clone(),
            other: source
                .other
                .iter()
                .filter(|(name, value)| {
                    matches!(name.as_str(), "abstract" | "language") && value.is_string()
                })
                .map(|(name, value)| (name.clone(), value.clone()))
                .collect(),
            ..Source::untitled(&source.id)
        };
        let only_brief_fields = brief_fields == *source;
        // What the shape keeps as it is must not look like a stand-in or a stand-in's year.
        let kept = [
            Some(source.kind.as_str()),
            source.publisher.as_deref(),
            source.container_title.as_deref(),
            source.other.get("language").and_then(Value::as_str),
        ];
        let kept_plain = kept.into_iter().flatten().all(|text| {
            !text.to_lowercase().contains(MARK) && !text.contains(|c: char| c.is_ascii_digit())
        });
        if !only_brief_fields || !kept_plain {
            return None;
        }
        let title = source.title.as_deref();
        let url = source.url.as_deref();
        if !title.is_none_or(plain_title) || !url.is_none_or(plain_url) {
            return None;
        }
        let title_end = title
            .and_then(|t| t.chars().last())
            .filter(|c| matches!(c, '?' | '!'));
        // Every straight apostrophe is inside a word (`plain_title`), where hayagriva makes
        // it typographic whatever surrounds the title.
        let title = title.map(|t| t.replace('\'', "’"));
        let mut words = Vec::new();
        for name in &source.author {
            if name.suffix.is_some() || name.non_dropping_particle.is_some() {
                return None;
            }
            match (&name.literal, &name.family, &name.given) {
                (Some(literal), None, None) => words.extend(name_words(literal, true)?),
                (None, Some(family), given) => {
                    // One family word (hyphens allowed), capitalized: a lower-case word first
                    // would be read as a particle ("van").
                    if family.contains(' ') || !family.starts_with(char::is_uppercase) {
                        return None;
                    }
                    words.extend(name_words(family, false)?);
                    if let Some(given) = given {
                        words.extend(name_words(given, true)?);
                    }
                }
                _ => return None,
            }
        }
        let year = match &source.issued {
            None => None,
            Some(date) => {
                let year = *date.parts.first()?;
                let plain = date.literal.is_none()
                    && (1..=3).contains(&date.parts.len())
                    && (1000..=9999).contains(&year);
                if !plain {
                    return None;
                }
                Some(year)
            }
        };
        Some(Values {
            title,
            title_end,
            words,
            year,
            url,
        })
    }
}

/// A title whose case the style's text case alone decides and whose ends join the punctuation
/// around them as a stand-in's do: no quotation marks or markup, apostrophes only inside words,
/// and a letter, digit, question or exclamation mark last.
fn plain_title(title: &str) -> bool {
    let chars: Vec<char> = title.chars().collect();
    let ends_plain = match chars.as_slice() {
        [first, .., before, last] => {
            first.is_alphanumeric()
                && (last.is_alphanumeric()
                    || (matches!(last, '?' | '!') && before.is_alphanumeric()))
        }
        _ => false,
    };
    let apostrophes_in_words = chars
        .windows(3)
        .all(|w| w[1] != '\'' || (w[0].is_alphanumeric() && w[2].is_alphabetic()));
    ends_plain
        && apostrophes_in_words
        && !title.contains("  ")
        && !long_digit_run(title)
        && chars.iter().all(|&c| {
            !c.is_control()
                && (c == ' ' || !c.is_whitespace())
                && !matches!(
                    c,
                    '<' | '>' | '&' | '"' | '“' | '”' | '„' | '‚' | '«' | '»' | '‹' | '›' | '`'
                )
                && !('\u{E000}'..='\u{F8FF}').contains(&c)
        })
}

/// A web address made of characters no style or escaping changes.
fn plain_url(url: &str) -> bool {
    is_web_url(url)
        && url.starts_with("http")
        && !long_digit_run(url)
        && url
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '_' | '~' | ':' | '/'))
        && url
            .chars()
            .last()
            .is_some_and(|c| c.is_ascii_alphanumeric() || c == '/')
}

/// Seven digits in a row could be taken for a locator's stand-in (`html::mark_locator`).
fn long_digit_run(text: &str) -> bool {
    let mut run = 0;
    for c in text.chars() {
        run = if c.is_ascii_digit() { run + 1 } else { 0 };
        if run >= 7 {
            return true;
        }
    }
    false
}

/// A name part's words that get stand-ins (split at single spaces and hyphens), if each is
/// Latin letters, at least two, all lower case after the first, or (in a given or literal
/// name) an initial, which a shape keeps as it is.
fn name_words(part: &str, given: bool) -> Option<Vec<&str>> {
    let mut words = Vec::new();
    for word in part.split(|c| c == '-' || (given && c == ' ')) {
        if given && is_initial(word) {
            continue;
        }
        let mut chars = word.chars();
        let plain = chars
            .next()
            .is_some_and(|c| latin_letter(c) && (c.is_uppercase() || c.is_lowercase()))
            && word.chars().count() >= 2
            && chars.all(|c| latin_letter(c) && c.is_lowercase());
        if !plain {
            return None;
        }
        words.push(word);
    }
    Some(words)
}

/// "D." in "Robert D.".
pub(super) fn is_initial(word: &str) -> bool {
    let mut chars = word.chars();
    matches!(
        (chars.next(), chars.next(), chars.next()),
        (Some(letter), Some('.'), None) if latin_letter(letter) && letter.is_uppercase()
    )
}

fn latin_letter(c: char) -> bool {
    c.is_ascii_alphabetic() || (('\u{C0}'..='\u{24F}').contains(&c) && c != '×' && c != '÷')
}
