//! Cited sources: gather the definitions every brief makes (ids are site-wide; identical repeats
//! are fine, differing ones are an error naming both files), check every citation against them,
//! and give each cited source a safe, stable URL slug and its formatted reference.

use std::collections::{BTreeMap, HashMap};

use rayon::prelude::*;

use super::CitedSource;
use crate::cite::{Source, format};
use crate::diagnostics::{Diagnostic, Diagnostics, nearest};
use crate::load::LoadedBrief;

/// Returns the cited sources in bibliography order and, per brief, per citation group, per item,
/// the index of the cited source.
pub fn resolve(
    briefs: &[LoadedBrief],
    problems: &mut Diagnostics,
) -> (Vec<CitedSource>, Vec<Vec<Vec<usize>>>) {
    let defined = definitions(briefs, problems);

    let mut cited_ids: Vec<&str> = Vec::new();
    let mut seen: HashMap<&str, ()> = HashMap::new();
    for brief in briefs {
        for group in &brief.body.citations {
            for item in &group.items {
                if defined.contains_key(item.id.as_str()) {
                    if seen.insert(item.id.as_str(), ()).is_none() {
                        cited_ids.push(item.id.as_str());
                    }
                    continue;
                }
                let (line, column) = group.position;
                let mut diagnostic = Diagnostic::new(format!("unknown citation id `{}`", item.id))
                    .in_file(&brief.path)
                    .at(&brief.text, line, column);
                diagnostic = match nearest(&item.id, defined.keys().copied()) {
                    Some(best) => diagnostic.with_hint(format!("did you mean `{best}`?")),
                    None => diagnostic.with_hint(
                        "define the source in the `citations` list of this brief's front matter (CSL-JSON fields: id, type, title, author, issued, URL)",
                    ),
                };
                problems.push(diagnostic);
            }
        }
    }

    // Slugs are assigned in id order so that they stay the same whatever the briefs' order.
    cited_ids.sort_unstable();
    let mut slugs: HashMap<&str, String> = HashMap::new();
    let mut taken: HashMap<String, usize> = HashMap::new();
    for id in &cited_ids {
        let base = match slug::slugify(id) {
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
        slugs.insert(id, slug);
    }

    let mut sources: Vec<CitedSource> = cited_ids
        .par_iter()
        .map(|id| {
            let source = defined[id].0.clone();
            CitedSource {
                reference_html: format::reference_html(&source),
                slug: slugs[id].clone(),
                source,
                citing: Vec::new(),
            }
        })
        .collect();
    sources.sort_by_cached_key(|s| sort_key(&s.source));
    let index: HashMap<&str, usize> = sources
        .iter()
        .enumerate()
        .map(|(i, s)| (s.source.id.as_str(), i))
        .collect();

    let cited = briefs
        .iter()
        .map(|brief| {
            brief
                .body
                .citations
                .iter()
                .map(|group| {
                    group
                        .items
                        .iter()
                        .filter_map(|item| index.get(item.id.as_str()).copied())
                        .collect()
                })
                .collect()
        })
        .collect();
    (sources, cited)
}

/// Every source defined in front matter, by id, with the brief that first defined it.
fn definitions<'a>(
    briefs: &'a [LoadedBrief],
    problems: &mut Diagnostics,
) -> BTreeMap<&'a str, (&'a Source, &'a LoadedBrief)> {
    let mut by_path: Vec<&LoadedBrief> = briefs.iter().collect();
    by_path.sort_by(|a, b| a.path.cmp(&b.path));
    let mut defined: BTreeMap<&str, (&Source, &LoadedBrief)> = BTreeMap::new();
    for brief in by_path {
        for source in &brief.front.citations {
            match defined.get(source.id.as_str()) {
                None => {
                    defined.insert(&source.id, (source, brief));
                }
                Some((first, _)) if *first == source => {}
                Some((_, other)) => {
                    let (line, column) = definition_position(brief, &source.id);
                    let (other_line, _) = definition_position(other, &source.id);
                    problems.push(
                        Diagnostic::new(format!(
                            "source `{}` is defined differently here and in {}:{other_line}",
                            source.id,
                            other.path.display()
                        ))
                        .in_file(&brief.path)
                        .at(&brief.text, line, column)
                        .with_hint("a source id means one source across the site: make both definitions identical, or give one another id"),
                    );
                }
            }
        }
    }
    defined
}

/// The line where a brief's front matter defines `id` (TOML `id = "x"`, YAML `- id: x`).
fn definition_position(brief: &LoadedBrief, id: &str) -> (usize, usize) {
    let front_end = brief.body_start;
    let before = brief.text[..brief.front_start].matches('\n').count();
    brief.text[brief.front_start..front_end]
        .lines()
        .enumerate()
        .find_map(|(i, line)| {
            let trimmed = line.trim_start().trim_start_matches("- ");
            (trimmed.starts_with("id") && line.contains(id))
                .then(|| (before + i + 1, line.len() - line.trim_start().len() + 1))
        })
        .unwrap_or((1, 1))
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
