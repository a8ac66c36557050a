"""The forensics section: four inlined PNG plots, each with a caption saying what clean looks like."""

from __future__ import annotations

import base64
import re

from tests.report.pages import sections_of


def test_forensic_plots_are_inlined_pngs_with_captions(small_report):
    _, page = small_report
    forensics = sections_of(page)["forensics"]
    images = re.findall(r"<figure><img src='data:image/png;base64,([A-Za-z0-9+/=]+)'", forensics)
    assert len(images) == 4
    for data in images:
        assert base64.b64decode(data).startswith(b"\x89PNG\r\n\x1a\n")
    assert forensics.count("<figcaption>") == 4
    assert forensics.count("<b>Clean:</b>") == 4
