"""docs/forensics.md documents the caption mapping, the party ids and every forensics mart the code has."""

from __future__ import annotations

import re

from saylau.config import PROJECT_ROOT, SQL_DIR
from saylau.precincts import IZBIRKOM_WORDING, KNOWN_PARTIES

DOC = (PROJECT_ROOT / "docs" / "forensics.md").read_text(encoding="utf-8")


def test_every_caption_wording_is_documented_under_its_line():
    rows = {m.group(1): m.group(2) for m in re.finditer(r"^\| `(\w+)` \| (.+) \|$", DOC, re.M)}
    for line, wordings in IZBIRKOM_WORDING.items():
        assert line in rows, f"line {line} missing from docs/forensics.md"
        assert rows[line].split("<br>") == wordings, line


def test_every_known_party_id_is_documented():
    for name, (option_id, name_en, _) in KNOWN_PARTIES.items():
        assert f"| {name} | `{option_id}` | {name_en} |" in DOC


def test_every_forensics_mart_is_documented():
    for path in sorted((SQL_DIR / "30_marts").glob("forensics_*.sql")):
        for mart in re.findall(r"create or replace table (marts\.\w+)", path.read_text(encoding="utf-8")):
            assert f"`{mart}`" in DOC, mart
