"""What the worker registers for notifications, built from the settings."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from domain.notifications import PlanOptions
from infra.settings import Settings
from infra.store import EventStore
from workflows.notify.activities import DeliveryActivities
from workflows.notify.channels import ChannelConfig, Channels
from workflows.notify.inputs import DigestLoop
from workflows.notify.workflow import DigestWorkflow, NotificationWorkflow

#: The sink file under the data directory (dev mode: every message a newcomer can read).
SINK_FILE = "notifications.jsonl"


def plan_options(settings: Settings) -> PlanOptions:
    """Sink, links, the secretariat: how this deployment plans deliveries."""
    base = settings.notify_base_url or f"http://{settings.api_host}:{settings.api_port}"
    return PlanOptions(
        sink=settings.notify_sink_enabled,
        base_url=base,
        secretariat_opd=settings.notify_secretariat_opd,
    )


def channel_config(settings: Settings) -> ChannelConfig:
    """SMTP, the sink file and the send timeout."""
    return ChannelConfig(
        smtp_host=settings.smtp_host,
        smtp_port=settings.smtp_port,
        smtp_username=settings.smtp_username,
        smtp_password=settings.smtp_password,
        smtp_tls=settings.smtp_tls,
        smtp_from=settings.smtp_from,
        sink_path=settings.data_dir / SINK_FILE if settings.notify_sink_enabled else None,
        timeout=settings.notify_timeout_seconds,
    )


def retry_of(settings: Settings) -> DigestLoop:
    """How hard each delivery is tried."""
    return DigestLoop(settings.notify_max_attempts, settings.notify_retry_seconds)


def notification_workflows() -> list[type]:
    """The notification workflow classes."""
    return [NotificationWorkflow, DigestWorkflow]


def notification_activities(
    store: EventStore, settings: Settings, channels: Channels
) -> list[Callable[..., Any]]:
    """The notification activities over ``store``, sending through ``channels``."""
    return DeliveryActivities(store, channels, plan_options(settings)).all()
