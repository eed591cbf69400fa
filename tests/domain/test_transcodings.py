"""Value objects read back from snapshots: the same values, checked as they were built."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

import pytest

from domain.plan.values import ProgressReport
from domain.transcodings import ValueAsFields


@dataclass(frozen=True)
class Checked:
    percent: float

    def __post_init__(self) -> None:
        if not 0 <= self.percent <= 100:
            raise ValueError("percent out of range")


@dataclass(frozen=True)
class WithDefault:
    name: str
    tags: tuple[str, ...] = ()


def test_a_plain_value_is_read_back_equal_with_tuples_again() -> None:
    report = ProgressReport(50.0, "note", ("a.pdf",), "", "1966", datetime(2024, 3, 1, tzinfo=UTC))
    transcoding = ValueAsFields("progress_report", ProgressReport)
    stored = {**transcoding.encode(report), "evidence": ["a.pdf"]}
    read = transcoding.decode(stored)
    assert read == report
    assert hash(read) == hash(report)
    assert read.evidence == ("a.pdf",)
    with pytest.raises(AttributeError):
        read.percent = 1.0  # type: ignore[misc]


def test_a_value_that_checks_itself_is_checked_when_read_back() -> None:
    with pytest.raises(ValueError, match="out of range"):
        ValueAsFields("checked", Checked).decode({"percent": 150.0})


def test_a_field_stored_before_it_existed_takes_its_default() -> None:
    assert ValueAsFields("with_default", WithDefault).decode({"name": "x"}) == WithDefault("x")
