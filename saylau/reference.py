"""Reference facts (regions, parties, elections, contests) and the name resolver.

Sources name regions and parties in three languages, three scripts of Kazakh, in grammatical cases and
abbreviations ("по Восточно-Казахстанской области", "ВКО", "Шығыс Қазақстан облысы бойынша"). The
resolver maps any known variant to its canonical code; an unknown name raises :class:`UnknownNameError`
naming the text, never a silent NULL.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from datetime import date
from functools import cache, lru_cache
from pathlib import Path

import duckdb
import pandas as pd

from saylau.config import REFERENCE_DATA_DIR
from saylau.names import fold

# csv file -> ref table, in load order
REFERENCE_TABLES = {
    "regions.csv": "ref.regions",
    "region_aliases.csv": "ref.region_aliases",
    "region_crosswalk.csv": "ref.region_crosswalk",
    "parties.csv": "ref.parties",
    "party_aliases.csv": "ref.party_aliases",
    "party_renames.csv": "ref.party_renames",
    "elections.csv": "ref.elections",
    "contests.csv": "ref.contests",
    "ballot_options.csv": "ref.ballot_options",
    "candidates.csv": "ref.candidates",
    "official_totals.csv": "ref.official_totals",
    "districts.csv": "ref.districts",
    "district_units.csv": "ref.district_units",
    "district_candidates.csv": "ref.district_candidates",
    "observer_samples.csv": "ref.observer_samples",
}

# ref tables that imports may extend (e.g. a foreign election brought in by import-precincts)
IMPORTABLE_TABLES = ("ref.parties", "ref.elections", "ref.contests", "ref.ballot_options")

# Date the 2022 administrative reform took effect (Abai, Jetisu, Ulytau created).
REGION_REFORM_DATE = date(2022, 6, 8)

_LEADING_WORDS = re.compile(r"^(?:по|в|во|на|г\.?|гор\.?|город[уеа]?|city of|the)\s+")
_TRAILING_WORDS = re.compile(r"\s+(?:бойынша|boiynsha|boyynsha|бойинша)$")
_OBLAST = re.compile(r"\b(?:област[ьиюя]\w*|обл\.?)(?=\s|$)")
_ADJ_SK = re.compile(r"(\w)ск(?:ая|ой|ий|ую|ое|ом|их)(?=\s|$)")
_PARTY_WORDS = re.compile(r"\s(?:партия|партиясы|party|political|политическая)(?=\s)")


class UnknownNameError(LookupError):
    """A region or party name that no alias matches; carries the text as given."""

    def __init__(self, kind: str, text: str, hint: str = "") -> None:
        self.kind = kind
        self.text = text
        super().__init__(f"unknown {kind} name {text!r}" + (f" ({hint})" if hint else ""))


@lru_cache(maxsize=65536)  # pages repeat the same names thousands of times
def normalise_name(text: str) -> str:
    """The lookup key of a name: case, quotes, dashes, spacing, prepositions and Russian case endings folded.

    "по Восточно-Казахстанской области" and "Восточно-Казахстанская область" give the same key;
    "Алматы облысы" (the region) and "Алматы қаласы" (the city) stay different.
    """
    s = fold(text, strip=" .,:;-")
    s = re.sub(r"\s*-\s*", "-", s)
    for _ in range(2):
        s = _LEADING_WORDS.sub("", s)
    s = _TRAILING_WORDS.sub("", s)
    s = _OBLAST.sub("область", s)
    s = _ADJ_SK.sub(r"\1ская", s)
    return s.strip()


def read_reference(name: str, data_dir: Path = REFERENCE_DATA_DIR) -> pd.DataFrame:
    """One reference file as a DataFrame of strings (empty cells as NA); alias tables get their keys."""
    frame = pd.read_csv(data_dir / name, dtype=str, keep_default_na=False, na_values=[""])
    if "alias" in frame.columns:
        frame.insert(1, "alias_key", frame["alias"].map(normalise_name))
    return frame


def load_reference(con: duckdb.DuckDBPyConnection, data_dir: Path = REFERENCE_DATA_DIR) -> dict[str, int]:
    """Validate every reference file and replace the ``ref`` tables with it, in one transaction.

    Returns rows per table. A file that breaks its pandera model is refused before anything changes.
    """
    from schemas.reference import REFERENCE_SCHEMAS  # pandera models; imported here to keep this light

    frames = {}
    for name, table in REFERENCE_TABLES.items():
        frame = read_reference(name, data_dir)
        frames[table] = REFERENCE_SCHEMAS[table].validate(frame, lazy=True)
    frames["ref.ballot_options"] = with_district_ballots(frames)
    check_reference_integrity(frames)
    counts = {}
    con.execute("begin transaction")
    try:
        for table, frame in frames.items():
            # rows registered by imports (origin 'import:...') survive a reference reload
            origin = " where origin = 'reference'" if table in IMPORTABLE_TABLES else ""
            con.execute(f"delete from {table}{origin}")
            con.register("_ref_frame", frame)
            columns = ", ".join(f'"{c}"' for c in frame.columns)
            con.execute(f"insert into {table} ({columns}) select {columns} from _ref_frame")
            con.unregister("_ref_frame")
            counts[table] = len(frame)
        con.execute("commit")
    except Exception:
        con.execute("rollback")
        raise
    return counts


def with_district_ballots(frames: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """ballot_options.csv plus the ballots of the single-member contests, derived from their districts.

    Each district candidate is an option of the contest (at their ballot position), and "against all" where
    the contest has it, so that every candidate's votes are on a known ballot like a party's.
    """
    ballots = frames["ref.ballot_options"]
    stood = frames["ref.district_candidates"]
    if stood.empty:
        return ballots
    contests = frames["ref.contests"]
    against = contests.loc[
        (contests["kind"] == "single_member") & (contests["has_against_all"] == "true"),
        ["election_id", "contest_id"],
    ]
    against = against.merge(stood[["election_id", "contest_id"]].drop_duplicates())
    extra = pd.concat(
        [
            stood[["election_id", "contest_id", "option_id", "position"]],
            against.assign(option_id="against_all", position=float("nan")),
        ],
        ignore_index=True,
    )
    extra["position"] = extra["position"].astype(float)
    return pd.concat([ballots, extra], ignore_index=True).drop_duplicates(
        ["election_id", "contest_id", "option_id"]
    )


def check_reference_integrity(frames: dict[str, pd.DataFrame]) -> None:
    """Cross-file rules: every alias, crosswalk entry and ballot option points at a known id."""
    regions = set(frames["ref.regions"]["code"])
    parties = set(frames["ref.parties"]["party_id"])
    problems = check_district_integrity(frames)
    # a district candidate is a ballot option without a ref.parties row (names: ref.candidates)
    parties = parties | set(frames["ref.district_candidates"]["option_id"])
    contests = set(
        zip(frames["ref.contests"]["election_id"], frames["ref.contests"]["contest_id"], strict=True)
    )
    for table, column, known in [
        ("ref.region_aliases", "region_code", regions),
        ("ref.region_crosswalk", "code_2021", regions),
        ("ref.region_crosswalk", "code_2022", regions),
        ("ref.party_aliases", "party_id", parties),
        ("ref.party_renames", "party_id", parties),
        ("ref.ballot_options", "option_id", parties),
        ("ref.contests", "election_id", set(frames["ref.elections"]["election_id"])),
        ("ref.candidates", "option_id", parties),
    ]:
        for i, value in enumerate(frames[table][column]):
            if value not in known:
                problems.append(f"{table} row {i + 2}: {column}={value!r} is not a known id")
    ballots = set(
        zip(
            frames["ref.ballot_options"]["election_id"],
            frames["ref.ballot_options"]["option_id"],
            strict=True,
        )
    )
    stood = frames["ref.district_candidates"]
    ballots |= set(zip(stood["election_id"], stood["option_id"], strict=True))
    for i, key in enumerate(
        zip(frames["ref.candidates"]["election_id"], frames["ref.candidates"]["option_id"], strict=True)
    ):
        if key not in ballots:
            problems.append(f"ref.candidates row {i + 2}: {key} is not on that election's ballot")
    for table in ("ref.ballot_options", "ref.official_totals"):
        frame = frames[table]
        for i, key in enumerate(zip(frame["election_id"], frame["contest_id"], strict=True)):
            if key not in contests:
                problems.append(f"{table} row {i + 2}: contest {key} is not in contests.csv")
    for table, target in (("ref.region_aliases", "region_code"), ("ref.party_aliases", "party_id")):
        frame = frames[table]
        targets = frame.groupby("alias_key")[target].nunique()
        for key in targets[targets > 1].index:
            clash = sorted(set(frame.loc[frame["alias_key"] == key, target]))
            problems.append(f"{table}: aliases normalising to {key!r} point at different ids {clash}")
    if problems:
        raise ValueError("reference data is inconsistent:\n  " + "\n  ".join(problems))


def check_district_integrity(frames: dict[str, pd.DataFrame]) -> list[str]:
    """The single-member districts' rules: districts of single-member contests in known regions, what they
    cover in their own region and never one precinct twice in a contest, candidates in a known district
    of its contest, nominated by a party or themselves, and named in candidates.csv."""
    problems: list[str] = []
    contests = frames["ref.contests"]
    kinds = {
        (e, c): k
        for e, c, k in zip(contests["election_id"], contests["contest_id"], contests["kind"], strict=True)
    }
    regions = set(frames["ref.regions"]["code"])
    districts = frames["ref.districts"]
    known = {}
    for i, row in enumerate(districts.itertuples(index=False)):
        known[(row.election_id, row.district_id)] = row
        if kinds.get((row.election_id, row.contest_id)) != "single_member":
            problems.append(
                f"ref.districts row {i + 2}: {row.contest_id!r} is no single_member contest of {row.election_id}"
            )
        if row.region_code not in regions:
            problems.append(f"ref.districts row {i + 2}: region_code={row.region_code!r} is not a known id")
    covered: dict[tuple, str] = {}
    has_units = set()
    for i, row in enumerate(frames["ref.district_units"].itertuples(index=False)):
        district = known.get((row.election_id, row.district_id))
        if district is None:
            problems.append(
                f"ref.district_units row {i + 2}: district {row.district_id!r} is not in districts.csv"
            )
            continue
        has_units.add((row.election_id, row.district_id))
        if row.region_code != district.region_code:
            problems.append(
                f"ref.district_units row {i + 2}: {row.region_code} is not {row.district_id}'s region"
            )
        for n in range(int(row.number_from), int(row.number_to) + 1):
            key = (row.election_id, district.contest_id, row.level, row.region_code, n)
            if key in covered and covered[key] != row.district_id:
                problems.append(
                    f"ref.district_units row {i + 2}: {row.level} {row.region_code} {n} is in {covered[key]} "
                    f"and {row.district_id} of {district.contest_id}"
                )
            covered[key] = row.district_id
    for key in sorted(set(known) - has_units):
        problems.append(f"ref.districts: {key[1]} ({key[0]}) covers no precinct (district_units.csv)")
    parties = set(frames["ref.parties"].loc[frames["ref.parties"]["kind"] == "party", "party_id"])
    named = set(
        zip(frames["ref.candidates"]["election_id"], frames["ref.candidates"]["option_id"], strict=True)
    )
    stood = frames["ref.district_candidates"]
    for i, row in enumerate(stood.itertuples(index=False)):
        district = known.get((row.election_id, row.district_id))
        if district is None or district.contest_id != row.contest_id:
            problems.append(
                f"ref.district_candidates row {i + 2}: {row.district_id!r} is no district of {row.contest_id}"
            )
        if row.nominated_by != "self" and row.nominated_by not in parties:
            problems.append(
                f"ref.district_candidates row {i + 2}: nominated_by={row.nominated_by!r} is no party"
            )
        if (row.election_id, row.option_id) not in named:
            problems.append(
                f"ref.district_candidates row {i + 2}: {row.option_id} has no names in candidates.csv"
            )
    return problems


@dataclass(frozen=True)
class Region:
    code: str
    name_en: str
    name_ru: str
    name_kk: str
    in_2021: bool
    in_2022_plus: bool

    def exists_on(self, day: date) -> bool:
        return self.in_2022_plus if day >= REGION_REFORM_DATE else self.in_2021


class Resolver:
    """Maps region and party names, in any language or spelling variant, to canonical ids."""

    def __init__(self, data_dir: Path = REFERENCE_DATA_DIR) -> None:
        self.regions = {
            row["code"]: Region(
                row["code"],
                row["name_en"],
                row["name_ru"],
                row["name_kk"],
                row["in_2021"] == "true",
                row["in_2022_plus"] == "true",
            )
            for row in _read_rows(data_dir / "regions.csv")
        }
        self._region_keys: dict[str, str] = {}
        for code, region in self.regions.items():
            for name in (region.code, region.name_en, region.name_ru, region.name_kk):
                self._region_keys[normalise_name(name)] = code
        self._region_alias_surfaces: list[str] = []
        for row in _read_rows(data_dir / "region_aliases.csv"):
            self._region_keys[normalise_name(row["alias"])] = row["region_code"]
            self._region_alias_surfaces.append(row["alias"])
        self.parties = {row["party_id"]: row for row in _read_rows(data_dir / "parties.csv")}
        self._party_keys: dict[str, str] = {}
        for pid, row in self.parties.items():
            for name in (pid, row["name_en"], row["name_ru"], row["name_kk"], row["short_en"]):
                self._party_keys[normalise_name(name)] = pid
        for row in _read_rows(data_dir / "party_aliases.csv"):
            self._party_keys[normalise_name(row["alias"])] = row["party_id"]
        self._party_alias_surfaces = [row["alias"] for row in _read_rows(data_dir / "party_aliases.csv")]
        self._renames = list(_read_rows(data_dir / "party_renames.csv"))
        self._surfaces_of_kinds: dict[tuple[str, ...], list[str]] = {}  # party_alias_surfaces, per kinds

    def alias_surfaces(self) -> list[str]:
        """Every region name as sources write it (official names and aliases), for finding names in prose."""
        names = [a for r in self.regions.values() for a in (r.name_en, r.name_ru, r.name_kk)]
        return names + list(self._region_alias_surfaces)

    def party_alias_surfaces(
        self, kinds: tuple[str, ...] = ("party", "candidate", "against_all")
    ) -> list[str]:
        """Every party / candidate name as sources write it, for finding names in prose.

        Referendum answers ("Да", "Yes") are left out by default: as words they occur everywhere.
        """
        cached = self._surfaces_of_kinds.get(kinds)
        if cached is None:
            names = []
            for row in self.parties.values():
                if row["kind"] in kinds:
                    names += [row["name_en"], row["name_ru"], row["name_kk"], row["short_en"]]
            names += [a for a in self._party_alias_surfaces if self.parties[self.party(a)]["kind"] in kinds]
            cached = self._surfaces_of_kinds[kinds] = sorted(set(names))
        return list(cached)

    def region(self, text: str, on: date | None = None) -> str:
        """The ISO code of a region name; with ``on``, also checks the region existed that day."""
        code = self._region_keys.get(normalise_name(text))
        if code is None:
            raise UnknownNameError("region", text)
        if on is not None and not self.regions[code].exists_on(on):
            raise UnknownNameError(
                "region", text, f"{code} {self.regions[code].name_en} did not exist on {on.isoformat()}"
            )
        return code

    def party(self, text: str) -> str:
        """The canonical id of a party, candidate or ballot answer ("партия «Adal»" reads as "Adal")."""
        key = normalise_name(text)
        pid = self._party_keys.get(key)
        if pid is None:
            pid = self._party_keys.get(_PARTY_WORDS.sub(" ", f" {key} ").strip())
        if pid is None:
            raise UnknownNameError("party", text)
        return pid

    def party_name_on(self, party_id: str, day: date) -> str:
        """The English name a party bore on a given day (``amanat`` was "Nur Otan" in 2021)."""
        name = self.parties[party_id]["name_en"]
        for rename in sorted(self._renames, key=lambda r: r["renamed_on"], reverse=True):
            if rename["party_id"] == party_id and day < date.fromisoformat(rename["renamed_on"]):
                name = rename["old_name_en"]
        return name


def _read_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


@cache
def default_resolver() -> Resolver:
    """The resolver over the packaged reference data (built once per process)."""
    return Resolver()


def reference_file_hashes(data_dir: Path = REFERENCE_DATA_DIR) -> dict[str, str]:
    """sha256 of each reference file, for a run's input manifest."""
    import hashlib

    return {name: hashlib.sha256((data_dir / name).read_bytes()).hexdigest() for name in REFERENCE_TABLES}
