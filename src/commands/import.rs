//! `dossier import <SOURCE>`: move content from another system into a dossier site.

use crate::diagnostics::Diagnostics;
use crate::import;

#[derive(Debug, clap::Args)]
pub struct ImportArgs {
    #[command(subcommand)]
    pub source: ImportSource,
}

#[derive(Debug, clap::Subcommand)]
pub enum ImportSource {
    /// A WordPress export (Tools → Export, a WXR .xml file): posts become briefs, pages standalone
    /// pages, the menu the site's menu, and every old URL a redirect to the new one.
    Wordpress(import::wordpress::WordpressArgs),
    /// Word documents (.docx): each a draft brief, with its footnotes, images, and Zotero or
    /// Mendeley citations as real sources.
    Docx(import::docx::DocxArgs),
}

pub fn run(args: &ImportArgs, quiet: bool) -> Result<(), Diagnostics> {
    match &args.source {
        ImportSource::Wordpress(args) => import::wordpress::run(args, quiet),
        ImportSource::Docx(args) => import::docx::run(args, quiet),
    }
}
