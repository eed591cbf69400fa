"""Edits of an export the way someone with the file would alter it, one column or byte at a time."""

from __future__ import annotations

import base64
import copy
import json
import random
import uuid
from pathlib import Path
from typing import Any

from projections.audit.export import ExportFormat, csv_lines, jsonl_lines, write_xlsx

#: Columns people read (derived from the chained record) and the chained columns themselves.
READABLE = ("aggregate_kind", "event_type", "class_version", "effective_at", "recorded_at",
            "actor", "capacity", "payload")  # fmt: skip
CHAINED = ("state_b64", "topic", "aggregate_id", "version", "position", "hash", "prev_hash")
EDITS = READABLE + CHAINED


def _different(value: Any) -> Any:
    """Another value of the same kind, never blank (a blank cell reads as no value)."""
    if isinstance(value, bool) or value is None:
        return "x"
    if isinstance(value, int):
        return value + 1
    return f"{value}x" if value else "x"


def _hex_flipped(text: str, rng: random.Random) -> str:
    i = rng.randrange(len(text))
    return text[:i] + format((int(text[i], 16) + 1) % 16, "x") + text[i + 1 :]


def _payload_edited(payload: dict[str, Any], rng: random.Random) -> dict[str, Any]:
    """A field's value changed, a field added, or a field removed."""
    names = sorted(payload)
    how = rng.choice(["change", "add", "remove"] if names else ["add"])
    if how == "add":
        return {**payload, "added_later": "x"} if "added_later" not in payload else {}
    name = rng.choice(names)
    if how == "remove":
        return {k: v for k, v in payload.items() if k != name}
    value = payload[name]
    return {**payload, name: _different(value) if not isinstance(value, list | dict) else "x"}


def edit_entry(entry: dict[str, Any], column: str, rng: random.Random) -> None:
    """Change one column of one exported event in place."""
    value = entry[column]
    if column == "payload":
        entry[column] = _payload_edited(value, rng)
    elif column == "state_b64":
        state = bytearray(base64.b64decode(value))
        state[rng.randrange(len(state))] ^= 1 << rng.randrange(8)
        entry[column] = base64.b64encode(bytes(state)).decode()
    elif column in ("hash", "prev_hash"):
        entry[column] = _hex_flipped(value, rng)
    elif column == "aggregate_id":
        entry[column] = str(uuid.uuid4())
    elif column == "position":
        entry[column] = value + rng.choice([-2, -1, 1, 2, 1000])
    else:
        entry[column] = _different(value)


def edited(
    entries: list[dict[str, Any]], index: int, column: str, rng: random.Random
) -> list[dict[str, Any]]:
    """A copy of the exported events with one column of one event changed (others shared)."""
    changed = list(entries)
    changed[index] = copy.deepcopy(entries[index])
    edit_entry(changed[index], column, rng)
    return changed


class JsonLines:
    """The JSON lines of exported events, each written once and kept by the event's identity."""

    def __init__(self) -> None:
        self._lines: dict[int, tuple[dict[str, Any], bytes]] = {}

    def line(self, entry: dict[str, Any]) -> bytes:
        """The line of ``entry`` (an edited copy is a new object, so it is written anew)."""
        kept = self._lines.get(id(entry))
        if kept is None or kept[0] is not entry:
            kept = (entry, json.dumps({"record": "event", **entry}, sort_keys=True).encode())
            self._lines[id(entry)] = kept
        return kept[1] + b"\n"


def write_entries(
    head: dict[str, Any],
    entries: list[dict[str, Any]],
    fmt: ExportFormat,
    out: Path,
    lines: JsonLines | None = None,
) -> Path:
    """Write already exported (and maybe edited) events as an export file of ``fmt``."""
    with out.open("wb") as handle:
        if fmt == "xlsx":
            write_xlsx(head, handle, iter(entries))
        elif fmt == "jsonl" and lines is not None:
            handle.write(json.dumps(head, sort_keys=True).encode() + b"\n")
            handle.write(b"".join(lines.line(entry) for entry in entries))
        else:
            writer = jsonl_lines if fmt == "jsonl" else csv_lines
            for line in writer(head, iter(entries)):
                handle.write(line.encode())
    return out


#: Edits of whole lines (rows): removing one, swapping two, repeating one.
LINE_EDITS = ("delete", "swap", "duplicate")


def rearranged(
    entries: list[dict[str, Any]], how: str, rng: random.Random
) -> tuple[list[dict[str, Any]], tuple[int, str]]:
    """A copy with lines moved about, and the position and kind the verifier must report."""
    changed = list(entries)
    i = rng.randrange(len(entries))
    if how == "delete":
        del changed[i]
        return changed, (entries[i]["position"], "missing")
    if how == "duplicate":
        changed.insert(i + 1, copy.deepcopy(entries[i]))
        return changed, (entries[i]["position"], "inserted")
    i, j = sorted(rng.sample(range(len(entries)), 2))
    changed[i], changed[j] = changed[j], changed[i]
    return changed, (entries[i]["position"], "reordered")


def any_edit(
    entries: list[dict[str, Any]], rng: random.Random
) -> tuple[list[dict[str, Any]], tuple[int, str]]:
    """One random edit of a column or of the lines, and what the verifier must report."""
    how = rng.choice(EDITS + LINE_EDITS)
    if how in LINE_EDITS:
        return rearranged(entries, how, rng)
    index = rng.randrange(len(entries))
    return edited(entries, index, how, rng), (entries[index]["position"], "changed")
