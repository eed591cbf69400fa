"""Names the timeline learns from events, stored beside it so every sentence can use them.

The names live in the timeline's own tables and are written in the same transaction as
its rows, so a resumed runner and a rebuild write the same sentences.
"""

from __future__ import annotations

from projections.engine.schema import Table
from projections.engine.view import Recorded, ViewTx
from projections.views.timeline import phrasebook, phrasebook_program
from projections.views.timeline.phrases import learned, sentence

#: The timeline's table of names.
NAMES = Table("timeline_names", "kind text, name_key text, name text", key="kind, name_key")
#: The modules whose import registers the phrases (named here so the import is used).
PHRASEBOOKS = (phrasebook, phrasebook_program)


class StoredNames:
    """Names read from (and learned into) the timeline's table, in the open transaction."""

    def __init__(self, tx: ViewTx) -> None:
        self._tx = tx
        self._table = tx.table(NAMES)

    def get(self, kind: str, key: str) -> str | None:
        """The name of ``key`` of this ``kind``, or None when not known."""
        rows = self._tx.query(
            f"SELECT name FROM {self._table} WHERE kind = ? AND name_key = ?", (kind, key)
        )
        return str(rows[0][0]) if rows else None

    def learn(self, kind: str, key: str, name: str) -> None:
        """Remember a name (a later event may rename the thing)."""
        self._tx.execute(
            f"INSERT INTO {self._table} (kind, name_key, name) VALUES (?, ?, ?) "
            "ON CONFLICT (kind, name_key) DO UPDATE SET name = excluded.name",
            (kind, key, name),
        )


def describe(tx: ViewTx, recorded: Recorded) -> str:
    """Learn the names the event teaches, then say the event in plain words."""
    names = StoredNames(tx)
    for kind, key, name in learned(recorded):
        names.learn(kind, key, name)
    return sentence(recorded, names)
