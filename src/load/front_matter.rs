//! Front matter: split it off the top of a brief (TOML between `+++` lines, YAML between `---`
//! lines) and parse it into one typed model, so both syntaxes behave identically. Errors point at
//! lines and columns of the brief file, not of the front-matter block.

use serde::de::Error as _;
use serde::{Deserialize, Deserializer};
use serde_json::Value;

use crate::cite::Source;
use crate::cite::source::toml_datetime_text;
use crate::diagnostics::{Diagnostic, line_column, parser_diagnostic, toml_diagnostic};
use crate::spans::Document;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FrontMatter {
    pub title: String,
    pub date: BriefDate,
    #[serde(default)]
    pub updated: Option<BriefDate>,
    #[serde(default)]
    pub authors: Vec<String>,
    /// A single author, as Jekyll and Hugo sites often write it.
    #[serde(default)]
    pub author: Option<String>,
    #[serde(default)]
    pub category: Option<String>,
    #[serde(default)]
    pub tags: Vec<String>,
    #[serde(default)]
    pub summary: Option<String>,
    #[serde(default)]
    pub slug: Option<String>,
    #[serde(default)]
    pub draft: bool,
    #[serde(default)]
    pub image: Option<String>,
    #[serde(default)]
    pub image_alt: Option<String>,
    #[serde(default)]
    pub image_credit: Option<String>,
    /// Markdown.
    #[serde(default)]
    pub acknowledgments: Option<String>,
    #[serde(default)]
    pub citations: Vec<Source>,
    /// Bibliography files for this brief, relative to the brief's folder.
    #[serde(default)]
    pub bibliography: Vec<String>,
    /// Old paths of the brief (from the site's root, e.g. `/2019/05/old-slug/`), each of which
    /// gets a redirect to it.
    #[serde(default)]
    pub aliases: Vec<String>,
    /// FARA: `false` if the brief is not distributed for a foreign principal, or the key of its
    /// principal in site.toml's `[fara.principals]`.
    #[serde(default)]
    pub fara: Option<crate::fara::FaraField>,
    /// Free table for theme authors.
    #[serde(default)]
    pub extra: serde_json::Map<String, Value>,
}

/// Every front-matter field, for "did you mean" hints.
pub const FIELDS: &[&str] = &[
    "title",
    "date",
    "updated",
    "authors",
    "author",
    "category",
    "tags",
    "summary",
    "slug",
    "draft",
    "image",
    "image_alt",
    "image_credit",
    "acknowledgments",
    "citations",
    "bibliography",
    "aliases",
    "fara",
    "extra",
];

/// A publication date: a calendar date, or an RFC 3339 date-time (kept with its offset).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BriefDate {
    /// The date as written (in the writer's own time zone).
    pub date: jiff::civil::Date,
    /// The instant, for ordering and feeds; a bare date counts as midnight UTC.
    pub timestamp: jiff::Timestamp,
    /// Written without a time (`2024-03-15`), which midnight UTC written in full is not.
    pub bare: bool,
}

/// What a date may be written as, for hints.
const DATE_HINT: &str =
    "write a date as YYYY-MM-DD, or an RFC 3339 date-time such as 2022-08-11T09:30:00-04:00";

impl BriefDate {
    /// The first and last dates a brief may have: what every output format (Atom, RSS, the
    /// sitemap, JSON-LD) can write as a four-digit year, and what `jiff` can hold as an instant
    /// in any time zone.
    pub const RANGE: (&str, &str) = ("0001-01-01", "9999-12-30");

    pub fn parse(text: &str) -> Result<BriefDate, String> {
        let text = text.trim();
        // TOML allows a space between date and time; RFC 3339 parsers want the `T`.
        let normalized = match text.as_bytes().get(10) {
            Some(b' ') if text.is_char_boundary(10) && text.is_char_boundary(11) => {
                format!("{}T{}", &text[..10], &text[11..])
            }
            _ => text.to_owned(),
        };
        let invalid = |err: &dyn std::fmt::Display| {
            format!("invalid date `{text}`: {err}; hint: {DATE_HINT}")
        };
        let out_of_range = || {
            format!(
                "date `{text}` is out of range; hint: a brief's date lies between {} and {}",
                Self::RANGE.0,
                Self::RANGE.1
            )
        };
        // Midnight (or the time written) in UTC, for a date or date-time without an offset.
        let in_utc = |local: jiff::civil::DateTime| {
            local
                .to_zoned_datetime(jiff::tz::TimeZone::UTC)
                .map(|zoned| zoned.timestamp())
                .map_err(|_| out_of_range())
        };
        let parsed = if normalized.len() == 10 {
            let date: jiff::civil::Date = normalized.parse().map_err(|e| invalid(&e))?;
            BriefDate {
                date,
                timestamp: in_utc(date.to_datetime(jiff::civil::Time::midnight()))?,
                bare: true,
            }
        } else if normalized
            .get(10..)
            .is_some_and(|time| time.contains(['Z', 'z', '+', '-']))
        {
            // The calendar date as written, not as in UTC: "2022-08-11T23:00-05:00" is Aug 11.
            let local: Option<jiff::civil::DateTime> = [19, 16]
                .iter()
                .find_map(|&len| normalized.get(..len)?.parse().ok());
            match (normalized.parse::<jiff::Timestamp>(), local) {
                (Ok(timestamp), Some(local)) => BriefDate {
                    date: local.date(),
                    timestamp,
                    bare: false,
                },
                // The date and time read, so the instant is what does not fit.
                (Err(_), Some(_)) => return Err(out_of_range()),
                (Err(err), None) => return Err(invalid(&err)),
                (Ok(_), None) => return Err(invalid(&"the time is not HH:MM or HH:MM:SS")),
            }
        } else {
            let local: jiff::civil::DateTime = normalized.parse().map_err(|e| invalid(&e))?;
            BriefDate {
                date: local.date(),
                timestamp: in_utc(local)?,
                bare: false,
            }
        };
        // The calendar date too, not only the instant: 9999-12-31T05:00+14:00 is in jiff's range,
        // its day is past RANGE.1.
        if parsed.date.year() < 1 || parsed.date > jiff::civil::date(9999, 12, 30) {
            return Err(out_of_range());
        }
        Ok(parsed)
    }

    /// ISO date, `2022-08-11`.
    pub fn iso(&self) -> String {
        self.date.to_string()
    }

    /// `August 11, 2022`.
    pub fn display(&self) -> String {
        self.date.strftime("%B %-d, %Y").to_string()
    }
}

impl<'de> Deserialize<'de> for BriefDate {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = Value::deserialize(deserializer)?;
        let text = value
            .as_str()
            .or_else(|| toml_datetime_text(&value))
            .ok_or_else(|| {
                D::Error::custom(format!("expected a date like 2022-08-11, found {value}"))
            })?;
        BriefDate::parse(text).map_err(D::Error::custom)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Syntax {
    Toml,
    Yaml,
}

/// A brief file cut in two.
#[derive(Debug)]
pub struct Split<'a> {
    pub syntax: Syntax,
    pub front: &'a str,
    /// Byte offset of `front` in the file.
    pub front_start: usize,
    /// Byte offset of the body in the file.
    pub body_start: usize,
}

/// Splits the front matter off the top of `text`. The opening line is `+++` or `---`; the block ends
/// at the next line that is the same fence (`...` also closes YAML).
pub fn split(text: &str) -> Result<Split<'_>, Diagnostic> {
    let start = if text.starts_with('\u{feff}') { 3 } else { 0 };
    let first_line_end = text[start..].find('\n').map_or(text.len(), |i| start + i);
    let fence = text[start..first_line_end].trim_end();
    let syntax = match fence {
        "+++" => Syntax::Toml,
        "---" => Syntax::Yaml,
        _ if text.trim().is_empty() => {
            return Err(Diagnostic::new("the file is empty")
                .at(text, 1, 1)
                .with_hint("a brief starts with front matter between `+++` lines (TOML) or `---` lines (YAML), then the Markdown body"));
        }
        _ => {
            return Err(Diagnostic::new("the file does not start with front matter")
                .at(text, 1, 1)
                .with_hint("put `+++` (TOML) or `---` (YAML) on the first line, then title and date, then the same fence again"));
        }
    };
    let front_start = (first_line_end + 1).min(text.len());
    let mut offset = front_start;
    for line in text[front_start..].split_inclusive('\n') {
        let bare = line.trim_end();
        if bare == fence || (syntax == Syntax::Yaml && bare == "...") {
            return Ok(Split {
                syntax,
                front: &text[front_start..offset],
                front_start,
                body_start: offset + line.len(),
            });
        }
        offset += line.len();
    }
    Err(Diagnostic::new(format!(
        "the front matter opened with `{fence}` on line 1 is never closed"
    ))
    .at(text, 1, 1)
    .with_hint(format!(
        "add a line with `{fence}` after the last front-matter field"
    )))
}

/// Parses the front matter of `text`, reporting errors at lines of the whole file.
pub fn parse(text: &str, split: &Split<'_>) -> Result<FrontMatter, Diagnostic> {
    parse_as(text, split, FIELDS)
}

/// Parses front matter into `T` (a brief's or a standalone page's), whose fields are `fields`.
pub fn parse_as<T: serde::de::DeserializeOwned>(
    text: &str,
    split: &Split<'_>,
    fields: &[&str],
) -> Result<T, Diagnostic> {
    match split.syntax {
        Syntax::Toml => toml::from_str(split.front).map_err(|err| {
            let local = toml_diagnostic(&err, split.front, fields);
            shift(local, text, split)
        }),
        Syntax::Yaml => {
            if split.front.trim().is_empty() {
                return Err(Diagnostic::new("the front matter is empty")
                    .at(text, 1, 1)
                    .with_hint("give at least `title` (and `date` for a brief)"));
            }
            serde_saphyr::from_str(split.front).map_err(|err| {
                let mut local = yaml_diagnostic(&err);
                if let Some(location) = err.location() {
                    // By character offset where known: YAML counts a lone `\r` as a line
                    // break, and the lines shown are the file's.
                    let offset = usize::try_from(location.span().offset())
                        .ok()
                        .and_then(|chars| {
                            let starts = split.front.char_indices().map(|(i, _)| i);
                            starts.chain([split.front.len()]).nth(chars)
                        });
                    local = match offset {
                        Some(offset) => local.at_offset(split.front, offset),
                        None => local.at(
                            split.front,
                            location.line() as usize,
                            location.column() as usize,
                        ),
                    };
                }
                shift(local, text, split)
            })
        }
    }
}

/// A diagnostic for a YAML error, in the words of this project rather than the parser's: its
/// limits (serde-saphyr's budget, which stops alias bombs such as "billion laughs" before they
/// take memory or time) and duplicate keys get their own message and hint.
fn yaml_diagnostic(err: &serde_saphyr::Error) -> Diagnostic {
    use serde_saphyr::Error;
    use serde_saphyr::budget::BudgetBreach;
    let mut inner = err;
    while let Error::AliasError { error, .. } | Error::WithSnippet { error, .. } = inner {
        inner = error;
    }
    match inner {
        Error::DuplicateMappingKey { key, .. } => {
            let key = key
                .as_deref()
                .map_or_else(String::new, |k| format!(" `{k}`"));
            Diagnostic::new(format!("the key{key} is written twice in the same mapping")).with_hint(
                format!("each key may appear once: remove one of the{key} lines or merge them"),
            )
        }
        Error::Budget { breach, .. } => {
            let what = match breach {
                BudgetBreach::Aliases { .. }
                | BudgetBreach::AliasAnchorRatio { .. }
                | BudgetBreach::Nodes { .. }
                | BudgetBreach::Events { .. }
                | BudgetBreach::RecordedAnchorEvents { .. }
                | BudgetBreach::RecordedAnchorBytes { .. }
                | BudgetBreach::ScalarBytes { .. } => {
                    "the front matter is too large once its aliases (`*name`) are expanded"
                }
                BudgetBreach::Depth { .. } => {
                    "the front matter nests lists and mappings too deeply"
                }
                _ => "the front matter is too large or too complex to read",
            };
            Diagnostic::new(format!("{what} ({})", budget_figure(breach))).with_hint(
                "front matter is a few fields: write values out instead of repeating anchors (`&name`) with aliases (`*name`), and keep nesting shallow",
            )
        }
        _ => {
            let plain = inner.to_string();
            // The location is shown by the diagnostic itself.
            let message = plain
                .rsplit_once(" at line ")
                .map_or(plain.as_str(), |(message, _)| message);
            parser_diagnostic(message, FIELDS, YAML_HINT)
        }
    }
}

/// The limit a budget breach passed, in words.
fn budget_figure(breach: &serde_saphyr::budget::BudgetBreach) -> String {
    use serde_saphyr::budget::BudgetBreach;
    match breach {
        BudgetBreach::Aliases { aliases } => format!("{aliases} aliases"),
        BudgetBreach::AliasAnchorRatio { aliases, anchors } => {
            format!("{aliases} aliases of {anchors} anchors")
        }
        BudgetBreach::Nodes { nodes } => format!("{nodes} values"),
        BudgetBreach::Events { events } => format!("{events} parser events"),
        BudgetBreach::ScalarBytes { total_scalar_bytes } => {
            format!("{total_scalar_bytes} bytes of text")
        }
        BudgetBreach::Depth { depth } => format!("{depth} levels deep"),
        other => format!("{other:?}"),
    }
}

const YAML_HINT: &str = "YAML is `key: value`, one per line: lists as [a, b] or `- item` lines; quote values that contain `: ` or start with a special character";

/// Moves a diagnostic from front-matter coordinates to file coordinates.
fn shift(local: Diagnostic, text: &str, split: &Split<'_>) -> Diagnostic {
    let first_line = text[..split.front_start].matches('\n').count();
    match local.position {
        Some((line, column)) => {
            let line = line + first_line;
            Diagnostic {
                position: None,
                ..local
            }
            .at(text, line, column)
        }
        // Errors without a place (a missing field) point at the opening fence.
        None => Diagnostic {
            position: None,
            ..local
        }
        .at(text, 1, 1),
    }
}

/// Line and column of a top-level field of the front matter starting at `front_start` in `text`,
/// for problems found after parsing: from the parser's spans; the opening fence when the field is
/// not written.
pub fn field_position(text: &str, front_start: usize, field: &str) -> (usize, usize) {
    position(text, front_start, |document, _| document.key(&[field]))
}

/// `diagnostic` placed in `path` at `field` of the front matter starting at `front_start`
/// (briefs and pages alike).
pub fn at_field(
    path: &std::path::Path,
    text: &str,
    front_start: usize,
    field: &str,
    diagnostic: Diagnostic,
) -> Diagnostic {
    let (line, column) = field_position(text, front_start, field);
    diagnostic.in_file(path).at(text, line, column)
}

/// Line and column where `value` is written as `field` or an item of it, else those of `field`.
pub fn value_position(text: &str, front_start: usize, field: &str, value: &str) -> (usize, usize) {
    position(text, front_start, |document, front| {
        document
            .value(front, &[field], value)
            .or_else(|| document.key(&[field]))
    })
}

/// Line and column of the key at the end of `path` (see `spans::Document::key`), if written.
pub fn key_position(text: &str, front_start: usize, path: &[&str]) -> Option<(usize, usize)> {
    find_position(text, front_start, |document, _| document.key(path))
}

fn position(
    text: &str,
    front_start: usize,
    find: impl FnOnce(&Document, &str) -> Option<usize>,
) -> (usize, usize) {
    find_position(text, front_start, find).unwrap_or((1, 1))
}

fn find_position(
    text: &str,
    front_start: usize,
    find: impl FnOnce(&Document, &str) -> Option<usize>,
) -> Option<(usize, usize)> {
    let split = split(text)
        .ok()
        .filter(|split| split.front_start == front_start)?;
    let document = match split.syntax {
        Syntax::Toml => Document::toml(split.front)?,
        Syntax::Yaml => Document::yaml(split.front)?,
    };
    find(&document, split.front).map(|at| line_column(text, front_start + at))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(text: &str) -> Result<FrontMatter, Diagnostic> {
        let split = split(text)?;
        parse(text, &split)
    }

    #[test]
    fn toml_and_yaml_read_the_same() {
        let toml = load(
            "+++\ntitle = \"A\"\ndate = 2022-08-11\nauthor = \"x\"\ntags = [\"t\"]\n+++\nBody",
        )
        .unwrap();
        let yaml =
            load("---\ntitle: A\ndate: 2022-08-11\nauthor: x\ntags: [t]\n---\nBody").unwrap();
        assert_eq!(toml.title, yaml.title);
        assert_eq!(toml.date, yaml.date);
        assert_eq!(toml.author, yaml.author);
        assert_eq!(toml.tags, yaml.tags);
    }

    #[test]
    fn dates_in_every_form() {
        assert_eq!(
            BriefDate::parse("2022-08-11").unwrap().display(),
            "August 11, 2022"
        );
        let late = BriefDate::parse("2022-08-11T23:30:00-05:00").unwrap();
        assert_eq!(late.iso(), "2022-08-11");
        assert_eq!(late.timestamp.to_string(), "2022-08-12T04:30:00Z");
        assert!(BriefDate::parse("2022-08-11 09:00:00").is_ok());
        let err = BriefDate::parse("2022-02-30").unwrap_err();
        assert!(err.contains("invalid date `2022-02-30`"), "{err}");
        let toml = load("+++\ntitle = 'A'\ndate = 2022-08-11T10:00:00Z\n+++\n").unwrap();
        assert_eq!(toml.date.iso(), "2022-08-11");
    }

    #[test]
    fn errors_point_into_the_file() {
        let err = load("+++\ntitle = \"A\"\ndate = 2022-02-30\n+++\n").unwrap_err();
        assert_eq!(err.position, Some((3, 8)));
        let err = load("---\ntitle: A\ndate: 2022-08-11\ntitel: x\n---\n").unwrap_err();
        assert_eq!(err.position, Some((4, 1)));
        assert_eq!(err.message, "unknown field `titel`");
        assert_eq!(err.hint.as_deref(), Some("did you mean `title`?"));
        let err = load("---\ntitle: [A\n---\n").unwrap_err();
        assert_eq!(err.position.map(|p| p.0), Some(2));
        let err = load("+++\ntitle = 'A'\n").unwrap_err();
        assert!(err.message.contains("never closed"));
        let err = load("+++\ndate = 2022-01-01\n+++\n").unwrap_err();
        assert!(
            err.message.contains("missing field `title`"),
            "{}",
            err.message
        );
    }
}
