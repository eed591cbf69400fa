"""Auditors replay history over HTTP: events, states as of a moment, diffs, exports."""

from __future__ import annotations

import csv
import io
import itertools
import json
import sys
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from temporalio.testing import WorkflowEnvironment

from api.auth import Role
from domain.commitments.model import Commitment
from domain.scenario import CITY_CODE, reference_facts
from projections.audit.export import COLUMNS
from tests.api.reference import City, city

__all__ = ["city"]

AUDIT = "/api/v1/audit"
MORNING = "2023-10-18T09:00:00%2B07:00"
EVENING = "2023-10-18T23:59:59%2B07:00"


def commitment_id() -> uuid.UUID:
    """The smart-city commitment signed on 18 Oct 2023."""
    return Commitment.create_id(CITY_CODE, reference_facts()["commitment"]["slug"])


@pytest.fixture
async def temporal() -> AsyncIterator[WorkflowEnvironment]:
    """A Temporal dev server of this test alone."""
    env = await WorkflowEnvironment.start_local(
        dev_server_existing_path=str(Path(sys.executable).parent / "temporal")
    )
    try:
        yield env
    finally:
        await env.shutdown()


async def test_the_commitment_had_no_signature_at_nine_and_all_but_one_by_evening(
    city: City,
) -> None:
    path = f"{AUDIT}/aggregates/{commitment_id()}/state?time=effective&as_of="
    morning = await city.client.get(path + MORNING, headers=city.auth(Role.AUDITOR))
    evening = await city.client.get(path + EVENING, headers=city.auth(Role.AUDITOR))
    assert morning.status_code == evening.status_code == 200
    assert morning.json()["state"]["signatures"] == {}
    signed = evening.json()["state"]["signatures"]
    required = evening.json()["state"]["required"]
    assert len(signed) == len(required) - 1
    assert evening.json()["state"]["completed_at"] is None


async def test_as_recorded_the_commitment_did_not_exist_on_the_day_it_was_signed(
    city: City,
) -> None:
    path = f"{AUDIT}/aggregates/{commitment_id()}/state?time=recorded&as_of={EVENING}"
    answer = await city.client.get(path, headers=city.auth(Role.INSPECTORATE))
    assert answer.status_code == 200
    assert answer.json()["state"] is None


async def test_the_state_after_a_version_is_the_record_after_that_event(city: City) -> None:
    path = f"{AUDIT}/aggregates/{commitment_id()}/state?version=2"
    answer = await city.client.get(path, headers=city.auth(Role.AUDITOR))
    assert answer.json()["version"] == 2
    assert len(answer.json()["state"]["signatures"]) == 1


async def test_the_diff_of_the_day_lists_every_signature_put_that_day(city: City) -> None:
    path = f"{AUDIT}/aggregates/{commitment_id()}/diff?time=effective&from={MORNING}&to={EVENING}"
    answer = await city.client.get(path, headers=city.auth(Role.AUDITOR))
    assert answer.status_code == 200
    body = answer.json()
    assert "signatures" in body["changes"]
    signed = [e for e in body["events"] if e["event_type"] == "Signed"]
    assert len(signed) == len(body["after"]["signatures"])
    assert {e["actor"] for e in signed} == {"sekretariat.diskominfo"}


async def test_the_log_is_read_a_page_at_a_time_in_order(city: City) -> None:
    first = await city.client.get(f"{AUDIT}/events?limit=5", headers=city.auth(Role.AUDITOR))
    cursor = first.json()["next_cursor"]
    second = await city.client.get(
        f"{AUDIT}/events?limit=5&cursor={cursor}", headers=city.auth(Role.AUDITOR)
    )
    positions = [e["position"] for e in first.json()["items"] + second.json()["items"]]
    assert positions == list(range(1, 11))
    assert all(e["hash"] for e in first.json()["items"])


async def test_the_events_of_one_record_name_who_and_in_which_capacity(city: City) -> None:
    path = f"{AUDIT}/aggregates/{commitment_id()}/events"
    answer = await city.client.get(path, headers=city.auth(Role.AUDITOR))
    events = answer.json()["items"]
    assert events[0]["event_type"] == "Created"
    assert [e["version"] for e in events] == list(range(1, len(events) + 1))
    assert {e["capacity"] for e in events} == {"staff"}


async def test_the_export_streams_json_lines_with_a_header_and_every_event(city: City) -> None:
    answer = await city.client.get(f"{AUDIT}/export?format=jsonl", headers=city.auth(Role.AUDITOR))
    lines = [json.loads(line) for line in answer.text.splitlines()]
    assert answer.status_code == 200
    assert lines[0]["record"] == "header"
    assert [e["position"] for e in lines[1:]] == list(
        range(1, city.app.state.store.max_position() + 1)
    )


async def test_the_export_streams_csv_with_the_documented_columns(city: City) -> None:
    answer = await city.client.get(f"{AUDIT}/export?format=csv", headers=city.auth(Role.AUDITOR))
    rows = list(itertools.takewhile(any, csv.reader(io.StringIO(answer.text))))
    assert answer.headers["content-type"].startswith("text/csv")
    assert tuple(rows[0]) == COLUMNS
    assert len(rows) - 1 == city.app.state.store.max_position()


async def test_no_role_may_change_the_audit_trail(city: City) -> None:
    refused = await city.client.get(f"{AUDIT}/events", headers=city.auth(Role.OPD_HEAD))
    written = await city.client.post(f"{AUDIT}/events", json={}, headers=city.auth(Role.AUDITOR))
    assert refused.status_code == 403
    assert written.status_code == 405


async def test_temporal_history_of_an_approval_while_temporal_keeps_it(
    city: City, temporal: WorkflowEnvironment
) -> None:
    city.app.state.temporal = temporal.client
    kept, gone = uuid.uuid4(), uuid.uuid4()
    await temporal.client.start_workflow(
        "ApprovalWorkflow", "x", id=f"approval/{kept}", task_queue=f"nobody-{kept}"
    )
    found = await city.client.get(
        f"{AUDIT}/approvals/{kept}/workflow-history", headers=city.auth(Role.AUDITOR)
    )
    missing = await city.client.get(
        f"{AUDIT}/approvals/{gone}/workflow-history", headers=city.auth(Role.AUDITOR)
    )
    events = found.json()["history"]["events"]
    assert events[0]["eventType"] == "EVENT_TYPE_WORKFLOW_EXECUTION_STARTED"
    assert missing.status_code == 404
    assert "event store is the permanent record" in missing.json()["detail"]
    assert f"/audit/aggregates/{gone}/events" in missing.json()["detail"]


async def test_temporal_history_without_temporal_is_503(city: City) -> None:
    answer = await city.client.get(
        f"{AUDIT}/approvals/{uuid.uuid4()}/workflow-history", headers=city.auth(Role.AUDITOR)
    )
    assert answer.status_code == 503
    assert answer.headers["retry-after"]
