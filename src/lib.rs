//! dossier: a static site generator for policy briefs.
//!
//! The build is a pipeline, one module per stage:
//! `load` (briefs from disk) -> `site` (resolve references) -> `render` (templates) -> `output`.
//! The binary (`src/main.rs`) is a thin command-line front; the library exists so that
//! benchmarks (`benches/`) and fuzz targets (`fuzz/`) can drive each stage on its own.

pub mod cite;
pub mod commands;
pub mod config;
pub mod diagnostics;
pub mod fara;
pub mod freshness;
pub mod fs;
pub mod html;
pub mod import;
pub mod load;
pub mod markdown;
pub mod output;
pub mod pdf;
pub mod pipeline;
pub mod render;
pub mod scaffold;
pub mod serve;
pub mod site;
pub mod slugs;
pub(crate) mod spans;
pub mod text;
