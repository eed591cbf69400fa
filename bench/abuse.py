"""Abuse under load: many abusive clients against a real `jejak api` while an honest one reads.

The abusers (wrk for the GETs, asyncio sockets for the bodies; a fifth of the connections
each) send 50 MB bodies without signing in, 900 kB bodies under a bad token, positions far
beyond the log, positions the read models have not reached, and forged or malformed tokens.
The honest caller (an admin reading ``/api/v1/opds`` at an official's pace, timed by wrk)
must keep a p99 under 250 ms, and the API's memory must stay under twice its idle size.
Needs ``wrk`` (``apt-get install wrk``).

    python -m bench.abuse [--abusers 200] [--seconds 20]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import psutil

from api.auth import Role, sign_dev_token
from bench.stack import free_port, wait_http
from infra.settings import Settings
from infra.store import EventStore
from jejak.demo import load_demo_if_empty
from jejak.supervisor import child_environment

HUGE = 50 * 2**20
CHUNK = 64 * 2**10
#: The honest caller's pause between two requests (an official, not a crawler).
HONEST_PAUSE = 0.05


@dataclass
class Result:
    """What one run measured."""

    honest_p50_ms: float = 0.0
    honest_p99_ms: float = 0.0
    honest_requests: int = 0
    honest_failures: int = 0
    idle_rss_mb: float = 0.0
    peak_rss_mb: float = 0.0
    api_cpu_percent: float = 0.0
    abuse: Counter[str] = field(default_factory=Counter)
    server_header: str | None = None


class Api:
    """A real `jejak api` process over a SQLite store holding the reference city."""

    def __init__(self, data_dir: Path, city: bool = True) -> None:
        self.port = free_port()
        self.settings = Settings(
            _env_file=None,  # type: ignore[call-arg]
            data_dir=data_dir, api_port=self.port, dev_mode=True,
            temporal_address=f"127.0.0.1:{free_port()}",
        )  # fmt: skip
        if city:
            load_demo_if_empty(self.settings)
        store = EventStore(self.settings.store_url)
        self.head = store.max_position()
        store.close()
        env = {**child_environment(), "JEJAK_DATA_DIR": str(data_dir), "JEJAK_DEV_MODE": "true",
               "JEJAK_API_PORT": str(self.port), "JEJAK_LOG_LEVEL": "WARNING",
               "JEJAK_TEMPORAL_ADDRESS": self.settings.temporal_address}  # fmt: skip
        self.log = (data_dir / "api.log").open("wb")
        command = [sys.executable, "-m", "jejak", "api"]
        self.process = subprocess.Popen(command, env=env, stdout=self.log, stderr=self.log)
        wait_http(self.url("/health"), 60)
        self.admin = sign_dev_token(self.settings, "sekretariat.diskominfo", Role.ADMIN)
        self.public = sign_dev_token(self.settings, "warga", Role.PUBLIC)

    def url(self, path: str) -> str:
        """A URL of this API."""
        return f"http://127.0.0.1:{self.port}{path}"

    def rss_mb(self) -> float:
        """The process's resident memory in MB."""
        return float(psutil.Process(self.process.pid).memory_info().rss) / 2**20

    def stop(self) -> None:
        """SIGTERM, then wait."""
        self.process.terminate()
        self.process.wait(15)
        self.log.close()


async def huge_body(api: Api) -> str:
    """An anonymous 50 MB POST, streamed until the API closes the connection."""
    reader, writer = await asyncio.open_connection("127.0.0.1", api.port)
    head = (f"POST /api/v1/opds HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            f"Content-Length: {HUGE}\r\n\r\n")  # fmt: skip
    answer = asyncio.create_task(reader.readline())
    try:
        writer.write(head.encode())
        sent = 0
        while sent < HUGE and not answer.done():  # stop once answered, as a real client would
            writer.write(b"x" * CHUNK)
            await writer.drain()
            sent += CHUNK
    except ConnectionError:
        pass  # the API closed the connection; its answer may have come first
    try:
        line = await asyncio.wait_for(answer, 10)
    except (ConnectionError, TimeoutError):
        return "closed unanswered"
    finally:
        writer.close()
    return line.split(b" ")[1].decode() if line else "closed unanswered"


def abusive_gets(api: Api) -> dict[str, tuple[str, str]]:
    """Each kind of abusive GET: its path and its bearer token."""
    forged = api.admin[:-8] + "AAAAAAAA"
    return {
        "far position": ("/api/v1/status/aspects?after_position=1000000000000", api.public),
        "unreached position": (f"/api/v1/status/aspects?after_position={api.head}", api.public),
        "forged token": ("/api/v1/opds", forged),
        "malformed token": ("/api/v1/opds", "e30." * 2000),
    }


async def body_abuser(api: Api, index: int, until: float, seen: Counter[str]) -> None:
    """Anonymous writes: 50 MB bodies, or 900 kB bodies under a forged token, in a loop."""
    async with httpx.AsyncClient(base_url=api.url(""), timeout=30) as client:
        while time.monotonic() < until:
            try:
                if index % 2:
                    seen[f"50 MB anonymous body: {await huge_body(api)}"] += 1
                    continue
                headers = {"Authorization": "Bearer nope"}
                answer = await client.post("/api/v1/opds", headers=headers, content=b"x" * 900_000)
                seen[f"900 kB body, bad token: {answer.status_code}"] += 1
            except httpx.HTTPError as exc:
                seen[f"error {type(exc).__name__}"] += 1


def body_abusers(api: Api, count: int, seconds: float) -> Counter[str]:
    """``count`` concurrent body abusers for ``seconds``, in an event loop of their own."""
    seen: Counter[str] = Counter()

    async def all_of_them() -> None:
        until = time.monotonic() + seconds
        await asyncio.gather(*(body_abuser(api, i, until, seen) for i in range(count)))

    asyncio.run(all_of_them())
    return seen


def wrk_abuser(api: Api, kind: str, connections: int, seconds: float) -> Counter[str]:
    """``connections`` abusive GETs of one kind, as fast as wrk sends them."""
    path, token = abusive_gets(api)[kind]
    command = ["wrk", "-t1", f"-c{connections}", f"-d{int(seconds)}s", "--timeout", "10s",
               "-H", f"Authorization: Bearer {token}", api.url(path)]  # fmt: skip
    out = subprocess.run(command, capture_output=True, text=True, check=False).stdout
    seen: Counter[str] = Counter()
    for row in out.splitlines():
        words = row.split()
        if "requests in" in row:
            seen[f"{kind}: requests"] = int(words[0])
        elif row.strip().startswith("Non-2xx"):
            seen[f"{kind}: answered 4xx/5xx"] = int(words[-1])
    return seen


def run_abusers(api: Api, count: int, seconds: float) -> Counter[str]:
    """``count`` concurrent abusive connections: a fifth of them per kind, for ``seconds``."""
    share = count // 5
    seen: Counter[str] = Counter()
    if not share:  # a baseline: the honest caller alone
        time.sleep(seconds)
        return seen
    jobs = [lambda: body_abusers(api, share, seconds)]
    jobs += [lambda kind=kind: wrk_abuser(api, kind, share, seconds) for kind in abusive_gets(api)]
    threads = [threading.Thread(target=lambda job=job: seen.update(job())) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return seen


def honest_with_python(api: Api, seconds: float, result: Result) -> None:
    """The honest caller, timed here (when wrk is not installed)."""
    took: list[float] = []
    headers = {"Authorization": f"Bearer {api.admin}"}
    with httpx.Client(base_url=api.url(""), timeout=10) as client:
        until = time.monotonic() + seconds
        while time.monotonic() < until:
            started = time.perf_counter()
            answer = client.get("/api/v1/opds", headers=headers)
            took.append(time.perf_counter() - started)
            result.honest_failures += answer.status_code != 200
            result.server_header = answer.headers.get("server")
            time.sleep(HONEST_PAUSE)
    took.sort()
    result.honest_requests = len(took)
    result.honest_p50_ms = took[len(took) // 2] * 1000
    result.honest_p99_ms = took[min(len(took) - 1, int(len(took) * 0.99))] * 1000


def honest_with_wrk(api: Api, seconds: float, result: Result, scratch: Path) -> None:
    """The honest caller, one connection paced by a Lua delay, timed by wrk."""
    script = scratch / "honest.lua"
    script.write_text(
        f'wrk.headers["Authorization"] = "Bearer {api.admin}"\n'
        f"function delay() return {int(HONEST_PAUSE * 1000)} end\n"
        "done = function(summary, latency, requests)\n"
        '  io.write(string.format("JSON {\\"p50\\": %d, \\"p99\\": %d, \\"n\\": %d, '
        '\\"bad\\": %d}\\n", latency:percentile(50), latency:percentile(99),'
        " summary.requests, summary.errors.status + summary.errors.connect"
        " + summary.errors.read + summary.errors.timeout))\nend\n"
    )
    # A long timeout: a slow answer must count in the latencies, not vanish as an error.
    command = ["wrk", "-t1", "-c1", f"-d{int(seconds)}s", "--timeout", "30s", "-s", str(script),
               api.url("/api/v1/opds")]  # fmt: skip
    out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    found = json.loads(next(row for row in out.splitlines() if row.startswith("JSON "))[5:])
    result.honest_p50_ms, result.honest_p99_ms = found["p50"] / 1000, found["p99"] / 1000
    result.honest_requests, result.honest_failures = found["n"], found["bad"]
    result.server_header = httpx.get(api.url("/api/v1/opds")).headers.get("server")


def measure(abusers: int, seconds: float, use_wrk: bool = True) -> Result:
    """One run: start the API, measure idle memory, then abuse it while the honest one reads."""
    result = Result()
    with tempfile.TemporaryDirectory() as tmp:
        api = Api(Path(tmp))
        try:
            for _ in range(20):  # warm up the honest path
                httpx.get(api.url("/api/v1/opds"), headers={"Authorization": f"Bearer {api.admin}"})
            result.idle_rss_mb = api.rss_mb()
            process = psutil.Process(api.process.pid)
            process.cpu_percent()  # starts the count
            peak = [result.idle_rss_mb]
            stop = threading.Event()

            def sample() -> None:
                while not stop.wait(0.05):
                    peak.append(api.rss_mb())

            threads = [threading.Thread(target=sample),
                       threading.Thread(target=lambda: result.abuse.update(
                           run_abusers(api, abusers, seconds)))]  # fmt: skip
            for thread in threads:
                thread.start()
            time.sleep(1)  # let the abuse reach full strength
            if use_wrk:
                honest_with_wrk(api, seconds - 2, result, Path(tmp))
            else:
                honest_with_python(api, seconds - 2, result)
            threads[1].join()
            stop.set()
            threads[0].join()
            result.peak_rss_mb = max(peak)
            result.api_cpu_percent = process.cpu_percent()
        finally:
            api.stop()
    return result


def main() -> None:
    """Run once and print the numbers."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--abusers", type=int, default=200)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--no-wrk", action="store_true", help="time the honest caller in Python")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("bench.abuse needs wrk (apt-get install wrk)")
    r = measure(args.abusers, args.seconds, use_wrk=not args.no_wrk)
    print(f"honest caller: {r.honest_requests} requests, {r.honest_failures} failed,"
          f" p50 {r.honest_p50_ms:.1f} ms, p99 {r.honest_p99_ms:.1f} ms")  # fmt: skip
    print(f"API memory: idle {r.idle_rss_mb:.0f} MB, peak {r.peak_rss_mb:.0f} MB"
          f" ({r.peak_rss_mb / r.idle_rss_mb:.2f}x), CPU {r.api_cpu_percent:.0f}%;"
          f" server header: {r.server_header}")  # fmt: skip
    print("machine load average (1, 5, 15 min): " + ", ".join(f"{x:.1f}" for x in os.getloadavg()))
    print(f"abusive answers ({sum(r.abuse.values())}):")
    for kind, count in sorted(r.abuse.items()):
        print(f"  {count:7d}  {kind}")
    ok = r.honest_p99_ms < 250 and r.peak_rss_mb < 2 * r.idle_rss_mb
    print("PASS" if ok else "FAIL")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
