#!/usr/bin/env python3
"""Checks that Cargo.toml's rust-version is at least what every dependency declares.

Only one toolchain is installed where CI runs, so the MSRV cannot be built with: this checks the
declared floor instead. The dependencies' own `rust-version` fields (from `cargo metadata`, over
the locked tree) must not exceed dossier's; the language and standard library features dossier
itself uses are checked by clippy's `incompatible_msrv` lint, which reads the same field.
"""

import json
import subprocess
import sys


def version(text):
    return tuple(int(part) for part in text.split("."))


def main():
    metadata = json.loads(
        subprocess.run(
            ["cargo", "metadata", "--format-version", "1", "--locked"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
    )
    in_tree = {node["id"] for node in metadata["resolve"]["nodes"]}
    ours = next(p for p in metadata["packages"] if p["id"] == metadata["resolve"]["root"])
    declared = ours.get("rust_version")
    if not declared:
        sys.exit("Cargo.toml has no rust-version")
    needed = [
        (version(p["rust_version"]), p["name"], p["version"])
        for p in metadata["packages"]
        if p["id"] in in_tree and p["id"] != ours["id"] and p.get("rust_version")
    ]
    floor, name, release = max(needed)
    floor_text = ".".join(map(str, floor))
    if version(declared) < floor:
        sys.exit(
            f"rust-version {declared} is below what {name} {release} needs ({floor_text}): "
            f"raise it in Cargo.toml"
        )
    print(f"rust-version {declared}: dependencies need at most {floor_text} ({name} {release})")


if __name__ == "__main__":
    main()
