"""docs/forensics.md documents the caption reader (every concept and line rule), the party ids, the column
map's worked example and every forensics mart the code has."""

from __future__ import annotations

import re

from saylau.config import PROJECT_ROOT, SQL_DIR
from saylau.precincts import CONCEPTS, KNOWN_PARTIES, LINE_RULES

DOC = (PROJECT_ROOT / "docs" / "forensics.md").read_text(encoding="utf-8")


def test_every_concept_is_documented_with_its_stems():
    for c in CONCEPTS.values():
        stems = ", ".join([f"`{x}`" for x in c.stems] + [f"the word `{w}`" for w in c.words])
        assert f"| {c.name} | {stems} | {', '.join(f'`{u}`' for u in c.unless)} |" in DOC, c.name


def test_every_line_rule_is_documented():
    for r in LINE_RULES:
        alternatives = " or ".join(" + ".join(sorted(a)) for a in r.alternatives)
        assert f"| `{r.line}` | {alternatives} | {', '.join(sorted(r.unless))} |" in DOC, r.line


def test_the_column_map_example_is_the_one_documented():
    assert (PROJECT_ROOT / "docs" / "templates" / "precinct_columns_example.csv").exists()
    assert "--columns docs/templates/precinct_columns_example.csv" in DOC


def test_every_known_party_id_is_documented():
    for name, (option_id, name_en, _) in KNOWN_PARTIES.items():
        assert f"| {name} | `{option_id}` | {name_en} |" in DOC


def test_every_forensics_mart_is_documented():
    for path in sorted((SQL_DIR / "30_marts").glob("forensics_*.sql")):
        for mart in re.findall(r"create or replace table (marts\.\w+)", path.read_text(encoding="utf-8")):
            assert f"`{mart}`" in DOC, mart
