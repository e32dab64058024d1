//! The site in memory: the resolved `Site` and `Theme` of the last build that loaded, with what
//! rendering and change detection keep of it. The rebuild thread owns it; while the first build
//! renders, requests render the pages they ask for from it too (`early`), so it is shared.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use super::prints::Prints;
use crate::cite::style::CitationStyle;
use crate::render::{self, Summary, Theme};
use crate::site::Site;

pub(super) struct Model {
    pub site: Site,
    pub theme: Theme,
    /// Every brief's summary, kept for rendering (building 10,000 takes a while); shared with
    /// the thread that makes the search index (`rebuild::flush`).
    pub summaries: Arc<Vec<Summary>>,
    pub prints: Prints,
    /// A copy of the site's citation style for `patch`.
    pub spare_style: Option<CitationStyle>,
}

impl Model {
    /// The site in memory with what rendering and change detection keep of it.
    pub(super) fn new(
        site: Site,
        theme: Theme,
        edits: &HashMap<PathBuf, u64>,
        spare_style: Option<CitationStyle>,
    ) -> Model {
        let mut model = Model::uncited(site, theme);
        model.prints = Prints::new(&model.site, &model.summaries, edits);
        model.spare_style = spare_style;
        model
    }

    /// The site in memory, its citations not formatted yet (see `site::resolve_uncited`): what
    /// the pages without citations need, rendered while the rest is computed. Its fingerprints
    /// come later (`Prints::new`, then `Prints::set_sources`).
    pub(super) fn uncited(site: Site, theme: Theme) -> Model {
        let summaries = Arc::new(render::summaries(&site));
        Model {
            site,
            theme,
            summaries,
            prints: Prints::default(),
            spare_style: None,
        }
    }
}

/// The model for changing it: requests rendering early pages hold it only for one page, and
/// none takes it once the first build is done (`Served::early` is cleared first), so this waits
/// at most for the pages being rendered.
pub(super) fn exclusive(model: &mut Arc<Model>) -> &mut Model {
    while Arc::get_mut(model).is_none() {
        std::thread::sleep(Duration::from_millis(1));
    }
    Arc::get_mut(model).expect("no other holder: checked just above")
}

/// The model itself, to take it apart (see `exclusive`).
pub(super) fn unwrap(mut model: Arc<Model>) -> Model {
    loop {
        match Arc::try_unwrap(model) {
            Ok(model) => return model,
            Err(shared) => {
                model = shared;
                std::thread::sleep(Duration::from_millis(1));
            }
        }
    }
}
