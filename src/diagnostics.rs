//! User-facing errors: every problem a build finds is a `Diagnostic` that names the file, the line
//! and column where known, what is wrong and how to fix it. Stages collect them instead of stopping
//! at the first, so one build run reports everything an author has to fix.

use std::fmt;
use std::path::{Path, PathBuf};

/// How bad a problem is: an error stops the build (or, in the preview, keeps the last version on
/// screen); a warning is printed and the work goes on; a note only informs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Severity {
    #[default]
    Error,
    Warning,
    Note,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Diagnostic {
    pub severity: Severity,
    pub file: Option<PathBuf>,
    /// 1-based line and column in `file`.
    pub position: Option<(usize, usize)>,
    pub message: String,
    pub hint: Option<String>,
    /// The offending source line, shown under the message with a caret.
    pub snippet: Option<String>,
}

impl Diagnostic {
    /// An error.
    pub fn new(message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            file: None,
            position: None,
            message: message.into(),
            hint: None,
            snippet: None,
        }
    }

    /// A warning: something worth fixing that does not stop the work.
    pub fn warning(message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::new(message)
        }
    }

    /// A note: what the user may want to know, not a problem.
    pub fn note(message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Note,
            ..Diagnostic::new(message)
        }
    }

    pub fn in_file(mut self, file: impl Into<PathBuf>) -> Self {
        self.file = Some(file.into());
        self
    }

    /// Points at a 1-based line and column, and keeps that line of `source` as a snippet.
    pub fn at(mut self, source: &str, line: usize, column: usize) -> Self {
        self.position = Some((line.max(1), column.max(1)));
        self.snippet = source
            .lines()
            .nth(line.saturating_sub(1))
            .map(str::to_owned);
        self
    }

    /// Points at a byte offset of `source`.
    pub fn at_offset(self, source: &str, offset: usize) -> Self {
        let (line, column) = line_column(source, offset);
        self.at(source, line, column)
    }

    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.severity {
            Severity::Error => write!(f, "error: ")?,
            Severity::Warning => write!(f, "warning: ")?,
            Severity::Note => write!(f, "note: ")?,
        }
        if let Some(file) = &self.file {
            write!(f, "{}", file.display())?;
            if let Some((line, column)) = self.position {
                write!(f, ":{line}:{column}")?;
            }
            write!(f, ": ")?;
        }
        write!(f, "{}", self.message)?;
        if let (Some(snippet), Some((line, column))) = (&self.snippet, self.position) {
            let gutter = line.to_string().len();
            let shown: String = snippet.chars().take(160).collect();
            let caret_at = snippet
                .char_indices()
                .take_while(|(i, _)| *i < column.saturating_sub(1))
                .count()
                .min(160);
            write!(
                f,
                "\n{:gutter$} |\n{line} | {shown}\n{:gutter$} | {:caret_at$}^",
                "", "", ""
            )?;
        }
        if let Some(hint) = &self.hint {
            write!(f, "\n  = help: {hint}")?;
        }
        Ok(())
    }
}

/// A failed stage: every diagnostic it found.
#[derive(Debug, Default)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl Diagnostics {
    pub fn push(&mut self, diagnostic: Diagnostic) {
        self.0.push(diagnostic);
    }

    /// `Ok(value)` when nothing was reported, else every report.
    pub fn into_result<T>(self, value: T) -> Result<T, Diagnostics> {
        if self.0.is_empty() {
            Ok(value)
        } else {
            Err(self.finish())
        }
    }

    /// The reports sorted by file and position, without repeats.
    pub fn finish(mut self) -> Diagnostics {
        self.0
            .sort_by(|a, b| (&a.file, a.position).cmp(&(&b.file, b.position)));
        self.0.dedup();
        self
    }
}

impl From<Diagnostic> for Diagnostics {
    fn from(diagnostic: Diagnostic) -> Self {
        Diagnostics(vec![diagnostic])
    }
}

impl Extend<Diagnostic> for Diagnostics {
    fn extend<I: IntoIterator<Item = Diagnostic>>(&mut self, iter: I) {
        self.0.extend(iter);
    }
}

/// 1-based line and column (in characters) of a byte offset.
pub fn line_column(source: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(source.len());
    while !source.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &source[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, source[line_start..offset].chars().count() + 1)
}

/// The candidate closest to `wrong`, if it is close enough to be a plausible typo.
pub fn nearest<'a>(wrong: &str, known: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    known
        .into_iter()
        .map(|candidate| (strsim::jaro_winkler(wrong, candidate), candidate))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, candidate)| candidate)
}

/// A path as shown to the user: relative to the site root when it is inside it.
pub fn display_path(root: &Path, path: &Path) -> PathBuf {
    path.strip_prefix(root).unwrap_or(path).to_path_buf()
}

/// Turns a TOML error into a diagnostic at its line and column, with a hint.
pub fn toml_diagnostic(err: &toml::de::Error, text: &str, known: &[&str]) -> Diagnostic {
    let message = err.message().trim();
    let written = err
        .span()
        .and_then(|span| text.get(span))
        .map(|s| s.trim().trim_matches(['[', ']']).trim())
        .filter(|s| !s.is_empty() && !s.contains('\n') && s.chars().count() <= 80);
    // A table header written twice: the whole header, `[authors.mara]`, names it best.
    let header = err.span().and_then(|span| {
        let line_start = text.get(..span.start)?.rfind('\n').map_or(0, |i| i + 1);
        let line = text[line_start..].lines().next()?.trim();
        let line = line.split_once('#').map_or(line, |(code, _)| code).trim();
        line.starts_with('[')
            .then(|| line.trim_matches(['[', ']']).trim().to_owned())
    });
    let mut diagnostic = if let (true, Some(header)) = (message == "duplicate key", &header) {
        let table = format!(" `[{header}]`");
        Diagnostic::new(format!("the table{table} is declared twice")).with_hint(format!(
            "put all the keys of{table} under one header, or remove the second one"
        ))
    } else if message == "duplicate key" {
        let key = written.map_or_else(String::new, |k| format!(" `{k}`"));
        Diagnostic::new(format!("the key{key} is written twice in the same table")).with_hint(
            format!(
                "each key may appear once in a table: remove one of the{key} lines or merge them"
            ),
        )
    } else if [
        "invalid date",
        "invalid time",
        "invalid datetime",
        "invalid offset",
    ]
    .iter()
    .any(|start| message.starts_with(start))
    {
        Diagnostic::new(message).with_hint(
            "write a date as YYYY-MM-DD (e.g. 2022-08-11), or a date-time such as 2022-08-11T09:30:00-04:00",
        )
    } else if message.contains("recursion") || message.contains("recurse") {
        Diagnostic::new("lists and tables are nested too deeply")
            .with_hint("nest values a few levels at most")
    } else {
        parser_diagnostic(message, known, TOML_HINT)
    };
    if let Some(span) = err.span() {
        diagnostic = diagnostic.at_offset(text, span.start);
    }
    diagnostic
}

const TOML_HINT: &str = "TOML is `key = value`, one per line: strings in double quotes, lists in [ ], dates as 2024-05-01";

/// A diagnostic from a parser's (serde's) message, with the hint that fits it: the nearest known
/// field for an unknown one, what to add for a missing one, a hint the message carries after
/// `; hint: `, else `syntax_hint`.
pub fn parser_diagnostic(message: &str, known: &[&str], syntax_hint: &str) -> Diagnostic {
    let message = message.trim();
    if let Some((message, hint)) = message.split_once("; hint: ") {
        return Diagnostic::new(message).with_hint(hint);
    }
    if let Some(rest) = message.strip_prefix("unknown field `") {
        let field = rest.split('`').next().unwrap_or_default();
        // serde lists the fields of the table the key is in ("expected one of `name`, `bio`");
        // those are better candidates than every key of the file.
        let expected: Vec<&str> = rest
            .split_once("expected")
            .map(|(_, list)| list.split('`').skip(1).step_by(2).collect())
            .unwrap_or_default();
        let known: Vec<&str> = if expected.is_empty() {
            known.to_vec()
        } else {
            expected
        };
        let hint = match nearest(field, known.iter().copied()) {
            Some(best) => format!("did you mean `{best}`?"),
            None => format!("known fields: {}", known.join(", ")),
        };
        return Diagnostic::new(format!("unknown field `{field}`")).with_hint(hint);
    }
    if let Some(rest) = message.strip_prefix("missing field `") {
        let field = rest.split('`').next().unwrap_or_default();
        return Diagnostic::new(format!("missing field `{field}`")).with_hint(format!(
            "`{field}` is required: add it to the front matter or file"
        ));
    }
    Diagnostic::new(message).with_hint(syntax_hint)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_column_counts_lines_and_characters() {
        let text = "a\nbé c\n";
        assert_eq!(line_column(text, 0), (1, 1));
        assert_eq!(line_column(text, 2), (2, 1));
        assert_eq!(line_column(text, 6), (2, 4));
    }

    #[test]
    fn nearest_finds_typos_only() {
        let known = ["stephan-haggard", "troy-stangarone"];
        assert_eq!(nearest("stephen-haggard", known), Some("stephan-haggard"));
        assert_eq!(nearest("zzz", known), None);
    }

    #[test]
    fn display_shows_location_snippet_and_hint() {
        let source = "+++\ntitle = 3\n+++\n";
        let shown = Diagnostic::new("expected a string")
            .in_file("briefs/a.md")
            .at(source, 2, 9)
            .with_hint("quote the title")
            .to_string();
        assert!(shown.starts_with("error: briefs/a.md:2:9: expected a string"));
        assert!(shown.contains("2 | title = 3"));
        assert!(shown.contains("  |         ^"));
        assert!(shown.ends_with("help: quote the title"));
    }
}
