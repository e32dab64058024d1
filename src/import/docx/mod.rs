//! `dossier import docx`: a Word document becomes `briefs/<slug>.md` (a draft), its images
//! `static/images/<slug>/`, its footnotes and endnotes Markdown notes, and its Zotero and
//! Mendeley citation fields real sources in the brief's `citations` with Pandoc markers.

mod fields;
mod front;
mod markdown;
mod model;
mod package;
mod read;
mod sources;
mod styles;
mod xml;

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use crate::config::SiteConfig;
use crate::diagnostics::{Diagnostic, Diagnostics, display_path};
use model::{Atom, Block, Piece};
use package::{Package, Problem};

#[derive(Debug, clap::Args)]
#[command(after_long_help = HELP)]
pub struct DocxArgs {
    /// The Word documents (.docx) to import, one brief each.
    #[arg(required = true, value_name = "FILE.docx")]
    pub files: Vec<PathBuf>,
    /// The site's folder, holding site.toml and briefs/.
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
    /// An author's slug from site.toml (repeat for co-authors); else the document's authors,
    /// matched by name.
    #[arg(long = "author")]
    pub authors: Vec<String>,
    /// The briefs' category.
    #[arg(long)]
    pub category: Option<String>,
    /// Write the front matter in YAML (between `---` lines) instead of TOML.
    #[arg(long)]
    pub yaml: bool,
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
    let config = SiteConfig::load(&args.root)?;
    let authors = front::authors_from_args(&config, &args.authors)?;
    // In a note style a footnote holding only a citation is the citation's own note.
    let note_style = crate::cite::style::CitationStyle::load(
        &config.citations.style,
        &args.root,
        &config.language,
    )
    .map_or(true, |style| style.is_note_style());
    let mut registry = sources::site_registry(&args.root, &config);
    let mut problems = Diagnostics::default();
    let mut taken: HashSet<String> = HashSet::new();
    for file in &args.files {
        let settings = Settings {
            root: &args.root,
            config: &config,
            authors: authors.as_deref(),
            category: args.category.as_deref(),
            yaml: args.yaml,
            note_style,
        };
        match import(file, &settings, &mut registry, &mut taken) {
            Ok(done) => {
                if !quiet {
                    println!("{}", done.brief.display());
                    eprint!("{}", done.summary);
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
}

fn package_error(file: &Path, problem: Problem) -> Diagnostic {
    Diagnostic::new(problem.message)
        .in_file(file)
        .with_hint(problem.hint)
}

/// The parts of a document, read and parsed.
struct Parts {
    body: Vec<Block>,
    notes: HashMap<(bool, String), Vec<Block>>,
    title: Option<Vec<Piece>>,
    subtitle: Option<Vec<Piece>>,
    collector: sources::Collector,
    report: read::Report,
}

fn read_parts(package: &mut Package) -> Result<Parts, Problem> {
    let root_rels = package.relationships("")?;
    let main = root_rels
        .values()
        .find(|r| r.kind == "officeDocument" && !r.external)
        .map(|r| r.target.clone())
        .filter(|t| package.has(t))
        .unwrap_or_else(|| "word/document.xml".to_owned());
    let Some(document) = package.xml(&main)? else {
        let what = if package.has("mimetype") || package.has("content.xml") {
            "it is an OpenDocument file (.odt), not a Word document"
        } else if package.has("xl/workbook.xml") || package.has("ppt/presentation.xml") {
            "it is an Excel or PowerPoint file, not a Word document"
        } else {
            "it is a zip archive, but not a Word document"
        };
        return Err(Problem {
            message: format!("the document has no word/document.xml: {what}"),
            hint: "open it in Word or LibreOffice and save it as a Word document (.docx)",
        });
    };
    let rels = package.relationships(&main)?;
    let part_of = |kind: &str, default: &str| {
        rels.values()
            .find(|r| r.kind == kind && !r.external)
            .map_or_else(|| default.to_owned(), |r| r.target.clone())
    };
    let styles_text = package.xml(&part_of("styles", "word/styles.xml"))?;
    let numbering_text = package.xml(&part_of("numbering", "word/numbering.xml"))?;
    let footnotes_name = part_of("footnotes", "word/footnotes.xml");
    let endnotes_name = part_of("endnotes", "word/endnotes.xml");
    let footnotes_text = package.xml(&footnotes_name)?;
    let endnotes_text = package.xml(&endnotes_name)?;

    let styles = match &styles_text {
        Some(text) => styles::Styles::parse(&package::parse_xml(text, "word/styles.xml")?),
        None => styles::Styles::default(),
    };
    let numbering = match &numbering_text {
        Some(text) => styles::Numbering::parse(&package::parse_xml(text, "word/numbering.xml")?),
        None => styles::Numbering::default(),
    };
    let doc = package::parse_xml(&document, &main)?;
    let mut collector = sources::Collector::default();
    let mut report = read::Report::default();
    let mut reader = read::Reader::new(
        &styles,
        &numbering,
        &rels,
        &mut collector,
        &mut report,
        false,
    );
    let body = xml::child(doc.root_element(), "body")
        .map(|b| reader.blocks(b))
        .unwrap_or_default();
    let (title, subtitle) = (reader.title.take(), reader.subtitle.take());
    let mut notes = HashMap::new();
    for (text, name, endnote) in [
        (&footnotes_text, &footnotes_name, false),
        (&endnotes_text, &endnotes_name, true),
    ] {
        let Some(text) = text else { continue };
        let notes_doc = package::parse_xml(text, name)?;
        let note_rels = package.relationships(name)?;
        let mut reader = read::Reader::new(
            &styles,
            &numbering,
            &note_rels,
            &mut collector,
            &mut report,
            true,
        );
        for (id, blocks) in read::notes(&mut reader, notes_doc.root_element()) {
            notes.insert((endnote, id), blocks);
        }
    }
    Ok(Parts {
        body,
        notes,
        title,
        subtitle,
        collector,
        report,
    })
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

    // Title: the Title style, else the first heading (which then leaves the body), else the
    // document's properties, else the file name.
    let title = match parts.title.as_deref().map(plain).filter(|t| !t.is_empty()) {
        Some(title) => title,
        None => {
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
    };
    // The title is the page's h1: the highest remaining heading level becomes `##`.
    if let Some(top) = parts
        .body
        .iter()
        .filter_map(|b| match b {
            Block::Heading(level, _) => Some(*level),
            _ => None,
        })
        .min()
    {
        for block in &mut parts.body {
            if let Block::Heading(level, _) = block {
                *level -= top - 1;
            }
        }
    }
    let mut slug = slug::slugify(&title);
    if crate::slugs::problem(&slug).is_some() {
        slug = slug::slugify(file.file_stem().unwrap_or_default().to_string_lossy());
    }
    if let Some(why) = crate::slugs::problem(&slug) {
        return Err(Diagnostic::new(format!(
            "cannot make a file name from the title `{title}`: {why}"
        ))
        .in_file(&shown)
        .with_hint("give the document a title (the Title style, or File > Info > Title)"));
    }
    let briefs = settings.root.join("briefs");
    let brief_path = briefs.join(format!("{slug}.md"));
    let existing = crate::commands::new::same_slug(&briefs, &slug)
        .or_else(|| taken.contains(&slug).then(|| brief_path.clone()));
    if let Some(existing) = existing {
        return Err(Diagnostic::new(format!(
            "a brief with the URL /{slug}/ already exists: {}",
            display_path(settings.root, &existing).display()
        ))
        .in_file(&shown)
        .with_hint(
            "dossier never overwrites a brief: delete or rename it to import the document again",
        ));
    }
    let brief_shown = display_path(settings.root, &brief_path);

    // Sources: ids from the site, or new readable ones.
    let place = brief_shown.display().to_string();
    let assigned: Vec<sources::Assigned> = parts
        .collector
        .sources
        .iter()
        .map(|source| registry.assign(source, &place))
        .collect();
    let ids: Vec<String> = assigned.iter().map(|a| a.id.clone()).collect();
    let markers: Vec<String> = parts
        .collector
        .citations
        .iter()
        .map(|c| sources::marker(&c.items.iter().collect::<Vec<_>>(), &ids))
        .collect();
    let note_markers = if settings.note_style {
        citation_only_notes(&parts.notes, &parts.collector, &ids)
    } else {
        HashMap::new()
    };

    // Images: extracted under static/images/<slug>/, linked relative to the brief's page.
    let mut targets = Vec::new();
    let mut linked = HashSet::new();
    walk_pieces(&parts.body, &mut |p| visit(p, &mut targets, &mut linked));
    for blocks in parts.notes.values() {
        walk_pieces(blocks, &mut |p| visit(p, &mut targets, &mut linked));
    }
    let mut images = HashMap::new();
    let mut files: Vec<(String, Vec<u8>)> = Vec::new();
    let mut names = HashSet::new();
    for target in targets {
        let Some(bytes) = package
            .media(&target)
            .map_err(|p| package_error(&shown, p))?
        else {
            parts.report.missing_images += 1;
            continue;
        };
        let name = image_name(&target, &mut names);
        images.insert(target, format!("../images/{slug}/{name}"));
        files.push((name, bytes));
    }

    let mut writer = markdown::Writer::new(&parts.notes, &markers, &note_markers, &images, &linked);
    let body = writer.document(&parts.body);
    let notes_written = writer.notes_written;
    let mut definitions = Vec::new();
    let mut defined = HashSet::new();
    for (source, assigned) in parts.collector.sources.iter().zip(&assigned) {
        if assigned.define_here && defined.insert(assigned.id.clone()) {
            let mut source = source.clone();
            source.id = assigned.id.clone();
            definitions.push(source);
        }
    }
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
    let summary = summary(&SummaryInput {
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
    })
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

fn walk_pieces(blocks: &[Block], f: &mut dyn FnMut(&Piece)) {
    for block in blocks {
        match block {
            Block::Para(pieces) | Block::Heading(_, pieces) => pieces.iter().for_each(&mut *f),
            Block::Quote(blocks) => walk_pieces(blocks, f),
            Block::List(list) => list.items.iter().for_each(|item| walk_pieces(item, f)),
            Block::Table(table) => table
                .rows
                .iter()
                .flatten()
                .for_each(|cell| walk_pieces(&cell.blocks, f)),
        }
    }
}

fn visit(piece: &Piece, targets: &mut Vec<String>, linked: &mut HashSet<String>) {
    if let Atom::Image(image) = &piece.atom
        && !image.external
        && !targets.contains(&image.target)
    {
        targets.push(image.target.clone());
    }
    if let Some(anchor) = piece.link.as_deref().and_then(|l| l.strip_prefix('#')) {
        linked.insert(anchor.to_owned());
    }
}

/// A safe, unique file name for an image: its own name's letters, digits, `.`, `-` and `_`.
fn image_name(target: &str, taken: &mut HashSet<String>) -> String {
    let base = target.rsplit('/').next().unwrap_or(target);
    let (stem, ext) = base.rsplit_once('.').unwrap_or((base, "bin"));
    let clean = |s: &str, max: usize| -> String {
        s.chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                    c.to_ascii_lowercase()
                } else {
                    '-'
                }
            })
            .take(max)
            .collect::<String>()
            .trim_matches('-')
            .to_owned()
    };
    let stem = match clean(stem, 60) {
        s if s.is_empty() => "image".to_owned(),
        s => s,
    };
    let ext = match clean(ext, 8) {
        e if e.is_empty() => "bin".to_owned(),
        e => e,
    };
    let mut name = format!("{stem}.{ext}");
    let mut n = 2;
    while !taken.insert(name.clone()) {
        name = format!("{stem}-{n}.{ext}");
        n += 1;
    }
    name
}

/// Writes the images and then the brief, each only if it does not exist yet; on a failure,
/// removes what this import wrote.
fn write_files(
    root: &Path,
    slug: &str,
    brief: &Path,
    text: &str,
    images: &[(String, Vec<u8>)],
) -> Result<(), Diagnostic> {
    let mut written: Vec<PathBuf> = Vec::new();
    let folder = root.join("static").join("images").join(slug);
    let result = (|| {
        let create = |path: &Path, bytes: &[u8], written: &mut Vec<PathBuf>| {
            let mut file = std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(path)
                .map_err(|err| write_error(root, path, &err))?;
            written.push(path.to_path_buf());
            std::io::Write::write_all(&mut file, bytes).map_err(|err| write_error(root, path, &err))
        };
        if !images.is_empty() {
            std::fs::create_dir_all(&folder).map_err(|err| write_error(root, &folder, &err))?;
            for (name, bytes) in images {
                create(&folder.join(name), bytes, &mut written)?;
            }
        }
        if let Some(parent) = brief.parent() {
            std::fs::create_dir_all(parent).map_err(|err| write_error(root, parent, &err))?;
        }
        create(brief, text.as_bytes(), &mut written)
    })();
    if result.is_err() {
        for path in written.iter().rev() {
            let _ = std::fs::remove_file(path);
        }
        let _ = std::fs::remove_dir(&folder);
    }
    result
}

fn write_error(root: &Path, path: &Path, err: &std::io::Error) -> Diagnostic {
    let shown = display_path(root, path);
    let hint = if err.kind() == std::io::ErrorKind::AlreadyExists {
        "dossier never overwrites a file: move the existing one away to import again"
    } else {
        "check that the site folder is writable"
    };
    Diagnostic::new(format!("cannot write {}: {err}", shown.display())).with_hint(hint)
}

#[derive(Default)]
struct Counts {
    paragraphs: usize,
    headings: usize,
    lists: usize,
    quotes: usize,
    tables: usize,
    html_tables: usize,
}

impl Counts {
    fn of(blocks: &[Block]) -> Counts {
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

struct SummaryInput<'a> {
    file: &'a Path,
    brief: &'a Path,
    counts: &'a Counts,
    notes: usize,
    images: usize,
    parts: &'a Parts,
    assigned: &'a [sources::Assigned],
    author_notes: &'a [String],
    note_markers: usize,
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// What was converted and what was not, for stderr.
fn summary(input: &SummaryInput<'_>) -> String {
    let c = input.counts;
    let r = &input.parts.report;
    let mut out = format!(
        "imported {} -> {} (draft)\n",
        input.file.display(),
        input.brief.display()
    );
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
    out.push_str(&format!("  converted: {}\n", converted.join(", ")));
    let citations = input.parts.collector.citations.len();
    if citations > 0 {
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
        let sources = input.assigned.len();
        out.push_str(&format!(
            "  citations: {} of {}",
            plural(citations, "citation field", "citation fields"),
            plural(sources, "source", "sources")
        ));
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
        out.push('\n');
    }
    if r.insertions + r.deletions > 0 {
        out.push_str(&format!(
            "  tracked changes: {} kept, {} dropped\n",
            plural(r.insertions, "insertion", "insertions"),
            plural(r.deletions, "deletion", "deletions")
        ));
    }
    if !r.comments.is_empty() {
        out.push_str(&format!(
            "  comments: {} dropped\n",
            plural(r.comments.len(), "comment", "comments")
        ));
    }
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
    if !not.is_empty() {
        out.push_str(&format!("  not converted: {}\n", not.join("; ")));
    }
    for note in input.author_notes {
        out.push_str(&format!("  {note}\n"));
    }
    out
}
