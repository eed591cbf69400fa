"""After start-up, a long-running process takes what it built out of the collector's way.

Python's cyclic collector walks every tracked object on each full collection. Once the API
has started there are about 200,000 of them (the framework, the schemas, the domain), and a
full collection took 150 to 175 ms on the two cores here: paid by whichever request
happened to allocate past the threshold, as a spike a hundred times its usual time.
``gc.freeze()`` moves the objects alive at that moment into a permanent generation that no
collection walks again; a full collection afterwards walks only what requests left behind
(well under a millisecond). It is the standard measure for long-running CPython services.
"""

from __future__ import annotations

import gc
import threading

_settled = threading.Event()


def settle() -> None:
    """Collect what start-up left behind, then freeze the rest (once per process)."""
    if _settled.is_set():
        return
    _settled.set()
    gc.collect()
    gc.freeze()
