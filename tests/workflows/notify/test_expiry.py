"""When a message is too old to send: raised longer ago than the sender's limit."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from workflows.notify.inputs import MessageInput
from workflows.notify.workflow import expired

NOW = datetime(2026, 12, 2, 8, 0, tzinfo=UTC)
HOUR = 3600.0


def message(raised: str, max_age_seconds: float) -> MessageInput:
    return MessageInput(
        position=7,
        kind="reminder",
        subject_kind="milestone",
        subject_id="m-1",
        title="Portal data terbit",
        recipients="owner",
        effective_at=raised,
        max_age_seconds=max_age_seconds,
    )


def test_a_message_within_the_limit_is_sent() -> None:
    raised = (NOW - timedelta(hours=71)).isoformat()
    assert expired(message(raised, 72 * HOUR), NOW) == ""


def test_a_message_past_the_limit_is_not_sent_and_the_reason_says_how_old_it_was() -> None:
    raised = (NOW - timedelta(days=30)).isoformat()
    reason = expired(message(raised, 72 * HOUR), NOW)
    assert reason == (
        f"Expired, not sent: raised at {raised}, 720.0 hours before it could be sent "
        "(limit 72 hours)."
    )


def test_a_moment_in_another_zone_counts_by_the_clock_not_the_digits() -> None:
    wib = timedelta(hours=7)
    raised = (NOW - timedelta(hours=2)).astimezone(timezone(wib))
    assert expired(message(raised.isoformat(), 3 * HOUR), NOW) == ""
    assert expired(message(raised.isoformat(), 1 * HOUR), NOW) != ""


def test_no_limit_no_moment_or_an_unreadable_moment_sends_however_old() -> None:
    old = (NOW - timedelta(days=400)).isoformat()
    assert expired(message(old, 0), NOW) == ""
    assert expired(message("", HOUR), NOW) == ""
    assert expired(message("kemarin", HOUR), NOW) == ""
    assert expired(message("2025-01-01T08:00:00", HOUR), NOW) == ""  # no zone: not judged
