//! import-report.md: what was imported, and every item skipped or changed with the reason, its
//! title and its WordPress id. It holds no date, so a second import writes the same report.

use std::fmt::Write as _;

use super::wxr::Item;

#[derive(Debug, Default)]
pub struct Report {
    summary: String,
    skipped: Vec<String>,
    changed: Vec<String>,
    notes: Vec<String>,
    external: Vec<String>,
}

fn who(noun: &str, item: &Item) -> String {
    let title = item.title.trim();
    let title = if title.is_empty() {
        "(no title)"
    } else {
        title
    };
    format!("{noun} {} “{}”", item.id, title.replace('\n', " "))
}

impl Report {
    pub fn skipped(&mut self, noun: &str, item: &Item, why: &str) {
        self.skipped.push(format!("{}: {why}", who(noun, item)));
    }

    pub fn changed(&mut self, noun: &str, item: &Item, what: &str) {
        self.changed.push(format!("{}: {what}", who(noun, item)));
    }

    pub fn note(&mut self, note: String) {
        self.notes.push(note);
    }

    pub fn external_upload(&mut self, url: &str, used_by: &str) {
        self.external.push(format!("<{url}> ({used_by})"));
    }

    pub fn counts(&mut self, briefs: usize, pages: usize, authors: usize, menu: usize) {
        self.summary = format!(
            "{briefs} posts imported as briefs, {pages} pages, {authors} authors, {menu} menu entries."
        );
    }

    /// The lines a terminal shows after an import.
    pub fn headline(&self) -> String {
        format!(
            "{} {} skipped, {} changed, {} uploads left on the old site.",
            self.summary,
            self.skipped.len(),
            self.changed.len(),
            self.external.len()
        )
    }

    pub fn markdown(&self, export_name: &str) -> String {
        let mut out = format!(
            "# WordPress import report\n\nFrom `{export_name}`. {}\n",
            self.summary
        );
        let sections: [(&str, &str, &Vec<String>); 4] = [
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
            for line in lines {
                let _ = writeln!(out, "- {}", line.replace('\n', " "));
            }
        }
        out
    }
}
