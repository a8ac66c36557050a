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

MAX_COUNT = 1_000_000_000  # no protocol line counts past this: a number beyond it is set aside, never cast
FORMATS = ("izbirkom-csv", "kz-precinct-csv")


class PrecinctImportError(ValueError):
    """A precinct table that cannot be imported as a whole; the message names the file and what is wrong."""


class UnknownCaptionError(PrecinctImportError):
    """A count column whose caption reads as no protocol line and no option; carries the caption."""

    def __init__(self, caption: str, source: str, fmt: str) -> None:
        self.caption = caption
        self.source = source
        how = _CAPTION_MAPPINGS.get(fmt, "the format's caption reader")
        super().__init__(
            f"{source}: column {caption!r} holds counts but reads as no protocol line and no option "
            f"({fmt}: {how}; or map every column with --columns MAP.csv, docs/forensics.md)"
        )


_CAPTION_MAPPINGS = {
    "izbirkom-csv": "captions are read by the concepts of saylau/precincts/captions.py",
    "kz-precinct-csv": "headers as in saylau/reference_data/observer_columns.csv, or read by meaning",
    "columns": "the column map does not list it",
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


# what a table's level column says on a precinct's row (a TEC's totals row would count its precincts twice)
PRECINCT_LEVELS = frozenset(
    {"уик", "uik", "pec", "precinct", "участок", "участковая", "участковая избирательная комиссия",
     "участковая комиссия", "избирательный участок", "polling station", "station"}
)  # fmt: skip


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
    kind: str = "party"  # party | candidate | answer | against_all (ref.parties.kind)


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
    kept: dict[str, str] = field(default_factory=dict)  # text column -> where it is kept
    ignored: dict[str, str] = field(default_factory=dict)  # column -> why it is not loaded

    @property
    def kind(self) -> str:
        """The contest kind the options make: ``referendum`` (answers), ``single_winner`` (candidates),
        else ``party_list``."""
        return contest_kind(self.options)


def contest_kind(options: list[BallotOption]) -> str:
    """``referendum`` when the options are answers, ``single_winner`` when they are candidates, else
    ``party_list`` (an "against all" line goes with either)."""
    kinds = {o.kind for o in options} - {"against_all"}
    if kinds == {"answer"}:
        return "referendum"
    if kinds == {"candidate"}:
        return "single_winner"
    return "party_list"


@dataclass
class ColumnPlan:
    """What every column of a table is: an id (``region``, ``oik``, ``tec``, ``pec`` -> its caption), a
    protocol line (caption -> line), an option, a text column kept (caption -> where) or ignored
    (caption -> why). Read from the captions (:func:`saylau.precincts.captions.read_columns`) or given
    by a column map (:mod:`saylau.precincts.columnmap`)."""

    ids: dict[str, str] = field(default_factory=dict)
    lines: dict[str, str] = field(default_factory=dict)
    options: list[BallotOption] = field(default_factory=list)
    kept: dict[str, str] = field(default_factory=dict)
    ignored: dict[str, str] = field(default_factory=dict)
    attributes: dict[str, str] = field(default_factory=dict)  # role (name, level, ...) -> caption


def precinct_numbers(cells: pd.Series, source: str) -> pd.Series:
    """Precinct numbers as written ("УИК №1", "УИК № 1", "№1", "001", "1", "KZ-75/1") -> "1"; a cell
    holding no number is an error naming the file and line."""
    text = cells.astype(str).str.strip()
    number = text.str.extract(r"(\d+)\s*$", expand=False).str.lstrip("0").replace("", "0")
    bad = number.isna()
    if bad.any():
        raise PrecinctImportError(
            f"{source} line {cells.index[bad][0] + 2}: precinct number {text[bad].iloc[0]!r} is not a number"
        )
    return number


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


def _counts(text: pd.Series) -> tuple[pd.Series, dict[str, str]]:
    """Each distinct cell read once by :func:`saylau.parse.numbers.count_cell`: the count, or NA where
    the cell is empty or not a whole count (a 96,000-row column holds a few thousand distinct values);
    and the cells holding a whole number beyond :data:`MAX_COUNT`, with what validation is shown for them
    (a text no coercion reads as a count)."""
    read: dict[str, int | None] = {}
    beyond: dict[str, str] = {}
    for cell in pd.unique(text):
        try:
            read[cell] = count_cell(cell)
        except UncertainNumber:
            read[cell] = None
        if read[cell] is not None and abs(read[cell]) > MAX_COUNT:
            read[cell] = None  # set aside as written, naming the column; never cast
            beyond[cell] = f"beyond any protocol's range: {cell}"
    return pd.array(text.map(read), dtype="Int64"), beyond


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
        if pd.api.types.is_integer_dtype(frame[caption]) and (  # the usual case: every cell a whole number
            frame[caption].empty or frame[caption].abs().max() <= MAX_COUNT
        ):
            values[column] = frame[caption].astype("Int64")
            continue
        text = frame[caption].astype(str).str.strip()
        empty = text.str.lower().isin(_EMPTY)
        read, beyond = _counts(text.where(~empty, ""))
        numbers = pd.Series(read, index=frame.index)
        whole = numbers.notna()
        values[column] = numbers
        if (~empty & ~whole).any():
            # the unreadable cells as written, every other cell as read: one bad cell must not turn the
            # readable ones ("1 500") into text that validation would reject with it
            readable = numbers.astype(object).where(whole, None)
            shown = text.replace(beyond) if beyond else text
            as_text[column] = readable.where(whole, shown.where(~empty, None)).astype(object)
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


def _tec_keys(tec: pd.Series) -> tuple[pd.Series, pd.Series]:
    """A territorial commission's key within its region (its number, "1 Адыгейская" -> "1", else a slug
    of its name) and its number."""
    text = tec.astype(str).str.strip()
    number = text.str.extract(r"^(\d+)", expand=False)
    return number.fillna(text.map({t: slug(t, "-") for t in text.unique()})), number


def build_table(
    frame: pd.DataFrame, plan: ColumnPlan, source: str, country: str, rows_read: int | None = None
) -> PrecinctTable:
    """A table whose columns are read (``plan``) -> wide rows, commissions and regions.

    Precincts are ``<country>-<region slug>/<tec>/<number>`` (``/<tec>`` only where a tec column is
    given). A table needs a region and a precinct column, the lines ``registered``, ``valid`` and
    ``invalid``, and at least one option; a ``level`` column must name a precinct on every row."""
    for role, what in (("region", "region"), ("pec", "precinct (uik)")):
        if role not in plan.ids:
            raise PrecinctImportError(f"{source}: no {what} column (columns: {list(frame.columns)[:6]} ...)")
    for line in ("registered", "valid", "invalid"):
        if line not in plan.lines.values():
            raise PrecinctImportError(f"{source}: no column for the protocol line {line!r}")
    if not plan.options:
        raise PrecinctImportError(f"{source}: no option columns (parties, candidates or answers)")
    if "level" in plan.attributes:
        level = frame[plan.attributes["level"]].astype(str).map(fold)
        wrong = ~level.isin(PRECINCT_LEVELS) & (level != "")
        if wrong.any():
            raise PrecinctImportError(
                f"{source} line {level.index[wrong][0] + 2}: column {plan.attributes['level']!r} says "
                f"{frame.loc[level.index[wrong][0], plan.attributes['level']]!r}, not a precinct: a table "
                "of precincts only is imported (drop the rows that add precincts up)"
            )
    region_name = frame[plan.ids["region"]].astype(str).str.strip()
    region_code = region_name.map({name: f"{country}-{slug(name)}" for name in region_name.unique()})
    number = precinct_numbers(frame[plan.ids["pec"]], source)
    if "tec" in plan.ids:
        tec_key, tec_number = _tec_keys(frame[plan.ids["tec"]])
        parent = region_code + "/" + tec_key
        unit_id = parent + "/" + number
    else:
        parent, tec_number, unit_id = None, None, region_code + "/" + number
    ids = pd.DataFrame({"unit_id": unit_id, "region_code": region_code})
    _duplicates(ids, source)
    wide = _finish(frame, ids, plan.lines, plan.options)
    is_abroad = region_name.str.contains("за пределами|зарубеж|abroad", case=False, regex=True)
    names = frame[plan.attributes["name"]].astype(str).str.strip() if "name" in plan.attributes else None
    pecs = pd.DataFrame(
        {
            "commission_id": unit_id,
            "level": "pec",
            "region_code": region_code,
            "parent_id": parent,
            "number": pd.to_numeric(number, errors="coerce").astype("Int64"),
            "name": names.where(names != "", "УИК №" + number) if names is not None else "УИК №" + number,
            "is_abroad": is_abroad,
        }
    )
    frames = [pecs]
    if "tec" in plan.ids:
        tecs = pd.DataFrame(
            {
                "commission_id": parent,
                "level": "tec",
                "region_code": region_code,
                "parent_id": None,
                "number": pd.to_numeric(tec_number, errors="coerce").astype("Int64"),
                "name": frame[plan.ids["tec"]].astype(str).str.strip(),
                "is_abroad": is_abroad,
            }
        ).drop_duplicates("commission_id")
        frames.insert(0, tecs)
    return PrecinctTable(
        wide=wide,
        options=plan.options,
        line_captions={v: k for k, v in plan.lines.items()},
        commissions=pd.concat(frames, ignore_index=True),
        regions=dict(zip(region_code, region_name, strict=True)),
        rows_read=len(frame) if rows_read is None else rows_read,
        kept=dict(plan.kept),
        ignored=dict(plan.ignored),
    )
