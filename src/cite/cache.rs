//! A content-addressed cache of formatted citations, kept between builds in
//! `<site>/.dossier-cache/`. hayagriva needs about a millisecond per formatted item, which is most
//! of a large site's build; the cache makes a rebuild pay only for what changed.
//!
//! Each entry's key is a hash of everything its output depends on: dossier's and hayagriva's
//! versions, the style (its name or its file's contents), the locale, the items' CSL-JSON and the
//! forms asked for. A changed input makes a new key, so the cache cannot serve stale output; only
//! the entries a build used are written back, so it does not grow without bound.

use std::collections::HashMap;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::value::RawValue;

const FILE: &str = "citations.json";

/// Bumped whenever dossier formats citations differently, so that older entries are not used.
const FORMAT_VERSION: u32 = 3;

pub(super) struct FormatCache {
    file: Option<PathBuf>,
    /// What every key also depends on: versions, style and locale.
    fingerprint: u64,
    /// Entries are kept as JSON text: far smaller than parsed values for a large site.
    previous: HashMap<String, Box<RawValue>>,
    used: Mutex<HashMap<String, Box<RawValue>>>,
}

#[derive(serde::Deserialize, Serialize)]
struct Stored {
    fingerprint: String,
    entries: HashMap<String, Box<RawValue>>,
}

impl FormatCache {
    /// Opens the cache of the site at `root` (`None`: keep nothing between runs).
    pub(super) fn open(root: Option<&Path>, fingerprint_parts: &[&str]) -> FormatCache {
        let mut hasher = DefaultHasher::new();
        (
            env!("CARGO_PKG_VERSION"),
            FORMAT_VERSION,
            // The vendored hayagriva with its patches (vendor/hayagriva/PATCHES.md): bump the
            // number when a patch changes output.
            "hayagriva-0.10.1+patches-8",
            fingerprint_parts,
        )
            .hash(&mut hasher);
        let fingerprint = hasher.finish();
        let file = root.map(|root| root.join(".dossier-cache").join(FILE));
        let previous = file
            .as_ref()
            .and_then(|file| std::fs::read(file).ok())
            .and_then(|bytes| serde_json::from_slice::<Stored>(&bytes).ok())
            .filter(|stored| stored.fingerprint == format!("{fingerprint:016x}"))
            .map(|stored| stored.entries)
            .unwrap_or_default();
        FormatCache {
            file,
            fingerprint,
            previous,
            used: Mutex::new(HashMap::new()),
        }
    }

    /// The cached value for `input`, or `make()`'s, remembered for the next build.
    pub(super) fn get_or_make<K: Hash + ?Sized, T: Serialize + DeserializeOwned>(
        &self,
        input: &K,
        make: impl FnOnce() -> T,
    ) -> T {
        let mut hasher = DefaultHasher::new();
        (self.fingerprint, input).hash(&mut hasher);
        let key = format!("{:016x}", hasher.finish());
        if let Some(raw) = self.previous.get(&key)
            && let Ok(found) = serde_json::from_str::<T>(raw.get())
        {
            self.remember(key, raw.clone());
            return found;
        }
        // Made earlier in this run: a preview formats a brief's clusters before the site's.
        let made = self
            .used
            .lock()
            .ok()
            .and_then(|used| used.get(&key).cloned());
        if let Some(raw) = made
            && let Ok(found) = serde_json::from_str::<T>(raw.get())
        {
            return found;
        }
        let made = make();
        if let Ok(raw) = serde_json::value::to_raw_value(&made) {
            self.remember(key, raw);
        }
        made
    }

    fn remember(&self, key: String, value: Box<RawValue>) {
        if let Ok(mut used) = self.used.lock() {
            used.insert(key, value);
        }
    }

    /// Writes the entries this build used (atomically: a temporary file, then a rename). A cache
    /// that cannot be written is only a slower next build, so failures are ignored.
    pub(super) fn save(&self) {
        let Some(file) = &self.file else { return };
        let Ok(used) = self.used.lock() else { return };
        let stored = Stored {
            fingerprint: format!("{:016x}", self.fingerprint),
            entries: used.iter().map(|(k, v)| (k.clone(), v.clone())).collect(),
        };
        let Some(dir) = file.parent() else { return };
        if std::fs::create_dir_all(dir).is_err() {
            return;
        }
        let temporary = dir.join(format!(".{FILE}.{}", std::process::id()));
        let written = serde_json::to_vec(&stored)
            .ok()
            .is_some_and(|bytes| std::fs::write(&temporary, bytes).is_ok());
        if !written || std::fs::rename(&temporary, file).is_err() {
            let _ = std::fs::remove_file(&temporary);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn remembers_between_runs_and_forgets_on_a_new_fingerprint() {
        let dir = tempfile::tempdir().unwrap();
        let cache = FormatCache::open(Some(dir.path()), &["chicago-notes"]);
        assert_eq!(cache.get_or_make("a", || "made".to_owned()), "made");
        cache.save();
        let again = FormatCache::open(Some(dir.path()), &["chicago-notes"]);
        assert_eq!(again.get_or_make("a", || "remade".to_owned()), "made");
        assert_eq!(again.get_or_make("b", || "new".to_owned()), "new");
        let other_style = FormatCache::open(Some(dir.path()), &["apa"]);
        assert_eq!(
            other_style.get_or_make("a", || "remade".to_owned()),
            "remade"
        );
    }

    #[test]
    fn what_a_run_made_is_not_made_again() {
        let cache = FormatCache::open(None, &["apa"]);
        assert_eq!(cache.get_or_make("a", || "made".to_owned()), "made");
        assert_eq!(cache.get_or_make("a", || "remade".to_owned()), "made");
    }
}
