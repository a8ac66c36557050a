"""Parsing one export: bytes in, a staging frame out (:func:`parse_export`), personal data already gone.

- every row keeps its source: file path, sha256 and row number (the spreadsheet row, header = row 1).
- numbers are read as written: ``1 234`` is 1234, ``12o0`` stays text and is rejected as ``wrong_type``
  naming the file, row and column; an empty cell is missing, never 0.
- places: a region name or code and a precinct number (or ``KZ-75/123``) -> ``unit_id``, as of the
  election day; the ballot named in the contest column -> contest id; a time -> ``as_of``.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, time

import pandas as pd

from saylau.observers.cells import parse_count, read_cells
from saylau.observers.columns import ColumnMap, map_columns
from saylau.observers.districts import contest_of_district, resolve_district_rows
from saylau.observers.personal import PERSONAL_COLUMNS, observer_hash, personal_patterns, scrub_text
from saylau.protocol import LINES
from saylau.reference import Resolver, UnknownNameError, default_resolver, normalise_name

DEFAULT_ORGANISATION = "observers"

# Ballot names observers write in the contest column -> contest id (normalised with normalise_name).
CONTEST_NAMES: dict[str, tuple[str, ...]] = {
    "mazhilis": ("mazhilis", "мажилис", "мәжіліс", "мажилис парламента", "парламент мәжілісі", "mäjilis"),
    "maslikhat_regional": (
        "maslikhat_regional",
        "oblast_maslikhat",
        "regional maslikhat",
        "oblast maslikhat",
        "маслихат области",
        "областной маслихат",
        "облыстық мәслихат",
        "облыс мәслихаты",
    ),
    "maslikhat_city": (
        "maslikhat_city",
        "city_maslikhat",
        "city maslikhat",
        "district maslikhat",
        "городской маслихат",
        "маслихат города",
        "районный маслихат",
        "қалалық мәслихат",
        "аудандық мәслихат",
        "қала мәслихаты",
    ),
    # single-member districts (from 2023): the district form (saylau.observers.districts)
    "mazhilis_smd": (
        "mazhilis_smd",
        "mazhilis (single-member district)",
        "mazhilis single-member district",
        "мажилис (одномандатный округ)",
        "мажилис, одномандатный округ",
        "мажилис одномандатный округ",
        "мәжіліс (бір мандатты округ)",
        "мәжіліс бір мандатты округ",
    ),
    "maslikhat_regional_smd": (
        "maslikhat_regional_smd",
        "regional maslikhat (single-member district)",
        "oblast maslikhat (single-member district)",
        "маслихат области (одномандатный округ)",
        "областной маслихат (одномандатный округ)",
        "облыстық мәслихат (бір мандатты округ)",
        "облыс мәслихаты (бір мандатты округ)",
    ),
    "maslikhat_district": (
        "maslikhat_district",
        "district maslikhat (single-member)",
        "district maslikhat (single-member district)",
        "маслихат района (одномандатный округ)",
        "районный маслихат (одномандатный округ)",
        "городской маслихат (одномандатный округ)",
        "аудандық мәслихат (бір мандатты округ)",
        "қалалық мәслихат (бір мандатты округ)",
    ),
    "president": ("president", "президент", "выборы президента", "президент сайлауы"),
    "referendum": ("referendum", "референдум"),
}

_PEC_ID = re.compile(r"^(KZ-\d{2})/(\d+)$")


@dataclass
class ParsedExport:
    """One export parsed: its kind, the column map, and the rows as a staging frame without personal data."""

    kind: str
    columns: ColumnMap
    frame: pd.DataFrame
    file_name: str


def organisation_id(name: str | None) -> str:
    """The ``source`` id of an observer organisation: its name folded to lower-case words joined by ``_``."""
    if not name or not name.strip():
        return DEFAULT_ORGANISATION
    slug = re.sub(r"[^\w]+", "_", unicodedata.normalize("NFC", name).lower()).strip("_")
    if slug == "official":  # the CEC's source id
        return "observers_official"
    return slug or DEFAULT_ORGANISATION


def contest_id(text: str | None, default: str | None = None) -> str | None:
    """The contest id a ballot name means, or None when it names none."""
    if text is None:
        return default
    key = normalise_name(text)
    for contest, names in CONTEST_NAMES.items():
        if key in {normalise_name(n) for n in names}:
            return contest
    return None


def _region_code(text: str | None, resolver: Resolver, on: date | None = None) -> str | None:
    """The ISO code of a region name or code, or None when it names no region that existed ``on`` the
    election day (2021 had 17 regions; Abai, Jetisu and Ulytau exist from 8 June 2022)."""
    if text is None:
        return None
    try:
        return resolver.region(text, on=on)
    except UnknownNameError:
        return None


def _precinct_number(text: str | None) -> int | None:
    if text is None:
        return None
    cleaned = re.sub(r"^(?:№|no\.?|n|#)\s*", "", text.strip(), flags=re.IGNORECASE)
    cleaned = re.sub(r"\.0+$", "", cleaned)
    return int(cleaned) if re.fullmatch(r"\d{1,5}", cleaned) and int(cleaned) > 0 else None


def empty_column(frame: pd.DataFrame) -> pd.Series:
    """A column the file does not have: None in every row (``pd.Series(None, dtype=object)`` is NaN, which
    the cell readers, written for text or None, cannot read)."""
    return pd.Series([None] * len(frame), index=frame.index, dtype=object)


def _place(frame: pd.DataFrame, resolver: Resolver, on: date | None = None) -> pd.DataFrame:
    """region / precinct texts -> region_code, precinct_number, unit_id ('KZ-75/123'; as written if unknown).

    Regions resolve as of the election day ``on``: a region that did not exist then, a code in
    ``KZ-xx/123`` that no region has, or one that differs from the region cell's, leaves ``region_code``
    empty (the row fails ``unknown_region``).
    """
    region = frame["region"] if "region" in frame else empty_column(frame)
    precinct = frame["precinct"] if "precinct" in frame else empty_column(frame)
    codes, numbers, units = [], [], []
    for r, p in zip(region, precinct, strict=True):
        match = _PEC_ID.match(p.strip()) if isinstance(p, str) else None
        code = _region_code(match.group(1), resolver, on) if match else _region_code(r, resolver, on)
        if match and isinstance(r, str) and r.strip() and _region_code(r, resolver, on) != code:
            code = None  # 'KZ-75/12' under a region cell naming another region: which one is a typo?
        number = int(match.group(2)) if match else _precinct_number(p)
        codes.append(code)
        numbers.append(number)
        units.append(f"{code}/{number}" if code and number else f"{r or '?'}/{p or '?'}")
    out = frame.copy()
    out["region"] = region
    out["precinct"] = precinct
    out["region_code"] = pd.Series(codes, index=frame.index, dtype=object)
    out["precinct_number"] = pd.array(numbers, dtype="Int64")
    out["unit_id"] = units
    return out


def _as_of(text: str | None, election_date: date | None) -> object:
    """A time cell -> timestamp: 'HH:MM' on the election day, or a full date-time as written."""
    if text is None:
        return None
    t = text.strip()
    m = re.fullmatch(r"(\d{1,2})[:.](\d{2})(?::\d{2})?", t)
    if m and election_date is not None and int(m.group(1)) < 24:
        return datetime.combine(election_date, time(int(m.group(1)), int(m.group(2))))
    parsed = pd.to_datetime(t, errors="coerce", dayfirst=not re.match(r"^\d{4}-", t))
    return parsed.to_pydatetime() if not pd.isna(parsed) else t


def parse_export(
    body: bytes,
    file_name: str,
    *,
    election_id: str,
    salt: bytes,
    election_date: date | None = None,
    organisation: str | None = None,
    contest: str | None = None,
    kind: str | None = None,
    sha256: str | None = None,
    resolver: Resolver | None = None,
) -> ParsedExport:
    """Parse one export's bytes into a staging frame (personal data already replaced by a hash).

    ``organisation`` is used where the file has no organisation column; ``contest`` where a protocol file
    has no ballot column.
    """
    resolver = resolver or default_resolver()
    headers, rows = read_cells(body, file_name)
    cmap = map_columns(headers, file_name, kind, resolver)
    canon = [cmap.columns.get(h) for h in headers]
    records = []
    for number, cells in rows:
        record = {c: v for c, v in zip(canon, cells, strict=True) if c is not None}
        record["source_row"] = number
        records.append(record)
    names = list(dict.fromkeys(c for c in canon if c is not None))
    frame = pd.DataFrame.from_records(records, columns=[*names, "source_row"])
    for c in set(cmap.columns.values()) - set(frame.columns):
        frame[c] = None
    frame = frame.astype(object).where(frame.notna(), None)
    frame["source_ref"] = file_name
    frame["source_sha256"] = sha256 or hashlib.sha256(body).hexdigest()
    frame["election_id"] = election_id
    org_column = frame.get("organisation")
    frame["organisation"] = (
        org_column.fillna(organisation or DEFAULT_ORGANISATION)
        if org_column is not None
        else (organisation or DEFAULT_ORGANISATION)
    )
    frame["source"] = frame["organisation"].map(organisation_id)
    # personal data: hash, scrub free text, drop
    personal = [c for c in PERSONAL_COLUMNS if c in frame.columns]
    values = frame[personal].to_numpy().tolist() if personal else [[] for _ in range(len(frame))]
    frame["observer_hash"] = [observer_hash(v, salt) for v in values]
    # every personal value of the file is scrubbed from every free-text cell (notes name other observers too)
    names = frame["observer_name"].tolist() if "observer_name" in frame else []
    others = [v for c in personal if c != "observer_name" for v in frame[c]]
    patterns = personal_patterns(names, others)
    for free in ("notes", "description"):
        if free in frame.columns:
            frame[free] = [scrub_text(t, patterns) for t in frame[free]]
    frame = frame.drop(columns=personal)
    frame = _place(frame, resolver, election_date)
    if cmap.kind == "protocol":
        frame, cmap = _protocol_frame(frame, cmap, contest, election_id, headers)
    else:
        if cmap.kind == "violation":  # a report of no precinct (place optional) names no unit
            placed = frame["region_code"].notna() & frame["precinct_number"].notna()
            frame["unit_id"] = frame["unit_id"].astype(object).where(placed, None)
        frame["as_of"] = [_as_of(t, election_date) for t in frame.get("time", [None] * len(frame))]
        frame = frame.drop(columns=[c for c in ("time",) if c in frame.columns])
        if cmap.kind == "turnout":
            for c in ("registered", "voters_counted"):
                if c in frame.columns:
                    frame[c] = [parse_count(v) for v in frame[c]]
    return ParsedExport(cmap.kind, cmap, frame.reset_index(drop=True), file_name)


def _protocol_frame(
    frame: pd.DataFrame, cmap: ColumnMap, contest: str | None, election_id: str, headers: list
) -> tuple[pd.DataFrame, ColumnMap]:
    texts = frame["contest"] if "contest" in frame else empty_column(frame)
    ids = [contest_id(t, contest) for t in texts]
    district_form = "district" in cmap.columns.values()
    if district_form:  # no ballot named: a district named by its id names its contest
        ids = [
            i if i is not None or t is not None else contest_of_district(d, election_id)
            for i, t, d in zip(ids, texts, frame["district"], strict=True)
        ]
    frame["contest_known"] = [i is not None for i in ids]
    frame["contest_id"] = [i if i is not None else (t or "?") for i, t in zip(ids, texts, strict=True)]
    frame = frame.drop(columns=[c for c in ("contest",) if c in frame.columns])
    if district_form:
        positions = {str(h): i for i, h in enumerate(headers, start=1) if h is not None}
        frame, cmap = resolve_district_rows(frame, cmap, election_id, positions)
    frame["level"] = "pec"
    for c in [line for line in LINES if line in frame.columns]:
        frame[c] = [parse_count(v) for v in frame[c]]
    for c in cmap.parties:  # object: a blank cell stays None beside whole counts (not NaN in a float column)
        frame[c] = pd.Series([parse_count(v) for v in frame[c]], index=frame.index, dtype=object)
    frame["copy_id"] = frame["source_sha256"].str[:16] + ":" + frame["source_row"].astype(str)
    return frame, cmap
