"""Two API processes using Idempotency-Keys for the first time on one PostgreSQL database."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack

import pytest

from api.idempotency_store import CLAIMED, IN_FLIGHT, TABLE, KeyStore, key_store_for
from infra.store import EventStore
from tests.support.racing import together
from tests.support.stores import new_postgres_schema

pytestmark = pytest.mark.postgres

#: Rounds of the race, each on a fresh schema where the key table does not exist yet.
ROUNDS = 5


@pytest.fixture
def closing() -> Iterator[ExitStack]:
    """Closes the stores a test opens."""
    with ExitStack() as stack:
        yield stack


def test_two_processes_creating_the_key_table_together_share_one(
    postgres_dsn: str, closing: ExitStack
) -> None:
    for round_ in range(ROUNDS):
        extra = {"POSTGRES_SCHEMA": new_postgres_schema(postgres_dsn)}
        stores = [EventStore(postgres_dsn, extra) for _ in range(2)]
        for store in stores:
            closing.callback(store.close)
        keys: list[KeyStore] = together(*(lambda s=s: key_store_for(s) for s in stores))
        key = f"first-use-{round_}"
        claims = together(
            *(lambda k=k, key=key: k.claim("opd-head", key, "same request") for k in keys)
        )
        assert sorted(c.outcome for c in claims) == sorted([CLAIMED, IN_FLIGHT])
        assert stores[0].pool is not None
        with stores[0].pool.connection() as conn:
            found = conn.execute(
                "SELECT count(*) AS n FROM information_schema.tables"
                " WHERE table_schema = current_schema() AND table_name = %s",
                (TABLE,),
            ).fetchone()
            rows = conn.execute(f"SELECT count(*) AS n FROM {TABLE}").fetchone()
        assert found is not None
        assert rows is not None
        assert (found["n"], rows["n"]) == (1, 1)
