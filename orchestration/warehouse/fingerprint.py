"""What a refresh reads, as one digest: raw/ files, steward overrides, limits, and the project itself.

A refresh whose inputs have the digest of the last publish has nothing new to do. Each publication
holds the digest of what it was built from (publication.py).
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable
from pathlib import Path

from ..paths import REPO_ROOT, published_db_path, raw_dir
from ..paths import expectations_dir

# Project files whose change changes what a refresh publishes.
PROJECT_GLOBS = ("orchestration/**/*.py", "dbt_project/dbt_project.yml", "dbt_project/models/**/*",
                 "dbt_project/macros/**/*", "dbt_project/seeds/**/*", "dbt_project/tests/**/*",
                 "expectations/*.json")
LIMIT_VARIABLES = ("ZHIJIAO_MAX_PAGES", "ZHIJIAO_MAX_FILE_MB", "ZHIJIAO_PARSE_TIMEOUT_S",
                   "ZHIJIAO_PARSE_MEMORY_MB", "ZHIJIAO_MAX_QUARANTINE_SHARE")
# Metadata key under which report_files records the digest of the inputs its run read.
INPUTS_METADATA_KEY = "inputs_fingerprint"


def project_files_digest(patterns: Iterable[str]) -> str:
    """Digest of the repository files matching the glob patterns: their paths and contents."""
    digest = hashlib.sha256()
    for pattern in patterns:
        for path in sorted(p for p in REPO_ROOT.glob(pattern) if p.is_file() and "__pycache__" not in p.parts):
            digest.update(str(path.relative_to(REPO_ROOT)).encode() + path.read_bytes())
    return digest.hexdigest()


def raw_fingerprint() -> str:
    """Names, sizes and modification times of raw/: cheap, and changes whenever a file does."""
    digest = hashlib.sha256()
    root = raw_dir()
    digest.update(str(root).encode())
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        stat = path.stat()
        digest.update(f"{path.relative_to(root)}|{stat.st_size}|{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()


def inputs_fingerprint() -> str:
    from .overrides import overrides_path  # here, not above: parse workers import this module, not pandas

    digest = hashlib.sha256(raw_fingerprint().encode())
    overrides = overrides_path()
    digest.update(overrides.read_bytes() if overrides.exists() else b"no overrides")
    digest.update("|".join(os.environ.get(v, "") for v in LIMIT_VARIABLES).encode())
    digest.update(project_files_digest(PROJECT_GLOBS).encode())
    suites = expectations_dir()  # a steward's stricter copy, when ZHIJIAO_EXPECTATIONS_DIR names one
    for path in sorted(suites.glob("*.json")):
        digest.update(path.name.encode() + path.read_bytes())
    return digest.hexdigest()


def published_is_current(fingerprint: str) -> bool:
    """True when the live publication is whole and was built from these inputs."""
    from .publication import published_inputs  # here, not above: parse workers import this module

    return published_inputs() == fingerprint


def published_file_hashes(published: Path | None = None) -> dict[str, str] | None:
    """File name → sha256 of every file the published warehouse was built from; None before the first publish."""
    published = published or published_db_path()
    if not published.exists():
        return None
    import duckdb

    with duckdb.connect(str(published), read_only=True) as con:
        return dict(con.execute("select source_file, sha256 from documents").fetchall())


def raw_file_hashes(known: dict[str, list] | None = None) -> dict[str, list]:
    """File name → [size:mtime, sha256] for raw/ as the inventory sees it; a file whose size and
    modification time are those in `known` is not read again (the sensor ticks every minute)."""
    known = known or {}
    listing = {}
    for path in sorted(p for p in raw_dir().rglob("*") if p.is_file() and not p.name.startswith(".")):
        stat = path.stat()
        key = f"{stat.st_size}:{stat.st_mtime_ns}"
        previous = known.get(path.name)
        if previous and previous[0] == key:
            listing[path.name] = previous
            continue
        with open(path, "rb") as handle:
            listing[path.name] = [key, hashlib.file_digest(handle, "sha256").hexdigest()]
    return listing


def files_changed_since_publish(listing: dict[str, list], published: dict[str, str] | None) -> list[str]:
    """Names of files added, changed or removed since the last publish (every file before the first)."""
    published = published or {}
    changed = {name for name, (_, sha) in listing.items() if published.get(name) != sha}
    return sorted(changed | (published.keys() - listing.keys()))
