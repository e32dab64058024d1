#!/usr/bin/env python3
"""The file-system floor of a build: how long this machine takes to write, overwrite, compare,
hard-link and delete a site's output, whatever generates it.

    bench/fs-floor.py SITE_OUTPUT [--scratch DIR] [--runs N]

SITE_OUTPUT is an output folder that a build wrote (e.g. dossier's at 10,000 briefs). Its files are
read into memory once; then each strategy is timed on a copy in the scratch folder (default: beside
SITE_OUTPUT), with `sync` before each measurement so that one does not pay for another's writeback:

  fresh       mkdir every folder and create + write every file in an empty folder (a staging build)
  delete      remove such a tree (what deleting the previous output costs)
  overwrite   open every existing file with O_TRUNC and write it again (a build in place)
  compare     read every existing file and compare it with the new bytes, writing none (the no-op
              rebuild of a build that skips unchanged files)
  link        hard-link every file of the old tree into a new staging tree (a staging build that
              reuses unchanged files instead of writing them)
  rename      rename a tree aside (the swap itself)

Wall times are medians of --runs (default 3). Python's own overhead is a few microseconds per
file, small against the system calls measured.
"""

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time


def load(root):
    files = []
    for folder, _dirs, names in os.walk(root):
        for name in names:
            path = os.path.join(folder, name)
            with open(path, "rb") as f:
                files.append((os.path.relpath(path, root), f.read()))
    files.sort()
    return files


def sync():
    subprocess.run(["sync"], check=True)


def write_tree(dest, files, made=None):
    made = set() if made is None else made
    for rel, data in files:
        parent = os.path.dirname(rel)
        if parent not in made:
            os.makedirs(os.path.join(dest, parent), exist_ok=True)
            made.add(parent)
        with open(os.path.join(dest, rel), "wb") as f:
            f.write(data)


def overwrite_tree(dest, files):
    for rel, data in files:
        fd = os.open(os.path.join(dest, rel), os.O_WRONLY | os.O_TRUNC)
        try:
            os.write(fd, data)
        finally:
            os.close(fd)


def compare_tree(dest, files):
    changed = 0
    for rel, data in files:
        with open(os.path.join(dest, rel), "rb") as f:
            if f.read() != data:
                changed += 1
    return changed


def link_tree(src, dest, files):
    made = set()
    for rel, _data in files:
        parent = os.path.dirname(rel)
        if parent not in made:
            os.makedirs(os.path.join(dest, parent), exist_ok=True)
            made.add(parent)
        os.link(os.path.join(src, rel), os.path.join(dest, rel))


def timed(action):
    sync()
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("output")
    parser.add_argument("--scratch")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    source = os.path.abspath(args.output)
    scratch = os.path.abspath(args.scratch or os.path.dirname(source))
    os.makedirs(scratch, exist_ok=True)
    a = os.path.join(scratch, ".fs-floor-a")
    b = os.path.join(scratch, ".fs-floor-b")
    for path in (a, b):
        shutil.rmtree(path, ignore_errors=True)

    files = load(source)
    size = sum(len(d) for _, d in files)
    folders = len({os.path.dirname(rel) for rel, _ in files})
    print(f"{len(files)} files in {folders} folders, {size / 1e6:.0f} MB, from {source}")

    times = {k: [] for k in ("fresh", "delete", "overwrite", "compare", "link", "rename")}
    for _ in range(args.runs):
        times["fresh"].append(timed(lambda: write_tree(a, files)))
        times["overwrite"].append(timed(lambda: overwrite_tree(a, files)))
        times["compare"].append(timed(lambda: compare_tree(a, files)))
        times["link"].append(timed(lambda: link_tree(a, b, files)))
        times["rename"].append(timed(lambda: os.rename(b, b + "-old")))
        shutil.rmtree(b + "-old")
        times["delete"].append(timed(lambda: shutil.rmtree(a)))
    print(f"{'strategy':<10} {'median s':>9} {'min s':>7} {'max s':>7}   per file")
    for name, values in times.items():
        median = statistics.median(values)
        print(
            f"{name:<10} {median:9.3f} {min(values):7.3f} {max(values):7.3f}"
            f"   {median / len(files) * 1e6:6.0f} us"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
