"""Every view's tables as the database gets them: the same, to the byte, as they were written
by hand before the views declared ``Table`` values (``ddl.json`` holds those statements).

A difference here means a stored table would change shape without a new view version: bump
the view's version (it is then rebuilt) and record the new statements in ``ddl.json``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from projections.engine.dialect import Dialect, PostgresDialect
from projections.engine.generations import create_generation
from projections.engine.registry import all_views
from projections.engine.schema import Column, Table
from projections.engine.view import View

RECORDED = json.loads((Path(__file__).parent / "ddl.json").read_text(encoding="utf-8"))


class Statements:
    """A transaction that only notes the statements it is given."""

    def __init__(self) -> None:
        self.sql: list[str] = []

    def execute(self, sql: str, params: Any = ()) -> None:
        self.sql.append(sql)

    def set_position(self, view: str, generation: int, position: int) -> None:
        """Positions are not DDL."""


def statements(view: View, dialect: Dialect) -> list[str]:
    tx = Statements()
    create_generation(tx, dialect, view, 1)  # type: ignore[arg-type]
    return tx.sql


def test_every_view_is_recorded() -> None:
    assert sorted(view.name for view in all_views()) == sorted(RECORDED)


@pytest.mark.parametrize("view", all_views(), ids=lambda view: view.name)
def test_tables_and_version_are_as_recorded(view: View) -> None:
    recorded = RECORDED[view.name]
    assert view.version == recorded["version"]
    for dialect in (Dialect({}), PostgresDialect({})):
        assert statements(view, dialect) == recorded[dialect.name]


def test_a_column_spec_names_type_null_and_default() -> None:
    assert Column.parse(" due_at text?") == Column("due_at", "text", nullable=True)
    assert Column.parse("reminders int=0").ddl(primary_key=False) == (
        "reminders {int} NOT NULL DEFAULT 0"
    )
    table = Table("t", "a text, b real?", key="a, b")
    assert table.ddl() == "a {text} NOT NULL, b {real}, PRIMARY KEY (a, b)"
    assert table.column_list == "a, b"


@pytest.mark.parametrize(("spec", "key"), [("a text, b varchar", "a"), ("a text", "b"), ("a", "a")])
def test_a_wrong_spec_or_key_is_refused(spec: str, key: str) -> None:
    with pytest.raises(ValueError, match=r"column|key"):
        Table("t", spec, key=key)


def test_a_view_names_itself_and_its_tables_in_its_class_line() -> None:
    with pytest.raises(TypeError, match="names no version or tables"):

        class Nameless(View, name="nameless"):
            """Has no version and no tables."""
