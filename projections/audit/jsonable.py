"""Turn decoded domain values into plain JSON values, the same way everywhere in the audit.

A state as of a version holds every value the aggregate holds (a milestone: every progress
report it ever received), so the conversion is chosen once per type, not per value: the
first value of a type finds its converter by the rules below, the next ones look it up.
"""

from __future__ import annotations

import base64
import dataclasses
import enum
from collections.abc import Callable, Mapping
from datetime import UTC, date, datetime, time
from decimal import Decimal
from functools import cache
from typing import Any
from uuid import UUID

from domain.value_log import RowShape, ValueLog

Converter = Callable[[Any], Any]

#: Types whose values are JSON values already (subclasses go through ``_converter``).
_PLAIN = frozenset({str, int, float, bool, type(None)})


def to_jsonable(value: Any) -> Any:
    """A JSON-able copy of ``value`` (ids and moments as text, UTC, sets sorted, bytes base64)."""
    kind = type(value)
    if kind in _PLAIN:
        return value
    convert = _CONVERTERS.get(kind)
    if convert is None:
        convert = _CONVERTERS[kind] = _converter(kind)
    return convert(value)


def _converter(kind: type) -> Converter:
    """How values of ``kind`` become JSON values (in this order of rules)."""
    if issubclass(kind, bool | int | float | str):
        return _same
    if issubclass(kind, enum.Enum):
        return lambda value: to_jsonable(value.value)
    if issubclass(kind, datetime):
        return _moment
    if issubclass(kind, date | time):
        return _iso
    if issubclass(kind, UUID | Decimal):
        return str
    if issubclass(kind, bytes):
        return lambda value: base64.b64encode(value).decode()
    if issubclass(kind, ValueLog):
        return lambda log: log_rows(log.shape, log.rows())
    if dataclasses.is_dataclass(kind):
        return _fields_of(tuple(f.name for f in dataclasses.fields(kind)))
    if issubclass(kind, Mapping):
        return lambda value: {str(k): to_jsonable(v) for k, v in value.items()}
    if issubclass(kind, set | frozenset):
        return lambda value: sorted((to_jsonable(v) for v in value), key=repr)
    if issubclass(kind, list | tuple):
        return lambda value: [to_jsonable(v) for v in value]
    return _attributes


def _same(value: Any) -> Any:
    return value


def _moment(value: datetime) -> str:
    # One convention: every moment with a zone in UTC (most are read back in UTC already).
    if value.tzinfo is None or value.tzinfo is UTC:
        return value.isoformat()
    return value.astimezone(UTC).isoformat()


def _iso(value: date | time) -> str:
    return value.isoformat()


def _fields_of(names: tuple[str, ...]) -> Converter:
    return lambda value: {name: to_jsonable(getattr(value, name)) for name in names}


def log_rows(shape: RowShape, rows: list[list[Any]]) -> list[dict[str, Any]]:
    """The JSON values of a ``ValueLog``'s rows: what converting each value would give.

    Rows hold plain cells already (moments and dates as ISO text, tuples as lists), so only
    a moment not written in UTC, a sequence (copied: the rows are the log's own) and a cell
    of a field not declared as text or a number are looked at.
    """
    answer = list(map(_row_dict(shape.fields), rows))
    # Field by field, not row by row: most cells need nothing, and the loops stay short.
    for name, convert in zip(shape.fields, shape.to_cell, strict=True):
        if name in shape.moments:
            for value in answer:
                if not value[name].endswith("+00:00"):
                    value[name] = _moment(datetime.fromisoformat(value[name]))
        elif convert is list and name in shape.simple:
            for value in answer:
                value[name] = value[name][:]
        elif convert is list:
            for value in answer:
                cell = value[name]
                value[name] = [c if type(c) in _PLAIN else to_jsonable(c) for c in cell]
        elif convert is None and name not in shape.simple:
            for value in answer:
                if type(value[name]) not in _PLAIN:
                    value[name] = to_jsonable(value[name])
    return answer


@cache
def _row_dict(fields: tuple[str, ...]) -> Callable[[list[Any]], dict[str, Any]]:
    """A function making the dict of one row: a dict display, three times ``dict(zip())``'s
    speed (the names are a dataclass's field names, so the source is only identifiers)."""
    if not all(name.isidentifier() for name in fields):
        return lambda row: dict(zip(fields, row, strict=True))
    cells = ", ".join(f"{name!r}: row[{index}]" for index, name in enumerate(fields))
    made: Callable[[list[Any]], dict[str, Any]] = eval(f"lambda row: {{{cells}}}")  # noqa: S307
    return made


def _attributes(value: Any) -> Any:
    if hasattr(value, "__dict__"):
        return {k: to_jsonable(v) for k, v in vars(value).items() if not k.startswith("_")}
    return str(value)


_CONVERTERS: dict[type, Converter] = {}
