"""Check a Jejak audit export on your own machine: needs only Python 3.11+ and `cryptography`.

    python jejak_verify.py export.jsonl|export.csv|export.xlsx [--public-key BASE64 ...]

Recomputes the hash chain from every event, checks that the readable columns (what kind of
record, which event, who, in which capacity, when, what) say what the chained record says,
and checks the signatures of the checkpoints. Prints OK, or the first position that is not
as recorded, the record and event there, and what differs; exits 0 when the export is
intact, 1 when it was altered, 2 when it cannot be read. The encoding is described in
Jejak's docs/auditors.md; this file depends on nothing else (Excel files are read with the
standard library).
"""

from __future__ import annotations

import argparse
import base64
import binascii
import csv
import hashlib
import json
import re
import sys
import zipfile
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from uuid import UUID
from xml.etree import ElementTree

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

ENCODING = "jejak-chain-v1"
GENESIS = "0" * 64
#: Columns of the CSV and Excel exports, in order; then the checkpoints; then the settings.
COLUMNS = (
    "position", "aggregate_id", "aggregate_kind", "version", "class_version", "event_type",
    "effective_at", "recorded_at", "actor", "capacity", "payload", "topic", "state_b64",
    "prev_hash", "hash",
)  # fmt: skip
CHECKPOINT_COLUMNS = ("position", "hash", "signed_at", "public_key", "signature")
ABOUT_COLUMNS = ("setting", "value")
#: Keys of the stored state shown in their own columns (or bookkeeping), not in the payload.
ENVELOPE = ("timestamp", "actor", "capacity", "effective_at", "originator_topic", "class_version")
#: What each kind of alteration means, in the report's words.
KINDS = {
    "changed": "what the export shows is not what was recorded",
    "missing": "an event of the log is not in the export",
    "reordered": "an event is not at its place in the log",
    "inserted": "an event appears that the log does not hold there",
    "bad-signature": "a checkpoint's signature does not match",
    "unknown-key": "a checkpoint was signed by a key that is not trusted",
    "checkpoint-mismatch": "the chain differs from what a signed checkpoint recorded",
}


class AlteredError(Exception):
    """The export is not what was recorded: where, which event, and what kind of change."""

    def __init__(self, position: int, kind: str, detail: str, where: str = "") -> None:
        lines = [f"ALTERED at position {position}: {kind} ({detail})"]
        if where:
            lines.append(f"  at: {where}")
        lines.append(f"  meaning: {KINDS[kind]}")
        super().__init__("\n".join(lines))
        self.position, self.kind, self.detail = position, kind, detail


# --- The chained record ------------------------------------------------------------------


def canonical_record(event: dict[str, Any]) -> bytes:
    """Length-prefixed fields: encoding, position, aggregate id, version, topic, state."""
    fields = (
        ENCODING.encode(),
        str(int(event["position"])).encode(),
        str(event["aggregate_id"]).encode(),
        str(int(event["version"])).encode(),
        str(event["topic"]).encode(),
        base64.b64decode(event["state_b64"], validate=True),
    )
    return b"".join(len(field).to_bytes(8, "big") + field for field in fields)


def chain_hash(prev_hash: str, event: dict[str, Any]) -> str:
    """SHA-256 of the previous hash's raw bytes followed by the canonical record."""
    return hashlib.sha256(bytes.fromhex(prev_hash) + canonical_record(event)).hexdigest()


# --- The readable columns ----------------------------------------------------------------


def utc_text(text: str) -> str:
    """A stored moment as exports show every moment: ISO-8601 in UTC (``+00:00``)."""
    moment = datetime.fromisoformat(text)
    try:
        return moment.astimezone(UTC).isoformat() if moment.tzinfo else moment.isoformat()
    except OverflowError:  # within hours of year 1 or 9999: no UTC form; shown as stored
        return text


def plain(value: Any) -> Any:
    """A stored value with its type tags removed (ids hyphenated, moments in UTC)."""
    if isinstance(value, list):
        return [plain(v) for v in value]
    if not isinstance(value, dict):
        return value
    if set(value) == {"_type_", "_data_"}:
        kind, data = value["_type_"], plain(value["_data_"])
        if kind == "uuid_hex":
            return str(UUID(data))
        return utc_text(data) if kind == "datetime_iso" else data
    return {k: plain(v) for k, v in value.items()}


def recorded_columns(event: dict[str, Any]) -> dict[str, Any]:
    """The readable columns as the chained record (topic and stored state) says they are."""
    try:
        state = plain(json.loads(base64.b64decode(event["state_b64"], validate=True)))
    except (TypeError, AttributeError) as error:
        raise ValueError(str(error)) from None
    if not isinstance(state, dict) or not state:
        raise ValueError("the stored state is not an object")
    path = str(event["topic"]).partition(":")[2] or str(event["topic"])
    kind, _, event_type = path.rpartition(".")
    return {
        "aggregate_kind": kind or path,
        "event_type": event_type or path,
        "class_version": state.get("class_version", 1),
        "effective_at": state.get("effective_at"),
        "recorded_at": state.get("timestamp"),
        "actor": state.get("actor"),
        "capacity": state.get("capacity"),
        "payload": {k: v for k, v in state.items() if k not in ENVELOPE},
    }


def _text(value: Any) -> str:
    """A value as canonical JSON text, so that equal records compare equal (NaN included)."""
    return json.dumps(value, sort_keys=True, ensure_ascii=False)


def _short(value: Any) -> str:
    text = _text(value)
    return text if len(text) <= 80 else text[:77] + "..."


def _difference(column: str, shown: Any, recorded: Any) -> str:
    """What differs, in words: the column, and for the payload the first field that differs."""
    if column == "payload" and isinstance(shown, dict) and isinstance(recorded, dict):
        for name in sorted(shown.keys() | recorded.keys()):
            if _text(shown.get(name)) != _text(recorded.get(name)) or (name in shown) != (
                name in recorded
            ):
                return (
                    f"the payload shown differs from the recorded event: field '{name}' shows "
                    f"{_short(shown.get(name))}, the record says {_short(recorded.get(name))}"
                )
    return (
        f"the {column} shown differs from the recorded event: it shows {_short(shown)},"
        f" the record says {_short(recorded)}"
    )


def where(event: dict[str, Any]) -> str:
    """The record and the event at a line, in words, as its chained topic names them."""
    path = str(event.get("topic", "")).partition(":")[2] or str(event.get("topic", "?"))
    kind, _, event_type = path.rpartition(".")
    return (
        f"record {kind or path} {event.get('aggregate_id', '?')}, its event number"
        f" {event.get('version', '?')} ({event_type or path})"
    )


def check_readable(event: dict[str, Any]) -> None:
    """The columns people read must say what the chained record says."""
    try:
        recorded = recorded_columns(event)
    except ValueError:  # the chained state is not JSON: it was not written by Jejak
        raise AlteredError(
            int(event["position"]), "changed", "the stored state is not a recorded event",
            where(event),
        ) from None  # fmt: skip
    for column, value in recorded.items():
        if not _same(_blank_is_none(event.get(column)), _blank_is_none(value)):
            raise AlteredError(
                int(event["position"]),
                "changed",
                _difference(column, event.get(column), value),
                where(event),
            )


def _same(shown: Any, recorded: Any) -> bool:
    """Equal values of the same JSON types (``1``, ``1.0`` and ``true`` differ; NaN is NaN)."""
    if type(shown) is not type(recorded):
        return False
    if isinstance(shown, dict):
        return shown.keys() == recorded.keys() and all(
            _same(v, recorded[k]) for k, v in shown.items()
        )
    if isinstance(shown, list):
        return len(shown) == len(recorded) and all(map(_same, shown, recorded))
    if isinstance(shown, float) and shown != shown:
        return recorded != recorded
    return bool(shown == recorded)


def _blank_is_none(value: Any) -> Any:
    # A spreadsheet cannot tell an empty cell from a missing value: both mean "not recorded".
    return None if value == "" else value


# --- Reading the three formats -----------------------------------------------------------


def read(path: Path) -> tuple[dict[str, Any], Iterator[dict[str, Any]]]:
    """The header (settings and checkpoints) and the events of an export of any format."""
    with path.open("rb") as handle:
        start = handle.read(4)
    if start.startswith(b"PK"):
        return read_xlsx(path)
    if start.lstrip().startswith(b"{"):
        return read_jsonl(path)
    return read_csv(path)


def read_jsonl(path: Path) -> tuple[dict[str, Any], Iterator[dict[str, Any]]]:
    """The header line and the event lines of a JSON lines export."""
    lines = (json.loads(line) for line in path.open(encoding="utf-8") if line.strip())
    header = next(lines, None)
    if not header or header.get("record") != "header" or header.get("encoding") != ENCODING:
        raise ValueError(f"not a Jejak export with encoding {ENCODING}")
    return header, lines


def _sections(rows: list[list[str]]) -> dict[tuple[str, ...], list[list[str]]]:
    """Rows grouped by the header row of each table (tables are separated by blank rows)."""
    found: dict[tuple[str, ...], list[list[str]]] = {}
    current: list[list[str]] | None = None
    for cells in rows:
        if not any(cells):
            current = None
        elif current is None:
            current = found.setdefault(tuple(cells), [])
        else:
            current.append(cells)
    return found


def _from_tables(tables: dict[tuple[str, ...], list[list[Any]]]) -> tuple[dict[str, Any], Any]:
    """Header and events from the events, checkpoints and settings tables."""
    if COLUMNS not in tables:
        raise ValueError("not a Jejak export: the events table has other columns")
    about = {r[0]: r[1] for r in tables.get(ABOUT_COLUMNS, [])}
    if about.get("encoding") != ENCODING:
        raise ValueError(f"not a Jejak export with encoding {ENCODING}")
    header = {
        **about,
        "selection": json.loads(about.get("selection") or "{}"),
        "checkpoints": [dict(zip(CHECKPOINT_COLUMNS, r, strict=False))
                        for r in tables.get(CHECKPOINT_COLUMNS, [])],
    }  # fmt: skip
    events = (_event_of_row(cells) for cells in tables[COLUMNS])
    return header, events


def _event_of_row(cells: list[Any]) -> dict[str, Any]:
    event = dict(zip(COLUMNS, cells, strict=False))
    event["payload"] = json.loads(event["payload"]) if event.get("payload") else None
    return event


def read_csv(path: Path) -> tuple[dict[str, Any], Iterator[dict[str, Any]]]:
    """A CSV export; a leading ``'`` (put before formula-like text) is removed from each cell."""
    with path.open(encoding="utf-8", newline="") as handle:
        rows = [[c[1:] if c.startswith("'") else c for c in r] for r in csv.reader(handle)]
    return _from_tables(_sections(rows))


_NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"


def read_xlsx(path: Path) -> tuple[dict[str, Any], Iterator[dict[str, Any]]]:
    """An Excel export, read with the standard library (each sheet is one table)."""
    with zipfile.ZipFile(path) as book:
        shared = _shared_strings(book)
        rels = _xml(book.read("xl/_rels/workbook.xml.rels"))
        targets = {r.get("Id"): r.get("Target", "") for r in rels}
        workbook = _xml(book.read("xl/workbook.xml"))
        tables: dict[tuple[str, ...], list[list[Any]]] = {}
        for sheet in workbook.iterfind("m:sheets/m:sheet", _NS):
            target = targets[sheet.get(_REL)].lstrip("/")
            name = target if target.startswith("xl/") else f"xl/{target}"
            rows = _sheet_rows(_xml(book.read(name)), shared)
            if rows:
                tables[tuple(rows[0])] = rows[1:]
    return _from_tables(tables)


def _xml(data: bytes) -> ElementTree.Element:
    """Parse one part of the workbook, refusing any DTD (no entity tricks in a hostile file)."""
    if b"<!doctype" in data.lower():
        raise ValueError("the Excel file holds a DTD, which Jejak never writes")
    return ElementTree.fromstring(data)  # noqa: S314 - DTDs refused above; expat resolves no URLs


_ESCAPED = re.compile(r"_x([0-9A-Fa-f]{4})_")


def _unescaped(text: str) -> str:
    """Text of a cell with its ``_xHHHH_`` escapes (ECMA-376) turned back into characters."""
    return _ESCAPED.sub(lambda m: chr(int(m.group(1), 16)), text)


def _text_of(element: ElementTree.Element) -> str:
    return _unescaped("".join(t.text or "" for t in element.iter(f"{{{_NS['m']}}}t")))


def _shared_strings(book: zipfile.ZipFile) -> list[str]:
    if "xl/sharedStrings.xml" not in book.namelist():
        return []
    return [_text_of(si) for si in _xml(book.read("xl/sharedStrings.xml"))]


def _column_index(reference: str) -> int:
    letters = re.match(r"[A-Z]+", reference)
    index = 0
    for letter in letters.group(0) if letters else "A":
        index = index * 26 + ord(letter) - 64
    return index - 1


def _sheet_rows(root: ElementTree.Element, shared: list[str]) -> list[list[Any]]:
    rows: list[list[Any]] = []
    for row in root.iterfind("m:sheetData/m:row", _NS):
        cells: list[Any] = []
        for cell in row.iterfind("m:c", _NS):
            index = _column_index(cell.get("r", "A"))
            cells.extend([None] * (index - len(cells)))
            cells.append(_cell_value(cell, shared))
        rows.append(cells)
    return rows


def _cell_value(cell: ElementTree.Element, shared: list[str]) -> Any:
    kind, value = cell.get("t"), cell.find("m:v", _NS)
    if kind == "inlineStr":
        return _text_of(cell)
    if value is None or value.text is None:
        return None
    if kind == "s":
        return shared[int(value.text)]
    if kind in ("str", "e"):
        return _unescaped(value.text)
    if kind == "b":
        return value.text == "1"
    number = float(value.text)
    return int(number) if number.is_integer() else number


# --- Walking the chain -------------------------------------------------------------------


def _int(value: Any, column: str, position: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise AlteredError(
            int(position) if str(position).isdigit() else 0, "changed",
            f"the {column} shown is not a whole number: {_short(value)}",
        ) from None  # fmt: skip


def _normalised(event: dict[str, Any]) -> dict[str, Any]:
    """Numbers as numbers (a spreadsheet may give them as text)."""
    position = _int(event.get("position"), "position", event.get("position"))
    event["position"] = position
    event["version"] = _int(event.get("version"), "version", position)
    event["class_version"] = _int(event.get("class_version"), "class_version", position)
    return event


class Walk:
    """The state of the walk through the chain: the last event accepted and its hash."""

    def __init__(self, gaps_allowed: bool, from_genesis: bool) -> None:
        self.gaps_allowed = gaps_allowed
        self.running: str | None = GENESIS if from_genesis else None
        self.last_position = 0
        self.hashes: dict[int, str] = {}
        self.gaps: list[tuple[int, int]] = []

    def accept(self, event: dict[str, Any], following: dict[str, Any] | None) -> None:
        """Accept one event line, or raise what is wrong at its position."""
        position, expected = event["position"], self.last_position + 1
        own = _own_hash(event)
        if own != event["hash"] and position != expected:
            moved = _own_hash({**event, "position": expected, "prev_hash": self.running})
            if moved == event["hash"]:
                raise AlteredError(
                    expected, "changed",
                    f"the position shown is {position}, the event was chained at {expected}",
                    where(event),
                )  # fmt: skip
        if position == self.last_position and self.hashes:
            raise AlteredError(
                position, "inserted", "this position appears twice in the export", where(event)
            )
        if position < self.last_position:
            raise AlteredError(
                position, "reordered", f"it comes after position {self.last_position}",
                where(event),
            )  # fmt: skip
        if own != event["hash"]:
            raise AlteredError(position, "changed", _unchained(event), where(event))
        if self.running is not None and event["prev_hash"] != self.running:
            self._break(event, following)
        check_readable(event)
        self.running, self.last_position, self.hashes[position] = own, position, own

    def _break(self, event: dict[str, Any], following: dict[str, Any] | None) -> None:
        """An intact line that does not link to the one before: a gap, a cut or a reorder."""
        position, expected = event["position"], self.last_position + 1
        if following is not None and following["position"] < position:
            raise AlteredError(
                expected, "reordered",
                f"position {position} comes where the log has the event after"
                f" position {self.last_position}",
            )  # fmt: skip
        if self.gaps_allowed:
            self.gaps.append((self.last_position, position))
            return
        if position == expected:
            raise AlteredError(
                position, "inserted",
                "this event does not link to the event before it: the log holds another here",
                where(event),
            )  # fmt: skip
        raise AlteredError(
            expected, "missing",
            f"the chain from position {self.last_position} to position {position} was cut:"
            " an event between them is not in the export",
        )  # fmt: skip


def _unchained(event: dict[str, Any]) -> str:
    """Why a line's hash does not follow from it, in words."""
    if _own_hash(event) is None:
        return "its stored state (state_b64) is not valid base64"
    return (
        "the hash shown does not follow from the line: its position, record id, event number,"
        " topic, stored state or one of its two hashes was changed"
    )


def _own_hash(event: dict[str, Any]) -> str | None:
    """The hash of a line as it stands (None when its stored state is not even base64)."""
    try:
        return chain_hash(str(event["prev_hash"]), event)
    except (ValueError, TypeError):
        return None


def check_chain(
    events: Iterator[dict[str, Any]], gaps_allowed: bool = False, from_genesis: bool = False
) -> Walk:
    """Walk the event lines in order, looking one line ahead to tell a reorder from a gap."""
    walk = Walk(gaps_allowed, from_genesis)
    lines = (_normalised(event) for event in events)
    current = next(lines, None)
    while current is not None:
        following = next(lines, None)
        walk.accept(current, following)
        current = following
    return walk


def check_checkpoint(
    cp: dict[str, Any], walk: Walk, pinned: set[str], complete_after: bool
) -> None:
    """One checkpoint: a trusted key, a valid signature, and the hash the chain has there."""
    position = int(cp["position"])
    if pinned and cp["public_key"] not in pinned:
        raise AlteredError(position, "unknown-key", "signed by a key that is not trusted")
    message = f"jejak-checkpoint|{position}|{cp['hash']}|{cp['signed_at']}".encode()
    try:
        key = Ed25519PublicKey.from_public_bytes(base64.b64decode(cp["public_key"]))
        key.verify(base64.b64decode(cp["signature"]), message)
    except (InvalidSignature, ValueError, binascii.Error):
        raise AlteredError(
            position, "bad-signature", "the checkpoint signature does not match"
        ) from None
    if position in walk.hashes and walk.hashes[position] != cp["hash"]:
        raise AlteredError(
            position, "checkpoint-mismatch", "the chain differs from the signed hash"
        )
    if complete_after and position > walk.last_position:
        raise AlteredError(
            position, "missing",
            f"a signed checkpoint names position {position}, after the export's last event"
            f" ({walk.last_position}): the end of the export was cut",
        )  # fmt: skip


def verify(path: Path, pinned: set[str]) -> str:
    """Check the export at ``path``; returns the OK line or raises ``AlteredError``."""
    header, events = read(path)
    selection = header.get("selection") or {}
    on_effective = bool(selection.get("effective_from") or selection.get("effective_to"))
    # An export that starts (or runs to) an end of the log must reach that end.
    from_genesis = not on_effective and not selection.get("recorded_from")
    open_ended = not on_effective and not selection.get("recorded_to")
    walk = check_chain(events, gaps_allowed=on_effective, from_genesis=from_genesis)
    checkpoints = sorted(header.get("checkpoints", []), key=lambda cp: int(cp["position"]))
    for checkpoint in checkpoints:
        check_checkpoint(checkpoint, walk, pinned, complete_after=open_ended and bool(walk.hashes))
    covered = sum(1 for cp in checkpoints if int(cp["position"]) in walk.hashes)
    note = "" if pinned else " (keys not pinned: pass --public-key)"
    gaps = (
        f"; selected by effective time, {len(walk.gaps)} runs of the log left out"
        if on_effective
        else ""
    )
    return (
        f"OK: {len(walk.hashes)} events, {len(checkpoints)} checkpoints ({covered} in range)"
        f"{gaps}{note}"
    )


def main(argv: list[str] | None = None) -> int:
    """Command line entry point."""
    parser = argparse.ArgumentParser(description="Verify a Jejak audit export (jsonl, csv, xlsx).")
    parser.add_argument("export", type=Path)
    parser.add_argument("--public-key", action="append", default=[], help="trusted key, base64")
    args = parser.parse_args(argv)
    try:
        print(verify(args.export, set(args.public_key)))
    except AlteredError as altered:
        print(altered)
        return 1
    except (OSError, ValueError, KeyError, TypeError, zipfile.BadZipFile) as exc:
        print(f"Cannot read {args.export}: {exc}")
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
