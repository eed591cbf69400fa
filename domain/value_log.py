"""An aggregate's append-only list of value objects, stored in snapshots as rows.

A milestone gathers progress reports for years. Stored one encoded object per report (and
one more per moment inside it), a snapshot of a thousand reports is a quarter of a megabyte
of nested JSON that takes longer to decode than everything else about the milestone. A
``ValueLog`` is stored as its field names once and one row of plain values per report
(moments and dates as ISO text), and a log read back from a snapshot builds each value
object only when somebody first reads the values: a state that is only shown (the audit's
state as of a version) never builds them at all.
"""

from __future__ import annotations

import dataclasses
import typing
from collections.abc import Callable, Iterable, Iterator
from datetime import date, datetime
from typing import Any, Generic, TypeVar, overload

V = TypeVar("V")

Cell = Callable[[Any], Any]


@dataclasses.dataclass(frozen=True)
class RowShape:
    """How the values of one frozen dataclass are written as rows and read back."""

    kind: type
    fields: tuple[str, ...]
    #: For each field, what turns its value into the stored cell and back (None: as it is).
    to_cell: tuple[Cell | None, ...]
    from_cell: tuple[Cell | None, ...]
    #: The fields stored as ISO moments (the audit shows them in UTC).
    moments: frozenset[str]
    #: The fields declared as text, numbers or truth values (or tuples of them): their
    #: cells are JSON values as stored.
    simple: frozenset[str]
    #: Whether a value can be rebuilt by setting its fields (a plain dataclass, no slots).
    plain: bool

    def row(self, value: Any) -> list[Any]:
        """``value`` as one row of cells, in field order."""
        cells = [getattr(value, name) for name in self.fields]
        for index, convert in enumerate(self.to_cell):
            if convert is not None:
                cells[index] = convert(cells[index])
        return cells

    def value(self, row: list[Any]) -> Any:
        """The value object of one stored row (in this shape's field order)."""
        return self.built(dict(zip(self.fields, row, strict=True)))

    def built(self, cells: dict[str, Any]) -> Any:
        """The value object of its cells by field name."""
        for name, convert in zip(self.fields, self.from_cell, strict=True):
            if convert is not None and name in cells:
                cells[name] = convert(cells[name])
        if self.plain and cells.keys() == set(self.fields):
            built: Any = object.__new__(self.kind)
            built.__dict__.update(cells)
            return built
        return self.kind(**cells)


def row_shape(kind: type[Any]) -> RowShape:
    """The row shape of the frozen dataclass ``kind``, from its field annotations."""
    shape = _SHAPES.get(kind)
    if shape is None:
        shape = _SHAPES[kind] = _shape_of(kind)
    return shape


_SHAPES: dict[type[Any], RowShape] = {}


def _shape_of(kind: type[Any]) -> RowShape:
    hints = typing.get_type_hints(kind)
    names = tuple(f.name for f in dataclasses.fields(kind))
    to_cell: list[Cell | None] = []
    from_cell: list[Cell | None] = []
    moments = set()
    simple = {name for name in names if _simple(hints[name])}
    for name in names:
        hint = hints[name]
        origin = typing.get_origin(hint)
        if hint is datetime:
            to_cell.append(datetime.isoformat)
            from_cell.append(datetime.fromisoformat)
            moments.add(name)
        elif hint is date:
            to_cell.append(date.isoformat)
            from_cell.append(date.fromisoformat)
        elif origin is tuple:
            to_cell.append(list)
            from_cell.append(tuple)
        else:
            to_cell.append(None)  # the store's own encoding (plain JSON or a transcoding)
            from_cell.append(None)
    return RowShape(
        kind,
        names,
        tuple(to_cell),
        tuple(from_cell),
        frozenset(moments),
        frozenset(simple),
        settable(kind),
    )


def settable(kind: type[Any]) -> bool:
    """Whether a value of ``kind`` can be rebuilt by setting all its fields (a third of the
    time of calling it): a plain dataclass whose generated __init__ only sets the fields
    (nothing runs after it) and that has no slots."""
    params = getattr(kind, "__dataclass_params__", None)
    plain = params is not None and params.init and not hasattr(kind, "__post_init__")
    return bool(plain) and "__slots__" not in vars(kind)


def _simple(hint: Any) -> bool:
    """Text, a number, a truth value, or a tuple of those."""
    if typing.get_origin(hint) is tuple:
        return all(arg is Ellipsis or _simple(arg) for arg in typing.get_args(hint))
    return hint in (str, int, float, bool)


class ValueLog(Generic[V]):
    """Values of one kind appended in order and never changed: a list that only grows.

    It reads like a tuple (length, index, iteration, equality with any sequence) and grows
    by ``append``. Rows read from a snapshot stay rows until the values are first read.
    """

    __slots__ = ("_kind", "_rows", "_values")

    def __init__(self, kind: type[V], values: Iterable[V] = ()) -> None:
        self._kind = kind
        self._rows: list[list[Any]] = []  # the oldest values, still as stored rows
        self._values: list[V] = list(values)  # the values after them, as objects

    @classmethod
    def from_rows(cls, kind: type[V], fields: list[str], rows: list[list[Any]]) -> ValueLog[V]:
        """The log stored as ``rows`` under the field names ``fields``."""
        shape = row_shape(kind)
        log = cls(kind)
        renamed: dict[str, str] = getattr(kind, "STORED_AS", {})
        names = tuple(renamed.get(name, name) for name in fields)
        if names == shape.fields:
            log._rows = rows
        else:  # stored under other names, in another order or before a field was added
            log._values = [shape.built(dict(zip(names, row, strict=True))) for row in rows]
        return log

    @property
    def kind(self) -> type[V]:
        """The class of the values."""
        return self._kind

    @property
    def shape(self) -> RowShape:
        """How the values are written as rows."""
        return row_shape(self._kind)

    def rows(self) -> list[list[Any]]:
        """Every value as a row of cells (moments and dates as ISO text), oldest first."""
        shape = self.shape
        return [*self._rows, *(shape.row(value) for value in self._values)]

    def append(self, value: V) -> None:
        """Add ``value`` after the others."""
        self._values.append(value)

    def _built(self) -> list[V]:
        if self._rows:
            shape = self.shape
            self._values[:0] = [shape.value(row) for row in self._rows]
            self._rows = []
        return self._values

    def __len__(self) -> int:
        return len(self._rows) + len(self._values)

    def __iter__(self) -> Iterator[V]:
        return iter(self._built())

    @overload
    def __getitem__(self, index: int) -> V: ...
    @overload
    def __getitem__(self, index: slice) -> list[V]: ...
    def __getitem__(self, index: int | slice) -> V | list[V]:
        return self._built()[index]

    def __eq__(self, other: object) -> bool:
        if isinstance(other, ValueLog):
            return self._kind is other._kind and self._built() == other._built()
        if isinstance(other, list | tuple):
            return self._built() == list(other)
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]  # it grows: not hashable, like a list

    def __repr__(self) -> str:
        return f"ValueLog({self._kind.__name__}, {len(self)} values)"
