#!/usr/bin/env python3
"""Measures `dossier serve` on a site (run by bench/serve.sh): the time from starting it to the
first page served (the home page, then a brief page asked for next) and to the end of its first
build (its "Built" line); the time from saving a brief (the write closed) to the live-reload event
and to the changed page served, for 20 edits to 20 different briefs, with the median; the server's
CPU time; and a full `dossier build` of the same site (BENCH_NO_BUILD=1 leaves it out).
BENCH_COLD=1 removes the site's citation cache (.dossier-cache/) before starting the server.
BENCH_FIRST=brief asks for the brief page first and the home page next.
Each edit appends a sentence to the brief's body (the common case of editing text); with
BENCH_EDIT=summary it edits the first paragraph instead, which listings show. BENCH_PAUSE sets the
seconds between edits (0.5 by default; 1.5 saves each while the search index is being made).
The briefs are restored afterwards.
Usage: serve_probe.py DOSSIER SITE_DIR [--attach PORT] (--attach: only the edits, on a running server)"""
import glob
import os
import queue
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time

EDITS = 20


def fetch(port, path):
    with socket.create_connection(("127.0.0.1", port), timeout=600) as sock:
        sock.sendall(f"GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".encode())
        data = b""
        while chunk := sock.recv(65536):
            data += chunk
    return int(data.split(b" ", 2)[1]), data


def get(port, path):
    return fetch(port, path)[0]


def cpu_seconds(pid):
    """User + system CPU seconds of a running process, from /proc."""
    fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def read_events(port, events):
    sock = socket.create_connection(("127.0.0.1", port))
    sock.sendall(b"GET /__dossier/events HTTP/1.1\r\nHost: x\r\n\r\n")
    name = None
    for raw in sock.makefile("rb"):
        now = time.perf_counter()
        line = raw.decode(errors="replace").rstrip("\r\n")
        if line.startswith("event:"):
            name = line[6:].strip()
        elif line.startswith("data:") and name:
            events.put((now, name, line[5:].strip()))
            name = None


def main():
    binary, site = sys.argv[1], os.path.abspath(sys.argv[2])
    if len(sys.argv) > 3:  # --attach PORT: measure edits on a server already running, nothing else
        edits(int(sys.argv[4]), site, [])
        return
    if os.environ.get("BENCH_COLD") == "1":
        shutil.rmtree(os.path.join(site, ".dossier-cache"), ignore_errors=True)
    print(f"load average before: {open('/proc/loadavg').read().split()[:3]}")
    started = time.perf_counter()
    server = subprocess.Popen([binary, "serve", "--root", site, "--port", "0"],
                              stdout=subprocess.PIPE, text=True)
    lines = []
    url = None
    for line in server.stdout:
        lines.append(line.rstrip())
        if "Serving the site at " in line:
            url = line.split("Serving the site at ")[1].split()[0]
            break
    if url is None:
        sys.exit("dossier serve stopped:\n" + "\n".join(lines))
    threading.Thread(target=lambda: [lines.append(l.rstrip()) for l in server.stdout],
                     daemon=True).start()
    hostport, path = url[len("http://"):].split("/", 1)
    port = int(hostport.rsplit(":", 1)[1])
    briefs = sorted(glob.glob(os.path.join(site, "briefs", "**", "*.md"), recursive=True))
    brief_url = "/" + path + slug_of(briefs[len(briefs) // 2]) + "/"
    brief_first = os.environ.get("BENCH_FIRST") == "brief"
    for url in [brief_url, "/" + path] if brief_first else ["/" + path, brief_url]:
        status = get(port, url)
        assert status == 200, (url, status)
        if url == brief_url:
            brief_page = time.perf_counter() - started
        else:
            first_page = time.perf_counter() - started
    first_cpu = cpu_seconds(server.pid)
    while not any(l.startswith("Built ") for l in lines):
        time.sleep(0.01)
    first_build = time.perf_counter() - started
    build_cpu = cpu_seconds(server.pid)
    print(f"site: {site} ({len(briefs)} briefs), citation cache "
          + ("removed" if os.environ.get("BENCH_COLD") == "1" else "as it was"))
    if brief_first:
        print(f"start to a brief page served ({brief_url}): {brief_page * 1000:.0f} ms; then the "
              f"home page: {first_page * 1000:.0f} ms (server CPU so far {first_cpu:.2f} s)")
    else:
        print(f"start to home page served: {first_page * 1000:.0f} ms; then a brief page "
              f"({brief_url}): {brief_page * 1000:.0f} ms (server CPU so far {first_cpu:.2f} s)")
    print(f"start to first build done: {first_build * 1000:.0f} ms (server CPU {build_cpu:.2f} s)")

    try:
        latencies, _ = edits(port, site, lines, path)
    finally:
        server.send_signal(signal.SIGINT)
        server.wait(timeout=60)
    print(f"load average after: {open('/proc/loadavg').read().split()[:3]}")

    if os.environ.get("BENCH_NO_BUILD") != "1":
        with tempfile.TemporaryDirectory() as out:
            began = time.perf_counter()
            subprocess.run([binary, "build", "--quiet", "--root", site, "--output",
                            os.path.join(out, "public")], check=True)
            build = time.perf_counter() - began
        print(f"full build (dossier build): {build * 1000:.0f} ms"
              f" = {build * 1000 / statistics.median(latencies):.0f}x the median edit")
    rebuilds = [l for l in lines if ": " in l and " rendered, " in l]
    print("server's own report of the last rebuilds:")
    for line in rebuilds[-3:]:
        print("  " + line)


def edited(text, i):
    """The brief with a sentence added: at the end of its body, or with BENCH_EDIT=summary at the
    start of its first paragraph, which is its summary in listings (so those re-render too)."""
    if os.environ.get("BENCH_EDIT") != "summary":
        return text.rstrip("\n") + f" This sentence is edit {i}.\n"
    fence = text.split("\n", 1)[0]
    close = text.index("\n" + fence + "\n", len(fence)) + len(fence) + 2
    body = text[close:]
    start = close + len(body) - len(body.lstrip())
    return text[:start] + f"Edit {i}: " + text[start:]


def slug_of(brief):
    """A generated brief's slug: its file name (gen-corpus writes no `slug` field)."""
    return os.path.splitext(os.path.basename(brief))[0]


def edits(port, site, lines, base=None):
    """Edits 20 briefs one after the other and reports the save-to-reload times and, with `base`
    (the site's base path without its leading slash), the save-to-changed-page-served times."""
    events = queue.Queue()
    threading.Thread(target=read_events, args=(port, events), daemon=True).start()
    while events.get(timeout=60)[1] != "hello":
        pass
    briefs = sorted(glob.glob(os.path.join(site, "briefs", "**", "*.md"), recursive=True))
    picks = [briefs[i * len(briefs) // EDITS] for i in range(EDITS)]
    originals = {p: open(p, encoding="utf-8").read() for p in picks}
    latencies = []
    served = []
    try:
        for i, brief in enumerate(picks):
            # Let the previous rebuild and its page loads settle; BENCH_PAUSE=1.5 (seconds) saves
            # each edit while the search index is being made (it starts after 1 s without edits).
            time.sleep(float(os.environ.get("BENCH_PAUSE", "0.5")))
            while not events.empty():
                events.get()
            text = edited(originals[brief], i)
            saved = time.perf_counter()
            with open(brief, "w", encoding="utf-8") as f:
                f.write(text)
            saved = time.perf_counter()
            while True:
                at, name, _ = events.get(timeout=600)
                if name == "reload":
                    break
                if name == "overlay" and "null" not in _:
                    sys.exit("the edit made the site fail:\n" + "\n".join(lines[-5:]))
            latencies.append((at - saved) * 1000)
            if base is not None:
                url = "/" + base + slug_of(brief) + "/"
                marker = f"edit {i}.".encode() if os.environ.get("BENCH_EDIT") != "summary" \
                    else f"Edit {i}: ".encode()
                while marker not in fetch(port, url)[1]:
                    time.sleep(0.001)
                served.append((time.perf_counter() - saved) * 1000)
    finally:
        for brief, text in originals.items():
            with open(brief, "w", encoding="utf-8") as f:
                f.write(text)
        time.sleep(1)
    print("save to reload event, each edit (ms): " + ", ".join(f"{x:.0f}" for x in latencies))
    print(f"save to reload event, median of {EDITS}: {statistics.median(latencies):.1f} ms"
          f" (min {min(latencies):.1f}, max {max(latencies):.1f})")
    if served:
        print(f"save to changed page served, median of {EDITS}: {statistics.median(served):.1f} ms"
              f" (min {min(served):.1f}, max {max(served):.1f})")
    return latencies, briefs


if __name__ == "__main__":
    main()
