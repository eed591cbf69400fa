"""The timeline's sentences for organisation and approval events, and the names they teach."""

from __future__ import annotations

from collections.abc import Iterable

from projections.engine.aggregates import ApprovalRequest, Opd, Person
from projections.engine.topics import topic_of
from projections.engine.view import Recorded
from projections.views.timeline.phrases import Names, learns, named_phrase, templated
from projections.views.timeline.wording import (
    SUBJECT_WORDS,
    capitalised,
    day,
    head_of,
    office,
    opd_name,
    quoted,
)

#: The approval request's topic (from its class), for readers of its events' topics.
APPROVAL = topic_of(ApprovalRequest)
OUTCOME_WORDS = {"approve": "approved", "reject": "rejected", "return": "returned for revision"}
ESCALATION_WORDS = {1: "the Sekda", 2: "the Inspektorat"}

Learned = Iterable[tuple[str, str, str]]


def _id(recorded: Recorded) -> str:
    return str(recorded.event.originator_id)


@learns(Opd.Created)
def _opd_names(recorded: Recorded) -> Learned:
    e = recorded.event
    return [
        ("opd", e.code, e.name),
        ("opd-head", e.code, e.head_title),
        ("opd-id", _id(recorded), e.code),
    ]


@learns(Person.Created)
def _person_name(recorded: Recorded) -> Learned:
    return [("person", recorded.event.nip, recorded.event.name)]


@learns(ApprovalRequest.Requested)
def _request_names(recorded: Recorded) -> Learned:
    e = recorded.event
    return [("approval", _id(recorded), e.title), ("approval-kind", _id(recorded), e.subject_kind)]


def person(names: Names, nip: str) -> str:
    """The person's name, or their NIP."""
    return names.get("person", nip) or nip


def subject(names: Names, recorded: Recorded) -> str:
    """What an approval request is about, e.g. ``the milestone report "Portal live"``."""
    request_id = _id(recorded)
    kind = names.get("approval-kind", request_id) or ""
    words = SUBJECT_WORDS.get(kind, "the request")
    return f"{words} {quoted(names.get('approval', request_id), request_id[:8])}"


def step(recorded: Recorded) -> str:
    """``step 1`` for step index 0: officials count from one."""
    return f"step {recorded.event.step_index + 1}"


@named_phrase(ApprovalRequest.Requested)
def approval_requested(recorded: Recorded, names: Names) -> str:
    """``Dinas Kesehatan sent the milestone report "X" for approval``."""
    e = recorded.event
    what = f"{SUBJECT_WORDS.get(e.subject_kind, 'a request')} {quoted(e.title, e.subject_id)}"
    return f"{opd_name(names, e.owner_opd)} sent {what} for approval"


@named_phrase(ApprovalRequest.StepOpened)
def step_opened(recorded: Recorded, names: Names) -> str:
    """``Step 1 of ... is open for decision, due 23 Oct 2023``."""
    due = day(recorded.event.due_at)
    return f"{step(recorded).capitalize()} of {subject(names, recorded)} is open, due {due}"


@named_phrase(ApprovalRequest.DecisionRecorded)
def decision_recorded(recorded: Recorded, names: Names) -> str:
    """``Kepala Dinas Kesehatan approved the milestone report "X" (step 1): comment``."""
    e = recorded.event
    who = office(names, e.opd_code, e.person_capacity)
    did = OUTCOME_WORDS.get(e.outcome, e.outcome)
    comment = f': "{e.comment}"' if e.comment else ""
    return f"{who} {did} {subject(names, recorded)} ({step(recorded)}){comment}"


def _opd_words(recorded: Recorded, names: Names) -> dict[str, str]:
    """For an appointment: who, the office (as head or as its ``kind``), from which day."""
    e = recorded.event
    if not hasattr(e, "nip"):
        return {}
    code = names.get("opd-id", _id(recorded)) or _id(recorded)[:8]
    words = {"person": person(names, e.nip), "from_day": day(e.valid_from)}
    words["head"] = head_of(names, code)
    if hasattr(e, "kind"):  # an acting appointment names its kind
        words["role"] = office(names, code, e.kind)
    return words


def _approval_words(recorded: Recorded, names: Names) -> dict[str, str]:
    """The request's subject; the step, the OPDs it moved between and the office it was
    escalated to, when the event names them."""
    e, about = recorded.event, subject(names, recorded)
    words = {"subject": about, "Subject": capitalised(about)}
    if hasattr(e, "step_index"):
        words |= {"step": step(recorded), "Step": step(recorded).capitalize()}
    if hasattr(e, "level"):
        words["office"] = ESCALATION_WORDS.get(e.level, f"level {e.level}")
    if hasattr(e, "to_opd"):
        words |= {"from_name": opd_name(names, e.from_opd), "to_name": opd_name(names, e.to_opd)}
    return words


templated(
    _opd_words,
    {
        Opd.Created: "{name} ({code}) was registered as an OPD, headed by a {head_title}",
        Opd.HeadAppointed: "{person} was appointed {head} from {from_day}",
        Opd.ActingAppointed: "{person} was appointed {role} from {from_day}",
    },
)
templated(
    _approval_words,
    {
        ApprovalRequest.StepCompleted: "{Step} of {subject} was completed: {outcome}",
        ApprovalRequest.ReminderSent: "A reminder ({label}) was sent for {step} of {subject}",
        ApprovalRequest.Approved: "{Subject} was approved",
        ApprovalRequest.Rejected: "{Subject} was rejected",
        ApprovalRequest.ReturnedForRevision: "{Subject} was returned for revision",
        ApprovalRequest.Resubmitted: "{Subject} was resubmitted for a new round of approval",
        ApprovalRequest.Withdrawn: "{Subject} was withdrawn: {reason}",
        ApprovalRequest.StepReassigned: (
            "{Step} of {subject} was handed from {from_name} to {to_name}: {reason}"
        ),
        ApprovalRequest.StepEscalated: "{Step} of {subject} was escalated to {office}",
        ApprovalRequest.NobodyMayDecide: (
            "Nobody in office may decide {step} of {subject}: {reason} It goes to {office} at once"
        ),
        ApprovalRequest.PreviousRequestLinked: (
            "{Subject} is submitted again (submission {attempt}), after request "
            "{previous_request_id}"
        ),
    },
)
