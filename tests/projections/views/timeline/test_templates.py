"""Every templated sentence fills each of its ``{name}``s from its words or from a field
its event class really has (a misspelt field would otherwise fail only when it happens)."""

from __future__ import annotations

import dataclasses
import uuid
from datetime import UTC, date, datetime
from types import SimpleNamespace
from typing import Any

import pytest

from projections.engine.topics import topic_of
from projections.engine.view import Recorded
from projections.views.timeline import names  # noqa: F401  (registers the phrasebooks)
from projections.views.timeline.phrases import TEMPLATES, NoNames, sentence

#: Values for the fields the words compute with; any other field is a text.
SAMPLES: dict[str, Any] = {
    "originator_id": uuid.UUID(int=7),
    "step_index": 0,
    "level": 1,
    "late": True,
    "new_date": date(2024, 1, 2),
    "valid_from": date(2024, 1, 1),
    "kind": "acting",
    "due_date": date(2024, 2, 3),
    "submitted_at": datetime(2024, 1, 5, 9, tzinfo=UTC),
}


@pytest.mark.parametrize("event_class", list(TEMPLATES), ids=lambda c: c.__qualname__)
def test_a_template_uses_only_its_words_and_its_events_fields(event_class: type) -> None:
    fields = {field.name: SAMPLES.get(field.name, "x") for field in dataclasses.fields(event_class)}
    recorded = Recorded(1, topic_of(event_class), SimpleNamespace(**fields))
    assert "{" not in sentence(recorded, NoNames())
