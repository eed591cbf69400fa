"""The Evaluasi page over the real app (no browser): what each role sees, the reports, and the
secretariat's moderation through forms that need the session's token."""

from __future__ import annotations

import asyncio
import re
import uuid

from api.auth import DEV_USERS, Role
from domain.evaluation import EvaluationApplication, EvaluationYear
from domain.shared import Actor
from infra.scenario.data import CITY_CODE
from infra.scenario.evaluation import load_sample_evaluation
from projections.views.evaluation.comments import pending
from tests.api.console.test_session import csrf_of
from tests.support.app import HEAD_NIP, Api
from tests.support.city import catch_up

COMMENT = "Aplikasi pengaduan warga cepat ditanggapi"
YEAR_ID = EvaluationYear.create_id(CITY_CODE, 2024)


async def loaded(api: Api) -> uuid.UUID:
    """The sample 2024 evaluation and one citizen's feedback, in the built read models."""
    evaluations = api.app.state.store.app(EvaluationApplication)
    load_sample_evaluation(evaluations)
    feedback_id, position = evaluations.give_feedback(
        uuid.uuid4(), program_code="QW-1", key="k-1", rating=4, comment=COMMENT,
        kelurahan="Bane", by=Actor("warga"),
    )  # fmt: skip
    assert await asyncio.to_thread(catch_up, api) >= position
    return feedback_id


async def signed_in_as(api: Api, role: str, user: str) -> None:
    """Sign the client in on the dev sign-in page."""
    page = await api.client.get("/konsol/masuk")
    answer = await api.client.post(
        "/konsol/masuk", data={"csrf": csrf_of(page.text), "who": f"{role}|{user}"}
    )
    assert answer.status_code == 303


def waiting(api: Api) -> list[str]:
    """The ids of the comments awaiting moderation."""
    return [c.comment_id for c in pending(api.app.state.views)]


async def test_the_secretariat_sees_the_year_its_reports_and_moderates_feedback(api: Api) -> None:
    feedback_id = await loaded(api)
    await signed_in_as(api, Role.ADMIN, DEV_USERS[Role.ADMIN][0])
    page = await api.client.get("/konsol/evaluasi")
    assert page.status_code == 200
    text = page.text
    assert "Evaluasi SIANTAR, tahun 2024" in text
    year = api.app.state.store.app(EvaluationApplication).get_year(YEAR_ID)
    assert year.published_index is not None
    assert re.search(rf'id="nilai-indeks"><strong>{year.published_index:.2f}<', text)
    assert re.search(r'aria-current="step"><strong>Diterbitkan</strong>', text)
    for dimension, weight in year.weights.items():
        row = re.search(rf'id="dimensi-{dimension}">(.*?)</tr>', text)
        assert row is not None
        assert f"<td>{f'{weight:.1f}'.rstrip('0').rstrip('.')}%</td>" in row.group(1)
    assert 'id="hitung-outcome"' in text
    assert 'id="hitung-impact"' in text
    assert "<svg" in text
    assert "Indeks per dimensi dari tahun ke tahun - SIANTAR" in text
    assert f'id="umpan-balik-{feedback_id}"' in text
    assert COMMENT in text

    workbook = await api.client.get(f"/konsol/evaluasi/{YEAR_ID}/laporan.xlsx")
    assert workbook.status_code == 200
    assert workbook.content[:2] == b"PK"
    for name in ("penilaian-mandiri.pdf", "hasil-evaluasi.pdf"):
        pdf = await api.client.get(f"/konsol/evaluasi/{YEAR_ID}/{name}")
        assert pdf.status_code == 200
        assert pdf.content.startswith(b"%PDF")

    action = f"/konsol/evaluasi/umpan-balik/{feedback_id}"
    forged = await api.client.post(action, data={"decision": "approved"})
    assert forged.status_code == 403
    assert str(feedback_id) in waiting(api), "a forged form changes nothing"
    unclear = await api.client.post(action, data={"csrf": csrf_of(text), "decision": "maybe"})
    assert unclear.status_code == 422
    assert "Setujui atau tolak; alasan paling panjang 500 karakter." in unclear.text
    approved = await api.client.post(action, data={"csrf": csrf_of(text), "decision": "approved"})
    assert approved.status_code == 303
    await asyncio.to_thread(catch_up, api)
    assert str(feedback_id) not in waiting(api)
    assert COMMENT not in (await api.client.get("/konsol/evaluasi")).text


async def test_an_assessor_sees_the_package_only_and_cannot_moderate(api: Api) -> None:
    feedback_id = await loaded(api)
    await signed_in_as(api, Role.ASSESSOR, DEV_USERS[Role.ASSESSOR][0])
    page = await api.client.get("/konsol/evaluasi")
    assert page.status_code == 200
    assert "Evaluasi SIANTAR, tahun 2024" in page.text
    assert COMMENT not in page.text
    assert "menunggu moderasi" not in page.text
    nav = re.search(r'<nav aria-label="[^"]*">(.*?)</nav>', page.text, re.S)
    assert nav is not None
    links = re.findall(r'href="/konsol(/[^"]*)"', nav.group(1))
    assert links == ["/evaluasi", "/pemberitahuan", "/publik"], "the package, one's own notices"
    assert (await api.client.get("/konsol/tenggat")).status_code == 403
    refused = await api.client.post(
        f"/konsol/evaluasi/umpan-balik/{feedback_id}",
        data={"csrf": csrf_of(page.text), "decision": "approved"},
    )
    assert refused.status_code == 403
    assert str(feedback_id) in waiting(api)


async def test_an_opd_head_has_no_evaluation_page_nor_link(api: Api) -> None:
    await loaded(api)
    await signed_in_as(api, Role.OPD_HEAD, HEAD_NIP)
    page = await api.client.get("/konsol/evaluasi")
    assert page.status_code == 403
    assert "Tahap proses" not in page.text
    assert 'href="/konsol/evaluasi"' not in page.text
    download = await api.client.get(f"/konsol/evaluasi/{YEAR_ID}/laporan.xlsx")
    assert download.status_code == 403


async def test_the_page_reads_in_english_by_choice_and_says_when_no_year_was_opened(
    api: Api,
) -> None:
    await signed_in_as(api, Role.ADMIN, DEV_USERS[Role.ADMIN][0])
    await asyncio.to_thread(catch_up, api)
    page = await api.client.get("/konsol/evaluasi")
    assert page.status_code == 200
    assert "Belum ada evaluasi yang dibuka." in page.text
    await loaded(api)
    chosen = await api.client.post(
        "/konsol/bahasa",
        data={"csrf": csrf_of(page.text), "lang": "en", "next": "/konsol/evaluasi"},
    )
    assert chosen.status_code == 303
    page = await api.client.get("/konsol/evaluasi")
    assert "Evaluation of SIANTAR, 2024" in page.text
    assert "Feedback awaiting moderation" in page.text
    missing = await api.client.get("/konsol/evaluasi?tahun=2019")
    assert "No evaluation of 2019 was opened." in missing.text
