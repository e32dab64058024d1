//! The stages before rendering, shared by every command that needs a checked site: read site.toml
//! and the briefs, load the theme, resolve everything into a `Site`. Every stage that can run does,
//! so that one run reports every problem.

use std::path::Path;
use std::time::Instant;

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

/// Loads and resolves the site at `inputs.root`; with `verbose`, prints each stage's time.
pub fn load_site(inputs: &Inputs<'_>, verbose: bool) -> Result<(Site, Theme), Diagnostics> {
    let log = |what: &str, since: Instant| {
        if verbose {
            eprintln!("{what:>10}: {} ms", since.elapsed().as_millis());
        }
    };
    let step = Instant::now();
    let root = inputs.root;
    let (config, (loaded, mut problems)) =
        rayon::join(|| SiteConfig::load(root), || load::load_briefs(root));
    let mut config = match config {
        Ok(config) => config,
        Err(config_problems) => {
            problems.extend(config_problems.0);
            return Err(problems.finish());
        }
    };
    if let Some(base_url) = inputs.base_url {
        config.base_url = base_url.to_owned();
    }
    log("load", step);

    let step = Instant::now();
    let theme = Theme::load(root, &config).map_err(|d| problems.extend(d.0));
    let options = site::Options {
        drafts: inputs.drafts,
    };
    let site = site::resolve(config, loaded, options).map_err(|d| problems.extend(d.0));
    let (Ok(theme), Ok(site), true) = (theme, site, problems.0.is_empty()) else {
        return Err(problems.finish());
    };
    log("resolve", step);
    Ok((site, theme))
}
