"""Acceptance: the reference walk, exported over HTTP as jsonl, csv and xlsx, verifies standalone;
every random edit of an export or of the store is caught at the right position."""

from __future__ import annotations

import json
import random
import sqlite3
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from api.auth import Role
from infra.store import EventStore
from projections.audit.checkpoints import make_checkpoint
from projections.audit.export import ExportFormat, export, exported_events, header
from projections.audit.keys import public_key_b64
from projections.audit.verify import verify
from tests.projections.audit.catalog_events import VERIFIER_PATH, load_verifier
from tests.projections.audit.export_edits import JsonLines, any_edit, write_entries
from tests.projections.audit.reference_log import decide_one_approval
from tests.projections.audit.tampering import Tables, tamper
from tests.support.city import City, city

__all__ = ["city"]

EXPORT = "/api/v1/audit/export"
VERIFIER = load_verifier()
FORMATS: tuple[ExportFormat, ...] = ("jsonl", "csv", "xlsx")


@pytest.fixture
def walked(city: City) -> tuple[City, str]:
    """The reference city with an approval decided and a checkpoint signed at the end."""
    store: EventStore = city.app.state.store
    decide_one_approval(store, city.summary.plan_id)
    key = Ed25519PrivateKey.generate()
    make_checkpoint(store, key)
    return city, public_key_b64(key)


def _standalone(path: Path, key: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(VERIFIER_PATH), str(path), "--public-key", key],
        capture_output=True, text=True,
    )  # fmt: skip


async def test_every_format_exported_over_http_verifies_standalone(
    walked: tuple[City, str], tmp_path: Path
) -> None:
    city, key = walked
    store: EventStore = city.app.state.store
    topics = {entry["topic"] for entry in exported_events(store)}
    assert "jejak.approvals:ApprovalRequest.DecisionRecorded" in topics
    for fmt in FORMATS:
        answer = await city.client.get(
            EXPORT, params={"format": fmt}, headers=city.auth(Role.AUDITOR)
        )
        assert answer.status_code == 200, answer.text
        out = tmp_path / f"reference.{fmt}"
        out.write_bytes(answer.content)
        result = _standalone(out, key)
        assert result.returncode == 0, (fmt, result.stdout)
        assert result.stdout.startswith(f"OK: {store.max_position()} events, 1 checkpoints")


def test_a_thousand_random_edits_of_an_export_are_each_caught_at_their_position(
    walked: tuple[City, str], tmp_path: Path
) -> None:
    city, key = walked
    store: EventStore = city.app.state.store
    entries, head = list(exported_events(store)), header(store)
    kinds: Counter[str] = Counter()
    lines = JsonLines()
    for seed in range(1000):
        rng = random.Random(seed)
        fmt = rng.choices(FORMATS, weights=(88, 10, 2))[0]
        changed, expected = any_edit(entries, rng)
        out = write_entries(head, changed, fmt, tmp_path / f"edited.{fmt}", lines)
        with pytest.raises(VERIFIER.AlteredError) as caught:
            VERIFIER.verify(out, {key})
        assert (caught.value.position, caught.value.kind) == expected, f"seed {seed} {fmt}"
        kinds[expected[1]] += 1
    assert set(kinds) == {"changed", "missing", "reordered", "inserted"}


def test_random_edits_of_the_reference_store_are_caught_at_the_same_position_by_both_checks(
    walked: tuple[City, str], tmp_path: Path
) -> None:
    city, _ = walked
    source = Path(city.settings.data_dir) / "events.db"
    case = tmp_path / "case.db"
    tables = Tables("stored_events", "event_chain", "rowid", "?")
    for seed in range(30):
        with sqlite3.connect(source) as original, sqlite3.connect(case) as copy:
            original.backup(copy)
        with sqlite3.connect(case) as conn:

            def execute(sql: str, params: tuple[Any, ...]) -> list[tuple[Any, ...]]:
                return conn.execute(sql, params).fetchall()

            expected = tamper(execute, tables, random.Random(seed))
        conn.close()
        store = EventStore(f"sqlite:///{case}")
        try:
            problem = verify(store).problem
            export(store, tmp_path / "case.jsonl", "jsonl")
        finally:
            store.close()
        assert problem is not None, f"seed {seed}"
        assert (problem.position, problem.kind) == expected, f"seed {seed}"
        # The standalone verifier, given an export of the edited store, names the same place.
        with pytest.raises(VERIFIER.AlteredError) as caught:
            VERIFIER.verify(tmp_path / "case.jsonl", set())
        assert caught.value.position == expected[0], f"seed {seed}"
        case.unlink()


def test_an_edited_line_of_the_jsonl_export_names_the_record_the_event_and_the_difference(
    walked: tuple[City, str], tmp_path: Path
) -> None:
    city, key = walked
    store: EventStore = city.app.state.store
    entries = list(exported_events(store))
    decision = next(e for e in entries if e["event_type"] == "DecisionRecorded")
    decision["payload"]["outcome"] = "reject"
    out = write_entries(header(store), entries, "jsonl", tmp_path / "edited.jsonl")
    result = _standalone(out, key)
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        f"ALTERED at position {decision['position']}: changed (the payload shown differs from"
        ' the recorded event: field \'outcome\' shows "reject", the record says "approve")',
        f"  at: record ApprovalRequest {decision['aggregate_id']}, its event number"
        f" {decision['version']} (DecisionRecorded)",
        "  meaning: what the export shows is not what was recorded",
    ]
    assert json.loads(out.read_text().splitlines()[0])["record"] == "header"
