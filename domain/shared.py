"""What every bounded context shares: attribution, ids, errors, the base aggregate and app."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any, ClassVar, ParamSpec, TypeVar

from eventsourcing.application import AggregateNotFoundError, Application
from eventsourcing.domain import Aggregate
from eventsourcing.persistence import (
    ApplicationRecorder,
    InfrastructureFactory,
    IntegrityError,
    JSONTranscoder,
    Recording,
)
from eventsourcing.utils import Environment

from domain.transcodings import SNAPSHOT_VALUES, DateAsISO, ValueAsFields, ValueLogAsRows

#: Namespace of every natural-key id (uuid5), so the same key always gives the same id.
JEJAK_NAMESPACE = uuid.UUID("5b0c6f0e-8d3e-4a55-9d8e-3f1c2a7b9e10")


def natural_id(kind: str, *key: str) -> uuid.UUID:
    """The id of an aggregate of ``kind`` with natural key ``key`` (uuid5)."""
    return uuid.uuid5(JEJAK_NAMESPACE, "/".join((kind, *(k.strip().upper() for k in key))))


def utcnow() -> datetime:
    """Now, in UTC (the one place the domain reads the clock)."""
    return datetime.now(UTC)


class Capacity(StrEnum):
    """In which capacity a person acts (the words the city uses)."""

    HEAD = "head"  # definitive head: Kepala Dinas, Kepala Badan, Camat, Inspektur, ...
    PLT = "plt"  # Pelaksana Tugas: acting head while the post is vacant
    PLH = "plh"  # Pelaksana Harian: daily caretaker while the head is away
    MAYOR = "mayor"  # Wali Kota
    SEKDA = "sekda"  # Sekretaris Daerah
    STAFF = "staff"  # secretariat staff recording facts on someone's behalf
    SYSTEM = "system"  # the engine itself (timers, escalations)


#: Every capacity, as the texts events store.
CAPACITIES: frozenset[str] = frozenset(Capacity)


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
        if self.capacity not in CAPACITIES:
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


class ValueRefusedError(ValidationError):
    """A value of ``FIELD`` refused with one message, ``MESSAGE`` formatted with the value."""

    FIELD: ClassVar[str]
    MESSAGE: ClassVar[str]

    def __init__(self, value: object) -> None:
        super().__init__(self.FIELD, self.MESSAGE.format(value))


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


class VersionMismatchError(DomainError):
    """The caller based the change on another version than the one stored (``If-Match``)."""

    code = "version-mismatch"
    title = "Changed since you loaded it"

    def __init__(self, current_version: int) -> None:
        super().__init__(
            f"This was changed since you loaded it (now version {current_version}). "
            "Reload and retry."
        )
        self.current_version = current_version


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


TAggregate = TypeVar("TAggregate", bound=Aggregate)
P = ParamSpec("P")


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

    def close(self) -> None:
        """Close the store only when it is this application's own.

        A shared store belongs to its composition root, which closes it once. The library
        also calls ``close()`` when an application is dropped, even one whose construction
        failed (the database was away): that must not close everyone's connections.
        """
        if self._given_factory is None:
            super().close()
        else:
            self.closing.set()

    def register_transcodings(self, transcoder: JSONTranscoder) -> None:
        super().register_transcodings(transcoder)
        transcoder.register(DateAsISO())
        transcoder.register(ValueLogAsRows())
        for name, kind in SNAPSHOT_VALUES.items():
            transcoder.register(ValueAsFields(name, kind))

    def save_new(self, *aggregates: Aggregate, what: str) -> int:
        """Save newly created aggregates; a natural-key collision is ``AlreadyExistsError``.

        Returns the log position of the last event saved.
        """
        try:
            return self._position(self.save(*aggregates))
        except IntegrityError:
            raise AlreadyExistsError(f"{what} is already registered.") from None

    def save_changes(self, *aggregates: Aggregate) -> int | None:
        """Save changes (``ConflictError`` on a concurrent one); None when nothing was recorded."""
        recordings = self._save_or_conflict(aggregates)
        return recordings[-1].notification.id if recordings else None

    def save_command(self, *aggregates: Aggregate) -> int:
        """Save what a command changed; the position a reader waits for to see its effect.

        That is the position of the last event saved, or the log's newest position when the
        command changed nothing (a repeat of a command already done). A concurrent change is
        ``ConflictError``.
        """
        return self._position(self._save_or_conflict(aggregates))

    def run(
        self, aggregate: Aggregate, command: Callable[P, object], /, *args: P.args, **kw: P.kwargs
    ) -> int:
        """Run ``command``, a method of ``aggregate``, and save it (``save_command``)."""
        command(*args, **kw)
        return self.save_command(aggregate)

    def run_once(
        self, aggregate: Aggregate, command: Callable[P, bool], /, *args: P.args, **kw: P.kwargs
    ) -> int | None:
        """Run an idempotent ``command`` of ``aggregate``; None when it recorded nothing."""
        return self.save_changes(aggregate) if command(*args, **kw) else None

    def _save_or_conflict(self, aggregates: tuple[Aggregate, ...]) -> list[Recording[uuid.UUID]]:
        try:
            return self.save(*aggregates)
        except IntegrityError:
            raise ConflictError(
                "Someone changed this at the same moment. Reload and try again."
            ) from None

    def _position(self, recordings: list[Recording[uuid.UUID]]) -> int:
        if recordings:
            return recordings[-1].notification.id
        return self.recorder.max_notification_id() or 0

    def get(
        self,
        aggregate_id: uuid.UUID,
        kind: type[TAggregate],
        what: str,
        expected_version: int | None = None,
    ) -> TAggregate:
        """Load an aggregate of a known kind, or raise ``NotFoundError`` naming ``what``.

        With ``expected_version`` (the version a caller based a change on, ``If-Match``) a
        different stored version is ``VersionMismatchError``; a change saved between this
        load and the command's save is then refused by the store (``ConflictError``).
        """
        try:
            aggregate: Aggregate = self.repository.get(aggregate_id)
        except AggregateNotFoundError:
            raise NotFoundError(f"{what} was not found.") from None
        if not isinstance(aggregate, kind):
            raise NotFoundError(f"{what} was not found.")
        if expected_version is not None and aggregate.version != expected_version:
            raise VersionMismatchError(aggregate.version)
        return aggregate
