//! What the HTTP side reads: the pages of the last good build, in memory, and the static files,
//! behind one lock that the rebuild thread holds only to swap entries in.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, PoisonError, RwLock, RwLockReadGuard, RwLockWriteGuard};

use axum::body::Bytes;
use tokio::sync::{broadcast, watch};

use super::early::Early;
use super::reload::Event;
use crate::render::theme::{StaticFile, Theme};

/// One rendered page.
#[derive(Debug)]
pub(super) struct PageEntry {
    pub html: Bytes,
    /// The rebuild that last changed it: part of its ETag, and how a reconnecting page tells
    /// whether it is stale.
    pub version: u64,
    /// "Draft" or "Scheduled" for such briefs.
    pub badge: Option<&'static str>,
}

/// Where a static file's bytes come from.
#[derive(Debug)]
pub(super) enum StaticSource {
    Embedded(&'static [u8]),
    Disk(PathBuf),
}

#[derive(Default)]
pub(super) struct Served {
    /// `/` or `/blog/`: every page and file is below it.
    pub base_path: String,
    /// Pages by output path (`index.html`, `a/index.html`, `404.html`).
    pub pages: HashMap<String, Arc<PageEntry>>,
    /// Static files by output path.
    pub statics: HashMap<String, Arc<StaticSource>>,
    /// The problems panel while the site has problems.
    pub overlay: Option<Arc<str>>,
    /// Counts changes of `overlay`, for ETags.
    pub overlay_gen: u64,
    /// Whether any build has succeeded (until then there are no pages to show).
    pub built: bool,
    /// While the first build renders: the pages a request renders itself (see `early`).
    pub early: Option<Arc<Early>>,
}

/// Where the first build is, for the requests that come before it is done.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum First {
    /// Loading and resolving the site: requests wait.
    Loading,
    /// Formatting the site's citations: a request for a page that shows none renders it itself;
    /// the others wait.
    Citing,
    /// Rendering every page: a request renders its page itself.
    Rendering,
    /// Done, or failed: requests are answered from what is served.
    Done,
}

impl Served {
    pub(super) fn set_statics(&mut self, theme: &Theme) {
        self.statics = theme
            .static_files
            .iter()
            .map(|(rel, file)| {
                let source = match file {
                    StaticFile::Embedded(bytes) => StaticSource::Embedded(bytes),
                    StaticFile::Disk(path) => StaticSource::Disk(path.clone()),
                };
                (rel.clone(), Arc::new(source))
            })
            .collect();
    }
}

/// State shared by the HTTP handlers and the rebuild thread.
pub(super) struct Shared {
    served: RwLock<Served>,
    pub events: broadcast::Sender<Event>,
    pub shutdown: watch::Receiver<bool>,
    /// Where the first build is.
    pub first: watch::Sender<First>,
    /// Tells this server process apart from an earlier one (in ETags and reconnecting pages).
    pub instance: u64,
    /// The site's folder, canonical: a static file from disk must resolve inside it.
    pub root: PathBuf,
    /// Where a request for a brief's PDF goes: the rebuild thread, which holds the site.
    pdf_requests: Mutex<Option<std::sync::mpsc::Sender<super::watch::Message>>>,
}

impl Shared {
    pub(super) fn new(root: PathBuf, shutdown: watch::Receiver<bool>) -> Shared {
        let instance = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos() as u64 ^ u64::from(std::process::id()));
        Shared {
            served: RwLock::new(Served::default()),
            events: broadcast::channel(64).0,
            shutdown,
            first: watch::channel(First::Loading).0,
            instance,
            root,
            pdf_requests: Mutex::new(None),
        }
    }

    pub(super) fn set_pdf_requests(&self, to: std::sync::mpsc::Sender<super::watch::Message>) {
        *self
            .pdf_requests
            .lock()
            .unwrap_or_else(PoisonError::into_inner) = Some(to);
    }

    /// The PDF at output path `rel`, made by the rebuild thread (from the cache when it can).
    pub(super) async fn pdf(&self, rel: &str) -> Option<Vec<u8>> {
        let (reply, answer) = tokio::sync::oneshot::channel();
        let sender = self
            .pdf_requests
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()?;
        sender
            .send(super::watch::Message::Pdf(rel.to_owned(), reply))
            .ok()?;
        answer.await.ok().flatten()
    }

    /// The served site, to read (a lock poisoned by a panic elsewhere still holds consistent data:
    /// entries are swapped in whole).
    pub(super) fn read(&self) -> RwLockReadGuard<'_, Served> {
        self.served.read().unwrap_or_else(PoisonError::into_inner)
    }

    pub(super) fn write(&self) -> RwLockWriteGuard<'_, Served> {
        self.served.write().unwrap_or_else(PoisonError::into_inner)
    }

    /// Waits until the first build is past `phase`.
    pub(super) async fn first_past(&self, phase: First) {
        let mut first = self.first.subscribe();
        let _ = first.wait_for(|now| *now > phase).await;
    }

    /// Tells every open page (none listening is fine).
    pub(super) fn send(&self, event: Event) {
        let _ = self.events.send(event);
    }
}
