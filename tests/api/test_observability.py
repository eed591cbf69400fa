"""Request ids, the request log line, and Prometheus metrics."""

from __future__ import annotations

from structlog.testing import capture_logs

from tests.api.conftest import OWN_OPD, Api


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


async def test_metrics_count_requests_by_route_template(api: Api) -> None:
    await api.client.get(f"/api/v1/opds/{OWN_OPD}", headers=api.auth("admin"))
    metrics = (await api.client.get("/metrics")).text
    assert 'route="/api/v1/opds/{code}",status="200"' in metrics
    assert "jejak_http_request_duration_seconds_bucket" in metrics
