//! Stage 1, load: find every brief under `briefs/`, and in parallel read it, split and parse its
//! front matter, and render its Markdown body. Each file is read and rendered exactly once.

pub mod front_matter;

use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::diagnostics::{Diagnostic, Diagnostics, display_path};
use crate::markdown::{self, Body};
pub use front_matter::FrontMatter;

/// A brief as read from its file, before cross-references are resolved.
#[derive(Debug)]
pub struct LoadedBrief {
    /// The file, relative to the site root, as shown in messages.
    pub path: PathBuf,
    /// The whole file, kept for error snippets during resolution.
    pub text: String,
    /// Where the front matter and the body start in `text` (for error positions).
    pub front_start: usize,
    pub body_start: usize,
    pub front: FrontMatter,
    pub body: Body,
    pub slug: String,
}

impl LoadedBrief {
    /// A diagnostic pointing at a front-matter field of this brief.
    pub fn at_field(&self, field: &str, diagnostic: Diagnostic) -> Diagnostic {
        let (line, column) = front_matter::field_position(&self.text, self.front_start, field);
        diagnostic.in_file(&self.path).at(&self.text, line, column)
    }

    /// A diagnostic pointing at `value` where it is written in `field` (on the field's line or in
    /// the list below it), else at the field.
    pub fn at_value(&self, field: &str, value: &str, diagnostic: Diagnostic) -> Diagnostic {
        let (line, column) = front_matter::field_position(&self.text, self.front_start, field);
        let front_end = self.body_start.min(self.text.len());
        let found = self.text[..front_end]
            .lines()
            .enumerate()
            .skip(line - 1)
            .take(50)
            .find_map(|(i, text)| {
                let skip = if i + 1 == line {
                    column - 1 + field.len()
                } else {
                    0
                };
                let at = text.get(skip..)?.find(value)?;
                Some((i + 1, text[..skip + at].chars().count() + 1))
            });
        let (line, column) = found.unwrap_or((line, column));
        diagnostic.in_file(&self.path).at(&self.text, line, column)
    }
}

/// Loads every `*.md` file under `<root>/briefs`, skipping hidden files (editor swap files).
/// Returns the briefs that loaded and the problems of those that did not, so that the build can go
/// on to check the rest and report everything in one run.
pub fn load_briefs(root: &Path) -> (Vec<LoadedBrief>, Diagnostics) {
    let dir = root.join("briefs");
    if !dir.is_dir() {
        let problem = Diagnostic::new(format!(
            "no briefs folder at {}",
            display_path(root, &dir).display()
        ))
        .with_hint("create `briefs/` beside site.toml and put Markdown briefs in it");
        return (Vec::new(), problem.into());
    }
    let mut problems = Diagnostics::default();
    let mut files = Vec::new();
    let walker = walkdir::WalkDir::new(&dir)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|entry| {
            entry.depth() == 0 || !entry.file_name().to_string_lossy().starts_with('.')
        });
    for entry in walker {
        match entry {
            Ok(entry)
                if entry.file_type().is_file()
                    && entry.path().extension().is_some_and(|e| e == "md") =>
            {
                files.push(entry.into_path());
            }
            Ok(_) => {}
            Err(err) => {
                let path = err
                    .path()
                    .map(|p| display_path(root, p))
                    .unwrap_or_default();
                problems.push(Diagnostic::new(format!("cannot read: {err}")).in_file(path));
            }
        }
    }
    let results: Vec<Result<LoadedBrief, Diagnostic>> = files
        .par_iter()
        .map(|path| load_brief(root, path))
        .collect();
    let mut briefs = Vec::with_capacity(results.len());
    for result in results {
        match result {
            Ok(brief) => briefs.push(brief),
            Err(diagnostic) => problems.push(diagnostic),
        }
    }
    (briefs, problems)
}

/// Loads one brief file (`dossier serve` reloads single files with it).
pub(crate) fn load_brief(root: &Path, path: &Path) -> Result<LoadedBrief, Diagnostic> {
    let shown = display_path(root, path);
    let bytes = std::fs::read(path)
        .map_err(|err| Diagnostic::new(format!("cannot read the file: {err}")).in_file(&shown))?;
    let text = String::from_utf8(bytes).map_err(|err| {
        let offset = err.utf8_error().valid_up_to();
        let valid = String::from_utf8_lossy(&err.as_bytes()[..offset]).into_owned();
        Diagnostic::new(format!(
            "the file is not valid UTF-8 (invalid byte at offset {offset})"
        ))
        .in_file(&shown)
        .at_offset(&valid, offset)
        .with_hint("save the file as UTF-8 in your editor")
    })?;
    let split = front_matter::split(&text).map_err(|d| d.in_file(&shown))?;
    let front = front_matter::parse(&text, &split).map_err(|d| d.in_file(&shown))?;
    let (front_start, body_start) = (split.front_start, split.body_start);
    let slug_source = match &front.slug {
        Some(slug) => slug.clone(),
        None => path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default(),
    };
    let slug = slug::slugify(&slug_source);
    if slug.is_empty() {
        let diagnostic = Diagnostic::new(format!("cannot make a URL slug from `{slug_source}`"))
            .in_file(&shown)
            .with_hint("set `slug` in the front matter to letters, digits and hyphens");
        let (line, column) = front_matter::field_position(&text, front_start, "slug");
        return Err(diagnostic.at(&text, line, column));
    }
    let body = markdown::render_body(&text, body_start);
    Ok(LoadedBrief {
        path: shown,
        text,
        front_start,
        body_start,
        front,
        body,
        slug,
    })
}
