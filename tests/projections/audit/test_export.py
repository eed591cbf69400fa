"""Exports open in common tools, match the log, and verify on their own, outside Jejak."""

from __future__ import annotations

import csv
import itertools
import json
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from openpyxl import load_workbook
from typer.testing import CliRunner

from infra.settings import get_settings
from infra.store import EventStore
from projections.audit.checkpoints import make_checkpoint
from projections.audit.cli import app as audit_cli
from projections.audit.export import COLUMNS, ExportFormat, export
from projections.audit.history import events_after
from projections.audit.keys import public_key_b64
from projections.audit.selection import CITY_TIME_ZONE, Selection
from tests.projections.audit.dossier import build_log

VERIFIER = Path(__file__).parents[3] / "verifier" / "jejak_verify.py"


@pytest.fixture
def signed(tmp_path: Path) -> tuple[EventStore, str]:
    store = EventStore(f"sqlite:///{tmp_path / 'events.db'}")
    build_log(store, dossiers=3, notes=4)
    key = Ed25519PrivateKey.generate()
    make_checkpoint(store, key)
    build_log(store, dossiers=1, notes=1, prefix="LATE")
    return store, public_key_b64(key)


def _run_verifier(path: Path, *keys: str) -> subprocess.CompletedProcess[str]:
    args = [arg for key in keys for arg in ("--public-key", key)]
    return subprocess.run(
        [sys.executable, str(VERIFIER), str(path), *args], capture_output=True, text=True
    )


def _edit(out: Path, line: int, change: Callable[[dict[str, Any]], None]) -> None:
    """Change the exported event on ``line`` of a JSON Lines export in place."""
    lines = out.read_text().splitlines()
    event = json.loads(lines[line])
    change(event)
    lines[line] = json.dumps(event)
    out.write_text("\n".join(lines) + "\n")


@pytest.fixture
def jsonl(signed: tuple[EventStore, str], tmp_path: Path) -> Path:
    """The signed log exported as JSON Lines: every one of its 17 events."""
    store, _ = signed
    out = tmp_path / "log.jsonl"
    assert export(store, out, "jsonl") == store.max_position() == 17
    return out


@pytest.mark.parametrize(
    ("line", "change", "found"),
    [
        (5, lambda event: event.update(topic=event["topic"] + "x"), "position 5: changed"),
        (
            7,
            lambda event: event["payload"].update(text="a note nobody wrote"),
            "position 7: changed (the payload shown differs",
        ),
    ],
    ids=["topic", "readable payload"],
)
def test_the_verifier_names_the_position_of_an_edit_to_a_jsonl_export(
    signed: tuple[EventStore, str],
    jsonl: Path,
    line: int,
    change: Callable[[dict[str, Any]], None],
    found: str,
) -> None:
    _edit(jsonl, line, change)
    altered = _run_verifier(jsonl, signed[1])
    assert altered.returncode == 1
    assert f"ALTERED at {found}" in altered.stdout


def test_verifier_rejects_checkpoints_signed_by_an_unpinned_key(jsonl: Path) -> None:
    stranger = public_key_b64(Ed25519PrivateKey.generate())
    result = _run_verifier(jsonl, stranger)
    assert result.returncode == 1
    assert "unknown-key" in result.stdout


def test_csv_and_xlsx_exports_open_and_match_the_log(
    signed: tuple[EventStore, str], tmp_path: Path
) -> None:
    store, _ = signed
    log = events_after(store, 0, limit=100)
    export(store, tmp_path / "log.csv", "csv")
    with (tmp_path / "log.csv").open(newline="") as handle:
        rows = list(itertools.takewhile(any, csv.reader(handle)))
    rows = [dict(zip(COLUMNS, r, strict=True)) for r in rows[1:]]
    assert [int(r["position"]) for r in rows] == [e["position"] for e in log]
    assert [r["hash"] for r in rows] == [e["hash"] for e in log]
    assert json.loads(rows[1]["payload"]) == log[1]["payload"]
    export(store, tmp_path / "log.xlsx", "xlsx")
    book = load_workbook(tmp_path / "log.xlsx", read_only=True)
    sheet = list(book["events"].values)
    assert sheet[0] == COLUMNS
    assert [row[COLUMNS.index("hash")] for row in sheet[1:]] == [e["hash"] for e in log]
    checkpoints = list(book["checkpoints"].values)
    assert len(checkpoints) == 2
    assert checkpoints[1][0] == 15


@pytest.mark.parametrize("fmt", ["jsonl", "csv", "xlsx"])
def test_the_standalone_verifier_accepts_each_format_with_its_checkpoints(
    signed: tuple[EventStore, str], tmp_path: Path, fmt: ExportFormat
) -> None:
    store, public_key = signed
    out = tmp_path / f"log.{fmt}"
    export(store, out, fmt)
    result = _run_verifier(out, public_key)
    assert result.returncode == 0, result.stdout
    assert result.stdout.startswith("OK: 17 events, 1 checkpoints (1 in range)")


def test_export_by_dates_keeps_an_unbroken_run(
    signed: tuple[EventStore, str], tmp_path: Path
) -> None:
    store, public_key = signed
    today = datetime.now(CITY_TIME_ZONE).date()
    long_ago = Selection.of(recorded_to=today.replace(year=2000))
    assert export(store, tmp_path / "none.jsonl", "jsonl", long_ago) == 0
    out = tmp_path / "today.jsonl"
    assert export(store, out, "jsonl", Selection.of(recorded_from=today, recorded_to=today)) == 17
    assert _run_verifier(out, public_key).returncode == 0


def test_cli_verify_exits_one_and_names_the_position_when_altered(
    signed: tuple[EventStore, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store, _ = signed
    monkeypatch.setenv("JEJAK_EVENT_STORE_URL", store.url)
    monkeypatch.setenv("JEJAK_DATA_DIR", str(tmp_path))
    get_settings.cache_clear()
    runner = CliRunner()
    assert runner.invoke(audit_cli, ["verify"]).exit_code == 0
    with sqlite3.connect(tmp_path / "events.db") as conn:
        conn.execute("DELETE FROM stored_events WHERE rowid = 7")
    result = runner.invoke(audit_cli, ["verify"])
    get_settings.cache_clear()
    assert result.exit_code == 1
    assert "position 7: missing" in result.output
