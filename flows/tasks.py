"""Prefect tasks: each wraps one saylau function and passes paths, never connections."""

from __future__ import annotations

from pathlib import Path

from prefect import task
from prefect.cache_policies import NO_CACHE

from saylau import marts, publish, reference, warehouse


@task(name="prepare-warehouse", cache_policy=NO_CACHE)
def prepare_warehouse(db_path: Path) -> dict[str, int]:
    """Create the warehouse from sql/00_setup and (re)load the reference data; returns ref row counts."""
    warehouse.create_warehouse(db_path)
    with warehouse.connect(db_path) as con:
        return reference.load_reference(con)


@task(name="build-marts", cache_policy=NO_CACHE)
def build_marts(db_path: Path) -> dict[str, marts.MartChecksum]:
    """Rebuild every mart and run the data checks; returns each mart's checksum."""
    with warehouse.connect(db_path) as con:
        return marts.build_marts(con)


@task(name="publish", cache_policy=NO_CACHE)
def publish_warehouse(db_path: Path, published_db: Path, parquet_dir: Path) -> publish.PublishResult:
    """Atomically replace the published database and its Parquet files."""
    return publish.publish(db_path, published_db, parquet_dir)
