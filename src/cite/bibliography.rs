//! Bibliography files: CSL-JSON (as Zotero exports it) and BibTeX/BibLaTeX, read into sources
//! with the line each entry starts on, for messages about conflicting definitions.

use std::path::Path;

use serde_json::value::RawValue;

use super::Source;
use super::bibtex;
use crate::diagnostics::Diagnostic;

/// A source and the line of its file where it is defined.
pub type Located = (Source, usize);

/// Reads `path` (shown to the user as `shown`): `.json` is CSL-JSON, `.bib` BibTeX or BibLaTeX.
pub fn load(path: &Path, shown: &Path) -> Result<Vec<Located>, Diagnostic> {
    let text = std::fs::read_to_string(path).map_err(|err| {
        Diagnostic::new(format!("cannot read the bibliography file {}: {err}", shown.display()))
            .with_hint("bibliography paths are relative to the site folder (site.toml) or to the brief (front matter)")
    })?;
    let extension = path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or_default();
    parse(&text, extension, shown)
}

/// Parses the text of a bibliography file whose extension is `extension` (`json`, `bib`, ...);
/// `shown` names the file in messages. Split from `load` so that fuzz targets need no file.
pub fn parse(text: &str, extension: &str, shown: &Path) -> Result<Vec<Located>, Diagnostic> {
    let located = match extension.to_ascii_lowercase().as_str() {
        "json" => {
            let sources = serde_json::from_str::<Vec<Source>>(text).map_err(|err| {
                // serde_json counts columns in bytes, diagnostics in characters.
                let line_start: usize = text
                    .split_inclusive('\n')
                    .take(err.line().saturating_sub(1))
                    .map(str::len)
                    .sum();
                Diagnostic::new(format!("invalid CSL-JSON: {err}"))
                    .in_file(shown)
                    .at_offset(text, line_start + err.column().saturating_sub(1))
                    .with_hint("a CSL-JSON bibliography is an array of items, as Zotero's \"Export as CSL JSON\" writes it")
            })?;
            let ids = serde_json::from_str::<Vec<IdAt<'_>>>(text)
                .expect("the text was just read as an array of items with an id");
            let offset = |raw: &RawValue| raw.get().as_ptr() as usize - text.as_ptr() as usize;
            sources
                .into_iter()
                .zip(ids)
                .map(|(source, at)| (source, offset(at.id)))
                .collect()
        }
        "bib" | "bibtex" | "biblatex" => {
            bibtex::parse_located(text).map_err(|(message, offset)| {
                Diagnostic::new(format!("invalid BibTeX: {message}"))
                    .in_file(shown)
                    .at_offset(text, offset)
                    .with_hint(
                        "check the entry's braces and commas: @type{key, field = {value}, ...}",
                    )
            })?
        }
        _ => {
            return Err(Diagnostic::new(format!(
                "unknown bibliography format: {}",
                shown.display()
            ))
            .with_hint("use a CSL-JSON file (.json) or a BibTeX/BibLaTeX file (.bib)"));
        }
    };
    Ok(with_lines(text, located))
}

/// Where a CSL-JSON item's id is written: the parser's own span of its value (other fields are
/// skipped, not read).
#[derive(serde::Deserialize)]
struct IdAt<'a> {
    #[serde(borrow)]
    id: &'a RawValue,
}

/// Byte offsets made 1-based line numbers.
fn with_lines(text: &str, located: Vec<(Source, usize)>) -> Vec<Located> {
    let newlines: Vec<usize> = memchr::memchr_iter(b'\n', text.as_bytes()).collect();
    located
        .into_iter()
        .map(|(source, offset)| (source, newlines.partition_point(|&at| at < offset) + 1))
        .collect()
}
