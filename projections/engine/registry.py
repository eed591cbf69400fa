"""Every read model the projector runs."""

from __future__ import annotations

from projections.engine.view import View
from projections.views.bimtek.view import BimtekView
from projections.views.commitments.view import CommitmentsView
from projections.views.deadlines.view import DeadlineBoardView
from projections.views.evaluation.comments import CommentsView
from projections.views.evaluation.survey import SurveyView
from projections.views.evaluation.view import EvaluationRecordView
from projections.views.inbox.view import InboxView
from projections.views.milestones.view import MilestonesView
from projections.views.notifications.view import NotificationsView
from projections.views.outbox.view import OutboxView
from projections.views.plan_progress.view import PlanProgressView
from projections.views.timeline.view import TimelineView


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
        CommentsView(),
    ]


def view_topics() -> dict[str, frozenset[str]]:
    """The topics each registered read model listens to, by view name."""
    return {view.name: view.topics() for view in all_views()}
