"""Topics taken from the domain's event classes, never written by hand."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TypeVar

T = TypeVar("T")


def topic_of(domain_class: type) -> str:
    """The topic a domain event (or aggregate) class is stored under: its pinned ``TOPIC``.

    A class without one is refused, since its topic would move with its module.
    """
    topic = getattr(domain_class, "TOPIC", None)
    if not isinstance(topic, str) or not topic:
        raise TypeError(f"{domain_class.__qualname__} has no pinned topic")
    return topic


def by_topic(table: Mapping[type, T]) -> dict[str, T]:
    """``table`` keyed by the topic of each event class instead of the class."""
    return {topic_of(event_class): value for event_class, value in table.items()}
