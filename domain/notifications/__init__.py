"""Notifications: recipients' contacts and preferences, deliveries of messages, daily digests."""

from domain.notifications.application import NotificationsApplication
from domain.notifications.contact import Contact
from domain.notifications.delivery import Delivery
from domain.notifications.digest import DigestBatch, next_digest_at
from domain.notifications.planner import Alert, Planner, PlanOptions
from domain.notifications.values import InvalidAddressError

__all__ = [
    "Alert",
    "Contact",
    "Delivery",
    "DigestBatch",
    "InvalidAddressError",
    "NotificationsApplication",
    "PlanOptions",
    "Planner",
    "next_digest_at",
]
