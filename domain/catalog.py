"""Every bounded context, so a reader of the log can resolve every event topic."""

from __future__ import annotations

import importlib
from functools import cache

#: The contexts whose events are in the log. A new context is added here.
CONTEXTS = (
    "organisation",
    "calendar",
    "commitments",
    "bimtek",
    "plan",
    "approvals",
    "deadlines",
    "notifications",
    "evaluation",
)


@cache
def load_all() -> None:
    """Import each context's application module, registering all aggregate and event topics.

    Topics are explicit names (``jejak.plan:Milestone.Submitted``), not module paths, so a
    process that reads events it did not write must have imported their classes first.
    """
    for context in CONTEXTS:
        importlib.import_module(f"domain.{context}.application")
