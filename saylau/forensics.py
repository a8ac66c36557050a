"""Election-forensics signals: Python companions of the ``sql/30_marts/forensics_*.sql`` marts.

The marts compute everything in DuckDB (they rebuild with every ``saylau marts``). This module holds
what is easier to read in Python: the exact integer-percent probability under the binomial null, an
independent implementation of the one the SQL computes (the tests hold the two against each other), and
the short text summary ``saylau import-precincts`` prints.
"""

from __future__ import annotations

import duckdb
import numpy as np
from scipy.stats import binom


def is_integer_percent(k: np.ndarray, n: np.ndarray, tolerance_pp: float = 0.05) -> np.ndarray:
    """Whether k / n (as a percentage) lies within ``tolerance_pp`` of a whole percent (n > 0)."""
    k, n = np.asarray(k, dtype=float), np.asarray(n, dtype=float)
    return np.abs(100 * k - np.round(100 * k / n) * n) <= tolerance_pp * n * (1 + 1e-9)


def integer_percent_probability(n: np.ndarray, p: np.ndarray, tolerance_pp: float = 0.05) -> np.ndarray:
    """P(X / n within ``tolerance_pp`` of a whole percent) for X ~ Binomial(n, p), exactly, per element.

    Sums binomial probabilities over every whole percent j = 0..100 of the counts in
    [n (j - tol) / 100, n (j + tol) / 100].
    """
    n = np.asarray(n, dtype=float)
    p = np.asarray(p, dtype=float)
    total = np.zeros(len(n))
    for j in range(101):
        lo = np.maximum(np.ceil((j - tolerance_pp) * n / 100 - 1e-9), 0)
        hi = np.minimum(np.floor((j + tolerance_pp) * n / 100 + 1e-9), n)
        total += np.where(hi >= lo, binom.cdf(hi, n, p) - binom.cdf(lo - 1, n, p), 0.0)
    return total


def forensics_summary(con: duckdb.DuckDBPyConnection, election_id: str, contest_id: str) -> list[str]:
    """A few lines on one election: official totals and the headline forensic signals."""
    lines = []
    totals = con.execute(
        "select precincts, registered, turnout_pct, leader, leader_votes, "
        "coalesce(leader_share_of_valid_pct, leader_share_of_ballots_cast_pct), "
        "case when leader_share_of_valid_pct is null then 'ballots cast' else 'valid ballots' end "
        "from marts.election_totals where election_id = ? and contest = ?",
        [election_id, contest_id],
    ).fetchone()
    if totals:
        precincts, registered, turnout, leader, votes, share, of = totals
        lines.append(
            f"totals: {precincts or 0:,} precincts, {registered or 0:,} registered, turnout {turnout}%, "
            f"leader {leader} {votes or 0:,} votes ({share}% of {of})"
        )
    integer = con.execute(
        "select included_precincts, observed_integer, expected_integer, excess, expected_sd, "
        "excess_turnout, excess_share from marts.forensics_integer_percent "
        "where election_id = ? and contest = ?",
        [election_id, contest_id],
    ).fetchone()
    if integer:
        inc, obs, exp, excess, sd, ex_t, ex_s = integer
        lines.append(
            f"integer percents: {obs:,} of {inc:,} precincts vs {exp:,.1f} expected: excess {excess:,.1f} "
            f"(sd {sd:.1f}; turnout-only {ex_t:,.1f}, share-only {ex_s:,.1f})"
        )
    shpilkin = con.execute(
        "select modal_turnout_pct, anomalous_votes, leader_share_of_ballots_cast_pct, "
        "clean_leader_share_of_ballots_cast_pct "
        "from marts.forensics_shpilkin where election_id = ? and contest = ?",
        [election_id, contest_id],
    ).fetchone()
    if shpilkin and shpilkin[1] is not None:
        mode, anomalous, official, clean = shpilkin
        lines.append(
            f"Shpilkin: modal turnout {mode}%, anomalous leader votes {anomalous:,.0f}, "
            f"share of ballots cast {official}% -> clean {clean}%"
        )
    dist = con.execute(
        "select turnout_skew, turnout_kurtosis, turnout_leader_share_corr from marts.forensics_distribution "
        "where election_id = ? and contest = ? and region_code is null",
        [election_id, contest_id],
    ).fetchone()
    digits = con.execute(
        "select second_digit_mean, last_digit_mean, share_last_0_or_5 from marts.forensics_digits "
        "where election_id = ? and contest = ? and region_code is null and option_id is null",
        [election_id, contest_id],
    ).fetchone()
    if dist and digits and None not in dist and None not in digits:
        lines.append(
            f"turnout skew {dist[0]:.2f}, kurtosis {dist[1]:.2f}, corr(turnout, leader share) {dist[2]:.2f}; "
            f"2nd-digit mean {digits[0]:.3f} (4.187), last-digit mean {digits[1]:.3f} (4.5), "
            f"ends in 0/5 {digits[2]:.3f} (0.2)"
        )
    return lines
