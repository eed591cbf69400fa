"""How the shared store writes the values that are not plain JSON: dates and value objects."""

from __future__ import annotations

from dataclasses import fields
from datetime import date
from typing import Any

from eventsourcing.persistence import Transcoding

from domain.value_log import ValueLog, settable


class DateAsISO(Transcoding):
    """Stores a ``date`` as ISO text."""

    type = date
    name = "date_iso"

    def encode(self, obj: date) -> str:
        return obj.isoformat()

    def decode(self, data: str) -> date:
        return date.fromisoformat(data)


class ValueAsFields(Transcoding):
    """Stores a frozen value object an aggregate holds as its fields (snapshots need it).

    ``name`` is stored with every encoded value, so it is pinned (like an event topic):
    moving the class to another module must not change it.
    """

    def __init__(self, name: str, kind: type) -> None:
        self.type, self.name = kind, name
        self.renamed: dict[str, str] = getattr(kind, "STORED_AS", {})
        # A plain dataclass is rebuilt from all its fields by setting them (see settable).
        plain = settable(kind)
        self.fields = frozenset(f.name for f in fields(kind)) if plain else None
        #: The fields in declaration order (the order the audit shows them in), when plain.
        self.order = tuple(f.name for f in fields(kind)) if plain else None

    def encode(self, obj: Any) -> dict[str, Any]:
        return {f.name: getattr(obj, f.name) for f in fields(obj)}

    def decode(self, data: dict[str, Any]) -> Any:
        # JSON has no tuples: a value object's sequences are tuples again, as constructed.
        # A field renamed since a snapshot was stored is read under its new name. A long
        # state holds thousands of values (a milestone's reports): one pass, exact types.
        if self.renamed:
            data = {self.renamed.get(k, k): v for k, v in data.items()}
        values = {k: tuple(v) if type(v) is list else v for k, v in data.items()}
        if self.fields is not None and values.keys() == self.fields:
            value: Any = object.__new__(self.type)
            value.__dict__.update(values)
            return value
        return self.type(**values)


#: Value objects kept in snapshotted aggregates, by their stored (pinned) name; every
#: application registers them, so any application (the audit's included) can read any
#: snapshot. Contexts add theirs.
SNAPSHOT_VALUES: dict[str, type] = {}


class ValueLogAsRows(Transcoding):
    """Stores a ``ValueLog`` as the pinned name of its values' class, its fields and rows."""

    type = ValueLog
    name = "value_log"

    def encode(self, obj: ValueLog[Any]) -> dict[str, Any]:
        return {"of": _pinned_name(obj.kind), "fields": list(obj.shape.fields), "rows": obj.rows()}

    def decode(self, data: dict[str, Any]) -> ValueLog[Any]:
        return ValueLog.from_rows(SNAPSHOT_VALUES[data["of"]], data["fields"], data["rows"])


def _pinned_name(kind: type) -> str:
    for name, known in SNAPSHOT_VALUES.items():
        if known is kind:
            return name
    raise TypeError(f"{kind.__name__} is kept in a ValueLog but not named in SNAPSHOT_VALUES.")
