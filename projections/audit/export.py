"""Export the log for auditors: JSON lines, CSV or Excel, each event with what proves it."""

from __future__ import annotations

import base64
import csv
import json
from collections.abc import Callable, Iterator
from dataclasses import asdict
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, Literal

from openpyxl import Workbook

from infra.chain import ENCODING_VERSION, GENESIS_HASH
from infra.store import EventStore
from projections.audit.decode import decode, describe
from projections.audit.rawlog import RawLog

ExportFormat = Literal["jsonl", "csv", "xlsx"]
Progress = Callable[[int], None]

FORMAT_NAME = "jejak-audit-export"

#: Columns of the CSV and Excel exports, in order.
COLUMNS = (
    "position",
    "aggregate_id",
    "aggregate_kind",
    "version",
    "event_type",
    "effective_at",
    "recorded_at",
    "actor",
    "capacity",
    "payload",
    "topic",
    "state_b64",
    "prev_hash",
    "hash",
)
CHECKPOINT_COLUMNS = ("position", "hash", "signed_at", "public_key", "signature")


def exported_events(
    store: EventStore, start: date | None = None, end: date | None = None
) -> Iterator[dict[str, Any]]:
    """The events to export, in log order: an unbroken run of positions, so the chain holds.

    The run starts at the first event recorded on or after ``start`` and ends after the last
    event recorded on or before ``end`` (dates in UTC).
    """
    log, after, started = RawLog(store), 0, start is None
    while page := log.events_page(after):
        links = log.links([raw.position for raw in page])
        for raw in page:
            event = decode(store, raw)
            recorded = event.timestamp.astimezone(UTC).date()
            if end is not None and recorded > end:
                return
            started = started or (start is not None and recorded >= start)
            if started:
                link = links.get(raw.position)
                entry = describe(event, raw, link.hash if link else None)
                entry["topic"] = raw.topic
                entry["state_b64"] = base64.b64encode(raw.state).decode()
                entry["prev_hash"] = link.prev_hash if link else GENESIS_HASH
                yield entry
        after = page[-1].position


def header(store: EventStore) -> dict[str, Any]:
    """What an export says about itself: its format, the encoding, and the checkpoints."""
    return {
        "record": "header",
        "format": FORMAT_NAME,
        "encoding": ENCODING_VERSION,
        "exported_at": datetime.now(UTC).isoformat(),
        "checkpoints": [asdict(c) for c in RawLog(store).checkpoints()],
    }


def export(
    store: EventStore,
    out: Path,
    fmt: ExportFormat,
    start: date | None = None,
    end: date | None = None,
    progress: Progress | None = None,
) -> int:
    """Write the export to ``out``; returns how many events were written."""
    writers = {"jsonl": _write_jsonl, "csv": _write_csv, "xlsx": _write_xlsx}
    events = exported_events(store, start, end)
    return writers[fmt](store, out, _counted(events, progress))


def _counted(
    events: Iterator[dict[str, Any]], progress: Progress | None
) -> Iterator[dict[str, Any]]:
    for entry in events:
        yield entry
        if progress is not None:
            progress(1)


def _write_jsonl(store: EventStore, out: Path, events: Iterator[dict[str, Any]]) -> int:
    count = 0
    with out.open("w", encoding="utf-8") as handle:
        handle.write(json.dumps(header(store), sort_keys=True) + "\n")
        for entry in events:
            handle.write(json.dumps({"record": "event", **entry}, sort_keys=True) + "\n")
            count += 1
    return count


def _row(entry: dict[str, Any]) -> list[Any]:
    return [json.dumps(entry[c], sort_keys=True) if c == "payload" else entry[c] for c in COLUMNS]


def _write_csv(store: EventStore, out: Path, events: Iterator[dict[str, Any]]) -> int:
    count = 0
    with out.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(COLUMNS)
        for entry in events:
            writer.writerow(_row(entry))
            count += 1
    return count


def _write_xlsx(store: EventStore, out: Path, events: Iterator[dict[str, Any]]) -> int:
    # Write-only mode streams rows to disk, so a long log does not have to fit in memory.
    book = Workbook(write_only=True)
    sheet = book.create_sheet("events")
    sheet.append(list(COLUMNS))
    count = 0
    for entry in events:
        sheet.append(_row(entry))
        count += 1
    checkpoints = book.create_sheet("checkpoints")
    checkpoints.append(list(CHECKPOINT_COLUMNS))
    for row in header(store)["checkpoints"]:
        checkpoints.append([row[c] for c in CHECKPOINT_COLUMNS])
    book.save(out)
    return count
