"""Reading a precinct table's column captions by meaning.

A protocol line is recognised from the words that define it, not from one wording: the caption is cut
into words (case, ё, quotes and punctuation folded; "не" joined to the word it negates; a few
abbreviations spelled out), each word is matched against the *concepts* of :data:`CONCEPTS` (a set of
stems, matched as word beginnings, so every inflection, singular and plural, reads the same), and the
caption's set of concepts is held against the rules of :data:`LINE_RULES`: a line is read when all the
concepts of one of its alternatives are present and none of its exclusions. Order of words, filler
phrases ("на момент окончания голосования", "в день голосования", "для голосования", "содержащихся")
and the election's vocabulary ("избирателей" / "участников голосования" / "участников референдума",
"избирательных бюллетеней" / "бюллетеней для голосования") do not matter.

A caption that reads as no line is no protocol line (it may be an option or an id column); one that reads
as two lines is an error naming both (:func:`caption_lines` returns every line read, the caller decides).
Options (:func:`answer_option`, :func:`is_against_all`, :func:`is_person_name`), id columns
(:func:`id_role`) and the text columns kept or ignored (:func:`attribute_role`) are read here too.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

from saylau.names import fold
from saylau.precincts.table import BallotOption, ColumnPlan, PrecinctImportError, UnknownCaptionError
from saylau.protocol import LINES

# --------------------------------------------------------------------------------------------------------
# Words


# Abbreviations published tables use, spelled out before the concepts are matched.
ABBREVIATIONS: dict[str, tuple[str, ...]] = {
    "уик": ("участковой", "комиссией"),
    "тик": ("территориальной", "комиссией"),
    "оу": ("открепительных", "удостоверений"),
    "ибп": ("избирательных", "бюллетеней"),
    "кол": ("число",),
}

# Phrases that say what one word says elsewhere, replaced before the words are cut: the 2020 vote wrote
# "проголосовавшим до дня голосования" where elections write "досрочно".
PHRASES: dict[str, str] = {
    "до дня голосования": "досрочно",
    "before election day": "early",
}

_WORD = re.compile(r"[a-zа-яәғқңөұүһі0-9]+")
_NEGATIONS = ("не", "not")


def caption_words(caption: str) -> list[str]:
    """The words of a caption: folded, punctuation dropped, "не X" joined as "неX", abbreviations spelled out."""
    text = fold(caption).replace("№", " ")
    for phrase, word in PHRASES.items():
        text = text.replace(phrase, word)
    words = _WORD.findall(text)
    out: list[str] = []
    negate = ""
    for word in words:
        if word in _NEGATIONS:
            negate = "не" if word == "не" else "not"
            continue
        for part in ABBREVIATIONS.get(word, (word,)):
            out.append(negate + part)
            negate = ""
    return out


# --------------------------------------------------------------------------------------------------------
# Concepts and line rules


@dataclass(frozen=True)
class Concept:
    """A meaning a caption's word carries: matched when a word starts with one of ``stems`` and with
    none of ``unless`` (``избирател`` is a voter, ``избирательн`` the adjective "electoral"), or is
    one of ``words``."""

    name: str
    stems: tuple[str, ...]
    unless: tuple[str, ...] = ()
    words: tuple[str, ...] = ()  # whole words only (``вне``: "внесенных" is no "outside")

    def matches(self, word: str) -> bool:
        if word in self.words:
            return True
        return word.startswith(self.stems) and not (self.unless and word.startswith(self.unless))


CONCEPTS: dict[str, Concept] = {
    c.name: c
    for c in (
        Concept("voters", ("избирател", "участник", "голосующ", "voter", "elector", "participant"),
                unless=("избирательн",)),
        Concept("ballots", ("бюл", "ballot")),
        Concept("absentee", ("откреп", "absentee")),
        Concept("list", ("спис", "list", "roll")),
        Concept("included", ("внесен", "включен", "included", "entered")),
        Concept("registered", ("зарегистр", "registered")),
        Concept("received", ("получ", "received")),
        Concept("issued", ("выда", "issued")),
        Concept("early", ("досрочн", "early")),
        Concept("station", ("помещен", "station", "premises")),
        Concept("outside", ("outside",), words=("вне",)),
        Concept("cancelled", ("погаш", "cancel")),
        Concept("portable", ("перенос", "portable", "mobile")),
        Concept("stationary", ("стационар", "stationary")),
        Concept("boxes", ("ящик", "урн", "box", "urn")),
        Concept("invalid", ("недейств", "invalid", "spoil")),
        Concept("valid", ("действ", "valid")),
        Concept("lost", ("утрач", "утерян", "lost")),
        Concept("unaccounted", ("неучт", "неучет", "unaccount", "notaccount", "notcounted", "uncounted")),
        Concept("voted", ("проголосовавш", "голосовавш", "voted")),
        Concept("took_part", ("принявш", "took")),
        Concept("tec", ("территориальн", "territorial")),
    )
}  # fmt: skip


@dataclass(frozen=True)
class LineRule:
    """How a protocol line is read: all concepts of one of ``alternatives``, none of ``unless``."""

    line: str
    alternatives: tuple[frozenset[str], ...]
    unless: frozenset[str] = frozenset()

    def reads(self, concepts: frozenset[str]) -> bool:
        return not (concepts & self.unless) and any(a <= concepts for a in self.alternatives)


def _rule(line: str, *alternatives: str, unless: str = "") -> LineRule:
    return LineRule(line, tuple(frozenset(a.split()) for a in alternatives), frozenset(unless.split()))


LINE_RULES: tuple[LineRule, ...] = (
    _rule("registered", "voters list", "included list", "registered voters",
          unless="ballots absentee voted issued"),
    _rule("ballots_received", "ballots received", unless="voters absentee unaccounted issued"),
    _rule("ballots_issued_early", "ballots issued early", "voters voted early", unless="absentee"),
    _rule("ballots_issued_station", "ballots issued station", unless="early outside absentee"),
    _rule("ballots_issued_outside", "ballots issued outside", unless="early absentee"),
    _rule("ballots_issued", "ballots issued", "voters received ballots", "voters voted", "voters took_part",
          unless="early station outside absentee list cancelled portable stationary boxes"),
    _rule("ballots_cancelled", "ballots cancelled", unless="absentee"),
    _rule("ballots_in_portable", "ballots portable", unless="absentee issued"),
    _rule("ballots_in_stationary", "ballots stationary", unless="absentee issued"),
    _rule("ballots_in_boxes", "ballots boxes", unless="absentee issued portable stationary"),
    _rule("invalid", "ballots invalid", unless="absentee"),
    _rule("valid", "ballots valid", unless="absentee unaccounted"),
    _rule("valid_not_counted", "valid unaccounted", unless="absentee"),
    _rule("ballots_lost", "ballots lost", unless="absentee"),
    _rule("ballots_unaccounted", "ballots unaccounted", unless="absentee valid"),
    _rule("absentee_received", "absentee received", unless="issued voted"),
    _rule("absentee_issued", "absentee issued", unless="tec"),
    _rule("absentee_voted", "absentee voted", unless="issued"),
    _rule("absentee_cancelled", "absentee cancelled"),
    _rule("absentee_issued_by_tec", "absentee issued tec"),
    _rule("absentee_lost", "absentee lost"),
)  # fmt: skip
"""Every protocol line of :data:`saylau.protocol.LINES` and the concepts that read it (docs/forensics.md)."""

assert {r.line for r in LINE_RULES} == set(LINES), "one rule per canonical line"


def caption_concepts(caption: str) -> frozenset[str]:
    """The concepts a caption's words carry."""
    words = caption_words(caption)
    return frozenset(c.name for c in CONCEPTS.values() if any(c.matches(w) for w in words))


def caption_lines(caption: str) -> list[str]:
    """Every protocol line a caption reads as (in protocol order): none, one, or (an error for the
    caller to name) several. A canonical line name (``registered``, ``ballots_issued_early``) reads as
    itself."""
    key = fold(caption).replace(" ", "_")
    if key in LINES:
        return [key]
    concepts = caption_concepts(caption)
    return [r.line for r in LINE_RULES if r.reads(concepts)]


# --------------------------------------------------------------------------------------------------------
# Options: referendum answers, "against all", candidates

ANSWERS: dict[str, str] = {
    "да": "yes", "за": "yes", "yes": "yes", "иә": "yes", "for": "yes",
    "нет": "no", "против": "no", "no": "no", "жоқ": "no", "against": "no",
}  # fmt: skip
"""Referendum answers (the caption, folded) -> the option ids of ``ref.parties`` (kind ``answer``)."""


def answer_option(name: str) -> str | None:
    """``yes`` / ``no`` for a referendum answer column ("ДА", "Нет", "За", "Против"), else None."""
    return ANSWERS.get(fold(name))


def is_against_all(name: str) -> bool:
    """A "против всех" column (against all candidates / lists): the option ``against_all``."""
    words = caption_words(name)
    return (words[:2] == ["против", "всех"]) or (words[:2] == ["against", "all"])


# A full personal name as Russian-language tables write a candidate: surname, given name, patronymic
# ("Путин Владимир Владимирович"), or surname and initials ("Путин В.В.").
_CYR = "А-ЯЁӘҒҚҢӨҰҮҺІ"
_PERSON = re.compile(
    rf"^[{_CYR}][а-яёәғқңөұүһі-]+\s+[{_CYR}][а-яёәғқңөұүһі-]+\s+[{_CYR}][а-яёәғқңөұүһі-]*"
    r"(?:вич|вна|чна|ична|оглы|кызы|улы|қызы)$"
    rf"|^[{_CYR}][а-яёәғқңөұүһі-]+\s+[{_CYR}]\.\s*[{_CYR}]\.$"
)


def is_person_name(name: str) -> bool:
    """A candidate's full name (surname, name, patronymic; or surname and initials)."""
    text = re.sub(r"\s+", " ", str(name)).strip()
    return bool(_PERSON.match(text)) or bool(_PERSON.match(text.title()))


# --------------------------------------------------------------------------------------------------------
# Id columns and text columns


ID_CAPTIONS: dict[str, str] = {
    **dict.fromkeys(("region", "регион", "субъект", "субъект рф", "субъект российской федерации",
                     "область", "облыс", "oblast", "region name", "регион рф"), "region"),
    **dict.fromkeys(("oik", "оик", "округ", "одномандатный округ", "избирательный округ"), "oik"),
    **dict.fromkeys(("tik", "тик", "tec", "территориальная избирательная комиссия",
                     "территориальная комиссия", "district", "район"), "tec"),
    **dict.fromkeys(("uik", "уик", "pec", "precinct", "участок", "избирательный участок",
                     "участковая избирательная комиссия", "участковая комиссия", "уик номер",
                     "участка", "polling station"), "pec"),
}  # fmt: skip
"""An id column's caption (folded; "№", "номер", "no", "number", "id" dropped) -> its role."""

_ID_NOISE = re.compile(r"(?:№|\bномер\b|\bno\b|\bnumber\b|\bid\b|[^\w\s])", re.I)


def id_role(caption: str) -> str | None:
    """``region``, ``oik``, ``tec`` or ``pec`` for an id column's caption, else None."""
    key = re.sub(r"\s+", " ", _ID_NOISE.sub(" ", fold(caption))).strip()
    return ID_CAPTIONS.get(key)


ATTRIBUTE_CAPTIONS: dict[str, str] = {
    **dict.fromkeys(("name", "название", "наименование", "commission", "комиссия", "uik name",
                     "название уик", "наименование комиссии", "pec name"), "name"),
    **dict.fromkeys(("url", "link", "ссылка", "href", "source url", "адрес страницы"), "url"),
    **dict.fromkeys(("election", "выборы", "election name", "название выборов", "vybory"), "election"),
    **dict.fromkeys(("level", "уровень"), "level"),
    **dict.fromkeys(("address", "адрес", "адрес участка"), "address"),
}  # fmt: skip
"""Text columns that are no protocol line: a commission's name (kept as the precinct's name in
``ref.commissions``), a link, an election name, an address (ignored) and a level (every row must be a
precinct's; then ignored)."""


def attribute_role(caption: str) -> str | None:
    """``name``, ``url``, ``election``, ``level`` or ``address`` for a known text column, else None."""
    return ATTRIBUTE_CAPTIONS.get(fold(caption))


# --------------------------------------------------------------------------------------------------------
# Every column of a table


def is_count_column(column: pd.Series) -> bool:
    """A column of counts: numbers as the reader gives them, or text cells most of which are numbers
    (a column with a few unreadable cells is still a count column; its bad cells are quarantined)."""
    if pd.api.types.is_numeric_dtype(column):
        return True
    text = column.astype(str).str.strip()
    given = text[text != ""]
    if not len(given):
        return False
    numbers = pd.to_numeric(given.str.replace(r"[\s\u00a0\u202f]", "", regex=True), errors="coerce")
    return bool(numbers.notna().mean() >= 0.5)


def read_columns(
    frame: pd.DataFrame,
    source: str,
    fmt: str,
    option_of: Callable[[str, int], BallotOption | None],
) -> ColumnPlan:
    """Read what every column of a table is, from its caption (and, for a caption that reads as
    nothing, its cells): an id, a protocol line, an option (``option_of(caption, position)``), a text
    column kept or ignored. Refused, naming the captions: a caption that reads as two lines, two
    captions that read as one line, id or option, and a count column that reads as nothing."""
    plan = ColumnPlan()
    claimed: dict[str, str] = {}  # what a column was read as -> its caption

    def claim(what: str, caption: str) -> None:
        if what in claimed:
            raise PrecinctImportError(
                f"{source}: columns {claimed[what]!r} and {caption!r} both read as {what}"
            )
        claimed[what] = caption

    for position, caption in enumerate(frame.columns, start=1):
        caption = str(caption)
        role = id_role(caption)
        if role is not None:
            claim(f"the {role} id column", caption)
            plan.ids[role] = caption
            if role == "oik":
                plan.ignored[caption] = "the single-member district (the precinct id is region/tec/pec)"
            continue
        lines = caption_lines(caption)
        if len(lines) > 1:
            raise PrecinctImportError(
                f"{source}: column {caption!r} reads as two protocol lines, {lines[0]!r} and {lines[1]!r}"
            )
        if lines:
            claim(f"the protocol line {lines[0]!r}", caption)
            plan.lines[caption] = lines[0]
            continue
        option = option_of(caption, position)
        if option is not None:
            claim(f"the option {option.option_id!r}", caption)
            plan.options.append(option)
            continue
        attribute = attribute_role(caption)
        if attribute is not None:
            claim(f"the {attribute} column", caption)
            plan.attributes[attribute] = caption
            if attribute == "name":
                plan.kept[caption] = "the precinct's name (ref.commissions.name)"
            elif attribute == "level":
                plan.ignored[caption] = "the level (every row checked to be a precinct's)"
            else:
                plan.ignored[caption] = f"the {attribute} (not a protocol figure)"
            continue
        if is_count_column(frame[caption]):
            raise UnknownCaptionError(caption, source, fmt)
        plan.ignored[caption] = "a text column that reads as no protocol line"
    return plan
