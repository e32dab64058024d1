//! Cited sources: gather every definition (front matter `citations`, the site's bibliography
//! files, each brief's own `bibliography` files; ids are site-wide, identical repeats are fine,
//! differing ones are an error naming both places), check every citation against them, and give
//! each cited source a safe, stable URL slug.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use super::CitedSource;
use crate::cite::{Source, bibliography};
use crate::config::SiteConfig;
use crate::diagnostics::{Diagnostic, Diagnostics, display_path, line_column, nearest};
use crate::load::LoadedBrief;

/// Where a source is defined: a file and a line.
#[derive(Debug, Clone)]
struct Place {
    file: PathBuf,
    line: usize,
}

/// Returns the cited sources (in bibliography order) and, per brief, per citation group, per
/// item, the index of the cited source.
pub(super) fn resolve(
    root: &Path,
    config: &SiteConfig,
    briefs: &[LoadedBrief],
    problems: &mut Diagnostics,
) -> (Vec<CitedSource>, Vec<Vec<Vec<usize>>>) {
    let defined = definitions(root, config, briefs, problems);
    let ids = cited_ids(briefs, &defined, problems);
    let mut sources = with_slugs(&ids, &defined);
    in_bibliography_order(&mut sources, briefs);
    let index: HashMap<&str, usize> = sources
        .iter()
        .enumerate()
        .map(|(i, s)| (s.source.id.as_str(), i))
        .collect();
    let cited = briefs
        .iter()
        .map(|brief| {
            let groups = brief.body.citations.iter();
            groups
                .map(|group| {
                    let items = group.items.iter();
                    items
                        .filter_map(|item| index.get(item.id.as_str()).copied())
                        .collect()
                })
                .collect()
        })
        .collect();
    (sources, cited)
}

/// Every cited id that is defined, once, in id order; an error for each one that is not.
fn cited_ids<'a>(
    briefs: &'a [LoadedBrief],
    defined: &BTreeMap<String, (Source, Place)>,
    problems: &mut Diagnostics,
) -> Vec<&'a str> {
    let mut cited_ids: Vec<&str> = Vec::new();
    for brief in briefs {
        for group in &brief.body.citations {
            for item in &group.items {
                if defined.contains_key(item.id.as_str()) {
                    cited_ids.push(item.id.as_str());
                    continue;
                }
                let (line, column) = line_column(&brief.text, group.offset);
                let diagnostic = Diagnostic::new(format!("unknown citation id `{}`", item.id))
                    .in_file(&brief.path)
                    .at(&brief.text, line, column);
                problems.push(match nearest(&item.id, defined.keys().map(String::as_str)) {
                    Some(best) => diagnostic.with_hint(format!("did you mean `{best}`?")),
                    None => diagnostic.with_hint(
                        "define the source in the brief's `citations` list (CSL-JSON fields: id, type, title, author, issued, URL) or in a bibliography file",
                    ),
                });
            }
        }
    }
    // Slugs are assigned in id order so that they stay the same whatever the briefs' order.
    cited_ids.sort_unstable();
    cited_ids.dedup();
    cited_ids
}

/// The cited sources with their URL slugs, in the order of `ids`.
fn with_slugs(ids: &[&str], defined: &BTreeMap<String, (Source, Place)>) -> Vec<CitedSource> {
    let mut taken: HashMap<String, usize> = HashMap::new();
    ids.iter()
        .map(|id| {
            // Ids may be anything (`../../x`, `/etc/passwd`): the slug keeps only letters,
            // digits and hyphens, never a device name (`con-source`), never too long.
            let base = match crate::slugs::derived(id, "source") {
                s if s.is_empty() => "source".to_owned(),
                s => s,
            };
            let count = taken.entry(base.clone()).or_insert(0);
            *count += 1;
            let slug = if *count == 1 {
                base
            } else {
                format!("{base}-{count}")
            };
            CitedSource::new(defined[*id].0.clone(), slug)
        })
        .collect()
}

/// Sorts by first author, year and title. Sources alike in all three (one work under two ids,
/// as merged bibliographies have) keep the order they were first cited in, oldest brief first,
/// as citeproc-js keeps the order items were cited in: their year suffixes ("2017a", "2017b")
/// follow it, and do not move when a newer brief cites them.
fn in_bibliography_order(sources: &mut [CitedSource], briefs: &[LoadedBrief]) {
    let mut first_cited: HashMap<&str, usize> = HashMap::new();
    for item in briefs
        .iter()
        .rev()
        .flat_map(|brief| &brief.body.citations)
        .flat_map(|group| &group.items)
    {
        let next = first_cited.len();
        first_cited.entry(item.id.as_str()).or_insert(next);
    }
    sources.sort_by_cached_key(|s| {
        let (lead, year, title) = sort_key(&s.source);
        let first = first_cited.get(s.source.id.as_str()).copied();
        (lead, year, title, first)
    });
}

/// Every source defined anywhere, by id, with the place that first defined it.
fn definitions(
    root: &Path,
    config: &SiteConfig,
    briefs: &[LoadedBrief],
    problems: &mut Diagnostics,
) -> BTreeMap<String, (Source, Place)> {
    let mut defined: BTreeMap<String, (Source, Place)> = BTreeMap::new();
    let mut files = BibliographyFiles {
        root,
        loaded: HashMap::new(),
    };
    for file in &config.citations.bibliography {
        for (source, place) in files.load(root.join(file), Path::new("site.toml"), problems) {
            define(&mut defined, &source, &|| place.clone(), problems);
        }
    }
    let mut by_path: Vec<&LoadedBrief> = briefs.iter().collect();
    by_path.sort_by(|a, b| a.path.cmp(&b.path));
    for brief in by_path {
        for (i, source) in brief.front.citations.iter().enumerate() {
            let place = || Place {
                file: brief.path.clone(),
                line: definition_line(brief, i),
            };
            define(&mut defined, source, &place, problems);
        }
        let folder = root
            .join(&brief.path)
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_else(|| root.to_path_buf());
        for file in &brief.front.bibliography {
            for (source, place) in files.load(folder.join(file), &brief.path, problems) {
                define(&mut defined, &source, &|| place.clone(), problems);
            }
        }
    }
    defined
}

/// Adds a definition of a source. Most definitions repeat one made before (briefs list the
/// sources they share): those are only compared, and their place is only worked out for an
/// error.
fn define(
    defined: &mut BTreeMap<String, (Source, Place)>,
    source: &Source,
    place: &dyn Fn() -> Place,
    problems: &mut Diagnostics,
) {
    match defined.get(&source.id) {
        None => {
            defined.insert(source.id.clone(), (source.clone(), place()));
        }
        Some((first, _)) if first == source => {}
        Some((_, other)) => {
            let place = place();
            let mut diagnostic = Diagnostic::new(format!(
                "source `{}` is defined differently here and in {}:{}",
                source.id,
                other.file.display(),
                other.line
            ))
            .in_file(&place.file)
            .with_hint("a source id means one source across the site: make both definitions identical, or give one another id");
            diagnostic.position = Some((place.line, 1));
            problems.push(diagnostic);
        }
    }
}

/// The bibliography files read so far: each loads once, however many briefs list it.
struct BibliographyFiles<'a> {
    root: &'a Path,
    loaded: HashMap<PathBuf, Vec<bibliography::Located>>,
}

impl BibliographyFiles<'_> {
    /// The sources of the file at `path`, listed in `listed_in`, with their places; none, and a
    /// problem, if it cannot be read.
    fn load(
        &mut self,
        path: PathBuf,
        listed_in: &Path,
        problems: &mut Diagnostics,
    ) -> Vec<(Source, Place)> {
        let shown = display_path(self.root, &path);
        if !self.loaded.contains_key(&path) && crate::load::exists_but_not_a_file(&path) {
            problems.push(
                Diagnostic::new(format!(
                    "the bibliography file {} is not a regular file (a folder, a pipe or a device)",
                    shown.display()
                ))
                .in_file(listed_in)
                .with_hint("list .bib or .json files, relative to the site folder (site.toml) or to the brief (front matter)"),
            );
            self.loaded.insert(path.clone(), Vec::new());
        }
        if !self.loaded.contains_key(&path) {
            let sources = bibliography::load(&path, &shown).unwrap_or_else(|diagnostic| {
                problems.push(if diagnostic.file.is_some() {
                    diagnostic
                } else {
                    diagnostic.in_file(listed_in)
                });
                Vec::new()
            });
            self.loaded.insert(path.clone(), sources);
        }
        self.loaded[&path]
            .iter()
            .map(|(source, line)| {
                (
                    source.clone(),
                    Place {
                        file: shown.clone(),
                        line: *line,
                    },
                )
            })
            .collect()
    }
}

/// The line of the `id` of the brief's `i`th source in `citations`, from the front matter's spans;
/// the opening fence's when there is none.
fn definition_line(brief: &LoadedBrief, i: usize) -> usize {
    let path = ["citations", &i.to_string(), "id"];
    crate::load::front_matter::key_position(&brief.text, brief.front_start, &path)
        .map_or(1, |(line, _)| line)
}

/// Bibliography order: first author (or title), then year, then title.
fn sort_key(source: &Source) -> (String, i32, String) {
    let title = source.title.clone().unwrap_or_default().to_lowercase();
    let lead = source
        .author
        .first()
        .map(|name| name.display_inverted().to_lowercase())
        .unwrap_or_else(|| title.clone());
    let year = source
        .issued
        .as_ref()
        .and_then(|d| d.year())
        .unwrap_or(i32::MAX);
    (lead, year, title)
}
