//! Crash safety: a build killed with SIGKILL at any moment leaves the previous output byte for
//! byte, or, when the kill came after the swap, exactly the new output; never a mixture, never no
//! output. The next build succeeds and removes what the killed ones left behind.

#![cfg(unix)]

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::harness::{entries_starting_with, snapshot};

const BRIEFS: usize = 200;
const KILLS: usize = 30;

fn dossier() -> Command {
    let mut command = crate::harness::dossier();
    command
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    command
}

/// Runs `dossier build --root <site> <args>` to the end and asserts success.
fn build_ok(site: &Path, args: &[&str]) -> Duration {
    let started = Instant::now();
    let output = dossier()
        .args(["build", "--quiet", "--root"])
        .arg(site)
        .args(args)
        .output()
        .expect("run dossier");
    assert!(
        output.status.success(),
        "build failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    started.elapsed()
}

/// A site of `BRIEFS` briefs (a build of it takes about a second in a debug build), described
/// as `description`: the description is on every page, so the two variants differ in nearly
/// every file (and, unlike the title, it is in no citation, so both variants' citations stay in
/// the citation cache and every build takes about as long).
fn write_site(site: &Path, description: &str) {
    fs::create_dir_all(site.join("briefs")).expect("create briefs");
    fs::write(
        site.join("site.toml"),
        format!(
            "title = \"Crash Site\"\ndescription = \"{description}\"\nbase_url = \"https://example.org/blog\"\n\n[authors.mara]\nname = \"Mara Lindqvist\"\n"
        ),
    )
    .expect("write site.toml");
    for i in 0..BRIEFS {
        let path = site.join(format!("briefs/brief-{i:03}.md"));
        if path.exists() {
            continue;
        }
        let body: String = (0..6)
            .map(|j| {
                format!(
                    "Paragraph {j} of brief {i} on trade, sanctions and shipping lanes [@source-{}, p. {j}].\n\n",
                    i % 20
                )
            })
            .collect();
        fs::write(
            path,
            format!(
                "+++\ntitle = \"Brief {i}\"\ndate = 2022-{:02}-{:02}\nauthor = \"mara\"\ncategory = \"Category {}\"\ntags = [\"tag-{}\", \"tag-{}\"]\n\n[[citations]]\nid = \"source-{}\"\ntype = \"report\"\ntitle = \"Source {}\"\nissued = {{date-parts = [[2020, 1, 1]]}}\n+++\n\n{body}",
                1 + i % 12,
                1 + i % 28,
                i % 5,
                i % 7,
                i % 11,
                i % 20,
                i % 20
            ),
        )
        .expect("write brief");
    }
}

/// A small xorshift generator: the test needs spread, not quality, and no extra crate.
struct Random(u64);

impl Random {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n.max(1)
    }
}

/// How two snapshots differ, briefly.
fn difference(found: &BTreeMap<String, Vec<u8>>, expected: &BTreeMap<String, Vec<u8>>) -> String {
    let missing = expected.keys().filter(|k| !found.contains_key(*k)).count();
    let extra = found.keys().filter(|k| !expected.contains_key(*k)).count();
    let changed = expected
        .iter()
        .filter(|(k, v)| found.get(*k).is_some_and(|f| f != *v))
        .count();
    format!("{missing} missing, {extra} extra, {changed} changed")
}

/// The folders builds leave beside the output: staging, set aside, being deleted.
fn leftovers(parent: &Path) -> Vec<String> {
    let mut found = Vec::new();
    for kind in [".public.staging-", ".public.old-", ".public.deleting-"] {
        found.extend(entries_starting_with(parent, kind));
    }
    found
}

/// Waits for the detached processes that delete old outputs and killed builds' folders.
fn wait_for_no_leftovers(parent: &Path) -> Vec<String> {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let found = leftovers(parent);
        if found.is_empty() || Instant::now() > deadline {
            return found;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[derive(Debug, Default)]
struct Landed {
    /// Killed before it made its staging folder: loading and resolving.
    loading: usize,
    /// Killed while its staging folder existed and the old output was still in place.
    writing: usize,
    /// Killed after the swap, before it exited.
    after_swap: usize,
    /// Done before the kill came.
    finished: usize,
}

#[test]
fn builds_killed_at_random_moments_never_leave_a_mixture() {
    let world = tempfile::Builder::new()
        .prefix("dossier-crash-")
        .tempdir()
        .expect("temporary folder");
    let site = world.path().join("site");
    let variants = ["Variant Alpha", "Variant Beta"];

    // The two outputs a build may leave, built apart from the site's own output.
    let mut expected = Vec::new();
    let mut duration = Duration::ZERO;
    for (i, variant) in variants.iter().enumerate() {
        write_site(&site, variant);
        let out = world.path().join(format!("expected-{i}"));
        // The first build formats the citations; the cache makes the next ones faster.
        let took = build_ok(&site, &["--output", &out.to_string_lossy()]);
        if i > 0 {
            duration = took;
        }
        expected.push(snapshot(&out));
    }
    assert!(expected[0].len() > 500, "{} files", expected[0].len());
    assert!(
        expected[0]
            .iter()
            .filter(|(k, v)| expected[1].get(*k) == Some(v))
            .count()
            < expected[0].len() / 2,
        "the two variants should differ in most files"
    );

    // The previous output, and how long a whole build takes now (the machine may be busy).
    write_site(&site, variants[0]);
    duration = (duration + build_ok(&site, &[])) / 2;
    let public = site.join("public");
    assert!(snapshot(&public) == expected[0]);
    let mut current = 0;

    let seed = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(1, |d| d.as_nanos() as u64)
        | 1;
    eprintln!("seed {seed}, a build takes {duration:?}");
    let mut random = Random(seed);
    let whole = duration.as_micros() as u64;
    let mut landed = Landed::default();
    let started = Instant::now();
    for kill in 0..KILLS {
        let next = 1 - current;
        write_site(&site, variants[next]);
        // Spread over the whole build, and every third kill around its end, where the swap is.
        let delay = Duration::from_micros(if kill % 3 == 2 {
            whole * 9 / 10 + random.below(whole * 4 / 5)
        } else {
            random.below(whole * 13 / 10)
        });
        let mut child = dossier()
            .args(["build", "--quiet", "--root"])
            .arg(&site)
            .stderr(Stdio::null())
            .spawn()
            .expect("start dossier");
        std::thread::sleep(delay);
        let staging = site.join(format!(".public.staging-{}", child.id()));
        let was_writing = staging.exists();
        let _ = child.kill();
        let status = child.wait().expect("wait for dossier");

        let found = snapshot(&public);
        let now = if found == expected[current] {
            current
        } else if found == expected[next] {
            next
        } else {
            panic!(
                "kill {kill} after {delay:?} left a mixture: against the old output {}; against the new {}",
                difference(&found, &expected[current]),
                difference(&found, &expected[next])
            );
        };
        // A killed process has no exit code; one that has, ended before the kill came.
        if status.code().is_some() {
            assert!(status.success(), "build {kill} failed on its own");
            assert_eq!(now, next, "a build that succeeded left the old output");
            landed.finished += 1;
        } else if now == next {
            landed.after_swap += 1;
        } else if was_writing {
            landed.writing += 1;
        } else {
            landed.loading += 1;
        }
        current = now;
    }
    eprintln!(
        "{KILLS} kills in {:?}: {} while loading, {} while writing the staging folder, {} after the swap, {} after the build had finished",
        started.elapsed(),
        landed.loading,
        landed.writing,
        landed.after_swap,
        landed.finished
    );
    // Kills spread over the build's duration land in its longest stage at least.
    assert!(
        landed.loading + landed.writing > 0,
        "no kill landed before the swap: {landed:?}"
    );

    // The next build succeeds, gives exactly its output and clears what the killed ones left.
    let next = 1 - current;
    write_site(&site, variants[next]);
    build_ok(&site, &[]);
    assert!(
        snapshot(&public) == expected[next],
        "the build after the kills"
    );
    assert_eq!(wait_for_no_leftovers(&site), Vec::<String>::new());
}

/// A process id that no process has (one of ours that has exited).
fn dead_pid() -> u32 {
    let mut child = Command::new("true").spawn().expect("run true");
    let pid = child.id();
    child.wait().expect("wait for true");
    pid
}

fn small_site(world: &Path) -> PathBuf {
    let site = world.join("site");
    fs::create_dir_all(site.join("briefs")).expect("create briefs");
    fs::write(
        site.join("site.toml"),
        "title = \"Harbor Notes\"\nbase_url = \"https://example.org/blog\"\n",
    )
    .expect("write site.toml");
    fs::write(
        site.join("briefs/a.md"),
        "+++\ntitle = \"A\"\ndate = 2022-08-11\n+++\n\nFirst.\n",
    )
    .expect("write brief");
    site
}

/// Where the two renames of a swap leave things when a build is killed between them (on a system
/// without an atomic exchange): no output, the previous one set aside, the new one complete.
fn killed_between_renames(site: &Path) -> BTreeMap<String, Vec<u8>> {
    build_ok(site, &[]);
    let public = site.join("public");
    let before = snapshot(&public);
    let pid = dead_pid();
    fs::rename(&public, site.join(format!(".public.old-{pid}"))).expect("set the output aside");
    let staging = site.join(format!(".public.staging-{pid}"));
    fs::create_dir_all(&staging).expect("create staging");
    fs::write(staging.join("index.html"), "the new site, whole or not").expect("write staging");
    before
}

#[test]
fn a_failing_build_after_a_kill_between_the_renames_puts_the_previous_output_back() {
    let world = tempfile::tempdir().expect("temporary folder");
    let site = small_site(world.path());
    let before = killed_between_renames(&site);
    fs::write(
        site.join("briefs/broken.md"),
        "+++\ntitle = \"Broken\ndate = 2022-08-11\n+++\n",
    )
    .expect("break a brief");
    let output = dossier()
        .args(["build", "--root"])
        .arg(&site)
        .output()
        .expect("run dossier");
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("briefs/broken.md:2:"), "{stderr}");
    assert!(
        snapshot(&site.join("public")) == before,
        "the previous output was not put back"
    );
    assert!(
        entries_starting_with(&site, ".public.old-").is_empty(),
        "the set-aside output is still there"
    );
}

#[test]
fn a_successful_build_after_a_kill_between_the_renames_replaces_everything() {
    let world = tempfile::tempdir().expect("temporary folder");
    let site = small_site(world.path());
    killed_between_renames(&site);
    fs::write(
        site.join("briefs/b.md"),
        "+++\ntitle = \"B\"\ndate = 2022-08-12\n+++\n\nSecond.\n",
    )
    .expect("write brief");
    build_ok(&site, &[]);
    let public = site.join("public");
    assert!(public.join("a/index.html").is_file());
    assert!(public.join("b/index.html").is_file());
    assert_eq!(wait_for_no_leftovers(&site), Vec::<String>::new());
}
