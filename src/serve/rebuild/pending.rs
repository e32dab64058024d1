//! What a rebuild starts from: the changes not yet taken in, and a stopwatch for `--verbose`.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::time::Instant;

use crate::diagnostics::display_path;

/// Changes not yet taken in.
#[derive(Default)]
pub(super) struct Pending {
    pub config: bool,
    pub rescan: bool,
    pub briefs: BTreeSet<PathBuf>,
    pub templates: BTreeSet<String>,
    pub statics: BTreeSet<String>,
}

impl Pending {
    pub(super) fn is_empty(&self) -> bool {
        !self.config
            && !self.rescan
            && self.briefs.is_empty()
            && self.templates.is_empty()
            && self.statics.is_empty()
    }

    pub(super) fn absorb(&mut self, other: Pending) {
        self.config |= other.config;
        self.rescan |= other.rescan;
        self.briefs.extend(other.briefs);
        self.templates.extend(other.templates);
        self.statics.extend(other.statics);
    }

    /// What changed, for the terminal.
    pub(super) fn describe(&self, root: &Path) -> String {
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
pub(super) struct Stopwatch {
    verbose: bool,
    step: Instant,
}

impl Stopwatch {
    pub(super) fn start(verbose: bool) -> Stopwatch {
        Stopwatch {
            verbose,
            step: Instant::now(),
        }
    }

    pub(super) fn lap(&mut self, what: &str) {
        if self.verbose {
            eprintln!(
                "{what:>10}: {:.1} ms",
                self.step.elapsed().as_secs_f64() * 1000.0
            );
        }
        self.step = Instant::now();
    }
}
