"""NotificationWorkflow delivers one outbox message; DigestWorkflow sends the daily digests.

Deterministic: every read, write and send is an activity. Each delivery of a message is its
own activity, run side by side, so a slow or failing receiver delays only itself; it is
retried with a doubling delay and dead-lettered after its last attempt.
"""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta

from temporalio import workflow
from temporalio.common import RetryPolicy
from temporalio.exceptions import ActivityError

with workflow.unsafe.imports_passed_through():
    from workflows.notify.activities import DeliveryActivities
    from workflows.notify.inputs import (
        DeadLetterInput,
        DeliverInput,
        DigestClock,
        DigestInput,
        DigestLoop,
        MessageInput,
        Planned,
        PlannedDelivery,
    )

#: A bookkeeping activity (plan, dead-letter) retries until the store answers.
BOOKKEEPING = RetryPolicy(maximum_interval=timedelta(seconds=30))
BOOKKEEPING_TIMEOUT = timedelta(seconds=30)
#: One send may take this long before it counts as a failed attempt (the receiver is slow).
SEND_TIMEOUT = timedelta(seconds=60)
#: A send whose worker stopped heartbeating this long is tried again (the worker died).
SEND_HEARTBEAT = timedelta(seconds=5)
#: The longest wait between two attempts.
MAX_RETRY_INTERVAL = timedelta(minutes=30)
#: The one digest workflow's id.
DIGEST_WORKFLOW_ID = "notification-digest"


def notification_workflow_id(position: int, prefix: str = "notification") -> str:
    """The workflow id of the message at outbox ``position``: one workflow per message."""
    return f"{prefix}/{position}"


def send_retry(max_attempts: int, retry_seconds: float) -> RetryPolicy:
    """Retries of a send: a doubling delay, then give up (non-retryable errors at once)."""
    return RetryPolicy(
        initial_interval=timedelta(seconds=retry_seconds),
        backoff_coefficient=2.0,
        maximum_interval=MAX_RETRY_INTERVAL,
        maximum_attempts=max_attempts,
    )


def expired(given: MessageInput, now: datetime) -> str:
    """Why ``given`` is no longer sent at ``now`` (raised longer ago than its limit); ''.

    A reminder that arrives after its deadline, or a pile of them after the sender was
    stopped for days, tells an official something false or nothing at all: such a message
    is dead-lettered with this reason instead, and the secretariat sees it.
    """
    if given.max_age_seconds <= 0 or not given.effective_at:
        return ""
    try:
        raised = datetime.fromisoformat(given.effective_at)
    except ValueError:
        return ""
    if raised.tzinfo is None or (now - raised).total_seconds() <= given.max_age_seconds:
        return ""
    hours = (now - raised).total_seconds() / 3600
    return (
        f"Expired, not sent: raised at {given.effective_at}, {hours:.1f} hours before it could "
        f"be sent (limit {given.max_age_seconds / 3600:g} hours)."
    )


def reason_of(error: ActivityError) -> str:
    """The last failure's words, for the dead-letter record."""
    return str(error.cause or error)


@workflow.defn(name="NotificationWorkflow")
class NotificationWorkflow:
    """Plans the deliveries of one message and sends each immediate one, exactly once."""

    @workflow.run
    async def run(self, given: MessageInput) -> list[str]:
        """The outcome of each immediate delivery: sent or dead-letter."""
        planned: Planned = await workflow.execute_activity_method(
            DeliveryActivities.plan,
            given,
            start_to_close_timeout=BOOKKEEPING_TIMEOUT,
            retry_policy=BOOKKEEPING,
        )
        now = [d for d in planned.deliveries if d.mode == "immediate"]
        # Inputs recorded before the limit existed carry none: they take the path they took.
        stale = expired(given, workflow.now())
        if stale:  # none is sent, and none waits for the digest either
            every = planned.deliveries
            return list(await asyncio.gather(*(self._expire(d, stale) for d in every)))
        return list(await asyncio.gather(*(self._deliver(d, given) for d in now)))

    async def _expire(self, planned: PlannedDelivery, reason: str) -> str:
        await workflow.execute_activity_method(
            DeliveryActivities.dead_letter,
            DeadLetterInput(planned.delivery_id, reason),
            start_to_close_timeout=BOOKKEEPING_TIMEOUT,
            retry_policy=BOOKKEEPING,
        )
        return "expired"

    async def _deliver(self, planned: PlannedDelivery, given: MessageInput) -> str:
        try:
            outcome: str = await workflow.execute_activity_method(
                DeliveryActivities.deliver,
                DeliverInput(planned.delivery_id),
                start_to_close_timeout=SEND_TIMEOUT,
                heartbeat_timeout=SEND_HEARTBEAT,
                retry_policy=send_retry(given.max_attempts, given.retry_seconds),
            )
            return outcome
        except ActivityError as error:
            await workflow.execute_activity_method(
                DeliveryActivities.dead_letter,
                DeadLetterInput(planned.delivery_id, reason_of(error)),
                start_to_close_timeout=BOOKKEEPING_TIMEOUT,
                retry_policy=BOOKKEEPING,
            )
            return "dead-letter"


@workflow.defn(name="DigestWorkflow")
class DigestWorkflow:
    """Sleeps until 07:30 WIB of the next working day, sends that day's digests, and again."""

    @workflow.run
    async def run(self, given: DigestLoop) -> None:
        """Forever: one day per run, then continue as new (small histories)."""
        at = await workflow.execute_activity_method(
            DeliveryActivities.next_digest,
            DigestClock(workflow.now()),
            start_to_close_timeout=BOOKKEEPING_TIMEOUT,
            retry_policy=BOOKKEEPING,
        )
        await workflow.sleep(max(at - workflow.now(), timedelta(0)))
        day = at.date().isoformat()
        try:
            await workflow.execute_activity_method(
                DeliveryActivities.send_digest,
                DigestInput(day),
                start_to_close_timeout=SEND_TIMEOUT * 10,
                retry_policy=send_retry(given.max_attempts, given.retry_seconds),
            )
        except ActivityError as error:
            await workflow.execute_activity_method(
                DeliveryActivities.dead_letter_digest,
                DigestInput(day, reason_of(error)),
                start_to_close_timeout=BOOKKEEPING_TIMEOUT,
                retry_policy=BOOKKEEPING,
            )
        workflow.continue_as_new(given)
