//! Citation formatting for the whole site, done once per build: each citation's CSL position in
//! its brief, every distinct form formatted once (sources sharing a first author together, so the
//! style can tell them apart), plus what the indexes derive from citations: related briefs and
//! each author's most cited sources.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use hayagriva::citationberg::json::Item;
use rayon::prelude::*;

use super::{Brief, CitedSource};
use crate::cite::markers::{CitationGroup, Locator};
use crate::cite::style::{CitationStyle, FormKey, Position};
use hayagriva::EntrySortKey;

/// The formatted forms of every citation in the site, by source id.
#[derive(Default)]
pub struct Forms {
    forms: HashMap<String, HashMap<FormKey, String>>,
}

impl Forms {
    /// The form for a source, with placeholders (see `CitationStyle::fill`).
    pub fn get(&self, source_id: &str, key: &FormKey) -> &str {
        self.forms
            .get(source_id)
            .and_then(|forms| forms.get(key))
            .map_or("", String::as_str)
    }
}

/// Each citation's form in one brief, following CSL's rules for positions: the first citation of
/// a source is `first`; one that repeats the citation just before it (the previous item of its
/// group, or the previous group when that cites one source only) is `ibid`, or
/// `ibid-with-locator` when it adds another locator; any other is `subsequent`.
pub(super) fn form_keys(
    style: &CitationStyle,
    groups: &[CitationGroup],
    cited: &[Vec<usize>],
) -> Vec<Vec<FormKey>> {
    let mut seen = BTreeSet::new();
    // The previous cite (source, locator), if a following one may count as its repetition.
    let mut previous: Option<(usize, Option<&Locator>)> = None;
    groups
        .iter()
        .zip(cited)
        .map(|(group, sources)| {
            let mut keys = Vec::with_capacity(sources.len());
            for (item, &source) in group.items.iter().zip(sources) {
                let locator = item.locator.as_ref();
                let position = match previous {
                    _ if seen.insert(source) => Position::First,
                    Some((s, previous_locator)) if s == source => {
                        if previous_locator.map(|l| (l.kind, &l.value))
                            == locator.map(|l| (l.kind, &l.value))
                        {
                            Position::Ibid
                        } else if locator.is_some() {
                            Position::IbidWithLocator
                        } else {
                            Position::Subsequent
                        }
                    }
                    _ => Position::Subsequent,
                };
                keys.push(FormKey {
                    position,
                    locator: style.locator_key(locator),
                    suppress_author: item.suppress_author,
                });
                previous = Some((source, locator));
            }
            if sources.len() > 1 {
                previous = None;
            }
            keys
        })
        .collect()
}

/// Every citation of a site formatted (`Site::format_citations`), to put into the site
/// (`Site::set_citations`).
pub struct Citations {
    pub(super) forms: Forms,
    /// By source index.
    pub(super) references: Vec<Reference>,
    pub(super) sort_keys: Vec<Option<EntrySortKey>>,
}

/// A source's bibliography entry, where its names are in it, and whether a brief's references
/// list it (see `CitedSource`).
pub(super) type Reference = (String, Option<(usize, usize)>, bool);

/// Formats every form the briefs use and every cited source's reference, with each source's key
/// in the style's bibliography order. Reads the site only, so that a preview server can show
/// the pages that need no citation meanwhile.
pub(super) fn format(
    style: &CitationStyle,
    sources: &[CitedSource],
    briefs: &[Brief],
    ahead: &Ahead,
) -> Citations {
    let wanted = wanted(sources, briefs, |_| true);
    let results = clusters(sources)
        .into_par_iter()
        .map(|members| {
            ahead.wait();
            format_members(style, sources, &wanted, members)
        })
        .collect();
    assemble(sources, results)
}

/// Pages whose citations are formatted ahead of the site's (`format_ahead`): meanwhile the
/// site's formatting pauses between clusters, leaving the cores to the page asked for.
#[derive(Default)]
pub(super) struct Ahead(AtomicUsize);

impl Ahead {
    fn wait(&self) {
        while self.0.load(Ordering::Acquire) > 0 {
            std::thread::sleep(Duration::from_millis(1));
        }
    }

    /// Counts a page as formatted ahead until the returned guard is dropped.
    fn enter(&self) -> Going<'_> {
        self.0.fetch_add(1, Ordering::AcqRel);
        Going(self)
    }
}

struct Going<'a>(&'a Ahead);

impl Drop for Going<'_> {
    fn drop(&mut self) {
        self.0.0.fetch_sub(1, Ordering::AcqRel);
    }
}

/// Like `format`, but only the clusters of the sources `cites`, on threads of their own, not on
/// rayon's pool (a preview server shows a page citing them while `format` keeps the pool busy).
/// Each cluster is asked what the whole site asks of it: the style disambiguates a cluster's
/// sources by all their citations, so its forms, entries and sort keys are `format`'s (and the
/// cache hands them to `format` after).
pub(super) fn format_ahead(
    style: &CitationStyle,
    sources: &[CitedSource],
    briefs: &[Brief],
    cites: &[usize],
    ahead: &Ahead,
) -> Citations {
    let _going = ahead.enter();
    let clusters: Vec<Vec<usize>> = clusters(sources)
        .into_iter()
        .filter(|members| members.iter().any(|s| cites.contains(s)))
        .collect();
    let mut needed = vec![false; sources.len()];
    for &s in clusters.iter().flatten() {
        needed[s] = true;
    }
    let wanted = wanted(sources, briefs, |s| needed[s]);
    let wanted = &wanted;
    let results = std::thread::scope(|scope| {
        let threads: Vec<_> = clusters
            .into_iter()
            .map(|members| scope.spawn(move || format_members(style, sources, wanted, members)))
            .collect();
        threads
            .into_iter()
            .map(|thread| {
                thread
                    .join()
                    .unwrap_or_else(|e| std::panic::resume_unwind(e))
            })
            .collect()
    });
    assemble(sources, results)
}

/// Every form the briefs ask of each source (of those `needed`).
fn wanted(
    sources: &[CitedSource],
    briefs: &[Brief],
    needed: impl Fn(usize) -> bool,
) -> Vec<BTreeSet<FormKey>> {
    let mut wanted: Vec<BTreeSet<FormKey>> = vec![BTreeSet::new(); sources.len()];
    for brief in briefs {
        for (group_keys, group_cited) in brief.form_keys.iter().zip(&brief.cited) {
            for (key, &source) in group_keys.iter().zip(group_cited) {
                if needed(source) {
                    wanted[source].insert(key.clone());
                }
            }
        }
    }
    wanted
}

/// Sources that share a first author are formatted together, so the style can disambiguate.
fn clusters(sources: &[CitedSource]) -> Vec<Vec<usize>> {
    let mut clusters: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (s, source) in sources.iter().enumerate() {
        let lead = source
            .source
            .author
            .first()
            .map(|name| name.short().to_lowercase())
            .unwrap_or_default();
        clusters.entry(lead).or_default().push(s);
    }
    clusters.into_values().collect()
}

/// A cluster formatted: its members, the forms asked of each, and what the style made of them.
type Formatted = (Vec<usize>, Vec<Vec<FormKey>>, crate::cite::style::Formatted);

fn format_members(
    style: &CitationStyle,
    sources: &[CitedSource],
    wanted: &[BTreeSet<FormKey>],
    members: Vec<usize>,
) -> Formatted {
    let asked: Vec<(&Item, Vec<FormKey>)> = members
        .iter()
        .map(|&s| (&sources[s].item, wanted[s].iter().cloned().collect()))
        .collect();
    let formatted = style.format_cluster(&asked);
    let asked_keys = asked.into_iter().map(|(_, keys)| keys).collect();
    (members, asked_keys, formatted)
}

/// The formatted clusters' forms, references and sort keys, by source.
fn assemble(sources: &[CitedSource], results: Vec<Formatted>) -> Citations {
    let mut forms: HashMap<String, HashMap<FormKey, String>> = HashMap::new();
    let mut references = vec![(String::new(), None, true); sources.len()];
    let mut sort_keys = vec![None; sources.len()];
    for (members, asked_keys, formatted) in results {
        let entries = formatted
            .references
            .into_iter()
            .zip(formatted.reference_names)
            .zip(formatted.listed);
        let rest = formatted.forms.into_iter().zip(formatted.sort_keys);
        for (((s, keys), ((reference, names), listed)), (rendered, sort_key)) in
            members.into_iter().zip(asked_keys).zip(entries).zip(rest)
        {
            references[s] = (reference, names, listed);
            sort_keys[s] = sort_key;
            let own = forms.entry(sources[s].source.id.clone()).or_default();
            own.extend(keys.into_iter().zip(rendered));
        }
    }
    Citations {
        forms: Forms { forms },
        references,
        sort_keys,
    }
}

impl Citations {
    /// Puts each source's reference into it; returns the forms and the sort keys.
    pub(super) fn fill(self, sources: &mut [CitedSource]) -> (Forms, Vec<Option<EntrySortKey>>) {
        for (source, (html, names, listed)) in sources.iter_mut().zip(self.references) {
            source.reference_html = html;
            source.reference_names = names;
            source.listed = listed;
        }
        (self.forms, self.sort_keys)
    }
}

/// Puts the sources in the style's bibliography order (stable: equal keys keep the order they
/// had, by first author, year and title); returns each source's new index by its old one, or
/// `None` if the order did not change (a style that does not sort).
pub(super) fn sort_sources(
    sources: &mut Vec<CitedSource>,
    sort_keys: Vec<Option<EntrySortKey>>,
) -> Option<Vec<usize>> {
    if sort_keys.iter().all(Option::is_none) {
        return None;
    }
    let mut order: Vec<usize> = (0..sources.len()).collect();
    order.sort_by(|&a, &b| sort_keys[a].cmp(&sort_keys[b]));
    if order.iter().enumerate().all(|(i, &s)| i == s) {
        return None;
    }
    let mut new_index = vec![0; sources.len()];
    for (new, &old) in order.iter().enumerate() {
        new_index[old] = new;
    }
    let mut taken: Vec<Option<CitedSource>> =
        std::mem::take(sources).into_iter().map(Some).collect();
    *sources = order.iter().filter_map(|&old| taken[old].take()).collect();
    Some(new_index)
}

/// See `related`: sources cited by more briefs than this do not make briefs related.
pub(super) const RELATED_MAX_CITING: usize = 1000;

/// Up to three other briefs sharing the most sources with each brief; ties go to a brief of the
/// same category, then to the newer one (briefs are newest first, so the lower index).
///
/// The counts go into a dense array per thread (not a hash map), and only the best three are
/// kept (no sort of every candidate). Sources cited by more than `RELATED_MAX_CITING` briefs are
/// left out: like a stop word, a source half the site cites says little about what two briefs
/// share, and counting its pairs grows with the square of its citations (a source cited by
/// 41,000 of 100,000 briefs alone made 1.7 billion pairs).
pub(super) fn related(
    references: &[&[usize]],
    categories: &[Option<usize>],
    sources: &[CitedSource],
) -> Vec<Vec<usize>> {
    let n = references.len();
    (0..n)
        .into_par_iter()
        .map_init(
            || (vec![0u32; n], Vec::new()),
            |(shared, touched), b| {
                for &s in references[b] {
                    let citing = &sources[s].citing;
                    if citing.len() > RELATED_MAX_CITING {
                        continue;
                    }
                    for &(other, _) in citing {
                        if other != b {
                            if shared[other] == 0 {
                                touched.push(other);
                            }
                            shared[other] += 1;
                        }
                    }
                }
                let same_category =
                    |o: usize| categories[o].is_some() && categories[o] == categories[b];
                // Better: more shared sources, then the same category, then newer.
                let key = |o: usize| (shared[o], same_category(o), std::cmp::Reverse(o));
                let mut best: Vec<usize> = Vec::with_capacity(4);
                for &o in touched.iter() {
                    let at = best
                        .iter()
                        .position(|&x| key(o) > key(x))
                        .unwrap_or(best.len());
                    if at < 3 {
                        best.insert(at, o);
                        best.truncate(3);
                    }
                }
                for &o in touched.iter() {
                    shared[o] = 0;
                }
                touched.clear();
                best
            },
        )
        .collect()
}

/// How many of an author's most cited sources their page shows.
pub(super) const TOP_SOURCES: usize = 5;

/// An author's most cited sources: (source, number of the author's briefs citing it), at most
/// `limit`, most cited first, then in the sources' order.
pub(super) fn top_sources(
    author_briefs: &[usize],
    references: &[&[usize]],
    limit: usize,
) -> Vec<(usize, usize)> {
    top_sources_by(author_briefs, references, limit, usize::cmp)
}

/// `top_sources`, equally cited sources in the order `before` says.
pub(super) fn top_sources_by(
    author_briefs: &[usize],
    references: &[&[usize]],
    limit: usize,
    before: impl Fn(&usize, &usize) -> std::cmp::Ordering,
) -> Vec<(usize, usize)> {
    let mut counts: HashMap<usize, usize> = HashMap::new();
    for &b in author_briefs {
        for &s in references[b] {
            *counts.entry(s).or_insert(0) += 1;
        }
    }
    let mut ranked: Vec<(usize, usize)> = counts.into_iter().collect();
    ranked.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| before(&a.0, &b.0)));
    ranked.truncate(limit);
    ranked
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cite::Source;
    use crate::cite::markers::parse_group;
    use crate::site::CitedSource;

    #[test]
    fn related_briefs_leave_out_sources_cited_by_most_of_the_site() {
        let n = RELATED_MAX_CITING + 3;
        let cited_by = |id: &str, briefs: Vec<usize>| {
            let mut source = CitedSource::new(Source::untitled(id), id.to_owned());
            source.citing = briefs.into_iter().map(|b| (b, Vec::new())).collect();
            source
        };
        // Every brief cites `common`; briefs 0 and 1 also share `rare`, briefs 2 and 3 `few`.
        let sources = [
            cited_by("common", (0..n).collect()),
            cited_by("rare", vec![0, 1]),
            cited_by("few", vec![2, 3]),
        ];
        let cites: Vec<Vec<usize>> = (0..n)
            .map(|b| match b {
                0 | 1 => vec![0, 1],
                2 | 3 => vec![0, 2],
                _ => vec![0],
            })
            .collect();
        let references: Vec<&[usize]> = cites.iter().map(Vec::as_slice).collect();
        let related = related(&references, &vec![None; n], &sources);
        assert_eq!(related[0], [1]);
        assert_eq!(related[3], [2]);
        // A brief that shares only `common` with the others has no related briefs.
        assert!(related[4].is_empty(), "{:?}", related[4]);
    }

    #[test]
    fn the_sites_formatting_waits_while_a_page_is_formatted_ahead() {
        use std::sync::atomic::AtomicBool;
        let ahead = Ahead::default();
        let done = AtomicBool::new(false);
        let going = ahead.enter();
        std::thread::scope(|scope| {
            scope.spawn(|| {
                ahead.wait();
                done.store(true, Ordering::Release);
            });
            std::thread::sleep(Duration::from_millis(50));
            assert!(!done.load(Ordering::Acquire));
            drop(going);
        });
        assert!(done.load(Ordering::Acquire));
    }

    fn groups(markers: &[&str]) -> Vec<CitationGroup> {
        markers
            .iter()
            .map(|m| CitationGroup {
                items: parse_group(m).unwrap(),
                offset: 0,
            })
            .collect()
    }

    #[test]
    fn positions_follow_csl() {
        let groups = groups(&[
            "@a, p. 4", "@a, p. 4", "@a, p. 7", "@b", "@a", "@a; @b", "@b",
        ]);
        let ids = |g: &CitationGroup| {
            g.items
                .iter()
                .map(|i| if i.id == "a" { 0 } else { 1 })
                .collect()
        };
        let cited: Vec<Vec<usize>> = groups.iter().map(ids).collect();
        let style = CitationStyle::load("chicago-notes", std::path::Path::new("."), "en")
            .expect("a bundled style");
        let positions: Vec<Vec<Position>> = form_keys(&style, &groups, &cited)
            .into_iter()
            .map(|keys| keys.into_iter().map(|k| k.position).collect())
            .collect();
        assert_eq!(
            positions,
            vec![
                vec![Position::First],
                vec![Position::Ibid],
                vec![Position::IbidWithLocator],
                vec![Position::First],
                vec![Position::Subsequent],
                vec![Position::Ibid, Position::Subsequent],
                // After a group of two sources, nothing is ibid.
                vec![Position::Subsequent],
            ]
        );
    }
}
