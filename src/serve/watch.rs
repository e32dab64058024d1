//! Watching the site's files: site.toml and bibliography files at the root, `briefs/`,
//! `templates/`, `static/` and `themes/`, through notify's debouncer. Each changed path is
//! classified into what it affects; editors' temporary, backup and swap files are ignored, and so is
//! everything else (the output folder is never watched).

use std::path::{Component, Path, PathBuf};
use std::sync::mpsc::Sender;
use std::time::Duration;

use notify::event::{CreateKind, EventKind, ModifyKind, RemoveKind};
use notify::{EventKindMask, RecommendedWatcher, RecursiveMode};
use notify_debouncer_full::{DebounceEventResult, DebouncedEvent, Debouncer, RecommendedCache};

/// How long the debouncer waits for a burst of events about one path to settle. Editors save in
/// one write or a write and a rename, well inside this.
pub(super) const DEBOUNCE: Duration = Duration::from_millis(20);

/// The folders below the root that hold the site's sources.
pub(super) const WATCHED_FOLDERS: &[&str] = crate::load::SITE_FOLDERS;

/// What a changed path affects.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Change {
    /// site.toml, a bibliography file or a whole source folder: reload and re-render everything.
    Config,
    /// A folder of briefs appeared, moved or went away, or a brief's bibliography file changed:
    /// load all the briefs again.
    Rescan,
    /// A brief file (absolute path), changed, created or removed.
    Brief(PathBuf),
    /// A template, by its name (path below a `templates/` folder); empty for a whole folder.
    Template(String),
    /// A static file, by its path below a `static/` folder.
    Static(String),
}

/// Messages to the rebuild thread.
pub(super) enum Message {
    Files(DebounceEventResult),
    /// A brief's PDF asked for by the preview: its output path, and where to send it.
    Pdf(String, tokio::sync::oneshot::Sender<Option<Vec<u8>>>),
    /// The search index, made on a thread of its own (`Builder::start_flush`).
    Flushed(Box<super::rebuild::Flushed>),
    Stop,
}

pub(super) type Watcher = Debouncer<RecommendedWatcher, RecommendedCache>;

/// Starts watching `root` (absolute), sending batches of changes to `to`.
pub(super) fn start(root: &Path, to: Sender<Message>) -> notify::Result<Watcher> {
    // Changes only: dossier reads every brief when it loads the site, and with access events
    // each read would come back as events for the watcher and the debouncer to handle (a tenth
    // of a core while a 10,000-brief site loads).
    let config = notify_debouncer_full::Config::default()
        .with_timeout(DEBOUNCE)
        .with_tick_rate(Duration::from_millis(5))
        .with_notify_config(notify::Config::default().with_event_kinds(EventKindMask::CORE));
    let mut debouncer = notify_debouncer_full::new_debouncer_opt(
        config,
        move |result| {
            let _ = to.send(Message::Files(result));
        },
        RecommendedCache::new(),
    )?;
    debouncer.watch(root, RecursiveMode::NonRecursive)?;
    for folder in WATCHED_FOLDERS {
        watch_folder(&mut debouncer, &root.join(folder));
    }
    Ok(debouncer)
}

/// Watches a source folder, if it exists (one created later is picked up by the root's watch).
pub(super) fn watch_folder(debouncer: &mut Watcher, folder: &Path) {
    if folder.is_dir()
        && let Err(err) = debouncer.watch(folder, RecursiveMode::Recursive)
    {
        let warning = crate::diagnostics::Diagnostic::warning(format!(
            "cannot watch {}: {err}; changes there need a restart",
            folder.display()
        ));
        eprintln!("{warning}");
    }
}

/// The changes an event stands for.
pub(super) fn classify(root: &Path, event: &DebouncedEvent) -> Vec<Change> {
    if event.need_rescan() {
        // The system dropped events: trust nothing.
        return vec![Change::Config];
    }
    let kind = event.kind;
    if matches!(kind, EventKind::Access(_) | EventKind::Other) {
        return Vec::new();
    }
    let folder_event = matches!(
        kind,
        EventKind::Create(CreateKind::Folder) | EventKind::Remove(RemoveKind::Folder)
    );
    let renamed = matches!(kind, EventKind::Modify(ModifyKind::Name(_)));
    event
        .paths
        .iter()
        .filter_map(|path| classify_path(root, path, folder_event, renamed))
        .collect()
}

fn classify_path(root: &Path, path: &Path, folder_event: bool, renamed: bool) -> Option<Change> {
    let rel = path.strip_prefix(root).ok()?;
    let mut parts = Vec::new();
    for component in rel.components() {
        match component {
            Component::Normal(name) => parts.push(name.to_str()?),
            _ => return None,
        }
    }
    let name = *parts.last()?;
    if parts.iter().any(|p| p.starts_with('.')) || is_editor_temp(name) {
        return None;
    }
    // A folder that appeared, went away or was renamed (which inotify reports on the folder only).
    let folder = folder_event
        || path.is_dir()
        || (renamed && !path.exists() && Path::new(name).extension().is_none());
    match parts.as_slice() {
        ["site.toml"] => Some(Change::Config),
        [file] if is_bibliography(file) => Some(Change::Config),
        // A source folder itself appeared or went away.
        [top] if WATCHED_FOLDERS.contains(top) => Some(Change::Config),
        [_] => None,
        ["briefs", ..] if folder => Some(Change::Rescan),
        ["briefs", .., _] if name.ends_with(".md") => Some(Change::Brief(path.to_owned())),
        // A brief's own bibliography file (front matter `bibliography`).
        ["briefs", .., _] if is_bibliography(name) => Some(Change::Rescan),
        ["briefs", ..] => None,
        // Standalone pages: few, and they reach menus and redirects: load everything again.
        ["pages", ..] if folder || name.ends_with(".md") => Some(Change::Config),
        ["pages", ..] => None,
        // A folder of templates: any template may have changed.
        ["templates", ..] | ["themes", _, "templates", ..] if folder => {
            Some(Change::Template(String::new()))
        }
        ["templates", rest @ ..] | ["themes", _, "templates", rest @ ..] => {
            Some(Change::Template(rest.join("/")))
        }
        ["static", rest @ ..] | ["themes", _, "static", rest @ ..] => {
            Some(Change::Static(rest.join("/")))
        }
        ["themes", ..] => Some(Change::Config),
        _ => None,
    }
}

/// Bibliography files beside site.toml.
fn is_bibliography(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    [".bib", ".json", ".yaml", ".yml", ".csl", ".ris"]
        .iter()
        .any(|extension| lower.ends_with(extension))
}

/// Files editors write beside the real one: swap, backup, lock and atomic-save temporaries.
fn is_editor_temp(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    name == "4913" // vim's test of whether it may write to the folder
        || name.ends_with('~')
        || (name.starts_with('#') && name.ends_with('#'))
        || [
            ".swp", ".swo", ".swx", ".swn", ".tmp", ".temp", ".bak", ".orig", ".crswap",
            ".kate-swp", ".part", "___jb_tmp___", "___jb_old___", ".sb-",
        ]
        .iter()
        .any(|suffix| lower.ends_with(suffix))
        || lower.contains(".sb-") // BBEdit's safe-save temporaries
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(rel: &str) -> Option<Change> {
        let root = Path::new("/site");
        classify_path(root, &root.join(rel), false, false)
    }

    #[test]
    fn paths_are_classified_by_folder() {
        assert_eq!(at("site.toml"), Some(Change::Config));
        assert_eq!(at("refs.bib"), Some(Change::Config));
        assert_eq!(
            at("briefs/2023/a.md"),
            Some(Change::Brief(PathBuf::from("/site/briefs/2023/a.md")))
        );
        assert_eq!(at("briefs/notes.txt"), None);
        assert_eq!(at("briefs/2023/refs.bib"), Some(Change::Rescan));
        assert_eq!(
            at("templates/brief.html"),
            Some(Change::Template("brief.html".into()))
        );
        assert_eq!(
            at("themes/peninsula/templates/partials/x.html"),
            Some(Change::Template("partials/x.html".into()))
        );
        assert_eq!(
            at("static/images/a.svg"),
            Some(Change::Static("images/a.svg".into()))
        );
        assert_eq!(
            at("themes/peninsula/static/style.css"),
            Some(Change::Static("style.css".into()))
        );
        assert_eq!(at("public/index.html"), None);
        assert_eq!(at("README.md"), None);
    }

    #[test]
    fn editor_files_are_ignored() {
        for rel in [
            "briefs/.a.md.swp",
            "briefs/a.md~",
            "briefs/.#a.md",
            "briefs/#a.md#",
            "briefs/4913",
            "templates/brief.html.swp",
            "static/style.css___jb_tmp___",
            "briefs/.git/HEAD",
            "static/.DS_Store",
        ] {
            assert_eq!(at(rel), None, "{rel}");
        }
    }
}
