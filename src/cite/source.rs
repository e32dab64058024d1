//! A cited source, in CSL-JSON's field names so that a Zotero "Export as CSL JSON" can be pasted
//! into front matter (as TOML or YAML) unchanged. Fields dossier does not print are kept in `other`
//! so that exports and later CSL formatting see the whole record.

use std::collections::BTreeMap;

use hayagriva::citationberg::json::Item;
use serde::de::Error as _;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::Value;

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct Source {
    #[serde(deserialize_with = "string_or_number")]
    pub id: String,
    #[serde(rename = "type", default = "default_type")]
    pub kind: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub author: Vec<Name>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub editor: Vec<Name>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub issued: Option<CslDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub accessed: Option<CslDate>,
    #[serde(rename = "URL", default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    #[serde(rename = "DOI", default, skip_serializing_if = "Option::is_none")]
    pub doi: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub container_title: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub publisher: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub publisher_place: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub authority: Option<String>,
    #[serde(
        default,
        deserialize_with = "opt_string_or_number",
        skip_serializing_if = "Option::is_none"
    )]
    pub number: Option<String>,
    #[serde(
        default,
        deserialize_with = "opt_string_or_number",
        skip_serializing_if = "Option::is_none"
    )]
    pub volume: Option<String>,
    #[serde(
        default,
        deserialize_with = "opt_string_or_number",
        skip_serializing_if = "Option::is_none"
    )]
    pub issue: Option<String>,
    #[serde(
        default,
        deserialize_with = "opt_string_or_number",
        skip_serializing_if = "Option::is_none"
    )]
    pub page: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub genre: Option<String>,
    /// Every other CSL-JSON field, kept as written.
    #[serde(flatten)]
    pub other: BTreeMap<String, Value>,
}

impl Source {
    /// A source with an id and nothing else.
    pub fn untitled(id: &str) -> Source {
        Source {
            id: id.to_owned(),
            kind: default_type(),
            title: None,
            author: Vec::new(),
            editor: Vec::new(),
            issued: None,
            accessed: None,
            url: None,
            doi: None,
            container_title: None,
            publisher: None,
            publisher_place: None,
            authority: None,
            number: None,
            volume: None,
            issue: None,
            page: None,
            genre: None,
            other: BTreeMap::new(),
        }
    }

    /// The source as hayagriva reads it: its CSL-JSON.
    ///
    /// Field by field: a CSL variable is a string, a number, a list of names or a date, and
    /// citationberg refuses a whole item for one field of another shape (a `null`, a boolean, a
    /// list of keywords, a tool's own object). Such fields are no CSL variable, so they are left
    /// out here (and kept in the source's exports); the item keeps everything a style can print.
    pub fn csl_item(&self) -> Item {
        let value = serde_json::to_value(self)
            .expect("a Source serializes: string keys, finite numbers (JSON turns NaN into null)");
        let Value::Object(fields) = value else {
            unreachable!("a Source is a struct, serialized as an object")
        };
        let mut item = Item(Default::default());
        for (name, mut value) in fields {
            // hayagriva reads a number with letters and hyphens (`PMSI-2023-04`) as a range and
            // prints "nos. PMSI-2023–4"; non-breaking hyphens keep it a plain label, shown the
            // same.
            if name == "number"
                && let Value::String(number) = &mut value
                && number.contains(char::is_alphabetic)
            {
                *number = number.replace('-', "\u{2011}");
            }
            if let Ok(value) = serde_json::from_value(value) {
                item.0.insert(name, value);
            }
        }
        item
    }

    /// The address to link to: the DOI's resolver URL, else the URL as written (which may not be a
    /// web address: callers decide whether it becomes a link).
    pub fn address(&self) -> Option<String> {
        match (&self.doi, &self.url) {
            (Some(doi), _) => {
                let doi = doi.trim();
                let doi = doi.strip_prefix("https://doi.org/").unwrap_or(doi);
                Some(format!("https://doi.org/{doi}"))
            }
            (None, Some(url)) => Some(url.trim().to_owned()),
            (None, None) => None,
        }
    }
}

/// CSL-JSON's rich text (`<i>`, `<b>`, `<sup>`, `<sub>`, `<span class="nocase">`, small caps) as
/// plain text, for formats that have no markup (RIS, BibTeX, Highwire tags, schema.org).
pub fn plain_text(text: &str) -> std::borrow::Cow<'_, str> {
    const TAGS: [&str; 10] = [
        "<i>",
        "</i>",
        "<b>",
        "</b>",
        "<sup>",
        "</sup>",
        "<sub>",
        "</sub>",
        "</span>",
        "<span class=\"nocase\">",
    ];
    const SMALL_CAPS: &str = "<span style=\"font-variant:small-caps;\">";
    if !text.contains('<') {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('<') {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        match TAGS
            .iter()
            .chain([&SMALL_CAPS])
            .find(|tag| rest.starts_with(**tag))
        {
            Some(tag) => rest = &rest[tag.len()..],
            None => {
                out.push('<');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    std::borrow::Cow::Owned(out)
}

fn default_type() -> String {
    "document".to_owned()
}

/// A CSL name: a person (`family`, `given`) or an institution (`literal`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct Name {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub family: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub given: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub literal: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub suffix: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub non_dropping_particle: Option<String>,
}

impl Name {
    /// "Given Family" (or the literal), as in a note.
    pub fn display(&self) -> String {
        if let Some(literal) = &self.literal {
            return literal.clone();
        }
        let parts = [
            self.given.as_deref(),
            self.non_dropping_particle.as_deref(),
            self.family.as_deref(),
        ];
        let mut name = parts.into_iter().flatten().collect::<Vec<_>>().join(" ");
        if let Some(suffix) = &self.suffix {
            name = format!("{name}, {suffix}");
        }
        name
    }

    /// "Family, Given" (or the literal), as in a bibliography's first name.
    pub fn display_inverted(&self) -> String {
        match (&self.literal, &self.family, &self.given) {
            (Some(literal), _, _) => literal.clone(),
            (None, Some(family), Some(given)) => {
                let family = match &self.non_dropping_particle {
                    Some(particle) => format!("{particle} {family}"),
                    None => family.clone(),
                };
                format!("{family}, {given}")
            }
            _ => self.display(),
        }
    }

    /// The family name alone, for short notes.
    pub fn short(&self) -> String {
        self.literal
            .clone()
            .or_else(|| self.family.clone())
            .unwrap_or_else(|| self.display())
    }
}

/// A CSL date: `{"date-parts": [[2017, 12, 22]]}` (parts may be strings, as Zotero writes years),
/// `{"raw": "..."}`, `{"literal": "..."}`, a plain `YYYY[-MM[-DD]]` string or a TOML date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CslDate {
    /// Year, month, day; month and day optional.
    pub parts: Vec<i32>,
    /// Text to print when the date is not structured.
    pub literal: Option<String>,
}

impl CslDate {
    pub fn year(&self) -> Option<i32> {
        self.parts.first().copied()
    }

    fn parse_text(text: &str) -> Option<Vec<i32>> {
        // A date-time keeps only its date: sources are cited by day.
        let date = text.trim().split(['T', ' ']).next()?;
        let parts = date
            .split('-')
            .map(|p| p.parse::<i32>().ok())
            .collect::<Option<Vec<_>>>()?;
        valid_parts(&parts).then_some(parts)
    }
}

fn valid_parts(parts: &[i32]) -> bool {
    match parts {
        [_] => true,
        [_, month] => (1..=12).contains(month),
        [year, month, day] => {
            i16::try_from(*year)
                .is_ok_and(|year| jiff::civil::Date::new(year, *month as i8, *day as i8).is_ok())
                && (1..=12).contains(month)
        }
        _ => false,
    }
}

pub fn month_name(month: i32) -> &'static str {
    const MONTHS: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    usize::try_from(month - 1)
        .ok()
        .and_then(|i| MONTHS.get(i))
        .copied()
        .unwrap_or("")
}

/// The text of a TOML native date-time, which serde presents as a one-key map.
pub fn toml_datetime_text(value: &Value) -> Option<&str> {
    let map = value.as_object()?;
    match (map.len(), map.get("$__toml_private_datetime")) {
        (1, Some(Value::String(text))) => Some(text),
        _ => None,
    }
}

impl<'de> Deserialize<'de> for CslDate {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = Value::deserialize(deserializer)?;
        let invalid = || {
            D::Error::custom(format!(
                "invalid date {value}: write {{date-parts = [[2017, 12, 22]]}} or \"2017-12-22\""
            ))
        };
        let text = value.as_str().or_else(|| toml_datetime_text(&value));
        if let Some(text) = text {
            let parts = Self::parse_text(text).ok_or_else(invalid)?;
            return Ok(CslDate {
                parts,
                literal: None,
            });
        }
        let map = value.as_object().ok_or_else(invalid)?;
        if let Some(parts) = map.get("date-parts") {
            let first = parts
                .as_array()
                .and_then(|ranges| ranges.first())
                .and_then(Value::as_array)
                .ok_or_else(invalid)?;
            let parts = first
                .iter()
                .map(|part| match part {
                    Value::Number(n) => n.as_i64().and_then(|n| i32::try_from(n).ok()),
                    Value::String(s) => s.trim().parse().ok(),
                    _ => None,
                })
                .collect::<Option<Vec<i32>>>()
                .filter(|parts| valid_parts(parts))
                .ok_or_else(invalid)?;
            return Ok(CslDate {
                parts,
                literal: None,
            });
        }
        for key in ["raw", "literal"] {
            if let Some(Value::String(text)) = map.get(key) {
                // Only a full date has a time after it: `2021 (forthcoming)` or `2 24-01-18`
                // stays text as written, rather than becoming a year.
                let parts = Self::parse_text(text)
                    .filter(|parts| parts.len() == 3 || !text.trim().contains(['T', ' ']));
                return Ok(CslDate {
                    literal: parts.is_none().then(|| text.clone()),
                    parts: parts.unwrap_or_default(),
                });
            }
        }
        Err(invalid())
    }
}

impl Serialize for CslDate {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let value = match &self.literal {
            Some(literal) => serde_json::json!({ "literal": literal }),
            None => serde_json::json!({ "date-parts": [self.parts] }),
        };
        value.serialize(serializer)
    }
}

fn string_or_number<'de, D: Deserializer<'de>>(deserializer: D) -> Result<String, D::Error> {
    match Value::deserialize(deserializer)? {
        Value::String(s) => Ok(s),
        Value::Number(n) => Ok(n.to_string()),
        other => Err(D::Error::custom(format!(
            "expected a string or a number, found {other}"
        ))),
    }
}

fn opt_string_or_number<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<String>, D::Error> {
    string_or_number(deserializer).map(Some)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_field_citationberg_cannot_read_loses_only_itself() {
        let source: Source = serde_json::from_str(
            r#"{"id": "s", "type": "report", "author": [{"family": "Lee", "given": "Ann"}],
                "issued": {"date-parts": [[2018]]}, "note": null, "archived": true,
                "categories": ["nuclear"], "custom": {"zotero": 1}}"#,
        )
        .unwrap();
        let item = source.csl_item();
        let fields: Vec<&str> = item.0.keys().map(String::as_str).collect();
        // No title either: an untitled source keeps its author and date.
        assert_eq!(fields, ["author", "id", "issued", "type"]);
    }

    #[test]
    fn reads_zotero_csl_json() {
        let json = r#"{"id": "un2397", "type": "legislation", "title": "Resolution 2397",
            "author": [{"literal": "UN Security Council"}],
            "issued": {"date-parts": [["2017", 12, 22]]}, "number": "S/RES/2397 (2017)",
            "URL": "https://undocs.org/S/RES/2397(2017)", "language": "en"}"#;
        let source: Source = serde_json::from_str(json).unwrap();
        assert_eq!(source.issued.as_ref().unwrap().parts, vec![2017, 12, 22]);
        assert_eq!(source.author[0].display(), "UN Security Council");
        assert_eq!(source.other["language"], "en");
    }

    #[test]
    fn rich_text_becomes_plain_and_other_angle_brackets_stay() {
        assert_eq!(
            plain_text("International <span class=\"nocase\">NGO</span>s and <i>Pax</i> <3"),
            "International NGOs and Pax <3"
        );
    }

    #[test]
    fn reads_toml_dates_and_rejects_impossible_ones() {
        let ok: Source = toml::from_str("id = 'a'\nissued = 2020-02-29").unwrap();
        assert_eq!(ok.issued.unwrap().parts, vec![2020, 2, 29]);
        let err = toml::from_str::<Source>("id = 'a'\nissued = '2021-02-30'").unwrap_err();
        assert!(err.message().contains("invalid date"), "{err}");
    }
}
