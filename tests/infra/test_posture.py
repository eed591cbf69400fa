"""Production posture: dev mode off unless asked for and only on loopback, private files."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
import structlog
from typer.testing import CliRunner

from infra.settings import Settings
from infra.store import EventStore
from jejak.cli import app, start


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[pytest.MonkeyPatch]:
    """No JEJAK_* variables, no .env file; what `start` changes in the process is undone."""
    for name in ("JEJAK_DEV_MODE", "JEJAK_API_HOST", "JEJAK_AUTH_ISSUER", "JEJAK_AUTH_JWKS_URL"):
        monkeypatch.setenv(name, "")  # remembered, so whatever `start` sets is undone
        monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("JEJAK_DATA_DIR", str(tmp_path / "data"))
    umask = os.umask(0o022)
    os.umask(umask)
    try:
        yield monkeypatch
    finally:
        os.umask(umask)
        structlog.reset_defaults()


def test_dev_mode_is_off_unless_set() -> None:
    assert Settings(_env_file=None).dev_mode is False  # type: ignore[call-arg]


def test_jejak_up_turns_dev_mode_on_for_itself_and_its_children(
    clean_env: pytest.MonkeyPatch,
) -> None:
    settings = start("up", dev_mode_by_default=True)
    assert settings.dev_mode is True
    assert os.environ["JEJAK_DEV_MODE"] == "true"


def test_jejak_up_keeps_dev_mode_off_when_told(clean_env: pytest.MonkeyPatch) -> None:
    clean_env.setenv("JEJAK_DEV_MODE", "false")
    assert start("up", dev_mode_by_default=True).dev_mode is False


@pytest.mark.parametrize(
    "extra",
    [
        {"JEJAK_API_HOST": "0.0.0.0"},
        {"JEJAK_AUTH_ISSUER": "https://sso.example.go.id/realms/kota"},
    ],
)
def test_the_api_refuses_to_start_with_dev_mode_beyond_this_machine(
    clean_env: pytest.MonkeyPatch, extra: dict[str, str]
) -> None:
    clean_env.setenv("JEJAK_DEV_MODE", "true")
    for name, value in extra.items():
        clean_env.setenv(name, value)
    result = CliRunner().invoke(app, ["api"])
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1
    assert result.stderr.startswith("jejak: JEJAK_DEV_MODE may")


def test_a_bad_rate_limit_is_refused_naming_the_setting(clean_env: pytest.MonkeyPatch) -> None:
    clean_env.setenv("JEJAK_RATE_LIMIT", "lots")
    result = CliRunner().invoke(app, ["api"])
    assert result.exit_code == 2
    assert result.stderr.startswith("jejak: JEJAK_RATE_LIMIT")


def test_the_database_is_0600_in_a_0700_directory(tmp_path: Path) -> None:
    db = tmp_path / "data" / "jejak.db"
    store = EventStore(f"sqlite:///{db}")
    try:
        assert stat.S_IMODE(db.parent.stat().st_mode) == 0o700
        assert stat.S_IMODE(db.stat().st_mode) == 0o600
    finally:
        store.close()


def test_an_existing_database_is_narrowed_to_0600(tmp_path: Path) -> None:
    db = tmp_path / "jejak.db"
    db.touch(mode=0o644)
    db.chmod(0o644)
    EventStore(f"sqlite:///{db}").close()
    assert stat.S_IMODE(db.stat().st_mode) == 0o600
