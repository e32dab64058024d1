//! `dossier serve` for the tests: the real binary serving a `Site` on a free port, a raw HTTP/1.1
//! client (raw, so that tests can send paths no ordinary client would), and a reader of the
//! live-reload event stream. Every wait polls with a deadline, so a slow machine makes a test
//! slower, not flaky.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::PathBuf;
use std::process::{Child, ChildStdout, Stdio};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use super::{PATIENCE, Site, dossier};

/// A running `dossier serve` on a copy of a fixture site.
pub struct Server {
    child: Child,
    /// The site served, with room beside it for files outside the site.
    pub site: Site,
    pub port: u16,
    /// `http://127.0.0.1:PORT/blog/`
    pub url: String,
    pub base_path: String,
    stdout: Arc<Mutex<Vec<String>>>,
    stderr: Arc<Mutex<Vec<String>>>,
}

fn collect(stream: impl Read + Send + 'static) -> Arc<Mutex<Vec<String>>> {
    let lines = Arc::new(Mutex::new(Vec::new()));
    let sink = lines.clone();
    std::thread::spawn(move || {
        for line in BufReader::new(stream).lines() {
            let Ok(line) = line else { break };
            sink.lock().unwrap().push(line);
        }
    });
    lines
}

impl Server {
    /// Serves a copy of `tests/fixtures/<fixture>` on a free port with `args`.
    pub fn start(fixture: &str, args: &[&str]) -> Server {
        Server::serve(Site::fixture(fixture), args)
    }

    /// Serves `site` on a free port with `args`.
    pub fn serve(site: Site, args: &[&str]) -> Server {
        Server::serve_with(site, args, &[])
    }

    /// Serves `site` with `args` and environment variables `env` (such as
    /// `DOSSIER_SERVE_TIMEOUT_MS`, which shortens the connection timeouts for the tests of them),
    /// once its first build is done (or failed): the server answers before, but a test that
    /// edits a file at once would race the first build's reading of it.
    pub fn serve_with(site: Site, args: &[&str], env: &[(&str, &str)]) -> Server {
        let mut server = Server::serve_at_once(site, args, env);
        if !args.contains(&"--quiet") {
            server.wait_for_first_build();
        }
        server
    }

    /// Like `serve_with`, as soon as the server says where it is, before its first build is done.
    pub fn serve_at_once(site: Site, args: &[&str], env: &[(&str, &str)]) -> Server {
        let mut command = dossier();
        command.arg("serve").arg("--root").arg(site.root());
        if !args.contains(&"--port") {
            command.args(["--port", "0"]);
        }
        let mut child = command
            .args(args)
            .envs(env.iter().copied())
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start dossier serve");
        let stdout: ChildStdout = child.stdout.take().unwrap();
        let stdout = collect(stdout);
        let stderr = collect(child.stderr.take().unwrap());
        let mut server = Server {
            child,
            site,
            port: 0,
            url: String::new(),
            base_path: String::new(),
            stdout,
            stderr,
        };
        let line = server.wait_for_stdout("Serving the site at ");
        let url = line
            .split("Serving the site at ")
            .nth(1)
            .and_then(|rest| rest.split_whitespace().next())
            .unwrap()
            .to_owned();
        let after_scheme = url.strip_prefix("http://").unwrap();
        let (host, path) = after_scheme.split_at(after_scheme.find('/').unwrap());
        server.port = host.rsplit(':').next().unwrap().parse().unwrap();
        server.base_path = path.to_owned();
        server.url = url;
        server
    }

    /// Waits until the first build is done ("Built ..." on standard output) or has failed ("The
    /// site has N problems" on standard error).
    pub fn wait_for_first_build(&mut self) {
        let deadline = Instant::now() + PATIENCE;
        while !self.stdout().contains("Built ") && !self.stderr().contains("The site has ") {
            if let Ok(Some(status)) = self.child.try_wait() {
                panic!(
                    "dossier serve exited ({status}) during its first build\n{}",
                    self.stderr()
                );
            }
            assert!(
                Instant::now() < deadline,
                "no first build in time\n{}",
                self.stderr()
            );
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    pub fn stdout(&self) -> String {
        self.stdout.lock().unwrap().join("\n")
    }

    pub fn stderr(&self) -> String {
        self.stderr.lock().unwrap().join("\n")
    }

    /// Waits for a line of standard output containing `needle` and returns it.
    pub fn wait_for_stdout(&mut self, needle: &str) -> String {
        self.wait_for(needle, true)
    }

    pub fn wait_for_stderr(&mut self, needle: &str) -> String {
        self.wait_for(needle, false)
    }

    fn wait_for(&mut self, needle: &str, stdout: bool) -> String {
        let deadline = Instant::now() + PATIENCE;
        loop {
            let lines = if stdout { &self.stdout } else { &self.stderr };
            if let Some(line) = lines.lock().unwrap().iter().find(|l| l.contains(needle)) {
                return line.clone();
            }
            if let Ok(Some(status)) = self.child.try_wait() {
                panic!(
                    "dossier serve exited ({status}) before printing {needle:?}\nstdout:\n{}\nstderr:\n{}",
                    self.stdout(),
                    self.stderr()
                );
            }
            assert!(
                Instant::now() < deadline,
                "no {needle:?} in time\nstdout:\n{}\nstderr:\n{}",
                self.stdout(),
                self.stderr()
            );
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    pub fn path(&self, rel: &str) -> PathBuf {
        self.site.path(rel)
    }

    pub fn write(&self, rel: &str, contents: &str) {
        self.site.write(rel, contents);
    }

    pub fn read(&self, rel: &str) -> String {
        self.site.read(rel)
    }

    /// A site URL path (`a/` is `/blog/a/`).
    pub fn site_path(&self, rel: &str) -> String {
        format!("{}{rel}", self.base_path)
    }

    pub fn get(&self, rel: &str) -> Response {
        self.request("GET", &self.site_path(rel))
    }

    pub fn request(&self, method: &str, path: &str) -> Response {
        self.raw(&format!(
            "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nConnection: close\r\n\r\n",
            self.port
        ))
    }

    pub fn raw(&self, request: &str) -> Response {
        http(self.port, request.as_bytes())
    }

    /// Subscribes to the live-reload events.
    pub fn events(&self) -> Events {
        Events::open(self.port, "")
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Sends SIGINT (Ctrl-C) and waits for the exit status.
    pub fn interrupt(&mut self) -> std::process::ExitStatus {
        let status = std::process::Command::new("kill")
            .args(["-INT", &self.child.id().to_string()])
            .status()
            .unwrap();
        assert!(status.success());
        let deadline = Instant::now() + PATIENCE;
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status;
            }
            assert!(Instant::now() < deadline, "dossier serve did not stop");
            std::thread::sleep(Duration::from_millis(10));
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[derive(Debug)]
pub struct Response {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Response {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// Sends one raw request and reads the whole response (the request should ask to close).
pub fn http(port: u16, request: &[u8]) -> Response {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).expect("connect");
    stream.set_read_timeout(Some(PATIENCE)).unwrap();
    stream.write_all(request).unwrap();
    let mut data = Vec::new();
    stream.read_to_end(&mut data).expect("read the response");
    parse_response(&data, request.starts_with(b"HEAD "))
}

pub fn parse_response(data: &[u8], head: bool) -> Response {
    let end = data
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .unwrap_or_else(|| panic!("no header end in {:?}", String::from_utf8_lossy(data)));
    let head_text = String::from_utf8_lossy(&data[..end]).into_owned();
    let mut lines = head_text.split("\r\n");
    let status_line = lines.next().unwrap();
    let status = status_line.split(' ').nth(1).unwrap().parse().unwrap();
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_owned(), v.trim().to_owned()))
        .collect();
    let mut body = data[end + 4..].to_vec();
    let chunked = headers
        .iter()
        .any(|(n, v)| n.eq_ignore_ascii_case("transfer-encoding") && v.contains("chunked"));
    if chunked && !head {
        body = dechunk(&body);
    }
    Response {
        status,
        headers,
        body,
    }
}

fn dechunk(mut data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    loop {
        let Some(line_end) = data.windows(2).position(|w| w == b"\r\n") else {
            return out;
        };
        let size = usize::from_str_radix(
            String::from_utf8_lossy(&data[..line_end])
                .split(';')
                .next()
                .unwrap()
                .trim(),
            16,
        )
        .unwrap_or(0);
        if size == 0 {
            return out;
        }
        let start = line_end + 2;
        out.extend_from_slice(&data[start..(start + size).min(data.len())]);
        data = &data[(start + size + 2).min(data.len())..];
    }
}

/// The live-reload event stream, read on a thread.
pub struct Events {
    received: Receiver<(String, String)>,
}

impl Events {
    pub fn open(port: u16, query: &str) -> Events {
        let mut stream = TcpStream::connect(("127.0.0.1", port)).expect("connect");
        let request = format!(
            "GET /__dossier/events{query} HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n"
        );
        stream.write_all(request.as_bytes()).unwrap();
        let (send, received) = channel();
        std::thread::spawn(move || {
            let mut reader = BufReader::new(stream);
            let mut event = String::new();
            let mut data = String::new();
            let mut line = String::new();
            while reader.read_line(&mut line).is_ok_and(|n| n > 0) {
                let text = line.trim_end_matches(['\r', '\n']);
                // Chunk-size lines of the chunked encoding are not SSE fields; skip them.
                if let Some(rest) = text.strip_prefix("event:") {
                    event = rest.trim().to_owned();
                } else if let Some(rest) = text.strip_prefix("data:") {
                    data.push_str(rest.trim_start());
                } else if text.is_empty()
                    && !event.is_empty()
                    && send
                        .send((std::mem::take(&mut event), std::mem::take(&mut data)))
                        .is_err()
                {
                    break;
                }
                line.clear();
            }
        });
        let events = Events { received };
        // The server greets every connection first: from then on nothing is missed.
        events.next_named("hello");
        events
    }

    /// The next event called `name` (others are skipped), with its data.
    pub fn next_named(&self, name: &str) -> String {
        self.next_matching(name, |_| true)
    }

    /// The next event called `name` whose data satisfies `accept`.
    pub fn next_matching(&self, name: &str, accept: impl Fn(&str) -> bool) -> String {
        let deadline = Instant::now() + PATIENCE;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.received.recv_timeout(left) {
                Ok((event, data)) if event == name && accept(&data) => return data,
                Ok(_) => {}
                Err(RecvTimeoutError::Timeout) => panic!("no {name} event in time"),
                Err(RecvTimeoutError::Disconnected) => panic!("the event stream closed"),
            }
        }
    }

    /// Events received within `wait`, without blocking longer.
    pub fn drain(&self, wait: Duration) -> Vec<(String, String)> {
        let deadline = Instant::now() + wait;
        let mut out = Vec::new();
        while let Ok(event) = self
            .received
            .recv_timeout(deadline.saturating_duration_since(Instant::now()))
        {
            out.push(event);
        }
        out
    }
}

/// A page as served, without what serve mode adds (the live-reload script).
pub fn without_live_reload(html: &str) -> String {
    match (
        html.find("<script id=\"dossier-live-reload\">"),
        html.rfind("</script>"),
    ) {
        (Some(start), Some(end)) if end > start => {
            format!("{}{}", &html[..start], &html[end + "</script>".len()..])
        }
        _ => html.to_owned(),
    }
}
