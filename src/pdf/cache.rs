//! PDFs kept in `<site>/.dossier-cache/pdf/`, each named by the hash of what decides its bytes
//! (`<hash>.pdf`, with `<hash>.warnings` when making it warned). A hit is marked used (its
//! modification time set to now); entries unused for 30 days are removed after a build. Best
//! effort throughout: a cache that cannot be written only costs time.

use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

/// How long an unused PDF stays cached.
const KEEP: Duration = Duration::from_secs(30 * 24 * 60 * 60);

pub struct Cache {
    dir: PathBuf,
}

impl Cache {
    pub fn new(site_root: &Path) -> Cache {
        Cache {
            dir: site_root.join(".dossier-cache").join("pdf"),
        }
    }

    /// The cached PDF and its warnings.
    pub fn get(&self, key: &str) -> Option<(Vec<u8>, Vec<String>)> {
        let path = self.dir.join(format!("{key}.pdf"));
        let bytes = std::fs::read(&path).ok()?;
        // A PDF ends with `%%EOF`: a file cut short (a full disk) is made again.
        if !bytes.trim_ascii_end().ends_with(b"%%EOF") {
            return None;
        }
        if let Ok(file) = std::fs::File::options().append(true).open(&path) {
            let _ = file.set_modified(SystemTime::now());
        }
        let warnings = std::fs::read_to_string(self.dir.join(format!("{key}.warnings")))
            .map(|text| text.lines().map(str::to_owned).collect())
            .unwrap_or_default();
        Some((bytes, warnings))
    }

    pub fn put(&self, key: &str, bytes: &[u8], warnings: &[String]) {
        if std::fs::create_dir_all(&self.dir).is_err() {
            return;
        }
        let warnings_path = self.dir.join(format!("{key}.warnings"));
        if warnings.is_empty() {
            let _ = std::fs::remove_file(&warnings_path);
        } else {
            let lines: Vec<&str> = warnings
                .iter()
                .map(|w| w.lines().next().unwrap_or(""))
                .collect();
            write_atomic(&warnings_path, lines.join("\n").as_bytes());
        }
        // The PDF last: it is what makes the entry a hit.
        write_atomic(&self.dir.join(format!("{key}.pdf")), bytes);
    }

    /// Removes entries unused for `KEEP`.
    pub fn prune(&self) {
        let Ok(entries) = std::fs::read_dir(&self.dir) else {
            return;
        };
        let now = SystemTime::now();
        for entry in entries.flatten() {
            let old = entry
                .metadata()
                .and_then(|m| m.modified())
                .is_ok_and(|modified| now.duration_since(modified).is_ok_and(|age| age > KEEP));
            if old {
                let _ = std::fs::remove_file(entry.path());
            }
        }
    }
}

/// Writes `bytes` to a temporary file beside `path`, then renames it into place, so that a
/// killed build never leaves half a PDF under a valid name.
fn write_atomic(path: &Path, bytes: &[u8]) {
    let temporary = path.with_extension(format!(
        "tmp-{}-{:?}",
        std::process::id(),
        std::thread::current().id()
    ));
    if std::fs::write(&temporary, bytes).is_err() || std::fs::rename(&temporary, path).is_err() {
        let _ = std::fs::remove_file(&temporary);
    }
}
