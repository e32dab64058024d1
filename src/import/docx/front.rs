//! The imported brief's front matter: from the document's properties (title, authors, keywords,
//! description, a publication date) and the command's options, in TOML or YAML, with the cited
//! sources in CSL-JSON field names.

use std::fmt::Write as _;

use serde_json::Value;

use super::package::{Package, parse_xml};
use super::xml::{attr, text_of};
use crate::cite::Source;
use crate::config::SiteConfig;
use crate::diagnostics::{Diagnostic, Diagnostics, nearest};
use crate::scaffold::{toml_string, yaml_string};

/// What the document's properties say (File > Info in Word).
#[derive(Debug, Default)]
pub(super) struct Properties {
    pub title: Option<String>,
    pub creators: Vec<String>,
    pub keywords: Vec<String>,
    pub description: Option<String>,
    /// A publication date (`YYYY-MM-DD`): a custom property, or the cover page's.
    pub date: Option<String>,
}

/// Custom property names taken as the publication date.
const DATE_NAMES: &[&str] = &[
    "date",
    "publication date",
    "publish date",
    "publishdate",
    "date published",
    "published",
];

impl Properties {
    /// Reads docProps/core.xml, docProps/custom.xml and the cover page's properties. They are
    /// optional: one that cannot be read is left out.
    pub(super) fn read(package: &mut Package) -> Properties {
        let mut props = Properties::default();
        if let Ok(Some(text)) = package.xml("docProps/core.xml")
            && let Ok(doc) = parse_xml(&text, "docProps/core.xml")
        {
            let field = |name: &str| {
                doc.root_element()
                    .children()
                    .find(|n| n.tag_name().name() == name)
                    .map(text_of)
                    .map(|t| t.split_whitespace().collect::<Vec<_>>().join(" "))
                    .filter(|t| !t.is_empty())
            };
            props.title = field("title");
            props.description = field("description");
            props.creators = field("creator")
                .map(|c| {
                    c.split(';')
                        .map(|s| s.trim().to_owned())
                        .filter(|s| !s.is_empty())
                        .collect()
                })
                .unwrap_or_default();
            props.keywords = field("keywords")
                .map(|k| {
                    k.split([',', ';'])
                        .map(|s| s.trim().to_owned())
                        .filter(|s| !s.is_empty())
                        .collect()
                })
                .unwrap_or_default();
        }
        if let Ok(Some(text)) = package.xml("docProps/custom.xml")
            && let Ok(doc) = parse_xml(&text, "docProps/custom.xml")
        {
            props.date = doc
                .root_element()
                .children()
                .filter(|n| n.tag_name().name() == "property")
                .filter(|n| {
                    attr(*n, "name")
                        .is_some_and(|name| DATE_NAMES.contains(&name.to_lowercase().as_str()))
                })
                .find_map(|n| date_of(&text_of(n)));
        }
        if props.date.is_none() {
            let items: Vec<String> = package
                .names()
                .into_iter()
                .filter(|n| n.starts_with("customXml/item") && n.ends_with(".xml"))
                .collect();
            for name in items {
                if let Ok(Some(text)) = package.xml(&name)
                    && text.contains("coverPageProps")
                    && let Ok(doc) = parse_xml(&text, &name)
                {
                    props.date = doc
                        .descendants()
                        .find(|n| n.tag_name().name() == "PublishDate")
                        .and_then(|n| date_of(&text_of(n)));
                    break;
                }
            }
        }
        props
    }
}

/// The calendar date at the start of `text` (`2023-03-14`, `2023-03-14T00:00:00Z`).
fn date_of(text: &str) -> Option<String> {
    let text = text.trim();
    let date: jiff::civil::Date = text.get(..10)?.parse().ok()?;
    (date.year() >= 1).then(|| date.to_string())
}

fn normalized(name: &str) -> String {
    name.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// `--author` values: slugs of site.toml, or authors' names there. A value that is neither is
/// an error naming the nearest author.
pub(super) fn authors_from_args(
    config: &SiteConfig,
    values: &[String],
) -> Result<Option<Vec<String>>, Diagnostics> {
    if values.is_empty() {
        return Ok(None);
    }
    let mut problems = Diagnostics::default();
    let mut slugs = Vec::new();
    for value in values {
        if config.authors.contains_key(value) {
            slugs.push(value.clone());
        } else if let Some((slug, _)) = config
            .authors
            .iter()
            .find(|(_, a)| normalized(&a.name) == normalized(value))
        {
            slugs.push(slug.clone());
        } else {
            problems.push(crate::scaffold::unknown_author(config, value));
        }
    }
    problems.into_result(Some(slugs))
}

/// The document's authors matched by name against site.toml; the names that match nobody come
/// back as warnings naming the nearest author.
pub(super) fn authors_from_names(
    config: &SiteConfig,
    names: &[String],
) -> (Vec<String>, Vec<Diagnostic>) {
    let mut slugs = Vec::new();
    let mut notes = Vec::new();
    for name in names {
        let found = config
            .authors
            .iter()
            .find(|(_, a)| normalized(&a.name) == normalized(name));
        match found {
            Some((slug, _)) => {
                if !slugs.contains(slug) {
                    slugs.push(slug.clone());
                }
            }
            None => {
                let by_name: Vec<(&str, &str)> = config
                    .authors
                    .iter()
                    .map(|(slug, a)| (a.name.as_str(), slug.as_str()))
                    .collect();
                let near = nearest(name, by_name.iter().map(|(n, _)| *n))
                    .and_then(|n| by_name.iter().find(|(m, _)| *m == n));
                let warning = Diagnostic::warning(format!(
                    "the document's author `{name}` is not in site.toml"
                ));
                notes.push(match near {
                    Some((n, slug)) => warning.with_hint(format!(
                        "nearest: {n} (`{slug}`); set it with --author {slug}"
                    )),
                    None => warning.with_hint(
                        "add them to site.toml as [authors.<slug>], or name an author with --author",
                    ),
                });
            }
        }
    }
    (slugs, notes)
}

pub(super) struct Meta<'a> {
    pub title: &'a str,
    pub date: String,
    pub authors: &'a [String],
    pub category: Option<&'a str>,
    pub tags: &'a [String],
    pub summary: Option<&'a str>,
    pub citations: &'a [Source],
}

/// A source's fields in a readable order: id, type and title first, the rest alphabetical.
fn fields(source: &Source) -> Vec<(String, Value)> {
    let Ok(Value::Object(map)) = serde_json::to_value(source) else {
        return Vec::new();
    };
    let rank = |k: &str| match k {
        "id" => 0,
        "type" => 1,
        "title" => 2,
        _ => 3,
    };
    let mut fields: Vec<(String, Value)> = map.into_iter().filter(|(_, v)| !v.is_null()).collect();
    fields.sort_by(|a, b| (rank(&a.0), &a.0).cmp(&(rank(&b.0), &b.0)));
    fields
}

fn toml_key(key: &str) -> String {
    if !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    {
        key.to_owned()
    } else {
        toml_string(key)
    }
}

fn toml_value(value: &Value) -> String {
    match value {
        Value::Null => "\"\"".to_owned(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        Value::String(s) => toml_string(s),
        Value::Array(items) => {
            let items: Vec<String> = items
                .iter()
                .filter(|v| !v.is_null())
                .map(toml_value)
                .collect();
            format!("[{}]", items.join(", "))
        }
        Value::Object(map) => {
            let pairs: Vec<String> = map
                .iter()
                .filter(|(_, v)| !v.is_null())
                .map(|(k, v)| format!("{} = {}", toml_key(k), toml_value(v)))
                .collect();
            format!("{{ {} }}", pairs.join(", "))
        }
    }
}

const DRAFT_NOTE: &str =
    "Imported from Word: review the brief, then set draft to false to publish it.";

pub(super) fn toml(meta: &Meta<'_>, body: &str) -> String {
    let mut out = String::from("+++\n");
    let _ = writeln!(out, "title = {}", toml_string(meta.title));
    let _ = writeln!(out, "date = {}", meta.date);
    let authors: Vec<String> = meta.authors.iter().map(|a| toml_string(a)).collect();
    let _ = writeln!(out, "authors = [{}]", authors.join(", "));
    if let Some(category) = meta.category {
        let _ = writeln!(out, "category = {}", toml_string(category));
    }
    if !meta.tags.is_empty() {
        let tags: Vec<String> = meta.tags.iter().map(|t| toml_string(t)).collect();
        let _ = writeln!(out, "tags = [{}]", tags.join(", "));
    }
    if let Some(summary) = meta.summary {
        let _ = writeln!(out, "summary = {}", toml_string(summary));
    }
    let _ = writeln!(out, "# {DRAFT_NOTE}\ndraft = true");
    for source in meta.citations {
        out.push_str("\n[[citations]]\n");
        for (key, value) in fields(source) {
            let _ = writeln!(out, "{} = {}", toml_key(&key), toml_value(&value));
        }
    }
    out.push_str("+++\n\n");
    out.push_str(body);
    out
}

fn json_flow(source: &Source) -> String {
    let pairs: Vec<String> = fields(source)
        .iter()
        .map(|(k, v)| {
            format!(
                "{}: {}",
                yaml_string(k),
                serde_json::to_string(v).expect("a JSON value always serializes")
            )
        })
        .collect();
    format!("{{{}}}", pairs.join(", "))
}

pub(super) fn yaml(meta: &Meta<'_>, body: &str) -> String {
    // JSON strings and objects are valid YAML flow scalars and mappings.
    let mut out = String::from("---\n");
    let _ = writeln!(out, "title: {}", yaml_string(meta.title));
    let _ = writeln!(out, "date: {}", meta.date);
    let authors: Vec<String> = meta.authors.iter().map(|a| yaml_string(a)).collect();
    let _ = writeln!(out, "authors: [{}]", authors.join(", "));
    if let Some(category) = meta.category {
        let _ = writeln!(out, "category: {}", yaml_string(category));
    }
    if !meta.tags.is_empty() {
        let tags: Vec<String> = meta.tags.iter().map(|t| yaml_string(t)).collect();
        let _ = writeln!(out, "tags: [{}]", tags.join(", "));
    }
    if let Some(summary) = meta.summary {
        let _ = writeln!(out, "summary: {}", yaml_string(summary));
    }
    let _ = writeln!(out, "# {DRAFT_NOTE}\ndraft: true");
    if !meta.citations.is_empty() {
        out.push_str("citations:\n");
        for source in meta.citations {
            let _ = writeln!(out, "  - {}", json_flow(source));
        }
    }
    out.push_str("---\n\n");
    out.push_str(body);
    out
}
