//! One brief's citations formatted ahead of the whole site's: a preview server shows the brief
//! asked for first from the site as resolved without citations (`resolve_uncited`) and this
//! overlay, instead of waiting seconds for every citation of a large site. A brief's page reads
//! its citations through `CitationView`, from the overlay or from the site.
//!
//! What the page shows is exactly what it shows once the site's citations are set: the clusters
//! of the brief's sources are formatted as `Site::format_citations` formats them (with every form
//! the site asks of them, see `citations::format_brief`), and its references are put in the order
//! `Site::set_citations` gives them.

use std::collections::HashMap;

use super::citations::{self, Citations, Forms, Reference};
use super::{Brief, Site};
use crate::cite::style::FormKey;

/// The forms, references and bibliography order of one brief's sources.
pub struct BriefCitations {
    brief: usize,
    forms: Forms,
    /// The entries of the brief's sources, by source index.
    references: HashMap<usize, Reference>,
    /// The brief's sources in the order `Brief::references` has once the site's are set.
    order: Vec<usize>,
}

impl Site {
    /// Formats what brief `b`'s page shows of its citations while the site's are not set (the
    /// site's formatting, if under way, gives way meanwhile).
    pub fn brief_citations(&self, b: usize) -> BriefCitations {
        let Citations {
            forms,
            mut references,
            sort_keys,
        } = citations::format_brief(&self.style, &self.sources, &self.briefs, b, &self.ahead);
        let mut order = self.briefs[b].references.clone();
        if self.style.sorts_references() {
            // As `set_citations` sorts the sources (stably, from the order they have here), then
            // each brief's references by their new index.
            order.sort_by(|&x, &y| sort_keys[x].cmp(&sort_keys[y]).then(x.cmp(&y)));
        }
        let references = order
            .iter()
            .map(|&s| (s, std::mem::take(&mut references[s])))
            .collect();
        BriefCitations {
            brief: b,
            forms,
            references,
            order,
        }
    }

    /// What brief `b`'s page shows of the formatted citations: `overlay`'s when it is that
    /// brief's, else the site's own.
    pub fn citations_of<'a>(
        &'a self,
        b: usize,
        overlay: Option<&'a BriefCitations>,
    ) -> CitationView<'a> {
        CitationView {
            site: self,
            brief: &self.briefs[b],
            overlay: overlay.filter(|overlay| overlay.brief == b),
        }
    }
}

/// A brief's formatted citations, from the site or from an overlay.
#[derive(Clone, Copy)]
pub struct CitationView<'a> {
    pub(super) site: &'a Site,
    pub(super) brief: &'a Brief,
    pub(super) overlay: Option<&'a BriefCitations>,
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
        match self.overlay {
            Some(overlay) => &overlay.order,
            None => &self.brief.references,
        }
    }

    /// Source `s`'s bibliography entry and where its names are in it (see `CitedSource`).
    pub fn entry(&self, s: usize) -> (&'a str, Option<(usize, usize)>) {
        match self.overlay.and_then(|overlay| overlay.references.get(&s)) {
            Some((html, names, _)) => (html, *names),
            None => {
                let source = &self.site.sources[s];
                (&source.reference_html, source.reference_names)
            }
        }
    }

    /// The brief's sources that the style lists in a bibliography, in `references` order (see
    /// `CitedSource::listed`): its page and its PDF show the same references.
    pub fn listed_references(&self) -> Vec<usize> {
        let listed = |s: usize| match self.overlay.and_then(|o| o.references.get(&s)) {
            Some(&(_, _, listed)) => listed,
            None => self.site.sources[s].listed,
        };
        self.references()
            .iter()
            .copied()
            .filter(|&s| listed(s))
            .collect()
    }
}
