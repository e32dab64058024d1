//! The site in memory and its rebuilds. The rebuild thread owns the resolved `Site` and `Theme` of
//! the last build that loaded, the signatures of the pages being served (see `prints`), and the set
//! of changes not yet taken in. A rebuild takes in every pending change or none:
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
//! and the ones that differ are swapped in; open pages are told which. When anything fails the
//! served pages stay as they were, every problem is printed and shown in an overlay, and the changes
//! stay pending until a later save fixes them.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Instant;

use axum::body::Bytes;

use super::patch::{self, Patch};
use super::prints::{self, Prints};
use super::reload::{self, Event, overlay_html};
use super::state::{PageEntry, Shared};
use super::watch::Change;
use crate::cite::style::CitationStyle;
use crate::diagnostics::{Diagnostics, display_path};
use crate::load::{self, LoadedBrief};
use crate::pipeline;
use crate::render::urls::Urls;
use crate::render::{self, Page, Summaries, Summary, Theme, Views, views};
use crate::site::{self, Site};

/// More changed pages than this and open pages are told to reload whatever they show.
const LIST_LIMIT: usize = 500;

struct Model {
    site: Site,
    theme: Theme,
    /// Every brief's summary, kept for rendering (building 10,000 takes a while).
    summaries: Vec<Summary>,
    prints: Prints,
    /// A copy of the site's citation style for `patch`.
    spare_style: Option<CitationStyle>,
}

impl Model {
    /// The site in memory with what rendering and change detection keep of it.
    fn new(
        site: Site,
        theme: Theme,
        edits: &HashMap<PathBuf, u64>,
        spare_style: Option<CitationStyle>,
    ) -> Model {
        let summaries = render::summaries(&site);
        let prints = Prints::new(&site, &summaries, edits);
        Model {
            site,
            theme,
            summaries,
            prints,
            spare_style,
        }
    }
}

/// The pages served: the plan they were rendered from, their output paths and signatures.
struct Sheet {
    plan: Vec<Page>,
    paths: Vec<String>,
    signatures: Vec<u64>,
}

/// Changes not yet taken in.
#[derive(Default)]
struct Pending {
    config: bool,
    rescan: bool,
    briefs: BTreeSet<PathBuf>,
    templates: BTreeSet<String>,
    statics: BTreeSet<String>,
}

impl Pending {
    fn is_empty(&self) -> bool {
        !self.config
            && !self.rescan
            && self.briefs.is_empty()
            && self.templates.is_empty()
            && self.statics.is_empty()
    }

    fn absorb(&mut self, other: Pending) {
        self.config |= other.config;
        self.rescan |= other.rescan;
        self.briefs.extend(other.briefs);
        self.templates.extend(other.templates);
        self.statics.extend(other.statics);
    }

    /// What changed, for the terminal.
    fn describe(&self, root: &Path) -> String {
        let mut names: Vec<String> = Vec::new();
        if self.config {
            names.push("site.toml".to_owned());
        }
        if self.rescan {
            names.push("briefs/".to_owned());
        }
        names.extend(
            self.briefs
                .iter()
                .map(|p| display_path(root, p).display().to_string()),
        );
        names.extend(self.templates.iter().map(|t| format!("template {t}")));
        names.extend(self.statics.iter().map(|s| format!("static/{s}")));
        match names.len() {
            0..=3 => names.join(", "),
            n => format!("{}, {} and {} more", names[0], names[1], n - 2),
        }
    }
}

/// With `--verbose`, prints the time each step of a rebuild takes.
struct Stopwatch {
    verbose: bool,
    step: Instant,
}

impl Stopwatch {
    fn start(verbose: bool) -> Stopwatch {
        Stopwatch {
            verbose,
            step: Instant::now(),
        }
    }

    fn lap(&mut self, what: &str) {
        if self.verbose {
            eprintln!(
                "{what:>10}: {:.1} ms",
                self.step.elapsed().as_secs_f64() * 1000.0
            );
        }
        self.step = Instant::now();
    }
}

/// The dirty pages to render now; with `defer`, those that wait for a quiet moment are held back,
/// their signatures stored inverted so that they stay due. Also says whether any was held back.
fn hold_back_deferred(
    dirty: Vec<usize>,
    plan: &[Page],
    signatures: &mut [u64],
    defer: bool,
) -> (Vec<Page>, bool) {
    let mut to_render = Vec::with_capacity(dirty.len());
    let mut deferred = false;
    for i in dirty {
        if defer && plan[i].is_deferred() {
            signatures[i] = !signatures[i];
            deferred = true;
        } else {
            to_render.push(plan[i]);
        }
    }
    (to_render, deferred)
}

/// Renders `pages` of the site in memory, in parallel.
fn render_in_memory(
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

/// A changed brief file, by its site path: as loaded, or `None` when it was deleted.
type Changed = (PathBuf, Option<LoadedBrief>);

/// What a successful rebuild did.
struct Done {
    rendered: usize,
    changed: Vec<String>,
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
    model: Option<Model>,
    /// Edits seen per brief (by display path): part of each brief's fingerprint.
    edits: HashMap<PathBuf, u64>,
    /// The pages served, with their signatures.
    sheet: Option<Sheet>,
    /// Whether pages that wait for a quiet moment (`prints::is_deferred`) are due.
    deferred: bool,
    /// Set while rendering them.
    flush_deferred: bool,
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
            sheet: None,
            deferred: false,
            flush_deferred: false,
            version: 0,
            pending: Pending {
                config: true,
                ..Pending::default()
            },
        }
    }

    pub(super) fn note(&mut self, change: Change) {
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
        self.model = None;
        self.flush_deferred = false;
        self.pending.rescan = true;
    }

    /// Whether pages wait for a quiet moment (see `flush`).
    pub(super) fn has_deferred(&self) -> bool {
        self.deferred && self.pending.is_empty()
    }

    /// Renders the pages that wait for a quiet moment.
    pub(super) fn flush(&mut self) {
        self.flush_deferred = true;
        self.rebuild();
        self.flush_deferred = false;
    }

    /// Takes in every pending change (or none) and publishes the result. Returns whether it
    /// succeeded.
    pub(super) fn rebuild(&mut self) -> bool {
        let started = Instant::now();
        let pending = std::mem::take(&mut self.pending);
        let first = self.sheet.is_none();
        let what = if pending.is_empty() {
            "search index".to_owned()
        } else {
            pending.describe(&self.root)
        };
        match self.attempt(&pending) {
            Ok(done) => {
                // Citations formatted for the preview are kept for the next start (and build).
                if first && let Some(model) = &self.model {
                    model.site.style.save_cache();
                }
                if !self.quiet && !first {
                    println!(
                        "{what}: {} page{} rendered, {} changed ({} ms)",
                        done.rendered,
                        if done.rendered == 1 { "" } else { "s" },
                        done.changed.len(),
                        started.elapsed().as_millis()
                    );
                }
                self.publish(done, &pending);
                true
            }
            Err(problems) => {
                self.pending.absorb(pending);
                self.fail(problems);
                false
            }
        }
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
            .as_ref()
            .expect("a site in memory: loaded above, or kept from the last build");

        let plan = render::plan(&model.site);
        let views = Views::new(&model.site, Summaries::Lent(&model.summaries));
        let signatures = prints::sign(&views, &model.prints, &plan);
        let before = self.sheet.as_ref();
        // The same pages as before (any edit that is not structural): compare by position, and
        // keep the paths.
        let paths = (!before.is_some_and(|sheet| sheet.plan == plan)).then(|| {
            plan.iter()
                .map(|page| page.output_path(&model.site, &views.urls))
                .collect::<Vec<_>>()
        });
        let templates = if pending.config {
            None
        } else {
            prints::templates_using(&model.theme, &pending.templates)
        };
        let (dirty, removed) = dirty_pages(before, &plan, paths.as_deref(), &signatures, templates);

        // The search index waits for a quiet moment (but the first build makes it).
        let defer = !self.flush_deferred && before.is_some();
        let mut signatures = signatures;
        let (to_render, deferred) = hold_back_deferred(dirty, &plan, &mut signatures, defer);
        self.deferred = deferred;
        log.lap("plan");

        let (site, theme) = (&model.site, &model.theme);
        let rendered = render_in_memory(model, &to_render)?;
        log.lap("render");

        let version = self.version + 1;
        let statics = (reload_all || theme_changed).then_some(theme);
        let changed = swap_in(&self.shared, site, statics, version, rendered, &removed);
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
        })
    }

    /// Takes the pending changes into the site in memory: everything loaded again when site.toml
    /// (or the set of files) changed or nothing is in memory yet, else the theme and the briefs
    /// that changed.
    fn take_in(
        &mut self,
        pending: &Pending,
        reload_all: bool,
        theme_changed: bool,
    ) -> Result<(), Diagnostics> {
        if reload_all {
            let inputs = pipeline::Inputs {
                root: &self.root,
                base_url: None,
                drafts: self.drafts,
            };
            let (mut site, theme) = pipeline::load_site(&inputs, false)?;
            let base_path = site.config.base_path();
            site.config.base_url = format!("{}{base_path}", self.origin);
            let spare_style = Some(site.style.clone());
            self.model = Some(Model::new(site, theme, &self.edits, spare_style));
            return Ok(());
        }
        if theme_changed && let Some(model) = &mut self.model {
            model.theme = Theme::load(&self.root, &model.site.config)?;
        }
        if !pending.briefs.is_empty() {
            self.take_in_briefs(&pending.briefs)?;
        }
        Ok(())
    }

    /// Loads the changed briefs and puts them into the site: in place when the change is local,
    /// else by resolving every brief again.
    fn take_in_briefs(&mut self, paths: &BTreeSet<PathBuf>) -> Result<(), Diagnostics> {
        let loaded = self.load_changed(paths)?;
        let structural = self.patch_in(loaded)?;
        if structural.is_empty() {
            return Ok(());
        }
        self.resolve_again(structural)
    }

    /// The changed briefs as read from disk (`None`: deleted), shown by their site paths.
    fn load_changed(&self, paths: &BTreeSet<PathBuf>) -> Result<Vec<Changed>, Diagnostics> {
        let mut problems = Diagnostics::default();
        let mut loaded: Vec<Changed> = Vec::new();
        for path in paths {
            let shown = display_path(&self.root, path);
            if path.is_file() {
                match load::load_brief(&self.root, path) {
                    Ok(brief) => loaded.push((shown, Some(brief))),
                    Err(problem) => problems.push(problem),
                }
            } else {
                loaded.push((shown, None));
            }
        }
        problems.into_result(loaded)
    }

    /// Patches each changed brief into the site in memory where the change is local; returns the
    /// ones that need every brief resolved again.
    fn patch_in(&mut self, loaded: Vec<Changed>) -> Result<Vec<Changed>, Diagnostics> {
        let mut problems = Diagnostics::default();
        let model = self
            .model
            .as_mut()
            .expect("briefs are taken in only when a site is in memory");
        let mut structural: Vec<Changed> = Vec::new();
        for (shown, brief) in loaded {
            let Some(brief) = brief else {
                structural.push((shown, None));
                continue;
            };
            let patching = Instant::now();
            let patched = patch::patch(&mut model.site, &mut model.spare_style, brief, self.drafts);
            if self.verbose {
                let how = match &patched {
                    Patch::Applied(_) => "patched in place",
                    Patch::Structural(_) => "needs a full resolve",
                    Patch::Failed(_) => "failed",
                };
                eprintln!(
                    "{how:>10}: {:.1} ms",
                    patching.elapsed().as_secs_f64() * 1000.0
                );
            }
            match patched {
                Patch::Applied(b) => {
                    let urls = Urls::new(&model.site.config);
                    model.summaries[b] = views::summary(&model.site, &urls, &model.site.briefs[b]);
                    let summary = &model.summaries[b];
                    model
                        .prints
                        .update_brief(&model.site, summary, &self.edits, b);
                }
                Patch::Structural(brief) => structural.push((shown, Some(*brief))),
                Patch::Failed(found) => problems.extend(found.0),
            }
        }
        problems.into_result(structural)
    }

    /// Resolves every brief again, the `structural` ones replacing (or, when `None`, removing)
    /// their old versions. If that fails, the next rebuild loads the site from disk.
    fn resolve_again(&mut self, structural: Vec<Changed>) -> Result<(), Diagnostics> {
        let Some(Model {
            site,
            theme,
            spare_style,
            ..
        }) = self.model.take()
        else {
            unreachable!("the site was in memory a moment ago");
        };
        let replaced: HashSet<&PathBuf> = structural.iter().map(|(shown, _)| shown).collect();
        let Site {
            root,
            config,
            style,
            briefs,
            pages,
            ..
        } = site;
        let mut all: Vec<LoadedBrief> = briefs
            .into_iter()
            .map(|b| b.loaded)
            .filter(|b| !replaced.contains(&b.path))
            .collect();
        all.extend(structural.into_iter().filter_map(|(_, brief)| brief));
        let options = site::Options {
            drafts: self.drafts,
        };
        let mut site = site::resolve(&root, config, style, all, options)?;
        let pages = pages.into_iter().map(|p| p.loaded).collect();
        let page_problems = site::pages::resolve(&mut site, pages, self.drafts);
        if !page_problems.0.is_empty() {
            return Err(page_problems);
        }
        self.model = Some(Model::new(site, theme, &self.edits, spare_style));
        Ok(())
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
        }
        let base_path = self.shared.read().base_path.clone();
        let url_of = |path: &str| {
            format!(
                "{base_path}{}",
                path.strip_suffix("index.html").unwrap_or(path)
            )
        };
        if !done.changed.is_empty() {
            let paths = (done.changed.len() <= LIST_LIMIT)
                .then(|| Arc::new(done.changed.iter().map(|p| url_of(p)).collect()));
            self.shared.send(Event::Reload(paths));
        }
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
        }
        self.shared.send(Event::Overlay(Some(html)));
    }
}

/// The positions in `plan` of the pages to render (a new or changed signature, or a template
/// among `templates`, `None` meaning every template), and the output paths served before that
/// the plan no longer has. `paths` are the plan's output paths when the plan changed.
fn dirty_pages(
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
/// the theme's static files. Returns the paths that changed.
fn swap_in(
    shared: &Shared,
    site: &Site,
    statics: Option<&Theme>,
    version: u64,
    rendered: Vec<(Page, render::Rendered)>,
    removed: &[String],
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
        served.pages.insert(path.clone(), Arc::new(entry));
        changed.push(path);
    }
    for path in removed {
        served.pages.remove(path);
        changed.push(path.clone());
    }
    served.built = true;
    changed
}
