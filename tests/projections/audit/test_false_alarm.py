"""An untouched export of a log holding an approval decision verifies (no false alarm)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from infra.store import EventStore
from projections.audit.export import export
from projections.audit.verify import verify
from tests.projections.audit.reference_log import reference_log

VERIFIER = Path(__file__).parents[3] / "verifier" / "jejak_verify.py"


def test_an_untouched_export_with_a_recorded_decision_is_not_reported_altered(
    tmp_path: Path,
) -> None:
    store = EventStore(f"sqlite:///{tmp_path / 'events.db'}")
    reference_log(store)
    out = tmp_path / "log.jsonl"
    count = export(store, out, "jsonl")
    result = subprocess.run(
        [sys.executable, str(VERIFIER), str(out)], capture_output=True, text=True
    )
    assert verify(store).ok
    store.close()
    assert result.returncode == 0, result.stdout
    assert result.stdout.startswith(f"OK: {count} events")
