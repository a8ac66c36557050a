"""The SQL runner: lineage read from each model's text, dependency order, cycles named, selections, the
layers' rules, build times in meta.model_builds, and the real sql/ graph."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pytest

from saylau import marts, sqlrun, warehouse

SETUP = "create schema staging; create schema intermediate; create schema marts; create schema core;\n"


def _tree(tmp_path: Path, files: dict[str, str]) -> Path:
    for rel, sql in files.items():
        path = tmp_path / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(sql)
    return tmp_path


def _chain(tmp_path: Path) -> Path:
    """core.t -> int_a -> int_b (also reads int_a) -> marts.m; marts.n reads int_a only; marts.s reads m."""
    return _tree(
        tmp_path,
        {
            "20_intermediate/int_b.sql": (
                "create or replace table intermediate.int_b as\n"
                "with a as (select * from intermediate.int_a), w as (select v * 2 as v from a)\n"
                "select * from w"
            ),
            "20_intermediate/int_a.sql": "create or replace view intermediate.int_a as select v from core.t",
            "30_marts/m.sql": "create or replace table marts.m as select * from intermediate.int_b",
            "30_marts/n.sql": "create or replace table marts.n as select count(*) as k from intermediate.int_a",
            "30_marts/s.sql": "create or replace table marts.s as select * from marts.m",
            "10_staging/stg_core__t.sql": "create or replace view staging.stg_core__t as select v from core.t",
        },
    )


def test_inputs_come_from_the_sql_text_not_file_names(tmp_path):
    graph = sqlrun.model_graph(_chain(tmp_path))
    assert graph.inputs("intermediate.int_b") == ["intermediate.int_a"]  # the CTEs a and w are not inputs
    assert graph.sources("intermediate.int_a") == ["core.t"]
    assert graph.models["intermediate.int_a"].materialized == "view"
    order = [m.name for m in graph.order()]
    # phase by phase, each after what it reads, though int_b sorts before int_a by name
    assert order == [
        "staging.stg_core__t",
        "intermediate.int_a",
        "intermediate.int_b",
        "marts.m",
        "marts.n",
        "marts.s",
    ]


def test_select_model_builds_what_it_reads_and_model_plus_what_reads_it(tmp_path):
    graph = sqlrun.model_graph(_chain(tmp_path))
    assert graph.select(["m"]) == {"intermediate.int_a", "intermediate.int_b", "marts.m"}
    assert graph.select(["int_b+"]) == {"intermediate.int_a", "intermediate.int_b", "marts.m", "marts.s"}
    assert graph.select(["marts.n"]) == {"intermediate.int_a", "marts.n"}
    with pytest.raises(sqlrun.UnknownModelError, match="no model 'nope'"):
        graph.select(["nope"])


def test_a_cycle_fails_naming_it(tmp_path):
    _tree(
        tmp_path,
        {
            "20_intermediate/int_x.sql": "create or replace view intermediate.int_x as select * from intermediate.int_y",
            "20_intermediate/int_y.sql": "create or replace view intermediate.int_y as select * from intermediate.int_x",
            "30_marts/ok.sql": "create or replace table marts.ok as select 1 as one",
        },
    )
    graph = sqlrun.model_graph(tmp_path)
    with pytest.raises(sqlrun.SqlCycleError, match=r"intermediate\.int_(x|y) .* -> intermediate\.int_(y|x)"):
        graph.order()


@pytest.mark.parametrize(
    ("rel", "sql", "message"),
    [
        # a temporary table made by another file
        ("30_marts/m.sql", "create or replace table marts.m as select * from int_tmp", "without a schema"),
        # named for what it holds: the file stem is the relation
        (
            "30_marts/m.sql",
            "create or replace table marts.other as select 1 as x",
            "expected table or view marts.m",
        ),
        # one model per file
        (
            "30_marts/m.sql",
            "create or replace table marts.m as select 1 as x; create or replace table marts.m2 as select 2 as x",
            "one statement",
        ),
        # intermediate models live in their own schema, not in core
        (
            "20_intermediate/int_a.sql",
            "create or replace table core.int_a as select 1 as x",
            "intermediate.int_a",
        ),
        # a layer reads only what comes before it
        (
            "20_intermediate/int_a.sql",
            "create or replace view intermediate.int_a as select * from marts.late",
            "of a later phase",
        ),
    ],
)
def test_models_that_break_the_layers_rules_are_refused_naming_the_file(tmp_path, rel, sql, message):
    _tree(tmp_path, {rel: sql, "30_marts/late.sql": "create or replace table marts.late as select 1 as x"})
    with pytest.raises(sqlrun.SqlFileError, match=message) as err:
        sqlrun.model_graph(tmp_path)
    assert rel in str(err.value)


def test_run_models_builds_in_order_and_times_each(tmp_path):
    graph = sqlrun.model_graph(_chain(tmp_path))
    con = duckdb.connect()
    con.execute(SETUP + "create table core.t as select * from range(3) as r(v)")
    phases = []
    builds = sqlrun.run_models(con, graph, graph.select(["s"]), after_phase=phases.append)
    assert [b.model for b in builds] == ["intermediate.int_a", "intermediate.int_b", "marts.m", "marts.s"]
    assert {b.model: b.rows for b in builds} == {
        "intermediate.int_a": None,  # a view
        "intermediate.int_b": 3,
        "marts.m": 3,
        "marts.s": 3,
    }
    assert all(b.seconds >= 0 for b in builds)
    assert phases == list(sqlrun.BUILD_PHASES)  # every phase, even one with nothing selected
    assert con.execute("select sum(v) from marts.s").fetchone() == (6,)
    assert "marts.n" not in {
        r[0]
        for r in con.execute(
            "select table_schema || '.' || table_name from information_schema.tables"
        ).fetchall()
    }


def test_checks_of_a_selection_are_those_reading_it_or_no_model(tmp_path):
    _chain(tmp_path)
    _tree(
        tmp_path,
        {
            "90_checks/grain_m.sql": "select v, count(*) from marts.m group by v having count(*) > 1",
            "90_checks/n_positive.sql": "select * from marts.n where k < 0",
            "90_checks/t_small.sql": "select * from core.t where v > 1",
        },
    )
    con = duckdb.connect()
    con.execute(SETUP + "create table core.t as select * from (values (1), (1), (2)) as r(v)")
    graph = sqlrun.model_graph(tmp_path)
    sqlrun.run_models(con, graph, graph.select(["m"]))
    failures = sqlrun.run_checks(con, tmp_path, models=["marts.m"])  # marts.n was not built: not checked
    assert sorted((f.check, f.rows) for f in failures) == [("grain_m", 1), ("t_small", 1)]


def test_the_warehouse_graph(tmp_path):
    graph = sqlrun.model_graph()
    names = set(graph.models)
    # intermediate models in their own schema, staging models where staging renames or casts
    assert {m.split(".")[0] for m in names} == {"staging", "intermediate", "marts"}
    assert not [m for m in names if m.startswith("core.")]
    # one current-version rule and one leader rule, read by every model needing them
    current = "intermediate.int_protocol_values_current"
    leaders = "intermediate.int_contest_leaders"
    assert graph.dependents(current) == [
        leaders,
        "intermediate.int_district_results_official",  # a district's published figures
        "intermediate.int_pec_values",
        "intermediate.int_results_published",
        "intermediate.int_results_shares_only",
        "intermediate.int_results_summed_from_pec",
        "marts.election_totals",
        "marts.official_conflicts",  # marks the version the marts show among all versions
        "marts.threshold_check",
    ]
    readers = {m for m in names if "core.protocol_values" in graph.models[m].reads}
    assert readers == {
        current,
        "marts.elections",
        "marts.official_conflicts",
    }  # counts / versions, not latest
    for mart in ("election_totals", "discrepancy_pec_summary", "observer_effect", "forensics_shpilkin"):
        assert leaders in graph.select([mart]), mart
    assert graph.inputs("marts.results_official") == [
        "intermediate.int_results_published",
        "intermediate.int_results_shares_only",
        "intermediate.int_results_summed_from_pec",
    ]
    # every mart's grain is a check
    checks = {c.name for c in graph.checks}
    for mart in (m for m in names if m.startswith("marts.")):
        assert f"grain_{mart.split('.')[1]}" in checks, mart
    assert len(graph.describe()) == len(graph.models)


def test_build_marts_records_each_models_time_and_a_marts_run_builds_its_selection(ref_warehouse):
    with warehouse.connect(ref_warehouse) as con:
        con.execute(
            "insert into meta.runs (run_id, flow, started_at, status, code_version, parameters) "
            "values ('r1', 'marts', now(), 'running', 'test', ?)",
            [json.dumps({"select": ["elections"]})],
        )
        marts.build_marts(con)
        built = con.execute("select run_id, model, rows from meta.model_builds").fetchall()
        assert built == [
            ("r1", "marts.elections", con.execute("select count(*) from marts.elections").fetchone()[0])
        ]
        con.execute("update meta.runs set status = 'completed'")
        marts.build_marts(con, run_id="r2")
        models = {
            r[0] for r in con.execute("select model from meta.model_builds where run_id = 'r2'").fetchall()
        }
    assert models == set(sqlrun.model_graph().models)


def test_the_graph_in_docs_is_the_graph():
    """docs/warehouse.md lists every model in build order with what it reads, as ``saylau marts --list``
    prints it (after adding or changing a model: paste that output there)."""
    doc = (Path(__file__).parent.parent / "docs" / "warehouse.md").read_text(encoding="utf-8")
    assert "\n".join(sqlrun.model_graph().describe()) in doc


def test_every_model_reads_its_relations_through_import_ctes_at_the_top():
    """Each relation a model reads is named once, in an import CTE (`x as (select * from rel [where ...])`),
    and the import CTEs come before the model's own CTEs."""
    import sqlglot
    from sqlglot import exp

    def is_import(cte: exp.CTE) -> bool:
        sel = cte.this
        return (
            isinstance(sel, exp.Select)
            and [type(e) for e in sel.expressions] == [exp.Star]
            and not sel.args.get("joins")
            and isinstance(sel.args["from_"].this, exp.Table)
            and bool(sel.args["from_"].this.db)  # a relation, not another CTE
        )

    for model in sqlrun.model_graph().models.values():
        query = sqlglot.parse_one(model.path.read_text(encoding="utf-8"), dialect="duckdb").expression
        ctes = list(query.ctes)
        kinds = [is_import(c) for c in ctes]
        assert kinds == sorted(kinds, reverse=True), f"{model.name}: an import CTE after the model's own"
        outside = {
            f"{t.db}.{t.name}"
            for t in query.find_all(exp.Table)
            if t.db and not (t.find_ancestor(exp.CTE) is not None and is_import(t.find_ancestor(exp.CTE)))
        }
        assert not outside, f"{model.name} reads {outside} outside its import CTEs"
