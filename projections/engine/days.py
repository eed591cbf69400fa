"""Working days from today to each due day, counted by the projector rather than per request.

The deadline board's "working days late" and the inbox's "working days left" depend on the
day and on the city's calendar, not on events alone. The projector keeps, for the city the
deployment serves, one row per due day of the open rows: the working days from today to
that day. It refreshes them when the views advance (a new due day, a declared holiday) and
when the city's day changes. A query reads them, and counts itself only a due day it does
not find (written since the last refresh, another city, or another day asked for).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime

import structlog

from domain.calendar import JAKARTA, WorkingCalendar, local_day
from domain.calendar.application import CalendarApplication
from domain.calendar.cities import UnknownCityError
from infra.settings import Settings
from infra.store import EventStore
from projections.engine.freshness import mark_days_counted
from projections.engine.schema import Table
from projections.engine.viewstore import ViewStore

log = structlog.get_logger(__name__)


def days_table(name: str) -> Table:
    """A view's table of due days, each counted from ``as_of`` in ``city``'s calendar
    (signed, see below)."""
    spec = "city text, as_of text, due_date text, working_days int"
    return Table(name, spec, key="city, as_of, due_date")


#: A working calendar, or a function that reads it (only when it is needed).
Calendar = WorkingCalendar | Callable[[], WorkingCalendar]
#: Seconds between two looks at the day and the views' positions.
TICK = 1.0


@dataclass(frozen=True)
class DayTable:
    """Where one view keeps its counted days, and how to list its due days."""

    view: str
    table: str
    #: The view's table whose due days are counted, and the SQL listing them.
    source: str
    due_days: str


#: The deadline board's open rows (its ``deadline_days`` table).
DEADLINE_DAYS = DayTable(
    "deadline_board",
    "deadline_days",
    "deadline_board",
    "SELECT DISTINCT due_date FROM {table} WHERE state = 'open'",
)
#: The inbox's steps (its ``inbox_days`` table); a due moment counts by its day in the city.
INBOX_DAYS = DayTable(
    "approval_inbox", "inbox_days", "inbox_steps", "SELECT DISTINCT due_at FROM {table}"
)


def lookup(
    viewstore: ViewStore, where: DayTable, city: str, as_of: date, due: Iterable[date]
) -> dict[date, int]:
    """The precomputed working days from ``as_of`` to each due day that has a row."""
    wanted = sorted({d.isoformat() for d in due})
    if not wanted or not city:
        return {}
    table = viewstore.table(where.view, where.table)
    rows = viewstore.query(
        f"SELECT due_date, working_days FROM {table} WHERE city = ? AND as_of = ? "
        f"AND due_date IN ({', '.join('?' * len(wanted))})",
        [city, as_of.isoformat(), *wanted],
    )
    return {date.fromisoformat(str(d)): int(n) for d, n in rows}


def counted(
    viewstore: ViewStore,
    where: DayTable,
    city: str | None,
    as_of: date,
    due: Iterable[date],
    calendar: Calendar,
) -> dict[date, int]:
    """Working days from ``as_of`` to each due day: precomputed rows, else counted here.

    ``calendar`` may be a function that reads it: it is called only for a day not counted.
    """
    days = set(due)
    found = lookup(viewstore, where, city or "", as_of, days)
    missing = days - found.keys()
    if missing:
        working = calendar if isinstance(calendar, WorkingCalendar) else calendar()
        found.update({day: working.working_days_between(as_of, day) for day in missing})
    return found


def refresh(
    viewstore: ViewStore,
    where: DayTable,
    city: str,
    as_of: date,
    calendar: WorkingCalendar,
    full: bool,
) -> int:
    """Count the due days of ``where`` from ``as_of``; all again when ``full``; rows written."""
    tables = viewstore.tables(where.view, [where.table, where.source])
    days, source = tables[where.table], tables[where.source]
    due = {_day(str(v)) for (v,) in viewstore.query(where.due_days.format(table=source))}
    with viewstore.transaction() as tx:
        # Every projector refreshes on its own: one at a time per table, and a row another
        # wrote meanwhile is counted again rather than refused.
        tx.lock(f"working-days:{days}")
        if full:
            tx.execute(f"DELETE FROM {days} WHERE city = ?", [city])
        else:
            tx.execute(
                f"DELETE FROM {days} WHERE city = ? AND as_of <> ?", [city, as_of.isoformat()]
            )
            have = tx.query(f"SELECT due_date FROM {days} WHERE city = ?", [city])
            due -= {date.fromisoformat(str(d)) for (d,) in have}
        for day in sorted(due):
            tx.execute(
                f"INSERT INTO {days} (city, as_of, due_date, working_days) VALUES (?, ?, ?, ?)"
                " ON CONFLICT (city, as_of, due_date) DO UPDATE"
                " SET working_days = excluded.working_days",
                [
                    city,
                    as_of.isoformat(),
                    day.isoformat(),
                    calendar.working_days_between(as_of, day),
                ],
            )
    return len(due)


def _day(value: str) -> date:
    """A due date, or the city's day of a due moment."""
    return (
        date.fromisoformat(value) if len(value) == 10 else local_day(datetime.fromisoformat(value))
    )


class DayRefresher:
    """Keeps the counted days of some views true for today in the deployment's city."""

    def __init__(self, store: EventStore, tables: list[DayTable], city: Callable[[], str]) -> None:
        self.viewstore = ViewStore(store)
        self.calendars = store.app(CalendarApplication)
        self.tables, self.city = tables, city
        self._seen: tuple[object, ...] | None = None
        self._positions: dict[str, int] = {}

    def tick(self, now: datetime | None = None) -> bool:
        """Refresh when the day, the calendar or a view's position changed; True if it did."""
        city = self.city()
        if not city:
            return False
        today = local_day(now or datetime.now(JAKARTA))
        calendar = self.calendars.calendar_for(city)
        seen = (city, today, dict(calendar.local_holidays), dict(calendar.extra_working_days))
        positions = self.viewstore.positions(t.view for t in self.tables)
        if seen == self._seen and positions == self._positions:
            return False
        full = seen != self._seen
        for where in self.tables:
            if where.view in positions:
                refresh(self.viewstore, where, city, today, calendar, full)
        # Answers kept by the API read these rows: they are asked again after a refresh.
        with self.viewstore.transaction() as tx:
            mark_days_counted(tx)
        self._seen, self._positions = seen, positions
        return True

    def run(self, stop: threading.Event) -> None:
        """Tick until ``stop`` is set; a failure is logged and tried again on the next tick."""
        while not stop.is_set():
            try:
                self.tick()
            except Exception as exc:  # a view being rebuilt, the database away: next tick
                log.warning("working days not refreshed", error=repr(exc))
                self._seen = None
            stop.wait(TICK)
        self.viewstore.close()


def deployment_city(store: EventStore, configured: str) -> Callable[[], str]:
    """The city the deployment serves, asked again each time (a plan may be loaded later)."""
    calendars = store.app(CalendarApplication)

    def city() -> str:
        try:
            return calendars.city(None, configured)
        except UnknownCityError:  # no city configured and no plan loaded yet: nothing to count
            return ""

    return city


def start_day_refresher(
    settings: Settings, store: EventStore, stop: threading.Event
) -> threading.Thread:
    """Refresh the board's and the inbox's counted days in a background thread."""
    city = deployment_city(store, settings.city)
    refresher = DayRefresher(store, [DEADLINE_DAYS, INBOX_DAYS], city)
    thread = threading.Thread(target=refresher.run, args=(stop,), name="working-days", daemon=True)
    thread.start()
    return thread
