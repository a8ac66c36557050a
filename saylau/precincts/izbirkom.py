"""izbirkom-csv: Russia's CEC precinct tables as collected from izbirkom.ru (e.g. the ``dkobak/elections``
files).

Columns ``region``, ``oik`` (optional), ``tik``, ``uik``, ``url``, then the protocol lines under their full
Russian captions, then one column per party headed ``"<ballot position>. <party name>"``. Caption wording
varies by year; :data:`IZBIRKOM_CAPTIONS` maps every known wording to a canonical line of
:data:`saylau.protocol.LINES` (see docs/forensics.md). A caption not in the mapping is an error that names
it: a new wording is added to the mapping, never guessed.
"""

from __future__ import annotations

import re

import pandas as pd

from saylau.names import fold
from saylau.precincts.table import (
    BallotOption,
    PrecinctImportError,
    PrecinctTable,
    UnknownCaptionError,
    _duplicates,
    _finish,
    read_table,
    slug,
    transliterate,
    unquoted,
)
from saylau.protocol import LINES

# --------------------------------------------------------------------------------------------------------
# Captions -> canonical protocol lines

# Words that some years add and others drop; removed before lookup, so "выданных избирателям в помещении
# для голосования" (2011) and "выданных в помещении для голосования в день голосования" (2016) meet.
_CAPTION_FILLERS = (
    " на момент окончания голосования",
    " в день голосования",
    " до дня голосования",
    " избирателям",
    " содержащихся",
    ",",
)

IZBIRKOM_WORDING: dict[str, list[str]] = {
    "registered": [
        "Число избирателей, внесенных в список избирателей",
        "Число избирателей, включенных в список избирателей",
        "Число избирателей, внесенных в список избирателей на момент окончания голосования",
        "Число избирателей, включенных в список избирателей на момент окончания голосования",
        "Число участников референдума, внесенных в список участников референдума",
        "Число участников референдума, включенных в список участников референдума",
    ],
    "ballots_received": [
        "Число избирательных бюллетеней, полученных участковой избирательной комиссией",
        "Число избирательных бюллетеней, полученных участковой комиссией",
    ],
    "ballots_issued_early": [
        "Число избирательных бюллетеней, выданных избирателям, проголосовавшим досрочно",
    ],
    "ballots_issued_station": [
        "Число избирательных бюллетеней, выданных избирателям в помещении для голосования",
        "Число избирательных бюллетеней, выданных в помещении для голосования в день голосования",
        "Число избирательных бюллетеней, выданных избирателям в помещении для голосования в день голосования",
    ],
    "ballots_issued_outside": [
        "Число избирательных бюллетеней, выданных избирателям вне помещения для голосования",
        "Число избирательных бюллетеней, выданных вне помещения для голосования в день голосования",
        "Число избирательных бюллетеней, выданных избирателям вне помещения для голосования в день голосования",
    ],
    "ballots_cancelled": ["Число погашенных избирательных бюллетеней"],
    "ballots_in_portable": [
        "Число избирательных бюллетеней в переносных ящиках для голосования",
        "Число избирательных бюллетеней, содержащихся в переносных ящиках для голосования",
    ],
    "ballots_in_stationary": [
        "Число избирательных бюллетеней в стационарных ящиках для голосования",
        "Число избирательных бюллетеней, содержащихся в стационарных ящиках для голосования",
    ],
    "invalid": ["Число недействительных избирательных бюллетеней"],
    "valid": ["Число действительных избирательных бюллетеней"],
    "ballots_lost": ["Число утраченных избирательных бюллетеней"],
    "ballots_unaccounted": ["Число избирательных бюллетеней, не учтенных при получении"],
    "absentee_received": [
        "Число открепительных удостоверений, полученных участковой избирательной комиссией",
        "Число открепительных удостоверений, полученных участковой комиссией",
    ],
    "absentee_issued": [
        "Число открепительных удостоверений, выданных избирателям на избирательном участке",
        "Число открепительных удостоверений, выданных на избирательном участке до дня голосования",
        "Число открепительных удостоверений, выданных избирателям на избирательном участке до дня голосования",
    ],
    "absentee_voted": [
        "Число избирателей, проголосовавших по открепительным удостоверениям на избирательном участке",
    ],
    "absentee_cancelled": ["Число погашенных неиспользованных открепительных удостоверений"],
    "absentee_issued_by_tec": [
        "Число открепительных удостоверений, выданных избирателям территориальной избирательной комиссией",
        "Число открепительных удостоверений, выданных территориальной избирательной комиссией",
    ],
    "absentee_lost": ["Число утраченных открепительных удостоверений"],
}


def izbirkom_caption_key(caption: str) -> str:
    """The mapping key of an izbirkom caption: :func:`saylau.names.fold` with year-specific filler words removed."""
    key = fold(caption)
    for filler in _CAPTION_FILLERS:
        key = key.replace(filler, "")
    return key.replace("включенных", "внесенных")


IZBIRKOM_CAPTIONS: dict[str, str] = {
    izbirkom_caption_key(wording): line for line, wordings in IZBIRKOM_WORDING.items() for wording in wordings
}
"""Caption key (:func:`izbirkom_caption_key`) -> canonical protocol line."""

assert set(IZBIRKOM_CAPTIONS.values()) <= set(LINES), "every izbirkom caption maps to a canonical line"

IZBIRKOM_ID_COLUMNS = ("region", "oik", "tik", "uik", "url")
_PARTY_CAPTION = re.compile(r"^\s*(\d+)\s*[.)]\s*(\S.*)$", re.S)


def izbirkom_line(caption: str, source: str = "<table>") -> str:
    """The canonical protocol line a Russian protocol caption stands for; unknown captions raise."""
    line = IZBIRKOM_CAPTIONS.get(izbirkom_caption_key(caption))
    if line is None:
        raise UnknownCaptionError(caption, source, "izbirkom-csv")
    return line


# --------------------------------------------------------------------------------------------------------
# Party columns -> ballot options

_ORG_FORMS = (
    "общественная организация",
    "всероссийская политическая партия",
    "политическая партия",
    "всероссийская общественная организация",
)

# Parties whose full name differs between years or is long: a stable id and an English name. Other
# parties get the transliterated name as id and English name.
KNOWN_PARTIES: dict[str, tuple[str, str, str]] = {
    "единая россия": ("edinaya_rossiya", "United Russia", "UR"),
    "справедливая россия": ("spravedlivaya_rossiya", "A Just Russia", "SR"),
    "либерально-демократическая партия россии": ("ldpr", "Liberal Democratic Party of Russia", "LDPR"),
    "лдпр - либерально-демократическая партия россии": (
        "ldpr",
        "Liberal Democratic Party of Russia",
        "LDPR",
    ),
    "лдпр": ("ldpr", "Liberal Democratic Party of Russia", "LDPR"),
    "коммунистическая партия российской федерации": (
        "kprf",
        "Communist Party of the Russian Federation",
        "CPRF",
    ),
    "российская объединенная демократическая партия яблоко": ("yabloko", "Yabloko", "Yabloko"),
    "яблоко": ("yabloko", "Yabloko", "Yabloko"),
    "патриоты россии": ("patrioty_rossii", "Patriots of Russia", "Patriots"),
    "правое дело": ("pravoe_delo", "Right Cause", "Right Cause"),
    "родина": ("rodina", "Rodina", "Rodina"),
    "коммунистическая партия коммунисты россии": ("kommunisty_rossii", "Communists of Russia", "CR"),
    "российская партия пенсионеров за справедливость": (
        "pensionery",
        "Russian Party of Pensioners for Justice",
        "Pensioners",
    ),
    "российская экологическая партия зеленые": ("zelenye", "Russian Ecological Party The Greens", "Greens"),
    "гражданская платформа": ("grazhdanskaya_platforma", "Civic Platform", "Civic Platform"),
    "партия народной свободы (парнас)": ("parnas", "People's Freedom Party (PARNAS)", "PARNAS"),
    "партия роста": ("partiya_rosta", "Party of Growth", "Growth"),
    "гражданская сила": ("grazhdanskaya_sila", "Civilian Power", "Civilian Power"),
}


def party_core_name(name: str) -> str:
    """A party's name without its legal form and quotes, lower case: the key of :data:`KNOWN_PARTIES`."""
    key = fold(name)
    changed = True
    while changed:
        changed = False
        for form in _ORG_FORMS:
            if key.startswith(form + " "):
                key = key[len(form) + 1 :].strip()
                changed = True
    return key


def izbirkom_party(caption: str) -> BallotOption | None:
    """The ballot option a ``"<n>. <party>"`` caption stands for, or None if the caption is not one."""
    match = _PARTY_CAPTION.match(caption)
    if not match:
        return None
    position, raw = int(match.group(1)), match.group(2)
    core = party_core_name(raw)
    display = re.sub(r"\s+", " ", unquoted(raw)).strip()
    for form in _ORG_FORMS:  # keep the party's own words for the display name
        display = re.sub(rf"^{form}\s+", "", display, flags=re.I).strip()
    if core in KNOWN_PARTIES:
        option_id, name_en, short_en = KNOWN_PARTIES[core]
    else:
        option_id = slug(core)
        name_en = transliterate(display)
        short_en = name_en
    return BallotOption(caption, position, option_id, display, name_en, short_en)


# --------------------------------------------------------------------------------------------------------
# Parsing


def parse_izbirkom(body: bytes, source: str) -> PrecinctTable:
    """Parse an izbirkom precinct table (CSV or zip of one) into wide protocol rows.

    Every column must be an id column (``region``, ``oik``, ``tik``, ``uik``, ``url``), a known protocol
    caption or a ``"<n>. <party>"`` column; anything else raises :class:`UnknownCaptionError`.
    """
    frame = read_table(body, source)
    line_columns: dict[str, str] = {}
    options: list[BallotOption] = []
    for caption in frame.columns:
        if caption in IZBIRKOM_ID_COLUMNS:
            continue
        party = izbirkom_party(caption)
        if party is not None:
            options.append(party)
            continue
        line = izbirkom_line(caption, source)
        if line in line_columns.values():
            raise PrecinctImportError(f"{source}: two columns map to the protocol line {line!r}")
        line_columns[caption] = line
    for required in ("region", "tik", "uik"):
        if required not in frame.columns:
            raise PrecinctImportError(
                f"{source}: no {required!r} column (columns: {list(frame.columns)[:6]} ...)"
            )
    for line in ("registered", "valid", "invalid"):
        if line not in line_columns.values():
            raise PrecinctImportError(f"{source}: no column for the protocol line {line!r}")
    if not options:
        raise PrecinctImportError(f"{source}: no party columns ('<n>. <party name>')")
    seen: dict[str, str] = {}
    for o in options:
        if o.option_id in seen:
            raise PrecinctImportError(
                f"{source}: party columns {seen[o.option_id]!r} and {o.caption!r} both map to {o.option_id!r}"
            )
        seen[o.option_id] = o.caption

    region_name = frame["region"].astype(str).str.strip()
    country = "RU"
    region_code = region_name.map({name: f"{country}-{slug(name)}" for name in region_name.unique()})
    tik = frame["tik"].astype(str).str.strip()
    tik_number = tik.str.extract(r"^(\d+)", expand=False)
    tik_key = tik_number.fillna(tik.map({t: slug(t, "-") for t in tik.unique()}))
    uik = frame["uik"].astype(str).str.strip().str.replace(r"^(?:УИК\s*)?№?\s*", "", regex=True)
    ids = pd.DataFrame(
        {
            "unit_id": region_code + "/" + tik_key + "/" + uik,
            "region_code": region_code,
        }
    )
    _duplicates(ids, source)
    wide = _finish(frame, ids, line_columns, options)
    is_abroad = region_name.str.contains("за пределами|зарубеж", case=False, regex=True)
    pecs = pd.DataFrame(
        {
            "commission_id": ids["unit_id"],
            "level": "pec",
            "region_code": region_code,
            "parent_id": region_code + "/" + tik_key,
            "number": pd.to_numeric(uik, errors="coerce").astype("Int64"),
            "name": "УИК №" + uik,
            "is_abroad": is_abroad,
        }
    )
    tecs = pd.DataFrame(
        {
            "commission_id": region_code + "/" + tik_key,
            "level": "tec",
            "region_code": region_code,
            "parent_id": None,
            "number": pd.to_numeric(tik_number, errors="coerce").astype("Int64"),
            "name": tik,
            "is_abroad": is_abroad,
        }
    ).drop_duplicates("commission_id")
    return PrecinctTable(
        wide=wide,
        options=options,
        line_captions={v: k for k, v in line_columns.items()},
        commissions=pd.concat([tecs, pecs], ignore_index=True),
        regions=dict(zip(region_code, region_name, strict=True)),
        rows_read=len(frame),
    )
