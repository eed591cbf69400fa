"""A process that asks for a lease every 0.2 s and prints ``leading`` when it gets it."""

from __future__ import annotations

import json
import sys
import time

from infra.leader import Lease
from infra.store import EventStore


def main() -> None:
    """Arguments: store URL, extra environment as JSON, lease name."""
    url, extra, name = sys.argv[1], json.loads(sys.argv[2]), sys.argv[3]
    lease = Lease(EventStore(url, extra), name)
    was = False
    while True:
        held = lease.hold()
        if held != was:
            print("leading" if held else "following", flush=True)
            was = held
        time.sleep(0.2)


if __name__ == "__main__":
    main()
