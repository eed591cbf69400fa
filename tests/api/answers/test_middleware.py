"""Kept answers: sent while the read models stand still, asked again the moment they move,
never to a caller of another scope, never past a refusal."""

from __future__ import annotations

from api.answers import AnswerCache
from api.auth import Role
from infra.scenario import personas
from projections.views.inbox.view import InboxView
from tests.support.city import City, city

__all__ = ["city"]

INBOX = "/api/v1/me/inbox"
BOARD = "/api/v1/deadlines?state=overdue&as_of=2026-01-15"


def kept(city: City) -> AnswerCache:
    """The app's kept answers."""
    cache: AnswerCache = city.app.state.answers
    return cache


def retitle_behind_the_views_back(city: City, title: str) -> None:
    """Change the inbox's rows without an event: no view position moves."""
    views = city.app.state.views
    table = views.table(InboxView.name, "inbox_steps")
    with views.transaction() as tx:
        tx.execute(f"UPDATE {table} SET title = ?", [title])


async def test_a_kept_answer_is_sent_until_the_views_move_and_a_new_event_shows_at_once(
    city: City,
) -> None:
    requests = city.request_approvals()
    city.catch_up()
    head = city.auth(Role.OPD_HEAD)
    first = await city.client.get(INBOX, headers=head)
    assert first.status_code == 200
    assert len(kept(city)) == 1
    retitle_behind_the_views_back(city, "changed without an event")
    again = await city.client.get(INBOX, headers=head)
    # Nothing moved: the kept bytes are sent, not the table's new rows.
    assert again.content == first.content
    assert again.headers["etag"] == first.headers["etag"]
    city.approvals().escalate(requests[0], 0, 1)
    city.catch_up()
    moved = await city.client.get(INBOX, headers=head)
    items = {i["request_id"]: i for i in moved.json()["items"]}
    assert items[str(requests[0])]["escalation_level"] == 1
    assert {i["title"] for i in items.values()} == {"changed without an event"}
    assert moved.headers["etag"] != first.headers["etag"]


async def test_a_caller_of_another_scope_never_gets_a_kept_answer(city: City) -> None:
    city.catch_up()
    everyone = await city.client.get(BOARD, headers=city.auth(Role.INSPECTORATE))
    own = await city.client.get(BOARD, headers=city.auth(Role.OPD_HEAD))
    assert len({d["owner_opd"] for d in everyone.json()["items"]}) > 1
    assert {d["owner_opd"] for d in own.json()["items"]} <= {personas.OPD_HEAD_OPD}
    assert own.content != everyone.content
    assert len(kept(city)) == 2


async def test_a_refused_caller_is_refused_though_an_answer_is_kept(city: City) -> None:
    city.request_approvals()
    city.catch_up()
    opds = "/api/v1/status/opds"
    assert (await city.client.get(opds, headers=city.auth(Role.INSPECTORATE))).status_code == 200
    assert (await city.client.get(INBOX, headers=city.auth(Role.OPD_HEAD))).status_code == 200
    assert (await city.client.get(opds, headers=city.auth(Role.PUBLIC))).status_code == 403
    assert (await city.client.get(INBOX, headers=city.auth(Role.AUDITOR))).status_code == 403
    forged = {"Authorization": "Bearer not-a-token"}
    assert (await city.client.get(opds, headers=forged)).status_code == 401
    foreign = await city.client.get(f"{BOARD}&opd=DISKOMINFO", headers=city.auth(Role.OPD_HEAD))
    assert foreign.status_code == 403


async def test_a_client_holding_the_answer_is_told_304(city: City) -> None:
    city.catch_up()
    path, auth = "/api/v1/status/aspects", city.auth(Role.PUBLIC)
    first = await city.client.get(path, headers=auth)
    tag = first.headers["etag"]
    same = await city.client.get(path, headers={**auth, "If-None-Match": tag})
    assert same.status_code == 304
    assert same.content == b""
    assert same.headers["etag"] == tag
    other = await city.client.get(path, headers={**auth, "If-None-Match": '"another"'})
    assert other.status_code == 200
    assert other.content == first.content


async def test_a_position_the_views_have_not_reached_goes_to_the_route(city: City) -> None:
    city.catch_up()
    path, auth = "/api/v1/status/aspects", city.auth(Role.PUBLIC)
    assert (await city.client.get(path, headers=auth)).status_code == 200
    head = city.app.state.store.max_position()
    reached = await city.client.get(f"{path}?after_position={head}", headers=auth)
    assert reached.status_code == 200
    beyond = await city.client.get(f"{path}?after_position={head + 5}", headers=auth)
    assert beyond.status_code == 409
    assert beyond.json()["type"].endswith("/position-not-recorded")
