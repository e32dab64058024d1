//! `dossier import docx`: a Word document becomes `briefs/<slug>.md` (a draft), its images
//! `static/images/<slug>/`, its footnotes and endnotes Markdown notes, and its Zotero and
//! Mendeley citation fields real sources in the brief's `citations` with Pandoc markers.

mod fields;
mod front;
mod images;
mod markdown;
mod model;
mod package;
mod parts;
mod read;
mod report;
mod sources;
mod styles;
mod write;
mod xml;

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use crate::cite::Source;
use crate::config::SiteConfig;
use crate::diagnostics::{Diagnostic, Diagnostics, display_path};
use crate::scaffold::BriefOptions;
use images::{extract_images, images_and_anchors};
use model::{Atom, Block, Piece};
use package::{Package, Problem};
use parts::{Parts, read_parts};
use report::{Counts, SummaryInput, summary};
use write::write_files;

#[derive(Debug, clap::Args)]
#[command(after_long_help = HELP)]
pub struct DocxArgs {
    /// The Word documents (.docx) to import, one brief each.
    #[arg(required = true, value_name = "FILE.docx")]
    pub files: Vec<PathBuf>,
    #[command(flatten)]
    pub options: BriefOptions,
}

const HELP: &str = "\
Each document becomes briefs/<slug>.md (the slug made from its title), marked `draft = true` so \
that nothing is published before an editor has read it; its images go to static/images/<slug>/. \
An existing file is never overwritten. The new files' paths are printed; a summary of what was \
converted and what was not goes to stderr.

The title is the paragraph in the Title style, else the first heading, else the document's \
properties. Authors are the document's authors (File > Info) matched by name against site.toml, \
unless --author is given. The date is today's, unless the document's properties hold a \
publication date.

Converted: headings (by style, in Word's interface languages, and by outline level), bold, \
italic, strikethrough, superscript and subscript, links (also HYPERLINK fields), bulleted and \
numbered lists with their nesting, block quotes (Quote styles), tables (GFM, or HTML with Markdown \
cells when cells are merged), images with their alt text, footnotes and endnotes. Tracked \
insertions are kept and deletions dropped; comments are dropped.

Citations: Zotero and Mendeley store each citation's full data in the document. Each cited item \
becomes a source in the brief's `citations` (CSL-JSON), with a readable id such as \
haggard-2017-hard-target, and each citation a marker such as [see @haggard-2017-hard-target, p. 12] \
or [-@id] (author suppressed). An item the site already defines keeps its id there. In a note \
style (the default), a footnote holding only a citation becomes the citation itself, which \
dossier makes a note. The plugin's bibliography is dropped: dossier writes the references.

Workflow: cite with the Zotero or Mendeley plugin in Word as usual, keep the citations live (do \
not \"unlink\" them), save as .docx, then: dossier import docx report.docx --author elena-marsh";

pub fn run(args: &DocxArgs, quiet: bool) -> Result<(), Diagnostics> {
    let config = SiteConfig::load(&args.options.root)?;
    let authors = front::authors_from_args(&config, &args.options.authors)?;
    // In a note style a footnote holding only a citation is the citation's own note.
    let note_style = crate::cite::style::CitationStyle::load(
        &config.citations.style,
        &args.options.root,
        &config.language,
    )
    .map_or(true, |style| style.is_note_style());
    let mut registry = sources::site_registry(&args.options.root, &config);
    let mut problems = Diagnostics::default();
    let mut taken: HashSet<String> = HashSet::new();
    for file in &args.files {
        let settings = Settings {
            root: &args.options.root,
            config: &config,
            authors: authors.as_deref(),
            category: args.options.category.as_deref(),
            yaml: args.options.yaml,
            note_style,
        };
        match import(file, &settings, &mut registry, &mut taken) {
            Ok(done) => {
                if !quiet {
                    println!("{}", done.brief.display());
                    eprint!("{}", done.summary);
                }
                // Warnings say what the brief lost: shown even when quiet.
                for warning in &done.warnings {
                    eprintln!("{warning}");
                }
            }
            Err(diagnostic) => problems.push(diagnostic),
        }
    }
    problems.into_result(())
}

struct Settings<'a> {
    root: &'a Path,
    config: &'a SiteConfig,
    /// From `--author`, already checked.
    authors: Option<&'a [String]>,
    category: Option<&'a str>,
    yaml: bool,
    note_style: bool,
}

struct Imported {
    brief: PathBuf,
    summary: String,
    warnings: Vec<Diagnostic>,
}

fn package_error(file: &Path, problem: Problem) -> Diagnostic {
    Diagnostic::new(problem.message)
        .in_file(file)
        .with_hint(problem.hint)
}

/// Plain text of inline pieces (for the title and summary).
fn plain(pieces: &[Piece]) -> String {
    let text: String = pieces
        .iter()
        .map(|p| match &p.atom {
            Atom::Text(t) => t.as_str(),
            Atom::Break => " ",
            _ => "",
        })
        .collect();
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn import(
    file: &Path,
    settings: &Settings<'_>,
    registry: &mut sources::Registry,
    taken: &mut HashSet<String>,
) -> Result<Imported, Diagnostic> {
    let shown = file.to_path_buf();
    let mut package = Package::open(file).map_err(|p| package_error(&shown, p))?;
    let mut parts = read_parts(&mut package).map_err(|p| package_error(&shown, p))?;
    let props = front::Properties::read(&mut package);
    let title = take_title(&mut parts, &props, file);
    raise_headings(&mut parts.body);
    let (slug, brief_path) = free_slug(&title, file, settings, taken)?;
    let brief_shown = display_path(settings.root, &brief_path);

    let place = brief_shown.display().to_string();
    let (assigned, markers, note_markers) = cite(&parts, registry, &place, settings.note_style);

    let (targets, linked) = images_and_anchors(&parts);
    let (images, files) = extract_images(&mut package, &mut parts, targets, &slug)
        .map_err(|p| package_error(&shown, p))?;
    let mut writer = markdown::Writer::new(&parts.notes, &markers, &note_markers, &images, &linked);
    let body = writer.document(&parts.body);
    let notes_written = writer.notes_written;
    let (authors, author_notes) = match settings.authors {
        Some(slugs) => (slugs.to_vec(), Vec::new()),
        None => front::authors_from_names(settings.config, &props.creators),
    };
    let summary_text = parts
        .subtitle
        .as_deref()
        .map(plain)
        .filter(|s| !s.is_empty())
        .or_else(|| props.description.clone());
    let definitions = definitions(&parts.collector, &assigned);
    let meta = front::Meta {
        title: &title,
        date: props
            .date
            .clone()
            .unwrap_or_else(|| jiff::ZonedDateTime::now().date().to_string()),
        authors: &authors,
        category: settings.category,
        tags: &props.keywords,
        summary: summary_text.as_deref(),
        citations: &definitions,
    };
    let text = if settings.yaml {
        front::yaml(&meta, &body)
    } else {
        front::toml(&meta, &body)
    };

    write_files(settings.root, &slug, &brief_path, &text, &files).map_err(|d| d.in_file(&shown))?;
    taken.insert(slug.clone());

    let counts = Counts::of(&parts.body);
    let (summary, warnings) = summary(&SummaryInput {
        file: &shown,
        brief: &brief_shown,
        counts: &counts,
        notes: notes_written,
        images: files.len(),
        parts: &parts,
        assigned: &assigned,
        author_notes: &author_notes,
        note_markers: note_markers.len(),
    });
    Ok(Imported {
        brief: brief_shown,
        summary,
        warnings,
    })
}

/// The sources' ids (the site's, or new readable ones), each citation's marker, and in a note
/// style the notes that become their citations' markers.
#[allow(clippy::type_complexity)]
fn cite(
    parts: &Parts,
    registry: &mut sources::Registry,
    place: &str,
    note_style: bool,
) -> (
    Vec<sources::Assigned>,
    Vec<String>,
    HashMap<(bool, String), String>,
) {
    let assigned: Vec<sources::Assigned> = parts
        .collector
        .sources
        .iter()
        .map(|source| registry.assign(source, place))
        .collect();
    let ids: Vec<String> = assigned.iter().map(|a| a.id.clone()).collect();
    let markers: Vec<String> = parts
        .collector
        .citations
        .iter()
        .map(|c| sources::marker(&c.items.iter().collect::<Vec<_>>(), &ids))
        .collect();
    let note_markers = if note_style {
        citation_only_notes(&parts.notes, &parts.collector, &ids)
    } else {
        HashMap::new()
    };
    (assigned, markers, note_markers)
}

/// The title: the Title style, else the first heading (which then leaves the body), else the
/// document's properties, else the file name.
fn take_title(parts: &mut Parts, props: &front::Properties, file: &Path) -> String {
    if let Some(title) = parts.title.as_deref().map(plain).filter(|t| !t.is_empty()) {
        return title;
    }
    let first_heading = parts
        .body
        .iter()
        .position(|b| matches!(b, Block::Heading(..)));
    match first_heading {
        Some(at) if at == 0 || props.title.is_none() => {
            let Block::Heading(_, pieces) = parts.body.remove(at) else {
                unreachable!("a heading was found at this position")
            };
            plain(&pieces)
        }
        _ => props.title.clone().unwrap_or_else(|| {
            let stem = file
                .file_stem()
                .map(|s| s.to_string_lossy().replace(['_', '-'], " "))
                .unwrap_or_default();
            let stem = stem.trim();
            let mut chars = stem.chars();
            chars
                .next()
                .map(|c| c.to_uppercase().chain(chars).collect())
                .unwrap_or_default()
        }),
    }
}

/// The title is the page's h1: the highest remaining heading level becomes `##`.
fn raise_headings(body: &mut [Block]) {
    let top = body
        .iter()
        .filter_map(|b| match b {
            Block::Heading(level, _) => Some(*level),
            _ => None,
        })
        .min();
    if let Some(top) = top {
        for block in body {
            if let Block::Heading(level, _) = block {
                *level -= top - 1;
            }
        }
    }
}

/// The brief's slug (from the title, else the file name) and path, if no brief has it yet.
fn free_slug(
    title: &str,
    file: &Path,
    settings: &Settings<'_>,
    taken: &HashSet<String>,
) -> Result<(String, PathBuf), Diagnostic> {
    let mut slug = slug::slugify(title);
    if crate::slugs::problem(&slug).is_some() {
        slug = slug::slugify(file.file_stem().unwrap_or_default().to_string_lossy());
    }
    if let Some(why) = crate::slugs::problem(&slug) {
        return Err(Diagnostic::new(format!(
            "cannot make a file name from the title `{title}`: {why}"
        ))
        .in_file(file)
        .with_hint("give the document a title (the Title style, or File > Info > Title)"));
    }
    let briefs = settings.root.join("briefs");
    let brief_path = briefs.join(format!("{slug}.md"));
    let existing = crate::scaffold::same_slug(&briefs, &slug)
        .or_else(|| taken.contains(&slug).then(|| brief_path.clone()));
    if let Some(existing) = existing {
        return Err(Diagnostic::new(format!(
            "a brief with the URL /{slug}/ already exists: {}",
            display_path(settings.root, &existing).display()
        ))
        .in_file(file)
        .with_hint(
            "dossier never overwrites a brief: delete or rename it to import the document again",
        ));
    }
    Ok((slug, brief_path))
}

/// The sources this brief defines (those the site does not have yet), each once, with its id.
fn definitions(collector: &sources::Collector, assigned: &[sources::Assigned]) -> Vec<Source> {
    let mut definitions = Vec::new();
    let mut defined = HashSet::new();
    for (source, assigned) in collector.sources.iter().zip(assigned) {
        if assigned.define_here && defined.insert(assigned.id.clone()) {
            let mut source = source.clone();
            source.id = assigned.id.clone();
            definitions.push(source);
        }
    }
    definitions
}

/// In a note style, a note that holds nothing but citations (and punctuation) becomes their
/// marker: dossier makes the note itself.
fn citation_only_notes(
    notes: &HashMap<(bool, String), Vec<Block>>,
    collector: &sources::Collector,
    ids: &[String],
) -> HashMap<(bool, String), String> {
    let mut out = HashMap::new();
    for (key, blocks) in notes {
        let [Block::Para(pieces)] = blocks.as_slice() else {
            continue;
        };
        let mut cites = Vec::new();
        let only = pieces.iter().all(|p| match &p.atom {
            Atom::Cite(i) => {
                cites.push(*i);
                true
            }
            Atom::Text(t) => t.chars().all(|c| c.is_whitespace() || ".,;".contains(c)),
            Atom::Anchor(_) => true,
            _ => false,
        });
        if only && !cites.is_empty() {
            let items: Vec<&model::CiteItem> = cites
                .iter()
                .flat_map(|&i| collector.citations[i].items.iter())
                .collect();
            out.insert(key.clone(), sources::marker(&items, ids));
        }
    }
    out
}
