"""Request ids, the request log line, and Prometheus metrics."""

from __future__ import annotations

from pathlib import Path

import httpx
from fastapi import FastAPI
from structlog.testing import capture_logs

from api.app import create_app
from api.auth import Role, dev_tokens
from tests.support.app import OWN_OPD, Api, settings_for


async def test_request_id_is_echoed_and_logged_with_actor_and_route(api: Api) -> None:
    with capture_logs() as logs:
        answer = await api.client.get(
            f"/api/v1/opds/{OWN_OPD}", headers={**api.auth("auditor"), "X-Request-ID": "abc-1"}
        )
    assert answer.headers["x-request-id"] == "abc-1"
    line = next(entry for entry in logs if entry["event"] == "request")
    assert line["route"] == "/api/v1/opds/{code}"
    assert line["status"] == 200
    assert line["actor"] == "auditor:auditor.bpk"


async def test_a_request_id_is_made_when_none_is_given(api: Api) -> None:
    answer = await api.client.get("/api/v1/opds", headers=api.auth("admin"))
    assert len(answer.headers["x-request-id"]) == 32


async def test_metrics_count_requests_by_route_template(tmp_path: Path) -> None:
    app = create_app(settings_for(tmp_path, metrics_enabled=True))
    async with app.router.lifespan_context(app), client_of(app) as client:
        token = dev_tokens(app.state.settings)[Role.AUDITOR]
        await client.get("/api/v1/opds", headers={"Authorization": f"Bearer {token}"})
        metrics = (await client.get("/metrics")).text
    assert 'route="/api/v1/opds",status="200"' in metrics
    assert "jejak_http_request_duration_seconds_bucket" in metrics


async def test_metrics_are_not_served_unless_turned_on(api: Api) -> None:
    answer = await api.client.get("/metrics")
    assert answer.status_code == 404


def client_of(app: FastAPI) -> httpx.AsyncClient:
    """A client calling ``app`` in process."""
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://jejak.test")
