//! The `dossier` command line: parses arguments and hands each command to `dossier::commands`.

use std::process::ExitCode;

use clap::{Parser, Subcommand};
use dossier::{commands, output};

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// mimalloc v3's `mi_option_purge_delay` (its include/mimalloc.h), which libmimalloc-sys names
/// no constant for.
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// mimalloc gives freed memory back to the system a second after it is freed; a build, which
/// exits within seconds, only pays for that: each page given back is faulted in and zeroed again
/// when it is reused (4-15 % of a 10,000-brief build's CPU samples in a VM, whose page faults
/// are slow). `serve` keeps the default, so that the preview gives memory back between rebuilds.
fn keep_freed_memory_until_exit() {
    // SAFETY: sets an integer option; mimalloc reads options atomically.
    unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, -1) }
}

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
    /// List the briefs to file under FARA in a window, with their deadlines, and write their
    /// labeled PDFs and a manifest (CSV and JSON).
    Fara(commands::fara::FaraArgs),
    /// Print the JSON Schema of the front matter or of site.toml, for editors.
    Schema(commands::schema::SchemaArgs),
    /// Move content in from another system: `dossier import wordpress EXPORT.xml`,
    /// `dossier import docx FILE.docx`.
    Import(commands::import::ImportArgs),
    /// Deletes a previous output that a build moved aside (run by `build` in the background).
    #[command(name = "remove-old-output", hide = true)]
    RemoveOldOutput { path: std::path::PathBuf },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match &cli.command {
        Command::Build(args) => {
            keep_freed_memory_until_exit();
            commands::build::run(args, cli.quiet, cli.verbose)
        }
        Command::Serve(args) => commands::serve::run(args, cli.quiet, cli.verbose),
        Command::Init(args) => commands::init::run(args, cli.quiet),
        Command::New(args) => commands::new::run(args, cli.quiet),
        Command::Check(args) => commands::check::run(args, cli.quiet, cli.verbose),
        Command::Import(args) => commands::import::run(args, cli.quiet),
        Command::Fara(args) => commands::fara::run(args, cli.quiet, cli.verbose),
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

#[cfg(test)]
mod tests {
    use super::*;

    /// The option index names mimalloc's purge delay: its default is 1,000 ms, and setting it
    /// takes effect. (Both run in one test: options are process-wide.)
    #[test]
    fn the_purge_delay_option_is_the_one_set() {
        // SAFETY: reads and sets an integer option.
        let (default, set) = unsafe {
            let default = libmimalloc_sys::mi_option_get(MI_OPTION_PURGE_DELAY);
            keep_freed_memory_until_exit();
            (
                default,
                libmimalloc_sys::mi_option_get(MI_OPTION_PURGE_DELAY),
            )
        };
        if std::env::var_os("MIMALLOC_PURGE_DELAY").is_none() {
            assert_eq!(default, 1000);
        }
        assert_eq!(set, -1);
    }
}
