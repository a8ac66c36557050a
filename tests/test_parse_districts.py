"""District results pages (issue 21): certain figures read, doubtful ones set aside with their rule."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from saylau.parse.cec_page import ElectionContext, parse_page
from saylau.parse.classify import PageKind

SAMPLES = Path(__file__).parent / "samples" / "districts"
CTX = ElectionContext("kz-2023-03-19", date(2023, 3, 19), frozenset({"KZ-15"}), (), "mazhilis")


def _parse(name: str):
    url = f"http://127.0.0.1/{'rus' if 'rus' in name else 'kaz'}/news/releases/index.php?ID=9001"
    return parse_page(url, "0" * 64, (SAMPLES / name).read_bytes(), "text/html; charset=utf-8", CTX)


def _figures(parsed) -> dict:
    return {(r["unit_id"], r["line"], r["option_id"]): r["value"] for r in parsed.results}


def test_russian_page_reads_names_in_any_order_and_sets_doubtful_figures_aside():
    parsed = _parse("mazhilis_smd_rus.html")
    assert parsed.kind == PageKind.DISTRICTS
    assert _figures(parsed) == {
        ("MZ-03", "registered", None): 21345,
        ("MZ-03", "ballots_issued", None): 10234,
        ("MZ-03", "votes", "mz03_1"): 4123,
        ("MZ-03", "votes", "mz03_2"): 3020,
        ("MZ-03", "votes", "mz03_3"): 1910,
        ("MZ-03", "votes", "against_all"): 310,
    }
    assert {r["contest_id"] for r in parsed.results} == {"mazhilis_smd"}
    rules = {(a.rule, a.option_id) for a in parsed.set_aside}
    assert ("uncertain_number", "mz03_4") in rules  # "4.321"
    assert ("unknown_candidate", None) in rules  # Иванов stands nowhere in MZ-03


def test_kazakh_page_whose_winner_contradicts_the_votes_keeps_the_rest():
    parsed = _parse("mazhilis_smd_kaz.html")
    assert parsed.kind == PageKind.DISTRICTS
    got = _figures(parsed)
    assert got[("MZ-03", "registered", None)] == 21345
    assert got[("MZ-03", "ballots_issued", None)] == 10234
    assert got[("MZ-03", "votes", "against_all")] == 310
    assert ("MZ-03", "votes", "mz03_1") not in got and ("MZ-03", "votes", "mz03_2") not in got
    assert {a.option_id for a in parsed.set_aside if a.rule == "winner_contradicts_votes"} == {
        "mz03_1",
        "mz03_2",
    }
