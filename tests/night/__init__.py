"""Election-night tests that run the pipeline plainly (no Prefect server): the night's behaviour is the
pipeline's (:func:`saylau.pipeline.election_night`); ``tests/flows`` checks the Prefect layer on top of it.

:func:`night` takes the ``election_night`` flow's parameters, so a test reads like a scheduled run.
"""

from __future__ import annotations

import csv
from pathlib import Path

from saylau import pipeline, warehouse
from saylau.config import Settings
from saylau.pipeline import NightOptions, NightOutcome, Steps
from saylau.reference import REFERENCE_DATA_DIR

# Election-night parameters for the double on loopback: no rate limit, short timeouts and back-off.
FAST = dict(
    requests_per_second=0,
    max_concurrency=8,
    workers=8,
    read_timeout=3.0,
    retry_after_max=0.2,
    backoff_base=0.01,
)


def night(base_url: str, build_dir: str | Path, steps: Steps = pipeline.PLAIN, **parameters) -> NightOutcome:
    """One election-night run into ``build_dir`` (raises ScrapeFailed after publishing, as the flow does)."""
    options = NightOptions.from_parameters(base_url=base_url, **parameters)
    return pipeline.election_night(Settings(build_dir=Path(build_dir)), options, steps)


STAGED = {
    "turnout": "select election_id, region_code, as_of, turnout_pct, lang, regexp_replace(url, '^http://[^/]+', '')"
    " as path, sha256 from staging.cec_turnout order by all",
    "results": "select * exclude (run_id, url), regexp_replace(url, '^http://[^/]+', '') as path "
    "from staging.cec_results order by all",
}


def official_totals() -> dict:
    with (REFERENCE_DATA_DIR / "official_totals.csv").open(encoding="utf-8") as f:
        return {
            (r["item"], r["option_id"] or None): int(r["value"])
            for r in csv.DictReader(f)
            if r["election_id"] == "kz-2021-01-10" and r["contest_id"] == "mazhilis"
        }


def staged(db, with_sha: bool = True) -> dict:
    """Staged rows, with URLs as paths (sites run on different ports); without the page bytes' sha256 when
    comparing runs whose pages came in different encodings."""
    with warehouse.connect(db, read_only=True) as con:
        rows = {name: con.execute(sql).df() for name, sql in STAGED.items()}
    if not with_sha:
        rows = {name: frame.drop(columns="sha256") for name, frame in rows.items()}
    return {name: sorted(map(tuple, frame.astype(str).to_numpy().tolist())) for name, frame in rows.items()}
