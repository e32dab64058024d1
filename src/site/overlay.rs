//! Citations formatted ahead of the whole site's for the one page asked for: a preview server
//! shows a brief's, a source's or an author's page first from the site as resolved without
//! citations (`resolve_uncited`) and this overlay, instead of waiting seconds for every citation
//! of a large site. A brief's page reads its citations through `CitationView`, from the overlay
//! or from the site; a source's page its entry through `Site::entry`; an author's page their
//! most cited sources through `Site::top_sources`.
//!
//! The page is exactly what it is once the site's citations are set: the clusters of its sources
//! are formatted as `Site::format_citations` formats them (with every form the site asks of them,
//! see `citations::format_ahead`), and a brief's references and an author's most cited sources
//! are put in the order `Site::set_citations` gives them.

use std::collections::{BTreeSet, HashMap};

use hayagriva::EntrySortKey;
use hayagriva::citationberg::json::Item;

use super::citations::{self, Citations, Forms, Reference};
use super::{Brief, Site};
use crate::cite::style::FormKey;

/// The forms and entries of the sources one page shows, and a brief's references in order.
pub struct Overlay {
    /// The brief whose page this is for, with its sources in the order `Brief::references` has
    /// once the site's citations are set.
    brief: Option<(usize, Vec<usize>)>,
    /// The author whose page this is for, with their most cited sources (see `Author`).
    author: Option<(usize, Vec<(usize, usize)>)>,
    forms: Forms,
    /// The entries of the page's sources, by source index.
    references: HashMap<usize, Reference>,
}

impl Site {
    /// Formats what brief `b`'s page shows of its citations while the site's are not set (the
    /// site's formatting, if under way, gives way meanwhile).
    pub fn brief_ahead(&self, b: usize) -> Overlay {
        let mut order = self.briefs[b].references.clone();
        let (mut overlay, sort_keys) = self.ahead(&order);
        if self.style.sorts_references() {
            // As `set_citations` sorts the sources (stably, from the order they have here), then
            // each brief's references by their new index.
            order.sort_by(|&x, &y| sort_keys[x].cmp(&sort_keys[y]).then(x.cmp(&y)));
        }
        overlay.brief = Some((b, order));
        overlay
    }

    /// Formats the entry source `s`'s page shows while the site's citations are not set.
    pub fn source_ahead(&self, s: usize) -> Overlay {
        self.ahead(&[s]).0
    }

    /// Formats what author `a`'s page shows of the citations (their most cited sources) while
    /// the site's are not set.
    pub fn author_ahead(&self, a: usize) -> Overlay {
        let author = &self.authors[a];
        let references: Vec<&[usize]> = self.briefs.iter().map(|b| &b.references[..]).collect();
        // Equally cited sources go in the site's bibliography order, as `set_citations` ranks
        // them: by sort key, then in the order they have here. The keys need no formatting.
        let cited: BTreeSet<usize> = author
            .briefs
            .iter()
            .flat_map(|&b| references[b])
            .copied()
            .collect();
        let items: Vec<&Item> = cited.iter().map(|&s| &self.sources[s].item).collect();
        let keys: HashMap<usize, Option<EntrySortKey>> = cited
            .into_iter()
            .zip(self.style.sort_keys(&items))
            .collect();
        let top = citations::top_sources_by(
            &author.briefs,
            &references,
            citations::TOP_SOURCES,
            |x, y| keys[x].cmp(&keys[y]).then(x.cmp(y)),
        );
        let shown: Vec<usize> = top.iter().map(|&(s, _)| s).collect();
        let mut overlay = self.ahead(&shown).0;
        overlay.author = Some((a, top));
        overlay
    }

    /// Author `a`'s most cited sources (see `Author::top_sources`): `overlay`'s when it is that
    /// author's, else the site's own.
    pub fn top_sources<'a>(
        &'a self,
        a: usize,
        overlay: Option<&'a Overlay>,
    ) -> &'a [(usize, usize)] {
        match overlay
            .and_then(|o| o.author.as_ref())
            .filter(|(of, _)| *of == a)
        {
            Some((_, top)) => top,
            None => &self.authors[a].top_sources,
        }
    }

    /// The overlay of `cites`, and every source's sort key (`None` for the others).
    fn ahead(&self, cites: &[usize]) -> (Overlay, Vec<Option<EntrySortKey>>) {
        let Citations {
            forms,
            mut references,
            sort_keys,
        } = citations::format_ahead(&self.style, &self.sources, &self.briefs, cites, &self.ahead);
        let references = cites
            .iter()
            .map(|&s| (s, std::mem::take(&mut references[s])))
            .collect();
        let overlay = Overlay {
            brief: None,
            author: None,
            forms,
            references,
        };
        (overlay, sort_keys)
    }

    /// What brief `b`'s page shows of the formatted citations: `overlay`'s when it is that
    /// brief's, else the site's own.
    pub fn citations_of<'a>(&'a self, b: usize, overlay: Option<&'a Overlay>) -> CitationView<'a> {
        let order = overlay.and_then(|o| o.brief.as_ref().filter(|(of, _)| *of == b));
        CitationView {
            site: self,
            brief: &self.briefs[b],
            overlay: order.and(overlay),
        }
    }

    /// Source `s`'s bibliography entry and where its names are in it (see `CitedSource`):
    /// `overlay`'s when it has it, else the site's own.
    pub fn entry<'a>(
        &'a self,
        s: usize,
        overlay: Option<&'a Overlay>,
    ) -> (&'a str, Option<(usize, usize)>, bool) {
        match overlay.and_then(|overlay| overlay.references.get(&s)) {
            Some((html, names, listed)) => (html, *names, *listed),
            None => {
                let source = &self.sources[s];
                (
                    &source.reference_html,
                    source.reference_names,
                    source.listed,
                )
            }
        }
    }
}

/// A brief's formatted citations, from the site or from an overlay of that brief.
#[derive(Clone, Copy)]
pub struct CitationView<'a> {
    pub(super) site: &'a Site,
    pub(super) brief: &'a Brief,
    pub(super) overlay: Option<&'a Overlay>,
}

impl<'a> CitationView<'a> {
    pub fn brief(&self) -> &'a Brief {
        self.brief
    }

    /// The form of a citation of source `id` (see `Forms::get`).
    pub fn form(&self, id: &str, key: &FormKey) -> &'a str {
        match self.overlay {
            Some(overlay) => overlay.forms.get(id, key),
            None => self.site.forms.get(id, key),
        }
    }

    /// The brief's sources, in the style's bibliography order (see `Brief::references`).
    pub fn references(&self) -> &'a [usize] {
        match self.overlay.and_then(|overlay| overlay.brief.as_ref()) {
            Some((_, order)) => order,
            None => &self.brief.references,
        }
    }

    /// Source `s`'s bibliography entry and where its names are in it.
    pub fn entry(&self, s: usize) -> (&'a str, Option<(usize, usize)>) {
        let (html, names, _) = self.site.entry(s, self.overlay);
        (html, names)
    }

    /// The brief's sources that the style lists in a bibliography, in `references` order (see
    /// `CitedSource::listed`): its page and its PDF show the same references.
    pub fn listed_references(&self) -> Vec<usize> {
        self.references()
            .iter()
            .copied()
            .filter(|&s| self.site.entry(s, self.overlay).2)
            .collect()
    }
}
