"""Decoding follows the declared charset (issue 22 item 5): one invalid byte in a UTF-8 page is replaced
and reported, never a reason to read the page as Windows-1251 and call it unrelated."""

from __future__ import annotations

import pytest

from saylau.parse.classify import classify_page
from saylau.parse.page import read_page
from saylau.parse.text import decode, decode_page
from tests.test_hostile_pages import URL, page

TITLE = "Предварительные итоги выборов депутатов Мажилиса"
TABLE = (
    "<table><tr><th>Партия</th><th>Голоса</th><th>%</th></tr>"
    "<tr><td>Nur Otan</td><td>100</td><td>50</td></tr><tr><td>Ак жол</td><td>100</td><td>50</td></tr></table>"
)


def _one_bad_byte(body: bytes) -> bytes:
    at = body.index("Партия".encode()) + 2  # between two letters of the header
    return body[:at] + b"\xff" + body[at:]


@pytest.mark.parametrize("content_type", ["text/html; charset=utf-8", "text/html", None])
def test_a_utf8_results_page_with_one_invalid_byte_stays_a_results_page(content_type):
    clean = page(TITLE, TABLE)
    body = _one_bad_byte(clean)
    good, bad = read_page(URL, clean, content_type), read_page(URL, body, content_type)
    assert bad.title == good.title and TITLE in bad.text
    assert bad.encoding == "utf-8 (1 invalid byte replaced)" and good.encoding == "utf-8"
    assert bad.tables[0][0][0] == "П\ufffdартия" and bad.tables[1:] == good.tables[1:]
    assert classify_page(bad.title, bad.text, URL) == classify_page(good.title, good.text, URL)


def test_the_declared_charset_is_followed_header_first_then_meta():
    cp1251 = "<html><head><meta charset='windows-1251'></head><body>Итоги выборов</body></html>".encode(
        "cp1251"
    )
    assert decode_page(cp1251) == (cp1251.decode("cp1251"), "windows-1251")
    assert decode_page(cp1251, "windows-1251")[1] == "windows-1251"
    undefined = cp1251 + b"\x98"  # a byte Windows-1251 leaves undefined
    decoded = decode(undefined, "windows-1251")
    assert decoded.encoding == "windows-1251" and decoded.replaced == 1 and "Итоги выборов" in decoded.text
    # no charset stated and none reads it whole: the one with fewer bad bytes (Windows-1251 here)
    assert decode("Итоги выборов".encode("cp1251") + b"\x98").text.startswith("Итоги выборов")
