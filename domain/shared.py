"""What every bounded context shares: attribution, ids, errors, the base aggregate and app."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, fields
from datetime import UTC, date, datetime, timedelta
from typing import Any, ClassVar, TypeVar

from eventsourcing.application import Application
from eventsourcing.domain import Aggregate
from eventsourcing.persistence import (
    ApplicationRecorder,
    InfrastructureFactory,
    IntegrityError,
    JSONTranscoder,
    Transcoding,
)
from eventsourcing.utils import Environment

#: Namespace of every natural-key id (uuid5), so the same key always gives the same id.
JEJAK_NAMESPACE = uuid.UUID("5b0c6f0e-8d3e-4a55-9d8e-3f1c2a7b9e10")


def natural_id(kind: str, *key: str) -> uuid.UUID:
    """The id of an aggregate of ``kind`` with natural key ``key`` (uuid5)."""
    return uuid.uuid5(JEJAK_NAMESPACE, "/".join((kind, *(k.strip().upper() for k in key))))


def utcnow() -> datetime:
    """Now, in UTC (the one place the domain reads the clock)."""
    return datetime.now(UTC)


class Capacity:
    """In which capacity a person acts (the words the city uses)."""

    HEAD = "head"  # definitive head: Kepala Dinas, Kepala Badan, Camat, Inspektur, ...
    PLT = "plt"  # Pelaksana Tugas: acting head while the post is vacant
    PLH = "plh"  # Pelaksana Harian: daily caretaker while the head is away
    MAYOR = "mayor"  # Wali Kota
    SEKDA = "sekda"  # Sekretaris Daerah
    STAFF = "staff"  # secretariat staff recording facts on someone's behalf
    SYSTEM = "system"  # the engine itself (timers, escalations)

    ACTING: ClassVar[frozenset[str]] = frozenset({PLT, PLH})
    ALL: ClassVar[frozenset[str]] = frozenset({HEAD, PLT, PLH, MAYOR, SEKDA, STAFF, SYSTEM})


@dataclass(frozen=True)
class Actor:
    """Who does a command, in which capacity, and when it happened in the world.

    ``effective_at`` is when the fact happened (a paper signature of 18 Oct 2023 may be
    recorded months later); the recorded time is the event's own timestamp. ``backdated``
    is why a fact is recorded with an earlier effective time than the moment it was
    entered (a paper record, entered by the secretariat); empty when it is not back-dated.
    Only the facts that can be back-dated take it (ARCHITECTURE.md, "Times and progress").
    """

    actor_id: str
    capacity: str = Capacity.STAFF
    effective_at: datetime | None = None
    backdated: str = ""

    def __post_init__(self) -> None:
        if not self.actor_id.strip():
            raise ValidationError("actor_id", "Every action must name who did it.")
        if self.capacity not in Capacity.ALL:
            raise ValidationError("capacity", f"'{self.capacity}' is not a known capacity.")
        if self.effective_at is not None and self.effective_at.tzinfo is None:
            raise ValidationError("effective_at", "The time must carry a time zone.")
        if self.backdated.strip() and self.effective_at is None:
            raise ValidationError("effective_at", "A back-dated fact must say when it happened.")

    def attribution(self) -> dict[str, Any]:
        """The keyword arguments every event takes (and ``backdated`` when it is back-dated)."""
        attribution: dict[str, Any] = {
            "actor": self.actor_id,
            "capacity": self.capacity,
            "effective_at": self.effective_at or utcnow(),
        }
        if self.backdated.strip():
            attribution["backdated"] = self.backdated.strip()
        return attribution


def backdating_of(event: object) -> str:
    """Why an event was back-dated, or "" (events stored before back-dating was marked: "")."""
    reason = getattr(event, "backdated", "")
    return reason if isinstance(reason, str) else ""


#: How far a client's clock may be off: a time given within it counts as "now".
CLOCK_SKEW = timedelta(minutes=5)


def effective_time(
    given: datetime | None, now: datetime, reason: str = "", *, field: str = "effective_at"
) -> tuple[datetime, str]:
    """The effective time of a fact done now, and why it is back-dated ("" when it is not).

    The one rule of times (ARCHITECTURE.md, "Times and progress"): a fact takes the server's
    time; a time in the future is refused; an earlier time is a paper record, which needs the
    reason it is recorded late. Who may record one is the caller's business (the secretariat).
    """
    if given is not None and given.tzinfo is None:
        raise ValidationError(field, "The time must carry a time zone.")
    if given is not None and given > now + CLOCK_SKEW:
        raise ValidationError(
            field, f"{given.isoformat()} is in the future: a fact can be recorded once it happened."
        )
    if given is None or not is_backdated(given, now):
        if reason.strip():
            raise ValidationError(
                "backdated_reason",
                "A reason for back-dating goes with an earlier time: give the time too.",
            )
        return now, ""
    if not reason.strip():
        raise ValidationError(
            "backdated_reason",
            f"{given.isoformat()} is earlier than now: say why this paper record is entered late.",
        )
    return given, reason.strip()


def is_backdated(given: datetime, now: datetime) -> bool:
    """Whether ``given`` is earlier than ``now`` by more than a clock may be off."""
    return given < now - CLOCK_SKEW


SYSTEM = Actor("jejak", Capacity.SYSTEM)


class DomainError(Exception):
    """A rule of the city's program refused a command; nothing was changed.

    ``code`` is stable (the API maps it to a problem type); the message is meant for an
    official, not a programmer.
    """

    code: ClassVar[str] = "domain-error"
    title: ClassVar[str] = "The request breaks a rule of the program"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class ValidationError(DomainError):
    """A value given is not acceptable (wrong format, out of range)."""

    code = "invalid-value"
    title = "A value is not acceptable"

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


class NotFoundError(DomainError):
    """The thing asked for does not exist."""

    code = "not-found"
    title = "Not found"


class AlreadyExistsError(DomainError):
    """Something with the same natural key was already created."""

    code = "already-exists"
    title = "Already exists"


class ConflictError(DomainError):
    """Someone else changed the same thing at the same moment; try again."""

    code = "concurrent-change"
    title = "Changed by someone else at the same time"


class NotEntitledError(DomainError):
    """The person may not do this (wrong unit, wrong capacity, four-eyes rule)."""

    code = "not-entitled"
    title = "Not entitled to do this"


class JejakAggregate(Aggregate):
    """Base aggregate: every event names its actor, capacity and effective time."""

    class Event(Aggregate.Event):
        actor: str
        capacity: str
        effective_at: datetime

    class Created(Event, Aggregate.Created):
        pass


class DateAsISO(Transcoding):
    """Stores a ``date`` as ISO text."""

    type = date
    name = "date_iso"

    def encode(self, obj: date) -> str:
        return obj.isoformat()

    def decode(self, data: str) -> date:
        return date.fromisoformat(data)


class ValueAsFields(Transcoding):
    """Stores a frozen value object an aggregate holds as its fields (snapshots need it)."""

    def __init__(self, kind: type) -> None:
        self.type = kind
        self.name = f"value_{kind.__module__.rsplit('.', 1)[-1]}_{kind.__name__}"

    def encode(self, obj: Any) -> dict[str, Any]:
        return {f.name: getattr(obj, f.name) for f in fields(obj)}

    def decode(self, data: dict[str, Any]) -> Any:
        # JSON has no tuples: a value object's sequences are tuples again, as constructed.
        return self.type(**{k: tuple(v) if isinstance(v, list) else v for k, v in data.items()})


#: Value objects kept in snapshotted aggregates; every application registers them, so any
#: application (the audit's included) can read any snapshot. Contexts add theirs.
SNAPSHOT_VALUES: list[type] = []


TAggregate = TypeVar("TAggregate", bound=Aggregate)


class JejakApplication(Application[uuid.UUID]):
    """Base application service: one shared event store for every context.

    All contexts write to one recorder (one log, one position sequence), so projections,
    the workflow starter and the audit chain follow a single ordered history. The
    recorder is handed in by the composition root; without one, the library builds one
    from the environment (in-memory by default, which is what the domain tests use).
    """

    def __init__(
        self,
        env: dict[str, str] | None = None,
        *,
        factory: InfrastructureFactory[Any] | None = None,
        recorder: ApplicationRecorder | None = None,
    ) -> None:
        self._given_factory = factory
        self._given_recorder = recorder
        super().__init__(env)

    def construct_factory(self, env: Environment) -> InfrastructureFactory[Any]:
        if self._given_factory is not None:
            return self._given_factory
        return super().construct_factory(env)

    def construct_recorder(self) -> ApplicationRecorder:
        if self._given_recorder is not None:
            return self._given_recorder
        return super().construct_recorder()

    def register_transcodings(self, transcoder: JSONTranscoder) -> None:
        super().register_transcodings(transcoder)
        transcoder.register(DateAsISO())
        for kind in SNAPSHOT_VALUES:
            transcoder.register(ValueAsFields(kind))

    def save_new(self, *aggregates: Aggregate, what: str) -> int | None:
        """Save newly created aggregates; a natural-key collision is ``AlreadyExistsError``.

        Returns the log position of the last event saved.
        """
        try:
            recordings = self.save(*aggregates)
        except IntegrityError:
            raise AlreadyExistsError(f"{what} is already registered.") from None
        return recordings[-1].notification.id if recordings else None

    def save_changes(self, *aggregates: Aggregate) -> int | None:
        """Save changes; a concurrent change is ``ConflictError``. Returns the log position."""
        try:
            recordings = self.save(*aggregates)
        except IntegrityError:
            raise ConflictError(
                "Someone changed this at the same moment. Reload and try again."
            ) from None
        return recordings[-1].notification.id if recordings else None

    def get(self, aggregate_id: uuid.UUID, kind: type[TAggregate], what: str) -> TAggregate:
        """Load an aggregate of a known kind, or raise ``NotFoundError`` naming ``what``."""
        from eventsourcing.application import AggregateNotFoundError

        try:
            aggregate: Aggregate = self.repository.get(aggregate_id)
        except AggregateNotFoundError:
            raise NotFoundError(f"{what} was not found.") from None
        if not isinstance(aggregate, kind):
            raise NotFoundError(f"{what} was not found.")
        return aggregate
