"""A value log: a list that only grows, stored in snapshots as rows and read back lazily."""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone

import pytest
from eventsourcing.persistence import JSONTranscoder

from domain.plan.values import ProgressReport
from domain.transcodings import SNAPSHOT_VALUES, ValueLogAsRows
from domain.value_log import ValueLog, row_shape

WIB = timezone(timedelta(hours=7))


def report(number: int, zone: timezone = UTC) -> ProgressReport:
    moment = datetime(2025, 1, 1, 8, tzinfo=zone) + timedelta(days=number)
    return ProgressReport(float(number), f"Laporan {number}", ("a.pdf",), "", "1966", moment)


def transcoder() -> JSONTranscoder:
    """The store's JSON with the log's transcoding, as every application registers it."""
    json_transcoder = JSONTranscoder()
    json_transcoder.register(ValueLogAsRows())
    return json_transcoder


def test_a_log_reads_like_the_list_it_grew_from() -> None:
    log = ValueLog(ProgressReport)
    for number in range(3):
        log.append(report(number))
    assert len(log) == 3
    assert log[-1] == report(2)
    assert log[:2] == [report(0), report(1)]
    assert [r.percent for r in log] == [0.0, 1.0, 2.0]
    assert log == [report(0), report(1), report(2)]
    assert log == ValueLog(ProgressReport, [report(0), report(1), report(2)])
    assert log != ValueLog(ProgressReport, [report(0)])
    with pytest.raises(TypeError):
        hash(log)


def test_a_stored_log_reads_back_equal_with_zones_and_tuples_as_they_were() -> None:
    log = ValueLog(ProgressReport, [report(0), report(1, WIB)])
    stored = transcoder().encode({"reports": log})
    assert b"value_model_ProgressReport" in stored
    assert stored.count(b"_type_") == 1  # one encoded object for the whole log, not per value
    read = transcoder().decode(stored)["reports"]
    assert read == log
    assert read[1].effective_at.utcoffset() == timedelta(hours=7)
    assert read[0].evidence == ("a.pdf",)
    with pytest.raises(AttributeError):
        read[0].percent = 5.0  # type: ignore[misc]


def test_values_appended_after_the_stored_rows_come_after_them() -> None:
    read = transcoder().decode(transcoder().encode(ValueLog(ProgressReport, [report(0)])))
    read.append(report(1))
    assert len(read) == 2
    assert read.rows()[1] == row_shape(ProgressReport).row(report(1))
    assert list(read) == [report(0), report(1)]
    again = transcoder().decode(transcoder().encode(read))
    assert again == [report(0), report(1)]


def test_a_copied_log_grows_apart_from_the_original() -> None:
    read = transcoder().decode(transcoder().encode(ValueLog(ProgressReport, [report(0)])))
    copied = copy.deepcopy(read)
    copied.append(report(1))
    assert len(read) == 1
    assert len(copied) == 2


def test_rows_stored_under_an_old_field_name_read_under_the_new_one(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(ProgressReport, "STORED_AS", {"catatan": "note"}, raising=False)
    stored = json.loads(transcoder().encode(ValueLog(ProgressReport, [report(4)])))
    stored["_data_"]["fields"][1] = "catatan"
    read = transcoder().decode(json.dumps(stored).encode())
    assert read == [report(4)]


@dataclass(frozen=True)
class Tagged:
    name: str
    tags: tuple[str, ...] = ()


def test_rows_stored_before_a_field_was_added_take_its_default(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(SNAPSHOT_VALUES, "test_tagged", Tagged)
    stored = {"of": "test_tagged", "fields": ["name"], "rows": [["x"]]}
    assert ValueLogAsRows().decode(stored) == [Tagged("x")]


def test_a_log_of_values_with_no_pinned_name_is_refused_when_stored() -> None:
    with pytest.raises(TypeError, match="SNAPSHOT_VALUES"):
        transcoder().encode(ValueLog(Tagged, [Tagged("x")]))
