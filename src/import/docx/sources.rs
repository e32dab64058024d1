//! Citation fields' CSL-JSON becomes dossier sources: each distinct item once, with a readable,
//! stable id (`haggard-2017-hard-target`). An item the site already defines (front matter of
//! other briefs, bibliography files) keeps the id it has there; a different item whose readable
//! id is taken gets a suffix (`-2`).

use std::collections::HashMap;
use std::path::Path;

use serde::Deserialize;
use serde_json::{Map, Value};

use super::model::{Citation, CiteItem};
use crate::cite::Source;
use crate::cite::markers;

/// The citation fields of one document and the distinct items they cite.
#[derive(Debug, Default)]
pub(super) struct Collector {
    /// Distinct items, with an empty id until ids are assigned.
    pub sources: Vec<Source>,
    by_content: HashMap<String, usize>,
    pub citations: Vec<Citation>,
    /// Fields of items that could not be read and were left out.
    pub dropped_fields: Vec<String>,
}

#[derive(Deserialize)]
struct CslCitation {
    #[serde(rename = "citationItems", default)]
    items: Vec<CslItem>,
}

#[derive(Deserialize)]
struct CslItem {
    #[serde(rename = "itemData")]
    item_data: Option<Value>,
    #[serde(default)]
    locator: Option<Value>,
    #[serde(default)]
    label: Option<String>,
    #[serde(default)]
    prefix: Option<String>,
    #[serde(default)]
    suffix: Option<String>,
    #[serde(rename = "suppress-author", default)]
    suppress_author: Option<Value>,
}

/// Name variables of CSL-JSON.
const NAME_FIELDS: &[&str] = &[
    "author",
    "editor",
    "translator",
    "container-author",
    "collection-editor",
    "composer",
    "director",
    "editorial-director",
    "interviewer",
    "illustrator",
    "original-author",
    "recipient",
    "reviewed-author",
    "chair",
    "compiler",
    "contributor",
    "curator",
    "executive-producer",
    "guest",
    "host",
    "narrator",
    "organizer",
    "performer",
    "producer",
    "script-writer",
    "series-creator",
];

impl Collector {
    /// Reads a citation field's JSON; returns the citation's index, or why it cannot be read.
    pub(super) fn add(&mut self, json: &str) -> Result<usize, String> {
        if json.is_empty() {
            return Err("a citation field holds no citation data".to_owned());
        }
        let citation: CslCitation = serde_json::from_str(json)
            .map_err(|err| format!("a citation field's data is not valid JSON ({err})"))?;
        if citation.items.is_empty() {
            return Err("a citation field cites no items".to_owned());
        }
        let mut items = Vec::with_capacity(citation.items.len());
        for item in citation.items {
            let Some(Value::Object(data)) = item.item_data else {
                return Err("a citation field has an item without its data (itemData)".to_owned());
            };
            let source = self.source(data);
            let key = content_key_of(&source);
            let next = self.sources.len();
            let index = *self.by_content.entry(key).or_insert(next);
            if index == next {
                self.sources.push(source);
            }
            let locator = match item.locator {
                Some(Value::String(s)) if !s.trim().is_empty() => Some(s.trim().to_owned()),
                Some(Value::Number(n)) => Some(n.to_string()),
                _ => None,
            };
            let label = item
                .label
                .filter(|l| !l.trim().is_empty())
                .unwrap_or_else(|| "page".to_owned());
            items.push(CiteItem {
                source: index,
                prefix: item.prefix.unwrap_or_default(),
                suffix: item.suffix.unwrap_or_default(),
                locator: locator.map(|l| (label, l)),
                suppress_author: match item.suppress_author {
                    Some(Value::Bool(b)) => b,
                    Some(Value::Number(n)) => n.as_i64() == Some(1),
                    Some(Value::String(s)) => s == "true" || s == "1",
                    _ => false,
                },
            });
        }
        self.citations.push(Citation { items });
        Ok(self.citations.len() - 1)
    }

    /// An item's CSL-JSON as a source: empty values and the plugin's own ids left out, name
    /// particles folded in; a field that cannot be read is dropped (and reported).
    fn source(&mut self, mut data: Map<String, Value>) -> Source {
        clean(&mut data);
        data.insert("id".into(), Value::String(String::new()));
        if let Ok(source) = serde_json::from_value::<Source>(Value::Object(data.clone())) {
            return source;
        }
        let keys: Vec<String> = data.keys().filter(|k| *k != "id").cloned().collect();
        for key in keys {
            let mut probe = Map::new();
            probe.insert("id".into(), Value::String(String::new()));
            probe.insert(key.clone(), data[&key].clone());
            if serde_json::from_value::<Source>(Value::Object(probe)).is_err() {
                let value = data.remove(&key).unwrap_or_default();
                self.dropped_fields.push(format!("{key} = {value}"));
            }
        }
        serde_json::from_value::<Source>(Value::Object(data))
            .unwrap_or_else(|_| Source::untitled(""))
    }
}

fn clean(data: &mut Map<String, Value>) {
    data.remove("id");
    data.retain(|_, v| !is_empty(v));
    for field in NAME_FIELDS {
        if let Some(Value::Array(names)) = data.get_mut(*field) {
            for name in names.iter_mut() {
                if let Value::Object(name) = name {
                    clean_name(name);
                }
            }
            names.retain(|n| n.as_object().is_some_and(|n| !n.is_empty()));
        }
    }
    data.retain(|_, v| !is_empty(v));
}

fn clean_name(name: &mut Map<String, Value>) {
    name.remove("parse-names");
    name.retain(|_, v| !is_empty(v));
    // "Ludwig" + "van" + "Beethoven": the dropping particle is shown with the given name.
    if let Some(Value::String(particle)) = name.remove("dropping-particle") {
        let given = match name.get("given") {
            Some(Value::String(given)) => format!("{given} {particle}"),
            _ => particle,
        };
        name.insert("given".into(), Value::String(given));
    }
}

fn is_empty(value: &Value) -> bool {
    match value {
        Value::Null => true,
        Value::String(s) => s.trim().is_empty(),
        Value::Array(a) => a.is_empty(),
        Value::Object(o) => o.is_empty(),
        _ => false,
    }
}

/// Where an id is already defined on the site.
#[derive(Debug, Clone)]
pub(super) struct Defined {
    pub place: String,
}

/// Every source the site defines, looked up by id, by content and by identity (DOI, or type,
/// title, year and first author).
#[derive(Debug, Default)]
pub(super) struct Registry {
    by_id: HashMap<String, Defined>,
    by_content: HashMap<String, String>,
    by_identity: HashMap<String, String>,
}

/// What became of an item.
#[derive(Debug, Clone)]
pub(super) struct Assigned {
    pub id: String,
    /// Defined elsewhere on the site with this content: where.
    pub reused: Option<String>,
    /// The site's definition differs in details: the brief must not define it again.
    pub define_here: bool,
}

impl Registry {
    pub(super) fn define(&mut self, source: &Source, place: &str) {
        if self.by_id.contains_key(&source.id) {
            return;
        }
        self.by_content
            .entry(content_key(source))
            .or_insert_with(|| source.id.clone());
        for key in identity_keys(source) {
            self.by_identity
                .entry(key)
                .or_insert_with(|| source.id.clone());
        }
        self.by_id.insert(
            source.id.clone(),
            Defined {
                place: place.to_owned(),
            },
        );
    }

    /// The id an item of a new brief gets.
    pub(super) fn assign(&mut self, source: &Source, place: &str) -> Assigned {
        if let Some(id) = self.by_content.get(&content_key(source)) {
            let defined = &self.by_id[id];
            return Assigned {
                id: id.clone(),
                reused: Some(defined.place.clone()),
                define_here: true,
            };
        }
        if let Some(id) = identity_keys(source)
            .iter()
            .find_map(|key| self.by_identity.get(key))
        {
            let defined = &self.by_id[id];
            return Assigned {
                id: id.clone(),
                reused: Some(defined.place.clone()),
                define_here: false,
            };
        }
        let base = readable_id(source);
        let mut id = base.clone();
        let mut n = 2;
        while self.by_id.contains_key(&id) {
            id = format!("{base}-{n}");
            n += 1;
        }
        let mut named = source.clone();
        named.id = id.clone();
        self.define(&named, place);
        Assigned {
            id,
            reused: None,
            define_here: true,
        }
    }
}

fn content_key(source: &Source) -> String {
    let mut source = source.clone();
    source.id.clear();
    content_key_of(&source)
}

/// A source as its JSON text, which tells sources apart by content (a failure would make every
/// source the same).
fn content_key_of(source: &Source) -> String {
    serde_json::to_string(source).expect("a source serializes: its maps have string keys")
}

fn simple(text: &str) -> String {
    text.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// Keys that say two records are the same work: the DOI; else type, title, year and the first
/// author's family name.
fn identity_keys(source: &Source) -> Vec<String> {
    let mut keys = Vec::new();
    if let Some(doi) = &source.doi {
        let doi = doi.trim().to_lowercase();
        let doi = doi
            .trim_start_matches("https://doi.org/")
            .trim_start_matches("http://dx.doi.org/")
            .trim_start_matches("doi:");
        keys.push(format!("doi:{doi}"));
    }
    if let Some(title) = &source.title {
        let first = source
            .author
            .first()
            .map(|n| simple(&n.short()))
            .unwrap_or_default();
        let year = source.issued.as_ref().and_then(|d| d.year()).unwrap_or(0);
        keys.push(format!("{}|{}|{year}|{first}", source.kind, simple(title)));
    }
    keys
}

const STOP_WORDS: &[&str] = &[
    "a", "an", "the", "of", "on", "in", "and", "for", "to", "at", "by", "with", "from", "or", "as",
    "into", "its", "is", "are", "be",
];

/// `haggard-2017-hard-target`: the first author's family name (or an organization's name),
/// the year and the title's first two significant words.
pub(super) fn readable_id(source: &Source) -> String {
    let mut parts: Vec<String> = Vec::new();
    let who = source.author.first().or_else(|| source.editor.first());
    if let Some(name) = who {
        let text = name
            .family
            .clone()
            .or_else(|| name.literal.clone())
            .unwrap_or_else(|| name.display());
        let words: Vec<String> = slug::slugify(text)
            .split('-')
            .filter(|w| !w.is_empty())
            .take(3)
            .map(str::to_owned)
            .collect();
        if !words.is_empty() {
            parts.push(words.join("-"));
        }
    }
    if let Some(year) = source.issued.as_ref().and_then(|d| d.year()) {
        parts.push(year.to_string());
    }
    if let Some(title) = &source.title {
        let words: Vec<String> = slug::slugify(title)
            .split('-')
            .filter(|w| !w.is_empty() && !STOP_WORDS.contains(w))
            .take(2)
            .map(str::to_owned)
            .collect();
        if !words.is_empty() {
            parts.push(words.join("-"));
        }
    }
    let id = parts.join("-");
    let id: String = id.chars().take(60).collect();
    let id = id.trim_end_matches('-').to_owned();
    if id.is_empty() {
        "source".to_owned()
    } else {
        id
    }
}

/// The site's sources: bibliography files of site.toml and every brief's front matter and
/// bibliography files, read with dossier's own loaders. Problems there are not the importer's
/// to report (the build reports them), so an unreadable file is skipped.
pub(super) fn site_registry(root: &Path, config: &crate::config::SiteConfig) -> Registry {
    let mut registry = Registry::default();
    let load_file = |registry: &mut Registry, path: &Path| {
        let shown = crate::diagnostics::display_path(root, path);
        if let Ok(sources) = crate::cite::bibliography::load(path, &shown) {
            for (source, _) in sources {
                registry.define(&source, &shown.display().to_string());
            }
        }
    };
    for file in &config.citations.bibliography {
        load_file(&mut registry, &root.join(file));
    }
    let mut fronts = front_matters(root);
    fronts.sort_by(|a, b| a.0.cmp(&b.0));
    for (path, front) in &fronts {
        let place = path.display().to_string();
        for source in &front.citations {
            registry.define(source, &place);
        }
        let folder = root.join(path);
        let folder = folder.parent().unwrap_or(root);
        for file in &front.bibliography {
            load_file(&mut registry, &folder.join(file));
        }
    }
    registry
}

/// The front matter of every brief (only that: the bodies are not rendered), read in parallel
/// with the loader's own reading and parsing; a brief that does not load is skipped.
fn front_matters(root: &Path) -> Vec<(std::path::PathBuf, crate::load::FrontMatter)> {
    use rayon::prelude::*;
    let files: Vec<std::path::PathBuf> = walkdir::WalkDir::new(root.join("briefs"))
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'))
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "md") && !e.file_type().is_dir())
        .map(walkdir::DirEntry::into_path)
        .collect();
    files
        .par_iter()
        .filter_map(|path| {
            let text = crate::load::read_site_text(root, path).ok()?;
            let split = crate::load::front_matter::split(&text).ok()?;
            let front = crate::load::front_matter::parse(&text, &split).ok()?;
            Some((crate::diagnostics::display_path(root, path), front))
        })
        .collect()
}

/// Abbreviations dossier's citation syntax reads as locator terms, by CSL locator type.
const TERMS: &[(&str, &str)] = &[
    ("page", "p."),
    ("paragraph", "para."),
    ("section", "sec."),
    ("chapter", "chap."),
    ("volume", "vol."),
    ("figure", "fig."),
    ("note", "n."),
    ("line", "l."),
    ("part", "pt."),
    ("issue", "no."),
    ("article", "art."),
    ("article-locator", "art."),
    ("appendix", "app."),
    ("sub verbo", "s.v."),
    ("sub-verbo", "s.v."),
];

/// Locator types the syntax has no term for: written out after the citation, as the style would.
const WORDS: &[(&str, &str)] = &[
    ("book", "bk."),
    ("column", "col."),
    ("folio", "fol."),
    ("opus", "op."),
    ("verse", "v."),
    ("canon", "canon"),
    ("equation", "eq."),
    ("rule", "r."),
    ("scene", "sc."),
    ("table", "tbl."),
    ("timestamp", ""),
    ("title-locator", "tit."),
    ("supplement", "supp."),
    ("elocation", ""),
    ("act", "act"),
];

/// Text of a prefix or suffix, made safe inside a citation bracket.
fn bracket_text(text: &str) -> String {
    let plain = strip_tags(text);
    plain
        .replace(['[', ']'], "")
        .replace(';', ",")
        .replace('@', "(at)")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Zotero's prefixes and suffixes may hold `<i>` and `<b>`: their text is kept.
fn strip_tags(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut in_tag = false;
    for c in text.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    out
}

/// `@id`, or `@{id}` when the id is not a plain Pandoc key.
fn key(id: &str) -> String {
    let plain = format!("@{id}");
    match markers::parse_group(&plain) {
        Some(items) if items.len() == 1 && items[0].id == id => plain,
        _ => format!("@{{{id}}}"),
    }
}

/// The Pandoc marker of a citation: `[see @id, p. 12 and passim; -@other]`.
pub(super) fn marker(items: &[&CiteItem], ids: &[String]) -> String {
    let parts: Vec<String> = items
        .iter()
        .map(|item| {
            let mut text = String::new();
            let prefix = bracket_text(&item.prefix);
            if !prefix.is_empty() {
                text.push_str(&prefix);
                text.push(' ');
            }
            if item.suppress_author {
                text.push('-');
            }
            text.push_str(&key(&ids[item.source]));
            let mut after = Vec::new();
            if let Some((label, value)) = &item.locator {
                let value = bracket_text(value);
                let label = label.to_lowercase();
                match TERMS.iter().chain(WORDS).find(|(l, _)| *l == label) {
                    Some((_, term)) if !term.is_empty() => after.push(format!("{term} {value}")),
                    _ => after.push(value),
                }
            }
            let suffix = bracket_text(&item.suffix);
            let suffix = suffix.trim_start_matches([',', ' ']);
            if !suffix.is_empty() {
                after.push(suffix.to_owned());
            }
            if !after.is_empty() {
                text.push_str(", ");
                text.push_str(&after.join(" "));
            }
            text
        })
        .collect();
    format!("[{}]", parts.join("; "))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn source(json: &str) -> Source {
        let mut collector = Collector::default();
        let data: Map<String, Value> = serde_json::from_str(json).unwrap();
        collector.source(data)
    }

    #[test]
    fn readable_ids() {
        let s = source(
            r#"{"id": 7, "type": "book", "title": "Hard Target: Sanctions, Inducements, and the Case of North Korea",
            "author": [{"family": "Haggard", "given": "Stephan"}, {"family": "Noland", "given": "Marcus"}],
            "issued": {"date-parts": [["2017"]]}}"#,
        );
        assert_eq!(readable_id(&s), "haggard-2017-hard-target");
        let s = source(
            r#"{"type": "report", "title": "The Annual Report", "author": [{"literal": "United Nations Security Council"}]}"#,
        );
        assert_eq!(readable_id(&s), "united-nations-security-annual-report");
    }

    #[test]
    fn mendeley_names_are_cleaned() {
        let s = source(
            r#"{"type": "book", "title": "T", "author": [{"dropping-particle": "van", "family": "Beethoven", "given": "Ludwig", "non-dropping-particle": "", "parse-names": false, "suffix": ""}]}"#,
        );
        assert_eq!(s.author[0].given.as_deref(), Some("Ludwig van"));
        assert_eq!(s.author[0].suffix, None);
    }

    #[test]
    fn markers_keep_prefix_locator_suffix_and_suppression() {
        let item = |locator: Option<(&str, &str)>, suppress| CiteItem {
            source: 0,
            prefix: "see".into(),
            suffix: "and passim".into(),
            locator: locator.map(|(l, v)| (l.to_owned(), v.to_owned())),
            suppress_author: suppress,
        };
        let ids = vec!["a-2017-x".to_owned()];
        let a = item(Some(("page", "12")), false);
        assert_eq!(marker(&[&a], &ids), "[see @a-2017-x, p. 12 and passim]");
        let b = item(Some(("paragraph", "4")), true);
        assert_eq!(marker(&[&b], &ids), "[see -@a-2017-x, para. 4 and passim]");
        let parsed = markers::parse_group("see -@a-2017-x, para. 4 and passim").unwrap();
        assert!(parsed[0].suppress_author);
        assert_eq!(parsed[0].locator.as_ref().unwrap().kind, "paragraph");
        assert_eq!(parsed[0].suffix, "and passim");
    }
}
