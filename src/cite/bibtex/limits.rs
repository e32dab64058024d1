//! Limits on what a `.bib` file may ask of biblatex, checked before it parses the file.

use std::collections::HashMap;

use biblatex::{Bibliography, RawBibliography, RawChunk, Spanned};

/// How deep braces, `@string`s and `crossref`/`xdata` links may nest, how many bytes the
/// `@string`s of a file may expand to, and how many entries resolving its links may copy.
/// biblatex recurses and expands without memory: past these a few lines of a file overflow the
/// stack (a crash) or ask for gigabytes or hours.
const MAX_DEPTH: usize = 64;
const MAX_EXPANDED: usize = 16 << 20;
const MAX_RESOLUTIONS: usize = 100_000;

/// Refuses braces nested too deep and `@string`s that refer to themselves or expand too far.
pub(super) fn check_nesting(raw: &RawBibliography) -> Result<(), (String, usize)> {
    let strings: HashMap<&str, &[Spanned<RawChunk>]> = raw
        .abbreviations
        .iter()
        .map(|pair| (pair.key.v, pair.value.v.as_slice()))
        .collect();
    let mut sizes = HashMap::new();
    let mut total = 0usize;
    for entry in &raw.entries {
        for pair in &entry.v.fields {
            let size = expanded_size(&pair.value.v, &strings, &mut sizes, 0)?;
            total = total.saturating_add(size);
            if total > MAX_EXPANDED {
                let message = format!(
                    "the @string abbreviations expand to more than {} MiB",
                    MAX_EXPANDED >> 20
                );
                return Err((message, pair.value.span.start));
            }
        }
    }
    Ok(())
}

/// The bytes a field expands to; `sizes` remembers each `@string`'s, `None` while it is being
/// expanded (so that meeting it again is a cycle).
fn expanded_size<'s>(
    field: &[Spanned<RawChunk<'s>>],
    strings: &HashMap<&str, &[Spanned<RawChunk<'s>>]>,
    sizes: &mut HashMap<&'s str, Option<usize>>,
    depth: usize,
) -> Result<usize, (String, usize)> {
    let mut size = 0usize;
    for chunk in field {
        let part = match chunk.v {
            RawChunk::Normal(text) => {
                let mut braces = 0usize;
                let mut escaped = false;
                for c in text.chars() {
                    match c {
                        '{' if !escaped => braces += 1,
                        '}' if !escaped => braces = braces.saturating_sub(1),
                        _ => {}
                    }
                    if braces > MAX_DEPTH {
                        let message = format!("braces nested more than {MAX_DEPTH} deep");
                        return Err((message, chunk.span.start));
                    }
                    escaped = c == '\\' && !escaped;
                }
                text.len()
            }
            RawChunk::Abbreviation(name) => match (sizes.get(name), strings.get(name)) {
                (Some(Some(known)), _) => *known,
                (Some(None), _) => {
                    let message = format!("the @string `{name}` is defined in terms of itself");
                    return Err((message, chunk.span.start));
                }
                (None, Some(definition)) if depth < MAX_DEPTH => {
                    sizes.insert(name, None);
                    let known = expanded_size(definition, strings, sizes, depth + 1)?;
                    sizes.insert(name, Some(known));
                    known
                }
                (None, Some(_)) => {
                    let message =
                        format!("@string abbreviations nested more than {MAX_DEPTH} deep");
                    return Err((message, chunk.span.start));
                }
                // An undefined name (or a month's): biblatex reports the former.
                (None, None) => name.len(),
            },
        };
        size = size.saturating_add(part);
    }
    Ok(size)
}

/// Refuses `crossref` and `xdata` links that lead back to their entry, nest too deep or branch
/// too much: biblatex resolves each entry's links again for every entry that links to it.
pub(super) fn check_crossrefs(raw: &RawBibliography) -> Result<(), (String, usize)> {
    const LINKS: [&str; 2] = ["crossref", "xdata"];
    let linked = |key: &str| LINKS.iter().any(|link| key.eq_ignore_ascii_case(link));
    if !raw
        .entries
        .iter()
        .any(|e| e.v.fields.iter().any(|p| linked(p.key.v)))
    {
        return Ok(());
    }
    // The links as biblatex reads them, from a copy in which they are renamed so that it does
    // not follow them.
    let mut renamed = raw.clone();
    for entry in &mut renamed.entries {
        for pair in &mut entry.v.fields {
            if pair.key.v.eq_ignore_ascii_case("crossref") {
                pair.key.v = "dossier-crossref";
            } else if pair.key.v.eq_ignore_ascii_case("xdata") {
                pair.key.v = "dossier-xdata";
            }
        }
    }
    // Any error here is reported by the real parse.
    let Ok(unlinked) = Bibliography::from_raw(renamed) else {
        return Ok(());
    };
    let parents = |key: &str| -> Vec<String> {
        let Some(entry) = unlinked.get(key) else {
            return Vec::new();
        };
        let crossref = entry.get_as::<String>("dossier-crossref").ok();
        let xdata = entry
            .get_as::<Vec<String>>("dossier-xdata")
            .unwrap_or_default();
        crossref
            .into_iter()
            .chain(xdata)
            .filter(|parent| unlinked.get(parent).is_some())
            .collect()
    };
    // Entries resolving each entry copies, `None` while it is being counted (a cycle).
    let mut work: HashMap<String, Option<usize>> = HashMap::new();
    let mut total = 0usize;
    for entry in &raw.entries {
        let key = entry.v.key.v;
        let count = resolutions(key, &parents, &mut work, 0)
            .map_err(|message| (message, entry.span.start))?;
        total = total.saturating_add(count);
        if total > MAX_RESOLUTIONS {
            let message = format!(
                "crossref and xdata links branch too much: resolving them copies more than {MAX_RESOLUTIONS} entries"
            );
            return Err((message, entry.span.start));
        }
    }
    Ok(())
}

fn resolutions(
    key: &str,
    parents: &impl Fn(&str) -> Vec<String>,
    work: &mut HashMap<String, Option<usize>>,
    depth: usize,
) -> Result<usize, String> {
    match work.get(key) {
        Some(Some(known)) => return Ok(*known),
        Some(None) => {
            return Err(format!(
                "the crossref or xdata links of `{key}` lead back to it"
            ));
        }
        None if depth >= MAX_DEPTH => {
            return Err(format!(
                "crossref and xdata links nested more than {MAX_DEPTH} deep"
            ));
        }
        None => {}
    }
    work.insert(key.to_owned(), None);
    let mut count = 0usize;
    for parent in parents(key) {
        let below = resolutions(&parent, parents, work, depth + 1)?;
        count = count.saturating_add(below).saturating_add(1);
    }
    work.insert(key.to_owned(), Some(count));
    Ok(count)
}
