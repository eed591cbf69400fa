"""Settings: a wrong value is named in one line, never a traceback."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from infra.settings import Settings, SettingsError, load_settings

ROOT = Path(__file__).resolve().parents[2]


def test_bad_api_port_is_named_in_the_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JEJAK_API_PORT", "notaport")
    with pytest.raises(SettingsError, match=r"^JEJAK_API_PORT: .*'notaport'"):
        load_settings()


def test_port_out_of_range_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JEJAK_TEMPORAL_UI_PORT", "70000")
    with pytest.raises(SettingsError, match=r"^JEJAK_TEMPORAL_UI_PORT: "):
        load_settings()


def test_unknown_event_store_scheme_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JEJAK_EVENT_STORE_URL", "mysql://db/jejak")
    with pytest.raises(SettingsError, match=r"^JEJAK_EVENT_STORE_URL: .*sqlite"):
        load_settings()


@pytest.mark.slow  # starts `jejak` as a process
def test_jejak_up_with_bad_port_prints_one_line_and_exits_2() -> None:
    env = {**os.environ, "JEJAK_API_PORT": "notaport"}
    done = subprocess.run(
        [sys.executable, "-m", "jejak", "up"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("jejak: JEJAK_API_PORT: ")


def env_example_names() -> set[str]:
    """The names .env.example sets."""
    text = (ROOT / ".env.example").read_text()
    return {line.split("=", 1)[0] for line in text.splitlines() if line.startswith("JEJAK_")}


def test_env_example_lists_every_setting() -> None:
    expected = {f"JEJAK_{name.upper()}" for name in Settings.model_fields}
    assert expected - env_example_names() == set()


def test_env_example_is_a_valid_configuration(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    for name in env_example_names():
        monkeypatch.delenv(name, raising=False)
    (tmp_path / ".env").write_text((ROOT / ".env.example").read_text())
    monkeypatch.chdir(tmp_path)
    settings = load_settings()
    assert settings.store_url == "sqlite:///var/jejak.db"
    assert settings.embedded_temporal
    assert settings.temporal_target == "127.0.0.1:7233"
