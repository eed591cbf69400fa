"""Row 8, from the last ``make fuzz``: schemathesis over every operation of the API.

The fuzz run is a test (tests/api/test_schemathesis.py with ``JEJAK_FUZZ_EXAMPLES=1000``); it
writes its counts to docs/fuzz.json, and this row reads them, as row 7 reads ``make chaos``.
"""

from __future__ import annotations

import json
from pathlib import Path

from bench.report import Row, Stat

RESULT = Path(__file__).resolve().parent.parent / "docs" / "fuzz.json"
NAME = "8. Fuzz (make fuzz): failed checks"


def fuzz_row() -> list[Row]:
    """The row of the last fuzz run; none before the first."""
    if not RESULT.exists():
        return []
    found = json.loads(RESULT.read_text())
    phases = ", ".join(f"{name} {n:,}" for name, n in found["requests_by_phase"].items())
    mismatch = (
        "No schema validation mismatch."
        if not found["mismatched"]
        else f"Schema validation mismatch: {', '.join(found['mismatched'])}."
    )
    notes = (
        f"schemathesis {found['schemathesis']} (tests/api/test_schemathesis.py), every check"
        " with positive_data_acceptance and negative_data_rejection;"
        f" {found['read_examples']:,} examples per read, {found['write_examples']:,} per"
        f" command, {found['stateful_scenarios']:,} stateful scenarios of up to"
        f" {found['stateful_steps']} linked calls. {found['operations']} operations,"
        f" {found['requests']:,} requests ({phases}); {found['failures']} failed checks."
        f" {mismatch}" + (f" {found['seconds']:,} s." if "seconds" in found else "")
    )
    row = Row(
        NAME,
        Stat.of([float(found["failures"])]),
        "failed checks",
        target="0, no schema validation mismatch",
        passed=found["failures"] == 0 and not found["mismatched"],
        higher_is_better=False,
        notes=notes,
        extra=found,
    )
    return [row]
