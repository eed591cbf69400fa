"""What operators ask of the read models: status, health, rebuild, checksum."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from infra.follower import LogFollower
from infra.store import EventStore
from projections.engine.generations import ensure_view
from projections.engine.rebuild import Progress, Rebuilder
from projections.engine.registry import all_views
from projections.engine.view import EventDecoder, View
from projections.engine.viewstore import ViewStore, table_name

#: A view this far behind the log (in events) is reported unhealthy.
MAX_HEALTHY_LAG = 1000


def status(store: EventStore, viewstore: ViewStore | None = None) -> list[dict[str, Any]]:
    """One row per registered view: version, active generation, position, head and lag."""
    own = viewstore is None
    vs = viewstore or ViewStore(store)
    try:
        head = store.max_position()
        rows = vs.query(
            "SELECT g.view, g.version, g.active_generation, p.position, p.updated_at "
            "FROM projection_generations g LEFT JOIN projection_positions p "
            "ON p.view = g.view AND p.generation = g.active_generation"
        )
        built = {str(r[0]): r for r in rows}
        result = []
        for view in all_views():
            row = built.get(view.name)
            position = int(row[3] or 0) if row else 0
            result.append(
                {
                    "view": view.name,
                    "version": view.version,
                    "built_version": int(row[1]) if row else None,
                    "generation": int(row[2]) if row else None,
                    "position": position,
                    "head": head,
                    "lag": max(0, head - position),
                    "updated_at": str(row[4]) if row and row[4] else None,
                }
            )
        return result
    finally:
        if own:
            vs.close()


def projection_health(store: EventStore, viewstore: ViewStore | None = None) -> dict[str, Any]:
    """Healthy when the positions are readable and no view lags far behind the log."""
    try:
        rows = status(store, viewstore)
    except Exception as exc:  # an unreadable database is exactly what health reports
        return {"ok": False, "healthy": False, "error": str(exc), "views": {}}
    views = {r["view"]: {"position": r["position"], "lag": r["lag"]} for r in rows}
    healthy = all(r["lag"] <= MAX_HEALTHY_LAG for r in rows)
    return {
        "ok": healthy,
        "healthy": healthy,
        "head": rows[0]["head"] if rows else 0,
        "views": views,
    }


def rebuild(
    store: EventStore, name: str | None = None, progress_callback: Progress | None = None
) -> list[str]:
    """Rebuild one view (or all, in one pass) beside the live ones and swap; the names rebuilt."""
    views = [v for v in all_views() if name is None or v.name == name]
    if not views:
        raise LookupError(f"There is no read model named {name!r}.")
    viewstore = ViewStore(store)
    try:
        rebuilder = Rebuilder(viewstore, LogFollower(store), EventDecoder(store))
        for view in views:
            ensure_view(viewstore, view)
        rebuilder.rebuild_all(views, progress_callback)
    finally:
        viewstore.close()
    return [v.name for v in views]


def checksum(viewstore: ViewStore, view: View) -> str:
    """sha256 over the ordered rows of the view's active tables (same content, same sum)."""
    with viewstore.transaction(write=False) as tx:
        active = tx.active_generation(view.name)
        if active is None:
            raise LookupError(f"The read model {view.name!r} has not been built yet.")
        digest = hashlib.sha256()
        for base in sorted(view.table_names()):
            table = table_name(base, active[0])
            order = ", ".join(str(i) for i in range(1, len(tx.columns(table)) + 1))
            digest.update(base.encode())
            for row in tx.query(f"SELECT * FROM {table} ORDER BY {order}"):
                digest.update(json.dumps(row, default=str).encode())
        return digest.hexdigest()
