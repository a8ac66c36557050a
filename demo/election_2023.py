"""The 2023 demo election's single-member districts (issue 21): precincts, candidates' counts, observers.

The districts and candidates are the reference data's (``saylau/reference_data/districts.csv``,
``district_units.csv``, ``district_candidates.csv``: made up, with fictitious names). This module gives
them precincts (the numbers the districts cover, 15 to a territorial commission, ``<region>/T<nn>``),
an honest count per precinct and contest (what the voters did and the precinct commission signed, so
also what an observer copies) and an official count: equal to the honest one, except in the districts
whose protocols were rewritten above the precinct, where votes were moved to the candidate the
rewriting favours (always the first on the ballot). In a ``reversed`` district the move makes that
candidate win a district the honest count gives to another; in a ``padded`` one it only widens the win.

The public case is kept as it happened: the East Kazakhstan regional maslikhat's district No 3
(``KZ-63/OM-03``, 15 precincts), where the honest count (the copies) gives the second candidate 2,150
against 2,083 and the official one has her lose by 33 (2,133 to 2,100).

Observers copy every precinct of some districts, part of others, none of the rest (``COVERAGE``); their
copies are the honest protocols. Files (``write_2023``):

- ``official/precincts_<contest>.csv`` the official count, in the precinct importer's canonical layout
  (``kz-precinct-csv``, one column per candidate id of the contest, 0 off a candidate's district),
- ``observers/district_copies_<contest>.csv`` the observers' copies in their own district form
  (docs/observers.md, loaded by ``load-observers``): Russian headers of the template, a district column,
  one column per candidate headed by the name as an organisation writes it (full Russian name, Latin
  name, surname and initials, Kazakh spelling, in turn), empty off the candidate's district,
- ``ground_truth/districts.csv`` per district: scenario, honest and official winner, ``reversed``,
  precincts and voters, and those the observers copied.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from saylau.config import REFERENCE_DATA_DIR

ELECTION_ID = "kz-2023-03-19"
DEFAULT_SEED = 20230319
CONTESTS = ("mazhilis_smd", "maslikhat_regional_smd", "maslikhat_district")
OBSERVER_SOURCE = "demo_observers"
PUBLIC_CASE = "KZ-63/OM-03"
PRECINCTS_PER_TEC = 15

# what happened in each district (the rest: clean, official = honest)
SCENARIOS = {
    "MZ-03": "reversed",
    "MZ-11": "reversed",
    "MZ-20": "reversed",
    "MZ-25": "reversed",
    "MZ-05": "padded",
    "MZ-14": "padded",
    "MZ-26": "padded",
    "MZ-09": "padded",
    PUBLIC_CASE: "reversed",
    "KZ-63/OM-01": "padded",
    "KZ-55/OM-01": "reversed",
    "KZ-63/T01/DM-02": "reversed",
}
# how much of each district the observers copied: 'full', 'none', else a part (the default)
COVERAGE = {
    "MZ-03": "full",
    "MZ-05": "full",
    "MZ-26": "full",
    "MZ-12": "full",
    PUBLIC_CASE: "full",
    "KZ-55/OM-01": "full",
    "KZ-63/OM-02": "full",
    "KZ-63/T01/DM-02": "full",
    "MZ-20": "none",
    "MZ-08": "none",
    "MZ-17": "none",
    "KZ-55/OM-02": "none",
    "KZ-63/T01/DM-03": "none",
}
LINES = ("registered", "ballots_received", "ballots_issued", "ballots_cancelled", "ballots_in_boxes",
         "invalid", "valid")  # fmt: skip


def _csv(name: str) -> pd.DataFrame:
    return pd.read_csv(REFERENCE_DATA_DIR / name, dtype=str, keep_default_na=False)


@dataclass
class Election2023:
    """Precincts, the honest and official protocols (long: one row per precinct, contest, option) and
    the observers' copies and the ground truth per district."""

    precincts: pd.DataFrame  # pec_id, region_code, tec_id, number, registered
    district_precincts: pd.DataFrame  # contest_id, district_id, pec_id
    candidates: pd.DataFrame  # contest_id, district_id, option_id, position
    honest: pd.DataFrame  # contest_id, district_id, pec_id, lines..., one column per option_id
    official: pd.DataFrame
    observed: pd.DataFrame  # contest_id, district_id, pec_id
    truth: pd.DataFrame  # per district


def _precincts(units: pd.DataFrame, districts: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    rows = []
    for u in units.itertuples(index=False):
        lo, hi = int(u.number_from), int(u.number_to)
        if u.level == "tec":
            lo, hi = (lo - 1) * PRECINCTS_PER_TEC + 1, hi * PRECINCTS_PER_TEC
        rows += [(u.district_id, u.region_code, n) for n in range(lo, hi + 1)]
    covered = pd.DataFrame(rows, columns=["district_id", "region_code", "number"])
    covered = covered.merge(districts[["district_id", "contest_id"]], on="district_id")
    covered["pec_id"] = covered["region_code"] + "/" + covered["number"].astype(str)
    pecs = (
        covered[["pec_id", "region_code", "number"]]
        .drop_duplicates("pec_id")
        .sort_values(["region_code", "number"])
    )
    pecs["tec_id"] = (
        pecs["region_code"] + "/T" + ((pecs["number"] - 1) // PRECINCTS_PER_TEC + 1).map("{:02d}".format)
    )
    return pecs.reset_index(drop=True), covered[["contest_id", "district_id", "pec_id"]]


def _weights(rng, k: int, scenario: str) -> np.ndarray:
    """Candidates' honest shares (position 1 first): in a reversed district the first is a close second."""
    if scenario == "reversed":
        w = np.array([0.36, 0.40] + list(rng.dirichlet(np.ones(k - 2)) * 0.20))
    elif scenario == "padded":
        w = np.array([0.42, 0.34] + list(rng.dirichlet(np.ones(k - 2)) * 0.20))
    else:
        w = rng.dirichlet(np.full(k, 2.0)) * 0.96
    return np.append(w, 0.04)  # against all


def _honest_district(
    rng, pecs: pd.DataFrame, options: list[str], scenario: str, public: bool
) -> pd.DataFrame:
    registered = pecs["registered"].to_numpy()
    n = len(pecs)
    rows = pd.DataFrame({"pec_id": pecs["pec_id"].to_numpy(), "registered": registered})
    if public:  # the case as published: 2,083 / 2,150 on the copies, to the vote
        totals = {options[0]: 2083, options[1]: 2150, options[2]: 610, "against_all": 120}
        p = registered / registered.sum()
        for option, total in totals.items():
            rows[option] = rng.multinomial(total, p)
        valid = rows[list(totals)].sum(axis=1).to_numpy()
    else:
        w = _weights(rng, len(options) - 1, scenario)
        turnout = rng.uniform(0.38, 0.62, n)
        valid = (registered * turnout).astype(int)
        votes = np.array([rng.multinomial(v, rng.dirichlet(w * 400)) for v in valid])
        rows[options] = votes
    invalid = rng.integers(3, 25, n)
    rows["invalid"] = invalid
    rows["valid"] = valid
    rows["ballots_in_boxes"] = valid + invalid
    rows["ballots_issued"] = valid + invalid
    rows["ballots_received"] = registered
    rows["ballots_cancelled"] = registered - rows["ballots_issued"]
    return rows


def _rewrite(rng, honest: pd.DataFrame, options: list[str], scenario: str, public: bool) -> pd.DataFrame:
    """The official count: votes of the others moved to the first candidate at some precincts."""
    official = honest.copy()
    if scenario not in ("reversed", "padded"):
        return official
    favoured, others = options[0], [o for o in options[1:] if o != "against_all"]
    rival = max(others, key=lambda o: honest[o].sum())
    gap = int(honest[rival].sum() - honest[favoured].sum())
    if public:
        moved = 50  # 2,133 against 2,100
    elif scenario == "reversed":
        moved = max(gap, 0) // 2 + int(rng.integers(5, 60))
    else:
        moved = int(rng.integers(60, 300))
    n = len(official)
    rewritten = rng.choice(n, size=max(2, n // 2), replace=False)
    share = rng.multinomial(moved, np.full(len(rewritten), 1 / len(rewritten)))
    for i, m in zip(rewritten, share, strict=True):
        m = min(int(m), int(official.at[i, rival]))
        official.at[i, rival] -= m
        official.at[i, favoured] += m
    return official


def generate_2023(seed: int = DEFAULT_SEED) -> Election2023:
    """The districts' precincts and counts, the same for the same seed."""
    rng = np.random.default_rng(seed)
    districts = _csv("districts.csv")
    districts = districts[districts["election_id"] == ELECTION_ID]
    units = _csv("district_units.csv")
    stood = _csv("district_candidates.csv")
    stood = stood[stood["election_id"] == ELECTION_ID].assign(position=lambda f: f["position"].astype(int))
    pecs, covered = _precincts(units[units["election_id"] == ELECTION_ID], districts)
    pecs["registered"] = rng.integers(450, 1500, len(pecs))
    honest, official, observed, truth = [], [], [], []
    for d in districts.sort_values(["contest_id", "district_id"]).itertuples(index=False):
        scenario = SCENARIOS.get(d.district_id, "clean")
        public = d.district_id == PUBLIC_CASE
        members = covered.loc[covered["district_id"] == d.district_id, "pec_id"]
        dpecs = pecs[pecs["pec_id"].isin(members)].reset_index(drop=True)
        if public:
            dpecs["registered"] = rng.integers(600, 800, len(dpecs))
            pecs.loc[pecs["pec_id"].isin(members), "registered"] = dpecs["registered"].to_numpy()
        options = list(stood[stood["district_id"] == d.district_id].sort_values("position")["option_id"])
        options.append("against_all")
        h = _honest_district(rng, dpecs, options, scenario, public)
        o = _rewrite(rng, h, options, scenario, public)
        mode = COVERAGE.get(d.district_id, "part")
        n = len(dpecs)
        k = (
            n
            if mode == "full"
            else 0
            if mode == "none"
            else int(rng.integers(max(1, n // 5), max(2, (7 * n) // 10)))
        )
        copied = sorted(rng.choice(n, size=k, replace=False)) if k else []
        for frame, out in ((h, honest), (o, official)):
            out.append(frame.assign(contest_id=d.contest_id, district_id=d.district_id))
        observed.append(pd.DataFrame({"contest_id": d.contest_id, "district_id": d.district_id,
                                      "pec_id": dpecs.loc[copied, "pec_id"]}))  # fmt: skip
        cands = [x for x in options if x != "against_all"]
        hw = max(cands, key=lambda x: (h[x].sum(), -cands.index(x)))
        ow = sorted(cands, key=lambda x: (-o[x].sum(), x))[0]
        truth.append({
            "contest_id": d.contest_id, "district_id": d.district_id, "scenario": scenario,
            "honest_winner": hw, "official_winner": ow, "reversed": hw != ow, "coverage": mode,
            "district_pecs": n, "district_registered": int(dpecs["registered"].sum()),
            "copied_pecs": k, "copied_registered": int(dpecs.loc[copied, "registered"].sum()) if k else 0,
        })  # fmt: skip
    return Election2023(
        precincts=pecs,
        district_precincts=covered,
        candidates=stood[["contest_id", "district_id", "option_id", "position"]],
        honest=pd.concat(honest, ignore_index=True),
        official=pd.concat(official, ignore_index=True),
        observed=pd.concat(observed, ignore_index=True),
        truth=pd.DataFrame(truth),
    )


def _table(election: Election2023, frame: pd.DataFrame, contest: str) -> pd.DataFrame:
    """One contest in the canonical layout: a row per precinct, a column per candidate of the contest."""
    rows = frame[frame["contest_id"] == contest].merge(
        election.precincts[["pec_id", "region_code", "tec_id", "number"]], on="pec_id"
    )
    options = list(election.candidates.loc[election.candidates["contest_id"] == contest, "option_id"])
    options.append("against_all")
    out = pd.DataFrame({
        "election_id": ELECTION_ID, "contest_id": contest, "region_code": rows["region_code"],
        "tec_id": rows["tec_id"], "pec_id": rows["pec_id"], "precinct_number": rows["number"], "status": "final",
    })  # fmt: skip
    columns = {line: rows[line].astype(int) for line in LINES}
    # 0 off the candidate's district: the precinct importer still requires every option column of the
    # contest on every row (a per-district ballot for single_member contests is issue 21's rest)
    columns |= {
        o: rows[o].fillna(0).astype(int) if o in rows else pd.Series(0, index=rows.index) for o in options
    }
    out = pd.concat([out, pd.DataFrame(columns)], axis=1)
    return out.sort_values(["region_code", "precinct_number"])


# the observers' district form (saylau/observers/templates.py, "protocol_district"): Russian headers
OBSERVER_ORGANISATION = "Demo observers"  # organisation id: demo_observers
BALLOT_NAMES = {
    "mazhilis_smd": "Мажилис (одномандатный округ)",
    "maslikhat_regional_smd": "Маслихат области (одномандатный округ)",
    "maslikhat_district": "Районный маслихат (одномандатный округ)",
}
LINE_HEADERS = {
    "registered": "Число избирателей в списке",
    "ballots_received": "Получено бюллетеней",
    "ballots_issued": "Выдано бюллетеней",
    "ballots_cancelled": "Погашено бюллетеней",
    "ballots_in_boxes": "Бюллетеней в ящиках",
    "invalid": "Недействительные бюллетени",
    "valid": "Действительные бюллетени",
}


def candidate_header(names: pd.DataFrame, turn: int) -> str:
    """A candidate's column header as an organisation writes it: the full Russian name, the Latin name, the
    surname with initials, the Kazakh spelling (given name first), by ``turn``."""
    by = {r.lang: r for r in names.itertuples(index=False)}
    ru, en, kk = by["ru"], by.get("en", by["ru"]), by.get("kk", by["ru"])
    initials = "".join(p[0] + "." for p in (ru.given_names, ru.patronymic) if p)
    forms = (
        " ".join(p for p in (ru.surname, ru.given_names, ru.patronymic) if p),
        f"{en.given_names} {en.surname}",
        f"{ru.surname} {initials}",
        f"{kk.given_names} {kk.surname}",
    )
    return forms[turn % len(forms)]


def observer_copies(election: Election2023, contest: str) -> pd.DataFrame:
    """The observers' copies of one contest in their district form: a row per copied precinct."""
    copied = election.honest.merge(election.observed, on=["contest_id", "district_id", "pec_id"])
    rows = copied[copied["contest_id"] == contest].merge(
        election.precincts[["pec_id", "region_code", "number"]], on="pec_id"
    )
    rows = rows.sort_values(["region_code", "number"])
    regions = _csv("regions.csv").set_index("code")["name_ru"]
    districts = _csv("districts.csv").set_index("district_id")["number"]
    names = _csv("candidates.csv")
    stood = election.candidates[election.candidates["contest_id"] == contest]
    out = pd.DataFrame({
        "Организация": OBSERVER_ORGANISATION, "Регион": rows["region_code"].map(regions).to_numpy(),
        "№ участка": rows["number"].to_numpy(), "Бюллетень": BALLOT_NAMES[contest],
        # a district maslikhat's number repeats in every territorial commission of a region: its id
        "Округ": [d if contest == "maslikhat_district" else f"№ {districts[d]}" for d in rows["district_id"]],
    })  # fmt: skip
    for line, header in LINE_HEADERS.items():
        out[header] = rows[line].astype(int).to_numpy()
    for turn, option in enumerate(stood["option_id"]):
        header = candidate_header(names[names["option_id"] == option], turn)
        assert header not in out.columns, header  # one column per candidate
        votes = rows[option] if option in rows else pd.Series(float("nan"), index=rows.index)
        out[header] = votes.map(lambda v: "" if pd.isna(v) else str(int(v))).to_numpy()
    out["Против всех"] = rows["against_all"].astype(int).to_numpy()
    return out


def write_2023(election: Election2023, folder: Path) -> list[Path]:
    """The official tables, the observers' copies and the ground truth under ``folder``."""
    written = []
    for sub in ("official", "observers", "ground_truth"):
        (folder / sub).mkdir(parents=True, exist_ok=True)
    for contest in CONTESTS:
        official = _table(election, election.official, contest)
        path = folder / "official" / f"precincts_{contest}.csv"
        official.to_csv(path, index=False, lineterminator="\n")
        written.append(path)
        path = folder / "observers" / f"district_copies_{contest}.csv"
        observer_copies(election, contest).to_csv(path, index=False, lineterminator="\n")
        written.append(path)
    path = folder / "ground_truth" / "districts.csv"
    election.truth.to_csv(path, index=False, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    return [*written, path]


def generate_into(folder: Path, seed: int = DEFAULT_SEED) -> list[Path]:
    """Generate the 2023 districts and write them under ``folder``."""
    return write_2023(generate_2023(seed), folder)
