"""The content-addressed archive of everything read: each body stored once, compressed, by its sha256.

Nothing stored is ever overwritten (the same bytes map to the same path, and a write goes to a temporary
name then is renamed into place), so any run can be replayed offline from the archive alone.
Layout: ``<archive_dir>/<sha[:2]>/<sha>.gz``.
"""

from __future__ import annotations

import gzip
import hashlib
import os
import tempfile
from pathlib import Path


class ArchiveError(RuntimeError):
    """An archived body is missing or does not match its sha256."""


def sha256_of(body: bytes) -> str:
    return hashlib.sha256(body).hexdigest()


def write_gzip_once(target: Path, body: bytes) -> None:
    """Write ``body`` gzip-compressed to ``target`` unless it exists: to a temporary name in the same folder,
    fsynced, then renamed into place, so a reader (or a crash) meets the whole file or none."""
    if target.exists():
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as gz:
            gz.write(body)
            gz.flush()
            raw.flush()
            os.fsync(raw.fileno())
        os.replace(tmp, target)
    finally:
        Path(tmp).unlink(missing_ok=True)


class Archive:
    """A folder of gzip-compressed bodies addressed by the sha256 of their uncompressed bytes."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    def path_of(self, sha256: str) -> Path:
        return self.root / sha256[:2] / f"{sha256}.gz"

    def __contains__(self, sha256: str) -> bool:
        return self.path_of(sha256).exists()

    def put(self, body: bytes) -> str:
        """Store a body (once) and return its sha256."""
        digest = sha256_of(body)
        write_gzip_once(self.path_of(digest), body)
        return digest

    def put_file(self, path: Path) -> tuple[str, int]:
        """Store a file's bytes; returns (sha256, size in bytes)."""
        body = Path(path).read_bytes()
        return self.put(body), len(body)

    def get(self, sha256: str) -> bytes:
        """The body stored under a sha256; verified against it."""
        path = self.path_of(sha256)
        try:
            body = gzip.decompress(path.read_bytes())
        except FileNotFoundError as exc:
            raise ArchiveError(f"archive has no body {sha256} (expected at {path})") from exc
        if sha256_of(body) != sha256:
            raise ArchiveError(f"archived body at {path} does not match its sha256 {sha256}")
        return body
