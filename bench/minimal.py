"""The baseline workflow: start, one update, complete (nothing else)."""

from __future__ import annotations

from datetime import timedelta

from temporalio import workflow


@workflow.defn(name="BenchMinimal")
class MinimalWorkflow:
    """Start, take one update, complete."""

    def __init__(self) -> None:
        self._decided = False

    @workflow.run
    async def run(self) -> str:
        """Wait for the one update, then finish."""
        await workflow.wait_condition(lambda: self._decided, timeout=timedelta(minutes=5))
        return "done"

    @workflow.update
    async def decide(self, outcome: str) -> str:
        """Take the decision."""
        self._decided = True
        return outcome
