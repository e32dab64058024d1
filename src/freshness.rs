//! Before a build: is the last build's output still current? A `dossier build` with nothing
//! changed then leaves the output as it is, instead of loading, rendering and writing the site
//! again to the same bytes.
//!
//! The last successful build records, in `<site>/.dossier-cache/`, a fingerprint of:
//! - the site's files: those beside site.toml and every file in `briefs/`, `templates/`,
//!   `static/` and `themes/` but hidden ones (path, size, modification and change times, inode:
//!   any write changes the change time, and a file put in place by a rename is a new inode),
//!   and the other files the build read (bibliographies and a CSL style named by their path);
//! - every file of the output folder by path, size, modification time and inode (an output file
//!   edited or deleted by hand is rebuilt);
//! - the build's options and the dossier binary itself.
//!
//! It also records when the first brief dated in the future is due (that brief then appears),
//! and whether a template reads the clock or the environment (`now()`, `get_env()`): such a site
//! is always built in full. A file changed in the two seconds before a build started is too close
//! to tell apart on a file system with coarse times: that build records nothing.

use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use serde::{Deserialize, Serialize};

/// Changes closer than this to a build's start are not trusted to show in file times.
const RACY_WINDOW: Duration = Duration::from_secs(2);

/// What decides a build's output, as found on disk before the build.
pub struct Snapshot {
    record_path: PathBuf,
    /// The site's own files and the options, hashed; then the files read elsewhere.
    site: DefaultHasher,
    read_elsewhere: Vec<PathBuf>,
    inputs: u64,
    /// Some file changed too close to the snapshot for its times to be trusted.
    racy: bool,
    taken: SystemTime,
}

/// What the last successful build recorded.
#[derive(Serialize, Deserialize)]
pub struct Record {
    inputs: u64,
    output: u64,
    /// Files the build read besides the site's own (bibliographies, a CSL style), fingerprinted
    /// with them next time.
    read_elsewhere: Vec<PathBuf>,
    /// Seconds since the epoch when the first brief dated in the future is due.
    next_due: Option<i64>,
    /// The build's figures, for the report of a build that had nothing to do.
    pub counts: Counts,
}

/// What a build made, as its report gives it.
#[derive(Debug, Clone, Copy, Serialize, Deserialize)]
pub struct Counts {
    pub briefs: usize,
    pub authors: usize,
    pub categories: usize,
    pub sources: usize,
    pub pages: usize,
}

/// The parts of a build that decide its output besides the files.
#[derive(Hash)]
pub struct Options<'a> {
    pub base_url: Option<&'a str>,
    pub drafts: bool,
    pub future: bool,
}

impl Snapshot {
    /// Fingerprints the site folder (and the external files the last build read) for a build of
    /// `root` into `output`.
    pub fn take(root: &Path, output: &Path, options: &Options) -> Snapshot {
        let taken = SystemTime::now();
        let root = &root.canonicalize().unwrap_or_else(|_| absolute(root));
        let output = output.canonicalize().unwrap_or_else(|_| absolute(output));
        let mut hasher = DefaultHasher::new();
        env!("CARGO_PKG_VERSION").hash(&mut hasher);
        // A rebuilt binary renders differently: its own size and times are part of the input.
        if let Some(exe) = std::env::current_exe().ok().and_then(|p| p.metadata().ok()) {
            metadata_key(&exe).hash(&mut hasher);
        }
        options.hash(&mut hasher);
        output.hash(&mut hasher);
        let record_path = record_path(root, &output);
        let previous = read_record(&record_path);
        let mut latest = SystemTime::UNIX_EPOCH;
        let mut names = Vec::new();
        for entry in std::fs::read_dir(root).into_iter().flatten().flatten() {
            let name = entry.file_name();
            let name = name.to_string_lossy();
            let folder = entry.file_type().is_ok_and(|t| t.is_dir());
            if name.starts_with('.') || (folder && !crate::load::SITE_FOLDERS.contains(&&*name)) {
                continue;
            }
            names.push(entry.path());
        }
        names.sort();
        for path in names {
            hash_tree(root, &path, Some(&output), &mut hasher, &mut latest);
        }
        let site = hasher.clone();
        let read_elsewhere = previous.map(|r| r.read_elsewhere).unwrap_or_default();
        hash_files(&read_elsewhere, &mut hasher, &mut latest);
        Snapshot {
            record_path,
            site,
            read_elsewhere,
            inputs: hasher.finish(),
            racy: latest + RACY_WINDOW > taken,
            taken,
        }
    }

    /// The last build's record, if that build's output is still current: same inputs, output
    /// untouched, no future brief fallen due, no template reading the clock.
    pub fn current(&self, output: &Path) -> Option<Record> {
        let record = read_record(&self.record_path)?;
        let now = self
            .taken
            .duration_since(SystemTime::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs() as i64);
        let fresh = !self.racy
            && record.inputs == self.inputs
            && record.next_due.is_none_or(|due| now < due)
            && output_fingerprint(output) == Some(record.output);
        fresh.then_some(record)
    }

    /// Records a successful build whose output files are `output` (their fingerprint, from
    /// `output_fingerprint_of` as they were written). Best effort: without a record, the next
    /// build is a full one.
    pub fn record(self, output: u64, mut record: Record) {
        let _ = std::fs::remove_file(&self.record_path);
        if self.racy {
            return;
        }
        record.inputs = self.inputs;
        if record.read_elsewhere != self.read_elsewhere {
            // This build read other files than the last one: fingerprint them now. Unchanged
            // since before the build started, they are as the build read them.
            let (mut hasher, mut latest) = (self.site, SystemTime::UNIX_EPOCH);
            hash_files(&record.read_elsewhere, &mut hasher, &mut latest);
            if latest + RACY_WINDOW > self.taken {
                return;
            }
            record.inputs = hasher.finish();
        }
        record.output = output;
        let Some(dir) = self.record_path.parent() else {
            return;
        };
        let temporary = dir.join(format!(".last-build-{}.tmp", std::process::id()));
        let written = std::fs::create_dir_all(dir).is_ok()
            && serde_json::to_vec(&record)
                .is_ok_and(|bytes| std::fs::write(&temporary, bytes).is_ok());
        if !written || std::fs::rename(&temporary, &self.record_path).is_err() {
            let _ = std::fs::remove_file(&temporary);
        }
    }
}

impl Record {
    pub fn new(read_elsewhere: Vec<PathBuf>, next_due: Option<i64>, counts: Counts) -> Record {
        Record {
            inputs: 0,
            output: 0,
            read_elsewhere,
            next_due,
            counts,
        }
    }
}

/// One record per output folder, so that builds into two folders do not undo each other.
fn record_path(root: &Path, output: &Path) -> PathBuf {
    let mut hasher = DefaultHasher::new();
    output.hash(&mut hasher);
    root.join(".dossier-cache")
        .join(format!("last-build-{:016x}.json", hasher.finish()))
}

fn read_record(path: &Path) -> Option<Record> {
    serde_json::from_slice(&std::fs::read(path).ok()?).ok()
}

/// An output file as the fingerprint sees it: size, modification time and inode. Not the change
/// time: the files a build keeps from the last output (hard links) change theirs when the last
/// output is deleted, in the background, after the build.
#[derive(Hash)]
pub struct FileKey(u64, Option<SystemTime>, u64);

impl FileKey {
    pub fn of(metadata: &std::fs::Metadata) -> FileKey {
        let (size, modified, _, inode) = metadata_key(metadata);
        FileKey(size, modified, inode)
    }
}

/// The fingerprint of an output folder's files, given as (`/`-separated path, key).
pub fn output_fingerprint_of(mut files: Vec<(String, FileKey)>) -> u64 {
    files.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    let mut hasher = DefaultHasher::new();
    files.hash(&mut hasher);
    hasher.finish()
}

/// The fingerprint of the files in `output` now: every file, hidden or not (a file added by
/// hand counts too).
fn output_fingerprint(output: &Path) -> Option<u64> {
    std::fs::symlink_metadata(output)
        .ok()?
        .is_dir()
        .then_some(())?;
    let mut files = Vec::new();
    for entry in walkdir::WalkDir::new(output).min_depth(1) {
        let entry = entry.ok()?;
        if entry.file_type().is_dir() {
            continue;
        }
        let rel = entry.path().strip_prefix(output).ok()?;
        let rel: Vec<_> = rel
            .components()
            .map(|c| c.as_os_str().to_string_lossy())
            .collect();
        files.push((rel.join("/"), FileKey::of(&entry.metadata().ok()?)));
    }
    Some(output_fingerprint_of(files))
}

/// Hashes the path (relative to `root`) and metadata of `start` and every entry under it, in name
/// order, skipping hidden entries and `skip` (all canonical).
fn hash_tree(
    root: &Path,
    start: &Path,
    skip: Option<&Path>,
    hasher: &mut DefaultHasher,
    latest: &mut SystemTime,
) {
    let walk = walkdir::WalkDir::new(start)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|entry| {
            let hidden = entry.depth() > 0 && entry.file_name().to_string_lossy().starts_with('.');
            !hidden && skip.is_none_or(|skip| entry.path() != skip)
        });
    for entry in walk {
        match entry {
            Ok(entry) => {
                entry
                    .path()
                    .strip_prefix(root)
                    .unwrap_or(entry.path())
                    .hash(hasher);
                // A folder counts by its name and its entries: its own times change whenever
                // something beside an input does (the output swapped in, the cache written).
                if entry.file_type().is_dir() {
                    continue;
                }
                match entry.metadata() {
                    Ok(metadata) => note(&metadata, hasher, latest),
                    Err(_) => "unreadable".hash(hasher),
                }
                if entry.path_is_symlink() {
                    std::fs::read_link(entry.path()).ok().hash(hasher);
                }
            }
            // An unreadable folder changes nothing here, but it will fail the build: never
            // call such a site current.
            Err(_) => SystemTime::now().hash(hasher),
        }
    }
}

fn hash_files(paths: &[PathBuf], hasher: &mut DefaultHasher, latest: &mut SystemTime) {
    for path in paths {
        path.hash(hasher);
        match std::fs::metadata(path) {
            Ok(metadata) => note(&metadata, hasher, latest),
            Err(_) => "missing".hash(hasher),
        }
    }
}

fn note(metadata: &std::fs::Metadata, hasher: &mut DefaultHasher, latest: &mut SystemTime) {
    let key = metadata_key(metadata);
    key.hash(hasher);
    for time in [key.1, key.2].into_iter().flatten() {
        *latest = (*latest).max(time);
    }
}

/// Size, modification time, change time (where the platform has one) and inode.
fn metadata_key(
    metadata: &std::fs::Metadata,
) -> (u64, Option<SystemTime>, Option<SystemTime>, u64) {
    #[cfg(unix)]
    let (changed, inode) = {
        use std::os::unix::fs::MetadataExt;
        let changed = u64::try_from(metadata.ctime()).ok().map(|secs| {
            SystemTime::UNIX_EPOCH
                + Duration::new(secs, u32::try_from(metadata.ctime_nsec()).unwrap_or(0))
        });
        (changed, metadata.ino())
    };
    #[cfg(not(unix))]
    let (changed, inode) = (None, 0);
    (metadata.len(), metadata.modified().ok(), changed, inode)
}

fn absolute(path: &Path) -> PathBuf {
    std::path::absolute(path).unwrap_or_else(|_| path.to_owned())
}
