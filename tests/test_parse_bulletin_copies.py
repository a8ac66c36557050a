"""Turnout bulletins as real copies word them (shared reference ``cec_wording.md``), scored figure by figure.

The texts under ``tests/samples/bulletins/`` are written for these tests in the shapes the wording reference
lists (one long sentence, one line per region with or without bullets, number-first English, news framing
around: headlines, datelines, bylines, time stamps, lead sentences, headings, tags), for the 2021, 2022,
2023 and 2024 elections in Russian, Kazakh and English, with the traps real copies carry (typos, a name as
close to two regions, a region given twice with two values, a dateline city, a heading, a national figure
given twice). ``expected.json`` is what each text states: every certain figure must be read exactly, every
uncertain one set aside with its reason, and nothing else read (no figure guessed).
"""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path

import pytest

from saylau.parse.cec_page import ElectionContext, parse_page
from saylau.parse.classify import PageKind
from saylau.reference import default_resolver

SAMPLES = Path(__file__).resolve().parent / "samples" / "bulletins"
EXPECTED = json.loads((SAMPLES / "expected.json").read_text(encoding="utf-8"))
LANG = {"ru": "rus", "kk": "kaz", "en": "eng"}
RULES = {
    "unknown_name",
    "ambiguous_name",
    "region_not_on_date",
    "named_twice_different",
    "no_number",
    "figures_not_paired",
}


def parse(name: str):
    day = date.fromisoformat(EXPECTED[name]["election_id"][3:])
    regions = frozenset(c for c, r in default_resolver().regions.items() if r.exists_on(day))
    ctx = ElectionContext(EXPECTED[name]["election_id"], day, regions, ())
    url = f"https://www.election.gov.kz/{LANG[name[:2]]}/news/releases/index.php?ID=9{len(name)}"
    return parse_page(url, "5a" * 32, (SAMPLES / name).read_bytes(), "text/html; charset=utf-8", ctx)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_every_certain_figure_is_read_and_every_uncertain_one_set_aside(name):
    want = EXPECTED[name]
    page = parse(name)
    assert page.kind == PageKind.TURNOUT
    as_of = datetime.fromisoformat(want["as_of"])
    assert {when for _, when, _ in page.turnout} == {as_of}
    figures = {code: pct for code, _, pct in page.turnout}
    assert figures.pop("KZ", None) == want["national"]
    assert figures == want["regions"]  # exactly: nothing missing, nothing read that the text does not state
    aside = [(a.subject, a.reason) for a in page.set_aside]
    assert len(aside) == len(want["set_aside"])
    for (subject, reason), (want_subject, want_reason) in zip(aside, want["set_aside"], strict=True):
        assert subject == want_subject and reason.startswith(want_reason)
    for a in page.set_aside:
        assert a.kind == "turnout" and a.as_of == as_of and a.text.strip() and a.line == "turnout_pct"
        assert a.rule in RULES and a.level in ("national", "region")
        assert a.subject == "national" or a.subject in a.text  # the text around it names what it is of


def test_the_texts_score_every_figure_right_and_guess_none():
    read = quarantined = 0
    for name, want in EXPECTED.items():
        page = parse(name)
        stated = dict(want["regions"], **({"KZ": want["national"]} if want["national"] is not None else {}))
        got = {code: pct for code, _, pct in page.turnout}
        assert got == stated, name
        read += len(got)
        quarantined += len(page.set_aside)
    assert (len(EXPECTED), read, quarantined) == (
        11,
        206,
        13,
    )  # 196 regions and 10 national figures read; 13 set aside


@pytest.mark.parametrize(
    ("name", "absent"),
    [
        ("ru_2021_1000_one_sentence.html", "Нур-Султан in the dateline and tags, the headline's 11,6%"),
        ("en_2022_1605_mixed_lines.html", "Astana's 31.2% in the headline is not read twice"),
    ],
)
def test_framing_gives_no_figure(name, absent):
    page = parse(name)
    assert page.set_aside == [], absent
