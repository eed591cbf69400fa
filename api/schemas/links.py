"""OpenAPI links: from a command's answer to the operations on what it created or changed.

A client (or a stateful fuzzer) follows them: draft a plan, add a program, a milestone,
report progress, submit it, then decide on the approval the submission starts.
"""

from __future__ import annotations

from typing import Any, NamedTuple

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


#: The audit trail's operations on one record.
AUDIT_OF_ONE = (
    ("AuditEvents", "get", "/audit/aggregates/{aggregate_id}/events"),
    ("AuditState", "get", "/audit/aggregates/{aggregate_id}/state"),
    ("AuditDiff", "get", "/audit/aggregates/{aggregate_id}/diff"),
)

SENT_CODE = "$request.body#/code"
WORKFLOW_HISTORY = "/audit/approvals/{request_id}/workflow-history"
DELIVERABLE = "/bimtek/sessions/{session_id}/deliverables/{deliverable_id}"
#: What a link says when it fills one parameter with the answered id.
BY_ID = "{name}: {parameter} is the answer's id"


class Command(NamedTuple):
    """A command whose answer offers links."""

    status: int
    description: str
    #: What the links fill their path parameters with.
    fill: dict[str, str]
    #: What each link says (``{name}``, ``{parameter}``: the first one filled).
    says: str
    #: Whether the audit trail of the answered id is offered too.
    audited: bool


COMMANDS = {
    # Registering an OPD: the path names it by its code.
    "OPD_REGISTERED": Command(
        201,
        "The OPD is registered; Location names it",
        {"code": SENT_CODE},
        "{name} of the OPD registered",
        False,
    ),
    "PLAN_CREATED": Command(
        201,
        "The plan is drafted; Location names it",
        {"plan_id": ANSWERED_ID},
        BY_ID,
        True,
    ),
    "PROGRAM_ADDED": Command(
        201,
        "The program is added; Location names it",
        {"program_id": ANSWERED_ID},
        BY_ID,
        False,
    ),
    "MILESTONE_ADDED": Command(
        201,
        "The milestone is added; Location names it",
        {"milestone_id": ANSWERED_ID},
        BY_ID,
        True,
    ),
    # Submitting a milestone: the answer's id is the approval request the submission starts.
    "MILESTONE_SUBMITTED": Command(
        200,
        "Submitted; id is the approval request it starts",
        {"request_id": ANSWERED_ID},
        BY_ID,
        False,
    ),
    "COMMITMENT_CREATED": Command(
        201,
        "The commitment is created; Location names it",
        {"commitment_id": ANSWERED_ID},
        BY_ID,
        True,
    ),
    "SESSION_CREATED": Command(
        201,
        "The stage is created; Location names it",
        {"session_id": ANSWERED_ID},
        BY_ID,
        True,
    ),
    # Assigning a deliverable: its submission and review, on the same stage.
    "DELIVERABLE_ASSIGNED": Command(
        200,
        "The deliverable is assigned; id is the deliverable's",
        {"session_id": "$request.path.session_id", "deliverable_id": ANSWERED_ID},
        "{name} of the deliverable assigned",
        False,
    ),
    # Registering a civil servant: the path names them by NIP.
    "PERSON_REGISTERED": Command(
        201,
        "The person is registered; Location names them, id is their NIP",
        {"nip": ANSWERED_ID},
        BY_ID,
        False,
    ),
    # Appointing to an OPD's head post: the appointment may be ended.
    "APPOINTED": Command(
        200,
        "Appointed; id is the appointment's",
        {"appointment_id": ANSWERED_ID},
        BY_ID,
        False,
    ),
    "EVALUATION_OPENED": Command(
        201,
        "The year's evaluation is opened; Location names it",
        {"year_id": ANSWERED_ID},
        BY_ID,
        True,
    ),
    # Adding an item: its evidence and scores (the answer's id is the item's code).
    "ITEM_ADDED": Command(
        200,
        "The item is added; id is its code",
        {"year_id": "$request.path.year_id", "item_code": ANSWERED_ID},
        "{name} of the item added",
        False,
    ),
    # Opening a survey: its answers and its counts (a survey has no page of its own).
    "SURVEY_OPENED": Command(
        201,
        "The survey is opened; id is the survey's, codes the respondent codes",
        {"campaign_id": ANSWERED_ID},
        BY_ID,
        False,
    ),
}

#: Each link: the command whose answer offers it, its name, and the operation it leads to.
LINKS = (
    ("OPD_REGISTERED", "GetOpd", "get", "/opds/{code}"),
    ("OPD_REGISTERED", "GetHead", "get", "/opds/{code}/head"),
    ("OPD_REGISTERED", "AppointHead", "put", "/opds/{code}/head"),
    ("OPD_REGISTERED", "GetActing", "get", "/opds/{code}/acting"),
    ("OPD_REGISTERED", "AppointActing", "post", "/opds/{code}/acting"),
    ("PLAN_CREATED", "GetPlan", "get", "/plans/{plan_id}"),
    ("PLAN_CREATED", "ListPrograms", "get", "/plans/{plan_id}/programs"),
    ("PLAN_CREATED", "AddProgram", "post", "/plans/{plan_id}/programs"),
    ("PROGRAM_ADDED", "GetProgram", "get", "/programs/{program_id}"),
    ("PROGRAM_ADDED", "ListMilestones", "get", "/programs/{program_id}/milestones"),
    ("PROGRAM_ADDED", "AddMilestone", "post", "/programs/{program_id}/milestones"),
    ("MILESTONE_ADDED", "GetMilestone", "get", "/milestones/{milestone_id}"),
    ("MILESTONE_ADDED", "ReportProgress", "post", "/milestones/{milestone_id}/progress"),
    ("MILESTONE_ADDED", "SubmitMilestone", "post", "/milestones/{milestone_id}/submit"),
    ("MILESTONE_SUBMITTED", "GetApproval", "get", "/approvals/{request_id}"),
    ("MILESTONE_SUBMITTED", "Decide", "post", "/approvals/{request_id}/decisions"),
    ("MILESTONE_SUBMITTED", "Reassign", "post", "/approvals/{request_id}/reassignments"),
    ("MILESTONE_SUBMITTED", "WithdrawApproval", "post", "/approvals/{request_id}/withdrawal"),
    ("MILESTONE_SUBMITTED", "WorkflowHistory", "get", WORKFLOW_HISTORY),
    ("COMMITMENT_CREATED", "GetCommitment", "get", "/commitments/{commitment_id}"),
    ("COMMITMENT_CREATED", "ListSignatures", "get", "/commitments/{commitment_id}/signatures"),
    ("COMMITMENT_CREATED", "Sign", "post", "/commitments/{commitment_id}/signatures"),
    ("COMMITMENT_CREATED", "WithdrawCommitment", "post", "/commitments/{commitment_id}/withdraw"),
    ("SESSION_CREATED", "GetSession", "get", "/bimtek/sessions/{session_id}"),
    ("SESSION_CREATED", "GetAttendance", "get", "/bimtek/sessions/{session_id}/attendance"),
    ("SESSION_CREATED", "RecordAttendance", "post", "/bimtek/sessions/{session_id}/attendance"),
    ("SESSION_CREATED", "GetDeliverables", "get", "/bimtek/sessions/{session_id}/deliverables"),
    ("SESSION_CREATED", "AssignDeliverable", "post", "/bimtek/sessions/{session_id}/deliverables"),
    ("DELIVERABLE_ASSIGNED", "SubmitDeliverable", "post", DELIVERABLE + "/submission"),
    ("DELIVERABLE_ASSIGNED", "ReviewDeliverable", "post", DELIVERABLE + "/review"),
    ("PERSON_REGISTERED", "GetPerson", "get", "/people/{nip}"),
    ("PERSON_REGISTERED", "GetPersonContact", "get", "/notifications/contacts/persons/{nip}"),
    ("PERSON_REGISTERED", "RegisterPersonContact", "put", "/notifications/contacts/persons/{nip}"),
    ("APPOINTED", "EndAppointment", "post", "/appointments/{appointment_id}/end"),
    ("EVALUATION_OPENED", "GetEvaluation", "get", "/evaluations/{year_id}"),
    ("EVALUATION_OPENED", "SetWeights", "put", "/evaluations/{year_id}/weights"),
    ("EVALUATION_OPENED", "AddItem", "post", "/evaluations/{year_id}/items"),
    ("EVALUATION_OPENED", "EvaluationReport", "get", "/evaluations/{year_id}/report.xlsx"),
    ("ITEM_ADDED", "AttachEvidence", "post", "/evaluations/{year_id}/items/{item_code}/evidence"),
    ("ITEM_ADDED", "ScoreItem", "post", "/evaluations/{year_id}/items/{item_code}/scores"),
    ("SURVEY_OPENED", "AnswerSurvey", "post", "/surveys/{campaign_id}/responses"),
    ("SURVEY_OPENED", "SurveyCounts", "get", "/surveys/{campaign_id}/counts"),
)


def offered(command: str) -> dict[int | str, Any]:
    """The ``responses`` of ``command``'s route, with the links of its answer."""
    spec = COMMANDS[command]
    parameter = next(iter(spec.fill))
    offers = {
        name: link(method, path, spec.says.format(name=name, parameter=parameter), **spec.fill)
        for of, name, method, path in LINKS
        if of == command
    }
    if spec.audited:
        offers |= {
            name: link(method, path, f"{name} of the record created", aggregate_id=ANSWERED_ID)
            for name, method, path in AUDIT_OF_ONE
        }
    return answers(spec.status, spec.description, **offers)


OPD_REGISTERED = offered("OPD_REGISTERED")
PLAN_CREATED = offered("PLAN_CREATED")
PROGRAM_ADDED = offered("PROGRAM_ADDED")
MILESTONE_ADDED = offered("MILESTONE_ADDED")
MILESTONE_SUBMITTED = offered("MILESTONE_SUBMITTED")
COMMITMENT_CREATED = offered("COMMITMENT_CREATED")
SESSION_CREATED = offered("SESSION_CREATED")
DELIVERABLE_ASSIGNED = offered("DELIVERABLE_ASSIGNED")
PERSON_REGISTERED = offered("PERSON_REGISTERED")
APPOINTED = offered("APPOINTED")
EVALUATION_OPENED = offered("EVALUATION_OPENED")
ITEM_ADDED = offered("ITEM_ADDED")
SURVEY_OPENED = offered("SURVEY_OPENED")
