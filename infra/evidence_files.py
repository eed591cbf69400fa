"""Evidence files, kept by their SHA-256 (content-addressed): under the data directory, or
in an S3-compatible store, chosen by ``JEJAK_EVIDENCE_URL``.

The same bytes are kept once wherever they go; the SHA-256 goes into the event, so the
store only has to give the bytes back (``read``) and the audit can check them.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol
from urllib.parse import urlsplit

from infra.settings import Settings

#: The folder under the data directory that holds evidence files.
FOLDER = "evidence"


@dataclass(frozen=True)
class StoredFile:
    """A kept file: its SHA-256 (hex) and size in bytes."""

    sha256: str
    size: int


class EvidenceStore(Protocol):
    """Where evidence files are kept, by SHA-256."""

    def keep(self, content: bytes) -> StoredFile:
        """Keep ``content`` once under its SHA-256."""
        ...

    def read(self, sha256: str) -> bytes:
        """The bytes kept under ``sha256`` (``FileNotFoundError`` when there are none)."""
        ...


def keep(data_dir: Path, content: bytes) -> StoredFile:
    """Write ``content`` as ``<data_dir>/evidence/<sha256>`` once; the same bytes are kept once."""
    digest = hashlib.sha256(content).hexdigest()
    folder = Path(data_dir) / FOLDER / digest[:2]
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / digest
    if not path.exists():
        # Written aside and renamed, so a crash never leaves a half file under the final name.
        partial = folder / f".{digest}.{os.getpid()}.part"
        partial.write_bytes(content)
        partial.replace(path)
    return StoredFile(digest, len(content))


def path_of(data_dir: Path, sha256: str) -> Path:
    """Where the file with this SHA-256 is kept."""
    return Path(data_dir) / FOLDER / sha256[:2] / sha256


@dataclass(frozen=True)
class FileStore:
    """Evidence files under the data directory."""

    data_dir: Path

    def keep(self, content: bytes) -> StoredFile:
        """Keep ``content`` once under its SHA-256."""
        return keep(self.data_dir, content)

    def read(self, sha256: str) -> bytes:
        """The bytes kept under ``sha256``."""
        return path_of(self.data_dir, sha256).read_bytes()


class EvidenceUrlError(ValueError):
    """``JEJAK_EVIDENCE_URL`` names no store Jejak knows."""


def evidence_store(settings: Settings) -> EvidenceStore:
    """The store ``JEJAK_EVIDENCE_URL`` names: empty (or file://) the data directory, s3://."""
    url = settings.evidence_url.strip()
    parts = urlsplit(url)
    if not url or parts.scheme == "file":
        return FileStore(Path(parts.path) if parts.path else settings.data_dir)
    if parts.scheme == "s3" and parts.netloc:
        from infra.evidence_s3 import S3Store  # boto3 is loaded only when S3 is used

        return S3Store.from_settings(parts.netloc, parts.path.strip("/"), settings)
    raise EvidenceUrlError(
        f"JEJAK_EVIDENCE_URL must be empty, file:///folder or s3://bucket/prefix, not {url!r}"
    )
