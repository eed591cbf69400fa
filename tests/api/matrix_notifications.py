"""The rows of the authorization matrix for contacts and notification deliveries."""

from __future__ import annotations

from tests.api.matrix_objects import ADMIN, AUD, HEAD, INSP, Endpoint, government, only
from tests.support.app import HEAD_NIP, OTHER_HEAD_NIP, OWN_OPD


def head_of(opd: str) -> str:
    """The NIP of the head of ``opd`` (the dev OPD head leads the own OPD)."""
    return HEAD_NIP if opd == OWN_OPD else OTHER_HEAD_NIP


#: A person's own contact, an OPD head's own OPD, anything for the secretariat.
_OWN_CONTACT = only({ADMIN: (200, 200), HEAD: (200, 403)})

ENDPOINTS_OF_NOTIFICATIONS: dict[str, Endpoint] = {
    "PUT /notifications/contacts/persons/{nip}": Endpoint(
        "PUT", lambda o, a: f"/notifications/contacts/persons/{head_of(o)}", _OWN_CONTACT,
        lambda o: {"email": f"kepala@{o.lower()}.kota.go.id"},
    ),
    "GET /notifications/contacts/persons/{nip}": Endpoint(
        "GET", lambda o, a: f"/notifications/contacts/persons/{head_of(o)}", _OWN_CONTACT
    ),
    "PUT /notifications/contacts/opds/{code}": Endpoint(
        "PUT", lambda o, a: f"/notifications/contacts/opds/{o}", _OWN_CONTACT,
        lambda o: {"delivery": "digest"},
    ),
    "GET /notifications/contacts/opds/{code}": Endpoint(
        "GET", lambda o, a: f"/notifications/contacts/opds/{o}", _OWN_CONTACT
    ),
    "GET /notifications": Endpoint(
        "GET", lambda o, a: "/notifications",
        only({ADMIN: (200, 200), INSP: (200, 200), AUD: (200, 200)}),
    ),
    "GET /me/notifications": Endpoint("GET", lambda o, a: "/me/notifications", government()),
    # Nobody has a message 1 here: each role may try, and finds none.
    "POST /me/notifications/{position}/read": Endpoint(
        "POST", lambda o, a: "/me/notifications/1/read", government(404)
    ),
}  # fmt: skip
