"""GET /health: 200 only when every part works; otherwise 503 naming the failing part."""

from __future__ import annotations

import socket
from pathlib import Path

from fastapi.testclient import TestClient

from api.app import create_app
from infra.settings import Settings


def unused_port() -> int:
    """A local TCP port nobody listens on."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


def test_health_is_503_and_names_temporal_when_temporal_is_down(tmp_path: Path) -> None:
    settings = Settings(
        _env_file=None,  # type: ignore[call-arg]
        data_dir=tmp_path,
        event_store_url=f"sqlite:///{tmp_path / 'events.db'}",
        temporal_address=f"127.0.0.1:{unused_port()}",
    )
    with TestClient(create_app(settings)) as client:
        answer = client.get("/health")
    assert answer.status_code == 503
    body = answer.json()
    assert body["status"] == "degraded"
    assert body["failing"] == ["temporal"]
    assert body["parts"]["temporal"]["reachable"] is False
    assert body["parts"]["event_store"] == {"ok": True, "max_position": 0}


def test_the_app_is_built_by_the_factory_without_touching_the_store(tmp_path: Path) -> None:
    settings = Settings(_env_file=None, data_dir=tmp_path / "data")  # type: ignore[call-arg]
    app = create_app(settings)
    assert "/health" in app.openapi()["paths"]
    assert not (tmp_path / "data").exists()
