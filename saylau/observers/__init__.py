"""Observers' exports in: protocol copies, turnout counts, violation reports and published summary tables,
from CSV or XLSX. One module per stage, in the order a file goes through them:

- :mod:`~saylau.observers.cells`: the export's cells as text, through the one table reader
  (:mod:`saylau.load.tables`); :class:`ObserverFileError` for a file that cannot be read at all.
- :mod:`~saylau.observers.columns`: headers -> canonical columns (the versioned mapping, party columns).
- :mod:`~saylau.observers.personal`: the salt, observer hashes, personal data scrubbed from free text.
- :mod:`~saylau.observers.parse`: bytes in, a staging frame out (places, contests, times, counts).
- :mod:`~saylau.observers.validate`: formula cells, the pandera models, problems named by file/row/column.
- :mod:`~saylau.observers.store`: staging and core writes, which disagreeing copy counts, conflicts.
- :mod:`~saylau.observers.load`: one file (archive, parse, validate, store in one transaction), or many.
- :mod:`~saylau.observers.summary`: published summary tables, stored as they are and checked.
- :mod:`~saylau.observers.templates`: the templates organisations fill in.

The names other modules use are re-exported here (``from saylau.observers import load_observers``).
"""

from __future__ import annotations

from saylau.observers.cells import MAX_ROWS, ObserverFileError, parse_count, read_cells, read_headers
from saylau.observers.columns import (
    FILE_KINDS,
    MAPPING_FILE,
    TABLES,
    ColumnMap,
    header_mapping,
    map_columns,
    normalise_header,
    party_of_header,
)
from saylau.observers.load import (
    MAX_FILE_BYTES,
    LoadResult,
    current_elections,
    expand_files,
    expand_paths,
    load_observer_file,
    load_observers,
    withdraw_observer_file,
    withdraw_observers,
)
from saylau.observers.parse import (
    CONTEST_NAMES,
    DEFAULT_ORGANISATION,
    ParsedExport,
    contest_id,
    organisation_id,
    parse_export,
)
from saylau.observers.personal import (
    PERSONAL_COLUMNS,
    SALT_ENV,
    observer_hash,
    personal_patterns,
    pii_salt,
    scrub_text,
)
from saylau.observers.store import (
    CORE_TABLES,
    OBSERVER_VIEWS,
    ensure_views,
    record_conflicts,
    resolve_observer_protocols,
)
from saylau.observers.summary import (
    AggregateLoad,
    AggregateWarning,
    check_aggregate,
    check_stated_average,
    load_aggregate,
    looks_like_aggregate,
    read_aggregate,
)
from saylau.observers.templates import (
    COLUMN_HELP,
    TEMPLATE_COLUMNS,
    TEMPLATE_DIR,
    TEMPLATE_NAMES,
    template_rows,
    write_templates,
)
from saylau.observers.validate import (
    FORMULA_REASON,
    FORMULA_RULE,
    ElectionContext,
    election_context,
    formula_cells,
    is_formula,
    problems_of,
    validate_export,
)

__all__ = [
    "CONTEST_NAMES",
    "COLUMN_HELP",
    "CORE_TABLES",
    "DEFAULT_ORGANISATION",
    "FILE_KINDS",
    "FORMULA_REASON",
    "FORMULA_RULE",
    "MAPPING_FILE",
    "MAX_FILE_BYTES",
    "MAX_ROWS",
    "OBSERVER_VIEWS",
    "PERSONAL_COLUMNS",
    "SALT_ENV",
    "TABLES",
    "TEMPLATE_COLUMNS",
    "TEMPLATE_DIR",
    "TEMPLATE_NAMES",
    "AggregateLoad",
    "AggregateWarning",
    "ColumnMap",
    "ElectionContext",
    "LoadResult",
    "ObserverFileError",
    "ParsedExport",
    "check_aggregate",
    "check_stated_average",
    "contest_id",
    "election_context",
    "ensure_views",
    "current_elections",
    "expand_files",
    "expand_paths",
    "formula_cells",
    "header_mapping",
    "is_formula",
    "load_aggregate",
    "load_observer_file",
    "load_observers",
    "withdraw_observer_file",
    "withdraw_observers",
    "looks_like_aggregate",
    "map_columns",
    "normalise_header",
    "observer_hash",
    "organisation_id",
    "parse_count",
    "parse_export",
    "party_of_header",
    "personal_patterns",
    "pii_salt",
    "problems_of",
    "read_aggregate",
    "read_cells",
    "read_headers",
    "record_conflicts",
    "resolve_observer_protocols",
    "scrub_text",
    "template_rows",
    "validate_export",
    "write_templates",
]
