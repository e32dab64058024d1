//! Writing an import's files: never over an existing file, and nothing left behind on a failure.

use std::path::{Path, PathBuf};

use crate::diagnostics::{Diagnostic, display_path};

/// Writes the images and then the brief, each only if it does not exist yet; on a failure,
/// removes what this import wrote.
pub(super) fn write_files(
    root: &Path,
    slug: &str,
    brief: &Path,
    text: &str,
    images: &[(String, Vec<u8>)],
) -> Result<(), Diagnostic> {
    let mut written: Vec<PathBuf> = Vec::new();
    let folder = root.join("static").join("images").join(slug);
    let result = (|| {
        let create = |path: &Path, bytes: &[u8], written: &mut Vec<PathBuf>| {
            let mut file = std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(path)
                .map_err(|err| write_error(root, path, &err))?;
            written.push(path.to_path_buf());
            std::io::Write::write_all(&mut file, bytes).map_err(|err| write_error(root, path, &err))
        };
        if !images.is_empty() {
            std::fs::create_dir_all(&folder).map_err(|err| write_error(root, &folder, &err))?;
            for (name, bytes) in images {
                create(&folder.join(name), bytes, &mut written)?;
            }
        }
        if let Some(parent) = brief.parent() {
            std::fs::create_dir_all(parent).map_err(|err| write_error(root, parent, &err))?;
        }
        create(brief, text.as_bytes(), &mut written)
    })();
    if result.is_err() {
        for path in written.iter().rev() {
            let _ = std::fs::remove_file(path);
        }
        let _ = std::fs::remove_dir(&folder);
    }
    result
}

fn write_error(root: &Path, path: &Path, err: &std::io::Error) -> Diagnostic {
    let shown = display_path(root, path);
    let hint = if err.kind() == std::io::ErrorKind::AlreadyExists {
        "dossier never overwrites a file: move the existing one away to import again"
    } else {
        "check that the site folder is writable"
    };
    Diagnostic::new(format!("cannot write {}: {err}", shown.display())).with_hint(hint)
}
