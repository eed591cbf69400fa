"""What a read model is: named tables and a handler that turns one event into rows."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

from eventsourcing.persistence import Mapper, Notification

from domain.shared import JejakApplication
from infra.store import EventStore
from projections.engine.schema import Table
from projections.engine.viewstore import Tx, table_name


@dataclass(frozen=True)
class Recorded:
    """One event as the log holds it: its position, its topic and the decoded event."""

    position: int
    topic: str
    event: Any

    @property
    def aggregate_kind(self) -> str:
        """The aggregate's topic, e.g. ``jejak.plan:Milestone``."""
        return self.topic.rpartition(".")[0] if ":" in self.topic else self.topic

    @property
    def event_name(self) -> str:
        """The event's own name, e.g. ``Approved``."""
        return self.topic.rpartition(".")[2]


class ViewTx:
    """A transaction bound to one generation of one view: ``table()`` names its tables."""

    def __init__(self, tx: Tx, view: str, generation: int) -> None:
        self._tx = tx
        self.view = view
        self.generation = generation

    def table(self, base_name: str | Table) -> str:
        """The physical name of one of this view's tables in the generation being written."""
        return table_name(str(base_name), self.generation)

    def execute(self, sql: str, params: tuple[Any, ...] | list[Any] = ()) -> None:
        """Run one statement (``?`` placeholders)."""
        self._tx.execute(sql, params)

    def query(self, sql: str, params: tuple[Any, ...] | list[Any] = ()) -> list[tuple[Any, ...]]:
        """Run one query (``?`` placeholders)."""
        return self._tx.query(sql, params)


#: A view's handler of one event: writes that event's rows.
Handler = Callable[[ViewTx, Recorded], None]


class View:
    """A read model. Bump ``version`` when its tables or rules change: it is then rebuilt.

    A view states who it is and what it stores once, in its class line:
    ``class BimtekView(View, name="bimtek", version=1, tables=(STAGES, ...))``, each table a
    ``Table`` that makes its own DDL. ``handlers`` maps each topic the view reads to its
    handler (built with ``by_topic`` from the domain's event classes); ``handle`` ignores
    the events of every other topic, which a rebuild then does not even decode.
    """

    name: ClassVar[str]
    version: ClassVar[int]
    tables: ClassVar[tuple[Table, ...]]
    handlers: ClassVar[Mapping[str, Handler]] = {}

    def __init_subclass__(
        cls,
        *,
        name: str = "",
        version: int = 0,
        tables: Sequence[Table] = (),
        **kwargs: Any,
    ) -> None:
        """Take the view's name, version and tables from its class line (a subclass of a
        view inherits what it does not name)."""
        super().__init_subclass__(**kwargs)
        if name:
            cls.name = name
        if version:
            cls.version = version
        if tables:
            cls.tables = tuple(tables)
        missing = [part for part in ("name", "version", "tables") if not hasattr(cls, part)]
        if missing:
            raise TypeError(f"The view {cls.__qualname__} names no {' or '.join(missing)}.")

    @classmethod
    def table_names(cls) -> list[str]:
        """The base names of the view's tables, in the order they are created."""
        return [table.name for table in cls.tables]

    def topics(self) -> frozenset[str]:
        """Every topic this view reads."""
        return frozenset(self.handlers)

    def handles(self, topic: str) -> bool:
        """False when ``handle`` ignores every event of ``topic`` (they are then not decoded)."""
        return topic in self.handlers

    def handle(self, tx: ViewTx, recorded: Recorded) -> None:
        """Apply one event to this view's tables with the handler of its topic, if any."""
        handler = self.handlers.get(recorded.topic)
        if handler is not None:
            handler(tx, recorded)


class EventDecoder:
    """Turns notifications of the shared log back into domain events."""

    def __init__(self, store: EventStore) -> None:
        # Every context's application registers the same transcodings (JejakApplication's).
        self.mapper: Mapper[Any] = store.app(JejakApplication).mapper

    def decode(self, notification: Notification) -> Recorded:
        """The notification as a ``Recorded`` event."""
        event = self.mapper.to_domain_event(notification)
        return Recorded(position=notification.id, topic=notification.topic, event=event)


def decode_for(
    decoder: EventDecoder, views: Sequence[View], notifications: Sequence[Notification]
) -> list[Recorded]:
    """The notifications some view handles, each decoded once (the rest are left out)."""
    wanted: dict[str, bool] = {}
    found = []
    for notification in notifications:
        topic = notification.topic
        if topic not in wanted:
            wanted[topic] = any(view.handles(topic) for view in views)
        if wanted[topic]:
            found.append(decoder.decode(notification))
    return found
