"""Running out of connections on PostgreSQL: 503 with Retry-After, never 500, no key left
claimed, and every keyed command takes effect once when its client sends it again."""

from __future__ import annotations

import asyncio
import threading
import uuid
from collections.abc import AsyncIterator, Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import httpx
import psycopg
import pytest

from api.app import create_app
from api.auth import dev_tokens
from api.idempotency import settle
from api.idempotency_store import TABLE, key_store_for
from infra.store import EventStore
from tests.support.app import CITY, Api, settings_for
from tests.support.polling import eventually

URL = "/api/v1/people"
#: Concurrent clients, each registering civil servants of its own, one after another.
CLIENTS, PER_CLIENT = 16, 3


def fresh_database(dsn: str) -> str:
    """The URL of a new, empty database on the server of ``dsn`` (the store's schema is public)."""
    name = "t_" + uuid.uuid4().hex[:12]
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name}")
    parts = urlsplit(dsn)
    return urlunsplit(parts._replace(path="/" + name))


def nips(count: int) -> list[str]:
    """``count`` distinct valid NIPs (born 1 Jan 1980, appointed Jan 2005, serials 1...)."""
    return [f"198001012005011{serial:03d}" for serial in range(1, count + 1)]


@pytest.fixture
async def tiny(postgres_dsn: str, tmp_path: Path) -> AsyncIterator[Api]:
    """The app on its own PostgreSQL database with a pool of two connections, waited 1 s."""
    url = fresh_database(postgres_dsn)
    pool = {"db_pool_size": 1, "db_pool_max_overflow": 1, "db_pool_timeout": 1}
    settings = settings_for(tmp_path, city=CITY).model_copy(update={"event_store_url": url, **pool})
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://jejak.test") as client:
            yield Api(app, client, settings, dev_tokens(settings))


def in_flight(api: Api) -> int:
    """Keys claimed by a request that has not answered (or never settled)."""
    with psycopg.connect(api.settings.store_url) as conn:
        exists = conn.execute("SELECT to_regclass(%s)", (TABLE,)).fetchone()
        if exists is None or exists[0] is None:
            return 0  # no key was ever claimed
        row = conn.execute(f"SELECT count(*) FROM {TABLE} WHERE status IS NULL").fetchone()
    return int(row[0]) if row else -1


def registered(api: Api) -> list[str]:
    """The NIP of every registration event recorded, one entry per event."""
    with psycopg.connect(api.settings.store_url) as conn:
        rows = conn.execute(
            "SELECT convert_from(state, 'UTF8')::jsonb ->> 'nip' FROM jejak_events"
            " WHERE topic = 'jejak.organisation:Person.Created'"
        ).fetchall()
    return sorted(str(nip) for (nip,) in rows)


class Hog:
    """Borrows every connection of the app's pool, over and over, while it runs."""

    def __init__(self, store: EventStore, hold: float, pause: float) -> None:
        self.store, self.hold, self.pause = store, hold, pause
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self.run, daemon=True)

    def run(self) -> None:
        assert self.store.pool is not None
        most = self.store.pool.stats().get("pool_max", 2)
        while not self.stop.is_set():
            with ExitStack() as held:
                for _ in range(most):
                    held.enter_context(self.store.pool.connection())
                self.stop.wait(self.hold)
            self.stop.wait(self.pause)

    def __enter__(self) -> Hog:
        self.thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self.stop.set()
        self.thread.join(10)


class Killer:
    """Ends every session of the app's database ``times`` times, ``every`` seconds apart
    (the database "going away", as a restart or a failover does)."""

    def __init__(self, url: str, every: float, times: int) -> None:
        self.url, self.every, self.times = url, every, times
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self.run, daemon=True)
        self.killed = 0

    def run(self) -> None:
        dbname = urlsplit(self.url).path.lstrip("/")
        with psycopg.connect(self.url, autocommit=True) as conn:
            for _ in range(self.times):
                if self.stop.wait(self.every):
                    return
                rows = conn.execute(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                    " WHERE datname = %s AND pid <> pg_backend_pid()",
                    (dbname,),
                ).fetchall()
                self.killed += len(rows)

    def __enter__(self) -> Killer:
        self.thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self.stop.set()
        self.thread.join(10)


async def register(api: Api, nip: str) -> httpx.Response:
    """One keyed registration of a civil servant, keyed by the NIP."""
    body = {"nip": nip, "name": f"Pegawai {nip[-3:]}", "golongan": "III/a"}
    headers = {**api.auth("admin"), "Idempotency-Key": f"register-{nip}"}
    return await api.client.post(URL, json=body, headers=headers)


async def storm(
    api: Api, people: list[str], answers: dict[str, httpx.Response] | None = None
) -> dict[str, httpx.Response]:
    """Every client sends its registrations one after another, all clients at once."""
    answers = {} if answers is None else answers

    async def client(mine: list[str]) -> None:
        for nip in mine:
            answers[nip] = await register(api, nip)

    await asyncio.gather(*(client(people[i::CLIENTS]) for i in range(CLIENTS)))
    return answers


async def retry_until_done(api: Api, answers: dict[str, httpx.Response]) -> None:
    """Send every refused-for-now registration again with its key, as a client would."""
    for _ in range(20):
        waiting = [nip for nip, answer in answers.items() if answer.status_code == 503]
        if not waiting:
            return
        await asyncio.sleep(0.2)
        for nip in waiting:
            answers[nip] = await register(api, nip)


def assert_unavailable(answer: httpx.Response) -> None:
    """A 503 as the API promises: problem+json in plain words, with Retry-After."""
    assert answer.headers["retry-after"].isdigit()
    assert answer.headers["content-type"] == "application/problem+json"
    assert answer.json()["type"].startswith("https://jejak.id/problems/database-")


def outcome(answers: dict[str, httpx.Response]) -> dict[int, int]:
    """How many answers of each status."""
    counts: dict[int, int] = {}
    for answer in answers.values():
        counts[answer.status_code] = counts.get(answer.status_code, 0) + 1
    return counts


async def test_a_pool_lent_out_answers_503_and_claims_no_key(tiny: Api) -> None:
    people = nips(CLIENTS)
    with Hog(tiny.app.state.store, hold=30, pause=0):
        answers = await storm(tiny, people)
        assert in_flight(tiny) == 0
    assert outcome(answers) == {503: CLIENTS}
    for answer in answers.values():
        assert_unavailable(answer)
    await retry_until_done(tiny, answers)
    assert outcome(answers) == {201: CLIENTS}
    assert registered(tiny) == people


async def test_a_storm_on_a_tiny_pool_gives_no_500_and_leaves_no_key_claimed(tiny: Api) -> None:
    people = nips(CLIENTS * PER_CLIENT)
    with Hog(tiny.app.state.store, hold=1.3, pause=0.3):
        answers = await storm(tiny, people)
    first = outcome(answers)
    assert set(first) <= {201, 503}, first
    assert first.get(503, 0) > 0, "the pool was never short: the test proved nothing"
    assert in_flight(tiny) == 0, tiny.app.state.store.pool.stats()
    await retry_until_done(tiny, answers)
    assert outcome(answers) == {201: len(people)}
    assert registered(tiny) == people
    assert in_flight(tiny) == 0


async def test_the_database_dropping_sessions_mid_request_gives_503_not_500(tiny: Api) -> None:
    people = nips(CLIENTS * PER_CLIENT)
    with Killer(tiny.settings.store_url, every=0.15, times=8) as killer:
        answers = await storm(tiny, people)
    first = outcome(answers)
    stats = tiny.app.state.store.pool.stats()
    assert killer.killed > 0
    # Sessions were cut under the requests: the pool found dead connections and replaced
    # them (its check), or a request met one (an error, answered 503).
    assert stats.get("connections_lost", 0) + stats.get("returns_bad", 0) > 0, stats
    assert set(first) <= {201, 409, 503}, first
    for answer in answers.values():
        if answer.status_code == 503:
            assert_unavailable(answer)
    assert in_flight(tiny) == 0
    await retry_until_done(tiny, answers)
    # A session cut while its commit's answer was on the wire recorded the registration,
    # yet the library's retry (or the client's) meets "registered already": 409, not twice.
    assert set(outcome(answers)) <= {201, 409}
    refused = {a.json()["type"] for a in answers.values() if a.status_code == 409}
    assert refused <= {"https://jejak.id/problems/already-exists"}
    assert registered(tiny) == people
    assert in_flight(tiny) == 0


async def test_a_release_that_meets_a_lent_out_pool_waits_for_a_connection(tiny: Api) -> None:
    keys = key_store_for(tiny.app.state.store)
    assert keys.claim("someone", "k", "print").outcome == "claimed"
    with Hog(tiny.app.state.store, hold=2.5, pause=30):
        await asyncio.sleep(0.2)  # the hog holds every connection now
        await settle(keys.release, "someone", "k")
    assert keys.claim("someone", "k", "print").outcome == "claimed"


def test_a_store_never_holds_more_connections_than_its_pool(postgres_dsn: str) -> None:
    url = fresh_database(postgres_dsn)
    from infra.pool import PoolSizing

    store = EventStore(url, pool=PoolSizing(size=1, max_overflow=2, timeout=1))
    try:
        assert store.pool is not None
        assert store.pool.stats()["pool_max"] == 3
        dbname = urlsplit(url).path.lstrip("/")
        with ExitStack() as held, psycopg.connect(postgres_dsn, autocommit=True) as watcher:
            for _ in range(3):
                held.enter_context(store.pool.connection())
            with pytest.raises(psycopg.OperationalError):  # PoolTimeout: a fourth waits in vain
                held.enter_context(store.pool.connection())
            row = watcher.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = %s", (dbname,)
            ).fetchone()
        assert row is not None
        assert row[0] == 3
    finally:
        store.close()


@pytest.fixture
def own_server(tmp_path: Path) -> Iterator[Any]:
    """A PostgreSQL server of this test's own, which the test may stop and start again."""
    import pgserver

    server = pgserver.get_server(tmp_path / "pgdata", cleanup_mode="stop")
    try:
        yield server
    finally:
        server.cleanup()


def stop_server(server: Any) -> None:
    """Stop PostgreSQL at once, as a crash or a failover would (no goodbye to sessions)."""
    from pgserver import pg_ctl

    pg_ctl(["-w", "-m", "immediate", "stop"], pgdata=server.pgdata, user=server.system_user)


async def test_the_database_stopping_mid_storm_answers_503_and_recovers(
    own_server: Any, tmp_path: Path
) -> None:
    pool = {"db_pool_size": 1, "db_pool_max_overflow": 1, "db_pool_timeout": 1}
    settings = settings_for(tmp_path, city=CITY).model_copy(
        update={"event_store_url": own_server.get_uri(), **pool}
    )
    app = create_app(settings)
    people = nips(CLIENTS * PER_CLIENT)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://jejak.test") as client:
            api = Api(app, client, settings, dev_tokens(settings))
            assert (await register(api, people[0])).status_code == 201

            answers: dict[str, httpx.Response] = {}

            async def outage() -> None:
                # Once the storm is under way.
                await eventually(lambda: len(answers), lambda n: n >= CLIENTS // 2, every=0.005)
                await asyncio.to_thread(stop_server, own_server)
                await asyncio.sleep(2.0)
                await asyncio.to_thread(own_server.ensure_postgres_running)

            await asyncio.gather(storm(api, people[1:], answers), outage())
            first = outcome(answers)
            assert set(first) <= {201, 409, 503}, first
            assert first.get(503, 0) > 0, "no request met the outage: the test proved nothing"
            for answer in answers.values():
                if answer.status_code == 503:
                    assert_unavailable(answer)
            assert in_flight(api) == 0
            await retry_until_done(api, answers)
            assert set(outcome(answers)) <= {201, 409}
            assert registered(api) == people
            assert in_flight(api) == 0
