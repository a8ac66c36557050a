"""The parser over the CEC double's committed sample pages: one of each kind, three languages, faults."""

from __future__ import annotations

import csv
import json
from datetime import date
from pathlib import Path

import pytest

from saylau.parse.cec_page import ElectionContext, parse_page
from saylau.parse.classify import PageKind
from saylau.reference import REFERENCE_DATA_DIR, default_resolver

SAMPLES = Path(__file__).resolve().parent / "demo" / "samples"
INDEX = json.loads((SAMPLES / "index.json").read_text(encoding="utf-8"))
BALLOT = ("adal", "ak_zhol", "amanat", "auyl", "qhp")
CTX = ElectionContext(
    "kz-2021-01-10",
    date(2021, 1, 10),
    frozenset(c for c, r in default_resolver().regions.items() if r.in_2021),
    BALLOT,
    "mazhilis",
    (("maslikhat_city", BALLOT), ("maslikhat_regional", BALLOT), ("mazhilis", BALLOT)),
)
with (REFERENCE_DATA_DIR / "official_totals.csv").open(encoding="utf-8") as f:
    OFFICIAL = {
        (r["item"], r["option_id"] or None): int(r["value"])
        for r in csv.DictReader(f)
        if r["election_id"] == "kz-2021-01-10" and r["contest_id"] == "mazhilis"
    }
with (REFERENCE_DATA_DIR / "regions.csv").open(encoding="utf-8") as f:
    REGIONS_2021 = {r["code"] for r in csv.DictReader(f) if r["in_2021"] == "true"}


def parse(name):
    meta = INDEX[name]
    return parse_page(
        "http://127.0.0.1" + meta["url"], "0" * 64, (SAMPLES / name).read_bytes(), meta["content_type"], CTX
    )


@pytest.mark.parametrize("name", [n for n in INDEX if n.startswith("turnout_")])
def test_every_turnout_bulletin_gives_every_region(name):
    page = parse(name)
    regions = {code for code, _, _ in page.turnout}
    assert page.kind == PageKind.TURNOUT and regions == REGIONS_2021 | {"KZ"}
    hours = {as_of.hour for _, as_of, _ in page.turnout}
    assert hours == {int(name.split("_")[1][:2])}


def test_the_corrected_bulletin_differs_only_where_it_was_corrected():
    first = {c: p for c, _, p in parse("turnout_2000_rus_first_version.html").turnout}
    final = {c: p for c, _, p in parse("turnout_2000_rus_cp1251_no_charset.html").turnout}
    assert {c for c in first if first[c] != final[c]} == {"KZ-27"}


@pytest.mark.parametrize("name", ["final_rus.html", "final_kaz.html", "final_eng.html"])
def test_final_results_give_the_official_national_figures(name):
    page = parse(name)
    national = {
        (r["line"], r["option_id"]): r["value"]
        for r in page.results
        if r["level"] == "national" and r["value"] is not None
    }
    assert page.kind == PageKind.FINAL
    assert {k: v for k, v in OFFICIAL.items() if k[0] != "precincts"} == national
    regions = {r["unit_id"] for r in page.results if r["level"] == "region"}
    assert regions == REGIONS_2021


def test_a_table_with_reordered_and_renamed_columns_reads_the_same():
    def regional(name):
        return sorted(
            (r["unit_id"], r["line"], r["option_id"], r["value"], r["share_pct"])
            for r in parse(name).results
            if r["level"] == "region"
        )

    assert regional("final_rus_changed_layout.html") == regional("final_rus.html")


@pytest.mark.parametrize("name", ["preliminary_rus.html", "preliminary_kaz.html", "preliminary_eng.html"])
def test_preliminary_results_give_shares(name):
    page = parse(name)
    shares = {
        r["option_id"]: r["share_pct"]
        for r in page.results
        if r["line"] == "share" and r["level"] == "national"
    }
    assert page.kind == PageKind.PRELIMINARY and set(shares) == set(BALLOT)
    assert 99.5 <= sum(shares.values()) <= 100.5


def test_precinct_protocol_gives_each_contest_on_its_table():
    page = parse("protocol_75_7_rus.html")
    contests = {r["contest_id"] for r in page.results}
    assert page.kind == PageKind.PROTOCOL and contests == {"mazhilis", "maslikhat_city"}
    mazhilis = {
        (r["line"], r["option_id"]): r["value"] for r in page.results if r["contest_id"] == "mazhilis"
    }
    assert mazhilis[("registered", None)] == 3380 and {r["unit_id"] for r in page.results} == {"KZ-75/7"}
    votes = sum(v for (line, _), v in mazhilis.items() if line == "votes")
    assert votes == mazhilis[("valid", None)]


@pytest.mark.parametrize(
    ("name", "unit", "contest"),
    [
        ("decision_75_3_rus.html", "KZ-75/T3", "maslikhat_city"),
        ("decision_35_1_kaz.html", "KZ-35", "maslikhat_regional"),
    ],
)
def test_territorial_decisions_give_commission_results(name, unit, contest):
    page = parse(name)
    assert {r["unit_id"] for r in page.results} == {unit} and {r["contest_id"] for r in page.results} == {
        contest
    }
    lines = {r["line"] for r in page.results}
    assert {"registered", "ballots_issued", "votes"} <= lines


@pytest.mark.parametrize(
    "name", ["resolution_rus.html", "maslikhat_links_eng.html", "releases_listing_rus.html"]
)
def test_pages_without_figures_stage_nothing(name):
    page = parse(name)
    assert page.turnout == [] and page.results == []
