"""Every job's run order, in plain functions (no Prefect): election night (:mod:`.night`), rebuild from the
archive (:mod:`.rebuild`), loading observers' files, importing a precinct table, the demo's files and a
bare mart rebuild (:mod:`.files`). Run bookkeeping (writer lock, start, crashed, finish, checksums,
publish) is :mod:`.bookkeeping`'s, written once. The CLI, ``flows/`` (Prefect), ``bench/`` and ``demo/``
call these functions; none re-sequences their steps. How each step runs (directly, or as a Prefect task)
is the :class:`~saylau.pipeline.steps.Steps` passed in.
"""

from saylau.pipeline.bookkeeping import Run, job
from saylau.pipeline.files import (
    ElectionFiles,
    FilesOutcome,
    demo_files,
    import_precincts,
    load_observers,
    rebuild_marts,
)
from saylau.pipeline.night import NightOptions, NightOutcome, ScrapeFailed, election_night
from saylau.pipeline.rebuild import rebuild
from saylau.pipeline.steps import PLAIN, DaskSteps, Steps, TimedSteps

__all__ = [
    "PLAIN",
    "DaskSteps",
    "ElectionFiles",
    "FilesOutcome",
    "NightOptions",
    "NightOutcome",
    "Run",
    "ScrapeFailed",
    "Steps",
    "TimedSteps",
    "demo_files",
    "election_night",
    "import_precincts",
    "job",
    "load_observers",
    "rebuild",
    "rebuild_marts",
]
