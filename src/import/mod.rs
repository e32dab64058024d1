//! Importers: other systems' content into a dossier site folder. Each only writes ordinary site
//! files (site.toml, briefs/, pages/, static/) that `build` then reads.

pub mod docx;
pub mod wordpress;
