"""Many API, worker and projector processes over one PostgreSQL database of their own.

What an operator runs when one of each is not enough: ``apis`` uvicorn processes on ports
of their own (a client spreads its requests over them, as a load balancer would),
``workers`` Temporal workers and ``projectors`` projectors, all on one database that a
fault run may kill too (``kill("database")``).
"""

from __future__ import annotations

import base64
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from bench.database import Database
from bench.stack import Stack, free_port, seed_reference_city
from bench.wrk import descendants

DATABASE = "database"


class Cluster(Stack):
    """Temporal, and N processes of each kind over one PostgreSQL database."""

    def __init__(
        self, data_dir: Path, database: Database, url: str, checkpoint_every: int = 1000
    ) -> None:
        super().__init__(data_dir, url)
        self.database = database
        # One signing key for every projector, given by value as a secret would be.
        key = Ed25519PrivateKey.generate().private_bytes_raw()
        self.env["JEJAK_AUDIT_SIGNING_KEY"] = base64.b64encode(key).decode()
        self.env["JEJAK_AUDIT_CHECKPOINT_EVERY"] = str(checkpoint_every)

    def start_all(self, apis: int, workers: int, projectors: int) -> None:
        """Temporal, then the workers, the projectors and the APIs (each API ready)."""
        self.start_temporal()
        for n in range(1, workers + 1):
            self.start_worker(f"worker-{n}")
        for n in range(1, projectors + 1):
            self.start_projector(f"projector-{n}")
        for n in range(1, apis + 1):
            self.start_api(f"api-{n}", self.settings.api_port if n == 1 else free_port())

    def process_names(self) -> dict[int, str]:
        """The name of each running process of the cluster (uvicorn's workers too), by pid."""
        return {
            pid: name
            for name, proc in self.procs.items()
            if proc.process is not None and proc.process.poll() is None
            for pid in descendants(proc.pid)
        }

    def api_urls(self) -> list[str]:
        """The base URL of every API process."""
        return [self.url("", name) for name in self.api_ports]

    def kill(self, name: str) -> None:
        """kill -9 a process, or the database's postmaster."""
        if name == DATABASE:
            self.database.kill()
        else:
            super().kill(name)

    def revive(self, name: str) -> None:
        """Start a killed process, or the database, again."""
        if name == DATABASE:
            self.database.start()
        else:
            super().revive(name)


def postgres_cluster(data_dir: Path, database: Database, checkpoint_every: int = 1000) -> Cluster:
    """A cluster (not started) over a new database holding the reference city."""
    data_dir.mkdir(parents=True, exist_ok=True)
    url = database.create("jejak")
    seed_reference_city(url)
    return Cluster(data_dir, database, url, checkpoint_every)
