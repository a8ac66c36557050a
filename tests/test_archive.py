"""The content-addressed archive."""

from __future__ import annotations

import pytest

from saylau.archive import Archive, ArchiveError, sha256_of


def test_body_is_stored_once_and_read_back(tmp_path):
    archive = Archive(tmp_path)
    body = "Явка на 10:00 составила 11,6%".encode()
    digest = archive.put(body)
    stored = archive.path_of(digest)
    mtime = stored.stat().st_mtime_ns
    assert archive.put(body) == digest == sha256_of(body)
    assert stored.stat().st_mtime_ns == mtime  # not rewritten
    assert archive.get(digest) == body
    assert digest in archive and len(list(tmp_path.rglob("*.gz"))) == 1


def test_corrupted_or_missing_body_is_an_error(tmp_path):
    archive = Archive(tmp_path)
    digest = archive.put(b"original")
    archive.path_of(digest).write_bytes(__import__("gzip").compress(b"tampered"))
    with pytest.raises(ArchiveError, match="does not match"):
        archive.get(digest)
    with pytest.raises(ArchiveError, match="has no body"):
        archive.get("0" * 64)
