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
mod places;
mod plan;
mod report;
mod shortcodes;
mod site;
mod write;
mod wxr;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::diagnostics::{Diagnostic, Diagnostics};
use write::{Outcome, Staging};

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
  static/wp-content/uploads/
                     with --uploads, the files the posts and pages use
  import-report.md   every item skipped or changed, with the reason (also printed as warnings
                     naming the export's line)
Each brief and page gets `aliases` for its old permalink and its ?p= / ?page_id= address, so
`dossier build` writes redirects from the old URLs: a page at each old path, a _redirects file
(Netlify, Cloudflare Pages), and redirects.json, which a script on the home page reads to send
?p= addresses on from any static host.

Nothing is written unless the whole import succeeds; a file that exists with other contents
stops the import (--force overwrites it), and importing the same export again changes nothing.

Example:
  dossier import wordpress blog.xml --into my-site --uploads old-site/wp-content/uploads
  cd my-site && dossier build";

/// How many items a chunk of the second reading holds: converted in parallel while the reader
/// goes on with the next chunk, so at most about three chunks of bodies are in memory.
const CHUNK: usize = 128;

/// How many warnings the terminal shows; import-report.md has them all.
const SHOWN_WARNINGS: usize = 20;

pub fn run(args: &WordpressArgs, quiet: bool) -> Result<(), Diagnostics> {
    // First reading: the index, every item without its body.
    let export = wxr::read_index(&args.export).map_err(|e| read_error(&args.export, e))?;
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
    drop(export);
    let export_name = args
        .export
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();

    std::fs::create_dir_all(&args.into).map_err(|e| write::io_error(&args.into, &e))?;
    let root = args
        .into
        .canonicalize()
        .map_err(|e| write::io_error(&args.into, &e))?;
    let staging = Staging::new(root, args.force)?;
    let mut outcomes = Outcomes::default();
    convert_bodies(args, &mut plan, &staging, &mut outcomes)?;
    for (relative, text) in plan.finish(&export_name) {
        outcomes.take(staging.text(&relative, &text));
    }
    if let Some(uploads) = &args.uploads {
        for relative in &plan.uploads {
            outcomes.take(staging.copy(
                &format!("static/wp-content/uploads/{relative}"),
                &uploads.join(relative),
            ));
        }
    }
    let Outcomes {
        staged,
        mut conflicts,
        problems,
    } = outcomes;
    if !problems.0.is_empty() {
        return Err(problems);
    }
    if !conflicts.is_empty() {
        conflicts.sort();
        return Err(conflicts_error(&conflicts, &args.into));
    }
    staging.commit(&staged)?;
    drop(staging);
    if !quiet {
        print_summary(args, &plan, staged.len());
    }
    Ok(())
}

/// What staging the files did: written to the staging folder, in the way of an existing file,
/// or failed.
#[derive(Default)]
struct Outcomes {
    staged: Vec<String>,
    conflicts: Vec<String>,
    problems: Diagnostics,
}

impl Outcomes {
    fn take(&mut self, outcome: Result<Outcome, Diagnostic>) {
        match outcome {
            Ok(Outcome::Same) => {}
            Ok(Outcome::Staged(path)) => self.staged.push(path),
            Ok(Outcome::Conflict(path)) => self.conflicts.push(path),
            Err(problem) => self.problems.push(problem),
        }
    }
}

/// Second reading: the bodies of the imported items, converted and staged chunk by chunk while
/// a thread reads the next.
fn convert_bodies(
    args: &WordpressArgs,
    plan: &mut plan::Plan,
    staging: &Staging,
    outcomes: &mut Outcomes,
) -> Result<(), Diagnostics> {
    let by_seq: HashMap<usize, usize> = plan
        .entries
        .iter()
        .enumerate()
        .map(|(n, entry)| (entry.seq, n))
        .collect();
    let md = markdown::converter();
    let mut seen = 0;
    let read = std::thread::scope(|scope| {
        let (send, chunks) = std::sync::mpsc::sync_channel::<Vec<wxr::Item>>(1);
        let by_seq = &by_seq;
        let reader = scope.spawn(move || {
            let mut chunk = Vec::with_capacity(CHUNK);
            let wanted = |seq: usize| by_seq.contains_key(&seq);
            let read = wxr::read(&args.export, wxr::Pass::Bodies(&wanted), |item| {
                chunk.push(item);
                if chunk.len() == CHUNK {
                    // The receiver only stops when the import failed; then nothing is written.
                    let _ = send.send(std::mem::replace(&mut chunk, Vec::with_capacity(CHUNK)));
                }
            });
            if !chunk.is_empty() {
                let _ = send.send(chunk);
            }
            read
        });
        for chunk in chunks {
            let files: Vec<(usize, plan::ItemFile, Result<Outcome, Diagnostic>)> = chunk
                .into_par_iter()
                .filter_map(|item| {
                    let n = *by_seq.get(&item.seq)?;
                    let mut file = plan.convert(n, &item, &md);
                    let outcome = staging.text(&file.path, &file.text);
                    file.text = String::new();
                    Some((n, file, outcome))
                })
                .collect();
            for (n, mut file, outcome) in files {
                plan.record(n, &mut file);
                outcomes.take(outcome);
                seen += 1;
            }
        }
        reader.join()
    });
    match read {
        Ok(Ok(_)) => {}
        Ok(Err(e)) => return Err(read_error(&args.export, e)),
        Err(_) => {
            return Err(Diagnostics(vec![Diagnostic::new(
                "reading the export's bodies failed unexpectedly: nothing was written",
            )]));
        }
    }
    if seen != plan.entries.len() {
        return Err(Diagnostics(vec![
            Diagnostic::new(format!(
                "{} changed while it was imported: nothing was written",
                args.export.display()
            ))
            .with_hint("import it again once nothing writes to it"),
        ]));
    }
    Ok(())
}

/// Files that exist with other contents (sorted): the first ten are named.
fn conflicts_error(conflicts: &[String], into: &Path) -> Diagnostics {
    let shown: Vec<String> = conflicts
        .iter()
        .take(10)
        .map(|p| format!("  {p}"))
        .collect();
    let more = if conflicts.len() > 10 {
        format!("\n  ... and {} more", conflicts.len() - 10)
    } else {
        String::new()
    };
    Diagnostics(vec![
        Diagnostic::new(format!(
            "{} files in {} already exist with other contents; nothing was written:\n{}{more}",
            conflicts.len(),
            into.display(),
            shown.join("\n")
        ))
        .with_hint("import into an empty folder, or add --force to overwrite them"),
    ])
}

/// The warnings (the first few; import-report.md has them all) and what was imported.
fn print_summary(args: &WordpressArgs, plan: &plan::Plan, written: usize) {
    let warnings = plan.report.warnings(&args.export);
    for warning in warnings.iter().take(SHOWN_WARNINGS) {
        eprintln!("{warning}\n");
    }
    if warnings.len() > SHOWN_WARNINGS {
        eprintln!(
            "... and {} more warnings, all in import-report.md\n",
            warnings.len() - SHOWN_WARNINGS
        );
    }
    println!(
        "Imported {} into {} ({} files written). {}\nSee {} for what was skipped or changed; then run `dossier build --root {}`.",
        args.export.display(),
        args.into.display(),
        written,
        plan.report.headline(),
        args.into.join("import-report.md").display(),
        args.into.display(),
    );
}

fn read_error(export: &Path, e: wxr::ReadError) -> Diagnostics {
    let mut diagnostic = Diagnostic::new(e.message).in_file(export).with_hint(e.hint);
    diagnostic.position = e.position;
    Diagnostics(vec![diagnostic])
}
