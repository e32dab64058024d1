//! Citations formatted ahead of the whole site's for the one page asked for: a preview server
//! shows a brief's or a source's page first from the site as resolved without citations
//! (`resolve_uncited`) and this overlay, instead of waiting seconds for every citation of a large
//! site. A brief's page reads its citations through `CitationView`, from the overlay or from the
//! site; a source's page its entry through `Site::entry`.
//!
//! The page is exactly what it is once the site's citations are set: the clusters of its sources
//! are formatted as `Site::format_citations` formats them (with every form the site asks of them,
//! see `citations::format_ahead`), and a brief's references are put in the order
//! `Site::set_citations` gives them.

use std::collections::HashMap;

use hayagriva::EntrySortKey;

use super::citations::{self, Citations, Forms, Reference};
use super::{Brief, Site};
use crate::cite::style::FormKey;

/// The forms and entries of the sources one page shows, and a brief's references in order.
pub struct Overlay {
    /// The brief whose page this is for, with its sources in the order `Brief::references` has
    /// once the site's citations are set.
    brief: Option<(usize, Vec<usize>)>,
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
