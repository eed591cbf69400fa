"""OpenAPI links: from a command's answer to the operations on what it created or changed.

A client (or a stateful fuzzer) follows them: draft a plan, add a program, a milestone,
report progress, submit it, then decide on the approval the submission starts.
"""

from __future__ import annotations

from typing import Any

from fastapi import Response

#: The prefix of every route of the API.
PREFIX = "/api/v1"
#: The id a command's answer gives (``CommandResult.id``).
ANSWERED_ID = "$response.body#/id"


def operation(method: str, path: str) -> str:
    """A JSON pointer to the operation ``method`` on ``path`` (below the prefix)."""
    escaped = (PREFIX + path).replace("~", "~0").replace("/", "~1")
    return f"#/paths/{escaped}/{method}"


def link(method: str, path: str, description: str, **parameters: str) -> dict[str, Any]:
    """A link to ``method path``, filling its path parameters with runtime expressions."""
    return {
        "operationRef": operation(method, path),
        "parameters": parameters,
        "description": description,
    }


def answers(status: int, description: str, **links: dict[str, Any]) -> dict[int | str, Any]:
    """The ``responses`` of a route: its answer ``status`` with the links it offers."""
    return {status: {"description": description, "links": links}}


def located(response: Response, path: str) -> None:
    """Say where the resource just created is (``Location``), below the API's prefix."""
    response.headers["Location"] = PREFIX + path


def by_id(parameter: str, *targets: tuple[str, str, str]) -> dict[str, dict[str, Any]]:
    """Links named by their targets' names, each filling ``parameter`` with the answered id."""
    fill = {parameter: ANSWERED_ID}
    return {name: link(m, p, f"{name}: {parameter} is the answer's id", **fill)
            for name, m, p in targets}  # fmt: skip


#: The audit trail's operations on one record.
AUDIT_OF_ONE = (
    ("AuditEvents", "get", "/audit/aggregates/{aggregate_id}/events"),
    ("AuditState", "get", "/audit/aggregates/{aggregate_id}/state"),
    ("AuditDiff", "get", "/audit/aggregates/{aggregate_id}/diff"),
)


def audited(**links: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """``links`` and those to the audit trail of the record whose id the answer gives."""
    trail = {
        name: link(m, p, f"{name} of the record created", aggregate_id=ANSWERED_ID)
        for name, m, p in AUDIT_OF_ONE
    }
    return {**links, **trail}


OPD = "/opds/{code}"
PLAN = "/plans/{plan_id}"
PROGRAM = "/programs/{program_id}"
MILESTONE = "/milestones/{milestone_id}"
APPROVAL = "/approvals/{request_id}"
COMMITMENT = "/commitments/{commitment_id}"
SESSION = "/bimtek/sessions/{session_id}"
DELIVERABLE = SESSION + "/deliverables/{deliverable_id}"
SENT_CODE = "$request.body#/code"
PERSON = "/people/{nip}"

#: Registering an OPD: its page, head and acting heads (the path names it by its code).
OPD_REGISTERED = answers(
    201,
    "The OPD is registered; Location names it",
    **{
        name: link(m, p, f"{name} of the OPD registered", code=SENT_CODE)
        for name, m, p in (
            ("GetOpd", "get", OPD),
            ("GetHead", "get", OPD + "/head"),
            ("AppointHead", "put", OPD + "/head"),
            ("GetActing", "get", OPD + "/acting"),
            ("AppointActing", "post", OPD + "/acting"),
        )
    },
)
PLAN_CREATED = answers(
    201,
    "The plan is drafted; Location names it",
    **audited(
        **by_id(
            "plan_id",
            ("GetPlan", "get", PLAN),
            ("ListPrograms", "get", PLAN + "/programs"),
            ("AddProgram", "post", PLAN + "/programs"),
        )
    ),
)
PROGRAM_ADDED = answers(
    201,
    "The program is added; Location names it",
    **by_id(
        "program_id",
        ("GetProgram", "get", PROGRAM),
        ("ListMilestones", "get", PROGRAM + "/milestones"),
        ("AddMilestone", "post", PROGRAM + "/milestones"),
    ),
)
MILESTONE_ADDED = answers(
    201,
    "The milestone is added; Location names it",
    **audited(
        **by_id(
            "milestone_id",
            ("GetMilestone", "get", MILESTONE),
            ("ReportProgress", "post", MILESTONE + "/progress"),
            ("SubmitMilestone", "post", MILESTONE + "/submit"),
        )
    ),
)
#: Submitting a milestone: the answer's id is the approval request the submission starts.
MILESTONE_SUBMITTED = answers(
    200,
    "Submitted; id is the approval request it starts",
    **by_id(
        "request_id",
        ("GetApproval", "get", APPROVAL),
        ("Decide", "post", APPROVAL + "/decisions"),
        ("Reassign", "post", APPROVAL + "/reassignments"),
        ("WithdrawApproval", "post", APPROVAL + "/withdrawal"),
        ("WorkflowHistory", "get", "/audit/approvals/{request_id}/workflow-history"),
    ),
)
COMMITMENT_CREATED = answers(
    201,
    "The commitment is created; Location names it",
    **audited(
        **by_id(
            "commitment_id",
            ("GetCommitment", "get", COMMITMENT),
            ("ListSignatures", "get", COMMITMENT + "/signatures"),
            ("Sign", "post", COMMITMENT + "/signatures"),
            ("WithdrawCommitment", "post", COMMITMENT + "/withdraw"),
        )
    ),
)
SESSION_CREATED = answers(
    201,
    "The stage is created; Location names it",
    **audited(
        **by_id(
            "session_id",
            ("GetSession", "get", SESSION),
            ("GetAttendance", "get", SESSION + "/attendance"),
            ("RecordAttendance", "post", SESSION + "/attendance"),
            ("GetDeliverables", "get", SESSION + "/deliverables"),
            ("AssignDeliverable", "post", SESSION + "/deliverables"),
        )
    ),
)
#: Assigning a deliverable: its submission and review, on the same stage.
DELIVERABLE_ASSIGNED = answers(
    200,
    "The deliverable is assigned; id is the deliverable's",
    **{
        name: link(
            m,
            p,
            f"{name} of the deliverable assigned",
            session_id="$request.path.session_id",
            deliverable_id=ANSWERED_ID,
        )
        for name, m, p in (
            ("SubmitDeliverable", "post", DELIVERABLE + "/submission"),
            ("ReviewDeliverable", "post", DELIVERABLE + "/review"),
        )
    },
)
#: Registering a civil servant: their record and contact (the path names them by NIP).
PERSON_REGISTERED = answers(
    201,
    "The person is registered; Location names them, id is their NIP",
    **by_id(
        "nip",
        ("GetPerson", "get", PERSON),
        ("GetPersonContact", "get", "/notifications/contacts/persons/{nip}"),
        ("RegisterPersonContact", "put", "/notifications/contacts/persons/{nip}"),
    ),
)
#: Appointing to an OPD's head post: the answer's id is the appointment, which may be ended.
APPOINTED = answers(
    200,
    "Appointed; id is the appointment's",
    **by_id("appointment_id", ("EndAppointment", "post", "/appointments/{appointment_id}/end")),
)
EVALUATION = "/evaluations/{year_id}"
#: Opening a year's evaluation: its package, weights, items, and the Excel report.
EVALUATION_OPENED = answers(
    201,
    "The year's evaluation is opened; Location names it",
    **audited(
        **by_id(
            "year_id",
            ("GetEvaluation", "get", EVALUATION),
            ("SetWeights", "put", EVALUATION + "/weights"),
            ("AddItem", "post", EVALUATION + "/items"),
            ("EvaluationReport", "get", EVALUATION + "/report.xlsx"),
        )
    ),
)
#: Adding an item: its evidence and scores (the answer's id is the item's code).
ITEM_ADDED = answers(
    200,
    "The item is added; id is its code",
    **{
        name: link(
            m,
            p,
            f"{name} of the item added",
            year_id="$request.path.year_id",
            item_code=ANSWERED_ID,
        )
        for name, m, p in (
            ("AttachEvidence", "post", EVALUATION + "/items/{item_code}/evidence"),
            ("ScoreItem", "post", EVALUATION + "/items/{item_code}/scores"),
        )
    },
)
#: Opening a survey: its answers and its counts (a survey has no page of its own).
SURVEY_OPENED = answers(
    201,
    "The survey is opened; id is the survey's, codes the respondent codes",
    **by_id(
        "campaign_id",
        ("AnswerSurvey", "post", "/surveys/{campaign_id}/responses"),
        ("SurveyCounts", "get", "/surveys/{campaign_id}/counts"),
    ),
)
