"""The domain's aggregates whose events the views read, so a view names an event by its class.

``@event`` makes an aggregate's event classes (``Milestone.Approved``) when the aggregate
class is defined, which the type checker cannot see; so each aggregate is given here typed
as ``Any``. A misspelt event name still fails when the view is imported, and ``by_topic``
takes each class's pinned topic, so no view writes a topic by hand.
"""

from __future__ import annotations

from typing import Any

from domain import bimtek, commitments, evaluation, notifications, organisation, plan
from domain.approvals.request import ApprovalRequest as _ApprovalRequest
from domain.deadlines.track import DeadlineTrack as _DeadlineTrack
from domain.evaluation.feedback import Feedback as _Feedback
from domain.evaluation.survey import SurveyCampaign as _SurveyCampaign
from domain.evaluation.survey import SurveyResponse as _SurveyResponse

ApprovalRequest: Any = _ApprovalRequest
BimtekSession: Any = bimtek.BimtekSession
Commitment: Any = commitments.Commitment
DeadlineTrack: Any = _DeadlineTrack
Delivery: Any = notifications.Delivery
EvaluationYear: Any = evaluation.EvaluationYear
Feedback: Any = _Feedback
MasterPlan: Any = plan.MasterPlan
Milestone: Any = plan.Milestone
Opd: Any = organisation.Opd
Person: Any = organisation.Person
Program: Any = plan.Program
SurveyCampaign: Any = _SurveyCampaign
SurveyResponse: Any = _SurveyResponse
