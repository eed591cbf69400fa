"""Evidence files kept under the data directory, by their SHA-256 (content-addressed)."""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

#: The folder under the data directory that holds evidence files.
FOLDER = "evidence"


@dataclass(frozen=True)
class StoredFile:
    """A kept file: its SHA-256 (hex) and size in bytes."""

    sha256: str
    size: int


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
