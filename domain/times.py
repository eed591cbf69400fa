"""The one rule of times: when a fact counts as done, and when it is a back-dated paper record."""

from __future__ import annotations

from datetime import datetime, timedelta

from domain.shared import ValidationError


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
