//! `dossier serve`: a local preview that builds the site in memory (never touching the output
//! folder), serves it over HTTP, watches the site's files and rebuilds only what a change affects,
//! and tells open pages to reload themselves.
//!
//! | module | concern |
//! |---|---|
//! | `paths` | request paths to site paths, confined; content types |
//! | `http` | the server's answers: pages, static files, ETags, 404, 405 |
//! | `reload` | live reload by server-sent events, the injected script, the problems overlay |
//! | `watch` | notify with a debouncer; which change affects what |
//! | `model`, `rebuild`, `patch`, `prints` | the site in memory and incremental rebuilds |
//! | `early` | pages asked for before the first build is done, rendered on request |
//! | `state` | what the HTTP side reads, shared with the rebuild thread |
//! | `stall` | closes connections whose client stopped reading |
//!
//! Threads: the tokio runtime answers requests; one rebuild thread owns the site model and takes
//! the watcher's batches of changes; rendering runs on rayon's pool as in `dossier build`.

mod early;
mod http;
mod model;
mod patch;
pub mod paths;
mod prints;
mod rebuild;
mod reload;
mod stall;
mod state;
mod watch;

use std::collections::HashSet;
use std::net::{IpAddr, SocketAddr, TcpListener};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender, channel};
use std::time::Duration;

use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use tokio::sync::watch as signal;

use crate::diagnostics::{Diagnostic, Diagnostics};
use rebuild::Builder;
use state::Shared;
use watch::Message;

/// How long a connection may stay idle, or take to send a request's headers, before it is closed:
/// hyper's header read timeout, one deadline for the whole head (a client trickling a byte at a
/// time gains nothing), which also runs while a kept-alive connection waits for its next request.
/// Also how long a response may wait for a client that reads nothing before the connection is
/// closed.
const CONNECTION_TIMEOUT: Duration = Duration::from_secs(10);

/// `CONNECTION_TIMEOUT`, or `DOSSIER_SERVE_TIMEOUT_MS` milliseconds: the tests of the timeouts set
/// it, so that they need not wait ten seconds for each.
fn connection_timeout() -> Duration {
    std::env::var("DOSSIER_SERVE_TIMEOUT_MS")
        .ok()
        .and_then(|v| v.parse().ok())
        .filter(|&ms: &u64| ms > 0)
        .map_or(CONNECTION_TIMEOUT, Duration::from_millis)
}
/// How long to wait before accepting again when the process is out of file descriptors.
const ACCEPT_RETRY: Duration = Duration::from_millis(100);
/// How long no change must come before the search index is rebuilt.
const QUIET: Duration = Duration::from_secs(1);
/// How many ports after a busy one are tried.
const PORT_TRIES: u16 = 20;

pub struct Options {
    pub root: PathBuf,
    pub port: u16,
    pub bind: IpAddr,
    pub drafts: bool,
    pub open: bool,
    pub quiet: bool,
    pub verbose: bool,
}

pub fn run(options: &Options) -> Result<(), Diagnostics> {
    let root = std::path::absolute(&options.root)
        .ok()
        .filter(|root| root.is_dir())
        .ok_or_else(|| {
            Diagnostic::new(format!("no site folder at {}", options.root.display()))
                .with_hint("run dossier in the site's folder, or point --root at it")
        })?;
    let canonical = std::fs::canonicalize(&root)
        .map_err(|err| Diagnostic::new(format!("cannot resolve {}: {err}", root.display())))?;
    let listener = bind(options.bind, options.port, options.quiet)?;
    let address = listener
        .local_addr()
        .map_err(|err| Diagnostic::new(format!("cannot read the bound address: {err}")))?;
    // `::ffff:127.0.0.1` is the loopback address too, written as IPv6.
    if !address.ip().to_canonical().is_loopback() {
        let warning = Diagnostic::warning(format!(
            "listening on {}, so other machines on the network can read the preview, \
             drafts included; use --bind 127.0.0.1 to keep it on this machine",
            address.ip()
        ));
        eprintln!("{warning}");
    }
    let origin = format!("http://{address}");

    let (stop_streams, streams_stopped) = signal::channel(false);
    let shared = Arc::new(Shared::new(canonical, streams_stopped));
    // Watch before the first build, so that nothing saved during it is missed.
    let (to_rebuilder, messages) = channel();
    shared.set_pdf_requests(to_rebuilder.clone());
    let watcher = match watch::start(&root, to_rebuilder.clone()) {
        Ok(watcher) => Some(watcher),
        Err(err) => {
            let warning = Diagnostic::warning(format!(
                "cannot watch the site's files ({err}); pages will not update"
            ));
            eprintln!("{warning}");
            None
        }
    };

    let mut builder = Builder::new(
        root.clone(),
        options.drafts,
        origin.clone(),
        options.quiet,
        shared.clone(),
    );
    builder.verbose = options.verbose;
    // The preview answers at once: a request that comes before the site is loaded waits for it,
    // and one that comes while the first build renders renders its own page (see `early`). The
    // base path is read from site.toml alone; the first build reports its problems.
    let base_path = crate::config::SiteConfig::load(&root)
        .map_or_else(|_| "/".to_owned(), |config| config.base_path());
    let url = format!("{origin}{base_path}");
    // The one line printed even with --quiet: where the preview is.
    println!("Serving the site at {url} (Ctrl-C to stop)");
    let to_self = to_rebuilder.clone();
    let rebuilder = std::thread::Builder::new()
        .name("dossier-rebuild".to_owned())
        .spawn(move || {
            guarded(&mut builder, |builder| {
                builder.rebuild();
            });
            rebuild_loop(builder, &messages, &to_self, watcher, &root);
        })
        .map_err(|err| Diagnostic::new(format!("cannot start the rebuild thread: {err}")))?;
    if options.open {
        open_browser(&url);
    }

    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|err| Diagnostic::new(format!("cannot start the server: {err}")))?;
    let served = runtime.block_on(serve(listener, shared, stop_streams));
    let _ = to_rebuilder.send(Message::Stop);
    let _ = rebuilder.join();
    runtime.shutdown_timeout(Duration::from_secs(1));
    served.map_err(|err| Diagnostic::new(format!("the server stopped: {err}")))?;
    if !options.quiet {
        println!("Stopped.");
    }
    Ok(())
}

/// Binds `ip:port`, or the next free port when it is busy.
fn bind(ip: IpAddr, port: u16, quiet: bool) -> Result<TcpListener, Diagnostic> {
    let last = if port == 0 {
        0
    } else {
        port.saturating_add(PORT_TRIES)
    };
    for candidate in port..=last {
        match TcpListener::bind(SocketAddr::new(ip, candidate)) {
            Ok(listener) => {
                if candidate != port && !quiet {
                    println!("Port {port} is busy; using port {candidate}.");
                }
                return Ok(listener);
            }
            Err(err) if err.kind() == std::io::ErrorKind::AddrInUse => continue,
            Err(err) => {
                return Err(
                    Diagnostic::new(format!("cannot listen on {ip}:{candidate}: {err}"))
                        .with_hint("choose another address with --bind or port with --port"),
                );
            }
        }
    }
    Err(
        Diagnostic::new(format!("ports {port} to {last} on {ip} are all busy"))
            .with_hint("choose another port with --port"),
    )
}

/// Accepts connections until Ctrl-C (or SIGTERM), then lets open requests finish.
async fn serve(
    listener: TcpListener,
    shared: Arc<Shared>,
    stop_streams: signal::Sender<bool>,
) -> std::io::Result<()> {
    listener.set_nonblocking(true)?;
    let listener = tokio::net::TcpListener::from_std(listener)?;
    let app = http::router(shared);
    let graceful = GracefulShutdown::new();
    let timeout = connection_timeout();
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(timeout)
        .keep_alive(true);
    let stop = stop_signal();
    tokio::pin!(stop);
    let mut starved = false;
    loop {
        tokio::select! {
            accepted = listener.accept() => {
                let stream = match accepted {
                    Ok((stream, _)) => {
                        if starved {
                            starved = false;
                            eprintln!("{}", Diagnostic::note("accepting connections again"));
                        }
                        stream
                    }
                    // A client that left before it was accepted: nothing to wait for.
                    Err(err) if is_connection_error(&err) => continue,
                    Err(err) => {
                        // Out of file descriptors (EMFILE, ENFILE) or memory: the pending connection
                        // stays queued and accept fails again at once, so retrying without a pause
                        // would spin. Wait for open connections to close (the header read timeout
                        // closes idle ones); say so once, not at every retry.
                        if !starved {
                            starved = true;
                            let warning = Diagnostic::warning(format!(
                                "cannot accept connections ({err}); retrying while some close"
                            ));
                            eprintln!("{warning}");
                        }
                        tokio::time::sleep(ACCEPT_RETRY).await;
                        continue;
                    }
                };
                let _ = stream.set_nodelay(true);
                let service = TowerToHyperService::new(app.clone());
                let stream = TokioIo::new(stall::WriteTimeout::new(stream, timeout));
                let connection = graceful.watch(http.serve_connection(stream, service));
                tokio::spawn(async move {
                    // A client that goes away mid-response ends its connection, nothing more.
                    let _ = connection.await;
                });
            }
            () = &mut stop => break,
        }
    }
    drop(listener);
    let _ = stop_streams.send(true);
    tokio::select! {
        () = graceful.shutdown() => {}
        () = tokio::time::sleep(Duration::from_secs(2)) => {}
    }
    Ok(())
}

/// Errors of `accept` that concern only the connection being accepted.
fn is_connection_error(err: &std::io::Error) -> bool {
    use std::io::ErrorKind;
    matches!(
        err.kind(),
        ErrorKind::ConnectionAborted | ErrorKind::ConnectionReset | ErrorKind::Interrupted
    )
}

async fn stop_signal() {
    let ctrl_c = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut term) => {
                term.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {}
        () = terminate => {}
    }
}

/// Takes the watcher's batches of changes and rebuilds, until told to stop.
fn rebuild_loop(
    mut builder: Builder,
    messages: &Receiver<Message>,
    to_self: &Sender<Message>,
    mut watcher: Option<watch::Watcher>,
    root: &Path,
) {
    let mut watched: HashSet<&str> = watch::WATCHED_FOLDERS
        .iter()
        .copied()
        .filter(|folder| root.join(folder).is_dir())
        .collect();
    loop {
        // Pages that wait for a quiet moment are made when no change has come for one.
        let message = if builder.has_deferred() {
            match messages.recv_timeout(QUIET) {
                Ok(message) => message,
                Err(RecvTimeoutError::Timeout) => {
                    guarded(&mut builder, |builder| builder.start_flush(to_self.clone()));
                    continue;
                }
                Err(RecvTimeoutError::Disconnected) => return,
            }
        } else {
            match messages.recv() {
                Ok(message) => message,
                Err(_) => return,
            }
        };
        // Reading files is an event too (ignored): rebuild only for a change, and then once for a
        // burst of changes (a failed rebuild is retried at the next change, not on every event).
        let mut changed = false;
        for message in std::iter::once(message).chain(messages.try_iter()) {
            match message {
                Message::Stop => return,
                Message::Pdf(rel, reply) => {
                    let _ = reply.send(builder.pdf(&rel));
                }
                Message::Flushed(flushed) => {
                    guarded(&mut builder, |builder| builder.finish_flush(*flushed));
                }
                Message::Files(Ok(events)) => {
                    for event in &events {
                        for change in watch::classify(root, event) {
                            builder.note(change);
                            changed = true;
                        }
                    }
                }
                Message::Files(Err(errors)) => {
                    for err in errors {
                        let warning =
                            Diagnostic::warning(format!("watching the site's files: {err}"));
                        eprintln!("{warning}");
                    }
                }
            }
        }
        // A source folder created since the start.
        if let Some(watcher) = &mut watcher {
            for folder in watch::WATCHED_FOLDERS {
                if !watched.contains(folder) && root.join(folder).is_dir() {
                    watch::watch_folder(watcher, &root.join(folder));
                    watched.insert(folder);
                }
            }
        }
        if changed && builder.has_pending() {
            guarded(&mut builder, |builder| {
                builder.rebuild();
            });
        }
    }
}

/// Runs a rebuild step; should it panic (a bug), the server goes on with the last good pages and
/// the next change loads the site afresh.
fn guarded(builder: &mut Builder, step: impl FnOnce(&mut Builder)) {
    let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| step(builder)));
    if outcome.is_err() {
        let problem = Diagnostic::new("the rebuild failed unexpectedly (a bug in dossier)")
            .with_hint("the next change loads the site afresh; please report what you changed");
        eprintln!("{problem}");
        builder.forget();
    }
}

/// Opens `url` in the default browser, without waiting for it.
fn open_browser(url: &str) {
    let (program, args): (&str, Vec<&str>) = if cfg!(target_os = "macos") {
        ("open", vec![url])
    } else if cfg!(windows) {
        ("cmd", vec!["/C", "start", "", url])
    } else {
        ("xdg-open", vec![url])
    };
    let spawned = std::process::Command::new(program)
        .args(&args)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn();
    match spawned {
        Ok(mut child) => {
            std::thread::spawn(move || child.wait());
        }
        Err(err) => {
            let note = Diagnostic::note(format!("cannot open a browser ({program}: {err})"))
                .with_hint(format!("open {url}"));
            eprintln!("{note}");
        }
    }
}
