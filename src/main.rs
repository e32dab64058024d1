//! The `dossier` command line: parses arguments and hands each command to `dossier::commands`.

use std::process::ExitCode;

use clap::{Parser, Subcommand};
use dossier::{commands, output};

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

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
    /// Preview the site: build it in memory, serve it and rebuild what changes, with live reload.
    Serve(commands::serve::ServeArgs),
    /// Create a new site in a folder: site.toml, one author and an example brief.
    Init(commands::init::InitArgs),
    /// Write a new brief, briefs/<slug>.md, with today's date and a front-matter skeleton.
    New(commands::new::NewArgs),
    /// Check the site without writing: everything build checks, plus links, anchors and images.
    Check(commands::check::CheckArgs),
    /// Print the JSON Schema of the front matter or of site.toml, for editors.
    Schema(commands::schema::SchemaArgs),
    /// Deletes a previous output that a build moved aside (run by `build` in the background).
    #[command(name = "remove-old-output", hide = true)]
    RemoveOldOutput { path: std::path::PathBuf },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match &cli.command {
        Command::Build(args) => commands::build::run(args, cli.quiet, cli.verbose),
        Command::Serve(args) => commands::serve::run(args, cli.quiet, cli.verbose),
        Command::Init(args) => commands::init::run(args, cli.quiet),
        Command::New(args) => commands::new::run(args, cli.quiet),
        Command::Check(args) => commands::check::run(args, cli.quiet, cli.verbose),
        Command::Schema(args) => {
            commands::schema::run(args);
            Ok(())
        }
        Command::RemoveOldOutput { path } => {
            output::remove_old_output(path);
            Ok(())
        }
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
