"""The saylau command line: every command has --help, is documented, and calls the library."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from saylau.cli import app

runner = CliRunner()
COMMANDS = sorted(c.name or c.callback.__name__ for c in app.registered_commands)
README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help(command):
    result = runner.invoke(app, [command, "--help"])
    assert result.exit_code == 0, result.output
    assert "Usage" in result.output


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_is_documented_in_readme(command):
    assert f"saylau {command}" in README


def test_resolve_region_and_unknown_name():
    ok = runner.invoke(app, ["resolve", "region", "по Восточно-Казахстанской области"])
    assert ok.exit_code == 0 and "KZ-63" in ok.output
    bad = runner.invoke(app, ["resolve", "party", "Партия любителей пива"])
    assert bad.exit_code == 1 and "Партия любителей пива" in bad.output


def test_init_marts_publish_runs(tmp_path):
    build = str(tmp_path / "b")
    for _ in range(2):  # idempotent
        result = runner.invoke(app, ["init", "--build-dir", build])
        assert result.exit_code == 0, result.output
    assert runner.invoke(app, ["marts", "--build-dir", build]).exit_code == 0
    published = runner.invoke(app, ["publish", "--build-dir", build])
    assert published.exit_code == 0 and "saylau.duckdb" in published.output.replace("\n", "")
    assert (tmp_path / "b" / "published" / "saylau.duckdb").exists()
    listing = runner.invoke(app, ["runs", "--build-dir", build])
    assert listing.exit_code == 0 and "marts" in listing.output
