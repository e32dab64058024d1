//! dossier: a static site generator for policy briefs.
//!
//! The build is a pipeline, one module per stage:
//! `load` (briefs from disk) -> `site` (resolve references) -> `render` (templates) -> `output`.

mod cite;
mod commands;
mod config;
mod diagnostics;
mod html;
mod load;
mod markdown;
mod output;
mod pipeline;
mod render;
mod site;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(
    name = "dossier",
    version,
    about = "A static site generator for policy briefs"
)]
struct Cli {
    /// Print nothing but errors.
    #[arg(short, long, global = true, conflicts_with = "verbose")]
    quiet: bool,
    /// Print the time each stage takes.
    #[arg(short, long, global = true)]
    verbose: bool,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build the site into the output folder.
    Build(commands::build::BuildArgs),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match &cli.command {
        Command::Build(args) => commands::build::run(args, cli.quiet, cli.verbose),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(diagnostics) => {
            for diagnostic in &diagnostics.0 {
                eprintln!("{diagnostic}\n");
            }
            ExitCode::FAILURE
        }
    }
}
