"""izbirkom-csv: caption mapping, party columns and parsing (saylau.precincts.izbirkom)."""

from __future__ import annotations

import io
import zipfile

import pytest

from saylau.precincts import (
    UnknownCaptionError,
    izbirkom_line,
    izbirkom_party,
    parse_izbirkom,
)
from tests.precincts.samples import CAPTIONS_2011, CAPTIONS_2016, TABLE, izbirkom_csv


def test_both_years_wordings_map_to_canonical_lines():
    for caption, line in {**CAPTIONS_2011, **CAPTIONS_2016}.items():
        assert izbirkom_line(caption) == line, caption
    # "включенных" (later years) and "внесенных" are the same line; quotes and case do not matter
    assert izbirkom_line("Число избирателей, включенных в список избирателей") == "registered"
    assert izbirkom_line("число  недействительных избирательных бюллетеней") == "invalid"


def test_unknown_caption_is_an_error_naming_it():
    with pytest.raises(UnknownCaptionError, match="Число бюллетеней, съеденных комиссией") as err:
        izbirkom_line("Число бюллетеней, съеденных комиссией", "x.csv")
    assert err.value.caption == "Число бюллетеней, съеденных комиссией"
    body = izbirkom_csv(TABLE).replace("Число погашенных".encode(), "Число сожжённых".encode())
    with pytest.raises(UnknownCaptionError, match="Число сожжённых избирательных бюллетеней"):
        parse_izbirkom(body, "table.csv")


def test_party_captions_with_nested_quotes_and_renamed_forms():
    yabloko = izbirkom_party(
        '5. Политическая партия "Российская объединенная демократическая партия "ЯБЛОКО"'
    )
    assert (yabloko.option_id, yabloko.position) == ("yabloko", 5)
    ldpr_2011 = izbirkom_party('2. Политическая партия "Либерально-демократическая партия России"')
    ldpr_2016 = izbirkom_party("7. Политическая партия ЛДПР - Либерально-демократическая партия России")
    assert ldpr_2011.option_id == ldpr_2016.option_id == "ldpr"
    ur = izbirkom_party('6. Всероссийская политическая партия "ЕДИНАЯ РОССИЯ"')
    assert (ur.option_id, ur.name_en) == ("edinaya_rossiya", "United Russia")
    unknown = izbirkom_party('9. Политическая партия "Партия Любителей Пива"')
    assert unknown.option_id == "partiya_lyubiteley_piva"
    assert izbirkom_party("Число действительных избирательных бюллетеней") is None


def test_parse_izbirkom_zip_gives_wide_rows_with_derived_totals():
    csv_bytes = izbirkom_csv(TABLE)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("2011.csv", csv_bytes)
    table = parse_izbirkom(buf.getvalue(), "t.csv.zip")
    wide = table.wide
    assert list(wide["unit_id"]) == ["RU-gorod_moskva/1/1", "RU-gorod_moskva/1/2", "RU-respublika_tyva/3/7"]
    assert [o.option_id for o in table.options] == ["yabloko", "edinaya_rossiya", "ldpr"]
    assert list(wide["ballots_issued"]) == [600, 750, 790]  # early + station + outside
    assert list(wide["ballots_in_boxes"]) == [600, 750, 790]  # portable + stationary
    assert list(wide["edinaya_rossiya"]) == [300, 600, 770]
    assert list(wide["source_row"]) == [2, 3, 4]
    assert set(table.commissions["level"]) == {"tec", "pec"}


def test_parse_keeps_empty_cells_missing_not_zero():
    body = izbirkom_csv(TABLE).decode().splitlines()
    cells = body[2].split(",")
    cells[3] = ""  # registered of the second precinct
    body[2] = ",".join(cells)
    wide = parse_izbirkom("\n".join(body).encode(), "t.csv").wide
    assert wide["registered"].isna().tolist() == [False, True, False]


def test_rows_are_named_by_their_csv_line_after_a_blank_line(tmp_path):
    """A blank line between rows (a pasted block, an export with a section break) shifts every later row:
    the quarantine must name the line a person finds in the file."""
    lines = izbirkom_csv(TABLE).decode().splitlines()
    body = "\n".join([lines[0], lines[1], "", lines[2], lines[3]]).encode()
    table = parse_izbirkom(body, "t.csv")
    # header = line 1, precinct 1 on line 2, the blank line 3, precinct 2 on line 4, precinct 3 on line 5
    assert table.wide["source_row"].tolist() == [2, 4, 5]
