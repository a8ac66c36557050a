"""The templates observer organisations fill in: a CSV and an XLSX per export kind (``docs/templates``),
and one of the district form (copies of single-member district protocols, from 2023).

Each holds a header row and one example row; the XLSX has a second sheet explaining each column with its
Kazakh, Russian and English headers (from the mapping file).
"""

from __future__ import annotations

import csv
from datetime import datetime
from pathlib import Path

import pandas as pd

from saylau.config import REFERENCE_DATA_DIR
from saylau.observers.columns import MAPPING_FILE

TEMPLATE_DIR = REFERENCE_DATA_DIR.parent.parent / "docs" / "templates"

# kind -> (canonical column, header written in the template, example value); Russian headers, as most
# observers' platforms export them (Kazakh and English headers are accepted too: docs/observers.md).
TEMPLATE_COLUMNS: dict[str, list[tuple[str, str, str]]] = {
    "protocol": [
        ("organisation", "Организация", "Әділ сайлау"),
        ("region", "Регион", "г. Алматы"),
        ("precinct", "№ участка", "123"),
        ("contest", "Бюллетень", "Мажилис"),
        ("registered", "Число избирателей в списке", "1500"),
        ("ballots_received", "Получено бюллетеней", "1550"),
        ("ballots_issued", "Выдано бюллетеней", "901"),
        ("ballots_cancelled", "Погашено бюллетеней", "649"),
        ("ballots_in_boxes", "Бюллетеней в ящиках", "901"),
        ("invalid", "Недействительные бюллетени", "11"),
        ("valid", "Действительные бюллетени", "890"),
        ("amanat", "Nur Otan", "500"),
        ("ak_zhol", "Ак жол", "150"),
        ("qhp", "Народная партия Казахстана", "100"),
        ("auyl", "Ауыл", "80"),
        ("adal", "Adal", "60"),
        ("photo_ref", "Фото протокола", "IMG_0123.jpg"),
        ("notes", "Примечание", "копию протокола выдали в 22:40"),
        ("observer_name", "ФИО наблюдателя", "Иванова Асель"),
        ("observer_phone", "Телефон", "+7 700 000 00 00"),
        ("observer_email", "Эл. почта", "observer@example.org"),
    ],
    # the district form: a district column and one column per candidate, headed by the name as written
    # (the example is the demo's made-up East Kazakhstan regional maslikhat district No 3)
    "protocol_district": [
        ("organisation", "Организация", "Әділ сайлау"),
        ("region", "Регион", "Восточно-Казахстанская область"),
        ("precinct", "№ участка", "31"),
        ("contest", "Бюллетень", "Маслихат области (одномандатный округ)"),
        ("district", "Округ", "№ 3"),
        ("registered", "Число избирателей в списке", "700"),
        ("ballots_received", "Получено бюллетеней", "720"),
        ("ballots_issued", "Выдано бюллетеней", "330"),
        ("ballots_cancelled", "Погашено бюллетеней", "390"),
        ("ballots_in_boxes", "Бюллетеней в ящиках", "330"),
        ("invalid", "Недействительные бюллетени", "7"),
        ("valid", "Действительные бюллетени", "323"),
        ("candidate", "Сулбатаев Даурен Ержанович", "140"),
        ("candidate", "Корапбекова Гульнар", "143"),
        ("candidate", "Жашикжанова Айжан", "32"),
        ("against_all", "Против всех", "8"),
        ("photo_ref", "Фото протокола", "IMG_0124.jpg"),
        ("notes", "Примечание", "копию протокола выдали в 22:10"),
        ("observer_name", "ФИО наблюдателя", "Иванова Асель"),
        ("observer_phone", "Телефон", "+7 700 000 00 00"),
    ],
    "turnout": [
        ("organisation", "Организация", "Әділ сайлау"),
        ("region", "Регион", "г. Алматы"),
        ("precinct", "№ участка", "123"),
        ("time", "Время", "12:00"),
        ("registered", "Число избирателей в списке", "1500"),
        ("voters_counted", "Проголосовало (подсчёт наблюдателя)", "412"),
        ("observer_name", "ФИО наблюдателя", "Иванова Асель"),
        ("observer_phone", "Телефон", "+7 700 000 00 00"),
    ],
    "violation": [
        ("organisation", "Организация", "Әділ сайлау"),
        ("region", "Регион", "г. Алматы"),
        ("precinct", "№ участка", "123"),
        ("time", "Время", "15:20"),
        ("kind", "Вид нарушения", "copy_refused"),
        ("description", "Описание", "председатель отказался выдать копию протокола"),
        ("photo_ref", "Фото/видео", "VID_0456.mp4"),
        ("observer_name", "ФИО наблюдателя", "Иванова Асель"),
        ("observer_phone", "Телефон", "+7 700 000 00 00"),
    ],
}
TEMPLATE_NAMES = {
    "protocol": "observer_protocols_template",
    "protocol_district": "observer_district_protocols_template",
    "turnout": "observer_turnout_template",
    "violation": "observer_violations_template",
}
# a template's file kind in the mapping file (the district form is a protocol file)
FILE_KIND_OF = {"protocol_district": "protocol"}


def template_rows(kind: str) -> list[list[str]]:
    """The template of one export kind: a header row and one example row."""
    columns = TEMPLATE_COLUMNS[kind]
    return [[header for _, header, _ in columns], [example for _, _, example in columns]]


def write_templates(folder: Path = TEMPLATE_DIR) -> list[Path]:
    """Write the CSV and XLSX templates (header + example row) of every export kind; returns the files.

    The XLSX has a second sheet explaining each column in Kazakh, Russian and English headers.
    """
    import openpyxl

    folder.mkdir(parents=True, exist_ok=True)
    written = []
    mapping = pd.read_csv(MAPPING_FILE, dtype=str, keep_default_na=False)
    for kind, name in TEMPLATE_NAMES.items():
        rows = template_rows(kind)
        csv_path = folder / f"{name}.csv"
        with csv_path.open("w", encoding="utf-8", newline="") as f:
            csv.writer(f, lineterminator="\n").writerows(rows)
        book = openpyxl.Workbook()
        sheet = book.active
        sheet.title = "data"
        for row in rows:
            sheet.append([_template_cell(v) for v in row])
        guide = book.create_sheet("columns")
        guide.append(["column", "kk", "ru", "en", "what to write"])
        file_kind = FILE_KIND_OF.get(kind, kind)
        for canonical, _, _ in dict.fromkeys((c, "", "") for c, _, _ in TEMPLATE_COLUMNS[kind]):
            names = mapping[(mapping["file_kind"] == file_kind) & (mapping["canonical"] == canonical)]
            by_lang = {
                lang: " | ".join(names.loc[names["lang"] == lang, "header"]) for lang in ("kk", "ru", "en")
            }
            guide.append(
                [canonical, by_lang["kk"], by_lang["ru"], by_lang["en"], COLUMN_HELP.get(canonical, "")]
            )
        book.properties.created = book.properties.modified = datetime(2021, 1, 10)
        xlsx_path = folder / f"{name}.xlsx"
        book.save(xlsx_path)
        written += [csv_path, xlsx_path]
    return written


def _template_cell(value: str) -> object:
    return int(value) if value.isdigit() and len(value) < 6 else value


COLUMN_HELP: dict[str, str] = {
    "organisation": "your organisation's name (the same in every file)",
    "region": "region or city of republican significance, any language (Алматы қаласы, г. Алматы, Almaty)",
    "precinct": "the precinct number as on the protocol (numbers restart in every region)",
    "contest": "which ballot: Мажилис / мәслихат облыса / городской маслихат ...",
    "registered": "line 1: voters on the list",
    "ballots_received": "ballots the commission received",
    "ballots_issued": "ballots issued to voters (turnout numerator)",
    "ballots_cancelled": "unused ballots cancelled",
    "ballots_in_boxes": "ballots found in the boxes",
    "invalid": "invalid (spoiled) ballots",
    "valid": "valid ballots",
    "amanat": "votes for each party: one column per party, headed by its name",
    "ak_zhol": "votes",
    "qhp": "votes",
    "auyl": "votes",
    "adal": "votes",
    "district": "the single-member district: its number on the forms (№ 3), or its id (KZ-63/OM-03)",
    "candidate": "votes for each candidate of the district: one column per candidate, headed by the name as "
    "on the ballot (any order of names, initials, Cyrillic or Latin); a file of several districts leaves "
    "the other districts' candidates empty",
    "against_all": "votes against all (where the ballot has the line)",
    "photo_ref": "file name or link of the protocol photo (decides between disagreeing copies)",
    "notes": "free text; do not write names or phone numbers here",
    "observer_name": "personal data: replaced by an anonymous code on loading, never published",
    "observer_phone": "personal data: replaced by an anonymous code on loading, never published",
    "observer_email": "personal data: replaced by an anonymous code on loading, never published",
    "time": "local time of the count or event, HH:MM (election day) or a full date and time",
    "voters_counted": "voters you counted since the station opened (cumulative)",
    "kind": "what happened (observer_expelled, copy_refused, ballot_stuffing_seen, carousel_voting, ...)",
    "description": "what you saw; no names or phone numbers",
}
