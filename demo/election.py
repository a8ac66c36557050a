"""The simulated election of 10 January 2021 (Mazhilis and maslikhats), calibrated to the real figures.

:func:`generate` builds, from one integer seed and in a few seconds:

- 17 regions (ISO codes of 2021), 232 territorial commissions (TECs: one regional commission per region
  plus city and district ones), 10,060 precinct commissions (PECs) of which 66 abroad (attached to
  Nur-Sultan). Precinct numbers restart in each region; ``pec_id`` is ``"<region code>/<number>"``.
- three contests: ``mazhilis`` (every precinct), ``maslikhat_city`` (every precinct at home: city and
  district maslikhats, and the city maslikhats of Nur-Sultan, Almaty and Shymkent) and
  ``maslikhat_regional`` (precincts in the 14 oblasts).
- three versions of each protocol: ``honest`` (what the voters did), ``pec`` (the copy the precinct
  commission signed: what an observer photographs) and ``official`` (what the CEC published).
  Ballot stuffing and vote switching at the precinct make ``pec`` = ``official`` != ``honest``; a protocol
  rewritten at the TEC makes ``pec`` = ``honest`` != ``official``.

The official Mazhilis figures equal the published national totals exactly
(``MAZHILIS_OFFICIAL``) and each region's official turnout rounds to the CEC's 22:00 figure; the
observers' copies reproduce their press-conference table (``OBSERVER_TABLE``) to its whole-percent
rounding, reading party and spoiled shares as shares of the ballots cast (valid + invalid), "unused" as
a share of the ballots the commissions received and "voted" as a share of the voters on the list.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from demo.calibrate import controlled_round, ipf, round_to_total, scale_clipped

ELECTION_ID = "kz-2021-01-10"
DEFAULT_SEED = 20210110
PARTIES: tuple[str, ...] = ("amanat", "ak_zhol", "qhp", "auyl", "adal")
CONTESTS: tuple[str, ...] = ("mazhilis", "maslikhat_regional", "maslikhat_city")
VERSIONS: tuple[str, ...] = ("honest", "pec", "official")
# Protocol lines every demo protocol carries, in protocol order (names from saylau.protocol.LINES).
PROTOCOL_LINES: tuple[str, ...] = (
    "registered",
    "ballots_received",
    "ballots_issued",
    "ballots_cancelled",
    "ballots_in_boxes",
    "invalid",
    "valid",
)
HOURS: tuple[int, ...] = (10, 12, 14, 16, 18, 20, 22)

# Final official Mazhilis results (shared/reference/mazhilis_2021_official_national.csv).
MAZHILIS_OFFICIAL: dict[str, int] = {
    "registered": 11_919_241,
    "ballots_issued": 7_539_280,
    "invalid": 297_718,
    "valid": 7_241_562,
    "amanat": 5_148_074,
    "ak_zhol": 792_828,
    "qhp": 659_019,
    "auyl": 383_023,
    "adal": 258_618,
}
PRECINCTS_TOTAL = 10_060
PRECINCTS_ABROAD = 66
TECS_TOTAL = 232

# CEC turnout at 22:00 on election day, percent (shared/reference/mazhilis_2021_regional_turnout_2200.csv).
TURNOUT_2200: dict[str, float] = {
    "KZ-11": 72.8, "KZ-15": 58.8, "KZ-19": 73.5, "KZ-23": 56.4, "KZ-63": 72.4, "KZ-31": 72.2,
    "KZ-27": 62.4, "KZ-35": 70.7, "KZ-39": 71.8, "KZ-43": 73.9, "KZ-47": 55.0, "KZ-55": 71.3,
    "KZ-59": 75.5, "KZ-61": 65.8, "KZ-71": 45.1, "KZ-75": 30.3, "KZ-79": 56.5,
}  # fmt: skip
# CEC turnout bulletins (shared/reference/mazhilis_2021_turnout_by_hour.csv); None = not found (14:00).
_BY_HOUR_ROWS = """
KZ    11.6 28.8 43.9 52.5 58.2 63.1 63.3
KZ-11 10.2 26.6 41.3 56.9 65.1 72.8 72.8
KZ-15  9.9 25.6 41.1 45.6 52.4 57.7 58.8
KZ-19 11.3 28.5 43.0 58.0 66.5 73.5 73.5
KZ-23 10.3 29.8 37.3 45.6 51.1 55.5 56.4
KZ-63 12.1 29.9 -    62.0 67.2 72.4 72.4
KZ-31 12.8 32.1 55.1 63.4 68.3 72.2 72.2
KZ-27 17.7 32.2 47.5 53.5 57.7 61.5 62.4
KZ-35 10.4 33.5 51.6 58.8 65.2 70.7 70.7
KZ-39 11.2 30.1 49.9 62.4 69.1 71.8 71.8
KZ-43 10.3 28.9 48.7 60.9 67.9 72.7 73.9
KZ-47  8.7 23.7 -    43.3 49.1 54.0 55.0
KZ-55 14.0 33.1 51.1 57.8 64.5 71.3 71.3
KZ-59 14.9 34.2 -    62.4 69.8 75.5 75.5
KZ-61 13.3 33.1 -    53.6 59.9 65.8 65.8
KZ-71 10.8 24.2 -    41.1 44.0 45.1 45.1
KZ-75  9.7 15.7 -    25.3 27.7 30.3 30.3
KZ-79 14.4 34.1 -    49.2 53.2 56.5 56.5
"""
TURNOUT_BY_HOUR: dict[tuple[str, int], float | None] = {
    (parts[0], hour): (None if value == "-" else float(value))
    for parts in (line.split() for line in _BY_HOUR_ROWS.strip().splitlines())
    for hour, value in zip(HOURS, parts[1:], strict=True)
}

# Observers' own summary table (shared/reference/observer_sample_2021_seed_table.csv).
OBSERVER_TABLE: dict[str, dict[str, float]] = {
    "mazhilis": dict(pecs=192, registered=433_325, turnout=32, unused=68, amanat=50, auyl=10,
                     ak_zhol=18, adal=12, qhp=8, spoiled=3),
    "maslikhat_city": dict(pecs=99, registered=225_070, turnout=23, unused=77, amanat=44, auyl=14,
                           ak_zhol=21, adal=14, qhp=3, spoiled=4),
    "maslikhat_regional": dict(pecs=79, registered=167_228, turnout=38, unused=64, amanat=58, auyl=9,
                               ak_zhol=16, adal=10, qhp=3, spoiled=3),
}  # fmt: skip
# Shares the generator aims at: inside each table figure's rounding window and adding to 100 exactly.
_OBSERVER_AIM: dict[str, dict[str, float]] = {
    "mazhilis": dict(amanat=49.6, auyl=9.8, ak_zhol=17.8, adal=11.8, qhp=7.8, spoiled=3.2),
    "maslikhat_city": dict(amanat=44.0, auyl=14.0, ak_zhol=21.0, adal=14.0, qhp=3.0, spoiled=4.0),
    "maslikhat_regional": dict(amanat=58.3, auyl=9.2, ak_zhol=16.2, adal=10.2, qhp=3.2, spoiled=2.9),
}  # fmt: skip

# Regions of 2021: (code, approximate voters in thousands, domestic precincts, city/district TECs).
# Voters and precinct counts are rough shapes; the generator rescales them to the exact totals.
REGIONS_2021: tuple[tuple[str, int, int, int], ...] = (
    ("KZ-11", 540, 680, 19),
    ("KZ-15", 560, 560, 13),
    ("KZ-19", 1350, 1180, 19),
    ("KZ-23", 400, 300, 8),
    ("KZ-27", 470, 520, 13),
    ("KZ-31", 700, 620, 11),
    ("KZ-35", 960, 780, 16),
    ("KZ-39", 640, 690, 20),
    ("KZ-43", 450, 390, 9),
    ("KZ-47", 400, 250, 7),
    ("KZ-55", 540, 560, 13),
    ("KZ-59", 410, 620, 15),
    ("KZ-61", 1200, 980, 17),
    ("KZ-63", 1000, 1000, 19),
    ("KZ-71", 720, 290, 4),
    ("KZ-75", 1250, 570, 8),
    ("KZ-79", 650, 230, 4),
)
CITY_REGIONS = ("KZ-71", "KZ-75", "KZ-79")
ABROAD_REGION = "KZ-71"
# Where the observed precincts are: the three cities (Mazhilis + city maslikhat) and oblast centres
# (Mazhilis + regional maslikhat, some also city maslikhat).
_OBSERVED_CITY = {"KZ-75": 55, "KZ-71": 33, "KZ-79": 25}
_OBSERVED_OBLAST = {"KZ-35": 15, "KZ-55": 12, "KZ-15": 12, "KZ-63": 12, "KZ-39": 10, "KZ-27": 10, "KZ-11": 8}
# How many observed precincts of each group also sent a city-maslikhat copy (99 in all).
_CITY_COPIES_IN_CITIES = 60
_CITY_COPIES_IN_OBLASTS = 39
# The honest count: turnout in the cities, in the oblast centres (the observers' table sets both levels)
# and in the rest of the country, and party shares everywhere (PARTIES order), independent of turnout.
_HONEST_CITY, _HONEST_CENTRE, _HONEST_RURAL = 0.27, 0.38, 0.55
_HONEST_SHARES = np.array([0.49, 0.19, 0.16, 0.095, 0.065])

VIOLATION_KINDS: tuple[str, ...] = (
    "observer_expelled",
    "copy_refused",
    "ballot_stuffing_seen",
    "carousel_voting",
    "group_voting",
    "observation_obstructed",
    "photo_forbidden",
    "list_irregularities",
)


@dataclass
class Election:
    """One generated election: the structure, the three versions of every protocol, and the day's data.

    Frames are plain pandas objects with canonical column names; every frame is sorted by a stable key.
    """

    seed: int
    regions: pd.DataFrame  # code, name_ru, name_kk, name_en, registered, precincts, tecs, turnout_2200
    tecs: pd.DataFrame  # tec_id, region_code, number, level (regional|city|district), precincts
    precincts: (
        pd.DataFrame
    )  # pec_id, region_code, tec_id, number, abroad, urban, registered, observed_*, rewritten
    protocols: dict[tuple[str, str], pd.DataFrame] = field(default_factory=dict)  # (contest, version) -> wide
    manipulation: pd.DataFrame | None = None  # pec_id, contest, kind, stuffed, switched, rewritten_at_tec
    turnout_bulletins: pd.DataFrame | None = None  # hour, region_code ('KZ' = national), turnout_pct, known
    observer_turnout: pd.DataFrame | None = None  # pec_id, hour, registered, voters_counted
    violations: pd.DataFrame | None = None  # report_id, pec_id, hour, minute, kind
    observers: pd.DataFrame | None = None  # pec_id, observer_id, name_ru, name_kk, phone, organisation
    preliminary_share: pd.Series | None = None  # party -> preliminary share of valid (percent, 2 decimals)
    scale: int = 1  # precincts multiplied by this for benchmarks (generate(seed, scale))

    def protocol(self, contest: str, version: str = "official") -> pd.DataFrame:
        """The wide protocol frame of one contest and version: pec_id, region_code, lines, one column per party."""
        return self.protocols[(contest, version)]

    def official_totals(self, contest: str = "mazhilis") -> dict[str, int]:
        """National sums of the official protocol lines and party votes of a contest."""
        frame = self.protocol(contest, "official")
        return {c: int(frame[c].sum()) for c in (*PROTOCOL_LINES, *PARTIES)}


# --------------------------------------------------------------------------------------------- structure


def _region_registered() -> dict[str, int]:
    """Voters per region: the rough shape, with Almaty city's weight solved so that the regions' 22:00
    turnouts average exactly to the official national turnout, then rounded to the exact total."""
    codes = [r[0] for r in REGIONS_2021]
    w = np.array([r[1] for r in REGIONS_2021], dtype=float)
    t = np.array([TURNOUT_2200[c] / 100 for c in codes])
    target = MAZHILIS_OFFICIAL["ballots_issued"] / MAZHILIS_OFFICIAL["registered"]
    k = codes.index("KZ-75")
    rest = np.arange(len(codes)) != k
    # sum_rest(w t) + x w_k t_k = target (sum_rest(w) + x w_k)
    x = (target * w[rest].sum() - (w[rest] * t[rest]).sum()) / (w[k] * (t[k] - target))
    w[k] *= x
    return dict(zip(codes, round_to_total(w, MAZHILIS_OFFICIAL["registered"]).tolist(), strict=True))


def _region_ballots(registered: dict[str, int]) -> dict[str, int]:
    """Official ballots issued per region: each within 0.04 pp of its 22:00 figure, summing exactly."""
    codes = list(registered)
    reg = np.array([registered[c] for c in codes], dtype=float)
    t = np.array([TURNOUT_2200[c] / 100 for c in codes])
    hi = np.floor(reg * (t + 0.0004))
    lo = np.ceil(reg * (t - 0.0004))
    x = scale_clipped(reg * t, MAZHILIS_OFFICIAL["ballots_issued"], lo, hi)
    out = round_to_total(x, MAZHILIS_OFFICIAL["ballots_issued"], hi)
    assert (out >= lo).all()
    return dict(zip(codes, out.tolist(), strict=True))


def _structure(rng: np.random.Generator, scale: int = 1) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Regions, TECs and precincts with registered voters (observed precinct sizes hit the table exactly).

    ``scale`` multiplies the domestic precincts of every region (same voters, smaller precincts); the
    TECs, the precincts abroad and the observed precincts stay as they are."""
    registered = _region_registered()
    shape = np.array([r[2] for r in REGIONS_2021], dtype=float)
    domestic = round_to_total(shape, (PRECINCTS_TOTAL - PRECINCTS_ABROAD) * scale)
    region_rows, tec_rows, pec_rows = [], [], []
    lower = np.array([r[3] for r in REGIONS_2021])
    assert len(REGIONS_2021) + lower.sum() == TECS_TOTAL
    observed_sizes, copy_flags = _observed_sizes(rng)
    for (code, _voters, _shape, n_lower), n_dom in zip(REGIONS_2021, domestic.tolist(), strict=True):
        city = code in CITY_REGIONS
        n_abroad = PRECINCTS_ABROAD if code == ABROAD_REGION else 0
        n = n_dom + n_abroad
        tec_rows.append(dict(tec_id=f"{code}/T00", region_code=code, number=0, level="regional"))
        # precincts -> lower TECs; in an oblast the first lower TEC is the centre's city commission
        tec_weights = rng.gamma(4.0, 1.0, n_lower)
        if not city:
            tec_weights[0] = tec_weights.sum() * 0.4
        tec_of = np.sort(
            np.searchsorted(np.cumsum(tec_weights) / tec_weights.sum(), (np.arange(n_dom) + 0.5) / n_dom)
        )
        tec_of = np.minimum(tec_of, n_lower - 1)
        for j in range(n_lower):
            level = "district" if city or j > 0 else "city"
            tec_rows.append(dict(tec_id=f"{code}/T{j + 1:02d}", region_code=code, number=j + 1, level=level))
        urban = np.ones(n_dom, bool) if city else (tec_of == 0)
        sizes = np.where(
            urban,
            rng.lognormal(np.log(2000 / scale), 0.35, n_dom),
            rng.lognormal(np.log(650 / scale), 0.75, n_dom),
        )
        sizes = np.clip(sizes, 40 / scale, 3500)
        abroad_sizes = rng.lognormal(np.log(350), 0.6, n_abroad).clip(30, 2500)
        all_sizes = np.concatenate([sizes, abroad_sizes])
        # observed precincts: urban ones, spread through the list
        fixed = observed_sizes.get(code, np.zeros(0, dtype=np.int64))
        urban_idx = np.flatnonzero(urban)
        obs_idx = np.sort(rng.choice(urban_idx, size=len(fixed), replace=False))
        free = np.ones(n, bool)
        free[obs_idx] = False
        counts = np.zeros(n, dtype=np.int64)
        counts[obs_idx] = fixed
        counts[free] = round_to_total(
            all_sizes[free], registered[code] - int(fixed.sum()), np.full(free.sum(), 3500)
        )
        obs_set = set(obs_idx.tolist())
        for i in range(n):
            abroad = i >= n_dom
            pec_rows.append(
                dict(
                    pec_id=f"{code}/{i + 1}",
                    region_code=code,
                    tec_id=f"{code}/T{(int(tec_of[i]) if not abroad else 0) + 1:02d}",
                    number=i + 1,
                    abroad=abroad,
                    urban=bool(abroad or urban[i]),
                    registered=int(counts[i]),
                    observed=i in obs_set,
                )
            )
        region_rows.append(
            dict(
                code=code,
                registered=registered[code],
                precincts=n,
                tecs=n_lower + 1,
                turnout_2200=TURNOUT_2200[code],
            )
        )
    regions = pd.DataFrame(region_rows)
    tecs = pd.DataFrame(tec_rows)
    precincts = pd.DataFrame(pec_rows)
    tecs["precincts"] = tecs["tec_id"].map(precincts["tec_id"].value_counts()).fillna(0).astype("int64")
    precincts = _assign_observation(precincts, copy_flags, rng)
    return regions, tecs, precincts


def _observed_sizes(rng: np.random.Generator) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray]]:
    """Registered voters of each observed precinct, by region, so that the observers' groups sum exactly.

    Groups: oblast precincts (79, the regional-maslikhat sample, 167,228 voters), city precincts
    (113, 266,097 voters), together the Mazhilis sample (192, 433,325). The city-maslikhat sample (99,
    225,070) is a seeded choice of ``_CITY_COPIES_IN_OBLASTS`` oblast and ``_CITY_COPIES_IN_CITIES`` city
    precincts, sized so that it sums exactly too. Returns the sizes and, per region, which observed
    precincts also sent a city-maslikhat copy.
    """
    n_obl = sum(_OBSERVED_OBLAST.values())
    n_city = sum(_OBSERVED_CITY.values())
    obl_total = int(OBSERVER_TABLE["maslikhat_regional"]["registered"])
    city_total = int(OBSERVER_TABLE["mazhilis"]["registered"]) - obl_total
    c_total = int(OBSERVER_TABLE["maslikhat_city"]["registered"])
    obl = rng.lognormal(np.log(2100), 0.25, n_obl)
    cty = rng.lognormal(np.log(2350), 0.25, n_city)
    # copies of city maslikhat: first k of each group (by a random but seeded choice of positions)
    obl_c = np.zeros(n_obl, bool)
    obl_c[rng.choice(n_obl, _CITY_COPIES_IN_OBLASTS, replace=False)] = True
    cty_c = np.zeros(n_city, bool)
    cty_c[rng.choice(n_city, _CITY_COPIES_IN_CITIES, replace=False)] = True
    obl_c_sum = round(obl_total * obl[obl_c].sum() / obl.sum())
    sizes_obl = np.zeros(n_obl, np.int64)
    sizes_obl[obl_c] = round_to_total(obl[obl_c], obl_c_sum)
    sizes_obl[~obl_c] = round_to_total(obl[~obl_c], obl_total - obl_c_sum)
    sizes_cty = np.zeros(n_city, np.int64)
    sizes_cty[cty_c] = round_to_total(cty[cty_c], c_total - obl_c_sum)
    sizes_cty[~cty_c] = round_to_total(cty[~cty_c], city_total - (c_total - obl_c_sum))
    out: dict[str, np.ndarray] = {}
    flags: dict[str, np.ndarray] = {}
    pos = 0
    for code, k in _OBSERVED_OBLAST.items():
        out[code] = sizes_obl[pos : pos + k]
        flags[code] = obl_c[pos : pos + k]
        pos += k
    pos = 0
    for code, k in _OBSERVED_CITY.items():
        out[code] = sizes_cty[pos : pos + k]
        flags[code] = cty_c[pos : pos + k]
        pos += k
    return out, flags


def _assign_observation(
    precincts: pd.DataFrame, copy_flags: dict[str, np.ndarray], rng: np.random.Generator
) -> pd.DataFrame:
    """Observation flags per contest, and which observed precincts' protocols were rewritten at the TEC."""
    precincts["observed_mazhilis"] = precincts["observed"]
    precincts["observed_maslikhat_city"] = False
    precincts["observed_maslikhat_regional"] = False
    for code, flags in copy_flags.items():
        idx = precincts.index[(precincts["region_code"] == code) & precincts["observed"]]
        precincts.loc[idx, "observed_maslikhat_city"] = flags
        if code not in CITY_REGIONS:
            precincts.loc[idx, "observed_maslikhat_regional"] = True
    # rewritten later at the TEC: more often in the oblasts, where official turnout is high
    p = np.where(precincts["region_code"].isin(CITY_REGIONS), 0.4, 0.75)
    precincts["rewritten"] = precincts["observed"] & (rng.random(len(precincts)) < p)
    return precincts.drop(columns="observed")


# ------------------------------------------------------------------------------------------- protocols


@dataclass
class _Counts:
    """Protocol numbers of a set of precincts (arrays aligned with the precincts)."""

    registered: np.ndarray
    received: np.ndarray
    issued: np.ndarray
    invalid: np.ndarray
    votes: np.ndarray  # (n, parties)

    def copy(self) -> _Counts:
        return _Counts(
            *(a.copy() for a in (self.registered, self.received, self.issued, self.invalid, self.votes))
        )

    def frame(self, precincts: pd.DataFrame) -> pd.DataFrame:
        out = pd.DataFrame(
            {
                "pec_id": precincts["pec_id"].to_numpy(),
                "region_code": precincts["region_code"].to_numpy(),
                "tec_id": precincts["tec_id"].to_numpy(),
                "registered": self.registered,
                "ballots_received": self.received,
                "ballots_issued": self.issued,
                "ballots_cancelled": self.received - self.issued,
                "ballots_in_boxes": self.issued,
                "invalid": self.invalid,
                "valid": self.votes.sum(axis=1),
            }
        )
        for j, party in enumerate(PARTIES):
            out[party] = self.votes[:, j]
        return out


def _sample_copies(
    reg: np.ndarray, contest: str, rng: np.random.Generator, base_turnout: np.ndarray
) -> _Counts:
    """Observers' copies of one contest at the observed precincts, aggregated to the table's figures."""
    table, aim = OBSERVER_TABLE[contest], _OBSERVER_AIM[contest]
    n = len(reg)
    turnout, unused = table["turnout"] / 100, table["unused"] / 100
    issued_total = round(turnout * reg.sum())
    issued = round_to_total(reg * base_turnout * rng.lognormal(0, 0.1, n), issued_total, np.floor(reg * 0.9))
    received_total = round(issued_total / (1 - unused))
    received = round_to_total(reg * rng.uniform(0.98, 1.02, n) * received_total / reg.sum(), received_total)
    received = np.maximum(received, issued + 5)
    received[np.argmax(received - issued)] -= received.sum() - received_total
    invalid_total = round(aim["spoiled"] / 100 * issued_total)
    invalid = round_to_total(issued * rng.uniform(0.5, 1.5, n), invalid_total, np.floor(issued * 0.15))
    valid = issued - invalid
    cols = np.array([aim[p] for p in PARTIES]) / 100 * issued_total
    cols = round_to_total(cols, int(valid.sum()))
    prior = rng.dirichlet(np.array([aim[p] for p in PARTIES]) * 2, n) + 1e-3
    votes = controlled_round(ipf(prior, valid.astype(float), cols.astype(float)), valid, cols)
    return _Counts(reg.copy(), received, issued, invalid, votes)


def _rewrite(copy: _Counts, rng: np.random.Generator) -> tuple[_Counts, np.ndarray, np.ndarray]:
    """The TEC's version of precinct copies: extra ballots for the leader and votes moved to it.

    Returns the rewritten counts, the extra ballots and the switched votes per precinct.
    """
    out = copy.copy()
    room = np.maximum(np.minimum(out.received, np.floor(out.registered * 0.97)) - out.issued, 0)
    extra = np.minimum(np.round(out.issued * rng.uniform(0.3, 1.1, len(room))), room).astype(np.int64)
    others = out.votes[:, 1:]
    switched_each = np.floor(others * rng.uniform(0.1, 0.45, (len(room), 1))).astype(np.int64)
    out.votes[:, 1:] -= switched_each
    switched = switched_each.sum(axis=1)
    out.votes[:, 0] += extra + switched
    out.issued = out.issued + extra
    return out, extra, switched


def _apply(honest: _Counts, stuffed: np.ndarray, switched: np.ndarray) -> _Counts:
    """The manipulated count: ``stuffed`` ballots added for the leader, ``switched`` votes moved to it."""
    out = honest.copy()
    others = out.votes[:, 1:].astype(float)
    switched = np.minimum(switched, out.votes[:, 1:].sum(axis=1))
    take = controlled_round(
        others / np.maximum(others.sum(axis=1, keepdims=True), 1) * switched[:, None], switched
    )
    take = np.minimum(take, out.votes[:, 1:])
    out.votes[:, 1:] -= take
    out.votes[:, 0] += take.sum(axis=1) + stuffed
    out.issued = out.issued + stuffed
    out.received = np.maximum(out.received, out.issued)
    return out


def _mazhilis(precincts: pd.DataFrame, regions: pd.DataFrame, rng: np.random.Generator) -> dict:
    """Honest, precinct-copy and official Mazhilis counts, the official ones calibrated to the totals.

    The honest count comes first. Observed precincts are a random sample of the urban precincts of their
    TEC, so their unobserved neighbours vote alike: turnout by kind of place (the observers' table for the
    cities and oblast centres, ``_HONEST_RURAL`` elsewhere) and party shares that do not depend on turnout.
    The official count adds ballots for the leader (stuffing) and moves votes to it (switching) at
    manipulated precincts until every region's ballots and the national party totals are hit exactly.
    """
    n = len(precincts)
    reg = precincts["registered"].to_numpy(np.int64)
    region = precincts["region_code"].to_numpy()
    abroad = precincts["abroad"].to_numpy()
    urban = precincts["urban"].to_numpy()
    obs = precincts["observed_mazhilis"].to_numpy()
    rewritten = precincts["rewritten"].to_numpy()
    city = np.isin(region, CITY_REGIONS)
    free = ~obs

    # observers' copies (= honest) and the TEC's version of the observed precincts it rewrote
    base = np.where(city, _HONEST_CITY, np.where(urban, _HONEST_CENTRE, _HONEST_RURAL))
    copy_obs = _sample_copies(reg[obs], "mazhilis", rng, base[obs])
    rew_obs, extra_obs, switch_obs = _rewrite(copy_obs, rng)
    r = rewritten[obs]
    off_obs = copy_obs.copy()
    for name in ("issued", "received"):
        getattr(off_obs, name)[r] = getattr(rew_obs, name)[r]
    off_obs.votes[r] = rew_obs.votes[r]

    # the honest count of the other precincts: urban turnout at the copies' level, shares independent of it
    level = copy_obs.issued.sum() / (reg[obs] * base[obs]).sum()
    h_t = np.where(urban & ~abroad, base * level, base) * rng.lognormal(0, 0.12, n)
    h_t[abroad] = rng.uniform(0.08, 0.35, abroad.sum())
    honest = _Counts(
        reg.copy(),
        np.zeros(n, np.int64),
        np.clip(np.round(reg * h_t), 1, np.floor(reg * 0.95)).astype(np.int64),
        np.zeros(n, np.int64),
        np.zeros((n, len(PARTIES)), np.int64),
    )
    received = np.maximum(np.round(reg * rng.uniform(1.0, 1.03, n)), honest.issued + 5)
    honest.received = received.astype(np.int64)
    inv_target = MAZHILIS_OFFICIAL["invalid"] - int(copy_obs.invalid.sum())
    h_issued = honest.issued[free]
    honest.invalid[free] = round_to_total(h_issued * rng.uniform(0.5, 1.5, free.sum()), inv_target,
                                          np.floor(h_issued * 0.2))  # fmt: skip
    valid = honest.issued - honest.invalid
    tilt = pd.Series(rng.lognormal(0, 0.05, len(regions)), index=regions["code"]).reindex(region).to_numpy()
    shares = _dirichlet_rows(np.tile(_HONEST_SHARES * 80, (n, 1)), rng)
    shares[:, 0] *= tilt
    shares /= shares.sum(axis=1, keepdims=True)
    honest.votes[free] = controlled_round(shares[free] * valid[free, None], valid[free])
    for name in ("registered", "received", "issued", "invalid"):
        getattr(honest, name)[obs] = getattr(copy_obs, name)
    honest.votes[obs] = copy_obs.votes

    # where the count was manipulated (never abroad, never at an observed precinct the TEC left alone)
    ballots = _region_ballots(dict(zip(regions["code"], regions["registered"], strict=True)))
    want_t = rng.uniform(0.8, 0.99, n)
    room = np.maximum(np.floor(reg * np.minimum(want_t, 0.995)) - honest.issued, 0)
    need = {c: ballots[c] - int(honest.issued[free & (region == c)].sum() + off_obs.issued[region[obs] == c].sum())
            for c in regions["code"]}  # fmt: skip
    domestic = free & ~abroad
    p_region = {
        c: float(np.clip(need[c] / max(0.8 * room[domestic & (region == c)].sum(), 1.0), 0.02, 0.95))
        for c in regions["code"]
    }
    p_manip = pd.Series(p_region).reindex(region).to_numpy()
    manip = domestic & (rng.random(n) < p_manip)
    which = rng.random(n)
    kind = np.full(n, "none", dtype=object)
    kind[manip & (which < 0.45)] = "stuffing"
    kind[manip & (which >= 0.45) & (which < 0.65)] = "switching"
    kind[manip & (which >= 0.65)] = "tec_rewrite"
    kind[obs & rewritten] = "tec_rewrite"
    for c in regions["code"]:  # a region the draw left short of room: more of its precincts stuffed
        spare = rng.permutation(np.flatnonzero(domestic & (region == c) & (kind == "none")))
        short = need[c] * 1.05 - room[np.isin(kind, ["stuffing", "tec_rewrite"]) & free & (region == c)].sum()
        if short > 0:
            kind[spare[: np.searchsorted(np.cumsum(room[spare]), short) + 1]] = "stuffing"

    # stuffing: each region's manipulated precincts take its missing ballots, in proportion to their room
    stuffed = np.zeros(n, np.int64)
    stuffs = np.isin(kind, ["stuffing", "tec_rewrite"]) & free
    for c in regions["code"]:
        m = stuffs & (region == c)
        if need[c] < 0 or need[c] > room[m].sum():
            raise ValueError(
                f"demo calibration: region {c} needs {need[c]} ballots, room for {room[m].sum():.0f}"
            )
        x = scale_clipped(room[m] * rng.uniform(0.4, 1.0, m.sum()), need[c], np.zeros(m.sum()), room[m])
        stuffed[m] = round_to_total(x, need[c], room[m])

    # switching: other parties' votes moved to the leader until the national party totals are exact
    switches = np.isin(kind, ["switching", "tec_rewrite"]) & free
    rate = np.where(kind == "switching", rng.uniform(0.15, 0.35, n), rng.uniform(0.05, 0.2, n))
    take = np.zeros((n, len(PARTIES) - 1), np.int64)
    for j, party in enumerate(PARTIES[1:]):
        have = honest.votes[switches, j + 1]
        moved = int(honest.votes[free, j + 1].sum()) - (
            MAZHILIS_OFFICIAL[party] - int(off_obs.votes[:, j + 1].sum())
        )
        if moved < 0 or moved > have.sum():
            raise ValueError(f"demo calibration: {moved} {party} votes to switch, {have.sum()} available")
        take[switches, j] = round_to_total(have * rate[switches], moved, have)
    switched = take.sum(axis=1)
    official = honest.copy()
    official.issued = honest.issued + stuffed
    official.votes[:, 1:] -= take
    official.votes[:, 0] += stuffed + switched
    margin = rng.integers(0, 30, n)  # a commission that stuffed had asked for enough ballots
    official.received = np.where(
        stuffed > 0, np.maximum(honest.received, official.issued + margin), honest.received
    )
    for name in ("issued", "received", "invalid"):
        getattr(official, name)[obs] = getattr(off_obs, name)
    official.votes[obs] = off_obs.votes
    stuffed[obs] = np.where(r, extra_obs, 0)
    switched[obs] = np.where(r, switch_obs, 0)

    pec = official.copy()
    tec = kind == "tec_rewrite"
    for name in ("issued", "invalid", "received"):
        getattr(pec, name)[tec] = getattr(honest, name)[tec]
    pec.votes[tec] = honest.votes[tec]
    return dict(official=official, pec=pec, honest=honest, kind=kind, stuffed=stuffed, switched=switched)


def _maslikhat(
    contest: str, precincts: pd.DataFrame, mazh: dict, rng: np.random.Generator
) -> tuple[np.ndarray, dict]:
    """A maslikhat contest at the precincts that vote in it, derived from the Mazhilis honest count."""
    if contest == "maslikhat_regional":
        take = ~precincts["region_code"].isin(CITY_REGIONS).to_numpy() & ~precincts["abroad"].to_numpy()
    else:
        take = ~precincts["abroad"].to_numpy()
    sub = precincts[take]
    h_m: _Counts = mazh["honest"]
    n = int(take.sum())
    issued = np.floor(h_m.issued[take] * rng.uniform(0.95, 1.0, n)).astype(np.int64)
    reg = h_m.registered[take].copy()
    received = np.maximum(h_m.received[take], issued)
    invalid = np.floor(issued * rng.uniform(0.02, 0.06, n)).astype(np.int64)
    valid = issued - invalid
    mshares = (h_m.votes[take] + 1) / (h_m.votes[take] + 1).sum(axis=1, keepdims=True)
    shares = _dirichlet_rows(mshares * 150, rng)
    votes = controlled_round(shares * valid[:, None], valid)
    honest = _Counts(reg, received, issued, invalid, votes)
    kind = mazh["kind"][take].copy()
    ratio = np.where(h_m.issued[take] > 0, issued / np.maximum(h_m.issued[take], 1), 0)
    stuffed = np.round(mazh["stuffed"][take] * ratio).astype(np.int64)
    room = np.maximum(np.floor(reg * 0.995) - issued, 0).astype(np.int64)
    stuffed = np.minimum(stuffed, room)
    switched = np.round(mazh["switched"][take] * ratio).astype(np.int64)
    # the observed precincts of this contest: copies aggregated to the observers' table
    obs = sub[f"observed_{contest}"].to_numpy()
    if obs.any():
        city = sub["region_code"].isin(CITY_REGIONS).to_numpy()[obs]
        base = np.where(city, 0.18, 0.33) if contest == "maslikhat_city" else np.full(obs.sum(), 0.38)
        copy_obs = _sample_copies(reg[obs], contest, rng, base)
        for name in ("registered", "received", "issued", "invalid"):
            getattr(honest, name)[obs] = getattr(copy_obs, name)
        honest.votes[obs] = copy_obs.votes
        rew_obs, extra_obs, switch_obs = _rewrite(copy_obs, rng)
        r = sub["rewritten"].to_numpy()[obs]
        stuffed[obs] = np.where(r, extra_obs, 0)
        switched[obs] = np.where(r, switch_obs, 0)
        kind[obs] = np.where(r, "tec_rewrite", "none")
    official = _apply(honest, stuffed, switched)
    switched = official.votes[:, 0] - honest.votes[:, 0] - stuffed
    pec = official.copy()
    tec = kind == "tec_rewrite"
    for name in ("issued", "invalid", "received"):
        getattr(pec, name)[tec] = getattr(honest, name)[tec]
    pec.votes[tec] = honest.votes[tec]
    return take, dict(
        official=official, pec=pec, honest=honest, kind=kind, stuffed=stuffed, switched=switched
    )


def _dirichlet_rows(alpha: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """One Dirichlet draw per row of ``alpha`` (vectorised through gamma variates)."""
    g = rng.gamma(alpha)
    return g / g.sum(axis=1, keepdims=True)


# ---------------------------------------------------------------------------------------- election day


def _bulletins() -> pd.DataFrame:
    """The CEC's regional turnout bulletins; a figure the reference lacks (14:00) is interpolated."""
    rows = []
    for code in ["KZ", *TURNOUT_2200]:
        for hour in HOURS:
            value = TURNOUT_BY_HOUR[(code, hour)]
            known = value is not None
            if value is None:
                before, after = TURNOUT_BY_HOUR[(code, hour - 2)], TURNOUT_BY_HOUR[(code, hour + 2)]
                value = round((before + after) / 2, 1)
            rows.append(dict(hour=hour, region_code=code, turnout_pct=value, known=known))
    return pd.DataFrame(rows)


def _observer_turnout(precincts: pd.DataFrame, honest: _Counts, rng: np.random.Generator) -> pd.DataFrame:
    """Observers' own head counts at their precincts through the day (10:00 to 20:00, cumulative)."""
    obs = precincts["observed_mazhilis"].to_numpy()
    rows = []
    for i in np.flatnonzero(obs):
        code = precincts["region_code"].iat[i]
        final = TURNOUT_BY_HOUR[(code, 22)]
        last = 0
        for hour in HOURS[:-1]:
            official = TURNOUT_BY_HOUR[(code, hour)] or (
                (TURNOUT_BY_HOUR[(code, hour - 2)] + TURNOUT_BY_HOUR[(code, hour + 2)]) / 2
            )
            frac = min(official / final, 1.0) if hour < 20 else 1.0
            count = int(round(honest.issued[i] * frac * (rng.uniform(0.92, 1.05) if hour < 20 else 1.0)))
            last = max(last, min(count, int(honest.issued[i])))
            rows.append(
                dict(
                    pec_id=precincts["pec_id"].iat[i],
                    region_code=code,
                    hour=hour,
                    registered=int(precincts["registered"].iat[i]),
                    voters_counted=last,
                )
            )
    return pd.DataFrame(rows)


def _violations(precincts: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """Some dozens of violation reports, more where the protocol was later rewritten."""
    obs = precincts.index[precincts["observed_mazhilis"]].to_numpy()
    weight = np.where(precincts.loc[obs, "rewritten"].to_numpy(), 3.0, 1.0)
    n = 48
    chosen = rng.choice(obs, size=n, replace=True, p=weight / weight.sum())
    rows = []
    for k, i in enumerate(chosen):
        rewritten = bool(precincts.at[i, "rewritten"])
        kinds = VIOLATION_KINDS if rewritten else VIOLATION_KINDS[3:]
        kind = kinds[int(rng.integers(0, len(kinds)))]
        hour = int(rng.integers(8, 21)) if kind not in ("copy_refused",) else 20
        rows.append(
            dict(
                report_id=f"V{k + 1:03d}",
                pec_id=precincts.at[i, "pec_id"],
                region_code=precincts.at[i, "region_code"],
                hour=hour,
                minute=int(rng.integers(0, 60)),
                kind=kind,
            )
        )
    return (
        pd.DataFrame(rows).sort_values(["hour", "minute", "report_id"], kind="stable").reset_index(drop=True)
    )


_SURNAMES = ("Ахметов", "Жумабаев", "Сейткали", "Нургалиев", "Касымов", "Ибраев", "Садыков", "Токтаров",
             "Оспанов", "Бекмухамбетов", "Иванов", "Ким", "Петренко", "Абдрахманов", "Мусин", "Калиев",
             "Серикбаев", "Утегенов", "Ермеков", "Шайхин")  # fmt: skip
_GIVEN = (("Айгерим", "f"), ("Асель", "f"), ("Динара", "f"), ("Жанна", "f"), ("Мадина", "f"), ("Ольга", "f"),
          ("Тогжан", "f"), ("Сауле", "f"), ("Болат", "m"), ("Данияр", "m"), ("Ерлан", "m"), ("Нурлан", "m"),
          ("Парасат", "m"), ("Серик", "m"), ("Тимур", "m"), ("Арман", "m"), ("Алексей", "m"), ("Руслан", "m"))  # fmt: skip


def _observers(precincts: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """A fictitious observer per observed precinct: name and mobile number (fake personal data)."""
    rows = []
    for k, i in enumerate(np.flatnonzero(precincts["observed_mazhilis"].to_numpy())):
        given, sex = _GIVEN[int(rng.integers(0, len(_GIVEN)))]
        surname = _SURNAMES[int(rng.integers(0, len(_SURNAMES)))]
        if sex == "f":
            surname = surname + "а" if surname.endswith(("ов", "ев", "ин")) else surname
        phone = (
            f"+7 7{int(rng.integers(0, 8)) + 1}{int(rng.integers(0, 10))} {int(rng.integers(100, 1000))} "
            + (f"{int(rng.integers(10, 100))} {int(rng.integers(10, 100))}")
        )
        rows.append(
            dict(
                pec_id=precincts["pec_id"].iat[i],
                observer_id=f"OBS-{k + 1:04d}",
                name=f"{surname} {given}",
                phone=phone,
                organisation="Әділ сайлау / HAQ",
            )
        )
    return pd.DataFrame(rows)


def _preliminary_share(official: pd.DataFrame) -> pd.Series:
    """Party shares announced the morning after: the official count over the protocols that had arrived
    (all but the last 3% of precincts, by position in their region's list)."""
    last = official.groupby("region_code")["pec_id"].transform("size")
    number = official["pec_id"].str.split("/").str[1].astype(int)
    arrived = official[number <= (last * 0.97)]
    votes = arrived[list(PARTIES)].sum()
    return (votes / votes.sum() * 100).round(2)


# ------------------------------------------------------------------------------------------------ main


def generate(seed: int = DEFAULT_SEED, scale: int = 1) -> Election:
    """The whole demo election from one seed (same seed, same election, to the byte when written).

    ``scale`` (a whole number >= 1) multiplies the domestic precincts of every region for benchmarks:
    ``scale=10`` gives about 100,000 precincts, each about a tenth the size, with the same calibrated
    totals, regional turnouts and observers' table (the observed precincts keep their sizes)."""
    if scale < 1 or int(scale) != scale:
        raise ValueError(f"scale must be a whole number >= 1, not {scale!r}")
    scale = int(scale)
    rng = np.random.default_rng(seed)
    regions, tecs, precincts = _structure(rng, scale)
    election = Election(seed=seed, regions=regions, tecs=tecs, precincts=precincts, scale=scale)
    mazh = _mazhilis(precincts, regions, rng)
    manip_rows = []
    for version in VERSIONS:
        election.protocols[("mazhilis", version)] = mazh[version].frame(precincts)
    manip_rows.append(_manip_frame("mazhilis", precincts, mazh))
    for contest in ("maslikhat_regional", "maslikhat_city"):
        take, result = _maslikhat(contest, precincts, mazh, rng)
        sub = precincts[take]
        for version in VERSIONS:
            election.protocols[(contest, version)] = result[version].frame(sub)
        manip_rows.append(_manip_frame(contest, sub, result))
    election.manipulation = pd.concat(manip_rows, ignore_index=True)
    election.turnout_bulletins = _bulletins()
    election.observer_turnout = _observer_turnout(precincts, mazh["honest"], rng)
    election.violations = _violations(precincts, rng)
    election.observers = _observers(precincts, rng)
    election.preliminary_share = _preliminary_share(election.protocol("mazhilis"))
    return election


def _manip_frame(contest: str, precincts: pd.DataFrame, result: dict) -> pd.DataFrame:
    """Ground truth rows of one contest: kind of manipulation and its size, per precinct."""
    off: _Counts = result["official"]
    hon: _Counts = result["honest"]
    return pd.DataFrame(
        {
            "pec_id": precincts["pec_id"].to_numpy(),
            "region_code": precincts["region_code"].to_numpy(),
            "contest": contest,
            "kind": result["kind"].astype(str),
            "stuffed_ballots": result["stuffed"].astype(np.int64),
            "switched_votes": result["switched"].astype(np.int64),
            "official_minus_honest_issued": off.issued - hon.issued,
            "official_minus_honest_leader": off.votes[:, 0] - hon.votes[:, 0],
            "official_differs_from_pec_copy": result["kind"] == "tec_rewrite",
        }
    )
