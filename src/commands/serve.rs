//! `dossier serve`: build the site in memory, serve it with live reload, rebuild what changes.

use std::net::{IpAddr, Ipv4Addr};
use std::path::PathBuf;

use crate::diagnostics::Diagnostics;
use crate::serve;

#[derive(Debug, clap::Args)]
pub struct ServeArgs {
    /// The site's folder, holding site.toml and briefs/.
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
    /// The port to listen on; when it is busy, the next free one is used (0: any free port).
    #[arg(long, default_value_t = 1111)]
    pub port: u16,
    /// The address to listen on; anything but a loopback address shares the preview with the
    /// network.
    #[arg(long, default_value = "127.0.0.1", value_parser = parse_address)]
    pub bind: IpAddr,
    /// Include briefs marked `draft = true`, with a "Draft" badge.
    #[arg(long)]
    pub drafts: bool,
    /// Open the site in the default browser.
    #[arg(long)]
    pub open: bool,
}

fn parse_address(text: &str) -> Result<IpAddr, String> {
    if text.eq_ignore_ascii_case("localhost") {
        return Ok(IpAddr::V4(Ipv4Addr::LOCALHOST));
    }
    text.parse()
        .map_err(|_| format!("`{text}` is not an IP address (e.g. 127.0.0.1, ::1 or 0.0.0.0)"))
}

pub fn run(args: &ServeArgs, quiet: bool, verbose: bool) -> Result<(), Diagnostics> {
    serve::run(&serve::Options {
        root: args.root.clone(),
        port: args.port,
        bind: args.bind,
        drafts: args.drafts,
        open: args.open,
        quiet,
        verbose,
    })
}
