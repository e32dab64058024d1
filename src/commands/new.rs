//! `dossier new "Title"`: writes `briefs/<slug>.md` with today's date and a commented front-matter
//! skeleton (TOML, or YAML with `--yaml`). It never overwrites a file, refuses a slug another brief
//! already has, and rejects an author site.toml does not declare.

use std::path::Path;

use crate::config::SiteConfig;
use crate::diagnostics::{Diagnostic, Diagnostics, display_path};
use crate::scaffold::{BriefOptions, same_slug, toml_string, unknown_author, yaml_string};

#[derive(Debug, clap::Args)]
pub struct NewArgs {
    /// The brief's title.
    pub title: String,
    #[command(flatten)]
    pub options: BriefOptions,
}

pub fn run(args: &NewArgs, quiet: bool) -> Result<(), Diagnostics> {
    let config = SiteConfig::load(&args.options.root)?;
    let mut problems = Diagnostics::default();
    if args.title.trim().is_empty() {
        problems.push(
            Diagnostic::new("the title is empty").with_hint("dossier new \"The brief's title\""),
        );
    }
    for slug in &args.options.authors {
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

    let briefs = args.options.root.join("briefs");
    let path = briefs.join(format!("{slug}.md"));
    if let Some(existing) = same_slug(&briefs, &slug) {
        return Err(Diagnostic::new(format!(
            "a brief with the URL /{slug}/ already exists: {}",
            display_path(&args.options.root, &existing).display()
        ))
        .with_hint("choose another title, or edit the existing brief")
        .into());
    }
    let today = jiff::ZonedDateTime::now().date().to_string();
    let text = if args.options.yaml {
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
        println!("{}", display_path(&args.options.root, &path).display());
    }
    Ok(())
}

fn toml(args: &NewArgs, today: &str) -> String {
    let authors: Vec<String> = args
        .options
        .authors
        .iter()
        .map(|a| toml_string(a))
        .collect();
    let category = match &args.options.category {
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

fn yaml(args: &NewArgs, today: &str) -> String {
    let authors: Vec<String> = args
        .options
        .authors
        .iter()
        .map(|a| yaml_string(a))
        .collect();
    let category = match &args.options.category {
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
