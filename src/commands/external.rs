//! `dossier check --external`: fetches web links with `curl` (no HTTP client compiled in), each
//! with a timeout, several at a time. Links that worked are cached for a day in
//! `.dossier-cache/links.json`, so a second run checks only new links and the ones that failed.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;
use std::process::Command;

use serde::{Deserialize, Serialize};

/// How long a working link is trusted without fetching it again.
const CACHE_SECONDS: i64 = 24 * 60 * 60;
/// Links fetched at once.
const WORKERS: usize = 8;

#[derive(Default, Serialize, Deserialize)]
struct Cache {
    /// URL to the Unix time it last worked.
    ok: BTreeMap<String, i64>,
}

/// The result for each of `urls`: `Ok` when it answered with a success (after redirects), else why
/// not.
pub(super) fn check(
    root: &Path,
    urls: &[String],
    timeout: u64,
) -> HashMap<String, Result<(), String>> {
    let cache_path = root.join(".dossier-cache").join("links.json");
    let mut cache: Cache = std::fs::read(&cache_path)
        .ok()
        .and_then(|bytes| serde_json::from_slice(&bytes).ok())
        .unwrap_or_default();
    let now = jiff::Timestamp::now().as_second();
    let mut results: HashMap<String, Result<(), String>> = HashMap::new();
    let mut to_fetch: Vec<&String> = Vec::new();
    for url in urls {
        match cache.ok.get(url) {
            Some(&when) if now - when < CACHE_SECONDS => {
                results.insert(url.clone(), Ok(()));
            }
            _ => to_fetch.push(url),
        }
    }
    let fetched: Vec<(String, Result<(), String>)> = std::thread::scope(|scope| {
        let chunks: Vec<Vec<&String>> = (0..WORKERS)
            .map(|w| to_fetch.iter().skip(w).step_by(WORKERS).copied().collect())
            .collect();
        let handles: Vec<_> = chunks
            .into_iter()
            .map(|chunk| {
                scope.spawn(move || {
                    chunk
                        .into_iter()
                        .map(|url| (url.clone(), fetch(url, timeout)))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles
            .into_iter()
            // A worker's panic is a bug: pass it on rather than drop the links it was checking.
            .flat_map(|h| {
                h.join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
            })
            .collect()
    });
    for (url, result) in fetched {
        if result.is_ok() {
            cache.ok.insert(url.clone(), now);
        } else {
            cache.ok.remove(&url);
        }
        results.insert(url, result);
    }
    if let Ok(json) = serde_json::to_vec_pretty(&cache)
        && std::fs::create_dir_all(root.join(".dossier-cache")).is_ok()
    {
        let _ = std::fs::write(&cache_path, json);
    }
    results
}

/// Fetches `url` (the first byte only, following redirects) and judges its final status.
fn fetch(url: &str, timeout: u64) -> Result<(), String> {
    let output = Command::new("curl")
        .args([
            "--silent",
            "--show-error",
            "--location",
            "--max-redirs",
            "10",
        ])
        .args(["--range", "0-0", "--output", "/dev/null"])
        .args(["--write-out", "%{http_code}"])
        .args(["--max-time", &timeout.max(1).to_string()])
        .args([
            "--user-agent",
            concat!("dossier-check/", env!("CARGO_PKG_VERSION")),
        ])
        .arg("--")
        .arg(url)
        .output()
        .map_err(|err| format!("cannot run curl to fetch it ({err}); install curl"))?;
    let code: u16 = String::from_utf8_lossy(&output.stdout)
        .trim()
        .parse()
        .unwrap_or(0);
    match code {
        200..=399 => Ok(()),
        0 => {
            let error = String::from_utf8_lossy(&output.stderr);
            let reason = error
                .trim()
                .trim_start_matches("curl: ")
                .lines()
                .next()
                .unwrap_or("no answer")
                .to_owned();
            Err(if output.status.code() == Some(28) {
                format!("no answer within {timeout} s")
            } else {
                reason
            })
        }
        code => Err(format!("the server answered HTTP {code}")),
    }
}
