//! The stages before rendering, shared by every command that needs a checked site: read site.toml
//! and the briefs, load the theme, resolve everything into a `Site`. Every stage that can run does,
//! so that one run reports every problem.

use std::path::Path;
use std::time::Instant;

use crate::cite::style::CitationStyle;
use crate::config::SiteConfig;
use crate::diagnostics::Diagnostics;
use crate::load;
use crate::render::Theme;
use crate::site::{self, Site};

pub struct Inputs<'a> {
    pub root: &'a Path,
    /// Overrides site.toml's base_url.
    pub base_url: Option<&'a str>,
    pub drafts: bool,
}

/// Loads and resolves the site at `inputs.root`, briefs dated in the future included (the preview
/// shows them as scheduled); with `verbose`, prints each stage's time.
pub fn load_site(inputs: &Inputs<'_>, verbose: bool) -> Result<(Site, Theme), Diagnostics> {
    load_site_as_of(inputs, None, verbose)
}

/// Like `load_site`, but briefs dated after `now` are left out, as when publishing: `dossier
/// build` and `dossier check` without `--future`. `None` keeps every brief.
pub fn load_site_as_of(
    inputs: &Inputs<'_>,
    now: Option<jiff::Timestamp>,
    verbose: bool,
) -> Result<(Site, Theme), Diagnostics> {
    let log = |what: &str, since: Instant| {
        if verbose {
            eprintln!("{what:>10}: {} ms", since.elapsed().as_millis());
        }
    };
    let step = Instant::now();
    let root = inputs.root;
    let mut config = match SiteConfig::load(root) {
        Ok(config) => config,
        Err(mut problems) => {
            // Still report the briefs' own problems in the same run.
            problems.extend(load::load_briefs(root).1.0);
            return Err(problems.finish());
        }
    };
    if let Some(base_url) = inputs.base_url {
        config.base_url = base_url.to_owned();
    }
    // Briefs, the theme and the citation style (its locales take a while) load side by side.
    let ((mut loaded, mut problems), (theme, style)) = rayon::join(
        || load::load_briefs(root),
        || {
            rayon::join(
                || Theme::load(root, &config),
                || CitationStyle::load(&config.citations.style, root, &config.language),
            )
        },
    );
    log("load", step);
    if let Some(now) = now {
        loaded.retain(|brief| brief.front.date.timestamp <= now);
    }

    let step = Instant::now();
    let theme = theme.map_err(|d| problems.extend(d.0));
    let style = style.map_err(|d| problems.push(d));
    let options = site::Options {
        drafts: inputs.drafts,
    };
    let site = match style {
        Ok(style) => {
            site::resolve(root, config, style, loaded, options).map_err(|d| problems.extend(d.0))
        }
        Err(()) => Err(()),
    };
    let (Ok(theme), Ok(site), true) = (theme, site, problems.0.is_empty()) else {
        return Err(problems.finish());
    };
    log("resolve", step);
    Ok((site, theme))
}
