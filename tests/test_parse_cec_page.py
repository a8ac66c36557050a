"""saylau.parse.cec_page: whole CEC-shaped pages parsed into kinds and rows, and layout drift failing loudly."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from saylau.parse.cec_page import ElectionContext, PageParseError, parse_page
from saylau.parse.classify import PageKind

REGIONS_2021 = frozenset(
    [
        "KZ-11",
        "KZ-15",
        "KZ-19",
        "KZ-23",
        "KZ-27",
        "KZ-31",
        "KZ-35",
        "KZ-39",
        "KZ-43",
        "KZ-47",
        "KZ-55",
        "KZ-59",
        "KZ-61",
        "KZ-63",
        "KZ-71",
        "KZ-75",
        "KZ-79",
    ]
)
CTX = ElectionContext(
    "kz-2021-01-10", date(2021, 1, 10), REGIONS_2021, ("adal", "ak_zhol", "amanat", "auyl", "qhp")
)
URL = "http://127.0.0.1:8000/rus/news/releases/index.php?ID=9001"


def html(title, body, extra=""):
    return (
        f"<html><head><meta charset='utf-8'><title>ЦИК РК</title></head><body><nav><a href='/rus/'>Главная</a>"
        f"</nav><article><h1>{title}</h1><time datetime='2021-01-10'>10.01.2021</time>{body}{extra}</article>"
        "<footer>г. Нур-Султан, ул. Бейбитшилик</footer></body></html>"
    ).encode()


def test_turnout_bulletin_page_gives_national_and_regional_rows_at_local_time():
    rows = "".join(
        f"<tr><td>{name}</td><td>{pct}</td></tr>"
        for name, pct in [
            ("Акмолинская область", "10,2"),
            ("Актюбинская область", "9,9"),
            ("Алматинская область", "11,3"),
            ("Атырауская область", "10,3"),
            ("ВКО", "12,1"),
            ("Жамбылская область", "12,8"),
            ("ЗКО", "17,7"),
            ("Карагандинская область", "10,4"),
            ("Костанайская область", "11,2"),
            ("Кызылординская область", "10,3"),
            ("Мангистауская область", "8,7"),
            ("Павлодарская область", "14,0"),
            ("СКО", "14,9"),
            ("Туркестанская область", "13,3"),
            ("г. Нур-Султан", "10,8"),
            ("г. Алматы", "9,7"),
            ("г. Шымкент", "14,4"),
        ]
    )
    body = html(
        "О явке избирателей на 10:00",
        "<p>На 10:00 бюллетени получили 11,6% от общего количества избирателей, включенных в списки.</p>",
        f"<table><tr><th>Регион</th><th>Явка, %</th></tr>{rows}</table>",
    )
    parsed = parse_page(URL, "ab" * 32, body, "text/html; charset=utf-8", CTX)
    assert parsed.kind == PageKind.TURNOUT and parsed.problems == []
    figures = {code: pct for code, _, pct in parsed.turnout}
    assert figures["KZ"] == 11.6 and figures["KZ-27"] == 17.7 and len(figures) == 18
    assert {as_of for _, as_of, _ in parsed.turnout} == {datetime(2021, 1, 10, 10, 0)}


def test_a_region_that_did_not_exist_is_set_aside_and_the_others_load():
    body = html(
        "О явке избирателей на 12:00",
        "<p>На 12:00: по Акмолинской области – 26,6%, по области Абай – 30,1%.</p>",
    )
    parsed = parse_page(URL, "ab" * 32, body, None, CTX)
    assert [(code, pct) for code, _, pct in parsed.turnout] == [("KZ-11", 26.6)]
    (aside,) = parsed.set_aside
    assert aside.kind == "turnout" and aside.subject == "области Абай" and "30,1" in aside.text
    assert "KZ-10" in aside.reason and "did not exist on 2021-01-10" in aside.reason
    assert aside.as_of == datetime(2021, 1, 10, 12, 0)


def test_a_bulletin_with_nothing_certain_fails_naming_why():
    body = html("О явке избирателей на 12:00", "<p>На 12:00: по области Абай – 30,1%.</p>")
    with pytest.raises(PageParseError, match=r"ID=9001 \(sha256 abab.*nothing that can be read.*KZ-10"):
        parse_page(URL, "ab" * 32, body, None, CTX)


FINAL = (
    "<p>В списки избирателей включено 11 919 241 человек. Бюллетени получили 7 539 280 избирателей. "
    "Недействительными признаны 297 718 бюллетеней.</p><p>«Nur Otan» – 5 148 074 голосов (71,09%); «Ак жол» – "
    "792 828 (10,95%); НПК – 659 019 (9,10%); «Ауыл» – 383 023 (5,29%); «Adal» – 258 618 (3,57%).</p>"
)


def test_final_results_page_stages_lines_votes_and_shares():
    parsed = parse_page(
        URL, "cd" * 32, html("Окончательные итоги выборов депутатов Мажилиса", FINAL), None, CTX
    )
    assert parsed.kind == PageKind.FINAL
    by = {(r["line"], r["option_id"]): (r["value"], r["share_pct"]) for r in parsed.results}
    assert by[("registered", None)] == (11_919_241, None)
    assert by[("votes", "amanat")] == (5_148_074, None) and by[("share", "amanat")] == (None, 71.09)
    assert {r["status"] for r in parsed.results} == {"final"}
    assert {r["as_of"] for r in parsed.results} == {datetime(2021, 1, 10)}  # the page's <time>


def test_final_results_missing_a_party_load_the_others_and_say_which_is_missing():
    """Line by line: a page without one party's line still gives the lines it states."""
    text = FINAL.replace("«Adal» – 258 618 (3,57%).", "")
    parsed = parse_page(
        URL, "cd" * 32, html("Окончательные итоги выборов депутатов Мажилиса", text), None, CTX
    )
    votes = {r["option_id"] for r in parsed.results if r["line"] == "votes"}
    assert votes == {"ak_zhol", "amanat", "auyl", "qhp"}
    assert parsed.problems == ["no national line for adal"] and parsed.set_aside == []


def test_a_results_page_with_nothing_readable_fails_naming_why():
    text = "<p>«Nur Otan» – 5.148 голосов.</p>"
    with pytest.raises(PageParseError, match=r"states no line .*5\.148"):
        parse_page(URL, "cd" * 32, html("Окончательные итоги выборов депутатов Мажилиса", text), None, CTX)


def test_results_table_with_renamed_column_is_layout_drift():
    table = (
        "<table><tr><th>Регион</th><th>Nur Otan</th><th>Партия X</th></tr>"
        "<tr><td>ЗКО</td><td>1</td><td>2</td></tr></table>"
    )
    with pytest.raises(PageParseError, match="Партия X"):
        parse_page(URL, "ef" * 32, html("Окончательные итоги выборов", FINAL, table), None, CTX)


def test_unrelated_page_is_classified_and_not_parsed():
    parsed = parse_page(
        URL, "00" * 32, html("О семинаре для членов комиссий", "<p>Семинар прошёл.</p>"), None, CTX
    )
    assert parsed.kind == PageKind.UNRELATED and parsed.turnout == [] and parsed.results == []


def test_a_release_worded_like_a_protocol_is_not_parsed_as_one():
    """Protocols and decisions are told by their URL; a CEC release only by its wording, never as a document."""
    body = html("Протокол участковой избирательной комиссии", "<p>Опубликован протокол участка.</p>")
    parsed = parse_page(URL, "00" * 32, body, None, CTX)
    assert parsed.kind == PageKind.PROTOCOL and parsed.results == []


def test_a_commission_document_is_of_the_kind_its_url_says():
    url = "http://127.0.0.1:8000/rus/territorial/75/protocols/index.php?PEC=12"
    with pytest.raises(PageParseError, match="precinct_protocol page has no protocol table"):
        parse_page(url, "00" * 32, html("О семинаре", "<p>Семинар прошёл.</p>"), None, CTX)
