"""One official leader share per contest, its denominator in the header (issue 18 item 1): the key figures
give the leader's share of the valid ballots, computed here from the precinct table the fixture imports."""

from __future__ import annotations

import csv
import io
import re

import numpy as np

from tests.report.pages import sections_of
from tests.test_report_data import PARTIES, precinct_csv


def _from_the_inputs() -> tuple[float, float]:
    """(leader's share of the valid ballots, of the ballots cast) of the small fixture's Mazhilis table,
    re-generated from its seed and added up here."""
    rows = list(csv.DictReader(io.StringIO(precinct_csv(np.random.default_rng(7)).decode())))
    votes = {p: sum(int(r[p]) for r in rows) for p in PARTIES}
    leader = max(votes, key=lambda p: (votes[p], p))
    valid = sum(int(r["valid"]) for r in rows)
    cast = valid + sum(int(r["invalid"]) for r in rows)
    return round(100 * votes[leader] / valid, 2), round(100 * votes[leader] / cast, 2)


def _text(cell: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", cell).split())


def _cells(html: str) -> list[list[str]]:
    """The rows of a section's first table as text cells (header row first)."""
    table = re.search(r"<table.*?</table>", html, flags=re.S).group(0)
    rows = re.findall(r"<tr.*?</tr>", table, flags=re.S)
    return [[_text(c) for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, flags=re.S)] for row in rows]


def test_key_figures_give_the_leaders_share_of_valid_ballots(small_report):
    _, page = small_report
    of_valid, of_cast = _from_the_inputs()
    assert of_valid != of_cast  # the fixture has invalid ballots: the two denominators differ
    key = sections_of(page)["key-figures"]
    header, *rows = _cells(key)
    column = header.index("leader % of valid ballots, official")
    (mazhilis,) = [r for r in rows if r[0].startswith("Mazhilis")]
    assert mazhilis[column] == f"{of_valid:.2f}"
    assert "leader % of ballots cast, official" not in header  # one official leader share per contest
    card = key[: key.index("<table")]
    assert f"{of_valid:.2f}%</p><p>of valid ballots:" in card
    assert f"{of_cast:.2f}" not in key  # nowhere in the key figures is the other denominator's share


def test_other_shares_of_the_leader_say_what_they_are(small_report):
    _, page = small_report
    forensics = sections_of(page)["forensics"]
    assert "leader % of ballots cast" in forensics and "leader % official" not in forensics
    assert "mean leader share" not in forensics  # an unweighted mean over precincts: not in the report
    threshold = sections_of(page)["threshold"]
    assert "share % of valid ballots, official" in threshold
