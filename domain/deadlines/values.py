"""The deadline's values: what kinds of subject have one, and who hears of an escalation."""

from __future__ import annotations

from enum import StrEnum


class DeadlineKind(StrEnum):
    """What has a tracked deadline (stored in events and workflow ids: never rename).

    ``milestone`` is the milestone itself: its approval's subject is its report,
    ``milestone-report`` (``domain.approvals.values.SubjectKind``).
    """

    MILESTONE = "milestone"
    DELIVERABLE = "deliverable"
    COMMITMENT = "commitment"
    EVALUATION_ITEMS = "evaluation-items"  # an OPD's items of a year's evaluation


#: Who hears of an escalation, by level (the same ladder as approvals).
ESCALATED_TO = {1: "SEKDA", 2: "INSPEKTORAT"}
