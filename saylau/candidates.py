"""Candidates' names as the CEC and the press write them, read in any order of their parts.

``reference_data/candidates.csv`` holds each candidate of an election by surname, given names and
patronymic, in Russian, Kazakh and Latin script. A text names a candidate when it holds the surname (with
or without a case ending: "Токаева", "Тоқаевқа") and, around it, any of the given names, the patronymic or
their initials, in any order: "Токаев Касым-Жомарт Кемелевич", "Kassym-Jomart Tokayev", "К.-Ж. Токаев",
"Токаев К.-Ж.К.". A surname one letter off exactly one candidate's surname ("Tokaev", "Dairabaev") is that
candidate (rapidfuzz, with a margin: a word as close to two surnames names neither).

Candidates of single-member districts (``district_candidates.csv``, from 2023) are read per district
(:func:`district_candidate_names`): two districts may each have an "Ахметов". A protocol or an observer's
copy may write a Cyrillic name in Latin letters or the other way round ("Khattamayev", "Hattamaev",
"Хаттамаев"): every surname is also compared by its Latin skeleton (:func:`latin_key`).
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from rapidfuzz.distance import Levenshtein

from saylau.config import REFERENCE_DATA_DIR

# case endings a surname or given name takes in Russian and Kazakh prose (longest first)
_ENDINGS = "ының|інің|ының|тың|тің|дың|дің|ның|нің|қа|ке|ға|ге|та|те|да|де|ым|ом|ой|ою|ым|ды|ді|ны|ні|ты|ті|а|у|е|ы|ю|я"
_WORD = re.compile(r"[\w][\w'’-]*", re.UNICODE)
_MIN_FUZZY = 6  # shorter words are not matched one edit off (too many near neighbours)

# Cyrillic (Russian and Kazakh letters) to plain Latin, then both scripts folded to one skeleton: the
# spellings of the press ("Khattamayev"), of the 2021 Kazakh Latin alphabet ("Hattamaev", "Synaqov") and
# of passports meet.
_TO_LATIN = dict(
    zip(
        "абвгдеёжзийклмнопрстуфхцчшщъыьэюяәғқңөұүһі",
        "a b v g d e yo zh z i i k l m n o p r s t u f kh ts ch sh shch _ y _ e yu ya a g k n o u u h i".split(),  # noqa: SIM905
        strict=True,
    )
)
_LATIN_FOLDS = (("shch", "sh"), ("kh", "h"), ("zh", "j"), ("ch", "c"), ("q", "k"), ("ğ", "g"), ("ı", "y"),
                ("ä", "a"), ("ö", "o"), ("ü", "u"), ("ū", "u"), ("ñ", "n"), ("ş", "sh"), ("w", "u"), ("x", "h"),
                ("yev", "ev"), ("yu", "iu"), ("ya", "ia"), ("y", "i"), ("_", ""))  # fmt: skip


def latin_key(word: str) -> str:
    """The Latin skeleton of a name in either script: "Хаттамаев", "Khattamayev", "Hattamaev" -> "hattamaev"."""
    s = "".join(_TO_LATIN.get(c, c) for c in word.lower())
    for a, b in _LATIN_FOLDS:
        s = s.replace(a, b)
    return re.sub(r"[^a-z]", "", s)


@dataclass(frozen=True)
class Candidate:
    option_id: str
    surnames: tuple[str, ...]  # as written in each language
    given: tuple[str, ...]
    patronymics: tuple[str, ...]


def _initials(name: str) -> str:
    """The initials a name is abbreviated to: "Касым-Жомарт" -> "К.-Ж.", "Кемелевич" -> "К."."""
    return "-".join(part[0] + "." for part in name.split("-") if part)


def _alternatives(names: tuple[str, ...], endings: bool) -> str:
    parts = sorted({re.escape(n) for n in names if n}, key=len, reverse=True)
    ending = f"(?:{_ENDINGS})?" if endings else ""
    return "(?:" + "|".join(parts) + ")" + ending if parts else "(?!)"


class CandidateNames:
    """The candidates of one election, and where a text names them."""

    def __init__(self, candidates: list[Candidate]) -> None:
        self.candidates = candidates
        self._patterns = []
        for c in candidates:
            surname = _alternatives(c.surnames, endings=True)
            names = c.given + c.patronymics
            full = _alternatives(names, endings=True)
            initials = (
                "(?:"
                + "|".join(
                    sorted(
                        {re.escape(_initials(n)).replace(r"\-", r"\s?-\s?") for n in names},
                        key=len,
                        reverse=True,
                    )
                )
                + ")"
            )
            part = rf"(?:{full}|{initials})"
            before = rf"(?:{part}\s*){{0,2}}"
            after = rf"(?:\s*{part}){{0,2}}"
            pattern = rf"(?<![\w-])(?:{before}{surname}{after}|{surname})(?![\w-])"
            self._patterns.append((c.option_id, re.compile(pattern, re.IGNORECASE)))
        self._surnames = {s.lower(): c.option_id for c in candidates for s in c.surnames}
        self._latin = {latin_key(s): c.option_id for c in candidates for s in c.surnames}

    def find(self, text: str) -> list[tuple[int, int, str, str]]:
        """(start, end, option_id, surface) of every candidate named in the text (the longest reading)."""
        found = []
        for option_id, pattern in self._patterns:
            for m in pattern.finditer(text):
                found.append((m.start(), m.end(), option_id, m.group(0)))
        for m in _WORD.finditer(text):
            word = m.group(0)
            if word[0].isupper() and (len(word) >= _MIN_FUZZY or latin_key(word) in self._latin):
                option = self.fuzzy_surname(word)
                if option and not any(a <= m.start() < b for a, b, _, _ in found):
                    found.append((m.start(), m.end(), option, word))
        return sorted(found)

    def fuzzy_surname(self, word: str) -> str | None:
        """The candidate whose surname is within one edit of the word, when exactly one is."""
        key = word.lower()
        if key in self._surnames:
            return None  # an exact surname is found by the patterns, not guessed here
        latin = latin_key(word)
        if latin in self._latin:  # the same name in the other script
            return self._latin[latin]
        if len(word) < _MIN_FUZZY:
            return None
        close = {o for s, o in self._surnames.items() if Levenshtein.distance(key, s, score_cutoff=1) <= 1}
        close |= {o for s, o in self._latin.items() if Levenshtein.distance(latin, s, score_cutoff=1) <= 1}
        return close.pop() if len(close) == 1 else None

    def resolve(self, text: str) -> str | None:
        """The one candidate a text (a table header, a name on its own) names, or None."""
        options = {option for _, _, option, _ in self.find(text)}
        return options.pop() if len(options) == 1 else None


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def read_candidates(
    data_dir: Path = REFERENCE_DATA_DIR, districts: bool = False
) -> dict[str, list[Candidate]]:
    """Every election's candidates from ``candidates.csv``: of a national ballot (a presidential
    election), or with ``districts`` those standing in single-member districts."""
    stood = {(r["election_id"], r["option_id"]) for r in _rows(data_dir / "district_candidates.csv")}
    rows = [
        r
        for r in _rows(data_dir / "candidates.csv")
        if ((r["election_id"], r["option_id"]) in stood) == districts
    ]
    by: dict[tuple[str, str], list[dict]] = {}
    for row in rows:
        by.setdefault((row["election_id"], row["option_id"]), []).append(row)
    out: dict[str, list[Candidate]] = {}
    for (election_id, option_id), versions in by.items():
        out.setdefault(election_id, []).append(
            Candidate(
                option_id,
                tuple(r["surname"] for r in versions),
                tuple(g for r in versions for g in (r["given_names"],) if g),
                tuple(r["patronymic"] for r in versions if r["patronymic"]),
            )
        )
    return out


@cache
def candidate_names(election_id: str) -> CandidateNames:
    """The candidate names of an election's national ballot (none for an election without candidates)."""
    return CandidateNames(read_candidates().get(election_id, []))


@cache
def district_of_candidates(election_id: str) -> dict[str, tuple[str, str]]:
    """option_id -> (contest_id, district_id) of every district candidate of the election."""
    return {
        r["option_id"]: (r["contest_id"], r["district_id"])
        for r in _rows(REFERENCE_DATA_DIR / "district_candidates.csv")
        if r["election_id"] == election_id
    }


@cache
def district_candidate_names(election_id: str, district_id: str | None = None) -> CandidateNames:
    """The candidates standing in one single-member district (``district_id``), or in any district of the
    election (None: a name then resolves only where it is one candidate's in the whole election)."""
    where = district_of_candidates(election_id)
    return CandidateNames(
        [
            c
            for c in read_candidates(districts=True).get(election_id, [])
            if district_id is None or where[c.option_id][1] == district_id
        ]
    )
