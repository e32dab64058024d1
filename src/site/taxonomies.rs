//! Categories and tags: terms named in front matter, merged by URL slug (so `Trade` and `trade`
//! are one term), sorted by name, each with its briefs newest first.

use std::collections::HashMap;

use crate::load::LoadedBrief;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TermKind {
    Category,
    Tag,
}

impl TermKind {
    /// `category` or `tag`.
    pub fn singular(self) -> &'static str {
        match self {
            TermKind::Category => "category",
            TermKind::Tag => "tag",
        }
    }

    /// The URL section: `categories` or `tags`.
    pub fn section(self) -> &'static str {
        match self {
            TermKind::Category => "categories",
            TermKind::Tag => "tags",
        }
    }
}

#[derive(Debug)]
pub struct Term {
    pub kind: TermKind,
    /// As first written (in date order, newest first).
    pub name: String,
    pub slug: String,
    /// Newest first.
    pub briefs: Vec<usize>,
}

/// Collects the terms `names_of` gives for each brief (briefs already in site order), and for each
/// brief the indexes of its terms.
pub(super) fn collect<'a>(
    kind: TermKind,
    briefs: &'a [LoadedBrief],
    names_of: impl Fn(&'a LoadedBrief) -> Vec<&'a String>,
) -> (Vec<Term>, Vec<Vec<usize>>) {
    let mut terms: Vec<Term> = Vec::new();
    let mut by_slug: HashMap<String, usize> = HashMap::new();
    let mut per_brief = Vec::with_capacity(briefs.len());
    for (i, brief) in briefs.iter().enumerate() {
        let mut own = Vec::new();
        for name in names_of(brief) {
            let name = name.trim();
            // Loading refused names without letters or digits; `con` becomes `con-tag` and a
            // long name is cut, so a slug is always a usable folder name.
            let slug = crate::slugs::derived(name, kind.singular());
            if slug.is_empty() {
                continue;
            }
            let t = *by_slug.entry(slug.clone()).or_insert_with(|| {
                terms.push(Term {
                    kind,
                    name: name.to_owned(),
                    slug,
                    briefs: Vec::new(),
                });
                terms.len() - 1
            });
            if !own.contains(&t) {
                own.push(t);
                terms[t].briefs.push(i);
            }
        }
        per_brief.push(own);
    }
    // Sort by name and renumber the briefs' references.
    let mut order: Vec<usize> = (0..terms.len()).collect();
    order.sort_by(|&a, &b| {
        terms[a]
            .name
            .to_lowercase()
            .cmp(&terms[b].name.to_lowercase())
    });
    let mut new_index = vec![0; terms.len()];
    for (new, &old) in order.iter().enumerate() {
        new_index[old] = new;
    }
    let mut slots: Vec<Option<Term>> = terms.into_iter().map(Some).collect();
    let terms = order.iter().filter_map(|&old| slots[old].take()).collect();
    for own in &mut per_brief {
        for t in own.iter_mut() {
            *t = new_index[*t];
        }
    }
    (terms, per_brief)
}
