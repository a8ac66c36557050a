"""The district form: observers' copies of single-member district protocols (from 2023).

A protocol file with a district column holds copies of single-member district protocols: each row names its
precinct, its contest (the ballot column, or ``--contest``) and its district, and each candidate column is
headed by a candidate's name as written ("Сарапова Айжан Сериковна", "Sarapova A.", "А.С. Сарапова").
A file may hold several districts: a candidate's column is empty on the other districts' rows.

- the district cell is read as the district's id (``KZ-63/OM-03``), its number on the forms ("3", "№ 3",
  "округ № 3"; within the contest, and the row's region where numbers repeat), or its name in kk/ru/en;
  a row whose contest is single-member and whose district cell names none of its districts gets no
  ``district_id`` and is refused as ``unknown_district`` (:mod:`schemas.observers`).
- each candidate column with a count is resolved within the row's district
  (:func:`saylau.candidates.district_candidate_names`: any order of names, initials, Cyrillic or Latin) and
  its count moves to the candidate's option id; a count under a name that is no candidate of the district
  (or a second column naming the same one) is written into ``unknown_candidates`` naming the column, and
  the row is refused as ``unknown_candidate``.

Pure: reference data files in, columns out; no warehouse.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import cache

import pandas as pd

from saylau.candidates import district_candidate_names
from saylau.config import REFERENCE_DATA_DIR
from saylau.names import fold
from saylau.observers.columns import CANDIDATE_PREFIX, ColumnMap

_NUMBER = re.compile(
    r"^(?:(?:одномандатный\s+)?(?:избирательный\s+)?округ|district|сайлау\s+округі|округі?)?\s*"
    r"(?:№|no\.?|n|#)?\s*(\d{1,3})\s*(?:-?й|-?ші|-?шы|округ|округі)?$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class District:
    district_id: str
    contest_id: str
    number: int
    region_code: str
    names: tuple[str, ...]  # folded names in kk/ru/en


@cache
def election_districts(election_id: str) -> tuple[District, ...]:
    """The single-member districts of an election, from ``reference_data/districts.csv``."""
    frame = pd.read_csv(REFERENCE_DATA_DIR / "districts.csv", dtype=str, keep_default_na=False)
    frame = frame[frame["election_id"] == election_id]
    return tuple(
        District(
            r.district_id,
            r.contest_id,
            int(r.number),
            r.region_code,
            tuple(fold(n) for n in (r.name_ru, r.name_kk, r.name_en) if n),
        )
        for r in frame.itertuples(index=False)
    )


def contest_of_district(text: str | None, election_id: str) -> str | None:
    """The contest of the district a cell names by its id ("KZ-63/OM-03"), else None."""
    if not isinstance(text, str):
        return None
    key = text.strip().upper()
    return next((d.contest_id for d in election_districts(election_id) if d.district_id.upper() == key), None)


def resolve_district(
    text: str | None, election_id: str, contest_id: str | None, region_code: str | None
) -> str | None:
    """The district id a district cell names within the row's contest (and region where numbers repeat),
    or None when it names none or more than one."""
    if not isinstance(text, str) or not text.strip():
        return None
    of_contest = [d for d in election_districts(election_id) if d.contest_id == contest_id]
    key = text.strip().upper()
    for d in of_contest:
        if d.district_id.upper() == key:
            return d.district_id
    match = _NUMBER.match(fold(text))
    if match:
        found = [d for d in of_contest if d.number == int(match.group(1))]
        if len(found) > 1:  # regional and district maslikhats number their districts within a region
            found = [d for d in found if d.region_code == region_code]
    else:
        found = [d for d in of_contest if fold(text) in d.names]
    return found[0].district_id if len(found) == 1 else None


def _given(value: object) -> bool:
    return isinstance(value, str) and bool(value.strip()) or isinstance(value, int)


def single_member_contests(election_id: str) -> set[str]:
    """The contests of an election that have single-member districts."""
    return {d.contest_id for d in election_districts(election_id)}


def resolve_district_rows(
    frame: pd.DataFrame, cmap: ColumnMap, election_id: str, positions: dict[str, int]
) -> tuple[pd.DataFrame, ColumnMap]:
    """The district form's rows with ``district_id`` and the candidates' counts under their option ids.

    ``positions``: each header's column number in the file (for messages). Returns the frame (the
    candidate columns as written dropped; ``district_needed``, ``district_id`` and ``unknown_candidates``
    added) and the column map with the candidates found among its ``parties``.
    """
    single_member = single_member_contests(election_id)
    out = frame.copy()
    texts = out["district"] if "district" in out.columns else pd.Series([None] * len(out), index=out.index)
    district_ids = []
    for text, contest, region in zip(texts, out["contest_id"], out["region_code"], strict=True):
        needed = contest in single_member
        district_ids.append(resolve_district(text, election_id, contest, region) if needed else None)
    out["district_id"] = pd.Series(district_ids, index=out.index, dtype=object)
    out["district_needed"] = out["contest_id"].isin(single_member)
    found: dict[str, list[object]] = {}
    read_under: list[tuple[str, str]] = []
    problems: list[str | None] = []
    rows = zip(out.index, out["district_id"], out["district_needed"], strict=True)
    for i, (index, district_id, needed) in enumerate(rows):
        names = district_candidate_names(election_id, district_id) if district_id else None
        seen: dict[str, str] = {}
        wrong = []
        for header in cmap.candidates:
            value = out.at[index, CANDIDATE_PREFIX + header.strip()]
            if not _given(value) or (needed and names is None):  # no district: unknown_district says so
                continue
            option = names.resolve(header) if names is not None else None
            where = f"column {positions.get(header, '?')} {header!r}={value}"
            if names is None:
                wrong.append(f"{where}: a candidate's votes on a ballot without districts")
            elif option is None:
                wrong.append(f"{where}: no candidate of {district_id} by that name")
            elif option in seen:
                wrong.append(f"{where}: {option} again (column {seen[option]!r})")
            else:
                seen[option] = header
                read_under.append((option, header))
                found.setdefault(option, [None] * len(out))[i] = value
        problems.append("; ".join(wrong) or None)
    out = out.drop(columns=[CANDIDATE_PREFIX + h.strip() for h in cmap.candidates])
    for option, values in found.items():
        out[option] = pd.Series(values, index=out.index, dtype=object)
    out["unknown_candidates"] = pd.Series(problems, index=out.index, dtype=object)
    read_as = {option: header for option, header in reversed(read_under)}  # the first header of each
    return out, replace(cmap, parties=(*cmap.parties, *sorted(found)), candidate_headers=read_as)
