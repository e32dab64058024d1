//! `dossier new "Title"`: writes `briefs/<slug>.md` with today's date and a commented front-matter
//! skeleton (TOML, or YAML with `--yaml`). It never overwrites a file, refuses a slug another brief
//! already has, and rejects an author site.toml does not declare.

use std::path::{Path, PathBuf};

use crate::config::SiteConfig;
use crate::diagnostics::{Diagnostic, Diagnostics, display_path, nearest};

#[derive(Debug, clap::Args)]
pub struct NewArgs {
    /// The brief's title.
    pub title: String,
    /// An author's slug from site.toml (repeat for co-authors).
    #[arg(long = "author")]
    pub authors: Vec<String>,
    /// The brief's category.
    #[arg(long)]
    pub category: Option<String>,
    /// Write the front matter in YAML (between `---` lines) instead of TOML.
    #[arg(long)]
    pub yaml: bool,
    /// The site's folder, holding site.toml and briefs/.
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
}

pub fn run(args: &NewArgs, quiet: bool) -> Result<(), Diagnostics> {
    let config = SiteConfig::load(&args.root)?;
    let mut problems = Diagnostics::default();
    if args.title.trim().is_empty() {
        problems.push(
            Diagnostic::new("the title is empty").with_hint("dossier new \"The brief's title\""),
        );
    }
    for slug in &args.authors {
        if !config.authors.contains_key(slug) {
            problems.push(unknown_author(&config, slug));
        }
    }
    let slug = slug::slugify(args.title.trim());
    if slug.is_empty() && problems.0.is_empty() {
        problems.push(
            Diagnostic::new(format!("cannot make a file name from `{}`", args.title))
                .with_hint("use a title with letters or digits"),
        );
    }
    problems.into_result(())?;

    let briefs = args.root.join("briefs");
    let path = briefs.join(format!("{slug}.md"));
    if let Some(existing) = same_slug(&briefs, &slug) {
        return Err(Diagnostic::new(format!(
            "a brief with the URL /{slug}/ already exists: {}",
            display_path(&args.root, &existing).display()
        ))
        .with_hint("choose another title, or edit the existing brief")
        .into());
    }
    let today = jiff::ZonedDateTime::now().date().to_string();
    let text = if args.yaml {
        yaml(args, &today)
    } else {
        toml(args, &today)
    };
    std::fs::create_dir_all(&briefs).map_err(|err| io_error(&briefs, err))?;
    // `create_new`: never overwrite, even if the file appeared since the check.
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&path)
        .map_err(|err| io_error(&path, err))?;
    std::io::Write::write_all(&mut file, text.as_bytes()).map_err(|err| io_error(&path, err))?;
    if !quiet {
        println!("{}", display_path(&args.root, &path).display());
    }
    Ok(())
}

/// An `--author` that site.toml does not declare, with the nearest author's slug.
pub(crate) fn unknown_author(config: &SiteConfig, slug: &str) -> Diagnostic {
    let hint = match nearest(slug, config.authors.keys().map(String::as_str)) {
        Some(best) => format!("did you mean `{best}`?"),
        None if config.authors.is_empty() => {
            format!("declare the author in site.toml as [authors.{slug}] with at least a name")
        }
        None => format!(
            "the authors in site.toml are: {}",
            config
                .authors
                .keys()
                .map(String::as_str)
                .collect::<Vec<_>>()
                .join(", ")
        ),
    };
    Diagnostic::new(format!("unknown author `{slug}`"))
        .in_file("site.toml")
        .with_hint(hint)
}

/// A brief file under `briefs` whose file name gives the same slug.
pub(crate) fn same_slug(briefs: &Path, slug: &str) -> Option<PathBuf> {
    walkdir::WalkDir::new(briefs)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(walkdir::DirEntry::into_path)
        .find(|p| {
            p.extension().is_some_and(|e| e == "md")
                && p.file_stem()
                    .is_some_and(|s| slug::slugify(s.to_string_lossy()) == slug)
        })
}

fn toml_string(text: &str) -> String {
    toml::Value::String(text.to_owned()).to_string()
}

fn toml(args: &NewArgs, today: &str) -> String {
    let authors: Vec<String> = args.authors.iter().map(|a| toml_string(a)).collect();
    let category = match &args.category {
        Some(c) => format!("category = {}", toml_string(c)),
        None => "# category = \"Economics and Trade\"  (one category)".to_owned(),
    };
    format!(
        r#"+++
title = {title}
date = {today}
# Author slugs from site.toml; co-authors as ["a", "b"].
authors = [{authors}]
{category}
tags = []
# true keeps the brief out of the site until it is ready (`dossier build --drafts` shows it).
draft = false
# summary = "One sentence for listings; without it the first paragraph is used."
# updated = {today}
# image = "images/lead.jpg"
# image_alt = "What the image shows"
# image_credit = "Photo: Name / Agency"
# acknowledgments = "The author thanks ..."
#
# Sources, cited in the text as [@id] or [@id, p. 4] (CSL-JSON field names):
# [[citations]]
# id = "un-res-2397"
# type = "legislation"
# title = "Resolution 2397 (2017)"
# author = [{{ literal = "United Nations Security Council" }}]
# issued = {{ date-parts = [[2017, 12, 22]] }}
# URL = "https://undocs.org/S/RES/2397(2017)"
+++

{body}"#,
        title = toml_string(args.title.trim()),
        authors = authors.join(", "),
        body = BODY,
    )
}

fn yaml_string(text: &str) -> String {
    // A JSON string is a valid YAML double-quoted scalar.
    serde_json::to_string(text).unwrap_or_default()
}

fn yaml(args: &NewArgs, today: &str) -> String {
    let authors: Vec<String> = args.authors.iter().map(|a| yaml_string(a)).collect();
    let category = match &args.category {
        Some(c) => format!("category: {}", yaml_string(c)),
        None => "# category: Economics and Trade  (one category)".to_owned(),
    };
    format!(
        r#"---
title: {title}
date: {today}
# Author slugs from site.toml; co-authors as [a, b].
authors: [{authors}]
{category}
tags: []
# true keeps the brief out of the site until it is ready (`dossier build --drafts` shows it).
draft: false
# summary: One sentence for listings; without it the first paragraph is used.
# updated: {today}
# image: images/lead.jpg
# image_alt: What the image shows
# image_credit: "Photo: Name / Agency"
# acknowledgments: The author thanks ...
#
# Sources, cited in the text as [@id] or [@id, p. 4] (CSL-JSON field names):
# citations:
#   - id: un-res-2397
#     type: legislation
#     title: Resolution 2397 (2017)
#     author: [{{literal: United Nations Security Council}}]
#     issued: {{date-parts: [[2017, 12, 22]]}}
#     URL: https://undocs.org/S/RES/2397(2017)
---

{body}"#,
        title = yaml_string(args.title.trim()),
        authors = authors.join(", "),
        body = BODY,
    )
}

const BODY: &str = "The first paragraph: in listings it is the summary, unless `summary` is set.

## A section

Write the brief in Markdown. Link to another brief with its URL, e.g. `[an earlier brief](../other-slug/)`;
`dossier check` finds links that lead nowhere.
";

fn io_error(path: &Path, err: std::io::Error) -> Diagnostic {
    Diagnostic::new(format!("cannot write {}: {err}", path.display()))
        .with_hint("check that briefs/ is writable")
}
