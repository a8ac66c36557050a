"""The figures of the 2022, 2023 and 2024 elections the double also serves: national totals as published,
regional ones made up.

National figures are the CEC's (``../shared/reference/kz_results_2019_2024_national.csv`` and the totals
in ``../shared/reference/README.md``): the 2022 presidential election (11,953,465 registered, 8,300,046
received ballots, six candidates and "against all", 7,940,478 valid including it), the 2023 Mazhilis party
lists (seven parties and "against all", 6,366,441 valid; 12,035,578 registered; turnout 54.19%), the
2024 referendum (12,284,487 participants on the lists, 7,820,204 took part, yes 5,561,937, no 2,045,271,
130,267 invalid, 82,729 with both options marked; the national CSV prints 82,724 for the last, which does
not add up, the README's 82,729 does).

**Made up** (documented, seeded, never to be taken for real figures): the 2023 ballots issued
(registered x 54.19%, so invalid = issued - valid), every region's figures (registered voters, ballots,
votes per option: plausible shares around the national ones, adding up exactly to the national totals),
the turnout by hour (nationally and by region; the last bulletin gives the final turnout), the
preliminary shares (equal to the final ones, except 2022's preliminary Tokayev count 6,456,392, one less
than the final, as published).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cache

import numpy as np

from demo.wording import REGION_ORDER_2022

# relative size of the electorate (thousands, rounded) and turnout tilt of each region (made up)
_SIZE = {
    "KZ-10": 430, "KZ-11": 560, "KZ-15": 580, "KZ-19": 1000, "KZ-23": 400, "KZ-27": 440, "KZ-31": 700,
    "KZ-33": 470, "KZ-35": 820, "KZ-39": 620, "KZ-43": 500, "KZ-47": 430, "KZ-55": 540, "KZ-59": 400,
    "KZ-61": 1250, "KZ-62": 150, "KZ-63": 520, "KZ-71": 800, "KZ-75": 1250, "KZ-79": 630,
}  # fmt: skip
_TILT = {
    "KZ-10": 1.08, "KZ-11": 1.10, "KZ-15": 1.02, "KZ-19": 1.06, "KZ-23": 1.04, "KZ-27": 1.05, "KZ-31": 1.12,
    "KZ-33": 1.09, "KZ-35": 0.98, "KZ-39": 1.07, "KZ-43": 1.13, "KZ-47": 0.95, "KZ-55": 1.03, "KZ-59": 1.11,
    "KZ-61": 1.15, "KZ-62": 1.10, "KZ-63": 1.00, "KZ-71": 0.90, "KZ-75": 0.62, "KZ-79": 0.97,
}  # fmt: skip


@dataclass(frozen=True)
class LaterElection:
    election_id: str
    day: dt.date
    contest: str  # president | mazhilis | referendum
    utc_offset: int
    times: tuple[tuple[int, int], ...]  # the bulletins' times
    fractions: tuple[float, ...]  # share of the final turnout reached by each bulletin (made up)
    registered: int
    ballots: int
    votes: dict[str, int]  # option -> national votes (the ballot's order)
    invalid: int
    valid_not_counted: int = 0  # referendum: both options marked
    decimals: int = 1  # of the bulletins' figures
    first_id: int = 7000

    @property
    def referendum(self) -> bool:
        return self.contest == "referendum"

    @property
    def valid(self) -> int:
        return sum(self.votes.values())

    @property
    def share_base(self) -> int:
        """What shares are of: valid votes including "against all"; in a referendum all ballots cast."""
        return self.ballots if self.referendum else self.valid

    @property
    def tz(self) -> dt.timezone:
        return dt.timezone(dt.timedelta(hours=self.utc_offset))


LATER: dict[str, LaterElection] = {
    e.election_id: e
    for e in (
        LaterElection(
            "kz-2022-11-20", dt.date(2022, 11, 20), "president", 6,
            ((10, 5), (12, 5), (14, 5), (16, 5), (18, 5), (22, 0)), (0.2, 0.41, 0.58, 0.74, 0.87, 1.0),
            11_953_465, 8_300_046,
            {"tokayev": 6_456_393, "dairabayev": 271_641, "abden": 206_206, "kazhyken": 200_907,
             "auesbayev": 176_116, "tursynbekova": 168_731, "against_all": 460_484},
            8_300_046 - 7_940_478, first_id=7420,
        ),
        LaterElection(
            "kz-2023-03-19", dt.date(2023, 3, 19), "mazhilis", 6,
            ((10, 10), (12, 10), (14, 10), (16, 10), (18, 10), (20, 10), (22, 10)),
            (0.19, 0.38, 0.56, 0.71, 0.84, 0.96, 1.0),
            12_035_578, round(12_035_578 * 0.5419),
            {"amanat": 3_431_510, "auyl": 693_938, "respublica": 547_154, "ak_zhol": 535_139, "qhp": 432_920,
             "osdp": 331_058, "baytaq": 146_431, "against_all": 248_291},
            round(12_035_578 * 0.5419) - 6_366_441, decimals=2, first_id=8920,
        ),
        LaterElection(
            "kz-2024-10-06", dt.date(2024, 10, 6), "referendum", 5,
            ((10, 0), (12, 0), (14, 0), (16, 0), (18, 0), (20, 0)), (0.25, 0.53, 0.75, 0.9045, 0.97, 1.0),
            12_284_487, 7_820_204, {"yes": 5_561_937, "no": 2_045_271}, 130_267, 82_729, first_id=10230,
        ),
    )
}  # fmt: skip
PRELIMINARY_VOTES = {("kz-2022-11-20", "tokayev"): 6_456_392}  # as published the morning after


def allocate(total: int, weights: np.ndarray) -> np.ndarray:
    """Integers proportional to ``weights`` adding up to ``total`` exactly (largest remainder)."""
    raw = weights / weights.sum() * total
    out = np.floor(raw).astype(np.int64)
    rest = int(total - out.sum())
    out[np.argsort(-(raw - out), kind="stable")[:rest]] += 1
    return out


@dataclass(frozen=True)
class Regional:
    """One election's regional figures (made up), in the CEC's order of 2022."""

    registered: dict[str, int]
    ballots: dict[str, int]
    votes: dict[str, dict[str, int]]  # region -> option -> votes
    invalid: dict[str, int]
    valid_not_counted: dict[str, int]
    bulletins: dict[tuple[int, int], dict[str, float]]  # (hour, minute) -> region or "KZ" -> percent


@cache
def regional(election_id: str, seed: int) -> Regional:
    e = LATER[election_id]
    rng = np.random.default_rng([seed, int(e.day.strftime("%Y%m%d"))])
    codes = list(REGION_ORDER_2022)
    size = np.array([_SIZE[c] for c in codes], float) * rng.uniform(0.97, 1.03, len(codes))
    registered = allocate(e.registered, size)
    tilt = np.array([_TILT[c] for c in codes]) * rng.uniform(0.97, 1.03, len(codes))
    ballots = allocate(e.ballots, registered * tilt)
    # votes: a national mix tilted by region, fitted to the national totals (columns) and to each region's
    # ballots less a plausible share of invalid ones (rows), then rounded column by column
    options = list(e.votes)
    national = np.array([e.votes[o] for o in options], float)
    seed_matrix = national[None, :] * rng.lognormal(0.0, 0.15, (len(codes), len(options)))
    non_vote = e.invalid + e.valid_not_counted
    rows = ballots * (1 - non_vote / e.ballots) * rng.uniform(0.995, 1.005, len(codes))
    rows *= e.valid / rows.sum()
    m = seed_matrix
    for _ in range(200):
        m *= (rows / m.sum(axis=1))[:, None]
        m *= (national / m.sum(axis=0))[None, :]
    votes = np.column_stack([allocate(int(national[j]), m[:, j]) for j in range(len(options))])
    valid = votes.sum(axis=1)
    rest = ballots - valid
    both = (
        allocate(e.valid_not_counted, rest.astype(float))
        if e.valid_not_counted
        else np.zeros(len(codes), int)
    )
    invalid = rest - both
    assert (invalid > 0).all() and invalid.sum() == e.invalid, election_id
    final = ballots / registered * 100
    bulletins: dict[tuple[int, int], dict[str, float]] = {}
    for (h, mi), f in zip(e.times, e.fractions, strict=True):
        noisy = final * f * (rng.uniform(0.96, 1.04, len(codes)) if f < 1 else 1)
        at = {c: round(float(v), e.decimals) for c, v in zip(codes, noisy, strict=True)}
        at["KZ"] = round(float((noisy * registered).sum() / registered.sum()), e.decimals)
        bulletins[(h, mi)] = at
    return Regional(
        dict(zip(codes, map(int, registered), strict=True)),
        dict(zip(codes, map(int, ballots), strict=True)),
        {c: dict(zip(options, map(int, votes[i]), strict=True)) for i, c in enumerate(codes)},
        dict(zip(codes, map(int, invalid), strict=True)),
        dict(zip(codes, map(int, both), strict=True)),
        bulletins,
    )
