"""Uploaded evidence goes to the S3-compatible store JEJAK_EVIDENCE_URL names (a real S3
HTTP server started here), and the event keeps its SHA-256."""

from __future__ import annotations

import base64
import hashlib
from pathlib import Path

import httpx

from api.app import create_app
from api.auth import Role, dev_tokens
from domain.evaluation import EvaluationApplication
from tests.support.app import CITY, SECRETARIAT, settings_for
from tests.support.s3 import KEYS, s3_client, s3_server

WEIGHTS = {"baseline": 10, "output": 20, "outcome": 30, "impact": 30, "quick-win": 10}


async def test_an_uploaded_file_is_kept_in_the_s3_store_by_its_sha256(tmp_path: Path) -> None:
    with s3_server() as endpoint:
        s3_client(endpoint).create_bucket(Bucket="bukti-siantar")
        settings = settings_for(
            tmp_path, city=CITY, evidence_url="s3://bukti-siantar/evaluasi",
            s3_endpoint_url=endpoint, s3_access_key_id=KEYS["aws_access_key_id"],
            s3_secret_access_key=KEYS["aws_secret_access_key"],
        )  # fmt: skip
        app = create_app(settings)
        async with app.router.lifespan_context(app):
            evaluations = app.state.store.app(EvaluationApplication)
            year_id, _ = evaluations.open_year(city_code=CITY, year=2024, weights=WEIGHTS,
                                               by=SECRETARIAT)  # fmt: skip
            evaluations.add_item(year_id, code="O1", dimension="output", title="SK Dewan",
                                 by=SECRETARIAT)  # fmt: skip
            content = b"%PDF-1.4 SK Dewan Smart City Pematang Siantar"
            upload = {"kind": "file", "title": "SK Dewan", "filename": "sk-dewan.pdf",
                      "content_base64": base64.b64encode(content).decode()}  # fmt: skip
            token = dev_tokens(settings)[Role.ADMIN]
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(transport=transport, base_url="http://jejak.test") as c:
                answer = await c.post(
                    f"/api/v1/evaluations/{year_id}/items/O1/evidence", json=upload,
                    headers={"Authorization": f"Bearer {token}"},
                )  # fmt: skip
            digest = hashlib.sha256(content).hexdigest()
            assert (answer.status_code, answer.json()["id"]) == (200, digest)
            key = f"evaluasi/{digest[:2]}/{digest}"
            kept = s3_client(endpoint).get_object(Bucket="bukti-siantar", Key=key)
            assert kept["Body"].read() == content
            (evidence,) = evaluations.get_year(year_id).item("O1").evidence
            assert (evidence.sha256, evidence.size) == (digest, len(content))
        assert not (tmp_path / "evidence").exists()
