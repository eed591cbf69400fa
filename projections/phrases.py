"""Plain-words sentences for the timeline: a generic one, and specific ones per event topic."""

from __future__ import annotations

import re
from collections.abc import Callable

from projections.view import Recorded

#: A function that says one event in plain words.
Phrase = Callable[[Recorded], str]

_PHRASES: dict[str, Phrase] = {}

#: Event attributes that name the thing, tried in this order for the generic sentence.
LABEL_ATTRIBUTES = ("title", "name", "code", "nip", "label", "key")


def phrase(topic: str) -> Callable[[Phrase], Phrase]:
    """Register the sentence for events of one topic, e.g. ``jejak.plan:Milestone.Reached``."""

    def register(function: Phrase) -> Phrase:
        _PHRASES[topic] = function
        return function

    return register


def words(name: str) -> str:
    """``OpdListed`` -> ``opd listed``; ``Created`` -> ``created``."""
    return " ".join(part.lower() for part in re.findall(r"[A-Z]+(?![a-z])|[A-Z]?[a-z0-9]+", name))


def short_label(recorded: Recorded) -> str:
    """What the event is about: its title, name or code, else the start of the aggregate id."""
    for attribute in LABEL_ATTRIBUTES:
        value = getattr(recorded.event, attribute, None)
        if isinstance(value, str) and value.strip():
            return value.strip()
    return str(getattr(recorded.event, "originator_id", ""))[:8]


def generic_sentence(recorded: Recorded) -> str:
    """``<actor> (<capacity>) <event in words> <aggregate kind> <label>``."""
    actor = getattr(recorded.event, "actor", "") or "someone"
    capacity = getattr(recorded.event, "capacity", "")
    who = f"{actor} ({capacity})" if capacity else actor
    kind = recorded.aggregate_kind.rpartition(":")[2] or recorded.aggregate_kind
    return f"{who} {words(recorded.event_name)} {kind} {short_label(recorded)}".strip()


def sentence(recorded: Recorded) -> str:
    """The sentence for one event: its own phrase if one is registered, else the generic one."""
    return _PHRASES.get(recorded.topic, generic_sentence)(recorded)
