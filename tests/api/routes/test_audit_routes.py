"""Auditors replay history over HTTP: events, states as of a moment, diffs, exports."""

from __future__ import annotations

import csv
import io
import itertools
import json
import subprocess
import sys
import uuid
from collections.abc import AsyncIterator
from datetime import datetime
from pathlib import Path

import httpx
import pytest
from openpyxl import load_workbook
from temporalio.testing import WorkflowEnvironment

from api.auth import Role
from domain.calendar import JAKARTA
from domain.commitments import Commitment
from domain.shared import Actor
from infra.scenario import CITY_CODE, reference_facts
from projections.audit.export import COLUMNS, export
from tests.support.city import City, city
from tests.support.temporal import dev_server

__all__ = ["city"]

AUDIT = "/api/v1/audit"
VERIFIER = Path(__file__).parents[3] / "verifier" / "jejak_verify.py"
MORNING = "2023-10-18T09:00:00%2B07:00"
EVENING = "2023-10-18T23:59:59%2B07:00"


def commitment_id() -> uuid.UUID:
    """The smart-city commitment signed on 18 Oct 2023."""
    return Commitment.create_id(CITY_CODE, reference_facts()["commitment"]["slug"])


@pytest.fixture
async def temporal() -> AsyncIterator[WorkflowEnvironment]:
    """A Temporal dev server of this test alone."""
    async with dev_server() as env:
        yield env


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


async def _export(city: City, **params: str) -> httpx.Response:
    answer = await city.client.get(
        f"{AUDIT}/export", params=params, headers=city.auth(Role.AUDITOR)
    )
    assert answer.status_code == 200, answer.text
    return answer


def _verified(path: Path) -> str:
    result = subprocess.run(
        [sys.executable, str(VERIFIER), str(path)], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout
    return result.stdout


async def test_the_excel_export_over_http_is_the_file_the_cli_writes(
    city: City, tmp_path: Path
) -> None:
    answer = await _export(city, format="xlsx")
    assert answer.headers["content-type"].startswith("application/vnd.openxmlformats")
    (tmp_path / "http.xlsx").write_bytes(answer.content)
    export(city.app.state.store, tmp_path / "cli.xlsx", "xlsx")
    http, cli = (load_workbook(tmp_path / f"{n}.xlsx", read_only=True) for n in ("http", "cli"))
    assert http.sheetnames == cli.sheetnames == ["events", "checkpoints", "export"]
    for name in ("events", "checkpoints"):
        assert list(http[name].values) == list(cli[name].values)
    assert len(list(http["events"].values)) - 1 == city.app.state.store.max_position()
    assert _verified(tmp_path / "http.xlsx").startswith("OK: ")


async def test_the_reference_year_2023_exports_the_events_that_happened_in_it(
    city: City, tmp_path: Path
) -> None:
    answer = await _export(city, format="jsonl", **{"from": "2023-01-01", "to": "2023-12-31"})
    lines = [json.loads(line) for line in answer.text.splitlines()]
    events = lines[1:]
    assert 0 < len(events) < city.app.state.store.max_position()
    for event in events:
        happened = datetime.fromisoformat(event["effective_at"]).astimezone(JAKARTA)
        assert happened.year == 2023
    assert lines[0]["selection"]["effective_from"] == "2022-12-31T17:00:00+00:00"
    (tmp_path / "2023.jsonl").write_text(answer.text)
    assert "selected by effective time" in _verified(tmp_path / "2023.jsonl")


async def test_recorded_time_selects_what_was_entered_then_not_what_happened_then(
    city: City,
) -> None:
    in_2023 = await _export(city, recorded_from="2023-01-01", recorded_to="2023-12-31")
    today = datetime.now(JAKARTA).date().isoformat()
    entered_today = await _export(city, recorded_from=today, recorded_to=today)
    assert in_2023.text.count("\n") == 1  # the header only: the city was loaded later
    assert entered_today.text.count("\n") - 1 == city.app.state.store.max_position()


async def test_as_of_a_plain_day_is_the_end_of_that_day_in_the_city(city: City) -> None:
    path = f"{AUDIT}/aggregates/{commitment_id()}/state?time=effective&as_of="
    by_day = await city.client.get(path + "2023-10-18", headers=city.auth(Role.AUDITOR))
    by_moment = await city.client.get(
        path + "2023-10-18T23:59:59.999999%2B07:00", headers=city.auth(Role.AUDITOR)
    )
    assert by_day.status_code == 200, by_day.text
    assert by_day.json() == by_moment.json()
    assert by_day.json()["as_of"] == "2023-10-18T16:59:59.999999+00:00"


async def test_every_moment_in_an_audit_answer_is_given_in_utc(city: City) -> None:
    page = await city.client.get(f"{AUDIT}/events?limit=50", headers=city.auth(Role.AUDITOR))
    moments = [e[k] for e in page.json()["items"] for k in ("effective_at", "recorded_at")]
    assert moments
    assert all(m.endswith("+00:00") for m in moments)


@pytest.mark.parametrize(
    "query",
    ["events?after=100000000000000000000", "events?cursor=MTAwMDAwMDAwMDAwMDAwMDAwMDAw",
     "events?cursor=not%20a%20cursor", "events?cursor=eHl6", "events?after=1&cursor=MQ=="],
)  # fmt: skip
async def test_far_or_broken_positions_are_refused_not_a_server_error(
    city: City, query: str
) -> None:
    answer = await city.client.get(f"{AUDIT}/{query}", headers=city.auth(Role.AUDITOR))
    assert answer.status_code == 422, answer.text
    assert answer.headers["content-type"].startswith("application/problem+json")


async def test_a_version_beyond_any_record_is_refused_or_not_found_never_a_500(
    city: City,
) -> None:
    path = f"{AUDIT}/aggregates/{commitment_id()}/state?version="
    far = await city.client.get(path + str(10**20), headers=city.auth(Role.AUDITOR))
    largest = await city.client.get(path + str(2**63 - 1), headers=city.auth(Role.AUDITOR))
    assert far.status_code == 422
    assert largest.status_code == 404


async def test_the_older_after_still_pages_but_is_marked_deprecated(city: City) -> None:
    answer = await city.client.get(
        f"{AUDIT}/events?limit=3&after=3", headers=city.auth(Role.AUDITOR)
    )
    assert [e["position"] for e in answer.json()["items"]] == [4, 5, 6]
    schema = city.app.openapi()["paths"]["/api/v1/audit/events"]["get"]["parameters"]
    described = {p["name"]: p for p in schema}
    assert described["after"]["deprecated"] is True
    assert described["after"]["schema"]["anyOf"][0]["maximum"] == 2**63 - 1


async def test_formula_like_cells_cannot_run_in_csv_or_excel_and_still_verify(
    city: City, tmp_path: Path
) -> None:
    sly = Actor('=HYPERLINK("http://x","y")', "staff")
    city.organisation().register_person("199001012020011001", "@SUM(A1) -1", by=sly)
    position = city.app.state.store.max_position()
    csv_answer = await _export(city, format="csv")
    rows = list(csv.reader(io.StringIO(csv_answer.text)))
    row = dict(zip(COLUMNS, rows[position], strict=True))
    assert row["actor"] == '\'=HYPERLINK("http://x","y")'
    xlsx_answer = await _export(city, format="xlsx")
    (tmp_path / "log.csv").write_text(csv_answer.text, newline="")
    (tmp_path / "log.xlsx").write_bytes(xlsx_answer.content)
    sheet = load_workbook(tmp_path / "log.xlsx")["events"]
    cell = sheet.cell(row=position + 1, column=COLUMNS.index("actor") + 1)
    assert (cell.value, cell.data_type, cell.quotePrefix) == (sly.actor_id, "s", True)
    for name in ("log.csv", "log.xlsx"):
        assert _verified(tmp_path / name).startswith(f"OK: {position} events")
