"""Replacing a served deployment's schedule on restart: the runs an earlier ``serve`` scheduled are removed
before serving again, so none runs with the old parameters.

Prefect's server deletes a deployment's *future* auto-scheduled runs when its schedule is updated, but keeps
those already due (the "Late" ones a stopped ``serve`` left behind), and a restarted runner would pick
them up with the parameters they were created with. :func:`clear_stale_runs` deletes every run of the
deployment still waiting to start (scheduled, late or not, never run), whoever scheduled it.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

DEPLOYMENT = "election_night/election-night"


def stale_runs(runs: Iterable[Any]) -> list[Any]:
    """The runs to delete: waiting in a Scheduled state (Late included) and never started. A run waiting
    for a concurrency slot or retrying (run_count > 0) was started by the old runner's flow; it is left."""
    return [
        r
        for r in runs
        if r.state is not None
        and str(getattr(r.state.type, "value", r.state.type)) == "SCHEDULED"
        and r.state.name != "AwaitingConcurrencySlot"
        and not r.run_count
    ]


def clear_stale_runs(deployment: str = DEPLOYMENT) -> list[str]:
    """Delete the waiting runs of ``deployment`` (flow/deployment) on the server PREFECT_API_URL names;
    returns their names (none when the deployment does not exist yet)."""
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import (
        DeploymentFilter,
        DeploymentFilterId,
        FlowRunFilter,
        FlowRunFilterState,
        FlowRunFilterStateType,
    )
    from prefect.client.schemas.objects import StateType
    from prefect.exceptions import ObjectNotFound

    with get_client(sync_client=True) as client:
        try:
            dep = client.read_deployment_by_name(deployment)
        except ObjectNotFound:
            return []
        runs = client.read_flow_runs(
            deployment_filter=DeploymentFilter(id=DeploymentFilterId(any_=[dep.id])),
            flow_run_filter=FlowRunFilter(
                state=FlowRunFilterState(type=FlowRunFilterStateType(any_=[StateType.SCHEDULED]))
            ),
        )
        names = []
        for run in stale_runs(runs):
            try:
                client.delete_flow_run(run.id)
            except ObjectNotFound:
                continue  # taken or removed meanwhile
            names.append(run.name)
        return names
