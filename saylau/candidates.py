"""Candidates' names as the CEC and the press write them, read in any order of their parts.

``reference_data/candidates.csv`` holds each candidate of an election by surname, given names and
patronymic, in Russian, Kazakh and Latin script. A text names a candidate when it holds the surname (with
or without a case ending: "Токаева", "Тоқаевқа") and, around it, any of the given names, the patronymic or
their initials, in any order: "Токаев Касым-Жомарт Кемелевич", "Kassym-Jomart Tokayev", "К.-Ж. Токаев",
"Токаев К.-Ж.К.". A surname one letter off exactly one candidate's surname ("Tokaev", "Dairabaev") is that
candidate (rapidfuzz, with a margin: a word as close to two surnames names neither).
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

    def find(self, text: str) -> list[tuple[int, int, str, str]]:
        """(start, end, option_id, surface) of every candidate named in the text (the longest reading)."""
        found = []
        for option_id, pattern in self._patterns:
            for m in pattern.finditer(text):
                found.append((m.start(), m.end(), option_id, m.group(0)))
        for m in _WORD.finditer(text):
            word = m.group(0)
            if len(word) >= _MIN_FUZZY and word[0].isupper():
                option = self.fuzzy_surname(word)
                if option and not any(a <= m.start() < b for a, b, _, _ in found):
                    found.append((m.start(), m.end(), option, word))
        return sorted(found)

    def fuzzy_surname(self, word: str) -> str | None:
        """The candidate whose surname is within one edit of the word, when exactly one is."""
        key = word.lower()
        if key in self._surnames:
            return None  # an exact surname is found by the patterns, not guessed here
        close = {o for s, o in self._surnames.items() if Levenshtein.distance(key, s, score_cutoff=1) <= 1}
        return close.pop() if len(close) == 1 else None

    def resolve(self, text: str) -> str | None:
        """The one candidate a text (a table header, a name on its own) names, or None."""
        options = {option for _, _, option, _ in self.find(text)}
        return options.pop() if len(options) == 1 else None


def read_candidates(data_dir: Path = REFERENCE_DATA_DIR) -> dict[str, list[Candidate]]:
    """Every election's candidates from ``candidates.csv``."""
    with (data_dir / "candidates.csv").open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
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
    """The candidate names of an election (none for an election without candidates)."""
    return CandidateNames(read_candidates().get(election_id, []))
