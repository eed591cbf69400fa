"""Plain-words sentences for the timeline: a generic one, and specific ones per event topic."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from functools import cache
from typing import Any, Protocol, TypeVar

from projections.engine.topics import topic_of
from projections.engine.view import Recorded


class Names(Protocol):
    """Names learned from earlier events (an OPD's name by code, a request's title by id)."""

    def get(self, kind: str, key: str) -> str | None:
        """The name of ``key`` of this ``kind``, or None when not known."""


class NoNames:
    """Knows no names: phrases fall back to codes and ids."""

    def get(self, kind: str, key: str) -> str | None:
        """Always None."""
        return None


#: A function that says one event in plain words.
Phrase = Callable[[Recorded], str]
#: A function that says one event in plain words, with the names learned so far.
NamedPhrase = Callable[[Recorded, Names], str]
#: The words a family of templated sentences shares, e.g. ``{"subject": ..., "Subject": ...}``.
Words = Callable[[Recorded, Names], Mapping[str, str]]
#: What an event teaches: (kind, key, name) triples, e.g. ("opd", "DINKES", "Dinas Kesehatan").
Learner = Callable[[Recorded], Iterable[tuple[str, str, str]]]

F = TypeVar("F")

_PHRASES: dict[str, NamedPhrase] = {}
#: Every templated sentence: its event class and its template (checked by the tests).
TEMPLATES: dict[type, str] = {}
_LEARNERS: dict[str, Learner] = {}

#: Event attributes that name the thing, tried in this order for the generic sentence.
LABEL_ATTRIBUTES = ("title", "name", "code", "nip", "label", "key")


def _register(table: dict[str, F], event_class: type) -> Callable[[F], F]:
    """A decorator that files a function under the topic of ``event_class`` in ``table``."""
    topic = topic_of(event_class)

    def register(function: F) -> F:
        table[topic] = function
        return function

    return register


def named_phrase(event_class: type) -> Callable[[NamedPhrase], NamedPhrase]:
    """Register the sentence for events of one class that uses names learned earlier."""
    return _register(_PHRASES, event_class)


def learns(event_class: type) -> Callable[[Learner], Learner]:
    """Register what names events of one class teach (stored for later sentences)."""
    return _register(_LEARNERS, event_class)


def phrase(event_class: type) -> Callable[[Phrase], Phrase]:
    """Register the sentence for events of one class, e.g. ``Milestone.Approved``."""

    def register(function: Phrase) -> Phrase:
        named_phrase(event_class)(lambda recorded, _names: function(recorded))
        return function

    return register


class _Slots(dict[str, Any]):
    """A template's words; any other ``{name}`` is the event's field of that name."""

    def __init__(self, words: Mapping[str, str], event: Any) -> None:
        super().__init__(words)
        self.event = event

    def __missing__(self, key: str) -> Any:
        return getattr(self.event, key)


def templated(words: Words, templates: Mapping[type, str]) -> None:
    """Register the sentence of each event class written as a template, such as
    ``"{Subject} was withdrawn: {reason}"``: a ``{name}`` is one of ``words(recorded,
    names)``, else the event's field of that name."""
    for event_class, template in templates.items():
        TEMPLATES[event_class] = template
        named_phrase(event_class)(_filled(template, words))


def _filled(template: str, words: Words) -> NamedPhrase:
    def say(recorded: Recorded, names: Names) -> str:
        return template.format_map(_Slots(words(recorded, names), recorded.event))

    return say


def phrased_topics() -> frozenset[str]:
    """Every topic with a sentence or names of its own (the rest get the generic sentence)."""
    return frozenset(_PHRASES) | frozenset(_LEARNERS)


def learned(recorded: Recorded) -> list[tuple[str, str, str]]:
    """The (kind, key, name) triples this event teaches."""
    learner = _LEARNERS.get(recorded.topic)
    return list(learner(recorded)) if learner is not None else []


@cache  # event names are few; the timeline asks for every event of the log
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


def sentence(recorded: Recorded, names: Names | None = None) -> str:
    """The sentence for one event: its own phrase if one is registered, else the generic one."""
    found = _PHRASES.get(recorded.topic)
    if found is None:
        return generic_sentence(recorded)
    return found(recorded, names if names is not None else NoNames())
