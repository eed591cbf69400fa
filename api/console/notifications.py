"""Pemberitahuan: the messages Jejak sent the signed-in person, read or not; mark one read."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from api import policy
from api.console.routing import ConsoleRoute
from api.console.web import caller_of, checked_form, go, overviews, render
from api.deps import get_store
from api.routes.notifications import mark_my_notification_read
from domain.notifications import NotificationsApplication
from projections.views.notifications.queries import messages_for, unread_count
from projections.views.notifications.view import NotificationsView

router = APIRouter(route_class=ConsoleRoute)

#: Seconds the list waits for the read model to include the caller's own mark.
WAIT_SECONDS = 5.0


@router.get("/pemberitahuan", response_class=HTMLResponse)
def notifications_page(request: Request, belum: bool = False) -> HTMLResponse:
    """The caller's messages, newest first; ``belum``: only those not read yet."""
    caller = caller_of(request)
    policy.require(caller, "my-notification:read")
    views = overviews(request, NotificationsView.name)
    after = request.query_params.get("setelah", "")
    if after.isdigit():
        views.wait_for([NotificationsView.name], int(after), WAIT_SECONDS)
    return render(
        request, "notifications.html", caller=caller, unread_only=belum,
        messages=messages_for(views, caller.user, unread_only=belum),
        unread=unread_count(views, caller.user),
    )  # fmt: skip


@router.post("/pemberitahuan/{position}/dibaca")
async def mark_read(request: Request, position: int) -> RedirectResponse:
    """Mark one message read, through the API's own route (same rules), then back to the list."""
    caller = caller_of(request)
    form = await checked_form(request)
    notifications = get_store(request).app(NotificationsApplication)
    policy.require(caller, "my-notification:read")
    done = mark_my_notification_read(position, caller, notifications)
    only = "&belum=1" if form.get("belum") else ""
    return go(f"/pemberitahuan?setelah={done.position}{only}")
