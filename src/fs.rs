//! Reading the site's files safely: never through a link that leads outside the site, never
//! blocking on a pipe put where a file was, and with a diagnostic that says what to do when a file
//! cannot be read. Shared by site.toml (`config`), the briefs (`load`) and the files they name.

use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};

use crate::diagnostics::{Diagnostic, display_path};

/// Whether `path` exists and is something else than a regular file (a folder, a pipe, a device:
/// reading `/dev/zero` or a pipe would never end). Files the site names (bibliographies, a CSL
/// style) are checked with it before they are read.
pub fn exists_but_not_a_file(path: &Path) -> bool {
    fs::metadata(path).is_ok_and(|meta| !meta.is_file())
}

pub(crate) fn not_a_regular_file(shown: &Path) -> Diagnostic {
    Diagnostic::new(
        "this is not a regular file (a pipe, a socket or a device), so it cannot be a brief",
    )
    .in_file(shown)
    .with_hint(
        "briefs are Markdown files: remove it, or rename it so that its name does not end in .md",
    )
}

/// Where the link at `link` leads, if that is inside the site folder; else a diagnostic naming
/// the link: broken, a loop, or leading outside the site.
pub(crate) fn resolve_link(root: &Path, link: &Path) -> Result<PathBuf, Diagnostic> {
    let shown = display_path(root, link);
    let written = fs::read_link(link)
        .map(|t| format!("`{}`", t.display()))
        .unwrap_or_else(|_| "its target".to_owned());
    let target = fs::canonicalize(link).map_err(|err| {
        let message = if is_link_loop(&err) {
            format!("this symbolic link to {written} is part of a loop of links")
        } else {
            format!("this symbolic link to {written} is broken: {err}")
        };
        Diagnostic::new(message)
            .in_file(&shown)
            .with_hint("remove the link, or point it at a brief inside the site folder")
    })?;
    let site = fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf());
    if !target.starts_with(&site) {
        return Err(Diagnostic::new(format!(
            "this symbolic link leads outside the site folder, to {}; dossier never reads files outside the site through links",
            target.display()
        ))
        .in_file(&shown)
        .with_hint("copy the file into briefs/, or move it into the site folder and link to it there"));
    }
    Ok(target)
}

/// Reads a brief file. It is opened without following a link (a link is resolved and checked by
/// the caller) and without blocking (a pipe put in its place never hangs the build), and must be a
/// regular file.
pub(crate) fn read_file(path: &Path) -> std::io::Result<Vec<u8>> {
    let mut options = fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK | libc::O_NOFOLLOW);
    }
    let mut file = options.open(path)?;
    let metadata = file.metadata()?;
    if !metadata.is_file() {
        return Err(std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            NOT_REGULAR,
        ));
    }
    // One read of the whole file and one that finds its end, in a buffer sized from the fstat
    // above (`File::read_to_end` would ask the kernel for the size again, with fstat and lseek;
    // the generic one reads 8 KiB at a time).
    let size = usize::try_from(metadata.len()).unwrap_or(0);
    let mut bytes = vec![0; size.saturating_add(1)];
    let mut filled = 0;
    loop {
        if filled == bytes.len() {
            // The file grew since the fstat.
            bytes.resize(filled * 2, 0);
        }
        match file.read(&mut bytes[filled..]) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(err) if err.kind() == std::io::ErrorKind::Interrupted => {}
            Err(err) => return Err(err),
        }
    }
    bytes.truncate(filled);
    Ok(bytes)
}

pub(crate) const NOT_REGULAR: &str = "not a regular file";

/// ELOOP: too many links (a loop), or a link met where `O_NOFOLLOW` forbids one.
pub(crate) fn is_link_loop(err: &std::io::Error) -> bool {
    #[cfg(unix)]
    {
        err.raw_os_error() == Some(libc::ELOOP)
    }
    #[cfg(not(unix))]
    {
        let _ = err;
        false
    }
}

/// A diagnostic for a file that could not be read, with what to do about it.
pub(crate) fn read_error(shown: &Path, err: &std::io::Error) -> Diagnostic {
    let (message, hint) = match err.kind() {
        std::io::ErrorKind::NotFound => (
            "the file disappeared while dossier was reading it".to_owned(),
            "build again once the file is back, or gone for good",
        ),
        std::io::ErrorKind::PermissionDenied => (
            format!("dossier may not read this file: {err}"),
            "make the file readable (e.g. chmod a+r), or move it out of the site",
        ),
        std::io::ErrorKind::InvalidInput if err.to_string() == NOT_REGULAR => {
            return not_a_regular_file(shown);
        }
        // From O_NOFOLLOW: the file was replaced by a link while the build ran.
        _ if is_link_loop(err) => (
            "the file was replaced by a symbolic link while dossier was reading it".to_owned(),
            "build again",
        ),
        _ => (
            format!("cannot read the file: {err}"),
            "check that the file exists and that dossier may read it",
        ),
    };
    Diagnostic::new(message).in_file(shown).with_hint(hint)
}

/// The text of a site file (a brief, site.toml), with a diagnostic at the first invalid byte
/// when it is not UTF-8.
pub(crate) fn utf8_text(bytes: Vec<u8>, shown: &Path) -> Result<String, Diagnostic> {
    String::from_utf8(bytes).map_err(|err| {
        let offset = err.utf8_error().valid_up_to();
        let valid = String::from_utf8_lossy(&err.as_bytes()[..offset]).into_owned();
        Diagnostic::new(format!(
            "the file is not valid UTF-8 (invalid byte at offset {offset})"
        ))
        .in_file(shown)
        .at_offset(&valid, offset)
        .with_hint("save the file as UTF-8 in your editor")
    })
}

/// Reads a text file of the site (a brief, site.toml): through a link only when it leads to a
/// file inside the site folder.
pub(crate) fn read_site_text(root: &Path, path: &Path) -> Result<String, Diagnostic> {
    let shown = display_path(root, path);
    // Open first: `read_file` refuses a link (O_NOFOLLOW), and only then is the link looked at,
    // so that the common case costs no extra `lstat`.
    let bytes = match read_file(path) {
        Err(err) if is_link_loop(&err) && path.is_symlink() => {
            read_file(&resolve_link(root, path)?)
        }
        result => result,
    };
    utf8_text(bytes.map_err(|err| read_error(&shown, &err))?, &shown)
}
