//! dossier's integration tests, as one binary (one link, one run): each module is an area of
//! the tool, and all of them drive the real `dossier` binary on sites in temporary folders through
//! the shared `harness`.
//!
//! Tests that need an external tool (Chromium, Java, wrk) are `#[ignore = "needs ..."]`: a plain
//! `cargo test` lists them as ignored rather than passing them, and `.ci/run` installs the tools
//! and runs `cargo test -- --include-ignored`.

// A test binary exports nothing: its helpers are `pub` for the other modules, not for anyone else.
#![allow(unreachable_pub)]

mod harness;

mod atomic_output;
mod authoring;
mod build_pages;
mod citation_styles;
mod citations;
mod cli;
mod crash_safety;
mod errors;
mod escaping;
mod exports;
mod feeds;
mod front_matter;
mod fuzz_regressions;
mod hostile;
mod import_docx;
mod import_docx_corpus;
mod links;
mod pages;
mod pdf;
mod real_tools;
mod reference_order;
mod search_browser;
mod serve;
mod serve_browser;
mod serve_first_page;
mod serve_load;
mod sitemap;
mod theme_override;
mod up_to_date;
mod wordpress_import;
mod wxr_corpus;
