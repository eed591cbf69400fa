"""Decoded values as JSON values: one convention per kind, chosen once per type."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal
from uuid import UUID

from projections.audit.jsonable import to_jsonable

WIB = timezone(timedelta(hours=7))


class Colour(enum.Enum):
    RED = "red"


class Level(enum.IntEnum):
    HIGH = 2


@dataclass(frozen=True)
class Report:
    percent: float
    evidence: tuple[str, ...]
    at: datetime


class Plain:
    def __init__(self) -> None:
        self.shown, self._hidden = 1, 2


def test_each_kind_of_value_becomes_its_json_value() -> None:
    moment = datetime(2024, 3, 1, 10, 0, tzinfo=WIB)
    value = {
        "enum": Colour.RED,
        "int_enum": Level.HIGH,
        "wib": moment,
        "utc": moment.astimezone(UTC),
        "naive": datetime(2024, 3, 1, 10, 0),
        "day": date(2024, 3, 1),
        "id": UUID(int=1),
        "amount": Decimal("1.50"),
        "raw": b"\x00\x01",
        "reports": [Report(50.0, ("a.pdf",), moment)],
        "codes": {"B", "A"},
        "plain": Plain(),
        1: None,
    }
    assert to_jsonable(value) == {
        "enum": "red",
        "int_enum": 2,
        "wib": "2024-03-01T03:00:00+00:00",
        "utc": "2024-03-01T03:00:00+00:00",
        "naive": "2024-03-01T10:00:00",
        "day": "2024-03-01",
        "id": "00000000-0000-0000-0000-000000000001",
        "amount": "1.50",
        "raw": "AAE=",
        "reports": [{"percent": 50.0, "evidence": ["a.pdf"], "at": "2024-03-01T03:00:00+00:00"}],
        "codes": ["A", "B"],
        "plain": {"shown": 1},
        "1": None,
    }


def test_a_value_without_attributes_becomes_its_text() -> None:
    assert to_jsonable(range(2)) == "range(0, 2)"
