"""Which canonical column each header of an export is: the versioned header mapping, and party columns.

Headers in Kazakh, Russian or English map to canonical columns by ``reference_data/observer_columns.csv``;
a party column is headed by any party name the resolver knows. A header that maps to nothing refuses the
whole file (:class:`ObserverFileError` naming the file and the unknown headers), since a guessed column
would put numbers on the wrong line, except in the district form (a protocol file with a district column):
there every other header is a candidate column, headed by the candidate's name as written, and resolved
row by row within the row's district (:mod:`saylau.observers.districts`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import pandas as pd

from saylau.config import REFERENCE_DATA_DIR
from saylau.names import fold
from saylau.observers.cells import ObserverFileError
from saylau.reference import Resolver, UnknownNameError, default_resolver

FILE_KINDS = ("protocol", "turnout", "violation")
MAPPING_FILE = REFERENCE_DATA_DIR / "observer_columns.csv"
# the canonical column of a candidate column in the district form: CANDIDATE_PREFIX + the header as written
CANDIDATE_PREFIX = "candidate:"
# file kind -> its table (``staging.<table>``, ``quarantine.<table>``, the name validation reports under)
TABLES = {"protocol": "observer_protocols", "turnout": "observer_turnout", "violation": "observer_violations"}


def normalise_header(text: str) -> str:
    """A header's lookup key: :func:`saylau.names.fold`, with a trailing ':' or '*' stripped too."""
    return fold(text, strip=" :*.;,")


@cache
def header_mapping(path: Path = MAPPING_FILE) -> dict[str, dict[str, str]]:
    """file kind -> {normalised header -> canonical column}, from the versioned mapping file."""
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    mapping: dict[str, dict[str, str]] = {kind: {} for kind in FILE_KINDS}
    for kind, canonical, header in zip(frame["file_kind"], frame["canonical"], frame["header"], strict=True):
        mapping[kind][normalise_header(header)] = canonical
    return mapping


@dataclass(frozen=True)
class ColumnMap:
    """How one file's headers map: its kind, header -> canonical column, party id per party header, and
    the district form's candidate columns."""

    kind: str
    columns: dict[str, str]  # header as written -> canonical column (party columns: the party id)
    parties: tuple[str, ...]  # party ids among the canonical columns (after parsing: candidates' too)
    candidates: tuple[str, ...] = ()  # headers of candidate columns (canonical: CANDIDATE_PREFIX + header)
    candidate_headers: dict[str, str] = field(default_factory=dict)  # option id -> header it was read under

    def header_of(self, canonical: str) -> str:
        """The header as the file wrote it for a canonical column (for error messages)."""
        for header, name in self.columns.items():
            if name == canonical:
                return header
        return self.candidate_headers.get(canonical, canonical)


_PARTY_WORDS = re.compile(r"^(?:партия|party|партиясы)\s+|\s+(?:партиясы|party|партия)$", re.IGNORECASE)


def party_of_header(header: str, resolver: Resolver) -> str | None:
    """The party id a column header names ("Nur Otan", "Партия «Nur Otan»", "Ақ жол партиясы"), or None."""
    for text in (header, _PARTY_WORDS.sub("", header.strip()).strip(' «»"')):
        try:
            return resolver.party(text)
        except UnknownNameError:
            continue
    return None


def map_columns(
    headers: Sequence[str], file_name: str, kind: str | None = None, resolver: Resolver | None = None
) -> ColumnMap:
    """Map a file's headers to canonical columns; the file kind is the one mapping every header.

    Raises :class:`ObserverFileError` naming the file and the headers no mapping knows.
    """
    resolver = resolver or default_resolver()
    mapping = header_mapping()
    kinds = [kind] if kind else list(FILE_KINDS)
    best: tuple[int, str, dict[str, str], list[str], list[str], list[str]] | None = None
    for k in kinds:
        known = mapping[k]
        columns: dict[str, str] = {}
        parties: list[str] = []
        unknown: list[str] = []
        candidates: list[str] = []
        # the district form: headers that are neither lines nor parties are candidates' names
        district_form = k == "protocol" and any(
            known.get(normalise_header(h)) == "district" for h in headers if h is not None
        )
        for header in headers:
            if header is None or not str(header).strip():
                continue
            key = normalise_header(header)
            if key in known:
                columns[header] = known[key]
                continue
            if k == "protocol":
                party = party_of_header(str(header), resolver)
                if party:
                    columns[header] = party
                    parties.append(party)
                    continue
                if district_form:
                    columns[header] = CANDIDATE_PREFIX + str(header).strip()
                    candidates.append(str(header))
                    continue
            unknown.append(str(header))
        score = len(columns) - len(candidates) - 100 * len(unknown)
        if best is None or score > best[0]:
            best = (score, k, columns, parties, unknown, candidates)
    assert best is not None
    _, k, columns, parties, unknown, candidates = best
    if unknown:
        raise ObserverFileError(
            f"{file_name}: cannot map column(s) {', '.join(repr(u) for u in unknown)} "
            f"(file kind {k}; known headers are listed in {MAPPING_FILE.name}, party columns are headed by a "
            f"party name, candidate columns by the candidate's name in a file with a district column)"
        )
    # one header written twice: the dict above holds it once, but the file has two columns of it
    positions: dict[str, list[int]] = {}
    for number, header in enumerate(headers, start=1):
        if header in columns:
            positions.setdefault(header, []).append(number)
    for header, where in positions.items():
        if len(where) > 1:
            raise ObserverFileError(
                f"{file_name}: columns {' and '.join(map(str, where))} are both headed {header!r} "
                f"(one column per line or party: rename or delete one)"
            )
    doubled = sorted({c for c in columns.values() if list(columns.values()).count(c) > 1})
    if doubled:
        heads = [h for h, c in columns.items() if c in doubled]
        raise ObserverFileError(
            f"{file_name}: columns {', '.join(repr(h) for h in heads)} all map to {', '.join(doubled)}"
        )
    return ColumnMap(k, columns, tuple(parties), tuple(candidates))
