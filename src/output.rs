//! Stage 4, write: the new site goes into a staging folder beside the output folder and replaces
//! it only when every page has been written. A failed or killed build leaves the previous output
//! as it was. The swap is two renames; the old output, renamed aside, is deleted by a detached
//! process, so deleting thousands of files never sits on the build's critical path.

use std::fs;
use std::io::Write;
use std::path::{Component, Path, PathBuf};

use crate::diagnostics::Diagnostic;
use crate::render::theme::StaticFile;

/// A folder being filled with the new site.
pub struct Staging {
    dir: PathBuf,
    target: PathBuf,
    committed: bool,
}

impl Staging {
    /// Creates `.<name>.staging-<pid>` beside `target`, after removing folders that killed builds
    /// left behind.
    pub fn create(target: &Path) -> Result<Staging, Diagnostic> {
        let (parent, name) = split_target(target)?;
        fs::create_dir_all(&parent).map_err(|err| io_error(&parent, "create the folder", err))?;
        for leftover in leftovers(&parent, &name) {
            remove_in_background(&leftover);
        }
        let dir = parent.join(format!(".{name}.staging-{}", std::process::id()));
        if dir.exists() {
            fs::remove_dir_all(&dir)
                .map_err(|err| io_error(&dir, "clear the staging folder", err))?;
        }
        fs::create_dir(&dir).map_err(|err| io_error(&dir, "create the staging folder", err))?;
        Ok(Staging {
            dir,
            target: target.to_owned(),
            committed: false,
        })
    }

    /// Writes a file at `rel` (a `/`-separated path made by dossier, never from user input alone).
    pub fn write(&self, rel: &str, contents: &[u8]) -> Result<(), Diagnostic> {
        let path = self.path_of(rel)?;
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).map_err(|err| io_error(parent, "create the folder", err))?;
        }
        let mut file = fs::File::create(&path).map_err(|err| io_error(&path, "create", err))?;
        file.write_all(contents)
            .map_err(|err| io_error(&path, "write", err))
    }

    pub fn copy_static(&self, rel: &str, file: &StaticFile) -> Result<(), Diagnostic> {
        match file {
            StaticFile::Embedded(bytes) => self.write(rel, bytes),
            StaticFile::Disk(source) => {
                let path = self.path_of(rel)?;
                if let Some(parent) = path.parent() {
                    fs::create_dir_all(parent)
                        .map_err(|err| io_error(parent, "create the folder", err))?;
                }
                fs::copy(source, &path)
                    .map(|_| ())
                    .map_err(|err| io_error(source, "copy", err))
            }
        }
    }

    /// Checks that `rel` stays inside the staging folder.
    fn path_of(&self, rel: &str) -> Result<PathBuf, Diagnostic> {
        let rel_path = Path::new(rel);
        let inside = !rel.is_empty()
            && rel_path
                .components()
                .all(|c| matches!(c, Component::Normal(_)));
        if !inside {
            return Err(Diagnostic::new(format!(
                "refusing to write `{rel}` outside the output folder"
            )));
        }
        Ok(self.dir.join(rel_path))
    }

    /// Puts the new site in place of the old one.
    pub fn commit(mut self) -> Result<(), Diagnostic> {
        let (parent, name) = split_target(&self.target)?;
        let old = parent.join(format!(".{name}.old-{}", std::process::id()));
        let had_output = self.target.exists();
        if had_output {
            fs::rename(&self.target, &old)
                .map_err(|err| io_error(&self.target, "move the previous output aside", err))?;
        }
        if let Err(err) = fs::rename(&self.dir, &self.target) {
            if had_output {
                // Put the previous output back so the user keeps a working site.
                let _ = fs::rename(&old, &self.target);
            }
            return Err(io_error(&self.target, "put the new output in place", err));
        }
        self.committed = true;
        if had_output {
            remove_in_background(&old);
        }
        Ok(())
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            let _ = fs::remove_dir_all(&self.dir);
        }
    }
}

fn split_target(target: &Path) -> Result<(PathBuf, String), Diagnostic> {
    let absolute = std::path::absolute(target).map_err(|err| io_error(target, "resolve", err))?;
    let name = absolute
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .ok_or_else(|| {
            Diagnostic::new(format!(
                "the output folder `{}` has no name",
                target.display()
            ))
        })?;
    let parent = absolute
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("/"));
    Ok((parent, name))
}

/// Staging and old-output folders of builds that were killed (their process no longer exists).
fn leftovers(parent: &Path, name: &str) -> Vec<PathBuf> {
    let Ok(entries) = fs::read_dir(parent) else {
        return Vec::new();
    };
    entries
        .flatten()
        .filter(|entry| {
            let file_name = entry.file_name().to_string_lossy().into_owned();
            let pid = [".staging-", ".old-"].iter().find_map(|kind| {
                file_name
                    .strip_prefix(&format!(".{name}{kind}"))
                    .and_then(|pid| pid.parse::<u32>().ok())
            });
            pid.is_some_and(|pid| {
                pid == std::process::id() || !Path::new(&format!("/proc/{pid}")).exists()
            })
        })
        .map(|entry| entry.path())
        .collect()
}

/// Deleting thousands of files takes seconds, so a previous output is deleted by a detached
/// `dossier remove-old-output` process and the build returns as soon as the new site is in place.
/// If that cannot start, the folder is deleted here.
fn remove_in_background(dir: &Path) {
    let spawned = std::env::current_exe().and_then(|exe| {
        std::process::Command::new(exe)
            .arg("remove-old-output")
            .arg(dir)
            .stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
    });
    if spawned.is_err() {
        let _ = fs::remove_dir_all(dir);
    }
}

/// Deletes a folder a build moved aside; only dossier's own `.<name>.old-<pid>` and
/// `.<name>.staging-<pid>` folders, whatever path it is given.
pub fn remove_old_output(dir: &Path) {
    let name = dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let ours = name.starts_with('.')
        && [".old-", ".staging-"].iter().any(|kind| {
            name.rsplit_once(kind)
                .is_some_and(|(_, pid)| !pid.is_empty() && pid.bytes().all(|b| b.is_ascii_digit()))
        });
    if ours {
        let _ = fs::remove_dir_all(dir);
    }
}

fn io_error(path: &Path, action: &str, err: std::io::Error) -> Diagnostic {
    Diagnostic::new(format!("cannot {action} {}: {err}", path.display()))
}
