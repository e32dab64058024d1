//! Which pages a rebuild renders, rendering them, and swapping the ones that changed into what is
//! served.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex, PoisonError};

use axum::body::Bytes;

use super::super::model::Model;
use super::super::reload;
use super::super::state::{PageEntry, Shared};
use crate::diagnostics::Diagnostics;
use crate::render::{self, Page, Theme};
use crate::site::Site;

/// The pages served: the plan they were rendered from, their output paths and signatures.
pub(super) struct Sheet {
    pub plan: Vec<Page>,
    pub paths: Vec<String>,
    pub signatures: Vec<u64>,
}

/// The dirty pages to render now; with `defer`, those that wait for a quiet moment are held back,
/// their signatures stored inverted so that they stay due. Also returns the ones held back.
pub(super) fn hold_back_deferred(
    dirty: Vec<usize>,
    plan: &[Page],
    signatures: &mut [u64],
    defer: bool,
) -> (Vec<Page>, Vec<usize>) {
    let mut to_render = Vec::with_capacity(dirty.len());
    let mut held = Vec::new();
    for i in dirty {
        if defer && plan[i].is_deferred() {
            signatures[i] = !signatures[i];
            held.push(i);
        } else {
            to_render.push(plan[i]);
        }
    }
    (to_render, held)
}

/// Renders `pages` of the site in memory, in parallel.
pub(super) fn render_in_memory(
    model: &Model,
    pages: &[Page],
) -> Result<Vec<(Page, render::Rendered)>, Diagnostics> {
    let rendered = Mutex::new(Vec::with_capacity(pages.len()));
    render::render_pages(
        &model.site,
        &model.theme,
        &model.summaries,
        pages,
        |page, r| {
            rendered
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .push((page, r));
            Ok(())
        },
    )?;
    Ok(rendered
        .into_inner()
        .unwrap_or_else(PoisonError::into_inner))
}

/// The positions in `plan` of the pages to render (a new or changed signature, or a template
/// among `templates`, `None` meaning every template), and the output paths served before that
/// the plan no longer has. `paths` are the plan's output paths when the plan changed.
pub(super) fn dirty_pages(
    before: Option<&Sheet>,
    plan: &[Page],
    paths: Option<&[String]>,
    signatures: &[u64],
    templates: Option<HashSet<&'static str>>,
) -> (Vec<usize>, Vec<String>) {
    let uses_changed_template = |page: Page| {
        templates
            .as_ref()
            .is_none_or(|t| page.template().is_some_and(|name| t.contains(name)))
    };
    match (before, paths) {
        (Some(sheet), None) => {
            let dirty = (0..plan.len())
                .filter(|&i| uses_changed_template(plan[i]) || sheet.signatures[i] != signatures[i])
                .collect();
            (dirty, Vec::new())
        }
        (_, Some(paths)) => {
            let old: HashMap<&str, u64> = before
                .map(|sheet| {
                    let paths = sheet.paths.iter().map(String::as_str);
                    paths.zip(sheet.signatures.iter().copied()).collect()
                })
                .unwrap_or_default();
            let kept: HashSet<&str> = paths.iter().map(String::as_str).collect();
            let removed = old
                .keys()
                .filter(|path| !kept.contains(*path))
                .map(|path| (*path).to_owned())
                .collect();
            let dirty = (0..plan.len())
                .filter(|&i| {
                    uses_changed_template(plan[i])
                        || old.get(paths[i].as_str()) != Some(&signatures[i])
                })
                .collect();
            (dirty, removed)
        }
        (None, None) => (Vec::new(), Vec::new()),
    }
}

/// Puts the rendered pages that differ from what is served into `shared` (what did not change
/// stays as it is, so that its ETag stays valid), removes `removed`, and with `statics` takes in
/// the theme's static files. Returns the paths that changed: with `first` (the first build), only
/// the pages served before it that it replaced (rendered early, and changed since), as no page
/// shows the others yet.
pub(super) fn swap_in(
    shared: &Shared,
    site: &Site,
    statics: Option<&Theme>,
    version: u64,
    rendered: Vec<(Page, render::Rendered)>,
    removed: &[String],
    first: bool,
) -> Vec<String> {
    let now = jiff::Timestamp::now();
    let updates: Vec<(String, PageEntry)> = {
        let served = shared.read();
        rendered
            .into_iter()
            .filter_map(|(page, r)| {
                let badge = reload::badge(site, page, now);
                let bytes = r.bytes().into_owned();
                let same = served
                    .pages
                    .get(&r.path)
                    .is_some_and(|old| old.badge == badge && old.html.as_ref() == bytes.as_slice());
                (!same).then(|| {
                    let html = Bytes::from(bytes);
                    (
                        r.path,
                        PageEntry {
                            html,
                            version,
                            badge,
                        },
                    )
                })
            })
            .collect()
    };
    let mut changed: Vec<String> = Vec::with_capacity(updates.len() + removed.len());
    let mut served = shared.write();
    served.base_path = site.config.base_path();
    if let Some(theme) = statics {
        served.set_statics(theme);
    }
    for (path, entry) in updates {
        let replaced = served.pages.insert(path.clone(), Arc::new(entry)).is_some();
        if replaced || !first {
            changed.push(path);
        }
    }
    for path in removed {
        served.pages.remove(path);
        changed.push(path.clone());
    }
    served.built = true;
    // Pages are no longer rendered on request: every one is served.
    served.early = None;
    changed
}
