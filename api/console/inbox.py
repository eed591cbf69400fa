"""Kotak masuk: the steps waiting for me, and deciding one in the same screen."""

from __future__ import annotations

import asyncio
import uuid
from datetime import datetime

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import ValidationError

from api import policy
from api.auth import Role
from api.console.routing import ConsoleRoute
from api.console.web import caller_of, checked_form, overviews, render, words
from api.deps import Approvals, Calendar
from api.policy import Caller
from api.problems import ProblemError, domain_status
from api.routes import approvals as approval_routes
from api.routes.calendar import City
from api.schemas.approvals import Decide
from domain.approvals.values import ApprovalState
from domain.calendar import JAKARTA
from domain.shared import DomainError
from projections.views.inbox.queries import InboxItem, escalated_open_steps, inbox
from projections.views.inbox.view import InboxView

router = APIRouter(route_class=ConsoleRoute)

OUTCOMES = ("approve", "return", "reject")
#: Seconds the inbox waits for the read models to include the caller's own decision.
WAIT_SECONDS = 5.0


def items_of(request: Request, caller: Caller, calendar: Calendar, city: str) -> list[InboxItem]:
    """The caller's open steps, as ``GET /me/inbox`` answers them."""
    policy.require(caller, "inbox:read")
    views = overviews(request, InboxView.name)
    after = request.query_params.get("setelah", "")
    if after.isdigit():
        views.wait_for([InboxView.name], int(after), WAIT_SECONDS)
    if caller.role == Role.LEADERSHIP:
        return escalated_open_steps(views)
    working = calendar.calendar_for(city)
    return inbox(views, sorted(caller.opds), datetime.now(JAKARTA), working)


def may_decide(caller: Caller, opd_code: str) -> bool:
    """Whether the policy table lets the caller decide a step assigned to ``opd_code``."""
    return policy.visible(caller, "approval:decide", [opd_code])


@router.get("/", response_class=HTMLResponse)
def inbox_page(request: Request, calendar: Calendar, city: City) -> HTMLResponse:
    """Kotak masuk: steps waiting for me, soonest due first."""
    caller = caller_of(request)
    items = items_of(request, caller, calendar, city)
    return render(
        request,
        "inbox.html",
        caller=caller,
        items=items,
        may_decide=lambda item: not item.decided and may_decide(caller, item.opd_code),
        form_key=lambda: str(uuid.uuid4()),
    )


@router.get("/persetujuan/{request_id}", response_class=HTMLResponse)
def approval_page(request: Request, request_id: uuid.UUID, approvals: Approvals) -> HTMLResponse:
    """One approval: its steps and decisions; the decision form only for who may decide now."""
    caller = caller_of(request)
    state = approvals.snapshot(request_id)
    policy.check(caller, "approval:read", approval_routes.owners(state))
    return render(
        request,
        "approval.html",
        caller=caller,
        state=state,
        deciders=deciders(caller, state),
        form_key=str(uuid.uuid4()),
        audit=policy.scope_of(caller.role, "audit:read") is not None,
    )


def deciders(caller: Caller, state: ApprovalState) -> list[str]:
    """The OPDs of the open step the caller may decide for now (none: no form)."""
    step = state.steps[state.current_step] if state.current_step is not None else None
    if step is None or not step.is_open:
        return []
    if caller.role == Role.LEADERSHIP:
        return list(step.assigned_opds) if step.escalation_level >= 1 else []
    decided = {d.opd_code for d in step.decisions}
    return [o for o in step.assigned_opds if o not in decided and may_decide(caller, o)]


@router.post("/persetujuan/{request_id}/keputusan", response_class=HTMLResponse)
async def decide(request: Request, request_id: uuid.UUID, approvals: Approvals) -> Response:
    """Approve, return or reject, through the API's own decision route (same rules, same key)."""
    caller = caller_of(request)
    form = await checked_form(request)
    outcome = form.get("outcome", "")
    if outcome not in OUTCOMES:
        raise ProblemError(422, "outcome-needed", "Choose a decision", "Approve, return or reject.")
    try:
        body = Decide.model_validate(
            {"outcome": outcome, "comment": form.get("comment", ""), "opd_code": form.get("opd")}
        )
    except ValidationError:
        message = words(request).gettext("A comment is at most 4,000 characters.")
        return render(request, "decided.html", status_code=422, error=message)
    # The key is made when the form is shown: a double click or a retry is the same decision.
    key = form.get("key") or None
    try:
        result = await approval_routes.decide(
            request_id, body, caller, approvals, request, idempotency_key=key
        )
    except (ProblemError, DomainError) as error:
        status = error.status if isinstance(error, ProblemError) else domain_status(error)
        message = error.detail if isinstance(error, ProblemError) else error.message
        return render(request, "decided.html", status_code=status, error=message)
    state = await asyncio.to_thread(approvals.snapshot, request_id)
    return render(request, "decided.html", status_code=201, result=result, state=state, error=None)
