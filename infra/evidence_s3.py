"""Evidence files in an S3-compatible store (AWS S3, MinIO, Ceph, ...), by their SHA-256.

The key is ``<prefix>/<sha256[:2]>/<sha256>``. An object is written whole by one PUT (S3
never shows half an object) with its SHA-256 checksum, which AWS S3 verifies on arrival, so
bytes damaged on the way are refused rather than kept; the same bytes again find the
object there and are not sent twice.
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass
from typing import Any

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

from infra.evidence_files import StoredFile
from infra.settings import Settings

#: Fail fast on an unreachable store, and retry the transient errors a few times.
CLIENT_CONFIG = Config(
    connect_timeout=5, read_timeout=30, retries={"max_attempts": 3, "mode": "standard"}
)


@dataclass(frozen=True)
class S3Store:
    """Evidence files in one bucket, under one prefix."""

    client: Any
    bucket: str
    prefix: str = ""

    @classmethod
    def from_settings(cls, bucket: str, prefix: str, settings: Settings) -> S3Store:
        """A store of ``bucket``/``prefix`` at the endpoint and with the keys of ``settings``."""
        keys = {}
        if settings.s3_access_key_id:
            keys = {
                "aws_access_key_id": settings.s3_access_key_id,
                "aws_secret_access_key": settings.s3_secret_access_key,
            }
        client = boto3.session.Session().client(
            "s3",
            endpoint_url=settings.s3_endpoint_url or None,
            region_name=settings.s3_region,
            config=CLIENT_CONFIG,
            **keys,
        )
        return cls(client, bucket, prefix)

    def key_of(self, sha256: str) -> str:
        """The object key of the file with this SHA-256."""
        name = f"{sha256[:2]}/{sha256}"
        return f"{self.prefix}/{name}" if self.prefix else name

    def keep(self, content: bytes) -> StoredFile:
        """Keep ``content`` once under its SHA-256."""
        digest = hashlib.sha256(content).hexdigest()
        key = self.key_of(digest)
        if not self._exists(key):
            checksum = base64.b64encode(bytes.fromhex(digest)).decode()
            self.client.put_object(
                Bucket=self.bucket, Key=key, Body=content, ChecksumSHA256=checksum,
                ContentType="application/octet-stream",
            )  # fmt: skip
        return StoredFile(digest, len(content))

    def read(self, sha256: str) -> bytes:
        """The bytes kept under ``sha256`` (``FileNotFoundError`` when there are none)."""
        try:
            answer = self.client.get_object(Bucket=self.bucket, Key=self.key_of(sha256))
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") in {"NoSuchKey", "404"}:
                raise FileNotFoundError(self.key_of(sha256)) from None
            raise
        return bytes(answer["Body"].read())

    def _exists(self, key: str) -> bool:
        try:
            self.client.head_object(Bucket=self.bucket, Key=key)
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") in {"404", "NoSuchKey", "NotFound"}:
                return False
            raise
        return True
