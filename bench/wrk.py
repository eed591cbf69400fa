"""HTTP load from ``wrk`` (a compiled load generator), its own CPU share, and processes' RSS."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

CONNECTIONS = 16
THREADS = 2
#: Prints the figures wrk gathered as one JSON line after its own report.
DONE_SCRIPT = """
done = function(summary, latency, requests)
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write
    + summary.errors.timeout
  io.write(string.format(
    'JEJAK {"requests": %d, "duration_us": %d, "non2xx": %d, "errors": %d, '
    .. '"p50_us": %d, "p99_us": %d, "max_us": %d}\\n',
    summary.requests, summary.duration, summary.errors.status, errors,
    latency:percentile(50), latency:percentile(99), latency.max))
end
"""
TICKS = os.sysconf("SC_CLK_TCK")
PAGE = os.sysconf("SC_PAGE_SIZE")


@dataclass
class Load:
    """What one wrk run measured."""

    rate: float
    p50_ms: float
    p99_ms: float
    failures: int
    #: wrk's CPU time over (wall time x cores): its share of the whole machine.
    cpu_share: float
    #: Highest RSS (MiB) of each watched process while wrk ran.
    rss_mib: dict[str, float] = field(default_factory=dict)


def ensure_wrk() -> str:
    """The wrk binary; installed from Debian when missing."""
    found = shutil.which("wrk")
    if found is None:
        sudo = [] if os.geteuid() == 0 else ["sudo"]
        subprocess.run([*sudo, "apt-get", "install", "-y", "wrk"], check=True)
        found = shutil.which("wrk")
    if found is None:
        raise RuntimeError("wrk is not installed and could not be installed (apt-get install wrk)")
    return found


def run(
    url: str, token: str, seconds: float, script: Path, watch: dict[str, int] | None = None
) -> Load:
    """``seconds`` of GETs of ``url`` over CONNECTIONS connections; RSS of ``watch`` sampled."""
    command = [
        ensure_wrk(),
        f"-t{THREADS}",
        f"-c{CONNECTIONS}",
        f"-d{seconds:g}s",
        "--timeout",
        "10s",
        "-s",
        str(script),
        "-H",
        f"Authorization: Bearer {token}",
        url,
    ]
    peaks: dict[str, float] = {}
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    sampler = threading.Thread(target=_sample, args=(process, watch or {}, peaks), daemon=True)
    sampler.start()
    # Wait for the exit without reaping, so /proc still holds wrk's total CPU time.
    os.waitid(os.P_PID, process.pid, os.WEXITED | os.WNOWAIT)
    wall = time.perf_counter() - started
    cpu = cpu_seconds(process.pid)
    out, err = process.communicate()
    sampler.join()
    return _parsed(out, err, cpu / (wall * (os.cpu_count() or 1)), peaks)


def _parsed(out: str, err: str, share: float, peaks: dict[str, float]) -> Load:
    line = next((x for x in out.splitlines() if x.startswith("JEJAK ")), None)
    if line is None:
        raise RuntimeError(f"wrk gave no figures: {out[-400:]} {err[-400:]}")
    found = json.loads(line.removeprefix("JEJAK "))
    return Load(
        rate=found["requests"] / (found["duration_us"] / 1e6),
        p50_ms=found["p50_us"] / 1000,
        p99_ms=found["p99_us"] / 1000,
        failures=found["non2xx"] + found["errors"],
        cpu_share=share,
        rss_mib=peaks,
    )


def _sample(process: subprocess.Popen[str], watch: dict[str, int], peaks: dict[str, float]) -> None:
    while process.returncode is None and _alive(process.pid):
        for name, value in rss_mib(watch).items():
            peaks[name] = max(peaks.get(name, 0.0), value)
        time.sleep(0.25)


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def write_script(directory: Path) -> Path:
    """The Lua script that makes wrk print its figures as JSON."""
    path = directory / "wrk-done.lua"
    path.write_text(DONE_SCRIPT)
    return path


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process (all its threads), from /proc/PID/stat."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    # After the command: state is fields[0]; utime and stime are the 14th and 15th fields.
    return (int(fields[11]) + int(fields[12])) / TICKS


def descendants(pid: int) -> list[int]:
    """``pid`` and every process below it (uvicorn's worker processes)."""
    found, queue = [], [pid]
    while queue:
        current = queue.pop()
        found.append(current)
        try:
            children = Path(f"/proc/{current}/task/{current}/children").read_text().split()
        except OSError:
            continue
        queue += [int(c) for c in children]
    return found


def rss_mib(watch: dict[str, int]) -> dict[str, float]:
    """Resident memory (MiB) of each named process with its descendants."""
    found = {}
    for name, pid in watch.items():
        total = 0
        for each in descendants(pid):
            try:
                total += int(Path(f"/proc/{each}/statm").read_text().split()[1]) * PAGE
            except OSError:
                continue
        found[name] = total / 2**20
    return found
