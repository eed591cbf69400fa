"""A view's table, declared once: its name, columns, key and indexes; the DDL follows from it.

A table is written as a compact column spec, ``"name type"`` pairs separated by commas,
where ``type`` is ``text``, ``int`` or ``real``. A column is NOT NULL unless a ``?``
follows its type (``reference text?``); ``=value`` after the type is its default
(``reminders int=0``). ``key`` is the primary key's columns as SQL writes them
(``"session_id"`` or ``"session_id, opd_code"``), ``indexes`` the column lists to index.

The DDL made from it is the one the views wrote by hand before, to the byte, so no table
changes shape and no view is rebuilt by this way of writing it down.
"""

from __future__ import annotations

from dataclasses import dataclass, field

#: The column types a spec may name (the dialect maps each to the database's own).
TYPES = ("text", "int", "real")


@dataclass(frozen=True)
class Column:
    """One column: its name, its type (``text``, ``int``, ``real``), NULL allowed, default."""

    name: str
    type: str
    nullable: bool = False
    default: str = ""

    @classmethod
    def parse(cls, spec: str) -> Column:
        """``"reference text?"`` or ``"reminders int=0"`` as a column."""
        name, _, kind = spec.strip().partition(" ")
        kind, _, default = kind.strip().partition("=")
        nullable = kind.endswith("?")
        kind = kind.removesuffix("?")
        if not name or kind not in TYPES:
            raise ValueError(f"Not a column spec: {spec!r} (want 'name text|int|real[?][=v]').")
        return cls(name, kind, nullable, default)

    def ddl(self, primary_key: bool) -> str:
        """The column's definition, with ``{text}``-style placeholders for its type."""
        constraint = " PRIMARY KEY" if primary_key else "" if self.nullable else " NOT NULL"
        default = f" DEFAULT {self.default}" if self.default else ""
        return f"{self.name} {{{self.type}}}{constraint}{default}"


@dataclass(frozen=True)
class Table:
    """One of a view's tables. ``str(table)`` is its base name (the generation is added)."""

    name: str
    spec: str
    key: str
    indexes: tuple[str, ...] = ()
    columns: tuple[Column, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        columns = tuple(Column.parse(part) for part in self.spec.split(","))
        object.__setattr__(self, "columns", columns)
        unknown = set(self.key_columns) - set(self.names)
        if unknown:
            raise ValueError(f"Table {self.name}: key names no column {sorted(unknown)}.")

    def __str__(self) -> str:
        return self.name

    @property
    def names(self) -> tuple[str, ...]:
        """The column names in order (for a SELECT of every column)."""
        return tuple(column.name for column in self.columns)

    @property
    def column_list(self) -> str:
        """The column names as a SELECT lists them: ``"a, b, c"``."""
        return ", ".join(self.names)

    @property
    def key_columns(self) -> tuple[str, ...]:
        """The primary key's columns."""
        return tuple(part.strip() for part in self.key.split(","))

    def ddl(self) -> str:
        """The column definitions, with ``{text}``, ``{int}``, ``{real}`` for the types.

        A one-column key is written on its column; a longer one after the columns.
        """
        single = self.key if len(self.key_columns) == 1 else ""
        parts = [column.ddl(column.name == single) for column in self.columns]
        if not single:
            parts.append(f"PRIMARY KEY ({self.key})")
        return ", ".join(parts)
