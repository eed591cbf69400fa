"""Check a Jejak audit export on your own machine: needs only Python 3.11+ and `cryptography`.

    python jejak_verify.py export.jsonl [--public-key BASE64 ...]

Recomputes the hash chain from every event line, checks that the readable columns (who,
when, payload) say what the chained record says, and checks the signatures of the
checkpoints in the header line. Prints OK, or the first bad position and what is wrong
there; exits 0 when the export is intact, 1 when it was altered, 2 when it cannot be read.
The encoding is described in Jejak's docs/auditors.md; this file depends on nothing else.
"""

from __future__ import annotations

import argparse
import base64
import binascii
import hashlib
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from uuid import UUID

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

ENCODING = "jejak-chain-v1"
GENESIS = "0" * 64


class AlteredError(Exception):
    """The export is not what was recorded: where, and what kind of change."""

    def __init__(self, position: int, kind: str, detail: str) -> None:
        super().__init__(f"ALTERED at position {position}: {kind} ({detail})")
        self.position, self.kind = position, kind


def canonical_record(event: dict[str, Any]) -> bytes:
    """Length-prefixed fields: encoding, position, aggregate id, version, topic, state."""
    fields = (
        ENCODING.encode(),
        str(int(event["position"])).encode(),
        str(event["aggregate_id"]).encode(),
        str(int(event["version"])).encode(),
        str(event["topic"]).encode(),
        base64.b64decode(event["state_b64"], validate=True),
    )
    return b"".join(len(field).to_bytes(8, "big") + field for field in fields)


def chain_hash(prev_hash: str, event: dict[str, Any]) -> str:
    """SHA-256 of the previous hash's raw bytes followed by the canonical record."""
    return hashlib.sha256(bytes.fromhex(prev_hash) + canonical_record(event)).hexdigest()


#: Fields of a stored event that the export shows in its own columns, not in the payload.
ENVELOPE = ("timestamp", "actor", "capacity", "effective_at", "originator_topic")


def plain(value: Any) -> Any:
    """A stored value with its type tags removed (ids with dashes, times and days as text)."""
    if isinstance(value, list):
        return [plain(v) for v in value]
    if not isinstance(value, dict):
        return value
    if set(value) == {"_type_", "_data_"}:
        data = plain(value["_data_"])
        return str(UUID(data)) if value["_type_"] == "uuid_hex" else data
    return {k: plain(v) for k, v in value.items()}


def check_readable(event: dict[str, Any]) -> None:
    """The columns people read (who, when, payload) must say what the chained state says."""
    state = plain(json.loads(base64.b64decode(event["state_b64"], validate=True)))
    shown = {
        "actor": event.get("actor"),
        "capacity": event.get("capacity"),
        "effective_at": event.get("effective_at"),
        "recorded_at": event.get("recorded_at"),
        "payload": event.get("payload"),
    }
    recorded = {
        "actor": state.get("actor"),
        "capacity": state.get("capacity"),
        "effective_at": state.get("effective_at"),
        "recorded_at": state.get("timestamp"),
        "payload": {k: v for k, v in state.items() if k not in ENVELOPE},
    }
    for column, value in shown.items():
        if value != recorded[column]:
            raise AlteredError(
                int(event["position"]),
                "changed",
                f"the {column} shown differs from the recorded event",
            )


def read(path: Path) -> tuple[dict[str, Any], Iterator[dict[str, Any]]]:
    """The header and the event lines of an export."""
    lines = (json.loads(line) for line in path.open(encoding="utf-8") if line.strip())
    header = next(lines, None)
    if not header or header.get("record") != "header" or header.get("encoding") != ENCODING:
        raise ValueError(f"not a Jejak export with encoding {ENCODING}")
    return header, lines


def check_chain(events: Iterator[dict[str, Any]]) -> tuple[int, dict[int, str]]:
    """Walk the event lines; returns how many and the recomputed hash at each position."""
    running: str | None = None
    last_position = 0
    hashes: dict[int, str] = {}
    for event in events:
        position = int(event["position"])
        if position <= last_position:
            raise AlteredError(position, "reordered", f"comes after position {last_position}")
        prev = event["prev_hash"] if running is None else running
        recomputed = chain_hash(prev, event)
        if recomputed != event["hash"]:
            link_ok = chain_hash(event["prev_hash"], event) == event["hash"]
            kind = "missing" if link_ok else "changed"
            raise AlteredError(
                position,
                kind,
                "the chain before this event was cut"
                if link_ok
                else "this event differs from what was chained",
            )
        check_readable(event)
        running, last_position, hashes[position] = recomputed, position, recomputed
    return len(hashes), hashes


def check_checkpoint(cp: dict[str, Any], hashes: dict[int, str], pinned: set[str]) -> None:
    """One checkpoint: a trusted key, a valid signature, and the hash the chain has there."""
    position = int(cp["position"])
    if pinned and cp["public_key"] not in pinned:
        raise AlteredError(position, "unknown-key", "signed by a key that is not trusted")
    message = f"jejak-checkpoint|{position}|{cp['hash']}|{cp['signed_at']}".encode()
    try:
        key = Ed25519PublicKey.from_public_bytes(base64.b64decode(cp["public_key"]))
        key.verify(base64.b64decode(cp["signature"]), message)
    except (InvalidSignature, ValueError, binascii.Error):
        raise AlteredError(
            position, "bad-signature", "the checkpoint signature does not match"
        ) from None
    if position in hashes and hashes[position] != cp["hash"]:
        raise AlteredError(
            position, "checkpoint-mismatch", "the chain differs from the signed hash"
        )


def verify(path: Path, pinned: set[str]) -> str:
    """Check the export at ``path``; returns the OK line or raises ``AlteredError``."""
    header, events = read(path)
    count, hashes = check_chain(events)
    checkpoints = sorted(header.get("checkpoints", []), key=lambda cp: int(cp["position"]))
    for checkpoint in checkpoints:
        check_checkpoint(checkpoint, hashes, pinned)
    covered = sum(1 for cp in checkpoints if int(cp["position"]) in hashes)
    note = "" if pinned else " (keys not pinned: pass --public-key)"
    return f"OK: {count} events, {len(checkpoints)} checkpoints ({covered} in range){note}"


def main(argv: list[str] | None = None) -> int:
    """Command line entry point."""
    parser = argparse.ArgumentParser(description="Verify a Jejak audit export (JSON lines).")
    parser.add_argument("export", type=Path)
    parser.add_argument("--public-key", action="append", default=[], help="trusted key, base64")
    args = parser.parse_args(argv)
    try:
        print(verify(args.export, set(args.public_key)))
    except AlteredError as altered:
        print(altered)
        return 1
    except (OSError, ValueError, KeyError, TypeError) as exc:
        print(f"Cannot read {args.export}: {exc}")
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
