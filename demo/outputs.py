"""Write a generated election to a folder: the official precinct table, the observers' exports and the
ground truth, each in its own place.

Layout written by :func:`write_election` (``folder`` is e.g. ``build/demo``)::

    official/precincts.csv        official precinct protocols, every contest in one table (docs/demo.md)
    official/precincts_<contest>.csv  the same, one file per contest, as ``saylau import-precincts
                                  --format kz-precinct-csv --contest <contest>`` reads it
    observers/*.csv, *.xlsx       the observers' platform exports (protocol, turnout, violation kinds),
                                  Kazakh or Russian headers from saylau/reference_data/observer_columns.csv
    ground_truth/                 never served by the site, never loaded by the pipeline:
        manipulation.csv          per precinct and contest: kind, stuffed ballots, switched votes
        protocols_honest.csv      what the voters did; protocols_pec.csv: the precincts' own copies
        export_errors.json        the errors injected into the observers' exports, file and row
        summary.json              seed, totals per contest and version, counts per manipulation kind
    MANIFEST.json                 sha256 of every file above (same seed -> same bytes)

Every file is written deterministically: fixed row order, ``\\n`` line ends, XLSX with fixed timestamps.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from demo.election import CONTESTS, ELECTION_ID, PARTIES, PROTOCOL_LINES, Election
from saylau.config import REFERENCE_DATA_DIR, Settings

PRECINCT_CSV_FORMAT = "kz-precinct-csv"
# Columns of official/precincts.csv, in order (documented in docs/demo.md).
PRECINCT_CSV_COLUMNS: tuple[str, ...] = (
    "election_id",
    "contest_id",
    "region_code",
    "tec_id",
    "pec_id",
    "precinct_number",
    "abroad",
    "status",
    *PROTOCOL_LINES,
    *PARTIES,
)
ORGANISATION = "Әділ сайлау / HAQ"
_FIXED_ZIP_TIME = (2021, 1, 11, 6, 0, 0)
_FIXED_XLSX_STAMP = "2021-01-11T06:00:00Z"

# How each language names the contests and the parties in the observers' exports.
CONTEST_NAMES = {
    "ru": {
        "mazhilis": "Мажилис",
        "maslikhat_regional": "Областной маслихат",
        "maslikhat_city": "Городской маслихат",
    },
    "kk": {
        "mazhilis": "Мәжіліс",
        "maslikhat_regional": "Облыстық мәслихат",
        "maslikhat_city": "Қалалық мәслихат",
    },
}
PARTY_HEADERS = {
    "ru": {"amanat": "Нур Отан", "ak_zhol": "Ак жол", "qhp": "Народная партия Казахстана", "auyl": "Ауыл", "adal": "Адал"},
    "kk": {"amanat": "Нұр Отан", "ak_zhol": "Ақ жол", "qhp": "ҚХП", "auyl": "Ауыл", "adal": "Адал"},
}  # fmt: skip
VIOLATION_TEXT = {
    "ru": {
        "observer_expelled": ("Удаление наблюдателя", "Наблюдателя удалили с участка по требованию председателя"),
        "copy_refused": ("Отказ в выдаче копии протокола", "Председатель отказался выдать копию итогового протокола"),
        "ballot_stuffing_seen": ("Вброс бюллетеней", "Замечен вброс пачки бюллетеней в стационарный ящик"),
        "carousel_voting": ("Карусель", "Одни и те же лица голосовали несколько раз"),
        "group_voting": ("Групповое голосование", "Группа избирателей голосовала по одному списку"),
        "observation_obstructed": ("Препятствие наблюдению", "Наблюдателю не дали подойти к столу выдачи"),
        "photo_forbidden": ("Запрет фотосъёмки", "Запретили фотографировать увеличенную форму протокола"),
        "list_irregularities": ("Нарушения в списках", "Подписи в списке избирателей одной рукой"),
    },
    "kk": {
        "observer_expelled": ("Байқаушыны шығару", "Төрағаның талабымен байқаушы учаскеден шығарылды"),
        "copy_refused": ("Хаттама көшірмесін беруден бас тарту", "Төраға қорытынды хаттаманың көшірмесін бермеді"),
        "ballot_stuffing_seen": ("Бюллетень салу", "Стационарлық жәшікке бюллетеньдер бумасы салынды"),
        "carousel_voting": ("Карусель", "Бір адамдар бірнеше рет дауыс берді"),
        "group_voting": ("Топтық дауыс беру", "Сайлаушылар тобы бір тізім бойынша дауыс берді"),
        "observation_obstructed": ("Байқауға кедергі", "Байқаушыны бюллетень беру үстеліне жібермеді"),
        "photo_forbidden": ("Суретке түсіруге тыйым", "Хаттаманың үлкейтілген нысанын суретке түсіруге тыйым салды"),
        "list_irregularities": ("Тізімдегі бұзушылықтар", "Сайлаушылар тізіміндегі қолдар бір адамның қолымен қойылған"),
    },
}  # fmt: skip
NOTES = {
    "ru": ("", "", "", "копия выдана после полуночи", "протокол переписан с увеличенной формы",
           "председатель сначала отказал, копию дали позже", "печать на копии нечёткая", ""),
    "kk": ("", "", "", "көшірме түн ортасынан кейін берілді", "хаттама үлкейтілген нысаннан көшірілді",
           "төраға алдымен бас тартты, кейін берді", "көшірмедегі мөр анық емес", ""),
}  # fmt: skip


@dataclass
class ObserverFile:
    """One observers' export: its kind (protocol | turnout | violation), language and rows (header -> value)."""

    name: str
    kind: str
    lang: str
    headers: list[str]
    rows: list[list[object]] = field(default_factory=list)


def observer_headers(kind: str, lang: str, rng: np.random.Generator) -> dict[str, str]:
    """A header for each canonical column of a file kind, picked among the mapping's variants in ``lang``."""
    mapping = pd.read_csv(REFERENCE_DATA_DIR / "observer_columns.csv", dtype=str, keep_default_na=False)
    mapping = mapping[(mapping["file_kind"] == kind) & (mapping["lang"] == lang)]
    out = {}
    for canonical, group in mapping.groupby("canonical", sort=False):
        options = group["header"].tolist()
        out[canonical] = options[int(rng.integers(0, len(options)))]
    return out


def _region_name(election: Election, code: str, lang: str) -> str:
    from saylau.reference import default_resolver

    region = default_resolver().regions[code]
    return region.name_kk if lang == "kk" else region.name_ru


def _protocol_files(election: Election, rng: np.random.Generator) -> tuple[list[ObserverFile], list[dict]]:
    """The protocol-copy exports and the errors injected into them."""
    p = election.precincts
    groups = [
        ("protocols_almaty_2021-01-11", "ru", ["KZ-75"], "csv"),
        ("protocols_nur-sultan_2021-01-11", "kk", ["KZ-71"], "xlsx"),
        ("protocols_shymkent_2021-01-11", "ru", ["KZ-79"], "xlsx"),
        (
            "protocols_oblystar_2021-01-11",
            "kk",
            sorted(set(p["region_code"]) - {"KZ-71", "KZ-75", "KZ-79"}),
            "csv",
        ),
    ]
    observers = election.observers.set_index("pec_id")
    files, errors = [], []
    for stem, lang, codes, ext in groups:
        h = observer_headers("protocol", lang, rng)
        columns = ["region", "precinct", "contest", *PROTOCOL_LINES, *PARTIES, "observer_name", "observer_phone", "photo_ref", "notes"]  # fmt: skip
        headers = [PARTY_HEADERS[lang][c] if c in PARTIES else h[c] for c in columns]
        f = ObserverFile(f"{stem}.{ext}", "protocol", lang, headers)
        for contest in CONTESTS:
            copies = election.protocol(contest, "pec")
            observed = p.loc[p[f"observed_{contest}"] & p["region_code"].isin(codes), "pec_id"]
            sample = copies[copies["pec_id"].isin(observed)]
            for row in sample.itertuples(index=False):
                number = row.pec_id.split("/")[1]
                obs = observers.loc[row.pec_id]
                values: dict[str, object] = {
                    "region": _region_name(election, row.region_code, lang),
                    "precinct": number,
                    "contest": CONTEST_NAMES[lang][contest],
                    **{line: int(getattr(row, line)) for line in (*PROTOCOL_LINES, *PARTIES)},
                    "observer_name": obs["name"],
                    "observer_phone": obs["phone"],
                    "photo_ref": f"photos/{row.region_code}/{number}/{contest}_1.jpg",
                    "notes": NOTES[lang][int(rng.integers(0, len(NOTES[lang])))],
                }
                f.rows.append([values[c] for c in columns])
        f.rows.sort(key=lambda r: (str(r[0]), int(str(r[1])), str(r[2])))
        files.append(f)
    errors += _inject_errors(files, rng, election)
    return files, errors


def _inject_errors(files: list[ObserverFile], rng: np.random.Generator, election: Election) -> list[dict]:
    """Realistic mistakes, each recorded (file, 1-based data row, what was done)."""
    errors: list[dict] = []
    col = {name: i for i, name in enumerate(["region", "precinct", "contest", *PROTOCOL_LINES, *PARTIES])}
    a, b, c, d = files  # almaty, nur-sultan, shymkent, oblasts

    marked: list[tuple[ObserverFile, list[object], str, str, str | None]] = []

    def note(f: ObserverFile, row: int, kind: str, detail: str, pec_id: str | None) -> None:
        marked.append((f, f.rows[row], kind, detail, pec_id))

    # 1. a mistyped precinct number (digits doubled or transposed)
    i = int(rng.integers(0, len(a.rows)))
    true_number = str(a.rows[i][col["precinct"]])
    typo = (
        true_number[::-1] if len(true_number) > 1 and true_number[::-1] != true_number else true_number + "0"
    )
    a.rows[i][col["precinct"]] = typo
    note(a, i, "mistyped_precinct", f"precinct {true_number} typed as {typo}", f"KZ-75/{true_number}")
    # 2. swapped columns: ballots issued and ballots cancelled exchanged in one row
    i = int(rng.integers(0, len(b.rows)))
    r = b.rows[i]
    r[col["ballots_issued"]], r[col["ballots_cancelled"]] = (
        r[col["ballots_cancelled"]],
        r[col["ballots_issued"]],
    )
    note(
        b,
        i,
        "swapped_columns",
        "ballots_issued and ballots_cancelled exchanged",
        f"KZ-71/{r[col['precinct']]}",
    )
    # 3. a row whose lines do not add up: a party's votes mistyped
    i = int(rng.integers(0, len(c.rows)))
    r = c.rows[i]
    r[col["amanat"]] = int(r[col["amanat"]]) + 100
    note(
        c,
        i,
        "does_not_add_up",
        "amanat typed 100 too high: parties no longer sum to valid",
        f"KZ-79/{r[col['precinct']]}",
    )
    # 4. a duplicate row (sent twice)
    from saylau.reference import default_resolver

    i = int(rng.integers(0, len(d.rows)))
    d.rows.insert(i + 1, list(d.rows[i]))
    dup = d.rows[i + 1]
    note(d, i + 1, "duplicate", "same copy sent twice", f"{default_resolver().region(str(dup[0]))}/{dup[1]}")
    # 5. two observers disagreeing about one precinct (a second copy with other numbers)
    i = int(rng.integers(0, len(a.rows)))
    while a.rows[i][col["precinct"]] == typo:
        i = (i + 1) % len(a.rows)
    other = list(a.rows[i])
    moved = max(1, int(other[col["ak_zhol"]]) // 3)
    other[col["ak_zhol"]] = int(other[col["ak_zhol"]]) - moved
    other[col["amanat"]] = int(other[col["amanat"]]) + moved
    other[-4], other[-3] = "Сейткали Руслан", "+7 701 555 12 34"
    other[-1] = "вторая копия, цифры расходятся с первой"
    a.rows.insert(i + 1, other)
    note(
        a,
        i + 1,
        "conflicting_copy",
        f"second observer: {moved} votes moved from ak_zhol to amanat",
        f"KZ-75/{other[1]}",
    )
    # positions once every insertion is done (1-based data rows, the header not counted)
    for f, row, kind, detail, pec_id in marked:
        position = next(k for k, r in enumerate(f.rows) if r is row) + 1
        errors.append(dict(file=f.name, data_row=position, kind=kind, pec_id=pec_id, detail=detail))
    return errors


def _turnout_files(election: Election, rng: np.random.Generator) -> list[ObserverFile]:
    """Observers' head counts through the day, one file for the cities (ru) and one for the oblasts (kk)."""
    out = []
    counts = election.observer_turnout
    observers = election.observers.set_index("pec_id")
    for name, lang, cities in (("turnout_cities_2021-01-10.csv", "ru", True), ("turnout_oblystar_2021-01-10.xlsx", "kk", False)):  # fmt: skip
        h = observer_headers("turnout", lang, rng)
        columns = [
            "region",
            "precinct",
            "time",
            "registered",
            "voters_counted",
            "observer_name",
            "observer_phone",
        ]
        f = ObserverFile(name, "turnout", lang, [h[c] for c in columns])
        part = counts[counts["region_code"].isin(["KZ-71", "KZ-75", "KZ-79"]) == cities]
        for row in part.itertuples(index=False):
            obs = observers.loc[row.pec_id]
            f.rows.append(
                [
                    _region_name(election, row.region_code, lang),
                    row.pec_id.split("/")[1],
                    f"{row.hour:02d}:00",
                    int(row.registered),
                    int(row.voters_counted),
                    obs["name"],
                    obs["phone"],
                ]
            )
        out.append(f)
    return out


def _violation_files(election: Election, rng: np.random.Generator) -> list[ObserverFile]:
    """Violation reports, Russian (xlsx) for the cities and Kazakh (csv) for the oblasts."""
    out = []
    observers = election.observers.set_index("pec_id")
    v = election.violations
    for name, lang, cities in (("violations_cities_2021-01-10.xlsx", "ru", True), ("violations_oblystar_2021-01-10.csv", "kk", False)):  # fmt: skip
        h = observer_headers("violation", lang, rng)
        columns = [
            "region",
            "precinct",
            "time",
            "kind",
            "description",
            "photo_ref",
            "observer_name",
            "observer_phone",
        ]
        f = ObserverFile(name, "violation", lang, [h[c] for c in columns])
        for row in v[v["region_code"].isin(["KZ-71", "KZ-75", "KZ-79"]) == cities].itertuples(index=False):
            kind, description = VIOLATION_TEXT[lang][row.kind]
            obs = observers.loc[row.pec_id]
            f.rows.append(
                [
                    _region_name(election, row.region_code, lang),
                    row.pec_id.split("/")[1],
                    f"{row.hour:02d}:{row.minute:02d}",
                    kind,
                    description,
                    f"media/{row.report_id}.jpg",
                    obs["name"],
                    obs["phone"],
                ]
            )
        out.append(f)
    return out


def observer_files(election: Election) -> tuple[list[ObserverFile], list[dict]]:
    """Every observers' export of the election and the list of errors injected into them."""
    rng = np.random.default_rng([election.seed, 2])
    protocols, errors = _protocol_files(election, rng)
    return [*protocols, *_turnout_files(election, rng), *_violation_files(election, rng)], errors


# ------------------------------------------------------------------------------------------- writing


def csv_bytes(headers: list[str], rows: list[list[object]]) -> bytes:
    """A UTF-8 CSV (with BOM, as spreadsheet exports carry) with ``\\n`` line ends."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(headers)
    writer.writerows(rows)
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def xlsx_bytes(headers: list[str], rows: list[list[object]], sheet: str = "Лист1") -> bytes:
    """An XLSX workbook with one sheet, byte-identical for the same content (fixed timestamps)."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = sheet
    ws.append(headers)
    for row in rows:
        ws.append(row)
    raw = io.BytesIO()
    wb.save(raw)
    return normalise_xlsx(raw.getvalue())


def normalise_xlsx(data: bytes) -> bytes:
    """Rewrite an XLSX zip with fixed member times and fixed created/modified stamps."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in sorted(src.infolist(), key=lambda i: i.filename):
            body = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                body = re.sub(
                    rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*",
                    rb"\g<1>" + _FIXED_XLSX_STAMP.encode(),
                    body,
                )
            fixed = zipfile.ZipInfo(info.filename, date_time=_FIXED_ZIP_TIME)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o600 << 16
            dst.writestr(fixed, body)
    return out.getvalue()


def precinct_table(election: Election) -> pd.DataFrame:
    """The official precinct protocols in ``kz-precinct-csv`` shape: one row per precinct and contest."""
    frames = []
    abroad = election.precincts.set_index("pec_id")["abroad"]
    for contest in CONTESTS:
        f = election.protocol(contest, "official").copy()
        f.insert(0, "election_id", ELECTION_ID)
        f.insert(1, "contest_id", contest)
        f["precinct_number"] = f["pec_id"].str.split("/").str[1].astype("int64")
        f["abroad"] = f["pec_id"].map(abroad).map({True: "true", False: "false"})
        f["status"] = "final"
        frames.append(f[list(PRECINCT_CSV_COLUMNS)])
    return pd.concat(frames, ignore_index=True)


# Columns of official/precincts_<contest>.csv: the headers saylau.precincts reads as kz-precinct-csv
# (English variants of saylau/reference_data/observer_columns.csv, party columns headed by party id).
IMPORT_CSV_COLUMNS: tuple[str, ...] = ("region", "precinct", "contest", *PROTOCOL_LINES, *PARTIES)


def import_table(election: Election, contest: str) -> pd.DataFrame:
    """One contest's official precinct protocols as ``saylau import-precincts --format kz-precinct-csv`` reads
    them: region as ISO code, precinct number, contest id, the protocol lines, one column per party id."""
    f = election.protocol(contest, "official")
    out = pd.DataFrame(
        {
            "region": f["region_code"],
            "precinct": f["pec_id"].str.split("/").str[1].astype("int64"),
            "contest": contest,
        }
    )
    for column in (*PROTOCOL_LINES, *PARTIES):
        out[column] = f[column].to_numpy()
    return out


def _frame_csv(frame: pd.DataFrame) -> bytes:
    return frame.to_csv(index=False, lineterminator="\n").encode("utf-8")


def _json(value: object) -> bytes:
    return (json.dumps(value, ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode("utf-8")


def election_files(election: Election) -> dict[str, bytes]:
    """Every file of the demo folder, by relative path (without the manifest)."""
    files: dict[str, bytes] = {"official/precincts.csv": _frame_csv(precinct_table(election))}
    for contest in CONTESTS:
        files[f"official/precincts_{contest}.csv"] = _frame_csv(import_table(election, contest))
    exports, errors = observer_files(election)
    for f in exports:
        path = f"observers/{f.name}"
        files[path] = (
            csv_bytes(f.headers, f.rows) if f.name.endswith(".csv") else xlsx_bytes(f.headers, f.rows)
        )
    files["ground_truth/manipulation.csv"] = _frame_csv(election.manipulation)
    for version in ("honest", "pec"):
        frames = [election.protocol(c, version).assign(contest_id=c) for c in CONTESTS]
        files[f"ground_truth/protocols_{version}.csv"] = _frame_csv(pd.concat(frames, ignore_index=True))
    files["ground_truth/export_errors.json"] = _json(errors)
    files["ground_truth/summary.json"] = _json(ground_truth_summary(election))
    return files


def ground_truth_summary(election: Election) -> dict:
    """Totals per contest and version and counts of each manipulation kind: what the marts should find."""
    totals = {
        contest: {
            version: {
                k: int(v)
                for k, v in election.protocol(contest, version)[[*PROTOCOL_LINES, *PARTIES]].sum().items()
            }
            for version in ("honest", "pec", "official")
        }
        for contest in CONTESTS
    }
    m = election.manipulation
    kinds = {
        contest: {
            k: int(v) for k, v in m[m["contest"] == contest]["kind"].value_counts().sort_index().items()
        }
        for contest in CONTESTS
    }
    added = {
        contest: {
            "stuffed_ballots": int(m.loc[m["contest"] == contest, "stuffed_ballots"].sum()),
            "switched_votes": int(m.loc[m["contest"] == contest, "switched_votes"].sum()),
        }
        for contest in CONTESTS
    }
    return {
        "election_id": ELECTION_ID,
        "seed": election.seed,
        "totals": totals,
        "manipulated_precincts": kinds,
        "manipulation_size": added,
        "observed_precincts_rewritten": sorted(
            election.precincts.loc[election.precincts["rewritten"], "pec_id"]
        ),
    }


def write_election(election: Election, folder: Path) -> dict[str, str]:
    """Write the election's files under ``folder`` (created if needed); returns path -> sha256.

    Also writes ``MANIFEST.json`` with the same mapping. Files of an earlier run are overwritten.
    """
    folder = Path(folder)
    files = election_files(election)
    digests = {}
    for rel, data in sorted(files.items()):
        path = folder / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        digests[rel] = hashlib.sha256(data).hexdigest()
    (folder / "MANIFEST.json").write_bytes(_json(digests))
    return digests


def generate_into(folder: Path, seed: int | None = None, scale: int = 1) -> dict[str, str]:
    """Generate the demo election from ``seed`` (default: the project's) and write it under ``folder``;
    ``scale`` multiplies its precincts (``demo.election.generate``; benchmarks only)."""
    from demo.election import DEFAULT_SEED, generate

    return write_election(generate(DEFAULT_SEED if seed is None else seed, scale), folder)


def job_files(folder: Path):
    """What the demo job loads of the 2021 demo folder: the official precinct table (every contest) and
    the observers' exports."""
    from saylau import pipeline

    table = (folder / "official" / "precincts.csv", None, "official")
    return pipeline.ElectionFiles(ELECTION_ID, (table,), (folder / "observers",))


def load_folder(folder: Path, s: Settings):
    """A demo folder (:func:`generate_into`) into a new warehouse as ``make demo`` loads it (the demo job's
    files: reference data, the official precinct table, the observers' exports; no scraping, no publish).
    Returns the job's :class:`saylau.pipeline.FilesOutcome`."""
    from saylau import pipeline

    return pipeline.demo_files(s, [job_files(folder)], publish=False)
