"""Webhook signatures follow the Standard Webhooks convention, so any receiver can verify them."""

from __future__ import annotations

import pytest

from workflows.notify.signing import MissingSecretError, resolve_secret, secret_bytes, sign, verify

#: The example of the Standard Webhooks specification.
SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
MSG_ID, TIMESTAMP, BODY = "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, b'{"test": 2432232314}'


def test_the_signature_is_the_one_of_the_specifications_example() -> None:
    expected = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="
    assert sign(secret_bytes(SECRET), MSG_ID, TIMESTAMP, BODY) == expected


def test_a_changed_body_does_not_verify() -> None:
    key = secret_bytes(SECRET)
    headers = {"webhook-id": MSG_ID, "webhook-timestamp": str(TIMESTAMP),
               "webhook-signature": sign(key, MSG_ID, TIMESTAMP, BODY)}  # fmt: skip
    assert verify(key, headers, BODY)
    assert not verify(key, headers, BODY.replace(b"2", b"3"))


def test_a_secret_named_but_not_set_on_the_worker_is_refused() -> None:
    with pytest.raises(MissingSecretError) as refused:
        resolve_secret("env:JEJAK_NO_SUCH_SECRET", {})
    assert "JEJAK_NO_SUCH_SECRET" in str(refused.value)
    assert resolve_secret("env:WA", {"WA": SECRET}) == secret_bytes(SECRET)
