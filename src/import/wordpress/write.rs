//! Writing the site: each file is first written to a staging folder inside the site's folder,
//! and moved into place only when the whole import succeeded, so a refused or failed import
//! leaves the folder as it was. A file that already holds what the import would write is left
//! alone (a second import changes nothing); one that holds something else is a conflict, which
//! refuses the import unless `--force`.

use std::path::{Component, Path, PathBuf};

use crate::diagnostics::{Diagnostic, Diagnostics};

/// The staging folder, inside the site's folder so that moving files out of it is a rename.
const STAGING: &str = ".dossier-import.tmp";

/// What became of a file the import writes.
pub(super) enum Outcome {
    /// It already holds these contents.
    Same,
    /// Staged, to be moved into place.
    Staged(String),
    /// It holds something else, and there is no `--force`.
    Conflict(String),
}

pub(super) struct Staging {
    root: PathBuf,
    staging: PathBuf,
    force: bool,
}

impl Staging {
    /// A staging folder in `root` (the site's folder, canonical), emptied of any earlier one.
    pub(super) fn new(root: PathBuf, force: bool) -> Result<Staging, Diagnostics> {
        let staging = root.join(STAGING);
        if staging.exists() {
            std::fs::remove_dir_all(&staging).map_err(|e| io_error(&staging, &e))?;
        }
        Ok(Staging {
            root,
            staging,
            force,
        })
    }

    /// `relative` under `base`, refusing any path that could leave it.
    fn inside(base: &Path, relative: &str) -> Option<PathBuf> {
        let path = Path::new(relative);
        path.components()
            .all(|c| matches!(c, Component::Normal(_)))
            .then(|| base.join(path))
    }

    /// Stages `text` as the file `relative` (a path made by the importer, never one that leaves
    /// the site's folder: such a path is refused).
    pub(super) fn text(&self, relative: &str, text: &str) -> Result<Outcome, Diagnostic> {
        self.stage(relative, Source::Text(text))
    }

    /// Stages a copy of the file `from` as `relative`.
    pub(super) fn copy(&self, relative: &str, from: &Path) -> Result<Outcome, Diagnostic> {
        self.stage(relative, Source::File(from))
    }

    fn stage(&self, relative: &str, source: Source) -> Result<Outcome, Diagnostic> {
        let Some(target) = Self::inside(&self.root, relative) else {
            return Err(Diagnostic::new(format!(
                "`{relative}` would be outside the site's folder: not written"
            )));
        };
        match std::fs::symlink_metadata(&target) {
            Ok(meta) if meta.file_type().is_symlink() || meta.is_dir() => {
                return Err(Diagnostic::new(format!(
                    "{} is a link or a folder: the import writes a file there",
                    target.display()
                ))
                .with_hint("move it away, or import into another folder"));
            }
            Ok(_) => {
                self.check_parent(&target)?;
                let same = match source {
                    Source::Text(text) => {
                        std::fs::read(&target).is_ok_and(|old| old == text.as_bytes())
                    }
                    Source::File(from) => same_file_content(from, &target),
                };
                if same {
                    return Ok(Outcome::Same);
                }
                if !self.force {
                    return Ok(Outcome::Conflict(relative.to_owned()));
                }
            }
            Err(_) => {}
        }
        let staged = self.staging.join(relative);
        if let Some(parent) = staged.parent() {
            std::fs::create_dir_all(parent).map_err(|e| io_diagnostic(parent, &e))?;
        }
        let result = match source {
            Source::Text(text) => std::fs::write(&staged, text),
            Source::File(from) => std::fs::copy(from, &staged).map(|_| ()),
        };
        result.map_err(|e| io_diagnostic(&staged, &e))?;
        Ok(Outcome::Staged(relative.to_owned()))
    }

    /// A folder on the way to `target` that is a link out of the site is refused.
    fn check_parent(&self, target: &Path) -> Result<(), Diagnostic> {
        let Some(parent) = target.parent() else {
            return Ok(());
        };
        let real = parent
            .canonicalize()
            .map_err(|e| io_diagnostic(parent, &e))?;
        if real.starts_with(&self.root) {
            Ok(())
        } else {
            Err(Diagnostic::new(format!(
                "{} leads out of the site folder through a link: not written",
                target.display()
            )))
        }
    }

    /// Moves the staged files (`relative` paths) into place.
    pub(super) fn commit(&self, staged: &[String]) -> Result<(), Diagnostics> {
        for relative in staged {
            let target = self.root.join(relative);
            if let Some(parent) = target.parent() {
                std::fs::create_dir_all(parent).map_err(|e| io_error(parent, &e))?;
            }
            self.check_parent(&target).map_err(Diagnostics::from)?;
            let from = self.staging.join(relative);
            std::fs::rename(&from, &target).map_err(|e| io_error(&target, &e))?;
        }
        Ok(())
    }
}

/// Whatever happens, the staging folder goes: after a commit it holds only empty folders, after
/// a refusal or an error it holds what is not to be written.
impl Drop for Staging {
    fn drop(&mut self) {
        if self.staging.exists() {
            let _ = std::fs::remove_dir_all(&self.staging);
        }
    }
}

enum Source<'a> {
    Text(&'a str),
    File(&'a Path),
}

fn same_file_content(a: &Path, b: &Path) -> bool {
    match (std::fs::metadata(a), std::fs::metadata(b)) {
        (Ok(ma), Ok(mb)) if ma.len() == mb.len() => {
            matches!((std::fs::read(a), std::fs::read(b)), (Ok(x), Ok(y)) if x == y)
        }
        _ => false,
    }
}

fn io_diagnostic(path: &Path, error: &std::io::Error) -> Diagnostic {
    Diagnostic::new(format!("{}: {error}", path.display()))
}

pub(super) fn io_error(path: &Path, error: &std::io::Error) -> Diagnostics {
    Diagnostics(vec![io_diagnostic(path, error)])
}
