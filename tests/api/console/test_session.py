"""The console's session, sign-in rules and languages, over the real app (no browser needed)."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import httpx
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from api.app import create_app
from api.console.i18n import LOCALES, Words
from tests.support.app import HEAD_NIP, Api, settings_for

CONSOLE = Path(LOCALES).parent


def csrf_of(page: str) -> str:
    """The CSRF token of the first form of a page."""
    found = re.search(r'name="csrf" value="([^"]+)"', page)
    assert found is not None
    return found.group(1)


async def test_a_page_before_its_overview_is_built_says_so(api: Api) -> None:
    page = await api.client.get("/konsol/publik")
    assert page.status_code == 503
    assert "Ikhtisar masih disusun" in page.text, "the API's words, in the session's language"


async def test_the_session_cookie_is_signed_http_only_and_same_site_lax(api: Api) -> None:
    page = await api.client.get("/konsol/masuk")
    cookie = page.headers["set-cookie"].lower()
    assert "httponly" in cookie
    assert "samesite=lax" in cookie
    answer = await api.client.post(
        "/konsol/masuk", data={"csrf": csrf_of(page.text), "who": f"opd-head|{HEAD_NIP}"}
    )
    assert answer.status_code == 303
    assert "Masuk sebagai" in (await api.client.get("/konsol/masuk")).text, "signed in"
    # The same session, re-signed by someone else: {"user": "x", "role": "admin"}.
    forged = "eyJ1c2VyIjogIngiLCAicm9sZSI6ICJhZG1pbiJ9.forged.signature"
    api.client.cookies.clear()
    api.client.cookies.set("jejak_konsol", forged, domain="jejak.test")
    answer = await api.client.get("/konsol/tenggat")
    assert answer.status_code == 303, "a cookie not signed by the server signs nobody in"
    assert answer.headers["location"] == "/konsol/masuk"


async def test_a_form_posted_without_the_session_token_changes_nothing(api: Api) -> None:
    await api.client.get("/konsol/masuk")
    answer = await api.client.post("/konsol/masuk", data={"who": f"opd-head|{HEAD_NIP}"})
    assert answer.status_code == 403
    assert "Masuk sebagai" not in (await api.client.get("/konsol/masuk")).text


async def test_dev_sign_in_is_refused_outside_dev_mode(tmp_path: Path) -> None:
    app = create_app(settings_for(tmp_path, dev_mode=False))
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://jejak.test") as client:
            page = await client.get("/konsol/masuk")
            assert 'name="who"' not in page.text
            answer = await client.post(
                "/konsol/masuk", data={"csrf": csrf_of(page.text), "who": f"admin|{HEAD_NIP}"}
            )
            assert answer.status_code == 404
            assert (await client.get("/konsol/rencana")).status_code == 303


def test_dates_and_working_days_read_as_people_write_them() -> None:
    indonesian, english = Words("id"), Words("en")
    assert indonesian.day(date(2023, 10, 18)) == "18 Oktober 2023"
    assert indonesian.working_days(3) == "3 hari kerja"
    assert indonesian.percent(42.5) == "42,5%"
    assert english.day(date(2023, 10, 18)) == "October 18, 2023"
    assert (english.working_days(1), english.working_days(3)) == ("1 working day", "3 working days")
    assert Words("fr").language == "id", "an unknown language falls back to Indonesian"


def test_every_message_of_the_console_has_an_indonesian_translation() -> None:
    method_map = [("**.py", "python"), ("templates/**.html", "jinja2")]
    keywords = {"_": None, "gettext": None, "ngettext": (1, 2)}
    found = {
        message if isinstance(message, str) else message[0]
        for _, _, message, _, _ in extract_from_dir(str(CONSOLE), method_map, keywords=keywords)
    }
    with (LOCALES / "id" / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        catalog = read_po(handle)
    missing = sorted(m for m in found if not (catalog.get(m) and catalog.get(m).string))
    assert not missing
