"""A delivery worker in a process of its own, for the test that kills one mid-send.

Usage: ``python -m tests.workflows.notify.worker_process TARGET TASK_QUEUE STORE_URL``.
"""

from __future__ import annotations

import asyncio
import sys
from concurrent.futures import ThreadPoolExecutor

from temporalio.client import Client
from temporalio.worker import Worker

from domain.notifications import PlanOptions
from infra.store import EventStore
from workflows.notify.activities import DeliveryActivities
from workflows.notify.channels import ChannelConfig, Channels
from workflows.notify.wiring import notification_workflows


async def main(target: str, task_queue: str, store_url: str) -> None:
    """Serve the notification workflows and activities until killed."""
    client = await Client.connect(target)
    store = EventStore(store_url)
    activities = DeliveryActivities(store, Channels(ChannelConfig(timeout=60)), PlanOptions())
    with ThreadPoolExecutor(4) as executor:
        async with Worker(client, task_queue=task_queue, workflows=notification_workflows(),
                          activities=activities.all(), activity_executor=executor):  # fmt: skip
            print("ready", flush=True)
            await asyncio.Event().wait()


if __name__ == "__main__":
    asyncio.run(main(*sys.argv[1:4]))
