//! `dossier init DIR`: a new site that builds at once with the embedded theme: site.toml with one
//! author, one example brief, a `.gitignore`. A folder that is not empty is left alone unless
//! `--force` (which overwrites only the files init writes).

use std::path::{Path, PathBuf};

use crate::diagnostics::{Diagnostic, Diagnostics};

#[derive(Debug, clap::Args)]
pub struct InitArgs {
    /// The folder of the new site (created if needed).
    pub dir: PathBuf,
    /// Write into a folder that is not empty (files of the same names are overwritten).
    #[arg(long)]
    pub force: bool,
}

const SITE_TOML: &str = r#"# The site's configuration: every key is described in dossier's README ("site.toml").
title = "Policy Briefs"
description = "Short analysis for policymakers."
# Where the site will be published; `dossier build --base-url` overrides it for previews.
base_url = "https://example.org"
language = "en"
briefs_per_page = 10
# Shown on every brief, e.g. a FARA disclosure statement (Markdown).
# disclosure = "This material is distributed by ... on behalf of ... Additional information is available at the Department of Justice, Washington, DC."

# [organization]
# name = "Example Institute"
# url = "https://example.org"

[authors.alex-reyes]
name = "Alex Reyes"
title = "Senior Fellow"
bio = "Alex Reyes writes on trade and economic security."

[citations]
style = "chicago-notes"

[feeds]
full_content = true
"#;

const GITIGNORE: &str = "public/\n.dossier-cache/\n";

/// The example brief, with `{date}` for today.
const WELCOME: &str = r#"+++
title = "Welcome to Your Policy Site"
date = {date}
authors = ["alex-reyes"]
category = "Getting Started"
tags = ["dossier"]
summary = "How briefs are written: front matter, Markdown, notes and citations."

[[citations]]
id = "commonmark-2024"
type = "webpage"
title = "CommonMark Spec, Version 0.31.2"
author = [{ literal = "John MacFarlane" }]
issued = { date-parts = [[2024, 1, 28]] }
URL = "https://spec.commonmark.org/0.31.2/"
+++

Each brief is a Markdown file in `briefs/`. The lines between the `+++` fences at the top are its
front matter: title, date, authors (declared in `site.toml`), category and tags.

## Notes and citations

A footnote is written like this.[^1] A source defined under `[[citations]]` is cited with its id
in brackets, and becomes a numbered note and an entry under References [@commonmark-2024].

## Next steps

Run `dossier new "My First Brief"` for a new brief, `dossier serve` to preview the site while you
write, and `dossier build` to publish it into `public/`.

[^1]: Footnotes and citations share one numbering.
"#;

pub fn run(args: &InitArgs, quiet: bool) -> Result<(), Diagnostics> {
    let dir = &args.dir;
    if dir.exists() && !dir.is_dir() {
        return Err(
            Diagnostic::new(format!("{} is a file, not a folder", dir.display()))
                .with_hint("give the path of a new or empty folder")
                .into(),
        );
    }
    if !args.force && !is_empty(dir)? {
        return Err(Diagnostic::new(format!("{} is not empty", dir.display()))
            .with_hint("choose a new folder, or pass --force to write the site's files into it (files of the same names are overwritten)")
            .into());
    }
    let today = jiff::ZonedDateTime::now().date();
    let welcome = WELCOME.replace("{date}", &today.to_string());
    let files: [(&str, &str); 3] = [
        ("site.toml", SITE_TOML),
        ("briefs/welcome.md", &welcome),
        (".gitignore", GITIGNORE),
    ];
    for (rel, contents) in files {
        write(&dir.join(rel), contents)?;
    }
    for folder in ["static", "templates"] {
        let path = dir.join(folder);
        std::fs::create_dir_all(&path).map_err(|err| io_error(&path, err))?;
    }
    if !quiet {
        println!(
            "Created a site in {shown}. Next:\n  cd {shown}\n  dossier new \"My First Brief\"\n  dossier serve",
            shown = dir.display()
        );
    }
    Ok(())
}

fn is_empty(dir: &Path) -> Result<bool, Diagnostic> {
    match std::fs::read_dir(dir) {
        Ok(mut entries) => Ok(entries.next().is_none()),
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => Ok(true),
        Err(err) => Err(io_error(dir, err)),
    }
}

fn write(path: &Path, contents: &str) -> Result<(), Diagnostic> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(|err| io_error(parent, err))?;
    }
    std::fs::write(path, contents).map_err(|err| io_error(path, err))
}

fn io_error(path: &Path, err: std::io::Error) -> Diagnostic {
    Diagnostic::new(format!("cannot write {}: {err}", path.display()))
        .with_hint("check that the folder is writable")
}
