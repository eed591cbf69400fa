"""Rows 7 and 7b, from the counts the fault runs (``make chaos``, ``make chaos-pg``) left in
docs/: they run apart from ``make bench``, since they kill processes on purpose."""

from __future__ import annotations

import json
from typing import Any

from bench.chaos import CONNECTIONS, RESULT
from bench.report import Row, Stat


def faults_row() -> list[Row]:
    """Row 7, from the last ``make chaos``."""
    if not RESULT.exists():
        return []
    found = json.loads(RESULT.read_text())
    counts = [found["missing"], found["duplicated"], found["differing_views"]]
    row = Row(
        "7. Faults (make chaos): missing / duplicated / views differing",
        Stat.of([float(sum(counts))]),
        "faults",
        target="0 / 0 / 0",
        passed=not any(counts),
        higher_is_better=False,
        notes=(
            f"{found['approvals']} decisions with Idempotency-Keys, 16 clients, while the "
            f"worker, the API and the projector were killed with SIGKILL {found['kills']} and "
            f"restarted; counts {counts[0]} / {counts[1]} / {counts[2]}. Acknowledged (200): "
            f"{found['acknowledged']}; settled otherwise: {found['not_acknowledged']} (the "
            f"decision was recorded but its answer was lost with the killed API; the retry "
            f"with the same key is told the step is already decided). {found['seconds']} s."
        ),
        extra=found,
    )
    return [row]


def connections_rows() -> list[Row]:
    """Row 7b, one per labelled ``make chaos-pg`` run (e.g. before and after a change)."""
    if not CONNECTIONS.exists():
        return []
    return [
        _connections_row(label, found)
        for label, found in json.loads(CONNECTIONS.read_text()).items()
    ]


def _connections_row(label: str, found: dict[str, Any]) -> Row:
    procs = found["processes"]
    shape = f"{procs['api']} APIs + {procs['worker']} workers + {procs['projector']} projectors"
    errors_500 = int(found["answers_5xx"].get("500", 0))
    stuck = int(found["stuck_keys"])
    broken = found["missing"] + found["duplicated"] + found["differing_views"]
    peak = found["connections"]
    return Row(
        f"7b. {shape} on PostgreSQL ({label}): answers of 500 / stuck keys",
        Stat.of([float(errors_500 + stuck)]),
        "faults",
        target="0 / 0",
        passed=not (errors_500 or stuck or broken),
        higher_is_better=False,
        notes=(
            f"{found['approvals']} decisions with Idempotency-Keys from {found['clients']} "
            f"clients spread over the APIs, PostgreSQL max_connections "
            f"{found['max_connections']}, kills {found['kills'] or 'none'}; counts "
            f"{errors_500} / {stuck}. Every 5xx by status: {found['answers_5xx'] or 'none'} "
            f"(each sent again); acknowledged {found['acknowledged']}, settled otherwise "
            f"{found['not_acknowledged'] or 'none'}; missing / duplicated / views differing "
            f"{found['missing']} / {found['duplicated']} / {found['differing_views']}; "
            f"{found['audit_verify'].split(',')[0]}. Connections held at peak: {peak['peak']} "
            f"({peak['at_peak']}); each kind's own peak {peak['peak_by_kind']}. "
            f"{found['seconds']} s."
        ),
        extra=found,
    )
