"""izbirkom-csv: Russia's CEC precinct tables as collected from izbirkom.ru (e.g. the ``dkobak/elections``
files).

Columns ``region``, ``oik`` (optional), ``tik``, ``uik``, ``url``, then the protocol lines under their full
Russian captions, then one column per option: a party headed ``"<ballot position>. <party name>"``, a
candidate's full name, "ДА" / "НЕТ" of a referendum, "Против всех". The wording of a line varies by year
and by kind of vote; captions are read by meaning (:mod:`saylau.precincts.captions`), so every year's
wording reads as its line (docs/forensics.md). A count column read as nothing is an error naming it.
"""

from __future__ import annotations

import re
from dataclasses import replace

from saylau.names import fold
from saylau.precincts.captions import (
    answer_option,
    caption_lines,
    is_against_all,
    is_person_name,
    read_columns,
)
from saylau.precincts.columnmap import ColumnMap
from saylau.precincts.table import (
    BallotOption,
    PrecinctImportError,
    PrecinctTable,
    UnknownCaptionError,
    build_table,
    read_table,
    slug,
    transliterate,
    unquoted,
)

# --------------------------------------------------------------------------------------------------------
# Captions -> canonical protocol lines

_PARTY_CAPTION = re.compile(r"^\s*(\d+)\s*[.)]\s*(\S.*)$", re.S)


def izbirkom_line(caption: str, source: str = "<table>") -> str:
    """The canonical protocol line a Russian protocol caption stands for, read by meaning
    (:func:`saylau.precincts.captions.caption_lines`); a caption that reads as none or as two raises."""
    lines = caption_lines(caption)
    if len(lines) > 1:
        raise PrecinctImportError(
            f"{source}: column {caption!r} reads as two protocol lines, {lines[0]!r} and {lines[1]!r}"
        )
    if not lines:
        raise UnknownCaptionError(caption, source, "izbirkom-csv")
    return lines[0]


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


def izbirkom_option(caption: str, position: int) -> BallotOption | None:
    """The ballot option a column stands for, or None: a referendum answer ("ДА", "НЕТ", "За",
    "Против"), "Против всех", a candidate's full name, a ``"<n>. <party>"`` column or a party
    :data:`KNOWN_PARTIES` knows; numbered or not (an unnumbered one takes its column's position)."""
    match = _PARTY_CAPTION.match(caption)
    number, raw = (int(match.group(1)), match.group(2)) if match else (position, caption)
    name = re.sub(r"\s+", " ", unquoted(raw)).strip()
    answer = answer_option(name)
    if answer is not None:
        return BallotOption(caption, number, answer, name, answer.capitalize(), answer.capitalize(), "answer")
    if is_against_all(name):
        return BallotOption(caption, number, "against_all", name, "Against all", "Against all", "against_all")
    if is_person_name(name):
        name_en = transliterate(name.title() if name.isupper() else name)
        return BallotOption(caption, number, slug(name), name, name_en, name_en.split(" ")[0], "candidate")
    if match:
        return izbirkom_party(caption)
    if party_core_name(raw) in KNOWN_PARTIES:
        return replace(izbirkom_party(f"{position}. {raw}"), caption=caption)
    return None


# --------------------------------------------------------------------------------------------------------
# Parsing


def parse_izbirkom(
    body: bytes, source: str, columns: ColumnMap | None = None, country: str = "RU"
) -> PrecinctTable:
    """Parse an izbirkom precinct table (CSV, XLSX or a zip of one) into wide protocol rows.

    Every column is read by meaning (:func:`saylau.precincts.captions.read_columns`): an id column
    (region, tik, uik; oik is the district), a protocol line, an option (:func:`izbirkom_option`) or a
    text column kept or ignored; a count column that is none of these raises
    :class:`UnknownCaptionError`. ``columns`` (a column map) replaces the reading; ``country`` prefixes
    the region codes (a mapped table of another country's commission).
    """
    frame = read_table(body, source)
    if columns is not None:
        plan = columns.plan(frame, source)
    else:
        plan = read_columns(frame, source, "izbirkom-csv", izbirkom_option)
    if not any(_PARTY_CAPTION.match(o.caption) for o in plan.options):  # ballot order = column order
        plan.options = [replace(o, position=i) for i, o in enumerate(plan.options, start=1)]
    return build_table(frame, plan, source, country)
