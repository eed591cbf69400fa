"""1,000 survey answers from 16 concurrent clients over HTTP, against a real uvicorn server:
each counted exactly once, a second answer with the same code refused, and no comment
shown until the secretariat approves it."""

from __future__ import annotations

import asyncio
from collections import Counter
from pathlib import Path

import httpx
import pytest

from api.app import create_app
from api.auth import Role, dev_tokens
from tests.support.app import CITY, Api, seed, settings_for
from tests.support.city import catch_up
from tests.support.serving import free_port, served

pytestmark = pytest.mark.slow

RESPONSES, CLIENTS = 1000, 16
#: Every tenth answer carries a comment.
COMMENT_EVERY = 10


async def answer_all(
    base: str, token: str, survey: str, codes: list[str], client_no: int
) -> Counter[int]:
    """One client's answers (every ``CLIENTS``-th code), each sent twice; the statuses."""
    statuses = Counter[int]()
    headers = {"Authorization": f"Bearer {token}"}
    async with httpx.AsyncClient(base_url=base, headers=headers, timeout=60) as client:
        for n in range(client_no, len(codes), CLIENTS):
            body = {"code": codes[n], "rating": n % 5 + 1, "kelurahan": "Bantan",
                    "comment": f"Komentar {n}" if n % COMMENT_EVERY == 0 else ""}  # fmt: skip
            for _ in range(2):  # the second is a citizen pressing "send" again
                answer = await client.post(f"/api/v1/surveys/{survey}/responses", json=body)
                statuses[answer.status_code] += 1
    return statuses


async def test_a_thousand_answers_from_sixteen_clients_are_each_counted_once(
    tmp_path: Path,
) -> None:
    settings = settings_for(tmp_path, city=CITY)
    app, port = create_app(settings), free_port()
    tokens = dev_tokens(settings)
    base = f"http://127.0.0.1:{port}"
    admin = {"Authorization": f"Bearer {tokens[Role.ADMIN]}"}
    async with app.router.lifespan_context(app), served(app, port):
        api = Api(app, httpx.AsyncClient(base_url=base), settings, tokens)
        seed(api.organisation())
        async with httpx.AsyncClient(base_url=base, headers=admin, timeout=60) as secretariat:
            body = {"city_code": CITY, "campaign_code": "SURVEI-2024-BEBAN", "year": 2024,
                    "program": "Siantar Smart Service", "question": "Seberapa puas Anda?",
                    "respondents": RESPONSES}  # fmt: skip
            opened = (await secretariat.post("/api/v1/surveys", json=body)).json()
            survey, codes = opened["id"], opened["codes"]
            results = await asyncio.gather(
                *(answer_all(base, tokens[Role.PUBLIC], survey, codes, n) for n in range(CLIENTS))
            )
            statuses = sum(results, Counter[int]())
            catch_up(api)
            counts = (await secretariat.get(f"/api/v1/surveys/{survey}/counts")).json()
            shown = (await secretariat.get(f"/api/v1/surveys/{survey}/comments")).json()
            queue = (await secretariat.get("/api/v1/feedback/pending")).json()
            first = queue[0]["comment_id"]
            approved = await secretariat.post(
                f"/api/v1/feedback/{first}/moderation", json={"decision": "approved"}
            )
            catch_up(api)
            after = (await secretariat.get(f"/api/v1/surveys/{survey}/comments")).json()
        await api.client.aclose()
    assert statuses == {200: RESPONSES, 409: RESPONSES}
    assert counts["responses"] == RESPONSES
    assert counts["distribution"] == {str(r): RESPONSES // 5 for r in range(1, 6)}
    assert counts["mean"] == pytest.approx(3.0)
    assert shown == []
    assert len(queue) == RESPONSES // COMMENT_EVERY
    assert approved.status_code == 200
    assert [c["comment_id"] for c in after] == [first]
