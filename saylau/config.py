"""Every path and setting the project uses, in one place.

Paths default to folders inside the project checkout and can be moved with environment variables
(``SAYLAU_BUILD_DIR``, ``SAYLAU_DB``, ``SAYLAU_SHARED``), which is how tests give each run its own build
folder.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
SQL_DIR = PROJECT_ROOT / "sql"
REFERENCE_DATA_DIR = Path(__file__).resolve().parent / "reference_data"
SHARED_DIR = Path(os.environ.get("SAYLAU_SHARED") or PROJECT_ROOT.parent / "shared")
"""The shared data folder (real precinct tables, reference files): ``shared/`` beside the checkout, or
``SAYLAU_SHARED``. Tests and benchmarks that need it skip or say so when it is absent."""

USER_AGENT = "saylau/0.1 (+https://github.com/saylau/saylau; election-data research; contact: data@saylau.kz)"


@dataclass(frozen=True)
class Settings:
    """Where a run reads and writes. ``build_dir`` holds everything generated; nothing there is in git."""

    build_dir: Path = field(
        default_factory=lambda: Path(os.environ.get("SAYLAU_BUILD_DIR", PROJECT_ROOT / "build"))
    )
    db_override: Path | None = field(
        default_factory=lambda: Path(os.environ["SAYLAU_DB"]) if os.environ.get("SAYLAU_DB") else None
    )

    @property
    def work_db(self) -> Path:
        """The working warehouse: written by one pipeline process at a time, never opened by analysts."""
        return self.db_override or self.build_dir / "work" / "saylau.duckdb"

    @property
    def archive_dir(self) -> Path:
        """Content-addressed raw bytes of every page and file the pipeline read."""
        return self.build_dir / "archive"

    @property
    def published_dir(self) -> Path:
        return self.build_dir / "published"

    @property
    def published_db(self) -> Path:
        """The read-only copy analysts open; replaced atomically after a successful run."""
        return self.published_dir / "saylau.duckdb"

    @property
    def parquet_dir(self) -> Path:
        return self.published_dir / "parquet"

    @property
    def report_dir(self) -> Path:
        return self.build_dir / "report"

    @property
    def prefect_home(self) -> Path:
        return self.build_dir / "prefect"


def settings() -> Settings:
    """Settings as the environment says now (read afresh so tests can point them elsewhere)."""
    return Settings()


def prefect_environment(s: Settings | None = None) -> dict[str, str]:
    """Environment defaults that make Prefect run locally, quietly and inside the build folder."""
    s = s or settings()
    return {
        "PREFECT_HOME": str(s.prefect_home),
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "DO_NOT_TRACK": "1",
        "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "90",
        # Runs print their own summary; Prefect's per-task INFO lines would drown it.
        "PREFECT_LOGGING_LEVEL": os.environ.get("PREFECT_LOGGING_LEVEL", "WARNING"),
    }


def apply_prefect_environment(s: Settings | None = None) -> None:
    """Set Prefect's environment defaults (existing values win). Call before importing prefect."""
    for key, value in prefect_environment(s).items():
        os.environ.setdefault(key, value)
    Path(os.environ["PREFECT_HOME"]).mkdir(parents=True, exist_ok=True)
