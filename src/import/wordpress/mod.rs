//! `dossier import wordpress`: a WordPress export (WXR) into a dossier site folder: site.toml,
//! briefs from posts, standalone pages from pages, the main menu, aliases for every old URL,
//! uploads copied when their folder is given, and import-report.md. It only writes ordinary site
//! files, which `build` then reads like any others.

mod autop;
mod content;
mod fields;
mod front;
mod links;
mod markdown;
mod plan;
mod report;
mod shortcodes;
mod site;
mod wxr;

use std::path::{Component, Path, PathBuf};

use crate::diagnostics::{Diagnostic, Diagnostics};

#[derive(Debug, clap::Args)]
#[command(after_long_help = AFTER_HELP)]
pub struct WordpressArgs {
    /// The export: the .xml file WordPress writes under Tools → Export (WXR 1.0-1.2, UTF-8).
    pub export: PathBuf,
    /// The folder of the new site (created if needed; default: the current folder).
    #[arg(long, value_name = "DIR", default_value = ".")]
    pub into: PathBuf,
    /// The old site's wp-content/uploads folder: the files posts use are copied into
    /// static/wp-content/uploads/ and their links rewritten. Without it they stay on the old
    /// site and import-report.md lists them.
    #[arg(long, value_name = "DIR")]
    pub uploads: Option<PathBuf>,
    /// Overwrite files that differ from what the import writes (by default an import refuses,
    /// and a second import of the same export changes nothing).
    #[arg(long)]
    pub force: bool,
}

const AFTER_HELP: &str = "\
What it writes:
  site.toml          title, description, base_url, language, one [authors.<login>] per author,
                     and [[menu.main]] from the WordPress menu
  briefs/<slug>.md   one per post: drafts and pending posts as drafts, scheduled posts with their
                     date; private, password-protected and trashed posts are left out
  pages/<path>.md    one per page, at its path in the page hierarchy
  import-report.md   every item skipped or changed, with the reason
Each brief and page gets `aliases` for its old permalink and its ?p= / ?page_id= address, so
`dossier build` writes redirects from the old URLs (pages and a _redirects file).

Example:
  dossier import wordpress blog.WordPress.2024-05-01.xml --into my-site --uploads old/wp-content/uploads
  cd my-site && dossier build";

/// The site's folder and every path inside it, checked.
struct Target {
    root: PathBuf,
}

impl Target {
    /// `relative` under the site's folder, refusing any path that could leave it.
    fn path(&self, relative: &str) -> Option<PathBuf> {
        let path = Path::new(relative);
        path.components()
            .all(|c| matches!(c, Component::Normal(_)))
            .then(|| self.root.join(path))
    }
}

pub fn run(args: &WordpressArgs, quiet: bool) -> Result<(), Diagnostics> {
    let export = wxr::read(&args.export).map_err(|e| {
        let mut diagnostic = Diagnostic::new(e.message)
            .in_file(&args.export)
            .with_hint(e.hint);
        diagnostic.position = e.position;
        Diagnostics(vec![diagnostic])
    })?;
    if let Some(uploads) = &args.uploads
        && !uploads.is_dir()
    {
        return Err(Diagnostics(vec![
            Diagnostic::new(format!("--uploads {}: no such folder", uploads.display())).with_hint(
                "give the old site's wp-content/uploads folder (copied from its server)",
            ),
        ]));
    }
    let mut plan = plan::plan(&export, args.uploads.clone());
    let export_name = args
        .export
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let report = plan.report.markdown(&export_name);
    plan.files.push(("import-report.md".to_owned(), report));

    std::fs::create_dir_all(&args.into).map_err(|e| io_error(&args.into, &e))?;
    let root = args
        .into
        .canonicalize()
        .map_err(|e| io_error(&args.into, &e))?;
    let target = Target { root };

    // Everything is checked before anything is written.
    let mut writes: Vec<(PathBuf, Source)> = Vec::new();
    for (relative, text) in &plan.files {
        if let Some(path) = target.path(relative) {
            writes.push((path, Source::Text(text)));
        }
    }
    if let Some(uploads) = &args.uploads {
        for relative in &plan.uploads {
            if let Some(path) = target.path(&format!("static/wp-content/uploads/{relative}")) {
                writes.push((path, Source::File(uploads.join(relative))));
            }
        }
    }
    let mut conflicts = Vec::new();
    let mut pending = Vec::new();
    for (path, source) in writes {
        match std::fs::symlink_metadata(&path) {
            Ok(meta) if meta.file_type().is_symlink() || meta.is_dir() => {
                return Err(Diagnostics(vec![
                    Diagnostic::new(format!(
                        "{} is a link or a folder: the import writes a file there",
                        path.display()
                    ))
                    .with_hint("move it away, or import into another folder"),
                ]));
            }
            Ok(_) => {
                let same = match &source {
                    Source::Text(text) => {
                        std::fs::read(&path).is_ok_and(|old| old == text.as_bytes())
                    }
                    Source::File(from) => same_file_content(from, &path),
                };
                if same {
                    continue;
                }
                if !args.force {
                    conflicts.push(path);
                    continue;
                }
                pending.push((path, source));
            }
            Err(_) => pending.push((path, source)),
        }
    }
    if !conflicts.is_empty() {
        let shown: Vec<String> = conflicts
            .iter()
            .take(10)
            .map(|p| format!("  {}", p.strip_prefix(&target.root).unwrap_or(p).display()))
            .collect();
        let more = if conflicts.len() > 10 {
            format!("\n  ... and {} more", conflicts.len() - 10)
        } else {
            String::new()
        };
        return Err(Diagnostics(vec![
            Diagnostic::new(format!(
                "{} files in {} already exist with other contents; nothing was written:\n{}{more}",
                conflicts.len(),
                args.into.display(),
                shown.join("\n")
            ))
            .with_hint("import into an empty folder, or add --force to overwrite them"),
        ]));
    }
    let written = pending.len();
    for (path, source) in pending {
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| io_error(parent, &e))?;
            // A folder on the way that is a link out of the site is refused.
            let real = parent.canonicalize().map_err(|e| io_error(parent, &e))?;
            if !real.starts_with(&target.root) {
                return Err(Diagnostics(vec![Diagnostic::new(format!(
                    "{} leads out of the site folder through a link: not written",
                    path.display()
                ))]));
            }
        }
        let result = match source {
            Source::Text(text) => std::fs::write(&path, text),
            Source::File(from) => std::fs::copy(&from, &path).map(|_| ()),
        };
        result.map_err(|e| io_error(&path, &e))?;
    }
    if !quiet {
        println!(
            "Imported {} into {} ({written} files written). {}\nSee {} for what was skipped or changed; then run `dossier build --root {}`.",
            args.export.display(),
            args.into.display(),
            plan.report.headline(),
            args.into.join("import-report.md").display(),
            args.into.display(),
        );
    }
    Ok(())
}

enum Source<'a> {
    Text(&'a str),
    File(PathBuf),
}

fn same_file_content(a: &Path, b: &Path) -> bool {
    match (std::fs::metadata(a), std::fs::metadata(b)) {
        (Ok(ma), Ok(mb)) if ma.len() == mb.len() => {
            matches!((std::fs::read(a), std::fs::read(b)), (Ok(x), Ok(y)) if x == y)
        }
        _ => false,
    }
}

fn io_error(path: &Path, error: &std::io::Error) -> Diagnostics {
    Diagnostics(vec![Diagnostic::new(format!(
        "{}: {error}",
        path.display()
    ))])
}
