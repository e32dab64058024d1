//! A print-ready PDF of every brief, typeset by Typst inside the binary: `markup` turns what
//! render produced (the body with its formatted citations, the notes, the references) into a Typst
//! document, `world` gives Typst that document with its images and the bundled fonts, and `cache`
//! keeps each PDF under the hash of everything that decides its bytes, so a rebuild typesets
//! only the briefs that changed.
//!
//! A brief never fails the build for its PDF: an image that cannot be decoded is replaced by its
//! description, text no bundled font covers shows as boxes, and each such case is a warning that
//! names the brief's file.

mod cache;
pub mod escape;
pub mod html;
pub mod markup;
pub mod world;

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;
use sha2::{Digest, Sha256};
use typst::foundations::{Datetime, Smart};
use typst_layout::PagedDocument;

use crate::render::theme::StaticFile;
use crate::render::urls::Urls;
use crate::site::Site;
pub use cache::Cache;
use markup::Images;

/// `[pdf]` in site.toml.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PdfConfig {
    /// Write `/<slug>/<slug>.pdf` beside each brief's page.
    #[serde(default)]
    pub enabled: bool,
    /// `us-letter` (the default, as printed in Washington) or `a4`.
    #[serde(default = "default_paper")]
    pub paper: String,
}

impl Default for PdfConfig {
    fn default() -> Self {
        PdfConfig {
            enabled: false,
            paper: default_paper(),
        }
    }
}

fn default_paper() -> String {
    "us-letter".to_owned()
}

const PAPERS: &[&str] = &["us-letter", "us-legal", "a4", "a5"];

impl PdfConfig {
    pub fn problem(&self) -> Option<String> {
        (!PAPERS.contains(&self.paper.as_str())).then(|| {
            format!(
                "[pdf] paper `{}` is not one of {}",
                self.paper,
                PAPERS.join(", ")
            )
        })
    }
}

/// The file name of brief `slug`'s PDF: its last path segment, `.pdf`.
pub fn file_name(slug: &str) -> String {
    format!("{}.pdf", slug.rsplit('/').next().unwrap_or(slug))
}

/// The URL of a brief's PDF, beside its page: `/<base>/<slug>/<slug>.pdf`.
pub fn url(urls: &Urls, slug: &str) -> String {
    format!("{}{}", urls.brief(slug), file_name(slug))
}

/// A brief's PDF and what went wrong making it.
pub struct Made {
    pub bytes: Vec<u8>,
    /// Each a sentence, for `warning: <brief file>: <sentence>`.
    pub warnings: Vec<String>,
    /// Taken from the cache rather than typeset.
    pub cached: bool,
}

/// Makes the PDFs of one site.
pub struct Maker<'a> {
    site: &'a Site,
    static_files: &'a BTreeMap<String, StaticFile>,
    cache: Cache,
}

impl<'a> Maker<'a> {
    pub fn new(site: &'a Site, static_files: &'a BTreeMap<String, StaticFile>) -> Self {
        Maker {
            site,
            static_files,
            cache: Cache::new(&site.root),
        }
    }

    /// Brief `b`'s PDF, from the cache when nothing that decides it changed. `None` only if
    /// Typst failed even on the brief's plain text (then a warning says why).
    pub fn make(&self, b: usize) -> Result<Made, String> {
        let site = self.site;
        let paper = &site.config.pdf.paper;
        let document = markup::document(site, self.static_files, b, paper, Images::Placed);
        let key = key(&document);
        if let Some((bytes, warnings)) = self.cache.get(&key) {
            return Ok(Made {
                bytes,
                warnings,
                cached: true,
            });
        }
        let mut warnings: Vec<String> = document
            .undecodable
            .iter()
            .map(|(src, why)| {
                format!("image {src} cannot be decoded ({why}): the PDF shows its description")
            })
            .collect();
        let brief = &site.briefs[b];
        let date = brief
            .loaded
            .front
            .updated
            .unwrap_or(brief.loaded.front.date);
        let permalink =
            Urls::new(&site.config).permalink(&Urls::new(&site.config).brief(&brief.loaded.slug));
        let compiled = match compile(&document, date.timestamp, &permalink) {
            Ok(bytes) => Ok(bytes),
            Err(message) if !document.images.is_empty() => {
                let sources: Vec<&str> = document
                    .image_sources
                    .iter()
                    .map(|(_, s)| s.as_str())
                    .collect();
                warnings.push(format!(
                    "the PDF shows images {} as their descriptions: {message}",
                    sources.join(", ")
                ));
                let plain = markup::document(site, self.static_files, b, paper, Images::Described);
                compile(&plain, date.timestamp, &permalink)
            }
            Err(message) => Err(message),
        };
        let bytes = compiled.map_err(|message| format!("no PDF was made: {message}"))?;
        if document.widest_table > html::WIDE_TABLE {
            warnings.push(format!(
                "a table of {} columns is wider than the PDF's page: it is set in small type, its columns shrunk to fit",
                document.widest_table
            ));
        }
        let missing = uncovered(&document.markup);
        if !missing.is_empty() {
            let shown: Vec<String> = missing
                .iter()
                .take(5)
                .map(|c| format!("U+{:04X} `{c}`", *c as u32))
                .collect();
            warnings.push(format!(
                "{} character{} in no bundled font ({}{}) show as empty boxes in the PDF",
                missing.len(),
                if missing.len() == 1 { "" } else { "s" },
                shown.join(", "),
                if missing.len() > 5 { ", ..." } else { "" }
            ));
        }
        self.cache.put(&key, &bytes, &warnings);
        Ok(Made {
            bytes,
            warnings,
            cached: false,
        })
    }

    /// Removes cached PDFs no brief of this site has used for a while.
    pub fn finish(self) {
        self.cache.prune();
    }
}

/// Everything that decides a PDF's bytes: dossier's version (the layout lives in its code, and
/// the fonts and Typst come with it), the markup, and each image.
fn key(document: &markup::Document) -> String {
    let mut hasher = Sha256::new();
    hasher.update(env!("CARGO_PKG_VERSION").as_bytes());
    hasher.update(option_env!("DOSSIER_BUILD_ID").unwrap_or("").as_bytes());
    hasher.update((document.markup.len() as u64).to_le_bytes());
    hasher.update(document.markup.as_bytes());
    for (path, bytes) in &document.images {
        hasher.update(path.as_bytes());
        hasher.update((bytes.len() as u64).to_le_bytes());
        hasher.update(bytes);
    }
    hex(&hasher.finalize())
}

pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The SHA-256 of `bytes`, in hex.
pub fn sha256(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

/// Typesets `document`; the PDF's dates are the brief's, so the same brief gives the same bytes.
fn compile(
    document: &markup::Document,
    date: jiff::Timestamp,
    ident: &str,
) -> Result<Vec<u8>, String> {
    let at = date.to_zoned_datetime(jiff::tz::TimeZone::UTC);
    let datetime = Datetime::from_ymd_hms(
        i32::from(at.year()),
        at.month() as u8,
        at.day() as u8,
        at.hour() as u8,
        at.minute() as u8,
        at.second() as u8,
    );
    let world = world::BriefWorld::new(
        document.markup.clone(),
        document.images.clone(),
        datetime.and_then(|d| Datetime::from_ymd(d.year()?, d.month()?, d.day()?)),
    );
    let compiled = typst::compile::<PagedDocument>(&world);
    let paged = compiled.output.map_err(|errors| {
        let messages: Vec<String> = errors.iter().map(|e| e.message.to_string()).collect();
        messages.join("; ")
    })?;
    let options = typst_pdf::PdfOptions {
        ident: Smart::Custom(ident.to_owned()),
        creator: Smart::Custom(Some(format!("dossier {}", env!("CARGO_PKG_VERSION")))),
        timestamp: datetime.map(typst_pdf::Timestamp::new_utc),
        ..typst_pdf::PdfOptions::default()
    };
    typst_pdf::pdf(&paged, &options).map_err(|errors| {
        let messages: Vec<String> = errors.iter().map(|e| e.message.to_string()).collect();
        messages.join("; ")
    })
}

/// The characters of `markup` no bundled font has, in order, each once.
fn uncovered(markup: &str) -> Vec<char> {
    let mut missing: Vec<char> = Vec::new();
    for c in markup.chars() {
        if c.is_ascii() || c.is_whitespace() || c.is_control() || missing.contains(&c) {
            continue;
        }
        // Joiners and variation selectors have no glyph of their own.
        if matches!(c, '\u{200b}'..='\u{200f}' | '\u{fe00}'..='\u{fe0f}' | '\u{ad}' | '\u{2060}') {
            continue;
        }
        if !world::covered(c) {
            missing.push(c);
        }
    }
    missing
}

/// Where the previous build put the PDF of brief `slug`, relative to the output folder.
pub fn output_path(urls: &Urls, slug: &str) -> String {
    urls.output_path(&url(urls, slug))
}

/// Prints a brief's PDF warnings.
pub fn warn(brief_path: &Path, warnings: &[String]) {
    for warning in warnings {
        let warning = crate::diagnostics::Diagnostic::warning(warning.as_str()).in_file(brief_path);
        eprintln!("{warning}");
    }
}

/// How many PDFs a build typeset and took from the cache.
#[derive(Debug, Default, Clone, Copy)]
pub struct Tally {
    pub typeset: usize,
    pub cached: usize,
}

/// A brief, its PDF (or why there is none), and whether writing it failed.
type Outcome = (
    usize,
    Result<Made, String>,
    Result<(), crate::diagnostics::Diagnostic>,
);

/// Makes every brief's PDF in parallel and hands each to `write` with its output path; prints
/// the warnings, in brief order. A brief whose PDF cannot be made is a warning, not a failure.
pub fn write_all<W>(
    site: &Site,
    static_files: &BTreeMap<String, StaticFile>,
    write: W,
) -> Result<Tally, crate::diagnostics::Diagnostics>
where
    W: Fn(&str, &[u8]) -> Result<(), crate::diagnostics::Diagnostic> + Sync,
{
    use rayon::prelude::*;
    let maker = Maker::new(site, static_files);
    let urls = Urls::new(&site.config);
    let mut tally = Tally::default();
    let mut problems = crate::diagnostics::Diagnostics::default();
    let briefs: Vec<usize> = (0..site.briefs.len()).collect();
    // Typst memoizes layouts process-wide; each brief is a new document, so what it kept is
    // dropped between chunks rather than held for the whole site.
    for chunk in briefs.chunks(128) {
        let results: Vec<Outcome> = chunk
            .par_iter()
            .map(|&b| {
                let made = maker.make(b);
                let written = match &made {
                    Ok(made) => write(
                        &output_path(&urls, &site.briefs[b].loaded.slug),
                        &made.bytes,
                    ),
                    Err(_) => Ok(()),
                };
                (b, made, written)
            })
            .collect();
        comemo::evict(0);
        for (b, made, written) in results {
            let path = &site.briefs[b].loaded.path;
            match made {
                Ok(made) => {
                    warn(path, &made.warnings);
                    if made.cached {
                        tally.cached += 1;
                    } else {
                        tally.typeset += 1;
                    }
                }
                Err(message) => warn(path, &[message]),
            }
            if let Err(problem) = written {
                problems.push(problem);
            }
        }
    }
    maker.finish();
    problems.into_result(tally)
}
