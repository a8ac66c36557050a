"""Captions read by meaning (saylau.precincts.captions): every year's wording of a protocol line, in
elections and referendums, abbreviated or reordered, reads as that line; what reads as two lines, as no
line, or as one line twice is refused naming it.

The wordings of years other than 2011 and 2016 are written here from the protocol forms of those votes
(no table of those years is at hand); they are the drift a reader of izbirkom's copies meets: "внесенных"
and "включенных", "избирателей" and "участников голосования", "избирательных бюллетеней" and
"бюллетеней", "содержащихся", "в день голосования", "до дня голосования", absentee lines or none.
"""

from __future__ import annotations

import pytest

from saylau.precincts import (
    LINE_RULES,
    PrecinctImportError,
    UnknownCaptionError,
    caption_lines,
    parse_izbirkom,
)
from saylau.precincts.captions import caption_words, is_person_name
from saylau.protocol import LINES
from tests.precincts.samples import CAPTIONS_2011, CAPTIONS_2016, year_table

ISSUE_EXAMPLES = {
    "Число избирателей, внесенных в список": "registered",
    "Число избирателей, включенных в списки избирателей": "registered",
    "Число бюллетеней в стационарных ящиках для голосования": "ballots_in_stationary",
}

DUMA_2003_2007 = {
    "Число избирателей, внесенных в список избирателей": "registered",
    "Число избирательных бюллетеней, полученных участковой избирательной комиссией": "ballots_received",
    "Число избирательных бюллетеней, выданных избирателям, проголосовавшим досрочно": "ballots_issued_early",
    "Число избирательных бюллетеней, выданных избирателям в помещении для голосования в день голосования": "ballots_issued_station",
    "Число избирательных бюллетеней, выданных избирателям вне помещения для голосования в день голосования": "ballots_issued_outside",
    "Число погашенных избирательных бюллетеней": "ballots_cancelled",
    "Число избирательных бюллетеней, содержащихся в переносных ящиках для голосования": "ballots_in_portable",
    "Число избирательных бюллетеней, содержащихся в стационарных ящиках для голосования": "ballots_in_stationary",
    "Число недействительных избирательных бюллетеней": "invalid",
    "Число действительных избирательных бюллетеней": "valid",
    "Число открепительных удостоверений, полученных участковой избирательной комиссией": "absentee_received",
    "Число открепительных удостоверений, выданных избирателям на избирательном участке до дня голосования": "absentee_issued",
    "Число избирателей, проголосовавших по открепительным удостоверениям на избирательном участке": "absentee_voted",
    "Число погашенных на избирательном участке открепительных удостоверений": "absentee_cancelled",
    "Число открепительных удостоверений, выданных избирателям территориальной избирательной комиссией": "absentee_issued_by_tec",
    "Число утраченных открепительных удостоверений": "absentee_lost",
    "Число утраченных избирательных бюллетеней": "ballots_lost",
    "Число избирательных бюллетеней, не учтенных при получении": "ballots_unaccounted",
}

PRESIDENT_2004_2012 = {
    "Число избирателей, включенных в список избирателей": "registered",
    "Число избирательных бюллетеней, полученных участковой комиссией": "ballots_received",
    "Число избирательных бюллетеней, выданных досрочно": "ballots_issued_early",
    "Число избирательных бюллетеней, выданных в помещении для голосования": "ballots_issued_station",
    "Число избирательных бюллетеней, выданных вне помещения для голосования": "ballots_issued_outside",
    "Число открепительных удостоверений, выданных на избирательном участке": "absentee_issued",
    "Число неиспользованных погашенных открепительных удостоверений": "absentee_cancelled",
}

PRESIDENT_2018_2024 = {
    "Число избирателей, включенных в список избирателей на момент окончания голосования": "registered",
    "Число избирательных бюллетеней, выданных избирателям, проголосовавшим досрочно в помещении участковой комиссии": "ballots_issued_early",
    "Число избирательных бюллетеней, выданных в помещении для голосования в день голосования": "ballots_issued_station",
    "Число избирательных бюллетеней, выданных вне помещения для голосования в день голосования": "ballots_issued_outside",
    "Число избирательных бюллетеней, содержащихся в переносных ящиках для голосования": "ballots_in_portable",
    "Число избирательных бюллетеней, содержащихся в стационарных ящиках для голосования": "ballots_in_stationary",
    "Число недействительных избирательных бюллетеней": "invalid",
    "Число действительных избирательных бюллетеней": "valid",
}

VOTE_2020 = {
    "Число участников голосования, включенных в список участников голосования на момент окончания голосования": "registered",
    "Число бюллетеней, полученных участковой избирательной комиссией": "ballots_received",
    "Число бюллетеней, выданных участникам голосования, проголосовавшим до дня голосования": "ballots_issued_early",
    "Число бюллетеней, выданных участникам голосования в помещении для голосования в день голосования": "ballots_issued_station",
    "Число бюллетеней, выданных участникам голосования вне помещения для голосования в день голосования": "ballots_issued_outside",
    "Число погашенных бюллетеней": "ballots_cancelled",
    "Число бюллетеней, содержащихся в переносных ящиках для голосования": "ballots_in_portable",
    "Число бюллетеней, содержащихся в стационарных ящиках для голосования": "ballots_in_stationary",
    "Число недействительных бюллетеней": "invalid",
    "Число действительных бюллетеней": "valid",
    "Число утраченных бюллетеней": "ballots_lost",
    "Число бюллетеней, не учтенных при получении": "ballots_unaccounted",
}

REFERENDUM = {
    "Число участников референдума, внесенных в список участников референдума": "registered",
    "Число бюллетеней для голосования на референдуме, полученных участковой комиссией референдума": "ballots_received",
    "Число бюллетеней для голосования на референдуме, выданных участникам референдума в помещении для голосования": "ballots_issued_station",
    "Число недействительных бюллетеней для голосования на референдуме": "invalid",
    "Число действительных бюллетеней для голосования на референдуме": "valid",
}

ABBREVIATED_AND_REORDERED = {
    "Число изб. бюл., полученных УИК": "ballots_received",
    "Бюл. выданные досрочно": "ballots_issued_early",
    "ЧИСЛО НЕДЕЙСТВИТЕЛЬНЫХ БЮЛЛЕТЕНЕЙ": "invalid",
    "бюллетени недействительные (число)": "invalid",
    "Кол-во ОУ, выданных ТИК": "absentee_issued_by_tec",
    "Число погаш. бюл.": "ballots_cancelled",
    "Бюллетени в переносном ящике": "ballots_in_portable",
    "Избиратели, включённые в список": "registered",
    "Число избирателей, получивших бюллетени": "ballots_issued",
    "Число избирателей, принявших участие в голосовании": "ballots_issued",
    "Число бюллетеней в ящиках для голосования": "ballots_in_boxes",
    "Voters on the list": "registered",
    "Ballots issued outside the polling station": "ballots_issued_outside",
    "Invalid ballots": "invalid",
    "ballots_issued_early": "ballots_issued_early",
}

WORDINGS = {
    "2011": CAPTIONS_2011,
    "2016": CAPTIONS_2016,
    "issue": ISSUE_EXAMPLES,
    "duma-2003-2007": DUMA_2003_2007,
    "president-2004-2012": PRESIDENT_2004_2012,
    "president-2018-2024": PRESIDENT_2018_2024,
    "vote-2020": VOTE_2020,
    "referendum": REFERENDUM,
    "abbreviated": ABBREVIATED_AND_REORDERED,
}


@pytest.mark.parametrize("wording", list(WORDINGS))
def test_every_wording_reads_as_its_line(wording):
    for caption, line in WORDINGS[wording].items():
        assert caption_lines(caption) == [line], caption


def test_one_rule_per_line_and_words_fold():
    assert [r.line for r in LINE_RULES] == list(LINES)
    assert caption_words("Число бюл., не учтённых при получении") == [
        "число",
        "бюл",
        "неучтенных",
        "при",
        "получении",
    ]
    assert caption_words("Кол-во ОУ") == ["число", "во", "открепительных", "удостоверений"]


def test_a_caption_that_reads_as_two_lines_is_refused_naming_both():
    assert caption_lines("Число действительных и недействительных бюллетеней") == ["invalid", "valid"]
    captions = {
        **dict(list(CAPTIONS_2011.items())[:10]),
        "Число действительных и недействительных бюллетеней": "valid",
    }
    del captions["Число действительных избирательных бюллетеней"]
    with pytest.raises(PrecinctImportError, match="reads as two protocol lines, 'invalid' and 'valid'"):
        parse_izbirkom(year_table(captions, ["1. А", "2. Б", "3. В"]), "t.csv")


def test_two_captions_that_read_as_one_line_are_refused_naming_both():
    captions = dict(list(CAPTIONS_2011.items())[:10])
    captions["Число избирателей, включенных в списки"] = "registered"
    with pytest.raises(PrecinctImportError) as err:
        parse_izbirkom(year_table(captions, ["1. А", "2. Б", "3. В"]), "t.csv")
    message = str(err.value)
    assert "'Число избирателей, внесенных в список избирателей'" in message
    assert "'Число избирателей, включенных в списки'" in message and "'registered'" in message


def test_a_count_column_that_reads_as_nothing_is_refused_naming_it():
    captions = dict(list(CAPTIONS_2011.items())[:10])
    body = year_table(
        captions, ["1. А", "2. Б", "3. В"], extra={"Число съеденных бюлетней комиссией": ["1", "2", "3"]}
    )
    body = body.replace("бюлетней".encode(), "протоколов".encode())
    with pytest.raises(UnknownCaptionError, match="'Число съеденных протоколов комиссией' holds counts"):
        parse_izbirkom(body, "t.csv")


def test_text_columns_are_kept_or_ignored_and_said_which():
    captions = dict(list(CAPTIONS_2011.items())[:10])
    extra = {
        "name": ["УИК №1", "УИК №2", "УИК №7"],
        "level": ["УИК", "уик", "УИК"],
        "url": ["http://a/1", "http://a/2", "http://a/3"],
        "election": ["Выборы депутатов"] * 3,
        "Примечание": ["", "перерасчёт", ""],
    }
    table = parse_izbirkom(year_table(captions, ["1. А", "2. Б", "3. В"], extra=extra), "t.csv")
    assert set(table.kept) == {"name"} and "ref.commissions.name" in table.kept["name"]
    assert set(table.ignored) == {"level", "url", "election", "Примечание"}
    assert "every row checked to be a precinct" in table.ignored["level"]
    assert "reads as no protocol line" in table.ignored["Примечание"]
    pecs = table.commissions[table.commissions["level"] == "pec"]
    assert pecs["name"].tolist() == ["УИК №1", "УИК №2", "УИК №7"]


def test_a_level_column_naming_an_aggregate_row_is_refused_naming_the_line():
    captions = dict(list(CAPTIONS_2011.items())[:10])
    extra = {"level": ["УИК", "ТИК", "УИК"]}
    with pytest.raises(
        PrecinctImportError, match=r"t\.csv line 3: column 'level' says 'ТИК', not a precinct"
    ):
        parse_izbirkom(year_table(captions, ["1. А", "2. Б", "3. В"], extra=extra), "t.csv")


def test_person_names():
    assert is_person_name("Путин Владимир Владимирович") and is_person_name("СОБЧАК КСЕНИЯ АНАТОЛЬЕВНА")
    assert is_person_name("Жириновский В.В.")
    assert not is_person_name("Единая Россия") and not is_person_name("Против всех кандидатов")
