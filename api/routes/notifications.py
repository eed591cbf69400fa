"""Notifications: where people and OPDs are told, and what became of each message."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Path, Query, Response

from api import policy
from api.deps import Allow, ExpectedVersion, Organisation, app_of, etag
from api.paging import decode_cursor, encode_cursor
from api.policy import Caller
from api.problems import ProblemError
from api.readmodels import Fresh
from api.schemas import CommandResult, Page
from api.schemas.audit import MAX_POSITION
from api.schemas.notifications import ContactIn, ContactOut, DeliveryOut
from api.schemas.params import NipPath, OpdCodePath
from domain.notifications import Contact, NotificationsApplication
from domain.organisation import normalise_nip
from domain.organisation.opd import normalise_opd_code
from projections.engine.viewstore import ViewStore
from projections.views.notifications.queries import DeliveryRow, deliveries
from projections.views.notifications.view import NotificationsView

router = APIRouter(tags=["notifications"])

Notifications = Annotated[NotificationsApplication, Depends(app_of(NotificationsApplication))]
Registrar = Annotated[Caller, Allow("contact:register")]
ContactReader = Annotated[Caller, Allow("contact:read")]
Views = Annotated[ViewStore, Fresh(NotificationsView.name)]
State = Literal["pending", "queued", "sent", "dead-letter"]
Channel = Literal["email", "webhook", "sink"]
Limit = Annotated[int, Query(ge=1, le=200)]


def own_person(caller: Caller, permission: str, nip: str) -> None:
    """Refuse unless the caller may act on anyone's contact, or this is their own."""
    if policy.scope_of(caller.role, permission) != policy.ANY and nip != caller.user:
        raise policy.refused(permission, "You may only see or change your own contact.")


def contact_out(owner_kind: str, owner: str, contact: Contact | None) -> ContactOut:
    """A contact as registered (empty when nothing was)."""
    if contact is None:
        return ContactOut(
            owner_kind=owner_kind, owner=owner, email="", webhook_url="",
            webhook_secret_ref="", delivery="immediate", language="id", version=0,
        )  # fmt: skip
    return ContactOut(
        owner_kind=contact.owner_kind, owner=contact.owner, email=contact.email,
        webhook_url=contact.webhook_url, webhook_secret_ref=contact.webhook_secret_ref,
        delivery=contact.delivery, language=contact.language, version=contact.version,
    )  # fmt: skip


def register(
    notifications: NotificationsApplication,
    kind: str,
    owner: str,
    body: ContactIn,
    by: Caller,
    expected: int | None,
) -> CommandResult:
    """Register the parts of ``body`` for a person or an OPD (412 if changed since If-Match)."""
    position = notifications.register_contact(
        kind, owner, email=body.email, webhook_url=body.webhook_url,
        secret_ref=body.webhook_secret_ref, delivery=body.delivery, language=body.language,
        by=by.actor(owner if kind == "opd" else None), expected_version=expected,
    )  # fmt: skip
    return CommandResult(position=position, id=f"{kind}:{owner}")


@router.put("/notifications/contacts/persons/{nip}")
def register_person_contact(
    nip: NipPath, body: ContactIn, caller: Registrar, organisation: Organisation,
    notifications: Notifications, expected: ExpectedVersion,
) -> CommandResult:  # fmt: skip
    """Register a person's email, webhook or preferences (the secretariat, or the person).

    Send the ETag of the contact as read (``"0"`` for none yet) in ``If-Match`` to be told
    (412) when someone changed it meanwhile, instead of undoing their change.
    """
    nip = organisation.get_person(normalise_nip(nip)).nip
    own_person(caller, "contact:register", nip)
    return register(notifications, "person", nip, body, caller, expected)


@router.get("/notifications/contacts/persons/{nip}")
def person_contact(
    nip: NipPath, caller: ContactReader, notifications: Notifications, response: Response
) -> ContactOut:
    """A person's registered contact (its version is the ETag a change sends in If-Match)."""
    nip = normalise_nip(nip)
    own_person(caller, "contact:read", nip)
    found = contact_out("person", nip, notifications.contact("person", nip))
    response.headers["ETag"] = etag(found.version)
    return found


@router.put("/notifications/contacts/opds/{code}")
def register_opd_contact(
    code: OpdCodePath, body: ContactIn, caller: Registrar, organisation: Organisation,
    notifications: Notifications, expected: ExpectedVersion,
) -> CommandResult:  # fmt: skip
    """Register an OPD's shared mailbox, chat gateway or preferences (If-Match as for a
    person's)."""
    code = organisation.get_opd(code).code
    policy.check(caller, "contact:register", [code])
    return register(notifications, "opd", code, body, caller, expected)


@router.get("/notifications/contacts/opds/{code}")
def opd_contact(
    code: OpdCodePath, caller: ContactReader, notifications: Notifications, response: Response
) -> ContactOut:
    """An OPD's registered contact (its version is the ETag a change sends in If-Match)."""
    code = normalise_opd_code(code)
    policy.check(caller, "contact:read", [code])
    found = contact_out("opd", code, notifications.contact("opd", code))
    response.headers["ETag"] = etag(found.version)
    return found


def page(
    views: ViewStore, cursor: str | None, limit: int, **filters: str | None
) -> Page[DeliveryOut]:
    """One page of deliveries, newest first."""
    after = None
    if cursor:
        position, _, delivery_id = decode_cursor(cursor).partition("|")
        if not position.isdigit() or not delivery_id:
            raise ProblemError(
                422, "invalid-cursor", "Not a valid cursor", "Start from the first page."
            )
        after = (int(position), delivery_id)
    found: list[DeliveryRow] = deliveries(views, after=after, limit=limit, **filters)
    next_cursor = encode_cursor(found[-1].cursor) if len(found) == limit else None
    return Page[DeliveryOut](items=[DeliveryOut(**vars(r)) for r in found], next_cursor=next_cursor)


@router.get("/notifications")
def list_notifications(
    caller: Annotated[Caller, Allow("notification:read")],
    views: Views,
    state: State | None = None,
    channel: Channel | None = None,
    recipient: Annotated[str | None, Query(max_length=64)] = None,
    cursor: str | None = None,
    limit: Limit = 50,
) -> Page[DeliveryOut]:
    """Every delivery with its state and attempts: what was sent, what waits, what failed."""
    return page(views, cursor, limit, state=state, channel=channel, recipient=recipient)


@router.get("/me/notifications")
def my_notifications(
    caller: Annotated[Caller, Allow("my-notification:read")],
    views: Views,
    state: State | None = None,
    cursor: str | None = None,
    limit: Limit = 50,
) -> Page[DeliveryOut]:
    """The messages sent (or waiting) for you."""
    return page(views, cursor, limit, state=state, recipient=caller.user)


@router.post("/me/notifications/{position}/read")
def mark_my_notification_read(
    position: Annotated[int, Path(ge=1, le=MAX_POSITION, description="The message's position")],
    caller: Annotated[Caller, Allow("my-notification:read")],
    notifications: Notifications,
) -> CommandResult:
    """Mark a message to you as read (by every channel it went by); again changes nothing."""
    at = notifications.mark_read(position, caller.user, caller.actor())
    return CommandResult(position=at, id=str(position))
