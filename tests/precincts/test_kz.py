"""kz-precinct-csv: header mapping, regions, parties, contests and the errors naming file and line
(saylau.precincts.kz)."""

from __future__ import annotations

import csv
import io

import pytest

from saylau.precincts import PrecinctImportError, UnknownCaptionError, kz_contests, parse_kz_precinct
from tests.precincts.samples import kz_csv, kz_table


def test_parse_kz_precinct_resolves_regions_and_parties():
    table = parse_kz_precinct(kz_csv(), "kz.csv", "mazhilis")
    assert list(table.wide["unit_id"]) == ["KZ-75/101", "KZ-63/7"]
    assert [o.option_id for o in table.options] == ["amanat", "ak_zhol"]
    assert table.wide["ak_zhol"].isna().tolist() == [False, True]
    with pytest.raises(UnknownCaptionError, match="Партия любителей пива"):
        parse_kz_precinct(
            kz_csv().replace(b"Ak Zhol", "Партия любителей пива".encode()), "kz.csv", "mazhilis"
        )


@pytest.mark.parametrize("delimiter", [";", "\t"])
def test_a_table_saved_with_semicolons_or_tabs_reads_as_with_commas(delimiter):
    """Excel in a Russian or Kazakh locale writes ';' between cells (in the Windows code page)."""
    rows = list(csv.reader(io.StringIO(kz_csv().decode())))
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter).writerows(rows)
    table = parse_kz_precinct(out.getvalue().encode("utf-8"), "kz.csv", "mazhilis")
    assert list(table.wide["unit_id"]) == ["KZ-75/101", "KZ-63/7"]
    assert table.wide["amanat"].tolist() == [500, 400]
    assert table.wide["registered"].tolist() == [1200, 900]


def test_a_quoted_cell_over_two_lines_does_not_shift_later_rows(tmp_path):
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["Облыс", "Учаске №", "registered", "Примечание"])
    writer.writerow(["Алматы қаласы", "1", "1000", "копия\nвыдана"])  # lines 2-3
    writer.writerow(["Алматы қаласы", "2", "1000", ""])  # line 4
    table = parse_kz_precinct(out.getvalue().encode(), "kz.csv", "mazhilis")
    assert table.wide["source_row"].tolist() == [2, 4]


def test_an_unknown_region_is_an_error_naming_the_file_and_line():
    body = kz_table([["Алматы қаласы", "1", "1000"], ["Алматы қаласы", "2", "900"], ["Нарния", "3", "800"]])
    with pytest.raises(PrecinctImportError) as err:
        parse_kz_precinct(body, "kz.csv", "mazhilis")
    message = str(err.value)
    assert "kz.csv" in message and "line 4" in message and "'Нарния'" in message


def test_a_region_that_did_not_exist_on_the_election_day_names_the_file_and_line():
    from datetime import date

    body = kz_table([["Алматы қаласы", "1", "1000"], ["Абай облысы", "3", "800"]])
    with pytest.raises(PrecinctImportError) as err:
        parse_kz_precinct(body, "kz.csv", "mazhilis", on=date(2021, 1, 10))
    message = str(err.value)
    assert "kz.csv" in message and "line 3" in message and "did not exist" in message
    # the same table is read for an election after the 2022 reform
    table = parse_kz_precinct(body, "kz.csv", "mazhilis", on=date(2023, 3, 19))
    assert table.wide["unit_id"].tolist() == ["KZ-75/1", "KZ-10/3"]


def test_a_bad_precinct_number_is_an_error_naming_the_file_and_line():
    body = kz_table([["Алматы қаласы", "1", "1000"], ["Алматы қаласы", "2а", "900"]])
    with pytest.raises(PrecinctImportError) as err:
        parse_kz_precinct(body, "kz.csv", "mazhilis")
    message = str(err.value)
    assert "kz.csv" in message and "line 3" in message and "'2а'" in message


@pytest.mark.parametrize(
    ("extra", "kept"),
    [("registered", "Число избирателей в списке"), ("Нур Отан", "Nur Otan")],
    ids=["line-twice", "party-twice"],
)
def test_two_columns_for_one_line_or_party_refuse_the_table(extra, kept):
    """A line under its Russian and its canonical name, or Nur Otan under two spellings: one column's
    numbers would silently overwrite the other's, so the table is refused naming both columns."""
    header = ["Облыс", "Учаске №", "Число избирателей в списке", "Nur Otan", extra]
    body = kz_table([["Алматы қаласы", "1", "1000", "300", "1100"]], header)
    with pytest.raises(PrecinctImportError) as err:
        parse_kz_precinct(body, "kz.csv", "mazhilis")
    message = str(err.value)
    assert "kz.csv" in message and repr(kept) in message and repr(extra) in message


def test_kz_contests_names_the_contests_of_a_table_with_a_contest_column():
    header = ["contest_id", "Облыс", "Учаске №", "registered"]
    rows = [["Mazhilis", "Алматы қаласы", "1", "1000"], ["maslikhat_city", "Алматы қаласы", "1", "1000"]]
    assert kz_contests(kz_table(rows, header), "kz.csv") == ["maslikhat_city", "mazhilis"]
    assert kz_contests(kz_csv(), "kz.csv") == []  # no contest column: the one contest the import is given
