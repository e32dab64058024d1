//! Pages asked for before the first build is done. Rendering every page of a large site takes
//! seconds (tens of thousands of pages); the site model is ready long before. So once it is, the
//! first build publishes it here with every page's output path, and a request for a page not yet
//! rendered renders that page at once, on the requesting task's blocking thread (not on rayon's
//! pool, which the first build keeps busy), from the same model with the same renderer: the bytes
//! are those the first build makes. The page is put among the served pages, where the first build
//! finds it identical and leaves it (and its ETag) as it is.
//!
//! Even earlier, while the citations are formatted (most of a first build without the citation
//! cache), the model without them is published: pages that show no citation (the home page,
//! listings, archives, standalone pages) are rendered from it; a brief's, a source's or an
//! author's page too, with its own citations formatted first (`Site::brief_ahead`,
//! `source_ahead`, `author_ahead`: a fraction of a second); the others (feeds, the citation
//! index) wait for the model with citations.

use std::collections::HashMap;
use std::sync::Arc;

use axum::body::Bytes;

use super::model::Model;
use super::reload;
use super::state::{PageEntry, Shared};
use crate::render::{self, Page};
use crate::site::Overlay;

pub(super) struct Early {
    model: Arc<Model>,
    /// Every page of the plan by output path.
    pages: HashMap<String, Page>,
    /// The version the first build gives its pages.
    version: u64,
    /// Print how long a page's citations took to format ahead.
    verbose: bool,
}

impl Early {
    /// `paths` are the output paths of `plan`'s pages, in order.
    pub(super) fn new(
        model: Arc<Model>,
        plan: &[Page],
        paths: &[String],
        version: u64,
        verbose: bool,
    ) -> Early {
        let pages = paths.iter().cloned().zip(plan.iter().copied()).collect();
        Early {
            model,
            pages,
            version,
            verbose,
        }
    }

    /// Whether the first build makes a page at output path `rel`.
    pub(super) fn has(&self, rel: &str) -> bool {
        self.pages.contains_key(rel)
    }

    /// Whether the model's citations are formatted: until they are, pages that show citations
    /// wait (see `Page::needs_citations`).
    pub(super) fn is_cited(&self) -> bool {
        self.model.site.cited
    }

    /// The citations of the page at `rel`, formatted by `format` ahead of the site's.
    fn ahead(&self, rel: &str, format: impl FnOnce() -> Overlay) -> Overlay {
        let started = std::time::Instant::now();
        let overlay = format();
        if self.verbose {
            let ms = started.elapsed().as_secs_f64() * 1000.0;
            eprintln!("{rel}: its citations formatted ahead in {ms:.0} ms");
        }
        overlay
    }

    /// The page at `rel`: as served if it already is, else rendered now and put among the served
    /// pages. `None` when it cannot be rendered alone, needs citations not formatted yet (a
    /// brief's, a source's or an author's page formats its own), or its rendering fails (the
    /// first build reports the failure). The search index is built from the text of every brief
    /// at once (in parallel, on the pool the first build keeps busy): a request for it waits for
    /// the first build instead.
    pub(super) fn page(&self, shared: &Shared, rel: &str) -> Option<Arc<PageEntry>> {
        if let Some(page) = shared.read().pages.get(rel) {
            return Some(page.clone());
        }
        let model = &*self.model;
        let page = *self.pages.get(rel).filter(|page| !page.is_deferred())?;
        let overlay: Option<Overlay> = match page {
            _ if model.site.cited || !page.needs_citations() => None,
            Page::Brief(b) => Some(self.ahead(rel, || model.site.brief_ahead(b.0))),
            Page::Source(s) => Some(self.ahead(rel, || model.site.source_ahead(s.0))),
            Page::Author(a, _) => Some(self.ahead(rel, || model.site.author_ahead(a.0))),
            _ => return None,
        };
        let rendered = render::render_page(
            &model.site,
            &model.theme,
            &model.summaries,
            page,
            overlay.as_ref(),
        )
        .ok()?;
        let entry = PageEntry {
            html: Bytes::from(rendered.bytes().into_owned()),
            version: self.version,
            badge: reload::badge(&model.site, page, jiff::Timestamp::now()),
        };
        let mut served = shared.write();
        // Only while the first build renders: once it is done, what it served stands.
        let current = served
            .early
            .as_ref()
            .is_some_and(|early| std::ptr::eq(&**early, self));
        if !current {
            return served.pages.get(rel).cloned();
        }
        Some(
            served
                .pages
                .entry(rel.to_owned())
                .or_insert_with(|| Arc::new(entry))
                .clone(),
        )
    }
}
