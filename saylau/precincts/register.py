"""Registering an imported election in ``ref`` and choosing the leader the forensics follow.

A foreign election (Russia's) is registered from its id (:func:`election_info_from_id`) with rows of
``origin = 'import:<sha256>'``, kept across reference reloads and replaced by the next import; an election
the reference data holds (Kazakhstan's) is never re-registered, and the table's options must be on its
ballot.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

import duckdb
import pandas as pd

from saylau.precincts.izbirkom import KNOWN_PARTIES, party_core_name
from saylau.precincts.table import BallotOption, PrecinctImportError, PrecinctTable, slug


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
    contest_kind: str = "party_list"  # party_list | single_winner | referendum (ref.contests.kind)
    has_against_all: bool = False


_RU_NAMES = {  # contest kind -> (election name, contest name, ref.elections.kind)
    "party_list": ("Russia, State Duma election {year}", "State Duma, federal party lists", "parliamentary"),
    "single_winner": ("Russia, presidential election {year}", "President of Russia", "presidential"),
    "referendum": ("Russia, all-Russian vote {year}", "All-Russian vote (yes / no)", "referendum"),
}
_KINDS = {"party_list": "parliamentary", "single_winner": "presidential", "referendum": "referendum"}


def moscow_utc_offset(day: date) -> int:
    """Moscow's UTC offset on a day (UTC+4 from 27 March 2011 to 26 October 2014, UTC+3 otherwise)."""
    return 4 if date(2011, 3, 27) <= day < date(2014, 10, 26) else 3


def election_info_from_id(
    election_id: str,
    contest_id: str,
    fmt: str,
    contest_kind: str = "party_list",
    options: list[BallotOption] | tuple = (),
) -> ElectionInfo:
    """Default registration of an election from its id (``ru-2011-12-04`` -> Russia, 4 Dec 2011) and the
    kind of contest its table's options make (``party_list``, ``single_winner``, ``referendum``).

    Russian results are shares of all ballots cast (valid + invalid) in every kind of vote; a referendum
    anywhere shares of ballots cast."""
    match = re.fullmatch(r"([a-z]{2})-(\d{4}-\d{2}-\d{2})", election_id)
    if not match:
        raise PrecinctImportError(
            f"election id {election_id!r} must look like '<country>-<YYYY-MM-DD>', e.g. 'ru-2011-12-04'"
        )
    country, day = match.group(1).upper(), date.fromisoformat(match.group(2))
    against_all = any(o.kind == "against_all" for o in options)
    if country == "RU":
        name, contest_name, kind = _RU_NAMES.get(contest_kind, _RU_NAMES["party_list"])
        return ElectionInfo(
            election_id,
            contest_id,
            country,
            day,
            kind=kind,
            name_en=name.format(year=f"{day:%Y}"),
            contest_name_en=contest_name if contest_id in ("duma", "president", "referendum") else contest_id,
            share_denominator="ballots_cast",  # Russian law: shares of all ballots cast (valid + invalid)
            utc_offset_hours=moscow_utc_offset(day),
            contest_kind=contest_kind,
            has_against_all=against_all,
        )
    return ElectionInfo(
        election_id,
        contest_id,
        country,
        day,
        kind=_KINDS.get(contest_kind, "parliamentary"),
        name_en=f"{country} {'referendum' if contest_kind == 'referendum' else 'election'} {day}",
        contest_kind=contest_kind,
        has_against_all=against_all,
    )


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
        "values (?, ?, ?, ?, 'national', null, null, ?, ?, ?, ?)",
        [
            info.election_id,
            info.contest_id,
            info.contest_name_en or info.contest_id,
            info.contest_kind,
            info.share_denominator,
            "voters who received ballots / voters on the final list",
            info.has_against_all,
            origin,
        ],
    )
    for o in options:
        con.execute(
            "insert or ignore into ref.parties (party_id, name_en, name_ru, name_kk, short_en, kind, note, origin) "
            "values (?, ?, ?, ?, ?, ?, ?, ?)",
            [
                o.option_id,
                o.name_en,
                o.name,
                o.name,
                o.short_en,
                o.kind,
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


def register_table(
    con: duckdb.DuckDBPyConnection, info: ElectionInfo, table: PrecinctTable, sha256: str
) -> None:
    """The ref rows a table implies: its election, contest and options (:func:`register_election`) and
    its commissions (an imported election's earlier commissions replaced)."""
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


# --------------------------------------------------------------------------------------------------------
# The leader


def choose_leader(totals: Mapping[str, int | None], named: str | None = None) -> tuple[str, str]:
    """The leader of a set of option totals, and how it was chosen.

    ``named`` (``--leader``: an option id, or a party name the resolver or the Russian party table knows)
    gives that option, ``"user"``; it must be one of ``totals``' options. Otherwise the option with the most
    votes, ties broken by the smaller option id (as ``intermediate.int_contest_leaders`` breaks them),
    ``"most_votes"``; ``("", "none")`` when no option has a total (no row passed validation).
    """
    options = list(totals)
    if named:
        from saylau.reference import UnknownNameError, default_resolver

        candidates = [named]
        with contextlib.suppress(UnknownNameError):
            candidates.append(default_resolver().party(named))
        wanted = party_core_name(named)
        candidates.append(KNOWN_PARTIES.get(wanted, (slug(wanted),))[0])
        for key in candidates:
            if key in options:
                return key, "user"
        raise PrecinctImportError(f"leader {named!r} is not one of the table's options {options}")
    counted = {o: v for o, v in totals.items() if not pd.isna(v)}
    if not counted:
        return "", "none"
    return min(counted, key=lambda o: (-counted[o], o)), "most_votes"
