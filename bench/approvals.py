"""Row 2: decisions over HTTP through the Temporal Update, against a minimal workflow."""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import Awaitable, Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import httpx
from temporalio.client import Client
from temporalio.worker import Worker

from api.auth import Role, sign_dev_token
from bench.lag import percentile
from bench.minimal import MinimalWorkflow
from bench.report import Row, Stat
from bench.stack import Stack
from domain.approvals.request import ApprovalRequest
from domain.approvals.values import StepSpec
from infra.scenario import personas
from workflows.approval.inputs import ApprovalInput, approval_workflow_id
from workflows.approval.workflow import ApprovalWorkflow

CLIENTS = 16
DECIDER_OPD = personas.OPD_HEAD_OPD


@dataclass
class Run:
    """Latencies (ms) and wall time of one timed run."""

    latencies: list[float] = field(default_factory=list)
    failures: int = 0
    seconds: float = 0.0

    @property
    def rate(self) -> float:
        """Completed per second."""
        return len(self.latencies) / self.seconds if self.seconds else 0.0


def approval_input(city: str = "SIANTAR") -> ApprovalInput:
    """A deliverable of its own, one step decided by the dev OPD head's OPD."""
    subject = f"B-{uuid.uuid4().hex[:12]}"
    return ApprovalInput(
        request_id=str(ApprovalRequest.create_id("deliverable", subject)),
        subject_kind="deliverable",
        subject_id=subject,
        title="Benchmark deliverable",
        owner_opd=personas.ADMIN_OPD,
        submitted_by=personas.ADMIN,
        route=[StepSpec(0, (DECIDER_OPD,)).as_dict()],
        city_code=city,
    )


async def start_approvals(client: Client, task_queue: str, count: int) -> list[str]:
    """Start ``count`` approval workflows; their request ids."""
    ids = []
    for _ in range(count):
        given = approval_input()
        await client.start_workflow(
            ApprovalWorkflow.run,
            given,
            id=approval_workflow_id(given.request_id),
            task_queue=task_queue,
        )
        ids.append(given.request_id)
    return ids


async def wait_open(http: httpx.AsyncClient, ids: Sequence[str], within: float = 600) -> None:
    """Wait until every approval's first step is open for decisions."""
    deadline = time.monotonic() + within
    for request_id in ids:
        while True:
            answer = await http.get(f"/api/v1/approvals/{request_id}")
            if answer.status_code == 200 and answer.json()["steps"][0]["is_open"]:
                break
            if time.monotonic() > deadline:
                raise TimeoutError(f"approval {request_id} never opened its step")
            await asyncio.sleep(0.05)


async def concurrently(items: Sequence[str], call: Callable[[str], Awaitable[bool]]) -> Run:
    """Run ``call`` over ``items`` with CLIENTS workers; latencies of the successes."""
    run, queue = Run(), list(items)

    async def client() -> None:
        while queue:
            item = queue.pop()
            started = time.perf_counter()
            if await call(item):
                run.latencies.append((time.perf_counter() - started) * 1000)
            else:
                run.failures += 1

    started = time.perf_counter()
    await asyncio.gather(*(client() for _ in range(CLIENTS)))
    run.seconds = time.perf_counter() - started
    return run


def head_client(stack: Stack) -> httpx.AsyncClient:
    """An HTTP client signed in as the dev OPD head (the one who decides)."""
    token = sign_dev_token(stack.settings, personas.OPD_HEAD, Role.OPD_HEAD, DECIDER_OPD)
    limits = httpx.Limits(max_connections=CLIENTS * 2)
    return httpx.AsyncClient(
        base_url=stack.url(),
        headers={"Authorization": f"Bearer {token}"},
        timeout=60,
        limits=limits,
    )


async def decide_all(http: httpx.AsyncClient, ids: Sequence[str]) -> Run:
    """POST one approving decision per approval, 16 at a time."""

    async def decide(request_id: str) -> bool:
        answer = await http.post(
            f"/api/v1/approvals/{request_id}/decisions",
            json={"outcome": "approve", "comment": "Sesuai."},
            headers={"Idempotency-Key": f"bench-{request_id}"},
        )
        return answer.status_code == 200

    return await concurrently(ids, decide)


async def minimal_all(client: Client, task_queue: str, count: int) -> Run:
    """Start a minimal workflow, send its one update, wait for it to complete; 16 at a time."""

    async def one(_: str) -> bool:
        handle = await client.start_workflow(
            MinimalWorkflow.run, id=f"minimal/{uuid.uuid4()}", task_queue=task_queue
        )
        await handle.execute_update(MinimalWorkflow.decide, "approve")
        return await handle.result() == "done"

    return await concurrently([str(i) for i in range(count)], one)


async def measure(stack: Stack, runs: int, count: int) -> list[Row]:
    """The approvals row: Jejak's decisions against the minimal workflow, ``runs`` times."""
    client = await Client.connect(stack.settings.temporal_target)
    queue = stack.settings.temporal_task_queue
    ours, minimal = [], []
    with ThreadPoolExecutor(4) as executor:
        worker = Worker(
            client,
            task_queue="bench-minimal",
            workflows=[MinimalWorkflow],
            activity_executor=executor,
        )
        async with worker, head_client(stack) as http:
            for _ in range(runs):
                ids = await start_approvals(client, queue, count)
                await wait_open(http, ids)
                ours.append(await decide_all(http, ids))
                minimal.append(await minimal_all(client, "bench-minimal", count))
    return [approvals_row(ours, minimal, count)]


def approvals_row(ours: list[Run], minimal: list[Run], count: int) -> Row:
    """The row from the runs."""
    lat = [x for r in ours for x in r.latencies] or [0.0]
    base = [x for r in minimal for x in r.latencies] or [0.0]
    failures = sum(r.failures for r in ours)
    row = Row(
        "2. Approvals end to end",
        Stat.of([r.rate for r in ours]),
        "/s",
        Stat.of([r.rate for r in minimal]),
        "minimal Temporal workflow",
        ">= 0.8x minimal",
        notes=(
            f"{count} decisions per run, {CLIENTS} concurrent HTTP clients against a uvicorn "
            "API process, a worker process and the Temporal dev server: POST "
            "/api/v1/approvals/{id}/decisions (no read of the store) -> Update -> validator "
            "(the caller's mandate on the workflow's state) -> record_decision and "
            "apply_outcome as local activities, in one workflow task -> answer. Latency "
            f"p50/p95/p99 {percentile(lat, 0.5):.0f}/"
            f"{percentile(lat, 0.95):.0f}/{percentile(lat, 0.99):.0f} ms; non-200 answers: "
            f"{failures}. Minimal workflow (start, one update, complete, in-process worker) "
            f"p50/p95/p99 {percentile(base, 0.5):.0f}/{percentile(base, 0.95):.0f}/"
            f"{percentile(base, 0.99):.0f} ms."
        ),
        extra={
            "p50_ms": percentile(lat, 0.5),
            "p95_ms": percentile(lat, 0.95),
            "p99_ms": percentile(lat, 0.99),
            "minimal_p50_ms": percentile(base, 0.5),
            "minimal_p95_ms": percentile(base, 0.95),
            "minimal_p99_ms": percentile(base, 0.99),
            "failures": failures,
        },
    )
    row.passed = (row.ratio or 0) >= 0.8 and failures == 0
    return row
