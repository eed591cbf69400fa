"""A real S3-compatible HTTP server for tests: moto's server mode, on a free port."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import boto3
from moto.server import ThreadedMotoServer

from tests.support.serving import free_port

#: Keys the test server accepts (any keys do; these say they are a test's).
KEYS = {"aws_access_key_id": "jejak-test", "aws_secret_access_key": "jejak-test-secret"}


@contextmanager
def s3_server() -> Iterator[str]:
    """An S3 endpoint served over HTTP on this machine while the block runs; its URL."""
    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.stop()


def s3_client(endpoint: str) -> Any:
    """A boto3 client of the test server."""
    return boto3.session.Session().client(
        "s3", endpoint_url=endpoint, region_name="us-east-1", **KEYS
    )
