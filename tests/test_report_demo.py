"""The demo election's report in headless Chromium, and the analysts' guide's questions on the demo database.

The demo database is the whole demo election through the real importers (demo/report_data.py),
about half a minute to build, so this module builds it once and its tests run on one xdist worker.
Chromium is Debian's ``chromium`` package; the set-up installs it with apt-get when it is missing (CI runs
as root with apt available) and the browser tests are skipped, saying why, only where that fails.
"""

from __future__ import annotations

import base64
import os
import re
import shutil
import subprocess
from pathlib import Path

import duckdb
import pytest

from demo.report_data import ELECTION, build_demo_published
from saylau.config import PROJECT_ROOT
from saylau.query import run_query
from saylau.report import SECTION_IDS, build_report

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("report-demo")]

SCREENSHOT = PROJECT_ROOT / "build" / "report-screenshot.png"
GUIDE = PROJECT_ROOT / "docs" / "analysts.md"
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--enable-logging=stderr",
    "--v=0",
]
# What Chromium logs for a page's console messages, script errors and resources it failed to load.
CONSOLE_ERROR = re.compile(r"CONSOLE|Uncaught|Failed to load resource|net::ERR_", re.I)


def chromium_binary() -> str | None:
    """Path of Chromium, installing Debian's package when missing and possible (root, apt-get)."""
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found:
        return found
    if os.geteuid() != 0 or not shutil.which("apt-get"):
        return None
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    for command in (["apt-get", "update"], ["apt-get", "install", "-y", "chromium"]):
        if subprocess.run(command, env=env, capture_output=True, timeout=900).returncode != 0:
            return None
    return shutil.which("chromium")


@pytest.fixture(scope="session")
def chromium() -> str:
    binary = chromium_binary()
    if binary is None:
        pytest.skip(
            "Chromium is not installed and could not be installed (needs root and apt-get install chromium)"
        )
    return binary


def run_chromium(binary: str, url: str, tmp: Path, *extra: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [binary, *CHROMIUM_FLAGS, f"--user-data-dir={tmp}", *extra, url],
        capture_output=True,
        text=True,
        timeout=120,
    )


def console_errors(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if CONSOLE_ERROR.search(line)]


@pytest.fixture(scope="session")  # not module: xdist may interleave modules and rebuild it
def demo(tmp_path_factory: pytest.TempPathFactory):
    return build_demo_published(tmp_path_factory.mktemp("demo") / "build")


@pytest.fixture(scope="session")  # not module: xdist may interleave modules and rebuild it
def demo_report(demo):
    return build_report(demo.published_db, ELECTION, demo.report_dir)


def test_demo_report_has_every_section_filled(demo_report):
    # every mart the report reads exists on the demo: no section should be waiting for data
    assert demo_report.unavailable == []
    # 2 region plots, the timeline, 4 forensic plots
    assert demo_report.figures == 7


def test_observer_effect_table_shows_both_baselines(demo, demo_report):
    """The Mazhilis row of the observer-effect table states the mart's excess over the observed precincts'
    official figures and over the observers' copies (the estimate that survives rewriting at the TEC)."""
    with duckdb.connect(str(demo.published_db), read_only=True) as con:
        official, copies = con.execute(
            "select excess_turnout_pp, excess_turnout_vs_copies_pp from marts.observer_effect "
            "where election_id = ? and contest = 'mazhilis'",
            [ELECTION],
        ).fetchone()
    html = demo_report.path.read_text(encoding="utf-8")
    table = html[html.index("Precincts with and without observers") :]
    row = table[table.index("<td class=''>Mazhilis (party list)</td>") :].split("</tr>")[0]
    assert "excess pp over copies" in table
    assert f"<td class='num'>{official:+.2f}</td>" in row and f"<td class='num'>{copies:+.2f}</td>" in row


def test_report_in_headless_chromium(chromium, demo_report, tmp_path):
    url = demo_report.path.resolve().as_uri()
    # The page as the browser built it, with a probe (added to a copy, never to the report) that records
    # the decoded size of every image once the page has loaded.
    probe = demo_report.path.with_name("probe.html")
    probe.write_text(
        demo_report.path.read_text(encoding="utf-8").replace(
            "</body>",
            "<script>window.addEventListener('load', () => document.body.setAttribute('data-images', "
            "Array.from(document.images).map(i => i.naturalWidth + 'x' + i.naturalHeight).join(',')));"
            "</script></body>",
        ),
        encoding="utf-8",
    )
    dom = run_chromium(
        chromium, probe.resolve().as_uri(), tmp_path / "p1", "--dump-dom", "--virtual-time-budget=5000"
    )
    assert dom.returncode == 0, dom.stderr[-2000:]
    for section_id in SECTION_IDS:
        assert f'<section id="{section_id}"' in dom.stdout, section_id
    sizes = re.search(r'data-images="([^"]*)"', dom.stdout).group(1).split(",")
    assert len(sizes) == demo_report.figures
    for size in sizes:  # every image decoded by the browser, none empty
        width, height = (int(v) for v in size.split("x"))
        assert width > 300 and height > 150, sizes
    # The report itself: no console errors, nothing it tried to load, and a screenshot to look at.
    SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
    SCREENSHOT.unlink(missing_ok=True)
    shot = run_chromium(
        chromium, url, tmp_path / "p2", f"--screenshot={SCREENSHOT}", "--window-size=1200,3000"
    )
    assert shot.returncode == 0, shot.stderr[-2000:]
    assert console_errors(shot.stderr) == []
    assert SCREENSHOT.read_bytes().startswith(b"\x89PNG") and SCREENSHOT.stat().st_size > 50_000


def test_console_error_scan_catches_errors(chromium, tmp_path):
    """The scan above can fail: a page with a script error and a missing image is caught."""
    page = tmp_path / "bad.html"
    page.write_text(
        "<html><body><img src='missing.png'><script>console.error('boom'); undefined_call();</script></body></html>"
    )
    result = run_chromium(chromium, page.as_uri(), tmp_path / "p", "--dump-dom")
    assert console_errors(result.stderr)


def test_report_images_are_pngs(demo_report):
    page = demo_report.path.read_text(encoding="utf-8")
    images = re.findall(r"src='data:image/png;base64,([A-Za-z0-9+/=]+)'", page)
    assert len(images) == demo_report.figures
    assert all(base64.b64decode(i).startswith(b"\x89PNG") for i in images)


def guide_questions() -> list[tuple[str, str]]:
    """(question, SQL) of every numbered question in docs/analysts.md."""
    text = GUIDE.read_text(encoding="utf-8")
    return re.findall(r"### \d+\. (.+?)\n\n```sql\n(.+?)```", text, flags=re.S)


def test_guide_has_ten_questions():
    assert len(guide_questions()) == 10


@pytest.mark.parametrize("question,sql", guide_questions(), ids=[q[:40] for q, _ in guide_questions()])
def test_guide_question_runs_on_the_demo(demo, question, sql):
    marts = set(re.findall(r"marts\.([a-z_]+)", sql))
    con = duckdb.connect(str(demo.published_db), read_only=True)
    try:
        present = {
            r[0]
            for r in con.execute(
                "select table_name from information_schema.tables where table_schema = 'marts'"
            ).fetchall()
        }
    finally:
        con.close()
    if not marts <= present:
        pytest.skip(f"not built yet: {', '.join(sorted(marts - present))}")
    answer = run_query(demo.published_db, sql)
    assert answer.rows, question


def test_guide_lists_every_mart(demo):
    text = GUIDE.read_text(encoding="utf-8")
    con = duckdb.connect(str(demo.published_db), read_only=True)
    try:
        tables = con.execute(
            "select table_name, list(column_name order by ordinal_position) from information_schema.columns "
            "where table_schema = 'marts' group by 1"
        ).fetchall()
    finally:
        con.close()
    for table, columns in tables:
        row = next((line for line in text.splitlines() if line.startswith(f"| `marts.{table}` |")), None)
        assert row is not None, f"marts.{table} is not in docs/analysts.md"
        for column in columns:
            assert re.search(rf"\b{column}\b", row), f"marts.{table}.{column} is not in docs/analysts.md"


def guide_blocks(language: str) -> list[str]:
    """The code blocks of one language in docs/analysts.md, as written."""
    return re.findall(rf"```{language}\n(.+?)```", GUIDE.read_text(encoding="utf-8"), flags=re.S)


def demo_root(demo) -> Path:
    """The folder that holds the demo's build/ as a checkout holds its own (the guide's paths are relative)."""
    return Path(demo.published_db).parent.parent.parent


@pytest.mark.parametrize("index", range(len(guide_blocks("python"))))
def test_guide_python_snippet_runs_as_written(demo, index, monkeypatch):
    """Every Python snippet of the guide runs in the project's environment (pyarrow for read_parquet too)."""
    monkeypatch.chdir(demo_root(demo))
    scope: dict = {}
    exec(compile(guide_blocks("python")[index], f"analysts.md python #{index}", "exec"), scope)
    assert "totals" in scope and len(scope["totals"]) > 0


def test_guide_command_lines_run_as_written(demo, tmp_path):
    """Every `saylau query` line of the guide's shell blocks runs in a checkout holding the demo's build."""
    lines = [
        line.split("  #")[0].strip()
        for block in guide_blocks("sh")
        for line in block.splitlines()
        if line.startswith("saylau query ")
    ]
    assert len(lines) >= 3
    root = demo_root(demo)
    env = {
        **os.environ,
        "SAYLAU_BUILD_DIR": str(root / "build"),
        "PATH": f"{Path(os.sys.executable).parent}:{os.environ['PATH']}",
    }
    for line in lines:
        done = subprocess.run(
            ["bash", "-c", line], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60
        )
        assert done.returncode == 0 and "error" not in done.stderr.lower(), (line, done.stderr)
        assert done.stdout.strip() or any(tmp_path.iterdir()), line


def test_guide_q2_one_row_per_region_and_party(demo):
    """Q2 answers how each party did in each region: one figure per region and party, never a preliminary
    share beside a final count."""
    sql = dict(guide_questions())["How did each party do in each region?"]
    answer = run_query(demo.published_db, sql)
    keys = [(row[0], row[1]) for row in answer.rows]
    assert keys and len(keys) == len(set(keys))
    assert len({(row[0], row[6]) for row in answer.rows}) == len({row[0] for row in answer.rows})


def test_guide_q4_names_the_contest(demo):
    sql = dict(guide_questions())[
        "Which precincts' official protocols differ most from the copies observers photographed?"
    ]
    answer = run_query(demo.published_db, sql)
    assert answer.columns[:2] == ["contest", "source"] and answer.rows


# Pages of the demo's report printed to A4 before the print style sheet (issue 18: 30 pages, right-hand
# columns cut); the printed report must take at most a quarter of them.
PAGES_BEFORE_PRINT_STYLE = 30
# The page's print rules applied on screen, the body as wide as an A4 page's printable width (210 mm less
# the @page margins), then every table's width against its container's.
PRINT_PROBE = """<script>
window.addEventListener('load', () => {
  for (const sheet of document.styleSheets) for (const rule of sheet.cssRules)
    if (rule.media && rule.media.mediaText.includes('print')) rule.media.mediaText = 'all';
  document.documentElement.style.width = '192mm';
  document.body.style.width = '192mm';
  const wide = Array.from(document.querySelectorAll('table')).filter(t =>
    t.scrollWidth > t.parentElement.clientWidth + 1 || t.getBoundingClientRect().right >
      document.body.getBoundingClientRect().right + 1).map(t => t.closest('section').id + ':' + t.scrollWidth);
  document.body.setAttribute('data-wide', wide.join(','));
  document.body.setAttribute('data-tables', document.querySelectorAll('table').length);
});
</script></body>"""


def test_report_prints_to_few_a4_pages_with_every_column(chromium, demo_report, tmp_path):
    """Headless Chromium prints the demo's report to PDF: at most a quarter of the pages it took before
    the print style sheet, and under the print rules no table is wider than the page."""
    pdf = tmp_path / "report.pdf"
    printed = run_chromium(
        chromium,
        demo_report.path.resolve().as_uri(),
        tmp_path / "p1",
        "--no-pdf-header-footer",
        f"--print-to-pdf={pdf}",
    )
    assert printed.returncode == 0 and pdf.exists(), printed.stderr[-2000:]
    pages = int(re.findall(rb"/Count (\d+)", pdf.read_bytes())[-1])
    assert 1 <= pages <= PAGES_BEFORE_PRINT_STYLE // 4, pages
    probe = demo_report.path.with_name("print-probe.html")
    probe.write_text(
        demo_report.path.read_text(encoding="utf-8").replace("</body>", PRINT_PROBE), encoding="utf-8"
    )
    dom = run_chromium(
        chromium, probe.resolve().as_uri(), tmp_path / "p2", "--dump-dom", "--virtual-time-budget=5000"
    )
    assert dom.returncode == 0, dom.stderr[-2000:]
    assert int(re.search(r'data-tables="(\d+)"', dom.stdout).group(1)) > 5
    assert re.search(r'data-wide="([^"]*)"', dom.stdout).group(1) == ""


def test_report_mails_well(demo_report):
    """No local path, docs as links to the public docs, contests by name in ballot order (Mazhilis first),
    provenance last and collapsed, precinct discrepancies one row per precinct."""
    page = demo_report.path.read_text(encoding="utf-8")
    assert str(PROJECT_ROOT) not in page and "/tmp/" not in page and "/build/" not in page
    assert "see docs/" not in page.lower() and "https://github.com/saylau/saylau/blob/main/docs/" in page
    assert page.index("Mazhilis (party list)") < page.index("Regional (oblast) maslikhats")
    assert page.rindex("<section") == page.index("<section id='provenance'")
    assert "<details class='appendix'><summary>" in page and "<details class='appendix' open" not in page
    table = page[page.index("<section id='precinct-discrepancies'") :].split("</table>")[0]
    rows = re.findall(
        r"<tr><td class=''>([^<]+)</td><td class=''>([^<]+)</td>.*?<span class='nowrap'>([^<]+)</span>", table
    )
    assert rows and len(rows) == len(set(rows))  # contest, organisation, precinct
