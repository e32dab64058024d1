//! The pages that wait for a quiet moment (the search index, `Page::is_deferred`), made on a
//! thread of their own from the summaries alone. The rebuild thread meanwhile takes in the edits
//! that come (making the index takes seconds at 10,000 briefs: a save made then waited for it).
//! An edit gives the index up (`give_up_flush`), so that it neither slows the rebuild down nor
//! holds the summaries the rebuild changes; the pages stay held back and are made again at the
//! next quiet moment. What the thread made is served only if no rebuild came in between.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::Sender;
use std::time::{Duration, Instant};

use axum::body::Bytes;

use super::super::state::PageEntry;
use super::super::watch::Message;
use super::Builder;
use crate::render::{self, Summary, search};

/// The held-back pages made from the site of rebuild `version`.
pub(in crate::serve) struct Flushed {
    version: u64,
    /// Positions in the plan.
    held: Vec<usize>,
    /// Each one's file (`render::deferred_files`); `None`: given up.
    files: Option<Vec<Option<Vec<u8>>>>,
    started: Instant,
}

impl Builder {
    /// Whether pages wait for a quiet moment and none is being made.
    pub(in crate::serve) fn has_deferred(&self) -> bool {
        !self.held.is_empty() && self.pending.is_empty() && self.flushing.is_none()
    }

    /// Starts making the held-back pages of the site as it is now; `done` gets them.
    pub(in crate::serve) fn start_flush(&mut self, done: Sender<Message>) {
        let (Some(model), Some(sheet)) = (&self.model, &self.sheet) else {
            return;
        };
        let held = self.held.clone();
        let pages: Vec<render::Page> = held.iter().map(|&i| sheet.plan[i]).collect();
        let summaries = model.summaries.clone();
        let docs = search::doc_count(&model.site);
        let version = self.version;
        let given_up = Arc::new(AtomicBool::new(false));
        let give_up = given_up.clone();
        if self.verbose {
            eprintln!("search index: making it beside the rebuilds");
        }
        // The test of edits saved meanwhile holds it back for a moment.
        let hold = std::env::var("DOSSIER_SERVE_HOLD_SEARCH_INDEX_MS")
            .ok()
            .and_then(|ms| ms.parse().ok())
            .map(std::time::Duration::from_millis);
        let spawned = std::thread::Builder::new()
            .name("dossier-search-index".to_owned())
            .spawn(move || {
                let started = Instant::now();
                // A pool of its own: in rayon's shared pool, a rebuild's pages would wait behind
                // the index's tasks.
                let make = || render::deferred_files(docs, &summaries, &pages, &give_up);
                let files = match rayon::ThreadPoolBuilder::new().num_threads(1).build() {
                    Ok(pool) => pool.install(make),
                    Err(_) => make(),
                };
                // The rebuild that gave the index up waits for the summaries.
                drop(summaries);
                if let Some(hold) = hold {
                    std::thread::sleep(hold);
                }
                let flushed = Flushed {
                    version,
                    held,
                    files,
                    started,
                };
                let _ = done.send(Message::Flushed(Box::new(flushed)));
            });
        if spawned.is_ok() {
            self.flushing = Some((version, given_up));
        }
    }

    /// Gives up the index being made, if any: a change came.
    pub(in crate::serve) fn give_up_flush(&self) {
        if let Some((_, given_up)) = &self.flushing {
            given_up.store(true, Ordering::Relaxed);
        }
    }

    /// Serves what a flush made, unless a rebuild came since it started.
    pub(in crate::serve) fn finish_flush(&mut self, flushed: Flushed) {
        self.flushing = None;
        let Some(files) = flushed.files.filter(|_| flushed.version == self.version) else {
            return;
        };
        let Some(sheet) = self.sheet.as_mut() else {
            return;
        };
        self.version += 1;
        let mut changed = Vec::new();
        {
            let mut served = self.shared.write();
            for (&i, file) in flushed.held.iter().zip(files) {
                // Held back, the page's signature was stored inverted so that it stayed due.
                sheet.signatures[i] = !sheet.signatures[i];
                let Some(bytes) = file else { continue };
                let path = &sheet.paths[i];
                if served
                    .pages
                    .get(path)
                    .is_some_and(|old| old.html.as_ref() == bytes.as_slice())
                {
                    continue;
                }
                let entry = PageEntry {
                    html: Bytes::from(bytes),
                    version: self.version,
                    badge: None,
                };
                served.pages.insert(path.clone(), Arc::new(entry));
                changed.push(path.clone());
            }
        }
        if !self.quiet {
            println!(
                "search index: {} page{} rendered, {} changed ({} ms)",
                flushed.held.len(),
                if flushed.held.len() == 1 { "" } else { "s" },
                changed.len(),
                flushed.started.elapsed().as_millis()
            );
        }
        self.held.clear();
        self.send_reload(&changed);
    }
}

/// The summaries to change one of, without copying them all: a flush given up lets them go
/// within milliseconds (`flush`); after a while they are copied.
pub(super) fn summaries_to_change(summaries: &mut Arc<Vec<Summary>>) -> &mut Vec<Summary> {
    let deadline = Instant::now() + Duration::from_millis(200);
    while Arc::get_mut(summaries).is_none() && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(1));
    }
    Arc::make_mut(summaries)
}
