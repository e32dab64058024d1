//! `dossier build`: load -> resolve -> render -> write, reporting every problem at once.

use std::path::{Path, PathBuf};
use std::time::Instant;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::freshness;
use crate::output::Staging;
use crate::pipeline;
use crate::render::{self, Theme};
use crate::site::Site;

/// What `build` and `check` read: the site's folder, and which briefs count under which address.
#[derive(Debug, clap::Args)]
pub struct SiteArgs {
    /// The site's folder, holding site.toml and briefs/.
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
    /// Build (or check) for another address than site.toml's base_url (e.g. a preview deploy).
    #[arg(long)]
    pub base_url: Option<String>,
    /// Include briefs marked `draft = true`.
    #[arg(long)]
    pub drafts: bool,
    /// Include briefs dated in the future (by default they wait for their date).
    #[arg(long)]
    pub future: bool,
}

impl SiteArgs {
    pub fn inputs(&self) -> pipeline::Inputs<'_> {
        pipeline::Inputs {
            root: &self.root,
            base_url: self.base_url.as_deref(),
            drafts: self.drafts,
        }
    }

    /// The moment a brief's date must have come by to be published: now, unless `--future`.
    pub fn as_of(&self) -> Option<jiff::ZonedDateTime> {
        (!self.future).then(jiff::ZonedDateTime::now)
    }
}

#[derive(Debug, clap::Args)]
pub struct BuildArgs {
    #[command(flatten)]
    pub site: SiteArgs,
    /// Where to write the site [default: <root>/public].
    #[arg(long)]
    pub output: Option<PathBuf>,
}

/// What a successful build did, for the summary line.
pub struct Summary {
    pub counts: freshness::Counts,
    pub output: PathBuf,
    /// Nothing changed since the last build: the output was left as it was.
    pub up_to_date: bool,
}

pub fn run(args: &BuildArgs, quiet: bool, verbose: bool) -> Result<(), Diagnostics> {
    let started = Instant::now();
    let output = match &args.output {
        Some(output) => output.clone(),
        None if args.site.root == Path::new(".") => PathBuf::from("public"),
        None => args.site.root.join("public"),
    };
    let summary = build(args, &output, quiet, verbose).map_err(|mut diagnostics| {
        diagnostics.push(Diagnostic::new(format!(
            "the build failed with {} problem{}; {} was left unchanged",
            diagnostics.0.len(),
            if diagnostics.0.len() == 1 { "" } else { "s" },
            output.display()
        )));
        diagnostics
    })?;
    let counts = summary.counts;
    if !quiet && summary.up_to_date {
        println!(
            "Nothing changed since the last build: {} is up to date ({}, {}) ({} ms)",
            summary.output.display(),
            count(counts.briefs, "brief"),
            count(counts.pages, "page"),
            started.elapsed().as_millis()
        );
    } else if !quiet {
        println!(
            "Built {}, {}, {}, {}: {} in {} ({} ms)",
            count(counts.briefs, "brief"),
            count(counts.authors, "author"),
            count(counts.categories, "category"),
            count(counts.sources, "source"),
            count(counts.pages, "page"),
            summary.output.display(),
            started.elapsed().as_millis()
        );
    }
    Ok(())
}

fn build(
    args: &BuildArgs,
    output: &Path,
    quiet: bool,
    verbose: bool,
) -> Result<Summary, Diagnostics> {
    let root = &args.site.root;
    // The output folder is replaced whole: never the site itself or a folder holding other work.
    crate::output::check_target(output, root)?;
    // A build killed in the middle of a swap may have left the previous output set aside: put it
    // back first, so that it is there even if this build fails.
    crate::output::recover(output)?;
    let log = |what: &str, since: Instant| pipeline::log_stage(verbose, what, since);

    let step = Instant::now();
    let snapshot = freshness::Snapshot::take(
        root,
        output,
        &freshness::Options {
            base_url: args.site.base_url.as_deref(),
            drafts: args.site.drafts,
            future: args.site.future,
        },
    );
    if let Some(last) = snapshot.current(output) {
        log("check", step);
        return Ok(Summary {
            counts: last.counts,
            output: output.to_owned(),
            up_to_date: true,
        });
    }
    log("check", step);

    let (mut site, theme) =
        pipeline::load_site_as_of(&args.site.inputs(), args.site.as_of(), verbose)?;
    site.release_loading_data();
    let staging = Staging::create(output)?;
    let pages = write_site(&site, &theme, &staging, quiet, &log)?;

    let step = Instant::now();
    let written = staging.fingerprint();
    staging.commit()?;
    site.style.save_cache();
    log("swap", step);
    pipeline::log_peak(verbose);
    if verbose {
        let cite = site.style.reference_counts();
        eprintln!(
            "      cite: {} entries filled in from {} templates, {} formatted alone",
            cite.filled, cite.templates, cite.alone
        );
    }
    let counts = freshness::Counts {
        pages,
        ..counts(&site)
    };
    let record = freshness::Record::new(
        files_read_elsewhere(&site),
        site.next_due.map(|due| due.as_second()),
        counts,
    );
    snapshot.record(written, record);
    Ok(Summary {
        counts,
        output: output.to_owned(),
        up_to_date: false,
    })
}

/// Renders every page, copies the static files and typesets the PDFs into `staging`; the number
/// of pages written.
fn write_site(
    site: &Site,
    theme: &Theme,
    staging: &Staging,
    quiet: bool,
    log: &dyn Fn(&str, Instant),
) -> Result<usize, Diagnostics> {
    let step = Instant::now();
    let progress = progress_bar(quiet);
    let pages = render::render_site(
        site,
        theme,
        |page| staging.write(&page.path, &page.bytes()),
        &progress,
    )?;
    progress.finish_and_clear();
    for (rel, file) in &theme.static_files {
        staging.copy_static(rel, file)?;
    }
    log("render", step);

    if site.config.pdf.enabled {
        let step = Instant::now();
        let tally = crate::pdf::write_all(site, &theme.static_files, |rel, bytes| {
            staging.write(rel, bytes)
        })?;
        log(
            &format!("pdf ({} typeset, {} cached)", tally.typeset, tally.cached),
            step,
        );
    }
    Ok(pages)
}

/// The bar that shows rendering's progress on stderr (none with `--quiet`).
fn progress_bar(quiet: bool) -> ProgressBar {
    let progress = if quiet {
        ProgressBar::hidden()
    } else {
        ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr())
    };
    if let Ok(style) = ProgressStyle::with_template("{bar:40} {pos}/{len} pages") {
        progress.set_style(style);
    }
    progress
}

/// What the summary line counts, but the pages (known once they are written).
fn counts(site: &Site) -> freshness::Counts {
    freshness::Counts {
        briefs: site.briefs.len(),
        authors: site.authors.iter().filter(|a| !a.briefs.is_empty()).count(),
        categories: site.categories.len(),
        sources: site.sources.len(),
        pages: 0,
    }
}

/// Files the build read besides the site's own folders (bibliographies, a CSL style named by its
/// path): the next build checks them with the site's files.
fn files_read_elsewhere(site: &crate::site::Site) -> Vec<PathBuf> {
    let root = &site.root;
    let citations = &site.config.citations;
    let mut files: Vec<PathBuf> = citations
        .bibliography
        .iter()
        .map(|f| root.join(f))
        .collect();
    if citations.style.ends_with(".csl") {
        files.push(root.join(&citations.style));
    }
    for brief in &site.briefs {
        let folder = root.join(&brief.loaded.path);
        let folder = folder.parent().unwrap_or(root);
        files.extend(
            brief
                .loaded
                .front
                .bibliography
                .iter()
                .map(|f| folder.join(f)),
        );
    }
    let mut files: Vec<PathBuf> = files.iter().filter_map(|f| f.canonicalize().ok()).collect();
    files.sort();
    files.dedup();
    files
}

/// "1 brief", "2 briefs".
fn count(n: usize, noun: &str) -> String {
    match (n, noun.strip_suffix('y')) {
        (1, _) => format!("1 {noun}"),
        (_, Some(stem)) => format!("{n} {stem}ies"),
        _ => format!("{n} {noun}s"),
    }
}
