"""Reading a built report back: its sections, and whether a mart has rows for the election."""

from __future__ import annotations

import re
from pathlib import Path

import duckdb

from tests.test_report_data import ELECTION


def sections_of(page: str) -> dict[str, str]:
    """Section id -> its HTML."""
    found = re.findall(r"<section id='([a-z-]+)' data-section='\1'>(.*?)</section>", page, flags=re.S)
    return dict(found)


def has_rows(db: Path, qualified: str) -> bool:
    con = duckdb.connect(str(db), read_only=True)
    try:
        schema, name = qualified.split(".")
        exists = con.execute(
            "select count(*) from information_schema.tables where table_schema = ? and table_name = ?",
            [schema, name],
        ).fetchone()[0]
        return bool(exists) and bool(
            con.execute(f"select count(*) from {qualified} where election_id = ?", [ELECTION]).fetchone()[0]
        )
    finally:
        con.close()
