//! Where the keys and values of a TOML or YAML document (front matter, site.toml) are written,
//! from the parsers' own spans: TOML's `DeTable` (every key and value with its byte span) and
//! serde-saphyr's `Spanned`. A problem found after parsing (an unknown author, a reserved slug, a
//! bad URL) points at what it is about, also where a search of the text would go wrong: a key of
//! the same name in another table or nested before the top-level one, a quoted key, a value in a
//! flow mapping. Only such a problem reads the document again for its spans: a build without
//! problems never does.

use serde::de::{Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};

/// A key or value and where it starts: a byte offset in the front-matter block.
#[derive(Debug)]
struct Located {
    at: Option<usize>,
    value: Value,
}

#[derive(Debug)]
enum Value {
    Text(String),
    List(Vec<Located>),
    /// Keys and values, in the order written.
    Table(Vec<(Located, Located)>),
    /// A number, a boolean, a date: never searched for.
    Other,
}

/// A parsed document's keys and values, with their places.
#[derive(Debug)]
pub(crate) struct Document(Located);

impl Document {
    /// `None` if `text` is not TOML (a document that loaded is).
    pub(crate) fn toml(text: &str) -> Option<Document> {
        let table = toml::de::DeTable::parse(text).ok()?;
        let at = table.span().start;
        let value = toml_value(toml::de::DeValue::Table(table.into_inner()));
        Some(Document(Located {
            at: Some(at),
            value,
        }))
    }

    /// `None` if `text` is not YAML.
    pub(crate) fn yaml(text: &str) -> Option<Document> {
        let node = serde_saphyr::from_str::<SpannedNode>(text).ok()?;
        Some(Document(yaml_located(node)))
    }

    /// The key and value at `path`: table keys, and list indexes as numbers (`["menu", "main",
    /// "0", "url"]`).
    fn entry(&self, path: &[&str]) -> Option<(Option<usize>, &Located)> {
        let mut key = None;
        let mut here = &self.0;
        for step in path {
            (key, here) = match &here.value {
                Value::Table(entries) => entries
                    .iter()
                    .find(|(k, _)| matches!(&k.value, Value::Text(k) if k == step))
                    .map(|(k, v)| (k.at, v))?,
                Value::List(items) => (key, items.get(step.parse::<usize>().ok()?)?),
                _ => return None,
            };
        }
        Some((key, here))
    }

    /// Where the key at the end of `path` is written.
    pub(crate) fn key(&self, path: &[&str]) -> Option<usize> {
        self.entry(path)?.0
    }

    /// Where `text` is written as the value at `path`, or as an item of it (in nested lists and
    /// tables too); the first character inside quotes for a quoted value. `source` is the
    /// document's text.
    pub(crate) fn value(&self, source: &str, path: &[&str], text: &str) -> Option<usize> {
        let (_, value) = self.entry(path)?;
        let at = find(value, &|t| t == text).or_else(|| find(value, &|t| t.contains(text)))?;
        Some(after_quote(source, at))
    }
}

/// The place of the first text in `located` (depth first) that `wanted` accepts.
fn find(located: &Located, wanted: &dyn Fn(&str) -> bool) -> Option<usize> {
    match &located.value {
        Value::Text(text) if wanted(text) => located.at,
        Value::List(items) => items.iter().find_map(|item| find(item, wanted)),
        Value::Table(entries) => entries.iter().find_map(|(_, value)| find(value, wanted)),
        _ => None,
    }
}

/// Past the opening quote (or triple quote) of a quoted value, so that the column is its text's.
fn after_quote(front: &str, at: usize) -> usize {
    let rest = front.get(at..).unwrap_or_default();
    match rest.as_bytes().first() {
        Some(b'"' | b'\'') if rest.starts_with("\"\"\"") || rest.starts_with("'''") => at + 3,
        Some(b'"' | b'\'') => at + 1,
        _ => at,
    }
}

fn toml_value(value: toml::de::DeValue<'_>) -> Value {
    use toml::de::DeValue;
    let located = |spanned: toml::Spanned<DeValue<'_>>| Located {
        at: Some(spanned.span().start),
        value: toml_value(spanned.into_inner()),
    };
    match value {
        DeValue::String(text) => Value::Text(text.into_owned()),
        DeValue::Array(items) => Value::List(items.into_iter().map(located).collect()),
        DeValue::Table(table) => Value::Table(
            table
                .into_iter()
                .map(|(key, value)| {
                    let key = Located {
                        at: Some(key.span().start),
                        value: Value::Text(key.into_inner().into_owned()),
                    };
                    (key, located(value))
                })
                .collect(),
        ),
        _ => Value::Other,
    }
}

/// A YAML node read through serde-saphyr, whose children carry their locations.
struct Node(Value);

type SpannedNode = serde_saphyr::Spanned<Node>;

fn yaml_located(spanned: SpannedNode) -> Located {
    let at = spanned
        .referenced
        .span()
        .byte_offset()
        .and_then(|at| usize::try_from(at).ok());
    Located {
        at,
        value: spanned.value.0,
    }
}

impl<'de> Deserialize<'de> for Node {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(NodeVisitor)
    }
}

struct NodeVisitor;

impl<'de> Visitor<'de> for NodeVisitor {
    type Value = Node;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a YAML value")
    }

    fn visit_str<E>(self, text: &str) -> Result<Node, E> {
        Ok(Node(Value::Text(text.to_owned())))
    }

    fn visit_bool<E>(self, _: bool) -> Result<Node, E> {
        Ok(Node(Value::Other))
    }

    fn visit_i64<E>(self, _: i64) -> Result<Node, E> {
        Ok(Node(Value::Other))
    }

    fn visit_u64<E>(self, _: u64) -> Result<Node, E> {
        Ok(Node(Value::Other))
    }

    fn visit_f64<E>(self, _: f64) -> Result<Node, E> {
        Ok(Node(Value::Other))
    }

    fn visit_unit<E>(self) -> Result<Node, E> {
        Ok(Node(Value::Other))
    }

    fn visit_none<E>(self) -> Result<Node, E> {
        Ok(Node(Value::Other))
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Node, D::Error> {
        Node::deserialize(deserializer)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Node, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element::<SpannedNode>()? {
            items.push(yaml_located(item));
        }
        Ok(Node(Value::List(items)))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Node, A::Error> {
        let mut entries = Vec::new();
        while let Some((key, value)) = map.next_entry::<SpannedNode, SpannedNode>()? {
            entries.push((yaml_located(key), yaml_located(value)));
        }
        Ok(Node(Value::Table(entries)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn toml_keys_and_values() {
        let text = "title = \"A\"\n\"slug\" = 'b'\nauthors = [\"x\", \"yz\"]\n[extra]\nslug = 1\n";
        let doc = Document::toml(text).unwrap();
        assert_eq!(doc.key(&["title"]), Some(0));
        assert_eq!(doc.key(&["slug"]), text.find("\"slug\""));
        assert_eq!(doc.key(&["extra", "slug"]), text.rfind("slug"));
        assert_eq!(doc.value(text, &["slug"], "b"), text.find('b'));
        assert_eq!(doc.value(text, &["authors"], "yz"), text.find("yz"));
        assert_eq!(doc.key(&["date"]), None);
    }

    #[test]
    fn toml_tables_and_arrays_of_tables() {
        let text = "[[menu.main]]\nname = 'A'\nurl = 'x'\n[[menu.main]]\nname = 'B'\nurl = 'y'\n";
        let doc = Document::toml(text).unwrap();
        assert_eq!(doc.key(&["menu", "main", "1", "url"]), text.rfind("url"));
        assert_eq!(
            doc.value(text, &["menu", "main", "1"], "y"),
            text.rfind('y')
        );
    }

    #[test]
    fn yaml_top_level_keys_not_nested_ones() {
        let text = "citations:\n  - id: a\n    title: Nested\ntitle: Top\ntags: [x, \"y\"]\n";
        let doc = Document::yaml(text).unwrap();
        assert_eq!(doc.key(&["title"]), text.find("title: Top"));
        assert_eq!(
            doc.key(&["citations", "0", "title"]),
            text.find("title: Nested")
        );
        assert_eq!(doc.value(text, &["tags"], "y"), text.find("y\""));
        assert_eq!(doc.value(text, &["title"], "Top"), text.find("Top"));
    }
}
