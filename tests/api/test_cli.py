"""`jejak token` prints a token the API accepts, and only in dev mode."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result
from typer.testing import CliRunner

from api.auth import TokenVerifier
from jejak.cli import app
from tests.support.app import settings_for

Token = Callable[..., Result]


@pytest.fixture
def token(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Token:
    """``jejak token --user U --role R`` over a data directory of this test alone."""
    monkeypatch.setenv("JEJAK_DATA_DIR", str(tmp_path))
    monkeypatch.chdir(tmp_path)

    def run(user: str, role: str, *, dev_mode: bool = True) -> Result:
        monkeypatch.setenv("JEJAK_DEV_MODE", str(dev_mode).lower())
        return CliRunner().invoke(app, ["token", "--user", user, "--role", role])

    return run


def test_token_command_prints_a_verifiable_token(tmp_path: Path, token: Token) -> None:
    result = token("auditor.bpk", "auditor")
    assert result.exit_code == 0, result.output
    principal = TokenVerifier(settings_for(tmp_path)).verify(result.stdout.strip())
    assert (principal.user, principal.role) == ("auditor.bpk", "auditor")


def test_token_command_refuses_an_unknown_role(token: Token) -> None:
    assert token("x", "king").exit_code != 0


def test_token_command_is_refused_outside_dev_mode(tmp_path: Path, token: Token) -> None:
    result = token("x", "admin", dev_mode=False)
    assert result.exit_code == 1
    assert not (tmp_path / "dev-signing-key.pem").exists()
