//! Importers: other systems' content into a dossier site folder. Each only writes ordinary site
//! files (site.toml, briefs/, pages/, static/) that `build` then reads.

pub mod docx;
// The WordPress importer's items are narrowed to `pub(crate)` with its rework on its own branch.
#[allow(unreachable_pub)]
pub mod wordpress;
