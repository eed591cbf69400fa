"""What is kept: the bytes of an answer, under what it depends on, beside the state it is of."""

from __future__ import annotations

import hashlib
from collections import OrderedDict
from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass
from datetime import date

from api.policy import Caller
from projections.engine.freshness import ViewsState

#: Answers kept per process (the least recently asked goes first).
MOST_KEPT = 1024
#: A larger answer is sent but not kept.
LARGEST_KEPT = 1 << 20

#: What an answer depends on: path, query parameters, the caller's access scope, the day.
Key = tuple[str, tuple[tuple[str, str], ...], Hashable, date]


@dataclass(frozen=True)
class Answerable:
    """A GET whose answer may be kept: the permission it needs and what scopes the answer.

    ``scope`` gives what of the caller the answer depends on (public or not, the OPDs asked
    or led); it may raise a ``ProblemError`` for a request the route refuses. Two callers
    whose scopes are equal get the same answer from the route, so they share it.
    """

    path: str
    permission: str
    scope: Callable[[Caller, Mapping[str, str]], Hashable]


@dataclass(frozen=True)
class Kept:
    """One kept answer: its bytes, their type and entity tag, and the state they are of."""

    body: bytes
    content_type: bytes
    etag: bytes
    state: ViewsState


def entity_tag(body: bytes) -> bytes:
    """A strong entity tag of the bytes of an answer."""
    return b'"' + hashlib.blake2b(body, digest_size=12).hexdigest().encode() + b'"'


def matches(if_none_match: bytes | None, etag: bytes) -> bool:
    """Whether an ``If-None-Match`` header names ``etag`` (weakly compared, RFC 9110)."""
    if if_none_match is None:
        return False
    tags = {t.strip().removeprefix(b"W/") for t in if_none_match.split(b",")}
    return b"*" in tags or etag in tags


class AnswerCache:
    """Kept answers by key, at most ``most`` of them, the least recently asked dropped first."""

    def __init__(self, most: int = MOST_KEPT) -> None:
        self.most = most
        self._kept: OrderedDict[Key, Kept] = OrderedDict()

    def get(self, key: Key, state: ViewsState) -> Kept | None:
        """The answer kept under ``key`` if it is of ``state``; one of another state is dropped."""
        found = self._kept.get(key)
        if found is None:
            return None
        if found.state != state:
            self._kept.pop(key, None)
            return None
        self._kept.move_to_end(key)
        return found

    def keep(self, key: Key, kept: Kept) -> None:
        """Keep an answer (replacing what was kept under its key)."""
        if len(kept.body) > LARGEST_KEPT:
            return
        self._kept[key] = kept
        self._kept.move_to_end(key)
        while len(self._kept) > self.most:
            self._kept.popitem(last=False)

    def __len__(self) -> int:
        return len(self._kept)
