"""Run the warehouse's plain .sql files: setup in name order, models in the order of what each reads.

``sql/`` holds one folder per phase. ``00_setup`` is idempotent DDL, run in file-name order. The model
phases hold one model per file, each one ``create or replace table|view <schema>.<file stem> as ...``:

| phase             | schema         | what a model there is                                          |
|-------------------|----------------|----------------------------------------------------------------|
| ``10_staging``      | ``staging``      | ``stg_<source>__<entity>s``: a source renamed and cast (views)   |
| ``20_intermediate`` | ``intermediate`` | ``int_<entity>s_<verb>ed``: the rules shared by the marts        |
| ``30_marts``        | ``marts``        | what analysts query                                            |

Each model's inputs are read from its SQL text by ``sqlglot`` (DuckDB dialect): every table it names that
is not one of its own CTEs. :func:`model_graph` holds the models and what they read; models run in
dependency order, phase by phase (a model never reads a model of a later phase), and a cycle fails
naming it. ``90_checks`` holds queries whose every returned row is a failure.
"""

from __future__ import annotations

import heapq
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from graphlib import CycleError, TopologicalSorter
from pathlib import Path

import duckdb
import sqlglot
from sqlglot import exp

from saylau.config import SQL_DIR

BUILD_PHASES = ("10_staging", "20_intermediate", "30_marts")
PHASE_SCHEMAS = {"10_staging": "staging", "20_intermediate": "intermediate", "30_marts": "marts"}
CHECKS = "90_checks"
DIALECT = "duckdb"


class SqlFileError(RuntimeError):
    """A .sql file failed or is not a model the runner can place; the message names the file."""


class SqlCycleError(SqlFileError):
    """Models that read each other in a circle; the message names the cycle."""


class UnknownModelError(SqlFileError):
    """A selection names no model."""


@dataclass(frozen=True)
class CheckFailure:
    """A check query that returned rows: the file, how many rows, and the first few of them."""

    check: str
    rows: int
    sample: list[tuple]

    def __str__(self) -> str:
        return f"{self.check}: {self.rows} offending row(s), e.g. {self.sample[:3]}"


@dataclass(frozen=True)
class Model:
    """One model file: the relation it creates, how, and every relation its SQL reads."""

    name: str  # 'marts.results_official'
    path: Path
    phase: str
    materialized: str  # 'table' | 'view'
    reads: frozenset[str]  # qualified relations, models or sources ('core.protocol_values')

    @property
    def short(self) -> str:
        return self.name.split(".", 1)[1]


@dataclass(frozen=True)
class Check:
    """One check query and the relations it reads."""

    name: str
    path: Path
    reads: frozenset[str]


@dataclass(frozen=True)
class ModelBuild:
    """How long one model took to build and how many rows it holds (NULL for a view)."""

    model: str
    seconds: float
    rows: int | None


def _rel(path: Path) -> str:
    return f"{path.parent.name}/{path.name}"


def _statements(path: Path) -> list[exp.Expression]:
    try:
        parsed = sqlglot.parse(path.read_text(encoding="utf-8"), dialect=DIALECT)
    except sqlglot.errors.ParseError as exc:
        raise SqlFileError(f"{_rel(path)}: sqlglot cannot parse it: {exc}") from exc
    return [s for s in parsed if s is not None and not isinstance(s, exp.Semicolon)]


def relations_read(query: exp.Expression) -> frozenset[str]:
    """Every table a query names that is not one of its CTEs, lower-cased, ``schema.name`` when qualified."""
    ctes = {cte.alias_or_name.lower() for cte in query.find_all(exp.CTE)}
    names = set()
    for table in query.find_all(exp.Table):
        if not isinstance(table.this, exp.Identifier):  # a table function: range(...), read_csv(...)
            continue
        name, schema = table.name.lower(), table.db.lower()
        if schema:
            names.add(f"{schema}.{name}")
        elif name not in ctes:
            names.add(name)
    return frozenset(names)


def parse_model(path: Path, phase: str) -> Model:
    """Read one model file: it must create exactly ``<phase schema>.<file stem>``, as a table or a view,
    and read only schema-qualified relations (a temporary table of another file cannot be read)."""
    statements = _statements(path)
    expected = f"{PHASE_SCHEMAS[phase]}.{path.stem}"
    if len(statements) != 1 or not isinstance(statements[0], exp.Create):
        raise SqlFileError(f"{_rel(path)}: a model file holds one statement, create or replace {expected}")
    create = statements[0]
    kind = (create.args.get("kind") or "").lower()
    target = create.this.find(exp.Table) if create.this is not None else None
    name = f"{target.db}.{target.name}".lower() if target is not None else ""
    if kind not in ("table", "view") or name != expected or create.args.get("properties"):
        raise SqlFileError(f"{_rel(path)}: creates {kind} {name or '?'}, expected table or view {expected}")
    reads = relations_read(create.expression)
    unqualified = sorted(r for r in reads if "." not in r)
    if unqualified:
        raise SqlFileError(
            f"{_rel(path)}: reads {', '.join(unqualified)} without a schema (a temporary table lives only "
            "for the connection that made it: read a model or a source by schema.name)"
        )
    return Model(expected, path, phase, kind, reads - {expected})


@dataclass
class Graph:
    """The models of ``sql/`` and what each reads; :meth:`order` is the order they build in."""

    models: dict[str, Model]
    checks: list[Check] = field(default_factory=list)

    def inputs(self, name: str) -> list[str]:
        """The models ``name`` reads (its sources are the rest of ``models[name].reads``)."""
        return sorted(r for r in self.models[name].reads if r in self.models)

    def sources(self, name: str) -> list[str]:
        return sorted(r for r in self.models[name].reads if r not in self.models)

    def dependents(self, name: str) -> list[str]:
        return sorted(m for m in self.models if name in self.models[m].reads)

    def _closure(self, name: str, step: Callable[[str], list[str]]) -> set[str]:
        seen, todo = set(), [name]
        while todo:
            for nxt in step(todo.pop()):
                if nxt not in seen:
                    seen.add(nxt)
                    todo.append(nxt)
        return seen

    def resolve(self, spec: str) -> str:
        """A model by its qualified name ('marts.results_official') or its file stem ('results_official')."""
        key = spec.strip().lower()
        if key in self.models:
            return key
        matches = [m for m in self.models if self.models[m].short == key]
        if len(matches) == 1:
            return matches[0]
        raise UnknownModelError(f"no model {spec!r}; models: {', '.join(sorted(self.models))}")

    def select(self, specs: Iterable[str]) -> set[str]:
        """``MODEL``: the model and every model it reads, transitively; ``MODEL+``: also every model that
        reads it, transitively."""
        chosen: set[str] = set()
        for spec in specs:
            downstream = spec.endswith("+")
            name = self.resolve(spec.rstrip("+"))
            chosen |= {name} | self._closure(name, self.inputs)
            if downstream:
                chosen |= self._closure(name, self.dependents)
        return chosen

    def order(self, names: Iterable[str] | None = None) -> list[Model]:
        """The models (all, or ``names``) in the order they build: phase by phase, each after what it reads
        (ties by name). Raises :class:`SqlCycleError` naming a cycle."""
        wanted = set(self.models if names is None else names)
        deps = {n: {d for d in self.inputs(n) if d in wanted} for n in wanted}
        try:
            TopologicalSorter(deps).prepare()
        except CycleError as exc:
            cycle = exc.args[1]
            raise SqlCycleError(
                "models read each other in a cycle: "
                + " -> ".join(f"{c} ({_rel(self.models[c].path)})" for c in cycle)
            ) from exc
        rank = {p: i for i, p in enumerate(BUILD_PHASES)}
        waiting = {n: len(d) for n, d in deps.items()}
        ready = [(rank[self.models[n].phase], n) for n, k in waiting.items() if k == 0]
        heapq.heapify(ready)
        out = []
        while ready:
            _, name = heapq.heappop(ready)
            out.append(self.models[name])
            for dep in self.dependents(name):
                if dep in waiting:
                    waiting[dep] -= 1
                    if waiting[dep] == 0:
                        heapq.heappush(ready, (rank[self.models[dep].phase], dep))
        return out

    def describe(self) -> list[str]:
        """The graph as text (``saylau marts --list``, docs/warehouse.md): one line per model in build order,
        what it reads: models by name, then sources schema-qualified."""
        lines = []
        for m in self.order():
            reads = [r.split(".", 1)[1] for r in self.inputs(m.name)] + self.sources(m.name)
            lines.append(f"{m.name:<45} <- {', '.join(reads)}")
        return lines


def model_graph(sql_dir: Path = SQL_DIR) -> Graph:
    """Every model of the build phases and every check, with what each reads. A model reading a model of a
    later phase is refused (staging reads sources, intermediate models read staging and each other, marts
    read anything before them)."""
    models: dict[str, Model] = {}
    for phase in BUILD_PHASES:
        for path in sql_files(phase, sql_dir):
            model = parse_model(path, phase)
            models[model.name] = model
    rank = {p: i for i, p in enumerate(BUILD_PHASES)}
    for m in models.values():
        later = sorted(r for r in m.reads if r in models and rank[models[r].phase] > rank[m.phase])
        if later:
            raise SqlFileError(f"{_rel(m.path)}: reads {', '.join(later)} of a later phase")
    checks = []
    for path in sql_files(CHECKS, sql_dir):
        statements = _statements(path)
        reads = frozenset().union(*(relations_read(s) for s in statements)) if statements else frozenset()
        checks.append(Check(path.stem, path, reads))
    return Graph(models, checks)


def sql_files(phase: str, sql_dir: Path = SQL_DIR) -> list[Path]:
    """The .sql files of one phase, in name order."""
    return sorted((sql_dir / phase).glob("*.sql"))


def run_file(con: duckdb.DuckDBPyConnection, path: Path) -> None:
    """Execute every statement of one file; a failure names the file."""
    try:
        con.execute(path.read_text(encoding="utf-8"))
    except duckdb.Error as exc:
        raise SqlFileError(f"{_rel(path)}: {exc}") from exc


def build_model(con: duckdb.DuckDBPyConnection, model: Model) -> ModelBuild:
    """Run one model's file; return its build time and (for a table) its rows."""
    start = time.perf_counter()
    run_file(con, model.path)
    seconds = time.perf_counter() - start
    rows = None
    if model.materialized == "table":
        rows = con.execute(f"select count(*) from {model.name}").fetchone()[0]
    return ModelBuild(model.name, seconds, rows)


def run_models(
    con: duckdb.DuckDBPyConnection,
    graph: Graph,
    names: Iterable[str] | None = None,
    after_phase: Callable[[str], None] | None = None,
) -> list[ModelBuild]:
    """Build the models (all, or ``names``) in dependency order; ``after_phase(phase)`` runs after each
    phase (every phase, also one with nothing selected)."""
    ordered = graph.order(names)
    builds = []
    for phase in BUILD_PHASES:
        builds += [build_model(con, m) for m in ordered if m.phase == phase]
        if after_phase:
            after_phase(phase)
    return builds


def run_phase(con: duckdb.DuckDBPyConnection, phase: str, sql_dir: Path = SQL_DIR) -> list[Path]:
    """Run one phase and return its files: setup in name order, a model phase in dependency order."""
    if phase not in BUILD_PHASES:
        files = sql_files(phase, sql_dir)
        for path in files:
            run_file(con, path)
        return files
    graph = model_graph(sql_dir)
    models = [m for m in graph.order() if m.phase == phase]
    for m in models:
        build_model(con, m)
    return [m.path for m in models]


def run_checks(
    con: duckdb.DuckDBPyConnection, sql_dir: Path = SQL_DIR, models: Sequence[str] | None = None
) -> list[CheckFailure]:
    """Run the check queries (with ``models``: those reading one of them or no model at all); each returned
    row is a failure."""
    graph = model_graph(sql_dir)
    failures = []
    for check in graph.checks:
        if models is not None:
            read_models = check.reads & graph.models.keys()
            if read_models and not read_models & set(models):
                continue
        try:
            rows = con.execute(check.path.read_text(encoding="utf-8")).fetchall()
        except duckdb.Error as exc:
            raise SqlFileError(f"{_rel(check.path)}: {exc}") from exc
        if rows:
            failures.append(CheckFailure(check.name, len(rows), rows[:5]))
    return failures
