//! The site in memory and its rebuilds. The rebuild thread owns the site model (`model`) of the
//! last build that loaded, the signatures of the pages being served (see `prints`), and the set
//! of changes not yet taken in. A rebuild takes in every pending change or none (`intake`):
//!
//! - site.toml (or a bibliography file, or a whole folder of briefs): load and resolve everything
//!   again with the same pipeline as `dossier build`; with site.toml, every page is re-rendered.
//! - briefs: each changed file is loaded alone. An edit that leaves the site's structure as it was is
//!   patched into the site in place (`patch`); anything else (a new, removed or re-dated brief, new
//!   tags, new sources) resolves the briefs already in memory again, without reading them.
//! - templates: the theme is loaded again and the pages whose template uses a changed one are
//!   re-rendered; static files: the theme's file list is read again (their bytes are read from disk
//!   on each request, so an edit shows at once).
//!
//! Then the pages whose signature changed are rendered in parallel, compared with what is served,
//! and the ones that differ are swapped in (`swap`); open pages are told which. When anything
//! fails the served pages stay as they were, every problem is printed and shown in an overlay,
//! and the changes stay pending until a later save fixes them.
//!
//! The first build publishes its model before rendering (`early`): until every page is rendered,
//! a request renders the page it asks for itself.

mod flush;
mod intake;
mod pending;
mod swap;

pub(super) use flush::Flushed;

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use super::early::Early;
use super::model::Model;
use super::prints;
use super::reload::{Event, overlay_html};
use super::state::{First, Shared};
use super::watch::Change;
use crate::diagnostics::{Diagnostics, display_path};
use crate::render::urls::Urls;
use crate::render::{self, Summaries, Views};
use pending::{Pending, Stopwatch};
use swap::{Sheet, dirty_pages, hold_back_deferred, render_in_memory, swap_in};

/// More changed pages than this and open pages are told to reload whatever they show.
const LIST_LIMIT: usize = 500;

/// What a successful rebuild did.
struct Done {
    rendered: usize,
    changed: Vec<String>,
    /// The first build that succeeded.
    first: bool,
}

pub(super) struct Builder {
    /// Absolute, so that watcher paths and display paths agree.
    root: PathBuf,
    drafts: bool,
    /// `http://127.0.0.1:1111`: replaces the origin of base_url.
    origin: String,
    quiet: bool,
    /// Print the time each step of a rebuild takes.
    pub verbose: bool,
    shared: Arc<Shared>,
    /// Shared with requests only while the first build renders (see `early`).
    model: Option<Arc<Model>>,
    /// Edits seen per brief (by display path): part of each brief's fingerprint.
    edits: HashMap<PathBuf, u64>,
    /// The briefs the rebuild under way patched in place, when nothing else changed (see
    /// `prints::sign_near`).
    patched: Option<HashSet<usize>>,
    /// The pages served, with their signatures.
    sheet: Option<Sheet>,
    /// The pages that wait for a quiet moment (`Page::is_deferred`) and are due, by position in
    /// the plan (see `flush`).
    held: Vec<usize>,
    /// The version of the site whose held-back pages are being made, and what gives them up.
    flushing: Option<(u64, Arc<std::sync::atomic::AtomicBool>)>,
    version: u64,
    pending: Pending,
}

impl Builder {
    pub(super) fn new(
        root: PathBuf,
        drafts: bool,
        origin: String,
        quiet: bool,
        shared: Arc<Shared>,
    ) -> Builder {
        Builder {
            root,
            drafts,
            origin,
            quiet,
            verbose: false,
            shared,
            model: None,
            edits: HashMap::new(),
            patched: None,
            sheet: None,
            held: Vec::new(),
            flushing: None,
            version: 0,
            pending: Pending {
                config: true,
                ..Pending::default()
            },
        }
    }

    pub(super) fn note(&mut self, change: Change) {
        self.give_up_flush();
        match change {
            Change::Config => self.pending.config = true,
            Change::Rescan => self.pending.rescan = true,
            Change::Brief(path) => {
                *self
                    .edits
                    .entry(display_path(&self.root, &path))
                    .or_default() += 1;
                self.pending.briefs.insert(path);
            }
            Change::Template(name) => {
                self.pending.templates.insert(name);
            }
            Change::Static(rel) => {
                self.pending.statics.insert(rel);
            }
        }
    }

    pub(super) fn has_pending(&self) -> bool {
        !self.pending.is_empty()
    }

    /// The number of pages served and briefs in the site, for the first line on the terminal.
    pub(super) fn counts(&self) -> (usize, usize) {
        let briefs = self.model.as_ref().map_or(0, |m| m.site.briefs.len());
        (self.sheet.as_ref().map_or(0, |s| s.plan.len()), briefs)
    }

    /// The PDF of the brief whose PDF is at output path `rel`, if `[pdf]` is enabled.
    pub(super) fn pdf(&self, rel: &str) -> Option<Vec<u8>> {
        let model = self.model.as_ref()?;
        let site = &model.site;
        if !site.config.pdf.enabled {
            return None;
        }
        let urls = Urls::new(&site.config);
        let b = site
            .briefs
            .iter()
            .position(|b| crate::pdf::output_path(&urls, &b.loaded.slug) == rel)?;
        let maker = crate::pdf::Maker::new(site, &model.theme.static_files);
        match maker.make(b) {
            Ok(made) => {
                crate::pdf::warn(&site.briefs[b].loaded.path, &made.warnings);
                Some(made.bytes)
            }
            Err(message) => {
                crate::pdf::warn(&site.briefs[b].loaded.path, &[message]);
                None
            }
        }
    }

    /// Drops the site model after a failure it may not survive: the next rebuild loads it afresh.
    pub(super) fn forget(&mut self) {
        self.shared.write().early = None;
        // Requests waiting for the first build get the last good pages, or none.
        self.shared.first.send_replace(First::Done);
        self.model = None;
        self.pending.rescan = true;
    }

    /// Takes in every pending change (or none) and publishes the result. Returns whether it
    /// succeeded.
    pub(super) fn rebuild(&mut self) -> bool {
        let started = Instant::now();
        let pending = std::mem::take(&mut self.pending);
        let first = self.sheet.is_none();
        let what = pending.describe(&self.root);
        let attempt = self.attempt(&pending);
        let built = match attempt {
            Ok(done) => {
                // Citations formatted for the preview are kept for the next start (and build).
                if first && let Some(model) = &self.model {
                    model.site.style.save_cache();
                }
                if !self.quiet {
                    if first {
                        let (pages, briefs) = self.counts();
                        println!(
                            "Built {briefs} briefs into {pages} pages in memory ({} ms)",
                            started.elapsed().as_millis()
                        );
                    } else {
                        println!(
                            "{what}: {} page{} rendered, {} changed ({} ms)",
                            done.rendered,
                            if done.rendered == 1 { "" } else { "s" },
                            done.changed.len(),
                            started.elapsed().as_millis()
                        );
                    }
                }
                self.publish(done, &pending);
                true
            }
            Err(problems) => {
                self.pending.absorb(pending);
                self.fail(problems);
                false
            }
        };
        if first {
            // Whatever came of it, requests waiting for the first build have their answer now.
            self.shared.first.send_replace(First::Done);
        }
        built
    }

    /// One rebuild: take the pending changes in, find the pages they affect, render those and swap
    /// them into what is served.
    fn attempt(&mut self, pending: &Pending) -> Result<Done, Diagnostics> {
        let mut log = Stopwatch::start(self.verbose);
        let theme_changed = !pending.templates.is_empty() || !pending.statics.is_empty();
        let reload_all = pending.config || pending.rescan || self.model.is_none();
        self.take_in(pending, reload_all, theme_changed)?;
        log.lap("load");
        let model = self
            .model
            .clone()
            .expect("a site in memory: loaded above, or kept from the last build");

        let plan = render::plan(&model.site);
        let before = self.sheet.as_ref();
        // The same pages as before (any edit that is not structural): compare by position, and
        // keep the paths.
        let paths = (!before.is_some_and(|sheet| sheet.plan == plan))
            .then(|| output_paths(&model.site, &plan));
        let version = self.version + 1;
        if before.is_none()
            && let Some(paths) = &paths
        {
            self.render_on_request(&model, &plan, paths, version, First::Rendering);
        }
        let views = Views::new(&model.site, Summaries::Lent(&model.summaries))
            .with_cards(&model.prints.cards);
        let signatures = match (&self.patched, before) {
            (Some(patched), Some(sheet)) if paths.is_none() => {
                prints::sign_near(&views, &model.prints, &plan, &sheet.signatures, patched)
            }
            _ => prints::sign(&views, &model.prints, &plan),
        };
        let templates = if pending.config {
            None
        } else {
            prints::templates_using(&model.theme, &pending.templates)
        };
        let (dirty, removed) = dirty_pages(before, &plan, paths.as_deref(), &signatures, templates);

        // The search index waits for a quiet moment (but the first build makes it).
        let mut signatures = signatures;
        let (to_render, held) = hold_back_deferred(dirty, &plan, &mut signatures, before.is_some());
        self.held = held;
        log.lap("plan");

        let rendered = render_in_memory(&model, &to_render)?;
        log.lap("render");

        let statics = (reload_all || theme_changed).then_some(&model.theme);
        let first = before.is_none();
        let changed = swap_in(
            &self.shared,
            &model.site,
            statics,
            version,
            rendered,
            &removed,
            first,
        );
        log.lap("swap");
        self.version = version;
        let paths = match (paths, self.sheet.take()) {
            (Some(paths), _) => paths,
            (None, Some(sheet)) => sheet.paths,
            (None, None) => Vec::new(),
        };
        self.sheet = Some(Sheet {
            plan,
            paths,
            signatures,
        });
        Ok(Done {
            rendered: to_render.len(),
            changed,
            first,
        })
    }

    /// Before the first build renders every page (`phase` Rendering), or formats its citations
    /// (`phase` Citing): lets requests render the pages they ask for from `model` (see `early`),
    /// with the static files and base path it serves.
    fn render_on_request(
        &self,
        model: &Arc<Model>,
        plan: &[render::Page],
        paths: &[String],
        version: u64,
        phase: First,
    ) {
        let early = Early::new(model.clone(), plan, paths, version, self.verbose);
        {
            let mut served = self.shared.write();
            served.base_path = model.site.config.base_path();
            served.set_statics(&model.theme);
            served.early = Some(Arc::new(early));
        }
        self.shared.first.send_replace(phase);
        // The tests of pages served early hold the first build back for a moment.
        let hold = match phase {
            First::Citing => "DOSSIER_SERVE_HOLD_CITATIONS_MS",
            _ => "DOSSIER_SERVE_HOLD_FIRST_BUILD_MS",
        };
        if let Some(hold) = std::env::var(hold).ok().and_then(|ms| ms.parse().ok()) {
            std::thread::sleep(Duration::from_millis(hold));
        }
    }

    /// Tells open pages which of the output paths `changed` to reload (all, past `LIST_LIMIT`).
    fn send_reload(&self, changed: &[String]) {
        if changed.is_empty() {
            return;
        }
        let base_path = self.shared.read().base_path.clone();
        let paths = (changed.len() <= LIST_LIMIT)
            .then(|| Arc::new(changed.iter().map(|p| url_of(&base_path, p)).collect()));
        self.shared.send(Event::Reload(paths));
    }

    fn publish(&mut self, done: Done, pending: &Pending) {
        let had_overlay = {
            let mut served = self.shared.write();
            let had = served.overlay.take().is_some();
            if had {
                served.overlay_gen += 1;
            }
            had
        };
        if had_overlay {
            self.shared.send(Event::Overlay(None));
            if !self.quiet {
                println!("The site builds again.");
            }
            if done.first {
                // Open pages show that the site did not build yet: every one has a page now.
                self.shared.send(Event::Reload(None));
            }
        }
        self.send_reload(&done.changed);
        let base_path = self.shared.read().base_path.clone();
        let url_of = |path: &str| url_of(&base_path, path);
        if !pending.statics.is_empty() {
            if pending.statics.iter().all(|s| s.ends_with(".css")) {
                let paths = pending.statics.iter().map(|s| url_of(s)).collect();
                self.shared.send(Event::Css(Arc::new(paths)));
            } else {
                self.shared.send(Event::Reload(None));
            }
        }
    }

    fn fail(&mut self, problems: Diagnostics) {
        // A failed rebuild always says why; "0 problems" would hide a bug.
        debug_assert!(!problems.0.is_empty(), "a rebuild failed without a problem");
        let problems = problems.finish();
        for problem in &problems.0 {
            eprintln!("{problem}\n");
        }
        let count = problems.0.len();
        eprintln!(
            "The site has {count} problem{}; serving the last version that built until {} fixed.",
            if count == 1 { "" } else { "s" },
            if count == 1 { "it is" } else { "they are" }
        );
        let html: Arc<str> = overlay_html(&problems.0).into();
        {
            let mut served = self.shared.write();
            served.overlay = Some(html.clone());
            served.overlay_gen += 1;
            if self.sheet.is_none() {
                // The first build failed: the pages rendered on request were never a whole site.
                served.early = None;
                served.pages.clear();
            }
        }
        self.shared.send(Event::Overlay(Some(html)));
    }
}

/// The output path of each page of `plan`, in order.
fn output_paths(site: &crate::site::Site, plan: &[render::Page]) -> Vec<String> {
    let urls = Urls::new(&site.config);
    plan.iter()
        .map(|page| page.output_path(site, &urls))
        .collect()
}

/// The URL of an output path.
fn url_of(base_path: &str, path: &str) -> String {
    format!(
        "{base_path}{}",
        path.strip_suffix("index.html").unwrap_or(path)
    )
}
