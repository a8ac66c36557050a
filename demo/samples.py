"""One sample page of each kind the CEC double serves, kept in the repository for the parsers' tests.

Regenerate with ``python -m demo.samples`` (writes ``tests/demo/samples/``); ``tests/demo/test_samples.py``
fails when the committed files differ from what the generator makes. Each file holds the exact bytes the
site serves (a windows-1251 page stays windows-1251); ``index.json`` gives each file's URL, status and
Content-Type.
"""

from __future__ import annotations

import json
import sys
from datetime import timedelta
from pathlib import Path

from demo.clock import SimClock
from demo.election import DEFAULT_SEED, generate
from demo.faults import FaultConfig
from demo.site import DemoSite

SAMPLES_DIR = Path(__file__).resolve().parents[1] / "tests" / "demo" / "samples"


def sample_pages(seed: int = DEFAULT_SEED) -> dict[str, dict]:
    """file name -> {url, status, content_type, body (bytes)} for every sample page."""
    election = generate(seed)
    plain = DemoSite(election, protocols=True)
    changed = DemoSite(election, faults=FaultConfig(changed_layout=1.0))
    cp1251 = DemoSite(election, faults=FaultConfig(cp1251=1.0, cp1251_without_charset=0.0))
    cp1251_bare = DemoSite(election, faults=FaultConfig(cp1251=1.0, cp1251_without_charset=1.0))
    items = plain.content.items
    # the 20:00 bulletin as first published, before the CEC corrected a figure on it
    revised = next(i for i in items if i.kind == "turnout" and i.revised is not None).revised
    first = DemoSite(election, clock=SimClock(revised - timedelta(minutes=1)))

    def item(kind: str, hour: int | None = None):
        return next(i for i in items if i.kind == kind and (hour is None or i.hour == hour))

    wanted: list[tuple[str, DemoSite, str]] = [("releases_listing_rus.html", plain, "/rus/news/releases/"),
                                               ("acts_listing_eng.html", plain, "/eng/news/acts/")]  # fmt: skip
    for lang in ("rus", "kaz", "eng"):
        for hour in (10, 16, 22):
            wanted.append((f"turnout_{hour}00_{lang}.html", plain, _url(lang, item("turnout", hour))))
        for kind in ("preliminary", "maslikhat_links", "final", "resolution"):
            wanted.append((f"{kind}_{lang}.html", plain, _url(lang, item(kind))))
    wanted += [
        ("territorial_index_rus.html", plain, "/rus/territorial/"),
        ("territorial_75_rus.html", plain, "/rus/territorial/75/"),
        ("decision_35_1_kaz.html", plain, "/kaz/territorial/35/decisions/index.php?ID=1"),
        ("decision_75_3_rus.html", plain, "/rus/territorial/75/decisions/index.php?ID=3"),
        ("protocols_listing_75_rus.html", plain, "/rus/territorial/75/protocols/"),
        ("protocol_75_7_rus.html", plain, "/rus/territorial/75/protocols/index.php?PEC=7"),
        ("final_rus_changed_layout.html", changed, _url("rus", item("final"))),
        ("preliminary_eng_changed_layout.html", changed, _url("eng", item("preliminary"))),
        ("turnout_1800_rus_cp1251.html", cp1251, _url("rus", item("turnout", 18))),
        ("turnout_2000_rus_first_version.html", first, _url("rus", item("turnout", 20))),
        ("turnout_2000_rus_cp1251_no_charset.html", cp1251_bare, _url("rus", item("turnout", 20))),
    ]
    out = {}
    for name, site, url in wanted:
        r = site.respond(url)
        assert r.status == 200, (name, url, r.status)
        out[name] = {
            "url": url,
            "status": r.status,
            "content_type": dict(r.headers)["Content-Type"],
            "body": r.body,
        }
    return out


def _url(lang: str, item) -> str:
    return f"/{lang}/news/{item.section}/index.php?ID={item.id}"


def index_bytes(pages: dict[str, dict]) -> bytes:
    meta = {name: {k: v for k, v in p.items() if k != "body"} for name, p in sorted(pages.items())}
    return (json.dumps(meta, ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode("utf-8")


def write_samples(folder: Path = SAMPLES_DIR) -> list[Path]:
    """Write every sample page and ``index.json`` under ``folder``; returns the paths written."""
    folder.mkdir(parents=True, exist_ok=True)
    pages = sample_pages()
    written = []
    for name, page in sorted(pages.items()):
        (folder / name).write_bytes(page["body"])
        written.append(folder / name)
    (folder / "index.json").write_bytes(index_bytes(pages))
    return [*written, folder / "index.json"]


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else SAMPLES_DIR
    paths = write_samples(target)
    print(f"Wrote {len(paths)} sample files to {target}")
