"""The kept answers: bounded, of one state only, tagged by their bytes."""

from __future__ import annotations

from datetime import date

from api.answers import AnswerCache, Kept
from api.answers.cache import Key, entity_tag, matches
from projections.engine.freshness import ViewsState

DAY = date(2026, 1, 15)
STATE = ViewsState(frozenset({(0, "plan_progress", 1, 10)}), reached=10)
MOVED = ViewsState(frozenset({(0, "plan_progress", 1, 11)}), reached=11)


def key(n: int) -> Key:
    return (f"/path/{n}", (), None, DAY)


def answer(body: bytes, state: ViewsState = STATE) -> Kept:
    return Kept(body, b"application/json", entity_tag(body), state)


def test_an_answer_of_another_state_is_not_sent_and_is_dropped() -> None:
    cache = AnswerCache()
    cache.keep(key(1), answer(b"{}"))
    assert cache.get(key(1), STATE) is not None
    assert cache.get(key(1), MOVED) is None
    assert len(cache) == 0


def test_the_least_recently_asked_answer_goes_first() -> None:
    cache = AnswerCache(most=2)
    cache.keep(key(1), answer(b"1"))
    cache.keep(key(2), answer(b"2"))
    cache.get(key(1), STATE)
    cache.keep(key(3), answer(b"3"))
    assert cache.get(key(2), STATE) is None
    assert cache.get(key(1), STATE) is not None
    assert cache.get(key(3), STATE) is not None


def test_a_huge_answer_is_not_kept() -> None:
    cache = AnswerCache()
    cache.keep(key(1), answer(b"x" * (2 << 20)))
    assert len(cache) == 0


def test_if_none_match_names_a_tag_among_several_weak_or_strong() -> None:
    tag = entity_tag(b"{}")
    assert tag != entity_tag(b"[]")
    assert matches(b'"other", W/' + tag, tag)
    assert matches(b"*", tag)
    assert not matches(b'"other"', tag)
    assert not matches(None, tag)
