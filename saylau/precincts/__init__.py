"""Precinct-level results tables (any post-Soviet CEC) -> wide protocol frames -> ``core.protocol_values``.

- :mod:`~saylau.precincts.table`: the table model (:class:`PrecinctTable`, :class:`BallotOption`), the
  import's errors, names and slugs, and the steps every format shares (reading the file through
  :mod:`saylau.load.tables`, count cells, one row per precinct).
- :mod:`~saylau.precincts.captions`: captions read by meaning (concepts and line rules), options, ids.
- :mod:`~saylau.precincts.columnmap`: a column map (``--columns MAP.csv``) for any other table.
- :mod:`~saylau.precincts.izbirkom`: ``izbirkom-csv``, Russia's CEC tables (any year; party, candidate and
  answer columns).
- :mod:`~saylau.precincts.kz`: ``kz-precinct-csv``, Kazakh tables (header mapping, contests, regions).
- :mod:`~saylau.precincts.register`: registering a foreign election in ``ref``; the leader
  (:func:`choose_leader`).
- :mod:`~saylau.precincts.store`: validation and the writes into core, quarantine, ``raw.files`` and
  ``core.precinct_imports``.
- :mod:`~saylau.precincts.load`: one import (:func:`import_precincts`, :func:`import_precinct_file`),
  given the run it writes under; runs and marts are the job's (``saylau.pipeline``).

Parsing is bytes in, rows out (:func:`parse_izbirkom`, :func:`parse_kz_precinct`).
"""

from saylau.load.tables import MAX_UNPACKED_BYTES
from saylau.precincts.captions import (
    CONCEPTS,
    LINE_RULES,
    Concept,
    LineRule,
    caption_concepts,
    caption_lines,
    read_columns,
)
from saylau.precincts.columnmap import ColumnMapError, read_column_map
from saylau.precincts.izbirkom import (
    KNOWN_PARTIES,
    izbirkom_line,
    izbirkom_option,
    izbirkom_party,
    parse_izbirkom,
    party_core_name,
)
from saylau.precincts.kz import KZ_CANONICAL_HEADERS, kz_column_mapping, kz_contests, parse_kz_precinct
from saylau.precincts.load import ImportResult, import_precinct_file, import_precincts, summary_lines
from saylau.precincts.register import (
    ElectionInfo,
    choose_leader,
    election_info_from_id,
    moscow_utc_offset,
    register_election,
)
from saylau.precincts.store import PROTOCOL_TABLE, validate_precincts
from saylau.precincts.table import (
    FORMATS,
    BallotOption,
    ColumnPlan,
    PrecinctImportError,
    PrecinctTable,
    UnknownCaptionError,
    caption_key,
    read_table,
    slug,
    transliterate,
)

__all__ = [
    "CONCEPTS",
    "FORMATS",
    "KNOWN_PARTIES",
    "KZ_CANONICAL_HEADERS",
    "MAX_UNPACKED_BYTES",
    "PROTOCOL_TABLE",
    "BallotOption",
    "ColumnMapError",
    "ColumnPlan",
    "Concept",
    "ElectionInfo",
    "LINE_RULES",
    "LineRule",
    "ImportResult",
    "PrecinctImportError",
    "PrecinctTable",
    "UnknownCaptionError",
    "caption_concepts",
    "caption_key",
    "caption_lines",
    "choose_leader",
    "election_info_from_id",
    "import_precinct_file",
    "import_precincts",
    "izbirkom_line",
    "izbirkom_option",
    "izbirkom_party",
    "kz_column_mapping",
    "kz_contests",
    "moscow_utc_offset",
    "parse_izbirkom",
    "parse_kz_precinct",
    "party_core_name",
    "read_column_map",
    "read_columns",
    "read_table",
    "register_election",
    "slug",
    "summary_lines",
    "transliterate",
    "validate_precincts",
]
