//! URL slugs, which become folder names in the output. A slug is made of `a-z`, `0-9` and `-`
//! only (the `slug` crate transliterates the rest), so it can never hold a path separator, `.` or
//! `..`; what is left to guard against is an empty slug, a name Windows reserves for devices
//! (`con`, `nul`, `com1`, ...: a site built or copied there could not hold that folder) and a
//! name too long for a file system.
//!
//! Invisible formatting characters (zero-width spaces and joiners, bidirectional controls such as
//! U+202E, the byte-order mark, soft hyphens) are dropped before slugifying: they cannot be seen,
//! so they must not change a URL (`a\u{200b}b` is `ab`, not `a-b`).

/// The longest slug written as a slug (a brief's file name or `slug`, an author key). File
/// systems allow 255 bytes per name; this leaves room and keeps URLs readable.
pub const MAX_LEN: usize = 200;

/// Device names Windows reserves in any folder, with or without an extension.
const WINDOWS_DEVICES: &[&str] = &[
    "con", "prn", "aux", "nul", "com0", "com1", "com2", "com3", "com4", "com5", "com6", "com7",
    "com8", "com9", "lpt0", "lpt1", "lpt2", "lpt3", "lpt4", "lpt5", "lpt6", "lpt7", "lpt8", "lpt9",
];

/// Characters that take no room when shown: Unicode's format characters (category Cf) that
/// turn up in copied text.
pub fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{00ad}'
            | '\u{061c}'
            | '\u{180e}'
            | '\u{200b}'..='\u{200f}'
            | '\u{202a}'..='\u{202e}'
            | '\u{2060}'..='\u{2064}'
            | '\u{2066}'..='\u{206f}'
            | '\u{feff}'
    )
}

/// The slug of `text`, invisible characters left out; may be empty.
pub fn slugify(text: &str) -> String {
    let visible: String = text.chars().filter(|&c| !is_invisible(c)).collect();
    slug::slugify(visible)
}

/// Why a slug cannot be a folder name, if it cannot.
pub fn problem(slug: &str) -> Option<String> {
    if slug.is_empty() {
        Some("it has no letters or digits".to_owned())
    } else if is_windows_device(slug) {
        Some(format!(
            "`{slug}` is a device name on Windows, where no folder can have it"
        ))
    } else if slug.len() > MAX_LEN {
        Some(format!(
            "it is {} characters long, more than the {MAX_LEN} a URL slug may have",
            slug.len()
        ))
    } else {
        None
    }
}

pub fn is_windows_device(slug: &str) -> bool {
    WINDOWS_DEVICES.contains(&slug)
}

/// A slug made from a name that is not itself a slug (a tag, a category, a citation id): made
/// safe rather than refused, since the name is what the author meant to write. A device name gets
/// `suffix` (`con` becomes `con-tag`); a long slug is cut at a hyphen. May be empty.
pub fn derived(text: &str, suffix: &str) -> String {
    let mut slug = slugify(text);
    if slug.len() > MAX_LEN {
        let cut = slug[..MAX_LEN]
            .rfind('-')
            .filter(|&i| i > 0)
            .unwrap_or(MAX_LEN);
        slug.truncate(cut);
    }
    if is_windows_device(&slug) {
        slug = format!("{slug}-{suffix}");
    }
    slug
}

/// `text` with invisible characters written as `\u{...}`, for messages that quote it.
pub fn shown(text: &str) -> String {
    text.chars()
        .map(|c| {
            if is_invisible(c) || c.is_control() {
                c.escape_unicode().to_string()
            } else {
                c.to_string()
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invisible_characters_do_not_change_a_slug() {
        assert_eq!(slugify("a\u{200b}b"), "ab");
        assert_eq!(slugify("abc\u{202e}gpj.exe"), "abcgpj-exe");
        assert_eq!(slugify("\u{2066}x\u{2069}"), "x");
        assert_eq!(slugify("\u{200b}\u{202e}"), "");
    }

    #[test]
    fn paths_never_survive() {
        for path in [
            "../../etc",
            "/tmp/x",
            "..\\..\\x",
            "C:\\x",
            "%2e%2e",
            ".",
            "..",
        ] {
            let slug = slugify(path);
            assert!(
                slug.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'),
                "{path} -> {slug}"
            );
            assert!(slug.is_empty() || problem(&slug).is_none(), "{path}");
        }
    }

    #[test]
    fn problems_and_derived_slugs() {
        assert!(problem("").is_some());
        assert!(problem("con").is_some());
        assert!(problem("com1").is_some());
        assert!(problem("console").is_none());
        assert!(problem(&"a".repeat(MAX_LEN + 1)).is_some());
        assert_eq!(derived("NUL", "tag"), "nul-tag");
        let long = derived(&"word ".repeat(100), "tag");
        assert!(long.len() <= MAX_LEN && !long.ends_with('-'), "{long}");
        assert_eq!(shown("a\u{202e}b"), "a\\u{202e}b");
    }
}
