"""Serve an app factory with uvicorn: ``python -m bench.serve module:factory port``."""

from __future__ import annotations

import os
import sys

import uvicorn

from bench.stack import UVICORN
from infra.logs import configure_logging


def main() -> None:
    """Run until killed."""
    factory, port = sys.argv[1], int(sys.argv[2])
    configure_logging("console", "WARNING", part="api")
    # The same number of worker processes for Jejak and the trivial app (JEJAK_API_WORKERS).
    workers = int(os.environ.get("JEJAK_API_WORKERS", "1"))
    uvicorn.run(
        factory,
        factory=True,
        port=port,
        workers=workers,
        log_config=None,
        **UVICORN,  # type: ignore[arg-type]
    )


if __name__ == "__main__":
    main()
