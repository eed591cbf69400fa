"""Export the log for auditors: JSON lines, CSV or Excel, each event with what proves it."""

from __future__ import annotations

import base64
import csv
import io
import json
from collections.abc import Callable, Iterator
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any, Literal

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from infra.chain import ENCODING_VERSION, GENESIS_HASH
from infra.store import EventStore
from projections.audit.cells import escape_cell, xlsx_text
from projections.audit.rawlog import RawLog
from projections.audit.readable import readable
from projections.audit.selection import Selection

ExportFormat = Literal["jsonl", "csv", "xlsx"]
Progress = Callable[[int], None]

FORMAT_NAME = "jejak-audit-export"
MEDIA_TYPES = {
    "jsonl": "application/jsonl",
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}

#: Columns of the CSV and Excel exports, in order.
COLUMNS = (
    "position",
    "aggregate_id",
    "aggregate_kind",
    "version",
    "class_version",
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
#: Header of the export's own description (CSV's last section, Excel's "export" sheet).
ABOUT_COLUMNS = ("setting", "value")


def exported_events(
    store: EventStore, selection: Selection | None = None
) -> Iterator[dict[str, Any]]:
    """The selected events, in log order, each with its chain link and stored bytes."""
    chosen = selection or Selection()
    log, after, started = RawLog(store), 0, chosen.recorded_from is None
    while page := log.events_page(after):
        links = log.links([raw.position for raw in page])
        for raw in page:
            link = links.get(raw.position)
            entry = readable(raw, link.hash if link else None)
            recorded = _moment(entry["recorded_at"])
            if recorded is not None and chosen.recorded_after_end(recorded):
                return
            # Once started, keep every later event: the run of positions stays unbroken.
            started = started or (
                recorded is not None and not chosen.recorded_before_start(recorded)
            )
            happened = _moment(entry["effective_at"]) or recorded
            # An event whose state cannot be read is kept: it shows where the store was edited.
            if started and (happened is None or chosen.effective_within(happened)):
                entry["topic"] = raw.topic
                entry["state_b64"] = base64.b64encode(raw.state).decode()
                entry["prev_hash"] = link.prev_hash if link else GENESIS_HASH
                yield entry
        after = page[-1].position


def _moment(text: Any) -> datetime | None:
    """A moment shown in an entry, or None when there is none (or the state was unreadable)."""
    try:
        return datetime.fromisoformat(text) if isinstance(text, str) else None
    except ValueError:
        return None


def header(store: EventStore, selection: Selection | None = None) -> dict[str, Any]:
    """What an export says about itself: format, encoding, selection and the checkpoints."""
    return {
        "record": "header",
        "format": FORMAT_NAME,
        "encoding": ENCODING_VERSION,
        "exported_at": datetime.now(UTC).isoformat(),
        "selection": (selection or Selection()).described(),
        "checkpoints": [asdict(c) for c in RawLog(store).checkpoints()],
    }


def about_rows(head: dict[str, Any]) -> list[list[Any]]:
    """The header as setting/value rows (the selection as JSON)."""
    return [
        [name, json.dumps(head[name], sort_keys=True) if name == "selection" else head[name]]
        for name in ("format", "encoding", "exported_at", "selection")
    ]


def export(
    store: EventStore,
    out: Path,
    fmt: ExportFormat,
    selection: Selection | None = None,
    progress: Progress | None = None,
) -> int:
    """Write the export to ``out``; returns how many events were written."""
    with out.open("wb") as handle:
        return write(store, handle, fmt, selection, progress)


def write(
    store: EventStore,
    handle: IO[bytes],
    fmt: ExportFormat,
    selection: Selection | None = None,
    progress: Progress | None = None,
) -> int:
    """Write the export to a binary stream; the HTTP answer and the CLI's file are the same."""
    count = 0

    def counted() -> Iterator[dict[str, Any]]:
        nonlocal count
        for entry in exported_events(store, selection):
            count += 1
            if progress is not None:
                progress(1)
            yield entry

    head = header(store, selection)
    if fmt == "xlsx":
        write_xlsx(head, handle, counted())
        return count
    lines = jsonl_lines if fmt == "jsonl" else csv_lines
    for line in lines(head, counted()):
        handle.write(line.encode())
    return count


def jsonl_lines(head: dict[str, Any], events: Iterator[dict[str, Any]]) -> Iterator[str]:
    """The export as JSON lines: the header, then one event per line."""
    yield json.dumps(head, sort_keys=True) + "\n"
    for entry in events:
        yield json.dumps({"record": "event", **entry}, sort_keys=True) + "\n"


def row(entry: dict[str, Any]) -> list[Any]:
    """One event as a row of the CSV and Excel exports (the payload as JSON text)."""
    return [json.dumps(entry[c], sort_keys=True) if c == "payload" else entry[c] for c in COLUMNS]


def csv_lines(head: dict[str, Any], events: Iterator[dict[str, Any]]) -> Iterator[str]:
    """The export as CSV: the events, then the checkpoints, then what the export is."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)

    def line(cells: list[Any]) -> str:
        buffer.seek(0)
        buffer.truncate()
        writer.writerow([escape_cell(cell) for cell in cells])
        return buffer.getvalue()

    yield line(list(COLUMNS))
    for entry in events:
        yield line(row(entry))
    for columns, rows in (
        (CHECKPOINT_COLUMNS, [[c[k] for k in CHECKPOINT_COLUMNS] for c in head["checkpoints"]]),
        (ABOUT_COLUMNS, about_rows(head)),
    ):
        yield line([])
        yield line(list(columns))
        for cells in rows:
            yield line(cells)


def _text_cells(sheet: WriteOnlyWorksheet, cells: list[Any]) -> list[Any]:
    """Cells of a row with every text typed as text, so no cell is ever a formula."""
    typed: list[Any] = []
    for value in cells:
        cell = WriteOnlyCell(sheet, value=xlsx_text(value) if isinstance(value, str) else value)
        if isinstance(value, str):
            cell.data_type = "s"
            cell.quotePrefix = True
        typed.append(cell)
    return typed


def write_xlsx(head: dict[str, Any], handle: IO[bytes], events: Iterator[dict[str, Any]]) -> None:
    """The export as an Excel workbook: sheets of events, checkpoints and what it is."""
    # Write-only mode streams rows to a temporary file, so a long log need not fit in memory.
    book = Workbook(write_only=True)
    sheet = book.create_sheet("events")
    sheet.append(_text_cells(sheet, list(COLUMNS)))
    for entry in events:
        sheet.append(_text_cells(sheet, row(entry)))
    for name, columns, rows in (
        ("checkpoints", CHECKPOINT_COLUMNS,
         [[c[k] for k in CHECKPOINT_COLUMNS] for c in head["checkpoints"]]),
        ("export", ABOUT_COLUMNS, about_rows(head)),
    ):  # fmt: skip
        extra = book.create_sheet(name)
        for cells in [list(columns), *rows]:
            extra.append(_text_cells(extra, cells))
    book.save(handle)
