"""The sample pages committed for the parsers' tests are exactly what the demo site serves."""

from __future__ import annotations

import json

from demo.samples import SAMPLES_DIR, index_bytes, sample_pages


def test_committed_samples_equal_the_generated_pages():
    pages = sample_pages()
    committed = sorted(p.name for p in SAMPLES_DIR.iterdir() if p.name != "index.json")
    assert committed == sorted(pages), "run `python -m demo.samples` to regenerate tests/demo/samples/"
    for name, page in pages.items():
        assert (SAMPLES_DIR / name).read_bytes() == page["body"], (
            f"{name} is stale: run `python -m demo.samples`"
        )
    assert (SAMPLES_DIR / "index.json").read_bytes() == index_bytes(pages)


def test_samples_cover_every_page_kind_and_both_encodings():
    index = json.loads((SAMPLES_DIR / "index.json").read_text(encoding="utf-8"))
    kinds = {name.split("_")[0] for name in index}
    assert {
        "turnout",
        "preliminary",
        "final",
        "resolution",
        "maslikhat",
        "territorial",
        "decision",
        "protocol",
    } <= kinds
    types = {meta["content_type"] for meta in index.values()}
    assert {"text/html; charset=UTF-8", "text/html; charset=windows-1251", "text/html"} <= types
