"""Observers' exports in: protocol copies, turnout counts and violation reports, from CSV or XLSX.

Parsing is bytes in, rows out (:func:`parse_export`); loading (:func:`load_observer_file`) archives the
bytes, validates with the pandera models of :mod:`schemas.observers` and writes staging, core and
quarantine. The steps, and the rules they follow:

- headers in Kazakh, Russian or English are mapped to canonical columns by the versioned mapping
  ``reference_data/observer_columns.csv``; a party column is headed by any party name the resolver knows.
  A header that maps to nothing refuses the whole file (:class:`ObserverFileError` naming the file and
  the unknown headers), since a guessed column would put numbers on the wrong line.
- personal data (observer name, phone, e-mail) is replaced at parse time by ``observer_hash``, a salted
  sha256 (:func:`pii_salt`), and removed from free-text notes; it never reaches staging, core,
  quarantine or marts. The raw bytes stay only in the (unpublished) archive.
- numbers are read as written: ``1 234`` is 1234, ``12o0`` stays text and is rejected as ``wrong_type``
  naming the file, row and column; an empty cell is missing, never 0.
- every row keeps its source: file path, sha256 and row number (the spreadsheet row, header = row 1).
- conflicts: copies of one precinct's protocol from one organisation that disagree are all kept
  (``core.observer_protocol_copies``) and flagged; which copy counts is decided in SQL
  (``core.int_observer_protocols_resolved``): the single version backed by a photo of the protocol,
  otherwise none. Only resolved copies enter ``core.protocol_values``.
- idempotent: a file whose bytes were loaded before adds nothing; a file with the same name and
  organisation but new bytes is a correction and supersedes the earlier version (whose rows leave
  staging and core; its bytes stay in the archive and its manifest row says what replaced it).
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
import json
import numbers
import os
import re
import secrets
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from functools import cache
from pathlib import Path

import duckdb
import pandas as pd

from saylau.config import REFERENCE_DATA_DIR, Settings, settings
from saylau.protocol import LINES, to_long
from saylau.reference import Resolver, UnknownNameError, default_resolver, normalise_name
from saylau.validate import Validated

FILE_KINDS = ("protocol", "turnout", "violation")
PERSONAL_COLUMNS = ("observer_name", "observer_phone", "observer_email")
MAPPING_FILE = REFERENCE_DATA_DIR / "observer_columns.csv"
SALT_ENV = "SAYLAU_PII_SALT"
DEFAULT_ORGANISATION = "observers"
# An export longer than this is refused: Kazakhstan has about 10,000 precincts, so even a head count at
# every precinct every hour of election day is about half of it. Reading stops there: memory stays bounded.
MAX_ROWS = 250_000
MAX_FILE_BYTES = 200_000_000  # a file larger than this is refused unread

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
    "maslikhat_district": ("maslikhat_district", "district maslikhat (single-member)"),
    "president": ("president", "президент", "выборы президента", "президент сайлауы"),
    "referendum": ("referendum", "референдум"),
}

_NUMBER_SPACES = re.compile(r"[\s\u00a0\u2009\u202f']+")
_PHONE = re.compile(r"\+?\d[\d\s()\-]{8,}\d")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")
_PEC_ID = re.compile(r"^(KZ-\d{2})/(\d+)$")


class ObserverFileError(ValueError):
    """An export that cannot be read at all; the message names the file (and row/column where known)."""


# --- the header mapping ---------------------------------------------------------------------------------


def normalise_header(text: str) -> str:
    """A header's lookup key: case, spacing, quotes, trailing ':' / '*' and a unit in brackets folded."""
    s = unicodedata.normalize("NFC", str(text)).replace("ё", "е").lower()
    s = re.sub(r"[«»\"“”„'’`]", "", s)
    s = re.sub(r"[\s\u00a0\u2009\u202f]+", " ", s).strip(" :*.;,")
    return s


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
    """How one file's headers map: its kind, header -> canonical column, party id per party header."""

    kind: str
    columns: dict[str, str]  # header as written -> canonical column (party columns: the party id)
    parties: tuple[str, ...]  # party ids among the canonical columns

    def header_of(self, canonical: str) -> str:
        """The header as the file wrote it for a canonical column (for error messages)."""
        for header, name in self.columns.items():
            if name == canonical:
                return header
        return canonical


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
    best: tuple[int, str, dict[str, str], list[str], list[str]] | None = None
    for k in kinds:
        known = mapping[k]
        columns: dict[str, str] = {}
        parties: list[str] = []
        unknown: list[str] = []
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
            unknown.append(str(header))
        score = len(columns) - 100 * len(unknown)
        if best is None or score > best[0]:
            best = (score, k, columns, parties, unknown)
    assert best is not None
    _, k, columns, parties, unknown = best
    if unknown:
        raise ObserverFileError(
            f"{file_name}: cannot map column(s) {', '.join(repr(u) for u in unknown)} "
            f"(file kind {k}; known headers are listed in {MAPPING_FILE.name}, party columns are headed by a "
            f"party name)"
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
    return ColumnMap(k, columns, tuple(parties))


# --- reading cells --------------------------------------------------------------------------------------


def read_cells(
    body: bytes, file_name: str, max_rows: int | None = None
) -> tuple[list[str], list[tuple[int, list[str | None]]]]:
    """Headers and (row number, cells) of a CSV or XLSX export, every cell as text (empty -> None).

    Row numbers are spreadsheet rows: the header is row 1. Blank rows are skipped (their numbers too).
    Formula cells are read as their formula text, never as a value. A file with more than ``max_rows``
    rows under its header (default :data:`MAX_ROWS`) is refused as soon as reading gets there.
    """
    limit = MAX_ROWS if max_rows is None else max_rows
    rows = _rows(body, file_name)
    try:
        first = next(rows, None)
        if first is None:
            raise ObserverFileError(f"{file_name}: the file is empty")
        header = [str(h).strip() if h is not None else "" for h in first]
        if not any(header):
            raise ObserverFileError(f"{file_name}: the first row holds no headers (a blank or empty file?)")
        unnamed = [i for i, h in enumerate(header) if not h]  # a value under no header belongs to no column
        out = []
        for number, row in enumerate(rows, start=2):
            if number - 1 > limit:
                raise ObserverFileError(
                    f"{file_name}: more than {limit:,} rows; no observers' export is that long (one row per "
                    f"protocol copy, count or report): split the file, or check what it is"
                )
            cells = [_cell(c) for c in row]
            if all(c is None for c in cells):
                continue
            if len(cells) > len(header) and any(c is not None for c in cells[len(header) :]):
                raise ObserverFileError(
                    f"{file_name} row {number}: {len(cells)} cells but {len(header)} headers "
                    f"(a stray separator or an unquoted comma?)"
                )
            cells = (cells + [None] * len(header))[: len(header)]
            for i in unnamed:
                if cells[i] is not None:
                    raise ObserverFileError(
                        f"{file_name} row {number}: {cells[i]!r} in column {i + 1}, which has no header "
                        f"(name the column, or delete it)"
                    )
            out.append((number, cells))
    finally:
        close = getattr(rows, "close", None)
        if close is not None:
            close()
    return header, out


def read_headers(body: bytes, file_name: str) -> list[str]:
    """The header row of a CSV or XLSX export (the rest is not read)."""
    rows = _rows(body, file_name)
    try:
        first = next(rows, None)
    finally:
        close = getattr(rows, "close", None)
        if close is not None:
            close()
    if first is None:
        raise ObserverFileError(f"{file_name}: the file is empty")
    return [str(h).strip() if h is not None else "" for h in first]


def _is_workbook(body: bytes, file_name: str) -> bool:
    return file_name.lower().endswith((".xlsx", ".xlsm")) or body[:4] == b"PK\x03\x04"


def _rows(body: bytes, file_name: str) -> Iterator[list[object]]:
    return _xlsx_rows(body, file_name) if _is_workbook(body, file_name) else _csv_rows(body, file_name)


def _cell(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, float):
        if value != value:  # NaN
            return None
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, time):
        return value.strftime("%H:%M")
    text = str(value).strip()
    return text or None


# Byte-order marks of the encodings spreadsheets save "Unicode text" in (longest first: UTF-32 LE starts
# with the UTF-16 LE mark).
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def decode_text(body: bytes, file_name: str) -> str:
    """An export's text: by its byte-order mark (UTF-8, UTF-16, UTF-32), else UTF-8, else Windows-1251.

    Bytes that are none of these (a binary file, a PDF renamed .csv) refuse the file, naming it.
    """
    encoding = next((name for bom, name in _BOMS if body.startswith(bom)), None)
    try:
        text = body.decode(encoding) if encoding else body.decode("utf-8")
    except UnicodeDecodeError as exc:
        if encoding:
            raise ObserverFileError(
                f"{file_name}: starts as {encoding} text but is not ({exc.reason})"
            ) from exc
        try:
            text = body.decode("cp1251")
        except UnicodeDecodeError as exc2:
            raise ObserverFileError(f"{file_name}: neither UTF-8 nor Windows-1251 text") from exc2
    if "\x00" in text:  # text exports hold no NUL; a binary file decodes as cp1251 all the same
        raise ObserverFileError(f"{file_name}: not a text file (it holds NUL bytes): neither CSV nor XLSX")
    return text


def _csv_rows(body: bytes, file_name: str) -> Iterator[list[str]]:
    text = decode_text(body, file_name)
    first = text.split("\n", 1)[0]
    delimiter = max([",", ";", "\t"], key=first.count)
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    try:
        yield from reader
    except csv.Error as exc:  # a field longer than csv's limit, a quote never closed...
        raise ObserverFileError(f"{file_name} row {reader.line_num}: not readable as CSV ({exc})") from exc


def _xlsx_rows(body: bytes, file_name: str) -> Iterator[list[object]]:
    import openpyxl

    try:
        # data_only=False: a formula cell is read as its formula ("=1+1"), never as the value a spreadsheet
        # cached for it (which a file can state freely, and openpyxl-written files do not have)
        book = openpyxl.load_workbook(io.BytesIO(body), read_only=True, data_only=False)
    except Exception as exc:  # openpyxl raises many kinds for a broken file
        raise ObserverFileError(f"{file_name}: not a readable XLSX workbook ({exc})") from exc
    from openpyxl.worksheet.formula import ArrayFormula, DataTableFormula

    def formula_text(value: object) -> object:
        """Array and data-table formulas as the text of their formula (plain formulas already are)."""
        if isinstance(value, ArrayFormula):
            return str(value.text or "=")
        if isinstance(value, DataTableFormula):
            return f"=TABLE({value.ref})"
        return value

    if not book.worksheets:
        book.close()
        raise ObserverFileError(f"{file_name}: the workbook has no worksheet")

    def rows() -> Iterator[list[object]]:
        try:
            for r in book.worksheets[0].iter_rows(values_only=True):
                yield [formula_text(v) for v in r]
        except ObserverFileError:
            raise
        except Exception as exc:  # a sheet that opens but cannot be read through
            raise ObserverFileError(f"{file_name}: not a readable XLSX worksheet ({exc})") from exc
        finally:
            book.close()

    return rows()


def parse_count(text: str | None) -> int | str | None:
    """A count as written: digits with spaces as thousands separators -> int; anything else stays text."""
    if text is None:
        return None
    cleaned = _NUMBER_SPACES.sub("", text)
    if re.fullmatch(r"-?\d+", cleaned):
        return int(cleaned)
    if re.fullmatch(r"-?\d+\.0+", cleaned):  # spreadsheets write whole numbers as 123.0
        return int(float(cleaned))
    return text


# --- personal data --------------------------------------------------------------------------------------


def pii_salt(s: Settings | None = None) -> bytes:
    """The salt of observer hashes: ``$SAYLAU_PII_SALT``, else ``<build>/secrets/pii_salt`` (made once).

    The salt never goes into git (the build folder is ignored); with it, one observer's rows can be linked
    across files without anyone learning who the observer is.
    """
    value = os.environ.get(SALT_ENV)
    if value:
        return value.encode()
    s = s or settings()
    path = s.build_dir / "secrets" / "pii_salt"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as f:
            f.write(secrets.token_hex(32))
    return path.read_text().strip().encode()


def observer_hash(values: Iterable[str | None], salt: bytes) -> str | None:
    """A salted sha256 (first 16 hex digits) of an observer's first identifying value (name, else phone,
    else e-mail), case and spacing folded, so one observer's rows link across files; None when all are
    empty."""
    for value in values:
        if value and value.strip():
            key = re.sub(r"\s+", " ", value.strip().lower().replace("ё", "е"))
            return hashlib.sha256(salt + key.encode()).hexdigest()[:16]
    return None


def personal_patterns(names: Iterable[str | None], others: Iterable[str | None] = ()) -> list[re.Pattern]:
    """Patterns finding personal values in free text: each full value, and each word of a name (3+
    letters) with any ending, since notes decline names ("Иванову", "Айгерим сказали") or reorder them."""
    words: set[str] = set()
    for name in names:
        if name:
            for w in re.findall(r"\w+", name):
                if len(w) >= 3 and not w.isdigit():
                    # a declined name changes its last vowel: Ольга, Ольге, Ольгой
                    words.add(w[:-1] if len(w) >= 4 and w[-1].lower() in "аяеиоуыйэюaeiouy" else w)
    values = {v.strip() for v in [*names, *others] if v and len(v.strip()) >= 3}
    patterns = [re.compile(re.escape(v), re.IGNORECASE) for v in sorted(values, key=len, reverse=True)]
    patterns += [
        re.compile(rf"(?<!\w){re.escape(w)}\w*", re.IGNORECASE) for w in sorted(words, key=len, reverse=True)
    ]
    return patterns


def scrub_text(text: str | None, patterns: Iterable[re.Pattern] = ()) -> str | None:
    """Free text without phone numbers, e-mail addresses and the given personal values."""
    if text is None:
        return None
    for pattern in patterns:
        text = pattern.sub("[removed]", text)
    text = _EMAIL.sub("[removed]", text)
    return _PHONE.sub("[removed]", text)


# --- parsing one export ---------------------------------------------------------------------------------


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


def _empty(frame: pd.DataFrame) -> pd.Series:
    """A column the file does not have: None in every row (``pd.Series(None, dtype=object)`` is NaN, which
    the cell readers, written for text or None, cannot read)."""
    return pd.Series([None] * len(frame), index=frame.index, dtype=object)


def _place(frame: pd.DataFrame, resolver: Resolver, on: date | None = None) -> pd.DataFrame:
    """region / precinct texts -> region_code, precinct_number, unit_id ('KZ-75/123'; as written if unknown).

    Regions resolve as of the election day ``on``: a region that did not exist then, a code in
    ``KZ-xx/123`` that no region has, or one that differs from the region cell's, leaves ``region_code``
    empty (the row fails ``unknown_region``).
    """
    region = frame["region"] if "region" in frame else _empty(frame)
    precinct = frame["precinct"] if "precinct" in frame else _empty(frame)
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
        frame = _protocol_frame(frame, cmap, contest)
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


def _protocol_frame(frame: pd.DataFrame, cmap: ColumnMap, contest: str | None) -> pd.DataFrame:
    texts = frame["contest"] if "contest" in frame else _empty(frame)
    ids = [contest_id(t, contest) for t in texts]
    frame["contest_known"] = [i is not None for i in ids]
    frame["contest_id"] = [i if i is not None else (t or "?") for i, t in zip(ids, texts, strict=True)]
    frame = frame.drop(columns=[c for c in ("contest",) if c in frame.columns])
    frame["level"] = "pec"
    for c in [*[line for line in LINES if line in frame.columns], *cmap.parties]:
        frame[c] = [parse_count(v) for v in frame[c]]
    frame["copy_id"] = frame["source_sha256"].str[:16] + ":" + frame["source_row"].astype(str)
    return frame


# --- loading into the warehouse -------------------------------------------------------------------------


@dataclass
class LoadResult:
    """What loading one file did."""

    path: str
    sha256: str
    kind: str = ""
    status: str = "loaded"  # loaded | unchanged (same bytes loaded before) | refused | failed
    rows: int = 0
    good: int = 0
    rejected: int = 0
    flagged: int = 0
    superseded: list[str] = field(default_factory=list)  # sha256s of earlier versions this file replaced
    problems: list[str] = field(default_factory=list)  # file / row / column messages for people

    def summary(self) -> str:
        if self.status != "loaded":
            return f"{self.path}: {self.status}"
        extra = f", superseding {len(self.superseded)} earlier version(s)" if self.superseded else ""
        return (
            f"{self.path}: {self.kind}, {self.rows} rows: {self.good} good, {self.rejected} quarantined, "
            f"{self.flagged} flagged{extra}"
        )


TABLES = {"protocol": "observer_protocols", "turnout": "observer_turnout", "violation": "observer_violations"}
CORE_TABLES = {
    "protocol": "core.observer_protocol_copies",
    "turnout": "core.observer_turnout",
    "violation": "core.observer_violations",
}
_STAGING_PROTOCOL_LINES = (
    "registered",
    "ballots_received",
    "ballots_issued",
    "ballots_cancelled",
    "ballots_in_boxes",
    "invalid",
    "valid",
)


@dataclass(frozen=True)
class ElectionContext:
    """What the warehouse knows about an election that observers' rows are checked against."""

    election_id: str
    election_date: date | None
    contests: dict[str, str]  # contest id -> kind
    ballots: dict[str, list[str]]  # contest id -> option ids on its ballot
    registry: frozenset[str]  # pec commission ids
    registry_regions: frozenset[str]  # regions with a precinct registry
    official_registered: dict[tuple[str, str], int] = field(default_factory=dict)  # (contest, pec) -> list


def election_context(con: duckdb.DuckDBPyConnection, election_id: str) -> ElectionContext:
    """The contests, ballots and precinct registry of an election, from ``ref``."""
    row = con.execute(
        "select election_date from ref.elections where election_id = ?", [election_id]
    ).fetchone()
    if row is None:
        raise ObserverFileError(f"election {election_id!r} is not in ref.elections")
    contests = dict(
        con.execute(
            "select contest_id, kind from ref.contests where election_id = ?", [election_id]
        ).fetchall()
    )
    ballots: dict[str, list[str]] = {c: [] for c in contests}
    for contest, option in con.execute(
        "select contest_id, option_id from ref.ballot_options where election_id = ? "
        "order by contest_id, position nulls last, option_id",
        [election_id],
    ).fetchall():
        ballots.setdefault(contest, []).append(option)
    registry = con.execute(
        "select commission_id, region_code from ref.commissions where election_id = ? and level = 'pec'",
        [election_id],
    ).fetchall()
    official = con.execute(
        "select contest_id, unit_id, max(value) from core.protocol_values where election_id = ? "
        "and source = 'official' and level = 'pec' and line = 'registered' group by contest_id, unit_id",
        [election_id],
    ).fetchall()
    return ElectionContext(
        election_id,
        row[0],
        contests,
        ballots,
        frozenset(r[0] for r in registry),
        frozenset(r[1] for r in registry if r[1]),
        {(c, u): int(v) for c, u, v in official},
    )


FORMULA_RULE = "formula_cell"
FORMULA_REASON = (
    "a cell holds a spreadsheet formula (text starting with =, @, + or -): it is never evaluated, and the "
    "row is not trusted; write the value itself"
)
# What a spreadsheet runs as a formula: text starting with = or @, or with + / - followed by more than a
# number (a signed count is a number: "-3" is left to the count rules; "+cmd|' /C calc'!A0" is a formula).
_FORMULA = re.compile(r"^[=@]|^[+\-](?![\d\s.,()%-]*$)\S")
# columns the parser renamed: the canonical column -> where its text is in the parsed frame
_PARSED_AS = {"contest": "contest_id", "time": "as_of"}


def is_formula(value: object) -> bool:
    """Whether a cell, as read, is spreadsheet formula text (see ``_FORMULA``)."""
    return isinstance(value, str) and bool(_FORMULA.match(value.strip()))


def formula_cells(parsed: ParsedExport) -> pd.Series:
    """Per row of the parsed frame: ``"column=text, ..."`` of the cells holding a formula, else ``""``.

    Personal columns are not looked at: they never leave the parser.
    """
    frame = parsed.frame
    found = pd.Series("", index=frame.index, dtype=object)
    for canonical in dict.fromkeys(parsed.columns.columns.values()):
        column = _PARSED_AS.get(canonical, canonical)
        if canonical in PERSONAL_COLUMNS or column not in frame.columns:
            continue
        hit = frame[column].map(is_formula).astype(bool)
        if hit.any():
            text = canonical + "=" + frame.loc[hit, column].astype(str)
            found[hit] = (found[hit] + ", ").where(found[hit] != "", "") + text
    return found


def _formula_rejections(rows: pd.DataFrame, found: pd.Series, table: str) -> Validated:
    """Rows holding a formula, rejected (``formula_cell``) before any other rule looks at them."""
    from saylau.validate import REJECT, Validated

    rejected = rows.copy()
    rejected["row_position"] = rejected["source_row"].astype("int64")
    rejected["rule"] = FORMULA_RULE
    rejected["severity"] = REJECT
    rejected["failing_values"] = found.loc[rows.index].to_numpy()
    rejected["reason"] = FORMULA_REASON
    counts = pd.DataFrame(
        [{"table_name": table, "rule": FORMULA_RULE, "severity": REJECT, "failed_rows": len(rows)}]
    )
    return Validated(rows.iloc[0:0], rejected.reset_index(drop=True), pd.DataFrame(), counts, table)


def validate_export(parsed: ParsedExport, ctx: ElectionContext) -> Validated:
    """Validate a parsed export against its pandera model (per contest for protocol copies).

    A row with a formula in any cell is rejected as ``formula_cell`` and not validated further.
    """
    found = formula_cells(parsed)
    if not (found != "").any():
        return _validate_rows(parsed, ctx)
    formulas = found != ""
    rest = ParsedExport(
        parsed.kind, parsed.columns, parsed.frame[~formulas].reset_index(drop=True), parsed.file_name
    )
    table = TABLES[parsed.kind]
    inner = _validate_rows(rest, ctx)
    return _merge(
        [_formula_rejections(parsed.frame[formulas], found, table), inner], table, inner.key_columns
    )


def _validate_rows(parsed: ParsedExport, ctx: ElectionContext) -> Validated:
    from saylau.validate import validate_frame
    from schemas.observers import observer_protocol_schema, observer_turnout_schema, observer_violation_schema

    table = TABLES[parsed.kind]
    keys = ["source", "election_id", "contest_id", "unit_id", "region_code", "copy_id", "source_ref",
            "source_sha256", "source_row"]  # fmt: skip
    frame = parsed.frame
    if parsed.kind == "turnout":
        keys = [k for k in keys if k in frame.columns] + ["as_of"]
        schema = observer_turnout_schema(ctx.registry, ctx.registry_regions)
        return validate_frame(frame, schema, table, key_columns=keys)
    if parsed.kind == "violation":
        keys = [k for k in keys if k in frame.columns]
        schema = observer_violation_schema(ctx.registry, ctx.registry_regions)
        return validate_frame(frame, schema, table, key_columns=keys)
    parts = []
    for contest, group in frame.groupby("contest_id", sort=True, dropna=False):
        known = contest in ctx.contests and bool(group["contest_known"].all())
        options = ctx.ballots.get(contest, []) if known else list(parsed.columns.parties)
        off_ballot = [p for p in parsed.columns.parties if p not in options]
        group = group.copy()
        for option in options:
            if option not in group.columns:
                group[option] = pd.NA
        if not known:
            group["contest_known"] = False
        kind = ctx.contests.get(contest, "party_list")
        schema = observer_protocol_schema(
            kind, options, off_ballot, ctx.registry, ctx.registry_regions, ctx.official_registered
        )
        if ctx.official_registered:  # shown next to the copy's list size when the two differ
            group["official_registered"] = pd.array(
                [
                    ctx.official_registered.get(k)
                    for k in zip(group["contest_id"], group["unit_id"], strict=True)
                ],
                dtype="Int64",
            )
        parts.append(validate_frame(group, schema, table, key_columns=keys))
    return _merge(parts, table, keys)


def _merge(parts: list[Validated], table: str, keys: list[str]) -> Validated:
    from saylau.validate import COUNT_COLUMNS, Validated

    def cat(frames: list[pd.DataFrame]) -> pd.DataFrame:
        frames = [f for f in frames if len(f)]
        return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()

    counts = cat([p.counts for p in parts])
    if len(counts):
        counts = counts.groupby(["table_name", "rule", "severity"], as_index=False)["failed_rows"].sum()
    else:
        counts = pd.DataFrame(columns=COUNT_COLUMNS)
    rejected = cat([p.rejected for p in parts])
    flags = cat([p.flags for p in parts])
    if len(rejected):
        rejected["row_position"] = rejected["source_row"].astype("int64")
    if len(flags):
        flags["row_position"] = flags["source_row"].astype("int64")
    return Validated(cat([p.good for p in parts]), rejected, flags, counts, table, keys)


def problems_of(validated: Validated, cmap: ColumnMap, file_name: str) -> list[str]:
    """One message per rejected row and rule, naming the file, the row and the column as written."""
    out = []
    for row in validated.rejected.itertuples(index=False):
        values = str(row.failing_values)
        for canonical in sorted(set(cmap.columns.values()), key=len, reverse=True):
            header = cmap.header_of(canonical)
            if header != canonical:
                values = re.sub(rf"(?<![\w]){re.escape(canonical)}=", f"{canonical} ({header!r})=", values)
        if "time" in cmap.columns.values():  # times are parsed into as_of
            values = values.replace("as_of=", f"as_of ({cmap.header_of('time')!r})=")
        out.append(f"{file_name} row {row.source_row}: {row.rule}: {values}")
    return out


def _delete_file_rows(con: duckdb.DuckDBPyConnection, sha256: str) -> None:
    """Remove every row loaded from one file's bytes (staging, core, quarantine, flags)."""
    from saylau.warehouse import table_exists

    for table in [*(f"staging.{t}" for t in TABLES.values()), *CORE_TABLES.values(), "core.validation_flags"]:
        con.execute(f"delete from {table} where source_sha256 = ?", [sha256])
    for table in TABLES.values():
        if table_exists(con, f"quarantine.{table}"):
            con.execute(f"delete from quarantine.{table} where source_sha256 = ?", [sha256])


def _is_count(value: object) -> bool:
    """A vote count that parsed (an int, not a bool, NaN or text as typed)."""
    return isinstance(value, numbers.Integral) and not isinstance(value, bool)


def _stage(con: duckdb.DuckDBPyConnection, parsed: ParsedExport, run_id: str) -> None:
    """Parsed rows -> ``staging.observer_*`` (as parsed, typed where they parse; no personal data)."""
    frame = parsed.frame.copy()
    frame["run_id"] = run_id
    frame["organisation"] = frame["source"]
    table = f"staging.{TABLES[parsed.kind]}"
    columns = [r[0] for r in con.execute(
        "select column_name from information_schema.columns where table_schema = 'staging' and table_name = ?",
        [TABLES[parsed.kind]],
    ).fetchall()]  # fmt: skip
    if parsed.kind == "protocol":
        frame["votes"] = [
            json.dumps(
                {p: int(v) for p in parsed.columns.parties if _is_count(v := row.get(p))}, ensure_ascii=False
            )
            for row in frame[list(parsed.columns.parties)].to_dict("records")
        ]
    numeric = {"registered", "voters_counted", *_STAGING_PROTOCOL_LINES}
    out = pd.DataFrame(index=frame.index)
    for c in columns:
        if c not in frame.columns:
            continue
        if c in numeric:  # a count that does not parse stays in the quarantine, as written; NULL here
            out[c] = pd.to_numeric(frame[c].map(lambda v: v if isinstance(v, int) else None), errors="coerce")
            out[c] = out[c].astype("Int64")
        elif c == "as_of":
            out[c] = pd.to_datetime(frame[c].map(lambda v: v if isinstance(v, datetime) else None))
        elif c == "source_row":
            out[c] = frame[c].astype("int64")
        else:
            out[c] = (
                frame[c]
                .astype(object)
                .where(frame[c].notna(), None)
                .map(lambda v: None if v is None else str(v))
            )
    con.register("_stage_frame", out)
    try:
        con.execute(f"insert into {table} by name select * from _stage_frame")
    finally:
        con.unregister("_stage_frame")


def _store_core(
    con: duckdb.DuckDBPyConnection, parsed: ParsedExport, validated: Validated, run_id: str
) -> None:
    good = validated.good
    if good.empty:
        return
    if parsed.kind == "protocol":
        options = [p for p in parsed.columns.parties if p in good.columns]
        long = to_long(good.assign(run_id=run_id), options)
        extra = good[["source_row", "copy_id", "observer_hash"]].copy()
        # the photo column is optional: a file without one has no copy backed by a photo
        photo = good["photo_ref"] if "photo_ref" in good.columns else _empty(good)
        extra["has_photo"] = photo.notna() & (photo.astype(str).str.strip() != "")
        long = long.merge(extra, on="source_row", how="left")
        frame, table = long, CORE_TABLES["protocol"]
    else:
        frame = good.assign(run_id=run_id)
        table = CORE_TABLES[parsed.kind]
    columns = [r[0] for r in con.execute(
        "select column_name from information_schema.columns where table_schema = 'core' and table_name = ?",
        [table.split(".")[1]],
    ).fetchall()]  # fmt: skip
    frame = frame[[c for c in columns if c in frame.columns]]
    con.register("_core_frame", frame)
    try:
        con.execute(f"insert into {table} by name select * from _core_frame")
    finally:
        con.unregister("_core_frame")


# the views that decide which observer copy counts, in the order they build on each other
OBSERVER_VIEWS = (
    "int_observer_copies_compared.sql",
    "int_observer_protocol_conflicts.sql",
    "int_observer_protocols_resolved.sql",
)


def ensure_views(con: duckdb.DuckDBPyConnection) -> None:
    """(Re)create the observer views of ``sql/20_intermediate`` (the loader resolves copies through them)."""
    from saylau.config import SQL_DIR
    from saylau.sqlrun import run_file

    for name in OBSERVER_VIEWS:
        run_file(con, SQL_DIR / "20_intermediate" / name)


def resolve_observer_protocols(con: duckdb.DuckDBPyConnection) -> int:
    """Replace observers' rows in ``core.protocol_values`` by the copies that count; returns rows written.

    Which copy counts is decided by ``core.int_observer_copies_compared`` (see docs/observers.md).
    """
    ensure_views(con)
    # only rows that came from observers' files: an organisation's precinct table imported under its id
    # (`import-precincts --source <organisation>`, core.precinct_imports) is no copy and stays
    from_files = (
        "source in (select distinct organisation from raw.observer_files) "
        "and source_sha256 in (select sha256 from raw.observer_files) "
        "and not exists (select 1 from core.precinct_imports as i where i.source_sha256 = v.source_sha256 "
        "and i.source = v.source and i.election_id = v.election_id and i.contest_id = v.contest_id)"
    )
    con.execute(f"delete from core.protocol_values as v where {from_files}")
    con.execute("insert into core.protocol_values by name select * from core.int_observer_protocols_resolved")
    return con.execute(f"select count(*) from core.protocol_values as v where {from_files}").fetchone()[0]


def load_observer_file(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    *,
    election_id: str,
    run_id: str,
    salt: bytes,
    archive_dir: Path,
    organisation: str | None = None,
    contest: str | None = None,
    kind: str | None = None,
    body: bytes | None = None,
) -> LoadResult:
    """Archive, parse, validate and store one export (one transaction); see the module docstring.

    ``body`` replaces reading ``path`` (a rebuild passes the archived bytes and the path as first given).
    A load that changed the warehouse is remembered in the archive's manifest, so the archive alone
    repeats it (:mod:`saylau.manifest`).
    """
    from saylau import manifest

    path = Path(path)
    body = path.read_bytes() if body is None else body
    loaded_at = datetime.now(UTC)
    result = _load_observer_body(
        con, path, body, election_id, run_id, salt, archive_dir, organisation, contest, kind
    )
    if result.status == "loaded":
        manifest.record_load(
            archive_dir,
            "observer_file",
            result.sha256,
            str(path),
            loaded_at,
            election_id=election_id,
            organisation=organisation,
            contest=contest,
            kind=kind,
        )
    return result


def _load_observer_body(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    body: bytes,
    election_id: str,
    run_id: str,
    salt: bytes,
    archive_dir: Path,
    organisation: str | None,
    contest: str | None,
    kind: str | None,
) -> LoadResult:
    from saylau.archive import Archive
    from saylau.validate import store_counts, store_flags, store_rejected

    sha = Archive(archive_dir).put(body)
    result = LoadResult(str(path), sha)
    now = datetime.now(UTC)
    con.execute(
        "insert or ignore into raw.files (sha256, path, kind, bytes, read_at, run_id) values (?, ?, ?, ?, ?, ?)",
        [sha, str(path), "observer_export", len(body), now, run_id],
    )
    if con.execute("select count(*) from raw.observer_files where sha256 = ?", [sha]).fetchone()[0]:
        result.status = "unchanged"
        return result
    ctx = election_context(con, election_id)
    if kind in (None, "aggregate") and _is_aggregate(body, path.name):
        return _load_aggregate(con, path, body, result, organisation, run_id, now)
    try:
        parsed = parse_export(
            body,
            path.name,
            election_id=election_id,
            salt=salt,
            election_date=ctx.election_date,
            organisation=organisation,
            contest=contest,
            kind=kind,
            sha256=sha,
        )
    except ObserverFileError as exc:
        result.status = "refused"
        result.problems.append(str(exc))
        return result
    parsed.frame["source_ref"] = str(path)
    result.kind, result.rows = parsed.kind, len(parsed.frame)
    validated = validate_export(parsed, ctx)
    sources = sorted(set(parsed.frame["source"]))
    con.execute("begin transaction")
    try:
        # an earlier version: same file name, kind and organisation, for the same election (organisations
        # reuse their file names from one election to the next; another election's file is no version)
        earlier = [
            r[0]
            for r in con.execute(
                "select distinct f.sha256 from raw.observer_files as f where f.file_name = ? and f.kind = ? "
                "and f.organisation in (select unnest(?)) and f.superseded_by is null and f.sha256 <> ? "
                f"and not exists (select 1 from staging.{TABLES[parsed.kind]} as s "
                "where s.source_sha256 = f.sha256 and s.election_id <> ?)",
                [path.name, parsed.kind, sources, sha, election_id],
            ).fetchall()
        ]
        for old in earlier:
            _delete_file_rows(con, old)
            con.execute("update raw.observer_files set superseded_by = ? where sha256 = ?", [sha, old])
        _stage(con, parsed, run_id)
        _store_core(con, parsed, validated, run_id)
        store_rejected(con, validated.table_name, validated, run_id)
        store_flags(con, validated.table_name, validated, run_id)
        store_counts(con, validated, run_id)
        for source in sources:
            con.execute(
                "insert into raw.observer_files (sha256, file_name, path, kind, organisation, rows, loaded_at, "
                "run_id) values (?, ?, ?, ?, ?, ?, ?, ?)",
                [sha, path.name, str(path), parsed.kind, source, int((parsed.frame["source"] == source).sum()),
                 now, run_id],
            )  # fmt: skip
        if parsed.kind == "protocol":
            resolve_observer_protocols(con)
        con.execute("commit")
    except Exception:
        con.execute("rollback")
        raise
    result.superseded = earlier
    result.good = len(validated.good)
    result.rejected = validated.rejected_rows if not validated.rejected.empty else 0
    if len(validated.rejected):
        result.rejected = int(validated.rejected["source_row"].nunique())
    result.flagged = int(validated.flags["source_row"].nunique()) if len(validated.flags) else 0
    result.problems = problems_of(validated, parsed.columns, path.name)
    return result


def _is_aggregate(body: bytes, file_name: str) -> bool:
    from saylau.aggregates import looks_like_aggregate

    if not _is_workbook(body, file_name) and body.count(b"\n") > MAX_ROWS + 1:
        return False  # too long for a summary table: parsing refuses it as too long for any export
    try:
        headers = read_headers(body, file_name)
    except ObserverFileError:
        return False
    return looks_like_aggregate(headers)


def _load_aggregate(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    body: bytes,
    result: LoadResult,
    organisation: str | None,
    run_id: str,
    now: datetime,
) -> LoadResult:
    """A published summary table: stored as it is, its inconsistencies reported as warnings."""
    from saylau.aggregates import load_aggregate

    con.execute("begin transaction")
    try:
        loaded = load_aggregate(con, path, run_id, body)
        con.execute(
            "insert into raw.observer_files (sha256, file_name, path, kind, organisation, rows, loaded_at, run_id) "
            "values (?, ?, ?, 'aggregate', ?, ?, ?, ?)",
            [result.sha256, path.name, str(path), organisation_id(organisation), loaded.cells, now, run_id],
        )
        con.execute("commit")
    except Exception:
        con.execute("rollback")
        raise
    result.kind, result.rows, result.good = "aggregate", loaded.cells, loaded.cells
    result.flagged = len(loaded.warnings)
    result.problems = [f"{path.name} cell {w.cell}: warning {w.rule}: {w.message}" for w in loaded.warnings]
    return result


def record_conflicts(con: duckdb.DuckDBPyConnection, run_id: str) -> int:
    """Count precincts whose observer copies disagree with no photo to decide, into ``meta.data_quality``."""
    ensure_views(con)
    n = con.execute(
        "select count(*) from core.int_observer_protocol_conflicts where resolution = 'unresolved'"
    ).fetchone()[0]
    con.execute("delete from meta.data_quality where run_id = ? and rule = 'conflict_unresolved'", [run_id])
    if n:
        con.execute(
            "insert into meta.data_quality values (?, 'observer_protocols', 'conflict_unresolved', 'flag', ?)",
            [run_id, n],
        )
    return n


def load_observers(
    db_path: Path,
    paths: Sequence[Path],
    *,
    election_id: str,
    run_id: str,
    organisation: str | None = None,
    contest: str | None = None,
    kind: str | None = None,
    s: Settings | None = None,
) -> list[LoadResult]:
    """Load observers' exports (files, or folders of .csv/.xlsx) into the warehouse; one result per file.

    A file that cannot be read is refused with a message and the others still load.
    """
    from saylau.warehouse import connect

    s = s or settings()
    files = expand_paths(paths)
    salt = pii_salt(s)
    results = []
    with connect(db_path) as con:
        for path in files:
            size = path.stat().st_size
            if size > MAX_FILE_BYTES:
                result = LoadResult(str(path), "", status="refused")
                result.problems.append(
                    f"{path.name}: {size:,} bytes, more than an observers' export can be ({MAX_FILE_BYTES:,}): "
                    "not read"
                )
                results.append(result)
                continue
            try:
                result = load_observer_file(
                    con,
                    path,
                    election_id=election_id,
                    run_id=run_id,
                    salt=salt,
                    archive_dir=s.archive_dir,
                    organisation=organisation,
                    contest=contest,
                    kind=kind,
                )
            except Exception as exc:  # noqa: BLE001 - one file's failure, whatever it is, is that file's
                # the file's own transaction was rolled back; the files before and after still load
                result = LoadResult(str(path), "", status="failed")
                result.problems.append(f"{path.name}: {type(exc).__name__}: {exc}")
            results.append(result)
        if any(r.kind == "protocol" and r.status == "loaded" for r in results):
            record_conflicts(con, run_id)  # only a run that changed the copies has something to report
    return results


def expand_paths(paths: Sequence[Path]) -> list[Path]:
    """Files as given, folders expanded to their .csv / .xlsx files (sorted); a missing path is an error."""
    out: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            out += sorted(f for f in p.rglob("*") if f.suffix.lower() in (".csv", ".xlsx"))
        elif p.exists():
            out.append(p)
        else:
            raise ObserverFileError(f"{p}: no such file or folder")
    return out


# --- the template observer organisations fill in ------------------------------------------------------

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
    "turnout": "observer_turnout_template",
    "violation": "observer_violations_template",
}


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
        for canonical, _, _ in TEMPLATE_COLUMNS[kind]:
            names = mapping[(mapping["file_kind"] == kind) & (mapping["canonical"] == canonical)]
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
