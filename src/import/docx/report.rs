//! The report of an import: what was converted (printed to stderr) and what was not (warnings
//! on the document, through `diagnostics`).

use std::path::Path;

use super::model::Block;
use super::{Parts, sources};
use crate::diagnostics::Diagnostic;

#[derive(Default)]
pub(super) struct Counts {
    paragraphs: usize,
    headings: usize,
    lists: usize,
    quotes: usize,
    tables: usize,
    html_tables: usize,
}

impl Counts {
    pub(super) fn of(blocks: &[Block]) -> Counts {
        let mut counts = Counts::default();
        counts.add(blocks);
        counts
    }

    fn add(&mut self, blocks: &[Block]) {
        for block in blocks {
            match block {
                Block::Para(_) => self.paragraphs += 1,
                Block::Heading(..) => self.headings += 1,
                Block::Quote(inner) => {
                    self.quotes += 1;
                    self.add(inner);
                }
                Block::List(list) => {
                    self.lists += 1;
                    list.items.iter().for_each(|item| self.add(item));
                }
                Block::Table(table) => {
                    self.tables += 1;
                    if table
                        .rows
                        .iter()
                        .flatten()
                        .any(|c| c.colspan > 1 || c.rowspan > 1)
                    {
                        self.html_tables += 1;
                    }
                    table
                        .rows
                        .iter()
                        .flatten()
                        .for_each(|c| self.add(&c.blocks));
                }
            }
        }
    }
}

pub(super) struct SummaryInput<'a> {
    pub(super) file: &'a Path,
    pub(super) brief: &'a Path,
    pub(super) counts: &'a Counts,
    pub(super) notes: usize,
    pub(super) images: usize,
    pub(super) parts: &'a Parts,
    pub(super) assigned: &'a [sources::Assigned],
    pub(super) author_notes: &'a [Diagnostic],
    pub(super) note_markers: usize,
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// What was converted, for stderr; what was not, as warnings on the document.
pub(super) fn summary(input: &SummaryInput<'_>) -> (String, Vec<Diagnostic>) {
    let mut out = format!(
        "imported {} -> {} (draft)\n",
        input.file.display(),
        input.brief.display()
    );
    out.push_str(&format!("  converted: {}\n", converted(input).join(", ")));
    if let Some(citations) = citations(input) {
        out.push_str(&format!("  citations: {citations}\n"));
    }
    let r = &input.parts.report;
    if r.insertions + r.deletions > 0 {
        out.push_str(&format!(
            "  tracked changes: {} kept, {} dropped\n",
            plural(r.insertions, "insertion", "insertions"),
            plural(r.deletions, "deletion", "deletions")
        ));
    }
    let mut warnings: Vec<Diagnostic> = not_converted(input)
        .into_iter()
        .map(|what| Diagnostic::warning(format!("not converted: {what}")))
        .collect();
    if !r.comments.is_empty() {
        warnings.push(
            Diagnostic::warning(format!(
                "{} dropped",
                plural(r.comments.len(), "comment", "comments")
            ))
            .with_hint("a brief has no comments: settle them in Word before importing"),
        );
    }
    warnings.extend(input.author_notes.iter().cloned());
    let warnings = warnings
        .into_iter()
        .map(|warning| warning.in_file(input.file))
        .collect();
    (out, warnings)
}

/// What the document's text became: paragraphs, headings, lists and so on, counted.
fn converted(input: &SummaryInput<'_>) -> Vec<String> {
    let c = input.counts;
    let mut converted = vec![plural(c.paragraphs, "paragraph", "paragraphs")];
    for (n, one, many) in [
        (c.headings, "heading", "headings"),
        (c.lists, "list", "lists"),
        (c.quotes, "block quote", "block quotes"),
        (input.images, "image", "images"),
        (input.notes, "note", "notes"),
    ] {
        if n > 0 {
            converted.push(plural(n, one, many));
        }
    }
    if c.tables > 0 {
        let mut tables = plural(c.tables, "table", "tables");
        if c.html_tables > 0 {
            tables.push_str(&format!(" ({} as HTML: merged cells)", c.html_tables));
        }
        converted.push(tables);
    }
    converted
}

/// The citation fields and sources found, and which ids the site already had.
fn citations(input: &SummaryInput<'_>) -> Option<String> {
    let citations = input.parts.collector.citations.len();
    if citations == 0 {
        return None;
    }
    let reused: Vec<String> = input
        .assigned
        .iter()
        .filter_map(|a| {
            a.reused
                .as_ref()
                .map(|place| format!("`{}` ({place})", a.id))
        })
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    let mut out = format!(
        "{} of {}",
        plural(citations, "citation field", "citation fields"),
        plural(input.assigned.len(), "source", "sources")
    );
    if !reused.is_empty() {
        out.push_str(&format!(
            "; already on the site, ids kept: {}",
            reused.join(", ")
        ));
    }
    if input.note_markers > 0 {
        out.push_str(&format!(
            "; {} holding only citations became the citations' own notes",
            plural(input.note_markers, "footnote", "footnotes")
        ));
    }
    Some(out)
}

/// What the document holds that the brief does not.
fn not_converted(input: &SummaryInput<'_>) -> Vec<String> {
    let r = &input.parts.report;
    let mut not = Vec::new();
    if r.bibliographies > 0 {
        not.push("the citation plugin's bibliography (dossier writes the references)".to_owned());
    }
    if r.tables_of_contents > 0 {
        not.push("the table of contents".to_owned());
    }
    for why in &r.broken_citations {
        not.push(format!("{why}: its text was kept as written"));
    }
    for field in &input.parts.collector.dropped_fields {
        not.push(format!("a citation item's unreadable field {field}"));
    }
    for (n, one, many) in [
        (
            r.other_citations,
            "citation of another manager (EndNote, Citavi), kept as text",
            "citations of other managers (EndNote, Citavi), kept as text",
        ),
        (r.text_boxes, "text box", "text boxes"),
        (
            r.objects,
            "embedded object or shape",
            "embedded objects or shapes",
        ),
        (
            r.missing_images,
            "image missing from the document",
            "images missing from the document",
        ),
        (
            r.equations,
            "equation (kept as plain text)",
            "equations (kept as plain text)",
        ),
    ] {
        if n > 0 {
            not.push(plural(n, one, many));
        }
    }
    not
}
