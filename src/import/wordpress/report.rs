//! import-report.md: what was imported, and every item skipped or changed with the reason, its
//! title and its WordPress id. It holds no date, so a second import writes the same report. The
//! same lines are the import's warnings (`Diagnostic`s naming the export's line of the item).

use std::fmt::Write as _;
use std::path::Path;

use super::wxr::{self, Item};
use crate::diagnostics::Diagnostic;

/// The item a report line is about: what it is, its WordPress id and title, and where it starts
/// in the export.
#[derive(Debug, Clone)]
pub(super) struct Subject {
    pub noun: &'static str,
    pub id: u64,
    pub title: String,
    pub offset: u64,
}

impl Subject {
    pub(super) fn of(noun: &'static str, item: &Item) -> Subject {
        Subject {
            noun,
            id: item.id,
            title: item.title.clone(),
            offset: item.offset,
        }
    }

    fn who(&self) -> String {
        let title = self.title.trim();
        let title = if title.is_empty() {
            "(no title)"
        } else {
            title
        };
        format!("{} {} “{}”", self.noun, self.id, title.replace('\n', " "))
    }
}

/// A line of the report, and the offset in the export of the item it is about.
type Line = (Option<u64>, String);

#[derive(Debug, Default)]
pub(super) struct Report {
    summary: String,
    skipped: Vec<Line>,
    changed: Vec<Line>,
    notes: Vec<Line>,
    external: Vec<Line>,
}

impl Report {
    pub(super) fn skipped(&mut self, subject: &Subject, why: &str) {
        self.skipped
            .push((Some(subject.offset), format!("{}: {why}", subject.who())));
    }

    pub(super) fn changed(&mut self, subject: &Subject, what: &str) {
        self.changed
            .push((Some(subject.offset), format!("{}: {what}", subject.who())));
    }

    pub(super) fn note(&mut self, note: String) {
        self.notes.push((None, note));
    }

    pub(super) fn external_upload(&mut self, url: &str, used_by: &str) {
        self.external.push((None, format!("<{url}> ({used_by})")));
    }

    /// Puts the lines about items in the export's order, each item's lines together (the order in
    /// which the import found them otherwise).
    pub(super) fn sort(&mut self) {
        self.skipped.sort_by_key(|(offset, _)| *offset);
        self.changed.sort_by_key(|(offset, _)| *offset);
    }

    /// Every skipped and changed item and every note, as warnings at the item's line of the
    /// export; the uploads left behind are summed up in one.
    pub(super) fn warnings(&self, export: &Path) -> Vec<Diagnostic> {
        let lines: Vec<&Line> = self
            .skipped
            .iter()
            .chain(&self.changed)
            .chain(&self.notes)
            .collect();
        let mut offsets: Vec<u64> = lines.iter().filter_map(|(o, _)| *o).collect();
        offsets.sort_unstable();
        offsets.dedup();
        let numbers = wxr::lines_of(export, &offsets);
        let mut warnings: Vec<Diagnostic> = lines
            .into_iter()
            .map(|(offset, text)| {
                let mut warning = Diagnostic::warning(text.clone()).in_file(export);
                if let Some(offset) = offset
                    && let Ok(i) = offsets.binary_search(offset)
                    && let Some(&line) = numbers.get(i)
                {
                    warning.position = Some((line, 1));
                }
                warning
            })
            .collect();
        if !self.external.is_empty() {
            warnings.push(
                Diagnostic::warning(format!(
                    "{} files under wp-content/uploads stay on the old site: the new pages link to them there",
                    self.external.len()
                ))
                .in_file(export)
                .with_hint("give --uploads the old site's wp-content/uploads folder to copy them into static/"),
            );
        }
        warnings
    }

    pub(super) fn counts(&mut self, briefs: usize, pages: usize, authors: usize, menu: usize) {
        self.summary = format!(
            "{briefs} posts imported as briefs, {pages} pages, {authors} authors, {menu} menu entries."
        );
    }

    /// The lines a terminal shows after an import.
    pub(super) fn headline(&self) -> String {
        format!(
            "{} {} skipped, {} changed, {} uploads left on the old site.",
            self.summary,
            self.skipped.len(),
            self.changed.len(),
            self.external.len()
        )
    }

    pub(super) fn markdown(&self, export_name: &str) -> String {
        let mut out = format!(
            "# WordPress import report\n\nFrom `{export_name}`. {}\n",
            self.summary
        );
        let sections: [(&str, &str, &Vec<Line>); 4] = [
            ("Skipped", "Items not imported, and why.", &self.skipped),
            (
                "Changed",
                "Items imported with a change, and what changed.",
                &self.changed,
            ),
            ("Notes", "About the site as a whole.", &self.notes),
            (
                "Uploads left on the old site",
                "Files under wp-content/uploads that the imported posts use, still linked at their old address. Give `--uploads` the old site's `wp-content/uploads` folder to copy them into `static/`.",
                &self.external,
            ),
        ];
        for (title, about, lines) in sections {
            let _ = write!(out, "\n## {title} ({})\n\n", lines.len());
            if lines.is_empty() {
                out.push_str("None.\n");
                continue;
            }
            out.push_str(about);
            out.push_str("\n\n");
            for (_, line) in lines {
                let _ = writeln!(out, "- {}", line.replace('\n', " "));
            }
        }
        out
    }
}
