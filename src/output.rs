//! Stage 4, write: the new site goes into a staging folder beside the output folder and replaces
//! it only when every page has been written. A failed or killed build leaves the previous output
//! as it was. On Linux the swap is one atomic exchange of the two folders (`renameat2` with
//! `RENAME_EXCHANGE`), so the output path always holds one whole site, old or new; elsewhere (or
//! on a file system without it) it is two renames, and a build killed between them leaves no
//! output but the old one set aside, which the next build puts back (`recover`) before anything
//! else. The old output is deleted by a detached process, so deleting thousands of files never
//! sits on the build's critical path.
//!
//! Nothing is fsynced. A killed process (even `kill -9`) loses nothing that it wrote: the data is
//! in the kernel's page cache, and the renames are ordered after the writes. Only a power loss or
//! an OS crash right after a build can lose pages that had not reached the disk, and leave empty
//! or truncated files in the new output. Syncing every file before the swap would prevent that at
//! a price out of proportion for derived files (measured here: 2,000 pages took 9 s with an fsync
//! each, 0.1 s without); the output is rebuilt from the sources in seconds, so after a power
//! loss, build again.
//!
//! A file whose bytes equal the previous output's is not written again but hard-linked to it:
//! reading and comparing a page is several times cheaper than creating a file (on ext4, inode
//! allocation after a large deletion dominates a build), a rebuild of an unchanged site allocates
//! almost nothing, and unchanged files keep their modification time, so `rsync`-style deploys
//! skip them. The previous output is only read, so it stays intact whatever happens to the build.

use std::collections::HashSet;
use std::fs;
use std::io::Write;
use std::path::{Component, Path, PathBuf};
use std::sync::Mutex;

use crate::diagnostics::Diagnostic;
use crate::freshness::FileKey;
use crate::render::theme::StaticFile;

/// A folder being filled with the new site.
pub struct Staging {
    dir: PathBuf,
    target: PathBuf,
    /// The previous output, whose unchanged files are linked rather than written.
    previous: Option<PathBuf>,
    committed: bool,
    /// Every file written, for the next build's check that the output is untouched.
    written: Mutex<Vec<(String, FileKey)>>,
    /// Folders made so far. Asking the kernel again is not free: a `mkdir` of an existing folder
    /// locks its parent before it fails, and 10,000 search documents share one folder.
    folders: Mutex<HashSet<PathBuf>>,
}

impl Staging {
    /// Creates `.<name>.staging-<pid>` beside `target`, after removing folders that killed builds
    /// left behind.
    pub fn create(target: &Path) -> Result<Staging, Diagnostic> {
        let (parent, name) = split_target(target)?;
        fs::create_dir_all(&parent).map_err(|err| io_error(&parent, "create the folder", err))?;
        recover(target)?;
        for leftover in leftovers(&parent, &name) {
            remove_in_background(&leftover);
        }
        let dir = parent.join(format!(".{name}.staging-{}", std::process::id()));
        if dir.exists() {
            fs::remove_dir_all(&dir)
                .map_err(|err| io_error(&dir, "clear the staging folder", err))?;
        }
        fs::create_dir(&dir).map_err(|err| io_error(&dir, "create the staging folder", err))?;
        let previous = fs::symlink_metadata(target)
            .is_ok_and(|m| m.is_dir())
            .then(|| target.to_owned());
        Ok(Staging {
            dir,
            target: target.to_owned(),
            previous,
            committed: false,
            written: Mutex::new(Vec::new()),
            folders: Mutex::new(HashSet::new()),
        })
    }

    /// Writes a file at `rel` (a `/`-separated path made by dossier, never from user input alone).
    pub fn write(&self, rel: &str, contents: &[u8]) -> Result<(), Diagnostic> {
        let path = self.path_of(rel)?;
        self.make_parent(&path)?;
        if let Some(previous) = &self.previous
            && reuse(previous, rel, contents, &path)
        {
            self.note(rel, fs::metadata(&path));
            return Ok(());
        }
        let mut file = fs::File::create(&path).map_err(|err| io_error(&path, "create", err))?;
        file.write_all(contents)
            .map_err(|err| io_error(&path, "write", err))?;
        self.note(rel, file.metadata());
        Ok(())
    }

    /// Makes the folder `path` goes in, unless this build made it already.
    fn make_parent(&self, path: &Path) -> Result<(), Diagnostic> {
        let Some(parent) = path.parent() else {
            return Ok(());
        };
        if self.folders.lock().is_ok_and(|made| made.contains(parent)) {
            return Ok(());
        }
        fs::create_dir_all(parent).map_err(|err| io_error(parent, "create the folder", err))?;
        if let Ok(mut made) = self.folders.lock() {
            made.insert(parent.to_owned());
        }
        Ok(())
    }

    fn note(&self, rel: &str, metadata: std::io::Result<fs::Metadata>) {
        if let (Ok(metadata), Ok(mut written)) = (metadata, self.written.lock()) {
            written.push((rel.to_owned(), FileKey::of(&metadata)));
        }
    }

    /// The fingerprint of the files written (see `freshness`), once they all are.
    pub fn fingerprint(&self) -> u64 {
        let written = self
            .written
            .lock()
            .map(|mut w| std::mem::take(&mut *w))
            .unwrap_or_default();
        crate::freshness::output_fingerprint_of(written)
    }

    pub fn copy_static(&self, rel: &str, file: &StaticFile) -> Result<(), Diagnostic> {
        match file {
            StaticFile::Embedded(bytes) => self.write(rel, bytes),
            StaticFile::Disk(source) => {
                let path = self.path_of(rel)?;
                self.make_parent(&path)?;
                fs::copy(source, &path).map_err(|err| io_error(source, "copy", err))?;
                self.note(rel, fs::metadata(&path));
                Ok(())
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
        match exchange(&self.dir, &self.target) {
            Ok(true) => {
                // The staging folder now holds the previous output.
                self.committed = true;
                remove_in_background(&self.dir);
                return Ok(());
            }
            Ok(false) => {}
            Err(err) => return Err(io_error(&self.target, "put the new output in place", err)),
        }
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

/// Refuses an output folder that is not dossier's to replace: a build swaps the whole folder
/// for the new site and deletes what was there, so `--output .`, `--output briefs` or a folder
/// holding other work must never be taken.
pub fn check_target(target: &Path, root: &Path) -> Result<(), Diagnostic> {
    let refuse = |why: String| {
        Err(Diagnostic::new(format!(
            "refusing to write the site to {}: {why}",
            target.display()
        ))
        .with_hint(
            "choose an output folder that holds nothing but a previous build, e.g. `public` (the default); every build replaces it whole",
        ))
    };
    let site = fs::canonicalize(root).unwrap_or_else(|_| root.to_owned());
    let resolved = resolve_existing(target);
    if site.starts_with(&resolved) {
        return refuse("it holds the site's own folder, which the build would replace".to_owned());
    }
    for source in ["briefs", "static", "templates", "themes"] {
        if resolved.starts_with(site.join(source)) {
            return refuse(format!("it is inside the site's {source}/ folder"));
        }
    }
    let Ok(meta) = fs::symlink_metadata(target) else {
        return Ok(());
    };
    // A link is replaced by the new folder; what it points to is left alone.
    if meta.file_type().is_symlink() {
        return Ok(());
    }
    if !meta.is_dir() {
        return refuse("it is a file, not a folder".to_owned());
    }
    let target = resolved;
    for marker in ["site.toml", ".git"] {
        if target.join(marker).exists() {
            return refuse(format!(
                "it holds a {marker}, so it is not a previous output"
            ));
        }
    }
    // Hidden files (`.gitkeep`, `.DS_Store`) do not count as work.
    let empty = fs::read_dir(&target).is_ok_and(|entries| {
        entries
            .flatten()
            .all(|e| e.file_name().to_string_lossy().starts_with('.'))
    });
    let built = ["index.html", "404.html"]
        .iter()
        .any(|page| target.join(page).is_file());
    if !empty && !built {
        return refuse(
            "it is not empty and holds no index.html or 404.html, so it is not a previous output"
                .to_owned(),
        );
    }
    Ok(())
}

/// `path` resolved as far as it exists (links followed, `..` gone), and past that as written,
/// with `.` and `..` applied: where a folder that may not exist yet would be.
fn resolve_existing(path: &Path) -> PathBuf {
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_owned());
    let mut resolved = PathBuf::new();
    let mut exists = true;
    for component in absolute.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                resolved.pop();
            }
            other => {
                resolved.push(other);
                if exists {
                    match fs::canonicalize(&resolved) {
                        Ok(real) => resolved = real,
                        // What does not exist is no link: the rest is read as written.
                        Err(_) => exists = false,
                    }
                }
            }
        }
    }
    resolved
}

/// Swaps `staging` and `target` in one step, where the system can: `Ok(false)` when it cannot
/// (another system, a file system without the call, no `target` yet) and renames must do.
#[cfg(all(target_os = "linux", any(target_env = "gnu", target_env = "musl")))]
fn exchange(staging: &Path, target: &Path) -> std::io::Result<bool> {
    use std::ffi::CString;
    use std::os::unix::ffi::OsStrExt;
    if fs::symlink_metadata(target).is_err() {
        return Ok(false);
    }
    let c_path = |path: &Path| {
        CString::new(path.as_os_str().as_bytes())
            .map_err(|err| std::io::Error::new(std::io::ErrorKind::InvalidInput, err))
    };
    let (from, to) = (c_path(staging)?, c_path(target)?);
    // SAFETY: both are valid NUL-terminated paths that live across the call; renameat2 reads
    // them and keeps no pointer.
    let done = unsafe {
        libc::renameat2(
            libc::AT_FDCWD,
            from.as_ptr(),
            libc::AT_FDCWD,
            to.as_ptr(),
            libc::RENAME_EXCHANGE,
        )
    };
    if done == 0 {
        return Ok(true);
    }
    let err = std::io::Error::last_os_error();
    match err.raw_os_error() {
        Some(libc::EINVAL | libc::ENOSYS | libc::EOPNOTSUPP) => Ok(false),
        _ => Err(err),
    }
}

#[cfg(not(all(target_os = "linux", any(target_env = "gnu", target_env = "musl"))))]
fn exchange(_staging: &Path, _target: &Path) -> std::io::Result<bool> {
    Ok(false)
}

/// Puts back the previous output when a build was killed between the two renames of a swap:
/// the output folder is missing and a dead build's `.<name>.old-<pid>` holds the old site. Run
/// before every build, so that even a build that fails leaves the previous output in place.
pub fn recover(target: &Path) -> Result<(), Diagnostic> {
    if fs::symlink_metadata(target).is_ok() {
        return Ok(());
    }
    let (parent, name) = split_target(target)?;
    let newest = leftovers(&parent, &name)
        .into_iter()
        .filter(|path| {
            path.file_name()
                .is_some_and(|n| n.to_string_lossy().contains(".old-"))
        })
        .max_by_key(|path| {
            fs::metadata(path)
                .and_then(|m| m.modified())
                .unwrap_or(std::time::SystemTime::UNIX_EPOCH)
        });
    match newest {
        Some(old) => fs::rename(&old, target).map_err(|err| {
            io_error(
                &old,
                "put back the previous output (a killed build had set it aside)",
                err,
            )
        }),
        None => Ok(()),
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

/// Links `path` to the previous output's file at `rel` when that is a regular file (never a
/// symlink, nor reached through one) holding exactly `contents`; false when it is not, or when
/// the file system cannot link (then the caller writes).
fn reuse(previous: &Path, rel: &str, contents: &[u8], path: &Path) -> bool {
    let old = previous.join(rel);
    let same_size =
        fs::symlink_metadata(&old).is_ok_and(|m| m.is_file() && m.len() == contents.len() as u64);
    same_size
        && !through_a_link(previous, rel)
        && fs::read(&old).is_ok_and(|bytes| bytes == contents)
        && fs::hard_link(&old, path).is_ok()
}

/// Whether a folder on the way from `previous` to the file `rel` is not a plain folder (a
/// symbolic link would make the file one outside the previous output).
fn through_a_link(previous: &Path, rel: &str) -> bool {
    let mut folder = previous.to_path_buf();
    let mut parts = rel.split('/').peekable();
    while let Some(part) = parts.next() {
        if parts.peek().is_none() {
            break;
        }
        folder.push(part);
        if !fs::symlink_metadata(&folder).is_ok_and(|m| m.is_dir()) {
            return true;
        }
    }
    false
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
            let pid = [".staging-", ".old-", ".deleting-"]
                .iter()
                .find_map(|kind| {
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

/// Deletes a folder a build moved aside; only dossier's own `.<name>.old-<pid>`,
/// `.<name>.staging-<pid>` and `.<name>.deleting-<pid>` folders, whatever path it is given.
///
/// The folder is first renamed `.<name>.deleting-<this process>`: a `.old-` folder is then always
/// a whole site, which `recover` may put back, never one half deleted.
pub fn remove_old_output(dir: &Path) {
    let name = dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let ours = [".old-", ".staging-", ".deleting-"]
        .iter()
        .find_map(|kind| {
            name.rsplit_once(kind).filter(|(prefix, pid)| {
                prefix.starts_with('.')
                    && !pid.is_empty()
                    && pid.bytes().all(|b| b.is_ascii_digit())
            })
        })
        .map(|(prefix, _)| prefix.to_owned());
    let Some(prefix) = ours else {
        return;
    };
    let trash = dir.with_file_name(format!("{prefix}.deleting-{}", std::process::id()));
    if fs::rename(dir, &trash).is_ok() {
        let _ = fs::remove_dir_all(&trash);
    } else {
        let _ = fs::remove_dir_all(dir);
    }
}

fn io_error(path: &Path, action: &str, err: std::io::Error) -> Diagnostic {
    Diagnostic::new(format!("cannot {action} {}: {err}", path.display()))
}
