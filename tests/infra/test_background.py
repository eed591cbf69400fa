"""The background loops' heartbeats reach /health, /metrics and `jejak projections status`."""

from __future__ import annotations

import time
from pathlib import Path

from fastapi.testclient import TestClient
from typer.testing import CliRunner

from api.app import create_app
from api.auth import Role, dev_tokens
from infra.background import STALE_SECONDS, BackgroundTable, LoopStatus
from infra.settings import Settings
from infra.store import EventStore
from jejak.cli import app as cli
from tests.support.app import settings_for as shared_settings
from tests.support.serving import free_port


def settings_for(tmp_path: Path) -> Settings:
    """Settings over a SQLite store in ``tmp_path``, dev tokens on (only admins see the parts
    of /health) and metrics too; Temporal is not needed here."""
    address = f"127.0.0.1:{free_port()}"
    return shared_settings(tmp_path, temporal_address=address, metrics_enabled=True)


def as_admin(tmp_path: Path) -> dict[str, str]:
    """The header of the secretariat's dev token for these settings."""
    return {"Authorization": f"Bearer {dev_tokens(settings_for(tmp_path))[Role.ADMIN]}"}


def report(tmp_path: Path, *statuses: LoopStatus, holder: str = "worker-1:42") -> None:
    """Write heartbeats as a process running these loops would."""
    store = EventStore(f"sqlite:///{tmp_path / 'events.db'}")
    try:
        BackgroundTable(store).write(holder, list(statuses))
    finally:
        store.close()


def test_health_names_a_loop_that_stopped_ticking_and_accepts_one_that_ticks(
    tmp_path: Path,
) -> None:
    dead = LoopStatus("checkpointer", role="leader", tick_at=time.time() - STALE_SECONDS - 5)
    report(tmp_path, dead, LoopStatus("projector", role="running", last_ok_at=time.time()))
    with TestClient(create_app(settings_for(tmp_path))) as client:
        body = client.get("/health", headers=as_admin(tmp_path)).json()
    assert "background" in body["failing"]
    jobs = body["parts"]["background"]["jobs"]
    assert jobs["checkpointer"]["alive"] is False
    assert jobs["projector"]["ok"] is True


def test_a_failing_loop_is_unhealthy_until_its_next_success(tmp_path: Path) -> None:
    status = LoopStatus("workflow-starter", role="leader")
    status.failed(ConnectionError("temporal unreachable"))
    report(tmp_path, status)
    with TestClient(create_app(settings_for(tmp_path))) as client:
        failing = client.get("/health", headers=as_admin(tmp_path)).json()["parts"]["background"]
        status.succeeded(0)
        report(tmp_path, status)
        recovered = client.get("/health", headers=as_admin(tmp_path)).json()["parts"]["background"]
    assert failing["ok"] is False
    assert "temporal unreachable" in failing["jobs"]["workflow-starter"]["last_error"]
    assert recovered["ok"] is True


def test_a_standby_is_counted_and_the_leader_is_the_one_reported(tmp_path: Path) -> None:
    report(tmp_path, LoopStatus("workflow-starter", role="leader", position=3), holder="a:1")
    report(tmp_path, LoopStatus("workflow-starter", role="standby"), holder="b:2")
    with TestClient(create_app(settings_for(tmp_path))) as client:
        health = client.get("/health", headers=as_admin(tmp_path)).json()
    job = health["parts"]["background"]["jobs"]["workflow-starter"]
    assert (job["holder"], job["standbys"], job["position"]) == ("a:1", 1, 3)


def test_metrics_give_each_loop_its_liveness_lag_and_checkpoint_age(tmp_path: Path) -> None:
    signed = LoopStatus("checkpointer", role="leader", last_ok_at=time.time())
    signed.detail.update(last_checkpoint_at="2026-01-01T00:00:00+00:00")
    report(tmp_path, signed, LoopStatus("projector", role="running", position=0))
    with TestClient(create_app(settings_for(tmp_path))) as client:
        text = client.get("/metrics").text
    assert 'jejak_background_alive{job="projector"} 1.0' in text
    assert 'jejak_background_lag{job="projector"} 0.0' in text
    assert 'jejak_background_checkpoint_age_seconds{job="checkpointer"}' in text


def test_projections_status_lists_the_background_loops(tmp_path: Path) -> None:
    report(tmp_path, LoopStatus("workflow-starter", role="leader", position=0), holder="w:7")
    env = {"JEJAK_EVENT_STORE_URL": f"sqlite:///{tmp_path / 'events.db'}", "COLUMNS": "200"}
    result = CliRunner().invoke(cli, ["projections", "status"], env=env)
    assert result.exit_code == 0, result.output
    assert "Background loops" in result.output
    assert "workflow-starter" in result.output
    assert "w:7" in result.output
