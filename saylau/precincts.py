"""Precinct-level results tables (any post-Soviet CEC) -> wide protocol frames -> ``core.protocol_values``.

Two formats:

- ``izbirkom-csv``: Russia's CEC tables as collected from izbirkom.ru (e.g. the ``dkobak/elections``
  files): columns ``region``, ``oik`` (optional), ``tik``, ``uik``, ``url``, then the protocol lines under
  their full Russian captions, then one column per party headed ``"<ballot position>. <party name>"``.
  Caption wording varies by year; :data:`IZBIRKOM_CAPTIONS` maps every known wording to a canonical line of
  :data:`saylau.protocol.LINES` (see docs/forensics.md). A caption not in the mapping is an error that
  names it: a new wording is added to the mapping, never guessed.
- ``kz-precinct-csv``: Kazakh precinct tables (official or observers'): headers in kk/ru/en as listed
  for observers' protocol exports in ``reference_data/observer_columns.csv``, plus one column per party
  headed by any party name the resolver knows. Regions resolve to ISO codes; precincts are
  ``<region code>/<number>``.

Parsing is bytes in, rows out (:func:`parse_izbirkom`, :func:`parse_kz_precinct`); :func:`import_precincts`
archives the file, registers a foreign election in ``ref`` (rows with ``origin = 'import:<sha256>'``, kept
across reference reloads), validates, loads core and quarantine, and rebuilds the marts.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import io
import re
import unicodedata
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

import duckdb
import pandas as pd

from saylau.config import REFERENCE_DATA_DIR
from saylau.protocol import LINES, derive_totals
from saylau.warehouse import table_exists

FORMATS = ("izbirkom-csv", "kz-precinct-csv")
MAX_UNPACKED_BYTES = 1_000_000_000  # a zipped table unpacking to more is refused before it is unpacked


class PrecinctImportError(ValueError):
    """A precinct table that cannot be imported as a whole; the message names the file and what is wrong."""


class UnknownCaptionError(PrecinctImportError):
    """A column caption the format's mapping does not know; carries the caption as written."""

    def __init__(self, caption: str, source: str, fmt: str) -> None:
        self.caption = caption
        self.source = source
        super().__init__(
            f"{source}: unknown {fmt} column caption {caption!r} "
            "(add its wording to the caption mapping in saylau/precincts.py if it is a protocol line)"
        )


# --------------------------------------------------------------------------------------------------------
# Names, keys and slugs

_TRANSLIT = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh", "з": "z", "и": "i",
    "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t",
    "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "", "ы": "y",
    "ь": "", "э": "e", "ю": "yu", "я": "ya", "ә": "a", "ғ": "g", "қ": "q", "ң": "n", "ө": "o", "ұ": "u",
    "ү": "u", "һ": "h", "і": "i",
}  # fmt: skip
_QUOTES = re.compile(r"[«»\"“”„'’`]")


def caption_key(text: str) -> str:
    """The lookup key of a caption or name: case, ё, quotes, dashes and spacing folded."""
    s = unicodedata.normalize("NFC", str(text)).lower().replace("ё", "е")
    s = _QUOTES.sub("", s)
    s = re.sub(r"[‐‑‒–—―−]", "-", s)
    s = re.sub(r"[\s\u00a0\u2009\u202f]+", " ", s)
    return s.strip(" .,:;")


def transliterate(text: str) -> str:
    """Latin spelling of a Russian or Kazakh name (one letter-by-letter table; case kept for the first)."""
    out = []
    for ch in str(text):
        low = ch.lower()
        if low in _TRANSLIT:
            lat = _TRANSLIT[low]
            out.append(lat.capitalize() if ch != low and lat else lat)
        else:
            out.append(ch)
    return "".join(out)


def slug(text: str, sep: str = "_", max_len: int = 60) -> str:
    """An ASCII identifier for a name: transliterated, lower case, words joined by ``sep``."""
    s = transliterate(caption_key(text)).lower()
    s = re.sub(r"[^a-z0-9]+", sep, s).strip(sep)
    if len(s) > max_len:
        s = s[:max_len].rsplit(sep, 1)[0]
    if not s or not s[0].isalpha():
        s = f"x{sep}{s}"
    return s


# --------------------------------------------------------------------------------------------------------
# izbirkom captions -> canonical protocol lines

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
    """The mapping key of an izbirkom caption: :func:`caption_key` with year-specific filler words removed."""
    key = caption_key(caption)
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


@dataclass(frozen=True)
class BallotOption:
    """A party column of a precinct table: its caption, ballot position and canonical option id."""

    caption: str
    position: int
    option_id: str
    name: str  # the party's name as the table writes it (without number and legal form)
    name_en: str
    short_en: str


def party_core_name(name: str) -> str:
    """A party's name without its legal form and quotes, lower case: the key of :data:`KNOWN_PARTIES`."""
    key = caption_key(name)
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
    display = re.sub(r"\s+", " ", _QUOTES.sub("", raw)).strip()
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
# Parsed tables


@dataclass
class PrecinctTable:
    """A parsed precinct table.

    ``wide`` has one row per loadable precinct: ``unit_id``, ``region_code``, ``source_row`` (CSV line),
    the canonical lines the table gives (nullable integers) and one column per option id.
    A cell that is empty stays missing (validation rejects the row under ``required_lines``, it is never
    read as 0); a column holding a cell that is not a whole number is kept as text (validation rejects
    those rows as ``wrong_type``). ``commissions`` is the precinct/territorial registry the table implies.
    """

    wide: pd.DataFrame
    options: list[BallotOption]
    line_captions: dict[str, str]
    commissions: pd.DataFrame = field(default_factory=pd.DataFrame)
    regions: dict[str, str] = field(default_factory=dict)  # region_code -> name as written
    rows_read: int = 0


def read_table(body: bytes, source: str) -> pd.DataFrame:
    """The CSV inside ``body`` (a CSV file, or a zip holding exactly one): clean count columns as int64,
    every other column as text (empty cells as empty strings, never NA or 0)."""
    if body[:4] == b"PK\x03\x04":
        try:
            with zipfile.ZipFile(io.BytesIO(body)) as archive:
                members = [
                    m for m in archive.namelist() if m.lower().endswith(".csv") and not m.startswith("__")
                ]
                if len(members) != 1:
                    raise PrecinctImportError(f"{source}: expected one .csv inside the zip, found {members}")
                unpacked = archive.getinfo(members[0]).file_size  # reading stops there, whatever the data
                if unpacked > MAX_UNPACKED_BYTES:
                    raise PrecinctImportError(
                        f"{source}!{members[0]}: {unpacked:,} bytes unpacked, more than a precinct table can "
                        f"be ({MAX_UNPACKED_BYTES:,})"
                    )
                body = archive.read(members[0])
        except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, EOFError, OSError) as exc:
            raise PrecinctImportError(f"{source}: not a readable zip ({exc})") from exc
        source = f"{source}!{members[0]}"
    boms = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"), (codecs.BOM_UTF16_LE, "utf-16"),
            (codecs.BOM_UTF16_BE, "utf-16"))  # fmt: skip
    unicode = [encoding for bom, encoding in boms if body.startswith(bom)][:1]
    for encoding in unicode or ["utf-8-sig", "cp1251"]:
        try:
            text = body.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise PrecinctImportError(f"{source}: not UTF-8, UTF-16, UTF-32 or CP1251 text")
    if "\x00" in text:  # cp1251 reads any byte: a binary file is told by its NULs
        raise PrecinctImportError(f"{source}: not a text table (it holds NUL bytes)")
    # Excel in a Russian or Kazakh locale saves CSV with semicolons: the header line says which separator
    first = text.lstrip("\ufeff").split("\n", 1)[0]
    delimiter = max([",", ";", "\t"], key=first.count)
    try:
        # numbers are inferred (a clean count column arrives as int64); a column with an empty or
        # unreadable cell stays text and is read cell by cell in _numbers
        frame = pd.read_csv(
            io.StringIO(text), sep=delimiter, keep_default_na=False, na_values=[], low_memory=False
        )
    except (pd.errors.ParserError, pd.errors.EmptyDataError, csv.Error) as exc:
        raise PrecinctImportError(f"{source}: not a readable CSV table ({exc})") from exc
    lines = _record_lines(text, delimiter)
    if len(lines) == len(frame):  # index + 2 = the row's CSV line (header = line 1), as callers read it
        frame.index = pd.Index(lines, dtype="int64") - 2
    return frame


def _record_lines(text: str, delimiter: str = ",") -> list[int]:
    """The CSV line each data record starts on (header = line 1), skipping blank lines as pandas does.

    A blank line or a quoted cell over several lines puts a record below line ``position + 2``; the
    quarantine and the errors name the line a person finds in the file.
    """
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    starts, start = [], 1
    try:
        for row in reader:
            if row and not (len(row) == 1 and not row[0].strip()):
                starts.append(start)
            start = reader.line_num + 1
    except csv.Error:
        return []
    return starts[1:]


_EMPTY = ("", "na", "nan", "null", "-", "—")


def _numbers(frame: pd.DataFrame, columns: dict[str, str]) -> tuple[pd.DataFrame, dict[str, pd.Series]]:
    """Text cells -> nullable integers (an empty cell stays missing, never 0).

    ``columns`` maps source caption -> canonical column. Returns the numbers (a cell that is not a whole
    number is missing there) and, for each column holding such cells, the column with those cells as
    written and the others as read, so validation rejects those rows alone as ``wrong_type``, naming the
    value as written.
    """
    values: dict[str, pd.Series] = {}
    as_text: dict[str, pd.Series] = {}
    for caption, column in columns.items():
        if pd.api.types.is_integer_dtype(frame[caption]):  # the usual case: every cell a whole number
            values[column] = frame[caption].astype("Int64")
            continue
        text = frame[caption].astype(str).str.strip()
        empty = text.str.lower().isin(_EMPTY)
        number = pd.to_numeric(text.str.replace(r"[\s\u00a0]", "", regex=True), errors="coerce")
        whole = number.notna() & (number % 1 == 0)
        values[column] = number.where(whole).astype("Int64")
        if (~empty & ~whole).any():
            # the unreadable cells as written, every other cell as read: one bad cell must not turn the
            # readable ones ("1 500") into text that validation would reject with it
            readable = values[column].astype(object).where(whole, None)
            as_text[column] = readable.where(whole, text.where(~empty, None)).astype(object)
    return pd.DataFrame(values, index=frame.index), as_text


def _finish(
    frame: pd.DataFrame, ids: pd.DataFrame, line_columns: dict[str, str], options: list[BallotOption]
) -> pd.DataFrame:
    """Wide rows: ids, the lines and options as numbers, totals derived from their parts."""
    columns = dict(line_columns)
    columns.update({o.caption: o.option_id for o in options})
    numbers, as_text = _numbers(frame, columns)
    wide = derive_totals(pd.concat([ids, numbers], axis=1))
    for column, text in as_text.items():  # keep unreadable cells as written, for the quarantine
        wide[column] = text
    wide["source_row"] = (frame.index + 2).astype("int64")
    return wide.reset_index(drop=True)


def _duplicates(ids: pd.DataFrame, source: str) -> None:
    dup = ids["unit_id"].duplicated(keep=False)
    if dup.any():
        first = ids.loc[dup, "unit_id"].iloc[0]
        rows = (ids.index[ids["unit_id"] == first] + 2).tolist()
        raise PrecinctImportError(
            f"{source}: precinct {first!r} appears on several rows (CSV lines {rows}); "
            f"{int(dup.sum())} rows share a precinct id"
        )


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


def kz_column_mapping(data_dir: Path = REFERENCE_DATA_DIR) -> dict[str, str]:
    """Kazakh precinct-table header key (:func:`caption_key`) -> canonical column, from observer_columns.csv."""
    mapping = {}
    with (data_dir / "observer_columns.csv").open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            if row["file_kind"] == "protocol":
                mapping[caption_key(row["header"])] = row["canonical"]
    return mapping


_KZ_IGNORED = {"observer_name", "observer_phone", "observer_email", "photo_ref", "notes"}

# Canonical headers of the machine-readable layout (the demo's official/precincts.csv, docs/demo.md):
# header -> role. Protocol lines and party ids under their canonical names are read as well.
KZ_CANONICAL_HEADERS = {
    "election_id": "election",
    "contest_id": "contest",
    "region_code": "region",
    "tec_id": "tec",
    "pec_id": "pec",
    "precinct_number": "precinct",
    "abroad": "abroad",
    "status": "status",
}


def _kz_columns(frame: pd.DataFrame, source: str, resolver) -> tuple[dict, dict, list[BallotOption]]:
    """Classify a Kazakh table's headers: id columns by role, protocol lines, party columns."""
    from saylau.reference import UnknownNameError

    mapping = kz_column_mapping()
    ids_cols: dict[str, str] = {}
    line_columns: dict[str, str] = {}
    options: list[BallotOption] = []
    seen: dict[str, str] = {}  # canonical column -> the caption that gave it

    def claim(column: str, caption: str) -> None:
        """One column per id, line and party: a second one would overwrite the first's numbers."""
        if column in seen:
            raise PrecinctImportError(
                f"{source}: columns {seen[column]!r} and {caption!r} both map to {column!r}"
            )
        seen[column] = caption

    for position, caption in enumerate(frame.columns, start=1):
        canonical = KZ_CANONICAL_HEADERS.get(caption.strip()) or mapping.get(caption_key(caption))
        if canonical in ("region", "precinct", "contest", "election", "tec", "pec", "abroad", "status"):
            claim(canonical, caption)
            ids_cols[canonical] = caption
        elif canonical in LINES or caption.strip() in LINES:
            line = canonical if canonical in LINES else caption.strip()
            claim(line, caption)
            line_columns[caption] = line
        elif canonical in _KZ_IGNORED:
            continue
        else:
            try:
                party_id = resolver.party(caption)
            except UnknownNameError as exc:
                raise UnknownCaptionError(caption, source, "kz-precinct-csv") from exc
            claim(party_id, caption)
            row = resolver.parties[party_id]
            options.append(
                BallotOption(caption, position, party_id, caption, row["name_en"], row["short_en"])
            )
    return ids_cols, line_columns, options


def kz_contests(body: bytes, source: str) -> list[str]:
    """The contests a Kazakh precinct table holds (its contest column), or [] if it has none."""
    frame = read_table(body, source)
    mapping = kz_column_mapping()
    for caption in frame.columns:
        if (KZ_CANONICAL_HEADERS.get(caption.strip()) or mapping.get(caption_key(caption))) == "contest":
            return sorted(set(frame[caption].astype(str).str.strip().str.lower()))
    return []


def parse_kz_precinct(
    body: bytes,
    source: str,
    contest_id: str,
    on: date | None = None,
    resolver=None,
    election_id: str | None = None,
) -> PrecinctTable:
    """Parse a Kazakh precinct table: kk/ru/en headers, regions resolved to ISO codes, parties to ids.

    Two layouts are read: observers'-style headers (``reference_data/observer_columns.csv``, party columns
    headed by any party name) and the canonical layout of docs/demo.md (``region_code``, ``pec_id``,
    protocol lines and party ids as headers). A table holding several contests (a contest column) gives
    the rows of ``contest_id``; an ``election_id`` column must name ``election_id``. A header that is
    neither a known column nor a party name the resolver knows raises :class:`UnknownCaptionError`; an
    unknown region name raises ``UnknownNameError`` naming it.
    """
    from saylau.reference import UnknownNameError, default_resolver

    resolver = resolver or default_resolver()
    frame = read_table(body, source)
    rows_read = len(frame)
    ids_cols, line_columns, options = _kz_columns(frame, source, resolver)
    if "election" in ids_cols and election_id is not None:
        given = sorted(set(frame[ids_cols["election"]].astype(str).str.strip()))
        if given != [election_id]:
            raise PrecinctImportError(f"{source}: rows are for elections {given}, not {election_id!r}")
    if "contest" in ids_cols:
        contests = frame[ids_cols["contest"]].astype(str).str.strip().str.lower()
        blank = contests.index[contests == ""]
        if len(blank):  # a row of no contest would be in no import: neither loaded nor quarantined
            raise PrecinctImportError(
                f"{source} line {blank[0] + 2}: the contest cell is empty ({len(blank)} row(s) name no contest)"
            )
        if not (contests == contest_id).any():
            raise PrecinctImportError(
                f"{source}: no rows for contest {contest_id!r} (the table holds {sorted(set(contests))})"
            )
        frame = frame[contests == contest_id]  # the index keeps each row's CSV line
        rows_read = len(frame)
    if "region" not in ids_cols:
        raise PrecinctImportError(f"{source}: no region column (headers: {list(frame.columns)})")
    if "precinct" in ids_cols:
        number = frame[ids_cols["precinct"]].astype(str).str.strip().str.replace(r"^№\s*", "", regex=True)
    elif "pec" in ids_cols:
        number = frame[ids_cols["pec"]].astype(str).str.strip().str.split("/").str[-1]
    else:
        raise PrecinctImportError(f"{source}: no precinct column (headers: {list(frame.columns)})")
    if not number.str.fullmatch(r"\d+").all():
        wrong = number[~number.str.fullmatch(r"\d+")]
        raise PrecinctImportError(
            f"{source} line {wrong.index[0] + 2}: precinct number {wrong.iloc[0]!r} is not a number"
        )
    names = frame[ids_cols["region"]].astype(str).str.strip()
    codes = {}
    for name in names.unique():
        try:
            codes[name] = resolver.region(name, on=on)
        except UnknownNameError as exc:
            line = names.index[names == name][0] + 2
            raise PrecinctImportError(f"{source} line {line}: {exc}") from exc
    region_code = names.map(codes)
    ids = pd.DataFrame({"unit_id": region_code + "/" + number.str.lstrip("0"), "region_code": region_code})
    _duplicates(ids, source)
    wide = _finish(frame, ids, line_columns, options)
    if "status" in ids_cols:
        wide["status"] = frame[ids_cols["status"]].astype(str).str.strip().str.lower().to_numpy()
    abroad = (
        frame[ids_cols["abroad"]].astype(str).str.strip().str.lower().isin(["true", "1", "yes", "да", "иә"])
        if "abroad" in ids_cols
        else pd.Series(False, index=frame.index)
    )
    pecs = pd.DataFrame(
        {
            "commission_id": ids["unit_id"],
            "level": "pec",
            "region_code": region_code,
            "parent_id": frame[ids_cols["tec"]].astype(str).str.strip() if "tec" in ids_cols else None,
            "number": pd.to_numeric(number).astype("Int64"),
            "name": None,
            "is_abroad": abroad,
        }
    )
    return PrecinctTable(
        wide=wide,
        options=options,
        line_captions={v: k for k, v in line_columns.items()},
        commissions=pecs,
        regions={codes[n]: n for n in codes},
        rows_read=rows_read,
    )


# --------------------------------------------------------------------------------------------------------
# Loading


@dataclass(frozen=True)
class ElectionInfo:
    """How an imported election is registered in ``ref`` (foreign elections only)."""

    election_id: str
    contest_id: str
    country: str
    election_date: date
    kind: str = "parliamentary"
    name_en: str | None = None
    contest_name_en: str | None = None
    share_denominator: str = "ballots_cast"
    utc_offset_hours: int = 3


def moscow_utc_offset(day: date) -> int:
    """Moscow's UTC offset on a day (UTC+4 from 27 March 2011 to 26 October 2014, UTC+3 otherwise)."""
    return 4 if date(2011, 3, 27) <= day < date(2014, 10, 26) else 3


def election_info_from_id(election_id: str, contest_id: str, fmt: str) -> ElectionInfo:
    """Default registration of an election from its id (``ru-2011-12-04`` -> Russia, 4 Dec 2011)."""
    match = re.fullmatch(r"([a-z]{2})-(\d{4}-\d{2}-\d{2})", election_id)
    if not match:
        raise PrecinctImportError(
            f"election id {election_id!r} must look like '<country>-<YYYY-MM-DD>', e.g. 'ru-2011-12-04'"
        )
    country, day = match.group(1).upper(), date.fromisoformat(match.group(2))
    if country == "RU":
        return ElectionInfo(
            election_id,
            contest_id,
            country,
            day,
            name_en=f"Russia, State Duma election {day:%Y}",
            contest_name_en="State Duma, federal party lists" if contest_id == "duma" else contest_id,
            share_denominator="ballots_cast",  # Russian law: shares of all ballots cast (valid + invalid)
            utc_offset_hours=moscow_utc_offset(day),
        )
    return ElectionInfo(election_id, contest_id, country, day, name_en=f"{country} election {day}")


@dataclass
class ImportResult:
    """What an import did: ids, counts, the file's hash and the marts it rebuilt."""

    election_id: str
    contest_id: str
    source_ref: str
    sha256: str
    run_id: str
    rows_read: int
    rows_loaded: int
    rows_quarantined: int
    quarantine_rules: dict[str, int]
    leader: str
    values_loaded: int
    marts: dict = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)  # wall seconds per phase
    cpu_timings: dict[str, float] = field(default_factory=dict)  # CPU seconds (all threads) per phase


def register_election(
    con: duckdb.DuckDBPyConnection, info: ElectionInfo, options: list[BallotOption], sha256: str
) -> bool:
    """Insert a foreign election's ref rows (origin ``import:<sha256>``), replacing an earlier import's.

    An election that the reference data already holds (origin 'reference') is not touched (returns
    False); its options must already be on the ballot. Returns True when the import registered it.
    """
    origin = f"import:{sha256}"
    existing = con.execute(
        "select origin from ref.elections where election_id = ?", [info.election_id]
    ).fetchone()
    if existing and existing[0] == "reference":
        on_ballot = {
            r[0]
            for r in con.execute(
                "select option_id from ref.ballot_options where election_id = ? and contest_id = ?",
                [info.election_id, info.contest_id],
            ).fetchall()
        }
        if not on_ballot:
            raise PrecinctImportError(
                f"election {info.election_id} has no contest {info.contest_id!r} in the reference data"
            )
        missing = sorted({o.option_id for o in options} - on_ballot)
        if missing:
            raise PrecinctImportError(
                f"{info.election_id}/{info.contest_id}: columns for options not on the ballot: {missing}"
            )
        return False
    con.execute(
        "delete from ref.ballot_options where election_id = ? and origin <> 'reference'", [info.election_id]
    )
    con.execute(
        "delete from ref.contests where election_id = ? and origin <> 'reference'", [info.election_id]
    )
    con.execute(
        "delete from ref.elections where election_id = ? and origin <> 'reference'", [info.election_id]
    )
    con.execute(
        "insert into ref.elections (election_id, country, election_date, kind, name_en, name_ru, name_kk, "
        "utc_offset_hours, regions_vintage, note, origin) values (?, ?, ?, ?, ?, null, null, ?, null, ?, ?)",
        [
            info.election_id,
            info.country,
            info.election_date,
            info.kind,
            info.name_en or info.election_id,
            info.utc_offset_hours,
            "registered by saylau import-precincts",
            origin,
        ],
    )
    con.execute(
        "insert into ref.contests (election_id, contest_id, name_en, kind, level, seats, threshold_pct, "
        "share_denominator, turnout_rule, has_against_all, origin) "
        "values (?, ?, ?, 'party_list', 'national', null, null, ?, ?, false, ?)",
        [
            info.election_id,
            info.contest_id,
            info.contest_name_en or info.contest_id,
            info.share_denominator,
            "voters who received ballots / voters on the final list",
            origin,
        ],
    )
    for o in options:
        con.execute(
            "insert or ignore into ref.parties (party_id, name_en, name_ru, name_kk, short_en, kind, note, origin) "
            "values (?, ?, ?, ?, ?, 'party', ?, ?)",
            [
                o.option_id,
                o.name_en,
                o.name,
                o.name,
                o.short_en,
                f"imported from {info.country} precinct table",
                origin,
            ],
        )
        con.execute(
            "insert into ref.ballot_options (election_id, contest_id, option_id, position, origin) "
            "values (?, ?, ?, ?, ?)",
            [info.election_id, info.contest_id, o.option_id, o.position, origin],
        )
    return True


PROTOCOL_TABLE = (
    "precinct_protocols"  # validation's table name: rejects land in quarantine.precinct_protocols
)


def validate_precincts(wide: pd.DataFrame, options: list[str]):
    """Validate wide precinct rows with the shared protocol model (:mod:`schemas.protocol`).

    Every line the table gives and every option is required, so a row with an empty cell is rejected
    (``required_lines``) rather than loaded with a gap or a zero. Returns :class:`saylau.validate.Validated`.
    """
    from saylau.validate import validate_frame
    from schemas.protocol import protocol_schema

    given = [line for line in LINES if line in wide.columns]
    schema = protocol_schema("party_list", options=options, required=[*given, *options])
    return validate_frame(wide, schema, PROTOCOL_TABLE)


def import_precincts(
    db_path: Path,
    path: Path,
    fmt: str,
    election_id: str,
    contest_id: str | None = None,
    leader: str | None = None,
    archive_dir: Path | None = None,
    build_marts: bool = True,
    run_id: str | None = None,
    source: str = "official",
    body: bytes | None = None,
) -> ImportResult:
    """Import one precinct table into the warehouse at ``db_path`` and rebuild the marts.

    ``fmt`` is one of :data:`FORMATS`; ``leader`` (an option id or party name) defaults to the option
    with the most votes. ``source`` is ``official`` for a commission's table, or an observer
    organisation's id for observers' precinct data (the forensics marts read official rows only). The file
    is archived and recorded in ``raw.files``; rows failing validation go to
    ``quarantine.precinct_protocols`` with the rule and the failing values; an earlier import of the same
    election, contest and source is replaced.
    """
    import time

    from saylau import manifest, runs, warehouse
    from saylau import marts as marts_module
    from saylau.archive import Archive
    from saylau.config import settings

    if source != "official":  # an organisation's name as typed, under the id its observers' files use
        from saylau.observers import organisation_id

        source = organisation_id(source)
    timings: dict[str, float] = {}
    cpu_timings: dict[str, float] = {}
    clock, cpu_clock = time.perf_counter(), time.process_time()

    def lap(name: str) -> None:
        nonlocal clock, cpu_clock
        now, cpu_now = time.perf_counter(), time.process_time()
        timings[name], cpu_timings[name] = now - clock, cpu_now - cpu_clock
        clock, cpu_clock = now, cpu_now

    path = Path(path)
    if fmt not in FORMATS:
        raise PrecinctImportError(f"unknown format {fmt!r}; expected one of {FORMATS}")
    if body is None and not path.is_file():
        raise PrecinctImportError(f"{path}: no such file")
    contest_id = contest_id or ("duma" if fmt == "izbirkom-csv" else "mazhilis")
    body = path.read_bytes() if body is None else body
    imported_at = datetime.now(UTC)
    path_ref = str(path)
    warehouse.create_warehouse(db_path)
    with warehouse.connect(db_path) as con:
        if not con.execute("select count(*) from ref.regions").fetchone()[0]:
            from saylau.reference import load_reference

            load_reference(con)  # a fresh warehouse: the reference data first
        ref_election = con.execute(
            "select election_date, origin from ref.elections where election_id = ?", [election_id]
        ).fetchone()
    if fmt == "izbirkom-csv":
        table = parse_izbirkom(body, path_ref)
        info = election_info_from_id(election_id, contest_id, fmt)
    else:
        if ref_election is None:
            raise PrecinctImportError(
                f"election {election_id!r} is not in ref.elections (run `saylau init` first; "
                "kz-precinct-csv imports into elections the reference data knows)"
            )
        table = parse_kz_precinct(body, path_ref, contest_id, on=ref_election[0], election_id=election_id)
        info = ElectionInfo(election_id, contest_id, "KZ", ref_election[0])
    lap("parse")

    sha256, size = Archive(archive_dir or settings().archive_dir).put(body), len(body)
    option_ids = [o.option_id for o in table.options]
    wide = table.wide.assign(
        election_id=info.election_id,
        contest_id=info.contest_id,
        source=source,
        level="pec",
        source_ref=path_ref,
        source_sha256=sha256,
    )
    if "status" not in wide.columns:
        wide["status"] = "final"  # a published precinct table holds the final count
    validated = validate_precincts(wide, option_ids)
    lap("validate")

    good = validated.good
    leader_id, chosen_by = _leader(good, option_ids, leader)
    run_id = runs.start_run(
        db_path,
        "import_precincts",
        {
            "path": path_ref,
            "source": source,
            "format": fmt,
            "election_id": election_id,
            "contest_id": contest_id,
            "leader": leader,
        },
        run_id=run_id,
    )
    checksums: dict = {}
    try:
        with warehouse.connect(db_path) as con:
            con.execute("set enable_progress_bar = false")  # the command prints its own summary
            _in_transaction(con, lambda: _register(con, info, table, sha256, path_ref, size, run_id))

            def store() -> None:
                _store_validated(con, validated, option_ids, run_id, info, source)
                _record_import(
                    con, info, fmt, path_ref, sha256, leader_id, chosen_by, table, validated, run_id, source
                )

            _in_transaction(con, store)
            lap("load")
            if build_marts:
                checksums = marts_module.build_marts(con)
            lap("marts")
    except Exception as exc:
        runs.finish_run(db_path, run_id, "failed", error=f"{type(exc).__name__}: {exc}")
        raise
    runs.finish_run(
        db_path, run_id, "completed", input_hash=runs.input_manifest_hash([sha256]), checksums=checksums
    )
    manifest.record_load(
        archive_dir or settings().archive_dir,
        "precinct_table",
        sha256,
        path_ref,
        imported_at,
        fmt=fmt,
        election_id=election_id,
        contest_id=contest_id,
        leader=leader,
        source=source,
    )  # the archive alone can repeat this import (saylau.manifest)
    rejected = validated.rejected
    rules = rejected.groupby("rule")["row_position"].nunique().to_dict() if len(rejected) else {}
    return ImportResult(
        election_id=election_id,
        contest_id=contest_id,
        source_ref=path_ref,
        sha256=sha256,
        run_id=run_id,
        rows_read=table.rows_read,
        rows_loaded=len(good),
        rows_quarantined=validated.rejected_rows,
        quarantine_rules={str(k): int(v) for k, v in rules.items()},
        leader=leader_id,
        values_loaded=int(good[[c for c in (*LINES, *option_ids) if c in good.columns]].notna().sum().sum()),
        marts=checksums,
        timings=timings,
        cpu_timings=cpu_timings,
    )


def import_precinct_file(
    db_path: Path,
    path: Path,
    fmt: str,
    election_id: str,
    contest_id: str | None = None,
    leader: str | None = None,
    archive_dir: Path | None = None,
    source: str = "official",
) -> list[ImportResult]:
    """Import a precinct table; a Kazakh table holding several contests, with no contest given, is
    imported contest by contest (marts rebuilt once, after the last). Returns one result per contest."""
    contests = [contest_id]
    if fmt == "kz-precinct-csv" and contest_id is None:
        contests = kz_contests(Path(path).read_bytes(), str(path)) or [None]
    results = []
    for i, contest in enumerate(contests):
        last = i == len(contests) - 1
        results.append(
            import_precincts(
                db_path,
                path,
                fmt,
                election_id,
                contest,
                leader,
                archive_dir=archive_dir,
                build_marts=last,
                source=source,
            )
        )
    return results


def _store_validated(
    con: duckdb.DuckDBPyConnection,
    validated,
    option_ids: list[str],
    run_id: str,
    info: ElectionInfo,
    source: str = "official",
) -> int:
    """Write a validated precinct table as :func:`saylau.validate.store_protocols` does, inside the caller's
    transaction: earlier rows of this contest from the same bytes replaced (one file may hold several
    contests), good rows to ``core.protocol_values``, rejects
    to ``quarantine.precinct_protocols``, soft flags and per-rule counts. The wide -> long step (3 million
    values for a Russian table) is DuckDB's UNPIVOT, which gives :func:`saylau.protocol.to_long`'s rows
    (missing values not emitted) several times faster than melting in pandas. Returns values inserted.
    """
    from saylau import validate

    good = validated.good
    shas = sorted(
        {
            str(x)
            for f in (good, validated.rejected)
            if "source_sha256" in f
            for x in f["source_sha256"].dropna()
        }
    )
    quarantine = validate.quarantine_table(PROTOCOL_TABLE)
    contest = "election_id = ? and contest_id = ? and source = ? and source_sha256 in (select unnest(?))"
    key = [info.election_id, info.contest_id, source, shas]
    con.execute(f"delete from core.protocol_values where {contest}", key)
    con.execute(
        f"delete from core.validation_flags where table_name = ? and {contest}", [PROTOCOL_TABLE, *key]
    )
    if table_exists(con, quarantine):
        con.execute(f"delete from {quarantine} where {contest}", key)
    inserted = 0
    if len(good):
        lines = [line for line in LINES if line in good.columns]
        values = [*lines, *option_ids]
        # the import's constants (election, contest, source, file) go in as parameters, not as
        # per-row columns: carrying them through the 3-million-row unpivot doubled the load's cost
        frame = good[["unit_id", "region_code", "status", "source_row", *values]].copy()
        for column in values:
            numbers = frame[column].astype("Int64")
            # plain int64 where nothing is missing: DuckDB scans numpy columns faster than masked ones
            frame[column] = numbers.astype("int64") if numbers.notna().all() else numbers
        constants = [info.election_id, info.contest_id, source]
        provenance = [str(good["source_ref"].iloc[0]), str(good["source_sha256"].iloc[0]), run_id]
        quoted = ", ".join(f'"{c}"' for c in values)
        options = ", ".join(f"'{o}'" for o in option_ids) or "''"
        con.register("_precinct_wide", frame)
        try:
            before = con.execute("select count(*) from core.protocol_values").fetchone()[0]
            con.execute(
                "insert into core.protocol_values (election_id, contest_id, source, level, unit_id, region_code, "
                "line, option_id, value, status, as_of, source_ref, source_sha256, source_row, run_id) "
                "select ?, ?, ?, 'pec', unit_id, region_code, "
                f"case when name in ({options}) then 'votes' else name end, "
                f"case when name in ({options}) then name end, "
                "value, status, null, ?, ?, source_row, ? "
                f"from (unpivot _precinct_wide on {quoted} into name name value value)",
                [*constants, *provenance],
            )
            inserted = con.execute("select count(*) from core.protocol_values").fetchone()[0] - before
        finally:
            con.unregister("_precinct_wide")
    validate.store_rejected(con, PROTOCOL_TABLE, validated, run_id)
    validate.store_flags(con, PROTOCOL_TABLE, validated, run_id)
    validate.store_counts(con, validated, run_id)
    return inserted


def _in_transaction(con: duckdb.DuckDBPyConnection, work: Callable[[], None]) -> None:
    con.execute("begin transaction")
    try:
        work()
        con.execute("commit")
    except Exception:
        con.execute("rollback")
        raise


def _leader(good: pd.DataFrame, option_ids: list[str], leader: str | None) -> tuple[str, str]:
    """The leader option id: the one given (an id, or a party name the resolver or the Russian party
    table knows), else the one with most votes ('' when no row passed validation)."""
    from saylau.reference import UnknownNameError, default_resolver

    if leader:
        candidates = [leader]
        with contextlib.suppress(UnknownNameError):
            candidates.append(default_resolver().party(leader))
        wanted = party_core_name(leader)
        candidates.append(KNOWN_PARTIES.get(wanted, (slug(wanted),))[0])
        for key in candidates:
            if key in option_ids:
                return key, "user"
        raise PrecinctImportError(f"leader {leader!r} is not one of the table's options {option_ids}")
    if good.empty:
        return "", "none"
    totals = good[option_ids].astype("Int64").sum()
    return str(totals.idxmax()), "most_votes"


def _register(
    con: duckdb.DuckDBPyConnection,
    info: ElectionInfo,
    table: PrecinctTable,
    sha256: str,
    source: str,
    size: int,
    run_id: str,
) -> None:
    """ref rows (election, contest, options, parties, commissions) and the raw.files manifest row."""
    if register_election(con, info, table.options, sha256):  # a foreign election the import owns
        con.execute("delete from ref.commissions where election_id = ?", [info.election_id])
    if len(table.commissions):
        commissions = table.commissions.assign(election_id=info.election_id)
        con.register("_commissions", commissions)
        try:
            con.execute(
                "insert or ignore into ref.commissions "
                "(election_id, commission_id, level, region_code, parent_id, number, name, is_abroad) "
                "select election_id, commission_id, level, region_code, parent_id, number, name, is_abroad "
                "from _commissions"
            )
        finally:
            con.unregister("_commissions")
    con.execute(
        "insert or ignore into raw.files (sha256, path, kind, bytes, read_at, run_id) "
        "values (?, ?, 'precinct_table', ?, ?, ?)",
        [sha256, source, size, datetime.now(UTC), run_id],
    )


def _record_import(
    con: duckdb.DuckDBPyConnection,
    info: ElectionInfo,
    fmt: str,
    path_ref: str,
    sha256: str,
    leader_id: str,
    chosen_by: str,
    table: PrecinctTable,
    validated,
    run_id: str,
    source: str = "official",
) -> None:
    """Drop what earlier imports of this election, contest and source loaded (core rows, quarantined
    rows, flags); record this import."""
    earlier = (
        "election_id = ? and contest_id = ? and source = ? "
        "and source_sha256 in (select source_sha256 from core.precinct_imports where election_id = ? "
        "and contest_id = ? and source = ? and source_sha256 <> ?)"
    )
    key = [info.election_id, info.contest_id, source, info.election_id, info.contest_id, source, sha256]
    con.execute(f"delete from core.protocol_values where {earlier}", key)
    con.execute(
        f"delete from core.validation_flags where table_name = ? and {earlier}", [PROTOCOL_TABLE, *key]
    )
    quarantine = f"quarantine.{PROTOCOL_TABLE}"
    if table_exists(con, quarantine):
        con.execute(f"delete from {quarantine} where {earlier}", key)
    con.execute(
        "delete from core.precinct_imports where election_id = ? and contest_id = ? and source = ?",
        [info.election_id, info.contest_id, source],
    )
    con.execute(
        "insert into core.precinct_imports (election_id, contest_id, format, source_ref, source_sha256, "
        "leader, leader_chosen_by, rows_read, rows_loaded, rows_quarantined, run_id, imported_at, source) "
        "values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            info.election_id,
            info.contest_id,
            fmt,
            path_ref,
            sha256,
            leader_id,
            chosen_by,
            table.rows_read,
            len(validated.good),
            validated.rejected_rows,
            run_id,
            datetime.now(UTC),
            source,
        ],
    )


def summary_lines(con: duckdb.DuckDBPyConnection, result: ImportResult) -> list[str]:
    """A one-screen summary of an import: totals, quarantine and the forensic signals."""
    from saylau.forensics import forensics_summary

    lines = [
        f"{result.source_ref} (sha256 {result.sha256[:12]}) -> {result.election_id}/{result.contest_id}",
        f"precinct rows: {result.rows_read:,} read, {result.rows_loaded:,} loaded, "
        f"{result.rows_quarantined:,} quarantined {result.quarantine_rules or ''}".rstrip(),
        f"protocol values loaded: {result.values_loaded:,}; leader: {result.leader}",
    ]
    lines += forensics_summary(con, result.election_id, result.contest_id)
    return lines
