//! Taking changes into the site in memory: everything loaded again, or the theme, or the briefs
//! that changed (patched in place when the change is local, else every brief resolved again).

use std::collections::{BTreeSet, HashSet};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Instant;

use super::super::model::{self, Model};
use super::super::patch::{self, Patch};
use super::super::prints::Prints;
use super::super::state::First;
use super::Builder;
use super::pending::Pending;
use crate::diagnostics::{Diagnostics, display_path};
use crate::load::{self, LoadedBrief};
use crate::pipeline;
use crate::render::urls::Urls;
use crate::render::{self, Theme, views};
use crate::site::{self, Site};

/// A changed brief file, by its site path: as loaded, or `None` when it was deleted.
type Changed = (PathBuf, Option<LoadedBrief>);

impl Builder {
    /// Takes the pending changes into the site in memory: everything loaded again when site.toml
    /// (or the set of files) changed or nothing is in memory yet, else the theme and the briefs
    /// that changed.
    pub(super) fn take_in(
        &mut self,
        pending: &Pending,
        reload_all: bool,
        theme_changed: bool,
    ) -> Result<(), Diagnostics> {
        // Which briefs were patched in place, while nothing else changed.
        self.patched = (!reload_all && !theme_changed).then(HashSet::new);
        if reload_all {
            self.load_all()?;
            return Ok(());
        }
        if theme_changed && let Some(model) = &mut self.model {
            let model = model::exclusive(model);
            model.theme = Theme::load(&self.root, &model.site.config)?;
        }
        if !pending.briefs.is_empty() {
            self.take_in_briefs(&pending.briefs)?;
        }
        Ok(())
    }

    /// Loads and resolves the whole site. The first time, the pages that show no citation are
    /// served (rendered on request) while the citations are formatted.
    fn load_all(&mut self) -> Result<(), Diagnostics> {
        let inputs = pipeline::Inputs {
            root: &self.root,
            base_url: None,
            drafts: self.drafts,
        };
        let (mut site, theme) = pipeline::load_site_uncited(&inputs, self.verbose)?;
        let base_path = site.config.base_path();
        site.config.base_url = format!("{}{base_path}", self.origin);
        let started = Instant::now();
        let mut model = Arc::new(Model::uncited(site, theme));
        pipeline::log_stage(self.verbose, "summaries", started);
        let first = self.sheet.is_none();
        if first {
            let plan = render::plan(&model.site);
            let paths = super::output_paths(&model.site, &plan);
            self.render_on_request(&model, &plan, &paths, self.version + 1, First::Citing);
        }
        let started = Instant::now();
        let (citations, prints) = rayon::join(
            || model.site.format_citations(),
            || Prints::new(&model.site, &model.summaries, &self.edits),
        );
        if first {
            // Requests hold the model until they have their page; the next ones wait.
            self.shared.write().early = None;
        }
        let cited = model::exclusive(&mut model);
        cited.site.set_citations(citations);
        cited.prints = prints;
        cited.prints.set_sources(&cited.site);
        cited.spare_style = Some(cited.site.style.clone());
        pipeline::log_stage(self.verbose, "citations", started);
        self.model = Some(model);
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
        let model = model::exclusive(
            self.model
                .as_mut()
                .expect("briefs are taken in only when a site is in memory"),
        );
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
                    if let Some(patched) = &mut self.patched {
                        patched.insert(b);
                    }
                    let urls = Urls::new(&model.site.config);
                    super::flush::summaries_to_change(&mut model.summaries)[b] =
                        views::summary(&model.site, &urls, &model.site.briefs[b]);
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
        self.patched = None;
        let Some(Model {
            site,
            theme,
            spare_style,
            ..
        }) = self.model.take().map(model::unwrap)
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
        let model = Model::new(site, theme, &self.edits, spare_style);
        self.model = Some(Arc::new(model));
        Ok(())
    }
}
