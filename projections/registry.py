"""Every read model the projector runs."""

from __future__ import annotations

from projections.bimtek import BimtekView
from projections.commitments import CommitmentsView
from projections.deadlines import DeadlineBoardView
from projections.evaluation import EvaluationRecordView
from projections.evaluation_survey import SurveyView
from projections.inbox import InboxView
from projections.milestones import MilestonesView
from projections.notifications.view import NotificationsView
from projections.outbox import OutboxView
from projections.plan_progress import PlanProgressView
from projections.timeline import TimelineView
from projections.view import View


def all_views() -> list[View]:
    """One instance of each registered read model."""
    return [
        TimelineView(),
        InboxView(),
        BimtekView(),
        CommitmentsView(),
        PlanProgressView(),
        MilestonesView(),
        DeadlineBoardView(),
        OutboxView(),
        NotificationsView(),
        EvaluationRecordView(),
        SurveyView(),
    ]
