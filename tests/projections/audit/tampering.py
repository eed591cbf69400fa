"""Direct edits of the stored rows, the way someone with database access would alter history."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

Execute = Callable[[str, tuple[Any, ...]], list[tuple[Any, ...]]]


@dataclass
class Tables:
    """Where the rows are: the events table and its position column, in one SQL dialect."""

    events: str
    chain: str
    position: str
    placeholder: str

    def sql(self, text: str) -> str:
        return (
            text.replace("{events}", self.events)
            .replace("{chain}", self.chain)
            .replace("{pos}", self.position)
            .replace("?", self.placeholder)
        )


def tamper(execute: Execute, tables: Tables, rng: random.Random) -> tuple[int, str]:
    """Apply one random edit; returns the first bad position and the kind verify must report."""
    run: Execute = lambda text, params=(): execute(tables.sql(text), params)  # noqa: E731
    positions = [row[0] for row in run("SELECT {pos} FROM {events} ORDER BY {pos}", ())]
    kind = rng.choice(["state", "topic", "delete", "swap", "append", "shift", "chain"])
    p = rng.choice(positions)
    if kind == "state":
        (state,) = run("SELECT state FROM {events} WHERE {pos} = ?", (p,))[0]
        flipped = bytearray(state)
        flipped[rng.randrange(len(flipped))] ^= 1 << rng.randrange(8)
        run("UPDATE {events} SET state = ? WHERE {pos} = ?", (bytes(flipped), p))
        return p, "changed"
    if kind == "topic":
        (topic,) = run("SELECT topic FROM {events} WHERE {pos} = ?", (p,))[0]
        i = rng.randrange(len(topic))
        other = "x" if topic[i] != "x" else "y"
        run(
            "UPDATE {events} SET topic = ? WHERE {pos} = ?", (topic[:i] + other + topic[i + 1 :], p)
        )
        return p, "changed"
    if kind == "delete":
        run("DELETE FROM {events} WHERE {pos} = ?", (p,))
        return p, "missing"
    if kind == "swap":
        p, q = sorted(rng.sample(positions, 2))
        run("UPDATE {events} SET {pos} = -1 WHERE {pos} = ?", (p,))
        run("UPDATE {events} SET {pos} = ? WHERE {pos} = ?", (p, q))
        run("UPDATE {events} SET {pos} = ? WHERE {pos} = -1", (q,))
        return p, "reordered"
    if kind == "chain":
        (old,) = run("SELECT hash FROM {chain} WHERE position = ?", (p,))[0]
        run("UPDATE {chain} SET hash = ? WHERE position = ?", (format(int(old, 16) ^ 1, "064x"), p))
        return p, "changed"
    forged = _forged(run, rng.choice(positions))
    if kind == "append":
        p = positions[-1] + 1
    else:
        for position in reversed(positions[positions.index(p) :]):
            run("UPDATE {events} SET {pos} = ? WHERE {pos} = ?", (position + 1, position))
    run(
        "INSERT INTO {events} ({pos}, originator_id, originator_version, topic, state) "
        "VALUES (?, ?, ?, ?, ?)",
        (p, *forged),
    )
    return p, "inserted"


def _forged(run: Execute, copied_from: int) -> tuple[Any, ...]:
    """A plausible event: a copy of another, with a version it never reached."""
    originator_id, version, topic, state = run(
        "SELECT originator_id, originator_version, topic, state FROM {events} WHERE {pos} = ?",
        (copied_from,),
    )[0]
    return originator_id, 10_000 + version, topic, state
