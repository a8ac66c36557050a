"""The table model every precinct format parses into: :class:`PrecinctTable` of wide protocol rows and its
:class:`BallotOption` columns, the import's errors, the names and slugs of units and parties, and the steps
every format shares (reading the file, reading count cells, one row per precinct)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pandas as pd

from saylau.load.tables import TableFileError, read_frame
from saylau.names import QUOTES, fold
from saylau.parse.numbers import UncertainNumber, count_cell
from saylau.protocol import derive_totals

FORMATS = ("izbirkom-csv", "kz-precinct-csv")


class PrecinctImportError(ValueError):
    """A precinct table that cannot be imported as a whole; the message names the file and what is wrong."""


class UnknownCaptionError(PrecinctImportError):
    """A column caption the format's mapping does not know; carries the caption as written."""

    def __init__(self, caption: str, source: str, fmt: str) -> None:
        self.caption = caption
        self.source = source
        mapping = _CAPTION_MAPPINGS.get(fmt, "the format's caption mapping")
        super().__init__(
            f"{source}: unknown {fmt} column caption {caption!r} "
            f"(add its wording to {mapping} if it is a protocol line)"
        )


_CAPTION_MAPPINGS = {
    "izbirkom-csv": "IZBIRKOM_WORDING in saylau/precincts/izbirkom.py",
    "kz-precinct-csv": "saylau/reference_data/observer_columns.csv",
}


# --------------------------------------------------------------------------------------------------------
# Names, keys and slugs

caption_key = fold
"""The lookup key of a caption or name (:func:`saylau.names.fold`): case, ё, quotes, dashes, spacing."""

_TRANSLIT = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh", "з": "z", "и": "i",
    "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t",
    "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "", "ы": "y",
    "ь": "", "э": "e", "ю": "yu", "я": "ya", "ә": "a", "ғ": "g", "қ": "q", "ң": "n", "ө": "o", "ұ": "u",
    "ү": "u", "һ": "h", "і": "i",
}  # fmt: skip


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
    s = transliterate(fold(text)).lower()
    s = re.sub(r"[^a-z0-9]+", sep, s).strip(sep)
    if len(s) > max_len:
        s = s[:max_len].rsplit(sep, 1)[0]
    if not s or not s[0].isalpha():
        s = f"x{sep}{s}"
    return s


def unquoted(text: str) -> str:
    """A name as written, without its quote marks."""
    return QUOTES.sub("", text)


# --------------------------------------------------------------------------------------------------------
# Parsed tables


@dataclass(frozen=True)
class BallotOption:
    """A party column of a precinct table: its caption, ballot position and canonical option id."""

    caption: str
    position: int
    option_id: str
    name: str  # the party's name as the table writes it (without number and legal form)
    name_en: str
    short_en: str


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
    """The table inside ``body`` (CSV in any encoding and separator, XLSX, or a zip holding one) as
    :func:`saylau.load.tables.read_frame` reads it: clean count columns as int64, every other column as
    text, ``index + 2`` the row's line in the file. A file that is no table refuses the import."""
    try:
        return read_frame(body, source)
    except TableFileError as exc:
        raise PrecinctImportError(str(exc)) from exc


# Cells that stand for "no figure" in published tables: missing (validation rejects the row under
# required_lines), never 0 and never an unreadable number.
_EMPTY = ("", "na", "nan", "null", "-", "—")


def _counts(text: pd.Series) -> pd.Series:
    """Each distinct cell read once by :func:`saylau.parse.numbers.count_cell`: the count, or NA where
    the cell is empty or not a whole count (a 96,000-row column holds a few thousand distinct values)."""
    read: dict[str, int | None] = {}
    for cell in pd.unique(text):
        try:
            read[cell] = count_cell(cell)
        except UncertainNumber:
            read[cell] = None
    return pd.array(text.map(read), dtype="Int64")


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
        numbers = pd.Series(_counts(text.where(~empty, "")), index=frame.index)
        whole = numbers.notna()
        values[column] = numbers
        if (~empty & ~whole).any():
            # the unreadable cells as written, every other cell as read: one bad cell must not turn the
            # readable ones ("1 500") into text that validation would reject with it
            readable = numbers.astype(object).where(whole, None)
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
    """Refuse a table naming one precinct on several rows (which row would be the count?)."""
    dup = ids["unit_id"].duplicated(keep=False)
    if dup.any():
        first = ids.loc[dup, "unit_id"].iloc[0]
        rows = (ids.index[ids["unit_id"] == first] + 2).tolist()
        raise PrecinctImportError(
            f"{source}: precinct {first!r} appears on several rows (CSV lines {rows}); "
            f"{int(dup.sum())} rows share a precinct id"
        )
