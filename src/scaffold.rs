//! What every command that writes a new brief into a site shares (`dossier new` and the Word
//! importer): its options, the checks before a file is written (a known author, a free slug) and
//! the quoting of front-matter values. Kept below `commands` and `import` so that neither depends
//! on the other.

use std::path::{Path, PathBuf};

use crate::config::SiteConfig;
use crate::diagnostics::{Diagnostic, nearest};

/// The options of a command that writes new briefs.
#[derive(Debug, clap::Args)]
pub struct BriefOptions {
    /// An author's slug from site.toml (repeat for co-authors).
    #[arg(long = "author")]
    pub authors: Vec<String>,
    /// The brief's category.
    #[arg(long)]
    pub category: Option<String>,
    /// Write the front matter in YAML (between `---` lines) instead of TOML.
    #[arg(long)]
    pub yaml: bool,
    /// The site's folder, holding site.toml and briefs/.
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
}

/// An author that site.toml does not declare, with the nearest author's slug.
pub(crate) fn unknown_author(config: &SiteConfig, slug: &str) -> Diagnostic {
    let hint = match nearest(slug, config.authors.keys().map(String::as_str)) {
        Some(best) => format!("did you mean `{best}`?"),
        None if config.authors.is_empty() => {
            format!("declare the author in site.toml as [authors.{slug}] with at least a name")
        }
        None => format!(
            "the authors in site.toml are: {}",
            config
                .authors
                .keys()
                .map(String::as_str)
                .collect::<Vec<_>>()
                .join(", ")
        ),
    };
    Diagnostic::new(format!("unknown author `{slug}`"))
        .in_file("site.toml")
        .with_hint(hint)
}

/// A brief file under `briefs` whose file name gives the same slug.
pub(crate) fn same_slug(briefs: &Path, slug: &str) -> Option<PathBuf> {
    walkdir::WalkDir::new(briefs)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(walkdir::DirEntry::into_path)
        .find(|p| {
            p.extension().is_some_and(|e| e == "md")
                && p.file_stem()
                    .is_some_and(|s| slug::slugify(s.to_string_lossy()) == slug)
        })
}

/// `text` as a TOML string.
pub(crate) fn toml_string(text: &str) -> String {
    toml::Value::String(text.to_owned()).to_string()
}

/// `text` as a YAML double-quoted scalar (which a JSON string is).
pub(crate) fn yaml_string(text: &str) -> String {
    serde_json::to_string(text).expect("a string always serializes to JSON")
}
