//! `dossier serve` under load and against hostile clients, on loopback: 200 connections of wrk
//! while a brief is being rewritten (no errors, bounded memory), slowloris clients that trickle a
//! request head a byte at a time (cut off by the header read timeout, and nobody else is locked
//! out meanwhile), a client that asks and never reads (cut off by the write timeout), and a
//! process out of file descriptors (the server waits and retries, neither dying nor spinning). Latency is printed, not asserted: `bench/serve-load.sh` measures it.
//!
//! The load test needs wrk (`apt-get install wrk`): a plain `cargo test` ignores it, `.ci/run`
//! runs it with `--include-ignored`. Linux only: the server's memory and CPU time are read from /proc.
#![cfg(target_os = "linux")]

use std::collections::BTreeMap;
use std::io::{ErrorKind, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use crate::harness::serve::Server;
use crate::harness::tools::require_program;
use crate::harness::{Site, copy_dir, repo};

/// These tests load the machine and use many file descriptors: one at a time.
static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());

fn one_at_a_time() -> std::sync::MutexGuard<'static, ()> {
    ONE_AT_A_TIME.lock().unwrap_or_else(PoisonError::into_inner)
}

/// The server's resident memory in KiB.
fn rss_kib(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    status
        .lines()
        .find_map(|line| line.strip_prefix("VmRSS:"))
        .and_then(|rest| rest.split_whitespace().next())
        .and_then(|kib| kib.parse().ok())
        .unwrap()
}

/// CPU time (user and system) the process has used so far.
fn cpu_time(pid: u32) -> Duration {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap();
    // Fields after the command name, which is in parentheses and may hold spaces.
    let fields: Vec<&str> = stat[stat.rfind(')').unwrap() + 2..]
        .split_whitespace()
        .collect();
    let ticks: u64 = fields[11].parse::<u64>().unwrap() + fields[12].parse::<u64>().unwrap();
    let per_second: u64 = String::from_utf8(
        Command::new("getconf")
            .arg("CLK_TCK")
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap()
    .trim()
    .parse()
    .unwrap();
    Duration::from_millis(ticks * 1000 / per_second)
}

fn open_fds(pid: u32) -> usize {
    std::fs::read_dir(format!("/proc/{pid}/fd"))
        .unwrap()
        .count()
}

/// A copy of the bundled example site (`site.toml`, `briefs/`, `static/`, `refs/`), served.
fn serve_example_site() -> Server {
    let site = Site::new();
    std::fs::copy(repo().join("site.toml"), site.path("site.toml")).unwrap();
    for folder in ["briefs", "static", "refs"] {
        copy_dir(&repo().join(folder), &site.path(folder));
    }
    Server::serve(site, &[])
}

/// The `basic` fixture served with connection timeouts of 4 s rather than 10 s, so that the tests
/// of the timeouts wait less.
fn short_timeouts() -> Server {
    Server::serve_with(
        Site::fixture("basic"),
        &[],
        &[("DOSSIER_SERVE_TIMEOUT_MS", "4000")],
    )
}

/// The URL mix of the load (below the base path, but for the last: `/` redirects to it).
const MIX: &[&str] = &[
    "",
    "page/2/",
    "korea-chip-exports-2023/",
    "north-korea-crypto-theft/",
    "kaesong-precedent/",
    "authors/",
    "authors/elena-marsh/",
    "authors/jiwoo-han/",
    "citations/",
    "citations/ham-dprk-tracker/",
    "tags/",
    "style.css",
    "search.js",
    "search/index.json",
    "search/i/0.json.gz",
    "search/d/3.json.gz",
    "images/port-cranes.svg",
];
const EDITED: &str = "briefs/2023/korea-chip-exports-2023.md";
const CONNECTIONS: usize = 200;
/// Of the connections, those that ask for a missing page (and must get 404).
const PROBES: usize = 8;

/// What one wrk run reported (its `SERVE-LOAD` line, see bench/serve-load.lua).
#[derive(Debug)]
struct Report {
    fields: BTreeMap<String, u64>,
    statuses: BTreeMap<u16, u64>,
}

impl Report {
    fn get(&self, name: &str) -> u64 {
        self.fields[name]
    }

    fn socket_errors(&self) -> u64 {
        ["connect", "read", "write", "timeout"]
            .iter()
            .map(|kind| self.get(kind))
            .sum()
    }

    /// How many responses had a status that `expected` rejects.
    fn unexpected(&self, expected: impl Fn(u16) -> bool) -> u64 {
        self.statuses
            .iter()
            .filter(|(status, _)| !expected(**status))
            .map(|(_, count)| count)
            .sum()
    }
}

fn start_wrk(
    wrk: &Path,
    threads: usize,
    connections: usize,
    seconds: u64,
    origin: &str,
    paths: &[String],
) -> Child {
    Command::new(wrk)
        .arg(format!("-t{threads}"))
        .arg(format!("-c{connections}"))
        .arg(format!("-d{seconds}s"))
        // A debug build on a shared machine can be slow; only a stuck request should count.
        .args(["--timeout", "10s", "--latency", "-s"])
        .arg(repo().join("bench/serve-load.lua"))
        .arg(origin)
        .arg("--")
        .args(paths)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start wrk")
}

fn finish_wrk(child: Child) -> Report {
    let output = child.wait_with_output().unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    let line = stdout
        .lines()
        .find_map(|line| line.strip_prefix("SERVE-LOAD "))
        .unwrap_or_else(|| {
            panic!(
                "wrk printed no summary\nstdout:\n{stdout}\nstderr:\n{}",
                String::from_utf8_lossy(&output.stderr)
            )
        });
    let mut fields = BTreeMap::new();
    let mut statuses = BTreeMap::new();
    for pair in line.split_whitespace() {
        let (name, value) = pair.split_once('=').unwrap();
        if name == "statuses" {
            for tally in value.split(',').filter(|tally| !tally.is_empty()) {
                let (status, count) = tally.split_once(':').unwrap();
                statuses.insert(status.parse().unwrap(), count.parse().unwrap());
            }
        } else {
            fields.insert(name.to_owned(), value.parse().unwrap());
        }
    }
    Report { fields, statuses }
}

/// One round: the URL mix and the 404 probe at the same time, `CONNECTIONS` in all.
fn round(wrk: &Path, seconds: u64, origin: &str, mix: &[String], probe: &str) -> (Report, Report) {
    let main = start_wrk(wrk, 2, CONNECTIONS - PROBES, seconds, origin, mix);
    let probed = start_wrk(wrk, 1, PROBES, seconds, origin, &[probe.to_owned()]);
    (finish_wrk(main), finish_wrk(probed))
}

#[test]
#[ignore = "needs wrk"]
fn load_while_editing_has_no_errors_and_bounded_memory() {
    let wrk = require_program("wrk");
    let _one = one_at_a_time();
    let server = serve_example_site();
    let pid = server.pid();
    let origin = format!("http://127.0.0.1:{}", server.port);
    let mut mix: Vec<String> = MIX.iter().map(|rel| server.site_path(rel)).collect();
    mix.push("/".to_owned());
    // Every URL answers before the load: a page gone from the example site should say so here,
    // not as a count of errors.
    for path in &mix {
        let status = server.request("GET", path).status;
        assert!((200..400).contains(&status), "{path} answered {status}");
    }
    let probe = server.site_path("no-such-page/");
    assert_eq!(server.request("GET", &probe).status, 404);

    let streams = [server.events(), server.events()];
    let stop = Arc::new(AtomicBool::new(false));
    let editor = {
        let stop = stop.clone();
        let path = server.path(EDITED);
        let original = std::fs::read_to_string(&path).unwrap();
        std::thread::spawn(move || {
            let mut revision = 0;
            while !stop.load(Ordering::Relaxed) {
                revision += 1;
                // Rewritten in place, as many editors save.
                std::fs::write(
                    &path,
                    format!("{original}\n\nRevision {revision}, written under load.\n"),
                )
                .unwrap();
                std::thread::sleep(Duration::from_millis(200));
            }
            revision
        })
    };
    let samples = Arc::new(Mutex::new(Vec::new()));
    let sampler = {
        let stop = stop.clone();
        let samples = samples.clone();
        std::thread::spawn(move || {
            while !stop.load(Ordering::Relaxed) {
                samples.lock().unwrap().push(rss_kib(pid));
                std::thread::sleep(Duration::from_secs(1));
            }
        })
    };

    let start = rss_kib(pid);
    let (warm_main, warm_probe) = round(&wrk, 5, &origin, &mix, &probe);
    let warm_end = rss_kib(pid);
    let (main, probed) = round(&wrk, 10, &origin, &mix, &probe);
    let end = rss_kib(pid);
    stop.store(true, Ordering::Relaxed);
    let revisions = editor.join().unwrap();
    sampler.join().unwrap();
    let peak = samples.lock().unwrap().iter().copied().max().unwrap_or(0);
    let reloads: usize = streams
        .iter()
        .map(|events| {
            events
                .drain(Duration::from_millis(500))
                .iter()
                .filter(|(event, _)| event == "reload")
                .count()
        })
        .sum();

    for (name, main, probed) in [
        ("warm-up", &warm_main, &warm_probe),
        ("measured", &main, &probed),
    ] {
        let ms = |field: &str| main.get(field) as f64 / 1000.0;
        eprintln!(
            "{name}: {} requests + {} probes; latency p50 {:.1} ms, p90 {:.1} ms, p99 {:.1} ms, \
             max {:.1} ms; statuses {:?}, probe {:?}",
            main.get("requests"),
            probed.get("requests"),
            ms("p50_us"),
            ms("p90_us"),
            ms("p99_us"),
            ms("max_us"),
            main.statuses,
            probed.statuses
        );
    }
    eprintln!(
        "RSS KiB: start {start}, peak {peak}, end of warm-up {warm_end}, end {end}; \
         {revisions} edits, {reloads} reload events on 2 streams"
    );

    for (main, probed) in [(&warm_main, &warm_probe), (&main, &probed)] {
        assert!(main.get("requests") > 0 && probed.get("requests") > 0);
        assert_eq!(main.socket_errors(), 0, "socket errors: {main:?}");
        assert_eq!(probed.socket_errors(), 0, "socket errors: {probed:?}");
        assert_eq!(
            main.unexpected(|status| (200..400).contains(&status)),
            0,
            "statuses: {:?}",
            main.statuses
        );
        assert_eq!(
            probed.unexpected(|status| status == 404),
            0,
            "probe statuses: {:?}",
            probed.statuses
        );
    }
    // The edits were rebuilt and announced while the load ran.
    assert!(reloads > 0, "no reload event during the load");
    assert!(
        server.stdout().contains(" changed ("),
        "{}",
        server.stdout()
    );
    let stderr = server.stderr();
    assert!(
        !stderr.contains("panicked") && !stderr.contains("failed unexpectedly"),
        "{stderr}"
    );
    // Once warm, a round of load leaves the memory where it was: nothing kept per request or per
    // rebuild (a leak of 200 bytes a request would be tens of MiB here).
    assert!(
        end <= warm_end + 16 * 1024,
        "RSS grew from {warm_end} KiB to {end} KiB in the measured round"
    );
}

/// The head of a request that a slowloris client never finishes.
const SLOW_HEAD: &[u8] = b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ";

/// Connections opened by a slow client, and when the server closed each.
struct Slow {
    streams: Vec<(TcpStream, Option<Duration>)>,
    opened: Instant,
}

impl Slow {
    fn open(port: u16, count: usize, head: &[u8]) -> Slow {
        let opened = Instant::now();
        let streams = (0..count)
            .map(|_| {
                let mut stream = TcpStream::connect(("127.0.0.1", port)).expect("connect");
                if !head.is_empty() {
                    stream.write_all(head).unwrap();
                }
                stream.set_nonblocking(true).unwrap();
                (stream, None)
            })
            .collect();
        Slow { streams, opened }
    }

    /// Notes the connections the server has closed since the last look; with `trickle`, sends one
    /// more byte of the head on each of the others.
    fn poll(&mut self, trickle: bool) {
        let elapsed = self.opened.elapsed();
        for (stream, closed) in &mut self.streams {
            if closed.is_some() {
                continue;
            }
            let mut buffer = [0u8; 256];
            let gone = match stream.read(&mut buffer) {
                Ok(0) => true,
                Ok(_) => false,
                Err(err) => err.kind() != ErrorKind::WouldBlock,
            };
            let gone = gone || (trickle && stream.write(b"a").is_err());
            if gone {
                *closed = Some(elapsed);
            }
        }
    }

    fn open_count(&self) -> usize {
        self.streams
            .iter()
            .filter(|(_, closed)| closed.is_none())
            .count()
    }

    fn latest_close(&self) -> Option<Duration> {
        self.streams.iter().filter_map(|(_, closed)| *closed).max()
    }
}

#[test]
fn slowloris_clients_are_cut_off_and_lock_nobody_out() {
    let _one = one_at_a_time();
    let server = short_timeouts();
    // 500 connections, each sending a request head one byte every 2 s, never finishing it.
    let mut slow = Slow::open(server.port, 500, SLOW_HEAD);
    slow.poll(true);
    // While they are all open, an ordinary client gets its page.
    let response = server.get("");
    assert_eq!(response.status, 200);
    slow.poll(false);
    assert_eq!(
        slow.open_count(),
        500,
        "the slow connections were closed before the ordinary request was answered"
    );
    // The header read timeout (for the whole head, however it trickles in; 10 s, here 4 s) closes
    // them all.
    // Without it they would stay open for as long as bytes keep coming (hyper's own default is
    // 30 s): here, 40 s.
    let deadline = Instant::now() + Duration::from_secs(40);
    while slow.open_count() > 0 && Instant::now() < deadline {
        std::thread::sleep(Duration::from_secs(2));
        slow.poll(true);
    }
    assert_eq!(
        slow.open_count(),
        0,
        "slow connections still open after 40 s"
    );
    let latest = slow.latest_close().unwrap();
    eprintln!("500 slowloris connections closed, the last after {latest:?}");
    assert!(
        latest < Duration::from_secs(25),
        "closed only after {latest:?}"
    );
    assert_eq!(server.get("").status, 200);
}

#[test]
fn a_client_that_never_reads_is_cut_off() {
    let _one = one_at_a_time();
    let server = short_timeouts();
    let pid = server.pid();
    let path = server.site_path("");
    let page = server.get("").body.len();
    // That request's connection is closed by now, or in a moment.
    std::thread::sleep(Duration::from_millis(200));
    let before = open_fds(pid);
    // Pipelined requests whose answers (48 MiB) overflow the socket buffers of both sides, so
    // that the server's writes block; then nothing is read.
    let count = (48 << 20) / page + 1;
    let stream = TcpStream::connect(("127.0.0.1", server.port)).unwrap();
    let mut writer = stream.try_clone().unwrap();
    let requests = format!("GET {path} HTTP/1.1\r\nHost: x\r\n\r\n").repeat(count);
    // The server stops reading requests when its answers stop going out: write from a thread.
    std::thread::spawn(move || writer.write_all(requests.as_bytes()));
    // The connection is closed (its descriptor released) once no write has gone through for the
    // write timeout (10 s, here 4 s); without it, it would stay open as long as the client does.
    let accepted = Instant::now() + crate::harness::PATIENCE;
    while open_fds(pid) <= before {
        assert!(Instant::now() < accepted, "the connection was not accepted");
        std::thread::sleep(Duration::from_millis(10));
    }
    let started = Instant::now();
    let deadline = started + Duration::from_secs(40);
    while open_fds(pid) > before && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(200));
    }
    assert!(
        open_fds(pid) <= before,
        "the connection of a client that reads nothing is still open after 40 s"
    );
    // And it was cut off, not answered in full.
    let mut received = Vec::new();
    let mut stream = stream;
    stream
        .set_read_timeout(Some(crate::harness::PATIENCE))
        .unwrap();
    let _ = stream.read_to_end(&mut received);
    let answered = received
        .windows(b"HTTP/1.1 200".len())
        .filter(|window| window == b"HTTP/1.1 200")
        .count();
    eprintln!(
        "{answered} of {count} pipelined requests answered; closed {:?} after being accepted",
        started.elapsed()
    );
    assert!(answered < count);
    assert_eq!(server.get("").status, 200);
}

#[test]
fn out_of_file_descriptors_the_server_waits_and_recovers() {
    let _one = one_at_a_time();
    let mut server = Server::start("basic", &[]);
    let pid = server.pid();
    assert_eq!(server.get("").status, 200);
    // Leave the server 20 descriptors, then open 60 idle connections: accept fails with EMFILE.
    let limit = open_fds(pid) + 20;
    let status = Command::new("prlimit")
        .arg(format!("--pid={pid}"))
        .arg(format!("--nofile={limit}:{limit}"))
        .status()
        .expect("run prlimit (util-linux)");
    assert!(status.success());
    let idle = Slow::open(server.port, 60, b"");
    server.wait_for_stderr("warning: cannot accept connections");
    // It waits rather than retrying in a loop: a spinning accept would burn a whole core.
    let before = cpu_time(pid);
    std::thread::sleep(Duration::from_secs(3));
    let used = cpu_time(pid) - before;
    eprintln!("CPU time used in 3 s without descriptors: {used:?}");
    assert!(used < Duration::from_secs(1), "{used:?} of CPU in 3 s");
    // When connections close, it accepts again and answers as before.
    drop(idle);
    assert_eq!(server.get("").status, 200);
    server.wait_for_stderr("accepting connections again");
    assert!(!server.stderr().contains("panicked"), "{}", server.stderr());
}
