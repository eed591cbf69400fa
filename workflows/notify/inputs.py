"""The inputs and results of the delivery and digest workflows and their activities.

Stored in workflow histories: add fields only with defaults.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from domain.notifications.planner import Alert


@dataclass(frozen=True)
class MessageInput(Alert):
    """One outbox message to deliver (the planner's alert), and how hard to try."""

    max_attempts: int = 8
    retry_seconds: float = 5.0
    #: Older than this (from ``effective_at``) when its workflow runs: not sent (0: no limit).
    max_age_seconds: float = 0.0


@dataclass(frozen=True)
class PlannedDelivery:
    """A delivery planned for a message: sent now (immediate) or gathered for the digest."""

    delivery_id: str
    channel: str
    mode: str


@dataclass(frozen=True)
class Planned:
    """Every delivery of one message."""

    deliveries: list[PlannedDelivery] = field(default_factory=list)


@dataclass(frozen=True)
class DeliverInput:
    """Send one delivery."""

    delivery_id: str


@dataclass(frozen=True)
class DeadLetterInput:
    """Give up on one delivery after its last attempt."""

    delivery_id: str
    reason: str


@dataclass(frozen=True)
class DigestClock:
    """When the digest workflow asks for its next run."""

    now: datetime


@dataclass(frozen=True)
class DigestInput:
    """Send the digest of one day (ISO date) to everyone waiting for it."""

    day: str
    reason: str = ""


@dataclass(frozen=True)
class DigestLoop:
    """The digest workflow's input: how hard to try each day's digest."""

    max_attempts: int = 8
    retry_seconds: float = 5.0
