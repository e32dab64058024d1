//! BibTeX and BibLaTeX, in and out, through the `biblatex` crate: `.bib` files become sources
//! with CSL-JSON fields, and sources become `.bib` entries for the site's exports.

mod limits;
mod read;
#[cfg(test)]
mod tests;
mod write;

use std::collections::HashMap;

use biblatex::{Bibliography, RawBibliography};

use super::source::Source;
pub use write::{bibtex_key, write};

/// Parses a `.bib` file. Errors carry the byte offset where parsing failed.
pub fn parse(text: &str) -> Result<Vec<Source>, (String, usize)> {
    Ok(parse_located(text)?
        .into_iter()
        .map(|(source, _)| source)
        .collect())
}

/// Parses a `.bib` file, each source with the byte offset of its key (from the parser's spans).
pub fn parse_located(text: &str) -> Result<Vec<(Source, usize)>, (String, usize)> {
    let error = |err: biblatex::ParseError| (err.kind.to_string(), err.span.start);
    let raw = RawBibliography::parse(text).map_err(error)?;
    limits::check_nesting(&raw)?;
    limits::check_crossrefs(&raw)?;
    let keys: HashMap<String, usize> = raw
        .entries
        .iter()
        .map(|entry| (entry.v.key.v.to_owned(), entry.v.key.span.start))
        .collect();
    let bibliography = Bibliography::from_raw(raw).map_err(error)?;
    Ok(bibliography
        .iter()
        .map(|entry| {
            let at = *keys
                .get(&entry.key)
                .expect("every entry is made from a raw entry with its key");
            (read::to_source(entry), at)
        })
        .collect())
}
