"""The small published database (tests/test_report_data.py) and its report, built once for the package."""

from __future__ import annotations

import pytest

from saylau.config import Settings
from saylau.report import build_report
from tests.test_report_data import ELECTION, build_small_published


@pytest.fixture(scope="package")
def small(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    return build_small_published(tmp_path_factory.mktemp("small") / "build")


@pytest.fixture(scope="package")
def small_report(small: Settings) -> tuple[Settings, str]:
    result = build_report(small.published_db, ELECTION, small.report_dir)
    return small, result.path.read_text(encoding="utf-8")
