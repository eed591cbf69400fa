"""Reads the background loops' heartbeats for ``/health``, metrics and the command line."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from typing import Any

from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

from infra.background import STALE_SECONDS, WORKING, BackgroundTable, seconds_since
from infra.store import EventStore

#: The loops that run somewhere in a whole deployment.
JOBS = ("workflow-starter", "checkpointer", "projector")


def summarise(rows: list[dict[str, Any]], head: int, now: float) -> dict[str, dict[str, Any]]:
    """Per job: who works, whether it is alive, its position, lag, last error, standbys."""
    jobs: dict[str, dict[str, Any]] = {}
    for job in sorted({str(r["job"]) for r in rows}):
        mine = [r for r in rows if r["job"] == job]
        working = [r for r in mine if r["role"] in WORKING]
        best = max(working or mine, key=lambda r: float(r["tick_at"]))
        age = round(now - float(best["tick_at"]), 1)
        alive = best["role"] in WORKING and age <= STALE_SECONDS
        # A loop is failing while its newest error is newer than its newest success.
        failing = float(best["last_error_at"]) > float(best["last_ok_at"])
        detail = json.loads(str(best["detail"]) or "{}")
        position = int(best["position"])
        summary: dict[str, Any] = {
            "ok": alive and not failing,
            "alive": alive,
            "holder": best["holder"],
            "role": best["role"],
            "seconds_since_tick": age,
            "position": position,
            "lag": max(0, head - position),
            "last_error": best["last_error"] or None,
            "errors": int(best["errors"]),
            "standbys": sum(1 for r in mine if r["role"] == "standby"),
        }
        if "last_checkpoint_at" in detail or job == "checkpointer":
            summary["checkpoint_age_seconds"] = seconds_since(detail.get("last_checkpoint_at"), now)
            summary["checkpoint_position"] = detail.get("last_checkpoint_position")
        jobs[job] = summary
    return jobs


def background_status(store: EventStore) -> dict[str, dict[str, Any]]:
    """The summary of every loop that reported to this store's database."""
    rows = BackgroundTable(store).read()
    return summarise(rows, store.max_position() if rows else 0, time.time())


def background_health(store: EventStore) -> dict[str, Any]:
    """The ``/health`` part: not ok when a loop that ran here is dead or failing."""
    try:
        jobs = background_status(store)
    except Exception as exc:  # an unreadable database is exactly what health reports
        return {"ok": False, "error": str(exc), "jobs": {}}
    return {"ok": all(j["ok"] for j in jobs.values()), "jobs": jobs}


class BackgroundCollector(Collector):
    """Prometheus gauges for each loop, read from the heartbeats at scrape time."""

    def __init__(self, store: EventStore) -> None:
        self.store = store

    def collect(self) -> Iterator[GaugeMetricFamily]:
        """One family per measure, labelled by job."""
        try:
            jobs = background_status(self.store)
        except Exception:  # a scrape must not fail because the database is away
            jobs = {}
        measures = {
            "alive": "1 when the loop ticked recently in a working role",
            "ok": "1 when the loop is alive and its last round succeeded",
            "position": "Last log position the loop handled",
            "lag": "Events in the log after the loop's position",
            "seconds_since_tick": "Seconds since the loop last showed life",
            "errors": "Failed rounds since the working process started",
            "standbys": "Processes waiting to take the loop over",
            "checkpoint_age_seconds": "Seconds since the last signed audit checkpoint",
        }
        for measure, help_text in measures.items():
            family = GaugeMetricFamily(f"jejak_background_{measure}", help_text, labels=["job"])
            for job, summary in jobs.items():
                value = summary.get(measure)
                if value is not None:
                    family.add_metric([job], float(value))
            yield family
