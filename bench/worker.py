"""The worker process: the product's worker, with the approval workflow registered.

The product's registry lists what its worker runs; while it lists nothing, this process
registers the approval workflow and its activities over the same store itself.
"""

from __future__ import annotations

import asyncio

from infra.logs import configure_logging
from infra.settings import load_settings
from workflows import registry


def main() -> None:
    """Run until killed."""
    settings = load_settings()
    configure_logging("console", "WARNING", part="worker")
    if not registry.workflows():
        from workflows.approval.activities import ApprovalActivities
        from workflows.approval.workflow import ApprovalWorkflow

        registry.workflows = lambda: [ApprovalWorkflow]  # type: ignore[assignment]
        registry.activities = lambda store: ApprovalActivities.over(store).all()  # type: ignore[assignment]
    from workflows.worker import run_worker

    asyncio.run(run_worker(settings))


if __name__ == "__main__":
    main()
