"""The one line a run leaves in the serve terminal."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from flows.schedule import stale_runs
from saylau.pipeline import NightOutcome, ScrapeFailed


def test_summary_line_names_time_pages_figures_publication_and_duration():
    outcome = NightOutcome(
        "r-1",
        "kz-2021-01-10",
        new_pages=3,
        changed_pages=2,
        figures_set_aside=4,
        failures=["http://x/a: timeout"],
        published_db=Path("published/saylau.duckdb"),
        started_at=datetime(2021, 1, 10, 4, 0, 5, tzinfo=UTC),
        seconds=12.34,
    )
    line = outcome.summary_line()
    assert "\n" not in line
    assert line == (
        "2021-01-10 04:00:05 UTC run r-1 | pages 3 new, 2 changed, 1 failed | 4 figures set aside"
        " | published | 12.3 s"
    )


def test_summary_line_of_an_unpublished_run():
    line = NightOutcome("r-2", None, postponed=["http://x/b: robots.txt unreadable"]).summary_line()
    assert "pages 0 new, 0 changed, 0 failed" in line
    assert "1 postponed" in line and "not published" in line


class _State:
    def __init__(self, type_, name):
        self.type, self.name = type_, name


class _Run:
    def __init__(self, name, type_, state_name, run_count=0):
        self.name, self.state, self.run_count = name, _State(type_, state_name), run_count


def test_stale_runs_are_the_waiting_runs_never_started():
    runs = [
        _Run("late", "SCHEDULED", "Late"),
        _Run("future", "SCHEDULED", "Scheduled"),
        _Run("retrying", "SCHEDULED", "AwaitingRetry", run_count=1),
        _Run("slot", "SCHEDULED", "AwaitingConcurrencySlot"),
        _Run("running", "RUNNING", "Running"),
        _Run("done", "COMPLETED", "Completed"),
    ]
    assert [r.name for r in stale_runs(runs)] == ["late", "future"]


def test_contradictions_in_official_figures_are_counted_apart_from_failed_pages():
    contradiction = "http://x/c: region KZ-75 states more votes than its ballots"
    outcome = NightOutcome("r-3", "kz-2021-01-10", failures=["http://x/a: timeout", contradiction],
                           contradictions=[contradiction])  # fmt: skip
    line = outcome.summary_line()
    assert "1 failed" in line and "1 contradictions in official figures" in line
    assert str(ScrapeFailed(outcome)).startswith("1 page(s) failed, 1 contradiction(s) in official figures:")
