//! User-facing errors: every problem a build finds is a `Diagnostic` that names the file, the line
//! and column where known, what is wrong and how to fix it. Stages collect them instead of stopping
//! at the first, so one build run reports everything an author has to fix.

use std::fmt;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Diagnostic {
    pub file: Option<PathBuf>,
    /// 1-based line and column in `file`.
    pub position: Option<(usize, usize)>,
    pub message: String,
    pub hint: Option<String>,
    /// The offending source line, shown under the message with a caret.
    pub snippet: Option<String>,
}

impl Diagnostic {
    pub fn new(message: impl Into<String>) -> Self {
        Diagnostic {
            file: None,
            position: None,
            message: message.into(),
            hint: None,
            snippet: None,
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
        write!(f, "error: ")?;
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
