"""Every topic a view listens to is the topic of an event class the domain registers.

A view names its events by class (``Milestone.Approved``) and takes the pinned topic, so a
misspelt event fails at import; this test also catches a topic that no registered class
carries (a handler that would never fire). To check another listener (the workflow
starter), add its topics to ``listened_topics``.
"""

from __future__ import annotations

import pytest
from eventsourcing.domain import DomainEvent
from eventsourcing.utils import TopicError, resolve_topic

from domain.catalog import load_all
from projections.engine.registry import view_topics
from projections.engine.topics import by_topic, topic_of


def listened_topics() -> list[tuple[str, str]]:
    """(listener, topic) for every topic something reading the log listens to.

    The views' topics; a listener added later (the workflow starter) adds its own here.
    """
    return [(name, topic) for name, topics in view_topics().items() for topic in sorted(topics)]


@pytest.mark.parametrize(("listener", "topic"), listened_topics())
def test_every_listened_topic_is_a_registered_domain_event(listener: str, topic: str) -> None:
    load_all()
    event_class = resolve_topic(topic)
    assert isinstance(event_class, type), listener
    assert issubclass(event_class, DomainEvent), listener
    assert topic_of(event_class) == topic


def test_every_view_listens_to_something() -> None:
    assert all(view_topics().values())


def test_a_class_without_a_pinned_topic_is_refused() -> None:
    class Unpinned:
        pass

    with pytest.raises(TypeError, match="no pinned topic"):
        by_topic({Unpinned: None})


def test_a_misspelt_topic_does_not_resolve() -> None:
    load_all()
    with pytest.raises(TopicError):
        resolve_topic("jejak.plan:Milestone.Aproved")
