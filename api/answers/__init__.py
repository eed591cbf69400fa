"""Answers kept per process: a read whose read models have not moved is answered from memory.

``Answerable`` declares a GET that may be kept (routes declare theirs beside the route);
``AnswerCacheMiddleware`` answers such a GET from the kept bytes when the read models are
where they were, and keeps what the route answers otherwise.
"""

from api.answers.cache import Answerable, AnswerCache, Kept
from api.answers.middleware import AnswerCacheMiddleware

__all__ = ["AnswerCache", "AnswerCacheMiddleware", "Answerable", "Kept"]
