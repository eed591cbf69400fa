"""`jejak token` prints a token the API accepts, and only in dev mode."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from api.auth import TokenVerifier
from jejak.cli import app
from tests.support.app import settings_for


def test_token_command_prints_a_verifiable_token(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("JEJAK_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("JEJAK_DEV_MODE", "true")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(app, ["token", "--user", "auditor.bpk", "--role", "auditor"])
    assert result.exit_code == 0, result.output
    principal = TokenVerifier(settings_for(tmp_path)).verify(result.stdout.strip())
    assert (principal.user, principal.role) == ("auditor.bpk", "auditor")


def test_token_command_refuses_an_unknown_role(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("JEJAK_DATA_DIR", str(tmp_path))
    result = CliRunner().invoke(app, ["token", "--user", "x", "--role", "king"])
    assert result.exit_code != 0


def test_token_command_is_refused_outside_dev_mode(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("JEJAK_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("JEJAK_DEV_MODE", "false")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(app, ["token", "--user", "x", "--role", "admin"])
    assert result.exit_code == 1
    assert not (tmp_path / "dev-signing-key.pem").exists()
