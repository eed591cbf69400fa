"""Evidence files in an S3-compatible store, against a real S3 HTTP server started here."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path

import pytest

from infra.evidence_files import EvidenceUrlError, FileStore, evidence_store
from infra.evidence_s3 import S3Store
from tests.support.app import settings_for
from tests.support.s3 import KEYS, s3_client, s3_server

BUCKET = "jejak-bukti"


@pytest.fixture(scope="module")
def endpoint() -> Iterator[str]:
    """The test S3 server's URL, with the evidence bucket made."""
    with s3_server() as url:
        s3_client(url).create_bucket(Bucket=BUCKET)
        yield url


def store_at(endpoint: str, tmp_path: Path, url: str) -> S3Store:
    settings = settings_for(
        tmp_path, evidence_url=url, s3_endpoint_url=endpoint,
        s3_access_key_id=KEYS["aws_access_key_id"],
        s3_secret_access_key=KEYS["aws_secret_access_key"],
    )  # fmt: skip
    store = evidence_store(settings)
    assert isinstance(store, S3Store)
    return store


def test_a_file_is_kept_by_its_sha256_under_the_prefix_and_read_back(
    endpoint: str, tmp_path: Path
) -> None:
    store = store_at(endpoint, tmp_path, f"s3://{BUCKET}/siantar/2024")
    content = b"%PDF-1.4 Peraturan Wali Kota Pematang Siantar 12/2023"
    kept = store.keep(content)
    assert kept.sha256 == hashlib.sha256(content).hexdigest()
    assert kept.size == len(content)
    assert store.read(kept.sha256) == content
    client = s3_client(endpoint)
    listed = client.list_objects_v2(Bucket=BUCKET, Prefix="siantar/2024/")
    key = f"siantar/2024/{kept.sha256[:2]}/{kept.sha256}"
    assert [o["Key"] for o in listed["Contents"]] == [key]
    assert client.get_object(Bucket=BUCKET, Key=key)["Body"].read() == content


def test_the_same_bytes_are_kept_once(endpoint: str, tmp_path: Path) -> None:
    store = store_at(endpoint, tmp_path, f"s3://{BUCKET}/sekali")
    first, again = store.keep(b"sama"), store.keep(b"sama")
    assert first == again
    listed = s3_client(endpoint).list_objects_v2(Bucket=BUCKET, Prefix="sekali/")
    assert listed["KeyCount"] == 1


def test_a_missing_file_is_file_not_found(endpoint: str, tmp_path: Path) -> None:
    store = store_at(endpoint, tmp_path, f"s3://{BUCKET}")
    with pytest.raises(FileNotFoundError):
        store.read("0" * 64)


def test_the_url_chooses_the_store(tmp_path: Path) -> None:
    assert evidence_store(settings_for(tmp_path)) == FileStore(tmp_path)
    folder = tmp_path / "bukti"
    assert evidence_store(settings_for(tmp_path, evidence_url=f"file://{folder}")) == FileStore(
        folder
    )
    with pytest.raises(EvidenceUrlError, match="s3://bucket/prefix"):
        evidence_store(settings_for(tmp_path, evidence_url="ftp://server/bukti"))
