"""Local number formats, read with certainty or reported."""

from __future__ import annotations

import pytest

from saylau.parse.numbers import UncertainNumber, count_cell, parse_count, parse_percent


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("5 148 074", 5_148_074),
        ("5\u00a0148\u00a0074", 5_148_074),
        ("5\u2009148\u2009074", 5_148_074),
        ("5\u202f148\u202f074", 5_148_074),
        ("11919241", 11_919_241),
        (" 297 718 ", 297_718),
        ("0", 0),
    ],
)
def test_counts(text, value):
    assert parse_count(text) == value


def test_counts_in_words_and_english_commas():
    assert parse_count("6 млн 456 тысяч 393") == 6_456_393
    assert parse_count("7 млн 539 тыс. 280") == 7_539_280
    assert parse_count("7,539,280", lang="en") == 7_539_280
    assert parse_count("297,718", lang="en") == 297_718


@pytest.mark.parametrize("text", ["1.234", "7,539,280", "297,718", "12 34", "5 148 07", "abc", ""])
def test_uncertain_counts_are_reported(text):
    with pytest.raises(UncertainNumber):
        parse_count(text)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("71,09%", 71.09),
        ("10,95 %", 10.95),
        ("63.3%", 63.3),
        ("56,4 пайыз", 56.4),
        ("– 55%", 55.0),
        ("56,4– %", 56.4),
        ("72,8", 72.8),
        ("45,1 процента", 45.1),
    ],
)
def test_percentages(text, value):
    assert parse_percent(text) == value


@pytest.mark.parametrize("text", ["101,5%", "7 539 280", "63,3,1", "n/a"])
def test_uncertain_percentages_are_reported(text):
    with pytest.raises(UncertainNumber):
        parse_percent(text)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("1 234", 1234),
        ("1\u00a0234", 1234),
        ("1\u202f234\u202f567", 1_234_567),
        (" 42 ", 42),
        ("123.0", 123),
        ("1500.00", 1500),
        ("-3", -3),
        ("0", 0),
        (None, None),
        ("", None),
        ("  ", None),
    ],
)
def test_count_cells(text, value):
    assert count_cell(text) == value


@pytest.mark.parametrize("text", ["12o0", "1.5", "1.000", "1,000", "abc", "-", "=1+1"])
def test_count_cell_refuses_what_is_not_a_whole_count(text):
    with pytest.raises(UncertainNumber) as exc:
        count_cell(text)
    assert exc.value.text == text
