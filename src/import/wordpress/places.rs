//! Which items of an export are imported, and where each goes: pages keep the paths they had in
//! the page hierarchy, briefs their slugs, and the report says why an item is left out or moved.

use std::collections::{BTreeMap, HashMap, HashSet};

use percent_encoding::percent_decode_str;

use super::report::{Report, Subject};
use super::wxr::{Export, Item};
use crate::slugs;

/// Slugs a brief cannot have: the site's own sections.
pub(super) const RESERVED: &[&str] = &[
    "authors",
    "categories",
    "tags",
    "archive",
    "citations",
    "search",
    "page",
    "wp-content",
];

/// An item to import and where it goes.
pub(super) struct Entry<'a> {
    pub(super) item: &'a Item,
    pub(super) kind: Kind,
    /// A brief's slug, or a page's path (`about/staff`).
    pub(super) path: String,
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    Brief,
    Page,
}

impl Kind {
    pub(super) fn noun(self) -> &'static str {
        match self {
            Kind::Brief => "post",
            Kind::Page => "page",
        }
    }
}

/// The posts and pages imported; the report says why the others are not.
pub(super) fn candidates<'e>(export: &'e Export, report: &mut Report) -> Vec<(&'e Item, Kind)> {
    let mut skipped_types: BTreeMap<&str, usize> = BTreeMap::new();
    let mut candidates: Vec<(&Item, Kind)> = Vec::new();
    for item in &export.items {
        let kind = match item.post_type.as_str() {
            "post" => Kind::Brief,
            "page" => Kind::Page,
            "attachment" | "nav_menu_item" => continue,
            other => {
                *skipped_types
                    .entry(if other.is_empty() { "(no type)" } else { other })
                    .or_default() += 1;
                continue;
            }
        };
        let why = match item.status.as_str() {
            "publish" | "draft" | "pending" | "future" => None,
            "private" => Some("private: not imported"),
            "trash" => Some("in the trash: not imported"),
            "auto-draft" | "inherit" => Some("an automatic draft or revision: not imported"),
            _ => Some("its status is not one WordPress publishes: not imported"),
        };
        let why = why.or((!item.password.is_empty()).then_some("password-protected: not imported"));
        match why {
            Some(why) => report.skipped(&Subject::of(kind.noun(), item), why),
            None => candidates.push((item, kind)),
        }
    }
    for (kind, count) in skipped_types {
        report.note(format!("{count} item(s) of type `{kind}` not imported (dossier imports posts, pages, attachments and menus)"));
    }
    let comments: usize = candidates.iter().map(|(item, _)| item.comments).sum();
    if comments > 0 {
        report.note(format!(
            "{comments} comments on the imported posts and pages were not imported: a dossier site has no comments"
        ));
    }
    candidates
}

/// Where each imported item goes. Pages first: they keep the paths they had; briefs that would
/// share one get `-2`. Parents before their children, so a child's path starts with its
/// parent's final slug.
pub(super) fn place<'e>(candidates: &[(&'e Item, Kind)], report: &mut Report) -> Vec<Entry<'e>> {
    let pages_by_id: HashMap<u64, &Item> = candidates
        .iter()
        .filter(|(_, k)| *k == Kind::Page)
        .map(|(i, _)| (i.id, *i))
        .collect();
    let mut taken: HashSet<String> = RESERVED.iter().map(|s| s.to_string()).collect();
    let mut page_segment: HashMap<u64, String> = HashMap::new();
    let mut entries: Vec<Entry> = Vec::new();
    let depth = |item: &Item| {
        let (mut depth, mut parent) = (0, item.parent);
        while parent != 0 && depth < 100 {
            let Some(p) = pages_by_id.get(&parent) else {
                break;
            };
            depth += 1;
            parent = p.parent;
        }
        depth
    };
    let mut ordered: Vec<(usize, &Item, Kind)> = candidates
        .iter()
        .map(|(item, kind)| {
            (
                if *kind == Kind::Page { depth(item) } else { 0 },
                *item,
                *kind,
            )
        })
        .collect();
    ordered.sort_by_key(|(depth, _, kind)| (*kind == Kind::Brief, *depth));
    for kind in [Kind::Page, Kind::Brief] {
        for (_, item, _) in ordered.iter().filter(|(_, _, k)| *k == kind) {
            let wanted = wanted_slug(item);
            let path_prefix = if kind == Kind::Page {
                parents_path(item, &pages_by_id, &page_segment)
            } else {
                String::new()
            };
            let mut slug = wanted.clone();
            if slug.is_empty() || slugs::problem(&slug).is_some() {
                slug = format!("{}-{}", kind.noun(), item.id);
            }
            let mut n = 2;
            let base = slug.clone();
            while taken.contains(&format!("{path_prefix}{slug}")) {
                slug = format!("{base}-{n}");
                n += 1;
            }
            let path = format!("{path_prefix}{slug}");
            taken.insert(path.clone());
            report_slug(report, kind, item, &wanted, &slug);
            if kind == Kind::Page {
                page_segment.insert(item.id, slug.clone());
            }
            entries.push(Entry { item, kind, path });
        }
    }
    entries
}

/// A page's parents' slugs, from the top, each followed by `/`; a loop of parents stops where it
/// repeats.
fn parents_path(
    item: &Item,
    pages_by_id: &HashMap<u64, &Item>,
    page_segment: &HashMap<u64, String>,
) -> String {
    let mut chain = Vec::new();
    let mut parent = item.parent;
    let mut seen = HashSet::from([item.id]);
    while parent != 0 && seen.insert(parent) {
        let Some(p) = pages_by_id.get(&parent) else {
            break;
        };
        chain.push(
            page_segment
                .get(&p.id)
                .cloned()
                .unwrap_or_else(|| wanted_slug(p)),
        );
        parent = p.parent;
    }
    chain.reverse();
    let mut path_prefix = String::new();
    for segment in chain {
        path_prefix.push_str(&segment);
        path_prefix.push('/');
    }
    path_prefix
}

/// What the report says when an item's slug is not the one it had.
fn report_slug(report: &mut Report, kind: Kind, item: &Item, wanted: &str, slug: &str) {
    if slug != wanted {
        let why = if wanted.is_empty() || slugs::problem(wanted).is_some() {
            format!("it has no usable slug: now `{slug}`")
        } else {
            format!("its slug `{wanted}` was taken: now `{slug}`")
        };
        report.changed(&Subject::of(kind.noun(), item), &why);
    } else if !item.name.is_empty() && decoded(&item.name) != wanted {
        report.changed(
            &Subject::of(kind.noun(), item),
            &format!(
                "its slug `{}` was made URL-safe: `{slug}`",
                decoded(&item.name)
            ),
        );
    }
}

pub(super) fn decoded(name: &str) -> String {
    percent_decode_str(name).decode_utf8_lossy().into_owned()
}

/// The slug WordPress had (`post_name`, percent-decoded), else one made from the title.
fn wanted_slug(item: &Item) -> String {
    let name = decoded(&item.name);
    let from = if name.trim().is_empty() {
        item.title.as_str()
    } else {
        name.as_str()
    };
    slugs::slugify(from)
}
