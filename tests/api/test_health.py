"""GET /health: 200 only when every part works; otherwise 503 naming the failing part."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from api.app import create_app
from api.auth import Role, dev_tokens
from infra.settings import Settings
from tests.support.app import settings_for
from tests.support.serving import free_port


def down_temporal_settings(tmp_path: Path) -> Settings:
    """Settings whose Temporal nobody answers, with dev tokens on."""
    return settings_for(tmp_path, temporal_address=f"127.0.0.1:{free_port()}")


def test_health_is_503_and_names_temporal_when_temporal_is_down(tmp_path: Path) -> None:
    settings = down_temporal_settings(tmp_path)
    admin = {"Authorization": f"Bearer {dev_tokens(settings)[Role.ADMIN]}"}
    with TestClient(create_app(settings)) as client:
        answer = client.get("/health", headers=admin)
    assert answer.status_code == 503
    body = answer.json()
    assert body["status"] == "degraded"
    assert body["failing"] == ["temporal"]
    assert body["parts"]["temporal"]["reachable"] is False
    assert body["parts"]["event_store"] == {"ok": True, "max_position": 0}


def test_health_tells_an_anonymous_caller_only_what_fails(tmp_path: Path) -> None:
    settings = down_temporal_settings(tmp_path)
    with TestClient(create_app(settings)) as client:
        anonymous = client.get("/health").json()
        public = client.get(
            "/health", headers={"Authorization": f"Bearer {dev_tokens(settings)[Role.PUBLIC]}"}
        ).json()
    assert anonymous == public == {"status": "degraded", "failing": ["temporal"]}


def test_the_app_is_built_by_the_factory_without_touching_the_store(tmp_path: Path) -> None:
    settings = Settings(_env_file=None, data_dir=tmp_path / "data")  # type: ignore[call-arg]
    app = create_app(settings)
    assert "/health" in app.openapi()["paths"]
    assert not (tmp_path / "data").exists()
